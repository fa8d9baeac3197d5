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
from hypothesis import settings

from wnproofs.testing import register_profiles

register_profiles(prefix="")  # the profiles' one home is wnproofs.testing.HYPOTHESIS_PROFILES

# The toolkit's tests see the toolkit's claims only, whatever plugins this environment has
# installed (tests/test_plugins.py turns discovery back on where it tests it).
os.environ.setdefault("WNPROOFS_DISABLE_PLUGIN_AUTOLOAD", "1")
# `wnproofs verify` caches the bundled derivations' results (wnproofs.derivation_cache): the
# tests use a cache of their own, shared by the session's commands, never the user's.
if "WNPROOFS_CACHE_DIR" not in os.environ:
    import tempfile

    os.environ["WNPROOFS_CACHE_DIR"] = tempfile.mkdtemp(prefix="wnproofs-test-cache-")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(12345)
