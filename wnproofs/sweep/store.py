"""The store of a sweep: one finished run per line of a JSON-lines file.

Each line is ``{"key", "params", "budget", "result", "finished"}``, appended, flushed and
fsynced as the run finishes, so an interrupted sweep resumes without recomputing a
finished run.  Reading is line by line and never fails: a line that cannot be used (not
UTF-8, not JSON, torn by a crash, missing a field, a ``result`` that is not an object,
or a ``key`` that does not match its parameters and budget) is reported with its line
number and reason, moved to ``STORE.rejected`` (kept, byte for byte) and its run is
computed again.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from ..errors import InputError
from ..io import atomic_write_text
from .grid import run_key

__all__ = ["StoreProblem", "StoreScan", "scan_store", "read_store", "set_aside", "append_record",
           "make_record", "REJECTED_SUFFIX"]

#: Lines set aside go to the store's path with this suffix appended.
REJECTED_SUFFIX = ".rejected"


@dataclass(frozen=True)
class StoreProblem:
    """One line of a store that could not be used: its number (from 1), why, and its bytes."""

    line: int
    reason: str
    raw: bytes

    def describe(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class StoreScan:
    """What a store holds: usable records by key, and the lines that could not be used."""

    records: dict[str, dict] = field(default_factory=dict)
    problems: list[StoreProblem] = field(default_factory=list)
    good_lines: list[bytes] = field(default_factory=list)


def _check_record(rec: Any) -> str:
    """'' if ``rec`` is a usable record, else why not."""
    if not isinstance(rec, dict):
        return f"a JSON {type(rec).__name__}, not an object"
    for k, typ in (("key", str), ("params", dict), ("budget", dict), ("result", dict)):
        if k not in rec:
            return f"no {k!r} field"
        if not isinstance(rec[k], typ):
            got = "null" if rec[k] is None else type(rec[k]).__name__
            return f"{k!r} is {got}, not {'a string' if typ is str else 'an object'}"
    try:
        want = run_key(rec["params"], rec["budget"])
    except (InputError, KeyError, TypeError, ValueError) as exc:
        return f"its budget is not valid ({exc})"
    if want != rec["key"]:
        return f"key {rec['key'][:20]!r} does not match its parameters and budget (expected {want})"
    return ""


def scan_store(path: str | os.PathLike) -> StoreScan:
    """Read a store line by line; never raises on its content (see the module docstring)."""
    p = Path(path)
    scan = StoreScan()
    if not p.exists():
        return scan
    if p.is_dir():
        raise InputError(f"store {p} is a folder; give a file name", arg="store")
    with p.open("rb") as fh:
        for i, raw in enumerate(fh, start=1):
            complete = raw.endswith(b"\n")
            raw = raw[:-1] if complete else raw
            if not raw.strip():
                continue
            _scan_line(scan, i, raw, complete)
    return scan


def _scan_line(scan: StoreScan, i: int, raw: bytes, complete: bool) -> None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        scan.problems.append(StoreProblem(i, f"not valid UTF-8 (byte {exc.start})", raw))
        return
    try:
        rec = json.loads(text)
    except (ValueError, RecursionError) as exc:   # JSONDecodeError is a ValueError
        detail = (f"{exc.msg} at column {exc.colno}" if isinstance(exc, json.JSONDecodeError)
                  else type(exc).__name__)
        why = ("incomplete last line (a run was interrupted while writing it)" if not complete
               else f"not valid JSON ({detail})")
        scan.problems.append(StoreProblem(i, why, raw))
        return
    why = _check_record(rec)
    if why:
        scan.problems.append(StoreProblem(i, why, raw))
        return
    scan.records[rec["key"]] = rec
    scan.good_lines.append(raw)


def read_store(path: str | os.PathLike) -> dict[str, dict]:
    """The usable records of a store, by key (unusable lines are skipped; see :func:`scan_store`)."""
    return scan_store(path).records


def set_aside(path: str | os.PathLike, scan: StoreScan) -> Path | None:
    """Move the unusable lines of ``scan`` to ``STORE.rejected`` and rewrite the store without them.

    The rejected lines are appended byte for byte (one per line); the store is rewritten
    atomically.  Returns the path of the rejected file, or None when nothing was wrong.
    """
    if not scan.problems:
        return None
    p = Path(path)
    rej = p.with_name(p.name + REJECTED_SUFFIX)
    with rej.open("ab") as fh:
        for prob in scan.problems:
            fh.write(prob.raw.rstrip(b"\r") + b"\n")
        fh.flush()
        os.fsync(fh.fileno())
    text = b"".join(line + b"\n" for line in scan.good_lines).decode("utf-8")
    atomic_write_text(p, text)
    return rej


def make_record(params: Mapping[str, Any], budget: Mapping[str, Any], result: Mapping[str, Any]) -> dict:
    """The store record of a finished run."""
    from .grid import normalize_budget

    bud = normalize_budget(budget)
    return {"key": run_key(params, bud), "params": dict(params), "budget": bud,
            "result": {k: v for k, v in result.items() if k != "trajectory"},
            "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def append_record(path: str | os.PathLike, rec: Mapping) -> None:
    """Append one record as a line, flushed and fsynced (a torn earlier line is not glued on)."""
    from ..outcomes import jsonable

    p = Path(path)
    line = json.dumps(jsonable(rec), sort_keys=True, allow_nan=False)
    with p.open("a", encoding="utf-8") as fh:
        if fh.tell() > 0:
            with p.open("rb") as rf:
                rf.seek(-1, os.SEEK_END)
                if rf.read(1) != b"\n":
                    fh.write("\n")
        fh.write(line + "\n")
        fh.flush()
        os.fsync(fh.fileno())
