"""wnproofs: verify the convergence proof for ReLU networks with Weight Normalization.

Dukler, Gu & Montúfar, *Optimization Theory for ReLU Neural Networks Trained with
Normalization Layers*, ICML 2020.  The claim ids (D1..D8, L1..L6, T1..T4, C1) are
those of THEORY.md; see :mod:`wnproofs.claims`.
"""

from .data import Dataset, adversarial, load, pairwise_angles, random_sphere
from .errors import InputError
from .kernels import (
    G_inf,
    H_inf,
    Lambda_inf,
    V_inf,
    gram_G,
    gram_V,
    grams,
    lambda_0,
    lambda_H,
    mu_0,
    ntk,
    regime,
)
from .model import WNNetwork

__version__ = "0.1.0"

__all__ = [
    "Dataset",
    "InputError",
    "WNNetwork",
    "adversarial",
    "load",
    "pairwise_angles",
    "random_sphere",
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
    "regime",
    "__version__",
]
