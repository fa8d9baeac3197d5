"""The registered checks of the cheap claims on drawn instances (Hypothesis, shrinking)."""

from __future__ import annotations

import pytest

from wnproofs import registry
from wnproofs.testing import check_on_instances, profile_settings

QUICK_CLAIMS = ["D1", "D2", "D3", "D4", "D5", "D8", "L1", "L5"]

#: Derandomized (the same instances on every machine), no example database.
SETTINGS = profile_settings("ci", database=None)


@pytest.mark.parametrize("claim", QUICK_CLAIMS)
def test_checks_hold_on_drawn_instances(claim, tmp_path, monkeypatch):
    monkeypatch.setenv("WNPROOFS_FAILURES_DIR", str(tmp_path))
    run = check_on_instances(claim, n=4, hypothesis_settings=SETTINGS)
    assert run.examples >= 4 and run.count("fails") == 0


def test_a_planted_reversal_is_caught_and_shrunk(tmp_path, monkeypatch):
    """L5 with its inequality reversed fails everywhere: the helper must say so, shrink the
    instance, and leave a replayable failure file."""
    monkeypatch.setenv("WNPROOFS_FAILURES_DIR", str(tmp_path))
    registry.load_plugins()
    (chk,) = [c for c in registry.checks_for("L5") if c.fn.__name__ in ("gram_stability", "l5_gram_stability")]
    with pytest.raises(AssertionError, match="smallest counterexample") as info:
        check_on_instances(chk, n=4, params={"l5_reverse": True, "m": 5},
                           hypothesis_settings=SETTINGS)
    assert "wnproofs replay" in str(info.value)
    assert list(tmp_path.glob("L5-*.json"))
