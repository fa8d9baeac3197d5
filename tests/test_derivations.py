"""Tests of the SymPy derivations (derivations/*.py), their verdicts and their reports.

* every registered derivation's steps are proved, or inconclusive with a 50-digit fallback;
* planted errors (wrong sign, missing 1/d, missing projection, missing 1/α², a too-small
  bound) make the derivation fail, while a correct but different form still passes;
* the derived closed forms agree with computations done here independently (finite
  differences of the forward map, mpmath quadrature);
* the committed reports in derivations/reports are not stale; ``wnproofs derive`` writes
  and checks them.
"""

from __future__ import annotations

import importlib
import json
import math
import shutil
import subprocess
import types
from pathlib import Path

import mpmath
import numpy as np
import pytest
import sympy as sp

from wnproofs import derive, symbolic
from wnproofs.cli import main
from wnproofs.errors import InputError
from wnproofs.report.derivations import render_reports
from wnproofs.symbolic import DerivationFn, Verdict, decide_nonnegative, decide_zero
from wnproofs.model import WNNetwork
from wnproofs.registry import all_derivations, derivations_for, import_plugin_package, load_plugins

load_plugins()
import_plugin_package("wnproofs.derivations")
gradients = importlib.import_module("wnproofs.derivations.gradients")
dynamics = importlib.import_module("wnproofs.derivations.dynamics")
limits = importlib.import_module("wnproofs.derivations.limits")
probability = importlib.import_module("wnproofs.derivations.probability")
concentration = importlib.import_module("wnproofs.derivations.concentration")
stability = importlib.import_module("wnproofs.derivations.stability")
convergence = importlib.import_module("wnproofs.derivations.convergence")
premises = importlib.import_module("wnproofs.derivations.premises")
tools = importlib.import_module("wnproofs.derivations._tools")

