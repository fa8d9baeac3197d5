"""L2 (concentration at initialization) checked as a frequency over many seeds.

Claim L2 (THEORY.md §6): with probability ≥ 1 − δ over the initialization, each of

    ||V(0) − V^∞||_2 ≤ n sqrt( 2 log(2n²/δ) / m ),
    ||G(0) − G^∞||_2 ≤ n sqrt( log(2n²/δ) / (2m) ).

For every width m in ``widths`` we draw ``seeds`` independent networks
(``WNNetwork.init``, generator ``inst.rng(stream)``), compute V(0), G(0) with
``kernels.grams`` and the spectral distance to ``V_inf``/``G_inf``, count the seeds where a
radius is exceeded, and decide "P(violation) ≤ δ" with exact Clopper–Pearson bounds
(:mod:`wnproofs.stats`): fails only when the violation rate is significantly above δ.

Parameters read from ``inst.params`` (defaults in brackets):

* ``widths``  list of widths m [quick: (200, 2000); full: (50, 500, 2000)]
* ``seeds``   draws per width [quick: 200; full: 2000]
* ``delta``   δ [0.1; the quick sample can only vouch for δ ≳ 13.8/seeds]
* ``alpha``   initialization scale [1.0; V(0), G(0) do not depend on it, D4]
* ``confidence`` of the Clopper–Pearson bounds [1 − 1e-6]
* ``l2_factor`` planted constant multiplying both radii [1.0]; mutation tests set it
  below 1 (e.g. 0.05) to check that this check can fail.

The margin is δ ÷ (upper confidence bound on the violation rate); the details also give
the radius slack min over seeds of radius ÷ ||·||_2 (how loose Hoeffding + the union
bound is: typically 5-20).
"""

from __future__ import annotations

import numpy as np

from wnproofs.bounds import l2_radius_G, l2_radius_V
from wnproofs.kernels import G_inf, V_inf, grams
from wnproofs.model import WNNetwork
from wnproofs.plugin import Instance, check
from wnproofs.outcomes import Level
from wnproofs.stats import DEFAULT_CONFIDENCE, rate_result, rate_test, tightest


def _widths(inst: Instance) -> list[int]:
    default = (200, 2000) if inst.mode == "quick" else (50, 500, 2000)
    return [int(m) for m in inst.get("widths", default)]


def _seeds(inst: Instance) -> int:
    return int(inst.get("seeds", 200 if inst.mode == "quick" else 2000))


def spectral_deviations(inst: Instance, m: int, seeds: int, stream0: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """||V(0) − V^∞||_2 and ||G(0) − G^∞||_2 for ``seeds`` independent initializations (L2).

    Draw j uses ``inst.rng(stream0 + j)``, so every draw can be replayed alone.
    """
    X = inst.data.X
    Vi, Gi = V_inf(inst.data), G_inf(inst.data)
    alpha = float(inst.get("alpha", 1.0))
    dv = np.empty(seeds)
    dg = np.empty(seeds)
    for j in range(seeds):
        net = WNNetwork.init(m, inst.data.d, alpha, inst.rng(stream0 + j))
        V, G = grams(net, X)
        dv[j] = np.max(np.abs(np.linalg.eigvalsh(V - Vi)))
        dg[j] = np.max(np.abs(np.linalg.eigvalsh(G - Gi)))
    return dv, dg


@check("L2", level=Level.PROPERTY)
def l2_radii_frequency(inst: Instance):
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
