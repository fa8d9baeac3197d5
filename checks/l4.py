"""L4: Anti-concentration (activation flips).

Statement: P(|⟨w,x⟩| ≤ R) ≤ 2R/√(2π); P(|⟨u,x⟩| ≤ r) = I_{r²}(1/2,(d−1)/2) ≤ r sqrt(2d/π) (d ≥ 3).

Kind of claim: probability (upper bounds on activation-flip probabilities).

Reference: Dukler, Gu & Montúfar, ICML 2020; THEORY.md §6; the project's own statement is docs/theory.md, section L4.

Hypotheses: ||x|| = 1.

Checks: ``sphere_flips``, ``gaussian_flips``, ``flip_implication``.

Parameters: :class:`Params`.

What "holds" means: the failure frequency is certainly at most δ (an exact Clopper–Pearson bound; margin = δ ÷ rate); sharpness checks compare each bound with the exact quantity.

"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import numpy as np

from wnproofs.bounds import (
    l4_flip_radius,
    l4_gaussian_prob_bound,
    l4_gaussian_prob_exact,
    l4_sphere_prob_bound,
    l4_sphere_prob_exact,
)
from wnproofs.outcomes import Kind, Level, compare
from wnproofs.plugin import Instance, check
from wnproofs.stats import DEFAULT_CONFIDENCE, tightest

from ._anticoncentration import (
    _flip_tests,
    _net,
    gaussian_prob_quadrature,
    grid_exact_vs_bound,
    worst_case_flips,
)
from ._params import CheckParams


@dataclass(frozen=True)
class Params(CheckParams):
    """Parameters of the L4 checks (defaults in brackets).

    m : neurons of the flip-count networks [quick 20000; full 200000].
    alpha : initialization scale [1.0].
    confidence : of the Clopper–Pearson tests [1 − 1e-6].
    l4_r : sphere radius of ``sphere_flips`` [0.3]; l4_R : w-radius of ``gaussian_flips`` [1.0].
    eps_v : typical relative perturbation of ``flip_implication`` [0.2].
    dims : extra dimensions of the exact-vs-bound grid, beside the data's d [(3, 10, 100, 1000)].
    l4_factor : a planted constant multiplying every L4 probability, bound and flip threshold
        [1.0]; 0.5 must make the flip checks fail, anything below 1 the grid.
    """

    m: int | None = None
    alpha: float = 1.0
    confidence: float = DEFAULT_CONFIDENCE
    l4_r: float = 0.3
    l4_R: float = 1.0
    eps_v: float = 0.2
    dims: tuple = (3, 10, 100, 1000)
    l4_factor: float = 1.0

    MODE_DEFAULTS = {"quick": {"m": 20_000}, "full": {"m": 200_000}}


@check("L4", level=Level.PROPERTY)
def sphere_flips(inst: Instance):
    """L4 (sphere form): worst-case flip fractions at radius r against I_{r²}(1/2,(d−1)/2)
    (Clopper–Pearson) and the simple bound r·sqrt(2d/π); both simple bounds against their exact
    probabilities (quadrature) on a grid of radii down to 1e-6 and d up to 1000 (sharp as r → 0)."""
    p = Params.from_instance(inst)
    d = inst.data.d
    factor, r = p.l4_factor, p.l4_r
    net = _net(inst, p.m, p.alpha, 0)
    F = worst_case_flips(net, inst.data.X, r * net.v_norms)
    p_exact = factor * float(l4_sphere_prob_exact(r, d))
    p_bound = factor * float(l4_sphere_prob_bound(r, d))
    parts = _flip_tests(f"sphere r={r:g}", F, p_exact, p_bound, p.confidence, bound_is_exact=(d == 2))
    parts.append(grid_exact_vs_bound("sphere", sorted({d, *p.dims}), factor))
    return tightest(parts)


@check("L4", level=Level.PROPERTY)
def gaussian_flips(inst: Instance):
    """L4 (Gaussian form): worst-case flip fractions at w-radius R against erf(R/√2)
    (Clopper–Pearson) and the bound 2R/√(2π); the library's erf(R/√2) against quadrature and
    against the bound at 50 digits."""
    p = Params.from_instance(inst)
    factor, R = p.l4_factor, p.l4_R
    net = _net(inst, p.m, p.alpha, 1)
    F = worst_case_flips(net, inst.data.X, np.full(net.m, R * net.alpha))
    with mpmath.workdps(50):
        ex_lib = l4_gaussian_prob_exact(R)
        ex_mp = gaussian_prob_quadrature(mpmath.mpf(R))
        bd_mp = factor * l4_gaussian_prob_bound(R)
    p_exact = factor * float(ex_lib)
    p_bound = float(bd_mp)
    parts = _flip_tests(f"gaussian R={R:g}", F, p_exact, p_bound, p.confidence, bound_is_exact=False)
    parts.append(compare("L4", Kind.IDENTITY, Level.NUMERIC, float(abs(ex_lib - ex_mp)), 1e-40,
                         message=f"bounds.l4_gaussian_prob_exact(R) = erf(R/√2) = {float(ex_lib):.6g} vs quadrature "
                                 f"of the normal density (50 digits)", details={"R": R}))
    parts.append(compare("L4", Kind.UPPER, Level.NUMERIC, float(ex_mp), float(bd_mp),
                         message=f"P(|⟨w,x⟩| ≤ R) = {float(ex_mp):.6g} ≤ 2R/√(2π) = {float(bd_mp):.6g} (50 digits)",
                         details={"R": R, "l4_factor": factor}))
    parts.append(grid_exact_vs_bound("gaussian", (), factor))
    return tightest(parts)


@check("L4", level=Level.PROPERTY)
def flip_implication(inst: Instance):
    """L4 (flips): random perturbations Δv_k of random sizes; a flip on x_i implies
    |⟨w_k(0), x_i⟩| ≤ ||Δv_k||/α for every (i, k) (deterministic, up to 1e-12 relative)."""
    p = Params.from_instance(inst)
    factor, eps = p.l4_factor, p.eps_v
    net = _net(inst, p.m, p.alpha, 2)
    rng = inst.rng(3)
    X = inst.data.X
    xi = rng.standard_normal(net.v.shape)
    xi /= np.linalg.norm(xi, axis=1, keepdims=True)
    size = eps * net.v_norms * rng.exponential(1.0, net.m)     # sizes spread around eps·||v||
    dv = size[:, None] * xi
    v1 = net.v + dv
    A0 = (X @ net.v.T) * net.g >= 0
    A1 = (X @ v1.T) * net.g >= 0
    F = A0 != A1
    w0 = X @ (net.v / net.alpha).T                              # ⟨w_k(0), x_i⟩ (g(0) = ||v(0)||/α)
    thr = factor * l4_flip_radius(np.linalg.norm(dv, axis=1), net.alpha)
    if not F.any():
        return compare("L4", Kind.UPPER, Level.PROPERTY, 0.0, 1.0, undecided=True,
                       message="no activation flipped: nothing to test (raise eps_v or m)")
    ratio = np.abs(w0[F]) / np.broadcast_to(thr, F.shape)[F]
    worst = float(np.max(ratio))
    return compare("L4", Kind.UPPER, Level.PROPERTY, worst, 1.0 + 1e-12,
                   message=f"{int(F.sum())} flips among {F.size} (neuron, input) pairs; "
                           f"max |⟨w_k(0),x_i⟩| ÷ (||Δv_k||/α) over flips = {worst:.4g} ≤ 1",
                   details={"flips": int(F.sum()), "pairs": int(F.size), "max_ratio": worst,
                            "l4_factor": factor})
