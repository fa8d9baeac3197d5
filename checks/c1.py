"""C1: Un-normalized network (Du et al. 2019).

Statement: m = Ω(n⁶/(λ_H⁴ δ³)): GF rate exp(−λ_H t); GD with η = O(λ_H/n²) at rate (1 − ηλ_H/2)^k; λ_H = λ_min(H^∞) ≥ λ_0 + μ_0.

Kind of claim: upper bound (the residual envelope) and lower bound (the kernel floor λ_min), along a run.

Reference: Du, Zhai, Póczos & Singh, ICLR 2019; THEORY.md §8; the project's own statement is docs/theory.md, section C1.

Hypotheses: A1: x_i ≠ ±x_j for i ≠ j, ||x_i|| = 1, d ≥ 2; m ≥ m_du = n⁶/(λ_H⁴δ³) and (GD) η ≤ λ_H/n², the paper's orders with their implicit constants set to 1 (``bounds.m_du``, ``bounds.step_du``): the toolkit's statement of C1 until its explicit width lands.

Checks: ``gd_envelope``, ``gf_envelope``, ``at_threshold``, ``at_threshold_gf``, ``width_slack``.

What "holds" means: the envelope and the floor held at every recorded step of a run that meets every hypothesis (width ≥ the explicit threshold, step ≤ the explicit step bound, α in the regime by α*, A1) and covered at least half of the predicted decay; the instance certificate holds when the proof closes on the realized initialization at a width meeting the threshold. Outside the hypotheses the outcome is `observed` or `deviates (hypotheses unmet)`, never `fails`; an exhausted budget is `inconclusive` (checks/_theorems.py).

Parameters (``Params``, typed; unknown keys are an error): m, alpha, delta, seeds, max_steps, max_evals (the envelope check), probe_seed, probe_max_steps, probe_max_evals, sim_max_width, cert_neurons (the probe checks), slack_widths, scaling_m, scaling_seeds, scaling_max_steps, slope_tol; defaults and meaning in ``checks._theorems.TheoremParams``.

"""

from __future__ import annotations

from dataclasses import dataclass

from wnproofs.outcomes import Level
from wnproofs.plugin import Instance, check

from ._theorems import TheoremParams, at_threshold_result, envelope_result, slack_result


@dataclass(frozen=True)
class Params(TheoremParams):
    """C1's knobs (every field documented in TheoremParams; α is 1 for the un-normalized network)."""


@check("C1", level=Level.EMPIRICAL)
def gd_envelope(inst: Instance):
    """C1 (Du et al., GD on the un-normalized network): ||f(s) − y||² ≤ (1 − ηλ_H/2)^s ||f(0) − y||² and
    λ_min(H(s)) ≥ λ_H/2 (η = 1/λ_max(H(0)), larger than Du et al.'s η = O(λ_H/n²)), at a practical width."""
    return envelope_result("C1", "C1", inst, Params.from_instance(inst, "C1"), 15)


@check("C1", level=Level.EMPIRICAL)
def gf_envelope(inst: Instance):
    """C1 (Du et al., GF): ||f(t) − y||² ≤ exp(−λ_H t) ||f(0) − y||² and λ_min(H(t)) ≥ λ_H/2, at a practical width."""
    return envelope_result("C1", "C1-GF", inst, Params.from_instance(inst, "C1"), 16)


@check("C1", level=Level.EMPIRICAL)
def at_threshold(inst: Instance):
    """C1 (GD) at m ≥ m_du and η = λ_H/(2n²) ≤ Du et al.'s step on the probe instance."""
    return at_threshold_result("C1", "C1", inst, Params.from_instance(inst, "C1"))


@check("C1", level=Level.EMPIRICAL)
def at_threshold_gf(inst: Instance):
    """C1 (GF) at m ≥ m_du on the probe instance."""
    return at_threshold_result("C1", "C1-GF", inst, Params.from_instance(inst, "C1"))


@check("C1", level=Level.EMPIRICAL, slow=True)
def width_slack(inst: Instance):
    """C1 slack: smallest width at which C1's GD conclusion held across seeds vs m_du."""
    return slack_result("C1", "C1", inst, Params.from_instance(inst, "C1"))
