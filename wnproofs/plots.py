"""Figures of the training dynamics (THEORY.md §4, §6, §8; claims L2, T1-T4, C1).

Every ``plot_*`` function draws on a given matplotlib ``ax`` (or a new
:class:`matplotlib.figure.Figure` when ``ax`` is None) and returns the Figure.  No
backend is selected here (no ``matplotlib.use``): figures are built with
``matplotlib.figure.Figure`` directly and saved as PNG, which needs no display.

:func:`make_figures` computes what it plots (small runs in quick mode) and writes the
PNG files; the report calls it.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from . import kernels
from .data import Dataset
from .dynamics import Trajectory
from .errors import InputError
from .instances import default_datasets

__all__ = [
    "plot_loss_envelope",
    "plot_lambda_min",
    "plot_spectra",
    "plot_movement",
    "plot_gram_error",
    "plot_widths",
    "make_figures",
]


def _ax(ax, figsize=(5.5, 4.0)):
    if ax is not None:
        return ax, ax.figure
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    return fig.add_subplot(1, 1, 1), fig


def _env(run: Mapping[str, Any], traj: Trajectory) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    kappa = float(run["floor"])
    if traj.method == "gd":
        s = np.arange(traj.step_residual_sq.size, dtype=float)
        env = (1.0 - float(run["eta"]) * kappa) ** s * traj.step_residual_sq[0]
        return s, traj.step_residual_sq, env
    env = np.exp(-2 * kappa * traj.t) * traj.residual_sq[0]
    return traj.t, traj.residual_sq, env


def plot_loss_envelope(run: Mapping[str, Any], ax=None):
    """||f − y||² along a theorem run (:func:`wnproofs.sweep.theorem_run` with the trajectory)
    against the theorem's envelope (T1-T4, C1)."""
    ax, fig = _ax(ax)
    traj = run["trajectory"]
    t, obs, env = _env(run, traj)
    ax.semilogy(t, np.maximum(obs, 1e-300), label="observed ||f − y||²")
    ax.semilogy(t, env, "--", label=f"envelope {run['envelope_text']}")
    ax.set_xlabel("step s" if traj.method == "gd" else "time t")
    ax.set_ylabel("||f − y||²")
    ax.set_ylim(max(1e-20 * obs[0], np.min(obs[obs > 0]) / 10 if np.any(obs > 0) else 1e-20), obs[0] * 3)
    ax.set_title(f"{run['variant']}: α = {run['alpha']:g}, m = {run['m']}")
    ax.legend(fontsize=7)
    return fig


def plot_lambda_min(run: Mapping[str, Any], ax=None):
    """λ_min(Λ(t)) along a theorem run against its floor (λ_0/(2α²), μ_0/2 or λ_H/2)."""
    ax, fig = _ax(ax)
    traj = run["trajectory"]
    ax.plot(traj.t, traj.lambda_min, label="λ_min(Λ(t))")
    ax.axhline(run["floor"], color="k", ls="--", label=f"floor {run['floor_text']}")
    ax.set_xlabel("step s" if traj.method == "gd" else "time t")
    ax.set_ylabel("λ_min")
    ax.set_yscale("log")
    ax.set_title(f"{run['variant']}: kernel floor")
    ax.legend(fontsize=7)
    return fig


