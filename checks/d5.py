"""D5: Loss decay.

Statement: d/dt ||f − y||² = −2 (f − y)ᵀ Λ (f − y) ≤ −2 λ_min(Λ) ||f − y||².

Kind of claim: identity.

Reference: Dukler, Gu & Montúfar, ICML 2020; THEORY.md §3; the project's own statement is docs/theory.md, section D5.

Hypotheses: none beyond the setting.

Checks: ``loss_decay``.

What "holds" means: the observed error is at most the tolerance (margin = tolerance ÷ error).

"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wnproofs.kernels import ntk
from wnproofs.outcomes import Kind, Level, compare
from wnproofs.plugin import Instance, check

from ._identities import FlowParams, _fd_dynamics, _net
from ._params import read_params


@dataclass(frozen=True)
class Params(FlowParams):
    """D5 parameters: those of :class:`FlowParams` (m [6], alpha [0.8], eta_v [0.7], eta_g [1.3])."""


@check("D5", level=Level.NUMERIC)
def loss_decay(inst: Instance):
    """d||f − y||²/dt (finite difference along GF) = −2 rᵀΛr, and rᵀΛr ≥ λ_min(Λ)||r||²."""
    p = read_params(Params, inst, "D5")
    net = _net(inst, p.m, p.alpha)
    X, y = inst.data.X, inst.data.y
    eta_v, eta_g = p.eta_v, p.eta_g
    L = ntk(net, X, eta_v, eta_g)
    r = net.forward(X) - y
    _, dloss = _fd_dynamics(net, X, y, eta_v, eta_g)
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
