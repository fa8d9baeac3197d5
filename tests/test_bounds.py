"""Tests of wnproofs.bounds: high-precision constants, explicit thresholds (T1-T4, C1)."""

from __future__ import annotations

import json
from fractions import Fraction
import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from wnproofs import bounds, kernels
from wnproofs.data import Dataset, random_sphere
from wnproofs.errors import InputError
from wnproofs.instances import default_datasets


def _sphere(seed: int, n: int, d: int) -> Dataset:
    return random_sphere(n, d, np.random.default_rng(seed))


# -- high precision against float64 -------------------------------------------------

@given(seed=st.integers(0, 2**31 - 1), n=st.integers(2, 9), d=st.integers(2, 6))
@settings(max_examples=10)
def test_mp_lambda_agrees_with_float64(seed, n, d):
    ds = _sphere(seed, n, d)
    sep = ds.min_separation()[0]
    for mp_fn, f_fn in ((bounds.lambda_0, kernels.lambda_0), (bounds.mu_0, kernels.mu_0),
                        (bounds.lambda_H, kernels.lambda_H)):
        hi, lo = mp_fn(ds, 30), f_fn(ds)
        # float64 eigenvalues are accurate to ~ n ε ||A|| ≤ n² ε / 2 absolutely
        assert abs(float(hi) - lo) <= 1e2 * n * n * np.finfo(float).eps, (mp_fn.__name__, sep)


def test_refinement_matches_eigsy_to_50_digits():
    ds = _sphere(3, 14, 4)
    V = kernels.V_inf(ds, 60)
    a, info = bounds.lambda_min_mp(V, 50, method="refine", return_info=True)
    b = bounds.lambda_min_mp(V, 50, method="eigsy")
    assert info["method"] == "refine"
    assert abs(a - b) <= mpmath.mpf(10) ** -45


def test_refinement_on_adversarial_data():
    ds = default_datasets()[1]
    a = bounds.mu_0(ds, 50)
    b = bounds.mu_0(ds, 50, method="eigsy")
    assert abs(a - b) <= abs(b) * mpmath.mpf(10) ** -40


def test_two_formers_agree_to_45_digits():
    """Metamorphic: the Arb-built and the mpmath-built 50-digit matrices give one λ_min."""
    for ds in default_datasets():
        for fn in (bounds.lambda_0, bounds.mu_0, bounds.lambda_H):
            a, b = fn(ds, 50, former="arb"), fn(ds, 50, former="mpmath")
            assert abs(a - b) <= abs(b) * mpmath.mpf(10) ** -45


def test_lambda_H_at_least_sum():
    ds = default_datasets()[0]
    assert bounds.lambda_H(ds) >= bounds.lambda_0(ds) + bounds.mu_0(ds) - mpmath.mpf(10) ** -45


# -- thresholds -------------------------------------------------------------------------

KW = dict(alpha=0.5, y_max=1.0, d=5, dps=20)


@given(n=st.integers(2, 40), lam=st.floats(1e-4, 0.4), delta=st.floats(1e-4, 0.5))
@settings(max_examples=5, deadline=None)
def test_thresholds_monotone(n, lam, delta):
    for fn, key in ((bounds.m_V, "lambda_0"), (bounds.m_G, "mu_0")):
        base = fn(n=n, delta=delta, **{key: lam}, **KW)
        assert mpmath.isfinite(base) and base >= 1
        assert fn(n=n + 1, delta=delta, **{key: lam}, **KW) >= base
        assert fn(n=n, delta=delta / 2, **{key: lam}, **KW) >= base
        assert fn(n=n, delta=delta, **{key: lam / 2}, **KW) >= base


def test_gd_thresholds_monotone_and_above_gf():
    for fn, key in ((bounds.m_V, "lambda_0"), (bounds.m_G, "mu_0")):
        gf = fn(n=8, delta=0.05, **{key: 0.05}, **KW)
        gd = fn(n=8, delta=0.05, **{key: 0.05}, method="GD", **KW)
        assert gd >= gf
        assert fn(n=9, delta=0.05, **{key: 0.05}, method="GD", **KW) >= gd


