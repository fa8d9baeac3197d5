"""The one gradient-flow integrator (THEORY.md §1; T3, T4, C1, D3, L6).

dv_k/dt = −η_v ∇_{v_k}L, dg_k/dt = −η_g ∇_{g_k}L (default η_v = η_g = 1), integrated by SciPy's
RK45 (Dormand–Prince 5(4)) with local error control, **rtol = atol = 1e-6** by default
(``method="DOP853"`` or ``"RK23"`` on request).  The budget is a number of right-hand-side
evaluations (``max_evals``, never exceeded) and the horizon T; a step that collapses below
``min_step_rel``·T for more than 100 consecutive steps also stops the run.  Both end it with
status "stalled" and the reason, never hidden; nothing depends on the clock.

The ReLU gradient field is discontinuous on the n·m activation boundaries: every crossing
makes an adaptive integrator shrink its step to localise the kink (measured at n = 8,
m = 2000 over t ∈ [0, 10]: RK45 at 1e-6 used ~940 evaluations, RK45 at 1e-7 ~8300, DOP853
at 1e-6 ~8500, DOP853 at 1e-8 stalled at t = 0.04 after 50 000; measured when DOP853's
interpolant, 3 more evaluations a step, was formed at every step, now only for a record
inside a step), and along a sliding mode it may shrink it without bound.  An implicit (Radau/BDF) method would need the dense
(md + m)² Jacobian; the flow is only mildly stiff (λ_max(Λ)/λ_min(Λ)), so an explicit pair
with a budget is the practical choice.
"""

from __future__ import annotations

import time

import numpy as np

from ..errors import InputError, check_positive, check_positive_int
from .flat import Net, as_flat
from .trajectory import Hook, Recorder, Trajectory, build, make_state

__all__ = ["gf", "DEFAULT_RTOL", "DEFAULT_ATOL", "METHODS"]

#: Default GF tolerances (RK45 local error control; see the module docstring).
DEFAULT_RTOL = 1e-6
DEFAULT_ATOL = 1e-6
#: SciPy's explicit pairs with dense output.
METHODS = ("RK45", "RK23", "DOP853")


def _crossing(solver, flat, target: float) -> float:
    """The time in the last step (t_old, t] where ||f − y||² reaches ``target`` (it is above at
    t_old, at or below at t): bisection on the step's dense output, 60 halvings (no field
    evaluation for RK45/RK23; DOP853's interpolant costs 3, counted against the budget)."""
    dense = solver.dense_output()
    lo, hi = float(solver.t_old), float(solver.t)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        r = flat.residual(dense(mid))
        if float(r @ r) <= target:
            hi = mid
        else:
            lo = mid
    return hi


class _Budget(Exception):
    """Raised inside the field when the evaluation budget is spent (ends the solver step)."""


