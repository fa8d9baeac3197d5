"""The `wnproofs` command line.

Each subcommand is a module of this package with a ``register(subparsers)`` function
that adds its parser and sets ``func`` (returning an exit code).  Modules are found
with ``pkgutil``, so a new subcommand is one new file.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from ..errors import InputError
from ._common import report_broken_plugins

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="wnproofs",
        description="Verify the convergence proof for two-layer ReLU networks with Weight "
                    "Normalization (Dukler, Gu, Montúfar, ICML 2020), claim by claim.",
    )
    parser.add_argument("--version", action="version", version=f"wnproofs {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if mod.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{mod.name}")
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code (0 ok, 1 a claim failed, 2 bad input,
    3 an installed plugin failed to load)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        code = int(args.func(args) or 0)
    except InputError as exc:
        print(f"wnproofs: error: {exc}", file=sys.stderr)
        code = 2
    except KeyboardInterrupt:
        print("wnproofs: interrupted; nothing half-written was left behind", file=sys.stderr)
        return 130
    return report_broken_plugins(code)  # an installed plugin that failed to load: exit 3
