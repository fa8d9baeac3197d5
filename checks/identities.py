"""Numeric checks of the identities D1-D5 (gradients, invariances, kernel dynamics).

Each check compares two independent routes to one quantity and returns the largest
relative discrepancy against a tolerance (kind "identity", margin = tol ÷ error).
"""

from __future__ import annotations

import mpmath
import numpy as np
from scipy.integrate import solve_ivp

from wnproofs.dynamics import EvaluationBudget, wn_flow_field
from wnproofs.kernels import gram_G, gram_V, ntk
from wnproofs.model import WNNetwork
from wnproofs.plugin import Instance, check
from wnproofs.outcomes import Kind, Level, compare


def _net(inst: Instance, stream: int = 0, perturb: bool = True) -> WNNetwork:
    """A network for the instance: initialised at α, then moved off initialisation
    (lengths rescaled) so the identities are tested at a generic point, not only at t = 0."""
    m = int(inst.get("m", 6))
    alpha = float(inst.get("alpha", 0.8))
    rng = inst.rng(stream)
    net = WNNetwork.init(m, inst.data.d, alpha, rng)
    if perturb:
        net = net.replace(g=net.g * rng.uniform(0.5, 1.5, size=m))
    return net


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    scale = max(float(np.max(np.abs(b))), 1e-300)
    return float(np.max(np.abs(a - b))) / scale


# ---------------------------------------------------------------------------- D1

def _loss_mp(v, g, c, X, y):
    """L = ½||f − y||² in mpmath (v: list of rows, g, c: lists; X, y: mpf)."""
    m = len(g)
    sm = mpmath.sqrt(m)
    L = mpmath.mpf(0)
    for xi, yi in zip(X, y):
        f = mpmath.mpf(0)
        for vk, gk, ck in zip(v, g, c):
            nv = mpmath.sqrt(mpmath.fsum(t * t for t in vk))
            pre = gk * mpmath.fsum(a * b for a, b in zip(vk, xi)) / nv
            if pre > 0:
                f += ck * pre
        r = f / sm - yi
        L += r * r / 2
    return L


@check("D1", level=Level.NUMERIC)
def d1_finite_differences(inst: Instance):
    """D1 gradients against central finite differences of L evaluated in mpmath (40 digits),
    and against the Salimans–Kingma route ∇_g = ⟨∇_w L, u⟩, ∇_v = (g/||v||) P_v ∇_w L."""
    net = _net(inst)
    X, y = inst.data.X, inst.data.y
    gv, gg = net.gradients(X, y)
    h = mpmath.mpf("1e-15")
    # the loss difference is ~h·||r|| against a loss ~||r||²: 40 digits serve ||r|| up to ~1e10,
    # larger labels need proportionally more (else the finite difference is all rounding)
    scale = float(np.max(np.abs(net.forward(X) - y)))
    dps = 40 + max(0, int(np.ceil(np.log10(max(scale, 1.0)))) - 10)
    with mpmath.workdps(dps):
        Xm = [[mpmath.mpf(float(t)) for t in row] for row in X]
        ym = [mpmath.mpf(float(t)) for t in y]
        v = [[mpmath.mpf(float(t)) for t in row] for row in net.v]
        g = [mpmath.mpf(float(t)) for t in net.g]
        c = [mpmath.mpf(float(t)) for t in net.c]
        fd_v = np.zeros_like(gv)
        fd_g = np.zeros_like(gg)
        for k in range(net.m):
            for j in range(net.d):
                old = v[k][j]
                v[k][j] = old + h
                lp = _loss_mp(v, g, c, Xm, ym)
                v[k][j] = old - h
                lm = _loss_mp(v, g, c, Xm, ym)
                v[k][j] = old
                fd_v[k, j] = float((lp - lm) / (2 * h))
            old = g[k]
            g[k] = old + h
            lp = _loss_mp(v, g, c, Xm, ym)
            g[k] = old - h
            lm = _loss_mp(v, g, c, Xm, ym)
            g[k] = old
            fd_g[k] = float((lp - lm) / (2 * h))
    # Salimans–Kingma route through the un-normalized weights w = g v/||v||.
    w = net.w
    pre = X @ w.T
    r = np.maximum(pre, 0.0) @ net.c / np.sqrt(net.m) - y
    grad_w = (net.c / np.sqrt(net.m))[:, None] * (((pre >= 0) * r[:, None]).T @ X)
    u = net.u
    sk_g = np.sum(grad_w * u, axis=1)
    sk_v = (net.g / net.v_norms)[:, None] * (grad_w - u * sk_g[:, None])
    kink = float(np.min(np.abs(X @ u.T)))
    err = max(_rel(np.concatenate([gv.ravel(), gg]), np.concatenate([fd_v.ravel(), fd_g])),
              _rel(np.concatenate([gv.ravel(), gg]), np.concatenate([sk_v.ravel(), sk_g])))
    return compare("D1", Kind.IDENTITY, Level.NUMERIC, err, float(inst.get("tol", 1e-10)),
                   undecided=kink < 1e-12,
                   message="relative error of D1 against mpmath finite differences and Salimans–Kingma",
                   details={"m": net.m, "min_abs_preactivation": kink})


