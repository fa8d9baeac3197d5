"""`wnproofs derive`: run the SymPy derivations and (re)generate their reports."""

from __future__ import annotations

import sys

from ..derive import (SIDECAR, collect_results, default_report_dir, run_record, stale_files,
                      write_reports)
from ..report.derivations import render_reports
from ._common import add_plugin_argument, check_output_dir, table


def register(sub) -> None:
    p = sub.add_parser("derive", help="run the symbolic derivations and regenerate derivations/reports",
                       description="Run every registered SymPy derivation (claims D1-D8, L3, L4, ...) and "
                                   "write one Markdown and one LaTeX report per topic plus index.md into "
                                   "derivations/reports of the source checkout (or --out DIR; an installed "
                                   "package is never written to). Timings and versions go to "
                                   f"{SIDECAR} beside the reports, not into them. Exit 1 if a step "
                                   "failed (or, with --check, if the reports are stale).")
    p.add_argument("--out", metavar="DIR",
                   help="report folder (default: derivations/reports of the source checkout); it is "
                        "replaced atomically and must hold only .md/.tex files")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 if the reports in DIR differ from freshly generated ones "
                        "(measured float errors ignored)")
    add_plugin_argument(p)
    p.set_defaults(func=run)


def run(args) -> int:
    if args.out is not None:
        check_output_dir(args.out, "--out")   # before the derivations run
    out = args.out or default_report_dir()  # InputError (exit 2) outside a checkout
    results = collect_results()
    rows = []
    for r in results:
        c = r.counts()
        rows.append([", ".join(r.claims), r.name, r.verdict.value,
                     f"{c['proved']}/{len(r.steps)}", f"{r.seconds:.2f}"])
    print(table(rows, ["claims", "derivation", "verdict", "proved", "seconds"]))
    files = render_reports(results)
    failed = [r.name for r in results if r.verdict.value == "failed"]
    for name in failed:
        print(f"FAIL derivation {name}", file=sys.stderr)
    if args.check:
        stale = stale_files(out, files)
        if stale:
            print(f"stale reports in {out}: {', '.join(stale)} (run `wnproofs derive`)", file=sys.stderr)
            return 1
        print(f"reports in {out} are up to date")
    else:
        write_reports(out, files, run_record(results))
        print(f"{len(files)} report files written to {out} (run record: {SIDECAR})")
    return 1 if failed else 0
