"""The D-claims that generalize to other parameterizations, checked per parameterization.

Statement (generalized): for w_k = φ(θ_k) with per-block step sizes η (standard w; WN
(v, g); exponential WN (v, s) with w = e^s v/||v||):

* D2 (WN, EWN): f is unchanged by v_k → c v_k (c > 0), hence ⟨v_k, ∇_{v_k} L⟩ = 0;
* D3 (WN, EWN): under GF ||v_k(t)|| = ||v_k(0)||; under GD with step h,
  ||v_k(s+1)||² = ||v_k(s)||² + (h η_v)² ||∇_{v_k} L(s)||²;
* D4 (standard, WN, EWN): df/dt = −Λ(f − y) with Λ = Σ_b η_b J_b J_bᵀ and
  Λ_ij = (1/m) Σ_k a_ik a_jk x_iᵀ M_k x_j, M_k = Dφ diag(η) Dφᵀ;
* D5 (empirical, the comparison): along each parameterization's GF,
  log(||r(0)||²/||r(t)||²) ≥ 2 ∫ λ_min(Λ) ≥ 2 t · min λ_min(Λ) (minimum over the integrator's
  steps), on the same data and initialization; the details hold the side-by-side table
  (λ_min of each kernel, GD steps and GF time to ε, the width needed).

Kind: identity (D2-D4, margin = tolerance ÷ error), lower (D5).  Reference: THEORY.md §2-§3;
Morwani & Ramaswamy (2020) for exponential WN; docs/parameterizations.md.
Parameters: the typed ``Params`` of the claim module that calls (checks/d2.py ... d5.py).
"Holds" means every identity holds to its tolerance on the instance, with the network moved
off initialization so that the identities are tested at a generic point.
"""

from __future__ import annotations

import numpy as np

from wnproofs.kernels import ntk
from wnproofs.model import WNNetwork
from wnproofs.outcomes import Kind, Level, compare
from wnproofs.parameterizations import (
    CompareSettings,
    PNetwork,
    get,
    kernel_blocks,
)
from wnproofs.parameterizations.training import EvaluationBudget, Flat, gf
from wnproofs.plugin import Instance
from wnproofs.unnormalized import UNetwork

from ._identities import FD_RMS_REF, _h_text, d3_result

#: Step sizes used by the identity checks (distinct per block, so a swapped η shows).
ETA = {"standard": {"w": 0.9}, "wn": {"v": 0.7, "g": 1.3}, "ewn": {"v": 0.7, "s": 1.3}}


def _net(inst: Instance, name: str, p, stream: int = 0) -> PNetwork:
    """The instance's network for ``name`` (width ``p.m``, scale ``p.alpha`` of the claim
    module's typed ``Params``), moved off initialization (scalar blocks and w rescaled)."""
    param = get(name)
    rng = inst.rng(stream)
    net = param.init(p.m, inst.data.d, p.alpha, rng)
    th = net.theta.copy()
    d = inst.data.d
    if name == "standard":
        th *= rng.uniform(0.5, 1.5, size=(p.m, 1))
    elif name == "wn":
        th[:, d] *= rng.uniform(0.5, 1.5, size=p.m)
    else:
        th[:, d] += rng.uniform(-0.4, 0.4, size=p.m)
    return net.replace(theta=th)


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    scale = max(float(np.max(np.abs(b))), 1e-300)
    return float(np.max(np.abs(a - b))) / scale


# ---------------------------------------------------------------------------- D2

def _d2(inst: Instance, name: str, p):
    net = _net(inst, name, p)
    X, y, d = inst.data.X, inst.data.y, inst.data.d
    scale = np.exp(inst.rng(1).uniform(-3, 3, size=net.m))
    th = net.theta.copy()
    th[:, :d] *= scale[:, None]
    f0, f1 = net.forward(X), net.replace(theta=th).forward(X)
    gv = net.gradients(X, y)[:, :d]
    v = net.block("v")
    denom = np.linalg.norm(v, axis=1) * np.linalg.norm(gv, axis=1)
    ortho = np.abs(np.sum(v * gv, axis=1)) / np.where(denom > 0, denom, 1.0)
    err = max(_rel(f1, f0) if np.any(f0) else float(np.max(np.abs(f1))), float(np.max(ortho)))
    return compare("D2", Kind.IDENTITY, Level.NUMERIC, err, p.tol,
                   message=f"{name}: max of |f(cv) − f(v)|/|f| and the cosine between v_k and ∇_{{v_k}}L",
                   details={"parameterization": name})


# ---------------------------------------------------------------------------- D3

