"""``report.md``: the verification report as GitHub-flavoured Markdown (math in ``$``)."""

from __future__ import annotations

from typing import Iterable, Mapping, Sequence

from .derivations import derivation_markdown
from .document import cache_note, check_rows, claim_figures, counts, fmt, sources_text, verdict
from .markup import md_escape, plain_to_md

__all__ = ["render_markdown"]


def _cell(s) -> str:
    return str(s).replace("\n", " ")


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def _theory_link(doc: Mapping, cid: str) -> str:
    slug = doc["report"]["claims"].get(cid, {}).get("theory_slug")
    return f" ([theory](theory.md#{slug}))" if slug else ""


def render_markdown(doc: Mapping) -> str:
    """``report.md`` of a results document (pure function of ``doc``)."""
    rep = doc["report"]
    out = ["# wnproofs verification report", "",
           "Dukler, Gu & Montúfar, *Optimization Theory for ReLU Neural Networks Trained with "
           "Normalization Layers*, ICML 2020 (arXiv:2006.06878), claim by claim; the theory is in "
           "[theory.md](theory.md).", "",
           f"**Verdict: {verdict(doc)}** ({counts(doc)}).  ",
           f"Seed {doc['seed']}, {doc['mode']} mode, {doc['seconds']:.1f} s; created {rep['created']}.  ",
           "Versions: " + ", ".join(f"{k} {v}" for k, v in doc["versions"].items()) + "."]
    if rep["command"]:
        out += ["", f"Reproduce: `{rep['command']}`"]
    if cache_note(doc):
        out += ["", plain_to_md(cache_note(doc))]
    pdf = rep.get("pdf", {})
    out += ["", "Files: [index.html](index.html), [appendix.tex](appendix.tex) (with [main.tex](main.tex)"
            + (", compiled to [report.pdf](report.pdf)" if pdf.get("available") else "")
            + "), [results.json](results.json)."]
    out += ["", "## Summary", "",
            _table(["id", "claim", "status", "levels reached", "margin", "provenance"],
                   [[f"[{c['id']}](#{c['id'].lower()})", plain_to_md(c["title"], table=True), c["status"],
                     ", ".join(c["levels"]) or "none", fmt(c["margin"]), c["provenance"]]
                    for c in doc["claims"]])]
    if rep["not_selected"]:
        out += ["", "Not run in this report (not selected with `--claims`): " + ", ".join(rep["not_selected"]) + "."]
    out += ["", "### Data sets", "",
            _table(["data set", "$n$", "$d$", "A1", r"$\lambda_0$", r"$\mu_0$", r"$\alpha^*$", r"$\lambda_H$"],
                   [[md_escape(k["dataset"]), k["n"], k["d"], fmt(k["A1"]), fmt(k["lambda_0"]), fmt(k["mu_0"]),
                     fmt(k["alpha_star"]), fmt(k["lambda_H"])] for k in rep["datasets"]]), ""]
    out += [f"- {md_escape(k['dataset'])}: {plain_to_md(k['split_note'])}." for k in rep["datasets"]]
    out += ["", "### Widths: asked for by the theorems, used in practice", ""]
    if rep["widths"]:
        out += [_table(["theorem", "data set", r"$\alpha$", r"$\delta$", "threshold", "width used",
                        "widths tried", "read from"],
                       [[w["variant"], md_escape(w["dataset"]), fmt(w["alpha"]), fmt(w["delta"]),
                         fmt(w["threshold"]), fmt(w["width_used"]),
                         ", ".join(str(t["m"]) + ("" if t["held"] else "✗") for t in w["widths_tried"]),
                         sources_text(w["sources"])] for w in rep["widths"]]),
                "", plain_to_md(rep["width_used_note"]), ""]
        out += [f"![{f['title']}]({f['file']})\n\n*{plain_to_md(f['caption'])}*\n"
                for f in rep["figures"].get("items", []) if f.get("section") == "widths"]
    else:
        out += ["No theorem run in this report."]
    if rep.get("parameterizations"):
        pr = rep["parameterizations"]
        out += ["", "### Parameterizations side by side", "",
                _table(["data set", "parameterization", "λ_min (m)", "λ_min (limit)", "dominant block",
                        "GD steps to ε", "GF time to ε", "width needed"],
                       [[md_escape(r["dataset"]), md_escape(r["parameterization"]), fmt(r["lambda_min"]),
                         fmt(r["lambda_min_limit"]), md_escape(str(r["dominant_block"])), fmt(r["gd_steps"]),
                         fmt(r["gf_time"]), fmt(r["width_needed"])] for r in pr]),
                "", plain_to_md('Standard, WN and exponential WN on the same data and initialization (check {check}; m = {m}, α = {alpha}, target residual ε = {eps} of the start): the smallest eigenvalue of each kernel at width m and in the limit, the block that dominates, GD steps and GF time to reach ε, and the smallest width of the grid at which ε was reached on every seed.'.format(**pr[0])), ""]
    out += ["", "## Claims"]
    for c in doc["claims"]:
        ex = rep["claims"].get(c["id"], {})
        stmt = ex.get("statement_md") or plain_to_md(c["statement"])
        out += ["", f"### {c['id']}", "", f"**{plain_to_md(c['title'])}**{_theory_link(doc, c['id'])}", "",
                f"**Statement.** {stmt}", "",
                "**Hypotheses.** " + ("; ".join(plain_to_md(h) for h in c["hypotheses"]) or "none beyond the setting"),
                "", f"**Provenance: {c['provenance']}.** {plain_to_md(ex.get('provenance_note', ''))}"]
        if c.get("notes"):
            out += ["", f"*Note.* {plain_to_md(c['notes'])}"]
        out += ["", f"**Status: {c['status']}**, margin {fmt(c['margin'])}; levels reached: "
                    f"{', '.join(c['levels']) or 'none'}; attempted: {', '.join(ex.get('levels_attempted', [])) or 'none'}."]
        if ex.get("corrections"):
            out += ["", "Corrections: " + ", ".join(ex["corrections"]) + " (see [theory.md](theory.md#corrections))."]
        if c.get("property_instances"):
            pc = c["property_instances"]
            out += ["", "Property sweep on random instances: " + ", ".join(f"{v} {k}" for k, v in pc.items() if v) + "."]
        if ex.get("derivations"):
            out += ["", "Derivations: " + ", ".join(f"`{d}`" for d in ex["derivations"]) + "."]
        if ex.get("skipped_checks"):
            out += ["", "Skipped in quick mode (slow): " + ", ".join(f"`{s}`" for s in ex["skipped_checks"]) + "."]
        rows = check_rows(c)
        if rows:
            out += ["", _table(["check", "data", "level", "kind", "status", "observed", "bound", "margin", "message"],
                               [[f"`{r['check']}`", md_escape(r["dataset"]), r["level"], r["kind"], r["status"],
                                 fmt(r["observed"]), fmt(r["bound"]), fmt(r["margin"]),
                                 plain_to_md(r["message"], table=True)] for r in rows])]
        else:
            out += ["", "No check ran for this claim."]
        for f in claim_figures(doc, c["id"]):
            if f.get("section") != "widths":
                out += ["", f"![{f['title']}]({f['file']})", "", f"*{plain_to_md(f['caption'])}*"]
    out += ["", "## Derivations", ""]
    if rep["derivations"]:
        for d in rep["derivations"]:
            out += derivation_markdown(d, level=3)
    else:
        out += ["No derivation of the claims in this report ran."]
    leg = rep["legend"]
    out += ["", "## How to read this report", ""]
    out += [f"- **{k}**: {plain_to_md(v)}." for k, v in leg["levels"].items()]
    out += [""] + [f"- status *{k}*: {plain_to_md(v)}." for k, v in leg["statuses"].items()]
    out += ["", plain_to_md(leg["margin"]), ""]
    return "\n".join(out)
