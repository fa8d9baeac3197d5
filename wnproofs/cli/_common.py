"""Helpers shared by the subcommands: data loading, seeds, tables, progress."""

from __future__ import annotations

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
