"""GD and GF (wnproofs.dynamics) and the un-normalized network of C1 (wnproofs.unnormalized)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from wnproofs.data import random_sphere
from wnproofs import relu
from wnproofs.dynamics import Diverged, Trajectory, gd, gf, memory_estimate
from wnproofs.errors import InputError
from wnproofs.kernels import ntk
from wnproofs.model import WNNetwork, wn_gradients
from wnproofs.unnormalized import UNetwork, u_gradients


@pytest.fixture
def ds():
    return random_sphere(6, 4, 3)


def _old_wn_gradients(v, g, c, X, y):
    """The D1 gradient as implemented before the streamed one (reference, kept verbatim):
    Z = X Uᵀ, A = 1{Z∘g ≥ 0}, ∇_g = (c/√m)(Z∘A)ᵀ r, ∇_v = (c g/(√m ||v||)) P_v (A∘r)ᵀ X."""
    m = v.shape[0]
    nv = np.linalg.norm(v, axis=1)
    u = v / nv[:, None]
    Z = X @ u.T
    A = (Z * g >= 0).astype(np.float64)
    r = (np.maximum(Z * g, 0.0) @ c) / np.sqrt(m) - y
    scale = c / np.sqrt(m)
    grad_g = scale * ((Z * A).T @ r)
    q = (A * r[:, None]).T @ X
    q -= u * np.sum(q * u, axis=1, keepdims=True)
    return (scale * g / nv)[:, None] * q, grad_g, r


def _old_u_gradients(w, c, X, y):
    P = X @ w.T
    r = np.maximum(P, 0.0) @ c / np.sqrt(w.shape[0]) - y
    return (c / np.sqrt(w.shape[0]))[:, None] * (np.where(P >= 0, r[:, None], 0.0).T @ X), r


def _rel(a, b):
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300))


@pytest.mark.parametrize("n,d,m,alpha", [(6, 4, 40, 0.7), (50, 8, 3000, 2.0), (1, 2, 1, 1.0)])
def test_streamed_gradients_equal_the_previous_implementation(n, d, m, alpha):
    """Issue 13 item 4: the fused, streamed gradient equals the previous one to 1e-12
    (also with some negative lengths g_k, where the activation is 1{g_k⟨u_k,x⟩ ≥ 0})."""
    rng = np.random.default_rng(n * m)
    ds = random_sphere(n, d, rng)
    net = WNNetwork.init(m, d, alpha, rng)
    g = net.g * rng.uniform(0.5, 1.5, m) * np.where(rng.random(m) < 0.1, -1.0, 1.0)
    old = _old_wn_gradients(net.v, g, net.c, ds.X, ds.y)
    new = wn_gradients(net.v, g, net.c, ds.X, ds.y)
    for a, b in zip(new, old):
        assert _rel(a, b) < 1e-12
    gw, r = u_gradients(net.w, net.c, ds.X, ds.y)
    ow, orr = _old_u_gradients(net.w, net.c, ds.X, ds.y)
    assert _rel(gw, ow) < 1e-12 and _rel(r, orr) < 1e-12
    np.testing.assert_allclose(new[2], net.replace(g=g).forward(ds.X) - ds.y, rtol=0, atol=0)


def test_streaming_blocks_and_activation_cache_do_not_change_the_numbers(rng):
    """Caching the activations or recomputing them gives bit-identical results; other block
    sizes agree to rounding."""
    ds = random_sphere(20, 5, rng)
    W = rng.standard_normal((1000, 5))
    c = rng.choice([-1.0, 1.0], 1000)
    q1, r1 = relu.backprop(W, c, ds.X, ds.y, cache=True)
    q2, r2 = relu.backprop(W, c, ds.X, ds.y, cache=False)
    np.testing.assert_array_equal(r1, r2)            # the same forward pass
    np.testing.assert_array_equal(q1, q2)            # the same block GEMMs on the same 0/1 blocks
    for chunk in (1, 7, 64, 1000):
        q3, r3 = relu.backprop(W, c, ds.X, ds.y, chunk=chunk)
        assert _rel(q3, q1) < 1e-13 and _rel(r3, r1) < 1e-13
    assert relu.neuron_chunk(256, 10**7) * relu.MAX_CHUNKS >= 10**7
    assert relu.neuron_chunk(256, 8192) * 256 <= 2 * relu.BLOCK_ELEMENTS
    assert not relu.caches_activations(256, 10**7)


def test_gd_equals_the_previous_implementation(rng):
    """GD from the streamed gradient follows GD from the previous gradient to 1e-12 over 50 steps."""
    ds = random_sphere(30, 6, rng)
    net = WNNetwork.init(500, 6, 0.8, rng)
    eta = 0.5 / np.linalg.eigvalsh(ntk(net, ds.X))[-1]
    tr = gd(net, ds, eta=eta, steps=50, record_every=50)
    v, g = net.v.copy(), net.g.copy()
    rs = []
    for _ in range(50):
        gv, gg, r = _old_wn_gradients(v, g, net.c, ds.X, ds.y)
        rs.append(float(r @ r))
        v, g = v - eta * gv, g - eta * gg
    assert _rel(tr.final.v, v) < 1e-12 and _rel(tr.final.g, g) < 1e-12
    np.testing.assert_allclose(tr.step_residual_sq[:50], rs, rtol=1e-12)


def test_gd_equals_hand_unrolled_steps(ds, rng):
    net = WNNetwork.init(7, 4, 0.8, rng)
    eta_v, eta_g, steps = 0.3, 0.2, 4
    tr = gd(net, ds, eta_v=eta_v, eta_g=eta_g, steps=steps, record_every=1)
    cur, rs = net, []
    for _ in range(steps):
        r = cur.forward(ds.X) - ds.y
        rs.append(float(r @ r))
        gv, gg = cur.gradients(ds.X, ds.y)
        cur = cur.replace(v=cur.v - eta_v * gv, g=cur.g - eta_g * gg)
    r = cur.forward(ds.X) - ds.y
    rs.append(float(r @ r))
    np.testing.assert_allclose(tr.final.v, cur.v, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(tr.final.g, cur.g, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(tr.step_residual_sq, rs, rtol=1e-12)
    np.testing.assert_allclose(tr.residual_sq, rs, rtol=1e-12)
    assert tr.t.tolist() == [0, 1, 2, 3, 4]
    # D3 along GD: ||v_k|| never decreases
    assert np.all(tr.vnorm_change_min >= -1e-15)


def test_gd_single_eta_and_records(ds, rng):
    net = WNNetwork.init(300, 4, 0.5, rng)
    lam = np.linalg.eigvalsh(ntk(net, ds.X))
    tr = gd(net, ds, eta=1.0 / lam[-1], steps=30, record_every=10)
    assert tr.t.tolist() == [0, 10, 20, 30]
    assert tr.lambda_min[0] == pytest.approx(lam[0], rel=1e-10)
    assert tr.gram_change[0] == 0.0 and tr.flips[0] == 0
    assert tr.residual_sq[-1] < tr.residual_sq[0]
    assert tr.step_residual_sq.size == 31


def test_unnormalized_gd_hand_unrolled(ds, rng):
    net = UNetwork.init(9, 4, rng)
    tr = gd(net, ds, eta=0.5, steps=3, record_every=1)
    w = net.w
    for _ in range(3):
        w = w - 0.5 * net.replace(w=w).gradients(ds.X, ds.y)
    np.testing.assert_allclose(tr.final.w, w, rtol=1e-12, atol=1e-14)


def test_gf_matches_gd_with_tiny_steps(ds, rng):
    net = WNNetwork.init(60, 4, 0.7, rng)
    T, h = 0.5, 2.5e-4
    flow = gf(net, ds, T=T, records=5)  # RK45, rtol = atol = 1e-6
    disc = gd(net, ds, eta=h, steps=int(T / h), record_every=int(T / h) // 5)
    assert flow.status == "finished"
    assert flow.rtol == 1e-6 and flow.integrator == "RK45"
    np.testing.assert_allclose(flow.residual_sq, disc.residual_sq, rtol=1e-3)
    np.testing.assert_allclose(flow.final.g, disc.final.g, rtol=1e-2, atol=1e-4)
    # D3 along GF: ||v_k(t)|| = ||v_k(0)|| up to the integrator's tolerance
    assert np.max(np.abs(flow.vnorm_change_max)) < 1e-5


def test_gf_stall_is_reported(ds, rng):
    net = WNNetwork.init(50, 4, 0.5, rng)
    tr = gf(net, ds, T=50.0, max_evals=30)
    assert tr.status == "stalled"
    assert "evaluation budget 30 spent" in tr.message
    assert tr.nfev == 30 and tr.budget == {"T": 50.0, "max_evals": 30}   # never exceeded
    assert np.all(np.isfinite(tr.residual_sq))


def test_gf_tight_tolerance_stalls_on_the_relu_kinks(ds):
    """At rtol 1e-8 DOP853/RK45 crawl along activation boundaries: reported, not hung."""
    net = WNNetwork.init(60, 4, 0.7, np.random.default_rng(12345))
    tr = gf(net, ds, T=0.5, records=5, rtol=1e-8, atol=1e-10, max_evals=5000)
    assert tr.status == "stalled" and "budget 5000 spent" in tr.message and tr.nfev == 5000
    assert tr.t[-1] < 0.5


def test_divergence_is_detected_and_names_the_bound(ds, rng):
    net = WNNetwork.init(200, 4, 2.0, rng)
    with pytest.raises(Diverged) as info:
        gd(net, ds, eta=200.0, steps=200)
    exc = info.value
    assert exc.violated and exc.bound_name == "2/λ_max(Λ(0))"
    assert exc.eta > exc.bound_value
    assert "2/λ_max(Λ(0))" in str(exc)
    assert exc.trajectory.status == "diverged"
    assert np.all(np.isfinite(exc.trajectory.residual_sq))


def test_wn_gd_self_tunes_in_the_V_regime(ds, rng):
    """Far beyond 2/λ_max(Λ(0)) (here 10/λ_max) WN GD need not diverge when V dominates: ||v_k|| grows (D3) and
    shrinks the direction part of the kernel until η λ_max(Λ(s)) < 2.  The un-normalized
    network, whose only brake is switching neurons off, diverges at the same multiple."""
    net = WNNetwork.init(500, 4, 0.25, rng)
    lam = np.linalg.eigvalsh(ntk(net, ds.X))[-1]
    tr = gd(net, ds, eta=10.0 / lam, steps=1500, record_every=50)
    assert tr.status == "converged"
    assert tr.vnorm_change_max[-1] > 0.5
    assert tr.lambda_max[-1] * 10.0 / lam < 2.0
    u = UNetwork.from_wn(WNNetwork.init(500, 4, 1.0, rng))
    with pytest.raises(Diverged):
        gd(u, ds, eta=10.0 / np.linalg.eigvalsh(u.ntk(ds.X))[-1], steps=500)


def test_trajectory_is_immutable_and_json(ds, rng):
    tr = gd(WNNetwork.init(20, 4, 1.0, rng), ds, eta=0.5, steps=5, record_every=2)
    with pytest.raises(ValueError):
        tr.residual_sq[0] = 1.0
    with pytest.raises(AttributeError):
        tr.status = "x"
    blob = json.dumps(tr.to_dict(), allow_nan=False)
    back = Trajectory.from_dict(json.loads(blob))
    np.testing.assert_array_equal(back.residual_sq, tr.residual_sq)
    assert back.method == "gd" and back.m == 20


def test_bad_input(ds, rng):
    net = WNNetwork.init(5, 4, 1.0, rng)
    with pytest.raises(InputError):
        gd(net, ds, steps=3)
    with pytest.raises(InputError):
        gd(net, ds, eta=-1.0)
    with pytest.raises(InputError):
        gf(net, ds, T=1.0, method="Euler")
    with pytest.raises(InputError):
        gd(net, ds.X[:, :3], ds.y, eta=0.1)
    with pytest.raises(InputError):
        gd("net", ds, eta=0.1)


def _loss(w, c, X, y):
    r = np.maximum(X @ w.T, 0.0) @ c / np.sqrt(w.shape[0]) - y
    return 0.5 * float(r @ r)


def test_unnormalized_gradients_finite_differences(ds, rng):
    net = UNetwork.init(6, 4, rng)
    g = net.gradients(ds.X, ds.y)
    assert np.min(np.abs(ds.X @ net.w.T)) > 1e-4  # away from kinks
    h = 1e-6
    fd = np.zeros_like(net.w)
    for k in range(net.m):
        for j in range(net.d):
            wp, wm = net.w.copy(), net.w.copy()
            wp[k, j] += h
            wm[k, j] -= h
            fd[k, j] = (_loss(wp, net.c, ds.X, ds.y) - _loss(wm, net.c, ds.X, ds.y)) / (2 * h)
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-9)
    J = net.jacobian(ds.X)
    np.testing.assert_allclose(net.ntk(ds.X), J @ J.T, rtol=1e-12, atol=1e-14)
    r = net.forward(ds.X) - ds.y
    np.testing.assert_allclose(g.ravel(), J.T @ r, rtol=1e-12, atol=1e-14)


def test_unnormalized_equals_wn_at_init(ds, rng):
    """§1: at initialization the WN network computes the un-normalized one."""
    wn = WNNetwork.init(50, 4, 0.3, rng)
    u = UNetwork.from_wn(wn)
    np.testing.assert_allclose(u.forward(ds.X), wn.forward(ds.X), rtol=1e-12)
    # D8 at finite width: wherever s_k = α g_k/||v_k|| = 1 (e.g. at initialization), V + G =
    # K∘(AAᵀ)/m = H exactly, so Λ(0) = H(0) at α = 1 (the un-normalized recorder relies on it);
    # at α ≠ 1, Λ(0) = V/α² + G differs
    wn1 = WNNetwork.init(50, 4, 1.0, rng)
    np.testing.assert_allclose(ntk(wn1, ds.X), UNetwork.from_wn(wn1).ntk(ds.X), rtol=1e-14, atol=1e-15)
    assert np.max(np.abs(ntk(wn, ds.X) - u.ntk(ds.X))) > 0.1
    with pytest.raises(InputError):
        UNetwork(w=np.ones((3, 1)), c=np.ones(3))


def test_cli_train(tmp_path, capsys):
    from wnproofs.cli import main

    out = tmp_path / "tr.json"
    assert main(["train", "--m", "50", "--steps", "5", "--record-every", "2", "--json", str(out)]) == 0
    assert Trajectory.from_dict(json.loads(out.read_text())).steps == 5
    assert main(["train", "--method", "gf", "--m", "30", "--T", "0.5"]) == 0
    assert main(["train", "--m", "50", "--alpha", "2", "--eta", "500", "--steps", "50"]) == 1
    assert "diverged" in capsys.readouterr().out


def test_gd_hook_sees_every_step_and_can_stop(ds, rng):
    """The per-step hook: state s before the step, the step about to be applied, read-only
    views; a true return value stops the run with status "stopped"."""
    net = WNNetwork.init(30, 4, 0.8, rng)
    seen = []

    def watch(st):
        seen.append((st.index, st.t, st.residual_sq, None if st.step is None else st.step["v"].copy(),
                     st.blocks["v"].copy(), st.blocks["g"].copy()))
        with pytest.raises(ValueError):
            st.blocks["v"][0, 0] = 1.0
        np.testing.assert_allclose(st.residual, st.net().forward(ds.X) - ds.y, rtol=1e-13, atol=1e-15)

    tr = gd(net, ds, eta=0.2, steps=4, record_every=2, hook=watch)
    assert [s[0] for s in seen] == [0, 1, 2, 3, 4] and [s[1] for s in seen] == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert seen[-1][3] is None and tr.nfev == 4 and tr.budget == {"steps": 4}
    for (_, _, rs, step, v, _), nxt in zip(seen, seen[1:]):
        np.testing.assert_array_equal(v + step, nxt[4])     # the step is exactly what was applied
    np.testing.assert_allclose([s[2] for s in seen], tr.step_residual_sq, rtol=0)

    stop = gd(net, ds, eta=0.2, steps=50, record_every=10, hook=lambda st: st.index == 7)
    assert stop.status == "stopped" and stop.steps == 7 and stop.t.tolist() == [0, 7]
    np.testing.assert_array_equal(stop.final.v, gd(net, ds, eta=0.2, steps=7, record_every=7).final.v)


def test_gf_hook_at_record_times(ds, rng):
    net = WNNetwork.init(30, 4, 0.8, rng)
    times = []
    tr = gf(net, ds, T=0.3, records=3, hook=lambda st: times.append((st.t, st.step, st.residual_sq)))
    np.testing.assert_allclose([t for t, _, _ in times], [0.0, 0.1, 0.2, 0.3])
    assert all(s is None for _, s, _ in times)
    np.testing.assert_array_equal([r for _, _, r in times], tr.residual_sq)
    early = gf(net, ds, T=0.3, records=3, hook=lambda st: st.index == 2)
    assert early.status == "stopped" and early.t.tolist() == pytest.approx([0.0, 0.1, 0.2])


def test_memory_estimate_parts_and_bad_input():
    gd_e, gf_e = memory_estimate(64, 3, 10**7), memory_estimate(64, 3, 10**7, method="gf")
    P = 8 * 10**7 * 4
    assert gd_e.parts["state"] == 3 * P and gf_e.total > gd_e.total
    assert gd_e.fits(24 * 2**30) and gf_e.fits(24 * 2**30)           # m = 10⁷, d = 3 on a 24 GB machine
    assert not memory_estimate(64, 64, 10**7, method="gf").fits(24 * 2**30)
    assert memory_estimate(64, 3, 10**7, model="unnormalized").total < gd_e.total
    assert "GiB" in str(gd_e)
    with pytest.raises(InputError):
        memory_estimate(64, 3, 10, method="sgd")
    with pytest.raises(InputError):
        memory_estimate(64, 3, 10, method="gf", integrator="Euler")


@pytest.mark.parametrize("model", ["wn", "unnormalized"])
def test_streamed_records_equal_direct_formulas(model):
    """Records streamed over several blocks of neurons (n = 600 → 436 neurons a block) against
    the movement, flips and kernel computed directly on the whole network."""
    ds = random_sphere(600, 3, 5)
    wn = WNNetwork.init(1500, 3, 0.9, 6)
    net = UNetwork.from_wn(wn) if model == "unnormalized" else wn
    assert relu.neuron_chunk(600, 1500) < 1500 / 3
    tr = gd(net, ds, eta=0.015, steps=6, record_every=6)
    fin = tr.final
    W0, W1 = wn.w, fin.w
    flips = np.count_nonzero((ds.X @ W1.T >= 0) != (ds.X @ W0.T >= 0))
    assert flips > 0 and tr.flips.tolist() == [0, flips]
    if model == "wn":
        du = np.linalg.norm(fin.u - wn.u, axis=1)
        dl = np.abs(fin.g - wn.g)
        vr = fin.v_norms / wn.v_norms - 1
        K = ntk(fin, ds.X)
    else:
        n0, n1 = np.linalg.norm(W0, axis=1), np.linalg.norm(W1, axis=1)
        du = np.linalg.norm(W1 / n1[:, None] - W0 / n0[:, None], axis=1)
        dl, vr = np.abs(n1 - n0), n1 / n0 - 1
        K = fin.ntk(ds.X)
    np.testing.assert_allclose([tr.dir_move_max[-1], tr.dir_move_mean[-1]], [du.max(), du.mean()], rtol=1e-12)
    np.testing.assert_allclose([tr.len_move_max[-1], tr.len_move_mean[-1]], [dl.max(), dl.mean()], rtol=1e-12)
    np.testing.assert_allclose([tr.vnorm_change_max[-1], tr.vnorm_change_min[-1]], [vr.max(), vr.min()],
                               rtol=1e-10, atol=1e-15)
    ev = np.linalg.eigvalsh(K)
    # a backward-stable eigensolver moves every eigenvalue by O(n ε ||K||₂) (Weyl), whatever
    # its size: λ_min (≈ 1e-7 here) is compared on the scale of λ_max (the record runs with
    # BLAS at one thread, this reference as configured)
    np.testing.assert_allclose(tr.lambda_max[-1], ev[-1], rtol=1e-12)
    assert abs(tr.lambda_min[-1] - ev[0]) <= 1e-12 * ev[-1]


def test_a_flat_runs_in_place_of_a_network(ds, rng):
    """Another parameterization plugs into the one loop by passing a flat (the protocol of
    wnproofs.dynamics.flat); here the WN flat itself, which must give the same run."""
    from wnproofs.dynamics import WNFlat, as_flat
    from wnproofs.dynamics.flat import is_flat

    net = WNNetwork.init(20, 4, 0.8, rng)
    flat = WNFlat(net, ds.X, ds.y, 0.3, 0.3)
    assert is_flat(flat) and not is_flat(net)
    a = gd(net, ds, eta=0.3, steps=5, record_every=5)
    b = gd(flat, None, eta=0.3, steps=5, record_every=5)
    np.testing.assert_array_equal(a.final.v, b.final.v)
    np.testing.assert_array_equal(a.residual_sq, b.residual_sq)
    with pytest.raises(InputError, match="built with"):
        as_flat(flat, None, None, 0.1, 0.3)


@pytest.mark.parametrize("model", ["wn", "unnormalized"])
def test_descent_returns_a_new_array_every_call(model):
    """The GF field's output is kept by the integrator (its stages, and f after a rejected
    step): ``descent`` must never hand out a buffer a later call overwrites, while ``update``
    (GD, applied before the next call) may reuse its own."""
    from wnproofs.dynamics import as_flat

    ds = random_sphere(30, 3, 1)
    wn = WNNetwork.init(700, 3, 1.0, 2)
    net = UNetwork.from_wn(wn) if model == "unnormalized" else wn
    flat = as_flat(net, ds, None, 0.1, 0.1)
    z1, z2 = flat.z0.copy(), flat.z0 * 1.01
    a, _ = flat.descent(z1)
    keep = a.copy()
    b, _ = flat.descent(z2)
    flat.update(z2)
    assert a is not b and np.array_equal(a, keep) and not np.array_equal(a, b)
    step, _ = flat.update(z1)
    np.testing.assert_array_equal(np.concatenate([x.ravel() for x in step.values()]), keep)


def test_gf_spends_no_evaluation_on_interpolants_it_does_not_use():
    """DOP853's dense output evaluates the field 3 more times a step; with records only at the
    two ends none is needed, so the run costs exactly what SciPy's solve_ivp costs on the same
    field, and lands on the same state (with interior records it costs more, and the records
    lie on the interpolant)."""
    from scipy.integrate import solve_ivp

    from wnproofs.dynamics import as_flat

    ds = random_sphere(6, 3, 4)
    net = WNNetwork.init(50, 3, 1.0, 5)
    tr = gf(net, ds, T=0.2, records=1, method="DOP853", rtol=1e-8, atol=1e-11, max_evals=5000)
    flat = as_flat(net, ds, None, 1.0, 1.0)
    ref = solve_ivp(lambda _t, z: flat.descent(z)[0], (0.0, 0.2), flat.z0.copy(), method="DOP853",
                    rtol=1e-8, atol=1e-11)
    assert tr.status == "finished" and tr.nfev == ref.nfev > 100
    np.testing.assert_array_equal(np.concatenate([tr.final.v.ravel(), tr.final.g]), ref.y[:, -1])
    tr5 = gf(net, ds, T=0.2, records=5, method="DOP853", rtol=1e-8, atol=1e-11, max_evals=5000)
    assert tr5.nfev > tr.nfev
    np.testing.assert_array_equal(tr5.residual_sq[[0, -1]], tr.residual_sq)


def test_gf_at_its_steps_locates_the_crossing_time():
    """t_eval="steps" records every accepted step; with stop_rel the run stops at the first
    step whose loss is below the target and locates the crossing inside it.  Independent route:
    SciPy's solve_ivp with dense output on the same field, its loss evaluated just before and
    at the located time."""
    from scipy.integrate import solve_ivp

    from wnproofs.dynamics import as_flat

    ds = random_sphere(6, 3, 2)
    net = WNNetwork.init(40, 3, 1.0, 8)
    tr = gf(net, ds, T=50.0, t_eval="steps", stop_rel=0.3, rtol=1e-6, atol=1e-8, max_evals=5000)
    assert tr.status == "converged" and tr.t.size == tr.step_residual_sq.size > 3
    target = 0.3 * tr.residual_sq[0]
    assert tr.residual_sq[-1] <= target < tr.residual_sq[-2] and tr.t[-2] < tr.t_cross <= tr.t[-1]
    flat = as_flat(net, ds, None, 1.0, 1.0)
    ref = solve_ivp(lambda _t, z: flat.descent(z)[0], (0.0, tr.t[-1]), flat.z0.copy(), rtol=1e-6,
                    atol=1e-8, dense_output=True)

    def loss(t):
        r = flat.residual(ref.sol(t))
        return float(r @ r)

    assert loss(tr.t_cross) == pytest.approx(target, rel=1e-6)
    assert loss(tr.t_cross * (1 - 1e-3)) > target
    assert gf(net, ds, T=1.0, records=4, stop_rel=0.3).t_cross is None
    with pytest.raises(InputError, match="steps"):
        gf(net, ds, T=1.0, t_eval="every step")
