"""Symbolic derivations as data: steps, results, and the reports built from them.

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
the "symbolic" level.  Reports (Markdown with ``$$`` math, a LaTeX file per topic, and an
index) are rendered from the :class:`DerivationResult` objects only, never from prints.
"""

from __future__ import annotations

import enum
import functools
import inspect
import math
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import mpmath
import numpy as np
import sympy as sp

from .errors import InputError
from .io import atomic_directory, atomic_write_text

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
    "collect_results",
    "render_reports",
    "write_reports",
    "stale_files",
    "mask_volatile",
    "default_report_dir",
    "NUMERIC_DPS",
]

#: Digits of the mpmath fallback for identities SymPy cannot decide.
NUMERIC_DPS = 50


class Verdict(str, enum.Enum):
    """Outcome of one derivation step (three-valued, STYLE.md "Statuses")."""

    PROVED = "proved"
    INCONCLUSIVE = "inconclusive"
    FAILED = "failed"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value


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


# -----------------------------------------------------------------------------
# reports
# -----------------------------------------------------------------------------

def default_report_dir() -> Path:
    """``derivations/reports`` of the installed (or source) ``wnproofs.derivations``."""
    from .registry import import_plugin_package

    pkg = import_plugin_package("wnproofs.derivations")
    return Path(pkg.__path__[0]) / "reports"


def collect_results(names: Iterable[str] | None = None) -> list[DerivationResult]:
    """Run (cached) every registered :class:`DerivationFn`, in claim order."""
    from .registry import all_derivations, claims

    order = {c.id: i for i, c in enumerate(claims())}
    ders = [d for d in all_derivations() if isinstance(d.fn, DerivationFn)]
    if names is not None:
        wanted = set(names)
        ders = [d for d in ders if d.name in wanted]
    ders.sort(key=lambda d: (min(order.get(c, 99) for c in d.claims), d.name))
    return [d.fn() for d in ders]


_VOLATILE = (re.compile(r"(Derivation time: )[0-9.]+( s)"),   # changes from run to run
             re.compile(r"(measured max error )[-+0-9.einfa]+"))  # float64 rounding: BLAS-dependent


def mask_volatile(text: str) -> str:
    """Mask timings and measured float errors (which vary by run and machine) before comparing."""
    for rx in _VOLATILE:
        text = rx.sub(r"\1<masked>" + (r"\2" if rx.groups == 2 else ""), text)
    return text


def _fmt_err(x: float) -> str:
    return "nan" if math.isnan(x) else f"{x:.2e}"


_BADGE = {Verdict.PROVED: "proved", Verdict.INCONCLUSIVE: "INCONCLUSIVE", Verdict.FAILED: "FAILED"}


def _md_step(i: int, s: Step) -> list[str]:
    out = [f"#### Step {i}. {s.name} ({s.claim}): **{_BADGE[s.verdict]}**", "",
           "$$", s.statement, "$$", "", s.method, ""]
    for label, body in s.displays:
        out += [f"{label[:1].upper()}{label[1:]}:", "", "$$", body, "$$", ""]
    for c in s.numeric:
        flag = "ok" if c.ok else "MISMATCH"
        out.append(f"- Numeric: {c.description}: {flag} (tolerance {c.tolerance:.0e}, {c.samples} samples, "
                   f"{c.dps} digits; measured max error {_fmt_err(c.max_error)})")
    for p in s.premises:
        out.append(f"- Premise (cited, not re-derived): {p}")
    if s.numeric or s.premises:
        out.append("")
    return out


def render_markdown(topic: str, results: Sequence[DerivationResult]) -> str:
    """Markdown report of one topic, with ``$$`` display math."""
    title = results[0].title if results else topic
    lines = [f"# {title}", "",
             "Generated by `wnproofs derive` from the derivation result objects; do not edit "
             "by hand. Verdicts: proved (SymPy reduced the identity to 0 and every numeric "
             "comparison with the `wnproofs` implementation agreed), inconclusive (SymPy "
             "undecided; a 50-digit evaluation found no counterexample), failed.", ""]
    for r in results:
        c = r.counts()
        lines += [f"## {', '.join(r.claims)}: `{r.name}`: {r.verdict.value}", "",
                  r.doc, "",
                  f"Steps: {len(r.steps)} ({c['proved']} proved, {c['inconclusive']} inconclusive, "
                  f"{c['failed']} failed). SymPy {r.sympy_version}.", "",
                  f"Derivation time: {r.seconds:.2f} s", ""]
        for i, s in enumerate(r.steps, 1):
            lines += _md_step(i, s)
    return "\n".join(lines).rstrip() + "\n"


