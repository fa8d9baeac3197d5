"""D5: Loss decay.

Statement: d/dt ||f − y||² = −2 (f − y)ᵀ Λ (f − y) ≤ −2 λ_min(Λ) ||f − y||².

Kind of claim: identity.

Reference: Dukler, Gu & Montúfar, ICML 2020; THEORY.md §3; the project's own statement is docs/theory.md, section D5.

Hypotheses: none beyond the setting.

Checks: ``loss_decay``, ``comparison``.

What "holds" means: the observed error is at most the tolerance (margin = tolerance ÷ error).

"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wnproofs.kernels import ntk
from wnproofs.outcomes import Kind, Level, compare
from wnproofs.parameterizations import (
    compare_parameterizations,
)
from wnproofs.plugin import Instance, check, read_params

from ._family import _settings
from ._identities import FlowParams, _fd_dynamics, _fd_step, _net


@dataclass(frozen=True)
class Params(FlowParams):
    """D5 parameters: those of :class:`FlowParams` (m [6], alpha [0.8], eta_v [0.7], eta_g [1.3]),
    and for the side-by-side comparison: compare_m (width [256]), compare_alpha (α [1.0]) and
    eps (the target residual, a fraction of the start [0.01])."""

    compare_m: int = 256
    compare_alpha: float = 1.0
    eps: float = 1e-2


@check("D5", level=Level.NUMERIC)
def loss_decay(inst: Instance):
    """d||f − y||²/dt (finite difference along GF) = −2 rᵀΛr, and rᵀΛr ≥ λ_min(Λ)||r||²."""
    p = read_params(Params, inst, "D5")
    net = _net(inst, p.m, p.alpha)
    X, y = inst.data.X, inst.data.y
    eta_v, eta_g = p.eta_v, p.eta_g
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


# -- the parameterization family (docs/parameterizations.md) ---------------------

@check("D5", level=Level.EMPIRICAL, name="d5.comparison")
def comparison(inst: Instance):
    """D5 along the GF of standard, WN and EWN from one initialization: the loss falls at least
    at the rate 2·min λ_min(Λ(t)); records the side-by-side comparison in the details."""
    s = _settings(inst, read_params(Params, inst, "D5"))
    comp = compare_parameterizations(inst.data.X, inst.data.y, s, rng=inst.rng(31))
    worst = None
    per = {}
    for row in comp.rows:
        reached = row.gf_time is not None
        t = row.gf_time if reached else row.gf_t_end
        end = s.eps * row.residual_sq0 if reached else row.gf_residual_sq_end
        observed = float(np.log(row.residual_sq0 / end))
        bound = 2.0 * max(row.gf_kappa_min, 0.0) * t     # λ_min ≥ 0 (PSD); rounding may give −1e-17
        per[row.parameterization] = {"observed_log_decay": observed, "bound": bound, "t": t}
        res = compare("D5", Kind.LOWER, Level.EMPIRICAL, observed, bound)
        if worst is None or (res.margin or 0) < (worst[1].margin or 0):
            worst = (row.parameterization, res)
    name, res = worst
    lines = "; ".join(f"{r.parameterization}: λ_min(Λ(0)) {r.lambda_min:.3g}, GD steps "
                      f"{r.gd_steps if r.gd_steps is not None else 'not reached'}, GF time "
                      f"{'%.3g' % r.gf_time if r.gf_time is not None else 'not reached'}, width "
                      f"{r.width_needed if r.width_needed is not None else 'not reached'}" for r in comp.rows)
    return compare("D5", Kind.LOWER, Level.EMPIRICAL, res.observed, res.bound,
                   message=f"log(||r(0)||²/||r(t)||²) ≥ 2t·min λ_min(Λ) along GF (tightest: {name}); "
                           f"to ε = {s.eps:g}: {lines}",
                   details={"comparison": comp.to_dict(), "decay": per, "tightest": name})
