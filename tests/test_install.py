"""The installed package finds its checks and derivations (the non-editable install in CI).

`checks/` and `derivations/` live at the top of the repository; setuptools' package-dir
maps them to ``wnproofs.checks`` / ``wnproofs.derivations``.  These tests run the
installed console script from an empty folder, so nothing from the clone is on the path.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _run(args, cwd):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=300)


def test_installed_package_finds_checks_outside_the_clone(tmp_path):
    code = ("import json, wnproofs, wnproofs.checks, wnproofs.derivations;"
            "from wnproofs.registry import all_checks;"
            "print(json.dumps({'pkg': wnproofs.__file__, 'checks': wnproofs.checks.__file__,"
            "'n': len(all_checks())}))")
    r = _run([sys.executable, "-c", code], tmp_path)
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["n"] >= 10
    if os.environ.get("CI"):
        # CI installs with a plain `pip install .`: the code must come from site-packages.
        assert REPO not in Path(info["pkg"]).resolve().parents, info
        assert REPO not in Path(info["checks"]).resolve().parents, info


def test_console_script_verify_runs_from_anywhere(tmp_path):
    exe = shutil.which("wnproofs")
    if exe is None:
        pytest.skip("the wnproofs console script is not on PATH (package not installed)")
    out = tmp_path / "r.json"
    r = _run([exe, "verify", "--claims", "D2", "D4", "--json", str(out), "--no-progress"], tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert json.loads(out.read_text())["ok"] is True
