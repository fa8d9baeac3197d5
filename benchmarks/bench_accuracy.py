"""Accuracy table: float64 closed forms and angles against 70-digit references, per angle class.

Issue 13, item 2.  For each kernel (H^∞, G^∞, V^∞), each d in --d and each class of angles
(θ = 0, θ ≈ 1e-9, θ ≈ π − 1e-9, θ = π, generic, near the zero of V^∞), prints the largest
error in ulps of the value (|f − ref| / spacing(ref)), for

* ``ours``: :func:`wnproofs.kernels.closed_forms.kernel_of_angle`;
* ``naive``: the formula evaluated directly in float64 (the alternative);

and, from data, the angle θ and its supplement π − θ of :func:`wnproofs.angles.pairwise_angles_pi`
against the 70-digit angle of the exact rows.  Run:  python benchmarks/bench_accuracy.py
"""

from __future__ import annotations

import argparse
import os
import sys

import mpmath
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

DPS = 70


def _ref(which, t, d):
    with mpmath.workdps(DPS + 20):
        t = mpmath.mpf(t)
        if t == 0:
            h, g = mpmath.mpf(1) / 2, mpmath.mpf(1) / (2 * d)
        else:
            h = mpmath.cos(t) * (mpmath.pi - t) / (2 * mpmath.pi)
            g = (mpmath.sin(t) + (mpmath.pi - t) * mpmath.cos(t)) / (2 * mpmath.pi * d)
        return {"H": h, "G": g, "V": h - g}[which]


def _naive(which, t, d):
    h = np.cos(t) * (np.pi - t) / (2 * np.pi)
    g = (np.sin(t) + (np.pi - t) * np.cos(t)) / (2 * np.pi * d)
    return {"H": h, "G": g, "V": h - g}[which]


def _ulps(f, ref):
    if ref == 0:
        return 0.0 if f == 0 else float("inf")
    with mpmath.workdps(DPS):
        return float(abs(mpmath.mpf(float(f)) - ref)) / float(np.spacing(abs(float(ref))))


def main(argv=None) -> int:
    from wnproofs import angles
    from wnproofs.kernels import closed_forms as cf

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--d", type=int, nargs="+", default=[2, 20, 1000])
    ap.add_argument("--generic", type=int, default=300, help="random angles in the generic class")
    args = ap.parse_args(argv)
    print(f"{'kernel':6s} {'d':>5s} {'class':22s} {'ours (ulps)':>12s} {'naive (ulps)':>14s}")
    overall = 0.0
    for d in args.d:
        rng = np.random.default_rng(d)
        root = cf.v_root(d)[0]
        classes = {
            "theta = 0": [0.0],
            "theta ~ 1e-9": [1e-9, 3.3e-9, 7.1e-10],
            "theta ~ pi - 1e-9": [float(np.pi - 1e-9), float(np.pi - 3e-9)],
            "theta = pi (float)": [float(np.pi)],
            "generic": list(rng.uniform(0, np.pi, args.generic)),
            "near the zero of V": [root + k * 1e-13 for k in range(-5, 6)] + list(root + rng.uniform(-0.3, 0.3, 40)),
        }
        for which in "HGV":
            for name, ts in classes.items():
                ours = max(_ulps(cf.kernel_of_angle(which, t, d), _ref(which, t, d)) for t in ts)
                naive = max(_ulps(_naive(which, t, d), _ref(which, t, d)) for t in ts)
                overall = max(overall, ours)
                print(f"{which:6s} {d:5d} {name:22s} {ours:12.1f} {naive:14.3g}")
    print(f"largest error of the float64 closed forms over all classes: {overall:.1f} ulps")
    print("\nangles from data (pairs of rows), error in ulps of θ and π − θ:")
    print(f"{'d':>4s} {'pair':28s} {'theta':>8s} {'pi - theta':>11s} {'arccos route':>13s}")
    for d in (3, 20):
        for k, (theta, anti) in enumerate([(1e-12, False), (1e-9, False), (1e-4, False), (1e-9, True),
                                            (1e-4, True), (1.0, False), (2.0, False)]):
            P = angles.unit_pair(theta, d, np.random.default_rng(100 * d + k), anti)
            th, ph = angles.pairwise_angles_pi(P)
            with mpmath.workdps(DPS):
                rt, rp = angles.angle_mp(P[0], P[1], DPS)
            Ph = P / np.linalg.norm(P, axis=1, keepdims=True)
            ac = float(np.arccos(np.clip(Ph[0] @ Ph[1], -1, 1)))
            label = f"{'pi - ' if anti else ''}{theta:g}"
            print(f"{d:4d} {label:28s} {_ulps(th[0, 1], rt):8.1f} {_ulps(ph[0, 1], rp):11.1f} "
                  f"{_ulps(ac, rt):13.3g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
