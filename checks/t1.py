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

from wnproofs.experiments import crossover, movement_scaling
from wnproofs.outcomes import Kind, Level
from wnproofs.plugin import Instance, check

from ._scaling import _no_A1, _seeds, fit_result, scaling_alphas
from ._theorems import (
    TheoremParams,
    at_threshold_result,
    certificate_result,
    envelope_result,
    slack_result,
)


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
    p = Params.from_instance(inst, "T1")
    alphas = scaling_alphas("T1", inst)
    res = movement_scaling(inst.data.X, inst.data.y, alphas, m=p.scaling_m,
                           seeds=p.by_mode("scaling_seeds", inst.mode), rng=inst.rng(24))
    return fit_result("T1", "T1", res["fit_len"], "V-dominated length movement ∝ α^b", inst, p, res, alphas[-1])


@check("T1", level=Level.EMPIRICAL)
def regime_crossover(inst: Instance):
    """T1/T2 regime split: which of α* = sqrt(λ_0/μ_0) and the paper's α = 1 predicts the measured
    crossover of the initial loss decrease, α_r = sqrt(rᵀV(0)r/rᵀG(0)r) (the α at which the V and
    G parts of −d||r||²/dt = 2rᵀ(V/α² + G)r are equal)?  Judged on α_r's 95% interval over seeds
    (in log): α* decisively closer → ``observed``, α = 1 decisively closer → ``deviates (hypotheses
    unmet)`` (a practical width, far below the explicit threshold: evidence about the mechanism,
    not about T1), otherwise inconclusive.  The lower-bound crossover α_λ = sqrt(λ_min(V(0))/λ_min(G(0)))
    is reported beside it (it tends to α* as m → ∞ by construction, so it decides nothing)."""
    if (bad := _no_A1("T1", inst)) is not None:
        return bad
    from scipy import stats

    from wnproofs.experiments import data_constants, width_threshold
    from wnproofs.outcomes import CheckResult, Status

    m = int(inst.get("m", 2048))
    res = crossover(inst.data.X, inst.data.y, m=m, seeds=_seeds(inst), rng=inst.rng(26))
    a_star = res["alpha_star"]
    logs_r = np.log(np.asarray(res["alpha_loss"], dtype=float))
    k = logs_r.size
    mean = float(np.mean(logs_r))
    half = float(stats.t.ppf(0.975, k - 1) * np.std(logs_r, ddof=1) / math.sqrt(k)) if k > 1 else math.inf
    lo, hi = math.exp(mean - half), math.exp(mean + half)
    ar = math.exp(mean)
    al = float(np.exp(np.mean(np.log(res["alpha_lambda"]))))
    # |log(α/α*)| − |log α| over the interval: < 0 everywhere → α* closer; > 0 everywhere → 1 closer
    def gap(a):
        return abs(math.log(a / a_star)) - abs(math.log(a))
    grid = np.exp(np.linspace(mean - half, mean + half, 201)) if math.isfinite(half) else np.array([ar])
    gaps = [gap(float(a)) for a in grid]
    consts = data_constants(inst.data.X)
    thr, _ = width_threshold("T1", n=inst.data.n, d=inst.data.d, delta=0.1, consts=consts, alpha=0.5,
                             y_max=float(np.max(np.abs(inst.data.y))))
    unmet = [f"m = {m} < explicit width m_V = {thr:.3g} (T1, α = 0.5, δ = 0.1)" if thr else
             f"m = {m}: explicit width unavailable"]
    if max(gaps) < 0:
        status, verdict = Status.OBSERVED, "α* predicts the measured crossover better than α = 1"
    elif min(gaps) > 0:
        status, verdict = Status.DEVIATES, "α = 1 predicts the measured crossover better than α*"
    else:
        status, verdict = Status.INCONCLUSIVE, "the interval of α_r does not separate α* from α = 1"
    lo1, hi1 = res["disagree_interval"]
    msg = (f"{verdict}: loss-based crossover α_r = {ar:.3g} (95% interval [{lo:.3g}, {hi:.3g}] over {k} seeds, "
           f"m = {m}), α* = {a_star:.3g}, paper α = 1; lower-bound crossover α_λ = {al:.3g} (→ α* as m → ∞ "
           f"by construction).")
    if a_star > 1:
        msg += (f" The paper's split and α* disagree for α in ({lo1:.3g}, {hi1:.3g}): there the paper calls α "
                f"G-dominated but λ_0/α² > μ_0.")
    d_star, d_one = abs(math.log(ar / a_star)), abs(math.log(ar))
    return CheckResult("T1", status, Kind.UPPER, Level.EMPIRICAL, observed=d_star, bound=d_one,
                       margin=(d_one / d_star) if d_star > 0 else None, message=msg,
                       details=dict(res, alpha_loss_geomean=ar, alpha_loss_interval=[lo, hi],
                                    alpha_lambda_geomean=al, hypotheses_met=False, unmet=unmet,
                                    basis="loss-based crossover α_r"))


@check("T1", level=Level.EMPIRICAL)
def gd_envelope(inst: Instance):
    """T1 (V-dominated GD, α = min(1, α*)/2 unless set): ||f(s) − y||² ≤ (1 − ηλ_0/(2α²))^s ||f(0) − y||² and
    λ_min(Λ(s)) ≥ λ_0/(2α²) along the whole run at a practical width; margin = the worst ratio."""
    return envelope_result("T1", "T1", inst, Params.from_instance(inst, "T1"), 11)


@check("T1", level=Level.EMPIRICAL)
def at_threshold(inst: Instance):
    """T1 at its explicit GD width and step on the probe instance (simulated where the width fits the cap)."""
    return at_threshold_result("T1", "T1", inst, Params.from_instance(inst, "T1"))


@check("T1", level=Level.EMPIRICAL)
def instance_certificate(inst: Instance):
    """T1 certified for the realized initialization at the explicit GD width on the probe instance
    (the proof's events measured, its deterministic half applied; result level: certified)."""
    return certificate_result("T1", "T1", inst, Params.from_instance(inst, "T1"))


@check("T1", level=Level.EMPIRICAL, slow=True)
def width_slack(inst: Instance):
    """T1 slack: smallest width (powers of 2) at which T1's conclusion held across seeds vs m_V."""
    return slack_result("T1", "T1", inst, Params.from_instance(inst, "T1"))