# ---------------------------------------------------------------------------- D2

@check("D2", level=Level.NUMERIC)
def d2_invariance(inst: Instance):
    """f(c·v) = f(v) for random c_k > 0, and ⟨v_k, ∇_{v_k} L⟩ = 0 relative to ||v_k|| ||∇_{v_k} L||."""
    net = _net(inst)
    X, y = inst.data.X, inst.data.y
    rng = inst.rng(1)
    scale = np.exp(rng.uniform(-3, 3, size=net.m))
    f0 = net.forward(X)
    f1 = net.replace(v=net.v * scale[:, None]).forward(X)
    gv, _ = net.gradients(X, y)
    denom = net.v_norms * np.linalg.norm(gv, axis=1)
    ortho = np.abs(np.sum(net.v * gv, axis=1)) / np.where(denom > 0, denom, 1.0)
    err = max(_rel(f1, f0) if np.any(f0) else float(np.max(np.abs(f1))), float(np.max(ortho)))
    return compare("D2", Kind.IDENTITY, Level.NUMERIC, err, float(inst.get("tol", 1e-12)),
                   message="max of |f(cv) − f(v)|/|f| and the cosine between v_k and ∇_{v_k}L")


# ---------------------------------------------------------------------------- D3

def _flatten(net: WNNetwork) -> np.ndarray:
    return np.concatenate([net.v.ravel(), net.g])


@check("D3", level=Level.NUMERIC)
def d3_norms(inst: Instance):
    """GD: ||v(s+1)||² = ||v(s)||² + η²||∇_v L||² to rounding, over several steps; GF: ||v_k(T)|| = ||v_k(0)||
    along a DOP853 trajectory (rtol 1e-11), up to the integrator's tolerance."""
    net = _net(inst)
    X, y = inst.data.X, inst.data.y
    eta = float(inst.get("eta", 0.5))
    gd_err = 0.0
    cur = net
    for _ in range(int(inst.get("gd_steps", 5))):
        gv, gg = cur.gradients(X, y)
        nxt = cur.replace(v=cur.v - eta * gv, g=cur.g - eta * gg)
        lhs = nxt.v_norms**2
        rhs = cur.v_norms**2 + eta**2 * np.sum(gv * gv, axis=1)
        gd_err = max(gd_err, _rel(lhs, rhs))
        cur = nxt
    T = float(inst.get("T", 0.2))
    try:
        sol = solve_ivp(wn_flow_field(net, X, y)[0], (0.0, T), _flatten(net), method="DOP853",
                        rtol=1e-10, atol=1e-13)
        vT = sol.y[: net.m * net.d, -1].reshape(net.m, net.d)
        gf_err = float(np.max(np.abs(np.linalg.norm(vT, axis=1) / net.v_norms - 1.0)))
        solved = bool(sol.success)
    except EvaluationBudget:
        gf_err, solved = float("nan"), False
    tol_gd, tol_gf = 1e-12, 1e-8
    err = max(gd_err / tol_gd, 0.0 if not solved else gf_err / tol_gf)  # units of each tolerance
    return compare("D3", Kind.IDENTITY, Level.NUMERIC, err, 1.0, undecided=not solved and err <= 1,
                   message=f"GD identity rel. error {gd_err:.1e} (tol {tol_gd:g}); "
                           f"GF norm drift {gf_err:.1e} over [0, {T:g}] (tol {tol_gf:g}, DOP853 rtol 1e-10)"
                           + ("" if solved else "; GF integration did not finish (inconclusive)"),
                   details={"gd_rel_error": gd_err, "gf_norm_drift": gf_err, "gf_solved": solved})


# ---------------------------------------------------------------------------- D4, D5

#: Largest residual per point (rms) at which the GF finite difference keeps its step 1e-6;
#: the parameters move by h·η·||∇L|| ∝ h·||r||, so a larger residual gets a smaller step.
FD_RMS_REF = 10.0


