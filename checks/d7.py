"""D7: Closed form of V^∞.

Statement: V^∞_ij = cos θ_ij (π − θ_ij)/(2π) − G^∞_ij; V^∞_ii = (d − 1)/(2d).

Kind of claim: identity.

Reference: Dukler, Gu & Montúfar, ICML 2020; THEORY.md §4; the project's own statement is docs/theory.md, section D7.

Hypotheses: ||x_i|| = 1.

Checks: ``monte_carlo``, ``quadrature``.

What "holds" means: the observed error is at most the tolerance (margin = tolerance ÷ error).

Parameters (``inst.params``): :class:`Params` of ``checks/_limits.py`` (``mc_samples``, ``mc_rows``, ``quad_pairs``).

"""

from __future__ import annotations

import mpmath

from wnproofs.kernels import V_inf
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


@check("D7", level=Level.NUMERIC)
def monte_carlo(inst: Instance):
    """V^∞ closed form against a Monte Carlo estimate, Hoeffding band (summands in [−1, 1])."""
    N = params(inst).samples(inst.mode)
    X = inst.data.X[mc_subset(inst)]
    _, V, _ = _mc_kernels(X, N, inst.rng(STREAM_MC_U))
    return _mc_result("D7", V, V_inf(X), _band(X.shape[0], N, 2.0), N)


@check("D7", level=Level.NUMERIC)
def quadrature(inst: Instance):
    """V^∞_ij = cos θ·P(both active) − (2/d)(1/2π)∫ cos φ cos(φ−θ) 1 1 dφ by quadrature."""
    return _quad_check("D7", "V", inst,
                       lambda th, d: mpmath.cos(th) * _angular(th, lambda a, b: 1)
                       - (2 / d) * _angular(th, lambda a, b: a * b))


__all__ = ["Params", "monte_carlo", "quadrature"]
