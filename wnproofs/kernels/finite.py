"""Finite-width Gram matrices: V, G, Λ of the WN network (D4) and H(t) of Du et al.'s (C1).

Names keep the finite-width kernels (``gram_V``, ``gram_G``, ``ntk``, ``ntk_unnormalized``:
functions of a network's parameters) apart from the limits of
:mod:`wnproofs.kernels.closed_forms` (functions of the data).

WN network (THEORY.md §3, claim D4), with Z = X Uᵀ, A = 1{Z ≥ 0}, S = σ(Z) = Z∘A,
s_k = α g_k/||v_k|| and K = X Xᵀ:

    V = [ K ∘ (A diag(s²) Aᵀ) − S diag(s²) Sᵀ ] / m,     G = S Sᵀ / m,
    Λ = (η_v/α²) V + η_g G.

Un-normalized network (Du et al. 2019, C1), A = 1{X Wᵀ ≥ 0}:  H(t) = [K ∘ (A Aᵀ)]/m.

Each product is a symmetric rank-m update (a BLAS ``syrk``: half a GEMM), accumulated
over blocks of neurons so memory is O(n · chunk) for any width m.  For small n the blocks
form a fixed number of groups (:func:`n_groups`: a function of n, m and the block size
only), summed separately on a pool of Python threads and then added in group order, so the
kernels are bit-identical for every thread count.  The network is read
through its attributes (``v``, ``g``, ``alpha``, ``m``, ``d``; ``w`` for Du et al.'s), so
this layer does not import the models.
"""

from __future__ import annotations

import numpy as np

from ..data import Dataset
from ..errors import InputError, check_finite_array, check_positive, check_positive_int
from ..threads import resolve_threads, run_ranges, scratch, single_blas, split_ranges

__all__ = ["gram_V", "gram_G", "grams", "ntk", "ntk_unnormalized", "default_chunk", "n_groups",
           "workspace_bytes", "CHUNK_ELEMENTS"]

#: Neurons per block: at least CHUNK_MIN (a rank-chunk update of the n × n sums stays
#: compute-bound), else an (n × chunk) work array of CHUNK_ELEMENTS entries (2 MB, in cache).
CHUNK_ELEMENTS = 2**18
CHUNK_MIN = 1024
#: The n × n partial sums of all groups take at most this many bytes (n = 256: 16 groups).
GROUP_BYTES = 2**26
MAX_GROUPS = 16


