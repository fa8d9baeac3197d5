"""D8: Length–direction split of the NTK.

Statement: H^∞ = V^∞ + G^∞ with H^∞_ij = cos θ_ij (π − θ_ij)/(2π); at α = 1, η_v = η_g: Λ^∞ = H^∞.

Kind of claim: identity.

Reference: Dukler, Gu & Montúfar, ICML 2020; THEORY.md §4; the project's own statement is docs/theory.md, section D8.

Hypotheses: ||x_i|| = 1.

Checks: ``monte_carlo``, ``quadrature``.

Parameters: :class:`Params`.

What "holds" means: the observed error is at most the tolerance (margin = tolerance ÷ error).

Independent routes only: the library forms V^∞ as H^∞ − G^∞, so comparing H^∞ with V^∞ + G^∞
(or Λ^∞(α = 1) with H^∞) in the library's own arithmetic would be a tautology.  Instead H^∞'s
closed form and Λ^∞(α = 1) are compared with H^∞'s defining Gaussian expectation
E_w[⟨x_i, x_j⟩ 1{⟨w,x_i⟩ ≥ 0} 1{⟨w,x_j⟩ ≥ 0}], by Monte Carlo (Hoeffding band) and by 30-digit
angular quadrature, and the split with V^∞ + G^∞ computed from their own defining integrals.
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import numpy as np

from wnproofs.kernels import H_inf, Lambda_inf
from wnproofs.outcomes import Level
from wnproofs.plugin import Instance, check
from wnproofs.stats import tightest

from ._limits import _angular, _band, _mc_result, _quad_check
from ._params import CheckParams


@dataclass(frozen=True)
class Params(CheckParams):
    """Parameters of the D8 checks (defaults in brackets).

    mc_samples : Monte Carlo draws of w [quick 200000; full 2000000].
    quad_pairs : pairs (i, j) integrated by quadrature [quick 12; full 10000].
    """

    mc_samples: int | None = None
    quad_pairs: int | None = None

    MODE_DEFAULTS = {"quick": {"mc_samples": 200_000, "quad_pairs": 12},
                     "full": {"mc_samples": 2_000_000, "quad_pairs": 10_000}}


@check("D8", level=Level.NUMERIC)
def monte_carlo(inst: Instance):
    """H^∞ = E_w[⟨x_i,x_j⟩ 1 1] over w ~ N(0, I) by Monte Carlo (Hoeffding band, summands in [−1, 1])."""
    p = Params.from_instance(inst)
    N = p.mc_samples
    X = inst.data.X
    rng = inst.rng(1)
    K = X @ X.T
    AA = np.zeros_like(K)
    done = 0
    while done < N:
        b = min(20_000, N - done)
        A = (X @ rng.standard_normal((X.shape[1], b)) >= 0).astype(float)
        AA += A @ A.T
        done += b
    H_mc = K * AA / N
    return _mc_result("D8", H_mc, H_inf(inst.data), _band(inst.data.n, N, 2.0), N)


def _h_integrand(th, d):
    """E_w[⟨x_i, x_j⟩ 1 1] = cos θ · (1/2π)∫ 1{cos φ ≥ 0} 1{cos(φ − θ) ≥ 0} dφ (the indicators
    see only the angle of w's projection on the plane of x_i, x_j, which is uniform)."""
    return mpmath.cos(th) * _angular(th, lambda a, b: 1)


def _v_plus_g_integrand(th, d):
    """V^∞ + G^∞ from their own defining integrals (D7 and D6), summed after integration."""
    v = mpmath.cos(th) * _angular(th, lambda a, b: 1) - (2 / d) * _angular(th, lambda a, b: a * b)
    g = (2 / d) * _angular(th, lambda a, b: a * b)
    return v + g


@check("D8", level=Level.NUMERIC)
def quadrature(inst: Instance):
    """30-digit quadrature of the defining integrals: H^∞'s closed form and the library's
    Λ^∞(α = 1, η_v = η_g = 1) against E_w[⟨x_i,x_j⟩ 1 1], and H^∞ against V^∞ + G^∞ integrated
    separately (tolerance 1e-25)."""
    p = Params.from_instance(inst)
    X = inst.data.X

    def L30(i: int, j: int):
        """Λ^∞_ij(α = 1) by the library's 30-digit route, on rows i and j only (an entry
        depends on its two rows alone; the n × n matrix at 30 digits would cost n² entries)."""
        rows = X[[i]] if i == j else X[[i, j]]
        return Lambda_inf(rows, 1.0, 1.0, 1.0, dps=30)[0, 0 if i == j else 1]

    parts = [_quad_check("D8", "H", inst, _h_integrand, p.quad_pairs, "H^∞ closed form"),
             _quad_check("D8", L30, inst, _h_integrand, p.quad_pairs, "Λ^∞(α = 1)"),
             _quad_check("D8", "H", inst, _v_plus_g_integrand, p.quad_pairs, "H^∞ vs V^∞ + G^∞ (defining integrals)")]
    return tightest(parts)
