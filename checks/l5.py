"""L5: Gram stability.

Statement: |G_ij(t) − G_ij(0)| ≤ (2/m) Σ_k r_k; |V_ij(t) − V_ij(0)| ≤ (1/m) Σ_k [(2ρ_k + ρ_k²) + (1+ρ_k)²(2r_k + F_ik + F_jk)].

Kind of claim: upper bound (deterministic, given the instance).

Reference: Dukler, Gu & Montúfar, ICML 2020; THEORY.md §7; the project's own statement is docs/theory.md, section L5.

Hypotheses: ||u_k(t) − u_k(0)|| ≤ r_k; |s_k(t) − 1| ≤ ρ_k (V, G in THEORY's σ(⟨u_k, x⟩) form; no sign condition on g_k).

Checks: ``gram_stability``.

Parameters: :class:`Params`.

What "holds" means: the observed value is at most the bound (margin = bound ÷ observed) on every entry, neuron and instance drawn.

"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from wnproofs.model import WNNetwork
from wnproofs.outcomes import Level, Status
from wnproofs.plugin import Instance, check
from wnproofs.stats import tightest

from ._params import CheckParams
from ._stability import L5_MODES, _kind, gram_change, l5_results, perturb


@dataclass(frozen=True)
class Params(CheckParams):
    """Parameters of the L5 check (defaults in brackets).

    m : width [300] (small widths make the bound nearly attained); alpha [1.0].
    eps_v, eps_g : perturbation sizes of directions and lengths [0.05, 0.05]; eps_g < −1 flips
        the sign of the lengths ("lengths" mode), outside D4's g_k > 0 but inside L5.
    l5_modes : perturbation modes [all four: random, adversarial, lengths, gd].
    eta, gd_steps : the "gd" mode's step and number of steps [0.5, 10].
    l5_factor : a planted constant multiplying every bound [1.0]; l5_reverse : demand
        observed ≥ bound instead [False].  Each must make the check fail on some instance.
    """

    m: int = 300
    alpha: float = 1.0
    eps_v: float = 0.05
    eps_g: float = 0.05
    l5_modes: tuple = L5_MODES
    eta: float = 0.5
    gd_steps: int = 10
    l5_factor: float = 1.0
    l5_reverse: bool = False


@check("L5", level=Level.PROPERTY)
def gram_stability(inst: Instance):
    """L5: |V_ij(t) − V_ij(0)|, |G_ij(t) − G_ij(0)| and the ||·||_2 forms against the bounds
    computed from the same instance (r_k, ρ_k, F_ik), for each perturbation mode, on THEORY's
    V and G (σ(⟨u_k, x⟩) form); the J_g J_gᵀ form that drives the dynamics is reported beside
    it (the same while every g_k > 0; otherwise outside D4's hypothesis)."""
    p = Params.from_instance(inst)
    X, y = inst.data.X, inst.data.y
    kind = _kind(p.l5_reverse)
    net0 = WNNetwork.init(p.m, inst.data.d, p.alpha, inst.rng(0))
    parts, jac_parts = [], []
    summary = {}
    for idx, mode in enumerate(p.l5_modes):
        net1 = perturb(net0, X, y, mode, p.eps_v, p.eps_g, inst.rng(1 + idx), eta=p.eta, gd_steps=p.gd_steps)
        ch = gram_change(net0, net1, X, form="theory")
        res = l5_results(ch, p.l5_factor, kind, label=f"[{mode}] ")
        parts += res
        negative = bool(np.any(net1.g <= 0))
        entry = {"mean_r": float(np.mean(ch.r)), "mean_rho": float(np.mean(ch.rho)),
                 "flips": int(ch.F.sum()), "min_margin": min(q.margin for q in res),
                 "negative_lengths": int(np.sum(net1.g <= 0))}
        if negative:
            # D4 identifies the theory's G with J_g J_gᵀ only while g_k > 0: report, do not judge
            jac = l5_results(gram_change(net0, net1, X, form="jacobian"), p.l5_factor, kind,
                             label=f"[{mode}, J_g J_gᵀ] ")
            jac_parts += [replace(q, status=Status.HYPOTHESIS_NOT_MET,
                                  message=q.message + f" ({'holds' if q.status is Status.HOLDS else 'violated'}; "
                                          "some g_k ≤ 0: J_g J_gᵀ ≠ G, D4's hypothesis g_k > 0 unmet)")
                          for q in jac]
            entry["jacobian_form_holds"] = all(q.status is Status.HOLDS for q in jac)
        summary[mode] = entry
    out = tightest(parts)
    extra = {"modes": summary, "m": p.m, "alpha": p.alpha, "eps_v": p.eps_v, "eps_g": p.eps_g,
             "l5_factor": p.l5_factor, "form": "theory (σ(⟨u_k, x⟩))"}
    if jac_parts:
        extra["jacobian_form"] = [{"message": q.message, "status": q.status.value, "margin": q.margin}
                                  for q in jac_parts]
    return replace(out, details={**out.details, **extra})
