"""Random number generators: every stochastic function takes one (no global state)."""

from __future__ import annotations

from typing import Union

import numpy as np

from .errors import InputError

RngLike = Union[None, int, np.integer, np.random.Generator, np.random.SeedSequence]

__all__ = ["RngLike", "as_generator", "spawn_seeds"]


def as_generator(rng: RngLike) -> np.random.Generator:
    """Return a ``numpy.random.Generator`` from a seed, a SeedSequence or a Generator.

    ``None`` gives a fresh unpredictable generator; pass an int for reproducibility.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, (int, np.integer, np.random.SeedSequence)):
        if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool) and rng < 0:
            raise InputError(f"seed must be a non-negative integer, got {rng}")
        return np.random.default_rng(rng)
    raise InputError(f"rng must be an int seed or a numpy.random.Generator, got {type(rng).__name__}")


def spawn_seeds(seed: int, k: int) -> list[int]:
    """k independent child seeds of ``seed`` (via ``SeedSequence.spawn``), as plain ints."""
    return [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(seed).spawn(k)]
