"""One function per lemma constant of THEORY.md §6-§7 (L2-L6), in mpmath.

Every constant the convergence argument uses lives here once; the width thresholds of
:mod:`wnproofs.bounds.thresholds` are built by calling these functions, never by retyping
them.  Each function's derivation from its premises (``derivations/premises.py``) is in
``derivations/``: ``concentration.py`` (L2), ``probability.py`` (L3, L4), ``stability.py``
(L5, L6); each derivation evaluates its result against the function here at random points,
so a wrong constant in either fails.

Scalar functions take plain numbers (or mpf) and return an ``mpmath.mpf`` at ``dps``
digits.  The L5 functions are generic: they use only + and × and therefore accept numpy
arrays (the L5 check) as well as mpf or SymPy symbols.

Premises used here (stated once, with their sources, in ``derivations/premises.py``):
Hoeffding's inequality for bounded summands, the union bound, ||A||_2 ≤ ||A||_F ≤ n max|A_ij|,
Markov's inequality, the Gaussian and spherical laws of ⟨w, x⟩ and ⟨u, x⟩.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath

from ..errors import check_dps, check_positive_int
from ._common import DEFAULT_DPS, method as _method, mp, nonneg, positive, probability, width

__all__ = [
    "hoeffding_radius",
    "chebyshev_radius",
    "markov_threshold",
    "gram_entry_radius",
    "gram_radius",
    "l2_radius_V",
    "l2_radius_G",
    "L2_SHARE",
    "l2_width",
    "l2_width_V",
    "l2_width_G",
    "E_SIGMA_SQ",
    "l3_expected_residual_sq",
    "l3_markov_residual_sq",
    "l3_subgaussian_tail",
    "l3_subgaussian_radius",
    "l3_subgaussian_B",
    "l4_gaussian_prob_exact",
    "l4_gaussian_prob_bound",
    "l4_sphere_prob_exact",
    "l4_sphere_prob_bound",
    "l4_flip_radius",
    "l5_entry_bound_G",
    "l5_entry_bound_V",
    "l5_spectral_bound",
    "l5_linear_coefficients",
    "l6_residual_integral",
    "l6_gd_sum_factor",
    "l6_length_radius",
    "l6_direction_radius",
    "l6_radii",
]


# =============================================================================
# Premises shared by several lemmas (classical inequalities)
# =============================================================================

def hoeffding_radius(m, delta, width_: float = 1, sides: int = 2, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """Hoeffding (1963, Thm 2): the mean of m independent summands, each in an interval of
    length ``width_``, deviates from its expectation by ≥ t with probability at most
    ``sides``·exp(−2mt²/width²) (sides = 2: |·|; sides = 1: one direction).

    Returns the t at which that bound equals δ: width·sqrt(log(sides/δ)/(2m)).
    Premise of L2 (entrywise concentration) and of the flip / short-neuron fractions of the
    thresholds (T1-T4).  m may be a real ≥ 1 (the threshold solver evaluates real m).
    """
    with mpmath.workdps(check_dps(dps)):
        m, delta, w = width(m), probability(delta), positive(width_, "width")
        if sides not in (1, 2):
            raise ValueError(f"sides must be 1 or 2, got {sides!r}")
        return w * mpmath.sqrt(mpmath.log(sides / delta) / (2 * m))


def chebyshev_radius(variance, m, delta, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """Chebyshev: the mean of m i.i.d. summands of variance ≤ ``variance`` deviates from its
    expectation by more than sqrt(variance/(mδ)) with probability ≤ δ (T1-T4 thresholds)."""
    with mpmath.workdps(check_dps(dps)):
        return mpmath.sqrt(nonneg(variance, "variance") / (width(m) * probability(delta)))


def markov_threshold(expectation, delta, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """Markov: a nonnegative X exceeds E[X]/δ with probability ≤ δ (L3, C1)."""
    with mpmath.workdps(check_dps(dps)):
        return nonneg(expectation, "expectation") / probability(delta)


# =============================================================================
# L2: concentration of the Gram matrices at initialization
# =============================================================================

def gram_entry_radius(n: int, m, delta, summand_range, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L2: every entry of an n × n Gram matrix (1/m)Σ_k (summand in an interval of length
    ``summand_range``) lies within this radius of its expectation, simultaneously for all n²
    entries, w.p. ≥ 1 − δ: Hoeffding (two-sided) at δ/n² each (union bound)."""
    n = check_positive_int(n, "n")
    with mpmath.workdps(check_dps(dps)):
        return hoeffding_radius(m, probability(delta) / mpmath.mpf(n) ** 2, summand_range, 2, dps)


