"""L3 (initial residual) checked as a frequency over many seeds.

Claim L3 (THEORY.md §6): E||f(0) − y||² = n/2 + ||y||², and with probability ≥ 1 − δ

    ||f(0) − y||² ≤ (n/2 + ||y||²)/δ                          (Markov, Du et al. 2019),
    ||f(0) − y||  ≤ B = √n ( sqrt(2 log(2n/δ)) + max_i |y_i| )  (sub-Gaussian).

(The sub-Gaussian step is right: c_k σ(⟨w_k,x⟩) has E e^{λZ} = ½ + ½e^{λ²/2} ≤ e^{λ²/2},
so f(x_i)(0) is 1-sub-Gaussian, P(|f(x_i)| > s) ≤ 2e^{−s²/2}; a union bound over i gives
max_i |f(x_i)| ≤ sqrt(2 log(2n/δ)) and ||f − y|| ≤ √n max_i |f(x_i) − y_i| ≤ B.)

For each width m in ``widths``, ``seeds`` independent networks are drawn
(``inst.rng(stream)``); each bound's violation count is decided by exact Clopper–Pearson
bounds (:mod:`wnproofs.stats`).  The sample mean of ||f(0) − y||² is compared with its
expectation n E σ(Z)² + ||y||² (E σ(Z)² by quadrature) within a central-limit band of z = 6
sample standard errors.

Parameters: :class:`checks.l3.Params`.  Exact tails (:func:`subgaussian_exact_tail`): for one
neuron |f(x)(0)| > s iff Z > s, probability Φ̄(s); for two neurons the four sign patterns give
½ P(σ(Z₁) + σ(Z₂) > s√2) + ½ P(|σ(Z₁) − σ(Z₂)| > s√2), one-dimensional integrals done by
``mpmath.quad``; as m → ∞, f(x)(0) → N(0, ½) and the tail is 2Φ̄(s√2).  The 1-sub-Gaussian
bound 2e^{−s²/2} is attained in exponent by the one-neuron law, so a radius made smaller
than valid shows there at small δ.
"""

from __future__ import annotations

import mpmath
import numpy as np

from wnproofs.model import WNNetwork
from wnproofs.plugin import Instance


def initial_residuals(inst: Instance, m: int, seeds: int, alpha: float = 1.0, stream0: int = 0) -> np.ndarray:
    """||f(0) − y|| for ``seeds`` independent initializations of width m (L3)."""
    X, y = inst.data.X, inst.data.y
    out = np.empty(seeds)
    for j in range(seeds):
        net = WNNetwork.init(m, inst.data.d, alpha, inst.rng(stream0 + j))
        out[j] = np.linalg.norm(net.forward(X) - y)
    return out


def _phibar(x):
    return mpmath.erfc(x / mpmath.sqrt(2)) / 2


def subgaussian_exact_tail(s, dps: int = 50) -> dict:
    """Exact P(|f(x)(0)| > s) for m = 1, m = 2 and m → ∞ neurons (at ``dps`` digits)."""
    with mpmath.workdps(dps):
        s = mpmath.mpf(s)
        c = s * mpmath.sqrt(2)
        phi = lambda z: mpmath.exp(-z * z / 2) / mpmath.sqrt(2 * mpmath.pi)  # noqa: E731
        # σ1 + σ2 > c: one positive and above c (2 × ½ Φ̄(c)), or both positive with sum > c
        both = mpmath.quad(lambda z: phi(z) * _phibar(c - z), [0, c]) + _phibar(c) / 2
        p_sum = _phibar(c) + both
        # |σ1 − σ2| > c: one positive above c with the other ≤ 0, or both positive
        p_diff = 2 * (_phibar(c) / 2 + mpmath.quad(lambda z: phi(z) * _phibar(c + z), [0, mpmath.inf]))
        return {"m=1": _phibar(s), "m=2": (p_sum + p_diff) / 2, "m→∞": 2 * _phibar(c)}


def expected_residual_sq(n: int, y_norm_sq: float, dps: int = 50) -> mpmath.mpf:
    """E||f(0) − y||² = n E σ(Z)² + ||y||² with E σ(Z)² by quadrature (independent of the library)."""
    with mpmath.workdps(dps):
        e2 = mpmath.quad(lambda z: z * z * mpmath.exp(-z * z / 2), [0, mpmath.inf]) / mpmath.sqrt(2 * mpmath.pi)
        return n * e2 + mpmath.mpf(y_norm_sq)
