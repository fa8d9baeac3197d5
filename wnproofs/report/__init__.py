"""The verification report: what ``wnproofs verify --out DIR`` leaves behind.

One :class:`~wnproofs.verify.Verification` becomes one *results document* (a JSON-ready
dict, :mod:`.document`), and every file is rendered from that document by a pure function:

=================  ==========================================================
``index.html``     :mod:`.render_html`: offline, formulas as MathML
``report.md``      :mod:`.render_md`
``appendix.tex``   :mod:`.render_tex` (with ``main.tex``; ``report.pdf`` when
                   pdflatex is on the PATH)
``results.json``   the document itself, validated against ``results.schema.json``
``figures/``       :func:`wnproofs.plots.make_figures`, from the recorded runs
``theory.md``      the project's theory document (:mod:`.theory`)
``derivations/``   the derivations as run (:mod:`.derivations`)
=================  ==========================================================

The report does no mathematics: it arranges numbers the verification recorded.  Text with
plain-text math goes through the one TeX escaper (:mod:`.texescape`), which the derivation
reports of ``wnproofs derive`` share.  :func:`write_report` (:mod:`.writer`) writes the
folder atomically.
"""

from __future__ import annotations

from .document import (LEVELS, PROVENANCE, REPORT_VERSION, SCHEMA_PATH, STATUS_MEANING,
                       build_document, load_schema, validate_document)
from .mathml import math_html, plain_to_html, tex_to_mathml
from .render_html import render_html
from .render_md import render_markdown
from .render_tex import render_appendix, render_main
from .texescape import escape_text, plain_to_tex
from .theory import load_theory, theory_path
from .writer import MARKER, REPORT_STAGES, check_target, compile_pdf, tex_log_issues, write_report

__all__ = [
    "LEVELS", "PROVENANCE", "REPORT_VERSION", "SCHEMA_PATH", "STATUS_MEANING", "MARKER",
    "REPORT_STAGES", "build_document", "load_schema", "validate_document", "math_html",
    "plain_to_html", "tex_to_mathml", "render_html", "render_markdown", "render_appendix",
    "render_main", "escape_text", "plain_to_tex", "load_theory", "theory_path", "check_target",
    "compile_pdf", "tex_log_issues", "write_report",
]
