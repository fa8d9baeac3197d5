"""C1: Un-normalized network (Du et al. 2019).

Statement: m = Ω(n⁶/(λ_H⁴ δ³)): GF rate exp(−λ_H t); GD with η = O(λ_H/n²) at rate (1 − ηλ_H/2)^k; λ_H = λ_min(H^∞) ≥ λ_0 + μ_0.

Kind of claim: upper bound (the residual envelope) and lower bound (the kernel floor λ_min), along a run.

Reference: Du, Zhai, Póczos & Singh, ICLR 2019; THEORY.md §8; the project's own statement is docs/theory.md, section C1.

Hypotheses: A1: x_i ≠ ±x_j for i ≠ j, ||x_i|| = 1, d ≥ 2.

Checks: ``gd_envelope``, ``gf_envelope``, ``width_slack``.

What "holds" means: the envelope and the floor held at every recorded step of a run that meets every hypothesis (width ≥ the explicit threshold, step ≤ the explicit step bound, α in the regime, A1); outside the hypotheses the outcome is `observed` or `deviates (hypotheses unmet)`.

"""

from __future__ import annotations

from wnproofs.outcomes import Level
from wnproofs.plugin import Instance, check

from ._theorems import _result, _slack_result


@check("C1", level=Level.EMPIRICAL)
def gd_envelope(inst: Instance):
    """C1 (Du et al., GD on the un-normalized network): ||f(s) − y||² ≤ (1 − ηλ_H/2)^s ||f(0) − y||² and
    λ_min(H(s)) ≥ λ_H/2 (η = 1/λ_max(H(0)), larger than Du et al.'s η = O(λ_H/n²))."""
    return _result("C1", "C1", inst, 15)


@check("C1", level=Level.EMPIRICAL)
def gf_envelope(inst: Instance):
    """C1 (Du et al., GF): ||f(t) − y||² ≤ exp(−λ_H t) ||f(0) − y||² and λ_min(H(t)) ≥ λ_H/2."""
    return _result("C1", "C1-GF", inst, 16)


@check("C1", level=Level.EMPIRICAL, slow=True)
def width_slack(inst: Instance):
    """C1 slack: smallest width at which C1's GD conclusion held across seeds vs m_du."""
    return _slack_result("C1", "C1", inst)
