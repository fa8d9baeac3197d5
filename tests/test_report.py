"""The verification report of ``wnproofs verify --out DIR`` (issues 7 and 12).

What is tested:

* the files of a report, ``results.json`` against its schema, atomicity under Ctrl-C;
* the report does no mathematics: its modules import no numerical layer, and every number
  it shows is one the verification recorded (data constants, widths, figures);
* the width used is the smallest recorded width at which every run held, the same number
  in the table and the figure;
* the one TeX escaper: plain-text math becomes valid TeX (a fuzz test compiles it);
* ``appendix.tex`` compiles with pdflatex with no error, no undefined control sequence and no
  overfull box over 1 pt (skipped without pdflatex; CI installs TeX), ``report.pdf`` exists;
* ``index.html`` in headless Chromium: every claim and figure present, no raw LaTeX in text
  outside MathML, screenshots of the top and of one derivation (skipped without Chromium);
* the theory document: shipped, one section per claim, every claim links to it;
* the worked example "adding your own claim" of the README.
"""

from __future__ import annotations

import ast
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wnproofs import registry, report
from wnproofs.cli import main
from wnproofs.outcomes import CheckResult, Kind, Level, Status
from wnproofs.report import plainmath, texescape, writer
from wnproofs.report.mathml import tex_to_mathml
from wnproofs.verify import ClaimOutcome, Verification, run_verification

jsonschema = pytest.importorskip("jsonschema")

REPO = Path(__file__).resolve().parent.parent
FILES = ("index.html", "report.md", "appendix.tex", "main.tex", "results.json", "theory.md", report.MARKER)
RAW_TEX = ("\\le", "\\frac", "\\quad", "^{")


def _validate(doc: dict) -> None:
    schema = report.load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(doc)


def _claim_ids_in_html(text: str) -> set[str]:
    return set(re.findall(r'id="claim-([A-Za-z0-9_]+)"', text))


@pytest.fixture(scope="module")
def full_report(tmp_path_factory):
    """``wnproofs verify --quick --out R`` on every claim, once for this module.

    With WNPROOFS_REPORT_DIR set (CI sets it), the report is written there and kept as an
    artifact, with the browser test's screenshots inside it.
    """
    keep = os.environ.get("WNPROOFS_REPORT_DIR")
    out = Path(keep) if keep else tmp_path_factory.mktemp("full") / "R"
    if out.exists():
        shutil.rmtree(out)
    rc = main(["verify", "--quick", "--no-progress", "--out", str(out)])
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return out, doc, rc


# ------------------------------------------------------------------------ building

def test_quick_report_subset_via_cli(tmp_path, capsys):
    out = tmp_path / "rep"
    rc = main(["verify", "--claims", "D2", "D6", "--quick", "--seed", "3", "--no-progress",
               "--out", str(out)])
    assert rc == 0
    assert "report written to" in capsys.readouterr().out
    for name in FILES:
        assert (out / name).is_file(), name
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    _validate(doc)
    assert doc["schema_version"] == 1 and doc["report"]["version"] == report.REPORT_VERSION
    assert doc["seed"] == 3 and doc["mode"] == "quick"
    assert [c["id"] for c in doc["claims"]] == ["D2", "D6"]
    assert "D1" in doc["report"]["not_selected"]
    assert doc["report"]["schema_validation"].startswith("jsonschema")
    assert doc["report"]["command"].startswith("wnproofs verify --quick --seed 3")
    # no theorem or scaling check ran: nothing to draw, and the report says so
    assert not doc["report"]["figures"]["available"]
    assert "no recorded run" in doc["report"]["figures"]["message"]
    # the derivations of the chosen claims as verify ran them
    assert {d["name"] for d in doc["report"]["derivations"]} == {"gradients.derive_d2", "limits.derive_d6"}
    html = (out / "index.html").read_text(encoding="utf-8")
    md = (out / "report.md").read_text(encoding="utf-8")
    assert _claim_ids_in_html(html) == {"D2", "D6"}
    for text in (html, md):
        for k in doc["report"]["datasets"]:
            assert k["dataset"] in text
        assert "Seed" in text and "numpy" in text  # the seed and the versions
    # a second run replaces the earlier report in one piece
    rc = main(["verify", "--claims", "D2", "--no-progress", "--out", str(out)])
    assert rc == 0
    doc2 = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert [c["id"] for c in doc2["claims"]] == ["D2"]
    assert not list(tmp_path.glob(".rep*")), "temporary folders left behind"


