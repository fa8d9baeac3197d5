"""Finite-width Gram matrices at initialization against the closed forms G^∞, V^∞ (D6, D7).

Independent routes: the Monte Carlo average over m neurons (``kernels.grams``) and the
closed forms (``kernels.G_inf``, ``kernels.V_inf``), compared in a Hoeffding band
(summands of G in [0, 1], of V in [−1, 1]) that a correct closed form leaves with
probability ≤ 1e-6.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wnproofs import strategies as wst
from wnproofs.kernels import G_inf, V_inf, grams
from wnproofs.model import WNNetwork
from wnproofs.stats import hoeffding_band
from wnproofs.testing import assert_kernel_close, profile_settings

M = 6000
DATA = wst.datasets(n=st.integers(2, 6), d=st.integers(2, 6))


@profile_settings("ci", max_examples=8)
@given(DATA, wst.seeds(), wst.alphas())
def test_grams_at_initialization_within_hoeffding_band_of_closed_forms(ds, seed, alpha):
    V, G = grams(WNNetwork.init(M, ds.d, alpha, seed), ds.X)
    assert_kernel_close(G, G_inf(ds), hoeffding_band(M, 1e-6, value_range=1.0))
    assert_kernel_close(V, V_inf(ds), hoeffding_band(M, 1e-6, value_range=2.0))


@profile_settings("ci", max_examples=5)
@given(DATA, wst.seeds())
def test_planted_factor_two_in_g_inf_is_caught(ds, seed):
    """The arc-cosine kernel divided by d (a factor 2 too large) must leave the band."""
    _, G = grams(WNNetwork.init(M, ds.d, 1.0, seed), ds.X)
    with pytest.raises(AssertionError, match="outside the band"):
        assert_kernel_close(G, 2 * G_inf(ds), hoeffding_band(M, 1e-6, value_range=1.0))
