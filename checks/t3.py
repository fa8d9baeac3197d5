"""T3: V-dominated convergence (GF).

Statement: ||f(t) − y||² ≤ exp(−λ_0 t/α²) ||f(0) − y||² at the widths of T1.

Kind of claim: upper bound (the residual envelope) and lower bound (the kernel floor λ_min), along a run.

Reference: reconstructed from the argument of Dukler, Gu & Montúfar, ICML 2020; THEORY.md §8; the project's own statement is docs/theory.md, section T3.

Hypotheses: A1: x_i ≠ ±x_j for i ≠ j, ||x_i|| = 1, d ≥ 2; α < 1.

Checks: ``rate_alpha_scaling``, ``gf_envelope``, ``width_slack``.

What "holds" means: the envelope and the floor held at every recorded step of a run that meets every hypothesis (width ≥ the explicit threshold, step ≤ the explicit step bound, α in the regime, A1); outside the hypotheses the outcome is `observed` or `deviates (hypotheses unmet)`.

"""

from __future__ import annotations

from wnproofs.outcomes import Kind, Level, compare
from wnproofs.plugin import Instance, check
from wnproofs.sweep import data_constants, rate_scaling

from ._scaling import _fit_result, _no_A1, _seeds
from ._theorems import _result, _slack_result


@check("T3", level=Level.EMPIRICAL)
def rate_alpha_scaling(inst: Instance):
    """T3: the convergence rate per unit time ∝ (1/α²)^b with b = 1 in the V-dominated regime
    (α = min(1, α*)·{1/8, 1/4, 1/2}; one small step for all α, so GD tracks GF)."""
    if (bad := _no_A1("T3", inst)) is not None:
        return bad
    base = min(data_constants(inst.data.X)["alpha_star"], 1.0)
    res = rate_scaling(inst.data.X, inst.data.y, [base / 8, base / 4, base / 2], m=int(inst.get("m", 512)),
                       seeds=_seeds(inst), rng=inst.rng(25), max_steps=int(inst.get("max_steps", 3000)))
    if res["fit"] is None:
        return compare("T3", Kind.IDENTITY, Level.EMPIRICAL, float("inf"), 1.0, undecided=True,
                       message="the loss did not fall to half its start within the step budget at enough α "
                               "(λ_0 too small for the budget)", details=res)
    return _fit_result("T3", res["fit"], "V-dominated rate per unit time ∝ (1/α²)^b", inst, res)


@check("T3", level=Level.EMPIRICAL)
def gf_envelope(inst: Instance):
    """T3 (V-dominated GF, α = 0.5): ||f(t) − y||² ≤ exp(−λ_0 t/α²) ||f(0) − y||², λ_min(Λ(t)) ≥ λ_0/(2α²)."""
    return _result("T3", "T3", inst, 13)


@check("T3", level=Level.EMPIRICAL, slow=True)
def width_slack(inst: Instance):
    """T3 slack: smallest width at which T3's conclusion held across seeds vs m_V."""
    return _slack_result("T3", "T3", inst)
