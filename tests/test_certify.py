"""Tests of wnproofs.certify: the Cholesky route, the Arb route, and `wnproofs certify` (L1, C1)."""

from __future__ import annotations

import json
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from flint import arb
from hypothesis import given, settings, strategies as st

from wnproofs import bounds, certify, kernels
from wnproofs.cli import main
from wnproofs.data import Dataset, random_sphere
from wnproofs.errors import InputError
from wnproofs.instances import default_datasets


def _merged(theta: float, n: int = 6, d: int = 4, seed: int = 0, antipodal: bool = False) -> Dataset:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    t = rng.standard_normal(d)
    t -= (t @ X[0]) * X[0]
    t /= np.linalg.norm(t)
    x1 = np.cos(theta) * X[0] + np.sin(theta) * t
    X[1] = -x1 if antipodal else x1
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    return Dataset(X, np.ones(n))


# ----------------------------------------------------------------------------- Arb route

@given(seed=st.integers(0, 2**31 - 1), n=st.integers(2, 9), d=st.integers(2, 6))
@settings(max_examples=6, deadline=None)
def test_arb_certificates_enclose_high_precision_values(seed, n, d):
    ds = random_sphere(n, d, np.random.default_rng(seed))
    certs = certify.certify(ds, ("lambda_0", "mu_0", "lambda_H"), method="arb")
    for q, fn in (("lambda_0", bounds.lambda_0), ("mu_0", bounds.mu_0), ("lambda_H", bounds.lambda_H)):
        c = certs[q]
        hp = fn(ds, 50)
        assert c.status == certify.CERTIFIED, c.message
        assert mpmath.mpf(c.lower_bound) <= hp                       # a ≤ λ(dps = 50)
        assert abs(c.lower_bound - c.float_lambda_min) <= 1e-6 * abs(c.float_lambda_min)
        up = arb(c.details["upper_enclosure"].split(" +/- ")[0].strip("["))
        assert float(hp) <= float(up) * (1 + 1e-12)                    # λ_min ≤ Rayleigh quotient


def test_arb_balls_contain_mpmath_values():
    ds = default_datasets()[1]                     # adversarial: near-parallel pairs
    balls = certify.closed_forms_arb(ds, 128)
    for key in "VGH":
        M = kernels.kernel_matrices_mp(ds, 50, (key,))[key]
        for i in range(ds.n):
            for j in range(ds.n):
                b = balls[key][i][j]
                assert b.overlaps(arb(mpmath.nstr(M[i, j], 48), 1e-45)), (key, i, j)
                assert float(b.rad()) < 1e-30


def test_low_precision_is_not_certified_with_next_precision():
    ds = _merged(1e-6)
    c = certify.certify_mu_0(ds, prec=24, method="arb")
    assert c.status == certify.NOT_CERTIFIED
    assert c.details["next_prec"] == 48
    prec = 48
    while not c.certified and prec <= 512:
        c = certify.certify_mu_0(ds, prec=prec, method="arb")
        prec = 2 * prec
    assert c.certified and c.lower_bound > 0


def test_shift_too_high_is_not_a_disproof():
    ds = default_datasets()[0]
    Af = kernels.V_inf(ds)
    balls = certify.closed_forms_arb(ds.X, 128)["V"]
    lam = float(np.linalg.eigvalsh(Af)[0])
    assert certify.certify_min_eig(balls, Af, lam * 0.5)["certified"]
    r = certify.certify_min_eig(balls, Af, lam * 1.5)
    assert not r["certified"] and r["shift_too_high"]


def test_below_float64_resolution_uses_a_higher_precision_shift():
    """μ_0 ≈ θ²·const for a pair at θ = 1e-9: far below float64 resolution (~1e-15), yet A1
    holds.  The Arb route takes its shift from the refined 38-digit eigenpair."""
    ds = _merged(1e-9)
    assert ds.satisfies_A1
    c = certify.certify_mu_0(ds)                     # auto: Arb at this n
    hp = bounds.mu_0(ds, 50)
    assert c.certified, c.message
    assert c.details["shift_source"].endswith("refined eigenpair")
    assert 0 < c.lower_bound <= hp and float(hp) < 1e-15
    assert c.lower_bound >= float(hp) * (1 - 1e-6)
    assert "A1" not in c.message


# ----------------------------------------------------------------------------- Cholesky route

