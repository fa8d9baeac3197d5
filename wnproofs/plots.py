"""Figures of a verification, drawn from the runs it recorded (claims L2, T1-T4, C1).

:func:`make_figures` reads the results document of :mod:`wnproofs.report` (the checks'
``details``: theorem-run traces, width sweeps, scaling fits, regime crossovers) and draws
one PNG per run family and data set.  Nothing is trained or recomputed here, so the
figures cost a few seconds and show exactly the runs behind the verdicts; a figure whose
numbers were not recorded (e.g. a check that did not run) is simply not drawn.

Every figure has labelled axes and a caption naming the data set, α, m, δ and any early
stop.  No backend is selected (no ``matplotlib.use``): figures are built with
``matplotlib.figure.Figure`` and saved as PNG, which needs no display.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable, Mapping

__all__ = ["make_figures", "FIGURE_DPI"]

#: Resolution of the PNG files (a full-width figure is about 1000 px wide).
FIGURE_DPI = 100


def _figure(panels: int = 1, height: float = 3.6, right: float = 0.98):
    """A figure with fixed margins (a layout engine would double the drawing time)."""
    from matplotlib.figure import Figure

    width = 10.0
    fig = Figure(figsize=(width, height))
    axes = [fig.add_subplot(1, panels, i + 1) for i in range(panels)]
    fig.subplots_adjust(left=0.75 / width, right=right, bottom=0.5 / height, top=1 - 0.35 / height,
                        wspace=0.22)
    return fig, axes


def _save(fig, path: Path) -> None:
    fig.savefig(path, dpi=FIGURE_DPI, pil_kwargs={"compress_level": 1})


def _name(*parts: str) -> str:
    return "_".join(re.sub(r"[^A-Za-z0-9.-]+", "-", str(p)).strip("-") for p in parts) + ".png"


def _fmt(x: Any) -> str:
    if x is None:
        return "n/a"
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return f"{x:.3g}"
    return str(x)


def _results(doc: Mapping, claim: str | None = None, key: str | None = None) -> Iterable[tuple[dict, dict]]:
    """(claim, result) pairs, optionally of one claim and with ``key`` in the details."""
    for c in doc["claims"]:
        if claim is not None and c["id"] != claim:
            continue
        for r in c["checks"]:
            det = r.get("details") or {}
            if key is None or key in det:
                yield c, r


# ------------------------------------------------------------------------ theorem runs

def _early_stop(run: Mapping) -> str:
    """Why a run stopped before its target, in words ('' when it ran to the end)."""
    notes = []
    if run.get("testable") is False and run.get("reason"):
        notes.append(run["reason"])
    if run.get("diverged"):
        notes.append(f"diverged: {run['diverged']}")
    for k in ("run_status", "gf_status"):
        st = run.get(k)
        if st in ("stalled", "diverged"):
            notes.append(f"{st}: {run.get('gf_message', '')}".rstrip(": "))
    if run.get("steps_needed") and run.get("steps") and run["steps"] < run["steps_needed"]:
        notes.append(f"stopped at step {run['steps']} of the {run['steps_needed']} the envelope needs")
    return "; ".join(dict.fromkeys(notes))


def _theorem_figure(claim: Mapping, res: Mapping, out: Path) -> dict | None:
    det = res["details"]
    runs = [r for r in det.get("runs", []) if isinstance(r, Mapping) and r.get("trace")]
    if not runs:
        return None
    variant, ds = det.get("variant", claim["id"]), det.get("dataset", "?")
    fig, (ax1, ax2) = _figure(2)
    for i, run in enumerate(runs):
        tr = run["trace"]
        lab = f" (seed {i + 1})" if len(runs) > 1 else ""
        line = ax1.semilogy(tr["t"], tr["residual_sq"], label="observed ||f − y||²" + lab)
        ax1.semilogy(tr["t"], tr["envelope"], "--", color=line[0].get_color(),
                     label=f"envelope {det.get('envelope_text', '')}" + lab)
        ax2.semilogy(tr["lambda_t"], tr["lambda_min"], color=line[0].get_color(), label="λ_min(Λ(t))" + lab)
    floor = det.get("floor")
    if isinstance(floor, (int, float)) and floor > 0:
        ax2.axhline(floor, color="k", ls=":", label=f"floor {det.get('floor_text', '')} = {floor:.3g}")
    xlab = "GD step s" if runs[0]["trace"]["axis"] == "step" else "time t (gradient flow)"
    ax1.set(xlabel=xlab, ylabel="||f − y||²", title=f"{variant} on {ds}: loss against the envelope")
    ax2.set(xlabel=xlab, ylabel="λ_min of the kernel", title=f"{variant} on {ds}: kernel floor")
    for ax in (ax1, ax2):
        ax.legend(fontsize=8)
        ax.grid(True, which="both", alpha=0.3)
    name = _name("run", variant, ds)
    _save(fig, out / name)
    r0 = runs[0]
    method = ("GD, η = " + _fmt(r0.get("eta")) + f", {r0.get('steps')} steps" if r0.get("method") == "gd"
              else f"GF on [0, {_fmt(r0.get('T'))}], {r0.get('nfev', '?')} evaluations")
    stops = "; ".join(f"seed {i + 1}: {s}" if len(runs) > 1 else s
                      for i, s in enumerate(_early_stop(r) for r in runs) if s)
    caption = (f"{variant} on data set {ds}: α = {_fmt(det.get('alpha'))}, m = {det.get('m')}, "
               f"δ = {_fmt(r0.get('delta'))}, {method}, {len(runs)} seed(s); {res['check']} "
               f"({res['status']}). Left: ||f − y||² and the envelope {det.get('envelope_text', '')}; "
               f"right: λ_min along the run and the floor {det.get('floor_text', '')}. "
               + (f"Early stop: {stops}." if stops else "No early stop: the run reached its target."))
    return {"id": name[:-4], "file": f"figures/{name}", "claim": claim["id"], "dataset": ds,
            "title": f"{variant} on {ds}: training run", "caption": caption}


# ------------------------------------------------------------------------ widths

def _widths_figure(rows: list[Mapping], ds: str, out: Path) -> dict | None:
    rows = [r for r in rows if r["dataset"] == ds and r["widths_tried"]]
    if not rows:
        return None
    fig, (ax,) = _figure(1, 3.8, right=0.72)
    for i, r in enumerate(rows):
        for w in r["widths_tried"]:
            style = ("o", "tab:green") if w["held"] else (("x", "tab:red") if w["testable"] else ("s", "0.6"))
            ax.scatter([i], [w["m"]], marker=style[0], color=style[1], s=30, zorder=3)
        if r["width_used"] is not None:
            ax.scatter([i], [r["width_used"]], marker="_", color="tab:green", s=600, zorder=4)
        if r["threshold"] is not None:
            ax.scatter([i], [r["threshold"]], marker="v", color="tab:blue", s=60, zorder=4)
    ax.set_yscale("log")
    ax.set_xticks(range(len(rows)), [r["variant"] for r in rows])
    ax.set(xlabel="theorem", ylabel="width m", title=f"Widths on {ds}: asked for and used")
    from matplotlib.lines import Line2D

    ax.legend(handles=[Line2D([], [], marker="o", ls="", color="tab:green", label="run held (all seeds)"),
                       Line2D([], [], marker="x", ls="", color="tab:red", label="run did not hold"),
                       Line2D([], [], marker="s", ls="", color="0.6", label="not testable in budget"),
                       Line2D([], [], marker="_", ls="", ms=15, color="tab:green", label="width used"),
                       Line2D([], [], marker="v", ls="", color="tab:blue", label="explicit threshold")],
              fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.grid(True, which="both", axis="y", alpha=0.3)
    name = _name("widths", ds)
    _save(fig, out / name)
    alphas = ", ".join(f"{r['variant']} α = {_fmt(r['alpha'])}" for r in rows)
    deltas = sorted({_fmt(r["delta"]) for r in rows})
    caption = (f"Widths on data set {ds} ({alphas}; δ = {', '.join(deltas)}): every width m a "
               "recorded run tried, the width used (the smallest at which the conclusion held for "
               "every seed) and the explicit threshold; the same numbers as the widths table.")
    return {"id": name[:-4], "file": f"figures/{name}", "claim": rows[0]["claim"], "dataset": ds,
            "title": f"Widths on {ds}", "caption": caption, "section": "widths"}


# ------------------------------------------------------------------------ scaling laws

def _fit_text(fit: Mapping | None) -> str:
    if not fit:
        return "no fit"
    lo, hi = fit["ci"]
    return f"slope {fit['slope']:.3f} [{_fmt(lo)}, {_fmt(hi)}], predicted {_fmt(fit['expected'])}"


def _finish(fig, ax, out: Path, name: str, claim: str, ds: str, title: str, caption: str) -> dict:
    """Legend, grid, save; the figure's description for the report."""
    ax.legend(fontsize=8)
    ax.grid(True, which="both", alpha=0.3)
    _save(fig, out / name)
    return {"id": name[:-4], "file": f"figures/{name}", "claim": claim, "dataset": ds,
            "title": title, "caption": caption}


