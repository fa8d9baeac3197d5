"""D1: WN gradients.

Statement: ∂f/∂g_k = c_k σ(⟨u_k,x⟩)/√m and ∂f/∂v_k = c_k (g_k/||v_k||) 1{⟨v_k,x⟩≥0} P_{v_k} x/√m; equivalently ∇_g L = ⟨∇_w L, u⟩, ∇_v L = (g/||v||) P_v ∇_w L.

Kind of claim: identity.

Reference: Dukler, Gu & Montúfar, ICML 2020; THEORY.md §2; the project's own statement is docs/theory.md, section D1.

Hypotheses: g_k > 0; v_k ≠ 0.

Checks: ``finite_differences``.

What "holds" means: the observed error is at most the tolerance (margin = tolerance ÷ error).

"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import numpy as np

from wnproofs.outcomes import Kind, Level, compare
from wnproofs.plugin import Instance, check, read_params

from ._identities import _net, _rel


@dataclass(frozen=True)
class Params:
    """D1 parameters.

    m : width of the network (every entry is differentiated in mpmath: keep it small) [6].
    alpha : initialization scale α [0.8].
    tol : largest relative error accepted against both routes [1e-10].
    """

    m: int = 6
    alpha: float = 0.8
    tol: float = 1e-10


def _central_differences(net, X, y, h) -> tuple[np.ndarray, np.ndarray]:
    """(L(θ + h e) − L(θ − h e))/2h for every coordinate e of (v, g), L = ½||f − y||²
    evaluated in mpmath at the working precision from the definition of f.

    A perturbation of v_kj or g_k changes neuron k's contribution only, so the other
    neurons' contributions are summed once, and the perturbed pre-activations come from
    ⟨v_k ± h e_j, x_i⟩ = ⟨v_k, x_i⟩ ± h x_ij and ||v_k ± h e_j||² = ||v_k||² ± 2h v_kj + h²
    (exact identities): O(m d n) work per loss instead of O(m² d n).
    """
    mpf = mpmath.mpf
    Xm = [[mpf(float(t)) for t in row] for row in X]
    ym = [mpf(float(t)) for t in y]
    v = [[mpf(float(t)) for t in row] for row in net.v]
    g = [mpf(float(t)) for t in net.g]
    c = [mpf(float(t)) for t in net.c]
    m, d, n = len(g), len(v[0]), len(ym)
    sm = mpmath.sqrt(m)
    dots = [[mpmath.fsum(a * b for a, b in zip(vk, xi)) for xi in Xm] for vk in v]
    nv2 = [mpmath.fsum(t * t for t in vk) for vk in v]

    def contribution(k, gk, dk, nk):
        """c_k σ(g_k ⟨v_k, x_i⟩/||v_k||) for every i (dk: the dot products, nk: ||v_k||²)."""
        s = gk / mpmath.sqrt(nk)
        return [c[k] * s * t if s * t > 0 else mpf(0) for t in dk]

    own = [contribution(k, g[k], dots[k], nv2[k]) for k in range(m)]

    def loss(k, new):
        """L with neuron k's contribution replaced by ``new``."""
        total = mpf(0)
        for i in range(n):
            f = mpmath.fsum([own[kk][i] for kk in range(m) if kk != k] + [new[i]])
            r = f / sm - ym[i]
            total += r * r / 2
        return total

    fd_v = np.zeros((m, d))
    fd_g = np.zeros(m)
    for k in range(m):
        for j in range(d):
            vals = []
            for sgn in (1, -1):
                dk = [t + sgn * h * Xm[i][j] for i, t in enumerate(dots[k])]
                nk = nv2[k] + sgn * 2 * h * v[k][j] + h * h
                vals.append(loss(k, contribution(k, g[k], dk, nk)))
            fd_v[k, j] = float((vals[0] - vals[1]) / (2 * h))
        lp = loss(k, contribution(k, g[k] + h, dots[k], nv2[k]))
        lm = loss(k, contribution(k, g[k] - h, dots[k], nv2[k]))
        fd_g[k] = float((lp - lm) / (2 * h))
    return fd_v, fd_g


@check("D1", level=Level.NUMERIC)
def finite_differences(inst: Instance):
    """D1 gradients against central finite differences of L evaluated in mpmath (40 digits),
    and against the Salimans–Kingma route ∇_g = ⟨∇_w L, u⟩, ∇_v = (g/||v||) P_v ∇_w L."""
    p = read_params(Params, inst, "D1")
    net = _net(inst, p.m, p.alpha)
    X, y = inst.data.X, inst.data.y
    gv, gg = net.gradients(X, y)
    h = mpmath.mpf("1e-15")
    # the loss difference is ~h·||r|| against a loss ~||r||²: 40 digits serve ||r|| up to ~1e10,
    # larger labels need proportionally more (else the finite difference is all rounding)
    scale = float(np.max(np.abs(net.forward(X) - y)))
    dps = 40 + max(0, int(np.ceil(np.log10(max(scale, 1.0)))) - 10)
    with mpmath.workdps(dps):
        fd_v, fd_g = _central_differences(net, X, y, h)
    # Salimans–Kingma route through the un-normalized weights w = g v/||v||.
    w = net.w
    pre = X @ w.T
    r = np.maximum(pre, 0.0) @ net.c / np.sqrt(net.m) - y
    grad_w = (net.c / np.sqrt(net.m))[:, None] * (((pre >= 0) * r[:, None]).T @ X)
    u = net.u
    sk_g = np.sum(grad_w * u, axis=1)
    sk_v = (net.g / net.v_norms)[:, None] * (grad_w - u * sk_g[:, None])
    kink = float(np.min(np.abs(X @ u.T)))
    err = max(_rel(np.concatenate([gv.ravel(), gg]), np.concatenate([fd_v.ravel(), fd_g])),
              _rel(np.concatenate([gv.ravel(), gg]), np.concatenate([sk_v.ravel(), sk_g])))
    return compare("D1", Kind.IDENTITY, Level.NUMERIC, err, p.tol,
                   undecided=kink < 1e-12,
                   message="relative error of D1 against mpmath finite differences and Salimans–Kingma",
                   details={"m": net.m, "min_abs_preactivation": kink})
