"""``index.html``: the verification report as one offline page.

Formulas are MathML (:mod:`wnproofs.report.mathml`), typeset by the browser without a
script or a network; the table of contents and the legend come first; figures are full
width with a caption and open full size on click; every table sits in a scroll box and
wraps long messages, so nothing runs off the page.
"""

from __future__ import annotations

import html
import re
from typing import Any, Iterable, Mapping, Sequence

from .derivations import BADGE, numeric_text, paragraphs
from .document import cache_note, check_rows, claim_figures, counts, fmt, sources_text, verdict
from .markup import Block, blocks_html, inline_html, parse, slug
from .mathml import math_html, plain_to_html

__all__ = ["render_html", "CSS"]

CSS = """
:root{--fg:#1b1b1b;--muted:#5f6368;--line:#d0d4d9;--bg2:#f4f6f8}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:78rem;margin:0 auto;
padding:1rem 1.25rem 4rem;line-height:1.5;color:var(--fg)}
h1{margin:.6rem 0 .3rem}h2{margin-top:2.4rem;border-bottom:2px solid var(--line);padding-bottom:.2rem}
h3{margin-top:1.6rem}h4,h5,h6{font-size:1rem;margin:1rem 0 .4rem}
math{font-family:"Latin Modern Math","STIX Two Math","Cambria Math",math;font-size:1.08em}
.display{margin:.5rem 0 .5rem 1rem;overflow-x:auto;overflow-y:hidden;padding:.1rem 0}
.scroll{overflow-x:auto;max-width:100%;margin:.6rem 0}
table{border-collapse:collapse;font-size:.92rem;width:100%}
th,td{border:1px solid var(--line);padding:.3rem .5rem;vertical-align:top;text-align:left;
overflow-wrap:break-word}
table.checks td:not(.msg),table.checks th{white-space:nowrap}
table.checks td:first-child{white-space:normal;min-width:9rem;max-width:16rem}
table.checks td:first-child code{overflow-wrap:anywhere}
th{background:var(--bg2)}
td.num{white-space:nowrap;font-variant-numeric:tabular-nums}
table.checks td.msg{min-width:22rem}
.status{font-weight:600;white-space:nowrap;padding:0 .35rem;border-radius:.25rem}
.s-holds{color:#17692c;background:#e6f4ea}.s-fails{color:#b00020;background:#fde8ea}
.s-inconclusive{color:#8a4b00;background:#fff3e0}.s-observed{color:#0b5394;background:#e8f0fe}
.s-deviates-hypotheses-unmet{color:#6a1b9a;background:#f3e5f5}.s-hypothesis-not-met{color:#444;background:#eee}
.s-error{color:#fff;background:#b00020}.s-unchecked{color:#666;background:#f1f1f1}
.verdict{padding:.6rem 1rem;border-radius:.3rem;background:#eef6ee}
.verdict.bad{background:#fde8ea}
nav#toc{background:var(--bg2);padding:.6rem 1rem;border-radius:.3rem;columns:2 22rem}
nav#toc ol{margin:.2rem 0;padding-left:1.2rem}nav#toc li{break-inside:avoid}
#legend dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem;margin:.3rem 0}
#legend dt{font-weight:600}#legend dd{margin:0}
.claim{border-top:1px solid var(--line);margin-top:1.8rem}
.prov-restated,.prov-reconstructed{background:#fff6e0;padding:.4rem .6rem;border-left:4px solid #e0a000}
figure.fig{margin:1rem 0;width:100%}
figure.fig img{width:100%;height:auto;border:1px solid var(--line);cursor:zoom-in}
figcaption{font-size:.9rem;color:var(--muted);margin-top:.3rem}
code{background:var(--bg2);padding:0 .2rem;overflow-wrap:anywhere}
.math-fallback code{background:#fde8ea}
.muted{color:var(--muted)}
.theory{border-left:3px solid var(--line);padding-left:1rem}
.derivation ol.steps>li{margin-bottom:1rem}
@media print{a{color:inherit;text-decoration:none}nav#toc{columns:1}}
"""

# Marks every image once the page has loaded: data-loaded="yes" when it decoded, "no" when
# it is broken.  The browser test reads this from the DOM; no network is involved.
_JS = """
window.addEventListener('load', function () {
  document.querySelectorAll('img').forEach(function (im) {
    im.setAttribute('data-loaded', (im.complete && im.naturalWidth > 0) ? 'yes' : 'no');
  });
  document.body.setAttribute('data-ready', 'yes');
});
"""


def _h(x: Any) -> str:
    return html.escape(str(x))


