"""Symbolic derivations of the WN gradients and invariances: claims D1, D2, D3 (THEORY.md §2).

Every gradient is obtained with ``sympy.diff`` from the network definition
f(x) = (1/√m) Σ_k c_k σ(g_k ⟨v_k, x⟩/||v_k||).  The ReLU is split by activation pattern:
on the active branch (⟨v, x⟩ > 0, g > 0) σ is the identity, on the inactive branch f is
locally 0; each branch is proved separately (``simplify`` on Piecewise is avoided).
Explicit dimensions d = 2, 3, 4 use coordinates; the dimension-free proof works in the
coefficient basis {x, v}: for F(s, N) with s = ⟨v, x⟩, N = ||v||,
∇_v F = F_s x + (F_N/N) v (the rules ∇_v s = x, ∇_v N = v/N are checked in coordinates).
Each symbolic gradient is lambdified and compared with ``WNNetwork.gradients``.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import sympy as sp

from wnproofs.symbolic import Step, decide_zero, make_step, numeric_check, symbolic, tex
from wnproofs.model import WNNetwork

TOPIC = "gradients"
TITLE = "WN gradients, scale invariance and norm dynamics (D1-D3)"

G = sp.Symbol("g", positive=True)
C = sp.Symbol("c", real=True)
M = sp.Symbol("m", positive=True)
S = sp.Symbol("s", real=True)          # <v, x>
NV = sp.Symbol("N", positive=True)     # ||v||
LAM = sp.Symbol("lambda", positive=True)
ETA = sp.Symbol("eta", positive=True)
DIMS = (2, 3, 4)

#: A candidate ∂f/∂v on the active branch: (v, x, g, c, m) -> column Matrix.
GradCandidate = Callable[[sp.Matrix, sp.Matrix, sp.Expr, sp.Expr, sp.Expr], sp.Matrix]


def vec(name: str, d: int) -> sp.Matrix:
    """Column vector of ``d`` real symbols name1..name_d."""
    return sp.Matrix(sp.symbols(f"{name}1:{d + 1}", real=True))


def norm(v: sp.Matrix) -> sp.Expr:
    return sp.sqrt(v.dot(v))


def proj(v: sp.Matrix, x: sp.Matrix) -> sp.Matrix:
    """P_v x = x − u⟨u, x⟩ with u = v/||v||."""
    return x - v * v.dot(x) / v.dot(v)


def f_active(v: sp.Matrix, x: sp.Matrix, g=G, c=C, m=M) -> sp.Expr:
    """One neuron's output on the active branch (g⟨v,x⟩ > 0): σ is the identity."""
    return c * g * v.dot(x) / (norm(v) * sp.sqrt(m))


def theory_grad_g(v, x, g=G, c=C, m=M) -> sp.Expr:
    """D1 as stated: ∂f/∂g = c σ(⟨u,x⟩)/√m, active branch (σ(z) = z)."""
    return c * v.dot(x) / norm(v) / sp.sqrt(m)


def theory_grad_v(v, x, g=G, c=C, m=M) -> sp.Matrix:
    """D1 as stated: ∂f/∂v = c (g/||v||) 1{⟨v,x⟩ ≥ 0} P_v x/√m, active branch."""
    return c * g / norm(v) * proj(v, x) / sp.sqrt(m)


def _sampler(d: int) -> Callable[[np.random.Generator], dict]:
    def draw(rng: np.random.Generator) -> dict:
        vals = {}
        for name in ("v", "x", "q"):
            for i, sym in enumerate(vec(name, d)):
                vals[sym] = float(rng.standard_normal())
        vals.update({G: float(rng.uniform(0.5, 2)), C: float(rng.choice([-1, 1])),
                     M: float(rng.integers(1, 9)), LAM: float(rng.uniform(0.1, 3)),
                     ETA: float(rng.uniform(0.1, 1)), S: float(rng.standard_normal()),
                     NV: float(rng.uniform(0.5, 2))})
        return vals

    return draw


def _random_problem(seed: int, n: int = 5, m: int = 4, d: int = 3):
    rng = np.random.default_rng(seed)
    net = WNNetwork.init(m, d, alpha=float(rng.uniform(0.5, 2)), rng=rng)
    X = rng.standard_normal((n, d))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    y = rng.standard_normal(n)
    return net, X, y


def _lambdified_grads(d: int, grad_v_expr: sp.Matrix, grad_g_expr: sp.Expr):
    v, x = vec("v", d), vec("x", d)
    args = (tuple(v), tuple(x), G, C, M)
    return (sp.lambdify(args, list(grad_v_expr), "numpy"),
            sp.lambdify(args, grad_g_expr, "numpy"))


