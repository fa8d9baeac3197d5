"""The record of a run (:class:`Trajectory`), what a hook sees (:class:`State`), and the
divergence error (:class:`Diverged`) of the GD loop and the GF integrator (THEORY.md §1, §3, §8).

At each record the kernel Λ(t) that drives the dynamics is formed chunk by chunk
(:func:`wnproofs.kernels.ntk`, O(n² m) time, O(n · chunk) memory) and the record holds
||f − y||², λ_min(Λ(t)), λ_max(Λ(t)), ||Λ(t) − Λ(0)||_2, the movement of directions
||u_k(t) − u_k(0)|| and lengths |g_k(t) − g_k(0)| (max and mean), the number of activation
flips and ||v_k(t)||/||v_k(0)|| − 1 (D3: ≥ 0 along GD, 0 along GF), all streamed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any, Callable, Mapping, Optional

import numpy as np

from ..threads import single_blas

__all__ = ["Trajectory", "Diverged", "State", "Hook", "RECORD_FIELDS", "Recorder"]

#: The per-record arrays of a trajectory (all of the same length).
RECORD_FIELDS = ("t", "residual_sq", "lambda_min", "lambda_max", "gram_change", "dir_move_max",
                 "dir_move_mean", "len_move_max", "len_move_mean", "flips", "vnorm_change_max",
                 "vnorm_change_min")


def _frozen(a) -> np.ndarray:
    arr = np.array(a, dtype=np.float64)
    arr.setflags(write=False)
    return arr


def _readonly(a: np.ndarray) -> np.ndarray:
    view = a.view()
    view.setflags(write=False)
    return view


@dataclass(frozen=True, eq=False)
class State:
    """What a hook sees: GD before step s is applied, GF at a record time t.

    ``blocks`` are read-only views of the current parameters by name (``v``, ``g`` for WN,
    ``w`` for the un-normalized network) and ``step`` the GD step about to be applied
    (−η ∇L by block, so the next parameters are blocks + step; None at the last GD step and
    for GF).  The views are valid during the call only (the loop updates the parameters in
    place afterwards): copy what you keep.  :meth:`net` builds the network (a copy).
    A hook that returns a true value stops the run (status "stopped").
    """

    method: str
    index: int
    t: float
    residual: np.ndarray
    residual_sq: float
    blocks: Mapping[str, np.ndarray]
    step: Optional[Mapping[str, np.ndarray]]
    _flat: Any = field(repr=False)
    _z: np.ndarray = field(repr=False)

    def net(self):
        """The network at this state (WNNetwork or UNetwork; a copy)."""
        return self._flat.net(self._z)


#: A per-step hook: called with the :class:`State`; a true return value stops the run.
Hook = Callable[[State], Optional[bool]]


def make_state(method: str, flat, index: int, t: float, z: np.ndarray, r: np.ndarray, rs: float,
               step: Mapping[str, np.ndarray] | None) -> State:
    return State(method, index, t, _readonly(r), rs,
                 {k: _readonly(a) for k, a in flat.blocks(z).items()},
                 None if step is None else {k: _readonly(a) for k, a in step.items()}, flat, z)


class Diverged(RuntimeError):
    """GD left the region where it converges: the loss became non-finite or grew by a large factor.

    Attributes
    ----------
    step : the step at which divergence was detected.
    bound_name, bound_value : the step bound, e.g. "2/λ_max(Λ(0))" and its value.
    eta : the step used (for separate steps, η_g and the ratio are in the message).
    violated : whether η exceeded that bound (a step too large) or not.
    trajectory : the records up to the divergence (status "diverged").
    """

    def __init__(self, message: str, *, step: int, eta: float, bound_name: str,
                 bound_value: float, residual_sq: float, trajectory: "Trajectory | None" = None):
        super().__init__(message)
        self.step = step
        self.eta = eta
        self.bound_name = bound_name
        self.bound_value = bound_value
        self.violated = bool(eta > bound_value)
        self.residual_sq = residual_sq
        self.trajectory = trajectory


@dataclass(frozen=True, eq=False)
class Trajectory:
    """An immutable record of one GD or GF run (arrays are read-only; JSON via :meth:`to_dict`).

    ``t`` is the step index s for GD and the flow time t for GF.  ``residual_sq`` is
    ||f − y||² (the quantity of T1-T4 and C1); the loss is half of it (:attr:`loss`).
    ``step_residual_sq`` holds ||f(s) − y||² at every GD step (at the records for GF).
    ``status``: "finished", "converged" (||r||² fell below ``stop_rel``·||r(0)||²),
    "stopped" (by the hook), "stalled" (GF: evaluation budget or a collapsed step; see
    ``message``) or "diverged".  ``budget`` is what bounded the run — GD ``{"steps"}``, GF
    ``{"T", "max_evals"}`` — and ``nfev`` the gradient evaluations it used: runs are bounded by
    steps and evaluations only, never by the clock (``seconds`` is for information).
    ``t_cross``: for a GF run recorded at its steps (``t_eval="steps"``) that converged, the
    time the loss crossed ``stop_rel``·||f(0) − y||², located in the last step; else None.
    """

    method: str
    model: str
    n: int
    d: int
    m: int
    alpha: float
    eta_v: float
    eta_g: float
    t: np.ndarray
    residual_sq: np.ndarray
    lambda_min: np.ndarray
    lambda_max: np.ndarray
    gram_change: np.ndarray
    dir_move_max: np.ndarray
    dir_move_mean: np.ndarray
    len_move_max: np.ndarray
    len_move_mean: np.ndarray
    flips: np.ndarray
    vnorm_change_max: np.ndarray
    vnorm_change_min: np.ndarray
    step_residual_sq: np.ndarray
    status: str = "finished"
    message: str = ""
    nfev: int = 0
    budget: Mapping[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    rtol: float | None = None
    atol: float | None = None
    record_every: int = 1
    integrator: str = ""
    t_cross: float | None = None
    final: Any = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in RECORD_FIELDS + ("step_residual_sq",):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        object.__setattr__(self, "budget", dict(self.budget))

    @property
    def loss(self) -> np.ndarray:
        """L = ½ ||f − y||² at the records."""
        return 0.5 * self.residual_sq

    @property
    def steps(self) -> int:
        """Steps taken (GD) or records made (GF)."""
        return int(self.step_residual_sq.size - 1)

    def to_dict(self) -> dict:
        """JSON-ready dict (non-finite numbers become strings "nan"/"inf"); no parameters."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name == "final":
                continue
            val = getattr(self, f.name)
            if isinstance(val, np.ndarray):
                out[f.name] = [_jf(x) for x in val.tolist()]
            elif isinstance(val, float):
                out[f.name] = _jf(val)
            elif isinstance(val, dict):
                out[f.name] = {k: _jf(x) if isinstance(x, float) else x for k, x in val.items()}
            else:
                out[f.name] = val
        return out

    @classmethod
    def from_dict(cls, obj: dict) -> "Trajectory":
        kw = {}
        for f in fields(cls):
            if f.name == "final" or f.name not in obj:
                continue
            val = obj[f.name]
            if isinstance(val, list):
                val = [float(x) for x in val]
            elif f.name in ("alpha", "eta_v", "eta_g", "seconds") or (f.name in ("rtol", "atol", "t_cross") and val is not None):
                val = float(val)
            kw[f.name] = val
        return cls(**kw)