def test_threshold_is_minimal_and_sufficient():
    res = bounds.m_V(n=6, delta=0.1, lambda_0=0.1, detail=True, **KW)
    m = res["m"]
    kw = dict(regime="V", method="GF", n=6, delta=0.1, lam=0.1, **KW)
    assert all(c["ok"] for c in bounds.width_conditions(m, **kw))
    assert not all(c["ok"] for c in bounds.width_conditions(m - 1, **kw))
    assert sum(1 for e in res["events"]) * res["delta_each"] == pytest.approx(0.1)


def test_l2_condition_matches_closed_form():
    """Two routes to the L2 width: bisection on the condition vs 32 n² log(2n²/δ')/λ²."""
    n, delta, lam = 7, 0.05, 0.08
    res = bounds.m_V(n=n, delta=delta, lambda_0=lam, detail=True, **KW)
    de = delta / len(res["events"])
    closed = mpmath.ceil(32 * n**2 * mpmath.log(2 * n**2 / mpmath.mpf(de)) / mpmath.mpf(lam) ** 2)
    got = [v for k, v in res["per_condition"].items() if k.startswith("L2")][0]
    assert abs(got - closed) <= 1


def test_leading_order_n4_scaling():
    """m_V grows like n⁴ log n at fixed λ_0 (THEORY.md T1's order, up to the log)."""
    m1 = bounds.m_V(n=100, delta=0.05, lambda_0=0.01, **KW)
    m2 = bounds.m_V(n=200, delta=0.05, lambda_0=0.01, **KW)
    assert 14 < float(m2 / m1) < 20


def test_alpha_in_v_width_only_through_delta_g():
    small = [bounds.m_V(n=8, delta=0.05, lambda_0=0.05, alpha=a, d=5, dps=20) for a in (1e-3, 1e-2, 0.1)]
    assert max(small) / min(small) < 1.01        # α-free for α ≪ 1
    assert bounds.m_V(n=8, delta=0.05, lambda_0=0.05, alpha=10.0, d=5, dps=20) > small[0]


def test_m_G_falls_with_alpha():
    ms = [bounds.m_G(n=8, delta=0.05, mu_0=0.01, alpha=a, d=5, dps=20) for a in (1.0, 2.0, 4.0)]
    assert ms[0] > ms[1] > ms[2]


def test_a1_violated_gives_inf():
    for lam in (0, -1e-3):
        assert bounds.m_V(n=5, delta=0.1, lambda_0=lam) == mpmath.inf
        assert bounds.m_G(n=5, delta=0.1, mu_0=lam) == mpmath.inf
        assert bounds.m_du(n=5, delta=0.1, lambda_H=lam) == mpmath.inf
        assert bounds.step_bound(n=5, delta=0.1, lambda_0=lam) == 0
    assert bounds.l2_width_V(5, 0.1, 0) == mpmath.inf


@pytest.mark.parametrize("bad", [0, 1, -0.1, 1.5, float("nan")])
def test_bad_delta(bad):
    with pytest.raises(InputError):
        bounds.m_V(n=5, delta=bad, lambda_0=0.1)
    with pytest.raises(InputError):
        bounds.m_du(n=5, delta=bad, lambda_H=0.1)


@pytest.mark.parametrize("bad", [0, -1.0])
def test_bad_alpha(bad):
    with pytest.raises(InputError):
        bounds.m_V(n=5, delta=0.1, lambda_0=0.1, alpha=bad)
    with pytest.raises(InputError):
        bounds.m_G(n=5, delta=0.1, mu_0=0.1, alpha=bad)
    with pytest.raises(InputError):
        bounds.step_bound(n=5, delta=0.1, mu_0=0.1, alpha=bad)


