"""The convergence chain of T1-T4 and C1, composed from the derived lemmas and closed symbolically.

THEORY.md §8's proof skeleton with every constant kept.  Notation: λ^∞ = λ_0/α² (V-dominated:
T1 GD, T3 GF), μ_0 (G-dominated: T2, T4) or λ_H (C1); u = m^(−1/2); g_k(0) = ||w_k(0)|| ~ χ_d.

1. χ_d moments (the law of the initial lengths) by the fundamental theorem of calculus, and
   the variance proxy whose product with u is monotone (d = 2: Abramowitz & Stegun 5.1.20).
2. The width conditions, built from the *derived* lemma expressions (L2: concentration.py,
   L3: probability.py, L4, L5, L6: stability.py) and the budget of the kernel floor; every
   left and right side evaluated against :func:`wnproofs.bounds.width_conditions` at random
   points (and C1's against :func:`~wnproofs.bounds.c1_conditions`, :func:`~wnproofs.bounds.m_du`).
3. Monotonicity: every left side is nondecreasing in u (so nonincreasing in m) for all values
   of the symbols in their domain, proved by structure; hence the bisection's m* is a
   threshold: every m ≥ m* meets every condition (checked on the derived conditions at m*).
4. Closure: Weyl turns the conditions into λ_min(Λ(t)) ≥ (1 − l2 − stability)λ^∞ ≥ the
   theorem table's floor; D5 + Grönwall (GF) or the one-step contraction (GD) give the table's
   rate, whose decay is the one the L6 radii assumed; continuity / induction closes the loop.
5. The GD step bounds and C1's explicit width, with Du et al.'s R′ carrying the factor 2 (GF)
   or 4 (GD) that the published form omits; the theorem table's rows against the chain.
Where SymPy cannot decide a step it is inconclusive, never proved.
"""

from __future__ import annotations

import zlib
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from wnproofs import bounds as Bd
from wnproofs import theorems as Th
from wnproofs.symbolic import Step, Verdict, decide_nonnegative, decide_zero, make_step, symbolic, tex

from . import concentration as L2d
from . import probability as L34d
from . import stability as L56d
from ._tools import AGREE_DPS, agreement, draws, monotone_verdict, positive_logs
from .premises import cite

TOPIC = "convergence"
TITLE = "The convergence chain: explicit widths, step bounds and its closure (T1-T4, C1)"

N, DELTA, LAM, ALPHA, Y, ETA, U, G = sp.symbols("n delta lambda alpha y_max eta u g", positive=True)
K = sp.Symbol("k", integer=True, nonnegative=True)          # d = k + 3 (the d ≥ 3 branch)
DCASES = ("2", "ge3")
POINTS = 6


def _small_u(e: sp.Expr) -> sp.Expr:
    """``e`` near u = 0: Min(1, X) → X (X → 0 there), so that sympy.limit can expand it."""
    return e.replace(lambda z: isinstance(z, sp.Min) and sp.Integer(1) in z.args,
                     lambda z: sp.Min(*[a for a in z.args if a != 1]))


def _rat(x) -> sp.Rational:
    return sp.Rational(x.numerator, x.denominator)


# =============================================================================
# 1. χ_d moments
# =============================================================================

def _partial(a: sp.Expr, upper: sp.Expr) -> sp.Expr:
    """∫_0^upper r^a e^{−r²/2} dr = 2^{(a−1)/2} γ((a+1)/2, upper²/2) (a > −1)."""
    return 2 ** ((a - 1) / 2) * sp.lowergamma((a + 1) / 2, upper**2 / 2)


def _full(a: sp.Expr) -> sp.Expr:
    return 2 ** ((a - 1) / 2) * sp.gamma((a + 1) / 2)


@lru_cache(maxsize=None)
def moments(dcase: str) -> dict:
    """E1 = E[1/χ_d], cdf(γ) = P(χ_d < γ), below(γ) = E[χ^{−2}1{χ < γ}] (d ≥ 3), s2bar(γ) ≥ E[χ^{−2}1{χ ≥ γ}]."""
    d = sp.Integer(2) if dcase == "2" else K + 3
    Z = _full(d - 1)
    out = {"E1": sp.gammasimp(_full(d - 2) / Z), "cdf": lambda g: sp.powsimp(_partial(d - 1, g) / Z)}
    if dcase == "2":
        out["s2bar"] = lambda g: 1 / (sp.sqrt(2) * g)
        out["below"] = None
    else:
        out["s2bar"] = lambda g: sp.gammasimp(_full(d - 3) / Z)
        out["below"] = lambda g: sp.powsimp(_partial(d - 3, g) / Z)
    return out


def _dval(dcase: str, d: int) -> dict:
    return {} if dcase == "2" else {K: d - 3}


