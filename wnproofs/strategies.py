"""Hypothesis strategies for property-testing wnproofs claims (public API).

Every random object is built from an integer seed drawn by Hypothesis and a
``numpy.random.default_rng(seed)`` inside the strategy, so a failing example shrinks
(smaller n, d, m, simpler floats, seed 0) and replays exactly from what Hypothesis prints.

Example: property-test L5 on your own perturbation sizes::

    from hypothesis import given
    from wnproofs import strategies as wst
    from wnproofs.replay import find_check, run_recorded

    @given(wst.instances(params=wst.l5_params(eps_v=wst.log_floats(1e-3, 1.0))))
    def test_l5(inst):
        run_recorded(find_check("L5", "l5.gram_stability"), inst)

Strategies: :func:`seeds`, :func:`log_floats`, :func:`alphas`, :func:`sphere_data`,
:func:`adversarial_data`, :func:`datasets`, :func:`networks`, :func:`perturbed_networks`,
:func:`l2_params` ... :func:`l6_params`, :func:`instances`.
"""

from __future__ import annotations

import math
from typing import Any, Mapping

import numpy as np
from hypothesis import strategies as st

from .data import Dataset, adversarial, random_sphere
from .model import WNNetwork
from .plugin import Instance

__all__ = [
    "MAX_SEED",
    "seeds",
    "log_floats",
    "alphas",
    "sphere_data",
    "adversarial_data",
    "datasets",
    "networks",
    "perturbed_networks",
    "l2_params",
    "l3_params",
    "l4_params",
    "l5_params",
    "l6_params",
    "instances",
]

MAX_SEED = 2**32 - 1


def seeds() -> st.SearchStrategy[int]:
    """Integer seeds in [0, 2³² − 1] (shrink towards 0)."""
    return st.integers(0, MAX_SEED)


def log_floats(lo: float, hi: float) -> st.SearchStrategy[float]:
    """Floats spread evenly in log scale over [lo, hi] (0 < lo < hi); shrink towards lo."""
    if not (0 < lo < hi):
        raise ValueError(f"need 0 < lo < hi, got {lo}, {hi}")
    a, b = math.log(lo), math.log(hi)
    return st.integers(0, 10_000).map(lambda k: float(math.exp(a + (b - a) * k / 10_000)))


def alphas(lo: float = 0.1, hi: float = 10.0) -> st.SearchStrategy[float]:
    """Initialization scales α, log-uniform on [lo, hi] (both regimes of THEORY.md §4)."""
    return log_floats(lo, hi)


def _ints(x, lo: int, hi: int) -> st.SearchStrategy[int]:
    return x if isinstance(x, st.SearchStrategy) else st.integers(lo, hi)


@st.composite
def sphere_data(draw, n=None, d=None) -> Dataset:
    """Uniform points on S^{d−1} with labels in ±[0.5, 1] (``data.random_sphere``).

    ``n``, ``d``: strategies or None (defaults: n in [1, 10], d in [2, 8]).
    """
    nn = draw(_ints(n, 1, 10))
    dd = draw(_ints(d, 2, 8))
    seed = draw(seeds())
    return random_sphere(nn, dd, seed, name=f"sphere(n={nn}, d={dd}, seed={seed})")


@st.composite
def adversarial_data(draw, n=None, d=None, eps=None) -> Dataset:
    """Near-parallel / near-antiparallel pairs and a tight cluster (``data.adversarial``).

    ``eps`` defaults to log-uniform on [1e-6, 0.5] (A1 still holds, λ_0 and μ_0 are tiny).
    The construction needs n ≥ 2: a drawn n = 1 is raised to 2.
    """
    nn = max(2, draw(_ints(n, 2, 10)))
    dd = draw(_ints(d, 2, 8))
    e = draw(eps if eps is not None else log_floats(1e-6, 0.5))
    seed = draw(seeds())
    return adversarial(nn, dd, seed, eps=e, name=f"adversarial(n={nn}, d={dd}, eps={e:.3g}, seed={seed})")


def datasets(n=None, d=None) -> st.SearchStrategy[Dataset]:
    """Either kind of data set (random first: it is what shrinking aims for)."""
    return st.one_of(sphere_data(n, d), adversarial_data(n, d))


@st.composite
def networks(draw, d: int | st.SearchStrategy = None, m=None, alpha=None) -> WNNetwork:
    """A WN network at initialization (``WNNetwork.init``) from a drawn seed.

    ``m`` defaults to [1, 300]; ``alpha`` to :func:`alphas`; ``d`` to [2, 8].
    """
    dd = draw(_ints(d, 2, 8)) if not isinstance(d, int) else d
    mm = draw(_ints(m, 1, 300))
    a = draw(alpha if alpha is not None else alphas())
    return WNNetwork.init(mm, dd, a, draw(seeds()))


