"""The empirical width law: how wide must the network be for each theorem's conclusion to hold?

For T1-T4 and C1, :func:`measure_width_law` finds, at each n of a geometric range, the
smallest width m*(n) at which the theorem's conclusion (the envelope at every GD step or
GF record, and the kernel floor at every record, over the run's horizon) holds on at least
1 − δ of ``seeds`` independent networks: a geometric grid m = m_0·2^j until a width passes,
then bisection (geometric midpoints) between the last failing and the first passing width
down to a ratio of ``resolution``.  The data are ``random_sphere(n, d)`` at fixed d (one
data set per n, from ``SeedSequence([data_seed, n])``); λ_0, μ_0, λ_H and α* are recorded
at each n; α is chosen inside each theorem's regime by α* (:func:`wnproofs.hypotheses.default_alpha`),
η = 1/λ_max(K(0)) (the theorems' η = O(1/||Λ||), not the explicit step bound).

Every run goes through the resumable sweep store (:func:`wnproofs.sweep.run_sweep`, one
JSON line per run, keyed by its parameters and budget), so an interrupted measurement
resumes, and a Dask scheduler address runs the seeds of a width in parallel.  Budgets are
GD steps and GF evaluations; a run that covers less than half of the predicted decay within
them is not a success, so where the budget cannot cover it at any width (GF at large n,
where the flow is long and RK45 crawls along the activation boundaries) m*(n) is reported
as not measured (None), never guessed.

:func:`fit_exponent` fits log m* = a log n + b by least squares with a bootstrap interval
(cases resampled over n, each m* drawn log-uniformly inside its bracket [last failing
width, m*] to carry the grid's resolution; a Generator is passed in).  The result sets a
beside the theorems' exponents (n⁴ for T1-T4, n⁶ for C1), the exponent of the explicit
threshold formulas evaluated on the same data, and the best known sufficient width of the
literature for Du-type analyses with sharper concentration (n², e.g. Song & Yang 2019).

:func:`wn_vs_unnormalized` puts WN (T3, α < 1) and the un-normalized network (C1, GF) side by
side: the flow time to reach ||f − y||² ≤ ε||f(0) − y||² and the width each needs.
"""

from __future__ import annotations

import functools
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from .data import random_sphere
from .errors import InputError, check_delta, check_positive_int
from .hypotheses import SPECS, Budget, data_constants, default_alpha, explicit_width
from .stats import cp_interval
from .sweep import append_record, make_record, read_store, run_key, run_sweep, theorem_run

__all__ = ["WidthLawConfig", "THEORY_EXPONENT", "LITERATURE_EXPONENT", "dataset", "run_point",
           "measure_width_law", "fit_exponent", "wn_vs_unnormalized", "width_law", "plot_width_law",
           "readme_table"]

#: The theorems' width exponents in n (THEORY.md §8: n⁴ log n for T1-T4, n⁶ for C1).
THEORY_EXPONENT = {"T1": 4.0, "T2": 4.0, "T3": 4.0, "T4": 4.0, "C1": 6.0}
#: Best known sufficient width exponent for Du-type analyses with sharper concentration.
LITERATURE_EXPONENT = 2.0
LITERATURE_NOTE = ("m = Ω(n²) for Du-type analyses with sharper (matrix Chernoff) concentration, "
                   "e.g. Song & Yang 2019")


