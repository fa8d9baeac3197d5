"""Run the registered checks on instances and collect a verification result.

This is the library side of `wnproofs verify` and `wnproofs check`; the command line
(:mod:`wnproofs.cli`) only parses arguments and prints.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import os
import platform
import time
import traceback
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np

from . import __version__, derivation_cache
from .data import Dataset
from .instances import default_instances, random_instance
from .errors import InputError
from .outcomes import LEVEL_ORDER, SEVERITY, CheckResult, Kind, Level, Status, combine
from .claims import Claim
from .plugin import Instance
from .registry import checks_for, claims, derivations_for, get_claim

__all__ = ["ClaimOutcome", "Verification", "run_verification", "run_check_instances", "run_safely",
           "split_overrides", "versions"]

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
    #: the claim's derivations as run (DerivationResult objects, or the error text of one
    #: that raised); not serialized here: the report renders them
    derivations: list = field(default_factory=list)

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
    #: λ_0, μ_0, λ_H, α* and the α interval where the splits at 1 and α* disagree, per data set
    data_constants: list[dict] = field(default_factory=list)
    overrides: dict = field(default_factory=dict)
    #: which derivations were reused from the disk cache and under which key (None: not used)
    derivation_cache: dict | None = None

    @property
    def ok(self) -> bool:
        """No claim failed and no check crashed."""
        return all(o.status not in (Status.FAILS, Status.ERROR) for o in self.outcomes)

    @property
    def exit_code(self) -> int:
        """3 if a check crashed (status ``error``), else 1 if a claim failed, else 0."""
        if any(o.status is Status.ERROR for o in self.outcomes):
            return 3
        return 0 if self.ok else 1

    def to_dict(self) -> dict:
        return {
            "schema_version": SCHEMA_VERSION,
            "ok": self.ok,
            "seed": self.seed,
            "mode": self.mode,
            "seconds": round(self.seconds, 3),
            "versions": versions(),
            "overrides": dict(self.overrides),
            "derivation_cache": self.derivation_cache,
            "data": [dict(inst.data.summary(), **({"constants": c} if c else {}))
                     for inst, c in zip(self.instances, self.data_constants or [{}] * len(self.instances))],
            "claims": [o.to_dict() for o in self.outcomes],
        }


def _frame(fs: traceback.FrameSummary) -> str:
    path = fs.filename
    for root in (os.path.dirname(os.path.dirname(os.path.abspath(__file__))), os.getcwd()):
        if path.startswith(root + os.sep):
            path = os.path.relpath(path, root)
            break
    return f"{path}:{fs.lineno} in {fs.name}"


def run_safely(chk, inst: Instance) -> CheckResult:
    """Run a check; a crash inside it is the outcome ``error`` (with where it happened), never ``fails``.

    NumPy's floating-point warnings raised inside the check are not printed; they are
    recorded in ``details["warnings"]`` (where they mean something the check must say so
    in its status).  KeyboardInterrupt and SystemExit are not caught.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            res = chk(inst)
        except Exception as exc:  # a crashing check must not pass, nor fail the claim, nor kill the run
            frames = traceback.extract_tb(exc.__traceback__)
            where = _frame(frames[-1]) if frames else "?"
            text = (str(exc).splitlines() or [""])[0][:300]
            return CheckResult(chk.claim, Status.ERROR, Kind.IDENTITY, chk.level,
                               message=f"check crashed: {type(exc).__name__}: {text} (at {where})",
                               details={"exception": type(exc).__name__, "where": where,
                                        "traceback": traceback.format_exc(limit=20)},
                               check=chk.name)
    if caught:
        seen: list[str] = []
        for w in caught:
            line = f"{w.category.__name__}: {w.message} ({os.path.basename(w.filename)}:{w.lineno})"
            if line not in seen:
                seen.append(line)
        res = dataclasses.replace(res, details={**dict(res.details), "warnings": seen})
    if "dataset" not in res.details:
        res = dataclasses.replace(res, details={**dict(res.details), "dataset": inst.data.name})
    return res


_run_one = run_safely   # the name used before


