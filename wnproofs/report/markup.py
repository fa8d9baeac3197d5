"""A small Markdown with TeX math, parsed once and written as HTML or LaTeX.

Used for ``docs/theory.md`` (the project's theory document) and for Markdown produced
from code-written strings.  The subset: ``#`` headings, paragraphs, ``-`` lists (one
level), fenced code, ``$$ ... $$`` display math, GitHub tables (a ``|`` line followed by
a ``|---|`` rule, nothing else is a table), and inline ``$math$``, ```code```, ``**bold**``,
``*italic*`` and ``[links](target)``.  Text outside ``$`` is prose: it is escaped, never
read as mathematics (:mod:`wnproofs.report.texescape` does that for code-written strings).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Callable

from .mathml import math_html
from .texdoc import display
from .plainmath import segments
from .texescape import escape_text, tex_code

__all__ = ["Block", "parse", "slug", "inline_html", "inline_tex", "blocks_html", "blocks_tex",
           "plain_to_md", "md_escape"]


@dataclass
class Block:
    """One block: kind is heading, para, list, display, code or table."""

    kind: str
    text: str = ""
    level: int = 0
    items: list = field(default_factory=list)


_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def parse(md: str) -> list[Block]:
    """Blocks of a Markdown text (the subset described in the module docstring)."""
    lines = md.splitlines()
    blocks: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(Block("para", " ".join(s.strip() for s in para)))
            para.clear()

    i = 0
    while i < len(lines):
        s = lines[i].strip()
        if s.startswith("```"):
            flush()
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith("```"):
                j += 1
            blocks.append(Block("code", "\n".join(lines[i + 1:j])))
            i = j + 1
            continue
        if s.startswith("$$"):
            flush()
            body = [s[2:]]
            j = i
            while not body[-1].rstrip().endswith("$$") or (j == i and len(s) <= 2):
                j += 1
                if j >= len(lines):
                    break
                body.append(lines[j].strip())
            text = " ".join(body).strip()
            blocks.append(Block("display", text[:-2].strip() if text.endswith("$$") else text))
            i = j + 1
            continue
        m = re.match(r"(#{1,6})\s+(.*)", s)
        if m:
            flush()
            blocks.append(Block("heading", m.group(2).strip(), level=len(m.group(1))))
        elif s.startswith("|") and i + 1 < len(lines) and _RULE.match(lines[i + 1]):
            flush()
            rows = [lines[i]]
            i += 2
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(lines[i])
                i += 1
            cells = [[c.strip() for c in re.split(r"(?<!\\)\|", r.strip().strip("|"))] for r in rows]
            blocks.append(Block("table", items=cells))
            continue
        elif re.match(r"[-*]\s+", s):
            flush()
            items: list[str] = []
            while i < len(lines) and (re.match(r"\s*[-*]\s+", lines[i]) or
                                      (items and lines[i].startswith("  ") and lines[i].strip())):
                if re.match(r"\s*[-*]\s+", lines[i]) and not lines[i].startswith("    "):
                    items.append(re.sub(r"^\s*[-*]\s+", "", lines[i]).strip())
                else:
                    items[-1] += " " + lines[i].strip()
                i += 1
            blocks.append(Block("list", items=items))
            continue
        elif not s:
            flush()
        else:
            para.append(s)
        i += 1
    flush()
    return blocks


def slug(text: str) -> str:
    """GitHub's anchor for a heading (lower case, punctuation dropped, spaces to '-')."""
    s = re.sub(r"[^\w\- ]", "", text.strip().lower().replace("$", ""))
    return s.replace(" ", "-")


# ------------------------------------------------------------------------ inline

_INLINE = re.compile(r"(?P<code>`[^`]+`)|(?P<math>\$[^$\n]+\$)|(?P<strong>\*\*(?:[^*]|\*(?!\*))+\*\*)"
                     r"|(?P<em>(?<![\w*])\*(?![\s*])(?:[^*])+?(?<![\s*])\*(?![\w*]))"
                     r"|(?P<link>\[(?P<label>[^\]]+)\]\((?P<href>[^)\s]+)\))")

LinkFn = Callable[[str], "str | None"]


def _inline(text: str, on_text, on_math, on_code, on_strong, on_em, on_link) -> str:
    out, pos = [], 0
    for m in _INLINE.finditer(text):
        out.append(on_text(text[pos:m.start()]))
        kind = m.lastgroup if m.lastgroup not in ("label", "href") else "link"
        tok = m.group(0)
        if kind == "code":
            out.append(on_code(tok[1:-1]))
        elif kind == "math":
            out.append(on_math(tok[1:-1]))
        elif kind == "strong":
            out.append(on_strong(tok[2:-2]))
        elif kind == "em":
            out.append(on_em(tok[1:-1]))
        else:
            out.append(on_link(m.group("label"), m.group("href")))
        pos = m.end()
    out.append(on_text(text[pos:]))
    return "".join(out)


