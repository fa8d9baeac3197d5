"""D4: Kernel dynamics.

Statement: df/dt = −Λ(t)(f − y), Λ = (η_v/α²) V + η_g G = η_v J_v J_vᵀ + η_g J_g J_gᵀ.

Kind of claim: identity.

Reference: Dukler, Gu & Montúfar, ICML 2020; THEORY.md §3; the project's own statement is docs/theory.md, section D4.

Hypotheses: none beyond the setting.

Checks: ``gram_vs_jacobian``, ``kernel_dynamics_standard``, ``kernel_dynamics_wn``, ``kernel_dynamics_ewn``.

What "holds" means: the observed error is at most the tolerance (margin = tolerance ÷ error).

"""

from __future__ import annotations

from dataclasses import dataclass

from wnproofs.kernels import gram_G, gram_V, ntk
from wnproofs.outcomes import Kind, Level, compare
from wnproofs.plugin import Instance, check, read_params

from ._family import _d4
from ._identities import FlowParams, _fd_dynamics, _fd_step, _h_text, _net, _rel


@dataclass(frozen=True)
class Params(FlowParams):
    """D4 parameters: those of :class:`FlowParams` (m [6], alpha [0.8], eta_v [0.7], eta_g [1.3])."""


@check("D4", level=Level.NUMERIC)
def gram_vs_jacobian(inst: Instance):
    """The O(n²m) BLAS forms of V, G, Λ against α²J_vJ_vᵀ, J_gJ_gᵀ and η_vJ_vJ_vᵀ + η_gJ_gJ_gᵀ
    (explicit Jacobians), and −Λ(f − y) against a finite difference of f along GF."""
    p = read_params(Params, inst, "D4")
    net = _net(inst, p.m, p.alpha)
    X, y = inst.data.X, inst.data.y
    eta_v, eta_g = p.eta_v, p.eta_g
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


# -- the parameterization family (docs/parameterizations.md) ---------------------

@check("D4", level=Level.NUMERIC, name="d4.kernel_dynamics_standard")
def kernel_dynamics_standard(inst: Instance):
    """D4 for the standard parameterization: Λ = η_w H(t) against J Jᵀ, and df/dt = −Λ(f − y)."""
    return _d4(inst, "standard", read_params(Params, inst, "D4"))


@check("D4", level=Level.NUMERIC, name="d4.kernel_dynamics_wn")
def kernel_dynamics_wn(inst: Instance):
    """D4 for WN through the parameterization interface, against J Jᵀ and kernels.ntk."""
    return _d4(inst, "wn", read_params(Params, inst, "D4"))


@check("D4", level=Level.NUMERIC, name="d4.kernel_dynamics_ewn")
def kernel_dynamics_ewn(inst: Instance):
    """D4 for exponential WN: M = ||w||²[η_s uuᵀ + η_v P/||v||²] gives Λ = η_v J_v J_vᵀ + η_s J_s J_sᵀ."""
    return _d4(inst, "ewn", read_params(Params, inst, "D4"))
