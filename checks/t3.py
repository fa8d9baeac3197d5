"""T3: V-dominated convergence (GF).

Statement: ||f(t) − y||² ≤ exp(−λ_0 t/α²) ||f(0) − y||² at the widths of T1.

Kind of claim: upper bound (the residual envelope) and lower bound (the kernel floor λ_min), along a run.

Reference: reconstructed from the argument of Dukler, Gu & Montúfar, ICML 2020; THEORY.md §8; the project's own statement is docs/theory.md, section T3.

Hypotheses: A1: x_i ≠ ±x_j for i ≠ j, ||x_i|| = 1, d ≥ 2; α ≤ α* = sqrt(λ_0/μ_0) (the paper: α < 1, reported beside it); m ≥ m_V (GF).

Checks: ``rate_alpha_scaling``, ``gf_envelope``, ``at_threshold``, ``instance_certificate``, ``width_slack``.

What "holds" means: the envelope and the floor held at every recorded step of a run that meets every hypothesis (width ≥ the explicit threshold, step ≤ the explicit step bound, α in the regime by α*, A1) and covered at least half of the predicted decay; the instance certificate holds when the proof closes on the realized initialization at a width meeting the threshold. Outside the hypotheses the outcome is `observed` or `deviates (hypotheses unmet)`, never `fails`; an exhausted budget is `inconclusive` (checks/_theorems.py).

Parameters (``Params``, typed; unknown keys are an error): m, alpha, delta, seeds, max_steps, max_evals (the envelope check), probe_seed, probe_max_steps, probe_max_evals, sim_max_width, cert_neurons (the probe checks), slack_widths, scaling_m, scaling_seeds, scaling_max_steps, slope_tol; defaults and meaning in ``checks._theorems.TheoremParams``.

"""

from __future__ import annotations

from dataclasses import dataclass

from wnproofs.experiments import data_constants, rate_scaling
from wnproofs.outcomes import Level
from wnproofs.plugin import Instance, check

from ._scaling import _no_A1, fit_result, undecided_fit
from ._theorems import (
    TheoremParams,
    at_threshold_result,
    certificate_result,
    envelope_result,
    slack_result,
)


@dataclass(frozen=True)
class Params(TheoremParams):
    """T3's knobs (every field documented in TheoremParams)."""


@check("T3", level=Level.EMPIRICAL)
def rate_alpha_scaling(inst: Instance):
    """T3: the convergence rate per unit time ∝ (1/α²)^b with b = 1 in the V-dominated regime
    (α = min(1, α*)·{1/8, 1/4, 1/2}; one small step for all α, so GD tracks GF); at a practical
    width: observed / deviates, never a verdict on T3."""
    if (bad := _no_A1("T3", inst)) is not None:
        return bad
    p = Params.from_instance(inst, "T3")
    base = min(data_constants(inst.data.X)["alpha_star"], 1.0)
    alphas = [base / 8, base / 4, base / 2]
    res = rate_scaling(inst.data.X, inst.data.y, alphas, m=p.scaling_m,
                       seeds=p.by_mode("scaling_seeds", inst.mode), rng=inst.rng(25),
                       max_steps=p.by_mode("scaling_max_steps", inst.mode))
    if res["fit"] is None:
        return undecided_fit("T3", "budget exhausted: the loss did not fall to half its start within "
                                   f"{p.by_mode('scaling_max_steps', inst.mode)} steps at enough α "
                                   "(λ_0 too small for the budget)", res)
    return fit_result("T3", "T3", res["fit"], "V-dominated rate per unit time ∝ (1/α²)^b", inst, p, res, alphas[-1])


@check("T3", level=Level.EMPIRICAL)
def gf_envelope(inst: Instance):
    """T3 (V-dominated GF, α = min(1, α*)/2 unless set): ||f(t) − y||² ≤ exp(−λ_0 t/α²) ||f(0) − y||²,
    λ_min(Λ(t)) ≥ λ_0/(2α²), at a practical width."""
    return envelope_result("T3", "T3", inst, Params.from_instance(inst, "T3"), 13)


@check("T3", level=Level.EMPIRICAL)
def at_threshold(inst: Instance):
    """T3 at its explicit width on the probe instance, for as many GF evaluations as the budget allows."""
    return at_threshold_result("T3", "T3", inst, Params.from_instance(inst, "T3"))


@check("T3", level=Level.EMPIRICAL)
def instance_certificate(inst: Instance):
    """T3 certified for the realized initialization at the explicit width on the probe instance
    (the proof's events measured, its deterministic half applied; result level: certified)."""
    return certificate_result("T3", "T3", inst, Params.from_instance(inst, "T3"))


@check("T3", level=Level.EMPIRICAL, slow=True)
def width_slack(inst: Instance):
    """T3 slack: smallest width at which T3's conclusion held across seeds vs m_V."""
    return slack_result("T3", "T3", inst, Params.from_instance(inst, "T3"))
