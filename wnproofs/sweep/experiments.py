"""Experiments: theorem runs (T1-T4, C1), slack, scaling fits and the regime crossover.

* :func:`theorem_run` trains one network and measures how a theorem's conclusion held:
  the worst ratio envelope(s)/||f(s) − y||² over the run and the worst ratio
  λ_min(Λ(s))/floor; their minimum is the margin (> 1: the conclusion held).
* :func:`width_threshold` and :func:`step_threshold` call the explicit constants of
  :mod:`wnproofs.bounds` (``m_V``, ``m_G``, ``m_du``, ``step_bound``); when a constant they
  need is missing the answer is ``None`` ("threshold unavailable"), never a local copy.
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
import time
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from .. import kernels
from ..dynamics import Diverged, Trajectory, gd, gf
from ..errors import InputError, check_alpha, check_positive_int
from ..model import WNNetwork
from ..theorems import Theorem
from ..theorems import variant as theorem_variant
from ..unnormalized import UNetwork

__all__ = [
    "SPECS",
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
]


# ---------------------------------------------------------------------------- specs

#: The theorem rows a run can name (the one table of :mod:`wnproofs.theorems`); "C1" is
#: Du et al.'s GD theorem, "C1-GF" their GF theorem.
SPECS: dict[str, Theorem] = {k: theorem_variant(k) for k in ("T1", "T2", "T3", "T4", "C1", "C1-GF")}

#: the former name of a row of the theorem table
TheoremSpec = Theorem


# ---------------------------------------------------------------------------- thresholds

def _evaluate(name: str, fn, kw: Mapping[str, Any]) -> tuple[float | None, str]:
    """Call a bound function of the theorem table; (value as float or None, a note)."""
    try:
        val = float(fn(**kw))
    except (TypeError, ValueError, ArithmeticError) as exc:  # InputError is a ValueError
        return None, f"threshold unavailable (bounds.{name} raised {type(exc).__name__}: {exc})"
    if math.isnan(val):
        return None, f"threshold unavailable (bounds.{name} returned nan)"
    return val, f"bounds.{name}({', '.join(sorted(kw))})"


def width_threshold(claim: str, *, n: int, delta: float, consts: Mapping[str, float],
                    alpha: float, d: int | None = None, y_max: float | None = None,
                    y_norm: float | None = None) -> tuple[float | None, str]:
    """The explicit width of ``claim`` (its row of the theorem table: m_V, m_G, m_du with the
    row's method); None, with the reason, if a constant it needs is missing."""
    spec = SPECS[claim]
    if consts.get(spec.const) is None:
        return None, f"threshold unavailable ({spec.const} not given)"
    kw = spec.width_kwargs(n=n, delta=delta, consts=consts, alpha=alpha, d=d, y_max=y_max)
    return _evaluate(spec.width_name, spec.width_function, kw)


def step_threshold(claim: str, *, n: int, delta: float, consts: Mapping[str, float],
                   alpha: float, m: int | None = None, d: int | None = None) -> tuple[float | None, str]:
    """The explicit GD step bound of ``claim``'s row (``step_bound``, C1: ``step_du``); None if unavailable."""
    spec = SPECS[claim]
    if spec.step_name is None:
        return None, f"no step bound: {spec.key} is a gradient-flow theorem"
    if consts.get(spec.const) is None:
        return None, f"threshold unavailable ({spec.const} not given)"
    kw = spec.step_kwargs(n=n, delta=delta, consts=consts, alpha=alpha, m=m, d=d)
    return _evaluate(spec.step_name, spec.step_function, kw)


def data_constants(X: np.ndarray) -> dict[str, float]:
    """λ_0 = λ_min(V^∞), μ_0 = λ_min(G^∞), λ_H = λ_min(H^∞) and α* = sqrt(λ_0/μ_0) (§4)."""
    lam, mu, lh = kernels.lambda_0(X), kernels.mu_0(X), kernels.lambda_H(X)
    return {"lambda_0": float(lam), "mu_0": float(mu), "lambda_H": float(lh),
            "alpha_star": float(math.sqrt(lam / mu)) if lam > 0 and mu > 0 else float("nan")}


# ---------------------------------------------------------------------------- one run

#: Target: the run lasts until the envelope falls to ENV_TARGET·||r(0)||² (e^-2),
#: and at least to ENV_TESTABLE within the budget (else "inconclusive").
ENV_TARGET = math.exp(-2.0)
ENV_TESTABLE = math.exp(-1.0)
#: Envelope values below this fraction of ||r(0)||² are not compared (round-off floor).
ROUNDOFF = 1e-18


def theorem_run(claim: str, X: np.ndarray, y: np.ndarray, *, m: int, seed, alpha: float | None = None,
                consts: Mapping[str, float] | None = None, eta_scale: float = 1.0,
                max_steps: int = 4000, max_evals: int = 20_000,
                delta: float = 0.1, return_trajectory: bool = False,
                trace_points: int = 0) -> dict[str, Any]:
    """Train once and measure the conclusion of ``claim`` (T1-T4, "C1" GD, "C1-GF" GF).

    The network is initialised from ``seed`` (int or ``numpy.random.Generator``); GD uses
    η = eta_scale/λ_max(Λ(0)) (the theorems' η = O(1/||Λ||)); GF uses η_v = η_g = 1.  The run
    lasts until the envelope falls to e^{-2}||r(0)||², within ``max_steps`` GD steps or
    ``max_evals`` GF evaluations (budgets, never the clock: the budget is in the result).

    Returns
    -------
    dict (JSON-ready): ``held`` (True/False, or None when not testable), ``margin`` =
    min(worst envelope ratio, worst floor ratio), both ratios, ``testable`` and ``reason``,
    the step/horizon used, the explicit threshold (or None) and movement summaries.
    ``"trajectory"`` holds the :class:`Trajectory` when ``return_trajectory``; ``"trace"``
    (with ``trace_points`` > 0) the run subsampled to about that many points: ``t`` (steps
    or time), ``residual_sq`` and the theorem's ``envelope`` at ``t``, ``lambda_min`` at
    ``lambda_t``, 6 significant digits (what the report's figures draw).
    """
    if claim not in SPECS:
        raise InputError(f"unknown theorem {claim!r}; one of {sorted(SPECS)}")
    spec = SPECS[claim]
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    m = check_positive_int(m, "m")
    alpha = check_alpha(spec.alpha if alpha is None else alpha)
    if spec.network == "standard":
        alpha = 1.0
    consts = dict(consts) if consts is not None else data_constants(X)
    kappa = spec.floor(consts, alpha)
    gen = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    wn = WNNetwork.init(m, d, alpha, gen)
    net = UNetwork.from_wn(wn) if spec.network == "standard" else wn
    K0 = net.ntk(X) if spec.network == "standard" else kernels.ntk(wn, X)
    ev0 = np.linalg.eigvalsh(K0)
    lam_max0 = float(ev0[-1])
    thr, thr_note = width_threshold(claim, n=n, d=d, delta=delta, consts=consts, alpha=alpha,
                                    y_max=float(np.max(np.abs(y))), y_norm=float(np.linalg.norm(y)))
    out: dict[str, Any] = {
        "claim": spec.claim, "variant": claim, "method": spec.method.lower(),
        "model": "unnormalized" if spec.network == "standard" else "wn",
        "n": n, "d": d, "m": m, "alpha": alpha, "delta": delta,
        "seed": seed if isinstance(seed, (int, np.integer)) else None,
        "constants": {k: float(v) for k, v in consts.items()},
        "floor": kappa, "floor_text": spec.floor_text, "envelope_text": spec.envelope_text,
        "lambda_min_0": float(ev0[0]), "lambda_max_0": lam_max0,
        "threshold": thr, "threshold_note": thr_note,
        "width_meets_threshold": (thr is not None and m >= thr),
        "budget": {"max_steps": int(max_steps), "max_evals": int(max_evals)},
    }
    regime_ok = (alpha < 1) if claim in ("T1", "T3") else (alpha > 1) if claim in ("T2", "T4") else True
    out["alpha_in_regime"] = regime_ok
    t0 = time.perf_counter()
    if kappa <= 0 or not math.isfinite(kappa):
        out.update(testable=False, held=None, reason=f"floor {spec.floor_text} = {kappa:.3g} is not positive",
                   margin=None, worst_envelope_ratio=None, worst_floor_ratio=None, seconds=0.0)
        return out
    if spec.method == "GD":
        eta = eta_scale / lam_max0
        sb, sb_note = step_threshold(claim, n=n, d=d, m=m, delta=delta, consts=consts, alpha=alpha)
        q = float(spec.envelope(1, consts, alpha, eta))  # 1 − ηκ
        if q <= 0:
            raise InputError(f"η·κ = {eta * kappa:.3g} ≥ 1: the envelope is meaningless at this step")
        need = int(math.ceil(math.log(ENV_TARGET) / math.log(q)))
        steps = min(need, max_steps)
        final_env = q**steps
        testable = final_env <= ENV_TESTABLE
        if not testable:
            steps = min(steps, 300)  # a short informative run only
        out.update(eta=eta, step_bound=sb, step_bound_note=sb_note,
                   step_meets_bound=(sb is not None and eta <= sb), steps=steps, steps_needed=need)
        try:
            traj = gd(net, X, y, eta=eta, steps=steps, record_every=max(1, steps // 50))
        except Diverged as exc:
            out.update(testable=True, held=False, diverged=str(exc), margin=0.0,
                       worst_envelope_ratio=0.0, worst_floor_ratio=None,
                       reason="GD diverged", seconds=time.perf_counter() - t0)
            return out
        s_all = np.arange(traj.step_residual_sq.size, dtype=float)
        env_all = spec.envelope(s_all, consts, alpha, eta) * traj.step_residual_sq[0]
        obs_all = traj.step_residual_sq
        reason = ("" if testable else
                  f"envelope {spec.envelope_text} only falls to {q ** need if need <= max_steps else final_env:.3f}·||r(0)||² "
                  f"in the budget of {max_steps} steps (η·κ = {eta * kappa:.2e}; e^-2 needs {need} steps)")
    else:
        T = -math.log(ENV_TARGET) / (2 * kappa)
        est = 6.0 * T * lam_max0 / 3.0  # RK45 stability: h λ_max ≲ 3, 6 evaluations a step
        out.update(T=T, T_needed=T, evals_estimate=est)
        testable = est <= max_evals
        traj = None
        reason = ""
        if not testable:
            T_short = min(T, 3.0 * max_evals / (6.0 * lam_max0) / 10)
            traj = gf(net, X, y, T=T_short, records=20, max_evals=max(1, max_evals // 10))
            out["T"] = T_short
            reason = (f"horizon T = {T:.3g} for exp(−2κT) = e^-2 needs about {est:.3g} RK45 evaluations "
                      f"(λ_max(Λ(0)) = {lam_max0:.3g}, κ = {kappa:.3g}) > budget {max_evals}; ran [0, {T_short:.3g}] only")
        else:
            traj = gf(net, X, y, T=T, records=60, max_evals=max_evals)
        s_all = traj.t
        env_all = spec.envelope(s_all, consts, alpha) * traj.residual_sq[0]
        obs_all = traj.residual_sq
        if testable and traj.status == "stalled":
            reached = float(np.exp(-2 * kappa * traj.t[-1]))
            if reached > ENV_TESTABLE:
                testable = False
                reason = f"GF stalled ({traj.message}) before the envelope fell below e^-1 (it reached {reached:.3f})"
        out.update(integrator=traj.integrator, rtol=traj.rtol, atol=traj.atol, gf_status=traj.status,
                   gf_message=traj.message, nfev=traj.nfev)
    rs0 = obs_all[0]
    mask = (s_all > 0) & (env_all > ROUNDOFF * rs0)
    with np.errstate(divide="ignore"):
        ratios = env_all[mask] / np.maximum(obs_all[mask], 1e-300)
    worst_env = float(ratios.min()) if ratios.size else float("inf")
    worst_env_at = float(s_all[mask][np.argmin(ratios)]) if ratios.size else None
    worst_floor = float(np.min(traj.lambda_min) / kappa)
    margin = min(worst_env, worst_floor)
    out.update(
        testable=testable, reason=reason,
        held=(margin >= 1.0) if testable else None,
        margin=margin, worst_envelope_ratio=worst_env, worst_envelope_at=worst_env_at,
        worst_floor_ratio=worst_floor,
        lambda_min_run=float(np.min(traj.lambda_min)),
        final_residual_ratio=float(traj.residual_sq[-1] / rs0),
        final_envelope_ratio=float(env_all[-1] / rs0),
        gram_change_max=float(np.max(traj.gram_change)),
        dir_move_max=float(traj.dir_move_max[-1]), dir_move_mean=float(traj.dir_move_mean[-1]),
        len_move_max=float(traj.len_move_max[-1]), len_move_mean=float(traj.len_move_mean[-1]),
        flips=int(traj.flips[-1]), vnorm_change_min=float(np.min(traj.vnorm_change_min)),
        run_status=traj.status, seconds=time.perf_counter() - t0,
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
          delta: float = 0.1, max_steps: int = 3000, max_evals: int = 20_000,
          seed: int = 0) -> dict[str, Any]:
    """The smallest width (of ``widths``) at which ``claim``'s conclusion held for every seed.

    Seeds come from ``SeedSequence(seed).spawn``.  Returns the observed width, the explicit
    threshold (or None, "threshold unavailable"), and the ratio threshold ÷ observed.  A
    width counts only if every seed's run was testable and held; the search stops at the
    first such width.
    """
    if isinstance(seeds, int):
        seeds = [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(seed).spawn(seeds)]
    consts = data_constants(X)
    spec_method = SPECS[claim].method
    runs = []
    observed = None
    testable_any = False
    for m in sorted(int(w) for w in widths):
        ok = True
        for s in seeds:
            r = theorem_run(claim, X, y, m=m, seed=s, alpha=alpha, consts=consts, delta=delta,
                            max_steps=max_steps, max_evals=max_evals)
            runs.append({k: r.get(k) for k in ("m", "seed", "held", "margin", "testable", "reason")})
            testable_any |= bool(r["testable"])
            if r["held"] is not True:
                ok = False
                break
        if ok:
            observed = m
            break
        if not runs[-1]["testable"] and spec_method == "GD":
            break  # GD: the step budget, not the width, is the obstacle: larger widths will not help
    n = X.shape[0]
    spec = SPECS[claim]
    a = spec.alpha if alpha is None else alpha
    thr, note = width_threshold(claim, n=n, d=X.shape[1], delta=delta, consts=consts, alpha=a,
                                y_max=float(np.max(np.abs(y))) if y is not None else None)
    return {"claim": spec.claim, "variant": claim, "alpha": a, "delta": delta, "seeds": list(seeds),
            "widths": list(widths), "observed_width": observed, "threshold": thr,
            "threshold_note": note, "testable": testable_any,
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
