"""Write a report folder, atomically: everything or nothing.

:func:`write_report` builds the results document once, draws the figures from it,
renders every file from it and, when ``pdflatex`` is on the PATH, compiles ``main.tex``
(which inputs ``appendix.tex``) to ``report.pdf``.  All of it happens in a hidden sibling
folder (:func:`wnproofs.io.atomic_directory`) that replaces ``out`` in one rename, so an
interrupted build (Ctrl-C included) leaves the previous report, or nothing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Callable

from ..errors import InputError
from ..io import atomic_directory
from .derivations import render_reports
from .document import build_document, validate_document
from .render_html import render_html
from .render_md import render_markdown
from .render_tex import render_appendix, render_main
from .theory import THEORY_NAME, TheoryDoc

__all__ = ["MARKER", "REPORT_STAGES", "check_target", "compile_pdf", "tex_log_issues", "write_report"]

#: A file that marks a folder as a wnproofs report; ``--out`` only replaces such folders.
MARKER = ".wnproofs-report"

#: The stages :func:`write_report` announces to its ``progress`` callback, in order.
REPORT_STAGES = ("document", "figures", "appendix.tex", "report.pdf", "results.json",
                 "report.md", "index.html")

#: pdflatex runs (the second resolves the table of contents and references).
PDFLATEX_RUNS = 2

#: Overfull boxes wider than this (points) count as a layout error.
OVERFULL_PT = 1.0


def check_target(out: Path) -> None:
    """Refuse to replace a folder that is not a wnproofs report (``--out ~`` must not wipe ~)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise InputError(f"--out {out} is a non-empty folder that is not a wnproofs report; "
                         "choose a new or empty folder")


def tex_log_issues(log: str) -> list[str]:
    """Errors, undefined control sequences and overfull boxes wider than 1 pt in a TeX log."""
    issues = [line.strip() for line in log.splitlines()
              if line.startswith("! ") or "Undefined control sequence" in line]
    for m in re.finditer(r"Overfull \\[hv]box \(([0-9.]+)pt too (?:wide|high)\)[^\n]*", log):
        if float(m.group(1)) > OVERFULL_PT:
            issues.append(m.group(0).strip())
    return list(dict.fromkeys(issues))


def compile_pdf(folder: Path, *, pdflatex: str | None = None, timeout: float = 180.0) -> dict:
    """Compile ``folder/main.tex`` to ``folder/report.pdf`` with pdflatex, if there is one.

    Returns
    -------
    dict
        ``available`` (the PDF was written), ``message``, ``issues`` (see
        :func:`tex_log_issues`; the log is kept as ``report.log`` when there are any).
    """
    exe = pdflatex or shutil.which("pdflatex")
    if exe is None:
        return {"available": False, "message": "pdflatex is not on the PATH", "issues": []}
    folder = Path(folder)
    cmd = [exe, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "main.tex"]
    log = ""
    try:
        for _ in range(PDFLATEX_RUNS):
            proc = subprocess.run(cmd, cwd=folder, capture_output=True, text=True, timeout=timeout,
                                  stdin=subprocess.DEVNULL)
            log_path = folder / "main.log"
            log = log_path.read_text(encoding="latin-1") if log_path.is_file() else proc.stdout
            if proc.returncode != 0:
                break
    except (OSError, subprocess.TimeoutExpired) as exc:
        return {"available": False, "message": f"pdflatex did not run: {exc}", "issues": []}
    issues = tex_log_issues(log)
    ok = (folder / "main.pdf").is_file() and proc.returncode == 0
    if ok:
        os.replace(folder / "main.pdf", folder / "report.pdf")
    if issues or not ok:
        (folder / "report.log").write_text(log, encoding="utf-8")
    for ext in (".aux", ".log", ".out", ".toc", ".pdf"):
        (folder / f"main{ext}").unlink(missing_ok=True)
    if not ok:
        first = next((i for i in issues if i.startswith("!")), "see report.log")
        return {"available": False, "message": f"pdflatex failed: {first}", "issues": issues}
    msg = "compiled with pdflatex" + (f"; {len(issues)} layout issue(s), see report.log" if issues else "")
    return {"available": True, "message": msg, "issues": issues}


def _figures(doc: dict, folder: Path) -> dict:
    try:
        from .. import plots
    except ImportError as exc:  # matplotlib missing
        return {"available": False, "message": f"figures not available: {exc}", "items": []}
    try:
        items = plots.make_figures(doc, folder / "figures")
    except Exception as exc:  # reported in the report, never hidden, never fatal
        return {"available": False, "message": f"figures failed: {type(exc).__name__}: {exc}", "items": []}
    if not items:
        return {"available": False, "message": "no recorded run to draw (no theorem or scaling check ran)",
                "items": []}
    return {"available": True, "message": f"{len(items)} figure(s) drawn from the recorded runs",
            "items": items}


def write_report(ver, out: str | Path, *, figures: bool = True, pdf: bool = True,
                 command: str | None = None, progress: Callable[[str], None] | None = None,
                 theory: TheoryDoc | None = None, created: str | None = None) -> Path:
    """Write the report of ``ver`` to the folder ``out``, atomically.

    Parameters
    ----------
    ver : wnproofs.verify.Verification
    out : the report folder; an existing one is replaced only if it is empty or a
        previous wnproofs report.
    figures : draw the figures (from the recorded runs; a few seconds).
    pdf : compile ``report.pdf`` when pdflatex is on the PATH.
    command : the command line, recorded for reproduction.
    progress : called with a short label before each stage (:data:`REPORT_STAGES`).
    theory : the theory document (default: the one shipped with the package).
    created : time stamp (default: now).

    Raises
    ------
    InputError
        If ``out`` is a file or a foreign non-empty folder.
    jsonschema.ValidationError
        If the results document does not match its schema (nothing is written).
    """
    out = Path(out)
    check_target(out)
    step = progress or (lambda label: None)
    with atomic_directory(out) as tmp:
        step("document")
        doc = build_document(ver, theory=theory, command=command, created=created)
        step("figures")
        doc["report"]["figures"] = (_figures(doc, tmp) if figures else
                                    {"available": False, "message": "figures not drawn (disabled)", "items": []})
        if doc["report"]["theory"].get("available"):
            (tmp / THEORY_NAME).write_text(doc["report"]["theory"]["markdown"], encoding="utf-8")
        if doc["report"]["derivations"]:
            (tmp / "derivations").mkdir()
            for name, text in render_reports(doc["report"]["derivations"]).items():
                (tmp / "derivations" / name).write_text(text, encoding="utf-8")
        step("appendix.tex")
        (tmp / "appendix.tex").write_text(render_appendix(doc), encoding="utf-8")
        (tmp / "main.tex").write_text(render_main(), encoding="utf-8")
        step("report.pdf")
        doc["report"]["pdf"] = (compile_pdf(tmp) if pdf else
                                {"available": False, "message": "not compiled (disabled)", "issues": []})
        step("results.json")
        doc["report"]["schema_validation"] = validate_document(doc)
        (tmp / "results.json").write_text(json.dumps(doc, indent=2, allow_nan=False, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
        step("report.md")
        (tmp / "report.md").write_text(render_markdown(doc), encoding="utf-8")
        step("index.html")
        (tmp / "index.html").write_text(render_html(doc), encoding="utf-8")
        (tmp / MARKER).write_text(f"wnproofs report, schema_version {doc['schema_version']}, "
                                  f"report version {doc['report']['version']}\n", encoding="utf-8")
        os.chmod(tmp, 0o755)  # mkdtemp made it private; a report is meant to be read
    return out
