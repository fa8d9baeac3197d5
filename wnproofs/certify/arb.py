"""λ_min(A) > a in Arb ball arithmetic: Sylvester + Gershgorin (claims L1, C1).

1. The closed forms in Arb balls (:func:`wnproofs.kernels.closed_forms_arb`, ``prec`` bits).
2. Q from float64 ``eigh`` (exact floats as balls), a a float just below the float64
   λ_min (relative gap ``rel_gap``), M = Qᵀ (A − aI) Q in ``arb_mat`` (rigorous).
3. Gershgorin: if every disc lies certainly in (0, ∞) then M ≻ 0, hence Q is invertible
   and A − aI = Q^{−T} M Q^{−1} ≻ 0 (Sylvester's law of inertia): λ_min(A) > a.

When the float64 λ_min is below float64 resolution (≈ 4 n ε ||A||, e.g. μ_0 ≈ θ² for a
pair at angle θ = 1e-9), the shift comes from a higher-precision matrix instead: the
ball midpoints at ~prec/3.32 digits, the smallest eigenpair refined there
(:func:`wnproofs.kernels.lambda_min_mp`), its eigenvector put in Q's first column.  This
needs a single eigenvalue below resolution; several are reported as not certified.
Cost: O(n³) operations on ``prec``-bit balls (about 11 s at n = 1000, 128 bits).
"""

from __future__ import annotations

import mpmath
import numpy as np

from ..errors import InputError
from ..kernels.spectra import lambda_min_mp, mp_matrix_of_balls

__all__ = ["certify_min_eig", "arb_certificate", "ArbPrecision", "ARB_MAX_N"]

#: Largest n the automatic method sends to the Arb route.
ARB_MAX_N = 800


class ArbPrecision:
    """Set flint's global precision for a block and restore it afterwards."""

    def __init__(self, prec: int):
        self.prec = prec

    def __enter__(self):
        from flint import ctx

        self.old = ctx.prec
        ctx.prec = self.prec

    def __exit__(self, *exc):
        from flint import ctx

        ctx.prec = self.old


def _arb_of_mpf(x):
    from flint import arb, fmpz

    sign, man, exp, _ = (x if isinstance(x, mpmath.mpf) else mpmath.mpf(x))._mpf_
    v = arb(fmpz(int(man))) * arb(2) ** int(exp)    # arb(int) would go through a float
    return -v if sign else v


def certify_min_eig(entries: list, A_float: np.ndarray, a: float, prec: int = 128,
                    Q: np.ndarray | None = None, first_column=None) -> dict:
    """Decide λ_min(A) > a for the symmetric matrix enclosed by ``entries`` (arb balls).

    ``first_column`` (mpf values) replaces Q's first column (a refined eigenvector).
    Returns a dict: ``certified`` (bool), ``shift_too_high`` (some M_ii is certainly < 0:
    the shift a is above λ_min, not a statement about the claim), ``min_disc_lower``,
    ``upper`` (an Arb ball ≥ λ_min: the Rayleigh quotient of Q's first column),
    ``max_entry_radius``, ``midpoint_ok`` (whether the test passes with all radii
    dropped: tells whether more precision can help).
    """
    from flint import arb, arb_mat

    n = len(entries)
    a = float(a)
    if not np.isfinite(a):
        raise InputError(f"the bound a must be finite, got {a}")
    if Q is None:
        _, Q = np.linalg.eigh(A_float)
    with ArbPrecision(prec):
        aa = arb(a)
        B = [row[:] for row in entries]
        for i in range(n):
            B[i][i] = entries[i][i] - aa
        if n <= 300:
            idx = [(i, j) for i in range(n) for j in range(i, n)]
        else:   # a sample (the diagonal and 20 000 entries) keeps this O(n)
            rs = np.random.default_rng(0)
            idx = [(i, i) for i in range(n)] + list(zip(rs.integers(0, n, 20_000).tolist(),
                                                        rs.integers(0, n, 20_000).tolist()))
        max_rad = max(float(entries[i][j].rad()) for i, j in idx)
        rows = Q.tolist()
        if first_column is not None:
            for i in range(n):
                rows[i][0] = _arb_of_mpf(first_column[i])
        Qa = arb_mat(rows)
        M = (Qa.transpose() * (arb_mat(B) * Qa)).tolist()
        zero = arb(0)
        discs = []
        for i in range(n):
            row = M[i]
            total = sum([e.abs_upper() for e in row], zero)   # ≥ Σ_j |M_ij| (rigorous)
            discs.append(row[i] - (total - row[i].abs_upper()))
        certified = all(disc > 0 for disc in discs)
        too_high = any(M[i][i] < 0 for i in range(n))
        min_lower = min(float(disc.lower()) for disc in discs)
        mid_ok = True
        if not certified:
            F = np.array([[float(e.mid()) for e in row] for row in M])
            off = np.sum(np.abs(F), axis=1) - np.abs(np.diag(F))
            mid_ok = bool(np.all(np.diag(F) - off > 0))
        q0 = [Qa[i, 0] for i in range(n)]
        qq = sum((t * t for t in q0), arb(0))
        upper = aa + M[0][0] / qq
    return {"certified": certified, "shift_too_high": too_high, "min_disc_lower": min_lower,
            "upper": upper, "max_entry_radius": max_rad, "midpoint_ok": mid_ok}


