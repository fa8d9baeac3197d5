"""`wnproofs claims [ID ...] [--json]`: the map from a claim id to everything about it.

For each claim: its statement (plain and LaTeX), hypotheses, provenance, the section of the
project's theory document, the derivation(s), the check module with its checks, the test
files, and the report section — every pointer a path in the repository, so a claim's
statement, derivation, check, test and report section are one hop from its id.
"""

from __future__ import annotations

import json
import sys

from ..claims import pointers
from ..errors import InputError
from ..registry import checks_for, claims, derivations_for, get_claim, load_plugins
from ._common import add_plugin_argument


def register(sub) -> None:
    p = sub.add_parser("claims", help="list the claims and where each one's statement, derivation, "
                                      "check, tests and report section live",
                       description="Print, for each claim id (all by default), its statement and the files "
                                   "that derive, check and test it.")
    p.add_argument("ids", nargs="*", metavar="ID", help="claim ids (default: all)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    add_plugin_argument(p)
    p.set_defaults(func=run)


def claim_map(claim_id: str) -> dict:
    """Everything known about one claim, as plain data (JSON-ready)."""
    c = get_claim(claim_id)
    ptr = pointers(c.id)
    anchor = c.id.lower()
    return {
        "id": c.id,
        "title": c.title,
        "statement": c.statement,
        "statement_tex": c.statement_tex,
        "hypotheses": list(c.hypotheses),
        "provenance": c.provenance,
        "theory": f"docs/theory.md#{anchor}",
        "check_module": ptr.checks if ptr else None,
        "checks": [{"name": k.name, "level": k.level.value, "slow": k.slow} for k in checks_for(c.id)],
        "derivations": list(ptr.derivations) if ptr else [d.name for d in derivations_for(c.id)],
        "tests": list(ptr.tests) if ptr else [],
        "report": f"index.html#claim-{c.id}",
    }


def _resolve(ids: list[str]) -> list[str]:
    known = {c.id.upper(): c.id for c in claims()}
    out = []
    for i in ids:
        if i.upper() not in known:
            raise InputError(f"unknown claim id {i!r} (argument ID); known: {', '.join(known.values())}")
        out.append(known[i.upper()])
    return out


def run(args) -> int:
    load_plugins()
    ids = _resolve(args.ids) if args.ids else [c.id for c in claims()]
    maps = [claim_map(i) for i in ids]
    if args.json:
        json.dump(maps, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    for m in maps:
        print(f"{m['id']}  {m['title']}")
        print(f"    statement:   {m['statement']}")
        if m["hypotheses"]:
            print(f"    hypotheses:  {'; '.join(m['hypotheses'])}")
        print(f"    theory:      {m['theory']}  (provenance: {m['provenance']})")
        print(f"    derivation:  {', '.join(m['derivations']) or '-'}")
        checks = ", ".join(k["name"] + (" (slow)" if k["slow"] else "") for k in m["checks"])
        print(f"    check:       {m['check_module'] or '-'}: {checks or '-'}")
        print(f"    tests:       {', '.join(m['tests']) or '-'}")
        print(f"    report:      {m['report']}")
    return 0