def test_renderers_are_pure_functions_of_the_document():
    ver = run_verification(seed=0, mode="quick", claim_ids=["D2"], property_instances=0)
    doc = report.build_document(ver, created="2026-01-01T00:00:00+00:00", command="x")
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


def test_schema_rejects_a_wrong_document():
    ver = run_verification(seed=0, mode="quick", claim_ids=["D2"], property_instances=0)
    doc = report.build_document(ver)
    bad = json.loads(json.dumps(doc))
    bad["claims"][0]["status"] = "mostly holds"
    with pytest.raises(jsonschema.ValidationError):
        report.validate_document(bad)
    bad = json.loads(json.dumps(doc))
    bad["report"]["widths"] = [{"claim": "T1"}]
    with pytest.raises(jsonschema.ValidationError):
        report.validate_document(bad)


# ------------------------------------------------------------------------ no mathematics

NUMERIC_MODULES = {"kernels", "bounds", "certify", "dynamics", "sweep", "model", "unnormalized",
                   "stats", "angles", "numpy", "scipy", "mpmath", "sympy", "flint"}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[-1] for a in node.names} | {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            names |= set(mod.split(".")) | {a.name for a in node.names}
    return names


def test_report_and_plots_import_no_numerical_layer():
    files = sorted((REPO / "wnproofs" / "report").glob("*.py")) + [REPO / "wnproofs" / "plots.py"]
    assert len(files) >= 8
    for f in files:
        bad = _imports(f) & NUMERIC_MODULES
        assert not bad, f"{f.name} imports {bad}: the report renders recorded numbers only"
    for f in files:
        assert len(f.read_text(encoding="utf-8").splitlines()) <= 520, f"{f.name} is over ~500 lines"


def test_figures_train_nothing(monkeypatch, full_report, tmp_path):
    """Drawing the figures again with training made impossible gives the same figures."""
    _, doc, _ = full_report
    import wnproofs.dynamics as dynamics
    import wnproofs.sweep as sweep
    from wnproofs import plots

    def forbidden(*args, **kwargs):
        raise AssertionError("the figures must not train or recompute")

    for mod, names in ((sweep, ("theorem_run", "slack", "movement_scaling", "gram_error_scaling")),
                       (dynamics, ("gd", "gf"))):
        for name in names:
            monkeypatch.setattr(mod, name, forbidden)
    items = plots.make_figures(doc, tmp_path / "figures")
    assert [f["id"] for f in items] == [f["id"] for f in doc["report"]["figures"]["items"]]


def test_data_constants_are_the_recorded_ones(full_report):
    """The data-set table shows what verify recorded, which is λ_min of the closed forms."""
    from wnproofs.kernels import lambda_0, lambda_H, mu_0
    from wnproofs.instances import default_instances

    _, doc, _ = full_report
    insts = default_instances(0, "quick")
    for row, data, inst in zip(doc["report"]["datasets"], doc["data"], insts):
        c = data["constants"]
        assert row["lambda_0"] == c["lambda_0"] and row["mu_0"] == c["mu_0"]
        assert row["lambda_0"] == pytest.approx(float(np.linalg.eigvalsh(_closed_V(inst.data.X))[0]), rel=1e-9)
        assert row["lambda_0"] == pytest.approx(float(lambda_0(inst.data.X)))
        assert row["mu_0"] == pytest.approx(float(mu_0(inst.data.X)))
        assert row["lambda_H"] == pytest.approx(float(lambda_H(inst.data.X)))
        assert row["alpha_star"] == pytest.approx(np.sqrt(row["lambda_0"] / row["mu_0"]))
        lo, hi = row["split_disagreement"]
        assert lo == pytest.approx(min(1.0, row["alpha_star"])) and hi == pytest.approx(max(1.0, row["alpha_star"]))


def _closed_V(X: np.ndarray) -> np.ndarray:
    """V^∞ typed here from THEORY.md §4, independently of wnproofs.kernels."""
    c = np.clip(X @ X.T, -1, 1)
    th = np.arccos(c)
    d = X.shape[1]
    G = (np.sin(th) + (np.pi - th) * c) / (2 * np.pi * d)
    V = c * (np.pi - th) / (2 * np.pi) - G
    np.fill_diagonal(V, (d - 1) / (2 * d))
    return V


# ------------------------------------------------------------------------ widths

def _theorem_result(m_runs, envelope: bool, status=Status.HOLDS, dataset="sphere") -> CheckResult:
    runs = [{"m": m, "held": held, "delta": 0.1, "seed": i} for i, (m, held) in enumerate(m_runs)]
    det = {"variant": "T2", "alpha": 2.0, "threshold": 5e6, "threshold_note": "bounds.m_G",
           "runs": runs, "dataset": dataset}
    det["width_used" if envelope else "observed_width"] = m_runs[-1][0]
    return CheckResult("T2", status, Kind.LOWER, Level.EMPIRICAL, 1.5, 1.0, 1.5, "toy", det,
                       check="toy." + ("envelope" if envelope else "slack"))


def _toy(results) -> Verification:
    from wnproofs.instances import default_instances

    claim = registry.get_claim("T2")
    return Verification(0, "quick", [ClaimOutcome(claim, Status.HOLDS, 1.5, ["empirical"], results)],
                        default_instances(0, "quick")[:1], 0.1, [{}])


def test_width_used_is_the_smallest_recorded_width_that_held(tmp_path):
    slack = _theorem_result([(16, False), (32, True), (32, True), (64, True), (128, True)], envelope=False)
    env = _theorem_result([(2000, True)], envelope=True)
    half = _theorem_result([(8, True), (8, False)], envelope=False)  # one seed failed at 8
    doc = report.build_document(_toy([env, slack, half]))
    _validate(doc)
    (row,) = doc["report"]["widths"]
    assert row["width_used"] == 32 and row["threshold"] == 5e6 and row["delta"] == 0.1
    assert [w["m"] for w in row["widths_tried"]] == [8, 16, 32, 64, 128, 2000]
    assert [w["held"] for w in row["widths_tried"]] == [False, False, True, True, True, True]
    # the figure draws the same rows, and the table shows the same number
    from wnproofs import plots

    items = plots.make_figures(doc, tmp_path)
    assert any(f.get("section") == "widths" for f in items)
    md = report.render_markdown(doc)
    assert re.search(r"\| T2 \| sphere \| 2 \| 0\.1 \| 5e\+06 \| 32 \|", md), md[:3000]
    # nothing held: no width is claimed
    doc = report.build_document(_toy([_theorem_result([(2000, False)], envelope=True)]))
    assert doc["report"]["widths"][0]["width_used"] is None


def test_width_used_matches_the_runs_in_the_full_report(full_report):
    _, doc, _ = full_report
    rows = doc["report"]["widths"]
    assert {r["variant"] for r in rows} == {"T1", "T2", "T3", "T4", "C1", "C1-GF"}
    for r in rows:
        held = [w["m"] for w in r["widths_tried"] if w["held"]]
        assert r["width_used"] == (min(held) if held else None)
        assert r["threshold"] is not None and r["delta"] == 0.1
    figs = [f for f in doc["report"]["figures"]["items"] if f.get("section") == "widths"]
    assert len(figs) == len(doc["data"])


# ------------------------------------------------------------------------ figures

def test_every_figure_has_a_caption_with_data_alpha_m_delta(full_report):
    out, doc, _ = full_report
    figs = doc["report"]["figures"]
    assert figs["available"], figs["message"]
    items = figs["items"]
    assert len({f["id"] for f in items}) == len(items) >= 20
    names = {d["name"] for d in doc["data"]}
    for f in items:
        assert (out / f["file"]).is_file(), f["file"]
        cap = f["caption"]
        assert any(n in cap for n in names), cap
        assert "α" in cap and ("δ" in cap), cap
        assert re.search(r"\bm = \d", cap) or f.get("section") == "widths", cap
        assert "early stop" in cap.lower() or f.get("section") == "widths", cap
    runs = [f for f in items if f["id"].startswith("run_")]
    assert len(runs) == 6 * len(doc["data"])
    # the adversarial T2 run is not testable in the quick budget: its caption says why
    adv = next(f for f in runs if f["id"] == "run_T2_adversarial")
    assert "Early stop:" in adv["caption"]


def test_failing_figures_are_reported_not_hidden(tmp_path, monkeypatch):
    from wnproofs import plots

    def boom(doc, outdir):
        raise RuntimeError("no ink")

    monkeypatch.setattr(plots, "make_figures", boom)
    ver = run_verification(seed=0, mode="quick", claim_ids=["D2"], property_instances=0)
    out = report.write_report(ver, tmp_path / "r", pdf=False)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "figures failed: RuntimeError: no ink" in html


# ------------------------------------------------------------------------ the TeX escaper

@pytest.mark.parametrize("plain, tex", [
    ("x_i ≠ ±x_j for i ≠ j, d ≥ 2", r"$x_{i} \ne \pm x_{j}$ for $i \ne j$, $d \ge 2$"),
    ("||f(s) − y||² ≤ e^{−κs} B", r"$\|f(s) - y\|^{2} \le e^{-\kappa s} B$"),
    ("m^(−1/2) and sqrt(2 log(2n/delta))", r"$m^{-1/2}$ and $\sqrt{2 \log(2n/\delta)}$"),
    ("over 1 seed(s); width_used = 5", r"over 1 seed(s); \texttt{width\_\allowbreak{}used} $= 5$"),
    ("G^∞_ij = 1/(2d)", r"$G_{ij}^{\infty} = 1/(2d)$"),
    ("y'^(−1/2) and x²' and x_i_j", r"$y'{}^{-1/2}$ and $x^{2}{}'$ and ${x_{i}}_{j}$"),
    ("the T1-T4 theorems (A1)", "the T1-T4 theorems (A1)"),
    ("50% of 3.2e+09", r"50\% of 3.2e+09"),
    ("Η_max", r"$H_{\max}$"),
])
def test_plain_math_to_tex(plain, tex):
    assert texescape.plain_to_tex(plain) == tex


_ALPHABET = st.sampled_from(list("abxyzmnXV019 _^{}()[]|<>=+-*/.,;:!?'\"&%$#~\\") +
                            ["λ", "α", "²", "ᵀ", "≤", "√", "||", "⟨", "⟩", "∞", "−", "sqrt(", "exp",
                             "lambda_0", "e-3", "`code`", "$x$", "Η", "é", "→", "…", "✓"])


def _balanced_outside_escapes(tex: str) -> bool:
    depth = 0
    i = 0
    while i < len(tex):
        ch = tex[i]
        if ch == "\\":
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
        i += 1
    return depth == 0


@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_plain_to_tex_is_always_valid(text):
    tex = texescape.plain_to_tex(text)
    assert tex.isascii()
    assert _balanced_outside_escapes(tex), tex
    unescaped_dollars = len(re.findall(r"(?<!\\)\$", tex))
    assert unescaped_dollars % 2 == 0, tex
    for seg in plainmath.segments(text):  # every math piece converts to MathML as well
        if seg.kind == "math":
            assert tex_to_mathml(seg.value) is not None, seg.value


# ------------------------------------------------------------------------ pdflatex

#: Without pdflatex the TeX tests are skipped, except where WNPROOFS_REQUIRE_TEX=1 (CI sets
#: it after installing Debian's TeX): there a missing pdflatex fails them.
needs_tex = pytest.mark.skipif(shutil.which("pdflatex") is None and os.environ.get("WNPROOFS_REQUIRE_TEX") != "1",
                               reason="pdflatex not installed (CI installs Debian's TeX)")


def _compile(folder: Path, main_name: str = "main.tex") -> str:
    for _ in range(2):
        proc = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", main_name],
                              cwd=folder, capture_output=True, text=True, timeout=300,
                              stdin=subprocess.DEVNULL)
    log = (folder / main_name.replace(".tex", ".log")).read_text(encoding="latin-1")
    assert proc.returncode == 0, log[-3000:]
    return log


