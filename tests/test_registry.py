"""The claims registry, every registered check on the default instances, and the CLI."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from wnproofs.cli import main
from wnproofs.instances import default_instances
from wnproofs.outcomes import CheckResult, Kind, Level, Status, combine, compare
from wnproofs.plugin import Instance
from wnproofs.registry import all_checks, checks_for, claims, get_claim, load_plugins

THEORY_IDS = [f"D{i}" for i in range(1, 9)] + [f"L{i}" for i in range(1, 7)] + \
             [f"T{i}" for i in range(1, 5)] + ["C1"]

load_plugins()
CHECKS = [c for c in all_checks() if not c.slow]


def test_every_theory_claim_is_declared_once_in_order():
    assert [c.id for c in claims()] == THEORY_IDS
    for c in claims():
        assert c.statement and c.title and c.section.startswith("§")
        assert c.provenance in {"paper", "restated", "reconstructed", "du2019", "classical"}
    assert get_claim("T1").provenance == "reconstructed"
    assert get_claim("T2").provenance == "restated"
    with pytest.raises(KeyError, match="unknown claim"):
        get_claim("Z9")


def test_D1_to_D8_have_numeric_checks():
    for cid in THEORY_IDS[:8]:
        assert any(c.level is Level.NUMERIC for c in checks_for(cid)), cid


@pytest.fixture(scope="module")
def instances():
    return default_instances(seed=0)


@pytest.mark.parametrize("chk", CHECKS, ids=[c.name for c in CHECKS])
def test_registered_check_does_not_fail_on_default_instances(chk, instances):
    for inst in instances:
        res = chk(inst)
        assert isinstance(res, CheckResult) and res.claim == chk.claim
        assert res.status is not Status.FAILS, f"{chk.name} on {inst.data.name}: {res.message}"
        json.dumps(res.to_dict(), allow_nan=False)  # JSON-ready
        if res.status is Status.HOLDS and res.margin is not None:
            assert res.margin >= 1.0


def test_compare_semantics():
    up = compare("D1", Kind.UPPER, Level.NUMERIC, 0.5, 1.0)
    assert up.status is Status.HOLDS and up.margin == 2.0
    assert compare("D1", Kind.UPPER, Level.NUMERIC, 2.0, 1.0).status is Status.FAILS
    lo = compare("D1", Kind.LOWER, Level.NUMERIC, 3.0, 1.5)
    assert lo.status is Status.HOLDS and lo.margin == 2.0
    assert compare("D1", Kind.LOWER, Level.NUMERIC, 1.0, 1.5).status is Status.FAILS
    assert compare("D1", Kind.IDENTITY, Level.NUMERIC, float("nan"), 1.0).status is Status.FAILS
    assert compare("D1", Kind.UPPER, Level.NUMERIC, 0.1, 1.0, undecided=True).status is Status.INCONCLUSIVE
    assert compare("L1", Kind.LOWER, Level.CERTIFIED, 0.0, 0.0,
                   hypothesis_met=False).status is Status.HYPOTHESIS_NOT_MET
    st, mg = combine([up, lo, compare("D1", Kind.UPPER, Level.NUMERIC, 0.9, 1.0, undecided=True)])
    assert st is Status.INCONCLUSIVE and mg == pytest.approx(1.0 / 0.9)
    assert combine([])[0] is Status.UNCHECKED


def test_instance_roundtrip_and_independent_streams(instances):
    inst = instances[0]
    back = Instance.from_dict(json.loads(json.dumps(inst.to_dict())))
    assert np.array_equal(back.data.X, inst.data.X) and back.seed == inst.seed
    assert inst.rng(0).random() == back.rng(0).random()
    assert inst.rng(0).random() != inst.rng(1).random()


def test_verify_cli_writes_json_and_exits_zero(tmp_path, capsys):
    out = tmp_path / "r.json"
    code = main(["verify", "--claims", "D2", "D6", "--json", str(out), "--no-progress"])
    assert code == 0
    res = json.loads(out.read_text())
    assert res["ok"] is True and res["seed"] == 0
    assert [c["id"] for c in res["claims"]] == ["D2", "D6"]
    for c in res["claims"]:
        assert c["status"] == "holds" and "numeric" in c["levels"] and c["margin"] >= 1
    text = capsys.readouterr().out
    assert "D2" in text and "holds" in text


def test_verify_exits_nonzero_when_a_claim_fails(monkeypatch, tmp_path):
    import wnproofs.registry as reg

    def planted(inst):
        return compare("D2", Kind.UPPER, Level.NUMERIC, 2.0, 1.0, message="planted failure")

    monkeypatch.setitem(reg._CHECKS, "D2", [reg.Check("D2", "planted", Level.NUMERIC, planted)])
    out = tmp_path / "r.json"
    assert main(["verify", "--claims", "D2", "--json", str(out), "--no-progress"]) == 1
    assert json.loads(out.read_text())["ok"] is False


def test_crashing_check_is_an_error_not_a_pass(monkeypatch):
    """Issue 16: a crash inside a check is the outcome `error` (exit 3), neither a pass nor `fails`."""
    import wnproofs.registry as reg

    def boom(inst):
        raise RuntimeError("broken check")

    monkeypatch.setitem(reg._CHECKS, "D3", [reg.Check("D3", "boom", Level.NUMERIC, boom)])
    assert main(["verify", "--claims", "D3", "--no-progress"]) == 3


def test_check_cli_runs_random_instances(capsys):
    assert main(["check", "D2", "D4", "--instances", "3", "--seed", "5"]) == 0
    text = capsys.readouterr().out
    assert "D2" in text and "D4" in text


def test_cli_bad_input_is_a_clear_error(tmp_path, capsys):
    assert main(["verify", "--data", str(tmp_path / "nope.npz")]) == 2
    assert "no such file" in capsys.readouterr().err
    (tmp_path / "d.csv").write_text("3,4,1\n1,0,0\n")
    assert main(["verify", "--data", str(tmp_path / "d.csv"), "--claims", "D2"]) == 2
    assert "unit-norm" in capsys.readouterr().err
    assert main(["check", "D2", "--instances", "0"]) == 2


def test_verify_on_user_data(tmp_path):
    from wnproofs import random_sphere

    ds = random_sphere(5, 3, 8)
    np.savez(tmp_path / "d.npz", X=ds.X, y=ds.y)
    out = tmp_path / "r.json"
    assert main(["verify", "--data", str(tmp_path / "d.npz"), "--claims", "D6",
                 "--json", str(out), "--no-progress"]) == 0
    res = json.loads(out.read_text())
    assert len(res["data"]) == 1 and res["data"][0]["sha256"] == ds.sha256()


def test_python_m_entry_point():
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "wnproofs", "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and "wnproofs" in r.stdout
