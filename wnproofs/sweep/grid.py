"""The grid of a sweep: which runs, with which seeds, under which budget.

A run is a JSON-ready dict of parameters (claim, n, d, m, α, seed index, data seed,
network seed); :func:`run_key` names it together with its budget, so a store never
mixes results obtained under different step or evaluation budgets.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from typing import Any, Mapping, Sequence

import numpy as np

from ..errors import InputError, check_alpha, check_int, check_positive_int, check_seed

__all__ = ["DEFAULT_BUDGET", "BUDGET_KEYS", "LIMITS", "normalize_budget", "run_key", "sweep_grid"]

#: The budget of one run: GD steps and GF right-hand-side evaluations (never seconds).
DEFAULT_BUDGET: dict[str, int] = {"max_steps": 4000, "max_evals": 20_000}
BUDGET_KEYS = tuple(DEFAULT_BUDGET)

#: Ranges of the grid's values: (minimum, maximum); the cost of one run is bounded by them.
LIMITS = {"n": (1, 4096), "d": (2, 4096), "m": (1, 2**24), "seeds": (1, 10_000),
          "max_steps": (1, 10**7), "max_evals": (10, 10**8)}


def normalize_budget(budget: Mapping[str, Any] | None) -> dict[str, int]:
    """The full budget (defaults filled in), each entry a checked integer."""
    out = dict(DEFAULT_BUDGET)
    for k, v in dict(budget or {}).items():
        if k not in DEFAULT_BUDGET:
            raise InputError(f"unknown budget key {k!r}; known: {', '.join(BUDGET_KEYS)}", arg=k)
        lo, hi = LIMITS[k]
        out[k] = check_int(v, k, lo, hi)
    return out


def run_key(params: Mapping[str, Any], budget: Mapping[str, Any] | None = None) -> str:
    """A stable key for a run under a budget: sha256 of both as canonical JSON (16 hex).

    ``budget`` None means :data:`DEFAULT_BUDGET`; the key always covers the full budget.
    """
    blob = json.dumps({"params": {k: params[k] for k in sorted(params)},
                       "budget": normalize_budget(budget)}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def sweep_grid(*, claims: Sequence[str] = ("T1",), n: Sequence[int] = (8,), d: Sequence[int] = (5,),
               m: Sequence[int] = (256,), alpha: Sequence[float | None] = (None,), seeds: int = 2,
               seed: int = 0) -> list[dict[str, Any]]:
    """The runs of a sweep: every (claim, n, d, m, α) with ``seeds`` seeds from SeedSequence.spawn.

    Seed j of the grid is child j of ``SeedSequence(seed)``: the data set (random sphere
    n × d) and the network each get their own grandchild, so adding a width or an α does
    not change the other runs.  α None is chosen inside the theorem's regime from the data's
    α* (:func:`wnproofs.hypotheses.default_alpha`, at run time).
    """
    from ..experiments import SPECS

    seeds = check_positive_int(seeds, "seeds", *LIMITS["seeds"])
    seed = check_seed(seed)
    for name, vals in (("n", n), ("d", d), ("m", m)):
        for v in vals:
            check_int(v, name, *LIMITS[name])
    for a in alpha:
        if a is not None:
            check_alpha(a)
    pairs = []
    for ch in np.random.SeedSequence(seed).spawn(seeds):
        data_ss, net_ss = ch.spawn(2)   # spawn once per seed: spawning again would give new children
        pairs.append((int(data_ss.generate_state(1)[0]), int(net_ss.generate_state(1)[0])))
    runs = []
    for cl, nn, dd, mm, aa in itertools.product(claims, n, d, m, alpha):
        if cl not in SPECS:
            raise InputError(f"unknown theorem {cl!r}; one of {', '.join(sorted(SPECS))}", arg="claims")
        a = None if aa is None else float(aa)   # None: inside the regime by the data's α* (theorem_run)
        for j, (ds_seed, net_seed) in enumerate(pairs):
            runs.append({"claim": cl, "n": int(nn), "d": int(dd), "m": int(mm), "alpha": a,
                         "seed_index": j, "data_seed": ds_seed, "net_seed": net_seed})
    return runs

