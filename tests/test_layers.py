"""The import rules of docs/DEVELOPING.md, enforced with import-linter (issue 10).

The contracts live in pyproject.toml ``[tool.importlinter]``.  ``checks/`` and
``derivations/`` are installed as ``wnproofs.checks`` and ``wnproofs.derivations``; to see
them as such from a source checkout too, the test lays the three folders out as the
installed package in a temporary directory and lints that.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _layout(tmp: Path) -> Path:
    pkg = tmp / "wnproofs"
    shutil.copytree(ROOT / "wnproofs", pkg, ignore=shutil.ignore_patterns("__pycache__"))
    for sub in ("checks", "derivations"):
        shutil.copytree(ROOT / sub, pkg / sub, ignore=shutil.ignore_patterns("__pycache__", "reports"))
    shutil.copy(ROOT / "pyproject.toml", tmp / "pyproject.toml")
    return tmp


def _lint(tmp: Path) -> subprocess.CompletedProcess:
    pytest.importorskip("importlinter")
    env = {**os.environ, "PYTHONPATH": str(tmp)}
    code = ("import sys; from importlinter.cli import lint_imports_command; "
            "sys.exit(lint_imports_command(['pyproject.toml', '--no-cache']))")
    return subprocess.run([sys.executable, "-c", code], cwd=tmp, env=env, capture_output=True, text=True)


def test_import_rules_hold(tmp_path):
    r = _lint(_layout(tmp_path))
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]


def test_a_wrong_arrow_is_caught(tmp_path):
    """Plant a library module importing the report: the contract must fail."""
    tmp = _layout(tmp_path)
    kern = tmp / "wnproofs" / "data.py"
    kern.write_text(kern.read_text(encoding="utf-8") + "\nfrom . import report  # planted\n", encoding="utf-8")
    r = _lint(tmp)
    assert r.returncode != 0 and "wnproofs.data is not allowed to import wnproofs.report" in r.stdout
