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
