"""Lemma checks L2-L6 (issue 5): default instances, property tests, the statistics behind them.

Property tests draw instances from :mod:`wnproofs.strategies`; a failure is shrunk by
Hypothesis, printed with its seed and parameters, and saved as JSON into
``$WNPROOFS_FAILURES_DIR`` (default ``.wnproofs-failures/``) by
:func:`wnproofs.replay.run_recorded`; ``wnproofs replay FILE`` reruns it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest

from wnproofs import strategies as wst
from wnproofs.data import random_sphere
from wnproofs.instances import default_instances
from wnproofs.model import WNNetwork
from wnproofs.plugin import Instance
from wnproofs.outcomes import Kind, Level, Status, compare
from wnproofs.registry import load_plugins
from wnproofs.replay import find_check, run_recorded
from wnproofs.stats import (
    cp_interval,
    cp_lower,
    cp_upper,
    identity_rate_test,
    rate_test,
    tightest,
)

load_plugins()

MY_CHECKS = [
    ("L2", "l2.radii_frequency"),
    ("L2", "l2.exact_tail"),
    ("L3", "l3.residual_frequency"),
    ("L3", "l3.exact_tail"),
    ("L4", "l4.sphere_flips"),
    ("L4", "l4.gaussian_flips"),
    ("L4", "l4.flip_implication"),
    ("L5", "l5.gram_stability"),
    ("L6", "l6.gradient_flow"),
    ("L6", "l6.gradient_descent"),
    ("L6", "l6.sharp_instance"),
]


# --------------------------------------------------------------------- registration

@pytest.mark.parametrize("claim,name", MY_CHECKS)
def test_registered(claim, name):
    chk = find_check(claim, name)
    assert chk.claim == claim and chk.doc and chk.level in (Level.PROPERTY, Level.NUMERIC)


@pytest.mark.parametrize("claim,name", MY_CHECKS)
def test_holds_on_default_instances(claim, name):
    """Every lemma check holds (never merely inconclusive) on the built-in quick instances."""
    chk = find_check(claim, name)
    for inst in default_instances(0, "quick"):
        res = chk(inst)
        assert res.status is Status.HOLDS, res.message
        assert res.margin is not None and res.margin > 1.0
        assert res.to_dict()["claim"] == claim


# --------------------------------------------------------------------- statistics

@pytest.mark.parametrize("k,n", [(0, 1), (0, 200), (1, 10), (7, 50), (50, 50), (13724, 20000)])
def test_cp_matches_scipy_exact_interval(k, n):
    lo, hi = cp_interval(k, n, 0.95)
    ci = binomtest(k, n).proportion_ci(0.95, method="exact")
    assert lo == pytest.approx(ci.low, abs=1e-12) and hi == pytest.approx(ci.high, abs=1e-12)


def test_cp_zero_failures_closed_form():
    c = 1 - 1e-6
    assert cp_upper(0, 200, c) == pytest.approx(1 - (1e-6) ** (1 / 200), rel=1e-12)
    assert cp_lower(0, 200, c) == 0.0 and cp_upper(200, 200, c) == 1.0


@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
@settings(max_examples=30)
def test_cp_bounds_bracket_rate(kn):
    k, n = kn
    assert cp_lower(k, n) <= k / n <= cp_upper(k, n)
    assert cp_upper(k, n, 0.99) <= cp_upper(k, n, 1 - 1e-6)


def test_rate_test_verdicts():
    assert rate_test(0, 200, 0.1).status is Status.HOLDS
    assert rate_test(0, 100, 0.05).status is Status.INCONCLUSIVE   # cannot vouch for δ = 0.05
    assert rate_test(200, 200, 0.1).status is Status.FAILS
    assert rate_test(15, 100, 0.1).status is Status.INCONCLUSIVE   # above δ, not significantly
    t = rate_test(0, 1000, 0.1)
    assert t.margin == pytest.approx(0.1 / t.upper) and math.isfinite(t.margin)
    assert identity_rate_test(500, 1000, 0.5).status is Status.HOLDS
    assert identity_rate_test(900, 1000, 0.5).status is Status.FAILS


def test_rate_test_false_alarm_rate_is_small():
    """Draw failures at exactly the rate δ many times: "fails" must (essentially) never occur."""
    rng = np.random.default_rng(0)
    ks = rng.binomial(200, 0.1, size=2000)
    assert not any(rate_test(int(k), 200, 0.1).status is Status.FAILS for k in ks)


def test_tightest_prefers_failure_then_smallest_margin():
    a = compare("L5", Kind.UPPER, Level.PROPERTY, 1.0, 4.0, message="a")
    b = compare("L5", Kind.UPPER, Level.PROPERTY, 1.0, 2.0, message="b")
    c = compare("L5", Kind.UPPER, Level.PROPERTY, 3.0, 2.0, message="c")
    assert tightest([a, b]).message == "b"
    assert tightest([a, b, c]).status is Status.FAILS
    assert len(tightest([a, b, c]).details["parts"]) == 3


# --------------------------------------------------------------------- L5 mathematics

def test_l5_bound_is_sharp_for_lengths_alone():
    """One neuron, only its length moves, x ⟂ u active: ΔV_ii → (2ρ + ρ²), the bound."""
    from wnproofs.checks._stability import gram_change

    u = np.array([[1.0, 0.0]])
    net0 = WNNetwork(v=u, g=np.array([1.0]), c=np.array([1.0]), alpha=1.0)
    X = np.array([[1e-9, 1.0]])
    X = X / np.linalg.norm(X, axis=1, keepdims=True)
    net1 = net0.replace(g=np.array([1.3]))
    ch = gram_change(net0, net1, X)
    assert ch.dV[0, 0] <= ch.BV[0, 0] + 1e-12
    assert ch.dV[0, 0] / ch.BV[0, 0] == pytest.approx(1.0, abs=1e-12)


def test_l5_holds_for_negative_lengths_and_reports_the_jacobian_form():
    """L5 is about THEORY's G (σ(⟨u_k,x⟩) form), which ignores the sign of g_k: it holds with
    negative lengths; J_g J_gᵀ differs then (D4's hypothesis g_k > 0) and is reported beside it."""
    chk = find_check("L5", "l5.gram_stability")
    ds = random_sphere(3, 2, 7)
    pos = Instance(ds, 11, "quick", {"m": 1, "alpha": 6.0, "eps_g": 1.5, "l5_modes": ["lengths"]})
    neg = Instance(ds, 11, "quick", {"m": 1, "eps_g": -1.5, "l5_modes": ["lengths"]})
    assert chk(pos).status is Status.HOLDS and "jacobian_form" not in chk(pos).details
    res = chk(neg)
    assert res.status is Status.HOLDS
    assert res.details["modes"]["lengths"]["negative_lengths"] == 1
    assert all(j["status"] == Status.HYPOTHESIS_NOT_MET.value for j in res.details["jacobian_form"])


def test_l5_theory_form_differs_from_jacobian_with_negative_lengths():
    """The two Gram forms agree while g_k > 0 and differ once a length is negative."""
    from wnproofs.checks._stability import gram_change

    rng = np.random.default_rng(4)
    X = random_sphere(4, 3, 2).X
    net0 = WNNetwork.init(5, 3, 1.0, rng)
    same = gram_change(net0, net0.replace(g=net0.g * 1.1), X, "theory")
    same_j = gram_change(net0, net0.replace(g=net0.g * 1.1), X, "jacobian")
    assert np.allclose(same.dG, same_j.dG) and np.allclose(same.dV, same_j.dV)
    flipped = net0.replace(g=-net0.g)
    th, jac = gram_change(net0, flipped, X, "theory"), gram_change(net0, flipped, X, "jacobian")
    assert np.max(th.dG) < 1e-12 < np.max(jac.dG)      # directions unchanged: G unchanged


def test_unknown_parameter_is_an_error():
    from wnproofs.errors import InputError

    inst = Instance(random_sphere(3, 2, 0), 0, "quick", {"l2_factr": 0.5})
    with pytest.raises(InputError, match="l2_factr"):
        from wnproofs.checks.l2 import Params
        Params.from_instance(inst)


# --------------------------------------------------------------------- property tests

@given(wst.instances(params=wst.l5_params()))
@settings(deadline=None)
def test_l5_property(inst):
    res = run_recorded(find_check("L5", "l5.gram_stability"), inst, note="test_l5_property")
    assert res.status in (Status.HOLDS, Status.HYPOTHESIS_NOT_MET), res.message


@given(wst.instances(data=wst.datasets(n=st.integers(2, 8), d=st.integers(2, 6)),
                     params=wst.l4_params()))
@settings(deadline=None)
def test_l4_flip_implication_property(inst):
    res = run_recorded(find_check("L4", "l4.flip_implication"), inst,
                       note="test_l4_flip_implication_property")
    assert res.status in (Status.HOLDS, Status.INCONCLUSIVE), res.message


@given(wst.instances(data=wst.datasets(n=st.integers(1, 8), d=st.integers(2, 8)),
                     params=wst.l4_params()))
@settings(deadline=None)
def test_l4_probabilities_property(inst):
    for name in ("l4.sphere_flips", "l4.gaussian_flips"):
        res = run_recorded(find_check("L4", name), inst, note="test_l4_probabilities_property")
        assert res.status is not Status.FAILS


@given(wst.instances(data=wst.datasets(n=st.integers(1, 8), d=st.integers(2, 6)),
                     params=wst.l2_params()))
@settings(deadline=None)
def test_l2_property(inst):
    res = run_recorded(find_check("L2", "l2.radii_frequency"), inst, note="test_l2_property")
    assert res.status is not Status.FAILS


@given(wst.instances(data=wst.datasets(n=st.integers(1, 8), d=st.integers(2, 6)),
                     params=wst.l3_params()))
@settings(deadline=None)
def test_l3_property(inst):
    res = run_recorded(find_check("L3", "l3.residual_frequency"), inst, note="test_l3_property")
    assert res.status is not Status.FAILS


@given(wst.instances(data=wst.datasets(n=st.integers(2, 6), d=st.integers(2, 6)),
                     params=wst.l6_params()))
@settings(deadline=None)
def test_l6_gradient_descent_property(inst):
    res = run_recorded(find_check("L6", "l6.gradient_descent"), inst,
                       note="test_l6_gradient_descent_property")
    assert res.status is not Status.FAILS, res.message


@given(wst.instances(data=wst.sphere_data(n=st.integers(2, 5), d=st.integers(3, 6)),
                     params=wst.l6_params(m=st.integers(5, 60))))
@settings(deadline=None, max_examples=10)
def test_l6_gradient_flow_property(inst):
    res = run_recorded(find_check("L6", "l6.gradient_flow"), inst,
                       note="test_l6_gradient_flow_property")
    assert res.status is not Status.FAILS, res.message


@pytest.mark.slow
@given(wst.instances(params=wst.l5_params(m=st.integers(1, 20))))
@settings(deadline=None, max_examples=2000)
def test_l5_property_thorough(inst):
    res = run_recorded(find_check("L5", "l5.gram_stability"), inst, note="test_l5_property_thorough")
    assert res.status in (Status.HOLDS, Status.HYPOTHESIS_NOT_MET), res.message


def test_l6_discrete_factor_at_least_one():
    """The GD analogue of L6 needs κη/(1 − e^{−κη}) ≥ 1 times the GF bound (module docstring)."""
    chk = find_check("L6", "l6.gradient_descent")
    res = chk(default_instances(0, "quick")[0])
    assert res.details["discrete_factor"] >= 1.0
