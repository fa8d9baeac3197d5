"""λ_min(A) > τ from one floating-point Cholesky factorization (claims L1, C1).

Theorem (Rump 2006, Cor. 2.4, with the constants of Rump & Jeannerod 2014; proved in Coq in
ValidSDP, ``libvalidsdp/cholesky.v``, ``corollary_2_4_with_c_upper_bound``): let B be a
symmetric N×N float matrix with B_ii ≥ 0, and

    c ≥ γ/(1 − γ) · tr(B) + 4η N (2(N + 1) + max_i B_ii),   γ = (N + 1)u/(1 − (N + 1)u),

u = 2⁻⁵³, η = 2⁻¹⁰⁷⁴.  If the floating-point Cholesky factorization of the float matrix
B_t (B_t,ij = B_ij off the diagonal, B_t,ii ≤ B_ii − c) runs to completion with positive
pivots, B is positive definite.  (ValidSDP proves it for left-to-right dot products with
(N + 1)u/(1 − (N + 1)u); Rump's γ-based analysis covers any order of summation, as in
LAPACK's blocked ``dpotrf``; the constant used here is the larger of the two.)

Use: A_f is the float matrix of :func:`wnproofs.kernels.kernel_matrices_eb`, whose entries
are within R_ij of the true A, with r_E ≥ max_i Σ_j R_ij ≥ ||A − A_f||_2.  For a float
shift s, B = A_f with diagonal rounded down from A_f,ii − s satisfies A_f − sI ⪰ B; if
B ≻ 0 then λ_min(A_f) > s and λ_min(A) > s − r_E (Weyl).  s comes from a float estimate
of λ_min (shift-invert Lanczos on a first factorization), lowered by c and a margin.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.linalg import lapack

from ..ebfloat import ETA, U

__all__ = ["rounding_shift", "smallest_eigenvalue", "cholesky_succeeds", "certify_shift"]


def _down(x: float) -> float:
    return float(np.nextafter(x, -np.inf))


def _up(x: float) -> float:
    return float(np.nextafter(x, np.inf))


def rounding_shift(trace_upper: float, maxdiag: float, N: int) -> float:
    """The constant c of the theorem (rounded up), for trace ≤ ``trace_upper``."""
    if 3 * (N + 2) * U >= 1:
        raise ArithmeticError(f"matrix too large for the Cholesky criterion (N = {N})")
    g = (N + 1) * U / (1 - (N + 1) * U)
    c = g / (1 - g) * trace_upper * (1 + 8 * U) + 4 * ETA * N * (2 * (N + 1) + maxdiag)
    return _up(c * (1 + 4 * U))


def cholesky_succeeds(Bt: np.ndarray) -> bool:
    """Whether LAPACK's ``dpotrf`` factors ``Bt`` (overwritten) with finite positive pivots."""
    F, info = lapack.dpotrf(Bt, lower=0, clean=0, overwrite_a=1)
    if info != 0:
        return False
    dg = np.diag(F)
    return bool(np.all(np.isfinite(dg)) and np.all(dg > 0))


def smallest_eigenvalue(A: np.ndarray, *, tol: float = 1e-11) -> float | None:
    """A float estimate (from above) of λ_min(A), or None when A is not numerically PD.

    Shift-invert Lanczos (ARPACK) on A⁻¹ through one Cholesky factorization; the start
    vector is fixed (reproducible).  Returns min(1/θ_max, Rayleigh quotient of A).
    """
    from scipy.sparse.linalg import LinearOperator, eigsh

    n = A.shape[0]
    if n <= 64:
        w = np.linalg.eigvalsh(A)
        return float(w[0]) if w[0] > 0 else None
    F, info = lapack.dpotrf(A, lower=0, clean=0, overwrite_a=0)
    if info != 0 or not np.all(np.diag(F) > 0):
        return None
    op = LinearOperator((n, n), matvec=lambda x: lapack.dpotrs(F, x, lower=0)[0], dtype=np.float64)
    v0 = np.random.default_rng(20240613).standard_normal(n)
    theta, vec = eigsh(op, k=1, which="LA", v0=v0, tol=tol, ncv=min(n - 1, 40), maxiter=20 * n)
    del F
    x = vec[:, 0]
    ray = float(x @ (A @ x)) / float(x @ x)
    return min(1.0 / float(theta[0]), ray)


def certify_shift(A: np.ndarray, r_E: float, lam_est: float, *, rel_margin: float = 1e-9,
                  tries: int = 5) -> dict:
    """Prove λ_min(A_true) > lower for ||A_true − A||_2 ≤ r_E, near the estimate ``lam_est``.

    Returns a dict: ``certified`` (bool), ``lower`` (float, rounded down), ``shift`` s,
    ``c`` (rounding shift), ``r_E``, ``margin``, ``tries``; ``reason`` when not certified.
    """
    n = A.shape[0]
    dg = np.diag(A).copy()
    tr = math.fsum(float(t) for t in dg)
    maxdiag = float(np.max(dg))
    c = rounding_shift(_up(tr * (1 + 2 * U)), maxdiag, n)
    margin = max(rel_margin * lam_est, 0.02 * c)
    out = {"certified": False, "lower": 0.0, "c": c, "r_E": r_E, "lam_est": lam_est}
    for k in range(tries):
        s = _down(lam_est - c - margin)
        lower = _down(s - r_E)
        out.update(shift=s, margin=margin, tries=k + 1)
        if not lower > 0:
            out["reason"] = (f"the estimate λ ≈ {lam_est:.3e} is within the resolution of the "
                             f"float64 route (rounding shift c = {c:.2e}, matrix error r_E = {r_E:.2e})")
            return out
        trace_B = tr - n * s if s >= 0 else tr + n * abs(s)
        cB = rounding_shift(_up(trace_B * (1 + 4 * U) + n * U * abs(s)), maxdiag, n)
        Bt = A.copy(order="F")
        b = np.nextafter(dg - s, -np.inf)                   # B_ii ≤ A_ii − s
        np.fill_diagonal(Bt, np.nextafter(b - cB, -np.inf))  # B_t,ii ≤ B_ii − c
        if np.all(b >= 0) and cholesky_succeeds(Bt):
            out.update(certified=True, lower=lower, c=cB)
            return out
        del Bt
        margin *= 100
    out["reason"] = f"Cholesky of A − (s + c)I failed {tries} times (the estimate λ ≈ {lam_est:.3e} may be high)"
    return out