_TEX_ESC = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
            "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
            "^": r"\textasciicircum{}"}


#: Unicode math in docstrings → LaTeX, so the .tex files are plain ASCII (pdflatex-safe).
_TEX_UNICODE = {
    "α": r"$\alpha$", "β": r"$\beta$", "δ": r"$\delta$", "η": r"$\eta$", "θ": r"$\theta$",
    "κ": r"$\kappa$", "λ": r"$\lambda$", "Λ": r"$\Lambda$", "μ": r"$\mu$", "π": r"$\pi$",
    "ρ": r"$\rho$", "σ": r"$\sigma$", "Σ": r"$\Sigma$", "φ": r"$\varphi$", "Γ": r"$\Gamma$",
    "∞": r"$\infty$", "∇": r"$\nabla$", "∂": r"$\partial$", "⟨": r"$\langle$", "⟩": r"$\rangle$",
    "≤": r"$\le$", "≥": r"$\ge$", "≠": r"$\ne$", "√": r"$\surd$", "−": "-", "·": r"$\cdot$",
    "×": r"$\times$", "→": r"$\to$", "∈": r"$\in$", "²": r"\textsuperscript{2}",
    "³": r"\textsuperscript{3}", "ᵀ": r"\textsuperscript{T}", "–": "--", "—": "---", "…": "...",
    "’": "'", "‘": "`", "“": "``", "”": "''", "±": r"$\pm$", "∘": r"$\circ$",
    "⊥": r"$\perp$", "⟂": r"$\perp$", "≈": r"$\approx$", "∝": r"$\propto$", "‖": r"$\|$",
    "≻": r"$\succ$", "⪰": r"$\succeq$", "∀": r"$\forall$", "∃": r"$\exists$", "∫": r"$\int$",
    "∑": r"$\sum$", "¼": r"$\frac14$", "½": r"$\frac12$", "¾": r"$\frac34$", "⌈": r"$\lceil$",
    "⌉": r"$\rceil$", "⌊": r"$\lfloor$", "⌋": r"$\rfloor$", "ℓ": r"$\ell$", "⁴": r"\textsuperscript{4}",
    "⁶": r"\textsuperscript{6}", "⁻": r"\textsuperscript{-}", "¹": r"\textsuperscript{1}",
    "₀": r"\textsubscript{0}", "₁": r"\textsubscript{1}", "₂": r"\textsubscript{2}",
    "ᵢ": r"\textsubscript{i}", "ⱼ": r"\textsubscript{j}", "ₖ": r"\textsubscript{k}",
}


def _tex_fallback(ch: str) -> str:
    """Greek letters by name ($\\chi$, $\\Delta$, ...); anything else as (U+XXXX), never silently '?'."""
    import unicodedata

    name = unicodedata.name(ch, "")
    for prefix, case in (("GREEK SMALL LETTER ", str.lower), ("GREEK CAPITAL LETTER ", str.capitalize)):
        if name.startswith(prefix):
            word = case(name[len(prefix):].split()[0])
            word = {"lamda": "lambda", "Lamda": "Lambda", "epsilon": "varepsilon"}.get(word, word)
            return f"$\\{word}$"
    return f"(U+{ord(ch):04X})"


def tex_escape(text: str) -> str:
    """Escape plain text for LaTeX (method descriptions, names); Unicode math → LaTeX,
    anything else non-ASCII → a Greek name or ``(U+XXXX)`` (the output is always ASCII)."""
    out = []
    for ch in text:
        if ch in _TEX_ESC:
            out.append(_TEX_ESC[ch])
        elif ch in _TEX_UNICODE:
            out.append(_TEX_UNICODE[ch])
        elif ord(ch) < 128:
            out.append(ch)
        else:
            out.append(_tex_fallback(ch))
    return "".join(out)


