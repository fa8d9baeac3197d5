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