def _overfull(log: str) -> list[float]:
    return [float(x) for x in re.findall(r"Overfull \\hbox \(([0-9.]+)pt too wide\)", log)]


@needs_tex
def test_appendix_compiles_without_errors_or_overfull_boxes(full_report, tmp_path):
    out, doc, _ = full_report
    assert (out / "report.pdf").is_file() and doc["report"]["pdf"]["available"]
    assert doc["report"]["pdf"]["issues"] == []
    work = tmp_path / "tex"
    shutil.copytree(out, work)
    log = _compile(work)
    assert "Undefined control sequence" not in log
    assert not re.search(r"^! ", log, re.M)
    assert [x for x in _overfull(log) if x > 1.0] == []
    tex = (out / "appendix.tex").read_text(encoding="utf-8")
    assert tex.isascii() and "(U+" not in tex
    assert r"\usepackage{amssymb}" in (out / "main.tex").read_text() and r"\input{appendix}" in (out / "main.tex").read_text()
    for c in doc["claims"]:
        assert f"\\label{{claim:{c['id']}}}" in tex


@needs_tex
def test_derivation_reports_compile(tmp_path):
    for src in sorted((REPO / "derivations" / "reports").glob("*.tex")):
        shutil.copy2(src, tmp_path / src.name)
        log = _compile(tmp_path, src.name)
        assert "Undefined control sequence" not in log, src.name
        assert [x for x in _overfull(log) if x > 1.0] == [], src.name


