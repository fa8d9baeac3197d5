"""Typed check parameters: a frozen dataclass per check module instead of ``inst.get`` strings.

A module declares ``@dataclass(frozen=True) class Params(CheckParams)`` with documented
defaults; a field whose default depends on the mode is ``None`` in the class and filled by
``mode_defaults``.  :meth:`CheckParams.from_instance` reads ``Instance.params``: an unknown key
raises ``InputError`` naming it and the known ones (a typo must not silently change nothing),
and JSON values are coerced to the field's type (lists to tuples, ints to floats ...).
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from typing import Any, ClassVar, Mapping

from wnproofs.errors import InputError
from wnproofs.plugin import Instance
from wnproofs.stats import DEFAULT_CONFIDENCE


def _coerce(name: str, value: Any, like: Any) -> Any:
    if like is None or value is None:
        return value
    try:
        if isinstance(like, bool):
            return bool(value)
        if isinstance(like, int):
            if isinstance(value, float) and not value.is_integer():
                raise ValueError
            return int(value)
        if isinstance(like, float):
            return float(value)
        if isinstance(like, str):
            return str(value)
        if isinstance(like, tuple):
            return tuple(value)
    except (TypeError, ValueError):
        raise InputError(f"parameter {name} = {value!r}: expected {type(like).__name__}") from None
    return value


@dataclass(frozen=True)
class CheckParams:
    """Base of the per-module ``Params`` dataclasses."""

    #: example values of the mode-dependent fields (for coercion), set by subclasses
    MODE_DEFAULTS: ClassVar[Mapping[str, Mapping[str, Any]]] = {}

    @classmethod
    def from_instance(cls, inst: Instance):
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(inst.params) - set(known))
        if unknown:
            raise InputError(f"unknown parameter(s) {', '.join(unknown)} for {cls.__module__}; "
                             f"known: {', '.join(sorted(known))}")
        mode = dict(cls.MODE_DEFAULTS.get(inst.mode, cls.MODE_DEFAULTS.get("quick", {})))
        kw = {}
        for name, f in known.items():
            default = mode.get(name, f.default if f.default is not MISSING else None)
            kw[name] = _coerce(name, inst.params[name], default) if name in inst.params else default
        return cls(**kw)


@dataclass(frozen=True)
class FrequencyParams(CheckParams):
    """Fields shared by the frequency checks of L2 and L3 (defaults in brackets).

    widths : widths m [quick (200, 2000); full (50, 500, 2000)].
    seeds : independent initializations per width [quick 200; full 2000]; the quick sample can
        only vouch for δ ≳ 13.8/seeds.
    delta : δ [0.1].
    alpha : initialization scale [1.0; V(0), G(0) and f(0) do not depend on it].
    confidence : of the Clopper–Pearson bounds [1 − 1e-6].
    tail_deltas : δ's of the exact-tail checks [(δ, 1e-3, 1e-10, 1e-30, 1e-100)].
    """

    widths: tuple | None = None
    seeds: int | None = None
    delta: float = 0.1
    alpha: float = 1.0
    confidence: float = DEFAULT_CONFIDENCE
    tail_deltas: tuple | None = None

    MODE_DEFAULTS = {"quick": {"widths": (200, 2000), "seeds": 200},
                     "full": {"widths": (50, 500, 2000), "seeds": 2000}}

    def deltas(self) -> tuple:
        """The δ ladder of the exact-tail checks: small δ is where a wrong exponent shows."""
        return tuple(self.tail_deltas) if self.tail_deltas is not None else (self.delta, 1e-3, 1e-10, 1e-30, 1e-100)