@dataclass(frozen=True)
class WidthLawConfig:
    """What to measure (every field is recorded in the output)."""

    claims: tuple[str, ...] = ("T1", "T2", "T3", "T4", "C1")
    ns: tuple[int, ...] = (4, 8, 16, 32, 64, 128, 256)
    d: int = 32
    seeds: int = 10
    delta: float = 0.1
    m_start: int = 8
    m_max: int = 2**18
    resolution: float = 1.25
    max_steps: int = 5000
    max_evals: int = 20000
    records: int = 10
    data_seed: int = 0
    net_seed: int = 1
    threshold_delta: float = 0.1
    work_budget: float = 2.0**32

    def __post_init__(self) -> None:
        for c in self.claims:
            if c not in THEORY_EXPONENT:
                raise InputError(f"unknown theorem {c!r}; one of {sorted(THEORY_EXPONENT)}")
        if len(self.ns) < 1 or any(int(n) < 1 for n in self.ns):
            raise InputError("ns must be positive integers")
        check_positive_int(self.d, "d", 2)
        if check_positive_int(self.seeds, "seeds") < 10:
            raise InputError(f"seeds must be at least 10 (the issue's minimum), got {self.seeds}")
        check_delta(self.delta)
        check_delta(self.threshold_delta)
        if not self.resolution > 1:
            raise InputError(f"resolution must be > 1, got {self.resolution}")
        if not self.work_budget > 0:
            raise InputError(f"work_budget must be > 0, got {self.work_budget}")

    @property
    def budget(self) -> Budget:
        return Budget(self.max_steps, self.max_evals)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["claims"], out["ns"] = list(self.claims), list(self.ns)
        return out


def dataset(n: int, d: int, data_seed: int):
    """The data set at n: random_sphere(n, d) from SeedSequence([data_seed, n])."""
    return random_sphere(n, d, np.random.default_rng(np.random.SeedSequence([int(data_seed), int(n)])))


def _variant(claim: str) -> str:
    return "C1" if claim == "C1" else claim


def run_point(params: Mapping[str, Any], budget: Mapping[str, int]) -> dict:
    """One run of the width law (a pure function of its parameters and budget; the sweep store's runner)."""
    ds = dataset(params["n"], params["d"], params["data_seed"])
    consts = params["constants"]
    bud = Budget(budget["max_steps"], budget["max_evals"])
    seed = np.random.SeedSequence([int(params["net_seed"]), int(params["n"]), int(params["m"]),
                                   int(params["seed_index"]), sum(map(ord, params["claim"]))])
    r = theorem_run(params["claim"], ds.X, ds.y, m=params["m"], seed=seed, alpha=params["alpha"],
                    consts=consts, budget=bud, reduced=params["d"] > params["n"] + 1, records=params["records"],
                    stop_at_floor_violation=True, hypotheses=False,
                    return_trajectory=bool(params.get("trajectory", False)))
    keep = ("held", "margin", "testable", "decay_covered", "reason", "lambda_min_0", "lambda_max_0",
            "worst_envelope_ratio", "worst_floor_ratio", "steps", "steps_needed", "nfev", "T", "T_reached", "eta")
    out = {k: r.get(k) for k in keep}
    if params.get("trajectory"):
        tr = r["trajectory"]
        out["t"] = [float(x) for x in tr.t]
        out["residual_sq"] = [float(x) for x in tr.residual_sq]
    return out


def _success(res: Mapping) -> bool:
    """The conclusion held at every recorded step AND the run covered at least half of the
    predicted decay (a run stopped early by its budget, e.g. a GF integration crawling along
    activation boundaries, shows nothing either way and does not count as a success)."""
    return bool(res.get("held")) and bool(res.get("testable"))


