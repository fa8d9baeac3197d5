"""Infinite-width limits of the kernel blocks at initialization and the regime analysis.

Each block's limit is η_b α^{k_b} B_b^∞ with B_b^∞ a closed form of :mod:`wnproofs.kernels`
(see :meth:`Parameterization.limits`): WN has (k_v, B_v) = (−2, V^∞), (k_g, B_g) = (0, G^∞);
exponential WN (−2, V^∞) and (0, d G^∞); standard (0, H^∞).  Since every block is PSD,

    λ_min(Λ^∞) ≥ Σ_b η_b α^{k_b} λ_min(B_b^∞)        (THEORY.md §4, generalized),

and the block with the largest term *dominates*.  For two blocks with different powers of α
(direction k = −2, length k = 0) the two terms are equal at

    α* = ( η_dir λ_min(B_dir) / (η_len λ_min(B_len)) )^{1/2}     (crossover in α),
    ρ* = η_dir/η_len = α² λ_min(B_len) / λ_min(B_dir)            (crossover in the step ratio),

direction-dominated for α < α* (or η_dir/η_len > ρ*).  For WN these are the α* of
:func:`wnproofs.kernels.regime`; for exponential WN at equal steps α*_EWN = α*_WN / √d.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from ..data import Dataset
from ..errors import InputError, check_alpha
from .base import BlockLimit, Parameterization

__all__ = ["limit_blocks", "Lambda_limit", "BlockRegime", "block_regime"]


def _X(X) -> np.ndarray:
    return X.X if isinstance(X, Dataset) else np.asarray(X, dtype=np.float64)


def limit_blocks(param: Parameterization, X, alpha: float = 1.0,
                 eta: Mapping[str, float] | None = None) -> dict[str, np.ndarray]:
    """Each block's infinite-width limit at initialization, η_b α^{k_b} B_b^∞ (n × n).

    ``InputError`` when the parameterization has no closed form.
    """
    alpha = check_alpha(alpha)
    steps = param.steps(eta)
    lim = param.limits(X)
    if lim is None:
        raise InputError(f"{param.name} has no closed-form infinite-width limit")
    return {b: lim[b].scaled(alpha, steps[b]) for b in param.block_names}


def Lambda_limit(param: Parameterization, X, alpha: float = 1.0,
                 eta: Mapping[str, float] | None = None) -> np.ndarray:
    """Λ^∞ = Σ_b η_b α^{k_b} B_b^∞ at initialization."""
    return sum(limit_blocks(param, X, alpha, eta).values())


@dataclass(frozen=True)
class BlockRegime:
    """Which block of Λ^∞ dominates at (α, η), and where the regime changes.

    Attributes
    ----------
    terms : η_b α^{k_b} λ_min(B_b^∞) per block (their sum bounds λ_min(Λ^∞) below).
    dominant : the block with the largest term.
    lower_bound : the sum of the terms; ``lambda_min`` : λ_min(Λ^∞) itself.
    alpha_star : crossover in α of the two terms (None for one block or equal powers).
    ratio_star : crossover in η_first/η_second (None for one block), with ``ratio_blocks``
        naming (first, second): the first block dominates when the ratio exceeds it.
    """

    parameterization: str
    alpha: float
    eta: Mapping[str, float]
    terms: Mapping[str, float]
    dominant: str
    lower_bound: float
    lambda_min: float
    alpha_star: float | None
    ratio_star: float | None
    ratio_blocks: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"parameterization": self.parameterization, "alpha": self.alpha,
                "eta": dict(self.eta), "terms": dict(self.terms), "dominant": self.dominant,
                "lower_bound": self.lower_bound, "lambda_min": self.lambda_min,
                "alpha_star": self.alpha_star, "ratio_star": self.ratio_star,
                "ratio_blocks": list(self.ratio_blocks)}


def block_regime(param: Parameterization, X, alpha: float = 1.0,
                 eta: Mapping[str, float] | None = None) -> BlockRegime:
    """The regime analysis of the limit kernel (see the module docstring)."""
    alpha = check_alpha(alpha)
    steps = param.steps(eta)
    lim: dict[str, BlockLimit] | None = param.limits(_X(X))
    if lim is None:
        raise InputError(f"{param.name} has no closed-form infinite-width limit")
    lmins = {b: float(np.linalg.eigvalsh(lim[b].matrix)[0]) for b in param.block_names}
    terms = {b: steps[b] * alpha**lim[b].alpha_power * lmins[b] for b in param.block_names}
    dominant = max(terms, key=terms.__getitem__)
    L = sum(lim[b].scaled(alpha, steps[b]) for b in param.block_names)
    a_star = r_star = None
    names: tuple[str, ...] = ()
    if len(param.blocks) == 2:
        b1, b2 = param.block_names
        k1, k2 = lim[b1].alpha_power, lim[b2].alpha_power
        names = (b1, b2)
        if lmins[b1] > 0 and lmins[b2] > 0:
            # η1 α^k1 λ1 = η2 α^k2 λ2  ⇔  α^(k1−k2) = η2 λ2/(η1 λ1);   ratio: η1/η2 = α^(k2−k1) λ2/λ1
            if k1 != k2:
                a_star = (steps[b2] * lmins[b2] / (steps[b1] * lmins[b1])) ** (1.0 / (k1 - k2))
            r_star = alpha ** (k2 - k1) * lmins[b2] / lmins[b1]
        a_star = None if a_star is None or not math.isfinite(a_star) else float(a_star)
    return BlockRegime(param.name, alpha, steps, terms, dominant, float(sum(terms.values())),
                       float(np.linalg.eigvalsh(L)[0]), a_star,
                       None if r_star is None else float(r_star), names)
