"""Data sets on the unit sphere: validation, accurate angles, loading, generators.

THEORY.md §0: inputs x_1..x_n in R^d with ||x_i|| = 1, d >= 2; assumption **A1** says
that no two inputs are parallel or antiparallel.  The angles θ_ij come from
:mod:`wnproofs.angles` (THEORY.md §8a: accurate at both ends, θ ≈ 0 and θ ≈ π);
``pairwise_angles`` is re-exported here.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from .angles import pairwise_angles, pairwise_angles_pi  # the angle's home (re-exported here)
from .errors import InputError, check_finite_array, check_memory, check_positive_int, check_real, show
from .outcomes import json_float
from .rng import RngLike, as_generator

__all__ = [
    "Dataset",
    "pairwise_angles",
    "as_unit_rows",
    "random_sphere",
    "adversarial",
    "load",
]

#: Tolerance on | ||x_i|| - 1 | for data to count as unit-norm.
UNIT_TOL = 1e-10

#: Largest |y_i| accepted: beyond it ||f − y||² and its sums leave the float64 range.
Y_MAX = 1e100


def as_unit_rows(X: np.ndarray, name: str = "X", tol: float = UNIT_TOL) -> np.ndarray:
    """Validate that ``X`` is an (n, d) finite array of unit rows, d >= 2; return it."""
    X = check_finite_array(X, name, 2)
    n, d = X.shape
    if n < 1:
        raise InputError(f"{name} must have at least one row (n >= 1), got shape {X.shape}")
    if d < 2:
        raise InputError(f"{name} must have dimension d >= 2, got d = {d}")
    norms = np.linalg.norm(X, axis=1)
    bad = np.flatnonzero(np.abs(norms - 1.0) > tol)
    if bad.size:
        i = int(bad[0])
        raise InputError(
            f"{name} must have unit-norm rows: row {i} has norm {show(norms[i], 20)} "
            f"({bad.size} row(s) off by more than {tol:g}); normalise the rows with normalize=True",
            arg=name,
        )
    return X


@dataclass(frozen=True, eq=False)
class Dataset:
    """A labelled data set (X, y) with unit-norm inputs (THEORY.md §0).

    Parameters
    ----------
    X : (n, d) array_like
        Inputs, one per row; must be finite with unit norm (within 1e-10), d >= 2.
    y : (n,) array_like
        Real labels.
    normalize : bool
        Divide each row by its norm instead of rejecting non-unit rows
        (``normalized`` then records that this happened). Zero rows are still rejected.
    name : str
        A label used in reports.

    Raises
    ------
    InputError
        Non-finite entries, non-unit rows, d < 2, n < 1, y of the wrong shape or with
        |y_i| > Y_MAX, complex, masked, object or string arrays.
    """

    X: np.ndarray
    y: np.ndarray
    name: str = "data"
    normalized: bool = field(default=False)

    def __init__(self, X, y, *, normalize: bool = False, name: str = "data") -> None:
        Xa = check_finite_array(X, "X", 2)
        ya = check_finite_array(y, "y", 1)
        if ya.shape[0] != Xa.shape[0]:
            raise InputError(f"y has {ya.shape[0]} labels but X has {Xa.shape[0]} rows", arg="y")
        if ya.size and np.max(np.abs(ya)) > Y_MAX:
            i = int(np.argmax(np.abs(ya)))
            raise InputError(f"label y[{i}] = {show(ya[i])} is beyond ±{Y_MAX:g} (||f − y||² would "
                             "leave the float64 range); rescale the labels", arg="y")
        did_normalize = False
        if normalize and Xa.size:
            zero = np.flatnonzero(~np.any(Xa != 0, axis=1))
            if zero.size:
                raise InputError(f"X row {int(zero[0])} is zero and cannot be normalised", arg="X")
            with np.errstate(over="ignore", under="ignore"):   # detected and redone below
                norms = np.linalg.norm(Xa, axis=1)
            extreme = ~np.isfinite(norms) | (norms < 1e-150)   # overflow or underflow
            if np.any(extreme):
                Xa = Xa.copy()
                scale = np.max(np.abs(Xa[extreme]), axis=1)
                Xa[extreme] /= scale[:, None]
                norms = np.where(extreme, np.linalg.norm(Xa, axis=1), norms)
            did_normalize = bool(np.any(extreme) or np.any(norms != 1.0))
            Xa = Xa / norms[:, None]
        Xa = as_unit_rows(Xa)
        Xa.setflags(write=False)
        ya = ya.copy()
        ya.setflags(write=False)
        object.__setattr__(self, "X", Xa)
        object.__setattr__(self, "y", ya)
        object.__setattr__(self, "name", str(name))
        object.__setattr__(self, "normalized", did_normalize)

    # -- shape ---------------------------------------------------------------
    @property
    def n(self) -> int:
        """Number of samples."""
        return int(self.X.shape[0])

    @property
    def d(self) -> int:
        """Input dimension."""
        return int(self.X.shape[1])

    # -- geometry ------------------------------------------------------------
    def angles(self) -> np.ndarray:
        """The (n, n) matrix θ_ij = angle(x_i, x_j), accurate at 0 and π (§8a)."""
        return pairwise_angles(self.X)

    def min_separation(self) -> tuple[float, int, int]:
        """Smallest min(θ_ij, π - θ_ij) over pairs i < j, and the pair attaining it.

        A1 holds iff this is > 0.  Returns ``(inf, -1, -1)`` when n = 1.
        """
        if self.n < 2:
            return float("inf"), -1, -1
        th, ph = pairwise_angles_pi(self.X)     # π − θ from the data, not by subtraction
        sep = np.minimum(th, ph)
        iu = np.triu_indices(self.n, 1)
        k = int(np.argmin(sep[iu]))
        return float(sep[iu][k]), int(iu[0][k]), int(iu[1][k])

    def repeated_rows(self, limit: int = 10) -> list[tuple[int, int, str]]:
        """Pairs (i, j, "identical" | "antipodal") of rows equal up to sign, bit for bit.

        O(n log n) time and O(n d) memory (sorting, no n × n matrix); at most ``limit``
        pairs.  Any such pair violates A1 (λ_0 = μ_0 = 0, L1).
        """
        X = self.X
        if self.n < 2:
            return []
        idx = np.argmax(X != 0, axis=1)
        sign = np.sign(X[np.arange(self.n), idx])
        canon = X * np.where(sign < 0, -1.0, 1.0)[:, None]
        _, first, inverse = np.unique(canon, axis=0, return_index=True, return_inverse=True)
        inverse = np.asarray(inverse).reshape(-1)
        out: list[tuple[int, int, str]] = []
        for j in range(self.n):
            i = int(first[inverse[j]])
            if i != j:
                same = bool(np.array_equal(X[i], X[j]))
                out.append((i, j, "identical" if same else "antipodal"))
                if len(out) >= limit:
                    break
        return out

    @property
    def satisfies_A1(self) -> bool:
        """Assumption A1: x_i != ±x_j for i != j (and d >= 2, enforced on construction)."""
        return self.min_separation()[0] > 0.0

    def sha256(self) -> str:
        """Hash of the exact float64 bytes of (X, y); names the data in certificates."""
        h = hashlib.sha256()
        h.update(np.ascontiguousarray(self.X).tobytes())
        h.update(np.ascontiguousarray(self.y).tobytes())
        return h.hexdigest()

    def summary(self) -> dict:
        """JSON-ready description: shape, A1, smallest separation, hash."""
        sep, i, j = self.min_separation()
        return {
            "name": self.name,
            "n": self.n,
            "d": self.d,
            "normalized_on_load": self.normalized,
            "A1": sep > 0.0,
            "min_separation_rad": json_float(sep),   # "inf" when n = 1 (no pair)
            "closest_pair": [i, j],
            "sha256": self.sha256(),
        }

    def to_dict(self) -> dict:
        """Exact JSON round trip (floats are written with ``repr`` precision)."""
        return {"name": self.name, "X": self.X.tolist(), "y": self.y.tolist()}

    @classmethod
    def from_dict(cls, obj: dict) -> "Dataset":
        return cls(obj["X"], obj["y"], name=obj.get("name", "data"))

    def __repr__(self) -> str:
        return f"Dataset(name={self.name!r}, n={self.n}, d={self.d})"


# -- generators -----------------------------------------------------------------

def _check_size(n: int, d: int) -> None:
    check_memory(8.0 * n * d * 4, f"a data set of {n} × {d}", "use a smaller n or d", arg="n")


def _labels(n: int, rng: np.random.Generator) -> np.ndarray:
    return rng.choice([-1.0, 1.0], size=n) * rng.uniform(0.5, 1.0, size=n)


def random_sphere(n: int, d: int, rng: RngLike = None, *, name: str | None = None) -> Dataset:
    """n points uniform on S^{d-1} with labels in ±[0.5, 1] (A1 holds almost surely)."""
    n = check_positive_int(n, "n")
    d = check_positive_int(d, "d", 2)
    _check_size(n, d)
    g = as_generator(rng)
    Z = g.standard_normal((n, d))
    X = Z / np.linalg.norm(Z, axis=1, keepdims=True)
    return Dataset(X, _labels(n, g), name=name or f"sphere(n={n}, d={d})")


def adversarial(
    n: int,
    d: int,
    rng: RngLike = None,
    *,
    eps: float = 1e-3,
    name: str | None = None,
) -> Dataset:
    """Hard but legal data: near-parallel and near-antiparallel pairs and a tight cluster.

    Rows come in groups: x, a copy of x turned by angle ``eps``, the antipode of x turned
    by ``eps``, and a cluster of points within ``eps`` of one centre; the rest uniform.
    A1 holds (no exact ±duplicates) but λ_0 and μ_0 are small.
    """
    n = check_positive_int(n, "n", 2)
    d = check_positive_int(d, "d", 2)
    _check_size(n, d)
    eps = check_real(eps, "eps")
    if not (0 < eps < 1):
        raise InputError(f"eps must lie in (0, 1), got {show(eps)}", arg="eps")
    g = as_generator(rng)
    rows: list[np.ndarray] = []

    def unit(v):
        return v / np.linalg.norm(v)

    def turned(x, angle):
        t = g.standard_normal(d)
        t = unit(t - (t @ x) * x)
        return np.cos(angle) * x + np.sin(angle) * t

    x0 = unit(g.standard_normal(d))
    rows += [x0, turned(x0, eps)]                        # near-parallel pair
    if n >= 3:
        rows.append(turned(-x0, eps * 0.5))              # near-antiparallel to x0
    c = unit(g.standard_normal(d))
    while len(rows) < n and len(rows) < 3 + max(0, (n - 3) // 2):
        rows.append(turned(c, eps * g.uniform(0.5, 2.0)))  # cluster around c
    while len(rows) < n:
        rows.append(unit(g.standard_normal(d)))
    X = np.array([unit(r) for r in rows[:n]])
    return Dataset(X, _labels(n, g), name=name or f"adversarial(n={n}, d={d}, eps={eps:g})")


# -- loading --------------------------------------------------------------------

#: A number in a CSV cell: decimal or scientific notation, or inf/nan (refused later).
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|infinity|nan)$",
                     re.IGNORECASE)


def _is_number(cell: str) -> bool:
    return bool(_NUMBER.match(cell.strip()))


def _read_csv(p: Path, note: Callable[[str], None]) -> tuple[np.ndarray, np.ndarray]:
    """Parse a CSV data file strictly (see :func:`load`); every problem names its line."""
    raw = p.read_bytes()
    check_memory(16 * len(raw), f"reading {p.name}", "use a smaller file", arg="path")
    try:
        text = raw.decode("utf-8-sig")       # a byte-order mark is not part of the first cell
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"data file {str(p)!r}: line {line} is not valid UTF-8 text", arg="path") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        note(f"{p.name}: a UTF-8 byte-order mark was skipped")
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for row in reader:
            if row and any(c.strip() for c in row):
                rows.append((reader.line_num, [c.strip() for c in row]))
    except csv.Error as exc:
        raise InputError(f"data file {str(p)!r}: line {reader.line_num}: {exc}", arg="path") from None
    if not rows:
        raise InputError(f"data file {str(p)!r} has no data rows", arg="path")
    line0, first = rows[0]
    for sep, name in ((";", "semicolons"), ("\t", "tabs")):
        if any(sep in c and any(_is_number(t) for t in c.split(sep)) for c in first):
            raise InputError(f"data file {str(p)!r}: line {line0} looks separated by {name}; only "
                             "comma-separated files are read", arg="path")
    numeric = [_is_number(c) for c in first]
    if not any(numeric):
        note(f"{p.name}: line {line0} taken as the header ({', '.join(first)}): no cell of it is a number")
        rows = rows[1:]
        if not rows:
            raise InputError(f"data file {str(p)!r} has a header but no data rows", arg="path")
    elif not all(numeric):
        bad = [f"{c!r} (column {k + 1})" for k, c in enumerate(first) if not numeric[k]]
        raise InputError(f"data file {str(p)!r}: line {line0} mixes numbers and text: "
                         f"{', '.join(bad[:3])} {'is not a number' if len(bad) == 1 else 'are not numbers'}; a header "
                         "row must be non-numeric in every cell, a data row numeric in every cell",
                         arg="path")
    width = len(rows[0][1])
    if width < 3:
        raise InputError(f"data file {str(p)!r} has {width} column(s); it needs d >= 2 input columns "
                         "and the label y in the last column", arg="path")
    A = np.empty((len(rows), width))
    for r, (line, cells) in enumerate(rows):
        if len(cells) != width:
            raise InputError(f"data file {str(p)!r} has rows of different lengths: line {line} has "
                             f"{len(cells)} cells, line {rows[0][0]} has {width}", arg="path")
        for k, c in enumerate(cells):
            if not _is_number(c):
                hint = " (is the file comma-separated?)" if (";" in c or "\t" in c) else ""
                raise InputError(f"data file {str(p)!r}: line {line}, column {k + 1}: "
                                 f"{show(c, 40)} is not a number{hint}", arg="path")
            v = float(c)
            if not np.isfinite(v):
                raise InputError(f"data file {str(p)!r}: line {line}, column {k + 1}: {c!r} is not a "
                                 "finite number", arg="path")
            A[r, k] = v
    return A[:, :-1], A[:, -1]


def load(path: str | os.PathLike, *, normalize: bool = False,
         note: Callable[[str], None] | None = None) -> Dataset:
    """Load a data set from ``.npz`` (arrays ``X`` and ``y``) or ``.csv`` (last column y).

    ``.npz`` files are read with ``allow_pickle=False``: a data file is never unpickled;
    complex, masked, object and string arrays are refused.

    A ``.csv`` is read strictly, UTF-8 (a byte-order mark is skipped): its first row is
    a header only if *no* cell of it is a number; a row mixing numbers and text, a cell
    that is not a number (``O.5``) or not finite, and rows of different lengths are
    errors naming the line and column; nothing is dropped silently.  Blank lines are
    skipped.

    Parameters
    ----------
    path : the file.
    normalize : divide the rows of X by their norms (else non-unit rows are refused).
    note : called with a one-line note for each choice made while reading (a header
        row taken, a byte-order mark skipped, repeated rows found).

    Raises
    ------
    InputError
        Naming the file and, for a CSV, the line.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise InputError(f"path must be a file path, got {show(path)}", arg="path")
    p = Path(path)
    say = note or (lambda text: None)
    if not p.exists():
        raise InputError(f"cannot read data file {str(p)!r}: no such file", arg="path")
    if not p.is_file():
        raise InputError(f"cannot read data file {str(p)!r}: not a file", arg="path")
    suffix = p.suffix.lower()
    try:
        if suffix == ".npz":
            with np.load(p, allow_pickle=False) as z:
                missing = {"X", "y"} - set(z.files)
                if missing:
                    raise InputError(
                        f"data file {str(p)!r} lacks array(s) {sorted(missing)} (has {z.files})", arg="path"
                    )
                X, y = z["X"], z["y"]
        elif suffix == ".csv":
            X, y = _read_csv(p, say)
        else:
            raise InputError(f"cannot read data file {str(p)!r}: expected .npz or .csv", arg="path")
    except InputError:
        raise
    except MemoryError:
        raise InputError(f"data file {str(p)!r} does not fit in memory", arg="path") from None
    except Exception as exc:  # zipfile, pickle refusal, bad numbers, ...
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"cannot read data file {str(p)!r}: {text[:160]}", arg="path") from None
    try:
        ds = Dataset(X, y, normalize=normalize, name=p.name)
    except InputError as exc:
        raise InputError(f"data file {str(p)!r}: {exc}", arg=exc.arg) from None
    for i, j, kind in ds.repeated_rows(limit=3):
        say(f"{p.name}: rows {i} and {j} are {kind}: assumption A1 fails (λ_0 = μ_0 = 0), so the "
            "claims that need A1 report 'hypothesis not met'")
    return ds
