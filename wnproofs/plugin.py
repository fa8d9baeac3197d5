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


def read_params(cls, params: Mapping[str, Any]):
    """Build a check module's frozen ``Params`` dataclass from ``inst.params`` (read once).

    Unknown keys are an error naming the known ones; each value is converted to its
    field's declared type (``int``, ``float``, ``str``, ``bool``; ``None`` allowed where
    the default is ``None``), a value that does not convert is an error naming the key.
    """
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(params) - set(fields))
    if unknown:
        raise InputError(f"unknown parameter(s) {', '.join(map(repr, unknown))} for {cls.__module__}."
                         f"{cls.__qualname__}; known: {', '.join(sorted(fields))}")
    kw = {}
    for k, v in params.items():
        typ = fields[k].type if isinstance(fields[k].type, str) else getattr(fields[k].type, "__name__", "")
        base = typ.replace(" ", "").split("|")
        if v is None and "None" in base:
            kw[k] = None
            continue
        conv = {"int": int, "float": float, "str": str, "bool": bool}.get(base[0])
        try:
            if conv is int and not float(v).is_integer():
                raise ValueError
            kw[k] = conv(v) if conv else v
        except (TypeError, ValueError):
            raise InputError(f"parameter {k!r} of {cls.__qualname__} must be {base[0]}, got {v!r}") from None
    return cls(**kw)
