"""Shared test configuration: Hypothesis profiles and small fixtures.

Profiles (select with HYPOTHESIS_PROFILE=name; ``ci`` is the default when CI is set):

* ``ci``       derandomized, no deadline, few examples: the same run every time;
* ``dev``      the default locally: random, more examples, a generous deadline;
* ``thorough`` for local runs before a release: many examples.

A failure prints the falsifying example and the ``@reproduce_failure`` blob, and every
test draws an integer seed from which it builds its ``numpy.random.Generator``, so a
failure replays from what is printed.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, settings

settings.register_profile(
    "ci", derandomize=True, deadline=None, max_examples=15, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
)
settings.register_profile("dev", deadline=2000, max_examples=50, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", deadline=None, max_examples=1000, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(12345)