def _status(status: str, text: str | None = None) -> str:
    """A status badge (``text`` shown instead of the status word when given)."""
    cls = re.sub(r"[^a-z]+", "-", status.lower()).strip("-")
    return f'<span class="status s-{cls}">{_h(text or status)}</span>'


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], cls: str = "",
           num_cols: Sequence[int] = (), msg_col: int | None = None) -> str:
    """A table of already-escaped HTML cells, inside a horizontal scroll box."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = []
    for r in rows:
        tds = []
        for i, c in enumerate(r):
            klass = ' class="num"' if i in num_cols else (' class="msg"' if i == msg_col else "")
            tds.append(f"<td{klass}>{c}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    return (f'<div class="scroll"><table class="{cls}"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def _figure(f: Mapping) -> str:
    src = _h(f["file"])
    return (f'<figure class="fig" id="fig-{_h(f["id"])}"><a href="{src}" title="open the figure full size">'
            f'<img class="figure" src="{src}" alt="{_h(f["title"])}"></a>'
            f"<figcaption><strong>{_h(f['title'])}.</strong> {plain_to_html(f['caption'])} "
            f'<span class="muted">(click to enlarge)</span></figcaption></figure>')


def _theory_links(doc: Mapping):
    """Map the theory document's own anchors to the page's ids; other targets are dropped."""
    secs = doc["report"]["theory"].get("sections", {})
    by_slug = {s["slug"]: f"#theory-{cid}" for cid, s in secs.items()}

    def link(href: str) -> str | None:
        if href.startswith("#"):
            return by_slug.get(href[1:], f"#theory-{href[1:]}")
        if re.match(r"https?://", href):
            return href
        return None

    return link


def _claim(doc: Mapping, c: Mapping) -> list[str]:
    rep = doc["report"]
    ex = rep["claims"].get(c["id"], {})
    cid = _h(c["id"])
    theory = (f' <a class="muted" href="#{_h(ex["theory_anchor"])}">(theory)</a>'
              if ex.get("theory_anchor") else "")
    stmt = (inline_html(ex["statement_md"], _theory_links(doc)) if ex.get("statement_md")
            else plain_to_html(c["statement"]))
    hyps = "; ".join(plain_to_html(h) for h in c["hypotheses"]) or "none beyond the setting"
    out = [f'<section class="claim" id="claim-{cid}">',
           f"<h3>{cid}: {plain_to_html(c['title'])}{theory}</h3>",
           f"<p><strong>Statement.</strong> {stmt}</p>",
           f"<p><strong>Hypotheses.</strong> {hyps}.</p>",
           f'<p class="prov-{_h(c["provenance"])}"><strong>Provenance: {_h(c["provenance"])}.</strong> '
           f"{plain_to_html(ex.get('provenance_note', ''))}"
           + (f"<br><em>Note.</em> {plain_to_html(c['notes'])}" if c.get("notes") else "") + "</p>",
           f"<p><strong>Status:</strong> {_status(c['status'])}, margin {_h(fmt(c['margin']))}; levels reached: "
           f"<strong>{_h(', '.join(c['levels']) or 'none')}</strong>; attempted: "
           f"{_h(', '.join(ex.get('levels_attempted', [])) or 'none')}.</p>"]
    if ex.get("corrections"):
        out.append("<p><strong>Corrections:</strong> " + ", ".join(
            f'<a href="#correction-{_h(k)}">{_h(k)}</a>' for k in ex["corrections"]) + ".</p>")
    if c.get("property_instances"):
        pc = c["property_instances"]
        out.append("<p>Property sweep on random instances: "
                   + _h(", ".join(f"{v} {k}" for k, v in pc.items() if v)) + ".</p>")
    ders = [d for d in rep["derivations"] if c["id"] in d["claims"]]
    if ders:
        out.append("<p>Derivations: " + ", ".join(
            f'<a href="#deriv-{_h(d["name"])}"><code>{_h(d["name"])}</code></a> ({_h(d["verdict"])})'
            for d in ders) + ".</p>")
    for err in ex.get("derivation_errors", []):
        out.append(f'<p class="muted">Derivation error: {_h(err)}</p>')
    if ex.get("skipped_checks"):
        out.append('<p class="muted">Skipped in quick mode (slow): '
                   + ", ".join(f"<code>{_h(s)}</code>" for s in ex["skipped_checks"]) + ".</p>")
    rows = check_rows(c)
    if rows:
        out.append(_table(["check", "data", "level", "kind", "status", "observed", "bound", "margin", "message"],
                          [[f'<code id="check-{_h(c["id"])}-{i}">{_h(r["check"])}</code>', _h(r["dataset"]),
                            _h(r["level"]), _h(r["kind"]), _status(r["status"]), _h(fmt(r["observed"])),
                            _h(fmt(r["bound"])), _h(fmt(r["margin"])), plain_to_html(r["message"])]
                           for i, r in enumerate(rows)], cls="checks", num_cols=(5, 6, 7), msg_col=8))
    else:
        out.append('<p class="muted">No check ran for this claim.</p>')
    out += [_figure(f) for f in claim_figures(doc, c["id"]) if f.get("section") != "widths"]
    out.append("</section>")
    return out


#: A derivation verdict shown in the colours of the status it counts as.
_VERDICT_STATUS = {"proved": "holds", "inconclusive": "inconclusive", "failed": "fails"}


def _derivation(d: Mapping) -> list[str]:
    out = [f'<section class="derivation" id="deriv-{_h(d["name"])}">',
           f"<h3>{_h(', '.join(d['claims']))}: <code>{_h(d['name'])}</code>: {_h(d['verdict'])}</h3>"]
    out += [f"<p>{plain_to_html(p)}</p>" for p in paragraphs(d["doc"])]
    cn = d["counts"]
    out.append(f"<p>Steps: {len(d['steps'])} ({cn['proved']} proved, {cn['inconclusive']} inconclusive, "
               f"{cn['failed']} failed).</p>")
    out.append('<ol class="steps">')
    for s in d["steps"]:
        sid = f"step-{_h(d['name'])}-{s['index']}"
        item = [f'<li id="{sid}"><p><strong>{plain_to_html(s["name"])}</strong> ({_h(s["claim"])}): '
                f"{_status(_VERDICT_STATUS[s['verdict']], BADGE[s['verdict']])}</p>",
                f'<div class="display">{math_html(s["statement"], True)}</div>',
                f"<p>{plain_to_html(s['method'])}</p>"]
        for disp in s["displays"]:
            label = disp["label"][:1].upper() + disp["label"][1:]
            item += [f"<p>{plain_to_html(label)}:</p>", f'<div class="display">{math_html(disp["tex"], True)}</div>']
        notes = [f"<li>Numeric: {plain_to_html(numeric_text(c))}</li>" for c in s["numeric"]]
        notes += [f"<li>Premise (cited, not re-derived): {plain_to_html(p)}</li>" for p in s["premises"]]
        if notes:
            item.append("<ul>" + "".join(notes) + "</ul>")
        out.append("".join(item) + "</li>")
    out += ["</ol>", "</section>"]
    return out


def _theory(doc: Mapping) -> list[str]:
    th = doc["report"]["theory"]
    if not th.get("available"):
        return ['<p class="muted">The theory document (docs/theory.md) is not available.</p>']
    blocks = parse(th["markdown"])
    ids = {s["slug"]: cid for cid, s in th.get("sections", {}).items()}
    chosen = {c["id"] for c in doc["claims"]}

    def heading_id(b: Block) -> str | None:
        sl = slug(b.text)
        return f"theory-{ids[sl]}" if sl in ids else f"theory-{sl}"

    out: list[Block] = []
    for b in blocks:
        if b.kind == "heading" and b.level == 1:
            continue  # the document title: the section heading stands for it
        out.append(b)
    body = blocks_html(out, shift=1, link=_theory_links(doc), heading_id=heading_id)
    # a back link from each claim section of the theory to its results
    for sl, cid in ids.items():
        if cid in chosen:
            body = re.sub(rf'(<h3 id="theory-{cid}">.*?</h3>)',
                          rf'\1<p class="muted"><a href="#claim-{cid}">results of {cid} in this report</a></p>',
                          body, count=1)
    body = re.sub(r"<li><strong>(F\d+)\b", r'<li id="correction-\1"><strong>\1', body)
    return [f'<div class="theory">{_link_evidence(doc, body)}</div>']


def _link_evidence(doc: Mapping, body: str) -> str:
    """Link the checks and derivations the theory names (``<code>name</code>``) to their
    rows and sections in this report: ``t1_regime_crossover`` matches the check
    ``scaling.t1_regime_crossover`` (or ``t1.regime_crossover``)."""
    targets: dict[str, str] = {}
    for d in doc["report"]["derivations"]:
        targets.setdefault(d["name"], f"#deriv-{d['name']}")
    for c in doc["claims"]:
        for i, r in enumerate(c["checks"]):
            name = r["check"]
            for key in (name, name.rsplit(".", 1)[-1], name.replace(".", "_")):
                targets.setdefault(key, f"#check-{c['id']}-{i}")

    def link(m: re.Match) -> str:
        href = targets.get(html.unescape(m.group(1)))
        return f'<a href="{_h(href)}">{m.group(0)}</a>' if href else m.group(0)

    return re.sub(r"<code>([\w.]+)</code>", link, body)


def _legend(doc: Mapping) -> list[str]:
    leg = doc["report"]["legend"]
    out = ['<section id="legend"><h2>How to read this report</h2>', "<dl>"]
    out += [f"<dt>{_status(k)}</dt><dd>{plain_to_html(v)}.</dd>" for k, v in leg["statuses"].items()]
    out += ["</dl><dl>"]
    out += [f"<dt>{_h(k)}</dt><dd>{plain_to_html(v)}.</dd>" for k, v in leg["levels"].items()]
    out += ["</dl>", f"<p>{plain_to_html(leg['margin'])}</p>", "</section>"]
    return out


def _toc(doc: Mapping) -> list[str]:
    rep = doc["report"]
    claims = "".join(f'<li><a href="#claim-{_h(c["id"])}">{_h(c["id"])}: {plain_to_html(c["title"])}</a> '
                     f"{_status(c['status'])}</li>" for c in doc["claims"])
    ders = "".join(f'<li><a href="#deriv-{_h(d["name"])}"><code>{_h(d["name"])}</code></a></li>'
                   for d in rep["derivations"])
    return ['<nav id="toc"><h2>Contents</h2><ol>',
            '<li><a href="#legend">How to read this report</a></li>',
            '<li><a href="#summary">Summary</a></li>', '<li><a href="#data">Data sets</a></li>',
            '<li><a href="#widths">Widths</a></li>',
            f'<li><a href="#claims">Claims</a><ol>{claims}</ol></li>',
            f'<li><a href="#figures">Figures</a> ({len(rep["figures"].get("items", []))})</li>',
            f'<li><a href="#derivations">Derivations</a><ol>{ders}</ol></li>',
            '<li><a href="#theory">Theory</a></li>', "</ol></nav>"]


def render_html(doc: Mapping) -> str:
    """``index.html`` of a results document (pure function of ``doc``)."""
    rep = doc["report"]
    bad = "" if doc["ok"] else " bad"
    pdf = rep.get("pdf", {})
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           "<title>wnproofs verification report</title>", f"<style>{CSS}</style>",
           f"<script>{_JS}</script>", "</head>", "<body>",
           "<header><h1>wnproofs verification report</h1>",
           "<p>Dukler, Gu &amp; Montúfar, <em>Optimization Theory for ReLU Neural Networks Trained "
           "with Normalization Layers</em>, ICML 2020 (arXiv:2006.06878), claim by claim; the "
           'theory is restated in <a href="#theory">the theory section</a>.</p>',
           f'<p class="verdict{bad}"><strong>Verdict: {_h(verdict(doc))}</strong> ({_h(counts(doc))}).<br>'
           f"Seed <strong>{_h(doc['seed'])}</strong>, {_h(doc['mode'])} mode, {doc['seconds']:.1f} s; "
           f"created {_h(rep['created'])}.</p>",
           '<p class="muted">Versions: ' + _h(", ".join(f"{k} {v}" for k, v in doc["versions"].items())) + "</p>"]
    if rep["command"]:
        out.append(f"<p>Reproduce: <code>{_h(rep['command'])}</code></p>")
    if cache_note(doc):
        out.append(f'<p class="muted">{_h(cache_note(doc))}</p>')
    out.append('<p>Files: <a href="results.json">results.json</a>, <a href="report.md">report.md</a>, '
               '<a href="appendix.tex">appendix.tex</a> with <a href="main.tex">main.tex</a>'
               + (', <a href="report.pdf">report.pdf</a>' if pdf.get("available")
                  else f' <span class="muted">(no PDF: {_h(pdf.get("message", ""))})</span>') + ".</p></header>")
    out += _toc(doc)
    out += _legend(doc)
    out += ['<section id="summary"><h2>Summary</h2>',
            _table(["id", "claim", "status", "levels reached", "margin", "provenance"],
                   [[f'<a href="#claim-{_h(c["id"])}">{_h(c["id"])}</a>', plain_to_html(c["title"]),
                     _status(c["status"]), _h(", ".join(c["levels"]) or "none"), _h(fmt(c["margin"])),
                     _h(c["provenance"])] for c in doc["claims"]], cls="summary", num_cols=(4,))]
    if rep["not_selected"]:
        out.append('<p class="muted">Not run in this report (not selected with <code>--claims</code>): '
                   f"{_h(', '.join(rep['not_selected']))}.</p>")
    out.append("</section>")
    out += ['<section id="data"><h2>Data sets</h2>',
            _table(["data set", math_html("n"), math_html("d"), "A1", math_html(r"\lambda_0"),
                    math_html(r"\mu_0"), math_html(r"\alpha^*"), math_html(r"\lambda_H")],
                   [[_h(k["dataset"]), _h(k["n"]), _h(k["d"]), _h(fmt(k["A1"])), _h(fmt(k["lambda_0"])),
                     _h(fmt(k["mu_0"])), _h(fmt(k["alpha_star"])), _h(fmt(k["lambda_H"]))]
                    for k in rep["datasets"]], cls="data", num_cols=(1, 2, 4, 5, 6, 7)), "<ul>"]
    out += [f"<li>{_h(k['dataset'])}: {plain_to_html(k['split_note'])}.</li>" for k in rep["datasets"]]
    out += ["</ul></section>", '<section id="widths"><h2>Widths: asked for by the theorems, used in practice</h2>']
    if rep.get("parameterizations"):
        pr = rep["parameterizations"]
        par = ['<section id="parameterizations"><h2>Parameterizations side by side</h2>',
               _table(["data set", "parameterization", math_html(r"\lambda_{\min}") + " (m)",
                       math_html(r"\lambda_{\min}") + " (limit)", "dominant block", "GD steps to ε",
                       "GF time to ε", "width needed"],
                      [[_h(r["dataset"]), _h(r["parameterization"]), _h(fmt(r["lambda_min"])),
                        _h(fmt(r["lambda_min_limit"])), _h(str(r["dominant_block"])), _h(fmt(r["gd_steps"])),
                        _h(fmt(r["gf_time"])), _h(fmt(r["width_needed"]))] for r in pr],
                      cls="widths", num_cols=(2, 3, 5, 6, 7)),
               f"<p>{plain_to_html('Standard, WN and exponential WN on the same data and initialization (check {check}; m = {m}, α = {alpha}, target residual ε = {eps} of the start): the smallest eigenvalue of each kernel at width m and in the limit, the block that dominates, GD steps and GF time to reach ε, and the smallest width of the grid at which ε was reached on every seed.'.format(**pr[0]))}</p>", "</section>"]
    else:
        par = []
    if rep["widths"]:
        out.append(_table(["theorem", "data set", math_html(r"\alpha"), math_html(r"\delta"), "threshold",
                           "width used", "widths tried (✗: did not hold)", "read from"],
                          [[_h(w["variant"]), _h(w["dataset"]), _h(fmt(w["alpha"])), _h(fmt(w["delta"])),
                            _h(fmt(w["threshold"])), _h(fmt(w["width_used"])),
                            _h(", ".join(str(t["m"]) + ("" if t["held"] else "✗") for t in w["widths_tried"])),
                            _h(sources_text(w["sources"]))] for w in rep["widths"]],
                          cls="widths", num_cols=(2, 3, 4, 5)))
        out.append(f"<p>{plain_to_html(rep['width_used_note'])}</p>")
        out += [_figure(f) for f in rep["figures"].get("items", []) if f.get("section") == "widths"]
    else:
        out.append("<p>No theorem run in this report.</p>")
    out += ["</section>", *par, '<section id="claims"><h2>Claims</h2>']
    for c in doc["claims"]:
        out += _claim(doc, c)
    out.append("</section>")
    figs = rep["figures"]
    out += ['<section id="figures"><h2>Figures</h2>']
    if figs.get("items"):
        out.append("<p>Every figure, with the claim it belongs to (each also appears in its claim's section):</p><ul>")
        out += [f'<li><a href="#fig-{_h(f["id"])}">{_h(f["title"])}</a> '
                f'(<a href="#claim-{_h(f["claim"])}">{_h(f["claim"])}</a>)</li>' for f in figs["items"]]
        out.append("</ul>")
    else:
        out.append(f'<p class="muted" id="figures-missing">{_h(figs.get("message", ""))}.</p>')
    out += ["</section>", '<section id="derivations"><h2>Derivations</h2>']
    if rep["derivations"]:
        for d in rep["derivations"]:
            out += _derivation(d)
    else:
        out.append("<p>No derivation of the claims in this report ran.</p>")
    out += ["</section>", '<section id="theory"><h2>Theory</h2>']
    out += _theory(doc)
    out += ["</section>", "</body>", "</html>", ""]
    return "\n".join(out)
