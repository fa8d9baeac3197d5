"""The finite-width kernel Λ of a parameterized network and its blocks (D4, generalized).

    Λ_ij = (1/m) Σ_k a_ik a_jk x_iᵀ M_k x_j,   a_ik = 1{⟨w_k, x_i⟩ ≥ 0},   Λ = Σ_b Λ_b,
    Λ_b = η_b J_b J_bᵀ   (J_b: the Jacobian of f in block b's coordinates).

Two routes, both streamed over chunks of neurons (memory O(n · chunk)):

* structured (every built-in): each block's metric is p_bk I + q_bk u_k u_kᵀ, so with
  K = X Xᵀ, A = (a_ik), Z = X Uᵀ and S = A ∘ Z,

      Λ_b = η_b [ K ∘ (A diag(p_b) Aᵀ) + S diag(q_b) Sᵀ ] / m,

  two products of (n × m) matrices: O(n² m) with BLAS, no Jacobian.  For WN this is the
  form of :func:`wnproofs.kernels.ntk` (p_v = (g/||v||)², q_v = −p_v, p_g = 0, q_g = 1)
  and agrees with it to rounding (tested to 1e-12).
* general (a user's parameterization without a structured metric): the features
  T_ik = a_ik Dφ_kᵀ x_i ∈ R^p give Λ_b = η_b Σ_{l ∈ b} T_{·l} T_{·l}ᵀ / m, O(n² m p).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from ..data import Dataset
from ..errors import check_positive_int
from ..kernels import default_chunk
from ..model import check_inputs
from .base import PNetwork

__all__ = ["KernelBlocks", "kernel_blocks", "kernel"]


@dataclass(frozen=True)
class KernelBlocks:
    """Λ and its blocks Λ_b = η_b J_b J_bᵀ (each (n, n)); ``eta`` the step sizes used."""

    Lambda: np.ndarray
    blocks: Mapping[str, np.ndarray]
    eta: Mapping[str, float]
    route: str

    def lambda_min(self) -> float:
        return float(np.linalg.eigvalsh(self.Lambda)[0])


def _rows(net: PNetwork, X) -> np.ndarray:
    return check_inputs(X.X if isinstance(X, Dataset) else X, net.d)


def kernel_blocks(net: PNetwork, X, eta: Mapping[str, float] | None = None, *,
                  chunk: int | None = None, route: str = "auto") -> KernelBlocks:
    """Λ and every block of it for the network's current parameters (D4, generalized).

    Parameters
    ----------
    net : a :class:`PNetwork`.
    X : (n, d) inputs or a Dataset.
    eta : per-block step sizes (default 1 for every block).
    chunk : neurons per chunk (default: :func:`wnproofs.kernels.default_chunk`).
    route : "auto" (structured when the parameterization provides it), "structured" or
        "general" (the per-coordinate form; for tests and user parameterizations).
    """
    Xa = _rows(net, X)
    steps = net.param.steps(eta)
    n, m, d = Xa.shape[0], net.m, net.d
    chunk = default_chunk(n) if chunk is None else check_positive_int(chunk, "chunk")
    if route not in ("auto", "structured", "general"):
        raise ValueError(f"route must be 'auto', 'structured' or 'general', got {route!r}")
    probe = net.param.metric_parts(net.theta[:1], d) if route != "general" else None
    structured = probe is not None
    if route == "structured" and not structured:
        raise ValueError(f"{net.param.name} has no structured metric; use route='general'")
    sums = {b: np.zeros((n, n)) for b in steps}
    iso = {b: np.zeros((n, n)) for b in steps}
    lay = net.param.layout(d)
    for lo in range(0, m, chunk):
        th = net.theta[lo:lo + chunk]
        W = net.param.phi(th, d)
        A = (Xa @ W.T >= 0).astype(np.float64)              # a_ik
        if structured:
            mp = net.param.metric_parts(th, d)
            S = A * (Xa @ mp.u.T)                            # a_ik ⟨u_k, x_i⟩
            for b, (p, q) in mp.parts.items():
                if np.any(p):
                    iso[b] += (A * p) @ A.T
                if np.any(q):
                    sums[b] += (S * q) @ S.T
        else:
            J = net.param.jacobian(th, d)                   # (c, d, p)
            T = np.einsum("id,kdp->ikp", Xa, J) * A[:, :, None]
            for b, sl in lay.items():
                Tb = T[:, :, sl].reshape(n, -1)
                sums[b] += Tb @ Tb.T
    K = Xa @ Xa.T if structured else None
    blocks = {}
    for b in steps:
        B = sums[b] + (K * iso[b] if structured else 0.0)
        blocks[b] = steps[b] * B / m
    L = sum(blocks.values())
    return KernelBlocks(L, blocks, steps, "structured" if structured else "general")


def kernel(net: PNetwork, X, eta: Mapping[str, float] | None = None, *,
           chunk: int | None = None) -> np.ndarray:
    """Λ = Σ_b η_b J_b J_bᵀ (see :func:`kernel_blocks`)."""
    return kernel_blocks(net, X, eta, chunk=chunk).Lambda
