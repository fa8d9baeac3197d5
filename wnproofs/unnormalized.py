"""Du et al.'s un-normalized two-layer ReLU network (THEORY.md §1, §8, claim C1).

f(x) = (1/√m) Σ_k c_k σ(⟨w_k, x⟩), trained weights w_k ∈ R^d, fixed signs c_k ∈ {±1}
(Du, Zhai, Póczos & Singh, ICLR 2019).  Its neural tangent kernel is

    H(t)_ij = (1/m) Σ_k ⟨x_i, x_j⟩ 1{⟨w_k,x_i⟩ ≥ 0} 1{⟨w_k,x_j⟩ ≥ 0} = [K ∘ (A Aᵀ)]/m,

with K = X Xᵀ and A = 1{X Wᵀ ≥ 0}; its limit is H^∞ = :func:`wnproofs.kernels.H_inf`
(D8), λ_H = λ_min(H^∞).  At initialization the WN network of THEORY.md §1 computes the
same function (w_k(0) = v_k(0)/α), see :meth:`UNetwork.from_wn`.
"""

from __future__ import annotations

from dataclasses import dataclass


import numpy as np

from . import relu
from .errors import InputError, check_finite_array, check_positive_int
from .kernels.finite import ntk_unnormalized
from .model import WNNetwork, _check_out, check_inputs
from .rng import RngLike, as_generator

__all__ = ["UNetwork", "u_gradients"]


def u_gradients(w: np.ndarray, c: np.ndarray, X: np.ndarray, y: np.ndarray, *, coef: float = 1.0,
                chunk: int | None = None, threads: int | None = None,
                out: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(coef ∇_w L, r = f − y) without validation: the one un-normalized gradient (C1).

    ∇_{w_k} L = (c_k/√m) Σ_i r_i 1{⟨w_k,x_i⟩ ≥ 0} x_i, by the block sweep of
    :func:`wnproofs.relu.backprop_blocks` (two GEMMs, streamed over blocks of neurons; the
    factor coef·c_k/√m is applied to each block of q while it is in cache; O(n · chunk) a
    thread + O(m d) memory).  ``chunk``, ``threads`` as in :func:`wnproofs.relu.backprop`
    (the thread count never changes a bit of the result).  ``out``: an optional (m, d)
    float64 C-contiguous array, not overlapping ``w``, to write the gradient into (as in
    :func:`wnproofs.model.wn_gradients`).
    """
    m = w.shape[0]
    if out is not None:
        (out,) = _check_out((out,), (w.shape,))
    factor = (coef / np.sqrt(m)) * c
    n, d = X.shape
    if chunk is None and m * n * d <= relu.SMALL_GEMM and m <= relu.neuron_chunk(n, m):
        q, r = relu.one_block(w, c, X, y)              # one block, tiny
        q *= factor[:, None]
        if out is not None:
            out[...] = q
            q = out
        return q, r
    q = np.empty(w.shape) if out is None else out

    def finish(lo: int, hi: int, qb: np.ndarray, buf: np.ndarray) -> None:
        qb *= factor[lo:hi, None]

    r = relu.backprop_blocks(lambda lo, hi, buf: w[lo:hi], m, c, X, y, q, finish, chunk=chunk,
                             cache=None, threads=threads)
    return q, r


@dataclass(frozen=True, eq=False)
class UNetwork:
    """The un-normalized network of Du et al. (2019): weights ``w`` (m, d), signs ``c`` (m,).

    Only the first layer is trained (as in Du et al.); claim C1.
    """

    w: np.ndarray
    c: np.ndarray

    def __post_init__(self) -> None:
        w = check_finite_array(self.w, "w", 2)
        m, d = w.shape
        if m < 1:
            raise InputError("the network needs at least one neuron (m >= 1)")
        if d < 2:
            raise InputError(f"input dimension must be d >= 2, got {d}")
        c = check_finite_array(self.c, "c", 1)
        if c.shape != (m,):
            raise InputError(f"c must have shape ({m},), got {c.shape}")
        object.__setattr__(self, "w", w)
        object.__setattr__(self, "c", c)

    @classmethod
    def init(cls, m: int, d: int, rng: RngLike = None) -> "UNetwork":
        """w_k(0) ~ N(0, I_d), c_k ~ Unif{±1}, independent (Du et al. 2019)."""
        m = check_positive_int(m, "m")
        d = check_positive_int(d, "d", 2)
        gen = as_generator(rng)
        w = gen.standard_normal((m, d))
        c = gen.choice(np.array([-1.0, 1.0]), size=m)
        return cls(w=w, c=c)

    @classmethod
    def from_wn(cls, net: WNNetwork) -> "UNetwork":
        """The un-normalized network computing the same function: w_k = g_k v_k/||v_k|| (§1)."""
        if not isinstance(net, WNNetwork):
            raise InputError(f"net must be a WNNetwork, got {type(net).__name__}", arg="net")
        return cls(w=net.w, c=net.c)

    def replace(self, **changes) -> "UNetwork":
        kw = dict(w=self.w, c=self.c)
        kw.update(changes)
        return UNetwork(**kw)

    @property
    def m(self) -> int:
        return int(self.w.shape[0])

    @property
    def d(self) -> int:
        return int(self.w.shape[1])

    def forward(self, X) -> np.ndarray:
        """f(x_i) = (1/√m) Σ_k c_k σ(⟨w_k, x_i⟩), shape (n,)."""
        X = check_inputs(X, self.d)
        return relu.forward(self.w, self.c, X)

    def loss(self, X, y) -> float:
        """L = ½ ||f − y||²."""
        X = check_inputs(X, self.d)
        r = self.forward(X) - _labels(y, X)
        return 0.5 * float(r @ r)

    def gradients(self, X, y) -> np.ndarray:
        """∇_w L, shape (m, d): (c_k/√m) Σ_i (f(x_i) − y_i) 1{⟨w_k,x_i⟩ ≥ 0} x_i."""
        X = check_inputs(X, self.d)
        return u_gradients(self.w, self.c, X, _labels(y, X))[0]

    def jacobian(self, X) -> np.ndarray:
        """J (n, m·d) with ∂f(x_i)/∂w_k = (c_k/√m) 1{⟨w_k,x_i⟩ ≥ 0} x_i (tests only)."""
        X = check_inputs(X, self.d)
        A = (X @ self.w.T >= 0).astype(np.float64)
        J = (A * self.c / np.sqrt(self.m))[:, :, None] * X[:, None, :]
        return J.reshape(X.shape[0], -1)

    def ntk(self, X, *, chunk: int | None = None) -> np.ndarray:
        """H(t) = [X Xᵀ ∘ (A Aᵀ)]/m = J Jᵀ (C1; O(n² m), chunked over the neurons):
        :func:`wnproofs.kernels.ntk_unnormalized`."""
        return ntk_unnormalized(self.w, check_inputs(X, self.d), chunk=chunk)

    def to_dict(self) -> dict:
        return {"w": self.w.tolist(), "c": self.c.tolist()}

    @classmethod
    def from_dict(cls, obj: dict) -> "UNetwork":
        return cls(w=obj["w"], c=obj["c"])


def _labels(y, X: np.ndarray) -> np.ndarray:
    y = check_finite_array(y, "y", 1)
    if y.shape[0] != X.shape[0]:
        raise InputError(f"y has {y.shape[0]} labels but X has {X.shape[0]} rows")
    return y