def plot_spectra(X: np.ndarray, alphas: Sequence[float] | None = None, ax=None):
    """λ_min and λ_max of V^∞/α², G^∞ and Λ^∞ = V^∞/α² + G^∞ against α, with α = 1 and α* (§4)."""
    ax, fig = _ax(ax)
    alphas = np.geomspace(0.1, 100, 60) if alphas is None else np.asarray(alphas, dtype=float)
    ev_V = np.linalg.eigvalsh(kernels.V_inf(X))
    ev_G = np.linalg.eigvalsh(kernels.G_inf(X))
    lam_min = [np.linalg.eigvalsh(kernels.Lambda_inf(X, a))[[0, -1]] for a in alphas]
    lam_min = np.array(lam_min)
    ax.loglog(alphas, ev_V[0] / alphas**2, label="λ_0/α² = λ_min(V^∞)/α²")
    ax.loglog(alphas, np.full_like(alphas, ev_G[0]), label="μ_0 = λ_min(G^∞)")
    ax.loglog(alphas, lam_min[:, 0], "k", lw=2, label="λ_min(Λ^∞)")
    ax.loglog(alphas, lam_min[:, 1], "k:", label="λ_max(Λ^∞)")
    a_star = math.sqrt(ev_V[0] / ev_G[0]) if ev_G[0] > 0 and ev_V[0] > 0 else float("nan")
    ax.axvline(1.0, color="gray", ls="--", label="α = 1 (paper)")
    if math.isfinite(a_star):
        ax.axvline(a_star, color="r", ls="--", label=f"α* = {a_star:.3g}")
    ax.set_xlabel("α")
    ax.set_ylabel("eigenvalue")
    ax.set_title("spectra of the limit kernels")
    ax.legend(fontsize=7)
    return fig


def plot_movement(res: Mapping[str, Any], which: str = "both", ax=None):
    """Movement against α (log-log) with the fitted slopes (from
    :func:`wnproofs.sweep.movement_scaling`; T1: lengths ∝ α², T2: directions ∝ α^(−2))."""
    ax, fig = _ax(ax)
    a = np.asarray(res["alphas"])
    for key, fit_key, lab in (("dir_move", "fit_dir", "direction ||Δu_k||"), ("len_move", "fit_len", "length |Δg_k|")):
        if which not in ("both", key):
            continue
        Y = np.asarray(res[key])
        mean = np.exp(np.mean(np.log(Y), axis=0))
        f = res[fit_key]
        line = ax.loglog(a, mean, "o-", label=f"{lab}: slope {f['slope']:.2f} "
                                              f"[{f['ci'][0]:.2f}, {f['ci'][1]:.2f}] (theory {f['expected']:g})")
        ax.loglog(a, Y.T, ".", color=line[0].get_color(), alpha=0.3)
    ax.set_xlabel("α")
    ax.set_ylabel("mean movement")
    ax.set_title(f"movement after {res['steps']} GD steps, m = {res['m']}")
    ax.legend(fontsize=7)
    return fig


def plot_gram_error(res: Mapping[str, Any], ax=None):
    """||V(0) − V^∞||_2 and ||G(0) − G^∞||_2 against m with fitted slopes (L2: m^(−1/2))."""
    ax, fig = _ax(ax)
    m = np.asarray(res["widths"], dtype=float)
    for key, fk, lab in (("err_V", "fit_V", "||V(0) − V^∞||_2"), ("err_G", "fit_G", "||G(0) − G^∞||_2")):
        Y = np.asarray(res[key])
        f = res[fk]
        line = ax.loglog(m, np.exp(np.mean(np.log(Y), axis=0)), "o-",
                         label=f"{lab}: slope {f['slope']:.2f} [{f['ci'][0]:.2f}, {f['ci'][1]:.2f}]")
        ax.loglog(m, Y.T, ".", color=line[0].get_color(), alpha=0.3)
    ax.loglog(m, np.asarray(res["err_V"]).mean() * np.sqrt(m.mean()) / np.sqrt(m), "k:", label="∝ m^(−1/2)")
    ax.set_xlabel("width m")
    ax.set_ylabel("spectral error at t = 0")
    ax.set_title("Gram error at initialization (L2)")
    ax.legend(fontsize=7)
    return fig


