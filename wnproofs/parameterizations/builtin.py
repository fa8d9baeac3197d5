"""The built-in parameterizations: standard, Weight Normalization, exponential WN.

All three start from the common draw v_k(0) ~ N(0, α² I), c_k ~ Unif{±1} and compute the
same function at initialization, w_k(0) = v_k(0)/α ~ N(0, I) (THEORY.md §1).

=====================  =========================  ===================================================
name                   w = φ(θ)                   block metrics Dφ_b Dφ_bᵀ (u = v/||v||, P = I − uuᵀ)
=====================  =========================  ===================================================
``standard``           w                          w: I
``wn``                 g v/||v||                  g: u uᵀ;   v: (g/||v||)² P
``ewn``                e^s v/||v||                s: ||w||² u uᵀ = e^{2s} u uᵀ;   v: (e^s/||v||)² P
=====================  =========================  ===================================================

Hence M = η_g uuᵀ + η_v (g/||v||)² P for WN and M = ||w||² [η_s uuᵀ + η_v P/||v||²] for
exponential WN (Morwani & Ramaswamy 2020); Wu et al. (2020) study WN with η_v ≠ η_g.

Infinite-width limits at initialization (:meth:`Parameterization.limits`, closed forms of
:mod:`wnproofs.kernels`; derived in ``derivations/parameterizations.py``):

* standard: Λ^∞ = η_w H^∞;
* WN: Λ^∞ = (η_v/α²) V^∞ + η_g G^∞ (THEORY.md §4);
* exponential WN: Λ^∞ = (η_v/α²) V^∞ + η_s d G^∞: the log-scale block is the length block
  of WN times E||w||² = d, because ∂w/∂s = w where ∂w/∂g = u.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..data import Dataset
from ..errors import InputError
from ..kernels import G_inf, H_inf, V_inf
from .base import Block, BlockLimit, MetricParts, Parameterization

__all__ = ["Standard", "WeightNorm", "ExpWeightNorm", "STANDARD", "WN", "EWN", "BUILTIN", "get"]


def _split(theta: np.ndarray, d: int) -> tuple[np.ndarray, np.ndarray]:
    """(v (m, d), scalar block (m,)) of a [v, scalar] layout."""
    return theta[:, :d], theta[:, d]


def _unit(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    nv = np.sqrt(np.einsum("kd,kd->k", v, v))
    if np.any(nv == 0):
        raise InputError("every direction v_k must be nonzero (u_k = v_k/||v_k|| is undefined)")
    return v / nv[:, None], nv


@dataclass(frozen=True)
class Standard(Parameterization):
    """w = θ: Du et al.'s un-normalized network (claim C1); Λ = η_w H(t)."""

    name: str = "standard"
    title: str = "standard (un-normalized)"
    blocks: tuple[Block, ...] = (Block("w", None, "the weight vector"),)

    def phi(self, theta, d):
        return np.array(theta[:, :d])

    def jacobian(self, theta, d):
        return np.broadcast_to(np.eye(d), (theta.shape[0], d, d)).copy()

    def vjp(self, theta, gw, d):
        return np.array(gw)

    def from_base(self, v0, alpha):
        return v0 / alpha

    def metric_parts(self, theta, d):
        m = theta.shape[0]
        w = theta[:, :d]
        nw = np.linalg.norm(w, axis=1)
        u = w / np.where(nw > 0, nw, 1.0)[:, None]     # q = 0: u is not used
        return MetricParts(u, {"w": (np.ones(m), np.zeros(m))})

    def limits(self, X):
        return {"w": BlockLimit("w", 0, H_inf(X), "H^∞ (D8)")}


