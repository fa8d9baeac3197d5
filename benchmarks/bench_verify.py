"""Benchmark: `wnproofs verify --quick` wall time on the default data and at n = 20, 100, 300.

Issue 13, item 3 (goals: default data under 10 s; n = 300, d = 30 under one minute on two
cores).  Data: random unit rows (d = 30, labels ±1 from a random halfspace), written to
a temporary .npz and passed with --data, as a user would.  Prints the total time and the
slowest claims (from the JSON's per-claim seconds), and whether D3 was decided.

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
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "wnproofs", "verify", "--quick", "--no-progress", "--json", out, *extra],
                   cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
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
    with tempfile.TemporaryDirectory() as tmp:
        wall, doc = _run([], tmp)
        _report("default data (2 x n = 8)", wall, doc)
        for n in args.n:
            rng = np.random.default_rng(n)
            X = rng.standard_normal((n, args.d))
            X /= np.linalg.norm(X, axis=1, keepdims=True)
            y = np.sign(X @ rng.standard_normal(args.d))
            f = os.path.join(tmp, f"data{n}.npz")
            np.savez(f, X=X, y=y)
            wall, doc = _run(["--data", f], tmp)
            _report(f"n = {n}, d = {args.d}", wall, doc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
