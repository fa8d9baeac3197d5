"""Explicit width thresholds and step bounds of T1-T4 and C1, composed from the lemma constants.

Every constant below is obtained by calling :mod:`wnproofs.bounds.lemmas` (and the χ_d
moments of :mod:`wnproofs.bounds.moments`); nothing is retyped.  The derivation of each
condition, the proof that each condition's left side decreases in m (so the smallest m
found by bisection is a threshold: every larger m works), and the closure of the argument
(the conditions ⇒ λ_min(Λ(t)) ≥ the floor ⇒ the rate) are in ``derivations/convergence.py``,
which evaluates :func:`width_conditions`, :func:`c1_conditions` and the step bounds against
its own symbolic chain at random points.

Notation (at initialization, w_k(0) ~ N(0, I_d), g_k(0) = ||w_k(0)|| ~ χ_d):
λ^∞ = λ_0/α² (V-dominated, T1 GD / T3 GF) or μ_0 (G-dominated, T2 / T4).  The kernel floor
is spent as in :data:`BUDGETS`: L2 takes ``l2``·λ, the movement along the run takes
``stability``·λ, so λ_min(Λ(t)) ≥ (1 − l2 − stability) λ^∞ (Weyl): λ^∞/2 (GF), 5λ^∞/8 (GD).
B (L3), I_r, Δg, R0 (L6, :func:`~wnproofs.bounds.lemmas.l6_radii`); neurons with
g_k(0) ≥ γ are "good" (γ = Δg for GF, max(2Δg, sqrt(ν)) for GD): ρ_k ≤ Δg/g_k ≤ 1, so L5
linearises with :func:`~wnproofs.bounds.lemmas.l5_linear_coefficients` (ρ_max = 1); every
other neuron is dropped from V(t), G(t) (its term is PSD, so dropping it only lowers λ_min)
and its initial term (entries ≤ 1) is charged.  M1 = mean_k 1{g_k ≥ γ}/g_k (Chebyshev),
frac_bad = mean_k 1{g_k < γ} (Hoeffding), Φ = max_i mean_k 1{|⟨w_k(0), x_i⟩| ≤ 2 R0}
(L4 exact + Hoeffding + union over i).  δ is split evenly among the events used
(:func:`events`).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import mpmath

from ..errors import InputError, check_delta, check_dps, check_positive_int
from ._common import DEFAULT_DPS, dimension, method as _method, mp
from .lemmas import (
    L2_SHARE,
    chebyshev_radius,
    gram_radius,
    hoeffding_radius,
    l2_radius_G,
    l2_radius_V,
    l2_width,
    l3_markov_residual_sq,
    l3_subgaussian_B,
    l4_gaussian_prob_bound,
    l4_gaussian_prob_exact,
    l5_entry_bound_G,
    l5_linear_coefficients,
    l5_spectral_bound,
    l6_length_radius,
    l6_radii,
    l6_residual_integral,
)
from .moments import chi_cdf, chi_const, chi_inv_mean, chi_inv_sq_bar, chi_inv_sq_below

__all__ = [
    "Budget",
    "BUDGETS",
    "floor_fraction",
    "contraction_fraction",
    "events",
    "gd_short_term",
    "width_conditions",
    "solve_width",
    "m_V",
    "m_G",
    "step_bound",
    "c1_events",
    "c1_lemma32_radius",
    "c1_conditions",
    "m_du",
    "step_du",
]

REGIMES = ("V", "G")


@dataclass(frozen=True)
class Budget:
    """How the kernel floor λ^∞ is spent, as exact fractions of λ^∞ (of ηλ^∞ for GD's step).

    l2 : ||M(0) − M^∞||_2 ≤ l2·λ (L2 corollary);
    stability : ||M(t) − M(0)||_2 ≤ stability·λ along the run (L4 + L5 + L6);
    linearisation (GD) : 2||e||/||r|| ≤ linearisation·ηλ^∞ (the part of a GD step the kernel
        does not describe: activation flips and the normalisation);
    second_order (GD) : ||Δf||²/||r||² ≤ second_order·ηλ^∞.
    """

    l2: Fraction
    stability: Fraction
    linearisation: Fraction = Fraction(0)
    second_order: Fraction = Fraction(0)


BUDGETS = {
    "GF": Budget(L2_SHARE, Fraction(1, 4)),
    "GD": Budget(L2_SHARE, Fraction(1, 8), Fraction(3, 8), Fraction(3, 8)),
}


def floor_fraction(method: str) -> Fraction:
    """λ_min(Λ(t)) ≥ floor_fraction·λ^∞ on the run (Weyl): 1 − l2 − stability (GF 1/2, GD 5/8)."""
    b = BUDGETS[_method(method)]
    return 1 - b.l2 - b.stability


def contraction_fraction() -> Fraction:
    """GD: ||r(s+1)||² ≤ (1 − c ηλ^∞)||r(s)||² with c = 2·floor − linearisation − second_order (= 1/2)."""
    b = BUDGETS["GD"]
    return 2 * floor_fraction("GD") - b.linearisation - b.second_order


def _frac(x: Fraction) -> mpmath.mpf:
    return mpmath.mpf(x.numerator) / x.denominator


def _regime(regime: str) -> str:
    if regime not in REGIMES:
        raise InputError(f"regime must be 'V' or 'G', got {regime!r}")
    return regime


def events(regime: str, method: str, d) -> list[str]:
    """The events a theorem's proof uses (δ is split evenly among them)."""
    ev = ["L2", "L3", "M1", "bad"]
    if regime == "V" or method == "GD":
        ev.append("flip")
    if method == "GD":
        if regime == "V":
            ev.append("M2good")
        ev.append("M2bad")
        if chi_const(d) == 2:
            ev.append("M2bad_min")
    return ev


def gd_short_term(d, dg, m, de, dps):
    """GD: M2bad, a bound on mean_k 1{g_k < Δg} g_k^{−2} (Markov; d = 2: short fraction
    (Hoeffding) times max_k g_k^{−2} ≤ m/(2δ') since P(min_k g_k² < t) ≤ m t/2)."""
    if chi_const(d) == 2:
        frac_small = min(mpmath.mpf(1), chi_cdf(2, dg) + hoeffding_radius(m, de, 1, 1, dps))
        return frac_small * m / (2 * de)
    return chi_inv_sq_below(d, dg) / de


def width_conditions(m, *, regime: str, method: str = "GF", n: int, delta: float, lam,
                     alpha: float = 1.0, y_max=1.0, d: int | None = None, eta=None,
                     dps: int = DEFAULT_DPS) -> list[dict]:
    """The sufficient conditions on the width m, each as {name, claim, lhs, rhs, ok}.

    ``regime`` "V" (lam = λ_0; T1 GD, T3 GF) or "G" (lam = μ_0; T2 GD, T4 GF).  All
    conditions hold at m ⇒ with probability ≥ 1 − δ the conclusion of the theorem holds
    (derivations/convergence.py).  Each lhs is nonincreasing in m (proved there).
    """
    _regime(regime)
    _method(method)
    n, delta, d = check_positive_int(n, "n"), check_delta(delta), dimension(d)
    with mpmath.workdps(check_dps(dps)):
        m = mp(m, "m")
        a = mp(alpha, "alpha")
        if a <= 0:
            raise InputError(f"alpha must be > 0, got {alpha!r}")
        lam0 = mp(lam, "lambda_0" if regime == "V" else "mu_0")
        budget = BUDGETS[method]
        ev = events(regime, method, d)
        de = mpmath.mpf(delta) / len(ev)
        B = l3_subgaussian_B(n, y_max, de, dps)
        lam_inf = lam0 / a**2 if regime == "V" else lam0
        nn = mpmath.mpf(n)
        sm = mpmath.sqrt(m)
        rad = l6_radii(n, m, B, lam_inf, a, method=method, dps=dps)
        dg, R0 = rad["delta_g"], rad["R0"]
        if method == "GD":
            eta_v = mp(eta, "eta")
            nu = 8 * eta_v * nn * B**2 / (lam_inf * a**4 * m)
            gam = max(2 * dg, mpmath.sqrt(nu))
        else:
            nu = mpmath.mpf(0)
            gam = dg
        M1 = chi_inv_mean(d) + chebyshev_radius(chi_inv_sq_bar(d, gam), m, de, dps)
        frac_bad = min(mpmath.mpf(1), chi_cdf(d, gam) + hoeffding_radius(m, de, 1, 1, dps))
        Phi = min(mpmath.mpf(1), l4_gaussian_prob_exact(2 * R0, dps) + hoeffding_radius(m, de / nn, 1, 1, dps))
        stab_share = _frac(budget.stability)
        conds = []
        if regime == "V":
            conds.append(("L2: ||V(0) − V^∞||_2 ≤ λ_0/4", "L2", l2_radius_V(n, m, de, dps), _frac(budget.l2) * lam0))
            a_rho, a_r, a_F = l5_linear_coefficients(mpmath.mpf(1))
            M2good = chi_inv_sq_bar(d, gam) / de if method == "GD" else mpmath.mpf(0)
            rho_mean = dg * M1 + nu / 2 * M2good
            entry = a_rho * rho_mean + a_r * (2 * R0 * M1) + a_F * 2 * Phi + frac_bad
            conds.append((f"L5+L6: ||V(t) − V(0)||_2 ≤ λ_0/{int(1 / stab_share)}", "L5",
                          l5_spectral_bound(nn, entry), stab_share * lam0))
        else:
            conds.append(("L2: ||G(0) − G^∞||_2 ≤ μ_0/4", "L2", l2_radius_G(n, m, de, dps), _frac(budget.l2) * lam0))
            entry = l5_entry_bound_G(2 * R0) * M1 + frac_bad
            conds.append((f"L5+L6: ||G(t) − G(0)||_2 ≤ μ_0/{int(1 / stab_share)}", "L5",
                          l5_spectral_bound(nn, entry), stab_share * lam0))
        if method == "GD":
            M2bad = gd_short_term(d, dg, m, de, dps)
            S = 1 + (4 + 4 * dg**2 * M2bad) / a**2
            conds.append(("GD: η n² S² ≤ 3λ^∞/8 (second-order term ||Δf||²)", "T1" if regime == "V" else "T2",
                          eta_v * nn**2 * S**2, _frac(budget.second_order) * lam_inf))
            conds.append(("GD: t = ||Δv||/||v|| ≤ 1 (η ≤ 4α²/λ^∞)", "D3",
                          2 * eta_v * mpmath.sqrt(nn) * B / (a**2 * gam * sm), mpmath.mpf(1)))
            err = nn * ((1 + 4 / a**2) * (Phi + 2 * eta_v * mpmath.sqrt(nn) * B * M1 / (a**2 * sm)
                                          + 2 * frac_bad) + 8 * dg**2 * M2bad / a**2)
            conds.append(("GD: linearisation error ||e||/(η||r||) ≤ 3λ^∞/16", "L4", err,
                          _frac(budget.linearisation) / 2 * lam_inf))
        return [{"name": nm, "claim": cl, "lhs": +lhs, "rhs": +rhs, "ok": bool(lhs <= rhs)}
                for nm, cl, lhs, rhs in conds]


def solve_width(pred, dps: int) -> mpmath.mpf:
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
    n, delta, d, dps = check_positive_int(n, "n"), check_delta(delta), dimension(d), check_dps(dps)
    alpha = mp(alpha, "alpha")
    if alpha <= 0:
        raise InputError(f"alpha must be > 0 (the initialization scale), got {alpha}")
    _method(method)
    lam = mp(lam, "lambda_0" if regime == "V" else "mu_0")
    with mpmath.workdps(dps):
        if lam <= 0:
            res = {"m": mpmath.inf, "reason": "λ ≤ 0: A1 violated (L1), no width suffices",
                   "conditions": []}
            return res if detail else res["m"]
        if method == "GD":
            lam_inf = lam / alpha**2 if regime == "V" else lam
            limit = step_bound(n=n, delta=delta, lam_inf=lam_inf, alpha=alpha, y_max=y_max, d=d,
                               dps=dps)
            eta = limit / 2 if eta is None else mp(eta, "eta")
            if eta <= 0:
                raise InputError(f"eta must be > 0, got {eta}")
        kw = dict(regime=regime, method=method, n=n, delta=delta, lam=lam, alpha=alpha,
                  y_max=y_max, d=d, eta=eta, dps=dps)
        names = [c["name"] for c in width_conditions(10**6, **kw)]
        per = {}
        for k, nm in enumerate(names):
            per[nm] = solve_width(lambda mm, k=k: width_conditions(mm, **kw)[k]["ok"], dps)
        m = max(per.values())
        if mpmath.isfinite(m) and not all(c["ok"] for c in width_conditions(m, **kw)):
            raise ArithmeticError("threshold check failed: a condition does not hold at the width found")
        ev = events(regime, method, d)
        res = {"m": m, "per_condition": per, "eta": eta, "events": ev,
               "delta_each": mpmath.mpf(delta) / len(ev),
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

    Leading order (GF): m_V ≈ 64 n³ B² ((3α² + 16) E[1/χ_d] + 32/√(2π))² / λ_0⁴ with
    B = √n (sqrt(2 log(10n/δ)) + y_max): Θ(n⁴ log(n/δ)/λ_0⁴); α enters only through
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

    Leading order (GF): 16n²/μ_0² (8√n B E[1/χ_d]/(α²μ_0) + sqrt(log(1/δ')/2))² plus an
    α-free term from short initial lengths: Θ(n⁴ log(n/δ)/(α⁴μ_0⁴) + n² log(n/δ)/μ_0²)
    (see derivations/convergence.py).  Returns ``mpf`` or ``+inf`` when μ_0 ≤ 0.
    """
    return _threshold("G", method, n, delta, mu_0, alpha, y_max, d, eta, dps, detail)


def step_bound(*, n: int, delta: float, lam_inf=None, lambda_0=None, mu_0=None, alpha: float = 1.0,
               y_max=1.0, d: int | None = None, m=None, regime: str | None = None,
               dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """Explicit GD step bound (T1/T2): η ≤ min{ (3/8)λ^∞/(n² S²), 4α²/λ^∞ }, S = 1 + (4 + 4Δg² M2)/α²
    (3/8 = ``BUDGETS["GD"].second_order``).

    Give ``lambda_0`` (V-dominated: λ^∞ = λ_0/α²), ``mu_0`` (G-dominated: λ^∞ = μ_0) or
    ``lam_inf`` directly.  ``m`` = None gives the large-width limit S = 1 + 4/α²
    (η ≤ 3λ^∞ α⁴/(8 n² (α² + 4)²)); a finite m adds the short-length neurons' term.
    Compare Du et al.'s :func:`step_du` (C1).  Returns 0 when λ^∞ ≤ 0 (A1 violated).
    """
    n, delta, d = check_positive_int(n, "n"), check_delta(delta), dimension(d)
    with mpmath.workdps(check_dps(dps)):
        a = mp(alpha, "alpha")
        if a <= 0:
            raise InputError(f"alpha must be > 0, got {alpha!r}")
        given = [x is not None for x in (lam_inf, lambda_0, mu_0)]
        if sum(given) != 1:
            raise InputError("give exactly one of lam_inf, lambda_0, mu_0")
        if lam_inf is not None:
            li = mp(lam_inf, "lam_inf")
        elif lambda_0 is not None:
            li = mp(lambda_0, "lambda_0") / a**2
        else:
            li = mp(mu_0, "mu_0")
        if li <= 0:
            return mpmath.mpf(0)
        nn = mpmath.mpf(n)
        if m is None:
            S = 1 + 4 / a**2
        else:
            reg = regime or ("V" if lambda_0 is not None else "G")
            de = mpmath.mpf(delta) / len(events(reg, "GD", d))
            B = l3_subgaussian_B(n, y_max, de, dps)
            mm = mp(m, "m")
            dg = l6_radii(n, mm, B, li, a, method="GD", dps=dps)["delta_g"]
            S = 1 + (4 + 4 * dg**2 * gd_short_term(d, dg, mm, de, dps)) / a**2
        return min(_frac(BUDGETS["GD"].second_order) * li / (nn**2 * S**2), 4 * a**2 / li)


# =============================================================================
# C1: Du, Zhai, Póczos & Singh (ICLR 2019), the same chain with explicit constants
# =============================================================================

def c1_events() -> list[str]:
    """Events of the C1 argument: H(0) concentration (Hoeffding + union), the initial
    residual (Markov, as Du et al.), the flip mass Σ_i |S_i^⊥|/m (Markov, Du et al. Lemma 3.2)."""
    return ["L2", "L3 (Markov)", "flips (Markov)"]


def _h_radius(n: int, m, delta, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L2 for Du et al.'s H(0): summands x_iᵀx_j 1{·}1{·} in [−1, 1] (range 2)."""
    return gram_radius(n, m, delta, 2, dps)


def c1_lemma32_radius(*, n: int, delta, lambda_H, method: str = "GF", dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """Du et al.'s Lemma 3.2 radius R with its constant derived (their R = cδλ_0/n²).

    If ||w_r − w_r(0)|| ≤ R for all r, the activation of r on x_i can change only if
    |⟨w_r(0), x_i⟩| ≤ R (L4 flip criterion), so |H_ij(W) − H_ij(0)| ≤ (1/m)Σ_r(1{A_ir} + 1{A_jr})
    and ||H(W) − H(0)||_2 ≤ 2n S with S = Σ_i |S_i^⊥|/m, E S ≤ n p(R), p = the L4 Gaussian
    bound; Markov: S ≤ n p(R)/δ'.  Asking 2n S ≤ stability·λ_H gives
    p(R) = stability·λ_H δ'/(2n²); for GD also 4√n S ≤ linearisation·λ_H (the flips' share
    of a GD step).  p is linear below its cap, so R = p(R)/p(1):
    GF: R = √(2π) δ' λ_H/(16 n²).  ``delta`` is the share δ' of this event.
    """
    n = check_positive_int(n, "n")
    _method(method)
    with mpmath.workdps(check_dps(dps)):
        lh, de = mp(lambda_H, "lambda_H"), mp(delta, "delta")
        if lh <= 0:
            return mpmath.mpf(0)
        b = BUDGETS[method]
        nn = mpmath.mpf(n)
        p = _frac(b.stability) * lh * de / (2 * nn**2)
        if method == "GD":
            p = min(p, _frac(b.linearisation) * lh * de / (4 * nn * mpmath.sqrt(nn)))
        return p / l4_gaussian_prob_bound(1, dps)


def c1_conditions(m, *, n: int, delta: float, lambda_H, y_max=1.0, method: str = "GF",
                  dps: int = DEFAULT_DPS) -> list[dict]:
    """The sufficient conditions on the width for C1, each as {name, claim, lhs, rhs, ok}:
    L2 for H (summands x_iᵀx_j 1 1 in [−1, 1]) and Du et al.'s R′ ≤ R, with
    R′ = √n I_r/√m (Lemma 3.3; I_r = 2B/λ_H for GF, 4B/λ_H for GD: the factor the
    published R′ = √n||y − u(0)||/(√m λ_0) omits) and B² the Markov bound of L3."""
    n, delta = check_positive_int(n, "n"), check_delta(delta)
    _method(method)
    with mpmath.workdps(check_dps(dps)):
        m = mp(m, "m")
        lh = mp(lambda_H, "lambda_H")
        de = mpmath.mpf(delta) / len(c1_events())
        b = BUDGETS[method]
        Bm = mpmath.sqrt(l3_markov_residual_sq(n, n * mp(y_max, "y_max") ** 2, de, dps))
        I_r = l6_residual_integral(Bm, lh / 2, method, dps)
        R = c1_lemma32_radius(n=n, delta=de, lambda_H=lh, method=method, dps=dps)
        conds = [("L2: ||H(0) − H^∞||_2 ≤ λ_H/4", "L2", _h_radius(n, m, de, dps), _frac(b.l2) * lh),
                 ("Lemma 3.3 ≤ Lemma 3.2: R′ = √n I_r/√m ≤ R", "C1", l6_length_radius(n, m, I_r, 1, dps), R)]
        return [{"name": nm, "claim": cl, "lhs": +lhs, "rhs": +rhs, "ok": bool(lhs <= rhs)}
                for nm, cl, lhs, rhs in conds]


def m_du(*, n: int, delta: float, lambda_H, y_max=1.0, method: str = "GF",
         dps: int = DEFAULT_DPS, detail: bool = False):
    """C1 (Du, Zhai, Póczos, Singh 2019) with explicit constants: the smallest m meeting
    :func:`c1_conditions` (both closed forms, m ∝ radius²):
    max{ 16 n²·2 log(2n²/δ')/λ_H², n I_r²/R² } with δ' = δ/3, I_r = 2B/λ_H (GF) or
    4B/λ_H (GD), B² = (n/2 + n y_max²)/δ', R from :func:`c1_lemma32_radius`:
    Θ(n⁶/(λ_H⁴ δ³)) as Du et al. state, now with its constant.  +inf when λ_H ≤ 0.
    """
    n, delta, dps = check_positive_int(n, "n"), check_delta(delta), check_dps(dps)
    _method(method)
    with mpmath.workdps(dps):
        lh = mp(lambda_H, "lambda_H")
        if lh <= 0:
            res = {"m": mpmath.inf, "reason": "λ_H ≤ 0: A1 violated, no width suffices", "per_condition": {}}
            return res if detail else res["m"]
        de = mpmath.mpf(delta) / len(c1_events())
        b = BUDGETS[method]
        Bm = mpmath.sqrt(l3_markov_residual_sq(n, n * mp(y_max, "y_max") ** 2, de, dps))
        I_r = l6_residual_integral(Bm, lh / 2, method, dps)
        R = c1_lemma32_radius(n=n, delta=de, lambda_H=lh, method=method, dps=dps)
        names = [c["name"] for c in c1_conditions(1, n=n, delta=delta, lambda_H=lh, y_max=y_max,
                                                  method=method, dps=dps)]
        per = {names[0]: mpmath.ceil(l2_width(_h_radius, n, de, lh, b.l2, dps)),
               names[1]: mpmath.ceil((l6_length_radius(n, 1, I_r, 1, dps) / R) ** 2)}
        m = max(per.values())
        res = {"m": m, "per_condition": per, "events": c1_events(), "delta_each": de, "R": R,
               "I_r": I_r, "B": Bm, "reason": ""}
        return res if detail else m


def step_du(*, n: int, lambda_H, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """C1 GD step bound with its constant: ||u(s+1) − u(s)|| ≤ η n ||r(s)||, so the second-order
    term ||Δu||²/||r||² ≤ second_order·ηλ_H needs η ≤ (3/8)λ_H/n² (Du et al.'s η = O(λ_0/n²)).
    0 when λ_H ≤ 0."""
    n = check_positive_int(n, "n")
    with mpmath.workdps(check_dps(dps)):
        lh = mp(lambda_H, "lambda_H")
        if lh <= 0:
            return mpmath.mpf(0)
        return _frac(BUDGETS["GD"].second_order) * lh / mpmath.mpf(n) ** 2
