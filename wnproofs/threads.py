"""Verdicts that do not depend on the thread count: BLAS limited to one thread inside a computation.

A multithreaded BLAS may split a reduction (a dot product over the m neurons, a Gram
matrix Σ_k a_k a_kᵀ) differently with 1 and with 2 threads, which changes the last bits of
a residual or a margin.  Functions whose result is a verdict (the theorem runs, the scaling
fits) run under :func:`one_blas_thread`, so the same seed and budget give bit-identical
numbers for any ``OPENBLAS_NUM_THREADS``.  The limit is scoped (restored on exit) via
threadpoolctl.  It also avoids the slowness of threaded BLAS on tiny inner dimensions
(n ≤ 2 rows against 10⁶ neurons) on a loaded machine.
"""

from __future__ import annotations

import functools
from contextlib import contextmanager
from typing import Callable, Iterator, TypeVar

__all__ = ["one_blas_thread", "deterministic_blas"]

F = TypeVar("F", bound=Callable)


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Limit BLAS to one thread inside the block (restored afterwards)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


def deterministic_blas(fn: F) -> F:
    """Decorator: run ``fn`` under :func:`one_blas_thread`."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with one_blas_thread():
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