def plot_widths(slacks: Sequence[Mapping[str, Any]], ax=None):
    """Required (explicit threshold) versus observed width per theorem (log scale)."""
    ax, fig = _ax(ax)
    labels = [s["variant"] for s in slacks]
    x = np.arange(len(slacks))
    obs = [s["observed_width"] or np.nan for s in slacks]
    thr = [s["threshold"] if s["threshold"] is not None else np.nan for s in slacks]
    ax.bar(x - 0.2, obs, 0.4, label="observed (conclusion held for all seeds)")
    ax.bar(x + 0.2, thr, 0.4, label="explicit threshold")
    for i, s in enumerate(slacks):
        if s["threshold"] is None:
            ax.text(x[i] + 0.2, 1, "n/a", ha="center", va="bottom", fontsize=7)
        if s["observed_width"] is None:
            ax.text(x[i] - 0.2, 1, "none", ha="center", va="bottom", fontsize=7)
    ax.set_yscale("log")
    ax.set_xticks(x, labels)
    ax.set_ylabel("width m")
    ax.set_title("required vs observed width")
    ax.legend(fontsize=7)
    return fig


def make_figures(outdir, data: Dataset | None = None, rng: np.random.Generator | int | None = 0,
                 quick: bool = True) -> list[Path]:
    """Compute and save every figure as PNG in ``outdir``; returns the paths.

    Parameters
    ----------
    outdir : folder (created).
    data : the data set (default: the built-in random sphere data, n = 8, d = 5).
    rng : seed or Generator (the runs draw from ``SeedSequence`` children of it).
    quick : small widths and budgets (a few seconds); False for larger runs.
    """
    from . import sweep

    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    ds = data if data is not None else default_datasets(0)[0]
    if not isinstance(ds, Dataset):
        raise InputError("data must be a wnproofs Dataset")
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    X, y = ds.X, ds.y
    consts = sweep.data_constants(X)
    m = 512 if quick else 4096
    bud = dict(max_steps=2000 if quick else 20000, max_evals=3000 if quick else 30000)
    paths: list[Path] = []

    def save(fig, name):
        p = out / name
        fig.savefig(p, dpi=110)
        paths.append(p)

    from matplotlib.figure import Figure

    # loss vs envelope and λ_min vs floor, per regime
    variants = ["T1", "T2", "T3", "T4", "C1", "C1-GF"]
    fig_l = Figure(figsize=(12, 7), layout="constrained")
    fig_k = Figure(figsize=(12, 7), layout="constrained")
    for i, v in enumerate(variants):
        run = sweep.theorem_run(v, X, y, m=m, seed=gen, consts=consts, return_trajectory=True, **bud)
        plot_loss_envelope(run, fig_l.add_subplot(2, 3, i + 1))
        plot_lambda_min(run, fig_k.add_subplot(2, 3, i + 1))
    save(fig_l, "loss_envelope.png")
    save(fig_k, "lambda_min.png")
    save(plot_spectra(X), "spectra.png")
    a_star = consts["alpha_star"]
    seeds = 3 if quick else 8
    hi = max(a_star, 1.0)
    lo = min(a_star, 1.0)
    fig = Figure(figsize=(11, 4), layout="constrained")
    resG = sweep.movement_scaling(X, y, [hi * k for k in (4, 8, 16, 32)], m=m, seeds=seeds, rng=gen)
    resV = sweep.movement_scaling(X, y, [lo * k for k in (1 / 32, 1 / 16, 1 / 8, 1 / 4)], m=m, seeds=seeds, rng=gen)
    plot_movement(resG, "dir_move", fig.add_subplot(1, 2, 1)).axes[0].set_title("G-dominated: directions")
    plot_movement(resV, "len_move", fig.add_subplot(1, 2, 2))
    fig.axes[1].set_title("V-dominated: lengths")
    save(fig, "movement.png")
    widths = [64, 128, 256, 512, 1024] + ([2048, 4096, 8192] if not quick else [])
    save(plot_gram_error(sweep.gram_error_scaling(X, widths=widths, seeds=seeds, rng=gen)), "gram_error.png")
    sl = [sweep.slack(v, X, y, seeds=2 if quick else 5, widths=[2**k for k in range(4, 11 if quick else 15)],
                      seed=int(gen.integers(2**31)), max_steps=bud["max_steps"], max_evals=bud["max_evals"])
          for v in (["T1", "T2", "C1"] if quick else ["T1", "T2", "T3", "T4", "C1"])]
    save(plot_widths(sl), "widths.png")
    return paths
