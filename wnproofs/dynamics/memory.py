"""Memory a run needs, estimated before anything is allocated (for the CLI and the width sweeps).

Everything of size n × m is streamed over blocks of neurons (:mod:`wnproofs.relu`,
:func:`wnproofs.kernels.ntk`), so the peak is a small multiple of the parameter vector
P = m(d + 1) floats (WN; m·d un-normalized) plus O(n · chunk + n²) work space:

* GD: the parameters z, their start z0 (the reference of every record), the step, the
  gradient's work arrays (w, q: 2·m·d), and at a record the network copy with its unit
  directions (2P) — about 6P + m·d;
* GF: SciPy's pair keeps its stages and dense-output coefficients (RK45: 7 + 4, RK23: 4 + 3,
  DOP853: 16 + 7 vectors of size P) and y, y_old, f, the field's output — see STAGES — plus
  z0 and the state interpolated at a record;
* a record: the kernel's blocks and n × n sums (:func:`wnproofs.kernels.workspace_bytes`)
  and the movement summaries (the initial activation pattern, n·m bytes, kept between
  records).

Measured (peak RSS above the interpreter, ``benchmarks/bench_gd.py --memory``, see
benchmarks/RESULTS.md): m = 10⁷, d = 3, n = 64: GD 2.21 GiB (estimate 2.92 GiB), GF by RK45
6.73 GiB (estimate 7.09 GiB) — both fit on a 24 GB machine.  The estimate for m = 10⁷ at
d = 32 is ≈ 20 GiB for GD and ≈ 54 GiB for RK45 (use GD, or fewer neurons, there).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import InputError, check_positive_int
from ..kernels.finite import workspace_bytes as kernel_workspace
from ..relu import caches_activations, neuron_chunk, workspace_bytes
from ..threads import resolve_threads

__all__ = ["MemoryEstimate", "memory_estimate", "STAGES"]

#: Vectors of the parameter size a SciPy pair holds (stages + dense output + y, y_old, f, out, z copy).
STAGES = {"RK45": 7 + 4 + 5, "RK23": 4 + 3 + 5, "DOP853": 16 + 7 + 5}


def _movement_bytes(n: int, m: int, d: int) -> int:
    """The movement summaries of a record (:meth:`wnproofs.dynamics.flat.WNFlat.movement`): the
    initial activation pattern kept between records (n·m bytes while
    :func:`wnproofs.relu.caches_activations`), the per-block summaries (3m floats), and per
    thread a block's two weight matrices, its pre-activations and two patterns."""
    chunk = neuron_chunk(n, m)
    t = min(resolve_threads(None), -(-m // chunk))
    keep = n * m if caches_activations(n, m) else 0
    return keep + 8 * 3 * m + t * chunk * (8 * (2 * d + n) + 2 * n)


@dataclass(frozen=True)
class MemoryEstimate:
    """Estimated peak bytes of a run, by part (``parts``) and in total (``total``)."""

    method: str
    model: str
    n: int
    d: int
    m: int
    parts: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return int(sum(self.parts.values()))

    def fits(self, available_bytes: int) -> bool:
        """Whether the estimate is below ``available_bytes``."""
        return self.total <= int(available_bytes)

    def __str__(self) -> str:
        body = ", ".join(f"{k} {v / 2**30:.2f}" for k, v in self.parts.items())
        return (f"{self.method.upper()} ({self.model}) n = {self.n}, d = {self.d}, m = {self.m}: "
                f"≈ {self.total / 2**30:.2f} GiB ({body} GiB)")


def memory_estimate(n: int, d: int, m: int, *, method: str = "gd", model: str = "wn",
                    integrator: str = "RK45") -> MemoryEstimate:
    """Peak memory of :func:`wnproofs.dynamics.gd` / :func:`~wnproofs.dynamics.gf` on n inputs,
    width m, input dimension d (network, data, parameters and work space; not the interpreter).

    Parameters
    ----------
    method : "gd" or "gf"; model : "wn" or "unnormalized"; integrator : the GF pair.
    """
    n, d, m = check_positive_int(n, "n"), check_positive_int(d, "d"), check_positive_int(m, "m")
    if method not in ("gd", "gf"):
        raise InputError(f"method must be 'gd' or 'gf', got {method!r}")
    if model not in ("wn", "unnormalized"):
        raise InputError(f"model must be 'wn' or 'unnormalized', got {model!r}")
    if method == "gf" and integrator not in STAGES:
        raise InputError(f"integrator must be one of {sorted(STAGES)}, got {integrator!r}")
    f8 = 8
    P = m * (d + 1) if model == "wn" else m * d
    parts = {
        "network": f8 * (P + m),                      # the caller's network (v, g, c)
        "data": f8 * (n * d + n),
        # w (m × d) and the chain rule's temporaries, plus relu.backprop's own work space
        "gradient": f8 * (2 * m * d + 3 * m) + workspace_bytes(n, m, d),
        "records": f8 * (2 * P + 4 * n * n) + kernel_workspace(n, m, d),   # network copy + unit directions; Λ, Λ(0)
        "movement": _movement_bytes(n, m, d),
    }
    if method == "gd":
        parts["state"] = f8 * 3 * P                   # z, z0, the step
    else:
        parts["state"] = f8 * (STAGES[integrator] + 2) * P     # + z0 and the interpolated state of a record
    return MemoryEstimate(method, model, n, d, m, parts)