class _Points:
    """Runs of one (claim, n): evaluates a width on the seeds through the store, with early stopping."""

    def __init__(self, cfg: WidthLawConfig, claim: str, n: int, consts: Mapping, alpha: float, store: Path,
                 scheduler: str | None, have: dict):
        self.cfg, self.claim, self.n, self.consts, self.alpha = cfg, claim, n, consts, alpha
        self.store, self.scheduler, self.have = store, scheduler, have
        self.budget = cfg.budget.to_dict()
        self.allowed = int(math.floor(cfg.delta * cfg.seeds + 1e-12))   # failures compatible with ≥ 1 − δ
        self.evaluated: dict[int, dict] = {}
        self.work = 0.0

    def params(self, m: int, j: int) -> dict:
        c = self.cfg
        return {"kind": "widthlaw", "claim": self.claim, "n": int(self.n), "d": int(c.d), "m": int(m),
                "alpha": float(self.alpha), "seed_index": int(j), "data_seed": int(c.data_seed),
                "net_seed": int(c.net_seed), "records": int(c.records),
                "constants": {k: float(v) for k, v in self.consts.items()}}

    def evaluate(self, m: int) -> dict:
        if m in self.evaluated:
            return self.evaluated[m]
        cfg = self.cfg
        results: list[dict] = []
        keep = self.have.__setitem__
        bud = self.budget
        if self.scheduler is not None:
            batch = [self.params(m, j) for j in range(cfg.seeds)]
            todo = [p for p in batch if run_key(p, bud) not in self.have]
            run_sweep(self.store, todo, scheduler=self.scheduler, progress=False, budget=bud,
                      runner=functools.partial(run_point, budget=bud), callback=lambda rec: keep(rec["key"], rec))
            results = [self.have[run_key(p, bud)]["result"] for p in batch]
        else:
            fails = 0
            for j in range(cfg.seeds):
                p = self.params(m, j)
                if run_key(p, bud) not in self.have:
                    _store_one(self.store, p, bud, run_point(p, bud), self.have)
                res = self.have[run_key(p, bud)]["result"]
                results.append(res)
                fails += not _success(res)
                if fails > self.allowed:
                    break   # this width cannot reach 1 − δ any more
        self.work += sum(float(m) * self.n * float(r.get("steps") or r.get("nfev") or 1) for r in results)
        k = sum(_success(r) for r in results)
        N = len(results)
        budget_only = all(bool(r.get("held")) for r in results if not _success(r)) and k < N
        lo, hi = cp_interval(k, N, 0.95)
        passed = N == cfg.seeds and (N - k) <= self.allowed
        out = {"m": int(m), "successes": k, "runs": N, "fraction": k / N, "cp95": [lo, hi], "passed": passed,
               "min_decay_covered": min((float(r.get("decay_covered") or 0.0) for r in results if _success(r)),
                                        default=None),
               "budget_only": budget_only,
               "reasons": sorted({r.get("reason") or "" for r in results if not _success(r)})[:3]}
        self.evaluated[m] = out
        return out


def _store_one(store: Path, params: Mapping, budget: Mapping, result: Mapping, have: dict) -> None:
    """Append one finished run to the store as :func:`wnproofs.sweep.run_sweep` does (flushed and
    fsynced), without re-reading the store (run_sweep scans it on every call)."""
    rec = make_record(params, budget, result)
    append_record(store, rec)
    have[rec["key"]] = rec


def _search(pts: _Points) -> dict:
    """Geometric grid ×2 from m_start, then bisection to ``resolution``."""
    cfg = pts.cfg
    m_lo, m_hi = None, None
    m = cfg.m_start
    stop = ""
    gd = SPECS[pts.claim].method == "GD"

    def affordable(mm: int) -> bool:
        # work actually spent so far (m × n × steps or evaluations of every run, from the
        # recorded results, so deterministic) must be below the budget: a budget, not a clock
        return mm in pts.evaluated or pts.work < cfg.work_budget

    while m <= cfg.m_max:
        if not affordable(m):
            stop = f"work budget {cfg.work_budget:.3g} (Σ m × n × steps over the runs) spent before m = {m}"
            break
        ev = pts.evaluate(m)
        if ev["passed"]:
            m_hi = m
            break
        if ev["budget_only"] and gd:
            # nothing was violated: the step budget ran out before half of the predicted decay;
            # GD's horizon in steps does not shrink with m, so wider networks cannot pass either
            stop = f"budget: at m = {m} the runs held but covered less than half of the predicted decay"
            break
        m_lo = m
        m *= 2
    if m_hi is not None and m_lo is not None:
        while m_hi / m_lo > cfg.resolution:
            mid = int(round(math.sqrt(m_lo * m_hi)))
            if mid in (m_lo, m_hi) or not affordable(mid):
                break
            if pts.evaluate(mid)["passed"]:
                m_hi = mid
            else:
                m_lo = mid
    if m_hi is None and not stop:
        stop = f"no width up to m_max = {cfg.m_max} passed"
    return {"m_star": m_hi, "m_last_fail": m_lo, "not_measured": stop,
            "grid": [pts.evaluated[k] for k in sorted(pts.evaluated)]}


