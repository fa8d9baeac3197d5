"""`wnproofs certify`: certified lower bounds of λ_0, μ_0 and λ_H for a data set (L1, C1).

    wnproofs certify --data FILE [--json PATH] [--method auto|cholesky|arb]
                     [--quantities lambda_0,mu_0,lambda_H] [--about unit|exact] [--prec BITS]

Each quantity is "certified" (λ_min > lower is proved), "not certified" (the method could
not decide; the reason is printed) or "hypothesis not met" (A1 fails).  Exit 0 when every
quantity is certified, 1 otherwise, 2 on bad input.  The JSON has one record per quantity,
``{"status", "lower", "float", "method", "seconds"}``, and says what it is about.
"""

from __future__ import annotations

import sys
import time

from ..errors import InputError
from ..io import atomic_write_json
from ._common import add_data_argument, fmt_num, load_data, table

QUANTITIES = ("lambda_0", "mu_0", "lambda_H")


def register(sub) -> None:
    p = sub.add_parser("certify", help="certified lower bounds of λ_0, μ_0, λ_H for a data set",
                       description=__doc__.split("\n\n")[0])
    add_data_argument(p)
    p.add_argument("--json", metavar="PATH", help="write the certificates as JSON (atomically)")
    p.add_argument("--method", choices=("auto", "cholesky", "arb"), default="auto",
                   help="auto (default): Arb for n <= 64, else shifted float Cholesky with Arb as "
                        "the fallback below its resolution; cholesky; arb")
    p.add_argument("--quantities", default=",".join(QUANTITIES),
                   help="comma-separated subset of lambda_0,mu_0,lambda_H (default: all three)")
    p.add_argument("--about", choices=("unit", "exact"), default="unit",
                   help="unit (default): the rows normalised exactly; exact: the rows as given")
    p.add_argument("--prec", type=int, default=128, help="Arb precision in bits for the Arb route (default 128)")
    p.add_argument("--no-progress", action="store_true", help="no progress lines on stderr")
    p.set_defaults(func=run)


def _quantities(text: str) -> list[str]:
    qs = [q.strip() for q in text.split(",") if q.strip()]
    bad = [q for q in qs if q not in QUANTITIES]
    if not qs or bad:
        raise InputError(f"--quantities: unknown {', '.join(bad) or '(empty)'}; choose from {','.join(QUANTITIES)}")
    return list(dict.fromkeys(qs))


def run(args) -> int:
    from ..certify import certify
    from ..certify.result import ABOUT

    if not args.data:
        raise InputError("--data FILE is required (.npz with arrays X, y, or .csv)")
    qs = _quantities(args.quantities)
    if args.prec < 2 or args.prec > 65536:
        raise InputError(f"--prec must be an integer in [2, 65536], got {args.prec}")
    try:
        data = load_data(args)
    except InputError as exc:
        raise InputError(f"--data {args.data}: {exc}") from None
    t0 = time.perf_counter()

    def say(msg: str) -> None:
        if not args.no_progress:
            print(f"[{time.perf_counter() - t0:7.1f} s] {msg}", file=sys.stderr, flush=True)

    certs = certify(data, qs, method=args.method, about=args.about, prec=args.prec, progress=say)
    print(f"data: {data.name} (n = {data.n}, d = {data.d}, sha256 {data.sha256()[:16]}…)")
    print(f"about: {ABOUT[args.about]}")
    rows = [[q, c.status, fmt_num(c.lower_bound) if c.certified else "-", fmt_num(c.float_lambda_min),
             c.method, f"{c.elapsed_s:.2f}"] for q, c in certs.items()]
    print(table(rows, ["quantity", "status", "lower", "float", "method", "seconds"]))
    for q, c in certs.items():
        print(f"  {q}: {c.message}")
    if args.json:
        doc = {"data": {"name": data.name, "n": data.n, "d": data.d, "sha256": data.sha256()},
               "about": ABOUT[args.about], "method": args.method}
        doc.update({q: c.summary() for q, c in certs.items()})
        doc["details"] = {q: c.to_dict() for q, c in certs.items()}
        atomic_write_json(args.json, doc)
    return 0 if all(c.certified for c in certs.values()) else 1
