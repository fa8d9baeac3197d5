"""`wnproofs verify`: run every registered check and print the verdict per claim."""

from __future__ import annotations

import sys

from ..io import atomic_write_json
from ..registry import Status, all_checks, load_plugins
from ..verify import run_verification
from ._common import add_data_argument, fmt_num, load_data, progress_bar, table


def register(sub) -> None:
    p = sub.add_parser("verify", help="run every claim's checks; exit 1 if any claim fails",
                       description="Run every registered check on the built-in instances "
                                   "(seeded random sphere data + adversarial data) or on --data.")
    add_data_argument(p)
    p.add_argument("--seed", type=int, default=0, help="master seed (default 0)")
    p.add_argument("--json", metavar="PATH", help="write the results as JSON (atomically)")
    p.add_argument("--claims", nargs="+", metavar="ID", help="only these claim ids")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--quick", dest="mode", action="store_const", const="quick",
                      help="small instances (default)")
    mode.add_argument("--full", dest="mode", action="store_const", const="full",
                      help="larger instances and the slow sweeps")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run, mode="quick")


def run(args) -> int:
    data = load_data(args)
    load_plugins()
    ids = args.claims
    n_checks = sum(1 for c in all_checks() if (not ids or c.claim in ids))
    n_inst = 1 if data is not None else 2
    bar = progress_bar(n_checks * n_inst, "verify", enabled=not args.no_progress and sys.stderr.isatty())
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
    return 0 if res.ok else 1
