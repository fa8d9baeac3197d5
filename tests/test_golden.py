"""`wnproofs verify --seed 0 --json` stays what it was (issue 10: the redesign changes nothing for the user).

The golden file is regenerated only where an issue changes a result on purpose, and the
commit that does so says which results changed and why.  Regenerate with
``python -m wnproofs verify --seed 0 --json tests/golden/verify_seed0.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

from golden_compare import differences

from wnproofs.cli import main

GOLDEN = Path(__file__).with_name("golden") / "verify_seed0.json"


def test_verify_json_matches_the_golden_file(tmp_path):
    out = tmp_path / "v.json"
    main(["verify", "--seed", "0", "--json", str(out), "--no-progress"])
    diff = differences(json.loads(GOLDEN.read_text()), json.loads(out.read_text()))
    assert not diff, "verify's JSON drifted from the golden file:\n" + "\n".join(diff[:40])


def test_golden_comparison_sees_a_changed_status():
    doc = json.loads(GOLDEN.read_text())
    changed = json.loads(GOLDEN.read_text())
    changed["claims"][0]["status"] = "fails"
    changed["claims"][1]["checks"][0]["margin"] = doc["claims"][1]["checks"][0]["margin"] * 1.01
    assert len(differences(doc, changed)) == 2
    assert differences(doc, doc) == []
