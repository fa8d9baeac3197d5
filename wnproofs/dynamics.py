"""Training dynamics: gradient descent (GD) and gradient flow (GF), recorded (THEORY.md §1, §3, §8).

Both networks are supported: the WN network (:class:`wnproofs.model.WNNetwork`, claims
T1-T4) and Du et al.'s un-normalized one (:class:`wnproofs.unnormalized.UNetwork`, C1).

* GD (§1): v_k(s+1) = v_k(s) − η_v ∇_{v_k}L(s), g_k(s+1) = g_k(s) − η_g ∇_{g_k}L(s); the paper
  uses one η for both (``eta``); ``eta_v``/``eta_g`` override it.
* GF (§1): dv_k/dt = −η_v ∇_{v_k}L, dg_k/dt = −η_g ∇_{g_k}L, default η_v = η_g = 1, integrated by
  SciPy's RK45 (Dormand–Prince 5(4)) with local error control, **rtol = atol = 1e-6** by
  default (``method="DOP853"`` or ``"RK23"`` on request), a cap on right-hand-side
  evaluations and on wall time, and a stall detector.  The ReLU gradient field is
  discontinuous on the n·m activation boundaries: every crossing makes an adaptive
  integrator shrink its step to localise the kink (measured at n = 8, m = 2000 over
  t ∈ [0, 10]: RK45 at 1e-6 used ~940 evaluations, RK45 at 1e-7 ~8300, DOP853 at 1e-6
  ~8500, DOP853 at 1e-8 stalled at t = 0.04 after 50 000), and along a sliding mode it may
  shrink it without bound.  A stall is reported in :attr:`Trajectory.status`
  (``"stalled"``) with the reason, never hidden.  An implicit (Radau/BDF) method would need
  the dense (md + m)² Jacobian; the flow is only mildly stiff (λ_max(Λ)/λ_min(Λ)), so an
  explicit pair with a cap is the practical choice.

Each step costs O(n m d) (two GEMMs, no Jacobian).  Every ``record_every`` steps (GD) or at
``records`` times (GF) the kernel Λ(t) is formed in O(n² m) (:func:`wnproofs.kernels.ntk`)
and the record holds ||f − y||², λ_min(Λ(t)), λ_max(Λ(t)), ||Λ(t) − Λ(0)||_2, the movement of
directions ||u_k(t) − u_k(0)|| and lengths |g_k(t) − g_k(0)| (max and mean), the number of
activation flips 1{⟨v_k(t),x_i⟩ ≥ 0} ≠ 1{⟨v_k(0),x_i⟩ ≥ 0} and ||v_k(t)||/||v_k(0)|| − 1 (D3:
≥ 0 along GD, 0 along GF).

A step that is too large is detected (:class:`Diverged`), never returned as NaN.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, fields
from typing import Any, Callable, Union

import numpy as np

from .data import Dataset
from .errors import InputError, check_positive, check_positive_int
from .kernels import ntk
from .model import WNNetwork, check_inputs
from .unnormalized import UNetwork, grads_fused as _u_grads

__all__ = ["Trajectory", "Diverged", "gd", "gf", "wn_grads", "DEFAULT_RTOL", "DEFAULT_ATOL"]

Net = Union[WNNetwork, UNetwork]

#: Default GF tolerances (RK45 local error control; see the module docstring).
DEFAULT_RTOL = 1e-6
DEFAULT_ATOL = 1e-6

#: The per-record arrays of a trajectory (all of the same length).
RECORD_FIELDS = ("t", "residual_sq", "lambda_min", "lambda_max", "gram_change", "dir_move_max",
                 "dir_move_mean", "len_move_max", "len_move_mean", "flips", "vnorm_change_max",
                 "vnorm_change_min")


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


def _frozen(a) -> np.ndarray:
    arr = np.array(a, dtype=np.float64)
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class Trajectory:
    """An immutable record of one GD or GF run (arrays are read-only; JSON via :meth:`to_dict`).

    ``t`` is the step index s for GD and the flow time t for GF.  ``residual_sq`` is
    ||f − y||² (the quantity of T1-T4 and C1); the loss is half of it (:attr:`loss`).
    ``step_residual_sq`` holds ||f(s) − y||² at every GD step (at the records for GF).
    ``status``: "finished", "converged" (||r||² fell below ``stop_rel``·||r(0)||²), "stalled"
    (GF: evaluation/time cap or a collapsed step; see ``message``) or "diverged".
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
    seconds: float = 0.0
    rtol: float | None = None
    atol: float | None = None
    record_every: int = 1
    integrator: str = ""
    final: Any = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in RECORD_FIELDS + ("step_residual_sq",):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

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
            elif f.name in ("alpha", "eta_v", "eta_g", "seconds") or (f.name in ("rtol", "atol") and val is not None):
                val = float(val)
            kw[f.name] = val
        return cls(**kw)


