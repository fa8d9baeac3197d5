"""Validation helpers shared by the modules of :mod:`wnproofs.bounds` (mpmath numbers in)."""

from __future__ import annotations

import mpmath

from ..errors import InputError, check_positive_int

DEFAULT_DPS = 50

METHODS = ("GF", "GD")


def mp(x, name: str) -> mpmath.mpf:
    """``x`` as an mpf, checked finite (``InputError`` naming ``name`` otherwise)."""
    try:
        v = mpmath.mpf(x)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a real number, got {x!r}") from None
    if not mpmath.isfinite(v):
        raise InputError(f"{name} must be finite, got {x!r}")
    return v


def nonneg(x, name: str) -> mpmath.mpf:
    """``x`` as an mpf, checked finite and >= 0 (a radius or a probability threshold)."""
    v = mp(x, name)
    if v < 0:
        raise InputError(f"{name} must be >= 0, got {v}")
    return v


def positive(x, name: str) -> mpmath.mpf:
    """``x`` as an mpf, checked finite and > 0."""
    v = mp(x, name)
    if v <= 0:
        raise InputError(f"{name} must be > 0, got {v}")
    return v


def width(m, name: str = "m") -> mpmath.mpf:
    """A width m ≥ 1 as an mpf.  Real values are accepted: the threshold solver evaluates the
    conditions at real m (every bound is a formula in m, defined for real m ≥ 1)."""
    v = mp(m, name)
    if v < 1:
        raise InputError(f"{name} must be >= 1, got {m!r}")
    return v


def probability(delta, name: str = "delta") -> mpmath.mpf:
    """δ in (0, 1) as an mpf (also tiny shares of δ such as δ/n², which ``check_delta`` admits)."""
    v = mp(delta, name)
    if not 0 < v < 1:
        raise InputError(f"{name} must be in (0, 1), got {delta!r}")
    return v


def dimension(d):
    """d ≥ 2, or None ('any d ≥ 2')."""
    if d is None:
        return None
    return check_positive_int(d, "d", 2)


def method(meth: str) -> str:
    if meth not in METHODS:
        raise InputError(f"method must be 'GF' or 'GD', got {meth!r}")
    return meth
