"""Certified lower bounds of λ_0, μ_0 and λ_H for a data set (claims L1, C1).

:func:`certify` chooses a route per matrix (``method``):

* ``"cholesky"`` - the float matrix with rigorous entrywise error bounds
  (:func:`wnproofs.kernels.kernel_matrices_eb`), a float estimate of λ_min, and one
  shifted Cholesky factorization with Rump's rounding shift
  (:mod:`wnproofs.certify.cholesky`): O(n³/3) float operations;
* ``"arb"`` - Arb balls, Sylvester + Gershgorin (:mod:`wnproofs.certify.arb`): O(n³) ball
  operations; its shift comes from a higher-precision matrix when float64 cannot resolve
  λ_min;
* ``"auto"`` - Arb for n ≤ ``ARB_AUTO_N``; otherwise Cholesky, then Arb (for n ≤
  ``ARB_MAX_N``) where λ_min is below or near the Cholesky route's resolution (bound more
  than ``AUTO_REL_GAP`` below the estimate), keeping the better certificate.

The certificate is about the idealised unit rows (``about="unit"``, the default) or the
float rows as exact rationals (``about="exact"``); see :data:`wnproofs.certify.result.ABOUT`.
A1 failing (a repeated or antipodal row) gives "hypothesis not met", never a failure of
the method; A1 holding is never blamed for an undecided certificate.
"""

from __future__ import annotations

import math
import time
from typing import Iterable

import numpy as np

from ..data import Dataset
from ..ebfloat import U
from ..errors import InputError, check_positive_int
from ..kernels.closed_forms import _as_dataset, _check_prec, closed_forms_arb, kernel_matrices_eb
from .arb import ARB_MAX_N, arb_certificate
from .cholesky import certify_shift, smallest_eigenvalue
from .result import (CERTIFIED, CLAIM, HYPOTHESIS_NOT_MET, MATRIX, NOT_CERTIFIED, Certificate)
from .singular import duplicate_pairs

__all__ = ["certify", "certify_lambda_0", "certify_mu_0", "certify_lambda_H", "METHODS",
           "DEFAULT_PREC", "DEFAULT_REL_GAP", "ARB_AUTO_N"]

DEFAULT_PREC = 128
DEFAULT_REL_GAP = 1e-7
METHODS = ("auto", "cholesky", "arb")
#: Up to this n the automatic method uses Arb directly.
ARB_AUTO_N = 64
#: The automatic method also tries Arb (n ≤ ARB_MAX_N) when the Cholesky bound is further
#: than this (relative) below the estimate.
AUTO_REL_GAP = 1e-6


def _check_rel_gap(rel_gap) -> float:
    try:
        rel_gap = float(rel_gap)
    except (TypeError, ValueError):
        raise InputError(f"rel_gap must be a number in (0, 1), got {rel_gap!r}") from None
    if not (0 < rel_gap < 1):
        raise InputError(f"rel_gap must lie in (0, 1), got {rel_gap!r}")
    return rel_gap


def _min_sq_norm_lower(X: np.ndarray) -> float:
    """A rigorous lower bound of min_i ||x_i||² (float sum of squares, rounded down)."""
    d = X.shape[1]
    sq = np.min(np.sum(X * X, axis=1))
    return float(np.nextafter(sq * (1 - (d + 2) * U * 1.01), -np.inf))


def _a1_failure(ds: Dataset) -> str:
    """A message when A1 fails (repeated or antipodal rows), else ''."""
    dup = duplicate_pairs(ds)
    if dup:
        i, j = dup[0]
        return (f"A1 fails: rows {i} and {j} are identical, so λ_min = 0 exactly "
                f"(null_vector_certificate({i}, {j}) proves it)")
    if ds.n > 1 and not ds.satisfies_A1:
        sep, i, j = ds.min_separation()
        return f"A1 fails: rows {i} and {j} are parallel or antiparallel (separation {sep:g})"
    return ""


