"""Scaling observations (empirical): fitted exponents with t-intervals over seeds.

* L2: the initial Gram error ||V(0) − V^∞||_2, ||G(0) − G^∞||_2 scales as m^(−1/2).
* T2/T4: in the G-dominated regime (α ≫ α*) directions move by O(α^(−2)).
* T1/T3: in the V-dominated regime (α ≪ min(1, α*)) lengths move by O(α²), and the
  convergence rate per unit time scales as 1/α².
* T1: the regime crossover: the paper splits at α = 1, the kernel bounds at α* = sqrt(λ_0/μ_0);
  at finite width the lower bounds cross at α_λ = sqrt(λ_min(V(0))/λ_min(G(0))).

Verdict of a fit: holds when the predicted exponent lies in the 95% t-interval of the
per-seed slopes widened by ``tol`` (default 0.15, for the finite distance from the
asymptotic regime: the laws are limits α/α* → ∞ or → 0, m → ∞); fails otherwise.
Margin = (half-width + tol) ÷ |slope − expected| (kind identity).
"""

from __future__ import annotations

from wnproofs.outcomes import Kind, Level, compare
from wnproofs.plugin import Instance
from wnproofs.sweep import data_constants


def _fit_result(claim: str, fit: dict, what: str, inst: Instance, details: dict, tol: float | None = None):
    tol = float(inst.get("slope_tol", 0.15)) if tol is None else float(tol)
    slope, (lo, hi), exp = fit["slope"], fit["ci"], fit["expected"]
    half = (hi - lo) / 2
    err = abs(slope - exp)
    ok_bound = half + tol
    return compare(claim, Kind.IDENTITY, Level.EMPIRICAL, err, ok_bound,
                   message=f"{what}: fitted exponent {slope:.3f}, 95% t-interval [{lo:.3f}, {hi:.3f}] over "
                           f"{len(fit['per_seed'])} seeds; predicted {exp:g} (tolerance {tol:g})",
                   details=details)


def _no_A1(claim: str, inst: Instance):
    """HYPOTHESIS_NOT_MET when A1 fails (α* = sqrt(λ_0/μ_0) is undefined), else None."""
    if inst.data.satisfies_A1:
        return None
    return compare(claim, Kind.IDENTITY, Level.EMPIRICAL, float("nan"), 1.0, hypothesis_met=False,
                   message="A1 fails: λ_0 = μ_0 = 0, the regimes are undefined")


def _seeds(inst: Instance) -> int:
    return int(inst.get("seeds", 8 if inst.mode == "full" else 5))


def _alphas_G(inst: Instance) -> list[float]:
    a = data_constants(inst.data.X)["alpha_star"]
    base = max(a, 1.0)
    return [base * k for k in (4, 8, 16, 32)]


def _alphas_V(inst: Instance) -> list[float]:
    a = data_constants(inst.data.X)["alpha_star"]
    base = min(a, 1.0)
    return [base * k for k in (1 / 32, 1 / 16, 1 / 8, 1 / 4)]
