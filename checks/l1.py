"""L1: Positivity of λ_0 and μ_0.

Statement: Under A1, λ_0 = λ_min(V^∞) > 0 and μ_0 = λ_min(G^∞) > 0; a duplicated input makes both singular.

Kind of claim: lower bound (strict positivity, certified).

Reference: Dukler, Gu & Montúfar, ICML 2020; THEORY.md §5; the project's own statement is docs/theory.md, section L1.

Hypotheses: A1: x_i ≠ ±x_j for i ≠ j, ||x_i|| = 1, d ≥ 2.

Checks: ``certified_positive``, ``duplicate_singular``, ``monotone_merge``.

What "holds" means: the certified lower bound is > 0 with every hypothesis met; a certificate that is not obtained is inconclusive (never a failure of L1).

Parameters (``inst.params``, :class:`Params`): ``prec`` (Arb bits, 128), ``method``
(certificate route, "auto"), ``theta_start`` (first angle of the merge path, 0.05).

"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wnproofs.angles import pairwise_angles_pi
from wnproofs.certify import CERTIFIED, certify, null_vector_certificate
from wnproofs.data import Dataset
from wnproofs.kernels import diagonal, kernel_matrices, kernel_of_angle
from wnproofs.outcomes import CheckResult, Kind, Level, Status, compare
from wnproofs.plugin import Instance, check, read_params

from ._positivity import _with_row


@dataclass(frozen=True)
class Params:
    """Parameters of the L1 checks.

    prec : Arb precision in bits of the certificate's Arb route (default 128).
    method : certificate route, "auto", "cholesky" or "arb" (default "auto").
    theta_start : largest angle of the merge path of ``monotone_merge`` (default 0.05;
        capped at a tenth of the data's smallest other separation).
    """

    prec: int = 128
    method: str = "auto"
    theta_start: float = 0.05


@check("L1", level=Level.CERTIFIED)
def certified_positive(inst: Instance):
    """Certified λ_0 > a > 0 and μ_0 > b > 0 (:func:`wnproofs.certify.certify`: Arb balls with
    Gershgorin on Qᵀ(A − aI)Q for small n, shifted float Cholesky for large n).

    Data without A1: hypothesis not met.  A certificate not obtained: inconclusive (with
    the precision to try next), never holds."""
    p = read_params(Params, inst.params)
    ds = inst.data
    if not ds.satisfies_A1:
        sep, i, j = ds.min_separation()
        return compare("L1", Kind.LOWER, Level.CERTIFIED, 0.0, 0.0, hypothesis_met=False,
                       message=f"A1 violated: rows {i} and {j} are parallel or antiparallel "
                               f"(separation {sep:g}); positivity is not claimed")
    prec = p.prec
    certs = certify(ds, ("lambda_0", "mu_0"), prec=prec, method=p.method)
    statuses = {k: c.status for k, c in certs.items()}
    lows = {k: c.lower_bound for k, c in certs.items()}
    undecided = any(s != CERTIFIED for s in statuses.values())
    observed = min(lows.values()) if not undecided else 0.0
    details = {k: c.to_dict() for k, c in certs.items()}
    if undecided:
        nxt = [c.details.get("next_prec") for c in certs.values() if c.details.get("next_prec")]
        msg = ("not certified: " + "; ".join(f"{k} {c.status} ({c.message})" for k, c in certs.items()
                                            if not c.certified)
               + (f"; try prec={max(nxt)}" if nxt else ""))
    else:
        how = {c.method for c in certs.values()}
        msg = (f"certified ({' and '.join(sorted(how))}"
               + (f", {prec} bits" if "arb" in how else "")
               + f"): λ_0 > {lows['lambda_0']:.6e}, μ_0 > {lows['mu_0']:.6e} (data sha256 {ds.sha256()[:12]}…)")
    res = compare("L1", Kind.LOWER, Level.CERTIFIED, observed, 0.0, undecided=undecided,
                  message=msg, details=details, margin=None)  # a ratio to 0 means nothing
    if not undecided and not observed > 0:   # a = 0 would not prove positivity
        res = compare("L1", Kind.LOWER, Level.CERTIFIED, observed, 0.0, undecided=True,
                      message="certified bound is not > 0", details=details)
    return res


@check("L1", level=Level.CERTIFIED)
def duplicate_singular(inst: Instance):
    """A repeated point makes V^∞ and G^∞ exactly singular: e_0 − e_1 is a null vector.

    Proof: rows 0 and 1 bitwise equal ⇒ identical matrix rows (closed form at θ = 0 equals
    the diagonal, SymPy); float64 λ_min agrees to rounding."""
    read_params(Params, inst.params)
    ds = inst.data
    if ds.n < 2:   # nothing to duplicate: not applicable (A1 holds trivially at n = 1)
        return CheckResult("L1", Status.UNCHECKED, Kind.IDENTITY, Level.CERTIFIED,
                           message="not applicable: needs n ≥ 2 rows to duplicate one")
    dup = _with_row(ds, 1, ds.X[0], f"{ds.name}+dup")
    cert = null_vector_certificate(dup, 0, 1)
    mats = kernel_matrices(dup, ("V", "G"))
    V, G = mats["V"], mats["G"]
    z = np.zeros(ds.n)
    z[0], z[1] = 1.0, -1.0
    resid = float(max(np.max(np.abs(V @ z)), np.max(np.abs(G @ z))))   # exactly 0 in float64 too
    lmin = float(max(abs(np.linalg.eigvalsh(V)[0]), abs(np.linalg.eigvalsh(G)[0])))
    tol = 1e3 * ds.n * np.finfo(float).eps
    details = {"null_vector_certificate": cert, "float_residual": resid,
               "float_abs_lambda_min": lmin, "float_tol": tol}
    if not cert["certified"]:
        return compare("L1", Kind.IDENTITY, Level.CERTIFIED, float("nan"), 0.0,
                       message="could not certify the null vector", details=details)
    return compare("L1", Kind.IDENTITY, Level.CERTIFIED, max(resid, 0.0), max(tol, 0.0), margin=None,
                   message=f"exact: V^∞(e_0 − e_1) = G^∞(e_0 − e_1) = 0 (float64 residual {resid:.1e}, "
                           f"|λ_min| {lmin:.1e})", details=details)


@check("L1", level=Level.NUMERIC)
def monotone_merge(inst: Instance):
    """As x_1 merges with x_0 (θ → 0 along a great circle, starting at a tenth of the data's
    smallest other separation), λ_0(θ) and μ_0(θ) decrease monotonically to 0 (≈ c θ and
    c' θ²), below the Rayleigh bound A(0) − A(θ)."""
    p = read_params(Params, inst.params)
    ds = inst.data
    if ds.n < 2:   # no pair to merge: not applicable (A1 holds trivially at n = 1)
        return CheckResult("L1", Status.UNCHECKED, Kind.UPPER, Level.NUMERIC,
                           message="not applicable: needs n ≥ 2 rows to merge two")
    rng = inst.rng(7)
    x0 = ds.X[0]
    t = rng.standard_normal(ds.d)
    t -= (t @ x0) * x0
    t /= np.linalg.norm(t)
    # start where the merging pair is the closest pair by a factor 10, so that it (and not
    # another near pair of the data) sets λ_min along the whole path
    rest = Dataset(np.delete(ds.X, 1, axis=0), np.delete(ds.y, 1), name="rest")
    sep = rest.min_separation()[0] if rest.n >= 2 else np.pi / 2
    start = min(p.theta_start, 0.1 * sep)
    thetas = start * 10.0 ** (-0.5 * np.arange(9))
    lam, mu, ray_v, ray_g = [], [], [], []
    d = ds.d
    base = kernel_matrices(ds, ("V", "G"))          # only row and column 1 move along the path
    X = np.array(ds.X, copy=True)
    for th in thetas:
        x1 = np.cos(th) * x0 + np.sin(th) * t
        x1 /= np.linalg.norm(x1)
        X[1] = x1
        ang, sup = pairwise_angles_pi(x1[None, :], X)
        mats = {}
        for w in ("V", "G"):
            M = base[w].copy()
            row = kernel_of_angle(w, ang[0], d, sup[0])
            row[1] = float(diagonal(w, d))
            M[1, :] = row
            M[:, 1] = row
            mats[w] = M
        V, G = mats["V"], mats["G"]
        lam.append(float(np.linalg.eigvalsh(V)[0]))
        mu.append(float(np.linalg.eigvalsh(G)[0]))
        ray_v.append(float(diagonal("V", d)) - float(V[0, 1]))
        ray_g.append(float(diagonal("G", d)) - float(G[0, 1]))
    lam, mu = np.array(lam), np.array(mu)
    # non-increasing along θ ↓, up to float64 rounding of the eigenvalue (≈ n ε ||A||)
    tol = 1e2 * ds.n * np.finfo(float).eps
    inc_v = float(np.max(np.diff(lam)))
    inc_g = float(np.max(np.diff(mu)))
    worst_increase = max(inc_v, inc_g)
    below_ray = bool(np.all(lam <= np.array(ray_v) + tol) and np.all(mu <= np.array(ray_g) + tol))
    details = {"theta": thetas.tolist(), "lambda_0": lam.tolist(), "mu_0": mu.tolist(),
               "rayleigh_V": ray_v, "rayleigh_G": ray_g,
               "lambda_0_over_theta": (lam / thetas).tolist(),
               "mu_0_over_theta_sq": (mu / thetas**2).tolist()}
    if not below_ray:
        return compare("L1", Kind.UPPER, Level.NUMERIC, float("nan"), tol,
                       message="λ_min above the 2×2 Rayleigh bound", details=details)
    return compare("L1", Kind.UPPER, Level.NUMERIC, max(worst_increase, 0.0), tol, margin=None,
                   message=f"λ_0 {lam[0]:.2e} → {lam[-1]:.2e}, μ_0 {mu[0]:.2e} → {mu[-1]:.2e} as θ "
                           f"{thetas[0]:.0e} → {thetas[-1]:.0e}; largest increase {worst_increase:.1e}",
                   details=details)
