"""Tests of wnproofs.certify: Arb closed forms and Sylvester-Gershgorin certificates (L1)."""

from __future__ import annotations

import json

import mpmath
import numpy as np
import pytest
from flint import arb
from hypothesis import given, settings, strategies as st

from wnproofs import bounds, certify, kernels
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


@given(seed=st.integers(0, 2**31 - 1), n=st.integers(2, 9), d=st.integers(2, 6))
@settings(max_examples=8, deadline=None)
def test_certificates_enclose_high_precision_values(seed, n, d):
    ds = random_sphere(n, d, np.random.default_rng(seed))
    certs = certify.certify(ds, ("lambda_0", "mu_0", "lambda_H"))
    for q, fn in (("lambda_0", bounds.lambda_0), ("mu_0", bounds.mu_0), ("lambda_H", bounds.lambda_H)):
        c = certs[q]
        hp = fn(ds, 50)
        assert c.status == certify.CERTIFIED, c.message
        assert mpmath.mpf(c.lower_bound) <= hp                       # a ≤ λ(dps = 50)
        assert abs(c.lower_bound - c.float_lambda_min) <= 1e-6 * abs(c.float_lambda_min)
        up = arb(c.upper_enclosure.split(" +/- ")[0].strip("["))
        assert float(hp) <= float(up) * (1 + 1e-12)                    # λ_min ≤ Rayleigh quotient


def test_closed_forms_contain_mpmath_values():
    ds = default_datasets()[1]                     # adversarial: near-parallel pairs
    balls = certify.closed_forms_arb(ds, 128)
    for key, fn in (("V", kernels.V_inf), ("G", kernels.G_inf), ("H", kernels.H_inf)):
        M = fn(ds, 50)
        for i in range(ds.n):
            for j in range(ds.n):
                b = balls[key][i][j]
                assert b.overlaps(arb(mpmath.nstr(M[i, j], 48), 1e-45)), (key, i, j)
                assert float(b.rad()) < 1e-30


def test_closed_forms_accurate_near_zero_and_pi():
    for antipodal in (False, True):
        ds = _merged(1e-9, antipodal=antipodal)
        balls = certify.closed_forms_arb(ds, 128)
        H = kernels.H_inf(ds, 40)
        assert abs(float(balls["H"][0][1].mid()) - float(H[0, 1])) < 1e-25
        assert float(balls["H"][0][1].rad()) < 1e-20


def test_near_antipodal_pair_certifies():
    c = certify.certify(_merged(1e-4, antipodal=True), ("lambda_0", "mu_0"))
    assert all(v.status == certify.CERTIFIED for v in c.values())


def test_exact_antipodal_pair_is_not_singular():
    """A1 excludes x_j = −x_i, but one antipodal pair leaves V^∞, G^∞ nonsingular
    (σ(z) − σ(−z) = z is linear: singularity needs d + 1 such pairs or a duplicate)."""
    ds = _merged(0.0, n=8, d=5, seed=3, antipodal=True)
    assert not ds.satisfies_A1
    balls = certify.closed_forms_arb(ds, 128)
    assert all(float(balls[k][0][1].rad()) < 1e-15 for k in "HGV")
    c = certify.certify(ds, ("lambda_0", "mu_0"))
    assert all(v.status == certify.CERTIFIED and v.lower_bound > 0 for v in c.values())


def test_low_precision_is_inconclusive_with_next_precision():
    ds = _merged(1e-6)
    c = certify.certify_mu_0(ds, prec=24)
    assert c.status == certify.INCONCLUSIVE
    assert c.next_prec == 48
    prec = c.next_prec
    while c.status == certify.INCONCLUSIVE and prec <= 512:
        c = certify.certify_mu_0(ds, prec=prec)
        prec = c.next_prec or 2 * prec
    assert c.status == certify.CERTIFIED and c.prec <= 512
    assert c.lower_bound > 0


def test_duplicate_data_is_not_certified_and_null_vector_is():
    ds = default_datasets()[0]
    X = ds.X.copy()
    X[3] = X[5]
    dup = Dataset(X, ds.y)
    certs = certify.certify(dup, ("lambda_0", "mu_0"))
    assert all(c.status != certify.CERTIFIED for c in certs.values())
    assert certify.duplicate_pairs(dup) == [(3, 5)]
    nv = certify.null_vector_certificate(dup, 3, 5)
    assert nv["certified"]
    assert not certify.null_vector_certificate(ds, 3, 5)["certified"]


def test_certificate_is_json_serialisable_and_names_the_data():
    ds = default_datasets()[0]
    c = certify.certify_lambda_0(ds)
    obj = json.loads(json.dumps(c.to_dict()))
    assert obj["data_sha256"] == ds.sha256()
    assert obj["status"] == "certified" and obj["prec"] == 128
    assert obj["lower_bound_exact"].count("/") == 1
    from fractions import Fraction

    assert float(Fraction(obj["lower_bound_exact"])) == obj["lower_bound"]
    assert "idealised" in obj["about"]


def test_array_input_and_refutation():
    ds = default_datasets()[0]
    Af = kernels.V_inf(ds)
    balls = certify.closed_forms_arb(ds.X, 128)["V"]
    lam = float(np.linalg.eigvalsh(Af)[0])
    assert certify.certify_min_eig(balls, Af, lam * 0.5)["status"] == certify.CERTIFIED
    assert certify.certify_min_eig(balls, Af, lam * 1.5)["status"] == certify.FAILED


@pytest.mark.parametrize("kw", [dict(prec=1), dict(rel_gap=0), dict(rel_gap=1.0), dict(rel_gap="x")])
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


@pytest.mark.slow
def test_certify_n1000_within_1e6():
    ds = random_sphere(1000, 10, np.random.default_rng(1))
    certs = certify.certify(ds)
    for c in certs.values():
        assert c.status == certify.CERTIFIED
        assert c.float_lambda_min - c.lower_bound <= 1e-6 * c.float_lambda_min
