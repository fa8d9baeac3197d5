"""Benchmark: GD steps per second for the WN network, wnproofs vs PyTorch's weight norm.

Script, not a test:  python benchmarks/bench_gd.py [--n 256] [--d 32] [--m 16384] [--steps 30]

Measures, at n = 256, d = 32, m = 2^14 by default (best of ``--repeats``):

* ``wnproofs raw``: the fused D1 step of :func:`wnproofs.dynamics.wn_grads` in a loop
  (what :func:`wnproofs.dynamics.gd` does between records);
* ``wnproofs gd()``: :func:`wnproofs.dynamics.gd` end to end with records only at the ends;
* ``torch``: the same network in ``torch.nn.utils.parametrizations.weight_norm`` (float64,
  autograd, in-place SGD step), when torch is importable (it is not a dependency).

Both start from the same parameters and the script checks that they reach the same loss.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import time

import numpy as np

from wnproofs.data import random_sphere
from wnproofs.dynamics import gd, wn_grads
from wnproofs.kernels import ntk
from wnproofs.model import WNNetwork


def bench_numpy(net: WNNetwork, X, y, eta: float, steps: int) -> tuple[float, float]:
    v, g, c = net.v.copy(), net.g.copy(), net.c
    t0 = time.perf_counter()
    for _ in range(steps):
        gv, gg, r, _ = wn_grads(v, g, c, X, y)
        v -= eta * gv
        g -= eta * gg
    dt = time.perf_counter() - t0
    r = np.maximum((X @ (v / np.linalg.norm(v, axis=1)[:, None]).T) * g, 0) @ c / math.sqrt(net.m) - y
    return steps / dt, float(r @ r)


def bench_gd(net: WNNetwork, X, y, eta: float, steps: int) -> tuple[float, float]:
    t0 = time.perf_counter()
    tr = gd(net, X, y, eta=eta, steps=steps, record_every=steps, stop_rel=0.0)
    dt = time.perf_counter() - t0
    return steps / dt, float(tr.residual_sq[-1])


def bench_torch(net: WNNetwork, X, y, eta: float, steps: int):
    try:
        import torch
        from torch.nn.utils.parametrizations import weight_norm
    except ImportError:
        return None
    torch.manual_seed(0)
    lin = torch.nn.Linear(net.d, net.m, bias=False, dtype=torch.float64)
    with torch.no_grad():
        lin.weight.copy_(torch.from_numpy(net.v))
    lin = weight_norm(lin, name="weight", dim=0)
    with torch.no_grad():
        lin.parametrizations.weight.original0.copy_(torch.from_numpy(net.g)[:, None])
        lin.parametrizations.weight.original1.copy_(torch.from_numpy(net.v))
    Xt, yt = torch.from_numpy(np.array(X)), torch.from_numpy(np.array(y))
    ct = torch.from_numpy(net.c) / math.sqrt(net.m)
    params = list(lin.parameters())

    def step():
        f = torch.relu(lin(Xt)) @ ct
        loss = 0.5 * ((f - yt) ** 2).sum()
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= eta * p.grad
                p.grad = None
        return loss

    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    dt = time.perf_counter() - t0
    with torch.no_grad():
        f = torch.relu(lin(Xt)) @ ct
        rs = float(((f - yt) ** 2).sum())
    return steps / dt, rs, torch.__version__, torch.get_num_threads()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=256)
    ap.add_argument("--d", type=int, default=32)
    ap.add_argument("--m", type=int, default=2**14)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--alpha", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", metavar="PATH")
    a = ap.parse_args()
    ds = random_sphere(a.n, a.d, a.seed)
    net = WNNetwork.init(a.m, a.d, a.alpha, np.random.default_rng(a.seed))
    eta = 1.0 / float(np.linalg.eigvalsh(ntk(net, ds.X))[-1])
    res = {"n": a.n, "d": a.d, "m": a.m, "steps": a.steps, "eta": eta, "cpu_count": os.cpu_count(),
           "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS")}
    sps, rs = zip(*[bench_numpy(net, ds.X, ds.y, eta, a.steps) for _ in range(a.repeats)])
    res["wnproofs_raw_steps_per_s"], res["wnproofs_final_residual_sq"] = max(sps), rs[0]
    sps, _ = zip(*[bench_gd(net, ds.X, ds.y, eta, a.steps) for _ in range(a.repeats)])
    res["wnproofs_gd_steps_per_s"] = max(sps)
    tor = [bench_torch(net, ds.X, ds.y, eta, a.steps) for _ in range(a.repeats)]
    if tor[0] is None:
        res["torch"] = "not importable"
    else:
        res["torch_steps_per_s"] = max(t[0] for t in tor)
        res["torch_final_residual_sq"] = tor[0][1]
        res["torch_version"], res["torch_threads"] = tor[0][2], tor[0][3]
        res["ratio_wnproofs_raw_over_torch"] = res["wnproofs_raw_steps_per_s"] / res["torch_steps_per_s"]
        res["ratio_wnproofs_gd_over_torch"] = res["wnproofs_gd_steps_per_s"] / res["torch_steps_per_s"]
        res["same_loss"] = bool(math.isclose(res["torch_final_residual_sq"], res["wnproofs_final_residual_sq"],
                                             rel_tol=1e-8))
    for k, v in res.items():
        print(f"{k:34s} {v:.4g}" if isinstance(v, float) else f"{k:34s} {v}")
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(res, fh, indent=2)


if __name__ == "__main__":
    main()
