"""`wnproofs bounds`: every explicit bound constant for a data set, with its claim id.

    wnproofs bounds [--data FILE] --delta 0.05 --alpha A [--json PATH] [--plot PATH]

Without --data it uses the built-in default (random sphere data, n = 8, d = 5).  The
table lists λ_0, μ_0, λ_H (50 digits), their Arb certificates (L1), the L2/L3 constants,
the explicit widths m_V, m_G (GF and GD), the GD step bounds and the explicit C1 width and step
(Du et al.'s chain with R and R′ derived).
--plot draws the required width against n on random sphere data (WN both regimes, C1).
"""

from __future__ import annotations

import sys

import mpmath

from ..errors import InputError, check_alpha, check_delta
from ..io import atomic_write_json
from ._common import add_data_argument, load_data, table


def register(sub) -> None:
    p = sub.add_parser("bounds", help="explicit bound constants (λ_0, μ_0, widths, step bound) for a data set",
                       description=__doc__.split("\n\n")[0])
    add_data_argument(p)
    p.add_argument("--delta", type=float, default=0.05, help="failure probability δ in (0, 1) (default 0.05)")
    p.add_argument("--alpha", type=float, default=1.0, help="initialization scale α > 0 (default 1)")
    p.add_argument("--y-max", type=float, default=None, help="bound on |y_i| (default: from the data)")
    p.add_argument("--dps", type=int, default=50, help="mpmath digits (default 50)")
    p.add_argument("--no-certify", action="store_true", help="skip the Arb certificates")
    p.add_argument("--json", metavar="PATH", help="write the table as JSON (atomically)")
    p.add_argument("--plot", metavar="PATH", help="plot required width against n (PNG/PDF/SVG)")
    p.add_argument("--plot-n", type=int, nargs="+", default=[4, 8, 16, 32, 64, 128],
                   help="values of n for --plot")
    p.add_argument("--seed", type=int, default=0, help="seed of the default data and the plot data")
    p.set_defaults(func=run)


def _fmt(v) -> str:
    if isinstance(v, mpmath.mpf):
        if mpmath.isinf(v):
            return "inf"
        return mpmath.nstr(v, 10)
    if isinstance(v, float):
        return f"{v:.10g}"
    return str(v)


def _json(v):
    if isinstance(v, mpmath.mpf):
        return "inf" if mpmath.isinf(v) else mpmath.nstr(v, 30)
    if isinstance(v, float):
        return v if v == v and abs(v) != float("inf") else str(v)
    return v


def run(args) -> int:
    from .. import bounds
    from ..instances import default_datasets

    delta = check_delta(args.delta)
    alpha = check_alpha(args.alpha)
    data = load_data(args)
    if data is None:
        data = default_datasets(args.seed)[0]
    rows = bounds.bound_table(data, delta, alpha, y_max=args.y_max, dps=args.dps,
                              certified=not args.no_certify)
    print(f"data: {data.name} (n = {data.n}, d = {data.d}, sha256 {data.sha256()[:16]}…), "
          f"δ = {delta:g}, α = {alpha:g}")
    if not data.satisfies_A1:
        print("note: the data violate A1 (a repeated or antipodal point): λ_0 = μ_0 = 0 is taken "
              "and every width threshold is infinite", file=sys.stderr)
    print(table([[q, _fmt(v), c, note] for q, v, c, note in rows], ["quantity", "value", "claim", "note"]))
    status = 0
    cert_rows = [r for r in rows if r[0].startswith("certified")]
    if any("certified" != r[3].split(" ")[0] for r in cert_rows):
        print("warning: a certificate was not obtained (see the table)", file=sys.stderr)
        status = 1
    if args.json:
        obj = {"data": data.summary(), "delta": delta, "alpha": alpha, "dps": args.dps,
               "rows": [{"quantity": q, "value": _json(v), "claim": c, "note": note} for q, v, c, note in rows]}
        atomic_write_json(args.json, obj)
    if args.plot:
        ns = [int(k) for k in args.plot_n]
        if any(k < 2 for k in ns):
            raise InputError("--plot-n values must be >= 2")
        res = bounds.widths_vs_n(ns, d=max(data.d, 2), delta=delta, alpha=alpha, seed=args.seed)
        fig = bounds.plot_widths(res, title=f"required width, d = {max(data.d, 2)}, δ = {delta:g}, α = {alpha:g}")
        fig.savefig(args.plot, dpi=120)
        print(f"plot written to {args.plot}")
    return status
