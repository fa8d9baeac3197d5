"""The angle θ_ij between inputs, in every arithmetic the project needs (THEORY.md §8a).

This module is the only home of the angle's formula,

    θ = 2·atan2(||x̂ − ŷ||, ||x̂ + ŷ||),      π − θ = 2·atan2(||x̂ + ŷ||, ||x̂ − ŷ||),

with x̂ = x/||x||.  The supplement π − θ is computed from the data, never as π minus a
rounded θ (which would cancel near θ = π).  Each function returns both.

* float64, :func:`pairwise_angles` / :func:`pairwise_angles_pi`: ``arccos`` of the Gram
  entry where |cos θ| ≤ 1/2 (well conditioned there); elsewhere the chord, computed
  without the rounding of the normalisation: with p = x·||y|| and q = y·||x|| formed
  exactly (Dekker's TwoProduct), p − q is accurate to a few ulps and its component along
  p + q (which only the rounded norms put there) is projected out, so θ (or π − θ) is
  accurate to a few ulps relative even at θ = 1e-12.
* error-bounded float64, :func:`trig_eb_rows`: cos θ, sin θ and π − θ as
  :class:`wnproofs.ebfloat.EB` enclosures of the values for the exact unit rows
  x_i/||x_i|| (float rows taken as exact rationals), using only +, −, ×, ÷, √ and an
  arcsine polynomial with a proved remainder (:func:`asin_eb`);
* mpmath, :func:`angle_mp`: rows taken exactly, guard digits added until the chord is
  resolved (``dps`` correct digits at both ends);
* Arb, :func:`trig_arb`: balls for cos θ, sin θ and π − θ;
* SymPy, :func:`angle_sympy`: the exact angle of rational vectors.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache
from typing import Iterator

import mpmath
import numpy as np

from .ebfloat import EB, ETA, PI, U
from .errors import InputError, check_finite_array

__all__ = [
    "PI_HI",
    "PI_LO",
    "pairwise_angles",
    "pairwise_angles_pi",
    "angle_rows",
    "gram_of_unit_rows",
    "asin_eb",
    "trig_eb_rows",
    "angle_mp",
    "trig_arb",
    "angle_sympy",
    "unit_pair",
    "NEAR",
]

#: π = PI_HI + PI_LO to about 1e-32.
PI_HI = float(np.pi)
PI_LO = 1.2246467991473532e-16

#: Above this |cos θ| the angle (or its supplement) is computed from the chord.
NEAR = 0.5

#: Elements of one work array of a row block.
_BLOCK_ELEMENTS = 2**21


def _block_rows(n: int, p: int) -> int:
    return max(1, _BLOCK_ELEMENTS // max(1, p))


def _rows(X, name: str) -> tuple[np.ndarray, np.ndarray]:
    """The rows as a finite float array and their norms (a zero row is an error)."""
    X = check_finite_array(X, name, 2)
    nrm = np.sqrt(np.sum(X * X, axis=1))
    zero = np.flatnonzero(nrm == 0)
    if zero.size:
        raise InputError(f"{name} row {int(zero[0])} is zero: its angle to another row is undefined")
    return X, nrm


# -----------------------------------------------------------------------------
# float64
# -----------------------------------------------------------------------------

_SPLIT = 134217729.0  # 2**27 + 1


def _two_prod(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(p, e) with p = fl(a·b) and a·b = p + e exactly (Dekker 1971)."""
    p = a * b
    t = _SPLIT * a
    ah = t - (t - a)
    al = a - ah
    t = _SPLIT * b
    bh = t - (t - b)
    bl = b - bh
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    return p, e


