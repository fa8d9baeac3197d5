"""Budgets, not clocks (issue 17 item 3): the same seed and budget give the same run under 1
and 2 BLAS threads.

A GD run (WN and un-normalized) and a GF run (WN) are computed in child processes with
OPENBLAS_NUM_THREADS = OMP_NUM_THREADS = MKL_NUM_THREADS = 1 and = 2, on sizes where the
gradient streams over several blocks of neurons and BLAS does use threads.  Statuses,
evaluation counts and budgets must be identical; GD must agree bit for bit; GF to 1e-12
relative (every array against its largest entry): SciPy's error norm is a BLAS dot product,
which two threads sum in another order, so the step sizes move by rounding.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from wnproofs import sweep

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, sys
import numpy as np
from wnproofs.data import random_sphere
from wnproofs.dynamics import gd, gf
from wnproofs.model import WNNetwork
from wnproofs.unnormalized import UNetwork

ds = random_sphere(64, 16, 7)
net = WNNetwork.init(12000, 16, 0.7, np.random.default_rng(11))
out = {}
runs = {
    "gd_wn": lambda: gd(net, ds, eta=0.3, steps=9, record_every=3),
    "gd_u": lambda: gd(UNetwork.from_wn(net), ds, eta=0.3, steps=6, record_every=3),
    "gf_wn": lambda: gf(net, ds, T=0.5, records=3, max_evals=60),
}
for name, run in runs.items():
    tr = run()
    rec = tr.to_dict()
    rec.pop("seconds")
    params = {k: v.tolist() for k, v in (("v", tr.final.v), ("g", tr.final.g)) } if name != "gd_u" \
        else {"w": tr.final.w.tolist()}
    rec["final"] = params
    out[name] = rec
print(json.dumps(out))
"""


