"""Users' own claims (issue 14): plugins by entry point and ``--plugin``, the example package,
the testing helpers, the pytest plugin, and the shipped self-tests.

The slow test at the end is the issue's "done when": a fresh virtual environment with both
packages installed non-editably, running the commands a user would.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import numpy as np
import pytest
from hypothesis import strategies as st

from wnproofs import registry
from wnproofs.cli import main
from wnproofs.data import random_sphere
from wnproofs.kernels import G_inf, V_inf, grams
from wnproofs.model import WNNetwork
from wnproofs.outcomes import Kind, Level, Status, compare
from wnproofs.plugin import Instance
from wnproofs.stats import absolute_band, clopper_pearson_band, hoeffding_band, hoeffding_radius
from wnproofs.testing import assert_holds, assert_kernel_close, check_on_instances, profile_settings

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "wnproofs-example-plugin"
THEORY_IDS = [f"D{i}" for i in range(1, 9)] + [f"L{i}" for i in range(1, 7)] + \
             [f"T{i}" for i in range(1, 5)] + ["C1"]


@pytest.fixture
def fresh_registry(monkeypatch):
    """Empty registry tables (restored afterwards): the next call loads everything anew."""
    for name, value in (("_CLAIMS", {}), ("_SOURCES", {}), ("_CHECKS", {}), ("_DERIVATIONS", {}),
                        ("_PLUGINS", {}), ("_ERRORS", []), ("_LOADED", False)):
        monkeypatch.setattr(registry, name, value)
    monkeypatch.delenv(registry.AUTOLOAD_ENV, raising=False)


def _write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def _fake_distribution(root: Path, module: str, ep_name: str = "fake") -> None:
    """A distribution on ``root`` advertising ``module`` in the wnproofs.plugins group."""
    _write(root, {
        "fakeplug-0.1.dist-info/METADATA": "Metadata-Version: 2.1\nName: fakeplug\nVersion: 0.1\n",
        "fakeplug-0.1.dist-info/entry_points.txt": f"[wnproofs.plugins]\n{ep_name} = {module}\n",
    })


Y1_MODULE = '''
    from wnproofs.claims import Claim
    from wnproofs.outcomes import Kind, Level, compare
    from wnproofs.plugin import check

    CLAIMS = [Claim("Y1", "Squares are nonnegative", "z² ≥ 0.", "§0", provenance="classical")]

    @check("Y1", level=Level.NUMERIC)
    def y1_squares(inst):
        z = inst.rng(0).standard_normal(100)
        return compare("Y1", Kind.LOWER, Level.NUMERIC, float((z**2).min()), 0.0, margin=None)
'''


def _forget(monkeypatch, *names: str) -> None:
    for name in list(sys.modules):
        if any(name == n or name.startswith(n + ".") for n in names):
            monkeypatch.delitem(sys.modules, name)


# ------------------------------------------------------------------ entry points


def test_entry_point_plugin_is_found_without_any_flag(tmp_path, monkeypatch, fresh_registry, capsys):
    _write(tmp_path, {"y1_plugin.py": Y1_MODULE})
    _fake_distribution(tmp_path, "y1_plugin")
    monkeypatch.syspath_prepend(str(tmp_path))
    _forget(monkeypatch, "y1_plugin")
    ids = [c.id for c in registry.claims()]
    assert ids == THEORY_IDS + ["Y1"]
    assert registry.claim_source("Y1") == "y1_plugin (entry point fake = y1_plugin of fakeplug 0.1)"
    assert [c.name for c in registry.checks_for("Y1")] == ["y1_plugin.y1_squares"]
    assert main(["verify", "--claims", "Y1", "--no-progress"]) == 0
    assert re.search(r"Y1 .* holds", capsys.readouterr().out)
    # naming the same plugin again (by module or by file) is no clash
    assert registry.load_plugin("y1_plugin").claims == ("Y1",)
    assert registry.load_plugin(str(tmp_path / "y1_plugin.py")).claims == ("Y1",)
    assert len(registry.checks_for("Y1")) == 1


def test_autoload_can_be_switched_off(tmp_path, monkeypatch, fresh_registry):
    _write(tmp_path, {"y1_plugin.py": Y1_MODULE})
    _fake_distribution(tmp_path, "y1_plugin")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv(registry.AUTOLOAD_ENV, "1")
    assert [c.id for c in registry.claims()] == THEORY_IDS


def test_broken_entry_point_is_named_and_hides_nothing(tmp_path, monkeypatch, fresh_registry, capsys):
    _write(tmp_path, {"broken_plugin.py": "import no_such_module_anywhere\n"})
    _fake_distribution(tmp_path, "broken_plugin", ep_name="brokenthing")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert [c.id for c in registry.claims()] == THEORY_IDS        # built-ins all there
    assert len(registry.all_checks()) >= 30
    (err,) = registry.plugin_errors()
    assert err.plugin == "brokenthing" and "no_such_module_anywhere" in err.reason
    assert "entry point brokenthing = broken_plugin of fakeplug 0.1" in str(err)
    # the built-in claims still verify; the run reports the broken plugin and exits 3
    assert main(["verify", "--claims", "D2", "--no-progress"]) == 3
    cap = capsys.readouterr()
    assert re.search(r"D2 .* holds", cap.out)
    assert "plugin 'brokenthing'" in cap.err and "ModuleNotFoundError" in cap.err
    # asking for a claim of the broken plugin: bad input (2), the cause printed too
    assert main(["verify", "--claims", "Y1", "--no-progress"]) == 2
    err_text = capsys.readouterr().err
    assert "unknown claim id(s) Y1" in err_text and "plugin 'brokenthing'" in err_text
    with pytest.raises(KeyError, match="failed to load: brokenthing"):
        registry.get_claim("Y1")


def test_claim_id_clash_names_both_sources_and_changes_nothing(tmp_path, monkeypatch, fresh_registry):
    clash = Y1_MODULE.replace('"Y1"', '"D1"')
    _write(tmp_path, {"clash_plugin.py": clash})
    _fake_distribution(tmp_path, "clash_plugin", ep_name="clasher")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry.load_plugins()
    (err,) = registry.plugin_errors()
    assert "claim id 'D1' is declared twice" in err.reason
    assert "wnproofs.claims (built-in)" in err.reason and "clash_plugin (entry point clasher" in err.reason
    assert registry.get_claim("D1").title == "WN gradients"
    assert all(c.name != "clash_plugin.y1_squares" for c in registry.checks_for("D1"))


# ------------------------------------------------------------------ --plugin


def test_plugin_flag_takes_a_plain_folder_of_files(tmp_path, fresh_registry, capsys):
    # checks.py sorts before claims.py: claims are collected before any check
    folder = _write(tmp_path / "my claims", {
        "claims.py": 'from wnproofs.claims import Claim\n'
                     'CLAIMS = [Claim("Z1", "Cosines are bounded", "|cos t| ≤ 1.", "§0")]\n',
        "checks.py": '''
            import numpy as np
            from wnproofs.outcomes import Kind, Level, compare
            from wnproofs.plugin import check
            from .helpers import worst_cosine

            @check("Z1", level=Level.NUMERIC)
            def z1_cosines(inst):
                return compare("Z1", Kind.UPPER, Level.NUMERIC, worst_cosine(inst.rng(0)), 1.0)
        ''',
        "helpers.py": "import numpy as np\n\ndef worst_cosine(rng):\n"
                      "    return float(np.abs(np.cos(rng.uniform(-10, 10, 100))).max())\n",
    })
    assert main(["verify", "--plugin", str(folder), "--claims", "Z1", "--no-progress"]) == 0
    assert re.search(r"Z1 .* holds", capsys.readouterr().out)
    assert [c.name for c in registry.checks_for("Z1")] == ["checks.z1_cosines"]
    assert main(["check", "Z1", "--instances", "2", "--plugin", str(folder)]) == 0  # loaded once


def test_plugin_flag_takes_a_single_file_and_a_module_name(tmp_path, monkeypatch, fresh_registry):
    _write(tmp_path, {"y1_file.py": Y1_MODULE})
    info = registry.load_plugin(str(tmp_path / "y1_file.py"))
    assert info.claims == ("Y1",) and registry.checks_for("Y1")
    monkeypatch.syspath_prepend(str(EXAMPLE / "src"))
    _forget(monkeypatch, "wnproofs_example_plugin")
    info = registry.load_plugin("wnproofs_example_plugin")
    assert info.claims == ("X1",) and info.source == "--plugin wnproofs_example_plugin"
    assert registry.load_plugin("wnproofs_example_plugin") is info  # idempotent


@pytest.mark.parametrize("spec,expect", [
    ("no_such_plugin_module", "no module named 'no_such_plugin_module'"),
    ("./no/such/folder", "no such file or folder"),
])
def test_plugin_flag_error_names_the_flag_and_the_plugin(spec, expect, fresh_registry, capsys):
    assert main(["verify", "--plugin", spec, "--claims", "D2"]) == 2
    err = capsys.readouterr().err
    assert f"argument --plugin: cannot load {spec!r}" in err and expect in err


def test_broken_explicit_plugin_leaves_no_trace(tmp_path, fresh_registry):
    """A plugin loads whole or not at all: a module raising after a claim was collected in a
    sibling leaves the tables as they were."""
    folder = _write(tmp_path / "half", {
        "a_claims.py": 'from wnproofs.claims import Claim\n'
                       'CLAIMS = [Claim("W1", "t", "s", "§0")]\n',
        "b_checks.py": "raise RuntimeError('planted import failure')\n",
    })
    before = [c.id for c in registry.claims()]
    with pytest.raises(registry.PluginError, match="RuntimeError: planted import failure") as info:
        registry.load_plugin(str(folder))
    assert info.value.plugin == str(folder) and "Traceback" in info.value.details
    assert [c.id for c in registry.claims()] == before
    with pytest.raises(KeyError):
        registry.get_claim("W1")


def test_check_of_an_unknown_claim_and_duplicate_names_are_errors(tmp_path, fresh_registry):
    orphan = _write(tmp_path / "orphan", {"o.py": Y1_MODULE.replace("CLAIMS = ", "_UNUSED = ")})
    with pytest.raises(registry.PluginError, match="names the unknown claim 'Y1'"):
        registry.load_plugin(str(orphan))
    dup = Y1_MODULE + """
    @check("Y1", level=Level.NUMERIC, name="y1_plugin.y1_squares")
    def other(inst):
        return y1_squares(inst)
    """
    _write(tmp_path / "dup", {"y1_plugin.py": dup})
    with pytest.raises(registry.PluginError, match="two checks of Y1 are named 'y1_plugin.y1_squares'"):
        registry.load_plugin(str(tmp_path / "dup"))
    assert [c.id for c in registry.claims()] == THEORY_IDS


def test_example_derivation_is_in_what_derive_runs(monkeypatch, fresh_registry):
    from wnproofs.derive import collect_results
    from wnproofs.report.derivations import render_reports

    monkeypatch.syspath_prepend(str(EXAMPLE / "src"))
    _forget(monkeypatch, "wnproofs_example_plugin")
    registry.load_plugin("wnproofs_example_plugin")
    (res,) = collect_results(names=["arccos0.derive_x1"])
    assert res.proved and res.claims == ("X1",)
    files = render_reports([res])
    assert "arccos0.md" in files and "arccos0.tex" in files and "X1" in files["index.md"]
    # a planted closed form makes the example's derivation fail
    import sympy as sp
    from wnproofs_example_plugin.derivations import THETA, derive_x1

    assert derive_x1(candidate=(sp.pi - THETA) / (2 * sp.pi) * sp.Rational(11, 10)).verdict.value == "failed"


def test_example_check_catches_a_planted_closed_form(monkeypatch, fresh_registry):
    monkeypatch.syspath_prepend(str(EXAMPLE / "src"))
    _forget(monkeypatch, "wnproofs_example_plugin")
    registry.load_plugin("wnproofs_example_plugin")
    (chk,) = registry.checks_for("X1")
    ds = random_sphere(6, 4, 0)
    assert chk(Instance(ds, 1)).status is Status.HOLDS
    for factor in (0.95, 1.05):
        assert chk(Instance(ds, 1, params={"x1_factor": factor})).status is Status.FAILS


# ------------------------------------------------------------------ wnproofs.testing


def test_assert_holds_passes_holds_and_explains_the_rest():
    ok = compare("D1", Kind.UPPER, Level.NUMERIC, 0.5, 1.0)
    assert_holds(ok)
    assert_holds([ok, ok], min_margin=2.0)
    bad = compare("D1", Kind.UPPER, Level.NUMERIC, 2.0, 1.0, message="planted")
    with pytest.raises(AssertionError, match=r"(?s)Claim D1 does not hold.*status:   fails.*observed: 2 .*planted"):
        assert_holds([ok, bad])
    with pytest.raises(AssertionError, match="margin 2 < required 3"):
        assert_holds(ok, min_margin=3.0)
    undecided = compare("D1", Kind.UPPER, Level.NUMERIC, 0.5, 1.0, undecided=True)
    with pytest.raises(AssertionError, match="inconclusive"):
        assert_holds(undecided)
    assert_holds(undecided, allow={"inconclusive"})
    with pytest.raises(ValueError):
        assert_holds(bad, allow={"fails"})
    with pytest.raises(AssertionError, match="empty"):
        assert_holds([])
    with pytest.raises(TypeError):
        assert_holds(3.0)


def test_assert_holds_on_a_verification_and_a_derivation():
    from wnproofs.verify import run_verification

    registry.load_plugins()
    assert_holds(run_verification(claim_ids=["D2"], property_instances=1))
    (der,) = [d for d in registry.all_derivations() if d.name == "limits.derive_d8"]
    assert_holds(der.fn())
    import sympy as sp

    import wnproofs.derivations.limits as lim

    with pytest.raises(AssertionError, match="not proved"):
        assert_holds(der.fn.run(candidate=lim.H_STATED * sp.Rational(11, 10)))


def test_hoeffding_radius_is_the_l2_radius_entrywise():
    """L2's radii are n × the Hoeffding radius over n² entries (independent home: bounds)."""
    from wnproofs.bounds import l2_radius_G, l2_radius_V

    for n, m, delta in ((3, 100, 0.1), (8, 5000, 1e-3)):
        assert float(l2_radius_G(n, m, delta)) == pytest.approx(n * hoeffding_radius(m, delta, 1.0, n * n), rel=1e-12)
        assert float(l2_radius_V(n, m, delta)) == pytest.approx(n * hoeffding_radius(m, delta, 2.0, n * n), rel=1e-12)
    with pytest.raises(ValueError):
        hoeffding_radius(0, 0.1)
    with pytest.raises(ValueError):
        hoeffding_radius(10, 1.5)


