"""The symbolic toolkit that derivation modules use (layer 5; no runner, no face).

A derivation (one module of ``derivations/`` per topic) is a function returning a list of
:class:`Step` objects; each step names a claim id of THEORY.md, states what it shows in
LaTeX, says what SymPy computed, and carries a three-valued :class:`Verdict`:

* ``proved``: SymPy reduced the identity to 0 (or proved the inequality) on symbols, and
  every numeric comparison with the ``wnproofs`` implementation agreed;
* ``inconclusive``: SymPy could not decide; a 50-digit mpmath evaluation at random points
  found no counterexample (never rounded up to proved);
* ``failed``: SymPy or a 50-digit evaluation found the identity false, or the symbolic
  result disagrees with the numeric implementation (the two halves drifted apart).

The :func:`symbolic` decorator wraps such a function in a :class:`DerivationFn`, registers
it with the :func:`wnproofs.plugin.derivation` marker, caches its default run per process, and
exposes ``proved`` (all steps proved), which :func:`wnproofs.verify._levels` reads to grant
the "symbolic" level.  Running the registered derivations and writing their reports is
:mod:`wnproofs.derive`'s job; rendering them is :mod:`wnproofs.report.derivations`'.
"""

from __future__ import annotations

import functools
import inspect
import math
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

import mpmath
import numpy as np
import sympy as sp

from .outcomes import Verdict   # derivation steps' three values (one vocabulary: wnproofs.outcomes)


__all__ = [
    "Verdict",
    "NumericCheck",
    "Step",
    "DerivationResult",
    "DerivationFn",
    "symbolic",
    "tex",
    "decide_zero",
    "decide_nonnegative",
    "sqrt_norm_reducer",
    "numeric_check",
    "make_step",
    "worst",
    "ZeroDecision",
    "NUMERIC_DPS",
]

#: Digits of the mpmath fallback for identities SymPy cannot decide.
NUMERIC_DPS = 50


_SEVERITY = {Verdict.PROVED: 0, Verdict.INCONCLUSIVE: 1, Verdict.FAILED: 2}


def worst(verdicts: Iterable[Verdict]) -> Verdict:
    """The worst of several verdicts (failed > inconclusive > proved); proved if none."""
    return max(verdicts, key=_SEVERITY.__getitem__, default=Verdict.PROVED)


@dataclass(frozen=True)
class NumericCheck:
    """A numeric comparison attached to a step.

    Either symbolic result versus the ``wnproofs`` implementation (float64), or the
    identity's residual evaluated at ``dps`` digits when SymPy could not decide it.
    """

    description: str
    max_error: float
    tolerance: float
    samples: int
    dps: int = 15

    @property
    def ok(self) -> bool:
        return math.isfinite(self.max_error) and self.max_error <= self.tolerance


@dataclass(frozen=True)
class Step:
    """One named step of a derivation.

    Attributes
    ----------
    claim : claim id of THEORY.md (D1..D8, L3, L4, ...).
    name : short name, unique within its derivation.
    statement : what the step shows, in LaTeX (rendered between ``$$``).
    verdict : proved / inconclusive / failed.
    method : plain text: what SymPy (and mpmath) computed.
    displays : (label, LaTeX) pairs, e.g. the SymPy result and the residual.
    numeric : numeric comparisons (implementation agreement, high-precision fallback).
    premises : results used but not re-derived by SymPy (cited lemmas).
    """

    claim: str
    name: str
    statement: str
    verdict: Verdict
    method: str
    displays: tuple[tuple[str, str], ...] = ()
    numeric: tuple[NumericCheck, ...] = ()
    premises: tuple[str, ...] = ()


