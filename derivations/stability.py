"""L5 (Gram stability) and L6 (parameters stay close) derived from their premises.

L5: the change of one neuron's summand of G and V, split by exact identities (SymPy) and
bounded with |σ| ≤ 1, σ 1-Lipschitz and Cauchy–Schwarz; the indicator products by an
exhaustive check of the 16 activation patterns; the linear form for ρ ≤ ρ_max that the
thresholds use; ||·||_2 ≤ n max|·|.  The L5 functions of the library are generic, so they
are called on SymPy symbols and compared exactly.
L6: the gradient norms (D1 + Cauchy–Schwarz), the time integral (GF) and the sum (GD) of the
residual under its envelope, the movement radii; compared with the library at random points.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import sympy as sp

from wnproofs.bounds import lemmas as Lm
from wnproofs.symbolic import Step, Verdict, decide_nonnegative, decide_zero, make_step, symbolic, tex

from ._tools import agreement, draws, evaluate, positive_sampler
from .premises import cite

TOPIC = "stability"
TITLE = "Gram stability and parameter movement (L5-L6)"

R_, RHO, FI, FJ, RHO_MAX = sp.symbols("r rho F_i F_j rho_max", nonnegative=True)
B, KAPPA, ETA, N, M, INT, GR, LAM, ALPHA = sp.symbols("B kappa eta n m I g_ratio lambda alpha", positive=True)
POINTS = 10


# -- L5 ---------------------------------------------------------------------------------

def v_entry_expr(r=R_, rho=RHO, fi=FI, fj=FJ) -> sp.Expr:
    """The derived bound on one neuron's |ΔV_ij|: |s'² − 1| ≤ ρ(2 + ρ) plus s'² ≤ (1 + ρ)² times
    |Δ(q a)| ≤ 2r + F_i + F_j."""
    return rho * (2 + rho) + (1 + rho) ** 2 * (2 * r + fi + fj)


def g_entry_expr(r=R_) -> sp.Expr:
    """The derived bound on one neuron's |ΔG_ij|: |Δσ_i||σ_j'| + |σ_i||Δσ_j| ≤ r + r."""
    return r + r


@lru_cache(maxsize=None)
def linear_coefficients_expr() -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """(a_ρ, a_r, a_F) with v_entry ≤ a_ρ ρ + a_r r + a_F(F_i + F_j) for ρ ≤ ρ_max, read off the
    derived bound at ρ = ρ_max (ρ(2 + ρ)/ρ and (1 + ρ)² are increasing)."""
    e = sp.expand(v_entry_expr(R_, RHO_MAX, FI, FJ))
    return (sp.expand(e.coeff(R_, 0).coeff(FI, 0).coeff(FJ, 0) / RHO_MAX), e.coeff(R_, 1), e.coeff(FI, 1))


def _indicator_patterns() -> bool:
    """|1{A}1{B} − 1{A'}1{B'}| ≤ |1{A} − 1{A'}| + |1{B} − 1{B'}| on all 16 patterns."""
    return all(abs(a * b - a2 * b2) <= abs(a - a2) + abs(b - b2)
               for a, b, a2, b2 in itertools.product((0, 1), repeat=4))


@symbolic("L5", topic=TOPIC, title=TITLE)
def derive_l5() -> list[Step]:
    """L5: |ΔG_ij| ≤ (1/m)Σ_k 2r_k, |ΔV_ij| ≤ (1/m)Σ_k [(2ρ_k + ρ_k²) + (1 + ρ_k)²(2r_k + F_ik + F_jk)],
    the linear form for ρ ≤ ρ_max, and ||·||_2 ≤ n max|·|, each equal to the library's function."""
    steps = []
    sa, sa2, sb, sb2 = sp.symbols("sigma_i sigma_i' sigma_j sigma_j'", real=True)
    ident = sa2 * sb2 - sa * sb - ((sa2 - sa) * sb2 + sa * (sb2 - sb))
    lib_g = Lm.l5_entry_bound_G(R_) - g_entry_expr()
    steps.append(make_step(
        "L5", "G: one neuron's change",
        r"\sigma_i'\sigma_j'-\sigma_i\sigma_j=(\sigma_i'-\sigma_i)\sigma_j'+\sigma_i(\sigma_j'-\sigma_j),\quad"
        r"|\sigma(\langle u',x\rangle)-\sigma(\langle u,x\rangle)|\le\|u'-u\|=r\Rightarrow|\Delta G_{ij}|\le\frac1m\sum_k2r_k",
        decide_zero([ident, lib_g], positive_sampler(sa, sa2, sb, sb2, R_)),
        "The identity by expansion; |sigma| <= 1 and the Lipschitz bound give r + r; "
        "bounds.lemmas.l5_entry_bound_G(r) (generic) equals the derived 2r exactly.",
        premises=cite("relu", "cauchy_schwarz")))
    s2, q, q2, A, A2 = sp.symbols("s' q q' a a'", real=True)
    ai, aj, ai2, aj2, xij = sp.symbols("a_i a_j a_i' a_j' x_ij", real=True)
    e = sp.Symbol("e", real=True)
    idents = [s2**2 * q2 * A2 - q * A - ((s2**2 - 1) * q * A + s2**2 * (q2 * A2 - q * A)),
              q2 * A2 - q * A - ((q2 - q) * A2 + q * (A2 - A)),
              # q = <x_i,x_j> − <u,x_i><u,x_j>: q' − q = −[(a_i' − a_i) a_j' + a_i (a_j' − a_j)]
              (xij - ai2 * aj2) - (xij - ai * aj) + ((ai2 - ai) * aj2 + ai * (aj2 - aj)),
              # s' = 1 + e: s'² − 1 = e (2 + e), |e| ≤ ρ ⇒ |s'² − 1| ≤ ρ (2 + ρ)
              (1 + e) ** 2 - 1 - e * (2 + e),
              Lm.l5_entry_bound_V(R_, RHO, FI, FJ) - v_entry_expr()]
    ok_patterns = _indicator_patterns()
    dec = decide_zero(idents, positive_sampler(s2, q, q2, A, A2, ai, aj, ai2, aj2, xij, e, R_, RHO, FI, FJ))
    steps.append(make_step(
        "L5", "V: one neuron's change",
        r"s'^2q'a'-qa=(s'^2-1)qa+s'^2(q'a'-qa),\ q'a'-qa=(q'-q)a'+q(a'-a),\ |s'^2-1|\le\rho(2+\rho),\ "
        r"|q'-q|\le2r,\ |a'-a|\le F_i+F_j\Rightarrow|\Delta V_{ij}|\le\frac1m\sum_k\big[(2\rho_k+\rho_k^2)+(1+\rho_k)^2(2r_k+F_{ik}+F_{jk})\big]",
        dec if ok_patterns else Verdict.FAILED,
        "Identities by expansion (s' = s_k(t), s_k(0) = 1, q = <P_u x_i, P_u x_j> in [-1, 1], a the product of "
        "the two activations); |a_i' - a_i| <= ||u' - u|| = r (Cauchy-Schwarz, ||x|| = 1); the indicator "
        "inequality checked on all 16 activation patterns; bounds.lemmas.l5_entry_bound_V (generic) equals the "
        "derived bound exactly.",
        displays=[("bound", tex(v_entry_expr()))],
        premises=cite("cauchy_schwarz")))
    coeffs = linear_coefficients_expr()
    h = sp.Symbol("h", nonnegative=True)
    gap = sp.expand((coeffs[0] * RHO + coeffs[1] * R_ + coeffs[2] * (FI + FJ)).subs(RHO_MAX, RHO + h)
                    - v_entry_expr())
    lib = Lm.l5_linear_coefficients(RHO_MAX)
    dec = decide_nonnegative(gap, None)
    libdec = decide_zero([sp.simplify(a - b) for a, b in zip(lib, coeffs)], positive_sampler(RHO_MAX))
    steps.append(make_step(
        "L5", "linear form for ρ ≤ ρ_max",
        r"0\le\rho\le\rho_{\max}:\ (2\rho+\rho^2)+(1+\rho)^2(2r+F_i+F_j)\le(2+\rho_{\max})\rho+2(1+\rho_{\max})^2r"
        r"+(1+\rho_{\max})^2(F_i+F_j)",
        dec if libdec.verdict is Verdict.PROVED else libdec,
        "With rho_max = rho + h (h >= 0) the difference expands to a polynomial with nonnegative coefficients "
        "(SymPy's assumptions); bounds.lemmas.l5_linear_coefficients(rho_max) equals (a_rho, a_r, a_F) exactly.",
        displays=[("difference", tex(gap)), ("(a_ρ, a_r, a_F)", tex(sp.Tuple(*coeffs)))]))
    nn, ent = sp.symbols("n e", positive=True)
    steps.append(make_step(
        "L5", "spectral bound",
        r"\|A\|_2\le\|A\|_F\le n\max_{ij}|A_{ij}|\Rightarrow\|G(t)-G(0)\|_2\le2n\,\overline{r},\ "
        r"\|V(t)-V(0)\|_2\le n\max_{ij}B_{ij}",
        decide_zero(Lm.l5_spectral_bound(nn, ent) - nn * ent, positive_sampler(nn, ent)),
        "bounds.lemmas.l5_spectral_bound(n, e) (generic) equals n e exactly.",
        premises=cite("frobenius")))
    return steps