def _seed_lines(ax, x, ys, label: str, color: str) -> None:
    for j, y in enumerate(ys):
        ax.loglog(x, y, "o-", color=color, alpha=0.6, lw=1, ms=3, label=label if j == 0 else None)


def _gram_error_figure(claim: Mapping, res: Mapping, out: Path) -> dict | None:
    det = res["details"]
    if not all(k in det for k in ("widths", "err_V", "err_G")):
        return None
    ds = det.get("dataset", "?")
    fig, (ax,) = _figure(1)
    _seed_lines(ax, det["widths"], det["err_V"], "||V(0) − V^∞||₂: " + _fit_text(det.get("fit_V")), "tab:blue")
    _seed_lines(ax, det["widths"], det["err_G"], "||G(0) − G^∞||₂: " + _fit_text(det.get("fit_G")), "tab:orange")
    ax.set(xlabel="width m", ylabel="spectral error at t = 0", title=f"Gram error at initialization on {ds} (L2)")
    caption = (f"L2 on data set {ds}: spectral errors of the finite Gram matrices at initialization "
               f"against m = {det['widths'][0]}..{det['widths'][-1]}, one line per seed "
               f"({len(det['err_V'])} seeds); V(0) and G(0) do not depend on α, no δ is involved. "
               "The legend gives the fitted exponents (predicted −1/2). No early stop.")
    return _finish(fig, ax, out, _name("gram-error", ds), claim["id"], ds,
                   f"L2 on {ds}: Gram error against the width", caption)


