"""Plugin markers: what a module of checks or derivations uses to declare itself.

A check is a pure function ``fn(inst: Instance) -> CheckResult`` marked with
:func:`check`; the marker only attaches metadata to the function (no global table): the
loader (:mod:`wnproofs.registry`) imports plugin modules and collects what is marked.
A plugin module that adds claims lists them in a module-level ``CLAIMS`` sequence of
:class:`wnproofs.claims.Claim`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping

import numpy as np

from .data import Dataset
from .errors import InputError
from .outcomes import CheckResult, Level

__all__ = ["Instance", "Check", "Derivation", "check", "derivation", "read_params", "CHECK_ATTR",
           "DERIVATION_ATTR"]

#: Attribute names the markers set on a function.
CHECK_ATTR = "__wnproofs_check__"
DERIVATION_ATTR = "__wnproofs_derivation__"


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
class Check:
    """A marked check of one claim."""

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
        return res if res.check else replace(res, check=self.name)


@dataclass(frozen=True)
class Derivation:
    """A marked symbolic derivation of one or more claims (see ``derivations/``)."""

    claims: tuple[str, ...]
    name: str
    fn: Callable[..., Any]
    doc: str = ""


def check(claim_id: str, *, level: Level | str, name: str | None = None, slow: bool = False):
    """Mark ``fn(inst) -> CheckResult`` as a check of ``claim_id`` (collected by the loader)."""
    lvl = Level(level)

    def deco(fn):
        nm = name or f"{fn.__module__.rsplit('.', 1)[-1]}.{fn.__name__}"
        setattr(fn, CHECK_ATTR, Check(claim_id, nm, lvl, fn, (fn.__doc__ or "").strip(), slow))
        return fn

    return deco


def derivation(*claim_ids: str, name: str | None = None):
    """Mark ``fn`` as a symbolic derivation of ``claim_ids`` (collected by the loader)."""

    def deco(fn):
        nm = name or f"{fn.__module__.rsplit('.', 1)[-1]}.{fn.__name__}"
        setattr(fn, DERIVATION_ATTR, Derivation(tuple(claim_ids), nm, fn, (fn.__doc__ or "").strip()))
        return fn

    return deco


def _convert(name: str, hint: Any, value: Any) -> Any:
    """``value`` as the field's declared type; an InputError naming the key otherwise."""
    if value is None and (hint is type(None) or type(None) in getattr(hint, "__args__", ())):
        return None
    base = next((a for a in getattr(hint, "__args__", (hint,)) if a is not type(None)), hint)
    if base is bool:
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if not isinstance(value, (bool, np.bool_)):
            raise InputError(f"parameter {name} must be true or false, got {value!r}")
        return bool(value)
    if base is int:
        ok = isinstance(value, (int, np.integer)) or (isinstance(value, (float, np.floating))
                                                      and float(value).is_integer())
        if isinstance(value, str):
            try:
                value, ok = float(value), float(value).is_integer()
            except ValueError:
                ok = False
        if isinstance(value, bool) or not ok:
            raise InputError(f"parameter {name} must be an integer, got {value!r}")
        return int(value)
    if base is float:
        try:
            if isinstance(value, bool):
                raise ValueError
            return float(value)
        except (TypeError, ValueError):
            raise InputError(f"parameter {name} must be a number, got {value!r}") from None
    if base is str:
        if not isinstance(value, str):
            raise InputError(f"parameter {name} must be a string, got {value!r}")
        return value
    return value


def read_params(cls, params: "Mapping[str, Any] | Instance", claim: str | None = None):
    """Build a check module's frozen ``Params`` dataclass from ``inst.params`` (read once).

    ``params`` is an :class:`Instance` or its ``params`` mapping.  Unknown keys are an
    error naming the known ones; each value is converted to its field's declared type
    (``int``, ``float``, ``str``, ``bool``; ``None`` where the type allows it); a value that
    does not convert is an error naming the key (and the claim, when given).
    """
    import typing

    if isinstance(params, Instance):
        params = params.params
    hints = typing.get_type_hints(cls)
    fields = {f.name for f in dataclasses.fields(cls)}
    owner = claim or f"{cls.__module__}.{cls.__qualname__}"
    unknown = sorted(set(params) - fields)
    if unknown:
        raise InputError(f"unknown parameter(s) {', '.join(map(repr, unknown))} for {owner}; "
                         f"known: {', '.join(sorted(fields))}")
    return cls(**{k: _convert(f"{claim}.{k}" if claim else k, hints[k], v) for k, v in params.items()})
