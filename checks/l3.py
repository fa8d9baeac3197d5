"""L3: Initial residual.

Statement: E||f(0) − y||² = n/2 + ||y||²; w.p. ≥ 1 − δ, ||f(0) − y||² ≤ (n/2 + ||y||²)/δ (Markov) and ||f(0) − y|| ≤ B = √n (sqrt(2 log(2n/δ)) + max|y_i|) (sub-Gaussian).

Kind of claim: identity (the expectation) and probability (the tail bounds).

Reference: Dukler, Gu & Montúfar, ICML 2020; THEORY.md §6; the project's own statement is docs/theory.md, section L3.

Hypotheses: δ ∈ (0, 1).

Checks: ``residual_frequency``, ``exact_tail``.

Parameters: :class:`Params`.

What "holds" means: the identity within its Monte Carlo band and each tail frequency certainly ≤ δ; the exact tails within their budgets.

"""

from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath
import numpy as np

from wnproofs.bounds import (
    l3_expected_residual_sq,
    l3_markov_residual_sq,
    l3_subgaussian_B,
)
from wnproofs.outcomes import Kind, Level, compare
from wnproofs.plugin import Instance, check
from wnproofs.stats import rate_result, rate_test, tightest

from ._params import FrequencyParams
from ._residual import expected_residual_sq, initial_residuals, subgaussian_exact_tail


@dataclass(frozen=True)
class Params(FrequencyParams):
    """Parameters of the L3 checks: those of :class:`checks._params.FrequencyParams` (widths,
    seeds, delta, alpha, confidence, tail_deltas) and (defaults in brackets):

    l3_factor : a planted constant multiplying both bounds [1.0]; 0.05 must fail the frequency
        check, anything below 1 the exact checks.
    mean_z : width of the central-limit band of the sample mean, in standard errors [6].
    """

    l3_factor: float = 1.0
    mean_z: float = 6.0


@check("L3", level=Level.PROPERTY)
def residual_frequency(inst: Instance):
    """L3: the frequencies over seeds of ||f(0) − y||² > (n/2 + ||y||²)/δ (Markov) and of
    ||f(0) − y|| > √n(sqrt(2 log(2n/δ)) + max|y_i|) (sub-Gaussian) are not significantly above δ,
    and the sample mean of ||f(0) − y||² lies within its band around n/2 + ||y||²."""
    p = Params.from_instance(inst)
    n, y = inst.data.n, inst.data.y
    ysq = float(y @ y)
    expected = float(l3_expected_residual_sq(n, ysq))
    markov = p.l3_factor * float(l3_markov_residual_sq(n, ysq, p.delta))
    B = p.l3_factor * float(l3_subgaussian_B(n, float(np.max(np.abs(y))), p.delta))
    parts = []
    for w_idx, m in enumerate(p.widths):
        res = initial_residuals(inst, int(m), p.seeds, p.alpha, stream0=w_idx * 1_000_000)
        sq = res**2
        mean_sq = float(np.mean(sq))
        band = p.mean_z * float(np.std(sq, ddof=1)) / math.sqrt(p.seeds) if p.seeds > 1 else math.inf
        common = {"m": int(m), "mean_residual_sq": mean_sq, "expected_residual_sq": expected,
                  "max_residual": float(np.max(res)), "l3_factor": p.l3_factor}
        parts.append(compare("L3", Kind.IDENTITY, Level.PROPERTY, abs(mean_sq - expected), band,
                             message=f"mean ||f(0) − y||² = {mean_sq:.4g} vs n/2 + ||y||² = {expected:.4g} at m = {m} "
                                     f"(band ±{band:.3g}, {p.mean_z:g} standard errors)",
                             details={**common, "form": "mean", "band": band}))
        k = int(np.sum(sq > markov))
        parts.append(rate_result(
            "L3", Level.PROPERTY, rate_test(k, p.seeds, p.delta, p.confidence),
            message=f"Markov: ||f(0) − y||² > {markov:.3g} at m = {m}; mean ||f(0) − y||² = {mean_sq:.3g} "
                    f"(expectation n/2 + ||y||² = {expected:.3g})",
            details={**common, "form": "markov", "bound_sq": markov, "slack": markov / float(np.max(sq))}))
        k = int(np.sum(res > B))
        parts.append(rate_result(
            "L3", Level.PROPERTY, rate_test(k, p.seeds, p.delta, p.confidence),
            message=f"sub-Gaussian: ||f(0) − y|| > B = {B:.3g} at m = {m}; worst {np.max(res):.3g}",
            details={**common, "form": "subgaussian", "B": B, "slack": B / float(np.max(res))}))
    return tightest(parts)


