"""L3: Initial residual.

Statement: E||f(0) − y||² = n/2 + ||y||²; w.p. ≥ 1 − δ, ||f(0) − y||² ≤ (n/2 + ||y||²)/δ (Markov) and ||f(0) − y|| ≤ B = √n (sqrt(2 log(2n/δ)) + max|y_i|) (sub-Gaussian).

Kind of claim: identity (the expectation) and probability (the tail bounds).

Reference: Dukler, Gu & Montúfar, ICML 2020; THEORY.md §6; the project's own statement is docs/theory.md, section L3.

Hypotheses: δ ∈ (0, 1).

Checks: ``residual_frequency``.

What "holds" means: the identity within its Monte Carlo band and each tail frequency certainly ≤ δ.

"""

from __future__ import annotations

import numpy as np

from wnproofs.bounds import (
    l3_expected_residual_sq,
    l3_markov_residual_sq,
    l3_subgaussian_B,
)
from wnproofs.outcomes import Level
from wnproofs.plugin import Instance, check
from wnproofs.stats import DEFAULT_CONFIDENCE, rate_result, rate_test, tightest

from ._residual import initial_residuals


@check("L3", level=Level.PROPERTY)
def residual_frequency(inst: Instance):
    """L3: the frequencies over seeds of ||f(0) − y||² > (n/2 + ||y||²)/δ (Markov) and of
    ||f(0) − y|| > √n(sqrt(2 log(2n/δ)) + max|y_i|) (sub-Gaussian) are not significantly above δ."""
    n, y = inst.data.n, inst.data.y
    delta = float(inst.get("delta", 0.1))
    conf = float(inst.get("confidence", DEFAULT_CONFIDENCE))
    factor = float(inst.get("l3_factor", 1.0))
    seeds = int(inst.get("seeds", 200 if inst.mode == "quick" else 2000))
    widths = [int(m) for m in inst.get("widths", (200, 2000) if inst.mode == "quick" else (50, 500, 2000))]
    ysq = float(y @ y)
    expected = float(l3_expected_residual_sq(n, ysq))
    markov = factor * float(l3_markov_residual_sq(n, ysq, delta))
    B = factor * float(l3_subgaussian_B(n, float(np.max(np.abs(y))), delta))
    parts = []
    for w_idx, m in enumerate(widths):
        res = initial_residuals(inst, m, seeds, stream0=w_idx * 1_000_000)
        mean_sq = float(np.mean(res**2))
        common = {"m": m, "mean_residual_sq": mean_sq, "expected_residual_sq": expected,
                  "max_residual": float(np.max(res)), "l3_factor": factor}
        k = int(np.sum(res**2 > markov))
        parts.append(rate_result(
            "L3", Level.PROPERTY, rate_test(k, seeds, delta, conf),
            message=f"Markov: ||f(0) − y||² > {markov:.3g} at m = {m}; mean ||f(0) − y||² = {mean_sq:.3g} "
                    f"(expectation n/2 + ||y||² = {expected:.3g})",
            details={**common, "form": "markov", "bound_sq": markov,
                     "slack": markov / float(np.max(res**2))}))
        k = int(np.sum(res > B))
        parts.append(rate_result(
            "L3", Level.PROPERTY, rate_test(k, seeds, delta, conf),
            message=f"sub-Gaussian: ||f(0) − y|| > B = {B:.3g} at m = {m}; worst {np.max(res):.3g}",
            details={**common, "form": "subgaussian", "B": B, "slack": B / float(np.max(res))}))
    return tightest(parts)