def split_overrides(params: Mapping[str, Any] | None,
                    known_ids: Sequence[str]) -> tuple[dict, dict[str, dict]]:
    """Split ``{"key": v, "ID.key": v}`` into (unscoped, {claim id: scoped}); unknown ids are refused."""
    unscoped: dict[str, Any] = {}
    scoped: dict[str, dict[str, Any]] = {}
    for key, value in dict(params or {}).items():
        if not isinstance(key, str) or not key:
            raise InputError(f"parameter names must be non-empty strings, got {key!r}", arg="params")
        cid, dot, name = key.partition(".")
        if not dot:
            unscoped[key] = value
            continue
        if cid not in known_ids:
            raise InputError(f"parameter {key!r} names unknown claim {cid!r}; known: {', '.join(known_ids)}",
                             arg="params")
        if not name:
            raise InputError(f"parameter {key!r} has no name after the claim id", arg="params")
        scoped.setdefault(cid, {})[name] = value
    return unscoped, scoped


def _declared_params(checks) -> set[str] | None:
    """The parameter names the claim's check modules declare (their ``Params`` dataclasses);
    None when a module declares none (then every key is passed on)."""
    import sys

    names: set[str] = set()
    for chk in checks:
        P = getattr(sys.modules.get(chk.fn.__module__), "Params", None)
        if P is None or not dataclasses.is_dataclass(P):
            return None
        names |= {f.name for f in dataclasses.fields(P)}
    return names


def _with_params(inst: Instance, extra: Mapping[str, Any]) -> Instance:
    return inst if not extra else dataclasses.replace(inst, params={**dict(inst.params), **extra})


def data_record(data: Dataset) -> dict:
    """The data constants of THEORY.md §4 for the report: λ_0, μ_0, λ_H, α* (float64), and
    the α interval on which the paper's split at α = 1 and the split at α* disagree."""
    from .sweep import data_constants

    c = data_constants(data.X)
    a = c["alpha_star"]
    c["split_disagreement"] = sorted((1.0, a)) if np.isfinite(a) and a != 1.0 else None
    return c


def _run_derivations(claim_id: str) -> list:
    """The claim's registered derivations, run (cached per process); an error as its text."""
    from .symbolic import DerivationFn

    out = []
    for der in derivations_for(claim_id):
        if not isinstance(der.fn, DerivationFn):
            continue  # a plain registered function: named in the report, not run here
        try:
            out.append(der.fn())
        except Exception as exc:  # reported, never fatal: the claim is then not symbolic
            out.append(f"{der.name} raised {type(exc).__name__}: {exc}")
    return out


#: Random instances per check for the "property" level, by mode.
PROPERTY_INSTANCES = {"quick": 4, "full": 20}

#: Levels whose checks are also run on random instances (empirical training runs are not).
_PROPERTY_LEVELS = {Level.NUMERIC, Level.CERTIFIED, Level.PROPERTY}


_SWEEP_KEY = 0x9E3779B9


def _sweep_instance(seed: int, k: int, mode: str, params: Mapping[str, Any] | None) -> Instance:
    """Random instance k of a property sweep: child k of ``SeedSequence([seed, _SWEEP_KEY])``."""
    child = np.random.SeedSequence([seed, _SWEEP_KEY], spawn_key=(k,))
    return random_instance(np.random.default_rng(child), mode, params)


@dataclass(frozen=True)
class _Unit:
    """One independent piece of a verification (see :mod:`wnproofs.workers`).

    kind "check": check ``checks[0]`` of the claim (an index into ``checks_for(claim)``) on
    each instance of ``insts``; "sweep": the checks ``checks`` on random instance ``k`` of the property sweep;
    "derivation": the claim's derivation named ``derivation``.
    """

    kind: str
    claim: str
    checks: tuple = ()
    insts: tuple = ()
    seed: int = 0
    mode: str = "quick"
    k: int = 0
    params: Mapping[str, Any] | None = None
    derivation: str = ""


def _execute(unit: _Unit) -> tuple[Any, float]:
    """(result, seconds) of one unit."""
    t0 = time.perf_counter()
    out = _execute_unit(unit)
    return out, time.perf_counter() - t0


