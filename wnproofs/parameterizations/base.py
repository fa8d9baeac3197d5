"""The parameterization interface: per-neuron maps w_k = φ(θ_k) of a two-layer ReLU network.

Every network of this family computes

    f(x) = (1/√m) Σ_k c_k σ(⟨w_k, x⟩),   w_k = φ(θ_k) ∈ R^d,   θ_k ∈ R^p,

with fixed signs c_k ∈ {±1} and trained per-neuron parameters θ_k, split into named
*blocks* (WN: v ∈ R^d and g ∈ R; exponential WN: v and s; standard: w).  Each block b has
its own step size η_b; η is the diagonal of per-coordinate step sizes.  Then (THEORY.md
§3, claim D4, generalized) under gradient flow θ̇_k = −η ⊙ ∇_{θ_k} L:

    df/dt = −Λ (f − y),   Λ_ij = (1/m) Σ_k 1{⟨w_k,x_i⟩≥0} 1{⟨w_k,x_j⟩≥0} x_iᵀ M_k x_j,
    M_k = Dφ(θ_k) diag(η) Dφ(θ_k)ᵀ   (the per-neuron metric, d × d),

and Λ = Σ_b Λ_b with Λ_b = η_b J_b J_bᵀ (J_b the Jacobian of f in the block's coordinates).

A :class:`Parameterization` supplies φ, its Jacobian Dφ, the vector–Jacobian product
Dφᵀ g (used by the gradients; analytic for the built-ins), optionally the structured
form of each block's metric (isotropic plus rank one, which gives the O(n²m) BLAS kernel
of :mod:`wnproofs.parameterizations.finite`), optionally the infinite-width limit of each
block, and the map from the common initial draw to its parameters.

:class:`SymbolicParameterization` builds one from a SymPy expression of φ: the Jacobian
is then derived by ``sympy`` and lambdified (the user's own parameterization).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Mapping

import numpy as np

from ..data import Dataset
from ..errors import InputError, check_alpha, check_finite_array, check_positive, check_positive_int
from ..model import WNNetwork, check_inputs
from ..rng import RngLike, as_generator
from ..unnormalized import UNetwork, u_gradients

__all__ = [
    "Block",
    "Parameterization",
    "PNetwork",
    "MetricParts",
    "BlockLimit",
    "SymbolicParameterization",
    "draw_base",
]


@dataclass(frozen=True)
class Block:
    """A named block of per-neuron parameters with its own step size.

    ``size`` is the number of coordinates per neuron; ``None`` means d (a vector in R^d).
    """

    name: str
    size: int | None = None
    doc: str = ""

    def width(self, d: int) -> int:
        return d if self.size is None else int(self.size)


@dataclass(frozen=True)
class MetricParts:
    """Each block's unweighted metric Dφ_b Dφ_bᵀ = p_b I + q_b u uᵀ, neuron by neuron.

    ``u`` (m, d) are unit vectors; ``parts[b] = (p_b, q_b)``, each of shape (m,).  With
    step sizes η the metric is M_k = Σ_b η_b (p_bk I + q_bk u_k u_kᵀ).
    """

    u: np.ndarray
    parts: Mapping[str, tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class BlockLimit:
    """The infinite-width limit of one block at initialization: η_b · α^power · matrix."""

    block: str
    alpha_power: int
    matrix: np.ndarray
    formula: str

    def scaled(self, alpha: float, eta: float) -> np.ndarray:
        return eta * alpha**self.alpha_power * self.matrix


def draw_base(m: int, d: int, alpha: float, rng: RngLike) -> tuple[np.ndarray, np.ndarray]:
    """The common initial draw (THEORY.md §1): v_k(0) ~ N(0, α² I_d), c_k ~ Unif{±1}.

    Drawn by :meth:`wnproofs.model.WNNetwork.init` (its one home), so for one generator state
    every parameterization starts from the same function: w_k(0) = v_k(0)/α ~ N(0, I_d).
    """
    net = WNNetwork.init(m, d, alpha, as_generator(rng))
    return net.v, net.c


@dataclass(frozen=True)
class Parameterization:
    """A per-neuron reparameterization w = φ(θ) (abstract; see the built-ins).

    Subclasses implement :meth:`phi`, :meth:`jacobian` and :meth:`from_base`; they may
    override :meth:`vjp` (Dφᵀ g, analytic), :meth:`metric_parts` (structured metric: the
    fast kernel) and :meth:`limits` (closed-form infinite-width blocks).
    """

    name: str
    title: str
    blocks: tuple[Block, ...]

    # -- layout ----------------------------------------------------------------
    def n_params(self, d: int) -> int:
        """p, the number of parameters per neuron."""
        return sum(b.width(d) for b in self.blocks)

    def layout(self, d: int) -> dict[str, slice]:
        """The slice of each block in a neuron's parameter vector θ_k ∈ R^p."""
        out, lo = {}, 0
        for b in self.blocks:
            out[b.name] = slice(lo, lo + b.width(d))
            lo += b.width(d)
        return out

    @property
    def block_names(self) -> tuple[str, ...]:
        return tuple(b.name for b in self.blocks)

    def steps(self, eta: Mapping[str, float] | None = None) -> dict[str, float]:
        """Per-block step sizes: 1 for every block unless given; unknown blocks are refused."""
        out = {b: 1.0 for b in self.block_names}
        for key, val in dict(eta or {}).items():
            if key not in out:
                raise InputError(f"{self.name} has blocks {', '.join(self.block_names)}; "
                                 f"no block {key!r} for a step size")
            out[key] = check_positive(val, f"eta[{key}]")
        return out

    def eta_vector(self, eta: Mapping[str, float] | None, d: int) -> np.ndarray:
        """diag(η): the step size of each of the p coordinates."""
        steps = self.steps(eta)
        return np.concatenate([np.full(b.width(d), steps[b.name]) for b in self.blocks])

    def check_theta(self, theta, d: int) -> np.ndarray:
        theta = check_finite_array(theta, "theta", 2)
        if theta.shape[1] != self.n_params(d):
            raise InputError(f"theta has {theta.shape[1]} columns, {self.name} with d = {d} "
                             f"needs {self.n_params(d)}")
        return theta

    # -- the map ---------------------------------------------------------------
    def phi(self, theta: np.ndarray, d: int) -> np.ndarray:
        """w_k = φ(θ_k), shape (m, d)."""
        raise NotImplementedError

    def jacobian(self, theta: np.ndarray, d: int) -> np.ndarray:
        """Dφ(θ_k), shape (m, d, p)."""
        raise NotImplementedError

    def vjp(self, theta: np.ndarray, gw: np.ndarray, d: int) -> np.ndarray:
        """Dφ(θ_k)ᵀ g_k for each neuron (the chain rule ∇_θ L = Dφᵀ ∇_w L), shape (m, p)."""
        return np.einsum("kdp,kd->kp", self.jacobian(theta, d), gw)

    def from_base(self, v0: np.ndarray, alpha: float) -> np.ndarray:
        """θ(0) from the common draw v_k(0) ~ N(0, α² I) such that φ(θ_k(0)) = v_k(0)/α."""
        raise NotImplementedError

    # -- metric ------------------------------------------------------------------
    def metric(self, theta: np.ndarray, d: int, eta: Mapping[str, float] | None = None) -> np.ndarray:
        """M_k = Dφ diag(η) Dφᵀ, shape (m, d, d), from the Jacobian (any parameterization)."""
        J = self.jacobian(theta, d)
        return np.einsum("kdp,p,kep->kde", J, self.eta_vector(eta, d), J)

    def metric_parts(self, theta: np.ndarray, d: int) -> MetricParts | None:
        """Structured form p_b I + q_b u uᵀ of each block's metric, or None (general form)."""
        return None

    def metric_from_parts(self, theta: np.ndarray, d: int,
                          eta: Mapping[str, float] | None = None) -> np.ndarray | None:
        """M_k assembled from :meth:`metric_parts` (the closed form), or None."""
        mp = self.metric_parts(theta, d)
        if mp is None:
            return None
        steps = self.steps(eta)
        eye = np.eye(d)
        uu = np.einsum("kd,ke->kde", mp.u, mp.u)
        M = np.zeros((theta.shape[0], d, d))
        for b, (p, q) in mp.parts.items():
            M += steps[b] * (p[:, None, None] * eye + q[:, None, None] * uu)
        return M

    # -- infinite width --------------------------------------------------------
    def limits(self, X: np.ndarray) -> dict[str, BlockLimit] | None:
        """Closed-form infinite-width limit of each block at initialization, or None."""
        return None

    # -- construction ------------------------------------------------------------
    def check_d(self, d: int) -> None:
        """Refuse an input dimension the parameterization is not defined for (all d ≥ 2 here)."""

    def infer_d(self, p: int) -> int:
        """The input dimension d for which a neuron has p parameters."""
        fixed = sum(b.size for b in self.blocks if b.size is not None)
        nvec = sum(b.size is None for b in self.blocks)
        if nvec == 0:
            raise InputError(f"{self.name} has no vector block: d cannot be inferred")
        d, rem = divmod(p - fixed, nvec)
        if rem or d < 2:
            raise InputError(f"theta has {p} columns, which fits no d >= 2 for {self.name}")
        return d

    def network(self, theta, c, alpha: float = 1.0) -> "PNetwork":
        return PNetwork(self, theta, c, alpha)

    def init(self, m: int, d: int, alpha: float = 1.0, rng: RngLike = None) -> "PNetwork":
        """Initialization of THEORY.md §1 mapped to this parameterization (same function f(0))."""
        self.check_d(d)
        v0, c = draw_base(m, d, alpha, rng)
        return PNetwork(self, self.from_base(v0, check_alpha(alpha)), c, alpha)

    def from_blocks(self, arrays: Mapping[str, np.ndarray], c, alpha: float = 1.0) -> "PNetwork":
        """A network from plain per-block arrays (``(m, d)`` for vector blocks, ``(m,)`` for scalars)."""
        cols = []
        for b in self.blocks:
            if b.name not in arrays:
                raise InputError(f"{self.name} needs the array {b.name!r}")
            a = np.asarray(arrays[b.name], dtype=np.float64)
            cols.append(a.reshape(a.shape[0], -1))
        return PNetwork(self, np.concatenate(cols, axis=1), c, alpha)


