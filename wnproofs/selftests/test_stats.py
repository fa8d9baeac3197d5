"""Exact binomial bounds (Clopper-Pearson) against their defining equations (L2-L4 verdicts)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binom

from wnproofs.stats import cp_interval, cp_upper
from wnproofs.testing import profile_settings


@profile_settings("ci", max_examples=40)
@given(st.integers(1, 400), st.data(), st.sampled_from([0.9, 0.99, 1 - 1e-6]))
def test_clopper_pearson_solves_its_binomial_tail_equations(n, data, conf):
    """P(X ≥ k | p = lower) = P(X ≤ k | p = upper) = (1 − c)/2 (Clopper & Pearson 1934)."""
    k = data.draw(st.integers(0, n))
    lo, hi = cp_interval(k, n, conf)
    tail = (1 - conf) / 2
    assert 0 <= lo <= k / n <= hi <= 1
    if k > 0:
        assert binom.sf(k - 1, n, lo) == pytest.approx(tail, rel=1e-6)
    if k < n:
        assert binom.cdf(k, n, hi) == pytest.approx(tail, rel=1e-6)


def test_zero_failures_upper_bound_solves_its_equation():
    """With no failure in n draws the upper bound p solves (1 − p)^n = 1 − c."""
    for n in (1, 10, 1000):
        for c in (0.95, 1 - 1e-6):
            assert binom.pmf(0, n, cp_upper(0, n, c)) == pytest.approx(1 - c, rel=1e-9)