@needs_tex
def test_fuzzed_plain_math_compiles(tmp_path):
    """Many random plain strings, escaped, in one document: pdflatex must take them all."""
    rng = np.random.default_rng(3)
    pieces = list("abxyzmnXV019 _^{}()[]|<>=+-*/.,;:!?'\"&%$#~\\") + [
        "λ", "α", "²", "ᵀ", "≤", "√", "||", "⟨", "⟩", "∞", "−", "sqrt(", "exp", "lambda_0", "e-3",
        "`code`", "Η", "é", "→", "…", "_{v_k}", "^(−1/2)", "max_(s<S)", "df/dt", "x_i_j", "a^b^c"]
    lines = [texescape.plain_to_tex("".join(rng.choice(pieces, size=int(rng.integers(1, 30)))))
             for _ in range(300)]
    body = "\n\n".join(lines)
    from wnproofs.report.texdoc import standalone

    (tmp_path / "fuzz.tex").write_text(standalone(body), encoding="utf-8")
    log = _compile(tmp_path, "fuzz.tex")
    assert "Undefined control sequence" not in log


def test_tex_log_issues_sees_planted_errors():
    log = ("Overfull \\hbox (4.2pt too wide) in paragraph at lines 3--4\n"
           "Overfull \\hbox (0.5pt too wide) in paragraph at lines 5--6\n"
           "! Undefined control sequence.\nl.7 \\Eta\n")
    issues = report.tex_log_issues(log)
    assert any("4.2pt" in i for i in issues) and not any("0.5pt" in i for i in issues)
    assert any("Undefined control sequence" in i for i in issues)