@st.composite
def perturbed_networks(draw, d: int | st.SearchStrategy = None, m=None, alpha=None,
                       eps_v=None, eps_g=None) -> tuple[WNNetwork, WNNetwork]:
    """(network at initialization, the same network moved by a random controlled amount):
    each v_k moves by about eps_v ||v_k|| in a random direction, g_k by a factor in
    1 ± eps_g (eps_g < 1 keeps g_k > 0)."""
    net = draw(networks(d, m, alpha))
    ev = draw(eps_v if eps_v is not None else log_floats(1e-4, 1.0))
    eg = draw(eps_g if eps_g is not None else log_floats(1e-4, 0.9))
    rng = np.random.default_rng(draw(seeds()))
    dv = (ev * net.v_norms / math.sqrt(net.d))[:, None] * rng.standard_normal(net.v.shape)
    return net, net.replace(v=net.v + dv, g=net.g * (1.0 + eg * rng.uniform(-1, 1, net.m)))


# -- claim parameters (the keys each check reads from Instance.params) -------------

def l2_params(widths=None, seeds_per_width=None, delta=None) -> st.SearchStrategy[dict]:
    """Params of the L2 check: ``widths`` (one or two in [20, 1000]), ``seeds``, ``delta``."""
    return st.fixed_dictionaries({
        "widths": widths if widths is not None else st.lists(st.integers(20, 1000), min_size=1, max_size=2),
        "seeds": seeds_per_width if seeds_per_width is not None else st.integers(30, 150),
        "delta": delta if delta is not None else st.sampled_from([0.1, 0.2, 0.5]),
    })


def l3_params(widths=None, seeds_per_width=None, delta=None) -> st.SearchStrategy[dict]:
    """Params of the L3 check (same keys as L2)."""
    return l2_params(widths, seeds_per_width, delta)


def l4_params(m=None, r=None, R=None, eps_v=None, alpha=None) -> st.SearchStrategy[dict]:
    """Params of the L4 checks: ``m``, ``l4_r`` (sphere radius), ``l4_R`` (w-radius),
    ``eps_v`` (perturbation size of the flip-implication check), ``alpha``."""
    return st.fixed_dictionaries({
        "m": m if m is not None else st.integers(500, 5000),
        "l4_r": r if r is not None else st.floats(0.01, 0.99),
        "l4_R": R if R is not None else st.floats(0.01, 3.0),
        "eps_v": eps_v if eps_v is not None else log_floats(1e-3, 2.0),
        "alpha": alpha if alpha is not None else alphas(),
    })


def l5_params(m=None, alpha=None, eps_v=None, eps_g=None, modes=None) -> st.SearchStrategy[dict]:
    """Params of the L5 check: ``m`` in [1, 300] (small widths make the bound tight),
    ``alpha``, ``eps_v`` in [1e-4, 2], ``eps_g`` in [1e-4, 0.95], ``l5_modes``, and the GD
    mode's ``eta`` and ``gd_steps``."""
    return st.fixed_dictionaries({
        "m": m if m is not None else st.integers(1, 300),
        "alpha": alpha if alpha is not None else alphas(),
        "eps_v": eps_v if eps_v is not None else log_floats(1e-4, 2.0),
        "eps_g": eps_g if eps_g is not None else log_floats(1e-4, 0.95),
        "l5_modes": modes if modes is not None else st.lists(
            st.sampled_from(["random", "adversarial", "lengths", "gd"]), min_size=1, max_size=4, unique=True),
        "eta": log_floats(1e-2, 2.0),
        "gd_steps": st.integers(1, 20),
    })


def l6_params(m=None, alpha=None, steps=None, B=None) -> st.SearchStrategy[dict]:
    """Params of the L6 checks: ``m`` in [5, 200], ``alpha``, ``gd_steps`` in [5, 300],
    ``T`` in [0.2, 5] (GF horizon), ``l6_B`` ("actual" or "L3")."""
    return st.fixed_dictionaries({
        "m": m if m is not None else st.integers(5, 200),
        "alpha": alpha if alpha is not None else alphas(0.3, 3.0),
        "gd_steps": steps if steps is not None else st.integers(5, 300),
        "T": st.floats(0.2, 5.0),
        "l6_B": B if B is not None else st.sampled_from(["actual", "L3"]),
    })


@st.composite
def instances(draw, data=None, params=None, mode: str = "quick",
              extra: Mapping[str, Any] | None = None) -> Instance:
    """An :class:`~wnproofs.registry.Instance`: data (default :func:`datasets`), a seed,
    ``mode`` and params (a strategy of dicts, e.g. :func:`l5_params`, merged with ``extra``).
    """
    ds = draw(data if data is not None else datasets())
    p = dict(draw(params)) if params is not None else {}
    p.update(extra or {})
    return Instance(ds, draw(seeds()), mode, p)
