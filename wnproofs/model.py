"""The two-layer ReLU network with Weight Normalization (THEORY.md §1-§2).

f(x) = (1/√m) Σ_k c_k σ( g_k ⟨v_k, x⟩ / ||v_k|| ),  k = 1..m,

with trained directions v_k ∈ R^d and lengths g_k ∈ R, and fixed signs c_k ∈ {±1}.
"""

from __future__ import annotations

from dataclasses import dataclass


import numpy as np

from . import relu
from .errors import InputError, check_alpha, check_finite_array, check_memory, check_positive_int
from .rng import RngLike, as_generator

__all__ = ["WNNetwork", "check_inputs", "wn_gradients", "effective_weights"]


def check_inputs(X, d: int, name: str = "X") -> np.ndarray:
    """Validate a batch of inputs for a network of input dimension ``d``."""
    X = check_finite_array(X, name, 2)
    if X.shape[1] != d:
        raise InputError(f"{name} has {X.shape[1]} columns but the network expects d = {d}")
    return X


def effective_weights(v: np.ndarray, g: np.ndarray) -> np.ndarray:
    """w_k = g_k v_k/||v_k|| (THEORY.md §1), shape (m, d): the weights the ReLU layer sees."""
    return v * (g / np.sqrt(np.einsum("kd,kd->k", v, v)))[:, None]


