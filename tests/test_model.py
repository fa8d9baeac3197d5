"""The WN network: initialization (§1), D1 gradients, D2 invariances, D3 norm dynamics."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wnproofs import InputError, WNNetwork, random_sphere

seeds = st.integers(0, 2**32 - 1)


def _relu_net(w, c, X):
    """Independent un-normalized network of Du et al.: (1/√m) Σ c_k σ(⟨w_k, x⟩)."""
    return np.maximum(X @ w.T, 0) @ c / np.sqrt(len(c))


@given(seed=seeds, alpha=st.floats(0.05, 20.0))
def test_init_equals_unnormalized_network(seed, alpha):
    rng = np.random.default_rng(seed)
    ds = random_sphere(5, 4, rng)
    net = WNNetwork.init(30, 4, alpha, rng)
    np.testing.assert_allclose(net.w, net.v / alpha, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(net.s, 1.0, rtol=1e-14)
    np.testing.assert_allclose(net.forward(ds.X), _relu_net(net.v / alpha, net.c, ds.X),
                               rtol=1e-12, atol=1e-14)
    assert set(np.unique(net.c)) <= {-1.0, 1.0}


def test_init_distribution():
    """w(0) ~ N(0, I): mean 0, covariance I within a 5-sigma band; c balanced."""
    net = WNNetwork.init(40_000, 3, 0.3, 0)
    w = net.w
    m = w.shape[0]
    assert np.all(np.abs(w.mean(axis=0)) < 5 / np.sqrt(m))
    assert np.all(np.abs(np.cov(w.T) - np.eye(3)) < 5 * np.sqrt(2 / m))
    assert abs(net.c.mean()) < 5 / np.sqrt(m)


def _fd_grad(net, X, y, h=1e-6):
    gv = np.zeros_like(net.v)
    gg = np.zeros_like(net.g)
    for k in range(net.m):
        for j in range(net.d):
            e = np.zeros_like(net.v)
            e[k, j] = h
            gv[k, j] = (net.replace(v=net.v + e).loss(X, y) - net.replace(v=net.v - e).loss(X, y)) / (2 * h)
        e = np.zeros_like(net.g)
        e[k] = h
        gg[k] = (net.replace(g=net.g + e).loss(X, y) - net.replace(g=net.g - e).loss(X, y)) / (2 * h)
    return gv, gg


@given(seed=seeds, n=st.integers(1, 6), d=st.integers(2, 5), m=st.integers(1, 6),
       alpha=st.floats(0.1, 10.0))
def test_D1_gradients_against_finite_differences(seed, n, d, m, alpha):
    rng = np.random.default_rng(seed)
    ds = random_sphere(n, d, rng)
    net = WNNetwork.init(m, d, alpha, rng)
    net = net.replace(g=net.g * rng.uniform(0.5, 2.0, m))
    if np.min(np.abs(ds.X @ net.u.T)) < 1e-4:  # a kink within the FD step: skip the instance
        return
    gv, gg = net.gradients(ds.X, ds.y)
    fv, fg = _fd_grad(net, ds.X, ds.y)
    scale = max(1.0, np.abs(fv).max(), np.abs(fg).max())
    assert np.abs(gv - fv).max() <= 1e-6 * scale
    assert np.abs(gg - fg).max() <= 1e-6 * scale


@given(seed=seeds, c=st.floats(1e-3, 1e3))
def test_D2_scale_invariance_and_orthogonality(seed, c):
    rng = np.random.default_rng(seed)
    ds = random_sphere(6, 4, rng)
    net = WNNetwork.init(8, 4, 1.0, rng)
    np.testing.assert_allclose(net.replace(v=c * net.v).forward(ds.X), net.forward(ds.X),
                               rtol=1e-12, atol=1e-14)
    gv, _ = net.gradients(ds.X, ds.y)
    cos = np.sum(gv * net.v, axis=1) / (net.v_norms * np.linalg.norm(gv, axis=1) + 1e-300)
    assert np.all(np.abs(cos) < 1e-12)


@given(seed=seeds, eta=st.floats(1e-3, 2.0))
def test_D3_gd_norm_growth_is_exact(seed, eta):
    rng = np.random.default_rng(seed)
    ds = random_sphere(5, 3, rng)
    net = WNNetwork.init(7, 3, 0.5, rng)
    gv, gg = net.gradients(ds.X, ds.y)
    nxt = net.replace(v=net.v - eta * gv, g=net.g - eta * gg)
    want = net.v_norms**2 + eta**2 * np.sum(gv**2, axis=1)
    np.testing.assert_allclose(nxt.v_norms**2, want, rtol=1e-13)
    assert np.all(nxt.v_norms >= net.v_norms * (1 - 1e-15))


def test_D3_gradient_flow_preserves_norms():
    """Fine explicit integration (scipy DOP853, rtol 1e-10) keeps ||v_k|| to 1e-8."""
    from scipy.integrate import solve_ivp

    ds = random_sphere(4, 3, 3)
    net = WNNetwork.init(5, 3, 1.0, 4)
    m, d = net.m, net.d

    def rhs(_t, z):
        cur = net.replace(v=z[: m * d].reshape(m, d), g=z[m * d:])
        gv, gg = cur.gradients(ds.X, ds.y)
        return -np.concatenate([gv.ravel(), gg])

    sol = solve_ivp(rhs, (0, 0.2), np.concatenate([net.v.ravel(), net.g]), method="DOP853",
                    rtol=1e-10, atol=1e-13)
    assert sol.success
    vT = sol.y[: m * d, -1].reshape(m, d)
    np.testing.assert_allclose(np.linalg.norm(vT, axis=1), net.v_norms, rtol=1e-8)
    # and the loss went down (GF is a descent flow)
    assert WNNetwork(vT, sol.y[m * d:, -1], net.c, 1.0).loss(ds.X, ds.y) < net.loss(ds.X, ds.y)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(m=0, d=3, alpha=1.0), "m must be >= 1"),
        (dict(m=3, d=1, alpha=1.0), "d must be >= 2"),
        (dict(m=3, d=3, alpha=0.0), "alpha > 0"),
        (dict(m=3, d=3, alpha=-1.0), "alpha > 0"),
        (dict(m=3, d=3, alpha=float("nan")), "alpha"),
        (dict(m=3, d=3, alpha=float("inf")), "alpha"),
        (dict(m=2.5, d=3, alpha=1.0), "m must be an integer"),
    ],
)
def test_bad_network_arguments(kwargs, match):
    with pytest.raises(InputError, match=match):
        WNNetwork.init(rng=0, **kwargs)


def test_shape_mismatches_are_named():
    net = WNNetwork.init(4, 3, 1.0, 0)
    with pytest.raises(InputError, match="expects d = 3"):
        net.forward(np.eye(2))
    with pytest.raises(InputError, match="labels"):
        net.gradients(np.eye(3), np.zeros(2))
    with pytest.raises(InputError, match="shape"):
        WNNetwork(np.ones((4, 3)), np.ones(3), np.ones(4))
    with pytest.raises(InputError, match="nonzero"):
        WNNetwork(np.zeros((1, 3)), np.ones(1), np.ones(1))
