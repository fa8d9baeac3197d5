"""Benchmark: `wnproofs verify --quick` wall time on the default data and at n = 20, 100, 300.

Issue 13, item 3 (goals: default data under 10 s; n = 300, d = 30 under one minute on two
cores; `--out` costs seconds).  Data: random unit rows (d = 30, labels ±1 from a random
halfspace), written to a temporary .npz and passed with --data, as a user would.

Rows printed, each a separate `wnproofs verify` process:

* default data, cold: ``--no-cache`` (every derivation run, as on a fresh install) with
  ``--jobs 1`` (the sequential alternative) and with the default jobs (all CPUs);
* default data, warm: the derivation cache filled by the previous run (same sources);
* n = 20, 100, 300 (warm), and ``--out`` on the default data and at the largest n: the
  report's extra cost is the difference with the run without it.

Each row gives the total wall time, whether D3 was decided and the slowest claims (from
the JSON's per-claim seconds: the sum of their units' times, whatever process ran them).
The cache lives in a temporary folder (WNPROOFS_CACHE_DIR), never the user's.

Run:  python benchmarks/bench_verify.py [--n 20 100 300] [--d 30]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.join(os.path.dirname(__file__), "..")


def _run(extra: list[str], tmp: str) -> tuple[float, dict]:
    out = os.path.join(tmp, "v.json")
    env = dict(os.environ, WNPROOFS_CACHE_DIR=os.path.join(tmp, "cache"))
    if os.path.exists(out):
        os.remove(out)
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "wnproofs", "verify", "--quick", "--no-progress", "--json", out,
                           *extra], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          check=False, env=env)
    if proc.returncode not in (0, 1) or not os.path.exists(out):
        raise SystemExit(f"verify {' '.join(extra)} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    wall = time.perf_counter() - t
    with open(out) as fh:
        return wall, json.load(fh)


def _report(label: str, wall: float, doc: dict) -> None:
    claims = sorted(doc["claims"], key=lambda c: -float(c.get("seconds") or 0))
    d3 = next((c for c in doc["claims"] if c["id"] == "D3"), None)
    slow = ", ".join(f"{c['id']} {float(c.get('seconds') or 0):.1f} s" for c in claims[:5])
    print(f"{label:28s} {wall:7.1f} s   D3: {d3['status'] if d3 else '-':12s} slowest: {slow}")
    sys.stdout.flush()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[20, 100, 300])
    ap.add_argument("--d", type=int, default=30)
    args = ap.parse_args(argv)
    print(f"CPUs available: {len(os.sched_getaffinity(0))}; load average before: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        seq, doc = _run(["--no-cache", "--jobs", "1"], tmp)
        _report("default, cold, --jobs 1", seq, doc)
        cold, doc = _run(["--no-cache"], tmp)
        _report("default, cold, all CPUs", cold, doc)
        _run([], tmp)                               # fills the cache
        warm, doc = _run([], tmp)
        _report("default, warm cache", warm, doc)
        print(f"{'':28s} ratio cold --jobs 1 / warm all CPUs: {seq / warm:.2f}")
        out_wall, _ = _run(["--out", os.path.join(tmp, "report-default")], tmp)
        print(f"{'default, warm, --out':28s} {out_wall:7.1f} s   (the report adds {out_wall - warm:.1f} s)")
        f = None
        for n in args.n:
            rng = np.random.default_rng(n)
            X = rng.standard_normal((n, args.d))
            X /= np.linalg.norm(X, axis=1, keepdims=True)
            y = np.sign(X @ rng.standard_normal(args.d))
            f = os.path.join(tmp, f"data{n}.npz")
            np.savez(f, X=X, y=y)
            wall, doc = _run(["--data", f], tmp)
            _report(f"n = {n}, d = {args.d}", wall, doc)
        if f is not None:
            out_wall, _ = _run(["--data", f, "--out", os.path.join(tmp, "report-n")], tmp)
            print(f"{f'n = {n}, --out':28s} {out_wall:7.1f} s   (the report adds {out_wall - wall:.1f} s)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
