"""L2: Concentration at initialization.

Statement: W.p. ≥ 1 − δ each: ||V(0) − V^∞||_2 ≤ n sqrt(2 log(2n²/δ)/m), ||G(0) − G^∞||_2 ≤ n sqrt(log(2n²/δ)/(2m)).

Kind of claim: probability (an upper bound holding with probability ≥ 1 − δ).

Reference: Dukler, Gu & Montúfar, ICML 2020; THEORY.md §6; the project's own statement is docs/theory.md, section L2.

Hypotheses: δ ∈ (0, 1); m ≥ 1.

Checks: ``radii_frequency``, ``gram_error_rate``.

What "holds" means: the failure frequency is certainly at most δ (an exact Clopper–Pearson bound; margin = δ ÷ rate); sharpness checks compare each bound with the exact quantity.

"""

from __future__ import annotations

import numpy as np

from wnproofs.bounds import l2_radius_G, l2_radius_V
from wnproofs.outcomes import Kind, Level, compare
from wnproofs.plugin import Instance, check
from wnproofs.stats import DEFAULT_CONFIDENCE, rate_result, rate_test, tightest
from wnproofs.sweep import gram_error_scaling

from ._concentration import _seeds, _widths, spectral_deviations
from ._scaling import _fit_result
from ._scaling import _seeds as _fit_seeds


@check("L2", level=Level.PROPERTY)
def radii_frequency(inst: Instance):
    """L2: the frequency over seeds of ||V(0) − V^∞||_2 > n sqrt(2 log(2n²/δ)/m) or
    ||G(0) − G^∞||_2 > n sqrt(log(2n²/δ)/(2m)) is not significantly above δ (Clopper–Pearson)."""
    n = inst.data.n
    delta = float(inst.get("delta", 0.1))
    conf = float(inst.get("confidence", DEFAULT_CONFIDENCE))
    factor = float(inst.get("l2_factor", 1.0))
    seeds = _seeds(inst)
    parts = []
    for w_idx, m in enumerate(_widths(inst)):
        rV = factor * float(l2_radius_V(n, m, delta))
        rG = factor * float(l2_radius_G(n, m, delta))
        dv, dg = spectral_deviations(inst, m, seeds, stream0=w_idx * 1_000_000)
        for name, dev, rad in (("V", dv, rV), ("G", dg, rG)):
            fails = int(np.sum(dev > rad))
            test = rate_test(fails, seeds, delta, conf)
            slack = float(rad / np.max(dev)) if np.max(dev) > 0 else float("inf")
            parts.append(rate_result(
                "L2", Level.PROPERTY, test,
                message=f"||{name}(0) − {name}^∞||_2 > {rad:.3g} at m = {m}; "
                        f"worst deviation {np.max(dev):.3g} (radius slack {slack:.3g})",
                details={"matrix": name, "m": m, "radius": rad, "max_deviation": float(np.max(dev)),
                         "mean_deviation": float(np.mean(dev)), "radius_slack": slack,
                         "l2_factor": factor}))
    return tightest(parts)


@check("L2", level=Level.EMPIRICAL)
def gram_error_rate(inst: Instance):
    """L2: ||V(0) − V^∞||_2 and ||G(0) − G^∞||_2 fall as m^(−1/2) (fit over m = 64..2048)."""
    widths = inst.get("widths", [64, 128, 256, 512, 1024, 2048] + ([4096, 8192] if inst.mode == "full" else []))
    res = gram_error_scaling(inst.data.X, widths=widths, seeds=_fit_seeds(inst), rng=inst.rng(21))
    rV = _fit_result("L2", res["fit_V"], "||V(0) − V^∞||_2 ∝ m^b", inst, res)
    rG = _fit_result("L2", res["fit_G"], "||G(0) − G^∞||_2 ∝ m^b", inst, res)
    worst = rV if (rV.margin or 0) <= (rG.margin or 0) else rG
    return compare("L2", Kind.IDENTITY, Level.EMPIRICAL, worst.observed, worst.bound,
                   message=rV.message + "; " + rG.message, details=res)
