"""Shared helpers of the identity checks D1-D5 (gradients, invariances, kernel dynamics).

Each check compares two independent routes to one quantity and returns the largest
relative discrepancy against a tolerance (kind "identity", margin = tol ÷ error).  Every
D-module declares its parameters as a frozen dataclass ``Params``; the width ``m`` and the
scale ``alpha`` of the network :func:`_net` draws are among them (defaults 6 and 0.8).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wnproofs.model import WNNetwork
from wnproofs.outcomes import Kind, Level, compare
from wnproofs.plugin import Instance


def _net(inst: Instance, m: int, alpha: float, stream: int = 0, perturb: bool = True) -> WNNetwork:
    """A network of width m for the instance: initialised at α, then moved off initialisation
    (lengths rescaled) so the identities are tested at a generic point, not only at t = 0."""
    rng = inst.rng(stream)
    net = WNNetwork.init(m, inst.data.d, alpha, rng)
    if perturb:
        net = net.replace(g=net.g * rng.uniform(0.5, 1.5, size=m))
    return net


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    scale = max(float(np.max(np.abs(b))), 1e-300)
    return float(np.max(np.abs(a - b))) / scale


# ---------------------------------------------------------------------------- D1

# ---------------------------------------------------------------------------- D4, D5

#: Largest residual per point (rms) at which the GF finite difference keeps its step 1e-6;
#: the parameters move by h·η·||∇L|| ∝ h·||r||, so a larger residual gets a smaller step.
FD_RMS_REF = 10.0


def _fd_step(net: WNNetwork, X, y) -> float:
    r = net.forward(X) - y
    rms = float(np.sqrt(np.mean(r * r)))
    return 1e-6 if rms <= FD_RMS_REF else 1e-6 * FD_RMS_REF / rms


def _h_text(h: float) -> str:
    return "1e-6" if h == 1e-6 else f"{h:.1e}"


@dataclass(frozen=True)
class FlowParams:
    """Parameters of the kernel-dynamics identities (D4, D5).

    m : width [6]; alpha : initialization scale α [0.8].
    eta_v, eta_g : the GF rates of the kernel Λ = (η_v/α²) V + η_g G (unequal on purpose) [0.7, 1.3].
    """

    m: int = 6
    alpha: float = 0.8
    eta_v: float = 0.7
    eta_g: float = 1.3


def _fd_dynamics(net: WNNetwork, X, y, eta_v: float, eta_g: float, h: float = 1e-6):
    """df/dt and d||f − y||²/dt along GF by a central difference of step h."""
    gv, gg = net.gradients(X, y)
    plus = net.replace(v=net.v - h * eta_v * gv, g=net.g - h * eta_g * gg)
    minus = net.replace(v=net.v + h * eta_v * gv, g=net.g + h * eta_g * gg)
    fp, fm = plus.forward(X), minus.forward(X)
    dfdt = (fp - fm) / (2 * h)
    # ||fp − y||² − ||fm − y||² = Σ (fp − fm)(fp + fm − 2y): no cancellation of two large sums
    dloss = float(np.sum((fp - fm) * (fp + fm - 2 * y))) / (2 * h)
    return dfdt, dloss


def d3_result(prefix: str, tangency: str, gd_err: float, tangent: float, gf_err: float, solved: bool,
              T: float, p, details: dict):
    """D3's verdict from the GD identity error and the GF tangency (decisive) and the
    integrated norm drift (corroborating, only when the integration finished)."""
    err = max(gd_err / p.tol_gd, tangent / p.tol_tangent, gf_err / p.tol_gf if solved else 0.0)
    return compare("D3", Kind.IDENTITY, Level.NUMERIC, err, 1.0,
                   message=f"{prefix}GD identity rel. error {gd_err:.1e} (tol {p.tol_gd:g}); GF tangency "
                           f"{tangency} = {tangent:.1e} (tol {p.tol_tangent:g})"
                           + (f"; integrated GF norm drift {gf_err:.1e} over [0, {T:g}] (tol {p.tol_gf:g})"
                              if solved else f"; the corroborating integration exceeded {p.max_evals} "
                                             "evaluations (kinks), not needed for the verdict"),
                   details={**details, "gd_rel_error": gd_err, "gf_tangency": tangent, "gf_norm_drift": gf_err,
                            "gf_solved": solved})
