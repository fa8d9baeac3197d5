"""`wnproofs check ID... --instances N --seed S`: run chosen checks on random instances."""

from __future__ import annotations

import sys

from ..outcomes import Status, combine
from ._common import Progress, add_plugin_argument, fmt_num, int_arg, one_line, resolve_claim_ids, seed_arg, table

#: Most random instances one call may run (each costs up to a few seconds per check).
MAX_INSTANCES = 10_000


def register(sub) -> None:
    p = sub.add_parser("check", help="run chosen checks on N random instances",
                       description="Run the checks of the given claims on N random instances; a failing "
                                   "instance is saved for `wnproofs replay`.  Exit 0 ok, 1 a check failed, "
                                   "2 bad input, 3 a check crashed.")
    p.add_argument("ids", nargs="+", metavar="ID", help="claim ids, e.g. D1 L5 (case-insensitive)")
    p.add_argument("--instances", type=int_arg(1, MAX_INSTANCES), default=20,
                   help=f"number of random instances (1 to {MAX_INSTANCES}, default 20)")
    p.add_argument("--seed", type=seed_arg, default=0, help="master seed (default 0)")
    p.add_argument("--full", action="store_const", const="full", default="quick", dest="mode")
    add_plugin_argument(p)
    p.add_argument("--no-progress", action="store_true", help="no progress output")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..replay import save_failure
    from ..verify import run_check_instances

    ids = resolve_claim_ids(args.ids, "ID")
    n = args.instances
    with Progress(n, "instances", enabled=not args.no_progress) as bar:
        out = run_check_instances(ids, n, args.seed, args.mode, progress=lambda i: bar.update(1))
    rows, failed, errored = [], False, False
    for cid, pairs in out.items():
        results = [r for _, r in pairs]
        status, margin = combine(results)
        counts = {s: sum(r.status is s for r in results) for s in Status}
        rows.append([cid, str(len(results)), str(counts[Status.HOLDS]), str(counts[Status.FAILS]),
                     str(counts[Status.INCONCLUSIVE]), str(counts[Status.HYPOTHESIS_NOT_MET]),
                     str(counts[Status.ERROR]), status.value, fmt_num(margin)])
        for inst, r in pairs:
            if r.status in (Status.FAILS, Status.ERROR):
                failed |= r.status is Status.FAILS
                errored |= r.status is Status.ERROR
                path = save_failure(inst, r, check=r.check)
                word = "FAIL" if r.status is Status.FAILS else "ERROR"
                print(f"{word} {cid} [{r.check}] instance seed={inst.seed} data={inst.data.name}: "
                      f"{one_line(r.message)}; saved to {path}; rerun with: wnproofs replay {path}",
                      file=sys.stderr)
    print(table(rows, ["id", "runs", "holds", "fails", "inconcl.", "hyp. not met", "error", "status",
                       "min margin"]))
    return 3 if errored else 1 if failed else 0
