"""Symbolic derivations of the infinite-width kernels: claims D6, D7, D8 (THEORY.md §4).

Reduction to the plane of x_i, x_j: by rotational invariance take x_i = e_1 and
x_j = cos θ e_1 + sin θ e_2.  The projection of u ~ Unif(S^{d−1}) onto that plane is
ρ (cos φ, sin φ) with φ uniform on [−π, π), independent of ρ, and E ρ² = 2/d.  For θ in
(0, π) both neurons are active exactly on the arc φ ∈ [θ − π/2, π/2], so every entry is an
angular integral over explicit bounds, done by ``sympy.integrate``.  The derived closed
forms are compared symbolically with the stated ones (or a planted ``candidate=``), at 50
digits where SymPy is undecided, with 50-digit ``mpmath.quad`` of the defining integrals,
and, lambdified, with ``kernels.G_inf``, ``V_inf``, ``H_inf`` and ``Lambda_inf``.
"""

from __future__ import annotations

from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from wnproofs.symbolic import (NUMERIC_DPS, NumericCheck, Step, decide_zero, make_step, numeric_check, symbolic,
                             tex)
from wnproofs.angles import pairwise_angles
from wnproofs.kernels import G_inf, H_inf, Lambda_inf, V_inf, sympy_form

TOPIC = "limits"
TITLE = "Infinite-width kernels: arc-cosine closed forms and the NTK split (D6-D8)"

THETA = sp.Symbol("theta", positive=True)   # the angle θ_ij, in (0, π)
DIM = sp.Symbol("d", positive=True, integer=True)
PHI = sp.Symbol("phi", real=True)
RHO = sp.Symbol("r", positive=True)
ETA = sp.Symbol("eta", positive=True)

#: The closed forms as the kernels layer states them (its SymPy form, not retyped here):
#: the derivation derives them independently and compares.
G_STATED = sympy_form("G", THETA, DIM)
H_STATED = sympy_form("H", THETA, DIM)
V_STATED = sympy_form("V", THETA, DIM)


def _sampler(rng: np.random.Generator) -> dict:
    return {THETA: float(rng.uniform(0.05, np.pi - 0.05)), DIM: int(rng.integers(2, 12)),
            ETA: float(rng.uniform(0.1, 3))}


@lru_cache(maxsize=1)
def arc() -> tuple[sp.Expr, sp.Expr]:
    """Bounds of the active arc {φ : cos φ ≥ 0, cos(φ − θ) ≥ 0} for θ in (0, π)."""
    return (sp.Max(-sp.pi / 2, THETA - sp.pi / 2), sp.Min(sp.pi / 2, THETA + sp.pi / 2))


@lru_cache(maxsize=1)
def angular_integrals() -> tuple[sp.Expr, sp.Expr]:
    """(1/2π)∫_arc cos φ cos(φ − θ) dφ and (1/2π)∫_arc dφ, by sympy.integrate."""
    lo, hi = arc()
    prod = sp.integrate(sp.cos(PHI) * sp.cos(PHI - THETA), (PHI, lo, hi)) / (2 * sp.pi)
    both = sp.integrate(sp.Integer(1), (PHI, lo, hi)) / (2 * sp.pi)
    return sp.simplify(prod), sp.simplify(both)


@lru_cache(maxsize=1)
def second_moment_radius() -> sp.Expr:
    """E ρ² for ρ² = u_1² + u_2² ~ Beta(1, b), b = (d − 2)/2, by sympy.integrate."""
    t, b = sp.Symbol("t", positive=True), sp.Symbol("b", positive=True)
    num = sp.integrate(t * (1 - t) ** (b - 1), (t, 0, 1))
    den = sp.integrate((1 - t) ** (b - 1), (t, 0, 1))
    return sp.simplify(sp.simplify(num / den).subs(b, (DIM - 2) / 2))


@lru_cache(maxsize=1)
def derived_kernels() -> dict[str, sp.Expr]:
    """G^∞, V^∞, H^∞ as derived here (not as stated)."""
    prod, both = angular_integrals()
    Erho2 = second_moment_radius()
    G = sp.simplify(Erho2 * prod)
    H = sp.simplify(sp.cos(THETA) * both)
    V = sp.simplify(sp.cos(THETA) * both - Erho2 * prod)
    return {"G": G, "V": V, "H": H, "prod": prod, "both": both, "Erho2": Erho2}


