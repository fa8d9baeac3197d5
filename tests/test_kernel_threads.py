"""The block-parallel Gram matrices (V, G, Λ of D4): the thread count never changes a bit.

:func:`wnproofs.kernels.finite._accumulate` cuts the neurons into blocks, the blocks into
:func:`~wnproofs.kernels.n_groups` fixed groups summed separately (on a pool of Python
threads, BLAS at one thread) and adds the groups' sums in group order.  Checked here:

* ``ntk``, ``grams``, ``gram_G`` are bit-identical for threads = 1, 2, 3 and 5, with many
  groups, one group, and a last block shorter than the others;
* they equal the Jacobian products η_v J_v J_vᵀ + η_g J_g J_gᵀ (formed explicitly, no blocks)
  to 1e-12 relative, off initialization (s_k ≠ 1) and with lengths of both signs;
* planted mutations (each thread's groups summed into one subtotal; a group left out of the
  reduction) make these checks fail, and the unmutated source passes.
"""

from __future__ import annotations


import numpy as np
import pytest
from source_mutants import mutant

from wnproofs.kernels import finite
from wnproofs.model import WNNetwork

THREADS = (1, 2, 3, 5)
#: (n, d, m, chunk): 41 blocks in 16 groups (last block 3 neurons); 3 blocks in 3 groups; one block.
CASES = [(12, 3, 2003, 50), (30, 4, 700, 256), (9, 3, 40, None)]


def _net(n, d, m, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    X /= np.linalg.norm(X, axis=1)[:, None]
    net = WNNetwork.init(m, d, 0.7, rng)
    g = net.g * rng.uniform(0.3, 2.5, m)
    g[::7] *= -1.0                                      # lengths of both signs
    return net.replace(g=g), X


def _rel(a, b) -> float:
    return float(np.max(np.abs(a - b)) / np.max(np.abs(b)))


def _kernels(mod, net, X, chunk, threads):
    L = mod.ntk(net, X, 1.7, 0.6, chunk=chunk, threads=threads)
    V, G = mod.grams(net, X, chunk=chunk, threads=threads)
    return L, V, G, mod.gram_G(net, X, chunk=chunk, threads=threads)


def _violations(mod, case) -> list[str]:
    n, d, m, chunk = case
    net, X = _net(n, d, m)
    runs = {t: _kernels(mod, net, X, chunk, t) for t in THREADS}
    out = [f"threads={t}" for t in THREADS for a, b in zip(runs[t], runs[1]) if not np.array_equal(a, b)]
    Jv, Jg = net.jacobians(X)
    L, V, G, G2 = runs[1]
    ref = {"L": 1.7 * Jv @ Jv.T + 0.6 * Jg @ Jg.T, "V": net.alpha**2 * Jv @ Jv.T, "G": Jg @ Jg.T}
    for name, got in (("L", L), ("V", V), ("G", G), ("G", G2)):
        if _rel(got, ref[name]) > 1e-12:
            out.append(f"{name} off by {_rel(got, ref[name]):.1e}")
    return out


def test_groups_are_fixed_by_the_sizes_alone():
    assert finite.n_groups(12, 2003, "L", 50) == 16
    assert finite.n_groups(30, 700, "L", 256) == 3
    assert finite.n_groups(9, 40, "L") == 1
    assert finite.n_groups(4000, 10**6, "VG") == 1          # 3 n × n sums of 128 MB: one group
    assert finite.n_groups(256, 8192, "L") == 8


@pytest.mark.parametrize("case", CASES)
def test_kernels_do_not_depend_on_the_thread_count(case):
    assert not _violations(finite, case)


# -- planted mutations ---------------------------------------------------------------------

def _mutant(old: str, new: str):
    return mutant(finite, old, new)


BLOCK = "_block_sums(net, X, want, eta_v, eta_g, lo, hi, sums[gi], work)"
REDUCE = "    for part in sums[1:]:"
MUTATIONS = {
    # a thread adds all its groups into its first group's sums: depends on the thread count
    "per-thread subtotals": (BLOCK, BLOCK.replace("sums[gi]", "sums[g0]")),
    # the last group left out of the reduction
    "group dropped": (REDUCE, "    for part in sums[1:-1]:"),
}


def test_unmutated_copy_passes():
    assert not _violations(_mutant(REDUCE, REDUCE), CASES[0])


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_planted_mutation_is_caught(name):
    assert _violations(_mutant(*MUTATIONS[name]), CASES[0]), f"mutation {name!r} went unnoticed"


def test_V_at_s_identically_one_uses_the_shared_product_correctly():
    """With s_k = 1 exactly (g_k = ||v_k||, α = 1) the sum S diag(s²) Sᵀ of V reuses S Sᵀ; the
    result must still equal α² J_v J_vᵀ (several groups, against the explicit Jacobian)."""
    rng = np.random.default_rng(5)
    n, d, m = 10, 3, 900
    X = rng.standard_normal((n, d))
    X /= np.linalg.norm(X, axis=1)[:, None]
    v = rng.standard_normal((m, d))
    g = np.sqrt(np.einsum("kd,kd->k", v, v))            # the kernels' own ||v_k||: s_k² == 1.0
    net = WNNetwork(v=v, g=g, c=rng.choice([-1.0, 1.0], m), alpha=1.0)
    assert np.all((net.alpha * g / g) ** 2 == 1.0) and finite.n_groups(n, m, "VG", 100) > 1
    Jv, Jg = net.jacobians(X)
    for t in (1, 2):
        V, G = finite.grams(net, X, chunk=100, threads=t)
        assert _rel(V, Jv @ Jv.T) < 1e-12 and _rel(G, Jg @ Jg.T) < 1e-12
