"""`wnproofs sweep`: a resumable sweep of theorem runs over (n, d, m, α, seed)."""

from __future__ import annotations

import sys

from ..errors import InputError
from ..sweep import SPECS, read_store, run_sweep, sweep_grid


def register(sub) -> None:
    p = sub.add_parser("sweep", help="sweep theorem runs over (n, d, m, α, seed) into a resumable store",
                       description="Train one network per grid point and record whether the theorem's "
                                   "conclusion held (T1-T4, C1, C1-GF).  Finished runs are appended to "
                                   "--store (JSON lines, fsynced); rerunning skips them.")
    p.add_argument("--store", required=True, metavar="PATH", help="JSON-lines store (created or resumed)")
    p.add_argument("--claims", nargs="+", default=["T1"], choices=sorted(SPECS), help="theorems (default T1)")
    p.add_argument("--n", nargs="+", type=int, default=[8], help="numbers of points (default 8)")
    p.add_argument("--d", nargs="+", type=int, default=[5], help="input dimensions (default 5)")
    p.add_argument("--m", nargs="+", type=int, default=[256], help="widths (default 256)")
    p.add_argument("--alpha", nargs="+", type=float, default=None,
                   help="scales α (default: the theorem's, 0.5 for T1/T3, 2 for T2/T4)")
    p.add_argument("--seeds", type=int, default=2, help="seeds per grid point (SeedSequence.spawn)")
    p.add_argument("--seed", type=int, default=0, help="master seed (default 0)")
    p.add_argument("--scheduler", metavar="ADDR", help="dask.distributed scheduler address (optional)")
    p.add_argument("--max-steps", type=int, default=4000, help="GD step budget per run")
    p.add_argument("--max-evals", type=int, default=20000, help="GF evaluation budget per run")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def run(args) -> int:
    if args.seeds < 1:
        raise InputError("--seeds must be >= 1")
    runs = sweep_grid(claims=args.claims, n=args.n, d=args.d, m=args.m,
                      alpha=args.alpha if args.alpha else [None], seeds=args.seeds, seed=args.seed)
    summary = run_sweep(args.store, runs, scheduler=args.scheduler,
                        progress=not args.no_progress and sys.stderr.isatty(),
                        budget={"max_steps": args.max_steps, "max_evals": args.max_evals})
    store = read_store(args.store)
    held = sum(1 for r in store.values() if r["result"].get("held") is True)
    failed = sum(1 for r in store.values() if r["result"].get("held") is False)
    print(f"{summary['done']} run(s) computed, {summary['skipped']} already in {args.store}; "
          f"store holds {len(store)}: {held} held, {failed} not held, {len(store) - held - failed} not testable")
    return 0
