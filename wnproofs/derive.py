"""Run the registered SymPy derivations and write their reports (``wnproofs derive``).

The toolkit the derivations are written with (Step, Verdict, decide_zero, ...) is
:mod:`wnproofs.symbolic`; the Markdown/LaTeX of the reports is rendered by
:mod:`wnproofs.report.derivations` (the command line composes the two).  This module:

* :func:`collect_results` runs every registered derivation (cached per process);
* :func:`default_report_dir` finds ``derivations/reports`` of a *source checkout* (the
  current folder, else the checkout the derivations were loaded from), never a folder
  inside an installed package: outside a checkout the caller must name ``--out``;
* :func:`write_reports` replaces the report folder atomically, with the run's timings and
  library versions in a sidecar (:data:`SIDECAR`, git-ignored), so the committed reports
  change only when a derivation changes and ``wnproofs derive`` twice leaves ``git status``
  clean; :func:`stale_files` is ``derive --check``.
"""

from __future__ import annotations

import json
import platform
import re
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from .errors import InputError
from .io import atomic_directory, atomic_write_text
from .symbolic import DerivationFn, DerivationResult

__all__ = ["SIDECAR", "collect_results", "default_report_dir", "source_checkout", "run_record",
           "write_reports", "stale_files", "mask_volatile"]

#: The run record beside the reports: timings and versions (never committed).
SIDECAR = ".derive-run.json"

#: What a report folder may hold: reports and the run record.
_REPORT_SUFFIXES = (".md", ".tex")


def collect_results(names: Iterable[str] | None = None) -> list[DerivationResult]:
    """Run (cached) every registered :class:`~wnproofs.symbolic.DerivationFn`, in claim order."""
    from .registry import all_derivations, claims

    order = {c.id: i for i, c in enumerate(claims())}
    ders = [d for d in all_derivations() if isinstance(d.fn, DerivationFn)]
    if names is not None:
        wanted = set(names)
        ders = [d for d in ders if d.name in wanted]
    ders.sort(key=lambda d: (min(order.get(c, 99) for c in d.claims), d.name))
    return [d.fn() for d in ders]


def source_checkout(start: Path) -> Path | None:
    """The wnproofs source checkout at ``start`` (a folder with ``pyproject.toml`` naming
    wnproofs, ``wnproofs/`` and ``derivations/``), or None."""
    root = Path(start).resolve()
    py = root / "pyproject.toml"
    if not (py.is_file() and (root / "wnproofs").is_dir() and (root / "derivations").is_dir()):
        return None
    if not re.search(r'^name\s*=\s*"wnproofs"', py.read_text(encoding="utf-8"), re.M):
        return None
    return root


def default_report_dir(cwd: Path | None = None) -> Path:
    """``derivations/reports`` of a source checkout: the current folder's, else the one
    the derivations were imported from.

    Raises
    ------
    InputError
        When neither is a source checkout (an installed package): the reports are not
        written into site-packages; name a folder with ``--out``.
    """
    root = source_checkout(cwd or Path.cwd())
    if root is None:
        from .registry import import_plugin_package

        pkg = import_plugin_package("wnproofs.derivations")
        root = source_checkout(Path(pkg.__path__[0]).parent)
    if root is None:
        raise InputError("not in a wnproofs source checkout: the derivation reports are not written "
                         "into the installed package; choose a folder with --out DIR")
    return root / "derivations" / "reports"


def run_record(results: Sequence[DerivationResult]) -> dict:
    """What changes from run to run: time per derivation and the library versions."""
    import mpmath
    import sympy

    from . import __version__

    return {"wnproofs": __version__, "python": platform.python_version(), "sympy": sympy.__version__,
            "mpmath": mpmath.__version__,
            "derivations": {r.name: {"seconds": round(r.seconds, 3), "verdict": r.verdict.value}
                            for r in results}}


def write_reports(out: str | Path, files: Mapping[str, str], run: Mapping | None = None) -> Path:
    """Replace folder ``out`` by exactly ``files`` (plus the run record), atomically.

    Refuses (``InputError``) when ``out`` holds anything other than ``.md``/``.tex`` files
    and the run record, so a mistyped ``--out`` cannot wipe an unrelated folder.
    """
    out = Path(out)
    if out.exists():
        if not out.is_dir():
            raise InputError(f"--out {out} exists and is not a folder")
        foreign = [p.name for p in out.iterdir()
                   if not p.name.endswith(_REPORT_SUFFIXES) and p.name != SIDECAR]
        if foreign:
            raise InputError(f"--out {out} holds files that are not reports ({', '.join(sorted(foreign)[:5])}); "
                             "choose an empty or report-only folder")
    with atomic_directory(out) as tmp:
        for name, text in files.items():
            atomic_write_text(tmp / name, text)
        if run is not None:
            atomic_write_text(tmp / SIDECAR, json.dumps(run, indent=2, sort_keys=True) + "\n")
        tmp.chmod(0o755)
    return out


#: Numbers that depend on the machine (float64 rounding in BLAS), masked by --check.
_VOLATILE = (re.compile(r"(measured max error )[-+0-9.einfa]+"),)


def mask_volatile(text: str) -> str:
    """Mask the measured float64 errors (they vary by machine) before comparing."""
    for rx in _VOLATILE:
        text = rx.sub(r"\1<masked>", text)
    return text


def stale_files(out: str | Path, files: Mapping[str, str]) -> list[str]:
    """Names of report files in ``out`` that differ from ``files`` (measured errors masked),
    are missing, or are left over."""
    out = Path(out)
    stale = []
    for name, text in files.items():
        p = out / name
        if not p.is_file() or mask_volatile(p.read_text(encoding="utf-8")) != mask_volatile(text):
            stale.append(name)
    if out.is_dir():
        stale += sorted(p.name for p in out.iterdir()
                        if p.name.endswith(_REPORT_SUFFIXES) and p.name not in files)
    return stale
