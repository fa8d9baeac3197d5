"""The hypotheses of the convergence theorems T1-T4 and C1, as the toolkit states them (THEORY.md §8).

This module is where the theorem runs, the checks and the width law read the theorem
table (:mod:`wnproofs.theorems`) and evaluate its explicit constants (the widths and step
bounds of :mod:`wnproofs.bounds`, through the table's rows).

A run of theorem X *meets its hypotheses* when

* **A1** holds for the data (x_i ≠ ±x_j, unit rows, d ≥ 2);
* **width**: m ≥ the explicit threshold (``bounds.m_V`` for T1/T3, ``bounds.m_G`` for T2/T4,
  GD widths for the GD theorems; ``bounds.m_du`` for C1, whose constant is set to 1);
* **step** (GD only): η ≤ the explicit step bound at that width (``bounds.step_bound``;
  C1: Du et al.'s η = λ_H/n², ``bounds.step_du``, constant set to 1);
* **regime**: T1/T3 need α ≤ α* = sqrt(λ_0/μ_0) (V-dominated), T2/T4 need α > α*
  (G-dominated).  The paper splits at α = 1 instead; that split is reported beside it
  (:attr:`Hypotheses.paper_regime`) but is not a hypothesis here: the explicit widths are
  derived for every α, and α* is where the two kernel lower bounds cross (§4).

:func:`assess` returns what was met and, for each unmet hypothesis, by what factor.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Mapping

import numpy as np

from . import kernels
from .errors import InputError, check_positive_int
from .theorems import Theorem
from .theorems import variant as theorem_variant

__all__ = [
    "TheoremSpec",
    "SPECS",
    "Budget",
    "Unmet",
    "Hypotheses",
    "data_constants",
    "explicit_width",
    "explicit_step",
    "regime_ok",
    "paper_regime_ok",
    "default_alpha",
    "assess",
]


# ---------------------------------------------------------------------------- the theorem table

#: The rows a run can name, from THE theorem table (:mod:`wnproofs.theorems`): "C1" is Du et
#: al.'s GD theorem, "C1-GF" their GF theorem.  Regime "V", "G" or "H" (C1), method "GD"/"GF",
#: network "WN"/"standard", the floor κ = λ^∞/2 and the explicit width / step functions.
SPECS: dict[str, Theorem] = {k: theorem_variant(k) for k in ("T1", "T2", "T3", "T4", "C1", "C1-GF")}

#: the former name of a row of the theorem table
TheoremSpec = Theorem


def _spec(variant: str) -> Theorem:
    if variant not in SPECS:
        raise InputError(f"unknown theorem {variant!r}; one of {sorted(SPECS)}")
    return SPECS[variant]


# ---------------------------------------------------------------------------- budgets

@dataclass(frozen=True)
class Budget:
    """What a run may spend: GD steps and GF right-hand-side evaluations, never seconds.

    The verdict of a run is a function of (seed, budget) only, so the budget is part of
    every result, of the JSON and of the sweep store key.
    """

    max_steps: int = 4000
    max_evals: int = 2500

    def __post_init__(self) -> None:
        object.__setattr__(self, "max_steps", check_positive_int(self.max_steps, "max_steps"))
        object.__setattr__(self, "max_evals", check_positive_int(self.max_evals, "max_evals"))

    def to_dict(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------------------- constants and thresholds

def data_constants(X: np.ndarray, d: int | None = None) -> dict[str, float]:
    """λ_0 = λ_min(V^∞), μ_0 = λ_min(G^∞), λ_H = λ_min(H^∞) and α* = sqrt(λ_0/μ_0) (§4), float64.

    ``d`` overrides the ambient dimension of the closed forms (rows of ``X`` padded with
    zeros to d columns: the same angles, the kernels of S^{d−1}).
    """
    X = np.asarray(X, dtype=float)
    if d is not None and d != X.shape[1]:
        if d < X.shape[1]:
            raise InputError(f"d = {d} is below the number of columns {X.shape[1]}")
        X = np.hstack([X, np.zeros((X.shape[0], d - X.shape[1]))])
    lam, mu, lh = kernels.lambda_0(X), kernels.mu_0(X), kernels.lambda_H(X)
    return {"lambda_0": float(lam), "mu_0": float(mu), "lambda_H": float(lh),
            "alpha_star": float(kernels.alpha_star(float(lam), float(mu)))}


def explicit_width(variant: str, *, n: int, delta: float, consts: Mapping[str, float], alpha: float,
                   d: int | None = None, y_max: float | None = None, eta: float | None = None,
                   dps: int | None = None) -> tuple[float | None, str]:
    """The explicit width of ``variant`` (its row's m_V, m_G or m_du with the row's method); None if unavailable.

    ``eta`` (GD theorems of the WN network) is the step the width is computed for (default:
    half the large-width step bound, as in ``bounds.m_V``).
    """
    spec = _spec(variant)
    if consts.get(spec.const) is None:
        return None, f"threshold unavailable ({spec.const} not given)"
    kw = spec.width_kwargs(n=n, delta=delta, consts=consts, alpha=alpha, d=d, y_max=y_max)
    if spec.network == "WN" and spec.method == "GD" and eta is not None:
        kw["eta"] = eta
    if dps is not None:
        kw["dps"] = dps
    return _evaluate(spec.width_name, spec.width_function, kw)


def explicit_step(variant: str, *, n: int, delta: float, consts: Mapping[str, float], alpha: float,
                  m: int | None = None, d: int | None = None, y_max: float | None = None) -> tuple[float | None, str]:
    """The explicit GD step bound at width ``m`` (its row's ``step_bound``; C1: ``step_du``).

    ``m`` = None gives the large-width limit.  GF theorems have no step: (None, note).
    """
    spec = _spec(variant)
    if spec.step_name is None:
        return None, "gradient flow: no step"
    if consts.get(spec.const) is None:
        return None, f"step bound unavailable ({spec.const} not given)"
    kw = spec.step_kwargs(n=n, delta=delta, consts=consts, alpha=alpha, m=m, d=d)
    if spec.network == "WN" and y_max is not None:
        kw["y_max"] = y_max        # the finite-width bound uses B (L3), which depends on max|y_i|
    return _evaluate(spec.step_name, spec.step_function, kw)


def _evaluate(name: str, fn, kw: Mapping[str, Any]) -> tuple[float | None, str]:
    """A bound function of the theorem table as a float, or None with the reason (never a local copy)."""
    try:
        val = float(fn(**kw))
    except (TypeError, ValueError, ArithmeticError) as exc:  # InputError is a ValueError
        return None, f"threshold unavailable (bounds.{name} raised {type(exc).__name__}: {exc})"
    if math.isnan(val):
        return None, f"threshold unavailable (bounds.{name} returned nan)"
    return val, f"bounds.{name}({', '.join(sorted(kw))})"


# ---------------------------------------------------------------------------- regime

def regime_ok(variant: str, alpha: float, alpha_star: float) -> bool:
    """T1/T3: α ≤ α* (V-dominated); T2/T4: α > α* (G-dominated); C1: always (no α)."""
    spec = _spec(variant)
    if spec.regime == "H":
        return True
    if not math.isfinite(alpha_star):
        return False
    return alpha <= alpha_star if spec.regime == "V" else alpha > alpha_star


def paper_regime_ok(variant: str, alpha: float) -> bool:
    """The paper's split: T1/T3 need α < 1, T2/T4 need α > 1 (reported beside α*)."""
    spec = _spec(variant)
    if spec.regime == "H":
        return True
    return alpha < 1 if spec.regime == "V" else alpha > 1


def default_alpha(variant: str, alpha_star: float) -> float:
    """α inside both splits: min(1, α*)/2 for T1/T3, 2·max(1, α*) for T2/T4, 1 for C1."""
    spec = _spec(variant)
    if spec.regime == "H":
        return 1.0
    a = alpha_star if math.isfinite(alpha_star) else 1.0
    return min(1.0, a) / 2 if spec.regime == "V" else 2 * max(1.0, a)


# ---------------------------------------------------------------------------- assessment

@dataclass(frozen=True)
class Unmet:
    """One unmet hypothesis: what was required, what the run had, and the factor between them.

    ``factor`` ≥ 1 says how far off the run was (threshold/m, η/bound, α/α* or α*/α);
    None when there is no ratio (A1, a threshold that could not be evaluated).
    """

    name: str
    required: str
    actual: str
    factor: float | None = None

    def text(self) -> str:
        f = f" (off by a factor {self.factor:.3g})" if self.factor is not None else ""
        return f"{self.name}: needs {self.required}, has {self.actual}{f}"

    def to_dict(self) -> dict:
        return {"name": self.name, "required": self.required, "actual": self.actual,
                "factor": self.factor, "text": self.text()}


@dataclass(frozen=True)
class Hypotheses:
    """The hypotheses of one run and whether each was met."""

    variant: str
    m: int
    alpha: float
    eta: float | None
    threshold: float | None
    threshold_note: str
    step_bound: float | None
    step_note: str
    alpha_star: float
    a1: bool
    unmet: tuple[Unmet, ...] = field(default_factory=tuple)

    @property
    def met(self) -> bool:
        return not self.unmet

    @property
    def paper_regime(self) -> bool:
        return paper_regime_ok(self.variant, self.alpha)

    def summary(self) -> str:
        """One line: 'all hypotheses met' or the unmet ones."""
        if self.met:
            return "all hypotheses met"
        return "unmet: " + "; ".join(u.text() for u in self.unmet)

    def to_dict(self) -> dict[str, Any]:
        return {"hypotheses_met": self.met, "unmet": [u.to_dict() for u in self.unmet],
                "threshold": self.threshold, "threshold_note": self.threshold_note,
                "step_bound": self.step_bound, "step_note": self.step_note,
                "alpha": self.alpha, "alpha_star": self.alpha_star, "eta": self.eta,
                "regime_by_alpha_star": regime_ok(self.variant, self.alpha, self.alpha_star),
                "regime_by_paper": self.paper_regime, "m": self.m, "A1": self.a1}


def assess(variant: str, *, n: int, d: int, m: int, alpha: float, delta: float,
           consts: Mapping[str, float], a1: bool, eta: float | None = None,
           y_max: float | None = None, threshold: tuple[float | None, str] | None = None
           ) -> Hypotheses:
    """Which hypotheses of ``variant`` a run (n, d, m, α, η) meets (see the module docstring).

    ``threshold`` may pass a width already computed (value, note) to save its evaluation.
    """
    spec = _spec(variant)
    a_star = float(consts.get("alpha_star", float("nan")))
    unmet: list[Unmet] = []
    if not a1:
        unmet.append(Unmet("A1", "x_i ≠ ±x_j for i ≠ j", "a parallel or antiparallel pair"))
    eta_w = None
    if spec.method == "GD" and spec.network == "WN" and eta is not None:
        # the GD width depends on η: use the run's η where the large-width step bound allows it,
        # else the toolkit's default (half that bound) and report the step as unmet below
        limit, _ = explicit_step(variant, n=n, delta=delta, consts=consts, alpha=alpha, d=d, y_max=y_max)
        eta_w = eta if limit is not None and eta <= limit else None
    thr, note = threshold if threshold is not None else explicit_width(
        variant, n=n, delta=delta, consts=consts, alpha=alpha, d=d, y_max=y_max, eta=eta_w)
    if thr is None:
        unmet.append(Unmet("width", "m ≥ the explicit threshold", f"m = {m}; {note}"))
    elif not m >= thr:
        unmet.append(Unmet("width", f"m ≥ {thr:.4g}", f"m = {m}", thr / m if math.isfinite(thr) else None))
    sb, sb_note = None, "gradient flow: no step"
    if spec.method == "GD":
        sb, sb_note = explicit_step(variant, n=n, delta=delta, consts=consts, alpha=alpha, m=m, d=d, y_max=y_max)
        if eta is None:
            unmet.append(Unmet("step", "η ≤ the explicit step bound", "no step given"))
        elif sb is None:
            unmet.append(Unmet("step", "η ≤ the explicit step bound", f"η = {eta:.4g}; {sb_note}"))
        elif not eta <= sb:
            unmet.append(Unmet("step", f"η ≤ {sb:.4g}", f"η = {eta:.4g}", eta / sb if sb > 0 else None))
    if not regime_ok(variant, alpha, a_star):
        if spec.regime == "V":
            unmet.append(Unmet("regime", f"α ≤ α* = {a_star:.4g} (V-dominated)", f"α = {alpha:.4g}",
                               alpha / a_star if math.isfinite(a_star) and a_star > 0 else None))
        else:
            unmet.append(Unmet("regime", f"α > α* = {a_star:.4g} (G-dominated)", f"α = {alpha:.4g}",
                               a_star / alpha if math.isfinite(a_star) else None))
    return Hypotheses(variant, int(m), float(alpha), None if eta is None else float(eta), thr, note,
                      sb, sb_note, a_star, bool(a1), tuple(unmet))
