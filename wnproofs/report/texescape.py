"""The one TeX escaper of wnproofs: plain text, code and the project's plain-text math.

Every string that reaches a ``.tex`` file (the verification report's ``appendix.tex`` and
the derivation reports of ``wnproofs derive``) goes through this module, so there is one
place that decides what is text and what is mathematics.

Plain strings written by the code (claim hypotheses, check messages, derivation prose)
use a plain-text notation for mathematics: Unicode (``λ_0``, ``||f − y||²``, ``α*``,
``√m``, ``⟨u, x⟩``, ``P_{v_k}``) and ASCII (``lambda_0``, ``sqrt(2 log(2n/delta))``,
``d >= 3``, ``m^(−1/2)``).  :func:`wnproofs.report.plainmath.segments` cuts such a string
into text, math and code pieces and translates the math to TeX; :func:`plain_to_tex`
writes them as LaTeX.  The three renderers (LaTeX, HTML via MathML, Markdown) all start
from these segments, so a formula is typeset the same way everywhere:

>>> plain_to_tex("x_i ≠ ±x_j for i ≠ j, d ≥ 2")
'$x_{i} \\ne \\pm x_{j}$ for $i \\ne j$, $d \\ge 2$'

The translation is a heuristic on prose, but its output is always valid TeX: specials are
escaped outside math, braces balance inside it, and a second superscript on one atom is
grouped instead of raising "Double superscript".
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["escape_text", "tex_code", "plain_to_tex", "GREEK"]

# ------------------------------------------------------------------------ tables

#: TeX specials in text mode.
_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
            "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
            "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}",
            "|": r"\textbar{}"}

#: Greek letters: Unicode → TeX command.
GREEK = {
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon",
    "ζ": r"\zeta", "η": r"\eta", "θ": r"\theta", "ι": r"\iota", "κ": r"\kappa",
    "λ": r"\lambda", "μ": r"\mu", "ν": r"\nu", "ξ": r"\xi", "π": r"\pi", "ρ": r"\rho",
    "σ": r"\sigma", "τ": r"\tau", "υ": r"\upsilon", "φ": r"\varphi", "χ": r"\chi",
    "ψ": r"\psi", "ω": r"\omega", "Γ": r"\Gamma", "Δ": r"\Delta", "Θ": r"\Theta",
    "Λ": r"\Lambda", "Ξ": r"\Xi", "Π": r"\Pi", "Σ": r"\Sigma", "Φ": r"\Phi", "Ψ": r"\Psi",
    "Ω": r"\Omega", "ϵ": r"\epsilon", "ϑ": r"\vartheta", "ϕ": r"\phi", "ℓ": r"\ell",
    "ο": "o", "Υ": r"\Upsilon",
    # capitals that look like Latin letters have no TeX command (there is no \Eta)
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Χ": "X",
}

#: Greek letters spelled in ASCII, as whole words (``lambda_0``, ``eta``).
_ASCII_GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "kappa", "lambda",
    "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "phi", "chi", "psi", "omega", "Gamma",
    "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega",
}

#: Functions typeset upright: name → TeX.
_FUNCS = {
    "exp": r"\exp", "log": r"\log", "ln": r"\ln", "max": r"\max", "min": r"\min",
    "sin": r"\sin", "cos": r"\cos", "tan": r"\tan", "arccos": r"\arccos",
    "arcsin": r"\arcsin", "arctan": r"\arctan", "atan2": r"\operatorname{atan2}",
    "det": r"\det", "sup": r"\sup", "inf": r"\inf", "lim": r"\lim", "Pr": r"\Pr",
    "diag": r"\operatorname{diag}", "tr": r"\operatorname{tr}", "sign": r"\operatorname{sign}",
    "mean": r"\operatorname{mean}", "ceil": r"\operatorname{ceil}", "floor": r"\operatorname{floor}",
    "arg": r"\arg", "sum": r"\sum", "prod": r"\prod", "grad": r"\nabla",
}

#: Operators and symbols of the plain notation → TeX (longest first when matching).
_OPS = {
    "<=>": r"\iff", "<->": r"\leftrightarrow", "<=": r"\le", ">=": r"\ge", "!=": r"\ne",
    "==": "=", "->": r"\to", "=>": r"\Rightarrow", "...": r"\ldots", "..": r"\ldots",
    "||": r"\|", "≤": r"\le", "≥": r"\ge", "≠": r"\ne", "≈": r"\approx", "≃": r"\simeq",
    "∝": r"\propto", "±": r"\pm", "∓": r"\mp", "×": r"\times", "·": r"\cdot", "÷": r"\div",
    "∘": r"\circ", "−": "-", "∂": r"\partial", "∇": r"\nabla", "∑": r"\sum", "∫": r"\int",
    "∈": r"\in", "∉": r"\notin", "⊂": r"\subset", "⊆": r"\subseteq", "∪": r"\cup",
    "∩": r"\cap", "⊥": r"\perp", "⟂": r"\perp", "∞": r"\infty", "…": r"\ldots",
    "‖": r"\|", "→": r"\to", "←": r"\leftarrow",
    "↦": r"\mapsto", "⇒": r"\Rightarrow", "⇔": r"\iff", "≡": r"\equiv", "∀": r"\forall",
    "∃": r"\exists", "⪰": r"\succeq", "≻": r"\succ", "≪": r"\ll", "≫": r"\gg",
    "=": "=", "<": "<", ">": ">", "+": "+", "-": "-", "*": r"\cdot", "/": "/", "|": "|",
    "√": r"\surd", "!": "!", "′": "'", "'": "'", "⌈": r"\lceil ", "⌉": r"\rceil ",
    "⌊": r"\lfloor ", "⌋": r"\rfloor ", "∅": r"\emptyset", "°": r"^{\circ}",
}
_OP_RE = "|".join(re.escape(k) for k in sorted(_OPS, key=len, reverse=True))

_SUPER = {"⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7",
          "⁸": "8", "⁹": "9", "⁺": "+", "⁻": "-", "ⁿ": "n", "ᵀ": r"\top", "ᵢ": "i", "*": "*"}
_SUPER.pop("ᵢ")
_SUB = {"₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6", "₇": "7",
        "₈": "8", "₉": "9", "ᵢ": "i", "ⱼ": "j", "ₖ": "k", "ₘ": "m", "ₙ": "n", "ₜ": "t"}
_SUPER_CH = "".join(k for k in _SUPER if k != "*")
_SUB_CH = "".join(_SUB)

#: Text-mode replacements for characters outside ASCII (Latin accents, typography).
_TEXT_CHARS = {
    "–": "--", "—": "---", "’": "'", "‘": "`", "“": "``", "”": "''", "…": r"\ldots{}",
    "é": r"\'e", "è": r"\`e", "á": r"\'a", "à": r"\`a", "ó": r"\'o", "ú": r"\'u", "í": r"\'i",
    "ü": r"\"u", "ö": r"\"o", "ä": r"\"a", "ç": r"\c{c}", "ñ": r"\~n", "É": r"\'E", "Ö": r"\"O",
    "Ü": r"\"U", "ß": r"\ss{}", "\u00a0": "~", "§": r"\S{}", "•": r"\textbullet{}",
    "✓": r"\checkmark{}", "÷": r"\ensuremath{\div}", "⟨": r"\ensuremath{\langle}",
    "⟩": r"\ensuremath{\rangle}", "✗": r"\ensuremath{\times}",
}


# ------------------------------------------------------------------------ text mode

def _char_fallback(ch: str) -> str:
    """A character with no TeX text form: as math when it is a symbol, else (U+XXXX)."""
    if ch in GREEK:
        return f"\\ensuremath{{{GREEK[ch]}}}"
    if ch in _OPS:
        return f"\\ensuremath{{{_OPS[ch].strip()}}}"
    if ch in _SUPER_CH:
        return f"\\textsuperscript{{{_SUPER[ch] if _SUPER[ch] != chr(92) + 'top' else 'T'}}}"
    if ch in _SUB:
        return f"\\textsubscript{{{_SUB[ch]}}}"
    base = unicodedata.normalize("NFKD", ch)
    if base and base[0].isascii() and base[0].isalpha():
        return base[0]
    return f"(U+{ord(ch):04X})"


def escape_text(text: str) -> str:
    """Plain text as TeX text mode: specials escaped, the output pure ASCII.

    Use it for prose that holds no plain-text math (titles, names, theory prose outside
    ``$...$``); :func:`plain_to_tex` finds and typesets the math in code-written strings.
    """
    out = []
    for ch in str(text):
        if ch in _SPECIAL:
            out.append(_SPECIAL[ch])
        elif ch in _TEXT_CHARS:
            out.append(_TEXT_CHARS[ch])
        elif ord(ch) < 128:
            out.append(ch)
        else:
            out.append(_char_fallback(ch))
    return "".join(out)


def tex_code(text: str) -> str:
    """Code (a check name, a file, a command) in ``\\texttt``, breakable after ``. _ / , =``."""
    parts = []
    for ch in str(text):
        esc = _SPECIAL.get(ch) or _TEXT_CHARS.get(ch) or (ch if ord(ch) < 128 else _char_fallback(ch))
        if ch == " ":
            esc = "\\ "
        parts.append(esc + (r"\allowbreak{}" if ch in "._/,=-[]" else ""))
    return r"\texttt{" + "".join(parts) + "}"


def plain_to_tex(text: str) -> str:
    """A code-written string as TeX: text escaped, math in ``$...$``, code in ``\\texttt``."""
    from .plainmath import segments  # plainmath reads this module's tables

    out = []
    for seg in segments(text):
        if seg.kind == "math":
            out.append(f"${seg.value}$")
        elif seg.kind == "code":
            out.append(tex_code(seg.value))
        else:
            out.append(escape_text(seg.value))
    return "".join(out)