OURS = ("D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "L2", "L3", "L4", "L5", "L6")


def _ours() -> list[DerivationFn]:
    return [d.fn for d in all_derivations() if isinstance(d.fn, DerivationFn)]


# -- verdicts ----------------------------------------------------------------------

@pytest.mark.parametrize("claim", OURS)
def test_each_claim_has_a_step_derivation(claim):
    ders = [d for d in derivations_for(claim) if isinstance(d.fn, DerivationFn)]
    assert ders, f"no step derivation registered for {claim}"
    for d in ders:
        res = d.fn()
        assert res.steps and all(s.claim == claim for s in res.steps)


@pytest.mark.parametrize("fn", _ours(), ids=lambda f: f.name)
def test_steps_proved_or_inconclusive_with_fallback(fn):
    res = fn()
    for s in res.steps:
        assert s.verdict is not Verdict.FAILED, (s.name, s.method, s.numeric)
        if s.verdict is Verdict.INCONCLUSIVE:
            assert any(c.dps >= 50 and c.ok for c in s.numeric), s.name
    assert fn.proved == all(s.verdict is Verdict.PROVED for s in res.steps)
    assert res.sympy_version == sp.__version__ and res.seconds >= 0


def test_result_is_cached_per_process():
    fn = limits.derive_d6
    assert fn() is fn()
    assert fn(candidate=limits.G_STATED) is not fn()


def test_symbolic_level_follows_the_outcome():
    from wnproofs.verify import _levels

    assert "symbolic" in _levels("D6", [])
    failing = DerivationFn(lambda: [symbolic.make_step("D6", "x", "x", Verdict.FAILED, "planted")],
                           ("D6",), "t", "t")
    assert failing.proved is False
    crashing = DerivationFn(lambda: 1 / 0, ("D6",), "t", "t")
    assert crashing.proved is False


# -- planted errors ----------------------------------------------------------------

TH, D = limits.THETA, limits.DIM


@pytest.mark.parametrize("candidate", [
    -limits.G_STATED,                                  # wrong sign
    limits.G_STATED * D,                               # missing 1/d
    (sp.sin(TH) - (sp.pi - TH) * sp.cos(TH)) / (2 * sp.pi * D),  # sign inside
], ids=["sign", "missing-1/d", "inner-sign"])
def test_planted_G_fails(candidate):
    assert limits.derive_d6(candidate=candidate).verdict is Verdict.FAILED


def test_equivalent_G_form_passes():
    alt = sp.sin(TH) / (2 * sp.pi * D) + sp.cos(TH) / (2 * D) - TH * sp.cos(TH) / (2 * sp.pi * D)
    assert limits.derive_d6(candidate=alt).proved


def test_planted_V_and_H_fail():
    assert limits.derive_d7(candidate=limits.H_STATED - limits.G_STATED * D).verdict is Verdict.FAILED
    assert limits.derive_d8(candidate=sp.cos(TH) * (sp.pi - TH) / sp.pi).verdict is Verdict.FAILED


def test_planted_gradient_fails():
    no_projection = lambda v, x, g, c, m: c * g / sp.sqrt(v.dot(v)) * x / sp.sqrt(m)  # noqa: E731
    assert gradients.derive_d1(candidate_v=no_projection).verdict is Verdict.FAILED
    wrong_sign = lambda v, x, g, c, m: -gradients.theory_grad_g(v, x, g, c, m)  # noqa: E731
    assert gradients.derive_d1(candidate_g=wrong_sign).verdict is Verdict.FAILED


def test_planted_kernel_dynamics_fails():
    no_alpha = lambda V, G: dynamics.ETA_V * V + dynamics.ETA_G * G  # noqa: E731
    res = dynamics.derive_d4(candidate=no_alpha)
    assert res.verdict is Verdict.FAILED and not res.proved


def test_planted_probability_constants_fail():
    assert probability.derive_l3(candidate=sp.Rational(1, 4)).verdict is Verdict.FAILED
    too_small = probability.R * sp.sqrt(probability.DIM / sp.pi)
    assert probability.derive_l4(candidate=too_small).verdict is Verdict.FAILED
    sharper = probability.R * sp.sqrt(2 * (probability.DIM - 1) / sp.pi)  # true and sharper
    assert probability.derive_l4(candidate=sharper).verdict is not Verdict.FAILED


# -- the deciders ------------------------------------------------------------------

def test_decide_zero_three_valued(monkeypatch):
    x = sp.Symbol("x", real=True)
    draw = lambda rng: {x: float(rng.uniform(-3, 3))}  # noqa: E731
    assert decide_zero(sp.expand((x + 1) ** 2) - x**2 - 2 * x - 1, draw).verdict is Verdict.PROVED
    assert decide_zero(sp.Integer(2), draw).verdict is Verdict.FAILED
    monkeypatch.setattr(symbolic, "SIMPLIFY_MAX_OPS", -1)   # simplify unavailable: undecided
    dec = decide_zero(sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1, draw)
    assert dec.verdict is Verdict.INCONCLUSIVE and dec.numeric.dps == 50 and dec.numeric.ok
    assert decide_zero(sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1 + x / 10**20, draw).verdict is Verdict.FAILED
    assert decide_zero(sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1, None).verdict is Verdict.INCONCLUSIVE


def test_decide_nonnegative():
    a = sp.Symbol("a", nonnegative=True)
    x = sp.Symbol("x", real=True)
    assert decide_nonnegative(a**2 + a, None).verdict is Verdict.PROVED
    assert decide_nonnegative(-1 - a, None).verdict is Verdict.FAILED
    draw = lambda rng: {x: float(rng.uniform(-2, 2))}  # noqa: E731
    assert decide_nonnegative(x**3, draw).verdict is Verdict.FAILED


def test_sqrt_norm_reducer_is_sound():
    v = sp.Matrix(sp.symbols("v1:4", real=True))
    B = v.dot(v)
    red = symbolic.sqrt_norm_reducer([(B, sp.Symbol("N", positive=True))])
    assert red(v[0] ** 2 / B + (v[1] ** 2 + v[2] ** 2) / B - 1) == 0
    assert red(sp.sqrt(B) ** 3 - B * sp.sqrt(B)) == 0
    assert red(sp.sqrt(B) - v[0]) != 0


# -- independent computations ------------------------------------------------------

def test_derived_G_matches_independent_quadrature():
    G = limits.derived_kernels()["G"]
    with mpmath.workdps(30):
        for th, d in [(0.4, 3), (1.7, 5), (3.0, 2)]:
            th_mp = mpmath.mpf(th)
            pi = mpmath.pi
            kinks = [-pi / 2, pi / 2, th_mp - pi / 2, th_mp + pi / 2]
            kinks = sorted({k if k <= pi else k - 2 * pi for k in kinks} | {-pi, pi})
            q = mpmath.quad(lambda p: max(mpmath.cos(p), 0) * max(mpmath.cos(p - th_mp), 0),
                            kinks) / (2 * pi)
            val = sp.N(G.subs({TH: sp.Float(th, 30), D: d}), 30)
            assert abs(float(val) - float(2 * q / d)) < 1e-20


def test_derived_G_matches_monte_carlo():
    rng = np.random.default_rng(7)
    d, th = 4, 1.2
    U = rng.standard_normal((400_000, d))
    U /= np.linalg.norm(U, axis=1, keepdims=True)
    xi = np.eye(d)[0]
    xj = math.cos(th) * np.eye(d)[0] + math.sin(th) * np.eye(d)[1]
    mc = np.mean(np.maximum(U @ xi, 0) * np.maximum(U @ xj, 0))
    val = float(limits.derived_kernels()["G"].subs({TH: th, D: d}))
    assert abs(mc - val) < 6 * math.sqrt(0.25 / 400_000)


def test_symbolic_gradient_matches_finite_differences():
    d = 3
    v, x = gradients.vec("v", d), gradients.vec("x", d)
    f = gradients.f_active(v, x)
    grad = sp.lambdify((tuple(v), tuple(x), gradients.G, gradients.C, gradients.M),
                       [sp.diff(f, vi) for vi in v], "numpy")
    rng = np.random.default_rng(11)
    net = WNNetwork.init(1, d, rng=rng)
    xx = rng.standard_normal(d)
    xx /= np.linalg.norm(xx)
    if net.v[0] @ xx < 0:
        xx = -xx
    h = 1e-6
    fd = [(net.replace(v=net.v + h * np.eye(d)[i]).forward(xx[None])[0]
           - net.replace(v=net.v - h * np.eye(d)[i]).forward(xx[None])[0]) / (2 * h) for i in range(d)]
    sym = np.array(grad(net.v[0], xx, net.g[0], net.c[0], 1), float)
    assert np.allclose(sym, fd, atol=1e-7)


def test_sphere_cdf_matches_monte_carlo():
    rng = np.random.default_rng(5)
    for d in (3, 4, 6):
        U = rng.standard_normal((200_000, d))
        t = U[:, 0] / np.linalg.norm(U, axis=1)
        cdf = sp.lambdify(probability.R, probability.sphere_cdf(d), "numpy")
        for r in (0.1, 0.5, 0.9):
            assert abs(np.mean(np.abs(t) <= r) - float(cdf(r))) < 6 * math.sqrt(0.25 / 200_000)


# -- reports -----------------------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent


def _fresh_files() -> dict[str, str]:
    return render_reports(derive.collect_results())


def test_committed_reports_are_not_stale():
    files = _fresh_files()
    stale = derive.stale_files(REPO / "derivations" / "reports", files)
    assert not stale, f"stale derivation reports {stale}: run `wnproofs derive`"


def test_reports_have_math_and_no_run_dependent_line():
    files = _fresh_files()
    assert {"index.md", "limits.md", "limits.tex", "gradients.md", "probability.tex"} <= set(files)
    md = files["limits.md"]
    assert "$$" in md
    for name, text in files.items():  # what changes per run or machine lives in the sidecar
        assert "Derivation time" not in text and f"SymPy {sp.__version__}" not in text, name
    tex = files["limits.tex"]
    assert tex.startswith("\\documentclass") and tex.rstrip().endswith("\\end{document}")
    for name, text in files.items():
        if name.endswith(".tex"):   # pdflatex-safe: ASCII only, no unmapped Unicode left
            assert text.isascii() and "(U+" not in text, name
    for name, text in files.items():
        if name.endswith(".md"):
            assert text.count("$$") % 2 == 0, name


def test_mask_volatile_ignores_measured_errors_only():
    files = _fresh_files()
    text = files["limits.md"]
    assert "measured max error " in text
    remeasured = text.replace("measured max error ", "measured max error 9", 1)
    assert remeasured != text and derive.mask_volatile(remeasured) == derive.mask_volatile(text)
    changed = text.replace("proved", "failed", 1)
    assert derive.mask_volatile(changed) != derive.mask_volatile(text)


def test_sidecar_records_the_run_and_is_ignored_by_git(tmp_path):
    out = tmp_path / "reports"
    assert main(["derive", "--out", str(out)]) == 0
    run = json.loads((out / derive.SIDECAR).read_text())
    assert run["sympy"] == sp.__version__ and "limits.derive_d6" in run["derivations"]
    assert run["derivations"]["limits.derive_d6"]["seconds"] >= 0
    if shutil.which("git") and (REPO / ".git").exists():
        rel = f"derivations/reports/{derive.SIDECAR}"
        r = subprocess.run(["git", "check-ignore", "-q", rel], cwd=REPO)
        assert r.returncode == 0, f"{rel} must be git-ignored"


def _copy_checkout(dst: Path) -> Path:
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, dst / name)
    for name in ("wnproofs", "checks", "derivations", "docs"):
        shutil.copytree(REPO / name, dst / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(REPO / ".gitignore", dst / ".gitignore")
    return dst


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_derive_twice_leaves_git_status_clean(tmp_path, monkeypatch):
    """`wnproofs derive` in a checkout whose reports are current changes nothing git sees."""
    repo = tmp_path / "checkout"
    repo.mkdir()
    _copy_checkout(repo)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    subprocess.run(git + ["init", "-q"], cwd=repo, check=True)
    subprocess.run(git + ["add", "-A"], cwd=repo, check=True)
    subprocess.run(git + ["commit", "-qm", "snapshot"], cwd=repo, check=True)
    monkeypatch.chdir(repo)  # the default folder is ./derivations/reports of this checkout
    for _ in range(2):
        assert main(["derive"]) == 0
        assert (repo / "derivations" / "reports" / derive.SIDECAR).is_file()
        status = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True,
                                text=True, check=True).stdout
        assert status == "", status


