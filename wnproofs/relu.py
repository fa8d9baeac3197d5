"""The two-layer ReLU map and its weight gradient, streamed over neurons (THEORY.md §1-§2, D1).

    f(x_i) = (1/√m) Σ_k c_k σ(⟨w_k, x_i⟩),     L = ½ ||f − y||²,
    ∇_{w_k} L = (c_k/√m) q_k,   q_k = Σ_i r_i 1{⟨w_k, x_i⟩ ≥ 0} x_i,   r = f − y.

Both networks train this map: Du et al.'s un-normalized network directly (weights w,
:mod:`wnproofs.unnormalized`) and the WN network through w_k = g_k v_k/||v_k||, whose D1
gradient is the chain rule ∇_g = ⟨∇_w L, u⟩, ∇_v = (g/||v||) P_v ∇_w L on top of this one
(:func:`wnproofs.model.wn_gradients`).  This module is the only place where the n × m
pre-activations are formed.

Pass structure.  Neurons are processed in blocks of :func:`neuron_chunk` (n, m) (about
BLOCK_ELEMENTS entries, at most MAX_CHUNKS blocks), one (chunk × n) float block P at a time,
held in cache.  Per block, two sweeps over the neurons:

* forward: the block's weights (for WN formed from v and g right there, see
  :func:`wnproofs.model.wn_gradients`), the GEMM P = W_b Xᵀ, the pattern
  A_b = 1{P ≥ 0} written as one byte an entry (one read of P), the ReLU in place (one read
  and write), and the GEMV c_b·σ(P) into the block's own row of partial sums;
* backward (after r = f − y is known): the 0/1 pattern expanded into P (one write), the
  GEMM q_b = A_b (r ∘ X), and the caller's epilogue on q_b while it is in cache (the D1
  chain rule for WN, the factor c_k/√m for the un-normalized network).

So each n × m entry is touched by two GEMMs, three elementwise sweeps and one GEMV, all
within a cache-sized block; nothing of size n × m is written to memory except the byte
pattern.  The O(m d) work of the callers (norms, w = s v, the chain rule) also runs per
block, in the same sweep.  While the pattern (n·m bytes) fits in CACHE_BYTES it is kept
between the two sweeps; beyond, it is recomputed block by block (one more GEMM).  Both ways
run the same block GEMM on the same 0/1 block, so the numbers are identical.

Threads and determinism.  With ``threads`` = T the blocks are cut into T contiguous ranges
(:func:`wnproofs.threads.split_ranges`), each run by one Python thread (numpy's ufuncs and
BLAS release the GIL) with BLAS at one thread (:func:`wnproofs.threads.single_blas`).  Every
number is then a function of its block alone, computed by the same single-threaded code
whichever thread runs it: the GEMMs, the GEMV and the elementwise work of a block do not
depend on T, and the only reduction across blocks, f = Σ_b (c_b·σ(P_b)), is summed by the
calling thread in block order b = 0, 1, … after all blocks are done.  The blocks depend
only on (n, m) (or the ``chunk`` given).  Hence the results are bit-identical for every
thread count, and equal bit for bit to the previous, sequential sweep run with BLAS at one
thread (it summed the same partial sums in the same order; with a threaded BLAS its block
GEMV could move the last bits with the BLAS thread count, e.g. GD at n = 300, m = 3000).
Across machines they are identical as far as the BLAS and numpy kernels are.  ``threads`` (default
:func:`wnproofs.threads.default_threads`: the BLAS thread count) changes only the speed.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from .threads import resolve_threads, run_ranges, scratch, single_blas, split_ranges

__all__ = ["BLOCK_ELEMENTS", "MAX_CHUNKS", "CACHE_BYTES", "neuron_chunk", "caches_activations",
           "forward", "backprop", "backprop_blocks", "one_block", "workspace_bytes"]

#: Entries of one (chunk × n) block of pre-activations: 2 MB, so the elementwise work on a
#: block runs in cache (wall time of :func:`wnproofs.model.wn_gradients` at n = 256, d = 64,
#: m = 8192, one thread, 2026-11-30: blocks of 256 / 512 / 1024 / 2048 neurons 12.4 / 12.2 /
#: 11.9 / 12.1 ms; two threads 6.7 / 6.6 / 6.2 / 6.5 ms).
BLOCK_ELEMENTS = 2**18
#: At most this many blocks (bounds the Python loop for very wide networks).
MAX_CHUNKS = 4096
#: The activation pattern (one byte an entry) is kept between the two passes while it takes
#: at most this much (n = 256: up to m ≈ 10⁶).
CACHE_BYTES = 2**28
#: Zeros for the ReLU: np.maximum against a long zero row runs the vectorized two-array loop
#: (a Python-float 0.0 takes numpy's slower scalar path, ≈ 4× the time on a 2 MB block).
_ZEROS = np.zeros(2**14)
_ZEROS.setflags(write=False)

#: weights(lo, hi, buf) -> the (hi − lo, d) weights of neurons lo..hi−1 (a view, or written into buf).
Weights = Callable[[int, int, np.ndarray], np.ndarray]
#: finish(lo, hi, q_block, buf): the caller's epilogue on its q rows, in place; buf is (hi − lo, d) work space.
Finish = Callable[[int, int, np.ndarray, np.ndarray], None]


#: Blocks whose GEMM has at most this many multiply-adds (rows × n × d) skip the BLAS thread
#: limit when they run on the calling thread: OpenBLAS runs a GEMM with M·N·K ≤ 65536 ×
#: GEMM_MULTITHREAD_THRESHOLD (= 4 by default) on one thread whatever its setting, so the
#: result is the same, and the limit's four library calls (~15 µs) would dominate the tiny
#: products of the GF runs on a few points.
SMALL_GEMM = 2**16


def neuron_chunk(n: int, m: int) -> int:
    """Neurons per block for n inputs and width m (a function of (n, m) only)."""
    c = max(64, BLOCK_ELEMENTS // max(int(n), 1))
    c = max(c, -(-int(m) // MAX_CHUNKS))
    return max(1, min(c, int(m)))


def caches_activations(n: int, m: int) -> bool:
    """Whether :func:`backprop` keeps the n × m activation pattern (n·m bytes ≤ CACHE_BYTES)."""
    return int(n) * int(m) <= CACHE_BYTES


def workspace_bytes(n: int, m: int, d: int, threads: int | None = None) -> int:
    """Bytes :func:`backprop` allocates beyond its inputs: q (m × d), f, r ∘ X, the partial sums
    of f, one (chunk × (n + d)) work block per thread, and the pattern cache (n·m bytes)."""
    chunk = neuron_chunk(n, m)
    nblocks = -(-m // chunk)
    t = min(resolve_threads(threads), nblocks)
    act = n * m if caches_activations(n, m) else 0
    return 8 * (m * d + t * chunk * (n + d) + (nblocks + 2) * n + n * d) + act


def _blocks(m: int, chunk: int) -> list[tuple[int, int]]:
    return [(lo, min(m, lo + chunk)) for lo in range(0, m, chunk)]


def _workspace(rows: int, n: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    """This thread's work block: P (rows, n) and a (rows, d) buffer, reused across calls."""
    buf = scratch("relu.block", rows * (n + d))
    return buf[: rows * n].reshape(rows, n), buf[rows * n:].reshape(rows, d)


