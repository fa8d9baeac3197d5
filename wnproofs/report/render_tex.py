"""``appendix.tex`` and ``main.tex``: the verification as a LaTeX appendix for a paper.

``appendix.tex`` is a fragment (``\\appendix \\input{appendix}``) that compiles with
pdflatex under the documented preamble of :data:`wnproofs.report.texdoc.PACKAGES`;
``main.tex`` is that preamble around ``\\input{appendix}`` (compiled to ``report.pdf``
when pdflatex is on the PATH).  All mathematics is in math mode, tables fit the text
width (``longtable`` with paragraph columns), long formulas are scaled to the line.
"""

from __future__ import annotations

import re
from typing import Mapping

from .derivations import derivation_tex
from .document import cache_note, check_rows, claim_figures, counts, fmt, verdict
from .markup import Block, blocks_tex, inline_tex, parse
from .texdoc import MACROS, PACKAGES, preamble
from .texescape import escape_text, plain_to_tex, tex_code

__all__ = ["render_appendix", "render_main", "tex_number"]


def tex_number(x) -> str:
    """A number for a table cell: 3 significant digits, powers of ten in math."""
    s = fmt(x)
    m = re.fullmatch(r"(-?[0-9.]+)e([+-])0*(\d+)", s)
    if m:
        sign = "-" if m.group(2) == "-" else ""
        return f"${m.group(1)}\\times 10^{{{sign}{m.group(3)}}}$"
    if s in ("inf", "-inf"):
        return "$" + s.replace("inf", r"\infty") + "$"
    return escape_text(s)


def _table(widths: list[float], header: list[str], rows: list[list[str]]) -> str:
    """A longtable of paragraph columns; ``widths`` are fractions of the line width that
    sum to at most 1 (the column separation is taken out of each, so it always fits)."""
    assert sum(widths) <= 1.0 + 1e-9, widths
    cols = "".join(">{\\raggedright\\arraybackslash}p{\\dimexpr %.3f\\linewidth-2\\tabcolsep\\relax}" % w
                   for w in widths)
    out = ["\\begingroup\\footnotesize\\setlength{\\tabcolsep}{4pt}",
           "\\begin{longtable}{@{\\hspace{\\tabcolsep}}" + cols + "@{\\hspace{\\tabcolsep}}}", "\\toprule",
           " & ".join(header) + " \\\\", "\\midrule", "\\endhead",
           "\\bottomrule", "\\endfoot"]
    out += [" & ".join(r) + " \\\\" for r in rows]
    out += ["\\end{longtable}", "\\endgroup"]
    return "\n".join(out)


def _sources(sources) -> str:
    """"envelope check theorems.t1_gd_envelope" with the check name breakable."""
    out = []
    for src in dict.fromkeys(sources):
        words, _, name = src.rpartition(" ")
        out.append(escape_text(words) + " " + tex_code(name))
    return ", ".join(out)


def _theory_link(href: str) -> str | None:
    """Links of the theory document are not followed in TeX (the label is kept)."""
    return None


def _statement(doc: Mapping, c: Mapping) -> str:
    ex = doc["report"]["claims"].get(c["id"], {})
    md = ex.get("statement_md") or ""
    return inline_tex(md, _theory_link) if md else plain_to_tex(c["statement"])