def measure_width_law(cfg: WidthLawConfig, store: str | Path, *, scheduler: str | None = None,
                      progress: Callable[[str], None] | None = None) -> dict:
    """m*(n) for every claim and n of ``cfg`` (resumable through ``store``)."""
    store = Path(store)
    store.parent.mkdir(parents=True, exist_ok=True)
    have = read_store(store) if store.exists() else {}   # read once; new runs are added as they finish
    out: dict[str, Any] = {}
    for claim in cfg.claims:
        rows = []
        for n in cfg.ns:
            ds = dataset(n, cfg.d, cfg.data_seed)
            consts = data_constants(ds.X)
            alpha = default_alpha(claim, consts["alpha_star"])
            if progress:
                progress(f"{claim} n = {n}")
            pts = _Points(cfg, claim, n, consts, alpha, store, scheduler, have)
            res = _search(pts)
            thr, note = explicit_width(claim, n=n, delta=cfg.threshold_delta, consts=consts, alpha=alpha, d=cfg.d,
                                       y_max=float(np.max(np.abs(ds.y))))
            rows.append({"n": int(n), "alpha": alpha, "constants": consts, "threshold": thr,
                         "threshold_note": note, **res})
        out[claim] = rows
    return out


def fit_exponent(ns: Sequence[float], m_star: Sequence[float], m_lo: Sequence[float | None], *,
                 rng: np.random.Generator, n_boot: int = 2000, level: float = 0.95) -> dict:
    """Least-squares a, b of log m* = a log n + b and a bootstrap ``level`` interval on a.

    Each replicate resamples the points with replacement (at least two distinct n) and draws
    every log m* uniformly in [log m_lo, log m*] (the bracket of the search; m_lo None means
    the first grid width passed: the bracket is [log m*/2, log m*]).
    """
    if not isinstance(rng, np.random.Generator):
        raise InputError("fit_exponent needs a numpy.random.Generator")
    x = np.log(np.asarray(ns, dtype=float))
    hi = np.log(np.asarray(m_star, dtype=float))
    lo = np.array([np.log(l) if l else h - math.log(2) for l, h in zip(m_lo, hi)])
    if x.size < 2 or np.unique(x).size < 2:
        raise InputError("need m* at two or more distinct n to fit an exponent")
    a, b = np.polyfit(x, hi, 1)
    boots = []
    k = x.size
    while len(boots) < n_boot:
        idx = rng.integers(0, k, k)
        if np.unique(x[idx]).size < 2:
            continue
        yy = rng.uniform(lo[idx], hi[idx])
        boots.append(np.polyfit(x[idx], yy, 1)[0])
    q = (1 - level) / 2
    ci = [float(np.quantile(boots, q)), float(np.quantile(boots, 1 - q))]
    return {"exponent": float(a), "intercept": float(b), "ci": ci, "level": level, "n_boot": n_boot}


def _time_to(t: Sequence[float], rs: Sequence[float], eps: float) -> float | None:
    """First time the recorded ||f − y||² falls to eps·||f(0) − y||² (log-linear interpolation)."""
    t, rs = np.asarray(t, float), np.asarray(rs, float)
    target = eps * rs[0]
    below = np.flatnonzero(rs <= target)
    if below.size == 0:
        return None
    i = int(below[0])
    if i == 0:
        return 0.0
    l0, l1 = math.log(rs[i - 1]), math.log(max(rs[i], 1e-300))
    return float(t[i - 1] + (t[i] - t[i - 1]) * (l0 - math.log(target)) / (l0 - l1))


