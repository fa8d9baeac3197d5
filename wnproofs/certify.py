"""Certified (interval-arithmetic) lower bounds on λ_0, μ_0 and λ_H (claims L1, D6-D8).

What is certified
-----------------
The certificate is about the **idealised normalised data** x̂_i = x_i/||x_i||, where x_i
is the exact rational value of each float64 row as given (so rows that are unit only to
1e-16 are normalised exactly, in balls).  This is the same object that
:func:`wnproofs.kernels.V_inf` computes at high precision, and the closed forms D6-D8 are
derived for unit vectors; θ_ij depends only on the directions.  The data are named by
:meth:`wnproofs.data.Dataset.sha256` (hash of the exact float64 bytes).

Method (Sylvester + Gershgorin)
-------------------------------
1. Closed forms in Arb balls (python-flint, ``prec`` bits): ĉ_ij = ⟨x̂_i, x̂_j⟩ from an
   ``arb_mat`` product of the exactly normalised rows; t = ||x̂_i − x̂_j||² = 2 − 2ĉ and
   p = ||x̂_i + x̂_j||² = 2 + 2ĉ clamped to their true range [0, 4] (``nonnegative_part``,
   re-applied before every square root);
   π − θ = π − 2 asin(√t/2) when ĉ ≥ 0 and 2 asin(√p/2) otherwise (no acos near θ = 0 or
   π: THEORY.md §8a); sin θ = √(t p)/2.  Then H^∞ = ĉ(π − θ)/(2π),
   G^∞ = (sin θ + (π − θ) ĉ)/(2π d), V^∞ = H^∞ − G^∞; exact diagonals 1/2, 1/(2d),
   (d − 1)/(2d) (rationals, never ``arb(float)`` of a decimal).
2. Q from float64 ``eigh`` (exact floats as balls), a a float just below the float64
   λ_min (relative gap ``rel_gap``), M = Qᵀ (A − aI) Q with ``arb_mat`` (rigorous).
3. Gershgorin: if every disc lies certainly in (0, ∞) then M ≻ 0, hence Q is invertible
   (Qz = 0 would give zᵀMz = 0) and A − aI = Q^{−T} M Q^{−1} ≻ 0 (Sylvester's law of
   inertia): λ_min(A) > a.  The Rayleigh quotient of the first column gives an upper
   enclosure of λ_min as well.

Outcome is three-valued: ``certified``; ``failed`` (some M_ii is certainly < 0, which
proves λ_min(A) < a); ``inconclusive`` (discs straddle 0), with ``next_prec`` (double
the precision when ball radii are the obstacle) and ``next_rel_gap`` (a lower a when
the float64 eigenvectors are the obstacle).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Iterable, Sequence

import numpy as np

from .data import Dataset
from .errors import InputError, check_positive_int

__all__ = [
    "Certificate",
    "closed_forms_arb",
    "certify_min_eig",
    "certify",
    "certify_lambda_0",
    "certify_mu_0",
    "certify_lambda_H",
    "null_vector_certificate",
    "DEFAULT_PREC",
    "DEFAULT_REL_GAP",
]

DEFAULT_PREC = 128
DEFAULT_REL_GAP = 1e-7

CERTIFIED, FAILED, INCONCLUSIVE = "certified", "failed", "inconclusive"

_CLAIM = {"lambda_0": "L1", "mu_0": "L1", "lambda_H": "C1"}
_MATRIX = {"lambda_0": "V", "mu_0": "G", "lambda_H": "H"}


@dataclass(frozen=True)
class Certificate:
    """A rigorous statement λ_min(A) > lower_bound for A = V^∞, G^∞ or H^∞ of a data set.

    Attributes
    ----------
    quantity : "lambda_0" (V^∞), "mu_0" (G^∞) or "lambda_H" (H^∞).
    status : "certified", "failed" or "inconclusive".
    lower_bound : the float a (exact; ``lower_bound_exact`` is its exact rational).
    upper_enclosure : an Arb ball containing the Rayleigh quotient of the float64
        eigenvector, an upper bound on λ_min ("" if not computed).
    float_lambda_min : float64 λ_min from ``numpy.linalg.eigh``.
    prec : Arb working precision in bits; ``next_prec`` / ``next_rel_gap`` the settings
        to try next when inconclusive (None otherwise).
    min_disc_lower : the smallest lower end of a Gershgorin disc (float, rounded down).
    max_entry_radius : largest ball radius among the matrix entries.
    data_sha256, n, d : the data the certificate is about.
    about : which data the certificate is about (idealised normalised rows).
    method, claim, elapsed_s, message.
    """

    quantity: str
    status: str
    lower_bound: float
    lower_bound_exact: str
    upper_enclosure: str
    float_lambda_min: float
    prec: int
    rel_gap: float
    next_prec: int | None
    next_rel_gap: float | None
    min_disc_lower: float
    max_entry_radius: float
    data_sha256: str
    n: int
    d: int
    about: str = ("idealised normalised data: x_i/||x_i|| with x_i the exact rational "
                  "value of each float64 row")
    method: str = "Arb closed forms; Q from float64 eigh; Q^T(A - aI)Q in arb_mat; Gershgorin; Sylvester"
    claim: str = "L1"
    elapsed_s: float = 0.0
    message: str = ""

    @property
    def certified(self) -> bool:
        return self.status == CERTIFIED

    def to_dict(self) -> dict:
        out = asdict(self)
        for k in ("min_disc_lower", "max_entry_radius", "float_lambda_min"):
            v = out[k]
            if v is not None and not np.isfinite(v):
                out[k] = str(v)
        return out


# -----------------------------------------------------------------------------
# closed forms in balls
# -----------------------------------------------------------------------------

def _as_dataset(data) -> Dataset:
    if isinstance(data, Dataset):
        return data
    X = np.asarray(data, dtype=float)
    if X.ndim != 2:
        raise InputError(f"data must be a Dataset or an (n, d) array, got shape {X.shape}")
    return Dataset(X, np.zeros(X.shape[0]), name="array")


class _Prec:
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


def _check_prec(prec) -> int:
    prec = check_positive_int(prec, "prec", 2)
    if prec > 1 << 16:
        raise InputError(f"prec must be at most 65536 bits, got {prec}")
    return prec


def closed_forms_arb(data, prec: int = DEFAULT_PREC, which: Sequence[str] = ("H", "G", "V")) -> dict:
    """Enclosures of H^∞, G^∞, V^∞ (D6-D8) as lists of lists of ``arb`` at ``prec`` bits.

    For the idealised normalised data (see the module docstring).  Symmetric by
    construction; exact rational diagonals.
    """
    from flint import arb, arb_mat, fmpq

    ds = _as_dataset(data)
    prec = _check_prec(prec)
    X = ds.X
    n, d = X.shape
    with _Prec(prec):
        pi = arb.pi()
        two_pi = 2 * pi
        two_pi_d = two_pi * d
        rows = []
        for i in range(n):
            xi = [arb(float(t)) for t in X[i]]          # exact: each float is a dyadic rational
            inv = 1 / sum((t * t for t in xi), arb(0)).sqrt()
            rows.append([t * inv for t in xi])
        Xh = arb_mat(rows)
        C = (Xh * Xh.transpose()).tolist()
        want = set(which)
        H = [[None] * n for _ in range(n)] if "H" in want else None
        G = [[None] * n for _ in range(n)] if ("G" in want or "V" in want) else None
        V = [[None] * n for _ in range(n)] if "V" in want else None
        half = arb(fmpq(1, 2))
        g_diag = arb(fmpq(1, 2 * d))
        v_diag = arb(fmpq(d - 1, 2 * d))
        for i in range(n):
            Ci = C[i]
            if H is not None:
                H[i][i] = half
            if G is not None:
                G[i][i] = g_diag
            if V is not None:
                V[i][i] = v_diag
            for j in range(i + 1, n):
                c = Ci[j]
                t = (2 - 2 * c).nonnegative_part()
                p = (2 + 2 * c).nonnegative_part()
                if c.mid() >= 0:
                    pmt = pi - 2 * (t.sqrt() / 2).asin()   # π − θ
                else:
                    pmt = 2 * (p.sqrt() / 2).asin()
                s = (t * p).nonnegative_part().sqrt() / 2   # sin θ (clamp again: t·p may straddle 0)
                cp = c * pmt
                h = cp / two_pi
                if H is not None:
                    H[i][j] = H[j][i] = h
                if G is not None:
                    g = (s + cp) / two_pi_d
                    G[i][j] = G[j][i] = g
                    if V is not None:
                        V[i][j] = V[j][i] = h - g
    return {k: v for k, v in (("H", H), ("G", G), ("V", V)) if v is not None and k in want}


def _float_matrix(ds: Dataset, which: str) -> np.ndarray:
    from . import kernels

    return {"V": kernels.V_inf, "G": kernels.G_inf, "H": kernels.H_inf}[which](ds)


# -----------------------------------------------------------------------------
# Sylvester + Gershgorin
# -----------------------------------------------------------------------------

def certify_min_eig(entries: list, A_float: np.ndarray, a: float, prec: int = DEFAULT_PREC,
                    Q: np.ndarray | None = None) -> dict:
    """Decide λ_min(A) > a for the symmetric matrix enclosed by ``entries`` (arb balls).

    Returns a dict: status (certified / failed / inconclusive), min_disc_lower,
    upper (Arb ball ≥ λ_min: Rayleigh quotient of Q's first column), max_entry_radius,
    midpoint_ok (whether the test passes with all radii dropped: tells whether more
    precision can help).
    """
    from flint import arb, arb_mat

    prec = _check_prec(prec)
    n = len(entries)
    a = float(a)
    if not np.isfinite(a):
        raise InputError(f"the bound a must be finite, got {a}")
    if Q is None:
        _, Q = np.linalg.eigh(A_float)
    with _Prec(prec):
        aa = arb(a)
        B = [row[:] for row in entries]
        max_rad = 0.0
        for i in range(n):
            B[i][i] = entries[i][i] - aa
        if n <= 300:
            idx = [(i, j) for i in range(n) for j in range(i, n)]
        else:   # a sample (the diagonal and 20 000 random entries) keeps this O(n)
            rs = np.random.default_rng(0)
            idx = [(i, i) for i in range(n)] + list(zip(rs.integers(0, n, 20_000).tolist(),
                                                        rs.integers(0, n, 20_000).tolist()))
        for i, j in idx:
            r = float(entries[i][j].rad())
            if r > max_rad:
                max_rad = r
        Ba = arb_mat(B)
        Qa = arb_mat(Q.tolist())
        M = (Qa.transpose() * (Ba * Qa)).tolist()
        zero = arb(0)
        discs = []
        for i in range(n):
            row = M[i]
            total = sum([e.abs_upper() for e in row], zero)   # ≥ Σ_j |M_ij| (rigorous)
            discs.append(row[i] - (total - row[i].abs_upper()))
        certified = all(disc > 0 for disc in discs)
        refuted = any(M[i][i] < 0 for i in range(n))
        min_lower = min(float(disc.lower()) for disc in discs)
        mid_ok = True
        if not certified:
            F = np.array([[float(e.mid()) for e in row] for row in M])
            off = np.sum(np.abs(F), axis=1) - np.abs(np.diag(F))
            mid_ok = bool(np.all(np.diag(F) - off > 0))
        q0 = [arb(float(t)) for t in Q[:, 0]]
        qq = sum((t * t for t in q0), arb(0))
        upper = aa + M[0][0] / qq
    status = CERTIFIED if certified else (FAILED if refuted else INCONCLUSIVE)
    return {"status": status, "min_disc_lower": min_lower, "upper": upper,
            "max_entry_radius": max_rad, "midpoint_ok": mid_ok}


def _exact_str(a: float) -> str:
    fr = Fraction(a)
    return f"{fr.numerator}/{fr.denominator}" if fr.denominator != 1 else str(fr.numerator)


def certify(data, quantities: Iterable[str] = ("lambda_0", "mu_0"), *, prec: int = DEFAULT_PREC,
            rel_gap: float = DEFAULT_REL_GAP) -> dict[str, Certificate]:
    """Certified lower bounds for several of λ_0, μ_0, λ_H, sharing the ball evaluation.

    Parameters
    ----------
    data : Dataset or (n, d) array of (near-)unit rows.
    quantities : subset of {"lambda_0", "mu_0", "lambda_H"}.
    prec : Arb precision in bits (≥ 2).  128 is plenty for angles ≥ 1e-15.
    rel_gap : a = float λ_min · (1 − rel_gap) (for λ_min > 0); must lie in (0, 1).

    Returns
    -------
    dict quantity → :class:`Certificate`.  When float64 λ_min is not above its rounding
    error (≈ 4 n ε ||A||_2) nothing positive can be certified: the status is "inconclusive" with a message (use
    :func:`null_vector_certificate` to prove singularity of data with a repeated row).
    """
    ds = _as_dataset(data)
    prec = _check_prec(prec)
    quantities = list(quantities)
    for q in quantities:
        if q not in _MATRIX:
            raise InputError(f"unknown quantity {q!r}; choose from {sorted(_MATRIX)}")
    try:
        rel_gap = float(rel_gap)
    except (TypeError, ValueError):
        raise InputError(f"rel_gap must be a number in (0, 1), got {rel_gap!r}") from None
    if not (0 < rel_gap < 1):
        raise InputError(f"rel_gap must lie in (0, 1), got {rel_gap!r}")
    t0 = time.perf_counter()
    mats = closed_forms_arb(ds, prec, [_MATRIX[q] for q in quantities])
    t_form = time.perf_counter() - t0
    out = {}
    for q in quantities:
        t1 = time.perf_counter()
        Af = _float_matrix(ds, _MATRIX[q])
        w, Q = np.linalg.eigh(Af)
        lam = float(w[0])
        common = dict(quantity=q, float_lambda_min=lam, prec=prec, rel_gap=rel_gap,
                      data_sha256=ds.sha256(), n=ds.n, d=ds.d, claim=_CLAIM[q])
        gap = max(rel_gap * lam, 4.0 * ds.n * np.finfo(float).eps * float(np.max(np.abs(w))))
        if not lam - gap > 0:
            out[q] = Certificate(status=INCONCLUSIVE, lower_bound=0.0, lower_bound_exact="0",
                                 upper_enclosure="", next_prec=None, next_rel_gap=None,
                                 min_disc_lower=float("nan"), max_entry_radius=float("nan"),
                                 elapsed_s=t_form + time.perf_counter() - t1,
                                 message=f"float64 λ_min = {lam:.3e} is within its rounding error "
                                         f"({gap:.1e}) of 0: no positive lower bound to certify (A1 "
                                         "violated?); see null_vector_certificate",
                                 **common)
            continue
        # a lies below the float64 λ_min by the relative gap, and at least by the float64
        # error of eigh (≈ n ε ||A||_2, computed above), which dominates for tiny eigenvalues
        a = float(np.nextafter(lam - gap, -np.inf))
        res = certify_min_eig(mats[_MATRIX[q]], Af, a, prec, Q=Q)
        nxt_p = nxt_g = None
        if res["status"] == INCONCLUSIVE:
            if res["midpoint_ok"]:
                nxt_p = 2 * prec
                msg = f"ball radii too wide at {prec} bits: try prec={nxt_p}"
            else:
                nxt_g = min(0.5, rel_gap * 100)
                nxt_p = 2 * prec
                msg = (f"float64 eigenvectors too inaccurate for the gap {rel_gap:g}: try "
                       f"rel_gap={nxt_g:g} (and prec={nxt_p})")
        elif res["status"] == CERTIFIED:
            msg = f"λ_min > {a!r} certified ({prec}-bit balls)"
        else:
            nxt_g = min(0.5, rel_gap * 100)
            msg = (f"refuted: λ_min < {a!r} (a Rayleigh quotient of Q is certainly below a): the "
                   f"float64 λ_min is too high; try rel_gap={nxt_g:g}")
        out[q] = Certificate(status=res["status"], lower_bound=a, lower_bound_exact=_exact_str(a),
                             upper_enclosure=res["upper"].str(radius=True),
                             next_prec=nxt_p, next_rel_gap=nxt_g,
                             min_disc_lower=res["min_disc_lower"],
                             max_entry_radius=res["max_entry_radius"],
                             elapsed_s=t_form / len(quantities) + time.perf_counter() - t1,
                             message=msg, **common)
    return out


def certify_lambda_0(data, *, prec: int = DEFAULT_PREC, rel_gap: float = DEFAULT_REL_GAP) -> Certificate:
    """Certified lower bound λ_0 = λ_min(V^∞) > a (claim L1)."""
    return certify(data, ("lambda_0",), prec=prec, rel_gap=rel_gap)["lambda_0"]


def certify_mu_0(data, *, prec: int = DEFAULT_PREC, rel_gap: float = DEFAULT_REL_GAP) -> Certificate:
    """Certified lower bound μ_0 = λ_min(G^∞) > b (claim L1)."""
    return certify(data, ("mu_0",), prec=prec, rel_gap=rel_gap)["mu_0"]


def certify_lambda_H(data, *, prec: int = DEFAULT_PREC, rel_gap: float = DEFAULT_REL_GAP) -> Certificate:
    """Certified lower bound λ_H = λ_min(H^∞) > c (claim C1)."""
    return certify(data, ("lambda_H",), prec=prec, rel_gap=rel_gap)["lambda_H"]


# -----------------------------------------------------------------------------
# exact singularity
# -----------------------------------------------------------------------------

def duplicate_pairs(data) -> list[tuple[int, int]]:
    """Pairs i < j whose rows are bitwise identical (exact duplicates)."""
    ds = _as_dataset(data)
    seen: dict[bytes, int] = {}
    pairs = []
    for i in range(ds.n):
        key = ds.X[i].tobytes()
        if key in seen:
            pairs.append((seen[key], i))
        else:
            seen[key] = i
    return pairs


def null_vector_certificate(data, i: int, j: int) -> dict:
    """Exact proof that e_i − e_j is a null vector of V^∞, G^∞ and H^∞ (L1, singular case).

    Requires rows i and j to be bitwise equal.  Then x̂_i = x̂_j exactly, so θ_ik = θ_jk
    for every k and θ_ij = θ_ii = 0; the closed forms at θ = 0 equal the diagonal values
    (H(0) = 1/2, G(0) = 1/(2d), V(0) = (d − 1)/(2d), checked exactly in SymPy here),
    so rows i and j of each matrix coincide and A(e_i − e_j) = 0: λ_min = 0 exactly
    (the matrices are PSD Gram matrices).
    """
    import sympy as sp

    ds = _as_dataset(data)
    n = ds.n
    for k, nm in ((i, "i"), (j, "j")):
        if not (0 <= int(k) < n):
            raise InputError(f"{nm} = {k} out of range for n = {n}")
    if i == j:
        raise InputError("i and j must differ")
    same = bool(np.array_equal(ds.X[i], ds.X[j]) and ds.X[i].tobytes() == ds.X[j].tobytes())
    th, d = sp.symbols("theta d", positive=True)
    Hs = sp.cos(th) * (sp.pi - th) / (2 * sp.pi)
    Gs = (sp.sin(th) + (sp.pi - th) * sp.cos(th)) / (2 * sp.pi * d)
    diag_ok = (sp.simplify(Hs.subs(th, 0) - sp.Rational(1, 2)) == 0
               and sp.simplify(Gs.subs(th, 0) - 1 / (2 * d)) == 0
               and sp.simplify((Hs - Gs).subs(th, 0) - (d - 1) / (2 * d)) == 0)
    return {"certified": bool(same and diag_ok), "rows_identical": same,
            "closed_form_at_0_equals_diagonal": bool(diag_ok), "null_vector": [int(i), int(j)],
            "data_sha256": ds.sha256(),
            "statement": f"A(e_{i} − e_{j}) = 0 for A ∈ {{V^∞, G^∞, H^∞}}: λ_min = 0 exactly"}
