"""Verdicts that do not depend on the thread count: BLAS limited to one thread inside a computation,
and the thread pool that runs the blocks of neurons of :mod:`wnproofs.relu`.

A multithreaded BLAS may split a reduction (a dot product over the m neurons, a Gram
matrix Σ_k a_k a_kᵀ) differently with 1 and with 2 threads, which changes the last bits of
a residual or a margin.  Functions whose result is a verdict (the theorem runs, the scaling
fits) run under :func:`one_blas_thread`, so the same seed and budget give bit-identical
numbers for any ``OPENBLAS_NUM_THREADS``.  The limit is scoped (restored on exit) via
threadpoolctl.  It also avoids the slowness of threaded BLAS on tiny inner dimensions
(n ≤ 2 rows against 10⁶ neurons) on a loaded machine.

The gradient of the ReLU layer (:func:`wnproofs.relu.backprop`) takes its parallelism from
Python threads instead: each thread runs a fixed, contiguous range of blocks of neurons with
BLAS at one thread (:func:`single_blas`, :func:`run_ranges`), and the blocks' partial sums
are combined in block order by the calling thread, so the thread count never changes a
number.  :func:`resolve_threads` gives the thread count a computation uses when the caller
does not choose one (:func:`default_threads`).
"""

from __future__ import annotations

import contextvars
import functools
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence, TypeVar

__all__ = ["one_blas_thread", "deterministic_blas", "blas_threads", "default_threads",
           "resolve_threads", "use_threads", "single_blas", "run_ranges", "split_ranges", "scratch",
           "SCRATCH_KEEP_BYTES"]

F = TypeVar("F", bound=Callable)

#: The BLAS thread count in force where :func:`one_blas_thread` was entered (None outside).
_OUTER_BLAS: contextvars.ContextVar[int | None] = contextvars.ContextVar("wnproofs_outer_blas", default=None)
#: The thread count chosen by an enclosing :func:`use_threads` (None: none chosen).
_CHOSEN: contextvars.ContextVar[int | None] = contextvars.ContextVar("wnproofs_threads", default=None)


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Limit BLAS to one thread inside the block (restored afterwards).

    The BLAS thread count in force before the limit is remembered for :func:`default_threads`:
    the block-parallel gradient inside a verdict function still uses the configured cores
    (its numbers do not depend on the thread count)."""
    from threadpoolctl import threadpool_limits

    token = _OUTER_BLAS.set(default_threads())
    try:
        with threadpool_limits(limits=1, user_api="blas"):
            yield
    finally:
        _OUTER_BLAS.reset(token)


def deterministic_blas(fn: F) -> F:
    """Decorator: run ``fn`` under :func:`one_blas_thread`."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with one_blas_thread():
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


# -- BLAS thread control without threadpoolctl's per-call library scan ----------------------

_LIBS_LOCK = threading.Lock()
_LIBS: list | None = None
_SINGLE_DEPTH = 0
_SINGLE_SAVED: list[int] = []


def _blas_libs() -> list:
    """threadpoolctl's controllers of the loaded BLAS libraries, found once (numpy's BLAS is
    loaded by the time the first block-parallel computation runs)."""
    global _LIBS
    if _LIBS is None:
        with _LIBS_LOCK:
            if _LIBS is None:
                try:
                    import numpy  # noqa: F401  (its BLAS must be loaded before the scan)
                    from threadpoolctl import ThreadpoolController

                    _LIBS = list(ThreadpoolController().select(user_api="blas").lib_controllers)
                except Exception:  # pragma: no cover - threadpoolctl missing or broken
                    _LIBS = []
    return _LIBS


def blas_threads() -> int | None:
    """The thread count of the loaded BLAS now (the largest over the libraries; None if unknown)."""
    counts = [lib.get_num_threads() for lib in _blas_libs()]
    counts = [int(k) for k in counts if k]
    return max(counts) if counts else None


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def default_threads() -> int:
    """The thread count used when none is given (always ≥ 1).

    The value chosen by an enclosing :func:`use_threads`; otherwise the BLAS configuration:
    its thread count (``OPENBLAS_NUM_THREADS`` etc.), taken from outside an enclosing
    :func:`one_blas_thread` or :func:`single_blas`; at most the CPUs this process may run on.  Only speed depends
    on it."""
    chosen = _CHOSEN.get()
    if chosen is not None:
        return chosen
    k = _OUTER_BLAS.get()
    if k is None:
        saved = [int(c) for c in _SINGLE_SAVED if c] if _SINGLE_DEPTH else []
        k = max(saved) if saved else blas_threads()     # inside single_blas: the count it saved
    cpus = _cpus()
    return max(1, min(int(k) if k else cpus, cpus))


def resolve_threads(threads: int | None) -> int:
    """``threads`` validated (an integer ≥ 1), or :func:`default_threads` when None."""
    if threads is None:
        return default_threads()
    from .errors import check_positive_int

    return check_positive_int(threads, "threads")


@contextmanager
def use_threads(threads: int | None) -> Iterator[int]:
    """Inside the block, block-parallel computations called without ``threads`` use this count
    (None: keep the default); yields the count."""
    k = resolve_threads(threads)
    token = _CHOSEN.set(k)
    try:
        yield k
    finally:
        _CHOSEN.reset(token)


