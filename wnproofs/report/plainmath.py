"""Plain-text mathematics: find it in a code-written string and translate it to TeX.

The notation (Unicode such as ``λ_0``, ``||f − y||²``, ``√m``, ``⟨u, x⟩``, ``P_{v_k}``, and
ASCII such as ``lambda_0``, ``sqrt(2 log(2n/delta))``, ``d >= 3``, ``m^(−1/2)``) is
tokenized, the tokens that belong to formulas are grouped into runs (brackets whose content
is all mathematics, operators with their operands; prose words break a run), and each run
is written as TeX.  The output is always valid TeX: braces balance, a second superscript on
one atom is grouped, and specials are escaped (:mod:`wnproofs.report.texescape`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from .texescape import (_ASCII_GREEK, _FUNCS, _OP_RE, _OPS, _SPECIAL, _SUB, _SUB_CH, _SUPER,
                        _SUPER_CH, GREEK, escape_text)

__all__ = ["Segment", "segments", "math_to_tex"]


@dataclass(frozen=True)
class Segment:
    """A piece of a plain string: ``kind`` is "text", "math" (``value`` is TeX) or "code"."""

    kind: str
    value: str


@dataclass
class _Tok:
    kind: str       # id num op func word code ws punct open close
    text: str
    strong: bool = False   # counts as mathematics on its own
    math: bool = False     # decided: part of a math run


_ABBREV = r"(?:e\.g\.|i\.e\.|cf\.|resp\.|vs\.|etc\.|et al\.|w\.p\.|a\.s\.|Thm\.|Eq\.|Sec\.)"
_SCRIPT = (r"(?:_(?:\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|\([^()]*\)|[A-Za-z0-9]+|[α-ωΑ-Ω])"
           r"|\^(?:\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|\([^()]*(?:\([^()]*\)[^()]*)*\)|[−-]?[A-Za-z0-9.]+|[α-ωΑ-Ω*∞⊤′])"
           rf"|[{_SUPER_CH}]+|[{_SUB_CH}]+|\*(?![*\w]))")
_GREEK_CH = "".join(GREEK)
_TOKEN = re.compile(
    r"(?P<code>``[^`]+``|`[^`]+`)"
    r"|(?P<tex>\$[^$]+\$)"
    rf"|(?P<abbr>{_ABBREV})"
    r"|(?P<dotted>[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)+(?:\(\))?)"
    r"|(?P<hyph>[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+)"
    r"|(?P<deriv>(?<![A-Za-z])[d∂][A-Za-z]?(?:_\{?\w+\}?)?/[d∂][A-Za-z](?![A-Za-z]))"
    r"|(?P<alnum>[A-Za-z]+\d\w*|[A-Za-z]+’s\b)"
    rf"|(?P<num>\d+(?:\.\d+)?(?:[eE][+−-]?\d+)?(?:{_SCRIPT})*)"
    rf"|(?P<id>(?:[{_GREEK_CH}]|[A-Za-z]+)(?:{_SCRIPT})*)"
    rf"|(?P<op>{_OP_RE})"
    r"|(?P<open>[(\[{⟨])|(?P<close>[)\]}⟩])"
    rf"|(?P<script>(?:{_SCRIPT})+)"
    r"|(?P<ws>\s+)"
    r"|(?P<punct>.)", re.S)

_WEAK_LETTERS = {"a", "A", "I"}

_DOUBLE_SCRIPT = re.compile(r"([\^_])(?:\{[^{}]*\}|\\[A-Za-z]+|[^{\\\s])\1")


def _safe_tex(tex: str) -> bool:
    """Whether ``$...$`` in a plain string is TeX to pass through: ASCII, balanced braces,
    no ``# % & $``, no script without an argument and no double script on one atom."""
    if not tex.isascii() or re.search(r"[#%&$]|[\^_]\s*$|\\$", tex) or _DOUBLE_SCRIPT.search(tex):
        return False
    depth = 0
    for k, ch in enumerate(tex):
        if ch in "{}" and tex[k - 1:k] != "\\":
            depth += 1 if ch == "{" else -1
            if depth < 0:
                return False
    return depth == 0


