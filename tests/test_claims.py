"""The claims map (issue 10): every id resolves to its statement, derivation, check and test files.

A pointer that does not resolve fails here, and so does a check or derivation that the
loader finds somewhere the map does not say.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from wnproofs.claims import CLAIMS, POINTERS, STATEMENTS_TEX
from wnproofs.cli import main
from wnproofs.registry import checks_for, claims, derivations_for, load_plugins

ROOT = Path(__file__).resolve().parent.parent
IDS = [c.id for c in CLAIMS]

load_plugins()


def _defined(path: Path) -> set[str]:
    return {n.name for n in ast.parse(path.read_text(encoding="utf-8")).body
            if isinstance(n, (ast.FunctionDef, ast.ClassDef))}


def test_claims_command_lists_all_19_ids(capsys):
    assert main(["claims", "--json"]) == 0
    maps = json.loads(capsys.readouterr().out)
    assert [m["id"] for m in maps] == IDS and len(IDS) == 19
    for m in maps:
        assert m["statement"] and m["statement_tex"] and m["check_module"] and m["tests"]


def test_claims_command_text_and_case_insensitive_ids(capsys):
    assert main(["claims", "t2", "d6"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("T2  ") and "checks/t2.py" in out and "derivations/limits.py::derive_d6" in out
    assert main(["claims", "Z9"]) == 2
    assert "unknown claim id 'Z9'" in capsys.readouterr().err


@pytest.mark.parametrize("cid", IDS)
def test_pointers_resolve(cid):
    ptr = POINTERS[cid]
    module = ROOT / ptr.checks
    assert module.is_file(), f"{cid}: check module {ptr.checks} missing"
    # every check the loader finds for this claim lives in that one module
    stem = module.stem
    for chk in checks_for(cid):
        assert chk.fn.__module__ == f"wnproofs.checks.{stem}", f"{chk.name} of {cid} is outside {ptr.checks}"
    assert checks_for(cid), f"{cid} has no check"
    # derivations: path::function exists, and the loader's derivations of the claim are exactly these
    named = set()
    for d in ptr.derivations:
        path, _, fn = d.partition("::")
        assert (ROOT / path).is_file(), f"{cid}: {path} missing"
        assert fn in _defined(ROOT / path), f"{cid}: {fn} not defined in {path}"
        named.add(f"{Path(path).stem}.{fn}")
    assert {d.name for d in derivations_for(cid)} == named
    # tests: the files exist and name the claim
    for t in ptr.tests:
        text = (ROOT / t).read_text(encoding="utf-8")
        assert cid in text, f"{t} never mentions {cid}"


def test_every_claim_has_a_typeset_statement_in_math_mode():
    assert set(STATEMENTS_TEX) == set(IDS)
    for cid, tex in STATEMENTS_TEX.items():
        assert tex.count("$") % 2 == 0 and "$" in tex, cid


def test_plugin_claims_are_listed_too():
    assert [c.id for c in claims()][:19] == IDS
