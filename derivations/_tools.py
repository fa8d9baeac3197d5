"""Helpers shared by the derivations: agreement with the library at random points, and a
structural proof that an expression is monotone in one variable.

* :func:`agreement` evaluates a derived SymPy expression and the library's function for the
  same constant at the same points (mpmath, ``AGREE_DPS`` digits) and returns a
  :class:`wnproofs.derive.NumericCheck` of the worst relative error, with tolerance
  ``AGREE_TOL``: a wrong constant in either the derivation or the library fails it.
* :func:`monotone` proves "nondecreasing in x for every value of the other symbols allowed
  by their assumptions" by structure: sums and products of nonnegative nondecreasing
  factors, positive powers, Min/Max, and increasing functions (exp, log, erf, the lower
  incomplete Γ with positive first argument) of nondecreasing arguments are nondecreasing.
  It returns None where the structure does not decide (never guesses).
"""

from __future__ import annotations

import math
from typing import Callable, Iterable, Sequence

import mpmath
import numpy as np
import sympy as sp

from wnproofs.symbolic import NumericCheck, Verdict

#: digits of the agreement comparisons and their relative tolerance
AGREE_DPS = 30
AGREE_TOL = 1e-20


def rel_err(a, b) -> float:
    """|a − b| / max(|a|, |b|, tiny) at AGREE_DPS + 10 digits; inf when only one side is finite."""
    with mpmath.workdps(AGREE_DPS + 10):
        a, b = mpmath.mpf(a), mpmath.mpf(b)
        if not (mpmath.isfinite(a) and mpmath.isfinite(b)):
            return 0.0 if a == b else math.inf
        scale = max(abs(a), abs(b), mpmath.mpf(10) ** (-AGREE_DPS * 2))
        return float(abs(a - b) / scale)


def evaluate(expr: sp.Expr, subs: dict, dps: int = AGREE_DPS) -> mpmath.mpf:
    """``expr`` at ``subs`` (floats taken exactly) as an mpf at ``dps`` digits."""
    exact = {k: sp.Rational(v) if isinstance(v, float) else sp.sympify(v) for k, v in subs.items()}
    with mpmath.workdps(dps):
        val = sp.N(expr.subs(exact), dps)
        if val.has(sp.zoo, sp.oo, sp.nan):
            return mpmath.inf
        return mpmath.mpf(sp.re(val).evalf(dps))


def agreement(description: str, pairs: Iterable[tuple]) -> NumericCheck:
    """Worst relative error over (derived value, library value) pairs, tolerance AGREE_TOL."""
    errs = [rel_err(a, b) for a, b in pairs]
    worst = max(errs) if errs else float("nan")
    return NumericCheck(description, worst, AGREE_TOL, len(errs), AGREE_DPS)


def draws(sampler: Callable[[np.random.Generator], dict], points: int, seed: int) -> list[dict]:
    """``points`` draws of ``sampler`` from one seeded generator (deterministic)."""
    rng = np.random.default_rng(seed)
    return [sampler(rng) for _ in range(points)]


# -----------------------------------------------------------------------------
# monotonicity by structure
# -----------------------------------------------------------------------------

_INCREASING = (sp.exp, sp.erf, sp.log)


def positive_logs(expr: sp.Expr, ge_one: Sequence[sp.Symbol] = (),
                  below_one: Sequence[sp.Symbol] = ()) -> sp.Expr:
    """``expr`` with log(x) (x ≥ 1, e.g. n) replaced by a nonnegative symbol and log(δ)
    (0 < δ < 1) by minus a positive symbol, after splitting the logs (expand_log): the
    domain facts SymPy's assumptions cannot express (a symbol has no upper bound)."""
    e = sp.expand_log(sp.sympify(expr), force=True)
    reps = {}
    for s in ge_one:
        reps[sp.log(s)] = sp.Symbol(f"log_{s}", nonnegative=True)
    for s in below_one:
        reps[sp.log(s)] = -sp.Symbol(f"log_1/{s}", positive=True)
    return e.xreplace(reps)