def test_bad_method_and_step_args():
    with pytest.raises(InputError):
        bounds.m_V(n=5, delta=0.1, lambda_0=0.1, method="SGD")
    with pytest.raises(InputError):
        bounds.step_bound(n=5, delta=0.1, lambda_0=0.1, mu_0=0.1)


def test_step_bound_limit_formula_and_m_dependence():
    n, lam, a = 8, 0.05, 0.5
    lim = bounds.step_bound(n=n, delta=0.05, lambda_0=lam, alpha=a, d=5)
    with mpmath.workdps(50):
        li = mpmath.mpf(lam) / a**2
        assert abs(lim - min(3 * li * a**4 / (8 * n**2 * (a**2 + 4) ** 2), 4 * a**2 / li)) < 1e-45
    finite = bounds.step_bound(n=n, delta=0.05, lambda_0=lam, alpha=a, d=5, m=10**12)
    assert finite <= lim
    assert bounds.step_bound(n=n, delta=0.05, lambda_0=lam, alpha=a, d=5, m=10**14) >= finite
    assert bounds.step_bound(n=n + 1, delta=0.05, lambda_0=lam, alpha=a, d=5) < lim


def test_gd_eta_above_step_bound_is_infinite():
    lim = bounds.step_bound(n=8, delta=0.05, mu_0=0.01, alpha=2.0, d=5)
    assert bounds.m_G(n=8, delta=0.05, mu_0=0.01, alpha=2.0, d=5, method="GD", eta=2 * lim) == mpmath.inf


def test_m_du_explicit_formula():
    """C1's explicit width against its closed form, written out here from Du et al.'s proof:
    δ' = δ/3, L2 for H (range 2), B² = (n/2 + n y²)/δ' (Markov), I_r = 2B/λ (GF) or 4B/λ (GD),
    R = √(2π) δ' λ/(16 n²) (GF; GD: the stability share 1/8 halves it), m ≥ n I_r²/R²."""
    n, delta, lam, y = 10, 0.1, 0.5, 1.0
    de = delta / 3
    B = math.sqrt((n / 2 + n * y**2) / de)
    l2 = math.ceil(16 * 2 * n**2 * math.log(2 * n**2 / de) / lam**2)
    for meth, I_r, R in (("GF", 2 * B / lam, math.sqrt(2 * math.pi) * de * lam / (16 * n**2)),
                         ("GD", 4 * B / lam, math.sqrt(2 * math.pi) * de * lam / (32 * n**2))):
        want = max(l2, math.ceil(n * I_r**2 / R**2))
        assert float(bounds.m_du(n=n, delta=delta, lambda_H=lam, y_max=y, method=meth)) == pytest.approx(want, rel=1e-12)
    assert float(bounds.step_du(n=10, lambda_H=0.5)) == pytest.approx(3 * 0.5 / (8 * 100), rel=1e-15)


def test_m_du_order_n6_delta3():
    """Θ(n⁶/(λ_H⁴ δ³)) as Du et al. state: doubling n multiplies it by 2⁶, halving δ by 2³."""
    base = bounds.m_du(n=50, delta=0.01, lambda_H=0.1)
    assert float(bounds.m_du(n=100, delta=0.01, lambda_H=0.1) / base) == pytest.approx(64, rel=1e-3)
    assert float(bounds.m_du(n=50, delta=0.005, lambda_H=0.1) / base) == pytest.approx(8, rel=1e-3)
    assert float(bounds.m_du(n=50, delta=0.01, lambda_H=0.05) / base) == pytest.approx(16, rel=1e-3)


