"""The kernels layer: closed forms of the limits, finite-width Gram matrices, spectra.

* :mod:`~wnproofs.kernels.closed_forms` - G^∞, V^∞, H^∞ (D6-D8) as functions of the angle
  in float64 / mpmath / Arb / error-bounded float / SymPy, and their matrices;
* :mod:`~wnproofs.kernels.finite` - V, G, Λ of the WN network (D4) and Du et al.'s H(t)
  by the O(n² m) BLAS form, chunked over the neurons;
* :mod:`~wnproofs.kernels.spectra` - λ_0, μ_0, λ_H (float64 or ``dps`` digits), α* and
  the regime.

Every public name is re-exported here (``from wnproofs.kernels import V_inf``).
"""

from .closed_forms import (
    FORMULAS,
    G_inf,
    H_inf,
    KINDS,
    Lambda_inf,
    V_inf,
    closed_forms_arb,
    diagonal,
    kernel_matrices,
    kernel_matrices_eb,
    kernel_matrices_mp,
    kernel_of_angle,
    sympy_form,
)
from .finite import CHUNK_ELEMENTS, default_chunk, gram_G, gram_V, grams, ntk, ntk_unnormalized
from .spectra import (
    Regime,
    alpha_star,
    data_matrix_mp,
    lambda_0,
    lambda_H,
    lambda_inf_min,
    lambda_min_mp,
    mu_0,
    regime,
    spectral_constants,
)

__all__ = [
    "gram_V",
    "gram_G",
    "grams",
    "ntk",
    "ntk_unnormalized",
    "G_inf",
    "V_inf",
    "H_inf",
    "Lambda_inf",
    "lambda_0",
    "mu_0",
    "lambda_H",
    "Regime",
    "regime",
    "alpha_star",
    "spectral_constants",
    "lambda_min_mp",
    "lambda_inf_min",
    "data_matrix_mp",
    "default_chunk",
    "CHUNK_ELEMENTS",
    "FORMULAS",
    "KINDS",
    "diagonal",
    "sympy_form",
    "kernel_of_angle",
    "kernel_matrices",
    "kernel_matrices_mp",
    "kernel_matrices_eb",
    "closed_forms_arb",
]
