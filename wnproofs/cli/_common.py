"""Helpers shared by the subcommands: argument types, data loading, paths, ids, tables, progress.

Every argument is validated before any work: the argument types below turn a bad value
into argparse's one-line "argument --alpha: ..." (exit 2); paths are checked for their
kind and writability; claim ids are matched case-insensitively with a suggestion.
"""

from __future__ import annotations

import argparse
import difflib
import math
import os
import sys
import time
from pathlib import Path
from typing import Callable, Iterable, Sequence

from ..errors import (ALPHA_RANGE, DPS_MAX, DPS_MIN, SEED_MAX, InputError, check_alpha, check_delta,
                      check_dps, check_int, check_real, check_seed)

#: Seconds between two plain progress lines when stderr is not a terminal.
PROGRESS_INTERVAL = 5.0

#: Python argument names of library errors → the flag that sets them.
FLAGS = {"alpha": "--alpha", "delta": "--delta", "dps": "--dps", "m": "--m", "seed": "--seed",
         "seeds": "--seeds", "n": "--n", "d": "--d", "eta": "--eta", "eta_v": "--eta-v",
         "eta_g": "--eta-g", "steps": "--steps", "y_max": "--y-max", "X": "--data", "y": "--data",
         "path": "--data", "data": "--data", "normalize": "--normalize", "scheduler": "--scheduler",
         "store": "--store", "out": "--out", "params": "--set", "max_steps": "--max-steps",
         "max_evals": "--max-evals", "claims": "--claims", "T": "--T", "record_every": "--record-every"}


class CLIParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (no usage block) and exit 2."""

    def error(self, message: str):  # noqa: D401 - argparse's interface
        sys.stderr.write(f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)\n")
        raise SystemExit(2)

    def _get_values(self, action, arg_strings):
        # argparse drops a value "--" (as in --seed=--) and would hand the command an empty list
        if action.option_strings and arg_strings == ["--"]:
            self.error(f"argument {'/'.join(action.option_strings)}: expected a value, got '--'")
        return super()._get_values(action, arg_strings)


def one_line(text: str, limit: int = 400) -> str:
    """``text`` on one line, at most ``limit`` characters."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def flag_message(exc: InputError) -> str:
    """The message of a library error, naming the flag of the argument it is about."""
    msg = one_line(str(exc))
    flag = FLAGS.get(getattr(exc, "arg", None) or "")
    if flag and flag not in msg:
        msg = f"{flag}: {msg}"
    return msg.replace("normalize=True", "--normalize")


# ----------------------------------------------------------------------------- argument types

def _typed(check: Callable, what: str):
    def parse(text: str):
        try:
            value = float(text) if any(c in text for c in ".eEnN") else int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what}, got {text!r}") from None
        try:
            return check(value)
        except InputError as exc:
            msg = str(exc)   # "alpha must lie in ..." -> "must lie in ..." (argparse names the flag)
            raise argparse.ArgumentTypeError(msg[msg.index(" must ") + 1:] if " must " in msg else msg) from None

    parse.__name__ = what
    return parse


def int_arg(lo: int, hi: int):
    """An integer in [lo, hi] (``1e6`` accepted for 1000000)."""
    return _typed(lambda v: check_int(v, "value", lo, hi), f"an integer in [{lo}, {hi}]")


def float_arg(lo: float, hi: float, *, lo_open: bool = False, hi_open: bool = False):
    """A finite number in the interval (lo or [lo, hi] or hi)."""
    def check(v):
        x = check_real(v, "value")
        if (x <= lo if lo_open else x < lo) or (x >= hi if hi_open else x > hi):
            raise InputError(f"value must lie in {'(' if lo_open else '['}{lo:g}, {hi:g}"
                             f"{')' if hi_open else ']'}, got {x:g}")
        return x

    return _typed(check, f"a number in {'(' if lo_open else '['}{lo:g}, {hi:g}{')' if hi_open else ']'}")


alpha_arg = _typed(check_alpha, f"a number in [{ALPHA_RANGE[0]:g}, {ALPHA_RANGE[1]:g}]")
delta_arg = _typed(check_delta, "a number in (0, 1)")
dps_arg = _typed(check_dps, f"an integer in [{DPS_MIN}, {DPS_MAX}]")
seed_arg = _typed(check_seed, f"an integer in [0, {SEED_MAX}]")


# ----------------------------------------------------------------------------- paths

def _writable_folder(folder: Path) -> Path | None:
    """The nearest existing ancestor of ``folder`` if it is a writable folder, else it (or None)."""
    p = folder
    while not p.exists():
        if p.parent == p:
            return None
        p = p.parent
    return p


def check_output_file(path: str | None, flag: str, suffixes: Sequence[str] | None = None) -> Path | None:
    """``--json PATH`` style: a file (not a folder) in a folder we can write; optional suffixes."""
    if path is None:
        return None
    p = Path(path)
    if str(path).strip() == "":
        raise InputError(f"{flag}: empty path")
    if p.is_dir() or str(path).endswith(("/", os.sep)):
        raise InputError(f"{flag} {path}: is a folder; give a file name")
    if suffixes is not None and p.suffix.lower() not in suffixes:
        raise InputError(f"{flag} {path}: unsupported file type {p.suffix or '(none)'!r}; "
                         f"use one of {', '.join(suffixes)}")
    _check_parent(p, flag, path)
    if p.exists() and not os.access(p, os.W_OK):
        raise InputError(f"{flag} {path}: the file exists and is not writable")
    return p


