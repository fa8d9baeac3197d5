"""GD and GF for any parameterization: the local adapter to the dynamics layer.

THEORY.md §1 with per-block step sizes: GD θ_k(s+1) = θ_k(s) − h·η ⊙ ∇_{θ_k}L(s) (h a global
step, η the per-coordinate step sizes of the blocks); GF θ̇_k = −η ⊙ ∇_{θ_k}L.  Budgets are
steps (GD) and right-hand-side evaluations (GF), never seconds, so a run is reproducible.

This module is deliberately small: the GD loop and the GF integrator of
:mod:`wnproofs.dynamics` are being unified elsewhere; everything here goes through
:class:`Flat` (``z0``, ``descent(z) -> (dz, r)``, ``net(z)``, ``kernel(z)``), the shape of
the adapters ``dynamics`` already uses, so these two loops can be replaced by the unified
ones by passing a :class:`Flat`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from ..errors import InputError, check_positive, check_positive_int
from ..model import check_inputs
from ..unnormalized import grads_fused
from .base import PNetwork
from .finite import kernel

__all__ = ["Flat", "GDRun", "GFRun", "gd", "gf", "gd_to_target", "gf_to_target", "EvaluationBudget"]

#: GF tolerances of :func:`gf_to_target` (RK45 local error control).  The field jumps where a
#: pre-activation crosses 0, and each jump forces steps of about atol/jump: at 1e-6 a run of
#: n = 8, m = 256 to ε = 1e-2 took ~8000 evaluations, at 1e-5 ~900, and the crossing time moved
#: by 1e-4 relative (measured on random sphere data, seed 0).
RTOL = 1e-5
ATOL = 1e-5


class Flat:
    """A parameterized network as a flat vector z = vec θ, with the descent field −η ⊙ ∇L."""

    def __init__(self, net: PNetwork, X, y, eta: Mapping[str, float] | None = None):
        self.proto = net
        self.X = check_inputs(X, net.d)
        self.y = np.asarray(y, dtype=np.float64)
        if self.y.shape != (self.X.shape[0],):
            raise InputError(f"y must have shape ({self.X.shape[0]},), got {self.y.shape}")
        self.eta = net.param.steps(eta)
        self.eta_vec = net.param.eta_vector(eta, net.d)
        self.z0 = net.theta.ravel().copy()
        self.nfev = 0

    def net(self, z: np.ndarray) -> PNetwork:
        return self.proto.replace(theta=z.reshape(self.proto.theta.shape).copy())

    def descent(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(−η ⊙ ∇_θ L at z, r = f − y); one evaluation, O(n m d)."""
        self.nfev += 1
        p = self.proto
        th = z.reshape(p.theta.shape)
        gw, r, _ = grads_fused(p.param.phi(th, p.d), p.c, self.X, self.y)
        g = p.param.vjp(th, gw, p.d)
        return (-(g * self.eta_vec)).ravel(), r

    def residual_sq(self, z: np.ndarray) -> float:
        r = self.net(z).forward(self.X) - self.y
        return float(r @ r)

    def kernel(self, z: np.ndarray) -> np.ndarray:
        return kernel(self.net(z), self.X, self.eta)


class EvaluationBudget(RuntimeError):
    """GF used more right-hand-side evaluations than allowed."""


def gd(flat: Flat, *, step_size: float, steps: int) -> tuple[PNetwork, np.ndarray]:
    """``steps`` GD steps θ ← θ − h·η ⊙ ∇L; returns the final network and ||f − y||² at every step."""
    h = check_positive(step_size, "step_size")
    steps = check_positive_int(steps, "steps", 0)
    z = flat.z0.copy()
    rs = []
    for s in range(steps + 1):
        dz, r = flat.descent(z)
        rs.append(float(r @ r))
        if s < steps:
            z = z + h * dz
    return flat.net(z), np.array(rs)


def gf(flat: Flat, *, T: float, max_evals: int = 20_000, method: str = "DOP853",
       rtol: float = 1e-10, atol: float = 1e-12) -> PNetwork:
    """The network at flow time T (SciPy ``solve_ivp``); :class:`EvaluationBudget` past ``max_evals``."""
    from scipy.integrate import solve_ivp

    T = check_positive(T, "T")
    max_evals = check_positive_int(max_evals, "max_evals")
    start = flat.nfev

    def rhs(_t, z):
        if flat.nfev - start >= max_evals:
            raise EvaluationBudget(f"more than {max_evals} right-hand-side evaluations")
        return flat.descent(z)[0]

    sol = solve_ivp(rhs, (0.0, T), flat.z0.copy(), method=method, rtol=rtol, atol=atol)
    if not sol.success:
        raise EvaluationBudget(f"the integrator stopped: {sol.message}")
    return flat.net(sol.y[:, -1])


@dataclass(frozen=True)
class GDRun:
    """A GD run to a target: ``steps`` to reach ||r||² ≤ target (None if not within budget)."""

    steps: int | None
    step_size: float
    residual_sq0: float
    residual_sq: float
    status: str          # "reached", "budget", "diverged", "stalled" (Λ(0) = 0)
    budget: int