def _moment_step() -> Step:
    r = sp.Symbol("r", positive=True)
    a = sp.Symbol("a", positive=True)
    # the antiderivative, by the fundamental theorem of calculus (derivative and value at 0)
    F = _partial(a - 1, G)
    ftc = [sp.simplify(sp.diff(F, G) - G ** (a - 1) * sp.exp(-G**2 / 2))]
    # d = 2: E[χ^{−2}1{χ ≥ γ}] = E1(γ²/2)/2, and log(1 + t) ≤ √t (h(0) = 0, h' ≥ 0)
    e1 = sp.expint(1, G**2 / 2) / 2
    ftc.append(sp.simplify(sp.diff(e1, G) + G ** (-1) * sp.exp(-G**2 / 2)))
    s = sp.Symbol("s", positive=True)            # t = s²
    hprime = sp.factor(sp.diff(sp.sqrt(s**2), s) / (2 * s) - 1 / (1 + s**2))
    inv2 = sp.simplify(sp.expand_func(moments("ge3")["s2bar"](G) - 1 / (K + 1)))
    dec = decide_zero(ftc + [inv2], None)
    dec2 = decide_nonnegative(hprime, None)
    pts = draws(lambda g: {"d": int(g.integers(2, 40)), "g": float(10 ** g.uniform(-6, 0.5))}, 8, seed=11)
    pairs = []
    for p in pts:
        dc = "2" if p["d"] == 2 else "ge3"
        mo, dv = moments(dc), _dval(dc, p["d"])
        with mpmath.workdps(AGREE_DPS + 10):
            lib = [Bd.chi_inv_mean(p["d"]), Bd.chi_cdf(p["d"], p["g"]), Bd.chi_inv_sq_bar(p["d"], p["g"])]
            if dc == "ge3":
                lib.append(Bd.chi_inv_sq_below(p["d"], p["g"]))
        pairs += [(_num(mo["E1"] + 0 * G, {**dv, G: p["g"]}), lib[0]),
                  (_num(mo["cdf"](G), {**dv, G: p["g"]}), lib[1]),
                  (_num(mo["s2bar"](G), {**dv, G: p["g"]}), lib[2])]
        if dc == "ge3":
            pairs.append((_num(mo["below"](G), {**dv, G: p["g"]}), lib[3]))
    verdict = dec if dec.verdict is not Verdict.PROVED else dec2
    return make_step(
        "T3", "χ_d moments of the initial lengths",
        r"\int_0^\gamma r^{a-1}e^{-r^2/2}dr=2^{\frac a2-1}\gamma\big(\tfrac a2,\tfrac{\gamma^2}2\big)\Rightarrow"
        r"\mathbb E\chi_d^{-1}=\frac{\Gamma(\frac{d-1}2)}{\sqrt2\,\Gamma(\frac d2)},\ \Pr(\chi_d<\gamma)=\frac{\gamma(\frac d2,\frac{\gamma^2}2)}{\Gamma(\frac d2)},\ "
        r"\mathbb E\chi_d^{-2}=\frac1{d-2}\ (d\ge3),\ \mathbb E[\chi_2^{-2}1\{\chi_2\ge\gamma\}]=\tfrac12E_1(\tfrac{\gamma^2}2)\le\frac1{\sqrt2\gamma}",
        verdict,
        "Antiderivatives checked by differentiation (SymPy) with value 0 at 0 (and at infinity for E1); "
        "the chi_d density r^(d-1) e^(-r^2/2)/(2^(d/2-1) Gamma(d/2)); d >= 3 written d = k + 3; for d = 2, "
        "E1(x) <= e^(-x) log(1 + 1/x) <= log(1 + 1/x) <= 1/sqrt(x) with log(1 + t) <= sqrt(t) from h(0) = 0 and "
        "h'(s^2) = (s - 1)^2/(2 s^2 (1 + s^2)) >= 0. The variance proxy s2bar times gamma is nondecreasing, which "
        "the monotonicity step needs (the truncated second moment itself is not).",
        displays=[("E[1/χ_d]", tex(moments("ge3")["E1"])), ("h'", tex(hprime))],
        numeric=[agreement("derived moments vs bounds.chi_inv_mean, chi_cdf, chi_inv_sq_bar, chi_inv_sq_below "
                           "(8 random d in 2..39, gamma)", pairs)],
        premises=cite("gaussian_projection", "e1_bound", "exp_monotone"))


def _num(expr: sp.Expr, subs: dict) -> mpmath.mpf:
    """``expr`` at ``subs`` in mpmath at AGREE_DPS digits (every argument an mpf first, so no
    intermediate float64 arithmetic)."""
    keys = list(subs)
    f = sp.lambdify(keys, sp.sympify(expr), "mpmath")
    with mpmath.workdps(AGREE_DPS + 40):
        return mpmath.mpf(f(*[mpmath.mpf(subs[k]) for k in keys]))


def _call(f, *args):
    """A lambdified function on mpf arguments, with AGREE_DPS + 40 working digits: SymPy writes
    γ(1, x) as 1 − e^{−x}, which cancels for tiny x (the library's gammainc does not)."""
    with mpmath.workdps(AGREE_DPS + 40):
        return f(*[mpmath.mpf(a) for a in args])


# =============================================================================
# 2. the width conditions, composed from the derived lemmas
# =============================================================================

def _hoeff(m, delta, width, sides):
    return L2d.hoeffding_expr(sides).subs({L2d.M: m, L2d.DELTA: delta, L2d.WIDTH: width}, simultaneous=True)


def _l2(n, m, delta, width):
    return L2d.gram_radius_expr().subs({L2d.N: n, L2d.M: m, L2d.DELTA: delta, L2d.WIDTH: width},
                                       simultaneous=True)


def _B(n, y, delta):
    return L34d.subgaussian_B_expr().subs({L34d.NS: n, L34d.YMAX: y, L34d.DELTA: delta}, simultaneous=True)


