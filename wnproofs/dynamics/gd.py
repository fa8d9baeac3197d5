"""The one gradient-descent loop (THEORY.md §1; T1, T2, C1, and every check that watches GD).

v_k(s+1) = v_k(s) − η_v ∇_{v_k}L(s), g_k(s+1) = g_k(s) − η_g ∇_{g_k}L(s) for the WN network
(the paper uses one η for both), w_k(s+1) = w_k(s) − η ∇_{w_k}L(s) for the un-normalized one.
One gradient evaluation per step (:func:`wnproofs.model.wn_gradients`,
:func:`wnproofs.unnormalized.u_gradients`: two GEMMs streamed over neurons), the update
applied in place, the last step only a forward pass.  The run is bounded by its number of
steps; a step that is too large is detected (:class:`Diverged`), never returned as NaN.
"""

from __future__ import annotations

import math
import time

import numpy as np

from ..errors import InputError, check_positive, check_positive_int
from ..threads import use_threads
from .flat import Net, as_flat
from .trajectory import Diverged, Hook, Recorder, Trajectory, build, make_state

__all__ = ["gd", "step_sizes"]


def step_sizes(eta, eta_v, eta_g) -> tuple[float, float]:
    """(η_v, η_g) from the paper's single η and the per-group overrides."""
    if eta is None and (eta_v is None or eta_g is None):
        raise InputError("give a step: eta, or both eta_v and eta_g")
    ev = check_positive(eta if eta_v is None else eta_v, "eta_v")
    eg = check_positive(eta if eta_g is None else eta_g, "eta_g")
    return ev, eg


def gd(net: Net, data, y=None, *, eta: float | None = None, eta_v: float | None = None,
       eta_g: float | None = None, steps: int = 100, record_every: int = 10,
       stop_rel: float = 1e-24, divergence_factor: float | None = 1e4,
       hook: Hook | None = None, threads: int | None = None) -> Trajectory:
    """Gradient descent with a constant step from ``net`` (THEORY.md §1; T1, T2, C1).

    Parameters
    ----------
    net : WNNetwork (v, g updated with η_v, η_g) or UNetwork (w updated with η = η_v).
    data : a Dataset, or an (n, d) array X with labels ``y``.
    eta : the paper's single step for v and g; ``eta_v``, ``eta_g`` override it per group.
    steps : the budget: number of steps; ``record_every`` : steps between records (Λ(t)
        costs O(n² m)); the first and the last step are always recorded.
    stop_rel : stop ("converged") once ||f − y||² ≤ stop_rel·||f(0) − y||² (round-off floor).
    divergence_factor : ||f − y||² > factor·max(||f(0) − y||², 1) (None: never) or a
        non-finite value raises :class:`Diverged`, naming the bound η < 2/λ_max(Λ(0)).
    hook : called with the :class:`State` at every step s = 0..steps before the step is
        applied (``state.step`` is the update; None at the last step); a true return
        value stops the run (status "stopped").
    threads : Python threads over the blocks of neurons of every gradient and forward pass
        of the run (default :func:`wnproofs.threads.default_threads`, the BLAS thread count).
        Only the speed depends on it: the trajectory is bit-identical for every value
        (:mod:`wnproofs.relu`).  The records (Λ(t), O(n² m)) and the hook run with the
        BLAS configuration as it is.

    Returns
    -------
    Trajectory with ``t`` the step index and ``budget = {"steps": steps}``.  The recorded
    kernel is Λ = (η_v/η_g)·V/α² + G for WN (the paper's Λ = V/α² + G when η_v = η_g) and
    H(t) for the un-normalized network.
    """
    ev, eg = step_sizes(eta, eta_v, eta_g)
    steps = check_positive_int(steps, "steps", 0)
    record_every = check_positive_int(record_every, "record_every")
    with use_threads(threads):
        return _gd(net, data, y, ev, eg, steps, record_every, stop_rel, divergence_factor, hook)


def _gd(net: Net, data, y, ev: float, eg: float, steps: int, record_every: int, stop_rel: float,
        divergence_factor: float | None, hook: Hook | None) -> Trajectory:
    flat = as_flat(net, data, y, ev, eg)
    rec = Recorder(flat, ev / eg, 1.0)
    budget = {"steps": steps}
    t0 = time.perf_counter()
    z = flat.z0.copy()
    blocks = flat.blocks(z)
    all_rs: list[float] = []
    status, msg = "finished", ""
    nfev = 0
    rs0 = None
    for s in range(steps + 1):
        last = s == steps
        if last:
            step, r = None, flat.residual(z)
        else:
            step, r = flat.update(z)
            nfev += 1
        rs = float(r @ r)
        if rs0 is None:
            rs0 = rs
        if not math.isfinite(rs) or (divergence_factor is not None and rs > divergence_factor * max(rs0, 1.0)):
            traj = build("gd", flat, rec, all_rs + [rs], "diverged", f"diverged at step {s}", nfev,
                         time.perf_counter() - t0, budget, record_every)
            raise _diverged(flat, rec, s, rs, rs0, ev, eg, traj)
        all_rs.append(rs)
        done = last
        if rs <= stop_rel * rs0:
            status, msg, done = "converged", f"||f − y||² fell below {stop_rel:g}·||f(0) − y||² at step {s}", True
        if hook is not None and hook(make_state("gd", flat, s, float(s), z, r, rs, step)) and not done:
            status, msg, done = "stopped", f"stopped by the hook at step {s}", True
        if s % record_every == 0 or done:
            rec(z, float(s), rs)
        if done:
            break
        for name, delta in step.items():
            blocks[name] += delta
    return build("gd", flat, rec, all_rs, status, msg, nfev, time.perf_counter() - t0, budget,
                 record_every, final=flat.net(z))


def _diverged(flat, rec: Recorder, s: int, rs: float, rs0: float, ev: float, eg: float,
              traj: Trajectory) -> Diverged:
    bound = 2.0 / rec.lambda_max0()
    extra = ""
    if flat.model == "wn":
        from ..kernels import gram_G

        gb = 2.0 / float(np.linalg.eigvalsh(gram_G(flat.net(flat.z0), flat.X))[-1])
        extra = (f"; the length part alone needs η_g < 2/λ_max(G(0)) = {gb:.4g} "
                 f"({'violated' if eg > gb else 'met'}; the direction part self-tunes as ||v_k|| grows, D3)")
    return Diverged(
        f"GD diverged at step {s}: ||f − y||² = {rs:.3g} (from {rs0:.3g}); the step "
        f"η = {eg:.4g}{'' if ev == eg else f' (η_v = {ev:.4g})'} "
        f"{'violates' if eg > bound else 'is within'} the bound η < 2/λ_max(Λ(0)) = {bound:.4g}" + extra,
        step=s, eta=eg, bound_name="2/λ_max(Λ(0))", bound_value=bound, residual_sq=rs, trajectory=traj)
