"""Input validation shared by every public entry point.

Bad input must fail early with a message that names the problem, never as a
silent wrong number or a traceback from deep inside NumPy.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = [
    "InputError",
    "check_alpha",
    "check_delta",
    "check_dps",
    "check_positive_int",
    "check_finite_array",
]


class InputError(ValueError):
    """Raised when an input violates the setting of THEORY.md (a ``ValueError``)."""


def check_positive_int(value: Any, name: str, minimum: int = 1) -> int:
    """Return ``value`` as an ``int`` after checking ``value >= minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            value = int(value)
        else:
            raise InputError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise InputError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def check_alpha(alpha: Any, name: str = "alpha") -> float:
    """Check the initialization scale α: a finite number > 0 (THEORY.md §1)."""
    try:
        a = float(alpha)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a positive finite number, got {alpha!r}") from None
    if not math.isfinite(a) or a <= 0:
        raise InputError(f"{name} must be a positive finite number (alpha > 0), got {alpha!r}")
    return a


def check_positive(value: Any, name: str) -> float:
    """Check a step size or other strictly positive finite scalar."""
    return check_alpha(value, name)


def check_delta(delta: Any) -> float:
    """Check a failure probability δ in the open interval (0, 1)."""
    try:
        d = float(delta)
    except (TypeError, ValueError):
        raise InputError(f"delta must be a number in (0, 1), got {delta!r}") from None
    if not (0.0 < d < 1.0):
        raise InputError(f"delta must lie in the open interval (0, 1), got {delta!r}")
    return d


def check_dps(dps: Any) -> int:
    """Check a working precision in decimal digits (at least 15, i.e. float64)."""
    dps = check_positive_int(dps, "dps")
    if dps < 15:
        raise InputError(f"dps must be >= 15 (float64 already gives 15 digits), got {dps}")
    return dps


def check_finite_array(a: Any, name: str, ndim: int) -> np.ndarray:
    """Convert to a float64 array with ``ndim`` dimensions and only finite entries."""
    try:
        arr = np.asarray(a, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name} must be a numeric array: {exc}") from None
    if arr.ndim != ndim:
        raise InputError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    if arr.size and not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise InputError(f"{name} has a non-finite entry at index {tuple(int(i) for i in bad)}")
    return arr
