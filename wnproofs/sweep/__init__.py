"""Sweeps: theorem runs over a grid, a resumable store, local or Dask runners, experiments.

* :mod:`.grid`: the runs of a sweep, their seeds, budgets and keys;
* :mod:`.store`: the JSON-lines store, read line by line, unusable lines set aside;
* :mod:`.runner`: runs the missing points locally or on a Dask cluster;
* :mod:`.experiments`: one theorem run, slack, scaling fits and the regime crossover.

Every name used as ``from wnproofs.sweep import X`` before the split is still here.
"""

from __future__ import annotations

from ..experiments import (
    ENV_TARGET,
    ENV_TESTABLE,
    ROUNDOFF,
    SPECS,
    PowerFit,
    TheoremSpec,
    crossover,
    data_constants,
    fit_power,
    gram_error_scaling,
    movement_scaling,
    rate_scaling,
    slack,
    step_threshold,
    theorem_run,
    width_threshold,
)
from .grid import (
    BUDGET_KEYS,
    DEFAULT_BUDGET,
    LIMITS,
    normalize_budget,
    run_key,
    sweep_grid,
)
from .runner import SCHEDULER_TIMEOUT, check_scheduler, execute, run_bytes, run_sweep
from .store import (
    StoreProblem,
    StoreScan,
    append_record,
    make_record,
    read_store,
    scan_store,
    set_aside,
)

__all__ = [
    "SPECS", "TheoremSpec", "width_threshold", "step_threshold", "data_constants", "theorem_run",
    "slack", "PowerFit", "fit_power", "gram_error_scaling", "movement_scaling", "rate_scaling",
    "crossover", "ENV_TARGET", "ENV_TESTABLE", "ROUNDOFF",
    "DEFAULT_BUDGET", "BUDGET_KEYS", "LIMITS", "normalize_budget", "run_key", "sweep_grid",
    "execute", "run_sweep", "check_scheduler", "run_bytes", "SCHEDULER_TIMEOUT",
    "StoreProblem", "StoreScan", "scan_store", "read_store", "set_aside", "append_record", "make_record",
]
