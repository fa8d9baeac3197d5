"""The proof chain catches a wrong constant (issue 11): plant an error in a COPY of the source
tree and `wnproofs verify --quick` must exit 1.

Each mutation edits one line of the library (a factor changed, a square root dropped, THEORY's
3/4 turned into 1/2, a budget share or a floor changed), runs ``python -m wnproofs verify
--quick --claims ...`` in the copy (the claims whose derivation must catch it), checks the exit
status 1 and the derivation named in the failure, and restores the line.  A control run of
the unmutated copy exits 0.  Slow (about 20 s per mutation on 2 cores): ``-m slow``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]

#: (id, file, exact text, replacement, claims to verify, derivation expected to fail)
MUTATIONS = [
    ("hoeffding-factor", "wnproofs/bounds/lemmas.py",
     "return w * mpmath.sqrt(mpmath.log(sides / delta) / (2 * m))",
     "return w * mpmath.sqrt(mpmath.log(sides / delta) / (4 * m))", ["L2"], "concentration.derive_l2"),
    ("three-quarters-to-one-half", "wnproofs/bounds/lemmas.py",
     "L2_SHARE = Fraction(1, 4)", "L2_SHARE = Fraction(1, 2)", ["L2"], "concentration.derive_l2"),
    ("l3-sqrt-dropped", "wnproofs/bounds/lemmas.py",
     "return mpmath.sqrt(2 * mpmath.log(2 * mpmath.mpf(n) / probability(delta)))",
     "return 2 * mpmath.log(2 * mpmath.mpf(n) / probability(delta))", ["L3"], "probability.derive_l3"),
    ("l4-sphere-factor", "wnproofs/bounds/lemmas.py",
     "return min(mpmath.mpf(1), r * mpmath.sqrt(2 * mpmath.mpf(d) / mpmath.pi))",
     "return min(mpmath.mpf(1), r * mpmath.sqrt(mpmath.mpf(d) / mpmath.pi))", ["L4"], "probability.derive_l4"),
    ("l5-rho-term", "wnproofs/bounds/lemmas.py",
     "return (2 * rho + rho**2) + (1 + rho) ** 2 * (2 * r + f_i + f_j)",
     "return (rho + rho**2) + (1 + rho) ** 2 * (2 * r + f_i + f_j)", ["L5"], "stability.derive_l5"),
    ("l6-gd-sum", "wnproofs/bounds/lemmas.py",
     "return (1 if method == \"GF\" else 2) * B / kappa",
     "return (1 if method == \"GF\" else 1) * B / kappa", ["L6"], "stability.derive_l6"),
    ("l6-sqrt-n-dropped", "wnproofs/bounds/lemmas.py",
     "return positive(eta_g, \"eta_g\") * mpmath.sqrt(n) * nonneg(integral, \"integral\") / mpmath.sqrt(width(m))",
     "return positive(eta_g, \"eta_g\") * n * nonneg(integral, \"integral\") / mpmath.sqrt(width(m))",
     ["L6"], "stability.derive_l6"),
    ("gd-stability-share", "wnproofs/bounds/thresholds.py",
     "\"GD\": Budget(L2_SHARE, Fraction(1, 8), Fraction(3, 8), Fraction(3, 8)),",
     "\"GD\": Budget(L2_SHARE, Fraction(1, 4), Fraction(3, 8), Fraction(3, 8)),", ["T2"], "convergence.derive_chain"),
    ("flip-term-halved", "wnproofs/bounds/thresholds.py",
     "entry = a_rho * rho_mean + a_r * (2 * R0 * M1) + a_F * 2 * Phi + frac_bad",
     "entry = a_rho * rho_mean + a_r * (2 * R0 * M1) + a_F * Phi + frac_bad", ["T2"], "convergence.derive_chain"),
    ("c1-lemma32-radius", "wnproofs/bounds/thresholds.py",
     "p = _frac(b.stability) * lh * de / (2 * nn**2)",
     "p = _frac(b.stability) * lh * de / (nn**2)", ["C1"], "convergence.derive_chain"),
    ("c1-step-constant", "wnproofs/bounds/thresholds.py",
     "return _frac(BUDGETS[\"GD\"].second_order) * lh / mpmath.mpf(n) ** 2",
     "return lh / mpmath.mpf(n) ** 2", ["C1"], "convergence.derive_chain"),
    ("chi-mean-constant", "wnproofs/bounds/moments.py",
     "(mpmath.sqrt(2) * mpmath.gamma(mpmath.mpf(d) / 2))",
     "(2 * mpmath.gamma(mpmath.mpf(d) / 2))", ["T2"], "convergence.derive_chain"),
    ("theorem-floor", "wnproofs/theorems.py",
     "return self.lam_inf(consts, alpha) / 2",
     "return self.lam_inf(consts, alpha) / 1.5", ["T2"], "convergence.derive_chain"),
]


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    dst = tmp_path_factory.mktemp("mutant")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis", ".wnproofs-failures")
    for name in ("wnproofs", "checks", "derivations"):
        shutil.copytree(ROOT / name, dst / name, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", dst / "pyproject.toml")
    return dst


def _verify(tree: Path, claims: list[str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([sys.executable, "-m", "wnproofs", "verify", "--quick", "--no-progress",
                           "--claims", *claims], cwd=tree, env=env, capture_output=True, text=True,
                          timeout=1200)


def test_unmutated_copy_verifies(tree):
    res = _verify(tree, ["L2", "T2"])
    assert res.returncode == 0, res.stdout + res.stderr


@pytest.mark.parametrize("ident,path,old,new,claims,derivation", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_planted_error_makes_verify_exit_1(tree, ident, path, old, new, claims, derivation):
    f = tree / path
    text = f.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{ident}: the text to mutate must occur exactly once in {path}"
    f.write_text(text.replace(old, new), encoding="utf-8")
    try:
        res = _verify(tree, claims)
    finally:
        f.write_text(text, encoding="utf-8")
    assert res.returncode == 1, f"{ident}: verify exited {res.returncode}\n{res.stdout}\n{res.stderr}"
    assert f"derivation:{derivation}" in res.stderr, res.stderr