def _quad_check(expr: sp.Expr, integrand, label: str, thetas=(0.3, 1.1, 2.0, 2.9)):
    """50-digit ``mpmath.quad`` of (1/2π)∫_arc integrand(φ, θ) dφ against ``expr`` (a function of θ)."""
    f = sp.lambdify(THETA, expr, "mpmath")
    errs = []
    with mpmath.workdps(NUMERIC_DPS):
        for th in thetas:
            th = mpmath.mpf(th)
            q = mpmath.quad(lambda p: integrand(p, th), [th - mpmath.pi / 2, mpmath.pi / 2]) / (2 * mpmath.pi)
            errs.append(abs(q - f(th)))
    return NumericCheck(f"{label} vs mpmath.quad at theta = {', '.join(map(str, thetas))}",
                        float(max(errs)), 1e-40, len(errs), NUMERIC_DPS)


def _unit_data(seed: int, n: int, d: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    X[-1] = -X[0]  # include an antipodal pair (θ = π) on purpose
    return X


def _compare_kernel(expr: sp.Expr, diag: sp.Expr, impl, label: str, trials: int = 4):
    """Lambdified derived kernel (θ, d) vs the wnproofs implementation, float64."""
    f = sp.lambdify((THETA, DIM), expr, "numpy")
    fd = sp.lambdify(DIM, diag, "numpy")
    errs = []
    for t in range(trials):
        d = (2, 3, 5, 9)[t % 4]
        X = _unit_data(900 + t, 6, d)
        th = pairwise_angles(X)  # accurate at both ends (THEORY.md §8a), unlike arccos
        K = np.array(f(th, d), dtype=float)
        np.fill_diagonal(K, float(fd(d)))
        errs.append(float(np.max(np.abs(K - impl(X)))))
    return numeric_check(f"lambdified derived {label} vs wnproofs.kernels ({trials} data sets, d in 2,3,5,9)",
                         errs, 1e-12)


def _steps_common(claim: str) -> list[Step]:
    lo, hi = arc()
    Erho2 = second_moment_radius()
    return [
        make_step(claim, "active arc",
                  r"0<\theta<\pi:\ \{\varphi:\cos\varphi\ge0,\ \cos(\varphi-\theta)\ge0\}"
                  r"=[\max(-\tfrac\pi2,\theta-\tfrac\pi2),\ \min(\tfrac\pi2,\theta+\tfrac\pi2)]"
                  r"=[\theta-\tfrac\pi2,\ \tfrac\pi2]",
                  decide_zero([lo - (THETA - sp.pi / 2), hi - sp.pi / 2], _sampler),
                  "Intersection of the two half circles of length pi; SymPy evaluates Max/Min using theta > 0 "
                  "(the upper end theta < pi is needed for the arc to be nonempty)."),
        make_step(claim, "radius of the planar projection",
                  r"\rho^2=u_1^2+u_2^2\sim\mathrm{Beta}\big(1,\tfrac{d-2}{2}\big):\quad \mathbb E\rho^2=\frac{2}{d}",
                  decide_zero(Erho2 - 2 / DIM, _sampler),
                  "E rho^2 = int t (1-t)^(b-1) dt / int (1-t)^(b-1) dt over [0, 1] by sympy.integrate, with "
                  "b = (d-2)/2 substituted (d = 2: rho = 1, same value). Equivalently E u_i^2 = 1/d by symmetry "
                  "since sum_i u_i^2 = 1.",
                  displays=[(r"$\mathbb E\rho^2$", tex(Erho2))],
                  premises=("(u_1^2, ..., u_d^2) ~ Dirichlet(1/2, ..., 1/2) for u uniform on the sphere, so "
                            "u_1^2 + u_2^2 ~ Beta(1, (d-2)/2); the angle phi of (u_1, u_2) is uniform and "
                            "independent of rho (rotations of the plane)",)),
    ]


@symbolic("D6", topic=TOPIC, title=TITLE)
def derive_d6(candidate: sp.Expr | None = None) -> list[Step]:
    """D6: G^∞_ij = (sin θ + (π − θ) cos θ)/(2π d) by angular integration, and again through
    the degree-1 arc-cosine kernel of w ~ N(0, I) divided by E||w||² = d; diagonal 1/(2d).

    ``candidate`` (an expression in ``THETA`` and ``DIM``) replaces the stated closed form.
    """
    cand = G_STATED if candidate is None else sp.sympify(candidate)
    k = derived_kernels()
    steps = _steps_common("D6")
    steps.append(make_step(
        "D6", "angular integral",
        r"G^\infty_{ij}=\mathbb E\rho^2\cdot\frac{1}{2\pi}\int_{\theta-\pi/2}^{\pi/2}\cos\varphi\cos(\varphi-\theta)"
        r"\,d\varphi=\frac{\sin\theta+(\pi-\theta)\cos\theta}{2\pi d}",
        decide_zero(k["G"] - cand, _sampler),
        "sigma(<u,x_i>) sigma(<u,x_j>) = rho^2 cos(phi) cos(phi - theta) on the arc and 0 off it; "
        "sympy.integrate over the explicit arc, times E rho^2 = 2/d (independence of rho and phi).",
        displays=[("derived", tex(k["G"]))],
        numeric=[_quad_check(k["prod"], lambda p, th: mpmath.cos(p) * mpmath.cos(p - th),
                             "sympy.integrate of cos(phi)cos(phi-theta)"),
                 _compare_kernel(k["G"], 1 / (2 * DIM), G_inf, "G")]))
    # Cho & Saul route: E_w[σσ] = (1/2π)∫_0^∞ r³ e^{−r²/2} dr · ∫_arc cos cos dφ, E||w||² = d
    z = sp.Symbol("z", real=True)
    radial = sp.integrate(RHO**3 * sp.exp(-RHO**2 / 2), (RHO, 0, sp.oo))
    second = DIM * sp.integrate(z**2 * sp.exp(-z**2 / 2), (z, -sp.oo, sp.oo)) / sp.sqrt(2 * sp.pi)
    k1 = sp.simplify(radial * k["prod"])
    steps.append(make_step(
        "D6", "via the arc-cosine kernel (Cho and Saul)",
        r"k_1(\theta)=\mathbb E_w[\sigma(\langle w,x_i\rangle)\sigma(\langle w,x_j\rangle)]"
        r"=\frac{1}{2\pi}\int_0^\infty r^3e^{-r^2/2}dr\int_{\theta-\pi/2}^{\pi/2}\cos\varphi\cos(\varphi-\theta)d\varphi,"
        r"\quad G^\infty=\frac{k_1(\theta)}{\mathbb E\|w\|^2}=\frac{k_1(\theta)}{d}",
        decide_zero([k1 - DIM * G_STATED,
                     k1 / second - cand,
                     2 * k1 - 2 * DIM * G_STATED], _sampler),
        "Polar coordinates in the plane of x_i, x_j for the Gaussian w (radial integral by sympy.integrate = 2), "
        "E||w||^2 = d * int z^2 phi(z) dz = d; radius and direction of w independent, so "
        "E_w[sigma sigma] = E||w||^2 * E_u[sigma sigma]. Normalisation: Cho and Saul (2009) define their "
        "degree-1 kernel with a factor 2, k_1^CS = 2 E_w[sigma sigma] = J_1(theta)/pi, so G^inf = k_1^CS/(2d), "
        "not k_1^CS/d (at theta = 0: k_1^CS = 1 while G^inf_ii = 1/(2d)).",
        displays=[(r"$k_1(\theta)$", tex(k1)), (r"$\mathbb E\|w\|^2$", tex(second))]))
    steps.append(make_step(
        "D6", "diagonal",
        r"G^\infty_{ii}=\lim_{\theta\to0^+}G^\infty=\frac{1}{2d}=\tfrac12\,\mathbb E\langle u,x\rangle^2,\qquad "
        r"G^\infty\big|_{\theta=\pi}=0",
        decide_zero([sp.limit(cand, THETA, 0, "+") - 1 / (2 * DIM), k["Erho2"] / 4 - 1 / (2 * DIM),
                     sp.limit(cand, THETA, sp.pi, "-")], _sampler),
        "Limits of the closed form at the ends; directly, sigma(t)^2 = t^2 on half of the sphere by symmetry "
        "and E<u,x>^2 = (E rho^2)/2 = 1/d."))
    return steps


@symbolic("D7", topic=TOPIC, title=TITLE)
def derive_d7(candidate: sp.Expr | None = None) -> list[Step]:
    """D7: V^∞_ij = cos θ (π − θ)/(2π) − G^∞_ij from ⟨P_u x_i, P_u x_j⟩ = ⟨x_i,x_j⟩ − ⟨u,x_i⟩⟨u,x_j⟩;
    diagonal (d − 1)/(2d).  ``candidate`` replaces the stated closed form."""
    cand = V_STATED if candidate is None else sp.sympify(candidate)
    k = derived_kernels()
    u = sp.Matrix(sp.symbols("u1:4", real=True))
    xi = sp.Matrix(sp.symbols("xi1:4", real=True))
    xj = sp.Matrix(sp.symbols("xj1:4", real=True))
    P = sp.eye(3) - u * u.T
    # exact for every u: the defect is (||u||² − 1)⟨u,x_i⟩⟨u,x_j⟩, which vanishes on the sphere
    proj_ident = ((P * xi).dot(P * xj) - (xi.dot(xj) - u.dot(xi) * u.dot(xj))
                  - (u.dot(u) - 1) * u.dot(xi) * u.dot(xj))
    steps = _steps_common("D7")
    steps += [
        make_step("D7", "projected inner product",
                  r"\|u\|=1:\ \langle P_u x_i,P_u x_j\rangle=\langle x_i,x_j\rangle-\langle u,x_i\rangle\langle u,x_j\rangle",
                  decide_zero(sp.expand(proj_ident), None),
                  "P_u = I - u u' in coordinates (d = 3): for every u the difference of the two sides is "
                  "(||u||^2 - 1)<u,x_i><u,x_j> (expanded to 0), which vanishes for ||u|| = 1."),
        make_step("D7", "angular integral",
                  r"V^\infty_{ij}=\cos\theta\,\frac{1}{2\pi}\int_{\theta-\pi/2}^{\pi/2}d\varphi-G^\infty_{ij}"
                  r"=\frac{\cos\theta(\pi-\theta)}{2\pi}-\frac{\sin\theta+(\pi-\theta)\cos\theta}{2\pi d}",
                  decide_zero(k["V"] - cand, _sampler),
                  "P(both active) depends only on phi: sympy.integrate of 1 over the arc gives (pi - theta)/(2 pi); "
                  "the second term is the integral of D6.",
                  displays=[("derived", tex(k["V"]))],
                  numeric=[_quad_check(k["both"], lambda p, th: mpmath.mpf(1), "sympy.integrate of 1"),
                           _compare_kernel(k["V"], (DIM - 1) / (2 * DIM), V_inf, "V")]),
        make_step("D7", "diagonal",
                  r"V^\infty_{ii}=\lim_{\theta\to0^+}V^\infty=\frac12-\frac1{2d}=\frac{d-1}{2d}",
                  decide_zero(sp.limit(cand, THETA, 0, "+") - (DIM - 1) / (2 * DIM), _sampler),
                  "Limit of the closed form at theta = 0."),
    ]
    return steps


@symbolic("D8", topic=TOPIC, title=TITLE)
def derive_d8(candidate: sp.Expr | None = None) -> list[Step]:
    """D8: H^∞ = cos θ (π − θ)/(2π) for w ~ N(0, I) and H^∞ = V^∞ + G^∞ as an identity in θ;
    at α = 1, η_v = η_g, Λ^∞ = η H^∞.  ``candidate`` replaces the stated H^∞."""
    cand = H_STATED if candidate is None else sp.sympify(candidate)
    k = derived_kernels()
    lam = (ETA / 1**2) * k["V"] + ETA * k["G"]
    errs = []
    for t in range(3):
        X = _unit_data(950 + t, 6, (2, 4, 7)[t])
        errs.append(float(np.max(np.abs(Lambda_inf(X, 1.0, 1.0, 1.0) - H_inf(X)))))
    return [
        make_step("D8", "NTK of the un-normalized network",
                  r"H^\infty_{ij}=\langle x_i,x_j\rangle\,\mathbb P_w(\langle w,x_i\rangle\ge0,\langle w,x_j\rangle\ge0)"
                  r"=\cos\theta\,\frac{1}{2\pi}\int_{\theta-\pi/2}^{\pi/2}d\varphi=\frac{\cos\theta(\pi-\theta)}{2\pi}",
                  decide_zero(k["H"] - cand, _sampler),
                  "The activation of w depends only on its direction, uniform on the sphere; same arc integral.",
                  displays=[("derived", tex(k["H"]))],
                  numeric=[_compare_kernel(k["H"], sp.Rational(1, 2) + 0 * DIM, H_inf, "H")]),
        make_step("D8", "length-direction split",
                  r"H^\infty(\theta)=V^\infty(\theta)+G^\infty(\theta)\quad(0<\theta<\pi),\qquad "
                  r"H^\infty_{ii}=\tfrac12=\tfrac{d-1}{2d}+\tfrac1{2d}",
                  decide_zero([k["H"] - k["V"] - k["G"], cand - V_STATED - G_STATED,
                               sp.limit(cand, THETA, 0, "+") - sp.Rational(1, 2)], _sampler),
                  "Identity in theta between the derived kernels, and between the stated closed forms; diagonal "
                  "by the limit theta -> 0."),
        make_step("D8", "WN limit kernel at alpha = 1",
                  r"\alpha=1,\ \eta_v=\eta_g=\eta:\quad \Lambda^\infty=\frac{\eta}{\alpha^2}V^\infty+\eta G^\infty=\eta H^\infty",
                  decide_zero(lam - ETA * k["H"], _sampler),
                  "Substitution in the derived kernels.",
                  numeric=[numeric_check("kernels.Lambda_inf(alpha = 1, eta = 1) vs kernels.H_inf on 3 data sets",
                                         errs, 1e-12)]),
    ]
