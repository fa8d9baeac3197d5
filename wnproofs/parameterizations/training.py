"""GD and GF for any parameterization: the local adapter to the dynamics layer.

THEORY.md §1 with per-block step sizes: GD θ_k(s+1) = θ_k(s) − h·η ⊙ ∇_{θ_k}L(s) (h a global
step, η the per-coordinate step sizes of the blocks); GF θ̇_k = −η ⊙ ∇_{θ_k}L.  Budgets are
steps (GD) and right-hand-side evaluations (GF), never seconds, so a run is reproducible.

GD runs in the one loop of :func:`wnproofs.dynamics.gd`: :class:`Flat` holds the descent
field −η ⊙ ∇L, and :class:`StepFlat` is it with the global step h, in the flat protocol of
:mod:`wnproofs.dynamics.flat` (records: Λ with the blocks' η, the movement of the weights
w = φ(θ)).  GF runs in the one integrator, :func:`wnproofs.dynamics.gf`: to a time
(:func:`gf`), or to the time the loss crosses a target (:func:`gf_to_target`: records at
every accepted step, the crossing located on the dense output).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from ..dynamics import Diverged
from ..dynamics import gd as descend
from ..dynamics import gf as flow
from ..dynamics.flat import UFlat
from ..errors import InputError, check_positive, check_positive_int
from ..model import check_inputs
from ..unnormalized import UNetwork, u_gradients
from .base import PNetwork
from .finite import kernel

__all__ = ["Flat", "StepFlat", "GDRun", "GFRun", "gd", "gf", "gd_to_target", "gf_to_target",
           "EvaluationBudget"]

#: GD stops as diverged once ||f − y||² > DIVERGENCE·max(||f(0) − y||², 1) (or is not finite).
DIVERGENCE = 1e4

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
        gw, r = u_gradients(p.param.phi(th, p.d), p.c, self.X, self.y)
        g = p.param.vjp(th, gw, p.d)
        return (-(g * self.eta_vec)).ravel(), r

    def residual_sq(self, z: np.ndarray) -> float:
        r = self.net(z).forward(self.X) - self.y
        return float(r @ r)

    def kernel(self, z: np.ndarray) -> np.ndarray:
        return kernel(self.net(z), self.X, self.eta)


class EvaluationBudget(RuntimeError):
    """GF used more right-hand-side evaluations than allowed."""


class StepFlat:
    """:class:`Flat` with the global step h, in the flat protocol of :mod:`wnproofs.dynamics.flat`,
    so :func:`wnproofs.dynamics.gd` runs it: the step is h·(−η ⊙ ∇L), one block ``theta``.

    ``eta_v = eta_g = h`` (the loop checks them against its step); the recorded kernel is Λ
    with the blocks' η (:func:`wnproofs.parameterizations.finite.kernel`); the movement
    summaries are those of the weights w = φ(θ) (as for the un-normalized network)."""

    def __init__(self, flat: Flat, h: float):
        self.flat, self.h = flat, float(h)
        p = flat.proto
        self.model = f"parameterization:{p.param.name}"
        self.X, self.y, self.m, self.d, self.alpha = flat.X, flat.y, p.m, p.d, p.alpha
        self.eta_v = self.eta_g = self.h
        self.z0 = flat.z0.copy()
        self.z0.setflags(write=False)
        self._w = UFlat(UNetwork(w=p.w, c=p.c), flat.X, flat.y, 1.0, 1.0)

    def blocks(self, z: np.ndarray) -> dict[str, np.ndarray]:
        return {"theta": z.reshape(self.flat.proto.theta.shape)}

    def update(self, z):
        dz, r = self.flat.descent(z)
        return {"theta": (self.h * dz).reshape(self.flat.proto.theta.shape)}, r

    def descent(self, z):
        dz, r = self.flat.descent(z)
        return self.h * dz, r

    def residual(self, z) -> np.ndarray:
        return self.net(z).forward(self.X) - self.y

    def net(self, z) -> PNetwork:
        return self.flat.net(z)

    def kernel(self, z, wv: float, wg: float) -> np.ndarray:
        return wg * self.flat.kernel(z)

    def movement(self, z) -> dict:
        return self._w.movement(self.flat.net(z).w.ravel())


def _descend(flat: Flat, h: float, steps: int, stop_rel: float):
    """:func:`wnproofs.dynamics.gd` on ``flat`` with the step h (records at the two ends)."""
    return descend(StepFlat(flat, h), None, eta=h, steps=steps, record_every=max(steps, 1),
                   stop_rel=stop_rel, divergence_factor=DIVERGENCE)


def gd(flat: Flat, *, step_size: float, steps: int) -> tuple[PNetwork, np.ndarray]:
    """``steps`` GD steps θ ← θ − h·η ⊙ ∇L; returns the final network and ||f − y||² at every
    step (:func:`wnproofs.dynamics.gd`; raises its :class:`~wnproofs.dynamics.Diverged`)."""
    h = check_positive(step_size, "step_size")
    steps = check_positive_int(steps, "steps", 0)
    tr = _descend(flat, h, steps, 0.0)
    return tr.final, np.asarray(tr.step_residual_sq)


def gf(flat: Flat, *, T: float, max_evals: int = 20_000, method: str = "DOP853",
       rtol: float = 1e-10, atol: float = 1e-12) -> PNetwork:
    """The network at flow time T, by the one integrator :func:`wnproofs.dynamics.gf` (records
    at the two ends only, so no interpolant is formed: the evaluations of SciPy's
    ``solve_ivp``); :class:`EvaluationBudget` when its budget ``max_evals`` is spent or the
    step collapses (the run's message says which)."""
    T = check_positive(T, "T")
    max_evals = check_positive_int(max_evals, "max_evals")
    tr = flow(StepFlat(flat, 1.0), None, T=T, records=1, max_evals=max_evals, method=method,
              rtol=rtol, atol=atol, stop_rel=0.0)
    if tr.status != "finished":
        raise EvaluationBudget(tr.message)
    return tr.final


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
    if step_size is None:
        lam_max = float(np.linalg.eigvalsh(flat.kernel(flat.z0))[-1])
        if not lam_max > 0:   # no neuron active on any input: Λ(0) = 0, nothing can move
            rs0 = flat.residual_sq(flat.z0)
            reached = rs0 <= target_rel * rs0
            return GDRun(0 if reached else None, 0.0, rs0, rs0, "reached" if reached else "stalled", max_steps)
        h = 1.0 / lam_max
    else:
        h = check_positive(step_size, "step_size")
    try:
        tr = _descend(flat, h, max_steps, target_rel)
    except Diverged as exc:
        rs = np.asarray(exc.trajectory.step_residual_sq)
        return GDRun(None, h, float(rs[0]), float(rs[-1]), "diverged", max_steps)
    rs = np.asarray(tr.step_residual_sq)
    if tr.status == "converged":
        return GDRun(rs.size - 1, h, float(rs[0]), float(rs[-1]), "reached", max_steps)
    return GDRun(None, h, float(rs[0]), float(rs[-1]), "budget", max_steps)


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
    """Gradient flow by RK45 until ||f − y||² ≤ target_rel·||f(0) − y||², in the one integrator
    :func:`wnproofs.dynamics.gf` recording at every accepted step (``t_eval="steps"``).

    The crossing time is located on the dense output of the step that crossed (bisection, no
    extra right-hand-side evaluations: ``Trajectory.t_cross``).  Stops at ``T_max``
    ("horizon"), when the budget ``max_evals`` would be exceeded ("budget") or the step
    collapses ("failed").  λ_min(Λ(t)) is recorded at every accepted step (O(n² m) each);
    ``kappa_min`` is its minimum (NaN when ``track_kernel`` is false: the records are made
    either way).
    """
    target_rel = check_positive(target_rel, "target_rel")
    T_max = check_positive(T_max, "T_max")
    max_evals = check_positive_int(max_evals, "max_evals")
    rs0 = flat.residual_sq(flat.z0)
    if rs0 <= target_rel * rs0:
        kappa = float(np.linalg.eigvalsh(flat.kernel(flat.z0))[0]) if track_kernel else float("nan")
        return GFRun(0.0, 0.0, rs0, rs0, kappa, int(track_kernel), 0, "reached")
    tr = flow(StepFlat(flat, 1.0), None, T=T_max, t_eval="steps", max_evals=max_evals, method="RK45",
              rtol=rtol, atol=atol, stop_rel=target_rel)
    lam = np.asarray(tr.lambda_min)
    kappa = float(lam.min()) if track_kernel else float("nan")
    kevals = int(lam.size) if track_kernel else 0
    status = {"converged": "reached", "finished": "horizon"}.get(
        tr.status, "budget" if "budget" in tr.message else "failed")
    return GFRun(tr.t_cross if status == "reached" else None, float(tr.t[-1]), float(tr.residual_sq[0]),
                 float(tr.residual_sq[-1]), kappa, kevals, tr.nfev, status)
