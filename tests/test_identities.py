"""The D1-D8 checks on random instances (property level), and that they can fail."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wnproofs import random_sphere
from wnproofs.plugin import Instance
from wnproofs.outcomes import Status
from wnproofs.registry import checks_for

seeds = st.integers(0, 2**31 - 1)


def _run(name_part: str, claim: str, inst: Instance):
    (chk,) = [c for c in checks_for(claim) if name_part in c.name]
    return chk(inst)


@settings(max_examples=10, deadline=None)
@given(seed=seeds, n=st.integers(1, 5), d=st.integers(2, 4), m=st.integers(1, 5),
       alpha=st.floats(0.2, 5.0))
def test_D1_matches_mpmath_finite_differences(seed, n, d, m, alpha):
    inst = Instance(random_sphere(n, d, seed), seed, params={"m": m, "alpha": alpha})
    res = _run("d1.finite_differences", "D1", inst)
    assert res.status in (Status.HOLDS, Status.INCONCLUSIVE), res.message
    if res.status is Status.HOLDS:
        assert res.observed < 1e-10


@settings(max_examples=10, deadline=None)
@given(seed=seeds, n=st.integers(2, 6), d=st.integers(2, 5))
def test_D2_to_D5_hold_on_random_instances(seed, n, d):
    inst = Instance(random_sphere(n, d, seed), seed, params={"m": 5, "alpha": 0.6})
    for claim in ("D2", "D3", "D4", "D5"):
        for chk in checks_for(claim):
            res = chk(inst)
            assert res.status is not Status.FAILS, (claim, res.message)


def test_identity_checks_can_fail():
    """Tolerances below rounding make the identity checks report 'fails'."""
    inst = Instance(random_sphere(4, 3, 0), 0, params={"m": 5, "tol": 1e-30})
    assert _run("d1.finite_differences", "D1", inst).status is Status.FAILS
    assert _run("d2.invariance", "D2", inst).status is Status.FAILS


@pytest.mark.parametrize("claim", ["D6", "D7"])
def test_quadrature_and_monte_carlo_agree_with_closed_forms(claim):
    inst = Instance(random_sphere(5, 4, 3), 3)
    for chk in checks_for(claim):
        res = chk(inst)
        assert res.status is Status.HOLDS and res.margin > 1, res.message


@pytest.mark.parametrize("claim", ["D1", "D2", "D3", "D4", "D5"])
def test_identity_params_are_typed_and_unknown_keys_are_errors(claim):
    """Each D-module reads its knobs once into a frozen Params dataclass (issue 10)."""
    import dataclasses
    import importlib

    from wnproofs import InputError
    from wnproofs.registry import import_plugin_package

    import_plugin_package("wnproofs.checks")
    mod = importlib.import_module(f"wnproofs.checks.{claim.lower()}")
    p = mod.Params()
    assert dataclasses.is_dataclass(p) and p.m == 6 and p.alpha == 0.8
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.m = 7
    chk = getattr(mod, {"D1": "finite_differences", "D2": "invariance", "D3": "norms",
                        "D4": "gram_vs_jacobian", "D5": "loss_decay"}[claim])
    data = random_sphere(3, 3, 0)
    with pytest.raises(InputError, match=f"unknown parameter.*bogus.*{claim}"):
        chk(Instance(data, 0, params={"bogus": 1}))
    with pytest.raises(InputError, match="must be an integer"):
        chk(Instance(data, 0, params={"m": 2.5}))
    with pytest.raises(InputError, match="must be a number"):
        chk(Instance(data, 0, params={"alpha": "big"}))
