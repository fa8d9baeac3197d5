"""D3: Norm dynamics.

Statement: Under GF ||v_k(t)|| = ||v_k(0)||; under GD ||v_k(s+1)||² = ||v_k(s)||² + η_v² ||∇_{v_k} L(s)||².

Kind of claim: identity.

Reference: Dukler, Gu & Montúfar, ICML 2020; THEORY.md §2; the project's own statement is docs/theory.md, section D3.

Hypotheses: none beyond the setting.

Checks: ``norms``, ``norm_dynamics_wn``, ``norm_dynamics_ewn``.

What "holds" means: the observed error is at most the tolerance (margin = tolerance ÷ error).

"""

from __future__ import annotations

import numpy as np
from scipy.integrate import solve_ivp

from wnproofs.dynamics import EvaluationBudget, wn_flow_field
from wnproofs.outcomes import Kind, Level, compare
from wnproofs.plugin import Instance, check

from ._family import _d3
from ._identities import _flatten, _net, _rel


@check("D3", level=Level.NUMERIC)
def norms(inst: Instance):
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


# -- the parameterization family (docs/parameterizations.md) ---------------------

@check("D3", level=Level.NUMERIC, name="d3.norm_dynamics_wn")
def norm_dynamics_wn(inst: Instance):
    """D3 for WN through the parameterization interface, η_v ≠ η_g."""
    return _d3(inst, "wn")


@check("D3", level=Level.NUMERIC, name="d3.norm_dynamics_ewn")
def norm_dynamics_ewn(inst: Instance):
    """D3 for exponential WN: ||v_k|| is conserved by GF and grows by (hη_v)²||∇_v L||² per GD step."""
    return _d3(inst, "ewn")