@lru_cache(maxsize=None)
def _gauss_cdf() -> sp.Expr:
    """P(|Z| ≤ R) for Z ~ N(0, 1), by sympy.integrate (L4's exact Gaussian probability)."""
    z = sp.Symbol("z", real=True)
    return sp.integrate(sp.exp(-z**2 / 2) / sp.sqrt(2 * sp.pi), (z, -_R, _R))


_R = sp.Symbol("R", positive=True)


def _gauss(R):
    return _gauss_cdf().subs(_R, R)


def _integral(Bv, kappa, method):
    return L56d.residual_integral_expr(method).subs({L56d.B: Bv, L56d.KAPPA: kappa}, simultaneous=True)


@lru_cache(maxsize=None)
def conditions(regime: str, method: str, dcase: str) -> tuple[tuple[sp.Expr, sp.Expr], ...]:
    """The (lhs, rhs) of each width condition in u = m^{−1/2}, from the derived lemmas."""
    budget = Bd.BUDGETS[method]
    k = len(Bd.events(regime, method, 2 if dcase == "2" else 5))
    de = DELTA / k
    m = U**-2
    Bv = _B(N, Y, de)
    lam_inf = LAM / ALPHA**2 if regime == "V" else LAM
    I_r = _integral(Bv, lam_inf / 2, method)
    dg_c = sp.sqrt(N) * I_r                       # Δg = dg_c·u  (L6 length radius, η = 1)
    dg, R0 = dg_c * U, dg_c * U / ALPHA**2
    mo = moments(dcase)
    if method == "GD":
        nu_c = 8 * ETA * N * Bv**2 / (lam_inf * ALPHA**4)       # ν = nu_c·u²
        gam = U * sp.Max(2 * dg_c, sp.sqrt(nu_c))
    else:
        nu_c, gam = sp.Integer(0), dg
    M1 = mo["E1"] + U * sp.sqrt(mo["s2bar"](gam) / de)           # Chebyshev
    frac = sp.Min(1, mo["cdf"](gam) + _hoeff(m, de, 1, 1))       # Hoeffding, one side
    Phi = sp.Min(1, _gauss(2 * R0) + _hoeff(m, de / N, 1, 1))   # L4 exact + Hoeffding + union over i
    a_rho, a_r, a_F = (c.subs(L56d.RHO_MAX, 1) for c in L56d.linear_coefficients_expr())
    l2s, stab = _rat(budget.l2), _rat(budget.stability)
    out = []
    if regime == "V":
        out.append((_l2(N, m, de, 2), l2s * LAM))
        M2good = mo["s2bar"](gam) / de if method == "GD" else 0
        entry = a_rho * (dg * M1 + nu_c * U**2 / 2 * M2good) + a_r * 2 * R0 * M1 + a_F * 2 * Phi + frac
    else:
        out.append((_l2(N, m, de, 1), l2s * LAM))
        entry = L56d.g_entry_expr(2 * R0) * M1 + frac
    out.append((N * entry, stab * LAM))
    if method == "GD":
        if dcase == "2":
            M2bad = sp.Min(1, mo["cdf"](dg) + _hoeff(m, de, 1, 1)) * m / (2 * de)
        else:
            M2bad = mo["below"](dg) / de
        S = 1 + (4 + 4 * dg**2 * M2bad) / ALPHA**2
        out.append((ETA * N**2 * S**2, _rat(budget.second_order) * lam_inf))
        out.append((2 * ETA * sp.sqrt(N) * Bv * U / (ALPHA**2 * gam), sp.Integer(1)))
        err = N * ((1 + 4 / ALPHA**2) * (Phi + 2 * ETA * sp.sqrt(N) * Bv * M1 * U / ALPHA**2 + 2 * frac)
                   + 8 * dg**2 * M2bad / ALPHA**2)
        out.append((err, _rat(budget.linearisation) / 2 * lam_inf))
    return tuple(out)


@lru_cache(maxsize=None)
def _lambdified(regime, method, dcase):
    args = (N, DELTA, LAM, ALPHA, Y, ETA, U, K)
    flat = [e for pair in conditions(regime, method, dcase) for e in pair]
    return sp.lambdify(args, flat, "mpmath")


def _rand_point(g, method):
    d = int(g.integers(2, 13))
    return {"n": int(g.integers(1, 40)), "delta": float(10 ** g.uniform(-6, -0.05)),
            "lam": float(10 ** g.uniform(-4, -0.4)), "alpha": float(10 ** g.uniform(-1, 1)),
            "y_max": float(g.uniform(0, 2)), "d": d, "m": float(10 ** g.uniform(0, 24)),
            "eta": float(10 ** g.uniform(-12, -3)) if method == "GD" else None}