def gd_to_target(flat: Flat, *, target_rel: float, max_steps: int, step_size: float | None = None
                 ) -> GDRun:
    """GD with θ ← θ + h·(−η ⊙ ∇L) until ||f − y||² ≤ target_rel·||f(0) − y||².

    ``step_size`` h defaults to 1/λ_max(Λ(0)) (Λ with the blocks' η), the step that makes
    GD a stable discretization of GF for every parameterization alike.
    """
    target_rel = check_positive(target_rel, "target_rel")
    max_steps = check_positive_int(max_steps, "max_steps", 0)
    z = flat.z0.copy()
    dz, r = flat.descent(z)
    rs0 = rs = float(r @ r)
    if step_size is None:
        lam_max = float(np.linalg.eigvalsh(flat.kernel(flat.z0))[-1])
        if not lam_max > 0:   # no neuron active on any input: Λ(0) = 0, nothing can move
            reached = rs <= target_rel * rs0
            return GDRun(0 if reached else None, 0.0, rs0, rs, "reached" if reached else "stalled", max_steps)
        h = 1.0 / lam_max
    else:
        h = check_positive(step_size, "step_size")
    for s in range(max_steps + 1):
        if rs <= target_rel * rs0:
            return GDRun(s, h, rs0, rs, "reached", max_steps)
        if not math.isfinite(rs) or rs > 1e4 * max(rs0, 1.0):
            return GDRun(None, h, rs0, rs, "diverged", max_steps)
        if s == max_steps:
            break
        z = z + h * dz
        dz, r = flat.descent(z)
        rs = float(r @ r)
    return GDRun(None, h, rs0, rs, "budget", max_steps)


@dataclass(frozen=True)
class GFRun:
    """A GF run to a target.

    ``time`` is the flow time at which ||r||² reached target (None if not within budget);
    ``t_end``, ``residual_sq`` where the run stopped; ``kappa_min`` the smallest λ_min(Λ(t))
    seen at the integrator's accepted steps (for the D5 decay bound); ``nfev`` the
    right-hand-side evaluations used.
    """

    time: float | None
    t_end: float
    residual_sq0: float
    residual_sq: float
    kappa_min: float
    kernel_evals: int
    nfev: int
    status: str          # "reached", "budget", "horizon", "failed"


def gf_to_target(flat: Flat, *, target_rel: float, T_max: float, max_evals: int,
                 rtol: float = RTOL, atol: float = ATOL, track_kernel: bool = True) -> GFRun:
    """Gradient flow by SciPy's RK45 until ||f − y||² ≤ target_rel·||f(0) − y||².

    The crossing time is located on the integrator's dense output (bisection, no extra
    right-hand-side evaluations).  Stops at ``T_max`` ("horizon") or after ``max_evals``
    evaluations ("budget").  With ``track_kernel`` λ_min(Λ(t)) is computed at every accepted
    step (O(n² m) each) and its minimum returned.
    """
    from scipy import integrate

    target_rel = check_positive(target_rel, "target_rel")
    T_max = check_positive(T_max, "T_max")
    max_evals = check_positive_int(max_evals, "max_evals")
    z0 = flat.z0.copy()
    rs0 = flat.residual_sq(z0)
    target = target_rel * rs0
    start = flat.nfev
    kappa = float(np.linalg.eigvalsh(flat.kernel(z0))[0]) if track_kernel else float("nan")
    kevals = 1 if track_kernel else 0
    solver = integrate.RK45(lambda _t, z: flat.descent(z)[0], 0.0, z0, T_max, rtol=rtol, atol=atol)
    if rs0 <= target:
        return GFRun(0.0, 0.0, rs0, rs0, kappa, kevals, 0, "reached")
    rs = rs0
    while solver.status == "running":
        solver.step()
        if solver.status == "failed":
            return GFRun(None, float(solver.t), rs0, rs, kappa, kevals, flat.nfev - start, "failed")
        rs = flat.residual_sq(solver.y)
        if track_kernel:
            kappa = min(kappa, float(np.linalg.eigvalsh(flat.kernel(solver.y))[0]))
            kevals += 1
        if rs <= target:
            dense = solver.dense_output()
            lo, hi = float(solver.t_old), float(solver.t)
            for _ in range(60):                      # bisection on the dense output
                mid = 0.5 * (lo + hi)
                if flat.residual_sq(dense(mid)) <= target:
                    hi = mid
                else:
                    lo = mid
            return GFRun(hi, float(solver.t), rs0, rs, kappa, kevals, flat.nfev - start, "reached")
        if flat.nfev - start >= max_evals:
            return GFRun(None, float(solver.t), rs0, rs, kappa, kevals, flat.nfev - start, "budget")
    return GFRun(None, float(solver.t), rs0, rs, kappa, kevals, flat.nfev - start, "horizon")
