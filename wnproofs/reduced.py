"""Exact reduction of the initialization to the span of the data, drawn in chunks (very wide runs).

Everything the theorems look at (f, the gradients D1, the kernels V, G, Λ of D4 and H of C1,
the movement of directions and lengths, the activation flips) depends on a first-layer
weight w_k ∈ R^d only through inner products with the data and with w_k itself.  Let Q
(d × r) be an orthonormal basis of span{x_1, ..., x_n} (r = rank X).  At initialization
w_k(0) = Q a_k + b_k e_k with a_k ~ N(0, I_r), b_k = ||w_k(0) − QQᵀw_k(0)|| ~ χ_{d−r} and
e_k a unit vector orthogonal to span X, all independent; and GD and GF keep w_k(t) (for WN:
v_k(t)) in span X ⊕ R e_k, because ∇_{v_k}L ∈ span{P_{v_k} x_i} ⊂ span X ⊕ R v_k and
∇_{w_k}L ∈ span X.  So the network on R^d is, exactly (in exact arithmetic), the network on
R^{r+1} with data x̃_i = (Qᵀx_i, 0) and weights w̃_k = (a_k, b_k): the same realized
initialization, at a cost of O(r) per neuron instead of O(d).  The closed forms G^∞, V^∞,
H^∞ and λ_0, μ_0, λ_H still belong to R^d (u uniform on S^{d−1}): compute them from the
original rows, or from the reduced rows padded to d columns.

The initialization is defined chunk by chunk: chunk j (neurons j·CHUNK ... ) is drawn from
child j of a ``SeedSequence``, so a certificate can stream it (O(CHUNK) memory, any m) and
a simulation can assemble the very same weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np

from .errors import InputError, check_alpha, check_finite_array, check_positive_int
from .model import WNNetwork
from .unnormalized import UNetwork

__all__ = ["CHUNK", "Reduction", "reduce_data", "seed_sequence", "child", "weight_chunks", "wn_init",
           "unnormalized_init"]

#: Neurons per chunk of the canonical draw (part of the definition of the initialization).
CHUNK = 2**16


@dataclass(frozen=True, eq=False)
class Reduction:
    """Data in reduced coordinates: ``X`` is (n, dim) with dim = r + 1 (r + 0 when d = r).

    ``Q`` (d × r) is the orthonormal basis used, ``d`` the ambient dimension.
    """

    X: np.ndarray
    Q: np.ndarray
    d: int
    r: int

    @property
    def dim(self) -> int:
        return int(self.X.shape[1])

    @property
    def padded(self) -> np.ndarray:
        """The reduced rows padded with zeros to d columns (same angles, same ambient dimension)."""
        n = self.X.shape[0]
        out = np.zeros((n, self.d))
        out[:, : self.dim] = self.X
        return out


def reduce_data(X) -> Reduction:
    """Coordinates of the rows of ``X`` in an orthonormal basis of their span, plus one zero column.

    When the rows are supported on at most rank + 1 coordinates, Q selects those
    coordinates and the reduction is exact in floating point; otherwise Q comes from one QR
    of Xᵀ and the reduced rows carry its rounding (≈ 1e-16).
    """
    X = check_finite_array(X, "X", 2)
    n, d = X.shape
    if d < 2:
        raise InputError(f"d must be >= 2, got {d}")
    cols = np.flatnonzero(np.any(X != 0, axis=0))
    rank = int(np.linalg.matrix_rank(X))
    if rank + 1 < len(cols):
        # a basis of the span itself (one QR: the reduced rows carry its rounding)
        Qf, _ = np.linalg.qr(X.T)
        Q = Qf[:, :rank]
        Xr = X @ Q
    else:
        # rows supported on a few coordinates: Q selects them (exact in floating point)
        Q = np.zeros((d, len(cols)))
        Q[cols, np.arange(len(cols))] = 1.0
        Xr = X[:, cols]
    r = Q.shape[1]
    extra = 1 if d > r else 0
    if r + extra < 2:
        extra = 2 - r
    Xt = np.zeros((n, r + extra))
    Xt[:, :r] = Xr
    return Reduction(Xt, Q, int(d), int(r))


def seed_sequence(seed) -> np.random.SeedSequence:
    """A SeedSequence from an int, a SeedSequence or a Generator (one integer drawn from it)."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(int(seed.integers(0, 2**63 - 1)))
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0:
        return np.random.SeedSequence(int(seed))
    raise InputError(f"seed must be a non-negative int, a SeedSequence or a Generator, got {seed!r}")


def child(ss: np.random.SeedSequence, j: int) -> np.random.SeedSequence:
    """Child j of ``ss`` (what ``ss.spawn`` would give first time), without mutating ``ss``:
    the same seed always names the same initialization, however often it is drawn."""
    return np.random.SeedSequence(ss.entropy, spawn_key=tuple(ss.spawn_key) + (int(j),), pool_size=ss.pool_size)


def weight_chunks(red: Reduction, m: int, seed, chunk: int = CHUNK
                  ) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """Yield (offset, W̃ (c, dim), signs c (c,)) for the canonical initialization of width m.

    W̃_k = (a_k, b_k): a_k ~ N(0, I_r) the coordinates of w_k(0) in span X, b_k ~ χ_{d−r} the
    norm of its orthogonal part (absent when d = r).  Chunk j uses child j of ``seed``.
    """
    m = check_positive_int(m, "m")
    chunk = check_positive_int(chunk, "chunk")
    ss = seed_sequence(seed)
    n_chunks = -(-m // chunk)
    dof = red.d - red.r
    for j in range(n_chunks):
        lo = j * chunk
        c = min(chunk, m - lo)
        gen = np.random.default_rng(child(ss, j))
        W = np.zeros((c, red.dim))
        W[:, : red.r] = gen.standard_normal((c, red.r))
        if dof > 0:
            W[:, red.r] = np.sqrt(2.0 * gen.standard_gamma(dof / 2.0, c))   # χ_{d−r}
        signs = np.where(gen.integers(0, 2, c) == 1, 1.0, -1.0)
        yield lo, W, signs


def _assemble(red: Reduction, m: int, seed) -> tuple[np.ndarray, np.ndarray]:
    W = np.empty((m, red.dim))
    C = np.empty(m)
    for lo, w, c in weight_chunks(red, m, seed):
        W[lo: lo + len(c)] = w
        C[lo: lo + len(c)] = c
    return W, C


def wn_init(red: Reduction, m: int, alpha: float, seed) -> WNNetwork:
    """The WN network at initialization (THEORY.md §1) in reduced coordinates:
    v_k(0) = α w̃_k, g_k(0) = ||w̃_k|| = ||v_k(0)||/α, c_k = ±1."""
    alpha = check_alpha(alpha)
    W, C = _assemble(red, check_positive_int(m, "m"), seed)
    return WNNetwork(v=alpha * W, g=np.linalg.norm(W, axis=1), c=C, alpha=alpha)


def unnormalized_init(red: Reduction, m: int, seed) -> UNetwork:
    """Du et al.'s network at initialization in reduced coordinates (the same draw as :func:`wn_init`)."""
    W, C = _assemble(red, check_positive_int(m, "m"), seed)
    return UNetwork(w=W, c=C)
