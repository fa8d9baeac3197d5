"""Checks of L1: λ_0 = λ_min(V^∞) > 0 and μ_0 = λ_min(G^∞) > 0 under A1; singular otherwise.

Three routes (THEORY.md §5):

* **certified positivity** - rigorous lower bounds λ_0 > a > 0 and μ_0 > b > 0 from
  :mod:`wnproofs.certify` (Arb balls, Sylvester + Gershgorin) on data satisfying A1;
* **exact singularity** - a copy of the data with x_1 := x_0 (a repeated point): e_0 − e_1
  is an exact null vector of V^∞ and G^∞ (identical rows; closed forms at θ = 0 equal the
  diagonal, checked in SymPy), and float64 agrees (λ_min ≈ 0);
* **monotone degradation** - x_1 is moved onto x_0 along a great circle, θ → 0: λ_0(θ) and
  μ_0(θ) are non-increasing, vanish like θ and θ² respectively, and stay below the
  2×2 Rayleigh bound A(0) − A(θ) (test vector (e_0 − e_1)/√2).
"""

from __future__ import annotations

import numpy as np

from wnproofs.certify import CERTIFIED, FAILED, INCONCLUSIVE, certify, null_vector_certificate
from wnproofs.data import Dataset
from wnproofs.kernels import G_inf, V_inf
from wnproofs.plugin import Instance, check
from wnproofs.outcomes import CheckResult, Kind, Level, Status, compare


@check("L1", level=Level.CERTIFIED)
def l1_certified_positive(inst: Instance):
    """Certified λ_0 > a > 0 and μ_0 > b > 0 (Arb balls, Gershgorin on Qᵀ(A − aI)Q).

    Data without A1: hypothesis not met.  A ball that straddles: inconclusive (with the
    precision to try next), never holds."""
    ds = inst.data
    if not ds.satisfies_A1:
        sep, i, j = ds.min_separation()
        return compare("L1", Kind.LOWER, Level.CERTIFIED, 0.0, 0.0, hypothesis_met=False,
                       message=f"A1 violated: rows {i} and {j} are parallel or antiparallel "
                               f"(separation {sep:g}); positivity is not claimed")
    prec = int(inst.get("prec", 128))
    certs = certify(ds, ("lambda_0", "mu_0"), prec=prec)
    statuses = {k: c.status for k, c in certs.items()}
    lows = {k: c.lower_bound for k, c in certs.items()}
    undecided = any(s != CERTIFIED for s in statuses.values())
    observed = min(lows.values()) if not undecided else 0.0
    details = {k: c.to_dict() for k, c in certs.items()}
    if undecided:
        nxt = [c.next_prec for c in certs.values() if c.next_prec]
        msg = ("not certified: " + ", ".join(f"{k} {s}" for k, s in statuses.items())
               + (f"; try prec={max(nxt)}" if nxt else "")
               + ("; (a 'failed' here means the float64 eigenvalue was wrong, not L1)"
                  if FAILED in statuses.values() else ""))
    else:
        msg = (f"certified at {prec} bits: λ_0 > {lows['lambda_0']:.6e}, μ_0 > {lows['mu_0']:.6e} "
               f"(data sha256 {ds.sha256()[:12]}…)")
    res = compare("L1", Kind.LOWER, Level.CERTIFIED, observed, 0.0, undecided=undecided,
                  message=msg, details=details, margin=None)  # a ratio to 0 means nothing
    if not undecided and not observed > 0:   # a = 0 would not prove positivity
        res = compare("L1", Kind.LOWER, Level.CERTIFIED, observed, 0.0, undecided=True,
                      message="certified bound is not > 0", details=details)
    return res


def _with_row(ds: Dataset, k: int, x: np.ndarray, name: str) -> Dataset:
    X = np.array(ds.X, dtype=float, copy=True)
    X[k] = x
    return Dataset(X, ds.y, name=name)


@check("L1", level=Level.CERTIFIED)
def l1_duplicate_singular(inst: Instance):
    """A repeated point makes V^∞ and G^∞ exactly singular: e_0 − e_1 is a null vector.

    Proof: rows 0 and 1 bitwise equal ⇒ identical matrix rows (closed form at θ = 0 equals
    the diagonal, SymPy); float64 λ_min agrees to rounding."""
    ds = inst.data
    if ds.n < 2:   # nothing to duplicate: not applicable (A1 holds trivially at n = 1)
        return CheckResult("L1", Status.UNCHECKED, Kind.IDENTITY, Level.CERTIFIED,
                           message="not applicable: needs n ≥ 2 rows to duplicate one")
    dup = _with_row(ds, 1, ds.X[0], f"{ds.name}+dup")
    cert = null_vector_certificate(dup, 0, 1)
    V, G = V_inf(dup), G_inf(dup)
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
def l1_monotone_merge(inst: Instance):
    """As x_1 merges with x_0 (θ → 0 along a great circle, starting at a tenth of the data's
    smallest other separation), λ_0(θ) and μ_0(θ) decrease monotonically to 0 (≈ c θ and
    c' θ²), below the Rayleigh bound A(0) − A(θ)."""
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
    start = min(float(inst.get("theta_start", 0.05)), 0.1 * sep)
    thetas = start * 10.0 ** (-0.5 * np.arange(9))
    lam, mu, ray_v, ray_g = [], [], [], []
    d = ds.d
    for th in thetas:
        x1 = np.cos(th) * x0 + np.sin(th) * t
        x1 /= np.linalg.norm(x1)
        dd = _with_row(ds, 1, x1, "merge")
        V, G = V_inf(dd), G_inf(dd)
        lam.append(float(np.linalg.eigvalsh(V)[0]))
        mu.append(float(np.linalg.eigvalsh(G)[0]))
        ray_v.append(float((d - 1) / (2 * d) - V[0, 1]))
        ray_g.append(float(1 / (2 * d) - G[0, 1]))
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
