"""Scaling observations: fitted exponents with t-intervals over seeds (evidence about the mechanism).

* L2: the initial Gram error ||V(0) − V^∞||_2, ||G(0) − G^∞||_2 scales as m^(−1/2).
* T2/T4: in the G-dominated regime (α ≫ α*) directions move by O(α^(−2)).
* T1/T3: in the V-dominated regime (α ≪ min(1, α*)) lengths move by O(α²), and the
  convergence rate per unit time scales as 1/α².
* T1: the regime crossover: the paper splits at α = 1, the kernel bounds at α* = sqrt(λ_0/μ_0);
  at finite width the lower bounds cross at α_λ = sqrt(λ_min(V(0))/λ_min(G(0))).

The theorem fits run at a practical width (``scaling_m``, default 512), ten or more orders
of magnitude below the explicit thresholds, so they are never a verdict on a theorem: a
predicted exponent inside the 95% t-interval of the per-seed slopes widened by
``slope_tol`` (default 0.15, for the finite distance from the asymptotic regime) is
``observed``; outside it, ``deviates (hypotheses unmet)`` with the numbers.  Margin =
(half-width + tol) ÷ |slope − expected| (kind identity).
"""

from __future__ import annotations

from wnproofs.hypotheses import Unmet, data_constants, default_alpha, explicit_width
from wnproofs.outcomes import Kind, Level, Status, compare
from wnproofs.plugin import Instance

from ._theorems import TheoremParams, outcome


def _width_unmet(variant: str, inst: Instance, m: int, alpha: float, delta: float) -> list[dict]:
    """The width hypothesis of ``variant`` at the scaling width (the fits are far below it)."""
    X, y = inst.data.X, inst.data.y
    consts = data_constants(X)
    thr, note = explicit_width(variant, n=X.shape[0], delta=delta, consts=consts, alpha=alpha, d=X.shape[1],
                               y_max=float(max(abs(y))))
    if thr is not None and m >= thr:
        return []
    return [Unmet("width", f"m ≥ {thr:.4g}" if thr is not None else "m ≥ the explicit threshold", f"m = {m}",
                  thr / m if thr is not None else None).to_dict()]


def fit_result(claim: str, variant: str, fit: dict, what: str, inst: Instance, params: TheoremParams,
               details: dict, alpha_ref: float):
    """observed / deviates (never holds or fails): a fitted exponent against the predicted one."""
    tol = params.slope_tol
    slope, (lo, hi), exp = fit["slope"], fit["ci"], fit["expected"]
    half = (hi - lo) / 2
    err = abs(slope - exp)
    ok_bound = half + tol
    m = int(details.get("m", params.scaling_m))
    unmet = _width_unmet(variant, inst, m, alpha_ref, params.delta)
    inside = err <= ok_bound
    if unmet:
        status = Status.OBSERVED if inside else Status.DEVIATES
        reason = ("scaling law observed" if inside else "scaling law deviates") + \
            " at a width below the explicit threshold (evidence about the mechanism, not a verdict); " + \
            unmet[0]["text"]
    else:
        status = Status.HOLDS if inside else Status.FAILS
        reason = "scaling law " + ("seen" if inside else "violated") + " at a width meeting the explicit threshold"
    body = (f"{what}: fitted exponent {slope:.3f}, 95% t-interval [{lo:.3f}, {hi:.3f}] over "
            f"{len(fit['per_seed'])} seeds; predicted {exp:g} (allowance {tol:g})")
    base = compare(claim, Kind.IDENTITY, Level.EMPIRICAL, err, ok_bound)
    return outcome(claim, Kind.IDENTITY, Level.EMPIRICAL, err, ok_bound, status, reason, body, details,
                   hypotheses_met=not unmet, unmet=unmet, margin=base.margin)


def undecided_fit(claim: str, why: str, details: dict):
    """A fit that could not be made within the budget: inconclusive."""
    return outcome(claim, Kind.IDENTITY, Level.EMPIRICAL, None, 1.0, Status.INCONCLUSIVE, why, "", details,
                   hypotheses_met=False, unmet=[])


def scaling_alphas(variant: str, inst: Instance) -> list[float]:
    """α grid of the movement fits: V-dominated min(1, α*)·{1/32 ... 1/4}, G-dominated max(1, α*)·{4 ... 32}."""
    a = data_constants(inst.data.X)["alpha_star"]
    if variant in ("T1", "T3"):
        base = min(a, 1.0)
        return [base * k for k in (1 / 32, 1 / 16, 1 / 8, 1 / 4)]
    base = max(a, 1.0)
    return [base * k for k in (4, 8, 16, 32)]


def _fit_result(claim: str, fit: dict, what: str, inst: Instance, details: dict, tol: float | None = None):
    """A fit as holds / fails by the t-interval widened by ``tol`` (default the parameter
    ``slope_tol``, 0.15): L2's Gram-error rate, a statement about the initialization with no
    width hypothesis."""
    tol = float(inst.get("slope_tol", 0.15)) if tol is None else float(tol)
    slope, (lo, hi), exp = fit["slope"], fit["ci"], fit["expected"]
    half = (hi - lo) / 2
    return compare(claim, Kind.IDENTITY, Level.EMPIRICAL, abs(slope - exp), half + tol,
                   message=f"{what}: fitted exponent {slope:.3f}, 95% t-interval [{lo:.3f}, {hi:.3f}] over "
                           f"{len(fit['per_seed'])} seeds; predicted {exp:g} (tolerance {tol:g})",
                   details=details)


def _no_A1(claim: str, inst: Instance):
    """HYPOTHESIS_NOT_MET when A1 fails (α* = sqrt(λ_0/μ_0) is undefined), else None."""
    if inst.data.satisfies_A1:
        return None
    return compare(claim, Kind.IDENTITY, Level.EMPIRICAL, float("nan"), 1.0, hypothesis_met=False,
                   message="A1 fails: λ_0 = μ_0 = 0, the regimes are undefined",
                   details={"hypotheses_met": False, "reason": "A1 fails",
                            "unmet": [Unmet("A1", "x_i ≠ ±x_j for i ≠ j", "a parallel pair").to_dict()]})


def _seeds(inst: Instance) -> int:
    """Seeds of t1.regime_crossover (kept for it; the theorem modules use their Params)."""
    return int(inst.get("seeds", 8 if inst.mode == "full" else 5))


__all__ = ["fit_result", "undecided_fit", "scaling_alphas", "default_alpha"]
