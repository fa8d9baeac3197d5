"""The claims registry: one place that knows every claim, its checks and derivations.

Claims are declared once in :mod:`wnproofs.claims` (ids of THEORY.md: D1..D8, L1..L6,
T1..T4, C1).  Checks (in the top-level ``checks/`` folder, installed as
``wnproofs.checks``) attach themselves with the :func:`check` decorator; derivations
(``derivations/``, installed as ``wnproofs.derivations``) with :func:`derivation`.
Tests and the command line iterate over :func:`claims` and :func:`checks_for`.

A check is a pure function ``fn(inst: Instance) -> CheckResult``.  It has three
outcomes (STYLE.md): holds, fails, inconclusive; plus "hypothesis not met" when the
instance does not satisfy the claim's hypotheses (e.g. A1), which is not a failure.
"""

from __future__ import annotations

import enum
import importlib
import math
import pkgutil
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

import numpy as np

from .data import Dataset

__all__ = [
    "Status",
    "Level",
    "Kind",
    "Instance",
    "CheckResult",
    "Claim",
    "Check",
    "Derivation",
    "declare",
    "check",
    "derivation",
    "claims",
    "get_claim",
    "checks_for",
    "derivations_for",
    "all_checks",
    "load_plugins",
    "combine",
]


class Status(str, enum.Enum):
    """Outcome of a check (three-valued, plus an unmet hypothesis)."""

    HOLDS = "holds"
    FAILS = "fails"
    INCONCLUSIVE = "inconclusive"
    HYPOTHESIS_NOT_MET = "hypothesis not met"
    UNCHECKED = "unchecked"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value


class Level(str, enum.Enum):
    """Verification levels of THEORY.md §9, strongest first."""

    SYMBOLIC = "symbolic"
    CERTIFIED = "certified"
    NUMERIC = "numeric"
    PROPERTY = "property"
    EMPIRICAL = "empirical"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value


LEVEL_ORDER = [Level.SYMBOLIC, Level.CERTIFIED, Level.NUMERIC, Level.PROPERTY, Level.EMPIRICAL]


class Kind(str, enum.Enum):
    """What kind of guarantee a check compares (PEPit's vocabulary).

    identity: |observed| ≤ tolerance, margin = tolerance / observed error.
    upper: observed ≤ bound, margin = bound / observed.
    lower: observed ≥ bound, margin = observed / bound.
    probability: failure frequency ≤ δ, margin = δ / observed rate.
    """

    IDENTITY = "identity"
    UPPER = "upper"
    LOWER = "lower"
    PROBABILITY = "probability"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value


@dataclass(frozen=True)
class Instance:
    """A concrete instance a check runs on: data, a seed, a mode and claim parameters.

    ``params`` holds claim-specific knobs (width m, α, δ, planted constants for
    mutation tests, ...); it must be JSON-serialisable so a failure can be replayed.
    """

    data: Dataset
    seed: int = 0
    mode: str = "quick"
    params: Mapping[str, Any] = field(default_factory=dict)

    def rng(self, stream: int = 0) -> np.random.Generator:
        """A fresh generator for this instance; ``stream`` selects an independent child."""
        return np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(stream,)))

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)

    def to_dict(self) -> dict:
        return {"data": self.data.to_dict(), "seed": self.seed, "mode": self.mode,
                "params": dict(self.params)}

    @classmethod
    def from_dict(cls, obj: Mapping) -> "Instance":
        return cls(Dataset.from_dict(obj["data"]), int(obj["seed"]), obj.get("mode", "quick"),
                   dict(obj.get("params", {})))


@dataclass(frozen=True)
class CheckResult:
    """What a check returns: the verdict, the numbers behind it and the margin.

    ``margin`` is bound ÷ observed (oriented so that > 1 means the claim holds with
    room to spare; see :class:`Kind`).  ``details`` is JSON-ready extra information.
    """

    claim: str
    status: Status
    kind: Kind
    level: Level
    observed: float | None = None
    bound: float | None = None
    margin: float | None = None
    message: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)
    check: str = ""

    @property
    def ok(self) -> bool:
        """Not a failure (holds, inconclusive, or hypothesis not met)."""
        return self.status is not Status.FAILS

    def to_dict(self) -> dict:
        return {
            "claim": self.claim,
            "check": self.check,
            "status": self.status.value,
            "kind": self.kind.value,
            "level": self.level.value,
            "observed": _json_float(self.observed),
            "bound": _json_float(self.bound),
            "margin": _json_float(self.margin),
            "message": self.message,
            "details": _jsonable(self.details),
        }