def test_derive_never_writes_into_an_installed_package(tmp_path, monkeypatch):
    site = tmp_path / "site-packages" / "wnproofs" / "derivations"
    site.mkdir(parents=True)
    fake = types.SimpleNamespace(__path__=[str(site)])
    import wnproofs.registry as registry

    monkeypatch.setattr(registry, "import_plugin_package", lambda name: fake)
    with pytest.raises(InputError, match="--out"):
        derive.default_report_dir(cwd=tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["derive"]) == 2
    assert not list(site.iterdir())
    assert derive.source_checkout(REPO) == REPO.resolve()


def test_cli_derive_writes_and_checks(tmp_path, capsys):
    out = tmp_path / "reports"
    assert main(["derive", "--out", str(out)]) == 0
    names = {p.name for p in out.iterdir()}
    assert {"index.md", "gradients.md", "gradients.tex", "dynamics.md", "limits.tex", "probability.md"} <= names
    assert main(["derive", "--out", str(out), "--check"]) == 0
    (out / "limits.md").write_text("edited by hand\n", encoding="utf-8")
    assert main(["derive", "--out", str(out), "--check"]) == 1
    assert "limits.md" in capsys.readouterr().err


def test_cli_derive_refuses_foreign_folder(tmp_path):
    (tmp_path / "precious.py").write_text("x = 1\n")
    assert main(["derive", "--out", str(tmp_path)]) == 2
    assert (tmp_path / "precious.py").is_file()


