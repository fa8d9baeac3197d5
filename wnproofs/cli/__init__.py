"""The `wnproofs` command line.

Each subcommand is a module of this package with a ``register(subparsers)`` function
that adds its parser and sets ``func`` (returning an exit code).  Modules are found
with ``pkgutil``, so a new subcommand is one new file.

Exit codes (every subcommand):

====  ===================================================================================
0     done; every claim held (or was not decided against)
1     a claim failed (or, for ``derive --check``, the reports are stale)
2     bad input: one line on stderr naming the problem and the flag; nothing was computed
      or written
3     unexpected error (a check crashed, or a bug): a short message and the path of a
      saved traceback file; never a raw traceback on the terminal
130   interrupted by SIGINT (Ctrl-C), 143 terminated by SIGTERM: nothing half-written
141   the reader of the output went away (broken pipe, e.g. ``| head``)
====  ===================================================================================
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Callable

__all__ = ["main", "build_parser", "EXIT_OK", "EXIT_FAILED", "EXIT_INPUT", "EXIT_ERROR", "Terminated"]

EXIT_OK, EXIT_FAILED, EXIT_INPUT, EXIT_ERROR = 0, 1, 2, 3

#: Where tracebacks of unexpected errors are saved: $WNPROOFS_CRASH_DIR or <tmp>/wnproofs-crashes.
CRASH_ENV = "WNPROOFS_CRASH_DIR"


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every ``finally`` and atomic write cleans up."""

    signum = signal.SIGTERM


def build_parser():
    import importlib
    import pkgutil

    from .. import __version__
    from ._common import CLIParser

    parser = CLIParser(
        prog="wnproofs",
        description="Verify the convergence proof for two-layer ReLU networks with Weight "
                    "Normalization (Dukler, Gu, Montúfar, ICML 2020), claim by claim.",
        epilog="Exit codes: 0 ok, 1 a claim failed, 2 bad input, 3 unexpected error "
               "(traceback saved to a file), 130/143 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"wnproofs {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CLIParser)
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if mod.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{mod.name}")
        module.register(sub)
    return parser


def _save_traceback(exc: BaseException) -> str | None:
    """Write the traceback of ``exc`` to a new file; its path, or None if that failed too."""
    import tempfile
    import time
    import traceback

    from .. import __version__

    folder = os.environ.get(CRASH_ENV) or os.path.join(tempfile.gettempdir(), "wnproofs-crashes")
    try:
        os.makedirs(folder, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        fd, path = tempfile.mkstemp(prefix=f"crash-{stamp}-{os.getpid()}-", suffix=".txt", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f"wnproofs {__version__}, command: {' '.join(sys.argv)}\n\n")
            fh.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
        return path
    except Exception:  # noqa: BLE001 - reporting must never raise
        return None


def _handle_sigterm(signum, frame):  # pragma: no cover - exercised in a subprocess test
    raise Terminated()


def _install(handler: Callable) -> object:
    try:
        return signal.signal(signal.SIGTERM, handler)
    except (ValueError, OSError):   # not the main thread: leave signals alone
        return None


def _err(text: str) -> None:
    try:
        print(text, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code (see the module docstring)."""
    previous = _install(_handle_sigterm)
    try:
        return _main(argv)
    except Terminated:
        _err("wnproofs: terminated (SIGTERM); nothing half-written was left behind")
        return 143
    except KeyboardInterrupt:
        _err("wnproofs: interrupted; nothing half-written was left behind")
        return 130
    finally:
        if previous is not None:
            _install(previous)


def _main(argv: list[str] | None) -> int:
    from ..errors import InputError
    from ._common import flag_message

    try:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:   # --help, --version (0) or a usage error (2, already printed)
            return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_INPUT
        if not getattr(args, "func", None):
            parser.print_help()
            return EXIT_INPUT
        from ._common import report_broken_plugins

        return report_broken_plugins(int(args.func(args) or 0))  # a broken installed plugin: exit 3
    except InputError as exc:
        _err(f"wnproofs: error: {flag_message(exc)}")
        from ._common import report_broken_plugins

        return report_broken_plugins(EXIT_INPUT)   # also names an installed plugin that failed to load
    except BrokenPipeError:
        try:   # the reader is gone: say nothing more, and do not fail again while exiting
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return 141
    except MemoryError as exc:
        path = _save_traceback(exc)
        _err("wnproofs: out of memory; use a smaller --m or fewer data rows"
             + (f" (traceback saved to {path})" if path else ""))
        return EXIT_ERROR
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence: exit 3, never a raw traceback
        from ._common import one_line

        path = _save_traceback(exc)
        _err(f"wnproofs: unexpected error: {type(exc).__name__}: {one_line(str(exc), 200)}"
             + (f"; traceback saved to {path}" if path else "")
             + " (please report it)")
        return EXIT_ERROR
