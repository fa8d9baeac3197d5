"""The loader: collects claims, checks and derivations from the built-in and users' plugins.

Claims are data (:mod:`wnproofs.claims`, or a plugin module's ``CLAIMS`` list); checks and
derivations are marked in their own modules (:mod:`wnproofs.plugin`).  This module imports
the plugin modules and collects every marked object into tables keyed by claim id.  The
runner (:mod:`wnproofs.verify`), the face (report, CLI) and the tests read those tables;
library layers never import this module.

Where plugins come from, in this order:

1. **built-in**: :data:`wnproofs.claims.CLAIMS` and every module of the packages
   ``wnproofs.checks`` and ``wnproofs.derivations`` (the top-level ``checks/`` and
   ``derivations/`` folders of the repository);
2. **entry points** of the group ``wnproofs.plugins`` (:data:`ENTRY_POINT_GROUP`), found
   after a plain ``pip install`` of a user's package, sorted by name.  An entry point
   names a module or a package (``example = "wnproofs_example_plugin"``); of a package,
   the package and every module directly inside it whose name does not start with ``_``
   are collected.  ``WNPROOFS_DISABLE_PLUGIN_AUTOLOAD=1`` skips them;
3. **explicit** plugins (:func:`load_plugin`, ``--plugin MODULE_OR_PATH`` on the command
   line): a module name, a ``.py`` file, a package folder, or a plain folder of ``.py``
   files (loaded as one package, so its files import each other relatively).

A plugin is loaded whole or not at all.  A broken one (it raises on import, a check names
an unknown claim, a claim id clashes with another source's) leaves the tables as they were:
an entry-point plugin is recorded in :func:`plugin_errors` and the built-in claims (and the
other plugins) stay available; an explicit one raises :class:`PluginError`.  Claim ids are
unique: a clash is an error naming both sources.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import importlib.util
import os
import pkgutil
import re
import sys
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Iterable, Iterator

from .claims import CLAIMS as _BUILTIN_CLAIMS
from .claims import Claim
from .errors import InputError
from .plugin import CHECK_ATTR, DERIVATION_ATTR, Check, Derivation

__all__ = [
    "ENTRY_POINT_GROUP",
    "AUTOLOAD_ENV",
    "BUILTIN",
    "PLUGIN_PACKAGES",
    "PluginError",
    "PluginInfo",
    "claims",
    "get_claim",
    "claim_source",
    "checks_for",
    "derivations_for",
    "all_checks",
    "all_derivations",
    "load_plugins",
    "load_plugin",
    "loaded_plugins",
    "plugin_errors",
    "import_plugin_package",
    "register_module",
]

#: Entry-point group under which a user's package advertises its plugin module.
ENTRY_POINT_GROUP = "wnproofs.plugins"

#: Set this environment variable to a non-empty value other than "0" to skip entry points.
AUTOLOAD_ENV = "WNPROOFS_DISABLE_PLUGIN_AUTOLOAD"

#: The source name of the toolkit's own claims, checks and derivations.
BUILTIN = "built-in"

#: Packages scanned for the built-in checks and derivations: every module is imported once.
PLUGIN_PACKAGES = ("wnproofs.checks", "wnproofs.derivations")

#: The loaded tables (filled by :func:`load_plugins` / :func:`load_plugin`, a per-process cache).
_CLAIMS: dict[str, Claim] = {}
_SOURCES: dict[str, str] = {}          # claim id -> where it was declared
_CHECKS: dict[str, list[Check]] = {}
_DERIVATIONS: dict[str, Derivation] = {}
_PLUGINS: dict[str, "PluginInfo"] = {}  # key (module name or resolved path) -> info
_ERRORS: list["PluginError"] = []
_LOADED = False


class PluginError(InputError):
    """A plugin that could not be loaded (an :class:`~wnproofs.errors.InputError`).

    Attributes
    ----------
    plugin : the plugin's name (entry-point name, module name or path).
    source : where it came from (``entry point NAME = VALUE (dist D)``, ``--plugin PATH``).
    reason : what went wrong, one line.
    details : the traceback of the exception that broke it ("" if none).
    """

    def __init__(self, plugin: str, source: str, reason: str, details: str = "") -> None:
        self.plugin, self.source, self.reason, self.details = plugin, source, reason, details
        super().__init__(f"plugin {plugin!r} ({source}) could not be loaded: {reason}")


@dataclass(frozen=True)
class PluginInfo:
    """A loaded plugin: its name, where it came from, its modules and the claims it declared."""

    name: str
    source: str
    modules: tuple[str, ...]
    claims: tuple[str, ...]


# ---------------------------------------------------------------------------------------
# collecting marked objects
# ---------------------------------------------------------------------------------------

def _declare(claim: Claim, source: str) -> None:
    """Add ``claim``; ``source`` is ``"module"`` or ``"module (origin)"``."""
    old = _CLAIMS.get(claim.id)
    if old is not None:
        old_source = _SOURCES.get(claim.id, "an unknown source")
        if old == claim and old_source.split(" (")[0] == source.split(" (")[0]:
            return  # the same module collected twice (e.g. by entry point and by --plugin)
        raise InputError(f"claim id {claim.id!r} is declared twice: by {old_source} and by {source}; "
                         "claim ids must be unique (rename one)")
    _CLAIMS[claim.id] = claim
    _SOURCES[claim.id] = source


def _same_fn(a, b) -> bool:
    return a is b or (getattr(a, "__module__", None) == getattr(b, "__module__", None)
                      and getattr(a, "__qualname__", None) == getattr(b, "__qualname__", None))


def _add_check(chk: Check, source: str) -> None:
    if chk.claim not in _CLAIMS:
        raise InputError(f"check {chk.name} (in {source}) names the unknown claim {chk.claim!r}")
    lst = _CHECKS.setdefault(chk.claim, [])
    for old in lst:
        if old.name == chk.name:
            if _same_fn(old.fn, chk.fn):
                return  # the same module collected twice
            raise InputError(f"two checks of {chk.claim} are named {chk.name!r} (again in {source}); "
                             "give one a different name=")
    lst.append(chk)


def _add_derivation(der: Derivation, source: str) -> None:
    for cid in der.claims:
        if cid not in _CLAIMS:
            raise InputError(f"derivation {der.name} (in {source}) names the unknown claim {cid!r}")
    old = _DERIVATIONS.get(der.name)
    if old is not None:
        if _same_fn(old.fn, der.fn):
            return
        raise InputError(f"two derivations are named {der.name!r} (again in {source}); "
                         "choose another topic or function name")
    _DERIVATIONS[der.name] = der


def _collect(modules: Iterable[ModuleType], origin: str | None = None) -> list[str]:
    """Collect from ``modules`` in two passes: every ``CLAIMS`` entry first, then the marked
    checks and derivations (so a check may name a claim declared in a sibling module).
    ``origin`` (e.g. ``entry point ...``) is added to the module names in messages.
    Returns the ids of the claims declared."""
    modules = list(modules)
    declared = []

    def where_(module: ModuleType) -> str:
        return f"{module.__name__} ({origin})" if origin else module.__name__

    for module in modules:
        where = where_(module)
        for claim in getattr(module, "CLAIMS", ()) or ():
            if not isinstance(claim, Claim):
                raise InputError(f"{module.__name__}.CLAIMS holds {type(claim).__name__}, "
                                 "not wnproofs.claims.Claim")
            _declare(claim, where)
            declared.append(claim.id)
    for module in modules:
        where = where_(module)
        for obj in list(vars(module).values()):
            chk = getattr(obj, CHECK_ATTR, None)
            if isinstance(chk, Check):
                _add_check(chk, where)
            der = getattr(obj, DERIVATION_ATTR, None)
            if isinstance(der, Derivation):
                _add_derivation(der, where)
    return declared


def register_module(module: ModuleType) -> None:
    """Collect the claims (``CLAIMS``), checks and derivations that ``module`` marks.

    Raises :class:`~wnproofs.errors.InputError` on a claim-id clash or a check naming an
    unknown claim; the tables are then left as they were.
    """
    with _transaction():
        _collect([module])


@contextmanager
def _transaction() -> Iterator[None]:
    """Restore every table (in place) if the block raises: a plugin loads whole or not at all."""
    saved = (dict(_CLAIMS), dict(_SOURCES), {k: list(v) for k, v in _CHECKS.items()},
             dict(_DERIVATIONS), dict(_PLUGINS))
    try:
        yield
    except BaseException:
        for table, old in zip((_CLAIMS, _SOURCES, _CHECKS, _DERIVATIONS, _PLUGINS), saved):
            table.clear()
            table.update(old)
        raise


# ---------------------------------------------------------------------------------------
# importing plugin modules
# ---------------------------------------------------------------------------------------

def _with_submodules(pkg: ModuleType) -> list[ModuleType]:
    """The package (or plain module) and, for a package, each module directly inside it
    whose name does not start with ``_``, in name order."""
    mods = [pkg]
    for info in sorted(pkgutil.iter_modules(getattr(pkg, "__path__", None) or []), key=lambda m: m.name):
        if not info.name.startswith("_"):
            mods.append(importlib.import_module(f"{pkg.__name__}.{info.name}"))
    return mods


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
    if not (folder / "__init__.py").is_file():
        raise ModuleNotFoundError(f"cannot find {pkg_name} (looked for {folder})", name=pkg_name)
    return _import_folder_as(pkg_name, folder)


def _import_folder_as(name: str, folder: Path) -> ModuleType:
    """Import ``folder`` as the package ``name`` (its ``__init__.py`` if any, else empty)."""
    init = folder / "__init__.py"
    if init.is_file():
        spec = importlib.util.spec_from_file_location(name, init, submodule_search_locations=[str(folder)])
    else:
        spec = importlib.util.spec_from_loader(name, loader=None, is_package=True)
        spec.submodule_search_locations = [str(folder)]
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        if spec.loader is not None:
            spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def _folder_package_name(folder: Path) -> str:
    """A module name for a plain folder of plugin files, unique per resolved path."""
    stem = re.sub(r"\W", "_", folder.name) or "plugin"
    digest = hashlib.sha256(str(folder).encode()).hexdigest()[:8]
    return f"_wnproofs_plugin_{stem}_{digest}"


def _modules_from_path(path: Path) -> list[ModuleType]:
    """Import a ``.py`` file, a package folder or a plain folder of ``.py`` files."""
    path = path.resolve()
    if path.is_file():
        if path.suffix != ".py":
            raise InputError(f"{path} is not a .py file")
        for module in list(sys.modules.values()):  # already imported (e.g. by its entry point)
            f = getattr(module, "__file__", None)
            if f and f.endswith(".py") and Path(f).resolve() == path:
                return [module]
        name = _folder_package_name(path.parent)
        pkg = sys.modules.get(name) or _import_folder_as(name, path.parent)
        return [importlib.import_module(f"{pkg.__name__}.{path.stem}")]
    if not path.is_dir():
        raise InputError(f"no such file or folder: {path}")
    if (path / "__init__.py").is_file() and path.name.isidentifier():
        name = path.name
        old = sys.modules.get(name)
        if old is not None:
            old_dir = Path(getattr(old, "__file__", "") or "").resolve().parent
            if old_dir != path:
                raise InputError(f"a module named {name!r} is already imported from {old_dir}")
            return _with_submodules(old)
        return _with_submodules(_import_folder_as(name, path))
    name = _folder_package_name(path)
    pkg = sys.modules.get(name) or _import_folder_as(name, path)
    if not any(info.name[:1] != "_" for info in pkgutil.iter_modules([str(path)])):
        raise InputError(f"folder {path} holds no plugin module (.py file)")
    return _with_submodules(pkg)


def _looks_like_path(spec: str) -> bool:
    return spec.endswith(".py") or "/" in spec or os.sep in spec or Path(spec).exists()


def _load(name: str, source: str, key: str, importer) -> PluginInfo:
    """Import a plugin with ``importer()`` (a list of modules) and collect it, whole or not
    at all; a failure becomes a :class:`PluginError` naming the plugin."""
    if key in _PLUGINS:
        return _PLUGINS[key]
    try:
        with _transaction():
            modules = importer()
            declared = _collect(modules, source)
            info = PluginInfo(name, source, tuple(m.__name__ for m in modules), tuple(declared))
            _PLUGINS[key] = info
            return info
    except PluginError:
        raise
    except Exception as exc:  # anything a broken plugin raises, named and kept
        reason = str(exc) if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"
        raise PluginError(name, source, reason, traceback.format_exc(limit=8)) from exc


# ---------------------------------------------------------------------------------------
# the three sources
# ---------------------------------------------------------------------------------------

def _autoload_disabled() -> bool:
    return os.environ.get(AUTOLOAD_ENV, "") not in ("", "0")


def _entry_points() -> list[importlib.metadata.EntryPoint]:
    eps = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    unique = {}
    for ep in eps:  # the same distribution seen twice on sys.path appears twice
        unique.setdefault((ep.name, ep.value), ep)
    return [unique[k] for k in sorted(unique)]


def _load_entry_point(ep: importlib.metadata.EntryPoint) -> None:
    dist = getattr(ep, "dist", None)
    source = f"entry point {ep.name} = {ep.value}" + \
        (f" of {dist.name} {dist.version}" if dist is not None else "")

    def importer() -> list[ModuleType]:
        obj = ep.load()
        if not isinstance(obj, ModuleType):
            raise InputError(f"the entry point must name a module or package, not a {type(obj).__name__}")
        return _with_submodules(obj)

    try:
        _load(ep.name, source, f"module:{ep.value}", importer)
    except PluginError as err:
        _ERRORS.append(err)


def load_plugins() -> None:
    """Collect the built-in claims, checks and derivations, then the entry-point plugins.

    Runs once per process.  A broken entry-point plugin is recorded in
    :func:`plugin_errors` and left out; the built-in tables are complete regardless.
    """
    global _LOADED
    if _LOADED:
        return
    with _transaction():
        for claim in _BUILTIN_CLAIMS:
            _declare(claim, f"wnproofs.claims ({BUILTIN})")
        modules = []
        for pkg_name in PLUGIN_PACKAGES:
            modules += _with_submodules(import_plugin_package(pkg_name))[1:]
        _collect(modules, None)
    _LOADED = True
    if not _autoload_disabled():
        for ep in _entry_points():
            _load_entry_point(ep)


def load_plugin(spec: str, *, source: str | None = None) -> PluginInfo:
    """Load one plugin given by module name or path (what ``--plugin MODULE_OR_PATH`` does).

    Parameters
    ----------
    spec : an importable module or package name, a ``.py`` file, a package folder, or a
        plain folder of ``.py`` files.  An existing path wins over a module name.
    source : how to name the origin in messages (default ``--plugin SPEC``).

    Returns the :class:`PluginInfo` (loading the same plugin again is a no-op).
    Raises :class:`PluginError` naming the plugin when it cannot be loaded; the tables are
    then left as they were.
    """
    load_plugins()
    spec = str(spec)
    source = source or f"--plugin {spec}"
    if _looks_like_path(spec):
        path = Path(spec).expanduser()
        if not path.exists():
            raise PluginError(spec, source, f"no such file or folder: {path}")
        return _load(spec, source, f"path:{path.resolve()}", lambda: _modules_from_path(path))
    if not all(part.isidentifier() for part in spec.split(".")):
        raise PluginError(spec, source, "not a module name, and no file or folder of that name exists")

    def importer() -> list[ModuleType]:
        try:
            module = importlib.import_module(spec)
        except ModuleNotFoundError as exc:
            if exc.name and spec.startswith(exc.name):
                raise InputError(f"no module named {spec!r}, and no file or folder of that name") from None
            raise
        return _with_submodules(module)

    return _load(spec, source, f"module:{spec}", importer)


def loaded_plugins() -> list[PluginInfo]:
    """The users' plugins loaded so far (entry points and explicit), in load order."""
    load_plugins()
    return list(_PLUGINS.values())


def plugin_errors() -> list[PluginError]:
    """The entry-point plugins that could not be loaded (left out of the tables)."""
    return list(_ERRORS)


# ---------------------------------------------------------------------------------------
# reading the tables
# ---------------------------------------------------------------------------------------

def claims() -> list[Claim]:
    """All declared claims, in THEORY.md order (built-in first, then plugins')."""
    load_plugins()
    return list(_CLAIMS.values())


def get_claim(claim_id: str) -> Claim:
    """The claim with this id; ``KeyError`` naming the known ids (and broken plugins) otherwise."""
    load_plugins()
    try:
        return _CLAIMS[claim_id]
    except KeyError:
        msg = f"unknown claim id {claim_id!r}; known: {', '.join(_CLAIMS)}"
        if _ERRORS:
            msg += f" (plugins that failed to load: {', '.join(e.plugin for e in _ERRORS)})"
        raise KeyError(msg) from None


def claim_source(claim_id: str) -> str:
    """Where a claim was declared: ``wnproofs.claims (built-in)`` or the plugin module and origin."""
    get_claim(claim_id)
    return _SOURCES.get(claim_id, "unknown")


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
