"""`wnproofs kernel`: one network's finite-width kernel Λ and its blocks, as plain arrays.

    wnproofs kernel --parameterization NAME --data FILE --m M --out FILE.npz
                    [--alpha A] [--seed S] [--eta BLOCK=VALUE ...] [--normalize]

NAME is ``standard`` (block w), ``wn`` (blocks v, g) or ``ewn`` (blocks v, s; w = e^s v/||v||).
The network is initialized as in THEORY.md §1 (v_k(0) ~ N(0, α² I), c_k ~ Unif{±1}, drawn from
``numpy.random.default_rng(S)``; every parameterization then computes the same f(0)), with
unit step sizes unless ``--eta BLOCK=VALUE`` is given (repeatable).

The ``.npz`` file (``numpy.savez``, no pickles: read it with ``np.load(path, allow_pickle=False)``)
holds, for n data points, width m, dimension d:

=====================  ===========  ==================================================
array                  shape        meaning
=====================  ===========  ==================================================
``v`` / ``w``          (m, d)       direction (wn, ewn) or weight (standard)
``g`` / ``s``          (m,)         length (wn) or log-scale (ewn)
``c``                  (m,)         output signs
``X``, ``y``           (n, d), (n,) the data
``Lambda``             (n, n)       Λ = Σ_b Λ_b
``Lambda_<b>``         (n, n)       block b: η_b J_b J_bᵀ (J_b: Jacobian of f in block b)
``Lambda_inf``         (n, n)       the infinite-width limit at initialization (if known)
``Lambda_inf_<b>``     (n, n)       its blocks
``eta_<b>``            ()           the step size of block b
``alpha``, ``m``,      ()           the settings; ``parameterization`` is a string
``seed``
=====================  ===========  ==================================================

Anyone can recompute Λ from the arrays alone: w_k = φ(θ_k), a_ik = 1{⟨w_k, x_i⟩ ≥ 0} and
Λ_ij = (1/m) Σ_k a_ik a_jk x_iᵀ M_k x_j (docs/parameterizations.md).  Bad input exits with
status 2 and one line naming the flag.
"""

from __future__ import annotations

import sys

import numpy as np

from ..data import load
from ..errors import InputError, check_alpha, check_positive_int
from ..io import atomic_savez
from ..parameterizations import BUILTIN, get, kernel_blocks, limit_blocks


def register(sub) -> None:
    p = sub.add_parser("kernel", help="write one network's kernel Λ and its blocks to an .npz file",
                       description=__doc__.split("\n\n")[0])
    p.add_argument("--parameterization", metavar="NAME", required=True,
                   help=f"one of {', '.join(BUILTIN)}")
    p.add_argument("--data", metavar="FILE", required=True, help=".npz (arrays X, y) or .csv (last column y)")
    p.add_argument("--normalize", action="store_true", help="normalise the rows of X to unit norm")
    p.add_argument("--m", metavar="M", type=int, required=True, help="width (number of neurons)")
    p.add_argument("--alpha", metavar="A", type=float, default=1.0, help="initialization scale α > 0 (default 1)")
    p.add_argument("--seed", metavar="S", type=int, default=0, help="seed of the initialization (default 0)")
    p.add_argument("--eta", metavar="BLOCK=VALUE", action="append", default=[],
                   help="step size of a block (repeatable; default 1 for every block)")
    p.add_argument("--out", metavar="FILE.npz", required=True, help="output file (written atomically)")

    def one_line_error(message: str):
        print(f"wnproofs kernel: error: {message}", file=sys.stderr)
        sys.exit(2)

    p.error = one_line_error  # argparse's own errors also name the flag, in one line
    p.set_defaults(func=run)


def _flag(flag: str, fn, *args):
    try:
        return fn(*args)
    except InputError as exc:
        raise InputError(f"{flag}: {exc}") from None


def _etas(items: list[str], param) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in items:
        block, sep, value = item.partition("=")
        if not sep:
            raise InputError(f"--eta: expected BLOCK=VALUE, got {item!r}")
        try:
            out[block.strip()] = float(value)
        except ValueError:
            raise InputError(f"--eta: {value!r} is not a number (in {item!r})") from None
    return _flag("--eta", param.steps, out)


def run(args) -> int:
    param = _flag("--parameterization", get, args.parameterization)
    m = _flag("--m", check_positive_int, args.m, "m")
    alpha = _flag("--alpha", check_alpha, args.alpha)
    if args.seed < 0:
        raise InputError(f"--seed: must be a non-negative integer, got {args.seed}")
    if not str(args.out).endswith(".npz"):
        raise InputError(f"--out: the file name must end in .npz, got {args.out!r}")
    eta = _etas(args.eta, param)
    ds = _flag("--data", lambda: load(args.data, normalize=args.normalize))
    net = param.init(m, ds.d, alpha, np.random.default_rng(args.seed))
    kb = kernel_blocks(net, ds.X, eta)
    arrays = dict(net.arrays(), X=ds.X, y=ds.y, Lambda=kb.Lambda,
                  alpha=np.float64(alpha), m=np.int64(m), seed=np.int64(args.seed),
                  parameterization=np.str_(param.name))
    for b, B in kb.blocks.items():
        arrays[f"Lambda_{b}"] = B
        arrays[f"eta_{b}"] = np.float64(eta[b])
    if param.limits(ds.X) is not None:
        lim = limit_blocks(param, ds.X, alpha, eta)
        arrays["Lambda_inf"] = sum(lim.values())
        for b, B in lim.items():
            arrays[f"Lambda_inf_{b}"] = B
    atomic_savez(args.out, **arrays)
    ev = np.linalg.eigvalsh(kb.Lambda)
    blocks = ", ".join(f"λ_min(Λ_{b}) {np.linalg.eigvalsh(B)[0]:.4g}" for b, B in kb.blocks.items())
    print(f"{param.name} on {ds.name} (n = {ds.n}, d = {ds.d}), m = {m}, α = {alpha:g}, "
          f"η = {', '.join(f'{b}={v:g}' for b, v in eta.items())}: λ_min(Λ) {ev[0]:.4g}, "
          f"λ_max(Λ) {ev[-1]:.4g}; {blocks}")
    print(f"written to {args.out}")
    return 0