def gram_radius(n: int, m, delta, summand_range, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L2: ||M(0) − M^∞||_2 ≤ ||M(0) − M^∞||_F ≤ n · (entry radius) w.p. ≥ 1 − δ."""
    with mpmath.workdps(check_dps(dps)):
        return check_positive_int(n, "n") * gram_entry_radius(n, m, delta, summand_range, dps)


def l2_radius_V(n: int, m, delta: float, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L2: n·sqrt(2 log(2n²/δ)/m), a bound on ||V(0) − V^∞||_F w.p. ≥ 1 − δ (summands in [−1, 1])."""
    return gram_radius(n, m, delta, 2, dps)


def l2_radius_G(n: int, m, delta: float, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L2: n·sqrt(log(2n²/δ)/(2m)), a bound on ||G(0) − G^∞||_F w.p. ≥ 1 − δ (summands in [0, 1])."""
    return gram_radius(n, m, delta, 1, dps)


#: L2 corollary: the radius is asked to be at most L2_SHARE·λ, so λ_min(M(0)) ≥ (1 − L2_SHARE)λ
#: (Weyl) = 3λ/4.  The thresholds of T1-T4 and C1 spend the same share.
L2_SHARE = Fraction(1, 4)


def l2_width(radius, n: int, delta, lam, share=L2_SHARE, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L2 corollary: the smallest m with radius(n, m, δ) ≤ share·λ, for a radius ∝ m^(−1/2):
    m = (radius(n, 1, δ)/(share·λ))².  +inf when λ ≤ 0 (A1 fails, L1: no width suffices)."""
    with mpmath.workdps(check_dps(dps)):
        lam = mp(lam, "lambda")
        if lam <= 0:
            return mpmath.inf
        return (radius(n, 1, delta, dps) / (mpmath.mpf(share.numerator) / share.denominator * lam)) ** 2


def l2_width_V(n: int, delta: float, lambda_0, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L2 corollary: m ≥ 32 n² log(2n²/δ)/λ_0² makes l2_radius_V ≤ λ_0/4 (so λ_min(V(0)) ≥ 3λ_0/4).

    Returns +inf when λ_0 ≤ 0 (A1 fails: no width suffices).
    """
    return l2_width(l2_radius_V, n, delta, lambda_0, L2_SHARE, dps)


def l2_width_G(n: int, delta: float, mu_0, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L2 corollary: m ≥ 8 n² log(2n²/δ)/μ_0² makes l2_radius_G ≤ μ_0/4. +inf when μ_0 ≤ 0."""
    return l2_width(l2_radius_G, n, delta, mu_0, L2_SHARE, dps)


# =============================================================================
# L3: the initial residual
# =============================================================================

#: L3: E σ(⟨w, x⟩)² = E σ(Z)² = 1/2 for Z ~ N(0, 1) (||x|| = 1).
E_SIGMA_SQ = Fraction(1, 2)


def l3_expected_residual_sq(n: int, y_norm_sq, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L3: E||f(0) − y||² = n E σ(Z)² + ||y||² = n/2 + ||y||²."""
    n = check_positive_int(n, "n")
    with mpmath.workdps(check_dps(dps)):
        e2 = mpmath.mpf(E_SIGMA_SQ.numerator) / E_SIGMA_SQ.denominator
        return n * e2 + nonneg(y_norm_sq, "||y||^2")


def l3_markov_residual_sq(n: int, y_norm_sq, delta: float, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L3 (Markov, Du et al.): ||f(0) − y||² ≤ (n/2 + ||y||²)/δ w.p. ≥ 1 − δ."""
    return markov_threshold(l3_expected_residual_sq(n, y_norm_sq, dps), delta, dps)


def l3_subgaussian_tail(s, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L3: P(|f(x)(0)| > s) ≤ 2 exp(−s²/2) (f(x)(0) is 1-sub-Gaussian: E e^{λ c σ(Z)} ≤ e^{λ²/2})."""
    with mpmath.workdps(check_dps(dps)):
        s = nonneg(s, "s")
        return 2 * mpmath.exp(-s**2 / 2)


def l3_subgaussian_radius(n: int, delta, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L3: the s with n · l3_subgaussian_tail(s) = δ (union bound over the n samples):
    max_i |f(x_i)(0)| ≤ s = sqrt(2 log(2n/δ)) w.p. ≥ 1 − δ."""
    n = check_positive_int(n, "n")
    with mpmath.workdps(check_dps(dps)):
        return mpmath.sqrt(2 * mpmath.log(2 * mpmath.mpf(n) / probability(delta)))


def l3_subgaussian_B(n: int, y_max, delta: float, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L3 (sub-Gaussian): ||f(0) − y|| ≤ √n max_i |f(x_i)(0) − y_i| ≤ B = √n (sqrt(2 log(2n/δ)) + max_i |y_i|)
    w.p. ≥ 1 − δ."""
    n = check_positive_int(n, "n")
    with mpmath.workdps(check_dps(dps)):
        return mpmath.sqrt(n) * (l3_subgaussian_radius(n, delta, dps) + abs(mp(y_max, "max|y|")))


# =============================================================================
# L4: anti-concentration and activation flips
# =============================================================================

def l4_gaussian_prob_exact(R, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L4: P(|⟨w, x⟩| ≤ R) = erf(R/√2) for w ~ N(0, I), ||x|| = 1 (exact)."""
    with mpmath.workdps(check_dps(dps)):
        return mpmath.erf(nonneg(R, "R") / mpmath.sqrt(2))


def l4_gaussian_prob_bound(R, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L4: P(|⟨w, x⟩| ≤ R) ≤ 2R/√(2π) for w ~ N(0, I), ||x|| = 1 (capped at 1)."""
    with mpmath.workdps(check_dps(dps)):
        R = nonneg(R, "R")
        return min(mpmath.mpf(1), 2 * R / mpmath.sqrt(2 * mpmath.pi))


def l4_sphere_prob_exact(r, d: int, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L4: P(|⟨u, x⟩| ≤ r) = I_{r²}(1/2, (d−1)/2) for u uniform on S^{d−1} (exact)."""
    d = check_positive_int(d, "d", 2)
    with mpmath.workdps(check_dps(dps)):
        r = nonneg(r, "r")
        if r >= 1:
            return mpmath.mpf(1)
        return mpmath.betainc(mpmath.mpf(1) / 2, mpmath.mpf(d - 1) / 2, 0, r**2, regularized=True)


def l4_sphere_prob_bound(r, d: int, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L4: the simple bound r·sqrt(2d/π) for d ≥ 3, and the exact (2/π) arcsin r for d = 2."""
    d = check_positive_int(d, "d", 2)
    with mpmath.workdps(check_dps(dps)):
        r = nonneg(r, "r")
        if d == 2:
            return (2 / mpmath.pi) * mpmath.asin(min(r, mpmath.mpf(1)))
        return min(mpmath.mpf(1), r * mpmath.sqrt(2 * mpmath.mpf(d) / mpmath.pi))


def l4_flip_radius(dv_norm, alpha):
    """L4 (flip criterion): the activation of neuron k on x can differ between v_k(0) and
    v_k(t) only if |⟨w_k(0), x⟩| ≤ ||v_k(t) − v_k(0)||/α (w_k(0) = v_k(0)/α).

    Generic in its arguments (numpy arrays in the L4 check, mpf in the thresholds).
    """
    return dv_norm / alpha


# =============================================================================
# L5: Gram stability (deterministic given the movement)
# =============================================================================

def l5_entry_bound_G(r):
    """L5: one neuron's contribution to |G_ij(t) − G_ij(0)| is at most 2 r_k
    (σ is 1-Lipschitz and |σ(⟨u, x⟩)| ≤ 1 on unit vectors; r_k = ||u_k(t) − u_k(0)||).
    Average over k for the entry bound (2/m) Σ_k r_k.  Generic (arrays or numbers)."""
    return 2 * r


def l5_entry_bound_V(r, rho, f_i, f_j):
    """L5: one neuron's contribution to |V_ij(t) − V_ij(0)| is at most
    (2ρ_k + ρ_k²) + (1 + ρ_k)² (2 r_k + F_ik + F_jk)
    (ρ_k ≥ |s_k(t) − 1|, F_ik = 1 iff the activation on x_i flipped).  Generic."""
    return (2 * rho + rho**2) + (1 + rho) ** 2 * (2 * r + f_i + f_j)


def l5_spectral_bound(n: int, entry_bound):
    """L5: ||A||_2 ≤ ||A||_F ≤ n max_ij |A_ij| for an n × n matrix: n × (entry bound).
    (For G: ||G(t) − G(0)||_2 ≤ 2n · mean_k r_k.)  Generic."""
    return n * entry_bound


def l5_linear_coefficients(rho_max):
    """L5 linearised for ρ_k ≤ ρ_max: the entry bound of :func:`l5_entry_bound_V` is at most
    a_ρ ρ + a_r r + a_F (F_i + F_j) with (a_ρ, a_r, a_F) returned here, computed by calling
    :func:`l5_entry_bound_V` (ρ ↦ (2ρ + ρ²)/ρ is increasing and (1 + ρ)² too):
    a_ρ = bound(0, ρ_max, 0, 0)/ρ_max = 2 + ρ_max, a_r = bound(1, ρ_max, 0, 0) − bound(0, ρ_max, 0, 0),
    a_F = bound(0, ρ_max, 1, 0) − bound(0, ρ_max, 0, 0).  ρ_max = 1 gives (3, 8, 4)."""
    base = l5_entry_bound_V(0, rho_max, 0, 0)
    return (base / rho_max, l5_entry_bound_V(1, rho_max, 0, 0) - base,
            l5_entry_bound_V(0, rho_max, 1, 0) - base)


# =============================================================================
# L6: how far the parameters move
# =============================================================================

def l6_residual_integral(B, kappa, method: str = "GF", dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L6: the integrated residual under ||r(s)|| ≤ e^{−κs} B.

    GF: ∫_0^∞ e^{−κs} B ds = B/κ.  GD (||r(s)||² ≤ (1 − ηκ)^s B², ηκ ≤ 1):
    Σ_s η||r(s)|| ≤ ηB/(1 − sqrt(1 − ηκ)) ≤ 2B/κ (since 1 − sqrt(1 − x) ≥ x/2).
    With κ = λ^∞/2 (the rate the theorems prove for ||r||): 2B/λ^∞ (GF) and 4B/λ^∞ (GD), the
    factors that Du et al.'s R′ needs (C1).  +inf when κ ≤ 0.
    """
    _method(method)
    with mpmath.workdps(check_dps(dps)):
        B, kappa = nonneg(B, "B"), mp(kappa, "kappa")
        if kappa <= 0:
            return mpmath.inf
        return (1 if method == "GF" else 2) * B / kappa


def l6_gd_sum_factor(kappa, eta, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L6 for GD with a measured per-step envelope ||r(s)|| ≤ e^{−κηs} B:
    Σ_{s<S} η e^{−κηs} ≤ η/(1 − e^{−κη}) (between 1/κ and (1 + κη)/κ; → 1/κ as η → 0)."""
    with mpmath.workdps(check_dps(dps)):
        kappa, eta = positive(kappa, "kappa"), positive(eta, "eta")
        return eta / -mpmath.expm1(-kappa * eta)


def l6_length_radius(n: int, m, integral, eta_g=1, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L6: |g_k(t) − g_k(0)| ≤ η_g √n ∫||r|| /√m (|∂L/∂g_k| ≤ √n ||r||/√m since |σ(⟨u, x⟩)| ≤ 1)."""
    n = check_positive_int(n, "n")
    with mpmath.workdps(check_dps(dps)):
        return positive(eta_g, "eta_g") * mpmath.sqrt(n) * nonneg(integral, "integral") / mpmath.sqrt(width(m))


def l6_direction_radius(n: int, m, integral, g_ratio, eta_v=1, dps: int = DEFAULT_DPS) -> mpmath.mpf:
    """L6: ||v_k(t) − v_k(0)|| ≤ η_v max_s(g_k(s)/||v_k(0)||) √n ∫||r|| /√m
    (||∇_{v_k} L|| ≤ (g_k/||v_k||) √n ||r||/√m and ||v_k(s)|| ≥ ||v_k(0)||, D3).
    ``g_ratio`` = max_s g_k(s)/||v_k(0)||."""
    with mpmath.workdps(check_dps(dps)):
        return nonneg(g_ratio, "g_ratio") * l6_length_radius(n, m, integral, eta_v, dps)


def l6_radii(n: int, m, B, lam_inf, alpha, *, method: str = "GF",
             dps: int = DEFAULT_DPS) -> dict:
    """L6 radii under the decay hypothesis ||r(s)|| ≤ e^{−λ^∞ s/2} B (GF) or
    ||r(s)||² ≤ (1 − ηλ^∞/2)^s B² (GD), with λ^∞ the target rate (λ_0/α² or μ_0).

    Returns a dict of mpf:

    * ``I_r``: the time integral ∫||r|| ≤ 2B/λ^∞ (GF), Σ_s η||r(s)|| ≤ 4B/λ^∞ (GD)
      (:func:`l6_residual_integral` with κ = λ^∞/2);
    * ``delta_g`` = Δg = √n I_r/√m: |g_k(t) − g_k(0)| ≤ Δg for every k (:func:`l6_length_radius`);
    * ``R0`` = Δg/α²: the direction moves by r_k ≤ R0 (1 + Δg/g_k(0))/g_k(0)
      (:func:`l6_direction_radius` with g_ratio = (g_k(0) + Δg)/(α g_k(0)), divided by
      ||v_k(0)|| = α g_k(0)) and the activation on x_i can flip only if
      |⟨w_k(0), x_i⟩| ≤ R0 (1 + Δg/g_k(0)) (:func:`l4_flip_radius`).
    """
    _method(method)
    with mpmath.workdps(check_dps(dps)):
        a = positive(alpha, "alpha")
        lam = mp(lam_inf, "lam_inf")
        if lam <= 0:
            return {"I_r": mpmath.inf, "delta_g": mpmath.inf, "R0": mpmath.inf}
        I_r = l6_residual_integral(B, lam / 2, method, dps)
        dg = l6_length_radius(n, m, I_r, 1, dps)
        return {"I_r": I_r, "delta_g": dg, "R0": dg / a**2}
