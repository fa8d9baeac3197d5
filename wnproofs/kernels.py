"""Finite-width Gram matrices V, G, Λ and their infinite-width limits V^∞, G^∞, H^∞.

Names keep the finite-width kernels (``gram_V``, ``gram_G``, ``ntk``: functions of a
network) apart from the limits (``V_inf``, ``G_inf``, ``H_inf``: functions of the data).

Finite width (THEORY.md §3, claim D4), with Z = X Uᵀ, A = 1{Z ≥ 0}, S = σ(Z) = Z∘A,
s_k = α g_k/||v_k|| and K = X Xᵀ:

    V = [ K ∘ (A diag(s²) Aᵀ) − S diag(s²) Sᵀ ] / m,     G = S Sᵀ / m,
    Λ = (η_v/α²) V + η_g G.

Each product is a symmetric rank-m update (a BLAS ``syrk``: half a GEMM), accumulated
over chunks of neurons so memory is O(n · chunk) for any width m.

Infinite width (claims D6-D8), θ = θ_ij:

    G^∞ = (sin θ + (π − θ) cos θ) / (2π d),   H^∞ = cos θ (π − θ) / (2π),   V^∞ = H^∞ − G^∞.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

import mpmath
import numpy as np

from .data import Dataset, as_unit_rows, pairwise_angles
from .errors import InputError, check_alpha, check_dps, check_positive, check_positive_int
from .model import WNNetwork, check_inputs

__all__ = [
    "gram_V",
    "gram_G",
    "grams",
    "ntk",
    "G_inf",
    "V_inf",
    "H_inf",
    "Lambda_inf",
    "lambda_0",
    "mu_0",
    "lambda_H",
    "Regime",
    "regime",
    "default_chunk",
]

DataLike = Union[Dataset, np.ndarray]

#: Elements of one (n × chunk) work array; five such arrays live at once (≈ 160 MB).
CHUNK_ELEMENTS = 2**22


def default_chunk(n: int) -> int:
    """Neurons per chunk so that an (n × chunk) float64 array holds CHUNK_ELEMENTS."""
    return max(256, CHUNK_ELEMENTS // max(1, n))


def _X(X: DataLike) -> np.ndarray:
    return X.X if isinstance(X, Dataset) else as_unit_rows(X)


# -----------------------------------------------------------------------------
# finite width
# -----------------------------------------------------------------------------

def _rows(net: WNNetwork, X) -> np.ndarray:
    """The input rows as a validated (n, d) float array matching the network."""
    return check_inputs(X.X if isinstance(X, Dataset) else X, net.d)


def _accumulate(net: WNNetwork, X: np.ndarray, want: str, eta_v: float, eta_g: float,
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


def gram_V(net: WNNetwork, X, *, chunk: int | None = None) -> np.ndarray:
    """Direction Gram matrix V(t) of D4 for the network's current parameters.

    V_ij = (1/m) Σ_k s_k² ⟨P_{v_k} x_i, P_{v_k} x_j⟩ 1{⟨v_k,x_i⟩≥0} 1{⟨v_k,x_j⟩≥0},
    s_k = α g_k/||v_k||.  Equals α² J_v J_vᵀ.  O(n² m + n m d) time, O(n · chunk) memory.
    """
    return grams(net, X, chunk=chunk)[0]


def gram_G(net: WNNetwork, X, *, chunk: int | None = None) -> np.ndarray:
    """Length Gram matrix G(t) of D4: G_ij = (1/m) Σ_k σ(⟨u_k,x_i⟩) σ(⟨u_k,x_j⟩) = J_g J_gᵀ.

    The theory assumes g_k > 0.  Where a length has turned negative (possible under GD
    with large steps) this returns J_g J_gᵀ, whose activation is 1{g_k⟨u_k,x⟩ ≥ 0}: the
    kernel that actually drives the dynamics, no longer the σ(⟨u_k,x⟩) form of THEORY.md §3.
    """
    return _accumulate(net, _rows(net, X), "G", 1.0, 1.0, chunk)["SS"] / net.m


def grams(net: WNNetwork, X, *, chunk: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(V, G) together, sharing the pass over the neurons."""
    Xa = _rows(net, X)
    acc = _accumulate(net, Xa, "VG", 1.0, 1.0, chunk)
    V = ((Xa @ Xa.T) * acc["AA"] - acc["SsS"]) / net.m
    return V, acc["SS"] / net.m


