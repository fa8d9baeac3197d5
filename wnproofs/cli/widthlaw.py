"""`wnproofs widthlaw`: measure the empirical width law m*(n) of T1-T4 and C1 and write it out.

Writes ``OUT/width_law.json`` and ``OUT/width_law.png`` (atomically) and, with ``--readme``,
replaces the README section between ``<!-- widthlaw:start -->`` and ``<!-- widthlaw:end -->``.
Every run is kept in ``--store`` (JSON lines), so an interrupted measurement resumes.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from ..errors import InputError
from ..io import atomic_write_json, atomic_write_text

START, END = "<!-- widthlaw:start -->", "<!-- widthlaw:end -->"


def register(sub) -> None:
    p = sub.add_parser("widthlaw", help="measure the smallest width m*(n) at which each theorem's conclusion holds",
                       description="For T1-T4 and C1: the smallest width at which the conclusion holds on at least "
                                   "1 - delta of the seeds, at each n, with a fitted exponent and a bootstrap "
                                   "interval, beside the theorems' exponents and the explicit thresholds.")
    p.add_argument("--claims", nargs="+", default=["T1", "T2", "T3", "T4", "C1"], metavar="ID",
                   help="theorems (default all five)")
    p.add_argument("--n", nargs="+", type=int, default=[4, 8, 16, 32, 64, 128, 256], help="numbers of points")
    p.add_argument("--d", type=int, default=32, help="input dimension (default 32)")
    p.add_argument("--seeds", type=int, default=10, help="networks per width (at least 10)")
    p.add_argument("--delta", type=float, default=0.1, help="the conclusion must hold on >= 1 - delta of the seeds")
    p.add_argument("--max-steps", type=int, default=5000, help="GD step budget per run (default 5000)")
    p.add_argument("--max-evals", type=int, default=20000, help="GF evaluation budget per run (default 20000)")
    p.add_argument("--m-max", type=int, default=2**18, help="largest width tried")
    p.add_argument("--work-budget", type=float, default=2.0**32,
                   help="per theorem and n: the search stops once its runs have spent this much m × n × steps "
                        "(or evaluations) in all (default 2^32)")
    p.add_argument("--seed", type=int, default=0, help="data seed (networks use seed + 1)")
    p.add_argument("--store", default="docs/results/width_law_runs.jsonl", help="resumable run store")
    p.add_argument("--out", default="docs/results", help="folder for width_law.json and width_law.png")
    p.add_argument("--readme", metavar="PATH", help="also update the README section between the widthlaw markers")
    p.add_argument("--scheduler", metavar="ADDR", help="dask.distributed scheduler address (optional)")
    p.add_argument("--no-progress", action="store_true", help="no progress lines")
    p.set_defaults(func=run)


def _command(args) -> str:
    parts = ["python", "-m", "wnproofs", "widthlaw", "--claims", *args.claims, "--n", *map(str, args.n),
             "--d", str(args.d), "--seeds", str(args.seeds), "--delta", str(args.delta), "--max-steps",
             str(args.max_steps), "--max-evals", str(args.max_evals), "--m-max", str(args.m_max), "--work-budget", f"{args.work_budget:g}", "--seed",
             str(args.seed), "--store", args.store, "--out", args.out]
    if args.readme:
        parts += ["--readme", args.readme]
    return shlex.join(parts)


def update_readme(path: Path, section: str) -> None:
    """Replace the text between the widthlaw markers (appending the section if they are absent)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{START}\n{section.rstrip()}\n{END}"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        text = head + block + tail
    else:
        text = text.rstrip() + "\n\n## How loose each theorem is, measured\n\n" + block + "\n"
    atomic_write_text(path, text)


def run(args) -> int:
    import numpy as np

    from ..widthlaw import CAPTION, WidthLawConfig, plot_width_law, readme_table, width_law

    try:
        cfg = WidthLawConfig(claims=tuple(args.claims), ns=tuple(args.n), d=args.d, seeds=args.seeds,
                             delta=args.delta, max_steps=args.max_steps, max_evals=args.max_evals,
                             m_max=args.m_max, data_seed=args.seed, net_seed=args.seed + 1,
                             work_budget=args.work_budget)
    except InputError as exc:
        raise InputError(f"widthlaw: {exc}") from None
    progress = None if args.no_progress else (lambda s: print(f"widthlaw: {s}", file=sys.stderr, flush=True))
    doc = width_law(cfg, args.store, rng=np.random.default_rng(np.random.SeedSequence([args.seed, 17])),
                    scheduler=args.scheduler, progress=progress, command=_command(args))
    doc["caption"] = CAPTION
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_json(out / "width_law.json", doc)
    fig = plot_width_law(doc)
    tmp = out / ".width_law.png.tmp"
    fig.savefig(tmp, dpi=110, format="png")
    tmp.replace(out / "width_law.png")
    if args.readme:
        update_readme(Path(args.readme), readme_table(doc))
    for claim, th in doc["theorems"].items():
        a = "-" if th["exponent"] is None else f"{th['exponent']:.2f} [{th['ci'][0]:.2f}, {th['ci'][1]:.2f}]"
        print(f"{claim}: m*(n) = {th['m_star']} at n = {th['n']}; exponent {a} (theorem: {th['theory_exponent']:g})")
    print(f"written {out / 'width_law.json'} and {out / 'width_law.png'}")
    return 0
