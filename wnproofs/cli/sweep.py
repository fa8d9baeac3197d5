"""`wnproofs sweep`: a resumable sweep of theorem runs over (n, d, m, α, seed)."""

from __future__ import annotations

import sys

from ..sweep.grid import DEFAULT_BUDGET, LIMITS
from ._common import Progress, alpha_arg, check_output_file, int_arg, note, seed_arg

#: The theorem variants a sweep can run (wnproofs.sweep.SPECS).
THEOREMS = ("C1", "C1-GF", "T1", "T2", "T3", "T4")
#: Most runs one sweep may hold (each is bounded by its budget).
MAX_RUNS = 100_000


def _theorem(text: str) -> str:
    """A theorem id, case-insensitive."""
    import argparse

    for t in THEOREMS:
        if t.upper() == text.strip().upper():
            return t
    raise argparse.ArgumentTypeError(f"unknown theorem {text!r}; one of {', '.join(THEOREMS)}")


def register(sub) -> None:
    p = sub.add_parser("sweep", help="sweep theorem runs over (n, d, m, α, seed) into a resumable store",
                       description="Train one network per grid point and record whether the theorem's "
                                   "conclusion held (T1-T4, C1, C1-GF).  Finished runs are appended to "
                                   "--store (JSON lines, fsynced); rerunning skips them.  Lines of the "
                                   "store that cannot be used are set aside in STORE.rejected and "
                                   "recomputed.  Each run is bounded by --max-steps / --max-evals, "
                                   "which are part of its key.")
    p.add_argument("--store", required=True, metavar="PATH", help="JSON-lines store (created or resumed)")
    p.add_argument("--claims", nargs="+", default=["T1"], type=_theorem, metavar="ID",
                   help=f"theorems, of {', '.join(THEOREMS)} (default T1)")
    p.add_argument("--n", nargs="+", type=int_arg(*LIMITS["n"]), default=[8], help="numbers of points (default 8)")
    p.add_argument("--d", nargs="+", type=int_arg(*LIMITS["d"]), default=[5], help="input dimensions (default 5)")
    p.add_argument("--m", nargs="+", type=int_arg(*LIMITS["m"]), default=[256], help="widths (default 256)")
    p.add_argument("--alpha", nargs="+", type=alpha_arg, default=None,
                   help="scales α in [1e-8, 1e8] (default: the theorem's, 0.5 for T1/T3, 2 for T2/T4)")
    p.add_argument("--seeds", type=int_arg(*LIMITS["seeds"]), default=2,
                   help="seeds per grid point (SeedSequence.spawn)")
    p.add_argument("--seed", type=seed_arg, default=0, help="master seed (default 0)")
    p.add_argument("--scheduler", metavar="ADDR",
                   help="dask.distributed scheduler address, e.g. tcp://host:8786 (must answer within 3 s)")
    p.add_argument("--max-steps", type=int_arg(*LIMITS["max_steps"]), default=DEFAULT_BUDGET["max_steps"],
                   help=f"GD step budget per run (default {DEFAULT_BUDGET['max_steps']})")
    p.add_argument("--max-evals", type=int_arg(*LIMITS["max_evals"]), default=DEFAULT_BUDGET["max_evals"],
                   help=f"GF evaluation budget per run (default {DEFAULT_BUDGET['max_evals']})")
    p.add_argument("--no-progress", action="store_true", help="no progress output")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..errors import InputError, check_memory
    from ..sweep import check_scheduler, read_store, run_bytes, run_sweep, sweep_grid

    store_path = check_output_file(args.store, "--store")
    size = len(args.claims) * len(args.n) * len(args.d) * len(args.m) * len(args.alpha or [None]) * args.seeds
    if size > MAX_RUNS:
        raise InputError(f"the grid has {size} runs; at most {MAX_RUNS} per sweep (fewer --seeds or values)")
    runs = sweep_grid(claims=args.claims, n=args.n, d=args.d, m=args.m,
                      alpha=args.alpha if args.alpha else [None], seeds=args.seeds, seed=args.seed)
    big = max(runs, key=lambda r: run_bytes(r["n"], r["d"], r["m"]))
    check_memory(run_bytes(big["n"], big["d"], big["m"]),
                 f"a run at n = {big['n']}, d = {big['d']}, m = {big['m']}", "use a smaller --m (or --n, --d)")
    if args.scheduler is not None:
        check_scheduler(args.scheduler)
    with Progress(len(runs), "sweep", enabled=not args.no_progress) as bar:
        summary = run_sweep(store_path, runs, scheduler=args.scheduler,
                            progress=lambda done, total: bar.set(done, total),
                            budget={"max_steps": args.max_steps, "max_evals": args.max_evals}, note=note)
    store = read_store(store_path)
    held = sum(1 for r in store.values() if r["result"].get("held") is True)
    failed = sum(1 for r in store.values() if r["result"].get("held") is False)
    aside = (f"; {summary['set_aside']} unusable line(s) set aside in {summary['rejected_file']}"
             if summary["set_aside"] else "")
    print(f"{summary['done']} run(s) computed, {summary['skipped']} already in {store_path}; "
          f"store holds {len(store)}: {held} held, {failed} not held, "
          f"{len(store) - held - failed} not testable{aside}")
    sys.stdout.flush()
    return 0
