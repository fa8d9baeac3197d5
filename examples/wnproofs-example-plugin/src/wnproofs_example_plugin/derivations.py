"""The derivation of X1 with SymPy: a Gaussian integral in polar coordinates."""

from __future__ import annotations

import numpy as np
import sympy as sp

from wnproofs.symbolic import decide_zero, make_step, numeric_check, symbolic, tex
from wnproofs.kernels import H_inf

from .kernel import arccos0

THETA = sp.Symbol("theta", nonnegative=True)   # the angle between x_i and x_j, in [0, π]
R, PHI = sp.symbols("r phi", nonnegative=True)


def _sampler(rng):
    return {THETA: float(rng.uniform(0, np.pi))}


@symbolic("X1", topic="arccos0", title="Degree-0 arc-cosine kernel (X1)")
def derive_x1(candidate: sp.Expr | None = None):
    """X1: P(⟨w,x_i⟩ ≥ 0, ⟨w,x_j⟩ ≥ 0) = (π − θ)/(2π), and H^∞ = ⟨x_i,x_j⟩ times it (D8).

    ``candidate`` (an expression in ``THETA``) replaces the stated closed form: a wrong one
    must make the derivation fail.
    """
    density = sp.exp(-R**2 / 2) / (2 * sp.pi) * R       # N(0, I_2) in polar coordinates
    radial = sp.integrate(density, (R, 0, sp.oo))
    prob = sp.integrate(radial, (PHI, THETA - sp.pi / 2, sp.pi / 2))
    stated = (sp.pi - THETA) / (2 * sp.pi) if candidate is None else sp.sympify(candidate)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((6, 4))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    cos = np.clip(X @ X.T, -1.0, 1.0)
    agreement = float(np.max(np.abs(cos * arccos0(X) - H_inf(X))))
    return [
        make_step("X1", "Gaussian integral over the common half-planes",
                  r"\mathbb P(\langle w,x_i\rangle\ge0,\langle w,x_j\rangle\ge0)"
                  r"=\int_{\theta-\pi/2}^{\pi/2}\int_0^\infty\frac{r e^{-r^2/2}}{2\pi}\,dr\,d\varphi"
                  r"=\frac{\pi-\theta}{2\pi}",
                  decide_zero(prob - stated, _sampler),
                  "Only the projection of w on the plane of x_i, x_j matters (a standard Gaussian in "
                  "2D); in polar coordinates (x_i at angle 0, x_j at angle theta) both inner products "
                  "are >= 0 exactly for phi in [theta - pi/2, pi/2]; sympy.integrate does both integrals.",
                  displays=[("radial integral", tex(radial)), ("probability", tex(prob))],
                  premises=("the projection of N(0, I_d) on a plane is N(0, I_2)",)),
        make_step("X1", "agreement with the toolkit's H^∞ (D8)",
                  r"H^\infty_{ij}=\langle x_i,x_j\rangle\,\frac{\pi-\theta_{ij}}{2\pi}",
                  decide_zero(sp.cos(THETA) * stated - sp.cos(THETA) * (sp.pi - THETA) / (2 * sp.pi), _sampler),
                  "Multiply by cos(theta) = <x_i, x_j>; compared in float64 with wnproofs.kernels.H_inf.",
                  numeric=[numeric_check("cos(theta) * arccos0 vs wnproofs.kernels.H_inf on 6 points in R^4",
                                         [agreement], 1e-12)]),
    ]