def wn_vs_unnormalized(cfg: WidthLawConfig, law: Mapping, store: str | Path, *, eps: float = 0.2,
                       scheduler: str | None = None) -> list[dict]:
    """For α < 1: GF time to ||f − y||² ≤ ε||f(0) − y||² of WN (T3) and un-normalized (C1-GF) networks.

    At each n where both m* were found, both run at m = max(m*_T3, m*_C1) on the seeds
    (η_v = η_g = 1 for WN: Λ = V/α² + G; H for the un-normalized network).  The paper's
    speed-up is 1/α² (rates λ_0/α² against λ_H); reported: median times, their ratio
    t_U/t_WN, the predicted (λ_0/α² + μ_0)/λ_H and 1/α², and the width ratio m*_T3/m*_C1.
    """
    store = Path(store)
    have = read_store(store) if store.exists() else {}
    bud = cfg.budget.to_dict()
    rows = []
    t3 = {r["n"]: r for r in law.get("T3", [])}
    c1 = {r["n"]: r for r in law.get("C1", [])}
    for n in cfg.ns:
        a, b = t3.get(n), c1.get(n)
        if not a or not b or not a["m_star"] or not b["m_star"]:
            continue
        m = int(max(a["m_star"], b["m_star"]))
        times: dict[str, list[float]] = {"T3": [], "C1-GF": []}
        for claim, alpha in (("T3", a["alpha"]), ("C1-GF", 1.0)):
            batch = []
            for j in range(cfg.seeds):
                p = {"kind": "widthlaw-speed", "claim": claim, "n": int(n), "d": int(cfg.d), "m": m,
                     "alpha": float(alpha), "seed_index": j, "data_seed": cfg.data_seed, "net_seed": cfg.net_seed,
                     "records": 40, "constants": a["constants"], "trajectory": True}
                batch.append(p)
            todo = [p for p in batch if run_key(p, bud) not in have]
            if scheduler is not None:
                run_sweep(store, todo, scheduler=scheduler, progress=False, budget=bud,
                          runner=functools.partial(run_point, budget=bud),
                          callback=lambda rec: have.__setitem__(rec["key"], rec))
            else:
                for p in todo:
                    _store_one(store, p, bud, run_point(p, bud), have)
            for p in batch:
                res = have[run_key(p, bud)]["result"]
                if "t" in res:
                    tt = _time_to(res["t"], res["residual_sq"], eps)
                    if tt is not None:
                        times[claim].append(tt)
        if not times["T3"] or not times["C1-GF"]:
            continue
        c = a["constants"]
        tw, tu = float(np.median(times["T3"])), float(np.median(times["C1-GF"]))
        al = float(a["alpha"])
        rows.append({"n": int(n), "m": m, "alpha": al, "eps": eps, "t_wn_median": tw, "t_unnormalized_median": tu,
                     "speedup": tu / tw if tw > 0 else None, "speedup_1_over_alpha_sq": 1 / al**2,
                     "speedup_rates": (c["lambda_0"] / al**2 + c["mu_0"]) / c["lambda_H"],
                     "width_ratio_T3_over_C1": a["m_star"] / b["m_star"], "runs": [len(times["T3"]),
                                                                                  len(times["C1-GF"])]})
    return rows