def _jf(x):
    x = float(x)
    return x if math.isfinite(x) else str(x)


class Recorder:
    """Accumulates the records of a run on ``flat``; the kernel is wv·(η-weighted V part) + wg·G.

    A record runs with BLAS at one thread (:func:`wnproofs.threads.single_blas`): the
    block-parallel kernel (:func:`wnproofs.kernels.ntk`) still uses the run's threads, its
    eigenvalues come out the same for every BLAS setting, and no BLAS worker is left
    spinning on a core when the next GD steps start their own threads (on two cores that
    slowed the first steps after a record, and a kernel after an eigvalsh, about twofold)."""

    def __init__(self, flat, wv: float, wg: float):
        self.flat, self.wv, self.wg = flat, wv, wg
        self.rows: dict[str, list[float]] = {k: [] for k in RECORD_FIELDS}
        self.L0: np.ndarray | None = None

    def __call__(self, z: np.ndarray, t: float, rs: float) -> None:
        with single_blas():
            self._record(z, t, rs)

    def _record(self, z: np.ndarray, t: float, rs: float) -> None:
        L = self.flat.kernel(z, self.wv, self.wg)
        ev = np.linalg.eigvalsh(L)
        if self.L0 is None:
            self.L0 = L
        dL = L - self.L0
        row = dict(t=t, residual_sq=rs, lambda_min=ev[0], lambda_max=ev[-1],
                   gram_change=float(np.max(np.abs(np.linalg.eigvalsh(dL)))) if np.any(dL) else 0.0,
                   **self.flat.movement(z))
        for k, v in row.items():
            self.rows[k].append(float(v))

    def lambda_max0(self) -> float:
        """λ_max of the kernel at z0 (recorded, or computed now)."""
        if self.rows["lambda_max"]:
            return self.rows["lambda_max"][0]
        return float(np.linalg.eigvalsh(self.flat.kernel(self.flat.z0, self.wv, self.wg))[-1])


def build(method: str, flat, rec: Recorder, all_rs, status: str, msg: str, nfev: int, seconds: float,
          budget: Mapping[str, Any], record_every: int = 1, final=None, rtol=None, atol=None,
          integrator: str = "", t_cross: float | None = None) -> Trajectory:
    return Trajectory(method=method, model=flat.model, n=flat.X.shape[0], d=flat.d, m=flat.m,
                      alpha=float(flat.alpha), eta_v=float(flat.eta_v), eta_g=float(flat.eta_g),
                      step_residual_sq=all_rs, status=status, message=msg, nfev=nfev, budget=budget,
                      seconds=seconds, rtol=rtol, atol=atol, record_every=record_every,
                      integrator=integrator, t_cross=t_cross, final=final, **rec.rows)