def _chord_angle(x: np.ndarray, nx: np.ndarray, y: np.ndarray, ny: np.ndarray) -> np.ndarray:
    """Angle between the rows of x and y (paired), accurate to a few ulps relative.

    p = x·||y||, q = y·||x|| exactly as double-doubles; D = p − q to a few ulps per entry;
    the rounded norms only add a multiple of S = p + q, which is projected out;
    θ = 2·atan2(||D⊥||, ||S||).
    """
    ph, pl = _two_prod(x, ny[:, None])
    qh, ql = _two_prod(y, nx[:, None])
    D = (ph - qh) + (pl - ql)
    S = ph + qh
    ss = np.sum(S * S, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        k = np.where(ss > 0, np.sum(D * S, axis=1) / ss, 0.0)
    D = D - k[:, None] * S
    return 2.0 * np.arctan2(np.sqrt(np.sum(D * D, axis=1)), np.sqrt(ss))


def _fix_pairs(out: np.ndarray, mask: np.ndarray, X: np.ndarray, nX: np.ndarray, Y: np.ndarray,
               nY: np.ndarray, sign: float, row0: int = 0) -> None:
    """Overwrite out[mask] with the chord angle between X rows and sign·Y rows."""
    ii, jj = np.nonzero(mask)
    if not ii.size:
        return
    step = max(1, 2**20 // max(1, X.shape[1]))
    for s in range(0, ii.size, step):
        i, j = ii[s:s + step], jj[s:s + step]
        out[i, j] = _chord_angle(X[i + row0], nX[i + row0], sign * Y[j], nY[j])


def gram_of_unit_rows(X: np.ndarray, nrm: np.ndarray) -> np.ndarray:
    """C = X̂ X̂ᵀ for X̂ = X/||X|| row-wise (exactly symmetric)."""
    Xh = X / nrm[:, None]
    C = Xh @ Xh.T
    if not np.array_equal(C, C.T):          # numpy's syrk path is symmetric; guard anyway
        C = np.triu(C) + np.triu(C, 1).T
    return C


def angle_rows(C: np.ndarray, rows: slice, X: np.ndarray, nrm: np.ndarray,
               Y: np.ndarray | None = None, nY: np.ndarray | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
    """(θ, π − θ) for the rows ``rows`` of X against every row of Y (default X).

    ``C`` holds the matching block of cosines X̂[rows] Ŷᵀ.  Where |cos| ≤ 1/2: arccos;
    where cos > 1/2: θ from the chord (π − θ by subtraction, no cancellation since
    θ < π/3); where cos < −1/2: π − θ from the chord of x and −y, θ by subtraction.
    """
    Y = X if Y is None else Y
    nY = nrm if nY is None else nY
    theta = np.arccos(np.clip(C, -1.0, 1.0))
    near, anti = C > NEAR, C < -NEAR
    _fix_pairs(theta, near, X, nrm, Y, nY, 1.0, rows.start)
    phi = (PI_HI - theta) + PI_LO
    sup = np.zeros_like(theta)
    _fix_pairs(sup, anti, X, nrm, Y, nY, -1.0, rows.start)
    phi = np.where(anti, sup, phi)
    theta = np.where(anti, (PI_HI - sup) + PI_LO, theta)
    return theta, phi


def pairwise_angles_pi(X: np.ndarray, Y: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(θ_ij, π − θ_ij) between the rows of X (and Y), each accurate at both ends.

    Returns two (n, p) float arrays.  Without ``Y`` the diagonal is exactly (0, π) and
    both arrays are exactly symmetric.  Zero rows are an error (their angle is undefined).
    """
    X, nX = _rows(X, "X")
    if Y is None:
        C = gram_of_unit_rows(X, nX)
        th, ph = angle_rows(C, slice(0, X.shape[0]), X, nX)
        np.fill_diagonal(th, 0.0)
        np.fill_diagonal(ph, PI_HI)
        return th, ph
    Y, nY = _rows(Y, "Y")
    if Y.shape[1] != X.shape[1]:
        raise InputError(f"X and Y must have the same number of columns, got {X.shape[1]} and {Y.shape[1]}")
    C = (X / nX[:, None]) @ (Y / nY[:, None]).T
    return angle_rows(C, slice(0, X.shape[0]), X, nX, Y, nY)


def pairwise_angles(X: np.ndarray, Y: np.ndarray | None = None) -> np.ndarray:
    """Angles θ_ij in [0, π] between the rows of ``X`` (and ``Y``), accurate near 0 and π.

    See :func:`pairwise_angles_pi`; identical rows give exactly 0, opposite rows exactly π
    (up to the last bit of π), the diagonal is exactly 0 when ``Y`` is None.
    """
    return pairwise_angles_pi(X, Y)[0]


# -----------------------------------------------------------------------------
# error-bounded float64
# -----------------------------------------------------------------------------

#: Degree (in x²) of the arcsine polynomial and the largest |x| it is used for.
ASIN_TERMS = 24
ASIN_XMAX = 0.5 + 2.0**-20


@lru_cache(maxsize=1)
def _asin_poly() -> tuple[np.ndarray, float, float]:
    """Float coefficients of asin(x) = x Σ_k a_k x^{2k} (k ≤ K), the relative error bound κ
    and the Lipschitz constant L of asin on [−XMAX, XMAX], all proved with Arb.

    For 0 ≤ z = x² ≤ z_max the computed x·Q̃(fl(x²)) differs from asin(x) by at most
    |x|·κ, κ = γ_{2K+4} Q(z_max) + u z_max Q'(z_max) + T: Horner with positive
    coefficients (Higham, eq. (5.3)), rounding of the coefficients, of x² and of the last
    product, and the truncation T = Σ_{k>K} a_k z_max^k = asin(√z_max)/√z_max − Q(z_max).
    """
    from flint import arb, ctx, fmpq

    old = ctx.prec
    ctx.prec = 200
    try:
        K = ASIN_TERMS
        exact = [Fraction(math.comb(2 * k, k), 4**k * (2 * k + 1)) for k in range(K + 1)]
        coef = np.array([float(a) for a in exact])
        xm = fmpq(*Fraction(ASIN_XMAX).as_integer_ratio())
        zm = arb(xm) ** 2
        Q = sum((arb(fmpq(a.numerator, a.denominator)) * zm**k for k, a in enumerate(exact)), arb(0))
        dQ = sum((k * arb(fmpq(a.numerator, a.denominator)) * zm ** (k - 1)
                  for k, a in enumerate(exact) if k), arb(0))
        T = zm.sqrt().asin() / zm.sqrt() - Q
        g = arb(2 * K + 4) * arb(U) / (1 - arb(2 * K + 4) * arb(U))
        kappa = g * Q * (1 + arb(U)) + arb(U) * zm * dQ + T
        L = 1 / (1 - zm).sqrt()
        return coef, float(kappa.upper()) * (1 + 1e-12), float(L.upper()) * (1 + 1e-12)
    finally:
        ctx.prec = old


def asin_eb(x: EB) -> EB:
    """An enclosure of asin over an enclosure ``x`` with |x| ≤ ASIN_XMAX (see :func:`_asin_poly`)."""
    coef, kappa, L = _asin_poly()
    reach = np.abs(x.mid) + x.rad
    if reach.size and float(np.max(reach)) > ASIN_XMAX:
        raise ArithmeticError(f"asin_eb used outside |x| <= {ASIN_XMAX}: {float(np.max(reach))}")
    z = x.mid * x.mid
    q = np.full_like(z, coef[-1])
    for a in coef[-2::-1]:
        q = q * z + a
    m = x.mid * q
    r = kappa * np.abs(x.mid) + L * x.rad
    return EB(m, r * (1 + 16 * U) + 4 * ETA)


def _unit_bounds(d: int) -> tuple[float, float]:
    """(ρ, α): |‖x̂_i‖ − 1| ≤ ρ and ∠(x̂_i, x_i) ≤ α for x̂_i = fl(x_i/ν_i), ν_i = fl(√(Σ x²)).

    The rounding of x_ik/ν_i is relative per entry (≤ u): it turns x_i/ν_i by at most
    asin(u) (plus the subnormal term); ν_i = ‖x_i‖(1 + δ), |δ| ≤ γ_d/2 + u, scales it.
    """
    gd = d * U / (1 - d * U)
    rho = (gd / 2 + 3 * U) * 1.01
    alpha = 1.0001 * U + 4 * math.sqrt(d) * ETA / 0.5
    return rho, alpha


def _chord_eb(Xh: np.ndarray, i: np.ndarray, j: np.ndarray, sign: float, rho: float, alpha: float) -> EB:
    """Enclosure of the chord ‖x*_i − sign·x*_j‖ between exact unit rows, from float x̂."""
    D = Xh[i] - sign * Xh[j]
    a = np.sqrt(np.sum(D * D, axis=1))
    d = Xh.shape[1]
    gd = d * U / (1 - d * U)
    beta = (2 * U + gd / 2) * 1.01 + 4 * U          # differences, sum of squares, √
    omega = rho + (1 + rho) * alpha                 # ‖x̂_i − x*_i‖
    return EB(a, (2 * omega + beta * a) * (1 + 16 * U) + 8 * ETA)


def trig_eb_rows(X: np.ndarray, rows: slice, Xh: np.ndarray, C: np.ndarray, col0: int = 0
                 ) -> tuple[EB, EB, EB]:
    """Enclosures of (cos θ_ij, sin θ_ij, π − θ_ij) for the exact unit rows x*_i = x_i/‖x_i‖.

    ``Xh`` = fl(X/ν) row-normalised in float64 (ν as in :func:`_unit_bounds`), ``C`` the
    float64 block X̂[rows] X̂[col0:]ᵀ (columns from ``col0`` on).  Three classes, each with rigorous error terms:

    * |C| ≤ 1/2: |C − cos θ| ≤ γ_d(1 + ρ)² + 2ρ + ρ² + 2α (Higham's inner-product bound in
      any order, the norms and the turn of each x̂); sin θ = √(1 − cos²θ),
      π − θ = π/2 + asin(cos θ);
    * C > 1/2: the chord a = ‖x*_i − x*_j‖ (float differences, error 2ω + β a);
      θ = 2 asin(a/2), cos θ = 1 − a²/2, sin θ = a √(1 − a²/4);
    * C < −1/2: the same with b = ‖x*_i + x*_j‖ and π − θ = 2 asin(b/2).

    The diagonal (θ = 0) is left to the caller (the kernels' diagonals are exact).
    """
    d = X.shape[1]
    rho, alpha = _unit_bounds(d)
    gd = d * U / (1 - d * U)
    e_c = (gd * (1 + rho) ** 2 + 2 * rho + rho**2 + 2 * alpha) * 1.01
    Cf = np.where(np.abs(C) <= NEAR, C, 0.0)
    c = EB(Cf, np.full_like(Cf, e_c))
    s = (1 - c * c).sqrt()
    phi = PI * 0.5 + asin_eb(c)
    cm, cr, sm, sr, pm, pr = c.mid, c.rad, s.mid, s.rad, phi.mid, phi.rad
    for sign, mask in ((1.0, C > NEAR), (-1.0, C < -NEAR)):
        ii, jj = np.nonzero(mask)
        if not ii.size:
            continue
        a = _chord_eb(Xh, ii + rows.start, jj + col0, sign, rho, alpha)
        half = a * 0.5
        ang = asin_eb(half) * 2                        # θ (sign +1) or π − θ (sign −1)
        cc = (1 - a * a * 0.5) * sign                  # cos θ = ±(1 − chord²/2)
        ss = a * (1 - half * half).sqrt()
        pp = (PI - ang) if sign > 0 else ang
        cm[ii, jj], cr[ii, jj] = cc.mid, cc.rad
        sm[ii, jj], sr[ii, jj] = ss.mid, ss.rad
        pm[ii, jj], pr[ii, jj] = pp.mid, pp.rad
    return EB(cm, cr), EB(sm, sr), EB(pm, pr)


def normalized_rows_eb(X: np.ndarray) -> np.ndarray:
    """fl(x_i/ν_i), ν_i = fl(√(Σ_k x_ik²)): the float rows that :func:`trig_eb_rows` expects."""
    X, nrm = _rows(X, "X")
    return X / nrm[:, None]


def iter_row_blocks(n: int) -> Iterator[slice]:
    """Row blocks that keep each (rows × n) work array near 2²¹ entries."""
    b = _block_rows(n, n)
    for lo in range(0, n, b):
        yield slice(lo, min(n, lo + b))


# -----------------------------------------------------------------------------
# mpmath
# -----------------------------------------------------------------------------

def _exactly_parallel(x, y) -> int:
    """+1 if x = t·y with t > 0, −1 if t < 0, 0 otherwise (exact rational arithmetic)."""
    fx = [Fraction(float(t)) for t in x]
    fy = [Fraction(float(t)) for t in y]
    k = next((i for i, t in enumerate(fy) if t != 0), None)
    if k is None or fx[k] == 0:
        return 0
    r = fx[k] / fy[k]
    if all(a == r * b for a, b in zip(fx, fy)):
        return 1 if r > 0 else -1
    return 0


def angle_mp(x, y, dps: int) -> tuple[mpmath.mpf, mpmath.mpf]:
    """(θ, π − θ) between two float rows taken as exact rationals, to ``dps`` correct digits.

    Both come from chords of the rows normalised at a working precision raised until the
    smaller chord is resolved (guard digits ≥ 10 beyond its magnitude), so neither end of
    the range loses digits.  Returned as mpf at ``dps`` + 10 digits of working precision.
    """
    guard = 10
    par = None
    while True:
        with mpmath.workdps(dps + guard):
            xs = [mpmath.mpf(float(t)) for t in x]
            ys = [mpmath.mpf(float(t)) for t in y]
            nx = mpmath.sqrt(mpmath.fsum(t * t for t in xs))
            ny = mpmath.sqrt(mpmath.fsum(t * t for t in ys))
            a = mpmath.sqrt(mpmath.fsum((p / nx - q / ny) ** 2 for p, q in zip(xs, ys)))
            b = mpmath.sqrt(mpmath.fsum((p / nx + q / ny) ** 2 for p, q in zip(xs, ys)))
            small = min(a, b)
            if small == 0:
                if par is None:
                    par = _exactly_parallel(x, y)
                if par == 0 and guard < 4000:
                    guard *= 4
                    continue
                if par == 0:
                    raise ArithmeticError("angle_mp: rows too close to resolve")
            need = 0 if small == 0 else int(mpmath.ceil(-mpmath.log10(small)))
            if need + 10 <= guard:
                with mpmath.workdps(dps + 10):
                    if small == 0:
                        zero, pi = mpmath.mpf(0), +mpmath.pi
                        return (zero, pi) if par > 0 else (pi, zero)
                    return +(2 * mpmath.atan2(a, b)), +(2 * mpmath.atan2(b, a))
            guard = need + 12


# -----------------------------------------------------------------------------
# Arb
# -----------------------------------------------------------------------------

def trig_arb(X: np.ndarray) -> tuple[list, list, list]:
    """Balls (cos θ_ij, sin θ_ij, π − θ_ij) for the exact unit rows, at flint's precision.

    ĉ = ⟨x̂_i, x̂_j⟩ from an ``arb_mat`` product of the exactly normalised rows; the squared
    chords t = 2 − 2ĉ, p = 2 + 2ĉ clamped to [0, 4]; π − θ = π − 2 asin(√t/2) when ĉ ≥ 0
    and 2 asin(√p/2) otherwise (no acos near 0 or π); sin θ = √(t p)/2.  Lists of lists;
    the diagonal entries are left as ``None`` (the kernels' diagonals are exact rationals).
    """
    from flint import arb, arb_mat

    n = X.shape[0]
    pi = arb.pi()
    rows = []
    for i in range(n):
        xi = [arb(float(t)) for t in X[i]]          # exact: each float is a dyadic rational
        inv = 1 / sum((t * t for t in xi), arb(0)).sqrt()
        rows.append([t * inv for t in xi])
    Xh = arb_mat(rows)
    Cm = (Xh * Xh.transpose()).tolist()
    cos = [[None] * n for _ in range(n)]
    sin = [[None] * n for _ in range(n)]
    sup = [[None] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            c = Cm[i][j]
            t = (2 - 2 * c).nonnegative_part()
            p = (2 + 2 * c).nonnegative_part()
            if c.mid() >= 0:
                pmt = pi - 2 * (t.sqrt() / 2).asin()
            else:
                pmt = 2 * (p.sqrt() / 2).asin()
            s = (t * p).nonnegative_part().sqrt() / 2
            cos[i][j] = cos[j][i] = c
            sin[i][j] = sin[j][i] = s
            sup[i][j] = sup[j][i] = pmt
    return cos, sin, sup


# -----------------------------------------------------------------------------
# SymPy
# -----------------------------------------------------------------------------

def angle_sympy(x, y):
    """The exact angle between two vectors of rationals (or floats taken exactly), SymPy."""
    import sympy as sp

    xs = [sp.Rational(Fraction(t)) if not isinstance(t, sp.Basic) else t for t in x]
    ys = [sp.Rational(Fraction(t)) if not isinstance(t, sp.Basic) else t for t in y]
    nx = sp.sqrt(sum(t**2 for t in xs))
    ny = sp.sqrt(sum(t**2 for t in ys))
    a = sp.sqrt(sum((p / nx - q / ny) ** 2 for p, q in zip(xs, ys)))
    b = sp.sqrt(sum((p / nx + q / ny) ** 2 for p, q in zip(xs, ys)))
    return 2 * sp.atan2(a, b)


def unit_pair(theta: float, d: int, rng: np.random.Generator, antipodal: bool = False) -> np.ndarray:
    """Two unit rows at angle ``theta`` (or π − ``theta`` when ``antipodal``), in a random
    plane of R^d drawn from ``rng``: x and cos θ·x + sin θ·t (t ⊥ x), the second negated
    when antipodal.  For tests and benchmarks at the ends of the angle range."""
    x = rng.standard_normal(d)
    x /= np.linalg.norm(x)
    t = rng.standard_normal(d)
    t -= (t @ x) * x
    t /= np.linalg.norm(t)
    y = np.cos(theta) * x + np.sin(theta) * t
    y /= np.linalg.norm(y)
    return np.vstack([x, -y if antipodal else y])
