"""The check of X1: Monte Carlo frequencies against the closed form, Clopper-Pearson band."""

from __future__ import annotations

import numpy as np

from wnproofs.outcomes import Kind, Level, compare
from wnproofs.plugin import Instance, check
from wnproofs.stats import clopper_pearson_band

from .kernel import arccos0, coactivation_frequencies

#: Probability that a correct closed form is reported as failing (all entries together).
DELTA = 1e-9


@check("X1", level=Level.NUMERIC)
def x1_monte_carlo(inst: Instance):
    """Every entry of (π − θ)/(2π) lies in the exact Clopper-Pearson interval of the
    co-activation frequency over N Gaussian w (Bonferroni over the entries, δ = 1e-9).

    Params: ``samples`` [quick 20000, full 200000]; ``x1_factor`` [1.0] multiplies the closed
    form (a planted error: 1.1 must fail).
    """
    N = int(inst.get("samples", 20_000 if inst.mode == "quick" else 200_000))
    factor = float(inst.get("x1_factor", 1.0))
    F = coactivation_frequencies(inst.data.X, N, inst.rng(0))
    band = clopper_pearson_band(N, DELTA)
    excess = float(np.max(band.excess(F, factor * arccos0(inst.data.X))))
    # observed = the worst |F − p| as a fraction of the band's room on that side; ≤ 1 holds
    return compare("X1", Kind.UPPER, Level.NUMERIC, excess, 1.0,
                   message=f"closed form within the {band.describe(F)}; worst entry uses "
                           f"{excess:.2f} of the band",
                   details={"samples": N, "delta": DELTA, "x1_factor": factor})
