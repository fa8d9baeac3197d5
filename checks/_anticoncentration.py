"""L4 (anti-concentration, activation flips) on random networks.

Claim L4 (THEORY.md §6), for ||x|| = 1:

* Gaussian form: P(|⟨w, x⟩| ≤ R) ≤ 2R/√(2π) for w ~ N(0, I_d) (exact: erf(R/√2));
* sphere form: P(|⟨u, x⟩| ≤ r) = I_{r²}(1/2, (d−1)/2) for u uniform on S^{d−1} (exact),
  ≤ r sqrt(2d/π) for d ≥ 3, = (2/π) arcsin r for d = 2;
* flips: the activation of neuron k on x_i can change between v_k(0) and v_k(t) only if
  |⟨v_k(0), x_i⟩| ≤ ||v_k(t) − v_k(0)||, i.e. |⟨w_k(0), x_i⟩| ≤ ||Δv_k||/α.

Three checks:

``l4_sphere_flips``
    Width-m network at initialization; for each x_i every v_k is pushed by the worst
    perturbation of size r||v_k(0)||, Δv_k = −r ||v_k|| sign⟨v_k, x_i⟩ x_i, which flips the
    activation iff |⟨u_k(0), x_i⟩| < r.  The flip count on x_i is Binomial(m, p_exact): the
    exact formula must lie in its two-sided Clopper–Pearson interval, and the simple bound
    must not be significantly exceeded (Bonferroni over the n inputs).  Also the exact
    probability (mpmath ``bounds.l4_sphere_prob_exact``) is compared with the simple bound
    on a grid of 64 radii in (0, 1] at 50 digits.
``l4_gaussian_flips``
    The same in w-space: Δv_k = −R α sign⟨v_k, x_i⟩ x_i flips iff |⟨w_k(0), x_i⟩| < R.
``l4_flip_implication``
    Deterministic: random perturbations of random sizes; every observed flip must satisfy
    |⟨w_k(0), x_i⟩| ≤ ||Δv_k||/α (a rounding allowance of 1e-12 relative is granted).

Parameters: :class:`checks.l4.Params`.  The sharpness of the simple bounds is measured against
the exact probabilities computed independently by quadrature of the laws of ⟨u, x⟩ (density
∝ (1 − t²)^((d−3)/2)) and ⟨w, x⟩ (standard normal) at 50 digits, on radii down to 1e-6 and for
dimensions up to 1000: both bounds are tight as r → 0 (the sphere one as d → ∞ as well), so a
constant made smaller than valid fails on the grid.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import mpmath
import numpy as np

from wnproofs.bounds import l4_gaussian_prob_bound, l4_sphere_prob_bound
from wnproofs.model import WNNetwork
from wnproofs.outcomes import CheckResult, Kind, Level, compare
from wnproofs.plugin import Instance
from wnproofs.stats import identity_rate_test, rate_result, rate_test

GRID = 64


def _net(inst: Instance, m: int, alpha: float, stream: int = 0) -> WNNetwork:
    return WNNetwork.init(m, inst.data.d, alpha, inst.rng(stream))


def worst_case_flips(net: WNNetwork, X: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Flip indicators F (n, m) when each v_k is pushed against x_i by ``size[k]``.

    Row i uses the perturbation Δv_k = −size_k sign⟨v_k, x_i⟩ x_i (one perturbed network
    per input x_i); F_ik = 1 iff the activation 1{g_k⟨v_k, x_i⟩ ≥ 0} changed.
    """
    Z0 = X @ net.v.T                                  # ⟨v_k, x_i⟩
    A0 = Z0 * net.g >= 0
    F = np.empty_like(A0)
    for i in range(X.shape[0]):
        sgn = np.where(Z0[i] >= 0, 1.0, -1.0)
        v1 = net.v - (size * sgn)[:, None] * X[i][None, :]
        A1 = (v1 @ X[i]) * net.g >= 0
        F[i] = A1 != A0[i]
    return F


def _flip_tests(claim_form: str, F: np.ndarray, p_exact: float, p_bound: float, conf: float,
                bound_is_exact: bool) -> list[CheckResult]:
    n, m = F.shape
    conf_i = 1.0 - (1.0 - conf) / n                   # Bonferroni over the n inputs
    counts = F.sum(axis=1)
    parts = []
    for i, k in enumerate(counts):
        t = identity_rate_test(int(k), m, p_exact, conf_i)
        parts.append(rate_result(
            "L4", Level.PROPERTY, t,
            message=f"{claim_form}: worst-case flips on x_{i} against the exact probability",
            details={"input": i, "form": claim_form, "p_exact": p_exact}, what="flip frequency"))
        if not bound_is_exact:
            t = rate_test(int(k), m, p_bound, conf_i)
            parts.append(rate_result(
                "L4", Level.PROPERTY, t,
                message=f"{claim_form}: worst-case flips on x_{i} against the simple bound (exact p = {p_exact:.4g})",
                details={"input": i, "form": claim_form, "p_exact": p_exact, "p_bound": p_bound},
                what="flip frequency", ref="bound"))
    return parts