def _execute_unit(unit: _Unit):
    """Run one unit: a list of CheckResult, or a derivation's result (None if it raised:
    the parent then runs it itself and reports the exception)."""
    if unit.kind == "derivation":
        for der in derivations_for(unit.claim):
            if getattr(der.fn, "name", der.name) == unit.derivation:
                try:
                    return der.fn()
                except Exception:
                    return None
        return None
    registered = checks_for(unit.claim)
    if unit.kind == "check":
        return [run_safely(registered[unit.checks[0]], inst) for inst in unit.insts]
    inst = _sweep_instance(unit.seed, unit.k, unit.mode, unit.params)
    return [run_safely(registered[i], inst) for i in unit.checks]


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
                     property_instances: int | None = None,
                     params: Mapping[str, Any] | None = None,
                     jobs: int = 1, use_cache: bool = False) -> Verification:
    """Run every registered check (or those of ``claim_ids``) on the default instances.

    Parameters
    ----------
    seed : master seed; each instance gets a ``SeedSequence`` child.
    mode : "quick" or "full" (full runs larger instances and the slow checks).
    data : the user's data set instead of the built-in suite.
    claim_ids : restrict to these claims (unknown ids raise ``KeyError``).
    progress : ``progress(done, total, label)`` after each unit of work (one check on every
        data set, one random instance of a sweep, one derivation) finishes.
    include_slow : run checks registered with ``slow=True`` (default: in full mode).
    property_instances : random instances on which each numeric/certified check is also
        run; the claim reaches level "property" when none fails (default by mode:
        PROPERTY_INSTANCES).  A failure there fails the claim like any other.
    params : overrides of the checks' parameters: ``"ID.key"`` for the instances of claim
        ID, ``"key"`` for every claim (e.g. ``{"T2.alpha": 40, "delta": 0.1}``); recorded
        in the result as ``overrides``.  Unknown claim ids raise :class:`InputError`.

    jobs : processes that run the units (:mod:`wnproofs.workers`); the results do not
        depend on it (every unit draws from its own seed), only the wall time does.
    use_cache : reuse (and store) the bundled derivations' results, and the theorem checks'
        probe computations (fixed instances and seeds, no data), from the on-disk cache keyed
        by the SHA-256 of the sources and library versions (:mod:`wnproofs.derivation_cache`);
        recorded in ``derivation_cache`` and in the checks' ``probe_cache`` details.

    A check that crashes gives the status ``error`` (see :func:`run_safely`).
    """
    t0 = time.perf_counter()
    if mode not in ("quick", "full"):
        raise ValueError(f"mode must be 'quick' or 'full', got {mode!r}")
    slow_ok = (mode == "full") if include_slow is None else include_slow
    chosen = [get_claim(c) for c in claim_ids] if claim_ids else claims()
    unscoped, scoped = split_overrides(params, [c.id for c in claims()])
    for cid, keys in scoped.items():        # refuse a typo before any work (exit 2)
        known = _declared_params(checks_for(cid))
        bad = sorted(set(keys) - known) if known is not None else []
        if bad:
            raise InputError(f"unknown parameter(s) {', '.join(bad)} for {cid}; known: {', '.join(sorted(known))}",
                             arg="--set")
    n_prop = PROPERTY_INSTANCES[mode] if property_instances is None else int(property_instances)
    insts = default_instances(seed, mode, data)
    from .symbolic import DerivationFn
    from .workers import run_units

    cache = _DerivationCache(chosen) if use_cache else None
    # 1. the plan: every (check, instance), every random instance of a sweep, every derivation
    units: list[_Unit] = []
    labels: list[str] = []
    plan = []        # per claim: (claim, indices of its check units, of its sweep units)
    derivation_units: dict[str, int] = {}
    derivation_fns: dict[str, DerivationFn] = {}
    for claim in chosen:
        registered = checks_for(claim.id)
        active = [i for i, c in enumerate(registered) if slow_ok or not c.slow]
        known = _declared_params(registered)
        # an unscoped key goes to the claims whose checks declare it; a scoped one must be declared
        extra = {k: v for k, v in unscoped.items() if known is None or k in known}
        extra.update(scoped.get(claim.id, {}))
        check_ix, sweep_ix = [], []
        for i in active:   # one unit per check, on every data set (they share its memoised parts)
            check_ix.append(len(units))
            units.append(_Unit("check", claim.id, (i,), tuple(_with_params(x, extra) for x in insts)))
            labels.append(registered[i].name)
        prop = tuple(i for i in active if registered[i].level in _PROPERTY_LEVELS)
        if prop and n_prop > 0:
            for k in range(n_prop):
                sweep_ix.append(len(units))
                units.append(_Unit("sweep", claim.id, prop, seed=seed, mode=mode, k=k, params=extra))
                labels.append(f"{claim.id} on random instance {k + 1}/{n_prop}")
        for der in derivations_for(claim.id):
            name = getattr(der.fn, "name", der.name)
            if isinstance(der.fn, DerivationFn) and der.fn._cached is None and name not in derivation_units:
                derivation_units[name] = len(units)
                derivation_fns[name] = der.fn
                units.append(_Unit("derivation", claim.id, derivation=name))
                labels.append(f"derivation {name}")
        plan.append((claim, check_ix, sweep_ix))

    # 2. run them, results in plan order; the start order changes the wall time only: longest
    # first by the last run's durations (derivations, then units never timed, first)
    keys = [f"{mode}|{','.join(i.data.name for i in insts)}|{lab}" for lab in labels]
    history = derivation_cache.load_durations() if use_cache and jobs > 1 else {}
    first = set(derivation_units.values())
    order = sorted(range(len(units)), key=lambda i: (i not in first, -history.get(keys[i], math.inf), i))
    with (derivation_cache.enabled() if use_cache else contextlib.nullcontext()):
        timed = run_units(_execute, units, jobs=jobs, labels=labels, order=order, progress=progress)
    done = [r for r, _ in timed]
    if use_cache:
        derivation_cache.store_durations({k: sec for k, (_, sec) in zip(keys, timed)})
    ran = {name: done[i] for name, i in derivation_units.items() if done[i] is not None}
    for name, res in ran.items():   # run in a worker: its result becomes this process's cache
        derivation_fns[name]._cached = res
    if cache is not None:
        cache.save({name: res for name, res in ran.items()
                    if derivation_cache.is_bundled(derivation_fns[name].fn.__module__)})

    # 3. the verdicts, claim by claim, from the units' results
    outcomes = []
    for claim, check_ix, sweep_ix in plan:
        results: list[CheckResult] = [r for i in check_ix for r in done[i]]
        prop: list[CheckResult] = [r for i in sweep_ix for r in done[i]]
        failed_der = _derivation_results(claim.id)
        results.extend(failed_der)
        status, margin = combine(results)
        bad_prop = [r for r in prop if r.status in (Status.FAILS, Status.ERROR)]
        if bad_prop:
            worst = max((r.status for r in bad_prop), key=SEVERITY.__getitem__)
            status = max(status, worst, key=SEVERITY.__getitem__)
            results.extend(bad_prop)  # report the counterexamples, not only a verdict
        outcome = ClaimOutcome(claim, status, margin, _levels(claim.id, results, prop), results,
                               sum(timed[i][1] for i in check_ix + sweep_ix))
        outcome.property_counts = _status_counts(prop)
        outcome.derivations = _run_derivations(claim.id)
        outcomes.append(outcome)
    record = None
    if cache is not None:
        record = cache.record()
        record["probe_results_reused"] = sum(1 for o in outcomes for r in o.results
                                             if r.details.get("probe_cache"))
    return Verification(seed, mode, outcomes, insts, time.perf_counter() - t0,
                        [data_record(inst.data) for inst in insts], dict(params or {}), record)