def default_chunk(n: int) -> int:
    """Neurons per block for n inputs: max(CHUNK_MIN, CHUNK_ELEMENTS // n)."""
    return max(CHUNK_MIN, CHUNK_ELEMENTS // max(1, n))


def _inputs(X, d: int, name: str = "X") -> np.ndarray:
    """A batch of inputs as a finite (n, d) float array for a network of input dimension d."""
    X = check_finite_array(X.X if isinstance(X, Dataset) else X, name, 2)
    if X.shape[1] != d:
        raise InputError(f"{name} has {X.shape[1]} columns but the network expects d = {d}")
    return X


def _rows(net, X) -> np.ndarray:
    """The input rows as a validated (n, d) float array matching the network."""
    return _inputs(X, net.d)


def _keys(want: str) -> tuple[str, ...]:
    """The sums :func:`_accumulate` forms for ``want`` ("L", "V", "G" or "VG")."""
    if want == "L":
        return ("AA", "SwS")
    keys: tuple[str, ...] = ()
    if "V" in want:
        keys += ("AA", "SsS")
    if "G" in want:
        keys += ("SS",)
    return keys


def n_groups(n: int, m: int, want: str = "L", chunk: int | None = None) -> int:
    """Fixed groups of consecutive blocks whose sums are formed separately (a function of
    (n, m, want, chunk) only, never of the thread count): min(blocks, MAX_GROUPS,
    GROUP_BYTES / bytes of one group's n × n sums), at least 1."""
    chunk = default_chunk(n) if chunk is None else int(chunk)
    blocks = -(-int(m) // chunk)
    per = 8 * n * n * max(1, len(_keys(want)))
    return max(1, min(blocks, MAX_GROUPS, GROUP_BYTES // per))


def workspace_bytes(n: int, m: int, d: int, want: str = "L", threads: int | None = None,
                    chunk: int | None = None) -> int:
    """Bytes a kernel call allocates beyond its inputs: a work block per thread (U, Z, M, the
    pattern and one n × n product: chunk·(d + 2n) + n² floats and n·chunk bytes), the groups'
    n × n sums and the returned sums (:func:`_accumulate`)."""
    chunk = min(default_chunk(n) if chunk is None else int(chunk), int(m))
    G = n_groups(n, m, want, chunk)
    t = min(resolve_threads(threads), G)
    keys = max(1, len(_keys(want)))
    return t * (8 * (chunk * (d + 2 * n) + n * n) + n * chunk) + 8 * (G + 1) * keys * n * n


def _block_sums(net, X: np.ndarray, want: str, eta_v: float, eta_g: float, lo: int, hi: int,
                out: dict[str, np.ndarray], work: tuple[np.ndarray, ...]) -> None:
    """Add block lo..hi−1's symmetric rank-(hi − lo) products into ``out`` (in place).

    ``work``: (U (chunk, d), Z (n, chunk), M (n, chunk), A bool (n, chunk), T (n, n)) of the
    running thread.  Elementwise passes on the block: A = 1{Z ≥ 0}, S = σ(Z) in place,
    M = A diag(s) (one pass), then S diag(√|w|) in place; each product is one ``syrk``."""
    c = hi - lo
    U, Zb, Mb, Ab, T = work
    v = net.v[lo:hi]
    nv = np.sqrt(np.einsum("kd,kd->k", v, v))
    gk = net.g[lo:hi]
    Z = np.matmul(X, np.divide(v, nv[:, None], out=U[:c]).T, out=Zb[:, :c])     # <u_k, x_i>
    A, M = Ab[:, :c], Mb[:, :c]
    if np.all(gk > 0):
        np.greater_equal(Z, 0.0, out=A)              # 1{g_k <u_k, x> >= 0} with g_k > 0
        S = np.maximum(Z, np.zeros(c), out=Z)        # σ(Z) = Z∘A, in place (a zero row: NumPy's
                                                     # scalar-0.0 path is 2-4× slower)
    else:
        np.greater_equal(Z * gk, 0.0, out=A)
        S = np.multiply(Z, A, out=Z)
    s2 = (net.alpha * gk / nv) ** 2                  # s_k²

    def add(key: str, B: np.ndarray, factor: float = 1.0) -> None:
        P = np.matmul(B, B.T, out=T)                 # B Bᵀ: numpy calls syrk (half a GEMM)
        if factor != 1.0:
            P *= factor
        out[key] += P

    def scaled(B: np.ndarray, wts: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, float]:
        """B diag(√wts) as (array, factor): B itself and wts[0] when the weights are equal."""
        if np.all(wts == wts[0]):
            return B, float(wts[0])
        return np.multiply(B, np.sqrt(wts), out=dst), 1.0

    if "AA" in out:                                  # A diag(s²) Aᵀ
        if np.all(s2 == s2[0]):
            np.copyto(M, A)
            add("AA", M, float(s2[0]))
        else:
            add("AA", np.multiply(A, np.sqrt(s2), out=M))
    if want == "L":
        wgt = eta_g - (eta_v / net.alpha**2) * s2
        if np.all(wgt >= 0) or np.all(wgt <= 0):
            B, f = scaled(S, np.abs(wgt), S)
            add("SwS", B, f if np.all(wgt >= 0) else -f)
        else:                                        # split by sign: two symmetric updates
            order = np.argsort(wgt < 0, kind="stable")  # the w_k ≥ 0 first, in their order
            npos = int(np.count_nonzero(wgt >= 0))
            B = np.take(S, order, axis=1, out=M)
            B *= np.sqrt(np.abs(wgt))[order]
            add("SwS", B[:, :npos])
            add("SwS", B[:, npos:], -1.0)
        return
    if "SS" in out:
        add("SS", S)
    if "SsS" in out:
        if "SS" in out and np.all(s2 == 1.0):
            out["SsS"] += T                          # s ≡ 1 (t = 0): the same product
        else:
            B, f = scaled(S, s2, M)
            add("SsS", B, f)


def _accumulate(net, X: np.ndarray, want: str, eta_v: float, eta_g: float,
                chunk: int | None, threads: int | None = None) -> dict[str, np.ndarray]:
    """Stream over blocks of neurons and accumulate the syrk products needed for ``want``.

    want: "V", "G", "VG" or "L" (Λ); X already validated.  Returns unnormalised sums:
    AA = Σ s_k² a_k a_kᵀ, SsS = Σ s_k² σ_k σ_kᵀ, SS = Σ σ_k σ_kᵀ, SwS = Σ w_k σ_k σ_kᵀ with
    w_k = η_g − (η_v/α²) s_k².

    Blocks of :func:`default_chunk` neurons form :func:`n_groups` fixed groups of consecutive
    blocks; each group sums its blocks in order, and the groups' sums are added in group
    order by the calling thread.  With more than one group, the groups run on
    :func:`wnproofs.threads.run_ranges` (contiguous ranges of groups, one a thread, BLAS at
    one thread), so the result is bit-identical for every thread count; with one group (large
    n) the blocks run on the calling thread with BLAS as configured.  ``threads``: default
    :func:`wnproofs.threads.default_threads`.
    """
    n, d = X.shape
    chunk = default_chunk(n) if chunk is None else check_positive_int(chunk, "chunk")
    chunk = min(chunk, net.m)
    keys = _keys(want)
    blocks = [(lo, min(net.m, lo + chunk)) for lo in range(0, net.m, chunk)]
    G = n_groups(n, net.m, want, chunk)
    groups = split_ranges(len(blocks), G)
    nk = len(keys)
    flat = scratch("kernels.sums", G * nk * n * n)         # the groups' sums, reused
    flat[:] = 0.0
    sums = [{k: flat[(gi * nk + j) * n * n:(gi * nk + j + 1) * n * n].reshape(n, n)
             for j, k in enumerate(keys)} for gi in range(G)]

    def task(g0: int, g1: int) -> None:
        w = scratch("kernels.block", chunk * d + 2 * n * chunk + n * n)
        work = (w[: chunk * d].reshape(chunk, d), w[chunk * d: chunk * (d + n)].reshape(n, chunk),
                w[chunk * (d + n): chunk * (d + 2 * n)].reshape(n, chunk),
                scratch("kernels.pattern", n * chunk, np.bool_).reshape(n, chunk),
                w[chunk * (d + 2 * n):].reshape(n, n))
        for gi in range(g0, g1):
            b0, b1 = groups[gi]
            for lo, hi in blocks[b0:b1]:
                _block_sums(net, X, want, eta_v, eta_g, lo, hi, sums[gi], work)

    if G == 1:
        task(0, 1)
    else:
        with single_blas():
            run_ranges(task, split_ranges(G, resolve_threads(threads)))
    out = {k: a.copy() for k, a in sums[0].items()}
    for part in sums[1:]:                                    # the fixed order of the reduction
        for k in keys:
            out[k] += part[k]
    return out


def gram_V(net, X, *, chunk: int | None = None, threads: int | None = None) -> np.ndarray:
    """Direction Gram matrix V(t) of D4 for the network's current parameters.

    V_ij = (1/m) Σ_k s_k² ⟨P_{v_k} x_i, P_{v_k} x_j⟩ 1{⟨v_k,x_i⟩≥0} 1{⟨v_k,x_j⟩≥0},
    s_k = α g_k/||v_k||.  Equals α² J_v J_vᵀ.  O(n² m + n m d) time, O(n · chunk) memory.
    """
    return grams(net, X, chunk=chunk, threads=threads)[0]


def gram_G(net, X, *, chunk: int | None = None, threads: int | None = None) -> np.ndarray:
    """Length Gram matrix G(t) of D4: G_ij = (1/m) Σ_k σ(⟨u_k,x_i⟩) σ(⟨u_k,x_j⟩) = J_g J_gᵀ.

    The theory assumes g_k > 0.  Where a length has turned negative (possible under GD
    with large steps) this returns J_g J_gᵀ, whose activation is 1{g_k⟨u_k,x⟩ ≥ 0}: the
    kernel that actually drives the dynamics, no longer the σ(⟨u_k,x⟩) form of THEORY.md §3.
    """
    return _accumulate(net, _rows(net, X), "G", 1.0, 1.0, chunk, threads)["SS"] / net.m


def grams(net, X, *, chunk: int | None = None, threads: int | None = None
          ) -> tuple[np.ndarray, np.ndarray]:
    """(V, G) together, sharing the pass over the neurons.

    ``chunk``: neurons per block (default :func:`default_chunk`; it changes the order of the
    sums, so only rounding); ``threads``: Python threads over fixed groups of blocks (default
    :func:`wnproofs.threads.default_threads`; it changes no bit, see :func:`_accumulate`)."""
    Xa = _rows(net, X)
    acc = _accumulate(net, Xa, "VG", 1.0, 1.0, chunk, threads)
    V = ((Xa @ Xa.T) * acc["AA"] - acc["SsS"]) / net.m
    return V, acc["SS"] / net.m


def ntk(net, X, eta_v: float = 1.0, eta_g: float = 1.0, *,
        chunk: int | None = None, threads: int | None = None) -> np.ndarray:
    """The WN neural tangent kernel Λ = (η_v/α²) V + η_g G of D4.

    Equals η_v J_v J_vᵀ + η_g J_g J_gᵀ; computed from two symmetric rank-m products
    (A∘s and S weighted by η_g − (η_v/α²) s_k²) plus X Uᵀ.  ``chunk``, ``threads`` as in
    :func:`grams`.
    """
    eta_v = check_positive(eta_v, "eta_v")
    eta_g = check_positive(eta_g, "eta_g")
    Xa = _rows(net, X)
    acc = _accumulate(net, Xa, "L", eta_v, eta_g, chunk, threads)
    return ((eta_v / net.alpha**2) * (Xa @ Xa.T) * acc["AA"] + acc["SwS"]) / net.m


def ntk_unnormalized(w: np.ndarray, X, *, chunk: int | None = None) -> np.ndarray:
    """Du et al.'s NTK H(t) = [X Xᵀ ∘ (A Aᵀ)]/m with A = 1{X Wᵀ ≥ 0} (C1; O(n² m)).

    ``w`` is the (m, d) weight matrix; A Aᵀ is accumulated over chunks of neurons.
    """
    w = check_finite_array(w, "w", 2)
    Xa = _inputs(X, w.shape[1])
    n, m = Xa.shape[0], w.shape[0]
    chunk = default_chunk(n) if chunk is None else check_positive_int(chunk, "chunk")
    AA = np.zeros((n, n))
    for lo in range(0, m, chunk):
        A = (Xa @ w[lo:lo + chunk].T >= 0).astype(np.float64)
        AA += A @ A.T
    return (Xa @ Xa.T) * AA / m
