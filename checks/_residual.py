"""L3 (initial residual) checked as a frequency over many seeds.

Claim L3 (THEORY.md §6): E||f(0) − y||² = n/2 + ||y||², and with probability ≥ 1 − δ

    ||f(0) − y||² ≤ (n/2 + ||y||²)/δ                          (Markov, Du et al. 2019),
    ||f(0) − y||  ≤ B = √n ( sqrt(2 log(2n/δ)) + max_i |y_i| )  (sub-Gaussian).

(The sub-Gaussian step is right: c_k σ(⟨w_k,x⟩) has E e^{λZ} = ½ + ½e^{λ²/2} ≤ e^{λ²/2},
so f(x_i)(0) is 1-sub-Gaussian, P(|f(x_i)| > s) ≤ 2e^{−s²/2}; a union bound over i gives
max_i |f(x_i)| ≤ sqrt(2 log(2n/δ)) and ||f − y|| ≤ √n max_i |f(x_i) − y_i| ≤ B.)

For each width m in ``widths``, ``seeds`` independent networks are drawn
(``inst.rng(stream)``); each bound's violation count is decided by exact Clopper–Pearson
bounds (:mod:`wnproofs.stats`).  The sample mean of ||f(0) − y||² is reported beside
its expectation n/2 + ||y||² (details only: no exact test of a mean is attempted).

Parameters (defaults in brackets): ``widths`` [quick (200, 2000), full (50, 500, 2000)],
``seeds`` [200 / 2000], ``delta`` [0.1], ``alpha`` [1.0; f(0) does not depend on it],
``confidence`` [1 − 1e-6], ``l3_factor`` [1.0] multiplies both bounds (a planted constant
for mutation tests: 0.05 must make this check fail).
"""

from __future__ import annotations

import numpy as np

from wnproofs.model import WNNetwork
from wnproofs.plugin import Instance


def initial_residuals(inst: Instance, m: int, seeds: int, stream0: int = 0) -> np.ndarray:
    """||f(0) − y|| for ``seeds`` independent initializations of width m (L3)."""
    X, y = inst.data.X, inst.data.y
    alpha = float(inst.get("alpha", 1.0))
    out = np.empty(seeds)
    for j in range(seeds):
        net = WNNetwork.init(m, inst.data.d, alpha, inst.rng(stream0 + j))
        out[j] = np.linalg.norm(net.forward(X) - y)
    return out