@dataclass(frozen=True)
class WeightNorm(Parameterization):
    """w = g v/||v|| (Salimans & Kingma 2016; THEORY.md §1) with step sizes η_v, η_g."""

    name: str = "wn"
    title: str = "weight normalization"
    blocks: tuple[Block, ...] = (Block("v", None, "direction"), Block("g", 1, "length"))

    def phi(self, theta, d):
        v, g = _split(theta, d)
        u, _ = _unit(v)
        return g[:, None] * u

    def jacobian(self, theta, d):
        v, g = _split(theta, d)
        u, nv = _unit(v)
        P = np.eye(d) - np.einsum("kd,ke->kde", u, u)
        return np.concatenate([(g / nv)[:, None, None] * P, u[:, :, None]], axis=2)

    def vjp(self, theta, gw, d):
        # Salimans & Kingma (D1): ∇_g = ⟨∇_w, u⟩, ∇_v = (g/||v||) P_v ∇_w
        v, g = _split(theta, d)
        u, nv = _unit(v)
        gg = np.einsum("kd,kd->k", gw, u)
        gv = (g / nv)[:, None] * (gw - u * gg[:, None])
        return np.concatenate([gv, gg[:, None]], axis=1)

    def from_base(self, v0, alpha):
        return np.concatenate([v0, (np.linalg.norm(v0, axis=1) / alpha)[:, None]], axis=1)

    def metric_parts(self, theta, d):
        v, g = _split(theta, d)
        u, nv = _unit(v)
        c2 = (g / nv) ** 2
        return MetricParts(u, {"v": (c2, -c2), "g": (np.zeros_like(g), np.ones_like(g))})

    def limits(self, X):
        return {"v": BlockLimit("v", -2, V_inf(X), "V^∞ (D7)"),
                "g": BlockLimit("g", 0, G_inf(X), "G^∞ (D6)")}


@dataclass(frozen=True)
class ExpWeightNorm(Parameterization):
    """w = e^s v/||v|| (exponential WN, Morwani & Ramaswamy 2020) with step sizes η_v, η_s."""

    name: str = "ewn"
    title: str = "exponential weight normalization"
    blocks: tuple[Block, ...] = (Block("v", None, "direction"), Block("s", 1, "log-scale"))

    def phi(self, theta, d):
        v, s = _split(theta, d)
        u, _ = _unit(v)
        return np.exp(s)[:, None] * u

    def jacobian(self, theta, d):
        v, s = _split(theta, d)
        u, nv = _unit(v)
        es = np.exp(s)
        P = np.eye(d) - np.einsum("kd,ke->kde", u, u)
        return np.concatenate([(es / nv)[:, None, None] * P, (es[:, None] * u)[:, :, None]], axis=2)

    def vjp(self, theta, gw, d):
        v, s = _split(theta, d)
        u, nv = _unit(v)
        es = np.exp(s)
        gu = np.einsum("kd,kd->k", gw, u)
        gv = (es / nv)[:, None] * (gw - u * gu[:, None])
        return np.concatenate([gv, (es * gu)[:, None]], axis=1)

    def from_base(self, v0, alpha):
        return np.concatenate([v0, np.log(np.linalg.norm(v0, axis=1) / alpha)[:, None]], axis=1)

    def metric_parts(self, theta, d):
        v, s = _split(theta, d)
        u, nv = _unit(v)
        e2 = np.exp(2 * s)
        pv = e2 / nv**2
        return MetricParts(u, {"v": (pv, -pv), "s": (np.zeros_like(s), e2)})

    def limits(self, X):
        d = (X.X if isinstance(X, Dataset) else np.asarray(X)).shape[1]
        return {"v": BlockLimit("v", -2, V_inf(X), "V^∞ (D7)"),
                "s": BlockLimit("s", 0, d * G_inf(X), "d·G^∞ = E_w[σ(⟨w,x_i⟩)σ(⟨w,x_j⟩)]")}


STANDARD = Standard()
WN = WeightNorm()
EWN = ExpWeightNorm()

#: The built-in parameterizations by name.
BUILTIN: dict[str, Parameterization] = {p.name: p for p in (STANDARD, WN, EWN)}


def get(name: str) -> Parameterization:
    """The built-in parameterization called ``name``; ``InputError`` naming the known ones."""
    try:
        return BUILTIN[name]
    except KeyError:
        raise InputError(f"unknown parameterization {name!r}; known: {', '.join(BUILTIN)}") from None
