"""Run the registered checks on instances and collect a verification result.

This is the library side of `wnproofs verify` and `wnproofs check`; the command line
(:mod:`wnproofs.cli`) only parses arguments and prints.
"""

from __future__ import annotations

import platform
import sys
import time
import traceback
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

import numpy as np

from . import __version__
from .data import Dataset
from .instances import default_instances, random_instance
from .outcomes import LEVEL_ORDER, CheckResult, Kind, Level, Status, combine
from .claims import Claim
from .plugin import Instance
from .registry import checks_for, claims, derivations_for, get_claim

__all__ = ["ClaimOutcome", "Verification", "run_verification", "run_check_instances", "versions"]

SCHEMA_VERSION = 1


def versions() -> dict:
    """Versions of Python and the numerical libraries (recorded in every result)."""
    import mpmath
    import scipy
    import sympy

    out = {"wnproofs": __version__, "python": platform.python_version(), "numpy": np.__version__,
           "scipy": scipy.__version__, "sympy": sympy.__version__, "mpmath": mpmath.__version__}
    try:
        import flint

        out["python-flint"] = flint.__version__
    except ImportError:  # pragma: no cover
        pass
    return out


@dataclass
class ClaimOutcome:
    """The verdict on one claim: combined status, levels reached, smallest margin."""

    claim: Claim
    status: Status
    margin: float | None
    levels: list[str]
    results: list[CheckResult] = field(default_factory=list)
    seconds: float = 0.0
    property_counts: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        c = self.claim
        return {
            "id": c.id,
            "title": c.title,
            "statement": c.statement,
            "section": c.section,
            "hypotheses": list(c.hypotheses),
            "provenance": c.provenance,
            "notes": c.notes,
            "status": self.status.value,
            "levels": self.levels,
            "margin": CheckResult(c.id, self.status, Kind.IDENTITY, Level.NUMERIC,
                                  margin=self.margin).to_dict()["margin"],
            "seconds": round(self.seconds, 3),
            "property_instances": dict(self.property_counts),
            "checks": [r.to_dict() for r in self.results],
        }


@dataclass
class Verification:
    """Everything `wnproofs verify` found, ready to print, serialise or render."""

    seed: int
    mode: str
    outcomes: list[ClaimOutcome]
    instances: list[Instance]
    seconds: float

    @property
    def ok(self) -> bool:
        return all(o.status is not Status.FAILS for o in self.outcomes)

    def to_dict(self) -> dict:
        return {
            "schema_version": SCHEMA_VERSION,
            "ok": self.ok,
            "seed": self.seed,
            "mode": self.mode,
            "seconds": round(self.seconds, 3),
            "versions": versions(),
            "data": [inst.data.summary() for inst in self.instances],
            "claims": [o.to_dict() for o in self.outcomes],
        }


def _run_one(chk, inst: Instance) -> CheckResult:
    """Run a check; an exception inside it is a failure of that check, reported as such."""
    try:
        return chk(inst)
    except Exception as exc:  # a crashing check must not pass, nor kill the run
        return CheckResult(chk.claim, Status.FAILS, Kind.IDENTITY, chk.level,
                           message=f"check raised {type(exc).__name__}: {exc}",
                           details={"traceback": traceback.format_exc(limit=5)}, check=chk.name)


#: Random instances per check for the "property" level, by mode.
PROPERTY_INSTANCES = {"quick": 4, "full": 20}

#: Levels whose checks are also run on random instances (empirical training runs are not).
_PROPERTY_LEVELS = {Level.NUMERIC, Level.CERTIFIED, Level.PROPERTY}


def _property_sweep(checks, n_instances: int, seed: int, mode: str) -> tuple[list[CheckResult], int]:
    """Run ``checks`` on ``n_instances`` random instances (seeds from SeedSequence(seed))."""
    results: list[CheckResult] = []
    children = np.random.SeedSequence([seed, 0x9E3779B9]).spawn(n_instances)
    for child in children:
        inst = random_instance(np.random.default_rng(child), mode)
        for chk in checks:
            results.append(_run_one(chk, inst))
    return results, n_instances


#: Statuses always counted in ``property_instances`` (others appear when they occur).
_COUNTED = (Status.HOLDS, Status.FAILS, Status.INCONCLUSIVE, Status.HYPOTHESIS_NOT_MET, Status.UNCHECKED)


def _status_counts(results: Sequence[CheckResult]) -> dict[str, int]:
    """How many results had each status; empty when there are none."""
    if not results:
        return {}
    counts = {s: sum(r.status is s for r in results) for s in Status}
    return {s.value: k for s, k in counts.items() if k or s in _COUNTED}