class _DerivationCache:
    """The bundled derivations of ``chosen`` claims that the disk cache already holds are put in
    their per-process cache (so they are not run); :meth:`save` stores the ones run now."""

    def __init__(self, chosen: Sequence[Claim]) -> None:
        from .symbolic import DerivationFn

        self.key = derivation_cache.source_key()
        stored = derivation_cache.load(self.key)
        self.reused: list[str] = []
        self.derived: list[str] = []
        self.saved = False
        for claim in chosen:
            for der in derivations_for(claim.id):
                fn = der.fn
                if (isinstance(fn, DerivationFn) and fn._cached is None and fn.name in stored
                        and derivation_cache.is_bundled(fn.fn.__module__)):
                    fn._cached = stored[fn.name]
                    self.reused.append(fn.name)

    def save(self, results: Mapping[str, Any]) -> None:
        """Store the bundled derivations' ``results`` run now."""
        self.derived = sorted(results)
        self.saved = bool(results) and derivation_cache.store(self.key, results)

    def record(self) -> dict:
        return {"key": self.key, "dir": str(derivation_cache.cache_dir()), "reused": sorted(set(self.reused)),
                "derived": self.derived, "stored": self.saved}


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
                out[cid].append((inst, run_safely(chk, inst)))
        if progress:
            progress(i)
    return out