def _fd_step(net: WNNetwork, X, y) -> float:
    r = net.forward(X) - y
    rms = float(np.sqrt(np.mean(r * r)))
    return 1e-6 if rms <= FD_RMS_REF else 1e-6 * FD_RMS_REF / rms


def _h_text(h: float) -> str:
    return "1e-6" if h == 1e-6 else f"{h:.1e}"


def _fd_dynamics(net: WNNetwork, X, y, eta_v: float, eta_g: float, h: float = 1e-6):
    """df/dt and d||f − y||²/dt along GF by a central difference of step h."""
    gv, gg = net.gradients(X, y)
    plus = net.replace(v=net.v - h * eta_v * gv, g=net.g - h * eta_g * gg)
    minus = net.replace(v=net.v + h * eta_v * gv, g=net.g + h * eta_g * gg)
    fp, fm = plus.forward(X), minus.forward(X)
    dfdt = (fp - fm) / (2 * h)
    # ||fp − y||² − ||fm − y||² = Σ (fp − fm)(fp + fm − 2y): no cancellation of two large sums
    dloss = float(np.sum((fp - fm) * (fp + fm - 2 * y))) / (2 * h)
    return dfdt, dloss


@check("D4", level=Level.NUMERIC)
def d4_gram_vs_jacobian(inst: Instance):
    """The O(n²m) BLAS forms of V, G, Λ against α²J_vJ_vᵀ, J_gJ_gᵀ and η_vJ_vJ_vᵀ + η_gJ_gJ_gᵀ
    (explicit Jacobians), and −Λ(f − y) against a finite difference of f along GF."""
    net = _net(inst)
    X, y = inst.data.X, inst.data.y
    eta_v, eta_g = float(inst.get("eta_v", 0.7)), float(inst.get("eta_g", 1.3))
    Jv, Jg = net.jacobians(X)
    V, G = gram_V(net, X, chunk=3), gram_G(net, X, chunk=4)
    L = ntk(net, X, eta_v, eta_g, chunk=5)
    e_gram = max(_rel(V, net.alpha**2 * Jv @ Jv.T), _rel(G, Jg @ Jg.T),
                 _rel(L, eta_v * Jv @ Jv.T + eta_g * Jg @ Jg.T))
    h = _fd_step(net, X, y)
    dfdt, _ = _fd_dynamics(net, X, y, eta_v, eta_g, h)
    r = net.forward(X) - y
    e_dyn = _rel(dfdt, -L @ r)
    err = max(e_gram / 1e-12, e_dyn / 1e-6)
    return compare("D4", Kind.IDENTITY, Level.NUMERIC, err, 1.0,
                   message=f"Gram vs Jacobian rel. error {e_gram:.1e} (tol 1e-12); "
                           f"df/dt vs −Λ(f−y) {e_dyn:.1e} (tol 1e-6, central difference h = {_h_text(h)})",
                   details={"gram_rel_error": e_gram, "dynamics_rel_error": e_dyn})


@check("D5", level=Level.NUMERIC)
def d5_loss_decay(inst: Instance):
    """d||f − y||²/dt (finite difference along GF) = −2 rᵀΛr, and rᵀΛr ≥ λ_min(Λ)||r||²."""
    net = _net(inst)
    X, y = inst.data.X, inst.data.y
    eta_v, eta_g = float(inst.get("eta_v", 0.7)), float(inst.get("eta_g", 1.3))
    L = ntk(net, X, eta_v, eta_g)
    r = net.forward(X) - y
    _, dloss = _fd_dynamics(net, X, y, eta_v, eta_g, _fd_step(net, X, y))
    quad = float(r @ L @ r)
    e_id = abs(dloss + 2 * quad) / max(abs(2 * quad), 1e-300)
    lmin = float(np.linalg.eigvalsh(L)[0])
    # inequality: quad ≥ λ_min ||r||² (up to rounding of order n·eps·||Λ||·||r||²)
    slack = quad - lmin * float(r @ r) + 1e-12 * np.linalg.norm(L, 2) * float(r @ r)
    ok_ineq = slack >= 0
    err = e_id / 1e-6
    res = compare("D5", Kind.IDENTITY, Level.NUMERIC, err if ok_ineq else float("inf"), 1.0,
                  message=f"d||r||²/dt vs −2rᵀΛr rel. error {e_id:.1e} (tol 1e-6); "
                          f"rᵀΛr / (λ_min ||r||²) = {quad / max(lmin * float(r @ r), 1e-300):.3g} ≥ 1",
                  details={"identity_rel_error": e_id, "rayleigh_ratio": quad / max(lmin * float(r @ r), 1e-300)})
    return res