def _d3(inst: Instance, name: str, p):
    """D3 through the parameterization interface.  GD: ||v(s+1)||² = ||v(s)||² + (hη_v)²||∇_v L||²
    at every step.  GF: the v-field is tangent to every sphere ||v_k|| = const at every state of
    that run, ⟨v_k, dv_k/dt⟩ = 0 to rounding, so d||v_k||²/dt = 0 along any solution (decided
    pointwise, without integrating across the ReLU kinks); an integration over [0, T] within
    ``p.max_evals`` evaluations corroborates when it finishes (its drift must then be ≤ 1e-8)."""
    net = _net(inst, name, p)
    X, y, d = inst.data.X, inst.data.y, inst.data.d
    eta = ETA[name]
    h = p.eta
    flat = Flat(net, X, y, eta)
    gd_err, tangent = 0.0, 0.0
    z = flat.z0.copy()
    for s in range(p.gd_steps + 1):
        dz, _ = flat.descent(z)
        rows = dz.reshape(net.theta.shape)
        v = z.reshape(net.theta.shape)[:, :d]
        # |⟨v_k, v̇_k⟩| against ||v_k|| × (the size of neuron k's whole field): rounding scale
        scale = np.linalg.norm(v, axis=1) * np.linalg.norm(rows, axis=1)
        ok = scale > 0
        if np.any(ok):
            tangent = max(tangent, float(np.max(np.abs(np.sum(v * rows[:, :d], axis=1))[ok] / scale[ok])))
        if s == p.gd_steps:
            break
        step = h * rows
        nxt = z + step.ravel()
        lhs = np.sum(nxt.reshape(net.theta.shape)[:, :d] ** 2, axis=1)
        rhs = np.sum(v * v, axis=1) + np.sum(step[:, :d] ** 2, axis=1)   # (h η_v)²||∇_v L||²
        gd_err = max(gd_err, _rel(lhs, rhs))
        z = nxt
    T = p.T
    try:
        end = gf(Flat(net, X, y, eta), T=T, max_evals=p.max_evals)
        gf_err = float(np.max(np.abs(np.linalg.norm(end.block("v"), axis=1)
                                     / np.linalg.norm(net.block("v"), axis=1) - 1.0)))
        solved = True
    except EvaluationBudget:
        gf_err, solved = float("nan"), False
    return d3_result(f"{name}: ", "max|⟨v_k, dv_k/dt⟩|/(|v_k||dθ_k/dt|)", gd_err, tangent, gf_err, solved, T, p,
                     {"parameterization": name})


# ---------------------------------------------------------------------------- D4

def _d4(inst: Instance, name: str, p):
    net = _net(inst, name, p)
    X, y = inst.data.X, inst.data.y
    eta = ETA[name]
    param = net.param
    kb = kernel_blocks(net, X, eta, chunk=4)
    gen = kernel_blocks(net, X, eta, chunk=5, route="general")
    errs = {}
    for b in param.block_names:
        Jb = net.block_jacobian(X, b)
        ref = eta[b] * Jb @ Jb.T
        errs[b] = max(_rel(kb.blocks[b], ref), _rel(gen.blocks[b], ref))
    e_gram = max(errs.values())
    if name == "wn":   # the WN kernel of the family against wnproofs.kernels.ntk (independent code)
        wn = WNNetwork(v=net.block("v"), g=net.block("g"), c=net.c, alpha=net.alpha)
        e_gram = max(e_gram, _rel(kb.Lambda, ntk(wn, X, eta["v"], eta["g"])))
    if name == "standard":   # against Du et al.'s H(t) of wnproofs.unnormalized (independent code)
        e_gram = max(e_gram, _rel(kb.Lambda, eta["w"] * UNetwork(w=net.w, c=net.c).ntk(X)))
    # df/dt along GF by a central difference, against −Λ(f − y); the step shrinks with the
    # residual (the parameters move by h·η·||∇L|| ∝ h·||r||), as in D4's own check
    r0 = net.forward(X) - y
    rms = float(np.sqrt(np.mean(r0 * r0)))
    h = 1e-6 if rms <= FD_RMS_REF else 1e-6 * FD_RMS_REF / rms
    flat = Flat(net, X, y, eta)
    dz, r = flat.descent(flat.z0)
    plus, minus = flat.net(flat.z0 + h * dz), flat.net(flat.z0 - h * dz)
    same_pattern = bool(np.array_equal(X @ plus.w.T >= 0, X @ minus.w.T >= 0))
    e_dyn = _rel((plus.forward(X) - minus.forward(X)) / (2 * h), -kb.Lambda @ r)
    err = max(e_gram / 1e-12, e_dyn / 1e-6)
    return compare("D4", Kind.IDENTITY, Level.NUMERIC, err, 1.0, undecided=not same_pattern and err > 1,
                   message=f"{name}: blocks η_b J_b J_bᵀ vs the O(n²m) form rel. error {e_gram:.1e} (tol 1e-12"
                           + {"wn": ", and vs kernels.ntk", "standard": ", and vs η_w H(t)"}.get(name, "")
                           + f"); df/dt vs −Λ(f−y) {e_dyn:.1e} (tol 1e-6, central difference h = {_h_text(h)})"
                           + ("" if same_pattern else "; the difference crossed an activation boundary"),
                   details={"parameterization": name, "gram_rel_error": e_gram, "block_errors": errs,
                            "dynamics_rel_error": e_dyn, "route": kb.route})


# ---------------------------------------------------------------------------- D5 (comparison)

def _settings(inst: Instance, p) -> CompareSettings:
    full = inst.mode == "full"
    return CompareSettings(
        m=p.compare_m, alpha=p.compare_alpha, eps=p.eps,
        gd_max_steps=5000 if full else 1000, gf_max_evals=20_000 if full else 3000,
        widths=(2, 4, 8, 16, 32, 64, 128, 256, 512, 1024) if full else (4, 16, 64, 256),
        seeds=4 if full else 2)
