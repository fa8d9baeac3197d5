"""L6: Parameters stay close.

Statement: If ||f(s) − y|| ≤ e^{−κs} B on [0, t]: ||v_k(t) − v_k(0)|| ≤ η_v max_s(g_k(s)/||v_k(0)||) √n B/(κ√m), |g_k(t) − g_k(0)| ≤ η_g √n B/(κ√m).

Kind of claim: upper bound (deterministic, given the residual decay).

Reference: Dukler, Gu & Montúfar, ICML 2020; THEORY.md §7; the project's own statement is docs/theory.md, section L6.

Hypotheses: GF; residual decays at rate κ.

Checks: ``gradient_flow``, ``gradient_descent``.

What "holds" means: the observed value is at most the bound (margin = bound ÷ observed) on every entry, neuron and instance drawn.

"""

from __future__ import annotations

import math

import numpy as np

from wnproofs.dynamics import Diverged, gd, gf
from wnproofs.kernels import ntk
from wnproofs.model import WNNetwork
from wnproofs.outcomes import Kind, Level, compare
from wnproofs.plugin import Instance, check
from wnproofs.stats import tightest

from ._stability import _B, DIR_TOL, _kappa, _kind, _l6_compare


@check("L6", level=Level.PROPERTY)
def gradient_flow(inst: Instance):
    """L6 under gradient flow: ||v_k(t) − v_k(0)|| ≤ η_v max_s(g_k(s)/||v_k(0)||) √n B/(κ√m) and
    |g_k(t) − g_k(0)| ≤ η_g √n B/(κ√m), with κ measured from the integrated residual."""
    X, y = inst.data.X, inst.data.y
    n = inst.data.n
    m = int(inst.get("m", 100 if inst.mode == "quick" else 400))
    alpha = float(inst.get("alpha", 1.0))
    eta_v, eta_g = float(inst.get("eta_v", 1.0)), float(inst.get("eta_g", 1.0))
    factor = float(inst.get("l6_factor", 1.0))
    kind = _kind(inst, "L6")
    net = WNNetwork.init(m, inst.data.d, alpha, inst.rng(0))
    lam = float(np.linalg.eigvalsh(ntk(net, X, eta_v, eta_g))[0])
    T = float(inst.get("T", min(10.0, max(0.5, 3.0 / lam if lam > 0 else 10.0))))
    n_grid = int(inst.get("n_grid", 200))
    times = np.linspace(0.0, T, n_grid + 1)
    Vs, Gs, rs = [], [], []

    def watch(state) -> None:                   # the parameters and residual at each sampled time
        Vs.append(state.blocks["v"].copy())
        Gs.append(state.blocks["g"].copy())
        rs.append(math.sqrt(state.residual_sq))

    flow = gf(net, X, y, T=T, t_eval=times, eta_v=eta_v, eta_g=eta_g, method="RK45",
              rtol=float(inst.get("rtol", 1e-4)), atol=float(inst.get("atol", 1e-7)),
              max_evals=int(inst.get("max_evals", 20_000)), stop_rel=0.0, hook=watch)
    if flow.status != "finished":
        return compare("L6", Kind.UPPER, Level.PROPERTY, 0.0, 1.0, undecided=True,
                       message=f"gradient flow integration did not finish ({flow.nfev} evaluations; "
                               f"{flow.message}; the ReLU field is discontinuous): inconclusive",
                       details={"T": T, "evaluations": flow.nfev, "budget": flow.budget})
    V, G, res = np.array(Vs), np.array(Gs), np.array(rs)
    B, B_desc = _B(inst, float(res[0]))
    kappa = _kappa(times, res, B)
    details = {"T": T, "kappa": kappa, "B": B, "B_is": B_desc, "lambda_min_Lambda0": lam,
               "residual_T_over_0": float(res[-1] / res[0]), "evaluations": flow.nfev, "m": m,
               "alpha": alpha, "l6_factor": factor}
    if not kappa > 0:
        return compare("L6", Kind.UPPER, Level.PROPERTY, 0.0, 1.0, hypothesis_met=False,
                       message=f"the residual does not decay on [0, {T:.3g}] (κ = {kappa:.3g}): "
                               "L6's hypothesis is not met", details=details)
    nv0 = net.v_norms
    dv = np.max(np.linalg.norm(V - net.v[None], axis=2), axis=0)
    dg = np.max(np.abs(G - net.g[None]), axis=0)
    common = math.sqrt(n) * B / (kappa * math.sqrt(m))
    bv = eta_v * np.max(np.abs(G), axis=0) / nv0 * common
    bg = eta_g * common
    return _l6_compare(kind, dv, bv, dg, bg, factor,
                       f"GF on [0, {T:.3g}], κ = {kappa:.3g}, {B_desc}", details)


