"""The runner of a sweep: compute the runs not yet in the store, locally or on Dask.

:func:`run_sweep` reads the store (setting aside and recomputing unusable lines, see
:mod:`wnproofs.sweep.store`), holds the store's lock (a second sweep on the same store
is refused), estimates the memory of the largest run before starting, checks that a
Dask scheduler answers within :data:`SCHEDULER_TIMEOUT` seconds, and appends each run
as it finishes.  A run's cost is bounded by its budget (GD steps, GF evaluations).
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from ..errors import InputError, check_memory
from ..io import output_lock
from .grid import normalize_budget, run_key
from .store import append_record, make_record, scan_store, set_aside

__all__ = ["execute", "run_sweep", "check_scheduler", "run_bytes", "SCHEDULER_TIMEOUT"]

#: Seconds allowed for a Dask scheduler to accept a connection.
SCHEDULER_TIMEOUT = 3.0


def run_bytes(n: int, d: int, m: int) -> float:
    """Estimated peak memory (bytes) of one training run of width m on n points in R^d.

    Measured with tracemalloc for GD and GF on the WN and un-normalized networks (the
    parameters and their gradients, several (m, d) and (n, m) work arrays, the kernels):
    at most about 40 (m, d+1) arrays, 6 (n, m) arrays and 10 (n, n) arrays of float64.
    """
    return 8.0 * (40.0 * m * (d + 1) + 6.0 * n * m + 10.0 * n * n)


def execute(params: Mapping[str, Any], budget: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Run one sweep point (a pure function of its parameters and budget; used locally and by Dask workers)."""
    from ..data import random_sphere
    from ..experiments import theorem_run

    ds = random_sphere(params["n"], params["d"], params["data_seed"])
    return theorem_run(params["claim"], ds.X, ds.y, m=params["m"], seed=params["net_seed"],
                       alpha=params["alpha"], **normalize_budget(budget))


def check_scheduler(address: str, timeout: float = SCHEDULER_TIMEOUT) -> None:
    """Raise :class:`InputError` unless a TCP connection to the scheduler opens within ``timeout`` s."""
    addr = str(address).strip()
    proto, _, rest = addr.rpartition("://") if "://" in addr else ("tcp", "", addr)
    if proto == "inproc":
        return
    if proto not in ("tcp", "tls", "ws", "wss"):
        raise InputError(f"--scheduler {addr}: unsupported protocol {proto!r} (use tcp://HOST:PORT)",
                         arg="scheduler")
    host, sep, port = rest.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise InputError(f"--scheduler {addr}: expected an address like tcp://HOST:PORT", arg="scheduler")
    try:
        with socket.create_connection((host, int(port)), timeout=timeout):
            pass
    except (OSError, UnicodeError) as exc:
        why = "timed out" if isinstance(exc, socket.timeout) else (exc.strerror or str(exc) or type(exc).__name__)
        raise InputError(f"--scheduler {addr}: cannot reach the Dask scheduler within {timeout:g} s "
                         f"({why}); start it (dask scheduler) or leave out --scheduler to run locally",
                         arg="scheduler") from None


def _bar(total: int, initial: int, progress):
    """A progress sink: tqdm when ``progress`` is True, a callable(done, total), or nothing."""
    if callable(progress):
        state = {"done": initial}

        def update(k: int = 1) -> None:
            state["done"] += k
            progress(state["done"], total)

        return update, lambda: None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, initial=initial, desc="sweep", file=sys.stderr, leave=False)
        return bar.update, bar.close
    return (lambda k=1: None), (lambda: None)


def run_sweep(store: str | os.PathLike, runs: Iterable[Mapping[str, Any]], *,
              scheduler: str | None = None, progress: bool | Callable[[int, int], None] = True,
              callback: Callable[[dict], None] | None = None,
              budget: Mapping[str, Any] | None = None,
              runner: Callable[[Mapping[str, Any]], dict] | None = None,
              note: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Run the ``runs`` not yet in ``store``; append each as it finishes (flush + fsync).

    Parameters
    ----------
    store : JSON-lines file; one finished run per line, keyed by :func:`run_key` of its
        parameters and budget.  Runs already there are skipped, so an interrupted sweep
        resumes; unusable lines are reported through ``note``, moved to
        ``STORE.rejected`` and recomputed.
    scheduler : a ``dask.distributed`` scheduler address ("tcp://host:8786"); None runs
        locally (Dask is imported only when an address is given: ``pip install wnproofs[dask]``).
    progress : True for a tqdm bar, a callable ``(done, total)``, or False.
    callback : called with each stored record, after it is on disk (an exception raised
        there stops the sweep; what was stored stays).
    budget : ``max_steps`` (GD) and ``max_evals`` (GF) per run; part of every key.
    runner : the function computing a run (default :func:`execute` with ``budget``).
    note : called with a one-line message for each line set aside.

    Returns
    -------
    {"done": runs computed now, "skipped": runs already stored, "total": len(runs),
    "set_aside": lines set aside, "rejected_file": where they went (or None)}.
    """
    path = Path(store)
    if path.is_dir():
        raise InputError(f"--store {path} is a folder; give a file name", arg="store")
    bud = normalize_budget(budget)
    runs = [dict(r) for r in runs]
    if runs and runner is None:
        big = max(runs, key=lambda r: run_bytes(r["n"], r["d"], r["m"]))
        check_memory(run_bytes(big["n"], big["d"], big["m"]),
                     f"a run at n = {big['n']}, d = {big['d']}, m = {big['m']}",
                     "use a smaller --m (or --n, --d)", arg="m")
    if scheduler is not None:
        check_scheduler(scheduler)      # within a few seconds, before importing dask
        try:
            from dask.distributed import Client, as_completed
        except ImportError:
            raise InputError("--scheduler needs dask.distributed: pip install 'wnproofs[dask]'",
                             arg="scheduler") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    say = note or (lambda text: None)
    with output_lock(path, what="the sweep store"):
        scan = scan_store(path)
        rejected = set_aside(path, scan)
        for prob in scan.problems:
            say(f"{path}: {prob.describe()}; set aside in {rejected} and recomputed")
        have = scan.records
        todo = [r for r in runs if run_key(r, bud) not in have]
        update, close = _bar(len(runs), len(runs) - len(todo), progress)
        done = 0

        def store_one(params, result):
            nonlocal done
            rec = make_record(params, bud, result)
            append_record(path, rec)
            done += 1
            update(1)
            if callback is not None:
                callback(rec)

        try:
            if scheduler is None:
                for p in todo:
                    store_one(p, runner(p) if runner is not None else execute(p, bud))
            else:
                try:
                    client = Client(scheduler, timeout=f"{int(SCHEDULER_TIMEOUT * 3)}s")
                except (OSError, TimeoutError) as exc:
                    raise InputError(f"--scheduler {scheduler}: could not connect a Dask client ({exc})",
                                     arg="scheduler") from None
                with client:
                    futs = {}
                    for p in todo:
                        f = client.submit(runner, p, pure=False) if runner is not None else \
                            client.submit(execute, p, bud, pure=False)
                        futs[f] = p
                    for fut in as_completed(futs):
                        store_one(futs[fut], fut.result())
        finally:
            close()
    return {"done": done, "skipped": len(runs) - len(todo), "total": len(runs),
            "set_aside": len(scan.problems), "rejected_file": str(rejected) if rejected else None}