def _claim(doc: Mapping, c: Mapping) -> list[str]:
    ex = doc["report"]["claims"].get(c["id"], {})
    out = [f"\\subsubsection*{{{escape_text(c['id'])}: {plain_to_tex(c['title'])}}}\\label{{claim:{c['id']}}}",
           "\\noindent\\textbf{Statement.} " + _statement(doc, c), ""]
    hyps = "; ".join(plain_to_tex(h) for h in c["hypotheses"]) or "none beyond the setting"
    out += ["\\noindent\\textbf{Hypotheses.} " + hyps + ".", ""]
    prov = f"\\noindent\\textbf{{Provenance: {escape_text(c['provenance'])}.}} " + plain_to_tex(ex.get("provenance_note", ""))
    if c.get("notes"):
        prov += " " + plain_to_tex(c["notes"])
    out += [prov, ""]
    levels = escape_text(", ".join(c["levels"]) or "none")
    tried = escape_text(", ".join(ex.get("levels_attempted", [])) or "none")
    out += [f"\\noindent\\textbf{{Status:}} \\wnstatus{{{escape_text(c['status'])}}}, margin "
            f"{tex_number(c['margin'])}; levels reached: {levels}; attempted: {tried}.", ""]
    if ex.get("corrections"):
        out += ["\\noindent\\textbf{Corrections:} " + ", ".join(ex["corrections"])
                + " (Section~\\ref{app:wnproofs-corrections}).", ""]
    if c.get("property_instances"):
        pc = c["property_instances"]
        out += ["\\noindent Property sweep on random instances: "
                + escape_text(", ".join(f"{v} {k}" for k, v in pc.items() if v)) + ".", ""]
    if ex.get("skipped_checks"):
        out += ["\\noindent Skipped in quick mode (slow): "
                + ", ".join(tex_code(s) for s in ex["skipped_checks"]) + ".", ""]
    rows = check_rows(c)
    if rows:
        out.append("\\begin{itemize}")
        for r in rows:
            out.append(f"\\item {tex_code(r['check'])} on {escape_text(r['dataset'])} "
                       f"({escape_text(r['level'])}, {escape_text(r['kind'])}): "
                       f"\\wnstatus{{{escape_text(r['status'])}}}, margin {tex_number(r['margin'])}. "
                       + plain_to_tex(r["message"]))
        out.append("\\end{itemize}")
    else:
        out += ["\\noindent No check ran for this claim.", ""]
    for f in claim_figures(doc, c["id"]):
        out += ["\\begin{center}", f"\\includegraphics[width=\\linewidth]{{{f['file']}}}\\\\[2pt]",
                "\\parbox{\\linewidth}{\\small\\emph{Figure.} " + plain_to_tex(f["caption"]) + "}",
                "\\end{center}"]
    ders = [d for d in doc["report"]["derivations"] if c["id"] in d["claims"]]
    if ders:
        out += ["\\noindent Derivations: " + ", ".join(
            f"{tex_code(d['name'])} ({escape_text(d['verdict'])}, "
            f"Section~\\ref{{deriv:{d['name']}}})" for d in ders) + ".", ""]
    return out


def _theory_section(doc: Mapping, heading: str) -> list[Block]:
    """The blocks of one top-level section of the theory document (e.g. "Setting")."""
    md = doc["report"]["theory"].get("markdown", "")
    m = re.search(rf"^## {re.escape(heading)}\s*$(.*?)(?=^## |\Z)", md, re.M | re.S)
    return parse(m.group(1)) if m else []