def test_clopper_pearson_band_matches_scipy_exact_intervals():
    from scipy.stats import binomtest

    N, delta = 300, 0.05
    F = np.array([[0.5, 0.1], [0.1, 1.0]])  # symmetric: 3 distinct entries
    lo, hi = clopper_pearson_band(N, delta).interval(F)
    for (i, j) in ((0, 0), (0, 1), (1, 1)):
        ci = binomtest(int(round(F[i, j] * N)), N).proportion_ci(confidence_level=1 - delta / 3, method="exact")
        assert lo[i, j] == pytest.approx(ci.low, abs=1e-12) and hi[i, j] == pytest.approx(ci.high, abs=1e-12)
    with pytest.raises(ValueError, match="frequencies"):
        clopper_pearson_band(N, delta).interval(np.array([[0.5001]]))


def test_bands_cover_at_their_stated_rate():
    """Monte Carlo coverage: over 400 repetitions a 3-entry band with δ = 0.1 is left at most
    at rate δ (an exact binomial test); a band a third as wide is left far more often."""
    from wnproofs.stats import rate_test

    rng = np.random.default_rng(7)
    p = np.array([[0.3, 0.05, 0.5]])
    N, reps, delta = 200, 400, 0.1
    cp_miss = hoeff_miss = narrow_miss = 0
    for _ in range(reps):
        F = rng.binomial(N, p) / N
        cp_miss += not np.all(clopper_pearson_band(N, delta).excess(F, p) <= 1)
        hoeff_miss += not np.all(hoeffding_band(N, delta).excess(F, p) <= 1)
        narrow = absolute_band(hoeffding_radius(N, delta, 1.0, 3) / 3)
        narrow_miss += not np.all(narrow.excess(F, p) <= 1)
    for miss in (cp_miss, hoeff_miss):
        assert rate_test(miss, reps, delta, 1 - 1e-6).status is not Status.FAILS, miss
    assert rate_test(narrow_miss, reps, delta, 1 - 1e-6).status is Status.FAILS, narrow_miss


