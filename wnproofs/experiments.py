"""Experiments: theorem runs (T1-T4, C1), slack, scaling fits and the regime crossover.

* :func:`theorem_run` trains one network and measures how a theorem's conclusion held:
  the worst ratio envelope(s)/||f(s) − y||² over the run and the worst ratio
  λ_min(Λ(s))/floor; their minimum is the margin (> 1: the conclusion held).
* :func:`width_threshold` and :func:`step_threshold` return the explicit constants of
  :mod:`wnproofs.bounds` (``m_V``, ``m_G``, ``m_du``, ``step_bound``) through the adapter
  :mod:`wnproofs.hypotheses`; when a constant they need is missing the answer is ``None``
  ("threshold unavailable"), never a local copy.
* :func:`slack` finds the smallest width (powers of 2) at which a conclusion held for every
  seed and puts it next to the explicit threshold.
* :func:`gram_error_scaling`, :func:`movement_scaling`, :func:`rate_scaling` fit the
  scaling laws (L2, T1-T4) with :func:`fit_power`; :func:`crossover` compares α = 1, α*
  and the finite-width crossovers.

The grid, the store and the runner of resumable sweeps are the sibling modules
:mod:`wnproofs.sweep.grid`, :mod:`wnproofs.sweep.store` and :mod:`wnproofs.sweep.runner`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from . import kernels
from .dynamics import Diverged, Trajectory, gd, gf
from .errors import InputError, check_alpha, check_positive_int
from .hypotheses import (
    SPECS,
    Budget,
    TheoremSpec,
    assess,
    data_constants,
    default_alpha,
    explicit_step,
    explicit_width,
    paper_regime_ok,
    regime_ok,
)
from .model import WNNetwork
from .reduced import reduce_data, unnormalized_init, wn_init
from .threads import deterministic_blas
from .unnormalized import UNetwork

__all__ = [
    "SPECS",
    "Budget",
    "TheoremSpec",
    "width_threshold",
    "step_threshold",
    "data_constants",
    "theorem_run",
    "slack",
    "PowerFit",
    "fit_power",
    "gram_error_scaling",
    "movement_scaling",
    "rate_scaling",
    "crossover",
    "ENV_TARGET",
    "ENV_TESTABLE",
    "ROUNDOFF",
]


# ---------------------------------------------------------------------------- specs and thresholds
# The theorem table, the data constants and the explicit thresholds live in the adapter
# :mod:`wnproofs.hypotheses`; the names below are kept for the callers of this module.


def width_threshold(claim: str, *, n: int, delta: float, consts: Mapping[str, float],
                    alpha: float, d: int | None = None, y_max: float | None = None,
                    y_norm: float | None = None, eta: float | None = None) -> tuple[float | None, str]:
    """The explicit width of ``claim`` (:func:`wnproofs.hypotheses.explicit_width`); None if unavailable.

    The GD theorems (T1, T2) get the GD width (``method="GD"``), the GF ones the GF width.
    """
    return explicit_width(claim, n=n, delta=delta, consts=consts, alpha=alpha, d=d, y_max=y_max, eta=eta)


def step_threshold(claim: str, *, n: int, delta: float, consts: Mapping[str, float],
                   alpha: float, m: int | None = None, d: int | None = None,
                   y_max: float | None = None) -> tuple[float | None, str]:
    """The explicit GD step bound (:func:`wnproofs.hypotheses.explicit_step`); None if unavailable."""
    return explicit_step(claim, n=n, delta=delta, consts=consts, alpha=alpha, m=m, d=d, y_max=y_max)


# ---------------------------------------------------------------------------- one run

#: Target: the run lasts until the envelope falls to ENV_TARGET·||r(0)||² (e^-2);
#: a run whose budget ends before the envelope falls to ENV_TESTABLE (e^-1) has covered
#: less than half of the predicted decay ("budget exhausted").
ENV_TARGET = math.exp(-2.0)
ENV_TESTABLE = math.exp(-1.0)
#: Envelope values below this fraction of ||r(0)||² are not compared (round-off floor).
ROUNDOFF = 1e-18


def _network(spec: TheoremSpec, X: np.ndarray, m: int, alpha: float, seed, reduced: bool):
    """The initialization (THEORY.md §1): full (m × d draws) or the exact reduction of
    :mod:`wnproofs.reduced` (same law; O(rank X) per neuron).  Returns (net, X used)."""
    if reduced:
        red = reduce_data(X)
        if spec.network == "standard":
            return unnormalized_init(red, m, seed), red.X
        return wn_init(red, m, alpha, seed), red.X
    gen = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    wn = WNNetwork.init(m, X.shape[1], alpha, gen)
    return (UNetwork.from_wn(wn) if spec.network == "standard" else wn), X


@deterministic_blas
def theorem_run(claim: str, X: np.ndarray, y: np.ndarray, *, m: int, seed, alpha: float | None = None,
                consts: Mapping[str, float] | None = None, eta_scale: float = 1.0, eta: float | None = None,
                budget: Budget | None = None, max_steps: int | None = None, max_evals: int | None = None,
                delta: float = 0.1, reduced: bool = False, records: int = 50,
                stop_at_floor_violation: bool = False, hypotheses: bool = True,
                return_trajectory: bool = False, trace_points: int = 0) -> dict[str, Any]:
    """Train once and measure the conclusion of ``claim`` (T1-T4, "C1" GD, "C1-GF" GF).

    The network is initialised from ``seed`` (int or ``numpy.random.Generator``; with
    ``reduced`` an int or SeedSequence of :func:`wnproofs.reduced.weight_chunks`).  GD uses
    ``eta`` if given, else η = eta_scale/λ_max(K(0)) (the theorems' η = O(1/||Λ||)); GF uses
    η_v = η_g = 1.  The run lasts until the envelope falls to e^{-2}||r(0)||², or until the
    budget (GD steps, GF right-hand-side evaluations; never seconds) is spent.  α defaults
    to :func:`wnproofs.hypotheses.default_alpha` (inside the regime by α* and by the paper).

    The conclusion is checked at every GD step (the envelope) and at ``records`` records
    (the kernel floor λ_min(K(s)) ≥ κ; the envelope too for GF).  ``stop_at_floor_violation``
    ends the run at once when λ_min(K(0)) < κ (the conclusion already failed at s = 0).

    Returns
    -------
    dict (JSON-ready): ``held`` (the conclusion held at every recorded step), ``margin`` =
    min(worst envelope ratio, worst floor ratio), both ratios, ``decay_covered`` (the fraction
    of the predicted decay to e^{-2} that the run covered: −log(envelope)/2 at its end),
    ``testable`` (decay_covered ≥ 1/2) and ``reason``, the step/horizon used, the budget, the
    hypotheses (:func:`wnproofs.hypotheses.assess`, unless ``hypotheses`` is False) and movement
    summaries.  ``"trajectory"`` holds the :class:`Trajectory` when ``return_trajectory``;
    ``"trace"`` (with ``trace_points`` > 0) the run subsampled to about that many points: ``t``
    (steps or time), ``residual_sq`` and the theorem's ``envelope`` at ``t``, ``lambda_min`` at
    ``lambda_t``, 6 significant digits (what the report's figures draw).
    """
    spec = SPECS[claim] if claim in SPECS else None
    if spec is None:
        raise InputError(f"unknown theorem {claim!r}; one of {sorted(SPECS)}")
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    m = check_positive_int(m, "m")
    bud = budget if budget is not None else Budget()
    if max_steps is not None or max_evals is not None:
        bud = Budget(max_steps if max_steps is not None else bud.max_steps,
                     max_evals if max_evals is not None else bud.max_evals)
    consts = dict(consts) if consts is not None else data_constants(X)
    if spec.network == "standard":
        alpha = 1.0
    alpha = check_alpha(default_alpha(claim, consts["alpha_star"]) if alpha is None else alpha)
    kappa = spec.floor(consts, alpha)
    net, Xn = _network(spec, X, m, alpha, seed, reduced)
    K0 = net.ntk(Xn) if spec.network == "standard" else kernels.ntk(net, Xn)
    ev0 = np.linalg.eigvalsh(K0)
    lam_max0 = float(ev0[-1])
    out: dict[str, Any] = {
        "claim": spec.claim, "variant": claim, "method": spec.method.lower(),
        "model": "unnormalized" if spec.network == "standard" else "wn",
        "n": n, "d": d, "m": m, "alpha": alpha, "delta": delta, "reduced": bool(reduced),
        "seed": seed if isinstance(seed, (int, np.integer)) else None, "budget": bud.to_dict(),
        "constants": {k: float(v) for k, v in consts.items()},
        "floor": kappa, "floor_text": spec.floor_text, "envelope_text": spec.envelope_text,
        "lambda_min_0": float(ev0[0]), "lambda_max_0": lam_max0,
        "alpha_in_regime": regime_ok(claim, alpha, consts["alpha_star"]),
        "alpha_in_paper_regime": paper_regime_ok(claim, alpha),
    }
    if kappa <= 0 or not math.isfinite(kappa):
        out.update(testable=False, held=None, reason=f"floor {spec.floor_text} = {kappa:.3g} is not positive",
                   margin=None, worst_envelope_ratio=None, worst_floor_ratio=None, decay_covered=0.0)
        return out
    if spec.method == "GD":
        step = float(eta) if eta is not None else eta_scale / lam_max0
        out.update(eta=step, eta_source="given" if eta is not None else f"{eta_scale:g}/λ_max(K(0))")
    else:
        step = None
    if hypotheses:
        hyp = assess(claim, n=n, d=d, m=m, alpha=alpha, delta=delta, consts=consts, a1=bool(consts["lambda_0"] > 0),
                     eta=step, y_max=float(np.max(np.abs(y))))
        out.update(hyp.to_dict())
        out.update(width_meets_threshold=not any(u.name == "width" for u in hyp.unmet),
                   step_meets_bound=(None if step is None else not any(u.name == "step" for u in hyp.unmet)))
    if ev0[0] < kappa and stop_at_floor_violation:
        out.update(testable=True, held=False, margin=float(ev0[0] / kappa), worst_floor_ratio=float(ev0[0] / kappa),
                   worst_envelope_ratio=None, decay_covered=0.0, steps=0,
                   reason=f"λ_min(K(0)) = {ev0[0]:.4g} < floor {kappa:.4g}: the conclusion fails at s = 0")
        return out
    if spec.method == "GD":
        q = 1.0 - step * kappa
        if q <= 0:
            raise InputError(f"η·κ = {step * kappa:.3g} ≥ 1: the envelope is meaningless at this step")
        need = int(math.ceil(math.log(ENV_TARGET) / math.log(q)))
        steps = min(need, bud.max_steps)
        out.update(steps=steps, steps_needed=need)
        try:
            traj = gd(net, Xn, y, eta=step, steps=steps, record_every=max(1, steps // max(1, records)))
        except Diverged as exc:
            out.update(testable=True, held=False, diverged=str(exc), margin=0.0,
                       worst_envelope_ratio=0.0, worst_floor_ratio=None, decay_covered=0.0,
                       reason="GD diverged")
            return out
        s_all = np.arange(traj.step_residual_sq.size, dtype=float)
        env_all = spec.envelope(s_all, consts, alpha, step) * traj.step_residual_sq[0]
        obs_all = traj.step_residual_sq
        covered = float(-math.log(q) * s_all[-1] / 2.0)
        reason = "" if covered >= 0.5 else (
            f"budget exhausted: {bud.max_steps} GD steps cover {covered:.2%} of the predicted decay to e^-2 "
            f"(η·κ = {step * kappa:.2e}; e^-2 needs {need} steps)")
    else:
        T = -math.log(ENV_TARGET) / (2 * kappa)
        traj = gf(net, Xn, y, T=T, records=max(1, records), max_evals=bud.max_evals)
        out.update(T=T, T_reached=float(traj.t[-1]), integrator=traj.integrator, rtol=traj.rtol, atol=traj.atol,
                   gf_status=traj.status, gf_message=traj.message, nfev=traj.nfev)
        s_all = traj.t
        env_all = spec.envelope(s_all, consts, alpha) * traj.residual_sq[0]
        obs_all = traj.residual_sq
        covered = kappa * float(s_all[-1])
        if traj.status == "converged":
            covered = max(covered, 1.0)   # the residual fell to round-off: nothing left to check
        reason = "" if covered >= 0.5 else (
            f"budget exhausted: GF {traj.status} ({traj.message}) at t = {s_all[-1]:.4g} of T = {T:.4g}, "
            f"{covered:.2%} of the predicted decay to e^-2")
    testable = bool(covered >= 0.5)
    rs0 = obs_all[0]
    mask = (s_all > 0) & (env_all > ROUNDOFF * rs0)
    with np.errstate(divide="ignore"):
        ratios = env_all[mask] / np.maximum(obs_all[mask], 1e-300)
    worst_env = float(ratios.min()) if ratios.size else float("inf")
    worst_env_at = float(s_all[mask][np.argmin(ratios)]) if ratios.size else None
    worst_floor = float(np.min(traj.lambda_min) / kappa)
    margin = min(worst_env, worst_floor)
    held = bool(margin >= 1.0)
    if not held:
        reason = (f"violated within the run: worst envelope ratio {worst_env:.4g}, worst floor ratio "
                  f"{worst_floor:.4g}" + (f" ({reason})" if reason else ""))
    out.update(
        testable=testable, reason=reason, held=held, decay_covered=min(covered, 1.0),
        margin=margin, worst_envelope_ratio=worst_env, worst_envelope_at=worst_env_at,
        worst_floor_ratio=worst_floor,
        lambda_min_run=float(np.min(traj.lambda_min)),
        final_residual_ratio=float(traj.residual_sq[-1] / rs0),
        final_envelope_ratio=float(env_all[-1] / rs0),
        gram_change_max=float(np.max(traj.gram_change)),
        dir_move_max=float(traj.dir_move_max[-1]), dir_move_mean=float(traj.dir_move_mean[-1]),
        len_move_max=float(traj.len_move_max[-1]), len_move_mean=float(traj.len_move_mean[-1]),
        flips=int(traj.flips[-1]), vnorm_change_min=float(np.min(traj.vnorm_change_min)),
        run_status=traj.status,
    )
    if trace_points > 0:
        out["trace"] = _trace(s_all, obs_all, env_all, traj, int(trace_points))
    if return_trajectory:
        out["trajectory"] = traj
    return out


def _trace(t: np.ndarray, obs: np.ndarray, env: np.ndarray, traj: Trajectory, k: int) -> dict:
    """A run subsampled to about ``k`` evenly spaced records (6 significant digits)."""
    def pick(size: int) -> np.ndarray:
        return np.unique(np.linspace(0, size - 1, min(k, size)).round().astype(int))

    def sig(a: np.ndarray) -> list[float]:
        return [float(f"{v:.6g}") for v in np.asarray(a, dtype=float)]

    i, j = pick(t.size), pick(traj.t.size)
    return {"axis": "step" if traj.method == "gd" else "time", "t": sig(t[i]),
            "residual_sq": sig(obs[i]), "envelope": sig(env[i]),
            "lambda_t": sig(traj.t[j]), "lambda_min": sig(traj.lambda_min[j])}


# ---------------------------------------------------------------------------- slack

def slack(claim: str, X: np.ndarray, y: np.ndarray, *, seeds: Sequence[int] | int = 3,
          widths: Sequence[int] = tuple(2**k for k in range(4, 13)), alpha: float | None = None,
          delta: float = 0.1, budget: Budget | None = None, max_steps: int | None = None,
          max_evals: int | None = None, seed: int = 0) -> dict[str, Any]:
    """The smallest width (of ``widths``) at which ``claim``'s conclusion held for every seed.

    Seeds come from ``SeedSequence(seed).spawn``.  Returns the observed width, the explicit
    threshold (or None, "threshold unavailable"), and the ratio threshold ÷ observed.  A
    width counts only if every seed's run covered at least half of the predicted decay and
    held; the search stops at the first such width.  Budgets are steps and evaluations.
    """
    bud = budget if budget is not None else Budget(3000, 20_000)
    if max_steps is not None or max_evals is not None:
        bud = Budget(max_steps or bud.max_steps, max_evals or bud.max_evals)
    if isinstance(seeds, int):
        seeds = [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(seed).spawn(seeds)]
    consts = data_constants(X)
    spec = SPECS[claim]
    a = 1.0 if spec.network == "standard" else (default_alpha(claim, consts["alpha_star"]) if alpha is None
                                                  else float(alpha))
    runs = []
    observed = None
    testable_any = False
    for m in sorted(int(w) for w in widths):
        ok = True
        for s in seeds:
            r = theorem_run(claim, X, y, m=m, seed=s, alpha=a, consts=consts, delta=delta, budget=bud,
                            hypotheses=False, stop_at_floor_violation=True)
            runs.append({k: r.get(k) for k in ("m", "seed", "held", "margin", "testable", "reason",
                                               "decay_covered")})
            testable_any |= bool(r["testable"])
            if not (r["held"] is True and r["testable"]):
                ok = False
                break
        if ok:
            observed = m
            break
        if runs[-1]["held"] and not runs[-1]["testable"] and spec.method == "GD":
            break  # GD: the step budget, not the width, is the obstacle: larger widths will not help
    n = X.shape[0]
    thr, note = width_threshold(claim, n=n, d=X.shape[1], delta=delta, consts=consts, alpha=a,
                                y_max=float(np.max(np.abs(y))) if y is not None else None)
    return {"claim": spec.claim, "variant": claim, "alpha": a, "delta": delta, "seeds": list(seeds),
            "widths": list(widths), "observed_width": observed, "threshold": thr,
            "threshold_note": note, "testable": testable_any, "budget": bud.to_dict(),
            "ratio": (thr / observed) if (thr is not None and observed) else None, "runs": runs}


# ---------------------------------------------------------------------------- scaling laws

@dataclass(frozen=True)
class PowerFit:
    """A fitted exponent b of y ≈ a·x^b: least squares on logs per seed, t-interval over seeds.

    ``slope`` is the mean of the per-seed slopes, ``ci`` its two-sided ``level`` t-interval
    (k − 1 degrees of freedom, k seeds); ``expected`` the exponent the theory predicts.
    """

    slope: float
    ci: tuple[float, float]
    per_seed: tuple[float, ...]
    expected: float
    level: float = 0.95

    def contains(self, value: float, tol: float = 0.0) -> bool:
        return self.ci[0] - tol <= value <= self.ci[1] + tol

    def to_dict(self) -> dict:
        return {"slope": self.slope, "ci": list(self.ci), "per_seed": list(self.per_seed),
                "expected": self.expected, "level": self.level}


def fit_power(x: Sequence[float], ys: np.ndarray, expected: float, level: float = 0.95) -> PowerFit:
    """Fit log y = log a + b log x for each row of ``ys`` (one row per seed); t-interval on b."""
    from scipy import stats

    lx = np.log(np.asarray(x, dtype=float))
    Y = np.log(np.atleast_2d(np.asarray(ys, dtype=float)))
    if not np.all(np.isfinite(Y)):
        raise InputError("fit_power needs positive finite values")
    slopes = np.array([np.polyfit(lx, row, 1)[0] for row in Y])
    k = slopes.size
    mean = float(slopes.mean())
    if k < 2:
        return PowerFit(mean, (float("-inf"), float("inf")), tuple(map(float, slopes)), expected, level)
    half = float(stats.t.ppf(0.5 + level / 2, k - 1) * slopes.std(ddof=1) / math.sqrt(k))
    return PowerFit(mean, (mean - half, mean + half), tuple(map(float, slopes)), expected, level)


@deterministic_blas
def gram_error_scaling(X: np.ndarray, *, widths: Sequence[int] = (64, 128, 256, 512, 1024, 2048),
                       seeds: int = 5, rng: np.random.Generator | int = 0) -> dict[str, Any]:
    """||V(0) − V^∞||_2 and ||G(0) − G^∞||_2 against m (L2 predicts m^(−1/2)); one fit per kernel.

    Seed j draws an independent network at every width (children of ``rng`` via
    ``SeedSequence.spawn``); V(0) does not depend on α (§3), so α = 1.
    """
    ss = _seedseq(rng).spawn(seeds)
    Vi, Gi = kernels.V_inf(X), kernels.G_inf(X)
    eV = np.zeros((seeds, len(widths)))
    eG = np.zeros_like(eV)
    for j, s in enumerate(ss):
        gen = np.random.default_rng(s)
        for i, m in enumerate(widths):
            net = WNNetwork.init(int(m), X.shape[1], 1.0, gen)
            V, G = kernels.grams(net, X)
            eV[j, i] = np.linalg.norm(V - Vi, 2)
            eG[j, i] = np.linalg.norm(G - Gi, 2)
    return {"widths": list(map(int, widths)), "err_V": eV.tolist(), "err_G": eG.tolist(),
            "fit_V": fit_power(widths, eV, -0.5).to_dict(), "fit_G": fit_power(widths, eG, -0.5).to_dict()}


def _seedseq(rng) -> np.random.SeedSequence:
    if isinstance(rng, np.random.Generator):
        return np.random.SeedSequence(int(rng.integers(0, 2**63 - 1)))
    return np.random.SeedSequence(rng)


@deterministic_blas
def movement_scaling(X: np.ndarray, y: np.ndarray, alphas: Sequence[float], *, m: int = 512,
                     steps: int = 100, seeds: int = 5, rng: np.random.Generator | int = 0
                     ) -> dict[str, Any]:
    """Mean direction movement ||u_k(S) − u_k(0)|| and length movement |g_k(S) − g_k(0)| after
    S GD steps with η = 1/λ_max(Λ(0)), for each α (T1: lengths move ∝ α² when V-dominated;
    T2: directions move ∝ α^(−2) when G-dominated), plus the per-step decay rate.

    Returns arrays (seeds × len(alphas)) and fits of both movements against α.
    """
    ss = _seedseq(rng).spawn(seeds)
    A = len(alphas)
    dmv, lmv, rate, eta_used = (np.zeros((seeds, A)) for _ in range(4))
    for j, s in enumerate(ss):
        for i, a in enumerate(alphas):
            gen = np.random.default_rng(s)  # same draw of w(0) = v(0)/α at every α
            net = WNNetwork.init(m, X.shape[1], float(a), gen)
            eta = 1.0 / float(np.linalg.eigvalsh(kernels.ntk(net, X))[-1])
            tr = gd(net, X, y, eta=eta, steps=steps, record_every=steps)
            dmv[j, i] = tr.dir_move_mean[-1]
            lmv[j, i] = tr.len_move_mean[-1]
            eta_used[j, i] = eta
            rate[j, i] = -math.log(max(tr.residual_sq[-1], 1e-300) / tr.residual_sq[0]) / (2 * tr.t[-1] * eta)
    return {"alphas": list(map(float, alphas)), "m": m, "steps": steps, "dir_move": dmv.tolist(),
            "len_move": lmv.tolist(), "rate_per_time": rate.tolist(), "eta": eta_used.tolist(),
            "fit_dir": fit_power(alphas, dmv, -2.0).to_dict(), "fit_len": fit_power(alphas, lmv, 2.0).to_dict()}


@deterministic_blas
def rate_scaling(X: np.ndarray, y: np.ndarray, alphas: Sequence[float], *, m: int = 512,
                 seeds: int = 5, rng: np.random.Generator | int = 0, decay: float = 0.5,
                 max_steps: int = 4000) -> dict[str, Any]:
    """Convergence rate against 1/α² (T1/T3: rate ∝ λ_0/α² in the V-dominated regime).

    One step η for every α (safe for the smallest α: η = 1/λ_max(Λ(0)) there), so GD
    approximates GF; the rate is −log(||r(s)||²/||r(0)||²)/(2ηs) at the first step s where
    ||r(s)||² ≤ decay·||r(0)||².  Fit: rate ∝ (1/α²)^b, b = 1 expected.
    """
    ss = _seedseq(rng).spawn(seeds)
    alphas = sorted(map(float, alphas))
    R = np.zeros((seeds, len(alphas)))
    for j, s in enumerate(ss):
        gen0 = np.random.default_rng(s)
        net0 = WNNetwork.init(m, X.shape[1], alphas[0], gen0)
        eta = 1.0 / float(np.linalg.eigvalsh(kernels.ntk(net0, X))[-1])
        for i, a in enumerate(alphas):
            net = WNNetwork.init(m, X.shape[1], a, np.random.default_rng(s))
            hit = []
            r0 = net.forward(X) - y
            rs0 = float(r0 @ r0)

            def hook(state, _h=hit):
                if state.index > 0 and state.residual_sq <= decay * rs0:
                    _h.append((state.index, state.residual_sq))
                    return True     # stop the run here
                return False

            gd(net, X, y, eta=eta, steps=max_steps, record_every=max_steps, hook=hook)
            if hit:
                st, rs = hit[0]
                R[j, i] = -math.log(rs / rs0) / (2 * eta * st)
            else:
                R[j, i] = float("nan")
    inv = [1.0 / a**2 for a in alphas]
    ok = np.all(np.isfinite(R), axis=0)
    fit = fit_power(np.asarray(inv)[ok], R[:, ok], 1.0) if ok.sum() >= 2 else None
    return {"alphas": alphas, "inv_alpha_sq": inv, "m": m, "rate": R.tolist(),
            "fit": fit.to_dict() if fit else None}


class _Stop(Exception):
    pass


@deterministic_blas
def crossover(X: np.ndarray, y: np.ndarray, *, m: int = 2048, seeds: int = 5,
              rng: np.random.Generator | int = 0) -> dict[str, Any]:
    """Where the regimes cross: α = 1 (the paper) vs α* = sqrt(λ_0/μ_0) (§4) vs finite width.

    At finite width V(0), G(0) do not depend on α (§3); the crossover of the lower bounds is
    α_λ = sqrt(λ_min(V(0))/λ_min(G(0))) and that of the initial loss decrease (V-part equal to
    the G-part of −d||r||²/dt = 2rᵀ(V/α² + G)r) is α_r = sqrt(rᵀV(0)r / rᵀG(0)r).  The paper's
    split and α* disagree on (min(1, α*), max(1, α*)).
    """
    consts = data_constants(X)
    a_star = consts["alpha_star"]
    ss = _seedseq(rng).spawn(seeds)
    al, ar = [], []
    for s in ss:
        net = WNNetwork.init(m, X.shape[1], 1.0, np.random.default_rng(s))
        V, G = kernels.grams(net, X)
        r = net.forward(X) - y
        lv, lg = np.linalg.eigvalsh(V)[0], np.linalg.eigvalsh(G)[0]
        al.append(math.sqrt(lv / lg) if lv > 0 and lg > 0 else float("nan"))
        ar.append(math.sqrt(float(r @ V @ r) / float(r @ G @ r)))
    lo, hi = sorted((1.0, a_star))
    return {"alpha_star": a_star, "alpha_paper": 1.0, "alpha_lambda": al, "alpha_loss": ar,
            "disagree_interval": [lo, hi], "m": m, "constants": consts}
