"""The parameterization family (issue 15): kernels, limits, training, comparison, CLI.

Independent routes:
* Λ and its blocks against J diag(η) Jᵀ with J the full Jacobian of f by central differences
  of an mpmath forward map written here (40 digits), on data with near-parallel pairs;
* WN's Λ against :func:`wnproofs.kernels.ntk` / ``grams`` (separate code) to 1e-12;
* the limits against Monte Carlo with a derived band (Hoeffding for bounded summands,
  median of means for the unbounded log-scale block of exponential WN);
* torch.func Jacobians (``weight_norm`` for WN) when PyTorch is installed;
* GD against :func:`wnproofs.dynamics.gd` for WN;
* planted wrong constants make these tests fail (the ``planted`` tests).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import mpmath
import numpy as np
import pytest
import sympy as sp

from wnproofs.bounds import l2_radius_G, l2_radius_V
from wnproofs.cli import main
from wnproofs.data import adversarial, random_sphere
from wnproofs.errors import InputError
from wnproofs.kernels import grams, lambda_H, ntk, regime
from wnproofs.model import WNNetwork
from wnproofs.parameterizations import (BUILTIN, EWN, STANDARD, WN, Block, CompareSettings, MetricParts,
                                        SymbolicParameterization, block_regime, compare_parameterizations,
                                        draw_base, get, kernel_blocks, limit_blocks)
from wnproofs.parameterizations.builtin import ExpWeightNorm
from wnproofs.parameterizations.training import EvaluationBudget, Flat, gd, gd_to_target, gf, gf_to_target

DOCS = Path(__file__).resolve().parent.parent / "docs" / "parameterizations.md"


def _docs_example():
    """The user-defined (polar, d = 2) parameterization, executed from docs/parameterizations.md."""
    text = DOCS.read_text(encoding="utf-8")
    block = re.search(r"<!-- example: polar -->\s*```python\n(.*?)```", text, re.S)
    assert block, "docs/parameterizations.md lost its polar example"
    ns: dict = {}
    exec(block.group(1), ns)  # noqa: S102 - our own documentation
    return ns["POLAR"]


POLAR = _docs_example()
ETAS = {"standard": {"w": 0.9}, "wn": {"v": 0.7, "g": 1.3}, "ewn": {"v": 0.7, "s": 1.3},
        "polar": {"r": 0.6, "psi": 1.4}}


def _moved(net, rng):
    """The network moved off initialization: every coordinate perturbed by a few percent."""
    return net.replace(theta=net.theta * (1 + 0.2 * rng.uniform(-1, 1, net.theta.shape)))


# -- independent mpmath forward maps and the finite-difference Jacobian ------------------

def _phi_mp(name: str, th: list) -> list:
    if name == "standard":
        return list(th)
    if name == "polar":
        r, psi = th
        return [r * mpmath.cos(psi), r * mpmath.sin(psi)]
    *v, t = th
    nv = mpmath.sqrt(mpmath.fsum(x * x for x in v))
    scale = t if name == "wn" else mpmath.exp(t)
    return [scale * x / nv for x in v]


def _f_mp(name, theta, c, X):
    m = len(theta)
    ws = [_phi_mp(name, th) for th in theta]
    return [mpmath.fsum(ck * max(mpmath.fsum(a * b for a, b in zip(w, x)), 0) for w, ck in zip(ws, c))
            / mpmath.sqrt(m) for x in X]


def fd_jacobian(name: str, net, X, dps: int = 40, h: str = "1e-15") -> np.ndarray:
    """∂f(x_i)/∂θ_kl by central differences of the mpmath forward map, (n, m·p)."""
    with mpmath.workdps(dps):
        hh = mpmath.mpf(h)
        Xm = [[mpmath.mpf(float(t)) for t in row] for row in X]
        th = [[mpmath.mpf(float(t)) for t in row] for row in net.theta]
        c = [mpmath.mpf(float(t)) for t in net.c]
        m, p = net.theta.shape
        J = np.zeros((X.shape[0], m * p))
        for k in range(m):
            for l in range(p):
                old = th[k][l]
                th[k][l] = old + hh
                fp = _f_mp(name, th, c, Xm)
                th[k][l] = old - hh
                fm = _f_mp(name, th, c, Xm)
                th[k][l] = old
                J[:, k * p + l] = [float((a - b) / (2 * hh)) for a, b in zip(fp, fm)]
    return J


def _param(name):
    return POLAR if name == "polar" else get(name)


def _setup(name: str, seed: int = 0, m: int = 5):
    d = 2 if name == "polar" else 4
    ds = adversarial(6, d, seed, eps=1e-3)
    rng = np.random.default_rng(seed)
    net = _moved(_param(name).init(m, d, 0.7, rng), rng)
    return ds, net


def kernel_fd_error(name: str, net, X, eta, *, route="auto") -> float:
    """max relative error of Λ and of each block against J diag(η) Jᵀ from finite differences."""
    pre = np.abs(X @ net.w.T)
    assert pre.min() > 1e-8, "a pre-activation too close to its kink for the difference step"
    J = fd_jacobian(name, net, X).reshape(X.shape[0], net.m, -1)
    kb = kernel_blocks(net, X, eta, chunk=2, route=route)
    lay = net.param.layout(net.d)
    ref_total = np.zeros((X.shape[0], X.shape[0]))
    err = 0.0
    for b, sl in lay.items():
        Jb = J[:, :, sl].reshape(X.shape[0], -1)
        ref = kb.eta[b] * Jb @ Jb.T
        ref_total += ref
        err = max(err, np.max(np.abs(kb.blocks[b] - ref)) / np.max(np.abs(ref)))
    return max(err, np.max(np.abs(kb.Lambda - ref_total)) / np.max(np.abs(ref_total)))


@pytest.mark.parametrize("name", ["standard", "wn", "ewn", "polar"])
@pytest.mark.parametrize("route", ["auto", "general"])
def test_finite_kernel_matches_finite_differences_of_the_forward_map(name, route):
    ds, net = _setup(name)
    assert ds.min_separation()[0] < 2e-3                # near-parallel pairs are in the data
    assert kernel_fd_error(name, net, ds.X, ETAS[name], route=route) <= 1e-8


def test_planted_ewn_metric_without_exp_2s_fails(monkeypatch):
    ds, net = _setup("ewn")

    original = ExpWeightNorm.metric_parts

    def planted(self, theta, d):      # e^{s} instead of e^{2s} in the log-scale block
        mp = original(self, theta, d)
        p, q = mp.parts["s"]
        return MetricParts(mp.u, {**mp.parts, "s": (p, np.sqrt(q))})

    monkeypatch.setattr(ExpWeightNorm, "metric_parts", planted)
    assert kernel_fd_error("ewn", net, ds.X, ETAS["ewn"]) > 1e-2


def test_planted_wn_step_size_swap_fails():
    ds, net = _setup("wn")
    kb = kernel_blocks(net, ds.X, {"v": 1.3, "g": 0.7})      # η swapped against the reference
    J = fd_jacobian("wn", net, ds.X).reshape(6, net.m, -1)
    ref = 0.7 * np.einsum("ikp,jkp->ij", J[:, :, :4], J[:, :, :4]) + 1.3 * np.einsum("ik,jk->ij", J[:, :, 4], J[:, :, 4])
    assert np.max(np.abs(kb.Lambda - ref)) / np.max(np.abs(ref)) > 1e-2


# -- WN against wnproofs.kernels -----------------------------------------------------------

@pytest.mark.parametrize("seed", range(4))
def test_wn_kernel_equals_kernels_ntk(seed):
    rng = np.random.default_rng(seed)
    ds = adversarial(9, 5, seed, eps=1e-4) if seed % 2 else random_sphere(9, 5, seed)
    alpha = float(rng.uniform(0.2, 3))
    pn = WN.init(37, 5, alpha, np.random.default_rng(seed))
    wn = WNNetwork.init(37, 5, alpha, np.random.default_rng(seed))
    assert np.array_equal(pn.block("v"), wn.v) and np.array_equal(pn.block("g"), wn.g)
    g = wn.g * rng.uniform(0.5, 1.5, 37) * (np.where(rng.random(37) < 0.2, -1, 1) if seed == 3 else 1)
    pn = pn.replace(theta=np.concatenate([wn.v, g[:, None]], axis=1))
    wn = wn.replace(g=g)
    ev, eg = map(float, rng.uniform(0.1, 3, 2))
    kb = kernel_blocks(pn, ds.X, {"v": ev, "g": eg}, chunk=int(rng.integers(1, 40)))
    L = ntk(wn, ds.X, ev, eg)
    V, G = grams(wn, ds.X)
    scale = np.max(np.abs(L))
    assert np.max(np.abs(kb.Lambda - L)) <= 1e-12 * scale
    assert np.max(np.abs(kb.blocks["v"] - ev / alpha**2 * V)) <= 1e-12 * scale
    assert np.max(np.abs(kb.blocks["g"] - eg * G)) <= 1e-12 * scale


def test_same_function_at_initialization():
    ds = random_sphere(7, 4, 1)
    fs = [p.init(20, 4, 0.6, np.random.default_rng(5)).forward(ds.X) for p in BUILTIN.values()]
    for f in fs[1:]:
        np.testing.assert_allclose(f, fs[0], rtol=1e-13, atol=1e-15)


# -- metric, gradients ---------------------------------------------------------------------

@pytest.mark.parametrize("name", ["standard", "wn", "ewn"])
def test_metric_closed_form_and_gradients(name):
    ds, net = _setup(name, seed=3, m=8)
    eta = ETAS[name]
    M1 = net.param.metric(net.theta, net.d, eta)
    M2 = net.param.metric_from_parts(net.theta, net.d, eta)
    assert np.max(np.abs(M1 - M2)) <= 1e-13 * np.max(np.abs(M1))
    # ∇_θ L (analytic vjp) = Jᵀ r with the explicit Jacobian
    r = net.forward(ds.X) - ds.y
    g_ref = (net.jacobian(ds.X).T @ r).reshape(net.theta.shape)
    np.testing.assert_allclose(net.gradients(ds.X, ds.y), g_ref, rtol=1e-12, atol=1e-14)


def test_symbolic_parameterization_derives_wns_jacobian():
    sym_wn = SymbolicParameterization(
        "wn-sym", "WN from SymPy", (Block("v"), Block("g", 1)),
        phi_expr=lambda s, d: s["g"][0] * s["v"] / sp.sqrt(s["v"].dot(s["v"])),
        base_map=WN.from_base)
    rng = np.random.default_rng(2)
    theta = WN.init(9, 3, 1.3, rng).theta
    np.testing.assert_allclose(sym_wn.jacobian(theta, 3), WN.jacobian(theta, 3), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(sym_wn.metric(theta, 3, {"v": 2, "g": 0.5}),
                               WN.metric_from_parts(theta, 3, {"v": 2, "g": 0.5}), rtol=1e-12, atol=1e-14)
    assert sym_wn.metric_parts(theta, 3) is None            # → general kernel route


def test_bad_input_is_refused():
    with pytest.raises(InputError, match="no block 's'"):
        WN.steps({"s": 1.0})
    with pytest.raises(InputError, match="eta\\[g\\]"):
        WN.steps({"g": -1.0})
    with pytest.raises(InputError, match="unknown parameterization"):
        get("batchnorm")
    with pytest.raises(InputError, match="d in \\(2,\\)"):
        POLAR.init(4, 3, 1.0, np.random.default_rng(0))
    with pytest.raises(InputError, match="nonzero"):
        WN.network(np.zeros((2, 4)), np.ones(2)).w


# -- limits against Monte Carlo ------------------------------------------------------------

def _mc_net(param, m, d, alpha, seed):
    return param.init(m, d, alpha, np.random.default_rng(seed))


def hoeffding_errors(param, X, alpha, eta, m, seed, delta):
    """Per block: max entry deviation of Λ_b(0) from its limit, and its Hoeffding band.

    Summands of the WN/EWN direction block, scaled by α²/η_v, are ⟨P x_i, P x_j⟩ a_i a_j ∈ [−1, 1];
    of the WN length block, scaled by 1/η_g, σ(⟨u,x_i⟩)σ(⟨u,x_j⟩) ∈ [0, 1].  Hoeffding and a
    union bound over the n² entries give per-entry bands = L2's Frobenius radii divided by n.
    """
    n = X.shape[0]
    kb = kernel_blocks(_mc_net(param, m, X.shape[1], alpha, seed), X, eta)
    lim = limit_blocks(param, X, alpha, eta)
    bands = {"v": eta["v"] / alpha**2 * float(l2_radius_V(n, m, delta)) / n,
             "g": eta.get("g", 0.0) * float(l2_radius_G(n, m, delta)) / n}
    return {b: (float(np.max(np.abs(kb.blocks[b] - lim[b]))), bands[b]) for b in bands if b in kb.blocks}


def mom_error(param, X, alpha, eta_s, m, seed, delta, limit=None):
    """EWN's log-scale block at initialization: median of means against its limit, and the band.

    Y = σ(⟨w,x_i⟩)σ(⟨w,x_j⟩) with w ~ N(0, I) is unbounded, so no Hoeffding.  Its variance is
    at most E[Y²] ≤ (Eσ(⟨w,x_i⟩)⁴ Eσ(⟨w,x_j⟩)⁴)^{1/2} = E σ(z)⁴ = 3/2 (Cauchy–Schwarz, z ~ N(0,1)).
    Split the m neurons into B batches of b: by Chebyshev a batch mean is off by more than
    t = (6/b)^{1/2} with probability ≤ 1.5/(b t²) = 1/4; the median is off by more than t only
    if at least B/2 batches are, probability ≤ exp(−2B(1/4)²) = exp(−B/8) (Hoeffding on the
    count).  A union bound over the N = n(n+1)/2 entries: B = ⌈8 log(N/δ)⌉.  Band η_s t.
    """
    n, d = X.shape
    N = n * (n + 1) // 2
    B = math.ceil(8 * math.log(N / delta))
    b = m // B
    net = _mc_net(param, B * b, d, alpha, seed)
    means = np.array([kernel_blocks(net.replace(theta=net.theta[i * b:(i + 1) * b], c=net.c[i * b:(i + 1) * b]),
                                    X, {"s": eta_s}).blocks["s"] for i in range(B)])
    med = np.median(means, axis=0)
    lim = limit_blocks(param, X, alpha, {"s": eta_s})["s"] if limit is None else limit
    return float(np.max(np.abs(med - lim))), eta_s * math.sqrt(6 / b)


DELTA = 1e-6


@pytest.mark.parametrize("seed", range(2))
def test_wn_limits_within_hoeffding_band(seed):
    X = adversarial(6, 4, seed, eps=1e-2).X
    res = hoeffding_errors(WN, X, 0.7, {"v": 0.8, "g": 1.4}, 20_000, seed, DELTA)
    for b, (err, band) in res.items():
        assert err <= band, (b, err, band)


def test_ewn_limits_within_bands():
    X = adversarial(6, 4, 1, eps=1e-2).X
    err, band = hoeffding_errors(EWN, X, 0.7, {"v": 0.8, "s": 1.4}, 20_000, 1, DELTA)["v"]
    assert err <= band
    err, band = mom_error(EWN, X, 0.7, 1.4, 200_000, 1, DELTA)
    assert err <= band, (err, band)


def test_planted_limits_leave_the_band():
    X = adversarial(6, 4, 1, eps=1e-2).X
    d = X.shape[1]
    # EWN's log-scale limit without the factor d (i.e. WN's G^∞)
    wrong = limit_blocks(WN, X, 0.7, {"g": 1.4})["g"]
    err, band = mom_error(EWN, X, 0.7, 1.4, 200_000, 1, DELTA, limit=wrong)
    assert err > band
    # WN's direction block without 1/α²
    kb = kernel_blocks(_mc_net(WN, 20_000, d, 0.7, 0), X, {"v": 0.8, "g": 1.4})
    wrong_v = 0.8 * limit_blocks(WN, X, 1.0, {"v": 1.0})["v"]
    assert np.max(np.abs(kb.blocks["v"] - wrong_v)) > 0.8 / 0.49 * float(l2_radius_V(6, 20_000, DELTA)) / 6


# -- regimes -------------------------------------------------------------------------------

def test_regime_agrees_with_kernels_and_crosses_where_stated():
    X = random_sphere(8, 5, 4).X
    for alpha, ev, eg in [(0.3, 1.0, 1.0), (2.0, 0.5, 2.0), (9.0, 1.0, 1.0)]:
        rw = block_regime(WN, X, alpha, {"v": ev, "g": eg})
        rk = regime(X, alpha, ev, eg)
        assert rw.alpha_star == pytest.approx(rk.alpha_star, rel=1e-12)
        assert rw.lower_bound == pytest.approx(rk.lower_bound, rel=1e-12)
        assert (rw.dominant == "v") == (rk.by_alpha_star == "V-dominated")
        assert rw.lambda_min >= rw.lower_bound * (1 - 1e-12)
    re_ = block_regime(EWN, X, 1.0)
    assert re_.alpha_star == pytest.approx(block_regime(WN, X, 1.0).alpha_star / math.sqrt(5), rel=1e-10)
    # at α* and at ρ* the two terms are equal; on either side the dominant block changes
    a = re_.alpha_star
    at = block_regime(EWN, X, a)
    assert at.terms["v"] == pytest.approx(at.terms["s"], rel=1e-10)
    assert block_regime(EWN, X, 0.9 * a).dominant == "v" and block_regime(EWN, X, 1.1 * a).dominant == "s"
    rho = block_regime(EWN, X, 2.0).ratio_star
    eq = block_regime(EWN, X, 2.0, {"v": rho, "s": 1.0})
    assert eq.terms["v"] == pytest.approx(eq.terms["s"], rel=1e-10)
    # EWN at α = 1, equal steps: Λ^∞ = H^∞ + (d − 1) G^∞ ⪰ H^∞
    assert re_.lambda_min >= lambda_H(X) - 1e-12
    assert block_regime(STANDARD, X).alpha_star is None


# -- training ------------------------------------------------------------------------------

def test_gd_matches_dynamics_gd_for_wn():
    from wnproofs.dynamics import gd as dyn_gd

    ds = random_sphere(6, 4, 2)
    wn = WNNetwork.init(30, 4, 0.8, np.random.default_rng(1))
    pn = WN.init(30, 4, 0.8, np.random.default_rng(1))
    h = 0.3
    end, rs = gd(Flat(pn, ds.X, ds.y, {"v": 0.5, "g": 2.0}), step_size=h, steps=25)
    tr = dyn_gd(wn, ds, eta_v=h * 0.5, eta_g=h * 2.0, steps=25, record_every=25, stop_rel=0)
    np.testing.assert_allclose(end.block("v"), tr.final.v, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(end.block("g"), tr.final.g, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(rs, tr.step_residual_sq, rtol=1e-12)


def test_gf_time_to_target_is_where_the_residual_crosses():
    ds = random_sphere(6, 4, 3)
    net = EWN.init(64, 4, 1.0, np.random.default_rng(2))
    run = gf_to_target(Flat(net, ds.X, ds.y), target_rel=0.1, T_max=1e3, max_evals=20_000)
    assert run.status == "reached"
    # an independent route to r(t): explicit Euler (GD) with a small step, first order in h
    steps = 20_000
    _, rs = gd(Flat(net, ds.X, ds.y), step_size=run.time / steps, steps=steps)
    assert rs[-1] == pytest.approx(0.1 * run.residual_sq0, rel=5e-3)
    # D5 along the way: the decay beats 2 t min λ_min
    assert math.log(10) >= 2 * run.kappa_min * run.time


def test_gd_budget_and_divergence_are_reported():
    ds = adversarial(6, 4, 0, eps=1e-3)
    net = WN.init(16, 4, 1.0, np.random.default_rng(0))
    assert gd_to_target(Flat(net, ds.X, ds.y), target_rel=1e-6, max_steps=10).status == "budget"
    assert gd_to_target(Flat(net, ds.X, ds.y), target_rel=1e-6, max_steps=200, step_size=50.0).status == "diverged"


def test_gd_to_target_counts_the_steps_of_a_plain_loop():
    """gd_to_target runs in dynamics.gd; a plain loop z ← z + h·dz on the same field must reach
    the target at the same step with the same residuals (a shifted count or a wrong step
    size in the adapter fails)."""
    ds = random_sphere(8, 4, 5)
    for make in (WN, EWN):
        flat = Flat(make.init(40, 4, 1.0, np.random.default_rng(3)), ds.X, ds.y)
        run = gd_to_target(flat, target_rel=0.05, max_steps=400)
        h = 1.0 / float(np.linalg.eigvalsh(flat.kernel(flat.z0))[-1])
        z, rs = flat.z0.copy(), []
        while True:
            dz, r = flat.descent(z)
            rs.append(float(r @ r))
            if rs[-1] <= 0.05 * rs[0] or len(rs) > 401:
                break
            z = z + h * dz
        assert run.status == "reached" and run.steps == len(rs) - 1 and run.step_size == h
        assert run.residual_sq == pytest.approx(rs[-1], rel=1e-12) and run.residual_sq0 == rs[0]


def test_gf_of_a_parameterization_is_solve_ivp_on_its_field():
    """training.gf runs in dynamics.gf; SciPy's solve_ivp on the same field −η ⊙ ∇L must land
    on the same θ(T) bit for bit (same pair, same steps, no interpolant), and a spent budget
    raises EvaluationBudget."""
    from scipy.integrate import solve_ivp

    ds = random_sphere(6, 3, 2)
    net = EWN.init(30, 3, 1.0, np.random.default_rng(4))
    flat = Flat(net, ds.X, ds.y, {"v": 0.7, "s": 1.3})
    end = gf(flat, T=0.05, max_evals=5000, rtol=1e-9, atol=1e-12)
    ref = solve_ivp(lambda _t, z: flat.descent(z)[0], (0.0, 0.05), flat.z0.copy(), method="DOP853",
                    rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(end.theta.ravel(), ref.y[:, -1])
    with pytest.raises(EvaluationBudget):
        gf(flat, T=0.05, max_evals=5, rtol=1e-9, atol=1e-12)


# -- comparison ----------------------------------------------------------------------------

def test_comparison_is_reproducible_and_consistent():
    ds = random_sphere(6, 4, 0)
    s = CompareSettings(m=64, widths=(4, 16, 64), seeds=2, gd_max_steps=500, gf_max_evals=3000)
    c1 = compare_parameterizations(ds.X, ds.y, s, rng=np.random.default_rng(7))
    c2 = compare_parameterizations(ds.X, ds.y, s, rng=np.random.default_rng(7))
    assert c1.to_dict() == c2.to_dict()
    st, wn, ewn = (c1.row(n) for n in ("standard", "wn", "ewn"))
    # α = 1, η = 1: WN and the standard network share Λ(0) (V(0) + G(0) = H(0)) and f(0)
    assert wn.lambda_min == pytest.approx(st.lambda_min, rel=1e-10)
    assert wn.residual_sq0 == pytest.approx(st.residual_sq0, rel=1e-12)
    assert ewn.lambda_min_limit >= st.lambda_min_limit - 1e-12        # H^∞ + (d − 1)G^∞ ⪰ H^∞
    for r in c1.rows:
        assert r.width_needed is None or r.width_needed in s.widths
        assert r.gd_steps is None or 0 < r.gd_steps <= s.gd_max_steps
    with pytest.raises(InputError):
        CompareSettings(widths=(64, 16))


# -- torch.func Jacobians (only with PyTorch) ------------------------------------------------

@pytest.mark.filterwarnings("ignore:There is a performance drop:UserWarning")  # functorch's weight_norm fallback
def test_torch_jacobians_agree():
    torch = pytest.importorskip("torch")
    from torch.func import functional_call, jacrev
    from torch.nn.utils.parametrizations import weight_norm

    torch.set_default_dtype(torch.float64)
    ds = adversarial(6, 4, 0, eps=1e-3)
    X = torch.tensor(ds.X)
    for name in ("standard", "wn", "ewn"):
        ds_, net = _setup(name, seed=1, m=7)
        m, d = net.m, net.d
        c = torch.tensor(net.c)
        lin = torch.nn.Linear(d, m, bias=False)
        if name == "wn":
            lin = weight_norm(lin, dim=0)            # weight = g v/||v|| row by row
            params = {"parametrizations.weight.original0": torch.tensor(net.block("g"))[:, None],
                      "parametrizations.weight.original1": torch.tensor(net.block("v"))}
        elif name == "standard":
            params = {"weight": torch.tensor(net.block("w"))}
        else:
            params = {"v": torch.tensor(net.block("v")), "s": torch.tensor(net.block("s"))}

        def f(p, lin=lin, name=name, c=c, m=m):
            if name == "ewn":
                W = torch.exp(p["s"])[:, None] * p["v"] / p["v"].norm(dim=1, keepdim=True)
                pre = X @ W.T
            else:
                pre = functional_call(lin, p, (X,))
            return torch.relu(pre) @ c / math.sqrt(m)

        J = jacrev(f)(params)
        kb = kernel_blocks(net, ds.X, ETAS[name])
        blocks = {"standard": {"w": "weight"}, "wn": {"v": "parametrizations.weight.original1",
                                                      "g": "parametrizations.weight.original0"},
                  "ewn": {"v": "v", "s": "s"}}[name]
        total = 0
        for b, key in blocks.items():
            Jb = J[key].reshape(6, -1).numpy()
            ref = ETAS[name][b] * Jb @ Jb.T
            total = total + ref
            assert np.max(np.abs(kb.blocks[b] - ref)) <= 1e-10 * np.max(np.abs(ref)), (name, b)
        assert np.max(np.abs(kb.Lambda - total)) <= 1e-10 * np.max(np.abs(total)), name


# -- the command line ------------------------------------------------------------------------

def _data_file(tmp_path):
    ds = adversarial(6, 4, 0, eps=1e-3)
    path = tmp_path / "d.npz"
    np.savez(path, X=ds.X, y=ds.y)
    return path, ds


@pytest.mark.parametrize("name,extra", [("wn", ["g"]), ("ewn", ["s"]), ("standard", [])])
def test_cli_kernel_writes_the_documented_file(tmp_path, capsys, name, extra):
    path, ds = _data_file(tmp_path)
    out = tmp_path / "k.npz"
    etas = [f"--eta={b}={v}" for b, v in ETAS[name].items()]
    assert main(["kernel", "--parameterization", name, "--data", str(path), "--m", "40", "--alpha", "0.6",
                 "--seed", "4", "--out", str(out), *etas]) == 0
    z = np.load(out, allow_pickle=False)
    blocks = list(get(name).block_names)
    assert set(z.files) == {"c", "X", "y", "Lambda", "alpha", "m", "seed", "parameterization",
                            *blocks, *(f"Lambda_{b}" for b in blocks), *(f"eta_{b}" for b in blocks),
                            "Lambda_inf", *(f"Lambda_inf_{b}" for b in blocks)}
    assert str(z["parameterization"]) == name and int(z["m"]) == 40 and float(z["alpha"]) == 0.6
    np.testing.assert_array_equal(z["X"], ds.X)
    # recompute Λ from the plain arrays alone (the documented formula, written out here)
    X, c = z["X"], z["c"]
    if name == "standard":
        W, M = z["w"], np.broadcast_to(float(z["eta_w"]) * np.eye(4), (40, 4, 4))
    else:
        v = z["v"]
        nv = np.linalg.norm(v, axis=1)
        u = v / nv[:, None]
        scal = z["g"] if name == "wn" else np.exp(z["s"])
        W = scal[:, None] * u
        uu, P = np.einsum("kd,ke->kde", u, u), np.eye(4) - np.einsum("kd,ke->kde", u, u)
        len_eta = float(z[f"eta_{extra[0]}"])
        len_part = uu if name == "wn" else (scal**2)[:, None, None] * uu
        M = len_eta * len_part + float(z["eta_v"]) * ((scal / nv) ** 2)[:, None, None] * P
    A = (X @ W.T >= 0).astype(float)
    L = np.einsum("ik,jk,id,kde,je->ij", A, A, X, M, X) / 40
    assert np.max(np.abs(z["Lambda"] - L)) <= 1e-12 * np.max(np.abs(L))
    np.testing.assert_allclose(sum(z[f"Lambda_{b}"] for b in blocks), z["Lambda"], rtol=1e-13, atol=1e-15)
    # same initialization as the library
    ref = get(name).init(40, 4, 0.6, np.random.default_rng(4))
    np.testing.assert_array_equal(z["c"], ref.c)
    assert "written to" in capsys.readouterr().out


@pytest.mark.parametrize("args,flag", [
    (["--parameterization", "bn"], "--parameterization"),
    (["--m", "0"], "--m"),
    (["--m", "x"], "--m"),
    (["--alpha", "-1"], "--alpha"),
    (["--alpha", "nan"], "--alpha"),
    (["--seed", "-3"], "--seed"),
    (["--eta", "s=1"], "--eta"),
    (["--eta", "v"], "--eta"),
    (["--eta", "g=0"], "--eta"),
    (["--out", "k.txt"], "--out"),
    (["--data", "missing.npz"], "--data"),
])
def test_cli_kernel_refuses_bad_input(tmp_path, capsys, args, flag):
    path, _ = _data_file(tmp_path)
    base = {"--parameterization": "wn", "--data": str(path), "--m": "5", "--out": str(tmp_path / "k.npz")}
    for k, v in zip(args[::2], args[1::2]):
        base[k] = v if k != "--data" else str(tmp_path / v)
    argv = ["kernel"] + [x for kv in base.items() for x in kv]
    try:
        code = main(argv)
    except SystemExit as exc:       # argparse's own errors (a value of the wrong type)
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and flag in err, err
    assert not (tmp_path / "k.npz").exists()


def test_cli_kernel_missing_flag_is_one_line(tmp_path, capsys):
    path, _ = _data_file(tmp_path)
    code = main(["kernel", "--parameterization", "wn", "--data", str(path), "--out", str(tmp_path / "k.npz")])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert "--m" in err.splitlines()[-1] and "Traceback" not in err


# -- derivations -----------------------------------------------------------------------------

def test_derivations_prove_and_planted_constants_fail():
    import importlib

    from wnproofs.symbolic import Verdict
    from wnproofs.registry import import_plugin_package, load_plugins

    load_plugins()
    import_plugin_package("wnproofs.derivations")
    der = importlib.import_module("wnproofs.derivations.parameterizations")
    assert der.derive_metrics().proved and der.derive_limits().proved

    def no_exp2s(v, s):   # the EWN metric without its e^{2s}
        uu, P = der._proj(v)
        return der.ETA_S * uu + der.ETA_V * P / v.dot(v)

    assert der.derive_metrics(candidate_ewn=no_exp2s).verdict is Verdict.FAILED
    assert der.derive_limits(candidate_ewn=der.G_STATED).verdict is Verdict.FAILED    # factor d dropped


# -- the registered checks -------------------------------------------------------------------

def test_registered_checks_hold_and_can_fail():
    from wnproofs.instances import default_instances
    from wnproofs.outcomes import Status
    from wnproofs.plugin import Instance
    from wnproofs.registry import checks_for

    names = {"D2": ["scale_invariance_wn", "scale_invariance_ewn"], "D3": ["norm_dynamics_wn", "norm_dynamics_ewn"],
             "D4": ["kernel_dynamics_standard", "kernel_dynamics_wn", "kernel_dynamics_ewn"], "D5": ["comparison"]}
    inst = default_instances(0)[1]                                   # the adversarial set
    for claim, want in names.items():
        mine = {c.name.split(".", 1)[1]: c for c in checks_for(claim) if c.fn.__name__ in want}
        assert sorted(mine) == sorted(want)
        for chk in mine.values():
            res = chk(inst)
            assert res.status is Status.HOLDS, (chk.name, res.message)
    strict = Instance(inst.data, inst.seed, params={"tol": 1e-30})
    for chk in checks_for("D2"):
        if chk.fn.__name__ in names["D2"]:
            assert chk(strict).status is Status.FAILS
    comp = [c for c in checks_for("D5") if c.name == "d5.comparison"][0](inst)
    rows = comp.details["comparison"]["rows"]
    assert [r["parameterization"] for r in rows] == ["standard", "wn", "ewn"]
    assert {"lambda_min", "gd_steps", "gf_time", "width_needed"} <= set(rows[0])
