"""L2 (concentration at initialization): draws of V(0), G(0) and the exact tail Hoeffding bounds.

Claim L2 (THEORY.md §6): with probability ≥ 1 − δ over the initialization, each of

    ||V(0) − V^∞||_2 ≤ n sqrt( 2 log(2n²/δ) / m ),
    ||G(0) − G^∞||_2 ≤ n sqrt( log(2n²/δ) / (2m) ).

The chain behind it (``derivations/concentration.py``): Hoeffding for each entry (a mean of m
summands in [−1, 1] resp. [0, 1]) at δ/n², the union bound over the n² entries, and
||·||_2 ≤ ||·||_F ≤ n max|·|.  Two helpers:

* :func:`initial_deviations`: for ``seeds`` independent networks of width m, the spectral
  and the largest entrywise deviation of V(0), G(0) from V^∞, G^∞ (the frequency checks);
* :func:`rademacher_tail`: the exact probability P(|mean of m ±1 signs| ≥ t), enclosed between
  a partial sum and the partial sum plus a geometric bound on the rest.  The two-point
  distribution at the ends of the interval is the summand law for which Hoeffding's
  exponent is attained (the central-limit regime), so a radius made smaller than valid shows
  as an exact tail above its failure budget at small δ and large m.
"""

from __future__ import annotations

import mpmath
import numpy as np

from wnproofs.kernels import G_inf, V_inf, grams
from wnproofs.model import WNNetwork
from wnproofs.plugin import Instance

#: relative accuracy of the exact tails: terms are summed until the rest is below
#: 10^(−TAIL_DIGITS) of the sum (the enclosure [lo, hi] is rigorous whatever the value; this
#: sets its width), in arithmetic with TAIL_DIGITS + 10 digits
TAIL_DIGITS = 20


def initial_deviations(inst: Instance, m: int, seeds: int, alpha: float, stream0: int = 0) -> dict:
    """Deviations of V(0), G(0) from their limits for ``seeds`` independent networks of width m.

    Returns arrays ``spectral_V``, ``spectral_G`` (||·||_2) and ``entry_V``, ``entry_G``
    (max_ij |·|).  Draw j uses ``inst.rng(stream0 + j)``, so every draw replays alone.
    """
    X = inst.data.X
    Vi, Gi = V_inf(inst.data), G_inf(inst.data)
    out = {k: np.empty(seeds) for k in ("spectral_V", "spectral_G", "entry_V", "entry_G")}
    for j in range(seeds):
        net = WNNetwork.init(m, inst.data.d, alpha, inst.rng(stream0 + j))
        V, G = grams(net, X)
        dV, dG = V - Vi, G - Gi
        out["spectral_V"][j] = np.max(np.abs(np.linalg.eigvalsh(dV)))
        out["spectral_G"][j] = np.max(np.abs(np.linalg.eigvalsh(dG)))
        out["entry_V"][j] = np.max(np.abs(dV))
        out["entry_G"][j] = np.max(np.abs(dG))
    return out


def rademacher_tail(m: int, t) -> tuple[mpmath.mpf, mpmath.mpf]:
    """Exact P(|(1/m) Σ_k ε_k| ≥ t) for independent fair signs ε_k, as an enclosure (lo, hi).

    P = 2 P(B ≥ k) for B ~ Binomial(m, 1/2), k = ⌈m(1 + t)/2⌉ (t > 0).  The terms
    C(m, j)/2^m, j ≥ k, are summed until they fall below 10^(−TAIL_DIGITS) of the sum; the rest
    is at most the last term times r/(1 − r), r = (m − j)/(j + 1) < 1 the (decreasing) ratio.
    """
    with mpmath.workdps(TAIL_DIGITS + 10):
        t = mpmath.mpf(t)
        if t <= 0:
            return mpmath.mpf(1), mpmath.mpf(1)
        k = int(mpmath.ceil(m * (1 + t) / 2))
        if k > m:
            return mpmath.mpf(0), mpmath.mpf(0)
        if 2 * k <= m:                        # t so small that the mean's support reaches it
            return mpmath.mpf(1), mpmath.mpf(1)
        term = mpmath.exp(mpmath.loggamma(m + 1) - mpmath.loggamma(k + 1) - mpmath.loggamma(m - k + 1)
                          - m * mpmath.log(2))
        total, j = mpmath.mpf(0), k
        eps = mpmath.mpf(10) ** (-TAIL_DIGITS)
        while True:
            total += term
            if j == m:
                rest = mpmath.mpf(0)
                break
            r = mpmath.mpf(m - j) / (j + 1)
            nxt = term * r
            if nxt < eps * total:
                rest = nxt / (1 - r)
                break
            term, j = nxt, j + 1
        lo, hi = 2 * total, 2 * (total + rest)
        return min(lo, mpmath.mpf(1)), min(hi, mpmath.mpf(1))