def render_appendix(doc: Mapping) -> str:
    """``appendix.tex`` of a results document (pure function of ``doc``)."""
    rep = doc["report"]
    pk = ", ".join(f"{n}" + (f"[{o}]" if o else "") for o, n in PACKAGES)
    out = [
        "% appendix.tex: written by wnproofs; " + (rep["command"] or "wnproofs verify --out"),
        "% Use it with \\appendix \\input{appendix} in a document whose preamble loads",
        "% " + pk + ".",
        "% main.tex in this folder is such a document (pdflatex main).",
        MACROS,
        "\\section{Verification of the convergence proof}\\label{app:wnproofs}",
        "",
        "This appendix checks, claim by claim, the global convergence proof for two-layer ReLU "
        "networks trained with Weight Normalization of Dukler, Gu \\& Mont\\'ufar (ICML 2020), "
        "beside the un-normalized network of Du et al.\\ (ICLR 2019), with the toolkit "
        f"\\texttt{{wnproofs}} {escape_text(doc['versions'].get('wnproofs', '?'))} "
        f"(seed {doc['seed']}, {escape_text(doc['mode'])} mode). "
        f"Verdict: \\emph{{{escape_text(verdict(doc))}}} ({escape_text(counts(doc))}). "
        "Versions: " + escape_text(", ".join(f"{k} {v}" for k, v in doc["versions"].items())) + ".",
        "",
    ]
    if rep["command"]:
        out += ["\\noindent Reproduce with " + tex_code(rep["command"]) + ".", ""]
    if cache_note(doc):
        out += [escape_text(cache_note(doc)), ""]
    setting = _theory_section(doc, "Setting")
    if setting:
        out += ["\\subsection{Setting}", blocks_tex(setting, shift=2), ""]
    rows = [[escape_text(c["id"]), plain_to_tex(c["title"]), f"\\wnstatus{{{escape_text(c['status'])}}}",
             escape_text(", ".join(c["levels"]) or "none"), tex_number(c["margin"]),
             escape_text(c["provenance"])] for c in doc["claims"]]
    out += ["\\subsection{Summary}",
            _table([0.07, 0.31, 0.17, 0.2, 0.1, 0.15],
                   ["id", "claim", "status", "levels reached", "margin", "provenance"], rows)]
    if rep["not_selected"]:
        out += ["\\noindent Not run in this report: " + escape_text(", ".join(rep["not_selected"])) + ".", ""]
    drows = [[escape_text(k["dataset"]), str(k["n"]), str(k["d"]), escape_text(fmt(k["A1"])),
              tex_number(k["lambda_0"]), tex_number(k["mu_0"]), tex_number(k["alpha_star"]),
              tex_number(k["lambda_H"])] for k in rep["datasets"]]
    out += ["\\subsection{Data sets}",
            _table([0.2, 0.06, 0.06, 0.08, 0.15, 0.15, 0.15, 0.15],
                   ["data set", "$n$", "$d$", "A1", "$\\lambda_0$", "$\\mu_0$", "$\\alpha^*$", "$\\lambda_H$"],
                   drows),
            "\\begin{itemize}"]
    out += [f"\\item {escape_text(k['dataset'])}: {plain_to_tex(k['split_note'])}." for k in rep["datasets"]]
    out += ["\\end{itemize}", ""]
    out.append("\\subsection{Widths: asked for by the theorems, used in practice}")
    if rep["widths"]:
        wrows = [[escape_text(w["variant"]), escape_text(w["dataset"]), tex_number(w["alpha"]),
                  tex_number(w["delta"]), tex_number(w["threshold"]), tex_number(w["width_used"]),
                  escape_text(", ".join(str(t["m"]) for t in w["widths_tried"])),
                  _sources(w["sources"])] for w in rep["widths"]]
        out += [_table([0.1, 0.13, 0.07, 0.07, 0.13, 0.1, 0.12, 0.28],
                       ["theorem", "data set", "$\\alpha$", "$\\delta$", "threshold", "width used",
                        "widths tried", "read from"], wrows),
                plain_to_tex(rep["width_used_note"]), ""]
    else:
        out += ["No theorem run in this report.", ""]
    if rep.get("parameterizations"):
        pr = rep["parameterizations"]
        out.append("\\subsection{Parameterizations side by side}")
        prows = [[escape_text(r["dataset"]), escape_text(r["parameterization"]), tex_number(r["lambda_min"]),
                  tex_number(r["lambda_min_limit"]), escape_text(str(r["dominant_block"])),
                  tex_number(r["gd_steps"]), tex_number(r["gf_time"]), tex_number(r["width_needed"])]
                 for r in pr]
        out += [_table([0.12, 0.2, 0.11, 0.11, 0.1, 0.1, 0.1, 0.1],
                       ["data set", "parameterization", "$\\lambda_{\\min}$ ($m$)", "$\\lambda_{\\min}$ (limit)",
                        "dominant block", "GD steps", "GF time", "width needed"], prows),
                plain_to_tex('Standard, WN and exponential WN on the same data and initialization (check {check}; m = {m}, α = {alpha}, target residual ε = {eps} of the start): the smallest eigenvalue of each kernel at width m and in the limit, the block that dominates, GD steps and GF time to reach ε, and the smallest width of the grid at which ε was reached on every seed.'.format(**pr[0])), ""]
    figs = [f for f in rep["figures"].get("items", []) if f.get("section") == "widths"]
    for f in figs:
        out += ["\\begin{center}", f"\\includegraphics[width=\\linewidth]{{{f['file']}}}\\\\[2pt]",
                "\\parbox{\\linewidth}{\\small\\emph{Figure.} " + plain_to_tex(f["caption"]) + "}",
                "\\end{center}"]
    out += ["\\subsection{Claims}", ""]
    for c in doc["claims"]:
        out += _claim(doc, c)
    corr = _theory_section(doc, "Corrections")
    out += ["\\subsection{Corrections to the theory}\\label{app:wnproofs-corrections}"]
    out += [blocks_tex(corr, shift=2) if corr else "The theory document is not available.", ""]
    out.append("\\subsection{Derivations}")
    if rep["derivations"]:
        out += [derivation_tex(d, heading="subsubsection") for d in rep["derivations"]]
    else:
        out += ["No derivation of the claims in this report ran.", ""]
    leg = rep["legend"]
    out += ["\\subsection{How to read this appendix}", "\\begin{itemize}"]
    out += [f"\\item \\textbf{{{escape_text(k)}}}: {plain_to_tex(v)}." for k, v in leg["levels"].items()]
    out += [f"\\item status \\wnstatus{{{escape_text(k)}}}: {plain_to_tex(v)}." for k, v in leg["statuses"].items()]
    out += ["\\end{itemize}", plain_to_tex(leg["margin"]), ""]
    return "\n".join(out) + "\n"


def render_main(title: str = "wnproofs verification report") -> str:
    """``main.tex``: the documented preamble around ``\\input{appendix}``."""
    return "\n".join([r"\documentclass[11pt]{article}", preamble(),
                      r"\setlength{\emergencystretch}{3em}", r"\begin{document}", r"\sloppy",
                      r"\title{" + escape_text(title) + "}", r"\date{}", r"\maketitle",
                      r"\tableofcontents", r"\appendix", r"\input{appendix}", r"\end{document}", ""])