@dataclass(frozen=True)
class DerivationResult:
    """The outcome of one derivation: its steps, the SymPy version, the time it took."""

    name: str
    topic: str
    title: str
    claims: tuple[str, ...]
    doc: str
    steps: tuple[Step, ...]
    seconds: float
    sympy_version: str

    @property
    def verdict(self) -> Verdict:
        return worst(s.verdict for s in self.steps) if self.steps else Verdict.INCONCLUSIVE

    @property
    def proved(self) -> bool:
        """True iff there is at least one step and every step is proved."""
        return bool(self.steps) and all(s.verdict is Verdict.PROVED for s in self.steps)

    def counts(self) -> dict[str, int]:
        return {v.value: sum(s.verdict is v for s in self.steps) for v in Verdict}

    def to_dict(self) -> dict:
        return {"name": self.name, "topic": self.topic, "claims": list(self.claims),
                "verdict": self.verdict.value, "proved": self.proved,
                "seconds": round(self.seconds, 3), "sympy": self.sympy_version,
                "steps": [{"claim": s.claim, "name": s.name, "verdict": s.verdict.value}
                          for s in self.steps]}


# -----------------------------------------------------------------------------
# registration and the per-process cache
# -----------------------------------------------------------------------------

class DerivationFn:
    """A registered derivation: ``fn(**kw) -> list[Step]`` plus its topic and title.

    Calling it with no arguments returns the cached :class:`DerivationResult` (one run per
    process); calling it with keyword arguments (e.g. a planted ``candidate=``) runs it
    afresh and bypasses the cache.  ``proved`` runs it if needed and is True only when
    every step is proved: this is the attribute :mod:`wnproofs.verify` reads.
    """

    def __init__(self, fn: Callable[..., list[Step]], claims: tuple[str, ...], topic: str,
                 title: str) -> None:
        functools.update_wrapper(self, fn)
        self.fn = fn
        self.claims = claims
        self.topic = topic
        self.title = title
        self.name = f"{topic}.{fn.__name__}"
        self._cached: DerivationResult | None = None

    def run(self, **kwargs: Any) -> DerivationResult:
        """Run the derivation now (no cache) and time it."""
        t0 = time.perf_counter()
        steps = tuple(self.fn(**kwargs))
        return DerivationResult(self.name, self.topic, self.title, self.claims,
                                inspect.cleandoc(self.fn.__doc__ or ""), steps,
                                time.perf_counter() - t0, sp.__version__)

    def __call__(self, **kwargs: Any) -> DerivationResult:
        if kwargs:
            return self.run(**kwargs)
        if self._cached is None:  # the per-process cache
            self._cached = self.run()
        return self._cached

    @property
    def proved(self) -> bool:
        """All steps proved (a derivation that raises is not proved)."""
        try:
            return self().proved
        except Exception:  # an erroring derivation must not grant the symbolic level
            return False

    def __repr__(self) -> str:  # pragma: no cover - cosmetic
        return f"DerivationFn({self.name!r}, claims={self.claims})"


def symbolic(*claim_ids: str, topic: str, title: str, establishes: bool = True):
    """Decorator: register ``fn(**kw) -> list[Step]`` as the derivation of ``claim_ids``.

    The registered object is a :class:`DerivationFn` (named ``topic.fn_name``).
    ``establishes=False`` marks a derivation that supports the claims without proving
    them (e.g. the explicit constants of T1-T4, which cite lemmas and a continuity
    argument): it is reported, but does not award the claims the "symbolic" level.
    """
    from .plugin import derivation

    def deco(fn: Callable[..., list[Step]]) -> DerivationFn:
        obj = DerivationFn(fn, tuple(claim_ids), topic, title)
        obj.establishes = bool(establishes)
        derivation(*claim_ids, name=obj.name)(obj)
        return obj

    return deco


# -----------------------------------------------------------------------------
# deciding identities
# -----------------------------------------------------------------------------

def tex(e: Any) -> str:
    """LaTeX of a SymPy object, with ``\\arccos`` style inverse trig functions."""
    return sp.latex(e, inv_trig_style="full")


Sampler = Callable[[np.random.Generator], Mapping[sp.Symbol, Any]]


@dataclass(frozen=True)
class ZeroDecision:
    """Whether an expression is identically zero, and the evidence."""

    verdict: Verdict
    residual: Any
    numeric: NumericCheck | None
    how: str


