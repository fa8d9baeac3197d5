"""The project's theory document (``docs/theory.md``), found and cut into sections.

The file ships in the package (``wnproofs/docs/theory.md`` when installed) and lives in
``docs/`` of a source checkout.  Every claim has one section headed ``## <ID>. <title>``;
the ``## Corrections`` section lists what the toolkit found, one item per correction.
The report renders the whole document and links each claim to its section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .markup import slug

__all__ = ["THEORY_NAME", "theory_path", "TheoryDoc", "load_theory", "parse_theory"]

THEORY_NAME = "theory.md"

_CLAIM_HEADING = re.compile(r"^##\s+([A-Z][A-Za-z]*\d+)\.\s+(.*)$")


def theory_path() -> Path | None:
    """``docs/theory.md`` of the installed package, else of the source checkout, else None."""
    pkg = Path(__file__).resolve().parent.parent          # .../wnproofs
    for cand in (pkg / "docs" / THEORY_NAME, pkg.parent / "docs" / THEORY_NAME):
        if cand.is_file():
            return cand
    return None


@dataclass(frozen=True)
class TheoryDoc:
    """The theory document: its text, where it came from, and its claim sections.

    ``sections`` maps a claim id to ``{"title", "slug", "markdown", "statement"}``
    (``statement``: the Markdown after ``**Statement.**``, with ``$TeX$`` math).
    """

    available: bool
    source: str
    markdown: str
    sections: dict
    corrections: list

    def to_dict(self) -> dict:
        return {"available": self.available, "source": self.source, "markdown": self.markdown,
                "sections": self.sections, "corrections": self.corrections}


def parse_theory(text: str, source: str = "") -> TheoryDoc:
    """Cut the theory document into claim sections and corrections."""
    sections: dict[str, dict] = {}
    corrections: list[dict] = []
    cur_id, cur_lines, in_corr = None, [], False

    def close() -> None:
        if cur_id is not None:
            body = "\n".join(cur_lines).strip()
            m = re.search(r"\*\*Statement\.\*\*\s*(.*?)(?:\n\s*\n|$)", body, re.S)
            sections[cur_id]["markdown"] = body
            sections[cur_id]["statement"] = " ".join(m.group(1).split()) if m else ""

    for line in text.splitlines():
        m = _CLAIM_HEADING.match(line)
        if m or line.startswith("## "):
            close()
            cur_id, cur_lines = None, []
            in_corr = line.strip().lower() == "## corrections"
            if m:
                cur_id = m.group(1)
                sections[cur_id] = {"title": m.group(2).strip(), "slug": slug(line[3:])}
            continue
        if cur_id is not None:
            cur_lines.append(line)
        elif in_corr and re.match(r"\s*-\s+\*\*(F\d+)", line):
            fid = re.match(r"\s*-\s+\*\*(F\d+)", line).group(1)
            claims = [c for c in re.findall(r"\b([A-Z]\d)\b", line.split(":", 1)[0]) if c != fid]
            corrections.append({"id": fid, "claims": claims})
    close()
    return TheoryDoc(True, source, text, sections, corrections)


def load_theory(path: Path | None = None) -> TheoryDoc:
    """The theory document at ``path`` (default :func:`theory_path`), or an empty one that
    says it is missing."""
    p = path or theory_path()
    if p is None or not Path(p).is_file():
        return TheoryDoc(False, "", "", {}, [])
    return parse_theory(Path(p).read_text(encoding="utf-8"), str(p))
