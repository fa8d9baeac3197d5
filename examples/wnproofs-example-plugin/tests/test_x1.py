"""The example's own tests, written with the wnproofs pytest plugin's fixtures.

Run from this folder with ``python -m pytest --hypothesis-profile=wnproofs-ci`` (the
derandomized profile: the same examples on every run); add your data sets with
``--wnproofs-data my.npz`` and every test using ``wnproofs_dataset`` or
``wnproofs_instance`` runs on them as well.
"""

import numpy as np
import pytest
from hypothesis import given

from wnproofs.stats import clopper_pearson_band
from wnproofs.testing import assert_holds, assert_kernel_close, check_on_instances
from wnproofs_example_plugin.checks import x1_monte_carlo
from wnproofs_example_plugin.derivations import derive_x1
from wnproofs_example_plugin.kernel import arccos0, coactivation_frequencies


def test_x1_holds_on_builtin_and_user_data(wnproofs_instance):
    assert_holds(x1_monte_carlo(wnproofs_instance))


def test_frequencies_within_clopper_pearson_band(wnproofs_dataset, wnproofs_seed):
    N = 20_000
    F = coactivation_frequencies(wnproofs_dataset.X, N, np.random.default_rng(wnproofs_seed))
    assert_kernel_close(F, arccos0(wnproofs_dataset.X), clopper_pearson_band(N, delta=1e-6))


def test_a_wrong_closed_form_is_caught(wnproofs_dataset, wnproofs_seed):
    """The band is tight enough to see a 10 % error: the check can fail."""
    N = 20_000
    F = coactivation_frequencies(wnproofs_dataset.X, N, np.random.default_rng(wnproofs_seed))
    with pytest.raises(AssertionError, match="outside the band"):
        assert_kernel_close(F, 1.1 * arccos0(wnproofs_dataset.X), clopper_pearson_band(N, delta=1e-6))


def test_the_registered_check_is_found(wnproofs_check):
    assert [c.name for c in wnproofs_check("X1")] == ["checks.x1_monte_carlo"]


def test_x1_on_drawn_instances():
    run = check_on_instances(x1_monte_carlo, n=10, params={"samples": 5_000})
    assert run.examples == 10 and run.count("holds") == 10


def test_planted_error_gives_a_shrunk_counterexample():
    with pytest.raises(AssertionError, match="smallest counterexample"):
        check_on_instances(x1_monte_carlo, n=10, params={"samples": 5_000, "x1_factor": 1.2})


def test_the_derivation_proves_x1():
    assert_holds(derive_x1())


def test_closed_form_properties(wnproofs_data_strategy):
    @given(wnproofs_data_strategy)
    def prop(ds):
        K = arccos0(ds.X)
        assert np.allclose(np.diag(K), 0.5) and np.all((K >= 0) & (K <= 0.5))
        assert np.allclose(K, K.T, rtol=0, atol=1e-15)

    prop()
