"""The public Hypothesis strategies of :mod:`wnproofs.strategies`."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wnproofs import strategies as wst
from wnproofs.data import Dataset
from wnproofs.model import WNNetwork
from wnproofs.plugin import Instance


@given(wst.datasets())
def test_datasets_are_unit_and_satisfy_A1(ds):
    assert isinstance(ds, Dataset)
    assert 1 <= ds.n <= 10 and 2 <= ds.d <= 8
    assert np.allclose(np.linalg.norm(ds.X, axis=1), 1.0, atol=1e-12)
    assert ds.satisfies_A1


@given(wst.sphere_data(n=st.just(4), d=st.just(3)))
def test_shape_strategies_are_respected(ds):
    assert (ds.n, ds.d) == (4, 3)


@given(wst.adversarial_data(n=st.integers(3, 6), d=st.just(4)))
def test_adversarial_has_a_near_parallel_pair(ds):
    sep, _, _ = ds.min_separation()
    assert 0 < sep <= 0.5 + 1e-12


@given(wst.networks(d=3, m=st.integers(1, 50)))
def test_networks_at_initialization(net):
    assert isinstance(net, WNNetwork) and net.d == 3 and 1 <= net.m <= 50
    assert np.allclose(net.s, 1.0, rtol=1e-13)          # s_k(0) = α g_k/||v_k|| = 1
    assert set(np.unique(net.c)) <= {-1.0, 1.0}


@given(wst.perturbed_networks(d=4))
def test_perturbed_networks_keep_positive_lengths(pair):
    net0, net1 = pair
    assert net0.m == net1.m and np.all(net1.g > 0)
    assert np.allclose(net0.alpha * net0.g / net0.v_norms, 1.0)


@given(wst.log_floats(1e-3, 10.0))
def test_log_floats_in_range(x):
    assert 1e-3 * (1 - 1e-12) <= x <= 10.0 * (1 + 1e-12)


def test_log_floats_rejects_bad_range():
    with pytest.raises(ValueError):
        wst.log_floats(0.0, 1.0)


@given(wst.instances(params=wst.l5_params()))
def test_instances_round_trip_through_json(inst):
    assert isinstance(inst, Instance)
    obj = json.loads(json.dumps(inst.to_dict()))
    back = Instance.from_dict(obj)
    assert back.seed == inst.seed and dict(back.params) == dict(inst.params)
    assert np.array_equal(back.data.X, inst.data.X) and np.array_equal(back.data.y, inst.data.y)


@pytest.mark.parametrize("strategy", [wst.l2_params(), wst.l3_params(), wst.l4_params(),
                                      wst.l5_params(), wst.l6_params()])
@settings(max_examples=10)
@given(data=st.data())
def test_param_strategies_are_json_ready(strategy, data):
    p = data.draw(strategy)
    assert json.loads(json.dumps(p)) == p


@given(wst.seeds())
def test_same_seed_same_objects(seed):
    """Objects are functions of the drawn seed: replaying the seed rebuilds them exactly."""
    from wnproofs.data import random_sphere

    a, b = random_sphere(5, 3, seed), random_sphere(5, 3, seed)
    assert np.array_equal(a.X, b.X)
    n1, n2 = WNNetwork.init(7, 3, 0.5, seed), WNNetwork.init(7, 3, 0.5, seed)
    assert np.array_equal(n1.v, n2.v) and np.array_equal(n1.c, n2.c)


@settings(max_examples=5, deadline=None)
@given(wst.instances(params=wst.l5_params(m=st.integers(1, 30))))
def test_a_check_replays_identically_from_json(inst):
    from wnproofs.replay import find_check

    chk = find_check("L5", "l5.gram_stability")
    again = Instance.from_dict(json.loads(json.dumps(inst.to_dict())))
    assert chk(inst).to_dict() == chk(again).to_dict()
