"""T1: V-dominated convergence (GD).

Statement: α < 1, m ≥ m_V = Ω(n⁴ log(n/δ)/λ_0⁴): λ_min(Λ(s)) ≥ λ_0/(2α²) and ||f(s) − y||² ≤ (1 − ηλ_0/(2α²))^s ||f(0) − y||².

Kind of claim: upper bound (the residual envelope) and lower bound (the kernel floor λ_min), along a run.

Reference: reconstructed from the argument of Dukler, Gu & Montúfar, ICML 2020; THEORY.md §8; the project's own statement is docs/theory.md, section T1.

Hypotheses: A1: x_i ≠ ±x_j for i ≠ j, ||x_i|| = 1, d ≥ 2; α ≤ α* = sqrt(λ_0/μ_0) (the paper: α < 1, reported beside it); m ≥ m_V (GD); η ≤ the explicit step bound (the paper: η = O(1/||Λ||)).

Checks: ``length_movement_scaling``, ``regime_crossover``, ``gd_envelope``, ``at_threshold``, ``instance_certificate``, ``width_slack``.

What "holds" means: the envelope and the floor held at every recorded step of a run that meets every hypothesis (width ≥ the explicit threshold, step ≤ the explicit step bound, α in the regime by α*, A1) and covered at least half of the predicted decay; the instance certificate holds when the proof closes on the realized initialization at a width meeting the threshold. Outside the hypotheses the outcome is `observed` or `deviates (hypotheses unmet)`, never `fails`; an exhausted budget is `inconclusive` (checks/_theorems.py).

Parameters (``Params``, typed; unknown keys are an error): m, alpha, delta, seeds, max_steps, max_evals (the envelope check), probe_seed, probe_max_steps, probe_max_evals, sim_max_width, cert_neurons (the probe checks), slack_widths, scaling_m, scaling_seeds, scaling_max_steps, slope_tol; defaults and meaning in ``checks._theorems.TheoremParams``.

"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from wnproofs.outcomes import Kind, Level, compare
from wnproofs.plugin import Instance, check
from wnproofs.sweep import crossover, movement_scaling

from ._scaling import _no_A1, _seeds, fit_result, scaling_alphas
from ._theorems import TheoremParams, at_threshold_result, certificate_result, envelope_result, slack_result


@dataclass(frozen=True)
class Params(TheoremParams):
    """T1's knobs (every field documented in TheoremParams); ``regime_crossover`` reads ``m`` and ``seeds`` itself."""


@check("T1", level=Level.EMPIRICAL)
def length_movement_scaling(inst: Instance):
    """T1: in the V-dominated regime (α = min(1, α*)/32..1/4) the mean length movement
    |g_k(S) − g_k(0)| after S = 100 GD steps (η = 1/λ_max(Λ(0)) ∝ α²) scales as α²
    (at a practical width: observed / deviates, never a verdict on T1)."""
    if (bad := _no_A1("T1", inst)) is not None:
        return bad
    p = Params.from_instance(inst)
    alphas = scaling_alphas("T1", inst)
    res = movement_scaling(inst.data.X, inst.data.y, alphas, m=p.scaling_m,
                           seeds=p.by_mode("scaling_seeds", inst.mode), rng=inst.rng(24))
    return fit_result("T1", "T1", res["fit_len"], "V-dominated length movement ∝ α^b", inst, p, res, alphas[-1])


@check("T1", level=Level.EMPIRICAL)
def regime_crossover(inst: Instance):
    """T1/T2 regime split: does α* = sqrt(λ_0/μ_0) or the paper's α = 1 predict the finite-width
    crossover α_λ = sqrt(λ_min(V(0))/λ_min(G(0)))?  Holds when α* is at least as close (in log).
    The interval between 1 and α*, where the two splits disagree, is reported."""
    if (bad := _no_A1("T1", inst)) is not None:
        return bad
    res = crossover(inst.data.X, inst.data.y, m=int(inst.get("m", 2048)), seeds=_seeds(inst), rng=inst.rng(26))
    a_star = res["alpha_star"]
    al = float(np.exp(np.mean(np.log(res["alpha_lambda"]))))
    ar = float(np.exp(np.mean(np.log(res["alpha_loss"]))))
    d_star, d_one = abs(math.log(al / a_star)), abs(math.log(al))
    lo, hi = res["disagree_interval"]
    msg = (f"α* = {a_star:.3g}; finite-width crossover of the lower bounds α_λ = {al:.3g} (geometric mean over "
           f"seeds, m = {res['m']}); crossover of the initial loss decrease α_r = {ar:.3g}. The paper (split at "
           f"α = 1) and α* disagree for α in ({lo:.3g}, {hi:.3g}): there the paper calls α G-dominated but "
           f"λ_0/α² > μ_0." if a_star > 1 else "")
    return compare("T1", Kind.UPPER, Level.EMPIRICAL, d_star, d_one, undecided=abs(math.log(a_star)) < 0.1,
                   message=msg + f" |log(α_λ/α*)| = {d_star:.3g} vs |log α_λ| = {d_one:.3g}",
                   details=dict(res, alpha_lambda_geomean=al, alpha_loss_geomean=ar))


@check("T1", level=Level.EMPIRICAL)
def gd_envelope(inst: Instance):
    """T1 (V-dominated GD, α = min(1, α*)/2 unless set): ||f(s) − y||² ≤ (1 − ηλ_0/(2α²))^s ||f(0) − y||² and
    λ_min(Λ(s)) ≥ λ_0/(2α²) along the whole run at a practical width; margin = the worst ratio."""
    return envelope_result("T1", "T1", inst, Params.from_instance(inst), 11)


@check("T1", level=Level.EMPIRICAL)
def at_threshold(inst: Instance):
    """T1 at its explicit GD width and step on the probe instance (simulated where the width fits the cap)."""
    return at_threshold_result("T1", "T1", inst, Params.from_instance(inst))


@check("T1", level=Level.EMPIRICAL)
def instance_certificate(inst: Instance):
    """T1 certified for the realized initialization at the explicit GD width on the probe instance
    (the proof's events measured, its deterministic half applied; result level: certified)."""
    return certificate_result("T1", "T1", inst, Params.from_instance(inst))


@check("T1", level=Level.EMPIRICAL, slow=True)
def width_slack(inst: Instance):
    """T1 slack: smallest width (powers of 2) at which T1's conclusion held across seeds vs m_V."""
    return slack_result("T1", "T1", inst, Params.from_instance(inst))
