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


# -- issue 16: strict loading, refusals, legal edge cases --------------------------------------

def _rows_text(ds, header=None) -> str:
    rows = ([header] if header else []) + [",".join(repr(float(t)) for t in [*x, yy]) for x, yy in zip(ds.X, ds.y)]
    return "\n".join(rows) + "\n"


def test_csv_header_only_when_no_cell_is_a_number(tmp_path):
    ds = random_sphere(8, 3, 1)
    notes: list[str] = []
    (tmp_path / "h.csv").write_text(_rows_text(ds, "a,b,c,y"))
    back = load(tmp_path / "h.csv", note=notes.append)
    assert back.n == 8 and np.array_equal(back.X, ds.X)
    assert any("header" in t and "a, b, c, y" in t for t in notes)      # the choice is said
    notes.clear()
    (tmp_path / "n.csv").write_text(_rows_text(ds))
    assert load(tmp_path / "n.csv", note=notes.append).n == 8 and not notes


def test_csv_typo_in_first_row_is_not_taken_for_a_header(tmp_path):
    ds = random_sphere(8, 3, 1)
    lines = _rows_text(ds).splitlines()
    lines[0] = "O.5," + lines[0].split(",", 1)[1]
    (tmp_path / "t.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=r"line 1 mixes numbers and text: 'O.5' \(column 1\)"):
        load(tmp_path / "t.csv")
    lines = _rows_text(ds).splitlines()
    lines[4] = lines[4].rsplit(",", 1)[0] + ",1.2.3"
    (tmp_path / "u.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=r"line 5, column 4: '1.2.3' is not a number"):
        load(tmp_path / "u.csv")


def test_csv_byte_order_mark_keeps_every_row(tmp_path):
    ds = random_sphere(8, 3, 2)
    (tmp_path / "b.csv").write_bytes(b"\xef\xbb\xbf" + _rows_text(ds).encode())
    notes: list[str] = []
    back = load(tmp_path / "b.csv", note=notes.append)
    assert back.n == 8 and np.array_equal(back.X, ds.X) and back.sha256() == ds.sha256()
    assert any("byte-order mark" in t for t in notes)


@pytest.mark.parametrize("content, match", [
    (b"0.6,0.8,1\n\xff,0,1\n", "line 2 is not valid UTF-8"),
    (b"0.6;0.8;1\n0.8;0.6;1\n", "semicolons"),
    (b"0.6,0.8,1\n0.8,nan,1\n", "line 2, column 2: 'nan' is not a finite number"),
    (b"0.6,1\n0.8,1\n", "needs d >= 2 input columns"),
    (b"a,b,y\n", "header but no data rows"),
    (b"\n\n", "no data rows"),
])
def test_csv_problems_name_the_line(tmp_path, content, match):
    (tmp_path / "x.csv").write_bytes(content)
    with pytest.raises(InputError, match=match):
        load(tmp_path / "x.csv")


@pytest.mark.parametrize("X, y, match", [
    (np.array([[0.6, 0.8]]) + 1e-3j, [1.0], "complex"),
    (np.array([[0.6, 0.8]]), np.array([1.0 + 0j]), "complex"),
    (np.ma.masked_array([[0.6, 0.8]], mask=[[False, True]]), [1.0], "masked"),
    (np.array([[0.6, 0.8]], dtype=object), [1.0], None),          # real numbers in an object array: fine
    (np.array([[{"a": 1}, 0.8]], dtype=object), [1.0], "object"),
    (np.array([["0.6", "0.8"]]), [1.0], "string"),
    (np.array([[0.6, 0.8]]), [1e101], "beyond"),
])
def test_complex_masked_object_and_huge_input_is_refused(X, y, match):
    if match is None:
        assert Dataset(X, y).n == 1
        return
    with pytest.raises(InputError, match=match):
        Dataset(X, y)


def test_complex_data_file_is_refused_not_truncated(tmp_path):
    ds = random_sphere(4, 3, 0)
    np.savez(tmp_path / "c.npz", X=ds.X + 1e-9j, y=ds.y)
    with pytest.raises(InputError, match="complex"):
        load(tmp_path / "c.npz")


def test_one_row_is_legal_and_its_summary_is_json(tmp_path):
    import json

    ds = Dataset([[0.6, 0.8]], [1.0])
    assert ds.satisfies_A1 and ds.repeated_rows() == []
    s = ds.summary()
    assert s["min_separation_rad"] == "inf" and s["A1"] is True
    json.dumps(s, allow_nan=False)


def test_repeated_rows_are_found_without_an_n_by_n_matrix():
    ds = random_sphere(6, 3, 4)
    X = ds.X.copy()
    X[4] = X[1]
    X[5] = -X[2]
    found = Dataset(X, ds.y).repeated_rows()
    assert (1, 4, "identical") in found and (2, 5, "antipodal") in found and len(found) == 2
    assert ds.repeated_rows() == []


def test_load_notes_repeated_rows(tmp_path):
    ds = random_sphere(5, 3, 4)
    X = ds.X.copy()
    X[3] = X[0]
    np.savez(tmp_path / "d.npz", X=X, y=ds.y)
    notes: list[str] = []
    back = load(tmp_path / "d.npz", note=notes.append)
    assert not back.satisfies_A1
    assert any("rows 0 and 3 are identical" in t and "A1" in t for t in notes)


def test_pairwise_angles_of_a_zero_row_is_an_input_error():
    with pytest.raises(InputError, match="row 1 is zero"):
        pairwise_angles(np.array([[1.0, 0.0], [0.0, 0.0]]))
    with pytest.raises(InputError, match="Y row 0 is zero"):
        pairwise_angles(np.eye(2), np.zeros((1, 2)))


def test_normalize_extreme_rows_without_overflow():
    ds = Dataset([[3e300, 4e300], [3e-320, 4e-320], [1.0, 0.0]], [1.0, 0.0, 0.5], normalize=True)
    np.testing.assert_allclose(ds.X[:2], [[0.6, 0.8], [0.6, 0.8]], rtol=1e-3)
    assert ds.normalized


def test_messages_have_no_reprs_and_name_the_argument():
    with pytest.raises(InputError) as exc:
        Dataset(np.array([[3.0, 4.0]]), [1.0])
    assert "np.float64" not in str(exc.value) and "norm 5" in str(exc.value) and exc.value.arg == "X"
    with pytest.raises(InputError, match="path must be a file path"):
        load(None)
    with pytest.raises(InputError, match="eps"):
        adversarial(4, 3, 0, eps="x")
    with pytest.raises(InputError, match="memory"):
        random_sphere(10**12, 3, 0)


# -- the validators of wnproofs.errors (documented ranges) -----------------------------------------

def test_validators_enforce_the_documented_ranges():
    from wnproofs.errors import (ALPHA_RANGE, DPS_MAX, check_alpha, check_dps, check_memory, check_seed,
                                 format_bytes, show)
    from wnproofs.model import WNNetwork

    assert check_alpha(ALPHA_RANGE[0]) == ALPHA_RANGE[0] and check_alpha(ALPHA_RANGE[1]) == ALPHA_RANGE[1]
    for bad in (1e-160, 1e300, 0.0, -1.0, float("nan"), "2", True, 1 + 2j, None):
        with pytest.raises(InputError) as exc:
            check_alpha(bad)
        assert exc.value.arg == "alpha"
    with pytest.raises(InputError, match="alpha must lie in"):
        WNNetwork.init(4, 3, 1e-160, 0)            # 1/α² would overflow in the kernels (was −inf/NaN)
    assert check_dps(DPS_MAX) == DPS_MAX
    with pytest.raises(InputError, match=f"dps must be <= {DPS_MAX}"):
        check_dps(10**6)                             # lambda_0(dps=10**6) ran without end
    with pytest.raises(InputError, match="seed must be >= 0"):
        check_seed(-1)
    assert show(np.float64(6.345)) == "6.345" and "np." not in show(np.int64(3))
    with pytest.raises(InputError, match=r"about 1 TB of memory needed, about 1 GB available; use less"):
        check_memory(1e12, "a thing", "use less", available=10**9)
    check_memory(1e6, "a thing", "use less", available=10**9)
    assert format_bytes(1.5e9) == "1.5 GB"
