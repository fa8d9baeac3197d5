"""Bound constants of THEORY.md §6-§8 in mpmath (default 50 digits).

Every function takes plain numbers (or mpf) and returns an ``mpmath.mpf`` at the working
precision ``dps``; use ``float(...)`` for float64.  Each docstring names its claim id.
"""

from __future__ import annotations

import mpmath

from .errors import InputError, check_delta, check_dps, check_positive_int

__all__ = [
    "DEFAULT_DPS",
    "l2_radius_V",
    "l2_radius_G",
    "l2_width_V",
    "l2_width_G",
    "l3_expected_residual_sq",
    "l3_markov_residual_sq",
    "l3_subgaussian_B",
    "l4_gaussian_prob_bound",
    "l4_sphere_prob_exact",
    "l4_sphere_prob_bound",
]

DEFAULT_DPS = 50


def _mp(x, name: str):
    try:
        v = mpmath.mpf(x)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a real number, got {x!r}") from None
    if not mpmath.isfinite(v):
        raise InputError(f"{name} must be finite, got {x!r}")
    return v


def l2_radius_V(n: int, m: int, delta: float, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L2: n·sqrt(2 log(2n²/δ)/m), a bound on ||V(0) − V^∞||_F w.p. ≥ 1 − δ (summands in [−1, 1])."""
    n, m, delta = check_positive_int(n, "n"), check_positive_int(m, "m"), check_delta(delta)
    with mpmath.workdps(check_dps(dps)):
        return n * mpmath.sqrt(2 * mpmath.log(2 * mpmath.mpf(n) ** 2 / mpmath.mpf(delta)) / m)


def l2_radius_G(n: int, m: int, delta: float, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L2: n·sqrt(log(2n²/δ)/(2m)), a bound on ||G(0) − G^∞||_F w.p. ≥ 1 − δ (summands in [0, 1])."""
    n, m, delta = check_positive_int(n, "n"), check_positive_int(m, "m"), check_delta(delta)
    with mpmath.workdps(check_dps(dps)):
        return n * mpmath.sqrt(mpmath.log(2 * mpmath.mpf(n) ** 2 / mpmath.mpf(delta)) / (2 * m))


def l2_width_V(n: int, delta: float, lambda_0, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L2 corollary: m ≥ 32 n² log(2n²/δ)/λ_0² makes l2_radius_V ≤ λ_0/4 (so λ_min(V(0)) ≥ 3λ_0/4).

    Returns +inf when λ_0 ≤ 0 (A1 fails: no width suffices).
    """
    n, delta = check_positive_int(n, "n"), check_delta(delta)
    with mpmath.workdps(check_dps(dps)):
        lam = _mp(lambda_0, "lambda_0")
        if lam <= 0:
            return mpmath.inf
        return 32 * mpmath.mpf(n) ** 2 * mpmath.log(2 * mpmath.mpf(n) ** 2 / mpmath.mpf(delta)) / lam**2


def l2_width_G(n: int, delta: float, mu_0, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L2 corollary: m ≥ 8 n² log(2n²/δ)/μ_0² makes l2_radius_G ≤ μ_0/4. +inf when μ_0 ≤ 0."""
    n, delta = check_positive_int(n, "n"), check_delta(delta)
    with mpmath.workdps(check_dps(dps)):
        mu = _mp(mu_0, "mu_0")
        if mu <= 0:
            return mpmath.inf
        return 8 * mpmath.mpf(n) ** 2 * mpmath.log(2 * mpmath.mpf(n) ** 2 / mpmath.mpf(delta)) / mu**2


def l3_expected_residual_sq(n: int, y_norm_sq, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L3: E||f(0) − y||² = n/2 + ||y||²."""
    n = check_positive_int(n, "n")
    with mpmath.workdps(check_dps(dps)):
        return mpmath.mpf(n) / 2 + _mp(y_norm_sq, "||y||^2")


def l3_markov_residual_sq(n: int, y_norm_sq, delta: float, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L3 (Markov, Du et al.): ||f(0) − y||² ≤ (n/2 + ||y||²)/δ w.p. ≥ 1 − δ."""
    delta = check_delta(delta)
    with mpmath.workdps(check_dps(dps)):
        return l3_expected_residual_sq(n, y_norm_sq, dps) / mpmath.mpf(delta)


def l3_subgaussian_B(n: int, y_max, delta: float, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L3 (sub-Gaussian): ||f(0) − y|| ≤ B = √n (sqrt(2 log(2n/δ)) + max_i |y_i|) w.p. ≥ 1 − δ."""
    n, delta = check_positive_int(n, "n"), check_delta(delta)
    with mpmath.workdps(check_dps(dps)):
        return mpmath.sqrt(n) * (mpmath.sqrt(2 * mpmath.log(2 * mpmath.mpf(n) / mpmath.mpf(delta)))
                                 + abs(_mp(y_max, "max|y|")))


def l4_gaussian_prob_bound(R, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L4: P(|⟨w, x⟩| ≤ R) ≤ 2R/√(2π) for w ~ N(0, I), ||x|| = 1 (capped at 1)."""
    with mpmath.workdps(check_dps(dps)):
        R = _mp(R, "R")
        if R < 0:
            raise InputError(f"R must be >= 0, got {R}")
        return min(mpmath.mpf(1), 2 * R / mpmath.sqrt(2 * mpmath.pi))


def l4_sphere_prob_exact(r, d: int, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L4: P(|⟨u, x⟩| ≤ r) = I_{r²}(1/2, (d−1)/2) for u uniform on S^{d−1} (exact)."""
    d = check_positive_int(d, "d", 2)
    with mpmath.workdps(check_dps(dps)):
        r = _mp(r, "r")
        if r < 0:
            raise InputError(f"r must be >= 0, got {r}")
        if r >= 1:
            return mpmath.mpf(1)
        return mpmath.betainc(mpmath.mpf(1) / 2, mpmath.mpf(d - 1) / 2, 0, r**2, regularized=True)


def l4_sphere_prob_bound(r, d: int, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L4: the simple bound r·sqrt(2d/π) for d ≥ 3, and the exact (2/π) arcsin r for d = 2."""
    d = check_positive_int(d, "d", 2)
    with mpmath.workdps(check_dps(dps)):
        r = _mp(r, "r")
        if r < 0:
            raise InputError(f"r must be >= 0, got {r}")
        if d == 2:
            return (2 / mpmath.pi) * mpmath.asin(min(r, mpmath.mpf(1)))
        return min(mpmath.mpf(1), r * mpmath.sqrt(2 * mpmath.mpf(d) / mpmath.pi))
