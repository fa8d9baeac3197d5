"""The empirical width law (issue 17, item 5): a small version of `wnproofs widthlaw`, the fit and its interval."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from wnproofs.cli import main
from wnproofs.errors import InputError
from wnproofs.widthlaw import WidthLawConfig, fit_exponent, readme_table


def test_fit_recovers_an_exact_power_law():
    ns = [4, 8, 16, 32, 64]
    m = [3 * n**2 for n in ns]
    lo = [v / 1.05 for v in m]
    fit = fit_exponent(ns, m, lo, rng=np.random.default_rng(0), n_boot=500)
    assert fit["exponent"] == pytest.approx(2.0, abs=1e-9)
    assert fit["ci"][0] <= 2.0 <= fit["ci"][1] and fit["ci"][1] - fit["ci"][0] < 0.1
    # the bracket carries the grid's resolution: a coarser bracket, a wider interval
    wide = fit_exponent(ns, m, [v / 2 for v in m], rng=np.random.default_rng(0), n_boot=500)
    assert wide["ci"][1] - wide["ci"][0] > fit["ci"][1] - fit["ci"][0]


def test_fit_needs_a_generator_and_two_points():
    with pytest.raises(InputError):
        fit_exponent([4, 8], [10, 20], [5, 10], rng=0)
    with pytest.raises(InputError):
        fit_exponent([4, 4], [10, 20], [5, 10], rng=np.random.default_rng(0))


def test_config_validates():
    with pytest.raises(InputError, match="at least 10"):
        WidthLawConfig(seeds=5)
    with pytest.raises(InputError, match="unknown theorem"):
        WidthLawConfig(claims=("T9",))


def test_small_width_law_end_to_end(tmp_path):
    """`wnproofs widthlaw` on n = 4, 8 for T3 and C1: JSON fields, the search's consistency, the
    figure, the README section, and a resumed run that recomputes nothing."""
    out, store, readme = tmp_path / "res", tmp_path / "runs.jsonl", tmp_path / "README.md"
    readme.write_text("# x\n\n## How loose each theorem is, measured\n\n<!-- widthlaw:start -->\nPLACEHOLDER-OLD\n"
                      "<!-- widthlaw:end -->\n\n## After\n")
    args = ["widthlaw", "--claims", "T3", "C1", "--n", "4", "8", "--d", "8", "--seeds", "10", "--max-steps", "400",
            "--max-evals", "3000", "--m-max", "4096", "--store", str(store), "--out", str(out), "--readme", str(readme),
            "--no-progress"]
    assert main(args) == 0
    doc = json.loads((out / "width_law.json").read_text())
    assert (out / "width_law.png").stat().st_size > 5000
    for claim in ("T3", "C1"):
        t = doc["theorems"][claim]
        assert t["n"] == [4, 8] and t["seeds"] == 10 and t["budget"] == {"max_steps": 400, "max_evals": 3000}
        assert t["theory_exponent"] == (6.0 if claim == "C1" else 4.0)
        assert all(m is not None for m in t["m_star"])
        assert t["exponent"] is not None and t["ci"][0] <= t["exponent"] <= t["ci"][1]
        for grid, m_star, m_lo in zip(t["grid"], t["m_star"], t["m_last_fail"]):
            by_m = {g["m"]: g for g in grid}
            assert by_m[m_star]["passed"] and by_m[m_star]["successes"] >= 9 and by_m[m_star]["runs"] == 10
            if m_lo is not None:
                assert not by_m[m_lo]["passed"] and m_lo < m_star
            for g in grid:   # exact binomial interval around the observed fraction
                assert g["cp95"][0] <= g["fraction"] <= g["cp95"][1]
        assert t["threshold_exponent"] is not None and all(r > 1 for r in t["threshold_over_m_star"])
    text = readme.read_text()
    assert "PLACEHOLDER-OLD" not in text and "## After" in text and "Headline" in text and "| T3 |" in text
    lines = store.read_text().count("\n")
    assert main(args) == 0                                  # resumed: nothing recomputed
    assert store.read_text().count("\n") == lines
    assert json.loads((out / "width_law.json").read_text())["theorems"] == doc["theorems"]


def test_readme_table_states_the_headline():
    doc = {"config": {"d": 32, "seeds": 10, "delta": 0.1, "ns": [4, 8]}, "theorems": {
        "T1": {"n": [4, 8], "m_star": [10, 40], "exponent": 2.0, "ci": [1.5, 2.5], "theory_exponent": 4.0,
               "threshold_exponent": 4.3, "threshold_over_m_star": [1e10, 1e11]}}}
    text = readme_table(doc)
    assert "T1 n^2.0" in text and "1e+10 to 1e+11 times above m*" in text and "| T1 | 2.00 [1.50, 2.50] | - | 4 | 4.30 | 1e+11 (n = 8) | 4, 8 |" in text
    assert not math.isnan(doc["theorems"]["T1"]["exponent"])
