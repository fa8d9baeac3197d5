"""High-precision spectral constants (claims L1, D6-D8): their home is :mod:`wnproofs.kernels.spectra`.

Re-exported here under the names ``wnproofs.bounds`` has always offered (mpmath results).
"""

from __future__ import annotations

from ..kernels.spectra import data_matrix_mp as _data_matrix  # noqa: F401
from ..kernels.spectra import lambda_0_mp as lambda_0  # noqa: F401
from ..kernels.spectra import lambda_H_mp as lambda_H  # noqa: F401
from ..kernels.spectra import lambda_inf_min, lambda_min_mp  # noqa: F401
from ..kernels.spectra import mu_0_mp as mu_0  # noqa: F401

__all__ = ["lambda_min_mp", "lambda_0", "mu_0", "lambda_H", "lambda_inf_min"]
