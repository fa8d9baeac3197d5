"""T4: G-dominated convergence (GF).

Statement: ||f(t) − y||² ≤ exp(−μ_0 t) ||f(0) − y||² at the widths of T2.

Kind of claim: upper bound (the residual envelope) and lower bound (the kernel floor λ_min), along a run.

Reference: Dukler, Gu & Montúfar, ICML 2020 (restated by FedBN, Li et al., ICLR 2021); THEORY.md §8; the project's own statement is docs/theory.md, section T4.

Hypotheses: A1: x_i ≠ ±x_j for i ≠ j, ||x_i|| = 1, d ≥ 2; α > α* = sqrt(λ_0/μ_0) (the paper: α > 1, reported beside it); m ≥ m_G (GF).

Checks: ``direction_movement_scaling_gf``, ``gf_envelope``, ``at_threshold``, ``instance_certificate``, ``width_slack``.

What "holds" means: the envelope and the floor held at every recorded step of a run that meets every hypothesis (width ≥ the explicit threshold, step ≤ the explicit step bound, α in the regime by α*, A1) and covered at least half of the predicted decay; the instance certificate holds when the proof closes on the realized initialization at a width meeting the threshold. Outside the hypotheses the outcome is `observed` or `deviates (hypotheses unmet)`, never `fails`; an exhausted budget is `inconclusive` (checks/_theorems.py).

Parameters (``Params``, typed; unknown keys are an error): m, alpha, delta, seeds, max_steps, max_evals (the envelope check), probe_seed, probe_max_steps, probe_max_evals, sim_max_width, cert_neurons (the probe checks), slack_widths, scaling_m, scaling_seeds, scaling_max_steps, slope_tol; defaults and meaning in ``checks._theorems.TheoremParams``.

"""

from __future__ import annotations

from dataclasses import dataclass

from wnproofs.experiments import movement_scaling
from wnproofs.outcomes import Level
from wnproofs.plugin import Instance, check

from ._scaling import _no_A1, fit_result, scaling_alphas
from ._theorems import (
    TheoremParams,
    at_threshold_result,
    certificate_result,
    envelope_result,
    slack_result,
)


@dataclass(frozen=True)
class Params(TheoremParams):
    """T4's knobs (every field documented in TheoremParams)."""


@check("T4", level=Level.EMPIRICAL)
def direction_movement_scaling_gf(inst: Instance):
    """T4: as T2's scaling, with GF's time scale (GD with η ∝ 1/λ_max(Λ(0)) approximates GF);
    the direction movement ∝ α^(−2) in the G-dominated regime (observed / deviates)."""
    if (bad := _no_A1("T4", inst)) is not None:
        return bad
    p = Params.from_instance(inst, "T4")
    alphas = scaling_alphas("T4", inst)
    res = movement_scaling(inst.data.X, inst.data.y, alphas, m=p.scaling_m, steps=200,
                           seeds=p.by_mode("scaling_seeds", inst.mode), rng=inst.rng(23))
    return fit_result("T4", "T4", res["fit_dir"], "G-dominated direction movement (200 steps) ∝ α^b", inst, p, res,
                      alphas[0])


@check("T4", level=Level.EMPIRICAL)
def gf_envelope(inst: Instance):
    """T4 (G-dominated GF, α = 2·max(1, α*) unless set): ||f(t) − y||² ≤ exp(−μ_0 t) ||f(0) − y||²,
    λ_min(Λ(t)) ≥ μ_0/2, at a practical width."""
    return envelope_result("T4", "T4", inst, Params.from_instance(inst, "T4"), 14)


@check("T4", level=Level.EMPIRICAL)
def at_threshold(inst: Instance):
    """T4 at its explicit width on the probe instance, for as many GF evaluations as the budget allows."""
    return at_threshold_result("T4", "T4", inst, Params.from_instance(inst, "T4"))


@check("T4", level=Level.EMPIRICAL)
def instance_certificate(inst: Instance):
    """T4 certified for the realized initialization at the explicit width on the probe instance
    (the proof's events measured, its deterministic half applied; result level: certified)."""
    return certificate_result("T4", "T4", inst, Params.from_instance(inst, "T4"))


@check("T4", level=Level.EMPIRICAL, slow=True)
def width_slack(inst: Instance):
    """T4 slack: smallest width at which T4's conclusion held across seeds vs m_G."""
    return slack_result("T4", "T4", inst, Params.from_instance(inst, "T4"))
