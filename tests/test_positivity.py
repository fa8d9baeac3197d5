"""Tests of the L1 checks (checks/l1.py) through the registry."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from wnproofs.data import Dataset, adversarial, random_sphere
from wnproofs.instances import default_instances
from wnproofs.plugin import Instance
from wnproofs.outcomes import Level, Status
from wnproofs.registry import checks_for, load_plugins

load_plugins()
L1 = {c.name.split(".")[-1]: c for c in checks_for("L1")}


def test_registered():
    assert {"certified_positive", "duplicate_singular", "monotone_merge"} <= set(L1)
    assert L1["certified_positive"].level is Level.CERTIFIED


@pytest.mark.parametrize("k", [0, 1])
def test_default_instances_hold_fast(k):
    inst = default_instances()[k]
    for c in L1.values():
        t = time.perf_counter()
        r = c(inst)
        assert time.perf_counter() - t < 2.0
        assert r.status is Status.HOLDS, (c.name, r.message)
        assert r.to_dict()["claim"] == "L1"


def test_duplicate_data_hypothesis_not_met():
    ds = default_instances()[0].data
    X = ds.X.copy()
    X[4] = X[2]
    inst = Instance(Dataset(X, ds.y))
    assert L1["certified_positive"](inst).status is Status.HYPOTHESIS_NOT_MET
    assert L1["duplicate_singular"](inst).status is Status.HOLDS


def test_low_precision_is_inconclusive_not_holds():
    ds = adversarial(6, 4, 3, eps=1e-6)
    r = L1["certified_positive"](Instance(ds, params={"prec": 16}))
    assert r.status is Status.INCONCLUSIVE
    assert "prec=" in r.message


@given(seed=st.integers(0, 2**31 - 1), n=st.integers(2, 8), d=st.integers(2, 6),
       adv=st.booleans())
@settings(max_examples=8, deadline=None)
def test_never_fails_on_random_instances(seed, n, d, adv):
    ds = adversarial(max(n, 2), d, seed, eps=1e-3) if adv else random_sphere(n, d, seed)
    inst = Instance(ds, seed)
    for c in L1.values():
        r = c(inst)
        assert r.status is not Status.FAILS, (c.name, r.message)


# ---------------------------------------------------------------------------- typed parameters

def test_unknown_parameter_is_an_error_naming_the_known_ones():
    from wnproofs.errors import InputError

    inst = Instance(default_instances()[0].data, params={"precision": 64})
    with pytest.raises(InputError, match="prec"):
        L1["certified_positive"](inst)
    with pytest.raises(InputError, match="integer|int"):
        L1["certified_positive"](Instance(default_instances()[0].data, params={"prec": "many"}))


def test_cholesky_route_through_the_check():
    ds = random_sphere(80, 6, 3)
    r = L1["certified_positive"](Instance(ds, params={"method": "cholesky"}))
    assert r.status is Status.HOLDS and "cholesky" in r.message


def test_d3_decided_on_standardized_real_like_data():
    """D3 no longer depends on integrating across ReLU kinks: on data with many kinks the GF
    half is decided by the tangency ⟨v_k, ∇_{v_k} L⟩ = 0 at every state."""
    D3 = {c.name.split(".")[-1]: c for c in checks_for("D3")}["norms"]
    rng = np.random.default_rng(0)
    X = rng.standard_normal((120, 10)) * rng.uniform(0.1, 3, 10)
    X = (X - X.mean(0)) / X.std(0)
    ds = Dataset(X, np.sign(rng.standard_normal(120)), normalize=True)
    r = D3(Instance(ds, 1, params={"max_evals": 50}))          # integration certainly cut short
    assert r.status is Status.HOLDS, r.message
    assert r.details["gf_tangency"] <= 1e-12 and not r.details["gf_solved"]
