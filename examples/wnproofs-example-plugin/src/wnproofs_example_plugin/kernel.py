"""The two sides of X1 as plain functions (used by the check, the derivation and the tests)."""

from __future__ import annotations

import numpy as np

from wnproofs.data import pairwise_angles


def arccos0(X: np.ndarray) -> np.ndarray:
    """The closed form of X1: (π − θ_ij)/(2π) for the rows of ``X`` (1/2 on the diagonal)."""
    return (np.pi - pairwise_angles(X)) / (2 * np.pi)


def coactivation_frequencies(X: np.ndarray, samples: int, rng: np.random.Generator,
                             chunk: int = 20_000) -> np.ndarray:
    """The fraction of ``samples`` Gaussian w with ⟨w,x_i⟩ ≥ 0 and ⟨w,x_j⟩ ≥ 0 (a k/N matrix)."""
    n, d = X.shape
    counts = np.zeros((n, n))
    done = 0
    while done < samples:
        b = min(chunk, samples - done)
        A = (X @ rng.standard_normal((d, b)) >= 0).astype(float)
        counts += A @ A.T
        done += b
    return counts / samples
