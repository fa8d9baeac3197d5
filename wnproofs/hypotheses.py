"""The hypotheses of the convergence theorems T1-T4 and C1, as the toolkit states them (THEORY.md §8).

This module is the one place where the theorem runs, the instance certificates and the
width law meet the explicit constants of :mod:`wnproofs.bounds` (the adapter: when the
theorem table ``wnproofs.theorems`` lands, :data:`SPECS` and the two threshold functions
below are the only things to switch).

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


# ---------------------------------------------------------------------------- the theorem table (adapter)

@dataclass(frozen=True)
class TheoremSpec:
    """What a theorem claims, in one line each (THEORY.md §8).

    floor κ on λ_min of the kernel along the run; envelope (1 − ηκ)^s ||r(0)||² for GD and
    exp(−2κt) ||r(0)||² for GF; ``const`` names the data constant κ is built from.
    """

    claim: str
    method: str          # "gd" | "gf"
    model: str           # "wn" | "unnormalized"
    regime: str          # "V" | "G" | "" (C1)
    const: str           # "lambda_0" | "mu_0" | "lambda_H"
    threshold: str       # name of the width function in wnproofs.bounds
    floor_text: str
    envelope_text: str

    def floor(self, consts: Mapping[str, float], alpha: float) -> float:
        """κ: λ_0/(2α²) (V-dominated), μ_0/2 (G-dominated), λ_H/2 (C1)."""
        c = float(consts[self.const])
        return c / (2 * alpha**2) if self.const == "lambda_0" else c / 2


SPECS: dict[str, TheoremSpec] = {
    "T1": TheoremSpec("T1", "gd", "wn", "V", "lambda_0", "m_V", "λ_0/(2α²)",
                      "(1 − ηλ_0/(2α²))^s ||r(0)||²"),
    "T2": TheoremSpec("T2", "gd", "wn", "G", "mu_0", "m_G", "μ_0/2", "(1 − ημ_0/2)^s ||r(0)||²"),
    "T3": TheoremSpec("T3", "gf", "wn", "V", "lambda_0", "m_V", "λ_0/(2α²)",
                      "exp(−λ_0 t/α²) ||r(0)||²"),
    "T4": TheoremSpec("T4", "gf", "wn", "G", "mu_0", "m_G", "μ_0/2", "exp(−μ_0 t) ||r(0)||²"),
    "C1": TheoremSpec("C1", "gd", "unnormalized", "", "lambda_H", "m_du", "λ_H/2",
                      "(1 − ηλ_H/2)^s ||r(0)||²"),
    "C1-GF": TheoremSpec("C1", "gf", "unnormalized", "", "lambda_H", "m_du", "λ_H/2",
                         "exp(−λ_H t) ||r(0)||²"),
}


def _spec(variant: str) -> TheoremSpec:
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
            "alpha_star": float(math.sqrt(lam / mu)) if lam > 0 and mu > 0 else float("nan")}


def _call_bound(name: str, **kw) -> tuple[float | None, str]:
    """``wnproofs.bounds.<name>(**kw)`` as a float, or None with the reason (never a local copy)."""
    from . import bounds

    args = {k: v for k, v in kw.items() if v is not None}
    try:
        val = float(getattr(bounds, name)(**args))
    except (TypeError, ValueError, ArithmeticError) as exc:  # InputError is a ValueError
        return None, f"threshold unavailable (bounds.{name} raised {type(exc).__name__}: {exc})"
    if math.isnan(val):
        return None, f"threshold unavailable (bounds.{name} returned nan)"
    return val, f"bounds.{name}({', '.join(sorted(args))})"


def explicit_width(variant: str, *, n: int, delta: float, consts: Mapping[str, float], alpha: float,
                   d: int | None = None, y_max: float | None = None, eta: float | None = None,
                   dps: int | None = None) -> tuple[float | None, str]:
    """The explicit width of ``variant`` (m_V, m_G with the GD or GF conditions, or m_du); None if unavailable.

    ``eta`` (GD theorems) is the step the width is computed for (default: half the
    large-width step bound, as in ``bounds.m_V``).
    """
    spec = _spec(variant)
    if spec.threshold == "m_du":
        if consts.get("lambda_H") is None:
            return None, "threshold unavailable (λ_H not given)"
        return _call_bound("m_du", n=n, delta=delta, lambda_H=consts["lambda_H"], dps=dps)
    if consts.get(spec.const) is None:
        return None, f"threshold unavailable ({spec.const} not given)"
    return _call_bound(spec.threshold, n=n, d=d, delta=delta, alpha=alpha, y_max=y_max,
                       method=spec.method.upper(), eta=eta if spec.method == "gd" else None, dps=dps,
                       **{spec.const: consts[spec.const]})


def explicit_step(variant: str, *, n: int, delta: float, consts: Mapping[str, float], alpha: float,
                  m: int | None = None, d: int | None = None, y_max: float | None = None) -> tuple[float | None, str]:
    """The explicit GD step bound at width ``m`` (``bounds.step_bound``; C1: ``bounds.step_du``).

    ``m`` = None gives the large-width limit.  GF theorems have no step: (None, note).
    """
    spec = _spec(variant)
    if spec.method != "gd":
        return None, "gradient flow: no step"
    if spec.const == "lambda_H":
        if consts.get("lambda_H") is None:
            return None, "step bound unavailable (λ_H not given)"
        return _call_bound("step_du", n=n, lambda_H=consts["lambda_H"])
    if consts.get(spec.const) is None:
        return None, f"step bound unavailable ({spec.const} not given)"
    return _call_bound("step_bound", n=n, d=d, m=m, delta=delta, alpha=alpha, y_max=y_max,
                       regime=spec.regime, **{spec.const: consts[spec.const]})


# ---------------------------------------------------------------------------- regime

def regime_ok(variant: str, alpha: float, alpha_star: float) -> bool:
    """T1/T3: α ≤ α* (V-dominated); T2/T4: α > α* (G-dominated); C1: always (no α)."""
    spec = _spec(variant)
    if spec.regime == "":
        return True
    if not math.isfinite(alpha_star):
        return False
    return alpha <= alpha_star if spec.regime == "V" else alpha > alpha_star


def paper_regime_ok(variant: str, alpha: float) -> bool:
    """The paper's split: T1/T3 need α < 1, T2/T4 need α > 1 (reported beside α*)."""
    spec = _spec(variant)
    if spec.regime == "":
        return True
    return alpha < 1 if spec.regime == "V" else alpha > 1


def default_alpha(variant: str, alpha_star: float) -> float:
    """α inside both splits: min(1, α*)/2 for T1/T3, 2·max(1, α*) for T2/T4, 1 for C1."""
    spec = _spec(variant)
    if spec.regime == "":
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
    if spec.method == "gd" and spec.model == "wn" and eta is not None:
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
    if spec.method == "gd":
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
