"""D3: Norm dynamics.

Statement: Under GF ||v_k(t)|| = ||v_k(0)||; under GD ||v_k(s+1)||² = ||v_k(s)||² + η_v² ||∇_{v_k} L(s)||².

Kind of claim: identity.

Reference: Dukler, Gu & Montúfar, ICML 2020; THEORY.md §2; the project's own statement is docs/theory.md, section D3.

Hypotheses: none beyond the setting.

Checks: ``norms``, ``norm_dynamics_wn``, ``norm_dynamics_ewn``.

What "holds" means: the observed error is at most the tolerance (margin = tolerance ÷ error).

Parameters (``inst.params``, :class:`Params`): ``m`` (6), ``alpha`` (0.8), ``eta`` (0.5),
``gd_steps`` (5), ``T`` (0.2), ``max_evals`` (10 000).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp

from wnproofs.dynamics import EvaluationBudget, wn_flow_field
from wnproofs.outcomes import Kind, Level, compare
from wnproofs.plugin import Instance, check, read_params

from ._family import _d3
from ._identities import _flatten, _net, _rel

#: Tolerances: the GD identity and the tangency hold to rounding; the integrated drift to
#: the integrator's tolerance.
TOL_GD, TOL_TANGENT, TOL_GF = 1e-12, 1e-12, 1e-8


@dataclass(frozen=True)
class Params:
    """Parameters of the D3 check.

    m, alpha : width and scale of the network (built by ``checks/_identities._net``).
    eta : GD step η_v = η_g (default 0.5).
    gd_steps : GD steps along which both identities are checked (default 5).
    T : horizon of the corroborating GF integration (default 0.2).
    max_evals : right-hand-side evaluations allowed to that integration (default 3000).
    """

    m: int = 6
    alpha: float = 0.8
    eta: float = 0.5
    gd_steps: int = 5
    T: float = 0.2
    max_evals: int = 10_000


def _tangency(net, X, y) -> float:
    """max_k |⟨v_k, ∇_{v_k} L⟩| / (||v_k|| ||∇_{v_k} L||): zero means d||v_k||²/dt = 0 under GF."""
    gv, _ = net.gradients(X, y)
    num = np.abs(np.sum(net.v * gv, axis=1))
    den = np.linalg.norm(net.v, axis=1) * np.linalg.norm(gv, axis=1)
    ok = den > 0
    return float(np.max(num[ok] / den[ok])) if np.any(ok) else 0.0


@check("D3", level=Level.NUMERIC)
def norms(inst: Instance):
    """GD: ||v(s+1)||² = ||v(s)||² + η²||∇_v L||² to rounding, over several steps.  GF: the
    field is tangent to every sphere ||v_k|| = const, ⟨v_k, ∇_{v_k} L⟩ = 0 to rounding at
    every state of that run (so d||v_k||²/dt = −2η_v⟨v_k, ∇_{v_k}L⟩ = 0: decided without
    integrating across the ReLU kinks); corroborated by a DOP853 integration over [0, T]
    (rtol 1e-10) when it finishes within its evaluation budget."""
    p = read_params(Params, inst.params)
    net = _net(inst)
    X, y = inst.data.X, inst.data.y
    gd_err, tangent = 0.0, _tangency(net, X, y)
    cur = net
    for _ in range(p.gd_steps):
        gv, gg = cur.gradients(X, y)
        nxt = cur.replace(v=cur.v - p.eta * gv, g=cur.g - p.eta * gg)
        lhs = nxt.v_norms**2
        rhs = cur.v_norms**2 + p.eta**2 * np.sum(gv * gv, axis=1)
        gd_err = max(gd_err, _rel(lhs, rhs))
        cur = nxt
        tangent = max(tangent, _tangency(cur, X, y))
    try:
        sol = solve_ivp(wn_flow_field(net, X, y, max_evals=p.max_evals)[0], (0.0, p.T), _flatten(net),
                        method="DOP853", rtol=1e-10, atol=1e-13)
        vT = sol.y[: net.m * net.d, -1].reshape(net.m, net.d)
        gf_err = float(np.max(np.abs(np.linalg.norm(vT, axis=1) / net.v_norms - 1.0)))
        solved = bool(sol.success)
    except EvaluationBudget:
        gf_err, solved = float("nan"), False
    err = max(gd_err / TOL_GD, tangent / TOL_TANGENT, gf_err / TOL_GF if solved else 0.0)
    return compare("D3", Kind.IDENTITY, Level.NUMERIC, err, 1.0,
                   message=f"GD identity rel. error {gd_err:.1e} (tol {TOL_GD:g}); GF tangency "
                           f"max|⟨v_k, ∇_v L⟩|/(|v_k||∇_v L|) = {tangent:.1e} (tol {TOL_TANGENT:g})"
                           + (f"; integrated GF norm drift {gf_err:.1e} over [0, {p.T:g}] (tol {TOL_GF:g})"
                              if solved else f"; the corroborating integration exceeded {p.max_evals} "
                                             "evaluations (kinks), not needed for the verdict"),
                   details={"gd_rel_error": gd_err, "gf_tangency": tangent, "gf_norm_drift": gf_err,
                            "gf_solved": solved})


# -- the parameterization family (docs/parameterizations.md) ---------------------

@check("D3", level=Level.NUMERIC, name="d3.norm_dynamics_wn")
def norm_dynamics_wn(inst: Instance):
    """D3 for WN through the parameterization interface, η_v ≠ η_g."""
    return _d3(inst, "wn")


@check("D3", level=Level.NUMERIC, name="d3.norm_dynamics_ewn")
def norm_dynamics_ewn(inst: Instance):
    """D3 for exponential WN: ||v_k|| is conserved by GF and grows by (hη_v)²||∇_v L||² per GD step."""
    return _d3(inst, "ewn")
