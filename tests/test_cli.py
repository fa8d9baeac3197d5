"""The `wnproofs verify` command line: its options, old and new (``--out``)."""

from __future__ import annotations

import json
import sys

import pytest

from wnproofs.cli import build_parser, main
from wnproofs.cli.verify import command_line


@pytest.fixture
def no_plots(monkeypatch):
    monkeypatch.setitem(sys.modules, "wnproofs.plots", None)


def test_verify_prints_a_table_and_exit_code(capsys):
    assert main(["verify", "--claims", "D2", "D6", "--seed", "2", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "D2" in out and "D6" in out and "seed 2, quick mode" in out


def test_verify_json_still_works_without_a_report(tmp_path):
    path = tmp_path / "sub" / "r.json"
    assert main(["verify", "--claims", "D2", "--no-progress", "--json", str(path)]) == 0
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["schema_version"] == 1 and "report" not in doc
    assert [c["id"] for c in doc["claims"]] == ["D2"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sub"]


def test_verify_json_and_out_together(tmp_path, no_plots):
    path, out = tmp_path / "r.json", tmp_path / "rep"
    assert main(["verify", "--claims", "D2", "--no-progress", "--no-figures",
                 "--json", str(path), "--out", str(out)]) == 0
    raw = json.loads(path.read_text(encoding="utf-8"))
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert raw["claims"][0]["status"] == doc["claims"][0]["status"]
    assert doc["report"]["figures"]["message"] == "figures not drawn (disabled)"


def test_unknown_claim_id_is_an_input_error(tmp_path, capsys):
    out = tmp_path / "rep"
    assert main(["verify", "--claims", "D2", "Z9", "--no-progress", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "unknown claim id(s) Z9" in err and "D1" in err and "--claims" in err
    assert not out.exists()


def test_quick_and_full_are_exclusive(capsys):
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["verify", "--quick", "--full"])
    assert exc.value.code == 2


def test_help_lists_out(capsys):
    assert main(["verify", "--help"]) == 0
    out = capsys.readouterr().out
    for opt in ("--out", "--data", "--claims", "--quick", "--full", "--seed", "--json",
                "--no-progress", "--no-figures"):
        assert opt in out


def test_command_line_reproduces_the_options():
    args = build_parser().parse_args(["verify", "--full", "--seed", "4", "--data", "my data.csv",
                                      "--normalize", "--claims", "D1", "T2", "--out", "rep"])
    cmd = command_line(args)
    assert cmd == "wnproofs verify --full --seed 4 --data 'my data.csv' --normalize " \
                  "--claims D1 T2 --out rep"
    again = build_parser().parse_args(__import__("shlex").split(cmd)[1:])
    assert command_line(again) == cmd


# -- issue 16: exit codes, crashes, overrides, locks, signals, output permissions ---------------

import os  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import textwrap  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from wnproofs import registry  # noqa: E402
from wnproofs.outcomes import CheckResult, Kind, Level, Status  # noqa: E402
from wnproofs.plugin import Check  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def _py(code: str, **kw):
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], env={**os.environ, "PYTHONPATH": str(REPO)},
                            **kw)


def test_unexpected_error_is_exit_3_with_a_saved_traceback(monkeypatch, tmp_path, capsys):
    import wnproofs.cli.bounds as cli_bounds

    def boom(args):
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(cli_bounds, "run", boom)
    monkeypatch.setenv("WNPROOFS_CRASH_DIR", str(tmp_path))
    assert main(["bounds"]) == 3
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "unexpected error: ZeroDivisionError: planted" in err
    saved = list(tmp_path.glob("crash-*.txt"))
    assert len(saved) == 1 and str(saved[0]) in err
    assert "Traceback" in saved[0].read_text() and "ZeroDivisionError" in saved[0].read_text()


def _fake_claim_checks(monkeypatch, claim: str, fn, level=Level.NUMERIC):
    registry.load_plugins()
    monkeypatch.setitem(registry._CHECKS, claim, [Check(claim, "test.fake", level, fn)])


def test_a_crash_inside_a_check_is_error_and_exit_3(monkeypatch, tmp_path, capsys):
    def crash(inst):
        return 1 / 0

    _fake_claim_checks(monkeypatch, "D2", crash)
    out = tmp_path / "r.json"
    assert main(["verify", "--claims", "D2", "--no-progress", "--json", str(out)]) == 3
    doc = json.loads(out.read_text())
    claim = doc["claims"][0]
    assert claim["status"] == "error" and doc["ok"] is False
    chk = claim["checks"][0]
    assert chk["status"] == "error" and "ZeroDivisionError" in chk["message"]
    assert "test_cli.py" in chk["details"]["where"] and "in crash" in chk["details"]["where"]
    err = capsys.readouterr().err
    assert "ERROR D2 [test.fake]" in err and "Traceback" not in err


def test_numpy_warnings_inside_a_check_are_recorded_not_printed(monkeypatch, tmp_path, capsys):
    def warns(inst):
        x = np.array([1.0]) / np.array([0.0])
        return CheckResult("D2", Status.HOLDS, Kind.IDENTITY, Level.NUMERIC, 0.0, 1.0, float(x[0] > 0))

    _fake_claim_checks(monkeypatch, "D2", warns)
    out = tmp_path / "r.json"
    assert main(["verify", "--claims", "D2", "--no-progress", "--json", str(out)]) == 0
    chk = json.loads(out.read_text())["claims"][0]["checks"][0]
    assert any("divide by zero" in w for w in chk["details"]["warnings"])
    assert "RuntimeWarning" not in capsys.readouterr().err


def test_set_overrides_reach_the_checks_and_the_json(monkeypatch, tmp_path, capsys):
    seen: list[dict] = []

    def record(inst):
        seen.append(dict(inst.params))
        return CheckResult("D2", Status.HOLDS, Kind.IDENTITY, Level.EMPIRICAL, 0.0, 1.0, 2.0, "ok")

    _fake_claim_checks(monkeypatch, "D2", record, Level.EMPIRICAL)
    out = tmp_path / "r.json"
    assert main(["verify", "--claims", "D2", "--no-progress", "--json", str(out),
                 "--set", "d2.m=17", "--set", "delta=0.1", "--set", "T2.alpha=40", "--set", "D2.tag=x"]) == 0
    assert seen and all(p == {"m": 17, "delta": 0.1, "tag": "x"} for p in seen)
    doc = json.loads(out.read_text())
    assert doc["overrides"] == {"D2.m": 17, "delta": 0.1, "T2.alpha": 40, "D2.tag": "x"}
    args = build_parser().parse_args(["verify", "--set", "T2.alpha=40", "--set", "delta=0.1"])
    assert command_line(args).endswith("--set T2.alpha=40 --set delta=0.1")


def test_set_unknown_key_names_the_declared_parameters(monkeypatch, capsys):
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Params:
        m: int = 64
        alpha: float = 2.0

    def chk(inst):
        raise AssertionError("must not run")

    chk.Params = Params
    _fake_claim_checks(monkeypatch, "D2", chk)
    assert main(["verify", "--claims", "D2", "--set", "D2.widht=3"]) == 2
    err = capsys.readouterr().err
    assert "--set D2.widht=3" in err and "alpha, m" in err and len(err.strip().splitlines()) == 1


def test_table_has_a_reason_column_and_a_legend(capsys):
    assert main(["verify", "--claims", "d2", "D6", "--no-progress"]) == 0   # ids are case-insensitive
    out = capsys.readouterr().out
    header = out.splitlines()[0].split()
    assert header == ["id", "claim", "levels", "status", "margin", "reason"]
    assert any(line.startswith("legend: holds = ") and "margin = bound ÷ observed" in line
               for line in out.splitlines())


def test_reason_says_why_for_inconclusive():
    from wnproofs.claims import CLAIMS
    from wnproofs.cli.verify import REASON_WIDTH, reason
    from wnproofs.verify import ClaimOutcome

    claim = CLAIMS[0]
    r1 = CheckResult(claim.id, Status.HOLDS, Kind.UPPER, Level.NUMERIC, 1.0, 2.0, 2.0, "fine")
    r2 = CheckResult(claim.id, Status.INCONCLUSIVE, Kind.UPPER, Level.EMPIRICAL, 1.0, 2.0, 1.1,
                     "a long message " * 20, {"reason": "budget of 400 steps covered 0.58 of the decay"})
    text = reason(ClaimOutcome(claim, Status.INCONCLUSIVE, 1.1, [], [r1, r2]))
    assert text.startswith("budget of 400 steps") and len(text) <= REASON_WIDTH
    r3 = CheckResult(claim.id, Status.FAILS, Kind.UPPER, Level.EMPIRICAL, 3.0, 2.0, 0.6, "x\nexceeds the bound")
    assert reason(ClaimOutcome(claim, Status.FAILS, 0.6, [], [r1, r3])) == "x exceeds the bound"


def test_a_second_verify_on_the_same_out_is_refused(tmp_path, capsys):
    rep = tmp_path / "rep"
    holder = _py(f"""
        import time
        from wnproofs.io import output_lock
        with output_lock({str(rep)!r}):
            print("locked", flush=True)
            time.sleep(60)
        """, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert main(["verify", "--claims", "D2", "--no-progress", "--out", str(rep)]) == 2
        err = capsys.readouterr().err
        assert f"another wnproofs process (pid {holder.pid}) is writing --out {rep}" in err
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert not rep.exists()


def test_sigterm_leaves_nothing_half_written_and_the_earlier_report(tmp_path, no_plots):
    rep = tmp_path / "rep"
    assert main(["verify", "--claims", "D2", "--no-progress", "--no-figures", "--out", str(rep)]) == 0
    before = (rep / "results.json").read_text()
    p = subprocess.Popen([sys.executable, "-m", "wnproofs", "verify", "--claims", "D2", "D6", "--no-progress",
                          "--no-figures", "--out", str(rep)], cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO)},
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    import time

    # signal once the run holds the lock of --out (it is inside wnproofs' main, past the
    # interpreter's start, where SIGTERM still has its default action)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and p.poll() is None \
            and not any(x.name.endswith(".wnproofs-lock") for x in tmp_path.iterdir()):
        time.sleep(0.05)
    time.sleep(0.5)
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=120)
    if p.returncode == 0:   # it finished first on a fast machine: nothing to show then
        pytest.skip("the run finished before SIGTERM")
    assert p.returncode == 143 and "Traceback" not in err and "terminated (SIGTERM)" in err
    assert sorted(x.name for x in tmp_path.iterdir()) == ["rep"]            # no temporaries, no lock
    assert (rep / "results.json").read_text() == before


@pytest.mark.xfail(strict=False, reason="known race (open): a SIGINT about 0.2 s into start-up is caught and "
                   "reported in one line, but the interpreter then exits by SIGINT (-2) instead of 130 in "
                   "about 1 run of 4 since the lazy imports of the merged packages; never a traceback")
def test_sigint_at_start_is_one_line_not_a_traceback(tmp_path):
    """Ctrl-C while the modules load (the first half second) is exit 130 and one line.

    ``python -S`` skips the site module, whose .pth files (outside wnproofs) would otherwise
    be what is interrupted; the site-packages folder is put on PYTHONPATH instead.
    """
    import sysconfig
    import time

    path = os.pathsep.join([str(REPO), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    for delay in (0.2, 0.5):   # past the interpreter's own start (runpy), inside the imports of wnproofs
        p = subprocess.Popen([sys.executable, "-S", "-m", "wnproofs", "verify", "--no-progress"], cwd=tmp_path,
                             env={**os.environ, "PYTHONPATH": path}, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=120)
        assert p.returncode == 130 and "Traceback" not in err, err
        assert err.strip().splitlines()[-1].startswith("wnproofs: interrupted")


def test_temporaries_of_killed_runs_are_removed_by_the_next(tmp_path, no_plots):
    rep = tmp_path / "rep"
    (tmp_path / ".rep.999999.abcd.wnproofs-tmp").mkdir()           # a SIGKILLed build
    (tmp_path / ".rep.999999.abcd.wnproofs-tmp" / "index.html").write_text("half")
    (tmp_path / ".rep.wnproofs-lock").write_text("999999\n")         # its lock file
    assert main(["verify", "--claims", "D2", "--no-progress", "--no-figures", "--out", str(rep)]) == 0
    assert sorted(x.name for x in tmp_path.iterdir()) == ["rep"]


def test_an_interrupted_replacement_gets_the_earlier_report_back(tmp_path):
    from wnproofs.io import clean_stale

    rep = tmp_path / "rep"
    old = tmp_path / ".rep.999998.x.wnproofs-old"                   # killed between the two renames
    old.mkdir()
    (old / "results.json").write_text("earlier")
    actions = clean_stale(rep, all_owners=True)
    assert (rep / "results.json").read_text() == "earlier" and "restored" in actions[0]


def test_outputs_follow_the_umask(tmp_path):
    out = tmp_path / "r.json"
    old = os.umask(0o027)
    try:
        assert main(["verify", "--claims", "D2", "--no-progress", "--json", str(out)]) == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_broken_pipe_is_quiet(monkeypatch, capsys):
    class Closed:
        def write(self, s):
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self):
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", Closed())
    assert main(["verify", "--claims", "D2", "--no-progress"]) == 141
    assert "Traceback" not in capsys.readouterr().err


def test_progress_lines_when_stderr_is_not_a_terminal():
    import io
    import time

    from wnproofs.cli._common import Progress

    buf = io.StringIO()
    with Progress(4, "verify", stream=buf, interval=0.05) as bar:
        bar.update(1, "D1 on sphere")
        time.sleep(0.3)
    lines = buf.getvalue().splitlines()
    assert lines and lines[0].startswith("verify: 1/4 (25%)") and "D1 on sphere" in lines[0]
    quiet = io.StringIO()
    with Progress(4, "verify", enabled=False, stream=quiet, interval=0.05) as bar:
        bar.update(1)
        time.sleep(0.2)
    assert quiet.getvalue() == ""


def test_one_data_row_is_legal(tmp_path, capsys):
    from wnproofs.cli.bounds import load_schema

    data = tmp_path / "one.csv"
    data.write_text("x1,x2,y\n0.6,0.8,1.0\n")
    out = tmp_path / "b.json"
    assert main(["bounds", "--data", str(data), "--json", str(out)]) == 0
    doc = json.loads(out.read_text())
    import jsonschema

    jsonschema.validate(doc, load_schema())
    assert doc["data"]["n"] == 1 and doc["A1"] is True and doc["lambda_0"]["value"] > 0
    res = tmp_path / "v.json"
    assert main(["verify", "--data", str(data), "--claims", "L3", "--no-progress", "--json", str(res)]) == 0
    assert json.loads(res.read_text())["data"][0]["min_separation_rad"] == "inf"
    assert "header" in capsys.readouterr().err


def test_bounds_json_has_stable_keys_and_follows_its_schema(tmp_path):
    import jsonschema

    from wnproofs.cli.bounds import load_schema

    out = tmp_path / "b.json"
    assert main(["bounds", "--alpha", "0.5", "--json", str(out), "--dps", "30"]) == 0
    doc = json.loads(out.read_text())
    jsonschema.validate(doc, load_schema())
    assert {"lambda_0", "mu_0", "lambda_H", "certified", "alpha_star", "B", "widths", "step_bounds",
            "radii"} <= set(doc)
    assert set(doc["widths"]) == {"L2", "T1", "T2", "T3", "T4", "C1"}
    assert doc["widths"]["T1"]["method"] == "GD" and doc["widths"]["T3"]["method"] == "GF"
    assert doc["widths"]["T1"]["value"] > doc["widths"]["T3"]["value"] > 0     # GD needs the larger width
    assert doc["certified"]["lambda_0"]["status"] == "certified"
    assert doc["certified"]["lambda_0"]["value"] <= doc["lambda_0"]["value"]
    l6 = doc["radii"]["L6"]["T3"]
    assert l6["m"] == int(doc["widths"]["T3"]["value"]) and l6["I_r"]["value"] > 0
    # the table and the keys carry the same numbers
    rows = {r["quantity"]: r["value"] for r in doc["rows"]}
    assert rows[doc["widths"]["T4"]["quantity"]] == doc["widths"]["T4"]["value"]
    bad = json.loads(out.read_text())
    del bad["widths"]["T2"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, load_schema())


def test_bounds_plot_uses_the_data(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    from wnproofs.data import random_sphere

    ds = random_sphere(6, 3, 9)
    np.savez(tmp_path / "d.npz", X=ds.X, y=ds.y)
    p = tmp_path / "w.png"
    assert main(["bounds", "--no-certify", "--data", str(tmp_path / "d.npz"), "--plot", str(p),
                 "--plot-n", "2", "4", "6"]) == 0
    assert p.stat().st_size > 1000
    assert main(["bounds", "--no-certify", "--data", str(tmp_path / "d.npz"), "--plot", str(p),
                 "--plot-n", "7"]) == 2
    assert "exceeds the 6 rows of --data" in capsys.readouterr().err
    from wnproofs import bounds

    res = bounds.widths_vs_n([3, 6], d=3, data=ds)
    assert res["lambda_0"][1] == pytest.approx(__import__("wnproofs").lambda_0(ds))


def test_large_labels_do_not_turn_exact_identities_into_failures(tmp_path):
    """Labels of 1e6 (legal) once made D4 and D5 'fail': their finite differences now scale."""
    from wnproofs.data import random_sphere

    ds = random_sphere(8, 4, 0)
    np.savez(tmp_path / "big.npz", X=ds.X, y=ds.y * 1e6)
    out = tmp_path / "r.json"
    assert main(["verify", "--data", str(tmp_path / "big.npz"), "--claims", "D1", "D4", "D5",
                 "--no-progress", "--json", str(out)]) == 0
    assert [c["status"] for c in json.loads(out.read_text())["claims"]] == ["holds"] * 3
