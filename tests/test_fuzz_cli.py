"""Fuzzing the command line (issue 16): every invalid input is exit 2 with one line, no traceback.

Hypothesis draws argument vectors (a subcommand, then flags with values outside their
documented ranges, unknown ids, paths of the wrong kind) and malformed data files (bytes
that are not UTF-8, a typo in a cell, a header mixing text and numbers, non-finite cells,
ragged rows, other separators, complex or object arrays, non-unit rows, labels beyond
±1e100, too few columns), runs :func:`wnproofs.cli.main` in process and asserts: exit
code 2, a message of one line naming the flag, no traceback, and nothing written.  The
``ci`` profile (CI set) derandomizes the draws.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wnproofs.cli import main


#: Values outside every numeric flag's range, or not numbers at all.
NOT_A_NUMBER = st.sampled_from(["abc", "", "1,5", "0x10", "--", "1e", "one", "½", "None", "[1]"])
NON_FINITE = st.sampled_from(["nan", "inf", "-inf", "NaN", "1e999", "-1e999"])


def _bad_values(lo: float, lo_open: bool, hi: float, hi_open: bool, integer: bool):
    """Strings outside [lo, hi] (an open end's value itself included), or not numbers at all."""
    out = [NOT_A_NUMBER, NON_FINITE]
    if integer:
        out += [st.integers(-10**12, lo - 1).map(str), st.integers(hi + 1, 10 * hi + 10).map(str),
                st.sampled_from(["1.5", "2.25", "0.1"])]
    else:
        out += [st.floats(-1e12, lo, exclude_max=not lo_open, allow_nan=False).map(repr),
                st.floats(hi, 1e300, exclude_min=not hi_open, allow_nan=False, allow_infinity=False).map(repr)]
    return st.one_of(*out)


#: (command, flag, lo, lo open?, hi, hi open?, integer?): the legal range of each numeric flag.
NUMERIC_FLAGS = [
    ("verify", "--seed", 0, False, 2**64 - 1, False, True),
    ("check", "--seed", 0, False, 2**64 - 1, False, True),
    ("check", "--instances", 1, False, 10_000, False, True),
    ("bounds", "--alpha", 1e-8, False, 1e8, False, False),
    ("bounds", "--delta", 0, True, 1, True, False),
    ("bounds", "--dps", 15, False, 500, False, True),
    ("bounds", "--y-max", 0, True, 1e100, False, False),
    ("bounds", "--seed", 0, False, 2**64 - 1, False, True),
    ("train", "--m", 1, False, 2**26, False, True),
    ("train", "--alpha", 1e-8, False, 1e8, False, False),
    ("train", "--eta", 0, True, 1e12, False, False),
    ("train", "--steps", 0, False, 10**7, False, True),
    ("train", "--T", 0, True, 1e12, False, False),
    ("train", "--max-evals", 10, False, 10**8, False, True),
    ("train", "--seed", 0, False, 2**64 - 1, False, True),
    ("sweep", "--m", 1, False, 2**24, False, True),
    ("sweep", "--n", 1, False, 4096, False, True),
    ("sweep", "--d", 2, False, 4096, False, True),
    ("sweep", "--alpha", 1e-8, False, 1e8, False, False),
    ("sweep", "--seeds", 1, False, 10_000, False, True),
    ("sweep", "--max-steps", 1, False, 10**7, False, True),
    ("sweep", "--max-evals", 10, False, 10**8, False, True),
]

SETTINGS = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
                    deadline=None)


