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
over chunks of neurons so memory is O(n · chunk) for any width m.  The network is read
through its attributes (``v``, ``g``, ``alpha``, ``m``, ``d``; ``w`` for Du et al.'s), so
this layer does not import the models.
"""

from __future__ import annotations

import numpy as np

from ..data import Dataset
from ..errors import InputError, check_finite_array, check_positive, check_positive_int

__all__ = ["gram_V", "gram_G", "grams", "ntk", "ntk_unnormalized", "default_chunk", "CHUNK_ELEMENTS"]

#: Elements of one (n × chunk) work array; five such arrays live at once (≈ 160 MB).
CHUNK_ELEMENTS = 2**22


def default_chunk(n: int) -> int:
    """Neurons per chunk so that an (n × chunk) float64 array holds CHUNK_ELEMENTS."""
    return max(256, CHUNK_ELEMENTS // max(1, n))


def _inputs(X, d: int, name: str = "X") -> np.ndarray:
    """A batch of inputs as a finite (n, d) float array for a network of input dimension d."""
    X = check_finite_array(X.X if isinstance(X, Dataset) else X, name, 2)
    if X.shape[1] != d:
        raise InputError(f"{name} has {X.shape[1]} columns but the network expects d = {d}")
    return X


def _rows(net, X) -> np.ndarray:
    """The input rows as a validated (n, d) float array matching the network."""
    return _inputs(X, net.d)


def _accumulate(net, X: np.ndarray, want: str, eta_v: float, eta_g: float,
                chunk: int | None) -> dict[str, np.ndarray]:
    """Stream over neuron chunks and accumulate the syrk products needed for ``want``.

    want: "V", "G", "VG" or "L" (Λ); X already validated.  Returns unnormalised sums:
    AA = Σ s_k² a_k a_kᵀ, SsS = Σ s_k² σ_k σ_kᵀ, SS = Σ σ_k σ_kᵀ, SwS = Σ w_k σ_k σ_kᵀ with
    w_k = η_g − (η_v/α²) s_k².  Elementwise passes are kept to a minimum (they cost as
    much as the products at large m) and products that coincide (s ≡ 1 at t = 0) are reused.
    """
    n = X.shape[0]
    chunk = default_chunk(n) if chunk is None else check_positive_int(chunk, "chunk")
    out: dict[str, np.ndarray] = {}

    def acc(key: str, P: np.ndarray) -> None:
        if key in out:
            out[key] += P
        else:
            out[key] = P.copy()

    def add(key: str, M: np.ndarray, factor: float = 1.0) -> np.ndarray:
        P = M @ M.T  # numpy dispatches a @ a.T to syrk: half a GEMM
        if factor != 1.0:
            P *= factor
        acc(key, P)
        return P

    def weighted(M: np.ndarray, wts: np.ndarray) -> tuple[np.ndarray, float]:
        """M diag(sqrt(wts)) as (array, scalar factor); no copy when the weights are equal."""
        if np.all(wts == wts[0]):
            return M, float(wts[0])
        return M * np.sqrt(wts), 1.0

    for lo in range(0, net.m, chunk):
        sl = slice(lo, min(net.m, lo + chunk))
        v = net.v[sl]
        nv = np.linalg.norm(v, axis=1)
        gk = net.g[sl]
        Z = X @ (v / nv[:, None]).T                  # <u_k, x_i>
        if np.all(gk > 0):
            A = Z >= 0                               # 1{g_k <u_k, x> >= 0} with g_k > 0
            S = np.maximum(Z, 0.0, out=Z)            # σ(Z) = Z∘A, in place
        else:
            A = Z * gk >= 0
            S = np.where(A, Z, 0.0)
        s2 = (net.alpha * gk / nv) ** 2              # s_k²
        if "V" in want or want == "L":
            M, f = weighted(A.astype(np.float64), s2)
            add("AA", M, f)                          # A diag(s²) Aᵀ
        if want == "L":
            wgt = eta_g - (eta_v / net.alpha**2) * s2
            if np.all(wgt >= 0) or np.all(wgt <= 0):
                M, f = weighted(S, np.abs(wgt))
                add("SwS", M, f if np.all(wgt >= 0) else -f)
            else:                                    # split by sign: two symmetric updates
                pos = wgt >= 0
                add("SwS", S[:, pos] * np.sqrt(wgt[pos]))
                add("SwS", S[:, ~pos] * np.sqrt(-wgt[~pos]), -1.0)
        else:
            PS = add("SS", S) if "G" in want else None
            if "V" in want:
                if PS is not None and np.all(s2 == 1.0):
                    acc("SsS", PS)                   # s ≡ 1 (t = 0): same product
                else:
                    M, f = weighted(S, s2)
                    add("SsS", M, f)
    for key in ("AA", "SsS", "SS", "SwS"):
        out.setdefault(key, np.zeros((n, n)))
    return out


def gram_V(net, X, *, chunk: int | None = None) -> np.ndarray:
    """Direction Gram matrix V(t) of D4 for the network's current parameters.

    V_ij = (1/m) Σ_k s_k² ⟨P_{v_k} x_i, P_{v_k} x_j⟩ 1{⟨v_k,x_i⟩≥0} 1{⟨v_k,x_j⟩≥0},
    s_k = α g_k/||v_k||.  Equals α² J_v J_vᵀ.  O(n² m + n m d) time, O(n · chunk) memory.
    """
    return grams(net, X, chunk=chunk)[0]


def gram_G(net, X, *, chunk: int | None = None) -> np.ndarray:
    """Length Gram matrix G(t) of D4: G_ij = (1/m) Σ_k σ(⟨u_k,x_i⟩) σ(⟨u_k,x_j⟩) = J_g J_gᵀ.

    The theory assumes g_k > 0.  Where a length has turned negative (possible under GD
    with large steps) this returns J_g J_gᵀ, whose activation is 1{g_k⟨u_k,x⟩ ≥ 0}: the
    kernel that actually drives the dynamics, no longer the σ(⟨u_k,x⟩) form of THEORY.md §3.
    """
    return _accumulate(net, _rows(net, X), "G", 1.0, 1.0, chunk)["SS"] / net.m


def grams(net, X, *, chunk: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(V, G) together, sharing the pass over the neurons."""
    Xa = _rows(net, X)
    acc = _accumulate(net, Xa, "VG", 1.0, 1.0, chunk)
    V = ((Xa @ Xa.T) * acc["AA"] - acc["SsS"]) / net.m
    return V, acc["SS"] / net.m


def ntk(net, X, eta_v: float = 1.0, eta_g: float = 1.0, *,
        chunk: int | None = None) -> np.ndarray:
    """The WN neural tangent kernel Λ = (η_v/α²) V + η_g G of D4.

    Equals η_v J_v J_vᵀ + η_g J_g J_gᵀ; computed from two symmetric rank-m products
    (A∘s and S weighted by η_g − (η_v/α²) s_k²) plus X Uᵀ.
    """
    eta_v = check_positive(eta_v, "eta_v")
    eta_g = check_positive(eta_g, "eta_g")
    Xa = _rows(net, X)
    acc = _accumulate(net, Xa, "L", eta_v, eta_g, chunk)
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
