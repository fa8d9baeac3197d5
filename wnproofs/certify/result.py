"""The certificate record and its three-valued status (claims L1, C1).

A certificate states λ_min(A) > ``lower_bound`` for A = V^∞ (λ_0), G^∞ (μ_0) or H^∞ (λ_H)
of a data set, or says plainly that it could not.  Statuses:

* ``certified`` - the inequality is proved (rigorous arithmetic throughout);
* ``not certified`` - the method could not decide; ``message`` says why (never a disproof:
  a shift found too high is lowered, not reported as a counterexample);
* ``hypothesis not met`` - A1 fails (a repeated or antipodal row): no positive bound is
  claimed; for bitwise-repeated rows λ_min = 0 is proved exactly instead
  (:func:`wnproofs.certify.singular.null_vector_certificate`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from fractions import Fraction

import numpy as np

__all__ = ["Certificate", "CERTIFIED", "NOT_CERTIFIED", "HYPOTHESIS_NOT_MET", "STATUSES", "ABOUT",
           "CLAIM", "MATRIX", "exact_str"]

CERTIFIED, NOT_CERTIFIED, HYPOTHESIS_NOT_MET = "certified", "not certified", "hypothesis not met"
STATUSES = (CERTIFIED, NOT_CERTIFIED, HYPOTHESIS_NOT_MET)

#: What a certificate is about.
ABOUT = {
    "unit": "idealised unit rows x_i/||x_i||, x_i the exact rational value of each float64 row "
            "(the closed forms D6-D8 are stated for unit vectors)",
    "exact": "the float64 rows as exact rationals, not normalised: A_ij = ||x_i|| ||x_j|| k(θ_ij) "
             "(bound = unit-row bound × min_i ||x_i||², since D A D ⪰ λ_min(A) min_i D_ii² I)",
}

CLAIM = {"lambda_0": "L1", "mu_0": "L1", "lambda_H": "C1"}
MATRIX = {"lambda_0": "V", "mu_0": "G", "lambda_H": "H"}


def exact_str(a: float) -> str:
    """The exact rational value of a float as 'p/q' (or 'p')."""
    fr = Fraction(a)
    return f"{fr.numerator}/{fr.denominator}" if fr.denominator != 1 else str(fr.numerator)


@dataclass(frozen=True)
class Certificate:
    """λ_min(A) > ``lower_bound`` for A = V^∞, G^∞ or H^∞ of a data set (or why not).

    Attributes
    ----------
    quantity : "lambda_0" (V^∞), "mu_0" (G^∞) or "lambda_H" (H^∞).
    status : "certified", "not certified" or "hypothesis not met".
    lower_bound : the float bound (exact: ``lower_bound_exact`` is its rational); 0.0
        when nothing was certified.
    float_lambda_min : the floating-point estimate of λ_min the shift came from.
    method : "cholesky" (shifted float Cholesky with Rump's rounding shift) or "arb"
        (Arb balls, Sylvester + Gershgorin).
    about : "unit" or "exact" (see :data:`ABOUT`); ``about_text`` spells it out.
    prec : Arb precision in bits (Arb route), else None.
    details : method-specific numbers (shift, rounding terms, radii, next settings).
    data_sha256, n, d : the data the certificate is about.
    claim, elapsed_s, message.
    """

    quantity: str
    status: str
    lower_bound: float
    float_lambda_min: float
    method: str
    data_sha256: str
    n: int
    d: int
    about: str = "unit"
    prec: int | None = None
    claim: str = "L1"
    elapsed_s: float = 0.0
    message: str = ""
    details: dict = field(default_factory=dict)

    @property
    def certified(self) -> bool:
        return self.status == CERTIFIED

    @property
    def lower_bound_exact(self) -> str:
        return exact_str(self.lower_bound)

    @property
    def about_text(self) -> str:
        return ABOUT[self.about]

    def summary(self) -> dict:
        """The CLI's per-quantity record: status, lower, float, method, seconds."""
        return {"status": self.status, "lower": self.lower_bound if self.certified else None,
                "float": _json_float(self.float_lambda_min), "method": self.method,
                "seconds": round(self.elapsed_s, 3)}

    def to_dict(self) -> dict:
        out = asdict(self)
        out["lower_bound_exact"] = self.lower_bound_exact
        out["about_text"] = self.about_text
        out["float_lambda_min"] = _json_float(self.float_lambda_min)
        out["details"] = {k: _json_float(v) for k, v in self.details.items()}
        return out


def _json_float(v):
    if isinstance(v, (float, np.floating)) and not np.isfinite(v):
        return str(float(v))
    if isinstance(v, np.floating):
        return float(v)
    return v
