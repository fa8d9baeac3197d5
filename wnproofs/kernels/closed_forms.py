"""The infinite-width closed forms G^∞, V^∞, H^∞ (claims D6-D8): the only home of their formulas.

With θ = θ_ij, c = cos θ, s = sin θ and φ = π − θ (THEORY.md §4):

    H^∞ = c φ/(2π),     G^∞ = (s + φ c)/(2π d),     V^∞ = H^∞ − G^∞.

:data:`FORMULAS` writes each once with plain operators, so the same function evaluates in
every arithmetic: float64 arrays, mpmath, Arb balls, error-bounded floats
(:class:`wnproofs.ebfloat.EB`) and SymPy.  The diagonals are the formulas at θ = 0
(c = 1, s = 0, φ = π), where π cancels: :func:`diagonal` evaluates them in exact rationals
(1/2, 1/(2d), (d − 1)/(2d)).

float64 accuracy (:func:`kernel_of_angle`): near θ = π, s + φ c = sin φ − φ cos φ cancels to
φ³/3, so G^∞ uses its Taylor series in φ there (φ ≤ 1); V^∞ vanishes at one angle θ*(d)
in (0, π/2), where H^∞ − G^∞ cancels, so within 1/4 of θ* it uses its Taylor series in
θ − θ*.  Both series come from the formula itself (``mpmath.taylor`` at 60 digits), not
retyped.  Every entry is then within a few ulps (relative) of the exact value at the
given angle; see ``tests/test_accuracy.py`` and ``benchmarks/bench_accuracy.py``.

Matrix builders: float64 (:func:`kernel_matrices`, chunked over rows), mpmath at ``dps``
digits with guard digits wherever the formula cancels (:func:`kernel_matrices_mp`), Arb
balls (:func:`closed_forms_arb`) and error-bounded floats for certificates
(:func:`kernel_matrices_eb`).  All are about the idealised unit rows x_i/||x_i||.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Callable, Iterable, Sequence, Union

import mpmath
import numpy as np

from .. import angles
from ..data import Dataset, as_unit_rows
from ..ebfloat import EB, PI as PI_EB, U
from ..errors import InputError, check_alpha, check_dps, check_positive, check_positive_int

__all__ = [
    "FORMULAS",
    "KINDS",
    "h_formula",
    "g_formula",
    "v_formula",
    "diagonal",
    "sympy_form",
    "kernel_of_angle",
    "kernel_entry_mp",
    "kernel_matrices",
    "kernel_matrices_mp",
    "kernel_matrices_eb",
    "closed_forms_arb",
    "G_inf",
    "V_inf",
    "H_inf",
    "Lambda_inf",
    "Lambda_formula",
    "v_root",
]

DataLike = Union[Dataset, np.ndarray]

KINDS = ("H", "G", "V")


# -----------------------------------------------------------------------------
# the formulas (any arithmetic)
# -----------------------------------------------------------------------------

def h_formula(c, s, phi, d, pi):
    """H^∞ (D8) from c = cos θ, s = sin θ, φ = π − θ: c φ/(2π)."""
    return c * phi / (2 * pi)


def g_formula(c, s, phi, d, pi):
    """G^∞ (D6): (s + φ c)/(2π d)."""
    return (s + phi * c) / (2 * pi * d)


def v_formula(c, s, phi, d, pi):
    """V^∞ (D7): H^∞ − G^∞."""
    return h_formula(c, s, phi, d, pi) - g_formula(c, s, phi, d, pi)


FORMULAS: dict[str, Callable] = {"H": h_formula, "G": g_formula, "V": v_formula}


def Lambda_formula(V, G, alpha, eta_v, eta_g):
    """Λ^∞ = (η_v/α²) V^∞ + η_g G^∞ (THEORY.md §4), in any arithmetic."""
    return (eta_v / alpha**2) * V + eta_g * G


def _kind(which: str) -> str:
    if which not in FORMULAS:
        raise InputError(f"unknown kernel {which!r}; choose from {list(FORMULAS)}")
    return which


def diagonal(which: str, d: int) -> Fraction:
    """The exact diagonal: the formula at θ = 0 (c = 1, s = 0, φ = π), where π cancels."""
    d = check_positive_int(d, "d", 2)
    one = Fraction(1)
    return Fraction(FORMULAS[_kind(which)](one, Fraction(0), one, d, one))


def sympy_form(which: str, theta, d):
    """The closed form as a SymPy expression in the symbols ``theta`` and ``d``."""
    import sympy as sp

    return FORMULAS[_kind(which)](sp.cos(theta), sp.sin(theta), sp.pi - theta, d, sp.pi)


# -----------------------------------------------------------------------------
# float64, accurate at both ends
# -----------------------------------------------------------------------------

_SERIES_DPS = 60
_G_SERIES_PHI = 1.0      # G^∞ by its series in φ for φ ≤ 1
_V_SERIES_H = 0.25       # V^∞ by its series in θ − θ* for |θ − θ*| ≤ 1/4


@lru_cache(maxsize=1)
def _g_series() -> np.ndarray:
    """Coefficients b_k of 2π·G^∞|_{d=1} = Σ b_k φ^k at θ = π − φ (from the formula)."""
    with mpmath.workdps(_SERIES_DPS):
        f = lambda p: 2 * mpmath.pi * g_formula(-mpmath.cos(p), mpmath.sin(p), p, 1, mpmath.pi)
        co = mpmath.taylor(f, 0, 31)
    return np.array([float(t) for t in co])


@lru_cache(maxsize=64)
def v_root(d: int) -> tuple[float, float]:
    """θ*(d) in (0, π/2), the zero of V^∞, as a double-double (hi, lo)."""
    with mpmath.workdps(_SERIES_DPS):
        f = lambda t: v_formula(mpmath.cos(t), mpmath.sin(t), mpmath.pi - t, d, mpmath.pi)
        r = mpmath.findroot(f, (mpmath.mpf("0.05"), mpmath.pi / 2), solver="illinois")
        hi = float(r)
        return hi, float(r - hi)


@lru_cache(maxsize=64)
def _v_series(d: int) -> np.ndarray:
    """Coefficients of V^∞(θ* + h) = Σ c_k h^k (from the formula, at 60 digits)."""
    hi, lo = v_root(d)
    with mpmath.workdps(_SERIES_DPS):
        r = mpmath.mpf(hi) + mpmath.mpf(lo)
        f = lambda t: v_formula(mpmath.cos(t), mpmath.sin(t), mpmath.pi - t, d, mpmath.pi)
        co = mpmath.taylor(f, r, 24)
    return np.array([float(t) for t in co])


def _horner(coef: np.ndarray, x: np.ndarray) -> np.ndarray:
    out = np.full_like(x, coef[-1])
    for a in coef[-2::-1]:
        out = out * x + a
    return out


def kernel_of_angle(which: str, theta, d: int, phi=None) -> np.ndarray:
    """H^∞, G^∞ or V^∞ in float64 at the angles ``theta``, within a few ulps everywhere.

    ``phi`` = π − θ when known more accurately than π minus the rounded θ (from the data:
    :func:`wnproofs.angles.pairwise_angles_pi`); by default it is formed in double-double
    from ``theta``.  θ = 0 gives the exact diagonal value.
    """
    which = _kind(which)
    d = check_positive_int(d, "d", 2)
    th = np.asarray(theta, dtype=np.float64)
    ph = (angles.PI_HI - th) + angles.PI_LO if phi is None else np.asarray(phi, dtype=np.float64)
    # cos θ is insensitive to θ's rounding where it could matter (near 0 and π); sin θ is
    # taken from the smaller of θ and π − θ (sin θ = sin φ), which carries its digits
    c = np.cos(th)
    s = np.sin(np.minimum(th, ph))
    out = np.asarray(FORMULAS[which](c, s, ph, d, np.pi), dtype=np.float64)
    if which in ("G", "V"):
        near_pi = ph <= _G_SERIES_PHI
        if np.any(near_pi):
            p = ph[near_pi]
            g = p**3 * _horner(_g_series()[3::2], p * p) / (2 * np.pi * d)
            if which == "G":
                out = np.where(near_pi, 0.0, out)
                out[near_pi] = g
            else:
                out = np.where(near_pi, 0.0, out)
                out[near_pi] = h_formula(c[near_pi], s[near_pi], p, d, np.pi) - g
    if which == "V":
        hi, lo = v_root(d)
        h = (th - hi) - lo
        win = np.abs(h) <= _V_SERIES_H
        if np.any(win):
            out = np.where(win, 0.0, out)
            out[win] = _horner(_v_series(d), h[win])
    out = np.where(th == 0, float(diagonal(which, d)), out)
    return out if out.ndim else float(out)


def _unit(X: DataLike) -> np.ndarray:
    return X.X if isinstance(X, Dataset) else as_unit_rows(X)


def kernel_matrices(X: DataLike, which: Sequence[str] = KINDS) -> dict[str, np.ndarray]:
    """Float64 matrices of the closed forms for the rows of ``X`` (exact diagonals).

    One Gram product X̂X̂ᵀ, then row blocks: angles (both ends accurate), then each kernel.
    """
    which = [_kind(w) for w in which]
    X = _unit(X)
    Xa, nrm = angles._rows(X, "X")
    n, d = Xa.shape
    C = angles.gram_of_unit_rows(Xa, nrm)
    out = {w: np.empty((n, n)) for w in which}
    for rows in angles.iter_row_blocks(n):
        th, ph = angles.angle_rows(C[rows], rows, Xa, nrm)
        for w in which:
            out[w][rows] = kernel_of_angle(w, th, d, ph)
    del C
    for w in which:
        np.fill_diagonal(out[w], float(diagonal(w, d)))
    return out


# -----------------------------------------------------------------------------
# mpmath
# -----------------------------------------------------------------------------

def kernel_entry_mp(which: str, x, y, d: int, dps: int) -> mpmath.mpf:
    """One off-diagonal entry at ``dps`` correct digits (rows taken as exact rationals).

    The angle comes from :func:`wnproofs.angles.angle_mp` (both ends resolved); the formula
    is evaluated with 10 guard digits plus the digits it cancels (the sum of the absolute
    terms over the result), re-evaluated until the guard covers the cancellation.
    """
    fn = FORMULAS[_kind(which)]
    guard = 10
    for _ in range(8):
        with mpmath.workdps(dps + guard):
            th, ph = angles.angle_mp(x, y, dps + guard)
            c = mpmath.cos(th) if th <= ph else -mpmath.cos(ph)
            s = mpmath.sin(min(th, ph))
            val = fn(c, s, ph, d, mpmath.pi)
            scale = (abs(s) + 2 * abs(ph * c)) / (2 * mpmath.pi)
            lost = 0 if scale == 0 else (mpmath.inf if val == 0 else mpmath.log10(scale / abs(val)))
        if lost + 10 <= guard or val == 0 and scale == 0:
            with mpmath.workdps(dps):
                return +val
        guard = int(min(lost, 4 * dps)) + 12 if lost != mpmath.inf else 2 * guard + dps
    with mpmath.workdps(dps):
        return +val


def kernel_matrices_mp(X: DataLike, dps: int, which: Sequence[str] = KINDS) -> dict[str, mpmath.matrix]:
    """``mpmath.matrix`` closed forms at ``dps`` correct digits (idealised unit rows)."""
    which = [_kind(w) for w in which]
    dps = check_dps(dps)
    Xa = _unit(X)
    n, d = Xa.shape
    out = {}
    with mpmath.workdps(dps):
        for w in which:
            M = mpmath.matrix(n, n)
            diag = diagonal(w, d)
            for i in range(n):
                M[i, i] = mpmath.mpf(diag.numerator) / diag.denominator
                for j in range(i + 1, n):
                    M[i, j] = M[j, i] = kernel_entry_mp(w, Xa[i], Xa[j], d, dps)
            out[w] = M
    return out


# -----------------------------------------------------------------------------
# error-bounded float64 (for certificates)
# -----------------------------------------------------------------------------

def _diag_eb(which: str, d: int) -> tuple[float, float]:
    """The diagonal as a float and the exact size of its rounding (rounded up)."""
    q = diagonal(which, d)
    f = float(q)
    return f, float(abs(Fraction(f) - q)) * (1 + 1e-9)


def kernel_matrices_eb(X: np.ndarray, which: Sequence[str] = ("V", "G"), *, radii: bool = False
                       ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Float64 matrices A_f with rigorous entrywise error bounds, for certificates.

    For the exact unit rows x_i/||x_i|| (float rows taken as exact rationals): every
    true entry A_ij lies within R_ij of A_f[i, j], where (cos θ, sin θ, π − θ) are enclosed
    by :func:`wnproofs.angles.trig_eb_rows` and the formula of :data:`FORMULAS` is evaluated
    in :class:`wnproofs.ebfloat.EB` arithmetic.  Returns ``(A_f, row_sums)`` per kernel,
    with row_sums[i] ≥ Σ_j R_ij (so ||A − A_f||_2 ≤ max_i row_sums[i]); with ``radii=True``
    the full matrices R instead of the row sums (for tests).  A_f is exactly symmetric.
    """
    which = [_kind(w) for w in which]
    Xa, nrm = angles._rows(X, "X")
    n, d = Xa.shape
    Xh = Xa / nrm[:, None]
    C = Xh @ Xh.T
    if not np.array_equal(C, C.T):
        C = np.triu(C) + np.triu(C, 1).T
    mats = {w: np.empty((n, n)) for w in which}
    sums = {w: (np.empty((n, n)) if radii else np.zeros(n)) for w in which}
    pi = PI_EB
    # only the blocks on and right of the diagonal are computed (the rest by symmetry)
    for rows in angles.iter_row_blocks(n):
        r0, r1 = rows.start, rows.stop
        c, s, ph = angles.trig_eb_rows(Xa, rows, Xh, C[rows, r0:], col0=r0)
        loc = np.arange(r1 - r0)
        for w in which:
            val = FORMULAS[w](c, s, ph, d, pi)
            mid, rad = val.mid, val.rad.copy()
            f, r = _diag_eb(w, d)
            mid[loc, loc] = f
            rad[loc, loc] = r
            mats[w][rows, r0:] = mid
            mats[w][r1:, rows] = mid[:, r1 - r0:].T
            if radii:
                sums[w][rows, r0:] = rad
                sums[w][r1:, rows] = rad[:, r1 - r0:].T
            else:
                sums[w][rows] += np.sum(rad, axis=1)
                sums[w][r1:] += np.sum(rad[:, r1 - r0:], axis=0)
    if not radii:
        for w in which:
            sums[w] *= 1 + (n + 8) * U * 1.01
    return mats, sums