def _json_float(x):
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else str(x)


def _jsonable(obj):
    if isinstance(obj, Mapping):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _jsonable(obj.tolist())
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return _json_float(obj)
    if isinstance(obj, enum.Enum):
        return obj.value
    if obj is None or isinstance(obj, str):
        return obj
    return str(obj)


# -- result helpers used by every check -----------------------------------------

_AUTO = object()


def compare(claim: str, kind: Kind, level: Level, observed: float, bound: float, *,
            undecided: bool = False, message: str = "", details: Mapping | None = None,
            hypothesis_met: bool = True, margin: float | None | object = _AUTO) -> CheckResult:
    """Build a :class:`CheckResult` from an observed value and its bound.

    identity/upper: holds iff observed ≤ bound; lower: holds iff observed ≥ bound;
    probability: the caller decides (pass ``undecided`` and the verdict via bound).
    ``undecided`` forces INCONCLUSIVE (an interval or Monte Carlo band straddling the
    bound); NaN observed values are failures, never passes.  ``margin=None`` says that
    a ratio means nothing here (e.g. a strict positivity against the bound 0).
    """
    obs, bnd = float(observed), float(bound)
    if not hypothesis_met:
        status = Status.HYPOTHESIS_NOT_MET
    elif undecided:
        status = Status.INCONCLUSIVE
    elif math.isnan(obs) or math.isnan(bnd):
        status = Status.FAILS
    elif kind is Kind.LOWER:
        status = Status.HOLDS if obs >= bnd else Status.FAILS
    else:
        status = Status.HOLDS if obs <= bnd else Status.FAILS
    if margin is _AUTO:
        margin = _ratio(obs, bnd) if kind is Kind.LOWER else _ratio(bnd, obs)
    return CheckResult(claim, status, kind, level, obs, bnd, margin, message, dict(details or {}))


def _ratio(a: float, b: float) -> float:
    if math.isnan(a) or math.isnan(b):
        return float("nan")
    if b == 0:
        return float("inf") if a > 0 else (1.0 if a == 0 else float("-inf"))
    return a / b


_SEVERITY = {Status.FAILS: 4, Status.INCONCLUSIVE: 3, Status.HYPOTHESIS_NOT_MET: 2,
             Status.HOLDS: 1, Status.UNCHECKED: 0}


def combine(results: Iterable[CheckResult]) -> tuple[Status, float | None]:
    """Worst status over results and the smallest margin among them."""
    results = list(results)
    if not results:
        return Status.UNCHECKED, None
    status = max((r.status for r in results), key=_SEVERITY.__getitem__)
    margins = [r.margin for r in results if r.margin is not None and not math.isnan(r.margin)]
    return status, (min(margins) if margins else None)


# -- registry --------------------------------------------------------------------

@dataclass(frozen=True)
class Claim:
    """A claim of THEORY.md.

    provenance: "paper" (stated in Dukler et al. 2020), "restated" (confirmed through a
    later paper that restates it), "reconstructed" (rebuilt by the same argument; least
    certain), "toolkit" (an observation made here), or "du2019" (Du et al. 2019).
    """

    id: str
    title: str
    statement: str
    section: str
    hypotheses: tuple[str, ...] = ()
    provenance: str = "paper"
    needs_A1: bool = False
    notes: str = ""


@dataclass(frozen=True)
class Check:
    """A registered check of one claim."""

    claim: str
    name: str
    level: Level
    fn: Callable[[Instance], CheckResult]
    doc: str = ""
    slow: bool = False

    def __call__(self, inst: Instance) -> CheckResult:
        res = self.fn(inst)
        if not isinstance(res, CheckResult):
            raise TypeError(f"check {self.name} returned {type(res).__name__}, not CheckResult")
        if res.claim != self.claim:
            raise ValueError(f"check {self.name} of {self.claim} returned a result for {res.claim}")
        return res if res.check else _with_check(res, self.name)


def _with_check(res: CheckResult, name: str) -> CheckResult:
    from dataclasses import replace

    return replace(res, check=name)


@dataclass(frozen=True)
class Derivation:
    """A registered symbolic derivation of one or more claims (see ``derivations/``)."""

    claims: tuple[str, ...]
    name: str
    fn: Callable[..., Any]
    doc: str = ""


_CLAIMS: dict[str, Claim] = {}
_CHECKS: dict[str, list[Check]] = {}
_DERIVATIONS: dict[str, Derivation] = {}
_LOADED = False