def run_cli(argv: list[str], cwd: Path) -> tuple[int, str, str]:
    """Run the command line in process from ``cwd``; (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = main(argv)
    finally:
        os.chdir(old)
    return rc, out.getvalue(), err.getvalue()


def assert_input_error(rc: int, out: str, err: str, flag: str | None, cwd: Path, before: set[str]) -> None:
    lines = [ln for ln in err.splitlines() if ln.strip() and not ln.startswith("note: ")]
    assert rc == 2, (rc, out, err)
    assert "Traceback" not in err and "Traceback" not in out, err
    assert len(lines) == 1, err                       # one line, naming the problem
    assert lines[0].startswith("wnproofs"), lines
    if flag is not None:
        assert flag in lines[0], (flag, lines[0])
    assert set(os.listdir(cwd)) == before, "an invalid command left something behind"


def _store_arg(cmd: str) -> list[str]:
    return ["--store", "s.jsonl"] if cmd == "sweep" else (["D1"] if cmd == "check" else [])


@SETTINGS
@given(case=st.sampled_from(NUMERIC_FLAGS).flatmap(
    lambda c: st.tuples(st.just(c), _bad_values(*c[2:]))))
def test_out_of_range_numbers_are_refused(case):
    (cmd, flag, *_), value = case
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        before = set(os.listdir(cwd))
        argv = [cmd, *_store_arg(cmd), f"{flag}={value}"]
        assert_input_error(*run_cli(argv, cwd), flag, cwd, before)


PATH_CASES = [
    (["verify", "--json", "."], "--json"),
    (["verify", "--json", "sub/"], "--json"),
    (["verify", "--out", "afile"], "--out"),
    (["verify", "--data", "missing.csv"], "--data"),
    (["verify", "--data", "."], "--data"),
    (["verify", "--claims", "Q7"], "--claims"),
    (["verify", "--claims", "t1", "L55"], "--claims"),
    (["verify", "--set", "T2.alpha"], "--set"),
    (["verify", "--set", "=3"], "--set"),
    (["verify", "--set", "Z9.alpha=3"], "--set"),
    (["verify", "--set", "T2.alpha=nan"], "--set"),
    (["verify", "--set", "T2.alpha=1", "--set", "t2.alpha=2"], "--set"),
    (["verify", "--quick", "--full"], "--full"),
    (["verify", "--no-such-flag"], "--no-such-flag"),
    (["bounds", "--json", "."], "--json"),
    (["bounds", "--plot", "p.xyz"], "--plot"),
    (["bounds", "--plot", "p"], "--plot"),
    (["bounds", "--plot-n", "1"], "--plot-n"),
    (["bounds", "--plot", "p.png", "--data", "afile.csv", "--plot-n", "50"], "--plot-n"),
    (["check", "ZZ"], "ID"),
    (["check"], None),
    (["replay", "missing.json"], "FILE"),
    (["replay", "afile"], None),
    (["sweep", "--store", "."], "--store"),
    (["sweep", "--store", "s.jsonl", "--claims", "T9"], "--claims"),
    (["sweep", "--store", "s.jsonl", "--scheduler", "nonsense"], "--scheduler"),
    (["sweep", "--store", "s.jsonl", "--scheduler", "tcp://127.0.0.1:1", "--m", "8"], "--scheduler"),
    (["sweep", "--store", "s.jsonl", "--scheduler", "ftp://h:1"], "--scheduler"),
    (["train", "--method", "sgd"], "--method"),
    (["train", "--json", "."], "--json"),
    (["derive", "--out", "afile"], "--out"),
    (["frobnicate"], None),
]


@SETTINGS
@given(case=st.sampled_from(PATH_CASES))
def test_bad_paths_ids_and_flags_are_refused(case):
    argv, flag = case
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        (cwd / "afile").write_text("not a folder\n")
        (cwd / "afile.csv").write_text("0.6,0.8,1\n0.8,0.6,-1\n")
        before = set(os.listdir(cwd))
        assert_input_error(*run_cli(argv, cwd), flag, cwd, before)


# ----------------------------------------------------------------------------- malformed data

def _unit_rows(rng, n, d):
    X = rng.standard_normal((n, d))
    return X / np.linalg.norm(X, axis=1, keepdims=True)


def _csv(rows) -> bytes:
    return ("\n".join(",".join(r) for r in rows) + "\n").encode()


@st.composite
def malformed_csv(draw) -> tuple[str, bytes]:
    """(kind, content) of a CSV file that must be refused."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n, d = draw(st.integers(2, 6)), draw(st.integers(2, 4))
    X, y = _unit_rows(rng, n, d), rng.uniform(-1, 1, n)
    rows = [[repr(float(t)) for t in [*x, yy]] for x, yy in zip(X, y)]
    kind = draw(st.sampled_from(["typo", "mixed_header", "non_finite", "ragged", "semicolon", "not_utf8",
                                 "non_unit", "huge_label", "one_column", "empty", "header_only", "quote"]))
    i, k = draw(st.integers(0, n - 1)), draw(st.integers(0, d))
    if kind == "typo":
        rows[i][k] = draw(st.sampled_from(["O.5", "0.5.1", "1e", "abc", "--1", "1_0", "0,5x", "∞"]))
    elif kind == "mixed_header":
        rows.insert(0, ["x1"] + [repr(0.5)] * d)
    elif kind == "non_finite":
        rows[i][k] = draw(st.sampled_from(["nan", "inf", "-inf", "NaN", "Infinity", "1e999"]))
    elif kind == "ragged":
        rows[i] = rows[i][: draw(st.integers(1, d))]
    elif kind == "semicolon":
        rows = [[";".join(r)] for r in rows]
    elif kind == "not_utf8":
        return kind, _csv(rows) + draw(st.sampled_from([b"\xff\xfe,1,2\n", b"\x80\n", b"0.5,\xc3\x28,1\n"]))
    elif kind == "non_unit":
        scale = draw(st.floats(2.0, 1e6))
        rows[i] = [repr(float(t) * scale) for t in X[i]] + [rows[i][-1]]
    elif kind == "huge_label":
        rows[i][-1] = repr(draw(st.floats(1.01e100, 1e308)))
    elif kind == "one_column":
        rows = [[r[0]] for r in rows]
    elif kind == "empty":
        return kind, draw(st.sampled_from([b"", b"\n\n", b"   \n", b"\xef\xbb\xbf"]))
    elif kind == "header_only":
        return kind, b"a,b,y\n"
    elif kind == "quote":
        rows[i][k] = '"0.5'
    content = _csv(rows)
    if draw(st.booleans()):
        content = b"\xef\xbb\xbf" + content       # a byte-order mark changes nothing
    return kind, content