# -----------------------------------------------------------------------------
# Arb
# -----------------------------------------------------------------------------

def _check_prec(prec) -> int:
    prec = check_positive_int(prec, "prec", 2)
    if prec > 1 << 16:
        raise InputError(f"prec must be at most 65536 bits, got {prec}")
    return prec


def _as_dataset(data) -> Dataset:
    if isinstance(data, Dataset):
        return data
    X = np.asarray(data, dtype=float)
    if X.ndim != 2:
        raise InputError(f"data must be a Dataset or an (n, d) array, got shape {X.shape}")
    return Dataset(X, np.zeros(X.shape[0]), name="array")


def closed_forms_arb(data, prec: int = 128, which: Sequence[str] = KINDS) -> dict:
    """Enclosures of H^∞, G^∞, V^∞ as lists of lists of ``arb`` at ``prec`` bits.

    For the idealised unit rows (each float row exact, then normalised in balls): angles
    from :func:`wnproofs.angles.trig_arb`, the formulas of :data:`FORMULAS` in balls,
    exact rational diagonals.  Symmetric by construction.
    """
    from flint import arb, ctx, fmpq

    ds = _as_dataset(data)
    prec = _check_prec(prec)
    want = [_kind(w) for w in which]
    X = ds.X
    n, d = X.shape
    old = ctx.prec
    ctx.prec = prec
    try:
        cos, sin, sup = angles.trig_arb(X)
        pi = arb.pi()
        out = {}
        for w in want:
            fn = FORMULAS[w]
            q = diagonal(w, d)
            dg = arb(fmpq(q.numerator, q.denominator))
            M = [[None] * n for _ in range(n)]
            for i in range(n):
                M[i][i] = dg
                for j in range(i + 1, n):
                    M[i][j] = M[j][i] = fn(cos[i][j], sin[i][j], sup[i][j], d, pi)
            out[w] = M
        return out
    finally:
        ctx.prec = old


