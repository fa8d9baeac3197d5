"""Symbolic derivations of the probabilistic lemmas at initialization: L3 and L4 (THEORY.md §6).

L3: E f(x)(0) = 0 and E f(x)(0)² = E σ(Z)² = 1/2 (random signs kill the cross terms),
hence E||f(0) − y||² = n/2 + ||y||²; Markov gives (n/2 + ||y||²)/δ; the moment generating
function E e^{λcσ(Z)} = ½ + ½e^{λ²/2} ≤ e^{λ²/2} and Chernoff give the tail 2e^{−s²/2}, the
union bound over the n samples the radius sqrt(2 log(2n/δ)) and B = √n (radius + max|y_i|).
L4: the density of t = ⟨u, x⟩ for u uniform on S^{d−1} is ∝ (1 − t²)^((d−3)/2);
P(|t| ≤ r) = I_{r²}(1/2, (d−1)/2); for d = 2 it is (2/π) arcsin r; for d ≥ 3 it is at most
r·sqrt(2(d−1)/π) ≤ r·sqrt(2d/π) (density bounded by its value at 0, Γ-ratio by
Cauchy-Schwarz); and P(|⟨w, x⟩| ≤ R) ≤ 2R/√(2π) for w ~ N(0, I).
L4 also: the flip criterion |⟨w_k(0), x⟩| ≤ ||Δv_k||/α.
Results are compared with the library's one function per constant (``wnproofs.bounds.lemmas``)
at 50 digits (grids) or 30 digits (random points).
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from wnproofs.bounds import lemmas as Lm
from wnproofs.bounds import (l3_expected_residual_sq, l4_gaussian_prob_bound, l4_sphere_prob_bound,
                             l4_sphere_prob_exact)
from wnproofs.symbolic import (NUMERIC_DPS, NumericCheck, Step, Verdict, decide_nonnegative, decide_zero,
                             make_step, symbolic, tex)

from ._tools import agreement, draws, evaluate, positive_sampler
from .premises import cite

TOPIC = "probability"
TITLE = "Initial residual and anti-concentration (L3-L4)"

T = sp.Symbol("t", real=True)
Z = sp.Symbol("z", real=True)
R = sp.Symbol("r", positive=True)
DIM = sp.Symbol("d", positive=True, integer=True)
Q = sp.Symbol("q", positive=True)        # 1 − t² on (−1, 1)
EXPLICIT_DIMS = (2, 3, 4, 5, 6, 7)


def _mp_check(description: str, errs: list, tol: float = 1e-40) -> NumericCheck:
    return NumericCheck(description, float(max(errs)) if errs else float("nan"), tol, len(errs), NUMERIC_DPS)


# -- L3 --------------------------------------------------------------------------------

@symbolic("L3", topic=TOPIC, title=TITLE)
def derive_l3(candidate: sp.Expr | None = None) -> list[Step]:
    """L3: E f(x)(0) = 0, E f(x)(0)² = 1/2 and E||f(0) − y||² = n/2 + ||y||².

    ``candidate`` replaces the stated second moment 1/2 (a planted error must fail).
    """
    second = sp.Rational(1, 2) if candidate is None else sp.sympify(candidate)
    m = 3
    s = sp.symbols(f"s1:{m + 1}", real=True)      # σ(⟨w_k, x⟩), independent of the signs
    patterns = list(itertools.product((-1, 1), repeat=m))
    mean = sum(sum(c * sk for c, sk in zip(cs, s)) for cs in patterns) / len(patterns)
    sq = sum(sum(c * sk for c, sk in zip(cs, s)) ** 2 for cs in patterns) / len(patterns)
    gauss = sp.exp(-Z**2 / 2) / sp.sqrt(2 * sp.pi)
    es2 = sp.integrate(Z**2 * gauss, (Z, 0, sp.oo))
    n = 3
    y = sp.symbols(f"y1:{n + 1}", real=True)
    # E (f_i − y_i)² = E f_i² − 2 y_i E f_i + y_i² with E f_i = 0, E f_i² = 1/2
    resid = sum(es2 - 2 * yi * 0 + yi**2 for yi in y)
    with mpmath.workdps(NUMERIC_DPS):
        quad = mpmath.quad(lambda z: z**2 * mpmath.exp(-z**2 / 2), [0, mpmath.inf]) / mpmath.sqrt(2 * mpmath.pi)
        errs = [abs(quad - mpmath.mpf(1) / 2)]
        rng = np.random.default_rng(3)
        for _ in range(4):
            nn = int(rng.integers(1, 20))
            yy = [mpmath.mpf(float(v)) for v in rng.standard_normal(nn)]
            ynorm = mpmath.fsum(v * v for v in yy)
            errs.append(abs(l3_expected_residual_sq(nn, ynorm) - (nn * mpmath.mpf(sp.N(es2, 60)) + ynorm)))
    steps = [
        make_step("L3", "random signs remove the cross terms",
                  r"\mathbb E_c\Big[\sum_k c_ks_k\Big]=0,\qquad \mathbb E_c\Big[\Big(\sum_k c_ks_k\Big)^2\Big]=\sum_k s_k^2",
                  decide_zero([mean, sq - sum(sk**2 for sk in s)], None),
                  f"Average over all {len(patterns)} sign patterns c in {{-1, +1}}^{m} with s_k = sigma(<w_k,x>) "
                  "symbols (the signs are independent of w), expanded.",
                  premises=("c_k independent of w_k; the same identity for every m by the same expansion",)),
        make_step("L3", "second moment of one neuron",
                  r"\langle w,x\rangle\sim\mathcal N(0,1):\quad \mathbb E\,\sigma(\langle w,x\rangle)^2"
                  r"=\int_0^\infty z^2\frac{e^{-z^2/2}}{\sqrt{2\pi}}dz=\frac12",
                  decide_zero(es2 - second, None),
                  "sympy.integrate of z^2 times the standard normal density over (0, oo).",
                  displays=[("SymPy integral", tex(es2))],
                  numeric=[_mp_check("mpmath.quad of the same integral", [errs[0]])],
                  premises=cite("gaussian_projection")),
        make_step("L3", "expected initial residual",
                  r"\mathbb E f(x)(0)^2=\frac1m\sum_k\mathbb E\sigma(\langle w_k,x\rangle)^2=\frac12,\qquad "
                  r"\mathbb E\|f(0)-y\|^2=\frac n2+\|y\|^2",
                  decide_zero(resid - (sp.Rational(n, 2) + sum(yi**2 for yi in y)), None),
                  f"Sum over n = {n} samples of E f_i^2 - 2 y_i E f_i + y_i^2 with the two previous steps.",
                  numeric=[_mp_check("bounds.l3_expected_residual_sq vs n E sigma^2 + ||y||^2 (4 label vectors)",
                                     errs[1:])]),
    ]
    return steps + _l3_tails(es2)


# symbols of the L3 tails (exported for the convergence chain)
NS, YMAX, DELTA, SS, LMB = sp.symbols("n y_max delta s lambda", positive=True)
L3_POINTS = 10


def _l3_rand(rng):
    return {NS: int(rng.integers(1, 80)), YMAX: float(rng.uniform(0, 3)),
            DELTA: float(10 ** rng.uniform(-14, -0.01)), SS: float(rng.uniform(0.01, 12))}


def subgaussian_tail_expr() -> sp.Expr:
    """2·min_λ e^{−λs + λ²/2} = 2e^{−s²/2} (Chernoff with the MGF bound), derived."""
    exponent = -LMB * SS + LMB**2 / 2
    lam_opt = sp.solve(sp.diff(exponent, LMB), LMB)[0]
    return 2 * sp.exp(exponent.subs(LMB, lam_opt))


def subgaussian_radius_expr() -> sp.Expr:
    """The s with n·(tail) = δ (union bound over the samples), by sympy.solve."""
    sol = sp.solve(sp.Eq(NS * subgaussian_tail_expr(), DELTA), SS)
    if len(sol) != 1:
        raise ArithmeticError(f"expected one positive root, got {sol}")
    return sol[0]


def subgaussian_B_expr() -> sp.Expr:
    """B = √n (s + y_max): ||f(0) − y|| ≤ √n max_i |f_i(0) − y_i| ≤ √n (max_i |f_i(0)| + y_max)."""
    return sp.sqrt(NS) * (subgaussian_radius_expr() + YMAX)


def _l3_tails(es2: sp.Expr) -> list[Step]:
    pts = draws(_l3_rand, L3_POINTS, seed=3)
    steps = []
    # Markov
    ysq = sp.Symbol("Y", nonnegative=True)       # ||y||²
    expected = NS * es2 + ysq
    pairs = [(evaluate(expected / DELTA, {**p, ysq: p[YMAX] ** 2}), Lm.l3_markov_residual_sq(p[NS], p[YMAX] ** 2, p[DELTA]))
             for p in pts]
    steps.append(make_step(
        "L3", "Markov bound on the residual",
        r"\Pr\Big[\|f(0)-y\|^2\ge\frac{\mathbb E\|f(0)-y\|^2}{\delta}\Big]\le\delta,\quad"
        r"\frac{\mathbb E\|f(0)-y\|^2}{\delta}=\frac{n/2+\|y\|^2}{\delta}",
        decide_zero(expected / DELTA * DELTA - expected, None),
        "Markov's inequality with the expectation of the previous step (E sigma^2 from the integral).",
        numeric=[agreement("derived Markov threshold vs bounds.lemmas.l3_markov_residual_sq, 10 random points",
                           pairs)],
        premises=cite("markov")))
    # MGF of one neuron and the sub-Gaussian tail
    lam = sp.Symbol("lambda", positive=True)
    gauss = sp.exp(-Z**2 / 2) / sp.sqrt(2 * sp.pi)
    pos = sp.integrate(sp.exp(lam * Z) * gauss, (Z, 0, sp.oo))
    neg = sp.integrate(sp.exp(-lam * Z) * gauss, (Z, 0, sp.oo))
    mgf = sp.simplify(((sp.Rational(1, 2) + pos) + (sp.Rational(1, 2) + neg)) / 2)   # c = ±1 equally likely
    a = sp.Symbol("a", nonnegative=True)                          # a = λ²/2, e^a ≥ 1
    excess = sp.expand((sp.exp(lam**2 / 2) - mgf).subs(sp.exp(lam**2 / 2), 1 + a))
    tail = subgaussian_tail_expr()
    pairs = [(evaluate(tail, p), Lm.l3_subgaussian_tail(p[SS])) for p in pts]
    steps.append(make_step(
        "L3", "sub-Gaussian tail of f(x)(0)",
        r"\mathbb E e^{\lambda c\sigma(Z)}=\tfrac12+\tfrac12e^{\lambda^2/2}\le e^{\lambda^2/2}\Rightarrow"
        r"\mathbb E e^{\lambda f(x)(0)}\le e^{\lambda^2/2},\ \Pr(|f(x)(0)|>s)\le2\min_\lambda e^{-\lambda s+\lambda^2/2}=2e^{-s^2/2}",
        decide_zero([mgf - (sp.Rational(1, 2) + sp.exp(lam**2 / 2) / 2), excess - a / 2], None),
        "sympy.integrate of e^{±lambda z} times the normal density over (0, oo) (sigma(Z) = 0 w.p. 1/2), "
        "averaged over c = ±1; e^{lambda^2/2} - MGF = (e^a - 1)/2 with e^a = 1 + a', a' >= 0; the MGF of "
        "f = m^(-1/2) sum_k c_k sigma(Z_k) is the product of m such factors at lambda/sqrt(m), <= e^{lambda^2/2}; "
        "Chernoff minimised by sympy.solve of the derivative (lambda = s), symmetric for the two sides.",
        displays=[("MGF", tex(mgf)), ("tail", tex(tail))],
        numeric=[agreement("derived tail vs bounds.lemmas.l3_subgaussian_tail", pairs)],
        premises=cite("chernoff", "exp_monotone", "gaussian_projection")))
    rad = subgaussian_radius_expr()
    B = subgaussian_B_expr()
    pairs = [(evaluate(rad, p), Lm.l3_subgaussian_radius(p[NS], p[DELTA])) for p in pts]
    pairs_B = [(evaluate(B, p), Lm.l3_subgaussian_B(p[NS], p[YMAX], p[DELTA])) for p in pts]
    steps.append(make_step(
        "L3", "union over the samples and B",
        r"n\cdot2e^{-s^2/2}=\delta\iff s=\sqrt{2\log(2n/\delta)},\quad \|f(0)-y\|\le\sqrt n\max_i|f_i(0)-y_i|"
        r"\le B=\sqrt n\,(s+\max_i|y_i|)",
        decide_zero(NS * tail.subs(SS, rad) - DELTA, None),
        "sympy.solve of n times the tail = delta for s > 0, substituted back; ||v|| <= sqrt(n) max|v_i|.",
        displays=[("s", tex(rad)), ("B", tex(B))],
        numeric=[agreement("derived radius vs bounds.lemmas.l3_subgaussian_radius", pairs),
                 agreement("derived B vs bounds.lemmas.l3_subgaussian_B", pairs_B)],
        premises=cite("union")))
    return steps


# -- L4 --------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def sphere_cdf(d: int) -> sp.Expr:
    """P(|⟨u, x⟩| ≤ r) for u uniform on S^{d−1}, explicit d, by sympy.integrate."""
    dens = (1 - T**2) ** sp.Rational(d - 3, 2)
    norm_ = sp.integrate(dens, (T, -1, 1))
    return sp.simplify(sp.integrate(dens, (T, -R, R)) / norm_)


def _beta_norm(d) -> sp.Expr:
    """B(1/2, (d−1)/2) = Γ(1/2)Γ((d−1)/2)/Γ(d/2)."""
    return sp.gamma(sp.Rational(1, 2)) * sp.gamma((sp.sympify(d) - 1) / 2) / sp.gamma(sp.sympify(d) / 2)


def _r_grid():
    return [mpmath.mpf(k) / 17 for k in range(1, 17)] + [mpmath.mpf("0.999"), mpmath.mpf("1e-6")]


@symbolic("L4", topic=TOPIC, title=TITLE)
def derive_l4(candidate: sp.Expr | None = None) -> list[Step]:
    """L4: exact law of ⟨u, x⟩ on the sphere, the incomplete-beta probability, the arcsin form
    for d = 2, the bound r·sqrt(2d/π) for d ≥ 3 and the Gaussian bound 2R/√(2π).

    ``candidate`` (an expression in ``R`` and ``DIM``) replaces the stated bound r·sqrt(2d/π);
    a candidate that is too small must make the derivation fail.
    """
    bound = R * sp.sqrt(2 * DIM / sp.pi) if candidate is None else sp.sympify(candidate)
    steps: list[Step] = []
    # density: area of the slice (radius sqrt(1 − t²))^(d−2) times the meridian arc length dt/sqrt(1 − t²)
    arc = sp.diff(sp.asin(T), T)
    steps.append(make_step(
        "L4", "density of <u,x> on the sphere",
        r"p_d(t)\propto\big(\sqrt{1-t^2}\big)^{d-2}\,\frac{d}{dt}\arcsin t=(1-t^2)^{(d-3)/2},\quad -1<t<1",
        decide_zero([arc - 1 / sp.sqrt(1 - T**2),
                     sp.powsimp(Q ** ((DIM - 2) / 2) * Q ** sp.Rational(-1, 2) - Q ** ((DIM - 3) / 2))], None),
        "sympy.diff of arcsin (the meridian arc length per dt), and powsimp of the product with q = 1 - t^2 > 0 "
        "for symbolic d.",
        premises=("the slice {u : <u,x> = t} of S^(d-1) is a (d-2)-sphere of radius sqrt(1-t^2), whose area is "
                  "proportional to its radius^(d-2)",)))
    # normalisation and incomplete beta
    norms = [sp.integrate((1 - T**2) ** sp.Rational(d - 3, 2), (T, -1, 1)) - _beta_norm(d) for d in EXPLICIT_DIMS]
    s = sp.Symbol("s", positive=True)
    a = sp.Symbol("a", real=True)
    subst = 2 * (1 - s) ** a * sp.diff(sp.sqrt(s), s) - s ** sp.Rational(-1, 2) * (1 - s) ** a
    errs = []
    with mpmath.workdps(NUMERIC_DPS):
        for d in EXPLICIT_DIMS:
            f = sp.lambdify(R, sphere_cdf(d), "mpmath")
            errs += [abs(f(r) - l4_sphere_prob_exact(r, d)) for r in _r_grid()]
    steps.append(make_step(
        "L4", "incomplete beta form",
        r"\int_{-1}^{1}(1-t^2)^{\frac{d-3}{2}}dt=B\big(\tfrac12,\tfrac{d-1}2\big),\quad "
        r"\mathbb P(|\langle u,x\rangle|\le r)=\frac{\int_0^{r^2}s^{-1/2}(1-s)^{\frac{d-3}2}ds}{B(\frac12,\frac{d-1}2)}"
        r"=I_{r^2}\big(\tfrac12,\tfrac{d-1}2\big)",
        decide_zero(norms + [subst], None),
        f"Normalising constant by sympy.integrate for d = {', '.join(map(str, EXPLICIT_DIMS))} against "
        "Gamma(1/2)Gamma((d-1)/2)/Gamma(d/2); the substitution t = sqrt(s) (2 (1-s)^a d sqrt(s)/ds = "
        "s^(-1/2)(1-s)^a, symbolic a) turns the even integral over [-r, r] into the incomplete beta integral.",
        displays=[(rf"$\mathbb P(|\langle u,x\rangle|\le r)$, $d = {d}$", tex(sphere_cdf(d))) for d in (3, 4, 5)],
        numeric=[_mp_check("sympy.integrate CDFs (d = 2..7) vs bounds.l4_sphere_prob_exact (betainc), "
                           "18 radii each", errs)]))
    # d = 2: arcsin form
    with mpmath.workdps(NUMERIC_DPS):
        errs2 = [abs((2 / mpmath.pi) * mpmath.asin(r) - l4_sphere_prob_bound(r, 2)) for r in _r_grid()]
    steps.append(make_step(
        "L4", "d = 2: arcsin law",
        r"d=2:\ \mathbb P(|\langle u,x\rangle|\le r)=\frac1\pi\int_{-r}^{r}\frac{dt}{\sqrt{1-t^2}}=\frac2\pi\arcsin r",
        decide_zero(sphere_cdf(2) - 2 * sp.asin(R) / sp.pi, None),
        "sympy.integrate of the d = 2 density (unbounded at t = +-1, so the d >= 3 argument below does not apply).",
        numeric=[_mp_check("(2/pi) arcsin r vs bounds.l4_sphere_prob_bound(r, 2)", errs2)]))
    # d ≥ 3: density bound, Gamma ratio by Cauchy–Schwarz, comparison with the stated bound
    zz, aa = sp.Symbol("zeta", nonnegative=True), sp.Symbol("a", nonnegative=True)
    x, tt = sp.Symbol("x", positive=True), sp.Symbol("tau", positive=True)
    f1, f2 = tt ** ((x - 1) / 2) * sp.exp(-tt / 2), tt ** (x / 2) * sp.exp(-tt / 2)
    steps.append(make_step(
        "L4", "d >= 3: the density is largest at 0",
        r"a=\tfrac{d-3}{2}\ge0,\ 1-t^2=\tfrac1{1+\zeta},\ \zeta\ge0:\quad \log(1-t^2)^a=-a\log(1+\zeta)\le0",
        decide_nonnegative(aa * sp.log(1 + zz), None),
        "Sign of a log(1 + zeta) from SymPy's assumptions (a, zeta nonnegative); hence "
        "P(|<u,x>| <= r) <= 2r/B(1/2, (d-1)/2) = 2r Gamma(d/2)/(sqrt(pi) Gamma((d-1)/2))."))
    steps.append(make_step(
        "L4", "Gamma ratio by Cauchy-Schwarz",
        r"\Gamma(x+\tfrac12)=\int_0^\infty\big(\tau^{\frac{x-1}2}e^{-\frac\tau2}\big)\big(\tau^{\frac x2}e^{-\frac\tau2}\big)d\tau"
        r"\le\sqrt{\Gamma(x)\Gamma(x+1)}=\sqrt x\,\Gamma(x),\quad x=\tfrac{d-1}2:\ "
        r"\frac{\Gamma(d/2)}{\Gamma((d-1)/2)}\le\sqrt{\tfrac{d-1}2}",
        decide_zero([sp.powsimp(f1 * f2 - tt ** (x - sp.Rational(1, 2)) * sp.exp(-tt)),
                     sp.powsimp(f1**2 - tt ** (x - 1) * sp.exp(-tt)), sp.powsimp(f2**2 - tt**x * sp.exp(-tt)),
                     sp.gammasimp(sp.gamma(x + 1) - x * sp.gamma(x))], None),
        "SymPy checks the factorisation of the Gamma integrand and of the squares of its factors, and "
        "Gamma(x+1) = x Gamma(x); the inequality is Cauchy-Schwarz in L^2(0, oo).",
        premises=("Cauchy-Schwarz inequality",)))
    sharp = R * sp.sqrt(2 * (DIM - 1) / sp.pi)
    with mpmath.workdps(NUMERIC_DPS):
        viol, gam = [], []
        for d in list(range(3, 41)) + [100, 1000]:
            gam.append(max(mpmath.mpf(0), mpmath.gamma(mpmath.mpf(d) / 2) / mpmath.gamma(mpmath.mpf(d - 1) / 2)
                           - mpmath.sqrt(mpmath.mpf(d - 1) / 2)))
            fb = sp.lambdify((R, DIM), bound, "mpmath")
            for r in _r_grid():
                viol.append(max(mpmath.mpf(0), l4_sphere_prob_exact(r, d) - fb(r, d)))
                viol.append(max(mpmath.mpf(0), l4_sphere_prob_exact(r, d) - l4_sphere_prob_bound(r, d)))
    steps.append(make_step(
        "L4", "d >= 3: the stated bound",
        r"\mathbb P(|\langle u,x\rangle|\le r)\le\frac{2r\,\Gamma(d/2)}{\sqrt\pi\,\Gamma(\frac{d-1}2)}"
        r"\le r\sqrt{\frac{2(d-1)}{\pi}}\le r\sqrt{\frac{2d}{\pi}}",
        decide_nonnegative(sp.expand(bound**2 - sharp**2), None),
        "The two previous steps give the middle bound r sqrt(2(d-1)/pi) (sharper than stated); the stated "
        "bound dominates it: bound^2 - (r sqrt(2(d-1)/pi))^2 >= 0 by SymPy's assumptions.",
        displays=[("bound squared minus sharper bound squared", tex(sp.expand(bound**2 - sharp**2)))],
        numeric=[_mp_check("exact probability minus the bound (symbolic and bounds.l4_sphere_prob_bound), "
                           "positive part, d = 3..40, 100, 1000, 18 radii", [float(v) for v in viol], 0.0),
                 agreement("THEORY.md's bound r sqrt(2d/pi) vs bounds.lemmas.l4_sphere_prob_bound, 10 random (r, d >= 3) "
                           "below the cap 1",
                           [(evaluate(R * sp.sqrt(2 * DIM / sp.pi), pt), Lm.l4_sphere_prob_bound(pt[R], pt[DIM]))
                            for pt in draws(lambda g: {R: float(10 ** g.uniform(-8, -1.5)),
                                                       DIM: int(g.integers(3, 200))}, 10, seed=7)]),
                 _mp_check("Gamma(d/2)/Gamma((d-1)/2) - sqrt((d-1)/2), positive part", [float(v) for v in gam],
                           0.0)]))
    # Gaussian version
    gauss = sp.exp(-Z**2 / 2) / sp.sqrt(2 * sp.pi)
    Rg = sp.Symbol("R", positive=True)
    prob = sp.integrate(gauss, (Z, -Rg, Rg))
    gbound = sp.integrate(gauss.subs(Z, 0), (Z, -Rg, Rg))      # the density at its maximum z = 0
    with mpmath.workdps(NUMERIC_DPS):
        gviol = [max(mpmath.mpf(0), mpmath.erf(r / mpmath.sqrt(2)) - l4_gaussian_prob_bound(r))
                 for r in [mpmath.mpf(k) / 8 for k in range(1, 40)]]
    steps.append(make_step(
        "L4", "Gaussian anti-concentration",
        r"\mathbb P(|\langle w,x\rangle|\le R)=\int_{-R}^{R}\frac{e^{-z^2/2}}{\sqrt{2\pi}}dz"
        r"=\operatorname{erf}\big(R/\sqrt2\big)\le\frac{2R}{\sqrt{2\pi}}\quad(e^{-z^2/2}\le1)",
        decide_zero(prob - sp.erf(Rg / sp.sqrt(2)), None),
        "sympy.integrate of the standard normal density; the bound replaces the density by its maximum "
        "1/sqrt(2 pi) (exp(-z^2/2) <= 1 since -z^2/2 <= 0).",
        numeric=[_mp_check("erf(R/sqrt 2) - bounds.l4_gaussian_prob_bound(R), positive part, 39 radii",
                           [float(v) for v in gviol], 0.0),
                 agreement("derived P(|<w,x>| <= R) vs bounds.lemmas.l4_gaussian_prob_exact, 10 random R",
                           [(evaluate(prob, {Rg: r}), Lm.l4_gaussian_prob_exact(r))
                            for r in draws(lambda g: float(10 ** g.uniform(-8, 1)), 10, seed=4)]),
                 agreement("derived 2R x (max density) vs bounds.lemmas.l4_gaussian_prob_bound, 10 random R < 1",
                           [(evaluate(gbound, {Rg: r}), Lm.l4_gaussian_prob_bound(r))
                            for r in draws(lambda g: float(10 ** g.uniform(-8, -0.1)), 10, seed=6)])],
        premises=cite("gaussian_projection")))
    steps.append(_flip_step())
    return steps


def _flip_step() -> Step:
    """L4's flip criterion: a sign change of ⟨v, x⟩ needs |⟨v(0), x⟩| ≤ |⟨Δv, x⟩| ≤ ||Δv||."""
    p, q, a = sp.symbols("p q alpha", positive=True)
    qq = sp.Symbol("q0", nonnegative=True)
    # ⟨v(0), x⟩ = p > 0 and ⟨v(t), x⟩ = −q0 ≤ 0: |⟨Δv, x⟩| = p + q0 ≥ p (and symmetrically)
    dv, al = sp.symbols("Delta_v alpha", positive=True)
    # the library's function is generic (+, /): called on symbols, compared exactly
    dec = decide_nonnegative((p + qq) - p, None)
    lib = decide_zero(Lm.l4_flip_radius(dv, al) - dv / al, positive_sampler(dv, al))
    if lib.verdict is not Verdict.PROVED:
        dec = lib
    return make_step(
        "L4", "flip criterion",
        r"\operatorname{sign}\langle v_k(0),x\rangle\ne\operatorname{sign}\langle v_k(t),x\rangle\Rightarrow"
        r"|\langle v_k(0),x\rangle|\le|\langle\Delta v_k,x\rangle|\le\|\Delta v_k\|,\quad"
        r"|\langle w_k(0),x\rangle|\le\|\Delta v_k\|/\alpha\ (w_k(0)=v_k(0)/\alpha)",
        dec,
        "With <v(0),x> = p > 0 and <v(t),x> = -q0 <= 0: |<Delta v, x>| = p + q0 >= p (SymPy's assumptions); the "
        "other sign is symmetric; Cauchy-Schwarz with ||x|| = 1. bounds.lemmas.l4_flip_radius, called on "
        "SymPy symbols, equals ||Delta v||/alpha exactly.",
        premises=cite("cauchy_schwarz"))
