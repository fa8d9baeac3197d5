"""Benchmark: GD throughput of the WN network, wnproofs vs PyTorch's weight norm (issue 13 item 4),
and the memory of very wide runs against :func:`wnproofs.dynamics.memory_estimate` (issue 17 item 2a).

Script, not a test:

    python benchmarks/bench_gd.py [--n 256] [--d 64] [--m 8192] [--steps 100] [--threads 1,2]
    python benchmarks/bench_gd.py --memory [--m 10000000] [--n 64] [--d 3]

Throughput (default n = 256, d = 64, m = 8192; best of ``--repeats``), for each thread count T
in its own process (OPENBLAS/OMP/MKL_NUM_THREADS = T, ``torch.set_num_threads(T)`` and
``gd(threads=T)``):

* ``wnproofs gd()``: :func:`wnproofs.dynamics.gd` end to end, ``--steps`` steps with records
  (Λ(t) and its eigenvalues, O(n² m)) at the two ends; and its marginal cost per step, from
  the runs of ``--steps`` and 2·``--steps`` steps (the two records cancel);
* ``wnproofs step``: the bare loop of :func:`wnproofs.model.wn_gradients` + update;
* ``previous``: the implementation before issue 13 (kept here verbatim as the reference);
* ``torch``: the same network in ``torch.nn.utils.parametrizations.weight_norm`` (float64,
  autograd, in-place SGD step), when torch is importable (it is not a dependency).

All start from the same parameters; the script checks that gd() and torch end at the same
loss (1e-9 relative) and that gd() and the previous implementation end at the same parameters
(≤ 1e-12 relative to the largest), and prints CPU ms/step (the process's CPU time: all its
threads), wall steps/s and the ratios against torch (goal ≥ 2).  At T = 2 the fair measure is
the wall time on an otherwise idle machine; the load average is printed with each result.

Memory: a GD run (3 steps) and a GF run (RK45, 60 field evaluations) at width ``--m`` in child
processes; prints the peak RSS above the interpreter's baseline and the estimate.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wnproofs.data import random_sphere  # noqa: E402
from wnproofs.dynamics import gd, gf, memory_estimate  # noqa: E402
from wnproofs.model import WNNetwork, wn_gradients  # noqa: E402


def previous_step(v, g, c, X, y, eta):
    """One GD step of the implementation before issue 13 (dynamics.wn_grads + z = z + dz)."""
    sm = math.sqrt(v.shape[0])
    nv = np.sqrt(np.einsum("kd,kd->k", v, v))
    u = v / nv[:, None]
    Z = X @ u.T
    P = Z * g
    A = P >= 0
    np.maximum(P, 0.0, out=P)
    r = P @ c / sm - y
    scale = c / sm
    np.multiply(A, r[:, None], out=P)
    grad_g = scale * np.einsum("ik,ik->k", P, Z)
    q = P.T @ X
    q -= u * np.einsum("kd,kd->k", q, u)[:, None]
    grad_v = (scale * g / nv)[:, None] * q
    z = np.concatenate([v.ravel(), g])
    z = z + np.concatenate([(-eta * grad_v).ravel(), -eta * grad_g])
    return z[: v.size].reshape(v.shape), z[v.size:], r


CPU = {}
PAUSE_S = 0.5


def timed(fn, repeats, label=None, warm=None):
    """Best wall time of ``repeats`` runs (and best process CPU time, kept in CPU[label]).

    Each run is measured alone: after an untimed call of ``warm`` (first-call costs:
    allocations, pools, lazy imports) and a pause of PAUSE_S before every run (idle OpenBLAS
    or OpenMP threads spin for a while after their last call and would take a core)."""
    best, best_cpu, out = math.inf, math.inf, None
    if warm is not None:
        time.sleep(PAUSE_S)
        warm()
    for _ in range(repeats):
        time.sleep(PAUSE_S)
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    if label:
        CPU[label] = best_cpu
    return best, out


def bench_previous(net, X, y, eta, steps):
    def run():
        v, g = net.v.copy(), net.g.copy()
        for _ in range(steps):
            v, g, _ = previous_step(v, g, net.c, X, y, eta)
        return v, g
    return run


def bench_step(net, X, y, eta, steps, threads):
    def run():
        v, g = net.v.copy(), net.g.copy()
        for _ in range(steps):
            gv, gg, _ = wn_gradients(v, g, net.c, X, y, coef_v=-eta, coef_g=-eta, threads=threads)
            v += gv
            g += gg
        return v, g
    return run


def bench_torch(net, X, y, eta, steps, threads):
    try:
        import torch
        from torch.nn.utils.parametrizations import weight_norm
    except ImportError:
        return None
    torch.set_num_threads(threads)
    Xt, yt = torch.from_numpy(np.array(X)), torch.from_numpy(np.array(y))
    ct = torch.from_numpy(net.c) / math.sqrt(net.m)

    def run(k=steps):
        lin = torch.nn.Linear(net.d, net.m, bias=False, dtype=torch.float64)
        lin = weight_norm(lin, name="weight", dim=0)
        with torch.no_grad():
            lin.parametrizations.weight.original0.copy_(torch.from_numpy(net.g)[:, None])
            lin.parametrizations.weight.original1.copy_(torch.from_numpy(net.v))
        params = list(lin.parameters())
        for _ in range(k):
            f = torch.relu(lin(Xt)) @ ct
            loss = 0.5 * ((f - yt) ** 2).sum()
            loss.backward()
            with torch.no_grad():
                for p in params:
                    p -= eta * p.grad
                    p.grad = None
        with torch.no_grad():
            f = torch.relu(lin(Xt)) @ ct
        return float(((f - yt) ** 2).sum())
    return run, torch.__version__


def throughput(a) -> dict:
    ds = random_sphere(a.n, a.d, a.seed)
    X, y = ds.X, ds.y
    net = WNNetwork.init(a.m, a.d, a.alpha, np.random.default_rng(a.seed))
    from wnproofs.kernels import ntk

    T, S = a.threads_one, a.steps
    eta = 1.0 / float(np.linalg.eigvalsh(ntk(net, X))[-1])
    res = {"n": a.n, "d": a.d, "m": a.m, "steps": S, "threads": T,
           "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS"), "load_before": os.getloadavg()[0]}

    def run_gd(k):
        return lambda: gd(net, X, y, eta=eta, steps=k, record_every=max(k, 1), stop_rel=0.0, threads=T)

    dt, tr = timed(run_gd(S), a.repeats, "gd", warm=run_gd(2))
    res["gd_steps_per_s"] = S / dt
    dt2, _ = timed(run_gd(2 * S), a.repeats, "gd2")
    res["gd_marginal_steps_per_s"] = S / (dt2 - dt)
    res["gd_fixed_ms"] = 1e3 * (2 * dt - dt2)
    CPU["gd_marginal"] = CPU.pop("gd2") - CPU["gd"]
    dt, (v1, g1) = timed(bench_step(net, X, y, eta, S, T), a.repeats, "step",
                         warm=bench_step(net, X, y, eta, 2, T))
    res["step_steps_per_s"] = S / dt
    dt, (v0, g0) = timed(bench_previous(net, X, y, eta, S), a.repeats, "previous",
                         warm=bench_previous(net, X, y, eta, 2))
    res["previous_steps_per_s"] = S / dt
    scale = max(np.max(np.abs(v0)), np.max(np.abs(g0)))
    res["max_rel_diff_vs_previous"] = float(max(np.max(np.abs(tr.final.v - v0)), np.max(np.abs(tr.final.g - g0))) / scale)
    res["bit_identical_gd_vs_step"] = bool(np.array_equal(tr.final.v, v1) and np.array_equal(tr.final.g, g1))
    res["final_residual_sq"] = float(tr.residual_sq[-1])
    tor = bench_torch(net, X, y, eta, S, T)
    if tor is None:
        res["torch"] = "not importable"
    else:
        run, version = tor
        dt, rs_t = timed(run, a.repeats, "torch", warm=lambda: run(2))
        res.update(torch_version=version, torch_steps_per_s=S / dt, torch_final_residual_sq=rs_t)
        res.update(same_loss=bool(math.isclose(rs_t, res["final_residual_sq"], rel_tol=1e-9)),
                   loss_rel_diff_vs_torch=abs(rs_t - res["final_residual_sq"]) / rs_t,
                   ratio_gd_over_torch=res["gd_steps_per_s"] / res["torch_steps_per_s"],
                   ratio_gd_marginal_over_torch=res["gd_marginal_steps_per_s"] / res["torch_steps_per_s"],
                   ratio_step_over_torch=res["step_steps_per_s"] / res["torch_steps_per_s"],
                   cpu_ratio_gd_over_torch=CPU["torch"] / CPU["gd"],
                   cpu_ratio_gd_marginal_over_torch=CPU["torch"] / CPU["gd_marginal"],
                   cpu_ratio_step_over_torch=CPU["torch"] / CPU["step"])
    res["ratio_gd_over_previous"] = res["gd_steps_per_s"] / res["previous_steps_per_s"]
    res["cpu_ratio_gd_over_previous"] = CPU["previous"] / CPU["gd"]
    res["cpu_ms_per_step"] = {k: 1e3 * v / S for k, v in CPU.items()}
    res["load_after"] = os.getloadavg()[0]
    return res


def report(res: dict) -> str:
    """The human-readable table of one thread count."""
    cpu, T = res["cpu_ms_per_step"], res["threads"]
    rows = [("wnproofs gd() (records at both ends)", "gd", res["gd_steps_per_s"]),
            ("wnproofs gd(), marginal per step", "gd_marginal", res["gd_marginal_steps_per_s"]),
            ("wnproofs bare step (wn_gradients)", "step", res["step_steps_per_s"]),
            ("previous implementation", "previous", res["previous_steps_per_s"])]
    if "torch_steps_per_s" in res:
        rows.append(("torch weight_norm loop", "torch", res["torch_steps_per_s"]))
    out = [f"threads = {T}  (n = {res['n']}, d = {res['d']}, m = {res['m']}, {res['steps']} steps; "
           f"load average {res['load_before']:.2f} before, {res['load_after']:.2f} after)",
           f"{'':40s}{'CPU ms/step':>12s}{'wall steps/s':>14s}"]
    out += [f"{name:40s}{cpu[key]:12.2f}{sps:14.1f}" for name, key, sps in rows]
    out.append(f"gd() fixed cost (two records, setup): {res['gd_fixed_ms']:.0f} ms")
    if "torch_steps_per_s" in res:
        out.append(f"ratio vs torch, wall:  gd() {res['ratio_gd_over_torch']:.2f}   gd() marginal "
                   f"{res['ratio_gd_marginal_over_torch']:.2f}   bare step {res['ratio_step_over_torch']:.2f}   (goal >= 2)")
        out.append(f"ratio vs torch, CPU:   gd() {res['cpu_ratio_gd_over_torch']:.2f}   gd() marginal "
                   f"{res['cpu_ratio_gd_marginal_over_torch']:.2f}   bare step {res['cpu_ratio_step_over_torch']:.2f}")
        out.append(f"same final loss as torch: {res['same_loss']} ({res['final_residual_sq']:.6g}; "
                   f"relative difference {res['loss_rel_diff_vs_torch']:.1e})")
    else:
        out.append("torch: not importable")
    out.append(f"max |gd() − previous| / max |param| = {res['max_rel_diff_vs_previous']:.1e} (goal <= 1e-12); "
               f"gd() and bare step bit-identical: {res['bit_identical_gd_vs_step']}; "
               f"gd()/previous wall {res['ratio_gd_over_previous']:.2f}, CPU {res['cpu_ratio_gd_over_previous']:.2f}")
    return "\n".join(out)


def peak_rss_child(kind: str, n: int, d: int, m: int) -> dict:
    """Run one wide GD or GF in this process and return peak RSS above the baseline (Linux:
    VmHWM of /proc/self/status; ru_maxrss would carry a parent's peak over exec)."""
    def hwm() -> int:
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmHWM:"))

    ds = random_sphere(n, d, 0)
    import scipy.integrate  # noqa: F401  (modules are not part of the run's memory)
    base = hwm()
    t0 = time.perf_counter()
    net = WNNetwork.init(m, d, 1.0, np.random.default_rng(0))
    if kind == "gd":
        tr = gd(net, ds, eta=0.1, steps=3, record_every=3)
    else:
        tr = gf(net, ds, T=1.0, records=1, max_evals=60)
    peak = hwm()
    est = memory_estimate(n, d, m, method=kind)
    return {"kind": kind, "n": n, "d": d, "m": m, "status": tr.status, "nfev": tr.nfev,
            "peak_bytes": peak - base, "estimate_bytes": est.total, "estimate": str(est),
            "seconds": time.perf_counter() - t0, "residual_sq": [float(tr.residual_sq[0]), float(tr.residual_sq[-1])]}


def child_env(threads: int) -> dict:
    env = dict(os.environ)
    for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[k] = str(threads)
    return env


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=None, help="inputs (default 256; --memory: 64)")
    ap.add_argument("--d", type=int, default=None, help="input dimension (default 64; --memory: 3)")
    ap.add_argument("--m", type=int, default=None, help="width (default 8192; --memory: 10^7)")
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--alpha", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", default="1,2", help="thread counts, each in its own process")
    ap.add_argument("--memory", action="store_true", help="measure peak memory of wide runs instead")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--wait-load", type=float, default=None, metavar="L",
                    help="before each thread count, wait (at most 10 min) for a 1-minute load average below L")
    ap.add_argument("--json", metavar="PATH")
    a = ap.parse_args()
    for k, (plain, wide) in {"n": (256, 64), "d": (64, 3), "m": (8192, 10**7)}.items():
        if getattr(a, k) is None:
            setattr(a, k, wide if a.memory else plain)
    if a.child:
        kind, threads = a.child.split(":")
        if kind == "throughput":
            a.threads_one = int(threads)
            print(json.dumps(throughput(a)))
        else:
            print(json.dumps(peak_rss_child(kind, a.n, a.d, a.m)))
        return
    out = []
    if a.memory:
        jobs = [(f"{k}:1", a.n, a.d, a.m) for k in ("gd", "gf")]
    else:
        jobs = [(f"throughput:{t}", a.n, a.d, a.m) for t in map(int, a.threads.split(","))]
    for child, n, d, m in jobs:
        threads = int(child.split(":")[1])
        if a.wait_load is not None:
            deadline = time.time() + 600
            while os.getloadavg()[0] >= a.wait_load and time.time() < deadline:
                time.sleep(5)
        cmd = [sys.executable, __file__, "--child", child, "--n", str(n), "--d", str(d), "--m", str(m),
               "--steps", str(a.steps), "--repeats", str(a.repeats), "--alpha", str(a.alpha), "--seed", str(a.seed)]
        proc = subprocess.run(cmd, env=child_env(threads), capture_output=True, text=True)
        if proc.returncode:
            sys.exit(f"{child} failed:\n{proc.stderr[-3000:]}")
        res = json.loads(proc.stdout.strip().splitlines()[-1])
        out.append(res)
        if child.startswith("throughput"):
            print(report(res) + "\n", flush=True)
        else:
            print(f"--- {child}")
            for k, v in res.items():
                print(f"{k:28s} {v:.4g}" if isinstance(v, float) else f"{k:28s} {v}")
    if a.json:
        Path(a.json).write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