def test_d_none_is_conservative():
    """d = None uses d = 2's χ constants, which dominate every d ≥ 2 (for the terms used)."""
    for g in (1e-6, 1e-3, 0.1, 0.5, 1.0, 2.0):
        for d in range(3, 31):
            assert bounds.chi_cdf(d, g) <= bounds.chi_cdf(None, g)
            assert bounds.chi_inv_mean(d) <= bounds.chi_inv_mean(None)
            assert bounds.chi_inv_sq_above(d, g) <= max(bounds.chi_inv_sq_above(None, g), 1)
    a = bounds.m_V(n=8, delta=0.05, lambda_0=0.05, alpha=0.5, dps=20)
    for d in (2, 3, 10):
        assert bounds.m_V(n=8, delta=0.05, lambda_0=0.05, alpha=0.5, d=d, dps=20) <= a


def test_chi_moments_against_quadrature():
    for d in (3, 5):
        dens = lambda r, d=d: r ** (d - 1) * mpmath.exp(-r * r / 2) / (2 ** (d / 2 - 1) * mpmath.gamma(d / 2))
        assert abs(bounds.chi_inv_mean(d) - mpmath.quad(lambda r: dens(r) / r, [0, mpmath.inf])) < 1e-12
        assert abs(bounds.chi_inv_sq_above(d, 0.3) - mpmath.quad(lambda r: dens(r) / r**2, [0.3, mpmath.inf])) < 1e-12
        assert abs(bounds.chi_inv_sq_below(d, 0.3) - mpmath.quad(lambda r: dens(r) / r**2, [0, 0.3])) < 1e-12
        assert abs(bounds.chi_cdf(d, 0.3) - mpmath.quad(dens, [0, 0.3])) < 1e-12


def test_l6_radii():
    r = bounds.l6_radii(4, 100, 2.0, 0.5, 0.5)
    assert [float(r[k]) for k in ("I_r", "delta_g", "R0")] == pytest.approx([8.0, 1.6, 6.4], rel=1e-15)
    assert bounds.l6_radii(4, 100, 2.0, 0.5, 0.5, method="GD")["I_r"] == 16


# -- table and CLI ------------------------------------------------------------------------

def test_bound_table_claims_and_inf_on_duplicates():
    ds = default_datasets()[0]
    rows = bounds.bound_table(ds, 0.05, 0.5, methods=("GF",))
    assert all(len(r) == 4 for r in rows)
    ids = {r[2] for r in rows}
    assert {"L1", "L2", "L3", "T3", "T4", "C1"} <= ids
    X = ds.X.copy()
    X[1] = X[0]
    dup = Dataset(X, ds.y)
    rows = bounds.bound_table(dup, 0.05, 0.5, methods=("GF",), certified=False)
    widths = [r[1] for r in rows if r[0].startswith(("m_V", "m_G", "m_du"))]
    assert widths and all(w == mpmath.inf for w in widths)


def test_cli_bounds(tmp_path, capsys):
    from wnproofs.cli import main

    out = tmp_path / "b.json"
    assert main(["bounds", "--delta", "0.05", "--alpha", "0.5", "--json", str(out), "--no-certify"]) == 0
    obj = json.loads(out.read_text())
    assert any(r["claim"] == "T3" for r in obj["rows"])
    assert main(["bounds", "--delta", "1.5"]) == 2
    assert main(["bounds", "--alpha", "0"]) == 2
    ds = default_datasets()[0]
    X = ds.X.copy()
    X[1] = X[0]
    f = tmp_path / "dup.npz"
    np.savez(f, X=X, y=ds.y)
    assert main(["bounds", "--data", str(f), "--json", str(out), "--no-certify"]) == 0
    obj = json.loads(out.read_text())
    assert [r["value"] for r in obj["rows"] if r["quantity"].startswith("m_V")][0] == "inf"
    assert "violate A1" in capsys.readouterr().err