def _pattern(m: int, n: int) -> np.ndarray:
    """The calling thread's (m, n) byte array for the activation pattern (:func:`scratch`)."""
    return scratch("relu.pattern", m * n, np.bool_).reshape(m, n)


def _relu_(P: np.ndarray) -> None:
    """σ(P) in place on a C-contiguous block (np.maximum against rows of :data:`_ZEROS`)."""
    flat = P.reshape(-1)
    L = _ZEROS.size
    a = flat.size // L
    if a:
        head = flat[: a * L].reshape(a, L)
        np.maximum(head, _ZEROS, out=head)
    tail = flat[a * L:]
    if tail.size:
        np.maximum(tail, _ZEROS[: tail.size], out=tail)


def _sweep(body: Callable[[int, int, int, np.ndarray, np.ndarray], None], blocks, n: int, d: int,
           chunk: int, threads: int) -> None:
    """body(b, lo, hi, P, buf) for every block b, over contiguous ranges of blocks, one range a
    thread, BLAS at one thread (see the module docstring)."""
    rows = min(chunk, blocks[-1][1]) if blocks else 0

    def task(b0: int, b1: int) -> None:
        P, buf = _workspace(rows, n, d)
        for b in range(b0, b1):
            lo, hi = blocks[b]
            body(b, lo, hi, P[: hi - lo], buf[: hi - lo])

    ranges = split_ranges(len(blocks), threads)
    if len(ranges) == 1 and rows * n * max(d, 1) <= SMALL_GEMM:
        task(*ranges[0])          # tiny: BLAS runs such products on one thread anyway
        return
    with single_blas():
        run_ranges(task, ranges)


def _forward_sweep(weights: Weights, m: int, c: np.ndarray, X: np.ndarray, chunk: int, threads: int,
                   cache: np.ndarray | None) -> np.ndarray:
    """Σ_k c_k σ(⟨w_k, x_i⟩) (not yet divided by √m); fills ``cache`` with A when given.

    Block b writes only its row of the partial sums (and its rows of the cache); the rows
    are added in block order afterwards, by this thread."""
    n, d = X.shape
    blocks = _blocks(m, chunk)
    parts = np.empty((len(blocks), n))
    Xt = X.T

    def body(b: int, lo: int, hi: int, P: np.ndarray, buf: np.ndarray) -> None:
        np.matmul(weights(lo, hi, buf), Xt, out=P)    # pre-activations ⟨w_k, x_i⟩
        if cache is not None:
            np.greater_equal(P, 0.0, out=cache[lo:hi])
        _relu_(P)                                      # σ, in place
        np.matmul(c[lo:hi], P, out=parts[b])

    _sweep(body, blocks, n, d, chunk, threads)
    f = np.zeros(n)
    for b in range(len(blocks)):                       # the fixed order of the reduction
        f += parts[b]
    return f


