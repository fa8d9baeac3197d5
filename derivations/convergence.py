"""Explicit constants of the convergence theorems T1-T4 (and C1 side by side), THEORY.md §8.

The proof skeleton of THEORY.md §8, with every constant kept.  Notation: λ^∞ = λ_0/α²
(V-dominated: T1 GD, T3 GF) or μ_0 (G-dominated: T2, T4); the target is
λ_min(Λ(t)) ≥ λ^∞/2 (GF) or ≥ 5λ^∞/8 (GD); g_k(0) = ||w_k(0)|| ~ χ_d.

1. δ is split evenly over the events used (L2, L3, the mean of 1/g_k over "good" neurons
   (Chebyshev), the fraction of "short" neurons g_k(0) < γ (Hoeffding), the flip counts
   (L4 + Hoeffding + union over i) and, for GD, two Markov bounds).
2. L2: radius ≤ λ/4 solved for m.  L3: B = √n (sqrt(2 log(2n/δ')) + y_max).
3. D5 ⇒ ∫||r|| ≤ I_r = 2B/λ^∞ (GF; 4B/λ^∞ for GD), ⇒ L6 radii Δg = √n I_r/√m (lengths),
   R0 = Δg/α² (directions: r_k ≤ R0 (1 + Δg/g_k)/g_k; flips need |⟨w_k(0), x_i⟩| ≤ R0 (1 + Δg/g_k)).
4. Neurons with g_k(0) < γ are dropped from V(t), G(t): each neuron's term is PSD, so
   λ_min can only go down (Weyl); their initial terms (entries ≤ 1) are charged.
5. L5 on the remaining neurons (ρ ≤ 1): ||V(t) − V(0)||_2 ≤ n[(3Δg + 16R0) M1 + 8Φ + frac],
   ||G(t) − G(0)||_2 ≤ n[4R0 M1 + frac]; require ≤ λ^∞α²/4 resp. μ_0/4 (GF; /8 for GD).
6. Each condition decreases in m; the width is the smallest m meeting all (bisection in
   :func:`wnproofs.bounds.m_V`, :func:`~wnproofs.bounds.m_G`); leading orders below.
7. GD: one step contracts by (1 − ηλ^∞/2) if the linearisation error and ||Δf||² are
   small: the step bound η ≤ 3λ^∞/(8n²S²) with S = 1 + (4 + …)/α².
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from wnproofs import bounds
from wnproofs.symbolic import (Step, Verdict, decide_nonnegative, decide_zero, make_step, numeric_check,
                             symbolic, tex)

TOPIC = "convergence"
TITLE = "Explicit widths and step bound of the convergence theorems (T1-T4, C1)"

n, m, delta, lam, alpha, B, y = sp.symbols("n m delta lambda alpha B y_max", positive=True)
E1, s2, Lf, Lb, c, h, q, p, t, eta, g, dg = sp.symbols(
    "E_1 s_2 L_flip L_bad c h q p t eta g Delta_g", positive=True)
dd = sp.Symbol("d", positive=True, integer=True)


def _pos_sampler(*syms):
    return lambda rng: {s: float(rng.uniform(0.05, 3.0)) for s in syms}


def _split_step() -> Step:
    shares = {"V, GF (T3)": 5, "G, GF (T4)": 4, "V, GD (T1)": 7, "G, GD (T2)": 6}
    k = sp.Symbol("k", positive=True, integer=True)
    dec = decide_zero(sp.Sum(delta / k, (sp.Symbol("j", integer=True), 1, k)).doit() - delta, None)
    ev = {r: bounds._events("V" if r.startswith("V") else "G", r.split(", ")[1][:2], 5) for r in shares}
    return make_step(
        "T3", "failure probability split",
        r"\Pr\Big[\bigcup_{j=1}^{k} E_j^c\Big]\le\sum_{j=1}^{k}\frac{\delta}{k}=\delta",
        dec,
        "Union bound over the k events each theorem uses, each given delta/k (d >= 3; "
        "d = 2 adds one event for GD). Events: " + "; ".join(f"{r}: {', '.join(e)}" for r, e in ev.items()),
        premises=("union bound",))


def _l2_step() -> list[Step]:
    Lg = sp.Symbol("L_2", positive=True)   # log(2n²/δ') > 0 since 2n²/δ' > 1
    radV = n * sp.sqrt(2 * Lg / m)
    radG = n * sp.sqrt(Lg / (2 * m))
    solV = sp.solve(sp.Eq(radV, lam / 4), m)
    solG = sp.solve(sp.Eq(radG, lam / 4), m)
    dec = decide_zero([solV[0] - 32 * n**2 * Lg / lam**2, solG[0] - 8 * n**2 * Lg / lam**2], None)
    mono = decide_nonnegative(-sp.diff(radV, m) - sp.diff(radG, m) + 0 * m, None)
    errs = []
    for nn, de, l0 in ((5, 0.1, 0.2), (17, 0.01, 0.03)):
        ev = bounds._events("V", "GF", 5)
        r = bounds.m_V(n=nn, delta=de, lambda_0=l0, d=5, dps=30, detail=True)
        got = [v for kk, v in r["per_condition"].items() if kk.startswith("L2")][0]
        closed = 32 * nn**2 * np.log(2 * nn**2 / (de / len(ev))) / l0**2
        errs.append(abs(float(got) - np.ceil(closed)))
    return [make_step(
        "L2", "L2 radius solved for m",
        r"n\sqrt{2L_2/m}\le\lambda_0/4\iff m\ge 32n^2L_2/\lambda_0^2,\quad "
        r"n\sqrt{L_2/(2m)}\le\mu_0/4\iff m\ge 8n^2L_2/\mu_0^2,\quad L_2=\log(2n^2/\delta')",
        dec if mono.verdict is Verdict.PROVED else mono,
        "sympy.solve of radius = lambda/4 for m; both radii decrease in m (derivative sign by "
        "SymPy's assumptions). Numeric: the bisection in bounds.m_V reproduces ceil(32 n^2 L_2/lambda_0^2).",
        displays=[("m (V)", tex(solV[0])), ("m (G)", tex(solG[0]))],
        numeric=[numeric_check("|bisection − ceil(closed form)| for 2 instances", errs, 1.0)])]


def _l3_step() -> Step:
    s = sp.sqrt(2 * sp.log(2 * n / delta))
    dec = decide_zero(n * 2 * sp.exp(-s**2 / 2) - delta, None)
    errs = [abs(float(bounds.l3_subgaussian_B(nn, ym, de)) - np.sqrt(nn) * (np.sqrt(2 * np.log(2 * nn / de)) + ym))
            for nn, ym, de in ((4, 1.0, 0.1), (50, 0.3, 0.01))]
    return make_step(
        "L3", "initial residual B",
        r"n\cdot 2e^{-s^2/2}=\delta'\ \text{at}\ s=\sqrt{2\log(2n/\delta')}\Rightarrow "
        r"\|f(0)-y\|\le B=\sqrt n\,(s+y_{\max})",
        dec, "Sub-Gaussian tail of each f(x_i)(0) (MGF <= exp(l^2/2)) and a union bound over i.",
        numeric=[numeric_check("bounds.l3_subgaussian_B against the formula", errs, 1e-12)],
        premises=("L3 sub-Gaussian tail",))


def _decay_steps() -> list[Step]:
    tt = sp.Symbol("t", nonnegative=True)
    gf = decide_zero(sp.integrate(B * sp.exp(-lam * tt / 2), (tt, 0, sp.oo)) - 2 * B / lam, None)
    # GD: q = 1 − ηλ/2 = s², s = 1 − h ∈ (0, 1): Σ η B s^k = ηB/(1 − s) = 2B(1 + s)/λ ≤ 4B/λ
    sv = 1 - h
    eta_of_s = 2 * (1 - sv**2) / lam
    lhs = eta_of_s * B / (1 - sv)
    gd1 = decide_nonnegative(sp.factor(sp.simplify(4 * B / lam - lhs)), None)
    gd2 = decide_zero(eta_of_s * B**2 / (1 - sv**2) - 2 * B**2 / lam, None)
    return [
        make_step("T3", "GF: time integral of the residual",
                  r"\|r(s)\|\le e^{-\lambda^\infty s/2}B\Rightarrow\int_0^\infty\|r\|\,ds=\frac{2B}{\lambda^\infty}=:I_r",
                  gf, "sympy.integrate; the decay is D5 with lambda_min(Lambda) >= lambda^inf/2.",
                  premises=("D5",)),
        make_step("T1", "GD: sums of the residual",
                  r"\|r(s)\|^2\le(1-\eta\lambda^\infty/2)^sB^2\Rightarrow\sum_s\eta\|r(s)\|\le\frac{4B}{\lambda^\infty},"
                  r"\ \sum_s\eta\|r(s)\|^2=\frac{2B^2}{\lambda^\infty}",
                  gd1 if gd2.verdict is Verdict.PROVED else gd2,
                  "Geometric sums with sqrt(1 − eta lambda/2) = 1 − h; 4B/lambda − sum = 2Bh/lambda >= 0.",
                  displays=[("4B/λ − Σ", tex(sp.factor(sp.simplify(4 * B / lam - lhs))))]),
    ]


def _radius_steps() -> list[Step]:
    R0 = sp.Symbol("R_0", positive=True)
    gg = dg + h                                             # a good neuron: g ≥ Δg
    flip = decide_nonnegative(sp.simplify(2 * R0 - R0 * (1 + dg / gg)), None)
    rho = p / (p + q)                                       # ρ ∈ [0, 1]
    summ = decide_nonnegative(sp.factor(3 * rho - 2 * rho - rho**2), None)
    sq = decide_nonnegative(sp.factor(4 - (1 + rho) ** 2), None)
    w = 1 + h                                               # ||v(s)||/||v(0)|| = w ≥ 1 (D3, GD)
    nu = w**2 - 1
    growth = decide_nonnegative(sp.factor(nu / 2 - (1 - 1 / w)), None)
    verdicts = [flip, summ, sq, growth]
    worst = next((v for v in verdicts if v.verdict is not Verdict.PROVED), flip)
    return [make_step(
        "L6", "movement radii and good neurons",
        r"\Delta g=\frac{\sqrt n I_r}{\sqrt m},\ R_0=\frac{\Delta g}{\alpha^2};\ g_k\ge\Delta g\Rightarrow "
        r"R_0(1+\tfrac{\Delta g}{g_k})\le 2R_0,\ \rho\le1\Rightarrow 2\rho+\rho^2\le3\rho,\ (1+\rho)^2\le4;\ "
        r"1-\frac{\|v(0)\|}{\|v(s)\|}\le\frac{\nu}{2}",
        worst,
        "|dg_k/dt| <= sqrt(n)||r||/sqrt(m) and ||dv_k/dt|| <= (g_k/||v_k||) sqrt(n)||r||/sqrt(m) (D1), "
        "||v_k(t)|| = ||v_k(0)|| = alpha g_k(0) (D3): r_k = ||Delta v_k||/(alpha g_k(0)) <= R0 (1 + Delta_g/g)/g. "
        "The elementary inequalities are proved by SymPy with g = Delta_g + h, rho = p/(p+q), "
        "||v(s)||/||v(0)|| = 1 + h (nu = ||v(s)||^2/||v(0)||^2 − 1).",
        premises=("D1", "D3", "L4: |<w_k(0),x_i>| <= ||Delta v_k||/alpha for a flip"))]


def _stab_expr(regime: str):
    """√m-scaled stability bound as m → ∞ and the exact (GF, d ≥ 3) form."""
    R0 = c / sp.sqrt(m)               # c = √n I_r / α²
    DG = alpha**2 * R0
    M1 = E1 + sp.sqrt(s2 / (m * delta))
    if regime == "V":
        Phi = sp.erf(sp.sqrt(2) * R0) + sp.sqrt(Lf / (2 * m))
        frac = sp.lowergamma(dd / 2, DG**2 / 2) / sp.gamma(dd / 2) + sp.sqrt(Lb / (2 * m))
        return n * ((3 * DG + 16 * R0) * M1 + 8 * Phi + frac)
    frac = sp.lowergamma(dd / 2, DG**2 / 2) / sp.gamma(dd / 2) + sp.sqrt(Lb / (2 * m))
    return n * (4 * R0 * M1 + frac)


def _monotone_step() -> Step:
    exprs = [_stab_expr("V"), _stab_expr("G")]
    derivs = [sp.diff(e, m) for e in exprs]
    samp = lambda rng: {**{s: float(rng.uniform(0.1, 3)) for s in (n, c, alpha, E1, s2, Lf, Lb)},  # noqa: E731
                        delta: float(rng.uniform(0.01, 0.5)), m: float(10 ** rng.uniform(0, 8)),
                        dd: int(rng.integers(3, 12))}
    decs = [decide_nonnegative(-dv, samp, points=10) for dv in derivs]
    worst = next((v for v in decs if v.verdict is not Verdict.PROVED), decs[0])
    return make_step(
        "T3", "stability bound decreases in m",
        r"\frac{\partial}{\partial m}\,n\Big[(3\Delta g+16R_0)M_1+8\Phi+\mathrm{frac}\Big]\le0,\quad "
        r"\frac{\partial}{\partial m}\,n\big[4R_0M_1+\mathrm{frac}\big]\le0",
        worst,
        "R0 = c/sqrt(m), Delta_g = alpha^2 R0, M1 = E1 + sqrt(s2/(m delta')) (Chebyshev, d >= 3: s2 = 1/(d−2)), "
        "Phi = erf(sqrt(2) R0) + sqrt(L/(2m)), frac = P(chi_d < Delta_g) + sqrt(L'/(2m)) (regularised lower "
        "incomplete gamma). So the smallest sufficient m is found by bisection (bounds._solve_width) and "
        "checked: every condition holds at m_V and fails below it.",
        displays=[("∂/∂m (V)", tex(derivs[0]))])


def _leading_steps() -> list[Step]:
    # Replace erf(x) by its bound 2x/√π (L4) and drop the o(m^{-1/2}) terms: √m · stab → C.
    R0 = c / sp.sqrt(m)
    CV = sp.limit(sp.sqrt(m) * n * ((3 * alpha**2 * R0 + 16 * R0) * E1 + 8 * (2 * sp.sqrt(2) * R0 / sp.sqrt(sp.pi)
                                     + sp.sqrt(Lf / (2 * m))) + sp.sqrt(Lb / (2 * m))), m, sp.oo)
    CG = sp.limit(sp.sqrt(m) * n * (4 * R0 * E1 + sp.sqrt(Lb / (2 * m))), m, sp.oo)
    lam0, mu0 = sp.symbols("lambda_0 mu_0", positive=True)
    # V: c = √n I_r/α² with I_r = 2Bα²/λ_0; G: c = √n (2B/μ_0)/α²
    cV = sp.sqrt(n) * 2 * B / lam0
    cG = sp.sqrt(n) * 2 * B / (mu0 * alpha**2)
    mV = sp.simplify((4 * CV.subs(c, cV) / lam0) ** 2)
    mG = sp.simplify((4 * CG.subs(c, cG) / mu0) ** 2)
    expected_V = 16 * n**2 * (2 * sp.sqrt(n) * B / lam0 * ((3 * alpha**2 + 16) * E1 + 32 / sp.sqrt(2 * sp.pi))
                              + 8 * sp.sqrt(Lf / 2) + sp.sqrt(Lb / 2)) ** 2 / lam0**2
    expected_G = 16 * n**2 * (8 * sp.sqrt(n) * B * E1 / (alpha**2 * mu0) + sp.sqrt(Lb / 2)) ** 2 / mu0**2
    decV = decide_zero(mV - expected_V, _pos_sampler(n, B, lam0, alpha, E1, Lf, Lb))
    decG = decide_zero(mG - expected_G, _pos_sampler(n, B, mu0, alpha, E1, Lb))

    def lead(nn, de, l0, a, regime):
        k = len(bounds._events(regime, "GF", 5))
        dp = de / k
        Bv = float(bounds.l3_subgaussian_B(nn, 1.0, dp))
        e1 = float(bounds.chi_inv_mean(5))
        if regime == "V":
            return float(expected_V.subs({n: nn, B: Bv, lam0: l0, alpha: a, E1: e1,
                                          Lf: np.log(nn / dp), Lb: np.log(1 / dp)}))
        return float(expected_G.subs({n: nn, B: Bv, mu0: l0, alpha: a, E1: e1, Lb: np.log(1 / dp)}))

    errs_V, errs_G = [], []
    for nn in (50, 200):
        exact = float(bounds.m_V(n=nn, delta=0.05, lambda_0=0.02, alpha=0.5, d=5, dps=20))
        errs_V.append(abs(exact / lead(nn, 0.05, 0.02, 0.5, "V") - 1))
        exact = float(bounds.m_G(n=nn, delta=0.05, mu_0=0.002, alpha=2.0, d=5, dps=20))
        errs_G.append(abs(exact / lead(nn, 0.05, 0.002, 2.0, "G") - 1))
    return [
        make_step("T3", "leading order of m_V (GF; T1 up to factors)",
                  r"m_V\simeq\frac{16n^2}{\lambda_0^2}\Big[\frac{2\sqrt nB}{\lambda_0}\Big((3\alpha^2+16)E[\chi_d^{-1}]"
                  r"+\frac{32}{\sqrt{2\pi}}\Big)+8\sqrt{\tfrac{\log(n/\delta')}{2}}+\sqrt{\tfrac{\log(1/\delta')}{2}}\Big]^2"
                  r"=\Theta\Big(\frac{n^4\log(n/\delta)}{\lambda_0^4}\Big)",
                  decV,
                  "sympy.limit of sqrt(m) times the stability bound (erf(x) <= 2x/sqrt(pi), L4); "
                  "B = sqrt(n)(sqrt(2 log(2n/delta')) + y_max), delta' = delta/5. alpha enters only through "
                  "Delta_g = alpha^2 R0: bounded for alpha < 1, as T1 says (no alpha in the width). "
                  "Numeric: exact bisection width / leading form for n = 50, 200.",
                  displays=[("m_V (leading)", tex(mV))],
                  numeric=[numeric_check("|m_V / leading − 1| (alpha = 0.5, d = 5)", errs_V, 0.25)]),
        make_step("T4", "leading order of m_G (GF; T2 up to factors)",
                  r"m_G\simeq\frac{16n^2}{\mu_0^2}\Big[\frac{8\sqrt nB\,E[\chi_d^{-1}]}{\alpha^2\mu_0}"
                  r"+\sqrt{\tfrac{\log(1/\delta')}{2}}\Big]^2+\text{(short-neuron term)}",
                  decG,
                  "Same limit for G (no flips needed: sigma is 1-Lipschitz). Expanding the square: "
                  "1024 n^3 B^2 E^2/(alpha^4 mu_0^4) ~ n^4 log(n/delta)/(alpha^4 mu_0^4) (T2's first term), "
                  "8 n^2 log(1/delta')/mu_0^2 (T2's second term) and a cross term ~ n^3 sqrt(log)/(alpha^2 mu_0^3). "
                  "Short neurons (g_k(0) < Delta_g, Delta_g = 2 sqrt(n) B/(mu_0 sqrt(m)) independent of alpha) add "
                  "n P(chi_d < Delta_g) <= mu_0/4-type conditions: m >~ n^(2+2/d) log(n/delta)/mu_0^(2+2/d), "
                  "which does not fall with alpha (a finding: T2's alpha -> infinity limit n^2 log/mu_0^2 is only "
                  "recovered as d -> infinity).",
                  displays=[("m_G (leading)", tex(mG))],
                  numeric=[numeric_check("|m_G / leading − 1| (alpha = 2, d = 5)", errs_G, 0.25)]),
    ]


def _gd_steps() -> list[Step]:
    contraction = decide_zero((1 - 2 * eta * sp.Rational(5, 8) * lam) + sp.Rational(3, 8) * eta * lam
                              + sp.Rational(3, 8) * eta * lam - (1 - eta * lam / 2), None)
    second = decide_nonnegative(sp.expand((1 + t**2 / 2) ** 2 - (1 + t**2)), None)
    S = 1 + 4 / alpha**2
    lim = sp.Min(3 * lam / (8 * n**2 * S**2), 4 * alpha**2 / lam)
    errs = []
    for nn, l0, a in ((8, 0.05, 0.5), (30, 0.01, 2.0)):
        li = l0 / a**2
        want = min(3 * li / (8 * nn**2 * (1 + 4 / a**2) ** 2), 4 * a**2 / li)
        errs.append(abs(float(bounds.step_bound(n=nn, delta=0.05, lambda_0=l0, alpha=a)) / want - 1))
    return [
        make_step("T1", "GD: one step contracts",
                  r"\|r^+\|^2\le(1-2\eta\lambda_{\min})\|r\|^2+2\|r\|\|e\|+\|\Delta f\|^2,\ "
                  r"\lambda_{\min}\ge\tfrac58\lambda^\infty,\ \tfrac{2\|e\|}{\|r\|},\tfrac{\|\Delta f\|^2}{\|r\|^2}"
                  r"\le\tfrac38\eta\lambda^\infty\Rightarrow\|r^+\|^2\le(1-\tfrac{\eta\lambda^\infty}{2})\|r\|^2",
                  contraction,
                  "||r+||^2 = ||r||^2 + 2<r, Delta f> + ||Delta f||^2 with Delta f = −eta Lambda r + e (D4 for the GD "
                  "Jacobian); the coefficients cancel exactly. lambda_min >= 5/8 lambda^inf needs L2 (3/4) and "
                  "stability ||Delta Lambda|| <= lambda^inf/8. This gives T1/T2's rates (1 − eta lambda_0/(2 alpha^2))^s "
                  "and (1 − eta mu_0/2)^s.",
                  premises=("D4", "L2", "L5")),
        make_step("T1", "GD: step bound",
                  r"\|\Delta f\|\le\eta\,n\,S\,\|r\|,\ S=1+\frac{4+4\Delta g^2M_2}{\alpha^2}\Rightarrow "
                  r"\eta\le\min\Big\{\frac{3\lambda^\infty}{8n^2S^2},\frac{4\alpha^2}{\lambda^\infty}\Big\}"
                  r"\ \xrightarrow{m\to\infty}\ \min\Big\{\frac{3\lambda^\infty\alpha^4}{8n^2(\alpha^2+4)^2},\frac{4\alpha^2}{\lambda^\infty}\Big\}",
                  second,
                  "||Delta w_k|| <= eta sqrt(n)||r||(1 + s_k^2/alpha^2)/sqrt(m) (D1, D2: Delta v ⊥ v); the "
                  "normalisation remainder ||u' − u − Delta v/||v|||| = sqrt(1+t^2) − 1 <= t^2/2 (SymPy: "
                  "(1 + t^2/2)^2 − (1 + t^2) = t^4/4 >= 0); t <= 1 needs eta <= 4 alpha^2/lambda^inf. "
                  "The step bound is O(lambda^inf/n^2), like Du et al.'s O(lambda_H/n^2), not THEORY's "
                  "O(1/||Lambda||) (a finding).",
                  displays=[("η_max (m → ∞)", tex(lim))],
                  numeric=[numeric_check("|bounds.step_bound / formula − 1|", errs, 1e-12)],
                  premises=("D1", "D2", "D3")),
    ]


def _c1_step() -> Step:
    lh = sp.Symbol("lambda_H", positive=True)
    mdu = n**6 / (lh**4 * delta**3)
    dec = decide_zero(sp.diff(mdu, n) * n - 6 * mdu, None)
    errs = [abs(float(bounds.m_du(n=nn, delta=de, lambda_H=l)) / (nn**6 / (l**4 * de**3)) - 1)
            for nn, de, l in ((8, 0.05, 0.1), (100, 0.01, 0.02))]
    return make_step(
        "C1", "Du et al. (2019) width with constants set to 1",
        r"m_{\mathrm{Du}}=\frac{n^6}{\lambda_H^4\delta^3},\quad\eta_{\mathrm{Du}}=\frac{\lambda_H}{n^2}",
        dec,
        "Du, Zhai, Poczos, Singh (ICLR 2019), Thm 3.2/4.1: m = Omega(n^6/(lambda_H^4 delta^3)); the paper "
        "leaves the constant implicit: set to 1 here (so m_Du is not a sufficient width, only an order). "
        "Compared with m_V = Theta(n^4 log(n/delta)/lambda_0^4): n^2 and 1/delta^3 versus log(1/delta).",
        numeric=[numeric_check("|bounds.m_du / formula − 1|", errs, 1e-12)],
        premises=("Du et al. 2019",))


@symbolic("T1", "T2", "T3", "T4", "C1", topic=TOPIC, title=TITLE, establishes=False)
def derive_constants() -> list[Step]:
    """T1-T4: explicit width thresholds m_V, m_G (GF and GD) and the GD step bound, derived
    step by step from L2, L3, D5, L6, L4 + L5; C1 with its implicit constant set to 1."""
    steps = [_split_step()]
    steps += _l2_step()
    steps.append(_l3_step())
    steps += _decay_steps()
    steps += _radius_steps()
    steps.append(_monotone_step())
    steps += _leading_steps()
    steps += _gd_steps()
    steps.append(_c1_step())
    return steps
