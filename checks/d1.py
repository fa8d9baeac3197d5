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

from ._identities import _loss_mp, _net, _rel


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
        Xm = [[mpmath.mpf(float(t)) for t in row] for row in X]
        ym = [mpmath.mpf(float(t)) for t in y]
        v = [[mpmath.mpf(float(t)) for t in row] for row in net.v]
        g = [mpmath.mpf(float(t)) for t in net.g]
        c = [mpmath.mpf(float(t)) for t in net.c]
        fd_v = np.zeros_like(gv)
        fd_g = np.zeros_like(gg)
        for k in range(net.m):
            for j in range(net.d):
                old = v[k][j]
                v[k][j] = old + h
                lp = _loss_mp(v, g, c, Xm, ym)
                v[k][j] = old - h
                lm = _loss_mp(v, g, c, Xm, ym)
                v[k][j] = old
                fd_v[k, j] = float((lp - lm) / (2 * h))
            old = g[k]
            g[k] = old + h
            lp = _loss_mp(v, g, c, Xm, ym)
            g[k] = old - h
            lm = _loss_mp(v, g, c, Xm, ym)
            g[k] = old
            fd_g[k] = float((lp - lm) / (2 * h))
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