def test_assert_kernel_close_on_finite_width_grams():
    ds, m = random_sphere(5, 3, 2), 4000
    V, G = grams(WNNetwork.init(m, 3, 1.0, 5), ds.X)
    assert_kernel_close(G, G_inf(ds), hoeffding_band(m, 1e-6, 1.0))
    assert_kernel_close(V, V_inf(ds), hoeffding_band(m, 1e-6, 2.0))
    with pytest.raises(AssertionError, match=r"(?s)Hoeffding band .*entries outside the band.*worst entry"):
        assert_kernel_close(G, G_inf(ds) + 0.1, hoeffding_band(m, 1e-6, 1.0))
    with pytest.raises(AssertionError, match="shape"):
        assert_kernel_close(G, G_inf(ds)[:2], 0.1)
    bad = G.copy()
    bad[0, 1] = np.nan
    with pytest.raises(AssertionError, match="1 / 25 entries"):
        assert_kernel_close(bad, G, 0.5)
    assert_kernel_close(G, G + 0.01, 0.02)


def _planted_check(threshold: float):
    from wnproofs.plugin import check

    @check("D1", level="numeric", name="planted_n")
    def planted(inst):
        """Fails when the data set has more than ``threshold`` points."""
        return compare("D1", Kind.UPPER, Level.NUMERIC, inst.data.n, threshold, message="too many points")

    return planted