@lru_cache(maxsize=None)
def _sphere_norm(d: int, dps: int) -> mpmath.mpf:
    with mpmath.workdps(dps):
        return mpmath.quad(lambda p: mpmath.cos(p) ** (d - 2), [0, mpmath.pi / 2])


def sphere_prob_quadrature(r, d: int) -> mpmath.mpf:
    """P(|⟨u, x⟩| ≤ r) for u uniform on S^{d−1} by quadrature of its density ∝ (1 − t²)^((d−3)/2),
    written with t = sin φ as ∫_0^{arcsin r} cos^{d−2} φ dφ (smooth for every d ≥ 2; independent of
    the incomplete-beta closed form of the library)."""
    r = min(mpmath.mpf(r), mpmath.mpf(1))
    return mpmath.quad(lambda p: mpmath.cos(p) ** (d - 2), [0, mpmath.asin(r)]) / _sphere_norm(d, mpmath.mp.dps)


def gaussian_prob_quadrature(R) -> mpmath.mpf:
    """P(|⟨w, x⟩| ≤ R) for w ~ N(0, I) by quadrature of the normal density."""
    return 2 * mpmath.quad(lambda z: mpmath.exp(-z * z / 2), [0, R]) / mpmath.sqrt(2 * mpmath.pi)


def grid_exact_vs_bound(form: str, dims, factor: float) -> CheckResult:
    """Memoised :func:`_grid_exact_vs_bound` (a pure function of its arguments)."""
    return _grid_exact_vs_bound(form, tuple(sorted(dims)), float(factor))


@lru_cache(maxsize=64)
def _grid_exact_vs_bound(form: str, dims: tuple, factor: float) -> CheckResult:
    """An L4 bound (``form`` "sphere" for dimensions ``dims``, or "gaussian") against its exact
    probability (quadrature, 50 digits) on a grid of radii from 1e-6 to 1: max exact − factor·bound
    must be ≤ 1e-40; the margin is the smallest bound/exact where the bound is below its cap 1
    (→ 1 as r → 0: the bounds are tight there)."""
    radii = [mpmath.mpf(10) ** (-k) for k in range(6, 0, -1)] + [mpmath.mpf(j) / GRID for j in range(1, GRID + 1, 4)]
    worst, worst_at, ratio, ratio_at = -mpmath.inf, None, mpmath.inf, None
    with mpmath.workdps(50):
        cases = [("sphere", d) for d in dims if d >= 3] if form == "sphere" else [("gaussian", None)]
        for form_, d in cases:
            for r in radii:
                if form_ == "sphere":
                    ex, bd = sphere_prob_quadrature(r, d), factor * l4_sphere_prob_bound(r, d)
                else:
                    ex, bd = gaussian_prob_quadrature(r), factor * l4_gaussian_prob_bound(r)
                if ex - bd > worst:
                    worst, worst_at = ex - bd, (form_, d, float(r))
                if ex > 0 and bd < factor and bd / ex < ratio:
                    ratio, ratio_at = bd / ex, (form_, d, float(r))
        d2 = max(abs(sphere_prob_quadrature(r, 2) - factor * l4_sphere_prob_bound(r, 2)) for r in radii[:-1]) \
            if (form == "sphere" and 2 in dims) else mpmath.mpf(0)
    if ratio == mpmath.inf:                 # d = 2 only: the bound is the exact arcsin law
        ratio = None
    res = compare("L4", Kind.UPPER, Level.NUMERIC, float(max(worst, d2)), 1e-40,
                  message=f"{form}: exact (quadrature) − simple bound, max over {len(radii)} radii in [1e-6, 1]"
                          + (f" and d in {sorted(dims)}" if form == "sphere" else "") + f" (at {worst_at})"
                          + (f"; d = 2 arcsin form vs quadrature {float(d2):.1e}" if form == "sphere" else "")
                          + f"; min bound/exact = {float(ratio):.6g} at {ratio_at}",
                  details={"form": form, "dims": sorted(dims), "max_excess": float(worst),
                           "min_ratio": None if ratio is None else float(ratio),
                           "min_ratio_at": ratio_at, "d2_error": float(d2)})
    if res.status.value != "holds":
        return res
    return replace(res, margin=None if ratio is None else float(ratio))
