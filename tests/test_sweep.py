"""Sweeps (resume, store), scaling fits and plots (wnproofs.sweep, wnproofs.plots)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from wnproofs import sweep
from wnproofs.cli import main
from wnproofs.data import random_sphere
from wnproofs.instances import default_datasets


class Boom(RuntimeError):
    pass


def test_sweep_resumes_without_recomputing(tmp_path):
    store = tmp_path / "runs.jsonl"
    runs = sweep.sweep_grid(claims=["C1", "T1"], m=[16, 32], seeds=3, seed=7)
    assert len(runs) == 12
    computed: list[str] = []

    def runner(p):
        computed.append(sweep.run_key(p))
        return sweep.execute(p, {"max_steps": 50})

    k = 5

    def stop_after_k(rec):
        if len(computed) >= k:
            raise Boom("interrupted")

    with pytest.raises(Boom):
        sweep.run_sweep(store, runs, progress=False, callback=stop_after_k, runner=runner)
    first = list(computed)
    assert len(first) == k and len(sweep.read_store(store)) == k
    computed.clear()
    summary = sweep.run_sweep(store, runs, progress=False, runner=runner)
    assert summary == {"done": 12 - k, "skipped": k, "total": 12}
    assert not set(computed) & set(first)          # no finished run recomputed
    have = sweep.read_store(store)
    assert set(have) == {sweep.run_key(r) for r in runs}   # the store is complete
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
    assert summary == {"done": 2, "skipped": 2, "total": 4}
    # the budget is part of each run's key
    assert set(sweep.read_store(store)) == {sweep.run_key(dict(r, budget={"max_steps": 50})) for r in runs}


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


def test_plot_functions_write_png(tmp_path):
    from matplotlib.figure import Figure

    from wnproofs import plots

    ds = random_sphere(6, 4, 1)
    run = sweep.theorem_run("T1", ds.X, ds.y, m=64, seed=1, return_trajectory=True, max_steps=100)
    fig = Figure()
    plots.plot_loss_envelope(run, fig.add_subplot(1, 2, 1))
    plots.plot_lambda_min(run, fig.add_subplot(1, 2, 2))
    fig.savefig(tmp_path / "a.png")
    plots.plot_spectra(ds.X).savefig(tmp_path / "b.png")
    assert (tmp_path / "a.png").stat().st_size > 1000 and (tmp_path / "b.png").stat().st_size > 1000


@pytest.mark.slow
def test_make_figures(tmp_path):
    from wnproofs.plots import make_figures

    paths = make_figures(tmp_path / "figs", default_datasets(0)[0], rng=0, quick=True)
    assert len(paths) == 6
    assert all(p.suffix == ".png" and p.stat().st_size > 1000 for p in paths)


def test_make_figures_small(tmp_path, monkeypatch):
    """make_figures end to end on a small data set with a tiny slack search (CI-fast)."""
    from wnproofs import plots

    real = sweep.slack
    monkeypatch.setattr(sweep, "slack", lambda v, X, y, **kw: real(v, X, y, **dict(kw, widths=[16, 32], seeds=1)))
    paths = plots.make_figures(tmp_path, random_sphere(5, 3, 2), rng=1, quick=True)
    assert {p.name for p in paths} == {"loss_envelope.png", "lambda_min.png", "spectra.png", "movement.png",
                                       "gram_error.png", "widths.png"}
    assert all(p.stat().st_size > 1000 for p in paths)