def _movement_figure(claim: Mapping, res: Mapping, out: Path) -> dict | None:
    det = res["details"]
    if not all(k in det for k in ("alphas", "dir_move", "len_move")):
        return None
    ds = det.get("dataset", "?")
    which = "len" if "length" in res["message"] else "dir"
    key, fit_key = (("len_move", "fit_len") if which == "len" else ("dir_move", "fit_dir"))
    what = "length movement |g_k(S) − g_k(0)|" if which == "len" else "direction movement ||u_k(S) − u_k(0)||"
    fig, (ax,) = _figure(1)
    _seed_lines(ax, det["alphas"], det[key], "mean " + what + ": " + _fit_text(det.get(fit_key)), "tab:purple")
    ax.set(xlabel="initialization scale α", ylabel="mean movement after S steps",
           title=f"{claim['id']} on {ds}: {what.split(' ')[0]} movement against α")
    a = det["alphas"]
    caption = (f"{claim['id']} on data set {ds}: mean {what} after S = {det.get('steps')} GD steps "
               f"(η = 1/λ_max(Λ(0))), m = {det.get('m')}, α = {_fmt(a[0])}..{_fmt(a[-1])}, one line per "
               f"seed ({len(det[key])} seeds); no δ is involved; fitted exponent in the legend. No early stop.")
    return _finish(fig, ax, out, _name("movement", claim["id"], res["check"].rsplit(".", 1)[-1], ds),
                   claim["id"], ds, f"{claim['id']} on {ds}: {what.split(' ')[0]} movement", caption)


