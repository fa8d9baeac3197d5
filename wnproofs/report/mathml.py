"""Mathematics for the HTML report: TeX → MathML, offline.

Formulas become MathML (``latex2mathml``, pure Python), which every current browser
typesets natively (Chromium ≥ 109, Firefox, Safari): no script, no font download, no
network, and the formulas stay text (searchable, copyable).  Code-written strings with
plain-text math (hypotheses, check messages, derivation prose) are cut by
:func:`wnproofs.report.texescape.segments` and their math pieces converted here, so the
HTML, the LaTeX and the Markdown typeset the same formula.

A formula latex2mathml cannot convert (or converts leaving a TeX command behind) is shown
as its TeX source in ``<code class="tex">``: visible, honest, and caught by the tests,
which require that no report of the built-in claims has one.
"""

from __future__ import annotations

import functools
import html
import re

from .plainmath import segments

__all__ = ["tex_to_mathml", "math_html", "plain_to_html", "FALLBACK_CLASS"]

#: The class of the ``<code>`` element that shows a formula which could not be converted.
FALLBACK_CLASS = "tex"

#: TeX that means the same but that latex2mathml takes only in another spelling.
_NORMALIZE = (
    (re.compile(r"\\(?:big|Big|bigg|Bigg)[lrm]?\s*(?=\\[{}|]|\\[lr]angle|\\[lr]Vert|\\[lr]vert)"), ""),
    (re.compile(r"\\ensuremath\{([^{}]*)\}"), r"\1"),
    (re.compile(r"\\displaystyle\b"), ""),
    (re.compile(r"\\allowbreak\b"), ""),
    (re.compile(r"\\surd\b"), "√"),
    (re.compile(r"\\text(?:rm|normal)\{"), r"\\text{"),
)


@functools.lru_cache(maxsize=4096)
def tex_to_mathml(tex: str, display: bool = False) -> str | None:
    """MathML for a TeX formula (without ``$``), or None when it cannot be converted.

    "Cannot" includes a conversion that leaves a TeX command in the output text (an
    unknown command is passed through by latex2mathml as ``<mi>\\foo</mi>``).
    """
    try:
        from latex2mathml.converter import convert
    except ImportError:  # pragma: no cover - a runtime dependency
        return None
    src = tex.strip()
    for rx, rep in _NORMALIZE:
        src = rx.sub(rep, src)
    try:
        out = convert(src, display="block" if display else "inline")
    except Exception:  # latex2mathml raises a variety of exceptions on bad input
        return None
    text = html.unescape(re.sub(r"<[^>]+>", "", out))
    if "\\" in text:
        return None
    return out


def math_html(tex: str, display: bool = False) -> str:
    """A formula as MathML, or as its TeX source in ``<code class="tex">``."""
    mml = tex_to_mathml(tex, display)
    if mml is None:
        tag = "div" if display else "span"
        return (f'<{tag} class="math-fallback"><code class="{FALLBACK_CLASS}">'
                f"{html.escape(tex)}</code></{tag}>")
    return mml


def plain_to_html(text: str) -> str:
    """A code-written string (plain-text math) as HTML with MathML formulas."""
    out = []
    for seg in segments(text):
        if seg.kind == "math":
            out.append(math_html(seg.value))
        elif seg.kind == "code":
            out.append(f"<code>{html.escape(seg.value)}</code>")
        else:
            out.append(html.escape(seg.value, quote=False))
    return "".join(out)
