"""The empirical checks of T1-T4 and C1 (checks/theorems.py) and the envelope logic."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from wnproofs import sweep
from wnproofs.instances import default_instances
from wnproofs.plugin import Instance
from wnproofs.outcomes import Status
from wnproofs.registry import checks_for, load_plugins


@pytest.fixture(scope="module")
def insts():
    load_plugins()
    return default_instances(0)


def _fast(claim):
    return [c for c in checks_for(claim) if not c.slow and c.name.startswith("theorems.")]


@pytest.mark.parametrize("claim", ["T1", "T2", "T3", "T4", "C1"])
def test_envelope_checks_on_default_instances(claim, insts):
    sphere, adv = insts
    for chk in _fast(claim):
        r = chk(sphere)
        assert r.status is Status.HOLDS, r.message
        assert r.margin >= 1.0
        assert r.details["m"] == 2000
        r2 = chk(adv)
        assert r2.status is not Status.FAILS, r2.message
        if r2.status is Status.INCONCLUSIVE:
            assert "inconclusive" in r2.message


@pytest.fixture
def theorems_module():
    load_plugins()
    import importlib

    return importlib.import_module("wnproofs.checks._theorems")


def test_planted_violation(insts, monkeypatch, theorems_module):
    """Mutation: a floor 3x too high must fail once the width meets the (planted) threshold."""
    sphere = insts[0]
    real = sweep.data_constants

    def inflated(X):
        c = dict(real(X))
        c["lambda_0"] *= 3.0
        return c

    monkeypatch.setattr(theorems_module, "data_constants", inflated)
    monkeypatch.setattr(theorems_module, "width_threshold", lambda *a, **k: (100.0, "planted"))
    inst = Instance(sphere.data, sphere.seed, "quick", {"m": 200})
    r = importlib.import_module("wnproofs.checks.t1").gd_envelope(inst)
    assert r.status is Status.FAILS and r.margin < 1
    # the same violation below the threshold is inconclusive, not a counterexample
    monkeypatch.setattr(theorems_module, "width_threshold", lambda *a, **k: (1e9, "planted"))
    r = importlib.import_module("wnproofs.checks.t1").gd_envelope(inst)
    assert r.status is Status.INCONCLUSIVE


def test_untestable_envelope_is_inconclusive(insts):
    adv = insts[1]
    r = sweep.theorem_run("T2", adv.data.X, adv.data.y, m=200, seed=0, max_steps=500)
    assert r["testable"] is False and r["held"] is None
    assert "budget" in r["reason"]


def test_envelope_ratio_definition():
    ds = default_instances(0)[0].data
    r = sweep.theorem_run("C1", ds.X, ds.y, m=500, seed=3, return_trajectory=True)
    tr = r["trajectory"]
    s = np.arange(tr.step_residual_sq.size)
    env = (1 - r["eta"] * r["floor"]) ** s * tr.step_residual_sq[0]
    mask = (s > 0) & (env > 1e-18 * tr.step_residual_sq[0])
    assert r["worst_envelope_ratio"] == pytest.approx(np.min(env[mask] / tr.step_residual_sq[mask]))
    assert r["worst_floor_ratio"] == pytest.approx(tr.lambda_min.min() / r["floor"])
    assert r["margin"] == min(r["worst_envelope_ratio"], r["worst_floor_ratio"])


def test_scaling_checks_are_registered():
    load_plugins()
    names = {c.name for cid in ("L2", "T1", "T2", "T3", "T4") for c in checks_for(cid)}
    assert {"l2.gram_error_rate", "t2.direction_movement_scaling",
            "t1.length_movement_scaling", "t3.rate_alpha_scaling",
            "t1.regime_crossover"} <= names


def test_duplicate_inputs_do_not_meet_A1(theorems_module):
    from wnproofs.data import Dataset

    X = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    inst = Instance(Dataset(X, np.array([0.5, -0.5, 0.2])), 0, "quick", {})
    r = importlib.import_module("wnproofs.checks.t3").gf_envelope(inst)
    assert r.status is Status.HYPOTHESIS_NOT_MET
