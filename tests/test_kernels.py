"""Finite-width Gram matrices (D4) and the infinite-width closed forms (D6-D8)."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wnproofs import (
    Dataset,
    G_inf,
    H_inf,
    InputError,
    Lambda_inf,
    V_inf,
    WNNetwork,
    adversarial,
    gram_G,
    gram_V,
    grams,
    lambda_0,
    lambda_H,
    mu_0,
    ntk,
    random_sphere,
    regime,
)

seeds = st.integers(0, 2**32 - 1)


@given(seed=seeds, n=st.integers(1, 7), d=st.integers(2, 5), m=st.integers(1, 40),
       alpha=st.floats(0.1, 10.0), chunk=st.integers(1, 50),
       eta_v=st.floats(0.1, 3.0), eta_g=st.floats(0.1, 3.0))
def test_D4_blas_form_equals_jacobian_products(seed, n, d, m, alpha, chunk, eta_v, eta_g):
    rng = np.random.default_rng(seed)
    ds = random_sphere(n, d, rng)
    net = WNNetwork.init(m, d, alpha, rng)
    net = net.replace(g=net.g * rng.uniform(0.2, 3.0, m))  # s_k ≠ 1: off initialization
    Jv, Jg = net.jacobians(ds.X)
    V, G = grams(net, ds, chunk=chunk)
    tol = 1e-12 * max(1.0, (alpha * net.g / net.v_norms).max() ** 2)
    np.testing.assert_allclose(V, alpha**2 * Jv @ Jv.T, atol=tol)
    np.testing.assert_allclose(G, Jg @ Jg.T, atol=1e-12)
    np.testing.assert_allclose(gram_V(net, ds.X), V, atol=tol)
    np.testing.assert_allclose(gram_G(net, ds.X, chunk=chunk), G, atol=1e-13)
    L = ntk(net, ds, eta_v, eta_g, chunk=chunk)
    np.testing.assert_allclose(L, eta_v * Jv @ Jv.T + eta_g * Jg @ Jg.T, atol=10 * tol * eta_v / alpha**2 + 1e-12)


def test_gram_at_init_does_not_depend_on_alpha():
    """V(0) is the same for every α (s_k = 1 at initialization), THEORY.md §3."""
    ds = random_sphere(6, 4, 0)
    V1 = gram_V(WNNetwork.init(500, 4, 1.0, 9), ds)
    net = WNNetwork.init(500, 4, 1.0, 9)
    V2 = gram_V(net.replace(v=net.v * 7.0, g=net.g, alpha=7.0), ds)  # same w, α = 7
    np.testing.assert_allclose(V1, V2, atol=1e-13)


def _mc(X, N, rng):
    """Independent Monte Carlo of (G^∞, H^∞) with Gaussian w (direction = uniform u)."""
    n, d = X.shape
    W = rng.standard_normal((N, d))
    U = W / np.linalg.norm(W, axis=1, keepdims=True)
    Z = X @ U.T
    S = np.maximum(Z, 0)
    A = (Z >= 0).astype(float)
    return S @ S.T / N, (X @ X.T) * (A @ A.T) / N


@pytest.mark.parametrize("maker", [lambda: random_sphere(6, 3, 1), lambda: adversarial(6, 4, 2, eps=1e-3)])
def test_D6_D8_closed_forms_within_hoeffding_band(maker):
    ds = maker()
    N = 400_000
    G_mc, H_mc = _mc(ds.X, N, np.random.default_rng(5))
    K = ds.n * (ds.n + 1) / 2
    delta = 1e-6
    t01 = math.sqrt(math.log(2 * K / delta) / (2 * N))      # summands in [0, 1]
    t11 = 2 * t01                                           # summands in [−1, 1]
    assert np.abs(G_mc - G_inf(ds)).max() <= t01
    assert np.abs(H_mc - H_inf(ds)).max() <= t11
    assert np.abs((H_mc - G_mc) - V_inf(ds)).max() <= t01 + t11


def test_planted_error_is_caught_by_monte_carlo():
    """A closed form missing its 1/d is far outside the band: the MC test can fail."""
    ds = random_sphere(5, 4, 3)
    N = 200_000
    G_mc, _ = _mc(ds.X, N, np.random.default_rng(6))
    t = math.sqrt(math.log(2 * 15 / 1e-6) / (2 * N))
    assert np.abs(G_mc - ds.d * G_inf(ds)).max() > 10 * t


@given(seed=seeds, n=st.integers(1, 8), d=st.integers(2, 9))
def test_diagonals_exact_and_split(seed, n, d):
    ds = random_sphere(n, d, seed)
    G, V, H = G_inf(ds), V_inf(ds), H_inf(ds)
    assert np.all(np.diag(G) == 1 / (2 * d))
    assert np.all(np.diag(H) == 0.5)
    np.testing.assert_allclose(np.diag(V), (d - 1) / (2 * d), rtol=1e-15)
    np.testing.assert_allclose(H, V + G, atol=1e-15)
    np.testing.assert_allclose(Lambda_inf(ds, 1.0), H, atol=1e-15)
    assert mu_0(ds) <= 1 / (2 * d) + 1e-15
    assert lambda_0(ds) <= (d - 1) / (2 * d) + 1e-15
    assert lambda_H(ds) >= lambda_0(ds) + mu_0(ds) - 1e-12


def test_mpmath_route_agrees_with_float64():
    ds = random_sphere(6, 4, 11)
    for fn in (G_inf, V_inf, H_inf):
        hi = fn(ds, dps=40)
        lo = fn(ds)
        assert max(abs(float(hi[i, j]) - lo[i, j]) for i in range(6) for j in range(6)) < 1e-15
    assert abs(float(lambda_0(ds, dps=30)) - lambda_0(ds)) < 1e-13
    assert abs(float(mu_0(ds, dps=30)) - mu_0(ds)) < 1e-13


def test_near_parallel_needs_the_accurate_angle():
    """At θ = 1e-9 the entry 1/2 − H^∞_12 ≈ θ/(2π)·cos θ is visible only with an accurate θ."""
    x = np.array([1.0, 0.0])
    y = np.array([math.cos(1e-9), math.sin(1e-9)])
    ds = Dataset(np.vstack([x, y]), [0.0, 1.0])
    with mpmath.workdps(50):
        th = mpmath.atan2(mpmath.mpf(y[1]), mpmath.mpf(y[0]))  # exact data, independent route
        want = mpmath.mpf(1) / 2 - mpmath.cos(th) * (mpmath.pi - th) / (2 * mpmath.pi)
        gap = mpmath.mpf(1) / 2 - H_inf(ds, dps=50)[0, 1]
        assert abs(gap - want) < mpmath.mpf(10) ** -45
    assert float(want) == pytest.approx(1e-9 / (2 * math.pi), rel=1e-8)
    assert abs(0.5 - H_inf(ds)[0, 1] - float(want)) < 1e-16  # float64: absolute accuracy


def test_duplicates_are_legal_and_singular():
    ds = random_sphere(5, 3, 2)
    X = ds.X.copy()
    X[2] = X[0]
    dup = Dataset(X, ds.y)
    assert abs(lambda_0(dup)) < 1e-14 and abs(mu_0(dup)) < 1e-14
    assert lambda_0(ds) > 1e-4 and mu_0(ds) > 1e-4


def test_regime_split():
    ds = random_sphere(6, 5, 4)
    r = regime(ds, 1.0)
    assert r.alpha_star == pytest.approx(math.sqrt(lambda_0(ds) / mu_0(ds)))
    assert r.alpha_star > 1  # μ_0 ≤ 1/(2d) makes α* large (THEORY.md §8)
    assert r.by_paper == "G-dominated" and r.by_alpha_star == "V-dominated" and not r.agree
    assert regime(ds, 0.5).agree
    assert regime(ds, 10 * r.alpha_star).by_alpha_star == "G-dominated"
    ev = np.linalg.eigvalsh(Lambda_inf(ds, 0.7, 1.3, 0.4))[0]
    assert ev >= regime(ds, 0.7, 1.3, 0.4).lower_bound - 1e-14


def test_kernel_bad_inputs():
    ds = random_sphere(4, 3, 0)
    net = WNNetwork.init(5, 3, 1.0, 0)
    with pytest.raises(InputError, match="dps must be >= 15"):
        G_inf(ds, dps=10)
    with pytest.raises(InputError, match="unit-norm"):
        V_inf(2 * ds.X)
    with pytest.raises(InputError, match="non-finite"):
        H_inf(np.array([[np.nan, 1.0]]))
    with pytest.raises(InputError, match="expects d = 3"):
        gram_G(net, np.eye(4))
    with pytest.raises(InputError, match="alpha"):
        regime(ds, 0.0)
    with pytest.raises(InputError, match="eta_v"):
        ntk(net, ds, eta_v=-1.0)
    with pytest.raises(InputError, match="chunk"):
        gram_V(net, ds, chunk=0)


def test_memory_is_bounded_by_the_chunk():
    """Streaming over m: peak traced memory stays near O(n·chunk), far below O(n·m)."""
    import tracemalloc

    ds = random_sphere(64, 8, 1)
    net = WNNetwork.init(200_000, 8, 1.0, 2)
    tracemalloc.start()
    ntk(net, ds, chunk=4096)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 64 * 200_000 * 8 / 4  # a quarter of one dense n×m array


# ---------------------------------------------------------------------------- one home per formula

def test_unnormalized_ntk_equals_jacobian_product():
    from wnproofs.kernels import ntk_unnormalized
    from wnproofs.unnormalized import UNetwork

    ds = random_sphere(7, 4, 3)
    net = UNetwork.init(300, 4, 5)
    J = net.jacobian(ds.X)
    np.testing.assert_allclose(net.ntk(ds.X), J @ J.T, atol=1e-13)
    np.testing.assert_allclose(ntk_unnormalized(net.w, ds.X, chunk=7), J @ J.T, atol=1e-13)


def test_diagonals_are_the_formulas_at_zero():
    from fractions import Fraction

    from wnproofs.kernels import diagonal

    for d in (2, 3, 7):
        assert diagonal("H", d) == Fraction(1, 2)
        assert diagonal("G", d) == Fraction(1, 2 * d)
        assert diagonal("V", d) == Fraction(d - 1, 2 * d)


def test_sympy_form_matches_the_float_closed_form():
    import sympy as sp

    from wnproofs.kernels import kernel_of_angle, sympy_form

    th, dd = sp.symbols("theta d", positive=True)
    rng = np.random.default_rng(1)
    for w in "HGV":
        f = sp.lambdify((th, dd), sympy_form(w, th, dd), "mpmath")
        for t in rng.uniform(0.01, 3.1, 5):
            with mpmath.workdps(30):
                assert abs(float(f(mpmath.mpf(t), 5)) - kernel_of_angle(w, t, 5)) <= 1e-15


def test_matrices_symmetric_with_exact_diagonal_and_chunked_rows():
    from wnproofs.kernels import kernel_matrices

    ds = random_sphere(60, 3, 9)
    m = kernel_matrices(ds)
    for w, M in m.items():
        assert np.array_equal(M, M.T)
    assert np.all(np.diag(m["G"]) == 1 / 6) and np.all(np.diag(m["H"]) == 0.5)


def test_alpha_star_one_home():
    from wnproofs.kernels import alpha_star

    assert alpha_star(0.04, 0.01) == pytest.approx(2.0)
    assert alpha_star(0.04, 0.01, eta_v=4.0) == pytest.approx(4.0)
    assert math.isnan(alpha_star(0.0, 0.01))
    with mpmath.workdps(40):
        a = alpha_star(mpmath.mpf(2), mpmath.mpf(1))
        assert isinstance(a, mpmath.mpf) and abs(a - mpmath.sqrt(2)) < mpmath.mpf(10) ** -38