#: digits of the tail quadratures (a tail is compared with its budget δ/n: a few digits decide;
#: the Markov identity below is checked at 50 digits against a 1e-30 tolerance)
TAIL_DPS = 30


@check("L3", level=Level.NUMERIC)
def exact_tail(inst: Instance):
    """L3's constants against the exact quantities they bound.

    Sub-Gaussian: the per-sample radius s = B/√n − max|y_i| of the library's B must keep the
    exact P(|f(x)(0)| > s) (one neuron, two neurons, m → ∞; quadrature at TAIL_DPS = 30 digits) within the
    union-bound budget δ/n, for δ down to 1e-100.  Markov: the library's threshold times δ must
    equal the exact expectation n E σ(Z)² + ||y||² (Markov's bound is attained by a two-point
    law with that mean, so no smaller threshold is valid).  Margin: the smallest budget ÷ tail."""
    p = Params.from_instance(inst)
    n, y = inst.data.n, inst.data.y
    ymax, ysq = float(np.max(np.abs(y))), float(y @ y)
    deltas = p.deltas()
    worst, worst_at, fails = mpmath.inf, None, []
    with mpmath.workdps(50):
        for delta in deltas:
            s = p.l3_factor * l3_subgaussian_B(n, ymax, delta) / mpmath.sqrt(n) - ymax
            tails = subgaussian_exact_tail(s, dps=TAIL_DPS)
            budget = mpmath.mpf(delta) / n
            for law, tail in tails.items():
                if tail > budget:
                    fails.append((law, float(delta), float(tail / budget)))
                elif tail > 0 and budget / tail < worst:
                    worst, worst_at = budget / tail, (law, float(delta))
        exact_mean = expected_residual_sq(n, ysq)
        markov_err = abs(p.l3_factor * l3_markov_residual_sq(n, ysq, p.delta) * p.delta - exact_mean) / exact_mean
    details = {"deltas": list(deltas), "min_slack": float(worst), "min_slack_at": worst_at,
               "markov_relative_error": float(markov_err), "l3_factor": p.l3_factor}
    parts = [compare("L3", Kind.IDENTITY, Level.NUMERIC, float(markov_err), 1e-30,
                     message=f"Markov threshold × δ vs the exact E||f(0) − y||² (quadrature): relative error "
                             f"{float(markov_err):.1e}", details=details)]
    if fails:
        law, delta, ratio = max(fails, key=lambda f: f[-1])
        parts.append(compare("L3", Kind.UPPER, Level.NUMERIC, ratio, 1.0,
                             message=f"exact per-sample tail above δ/n on {len(fails)} points; worst {law}, δ = {delta:g}: "
                                     f"P(|f(x)(0)| > s) = {ratio:.3g} × δ/n", details={**details, "violations": fails}))
    else:
        parts.append(compare("L3", Kind.UPPER, Level.NUMERIC, 1.0 / float(worst), 1.0,
                             message=f"exact per-sample tails (m = 1, 2, ∞) within δ/n for δ down to {min(deltas):g}; "
                                     f"smallest slack {float(worst):.3g} at {worst_at}", details=details,
                             margin=float(worst)))
    return tightest(parts)