def _conditions_step(regime: str, method: str) -> Step:
    claim = {("V", "GF"): "T3", ("G", "GF"): "T4", ("V", "GD"): "T1", ("G", "GD"): "T2"}[(regime, method)]
    pairs = []
    fns = {dc: _lambdified(regime, method, dc) for dc in DCASES}
    for p in draws(lambda g: _rand_point(g, method), POINTS, seed=zlib.crc32(f"{regime}{method}".encode())):
        lib = Bd.width_conditions(p["m"], regime=regime, method=method, n=p["n"], delta=p["delta"],
                                  lam=p["lam"], alpha=p["alpha"], y_max=p["y_max"], d=p["d"], eta=p["eta"],
                                  dps=AGREE_DPS + 10)
        dc = "2" if p["d"] == 2 else "ge3"
        with mpmath.workdps(AGREE_DPS):
            mine = _call(fns[dc], p["n"], p["delta"], p["lam"], p["alpha"], p["y_max"], p["eta"] or 1,
                         1 / mpmath.sqrt(mpmath.mpf(p["m"])), max(p["d"] - 3, 0))
        if len(mine) != 2 * len(lib):
            pairs.append((0, 1))      # a condition missing on one side: disagreement
            continue
        for j, c in enumerate(lib):
            pairs += [(mine[2 * j], c["lhs"]), (mine[2 * j + 1], c["rhs"])]
    conds = conditions(regime, method, "ge3")
    return make_step(
        claim, f"width conditions, {regime}-dominated {method}",
        r"\text{L2: }\|M(0)-M^\infty\|_2\le l_2\lambda,\quad\text{L4+L5+L6: }n\Big[a_\rho\overline{\rho}"
        r"+a_r\,2R_0M_1+a_F\,2\Phi+\mathrm{frac}\Big]\le s\,\lambda" + (r",\ \text{GD: second order, }t\le1,"
                                                                        r"\ \text{linearisation}" if method == "GD" else ""),
        Verdict.PROVED,
        f"Each condition composed from the derived lemma expressions (Hoeffding radius, L2 radius, L3 B, "
        f"L4 exact Gaussian probability, L5 linear coefficients at rho_max = 1, L6 integral and radii) and the "
        f"budget shares of bounds.BUDGETS[{method!r}]; delta split over the {len(Bd.events(regime, method, 5))} "
        "events of bounds.events (d >= 3; GD with d = 2 adds one). Good neurons g_k(0) >= gamma have "
        "rho_k <= Delta_g/g_k <= 1; the others are dropped (PSD terms) and their initial terms (entries <= 1) "
        "charged as frac. Evaluated against bounds.width_conditions (lhs and rhs of every condition) at "
        f"{POINTS} random points (d in 2..12, m up to 1e24).",
        displays=[(f"condition {j + 1} (d ≥ 3, d = k + 3), lhs", tex(lhs)) for j, (lhs, _) in enumerate(conds[:2])],
        numeric=[agreement(f"derived conditions vs bounds.width_conditions ({regime}, {method})", pairs)],
        premises=cite("union", "hoeffding", "chebyshev", "psd_drop", "frobenius", "L4", "D1", "D3")
        + (cite("gd_linearisation", "markov") if method == "GD" else ()))


# =============================================================================
# 3. monotonicity in m, and the bisection's threshold
# =============================================================================