def test_check_on_instances_reports_the_shrunk_counterexample(tmp_path, monkeypatch):
    monkeypatch.setenv("WNPROOFS_FAILURES_DIR", str(tmp_path))
    with pytest.raises(AssertionError, match="smallest counterexample") as info:
        check_on_instances(_planted_check(3.5), n=30, hypothesis_settings=profile_settings("ci"))
    text = str(info.value)
    assert "n = 4," in text and "wnproofs replay" in text    # shrunk to the boundary n = 4
    (saved,) = tmp_path.glob("D1-planted_n.json")
    assert json.loads(saved.read_text())["instance"]["data"]["X"].__len__() == 4
    run = check_on_instances(_planted_check(100.0), n=5, hypothesis_settings=profile_settings("ci"))
    assert run.examples == 5 and run.count("holds") == 5


def test_check_on_instances_refuses_a_vacuous_run_and_reports_crashes(tmp_path, monkeypatch):
    from wnproofs.plugin import check

    monkeypatch.setenv("WNPROOFS_FAILURES_DIR", str(tmp_path))

    @check("L1", level="numeric", name="never_applies")
    def never(inst):
        return compare("L1", Kind.LOWER, Level.NUMERIC, 0.0, 0.0, hypothesis_met=False)

    with pytest.raises(AssertionError, match="did not meet the hypotheses"):
        check_on_instances(never, n=3, hypothesis_settings=profile_settings("ci"))

    @check("L1", level="numeric", name="crashes")
    def crash(inst):
        raise RuntimeError("planted crash")

    with pytest.raises(AssertionError, match="check crashes failed") as info:
        check_on_instances(crash, n=3, hypothesis_settings=profile_settings("ci"))
    assert isinstance(info.value.__cause__, RuntimeError)
    assert check_on_instances("D2", n=2, params=st.just({}), hypothesis_settings=profile_settings("ci")).examples == 2