# -- L6 ---------------------------------------------------------------------------------

def residual_integral_expr(method: str) -> sp.Expr:
    """∫||r|| (GF) or Σ_s η||r(s)|| (GD) under the envelope with rate κ, bounded (derived)."""
    s = sp.Symbol("s", nonnegative=True)
    if method == "GF":
        return sp.integrate(B * sp.exp(-KAPPA * s), (s, 0, sp.oo))
    return 2 * B / KAPPA


def length_radius_expr() -> sp.Expr:
    """|g_k(t) − g_k(0)| ≤ ∫ |∂L/∂g_k| ≤ η √n ∫||r|| /√m."""
    return ETA * sp.sqrt(N) * INT / sp.sqrt(M)


def _geometric(coeff: sp.Expr, q: sp.Expr, s: sp.Symbol) -> sp.Expr:
    """Σ_{s≥0} coeff·q^s by sympy.summation, on its branch |q| < 1 (q ∈ (0, 1) here)."""
    total = sp.piecewise_fold(sp.summation(coeff * q**s, (s, 0, sp.oo)))
    if not isinstance(total, sp.Piecewise):
        raise ArithmeticError(f"unexpected geometric sum {total}")
    expr, cond = total.args[0]
    if cond.has(sp.Sum) or expr.has(sp.Sum):
        raise ArithmeticError(f"geometric sum not evaluated: {total}")
    return expr


