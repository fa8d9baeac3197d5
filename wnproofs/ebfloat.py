"""Error-bounded float64 arithmetic on arrays: a midpoint and a rigorous radius per entry.

An :class:`EB` holds ``mid`` and ``rad`` (float64 arrays of one shape) and stands for every
real x with |x − mid| ≤ rad.  Its operations (+, −, ×, ÷, √ and exact scalars) return an
EB that encloses every result of the operation on enclosed reals, so a formula written
with ordinary operators (the closed forms of :mod:`wnproofs.kernels.closed_forms`) yields
a rigorous enclosure when fed EBs (midpoint-radius interval arithmetic, Rump 1999).

The proof assumes IEEE 754 binary64 in round-to-nearest for +, −, ×, ÷ and √ (each
result within a relative u = 2⁻⁵³ of the exact one, or an absolute ``ETA`` = 2⁻¹⁰⁷⁴ for
subnormal results), which numpy's elementwise operations give.  Radii are computed in
the same arithmetic, so each radius formula is inflated by ``INFL`` = 1 + 16u, which
covers the at most six roundings (each ≤ u relative, all on non-negative terms) made
while computing it.  Transcendental functions are not provided: the angle's arcsine is
a polynomial with a proved remainder (:func:`wnproofs.angles.asin_eb`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["EB", "U", "ETA", "INFL", "PI", "exact"]

#: Unit roundoff of binary64 (round to nearest).
U = 2.0**-53
#: Smallest positive subnormal: the absolute error of a rounding into the subnormal range.
ETA = 2.0**-1074
#: Inflation applied to every computed radius (covers ≤ 6 roundings of non-negative terms).
INFL = 1.0 + 16 * U


def _up(r):
    """A computed radius made an upper bound: inflated and with the subnormal term."""
    return r * INFL + 4 * ETA


@dataclass(frozen=True)
class EB:
    """An array of reals enclosed as mid ± rad (rad ≥ 0), see the module docstring."""

    mid: np.ndarray
    rad: np.ndarray

    # -- construction ------------------------------------------------------------
    @staticmethod
    def of(x) -> "EB":
        """An EB from an exact float array (radius 0) or from an EB (unchanged)."""
        if isinstance(x, EB):
            return x
        m = np.asarray(x, dtype=np.float64)
        return EB(m, np.zeros_like(m))

    @property
    def shape(self):
        return np.shape(self.mid)

    def upper_abs(self) -> np.ndarray:
        """An upper bound of |x| over the enclosure."""
        return _up(np.abs(self.mid) + self.rad)

    def contains(self, x) -> np.ndarray:
        """Whether each (float) value lies in the enclosure (for tests)."""
        return np.abs(np.asarray(x, dtype=np.float64) - self.mid) <= self.rad

    def __getitem__(self, key) -> "EB":
        return EB(self.mid[key], self.rad[key])

    # -- arithmetic ----------------------------------------------------------------
    def __neg__(self) -> "EB":
        return EB(-self.mid, self.rad)

    def __add__(self, other) -> "EB":
        o = _coerce(other)
        m = self.mid + o.mid
        return EB(m, _up(self.rad + o.rad + U * np.abs(m)))

    __radd__ = __add__

    def __sub__(self, other) -> "EB":
        return self + (-_coerce(other))

    def __rsub__(self, other) -> "EB":
        return _coerce(other) + (-self)

    def __mul__(self, other) -> "EB":
        o = _coerce(other)
        m = self.mid * o.mid
        r = np.abs(self.mid) * o.rad + self.rad * np.abs(o.mid) + self.rad * o.rad + U * np.abs(m)
        return EB(m, _up(r))

    __rmul__ = __mul__

    def __truediv__(self, other) -> "EB":
        o = _coerce(other)
        den = (np.abs(o.mid) - o.rad) * (1 - 4 * U)      # a lower bound of |divisor|
        if np.any(den <= 0):
            raise ZeroDivisionError("EB division by an enclosure that contains 0")
        m = self.mid / o.mid
        # |A/B − a/b| ≤ (|A − a| + |a/b|·|B − b|)/|B|, |B| ≥ den; plus the rounding of a/b
        r = (self.rad + np.abs(m) * (1 + 2 * U) * o.rad) / den + U * np.abs(m)
        return EB(m, _up(r))

    def __rtruediv__(self, other) -> "EB":
        return _coerce(other) / self

    def sqrt(self) -> "EB":
        """√x for enclosures of non-negative reals (the part below 0 is cut off)."""
        lo = np.maximum(self.mid, 0.0)
        m = np.sqrt(lo)
        # |√A − √a| ≤ min(√|A − a|, |A − a|/√a) for A, a ≥ 0, plus the rounding of √a
        with np.errstate(divide="ignore", invalid="ignore"):
            r1 = np.where(m > 0, self.rad / m, np.inf)
        r2 = np.sqrt(self.rad + np.maximum(-self.mid, 0.0)) * (1 + 2 * U)
        return EB(m, _up(np.minimum(r1, r2) + U * m))


def _coerce(x) -> EB:
    """Python ints and floats are exact values (radius 0); arrays too."""
    if isinstance(x, EB):
        return x
    if isinstance(x, (int, np.integer)) and abs(int(x)) > 2**53:
        raise ValueError(f"integer {x} is not exact in float64")
    return EB.of(np.float64(x) if np.isscalar(x) else x)


def exact(x) -> EB:
    """An exact float (array) as an EB of radius 0."""
    return EB.of(x)


#: π as float64 ± its representation error (|π − fl(π)| < 1.2246468e-16).
PI = EB(np.float64(np.pi), np.float64(1.2246468525851680e-16 * (1 + 1e-8)))