def _entries(expr: Any) -> list:
    if isinstance(expr, sp.MatrixBase):
        return list(expr)
    if isinstance(expr, (list, tuple)):
        return [e for x in expr for e in _entries(x)]
    return [sp.sympify(expr)]


#: Above this operation count ``simplify`` is not attempted (it can run for minutes).
SIMPLIFY_MAX_OPS = 400


def _simplify_zero(e: sp.Expr, reducer: Callable[[sp.Expr], sp.Expr] | None = None) -> sp.Expr:
    """Cheap canonical forms first, ``simplify`` last (it is slow and not needed often)."""
    if e == 0:
        return e
    if reducer is not None:
        e = reducer(e)
        if e == 0:
            return e
    for fn in (sp.expand, lambda x: sp.cancel(sp.expand(x))):
        e = fn(e)
        if e == 0:
            return e
    if sp.count_ops(e) <= SIMPLIFY_MAX_OPS:
        e = sp.simplify(e)
    return e


def sqrt_norm_reducer(pairs: Sequence[tuple[sp.Expr, sp.Symbol]]) -> Callable[[sp.Expr], sp.Expr]:
    """A reducer for expressions in ||v|| = sqrt(B), B = ⟨v, v⟩ a polynomial.

    Every power B^e becomes N^(2e) (N a positive symbol), the numerator over a common
    denominator is expanded and reduced modulo N² − B in N.  The remainder p0 + p1·N is
    zero iff the expression vanishes identically (sqrt(B) is not a rational function), so
    a zero result is a proof; a nonzero one is returned for the further steps.
    """

    def reduce(e: sp.Expr) -> sp.Expr:
        for B, N in pairs:
            e = e.replace(lambda z, B=B: z.is_Pow and z.base == B, lambda z, N=N: N ** (2 * z.exp))
        num, den = sp.fraction(sp.together(e))
        num = sp.expand(num)
        for B, N in pairs:
            num = sp.rem(num, N**2 - sp.expand(B), N)
        num = sp.expand(num)
        return sp.Integer(0) if num == 0 else num / den

    return reduce


