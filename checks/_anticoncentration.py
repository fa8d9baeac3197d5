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

Parameters (defaults in brackets): ``m`` [quick 20000, full 200000] neurons; ``alpha`` [1.0];
``l4_r`` [0.3] the sphere radius; ``l4_R`` [1.0] the Gaussian radius; ``confidence``
[1 − 1e-6]; ``eps_v`` [0.2] the typical relative perturbation size of the implication
check; ``l4_factor`` [1.0] multiplies every L4 probability, bound and flip threshold (a
planted constant for mutation tests: 0.5 must make the checks fail).
"""

from __future__ import annotations

from dataclasses import replace

import mpmath
import numpy as np

from wnproofs.bounds import l4_sphere_prob_bound, l4_sphere_prob_exact
from wnproofs.model import WNNetwork
from wnproofs.outcomes import CheckResult, Kind, Level, compare
from wnproofs.plugin import Instance
from wnproofs.stats import identity_rate_test, rate_result, rate_test

GRID = 64


def _net(inst: Instance, stream: int = 0) -> WNNetwork:
    m = int(inst.get("m", 20_000 if inst.mode == "quick" else 200_000))
    return WNNetwork.init(m, inst.data.d, float(inst.get("alpha", 1.0)), inst.rng(stream))


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


def _grid_exact_vs_bound(d: int, factor: float) -> CheckResult:
    """max over a radius grid of exact − factor·bound at 50 digits (≤ 1e-40 required);
    the margin is min bound/exact over the radii where the bound is below its cap 1."""
    worst, worst_r, ratio = -mpmath.inf, None, mpmath.inf
    with mpmath.workdps(50):
        for j in range(1, GRID + 1):
            r = mpmath.mpf(j) / GRID
            ex = l4_sphere_prob_exact(r, d)
            bd = factor * l4_sphere_prob_bound(r, d)
            if ex - bd > worst:
                worst, worst_r = ex - bd, r
            if ex > 0 and bd < factor:          # slack only where the bound is not capped at 1
                ratio = min(ratio, bd / ex)
    res = compare("L4", Kind.UPPER, Level.NUMERIC, float(worst), 1e-40,
                  message=f"exact I_(r²)(1/2,(d−1)/2) − simple bound, max over {GRID} radii in (0, 1] "
                          f"(d = {d}, at r = {float(worst_r):.3g}); min bound/exact = {float(ratio):.4g}",
                  details={"d": d, "max_excess": float(worst), "min_ratio": float(ratio)})
    # the margin is the slack bound/exact; for d = 2 the "bound" is the exact value (an
    # identity: no slack to report, margin None)
    if res.status.value != "holds":
        return res
    return replace(res, margin=None if d == 2 else float(ratio))
