"""Planted mutations of a module's source: the module recompiled with one text replaced, so a
test can show that its checks fail on a wrong variant of the code they guard."""

from __future__ import annotations

import importlib.util
import inspect
from types import ModuleType


def mutant(module: ModuleType, old: str, new: str) -> ModuleType:
    """``module`` compiled from its source with ``old`` (which must occur exactly once)
    replaced by ``new``, as a sibling module of the same package (relative imports work)."""
    src = inspect.getsource(module)
    assert src.count(old) == 1, old
    package = module.__name__.rpartition(".")[0]
    spec = importlib.util.spec_from_loader(f"{module.__name__}_mutant", loader=None)
    mod = importlib.util.module_from_spec(spec)
    mod.__package__ = package
    exec(compile(src.replace(old, new), f"{module.__name__}_mutant.py", "exec"), mod.__dict__)
    return mod