def _classify(m: re.Match) -> _Tok:
    kind, text = m.lastgroup, m.group(0)
    if kind == "code":
        return _Tok("code", text.strip("`"))
    if kind == "tex":
        if _safe_tex(text[1:-1]):
            return _Tok("tex", text[1:-1], strong=True)
        return _Tok("punct", "$")  # not TeX after all: the dollar is a character
    if kind in ("abbr", "dotted", "hyph", "alnum"):
        return _Tok("word", text)
    if kind == "deriv":
        return _Tok("deriv", text, strong=True)
    if kind == "script":
        return _Tok("script", text)
    if kind == "num":
        return _Tok("num", text, strong=bool(re.search(r"[_^*]|[" + _SUPER_CH + _SUB_CH + "]", text)))
    if kind == "id":
        base = re.match(rf"[{_GREEK_CH}]|[A-Za-z]+", text).group(0)
        scripted = len(base) < len(text)
        if base in _FUNCS:
            return _Tok("func", text, strong=True)
        if base in GREEK or base in _ASCII_GREEK:
            return _Tok("id", text, strong=True)
        if len(base) == 1:
            strong = scripted or base not in _WEAK_LETTERS
            return _Tok("id", text, strong=strong)
        if base == "sqrt":
            return _Tok("func", text, strong=True)
        # a longer word: code when it has an underscore (width_used), prose otherwise
        return _Tok("word", text) if "_" not in text else _Tok("code", text)
    if kind == "op":
        return _Tok("op", text, strong=text not in ("-", "/", "'", "!", "*", "|", ".."))
    return _Tok(kind, text)


#: Rewrites of ASCII habits before tokenizing: <v,x> is an inner product, "2 x 6" a
#: product, "SymPy's" an apostrophe (not a prime).
_PRE = (
    (re.compile(r"<(?=[^\s<>=])([^<>=\n]*?,[^<>=\n]*?[^\s<>=])>"), "⟨\\1⟩"),
    (re.compile(r"(?<=\d) x (?=\d)"), " × "),
    (re.compile(r"(?<=[A-Za-z])'(?=s\b)"), "’"),
)


def _tokens(text: str) -> list[_Tok]:
    for rx, rep in _PRE:
        text = rx.sub(rep, text)
    return [_classify(m) for m in _TOKEN.finditer(text)]


# ------------------------------------------------------------------------ math runs

def _match_brackets(toks: list[_Tok]) -> dict[int, int]:
    pairs, stack = {}, []
    closing = {")": "(", "]": "[", "}": "{", "⟩": "⟨"}
    for i, t in enumerate(toks):
        if t.kind == "open":
            stack.append(i)
        elif t.kind == "close":
            # "[0, 1)" and "(0, 1]": half-open intervals close with the other bracket
            if stack and (toks[stack[-1]].text == closing[t.text] or t.text in ")]"
                          and toks[stack[-1]].text in "(["):
                pairs[stack.pop()] = i
    return pairs


