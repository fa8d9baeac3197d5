"""Symbolic derivations of the probabilistic lemmas at initialization: L3 and L4 (THEORY.md §6).

L3: E f(x)(0) = 0 and E f(x)(0)² = E σ(Z)² = 1/2 (random signs kill the cross terms),
hence E||f(0) − y||² = n/2 + ||y||².
L4: the density of t = ⟨u, x⟩ for u uniform on S^{d−1} is ∝ (1 − t²)^((d−3)/2);
P(|t| ≤ r) = I_{r²}(1/2, (d−1)/2); for d = 2 it is (2/π) arcsin r; for d ≥ 3 it is at most
r·sqrt(2(d−1)/π) ≤ r·sqrt(2d/π) (density bounded by its value at 0, Γ-ratio by
Cauchy-Schwarz); and P(|⟨w, x⟩| ≤ R) ≤ 2R/√(2π) for w ~ N(0, I).
Results are compared with ``wnproofs.bounds`` at 50 digits.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from wnproofs.bounds import (l3_expected_residual_sq, l4_gaussian_prob_bound, l4_sphere_prob_bound,
                             l4_sphere_prob_exact)
from wnproofs.symbolic import (NUMERIC_DPS, NumericCheck, Step, decide_nonnegative, decide_zero, make_step,
                             symbolic, tex)

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
            errs.append(abs(l3_expected_residual_sq(nn, ynorm) - (mpmath.mpf(nn) / 2 + ynorm)))
    return [
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
                  premises=("||x|| = 1 and w ~ N(0, I_d), so <w,x> ~ N(0, 1)",)),
        make_step("L3", "expected initial residual",
                  r"\mathbb E f(x)(0)^2=\frac1m\sum_k\mathbb E\sigma(\langle w_k,x\rangle)^2=\frac12,\qquad "
                  r"\mathbb E\|f(0)-y\|^2=\frac n2+\|y\|^2",
                  decide_zero(resid - (sp.Rational(n, 2) + sum(yi**2 for yi in y)), None),
                  f"Sum over n = {n} samples of E f_i^2 - 2 y_i E f_i + y_i^2 with the two previous steps.",
                  numeric=[_mp_check("bounds.l3_expected_residual_sq vs n/2 + ||y||^2 (4 random label vectors)",
                                     errs[1:])]),
    ]


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
                 _mp_check("Gamma(d/2)/Gamma((d-1)/2) - sqrt((d-1)/2), positive part", [float(v) for v in gam],
                           0.0)]))
    # Gaussian version
    gauss = sp.exp(-Z**2 / 2) / sp.sqrt(2 * sp.pi)
    Rg = sp.Symbol("R", positive=True)
    prob = sp.integrate(gauss, (Z, -Rg, Rg))
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
                           [float(v) for v in gviol], 0.0)]))
    return steps
