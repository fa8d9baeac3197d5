"""Checks of the infinite-width closed forms D6-D8.

Two independent routes per kernel:

* **Monte Carlo with its own confidence band.**  Each summand of the G estimator lies in
  [0, 1] and each summand of the V and H estimators in [−1, 1], so by Hoeffding and a union
  bound over the K = n(n+1)/2 entries, with probability ≥ 1 − δ_mc every entry of the
  N-sample mean lies within t = sqrt(log(2K/δ_mc)/(2N)) (width of the range = 1) or
  sqrt(2 log(2K/δ_mc)/N) (range 2) of its expectation.  The closed form fails only when
  it falls outside that band (δ_mc = 1e-9: a false alarm has probability ≤ 1e-9).
* **One-dimensional quadrature at 30 digits.**  Projecting u onto the plane of x_i, x_j
  gives ρ(cos φ, sin φ) with φ uniform and E ρ² = 2/d independent of φ, so every entry is
  an angular integral over φ ∈ [−π, π] (kinks at ±π/2 and θ ± π/2), done by ``mpmath.quad``.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np

from wnproofs.outcomes import Kind, Level, compare
from wnproofs.plugin import Instance

DELTA_MC = 1e-9


def _mc_kernels(X: np.ndarray, n_samples: int, rng: np.random.Generator, chunk: int = 20_000):
    """Monte Carlo means of the three summands over u uniform on S^{d−1}: (G, V, H)."""
    n, d = X.shape
    K = X @ X.T
    G = np.zeros((n, n))
    AA = np.zeros((n, n))
    done = 0
    while done < n_samples:
        b = min(chunk, n_samples - done)
        U = rng.standard_normal((b, d))
        U /= np.linalg.norm(U, axis=1, keepdims=True)
        Z = X @ U.T
        A = (Z >= 0).astype(float)
        S = Z * A
        G += S @ S.T
        AA += A @ A.T
        done += b
    G /= n_samples
    H = K * AA / n_samples
    return G, H - G, H


def _band(n: int, n_samples: int, width: float) -> float:
    K = n * (n + 1) / 2
    return width * math.sqrt(math.log(2 * K / DELTA_MC) / (2 * n_samples))


def _mc_result(claim: str, est: np.ndarray, closed: np.ndarray, band: float, n_samples: int):
    dev = float(np.max(np.abs(est - closed)))
    return compare(claim, Kind.UPPER, Level.NUMERIC, dev, band,
                   message=f"max |MC − closed form| = {dev:.2e} within the Hoeffding band "
                           f"{band:.2e} (N = {n_samples}, δ = {DELTA_MC:g})",
                   details={"n_samples": n_samples, "max_deviation": dev, "band": band})


def _samples(inst: Instance) -> int:
    return int(inst.get("mc_samples", 200_000 if inst.mode == "quick" else 2_000_000))


# -- quadrature --------------------------------------------------------------------

def _angular(theta, fn):
    """(1/2π) ∫_{−π}^{π} fn(cos φ, cos(φ − θ)) 1{cos φ ≥ 0} 1{cos(φ − θ) ≥ 0} dφ."""
    lo = max(-mpmath.pi / 2, theta - mpmath.pi / 2)
    hi = min(mpmath.pi / 2, theta + mpmath.pi / 2)
    if hi <= lo:
        return mpmath.mpf(0)
    val = mpmath.quad(lambda p: fn(mpmath.cos(p), mpmath.cos(p - theta)), [lo, hi])
    return val / (2 * mpmath.pi)


def _pairs(inst: Instance, cap: int | None = None):
    n = inst.data.n
    pairs = [(i, j) for i in range(n) for j in range(i, n)]
    if cap is None:
        cap = int(inst.get("quad_pairs", 12 if inst.mode == "quick" else 10_000))
    if len(pairs) > cap:
        idx = inst.rng(2).choice(len(pairs), size=cap, replace=False)
        pairs = [pairs[k] for k in sorted(idx)]
    return pairs


def _quad_check(claim: str, inst: Instance, closed_mp, integrand, cap: int | None = None, what: str = "closed form"):
    """Largest |closed form − quadrature| over pairs, at 30 digits, tolerance 1e-25."""
    d = inst.data.d
    worst = 0.0
    pairs = _pairs(inst, cap)
    with mpmath.workdps(30):
        for i, j in pairs:
            xi = [mpmath.mpf(float(t)) for t in inst.data.X[i]]
            xj = [mpmath.mpf(float(t)) for t in inst.data.X[j]]
            ni = mpmath.sqrt(mpmath.fsum(t * t for t in xi))
            nj = mpmath.sqrt(mpmath.fsum(t * t for t in xj))
            a = mpmath.sqrt(mpmath.fsum((p / ni - q / nj) ** 2 for p, q in zip(xi, xj)))
            b = mpmath.sqrt(mpmath.fsum((p / ni + q / nj) ** 2 for p, q in zip(xi, xj)))
            theta = 2 * mpmath.atan2(a, b)
            q = integrand(theta, mpmath.mpf(d))
            worst = max(worst, float(abs(q - closed_mp[i, j])))
    return compare(claim, Kind.IDENTITY, Level.NUMERIC, worst, 1e-25,
                   message=f"max |{what} − 30-digit angular quadrature| = {worst:.1e}",
                   details={"pairs": len(pairs)})