def _derivation_results(claim_id: str) -> list[CheckResult]:
    """The derivation-to-status rule (issue 11): every derivation of the claim is run (cached per
    process); a failed one makes the claim ``fails`` (so verify exits 1), and so does one that
    raises (a derivation that cannot run establishes nothing; reported like a crashing check).
    An inconclusive derivation changes no status but cannot grant the symbolic level
    (:func:`_levels`).  T1-T4 and C1 are tied this way to the convergence chain, whose output
    their thresholds are."""
    out = []
    for der in derivations_for(claim_id):
        name = getattr(der.fn, "name", der.name)
        try:
            res = der.fn()
        except Exception as exc:
            out.append(CheckResult(claim_id, Status.FAILS, Kind.IDENTITY, Level.SYMBOLIC,
                                   message=f"derivation {name} raised {type(exc).__name__}: {exc}",
                                   details={"derivation": name, "traceback": traceback.format_exc(limit=5)},
                                   check=f"derivation:{name}"))
            continue
        verdict = getattr(getattr(res, "verdict", None), "value", None)
        if verdict == "failed":
            bad = [f"{st.name} ({st.claim})" for st in res.steps if st.verdict.value == "failed"]
            out.append(CheckResult(claim_id, Status.FAILS, Kind.IDENTITY, Level.SYMBOLIC,
                                   message=f"derivation {name} failed at: {'; '.join(bad)}",
                                   details={"derivation": name, "failed_steps": bad},
                                   check=f"derivation:{name}"))
    return out


def _levels(claim_id: str, results: Sequence[CheckResult],
            property_results: Sequence[CheckResult] = ()) -> list[str]:
    reached = {r.level for r in results if r.status is Status.HOLDS}
    if property_results and not any(r.status is Status.FAILS for r in property_results) \
            and any(r.status is Status.HOLDS for r in property_results):
        reached.add(Level.PROPERTY)
    for der in derivations_for(claim_id):
        # a supporting derivation (explicit constants) is not a symbolic proof of the claim
        if getattr(der.fn, "establishes", True) and getattr(der.fn, "proved", True):
            reached.add(Level.SYMBOLIC)
    return [lvl.value for lvl in LEVEL_ORDER if lvl in reached]


def run_verification(*, seed: int = 0, mode: str = "quick", data: Dataset | None = None,
                     claim_ids: Iterable[str] | None = None,
                     progress: Callable[[str], None] | None = None,
                     include_slow: bool | None = None,
                     property_instances: int | None = None) -> Verification:
    """Run every registered check (or those of ``claim_ids``) on the default instances.

    Parameters
    ----------
    seed : master seed; each instance gets a ``SeedSequence`` child.
    mode : "quick" or "full" (full runs larger instances and the slow checks).
    data : the user's data set instead of the built-in suite.
    claim_ids : restrict to these claims (unknown ids raise ``KeyError``).
    progress : called with a short label before each check runs.
    include_slow : run checks registered with ``slow=True`` (default: in full mode).
    property_instances : random instances on which each numeric/certified check is also
        run; the claim reaches level "property" when none fails (default by mode:
        PROPERTY_INSTANCES).  A failure there fails the claim like any other.
    """
    t0 = time.perf_counter()
    if mode not in ("quick", "full"):
        raise ValueError(f"mode must be 'quick' or 'full', got {mode!r}")
    slow_ok = (mode == "full") if include_slow is None else include_slow
    chosen = [get_claim(c) for c in claim_ids] if claim_ids else claims()
    n_prop = PROPERTY_INSTANCES[mode] if property_instances is None else int(property_instances)
    insts = default_instances(seed, mode, data)
    outcomes = []
    for claim in chosen:
        tc = time.perf_counter()
        results: list[CheckResult] = []
        active = [c for c in checks_for(claim.id) if slow_ok or not c.slow]
        for chk in active:
            for inst in insts:
                if progress:
                    progress(f"{chk.name} on {inst.data.name}")
                res = _run_one(chk, inst)
                results.append(res)
        prop_checks = [c for c in active if c.level in _PROPERTY_LEVELS]
        prop: list[CheckResult] = []
        if prop_checks and n_prop > 0:
            if progress:
                progress(f"{claim.id} on {n_prop} random instances")
            prop, _ = _property_sweep(prop_checks, n_prop, seed, mode)
        failed_der = _derivation_results(claim.id)
        results.extend(failed_der)
        status, margin = combine(results)
        failed_prop = [r for r in prop if r.status is Status.FAILS]
        if failed_prop:
            status = Status.FAILS
            results.extend(failed_prop)  # report the counterexamples, not only a verdict
        outcome = ClaimOutcome(claim, status, margin, _levels(claim.id, results, prop), results,
                               time.perf_counter() - tc)
        outcome.property_counts = _status_counts(prop)
        outcomes.append(outcome)
    return Verification(seed, mode, outcomes, insts, time.perf_counter() - t0)


def run_check_instances(claim_ids: Sequence[str], n_instances: int, seed: int = 0,
                        mode: str = "quick",
                        progress: Callable[[int], None] | None = None) -> dict[str, list[tuple[Instance, CheckResult]]]:
    """Run the checks of ``claim_ids`` on ``n_instances`` random instances each.

    Instance i is drawn from ``SeedSequence(seed).spawn(n)[i]``, so any one of them can be
    replayed from (seed, i) or from its saved JSON.
    """
    for cid in claim_ids:
        get_claim(cid)
    children = np.random.SeedSequence(seed).spawn(n_instances)
    out: dict[str, list[tuple[Instance, CheckResult]]] = {c: [] for c in claim_ids}
    for i, child in enumerate(children):
        inst = random_instance(np.random.default_rng(child), mode)
        for cid in claim_ids:
            for chk in checks_for(cid):
                out[cid].append((inst, _run_one(chk, inst)))
        if progress:
            progress(i)
    return out