def _compare_with_model(d: int, grad_v_expr: sp.Matrix, grad_g_expr: sp.Expr, trials: int = 4):
    """Max relative error of Σ_i r_i A_ik ∂f(x_i)/∂θ_k (lambdified) vs WNNetwork.gradients."""
    fv, fg = _lambdified_grads(d, grad_v_expr, grad_g_expr)
    errs = []
    for t in range(trials):
        net, X, y = _random_problem(100 + t, d=d)
        r = net.forward(X) - y
        gv_ref, gg_ref = net.gradients(X, y)
        gv = np.zeros_like(gv_ref)
        gg = np.zeros_like(gg_ref)
        for k in range(net.m):
            for i in range(X.shape[0]):
                if net.g[k] * (X[i] @ net.v[k]) >= 0:  # active branch
                    gv[k] += r[i] * np.array(fv(net.v[k], X[i], net.g[k], net.c[k], net.m), float)
                    gg[k] += r[i] * float(fg(net.v[k], X[i], net.g[k], net.c[k], net.m))
        scale = max(1.0, float(np.max(np.abs(gv_ref))), float(np.max(np.abs(gg_ref))))
        errs.append(max(float(np.max(np.abs(gv - gv_ref))), float(np.max(np.abs(gg - gg_ref)))) / scale)
    return numeric_check(f"lambdified sympy.diff gradients (d = {d}) vs WNNetwork.gradients, "
                         f"{trials} random networks", errs, 1e-12)


@symbolic("D1", topic=TOPIC, title=TITLE)
def derive_d1(candidate_v: GradCandidate | None = None,
              candidate_g: GradCandidate | None = None) -> list[Step]:
    """D1: the WN gradients ∂f/∂g_k and ∂f/∂v_k by ``sympy.diff``, branch by branch, for
    d = 2, 3, 4 and for symbolic d (coefficient basis), and the Salimans-Kingma form.

    ``candidate_v``/``candidate_g`` replace the formulas of THEORY.md (active branch) by
    planted alternatives; a wrong candidate must make the derivation fail.
    """
    cand_v = candidate_v or theory_grad_v
    cand_g = candidate_g or theory_grad_g
    steps: list[Step] = []
    for d in DIMS:
        v, x = vec("v", d), vec("x", d)
        f = f_active(v, x)
        dg = sp.diff(f, G)
        dv = sp.Matrix([sp.diff(f, vi) for vi in v])
        dec = decide_zero([dg - cand_g(v, x, G, C, M), dv - cand_v(v, x, G, C, M)], _sampler(d))
        numeric = [_compare_with_model(d, dv, dg)] if d == 3 else []
        steps.append(make_step(
            "D1", f"gradients, active branch, d = {d}",
            r"\langle v,x\rangle>0:\quad \frac{\partial f}{\partial g}=\frac{c\,\sigma(\langle u,x\rangle)}{\sqrt m},"
            r"\quad \nabla_v f=\frac{c\,g}{\|v\|\sqrt m}P_v x",
            dec, f"sympy.diff of f = c g <v,x>/(||v|| sqrt(m)) in coordinates (d = {d}) with respect to g and "
                 "each v_i, minus the stated formula, entrywise.",
            displays=[(r"sympy.diff result for $\partial f/\partial v_1$", tex(sp.factor(dv[0])))],
            numeric=numeric))
    # inactive branch: f is identically 0 near (v, g), so both gradients vanish; the stated
    # formulas vanish too because σ(<u,x>) = 0 and 1{<v,x> >= 0} = 0 there.
    v, x = vec("v", 3), vec("x", 3)
    f0 = sp.Integer(0)
    dec = decide_zero([sp.diff(f0, G)] + [sp.diff(f0, vi) for vi in v], None)
    steps.append(make_step(
        "D1", "gradients, inactive branch",
        r"\langle v,x\rangle<0:\quad f\equiv 0 \text{ near } (v,g),\quad \frac{\partial f}{\partial g}=0="
        r"\frac{c\,\sigma(\langle u,x\rangle)}{\sqrt m},\quad \nabla_v f=0=\frac{c\,g}{\|v\|\sqrt m}"
        r"\mathbb 1\{\langle v,x\rangle\ge0\}P_v x",
        dec, "On the open set <v,x> < 0 (g > 0) the pre-activation is negative, so f = 0 there; "
             "sympy.diff of the zero branch is 0, and the stated formulas vanish by their sigma / indicator."))
    # dimension-free: coefficient basis {x, v}
    F = C * G * S / (NV * sp.sqrt(M))
    coef_x, coef_v = sp.diff(F, S), sp.diff(F, NV) / NV
    claim_x, claim_v = C * G / (NV * sp.sqrt(M)), -C * G * S / (NV**3 * sp.sqrt(M))
    rules = decide_zero([sp.Matrix([sp.diff(vec("v", d).dot(vec("x", d)), vi) for vi in vec("v", d)])
                         - vec("x", d) for d in DIMS]
                        + [sp.Matrix([sp.diff(norm(vec("v", d)), vi) for vi in vec("v", d)])
                           - vec("v", d) / norm(vec("v", d)) for d in DIMS], None)
    steps.append(make_step(
        "D1", "base rules in coordinates",
        r"\nabla_v\langle v,x\rangle=x,\qquad \nabla_v\|v\|=\frac{v}{\|v\|}",
        rules, "sympy.diff in coordinates for d = 2, 3, 4 (each component is the same one-variable "
               "computation, d_j sum_i v_i x_i = x_j and d_j sqrt(sum_i v_i^2) = v_j/||v||, for every d)."))
    dec = decide_zero([coef_x - claim_x, coef_v - claim_v], _sampler(3))
    steps.append(make_step(
        "D1", "gradient in v, symbolic d",
        r"\nabla_v F(s,N)=F_s\,x+\frac{F_N}{N}\,v,\quad s=\langle v,x\rangle,\ N=\|v\|:\quad"
        r"\nabla_v\frac{c\,g\,s}{N\sqrt m}=\frac{c\,g}{N\sqrt m}\Big(x-\frac{s}{N^2}v\Big)=\frac{c\,g}{N\sqrt m}P_v x",
        dec, "Coefficients of x and v of the gradient of F = c g s/(N sqrt(m)) by sympy.diff in s and N, against "
             "those of (c g/(N sqrt m)) P_v x = (c g/(N sqrt m))(x - (s/N^2) v); the base rules "
             "grad_v <v,x> = x and grad_v ||v|| = v/||v|| are checked in coordinates for d = 2, 3, 4.",
        displays=[("coefficients (x, v)", tex(sp.Matrix([coef_x, coef_v]).T))]))
    # Salimans-Kingma: w = g v/||v||, chain rule through the Jacobians of w
    d = 3
    v, p = vec("v", d), vec("q", d)
    w = G * v / norm(v)
    Jg = w.diff(G)
    Jv = w.jacobian(v)
    u = v / norm(v)
    P = sp.eye(d) - u * u.T
    dec = decide_zero([Jg - u, Jv - (G / norm(v)) * P, Jv - Jv.T,
                       (Jg.T * p)[0] - p.dot(u), Jv.T * p - (G / norm(v)) * P * p], _sampler(d))
    steps.append(make_step(
        "D1", "Salimans-Kingma form",
        r"w=\frac{g\,v}{\|v\|}:\ \frac{\partial w}{\partial g}=u,\ \frac{\partial w}{\partial v}=\frac{g}{\|v\|}P_v"
        r"=\Big(\frac{\partial w}{\partial v}\Big)^{\!\top}\ \Rightarrow\ \nabla_g L=\langle\nabla_w L,u\rangle,"
        r"\ \nabla_v L=\frac{g}{\|v\|}P_v\nabla_w L",
        dec, "Jacobians of w = g v/||v|| by sympy (d = 3) against u and (g/||v||) P_v; the chain rule with a "
             "generic gradient q = grad_w L gives the stated form. With grad_w f = c x/sqrt(m) on the active "
             "branch this is the first step's formula again."))
    return steps


