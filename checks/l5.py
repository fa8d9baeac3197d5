"""L5: Gram stability.

Statement: |G_ij(t) − G_ij(0)| ≤ (2/m) Σ_k r_k; |V_ij(t) − V_ij(0)| ≤ (1/m) Σ_k [(2ρ_k + ρ_k²) + (1+ρ_k)²(2r_k + F_ik + F_jk)].

Kind of claim: upper bound (deterministic, given the instance).

Reference: Dukler, Gu & Montúfar, ICML 2020; THEORY.md §7; the project's own statement is docs/theory.md, section L5.

Hypotheses: ||u_k(t) − u_k(0)|| ≤ r_k; |s_k(t) − 1| ≤ ρ_k; g_k(t) > 0 for all k.

Checks: ``gram_stability``.

What "holds" means: the observed value is at most the bound (margin = bound ÷ observed) on every entry, neuron and instance drawn.

"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from wnproofs.model import WNNetwork
from wnproofs.outcomes import Level, Status
from wnproofs.plugin import Instance, check
from wnproofs.stats import tightest

from ._stability import L5_MODES, _kind, gram_change, l5_results, perturb


@check("L5", level=Level.PROPERTY)
def gram_stability(inst: Instance):
    """L5: |V_ij(t) − V_ij(0)|, |G_ij(t) − G_ij(0)| and the ||·||_2 forms against the bounds
    computed from the same instance (r_k, ρ_k, F_ik), for each perturbation mode."""
    X, y = inst.data.X, inst.data.y
    m = int(inst.get("m", 300))
    alpha = float(inst.get("alpha", 1.0))
    eps_v, eps_g = float(inst.get("eps_v", 0.05)), float(inst.get("eps_g", 0.05))
    factor = float(inst.get("l5_factor", 1.0))
    kind = _kind(inst, "L5")
    modes = list(inst.get("l5_modes", L5_MODES))
    net0 = WNNetwork.init(m, inst.data.d, alpha, inst.rng(0))
    parts = []
    summary = {}
    for idx, mode in enumerate(modes):
        net1 = perturb(net0, X, y, mode, eps_v, eps_g, inst.rng(1 + idx),
                       eta=float(inst.get("eta", 0.5)), gd_steps=int(inst.get("gd_steps", 10)))
        ch = gram_change(net0, net1, X)
        res = l5_results(ch, factor, kind, label=f"[{mode}] ")
        if np.any(net1.g <= 0):
            # G of D4 (σ(⟨u_k,x⟩)) and kernels.grams (J_g J_gᵀ, activation 1{g_k⟨u_k,x⟩ ≥ 0})
            # differ once a length is negative: outside the theory's setting g_k > 0 (D1).
            res = [replace(p, status=Status.HYPOTHESIS_NOT_MET,
                           message=p.message + " (some g_k(t) ≤ 0: outside the setting g_k > 0)")
                   for p in res]
        parts += res
        summary[mode] = {"mean_r": float(np.mean(ch.r)), "mean_rho": float(np.mean(ch.rho)),
                         "flips": int(ch.F.sum()), "min_margin": min(p.margin for p in res)}
    out = tightest(parts)
    return replace(out, details={**out.details, "modes": summary, "m": m, "alpha": alpha,
                                 "eps_v": eps_v, "eps_g": eps_g, "l5_factor": factor})
