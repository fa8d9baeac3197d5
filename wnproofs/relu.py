"""The two-layer ReLU map and its weight gradient, streamed over neurons (THEORY.md §1-§2, D1).

    f(x_i) = (1/√m) Σ_k c_k σ(⟨w_k, x_i⟩),     L = ½ ||f − y||²,
    ∇_{w_k} L = (c_k/√m) q_k,   q_k = Σ_i r_i 1{⟨w_k, x_i⟩ ≥ 0} x_i,   r = f − y.

Both networks train this map: Du et al.'s un-normalized network directly (weights w,
:mod:`wnproofs.unnormalized`) and the WN network through w_k = g_k v_k/||v_k||, whose D1
gradient is the chain rule ∇_g = ⟨∇_w L, u⟩, ∇_v = (g/||v||) P_v ∇_w L on top of this one
(:func:`wnproofs.model.wn_gradients`).  This module is the only place where the n × m
pre-activations are formed.

Cost and memory.  Two GEMMs of 2nmd flops (pre-activations P = W Xᵀ, and q = A (r ∘ X))
and, per block of neurons held in cache, one comparison (A = 1{P ≥ 0}), one in-place ReLU
and one matrix-vector product for f.  No other pass touches an n × m float array.  Neurons
are processed in blocks of :func:`neuron_chunk` (n, m) (about BLOCK_ELEMENTS entries, at
most MAX_CHUNKS blocks): the working memory is O(n · chunk) beyond the m × d weights, so any
width fits.  While the activation pattern A (one byte an entry, n·m bytes) fits in
CACHE_BYTES it is kept between the forward and the backward pass; beyond, it is recomputed
block by block (one more GEMM).  Both ways run the same block GEMM on the same 0/1 block, so
the numbers are identical, and the blocks depend only on (n, m): the results are the same
on every machine.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["BLOCK_ELEMENTS", "MAX_CHUNKS", "CACHE_BYTES", "neuron_chunk", "caches_activations",
           "forward", "backprop", "workspace_bytes"]

#: Entries of one (chunk × n) block of pre-activations: 2 MB, so the elementwise work on a
#: block runs in cache (CPU time of :func:`backprop` at n = 256, d = 64, m = 8192, one
#: thread: blocks of 256-1024 neurons 12.3 ms, 4096 neurons 13.2 ms; unblocked ≈ 1.5× slower).
BLOCK_ELEMENTS = 2**18
#: At most this many blocks (bounds the Python loop for very wide networks).
MAX_CHUNKS = 4096
#: The activation pattern (one byte an entry) is kept between the two passes while it takes
#: at most this much (n = 256: up to m ≈ 10⁶).
CACHE_BYTES = 2**28


def neuron_chunk(n: int, m: int) -> int:
    """Neurons per block for n inputs and width m (a function of (n, m) only)."""
    c = max(64, BLOCK_ELEMENTS // max(int(n), 1))
    c = max(c, -(-int(m) // MAX_CHUNKS))
    return max(1, min(c, int(m)))


def caches_activations(n: int, m: int) -> bool:
    """Whether :func:`backprop` keeps the n × m activation pattern (n·m bytes ≤ CACHE_BYTES)."""
    return int(n) * int(m) <= CACHE_BYTES


def workspace_bytes(n: int, m: int, d: int) -> int:
    """Bytes :func:`backprop` allocates beyond its inputs: q (m × d), f, r ∘ X, the blocks or the cache."""
    chunk = neuron_chunk(n, m)
    act = n * m if caches_activations(n, m) else 0
    return 8 * (m * d + chunk * n + 2 * n + n * d) + act


def _blocks(m: int, chunk: int):
    for lo in range(0, m, chunk):
        yield lo, min(m, lo + chunk)


def _forward_pass(W: np.ndarray, c: np.ndarray, X: np.ndarray, chunk: int,
                  cache: np.ndarray | None, P: np.ndarray | None = None) -> np.ndarray:
    """Σ_k c_k σ(⟨w_k, x_i⟩) (not yet divided by √m); fills ``cache`` with A when given.
    ``P`` : a (chunk, n) work array (allocated when not given)."""
    n = X.shape[0]
    f = np.zeros(n)
    P = np.empty((chunk, n)) if P is None else P
    Xt = X.T
    for lo, hi in _blocks(W.shape[0], chunk):
        Pb = P[: hi - lo]
        np.matmul(W[lo:hi], Xt, out=Pb)               # pre-activations ⟨w_k, x_i⟩
        if cache is not None:
            np.greater_equal(Pb, 0.0, out=cache[lo:hi])
        np.maximum(Pb, 0.0, out=Pb)                    # σ, in place
        f += c[lo:hi] @ Pb
    return f


def forward(W: np.ndarray, c: np.ndarray, X: np.ndarray, *, chunk: int | None = None) -> np.ndarray:
    """f(x_i) = (1/√m) Σ_k c_k σ(⟨w_k, x_i⟩) for each row of X; no validation, O(n · chunk) memory."""
    m = W.shape[0]
    chunk = neuron_chunk(X.shape[0], m) if chunk is None else int(chunk)
    return _forward_pass(W, c, X, chunk, None) / math.sqrt(m)


def backprop(W: np.ndarray, c: np.ndarray, X: np.ndarray, y: np.ndarray, *,
             chunk: int | None = None, cache: bool | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(q, r): r = f − y and q_k = Σ_i r_i 1{⟨w_k,x_i⟩ ≥ 0} x_i, so ∇_{w_k} L = (c_k/√m) q_k.

    No validation (the callers validate once).  ``chunk`` neurons per block (default
    :func:`neuron_chunk`); ``cache`` keeps the activation pattern (one byte an entry)
    between the passes (default :func:`caches_activations`); it does not change the result.
    """
    n, m = X.shape[0], W.shape[0]
    chunk = neuron_chunk(n, m) if chunk is None else int(chunk)
    keep = caches_activations(n, m) if cache is None else bool(cache)
    A = np.empty((m, n), dtype=bool) if keep else None
    P = np.empty((chunk, n))
    r = _forward_pass(W, c, X, chunk, A, P) / math.sqrt(m) - y
    rX = r[:, None] * X
    q = np.empty((m, X.shape[1]))
    Xt = X.T
    for lo, hi in _blocks(m, chunk):
        Pb = P[: hi - lo]
        if A is not None:
            np.copyto(Pb, A[lo:hi])                    # 1{⟨w_k, x_i⟩ ≥ 0} as 0/1
        else:
            np.matmul(W[lo:hi], Xt, out=Pb)
            np.greater_equal(Pb, 0.0, out=Pb)
        np.matmul(Pb, rX, out=q[lo:hi])
    return q, r
