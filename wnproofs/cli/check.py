"""`wnproofs check ID... --instances N --seed S`: run chosen checks on random instances."""

from __future__ import annotations

import sys

from ..errors import check_positive_int
from ..outcomes import Status, combine
from ..registry import load_plugins
from ..replay import save_failure
from ..verify import run_check_instances
from ._common import add_plugin_argument, fmt_num, progress_bar, table


def register(sub) -> None:
    p = sub.add_parser("check", help="run chosen checks on N random instances")
    p.add_argument("ids", nargs="+", metavar="ID", help="claim ids, e.g. D1 L5")
    p.add_argument("--instances", type=int, default=20, help="number of random instances")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--full", action="store_const", const="full", default="quick", dest="mode")
    add_plugin_argument(p)
    p.set_defaults(func=run)


def run(args) -> int:
    load_plugins()
    n = check_positive_int(args.instances, "--instances")
    bar = progress_bar(n, "instances", enabled=sys.stderr.isatty())
    try:
        out = run_check_instances(args.ids, n, args.seed, args.mode, progress=lambda i: bar.update(1))
    finally:
        bar.close()
    rows, ok = [], True
    for cid, pairs in out.items():
        results = [r for _, r in pairs]
        status, margin = combine(results)
        counts = {s: sum(r.status is s for r in results) for s in Status}
        rows.append([cid, str(len(results)), str(counts[Status.HOLDS]), str(counts[Status.FAILS]),
                     str(counts[Status.INCONCLUSIVE]), str(counts[Status.HYPOTHESIS_NOT_MET]),
                     status.value, fmt_num(margin)])
        for i, (inst, r) in enumerate(pairs):
            if r.status is Status.FAILS:
                ok = False
                path = save_failure(inst, r, check=r.check)
                print(f"FAIL {cid} [{r.check}] instance seed={inst.seed} data={inst.data.name}: "
                      f"{r.message}\n  saved to {path}; rerun with: wnproofs replay {path}",
                      file=sys.stderr)
    print(table(rows, ["id", "runs", "holds", "fails", "inconcl.", "hyp. not met", "status", "min margin"]))
    return 0 if ok else 1