def _decide(toks: list[_Tok]) -> None:
    """Mark the tokens that belong to math runs (in place)."""
    pairs = _match_brackets(toks)

    def group_is_math(i: int) -> bool:
        j = pairs[i]
        inner = [t for t in toks[i + 1:j] if t.kind != "ws"]
        prev = next((toks[k] for k in range(i - 1, -1, -1)), None)
        if prev is not None and prev.kind == "word":
            return False  # seed(s), width(s): prose
        if not inner:
            return prev is not None and prev.kind in ("id", "func", "num", "close")
        ok = {"id", "num", "op", "func", "open", "close", "script", "deriv", "tex"}
        if any(t.kind not in ok and not (t.kind == "punct" and t.text in ",;.") for t in inner):
            return False
        if any(t.kind == "punct" and t.text in ";." for t in inner):
            return False
        if any(t.kind == "id" and not t.strong for t in inner):  # "a", "A", "I": prose
            return False
        return True

    n = len(toks)
    i = 0
    while i < n:  # whole bracket groups first: all math inside, or prose
        t = toks[i]
        if t.kind == "open" and i in pairs and i > 0 and toks[i - 1].kind == "word":
            i = pairs[i] + 1  # seed(s), width(s): prose, brackets and all
            continue
        if t.kind == "func" and not _func_applied(toks, i):
            t.kind, t.strong = "word", False
        if t.kind == "open" and i in pairs and group_is_math(i):
            for k in range(i, pairs[i] + 1):
                toks[k].math = True
                if toks[k].kind in ("open", "close", "punct"):
                    toks[k].strong = False
            toks[i].strong = any(x.strong for x in toks[i:pairs[i] + 1])
            i = pairs[i] + 1
            continue
        if t.kind in ("id", "num", "op", "func", "deriv", "tex"):
            t.math = True
        elif t.kind == "script" and i > 0 and toks[i - 1].math:
            t.math = True  # a script glued to the math before it: ||r||², (...)^s
        i += 1
    # a weak token (number, "a", "-", "/") stays math only inside a run with a strong token
    runs = _runs(toks)
    for run in runs:
        if not any(toks[k].strong for k in run):
            for k in run:
                toks[k].math = False
    # an odd "|" at the edge of a run opens or closes prose: "max |MC − closed form|"
    for run in _runs(toks):
        bars = [k for k in run if toks[k].text == "|"]
        if len(bars) % 2 and bars[-1] == run[-1]:
            toks[run[-1]].math = False
        elif len(bars) % 2 and bars[0] == run[0]:
            toks[run[0]].math = False
    # a binary operator at the edge of a run ("T1-T4" is a word; "and/or": "/" alone)
    for run in _runs(toks):
        for k in (run[0], run[-1]):
            if toks[k].kind == "op" and toks[k].text in ("/", "-", "*", "..") and len(run) > 1:
                if k == run[0] and toks[k].text != "-":
                    toks[k].math = False
                elif k == run[-1]:
                    toks[k].math = False


#: Functions that read as mathematics even without brackets ("max |x|", "log n").
_CORE_FUNCS = {"exp", "log", "ln", "max", "min", "sin", "cos", "tan", "arccos", "arcsin",
               "arctan", "det", "Pr", "sqrt"}


def _func_applied(toks: list[_Tok], i: int) -> bool:
    """Whether the function name at ``i`` is applied (``f(``, ``f_x``, or a core name
    followed by mathematics), rather than an English word ("mean", "floor")."""
    t = toks[i]
    name = re.match(r"[A-Za-z]+", t.text).group(0)
    if len(name) < len(t.text):
        return True  # scripted: max_s
    if i + 1 < len(toks) and toks[i + 1].kind == "open":
        return True
    if name not in _CORE_FUNCS:
        return False
    j = i + 1
    while j < len(toks) and toks[j].kind == "ws":
        j += 1
    return j < len(toks) and toks[j].kind in ("id", "num", "op", "open", "func")


def _runs(toks: list[_Tok]) -> list[list[int]]:
    """Indices of maximal math runs (whitespace inside a run belongs to it)."""
    runs, cur, pending_ws = [], [], []
    for i, t in enumerate(toks):
        if t.math:
            if cur:
                cur += pending_ws
            cur.append(i)
            pending_ws = []
        elif t.kind == "ws" and cur:
            pending_ws.append(i)
        else:
            if cur:
                runs.append(cur)
            cur, pending_ws = [], []
    if cur:
        runs.append(cur)
    return runs


def segments(text: str) -> list[Segment]:
    """Cut a plain string into text, math (as TeX) and code segments, in order."""
    toks = _tokens(str(text))
    _decide(toks)
    starts = {run[0]: run for run in _runs(toks)}
    out: list[Segment] = []

    def add(kind: str, value: str) -> None:
        if out and out[-1].kind == kind and kind == "text":
            out[-1] = Segment("text", out[-1].value + value)
        else:
            out.append(Segment(kind, value))

    i = 0
    while i < len(toks):
        if i in starts:
            run = starts[i]
            add("math", _math_tokens_to_tex(toks[run[0]:run[-1] + 1]))
            i = run[-1] + 1
        elif toks[i].kind == "code":
            add("code", toks[i].text)
            i += 1
        else:
            add("text", toks[i].text)
            i += 1
    return out


