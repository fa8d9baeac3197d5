"""D6: Closed form of G^∞.

Statement: G^∞_ij = (sin θ_ij + (π − θ_ij) cos θ_ij)/(2π d); G^∞_ii = 1/(2d).

Kind of claim: identity.

Reference: Dukler, Gu & Montúfar, ICML 2020; THEORY.md §4; the project's own statement is docs/theory.md, section D6.

Hypotheses: ||x_i|| = 1.

Checks: ``monte_carlo``, ``quadrature``.

What "holds" means: the observed error is at most the tolerance (margin = tolerance ÷ error).

Parameters (``inst.params``): :class:`Params` of ``checks/_limits.py`` (``mc_samples``, ``mc_rows``, ``quad_pairs``).

"""

from __future__ import annotations

from wnproofs.kernels import G_inf
from wnproofs.outcomes import Level
from wnproofs.plugin import Instance, check

from ._limits import (
    STREAM_MC_U,
    Params,
    _angular,
    _band,
    _mc_kernels,
    _mc_result,
    _quad_check,
    mc_subset,
    params,
)


@check("D6", level=Level.NUMERIC)
def monte_carlo(inst: Instance):
    """G^∞ closed form against a Monte Carlo estimate over u ~ Unif(S^{d−1}), Hoeffding band."""
    N = params(inst).samples(inst.mode)
    X = inst.data.X[mc_subset(inst)]
    G, _, _ = _mc_kernels(X, N, inst.rng(STREAM_MC_U))
    return _mc_result("D6", G, G_inf(X), _band(X.shape[0], N, 1.0), N)


@check("D6", level=Level.NUMERIC)
def quadrature(inst: Instance):
    """G^∞_ij = (2/d)·(1/2π)∫ σ(cos φ) σ(cos(φ−θ)) dφ by 30-digit quadrature."""
    return _quad_check("D6", "G", inst,
                       lambda th, d: (2 / d) * _angular(th, lambda a, b: a * b))


__all__ = ["Params", "monte_carlo", "quadrature"]