def ntk(net: WNNetwork, X, eta_v: float = 1.0, eta_g: float = 1.0, *,
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


# -----------------------------------------------------------------------------
# infinite width: closed forms
# -----------------------------------------------------------------------------

def _closed_forms_float(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(H^∞, G^∞) in float64 with exact diagonals."""
    d = X.shape[1]
    th = pairwise_angles(X)
    c = np.cos(th)
    H = c * (np.pi - th) / (2 * np.pi)
    G = (np.sin(th) + (np.pi - th) * c) / (2 * np.pi * d)
    np.fill_diagonal(H, 0.5)
    np.fill_diagonal(G, 1.0 / (2 * d))
    return H, G


def _closed_forms_mp(X: np.ndarray, dps: int) -> tuple[mpmath.matrix, mpmath.matrix]:
    """(H^∞, G^∞) as mpmath matrices at ``dps`` digits, for the idealised unit-norm data.

    Each float64 entry is taken as the exact rational it is; rows are then normalised
    at ``dps`` digits and θ = 2·atan2(||x̂ − ŷ||, ||x̂ + ŷ||).
    """
    n, d = X.shape
    with mpmath.workdps(dps + 10):
        rows = []
        for i in range(n):
            r = [mpmath.mpf(float(t)) for t in X[i]]
            nr = mpmath.sqrt(mpmath.fsum(t * t for t in r))
            rows.append([t / nr for t in r])
        pi = mpmath.pi
        H = mpmath.matrix(n, n)
        G = mpmath.matrix(n, n)
        for i in range(n):
            H[i, i] = mpmath.mpf(1) / 2
            G[i, i] = mpmath.mpf(1) / (2 * d)
            for j in range(i + 1, n):
                a = mpmath.sqrt(mpmath.fsum((p - q) ** 2 for p, q in zip(rows[i], rows[j])))
                b = mpmath.sqrt(mpmath.fsum((p + q) ** 2 for p, q in zip(rows[i], rows[j])))
                th = 2 * mpmath.atan2(a, b)
                c = mpmath.cos(th)
                H[i, j] = H[j, i] = c * (pi - th) / (2 * pi)
                G[i, j] = G[j, i] = (mpmath.sin(th) + (pi - th) * c) / (2 * pi * d)
    with mpmath.workdps(dps):
        return +H, +G  # round to dps


def _closed(X: DataLike, dps):
    Xa = _X(X)
    if dps is None:
        return _closed_forms_float(Xa)
    return _closed_forms_mp(Xa, check_dps(dps))


def G_inf(X: DataLike, dps: int | None = None):
    """G^∞ of D6: E_u[σ(⟨u,x_i⟩)σ(⟨u,x_j⟩)] = (sin θ + (π−θ) cos θ)/(2π d); diagonal 1/(2d).

    float64 ndarray when ``dps`` is None, else an ``mpmath.matrix`` at ``dps`` digits.
    """
    return _closed(X, dps)[1]


def H_inf(X: DataLike, dps: int | None = None):
    """H^∞ of D8 (Du et al. 2019's NTK Gram): cos θ (π − θ)/(2π); diagonal 1/2."""
    return _closed(X, dps)[0]


def V_inf(X: DataLike, dps: int | None = None):
    """V^∞ of D7: H^∞ − G^∞ = cos θ (π−θ)/(2π) − G^∞; diagonal (d − 1)/(2d)."""
    H, G = _closed(X, dps)
    if dps is None:
        return H - G
    with mpmath.workdps(dps):
        return H - G


def Lambda_inf(X: DataLike, alpha: float = 1.0, eta_v: float = 1.0, eta_g: float = 1.0,
               dps: int | None = None):
    """Λ^∞ = (η_v/α²) V^∞ + η_g G^∞ (THEORY.md §4)."""
    alpha = check_alpha(alpha)
    eta_v = check_positive(eta_v, "eta_v")
    eta_g = check_positive(eta_g, "eta_g")
    H, G = _closed(X, dps)
    if dps is None:
        return (eta_v / alpha**2) * (H - G) + eta_g * G
    with mpmath.workdps(dps):
        a = mpmath.mpf(alpha)
        return (mpmath.mpf(eta_v) / a**2) * (H - G) + mpmath.mpf(eta_g) * G


def _lmin(M, dps):
    if dps is None:
        return float(np.linalg.eigvalsh(M)[0])
    with mpmath.workdps(dps):
        ev = mpmath.eigsy(M, eigvals_only=True)
        return min(ev[i] for i in range(len(ev)))


def lambda_0(X: DataLike, dps: int | None = None):
    """λ_0 = λ_min(V^∞) (THEORY.md §4); float, or ``mpf`` at ``dps`` digits."""
    return _lmin(V_inf(X, dps), dps)


def mu_0(X: DataLike, dps: int | None = None):
    """μ_0 = λ_min(G^∞) (THEORY.md §4); float, or ``mpf`` at ``dps`` digits."""
    return _lmin(G_inf(X, dps), dps)


def lambda_H(X: DataLike, dps: int | None = None):
    """λ_H = λ_min(H^∞), the constant of Du et al. (claim C1); λ_H ≥ λ_0 + μ_0 (D8)."""
    return _lmin(H_inf(X, dps), dps)


@dataclass(frozen=True)
class Regime:
    """Which part of the kernel dominates at scale α (THEORY.md §4 and §8).

    Attributes
    ----------
    lambda_0, mu_0 : λ_min(V^∞), λ_min(G^∞).
    alpha_star : sqrt(η_v λ_0/(η_g μ_0)), the crossover where the two lower bounds match.
    by_alpha_star : "V-dominated" if α ≤ α*, else "G-dominated".
    by_paper : the paper's split at α = 1 ("V-dominated" if α < 1).
    lower_bound : η_v λ_0/α² + η_g μ_0 ≤ λ_min(Λ^∞).
    """

    alpha: float
    lambda_0: float
    mu_0: float
    alpha_star: float
    by_alpha_star: str
    by_paper: str
    lower_bound: float

    @property
    def agree(self) -> bool:
        """Whether the split at α = 1 and the split at α* give the same regime."""
        return self.by_alpha_star == self.by_paper


def regime(X: DataLike, alpha: float, eta_v: float = 1.0, eta_g: float = 1.0) -> Regime:
    """Classify α as V- or G-dominated by α* and by the paper's α = 1 (THEORY.md §8)."""
    alpha = check_alpha(alpha)
    eta_v = check_positive(eta_v, "eta_v")
    eta_g = check_positive(eta_g, "eta_g")
    lam, mu = lambda_0(X), mu_0(X)
    if mu <= 0 or lam <= 0:
        a_star = float("nan")
    else:
        a_star = float(np.sqrt(eta_v * lam / (eta_g * mu)))
    by_star = "V-dominated" if (eta_v * lam / alpha**2 >= eta_g * mu) else "G-dominated"
    by_paper = "V-dominated" if alpha < 1 else "G-dominated"
    return Regime(alpha, lam, mu, a_star, by_star, by_paper, eta_v * lam / alpha**2 + eta_g * mu)
