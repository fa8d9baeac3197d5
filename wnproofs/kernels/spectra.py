"""Spectral constants of the limit kernels: λ_0, μ_0, λ_H, λ_min(Λ^∞), α* and the regime.

THEORY.md §4-§8: λ_0 = λ_min(V^∞), μ_0 = λ_min(G^∞) (L1), λ_H = λ_min(H^∞) (C1), and the
crossover α* = sqrt(η_v λ_0/(η_g μ_0)) where η_v λ_0/α² = η_g μ_0 (the two lower bounds
of λ_min(Λ^∞) meet; T1-T4).  This module is the only home of these definitions.

* float64 (``dps=None``): ``numpy.linalg.eigvalsh`` of the accurate float closed forms;
* ``dps`` digits: the matrix in Arb balls (:func:`wnproofs.kernels.closed_forms.closed_forms_arb`,
  midpoints taken exactly) or by mpmath (:func:`~wnproofs.kernels.closed_forms.kernel_matrices_mp`),
  and its smallest eigenvalue by :func:`lambda_min_mp` (float64 start + mixed-precision
  Newton refinement);
* :func:`regime` and :func:`spectral_constants` choose the precision the data need: float64
  when its error bound n·u·λ_max is below 1e-10 of the smallest eigenvalue, else
  ``AUTO_DPS`` digits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Union

import mpmath
import numpy as np

from ..data import Dataset
from ..errors import InputError, check_alpha, check_dps, check_positive
from .closed_forms import Lambda_inf, closed_forms_arb, kernel_matrices, kernel_matrices_mp

__all__ = [
    "DEFAULT_DPS",
    "AUTO_DPS",
    "lambda_min_mp",
    "data_matrix_mp",
    "mp_matrix_of_balls",
    "lambda_0",
    "mu_0",
    "lambda_H",
    "lambda_0_mp",
    "mu_0_mp",
    "lambda_H_mp",
    "lambda_inf_min",
    "alpha_star",
    "spectral_constants",
    "Regime",
    "regime",
]

DataLike = Union[Dataset, np.ndarray]

#: Default digits of the high-precision constants (as in :mod:`wnproofs.bounds`).
DEFAULT_DPS = 50
#: Digits used when float64 does not resolve the smallest eigenvalue.
AUTO_DPS = 30
#: Relative error of a float64 eigenvalue above which the automatic choice goes to AUTO_DPS.
AUTO_REL_ERR = 1e-10

_WHICH = {"lambda_0": "V", "mu_0": "G", "lambda_H": "H"}


def lambda_min_mp(M, dps: int = DEFAULT_DPS, *, method: str = "auto", return_info: bool = False):
    """Smallest eigenvalue of a symmetric ``mpmath.matrix`` at ``dps`` digits.

    ``method``:

    * ``"refine"`` - float64 ``eigh`` for a starting eigenpair, then Newton iterations on
      F(x, λ) = (Mx − λx, (xᵀx − 1)/2) with the residual evaluated in mpmath and the
      correction solved in float64 (mixed-precision refinement, Dongarra-Moler-Wilkinson
      1983): each iteration gains about 14 digits, O(n²) mpmath work per iteration.
      Guard: the refined residual ||Mx − λx||/||x|| (an upper bound on the distance from λ
      to the spectrum, Weyl) must be below 10^(−dps), and the float64 gap to the second
      eigenvalue must exceed the float64 error, else it falls back to ``eigsy``.
    * ``"eigsy"`` - ``mpmath.eigsy`` (O(n³) mpmath work: slow beyond n ≈ 60).
    * ``"auto"`` - ``refine`` with the ``eigsy`` fallback.
    """
    dps = check_dps(dps)
    n = M.rows
    info = {"method": method, "iterations": 0, "fallback": False}
    if method not in ("auto", "refine", "eigsy"):
        raise InputError(f"method must be 'auto', 'refine' or 'eigsy', got {method!r}")
    if method == "eigsy" or n == 1:
        with mpmath.workdps(dps):
            ev = mpmath.eigsy(M, eigvals_only=True)
            val = +min(ev[i] for i in range(n))
        info["method"] = "eigsy"
        return (val, info) if return_info else val
    with mpmath.workdps(dps + 10):
        Mf = np.array([[float(M[i, j]) for j in range(n)] for i in range(n)])
        w, Q = np.linalg.eigh(Mf)
        scale = max(float(np.max(np.abs(w))), 1e-300)
        gap_ok = n == 1 or (w[1] - w[0]) > 1e3 * n * np.finfo(float).eps * scale
        x = [mpmath.mpf(float(t)) for t in Q[:, 0]]
        lam = mpmath.mpf(float(w[0]))
        rows = [[M[i, j] for j in range(n)] for i in range(n)]
        tol = mpmath.mpf(10) ** (-(dps + 2)) * max(mpmath.mpf(scale), mpmath.mpf(1) / 10**10)
        res = mpmath.inf
        for it in range(12):
            Mx = [mpmath.fdot(rows[i], x) for i in range(n)]
            r = [Mx[i] - lam * x[i] for i in range(n)]
            nx = mpmath.sqrt(mpmath.fdot(x, x))
            res = mpmath.sqrt(mpmath.fdot(r, r)) / nx
            info["iterations"] = it
            if res <= tol:
                break
            # Newton step: [[M − λI, −x], [xᵀ, 0]] [dx; dλ] = −[r; (xᵀx − 1)/2]
            J = np.zeros((n + 1, n + 1))
            J[:n, :n] = Mf - float(lam) * np.eye(n)
            J[:n, n] = -np.array([float(t) for t in x])
            J[n, :n] = np.array([float(t) for t in x])
            rhs = -np.array([float(t) for t in r] + [float((mpmath.fdot(x, x) - 1) / 2)])
            try:
                sol = np.linalg.solve(J, rhs)
            except np.linalg.LinAlgError:
                break
            x = [x[i] + mpmath.mpf(float(sol[i])) for i in range(n)]
            lam = lam + mpmath.mpf(float(sol[n]))
        info["residual"] = float(res)
        ok = gap_ok and res <= tol
    if not ok:
        if method == "refine":
            raise ArithmeticError(f"eigenvalue refinement did not reach {dps} digits "
                                  f"(residual {float(res):.1e}, gap ok: {gap_ok})")
        info["fallback"] = True
        with mpmath.workdps(dps):
            ev = mpmath.eigsy(M, eigvals_only=True)
            val = +min(ev[i] for i in range(n))
        info["method"] = "eigsy"
        return (val, info) if return_info else val
    with mpmath.workdps(dps):
        val = +lam
    info["method"] = "refine"
    info["vector"] = x          # the refined eigenvector (mpf, at dps + 10 digits)
    return (val, info) if return_info else val


def data_matrix_mp(which: str, data, dps: int, former: str = "arb"):
    """V^∞, G^∞ or H^∞ as an ``mpmath.matrix`` at ``dps`` digits.

    ``former="arb"``: the closed forms in Arb balls at ~3.33·dps + 40 bits (C loops: ~50×
    faster than mpmath), each ball's midpoint taken exactly as an mpf (error ≤ the radius,
    ~10^(−dps−10)); ``former="mpmath"``: :func:`kernel_matrices_mp` at ``dps`` digits.
    Both are about the idealised unit rows (each float64 row exact, then normalised).
    """
    dps = check_dps(dps)
    if former == "mpmath":
        return kernel_matrices_mp(data, dps, (which,))[which]
    if former != "arb":
        raise InputError(f"former must be 'arb' or 'mpmath', got {former!r}")
    prec = int(dps * 3.33) + 40
    return mp_matrix_of_balls(closed_forms_arb(data, prec, (which,))[which], dps + 10)


def mp_matrix_of_balls(balls: list, dps: int) -> mpmath.matrix:
    """The midpoints of a square list of ``arb`` balls, exactly, as an ``mpmath.matrix``
    (working precision ``dps`` digits, enough to hold each midpoint)."""
    nn = len(balls)
    with mpmath.workdps(dps):
        M = mpmath.matrix(nn, nn)
        for i in range(nn):
            for j in range(nn):
                man, exp = balls[i][j].mid().man_exp()
                M[i, j] = mpmath.mpf((int(man), int(exp)))
    return M


def _lmin_float(M: np.ndarray) -> float:
    return float(np.linalg.eigvalsh(M)[0])


def _spectral(which: str, X: DataLike, dps, method: str, former: str):
    if dps is None:
        return _lmin_float(kernel_matrices(X, (which,))[which])
    dps = check_dps(dps)
    return lambda_min_mp(data_matrix_mp(which, X, dps, former), dps, method=method)


def lambda_0(X: DataLike, dps: int | None = None, *, method: str = "auto", former: str = "arb"):
    """λ_0 = λ_min(V^∞) (THEORY.md §4; positive under A1 by L1): float, or mpf at ``dps`` digits."""
    return _spectral("V", X, dps, method, former)


def mu_0(X: DataLike, dps: int | None = None, *, method: str = "auto", former: str = "arb"):
    """μ_0 = λ_min(G^∞) (THEORY.md §4, claim L1): float, or mpf at ``dps`` digits."""
    return _spectral("G", X, dps, method, former)


def lambda_H(X: DataLike, dps: int | None = None, *, method: str = "auto", former: str = "arb"):
    """λ_H = λ_min(H^∞), Du et al.'s constant (claim C1; ≥ λ_0 + μ_0 by D8)."""
    return _spectral("H", X, dps, method, former)