def _crossover_figure(claim: Mapping, res: Mapping, out: Path) -> dict | None:
    det = res["details"]
    if not all(k in det for k in ("alpha_star", "alpha_lambda", "alpha_loss")):
        return None
    ds = det.get("dataset", "?")
    fig, (ax,) = _figure(1, 2.8, right=0.6)
    lo, hi = det.get("disagree_interval") or (1.0, 1.0)
    ax.axvspan(lo, hi, color="tab:orange", alpha=0.15, label="the two splits disagree")
    ax.axvline(1.0, color="0.3", ls="--", label="α = 1 (the paper's split)")
    ax.axvline(det["alpha_star"], color="tab:red", label=f"α* = {det['alpha_star']:.3g}")
    ax.scatter(det["alpha_lambda"], [1.0] * len(det["alpha_lambda"]), marker="o", color="tab:blue",
               label="α_λ: lower bounds cross (per seed)", zorder=3)
    ax.scatter(det["alpha_loss"], [0.5] * len(det["alpha_loss"]), marker="D", color="tab:green",
               label="α_r: initial loss decrease crosses (per seed)", zorder=3)
    ax.set_xscale("log")
    ax.set_ylim(0, 1.5)
    ax.set_yticks([])
    ax.set(xlabel="initialization scale α", title=f"Where the regimes cross on {ds}")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    name = _name("crossover", ds)
    _save(fig, out / name)
    caption = (f"{claim['id']} on data set {ds}: the paper's split at α = 1, α* = sqrt(λ_0/μ_0) = "
               f"{det['alpha_star']:.3g}, and the finite-width crossovers measured at m = {det.get('m')} "
               f"({len(det['alpha_lambda'])} seeds): α_λ where λ_min(V(0))/α² = λ_min(G(0)), α_r where the "
               "V and G parts of the initial loss decrease are equal. No δ, no early stop.")
    return {"id": name[:-4], "file": f"figures/{name}", "claim": claim["id"], "dataset": ds,
            "title": f"Regime crossover on {ds}", "caption": caption}


# ------------------------------------------------------------------------ all

def make_figures(doc: Mapping, outdir: str | Path) -> list[dict]:
    """Draw every figure the recorded runs of ``doc`` allow; returns their descriptions.

    Parameters
    ----------
    doc : the results document (:func:`wnproofs.report.document.build_document`).
    outdir : the folder of the PNG files (created); ``file`` entries are relative to its
        parent (``figures/<name>.png``).

    Returns
    -------
    list of dict
        ``id, file, claim, dataset, title, caption`` per figure, in claim order.
    """
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    figs: list[dict] = []
    for claim, res in _results(doc):
        det = res.get("details") or {}
        runs = det.get("runs") if isinstance(det.get("runs"), list) else []
        if any(isinstance(r, Mapping) and "trace" in r for r in runs):
            figs.append(_theorem_figure(claim, res, out))
        elif "err_V" in det:
            figs.append(_gram_error_figure(claim, res, out))
        elif "len_move" in det:
            figs.append(_movement_figure(claim, res, out))
        elif "alpha_lambda" in det:
            figs.append(_crossover_figure(claim, res, out))
    rows = doc.get("report", {}).get("widths", [])
    for ds in dict.fromkeys(r["dataset"] for r in rows):
        figs.append(_widths_figure(rows, ds, out))
    return [f for f in figs if f is not None]
