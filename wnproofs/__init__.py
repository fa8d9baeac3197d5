"""wnproofs: verify the convergence proof for ReLU networks with Weight Normalization.

Dukler, Gu & Montúfar, *Optimization Theory for ReLU Neural Networks Trained with
Normalization Layers*, ICML 2020.  The claim ids (D1..D8, L1..L6, T1..T4, C1) are
those of THEORY.md; see :mod:`wnproofs.claims`.

The public names below are imported on first use (PEP 562), so that ``import wnproofs``
(and the command line's start, where Ctrl-C must already be handled) costs nothing.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False   # typing is not imported here: it costs time before Ctrl-C is handled

__version__ = "0.1.0"

#: Public name → the module that defines it.
_LAZY = {
    "Dataset": "data", "adversarial": "data", "load": "data", "pairwise_angles": "data",
    "random_sphere": "data",
    "InputError": "errors",
    "G_inf": "kernels", "H_inf": "kernels", "Lambda_inf": "kernels", "V_inf": "kernels",
    "gram_G": "kernels", "gram_V": "kernels", "grams": "kernels", "lambda_0": "kernels",
    "lambda_H": "kernels", "mu_0": "kernels", "ntk": "kernels", "regime": "kernels",
    "WNNetwork": "model",
}

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


def __getattr__(name: str) -> object:
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError(f"module 'wnproofs' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{mod}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from .data import Dataset, adversarial, load, pairwise_angles, random_sphere
    from .errors import InputError
    from .kernels import (G_inf, H_inf, Lambda_inf, V_inf, gram_G, gram_V, grams, lambda_0, lambda_H,
                          mu_0, ntk, regime)
    from .model import WNNetwork
