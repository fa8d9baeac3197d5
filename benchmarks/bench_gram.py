"""Benchmark: assembling V, G, Λ by the O(n²m) BLAS form against forming J Jᵀ.

Run:  python benchmarks/bench_gram.py [--n 512 --d 64 --log2m 16] [--memory]

* ours: kernels.grams / kernels.ntk (X Uᵀ plus symmetric rank-m updates, chunked over m);
* baseline: the obvious route, explicit Jacobians J_v (n × m·d), J_g (n × m) and
  J Jᵀ, streamed over neuron chunks (a dense J_v at n = 512, m = 2¹⁶, d = 64 would be 17 GB).
  Its cost is exactly linear in m, so it is timed on m_base neurons and scaled by m/m_base
  (said in the output);
* reference: one GEMM of the same (n × m)·(m × n) shape, the machine's measured rate.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time

import numpy as np

from wnproofs import WNNetwork, gram_G, gram_V, grams, ntk, random_sphere


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def jacobian_gram(net: WNNetwork, X: np.ndarray, chunk: int = 64) -> np.ndarray:
    """Λ = J_v J_vᵀ + J_g J_gᵀ (η = 1) from explicit Jacobians, streamed over neurons."""
    n = X.shape[0]
    out = np.zeros((n, n))
    for lo in range(0, net.m, chunk):
        sub = WNNetwork(net.v[lo:lo + chunk], net.g[lo:lo + chunk], net.c[lo:lo + chunk], net.alpha)
        Jv, Jg = sub.jacobians(X)
        # undo the 1/√m_chunk normalisation of the sub-network, apply 1/√m of the whole
        f = sub.m / net.m
        out += f * (Jv @ Jv.T + Jg @ Jg.T)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=512)
    ap.add_argument("--d", type=int, default=64)
    ap.add_argument("--log2m", type=int, default=16)
    ap.add_argument("--m-base", type=int, default=1024, help="neurons for the J Jᵀ baseline")
    ap.add_argument("--memory", action="store_true", help="run the m = 10⁶, n = 256 memory test")
    ap.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.memory_child:
        ds = random_sphere(256, 16, 0)
        net = WNNetwork.init(10**6, 16, 1.0, 1)
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t = time.perf_counter()
        ntk(net, ds)
        dt = time.perf_counter() - t
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"{peak / 2**20:.3f} {base / 2**20:.3f} {dt:.2f}")
        return

    n, d, m = args.n, args.d, 2**args.log2m
    ds = random_sphere(n, d, 0)
    net = WNNetwork.init(m, d, 1.0, 1)
    X = ds.X
    print(f"n = {n}, d = {d}, m = {m}; BLAS threads as configured by numpy")

    S = np.maximum(X @ net.u.T, 0.0)
    T = np.ascontiguousarray(S.T)
    t_gemm = best_of(lambda: S @ T)            # general GEMM, (n×m)(m×n)
    gemm_rate = 2 * n * n * m / t_gemm
    t_V = best_of(lambda: gram_V(net, X))
    t_G = best_of(lambda: gram_G(net, X))
    t_VG = best_of(lambda: grams(net, X))
    t_L = best_of(lambda: ntk(net, X))

    m_base = min(args.m_base, m)
    small = WNNetwork(net.v[:m_base], net.g[:m_base], net.c[:m_base], net.alpha)
    t_J_small = best_of(lambda: jacobian_gram(small, X), repeat=1)
    t_J = t_J_small * m / m_base
    # the two routes agree (on the subsample)
    err = np.abs(jacobian_gram(small, X) - ntk(small, X)).max()

    print(f"one GEMM (n×m)(m×n):      {t_gemm:8.3f} s   ({gemm_rate / 1e9:.1f} GFLOP/s measured)")
    print(f"gram_V:                   {t_V:8.3f} s")
    print(f"gram_G:                   {t_G:8.3f} s")
    print(f"grams (V and G together): {t_VG:8.3f} s")
    print(f"ntk Λ:                    {t_L:8.3f} s   = {t_L / t_gemm:.2f} × one GEMM "
          f"(goal ≤ 3); {2 * n * n * m / t_L / gemm_rate:.0%} of the GEMM rate for 2n²m flops")
    print(f"J Jᵀ from Jacobians:      {t_J:8.1f} s   (timed on m = {m_base}, scaled ×{m // m_base})")
    print(f"speed-up of Λ over J Jᵀ:  {t_J / t_L:8.1f} ×  (goal ≥ 20)")
    print(f"max |Λ_BLAS − Λ_JJᵀ| on the subsample: {err:.2e}")

    if args.memory:
        out = subprocess.run([sys.executable, __file__, "--memory-child"], capture_output=True,
                             text=True, check=True).stdout.split()
        peak, base, dt = map(float, out)
        print(f"memory: Λ at n = 256, d = 16, m = 10⁶: peak RSS {peak:.2f} GB "
              f"(network alone ≈ {10**6 * 16 * 8 * 3 / 2**30:.2f} GB incl. u; before Λ {base:.2f} GB), "
              f"{dt:.1f} s; goal < 2 GB")


if __name__ == "__main__":
    main()
