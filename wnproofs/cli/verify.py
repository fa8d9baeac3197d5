"""`wnproofs verify`: run every registered check and print the verdict per claim.

With ``--out DIR`` it also writes the verification report (:mod:`wnproofs.report`):
``index.html``, ``report.md``, ``appendix.tex``, ``results.json`` and ``figures/``, all
at once or not at all.  The folder is locked for the whole run: a second ``verify --out``
on the same folder is refused at once, and the earlier report survives any crash.

``--set KEY=VALUE`` (repeatable) overrides a check parameter: ``T2.alpha=40`` for the
checks of T2, ``delta=0.1`` for every claim.  The overrides are recorded in the JSON
(``overrides``) and in the report's command line.
"""

from __future__ import annotations

import contextlib
import json
import re
import shlex
import sys
from typing import Any

from ..errors import InputError, check_memory
from ..outcomes import Status
from ._common import (Progress, add_data_argument, add_plugin_argument, check_output_dir, check_output_file, fmt_num,
                      int_arg, load_data, one_line, resolve_claim_ids, seed_arg, table)

#: Width of the reason column.
REASON_WIDTH = 60

#: Largest number of data rows `verify` accepts: the certificates are O(n³) in Arb/mpmath
#: arithmetic and the kernels O(n²) in memory.
MAX_ROWS = 2000

#: The widest network the checks train (L2's Gram fits, full mode), for the memory estimate.
MAX_CHECK_WIDTH = 8192

LEGEND = ("legend: holds = every check held; fails = a check failed (exit 1); inconclusive = not "
          "decided (interval straddles the bound, or budget spent); observed = seen outside the "
          "hypotheses; hypothesis not met = the data violate a hypothesis; error = a check "
          "crashed (exit 3); margin = bound ÷ observed, smallest over the claim's checks "
          "(> 1: room to spare; - : no ratio)")

_KEY = re.compile(r"^(?:(?P<claim>[A-Za-z][A-Za-z0-9_]*)\.)?(?P<name>[A-Za-z_][A-Za-z0-9_]*)$")


def register(sub) -> None:
    p = sub.add_parser("verify", help="run every claim's checks; exit 1 if a claim fails, 3 if a check crashed",
                       description="Run every registered check on the built-in instances "
                                   "(seeded random sphere data + adversarial data) or on --data. "
                                   "Exit 0 ok, 1 a claim failed, 2 bad input, 3 a check crashed.")
    add_data_argument(p)
    p.add_argument("--seed", type=seed_arg, default=0, help="master seed (default 0)")
    p.add_argument("--json", metavar="PATH", help="write the results as JSON (atomically)")
    p.add_argument("--claims", nargs="+", metavar="ID", help="only these claim ids (case-insensitive)")
    p.add_argument("--out", metavar="DIR",
                   help="write the report (index.html, report.md, appendix.tex, results.json, "
                        "figures/) to DIR, atomically; DIR must be new, empty or an earlier report")
    p.add_argument("--no-figures", action="store_true", help="with --out: do not draw figures")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override a check parameter: ID.key=VALUE for one claim (e.g. T2.alpha=40), "
                        "key=VALUE for all (e.g. delta=0.1); VALUE a number, true/false or a string; "
                        "repeatable")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--quick", dest="mode", action="store_const", const="quick",
                      help="small instances (default)")
    mode.add_argument("--full", dest="mode", action="store_const", const="full",
                      help="larger instances and the slow sweeps")
    p.add_argument("--no-progress", action="store_true",
                   help="no progress (default: a bar on a terminal, else a line every few seconds)")
    p.add_argument("--no-cache", action="store_true",
                   help="run every derivation now (default: reuse the bundled derivations' results "
                        "cached under the SHA-256 of the sources and library versions)")
    p.add_argument("--jobs", type=int_arg(1, 1024), default=None, metavar="N",
                   help="processes that run the checks (default: the CPUs available); the "
                        "results do not depend on it")
    add_plugin_argument(p)
    p.set_defaults(func=run, mode="quick")


