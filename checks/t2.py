"""T2: G-dominated convergence (GD).

Statement: α > 1, m ≥ m_G = Ω(max{n⁴ log(n/δ)/(α⁴μ_0⁴), n² log(n/δ)/μ_0²}): λ_min(Λ(s)) ≥ μ_0/2 and ||f(s) − y||² ≤ (1 − ημ_0/2)^s ||f(0) − y||².

Kind of claim: upper bound (the residual envelope) and lower bound (the kernel floor λ_min), along a run.

Reference: Dukler, Gu & Montúfar, ICML 2020 (restated by FedBN, Li et al., ICLR 2021); THEORY.md §8; the project's own statement is docs/theory.md, section T2.

Hypotheses: A1: x_i ≠ ±x_j for i ≠ j, ||x_i|| = 1, d ≥ 2; α > 1; η = O(1/||Λ||).

Checks: ``direction_movement_scaling``, ``gd_envelope``, ``width_slack``.

What "holds" means: the envelope and the floor held at every recorded step of a run that meets every hypothesis (width ≥ the explicit threshold, step ≤ the explicit step bound, α in the regime, A1); outside the hypotheses the outcome is `observed` or `deviates (hypotheses unmet)`.

"""

from __future__ import annotations

from wnproofs.outcomes import Level
from wnproofs.plugin import Instance, check
from wnproofs.sweep import movement_scaling

from ._scaling import _alphas_G, _fit_result, _no_A1, _seeds
from ._theorems import _result, _slack_result


@check("T2", level=Level.EMPIRICAL)
def direction_movement_scaling(inst: Instance):
    """T2: in the G-dominated regime (α = 4..32·max(1, α*)) the mean direction movement
    ||u_k(S) − u_k(0)|| after S = 100 GD steps (η = 1/λ_max(Λ(0))) scales as α^(−2)."""
    if (bad := _no_A1("T2", inst)) is not None:
        return bad
    res = movement_scaling(inst.data.X, inst.data.y, _alphas_G(inst), m=int(inst.get("m", 512)),
                           seeds=_seeds(inst), rng=inst.rng(22))
    return _fit_result("T2", res["fit_dir"], "G-dominated direction movement ∝ α^b", inst, res)


@check("T2", level=Level.EMPIRICAL)
def gd_envelope(inst: Instance):
    """T2 (G-dominated GD, α = 2): ||f(s) − y||² ≤ (1 − ημ_0/2)^s ||f(0) − y||² and λ_min(Λ(s)) ≥ μ_0/2."""
    return _result("T2", "T2", inst, 12)


@check("T2", level=Level.EMPIRICAL, slow=True)
def width_slack(inst: Instance):
    """T2 slack: smallest width at which T2's conclusion held across seeds vs m_G."""
    return _slack_result("T2", "T2", inst)
