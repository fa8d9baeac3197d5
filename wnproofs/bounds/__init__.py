"""Bound constants of THEORY.md §4-§8 in mpmath (default 50 digits), one home each.

* :mod:`.lemmas` - one function per lemma constant (L2 Hoeffding radii and the corollary
  widths, L3 expectation / Markov / sub-Gaussian B, L4 anti-concentration and the flip
  criterion, L5 entrywise and spectral Gram bounds, L6 movement radii), each citing its
  claim id;
* :mod:`.moments` - moments of χ_d (the initial lengths) used by the thresholds;
* :mod:`.thresholds` - the explicit widths :func:`m_V` (T1 GD / T3 GF), :func:`m_G`
  (T2 / T4), the GD step bound :func:`step_bound`, and C1's explicit width :func:`m_du`
  and step :func:`step_du`, all composed by calling the lemma functions; their derivation
  and the closure of the argument are in ``derivations/convergence.py``;
* :mod:`.table` - :func:`bound_table` (everything for one data set, each row with its
  claim id), :func:`widths_vs_n`, :func:`plot_widths`;
* :mod:`.spectral` - λ_0, μ_0, λ_H, λ_min(Λ^∞) at ``dps`` digits (moving to
  ``wnproofs.kernels.spectra``; re-exported here either way).

Every function takes plain numbers (or mpf) and returns an ``mpmath.mpf`` at the working
precision ``dps``; use ``float(...)`` for float64.  A1 violated (λ ≤ 0) → +inf widths.
"""

from __future__ import annotations

from ._common import DEFAULT_DPS
from ._common import dimension as _check_d
from ._common import mp as _mp
from ._common import nonneg as _nonneg
from .lemmas import (
    E_SIGMA_SQ,
    L2_SHARE,
    chebyshev_radius,
    gram_entry_radius,
    gram_radius,
    hoeffding_radius,
    l2_radius_G,
    l2_radius_V,
    l2_width,
    l2_width_G,
    l2_width_V,
    l3_expected_residual_sq,
    l3_markov_residual_sq,
    l3_subgaussian_B,
    l3_subgaussian_radius,
    l3_subgaussian_tail,
    l4_flip_radius,
    l4_gaussian_prob_bound,
    l4_gaussian_prob_exact,
    l4_sphere_prob_bound,
    l4_sphere_prob_exact,
    l5_entry_bound_G,
    l5_entry_bound_V,
    l5_linear_coefficients,
    l5_spectral_bound,
    l6_direction_radius,
    l6_gd_sum_factor,
    l6_length_radius,
    l6_radii,
    l6_residual_integral,
    markov_threshold,
)
from .moments import chi_cdf, chi_inv_mean, chi_inv_sq_above, chi_inv_sq_bar, chi_inv_sq_below
from .moments import chi_const as _chi_const
from .spectral import _data_matrix, lambda_0, lambda_H, lambda_inf_min, lambda_min_mp, mu_0
from .table import bound_summary, bound_table, plot_widths, summary_rows, widths_vs_n
from .thresholds import (
    BUDGETS,
    Budget,
    c1_conditions,
    c1_events,
    c1_lemma32_radius,
    contraction_fraction,
    events,
    floor_fraction,
    m_du,
    m_G,
    m_V,
    solve_width,
    step_bound,
    step_du,
    width_conditions,
)

#: former private names, kept for callers of the single-module ``bounds.py``
_events = events
_solve_width = solve_width

__all__ = [
    "DEFAULT_DPS",
    # lemma constants
    "hoeffding_radius", "chebyshev_radius", "markov_threshold",
    "gram_entry_radius", "gram_radius", "l2_radius_V", "l2_radius_G", "L2_SHARE", "l2_width",
    "l2_width_V", "l2_width_G",
    "E_SIGMA_SQ", "l3_expected_residual_sq", "l3_markov_residual_sq", "l3_subgaussian_tail",
    "l3_subgaussian_radius", "l3_subgaussian_B",
    "l4_gaussian_prob_exact", "l4_gaussian_prob_bound", "l4_sphere_prob_exact", "l4_sphere_prob_bound",
    "l4_flip_radius",
    "l5_entry_bound_G", "l5_entry_bound_V", "l5_spectral_bound", "l5_linear_coefficients",
    "l6_residual_integral", "l6_gd_sum_factor", "l6_length_radius", "l6_direction_radius", "l6_radii",
    # χ_d moments
    "chi_inv_mean", "chi_inv_sq_above", "chi_inv_sq_bar", "chi_inv_sq_below", "chi_cdf",
    # spectral constants
    "lambda_min_mp", "lambda_0", "mu_0", "lambda_H", "lambda_inf_min",
    # thresholds
    "Budget", "BUDGETS", "floor_fraction", "contraction_fraction", "events", "width_conditions",
    "solve_width", "m_V", "m_G", "step_bound", "c1_events", "c1_lemma32_radius", "c1_conditions",
    "m_du", "step_du",
    # table
    "bound_table",
    "bound_summary",
    "summary_rows", "widths_vs_n", "plot_widths",
]
