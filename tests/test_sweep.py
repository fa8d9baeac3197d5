"""Sweeps (resume, store) and scaling fits (wnproofs.sweep)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from wnproofs import sweep
from wnproofs.cli import main


class Boom(RuntimeError):
    pass


def test_sweep_resumes_without_recomputing(tmp_path):
    store = tmp_path / "runs.jsonl"
    runs = sweep.sweep_grid(claims=["C1", "T1"], m=[16, 32], seeds=3, seed=7)
    assert len(runs) == 12
    computed: list[str] = []

    budget = {"max_steps": 50}

    def runner(p):
        computed.append(sweep.run_key(p, budget))
        return sweep.execute(p, budget)

    k = 5

    def stop_after_k(rec):
        if len(computed) >= k:
            raise Boom("interrupted")

    with pytest.raises(Boom):
        sweep.run_sweep(store, runs, progress=False, callback=stop_after_k, runner=runner, budget=budget)
    first = list(computed)
    assert len(first) == k and len(sweep.read_store(store)) == k
    computed.clear()
    summary = sweep.run_sweep(store, runs, progress=False, runner=runner, budget=budget)
    assert summary == {"done": 12 - k, "skipped": k, "total": 12, "set_aside": 0, "rejected_file": None}
    assert not set(computed) & set(first)          # no finished run recomputed
    have = sweep.read_store(store)
    assert set(have) == {sweep.run_key(r, budget) for r in runs}   # the store is complete
    lines = store.read_text().splitlines()
    assert len(lines) == 12
    assert all("held" in json.loads(line)["result"] for line in lines)


def test_torn_last_line_is_ignored_and_not_glued(tmp_path):
    store = tmp_path / "s.jsonl"
    runs = sweep.sweep_grid(claims=["C1"], m=[16], seeds=2)
    fake = lambda p: {"held": True, "m": p["m"]}  # noqa: E731
    sweep.run_sweep(store, runs[:1], progress=False, runner=fake)
    with store.open("a") as fh:
        fh.write('{"key": "tor')                   # a crash mid-write
    assert len(sweep.read_store(store)) == 1
    sweep.run_sweep(store, runs, progress=False, runner=fake)
    assert len(sweep.read_store(store)) == 2


def test_grid_seeds_are_stable():
    a = sweep.sweep_grid(claims=["T1", "C1"], m=[8, 16], seeds=2, seed=3)
    b = sweep.sweep_grid(claims=["T1", "C1"], m=[8, 16, 32], seeds=2, seed=3)
    assert {sweep.run_key(r) for r in a} <= {sweep.run_key(r) for r in b}


def test_cli_sweep(tmp_path, capsys):
    store = tmp_path / "cli.jsonl"
    args = ["sweep", "--store", str(store), "--claims", "C1", "--m", "16", "--seeds", "2", "--no-progress",
            "--max-steps", "50"]
    assert main(args) == 0
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "0 run(s) computed, 2 already" in out


@pytest.mark.filterwarnings("ignore")
def test_sweep_on_a_dask_cluster_resumes(tmp_path):
    """The --scheduler path: a local dask.distributed cluster (skipped without the dask extra)."""
    distributed = pytest.importorskip("dask.distributed")
    store = tmp_path / "dask.jsonl"
    runs = sweep.sweep_grid(claims=["C1"], m=[16, 32], seeds=2)
    sweep.run_sweep(store, runs[:2], progress=False, budget={"max_steps": 50})
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        summary = sweep.run_sweep(store, runs, scheduler=cluster.scheduler_address, progress=False,
                                  budget={"max_steps": 50})
    assert {k: summary[k] for k in ("done", "skipped", "total")} == {"done": 2, "skipped": 2, "total": 4}
    assert set(sweep.read_store(store)) == {sweep.run_key(r, {"max_steps": 50}) for r in runs}


def test_fit_power_exact_law():
    x = [1.0, 2.0, 4.0, 8.0]
    rng = np.random.default_rng(0)
    ys = np.array([[3.0 * xi**-0.5 * np.exp(rng.normal(0, 1e-3)) for xi in x] for _ in range(4)])
    fit = sweep.fit_power(x, ys, -0.5)
    assert abs(fit.slope + 0.5) < 1e-2 and fit.contains(-0.5, 1e-3)


def test_threshold_passes_the_regime_constant_and_method(monkeypatch):
    import wnproofs.bounds as b

    seen = {}

    def m_V(**kw):
        seen.update(kw)
        return 1e6

    monkeypatch.setattr(b, "m_V", m_V)
    val, note = sweep.width_threshold("T1", n=8, delta=0.1, consts={"lambda_0": 0.1, "mu_0": 0.01,
                                                                    "lambda_H": 0.11}, alpha=0.5, d=5)
    assert val == 1e6
    assert seen == {"n": 8, "delta": 0.1, "lambda_0": 0.1, "alpha": 0.5, "d": 5, "method": "GD"}
    # the real bound: the GD width (T1) exceeds the GF width (T3) on the same data
    monkeypatch.undo()
    consts = {"lambda_0": 0.1, "mu_0": 0.01, "lambda_H": 0.11}
    gd, _ = sweep.width_threshold("T1", n=8, delta=0.1, consts=consts, alpha=0.5, d=5, y_max=1.0)
    gf, _ = sweep.width_threshold("T3", n=8, delta=0.1, consts=consts, alpha=0.5, d=5, y_max=1.0)
    assert gd > gf > 0
    val, note = sweep.width_threshold("T2", n=8, delta=0.1, consts={"lambda_0": 0.1}, alpha=2.0)
    assert val is None and "threshold unavailable" in note and "mu_0" in note


# The figures are drawn from the recorded runs of a verification: tests/test_report.py.


# -- issue 16: a store that never fails to resume; budgets in the key; the scheduler -------------

def _fake(p):
    return {"held": True, "m": p["m"]}


def test_store_reports_sets_aside_and_recomputes_unusable_lines(tmp_path):
    store = tmp_path / "s.jsonl"
    runs = sweep.sweep_grid(claims=["C1"], m=[16, 32, 64], seeds=2)
    sweep.run_sweep(store, runs, progress=False, runner=_fake)
    lines = store.read_bytes().splitlines()
    assert len(lines) == 6
    bad_key = json.loads(lines[1])
    bad_key["key"] = "0" * 16                                   # a record that does not match its key
    null_result = json.loads(lines[2])
    null_result["result"] = None
    lines[1] = json.dumps(bad_key).encode()
    lines[2] = json.dumps(null_result).encode()
    lines[3] = b"\xff\xfe not utf-8"
    lines[4] = b"[1, 2]"
    store.write_bytes(b"\n".join(lines) + b'\n{"key": "tor')   # and a torn last line
    scan = sweep.scan_store(store)
    assert len(scan.records) == 2
    reasons = {p.line: p.reason for p in scan.problems}
    assert set(reasons) == {2, 3, 4, 5, 7}
    assert "does not match" in reasons[2] and "'result' is null" in reasons[3]
    assert "UTF-8" in reasons[4] and "list" in reasons[5] and "incomplete last line" in reasons[7]
    notes: list[str] = []
    computed: list[dict] = []
    summary = sweep.run_sweep(store, runs, progress=False, runner=lambda p: computed.append(p) or _fake(p),
                              note=notes.append)
    assert summary["done"] == 4 and summary["skipped"] == 2 and summary["set_aside"] == 5
    assert len(notes) == 5 and all("set aside" in t for t in notes)
    rejected = tmp_path / "s.jsonl.rejected"
    assert rejected.read_bytes().count(b"\n") == 5 and b"\xff\xfe not utf-8" in rejected.read_bytes()
    again = sweep.scan_store(store)
    assert not again.problems and set(again.records) == {sweep.run_key(r) for r in runs}


def test_budget_is_part_of_the_key(tmp_path):
    p = sweep.sweep_grid(claims=["T1"], seeds=1)[0]
    assert sweep.run_key(p) == sweep.run_key(p, sweep.DEFAULT_BUDGET)
    assert sweep.run_key(p, {"max_steps": 50}) != sweep.run_key(p)
    store = tmp_path / "b.jsonl"
    sweep.run_sweep(store, [p], progress=False, runner=_fake, budget={"max_steps": 50})
    s = sweep.run_sweep(store, [p], progress=False, runner=_fake, budget={"max_steps": 60})
    assert s["done"] == 1 and len(sweep.read_store(store)) == 2
    rec = next(iter(sweep.read_store(store).values()))
    assert set(rec["budget"]) == {"max_steps", "max_evals"}
    from wnproofs.errors import InputError

    with pytest.raises(InputError, match="max_seconds"):   # budgets are steps and evaluations, never seconds
        sweep.run_key(p, {"max_seconds": 20})


def test_unreachable_scheduler_is_an_input_error_within_seconds():
    import time

    from wnproofs.errors import InputError

    t0 = time.monotonic()
    with pytest.raises(InputError, match="cannot reach the Dask scheduler"):
        sweep.check_scheduler("tcp://127.0.0.1:1")
    assert time.monotonic() - t0 < sweep.SCHEDULER_TIMEOUT + 2
    with pytest.raises(InputError, match="expected an address"):
        sweep.check_scheduler("tcp://nohost")
    with pytest.raises(InputError, match="unsupported protocol"):
        sweep.check_scheduler("ftp://h:1")


def test_cli_sweep_reports_set_aside_lines(tmp_path, capsys):
    store = tmp_path / "cli.jsonl"
    args = ["sweep", "--store", str(store), "--claims", "c1", "--m", "16", "--seeds", "1", "--no-progress",
            "--max-steps", "20"]
    assert main(args) == 0
    store.write_bytes(store.read_bytes() + b"\xff garbage\n")
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "line 2: not valid UTF-8" in captured.err and "1 unusable line(s) set aside" in captured.out


def test_a_second_sweep_on_the_same_store_is_refused(tmp_path):
    import subprocess
    import sys
    import textwrap

    from wnproofs.errors import InputError

    store = tmp_path / "l.jsonl"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from wnproofs.io import output_lock
        with output_lock({str(store)!r}):
            print("locked", flush=True)
            time.sleep(30)
        """)], stdout=subprocess.PIPE, text=True, env={**__import__("os").environ, "PYTHONPATH": "."})
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(InputError, match="another wnproofs process"):
            sweep.run_sweep(store, sweep.sweep_grid(claims=["C1"], seeds=1), progress=False, runner=_fake)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