# ------------------------------------------------------------------------ math → TeX

def _script_arg(arg: str) -> str:
    """The TeX of a script argument written ``{...}``, ``(...)`` (for ^) or a token."""
    if arg.startswith("{") and arg.endswith("}"):
        arg = arg[1:-1]
    elif arg.startswith("(") and arg.endswith(")"):
        arg = arg[1:-1]
    if arg in _FUNCS:
        return _FUNCS[arg]
    if arg == "*":
        return "*"
    if re.fullmatch(r"[A-Za-z]+", arg):
        return arg  # indices: ij, ik, du, V
    return math_to_tex(arg)


class _Atom:
    """One base with at most one subscript and one superscript (grouped beyond that)."""

    def __init__(self, base: str) -> None:
        self.base, self.sub, self.sup = base, None, None

    def add(self, which: str, arg: str) -> None:
        if which == "_":
            if self.sub is not None:
                self.base, self.sub, self.sup = "{" + self.tex() + "}", None, None
            self.sub = arg
        else:
            if self.sup is not None:
                self.base, self.sub, self.sup = "{" + self.tex() + "}", None, None
            self.sup = arg

    def tex(self) -> str:
        s = self.base
        if self.sub is not None:
            s += "_{" + self.sub + "}"
        if self.sup is not None:
            s += "^{" + self.sup + "}"
        return s


def _base_tex(base: str, scripted: str = "") -> str:
    if base == "Σ" and scripted.startswith("_"):
        return r"\sum"
    if base in GREEK:
        return GREEK[base]
    if base in _ASCII_GREEK:
        return "\\" + base if base != "epsilon" else r"\varepsilon"
    if base in _FUNCS:
        return _FUNCS[base]
    if len(base) > 1:
        return r"\mathrm{" + base + "}"
    return base


def _scripted_tex(text: str, head: str) -> str:
    """``head`` (already TeX) followed by the scripts written after it in ``text``."""
    atom = _Atom(head)
    for m in re.finditer(_SCRIPT, text):
        s = m.group(0)
        if s[0] in "_^":
            atom.add(s[0], _script_arg(s[1:]))
        elif s == "*":
            atom.add("^", "*")
        elif s[0] in _SUPER_CH:
            atom.add("^", "".join(_SUPER[c] for c in s))
        else:
            atom.add("_", "".join(_SUB[c] for c in s))
    return atom.tex()


def _num_tex(text: str) -> str:
    m = re.match(r"(\d+(?:\.\d+)?)(?:[eE]([+−-]?)(\d+))?", text)
    mant, sign, exp = m.group(1), m.group(2), m.group(3)
    head = mant if exp is None else (
        rf"{mant}\times 10^{{{'-' if sign in ('-', '−') else ''}{int(exp)}}}")
    rest = text[m.end():]
    if not rest:
        return head
    return _scripted_tex(rest, "{" + head + "}" if exp is not None else head)


