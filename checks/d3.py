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

from wnproofs.dynamics import gd, gf
from wnproofs.outcomes import Level
from wnproofs.plugin import Instance, check, read_params

from ._family import _d3
from ._identities import _net, _rel, d3_result


@dataclass(frozen=True)
class Params:
    """D3 parameters.

    m : width [6]; alpha : initialization scale α [0.8].
    eta : the GD step for v and g [0.5]; gd_steps : GD steps watched [5].
    T : the horizon of the corroborating GF run [0.2], integrated by DOP853 at rtol 1e-10,
        atol 1e-13 within ``max_evals`` field evaluations [10000].
    tol_gd : relative tolerance of the GD identity (rounding) [1e-12].
    tol_tangent : tolerance of the GF tangency ⟨v_k, ∇_{v_k} L⟩ = 0 (rounding) [1e-12].
    tol_gf : tolerance of the integrated GF norm drift (the integrator's error) [1e-8].
    """

    m: int = 6
    alpha: float = 0.8
    eta: float = 0.5
    gd_steps: int = 5
    T: float = 0.2
    max_evals: int = 10_000
    tol_gd: float = 1e-12
    tol_tangent: float = 1e-12
    tol_gf: float = 1e-8


def _tangency(net, X, y) -> float:
    """max_k |⟨v_k, ∇_{v_k} L⟩| / (||v_k|| (g_k/||v_k||) ||∇_{w_k} L||): zero means d||v_k||²/dt = 0.

    The scale is the unprojected gradient (D1: ∇_v L = (g/||v||) P_v ∇_w L), the size of
    the rounding left in ⟨v_k, ∇_{v_k} L⟩; it is computed from both D1 blocks,
    ||(g/||v||) ∇_w L||² = ||∇_v L||² + (g/||v||)² (∇_g L)².
    """
    gv, gg = net.gradients(X, y)
    nv = np.linalg.norm(net.v, axis=1)
    num = np.abs(np.sum(net.v * gv, axis=1))
    den = nv * np.sqrt(np.sum(gv * gv, axis=1) + (net.g / nv) ** 2 * gg**2)
    ok = den > 0
    return float(np.max(num[ok] / den[ok])) if np.any(ok) else 0.0


@check("D3", level=Level.NUMERIC)
def norms(inst: Instance):
    """GD: ||v(s+1)||² = ||v(s)||² + η²||∇_v L||² to rounding at every step of a run watched
    through the GD loop's hook.  GF: the field is tangent to every sphere ||v_k|| = const,
    ⟨v_k, ∇_{v_k} L⟩ = 0 to rounding at every state of that run (so d||v_k||²/dt = 0: decided
    without integrating across the ReLU kinks); corroborated by the GF integrator over
    [0, T] (DOP853, rtol 1e-10) when it finishes within its evaluation budget."""
    p = read_params(Params, inst, "D3")
    net = _net(inst, p.m, p.alpha)
    X, y = inst.data.X, inst.data.y
    pending: list[np.ndarray] = []
    gd_errs, tangents = [0.0], [0.0]

    def watch(state) -> None:
        """Compare ||v(s)||² with ||v(s−1)||² + ||η ∇_v L(s−1)||², and measure the tangency."""
        v = state.blocks["v"]
        nv2 = np.einsum("kd,kd->k", v, v)
        if pending:
            gd_errs.append(_rel(nv2, pending.pop()))
        tangents.append(_tangency(state.net(), X, y))
        if state.step is not None:
            sv = state.step["v"]
            pending.append(nv2 + np.einsum("kd,kd->k", sv, sv))

    gd(net, X, y, eta=p.eta, steps=p.gd_steps, record_every=max(1, p.gd_steps), stop_rel=0.0,
       divergence_factor=None, hook=watch)
    gd_err, tangent = max(gd_errs), max(tangents)
    flow = gf(net, X, y, T=p.T, records=1, method="DOP853", rtol=1e-10, atol=1e-13,
              max_evals=p.max_evals, stop_rel=0.0)
    solved = flow.status == "finished"
    gf_err = (float(np.max(np.abs(flow.final.v_norms / net.v_norms - 1.0))) if solved else float("nan"))
    return d3_result("", "max|⟨v_k, ∇_v L⟩|/(|v_k||∇_v L|)", gd_err, tangent, gf_err, solved, p.T, p,
                     {"gf_evaluations": flow.nfev, "budget": {"gd_steps": p.gd_steps, **flow.budget}})


# -- the parameterization family (docs/parameterizations.md) ---------------------

@check("D3", level=Level.NUMERIC, name="d3.norm_dynamics_wn")
def norm_dynamics_wn(inst: Instance):
    """D3 for WN through the parameterization interface, η_v ≠ η_g."""
    return _d3(inst, "wn", read_params(Params, inst, "D3"))


@check("D3", level=Level.NUMERIC, name="d3.norm_dynamics_ewn")
def norm_dynamics_ewn(inst: Instance):
    """D3 for exponential WN: ||v_k|| is conserved by GF and grows by (hη_v)²||∇_v L||² per GD step."""
    return _d3(inst, "ewn", read_params(Params, inst, "D3"))