@SETTINGS
@given(case=malformed_csv(), cmd=st.sampled_from(["verify", "bounds", "train"]))
def test_malformed_csv_is_refused(case, cmd):
    kind, content = case
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        (cwd / "d.csv").write_bytes(content)
        before = set(os.listdir(cwd))
        assert_input_error(*run_cli([cmd, "--data", "d.csv"], cwd), "--data", cwd, before)


@st.composite
def malformed_npz(draw) -> dict:
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n, d = draw(st.integers(1, 5)), draw(st.integers(2, 4))
    X, y = _unit_rows(rng, n, d), rng.uniform(-1, 1, n)
    kind = draw(st.sampled_from(["complex_X", "complex_y", "object", "strings", "no_y", "shape", "nan",
                                 "huge_label", "d1", "zero_rows", "y2d"]))
    if kind == "complex_X":
        return {"X": X + 1j * draw(st.floats(1e-12, 1.0)), "y": y}
    if kind == "complex_y":
        return {"X": X, "y": y.astype(complex)}
    if kind == "object":
        return {"X": np.array([{"a": 1}] * n, dtype=object), "y": y}
    if kind == "strings":
        return {"X": X.astype(str), "y": y}
    if kind == "no_y":
        return {"X": X}
    if kind == "shape":
        return {"X": X, "y": np.append(y, 1.0)}
    if kind == "nan":
        X = X.copy()
        X[0, 0] = np.nan
        return {"X": X, "y": y}
    if kind == "huge_label":
        return {"X": X, "y": y * 1e200}
    if kind == "d1":
        return {"X": np.ones((n, 1)), "y": y}
    if kind == "zero_rows":
        return {"X": np.zeros((0, d)), "y": np.zeros(0)}
    return {"X": X, "y": y[:, None]}


@SETTINGS
@given(arrays=malformed_npz(), cmd=st.sampled_from(["verify", "bounds", "train"]))
def test_malformed_npz_is_refused(arrays, cmd):
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        np.savez(cwd / "d.npz", **arrays)
        before = set(os.listdir(cwd))
        assert_input_error(*run_cli([cmd, "--data", "d.npz"], cwd), "--data", cwd, before)