def _math_tokens_to_tex(toks: Iterable[_Tok]) -> str:
    toks = list(toks)
    out: list[str] = []
    i, n = 0, len(toks)
    closers: list[str] = []  # what a pending \sqrt{ or \lceil needs at its closing bracket
    depth_close: list[int] = []
    while i < n:
        t = toks[i]
        if t.kind == "ws":
            out.append(" ")
        elif t.kind == "num":
            out.append(_num_tex(t.text))
        elif t.kind == "id":
            base = re.match(rf"[{_GREEK_CH}]|[A-Za-z]+", t.text).group(0)
            out.append(_scripted_tex(t.text[len(base):], _base_tex(base, t.text[len(base):])))
        elif t.kind == "func":
            name = re.match(r"[A-Za-z]+", t.text).group(0)
            nxt = toks[i + 1] if i + 1 < n else None
            if name in ("sqrt", "ceil", "floor") and nxt is not None and nxt.kind == "open" and nxt.text == "(":
                opener = {"sqrt": r"\sqrt{", "ceil": r"\lceil ", "floor": r"\lfloor "}[name]
                closer = {"sqrt": "}", "ceil": r"\rceil ", "floor": r"\rfloor "}[name]
                out.append(opener)
                closers.append(closer)
                depth_close.append(_depth_of_match(toks, i + 1))
                i += 2
                continue
            if name == "sqrt" and len(name) == len(t.text):
                arg, j = _sqrt_operand(toks, i + 2 if nxt is not None and nxt.kind == "ws" else i + 1)
                if arg:
                    out.append(r"\sqrt{" + arg + "}")
                    i = j
                    continue
            out.append(_scripted_tex(t.text[len(name):], _FUNCS.get(name, r"\operatorname{" + name + "}")))
        elif t.kind == "op":
            if t.text == "√":
                arg, j = _sqrt_operand(toks, i + 1)
                out.append(r"\sqrt{" + arg + "}")
                i = j
                continue
            sym = _OPS[t.text]
            if sym == "'" and out and _ends_with_script(out[-1]):
                sym = "{}'"  # a prime after a superscript would be a second superscript
            if t.text == "Σ":
                sym = r"\sum"
            out.append(sym)
        elif t.kind == "script":
            out.append(_scripted_tex(t.text, "{}" if out and _ends_with_script(out[-1]) else ""))
        elif t.kind == "tex":
            out.append("{" + t.text + "}")
        elif t.kind == "deriv":
            num, den = t.text.split("/")
            out.append(_math_tokens_to_tex(_tokens(num[0] + " " + num[1:])) + "/"
                       + _math_tokens_to_tex(_tokens(den[0] + " " + den[1:])))
        elif t.kind in ("open", "close"):
            if t.kind == "close" and depth_close and depth_close[-1] == i:
                out.append(closers.pop())
                depth_close.pop()
            else:
                out.append({"{": r"\{", "}": r"\}", "⟨": r"\langle ", "⟩": r"\rangle "}.get(t.text, t.text))
        elif t.kind == "punct":
            out.append(_SPECIAL.get(t.text, t.text) if t.text in "&%$#_~^\\" else t.text)
        elif t.kind == "code":
            out.append(r"\texttt{" + escape_text(t.text) + "}")
        else:  # a word inside math: upright
            out.append(r"\mathrm{" + escape_text(t.text) + "}")
        i += 1
    out.extend(reversed(closers))
    tex = ""
    for piece in out:  # "\\partial" + "f" must not become "\\partialf"
        if piece and re.search(r"\\[A-Za-z]+$", tex) and re.match(r"[A-Za-z0-9]", piece):
            tex += " "
        tex += piece
    return re.sub(r" {2,}", " ", tex.strip())


def _ends_with_script(tex: str) -> bool:
    """Whether ``tex`` ends with a sub- or superscript group (or a prime), so that a
    further script must start on an empty base ``{}``."""
    tex = tex.rstrip()
    if tex.endswith("'"):
        return True
    if not tex.endswith("}"):
        return False
    depth = 0
    for k in range(len(tex) - 1, -1, -1):
        if tex[k] == "}" and tex[k - 1:k] != "\\":
            depth += 1
        elif tex[k] == "{" and tex[k - 1:k] != "\\":
            depth -= 1
            if depth == 0:
                return tex[k - 1:k] in ("^", "_")
    return False


def _depth_of_match(toks: list[_Tok], i: int) -> int:
    depth = 0
    for k in range(i, len(toks)):
        if toks[k].kind == "open":
            depth += 1
        elif toks[k].kind == "close":
            depth -= 1
            if depth == 0:
                return k
    return -1


def _sqrt_operand(toks: list[_Tok], i: int) -> tuple[str, int]:
    """The operand of ``√``: a bracket group (without its brackets) or one atom."""
    if i < len(toks) and toks[i].kind == "open":
        j = _depth_of_match(toks, i)
        if j > 0:
            return _math_tokens_to_tex(toks[i + 1:j]), j + 1
    if i < len(toks) and toks[i].kind in ("id", "num"):
        return _math_tokens_to_tex([toks[i]]), i + 1
    return "", i


def math_to_tex(plain: str) -> str:
    """A plain-notation formula (all of it mathematics) as TeX math, without ``$``."""
    toks = _tokens(str(plain))
    return _math_tokens_to_tex(toks)
