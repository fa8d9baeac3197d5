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
from dataclasses import dataclass

import mpmath
import numpy as np

from wnproofs.angles import angle_mp
from wnproofs.kernels.closed_forms import kernel_entry_mp
from wnproofs.outcomes import Kind, Level, compare
from wnproofs.plugin import Instance, read_params

DELTA_MC = 1e-9

#: RNG streams (one independent child generator per use).
STREAM_MC_U, STREAM_MC_W, STREAM_PAIRS, STREAM_MC_ROWS = 0, 1, 2, 3


@dataclass(frozen=True)
class Params:
    """Parameters of the closed-form checks (D6, D7; D8's Monte Carlo reads ``mc_samples``).

    mc_samples : Monte Carlo samples of u (default None: 200 000 in quick mode, 2 000 000 in full).
    quad_pairs : pairs (i ≤ j) checked by quadrature (default None: 12 quick, 10 000 full);
        when fewer than the data have, a random subset (stream ``STREAM_PAIRS``).
    mc_rows : rows whose Gram block the Monte Carlo estimates (default None: 64 quick, 256
        full); larger data use a random subset of rows (stream ``STREAM_MC_ROWS``): the
        closed form is an entrywise identity, and the subset's Gram block is a principal
        submatrix, so the band and the check are the same as for the subset as data.
    """

    mc_samples: int | None = None
    quad_pairs: int | None = None
    mc_rows: int | None = None

    def samples(self, mode: str) -> int:
        return self.mc_samples if self.mc_samples is not None else (200_000 if mode == "quick" else 2_000_000)

    def rows(self, mode: str) -> int:
        return self.mc_rows if self.mc_rows is not None else (64 if mode == "quick" else 256)

    def pairs(self, mode: str) -> int:
        return self.quad_pairs if self.quad_pairs is not None else (12 if mode == "quick" else 10_000)


def params(inst: Instance) -> Params:
    return read_params(Params, inst.params)


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


def mc_subset(inst: Instance) -> np.ndarray:
    """The rows the Monte Carlo checks use: all, or a sorted random subset of ``mc_rows``."""
    n = inst.data.n
    cap = params(inst).rows(inst.mode)
    if n <= cap:
        return np.arange(n)
    return np.sort(inst.rng(STREAM_MC_ROWS).choice(n, size=cap, replace=False))


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
    return params(inst).samples(inst.mode)


# -- quadrature --------------------------------------------------------------------

def _angular(theta, fn):
    """(1/2π) ∫_{−π}^{π} fn(cos φ, cos(φ − θ)) 1{cos φ ≥ 0} 1{cos(φ − θ) ≥ 0} dφ."""
    lo = max(-mpmath.pi / 2, theta - mpmath.pi / 2)
    hi = min(mpmath.pi / 2, theta + mpmath.pi / 2)
    if hi <= lo:
        return mpmath.mpf(0)
    val = mpmath.quad(lambda p: fn(mpmath.cos(p), mpmath.cos(p - theta)), [lo, hi])
    return val / (2 * mpmath.pi)


def _pairs(inst: Instance, cap: int):
    """Pairs i ≤ j (all, or ``cap`` of them drawn without replacement), never the n² list
    when n is large."""
    n = inst.data.n
    total = n * (n + 1) // 2
    if total <= cap:
        return [(i, j) for i in range(n) for j in range(i, n)]
    idx = np.sort(inst.rng(STREAM_PAIRS).choice(total, size=cap, replace=False))
    # index k of the row-major upper triangle (with diagonal) -> (i, j)
    starts = np.cumsum([0] + [n - i for i in range(n)])
    i = np.searchsorted(starts, idx, side="right") - 1
    j = idx - starts[i] + i
    return list(zip(i.tolist(), j.tolist()))


def _quad_check(claim: str, which, inst: Instance, integrand, cap: int | None = None,
                what: str = "closed form"):
    """Largest |closed form − quadrature| over pairs, at 30 digits, tolerance 1e-25.

    ``which`` names a kernel of :mod:`wnproofs.kernels` ("G", "V", "H": only the checked
    entries are evaluated, at 30 digits, by the kernels' mpmath route) or is a function
    ``(i, j) -> entry`` (evaluated only on the checked pairs, never the n × n matrix); the
    angle of each pair by :func:`wnproofs.angles.angle_mp`."""
    d = inst.data.d
    X = inst.data.X
    pairs = _pairs(inst, cap if cap is not None else params(inst).pairs(inst.mode))
    worst = 0.0
    with mpmath.workdps(30):
        for i, j in pairs:
            if i == j:
                theta = mpmath.mpf(0)
                closed = kernel_entry_mp(which, X[i], X[i], d, 30) if isinstance(which, str) else which(i, j)
            else:
                theta = angle_mp(X[i], X[j], 30)[0]
                closed = kernel_entry_mp(which, X[i], X[j], d, 30) if isinstance(which, str) else which(i, j)
            q = integrand(theta, mpmath.mpf(d))
            worst = max(worst, float(abs(q - closed)))
    return compare(claim, Kind.IDENTITY, Level.NUMERIC, worst, 1e-25,
                   message=f"max |{what} − 30-digit angular quadrature| = {worst:.1e}",
                   details={"pairs": len(pairs)})
