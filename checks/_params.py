"""Typed check parameters: each check module declares ``@dataclass(frozen=True) class Params``
with documented defaults, and reads it once with :func:`read_params` (issue 10: no
stringly-typed ``inst.get`` knobs; an unknown key is an error, never silently ignored).
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, TypeVar

from wnproofs.errors import InputError
from wnproofs.plugin import Instance

P = TypeVar("P")


def _convert(name: str, hint: Any, value: Any) -> Any:
    if hint is bool:
        if not isinstance(value, bool):
            raise InputError(f"parameter {name} must be true or false, got {value!r}")
        return value
    if hint is int:
        if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, float) and value.is_integer())):
            raise InputError(f"parameter {name} must be an integer, got {value!r}")
        return int(value)
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InputError(f"parameter {name} must be a number, got {value!r}")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise InputError(f"parameter {name} must be a string, got {value!r}")
        return value
    return value


def read_params(cls: type[P], inst: Instance, claim: str) -> P:
    """``cls(**inst.params)`` with each value checked against the field's type.

    Raises :class:`wnproofs.InputError` naming the claim for an unknown key (with the known
    ones) or a value of the wrong type.
    """
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(inst.params) - known)
    if unknown:
        raise InputError(f"unknown parameter(s) {', '.join(unknown)} for {claim}; "
                         f"known: {', '.join(sorted(known))}")
    return cls(**{k: _convert(f"{claim}.{k}", hints[k], v) for k, v in inst.params.items()})
