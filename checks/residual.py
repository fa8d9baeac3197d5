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

from wnproofs.bounds import l3_expected_residual_sq, l3_markov_residual_sq, l3_subgaussian_B
from wnproofs.model import WNNetwork
from wnproofs.plugin import Instance, check
from wnproofs.outcomes import Level
from wnproofs.stats import DEFAULT_CONFIDENCE, rate_result, rate_test, tightest


def initial_residuals(inst: Instance, m: int, seeds: int, stream0: int = 0) -> np.ndarray:
    """||f(0) − y|| for ``seeds`` independent initializations of width m (L3)."""
    X, y = inst.data.X, inst.data.y
    alpha = float(inst.get("alpha", 1.0))
    out = np.empty(seeds)
    for j in range(seeds):
        net = WNNetwork.init(m, inst.data.d, alpha, inst.rng(stream0 + j))
        out[j] = np.linalg.norm(net.forward(X) - y)
    return out


@check("L3", level=Level.PROPERTY)
def l3_residual_frequency(inst: Instance):
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
