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