def test_cli_plot(tmp_path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    from wnproofs.cli import main

    p = tmp_path / "w.png"
    assert main(["bounds", "--no-certify", "--plot", str(p), "--plot-n", "3", "6"]) == 0
    assert p.stat().st_size > 1000


# -- the split package and the monotone thresholds (issues 10, 11) ---------------------------

OLD_PUBLIC = ["DEFAULT_DPS", "l2_radius_V", "l2_radius_G", "l2_width_V", "l2_width_G", "l3_expected_residual_sq",
              "l3_markov_residual_sq", "l3_subgaussian_B", "l4_gaussian_prob_bound", "l4_sphere_prob_exact",
              "l4_sphere_prob_bound", "lambda_min_mp", "lambda_0", "mu_0", "lambda_H", "lambda_inf_min", "l6_radii",
              "chi_inv_mean", "chi_inv_sq_above", "chi_inv_sq_below", "chi_cdf", "width_conditions", "m_V", "m_G",
              "step_bound", "m_du", "step_du", "bound_table", "widths_vs_n", "plot_widths", "_events",
              "_solve_width", "_data_matrix"]


@pytest.mark.parametrize("name", OLD_PUBLIC)
def test_every_former_name_still_imports(name):
    import importlib

    assert callable(getattr(importlib.import_module("wnproofs.bounds"), name)) or name == "DEFAULT_DPS"


def test_chebyshev_proxy_dominates_and_makes_the_product_monotone():
    """chi_inv_sq_bar ≥ E[χ^{-2} 1{χ ≥ γ}] (a valid variance bound), and γ·chi_inv_sq_bar(γ)
    is nondecreasing in γ (the truncated moment's own product is not, for d = 2)."""
    gammas = [10.0**k for k in np.linspace(-6, 1, 40)]
    for d in (2, 3, 5, 12):
        prod = [g * bounds.chi_inv_sq_bar(d, g) for g in gammas]
        assert all(b >= a * (1 - 1e-12) for a, b in zip(prod, prod[1:]))
        with mpmath.workdps(40):          # 1/3 − (a tiny truncation) needs more than 15 digits
            for g in gammas:
                assert bounds.chi_inv_sq_bar(d, g) >= bounds.chi_inv_sq_above(d, g)
    x_e1 = [g * g * bounds.chi_inv_sq_above(2, g) for g in (0.5, 1.0, 2.0, 3.0)]
    assert x_e1[-1] < x_e1[1]                            # the truncated moment: not monotone


@given(n=st.integers(1, 30), lam=st.floats(1e-4, 0.4), delta=st.floats(1e-4, 0.5), d=st.integers(2, 8),
       method=st.sampled_from(["GF", "GD"]), regime=st.sampled_from(["V", "G"]))
@settings(max_examples=8, deadline=None)
def test_every_condition_is_nonincreasing_in_m(n, lam, delta, d, method, regime):
    """Numeric companion of the structural proof in derivations/convergence.py."""
    kw = dict(regime=regime, method=method, n=n, delta=delta, lam=lam, alpha=0.7, d=d, dps=20,
              eta=1e-9 if method == "GD" else None)
    prev = None
    for m in [10.0**k for k in range(0, 25, 2)]:
        cur = [c["lhs"] for c in bounds.width_conditions(m, **kw)]
        if prev is not None:
            assert all(b <= a * (1 + 1e-15) for a, b in zip(prev, cur))
        prev = cur


def test_lemma_composition_no_retyped_constants():
    """The thresholds' L2 condition is the lemma function, at the δ share of the events."""
    res = bounds.width_conditions(1e9, regime="V", n=6, delta=0.1, lam=0.05, d=4, dps=30)
    with mpmath.workdps(30):
        de = mpmath.mpf(0.1) / len(bounds.events("V", "GF", 4))
        assert abs(res[0]["lhs"] / bounds.l2_radius_V(6, 1e9, de, 30) - 1) < 1e-25
    assert bounds.floor_fraction("GF") == Fraction(1, 2) and bounds.floor_fraction("GD") == Fraction(5, 8)
    assert bounds.contraction_fraction() == Fraction(1, 2)
