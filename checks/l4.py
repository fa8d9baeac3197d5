"""L4: Anti-concentration (activation flips).

Statement: P(|⟨w,x⟩| ≤ R) ≤ 2R/√(2π); P(|⟨u,x⟩| ≤ r) = I_{r²}(1/2,(d−1)/2) ≤ r sqrt(2d/π) (d ≥ 3).

Kind of claim: probability (upper bounds on activation-flip probabilities).

Reference: Dukler, Gu & Montúfar, ICML 2020; THEORY.md §6; the project's own statement is docs/theory.md, section L4.

Hypotheses: ||x|| = 1.

Checks: ``sphere_flips``, ``gaussian_flips``, ``flip_implication``.

What "holds" means: the failure frequency is certainly at most δ (an exact Clopper–Pearson bound; margin = δ ÷ rate); sharpness checks compare each bound with the exact quantity.

"""

from __future__ import annotations

import mpmath
import numpy as np

from wnproofs.bounds import (
    l4_gaussian_prob_bound,
    l4_sphere_prob_bound,
    l4_sphere_prob_exact,
)
from wnproofs.outcomes import Kind, Level, compare
from wnproofs.plugin import Instance, check
from wnproofs.stats import DEFAULT_CONFIDENCE, tightest

from ._anticoncentration import (
    _flip_tests,
    _grid_exact_vs_bound,
    _net,
    worst_case_flips,
)


@check("L4", level=Level.PROPERTY)
def sphere_flips(inst: Instance):
    """L4 (sphere form): worst-case flip fractions at radius r against I_{r²}(1/2,(d−1)/2)
    (Clopper–Pearson) and the simple bound r·sqrt(2d/π); exact ≤ simple bound on a grid."""
    d = inst.data.d
    factor = float(inst.get("l4_factor", 1.0))
    conf = float(inst.get("confidence", DEFAULT_CONFIDENCE))
    r = float(inst.get("l4_r", 0.3))
    net = _net(inst, 0)
    F = worst_case_flips(net, inst.data.X, r * net.v_norms)
    p_exact = factor * float(l4_sphere_prob_exact(r, d))
    p_bound = factor * float(l4_sphere_prob_bound(r, d))
    parts = _flip_tests(f"sphere r={r:g}", F, p_exact, p_bound, conf, bound_is_exact=(d == 2))
    parts.append(_grid_exact_vs_bound(d, factor))
    return tightest(parts)


@check("L4", level=Level.PROPERTY)
def gaussian_flips(inst: Instance):
    """L4 (Gaussian form): worst-case flip fractions at w-radius R against erf(R/√2)
    (Clopper–Pearson) and the bound 2R/√(2π); erf(R/√2) ≤ 2R/√(2π) at 50 digits."""
    factor = float(inst.get("l4_factor", 1.0))
    conf = float(inst.get("confidence", DEFAULT_CONFIDENCE))
    R = float(inst.get("l4_R", 1.0))
    net = _net(inst, 1)
    F = worst_case_flips(net, inst.data.X, np.full(net.m, R * net.alpha))
    with mpmath.workdps(50):
        ex_mp = mpmath.erf(mpmath.mpf(R) / mpmath.sqrt(2))
        bd_mp = factor * l4_gaussian_prob_bound(R)
    p_exact = factor * float(ex_mp)
    p_bound = float(bd_mp)
    parts = _flip_tests(f"gaussian R={R:g}", F, p_exact, p_bound, conf, bound_is_exact=False)
    parts.append(compare("L4", Kind.UPPER, Level.NUMERIC, float(ex_mp), float(bd_mp),
                         message=f"erf(R/√2) = {float(ex_mp):.6g} ≤ 2R/√(2π) = {float(bd_mp):.6g} (50 digits)",
                         details={"R": R, "l4_factor": factor}))
    return tightest(parts)


@check("L4", level=Level.PROPERTY)
def flip_implication(inst: Instance):
    """L4 (flips): random perturbations Δv_k of random sizes; a flip on x_i implies
    |⟨w_k(0), x_i⟩| ≤ ||Δv_k||/α for every (i, k) (deterministic, up to 1e-12 relative)."""
    factor = float(inst.get("l4_factor", 1.0))
    eps = float(inst.get("eps_v", 0.2))
    net = _net(inst, 2)
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
    thr = factor * np.linalg.norm(dv, axis=1) / net.alpha
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