@dataclass(frozen=True, eq=False)
class PNetwork:
    """A two-layer ReLU network under a parameterization: θ (m, p), signs c (m,), scale α.

    Immutable; :meth:`replace` returns an updated copy.  ``alpha`` is the initialization
    scale (it enters the infinite-width limits, not the forward map).
    """

    param: Parameterization
    theta: np.ndarray
    c: np.ndarray
    alpha: float = 1.0

    def __post_init__(self) -> None:
        theta = check_finite_array(self.theta, "theta", 2)
        m = theta.shape[0]
        if m < 1:
            raise InputError("the network needs at least one neuron (m >= 1)")
        d = self.param.infer_d(theta.shape[1])
        c = check_finite_array(self.c, "c", 1)
        if c.shape != (m,):
            raise InputError(f"c must have shape ({m},), got {c.shape}")
        object.__setattr__(self, "theta", theta)
        object.__setattr__(self, "c", c)
        object.__setattr__(self, "alpha", check_alpha(self.alpha))
        object.__setattr__(self, "_d", d)

    # -- shapes --------------------------------------------------------------
    @property
    def m(self) -> int:
        return int(self.theta.shape[0])

    @property
    def d(self) -> int:
        return int(self._d)

    def replace(self, **changes) -> "PNetwork":
        kw = dict(param=self.param, theta=self.theta, c=self.c, alpha=self.alpha)
        kw.update(changes)
        return PNetwork(**kw)

    def block(self, name: str) -> np.ndarray:
        """The block's parameters: (m, d) for a vector block, (m,) for a scalar one."""
        sl = self.param.layout(self.d)[name]
        a = self.theta[:, sl]
        return a[:, 0] if a.shape[1] == 1 else a

    def arrays(self) -> dict[str, np.ndarray]:
        """Plain arrays: each block by name, and ``c`` (what `wnproofs kernel` writes)."""
        out = {b: np.array(self.block(b)) for b in self.param.block_names}
        out["c"] = np.array(self.c)
        return out

    @property
    def w(self) -> np.ndarray:
        """w_k = φ(θ_k), shape (m, d)."""
        return self.param.phi(self.theta, self.d)

    # -- forward, loss, gradients --------------------------------------------
    def standard(self) -> UNetwork:
        """The un-normalized network with the same weights w_k = φ(θ_k): the same function."""
        return UNetwork(w=self.w, c=self.c)

    def forward(self, X) -> np.ndarray:
        """f(x_i) = (1/√m) Σ_k c_k σ(⟨w_k, x_i⟩), shape (n,)."""
        return self.standard().forward(X)

    def loss(self, X, y) -> float:
        """L = ½ ||f − y||²."""
        return self.standard().loss(X, y)

    def grad_w(self, X, y) -> tuple[np.ndarray, np.ndarray]:
        """(∇_w L (m, d), r = f − y): ∇_{w_k} L = (c_k/√m) Σ_i r_i 1{⟨w_k,x_i⟩≥0} x_i."""
        X = check_inputs(X, self.d)
        y = _labels(y, X)
        gw, r = u_gradients(self.w, self.c, X, y)
        return gw, r

    def gradients(self, X, y) -> np.ndarray:
        """∇_θ L = Dφᵀ ∇_w L for every neuron, shape (m, p); O(n m d)."""
        gw, _ = self.grad_w(X, y)
        return self.param.vjp(self.theta, gw, self.d)

    def jacobian(self, X) -> np.ndarray:
        """Explicit Jacobian of f, (n, m·p): ∂f(x_i)/∂θ_k = (c_k/√m) 1{⟨w_k,x_i⟩≥0} Dφ_kᵀ x_i.

        For tests and the J Jᵀ baseline only; the kernels never form it.
        """
        X = check_inputs(X, self.d)
        J = self.param.jacobian(self.theta, self.d)            # (m, d, p)
        A = (X @ self.w.T >= 0).astype(np.float64)              # (n, m)
        T = np.einsum("id,kdp->ikp", X, J)
        T *= (A * self.c / math.sqrt(self.m))[:, :, None]
        return T.reshape(X.shape[0], -1)

    def block_jacobian(self, X, block: str) -> np.ndarray:
        """The columns of :meth:`jacobian` belonging to one block, (n, m·|b|)."""
        J = self.jacobian(X).reshape(-1, self.m, self.param.n_params(self.d))
        return J[:, :, self.param.layout(self.d)[block]].reshape(J.shape[0], -1)