def inline_html(text: str, link: LinkFn | None = None) -> str:
    """Inline Markdown as HTML (math as MathML).  ``link`` maps a target to an href, or
    to None to show the label without a link (targets outside the report)."""
    def on_link(label: str, href: str) -> str:
        target = link(href) if link else href
        inner = inline_html(label, link)
        return inner if target is None else f'<a href="{html.escape(target, quote=True)}">{inner}</a>'

    return _inline(text, lambda s: html.escape(s, quote=False), math_html,
                   lambda s: f"<code>{html.escape(s)}</code>",
                   lambda s: f"<strong>{inline_html(s, link)}</strong>",
                   lambda s: f"<em>{inline_html(s, link)}</em>", on_link)


def inline_tex(text: str, link: LinkFn | None = None) -> str:
    """Inline Markdown as LaTeX (math as is, prose escaped)."""
    def on_link(label: str, href: str) -> str:
        target = link(href) if link else None
        inner = inline_tex(label, link)
        if target and target.startswith("#"):
            return r"\hyperref[" + target[1:] + "]{" + inner + "}"
        return inner

    return _inline(text, escape_text, lambda s: f"${s}$", tex_code,
                   lambda s: r"\textbf{" + inline_tex(s, link) + "}",
                   lambda s: r"\emph{" + inline_tex(s, link) + "}", on_link)


# ------------------------------------------------------------------------ blocks

def blocks_html(blocks: list[Block], *, shift: int = 0, link: LinkFn | None = None,
                heading_id: Callable[[Block], "str | None"] | None = None) -> str:
    """Blocks as HTML; headings shifted down by ``shift`` levels and given ``heading_id``."""
    out = []
    for b in blocks:
        if b.kind == "heading":
            lvl = min(6, b.level + shift)
            hid = heading_id(b) if heading_id else None
            attr = f' id="{html.escape(hid, quote=True)}"' if hid else ""
            out.append(f"<h{lvl}{attr}>{inline_html(b.text, link)}</h{lvl}>")
        elif b.kind == "para":
            out.append(f"<p>{inline_html(b.text, link)}</p>")
        elif b.kind == "list":
            out.append("<ul>" + "".join(f"<li>{inline_html(x, link)}</li>" for x in b.items) + "</ul>")
        elif b.kind == "display":
            out.append(f'<div class="display">{math_html(b.text, True)}</div>')
        elif b.kind == "code":
            out.append(f"<pre><code>{html.escape(b.text)}</code></pre>")
        elif b.kind == "table":
            head, *rows = b.items
            out.append('<div class="scroll"><table><thead><tr>'
                       + "".join(f"<th>{inline_html(c, link)}</th>" for c in head) + "</tr></thead><tbody>"
                       + "".join("<tr>" + "".join(f"<td>{inline_html(c, link)}</td>" for c in r) + "</tr>"
                                 for r in rows) + "</tbody></table></div>")
    return "\n".join(out)


_TEX_HEADINGS = {1: "subsection", 2: "subsubsection", 3: "paragraph", 4: "paragraph",
                 5: "paragraph", 6: "paragraph"}


def blocks_tex(blocks: list[Block], *, shift: int = 0, link: LinkFn | None = None,
               label: Callable[[Block], "str | None"] | None = None) -> str:
    """Blocks as LaTeX (headings: level 1 → subsection, shifted by ``shift``)."""
    out = []
    for b in blocks:
        if b.kind == "heading":
            cmd = _TEX_HEADINGS[min(6, b.level + shift)]
            lab = label(b) if label else None
            out.append(f"\\{cmd}*{{{inline_tex(b.text, link)}}}" + (f"\\label{{{lab}}}" if lab else ""))
        elif b.kind == "para":
            out.append(inline_tex(b.text, link) + "\n")
        elif b.kind == "list":
            out.append("\\begin{itemize}\n" + "\n".join(f"\\item {inline_tex(x, link)}" for x in b.items)
                       + "\n\\end{itemize}")
        elif b.kind == "display":
            out.append(display(b.text))
        elif b.kind == "code":
            out.append("\\begin{verbatim}\n" + b.text + "\n\\end{verbatim}")
        elif b.kind == "table":
            head, *rows = b.items
            spec = "".join(">{\\raggedright\\arraybackslash}p{%.3f\\linewidth}" % (0.9 / len(head))
                           for _ in head)
            body = ["\\begin{longtable}{" + spec + "}", "\\toprule",
                    " & ".join(inline_tex(c, link) for c in head) + " \\\\", "\\midrule"]
            body += [" & ".join(inline_tex(c, link) for c in r) + " \\\\" for r in rows]
            body += ["\\bottomrule", "\\end{longtable}"]
            out.append("\n".join(body))
    return "\n\n".join(out)


# ------------------------------------------------------------------------ Markdown out

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|$#])")


def md_escape(text: str) -> str:
    """Prose for Markdown: the characters Markdown would read as markup are escaped."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def plain_to_md(text: str, *, table: bool = False) -> str:
    """A code-written string (plain-text math) as Markdown with ``$TeX$`` math."""
    out = []
    for seg in segments(text):
        if seg.kind == "math":
            tex = seg.value.replace(r"\|", r"\Vert ").replace("|", r"\vert ") if table else seg.value
            out.append(f"${tex}$")
        elif seg.kind == "code":
            out.append(f"`{seg.value}`")
        else:
            out.append(md_escape(seg.value))
    return "".join(out).replace("\n", " ")