def render_latex(topic: str, results: Sequence[DerivationResult]) -> str:
    """A standalone LaTeX document of one topic (usable as a paper appendix)."""
    title = results[0].title if results else topic
    lines = [r"\documentclass{article}", r"\usepackage{amsmath,amssymb}",
             r"\usepackage[utf8]{inputenc}", r"\allowdisplaybreaks",
             r"\begin{document}", rf"\section*{{{tex_escape(title)}}}",
             r"\noindent Generated by \texttt{wnproofs derive}; do not edit by hand.", ""]
    for r in results:
        lines += [rf"\subsection*{{{tex_escape(', '.join(r.claims))}: "
                  rf"\texttt{{{tex_escape(r.name)}}} ({r.verdict.value})}}",
                  tex_escape(r.doc), "",
                  rf"\noindent SymPy {tex_escape(r.sympy_version)}. "
                  rf"\emph{{Derivation time: {r.seconds:.2f} s}}", "",
                  r"\begin{enumerate}"]
        for s in r.steps:
            lines += [rf"\item \textbf{{{tex_escape(s.name)}}} ({s.claim}): "
                      rf"\textbf{{{_BADGE[s.verdict]}}}.",
                      r"\[", s.statement, r"\]", tex_escape(s.method)]
            for label, body in s.displays:
                lines += [rf"\par {tex_escape(label[:1].upper() + label[1:])}:", r"\[", body, r"\]"]
            for c in s.numeric:
                flag = "ok" if c.ok else "MISMATCH"
                lines.append(rf"\par Numeric: {tex_escape(c.description)}: {flag} (tolerance "
                             rf"{c.tolerance:.0e}, {c.samples} samples, {c.dps} digits; "
                             rf"measured max error {_fmt_err(c.max_error)}).")
            for p in s.premises:
                lines.append(rf"\par Premise (cited, not re-derived): {tex_escape(p)}.")
        lines += [r"\end{enumerate}", ""]
    lines.append(r"\end{document}")
    return "\n".join(lines) + "\n"


def render_index(results: Sequence[DerivationResult]) -> str:
    """The index: one row per derivation with its claims, verdict and step counts."""
    lines = ["# Symbolic derivations (index)", "",
             "Generated by `wnproofs derive`; regenerate with `wnproofs derive` and check "
             "with `wnproofs derive --check`. A claim reaches the *symbolic* level only when "
             "every step of its derivation is proved.", "",
             "| claims | derivation | verdict | proved | inconclusive | failed | report |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        c = r.counts()
        lines.append(f"| {', '.join(r.claims)} | `{r.name}` | {r.verdict.value} | {c['proved']} "
                     f"| {c['inconclusive']} | {c['failed']} | [{r.topic}.md]({r.topic}.md), "
                     f"[{r.topic}.tex]({r.topic}.tex) |")
    total = sum(len(r.steps) for r in results)
    lines += ["", f"{len(results)} derivations, {total} steps."]
    return "\n".join(lines) + "\n"


def render_reports(results: Sequence[DerivationResult]) -> dict[str, str]:
    """All report files, name → text: ``index.md`` and ``<topic>.md``/``<topic>.tex``."""
    topics: dict[str, list[DerivationResult]] = {}
    for r in results:
        topics.setdefault(r.topic, []).append(r)
    files = {"index.md": render_index(results)}
    for topic, rs in topics.items():
        files[f"{topic}.md"] = render_markdown(topic, rs)
        files[f"{topic}.tex"] = render_latex(topic, rs)
    return files


_REPORT_SUFFIXES = (".md", ".tex")


def write_reports(out: str | Path, files: Mapping[str, str]) -> Path:
    """Replace folder ``out`` by exactly ``files``, atomically.

    Refuses (``InputError``) when ``out`` holds anything other than ``.md``/``.tex`` files,
    so a mistyped ``--out`` cannot wipe an unrelated folder.
    """
    out = Path(out)
    if out.exists():
        if not out.is_dir():
            raise InputError(f"--out {out} exists and is not a folder")
        foreign = [p.name for p in out.iterdir() if not p.name.endswith(_REPORT_SUFFIXES)]
        if foreign:
            raise InputError(f"--out {out} holds files that are not reports ({', '.join(sorted(foreign)[:5])}); "
                             "choose an empty or report-only folder")
    with atomic_directory(out) as tmp:
        for name, text in files.items():
            atomic_write_text(tmp / name, text)
    return out


def stale_files(out: str | Path, files: Mapping[str, str]) -> list[str]:
    """Names of report files in ``out`` that differ from ``files`` (timings masked),
    are missing, or are left over."""
    out = Path(out)
    stale = []
    for name, text in files.items():
        p = out / name
        if not p.is_file() or mask_volatile(p.read_text(encoding="utf-8")) != mask_volatile(text):
            stale.append(name)
    if out.is_dir():
        stale += sorted(p.name for p in out.iterdir()
                        if p.name.endswith(_REPORT_SUFFIXES) and p.name not in files)
    return stale
