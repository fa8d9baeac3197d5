"""D3: Norm dynamics.

Statement: Under GF ||v_k(t)|| = ||v_k(0)||; under GD ||v_k(s+1)||² = ||v_k(s)||² + η_v² ||∇_{v_k} L(s)||².

Kind of claim: identity.

Reference: Dukler, Gu & Montúfar, ICML 2020; THEORY.md §2; the project's own statement is docs/theory.md, section D3.

Hypotheses: none beyond the setting.

Checks: ``norms``.

What "holds" means: the observed error is at most the tolerance (margin = tolerance ÷ error).

"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wnproofs.dynamics import gd, gf
from wnproofs.outcomes import Kind, Level, compare
from wnproofs.plugin import Instance, check

from ._identities import _net, _rel
from ._params import read_params


@dataclass(frozen=True)
class Params:
    """D3 parameters.

    m : width [6]; alpha : initialization scale α [0.8].
    eta : the GD step for v and g [0.5]; gd_steps : GD steps watched [5].
    T : the GF horizon [0.2], integrated by DOP853 at rtol 1e-10, atol 1e-13 within
        ``max_evals`` field evaluations [10000] (a run that spends them is inconclusive).
    tol_gd : relative tolerance of the GD identity (rounding) [1e-12].
    tol_gf : tolerance of the GF norm drift (the integrator's error) [1e-8].
    """

    m: int = 6
    alpha: float = 0.8
    eta: float = 0.5
    gd_steps: int = 5
    T: float = 0.2
    max_evals: int = 10_000
    tol_gd: float = 1e-12
    tol_gf: float = 1e-8


@check("D3", level=Level.NUMERIC)
def norms(inst: Instance):
    """GD: ||v(s+1)||² = ||v(s)||² + η²||∇_v L||² to rounding at every step of a run watched through
    the GD loop's hook; GF: ||v_k(T)|| = ||v_k(0)|| along a DOP853 trajectory (rtol 1e-10) of the GF
    integrator, up to the integrator's tolerance."""
    p = read_params(Params, inst, "D3")
    net = _net(inst, p.m, p.alpha)
    X, y = inst.data.X, inst.data.y
    pending: list[np.ndarray] = []
    gd_errs = [0.0]

    def watch(state) -> None:
        """Compare ||v(s)||² with ||v(s−1)||² + ||η ∇_v L(s−1)||² (the step is −η ∇_v L)."""
        v = state.blocks["v"]
        nv2 = np.einsum("kd,kd->k", v, v)
        if pending:
            gd_errs.append(_rel(nv2, pending.pop()))
        if state.step is not None:
            sv = state.step["v"]
            pending.append(nv2 + np.einsum("kd,kd->k", sv, sv))

    gd(net, X, y, eta=p.eta, steps=p.gd_steps, record_every=max(1, p.gd_steps), stop_rel=0.0,
       divergence_factor=None, hook=watch)
    gd_err = max(gd_errs)
    flow = gf(net, X, y, T=p.T, records=1, method="DOP853", rtol=1e-10, atol=1e-13,
              max_evals=p.max_evals, stop_rel=0.0)
    solved = flow.status == "finished"
    gf_err = (float(np.max(np.abs(flow.final.v_norms / net.v_norms - 1.0))) if solved else float("nan"))
    err = max(gd_err / p.tol_gd, 0.0 if not solved else gf_err / p.tol_gf)  # units of each tolerance
    return compare("D3", Kind.IDENTITY, Level.NUMERIC, err, 1.0, undecided=not solved and err <= 1,
                   message=f"GD identity rel. error {gd_err:.1e} (tol {p.tol_gd:g}); "
                           f"GF norm drift {gf_err:.1e} over [0, {p.T:g}] (tol {p.tol_gf:g}, DOP853 rtol 1e-10)"
                           + ("" if solved else f"; GF integration did not finish ({flow.message}): inconclusive"),
                   details={"gd_rel_error": gd_err, "gf_norm_drift": gf_err, "gf_solved": solved,
                            "gf_evaluations": flow.nfev, "budget": {"gd_steps": p.gd_steps, **flow.budget}})