def wn_gradients(v: np.ndarray, g: np.ndarray, c: np.ndarray, X: np.ndarray, y: np.ndarray, *,
                 coef_v: float = 1.0, coef_g: float = 1.0, chunk: int | None = None,
                 threads: int | None = None,
                 out: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(coef_v ∇_v L, coef_g ∇_g L, r = f − y) by the D1 formulas; no validation.

    The one implementation of the WN gradient (:meth:`WNNetwork.gradients` and the training
    loops of :mod:`wnproofs.dynamics` call it; GD passes coef = −η).  With s_k = g_k/||v_k||,
    ∇_w L = (c/√m) q from the block sweep of :mod:`wnproofs.relu` at w = s v, and D1 in the
    Salimans–Kingma form:

        ∇_{g_k} L = (c_k/√m) ⟨q_k, v_k⟩/||v_k||,
        ∇_{v_k} L = (c_k/√m) s_k (q_k − v_k ⟨q_k, v_k⟩/||v_k||²)  = (g_k/||v_k||) P_{v_k} ∇_{w_k} L,

    i.e. ∂f/∂g_k = c_k ⟨u_k, x⟩ 1{g_k⟨u_k,x⟩ ≥ 0}/√m and ∂f/∂v_k = c_k (g_k/||v_k||) 1{·} P_{v_k} x/√m.

    Pass structure: one sweep over blocks of neurons (:func:`wnproofs.relu.backprop_blocks`).
    A block's ||v_k||², s_k and w_k = s_k v_k are formed right before its forward GEMM, and
    the chain rule is applied to its q rows right after its backward GEMM, while they are in
    cache: the O(m d) work adds no pass of its own over memory, and runs on the block's
    thread.  Two GEMMs over the n × m pre-activations; memory O(n · chunk) a thread beyond
    the outputs.  ``chunk`` and ``threads`` as in :func:`wnproofs.relu.backprop`: the thread
    count never changes a bit of the result (every operation here is per neuron, and the one
    sum over neurons is reduced in block order).

    Parameters
    ----------
    v, g, c : directions (m, d), lengths (m,), signs (m,); X (n, d), y (n,): the data.
    coef_v, coef_g : factors of the two gradients (GD: −η_v, −η_g).
    chunk : neurons per block (default :func:`wnproofs.relu.neuron_chunk`).
    threads : Python threads over the blocks (default :func:`wnproofs.threads.default_threads`).
    out : optional (grad_v, grad_g) float64 C-contiguous arrays of shapes (m, d) and (m,),
        not overlapping the inputs, to write the two gradients into (a GD loop reuses them:
        a fresh 4 MB array every step costs its page faults, :func:`wnproofs.threads.scratch`).

    Returns
    -------
    (coef_v ∇_v L (m, d), coef_g ∇_g L (m,), r = f − y (n,)): new arrays, or ``out``'s.
    """
    m, d = v.shape
    v = np.asarray(v, dtype=np.float64)
    g = np.asarray(g, dtype=np.float64)
    if out is not None:
        grad_v, grad_g = _check_out(out, ((m, d), (m,)))
    if chunk is None and m * X.shape[0] * d <= relu.SMALL_GEMM and m <= relu.neuron_chunk(X.shape[0], m):
        q, gg, r = _wn_gradients_one_block(v, g, c, X, y, coef_v, coef_g)
        if out is None:
            return q, gg, r
        grad_v[...] = q
        grad_g[...] = gg
        return grad_v, grad_g, r
    nv2 = np.empty(m)                                  # ||v_k||², ||v_k|| and s_k: per block,
    nv = np.empty(m)                                   # in the forward sweep
    s = np.empty(m)
    scale = c / np.sqrt(m)
    cv = coef_v * scale                                # a_k = cv_k s_k: coefficient of q_k in coef_v ∇_v
    cg = coef_g * scale
    if out is None:
        grad_v = np.empty((m, d))                      # q, then the chain rule in place
        grad_g = np.empty(m)

    def weights(lo: int, hi: int, buf: np.ndarray) -> np.ndarray:
        vb = v[lo:hi]
        nb = np.einsum("kd,kd->k", vb, vb, out=nv2[lo:hi])
        sb = np.divide(g[lo:hi], np.sqrt(nb, out=nv[lo:hi]), out=s[lo:hi])
        return np.multiply(vb, sb[:, None], out=buf)   # w_k = s_k v_k

    def finish(lo: int, hi: int, qb: np.ndarray, buf: np.ndarray) -> None:
        vb = v[lo:hi]
        qv = np.einsum("kd,kd->k", qb, vb)             # ⟨q_k, v_k⟩
        a = cv[lo:hi] * s[lo:hi]
        np.multiply(qb, a[:, None], out=qb)
        t = a * qv
        t /= nv2[lo:hi]
        qb -= np.multiply(vb, t[:, None], out=buf)
        gg = np.multiply(cg[lo:hi], qv, out=grad_g[lo:hi])
        gg /= nv[lo:hi]

    r = relu.backprop_blocks(weights, m, c, X, y, grad_v, finish, chunk=chunk, cache=None,
                             threads=threads)
    return grad_v, grad_g, r


def _check_out(out, shapes) -> tuple[np.ndarray, ...]:
    """``out`` as a tuple of writable float64 C-contiguous arrays of the given shapes."""
    if not isinstance(out, (tuple, list)) or len(out) != len(shapes):
        raise InputError(f"out must be a tuple of {len(shapes)} arrays")
    for a, shape in zip(out, shapes):
        if not (isinstance(a, np.ndarray) and a.dtype == np.float64 and a.shape == shape
                and a.flags.c_contiguous and a.flags.writeable):
            raise InputError(f"out: expected a writable C-contiguous float64 array of shape {shape}")
    return tuple(out)


def _wn_gradients_one_block(v, g, c, X, y, coef_v, coef_g):
    """:func:`wn_gradients` for a tiny network (one block, GEMMs below ``relu.SMALL_GEMM``):
    the same operations in the same order as the block sweep with one block, without its
    machinery (the GF runs on a few points call this thousands of times);
    ``tests/test_relu_threads.py`` checks the two bit for bit."""
    m = v.shape[0]
    nv2 = np.einsum("kd,kd->k", v, v)
    nv = np.sqrt(nv2)
    s = g / nv
    scale = c / np.sqrt(m)
    q, r = relu.one_block(v * s[:, None], c, X, y)     # at w_k = s_k v_k
    qv = np.einsum("kd,kd->k", q, v)
    a = (coef_v * scale) * s
    q *= a[:, None]
    t = a * qv
    t /= nv2
    q -= v * t[:, None]
    gg = (coef_g * scale) * qv
    gg /= nv
    return q, gg, r


@dataclass(frozen=True, eq=False)
class WNNetwork:
    """A WN network: parameters ``v`` (m, d), ``g`` (m,), ``c`` (m,) and the scale ``alpha``.

    ``alpha`` is the initialization scale α of THEORY.md §1; it does not enter the
    forward map but enters the kernel V through s_k = α g_k / ||v_k|| (D4).
    Instances are immutable; :meth:`replace` returns an updated copy.
    """

    v: np.ndarray
    g: np.ndarray
    c: np.ndarray
    alpha: float = 1.0

    def __post_init__(self) -> None:
        v = check_finite_array(self.v, "v", 2)
        m, d = v.shape
        if m < 1:
            raise InputError("the network needs at least one neuron (m >= 1)")
        if d < 2:
            raise InputError(f"input dimension must be d >= 2, got {d}")
        g = check_finite_array(self.g, "g", 1)
        c = check_finite_array(self.c, "c", 1)
        if g.shape != (m,) or c.shape != (m,):
            raise InputError(f"g and c must have shape ({m},), got {g.shape} and {c.shape}")
        if np.any(np.linalg.norm(v, axis=1) == 0):
            raise InputError("every direction v_k must be nonzero (u_k = v_k/||v_k|| is undefined)")
        object.__setattr__(self, "v", v)
        object.__setattr__(self, "g", g)
        object.__setattr__(self, "c", c)
        object.__setattr__(self, "alpha", check_alpha(self.alpha))

    # -- construction --------------------------------------------------------
    @classmethod
    def init(cls, m: int, d: int, alpha: float = 1.0, rng: RngLike = None) -> "WNNetwork":
        """Initialization of THEORY.md §1 with scale α > 0.

        v_k(0) ~ N(0, α² I_d), c_k ~ Unif{±1}, g_k(0) = ||v_k(0)||/α, independent.
        Then w_k(0) = v_k(0)/α ~ N(0, I_d): the network equals the un-normalized one.
        """
        m = check_positive_int(m, "m")
        d = check_positive_int(d, "d", 2)
        alpha = check_alpha(alpha)
        check_memory(8.0 * m * (d + 3) * 2, f"a network of width m = {m} in R^{d}", "use a smaller m", arg="m")
        gen = as_generator(rng)
        v = alpha * gen.standard_normal((m, d))
        c = gen.choice(np.array([-1.0, 1.0]), size=m)
        g = np.linalg.norm(v, axis=1) / alpha
        return cls(v=v, g=g, c=c, alpha=alpha)

    def replace(self, **changes) -> "WNNetwork":
        """A copy with some of ``v``, ``g``, ``c``, ``alpha`` replaced."""
        kw = dict(v=self.v, g=self.g, c=self.c, alpha=self.alpha)
        kw.update(changes)
        return WNNetwork(**kw)

    # -- derived quantities --------------------------------------------------
    @property
    def m(self) -> int:
        """Width (number of hidden neurons)."""
        return int(self.v.shape[0])

    @property
    def d(self) -> int:
        """Input dimension."""
        return int(self.v.shape[1])

    @property
    def v_norms(self) -> np.ndarray:
        """||v_k||, shape (m,)."""
        return np.linalg.norm(self.v, axis=1)

    @property
    def u(self) -> np.ndarray:
        """Unit directions u_k = v_k/||v_k||, shape (m, d)."""
        return self.v / self.v_norms[:, None]

    @property
    def w(self) -> np.ndarray:
        """Equivalent un-normalized weights w_k = g_k v_k/||v_k||, shape (m, d)."""
        return effective_weights(self.v, self.g)

    @property
    def s(self) -> np.ndarray:
        """s_k = α g_k/||v_k|| (THEORY.md §3); equals 1 at initialization."""
        return self.alpha * self.g / self.v_norms

    # -- forward and gradients (D1) ------------------------------------------
    def forward(self, X) -> np.ndarray:
        """f(x_i) for each row of X, shape (n,); streamed over neurons (:func:`wnproofs.relu.forward`)."""
        X = check_inputs(X, self.d)
        return relu.forward(self.w, self.c, X)

    def loss(self, X, y) -> float:
        """L = ½ ||f − y||²."""
        r = self.forward(X) - _labels(y, X)
        return 0.5 * float(r @ r)

    def gradients(self, X, y) -> tuple[np.ndarray, np.ndarray]:
        """(∇_v L, ∇_g L) by the D1 formulas, shapes (m, d) and (m,): :func:`wn_gradients`.

        ∂f(x)/∂g_k = (1/√m) c_k ⟨u_k, x⟩ 1{g_k⟨u_k,x⟩ ≥ 0}  (= c_k σ(⟨u_k,x⟩)/√m for g_k > 0),
        ∂f(x)/∂v_k = (1/√m) c_k (g_k/||v_k||) 1{g_k⟨v_k,x⟩ ≥ 0} P_{v_k} x.
        Cost O(n m d): two GEMMs, no Jacobian is formed; memory O(n · chunk + m d).
        """
        X = check_inputs(X, self.d)
        gv, gg, _ = wn_gradients(self.v, self.g, self.c, X, _labels(y, X))
        return gv, gg

    def jacobians(self, X) -> tuple[np.ndarray, np.ndarray]:
        """Explicit Jacobians J_v (n, m·d) and J_g (n, m) of f (D4); O(n m d) memory.

        For tests and the J Jᵀ baseline only: the kernels never form them.
        """
        X = check_inputs(X, self.d)
        u, nv = self.u, self.v_norms
        Z = X @ u.T
        A = (Z * self.g >= 0).astype(np.float64)
        scale = self.c / np.sqrt(self.m)
        Jg = Z * A * scale
        Px = X[:, None, :] - Z[:, :, None] * u[None, :, :]   # (n, m, d): P_{v_k} x_i
        Jv = (A * scale * self.g / nv)[:, :, None] * Px
        return Jv.reshape(X.shape[0], -1), Jg

    # -- serialisation ---------------------------------------------------------
    def to_dict(self) -> dict:
        return {"v": self.v.tolist(), "g": self.g.tolist(), "c": self.c.tolist(), "alpha": self.alpha}

    @classmethod
    def from_dict(cls, obj: dict) -> "WNNetwork":
        return cls(v=obj["v"], g=obj["g"], c=obj["c"], alpha=obj["alpha"])


def _labels(y, X: np.ndarray) -> np.ndarray:
    y = check_finite_array(y, "y", 1)
    if y.shape[0] != X.shape[0]:
        raise InputError(f"y has {y.shape[0]} labels but X has {X.shape[0]} rows")
    return y
