"""`wnproofs bounds`: every explicit bound constant for a data set, with its claim id.

    wnproofs bounds [--data FILE] --delta 0.05 --alpha A [--json PATH] [--plot PATH]

Without --data it uses the built-in default (random sphere data, n = 8, d = 5).  The
table lists λ_0, μ_0, λ_H (--dps digits), their Arb certificates (L1), the L2/L3
constants, the explicit widths m_V, m_G (GF and GD), the GD step bounds, the explicit C1 width and step
(Du et al.'s chain with R and R′ derived) and the L6 radii at each theorem's width.  --json writes the same under stable keys
(schema: ``wnproofs/bounds.schema.json``).  --plot draws the required width against n:
on the first n rows of --data when given, else on random sphere data.
"""

from __future__ import annotations

import sys
from pathlib import Path

import mpmath

from ..errors import DPS_MAX, InputError
from ._common import (add_data_argument, alpha_arg, check_output_file, delta_arg, dps_arg, float_arg,
                      int_arg, load_data, note, seed_arg, table)

#: The JSON Schema of ``bounds --json``.
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "bounds.schema.json"
SCHEMA_VERSION = 1
#: Most data rows: the spectral constants are O(n³) in multiprecision arithmetic.
MAX_ROWS = 2000
#: Largest n on the --plot axis and most points (each costs a float64 eigendecomposition).
PLOT_N_MAX, PLOT_POINTS_MAX = 2048, 24


def register(sub) -> None:
    p = sub.add_parser("bounds", help="explicit bound constants (λ_0, μ_0, widths, step bound) for a data set",
                       description=__doc__.split("\n\n")[0])
    add_data_argument(p)
    p.add_argument("--delta", type=delta_arg, default=0.05, help="failure probability δ in (0, 1) (default 0.05)")
    p.add_argument("--alpha", type=alpha_arg, default=1.0, help="initialization scale α in [1e-8, 1e8] (default 1)")
    p.add_argument("--y-max", type=float_arg(0, 1e100, lo_open=True), default=None,
                   help="bound on |y_i|, > 0 and at least max|y_i| (default: max|y_i| of the data)")
    p.add_argument("--dps", type=dps_arg, default=50, help=f"mpmath digits, 15 to {DPS_MAX} (default 50)")
    p.add_argument("--no-certify", action="store_true", help="skip the Arb certificates")
    p.add_argument("--json", metavar="PATH", help="write the constants as JSON (atomically; stable keys)")
    p.add_argument("--plot", metavar="PATH", help="plot required width against n (PNG, PDF, SVG, ...)")
    p.add_argument("--plot-n", type=int_arg(2, PLOT_N_MAX), nargs="+", default=None,
                   help="values of n for --plot (default 4 8 ... 128, or up to the rows of --data)")
    p.add_argument("--seed", type=seed_arg, default=0, help="seed of the default data and the plot data")
    p.set_defaults(func=run)


def _fmt(v) -> str:
    if isinstance(v, mpmath.mpf):
        if mpmath.isinf(v):
            return "inf"
        return mpmath.nstr(v, 10)
    if isinstance(v, float):
        return f"{v:.10g}"
    return str(v)


def _value(v):
    """A JSON number (float64 or int) or "inf"/"-inf"/"nan"."""
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int):
        return v
    x = float(v)
    return x if x == x and abs(x) != float("inf") else ("nan" if x != x else ("inf" if x > 0 else "-inf"))


def _entry(q: dict) -> dict:
    """A constant of bounds.bound_summary as JSON: value, all its digits, claim, quantity, note."""
    v = q["value"]
    out = {"value": _value(v),
           "decimal": (mpmath.nstr(v, mpmath.mp.dps) if isinstance(v, mpmath.mpf)
                       and mpmath.isfinite(v) else str(_value(v))),
           "claim": q["claim"], "quantity": q["quantity"], "note": q["note"]}
    for k in ("function", "method", "status", "prec", "disagrees_with_paper"):
        if k in q:
            out[k] = q[k]
    return out


