"""A content-addressed cache of the bundled derivations' results, for `wnproofs verify`.

A derivation (:mod:`wnproofs.symbolic`) takes no data and no seed: its result is a function
of the source code and of the versions of Python, SymPy, mpmath, NumPy, SciPy and
python-flint alone.  `wnproofs verify` therefore keeps the results of the bundled
derivations on disk under a key that is the SHA-256 of exactly those inputs: every ``.py``
file of the ``wnproofs`` package and of the bundled ``derivations`` package (path and
content) and the versions.  Change one character of the code or upgrade SymPy and the key
changes, so the derivations run again; nothing else can make a stale result count.
Derivations loaded with ``--plugin`` are never cached (their source is not in the key).

Where: ``$WNPROOFS_CACHE_DIR``, else ``$XDG_CACHE_HOME/wnproofs``, else ``~/.cache/wnproofs``
(one file per key, written atomically); ``wnproofs verify --no-cache`` (or
``use_cache=False``) re-derives everything and writes nothing.  A cache that cannot be read
or written is skipped silently: it only saves time.  The report and the JSON say which
derivations were reused (``derivation_cache``).

The same cache holds the results of the theorem checks' *probe* computations (the instance
certificates and at-threshold runs on fixed probe instances with fixed seeds, which take no
data either): :func:`persistent` functions, JSON text under the same key plus their
arguments, used only inside :func:`enabled` (that is, by `verify` without ``--no-cache``); a
reused result carries ``"reused_from_cache"`` (the key's first 12 digits), which the check
puts in its details.

The same folder keeps the durations of the last run's units (``durations.json``), which
`verify` uses only to start the longest units first: the order of work changes the wall
time on several processes, never a result.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import platform
import sys
from functools import lru_cache
from pathlib import Path
from typing import Mapping

__all__ = ["cache_dir", "source_key", "is_bundled", "load", "store", "load_durations", "store_durations",
           "enabled", "persistent"]

#: bump when the pickled layout of DerivationResult changes incompatibly
FORMAT = 1


def cache_dir() -> Path:
    """The cache folder (it may not exist yet)."""
    env = os.environ.get("WNPROOFS_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "wnproofs"


def _bundled_roots() -> list[Path]:
    """The folders of the ``wnproofs`` package and of the bundled ``derivations`` package."""
    roots = [Path(__file__).resolve().parent]        # the wnproofs package
    for name in ("derivations", "wnproofs.derivations"):
        mod = sys.modules.get(name)
        if mod is not None and getattr(mod, "__file__", None):
            roots.append(Path(mod.__file__).resolve().parent)
    return sorted(set(roots))


def is_bundled(module_name: str) -> bool:
    """Whether a derivation defined in ``module_name`` is covered by :func:`source_key`."""
    top = module_name.split(".")[0]
    return top in ("wnproofs", "derivations")


def _versions() -> str:
    import mpmath
    import numpy
    import scipy
    import sympy

    try:
        import flint

        fl = flint.__version__
    except ImportError:  # pragma: no cover
        fl = "-"
    return (f"format={FORMAT} python={platform.python_version()} impl={platform.python_implementation()} "
            f"sympy={sympy.__version__} mpmath={mpmath.__version__} numpy={numpy.__version__} "
            f"scipy={scipy.__version__} flint={fl}")


@lru_cache(maxsize=1)
def _key_of(roots: tuple[Path, ...]) -> str:
    h = hashlib.sha256(_versions().encode())
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            h.update(str(path.relative_to(root.parent)).encode() + b"\0")
            h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def source_key() -> str:
    """SHA-256 of the bundled sources and the library versions (hex)."""
    return _key_of(tuple(_bundled_roots()))


def _file(key: str) -> Path:
    return cache_dir() / f"derivations-{key[:32]}.pickle"


def load(key: str) -> dict:
    """{derivation name: DerivationResult} stored under ``key`` ({} when none or unreadable)."""
    path = _file(key)
    try:
        with open(path, "rb") as fh:
            obj = pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return {}
    if not isinstance(obj, dict) or obj.get("key") != key:
        return {}
    results = obj.get("results")
    return dict(results) if isinstance(results, dict) else {}


def store(key: str, results: Mapping[str, object]) -> bool:
    """Write ``results`` (merged with what is stored under ``key``) atomically; False if it could not."""
    from .io import atomic_write_bytes

    merged = {**load(key), **dict(results)}
    try:
        cache_dir().mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(_file(key), pickle.dumps({"key": key, "results": merged},
                                                    protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return False
    return True


def _durations_file() -> Path:
    return cache_dir() / "durations.json"


def load_durations() -> dict[str, float]:
    """{unit key: seconds} of earlier runs ({} when none or unreadable)."""
    import json

    try:
        obj = json.loads(_durations_file().read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(obj, dict):
        return {}
    return {str(k): float(v) for k, v in obj.items() if isinstance(v, (int, float))}


def store_durations(durations: Mapping[str, float], *, keep: int = 5000) -> bool:
    """Merge ``durations`` into the stored ones (at most ``keep`` entries); False if not written."""
    from .io import atomic_write_json

    merged = {**load_durations(), **{k: round(float(v), 4) for k, v in durations.items()}}
    if len(merged) > keep:
        merged = dict(list(merged.items())[-keep:])
    try:
        cache_dir().mkdir(parents=True, exist_ok=True)
        atomic_write_json(_durations_file(), merged)
    except (OSError, TypeError, ValueError):
        return False
    return True


#: the key under which :func:`persistent` results are read and written (None: not at all);
#: set by :func:`enabled` around a verification (forked workers inherit it)
_ENABLED: list[str] = []


class enabled:
    """Context manager: :func:`persistent` functions use the disk cache inside the block."""

    def __enter__(self) -> str:
        key = source_key()
        _ENABLED.append(key)
        return key

    def __exit__(self, *exc) -> None:
        _ENABLED.pop()


def persistent(namespace: str):
    """Decorator for a deterministic function returning JSON text of a dict, whose arguments
    have a stable ``repr`` (numbers, strings, frozen dataclasses): inside :func:`enabled`, a
    result stored under (key, namespace, repr(args)) is returned with ``"reused_from_cache"``
    added, else it is computed and stored.  Outside, the function is just called."""
    import functools
    import json

    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*args):
            if not _ENABLED:
                return fn(*args)
            key = _ENABLED[-1]
            h = hashlib.sha256(f"{namespace}|{args!r}".encode()).hexdigest()[:32]
            path = cache_dir() / f"{namespace}-{key[:16]}-{h}.json"
            try:
                obj = json.loads(path.read_text())
                if isinstance(obj, dict) and obj.get("key") == key and obj.get("args") == repr(args):
                    out = json.loads(obj["result"])
                    out["reused_from_cache"] = key[:12]
                    return json.dumps(out)
            except (OSError, ValueError, KeyError, TypeError):
                pass
            text = fn(*args)
            try:
                from .io import atomic_write_json

                cache_dir().mkdir(parents=True, exist_ok=True)
                atomic_write_json(path, {"key": key, "args": repr(args), "result": text})
            except (OSError, TypeError, ValueError):
                pass
            return text

        return wrapper

    return deco
