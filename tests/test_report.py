"""The verification report of ``wnproofs verify --out DIR`` (issue 7).

What is tested: the files a report consists of, that ``results.json`` validates against
its schema, the adapters for the pieces other modules provide (figures, derivation reports,
width bounds) both when they are missing and when they are there, atomicity under Ctrl-C,
the HTML in a headless Chromium (every claim id, every figure decoded, nothing fetched from
a network), and the worked example "adding your own claim" of the README.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import numpy as np
import pytest

from wnproofs import registry, report
from wnproofs.cli import main
from wnproofs.outcomes import CheckResult, Kind, Level, Status
from wnproofs.verify import ClaimOutcome, Verification, run_verification

jsonschema = pytest.importorskip("jsonschema")

FILES = ("index.html", "report.md", "appendix.tex", "results.json", report.MARKER)


def _validate(doc: dict) -> None:
    schema = report.load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(doc)


def _claim_ids_in_html(text: str) -> set[str]:
    return set(re.findall(r'id="claim-([A-Za-z0-9_]+)"', text))


@pytest.fixture
def no_plots(monkeypatch):
    """Pretend wnproofs.plots does not exist (whatever the checkout holds right now)."""
    monkeypatch.setitem(sys.modules, "wnproofs.plots", None)


@pytest.fixture
def fake_plots(monkeypatch):
    """A stand-in wnproofs.plots whose make_figures draws two small figures with matplotlib."""
    calls = []

    def make_figures(outdir, data, seed, quick=True):
        from matplotlib.figure import Figure

        calls.append((Path(outdir), data, seed, quick))
        paths = []
        for name, fmt in (("loss", "png"), ("kernel", "svg")):
            fig = Figure(figsize=(3, 2))
            ax = fig.add_subplot()
            ax.plot(np.arange(5), np.arange(5) ** 2)
            ax.set_title(name)
            p = Path(outdir) / f"{name}.{fmt}"
            fig.savefig(p, format=fmt)
            paths.append(p)
        return paths

    mod = types.ModuleType("wnproofs.plots")
    mod.make_figures = make_figures
    monkeypatch.setitem(sys.modules, "wnproofs.plots", mod)
    return calls


@pytest.fixture
def empty_reports(tmp_path):
    d = tmp_path / "no-reports"
    d.mkdir()
    return d


# ------------------------------------------------------------------------ building

def test_quick_report_subset_via_cli(tmp_path, no_plots, capsys):
    out = tmp_path / "rep"
    rc = main(["verify", "--claims", "D2", "D6", "--quick", "--seed", "3", "--no-progress",
               "--out", str(out)])
    assert rc == 0
    assert "report written to" in capsys.readouterr().out
    for name in FILES:
        assert (out / name).is_file(), name
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    _validate(doc)
    assert doc["schema_version"] == 1 and doc["seed"] == 3 and doc["mode"] == "quick"
    assert [c["id"] for c in doc["claims"]] == ["D2", "D6"]
    assert "D1" in doc["report"]["not_selected"]
    assert doc["report"]["schema_validation"].startswith("jsonschema")
    assert doc["report"]["command"].startswith("wnproofs verify --quick --seed 3")
    assert not doc["report"]["figures"]["available"]
    assert "not installed yet" in doc["report"]["figures"]["message"]
    html = (out / "index.html").read_text(encoding="utf-8")
    md = (out / "report.md").read_text(encoding="utf-8")
    assert _claim_ids_in_html(html) == {"D2", "D6"}
    for text in (html, md):
        assert "figures not available" in text
        for k in doc["report"]["kernels"]:
            assert k["dataset"] in text
        assert "Seed" in text and "numpy" in text  # the seed and the versions
    # a second run replaces the earlier report in one piece
    rc = main(["verify", "--claims", "D2", "--no-progress", "--out", str(out)])
    assert rc == 0
    doc2 = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert [c["id"] for c in doc2["claims"]] == ["D2"]
    assert not list(tmp_path.glob(".rep*")), "temporary folders left behind"


def test_report_contents_from_one_result(tmp_path, no_plots, empty_reports):
    ver = run_verification(seed=1, mode="quick", claim_ids=["D6", "T1", "T2", "C1"])
    out = report.write_report(ver, tmp_path / "r", reports_dir=empty_reports,
                              command="wnproofs verify --claims D6 T1 T2 C1")
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    _validate(doc)
    rep = doc["report"]
    # summary: λ_0, μ_0, α* of each data set, from wnproofs.kernels
    from wnproofs.kernels import lambda_0, mu_0

    for k, inst in zip(rep["kernels"], ver.instances):
        assert k["lambda_0"] == pytest.approx(lambda_0(inst.data.X))
        assert k["mu_0"] == pytest.approx(mu_0(inst.data.X))
        assert k["alpha_star"] == pytest.approx(np.sqrt(k["lambda_0"] / k["mu_0"]))
    # a width row per theorem and data set, honest when a piece is missing
    assert {(w["claim"], w["dataset"]) for w in rep["widths"]} == {
        (c, i.data.name) for c in ("T1", "T2", "C1") for i in ver.instances}
    for w in rep["widths"]:
        assert w["function"] == report.WIDTH_FUNCTIONS[w["claim"]]
        if w["required"] is None:
            assert w["required_note"].startswith("n/a")
    # provenance is spelled out: T2 only through FedBN, T1 reconstructed and least certain
    by_id = {c["id"]: c for c in doc["claims"]}
    assert by_id["T2"]["provenance"] == "restated"
    assert by_id["T1"]["provenance"] == "reconstructed"
    html = (out / "index.html").read_text(encoding="utf-8")
    md = (out / "report.md").read_text(encoding="utf-8")
    tex = (out / "appendix.tex").read_text(encoding="utf-8")
    for text in (html, md):
        assert "FedBN" in text and "least certain" in text
        assert "derivation report not available" in text
        assert "n/a" in text
    assert "Derivation report not available" in tex
    assert "FedBN" in tex
    # the claim table of the appendix is pure ASCII LaTeX (compiles with pdflatex)
    assert tex.isascii(), sorted({ch for ch in tex if not ch.isascii()})
    # the formulas are inline SVG images, not a CDN script
    assert "data:image/svg+xml;base64," in html
    for attr in re.findall(r'(?:src|href)="([^"]*)"', html):
        assert not re.match(r"(?i)(https?:)?//", attr), attr


def test_renderers_are_pure_functions_of_the_document(tmp_path, no_plots, empty_reports):
    ver = run_verification(seed=0, mode="quick", claim_ids=["D2"])
    doc = report.build_document(ver, derivations=report.derivation_reports(empty_reports),
                                created="2026-01-01T00:00:00+00:00", command="x")
    _validate(doc)
    snapshot = json.dumps(doc, sort_keys=True)
    assert report.render_html(doc) == report.render_html(doc)
    assert report.render_markdown(doc) == report.render_markdown(doc)
    assert report.render_appendix(doc) == report.render_appendix(doc)
    assert json.dumps(doc, sort_keys=True) == snapshot  # renderers do not mutate it


def test_verify_json_validates_against_the_same_schema(tmp_path):
    path = tmp_path / "r.json"
    assert main(["verify", "--claims", "D2", "--no-progress", "--json", str(path)]) == 0
    _validate(json.loads(path.read_text(encoding="utf-8")))


def test_schema_rejects_a_wrong_document(tmp_path, no_plots, empty_reports):
    ver = run_verification(seed=0, mode="quick", claim_ids=["D2"])
    doc = report.build_document(ver, derivations=report.derivation_reports(empty_reports))
    bad = json.loads(json.dumps(doc))
    bad["claims"][0]["status"] = "mostly holds"
    with pytest.raises(jsonschema.ValidationError):
        report.validate_document(bad)
    bad = json.loads(json.dumps(doc))
    bad["schema_version"] = 2
    with pytest.raises(jsonschema.ValidationError):
        report.validate_document(bad)


# ------------------------------------------------------------------------ adapters

def _toy_verification(width_used: int | None, alpha: float | None = None) -> Verification:
    """A Verification built by hand: one T2 check per data set that reports its width."""
    from wnproofs.instances import default_instances

    insts = default_instances(0, "quick")
    claim = registry.get_claim("T2")
    details = {} if width_used is None else {"width_used": width_used}
    if alpha is not None:
        details["alpha"] = alpha
    results = [CheckResult("T2", Status.HOLDS, Kind.LOWER, Level.EMPIRICAL, 0.9, 0.5, 1.8,
                           "toy", dict(details), check="toy.t2") for _ in insts]
    return Verification(0, "quick", [ClaimOutcome(claim, Status.HOLDS, 1.8, ["empirical"],
                                                  results)], insts, 0.1)


def test_widths_from_bounds_and_checks(monkeypatch):
    import wnproofs.bounds as bounds

    seen = {}

    def m_G(n, delta, mu_0, alpha, dps=50):
        seen.update(n=n, delta=delta, mu_0=mu_0, alpha=alpha)
        return 1e6

    monkeypatch.setattr(bounds, "m_G", m_G, raising=False)
    ver = _toy_verification(width_used=512, alpha=3.0)
    doc = report.build_document(ver)
    _validate(doc)
    rows = doc["report"]["widths"]
    assert len(rows) == len(ver.instances)
    for w in rows:
        assert w["required"] == 1e6 and w["required_note"].startswith("bounds.m_G(")
        assert w["width_used"] == 512
        assert w["alpha"] == 3.0 and w["alpha_source"] == "check"
        assert w["delta"] == report.DEFAULT_DELTA and w["delta_source"] == "default"
    assert seen["alpha"] == 3.0 and seen["n"] == ver.instances[-1].data.n
    md = report.render_markdown(doc)
    assert "1e+06" in md and "512" in md


def test_widths_not_available(monkeypatch):
    import wnproofs.bounds as bounds

    monkeypatch.delattr(bounds, "m_G", raising=False)
    doc = report.build_document(_toy_verification(width_used=None))
    for w in doc["report"]["widths"]:
        assert w["required"] is None and "n/a" in w["required_note"]
        assert w["width_used"] is None and "width_used" in w["width_used_note"]
        assert w["alpha"] == report.REFERENCE_ALPHA["T2"] and w["alpha_source"] == "reference"

    def m_G(n, mystery):  # a signature the adapter cannot fill: n/a with the reason
        return 1.0

    monkeypatch.setattr(bounds, "m_G", m_G, raising=False)
    val, note = report.required_width("m_G", {"n": 3})
    assert val is None and "mystery" in note


def test_figures_are_picked_up(tmp_path, fake_plots, empty_reports):
    ver = run_verification(seed=5, mode="quick", claim_ids=["D2"])
    out = report.write_report(ver, tmp_path / "r", reports_dir=empty_reports)
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    figs = doc["report"]["figures"]
    assert figs["available"] and figs["files"] == ["figures/loss.png", "figures/kernel.svg"]
    for f in figs["files"]:
        assert (out / f).is_file()
    html = (out / "index.html").read_text(encoding="utf-8")
    md = (out / "report.md").read_text(encoding="utf-8")
    for f in figs["files"]:
        assert f'src="{f}"' in html and f"]({f})" in md
    (outdir, data, seed, quick), = fake_plots
    assert seed == 5 and quick is True and data is ver.instances[0].data


def test_failing_figures_are_reported_not_hidden(tmp_path, monkeypatch, empty_reports):
    mod = types.ModuleType("wnproofs.plots")

    def make_figures(outdir, data, seed, quick=True):
        raise RuntimeError("no ink")

    mod.make_figures = make_figures
    monkeypatch.setitem(sys.modules, "wnproofs.plots", mod)
    ver = run_verification(seed=0, mode="quick", claim_ids=["D2"])
    out = report.write_report(ver, tmp_path / "r", reports_dir=empty_reports)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "figures failed: make_figures raised RuntimeError: no ink" in html


def test_derivation_reports_are_collected(tmp_path, no_plots):
    rdir = tmp_path / "reports"
    rdir.mkdir()
    (rdir / "index.md").write_text("# Symbolic derivations (index)\n\n| claims | report |\n|---|---|\n"
                                   "| D2 | [toy.md](toy.md), [toy.tex](toy.tex) |\n")
    (rdir / "toy.md").write_text("# Toy\n\n## D2: `toy`: proved\n\n$$\n\\frac{a}{b} = c\n$$\n\n"
                                 "$$\n\\begin{bmatrix}1\\end{bmatrix}\n$$\n\n- Numeric: ok\n")
    (rdir / "toy.tex").write_text("\\documentclass{article}\n\\begin{document}\n"
                                  "\\section*{Toy}\n\\[ a = b \\]\n\\end{document}\n")
    ver = run_verification(seed=0, mode="quick", claim_ids=["D2"])
    out = report.write_report(ver, tmp_path / "r", reports_dir=rdir)
    tex = (out / "appendix.tex").read_text(encoding="utf-8")
    assert "\\subsection*{Toy}" in tex and "\\[ a = b \\]" in tex
    assert "\\documentclass" not in tex and "not available" not in tex
    html = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="deriv-toy.md"' in html and 'href="#deriv-toy.md"' in html
    assert 'alt="\\frac{a}{b} = c"' in html  # rendered by mathtext
    assert '<code class="tex">\\begin{bmatrix}' in html  # mathtext cannot: shown as TeX
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "](derivations/toy.md)" in md
    for name in ("index.md", "toy.md", "toy.tex"):
        assert (out / "derivations" / name).is_file()
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert doc["report"]["derivations"]["available"]
    assert doc["report"]["derivations"]["tex"] == ["toy.tex"]


def test_every_claim_renders_without_running_checks(empty_reports):
    """All claims, unchecked: every renderer copes, and the appendix is pure ASCII LaTeX."""
    from wnproofs.instances import default_instances

    ver = Verification(0, "quick", [ClaimOutcome(c, Status.UNCHECKED, None, [])
                                    for c in registry.claims()], default_instances(0), 0.0)
    doc = report.build_document(ver, derivations=report.derivation_reports(empty_reports))
    _validate(doc)
    tex = report.render_appendix(doc)
    assert tex.isascii(), sorted({ch for ch in tex if not ch.isascii()})
    html, md = report.render_html(doc), report.render_markdown(doc)
    for c in registry.claims():
        assert f'id="claim-{c.id}"' in html and f"### {c.id}: " in md
    assert "No check ran for this claim." in html


def test_tex_to_svg():
    svg = report.tex_to_svg(r"\lambda_0 = \lambda_{\min}(V^\infty)")
    assert svg is not None and svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert not re.search(r'(?:href|src)="(?:https?:)?//', svg)  # nothing to fetch
    assert report.tex_to_svg(r"\begin{bmatrix}1\end{bmatrix}") is None
    # TeX that mathtext does not take as written but means the same: rewritten, rendered
    for tex in (r"\frac12", r"\tfrac\pi2", r"\mathbb E\rho^2", r"\sqrt m", r"a\le b\ge c",
                r"\Big|_{\lambda=1}", r"\lVert x\rVert", r"\frac{\{a\}}{b}"):
        assert report.tex_to_svg(tex) is not None, tex
    assert report._for_mathtext(r"\frac1{2d}\le\mathbb 1") == r"\frac{1}{2d}\leq\mathbb{1}"


# ------------------------------------------------------------------------ atomicity

def _boom(*args, **kwargs):
    raise KeyboardInterrupt


def test_ctrl_c_leaves_no_report(tmp_path, monkeypatch, no_plots, empty_reports):
    ver = run_verification(seed=0, mode="quick", claim_ids=["D2"])
    monkeypatch.setattr(report, "render_html", _boom)  # the last file written
    with pytest.raises(KeyboardInterrupt):
        report.write_report(ver, tmp_path / "r", reports_dir=empty_reports)
    assert not (tmp_path / "r").exists()
    assert list(tmp_path.iterdir()) == [empty_reports]


def test_ctrl_c_keeps_the_previous_report(tmp_path, monkeypatch, no_plots, empty_reports):
    ver = run_verification(seed=0, mode="quick", claim_ids=["D2"])
    out = report.write_report(ver, tmp_path / "r", reports_dir=empty_reports)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    monkeypatch.setattr(report, "render_markdown", _boom)
    with pytest.raises(KeyboardInterrupt):
        report.write_report(ver, out, reports_dir=empty_reports)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["r", empty_reports.name])


def test_ctrl_c_in_the_cli(tmp_path, monkeypatch, no_plots, capsys):
    monkeypatch.setattr(report, "render_appendix", _boom)
    out = tmp_path / "r"
    assert main(["verify", "--claims", "D2", "--no-progress", "--out", str(out)]) == 130
    assert "nothing half-written" in capsys.readouterr().err
    assert not out.exists() and not list(tmp_path.iterdir())


def test_refuses_to_replace_a_foreign_folder(tmp_path, capsys):
    foreign = tmp_path / "home"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("precious")
    assert main(["verify", "--claims", "D2", "--no-progress", "--out", str(foreign)]) == 2
    assert "not a wnproofs report" in capsys.readouterr().err
    assert (foreign / "thesis.tex").read_text() == "precious"
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert main(["verify", "--claims", "D2", "--no-progress", "--out", str(afile)]) == 2


# ------------------------------------------------------------------------ data and full

def test_report_on_user_data(tmp_path, fake_plots):
    rng = np.random.default_rng(7)
    X = rng.standard_normal((6, 3))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    path = tmp_path / "mine.npz"
    np.savez(path, X=X, y=rng.standard_normal(6))
    out = tmp_path / "r"
    assert main(["verify", "--data", str(path), "--claims", "D6", "T2", "--no-progress",
                 "--out", str(out)]) == 0
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    _validate(doc)
    assert len(doc["data"]) == 1 and doc["data"][0]["n"] == 6 and doc["data"][0]["d"] == 3
    assert [k["n"] for k in doc["report"]["kernels"]] == [6]
    assert "--data" in doc["report"]["command"]
    (_, data, _, _), = fake_plots
    assert data.n == 6  # the figures are drawn on the user's data


def test_full_claims_quick_build(tmp_path, no_plots):
    """Every registered claim in quick mode (about 20 s today; mark it slow if it passes 60 s)."""
    out = tmp_path / "all"
    rc = main(["verify", "--quick", "--no-progress", "--out", str(out)])
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    _validate(doc)
    assert rc == (0 if doc["ok"] else 1)
    ids = [c.id for c in registry.claims()]
    assert [c["id"] for c in doc["claims"]] == ids
    html = (out / "index.html").read_text(encoding="utf-8")
    md = (out / "report.md").read_text(encoding="utf-8")
    assert _claim_ids_in_html(html) == set(ids)
    for cid in ids:
        assert f"### {cid}: " in md


def test_real_figures_are_embedded(tmp_path, empty_reports):
    """The figures of the real wnproofs.plots (short training runs) land in the report."""
    pytest.importorskip("wnproofs.plots")
    ver = run_verification(seed=0, mode="quick", claim_ids=["D6"], property_instances=0)
    out = report.write_report(ver, tmp_path / "r", reports_dir=empty_reports)
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    figs = doc["report"]["figures"]
    assert figs["available"], figs["message"]
    assert figs["files"] and all((out / f).is_file() for f in figs["files"])
    html = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'src="{f}"' in html for f in figs["files"])


# ------------------------------------------------------------------------ the browser

def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _dump_dom(browser: str, page: Path, profile: Path) -> str:
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", f"--user-data-dir={profile}", "--virtual-time-budget=10000",
           "--dump-dom", page.resolve().as_uri()]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


@pytest.mark.browser
def test_html_in_headless_chromium(tmp_path, fake_plots, empty_reports):
    browser = _chromium()
    if browser is None:
        pytest.skip("headless Chromium not installed (apt-get install -y chromium)")
    ver = run_verification(seed=0, mode="quick", claim_ids=["D2", "D6", "T1", "T2"])
    out = report.write_report(ver, tmp_path / "r", reports_dir=empty_reports)
    dom = _dump_dom(browser, out / "index.html", tmp_path / "profile")
    assert 'data-ready="yes"' in dom, "the page's load event did not fire"
    ids = {o.claim.id for o in ver.outcomes}
    assert _claim_ids_in_html(dom) == ids
    for cid in ids:
        assert re.search(rf'<a href="#claim-{cid}">{cid}</a>', dom)
    figs = re.findall(r'<img class="figure" src="([^"]+)"[^>]*>', dom)
    assert figs == ["figures/loss.png", "figures/kernel.svg"]
    imgs = re.findall(r"<img\b[^>]*>", dom)
    assert imgs and all('data-loaded="yes"' in tag for tag in imgs), \
        [t[:120] for t in imgs if 'data-loaded="yes"' not in t]
    for attr in re.findall(r'(?:src|href)="([^"]*)"', dom):
        assert not re.match(r"(?i)(https?:)?//", attr), attr


# ------------------------------------------------------------------------ worked example

TOY_MODULE = r'''
"""X1: the ReLU identity σ(z) − σ(−z) = z (the README's worked example)."""

import numpy as np
import sympy as sp

from wnproofs.derive import decide_zero, make_step, symbolic
from wnproofs.claims import Claim
from wnproofs.outcomes import Kind, Level, compare
from wnproofs.plugin import check

# 1. The claim: a plugin module lists its claims in CLAIMS (built-in ones live in wnproofs/claims.py).
CLAIMS = [Claim("X1", "ReLU odd part", "σ(z) − σ(−z) = z for every real z.", "§0",
                hypotheses=("z real",), provenance="toolkit")]


# 2. A derivation (a module in derivations/): one step per branch of the ReLU.
@symbolic("X1", topic="toy", title="ReLU odd part (X1)")
def derive_x1():
    """X1: σ(z) − σ(−z) = z, proved on each branch of the ReLU."""
    relu = lambda t: sp.Max(t, 0)
    w = sp.Symbol("w", nonnegative=True)
    steps = []
    for branch, z in (("z >= 0", w), ("z <= 0", -w)):
        steps.append(make_step(
            "X1", f"branch {branch}", r"\sigma(z)-\sigma(-z)=z",
            decide_zero(relu(z) - relu(-z) - z, None),
            f"SymPy evaluates Max on the branch {branch} (z = {z}) and subtracts z."))
    return steps


# 3. A check (a module in checks/): float64 on random z, against a tolerance.
@check("X1", level=Level.NUMERIC)
def x1_numeric(inst):
    """max |σ(z) − σ(−z) − z| over 1000 random z, relative to max |z|."""
    z = inst.rng(0).standard_normal(1000) * 10
    err = np.max(np.abs(np.maximum(z, 0) - np.maximum(-z, 0) - z)) / np.max(np.abs(z))
    return compare("X1", Kind.IDENTITY, Level.NUMERIC, err, 1e-15,
                   message="ReLU odd part on 1000 random z", details={"samples": 1000})
'''


@pytest.fixture
def scratch_registry(monkeypatch):
    """Register into copies of the registry tables, restored after the test."""
    registry.load_plugins()
    monkeypatch.setattr(registry, "_CLAIMS", dict(registry._CLAIMS))
    monkeypatch.setattr(registry, "_CHECKS", {k: list(v) for k, v in registry._CHECKS.items()})
    monkeypatch.setattr(registry, "_DERIVATIONS", dict(registry._DERIVATIONS))


def test_worked_example_adding_your_own_claim(tmp_path, monkeypatch, scratch_registry, no_plots):
    pkg = tmp_path / "toy_pkg"
    pkg.mkdir()
    (pkg / "toy_x1.py").write_text(textwrap.dedent(TOY_MODULE), encoding="utf-8")
    monkeypatch.syspath_prepend(str(pkg))
    monkeypatch.delitem(sys.modules, "toy_x1", raising=False)
    import toy_x1

    registry.register_module(toy_x1)
    result = toy_x1.derive_x1()  # the derivation really proves it, step by step
    assert result.proved and [st.verdict.value for st in result.steps] == ["proved", "proved"]
    assert [c.name for c in registry.checks_for("X1")] == ["toy_x1.x1_numeric"]
    ver = run_verification(seed=0, mode="quick", claim_ids=["X1"])
    (outcome,) = ver.outcomes
    assert outcome.status is Status.HOLDS
    assert outcome.levels[:2] == ["symbolic", "numeric"]  # + "property" from verify's sweep
    out = tmp_path / "r"
    assert main(["verify", "--claims", "X1", "--no-progress", "--out", str(out)]) == 0
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    _validate(doc)
    (claim,) = doc["claims"]
    assert claim["id"] == "X1" and claim["status"] == "holds" and claim["provenance"] == "toolkit"
    assert doc["report"]["claims"]["X1"]["derivations"] == ["toy.derive_x1"]
    assert 'id="claim-X1"' in (out / "index.html").read_text(encoding="utf-8")
    # `wnproofs derive` writes its reports; the next report picks them up
    from wnproofs import derive

    rdir = tmp_path / "reports"
    rdir.mkdir()
    for name, text in derive.render_reports([result]).items():
        (rdir / name).write_text(text, encoding="utf-8")
    out = report.write_report(ver, tmp_path / "r2", reports_dir=rdir)
    tex = (out / "appendix.tex").read_text(encoding="utf-8")
    assert "ReLU odd part (X1)" in tex and r"\sigma(z)-\sigma(-z)=z" in tex
    html = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="deriv-toy.md"' in html and 'alt="\\sigma(z)-\\sigma(-z)=z"' in html