@needs_tex
def test_compile_pdf_reports_a_planted_undefined_macro(tmp_path):
    from wnproofs.report.render_tex import render_main

    (tmp_path / "main.tex").write_text(render_main(), encoding="utf-8")
    (tmp_path / "appendix.tex").write_text("\\section{x}\\Eta\n", encoding="utf-8")
    res = report.compile_pdf(tmp_path)
    assert not res["available"] and "Undefined control sequence" in res["message"]
    assert (tmp_path / "report.log").is_file() and not (tmp_path / "report.pdf").exists()


# ------------------------------------------------------------------------ HTML and MathML

def test_every_formula_of_the_report_is_mathml(full_report):
    out, doc, _ = full_report
    html = (out / "index.html").read_text(encoding="utf-8")
    assert html.count("<math") > 500
    assert 'class="math-fallback"' not in html, re.findall(r'class="math-fallback">(.{0,200})', html)[:5]
    for attr in re.findall(r'(?:src|href)="([^"]*)"', html):
        assert not re.match(r"(?i)(https?:)?//", attr), attr  # nothing fetched from a network
    assert "<script src" not in html


def test_mathml_fallback_is_visible():
    assert tex_to_mathml(r"\frac{a}{b}") is not None
    assert tex_to_mathml(r"\undefinedmacro{x}") is None
    assert 'class="math-fallback"' in report.math_html(r"\undefinedmacro{x}")


