"""Training dynamics: the one GD loop and the one GF integrator (THEORY.md §1, §3, §8).

Both networks are supported: the WN network (:class:`wnproofs.model.WNNetwork`, claims
T1-T4) and Du et al.'s un-normalized one (:class:`wnproofs.unnormalized.UNetwork`, C1).

* :func:`gd` — gradient descent (:mod:`.gd`); :func:`gf` — gradient flow by an adaptive
  Runge–Kutta pair (:mod:`.gf`).  Both take a per-step ``hook`` receiving a :class:`State`
  (step or time, residual, parameter blocks), so a check that must watch a run does not
  write its own loop; a hook returning True stops the run.
* Runs are bounded by steps (GD) and field evaluations (GF) only, never by the clock; the
  budget is part of the returned :class:`Trajectory`.  Same network, data and budget give the
  same run under any BLAS thread count: GD bit for bit, GF the same statuses and evaluation
  counts with numbers equal to 1e-12 (SciPy's error norm is a BLAS dot product, which threads
  sum in another order) — tests/test_determinism.py.
* Everything of size n × m is streamed over blocks of neurons (one gradient per network:
  :func:`wnproofs.model.wn_gradients`, :func:`wnproofs.unnormalized.u_gradients`; kernels
  by :func:`wnproofs.kernels.ntk`): memory is O(n · chunk + n² + m d), and
  :func:`memory_estimate` says how much before anything is allocated.
"""

from .flat import UFlat, WNFlat, as_flat
from .gd import gd
from .gf import DEFAULT_ATOL, DEFAULT_RTOL, gf
from .memory import MemoryEstimate, memory_estimate
from .trajectory import RECORD_FIELDS, Diverged, Hook, State, Trajectory

__all__ = ["Trajectory", "Diverged", "State", "Hook", "gd", "gf", "DEFAULT_RTOL", "DEFAULT_ATOL",
           "RECORD_FIELDS", "MemoryEstimate", "memory_estimate", "as_flat", "WNFlat", "UFlat"]
