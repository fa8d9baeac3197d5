"""Bound constants of THEORY.md §4-§8 in mpmath (default 50 digits).

Every function takes plain numbers (or mpf) and returns an ``mpmath.mpf`` at the working
precision ``dps``; use ``float(...)`` for float64.  Each docstring names its claim id.

* spectral constants λ_0, μ_0, λ_H (L1, C1) at ``dps`` digits: Arb-built closed forms,
  float64 ``eigh`` + mixed-precision Newton refinement (:func:`lambda_min_mp`);
* L2, L3, L4 constants; L6 radii (:func:`l6_radii`);
* explicit widths :func:`m_V` (T1 GD / T3 GF), :func:`m_G` (T2 / T4), the GD step bound
  :func:`step_bound`, and Du et al.'s :func:`m_du`, :func:`step_du` (C1, constants set
  to 1); derivation in ``derivations/convergence.py``.  A1 violated (λ ≤ 0) → +inf widths;
* :func:`bound_table`: everything for one data set, each row with its claim id.
"""

from __future__ import annotations

import mpmath
import numpy as np

from .errors import InputError, check_alpha, check_delta, check_dps, check_positive_int

__all__ = [
    "DEFAULT_DPS",
    "l2_radius_V",
    "l2_radius_G",
    "l2_width_V",
    "l2_width_G",
    "l3_expected_residual_sq",
    "l3_markov_residual_sq",
    "l3_subgaussian_B",
    "l4_gaussian_prob_bound",
    "l4_sphere_prob_exact",
    "l4_sphere_prob_bound",
    "lambda_min_mp",
    "lambda_0",
    "mu_0",
    "lambda_H",
    "lambda_inf_min",
    "l6_radii",
    "chi_inv_mean",
    "chi_inv_sq_above",
    "chi_inv_sq_below",
    "chi_cdf",
    "width_conditions",
    "m_V",
    "m_G",
    "step_bound",
    "m_du",
    "step_du",
    "bound_table",
    "bound_summary",
    "summary_rows",
    "widths_vs_n",
    "plot_widths",
]

DEFAULT_DPS = 50


def _mp(x, name: str):
    try:
        v = mpmath.mpf(x)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a real number, got {x!r}") from None
    if not mpmath.isfinite(v):
        raise InputError(f"{name} must be finite, got {x!r}")
    return v


def _nonneg(x, name: str):
    """``x`` as an mpf, checked finite and >= 0 (a radius or a probability threshold)."""
    v = _mp(x, name)
    if v < 0:
        raise InputError(f"{name} must be >= 0, got {v}")
    return v