def _jf(x):
    x = float(x)
    return x if math.isfinite(x) else str(x)


# ---------------------------------------------------------------------------- gradients

def wn_grads(v: np.ndarray, g: np.ndarray, c: np.ndarray, X: np.ndarray, y: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(∇_v L, ∇_g L, r = f − y, A) by the D1 formulas, fused, without validation.

    Same numbers as :meth:`WNNetwork.gradients` (tested) but returns the residual and the
    activation pattern too, so a GD step costs one pass: O(n m d).
    """
    sm = math.sqrt(v.shape[0])
    nv = np.sqrt(np.einsum("kd,kd->k", v, v))
    u = v / nv[:, None]
    Z = X @ u.T                           # (n, m): <u_k, x_i>
    P = Z * g                             # pre-activations g_k <u_k, x_i>
    A = P >= 0                            # activation pattern
    np.maximum(P, 0.0, out=P)             # σ, in place (one n×m buffer reused below)
    r = P @ c / sm - y
    scale = c / sm
    np.multiply(A, r[:, None], out=P)     # P ← A_ik r_i
    grad_g = scale * np.einsum("ik,ik->k", P, Z)
    q = P.T @ X                           # (m, d): Σ_i r_i A_ik x_i
    q -= u * np.einsum("kd,kd->k", q, u)[:, None]
    grad_v = (scale * g / nv)[:, None] * q
    return grad_v, grad_g, r, A


class _WNAdapter:
    """Flat parameter vector z = [v.ravel(), g] for the WN network."""

    model = "wn"

    def __init__(self, net: WNNetwork, X, y, eta_v: float, eta_g: float):
        self.c, self.alpha, self.m, self.d = net.c, net.alpha, net.m, net.d
        self.X, self.y = X, y
        self.eta_v, self.eta_g = eta_v, eta_g
        self.z0 = np.concatenate([net.v.ravel(), net.g])
        self.u0 = net.u
        self.len0 = net.g.copy()
        self.vn0 = net.v_norms
        self.A0 = (X @ self.u0.T) * net.g >= 0

    def split(self, z):
        md = self.m * self.d
        return z[:md].reshape(self.m, self.d), z[md:]

    def descent(self, z):
        v, g = self.split(z)
        gv, gg, r, _ = wn_grads(v, g, self.c, self.X, self.y)
        return np.concatenate([(-self.eta_v * gv).ravel(), -self.eta_g * gg]), r

    def net(self, z) -> WNNetwork:
        v, g = self.split(z)
        return WNNetwork(v=v.copy(), g=g.copy(), c=self.c, alpha=self.alpha)

    def kernel(self, z, wv: float, wg: float) -> np.ndarray:
        return ntk(self.net(z), self.X, wv, wg)

    def geometry(self, z):
        v, g = self.split(z)
        nv = np.linalg.norm(v, axis=1)
        u = v / nv[:, None]
        A = (self.X @ u.T) * g >= 0
        return u, g, A, nv


class _UAdapter:
    """Flat parameter vector z = w.ravel() for the un-normalized network; lengths ||w_k||."""

    model = "unnormalized"

    def __init__(self, net: UNetwork, X, y, eta_v: float, eta_g: float):
        self.c, self.m, self.d = net.c, net.m, net.d
        self.alpha = 1.0
        self.X, self.y = X, y
        self.eta_v, self.eta_g = eta_v, eta_g
        self.z0 = net.w.ravel().copy()
        nw = np.linalg.norm(net.w, axis=1)
        self.u0 = net.w / nw[:, None]
        self.len0 = nw
        self.vn0 = nw
        self.A0 = X @ net.w.T >= 0

    def descent(self, z):
        gw, r, _ = _u_grads(z.reshape(self.m, self.d), self.c, self.X, self.y)
        return -self.eta_v * gw.ravel(), r

    def net(self, z) -> UNetwork:
        return UNetwork(w=z.reshape(self.m, self.d).copy(), c=self.c)

    def kernel(self, z, wv: float, wg: float) -> np.ndarray:
        return wv * self.net(z).ntk(self.X)

    def geometry(self, z):
        w = z.reshape(self.m, self.d)
        nw = np.linalg.norm(w, axis=1)
        u = w / np.where(nw > 0, nw, 1.0)[:, None]
        return u, nw, self.X @ w.T >= 0, nw


def _adapter(net: Net, data, y, eta_v: float, eta_g: float):
    if isinstance(data, Dataset):
        X, yy = data.X, data.y
    else:
        X, yy = data, y
    if yy is None:
        raise InputError("labels y are required (pass a Dataset or X and y)")
    adapters = {WNNetwork: _WNAdapter, UNetwork: _UAdapter}
    if type(net) in adapters:
        X = check_inputs(X, net.d)
        yy = np.asarray(yy, dtype=np.float64)
        if yy.shape != (X.shape[0],):
            raise InputError(f"y must have shape ({X.shape[0]},), got {yy.shape}")
        return adapters[type(net)](net, X, yy, eta_v, eta_g)
    raise InputError(f"net must be a WNNetwork or UNetwork, got {type(net).__name__}")


class _Recorder:
    def __init__(self, ad, wv: float, wg: float):
        self.ad, self.wv, self.wg = ad, wv, wg
        self.rows: dict[str, list[float]] = {k: [] for k in RECORD_FIELDS}
        self.L0 = None

    def __call__(self, z, t: float, rs: float) -> None:
        ad = self.ad
        L = ad.kernel(z, self.wv, self.wg)
        ev = np.linalg.eigvalsh(L)
        if self.L0 is None:
            self.L0 = L
        dL = L - self.L0
        u, lens, A, vn = ad.geometry(z)
        dmove = np.linalg.norm(u - ad.u0, axis=1)
        lmove = np.abs(lens - ad.len0)
        vrel = vn / ad.vn0 - 1.0
        row = dict(t=t, residual_sq=rs, lambda_min=ev[0], lambda_max=ev[-1],
                   gram_change=float(np.max(np.abs(np.linalg.eigvalsh(dL)))) if np.any(dL) else 0.0,
                   dir_move_max=dmove.max(), dir_move_mean=dmove.mean(),
                   len_move_max=lmove.max(), len_move_mean=lmove.mean(),
                   flips=int(np.count_nonzero(A != ad.A0)),
                   vnorm_change_max=vrel.max(), vnorm_change_min=vrel.min())
        for k, v in row.items():
            self.rows[k].append(float(v))


def _steps(eta, eta_v, eta_g) -> tuple[float, float]:
    if eta is None and (eta_v is None or eta_g is None):
        raise InputError("give a step: eta, or both eta_v and eta_g")
    ev = check_positive(eta if eta_v is None else eta_v, "eta_v")
    eg = check_positive(eta if eta_g is None else eta_g, "eta_g")
    return ev, eg


# ---------------------------------------------------------------------------- GD

def gd(net: Net, data, y=None, *, eta: float | None = None, eta_v: float | None = None,
       eta_g: float | None = None, steps: int = 100, record_every: int = 10,
       stop_rel: float = 1e-24, divergence_factor: float = 1e4,
       max_seconds: float | None = None,
       callback: Callable[[int, float], None] | None = None) -> Trajectory:
    """Gradient descent with a constant step from ``net`` (THEORY.md §1; T1, T2, C1).

    Parameters
    ----------
    net : WNNetwork (v, g updated with η_v, η_g) or UNetwork (w updated with η = η_v).
    data : a Dataset, or an (n, d) array X with labels ``y``.
    eta : the paper's single step for v and g; ``eta_v``, ``eta_g`` override it per group.
    steps : number of steps; ``record_every`` : steps between records (Λ(t) costs O(n² m)).
    stop_rel : stop ("converged") once ||f − y||² ≤ stop_rel·||f(0) − y||² (round-off floor).
    divergence_factor : ||f − y||² > factor·max(||f(0) − y||², 1) or a non-finite value
        raises :class:`Diverged`, naming the bound η < 2/λ_max(Λ(0)).
    callback : called as ``callback(s, ||f(s) − y||²)`` every step.

    Returns
    -------
    Trajectory with ``t`` the step index.  The recorded kernel is Λ = (η_v/η_g)·V/α² + G for WN
    (the paper's Λ = V/α² + G when η_v = η_g) and H(t) for the un-normalized network.
    """
    ev, eg = _steps(eta, eta_v, eta_g)
    steps = check_positive_int(steps, "steps", 0)
    record_every = check_positive_int(record_every, "record_every")
    ad = _adapter(net, data, y, ev, eg)
    rec = _Recorder(ad, ev / eg, 1.0)
    t0 = time.perf_counter()
    z = ad.z0.copy()
    all_rs: list[float] = []
    status, msg = "finished", ""
    lam_max0 = None
    nfev = 0
    rs0 = None
    for s in range(steps + 1):
        dz, r = ad.descent(z)
        nfev += 1
        rs = float(r @ r)
        if rs0 is None:
            rs0 = rs
        if not math.isfinite(rs) or rs > divergence_factor * max(rs0, 1.0):
            lam_max0 = (rec.rows["lambda_max"][0] if rec.rows["lambda_max"]
                        else float(np.linalg.eigvalsh(ad.kernel(ad.z0, ev / eg, 1.0))[-1]))
            bound = 2.0 / lam_max0
            traj = _build("gd", ad, rec, all_rs + [rs], "diverged", "", nfev, t0, record_every)
            viol = eg > bound
            extra = ""
            if ad.model == "wn":
                from .kernels import gram_G

                gb = 2.0 / float(np.linalg.eigvalsh(gram_G(ad.net(ad.z0), ad.X))[-1])
                extra = (f"; the length part alone needs η_g < 2/λ_max(G(0)) = {gb:.4g} "
                         f"({'violated' if eg > gb else 'met'}; the direction part self-tunes as ||v_k|| grows, D3)")
            raise Diverged(
                f"GD diverged at step {s}: ||f − y||² = {rs:.3g} (from {rs0:.3g}); the step "
                f"η = {eg:.4g}{'' if ev == eg else f' (η_v = {ev:.4g})'} "
                f"{'violates' if viol else 'is within'} the bound η < 2/λ_max(Λ(0)) = {bound:.4g}" + extra,
                step=s, eta=eg, bound_name="2/λ_max(Λ(0))", bound_value=bound, residual_sq=rs,
                trajectory=traj)
        all_rs.append(rs)
        if callback is not None:
            callback(s, rs)
        done = s == steps
        if rs <= stop_rel * rs0:
            status, msg, done = "converged", f"||f − y||² fell below {stop_rel:g}·||f(0) − y||² at step {s}", True
        if max_seconds is not None and time.perf_counter() - t0 > max_seconds and not done:
            status, msg, done = "stalled", f"wall-time cap {max_seconds:g} s reached at step {s}", True
        if s % record_every == 0 or done:
            rec(z, float(s), rs)
        if done:
            break
        z = z + dz
    return _build("gd", ad, rec, all_rs, status, msg, nfev, t0, record_every, final=ad.net(z))


def _build(method, ad, rec, all_rs, status, msg, nfev, t0, record_every, final=None, rtol=None, atol=None,
           integrator=""):
    return Trajectory(method=method, model=ad.model, n=ad.X.shape[0], d=ad.d, m=ad.m,
                      alpha=float(ad.alpha), eta_v=float(ad.eta_v), eta_g=float(ad.eta_g),
                      step_residual_sq=all_rs, status=status, message=msg, nfev=nfev,
                      seconds=time.perf_counter() - t0, rtol=rtol, atol=atol,
                      record_every=record_every, integrator=integrator, final=final, **rec.rows)


# ---------------------------------------------------------------------------- GF

class EvaluationBudget(RuntimeError):
    """An integrator used more right-hand-side evaluations than allowed (typically while
    sliding along an activation boundary, where the ReLU gradient field is discontinuous)."""


def wn_flow_field(net: WNNetwork, X: np.ndarray, y: np.ndarray, eta_v: float = 1.0,
                  eta_g: float = 1.0, max_evals: int = 10_000):
    """The WN gradient-flow field z ↦ −(η_v ∇_v L, η_g ∇_g L) on z = (vec v, g), for SciPy.

    Returns ``(rhs, calls)``: ``rhs(t, z)`` raises :class:`EvaluationBudget` after
    ``max_evals`` calls, and ``calls[0]`` counts them.  For checks that integrate with
    ``scipy.integrate.solve_ivp`` themselves; :func:`gf` is the recording integrator.
    """
    m, d = net.m, net.d
    calls = [0]

    def rhs(_t, z):
        calls[0] += 1
        if calls[0] > max_evals:
            raise EvaluationBudget(f"more than {max_evals} right-hand-side evaluations")
        cur = net.replace(v=z[: m * d].reshape(m, d), g=z[m * d:])
        gv, gg = cur.gradients(X, y)
        return np.concatenate([-eta_v * gv.ravel(), -eta_g * gg])

    return rhs, calls


def gf(net: Net, data, y=None, *, T: float, eta_v: float = 1.0, eta_g: float = 1.0,
       records: int = 50, t_eval=None, rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL,
       max_evals: int = 50_000, max_seconds: float | None = None, min_step_rel: float = 1e-12,
       stop_rel: float = 1e-20, method: str = "RK45") -> Trajectory:
    """Gradient flow on [0, T] (THEORY.md §1; T3, T4, C1) by an adaptive Runge–Kutta pair.

    Parameters
    ----------
    T : final time.  ``records`` equally spaced record times (or explicit ``t_eval``).
    eta_v, eta_g : the rates of §1 (default 1, 1); for UNetwork only ``eta_v`` is used.
    rtol, atol : local error tolerances (default 1e-6, 1e-6).
    method : "RK45" (default), "RK23" or "DOP853" (SciPy's explicit pairs with dense output).
    max_evals, max_seconds : caps; reaching either, or a step below ``min_step_rel``·T
        (the integrator sliding along an activation boundary), ends the run with status
        "stalled" and the reason in ``message``; the records made so far are kept.
    stop_rel : stop ("converged") once ||f − y||² ≤ stop_rel·||f(0) − y||².

    Returns
    -------
    Trajectory with ``t`` the flow time; the recorded kernel is Λ(t) = (η_v/α²)V + η_g G (D4)
    for WN and η_v H(t) for the un-normalized network.
    """
    from scipy import integrate

    solvers = {"RK45": integrate.RK45, "RK23": integrate.RK23, "DOP853": integrate.DOP853}
    if method not in solvers:
        raise InputError(f"method must be one of {sorted(solvers)}, got {method!r}")
    T = check_positive(T, "T")
    eta_v, eta_g = check_positive(eta_v, "eta_v"), check_positive(eta_g, "eta_g")
    ad = _adapter(net, data, y, eta_v, eta_g)
    if t_eval is None:
        records = check_positive_int(records, "records")
        times = np.linspace(0.0, T, records + 1)
    else:
        times = np.unique(np.concatenate([[0.0], np.asarray(t_eval, dtype=float)]))
        if times[-1] > T or times[0] < 0:
            raise InputError("t_eval must lie in [0, T]")
    rec = _Recorder(ad, eta_v, eta_g)
    t0 = time.perf_counter()
    calls = [0]

    def rhs(_t, z):
        calls[0] += 1
        return ad.descent(z)[0]

    z0 = ad.z0.copy()
    _, r0 = ad.descent(z0)
    rs0 = float(r0 @ r0)
    rec(z0, 0.0, rs0)
    all_rs = [rs0]
    solver = solvers[method](rhs, 0.0, z0, T, rtol=rtol, atol=atol)
    status, msg = "finished", ""
    i = 1
    z_last = z0
    tiny_steps = 0
    while i < times.size:
        if solver.status != "running":
            break
        solver.step()
        if solver.status == "failed":
            status, msg = "stalled", f"{method} failed at t = {solver.t:.6g} (step size too small)"
            break
        dense = solver.dense_output() if solver.t_old is not None else None
        stop = False
        while i < times.size and times[i] <= solver.t:
            z = dense(times[i]) if dense is not None else solver.y
            _, r = ad.descent(z)
            rs = float(r @ r)
            rec(z, float(times[i]), rs)
            all_rs.append(rs)
            z_last = z
            i += 1
            if rs <= stop_rel * rs0:
                status, msg, stop = "converged", f"||f − y||² fell below {stop_rel:g}·||f(0) − y||² at t = {times[i - 1]:.6g}", True
                break
        if stop:
            break
        if solver.t_old is not None and solver.t - solver.t_old < min_step_rel * T and solver.t < T:
            tiny_steps += 1
            if tiny_steps > 100:
                status, msg = "stalled", (f"step size collapsed to {solver.t - solver.t_old:.3g} at t = {solver.t:.6g} "
                                          "(sliding along an activation boundary?)")
                break
        else:
            tiny_steps = 0
        if calls[0] > max_evals:
            status, msg = "stalled", f"evaluation cap {max_evals} reached at t = {solver.t:.6g} of {T:g}"
            break
        if max_seconds is not None and time.perf_counter() - t0 > max_seconds:
            status, msg = "stalled", f"wall-time cap {max_seconds:g} s reached at t = {solver.t:.6g} of {T:g}"
            break
    return _build("gf", ad, rec, all_rs, status, msg, calls[0] + 1, t0, 1, final=ad.net(z_last),
                  rtol=rtol, atol=atol, integrator=method)