def _monotone_step() -> Step:
    exprs = []
    for regime in ("V", "G"):
        for method in ("GF", "GD"):
            for dc in DCASES:
                exprs += [positive_logs(lhs, (N,), (DELTA,)) for lhs, _ in conditions(regime, method, dc)]
    verdict, how = monotone_verdict(exprs, U, 1)
    # the bisection's m*: the derived conditions hold there (hence for every m ≥ m*)
    pairs_ok, fails = 0, []
    for regime, method, fn, n, d, alpha in (("V", "GF", Bd.m_V, 6, 5, 0.5), ("G", "GF", Bd.m_G, 3, 2, 3.0),
                                            ("V", "GD", Bd.m_V, 3, 2, 0.7), ("G", "GD", Bd.m_G, 6, 5, 2.0)):
        lam = {"V": 0.05, "G": 0.004}[regime]
        if True:
            res = fn(n=n, delta=0.1, **{"lambda_0" if regime == "V" else "mu_0": lam}, alpha=alpha, d=d,
                     method=method, detail=True, dps=AGREE_DPS)
            eta = res["eta"] if method == "GD" else 1
            f = _lambdified(regime, method, "2" if d == 2 else "ge3")
            with mpmath.workdps(AGREE_DPS):
                vals = _call(f, n, 0.1, lam, alpha, 1.0, eta, 1 / mpmath.sqrt(res["m"]), max(d - 3, 0))
            ok = all(vals[2 * j] <= vals[2 * j + 1] for j in range(len(vals) // 2))
            pairs_ok += ok
            if not ok:
                fails.append((regime, method, n, d))
    if fails:
        verdict, how = Verdict.FAILED, f"a derived condition fails at the library's threshold: {fails}"
    return make_step(
        "T3", "every condition decreases in m; the threshold is a threshold",
        r"\frac{\partial\,\mathrm{lhs}_j}{\partial u}\ge0\ (u=m^{-1/2})\ \forall\,n\ge1,\ 0<\delta<1,\ \lambda,\alpha,\eta>0,"
        r"\ d\ge2\ \Rightarrow\ m\ge m^*\Rightarrow\mathrm{lhs}_j(m)\le\mathrm{lhs}_j(m^*)\le\mathrm{rhs}_j",
        verdict,
        f"All {len(exprs)} left sides (V and G, GF and GD, d = 2 and d = k + 3), with log n >= 0 and log delta < 0 "
        f"made explicit: {how}. At the library's thresholds m* (bounds.m_V, m_G, both methods, d = 5 and 2) every "
        f"derived condition holds ({pairs_ok} of 4 instances), so by monotonicity every m >= m* does.",
        premises=cite("exp_monotone"))


# =============================================================================
# 4. closure: floor, rate, decay consistency
# =============================================================================

def _closure_steps() -> list[Step]:
    steps = []
    consts = {"lambda_0": 0.3, "mu_0": 0.02, "lambda_H": 0.4}
    claimed = {}
    for t in Th.THEOREMS:
        a = t.alpha
        claimed[t.key] = sp.nsimplify(t.floor(consts, a) / t.lam_inf(consts, a), rational=True)
    floors = {meth: 1 - _rat(Bd.BUDGETS[meth].l2) - _rat(Bd.BUDGETS[meth].stability) for meth in ("GF", "GD")}
    checks = [floors[t.method] - claimed[t.key] for t in Th.THEOREMS]
    lib = [_rat(Bd.floor_fraction(meth)) - floors[meth] for meth in ("GF", "GD")]
    # the L6 radii assumed ||r(s)|| ≤ e^{−λ^∞ s/2} B: that rate must not exceed the proven one
    decay = [floors[t.method] - sp.Rational(1, 2) for t in Th.THEOREMS]
    dec = decide_zero(lib, None)
    if dec.verdict is Verdict.PROVED:
        dec = decide_nonnegative(sp.Min(*checks, *decay), None)
    steps.append(make_step(
        "T3", "floor: λ_min(Λ(t)) ≥ the theorem table's floor",
        r"\lambda_{\min}(\Lambda(t))\ge\lambda_{\min}(M^\infty)-\|M(0)-M^\infty\|_2-\|M(t)-M(0)\|_2\ge(1-l_2-s)\lambda^\infty"
        r"\ge\kappa,\quad\kappa=\tfrac12\lambda^\infty",
        dec,
        "Weyl twice, with V, G PSD (lambda_min(Lambda) >= lambda_min(V)/alpha^2 and >= lambda_min(G)); the shares "
        f"l2, s of bounds.BUDGETS give 1 - l2 - s = {floors['GF']} (GF) and {floors['GD']} (GD); the floor of every "
        "row of wnproofs.theorems divided by lambda^inf (" + ", ".join(f"{k} {v}" for k, v in claimed.items())
        + ") must not exceed it, and the decay rate lambda^inf/2 of ||r|| assumed by the L6 radii must not "
        "exceed the proven floor.",
        premises=cite("weyl", "psd_drop")))
    # GF: Grönwall
    t_, lam_inf = sp.symbols("t lambda_inf", positive=True)
    phi = sp.Function("phi")
    sol = sp.dsolve(sp.Eq(phi(t_).diff(t_), -2 * floors["GF"] * lam_inf * phi(t_)), phi(t_), ics={phi(0): 1}).rhs
    pts = draws(lambda g: {"t": float(g.uniform(0, 50)), "a": float(10 ** g.uniform(-1, 1)),
                           "eta": float(10 ** g.uniform(-4, -1))}, 6, seed=13)
    pairs = []
    for p in pts:
        for tt in Th.THEOREMS:
            li = tt.lam_inf(consts, p["a"])
            derived = sol.subs({lam_inf: li, t_: p["t"]}) if tt.method == "GF" else \
                (1 - p["eta"] * _rat(Bd.contraction_fraction()) * li) ** int(p["t"])
            pairs.append((_num(derived, {}), tt.envelope(p["t"] if tt.method == "GF" else int(p["t"]), consts,
                                                        p["a"], p["eta"])))
    steps.append(make_step(
        "T3", "rate: D5 and Grönwall (GF), one GD step (GD)",
        r"\frac{d}{dt}\|r\|^2\le-2\lambda_{\min}\|r\|^2\Rightarrow\|r(t)\|^2\le e^{-\lambda^\infty t}\|r(0)\|^2;\quad"
        r"\|r^+\|^2\le\big(1-2\eta\cdot\tfrac58\lambda^\infty+\tfrac38\eta\lambda^\infty+\tfrac38\eta\lambda^\infty\big)\|r\|^2"
        r"=\big(1-\tfrac12\eta\lambda^\infty\big)\|r\|^2",
        decide_zero([sol - sp.exp(-2 * floors["GF"] * lam_inf * t_),
                     _rat(Bd.contraction_fraction()) - (2 * floors["GD"] - _rat(Bd.BUDGETS["GD"].linearisation)
                                                        - _rat(Bd.BUDGETS["GD"].second_order)),
                     _rat(Bd.contraction_fraction()) - sp.Rational(1, 2)], None),
        "sympy.dsolve of the equality case of D5 with the proven floor (Gronwall for the inequality); for GD "
        "||r+||^2 = ||r||^2 + 2<r, Delta f> + ||Delta f||^2 with Delta f = -eta Lambda r + e, the linearisation "
        "and second-order shares of bounds.BUDGETS['GD'] (bounds.contraction_fraction must equal 2 floor - lin - "
        "second = 1/2). Every row's envelope in wnproofs.theorems is evaluated against the derived rate.",
        numeric=[agreement("derived rates vs wnproofs.theorems rows' envelope", pairs)],
        premises=cite("D4", "D5", "gronwall", "continuity")))
    # the normalisation remainder used by the GD argument, with its honest statement
    tt = sp.Symbol("t", nonnegative=True)
    steps.append(make_step(
        "T1", "normalisation remainder of a GD step",
        r"\big\|u'-u-\Delta v/\|v\|\big\|\le\sqrt{1+t^2}-1\le\tfrac{t^2}2\quad(t=\|\Delta v\|/\|v\|,\ \Delta v\perp v)",
        decide_nonnegative(sp.expand((1 + tt**2 / 2) ** 2 - (1 + tt**2)), None),
        "Only the last inequality is shown here: both sides are >= 0 and (1 + t^2/2)^2 - (1 + t^2) = t^4/4 >= 0. "
        "The rest of the GD step (the coefficients of S and of the linearisation error) is the cited premise "
        "gd_linearisation, not derived by SymPy.",
        premises=cite("D2" if False else "D3", "gd_linearisation")))
    return steps


# =============================================================================
# 5. step bounds, C1, leading orders, the theorem table
# =============================================================================

def _step_bound_steps() -> list[Step]:
    pairs = []
    for dc in DCASES:
        for regime in ("V", "G"):
            lhs, rhs = conditions(regime, "GD", dc)[2]      # η n² S² ≤ (3/8) λ^∞
            S2 = lhs / (ETA * N**2)
            S_lim = _small_u(sp.sqrt(S2)).subs(U, 0)
            lim = sp.Min(_rat(Bd.BUDGETS["GD"].second_order) * (LAM / ALPHA**2 if regime == "V" else LAM)
                         / (N**2 * S_lim**2), 4 * ALPHA**2 / (LAM / ALPHA**2 if regime == "V" else LAM))
            for p in draws(lambda g: {"n": int(g.integers(1, 40)), "lam": float(10 ** g.uniform(-4, -0.4)),
                                      "alpha": float(10 ** g.uniform(-1, 1)), "d": int(g.integers(2, 9))}, 4,
                           seed=17 + len(pairs)):
                if (p["d"] == 2) != (dc == "2"):
                    continue
                kw = {"lambda_0" if regime == "V" else "mu_0": p["lam"]}
                libv = Bd.step_bound(n=p["n"], delta=0.1, alpha=p["alpha"], d=p["d"], dps=AGREE_DPS + 10, **kw)
                pairs.append((_num(lim, {N: p["n"], LAM: p["lam"], ALPHA: p["alpha"], **_dval(dc, p["d"])}), libv))
    steps = [make_step(
        "T1", "GD step bound (m → ∞)",
        r"\eta\,n^2S^2\le\tfrac38\lambda^\infty,\ S\xrightarrow{m\to\infty}1+\frac4{\alpha^2}\ \Rightarrow\ "
        r"\eta\le\min\Big\{\frac{3\lambda^\infty\alpha^4}{8n^2(\alpha^2+4)^2},\frac{4\alpha^2}{\lambda^\infty}\Big\}",
        Verdict.PROVED if pairs else Verdict.INCONCLUSIVE,
        "S(u) at u = 0 (every short-neuron term vanishes there) in the derived second-order condition, solved "
        "for eta; the cap "
        "4 alpha^2/lambda^inf (t <= 1) is part of the cited GD argument. Evaluated against bounds.step_bound.",
        numeric=[agreement("derived large-width step bound vs bounds.step_bound (m = None)", pairs)],
        premises=cite("gd_linearisation"))]
    return steps


@lru_cache(maxsize=None)
def c1_conditions(method: str) -> tuple:
    """C1's conditions in u, from the derived lemmas: L2 for H and Du et al.'s R′ ≤ R."""
    budget = Bd.BUDGETS[method]
    de = DELTA / len(Bd.c1_events())
    z = sp.Symbol("z", real=True)
    es2 = sp.integrate(z**2 * sp.exp(-z**2 / 2) / sp.sqrt(2 * sp.pi), (z, 0, sp.oo))      # L3: E σ(Z)² = 1/2
    Bm = sp.sqrt((N * es2 + N * Y**2) / de)                                            # Markov (L3)
    I_r = _integral(Bm, LAM / 2, method)
    R = sp.Symbol("R", positive=True)
    p = _gauss_bound(R)
    # ||ΔH||_2 ≤ 2n·S, S ≤ n p(R)/δ' (Markov); GD also 4√n S ≤ lin λ
    sols = [sp.solve(sp.Eq(2 * N * N * p / de, _rat(budget.stability) * LAM), R)[0]]
    if method == "GD":
        sols.append(sp.solve(sp.Eq(4 * sp.sqrt(N) * N * p / de, _rat(budget.linearisation) * LAM), R)[0])
    Rv = sp.Min(*sols) if len(sols) > 1 else sols[0]
    return ((_l2(N, U**-2, de, 2), _rat(budget.l2) * LAM), (sp.sqrt(N) * I_r * U, Rv)), Bm, I_r


def _gauss_bound(R):
    z = sp.Symbol("z", real=True)
    return sp.integrate((sp.exp(-z**2 / 2) / sp.sqrt(2 * sp.pi)).subs(z, 0), (z, -R, R))


def _c1_steps() -> list[Step]:
    steps = []
    pairs, pairs_m, ratios = [], [], []
    for method in ("GF", "GD"):
        conds, Bm, I_r = c1_conditions(method)
        f = sp.lambdify((N, DELTA, LAM, Y, U), [e for pr in conds for e in pr], "mpmath")
        # the explicit width: solve each condition for m (u)
        m_l2 = sp.solve(sp.Eq(conds[0][0], conds[0][1]), U)
        m_rr = sp.solve(sp.Eq(conds[1][0], conds[1][1]), U)
        widths = [1 / s**2 for s in m_l2 + m_rr]
        published = sp.sqrt(N) * Bm * U / LAM
        ratios.append(sp.simplify(conds[1][0] / published) - (2 if method == "GF" else 4))
        for p in draws(lambda g: {"n": int(g.integers(1, 60)), "delta": float(10 ** g.uniform(-6, -0.05)),
                                  "lam": float(10 ** g.uniform(-4, -0.3)), "y": float(g.uniform(0, 2)),
                                  "m": float(10 ** g.uniform(0, 30))}, POINTS, seed=19 if method == "GF" else 23):
            lib = Bd.c1_conditions(p["m"], n=p["n"], delta=p["delta"], lambda_H=p["lam"], y_max=p["y"],
                                   method=method, dps=AGREE_DPS + 10)
            with mpmath.workdps(AGREE_DPS):
                mine = _call(f, p["n"], p["delta"], p["lam"], p["y"], 1 / mpmath.sqrt(mpmath.mpf(p["m"])))
            for j, c in enumerate(lib):
                pairs += [(mine[2 * j], c["lhs"]), (mine[2 * j + 1], c["rhs"])]
            sub = {N: p["n"], DELTA: p["delta"], LAM: p["lam"], Y: p["y"]}
            with mpmath.workdps(AGREE_DPS + 10):
                want = max(mpmath.ceil(_num(w, sub)) for w in widths)
            pairs_m.append((want, Bd.m_du(n=p["n"], delta=p["delta"], lambda_H=p["lam"], y_max=p["y"],
                                          method=method, dps=AGREE_DPS + 10)))
    conds_gf, Bm, _ = c1_conditions("GF")
    steps.append(make_step(
        "C1", "C1 with explicit constants: R and R′ derived",
        r"R=\frac{\sqrt{2\pi}\,\delta'\lambda_H}{16n^2}\ (\text{GF}),\quad R'=\frac{\sqrt n}{\sqrt m}\int_0^\infty\|r\|"
        r"=\frac{2\sqrt n\|y-u(0)\|}{\sqrt m\,\lambda_H}\ (\text{GF; }4\text{ for GD}),\quad m\ge\max\Big\{\frac{32n^2\log(2n^2/\delta')}{\lambda_H^2},"
        r"\frac{nI_r^2}{R^2}\Big\}=\Theta\Big(\frac{n^6}{\lambda_H^4\delta^3}\Big)",
        decide_zero(ratios, None),
        "Du et al.'s chain with every constant kept: delta' = delta/3 (H(0) concentration, Markov on the residual "
        "as in their paper, Markov on the flip mass); L2 for H (summands in [-1, 1]); Lemma 3.2's R solved from "
        "2n * n p(R)/delta' = s lambda_H with p the L4 Gaussian bound (GD also from the flips' share of a step); "
        "Lemma 3.3's R' from the L6 integral at the rate lambda_H/2: R'/(sqrt(n)||y - u(0)||/(sqrt(m) lambda_H)) "
        "= 2 (GF) and 4 (GD), the factor the published radius omits (a correction to THEORY.md's C1). "
        "Evaluated against bounds.c1_conditions and bounds.m_du (both methods).",
        displays=[("R (GF)", tex(conds_gf[1][1])), ("R′ (GF)", tex(conds_gf[1][0]))],
        numeric=[agreement("derived C1 conditions vs bounds.c1_conditions", pairs),
                 agreement("derived explicit width vs bounds.m_du", pairs_m)],
        premises=cite("du_lemma32", "markov", "hoeffding", "union", "frobenius", "weyl", "continuity")))
    # step bound of C1 (GD)
    pairs = [(_num(_rat(Bd.BUDGETS["GD"].second_order) * LAM / N**2, {N: n, LAM: lh}), Bd.step_du(n=n, lambda_H=lh))
             for n, lh in ((3, 0.2), (40, 0.013), (7, 0.5))]
    eta_max = sp.solve(sp.Eq(ETA**2 * N**2, _rat(Bd.BUDGETS["GD"].second_order) * ETA * LAM), ETA)
    steps.append(make_step(
        "C1", "C1 GD step bound",
        r"\|u(s+1)-u(s)\|\le\eta n\|r(s)\|,\ \eta^2n^2\le\tfrac38\eta\lambda_H\iff\eta\le\frac{3\lambda_H}{8n^2}",
        decide_zero([eta_max[-1] - _rat(Bd.BUDGETS["GD"].second_order) * LAM / N**2], None),
        "|sigma(a) - sigma(b)| <= |a - b| and ||Delta w_r|| <= eta sqrt(n)||r||/sqrt(m); sympy.solve of the "
        "second-order share for eta. Evaluated against bounds.step_du.",
        numeric=[agreement("derived step vs bounds.step_du", [(a, b) for a, b in pairs])],
        premises=cite("relu", "cauchy_schwarz")))
    return steps


def _leading_steps() -> list[Step]:
    steps = []
    for regime, claim in (("V", "T3"), ("G", "T4")):
        lhs = conditions(regime, "GF", "ge3")[1][0]
        C = sp.diff(_small_u(lhs), U).subs(U, 0)
        width = sp.simplify((C / (_rat(Bd.BUDGETS["GF"].stability) * LAM)) ** 2)
        steps.append(make_step(
            claim, f"leading order of m_{regime} (GF)",
            r"m_" + regime + r"\simeq\Big(\frac{C}{s\,\lambda}\Big)^2,\ C=\frac{d\,\mathrm{lhs}}{du}\Big|_{u=0}",
            Verdict.PROVED if C.is_finite and C.has(N) and not C.has(sp.nan, sp.zoo) else Verdict.INCONCLUSIVE,
            "The derivative at u = 0 of the derived stability condition, u = m^(-1/2) (every term vanishes at u = 0 "
            "and the condition is C u + o(u); Min(1, x) = x near 0; the L2 condition is of the "
            "same order with a smaller constant). V: Theta(n^4 log(n/delta)/lambda_0^4), alpha only through "
            "Delta_g = alpha^2 R0; G: Theta(n^4 log/(alpha^4 mu_0^4) + n^2 log/mu_0^2), plus the alpha-free "
            "short-length term P(chi_d < Delta_g) of higher order in 1/m (a finding: T2's alpha -> infinity "
            "width n^2 log/mu_0^2 is recovered only as d -> infinity).",
            displays=[("leading width", tex(width))]))
    return steps


def _table_step() -> Step:
    consts = {"lambda_0": 0.07, "mu_0": 0.006, "lambda_H": 0.08}
    pairs, wrong = [], []
    for t in Th.THEOREMS:
        kw = dict(n=5, delta=0.1, consts=consts, alpha=t.alpha, d=4, y_max=1.0)
        want = {"n": 5, "delta": 0.1, t.const: consts[t.const], "method": t.method, "y_max": 1.0}
        if t.network == "WN":
            want.update(alpha=t.alpha, d=4)
        direct = {"m_V": Bd.m_V, "m_G": Bd.m_G, "m_du": Bd.m_du}.get(t.width_name)
        if t.width_kwargs(**kw) != want or t.width_function is not direct:
            wrong.append(t.key)
        if t.method == "GD":
            sb = t.step_bound(n=5, delta=0.1, consts=consts, alpha=t.alpha, d=4)
            ref = Bd.step_du(n=5, lambda_H=consts["lambda_H"]) if t.network == "standard" else \
                Bd.step_bound(n=5, delta=0.1, alpha=t.alpha, d=4, **{t.const: consts[t.const]})
            pairs.append((ref, sb))
    keys = [(t.key, t.regime, t.method, t.network, t.const) for t in Th.THEOREMS]
    expected = [("T1", "V", "GD", "WN", "lambda_0"), ("T2", "G", "GD", "WN", "mu_0"),
                ("T3", "V", "GF", "WN", "lambda_0"), ("T4", "G", "GF", "WN", "mu_0"),
                ("C1-GD", "H", "GD", "standard", "lambda_H"), ("C1-GF", "H", "GF", "standard", "lambda_H")]
    return make_step(
        "T1", "the theorem table reads the chain",
        r"\text{T1: (V, GD, }m_V,\eta_{\max}),\ \text{T2: (G, GD)},\ \text{T3: (V, GF)},\ \text{T4: (G, GF)},\ "
        r"\text{C1: (H, GD and GF, }m_{du})",
        Verdict.PROVED if keys == expected and not wrong else Verdict.FAILED,
        "Each row of wnproofs.theorems names its regime, method and network as THEORY.md section 8 states them, "
        "calls the chain's width function (bounds.m_V, m_G, m_du) with the row's method and constant"
        + (f" (rows calling it wrongly: {wrong})" if wrong else "") + ", and its step bound equals the chain's "
        "(the floors and rates were evaluated in the closure steps).",
        numeric=[agreement("theorem table step bounds vs bounds.step_bound / step_du", pairs)])


def _split_step() -> Step:
    k = sp.Symbol("k", positive=True, integer=True)
    j = sp.Symbol("j", integer=True)
    ev = {f"{r}, {meth}": Bd.events(r, meth, 5) for r in ("V", "G") for meth in ("GF", "GD")}
    res = Bd.m_V(n=4, delta=0.1, lambda_0=0.05, d=5, method="GD", detail=True, dps=20)
    lib = [(res["delta_each"] * len(res["events"]), mpmath.mpf(0.1))]
    return make_step(
        "T3", "failure probability split",
        r"\Pr\Big[\bigcup_{j=1}^{k}E_j^c\Big]\le\sum_{j=1}^{k}\frac{\delta}{k}=\delta",
        decide_zero(sp.Sum(sp.Symbol("delta") / k, (j, 1, k)).doit() - sp.Symbol("delta"), None),
        "Union bound over the events each theorem uses, each given delta/k (bounds.events; d = 2 with GD adds "
        "one): " + "; ".join(f"{r}: {', '.join(e)}" for r, e in ev.items()) + ". C1: "
        + ", ".join(Bd.c1_events()) + ".",
        numeric=[agreement("k * delta_each vs delta (bounds.m_V detail, V GD)", lib)],
        premises=cite("union"))


@symbolic("T1", "T2", "T3", "T4", "C1", topic=TOPIC, title=TITLE, establishes=False)
def derive_chain() -> list[Step]:
    """T1-T4 and C1: the width conditions composed from the derived lemmas (L2-L6), proved
    monotone in m, closed by Weyl, D5/Grönwall and the GD contraction into the floors and rates of
    the theorem table; the step bounds; C1 with R and R′ derived (no constant set to 1).  The
    library's thresholds (bounds.width_conditions, m_V, m_G, step_bound, c1_conditions, m_du,
    step_du) and the theorem table are evaluated against the chain; a failed step fails T1-T4, C1."""
    steps = [_split_step(), _moment_step()]
    steps += [_conditions_step(r, meth) for meth in ("GF", "GD") for r in ("V", "G")]
    steps.append(_monotone_step())
    steps += _closure_steps()
    steps += _step_bound_steps()
    steps += _c1_steps()
    steps += _leading_steps()
    steps.append(_table_step())
    return steps
