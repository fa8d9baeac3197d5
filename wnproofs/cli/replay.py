"""`wnproofs replay FILE...`: rerun saved counterexamples (see :mod:`wnproofs.replay`)."""

from __future__ import annotations

import json

from ..outcomes import Status
from ..replay import describe, replay
from ._common import add_plugin_argument, check_input_file


def register(sub) -> None:
    p = sub.add_parser("replay", help="rerun saved failing instances; exit 1 if one still fails",
                       description="Rerun the check recorded in each failure file (written by the "
                                   "property tests into $WNPROOFS_FAILURES_DIR, default "
                                   ".wnproofs-failures/, and by `wnproofs check`) on its saved "
                                   "instance and print the result.  Exit 0 none fails, 1 one still "
                                   "fails, 2 a file cannot be read, 3 a check crashed.")
    p.add_argument("files", nargs="+", metavar="FILE", help="failure records (.json)")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    add_plugin_argument(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..replay import describe, find_check, load_failure, replay

    for path in args.files:            # every file is read and its check found before any runs
        check_input_file(path, "FILE")
        _, claim, name, _ = load_failure(path)
        find_check(claim, name)
    still_failing = errored = False
    out = []
    for path in args.files:
        inst, res = replay(path)
        still_failing |= res.status is Status.FAILS
        errored |= res.status is Status.ERROR
        if args.json:
            out.append({"file": path, "instance_seed": inst.seed, "params": dict(inst.params),
                        "result": res.to_dict()})
        else:
            print(f"{path}:")
            print(describe(inst, res))
    if args.json:
        print(json.dumps(out, indent=2))
    return 3 if errored else 1 if still_failing else 0
