"""High-precision spectral constants λ_0, μ_0, λ_H, λ_min(Λ^∞) (claims L1, D6-D8, C1).

Moved verbatim from the former ``wnproofs/bounds.py``; another branch moves these functions
to ``wnproofs.kernels.spectra`` (this module then becomes a re-export).  Do not edit here.
"""

from __future__ import annotations

import mpmath

from ..errors import InputError, check_dps
from ._common import DEFAULT_DPS

__all__ = ["lambda_min_mp", "lambda_0", "mu_0", "lambda_H", "lambda_inf_min"]


# =============================================================================
# High-precision spectral constants (claims L1, D6-D8)
# =============================================================================

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
    import numpy as np

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
    return (val, info) if return_info else val


def _data_matrix(which: str, data, dps: int, former: str = "arb"):
    """V^∞, G^∞ or H^∞ as an ``mpmath.matrix`` at ``dps`` digits.

    ``former="arb"``: the closed forms in Arb balls at ~3.33·dps + 40 bits
    (:func:`wnproofs.certify.closed_forms_arb`, C loops: ~50× faster than mpmath), each
    ball's midpoint taken exactly as an mpf (error ≤ the radius, ~10^(−dps−10));
    ``former="mpmath"``: :func:`wnproofs.kernels.V_inf` etc. at ``dps`` digits.  Both are
    about the idealised normalised data (each float64 row exact, then normalised).
    """
    from .. import kernels

    dps = check_dps(dps)
    if former == "mpmath":
        fn = {"V": kernels.V_inf, "G": kernels.G_inf, "H": kernels.H_inf}[which]
        return fn(data, dps)
    if former != "arb":
        raise InputError(f"former must be 'arb' or 'mpmath', got {former!r}")
    from ..certify import closed_forms_arb

    prec = int(dps * 3.33) + 40
    ent = closed_forms_arb(data, prec, (which,))[which]
    nn = len(ent)
    with mpmath.workdps(dps + 10):
        M = mpmath.matrix(nn, nn)
        for i in range(nn):
            for j in range(nn):
                man, exp = ent[i][j].mid().man_exp()
                M[i, j] = mpmath.mpf((int(man), int(exp)))
    return M


def lambda_0(data, dps: int = DEFAULT_DPS, *, method: str = "auto", former: str = "arb") -> mpmath.mpf:
    """λ_0 = λ_min(V^∞) at ``dps`` digits (THEORY.md §4; positive under A1 by L1).

    V^∞ is formed for the idealised unit-norm data (each float64 row taken exactly, then
    normalised) in Arb balls (``former="arb"``, fast) or by :func:`wnproofs.kernels.V_inf`
    (``former="mpmath"``); the smallest eigenvalue by :func:`lambda_min_mp` (float64 start
    + mixed-precision refinement).
    """
    return lambda_min_mp(_data_matrix("V", data, dps, former), dps, method=method)


def mu_0(data, dps: int = DEFAULT_DPS, *, method: str = "auto", former: str = "arb") -> mpmath.mpf:
    """μ_0 = λ_min(G^∞) at ``dps`` digits (THEORY.md §4, claim L1)."""
    return lambda_min_mp(_data_matrix("G", data, dps, former), dps, method=method)


def lambda_H(data, dps: int = DEFAULT_DPS, *, method: str = "auto", former: str = "arb") -> mpmath.mpf:
    """λ_H = λ_min(H^∞) at ``dps`` digits, Du et al.'s constant (claim C1; ≥ λ_0 + μ_0 by D8)."""
    return lambda_min_mp(_data_matrix("H", data, dps, former), dps, method=method)


def lambda_inf_min(data, alpha: float = 1.0, eta_v: float = 1.0, eta_g: float = 1.0,
                   dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """λ_min(Λ^∞) for Λ^∞ = (η_v/α²) V^∞ + η_g G^∞ at ``dps`` digits (THEORY.md §4)."""
    from .. import kernels

    return lambda_min_mp(kernels.Lambda_inf(data, alpha, eta_v, eta_g, dps=check_dps(dps)), dps)
