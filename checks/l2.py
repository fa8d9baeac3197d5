"""L2: Concentration at initialization.

Statement: W.p. ≥ 1 − δ each: ||V(0) − V^∞||_2 ≤ n sqrt(2 log(2n²/δ)/m), ||G(0) − G^∞||_2 ≤ n sqrt(log(2n²/δ)/(2m)).

Kind of claim: probability (an upper bound holding with probability ≥ 1 − δ).

Reference: Dukler, Gu & Montúfar, ICML 2020; THEORY.md §6; the project's own statement is docs/theory.md, section L2.

Hypotheses: δ ∈ (0, 1); m ≥ 1.

Checks: ``radii_frequency``, ``exact_tail``, ``gram_error_rate``.

Parameters: :class:`Params`.

What "holds" means: the failure frequency is certainly at most δ (an exact Clopper–Pearson bound; margin = δ ÷ rate); sharpness checks compare each bound with the exact quantity.

"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import mpmath
import numpy as np

from wnproofs.bounds import l2_radius_G, l2_radius_V
from wnproofs.experiments import gram_error_scaling
from wnproofs.outcomes import Kind, Level, compare
from wnproofs.plugin import Instance, check
from wnproofs.stats import rate_result, rate_test, tightest

from ._concentration import initial_deviations, rademacher_tail
from ._params import FrequencyParams
from ._scaling import _fit_result


@dataclass(frozen=True)
class Params(FrequencyParams):
    """Parameters of the L2 checks: those of :class:`checks._params.FrequencyParams` (widths,
    seeds, delta, alpha, confidence, tail_deltas) and (defaults in brackets):

    l2_factor : a planted constant multiplying both radii [1.0]; anything below 1 must make
        ``exact_tail`` fail (mutation tests).
    tail_widths : widths of the exact-tail check [(1, 2, 3, 5, 10, 100, 10⁴, 10⁶)].
    fit_widths : widths of the m^(−1/2) fit [(64, ..., 2048), full up to 8192].
    fit_seeds : seeds of the fit [quick 5; full 8].
    slope_tol : tolerance of the fitted exponent [0.15].
    """

    l2_factor: float = 1.0
    tail_widths: tuple = (1, 2, 3, 5, 10, 100, 10**4, 10**6)
    fit_widths: tuple | None = None
    fit_seeds: int | None = None
    slope_tol: float = 0.15

    MODE_DEFAULTS = {
        "quick": {**FrequencyParams.MODE_DEFAULTS["quick"], "fit_widths": (64, 128, 256, 512, 1024, 2048),
                  "fit_seeds": 5},
        "full": {**FrequencyParams.MODE_DEFAULTS["full"],
                 "fit_widths": (64, 128, 256, 512, 1024, 2048, 4096, 8192), "fit_seeds": 8},
    }


@check("L2", level=Level.PROPERTY)
def radii_frequency(inst: Instance):
    """L2: the frequency over seeds of ||V(0) − V^∞||_2 > n sqrt(2 log(2n²/δ)/m) or
    ||G(0) − G^∞||_2 > n sqrt(log(2n²/δ)/(2m)) is not significantly above δ (Clopper–Pearson);
    so is that of the largest entry deviation above the per-entry radius (radius ÷ n), the
    sharper quantity the union bound controls; slacks reported."""
    p = Params.from_instance(inst)
    n = inst.data.n
    parts = []
    for w_idx, m in enumerate(p.widths):
        dev = initial_deviations(inst, int(m), p.seeds, p.alpha, stream0=w_idx * 1_000_000)
        for name, fn in (("V", l2_radius_V), ("G", l2_radius_G)):
            rad = p.l2_factor * float(fn(n, int(m), p.delta))
            for what, obs, bound in (("||{0}(0) − {0}^∞||_2", dev[f"spectral_{name}"], rad),
                                     ("max_ij |{0}_ij(0) − {0}^∞_ij|", dev[f"entry_{name}"], rad / n)):
                label = what.format(name)
                worst = float(np.max(obs))
                test = rate_test(int(np.sum(obs > bound)), p.seeds, p.delta, p.confidence)
                slack = bound / worst if worst > 0 else float("inf")
                parts.append(rate_result(
                    "L2", Level.PROPERTY, test,
                    message=f"{label} > {bound:.3g} at m = {m}; worst {worst:.3g} (slack {slack:.3g})",
                    details={"matrix": name, "quantity": label, "m": int(m), "bound": bound, "max": worst,
                             "mean": float(np.mean(obs)), "slack": slack, "l2_factor": p.l2_factor}))
    return tightest(parts)


@lru_cache(maxsize=4096)
def _tail_point(name: str, nn: int, m: int, delta: float, factor: float):
    """(budget δ/n², lo, hi): the exact two-point tail at the per-entry radius of the library's
    L2 radius for matrix ``name`` (a pure function of its arguments: memoised per point, so
    the n = 1 points are shared by every instance)."""
    fn, scale = (l2_radius_V, 1) if name == "V" else (l2_radius_G, 2)
    with mpmath.workdps(30):
        budget = mpmath.mpf(delta) / nn**2
        t = factor * fn(nn, int(m), float(delta)) / nn * scale   # G: |Bern − ½| ≥ t ⟺ |mean sign| ≥ 2t
        lo, hi = rademacher_tail(int(m), t)
        return budget, lo, hi


def _tail_scan(n: int, factor: float, widths: tuple, deltas: tuple):
    """(smallest slack, where, violations, undecided points) of the exact two-point tails at the
    per-entry radius of the library's L2 radii, over n and n = 1, the widths and the δs."""
    worst, worst_at, fails, undecided = mpmath.inf, None, [], []
    for nn in sorted({n, 1}):
        for delta in deltas:
            for m in widths:
                for name in ("V", "G"):
                    budget, lo, hi = _tail_point(name, nn, int(m), float(delta), float(factor))
                    if lo > budget:
                        fails.append((name, nn, int(m), float(delta), float(lo / budget)))
                    elif hi > budget:
                        undecided.append((name, nn, int(m), float(delta)))
                    elif hi > 0 and budget / hi < worst:
                        worst, worst_at = budget / hi, (name, nn, int(m), float(delta))
    return worst, worst_at, fails, undecided