def arb_certificate(balls: list, A_float: np.ndarray, *, prec: int, rel_gap: float) -> dict:
    """λ_min(A) > a for the balls ``balls``, the shift from float64 or, below float64
    resolution, from the refined high-precision eigenpair.  Returns a dict with
    ``certified``, ``lower``, ``float`` (the estimate), ``message`` and the numbers."""
    n = A_float.shape[0]
    w, Q = np.linalg.eigh(A_float)
    lam = float(w[0])
    resolution = 4.0 * n * np.finfo(float).eps * float(np.max(np.abs(w)))
    out = {"float": lam, "resolution": resolution, "prec": prec, "rel_gap": rel_gap,
           "shift_source": "float64", "next_prec": None}
    first = None
    if lam - max(rel_gap * lam, resolution) > 0:
        a = float(np.nextafter(lam - max(rel_gap * lam, resolution), -np.inf))
    else:
        dps = max(20, int(prec / 3.33) - 2)
        M = mp_matrix_of_balls(balls, dps + 10)
        try:
            lam_mp, info = lambda_min_mp(M, dps, method="refine", return_info=True)
        except ArithmeticError as exc:
            out.update(certified=False, lower=0.0,
                       message=f"λ_min ≈ {lam:.3e} is below float64 resolution ({resolution:.1e}) and its "
                               f"refinement at {dps} digits did not converge ({exc}); try prec={2 * prec}")
            out["next_prec"] = 2 * prec
            return out
        out.update(shift_source=f"{dps}-digit refined eigenpair", float=float(lam_mp))
        if not lam_mp > 0:
            out.update(certified=False, lower=0.0,
                       message=f"λ_min = {mpmath.nstr(lam_mp, 5)} at {dps} digits: not positive, nothing "
                               "to certify")
            return out
        with mpmath.workdps(dps):
            a = float(lam_mp * (1 - mpmath.mpf(rel_gap)))
        a = float(np.nextafter(a, -np.inf))
        first = info["vector"]
    res = certify_min_eig(balls, A_float, a, prec, Q=Q, first_column=first)
    out.update({k: res[k] for k in ("min_disc_lower", "max_entry_radius", "midpoint_ok", "shift_too_high")})
    out["upper_enclosure"] = res["upper"].str(radius=True)
    if res["certified"]:
        out.update(certified=True, lower=a, message=f"λ_min > {a!r} certified ({prec}-bit balls, shift from "
                                                     f"{out['shift_source']})")
    elif res["shift_too_high"] or not res["midpoint_ok"]:
        out.update(certified=False, lower=0.0, next_rel_gap=min(0.5, rel_gap * 100), next_prec=2 * prec,
                   message=f"the shift a = {a!r} was too close to λ_min for the eigenvectors: try "
                           f"rel_gap={min(0.5, rel_gap * 100):g} (and prec={2 * prec})")
    else:
        out.update(certified=False, lower=0.0, next_prec=2 * prec,
                   message=f"ball radii too wide at {prec} bits: try prec={2 * prec}")
    return out
