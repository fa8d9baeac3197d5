"""Benchmark: certified λ_0, μ_0 (Cholesky route) against numpy's eigvalsh and the Arb route.

Issue 13, item 1.  For random unit rows (d = 20) at each n, in one run:

* ``eigvalsh``: ``numpy.linalg.eigvalsh`` of the two float matrices V^∞, G^∞ (formed
  beforehand, formation not timed);
* ``certify``: ``wnproofs.certify.certify(method="cholesky")`` end to end (rigorous entry
  bounds, λ estimate, shifted Cholesky), for λ_0 and μ_0;
* ``arb``: the Arb route (only where n ≤ --arb-max, it is O(n³) in 128-bit balls).

Prints the times, their ratios and the certified bound's relative gap to eigvalsh's value.
Run:  python benchmarks/bench_certify.py --n 1000 4000 10000
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))


def main(argv=None) -> int:
    from wnproofs import certify, random_sphere
    from wnproofs.kernels import kernel_matrices

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[1000, 4000])
    ap.add_argument("--d", type=int, default=20)
    ap.add_argument("--arb-max", type=int, default=1000)
    ap.add_argument("--no-eigvalsh-above", type=int, default=6000,
                    help="skip eigvalsh above this n (it takes ~15 min at n = 10^4 on 2 cores)")
    args = ap.parse_args(argv)
    print(f"threads: OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}, cpus={os.cpu_count()}")
    for n in args.n:
        ds = random_sphere(n, args.d, np.random.default_rng(n))
        t = time.perf_counter()
        certs = certify.certify(ds, ("lambda_0", "mu_0"), method="cholesky")
        t_cert = time.perf_counter() - t
        line = f"n = {n:6d}: certify {t_cert:7.2f} s"
        if n <= args.no_eigvalsh_above:
            mats = kernel_matrices(ds, ("V", "G"))
            t = time.perf_counter()
            ev = {k: float(np.linalg.eigvalsh(m)[0]) for k, m in mats.items()}
            t_eig = time.perf_counter() - t
            del mats
            line += f", eigvalsh {t_eig:7.2f} s (ratio certify/eigvalsh {t_cert / t_eig:.2f})"
            gaps = {q: (ev[w] - certs[q].lower_bound) / ev[w] for q, w in (("lambda_0", "V"), ("mu_0", "G"))}
        else:
            gaps = {q: (c.float_lambda_min - c.lower_bound) / c.float_lambda_min for q, c in certs.items()}
            line += " (eigvalsh skipped; gap to the Lanczos estimate)"
        if n <= args.arb_max:
            t = time.perf_counter()
            arb = certify.certify(ds, ("lambda_0", "mu_0"), method="arb")
            t_arb = time.perf_counter() - t
            line += f", Arb {t_arb:7.2f} s (ratio Arb/certify {t_arb / t_cert:.1f})"
            assert all(c.certified for c in arb.values())
        print(line)
        for q, c in certs.items():
            print(f"    {q:9s} {c.status:14s} lower {c.lower_bound:.12e}  relative gap {gaps[q]:.2e}  "
                  f"({c.elapsed_s:.2f} s; {c.message})")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