def test_eb_entries_enclose_the_70_digit_values():
    """Every float entry of kernel_matrices_eb lies within its own bound of the exact value,
    and the bounds are not vacuous (some entry uses more than 1/30 of its bound)."""
    X = np.vstack([_merged(1e-9, 5, 4, 1).X, _merged(1e-7, 5, 4, 2, antipodal=True).X,
                   random_sphere(8, 4, 3).X, _merged(0.3, 4, 4, 5, antipodal=True).X])
    n, d = X.shape
    mats, rad = kernels.kernel_matrices_eb(X, ("V", "G", "H"), radii=True)
    _, sums = kernels.kernel_matrices_eb(X, ("V", "G", "H"))
    ref = kernels.kernel_matrices_mp(X, 70, ("V", "G", "H"))
    worst = 0.0
    for w in "VGH":
        A = mats[w]
        assert np.array_equal(A, A.T)
        err = np.array([[abs(float(ref[w][i, j] - mpmath.mpf(A[i, j]))) for j in range(n)] for i in range(n)])
        assert np.all(err <= rad[w]), w
        assert np.all(rad[w].sum(axis=1) <= sums[w])
        off = ~np.eye(n, dtype=bool)
        worst = max(worst, float(np.max(err[off] / rad[w][off])))
    assert worst > 1 / 30


def test_cholesky_route_agrees_with_arb_and_encloses_truth():
    ds = random_sphere(90, 6, np.random.default_rng(4))
    ch = certify.certify(ds, ("lambda_0", "mu_0", "lambda_H"), method="cholesky")
    ab = certify.certify(ds, ("lambda_0", "mu_0", "lambda_H"), method="arb")
    for q, fn in (("lambda_0", bounds.lambda_0), ("mu_0", bounds.mu_0), ("lambda_H", bounds.lambda_H)):
        hp = fn(ds, 30)
        assert ch[q].certified and ab[q].certified
        assert ch[q].method == "cholesky" and ab[q].method == "arb"
        assert ch[q].lower_bound <= float(hp) and ab[q].lower_bound <= float(hp)
        assert ch[q].lower_bound >= float(hp) * (1 - 1e-6)


def test_cholesky_criterion_rejects_an_indefinite_matrix():
    """The criterion must be able to fail: a matrix with λ_min < 0 never factors, and a
    shift above λ_min is refused."""
    rng = np.random.default_rng(0)
    Q, _ = np.linalg.qr(rng.standard_normal((80, 80)))
    A = Q @ np.diag(np.linspace(1e-3, 1, 80)) @ Q.T
    A = (A + A.T) / 2
    ok = certify.certify_shift(A, 0.0, 1e-3)
    assert ok["certified"] and 0.99e-3 < ok["lower"] < 1e-3
    bad = certify.certify_shift(A, 0.0, 2e-3, tries=1)    # estimate above λ_min: refused
    assert not bad["certified"]
    assert certify.smallest_eigenvalue(A - 2e-3 * np.eye(80)) is None


def test_rounding_shift_matches_the_theorem():
    c = certify.rounding_shift(100.0, 0.5, 4000)
    g = 4001 * 2.0**-53 / (1 - 4001 * 2.0**-53)
    assert g / (1 - g) * 100 <= c <= g / (1 - g) * 100 * (1 + 1e-12)


def test_duplicate_data_is_hypothesis_not_met_and_null_vector_is_exact():
    ds = default_datasets()[0]
    X = ds.X.copy()
    X[3] = X[5]
    dup = Dataset(X, ds.y)
    for method in ("arb", "cholesky"):
        certs = certify.certify(dup, ("lambda_0", "mu_0"), method=method)
        assert all(c.status == certify.HYPOTHESIS_NOT_MET for c in certs.values())
        assert all("identical" in c.message for c in certs.values())
    assert certify.duplicate_pairs(dup) == [(3, 5)]
    assert certify.null_vector_certificate(dup, 3, 5)["certified"]
    assert not certify.null_vector_certificate(ds, 3, 5)["certified"]


def test_exact_antipodal_pair_is_not_singular():
    """A1 excludes x_j = −x_i, but one antipodal pair leaves V^∞, G^∞ nonsingular: the
    bound is certified; the status says the hypothesis is unmet only when nothing is."""
    ds = _merged(0.0, n=8, d=5, seed=3, antipodal=True)
    assert not ds.satisfies_A1
    c = certify.certify(ds, ("lambda_0", "mu_0"))
    assert all(v.status == certify.CERTIFIED and v.lower_bound > 0 for v in c.values())


def test_about_exact_scales_by_the_row_norms():
    ds = random_sphere(7, 4, 5)
    X = ds.X * (1 + 1e-11 * np.arange(7))[:, None]
    unit = certify.certify_mu_0(X)
    exact = certify.certify_mu_0(X, about="exact")
    assert exact.about == "exact" and exact.certified
    assert exact.lower_bound < unit.lower_bound <= exact.lower_bound * (1 + 1e-9)