def summary_json(s: dict, data) -> dict:
    """The ``bounds --json`` document (stable keys; see bounds.schema.json)."""
    from ..bounds import summary_rows

    with mpmath.workdps(s["dps"]):
        widths = {k: ({kk: _entry(vv) for kk, vv in v.items()} if k == "L2" else _entry(v))
                  for k, v in s["widths"].items()}
        l6 = {}
        for tid, r in s["radii"]["L6"].items():
            l6[tid] = None if r is None else {"m": r["m"], "method": r["method"],
                                              **{k: _entry(r[k]) for k in ("I_r", "delta_g", "R0")}}
        return {
            "schema": "wnproofs-bounds", "schema_version": SCHEMA_VERSION,
            "data": data.summary(), "delta": s["delta"], "alpha": float(s["alpha"]), "y_max": s["y_max"],
            "dps": s["dps"], "A1": s["A1"],
            "lambda_0": _entry(s["lambda_0"]), "mu_0": _entry(s["mu_0"]), "lambda_H": _entry(s["lambda_H"]),
            "certified": None if s["certified"] is None else {k: _entry(v) for k, v in s["certified"].items()},
            "lambda_inf_lower": _entry(s["lambda_inf_lower"]),
            "alpha_star": None if s["alpha_star"] is None else _entry(s["alpha_star"]),
            "B": _entry(s["B"]), "markov_residual_sq": _entry(s["markov_residual_sq"]),
            "widths": widths,
            "step_bounds": {k: _entry(v) for k, v in s["step_bounds"].items()},
            "radii": {"L6": l6},
            "rows": [{"quantity": q, "value": _value(v) if not isinstance(v, str) else v, "claim": c, "note": nt}
                     for q, v, c, nt in summary_rows(s)],
        }


def load_schema() -> dict:
    import json

    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _plot_ns(args, data, user_data: bool) -> list[int]:
    if args.plot_n is not None:
        ns = sorted(set(args.plot_n))
        if len(ns) > PLOT_POINTS_MAX:
            raise InputError(f"--plot-n: at most {PLOT_POINTS_MAX} values, got {len(ns)}")
        if user_data and ns[-1] > data.n:
            raise InputError(f"--plot-n {ns[-1]} exceeds the {data.n} rows of --data")
        return ns
    if not user_data:
        return [4, 8, 16, 32, 64, 128]
    ns = [k for k in (2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048) if k < data.n] + [min(data.n, PLOT_N_MAX)]
    if data.n < 2:
        raise InputError("--plot needs at least 2 rows in --data")
    return sorted(set(ns))


def run(args) -> int:
    from .. import bounds
    from ..instances import default_datasets
    from ..io import atomic_write_json

    json_path = check_output_file(args.json, "--json")
    plot_path = None
    if args.plot:
        from matplotlib.figure import Figure

        kinds = sorted(f".{k}" for k in Figure().canvas.get_supported_filetypes())
        plot_path = check_output_file(args.plot, "--plot", kinds)
    delta, alpha = args.delta, args.alpha
    data = load_data(args)
    user_data = data is not None
    if data is None:
        data = default_datasets(args.seed)[0]
    if data.n > MAX_ROWS:
        raise InputError(f"--data has {data.n} rows; bounds handles at most {MAX_ROWS} (λ_0, μ_0, λ_H at "
                         f"--dps digits cost O(n³) multiprecision operations); use a subset of the rows")
    from ..errors import check_memory

    check_memory(_mp_bytes(data.n, args.dps), f"the {data.n} × {data.n} kernels at {args.dps} digits",
                 "use fewer rows or a smaller --dps", arg="data")
    ns = _plot_ns(args, data, user_data) if plot_path is not None else []
    if not data.satisfies_A1:
        note("the data violate A1 (a repeated or antipodal point): λ_0 = μ_0 = 0 is taken "
             "and every width threshold is infinite")
    s = bounds.bound_summary(data, delta, alpha, y_max=args.y_max, dps=args.dps,
                             certified=not args.no_certify)
    rows = bounds.summary_rows(s)
    print(f"data: {data.name} (n = {data.n}, d = {data.d}, sha256 {data.sha256()[:16]}…), "
          f"δ = {delta:g}, α = {alpha:g}")
    print(table([[q, _fmt(v), c, nt] for q, v, c, nt in rows], ["quantity", "value", "claim", "note"]))
    status = 0
    if s["certified"] and any(c["status"] != "certified" for c in s["certified"].values()):
        print("warning: a certificate was not obtained (see the table)", file=sys.stderr)
        status = 1
    if json_path is not None:
        atomic_write_json(json_path, summary_json(s, data))
        print(f"constants written to {json_path}")
    if plot_path is not None:
        d = max(data.d, 2)
        res = bounds.widths_vs_n(ns, d=d, delta=delta, alpha=alpha, seed=args.seed,
                                 data=data if user_data else None)
        where = f"first n rows of {data.name}" if user_data else f"random sphere data, d = {d}"
        fig = bounds.plot_widths(res, title=f"required width ({where}), δ = {delta:g}, α = {alpha:g}")
        from ..io import atomic_write_bytes

        atomic_write_bytes(plot_path, _render(fig, plot_path.suffix.lstrip(".")))
        print(f"plot written to {plot_path}")
    return status


def _mp_bytes(n: int, dps: int) -> float:
    """Memory of a few n × n matrices of multiprecision numbers (an mpf is ~100 bytes + its digits)."""
    return 6.0 * n * n * (120 + dps / 2.4)


def _render(fig, fmt: str) -> bytes:
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=120)
    return buf.getvalue()
