"""Exact singularity when A1 fails by a repeated row (claim L1, singular case)."""

from __future__ import annotations

from ..errors import InputError
from ..kernels.closed_forms import KINDS, _as_dataset, diagonal, sympy_form

__all__ = ["duplicate_pairs", "null_vector_certificate"]


def duplicate_pairs(data) -> list[tuple[int, int]]:
    """Pairs i < j whose rows are bitwise identical (exact duplicates)."""
    ds = _as_dataset(data)
    seen: dict[bytes, int] = {}
    pairs = []
    for i in range(ds.n):
        key = ds.X[i].tobytes()
        if key in seen:
            pairs.append((seen[key], i))
        else:
            seen[key] = i
    return pairs


def null_vector_certificate(data, i: int, j: int) -> dict:
    """Exact proof that e_i − e_j is a null vector of V^∞, G^∞ and H^∞ (L1, singular case).

    Requires rows i and j to be bitwise equal.  Then x̂_i = x̂_j exactly, so θ_ik = θ_jk
    for every k and θ_ij = θ_ii = 0; each closed form at θ = 0 equals its diagonal
    (checked exactly in SymPy on the kernels' own formulas), so rows i and j of each
    matrix coincide and A(e_i − e_j) = 0: λ_min = 0 exactly (the matrices are PSD Gram
    matrices).
    """
    import sympy as sp

    ds = _as_dataset(data)
    n = ds.n
    for k, nm in ((i, "i"), (j, "j")):
        if not (0 <= int(k) < n):
            raise InputError(f"{nm} = {k} out of range for n = {n}")
    if i == j:
        raise InputError("i and j must differ")
    same = bool(ds.X[i].tobytes() == ds.X[j].tobytes())
    th = sp.Symbol("theta", positive=True)
    diag_ok = all(sp.simplify(sympy_form(w, th, ds.d).subs(th, 0) - sp.Rational(diagonal(w, ds.d).numerator, diagonal(w, ds.d).denominator)) == 0
                  for w in KINDS)
    return {"certified": bool(same and diag_ok), "rows_identical": same,
            "closed_form_at_0_equals_diagonal": bool(diag_ok), "null_vector": [int(i), int(j)],
            "data_sha256": ds.sha256(),
            "statement": f"A(e_{i} − e_{j}) = 0 for A ∈ {{V^∞, G^∞, H^∞}}: λ_min = 0 exactly"}

