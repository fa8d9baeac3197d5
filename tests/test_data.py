"""Data validation, accurate angles (THEORY.md §8a), loading and generators."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wnproofs import Dataset, InputError, adversarial, load, pairwise_angles, random_sphere


def _mp_angle(x, y) -> float:
    """Independent 60-digit angle between two float vectors (exact rationals)."""
    with mpmath.workdps(60):
        xs = [mpmath.mpf(float(t)) for t in x]
        ys = [mpmath.mpf(float(t)) for t in y]
        dot = mpmath.fsum(a * b for a, b in zip(xs, ys))
        nx = mpmath.sqrt(mpmath.fsum(a * a for a in xs))
        ny = mpmath.sqrt(mpmath.fsum(b * b for b in ys))
        cross = mpmath.sqrt(max(mpmath.mpf(0), (nx * ny) ** 2 - dot**2))
        return float(mpmath.atan2(cross, dot))


@pytest.mark.parametrize("theta", [1e-9, 1e-12, np.pi - 1e-9, np.pi - 1e-7, 0.3, np.pi / 2])
def test_angle_accurate_at_both_ends(theta):
    x = np.array([1.0, 0.0, 0.0])
    y = np.array([np.cos(theta), np.sin(theta), 0.0])
    y /= np.linalg.norm(y)
    got = pairwise_angles(np.vstack([x, y]))[0, 1]
    want = _mp_angle(x, y)
    assert abs(got - want) <= 4e-16 * max(want, 1e-300) + 1e-300 or abs(got - want) / want < 1e-12
    # arccos would return 0 (or π) here: the accurate formula must not.
    if theta < 1e-8:
        assert got > 0


@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 12), d=st.integers(2, 8))
def test_angles_match_high_precision(seed, n, d):
    ds = random_sphere(n, d, seed)
    th = ds.angles()
    assert np.all(np.diag(th) == 0)
    assert np.array_equal(th, th.T)
    for i, j in [(0, 1), (n - 1, 0)]:
        if i != j:
            assert abs(th[i, j] - _mp_angle(ds.X[i], ds.X[j])) < 1e-14


def test_duplicates_and_antipodes_violate_A1():
    ds = random_sphere(5, 3, 1)
    X = ds.X.copy()
    X[3] = X[1]
    assert not Dataset(X, ds.y).satisfies_A1
    X = ds.X.copy()
    X[4] = -X[0]
    sep, i, j = Dataset(X, ds.y).min_separation()
    assert sep == 0.0 and (i, j) == (0, 4)
    assert ds.satisfies_A1


def test_adversarial_is_close_but_legal():
    ds = adversarial(8, 5, 0, eps=1e-6)
    sep, _, _ = ds.min_separation()
    assert ds.satisfies_A1
    assert 1e-7 < sep < 2e-6
    assert np.allclose(np.linalg.norm(ds.X, axis=1), 1.0, atol=1e-15)


@pytest.mark.parametrize(
    "X, y, match",
    [
        (np.array([[1.0, np.nan]]), [1.0], "non-finite"),
        (np.array([[1.0, np.inf]]), [1.0], "non-finite"),
        (np.array([[2.0, 0.0]]), [1.0], "unit-norm"),
        (np.array([[1.0, 0.0]]), [1.0, 2.0], "labels"),
        (np.zeros((0, 3)), np.zeros(0), "at least one row"),
        (np.array([[1.0], [1.0]]), [1.0, 2.0], "d >= 2"),
        (np.array([1.0, 0.0]), [1.0], "2-dimensional"),
        (np.array([[1.0, 0.0]]), [[1.0]], "1-dimensional"),
        (np.array([[1.0, 0.0]]), [np.nan], "non-finite"),
        ([["a", "b"]], [1.0], "numeric"),
    ],
)
def test_bad_data_is_named(X, y, match):
    with pytest.raises(InputError, match=match):
        Dataset(X, y)


def test_normalize_says_so_and_rejects_zero_rows():
    ds = Dataset([[3.0, 4.0], [0.0, 2.0]], [1.0, 0.0], normalize=True)
    assert ds.normalized
    np.testing.assert_allclose(ds.X[0], [0.6, 0.8])
    with pytest.raises(InputError, match="zero"):
        Dataset([[0.0, 0.0]], [1.0], normalize=True)
    assert not Dataset([[1.0, 0.0]], [1.0], normalize=True).normalized


def test_dataset_is_read_only():
    ds = random_sphere(3, 2, 0)
    with pytest.raises(ValueError):
        ds.X[0, 0] = 5.0


def test_load_npz_and_csv_roundtrip(tmp_path):
    ds = random_sphere(6, 3, 7)
    np.savez(tmp_path / "d.npz", X=ds.X, y=ds.y)
    back = load(tmp_path / "d.npz")
    assert np.array_equal(back.X, ds.X) and np.array_equal(back.y, ds.y)
    rows = ["x1,x2,x3,y"] + [",".join(repr(float(t)) for t in [*x, yy]) for x, yy in zip(ds.X, ds.y)]
    (tmp_path / "d.csv").write_text("\n".join(rows) + "\n")
    back = load(tmp_path / "d.csv")
    assert np.array_equal(back.X, ds.X) and np.array_equal(back.y, ds.y)


def test_load_refuses_pickles_and_bad_files(tmp_path):
    np.savez(tmp_path / "p.npz", X=np.array([{"a": 1}], dtype=object), y=np.zeros(1))
    with pytest.raises(InputError, match="cannot read data file"):
        load(tmp_path / "p.npz")
    with pytest.raises(InputError, match="no such file"):
        load(tmp_path / "missing.npz")
    (tmp_path / "x.txt").write_text("1,2")
    with pytest.raises(InputError, match="expected .npz or .csv"):
        load(tmp_path / "x.txt")
    (tmp_path / "bad.npz").write_bytes(b"not a zip file")
    with pytest.raises(InputError, match="cannot read data file"):
        load(tmp_path / "bad.npz")
    np.savez(tmp_path / "noy.npz", X=np.eye(2))
    with pytest.raises(InputError, match="lacks"):
        load(tmp_path / "noy.npz")
    (tmp_path / "ragged.csv").write_text("1,0,1\n0,1\n")
    with pytest.raises(InputError, match="different lengths"):
        load(tmp_path / "ragged.csv")
    (tmp_path / "nonunit.csv").write_text("3,4,1\n")
    with pytest.raises(InputError, match="unit-norm"):
        load(tmp_path / "nonunit.csv")
    assert load(tmp_path / "nonunit.csv", normalize=True).normalized


def test_generators_validate_arguments():
    with pytest.raises(InputError, match="n must be >= 1"):
        random_sphere(0, 3)
    with pytest.raises(InputError, match="d must be >= 2"):
        random_sphere(3, 1)
    with pytest.raises(InputError, match="eps"):
        adversarial(4, 3, eps=2.0)
    with pytest.raises(InputError, match="seed"):
        random_sphere(3, 3, -1)