@symbolic("D2", topic=TOPIC, title=TITLE)
def derive_d2() -> list[Step]:
    """D2: f(λv) = f(v) for λ > 0 (activation pattern and value), hence ⟨v, ∇_v f⟩ = 0 and
    ⟨v_k, ∇_{v_k} L⟩ = 0; the last is compared with ``WNNetwork.gradients``."""
    steps: list[Step] = []
    d = 3
    v, x = vec("v", d), vec("x", d)
    dec = decide_zero([f_active(LAM * v, x) - f_active(v, x), sp.sign(LAM * v.dot(x)) - sp.sign(v.dot(x))],
                      _sampler(d))
    steps.append(make_step(
        "D2", "scale invariance",
        r"\lambda>0:\ \operatorname{sign}\langle\lambda v,x\rangle=\operatorname{sign}\langle v,x\rangle,\quad"
        r"\frac{c\,g\,\langle\lambda v,x\rangle}{\|\lambda v\|\sqrt m}=\frac{c\,g\,\langle v,x\rangle}{\|v\|\sqrt m}",
        dec, "The activation pattern is unchanged (sign is positively homogeneous of degree 0) and the active "
             "branch is homogeneous of degree 0 in v: both differences simplify to 0 (d = 3)."))
    dvf = sp.Matrix([sp.diff(f_active(v, x), vi) for vi in v])
    F = C * G * S / (NV * sp.sqrt(M))
    euler_sym = S * sp.diff(F, S) + NV**2 * sp.diff(F, NV) / NV   # <v, F_s x + (F_N/N) v>
    dec = decide_zero([v.dot(dvf), euler_sym], _sampler(d))
    steps.append(make_step(
        "D2", "orthogonality of the gradient (Euler)",
        r"\langle v,\nabla_v f\rangle=\frac{d}{d\lambda}f(\lambda v)\Big|_{\lambda=1}=0",
        dec, "<v, sympy.diff(f, v)> on the active branch (d = 3), and in the coefficient basis for symbolic d: "
             "<v, F_s x + (F_N/N) v> = s F_s + N F_N = 0 (F homogeneous of degree 0 in (s, N)). "
             "The inactive branch has gradient 0."))
    # loss with two samples, both active: grad_v L = sum_i r_i grad_v f(x_i)
    x2 = vec("z", d)
    y1, y2 = sp.symbols("y1 y2", real=True)
    L = ((f_active(v, x) - y1) ** 2 + (f_active(v, x2) - y2) ** 2) / 2
    gL = sp.Matrix([sp.diff(L, vi) for vi in v])
    errs = []
    for t in range(4):
        net, X, yy = _random_problem(200 + t)
        gv, _ = net.gradients(X, yy)
        errs.append(float(np.max(np.abs(np.sum(gv * net.v, axis=1))
                                 / (np.linalg.norm(net.v, axis=1) * np.maximum(np.linalg.norm(gv, axis=1), 1e-300)))))
    dec = decide_zero(v.dot(gL), _sampler(d))
    steps.append(make_step(
        "D2", "orthogonality for the loss",
        r"\langle v_k,\nabla_{v_k}L\rangle=\sum_i (f(x_i)-y_i)\,\langle v_k,\nabla_{v_k}f(x_i)\rangle=0",
        dec, "L = (1/2)sum_i (f(x_i) - y_i)^2 for two active samples, sympy.diff in v, inner product with v "
             "simplifies to 0 (inactive samples contribute 0).",
        numeric=[numeric_check("|cos angle(v_k, grad_{v_k} L)| from WNNetwork.gradients, 4 random networks",
                               errs, 1e-12)]))
    return steps


