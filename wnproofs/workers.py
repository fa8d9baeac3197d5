"""Run independent units of work on a pool of processes, results in submission order.

`wnproofs verify` splits its work into units (one check on one instance, one random instance
of a claim's property sweep, one derivation) that share nothing: each draws its randomness
from its own seed (:meth:`wnproofs.plugin.Instance.rng`) and never from a generator another
unit advanced.  So the results do not depend on which process ran a unit, in which order, or
on how many processes there were: ``jobs`` changes the wall time, never a number.  The BLAS
inside each worker is limited to ``cpu_count // jobs`` threads (at least one).

Workers are forked (they inherit the registry, so checks loaded with ``--plugin`` are
there); where ``fork`` is unavailable the units run in this process.  Workers ignore SIGINT:
an interrupt reaches the parent, which cancels what has not started and stops the workers.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import warnings
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any, Callable, Sequence, TypeVar

__all__ = ["default_jobs", "run_units"]

U = TypeVar("U")

#: progress(done, total, label): called in the parent after each unit
ProgressFn = Callable[[int, int, str], None]


def default_jobs() -> int:
    """The processes `wnproofs verify` uses by default: the CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _init_worker(blas_threads: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # the parent handles interrupts
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=blas_threads)       # for the worker's lifetime
    except Exception:  # pragma: no cover - threadpoolctl is a dependency; never fatal
        pass


def _fork_context():
    try:
        return multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - platforms without fork
        return None


def run_units(fn: Callable[[U], Any], units: Sequence[U], *, jobs: int = 1,
              labels: Sequence[str] | None = None, order: Sequence[int] | None = None,
              progress: ProgressFn | None = None) -> list:
    """``[fn(u) for u in units]``, computed by ``jobs`` processes.

    Parameters
    ----------
    fn : a module-level function (it is sent to the workers by reference); it must not
        raise for an expected failure (the callers wrap checks in ``run_safely``).
    units : picklable arguments.
    jobs : processes; 1 (or a platform without ``fork``) runs everything here, in order.
    labels : a short label per unit for ``progress``.
    order : the order in which units are started (e.g. the longest first); results are
        returned in the order of ``units`` whatever the start order.
    progress : ``progress(done, total, label)`` after each unit finishes.
    """
    n = len(units)
    labels = list(labels) if labels is not None else [""] * n
    start = list(order) if order is not None else list(range(n))
    if sorted(start) != list(range(n)):
        raise ValueError("order must be a permutation of the unit indices")
    out: list = [None] * n
    ctx = _fork_context() if jobs > 1 and n > 1 else None
    if ctx is None:
        for done, i in enumerate(start, 1):
            out[i] = fn(units[i])
            if progress:
                progress(done, n, labels[i])
        return out
    workers = min(int(jobs), n)
    blas = max(1, default_jobs() // workers)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                               initargs=(blas,))
    try:
        with warnings.catch_warnings():
            # Python ≥ 3.12 warns that forking a multi-threaded process (here: the progress
            # printer's thread) may deadlock the child; the children never touch that thread's
            # locks (they only run ``fn`` and return), so the warning does not apply.
            warnings.filterwarnings("ignore", message=".*use of fork\\(\\) may lead to deadlocks.*",
                                    category=DeprecationWarning)
            futures = {pool.submit(fn, units[i]): i for i in start}
        pending, done_count = set(futures), 0
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in sorted(finished, key=futures.__getitem__):
                i = futures[fut]
                out[i] = fut.result()
                done_count += 1
                if progress:
                    progress(done_count, n, labels[i])
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)
    return out


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the workers now (on an interrupt or an error)."""
    procs = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        if p.is_alive():
            p.terminate()
    for p in procs:
        p.join(timeout=5)
