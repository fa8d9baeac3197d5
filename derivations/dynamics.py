"""Symbolic derivations of the kernel dynamics: claims D4 and D5 (THEORY.md §3).

A symbolic instance with n = 2 samples, m = 2 neurons, d = 3 and a fixed activation
pattern: the indicators a_ik = 1{⟨v_k, x_i⟩ ≥ 0} are constants near a point where no
pre-activation vanishes, so they are kept as symbols (every pattern at once).  The chain
rule df/dt = J θ̇ with θ̇ = −η ∇_θ L (all by ``sympy.diff`` of the network definition) is
compared with −Λ(f − y) for Λ = (η_v/α²) V + η_g G built from the formulas of D4.
The symbolic V, G and Λ are lambdified and compared with ``kernels.gram_V``, ``gram_G``
and ``ntk`` on random networks of the same size.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy as sp

from wnproofs.symbolic import (Step, Verdict, decide_nonnegative, decide_zero, make_step, numeric_check, sqrt_norm_reducer, symbolic,
                              tex)
from wnproofs.kernels import gram_G, gram_V, ntk
from wnproofs.model import WNNetwork

TOPIC = "dynamics"
TITLE = "Kernel dynamics and loss decay (D4-D5)"

N_SAMPLES, WIDTH, DIM = 2, 2, 3
ALPHA = sp.Symbol("alpha", positive=True)
ETA_V = sp.Symbol("eta_v", positive=True)
ETA_G = sp.Symbol("eta_g", positive=True)
SIGNS = (1, -1)


class Instance:
    """The symbols of the n = 2, m = 2, d = 3 instance and the expressions built on them."""

    def __init__(self) -> None:
        n, m, d = N_SAMPLES, WIDTH, DIM
        self.X = [sp.Matrix(sp.symbols(f"x{i + 1}_1:{d + 1}", real=True)) for i in range(n)]
        self.V = [sp.Matrix(sp.symbols(f"v{k + 1}_1:{d + 1}", real=True)) for k in range(m)]
        self.g = sp.symbols(f"g1:{m + 1}", positive=True)
        self.y = sp.symbols(f"y1:{n + 1}", real=True)
        self.A = sp.Matrix(n, m, lambda i, k: sp.Symbol(f"a{i + 1}{k + 1}", nonnegative=True))
        self.norms = [sp.sqrt(v.dot(v)) for v in self.V]
        self.f = sp.Matrix([sum(SIGNS[k] * self.A[i, k] * self.g[k] * self.V[k].dot(self.X[i]) / self.norms[k]
                                for k in range(m)) / sp.sqrt(m) for i in range(n)])
        self.theta_v = [vi for v in self.V for vi in v]
        self.theta_g = list(self.g)

    @property
    def args(self) -> tuple:
        return (tuple(tuple(x) for x in self.X), tuple(tuple(v) for v in self.V), self.g, tuple(self.A))

    def r(self) -> sp.Matrix:
        return self.f - sp.Matrix(self.y)

    def jacobians(self) -> tuple[sp.Matrix, sp.Matrix]:
        """J_v (n × md) and J_g (n × m) by sympy.diff of f."""
        return self.f.jacobian(self.theta_v), self.f.jacobian(self.theta_g)

    def theory_grams(self) -> tuple[sp.Matrix, sp.Matrix]:
        """V and G of D4 written as in THEORY.md (s_k = α g_k/||v_k||)."""
        n, m = N_SAMPLES, WIDTH
        u = [v / nv for v, nv in zip(self.V, self.norms)]

        def Vij(i, j):
            return sum((ALPHA * self.g[k] / self.norms[k]) ** 2
                       * (self.X[i].dot(self.X[j]) - u[k].dot(self.X[i]) * u[k].dot(self.X[j]))
                       * self.A[i, k] * self.A[j, k] for k in range(m)) / m

        def Gij(i, j):  # σ(⟨u,x⟩) = a ⟨u,x⟩ on the fixed pattern
            return sum(self.A[i, k] * u[k].dot(self.X[i]) * self.A[j, k] * u[k].dot(self.X[j])
                       for k in range(m)) / m

        return sp.Matrix(n, n, Vij), sp.Matrix(n, n, Gij)


@lru_cache(maxsize=1)
def instance() -> Instance:
    """The symbolic instance (built once per process)."""
    return Instance()


def _sampler(inst: Instance):
    def draw(rng: np.random.Generator) -> dict:
        vals = {s: float(rng.standard_normal()) for x in inst.X for s in x}
        vals.update({s: float(rng.standard_normal()) for v in inst.V for s in v})
        vals.update({s: float(rng.uniform(0.5, 2)) for s in inst.g})
        vals.update({s: float(rng.standard_normal()) for s in inst.y})
        vals.update({s: int(rng.integers(0, 2)) for s in inst.A})
        vals.update({ALPHA: float(rng.uniform(0.3, 3)), ETA_V: float(rng.uniform(0.1, 2)),
                     ETA_G: float(rng.uniform(0.1, 2))})
        return vals

    return draw


def _random_net(seed: int):
    rng = np.random.default_rng(seed)
    net = WNNetwork.init(WIDTH, DIM, alpha=float(rng.uniform(0.3, 3)), rng=rng)
    net = net.replace(c=np.array(SIGNS, float), g=net.g * rng.uniform(0.5, 1.5, WIDTH))
    X = rng.standard_normal((N_SAMPLES, DIM))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    return net, X


def _compare_grams(inst: Instance, Vs: sp.Matrix, Gs: sp.Matrix, Ls: sp.Matrix, trials: int = 6):
    """Lambdified symbolic V, G, Λ (from J Jᵀ) vs kernels.gram_V, gram_G, ntk."""
    args = inst.args + (ALPHA, ETA_V, ETA_G)
    fV, fG, fL = (sp.lambdify(args, M, "numpy") for M in (Vs, Gs, Ls))
    errs = []
    for t in range(trials):
        net, X = _random_net(500 + t)
        A = (X @ net.v.T >= 0).astype(float)
        eta_v, eta_g = 0.7, 1.3
        a = (tuple(map(tuple, X)), tuple(map(tuple, net.v)), tuple(net.g), tuple(A.ravel()), net.alpha,
             eta_v, eta_g)
        pairs = [(np.array(fV(*a), float), gram_V(net, X)), (np.array(fG(*a), float), gram_G(net, X)),
                 (np.array(fL(*a), float), ntk(net, X, eta_v, eta_g))]
        errs.append(max(float(np.max(np.abs(p - q))) / max(1.0, float(np.max(np.abs(q)))) for p, q in pairs))
    return numeric_check(f"lambdified symbolic V, G, Lambda vs kernels.gram_V, gram_G, ntk "
                         f"({trials} random networks, n = {N_SAMPLES}, m = {WIDTH}, d = {DIM})", errs, 1e-12)


def theory_lambda(Vm: sp.Matrix, Gm: sp.Matrix) -> sp.Matrix:
    """Λ = (η_v/α²) V + η_g G (D4)."""
    return (ETA_V / ALPHA**2) * Vm + ETA_G * Gm


@symbolic("D4", topic=TOPIC, title=TITLE)
def derive_d4(candidate=None) -> list[Step]:
    """D4: df/dt = −Λ(f − y) with Λ = (η_v/α²)V + η_g G = η_v J_v J_vᵀ + η_g J_g J_gᵀ, on the
    symbolic instance n = 2, m = 2, d = 3 with the activation pattern fixed.

    ``candidate(V, G) -> Λ`` replaces Λ = (η_v/α²)V + η_g G by a planted alternative.
    """
    lam_of = candidate or theory_lambda
    inst = instance()
    Jv, Jg = inst.jacobians()
    Vm, Gm = inst.theory_grams()
    samp = _sampler(inst)
    red = sqrt_norm_reducer([(v.dot(v), sp.Symbol(f"N_{k + 1}", positive=True))
                             for k, v in enumerate(inst.V)])
    # Chain rule with a generic Jacobian (symbols j_ip): ∇_θ L by sympy.diff of
    # L = ½ Σ (φ_i(θ) − y_i)² with the outputs φ_i opaque functions of θ, r_i = φ_i − y_i.
    n, p = N_SAMPLES, len(inst.theta_v) + len(inst.theta_g)
    nv = len(inst.theta_v)
    theta = sp.symbols(f"theta1:{p + 1}", real=True)
    Jgen = sp.Matrix(n, p, lambda i, j: sp.Symbol(f"j{i + 1}_{j + 1}", real=True))
    phis = [sp.Function(f"phi{i + 1}")(*theta) for i in range(n)]
    rs = sp.Matrix(sp.symbols(f"r1:{n + 1}", real=True))
    L = sum((phi - yi) ** 2 for phi, yi in zip(phis, inst.y)) / 2
    grad = sp.Matrix([sp.diff(L, t) for t in theta]).subs(
        {sp.Derivative(phis[i], t): Jgen[i, j] for i in range(n) for j, t in enumerate(theta)}).subs(
        {phis[i]: inst.y[i] + rs[i] for i in range(n)})
    etas = sp.diag(*([ETA_V] * nv + [ETA_G] * (p - nv)))
    fdot = Jgen * (-etas * grad)
    Jgv, Jgg = Jgen[:, :nv], Jgen[:, nv:]
    gsamp = lambda rng: {**{e: float(rng.standard_normal()) for e in list(Jgen) + list(rs)},  # noqa: E731
                         ETA_V: float(rng.uniform(0.1, 2)), ETA_G: float(rng.uniform(0.1, 2))}
    Lam = lam_of(Vm, Gm)
    steps = [
        make_step("D4", "Gram matrices are Jacobian products",
                  r"J_vJ_v^\top=\frac{1}{\alpha^2}V,\qquad J_gJ_g^\top=G",
                  decide_zero([Jv * Jv.T - Vm / ALPHA**2, Jg * Jg.T - Gm], samp, reducer=red),
                  "J_v (2 x 6) and J_g (2 x 2) by sympy.diff of f = (1/sqrt m) sum_k c_k a_ik g_k <v_k,x_i>/||v_k|| "
                  "(c = (1, -1), a_ik symbols for the fixed pattern); V_ij = (1/m) sum_k (alpha g_k/||v_k||)^2 "
                  "(<x_i,x_j> - <u_k,x_i><u_k,x_j>) a_ik a_jk and G_ij = (1/m) sum_k sigma(<u_k,x_i>) "
                  "sigma(<u_k,x_j>) as in THEORY.md. Each ||v_k|| is replaced by a symbol N_k and the "
                  "numerator reduced modulo N_k^2 - <v_k,v_k>."),
        make_step("D4", "chain rule",
                  r"\nabla_\theta L=J^\top(f-y),\quad \dot f=J_v\dot v+J_g\dot g"
                  r"=-\big(\eta_vJ_vJ_v^\top+\eta_gJ_gJ_g^\top\big)(f-y)",
                  decide_zero([grad - Jgen.T * rs, fdot + (ETA_V * Jgv * Jgv.T + ETA_G * Jgg * Jgg.T) * rs], gsamp),
                  "sympy.diff of L = (1/2) sum_i (phi_i(theta) - y_i)^2 with phi_i undefined functions of the "
                  "8 parameters, d phi_i/d theta_j -> J_ij (generic symbols), phi_i - y_i -> r_i; then "
                  "df/dt = J theta' with theta' = -eta grad_theta L (eta_v on v, eta_g on g)."),
        make_step("D4", "kernel of the dynamics",
                  r"\dot f=-\Lambda(f-y),\qquad \Lambda=\eta_vJ_vJ_v^\top+\eta_gJ_gJ_g^\top"
                  r"=\frac{\eta_v}{\alpha^2}V+\eta_gG",
                  decide_zero(Lam - (ETA_V * Vm / ALPHA**2 + ETA_G * Gm), samp),
                  "The stated Lambda minus eta_v (J_v J_v') + eta_g (J_g J_g'), rewritten with the first step.",
                  numeric=[_compare_grams(inst, Vm, Gm, ETA_V * Jv * Jv.T + ETA_G * Jg * Jg.T)]),
    ]
    # under GF, alpha g_k(t)/||v_k(t)|| = g_k(t)/g_k(0) (D3: ||v_k(t)|| = ||v_k(0)|| = alpha g_k(0))
    g0, gt = sp.symbols("g_0 g_t", positive=True)
    steps.append(make_step(
        "D4", "scale factor under gradient flow",
        r"\|v_k(t)\|=\|v_k(0)\|=\alpha g_k(0)\ \Rightarrow\ \frac{\alpha g_k(t)}{\|v_k(t)\|}=\frac{g_k(t)}{g_k(0)}",
        decide_zero(ALPHA * gt / (ALPHA * g0) - gt / g0, None),
        "Substitution of D3 (norm conserved) and the initialization g_k(0) = ||v_k(0)||/alpha; at t = 0 "
        "the factor is 1, so V(0) does not depend on alpha.", premises=("D3 (proved in gradients)",)))
    return steps


@symbolic("D5", topic=TOPIC, title=TITLE)
def derive_d5() -> list[Step]:
    """D5: d/dt ||f − y||² = −2(f − y)ᵀΛ(f − y) ≤ −2 λ_min(Λ) ||f − y||² (Λ symmetric PSD);
    the Rayleigh bound is proved for a generic symmetric 2 × 2 matrix."""
    t = sp.Symbol("t", real=True)
    n = N_SAMPLES
    fs = sp.Matrix([sp.Function(f"f{i + 1}")(t) for i in range(n)])
    y = sp.Matrix(sp.symbols(f"y1:{n + 1}", real=True))
    a, c = sp.symbols("l11 l22", real=True)
    b = sp.Symbol("l12", real=True)
    Lam = sp.Matrix([[a, b], [b, c]])
    r = fs - y
    lhs = sp.diff(r.dot(r), t).subs({sp.Derivative(fs[i], t): (-Lam * r)[i] for i in range(n)})
    steps = [make_step(
        "D5", "loss derivative",
        r"\frac{d}{dt}\|f-y\|^2=2(f-y)^\top\dot f=-2(f-y)^\top\Lambda(f-y)",
        decide_zero(lhs + 2 * (r.T * Lam * r)[0], None),
        "f(t) as undefined functions, df/dt = -Lambda (f - y) substituted (D4) for a generic symmetric Lambda.",
        premises=("D4 (proved above)",))]
    # Rayleigh: M = Λ − λ_min I satisfies M11 M22 = b², M11 + M22 = 2s ≥ 0, and
    # M11 · rᵀMr = (M11 r1 + b r2)², M22 · rᵀMr = (b r1 + M22 r2)²  ⇒  rᵀMr ≥ 0.
    r1, r2 = sp.symbols("r1 r2", real=True)
    s = sp.sqrt((a - c) ** 2 / 4 + b**2)
    lam_min = (a + c) / 2 - s
    ev = sorted(Lam.eigenvals().keys(), key=sp.default_sort_key)
    M = Lam - lam_min * sp.eye(2)
    rv = sp.Matrix([r1, r2])
    q = (rv.T * M * rv)[0]
    samp = lambda rng: {a: float(rng.normal()), b: float(rng.normal()), c: float(rng.normal()),  # noqa: E731
                        r1: float(rng.normal()), r2: float(rng.normal())}
    dec = decide_zero([M.det(), M[0, 0] * q - (M[0, 0] * r1 + b * r2) ** 2,
                       M[1, 1] * q - (b * r1 + M[1, 1] * r2) ** 2,
                       sp.Mul(*[e - lam_min for e in ev]) if len(ev) == 2 else sp.Integer(1)], samp)
    trace = decide_nonnegative(M[0, 0] + M[1, 1], samp)
    errs = []
    for k in range(6):
        net, X = _random_net(700 + k)
        Lm = ntk(net, X, 0.7, 1.3)
        rr = np.random.default_rng(k).standard_normal(N_SAMPLES)
        lm = float(np.linalg.eigvalsh(Lm)[0])
        errs.append(max(0.0, float(lm * rr @ rr - rr @ Lm @ rr)))
    steps.append(make_step(
        "D5", "Rayleigh bound (2 x 2)",
        r"\Lambda=\Lambda^\top\Rightarrow (f-y)^\top\Lambda(f-y)\ge\lambda_{\min}(\Lambda)\|f-y\|^2,\ "
        r"\text{so}\ \frac{d}{dt}\|f-y\|^2\le-2\lambda_{\min}(\Lambda)\|f-y\|^2",
        dec if dec.verdict is not Verdict.PROVED else trace,
        "For Lambda = [[l11, l12], [l12, l22]] and M = Lambda - lambda_min I (lambda_min one of SymPy's "
             "eigenvalues): det M = 0, M11 r'Mr = (M11 r1 + l12 r2)^2 and M22 r'Mr = (l12 r1 + M22 r2)^2, and "
             "trace M = 2 sqrt((l11-l22)^2/4 + l12^2) >= 0 (SymPy's sign assumptions); so one diagonal entry "
             "of M is positive (or M = 0) and r'Mr >= 0. For n > 2 this is the spectral theorem.",
        displays=[(r"$\lambda_{\min}$", tex(lam_min))],
        numeric=[numeric_check("lambda_min(ntk) ||r||^2 - r' ntk r <= 0 on 6 random networks "
                               "(violation reported)", errs, 1e-12)],
        premises=("spectral theorem (Rayleigh quotient) for n > 2",)))
    return steps