# -- the proof chain (issue 11): a wrong constant in the library fails its derivation ----------

from fractions import Fraction  # noqa: E402

from wnproofs import bounds as _bounds  # noqa: E402
from wnproofs.bounds import lemmas as _lemmas, thresholds as _thresholds  # noqa: E402


def _scaled(fn, factor):
    def wrapped(*a, **k):
        return factor * fn(*a, **k)
    return wrapped


@pytest.mark.parametrize("name,derivation,factor", [
    ("hoeffding_radius", "l2", 0.99),
    ("gram_entry_radius", "l2", 1.01),
    ("l2_radius_V", "l2", 0.9),
    ("l2_width_G", "l2", 1.1),
    ("l3_markov_residual_sq", "l3", 0.5),
    ("l3_subgaussian_tail", "l3", 0.999),
    ("l3_subgaussian_B", "l3", 1.001),
    ("l4_gaussian_prob_exact", "l4", 1.0001),
    ("l4_gaussian_prob_bound", "l4", 0.999),
    ("l4_sphere_prob_bound", "l4", 0.99),
    ("l5_entry_bound_V", "l5", 0.8),
    ("l5_entry_bound_G", "l5", 1.5),
    ("l6_residual_integral", "l6", 0.5),
    ("l6_length_radius", "l6", 1.0 + 1e-9),
])
def test_planted_lemma_constant_fails_its_derivation(monkeypatch, name, derivation, factor):
    monkeypatch.setattr(_lemmas, name, _scaled(getattr(_lemmas, name), factor))
    fn = {"l2": concentration.derive_l2, "l3": probability.derive_l3, "l4": probability.derive_l4,
          "l5": stability.derive_l5, "l6": stability.derive_l6}[derivation]
    assert fn.run().verdict is Verdict.FAILED


def test_l2_share_three_quarters(monkeypatch):
    """THEORY.md's 3/4 turned into 1/2 (the L2 share 1/4 into 1/2) fails L2's derivation."""
    monkeypatch.setattr(_lemmas, "L2_SHARE", Fraction(1, 2))
    assert concentration.derive_l2.run().verdict is Verdict.FAILED


