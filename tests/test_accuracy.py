"""Accuracy of the closed forms and angles at both ends of the angle range (issue 13, item 2).

References are computed here, independently of the kernels' code, at 70 digits:
H = cos t (π − t)/(2π), G = (sin t + (π − t) cos t)/(2π d), V = H − G at the exact float
angle t, and the angle of the exact rational rows.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

from wnproofs import angles, regime
from wnproofs.data import Dataset, random_sphere
from wnproofs.kernels import closed_forms as cf
from wnproofs.kernels import spectra

DPS = 70
ULPS = 4          # "a few ulps"


def _ref(which: str, t: float, d: int):
    with mpmath.workdps(DPS + 20):
        t = mpmath.mpf(t)
        h = mpmath.cos(t) * (mpmath.pi - t) / (2 * mpmath.pi)
        g = (mpmath.sin(t) + (mpmath.pi - t) * mpmath.cos(t)) / (2 * mpmath.pi * d)
        if t == 0:
            h, g = mpmath.mpf(1) / 2, mpmath.mpf(1) / (2 * d)
        return {"H": h, "G": g, "V": h - g}[which]


def _ulps(f: float, ref) -> float:
    r = float(ref)
    if ref == 0:
        return 0.0 if f == 0 else np.inf
    with mpmath.workdps(DPS):
        return float(abs(mpmath.mpf(f) - ref)) / float(np.spacing(abs(r)))


def _classes(d: int) -> dict[str, list[float]]:
    rng = np.random.default_rng(d)
    root = cf.v_root(d)[0]
    return {
        "theta = 0": [0.0],
        "theta ~ 1e-9": [1e-9, 3.3e-9, 7.1e-10],
        "theta ~ pi - 1e-9": [float(np.pi - 1e-9), float(np.pi - 3e-9)],
        "theta = pi (float)": [float(np.pi)],
        "generic": list(rng.uniform(0, np.pi, 60)),
        "near the zero of V": [root + k * 1e-13 for k in (-3, -1, 1, 3)] + list(root + rng.uniform(-0.3, 0.3, 10)),
    }


@pytest.mark.parametrize("d", [2, 5, 20, 1000])
@pytest.mark.parametrize("which", ["H", "G", "V"])
def test_float_closed_forms_within_a_few_ulps(which, d):
    worst = {}
    for name, ts in _classes(d).items():
        worst[name] = max(_ulps(float(cf.kernel_of_angle(which, t, d)), _ref(which, t, d)) for t in ts)
    assert max(worst.values()) <= ULPS, worst


def test_the_naive_formula_would_fail_the_accuracy_test():
    """Planted: (sin θ + (π − θ) cos θ)/(2πd) evaluated directly is off by orders of magnitude
    at θ = π − 1e-6 (issue 13), so the ulp test above can fail."""
    t = float(np.pi - 1e-6)
    naive = (np.sin(t) + (np.pi - t) * np.cos(t)) / (2 * np.pi * 3)
    assert _ulps(naive, _ref("G", t, 3)) > 1e6
    assert _ulps(float(cf.kernel_of_angle("G", t, 3)), _ref("G", t, 3)) <= ULPS


def _pair(theta: float, d: int, seed: int, antipodal: bool = False) -> np.ndarray:
    return angles.unit_pair(theta, d, np.random.default_rng(seed), antipodal)


@pytest.mark.parametrize("d", [3, 20])
def test_angles_from_data_accurate_at_both_ends(d):
    """θ and π − θ from pairwise_angles_pi within a few ulps (relative) of the 70-digit angle of
    the exact rows, for pairs at 1e-12, 1e-9, 1e-4 from parallel and from antipodal."""
    for k, theta in enumerate((1e-12, 1e-9, 1e-4)):
        for anti in (False, True):
            P = _pair(theta, d, 10 * d + k, anti)
            th, ph = angles.pairwise_angles_pi(P)
            with mpmath.workdps(DPS):
                rt, rp = angles.angle_mp(P[0], P[1], DPS)
                small, got = (rp, ph[0, 1]) if anti else (rt, th[0, 1])
                assert _ulps(float(got), small) <= 8, (theta, anti)
                assert _ulps(float(th[0, 1]), rt) <= 4 and _ulps(float(ph[0, 1]), rp) <= 4


def test_angles_exact_at_identical_and_opposite_rows():
    X = random_sphere(4, 5, 1).X.copy()
    X[1] = X[0]
    X[2] = -X[0]
    th, ph = angles.pairwise_angles_pi(X)
    assert th[0, 1] == 0.0 and ph[0, 2] == 0.0
    assert np.array_equal(th, th.T) and np.all(np.diag(th) == 0)


def test_generic_angles_from_data():
    X = random_sphere(40, 8, 2).X
    th, _ = angles.pairwise_angles_pi(X)
    worst = 0.0
    with mpmath.workdps(40):
        for i in range(0, 40, 3):
            for j in range(i + 1, 40, 5):
                worst = max(worst, _ulps(float(th[i, j]), angles.angle_mp(X[i], X[j], 40)[0]))
    assert worst <= 16


def test_mp_entries_correct_to_the_requested_digits_everywhere():
    """kernel_entry_mp at 50 digits against 150 digits, where π − θ and V cancel."""
    for theta, anti, which in ((1e-9, True, "G"), (1e-20, True, "G"), (1e-9, False, "V"),
                               (1e-12, False, "H"), (float(cf.v_root(4)[0]), False, "V")):
        P = _pair(theta, 4, 3, anti)
        lo = cf.kernel_entry_mp(which, P[0], P[1], 4, 50)
        hi = cf.kernel_entry_mp(which, P[0], P[1], 4, 150)
        with mpmath.workdps(160):
            assert abs(lo - hi) <= abs(hi) * mpmath.mpf(10) ** -49, (theta, anti, which)


def test_regime_uses_the_precision_the_data_need():
    """A pair at 1e-9 puts μ_0 ≈ 1e-19 below float64 resolution: regime(dps='auto') switches
    to high precision and α* matches the 50-digit value; float64 alone is far off."""
    X = random_sphere(6, 4, 7).X.copy()
    P = _pair(1e-9, 4, 8)
    X[0], X[1] = P[0], P[1]
    ds = Dataset(X, np.zeros(6))
    r = regime(ds, 1.0)
    assert r.dps == spectra.AUTO_DPS
    with mpmath.workdps(50):
        lam = spectra.lambda_0(ds, 50)
        mu = spectra.mu_0(ds, 50)
        star = spectra.alpha_star(lam, mu)
    assert abs(r.alpha_star - float(star)) <= 1e-12 * float(star)
    r64 = regime(ds, 1.0, dps=None)
    assert r64.dps is None and abs(r64.mu_0 - float(mu)) > 1e-3 * float(mu)