def test_certificate_json_and_summary():
    ds = default_datasets()[0]
    c = certify.certify_lambda_0(ds)
    obj = json.loads(json.dumps(c.to_dict()))
    assert obj["data_sha256"] == ds.sha256()
    assert obj["status"] == "certified" and obj["prec"] == 128
    assert float(Fraction(obj["lower_bound_exact"])) == obj["lower_bound"]
    assert "unit rows" in obj["about_text"]
    assert set(c.summary()) == {"status", "lower", "float", "method", "seconds"}


@pytest.mark.parametrize("kw", [dict(prec=1), dict(rel_gap=0), dict(rel_gap=1.0), dict(rel_gap="x"),
                                dict(method="qr"), dict(about="rows")])
def test_bad_input(kw):
    with pytest.raises(InputError):
        certify.certify(default_datasets()[0], **kw)


def test_bad_quantity_and_indices():
    with pytest.raises(InputError):
        certify.certify(default_datasets()[0], ("nu_0",))
    with pytest.raises(InputError):
        certify.null_vector_certificate(default_datasets()[0], 0, 0)
    with pytest.raises(InputError):
        certify.null_vector_certificate(default_datasets()[0], 0, 99)


# ----------------------------------------------------------------------------- command line

def _npz(tmp_path, X, name="d.npz"):
    f = tmp_path / name
    np.savez(f, X=X, y=np.zeros(len(X)))
    return f


def test_cli_certify_json(tmp_path, capsys):
    f = _npz(tmp_path, random_sphere(70, 5, 1).X)
    out = tmp_path / "c.json"
    assert main(["certify", "--data", str(f), "--json", str(out)]) == 0
    doc = json.loads(out.read_text())
    for q in ("lambda_0", "mu_0", "lambda_H"):
        assert set(doc[q]) == {"status", "lower", "float", "method", "seconds"}
        assert doc[q]["status"] == "certified" and doc[q]["method"] == "cholesky"
        assert 0 < doc[q]["lower"] <= doc[q]["float"]
    assert "unit rows" in doc["about"]
    assert "certified" in capsys.readouterr().out


def test_cli_certify_method_arb_and_exit_codes(tmp_path, capsys):
    f = _npz(tmp_path, random_sphere(6, 4, 2).X)
    assert main(["certify", "--data", str(f), "--method", "arb", "--quantities", "mu_0"]) == 0
    X = random_sphere(6, 4, 2).X.copy()
    X[1] = X[0]
    g = _npz(tmp_path, X, "dup.npz")
    assert main(["certify", "--data", str(g)]) == 1          # not certified: exit 1
    assert "hypothesis not met" in capsys.readouterr().out


@pytest.mark.parametrize("argv,flag", [
    (["certify", "--data", "/nonexistent.npz"], "--data"),
    (["certify"], "--data"),
    (["certify", "--data", "X", "--prec", "1"], "--prec"),
    (["certify", "--data", "X", "--quantities", "nu"], "--quantities"),
])
def test_cli_certify_bad_input_names_the_flag(tmp_path, capsys, argv, flag):
    f = _npz(tmp_path, random_sphere(5, 3, 0).X)
    argv = [str(f) if a == "X" else a for a in argv]
    with pytest.raises(SystemExit) as e:
        code = main(argv)
        raise SystemExit(code)
    assert e.value.code == 2
    assert flag in capsys.readouterr().err


@pytest.mark.slow
def test_certify_n1000_within_1e6():
    ds = random_sphere(1000, 10, np.random.default_rng(1))
    certs = certify.certify(ds)
    for c in certs.values():
        assert c.certified and c.method == "cholesky"
        assert c.float_lambda_min - c.lower_bound <= 1e-6 * c.float_lambda_min


def test_auto_falls_back_to_arb_below_the_cholesky_resolution():
    """n > ARB_AUTO_N with a pair at 1e-9: μ_0 ≈ 6e-21 is far below the Cholesky route's
    resolution; auto certifies it with the Arb route and a high-precision shift."""
    from wnproofs import angles

    X = random_sphere(70, 6, 3).X.copy()
    X[:2] = angles.unit_pair(1e-9, 6, np.random.default_rng(1))
    c = certify.certify_mu_0(Dataset(X, np.zeros(70)))
    assert c.certified and c.method == "arb" and 0 < c.lower_bound < 1e-19
