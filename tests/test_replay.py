"""Replayable counterexamples: save, load, `wnproofs replay`, and the Hypothesis round trip."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from wnproofs import strategies as wst
from wnproofs.cli import main
from wnproofs.errors import InputError
from wnproofs.instances import default_instances
from wnproofs.plugin import Instance
from wnproofs.outcomes import Status
from wnproofs.registry import load_plugins
from wnproofs.replay import (
    FAILURES_ENV,
    failures_dir,
    find_check,
    load_failure,
    record_failure,
    replay,
    run_recorded,
    save_failure,
)

load_plugins()
L5 = "l5.gram_stability"


def _failing_instance() -> Instance:
    inst = default_instances(0, "quick")[0]
    return Instance(inst.data, inst.seed, "quick", {"l5_reverse": True, "m": 20})


def _holding_instance() -> Instance:
    inst = default_instances(0, "quick")[0]
    return Instance(inst.data, inst.seed, "quick", {"m": 20})


def test_failures_dir_from_env(monkeypatch, tmp_path):
    monkeypatch.delenv(FAILURES_ENV, raising=False)
    assert str(failures_dir()) == ".wnproofs-failures"
    monkeypatch.setenv(FAILURES_ENV, str(tmp_path))
    assert failures_dir() == tmp_path


def test_save_load_round_trip(tmp_path):
    from wnproofs.verify import run_safely

    inst = _failing_instance()
    res = run_safely(find_check("L5", L5), inst)     # as verify and replay run it (records the data set)
    assert res.status is Status.FAILS
    path = save_failure(inst, res, folder=tmp_path, note="unit test")
    rec = json.loads(path.read_text())
    assert rec["claim"] == "L5" and rec["check"] == L5 and rec["instance"] == inst.to_dict()
    inst2, claim, name, _ = load_failure(path)
    assert (claim, name) == ("L5", L5) and inst2.to_dict() == inst.to_dict()
    _, again = replay(path)
    assert again.to_dict() == res.to_dict()                     # bit-for-bit replay


def test_record_failure_only_for_failures(monkeypatch, tmp_path):
    monkeypatch.setenv(FAILURES_ENV, str(tmp_path))
    chk = find_check("L5", L5)
    assert record_failure(_holding_instance(), chk(_holding_instance())) is None
    p = record_failure(_failing_instance(), chk(_failing_instance()))
    assert p is not None and p.parent == tmp_path and p.name == f"L5-{L5}.json"


def test_cli_replay_exit_codes(tmp_path, capsys):
    chk = find_check("L5", L5)
    bad = save_failure(_failing_instance(), chk(_failing_instance()), folder=tmp_path)
    # a record whose instance now holds (e.g. after a fix): rewrite its params by hand
    rec = json.loads(bad.read_text())
    rec["instance"]["params"] = {"m": 20}
    good = tmp_path / "fixed.json"
    good.write_text(json.dumps(rec))
    assert main(["replay", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "fails" in out and "seed" in out and "l5_reverse" in out
    assert main(["replay", str(good)]) == 0
    capsys.readouterr()
    assert main(["replay", "--json", str(good), str(bad)]) == 1   # one still fails
    statuses = [r["result"]["status"] for r in json.loads(capsys.readouterr().out)]
    assert statuses == ["holds", "fails"]


def test_cli_replay_json_output(tmp_path, capsys):
    chk = find_check("L5", L5)
    bad = save_failure(_failing_instance(), chk(_failing_instance()), folder=tmp_path)
    assert main(["replay", "--json", str(bad)]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out[0]["result"]["status"] == "fails" and out[0]["result"]["claim"] == "L5"


def test_cli_replay_rejects_bad_files(tmp_path, capsys):
    junk = tmp_path / "junk.json"
    junk.write_text(json.dumps({"hello": 1}))
    assert main(["replay", str(junk)]) == 2
    assert main(["replay", str(tmp_path / "missing.json")]) == 2
    rec = {"format": "wnproofs-failure", "version": 1, "claim": "L5", "check": "no.such_check",
           "instance": _holding_instance().to_dict()}
    other = tmp_path / "other.json"
    other.write_text(json.dumps(rec))
    assert main(["replay", str(other)]) == 2
    assert "no check" in capsys.readouterr().err


def test_find_check_unknown_claim():
    with pytest.raises(InputError):
        find_check("Z9", "x")


def test_run_recorded_saves_and_raises(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv(FAILURES_ENV, str(tmp_path))
    chk = find_check("L5", L5)
    assert run_recorded(chk, _holding_instance()).status is Status.HOLDS
    with pytest.raises(AssertionError, match="wnproofs replay"):
        run_recorded(chk, _failing_instance(), note="x")
    assert "seed = " in capsys.readouterr().out
    assert len(list(tmp_path.glob("*.json"))) == 1


def test_hypothesis_shrinks_and_the_saved_file_replays(monkeypatch, tmp_path):
    """End to end: a planted wrong constant (L5 bound × 0.5) makes a property test fail;
    Hypothesis shrinks it; the file left in $WNPROOFS_FAILURES_DIR is the shrunk example
    and `wnproofs replay` reproduces the failure (exit 1)."""
    monkeypatch.setenv(FAILURES_ENV, str(tmp_path))
    chk = find_check("L5", L5)
    seen: list[Instance] = []

    @settings(max_examples=200, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck),
              phases=[Phase.generate, Phase.shrink])
    @given(wst.instances(data=wst.sphere_data(n=st.integers(1, 4), d=st.integers(2, 4)),
                         params=wst.l5_params(m=st.integers(1, 4), modes=st.just(["lengths"])),
                         extra={"l5_factor": 0.5}))
    def prop(inst):
        seen.append(inst)
        run_recorded(chk, inst, note="planted l5_factor 0.5")

    with pytest.raises(AssertionError):
        prop()
    files = list(tmp_path.glob("*.json"))
    assert len(files) == 1
    inst, claim, name, rec = load_failure(files[0])
    assert rec["note"] == "planted l5_factor 0.5" and inst.params["l5_factor"] == 0.5
    assert main(["replay", str(files[0])]) == 1
    # the saved one is the last failing example Hypothesis ran: the shrunk one
    failing = [i for i in seen if chk(i).status is Status.FAILS]
    assert failing[-1].to_dict() == inst.to_dict()
    assert len(failing) > 1                                        # Hypothesis did shrink


def test_replay_module_runs_as_cli_subcommand():
    from wnproofs.cli import build_parser

    args = build_parser().parse_args(["replay", "a.json"])
    assert args.files == ["a.json"]


def test_run_recorded_saves_crashes(monkeypatch, tmp_path):
    """A check that raises is saved (status error, then the exception propagates)."""
    from wnproofs.plugin import Check
    from wnproofs.outcomes import Level

    def boom(inst):
        raise ZeroDivisionError("planted")

    monkeypatch.setenv(FAILURES_ENV, str(tmp_path))
    chk = Check("L5", "test.boom", Level.PROPERTY, boom)
    with pytest.raises(ZeroDivisionError):
        run_recorded(chk, _holding_instance())
    rec = json.loads(next(tmp_path.glob("*.json")).read_text())
    assert rec["result"]["status"] == "error" and "ZeroDivisionError" in rec["result"]["message"]


def test_l6_gd_with_no_active_neuron_is_not_a_crash():
    """Regression (found by Hypothesis): Λ(0) = 0 when no neuron is active on any input."""
    from wnproofs.outcomes import CheckResult

    chk = find_check("L6", "l6.gradient_descent")
    X = [[1.0, 0.0]]
    from wnproofs.data import Dataset

    ds = Dataset(X, [0.5])
    for seed in range(40):
        res = chk(Instance(ds, seed, "quick", {"m": 1, "gd_steps": 5}))
        assert isinstance(res, CheckResult) and res.status is not Status.FAILS
