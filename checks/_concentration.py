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

from wnproofs.kernels import G_inf, V_inf, grams
from wnproofs.model import WNNetwork
from wnproofs.plugin import Instance


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