@check("L6", level=Level.PROPERTY)
def gradient_descent(inst: Instance):
    """L6 for gradient descent (discrete analogue): ||v_k(S) − v_k(0)|| ≤
    max_{s<S}(|g_k(s)|/||v_k(0)||) √n B/√m · η/(1 − e^{−κη}) and |g_k(S) − g_k(0)| ≤ √n B/√m · η/(1 − e^{−κη})."""
    X, y = inst.data.X, inst.data.y
    n = inst.data.n
    m = int(inst.get("m", 100 if inst.mode == "quick" else 400))
    alpha = float(inst.get("alpha", 1.0))
    factor = float(inst.get("l6_factor", 1.0))
    kind = _kind(inst, "L6")
    S = int(inst.get("gd_steps", 300 if inst.mode == "quick" else 2000))
    net = WNNetwork.init(m, inst.data.d, alpha, inst.rng(0))
    lam_max = float(np.linalg.eigvalsh(ntk(net, X))[-1])
    if lam_max <= 0 and "eta" not in inst.params:
        return compare("L6", Kind.UPPER, Level.PROPERTY, 0.0, 1.0, hypothesis_met=False,
                       message="Λ(0) = 0 (no neuron is active on any input): nothing moves, "
                               "the residual cannot decay; L6's hypothesis is not met",
                       details={"m": m, "alpha": alpha})
    eta = float(inst.get("eta", 0.5 / lam_max if lam_max > 0 else 0.0))
    v0, g0 = net.v.copy(), net.g.copy()
    u0, nv0 = net.u, net.v_norms
    w = {"gmax": np.abs(g0).copy(),            # max_{s<S'} |g_k(s)| (running, up to S' − 1)
         "dv": np.zeros(m), "dg": np.zeros(m),
         "bv_ratio": np.zeros(m),              # running max_{S'} ||Δv_k(S')|| / max_{s<S'} |g_k(s)|
         "dir_ratio": 0.0,                     # max ||u_k(s) − u_k(0)|| ÷ (||Δv_k(s)||/||v_k(0)||)
         "dir_excess": -math.inf}              # max ||u_k(s) − u_k(0)|| − ||Δv_k(s)||/||v_k(0)||
    res_l: list[float] = []

    def watch(state) -> bool:
        """Track the movements at step s; stop once the residual is at rounding level."""
        v, g = state.blocks["v"], state.blocks["g"]
        res_l.append(math.sqrt(state.residual_sq))
        if state.index > 0:
            dvs = np.linalg.norm(v - v0, axis=1)
            w["dv"] = np.maximum(w["dv"], dvs)
            w["dg"] = np.maximum(w["dg"], np.abs(g - g0))
            w["bv_ratio"] = np.maximum(w["bv_ratio"], dvs / w["gmax"])
            w["gmax"] = np.maximum(w["gmax"], np.abs(g))
            moved = dvs > 0
            if np.any(moved):
                du = np.linalg.norm(v / np.linalg.norm(v, axis=1)[:, None] - u0, axis=1)
                w["dir_ratio"] = max(w["dir_ratio"], float(np.max(du[moved] * nv0[moved] / dvs[moved])))
                w["dir_excess"] = max(w["dir_excess"], float(np.max(du - dvs / nv0)))
        # converged to rounding: stop (κ from noise means nothing)
        return res_l[-1] <= 1e-10 * res_l[0]

    try:
        gd(net, X, y, eta=eta, steps=S, record_every=max(1, S), stop_rel=0.0, divergence_factor=None,
           hook=watch)
    except Diverged as exc:
        return compare("L6", Kind.UPPER, Level.PROPERTY, 0.0, 1.0, hypothesis_met=False,
                       message=f"GD with η = {eta:.3g} diverged (the residual does not decay): "
                               f"L6's hypothesis is not met; {exc}", details={"m": m, "alpha": alpha, "eta": eta})
    res = np.array(res_l)
    S = res.size - 1
    dv, dg, bv_ratio = w["dv"], w["dg"], w["bv_ratio"]
    dir_ratio, dir_excess = w["dir_ratio"], w["dir_excess"]
    B, B_desc = _B(inst, float(res[0]))
    # envelope needed at s = 0..S−1 (the sum for Δ(S) stops at S − 1)
    kappa = _kappa(eta * np.arange(S), res[:S], B)
    details = {"steps": S, "eta": eta, "kappa": kappa, "B": B, "B_is": B_desc,
               "residual_S_over_0": float(res[-1] / res[0]), "m": m, "alpha": alpha, "l6_factor": factor}
    if S < 1 or not kappa > 0:
        return compare("L6", Kind.UPPER, Level.PROPERTY, 0.0, 1.0, hypothesis_met=False,
                       message=f"the residual does not decay over {S} GD steps (κ = {kappa:.3g}): "
                               "L6's hypothesis is not met", details=details)
    base = math.sqrt(n) * B / math.sqrt(m)
    disc = eta / (-math.expm1(-kappa * eta))             # η/(1 − e^{−κη}) ≥ 1/κ
    # ||Δv_k(S')|| ≤ max_{s<S'}|g_k(s)|/||v_k(0)|| · base · disc for every S': compare the ratio
    obs_v = bv_ratio                                     # max_{S'} ||Δv_k(S')|| / max_{s<S'}|g_k(s)|
    bnd_v = base * disc / nv0
    with np.errstate(divide="ignore"):
        gf_margin = float(np.min(np.concatenate([np.where(obs_v > 0, (base / kappa / nv0) / obs_v, np.inf),
                                                 [base / kappa / float(np.max(dg)) if np.max(dg) > 0 else np.inf]])))
    details["gf_formula_margin"] = gf_margin
    details["discrete_factor"] = kappa * eta / (-math.expm1(-kappa * eta))
    details["direction_ratio"] = dir_ratio
    main = _l6_compare(kind, obs_v, bnd_v, dg, base * disc, factor,
                       f"GD {S} steps of η = {eta:.3g}, κ = {kappa:.3g}, {B_desc}", details,
                       vname="max_S ||v_{k}(S) − v_{k}(0)|| ÷ max_(s<S) |g_{k}(s)|")
    # u_k − u_k(0) is a difference of unit vectors: its computed norm carries an absolute
    # rounding error of a few ulps, so the direction bound is judged on the absolute excess
    if dir_excess <= DIR_TOL:
        return main
    # THEORY §7: the direction moves by at most ||Δv_k||/||v_k(0)|| (equality under GF; under
    # GD ||v_k(s)|| ≥ ||v_k(0)|| and radial projection onto a ball is 1-Lipschitz)
    return tightest([main, compare("L6", Kind.UPPER, Level.PROPERTY, dir_excess, DIR_TOL,
                                   message=f"max_k,s ||u_k(s) − u_k(0)|| − ||Δv_k(s)||/||v_k(0)|| = {dir_excess:.3g} "
                                           f"≤ {DIR_TOL:.1g} (rounding); ratio {dir_ratio:.12g}",
                                   details=details)])
