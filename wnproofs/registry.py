"""The loader: collects claims, checks and derivations from the plugin packages.

Claims are data (:mod:`wnproofs.claims`); checks and derivations are marked in their own
modules (:mod:`wnproofs.plugin`).  This module imports the plugin packages
(``wnproofs.checks`` and ``wnproofs.derivations``, i.e. the top-level ``checks/`` and
``derivations/`` folders) and collects every marked object into a table keyed by claim id.
The runner (:mod:`wnproofs.verify`), the face (report, CLI) and the tests read that table;
library layers never import this module.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import sys
from pathlib import Path
from types import ModuleType

from .claims import CLAIMS as _BUILTIN_CLAIMS
from .claims import Claim
from .plugin import CHECK_ATTR, DERIVATION_ATTR, Check, Derivation

__all__ = [
    "claims",
    "get_claim",
    "checks_for",
    "derivations_for",
    "all_checks",
    "all_derivations",
    "load_plugins",
    "import_plugin_package",
    "register_module",
    "PLUGIN_PACKAGES",
]

#: The loaded tables (filled once by :func:`load_plugins`, a per-process cache).
_CLAIMS: dict[str, Claim] = {}
_CHECKS: dict[str, list[Check]] = {}
_DERIVATIONS: dict[str, Derivation] = {}
_LOADED = False

#: Packages scanned for plugins: every module in them is imported once.
PLUGIN_PACKAGES = ("wnproofs.checks", "wnproofs.derivations")


def _declare(claim: Claim, source: str) -> None:
    old = _CLAIMS.get(claim.id)
    if old is not None and old != claim:
        raise ValueError(f"claim {claim.id} declared twice (again in {source})")
    _CLAIMS[claim.id] = claim


def register_module(module: ModuleType) -> None:
    """Collect the claims (``CLAIMS``), checks and derivations that ``module`` marks."""
    for claim in getattr(module, "CLAIMS", ()) or ():
        if isinstance(claim, Claim):
            _declare(claim, module.__name__)
    for obj in list(vars(module).values()):
        chk = getattr(obj, CHECK_ATTR, None)
        if isinstance(chk, Check):
            if chk.claim not in _CLAIMS:
                raise KeyError(f"check {chk.name} names unknown claim {chk.claim!r}")
            lst = _CHECKS.setdefault(chk.claim, [])
            if all(c.name != chk.name for c in lst):
                lst.append(chk)
        der = getattr(obj, DERIVATION_ATTR, None)
        if isinstance(der, Derivation):
            for cid in der.claims:
                if cid not in _CLAIMS:
                    raise KeyError(f"derivation {der.name} names unknown claim {cid!r}")
            _DERIVATIONS.setdefault(der.name, der)


def import_plugin_package(pkg_name: str):
    """Import ``wnproofs.checks`` or ``wnproofs.derivations``.

    Installed (``pip install .``), setuptools maps the top-level folders ``checks/`` and
    ``derivations/`` to these names.  Imported straight from a source checkout (the
    repository root on ``sys.path``, nothing installed), the folders sit beside the
    package: load them under the same names, so both layouts behave alike.
    """
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
    """Declare the built-in claims and import every module of the plugin packages once."""
    global _LOADED
    if _LOADED:
        return
    for claim in _BUILTIN_CLAIMS:
        _declare(claim, "wnproofs.claims")
    for pkg_name in PLUGIN_PACKAGES:
        pkg = import_plugin_package(pkg_name)
        for mod in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
            if not mod.name.startswith("_"):
                register_module(importlib.import_module(f"{pkg_name}.{mod.name}"))
    _LOADED = True


def claims() -> list[Claim]:
    """All declared claims, in THEORY.md order (built-in first, then plugins')."""
    load_plugins()
    return list(_CLAIMS.values())


def get_claim(claim_id: str) -> Claim:
    """The claim with this id; ``KeyError`` naming the known ids otherwise."""
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
    """Every check, in claim order."""
    load_plugins()
    return [c for cid in _CLAIMS for c in _CHECKS.get(cid, [])]


def derivations_for(claim_id: str) -> list[Derivation]:
    """The derivations that name this claim."""
    get_claim(claim_id)
    return [d for d in _DERIVATIONS.values() if claim_id in d.claims]


def all_derivations() -> list[Derivation]:
    """Every derivation."""
    load_plugins()
    return list(_DERIVATIONS.values())
