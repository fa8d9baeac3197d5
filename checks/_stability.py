"""L5 (Gram stability) and L6 (parameters stay close): deterministic given the instance.

L5 (THEORY.md §7).  With r_k = ||u_k(t) − u_k(0)||, ρ_k = |s_k(t) − 1| (s_k = α g_k/||v_k||,
s_k(0) = 1 at initialization) and F_ik = 1 iff the activation of neuron k on x_i flipped:

    |G_ij(t) − G_ij(0)| ≤ (2/m) Σ_k r_k,           ||G(t) − G(0)||_2 ≤ 2n · mean_k r_k,
    |V_ij(t) − V_ij(0)| ≤ (1/m) Σ_k [ (2ρ_k + ρ_k²) + (1 + ρ_k)² (2r_k + F_ik + F_jk) ] =: B_ij,
    ||V(t) − V(0)||_2 ≤ ||V(t) − V(0)||_F ≤ ||B||_F.

Derivation (re-done here; THEORY.md's form is correct).  Per neuron the V summand is
s² q a with q(u) = ⟨P_u x_i, P_u x_j⟩ = ⟨x_i,x_j⟩ − ⟨u,x_i⟩⟨u,x_j⟩ ∈ [−1, 1] and
a = 1{⟨u,x_i⟩≥0}1{⟨u,x_j⟩≥0}.  Then s'²q'a' − q a = (s'² − 1) q a + s'² (q'a' − q a), with
|s'² − 1| = |s' − 1||s' + 1| ≤ 2ρ + ρ², s'² ≤ (1 + ρ)², and
|q'a' − qa| ≤ |q' − q| + |q||a' − a| ≤ 2r + F_i + F_j because
|⟨u',x_i⟩⟨u',x_j⟩ − ⟨u,x_i⟩⟨u,x_j⟩| ≤ |⟨u'−u,x_i⟩||⟨u',x_j⟩| + |⟨u,x_i⟩||⟨u'−u,x_j⟩| ≤ 2r.
(The sharper (2ρ + ρ²) + 2r + F_i + F_j also holds, splitting (s'² − 1)q'a' + (q'a' − qa).)
For G, σ is 1-Lipschitz and bounded by 1 on unit vectors, so each summand moves by ≤ 2r.

L5 is checked on networks at initialization moved by a controlled perturbation
(``l5_modes``): "random" (Δv_k = eps_v ||v_k|| ξ_k/√d, ξ_k ~ N(0, I), g_k scaled by
1 + eps_g U(−1, 1)), "adversarial" (each v_k pushed by eps_v ||v_k|| against a random x_i to
flip it, all lengths scaled by 1 + eps_g: coherent changes, the worst case for the bound),
"lengths" (only g moves, by 1 + eps_g: the ρ terms alone) and "gd" (``gd_steps`` steps of
gradient descent with step ``eta``: a real trajectory, stopped early rather than let a
length g_k cross 0).  L5 is about THEORY's V and G (the σ(⟨u_k,x⟩) form), which do not involve the sign of g_k, and
it holds for negative lengths too (checked: the "lengths" mode with eps_g < −1 flips every
sign).  What needs g_k > 0 is D4's identification of that G with J_g J_gᵀ: with a negative
length ``kernels.grams`` returns J_g J_gᵀ, whose activation 1{g_k⟨u_k,x⟩ ≥ 0} differs, and the
L5 bound can fail for it (e.g. m = 1, α = 5, 17 GD steps of η = 0.74: |ΔG_44| = 0.998 against
2r = 0.0045).  The check therefore judges L5 on the theory's form and reports the J_g J_gᵀ
form beside it ("hypothesis not met" where some g_k ≤ 0: D4's hypothesis).  Every inequality must hold on
every instance; a rounding allowance of 1e-12 (absolute) is added to each bound.

L6 (THEORY.md §7).  Under GF, as long as ||f(s) − y|| ≤ e^{−κs} B on [0, t]:

    ||v_k(t) − v_k(0)|| ≤ η_v max_s (g_k(s)/||v_k(0)||) √n B/(κ√m),   |g_k(t) − g_k(0)| ≤ η_g √n B/(κ√m).

Proof: ||∇_{v_k} L|| = ||(1/√m) c_k (g_k/||v_k||) P_{v_k} Σ_i r_i 1{·} x_i|| ≤ (g_k/||v_k||) √n ||r||/√m,
||v_k(s)|| = ||v_k(0)|| (D3), and ∫_0^t e^{−κs} B ds ≤ B/κ; likewise |∂L/∂g_k| ≤ √n ||r||/√m.

``l6_gradient_flow`` integrates GF (:func:`wnproofs.dynamics.gf`, RK45, with a budget of
right-hand-side evaluations because the ReLU field is discontinuous: a run that spends it is
inconclusive), samples ``n_grid`` times s_j through the integrator's hook, measures
κ = min_{j≥1} (log B − log ||f(s_j) − y||)/s_j (the largest κ with the envelope at every
sampled time; κ ≤ 0 means the hypothesis is not met) and compares max_j ||v_k(s_j) − v_k(0)||
and max_j |g_k(s_j) − g_k(0)| with the bounds, max_s g_k(s) taken over the samples.

``l6_gradient_descent`` is the discrete analogue (GD with one step η for v and g, as in
the paper).  Derivation: v_k(S) − v_k(0) = −η Σ_{s<S} ∇_{v_k} L(s), ||v_k(s)|| ≥ ||v_k(0)||
(D3: norms never shrink under GD), so with ||r(s)|| ≤ e^{−κηs} B for 0 ≤ s < S:

    ||v_k(S) − v_k(0)|| ≤ η max_{s<S} (|g_k(s)|/||v_k(0)||) (√n/√m) Σ_{s<S} e^{−κηs} B
                      ≤ max_{s<S}(|g_k(s)|/||v_k(0)||) √n B/√m · η/(1 − e^{−κη}),
    |g_k(S) − g_k(0)| ≤ √n B/√m · η/(1 − e^{−κη}).

η/(1 − e^{−κη}) = (1/κ) · κη/(1 − e^{−κη}) ∈ [1/κ, (1 + κη)/κ]: the GF formula B/κ is NOT
valid for GD as it stands; it needs the factor κη/(1 − e^{−κη}) (→ 1 as η → 0).  κ is
measured as min_{1≤s<S} (log B − log ||r(s)||)/(ηs); the run stops early once
||r(s)|| ≤ 1e-10 ||r(0)|| (beyond that the residual is rounding noise).  The margin of the bare GF formula on
the GD run is reported in the details, and so is max_k ||u_k(s) − u_k(0)|| ÷ (||Δv_k(s)||/||v_k(0)||),
which must be ≤ 1 (THEORY.md §7's "the direction moves by r_k = ||Δv_k||/||v_k(0)||": equality
under GF; under GD ||v_k(s)|| ≥ ||v_k(0)|| and the radial projection onto a ball is
1-Lipschitz); the check fails when ||u_k(s) − u_k(0)|| exceeds ||Δv_k||/||v_k(0)|| by more
than 1e-13 (absolute: the difference of two unit vectors carries a few ulps of rounding,
which for tiny steps is a large relative error).

B is ``||f(0) − y||`` (default, ``l6_B = "actual"``) or the L3 bound (``l6_B = "L3"``, with
``delta``).  Parameters: :class:`checks.l5.Params`, :class:`checks.l6.Params` (the planted
``l5_factor``, ``l6_factor`` multiply every bound of the claim; ``l5_reverse``, ``l6_reverse``
reverse the inequality; each must make the checks fail on some instance).

L6 sharp instance (:func:`aligned_length_run`): one neuron whose direction is aligned with the
single input (⟨u, x⟩ = 1, so P_v x = 0 and v never moves) has f = c g and, under GF,
r(t) = r(0) e^{−t} exactly: κ = 1 and |g(T) − g(0)| = |r(0)|(1 − e^{−T}) against the bound
√n B/(κ√m) = |r(0)|, a ratio 1 − e^{−T} → 1; a length bound made smaller than valid fails there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from wnproofs.bounds import (
    l3_subgaussian_B,
    l5_entry_bound_G,
    l5_entry_bound_V,
    l5_spectral_bound,
)
from wnproofs.dynamics import Diverged, gd, gf
from wnproofs.kernels import grams
from wnproofs.model import WNNetwork
from wnproofs.outcomes import CheckResult, Kind, Level, compare
from wnproofs.plugin import Instance
from wnproofs.stats import tightest

#: absolute rounding allowance added to every L5 bound (entries of V, G are O(1)).
L5_TOL = 1e-12
L5_MODES = ("random", "adversarial", "lengths", "gd")
#: absolute rounding allowance for ||u_k(s) − u_k(0)|| ≤ ||Δv_k||/||v_k(0)|| (L6, GD).
DIR_TOL = 1e-13


# ============================================================================ L5

@dataclass(frozen=True)
class GramChange:
    """Everything L5 compares for one pair of networks (t = 0 and t).

    dV, dG : (n, n) observed |V(t) − V(0)|, |G(t) − G(0)| entrywise.
    BV : (n, n) the entrywise V bound B_ij; BG : the entrywise G bound (2/m) Σ r_k.
    r, rho : (m,) r_k and ρ_k; F : (n, m) flip indicators.
    dV2, dG2 : spectral norms of the changes; BV2 = ||B||_F, BG2 = 2n mean r.
    """

    dV: np.ndarray
    dG: np.ndarray
    BV: np.ndarray
    BG: float
    r: np.ndarray
    rho: np.ndarray
    F: np.ndarray
    dV2: float
    dG2: float
    BV2: float
    BG2: float


def _positive_lengths(net: WNNetwork) -> WNNetwork:
    """The same directions with every length made positive: its V, G are THEORY's forms
    (activations 1{⟨u_k, x⟩ ≥ 0}, G = (1/m)Σσ(⟨u_k,x_i⟩)σ(⟨u_k,x_j⟩)), which do not depend on the
    sign of g_k; ``kernels.grams`` returns them whenever every g_k > 0."""
    return net.replace(g=np.where(net.g != 0, np.abs(net.g), 1.0))


def gram_change(net0: WNNetwork, net1: WNNetwork, X: np.ndarray, form: str = "theory") -> GramChange:
    """Observed Gram changes and the L5 bounds computed from the same two networks.

    ``form`` "theory": THEORY.md's V, G (the σ(⟨u_k, x⟩) form, any sign of g_k); "jacobian":
    ``kernels.grams`` as the dynamics see it (J_v J_vᵀ α², J_g J_gᵀ; activation 1{g_k⟨u_k,x⟩ ≥ 0}),
    which equals the theory's form only while every g_k > 0 (D4's hypothesis).
    ρ_k = |s_k(t) − 1| is measured against 1, the value of s_k at initialization, as L5 states it.
    The bounds are the lemma functions of :mod:`wnproofs.bounds.lemmas` (one home).
    """
    a, b = (_positive_lengths(net0), _positive_lengths(net1)) if form == "theory" else (net0, net1)
    V0, G0 = grams(a, X)
    V1, G1 = grams(b, X)
    m = net0.m
    r = np.linalg.norm(net1.u - net0.u, axis=1)
    rho = np.abs(net1.s - 1.0)
    A0 = (X @ a.u.T) * a.g >= 0
    A1 = (X @ b.u.T) * b.g >= 0
    F = (A0 != A1).astype(np.float64)
    base = l5_entry_bound_V(r, rho, 0.0, 0.0)                  # the bound is affine in (F_i, F_j)
    per_flip = l5_entry_bound_V(r, rho, 1.0, 0.0) - base
    f = F @ per_flip
    BV = (float(np.sum(base)) + f[:, None] + f[None, :]) / m
    BG = float(np.mean(l5_entry_bound_G(r)))
    dV, dG = np.abs(V1 - V0), np.abs(G1 - G0)
    dV2 = float(np.max(np.abs(np.linalg.eigvalsh(V1 - V0))))
    dG2 = float(np.max(np.abs(np.linalg.eigvalsh(G1 - G0))))
    n = X.shape[0]
    return GramChange(dV, dG, BV, BG, r, rho, F, dV2, dG2, float(np.linalg.norm(BV)),
                      float(l5_spectral_bound(n, BG)))


def perturb(net: WNNetwork, X: np.ndarray, y: np.ndarray, mode: str, eps_v: float, eps_g: float,
            rng: np.random.Generator, *, eta: float = 0.5, gd_steps: int = 10) -> WNNetwork:
    """Move a network by a controlled amount (see the module docstring for the modes)."""
    m, d = net.m, net.d
    nv = net.v_norms
    if mode == "random":
        dv = (eps_v * nv / math.sqrt(d))[:, None] * rng.standard_normal((m, d))
        return net.replace(v=net.v + dv, g=net.g * (1.0 + eps_g * rng.uniform(-1.0, 1.0, m)))
    if mode == "adversarial":
        idx = rng.integers(0, X.shape[0], m)
        xs = X[idx]
        sgn = np.where(np.sum(net.v * xs, axis=1) >= 0, 1.0, -1.0)
        dv = -(eps_v * nv * sgn)[:, None] * xs
        return net.replace(v=net.v + dv, g=net.g * (1.0 + eps_g))
    if mode == "lengths":
        return net.replace(g=net.g * (1.0 + eps_g))
    if mode == "gd":
        last = [net]

        def watch(state) -> bool:
            if np.any(state.blocks["g"] <= 0):   # left the setting of the theory (g_k > 0): stop
                return True
            if state.index > 0:
                last[0] = state.net()
            return False

        try:
            gd(net, X, y, eta=eta, steps=int(gd_steps), record_every=max(1, int(gd_steps)), stop_rel=0.0,
               divergence_factor=None, hook=watch)
        except Diverged:                         # a non-finite loss: keep the last finite state
            pass
        return last[0]
    raise ValueError(f"unknown perturbation mode {mode!r}; known: {', '.join(L5_MODES)}")


def _kind(reverse: bool) -> Kind:
    return Kind.LOWER if reverse else Kind.UPPER


def _worst_entry(obs: np.ndarray, bnd: np.ndarray) -> tuple[int, int]:
    ratio = obs / np.where(bnd > 0, bnd, np.inf)
    ratio = np.where(bnd > 0, ratio, np.where(obs > 0, np.inf, 0.0))
    i, j = np.unravel_index(int(np.argmax(ratio)), ratio.shape)
    return int(i), int(j)


def l5_results(ch: GramChange, factor: float = 1.0, kind: Kind = Kind.UPPER,
               label: str = "") -> list[CheckResult]:
    """The four L5 comparisons (V, G entrywise at the tightest entry; V, G spectral)."""
    out = []
    rel = "≥" if kind is Kind.LOWER else "≤"
    BVf = factor * ch.BV
    i, j = _worst_entry(ch.dV, BVf)
    out.append(compare("L5", kind, Level.PROPERTY, ch.dV[i, j], BVf[i, j] + L5_TOL,
                       message=f"{label}|V_{i}{j}(t) − V_{i}{j}(0)| = {ch.dV[i, j]:.4g} {rel} B_{i}{j} = {BVf[i, j]:.4g}"))
    BGf = factor * ch.BG
    i, j = _worst_entry(ch.dG, np.full_like(ch.dG, BGf))
    out.append(compare("L5", kind, Level.PROPERTY, ch.dG[i, j], BGf + L5_TOL,
                       message=f"{label}|G_{i}{j}(t) − G_{i}{j}(0)| = {ch.dG[i, j]:.4g} {rel} (2/m)Σr_k = {BGf:.4g}"))
    out.append(compare("L5", kind, Level.PROPERTY, ch.dV2, factor * ch.BV2 + L5_TOL,
                       message=f"{label}||V(t) − V(0)||_2 = {ch.dV2:.4g} {rel} ||B||_F = {factor * ch.BV2:.4g}"))
    out.append(compare("L5", kind, Level.PROPERTY, ch.dG2, factor * ch.BG2 + L5_TOL,
                       message=f"{label}||G(t) − G(0)||_2 = {ch.dG2:.4g} {rel} 2n·mean r = {factor * ch.BG2:.4g}"))
    return out


# ============================================================================ L6

def _B(inst: Instance, r0: float, how: str = "actual", delta: float = 0.1) -> tuple[float, str]:
    if how == "actual":
        return r0, "B = ||f(0) − y||"
    if how == "L3":
        y = inst.data.y
        return float(l3_subgaussian_B(inst.data.n, float(np.max(np.abs(y))), delta)), "B = L3 sub-Gaussian bound"
    raise ValueError(f"l6_B must be 'actual' or 'L3', got {how!r}")


def _l6_compare(kind: Kind, dv: np.ndarray, bv: np.ndarray, dg: np.ndarray, bg: float, factor: float,
                label: str, details: dict, vname: str = "max_t ||v_{k}(t) − v_{k}(0)||") -> CheckResult:
    """Tightest of ||Δv_k|| ≤ bv_k and |Δg_k| ≤ bg over neurons k."""
    rel = "≥" if kind is Kind.LOWER else "≤"
    k = int(np.argmax(dv / (factor * bv)))
    rv = compare("L6", kind, Level.PROPERTY, dv[k], factor * bv[k],
                 message=f"{label}: {vname.format(k=k)} = {dv[k]:.4g} {rel} {factor * bv[k]:.4g}",
                 details=details)
    j = int(np.argmax(dg))
    rg = compare("L6", kind, Level.PROPERTY, dg[j], factor * bg,
                 message=f"{label}: max_t |g_{j}(t) − g_{j}(0)| = {dg[j]:.4g} {rel} {factor * bg:.4g}",
                 details=details)
    return tightest([rv, rg])


def _kappa(times: np.ndarray, res: np.ndarray, B: float) -> float:
    """Largest κ with res_j ≤ e^{−κ t_j} B at every sampled t_j > 0 (and res_0 ≤ B)."""
    if res[0] > B * (1 + 1e-12):
        return -math.inf
    pos = (times > 0) & (res > 0)                 # a residual of exactly 0 constrains nothing
    if not np.any(pos):
        return math.inf
    return float(np.min((math.log(B) - np.log(res[pos])) / times[pos]))


def aligned_length_run(T: float, r0: float = 1.0) -> tuple[float, float, float]:
    """The L6 sharp instance (module docstring): (observed max |g(t) − g(0)|, measured κ, B).

    n = m = 1, d = 2, x = e_1, v = e_1 (so ⟨u, x⟩ = 1), c = 1, α = 1; y = g(0) − r0.  Under GF
    dg/dt = −(f − y) with f = g, so r(t) = r0 e^{−t}.  Integrated with the same gradient-flow
    integrator as the L6 check (``dynamics.gf``), DOP853 at rtol 1e-12 (the field is
    smooth here: the activation never changes).
    """
    X = np.array([[1.0, 0.0]])
    net = WNNetwork(v=np.array([[1.0, 0.0]]), g=np.array([1.0]), c=np.array([1.0]), alpha=1.0)
    y = net.forward(X) - r0
    times = np.linspace(0.0, T, 201)
    gs, rs = [], []

    def watch(state) -> None:
        gs.append(float(state.blocks["g"][0]))
        rs.append(abs(float(state.residual[0])))

    gf(net, X, y, T=T, t_eval=times, method="DOP853", rtol=1e-12, atol=1e-14, max_evals=1_000_000,
       stop_rel=0.0, hook=watch)
    G, res = np.array(gs), np.array(rs)
    kappa = _kappa(times, res, abs(r0))
    return float(np.max(np.abs(G - 1.0))), kappa, abs(r0)
