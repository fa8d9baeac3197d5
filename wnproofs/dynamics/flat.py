"""A network as a flat parameter vector z with its descent field: what the GD loop and the
GF integrator run on (THEORY.md §1).

A *flat* is any object with

* ``model`` (str), ``X`` (n, d), ``y`` (n,), ``m``, ``d``, ``alpha``, ``eta_v``, ``eta_g``, and
  ``z0`` — the initial parameters as one vector (the reference of every record);
* ``blocks(z)``: the named parameter blocks of z as views (``{"v", "g"}`` or ``{"w"}``);
* ``update(z)``: ``(step, r)``, the GD step −η∇L by block and r = f − y; the step's arrays
  may be reused by the next call (the GD loop applies a step before it asks for the next);
* ``descent(z)``: ``(dz, r)``, the same as one vector (the GF field; a new array);
* ``residual(z)``: r = f − y (forward only);
* ``net(z)``: the network object (a copy);
* ``kernel(z, wv, wg)``: the n × n kernel that drives the dynamics;
* ``movement(z)``: the per-record summaries of how far z moved from ``z0``.

Everything is streamed over blocks of neurons (:func:`wnproofs.relu.neuron_chunk`): beyond
the parameters, memory is O(n · chunk) (see :mod:`wnproofs.dynamics.memory`).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Union

import numpy as np

from ..data import Dataset
from ..errors import InputError
from ..kernels import ntk
from ..model import WNNetwork, check_inputs, effective_weights, wn_gradients
from ..relu import caches_activations, forward, neuron_chunk
from ..threads import resolve_threads, run_ranges, single_blas, split_ranges
from ..unnormalized import UNetwork, u_gradients

__all__ = ["WNFlat", "UFlat", "as_flat", "is_flat", "FLAT_PROTOCOL", "Net"]

Net = Union[WNNetwork, UNetwork]


def _blocks(m: int, chunk: int):
    for lo in range(0, m, chunk):
        yield slice(lo, min(m, lo + chunk))


class _Movement:
    """Streaming accumulator of the movement summaries (max, sum, count, flips)."""

    def __init__(self, m: int):
        self.m = m
        self.dmax = self.lmax = 0.0
        self.dsum = self.lsum = 0.0
        self.vmax, self.vmin = -np.inf, np.inf
        self.flips = 0

    def add(self, du, dl, vrel, flips: int) -> None:
        self.dmax = max(self.dmax, float(du.max()))
        self.dsum += float(du.sum())
        self.lmax = max(self.lmax, float(dl.max()))
        self.lsum += float(dl.sum())
        self.vmax = max(self.vmax, float(vrel.max()))
        self.vmin = min(self.vmin, float(vrel.min()))
        self.flips += int(flips)

    def result(self) -> dict:
        return dict(dir_move_max=self.dmax, dir_move_mean=self.dsum / self.m,
                    len_move_max=self.lmax, len_move_mean=self.lsum / self.m, flips=self.flips,
                    vnorm_change_max=self.vmax, vnorm_change_min=self.vmin)


class _Flips:
    """#{(i, k): 1{⟨w_k, x_i⟩ ≥ 0} ≠ 1{⟨w_k(0), x_i⟩ ≥ 0}} block by block; the initial pattern
    is kept (n·m bytes) while :func:`wnproofs.relu.caches_activations` allows, else recomputed."""

    def __init__(self, X: np.ndarray, m: int):
        self.X = X
        self.keep = caches_activations(X.shape[0], m)
        self.A0: dict[int, np.ndarray] = {}

    def __call__(self, lo: int, W: np.ndarray, W0: np.ndarray) -> int:
        A0 = self.A0.get(lo)
        if A0 is None:
            A0 = W0 @ self.X.T >= 0
            if self.keep:
                self.A0[lo] = A0
        return int(np.count_nonzero((W @ self.X.T >= 0) != A0))


def _summaries(m: int, chunk: int, block) -> dict:
    """The movement summaries from ``block(sl)`` -> (du, dl, vrel, flips) of every block of
    neurons: the blocks run on :func:`wnproofs.threads.run_ranges` (BLAS at one thread) and
    are added in block order, so the result does not depend on the thread count."""
    blocks = list(_blocks(m, chunk))
    parts: list = [None] * len(blocks)

    def task(b0: int, b1: int) -> None:
        for i in range(b0, b1):
            parts[i] = block(blocks[i])

    with single_blas():
        run_ranges(task, split_ranges(len(blocks), resolve_threads(None)))
    acc = _Movement(m)
    for p in parts:
        acc.add(*p)
    return acc.result()


#: The movement summaries at the start (nothing has moved).
_AT_START = dict(dir_move_max=0.0, dir_move_mean=0.0, len_move_max=0.0, len_move_mean=0.0, flips=0,
                 vnorm_change_max=0.0, vnorm_change_min=0.0)


class WNFlat:
    """z = [vec v, g] for the WN network; GD/GF steps η_v on v and η_g on g."""

    model = "wn"

    def __init__(self, net: WNNetwork, X: np.ndarray, y: np.ndarray, eta_v: float, eta_g: float):
        self.c, self.alpha, self.m, self.d = net.c, net.alpha, net.m, net.d
        self.X, self.y = X, y
        self.eta_v, self.eta_g = eta_v, eta_g
        self.z0 = np.concatenate([net.v.ravel(), net.g])
        self.z0.setflags(write=False)
        self.chunk = neuron_chunk(X.shape[0], self.m)
        self.flips = _Flips(X, self.m)
        self._step: np.ndarray | None = None

    def blocks(self, z: np.ndarray) -> dict[str, np.ndarray]:
        md = self.m * self.d
        return {"v": z[:md].reshape(self.m, self.d), "g": z[md:]}

    def _gradients(self, z, dz: np.ndarray):
        b, s = self.blocks(z), self.blocks(dz)
        _, _, r = wn_gradients(b["v"], b["g"], self.c, self.X, self.y, coef_v=-self.eta_v,
                               coef_g=-self.eta_g, out=(s["v"], s["g"]))
        return s, r

    def update(self, z):
        if self._step is None:
            self._step = np.empty_like(self.z0)
        return self._gradients(z, self._step)

    def descent(self, z):
        dz = np.empty_like(self.z0)
        return dz, self._gradients(z, dz)[1]

    def residual(self, z) -> np.ndarray:
        b = self.blocks(z)
        return forward(effective_weights(b["v"], b["g"]), self.c, self.X) - self.y

    def net(self, z) -> WNNetwork:
        b = self.blocks(z)
        return WNNetwork(v=b["v"].copy(), g=b["g"].copy(), c=self.c, alpha=self.alpha)

    def kernel(self, z, wv: float, wg: float) -> np.ndarray:
        """Λ = (wv/α²) V + wg G (D4), streamed by :func:`wnproofs.kernels.ntk` on views of z
        (the kernels read a network's attributes only: no copy, no re-validation)."""
        b = self.blocks(z)
        view = SimpleNamespace(v=b["v"], g=b["g"], alpha=self.alpha, m=self.m, d=self.d)
        return ntk(view, self.X, wv, wg)

    def movement(self, z) -> dict:
        """||u_k − u_k(0)||, |g_k − g_k(0)|, ||v_k||/||v_k(0)|| − 1 and activation flips, streamed."""
        if np.array_equal(z, self.z0):
            return dict(_AT_START)
        b, b0 = self.blocks(z), self.blocks(self.z0)

        def block(sl: slice):
            v, v0, g, g0 = b["v"][sl], b0["v"][sl], b["g"][sl], b0["g"][sl]
            nv, nv0 = np.linalg.norm(v, axis=1), np.linalg.norm(v0, axis=1)
            du = np.linalg.norm(v / nv[:, None] - v0 / nv0[:, None], axis=1)
            return (du, np.abs(g - g0), nv / nv0 - 1.0,
                    self.flips(sl.start, effective_weights(v, g), effective_weights(v0, g0)))

        return _summaries(self.m, self.chunk, block)


class UFlat:
    """z = vec w for the un-normalized network (C1); GD/GF step η = η_v; lengths are ||w_k||."""

    model = "unnormalized"

    def __init__(self, net: UNetwork, X: np.ndarray, y: np.ndarray, eta_v: float, eta_g: float):
        self.c, self.m, self.d = net.c, net.m, net.d
        self.alpha = 1.0
        self.X, self.y = X, y
        self.eta_v, self.eta_g = eta_v, eta_g
        self.z0 = net.w.ravel().copy()
        self.z0.setflags(write=False)
        self.chunk = neuron_chunk(X.shape[0], self.m)
        self.flips = _Flips(X, self.m)
        self._step: np.ndarray | None = None

    def blocks(self, z: np.ndarray) -> dict[str, np.ndarray]:
        return {"w": z.reshape(self.m, self.d)}

    def _gradients(self, z, dz: np.ndarray):
        s = self.blocks(dz)
        _, r = u_gradients(self.blocks(z)["w"], self.c, self.X, self.y, coef=-self.eta_v, out=s["w"])
        return s, r

    def update(self, z):
        if self._step is None:
            self._step = np.empty_like(self.z0)
        return self._gradients(z, self._step)

    def descent(self, z):
        dz = np.empty_like(self.z0)
        return dz, self._gradients(z, dz)[1]

    def residual(self, z) -> np.ndarray:
        return forward(self.blocks(z)["w"], self.c, self.X) - self.y

    def net(self, z) -> UNetwork:
        return UNetwork(w=self.blocks(z)["w"].copy(), c=self.c)

    def kernel(self, z, wv: float, wg: float) -> np.ndarray:
        """wv·H(t), H(t) = [K ∘ (A Aᵀ)]/m (C1), streamed.

        H(t) is the WN kernel Λ = V/α² + G of the network v_k = w_k, g_k = ||w_k||, α = 1
        (then s_k = 1 and V + G = K ∘ (A Aᵀ)/m exactly, THEORY.md §3), so
        :func:`wnproofs.kernels.ntk` streams it; a weight w_k = 0 (which GD from a Gaussian
        start reaches with probability 0) is refused there as a zero direction.
        """
        w = self.blocks(z)["w"]
        eq = WNNetwork(v=w.copy(), g=np.linalg.norm(w, axis=1), c=self.c, alpha=1.0)
        return wv * ntk(eq, self.X, 1.0, 1.0)

    def movement(self, z) -> dict:
        if np.array_equal(z, self.z0):
            return dict(_AT_START)
        w, w0 = self.blocks(z)["w"], self.blocks(self.z0)["w"]

        def block(sl: slice):
            a, a0 = w[sl], w0[sl]
            n, n0 = np.linalg.norm(a, axis=1), np.linalg.norm(a0, axis=1)
            du = np.linalg.norm(a / np.where(n > 0, n, 1.0)[:, None] - a0 / n0[:, None], axis=1)
            return du, np.abs(n - n0), n / n0 - 1.0, self.flips(sl.start, a, a0)

        return _summaries(self.m, self.chunk, block)


#: What makes an object a flat (see the module docstring).
FLAT_PROTOCOL = ("model", "X", "y", "m", "d", "alpha", "eta_v", "eta_g", "z0", "blocks", "update",
                 "descent", "residual", "net", "kernel", "movement")


def is_flat(obj) -> bool:
    """Whether ``obj`` implements the flat protocol (another parameterization can pass one to
    :func:`wnproofs.dynamics.gd` / :func:`~wnproofs.dynamics.gf` in place of a network)."""
    return all(hasattr(obj, name) for name in FLAT_PROTOCOL)


def as_flat(net: Net, data, y, eta_v: float, eta_g: float):
    """The flat of ``net`` on ``data`` (a Dataset, or X with labels ``y``), validated once.

    ``net`` may itself be a flat (:func:`is_flat`); then ``data``, ``y`` and the steps must be
    those it was built with (it carries them), and it is returned as it is.
    """
    if is_flat(net):
        if (net.eta_v, net.eta_g) != (eta_v, eta_g):
            raise InputError(f"the flat was built with η_v = {net.eta_v}, η_g = {net.eta_g}, "
                             f"not {eta_v}, {eta_g}")
        return net
    if isinstance(data, Dataset):
        X, yy = data.X, data.y
    else:
        X, yy = data, y
    if yy is None:
        raise InputError("labels y are required (pass a Dataset or X and y)")
    flats = {WNNetwork: WNFlat, UNetwork: UFlat}
    if type(net) not in flats:
        raise InputError(f"net must be a WNNetwork or UNetwork, got {type(net).__name__}")
    X = check_inputs(X, net.d)
    yy = np.asarray(yy, dtype=np.float64)
    if yy.shape != (X.shape[0],):
        raise InputError(f"y must have shape ({X.shape[0]},), got {yy.shape}")
    return flats[type(net)](net, X, yy, eta_v, eta_g)
