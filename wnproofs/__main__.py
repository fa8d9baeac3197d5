"""`python -m wnproofs` is the `wnproofs` command.

Ctrl-C is handled from the first statement on: an interrupt while the modules load ends
with exit code 130 and one line, never a traceback.
"""

import sys


def _run() -> int:
    try:
        from .cli import main

        return main()
    except KeyboardInterrupt:
        sys.stderr.write("wnproofs: interrupted; nothing half-written was left behind\n")
        return 130


raise SystemExit(_run())
