"""`wnproofs derive`: run the SymPy derivations and (re)generate their reports."""

from __future__ import annotations

import sys

from ..derive import collect_results, default_report_dir, render_reports, stale_files, write_reports
from ._common import check_output_dir, table


def register(sub) -> None:
    p = sub.add_parser("derive", help="run the symbolic derivations and regenerate derivations/reports",
                       description="Run every registered SymPy derivation (claims D1-D8, L3, L4, ...) and "
                                   "write one Markdown and one LaTeX report per topic plus index.md. "
                                   "Exit 1 if a step failed (or, with --check, if the reports are stale).")
    p.add_argument("--out", metavar="DIR",
                   help="report folder (default: derivations/reports); it is replaced atomically and "
                        "must hold only .md/.tex files")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 if the reports in DIR differ from freshly generated ones "
                        "(timing lines ignored)")
    p.set_defaults(func=run)


def run(args) -> int:
    if args.out is not None:
        check_output_dir(args.out, "--out")   # before the derivations run
    results = collect_results()
    rows = []
    for r in results:
        c = r.counts()
        rows.append([", ".join(r.claims), r.name, r.verdict.value,
                     f"{c['proved']}/{len(r.steps)}", f"{r.seconds:.2f}"])
    print(table(rows, ["claims", "derivation", "verdict", "proved", "seconds"]))
    files = render_reports(results)
    out = args.out or default_report_dir()
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
        write_reports(out, files)
        print(f"{len(files)} report files written to {out}")
    return 1 if failed else 0