def l2_radius_V(n: int, m: int, delta: float, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L2: n·sqrt(2 log(2n²/δ)/m), a bound on ||V(0) − V^∞||_F w.p. ≥ 1 − δ (summands in [−1, 1])."""
    n, m, delta = check_positive_int(n, "n"), check_positive_int(m, "m"), check_delta(delta)
    with mpmath.workdps(check_dps(dps)):
        return n * mpmath.sqrt(2 * mpmath.log(2 * mpmath.mpf(n) ** 2 / mpmath.mpf(delta)) / m)


def l2_radius_G(n: int, m: int, delta: float, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L2: n·sqrt(log(2n²/δ)/(2m)), a bound on ||G(0) − G^∞||_F w.p. ≥ 1 − δ (summands in [0, 1])."""
    n, m, delta = check_positive_int(n, "n"), check_positive_int(m, "m"), check_delta(delta)
    with mpmath.workdps(check_dps(dps)):
        return n * mpmath.sqrt(mpmath.log(2 * mpmath.mpf(n) ** 2 / mpmath.mpf(delta)) / (2 * m))


def l2_width_V(n: int, delta: float, lambda_0, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L2 corollary: m ≥ 32 n² log(2n²/δ)/λ_0² makes l2_radius_V ≤ λ_0/4 (so λ_min(V(0)) ≥ 3λ_0/4).

    Returns +inf when λ_0 ≤ 0 (A1 fails: no width suffices).
    """
    n, delta = check_positive_int(n, "n"), check_delta(delta)
    with mpmath.workdps(check_dps(dps)):
        lam = _mp(lambda_0, "lambda_0")
        if lam <= 0:
            return mpmath.inf
        return 32 * mpmath.mpf(n) ** 2 * mpmath.log(2 * mpmath.mpf(n) ** 2 / mpmath.mpf(delta)) / lam**2


def l2_width_G(n: int, delta: float, mu_0, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L2 corollary: m ≥ 8 n² log(2n²/δ)/μ_0² makes l2_radius_G ≤ μ_0/4. +inf when μ_0 ≤ 0."""
    n, delta = check_positive_int(n, "n"), check_delta(delta)
    with mpmath.workdps(check_dps(dps)):
        mu = _mp(mu_0, "mu_0")
        if mu <= 0:
            return mpmath.inf
        return 8 * mpmath.mpf(n) ** 2 * mpmath.log(2 * mpmath.mpf(n) ** 2 / mpmath.mpf(delta)) / mu**2


def l3_expected_residual_sq(n: int, y_norm_sq, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L3: E||f(0) − y||² = n/2 + ||y||²."""
    n = check_positive_int(n, "n")
    with mpmath.workdps(check_dps(dps)):
        return mpmath.mpf(n) / 2 + _mp(y_norm_sq, "||y||^2")


def l3_markov_residual_sq(n: int, y_norm_sq, delta: float, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L3 (Markov, Du et al.): ||f(0) − y||² ≤ (n/2 + ||y||²)/δ w.p. ≥ 1 − δ."""
    delta = check_delta(delta)
    with mpmath.workdps(check_dps(dps)):
        return l3_expected_residual_sq(n, y_norm_sq, dps) / mpmath.mpf(delta)


def l3_subgaussian_B(n: int, y_max, delta: float, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L3 (sub-Gaussian): ||f(0) − y|| ≤ B = √n (sqrt(2 log(2n/δ)) + max_i |y_i|) w.p. ≥ 1 − δ."""
    n, delta = check_positive_int(n, "n"), check_delta(delta)
    with mpmath.workdps(check_dps(dps)):
        ym = abs(_mp(y_max, "max|y|"))
        if ym > 1e100:   # like the labels of a Dataset; beyond it the width solves slow down without bound
            raise InputError(f"y_max must be <= 1e100, got {mpmath.nstr(ym, 6)}", arg="y_max")
        return mpmath.sqrt(n) * (mpmath.sqrt(2 * mpmath.log(2 * mpmath.mpf(n) / mpmath.mpf(delta))) + ym)


def l4_gaussian_prob_bound(R, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L4: P(|⟨w, x⟩| ≤ R) ≤ 2R/√(2π) for w ~ N(0, I), ||x|| = 1 (capped at 1)."""
    with mpmath.workdps(check_dps(dps)):
        R = _nonneg(R, "R")
        return min(mpmath.mpf(1), 2 * R / mpmath.sqrt(2 * mpmath.pi))


def l4_sphere_prob_exact(r, d: int, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L4: P(|⟨u, x⟩| ≤ r) = I_{r²}(1/2, (d−1)/2) for u uniform on S^{d−1} (exact); d ≤ 10⁶
    (the incomplete beta series slows down without bound beyond)."""
    d = check_positive_int(d, "d", 2, 10**6)
    with mpmath.workdps(check_dps(dps)):
        r = _nonneg(r, "r")
        if r >= 1:
            return mpmath.mpf(1)
        return mpmath.betainc(mpmath.mpf(1) / 2, mpmath.mpf(d - 1) / 2, 0, r**2, regularized=True)


def l4_sphere_prob_bound(r, d: int, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L4: the simple bound r·sqrt(2d/π) for d ≥ 3, and the exact (2/π) arcsin r for d = 2."""
    d = check_positive_int(d, "d", 2)
    with mpmath.workdps(check_dps(dps)):
        r = _nonneg(r, "r")
        if d == 2:
            return (2 / mpmath.pi) * mpmath.asin(min(r, mpmath.mpf(1)))
        return min(mpmath.mpf(1), r * mpmath.sqrt(2 * mpmath.mpf(d) / mpmath.pi))


# =============================================================================
# High-precision spectral constants (claims L1, D6-D8): home is wnproofs.kernels.spectra
# =============================================================================

from .kernels.spectra import data_matrix_mp as _data_matrix  # noqa: E402,F401  (re-export)
from .kernels.spectra import lambda_0_mp as lambda_0  # noqa: E402,F401
from .kernels.spectra import lambda_H_mp as lambda_H  # noqa: E402,F401
from .kernels.spectra import lambda_inf_min, lambda_min_mp  # noqa: E402,F401
from .kernels.spectra import mu_0_mp as mu_0  # noqa: E402,F401


# =============================================================================
# L6: how far the parameters move (explicit radii)
# =============================================================================

def l6_radii(n: int, m: int, B, lam_inf, alpha, *, method: str = "GF",
             dps: int = DEFAULT_DPS) -> dict:
    """L6 radii under the decay hypothesis ||r(s)|| ≤ e^{−λ^∞ s/2} B (GF) or
    ||r(s)||² ≤ (1 − ηλ^∞/2)^s B² (GD), with λ^∞ the target rate (λ_0/α² or μ_0).

    Returns a dict of mpf:

    * ``I_r``: the time integral ∫||r|| ≤ 2B/λ^∞ (GF), Σ_s η||r(s)|| ≤ 4B/λ^∞ (GD);
    * ``delta_g`` = Δg = √n I_r/√m: |g_k(t) − g_k(0)| ≤ Δg for every k (L6, |σ| ≤ 1);
    * ``R0`` = √n I_r/(α²√m): the direction moves by r_k ≤ R0 (1 + Δg/g_k(0))/g_k(0)
      and the activation on x_i can flip only if |⟨w_k(0), x_i⟩| ≤ R0 (1 + Δg/g_k(0)).
    """
    n, m = check_positive_int(n, "n"), check_positive_int(m, "m")
    if method not in ("GF", "GD"):
        raise InputError(f"method must be 'GF' or 'GD', got {method!r}")
    with mpmath.workdps(check_dps(dps)):
        B, lam, a = _mp(B, "B"), _mp(lam_inf, "lam_inf"), _mp(alpha, "alpha")
        if a <= 0:
            raise InputError(f"alpha must be > 0, got {alpha!r}")
        if lam <= 0:
            return {"I_r": mpmath.inf, "delta_g": mpmath.inf, "R0": mpmath.inf}
        I_r = (2 if method == "GF" else 4) * B / lam
        dg = mpmath.sqrt(n) * I_r / mpmath.sqrt(m)
        return {"I_r": I_r, "delta_g": dg, "R0": dg / a**2}


# =============================================================================
# Explicit width thresholds and step bound (T1-T4, C1); see derivations/convergence.py
# =============================================================================
#
# Notation (all at initialization, w_k(0) ~ N(0, I_d), g_k(0) = ||w_k(0)|| ~ χ_d):
#   λ^∞ = λ_0/α² (V-dominated, T1/T3) or μ_0 (G-dominated, T2/T4); the target is
#   λ_min(Λ(t)) ≥ λ^∞/2 (GF) or ≥ 5λ^∞/8 (GD) for all t, giving the rates of THEORY.md §8.
#   B (L3, sub-Gaussian), I_r, Δg, R0 (L6 radii, see l6_radii), good neurons g_k(0) ≥ γ
#   (γ = Δg for GF; γ = max(2Δg, sqrt(ν)) for GD), whose lengths and directions move little;
#   every other neuron is dropped from V(t), G(t) (each neuron's term is PSD, so dropping
#   it can only lower λ_min) and its initial term (entries ≤ 1) is charged to the bound.
#   M1 = mean_k 1{g_k ≥ γ}/g_k (Chebyshev), frac_bad = mean_k 1{g_k < γ} (Hoeffding),
#   Φ = max_i mean_k 1{|⟨w_k(0), x_i⟩| ≤ 2 R0} (L4 + Hoeffding + union over i).
# The failure probability δ is split evenly among the events used (listed in the result).

_METHODS = ("GF", "GD")
_REGIMES = ("V", "G")


def _check_d(d):
    if d is None:
        return None
    return check_positive_int(d, "d", 2)


def _chi_const(d):
    """d used for the χ_d moments: d = None means 'any d ≥ 2' and uses d = 2, whose
    constants dominate (E[1/χ_d] and P(χ_d < γ) decrease in d; checked in the tests)."""
    return 2 if d is None else d


def chi_inv_mean(d) -> mpmath.mpf:
    """E[1/χ_d] = Γ((d−1)/2)/(√2 Γ(d/2)) (finite for d ≥ 2)."""
    d = _chi_const(d)
    return mpmath.gamma(mpmath.mpf(d - 1) / 2) / (mpmath.sqrt(2) * mpmath.gamma(mpmath.mpf(d) / 2))


def chi_inv_sq_above(d, gamma) -> mpmath.mpf:
    """E[χ_d^{−2} 1{χ_d ≥ γ}] = Γ(d/2 − 1, γ²/2)/(2Γ(d/2)) (upper incomplete Γ; d = 2: E1(γ²/2)/2)."""
    d = _chi_const(d)
    x = _nonneg(gamma, "gamma") ** 2 / 2
    if d == 2:
        return mpmath.inf if x == 0 else mpmath.e1(x) / 2
    return mpmath.gammainc(mpmath.mpf(d) / 2 - 1, x) / (2 * mpmath.gamma(mpmath.mpf(d) / 2))


def chi_inv_sq_below(d, gamma) -> mpmath.mpf:
    """E[χ_d^{−2} 1{χ_d < γ}] = γ(d/2 − 1, γ²/2)/(2Γ(d/2)) for d ≥ 3 (lower incomplete Γ); +inf for d = 2."""
    d = _chi_const(d)
    if d == 2:
        return mpmath.inf
    x = mpmath.mpf(gamma) ** 2 / 2
    return mpmath.gammainc(mpmath.mpf(d) / 2 - 1, 0, x) / (2 * mpmath.gamma(mpmath.mpf(d) / 2))


def chi_cdf(d, gamma) -> mpmath.mpf:
    """P(χ_d < γ) = P(d/2, γ²/2) (regularized lower incomplete Γ)."""
    d = _chi_const(d)
    return mpmath.gammainc(mpmath.mpf(d) / 2, 0, mpmath.mpf(gamma) ** 2 / 2, regularized=True)


def _events(regime: str, method: str, d) -> list[str]:
    ev = ["L2", "L3", "M1", "bad"]
    if regime == "V" or method == "GD":
        ev.append("flip")
    if method == "GD":
        if regime == "V":
            ev.append("M2good")
        ev.append("M2bad")
        if _chi_const(d) == 2:
            ev.append("M2bad_min")
    return ev


def width_conditions(m, *, regime: str, method: str = "GF", n: int, delta: float, lam,
                     alpha: float = 1.0, y_max=1.0, d: int | None = None, eta=None,
                     dps: int = DEFAULT_DPS) -> list[dict]:
    """The sufficient conditions on the width m, each as {name, claim, lhs, rhs, ok}.

    ``regime`` "V" (lam = λ_0; T1 GD, T3 GF) or "G" (lam = μ_0; T2 GD, T4 GF).  All
    conditions hold at m ⇒ with probability ≥ 1 − δ the conclusion of the theorem holds
    (derivations/convergence.py).  Each lhs decreases in m.
    """
    if regime not in _REGIMES:
        raise InputError(f"regime must be 'V' or 'G', got {regime!r}")
    if method not in _METHODS:
        raise InputError(f"method must be 'GF' or 'GD', got {method!r}")
    n, delta, d = check_positive_int(n, "n"), check_delta(delta), _check_d(d)
    check_alpha(alpha)
    with mpmath.workdps(check_dps(dps)):
        m = _mp(m, "m")
        a = _mp(alpha, "alpha")
        if a <= 0:
            raise InputError(f"alpha must be > 0, got {alpha!r}")
        lam0 = _mp(lam, "lambda_0" if regime == "V" else "mu_0")
        events = _events(regime, method, d)
        de = mpmath.mpf(delta) / len(events)
        B = l3_subgaussian_B(n, y_max, de, dps)
        lam_inf = lam0 / a**2 if regime == "V" else lam0
        nn = mpmath.mpf(n)
        sm = mpmath.sqrt(m)
        I_r = (2 if method == "GF" else 4) * B / lam_inf
        dg = mpmath.sqrt(nn) * I_r / sm
        R0 = dg / a**2
        if method == "GD":
            eta_v = _mp(eta, "eta")
            nu = 8 * eta_v * nn * B**2 / (lam_inf * a**4 * m)
            gam = max(2 * dg, mpmath.sqrt(nu))
        else:
            nu = mpmath.mpf(0)
            gam = dg
        s2 = chi_inv_sq_above(d, gam)
        M1 = chi_inv_mean(d) + mpmath.sqrt(s2 / (m * de))
        hoeff = mpmath.sqrt(mpmath.log(1 / de) / (2 * m))
        frac_bad = min(mpmath.mpf(1), chi_cdf(d, gam) + hoeff)
        Phi = min(mpmath.mpf(1), mpmath.erf(mpmath.sqrt(2) * R0)
                  + mpmath.sqrt(mpmath.log(nn / de) / (2 * m)))
        conds = []
        c_s = mpmath.mpf(1) / 4 if method == "GF" else mpmath.mpf(1) / 8
        if regime == "V":
            rad = nn * mpmath.sqrt(2 * mpmath.log(2 * nn**2 / de) / m)
            conds.append(("L2: ||V(0) − V^∞||_2 ≤ λ_0/4", "L2", rad, lam0 / 4))
            M2good = s2 / de if method == "GD" else mpmath.mpf(0)
            stab = nn * (3 * dg * M1 + mpmath.mpf(3) / 2 * nu * M2good + 16 * R0 * M1
                         + 8 * Phi + frac_bad)
            conds.append((f"L5+L6: ||V(t) − V(0)||_2 ≤ λ_0/{4 if method == 'GF' else 8}",
                          "L5", stab, c_s * lam0))
        else:
            rad = nn * mpmath.sqrt(mpmath.log(2 * nn**2 / de) / (2 * m))
            conds.append(("L2: ||G(0) − G^∞||_2 ≤ μ_0/4", "L2", rad, lam0 / 4))
            stab = nn * (4 * R0 * M1 + frac_bad)
            conds.append((f"L5+L6: ||G(t) − G(0)||_2 ≤ μ_0/{4 if method == 'GF' else 8}",
                          "L5", stab, c_s * lam0))
        if method == "GD":
            if _chi_const(d) == 2:
                frac_small = min(mpmath.mpf(1), chi_cdf(2, dg) + hoeff)
                M2bad = frac_small * m / (2 * de)   # (#{g < Δg}/m) · max_k g_k^{-2}
            else:
                M2bad = chi_inv_sq_below(d, dg) / de
            S = 1 + (4 + 4 * dg**2 * M2bad) / a**2
            conds.append(("GD: η n² S² ≤ 3λ^∞/8 (second-order term ||Δf||²)", "T1" if regime == "V" else "T2",
                          eta_v * nn**2 * S**2, 3 * lam_inf / 8))
            conds.append(("GD: t = ||Δv||/||v|| ≤ 1 (η ≤ 4α²/λ^∞)", "D3",
                          2 * eta_v * mpmath.sqrt(nn) * B / (a**2 * gam * sm), mpmath.mpf(1)))
            err = nn * ((1 + 4 / a**2) * (Phi + 2 * eta_v * mpmath.sqrt(nn) * B * M1 / (a**2 * sm)
                                          + 2 * frac_bad) + 8 * dg**2 * M2bad / a**2)
            conds.append(("GD: linearisation error ||e||/(η||r||) ≤ 3λ^∞/16", "L4", err, 3 * lam_inf / 16))
        return [{"name": nm, "claim": cl, "lhs": +lhs, "rhs": +rhs, "ok": bool(lhs <= rhs)}
                for nm, cl, lhs, rhs in conds]


def _solve_width(pred, dps: int) -> mpmath.mpf:
    """Smallest integer m ≥ 1 with pred(m) (pred monotone in m); +inf if none below 10^300."""
    with mpmath.workdps(dps):
        if pred(mpmath.mpf(1)):
            return mpmath.mpf(1)
        lo, hi = mpmath.mpf(1), mpmath.mpf(2)
        while not pred(hi):
            lo, hi = hi, hi * hi if hi < 10**30 else hi * 10**10
            if hi > mpmath.mpf(10) ** 300:
                return mpmath.inf
        eps = mpmath.mpf(10) ** (5 - mpmath.mp.dps)
        while hi - lo > max(1, hi * eps):
            mid = mpmath.sqrt(lo * hi) if hi / lo > 4 else (lo + hi) / 2
            if pred(mid):
                hi = mid
            else:
                lo = mid
        if hi - lo <= 1:      # integer resolution: the smallest integer in (lo, hi] that works
            c = mpmath.floor(lo) + 1
            if c < hi and pred(c):
                return c
        return mpmath.ceil(hi)


def _threshold(regime, method, n, delta, lam, alpha, y_max, d, eta, dps, detail):
    n, delta, d, dps = check_positive_int(n, "n", 1, 10**9), check_delta(delta), _check_d(d), check_dps(dps)
    check_alpha(alpha)   # the documented range bounds the cost of the incomplete-Γ evaluations
    alpha = _mp(alpha, "alpha")
    if alpha <= 0:
        raise InputError(f"alpha must be > 0 (the initialization scale), got {alpha}")
    if method not in _METHODS:
        raise InputError(f"method must be 'GF' or 'GD', got {method!r}")
    lam = _mp(lam, "lambda_0" if regime == "V" else "mu_0")
    with mpmath.workdps(dps):
        if lam <= 0:
            res = {"m": mpmath.inf, "reason": "λ ≤ 0: A1 violated (L1), no width suffices",
                   "conditions": []}
            return res if detail else res["m"]
        if method == "GD":
            lam_inf = lam / alpha**2 if regime == "V" else lam
            limit = step_bound(n=n, delta=delta, lam_inf=lam_inf, alpha=alpha, y_max=y_max, d=d,
                               dps=dps)
            eta = limit / 2 if eta is None else _mp(eta, "eta")
            if eta <= 0:
                raise InputError(f"eta must be > 0, got {eta}")
        kw = dict(regime=regime, method=method, n=n, delta=delta, lam=lam, alpha=alpha,
                  y_max=y_max, d=d, eta=eta, dps=dps)
        names = [c["name"] for c in width_conditions(10**6, **kw)]
        per = {}
        for k, nm in enumerate(names):
            per[nm] = _solve_width(lambda mm, k=k: width_conditions(mm, **kw)[k]["ok"], dps)
        m = max(per.values())
        if mpmath.isfinite(m):
            assert all(c["ok"] for c in width_conditions(m, **kw)), "threshold check failed"
        res = {"m": m, "per_condition": per, "eta": eta, "events": _events(regime, method, d),
               "delta_each": mpmath.mpf(delta) / len(_events(regime, method, d)),
               "reason": "" if mpmath.isfinite(m) else "no finite width satisfies the conditions "
                         "(for GD: η above the step bound)"}
        return res if detail else m


def m_V(*, n: int, delta: float, lambda_0, alpha: float = 1.0, y_max=1.0, d: int | None = None,
        method: str = "GF", eta=None, dps: int = DEFAULT_DPS, detail: bool = False):
    """Explicit width m_V for the V-dominated theorems T3 (GF, ``method="GF"``) and
    T1 (GD, ``method="GD"``): for m ≥ m_V, with probability ≥ 1 − δ,
    λ_min(Λ(t)) ≥ λ_0/(2α²) for all t and ||f(t) − y||² ≤ exp(−λ_0 t/α²)||f(0) − y||² (GF),
    resp. ||f(s) − y||² ≤ (1 − ηλ_0/(2α²))^s ||f(0) − y||² (GD with step ``eta``;
    default: half of :func:`step_bound`).

    Leading order (GF): m_V ≈ 64 n³ B² (16 E[1/χ_d] + 32/√(2π))² / λ_0⁴ with
    B = √n (sqrt(2 log(10n/δ)) + y_max): Θ(n⁴ log(n/δ)/λ_0⁴), α enters only through
    Δg = α² R0 (so for α ≤ 1 the width is essentially α-free, as T1 states).
    Returns an ``mpf`` (an integer) or ``+inf`` when λ_0 ≤ 0 (A1 violated: L1).
    ``detail=True`` returns a dict with the width per condition and the δ split.
    """
    return _threshold("V", method, n, delta, lambda_0, alpha, y_max, d, eta, dps, detail)


def m_G(*, n: int, delta: float, mu_0, alpha: float = 1.0, y_max=1.0, d: int | None = None,
        method: str = "GF", eta=None, dps: int = DEFAULT_DPS, detail: bool = False):
    """Explicit width m_G for the G-dominated theorems T4 (GF) and T2 (GD): for m ≥ m_G,
    w.p. ≥ 1 − δ, λ_min(Λ(t)) ≥ μ_0/2 and ||f(t) − y||² ≤ exp(−μ_0 t)||f(0) − y||² (GF),
    resp. (1 − ημ_0/2)^s (GD).

    Leading order (GF): max{ 8n² log(8n²/δ)/μ_0² (L2),
    1024 n³ B² E[1/χ_d]²/(α⁴ μ_0⁴) (direction movement), n² log(4/δ)·64/μ_0² and
    the fraction of neurons with g_k(0) < Δg (α-free) } - Θ(n⁴ log(n/δ)/(α⁴μ_0⁴) + n² log(n/δ)/μ_0²)
    plus an α-free term from short initial lengths (see derivations/convergence.py).
    Returns ``mpf`` or ``+inf`` when μ_0 ≤ 0.
    """
    return _threshold("G", method, n, delta, mu_0, alpha, y_max, d, eta, dps, detail)


def step_bound(*, n: int, delta: float, lam_inf=None, lambda_0=None, mu_0=None, alpha: float = 1.0,
               y_max=1.0, d: int | None = None, m=None, regime: str | None = None,
               dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """Explicit GD step bound (T1/T2): η ≤ min{ 3λ^∞/(8 n² S²), 4α²/λ^∞ }, S = 1 + (4 + 4Δg² M2)/α².

    Give ``lambda_0`` (V-dominated: λ^∞ = λ_0/α²), ``mu_0`` (G-dominated: λ^∞ = μ_0) or
    ``lam_inf`` directly.  ``m`` = None gives the large-width limit S = 1 + 4/α²
    (η ≤ 3λ^∞ α⁴/(8 n² (α² + 4)²)); a finite m adds the short-length neurons' term.
    Compare Du et al.'s η = O(λ_H/n²) (C1).  Returns 0 when λ^∞ ≤ 0 (A1 violated).
    """
    n, delta, d = check_positive_int(n, "n"), check_delta(delta), _check_d(d)
    check_alpha(alpha)
    with mpmath.workdps(check_dps(dps)):
        a = _mp(alpha, "alpha")
        if a <= 0:
            raise InputError(f"alpha must be > 0, got {alpha!r}")
        given = [x is not None for x in (lam_inf, lambda_0, mu_0)]
        if sum(given) != 1:
            raise InputError("give exactly one of lam_inf, lambda_0, mu_0")
        if lam_inf is not None:
            li = _mp(lam_inf, "lam_inf")
        elif lambda_0 is not None:
            li = _mp(lambda_0, "lambda_0") / a**2
        else:
            li = _mp(mu_0, "mu_0")
        if li <= 0:
            return mpmath.mpf(0)
        nn = mpmath.mpf(n)
        if m is None:
            S = 1 + 4 / a**2
        else:
            reg = regime or ("V" if lambda_0 is not None else "G")
            ev = _events(reg, "GD", d)
            de = mpmath.mpf(delta) / len(ev)
            B = l3_subgaussian_B(n, y_max, de, dps)
            mm = _mp(m, "m")
            if mm <= 0:
                raise InputError(f"m must be > 0, got {m!r}", arg="m")
            dg = mpmath.sqrt(nn) * 4 * B / (li * mpmath.sqrt(mm))
            if _chi_const(d) == 2:
                fs = min(mpmath.mpf(1), chi_cdf(2, dg) + mpmath.sqrt(mpmath.log(1 / de) / (2 * mm)))
                M2bad = fs * mm / (2 * de)
            else:
                M2bad = chi_inv_sq_below(d, dg) / de
            S = 1 + (4 + 4 * dg**2 * M2bad) / a**2
        return min(3 * li / (8 * nn**2 * S**2), 4 * a**2 / li)


def m_du(*, n: int, delta: float, lambda_H, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """C1 (Du, Zhai, Póczos, Singh 2019): m = n⁶/(λ_H⁴ δ³), the paper's Ω(·) with its
    implicit constant set to 1 (the paper leaves it unspecified).  +inf when λ_H ≤ 0."""
    n, delta = check_positive_int(n, "n"), check_delta(delta)
    with mpmath.workdps(check_dps(dps)):
        lh = _mp(lambda_H, "lambda_H")
        if lh <= 0:
            return mpmath.inf
        return mpmath.mpf(n) ** 6 / (lh**4 * mpmath.mpf(delta) ** 3)


def step_du(*, n: int, lambda_H, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """C1: Du et al.'s GD step η = λ_H/n² (their O(·) constant set to 1); 0 when λ_H ≤ 0."""
    n = check_positive_int(n, "n")
    with mpmath.workdps(check_dps(dps)):
        lh = _mp(lambda_H, "lambda_H")
        return mpmath.mpf(0) if lh <= 0 else lh / mpmath.mpf(n) ** 2


# =============================================================================
# One table for a data set
# =============================================================================

def _q(quantity: str, value, claim: str, note: str = "") -> dict:
    return {"quantity": quantity, "value": value, "claim": claim, "note": note}


def bound_summary(data, delta: float = 0.05, alpha: float = 1.0, *, y_max=None, dps: int = DEFAULT_DPS,
                  certified: bool = True, methods=("GF", "GD")) -> dict:
    """Every bound constant of THEORY.md §4-§8 for one data set, under stable keys.

    Each constant is ``{"quantity", "value", "claim", "note"}`` (value an ``mpf``, ``+inf``
    where A1 fails and no width suffices, or an int).  Keys: ``lambda_0``, ``mu_0``,
    ``lambda_H`` (L1, C1), ``certified`` (the Arb certificates of L1 by quantity, or None),
    ``lambda_inf_lower`` (D8), ``alpha_star`` (or None), ``B`` and ``markov_residual_sq``
    (L3), ``widths`` by claim id (``L2`` with ``V`` and ``G``; T1/T2 the GD widths, T3/T4
    the GF widths, C1 Du et al.'s), ``step_bounds`` by claim id (T1, T2, C1), ``radii``
    (``L6`` by theorem: the radii of :func:`l6_radii` at the theorem's explicit width,
    with B of L3 at δ).  ``y_max`` defaults to max|y_i| and may not be below it.
    """
    from .certify import certify as _certify
    from .data import Dataset

    if not isinstance(data, Dataset):
        raise InputError(f"data must be a wnproofs.data.Dataset, got {type(data).__name__}", arg="data")
    delta = check_delta(delta)
    check_alpha(alpha)
    a = _mp(alpha, "alpha")
    dps = check_dps(dps)
    for meth in methods:
        if meth not in _METHODS:
            raise InputError(f"methods must be among {_METHODS}, got {meth!r}", arg="methods")
    n, d = data.n, data.d
    data_max = float(max(abs(float(t)) for t in data.y))
    if y_max is None:
        ym = data_max
    else:
        ym = float(_mp(y_max, "y_max"))
        if ym > 1e100:
            raise InputError(f"y_max must be <= 1e100 (like the labels), got {ym:g}", arg="y_max")
        if ym <= 0:
            raise InputError(f"y_max must be > 0, got {ym:g}", arg="y_max")
        if ym < data_max:
            raise InputError(f"y_max = {ym:g} is below max|y_i| = {data_max:g} of the data; it must "
                             "bound every label", arg="y_max")
    a1 = data.satisfies_A1
    out: dict = {"n": n, "d": d, "delta": delta, "alpha": a, "y_max": ym, "dps": dps, "A1": a1,
                 "methods": list(methods)}
    with mpmath.workdps(dps):
        if a1:
            lam, mu, lh = lambda_0(data, dps), mu_0(data, dps), lambda_H(data, dps)
        else:
            lam = mu = lh = mpmath.mpf(0)
        note_a1 = "" if a1 else "A1 violated: set to 0 (L1: singular)"
        out["lambda_0"] = _q("lambda_0 = λ_min(V^∞)", lam, "L1", note_a1 or f"{dps} digits")
        out["mu_0"] = _q("mu_0 = λ_min(G^∞)", mu, "L1", note_a1 or f"{dps} digits")
        out["lambda_H"] = _q("lambda_H = λ_min(H^∞)", lh, "C1", note_a1 or f"{dps} digits; ≥ λ_0 + μ_0 (D8)")
        out["certified"] = None
        if certified and a1:
            certs = _certify(data, ("lambda_0", "mu_0"))
            out["certified"] = {k: {**_q(f"certified {k} >", c.lower_bound, "L1",
                                         f"{c.status} ({c.prec}-bit Arb)"),
                                    "status": c.status, "prec": c.prec} for k, c in certs.items()}
        out["lambda_inf_lower"] = _q("λ_0/α² + μ_0 ≤ λ_min(Λ^∞)", lam / a**2 + mu, "D8",
                                     "sum of the two parts (§8)")
        out["alpha_star"] = None
        if a1 and mu > 0:
            a_star = mpmath.sqrt(lam / mu)
            same = (a < 1) == (a <= a_star)
            out["alpha_star"] = {**_q("alpha* = sqrt(λ_0/μ_0)", a_star, "T1",
                                      "regime split by α*; paper splits at α = 1"
                                      + ("" if same else f" - DISAGREE at α = {float(a):g}")),
                                 "disagrees_with_paper": not same}
        B = l3_subgaussian_B(n, ym, delta, dps)
        out["B"] = _q("B (L3 sub-Gaussian, δ)", B, "L3", "||f(0) − y|| ≤ B")
        out["markov_residual_sq"] = _q("Markov ||f(0) − y||² (δ)", l3_markov_residual_sq(n, n * ym**2, delta, dps),
                                       "L3", "(n/2 + ||y||²)/δ with ||y||² ≤ n y_max²")
        widths: dict = {"L2": {"V": _q("L2 width for λ_min(V(0)) ≥ 3λ_0/4", l2_width_V(n, delta, lam, dps), "L2"),
                               "G": _q("L2 width for λ_min(G(0)) ≥ 3μ_0/4", l2_width_G(n, delta, mu, dps), "L2")}}
        for meth in methods:
            tv = "T3" if meth == "GF" else "T1"
            tg = "T4" if meth == "GF" else "T2"
            widths[tv] = {**_q(f"m_V ({meth}, α = {float(a):g})",
                               m_V(n=n, delta=delta, lambda_0=lam, alpha=a, y_max=ym, d=d, method=meth, dps=dps),
                               tv, "V-dominated; rate λ_0/α²" + ("" if a < 1 else " (paper: α < 1)")),
                          "function": "m_V", "method": meth}
            widths[tg] = {**_q(f"m_G ({meth}, α = {float(a):g})",
                               m_G(n=n, delta=delta, mu_0=mu, alpha=a, y_max=ym, d=d, method=meth, dps=dps),
                               tg, "G-dominated; rate μ_0" + ("" if a > 1 else " (paper: α > 1)")),
                          "function": "m_G", "method": meth}
        widths["C1"] = {**_q("m_du = n⁶/(λ_H⁴ δ³)", m_du(n=n, delta=delta, lambda_H=lh), "C1",
                             "Du et al. 2019, implicit constant set to 1"), "function": "m_du"}
        out["widths"] = widths
        out["step_bounds"] = {
            "T1": _q("GD step bound (V)", step_bound(n=n, delta=delta, lambda_0=lam, alpha=a, d=d), "T1",
                     "η ≤ 3λ^∞α⁴/(8n²(α²+4)²), λ^∞ = λ_0/α², large-m limit"),
            "T2": _q("GD step bound (G)", step_bound(n=n, delta=delta, mu_0=mu, alpha=a, d=d), "T2",
                     "λ^∞ = μ_0, large-m limit"),
            "C1": _q("Du step η = λ_H/n²", step_du(n=n, lambda_H=lh), "C1", "implicit constant set to 1"),
        }
        l6: dict = {}
        for tid, w in widths.items():
            if tid not in ("T1", "T2", "T3", "T4"):
                continue
            m = w["value"]
            lam_inf = lam / a**2 if w["function"] == "m_V" else mu
            if not (mpmath.isfinite(m) and lam_inf > 0) or m > 10**300:
                l6[tid] = None
                continue
            r = l6_radii(n, int(m), B, lam_inf, a, method=w["method"], dps=dps)
            l6[tid] = {"m": int(m), "method": w["method"],
                       **{k: _q(f"L6 {k} at m = {w['function']}", v, "L6",
                                "parameter movement at the theorem's width, B of L3 at δ")
                          for k, v in r.items()}}
        out["radii"] = {"L6": l6}
    return out


def bound_table(data, delta: float = 0.05, alpha: float = 1.0, *, y_max=None, dps: int = DEFAULT_DPS,
                certified: bool = True, methods=("GF", "GD")) -> list[tuple]:
    """Every bound constant of THEORY.md §4-§8 for one data set, with its claim id.

    Returns rows ``(quantity, value, claim, note)`` of :func:`bound_summary`, for display;
    values are ``mpf`` (``+inf`` where A1 fails: no width suffices), floats, or strings.
    """
    return summary_rows(bound_summary(data, delta, alpha, y_max=y_max, dps=dps, certified=certified,
                                      methods=methods))


def summary_rows(s: dict) -> list[tuple]:
    """The display rows ``(quantity, value, claim, note)`` of a :func:`bound_summary`, in order."""
    entries = [_q("n", s["n"], "", "samples"), _q("d", s["d"], "", "dimension"),
               s["lambda_0"], s["mu_0"], s["lambda_H"], *(s["certified"] or {}).values(),
               s["lambda_inf_lower"], *([s["alpha_star"]] if s["alpha_star"] else []),
               s["B"], s["markov_residual_sq"], s["widths"]["L2"]["V"], s["widths"]["L2"]["G"]]
    for meth in s["methods"]:
        entries += [s["widths"]["T3" if meth == "GF" else "T1"], s["widths"]["T4" if meth == "GF" else "T2"]]
    entries += [s["step_bounds"]["T1"], s["step_bounds"]["T2"], s["widths"]["C1"], s["step_bounds"]["C1"]]
    return [(e["quantity"], e["value"], e["claim"], e["note"]) for e in entries]


def widths_vs_n(ns, d: int = 10, delta: float = 0.05, alpha: float = 1.0, seed: int = 0,
                y_max: float = 1.0, data=None) -> dict:
    """m_V, m_G (GF) and m_du against n (float64 λ's; for plots).

    Without ``data``: random sphere data of each n in R^d.  With a Dataset ``data``: its
    first n rows for each n (n ≤ data.n), and ``y_max`` = max|y_i| of those rows.
    """
    from .data import Dataset, random_sphere
    from . import kernels

    if data is not None and not isinstance(data, Dataset):
        raise InputError(f"data must be a wnproofs.data.Dataset, got {type(data).__name__}", arg="data")
    out = {"n": [], "m_V": [], "m_G": [], "m_du": [], "lambda_0": [], "mu_0": [], "lambda_H": []}
    for k, n in enumerate(ns):
        n = check_positive_int(n, "n", 1, None if data is None else data.n)
        if data is None:
            ds, ym = random_sphere(n, d, np.random.default_rng([seed, k])), y_max
        else:
            ds = Dataset(data.X[:n], data.y[:n], name=f"{data.name}[:{n}]")
            ym = max(float(np.max(np.abs(ds.y))), 1e-300)
        lam, mu, lh = kernels.lambda_0(ds), kernels.mu_0(ds), kernels.lambda_H(ds)
        out["n"].append(n)
        out["lambda_0"].append(lam)
        out["mu_0"].append(mu)
        out["lambda_H"].append(lh)
        out["m_V"].append(float(m_V(n=n, delta=delta, lambda_0=lam, alpha=alpha, y_max=ym, d=ds.d, dps=20)))
        out["m_G"].append(float(m_G(n=n, delta=delta, mu_0=mu, alpha=alpha, y_max=ym, d=ds.d, dps=20)))
        out["m_du"].append(float(m_du(n=n, delta=delta, lambda_H=lh, dps=20)))
    return out


def plot_widths(res: dict, ax=None, title: str = ""):
    """Plot required width against n (log-log) for WN (both regimes) and C1; returns the Figure."""
    if ax is None:
        from matplotlib.figure import Figure

        fig = Figure(figsize=(6.4, 4.4))
        ax = fig.add_subplot(1, 1, 1)
    else:
        fig = ax.figure
    ax.loglog(res["n"], res["m_V"], "o-", label="WN, V-dominated m_V (T3)")
    ax.loglog(res["n"], res["m_G"], "s-", label="WN, G-dominated m_G (T4)")
    ax.loglog(res["n"], res["m_du"], "^--", label="un-normalized, Du et al. m = n⁶/(λ_H⁴δ³) (C1)")
    ax.set_xlabel("n (random points on the sphere)")
    ax.set_ylabel("required width m")
    ax.set_title(title or "explicit width thresholds")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    return fig