def decide_zero(expr: Any, sampler: Sampler | None, *, points: int = 6, seed: int = 0,
                dps: int = NUMERIC_DPS,
                reducer: Callable[[sp.Expr], sp.Expr] | None = None) -> ZeroDecision:
    """Decide whether ``expr`` (scalar, Matrix or list) is identically zero.

    SymPy first (``expand``, ``cancel``, ``simplify``): reduced to 0 → proved; reduced to a
    nonzero number → failed.  Otherwise the residual is evaluated at ``dps`` digits at
    ``points`` random points drawn by ``sampler``: a value above 10^(−dps/2) is a
    counterexample (failed), else the step is inconclusive with the numeric evidence.
    ``reducer`` (e.g. :func:`sqrt_norm_reducer`) is applied before the SymPy chain.
    """
    originals = _entries(expr)
    res = [_simplify_zero(e, reducer) for e in originals]
    if all(r == 0 for r in res):
        return ZeroDecision(Verdict.PROVED, sp.Integer(0), None, "SymPy reduced it to 0")
    if any(r.is_number and r.is_zero is False for r in res):
        bad = next(r for r in res if r.is_number and r.is_zero is False)
        return ZeroDecision(Verdict.FAILED, bad, None, "SymPy reduced it to a nonzero constant")
    if sampler is None:
        return ZeroDecision(Verdict.INCONCLUSIVE, sp.Matrix(res) if len(res) > 1 else res[0],
                            None, "SymPy could not decide; no numeric fallback available")
    rng = np.random.default_rng(seed)
    worst_err = 0.0
    with mpmath.workdps(dps):
        for _ in range(points):
            subs = {k: sp.Rational(v) if isinstance(v, float) else sp.sympify(v)
                    for k, v in sampler(rng).items()}
            for r in originals:  # the unreduced residual: the reducer may add symbols
                val = sp.N(r.subs(subs), dps)
                err = float(abs(complex(val))) if val.is_number else float("inf")
                worst_err = max(worst_err, err)
    tol = 10.0 ** (-(dps // 2))
    check = NumericCheck(f"residual at {points} random points, {dps} digits", worst_err, tol,
                         points, dps)
    residual = sp.Matrix(res) if len(res) > 1 else res[0]
    if not check.ok:
        return ZeroDecision(Verdict.FAILED, residual, check,
                            f"counterexample: residual {worst_err:.3g} at {dps} digits")
    return ZeroDecision(Verdict.INCONCLUSIVE, residual, check,
                        "SymPy could not reduce it to 0; it vanishes to "
                        f"{dps} digits at {points} random points")


def decide_nonnegative(expr: sp.Expr, sampler: Sampler | None, *, points: int = 8, seed: int = 0,
                       dps: int = NUMERIC_DPS) -> ZeroDecision:
    """Decide ``expr ≥ 0`` from SymPy's assumptions (``is_nonnegative``), three-valued.

    True → proved; False → failed; undecided → a ``dps``-digit evaluation at random points:
    a negative value is a counterexample (failed), otherwise inconclusive.
    """
    e = sp.sympify(expr)
    verdict = e.is_nonnegative
    if verdict is None:
        verdict = sp.simplify(e).is_nonnegative
    if verdict is True:
        return ZeroDecision(Verdict.PROVED, e, None, "SymPy's assumptions show it is nonnegative")
    if verdict is False:
        return ZeroDecision(Verdict.FAILED, e, None, "SymPy's assumptions show it is negative")
    if sampler is None:
        return ZeroDecision(Verdict.INCONCLUSIVE, e, None, "SymPy could not decide the sign")
    rng = np.random.default_rng(seed)
    low = math.inf
    with mpmath.workdps(dps):
        for _ in range(points):
            subs = {k: sp.Rational(v) if isinstance(v, float) else sp.sympify(v)
                    for k, v in sampler(rng).items()}
            low = min(low, float(sp.N(e.subs(subs), dps)))
    check = NumericCheck(f"minimum at {points} random points, {dps} digits (must be >= 0)",
                         max(0.0, -low), 0.0, points, dps)
    if not check.ok:
        return ZeroDecision(Verdict.FAILED, e, check, f"counterexample: value {low:.3g}")
    return ZeroDecision(Verdict.INCONCLUSIVE, e, check,
                        f"SymPy could not decide the sign; nonnegative at {points} random points")


def numeric_check(description: str, errors: Sequence[float], tolerance: float) -> NumericCheck:
    """Summarise float64 comparisons (symbolic result, lambdified, versus ``wnproofs``)."""
    errs = [float(e) for e in errors]
    worst_err = max(errs) if errs else float("nan")
    if any(math.isnan(e) for e in errs):
        worst_err = float("nan")
    return NumericCheck(description, worst_err, tolerance, len(errs))


def make_step(claim: str, name: str, statement: str, decision: ZeroDecision | Verdict, method: str,
              *, displays: Sequence[tuple[str, str]] = (), numeric: Sequence[NumericCheck] = (),
              premises: Sequence[str] = ()) -> Step:
    """A :class:`Step` whose verdict combines the symbolic decision and numeric checks.

    A failed numeric comparison makes the step failed even if SymPy proved its identity:
    the symbolic and the numeric halves must not drift apart.
    """
    if isinstance(decision, ZeroDecision):
        verdict = decision.verdict
        checks = list(numeric) + ([decision.numeric] if decision.numeric else [])
        method = f"{method} Verdict basis: {decision.how}."
        if decision.verdict is not Verdict.PROVED:
            displays = list(displays) + [("residual after simplification", tex(decision.residual))]
    else:
        verdict = decision
        checks = list(numeric)
    if any(not c.ok for c in checks):
        verdict = Verdict.FAILED
    return Step(claim, name, statement, verdict, method, tuple(displays), tuple(checks),
                tuple(premises))
