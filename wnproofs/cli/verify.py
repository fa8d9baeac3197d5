"""`wnproofs verify`: run every registered check and print the verdict per claim.

With ``--out DIR`` it also writes the verification report (:mod:`wnproofs.report`):
``index.html``, ``report.md``, ``appendix.tex``, ``results.json`` and ``figures/``, all
at once or not at all.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from ..errors import InputError
from ..io import atomic_write_json
from ..outcomes import Status
from ..registry import all_checks, claims, load_plugins
from ..verify import run_verification
from ._common import add_data_argument, add_plugin_argument, fmt_num, load_data, progress_bar, table


def register(sub) -> None:
    p = sub.add_parser("verify", help="run every claim's checks; exit 1 if any claim fails",
                       description="Run every registered check on the built-in instances "
                                   "(seeded random sphere data + adversarial data) or on --data.")
    add_data_argument(p)
    p.add_argument("--seed", type=int, default=0, help="master seed (default 0)")
    p.add_argument("--json", metavar="PATH", help="write the results as JSON (atomically)")
    p.add_argument("--claims", nargs="+", metavar="ID", help="only these claim ids")
    p.add_argument("--out", metavar="DIR",
                   help="write the report (index.html, report.md, appendix.tex, results.json, "
                        "figures/) to DIR, atomically; DIR must be new, empty or an earlier report")
    p.add_argument("--no-figures", action="store_true", help="with --out: do not draw figures")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--quick", dest="mode", action="store_const", const="quick",
                      help="small instances (default)")
    mode.add_argument("--full", dest="mode", action="store_const", const="full",
                      help="larger instances and the slow sweeps")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_plugin_argument(p)
    p.set_defaults(func=run, mode="quick")


def command_line(args) -> str:
    """The `wnproofs verify` command that reproduces this run (recorded in the report)."""
    parts = ["wnproofs", "verify", f"--{args.mode}", "--seed", str(args.seed)]
    if getattr(args, "data", None):
        parts += ["--data", args.data] + (["--normalize"] if args.normalize else [])
    for spec in getattr(args, "plugin", None) or []:
        parts += ["--plugin", spec]
    if args.claims:
        parts += ["--claims", *args.claims]
    if getattr(args, "no_figures", False):
        parts.append("--no-figures")
    if args.out:
        parts += ["--out", args.out]
    return shlex.join(parts)


def _check_claim_ids(ids) -> None:
    known = [c.id for c in claims()]
    bad = [i for i in ids or [] if i not in known]
    if bad:
        raise InputError(f"unknown claim id(s) {', '.join(bad)}; known: {', '.join(known)}")


def run(args) -> int:
    data = load_data(args)
    load_plugins()
    ids = args.claims
    _check_claim_ids(ids)
    if args.out:
        from ..report import check_target

        check_target(Path(args.out))  # refuse a foreign folder before the long run
    active = [c for c in all_checks()
              if (not ids or c.claim in ids) and (args.mode == "full" or not c.slow)]
    n_inst = 1 if data is not None else 2
    # one step per check and data set, plus one per claim for its property sweep
    n_sweeps = len({c.claim for c in active if c.level.value in ("numeric", "certified", "property")})
    bar = progress_bar(len(active) * n_inst + n_sweeps, "verify",
                       enabled=not args.no_progress and sys.stderr.isatty())
    try:
        def progress(label: str) -> None:
            bar.set_postfix_str(label[:40])
            bar.update(1)

        res = run_verification(seed=args.seed, mode=args.mode, data=data, claim_ids=ids,
                               progress=progress)
    finally:
        bar.close()
    rows = []
    for o in res.outcomes:
        stmt = o.claim.title
        rows.append([o.claim.id, stmt, ",".join(o.levels) or "-", o.status.value, fmt_num(o.margin)])
    print(table(rows, ["id", "claim", "levels", "status", "margin"]))
    counts = {s: sum(o.status is s for o in res.outcomes) for s in Status}
    summary = ", ".join(f"{v} {k.value}" for k, v in counts.items() if v)
    print(f"\n{summary}  (seed {res.seed}, {res.mode} mode, {res.seconds:.1f} s)")
    for o in res.outcomes:
        for r in o.results:
            if r.status is Status.FAILS:
                print(f"FAIL {r.claim} [{r.check}]: {r.message}", file=sys.stderr)
    if args.json:
        atomic_write_json(args.json, res.to_dict())
        print(f"results written to {args.json}")
    if args.out:
        from ..report import REPORT_STAGES, write_report

        rbar = progress_bar(len(REPORT_STAGES), "report",
                            enabled=not args.no_progress and sys.stderr.isatty())
        try:
            def stage(label: str) -> None:
                rbar.set_postfix_str(label)
                rbar.update(1)

            write_report(res, args.out, figures=not args.no_figures,
                         command=command_line(args), progress=stage)
        finally:
            rbar.close()
        print(f"report written to {args.out}/index.html")
    return 0 if res.ok else 1
