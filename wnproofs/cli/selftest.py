"""`wnproofs selftest`: run the self-tests shipped in the package (:mod:`wnproofs.selftests`).

    wnproofs selftest [-- PYTEST_ARGS...]

A quick subset of the toolkit's own property tests, run by pytest against the installed
package with the package's own pytest configuration (``selftests/selftest.ini``, not the
caller's), so a user can check an environment.  The same tests run with
``python -m pytest --pyargs wnproofs``.  Needs pytest (``pip install "wnproofs[test]"``).
Exit 0 when every self-test passed, 1 when one failed, 2 on bad arguments.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError


def register(sub) -> None:
    p = sub.add_parser("selftest", help="run the shipped self-tests against this installation (needs pytest)",
                       description=__doc__.split("\n\n")[0] + " Extra pytest arguments go after --, "
                                   "e.g. `wnproofs selftest -- -x -k kernels`.")
    p.add_argument("pytest_args", nargs="*", metavar="PYTEST_ARG",
                   help="extra arguments for pytest (after --)")
    p.set_defaults(func=run)


def run(args) -> int:
    try:
        import pytest
    except ImportError:
        raise InputError("wnproofs selftest needs pytest: python -m pip install \"wnproofs[test]\"") from None
    from .. import selftests

    folder = Path(selftests.__file__).resolve().parent
    argv = ["-c", str(folder / "selftest.ini"), "--rootdir", str(folder),
            "--pyargs", "wnproofs.selftests", *args.pytest_args]
    code = int(pytest.main(argv))
    if code in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.NO_TESTS_COLLECTED):
        raise InputError(f"pytest could not run the self-tests with {args.pytest_args!r} "
                         f"(pytest exit code {code})")
    return 0 if code == 0 else 1