def command_line(args) -> str:
    """The `wnproofs verify` command that reproduces this run (recorded in the report)."""
    parts = ["wnproofs", "verify", f"--{args.mode}", "--seed", str(args.seed)]
    if getattr(args, "data", None):
        parts += ["--data", args.data] + (["--normalize"] if args.normalize else [])
    for spec in getattr(args, "plugin", None) or []:
        parts += ["--plugin", spec]
    if args.claims:
        parts += ["--claims", *args.claims]
    for item in getattr(args, "overrides", None) or []:
        parts += ["--set", item]
    if getattr(args, "no_figures", False):
        parts.append("--no-figures")
    if args.out:
        parts += ["--out", args.out]
    return shlex.join(parts)


# ----------------------------------------------------------------------------- --set

def parse_value(text: str) -> Any:
    """A --set value: true/false, an integer, a finite number, else the string itself."""
    t = text.strip()
    if t.lower() in ("true", "false"):
        return t.lower() == "true"
    if re.fullmatch(r"[+-]?\d+", t):
        return int(t)
    if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", t):
        v = float(t)
        if v != v or v in (float("inf"), float("-inf")):
            raise InputError(f"--set: {text!r} is not a finite number")
        return v
    if t.lower() in ("nan", "inf", "+inf", "-inf", "infinity", "-infinity"):
        raise InputError(f"--set: {text!r} is not a finite number")
    if not t:
        raise InputError("--set: empty value (write KEY=VALUE)")
    return t


def _declared_keys(chk) -> set[str] | None:
    """Parameter names a check declares (a dataclass ``Params`` on it or its module), else None."""
    import dataclasses

    cands = [getattr(chk, "params", None), getattr(chk.fn, "Params", None),
             getattr(sys.modules.get(getattr(chk.fn, "__module__", ""), None), "Params", None)]
    for c in cands:
        if isinstance(c, type) and dataclasses.is_dataclass(c):
            return {f.name for f in dataclasses.fields(c)}
    return None


def parse_overrides(items: list[str]) -> dict[str, Any]:
    """``["T2.alpha=40", "delta=0.1"]`` → ``{"T2.alpha": 40, "delta": 0.1}`` (ids canonical, keys checked)."""
    from ..registry import checks_for

    out: dict[str, Any] = {}
    for item in items:
        key, eq, value = item.partition("=")
        m = _KEY.match(key.strip())
        if not eq or not m:
            raise InputError(f"--set {item!r}: expected KEY=VALUE with KEY a name or ID.name "
                             "(e.g. T2.alpha=40 or delta=0.1)")
        claim, name = m.group("claim"), m.group("name")
        if claim:
            claim = resolve_claim_ids([claim], f"--set {item}")[0]
            declared = [_declared_keys(c) for c in checks_for(claim)]
            if declared and all(k is not None for k in declared):
                known = set().union(*declared)
                if name not in known:
                    raise InputError(f"--set {item}: {claim} has no parameter {name!r}; its checks "
                                     f"declare {', '.join(sorted(known)) or 'none'}")
        full = f"{claim}.{name}" if claim else name
        if full in out:
            raise InputError(f"--set {full} given twice")
        out[full] = parse_value(value)
    return out


# ----------------------------------------------------------------------------- the table

def reason(outcome) -> str:
    """One line on why a claim has its status: the worst check's message, shortened."""
    from ..outcomes import SEVERITY

    res = [r for r in outcome.results if r.status is outcome.status] or list(outcome.results)
    if not res:
        return "no check ran" if outcome.status is Status.UNCHECKED else ""
    worst = max(res, key=lambda r: (SEVERITY[r.status], -(r.margin if r.margin is not None
                                                           and r.margin == r.margin else float("inf"))))
    details = worst.details if isinstance(worst.details, dict) else {}
    text = details.get("reason") if outcome.status in (Status.INCONCLUSIVE, Status.OBSERVED,
                                                        Status.DEVIATES, Status.ERROR) else None
    text = text or worst.message or ""
    if outcome.status is Status.OBSERVED and details.get("unmet"):
        text = f"unmet: {', '.join(map(str, details['unmet']))}; " + text
    text = one_line(text)
    return text if len(text) <= REASON_WIDTH else text[: REASON_WIDTH - 1] + "…"


