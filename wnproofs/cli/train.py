"""`wnproofs train`: one GD or GF run of the WN (or un-normalized) network, recorded as JSON."""

from __future__ import annotations

import numpy as np

from ..dynamics import Diverged, gd, gf
from ..instances import default_datasets
from ..io import atomic_write_json
from ..kernels import ntk
from ..model import WNNetwork
from ..unnormalized import UNetwork
from ._common import add_data_argument, fmt_num, load_data


def register(sub) -> None:
    p = sub.add_parser("train", help="train once by GD or GF and print/record the trajectory",
                       description="Train the WN network (or Du et al.'s un-normalized one) on --data "
                                   "or the built-in sphere data; records loss, λ_min(Λ(t)), movement.")
    add_data_argument(p)
    p.add_argument("--method", choices=["gd", "gf"], default="gd")
    p.add_argument("--model", choices=["wn", "unnormalized"], default="wn")
    p.add_argument("--m", type=int, default=1000, help="width (default 1000)")
    p.add_argument("--alpha", type=float, default=1.0, help="initialization scale α (default 1)")
    p.add_argument("--eta", type=float, default=None, help="GD step (default 1/λ_max(Λ(0)))")
    p.add_argument("--eta-v", type=float, default=None, help="GD step for v (overrides --eta)")
    p.add_argument("--eta-g", type=float, default=None, help="GD step for g (overrides --eta)")
    p.add_argument("--steps", type=int, default=500, help="GD steps (default 500)")
    p.add_argument("--record-every", type=int, default=10)
    p.add_argument("--T", type=float, default=10.0, help="GF horizon (default 10)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", metavar="PATH", help="write the trajectory as JSON (atomically)")
    p.set_defaults(func=run)


def run(args) -> int:
    ds = load_data(args) or default_datasets(args.seed)[0]
    rng = np.random.default_rng(args.seed)
    net = WNNetwork.init(args.m, ds.d, args.alpha, rng)
    model = UNetwork.from_wn(net) if args.model == "unnormalized" else net
    if args.method == "gd":
        eta = args.eta
        if eta is None and (args.eta_v is None or args.eta_g is None):
            K = model.ntk(ds.X) if args.model == "unnormalized" else ntk(net, ds.X)
            eta = 1.0 / float(np.linalg.eigvalsh(K)[-1])
        try:
            tr = gd(model, ds, eta=eta, eta_v=args.eta_v, eta_g=args.eta_g, steps=args.steps,
                    record_every=args.record_every)
        except Diverged as exc:
            print(f"diverged: {exc}")
            if args.json and exc.trajectory is not None:
                atomic_write_json(args.json, exc.trajectory.to_dict())
            return 1
    else:
        tr = gf(model, ds, T=args.T)
    print(f"{tr.method} on {ds.name}: {tr.status} {tr.message}".rstrip())
    print(f"||f − y||²: {fmt_num(tr.residual_sq[0])} → {fmt_num(tr.residual_sq[-1])}; "
          f"min λ_min(Λ) {fmt_num(tr.lambda_min.min())}; max ||Λ(t) − Λ(0)||_2 {fmt_num(tr.gram_change.max())}; "
          f"direction move {fmt_num(tr.dir_move_max[-1])}, length move {fmt_num(tr.len_move_max[-1])}, "
          f"flips {int(tr.flips[-1])}; {tr.seconds:.2f} s")
    if args.json:
        atomic_write_json(args.json, tr.to_dict())
        print(f"trajectory written to {args.json}")
    return 0
