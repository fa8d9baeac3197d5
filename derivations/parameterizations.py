"""Symbolic derivations for the parameterization family (WN, exponential WN, standard).

Claim D4, generalized: for a per-neuron map w = φ(θ) with per-block step sizes η, the
kernel of the dynamics is Λ_ij = (1/m) Σ_k a_ik a_jk x_iᵀ M_k x_j with M = Dφ diag(η) Dφᵀ.
The Jacobians of φ_WN(v, g) = g v/||v|| and φ_EWN(v, s) = e^s v/||v|| are taken by
``sympy`` (d = 3) and the metrics compared with the closed forms
M_WN = η_g uuᵀ + η_v (g/||v||)² P and M_EWN = ||w||² [η_s uuᵀ + η_v P/||v||²], then
evaluated at initialization.

Claim D8, generalized: the infinite-width blocks at initialization, (η_v/α²)V^∞ + η_g G^∞
(WN) and (η_v/α²)V^∞ + η_s d G^∞ (EWN), the EWN kernel at α = 1 against H^∞, and the
crossovers of the regime analysis (α* and the step-size ratio ρ*).

Both derivations are ``establishes=False``: they extend the paper's claims to other
parameterizations and do not award D4 or D8 a level.  Each symbolic result is also compared,
lambdified, with :mod:`wnproofs.parameterizations`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy as sp

# The derivation toolkit, imported in one place (it moves to wnproofs.symbolic).
from wnproofs.symbolic import Step, decide_zero, make_step, numeric_check, sqrt_norm_reducer, symbolic, tex
from wnproofs.derivations.limits import DIM, G_STATED, H_STATED, THETA, V_STATED
from wnproofs.parameterizations import EWN, WN, STANDARD, block_regime, limit_blocks

TOPIC = "parameterizations"
TITLE = "The parameterization family: metrics and infinite-width blocks (D4, D8 generalized)"

D = 3                                                    # dimension of the symbolic instance
ALPHA = sp.Symbol("alpha", positive=True)
ETA_V, ETA_G, ETA_S, ETA_W = sp.symbols("eta_v eta_g eta_s eta_w", positive=True)
G = sp.Symbol("g", positive=True)
S = sp.Symbol("s", real=True)
NORM = sp.Symbol("N", positive=True)                     # stands for ||v|| in the reducer


@lru_cache(maxsize=1)
def _v() -> sp.Matrix:
    return sp.Matrix(sp.symbols(f"v1:{D + 1}", real=True))


def _norm(v: sp.Matrix) -> sp.Expr:
    return sp.sqrt(v.dot(v))


def _proj(v: sp.Matrix) -> tuple[sp.Matrix, sp.Matrix]:
    """(u uᵀ, I − u uᵀ) for u = v/||v||."""
    u = v / _norm(v)
    return u * u.T, sp.eye(D) - u * u.T


def phi_wn(v: sp.Matrix, g) -> sp.Matrix:
    return g * v / _norm(v)


def phi_ewn(v: sp.Matrix, s) -> sp.Matrix:
    return sp.exp(s) * v / _norm(v)


def stated_metric_wn(v: sp.Matrix, g) -> sp.Matrix:
    """M_WN = η_g u uᵀ + η_v (g/||v||)² (I − u uᵀ) (issue 15)."""
    uu, P = _proj(v)
    return ETA_G * uu + ETA_V * (g / _norm(v)) ** 2 * P


def stated_metric_ewn(v: sp.Matrix, s) -> sp.Matrix:
    """M_EWN = ||w||² [η_s u uᵀ + η_v (I − u uᵀ)/||v||²], ||w|| = e^s (issue 15)."""
    uu, P = _proj(v)
    return sp.exp(2 * s) * (ETA_S * uu + ETA_V * P / v.dot(v))


def metric(phi: sp.Matrix, params: list, etas: list) -> sp.Matrix:
    """Dφ diag(η) Dφᵀ with Dφ by ``sympy.Matrix.jacobian``."""
    J = phi.jacobian(params)
    return J * sp.diag(*etas) * J.T


def _sampler(rng: np.random.Generator) -> dict:
    vals = {x: float(rng.standard_normal()) for x in _v()}
    vals.update({G: float(rng.uniform(0.3, 2)), S: float(rng.uniform(-1, 1)),
                 ALPHA: float(rng.uniform(0.3, 3)), ETA_V: float(rng.uniform(0.1, 2)),
                 ETA_G: float(rng.uniform(0.1, 2)), ETA_S: float(rng.uniform(0.1, 2)),
                 ETA_W: float(rng.uniform(0.1, 2)), THETA: float(rng.uniform(0.05, np.pi - 0.05)),
                 DIM: int(rng.integers(2, 12))})
    return vals


def _reducer():
    return sqrt_norm_reducer([(_v().dot(_v()), NORM)])


def _compare_metric(expr: sp.Matrix, param, block: sp.Symbol, etas: dict, trials: int = 5):
    """Lambdified symbolic metric vs ``param.metric`` (Jacobian route) and ``metric_from_parts``."""
    args = list(_v()) + [block, ETA_V, ETA_G, ETA_S]
    f = sp.lambdify(args, expr, "numpy")
    rng = np.random.default_rng(2024)
    errs = []
    for _ in range(trials):
        theta = np.concatenate([rng.standard_normal(D), [rng.uniform(0.3, 2)]])[None, :]
        ev, eg, es = rng.uniform(0.1, 2, 3)
        eta = {"v": ev, etas["len"]: {"g": eg, "s": es}[etas["len"]]}
        sym = np.array(f(*theta[0], ev, eg, es), dtype=float)
        for M in (param.metric(theta, D, eta)[0], param.metric_from_parts(theta, D, eta)[0]):
            errs.append(float(np.max(np.abs(M - sym))) / max(1.0, float(np.max(np.abs(sym)))))
    return numeric_check(f"lambdified symbolic metric vs parameterizations.{param.name}.metric and "
                         f"metric_from_parts ({trials} random neurons, d = {D})", errs, 1e-12)


@symbolic("D4", topic=TOPIC, title=TITLE, establishes=False)
def derive_metrics(candidate_ewn=None, candidate_wn=None) -> list[Step]:
    """D4 generalized: the per-neuron metrics M = Dφ diag(η) Dφᵀ of WN and exponential WN
    (and of the standard parameterization), the kernel they give, and their values at
    initialization (g = ||v||/α, e^s = ||v||/α).

    ``candidate_ewn(v, s)`` / ``candidate_wn(v, g)`` replace the stated metrics (planted errors).
    """
    v = _v()
    red = _reducer()
    M_wn = metric(phi_wn(v, G), list(v) + [G], [ETA_V] * D + [ETA_G])
    M_ewn = metric(phi_ewn(v, S), list(v) + [S], [ETA_V] * D + [ETA_S])
    st_wn = (candidate_wn or stated_metric_wn)(v, G)
    st_ewn = (candidate_ewn or stated_metric_ewn)(v, S)
    uu, P = _proj(v)
    w = phi_ewn(v, S)
    steps = [
        make_step("D4", "metric of WN",
                  r"w=g\frac{v}{\|v\|}:\quad D\varphi\,\mathrm{diag}(\eta_v I,\eta_g)\,D\varphi^\top"
                  r"=\eta_g uu^\top+\eta_v\frac{g^2}{\|v\|^2}(I-uu^\top)",
                  decide_zero(M_wn - st_wn, _sampler, reducer=red),
                  "Dphi (3 x 4) by sympy jacobian of g v/||v|| in (v, g); ||v|| replaced by a symbol N and "
                  "the numerator reduced modulo N^2 - <v,v>.",
                  numeric=[_compare_metric(st_wn, WN, G, {"len": "g"})]),
        make_step("D4", "metric of exponential WN",
                  r"w=e^s\frac{v}{\|v\|}:\quad D\varphi\,\mathrm{diag}(\eta_v I,\eta_s)\,D\varphi^\top"
                  r"=\|w\|^2\Big[\eta_s uu^\top+\frac{\eta_v}{\|v\|^2}(I-uu^\top)\Big],\quad \|w\|=e^s",
                  decide_zero([M_ewn - st_ewn, w.dot(w) - sp.exp(2 * S)], _sampler, reducer=red),
                  "Dphi by sympy jacobian of e^s v/||v|| in (v, s): d w/d s = w and d w/d v = (e^s/||v||) P_v; "
                  "same reduction.",
                  numeric=[_compare_metric(st_ewn, EWN, S, {"len": "s"})]),
        make_step("D4", "metric of the standard parameterization",
                  r"w=\theta:\quad D\varphi=I,\ M=\eta_w I,\ x_i^\top Mx_j=\eta_w\langle x_i,x_j\rangle",
                  decide_zero(metric(sp.Matrix(v), list(v), [ETA_W] * D) - ETA_W * sp.eye(D), None),
                  "Jacobian of the identity.",
                  numeric=[numeric_check("parameterizations.standard.metric vs eta_w I (3 random neurons)",
                                         [float(np.max(np.abs(STANDARD.metric(t[None], D, {"w": 0.7})[0]
                                                              - 0.7 * np.eye(D))))
                                          for t in np.random.default_rng(5).standard_normal((3, D))], 1e-15)]),
    ]
    # the kernel of a metric: Σ_l η_l ∂f_i/∂θ_l ∂f_j/∂θ_l = (1/m) a_i a_j x_iᵀ M x_j
    p = D + 1
    Jg = sp.Matrix(D, p, lambda a, b: sp.Symbol(f"J{a + 1}{b + 1}", real=True))
    xi = sp.Matrix(sp.symbols(f"xi1:{D + 1}", real=True))
    xj = sp.Matrix(sp.symbols(f"xj1:{D + 1}", real=True))
    ai, aj, ck, m = sp.symbols("a_i a_j c_k m", positive=True)
    et = sp.symbols(f"e1:{p + 1}", positive=True)
    dfi = ck * ai * Jg.T * xi / sp.sqrt(m)
    dfj = ck * aj * Jg.T * xj / sp.sqrt(m)
    lhs = sum(et[l] * dfi[l] * dfj[l] for l in range(p))
    rhs = ai * aj * (xi.T * Jg * sp.diag(*et) * Jg.T * xj)[0] / m
    samp_k = lambda rng: {**{s_: float(rng.standard_normal()) for s_ in list(Jg) + list(xi) + list(xj)},  # noqa: E731
                          **{e: float(rng.uniform(0.1, 2)) for e in et}, ai: 1, aj: 1, ck: 1,
                          m: int(rng.integers(1, 50))}
    steps.append(make_step(
        "D4", "kernel of a per-neuron metric",
        r"\sum_l\eta_l\frac{\partial f(x_i)}{\partial\theta_{kl}}\frac{\partial f(x_j)}{\partial\theta_{kl}}"
        r"=\frac{c_k^2}{m}a_{ik}a_{jk}\,x_i^\top D\varphi\,\mathrm{diag}(\eta)\,D\varphi^\top x_j"
        r"=\frac1m a_{ik}a_{jk}\,x_i^\top M_kx_j\quad(c_k^2=1)",
        decide_zero(lhs.subs(ck, 1) - rhs, samp_k),
        "df(x_i)/dtheta_k = (c_k/sqrt m) a_ik Dphi_k' x_i for f = (1/sqrt m) sum_k c_k sigma(<phi(theta_k), x>) "
        "on a fixed activation pattern; Dphi a generic 3 x 4 matrix of symbols; summed over the 4 "
        "coordinates with their step sizes.",
        premises=("D4's chain rule f' = -(sum_b eta_b J_b J_b')(f - y) (derivations/dynamics.py)",)))
    # at initialization: g = ||v||/α, e^s = ||v||/α (so w = v/α)
    nv = _norm(v)
    init_wn = st_wn.subs(G, nv / ALPHA)
    init_ewn = st_ewn.subs(S, sp.log(nv / ALPHA))
    steps.append(make_step(
        "D4", "metrics at initialization",
        r"g=\frac{\|v\|}{\alpha}:\ M_{WN}=\eta_g uu^\top+\frac{\eta_v}{\alpha^2}(I-uu^\top);\qquad "
        r"e^s=\frac{\|v\|}{\alpha}:\ M_{EWN}=\eta_s ww^\top+\frac{\eta_v}{\alpha^2}(I-uu^\top),\ w=\frac v\alpha",
        decide_zero([init_wn - (ETA_G * uu + ETA_V / ALPHA**2 * P),
                     init_ewn - (ETA_S * (v / ALPHA) * (v / ALPHA).T + ETA_V / ALPHA**2 * P)],
                    _sampler, reducer=red),
        "Substitution of the initialization of THEORY.md section 1 (w(0) = v(0)/alpha) in the stated metrics. "
        "Hence at initialization the WN and EWN kernels share the direction block (eta_v/alpha^2) V(0); the "
        "length block is eta_g G(0) for WN and eta_s (1/m) sum_k sigma(<w_k,x_i>) sigma(<w_k,x_j>) for EWN."))
    return steps


def _data(seed: int, n: int, d: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    return X / np.linalg.norm(X, axis=1, keepdims=True)


def _compare_limit(expr: sp.Expr, diag: sp.Expr, fn, label: str, trials: int = 4):
    """Lambdified limit (θ, d, α, η's) vs a function of the library, on random data."""
    args = (THETA, DIM, ALPHA, ETA_V, ETA_G, ETA_S)
    f = sp.lambdify(args, expr, "numpy")
    fd = sp.lambdify(args[1:], diag, "numpy")
    from wnproofs.data import pairwise_angles

    errs = []
    rng = np.random.default_rng(77)
    for t in range(trials):
        d = (2, 3, 5, 9)[t % 4]
        X = _data(880 + t, 6, d)
        a, ev, eg, es = float(rng.uniform(0.3, 3)), *map(float, rng.uniform(0.1, 2, 3))
        K = np.array(f(pairwise_angles(X), d, a, ev, eg, es), dtype=float)
        np.fill_diagonal(K, float(fd(d, a, ev, eg, es)))
        ref = fn(X, a, ev, eg, es)
        errs.append(float(np.max(np.abs(K - ref))) / max(1.0, float(np.max(np.abs(ref)))))
    return numeric_check(f"lambdified {label} vs wnproofs.parameterizations ({trials} data sets, d in 2,3,5,9)",
                         errs, 1e-12)


@symbolic("D8", topic=TOPIC, title=TITLE, establishes=False)
def derive_limits(candidate_ewn=None) -> list[Step]:
    """D8 generalized: the infinite-width blocks at initialization of WN, (η_v/α²)V^∞ + η_g G^∞,
    and of exponential WN, (η_v/α²)V^∞ + η_s d G^∞ (the log-scale block is E_w[σσ] = d G^∞);
    at α = 1 and equal steps Λ^∞_EWN = H^∞ + (d − 1)G^∞; the crossovers α* and ρ* of the
    regime analysis.

    ``candidate_ewn`` (an expression in ``THETA``, ``DIM``) replaces the stated log-scale limit.
    """
    wv = sp.Matrix(sp.symbols(f"w1:{D + 1}", real=True))
    xi = sp.Matrix(sp.symbols(f"xi1:{D + 1}", real=True))
    xj = sp.Matrix(sp.symbols(f"xj1:{D + 1}", real=True))
    ai, aj = sp.symbols("a_i a_j", nonnegative=True)
    nw = _norm(wv)
    u = wv / nw
    red = sqrt_norm_reducer([(wv.dot(wv), NORM)])
    samp = lambda rng: {**{s_: float(rng.standard_normal()) for s_ in list(wv) + list(xi) + list(xj)},  # noqa: E731
                        ai: int(rng.integers(0, 2)), aj: int(rng.integers(0, 2))}
    summand = ai * aj * (xi.T * (nw**2 * u * u.T) * xj)[0]
    relu_prod = (ai * wv.dot(xi)) * (aj * wv.dot(xj))
    # E||w||² = d for w ~ N(0, I_d): the mean of χ²_d, by sympy.integrate of its density
    t = sp.Symbol("t", positive=True)
    k = sp.Symbol("k", positive=True)
    dens = t ** (k / 2 - 1) * sp.exp(-t / 2) / (2 ** (k / 2) * sp.gamma(k / 2))
    mean_chi2 = sp.simplify(sp.gammasimp(sp.integrate(t * dens, (t, 0, sp.oo), conds="none")))
    ewn_stated = (sp.sin(THETA) + (sp.pi - THETA) * sp.cos(THETA)) / (2 * sp.pi)
    cand = ewn_stated if candidate_ewn is None else sp.sympify(candidate_ewn)
    ewn_total = ETA_V / ALPHA**2 * V_STATED + ETA_S * cand
    wn_total = ETA_V / ALPHA**2 * V_STATED + ETA_G * G_STATED

    def lib_ewn(X, a, ev, eg, es):
        return sum(limit_blocks(EWN, X, a, {"v": ev, "s": es}).values())

    def lib_wn(X, a, ev, eg, es):
        return sum(limit_blocks(WN, X, a, {"v": ev, "g": eg}).values())

    steps = [
        make_step("D8", "log-scale block of exponential WN",
                  r"a_ia_j\,x_i^\top\big(\|w\|^2uu^\top\big)x_j=\sigma(\langle w,x_i\rangle)\sigma(\langle w,x_j\rangle)"
                  r"\quad(a_i=1\{\langle w,x_i\rangle\ge0\})",
                  decide_zero(summand - relu_prod, samp, reducer=red),
                  "u = w/||w||, so ||w||^2 <u,x_i><u,x_j> = <w,x_i><w,x_j>, and a_i <w,x_i> = sigma(<w,x_i>) for "
                  "the indicator a_i (a_i symbols; the identity holds for every value of them)."),
        make_step("D8", "second moment of the Gaussian radius",
                  r"w\sim N(0,I_d):\ \mathbb E\|w\|^2=\int_0^\infty t\,\frac{t^{d/2-1}e^{-t/2}}{2^{d/2}\Gamma(d/2)}dt=d",
                  decide_zero(mean_chi2 - k, lambda rng: {k: int(rng.integers(2, 12))}),
                  "||w||^2 ~ chi-square with d degrees of freedom; its mean by sympy.integrate of t times the "
                  "density, then gammasimp.",
                  displays=[(r"$\mathbb E\|w\|^2$", tex(mean_chi2))]),
        make_step("D8", "log-scale block limit",
                  r"\Lambda^\infty_{s,ij}=\eta_s\,\mathbb E_w[\sigma(\langle w,x_i\rangle)\sigma(\langle w,x_j\rangle)]"
                  r"=\eta_s\,\mathbb E\|w\|^2\,G^\infty_{ij}=\eta_s\frac{\sin\theta+(\pi-\theta)\cos\theta}{2\pi}",
                  decide_zero(DIM * G_STATED - cand, _sampler),
                  "sigma is positively homogeneous and the radius ||w|| and direction u = w/||w|| of a Gaussian "
                  "vector are independent, so E_w[sigma sigma] = E||w||^2 E_u[sigma(<u,x_i>) sigma(<u,x_j>)] = d G^inf; "
                  "G^inf as derived for D6. The factor d is what separates EWN from WN, whose length block is "
                  "G^inf itself (dw/dg = u, dw/ds = w).",
                  numeric=[_compare_limit(ETA_S * cand, ETA_S * sp.Rational(1, 2) + 0 * DIM,
                                          lambda X, a, ev, eg, es: limit_blocks(EWN, X, a, {"s": es})["s"],
                                          "eta_s d G^inf")],
                  premises=("D6: G^inf_ij = (sin t + (pi - t) cos t)/(2 pi d) (derivations/limits.py)",
                            "independence of the radius and the direction of N(0, I_d)")),
        make_step("D8", "WN and EWN limit kernels at initialization",
                  r"\Lambda^\infty_{WN}=\frac{\eta_v}{\alpha^2}V^\infty+\eta_gG^\infty,\qquad "
                  r"\Lambda^\infty_{EWN}=\frac{\eta_v}{\alpha^2}V^\infty+\eta_s\,d\,G^\infty",
                  decide_zero([wn_total - (ETA_V / ALPHA**2 * (H_STATED - G_STATED) + ETA_G * G_STATED),
                               ewn_total - (ETA_V / ALPHA**2 * V_STATED + ETA_S * DIM * G_STATED)], _sampler),
                  "The direction block is the same for both (metric at initialization: (eta_v/alpha^2) P_u, "
                  "limit V^inf by D7); the length blocks as above. Compared with the library's limit_blocks.",
                  numeric=[_compare_limit(wn_total, ETA_V / ALPHA**2 * (DIM - 1) / (2 * DIM) + ETA_G / (2 * DIM),
                                          lib_wn, "WN Lambda^inf"),
                           _compare_limit(ewn_total, ETA_V / ALPHA**2 * (DIM - 1) / (2 * DIM) + ETA_S / 2,
                                          lib_ewn, "EWN Lambda^inf")],
                  premises=("D7: V^inf = H^inf - G^inf (derivations/limits.py)",)),
        make_step("D8", "EWN against the NTK at alpha = 1",
                  r"\alpha=1,\ \eta_v=\eta_s=\eta:\ \Lambda^\infty_{EWN}=\eta\big(H^\infty+(d-1)G^\infty\big)\succeq\eta H^\infty",
                  decide_zero(ewn_total.subs({ALPHA: 1, ETA_V: ETA_W, ETA_S: ETA_W})
                              - ETA_W * (H_STATED + (DIM - 1) * G_STATED), _sampler),
                  "V^inf + d G^inf = (V^inf + G^inf) + (d - 1) G^inf = H^inf + (d - 1) G^inf (D8); G^inf is PSD, so "
                  "lambda_min(Lambda^inf_EWN) >= lambda_H: at alpha = 1 exponential WN starts with a larger kernel "
                  "than both the standard network and WN (whose Lambda^inf = H^inf there).",
                  premises=("G^inf is positive semidefinite (a Gram matrix of features)",)),
    ]
    # regime analysis: crossovers
    lam, mu = sp.symbols("lambda_0 mu_0", positive=True)
    a = sp.Symbol("a", positive=True)
    sol_wn = sp.solve(sp.Eq(ETA_V * lam / a**2, ETA_G * mu), a)
    sol_ewn = sp.solve(sp.Eq(ETA_V * lam / a**2, ETA_S * DIM * mu), a)
    rho = sp.Symbol("rho", positive=True)
    sol_rho = sp.solve(sp.Eq(rho * lam / ALPHA**2, DIM * mu), rho)
    a_wn = sp.sqrt(ETA_V * lam / (ETA_G * mu))
    errs = []
    for seed in range(3):
        X = _data(960 + seed, 6, (3, 4, 6)[seed])
        d = X.shape[1]
        rw = block_regime(WN, X, 0.9)
        re_ = block_regime(EWN, X, 0.9)
        errs.append(abs(re_.alpha_star - rw.alpha_star / np.sqrt(d)) / rw.alpha_star)
        errs.append(abs(re_.ratio_star - d * rw.terms["g"] / rw.terms["v"]) / re_.ratio_star)   # α² d μ_0/λ_0
    samp_r = lambda rng: {lam: float(rng.uniform(1e-3, 1)), mu: float(rng.uniform(1e-3, 1)),  # noqa: E731
                          ETA_V: float(rng.uniform(0.1, 2)), ETA_G: float(rng.uniform(0.1, 2)),
                          ETA_S: float(rng.uniform(0.1, 2)), DIM: int(rng.integers(2, 12)),
                          ALPHA: float(rng.uniform(0.3, 3))}
    steps.append(make_step(
        "D8", "regime crossovers",
        r"\frac{\eta_v\lambda_0}{\alpha^2}=\eta_{len}\mu_{len}:\ \alpha^*_{WN}=\sqrt{\frac{\eta_v\lambda_0}{\eta_g\mu_0}},\ "
        r"\alpha^*_{EWN}=\sqrt{\frac{\eta_v\lambda_0}{\eta_s d\mu_0}}=\frac{\alpha^*_{WN}}{\sqrt d}\ (\eta_s=\eta_g);\quad "
        r"\rho^*_{EWN}=\frac{\eta_v}{\eta_s}\Big|_*=\frac{\alpha^2d\mu_0}{\lambda_0}",
        decide_zero([sp.Matrix(sol_wn) - sp.Matrix([a_wn]),
                     sp.Matrix(sol_ewn) - sp.Matrix([sp.sqrt(ETA_V * lam / (ETA_S * DIM * mu))]),
                     sp.Matrix(sol_ewn).subs(ETA_S, ETA_G) - sp.Matrix([a_wn / sp.sqrt(DIM)]),
                     sp.Matrix(sol_rho) - sp.Matrix([ALPHA**2 * DIM * mu / lam])], samp_r),
        "sympy.solve of the equality of the two lower-bound terms (lambda_min(Lambda^inf) >= sum of the blocks' "
        "lambda_min, blocks PSD), for alpha > 0 and for the ratio rho = eta_v/eta_len; mu_len = lambda_min(d G^inf) "
        "= d mu_0 for EWN. Direction-dominated below alpha* (above rho*). Compared with "
        "parameterizations.block_regime.",
        numeric=[numeric_check("block_regime: alpha*_EWN = alpha*_WN/sqrt(d) and rho*_EWN = alpha^2 d mu_0/lambda_0 "
                               "(3 data sets, alpha = 0.9)", errs, 1e-12)],
        premises=("lambda_min(A + B) >= lambda_min(A) + lambda_min(B) for symmetric A, B (Weyl)",)))
    return steps