def gf(net: Net, data, y=None, *, T: float, eta_v: float = 1.0, eta_g: float = 1.0,
       records: int = 50, t_eval=None, rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL,
       max_evals: int = 50_000, min_step_rel: float = 1e-12, stop_rel: float = 1e-20,
       method: str = "RK45", hook: Hook | None = None) -> Trajectory:
    """Gradient flow on [0, T] (THEORY.md §1; T3, T4, C1) by an adaptive Runge–Kutta pair.

    Parameters
    ----------
    T : final time.  ``records`` equally spaced record times, or explicit ``t_eval``, or
        ``t_eval="steps"``: a record at every accepted step of the integrator; with
        ``stop_rel`` the run then also locates the time the loss crossed the target
        (bisection to machine precision on the last step's dense output, ``t_cross``).
    eta_v, eta_g : the rates of §1 (default 1, 1); for UNetwork only ``eta_v`` is used.
    rtol, atol : local error tolerances (default 1e-6, 1e-6).
    method : "RK45" (default), "RK23" or "DOP853".
    max_evals : the budget of field evaluations; spending it, or a step below
        ``min_step_rel``·T for 100 steps in a row (the integrator sliding along an
        activation boundary), ends the run with status "stalled" and the reason in
        ``message``; the records made so far are kept.
    stop_rel : stop ("converged") once ||f − y||² ≤ stop_rel·||f(0) − y||² (0: never).
    hook : called with the :class:`State` at every record time (the integrator's own
        steps are adaptive internals); a true return value stops the run ("stopped").

    Returns
    -------
    Trajectory with ``t`` the flow time and ``budget = {"T": T, "max_evals": max_evals}``;
    the recorded kernel is Λ(t) = (η_v/α²)V + η_g G (D4) for WN and η_v H(t) for the
    un-normalized network.  The state at a record time is the dense-output interpolant,
    or the solver's own step when it lands on that time exactly.
    """
    from scipy import integrate

    solvers = {"RK45": integrate.RK45, "RK23": integrate.RK23, "DOP853": integrate.DOP853}
    if method not in solvers:
        raise InputError(f"method must be one of {sorted(solvers)}, got {method!r}")
    T = check_positive(T, "T")
    eta_v, eta_g = check_positive(eta_v, "eta_v"), check_positive(eta_g, "eta_g")
    max_evals = check_positive_int(max_evals, "max_evals")
    flat = as_flat(net, data, y, eta_v, eta_g)
    steps_mode = isinstance(t_eval, str)
    if steps_mode:
        if t_eval != "steps":
            raise InputError(f't_eval must be record times in [0, T] or "steps", got {t_eval!r}')
        times = np.array([0.0])
    elif t_eval is None:
        records = check_positive_int(records, "records")
        times = np.linspace(0.0, T, records + 1)
    else:
        times = np.unique(np.concatenate([[0.0], np.asarray(t_eval, dtype=float)]))
        if times[-1] > T or times[0] < 0:
            raise InputError("t_eval must lie in [0, T]")
    rec = Recorder(flat, eta_v, eta_g)
    budget = {"T": T, "max_evals": max_evals}
    t0 = time.perf_counter()
    calls = [0]

    def rhs(_t, z):
        if calls[0] >= max_evals:
            raise _Budget
        calls[0] += 1
        return flat.descent(z)[0]

    status, msg = "finished", ""
    all_rs: list[float] = []

    def visit(i: int, t: float, z: np.ndarray) -> bool:
        """Record time i; True when the run must stop there."""
        nonlocal status, msg
        r = flat.residual(z)
        rs = float(r @ r)
        rec(z, t, rs)
        all_rs.append(rs)
        if i > 0 and rs <= stop_rel * all_rs[0]:
            status, msg = "converged", f"||f − y||² fell below {stop_rel:g}·||f(0) − y||² at t = {t:.6g}"
            return True
        if hook is not None and hook(make_state("gf", flat, i, t, z, r, rs, None)):
            status, msg = "stopped", f"stopped by the hook at t = {t:.6g}"
            return True
        return False

    z_last = flat.z0.copy()
    stop = visit(0, 0.0, z_last)
    solver = solvers[method](rhs, 0.0, z_last, T, rtol=rtol, atol=atol)
    i, tiny = 1, 0
    t_cross = None
    while (steps_mode or i < times.size) and not stop:
        try:
            solver.step()
            if solver.status == "failed":
                status, msg = "stalled", f"{method} failed at t = {solver.t:.6g} (step size too small)"
                break
            if steps_mode:                 # a record at the integrator's own step
                z_last = np.array(solver.y, copy=True)
                stop = visit(i, float(solver.t), z_last)
                i += 1
                if status == "converged":
                    t_cross = _crossing(solver, flat, stop_rel * all_rs[0])
                if stop or solver.status == "finished":
                    break
            else:                          # the records at fixed times within this step
                dense = None
                while i < times.size and times[i] <= solver.t and not stop:
                    if times[i] == solver.t or solver.t_old is None:
                        z = solver.y
                    else:
                        if dense is None:  # only for a record inside the step: DOP853's
                            dense = solver.dense_output()   # interpolant evaluates the field
                        z = dense(times[i])                 # (3×), counted against the budget
                    z_last = np.array(z, copy=True)
                    stop = visit(i, float(times[i]), z_last)
                    i += 1
        except _Budget:
            status, msg = "stalled", f"evaluation budget {max_evals} spent at t = {solver.t:.6g} of {T:g}"
            break
        if stop or (not steps_mode and i >= times.size):
            break
        if solver.t - solver.t_old < min_step_rel * T:
            tiny += 1
            if tiny > 100:
                status, msg = "stalled", (f"step size collapsed to {solver.t - solver.t_old:.3g} at t = {solver.t:.6g} "
                                          "(sliding along an activation boundary?)")
                break
        else:
            tiny = 0
    return build("gf", flat, rec, all_rs, status, msg, calls[0], time.perf_counter() - t0, budget, t_cross=t_cross,
                 final=flat.net(z_last), rtol=rtol, atol=atol, integrator=method)