def nonneg(e: sp.Expr) -> bool:
    """True when ``e`` ≥ 0 for every value its symbols' assumptions allow, by SymPy's
    assumptions or by structure (sums and products of nonnegative parts, 1 − e^{−x} with x ≥ 0,
    Min of nonnegative arguments, γ(s, x) with s > 0, x ≥ 0, erf of a nonnegative argument)."""
    e = sp.sympify(e)
    if e.is_nonnegative:
        return True
    if e.is_Add:
        terms = list(e.args)
        one = sp.Integer(1)
        for t in terms:      # 1 − e^{−x}, x ≥ 0: pair a constant ≥ 1 with −exp(nonpositive)
            if t.is_Mul and t.args[0] == -1 and len(t.args) == 2 and isinstance(t.args[1], sp.exp) \
                    and t.args[1].args[0].is_nonpositive:
                consts = [c for c in terms if c.is_number and (c - one).is_nonnegative]
                if consts:
                    rest = [c for c in terms if c is not t and c is not consts[0]]
                    return all(nonneg(c) for c in rest) and (consts[0] - one).is_nonnegative is True
        return all(nonneg(t) for t in terms)
    if e.is_Mul:
        return all(nonneg(f) for f in e.args)
    if e.is_Pow:
        base, p = e.args
        return (p.is_even is True) or (nonneg(base) and p.is_real is True)
    if isinstance(e, sp.Min):
        return all(nonneg(a) for a in e.args)
    if isinstance(e, sp.Max):
        return any(nonneg(a) for a in e.args)
    if isinstance(e, sp.lowergamma):
        return bool(e.args[0].is_positive) and nonneg(e.args[1])
    if isinstance(e, sp.erf):
        return nonneg(e.args[0])
    if isinstance(e, sp.exp):
        return e.args[0].is_real is True
    return False


def monotone(e: sp.Expr, x: sp.Symbol, direction: int = 1) -> bool | None:
    """True when ``e`` is nondecreasing (``direction`` = 1) or nonincreasing (−1) in ``x`` > 0
    for every value of the other symbols their assumptions allow; None when the structure does
    not decide (it never claims the opposite)."""
    e = sp.sympify(e)
    if not e.has(x):
        return True
    if e == x:
        return True if direction == 1 else None
    if e.is_Add:
        return _all(monotone(a, x, direction) for a in e.args)
    if e.is_Mul:
        coeff, rest = e.as_independent(x, as_Add=False)
        if coeff != 1:
            if coeff.is_nonnegative:
                return monotone(rest, x, direction)
            if coeff.is_nonpositive:
                return monotone(rest, x, -direction)
            return None
        factors = rest.args
        if all(nonneg(f) for f in factors):
            return _all(monotone(f, x, direction) for f in factors)
        return None
    if e.is_Pow:
        base, p = e.args
        if p.has(x):
            if base.is_positive and not base.has(x) and (base - 1).is_nonnegative:
                return monotone(p, x, direction)
            return None
        if p.is_positive and nonneg(base):
            return monotone(base, x, direction)
        if p.is_negative and base.is_positive:
            return monotone(base, x, -direction)
        return None
    if isinstance(e, (sp.Min, sp.Max)):
        return _all(monotone(a, x, direction) for a in e.args)
    if isinstance(e, _INCREASING):
        if isinstance(e, sp.log) and not e.args[0].is_positive:
            return None
        return monotone(e.args[0], x, direction)
    if isinstance(e, sp.lowergamma):
        s, arg = e.args
        if s.has(x) or not s.is_positive or not nonneg(arg):
            return None
        return monotone(arg, x, direction)
    if isinstance(e, sp.uppergamma):
        s, arg = e.args
        if s.has(x) or not arg.is_nonnegative:
            return None
        return monotone(arg, x, -direction)
    return None


def _all(results: Iterable[bool | None]) -> bool | None:
    return True if all(r is True for r in results) else None


def monotone_verdict(exprs: Sequence[sp.Expr], x: sp.Symbol, direction: int = 1) -> tuple[Verdict, str]:
    """Proved when every expression is monotone by structure; inconclusive otherwise (the
    undecided expression is named); never proved by sampling."""
    for k, e in enumerate(exprs):
        if monotone(e, x, direction) is not True:
            return Verdict.INCONCLUSIVE, f"expression {k}: the structure does not decide its monotonicity"
    return Verdict.PROVED, "every expression is monotone by structure (sums and products of " \
                           "nonnegative monotone factors, powers, Min/Max, increasing functions)"


def positive_sampler(*symbols: sp.Symbol, lo: float = 0.05, hi: float = 3.0):
    """A sampler for :func:`wnproofs.derive.decide_zero`'s numeric fallback: every symbol uniform
    in [lo, hi] (a planted wrong constant then shows as a counterexample, i.e. failed)."""
    def draw(rng: np.random.Generator) -> dict:
        return {s: float(rng.uniform(lo, hi)) for s in symbols}
    return draw
