"""Helpers shared by the subcommands: data loading, plugins, seeds, tables, progress."""

from __future__ import annotations

import argparse
import math
import sys
from typing import Sequence

from ..data import Dataset, load


def add_data_argument(p) -> None:
    p.add_argument("--data", metavar="FILE", help=".npz (arrays X, y) or .csv (last column y)")
    p.add_argument("--normalize", action="store_true",
                   help="normalise the rows of X to unit norm instead of rejecting them")


def load_data(args) -> Dataset | None:
    if not getattr(args, "data", None):
        return None
    ds = load(args.data, normalize=args.normalize)
    if ds.normalized:
        print(f"note: rows of {args.data} were normalised to unit norm", file=sys.stderr)
    return ds


class _LoadPlugin(argparse.Action):
    """``--plugin MODULE_OR_PATH``: load the plugin as the flag is read (a broken one is a
    command-line error, exit 2, naming the flag and the plugin)."""

    def __call__(self, parser, namespace, value, option_string=None) -> None:
        from ..registry import PluginError, load_plugin

        try:
            load_plugin(value, source=f"{option_string} {value}")
        except PluginError as exc:
            raise argparse.ArgumentError(self, f"cannot load {value!r}: {exc.reason}") from None
        setattr(namespace, self.dest, [*(getattr(namespace, self.dest, None) or []), value])


def add_plugin_argument(p) -> None:
    """Add ``--plugin MODULE_OR_PATH`` (repeatable) to a subcommand."""
    p.add_argument("--plugin", action=_LoadPlugin, default=[], metavar="MODULE_OR_PATH",
                   help="also load this plugin of claims, checks and derivations: a module name, "
                        "a .py file or a folder (repeatable; installed plugins are found by "
                        "their 'wnproofs.plugins' entry point without it)")


def report_broken_plugins(code: int) -> int:
    """Print each installed plugin that failed to load; exit 3 (error) if one did, unless
    the command already failed for another reason (kept)."""
    from ..registry import plugin_errors

    errors = plugin_errors()
    for err in errors:
        print(f"wnproofs: error: {err} (its claims were left out; set "
              "WNPROOFS_DISABLE_PLUGIN_AUTOLOAD=1 to skip installed plugins)", file=sys.stderr)
    return 3 if errors and code in (0, 1) else code


def fmt_num(x) -> str:
    if x is None:
        return "-"
    if isinstance(x, str):
        return x
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:.3g}"


def table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    """A plain-text table with aligned columns."""
    rows = [[str(c) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths))
    sep = "  ".join("-" * w for w in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
    return "\n".join([line, sep, *body])


def progress_bar(total: int, desc: str, enabled: bool = True):
    """A tqdm bar on stderr (disabled when not a terminal unless forced)."""
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, file=sys.stderr, disable=not enabled, leave=False)