def backprop_blocks(weights: Weights, m: int, c: np.ndarray, X: np.ndarray, y: np.ndarray, q: np.ndarray,
              finish: Finish | None, *, chunk: int | None, cache: bool | None,
              threads: int | None) -> np.ndarray:
    """The engine of :func:`backprop` and of the callers' fused gradients; returns r = f − y.

    Parameters
    ----------
    weights : ``weights(lo, hi, buf)`` returns the (hi − lo, d) weights of neurons lo..hi−1,
        a view or written into ``buf`` (a (hi − lo, d) work array of the running thread).  It
        is called once a block in the forward sweep (twice when the pattern is not cached),
        from several threads at once: it may write only rows lo..hi−1 of shared arrays.
    m, c, X, y : width, signs (m,), inputs (n, d), labels (n,).
    q : the (m, d) output; q[lo:hi] = A_b (r ∘ X) is written in the backward sweep.
    finish : ``finish(lo, hi, q[lo:hi], buf)`` right after, on the q block still in cache
        (in place; same rules as ``weights``); None: nothing.
    chunk, cache, threads : as in :func:`backprop`.
    """
    n, d = X.shape
    chunk = neuron_chunk(n, m) if chunk is None else int(chunk)
    # one block runs on the calling thread whatever the count: skip looking the default up
    threads = resolve_threads(threads) if (threads is not None or m > chunk) else 1
    keep = caches_activations(n, m) if cache is None else bool(cache)
    A = _pattern(m, n) if keep else None
    r = _forward_sweep(weights, m, c, X, chunk, threads, A) / math.sqrt(m) - y
    rX = r[:, None] * X
    Xt = X.T

    def body(b: int, lo: int, hi: int, P: np.ndarray, buf: np.ndarray) -> None:
        if A is not None:
            np.copyto(P, A[lo:hi].view(np.uint8))      # 1{⟨w_k, x_i⟩ ≥ 0} as 0/1
        else:
            np.matmul(weights(lo, hi, buf), Xt, out=P)
            np.greater_equal(P, 0.0, out=P)
        qb = q[lo:hi]
        np.matmul(P, rX, out=qb)
        if finish is not None:
            finish(lo, hi, qb, buf)

    _sweep(body, _blocks(m, chunk), n, d, chunk, threads)
    return r


def one_block(W: np.ndarray, c: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(q, r) of :func:`backprop` for a tiny network that is one block (products below
    SMALL_GEMM): the block sweep's operations in the same order, without its machinery (the
    GF runs on a few points call it thousands of times).  Bit-identical to the sweep with
    one block (tests/test_relu_threads.py)."""
    m, n = W.shape[0], X.shape[0]
    P = np.matmul(W, X.T)                              # pre-activations ⟨w_k, x_i⟩
    A = P >= 0.0
    np.maximum(P, 0.0, out=P)
    f = np.zeros(n)
    f += np.matmul(c, P)
    r = f / math.sqrt(m) - y
    np.copyto(P, A)
    return np.matmul(P, r[:, None] * X), r


def forward(W: np.ndarray, c: np.ndarray, X: np.ndarray, *, chunk: int | None = None,
            threads: int | None = None) -> np.ndarray:
    """f(x_i) = (1/√m) Σ_k c_k σ(⟨w_k, x_i⟩) for each row of X; no validation, O(n · chunk) memory
    a thread.  ``threads`` changes only the speed (module docstring)."""
    m = W.shape[0]
    chunk = neuron_chunk(X.shape[0], m) if chunk is None else int(chunk)
    f = _forward_sweep(lambda lo, hi, buf: W[lo:hi], m, c, X, chunk, resolve_threads(threads), None)
    return f / math.sqrt(m)


def backprop(W: np.ndarray, c: np.ndarray, X: np.ndarray, y: np.ndarray, *,
             chunk: int | None = None, cache: bool | None = None, threads: int | None = None
             ) -> tuple[np.ndarray, np.ndarray]:
    """(q, r): r = f − y and q_k = Σ_i r_i 1{⟨w_k,x_i⟩ ≥ 0} x_i, so ∇_{w_k} L = (c_k/√m) q_k.

    No validation (the callers validate once).

    Parameters
    ----------
    W, c, X, y : weights (m, d), signs (m,), inputs (n, d), labels (n,).
    chunk : neurons per block (default :func:`neuron_chunk`).
    cache : keep the activation pattern (one byte an entry) between the passes (default
        :func:`caches_activations`).
    threads : Python threads over the blocks (default
        :func:`wnproofs.threads.default_threads`).

    None of ``cache`` and ``threads`` changes a bit of the result (module docstring);
    ``chunk`` changes the order of the sum over blocks, so only rounding.
    """
    m = W.shape[0]
    q = np.empty((m, X.shape[1]))
    r = backprop_blocks(lambda lo, hi, buf: W[lo:hi], m, c, X, y, q, None,
                  chunk=chunk, cache=cache, threads=threads)
    return q, r