@contextmanager
def single_blas() -> Iterator[None]:
    """BLAS at one thread inside the block, cheaply (two C calls, no library scan), re-entrant
    and safe across Python threads: the first to enter saves the counts, the last to leave
    restores them.  The limit is process-wide (BLAS has one setting): other Python threads
    calling BLAS meanwhile also get one thread."""
    global _SINGLE_DEPTH, _SINGLE_SAVED
    libs = _blas_libs()
    with _LIBS_LOCK:
        if _SINGLE_DEPTH == 0:
            _SINGLE_SAVED = [lib.get_num_threads() for lib in libs]
            for lib, k in zip(libs, _SINGLE_SAVED):
                if k != 1:
                    lib.set_num_threads(1)
        _SINGLE_DEPTH += 1
    try:
        yield
    finally:
        with _LIBS_LOCK:
            _SINGLE_DEPTH -= 1
            if _SINGLE_DEPTH == 0:
                for lib, k in zip(libs, _SINGLE_SAVED):
                    if k != 1:
                        lib.set_num_threads(k)


# -- per-thread work arrays ----------------------------------------------------------------

#: A thread keeps a scratch array between calls while it takes at most this many bytes.
SCRATCH_KEEP_BYTES = 2**26
_SCRATCH = threading.local()


def scratch(name: str, size: int, dtype=None):
    """This thread's work array ``name``: a flat numpy array of ``size`` entries (contents
    undefined; float64 unless ``dtype``), reused by the thread's next call with that name
    while it takes at most SCRATCH_KEEP_BYTES.

    Why: a fresh array of a few MB in every call of a hot loop costs more than the work on
    it, because the allocator maps new pages for it each time and every first write faults
    (GD at n = 256, m = 8192 on two threads: 1 ms of a 7 ms step; the NTK there: 15 ms of
    30).  Each name has one owner (a function that is not re-entered on the same thread), so
    one call never sees another's data; nothing computed depends on the reuse."""
    import numpy as np

    dtype = np.dtype(np.float64 if dtype is None else dtype)
    key = f"{name}:{dtype.str}"
    buf = getattr(_SCRATCH, "arrays", None)
    if buf is None:
        buf = _SCRATCH.arrays = {}
    arr = buf.get(key)
    if arr is None or arr.size < size:
        arr = np.empty(int(size), dtype=dtype)
        if arr.nbytes <= SCRATCH_KEEP_BYTES:
            buf[key] = arr
        else:
            buf.pop(key, None)
    return arr[: int(size)]


# -- the pool ------------------------------------------------------------------------------

_POOL_LOCK = threading.Lock()
_POOL: ThreadPoolExecutor | None = None
_POOL_SIZE = 0
_POOL_PID = -1


def _pool(workers: int) -> ThreadPoolExecutor:
    """A process-wide pool with at least ``workers`` threads (recreated after a fork: a forked
    child does not inherit the parent's threads)."""
    global _POOL, _POOL_SIZE, _POOL_PID
    with _POOL_LOCK:
        if _POOL is None or _POOL_PID != os.getpid() or _POOL_SIZE < workers:
            old = _POOL if _POOL_PID == os.getpid() else None
            _POOL = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="wnproofs-blocks")
            _POOL_SIZE, _POOL_PID = workers, os.getpid()
            if old is not None:
                old.shutdown(wait=False)
        return _POOL


def _after_fork_in_child() -> None:
    """A forked child has only the forking thread: new locks, no pool, no BLAS limit held."""
    global _POOL, _POOL_SIZE, _POOL_PID, _POOL_LOCK, _LIBS_LOCK, _SINGLE_DEPTH
    _POOL_LOCK, _LIBS_LOCK = threading.Lock(), threading.Lock()
    _POOL, _POOL_SIZE, _POOL_PID = None, 0, -1
    if _SINGLE_DEPTH:                  # forked while another thread ran blocks: undo its limit
        for lib, k in zip(_LIBS or [], _SINGLE_SAVED):
            if k != 1:
                lib.set_num_threads(k)
        _SINGLE_DEPTH = 0


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def split_ranges(nblocks: int, threads: int) -> list[tuple[int, int]]:
    """``nblocks`` blocks cut into min(threads, nblocks) contiguous ranges [b0, b1) of sizes
    differing by at most one, in order (which thread runs which block never changes a number)."""
    k = max(1, min(int(threads), int(nblocks)))
    base, extra = divmod(int(nblocks), k)
    out, b = [], 0
    for i in range(k):
        e = b + base + (1 if i < extra else 0)
        out.append((b, e))
        b = e
    return out


def run_ranges(fn: Callable[[int, int], None], ranges: Sequence[tuple[int, int]]) -> None:
    """Run ``fn(b0, b1)`` for every range: the first on the calling thread, the others on the
    pool; returns when all have finished, re-raising the first exception (in range order).
    ``fn`` must write only its own blocks' outputs; the caller combines them in a fixed order."""
    if len(ranges) <= 1:
        for b0, b1 in ranges:
            fn(b0, b1)
        return
    futures = [_pool(len(ranges) - 1).submit(fn, b0, b1) for b0, b1 in ranges[1:]]
    first: BaseException | None = None
    try:
        fn(*ranges[0])
    except BaseException as exc:  # noqa: BLE001 - re-raised after the others finish
        first = exc
    for fut in futures:
        exc = fut.exception()
        if exc is not None and first is None:
            first = exc
    if first is not None:
        raise first
