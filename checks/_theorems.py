"""Empirical checks of the convergence theorems T1-T4 and of Du et al.'s C1 (THEORY.md §8).

Each check trains a network on the instance (GD for T1, T2 and C1; GF for T3, T4 and
C1) and measures, over the whole run,

* the envelope ratio  envelope(s) / ||f(s) − y||²  (T1: (1 − ηλ_0/(2α²))^s ||r(0)||², T2:
  (1 − ημ_0/2)^s ||r(0)||², T3: exp(−λ_0 t/α²) ||r(0)||², T4: exp(−μ_0 t) ||r(0)||², C1:
  (1 − ηλ_H/2)^s ||r(0)||² and exp(−λ_H t) ||r(0)||²), and
* the floor ratio  λ_min(Λ(s)) / floor  (λ_0/(2α²), μ_0/2, λ_H/2);

margin = the worst (smallest) ratio; ≥ 1 means the conclusion held all along.

Width: the theorem's explicit threshold (``wnproofs.bounds.m_V``/``m_G``/``m_du`` through
:func:`wnproofs.sweep.width_threshold`) when it is available and small enough to run
(full mode, ≤ 2^15), else a practical width (quick: m = 2000).  A violation at a width
below the threshold (or with no threshold available) is *inconclusive*, not a failure: the
theorem says nothing there.  When the envelope cannot fall far enough in the step or
evaluation budget (λ_0 or μ_0 tiny), the check says inconclusive and why.
Steps: η = 1/λ_max(Λ(0)) (the theorems' η = O(1/||Λ||)); GF: η_v = η_g = 1, RK45 with
rtol = atol = 1e-6 (see :mod:`wnproofs.dynamics`).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from wnproofs.outcomes import Kind, Level, compare
from wnproofs.plugin import Instance
from wnproofs.sweep import SPECS, data_constants, slack, theorem_run, width_threshold

#: widths at most this are run at the explicit threshold in full mode
FULL_MAX_WIDTH = 2**15


def _budget(inst: Instance) -> dict:
    """Steps (GD) and field evaluations (GF): the only bounds of a run (never the clock)."""
    if inst.mode == "full":
        return dict(max_steps=int(inst.get("max_steps", 40_000)), max_evals=int(inst.get("max_evals", 40_000)))
    return dict(max_steps=int(inst.get("max_steps", 4000)), max_evals=int(inst.get("max_evals", 2500)))


def _run_theorem(variant: str, inst: Instance, stream: int):
    spec = SPECS[variant]
    X, y = inst.data.X, inst.data.y
    n, d = X.shape
    consts = data_constants(X)
    alpha = float(inst.get("alpha", spec.alpha)) if spec.network == "WN" else 1.0
    delta = float(inst.get("delta", 0.1))
    thr, note = width_threshold(variant, n=n, d=d, delta=delta, consts=consts, alpha=alpha,
                                y_max=float(np.max(np.abs(y))))
    if inst.mode == "full" and thr is not None and thr <= FULL_MAX_WIDTH and "m" not in inst.params:
        m, which = max(1, int(-(-thr // 1))), "the explicit threshold"
    else:
        m = int(inst.get("m", 8192 if inst.mode == "full" else 2000))
        which = "a practical width"
    n_seeds = int(inst.get("seeds", 3 if inst.mode == "full" else 1))
    rng = inst.rng(stream)
    runs = [theorem_run(variant, X, y, m=m, seed=rng, alpha=alpha, consts=consts, delta=delta,
                        trace_points=60, **_budget(inst)) for _ in range(n_seeds)]
    return runs, m, which, thr, note, consts, alpha


def _result(claim: str, variant: str, inst: Instance, stream: int):
    spec = SPECS[variant]
    if not inst.data.satisfies_A1:
        sep, i, j = inst.data.min_separation()
        return compare(claim, Kind.LOWER, Level.EMPIRICAL, float("nan"), 1.0, hypothesis_met=False,
                       message=f"A1 fails (x_{i} = ±x_{j}): λ_0 = μ_0 = 0 and no width or envelope applies")
    runs, m, which, thr, note, consts, alpha = _run_theorem(variant, inst, stream)
    worst = min(runs, key=lambda r: (r["margin"] if r["margin"] is not None else float("inf")))
    testable = all(r["testable"] for r in runs)
    margin = worst["margin"]
    meets = thr is not None and m >= thr
    regime_ok = worst["alpha_in_regime"]
    thr_txt = (f"explicit threshold m ≥ {thr:.3g}" if thr is not None else note)
    width_txt = f"m = {m} ({which}; {thr_txt})"
    sb = worst.get("step_bound")
    sb_txt = (f" (explicit step bound η ≤ {sb:.3g} {'met' if worst.get('step_meets_bound') else 'not met: impractical'})"
              if sb is not None else "")
    step_txt = (f"GD η = {worst['eta']:.3g} = 1/λ_max(Λ(0)){sb_txt}, {worst['steps']} steps" if spec.method == "GD"
                else f"GF on [0, {worst.get('T', 0):.3g}] by {worst.get('integrator')} "
                     f"(rtol {worst.get('rtol')}, atol {worst.get('atol')}), {worst.get('nfev')} evaluations")
    details = {
        "variant": variant, "alpha": alpha, "m": m, "width_used": m, "width_choice": which, "threshold": thr,
        "threshold_note": note, "width_meets_threshold": meets, "constants": consts,
        "floor": worst["floor"], "floor_text": spec.floor_text, "envelope_text": spec.envelope_text,
        "runs": [{k: v for k, v in r.items() if k not in ("trajectory", "constants")} for r in runs],
    }
    base = (f"{spec.envelope_text} and λ_min ≥ {spec.floor_text} = {worst['floor']:.3g}: worst envelope ratio "
            f"{_f(worst['worst_envelope_ratio'])}, worst floor ratio {_f(worst['worst_floor_ratio'])} over "
            f"{len(runs)} seed(s); {width_txt}; {step_txt}; α = {alpha:g}")
    if not regime_ok:
        return compare(claim, Kind.LOWER, Level.EMPIRICAL, margin or 0.0, 1.0, hypothesis_met=False,
                       message=f"α = {alpha:g} is outside the theorem's regime; " + base, details=details)
    if not testable:
        why = "; ".join(sorted({r["reason"] for r in runs if not r["testable"]}))
        return compare(claim, Kind.LOWER, Level.EMPIRICAL, margin if margin is not None else 0.0, 1.0,
                       undecided=True, message=f"inconclusive: {why}. Observed on a short run: " + base,
                       details=details)
    if margin is not None and margin >= 1.0:
        return compare(claim, Kind.LOWER, Level.EMPIRICAL, margin, 1.0,
                       message="conclusion observed: " + base, details=details)
    if meets:
        return compare(claim, Kind.LOWER, Level.EMPIRICAL, margin if margin is not None else 0.0, 1.0,
                       message="VIOLATED at a width meeting the explicit threshold: " + base, details=details)
    return compare(claim, Kind.LOWER, Level.EMPIRICAL, margin if margin is not None else 0.0, 1.0,
                   undecided=True,
                   message=("inconclusive: the conclusion was not observed, but at a width below the explicit "
                            "threshold (or with none available) the theorem does not apply; λ_min(Λ(0)) = "
                            f"{worst['lambda_min_0']:.3g} vs floor {worst['floor']:.3g}. " + base),
                   details=details)


def _f(x) -> str:
    return "-" if x is None else f"{x:.3g}"


# ---------------------------------------------------------------------------- slack (full mode)

def _slack_result(claim: str, variant: str, inst: Instance):
    if not inst.data.satisfies_A1:
        return compare(claim, Kind.UPPER, Level.EMPIRICAL, float("nan"), float("inf"), hypothesis_met=False,
                       message="A1 fails: no width suffices")
    X, y = inst.data.X, inst.data.y
    widths = inst.get("slack_widths", [2**k for k in range(4, 15)])
    res = slack(variant, X, y, seeds=int(inst.get("seeds", 3)), widths=widths, seed=inst.seed,
                max_steps=int(inst.get("max_steps", 20_000)), max_evals=int(inst.get("max_evals", 20_000)))
    obs, thr = res["observed_width"], res["threshold"]
    if obs is None:
        # no width found: there is no ratio to report (margin None, not 0)
        return replace(compare(claim, Kind.UPPER, Level.EMPIRICAL, float("inf"),
                               thr if thr is not None else float("inf"), undecided=True,
                       message=f"the conclusion did not hold for every seed at any width ≤ {max(widths)} "
                               f"(or was not testable in budget); {res['threshold_note']}",
                       details=res), margin=None)
    if thr is None:
        return compare(claim, Kind.UPPER, Level.EMPIRICAL, obs, float("inf"), undecided=True,
                       message=f"smallest width at which the conclusion held for all seeds: m = {obs}; "
                               f"{res['threshold_note']}", details=res)
    return compare(claim, Kind.UPPER, Level.EMPIRICAL, obs, thr,
                   message=f"smallest width at which the conclusion held for all seeds: m = {obs}; explicit "
                           f"threshold {thr:.3g}; slack threshold/observed = {thr / obs:.3g}", details=res)
