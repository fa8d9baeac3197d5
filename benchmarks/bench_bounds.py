"""Benchmark of wnproofs.bounds and wnproofs.certify (a script, not a test).

    python benchmarks/bench_bounds.py [--n-mp 100] [--n-cert 1000] [--d 10] [--skip-eigsy]

1. 50-digit λ_0 for n = 100: float64 eigh + mixed-precision Newton refinement
   (bounds.lambda_min_mp, method "refine") against plain ``mpmath.eigsy`` (the baseline),
   on the same 50-digit V^∞, in the same run; prints both times, the ratio and the
   agreement in digits.
2. Certified λ_0 and μ_0 for n = 1000, d = 10 (Arb closed forms, Sylvester + Gershgorin):
   time of each, and the relative distance of the certified bound to float64 λ_min.
   Goal: both certificates in under 15 s, each within 1e-6 relative.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

import mpmath
import numpy as np


def main(argv=None) -> int:
    from wnproofs import bounds, certify, kernels
    from wnproofs.data import random_sphere

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n-mp", type=int, default=100)
    ap.add_argument("--n-cert", type=int, default=1000)
    ap.add_argument("--d", type=int, default=10)
    ap.add_argument("--dps", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--skip-eigsy", action="store_true", help="skip the slow mpmath.eigsy baseline")
    ap.add_argument("--json", metavar="PATH", help="write the numbers as JSON")
    args = ap.parse_args(argv)
    out = {"python": sys.version.split()[0], "machine": platform.machine(), "cpus": os.cpu_count(),
           "n_mp": args.n_mp, "n_cert": args.n_cert, "d": args.d, "dps": args.dps}

    # -- 1. 50-digit λ_0 ---------------------------------------------------------------
    ds = random_sphere(args.n_mp, args.d, np.random.default_rng([args.seed, 1]))
    t = time.perf_counter()
    V = kernels.V_inf(ds, args.dps)
    t_form_mp = time.perf_counter() - t
    t = time.perf_counter()
    lam_fast, info = bounds.lambda_0(ds, args.dps), {}
    t_fast = time.perf_counter() - t
    t = time.perf_counter()
    Va = bounds._data_matrix("V", ds, args.dps, "arb")
    t_form_arb = time.perf_counter() - t
    t = time.perf_counter()
    lam_r, info = bounds.lambda_min_mp(Va, args.dps, method="refine", return_info=True)
    t_ref = time.perf_counter() - t
    print(f"[1] n = {args.n_mp}, d = {args.d}, {args.dps} digits: forming V^inf: mpmath "
          f"(kernels.V_inf) {t_form_mp:.2f} s, Arb {t_form_arb:.2f} s")
    print(f"    eigenvalue by refinement (float64 eigh + Newton, {info['iterations']} iterations): "
          f"{t_ref:.3f} s; bounds.lambda_0 end to end {t_fast:.2f} s; lambda_0 = {mpmath.nstr(lam_fast, 20)}")
    out.update(t_form_mpmath_s=t_form_mp, t_form_arb_s=t_form_arb, t_refine_s=t_ref,
               t_lambda_0_total_s=t_fast, refine_iterations=info["iterations"],
               lambda_0=mpmath.nstr(lam_fast, args.dps))
    if not args.skip_eigsy:
        t = time.perf_counter()
        lam_e = bounds.lambda_min_mp(V, args.dps, method="eigsy")
        t_eig = time.perf_counter() - t
        with mpmath.workdps(args.dps):
            diff = abs(lam_fast - lam_e)
            digits = float(-mpmath.log10(diff / abs(lam_e))) if diff > 0 else float(args.dps)
        base = t_form_mp + t_eig
        print(f"    baseline kernels.V_inf + mpmath.eigsy: {base:.2f} s (eigsy alone {t_eig:.2f} s); "
              f"speed-up end to end {base / t_fast:.0f}x, eigenvalue step {t_eig / t_ref:.0f}x; "
              f"agreement {digits:.1f} digits")
        out.update(t_eigsy_s=t_eig, t_baseline_total_s=base, speedup_total=base / t_fast,
                   speedup_eig=t_eig / t_ref, agreement_digits=digits)

    # -- 2. certificates ---------------------------------------------------------------
    ds = random_sphere(args.n_cert, args.d, np.random.default_rng([args.seed, 2]))
    t = time.perf_counter()
    certs = certify.certify(ds, ("lambda_0", "mu_0"))
    t_cert = time.perf_counter() - t
    print(f"[2] n = {args.n_cert}, d = {args.d}: both certificates in {t_cert:.2f} s (goal < 15 s)")
    ok = True
    for q, c in certs.items():
        rel = (c.float_lambda_min - c.lower_bound) / c.float_lambda_min
        print(f"    {q}: {c.status}, > {c.lower_bound:.12g} (float64 {c.float_lambda_min:.12g}, "
              f"relative gap {rel:.2e}, goal <= 1e-6), {c.elapsed_s:.2f} s, prec {c.prec}")
        ok &= c.status == "certified" and rel <= 1e-6
        out[f"cert_{q}"] = {"status": c.status, "lower_bound": c.lower_bound,
                            "float": c.float_lambda_min, "relative_gap": rel, "seconds": c.elapsed_s}
    out["t_cert_total_s"] = t_cert
    out["goal_met"] = bool(ok and t_cert < 15)
    print(f"    goal met: {out['goal_met']}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(out, fh, indent=2)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