def lambda_0_mp(data, dps: int = DEFAULT_DPS, *, method: str = "auto", former: str = "arb") -> mpmath.mpf:
    """λ_0 at ``dps`` digits (default 50): :func:`lambda_0` with a precision always given."""
    return lambda_0(data, dps, method=method, former=former)


def mu_0_mp(data, dps: int = DEFAULT_DPS, *, method: str = "auto", former: str = "arb") -> mpmath.mpf:
    """μ_0 at ``dps`` digits (default 50)."""
    return mu_0(data, dps, method=method, former=former)


def lambda_H_mp(data, dps: int = DEFAULT_DPS, *, method: str = "auto", former: str = "arb") -> mpmath.mpf:
    """λ_H at ``dps`` digits (default 50)."""
    return lambda_H(data, dps, method=method, former=former)


def lambda_inf_min(data, alpha: float = 1.0, eta_v: float = 1.0, eta_g: float = 1.0,
                   dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """λ_min(Λ^∞) for Λ^∞ = (η_v/α²) V^∞ + η_g G^∞ at ``dps`` digits (THEORY.md §4)."""
    return lambda_min_mp(Lambda_inf(data, alpha, eta_v, eta_g, dps=check_dps(dps)), dps)


def alpha_star(lambda_0, mu_0, eta_v=1.0, eta_g=1.0):
    """α* = sqrt(η_v λ_0/(η_g μ_0)): where η_v λ_0/α² = η_g μ_0 (THEORY.md §8).

    mpf in, mpf out (at the current mpmath precision); floats give a float; NaN when
    λ_0 or μ_0 is not positive (A1 fails: no crossover).
    """
    if any(isinstance(t, mpmath.mpf) for t in (lambda_0, mu_0, eta_v, eta_g)):
        if not (lambda_0 > 0 and mu_0 > 0):
            return mpmath.nan
        return mpmath.sqrt(mpmath.mpf(eta_v) * lambda_0 / (mpmath.mpf(eta_g) * mu_0))
    lam, mu = float(lambda_0), float(mu_0)
    if not (lam > 0 and mu > 0):
        return float("nan")
    return math.sqrt(float(eta_v) * lam / (float(eta_g) * mu))


def spectral_constants(X: DataLike, dps: int | None | str = "auto",
                       quantities=("lambda_0", "mu_0", "lambda_H")) -> dict:
    """λ_0, μ_0, λ_H and α* (η_v = η_g = 1) of a data set, as floats, at the precision needed.

    ``dps="auto"``: float64 when each float eigenvalue is resolved (its error bound
    n·u·λ_max is below ``AUTO_REL_ERR`` of it), else recomputed at ``AUTO_DPS`` digits;
    ``dps=None``: float64; an integer: that many digits.  The key ``dps`` says which
    precision was used (None = float64).
    """
    want = {q: _WHICH[q] for q in quantities}
    if dps == "auto":
        mats = kernel_matrices(X, tuple(want.values()))
        vals, need = {}, False
        n = next(iter(mats.values())).shape[0]
        for q, w in want.items():
            ev = np.linalg.eigvalsh(mats[w])
            err = n * np.finfo(float).eps * max(abs(float(ev[-1])), 1e-300)
            vals[q] = float(ev[0])
            need |= not (abs(vals[q]) > err / AUTO_REL_ERR)
        used = None
        if need:
            used = AUTO_DPS
            vals = {q: float(_spectral(w, X, AUTO_DPS, "auto", "arb")) for q, w in want.items()}
    else:
        used = None if dps is None else check_dps(dps)
        vals = {q: float(_spectral(w, X, used, "auto", "arb")) for q, w in want.items()}
    if "lambda_0" in vals and "mu_0" in vals:
        vals["alpha_star"] = alpha_star(vals["lambda_0"], vals["mu_0"])
    vals["dps"] = used
    return vals


@dataclass(frozen=True)
class Regime:
    """Which part of the kernel dominates at scale α (THEORY.md §4 and §8).

    Attributes
    ----------
    lambda_0, mu_0 : λ_min(V^∞), λ_min(G^∞).
    alpha_star : sqrt(η_v λ_0/(η_g μ_0)), the crossover where the two lower bounds match.
    by_alpha_star : "V-dominated" if α ≤ α*, else "G-dominated".
    by_paper : the paper's split at α = 1 ("V-dominated" if α < 1).
    lower_bound : η_v λ_0/α² + η_g μ_0 ≤ λ_min(Λ^∞).
    dps : the precision λ_0 and μ_0 were computed at (None = float64).
    """

    alpha: float
    lambda_0: float
    mu_0: float
    alpha_star: float
    by_alpha_star: str
    by_paper: str
    lower_bound: float
    dps: int | None = None

    @property
    def agree(self) -> bool:
        """Whether the split at α = 1 and the split at α* give the same regime."""
        return self.by_alpha_star == self.by_paper


def regime(X: DataLike, alpha: float, eta_v: float = 1.0, eta_g: float = 1.0,
           dps: int | None | str = "auto") -> Regime:
    """Classify α as V- or G-dominated by α* and by the paper's α = 1 (THEORY.md §8).

    λ_0 and μ_0 at the precision the data need (see :func:`spectral_constants`).
    """
    alpha = check_alpha(alpha)
    eta_v = check_positive(eta_v, "eta_v")
    eta_g = check_positive(eta_g, "eta_g")
    k = spectral_constants(X, dps, ("lambda_0", "mu_0"))
    lam, mu = k["lambda_0"], k["mu_0"]
    a_star = alpha_star(lam, mu, eta_v, eta_g)
    by_star = "V-dominated" if (eta_v * lam / alpha**2 >= eta_g * mu) else "G-dominated"
    by_paper = "V-dominated" if alpha < 1 else "G-dominated"
    return Regime(alpha, lam, mu, a_star, by_star, by_paper, eta_v * lam / alpha**2 + eta_g * mu, k["dps"])
