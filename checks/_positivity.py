"""Checks of L1: λ_0 = λ_min(V^∞) > 0 and μ_0 = λ_min(G^∞) > 0 under A1; singular otherwise.

Three routes (THEORY.md §5):

* **certified positivity** - rigorous lower bounds λ_0 > a > 0 and μ_0 > b > 0 from
  :mod:`wnproofs.certify` (Arb balls, Sylvester + Gershgorin) on data satisfying A1;
* **exact singularity** - a copy of the data with x_1 := x_0 (a repeated point): e_0 − e_1
  is an exact null vector of V^∞ and G^∞ (identical rows; closed forms at θ = 0 equal the
  diagonal, checked in SymPy), and float64 agrees (λ_min ≈ 0);
* **monotone degradation** - x_1 is moved onto x_0 along a great circle, θ → 0: λ_0(θ) and
  μ_0(θ) are non-increasing, vanish like θ and θ² respectively, and stay below the
  2×2 Rayleigh bound A(0) − A(θ) (test vector (e_0 − e_1)/√2).
"""

from __future__ import annotations

import numpy as np

from wnproofs.data import Dataset


def _with_row(ds: Dataset, k: int, x: np.ndarray, name: str) -> Dataset:
    X = np.array(ds.X, dtype=float, copy=True)
    X[k] = x
    return Dataset(X, ds.y, name=name)