# ------------------------------------------------------------------ pytest plugin, selftest


def _clean_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", registry.AUTOLOAD_ENV)}
    env.update(extra)
    return env


USER_TESTS = '''
    import numpy as np
    from hypothesis import given, settings
    from wnproofs.testing import assert_holds

    def test_dataset_ids(wnproofs_dataset, request):
        assert request.node.callspec.id in ("sphere", "adversarial", "user:mine.npz")
        assert np.allclose(np.linalg.norm(wnproofs_dataset.X, axis=1), 1.0)

    def test_l1_holds_on_every_dataset(wnproofs_instance, wnproofs_check):
        for chk in wnproofs_check("L1"):
            assert_holds(chk(wnproofs_instance))

    def test_user_only(wnproofs_user_instance, wnproofs_user_datasets):
        assert wnproofs_user_instance.data.n == 5 and len(wnproofs_user_datasets) == 1

    def test_plugin_check(wnproofs_check):
        assert [c.name for c in wnproofs_check("X1")] == ["checks.x1_monte_carlo"]

    def test_profile_is_derandomized():
        assert settings.default.derandomize

    def test_strategies(wnproofs_strategies, wnproofs_data_strategy, wnproofs_datasets):
        assert len(wnproofs_datasets) == 3

        @given(wnproofs_strategies.instances(data=wnproofs_data_strategy))
        def prop(inst):
            assert inst.data.d >= 2
        prop()
'''