def width_law(cfg: WidthLawConfig, store: str | Path, *, rng: np.random.Generator, scheduler: str | None = None,
              progress: Callable[[str], None] | None = None, command: str = "") -> dict:
    """Measure, fit and compare: the document written to ``docs/results/width_law.json``."""
    law = measure_width_law(cfg, store, scheduler=scheduler, progress=progress)
    theorems: dict[str, Any] = {}
    for claim, rows in law.items():
        found = [r for r in rows if r["m_star"]]
        fit = None
        if len({r["n"] for r in found}) >= 2:
            fit = fit_exponent([r["n"] for r in found], [r["m_star"] for r in found],
                               [r["m_last_fail"] for r in found], rng=rng)
        big = [r for r in found if r["n"] >= cfg.d]
        fit_big = None
        if len({r["n"] for r in big}) >= 2:
            fit_big = fit_exponent([r["n"] for r in big], [r["m_star"] for r in big],
                                   [r["m_last_fail"] for r in big], rng=rng)
        thr_rows = [r for r in rows if r["threshold"] and math.isfinite(r["threshold"])]
        thr_fit = None
        if len(thr_rows) >= 2:
            xs = np.log([r["n"] for r in thr_rows])
            thr_fit = float(np.polyfit(xs, np.log([r["threshold"] for r in thr_rows]), 1)[0])
        theorems[claim] = {
            "n": [r["n"] for r in rows], "m_star": [r["m_star"] for r in rows],
            "m_last_fail": [r["m_last_fail"] for r in rows],
            "not_measured": [r["not_measured"] for r in rows],
            "exponent": fit["exponent"] if fit else None, "ci": fit["ci"] if fit else None,
            "fit": fit, "theory_exponent": THEORY_EXPONENT[claim],
            "exponent_n_ge_d": fit_big["exponent"] if fit_big else None,
            "ci_n_ge_d": fit_big["ci"] if fit_big else None,
            "threshold_exponent": thr_fit, "threshold": [r["threshold"] for r in rows],
            "threshold_over_m_star": [(r["threshold"] / r["m_star"]) if r["m_star"] and r["threshold"] else None
                                      for r in rows],
            "literature_exponent": LITERATURE_EXPONENT, "literature_note": LITERATURE_NOTE,
            "alpha": [r["alpha"] for r in rows],
            "lambda_0": [r["constants"]["lambda_0"] for r in rows],
            "mu_0": [r["constants"]["mu_0"] for r in rows],
            "lambda_H": [r["constants"]["lambda_H"] for r in rows],
            "alpha_star": [r["constants"]["alpha_star"] for r in rows],
            "seeds": cfg.seeds, "budget": cfg.budget.to_dict(),
            "min_decay_covered": [min((g["min_decay_covered"] for g in r["grid"] if g["passed"]), default=None)
                                  for r in rows],
            "grid": [r["grid"] for r in rows],
        }
    speed = wn_vs_unnormalized(cfg, law, store, scheduler=scheduler) if {"T3", "C1"} <= set(cfg.claims) else []
    return {"config": cfg.to_dict(), "command": command, "theorems": theorems, "wn_vs_unnormalized": speed,
            "data": f"random_sphere(n, d = {cfg.d}), labels ±U[0.5, 1], one data set per n from "
                    f"SeedSequence([{cfg.data_seed}, n])",
            "conclusion": "envelope at every GD step (GF: every record) and λ_min(K) ≥ floor at every record, over "
                          "the run's horizon (the predicted decay to e^-2, or as much of it as the budget covers)",
            "criterion": f"at least 1 − δ = {1 - cfg.delta:g} of {cfg.seeds} seeds (exact Clopper-Pearson 95% "
                         "interval of the fraction recorded at every width)"}


# ---------------------------------------------------------------------------- rendering

