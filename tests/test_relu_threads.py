"""The block-parallel ReLU gradient (issue 13 item 4): the thread count never changes a bit.

:mod:`wnproofs.relu` runs contiguous ranges of blocks of neurons on a pool of Python threads
(BLAS at one thread inside) and adds the blocks' partial sums of f in block order.  Checked
here, on widths that are and are not multiples of the block:

* ``backprop``, ``forward``, ``wn_gradients``, ``u_gradients`` and a whole ``gd`` run are
  bit-identical for threads = 1, 2, 3 (and more threads than blocks);
* they equal a plain, unblocked NumPy evaluation of the formulas to 1e-12 relative, and the
  one-thread block sweep of the previous implementation bit for bit;
* planted mutations of the source (per-thread subtotals, the blocks summed in another order,
  a block dropped from the ranges) make these checks fail, and the unmutated source passes.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from source_mutants import mutant
from threadpoolctl import threadpool_limits

from wnproofs import relu, threads
from wnproofs.data import random_sphere
from wnproofs.dynamics import gd
from wnproofs.errors import InputError
from wnproofs.model import WNNetwork, wn_gradients
from wnproofs.unnormalized import UNetwork, u_gradients

THREADS = (1, 2, 3)

#: (n, d, m, chunk): several blocks of the default size (n = 600: 436 neurons a block, the
#: last one 193), and many small blocks of an explicit chunk with m odd (15 blocks, last 5).
CASES = [(600, 5, 1501, None), (9, 4, 103, 7), (40, 3, 64, 64)]


def _problem(n, d, m, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    X /= np.linalg.norm(X, axis=1)[:, None]
    y = rng.standard_normal(n)
    W = rng.standard_normal((m, d))
    W[::17] *= -1e-3                                     # some pre-activations near the kink
    c = rng.choice([-1.0, 1.0], m)
    g = rng.standard_normal(m)                           # lengths of both signs
    return X, y, W, c, g


def _rel(a, b) -> float:
    a, b = np.asarray(a), np.asarray(b)
    scale = max(float(np.max(np.abs(a))), float(np.max(np.abs(b))), 1e-300)
    return float(np.max(np.abs(a - b))) / scale


def _reference(W, c, X, y):
    """The formulas of :mod:`wnproofs.relu` on the whole n × m array at once (no blocks)."""
    m = W.shape[0]
    P = X @ W.T
    f = np.maximum(P, 0.0) @ c / math.sqrt(m)
    r = f - y
    q = ((P >= 0) * r[:, None]).T @ X
    return q, r, f


def _reference_wn(v, g, c, X, y):
    nv = np.linalg.norm(v, axis=1)
    s = g / nv
    q, r, _ = _reference(v * s[:, None], c, X, y)
    scale = c / math.sqrt(v.shape[0])
    qu = np.einsum("kd,kd->k", q, v) / nv
    return (scale * s)[:, None] * (q - (v / nv[:, None]) * qu[:, None]), scale * qu, r


def _sequential_blocks(W, c, X, y, chunk):
    """The previous implementation's one-thread sweep, written plainly: f += c_b·σ(W_b Xᵀ) in
    block order, then q_b = 1{W_b Xᵀ ≥ 0} (r ∘ X)."""
    n, m = X.shape[0], W.shape[0]
    f = np.zeros(n)
    for lo in range(0, m, chunk):
        f += c[lo:lo + chunk] @ np.maximum(W[lo:lo + chunk] @ X.T, 0.0)
    r = f / math.sqrt(m) - y
    rX = r[:, None] * X
    q = np.empty((m, X.shape[1]))
    for lo in range(0, m, chunk):
        q[lo:lo + chunk] = (W[lo:lo + chunk] @ X.T >= 0).astype(np.float64) @ rX
    return q, r


def _violations(mod, case) -> list[str]:
    """What is wrong with module ``mod`` (wnproofs.relu or a mutant) on one case: differences
    between thread counts (bitwise), from the unblocked reference (1e-12), and from the
    sequential block sweep (bitwise)."""
    n, d, m, chunk = case
    X, y, W, c, _ = _problem(n, d, m)
    out = []
    runs = {t: mod.backprop(W, c, X, y, chunk=chunk, threads=t) for t in THREADS + (32,)}
    fwd = {t: mod.forward(W, c, X, chunk=chunk, threads=t) for t in THREADS}
    for t in runs:
        if not (np.array_equal(runs[t][0], runs[1][0]) and np.array_equal(runs[t][1], runs[1][1])):
            out.append(f"backprop threads={t} differs from threads=1 ({_rel(runs[t][0], runs[1][0]):.1e})")
    for t in fwd:
        if not np.array_equal(fwd[t], fwd[1]):
            out.append(f"forward threads={t} differs from threads=1")
    q0, r0, f0 = _reference(W, c, X, y)
    for t in THREADS:
        if _rel(runs[t][0], q0) > 1e-12 or _rel(runs[t][1], r0) > 1e-12 or _rel(fwd[t], f0) > 1e-12:
            out.append(f"threads={t}: not the unblocked reference to 1e-12 "
                       f"(q {_rel(runs[t][0], q0):.1e}, r {_rel(runs[t][1], r0):.1e})")
    with threadpool_limits(limits=1, user_api="blas"):
        qs, rs = _sequential_blocks(W, c, X, y, chunk or relu.neuron_chunk(n, m))
    for t in THREADS:
        if not (np.array_equal(runs[t][0], qs) and np.array_equal(runs[t][1], rs)):
            out.append(f"threads={t}: not the sequential block sweep bit for bit")
    return out


@pytest.mark.parametrize("case", CASES)
def test_backprop_and_forward_do_not_depend_on_the_thread_count(case):
    n, d, m, chunk = case
    nblocks = -(-m // (chunk or relu.neuron_chunk(n, m)))
    assert case[2] == 64 or nblocks >= 4                 # really several blocks, the last one short
    assert not _violations(relu, case)


@pytest.mark.parametrize("case", CASES)
def test_cache_and_recompute_agree_under_threads(case):
    n, d, m, chunk = case
    X, y, W, c, _ = _problem(n, d, m, 1)
    ref = relu.backprop(W, c, X, y, chunk=chunk, threads=1, cache=True)
    for t in THREADS:
        q, r = relu.backprop(W, c, X, y, chunk=chunk, threads=t, cache=False)
        np.testing.assert_array_equal(q, ref[0])
        np.testing.assert_array_equal(r, ref[1])


@pytest.mark.parametrize("case", CASES)
def test_wn_and_unnormalized_gradients_do_not_depend_on_the_thread_count(case):
    n, d, m, chunk = case
    X, y, W, c, g = _problem(n, d, m, 2)
    wn = {t: wn_gradients(W, g, c, X, y, coef_v=-0.3, coef_g=-0.7, chunk=chunk, threads=t) for t in THREADS}
    un = {t: u_gradients(W, c, X, y, coef=-0.4, chunk=chunk, threads=t) for t in THREADS}
    for t in THREADS:
        for a, b in zip(wn[t], wn[1]):
            np.testing.assert_array_equal(a, b)
        for a, b in zip(un[t], un[1]):
            np.testing.assert_array_equal(a, b)
    gv, gg, r = _reference_wn(W, g, c, X, y)
    assert _rel(wn[1][0], -0.3 * gv) < 1e-12 and _rel(wn[1][1], -0.7 * gg) < 1e-12 and _rel(wn[1][2], r) < 1e-12
    q, r, _ = _reference(W, c, X, y)
    assert _rel(un[1][0], -0.4 * (c / math.sqrt(m))[:, None] * q) < 1e-12 and _rel(un[1][1], r) < 1e-12


@pytest.mark.parametrize("model", ["wn", "unnormalized"])
def test_gd_run_is_bit_identical_for_every_thread_count(model):
    ds = random_sphere(600, 5, 3)
    wn = WNNetwork.init(1501, 5, 0.8, 4)
    net = UNetwork.from_wn(wn) if model == "unnormalized" else wn
    runs = {t: gd(net, ds, eta=0.01, steps=4, record_every=4, threads=t) for t in THREADS}
    for t in THREADS:
        np.testing.assert_array_equal(runs[t].step_residual_sq, runs[1].step_residual_sq)
        np.testing.assert_array_equal(runs[t].residual_sq, runs[1].residual_sq)
        if model == "wn":
            np.testing.assert_array_equal(runs[t].final.v, runs[1].final.v)
            np.testing.assert_array_equal(runs[t].final.g, runs[1].final.g)
        else:
            np.testing.assert_array_equal(runs[t].final.w, runs[1].final.w)
    assert runs[1].residual_sq[-1] < runs[1].residual_sq[0]


def test_threads_argument_and_default():
    assert threads.resolve_threads(None) == threads.default_threads() >= 1
    assert threads.resolve_threads(3) == 3
    for bad in (0, -1, 1.5, True):
        with pytest.raises(InputError):
            threads.resolve_threads(bad)
    with threads.use_threads(5):
        assert threads.default_threads() == 5
    with threads.one_blas_thread():                      # the configured count, not the limit
        assert threads.default_threads() == threads.resolve_threads(None)
    assert threads.split_ranges(8, 3) == [(0, 3), (3, 6), (6, 8)]
    assert threads.split_ranges(2, 5) == [(0, 1), (1, 2)]
    assert relu.workspace_bytes(256, 8192, 64, threads=2) > relu.workspace_bytes(256, 8192, 64, threads=1)


def test_a_failing_block_raises_and_the_pool_survives_a_fork_marker(monkeypatch):
    def fn(b0, b1):
        if b0 == 1:
            raise RuntimeError("block 1")

    with pytest.raises(RuntimeError, match="block 1"):
        threads.run_ranges(fn, threads.split_ranges(3, 3))
    monkeypatch.setattr(threads, "_POOL_PID", -1)        # as in a forked child: a new pool
    seen = []
    threads.run_ranges(lambda b0, b1: seen.append(b0), threads.split_ranges(4, 2))
    assert sorted(seen) == [0, 2] and threads._POOL_PID != -1


# -- planted mutations ---------------------------------------------------------------------

def _mutant(old: str, new: str):
    return mutant(relu, old, new)


SUM = ("    for b in range(len(blocks)):                       # the fixed order of the reduction\n"
       "        f += parts[b]\n")
MUTATIONS = {
    # each thread sums its range, then the subtotals are added: depends on the thread count
    "per-thread subtotals": (SUM, "    for b0, b1 in split_ranges(len(blocks), threads):\n"
                                  "        f += parts[b0:b1].sum(axis=0)\n"),
    # the blocks summed in another (fixed) order: the same for every thread count
    "reversed block order": (SUM, "    for b in reversed(range(len(blocks))):\n        f += parts[b]\n"),
    # a block left out of the ranges
    "block dropped": ("    ranges = split_ranges(len(blocks), threads)\n",
                      "    ranges = [(b0, max(b0, b1 - (b1 == len(blocks)))) for b0, b1\n"
                      "              in split_ranges(len(blocks), threads)]\n"),
}


def test_unmutated_copy_passes():
    assert not _violations(_mutant(SUM, SUM), CASES[0])


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_planted_mutation_is_caught(name):
    mod = _mutant(*MUTATIONS[name])
    found = [v for case in CASES[:2] for v in _violations(mod, case)]
    assert found, f"mutation {name!r} went unnoticed"


def test_one_block_fast_path_equals_the_block_sweep_bit_for_bit():
    """wn_gradients on a tiny network takes a direct path; with chunk = m it runs the block
    sweep with one block: the two must agree bit for bit (signs of zeros aside)."""
    from wnproofs.model import wn_gradients

    rng = np.random.default_rng(7)
    for _ in range(300):
        n, d, m = int(rng.integers(1, 12)), int(rng.integers(2, 9)), int(rng.integers(1, 60))
        X, y = rng.standard_normal((n, d)), rng.standard_normal(n)
        v, g = rng.standard_normal((m, d)), rng.standard_normal(m)
        c = np.where(rng.random(m) < 0.5, -1.0, 1.0)
        cv, cg = float(rng.uniform(-2, 2)), float(rng.uniform(-2, 2))
        fast = wn_gradients(v, g, c, X, y, coef_v=cv, coef_g=cg)
        sweep = wn_gradients(v, g, c, X, y, coef_v=cv, coef_g=cg, chunk=m)
        for a, b in zip(fast, sweep):
            assert np.array_equal(a, b)


def test_one_block_fast_path_of_u_gradients_equals_the_block_sweep():
    from wnproofs.unnormalized import u_gradients

    rng = np.random.default_rng(8)
    for _ in range(300):
        n, d, m = int(rng.integers(1, 12)), int(rng.integers(2, 9)), int(rng.integers(1, 60))
        X, y, w = rng.standard_normal((n, d)), rng.standard_normal(n), rng.standard_normal((m, d))
        c = np.where(rng.random(m) < 0.5, -1.0, 1.0)
        coef = float(rng.uniform(-2, 2))
        for a, b in zip(u_gradients(w, c, X, y, coef=coef), u_gradients(w, c, X, y, coef=coef, chunk=m)):
            assert np.array_equal(a, b)


def test_reused_buffers_and_out_arrays_change_no_bit():
    """The pattern buffer kept between calls (and ``out=`` arrays filled with stale values)
    give the same bits as fresh arrays: calls of several sizes interleave, each compared with
    the result of a fresh process-state call (the thread's buffers dropped first)."""
    cases = [(600, 5, 1501, None), (9, 4, 103, 7), (40, 3, 64, 64), (5, 3, 7, None)]
    problems = [(case, _problem(*case[:3], seed=11)) for case in cases]

    def fresh(case, prob):
        X, y, W, c, g = prob
        threads._SCRATCH.__dict__.clear()
        return (wn_gradients(W, g, c, X, y, coef_v=-0.3, coef_g=-0.7, chunk=case[3], threads=2),
                u_gradients(W, c, X, y, coef=-0.4, chunk=case[3], threads=2))

    expected = [fresh(case, prob) for case, prob in problems]
    for _ in range(2):
        for (case, (X, y, W, c, g)), (wn, un) in zip(problems[::-1], expected[::-1]):
            m, d = W.shape
            gv, gg, gw = np.full((m, d), np.nan), np.full(m, 7.0), np.full((m, d), -3.0)
            got = wn_gradients(W, g, c, X, y, coef_v=-0.3, coef_g=-0.7, chunk=case[3], threads=2, out=(gv, gg))
            assert got[0] is gv and got[1] is gg
            for a, b in zip(got, wn):
                np.testing.assert_array_equal(a, b)
            q, r = u_gradients(W, c, X, y, coef=-0.4, chunk=case[3], threads=2, out=gw)
            assert q is gw
            np.testing.assert_array_equal(q, un[0])
            np.testing.assert_array_equal(r, un[1])


@pytest.mark.parametrize("bad", [(np.zeros((3, 2)), np.zeros(4)), (np.zeros((4, 2)),),
                                 (np.zeros((4, 2), dtype=np.float32), np.zeros(4)),
                                 (np.zeros((2, 4)).T, np.zeros(4))])
def test_out_arrays_are_validated(bad):
    X, y, W, c, g = _problem(6, 2, 4)
    with pytest.raises(InputError, match="out"):
        wn_gradients(W, g, c, X, y, out=bad)
    if len(bad) == 2:
        with pytest.raises(InputError, match="out"):
            u_gradients(W, c, X, y, out=bad[0])


def test_default_threads_inside_single_blas_is_the_configured_count():
    """A block-parallel computation started inside single_blas (a GD record) must still use the
    configured cores: default_threads reads the count single_blas saved, not BLAS's 1."""
    with threadpool_limits(2, "blas"):
        before = threads.default_threads()
        with threads.single_blas():
            assert threads.blas_threads() == 1
            assert threads.default_threads() == before
    assert before == min(2, threads._cpus())
