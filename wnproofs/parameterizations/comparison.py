"""Standard against WN against exponential WN on the same data and initialization.

For each parameterization, from the same draw v_k(0) ~ N(0, α² I), c_k (so every network
computes the same f(0)), :func:`compare_parameterizations` reports

* λ_min(Λ(0)) of the finite kernel, and λ_min(Λ^∞) of its limit where a closed form exists,
  with the dominant block and the crossover α* (:func:`limits.block_regime`);
* GD: the number of steps to reach ||f − y||² ≤ ε ||f(0) − y||² with the global step
  h = 1/λ_max(Λ(0)) (the blocks' η kept), within a step budget;
* GF: the flow time to reach the same residual (RK45, an evaluation budget), and the
  smallest λ_min(Λ(t)) seen on the way (the rate of D5);
* the width the conclusion needed: the smallest width of a geometric grid at which GD
  reached ε within the step budget for every seed (widths are tried in increasing order
  and the search stops at the first success; "not reached" when none succeeded).

Budgets are steps and evaluations, never seconds; the same generator state gives the same
table on any machine.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Mapping, Sequence

import numpy as np

from ..errors import InputError, check_alpha, check_finite_array, check_positive, check_positive_int
from .base import PNetwork, draw_base
from .builtin import get
from .finite import kernel_blocks
from .limits import block_regime
from .training import Flat, gd_to_target, gf_to_target

__all__ = ["CompareSettings", "ComparisonRow", "Comparison", "compare_parameterizations"]


@dataclass(frozen=True)
class CompareSettings:
    """Budgets and the grid of the comparison (all reproducible: no wall-clock limits)."""

    parameterizations: tuple[str, ...] = ("standard", "wn", "ewn")
    m: int = 256
    alpha: float = 1.0
    eta: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    eps: float = 1e-2
    gd_max_steps: int = 2000
    gf_T_max: float = 1e4
    gf_max_evals: int = 5000
    widths: tuple[int, ...] = (16, 32, 64, 128, 256, 512)
    seeds: int = 3

    def __post_init__(self) -> None:
        for p in self.parameterizations:
            get(p)
        check_positive_int(self.m, "m")
        check_alpha(self.alpha)
        eps = check_positive(self.eps, "eps")
        if eps >= 1:
            raise InputError(f"eps must lie in (0, 1), got {self.eps!r}")
        check_positive_int(self.gd_max_steps, "gd_max_steps")
        check_positive(self.gf_T_max, "gf_T_max")
        check_positive_int(self.gf_max_evals, "gf_max_evals")
        check_positive_int(self.seeds, "seeds")
        if not self.widths or list(self.widths) != sorted(set(self.widths)):
            raise InputError(f"widths must be increasing and distinct, got {self.widths}")
        for w in self.widths:
            check_positive_int(w, "widths")
        for name, e in self.eta.items():
            get(name).steps(e)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["eta"] = {k: dict(v) for k, v in self.eta.items()}
        return out


@dataclass(frozen=True)
class ComparisonRow:
    """One parameterization's line of the side-by-side table (None: not reached / no closed form)."""

    parameterization: str
    title: str
    eta: Mapping[str, float]
    lambda_min: float
    lambda_min_limit: float | None
    dominant_block: str | None
    alpha_star: float | None
    gd_steps: int | None
    gd_step_size: float
    gd_status: str
    gf_time: float | None
    gf_status: str
    gf_nfev: int
    gf_kappa_min: float
    gf_t_end: float
    residual_sq0: float
    gf_residual_sq_end: float
    width_needed: int | None
    widths_tried: tuple[int, ...]

    def to_dict(self) -> dict:
        out = asdict(self)
        out["eta"] = dict(self.eta)
        out["widths_tried"] = list(self.widths_tried)
        return out


@dataclass(frozen=True)
class Comparison:
    """The comparison: one row per parameterization, and the settings that produced it."""

    rows: tuple[ComparisonRow, ...]
    settings: CompareSettings
    n: int
    d: int

    def to_dict(self) -> dict:
        return {"n": self.n, "d": self.d, "settings": self.settings.to_dict(),
                "rows": [r.to_dict() for r in self.rows]}

    def row(self, name: str) -> ComparisonRow:
        for r in self.rows:
            if r.parameterization == name:
                return r
        raise KeyError(name)


def _width_search(X, y, s: CompareSettings, seed_keys: Sequence[int]) -> dict[str, tuple[int | None, tuple]]:
    """Smallest grid width at which GD reached ε for every seed, per parameterization."""
    d = X.shape[1]
    todo = list(s.parameterizations)
    found: dict[str, int | None] = {p: None for p in todo}
    tried: dict[str, list[int]] = {p: [] for p in todo}
    for width in s.widths:
        if not todo:
            break
        ok = {p: True for p in todo}
        for key in seed_keys:
            v0, c = draw_base(width, d, s.alpha, np.random.default_rng([key, width]))
            for p in todo:
                if not ok[p]:
                    continue
                param = get(p)
                net = PNetwork(param, param.from_base(v0, s.alpha), c, s.alpha)
                run = gd_to_target(Flat(net, X, y, s.eta.get(p)), target_rel=s.eps,
                                   max_steps=s.gd_max_steps)
                ok[p] = run.status == "reached"
        for p in list(todo):
            tried[p].append(width)
            if ok[p]:
                found[p] = width
                todo.remove(p)
    return {p: (found[p], tuple(tried[p])) for p in s.parameterizations}


def compare_parameterizations(X, y, settings: CompareSettings | None = None, *,
                              rng: np.random.Generator) -> Comparison:
    """The side-by-side comparison of the parameterizations (see the module docstring).

    Parameters
    ----------
    X, y : unit-norm inputs (n, d) and labels (n,).
    settings : budgets, widths, step sizes (default :class:`CompareSettings`).
    rng : the generator of the initialization (and of the seeds of the width search).
    """
    s = settings or CompareSettings()
    if not isinstance(rng, np.random.Generator):
        raise InputError("rng must be a numpy.random.Generator")
    X = check_finite_array(X, "X", 2)
    y = np.asarray(y, dtype=np.float64)
    d = X.shape[1]
    v0, c = draw_base(s.m, d, s.alpha, rng)
    seed_keys = [int(k) for k in rng.integers(0, 2**63 - 1, size=s.seeds)]
    widths = _width_search(X, y, s, seed_keys)
    rows = []
    for name in s.parameterizations:
        param = get(name)
        eta = param.steps(s.eta.get(name))
        net = PNetwork(param, param.from_base(v0, s.alpha), c, s.alpha)
        kb = kernel_blocks(net, X, eta)
        reg = block_regime(param, X, s.alpha, eta) if param.limits(X) is not None else None
        gdr = gd_to_target(Flat(net, X, y, eta), target_rel=s.eps, max_steps=s.gd_max_steps)
        gfr = gf_to_target(Flat(net, X, y, eta), target_rel=s.eps, T_max=s.gf_T_max,
                           max_evals=s.gf_max_evals)
        rows.append(ComparisonRow(
            name, param.title, eta, kb.lambda_min(),
            None if reg is None else reg.lambda_min, None if reg is None else reg.dominant,
            None if reg is None else reg.alpha_star,
            gdr.steps, gdr.step_size, gdr.status,
            gfr.time, gfr.status, gfr.nfev, gfr.kappa_min, gfr.t_end, gfr.residual_sq0,
            gfr.residual_sq, *widths[name]))
    return Comparison(tuple(rows), s, X.shape[0], d)
