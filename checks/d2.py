"""D2: Scale invariance and orthogonality.

Statement: f is unchanged by v_k → c v_k (c > 0); hence ⟨v_k, ∇_{v_k} L⟩ = 0.

Kind of claim: identity.

Reference: Dukler, Gu & Montúfar, ICML 2020; THEORY.md §2; the project's own statement is docs/theory.md, section D2.

Hypotheses: c > 0.

Checks: ``invariance``, ``scale_invariance_wn``, ``scale_invariance_ewn``.

What "holds" means: the observed error is at most the tolerance (margin = tolerance ÷ error).

"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wnproofs.outcomes import Kind, Level, compare
from wnproofs.plugin import Instance, check, read_params

from ._family import _d2
from ._identities import _net, _rel


@dataclass(frozen=True)
class Params:
    """D2 parameters.

    m : width [6]; alpha : initialization scale α [0.8].
    tol : largest accepted relative change of f and cosine between v_k and ∇_{v_k} L [1e-12].
    """

    m: int = 6
    alpha: float = 0.8
    tol: float = 1e-12


@check("D2", level=Level.NUMERIC)
def invariance(inst: Instance):
    """f(c·v) = f(v) for random c_k > 0, and ⟨v_k, ∇_{v_k} L⟩ = 0 relative to ||v_k|| ||∇_{v_k} L||."""
    p = read_params(Params, inst, "D2")
    net = _net(inst, p.m, p.alpha)
    X, y = inst.data.X, inst.data.y
    rng = inst.rng(1)
    scale = np.exp(rng.uniform(-3, 3, size=net.m))
    f0 = net.forward(X)
    f1 = net.replace(v=net.v * scale[:, None]).forward(X)
    gv, _ = net.gradients(X, y)
    denom = net.v_norms * np.linalg.norm(gv, axis=1)
    ortho = np.abs(np.sum(net.v * gv, axis=1)) / np.where(denom > 0, denom, 1.0)
    err = max(_rel(f1, f0) if np.any(f0) else float(np.max(np.abs(f1))), float(np.max(ortho)))
    return compare("D2", Kind.IDENTITY, Level.NUMERIC, err, p.tol,
                   message="max of |f(cv) − f(v)|/|f| and the cosine between v_k and ∇_{v_k}L")


# -- the parameterization family (docs/parameterizations.md) ---------------------

@check("D2", level=Level.NUMERIC, name="d2.scale_invariance_wn")
def scale_invariance_wn(inst: Instance):
    """D2 for WN through the parameterization interface (w = g v/||v||)."""
    return _d2(inst, "wn", read_params(Params, inst, "D2"))


@check("D2", level=Level.NUMERIC, name="d2.scale_invariance_ewn")
def scale_invariance_ewn(inst: Instance):
    """D2 for exponential WN (w = e^s v/||v||): scale invariance in v and ⟨v, ∇_v L⟩ = 0."""
    return _d2(inst, "ewn", read_params(Params, inst, "D2"))
