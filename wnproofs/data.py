"""Data sets on the unit sphere: validation, accurate angles, loading, generators.

THEORY.md §0: inputs x_1..x_n in R^d with ||x_i|| = 1, d >= 2; assumption **A1** says
that no two inputs are parallel or antiparallel.  The angles θ_ij come from
:mod:`wnproofs.angles` (THEORY.md §8a: accurate at both ends, θ ≈ 0 and θ ≈ π);
``pairwise_angles`` is re-exported here.
"""

from __future__ import annotations

import csv
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .angles import pairwise_angles, pairwise_angles_pi  # the angle's home (re-exported here)
from .errors import InputError, check_finite_array, check_positive_int
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
            f"{name} must have unit-norm rows: row {i} has norm {norms[i]!r} "
            f"({bad.size} row(s) off by more than {tol:g}); pass normalize=True to normalise"
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
        Non-finite entries, non-unit rows, d < 2, n < 1, or y of the wrong shape.
    """

    X: np.ndarray
    y: np.ndarray
    name: str = "data"
    normalized: bool = field(default=False)

    def __init__(self, X, y, *, normalize: bool = False, name: str = "data") -> None:
        Xa = check_finite_array(X, "X", 2)
        ya = check_finite_array(y, "y", 1) if np.ndim(y) == 1 else None
        if ya is None:
            raise InputError(f"y must be 1-dimensional, got shape {np.shape(y)}")
        if ya.shape[0] != Xa.shape[0]:
            raise InputError(f"y has {ya.shape[0]} labels but X has {Xa.shape[0]} rows")
        did_normalize = False
        if normalize and Xa.size:
            norms = np.linalg.norm(Xa, axis=1)
            if np.any(norms == 0):
                raise InputError(f"X row {int(np.argmin(norms))} is zero and cannot be normalised")
            did_normalize = bool(np.any(np.abs(norms - 1.0) > 0))
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
            "min_separation_rad": sep,
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

def _labels(n: int, rng: np.random.Generator) -> np.ndarray:
    return rng.choice([-1.0, 1.0], size=n) * rng.uniform(0.5, 1.0, size=n)


def random_sphere(n: int, d: int, rng: RngLike = None, *, name: str | None = None) -> Dataset:
    """n points uniform on S^{d-1} with labels in ±[0.5, 1] (A1 holds almost surely)."""
    n = check_positive_int(n, "n")
    d = check_positive_int(d, "d", 2)
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
    if not (0 < eps < 1):
        raise InputError(f"eps must lie in (0, 1), got {eps!r}")
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

def load(path: str | os.PathLike, *, normalize: bool = False) -> Dataset:
    """Load a data set from ``.npz`` (arrays ``X`` and ``y``) or ``.csv`` (last column y).

    ``.npz`` files are read with ``allow_pickle=False``: a data file is never unpickled.
    A ``.csv`` may start with one header row of non-numeric names.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"cannot read data file {str(p)!r}: no such file")
    suffix = p.suffix.lower()
    try:
        if suffix == ".npz":
            with np.load(p, allow_pickle=False) as z:
                missing = {"X", "y"} - set(z.files)
                if missing:
                    raise InputError(
                        f"data file {str(p)!r} lacks array(s) {sorted(missing)} (has {z.files})"
                    )
                X, y = z["X"], z["y"]
        elif suffix == ".csv":
            with open(p, newline="") as fh:
                rows = [r for r in csv.reader(fh) if r and any(c.strip() for c in r)]
            if rows:
                try:
                    [float(c) for c in rows[0]]
                except ValueError:
                    rows = rows[1:]  # header
            if not rows:
                raise InputError(f"data file {str(p)!r} has no data rows")
            widths = {len(r) for r in rows}
            if len(widths) != 1:
                raise InputError(f"data file {str(p)!r} has rows of different lengths {sorted(widths)}")
            A = np.array([[float(c) for c in r] for r in rows])
            X, y = A[:, :-1], A[:, -1]
        else:
            raise InputError(f"cannot read data file {str(p)!r}: expected .npz or .csv")
    except InputError:
        raise
    except Exception as exc:  # zipfile, pickle refusal, bad numbers, ...
        raise InputError(f"cannot read data file {str(p)!r}: {exc}") from None
    return Dataset(X, y, normalize=normalize, name=p.name)