def _labels(y, X: np.ndarray) -> np.ndarray:
    y = check_finite_array(y, "y", 1)
    if y.shape[0] != X.shape[0]:
        raise InputError(f"y has {y.shape[0]} labels but X has {X.shape[0]} rows")
    return y


# ---------------------------------------------------------------------------- symbolic φ

@dataclass(frozen=True, eq=False)
class SymbolicParameterization(Parameterization):
    """A parameterization given by a SymPy expression of φ; Dφ is derived by ``sympy``.

    Parameters
    ----------
    name, title, blocks : as for :class:`Parameterization`.
    phi_expr : ``phi_expr(symbols, d) -> sympy.Matrix`` (d × 1), where ``symbols`` maps each
        block name to a ``sympy.Matrix`` column of real symbols (length ``Block.width(d)``).
    base_map : ``base_map(v0, alpha) -> theta`` (numpy), with φ(θ_k(0)) = v_k(0)/α.
    dims : the input dimensions the expression is written for (None: any d ≥ 2).

    The Jacobian is ``sympy.Matrix.jacobian`` of the expression, lambdified to NumPy once
    per d (cached).  :meth:`metric` then works as for any parameterization; there is no
    structured metric, so the kernel uses the general O(n² m p) form.
    """

    phi_expr: Callable | None = None
    base_map: Callable | None = None
    dims: tuple[int, ...] | None = None

    # identity, not field equality: two parameterizations with one name may differ in φ
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def check_d(self, d: int) -> None:
        if self.dims is not None and d not in self.dims:
            raise InputError(f"{self.name} is defined for d in {self.dims}, got d = {d}")

    def infer_d(self, p: int) -> int:
        if all(b.size is not None for b in self.blocks) and self.dims is not None and len(self.dims) == 1:
            if p != self.n_params(self.dims[0]):
                raise InputError(f"theta has {p} columns, {self.name} needs {self.n_params(self.dims[0])}")
            return self.dims[0]
        return super().infer_d(p)

    def symbols(self, d: int):
        """(block name → sympy column of symbols, flat list of symbols, φ expression)."""
        return _symbolic_parts(self, d)[:3]

    def phi(self, theta, d):
        self.check_d(d)
        return _call(_symbolic_parts(self, d)[3], theta, (d,))

    def jacobian(self, theta, d):
        self.check_d(d)
        return _call(_symbolic_parts(self, d)[4], theta, (d, self.n_params(d)))

    def from_base(self, v0, alpha):
        if self.base_map is None:
            raise InputError(f"{self.name} has no initialization map (base_map)")
        return np.asarray(self.base_map(v0, alpha), dtype=np.float64)


@lru_cache(maxsize=64)
def _symbolic_parts(param: SymbolicParameterization, d: int):
    import sympy as sp

    syms: dict[str, object] = {}
    flat = []
    for b in param.blocks:
        col = sp.Matrix([sp.Symbol(f"{b.name}_{i + 1}", real=True) for i in range(b.width(d))])
        syms[b.name] = col
        flat.extend(col)
    expr = sp.Matrix(param.phi_expr(syms, d))
    if expr.shape != (d, 1):
        raise InputError(f"phi_expr of {param.name} must be a {d} x 1 matrix, got {expr.shape}")
    jac = expr.jacobian(flat)
    f_phi = sp.lambdify(flat, list(expr), "numpy")
    f_jac = sp.lambdify(flat, list(jac), "numpy")
    return syms, flat, expr, f_phi, f_jac


def _call(fn, theta: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Evaluate a lambdified list of entries on the columns of θ; constants broadcast."""
    theta = np.asarray(theta, dtype=np.float64)
    m = theta.shape[0]
    vals = fn(*theta.T)
    out = np.empty((m, len(vals)))
    for j, v in enumerate(vals):
        out[:, j] = np.broadcast_to(np.asarray(v, dtype=np.float64), (m,))
    return out.reshape((m,) + shape)
