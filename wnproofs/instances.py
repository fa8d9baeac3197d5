"""Default instances: what `wnproofs verify` runs on when no data is given.

The built-in suite is seeded random points on the sphere plus an adversarial set
(near-parallel and near-antiparallel pairs, a tight cluster), so `verify` needs no input.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from .data import Dataset, adversarial, random_sphere
from .plugin import Instance
from .rng import spawn_seeds

__all__ = ["default_datasets", "default_instances", "random_instance"]


def default_datasets(seed: int = 0) -> list[Dataset]:
    """Random sphere data (n = 8, d = 5) and adversarial data (n = 8, d = 5, eps = 1e-2)."""
    s1, s2 = spawn_seeds(seed, 2)
    return [
        random_sphere(8, 5, s1, name="sphere"),
        adversarial(8, 5, s2, eps=1e-2, name="adversarial"),
    ]


def default_instances(seed: int = 0, mode: str = "quick",
                      data: Dataset | None = None,
                      params: Mapping[str, Any] | None = None) -> list[Instance]:
    """Instances for `verify`: the user's data set, or the built-in suite."""
    sets = [data] if data is not None else default_datasets(seed)
    seeds = spawn_seeds(seed + 1, len(sets))
    return [Instance(ds, s, mode, dict(params or {})) for ds, s in zip(sets, seeds)]


def random_instance(rng: np.random.Generator, mode: str = "quick",
                    params: Mapping[str, Any] | None = None) -> Instance:
    """One random instance for `wnproofs check --instances N`: small n, d; 1 in 4 adversarial."""
    n = int(rng.integers(2, 11))
    d = int(rng.integers(2, 9))
    seed = int(rng.integers(0, 2**31 - 1))
    if rng.random() < 0.25:
        eps = float(10.0 ** rng.uniform(-4, -1))
        ds = adversarial(n, d, seed, eps=eps)
    else:
        ds = random_sphere(n, d, seed)
    return Instance(ds, int(rng.integers(0, 2**31 - 1)), mode, dict(params or {}))