def _l6_rand(g):
    return {B: float(10 ** g.uniform(-2, 3)), KAPPA: float(10 ** g.uniform(-6, 1)),
            ETA: float(10 ** g.uniform(-3, 1)), N: int(g.integers(1, 100)), M: float(10 ** g.uniform(0, 15)),
            INT: float(10 ** g.uniform(-2, 6)), GR: float(10 ** g.uniform(-2, 2)),
            LAM: float(10 ** g.uniform(-6, 0)), ALPHA: float(10 ** g.uniform(-2, 1))}


@symbolic("L6", topic=TOPIC, title=TITLE)
def derive_l6() -> list[Step]:
    """L6: |g_k(t) − g_k(0)| ≤ η_g √n B/(κ√m), ||v_k(t) − v_k(0)|| ≤ η_v max_s(g_k(s)/||v_k(0)||) √n B/(κ√m)
    under ||r(s)|| ≤ e^{−κs}B (GF), the GD sums (2B/κ, and η/(1 − e^{−κη}) per unit envelope), and the
    radii Δg, R0 of the thresholds, each evaluated against the library at random points."""
    pts = draws(_l6_rand, POINTS, seed=8)
    steps = []
    r1, r2, r3 = sp.symbols("r1:4", real=True)
    cs = 3 * (r1**2 + r2**2 + r3**2) - (r1 + r2 + r3) ** 2 - ((r1 - r2) ** 2 + (r1 - r3) ** 2 + (r2 - r3) ** 2)
    steps.append(make_step(
        "L6", "gradient norms",
        r"\Big|\frac{\partial L}{\partial g_k}\Big|=\frac1{\sqrt m}\Big|\sum_ir_i\sigma(\langle u_k,x_i\rangle)\Big|"
        r"\le\frac{\sum_i|r_i|}{\sqrt m}\le\frac{\sqrt n\|r\|}{\sqrt m},\quad"
        r"\|\nabla_{v_k}L\|\le\frac{g_k}{\|v_k\|}\frac{\sqrt n\|r\|}{\sqrt m}",
        decide_zero(cs, None),
        "D1's gradients, |sigma| <= 1, ||P_v x|| <= 1; (sum |r_i|)^2 <= n sum r_i^2 (shown for n = 3 as the "
        "sum-of-squares identity n sum r^2 - (sum r)^2 = sum_{i<j} (r_i - r_j)^2, Cauchy-Schwarz in general).",
        premises=cite("D1", "relu", "cauchy_schwarz")))
    gf = residual_integral_expr("GF")
    pairs = [(evaluate(gf, p), Lm.l6_residual_integral(p[B], p[KAPPA], "GF")) for p in pts]
    steps.append(make_step(
        "L6", "GF: time integral of the residual",
        r"\|r(s)\|\le e^{-\kappa s}B\Rightarrow\int_0^\infty\|r(s)\|\,ds\le\frac B\kappa",
        decide_zero(gf - B / KAPPA, None),
        "sympy.integrate.",
        numeric=[agreement("derived integral vs bounds.lemmas.l6_residual_integral(GF)", pairs)]))
    h = sp.Symbol("h", positive=True)                      # sqrt(1 − ηκ) = 1 − h, h ∈ (0, 1]
    eta_h = (1 - (1 - h) ** 2) / KAPPA
    s = sp.Symbol("s", integer=True, nonnegative=True)
    geo = _geometric(ETA * B, 1 - h, s)
    gap = sp.factor(sp.simplify(residual_integral_expr("GD") - geo.subs(ETA, eta_h)))
    pairs = [(evaluate(residual_integral_expr("GD"), p), Lm.l6_residual_integral(p[B], p[KAPPA], "GD")) for p in pts]
    steps.append(make_step(
        "L6", "GD: sum of the residual",
        r"\|r(s)\|^2\le(1-\eta\kappa)^sB^2\Rightarrow\sum_s\eta\|r(s)\|\le\frac{\eta B}{1-\sqrt{1-\eta\kappa}}\le\frac{2B}\kappa",
        decide_nonnegative(gap, None),
        "sympy.summation of the geometric series with sqrt(1 - eta kappa) = 1 - h; 2B/kappa minus the sum "
        "factors to a nonnegative expression.",
        displays=[("2B/κ − Σ", tex(gap))],
        numeric=[agreement("2B/kappa vs bounds.lemmas.l6_residual_integral(GD)", pairs)]))
    qq = sp.Symbol("q", positive=True)
    per = _geometric(ETA, qq, s).subs(qq, sp.exp(-KAPPA * ETA))       # q = e^{−κη} ∈ (0, 1)
    pairs = [(evaluate(per, p), Lm.l6_gd_sum_factor(p[KAPPA], p[ETA])) for p in pts]
    steps.append(make_step(
        "L6", "GD with a measured envelope",
        r"\|r(s)\|\le e^{-\kappa\eta s}B\Rightarrow\sum_{s<S}\eta\|r(s)\|\le\frac{\eta B}{1-e^{-\kappa\eta}}",
        decide_zero(per - ETA / (1 - sp.exp(-KAPPA * ETA)), None),
        "sympy.summation of the geometric series (the L6 GD check's factor).",
        numeric=[agreement("derived factor vs bounds.lemmas.l6_gd_sum_factor", pairs)]))
    lr = length_radius_expr()
    pairs = [(evaluate(lr, p), Lm.l6_length_radius(p[N], p[M], p[INT], p[ETA])) for p in pts]
    pairs_v = [(evaluate(GR * lr, p), Lm.l6_direction_radius(p[N], p[M], p[INT], p[GR], p[ETA])) for p in pts]
    I_r = residual_integral_expr("GF").subs(KAPPA, LAM / 2)
    dg = lr.subs({ETA: 1, INT: I_r})
    pairs_r = []
    for p in pts:
        rad = Lm.l6_radii(p[N], p[M], p[B], p[LAM], p[ALPHA], method="GF")
        pairs_r += [(evaluate(I_r, p), rad["I_r"]), (evaluate(dg, p), rad["delta_g"]),
                    (evaluate(dg / ALPHA**2, p), rad["R0"])]
    steps.append(make_step(
        "L6", "movement radii",
        r"|g_k(t)-g_k(0)|\le\eta_g\frac{\sqrt n}{\sqrt m}\int\|r\|,\ \|v_k(t)-v_k(0)\|\le\eta_v\max_s\frac{g_k(s)}{\|v_k(0)\|}"
        r"\frac{\sqrt n}{\sqrt m}\int\|r\|;\ \kappa=\lambda^\infty/2:\ \Delta g=\frac{\sqrt n}{\sqrt m}\frac{2B}{\lambda^\infty},\ "
        r"R_0=\frac{\Delta g}{\alpha^2}",
        decide_zero(I_r - 2 * B / LAM, None),
        "Integrate the gradient norms along the run (||v_k(s)|| = ||v_k(0)||, D3, GF); with kappa = lambda/2 "
        "(the rate the theorems prove for ||r||) I_r = 2B/lambda; ||v_k(0)|| = alpha g_k(0) so the w-space radius "
        "is Delta_g/alpha^2 per unit length.",
        numeric=[agreement("derived length radius vs bounds.lemmas.l6_length_radius", pairs),
                 agreement("derived direction radius vs bounds.lemmas.l6_direction_radius", pairs_v),
                 agreement("derived I_r, Delta_g, R0 vs bounds.lemmas.l6_radii (GF)", pairs_r)],
        premises=cite("D3")))
    return steps