def plot_width_law(doc: Mapping, ax=None):
    """log-log m*(n) per theorem with the fitted lines and the explicit thresholds (dashed); returns the Figure."""
    from matplotlib.figure import Figure

    if ax is None:
        fig = Figure(figsize=(11, 4.6), layout="constrained")
        ax, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    else:
        fig, ax2 = ax.figure, None
    markers = dict(zip(["T1", "T2", "T3", "T4", "C1"], "osd^v"))
    for claim, th in doc["theorems"].items():
        pts = [(n, m) for n, m in zip(th["n"], th["m_star"]) if m]
        if not pts:
            continue
        n, m = map(np.asarray, zip(*pts))
        lab = f"{claim}: a = {th['exponent']:.2f}" if th["exponent"] is not None else claim
        if th["ci"]:
            lab += f" [{th['ci'][0]:.2f}, {th['ci'][1]:.2f}]"
        line = ax.loglog(n, m, markers.get(claim, "o"), label=lab)[0]
        if th["fit"]:
            xx = np.geomspace(n.min(), n.max(), 20)
            ax.loglog(xx, np.exp(th["fit"]["intercept"]) * xx ** th["fit"]["exponent"], "-", color=line.get_color(),
                      alpha=0.6)
        if ax2 is not None:
            thr = [(nn, t) for nn, t in zip(th["n"], th["threshold"]) if t]
            if thr:
                tn, tv = map(np.asarray, zip(*thr))
                ax2.loglog(tn, tv, "--" + markers.get(claim, "o"), color=line.get_color(),
                           label=f"{claim} explicit threshold (slope {th['threshold_exponent']:.2f})"
                           if th["threshold_exponent"] is not None else claim)
                ax2.loglog(n, m, markers.get(claim, "o"), color=line.get_color(), alpha=0.5)
    cfg = doc["config"]
    ax.set_xlabel("n (points on the sphere)")
    ax.set_ylabel("m*(n): smallest width where the conclusion held")
    ax.set_title(f"measured width law (d = {cfg['d']}, ≥ {1 - cfg['delta']:g} of {cfg['seeds']} seeds)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    if ax2 is not None:
        ax2.set_xlabel("n")
        ax2.set_ylabel("width")
        ax2.set_title("explicit thresholds (dashed) vs measured m* (markers)")
        ax2.grid(True, which="both", alpha=0.3)
        ax2.legend(fontsize=7)
    return fig


CAPTION = ("Figure: left, the smallest width m*(n) at which each theorem's conclusion (envelope and kernel floor "
           "along the run) held on at least 1 − δ of the seeds, log-log in n, with least-squares lines and their "
           "exponents (95% bootstrap intervals); right, the explicit threshold formulas of the toolkit evaluated on "
           "the same data (dashed) against the measured m* (markers).")


def readme_table(doc: Mapping) -> str:
    """The Markdown section "How loose each theorem is, measured" (headline + table)."""
    th = doc["theorems"]
    cfg = doc["config"]
    lines = ["| theorem | measured exponent a [95% CI], all n | a for n ≥ d | theorem's exponent | threshold "
             "formula's exponent (same data) | threshold / m* at the largest n measured | n measured |",
             "|---|---|---|---|---|---|---|"]
    heads = []
    for claim, t in th.items():
        ns = [n for n, m in zip(t["n"], t["m_star"]) if m]
        ratio = None
        for n, r in zip(t["n"], t["threshold_over_m_star"]):
            if r:
                ratio = (n, r)
        a = (f"{t['exponent']:.2f} [{t['ci'][0]:.2f}, {t['ci'][1]:.2f}]" if t["exponent"] is not None else "-")
        te = f"{t['threshold_exponent']:.2f}" if t["threshold_exponent"] is not None else "-"
        rr = f"{ratio[1]:.2g} (n = {ratio[0]})" if ratio else "-"
        big = (f"{t['exponent_n_ge_d']:.2f} [{t['ci_n_ge_d'][0]:.2f}, {t['ci_n_ge_d'][1]:.2f}]"
               if t.get("exponent_n_ge_d") is not None else "-")
        lines.append(f"| {claim} | {a} | {big} | {t['theory_exponent']:g} | {te} | {rr} | "
                     f"{', '.join(map(str, ns)) if ns else '-'} |")
        if t["exponent"] is not None:
            heads.append(f"{claim} n^{t['exponent']:.1f}")
    ratios = [r for t in th.values() for r in t["threshold_over_m_star"] if r]
    gap = (f"the explicit thresholds lie {min(ratios):.0e} to {max(ratios):.0e} times above m* on the same data"
           if ratios else "no threshold/m* ratio was measured")
    headline = (f"**Headline.** On random data in d = {cfg['d']} (n = {min(cfg['ns'])} to {max(cfg['ns'])}, "
                f"{cfg['seeds']} seeds a point, the conclusion on ≥ {1 - cfg['delta']:g} of them), the width each "
                f"theorem needs grows like " + (", ".join(heads) if heads else "-") +
                " (fitted over every measured n); the theorems state n⁴ (T1-T4) and n⁶ (C1), the literature's "
                f"best sufficient width is n²; {gap}.")
    speed = doc.get("wn_vs_unnormalized") or []
    sp = ""
    if speed:
        sp = ("\n\nWN (T3, α < 1) against the un-normalized network (C1, GF), time to ||f − y||² ≤ "
              f"{speed[0]['eps']:g}·||f(0) − y||² at the same width:\n\n| n | α | measured speed-up t_U/t_WN | "
              "1/α² | (λ_0/α² + μ_0)/λ_H | width m*_T3/m*_C1 |\n|---|---|---|---|---|---|\n" +
              "\n".join(f"| {r['n']} | {r['alpha']:.3g} | {r['speedup']:.3g} | {r['speedup_1_over_alpha_sq']:.3g} | "
                        f"{r['speedup_rates']:.3g} | {r['width_ratio_T3_over_C1']:.3g} |" for r in speed))
    cmd = doc.get("command") or "python -m wnproofs widthlaw"
    return (headline + "\n\n" + "\n".join(lines) + sp + "\n\n![width law](docs/results/width_law.png)\n\n"
            + CAPTION + f"\n\nRegenerate: `{cmd}` (resumable; `docs/results/width_law.json` holds every number).\n")
