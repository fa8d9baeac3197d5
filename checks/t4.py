"""T4: G-dominated convergence (GF).

Statement: ||f(t) − y||² ≤ exp(−μ_0 t) ||f(0) − y||² at the widths of T2.

Kind of claim: upper bound (the residual envelope) and lower bound (the kernel floor λ_min), along a run.

Reference: Dukler, Gu & Montúfar, ICML 2020 (restated by FedBN, Li et al., ICLR 2021); THEORY.md §8; the project's own statement is docs/theory.md, section T4.

Hypotheses: A1: x_i ≠ ±x_j for i ≠ j, ||x_i|| = 1, d ≥ 2; α > 1.

Checks: ``direction_movement_scaling_gf``, ``gf_envelope``, ``width_slack``.

What "holds" means: the envelope and the floor held at every recorded step of a run that meets every hypothesis (width ≥ the explicit threshold, step ≤ the explicit step bound, α in the regime, A1); outside the hypotheses the outcome is `observed` or `deviates (hypotheses unmet)`.

"""

from __future__ import annotations

from wnproofs.outcomes import Level
from wnproofs.plugin import Instance, check
from wnproofs.sweep import movement_scaling

from ._scaling import _alphas_G, _fit_result, _no_A1, _seeds
from ._theorems import _result, _slack_result


@check("T4", level=Level.EMPIRICAL)
def direction_movement_scaling_gf(inst: Instance):
    """T4: as T2's scaling, with GF's time scale (GD with η ∝ 1/λ_max(Λ(0)) approximates GF);
    the direction movement ∝ α^(−2) in the G-dominated regime."""
    if (bad := _no_A1("T4", inst)) is not None:
        return bad
    res = movement_scaling(inst.data.X, inst.data.y, _alphas_G(inst), m=int(inst.get("m", 512)),
                           steps=200, seeds=_seeds(inst), rng=inst.rng(23))
    return _fit_result("T4", res["fit_dir"], "G-dominated direction movement (200 steps) ∝ α^b", inst, res)


@check("T4", level=Level.EMPIRICAL)
def gf_envelope(inst: Instance):
    """T4 (G-dominated GF, α = 2): ||f(t) − y||² ≤ exp(−μ_0 t) ||f(0) − y||², λ_min(Λ(t)) ≥ μ_0/2."""
    return _result("T4", "T4", inst, 14)


@check("T4", level=Level.EMPIRICAL, slow=True)
def width_slack(inst: Instance):
    """T4 slack: smallest width at which T4's conclusion held across seeds vs m_G."""
    return _slack_result("T4", "T4", inst)