def check_output_dir(path: str | None, flag: str) -> Path | None:
    """``--out DIR``: not a file, in a folder we can write."""
    if path is None:
        return None
    p = Path(path)
    if str(path).strip() == "":
        raise InputError(f"{flag}: empty path")
    if p.exists() and not p.is_dir():
        raise InputError(f"{flag} {path}: exists and is not a folder")
    _check_parent(p, flag, path)
    return p


def _check_parent(p: Path, flag: str, path: str) -> None:
    parent = p.resolve().parent
    anc = _writable_folder(parent)
    if anc is None or not anc.is_dir():
        raise InputError(f"{flag} {path}: {anc or parent} is not a folder")
    if not os.access(anc, os.W_OK | os.X_OK):
        raise InputError(f"{flag} {path}: cannot write in {anc} (permission denied)")


def check_input_file(path: str, flag: str) -> Path:
    """An existing, readable file."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{flag} {path}: no such file")
    if not p.is_file():
        raise InputError(f"{flag} {path}: not a file")
    if not os.access(p, os.R_OK):
        raise InputError(f"{flag} {path}: not readable (permission denied)")
    return p


# ----------------------------------------------------------------------------- data

def add_data_argument(p) -> None:
    p.add_argument("--data", metavar="FILE", help=".npz (arrays X, y) or .csv (last column y; a first "
                                                  "row with no number in it is a header)")
    p.add_argument("--normalize", action="store_true",
                   help="normalise the rows of X to unit norm instead of rejecting them")


def note(text: str) -> None:
    """A one-line note on stderr."""
    print(f"note: {one_line(text)}", file=sys.stderr)


def load_data(args):
    """The data set of ``--data`` (None without it); every problem names ``--data``."""
    if not getattr(args, "data", None):
        return None
    from ..data import load

    check_input_file(args.data, "--data")
    try:
        ds = load(args.data, normalize=args.normalize, note=note)
    except InputError as exc:
        raise InputError(f"--data {args.data}: {flag_message(exc).removeprefix('--data: ')}") from None
    if ds.normalized:
        note(f"rows of {args.data} were normalised to unit norm")
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


# ----------------------------------------------------------------------------- claim ids

def resolve_claim_ids(ids: Iterable[str], flag: str) -> list[str]:
    """Canonical claim ids, matched case-insensitively; an unknown id gets a "did you mean"."""
    from ..registry import claims

    known = [c.id for c in claims()]
    by_upper = {k.upper(): k for k in known}
    out, bad = [], []
    for raw in ids:
        key = str(raw).strip().upper()
        if key in by_upper:
            if by_upper[key] not in out:
                out.append(by_upper[key])
        else:
            bad.append(str(raw))
    if bad:
        hints = []
        for b in bad:
            close = difflib.get_close_matches(b.upper(), list(by_upper), n=2, cutoff=0.5)
            if close:
                hints.append(f"{b!r}: did you mean {' or '.join(by_upper[c] for c in close)}?")
        raise InputError(f"{flag}: unknown claim id(s) {', '.join(bad)}"
                         + (f" ({'; '.join(hints)})" if hints else "")
                         + f"; known: {', '.join(known)}")
    return out


# ----------------------------------------------------------------------------- printing

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
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()
    sep = "  ".join("-" * w for w in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join([line, sep, *body])


class Progress:
    """Progress on stderr: a tqdm bar on a terminal, else a plain line every few seconds.

    In the plain mode a background thread prints the current state every ``interval``
    seconds (also while one long step runs), so a log shows the run is alive.
    ``enabled=False`` (``--no-progress``) prints nothing.  The clock only paces the
    printing; it never changes what is computed.
    """

    def __init__(self, total: int, desc: str, enabled: bool = True, *,
                 stream=None, interval: float = PROGRESS_INTERVAL) -> None:
        self.total, self.desc, self.done, self.label = max(0, int(total)), desc, 0, ""
        self.stream = stream or sys.stderr
        self.interval = interval
        self._bar = None
        self._stop = None
        self._t0 = time.monotonic()
        self.mode = "off"
        if enabled:
            isatty = getattr(self.stream, "isatty", lambda: False)
            self.mode = "bar" if isatty() else "lines"
        if self.mode == "bar":
            from tqdm.auto import tqdm

            self._bar = tqdm(total=self.total, desc=desc, file=self.stream, leave=False)
        elif self.mode == "lines":
            import threading

            self._stop = threading.Event()
            self._thread = threading.Thread(target=self._tick, name="wnproofs-progress", daemon=True)
            self._thread.start()

    def _tick(self) -> None:
        while not self._stop.wait(self.interval):
            pct = f" ({100 * self.done / self.total:.0f}%)" if self.total else ""
            what = f": {self.label}" if self.label else ""
            try:
                print(f"{self.desc}: {self.done}/{self.total}{pct}, {time.monotonic() - self._t0:.0f} s{what}",
                      file=self.stream, flush=True)
            except (OSError, ValueError):   # the stream went away: stop quietly
                return

    def update(self, k: int = 1, label: str = "") -> None:
        self.done += k
        if label:
            self.label = label[:60]
        if self._bar is not None:
            if label:
                self._bar.set_postfix_str(label[:40])
            self._bar.update(k)

    def set(self, done: int, total: int | None = None, label: str = "") -> None:
        if total is not None:
            self.total = total
            if self._bar is not None:
                self._bar.total = total
        self.update(done - self.done, label)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        if self._stop is not None:
            self._stop.set()
            self._thread.join(timeout=1.0)
            self._stop = None

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