def test_pytest_plugin_fixtures_in_a_users_test_file(tmp_path):
    _write(tmp_path, {"test_user.py": USER_TESTS})
    ds = random_sphere(5, 3, 11)
    np.savez(tmp_path / "mine.npz", X=ds.X, y=ds.y)
    import importlib.metadata

    # installed (CI), pytest loads the plugin by its pytest11 entry point; from a checkout, by -p
    installed = any(ep.name == "wnproofs" for ep in importlib.metadata.entry_points(group="pytest11"))
    base = [sys.executable, "-m", "pytest", *([] if installed else ["-p", "wnproofs.pytest_plugin"]),
            "-p", "no:cacheprovider", "-q", "--hypothesis-profile=wnproofs-ci", "test_user.py"]
    env = _clean_env(PYTHONPATH=str(REPO))
    plugin = str(EXAMPLE / "src" / "wnproofs_example_plugin")
    r = subprocess.run(base + ["--wnproofs-data", "mine.npz", "--wnproofs-plugin", plugin, "-rs"],
                       cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "10 passed" in r.stdout
    # without user data the user-only test is skipped, the others run on the built-in data
    r = subprocess.run(base + ["-rs", "-k", "not dataset_ids and not strategies and not plugin"], cwd=tmp_path,
                       env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and "3 passed, 1 skipped" in r.stdout, r.stdout + r.stderr
    (tmp_path / "bad.csv").write_text("3,4,1\n", encoding="utf-8")
    r = subprocess.run(base + ["--wnproofs-data", "bad.csv", "-k", "l1"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 4 and "--wnproofs-data bad.csv" in r.stderr, r.stdout + r.stderr


def test_selftest_command_runs_the_shipped_tests(tmp_path):
    r = subprocess.run([sys.executable, "-m", "wnproofs", "selftest", "--", "-k", "stats or environment"],
                       cwd=tmp_path, env=_clean_env(PYTHONPATH=str(REPO)), capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.search(r"\b6 passed", r.stdout), r.stdout
    r = subprocess.run([sys.executable, "-m", "wnproofs", "selftest", "--", "-k", "matches_nothing"],
                       cwd=tmp_path, env=_clean_env(PYTHONPATH=str(REPO)), capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 2 and "could not run the self-tests" in r.stderr


def test_readme_worked_example_is_the_example_package():
    """The README's "Adding your own claim" shows the example package's files as they are,
    and the CI file for a user's repository."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Adding your own claim", 1)[1].split("\n## ", 1)[0]
    shown = dict(re.findall(r"```\w*\n# (\S+)\n(.*?)```", section, flags=re.S))
    for rel in ("pyproject.toml", "src/wnproofs_example_plugin/__init__.py",
                "src/wnproofs_example_plugin/checks.py", "src/wnproofs_example_plugin/derivations.py",
                ".github/workflows/property-tests.yml"):
        assert rel in shown, f"README does not show {rel}"
        assert shown[rel].strip() in (EXAMPLE / rel).read_text(encoding="utf-8"), \
            f"README's copy of {rel} differs from the file"


# ------------------------------------------------------------------ the "done when"


def _venv_python(env_dir: Path) -> Path:
    return env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _venv_script(env_dir: Path, name: str) -> Path:
    return env_dir / ("Scripts" if os.name == "nt" else "bin") / name


@pytest.mark.slow
def test_fresh_venv_with_both_packages_installed_non_editably(tmp_path):
    """pip install . and ./examples/wnproofs-example-plugin into a new venv (reusing this
    interpreter's NumPy/SciPy/SymPy/flint), then, from an empty folder: verify --claims X1,
    derive --out, pytest --pyargs wnproofs, and the example's own tests as its CI runs them."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(env_dir)
    py = str(_venv_python(env_dir))
    env = _clean_env(PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("VIRTUAL_ENV", None)

    def run(*args, cwd=tmp_path, timeout=900):
        r = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                           timeout=timeout)
        return r

    # copies, so no build artefact lands in the repository
    src = tmp_path / "src"
    shutil.copytree(REPO, src, ignore=shutil.ignore_patterns(".git", "build", "*.egg-info", "__pycache__",
                                                             ".wnproofs-failures", "examples"))
    example = tmp_path / "example"
    shutil.copytree(EXAMPLE, example, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    # --force-reinstall --no-deps: into the venv even if the outer environment has wnproofs 0.1.0
    r = run(py, "-m", "pip", "install", "--force-reinstall", "--no-deps", str(src))
    assert r.returncode == 0, r.stdout + r.stderr
    r = run(py, "-m", "pip", "install", str(example))
    assert r.returncode == 0, r.stdout + r.stderr
    work = tmp_path / "work"
    work.mkdir()
    r = run(py, "-c", "import wnproofs, wnproofs_example_plugin as e; print(wnproofs.__file__); print(e.__file__)",
            cwd=work)
    assert r.returncode == 0, r.stderr
    for line in r.stdout.split():
        assert Path(line).resolve().is_relative_to(env_dir.resolve()), line   # installed, not a checkout
    wn = str(_venv_script(env_dir, "wnproofs"))

    r = run(wn, "verify", "--claims", "X1", "--json", "x1.json", "--no-progress", cwd=work)
    assert r.returncode == 0, r.stdout + r.stderr
    (claim,) = json.loads((work / "x1.json").read_text())["claims"]
    assert claim["id"] == "X1" and claim["status"] == "holds"
    assert claim["levels"] == ["symbolic", "numeric", "property"]

    r = run(wn, "derive", "--out", "reports", cwd=work)
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.search(r"X1 +arccos0\.derive_x1 +proved +2/2", r.stdout), r.stdout
    index = (work / "reports" / "index.md").read_text()
    assert "`arccos0.derive_x1`" in index and (work / "reports" / "arccos0.tex").is_file()
    assert "`limits.derive_d6`" in index                                  # beside the toolkit's own

    r = run(py, "-m", "pytest", "--pyargs", "wnproofs", "-p", "no:cacheprovider", "-q", cwd=work)
    assert r.returncode == 0 and re.search(r"\d+ passed", r.stdout), r.stdout + r.stderr
    r = run(wn, "selftest", cwd=work)
    assert r.returncode == 0, r.stdout + r.stderr

    # the example's own tests, with the command of its CI file, from a copy of its folder
    ci = (EXAMPLE / ".github" / "workflows" / "property-tests.yml").read_text(encoding="utf-8")
    (pytest_line,) = re.findall(r"run: (python -m pytest.*)", ci)
    r = run(py, *pytest_line.split()[1:], cwd=example)
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.search(r"\b1[0-9] passed", r.stdout), r.stdout