def _estimate(data, mode: str) -> None:
    """Refuse a data set `verify` cannot handle: too many rows, or more memory than available."""
    if data is None:
        return
    if data.n > MAX_ROWS:
        raise InputError(f"--data has {data.n} rows; verify handles at most {MAX_ROWS} (its certificates "
                         f"cost O(n³) in multiprecision arithmetic); verify a subset of the rows")
    from ..sweep.runner import run_bytes

    check_memory(run_bytes(data.n, data.d, MAX_CHECK_WIDTH) + 40.0 * 8 * data.n**2,
                 f"the checks on {data.n} rows (kernels of {data.n} × {data.n}, networks of width up to "
                 f"{MAX_CHECK_WIDTH})", "verify a subset of the rows (smaller n)", arg="data")


def run(args) -> int:
    # 1. everything the command line says is checked before any work
    ids = resolve_claim_ids(args.claims, "--claims") if args.claims else None
    json_path = check_output_file(args.json, "--json")
    out_dir = check_output_dir(args.out, "--out")
    if json_path is not None and out_dir is not None and json_path.resolve() == out_dir.resolve():
        raise InputError("--json and --out name the same path")
    overrides = parse_overrides(args.overrides)
    data = load_data(args)
    _estimate(data, args.mode)
    with contextlib.ExitStack() as stack:
        if out_dir is not None:
            from ..io import output_lock
            from ..report import check_target

            check_target(out_dir)  # refuse a foreign folder before the long run
            stack.enter_context(output_lock(out_dir, what="--out"))
        return _run(args, ids, data, overrides, json_path, out_dir)


def _run(args, ids, data, overrides, json_path, out_dir) -> int:
    from ..verify import run_verification

    from ..workers import default_jobs

    jobs = args.jobs if args.jobs is not None else default_jobs()
    with Progress(0, "verify", enabled=not args.no_progress) as bar:
        res = run_verification(seed=args.seed, mode=args.mode, data=data, claim_ids=ids,
                               progress=lambda done, total, label: bar.set(done, total, label),
                               params=overrides, jobs=jobs, use_cache=not args.no_cache)
    rows = [[o.claim.id, o.claim.title, ",".join(o.levels) or "-", o.status.value, fmt_num(o.margin),
             reason(o)] for o in res.outcomes]
    print(table(rows, ["id", "claim", "levels", "status", "margin", "reason"]))
    print(LEGEND)
    counts = {s: sum(o.status is s for o in res.outcomes) for s in Status}
    summary = ", ".join(f"{v} {k.value}" for k, v in counts.items() if v)
    extra = f", overrides {json.dumps(overrides)}" if overrides else ""
    print(f"\n{summary}  (seed {res.seed}, {res.mode} mode{extra}, {res.seconds:.1f} s)")
    cache = res.derivation_cache
    if cache and (cache["reused"] or cache.get("probe_results_reused")):
        print(f"cache: {len(cache['reused'])} derivations and {cache.get('probe_results_reused', 0)} theorem-check "
              f"probe results reused (key {cache['key'][:12]}: sources and library versions unchanged), "
              f"{len(cache['derived'])} derivations run now; --no-cache recomputes all")
    for o in res.outcomes:
        for r in o.results:
            if r.status is Status.FAILS:
                print(f"FAIL {r.claim} [{r.check}]: {one_line(r.message)}", file=sys.stderr)
            elif r.status is Status.ERROR:
                print(f"ERROR {r.claim} [{r.check}]: {one_line(r.message)} (traceback in the JSON "
                      "details)", file=sys.stderr)
    if json_path is not None:
        from ..io import atomic_write_json

        atomic_write_json(json_path, res.to_dict())
        print(f"results written to {json_path}")
    if out_dir is not None:
        from ..report import REPORT_STAGES, write_report

        with Progress(len(REPORT_STAGES), "report", enabled=not args.no_progress) as rbar:
            write_report(res, out_dir, figures=not args.no_figures,
                         command=command_line(args), progress=lambda label: rbar.update(1, label))
        print(f"report written to {out_dir}/index.html")
    return res.exit_code
