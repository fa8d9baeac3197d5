"""THE theorem table: T1-T4 and C1 (its GD and GF variants explicit), one frozen row each.

Every consumer (theorem runs and sweeps, the checks, the report, the CLI) reads these rows;
nothing else states a theorem's method, regime, floor, rate, width or step bound.  The
widths and step bounds are the functions of :mod:`wnproofs.bounds.thresholds`; the floor
and the rate are the ones the closure of the argument proves (``derivations/convergence.py``
evaluates every row's floor, rate, width and step bound against its derived chain).

THEORY.md §8: the theorems are stated for GD with one step η for v and g (T1, T2), their GF
counterparts are T3, T4; C1 is Du et al. (2019)'s un-normalized network, whose paper states
both a GF (Thm 3.2) and a GD (Thm 4.1) result: the rows ``C1-GF`` and ``C1-GD``.  The claim
id "C1" alone means the GD row (what the theorem checks and sweeps run).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Mapping

from . import bounds as _bounds
from .errors import InputError

__all__ = ["Theorem", "THEOREMS", "BY_KEY", "ALIASES", "PRIMARY", "variant", "for_claim"]


@dataclass(frozen=True)
class Theorem:
    """One theorem of THEORY.md §8 as data.

    key : row name ("T1" .. "T4", "C1-GD", "C1-GF"); claim : its claim id.
    regime : "V" (V-dominated, λ^∞ = λ_0/α²), "G" (μ_0) or "H" (Du et al.: λ_H).
    method : "GD" or "GF"; network : "WN" or "standard" (Du et al.'s un-normalized net).
    const : the data constant of the floor ("lambda_0", "mu_0", "lambda_H").
    alpha : a reference α inside the regime (T1/T3 need α < 1, T2/T4 α > 1; C1 has none).
    floor_text, rate_text, envelope_text : the conclusion in words.
    width_name, step_name : the functions of :mod:`wnproofs.bounds` giving the explicit width
        and GD step bound (step_name None for GF).
    order_tex : the order of magnitude THEORY.md states for the width (TeX).
    """

    key: str
    claim: str
    regime: str
    method: str
    network: str
    const: str
    alpha: float
    floor_text: str
    rate_text: str
    envelope_text: str
    width_name: str
    step_name: str | None
    order_tex: str

    # -- the conclusion ------------------------------------------------------------

    def lam_inf(self, consts: Mapping[str, float], alpha: float) -> float:
        """λ^∞: λ_0/α² (V), μ_0 (G) or λ_H (H)."""
        c = float(consts[self.const])
        return c / alpha**2 if self.regime == "V" else c

    def floor(self, consts: Mapping[str, float], alpha: float) -> float:
        """The kernel floor κ = λ^∞/2 the theorem asserts for λ_min along the run."""
        return self.lam_inf(consts, alpha) / 2

    def envelope(self, s, consts: Mapping[str, float], alpha: float, eta: float | None = None):
        """The rate: ||f(s) − y||² ≤ envelope(s)·||f(0) − y||²: (1 − ηκ)^s (GD), e^{−2κt} (GF)."""
        kappa = self.floor(consts, alpha)
        if self.method == "GD":
            if eta is None:
                raise InputError(f"{self.key} is a GD theorem: its rate needs the step η")
            return (1.0 - eta * kappa) ** s
        import numpy as np

        return np.exp(-2.0 * kappa * np.asarray(s, dtype=float)) if not isinstance(s, (int, float)) \
            else math.exp(-2.0 * kappa * s)

    # -- the explicit constants --------------------------------------------------------

    @property
    def width_function(self) -> Callable:
        return getattr(_bounds, self.width_name)

    @property
    def step_function(self) -> Callable | None:
        return getattr(_bounds, self.step_name) if self.step_name else None

    def width_kwargs(self, *, n: int, delta: float, consts: Mapping[str, float], alpha: float,
                     d: int | None = None, y_max: float | None = None) -> dict:
        """Keyword arguments of :attr:`width_function` for this row (None values left out)."""
        kw = {"n": n, "delta": delta, self.const: consts[self.const], "method": self.method,
              "y_max": y_max}
        if self.network == "WN":
            kw.update(alpha=alpha, d=d)
        return {k: v for k, v in kw.items() if v is not None}

    def width(self, **kw):
        """The explicit width (an mpf, +inf when A1 fails) for n, delta, consts, alpha, d, y_max."""
        return self.width_function(**self.width_kwargs(**kw))

    def step_kwargs(self, *, n: int, delta: float, consts: Mapping[str, float], alpha: float,
                    m: int | None = None, d: int | None = None) -> dict | None:
        """Keyword arguments of :attr:`step_function` (None for a GF row)."""
        if self.step_name is None:
            return None
        if self.network == "standard":
            return {"n": n, "lambda_H": consts[self.const]}
        kw = {"n": n, "delta": delta, "alpha": alpha, "m": m, "d": d, self.const: consts[self.const],
              "regime": self.regime}
        return {k: v for k, v in kw.items() if v is not None}

    def step_bound(self, **kw):
        """The explicit GD step bound (an mpf), or None for a GF row."""
        args = self.step_kwargs(**kw)
        return None if args is None else self.step_function(**args)


_ORDER_V = r"m_V = \Omega\left(\frac{n^4 \log(n/\delta)}{\lambda_0^4}\right)"
_ORDER_G = (r"m_G = \Omega\left(\max\left\{\frac{n^4 \log(n/\delta)}{\alpha^4 \mu_0^4},"
            r" \frac{n^2 \log(n/\delta)}{\mu_0^2}\right\}\right)")
_ORDER_DU = r"m_{du} = \Omega\left(\frac{n^6}{\lambda_H^4\, \delta^3}\right)"

THEOREMS: tuple[Theorem, ...] = (
    Theorem("T1", "T1", "V", "GD", "WN", "lambda_0", 0.5, "λ_0/(2α²)", "(1 − ηλ_0/(2α²))^s",
            "(1 − ηλ_0/(2α²))^s ||r(0)||²", "m_V", "step_bound", _ORDER_V),
    Theorem("T2", "T2", "G", "GD", "WN", "mu_0", 2.0, "μ_0/2", "(1 − ημ_0/2)^s",
            "(1 − ημ_0/2)^s ||r(0)||²", "m_G", "step_bound", _ORDER_G),
    Theorem("T3", "T3", "V", "GF", "WN", "lambda_0", 0.5, "λ_0/(2α²)", "exp(−λ_0 t/α²)",
            "exp(−λ_0 t/α²) ||r(0)||²", "m_V", None, _ORDER_V),
    Theorem("T4", "T4", "G", "GF", "WN", "mu_0", 2.0, "μ_0/2", "exp(−μ_0 t)",
            "exp(−μ_0 t) ||r(0)||²", "m_G", None, _ORDER_G),
    Theorem("C1-GD", "C1", "H", "GD", "standard", "lambda_H", 1.0, "λ_H/2", "(1 − ηλ_H/2)^s",
            "(1 − ηλ_H/2)^s ||r(0)||²", "m_du", "step_du", _ORDER_DU),
    Theorem("C1-GF", "C1", "H", "GF", "standard", "lambda_H", 1.0, "λ_H/2", "exp(−λ_H t)",
            "exp(−λ_H t) ||r(0)||²", "m_du", None, _ORDER_DU),
)

BY_KEY: dict[str, Theorem] = {t.key: t for t in THEOREMS}

#: "C1" alone names Du et al.'s GD theorem (Thm 4.1), the variant the checks and sweeps run.
ALIASES = {"C1": "C1-GD"}

#: The row that stands for each claim id where one row is needed (report, widths).
PRIMARY: dict[str, Theorem] = {"T1": BY_KEY["T1"], "T2": BY_KEY["T2"], "T3": BY_KEY["T3"],
                               "T4": BY_KEY["T4"], "C1": BY_KEY["C1-GD"]}


def variant(key: str) -> Theorem:
    """The row named ``key`` ("T1" .. "T4", "C1-GD", "C1-GF", or "C1" for C1-GD)."""
    k = ALIASES.get(key, key)
    if k not in BY_KEY:
        raise InputError(f"unknown theorem {key!r}; one of {sorted(set(BY_KEY) | set(ALIASES))}")
    return BY_KEY[k]


def for_claim(claim_id: str) -> tuple[Theorem, ...]:
    """Every row of a claim id (C1 has two)."""
    return tuple(t for t in THEOREMS if t.claim == claim_id)