@symbolic("D3", topic=TOPIC, title=TITLE)
def derive_d3() -> list[Step]:
    """D3: under gradient flow d||v||²/dt = 0; under gradient descent
    ||v − η∇_v L||² = ||v||² + η²||∇_v L||², checked against one GD step of ``WNNetwork``."""
    d = 3
    t = sp.Symbol("t", real=True)
    q = vec("q", d)
    vf = sp.Matrix([sp.Function(f"v{i + 1}")(t) for i in range(d)])
    grad = lambda vv: (G / norm(vv)) * proj(vv, q)  # noqa: E731 - D1 (Salimans-Kingma form)
    vdot = -ETA * grad(vf)
    ddt = sp.diff(vf.dot(vf), t).subs({sp.Derivative(vf[i], t): vdot[i] for i in range(d)})
    steps = [make_step(
        "D3", "gradient flow keeps ||v|| constant",
        r"\frac{d}{dt}\|v\|^2=2\langle v,\dot v\rangle=-2\eta_v\langle v,\nabla_v L\rangle"
        r"=-\frac{2\eta_v g}{\|v\|}\langle v,P_v\nabla_w L\rangle=0",
        decide_zero(ddt, None),
        "v(t) as undefined functions (d = 3), dv/dt = -eta (g/||v||) P_v q with q = grad_w L generic "
        "(D1, Salimans-Kingma); sympy.diff of ||v(t)||^2 then substitution simplifies to 0.")]
    v = vec("v", d)
    gr = grad(v)
    ident = (v - ETA * gr).dot(v - ETA * gr) - v.dot(v) - ETA**2 * gr.dot(gr)
    errs = []
    for k in range(4):
        net, X, y = _random_problem(300 + k)
        gv, _ = net.gradients(X, y)
        eta = 0.7
        lhs = np.sum((net.v - eta * gv) ** 2, axis=1)
        rhs = np.sum(net.v**2, axis=1) + eta**2 * np.sum(gv**2, axis=1)
        errs.append(float(np.max(np.abs(lhs - rhs) / rhs)))
    steps.append(make_step(
        "D3", "gradient descent grows ||v||^2 by eta^2 ||grad||^2",
        r"\|v-\eta_v\nabla_v L\|^2=\|v\|^2-2\eta_v\langle v,\nabla_v L\rangle+\eta_v^2\|\nabla_v L\|^2"
        r"=\|v\|^2+\eta_v^2\|\nabla_v L\|^2",
        decide_zero(ident, _sampler(d)),
        "Expanded with grad_v L = (g/||v||) P_v q for generic q (d = 3); the cross term vanishes by D2.",
        numeric=[numeric_check("one GD step (eta = 0.7) of WNNetwork.gradients, relative error, "
                               "4 random networks", errs, 1e-12)]))
    return steps
