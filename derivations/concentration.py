"""L2 derived from its premises: Hoeffding, the union bound over the n² entries, ||·||_2 ≤ ||·||_F.

Every result is compared with the library's one function for that constant
(:mod:`wnproofs.bounds.lemmas`) at random points, to 30 digits: ``hoeffding_radius``,
``gram_entry_radius``, ``l2_radius_V``, ``l2_radius_G``, ``l2_width_V``, ``l2_width_G`` and
the share ``L2_SHARE`` behind THEORY.md's "λ_min(V(0)) ≥ 3λ_0/4".  The symbolic radii are
exported (:func:`hoeffding_expr`, :func:`gram_radius_expr`) for the convergence chain.
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from wnproofs.bounds import lemmas as L
from wnproofs.symbolic import Step, Verdict, decide_zero, make_step, symbolic, tex

from ._tools import agreement, draws, evaluate, monotone_verdict, positive_logs
from .premises import cite

TOPIC = "concentration"
TITLE = "Concentration at initialization (L2)"

M, DELTA, WIDTH, N, LAM = sp.symbols("m delta w n lambda", positive=True)
T = sp.Symbol("t", positive=True)
POINTS = 12


@lru_cache(maxsize=None)
def hoeffding_expr(sides: int) -> sp.Expr:
    """The radius t solving sides·exp(−2 m t²/w²) = δ (Hoeffding's bound set to δ), by sympy.solve."""
    sol = sp.solve(sp.Eq(sides * sp.exp(-2 * M * T**2 / WIDTH**2), DELTA), T)
    if len(sol) != 1:
        raise ArithmeticError(f"expected one positive root, got {sol}")
    return sol[0]


def entry_radius_expr() -> sp.Expr:
    """Two-sided Hoeffding at δ/n² (union bound over the n² entries)."""
    return hoeffding_expr(2).subs(DELTA, DELTA / N**2)


def gram_radius_expr() -> sp.Expr:
    """||M(0) − M^∞||_F ≤ sqrt(Σ_ij t²) = n t."""
    return sp.sqrt(N**2 * entry_radius_expr() ** 2)


def _rand(rng):
    return {N: int(rng.integers(1, 60)), M: float(10 ** rng.uniform(0, 12)),
            DELTA: float(10 ** rng.uniform(-12, -0.01)), WIDTH: int(rng.integers(1, 3)),
            LAM: float(10 ** rng.uniform(-5, 0))}


@symbolic("L2", topic=TOPIC, title=TITLE)
def derive_l2() -> list[Step]:
    """L2: the radii n·sqrt(2 log(2n²/δ)/m) (V) and n·sqrt(log(2n²/δ)/(2m)) (G) from Hoeffding,
    the union bound and ||·||_2 ≤ ||·||_F, and the corollary widths 32 n² log(2n²/δ)/λ_0² and
    8 n² log(2n²/δ)/μ_0², each evaluated against the library at random points."""
    pts = draws(_rand, POINTS, seed=2)
    steps: list[Step] = []
    # 1. Hoeffding solved for the radius
    checks = []
    for sides in (1, 2):
        t = hoeffding_expr(sides)
        checks.append(sides * sp.exp(-2 * M * t**2 / WIDTH**2) - DELTA)
    pairs = [(evaluate(hoeffding_expr(s), p), L.hoeffding_radius(p[M], p[DELTA], p[WIDTH], s))
             for p in pts for s in (1, 2)]
    steps.append(make_step(
        "L2", "Hoeffding solved for the radius",
        r"k\,e^{-2mt^2/w^2}=\delta\iff t=w\sqrt{\frac{\log(k/\delta)}{2m}}\quad(k=2:\ |\cdot|,\ k=1:\ \text{one side})",
        decide_zero(checks, None),
        "sympy.solve of the bound set to delta for t > 0, substituted back (residual reduced to 0).",
        displays=[("t (k = 2)", tex(hoeffding_expr(2)))],
        numeric=[agreement("derived radius vs bounds.lemmas.hoeffding_radius, 12 random (m, δ, w) × k = 1, 2",
                           pairs)],
        premises=cite("hoeffding")))
    # 2. union bound over the n² entries
    pairs = [(evaluate(entry_radius_expr(), p), L.gram_entry_radius(p[N], p[M], p[DELTA], p[WIDTH])) for p in pts]
    steps.append(make_step(
        "L2", "union bound over the n² entries",
        r"\Pr\Big[\max_{ij}|M_{ij}(0)-M^\infty_{ij}|\ge t\Big]\le\sum_{ij}\frac{\delta}{n^2}=\delta,\quad "
        r"t=w\sqrt{\frac{\log(2n^2/\delta)}{2m}}",
        decide_zero(N**2 * (DELTA / N**2) - DELTA, None),
        "Each entry is a mean of m independent summands (one per neuron); Hoeffding at delta/n^2 each.",
        numeric=[agreement("derived entry radius vs bounds.lemmas.gram_entry_radius", pairs)],
        premises=cite("union", "hoeffding")))
    # 3. Frobenius and the summand ranges
    rad = gram_radius_expr()
    pairs = [(evaluate(rad.subs(WIDTH, 2), p), L.l2_radius_V(p[N], p[M], p[DELTA])) for p in pts]
    pairs += [(evaluate(rad.subs(WIDTH, 1), p), L.l2_radius_G(p[N], p[M], p[DELTA])) for p in pts]
    dec = decide_zero(rad - N * entry_radius_expr(), None)
    mono, how = monotone_verdict([positive_logs(rad, (N,), (DELTA,))], M, -1)
    steps.append(make_step(
        "L2", "Frobenius bound and the summand ranges",
        r"\|V(0)-V^\infty\|_2\le\|V(0)-V^\infty\|_F\le n\sqrt{\frac{2\log(2n^2/\delta)}{m}}\ (w=2),\quad "
        r"\|G(0)-G^\infty\|_2\le n\sqrt{\frac{\log(2n^2/\delta)}{2m}}\ (w=1)",
        dec if mono is Verdict.PROVED else mono,
        "sqrt(n^2 t^2) = n t (SymPy). V's summand <P_u x_i, P_u x_j> 1 1 lies in [-1, 1] (Cauchy-Schwarz, "
        "||P_u x|| <= 1), G's sigma(<u,x_i>) sigma(<u,x_j>) in [0, 1]. The radius decreases in m (n >= 1, "
        "0 < delta < 1 encoded by log n >= 0, log delta < 0): " + how + ".",
        displays=[("radius", tex(rad))],
        numeric=[agreement("derived radii vs bounds.lemmas.l2_radius_V (w = 2) and l2_radius_G (w = 1)", pairs)],
        premises=cite("frobenius", "cauchy_schwarz", "relu")))
    # 4. the corollary widths and THEORY's 3/4
    share = sp.Rational(L.L2_SHARE.numerator, L.L2_SHARE.denominator)
    log2 = sp.log(2 * N**2 / DELTA)
    sols, stated = [], {2: 32 * N**2 * log2 / LAM**2, 1: 8 * N**2 * log2 / LAM**2}
    for w in (2, 1):
        s = sp.solve(sp.Eq(rad.subs(WIDTH, w), share * LAM), M)
        sols.append(s[0] - stated[w] if len(s) == 1 else sp.Integer(1))
    sols.append(1 - share - sp.Rational(3, 4))
    pairs = [(evaluate(stated[2], p), L.l2_width_V(p[N], p[DELTA], p[LAM])) for p in pts]
    pairs += [(evaluate(stated[1], p), L.l2_width_G(p[N], p[DELTA], p[LAM])) for p in pts]
    steps.append(make_step(
        "L2", "corollary widths (λ_min(M(0)) ≥ 3λ/4)",
        r"n\sqrt{\tfrac{2\log(2n^2/\delta)}{m}}\le\tfrac{\lambda_0}4\iff m\ge\frac{32n^2\log(2n^2/\delta)}{\lambda_0^2},\ "
        r"n\sqrt{\tfrac{\log(2n^2/\delta)}{2m}}\le\tfrac{\mu_0}4\iff m\ge\frac{8n^2\log(2n^2/\delta)}{\mu_0^2},\ "
        r"\lambda_{\min}(V(0))\ge\lambda_0-\tfrac{\lambda_0}4=\tfrac34\lambda_0",
        decide_zero(sols, None),
        f"sympy.solve of radius = share*lambda for m with the library's share L2_SHARE = {L.L2_SHARE} "
        "(bounds.lemmas), compared with THEORY.md's 32 and 8; Weyl gives 1 - share = 3/4.",
        numeric=[agreement("THEORY.md's corollary widths vs bounds.lemmas.l2_width_V / l2_width_G", pairs)],
        premises=cite("weyl")))
    return steps
