"""Per-neuron parameterizations w_k = φ(θ_k) of the two-layer ReLU network (layer 3).

Standard (w), Weight Normalization (v, g; η_v, η_g), exponential WN (v, s) and the user's
own (:class:`SymbolicParameterization`, Jacobian derived by SymPy).  For each: forward map,
gradients, the per-neuron metric M_k = Dφ diag(η) Dφᵀ, the finite-width kernel Λ and its
blocks (:func:`kernel_blocks`), the infinite-width blocks at initialization
(:func:`limit_blocks`) and the regime analysis (:func:`block_regime`); GD/GF through the
local adapter :mod:`.training`; the side-by-side comparison :func:`compare_parameterizations`.
See docs/parameterizations.md.
"""

from .base import (Block, BlockLimit, MetricParts, Parameterization, PNetwork, SymbolicParameterization,
                   draw_base)
from .builtin import BUILTIN, EWN, STANDARD, WN, ExpWeightNorm, Standard, WeightNorm, get
from .comparison import Comparison, ComparisonRow, CompareSettings, compare_parameterizations
from .finite import KernelBlocks, kernel, kernel_blocks
from .limits import BlockRegime, Lambda_limit, block_regime, limit_blocks

__all__ = [
    "Block", "BlockLimit", "MetricParts", "Parameterization", "PNetwork", "SymbolicParameterization",
    "draw_base", "BUILTIN", "STANDARD", "WN", "EWN", "Standard", "WeightNorm", "ExpWeightNorm", "get",
    "KernelBlocks", "kernel", "kernel_blocks", "BlockRegime", "Lambda_limit", "block_regime",
    "limit_blocks", "Comparison", "ComparisonRow", "CompareSettings", "compare_parameterizations",
]