# -----------------------------------------------------------------------------
# public matrix functions
# -----------------------------------------------------------------------------

def _matrix(which: str, X: DataLike, dps: int | None):
    if dps is None:
        return kernel_matrices(X, (which,))[which]
    return kernel_matrices_mp(X, check_dps(dps), (which,))[which]


def G_inf(X: DataLike, dps: int | None = None):
    """G^∞ of D6: E_u[σ(⟨u,x_i⟩)σ(⟨u,x_j⟩)] = (sin θ + (π−θ) cos θ)/(2π d); diagonal 1/(2d).

    float64 ndarray when ``dps`` is None, else an ``mpmath.matrix`` at ``dps`` digits.
    """
    return _matrix("G", X, dps)


def H_inf(X: DataLike, dps: int | None = None):
    """H^∞ of D8 (Du et al. 2019's NTK Gram): cos θ (π − θ)/(2π); diagonal 1/2."""
    return _matrix("H", X, dps)


def V_inf(X: DataLike, dps: int | None = None):
    """V^∞ of D7: H^∞ − G^∞ = cos θ (π−θ)/(2π) − G^∞; diagonal (d − 1)/(2d)."""
    return _matrix("V", X, dps)


def Lambda_inf(X: DataLike, alpha: float = 1.0, eta_v: float = 1.0, eta_g: float = 1.0,
               dps: int | None = None):
    """Λ^∞ = (η_v/α²) V^∞ + η_g G^∞ (THEORY.md §4)."""
    alpha = check_alpha(alpha)
    eta_v = check_positive(eta_v, "eta_v")
    eta_g = check_positive(eta_g, "eta_g")
    if dps is None:
        m = kernel_matrices(X, ("V", "G"))
        return Lambda_formula(m["V"], m["G"], alpha, eta_v, eta_g)
    dps = check_dps(dps)
    m = kernel_matrices_mp(X, dps, ("V", "G"))
    with mpmath.workdps(dps):
        return Lambda_formula(m["V"], m["G"], mpmath.mpf(alpha), mpmath.mpf(eta_v), mpmath.mpf(eta_g))