def certify(data, quantities: Iterable[str] = ("lambda_0", "mu_0"), *, method: str = "auto",
            about: str = "unit", prec: int = DEFAULT_PREC, rel_gap: float = DEFAULT_REL_GAP,
            progress=None) -> dict[str, Certificate]:
    """Certified lower bounds for several of λ_0, μ_0, λ_H.

    Parameters
    ----------
    data : Dataset or (n, d) array of (near-)unit rows.
    quantities : subset of {"lambda_0", "mu_0", "lambda_H"}.
    method : "auto", "cholesky" or "arb" (see the module docstring).
    about : "unit" (idealised unit rows) or "exact" (the float rows, not normalised).
    prec : Arb precision in bits for the Arb route (≥ 2).
    rel_gap : the Arb route's shift a = λ_min·(1 − rel_gap); in (0, 1).
    progress : optional callable(str) told what is being done (for long runs).

    Returns
    -------
    dict quantity → :class:`~wnproofs.certify.result.Certificate`.
    """
    ds = _as_dataset(data)
    prec = _check_prec(prec)
    rel_gap = _check_rel_gap(rel_gap)
    quantities = list(quantities)
    for q in quantities:
        if q not in MATRIX:
            raise InputError(f"unknown quantity {q!r}; choose from {sorted(MATRIX)}")
    if method not in METHODS:
        raise InputError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    if about not in ("unit", "exact"):
        raise InputError(f"about must be 'unit' or 'exact', got {about!r}")
    say = progress or (lambda msg: None)
    common = dict(data_sha256=ds.sha256(), n=ds.n, d=ds.d, about=about)
    route = method if method != "auto" else ("arb" if ds.n <= ARB_AUTO_N else "cholesky")
    out: dict[str, Certificate] = {}
    kinds = [MATRIX[q] for q in quantities]
    if route == "cholesky":
        t0 = time.perf_counter()
        say(f"forming {', '.join(kinds)} with rigorous entry bounds (n = {ds.n})")
        mats, sums = kernel_matrices_eb(ds.X, kinds)
        t_form = (time.perf_counter() - t0) / len(kinds)
        for q in quantities:
            w = MATRIX[q]
            t1 = time.perf_counter()
            A = mats.pop(w)
            r_E = float(np.max(sums.pop(w)))
            say(f"{q}: estimating λ_min (shift-invert Lanczos)")
            lam = smallest_eigenvalue(A)
            if lam is None:
                res = {"certified": False, "reason": "the float matrix is not numerically positive "
                       "definite (λ_min below float64 resolution)", "lam_est": float("nan"), "r_E": r_E}
            else:
                say(f"{q}: shifted Cholesky at λ ≈ {lam:.6e}")
                res = certify_shift(A, r_E, lam)
            del A
            details = {k: res[k] for k in ("c", "r_E", "shift", "margin", "tries") if k in res}
            elapsed = t_form + time.perf_counter() - t1
            if res["certified"]:
                out[q] = Certificate(q, CERTIFIED, res["lower"], res["lam_est"], "cholesky", claim=CLAIM[q],
                                     elapsed_s=elapsed, details=details,
                                     message=f"λ_min > {res['lower']!r}: shifted float64 Cholesky "
                                             f"(rounding shift {res['c']:.2e}, entry error {r_E:.2e})",
                                     **common)
            else:
                out[q] = Certificate(q, NOT_CERTIFIED, 0.0, res.get("lam_est", float("nan")), "cholesky",
                                     claim=CLAIM[q], elapsed_s=elapsed, details=details,
                                     message=res.get("reason", ""), **common)
        if method == "auto" and ds.n <= ARB_MAX_N:
            # below (or near) the Cholesky route's resolution: the Arb route, whose shift can
            # come from a higher-precision matrix; the better certificate is kept
            retry = [q for q, c in out.items()
                     if not c.certified or c.lower_bound < c.float_lambda_min * (1 - AUTO_REL_GAP)]
            if retry:
                say(f"near the Cholesky route's resolution: Arb for {', '.join(retry)}")
                arb_out = _arb_route(ds, retry, prec, rel_gap, common)
                for q in retry:
                    c = arb_out[q]
                    if c.certified and (not out[q].certified or c.lower_bound > out[q].lower_bound):
                        out[q] = c
                    elif not out[q].certified:
                        out[q] = Certificate(**{**c.__dict__, "message": c.message + "; " + out[q].message})
    else:
        out = _arb_route(ds, quantities, prec, rel_gap, common)
    return {q: _finish(out[q], ds, about) for q in quantities}


def _arb_route(ds: Dataset, quantities, prec, rel_gap, common) -> dict[str, Certificate]:
    t0 = time.perf_counter()
    balls = closed_forms_arb(ds, prec, [MATRIX[q] for q in quantities])
    from ..kernels.closed_forms import kernel_matrices

    floats = kernel_matrices(ds.X, [MATRIX[q] for q in quantities])
    t_form = (time.perf_counter() - t0) / len(quantities)
    out = {}
    for q in quantities:
        t1 = time.perf_counter()
        res = arb_certificate(balls[MATRIX[q]], floats[MATRIX[q]], prec=prec, rel_gap=rel_gap)
        details = {k: res[k] for k in ("min_disc_lower", "max_entry_radius", "upper_enclosure", "rel_gap",
                                       "resolution", "shift_source", "next_prec", "next_rel_gap") if k in res}
        out[q] = Certificate(q, CERTIFIED if res["certified"] else NOT_CERTIFIED, res["lower"], res["float"],
                             "arb", prec=prec, claim=CLAIM[q], elapsed_s=t_form + time.perf_counter() - t1,
                             message=res["message"], details=details, **common)
    return out


def _finish(c: Certificate, ds: Dataset, about: str) -> Certificate:
    """Convert to ``about="exact"``; turn an undecided certificate on data without A1 into
    "hypothesis not met" (and only then mention A1)."""
    kw = dict(c.__dict__)
    if c.certified and about == "exact":
        lo = float(np.nextafter(c.lower_bound * _min_sq_norm_lower(ds.X), -np.inf))
        kw.update(lower_bound=lo, message=c.message + f"; × min ||x_i||² for the rows as given")
    if not c.certified:
        why = _a1_failure(ds)
        if why:
            kw.update(status=HYPOTHESIS_NOT_MET, lower_bound=0.0, message=why)
    return Certificate(**kw)


def certify_lambda_0(data, **kw) -> Certificate:
    """Certified lower bound λ_0 = λ_min(V^∞) > a (claim L1)."""
    return certify(data, ("lambda_0",), **kw)["lambda_0"]


def certify_mu_0(data, **kw) -> Certificate:
    """Certified lower bound μ_0 = λ_min(G^∞) > b (claim L1)."""
    return certify(data, ("mu_0",), **kw)["mu_0"]


def certify_lambda_H(data, **kw) -> Certificate:
    """Certified lower bound λ_H = λ_min(H^∞) > c (claim C1)."""
    return certify(data, ("lambda_H",), **kw)["lambda_H"]
