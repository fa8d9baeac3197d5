"""Certified (rigorous) lower bounds on λ_0, μ_0 and λ_H (claims L1, C1).

* :mod:`~wnproofs.certify.core` - :func:`certify` (routes: shifted float Cholesky with
  Rump's rounding shift, or Arb balls with Sylvester + Gershgorin);
* :mod:`~wnproofs.certify.cholesky` - the Cholesky criterion (Rump 2006; ValidSDP);
* :mod:`~wnproofs.certify.arb` - the Arb route (small n, cross-check, and shifts from a
  higher-precision matrix below float64 resolution);
* :mod:`~wnproofs.certify.singular` - exact null vectors for repeated rows;
* :mod:`~wnproofs.certify.result` - the :class:`Certificate` record and its statuses.
"""

from ..kernels.closed_forms import closed_forms_arb
from .arb import ARB_MAX_N, arb_certificate, certify_min_eig
from .cholesky import certify_shift, rounding_shift, smallest_eigenvalue
from .core import (ARB_AUTO_N, DEFAULT_PREC, DEFAULT_REL_GAP, METHODS, certify, certify_lambda_0,
                   certify_lambda_H, certify_mu_0)
from .result import (ABOUT, CERTIFIED, HYPOTHESIS_NOT_MET, NOT_CERTIFIED, STATUSES, Certificate)
from .singular import duplicate_pairs, null_vector_certificate

__all__ = [
    "Certificate",
    "CERTIFIED",
    "NOT_CERTIFIED",
    "HYPOTHESIS_NOT_MET",
    "STATUSES",
    "ABOUT",
    "METHODS",
    "certify",
    "certify_lambda_0",
    "certify_mu_0",
    "certify_lambda_H",
    "certify_min_eig",
    "certify_shift",
    "arb_certificate",
    "rounding_shift",
    "smallest_eigenvalue",
    "closed_forms_arb",
    "null_vector_certificate",
    "duplicate_pairs",
    "DEFAULT_PREC",
    "DEFAULT_REL_GAP",
    "ARB_AUTO_N",
    "ARB_MAX_N",
]