class _TextOutsideMath(html.parser.HTMLParser):
    """Text nodes of a page that lie outside <math>, <script>, <style> and <title>."""

    SKIP = {"math", "script", "style", "title"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth == 0 and data.strip():
            self.texts.append(data)


def _raw_tex_in_text(page: str) -> list[str]:
    p = _TextOutsideMath()
    p.feed(page)
    return [t for t in p.texts if any(r in t for r in RAW_TEX)]


def test_no_raw_latex_in_text_of_the_html(full_report):
    out, _, _ = full_report
    bad = _raw_tex_in_text((out / "index.html").read_text(encoding="utf-8"))
    assert bad == [], bad[:10]
    # the parser does see raw TeX when it is there
    assert _raw_tex_in_text("<p>a \\le b</p><math><mi>\\le</mi></math>") == ["a \\le b"]


def test_claims_link_to_the_theory(full_report):
    out, doc, _ = full_report
    html = (out / "index.html").read_text(encoding="utf-8")
    md = (out / "report.md").read_text(encoding="utf-8")
    for c in doc["claims"]:
        ex = doc["report"]["claims"][c["id"]]
        assert ex["theory_anchor"] == f"theory-{c['id']}", c["id"]
        assert f'href="#theory-{c["id"]}"' in html and f'id="theory-{c["id"]}"' in html
        assert f"theory.md#{ex['theory_slug']}" in md
        assert ex["statement_source"] in ("claims table", "theory document"), ex["statement_source"]
        assert "$" in ex["statement_md"]  # typeset: text with TeX math
    for f in ("F1", "F4", "F8"):
        assert f'id="correction-{f}"' in html
    # the evidence each correction names (a check or a derivation) links to its place here
    items = re.findall(r'<li id="correction-F\d+">(.*?)</li>', html, re.S)
    assert len(items) >= 8
    for item in items:
        names = re.findall(r"<code>([\w.]+)</code>", item)
        assert names, item[:200]
        for name in names:
            assert re.search(rf'<a href="#(?:check|deriv)-[^"]+"><code>{re.escape(name)}</code></a>', item), name
    assert doc["report"]["claims"]["L5"]["corrections"] == ["F4"]


# ------------------------------------------------------------------------ the browser

def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _browser(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--hide-scrollbars",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", f"--user-data-dir={profile}", "--virtual-time-budget=10000", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


@pytest.mark.browser
def test_html_in_headless_chromium(full_report, tmp_path):
    browser = _chromium()
    if browser is None:
        pytest.skip("headless Chromium not installed (apt-get install -y chromium)")
    out, doc, _ = full_report
    dom = _browser(browser, tmp_path / "p1", "--dump-dom", (out / "index.html").resolve().as_uri()).stdout
    assert 'data-ready="yes"' in dom, "the page's load event did not fire"
    ids = {c["id"] for c in doc["claims"]}
    assert _claim_ids_in_html(dom) == ids
    for cid in ids:
        assert re.search(rf'<a href="#claim-{cid}">{cid}</a>', dom)
    figs = re.findall(r'<img class="figure" src="([^"]+)"[^>]*>', dom)
    assert sorted(set(figs)) == sorted(f["file"] for f in doc["report"]["figures"]["items"])
    imgs = re.findall(r"<img\b[^>]*>", dom)
    assert imgs and all('data-loaded="yes"' in tag for tag in imgs), \
        [t[:120] for t in imgs if 'data-loaded="yes"' not in t]
    assert _raw_tex_in_text(dom) == []
    for attr in re.findall(r'(?:src|href)="([^"]*)"', dom):
        assert not re.match(r"(?i)(https?:)?//", attr), attr
    # screenshots: the top of the page and one derivation, kept in the report folder
    shots = out / "screenshots"
    shots.mkdir(exist_ok=True)
    _browser(browser, tmp_path / "p2", f"--screenshot={shots / 'top.png'}", "--window-size=1280,1600",
             (out / "index.html").resolve().as_uri())
    page = (out / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<section class="derivation" id="deriv-convergence\.derive_chain">.*?</section>', page, re.S)
    assert m, "the convergence derivation is missing"
    one = shots / "derivation.html"  # the page's own head (CSS) around one derivation
    one.write_text(page[:page.index("<body>")] + "<body>" + m.group(0) + "</body></html>", encoding="utf-8")
    _browser(browser, tmp_path / "p3", f"--screenshot={shots / 'derivation.png'}", "--window-size=1100,2200",
             one.resolve().as_uri())
    for name in ("top.png", "derivation.png"):
        data = (shots / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000, name


# ------------------------------------------------------------------------ atomicity

def _boom(*args, **kwargs):
    raise KeyboardInterrupt


def test_ctrl_c_leaves_no_report(tmp_path, monkeypatch):
    ver = run_verification(seed=0, mode="quick", claim_ids=["D2"], property_instances=0)
    monkeypatch.setattr(writer, "render_html", _boom)  # the last file written
    with pytest.raises(KeyboardInterrupt):
        report.write_report(ver, tmp_path / "r", pdf=False)
    assert not (tmp_path / "r").exists()
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_keeps_the_previous_report(tmp_path, monkeypatch):
    ver = run_verification(seed=0, mode="quick", claim_ids=["D2"], property_instances=0)
    out = report.write_report(ver, tmp_path / "r", pdf=False)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    monkeypatch.setattr(writer, "render_markdown", _boom)
    with pytest.raises(KeyboardInterrupt):
        report.write_report(ver, out, pdf=False)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_ctrl_c_in_the_cli(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(writer, "render_appendix", _boom)
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


def test_report_on_user_data(tmp_path):
    rng = np.random.default_rng(7)
    X = rng.standard_normal((6, 3))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    path = tmp_path / "mine.npz"
    np.savez(path, X=X, y=rng.standard_normal(6))
    out = tmp_path / "r"
    assert main(["verify", "--data", str(path), "--claims", "D6", "--no-progress", "--out", str(out)]) == 0
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    _validate(doc)
    assert len(doc["data"]) == 1 and doc["data"][0]["n"] == 6 and doc["data"][0]["d"] == 3
    assert [k["n"] for k in doc["report"]["datasets"]] == [6]
    assert "--data" in doc["report"]["command"]
    assert {r["details"]["dataset"] for r in doc["claims"][0]["checks"]} == {doc["data"][0]["name"]}


# ------------------------------------------------------------------------ the full report

def test_full_quick_report(full_report):
    out, doc, rc = full_report
    _validate(doc)
    assert rc == (0 if doc["ok"] else 1)
    ids = [c.id for c in registry.claims()]
    assert [c["id"] for c in doc["claims"]] == ids
    html = (out / "index.html").read_text(encoding="utf-8")
    md = (out / "report.md").read_text(encoding="utf-8")
    assert _claim_ids_in_html(html) == set(ids)
    for cid in ids:
        assert f"### {cid}\n" in md
    # the table of contents and the legend come before the results
    assert html.index('id="toc"') < html.index('id="legend"') < html.index('id="summary"')
    # every table is in a scroll box; figures are full width and open full size on click
    assert html.count("<table") == html.count('<div class="scroll"><table')
    for f in doc["report"]["figures"]["items"]:
        assert f'<a href="{f["file"]}" title="open the figure full size"><img class="figure"' in html
    # the derivations are the ones verify ran, rendered from their results
    assert {d["name"] for d in doc["report"]["derivations"]} >= {"limits.derive_d6", "convergence.derive_chain"}
    assert (out / "derivations" / "convergence.tex").is_file()


# ------------------------------------------------------------------------ the theory document

def test_theory_document_has_every_claim_and_ships_with_the_package():
    th = report.load_theory()
    assert th.available and Path(th.source).name == "theory.md"
    ids = [c.id for c in registry.claims()]
    assert set(ids) <= set(th.sections)
    for cid in ids:
        assert th.sections[cid]["statement"], cid
    assert [c["id"] for c in th.corrections] == [f"F{i}" for i in range(1, len(th.corrections) + 1)]
    assert len(th.corrections) >= 8 and all(c["claims"] for c in th.corrections)
    # every formula of the theory document is MathML
    for m in re.finditer(r"\$\$(.+?)\$\$|\$([^$\n]+)\$", th.markdown, re.S):
        tex = m.group(1) or m.group(2)
        assert tex_to_mathml(tex) is not None, tex
    # installed as package data: wnproofs/docs/theory.md
    import tomllib

    conf = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert conf["package-dir"].get("wnproofs.docs") == "docs"
    assert "theory.md" in conf["package-data"]["wnproofs.docs"]


# ------------------------------------------------------------------------ worked example

TOY_MODULE = r'''
"""X1: the ReLU identity σ(z) − σ(−z) = z (the README's worked example)."""

import numpy as np
import sympy as sp

from wnproofs.symbolic import decide_zero, make_step, symbolic
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


def test_worked_example_adding_your_own_claim(tmp_path, monkeypatch, scratch_registry):
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
    ex = doc["report"]["claims"]["X1"]
    assert ex["derivations"] == ["toy.derive_x1"] and ex["theory_anchor"] is None
    assert [d["name"] for d in doc["report"]["derivations"]] == ["toy.derive_x1"]
    html = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="claim-X1"' in html and 'id="deriv-toy.derive_x1"' in html
    assert "<math" in html and _raw_tex_in_text(html) == []
    tex = (out / "appendix.tex").read_text(encoding="utf-8")
    assert r"\wnmath{\sigma(z)-\sigma(-z)=z}" in tex


def test_parameterizations_side_by_side_table(full_report):
    """Issue 15 item 5: standard, WN and EWN side by side, read from the recorded comparison."""
    out, doc, _ = full_report
    rows = doc["report"]["parameterizations"]
    comp = [k for c in doc["claims"] for k in c["checks"] if "comparison" in k["details"]]
    assert comp and len(rows) == sum(len(k["details"]["comparison"]["rows"]) for k in comp)
    by_set = {}
    for r in rows:
        by_set.setdefault(r["dataset"], []).append(r["parameterization"])
    assert all(len(v) == 3 for v in by_set.values()) and set(by_set) == {d["name"] for d in doc["data"]}
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "### Parameterizations side by side" in md and "exponential weight normalization" in md
    assert '<section id="parameterizations">' in (out / "index.html").read_text(encoding="utf-8")
    assert "Parameterizations side by side" in (out / "appendix.tex").read_text(encoding="utf-8")