def test_lemma_derivations_pass_unplanted():
    for fn in (concentration.derive_l2, probability.derive_l3, stability.derive_l5, stability.derive_l6):
        assert fn.run().proved


def test_convergence_chain_catches_a_planted_threshold(monkeypatch):
    """A factor in the library's width conditions, or a budget share that breaks the floor,
    fails the chain (the in-process mirror of tests/test_mutation_chain.py)."""
    real = _bounds.width_conditions

    def planted(m, **kw):
        out = real(m, **kw)
        if kw.get("regime") == "G":
            out[1] = {**out[1], "lhs": out[1]["lhs"] * 0.999}
        return out

    monkeypatch.setattr(_bounds, "width_conditions", planted)
    res = convergence.derive_chain.run()
    bad = {s.name for s in res.steps if s.verdict is Verdict.FAILED}
    assert "width conditions, G-dominated GF" in bad and "width conditions, V-dominated GF" not in bad


def test_budget_share_breaking_the_floor_fails_the_closure(monkeypatch):
    monkeypatch.setitem(_thresholds.BUDGETS, "GD", _thresholds.Budget(Fraction(1, 4), Fraction(3, 8),
                                                                      Fraction(3, 8), Fraction(3, 8)))
    steps = {s.name: s for s in convergence._closure_steps()}
    assert steps["floor: λ_min(Λ(t)) ≥ the theorem table's floor"].verdict is Verdict.FAILED
    assert steps["rate: D5 and Grönwall (GF), one GD step (GD)"].verdict is Verdict.FAILED


def test_monotone_prover_is_sound_on_small_cases():
    u, a, b = sp.symbols("u a b", positive=True)
    x = sp.Symbol("x", real=True)
    assert tools.monotone(a * u + sp.erf(b * u) + sp.Min(1, u**2), u) is True
    assert tools.monotone(sp.Integer(1) - sp.exp(-a * u**2), u) is True
    assert tools.monotone(sp.lowergamma(a, u**2) / sp.gamma(a), u) is True
    assert tools.monotone(1 / u, u) is not True            # decreasing: never "proved" nondecreasing
    assert tools.monotone(u * sp.exp(-u), u) is None        # not monotone: undecided, not guessed
    assert tools.monotone(x * u, u) is None                 # sign of x unknown
    assert tools.monotone(u, u, -1) is None
    assert tools.monotone_verdict([u, 1 / u], u)[0] is Verdict.INCONCLUSIVE


def test_positive_logs_encode_the_domain():
    n, d, u = sp.symbols("n delta u", positive=True)
    e = u * sp.sqrt(sp.log(2 * n**2 / d))
    assert tools.monotone(e, u) is None                     # log(2n²/δ) has no known sign
    assert tools.monotone(tools.positive_logs(e, (n,), (d,)), u) is True


def test_premise_ledger_is_closed():
    """Every premise a derivation cites is in the ledger (an unknown id raises)."""
    with pytest.raises(KeyError):
        premises.cite("no such premise")
    for fn in _ours():
        for s in fn().steps:
            for p in s.premises:
                key = p.split(":", 1)[0]
                # the proof-chain topics cite the ledger; the identity and family derivations cite claims
                assert key in premises.PREMISES or fn.topic in ("gradients", "dynamics", "limits", "parameterizations") \
                    or not p.startswith(tuple(premises.PREMISES)), p


def test_c1_factor_two_in_r_prime():
    """R′ = √n ∫||r||/√m with ∫ e^{−λs/2} = 2/λ: twice the published √n||y − u(0)||/(√m λ) (GF), 4× (GD)."""
    for method, factor in (("GF", 2), ("GD", 4)):
        conds, Bm, I_r = convergence.c1_conditions(method)
        ratio = sp.simplify(conds[1][0] / (sp.sqrt(convergence.N) * Bm * convergence.U / convergence.LAM))
        assert ratio == factor


def test_a_step_verdict_reads_as_a_check_status():
    """One outcome vocabulary: a derivation step's verdict is the check status of the same
    value (proved = holds, failed = fails, inconclusive = inconclusive), from wnproofs.outcomes."""
    from wnproofs import outcomes, symbolic

    assert symbolic.Verdict is outcomes.Verdict
    assert [v.status for v in outcomes.Verdict] == [outcomes.Status.HOLDS, outcomes.Status.INCONCLUSIVE,
                                                    outcomes.Status.FAILS]
