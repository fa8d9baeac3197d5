"""Moments of χ_d, the law of the initial lengths g_k(0) = ||w_k(0)||, w_k(0) ~ N(0, I_d).

Used by the width thresholds (T1-T4) for the neurons whose initial length is short.
``d = None`` means "any d ≥ 2" and uses d = 2, whose constants dominate (E[1/χ_d] and
P(χ_d < γ) decrease in d; checked in the tests).
"""

from __future__ import annotations

import mpmath

__all__ = ["chi_const", "chi_inv_mean", "chi_inv_sq_above", "chi_inv_sq_below", "chi_inv_sq_bar",
           "chi_cdf"]


def chi_const(d):
    """The d used for the χ_d moments: d = None ('any d ≥ 2') uses d = 2."""
    return 2 if d is None else d


def chi_inv_mean(d) -> mpmath.mpf:
    """E[1/χ_d] = Γ((d−1)/2)/(√2 Γ(d/2)) (finite for d ≥ 2)."""
    d = chi_const(d)
    return mpmath.gamma(mpmath.mpf(d - 1) / 2) / (mpmath.sqrt(2) * mpmath.gamma(mpmath.mpf(d) / 2))


def chi_inv_sq_above(d, gamma) -> mpmath.mpf:
    """E[χ_d^{−2} 1{χ_d ≥ γ}] = Γ(d/2 − 1, γ²/2)/(2Γ(d/2)) (upper incomplete Γ; d = 2: E1(γ²/2)/2)."""
    d = chi_const(d)
    x = mpmath.mpf(gamma) ** 2 / 2
    if d == 2:
        return mpmath.inf if x == 0 else mpmath.e1(x) / 2
    return mpmath.gammainc(mpmath.mpf(d) / 2 - 1, x) / (2 * mpmath.gamma(mpmath.mpf(d) / 2))


def chi_inv_sq_bar(d, gamma) -> mpmath.mpf:
    """An upper bound on :func:`chi_inv_sq_above` whose product with γ is nondecreasing in γ,
    so that the width conditions are monotone in m (derivations/convergence.py):

    * d ≥ 3: E[χ_d^{−2}] = Γ(d/2 − 1)/(2Γ(d/2)) = 1/(d − 2) (a constant);
    * d = 2: E1(γ²/2)/2 ≤ e^{−x} log(1 + 1/x)/2 ≤ sqrt(1/x)/2 = 1/(√2 γ), x = γ²/2
      (Abramowitz & Stegun 5.1.20 and log(1 + t) ≤ √t).
    """
    d = chi_const(d)
    if d == 2:
        g = mpmath.mpf(gamma)
        return mpmath.inf if g == 0 else 1 / (mpmath.sqrt(2) * g)
    return 1 / mpmath.mpf(d - 2)


def chi_inv_sq_below(d, gamma) -> mpmath.mpf:
    """E[χ_d^{−2} 1{χ_d < γ}] = γ(d/2 − 1, γ²/2)/(2Γ(d/2)) for d ≥ 3 (lower incomplete Γ); +inf for d = 2."""
    d = chi_const(d)
    if d == 2:
        return mpmath.inf
    x = mpmath.mpf(gamma) ** 2 / 2
    return mpmath.gammainc(mpmath.mpf(d) / 2 - 1, 0, x) / (2 * mpmath.gamma(mpmath.mpf(d) / 2))


def chi_cdf(d, gamma) -> mpmath.mpf:
    """P(χ_d < γ) = P(d/2, γ²/2) (regularized lower incomplete Γ)."""
    d = chi_const(d)
    return mpmath.gammainc(mpmath.mpf(d) / 2, 0, mpmath.mpf(gamma) ** 2 / 2, regularized=True)
