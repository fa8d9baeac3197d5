"""D8: Length–direction split of the NTK.

Statement: H^∞ = V^∞ + G^∞ with H^∞_ij = cos θ_ij (π − θ_ij)/(2π); at α = 1, η_v = η_g: Λ^∞ = H^∞.

Kind of claim: identity.

Reference: Dukler, Gu & Montúfar, ICML 2020; THEORY.md §4; the project's own statement is docs/theory.md, section D8.

Hypotheses: ||x_i|| = 1.

Checks: ``monte_carlo``.

What "holds" means: the observed error is at most the tolerance (margin = tolerance ÷ error).

"""

from __future__ import annotations

import mpmath
import numpy as np

from wnproofs.kernels import G_inf, H_inf, Lambda_inf, V_inf
from wnproofs.outcomes import Kind, Level, compare
from wnproofs.plugin import Instance, check

from ._limits import _band, _mc_result, _samples


@check("D8", level=Level.NUMERIC)
def monte_carlo(inst: Instance):
    """H^∞ = E_w[⟨x_i,x_j⟩ 1 1] over w ~ N(0, I) by Monte Carlo (Hoeffding band), the identity
    H^∞ = V^∞ + G^∞ at 50 digits, and Λ^∞ = H^∞ at α = 1, η_v = η_g = 1."""
    N = _samples(inst)
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
    band = _band(inst.data.n, N, 2.0)
    res = _mc_result("D8", H_mc, H_inf(inst.data), band, N)
    with mpmath.workdps(50):
        H, V, G = H_inf(inst.data, 50), V_inf(inst.data, 50), G_inf(inst.data, 50)
        split = float(mpmath.mnorm(H - V - G, 1))
        lam = float(mpmath.mnorm(Lambda_inf(inst.data, 1.0, 1.0, 1.0, dps=50) - H, 1))
    exact_ok = split <= 1e-45 and lam <= 1e-45
    if not exact_ok:
        return compare("D8", Kind.IDENTITY, Level.NUMERIC, max(split, lam), 1e-45,
                       message=f"||H − V − G|| = {split:.1e}, ||Λ^∞(α=1) − H^∞|| = {lam:.1e} at 50 digits")
    return res
