"""The one outcome vocabulary of wnproofs: statuses, levels, kinds and check results.

Every check, certificate and theorem run reports in these words, and a derivation step in
:class:`Verdict`'s (proved / failed / inconclusive: the same three values, in the words of a
proof) (STYLE.md "Statuses"; THEORY.md §9 for the levels):

* ``holds`` / ``fails``: decided, with every hypothesis of the claim met;
* ``inconclusive``: an interval straddling the bound, a Monte Carlo band containing it, an
  exhausted budget; never rounded up to holds;
* ``observed``: the conclusion was seen, but on a run that does not meet every hypothesis
  (e.g. a width below the explicit threshold); ``details.unmet`` lists what was unmet;
* ``deviates (hypotheses unmet)``: a deviation from the conclusion seen only outside the
  hypotheses: evidence about the mechanism, never a failure of the claim;
* ``hypothesis not met``: the instance violates a hypothesis (e.g. A1), nothing was tested;
* ``error``: the check itself crashed (exit 3), never reported as ``fails``;
* ``unchecked``: nothing ran.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

import numpy as np

__all__ = [
    "Status",
    "Verdict",
    "Level",
    "LEVEL_ORDER",
    "Kind",
    "CheckResult",
    "compare",
    "combine",
    "jsonable",
    "json_float",
]


class Status(str, enum.Enum):
    """Outcome of a check (three-valued, plus an unmet hypothesis)."""

    HOLDS = "holds"
    FAILS = "fails"
    INCONCLUSIVE = "inconclusive"
    OBSERVED = "observed"
    DEVIATES = "deviates (hypotheses unmet)"
    HYPOTHESIS_NOT_MET = "hypothesis not met"
    ERROR = "error"
    UNCHECKED = "unchecked"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value


class Verdict(str, enum.Enum):
    """Outcome of one derivation step (:mod:`wnproofs.symbolic`): the same three values as a
    check's, in the words of a proof — proved (holds), failed (fails), inconclusive; never
    rounded up to proved.  :attr:`status` is the check status it reads as."""

    PROVED = "proved"
    INCONCLUSIVE = "inconclusive"
    FAILED = "failed"

    @property
    def status(self) -> "Status":
        return {Verdict.PROVED: Status.HOLDS, Verdict.FAILED: Status.FAILS}.get(self, Status.INCONCLUSIVE)

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
            "observed": json_float(self.observed),
            "bound": json_float(self.bound),
            "margin": json_float(self.margin),
            "message": self.message,
            "details": jsonable(self.details),
        }


def json_float(x):
    """A float for JSON: finite as is, else "inf"/"-inf"/"nan"."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else str(x)


def jsonable(obj):
    """``obj`` with numpy scalars, arrays and enums made JSON-ready (non-finite floats as strings)."""
    if isinstance(obj, Mapping):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist())
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return json_float(obj)
    if isinstance(obj, enum.Enum):
        return obj.value
    if obj is None or isinstance(obj, str):
        return obj
    return str(obj)



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


#: Worst first: a crash, a failure, an undecided check, then the outside-hypotheses outcomes.
SEVERITY = {Status.ERROR: 7, Status.FAILS: 6, Status.INCONCLUSIVE: 5, Status.DEVIATES: 4,
            Status.OBSERVED: 3, Status.HYPOTHESIS_NOT_MET: 2, Status.HOLDS: 1, Status.UNCHECKED: 0}


def combine(results: Iterable[CheckResult]) -> tuple[Status, float | None]:
    """Worst status over results and the smallest margin among them."""
    results = list(results)
    if not results:
        return Status.UNCHECKED, None
    status = max((r.status for r in results), key=SEVERITY.__getitem__)
    margins = [r.margin for r in results if r.margin is not None and not math.isnan(r.margin)]
    return status, (min(margins) if margins else None)
