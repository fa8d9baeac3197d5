"""Replayable counterexamples: save a failing instance as JSON, load it, run it again.

A failure file holds everything needed to rerun one check on one instance::

    {"format": "wnproofs-failure", "version": 1,
     "claim": "L5", "check": "l5.gram_stability",
     "instance": Instance.to_dict(),          # data (exact floats), seed, mode, params
     "result": CheckResult.to_dict(),         # what was observed when it was saved
     "note": "..."}                           # e.g. the Hypothesis test that found it

``wnproofs replay FILE`` (:mod:`wnproofs.cli.replay`) reruns it and exits 1 if it still
fails.  Property tests save their (shrunk) failures into the folder named by the
environment variable ``WNPROOFS_FAILURES_DIR`` (default ``.wnproofs-failures/`` under the
current directory) through :func:`record_failure`.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Mapping

from .io import atomic_write_json
from .plugin import Check, Instance
from .outcomes import CheckResult, Kind, Status
from .registry import checks_for, load_plugins

__all__ = [
    "FORMAT",
    "FAILURES_ENV",
    "DEFAULT_FAILURES_DIR",
    "failures_dir",
    "failure_record",
    "save_failure",
    "load_failure",
    "find_check",
    "replay",
    "record_failure",
    "run_recorded",
    "describe",
]

FORMAT = "wnproofs-failure"
FAILURES_ENV = "WNPROOFS_FAILURES_DIR"
DEFAULT_FAILURES_DIR = ".wnproofs-failures"


def failures_dir() -> Path:
    """The folder for saved failures: ``$WNPROOFS_FAILURES_DIR`` or ``./.wnproofs-failures``."""
    return Path(os.environ.get(FAILURES_ENV) or DEFAULT_FAILURES_DIR)


def failure_record(inst: Instance, result: CheckResult, *, check: str | None = None,
                   note: str = "") -> dict:
    """The JSON-ready record of one failing (instance, check) pair."""
    return {"format": FORMAT, "version": 1, "claim": result.claim,
            "check": check or result.check, "instance": inst.to_dict(),
            "result": result.to_dict(), "note": note}


def _file_name(record: Mapping[str, Any], stable: bool) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in record["check"])
    if stable:
        return f"{record['claim']}-{safe}.json"
    digest = hashlib.sha256(json.dumps(record["instance"], sort_keys=True).encode()).hexdigest()[:12]
    return f"{record['claim']}-{safe}-{digest}.json"


def save_failure(inst: Instance, result: CheckResult, *, folder: str | os.PathLike | None = None,
                 check: str | None = None, note: str = "", stable_name: bool = False) -> Path:
    """Write a failure record atomically and return its path.

    The name is ``{claim}-{check}-{hash of the instance}.json``; with ``stable_name`` it is
    ``{claim}-{check}.json``, overwritten by each later failure of the same check (this is
    how a Hypothesis run keeps only its last, i.e. shrunk, counterexample).
    """
    rec = failure_record(inst, result, check=check, note=note)
    path = Path(folder) if folder is not None else failures_dir()
    return atomic_write_json(path / _file_name(rec, stable_name), rec)


def load_failure(path: str | os.PathLike) -> tuple[Instance, str, str, dict]:
    """Read a failure file: (instance, claim id, check name, the whole record).

    Raises ``ValueError`` (an :class:`~wnproofs.errors.InputError`) on a file that is not
    a wnproofs failure record.
    """
    from .errors import InputError

    p = Path(path)
    if p.is_dir():
        raise InputError(f"{str(p)!r} is a folder, not a failure file", arg="path")
    try:
        rec = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"cannot read failure file {str(p)!r}: no such file", arg="path") from None
    except UnicodeDecodeError:
        raise InputError(f"cannot read failure file {str(p)!r}: not UTF-8 text", arg="path") from None
    except (OSError, ValueError, RecursionError) as exc:   # JSONDecodeError is a ValueError
        text = (str(exc).splitlines() or [type(exc).__name__])[0][:160]
        raise InputError(f"cannot read failure file {str(p)!r}: {text}", arg="path") from None
    if not isinstance(rec, dict) or rec.get("format") != FORMAT:
        raise InputError(f"{str(p)!r} is not a wnproofs failure record (format {FORMAT!r})", arg="path")
    try:
        inst = Instance.from_dict(rec["instance"])
        if not isinstance(inst.params, dict) or not isinstance(rec["claim"], str) \
                or not isinstance(rec["check"], str):
            raise TypeError("claim and check must be strings, params an object")
        return inst, rec["claim"], rec["check"], rec
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        what = f"missing field {exc}" if isinstance(exc, KeyError) else \
            (str(exc).splitlines() or [type(exc).__name__])[0][:160]
        raise InputError(f"failure file {str(p)!r} is malformed: {what}", arg="path") from None


def find_check(claim: str, name: str) -> Check:
    """The registered check ``name`` of ``claim`` (plugins are loaded first)."""
    from .errors import InputError

    load_plugins()
    try:
        found = checks_for(claim)
    except KeyError as exc:
        raise InputError(str(exc).strip("'\"")) from None
    for chk in found:
        if chk.name == name:
            return chk
    raise InputError(f"claim {claim} has no check {name!r}; known: {', '.join(c.name for c in found) or 'none'}")


def replay(path: str | os.PathLike) -> tuple[Instance, CheckResult]:
    """Rerun the check of a failure file on its instance; returns (instance, new result).

    A crash of the check is the status ``error`` (with where it happened), not an exception.
    """
    from .verify import run_safely

    inst, claim, name, _ = load_failure(path)
    return inst, run_safely(find_check(claim, name), inst)


def record_failure(inst: Instance, result: CheckResult, *, check: str | None = None,
                   note: str = "") -> Path | None:
    """Save ``result`` if it is a failure or a crash (stable name, in :func:`failures_dir`); else None."""
    if result.status not in (Status.FAILS, Status.ERROR):
        return None
    return save_failure(inst, result, check=check, note=note, stable_name=True)


def describe(inst: Instance, result: CheckResult, path: Path | None = None) -> str:
    """A multi-line report of a failure: claim, check, seed, parameters, data, file."""
    lines = [f"{result.claim} [{result.check}] {result.status.value}: {result.message}",
             f"  seed = {inst.seed}, mode = {inst.mode}, params = {json.dumps(dict(inst.params), default=str)}",
             f"  data = {inst.data.name} (n = {inst.data.n}, d = {inst.data.d})",
             f"  observed = {result.observed}, bound = {result.bound}, margin = {result.margin}"]
    if path is not None:
        lines.append(f"  saved to {path}; rerun with: wnproofs replay {path}")
    return "\n".join(lines)


def run_recorded(chk: Check, inst: Instance, *, note: str = "") -> CheckResult:
    """Run a check for a property test: on failure save it, print it, and raise AssertionError.

    Hypothesis calls the test again on each smaller failing example while shrinking and
    once more on the final one, so the file left behind (stable name) is the shrunk one.
    An exception inside the check is saved the same way (status ``error``) and re-raised;
    replaying such a file gives ``error`` again.
    """
    try:
        res = chk(inst)
    except Exception as exc:        # a crash is saved too (as an error), then propagates
        crash = CheckResult(chk.claim, Status.ERROR, Kind.IDENTITY, chk.level,
                            message=f"check raised {type(exc).__name__}: {exc}", check=chk.name)
        path = record_failure(inst, crash, check=chk.name, note=note)
        print(describe(inst, crash, path))
        raise
    if res.status is Status.FAILS:
        path = record_failure(inst, res, check=chk.name, note=note)
        msg = describe(inst, res, path)
        print(msg)
        raise AssertionError(msg)
    return res
