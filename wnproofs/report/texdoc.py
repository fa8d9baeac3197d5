"""The LaTeX frame shared by ``appendix.tex``, ``main.tex`` and the derivation reports.

One documented preamble (:data:`PACKAGES`) and a few macros (:data:`MACROS`) that every
LaTeX file of wnproofs relies on:

* ``\\wnmath{...}``: a displayed formula, scaled down to the line width when it is wider
  (long derivation steps would otherwise overflow the margin); centred otherwise;
* ``\\wnstatus{...}``: a status word in small caps.

The macros are defined with ``\\providecommand`` inside every generated file, so pasting
``appendix.tex`` into a paper needs only the packages, never a copy of the macros.
"""

from __future__ import annotations

__all__ = ["PACKAGES", "MACROS", "preamble", "standalone", "display"]

#: The packages the generated LaTeX needs, as ``(options, name)``: the documented
#: minimal preamble.  All are in Debian's texlive-latex-base/-recommended/-extra and
#: texlive-fonts-recommended + lmodern.
PACKAGES: tuple[tuple[str, str], ...] = (
    ("T1", "fontenc"),
    ("utf8", "inputenc"),
    ("", "lmodern"),
    ("", "amsmath"),
    ("", "amssymb"),
    ("", "graphicx"),
    ("", "array"),
    ("", "longtable"),
    ("", "booktabs"),
    ("margin=2.5cm", "geometry"),
    ("hidelinks", "hyperref"),
)

#: Macros used by the generated files (each guarded, so a second definition is harmless).
MACROS = r"""\makeatletter
\ifdefined\wn@box\else\newsavebox\wn@box\fi
\providecommand\wnmath[1]{\par\smallskip\noindent\begingroup
  \sbox\wn@box{$\displaystyle #1$}%
  \ifdim\wd\wn@box>\linewidth\resizebox{\linewidth}{!}{\usebox\wn@box}%
  \else\makebox[\linewidth]{\usebox\wn@box}\fi\endgroup\par\smallskip}
\providecommand\wnstatus[1]{\textsc{#1}}
\makeatother"""


def preamble() -> str:
    """The ``\\usepackage`` lines of :data:`PACKAGES`."""
    lines = []
    for opts, name in PACKAGES:
        lines.append(f"\\usepackage[{opts}]{{{name}}}" if opts else f"\\usepackage{{{name}}}")
    return "\n".join(lines)


def standalone(body: str, *, title: str = "") -> str:
    """A complete article around ``body`` (already LaTeX), compilable with pdflatex."""
    head = [r"\documentclass[11pt]{article}", preamble(), MACROS,
            r"\setlength{\emergencystretch}{3em}", r"\begin{document}", r"\sloppy"]
    if title:
        head.append(r"\section*{" + title + "}")
    return "\n".join(head) + "\n" + body.rstrip() + "\n\\end{document}\n"


def display(tex: str) -> str:
    """A displayed formula (fits the line width)."""
    return r"\wnmath{" + tex.strip() + "}"