def _run(threads: int) -> dict:
    env = dict(os.environ)
    for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[k] = str(threads)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    res = subprocess.run([sys.executable, "-c", CHILD], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    return json.loads(res.stdout.strip().splitlines()[-1])


def _compare(a, b, path="$") -> list[str]:
    """Paths where a and b differ: strings/ints/bools exactly, float arrays to 1e-12 relative
    to the array's largest entry (a lone float: to 1e-12 of itself)."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), path
        return [p for k in a for p in _compare(a[k], b[k], f"{path}.{k}")]
    if isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        fa = np.asarray(a, dtype=object)
        if fa.size and all(isinstance(x, float) for x in fa.ravel()):
            x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
            scale = max(float(np.max(np.abs(x))), float(np.max(np.abs(y))))
            bad = np.argwhere(np.abs(x - y) > 1e-12 * scale)
            return [f"{path}{list(i)}: {x[tuple(i)]!r} != {y[tuple(i)]!r}" for i in bad[:5]]
        return [p for i, (x, y) in enumerate(zip(a, b)) for p in _compare(x, y, f"{path}[{i}]")]
    if isinstance(a, float) and isinstance(b, float):
        ok = a == b or abs(a - b) <= 1e-12 * max(abs(a), abs(b))
        return [] if ok else [f"{path}: {a!r} != {b!r}"]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def test_gd_and_gf_identical_under_one_and_two_blas_threads():
    one, two = _run(1), _run(2)
    for name in ("gd_wn", "gd_u", "gf_wn"):
        assert one[name]["status"] == two[name]["status"]
        assert one[name]["nfev"] == two[name]["nfev"] and one[name]["budget"] == two[name]["budget"]
    assert one["gd_wn"]["budget"] == {"steps": 9} and one["gf_wn"]["budget"] == {"T": 0.5, "max_evals": 60}
    assert one["gf_wn"]["nfev"] <= 60
    # GD: every operation is a GEMM/GEMV split over outputs, or NumPy's own reduction: bit for bit
    assert one["gd_wn"] == two["gd_wn"] and one["gd_u"] == two["gd_u"]
    # GF: SciPy's error norm is a BLAS dot product, summed in another order by 2 threads
    diff = _compare(one, two)
    assert not diff, "\n".join(diff[:20])
    # the runs did something: the loss moved and the records are there
    assert one["gd_wn"]["residual_sq"][-1] < one["gd_wn"]["residual_sq"][0]
    assert len(one["gd_wn"]["t"]) == 4


def test_the_comparison_sees_a_change_beyond_1e12():
    a = {"x": [1.0, 2.0], "s": "finished"}
    assert _compare(a, {"x": [1.0, 2.0 * (1 + 1e-11)], "s": "finished"})
    assert not _compare(a, {"x": [1.0, 2.0 * (1 + 1e-13)], "s": "finished"})
    assert _compare(a, {"x": [1.0, 2.0], "s": "stalled"})


def test_the_budget_is_part_of_the_sweep_store_key(tmp_path):
    """Runs under another budget are other runs: the store must not hand back a result
    computed under a different budget (issue 17: the store key did not record the cap)."""
    runs = sweep.sweep_grid(claims=["C1"], m=[16], seeds=1)
    seen = []

    def runner(p):
        seen.append(p)
        return {"ok": True}

    store = tmp_path / "s.jsonl"
    sweep.run_sweep(store, runs, progress=False, budget={"max_steps": 10}, runner=runner)
    again = sweep.run_sweep(store, runs, progress=False, budget={"max_steps": 10}, runner=runner)
    other = sweep.run_sweep(store, runs, progress=False, budget={"max_steps": 20}, runner=runner)
    pick = ("done", "skipped", "total")
    assert {k: again[k] for k in pick} == {"done": 0, "skipped": 1, "total": 1}
    assert {k: other[k] for k in pick} == {"done": 1, "skipped": 0, "total": 1}
    assert len(seen) == 2                                      # the second budget is a new run
    recs = sweep.read_store(store).values()
    assert sorted(r["budget"]["max_steps"] for r in recs) == [10, 20]


def test_theorem_run_records_its_budget():
    from wnproofs.data import random_sphere

    ds = random_sphere(4, 3, 0)
    r = sweep.theorem_run("T2", ds.X, ds.y, m=32, seed=0, max_steps=7, max_evals=50)
    assert r["budget"] == {"max_steps": 7, "max_evals": 50}
    assert r["steps"] <= 7
    assert np.isfinite(r["lambda_min_0"])


MEMORY_CHILD = r"""
import json, sys
import numpy as np
from wnproofs.data import random_sphere
from wnproofs.dynamics import gd, gf, memory_estimate
from wnproofs.model import WNNetwork
kind, n, d, m = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
ds = random_sphere(n, d, 0)
import scipy.integrate  # noqa: F401  (modules are not part of the run's memory)


def hwm():
    # peak RSS of this process image (VmHWM; ru_maxrss would carry the parent's peak over exec)
    with open("/proc/self/status") as fh:
        return next(int(l.split()[1]) * 1024 for l in fh if l.startswith("VmHWM:"))


base = hwm()
net = WNNetwork.init(m, d, 1.0, np.random.default_rng(0))
if kind == "gd":
    gd(net, ds, eta=0.1, steps=2, record_every=2)
else:
    gf(net, ds, T=0.05, records=1, max_evals=30)
peak = hwm() - base
print(json.dumps({"peak": peak, "estimate": memory_estimate(n, d, m, method=kind).total}))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc/self/status")
@pytest.mark.parametrize("kind", ["gd", "gf"])
def test_memory_estimate_bounds_the_peak_of_a_wide_run(kind):
    """Issue 17 item 2a: the estimate the CLI can consult before allocating is an upper bound of
    the measured peak (here m = 10⁵, n = 48, d = 3: 19 blocks of neurons)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    res = subprocess.run([sys.executable, "-c", MEMORY_CHILD, kind, "48", "3", "100000"], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert 0 < out["peak"] <= out["estimate"], out