#: Packages scanned for plugins: every module in them is imported once.
PLUGIN_PACKAGES = ("wnproofs.checks", "wnproofs.derivations")


def declare(claim: Claim) -> Claim:
    """Add a claim to the registry (done once, in :mod:`wnproofs.claims`)."""
    if claim.id in _CLAIMS and _CLAIMS[claim.id] != claim:
        raise ValueError(f"claim {claim.id} declared twice")
    _CLAIMS[claim.id] = claim
    return claim


def check(claim_id: str, *, level: Level | str, name: str | None = None, slow: bool = False):
    """Decorator registering ``fn(inst) -> CheckResult`` as a check of ``claim_id``."""
    lvl = Level(level)

    def deco(fn):
        from . import claims as _  # noqa: F401  (claims must be declared)

        if claim_id not in _CLAIMS:
            raise KeyError(f"check {fn.__name__} names unknown claim {claim_id!r}")
        nm = name or f"{fn.__module__.rsplit('.', 1)[-1]}.{fn.__name__}"
        lst = _CHECKS.setdefault(claim_id, [])
        if all(c.name != nm for c in lst):
            lst.append(Check(claim_id, nm, lvl, fn, (fn.__doc__ or "").strip(), slow))
        return fn

    return deco


def derivation(*claim_ids: str, name: str | None = None):
    """Decorator registering a symbolic derivation of ``claim_ids``."""

    def deco(fn):
        from . import claims as _  # noqa: F401

        for cid in claim_ids:
            if cid not in _CLAIMS:
                raise KeyError(f"derivation {fn.__name__} names unknown claim {cid!r}")
        nm = name or f"{fn.__module__.rsplit('.', 1)[-1]}.{fn.__name__}"
        _DERIVATIONS[nm] = Derivation(tuple(claim_ids), nm, fn, (fn.__doc__ or "").strip())
        return fn

    return deco


def import_plugin_package(pkg_name: str):
    """Import ``wnproofs.checks`` or ``wnproofs.derivations``.

    Installed (``pip install .`` or ``-e .``), setuptools maps the top-level folders
    ``checks/`` and ``derivations/`` to these names.  Imported straight from a source
    checkout (the repository root on ``sys.path``, nothing installed), the folders sit
    beside the package: load them under the same names, so both layouts behave alike.
    """
    import importlib.util
    import sys
    from pathlib import Path

    try:
        return importlib.import_module(pkg_name)
    except ModuleNotFoundError as exc:
        if exc.name != pkg_name:
            raise
    short = pkg_name.rsplit(".", 1)[-1]
    folder = Path(__file__).resolve().parent.parent / short
    init = folder / "__init__.py"
    if not init.is_file():
        raise ModuleNotFoundError(f"cannot find {pkg_name} (looked for {folder})", name=pkg_name)
    spec = importlib.util.spec_from_file_location(pkg_name, init,
                                                  submodule_search_locations=[str(folder)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[pkg_name] = module
    spec.loader.exec_module(module)
    return module


def load_plugins() -> None:
    """Import every module of ``wnproofs.checks`` and ``wnproofs.derivations`` once."""
    global _LOADED
    if _LOADED:
        return
    from . import claims as _  # noqa: F401

    for pkg_name in PLUGIN_PACKAGES:
        pkg = import_plugin_package(pkg_name)
        for mod in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
            if not mod.name.startswith("_"):
                importlib.import_module(f"{pkg_name}.{mod.name}")
    _LOADED = True


def claims() -> list[Claim]:
    """All declared claims, in THEORY.md order."""
    load_plugins()
    return list(_CLAIMS.values())


def get_claim(claim_id: str) -> Claim:
    load_plugins()
    try:
        return _CLAIMS[claim_id]
    except KeyError:
        raise KeyError(f"unknown claim id {claim_id!r}; known: {', '.join(_CLAIMS)}") from None


def checks_for(claim_id: str) -> list[Check]:
    """The checks registered for one claim (possibly none)."""
    get_claim(claim_id)
    return list(_CHECKS.get(claim_id, []))


def all_checks() -> list[Check]:
    load_plugins()
    return [c for cid in _CLAIMS for c in _CHECKS.get(cid, [])]


def derivations_for(claim_id: str) -> list[Derivation]:
    get_claim(claim_id)
    return [d for d in _DERIVATIONS.values() if claim_id in d.claims]


def all_derivations() -> list[Derivation]:
    load_plugins()
    return list(_DERIVATIONS.values())