@check("L2", level=Level.NUMERIC)
def exact_tail(inst: Instance):
    """L2's constants against the exact tail they bound: the per-entry radius of the library's
    L2 radius (radius ÷ n) must keep P(|entry − mean| ≥ radius/n) ≤ δ/n² for the two-point
    summand law at the ends of the interval ([−1, 1] for V, {0, 1} for G), computed exactly
    (binomial sums to 20 digits, rigorously enclosed) for m from 1 to 10⁶ and δ down to 1e-100 (n and n = 1).
    Margin: the smallest budget ÷ exact tail (the slack of Hoeffding + the union bound)."""
    p = Params.from_instance(inst)
    worst, worst_at, fails, undecided = _tail_scan(inst.data.n, p.l2_factor, tuple(p.tail_widths), p.deltas())
    details = {"grid": {"n": sorted({inst.data.n, 1}), "widths": list(p.tail_widths),
                        "deltas": list(p.deltas())},
               "l2_factor": p.l2_factor, "min_slack": float(worst), "min_slack_at": worst_at}
    if fails:
        name, nn, m, delta, ratio = max(fails, key=lambda f: f[-1])
        return compare("L2", Kind.UPPER, Level.NUMERIC, ratio, 1.0,
                       message=f"exact tail above its budget δ/n² on {len(fails)} grid points; worst: {name}, n = {nn}, "
                               f"m = {m}, δ = {delta:g}: P(|entry − mean| ≥ radius/n) = {ratio:.3g} × δ/n²",
                       details={**details, "violations": fails[:20]})
    return compare("L2", Kind.UPPER, Level.NUMERIC, 1.0 / float(worst) if mpmath.isfinite(worst) else 0.0, 1.0,
                   undecided=bool(undecided),
                   message=f"exact two-point tails within δ/n² at every grid point (V and G, m up to "
                           f"{max(p.tail_widths):g}, δ down to {min(details['grid']['deltas']):g}); smallest slack "
                           f"δ/n² ÷ tail = {float(worst):.3g} at {worst_at}"
                           + (f"; {len(undecided)} points undecided" if undecided else ""),
                   details={**details, "undecided": undecided[:20]},
                   margin=float(worst) if mpmath.isfinite(worst) else None)


@check("L2", level=Level.EMPIRICAL)
def gram_error_rate(inst: Instance):
    """L2: ||V(0) − V^∞||_2 and ||G(0) − G^∞||_2 fall as m^(−1/2) (fit over m = 64..2048)."""
    p = Params.from_instance(inst)
    res = gram_error_scaling(inst.data.X, widths=list(p.fit_widths), seeds=p.fit_seeds, rng=inst.rng(21))
    rV = _fit_result("L2", res["fit_V"], "||V(0) − V^∞||_2 ∝ m^b", inst, res, tol=p.slope_tol)
    rG = _fit_result("L2", res["fit_G"], "||G(0) − G^∞||_2 ∝ m^b", inst, res, tol=p.slope_tol)
    worst = rV if (rV.margin or 0) <= (rG.margin or 0) else rG
    return compare("L2", Kind.IDENTITY, Level.EMPIRICAL, worst.observed, worst.bound,
                   message=rV.message + "; " + rG.message, details=res)
