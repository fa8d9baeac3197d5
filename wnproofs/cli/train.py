"""`wnproofs train`: one GD or GF run of the WN (or un-normalized) network, recorded as JSON.

The cost is bounded by the budget flags: ``--steps`` GD steps or ``--max-evals`` GF
evaluations; the memory of the run is estimated before anything is allocated.
"""

from __future__ import annotations

from ._common import (add_data_argument, alpha_arg, check_output_file, float_arg, fmt_num, int_arg, load_data,
                      seed_arg)

#: Largest width: 2^26 neurons (the memory check refuses what the machine cannot hold).
M_MAX = 2**26


def register(sub) -> None:
    p = sub.add_parser("train", help="train once by GD or GF and print/record the trajectory",
                       description="Train the WN network (or Du et al.'s un-normalized one) on --data "
                                   "or the built-in sphere data; records loss, λ_min(Λ(t)), movement. "
                                   "The cost is bounded by --steps (GD) or --max-evals (GF).")
    add_data_argument(p)
    p.add_argument("--method", choices=["gd", "gf"], default="gd")
    p.add_argument("--model", choices=["wn", "unnormalized"], default="wn")
    p.add_argument("--m", type=int_arg(1, M_MAX), default=1000, help=f"width, 1 to {M_MAX} (default 1000)")
    p.add_argument("--alpha", type=alpha_arg, default=1.0, help="initialization scale α in [1e-8, 1e8] (default 1)")
    step = float_arg(0, 1e12, lo_open=True)
    p.add_argument("--eta", type=step, default=None, help="GD step (default 1/λ_max(Λ(0)))")
    p.add_argument("--eta-v", type=step, default=None, help="GD step for v (overrides --eta)")
    p.add_argument("--eta-g", type=step, default=None, help="GD step for g (overrides --eta)")
    p.add_argument("--steps", type=int_arg(0, 10**7), default=500, help="GD steps (budget; default 500)")
    p.add_argument("--record-every", type=int_arg(1, 10**7), default=10,
                   help="GD steps between records (default 10)")
    p.add_argument("--T", type=float_arg(0, 1e12, lo_open=True), default=10.0, help="GF horizon (default 10)")
    p.add_argument("--max-evals", type=int_arg(10, 10**8), default=50_000,
                   help="GF right-hand-side evaluations (budget; default 50000)")
    p.add_argument("--seed", type=seed_arg, default=0)
    p.add_argument("--json", metavar="PATH", help="write the trajectory as JSON (atomically)")
    p.set_defaults(func=run)


def run(args) -> int:
    import numpy as np

    from ..dynamics import Diverged, gd, gf
    from ..errors import check_memory
    from ..instances import default_datasets
    from ..io import atomic_write_json
    from ..kernels import ntk
    from ..model import WNNetwork
    from ..sweep.runner import run_bytes
    from ..unnormalized import UNetwork

    json_path = check_output_file(args.json, "--json")
    ds = load_data(args) or default_datasets(args.seed)[0]
    check_memory(run_bytes(ds.n, ds.d, args.m), f"training at m = {args.m} on {ds.n} × {ds.d} data",
                 "use a smaller --m", arg="m")
    rng = np.random.default_rng(args.seed)
    net = WNNetwork.init(args.m, ds.d, args.alpha, rng)
    model = UNetwork.from_wn(net) if args.model == "unnormalized" else net
    if args.method == "gd":
        eta = args.eta
        if eta is None and (args.eta_v is None or args.eta_g is None):
            K = model.ntk(ds.X) if args.model == "unnormalized" else ntk(net, ds.X)
            lam_max = float(np.linalg.eigvalsh(K)[-1])
            if not lam_max > 0:
                print("no step: λ_max(Λ(0)) = 0 (no neuron is active on the data); give --eta")
                return 1
            eta = 1.0 / lam_max
        try:
            tr = gd(model, ds, eta=eta, eta_v=args.eta_v, eta_g=args.eta_g, steps=args.steps,
                    record_every=args.record_every)
        except Diverged as exc:
            print(f"diverged: {exc}")
            if json_path is not None and exc.trajectory is not None:
                atomic_write_json(json_path, exc.trajectory.to_dict())
            return 1
    else:
        tr = gf(model, ds, T=args.T, max_evals=args.max_evals)
    print(f"{tr.method} on {ds.name}: {tr.status} {tr.message}".rstrip())
    print(f"||f − y||²: {fmt_num(tr.residual_sq[0])} → {fmt_num(tr.residual_sq[-1])}; "
          f"min λ_min(Λ) {fmt_num(tr.lambda_min.min())}; max ||Λ(t) − Λ(0)||_2 {fmt_num(tr.gram_change.max())}; "
          f"direction move {fmt_num(tr.dir_move_max[-1])}, length move {fmt_num(tr.len_move_max[-1])}, "
          f"flips {int(tr.flips[-1])}; {tr.seconds:.2f} s")
    if json_path is not None:
        atomic_write_json(json_path, tr.to_dict())
        print(f"trajectory written to {json_path}")
    return 0
