"""Checks of the convergence theorems T1-T4 and of Du et al.'s C1 (THEORY.md §8).

What each status says (``wnproofs.outcomes``)
---------------------------------------------
A theorem check is ``holds`` or ``fails`` only when its run meets every hypothesis as the
toolkit states it (:mod:`wnproofs.hypotheses`: A1, m ≥ the explicit threshold, η ≤ the
explicit step bound for GD, α in the regime by α* = sqrt(λ_0/μ_0); the paper's α = 1 split
is reported beside it), with the conclusion (the envelope inequality and the kernel floor)
checked at every recorded step or time:

* hypotheses met, conclusion held over at least half of the predicted decay: ``holds``;
* hypotheses met, conclusion violated, and every event the proof needs occurred on that
  initialization (:mod:`wnproofs.instance_certificate`): ``fails`` (a counterexample to the
  argument); violated with an event failed: ``inconclusive`` (a δ-probability event, which the
  theorem allows);
* hypotheses unmet (e.g. a practical width, ten orders below the threshold): the conclusion
  seen is ``observed``, a violation is ``deviates (hypotheses unmet)``, never ``fails``;
* the budget (GD steps, GF evaluations: never seconds) ends before the run covers half of
  the predicted decay and nothing was violated: ``inconclusive``;
* A1 fails: ``hypothesis not met`` (nothing is tested).

Every result carries ``details.hypotheses_met``, ``details.unmet`` (each unmet hypothesis
and by what factor) and ``details.reason``, a one-line reason that ``message`` starts with.

The three kinds of checks per theorem
-------------------------------------
* ``gd_envelope`` / ``gf_envelope``: on the instance's data at a practical width (quick
  m = 2000, full m = 8192), α from the regime (:func:`wnproofs.hypotheses.default_alpha`:
  min(1, α*)/2 for T1/T3, 2·max(1, α*) for T2/T4, unless ``alpha`` is set), η = 1/λ_max(K(0)).
  Far below the explicit thresholds: ``observed`` or ``deviates``.
* ``at_threshold``: a simulation that meets every hypothesis, on the *probe* instance of
  the theorem (below), at m = ⌈explicit threshold⌉ (the exact reduction of
  :mod:`wnproofs.reduced` makes 10⁶-10⁷ neurons affordable), GD at η = half the
  large-width step bound (the step the GD width is computed for, ≤ the finite-width bound),
  for as many steps or evaluations as the budget allows; reports the fraction of the
  predicted decay covered.  Widths above ``sim_max_width`` are not simulated (memory): the
  result says so (``inconclusive``) and the certificate stands in.
* ``instance_certificate`` (T1-T4): on the probe instance at m = ⌈threshold⌉, the events of
  the proof are measured on the realized initialization and the deterministic half of the
  argument is applied (level ``certified``: Arb for λ_0/μ_0, ||K(0) − K^∞||_F, λ_min(K(0)));
  then the smallest width at which the certificate closes is searched (a neuron budget).

Probe instances (chosen to make the explicit thresholds smallest; y_i = ±1/2, δ = 0.5)
---------------------------------------------------------------------------------------
* T2, T4: two points at 150° in d = 6, α = 64 (α* = 2.05: G-dominated by α* and by the
  paper).  m_G(GF) ≈ 3.6·10⁴, m_G(GD) ≈ 8.6·10⁵.  (The issue's example, 90° in d = 3 at α = 4,
  gives 3.5·10⁶ (GF) and 6·10⁷ (GD): m_G falls as α⁻⁴ until its α-free terms dominate, near
  α = 32-64, and a wider angle raises μ_0.)
* C1: Du et al.'s explicit width (``bounds.m_du``, R and R' derived, Markov's 1/δ) is
  2.7·10⁷ (GF) and 4.3·10⁸ (GD) for two points at 90°; one point (n = 1, λ_H = 1/2) gives
  m_du(GF) ≈ 4.2·10⁵ and m_du(GD) ≈ 6.8·10⁶, d being immaterial: the C1 probe is one point.
* T1, T3: the V-dominated widths m_V do not fall with α (α enters only through Δg = α²R_0)
  and are 10⁹-10¹¹ for two points in d ≤ 10; they fall with d (λ_0 → 1/2, E[1/χ_d] → 0):
  one point in d = 1000, α = 0.5 (α* = 31.6) gives m_V(GF) ≈ 1.8·10⁶, m_V(GD) ≈ 2.9·10⁷;
  two points at 90° in d = 1000 give m_V(GF) ≈ 3.2·10⁷, m_V(GD) ≈ 5.4·10⁸.  With the
  reduction every neuron costs O(n), not O(d).

Simulations use the smallest threshold (one point for T1/T3/C1) and run when the width is
at most ``sim_max_width``: quick mode (2^19) simulates T4 and C1's gradient flow, full mode
(2^23) also T2, T3 and C1's GD; T1's GD width (2.9·10⁷) is simulated in neither (its state
would not fit here): the certificate covers T1.  Certificates (O(n) per neuron, streamed) take the one-point
probe in quick mode and the two-point probe in full mode, for every T-theorem.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field, replace
from typing import Mapping

import numpy as np

from wnproofs.derivation_cache import persistent
from wnproofs.errors import InputError
from wnproofs.experiments import slack, theorem_run
from wnproofs.hypotheses import (
    SPECS,
    Budget,
    Unmet,
    assess,
    data_constants,
    default_alpha,
    explicit_step,
    explicit_width,
)
from wnproofs.instance_certificate import (
    Chain,
    certify_instance,
    smallest_closing_width,
)
from wnproofs.outcomes import CheckResult, Kind, Level, Status, compare
from wnproofs.plugin import Instance, read_params

# ---------------------------------------------------------------------------- typed parameters

def _opt(default=None, doc: str = "", kind=int):
    return field(default=default, metadata={"doc": doc, "kind": kind})


@dataclass(frozen=True)
class TheoremParams:
    """Knobs of a theorem module's checks (``--set T2.alpha=40`` arrives as ``alpha``).

    ``None`` means "by mode" (quick / full) where the doc gives two values.  Unknown keys
    are an error (:meth:`from_instance`).
    """

    m: int | None = _opt(None, "width of the envelope check (quick 2000, full 8192)")
    alpha: float | None = _opt(None, "α of the envelope check (default: inside the regime by α*)", float)
    delta: float = _opt(0.1, "δ of the theorem: widths, step bounds, the event split", float)
    seeds: int | None = _opt(None, "networks per envelope check (quick 1, full 3)")
    max_steps: int | None = _opt(None, "GD steps per envelope run (quick 4000, full 40000)")
    max_evals: int | None = _opt(None, "GF evaluations per envelope run (quick 2500, full 40000)")
    probe_seed: int = _opt(0, "seed of the probe instance's network (at_threshold, instance_certificate)")
    probe_max_steps: int | None = _opt(None, "GD steps of the at-threshold run (quick 400, full 20000)")
    probe_max_evals: int | None = _opt(None, "GF evaluations of the at-threshold run (quick 600, full 20000)")
    probe_work: int | None = _opt(None, "neuron-steps (m × steps or evaluations) of the at-threshold run "
                                        "(quick 2^26, full 2^33)")
    sim_max_width: int | None = _opt(None, "largest width simulated at the threshold (quick 2^19, full 2^23)")
    cert_neurons: int | None = _opt(None, "neurons the closing-width search may draw (quick 2^23, full 2^31)")
    cert_seeds: int | None = _opt(None, "initializations that must all close in that search (quick 3, full 5)")
    slack_widths: tuple | None = _opt(None, "widths of width_slack (default 2^4 ... 2^14)", tuple)
    scaling_m: int = _opt(512, "width of the scaling fits")
    scaling_seeds: int | None = _opt(None, "seeds of the scaling fits (quick 5, full 8)")
    slope_tol: float = _opt(0.15, "allowance around a predicted exponent (finite distance from the limit)", float)
    scaling_max_steps: int | None = _opt(None, "step budget of the rate fit (T3; quick 3000, full 3000)")

    @classmethod
    def from_instance(cls, inst: Instance, claim: str | None = None):
        """The parameters in ``inst.params``, typed (``wnproofs.plugin.read_params``: an unknown
        key or a value of the wrong type raises InputError naming it); ``slack_widths`` may be
        a list or its JSON text."""
        p = read_params(cls, inst, claim)
        if p.slack_widths is not None:
            p = replace(p, slack_widths=_convert("slack_widths", p.slack_widths, tuple))
        return p

    def by_mode(self, name: str, mode: str):
        """A field's value, or its mode default when it is None."""
        val = getattr(self, name)
        if val is not None:
            return val
        return _MODE_DEFAULTS[name][0 if mode == "quick" else 1]

    def budget(self, mode: str) -> Budget:
        return Budget(self.by_mode("max_steps", mode), self.by_mode("max_evals", mode))

    def probe_budget(self, mode: str, m: int) -> Budget:
        """Steps / evaluations of an at-threshold run of width m: the caps, and at most probe_work / m."""
        per = max(1, self.by_mode("probe_work", mode) // max(1, m))
        return Budget(min(self.by_mode("probe_max_steps", mode), per), min(self.by_mode("probe_max_evals", mode), per))


_MODE_DEFAULTS = {
    "m": (2000, 8192), "seeds": (1, 3), "max_steps": (4000, 40_000), "max_evals": (2500, 40_000),
    "probe_max_steps": (400, 20_000), "probe_max_evals": (600, 20_000), "probe_work": (2**26, 2**33),
    "sim_max_width": (2**19, 2**23), "cert_neurons": (2**23, 2**31), "cert_seeds": (3, 5), "slack_widths": (tuple(2**k for k in range(4, 15)),) * 2,
    "scaling_seeds": (5, 8), "scaling_max_steps": (3000, 3000), "alpha": (None, None),
}


def _convert(key: str, val, kind):
    try:
        if kind is tuple:
            seq = json.loads(val) if isinstance(val, str) else val
            return tuple(int(x) for x in seq)
        if kind is int:
            f = float(val)
            if not f.is_integer():
                raise ValueError
            return int(f)
        return float(val)
    except (TypeError, ValueError):
        raise InputError(f"parameter {key!r} must be {kind.__name__}, got {val!r}") from None


# ---------------------------------------------------------------------------- outcomes

def outcome(claim: str, kind: Kind, level: Level, observed: float | None, bound: float, status: Status,
            reason: str, body: str, details: Mapping, *, hypotheses_met: bool, unmet: list[dict],
            margin: float | None | object = ...) -> CheckResult:
    """A CheckResult with ``status``, ``details.reason`` / ``hypotheses_met`` / ``unmet`` and a
    message that starts with the reason."""
    obs = float("nan") if observed is None else float(observed)
    base = compare(claim, kind, level, obs, bound)
    det = dict(details)
    det.update(reason=reason, hypotheses_met=bool(hypotheses_met), unmet=list(unmet))
    mg = base.margin if margin is ... else margin
    if observed is None:
        mg = None
    return replace(base, status=status, margin=mg, message=f"{reason}. {body}" if body else reason, details=det)


def _verdict(hyp_met: bool, held: bool, covered: bool, events_ok: bool | None) -> tuple[Status, str]:
    """The status table of the module docstring."""
    if held:
        if not covered:
            return Status.INCONCLUSIVE, "budget exhausted before half of the predicted decay (no violation so far)"
        return (Status.HOLDS, "conclusion held with every hypothesis met") if hyp_met else \
            (Status.OBSERVED, "conclusion observed with hypotheses unmet")
    if not hyp_met:
        return Status.DEVIATES, "conclusion violated, with hypotheses unmet: not a failure of the theorem"
    if events_ok is None or events_ok:
        return Status.FAILS, "conclusion violated with every hypothesis met and every event of the proof occurred"
    return Status.INCONCLUSIVE, ("conclusion violated with the hypotheses met, but an event of the proof failed "
                                 "on this initialization (probability ≤ δ)")


def _a1_not_met(claim: str, inst: Instance, kind: Kind = Kind.LOWER) -> CheckResult | None:
    if inst.data.satisfies_A1:
        return None
    _, i, j = inst.data.min_separation()
    unmet = [Unmet("A1", "x_i ≠ ±x_j for i ≠ j", f"x_{i} = ±x_{j}").to_dict()]
    return outcome(claim, kind, Level.EMPIRICAL, None, 1.0, Status.HYPOTHESIS_NOT_MET,
                   f"A1 fails (x_{i} = ±x_{j})", "λ_0 = μ_0 = 0: no width, regime or envelope applies", {},
                   hypotheses_met=False, unmet=unmet)


def _f(x) -> str:
    return "-" if x is None else f"{x:.3g}"


def _run_text(variant: str, r: Mapping) -> str:
    spec = SPECS[variant]
    if spec.method == "GD":
        step = (f"GD η = {r['eta']:.3g} ({r.get('eta_source', '')}), {r.get('steps', 0)} of {r.get('steps_needed', '-')} "
                f"steps to e^-2")
    else:
        step = (f"GF on [0, {r.get('T_reached', 0):.3g}] of T = {r.get('T', 0):.3g} by {r.get('integrator')} "
                f"(rtol {r.get('rtol')}, atol {r.get('atol')}), {r.get('nfev')} evaluations")
    return (f"{spec.envelope_text} and λ_min ≥ {spec.floor_text} = {r['floor']:.3g}: worst envelope ratio "
            f"{_f(r.get('worst_envelope_ratio'))}, worst floor ratio {_f(r.get('worst_floor_ratio'))}; "
            f"decay covered {r.get('decay_covered', 0):.1%}; m = {r['m']}; {step}; α = {r['alpha']:g} "
            f"(α* = {r['constants']['alpha_star']:.3g}; the paper's α = 1 split "
            f"{'agrees' if r.get('alpha_in_paper_regime') else 'disagrees'})")


_RUN_SUMMARY = ("m", "seed", "alpha", "delta", "eta", "steps", "steps_needed", "T", "T_reached", "nfev", "held", "margin",
                "worst_envelope_ratio", "worst_floor_ratio", "decay_covered", "testable", "reason",
                "lambda_min_0", "lambda_max_0", "final_residual_ratio", "gf_status", "run_status", "budget",
                "hypotheses_met", "unmet", "threshold", "step_bound", "reduced", "trace")


def _summary(r: Mapping) -> dict:
    return {k: r.get(k) for k in _RUN_SUMMARY if k in r}


# ---------------------------------------------------------------------------- envelope at a practical width

def envelope_result(claim: str, variant: str, inst: Instance, params: TheoremParams, stream: int) -> CheckResult:
    """The envelope and floor of ``variant`` on the instance's data at a practical width."""
    if (bad := _a1_not_met(claim, inst)) is not None:
        return bad
    spec = SPECS[variant]
    X, y = inst.data.X, inst.data.y
    n, d = X.shape
    consts = data_constants(X)
    alpha = 1.0 if spec.network == "standard" else (
        params.alpha if params.alpha is not None else default_alpha(variant, consts["alpha_star"]))
    m = params.by_mode("m", inst.mode)
    bud = params.budget(inst.mode)
    rng = inst.rng(stream)
    runs = [theorem_run(variant, X, y, m=m, seed=rng, alpha=alpha, consts=consts, delta=params.delta, budget=bud,
                        trace_points=60) for _ in range(params.by_mode("seeds", inst.mode))]
    worst = min(runs, key=lambda r: r["margin"] if r["margin"] is not None else math.inf)
    hyp_met = bool(worst["hypotheses_met"])
    held = all(r["held"] for r in runs)
    covered = all(r["testable"] for r in runs) or not held
    status, why = _verdict(hyp_met, held, covered, None)
    reasons = sorted({r["reason"] for r in runs if r["reason"]})
    reason = why + (f" ({reasons[0]})" if reasons and status is Status.INCONCLUSIVE else "")
    if not hyp_met:
        reason += "; " + "; ".join(u["text"] for u in worst["unmet"])
    details = {"variant": variant, "alpha": alpha, "delta": params.delta, "m": m, "width_used": m,
               "budget": bud.to_dict(),
               "threshold": worst.get("threshold"), "threshold_note": worst.get("threshold_note"),
               "step_bound": worst.get("step_bound"), "alpha_star": consts["alpha_star"],
               "regime_by_paper": worst.get("alpha_in_paper_regime"), "constants": consts,
               "floor": worst["floor"], "runs": [_summary(r) for r in runs]}
    return outcome(claim, Kind.LOWER, Level.EMPIRICAL, worst["margin"], 1.0, status, reason,
                   _run_text(variant, worst) + f"; {len(runs)} seed(s)", details,
                   hypotheses_met=hyp_met, unmet=worst.get("unmet", []))


# ---------------------------------------------------------------------------- probe instances

@dataclass(frozen=True)
class Probe:
    """A small instance on which a theorem's explicit threshold is within reach (module docstring)."""

    n: int
    d: int
    angle_deg: float
    alpha: float
    delta: float = 0.5

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        X = np.zeros((self.n, self.d))
        X[0, 0] = 1.0
        if self.n == 2:
            t = math.radians(self.angle_deg)
            X[1, 0], X[1, 1] = math.cos(t), math.sin(t)
        elif self.n > 2:
            raise InputError("probes have n ≤ 2")
        y = np.array([0.5, -0.5][: self.n])
        return X, y

    def text(self) -> str:
        pts = "one point" if self.n == 1 else f"two points at {self.angle_deg:g}°"
        return f"probe: {pts} in d = {self.d}, y = ±1/2, δ = {self.delta:g}, α = {self.alpha:g}"


_G_PROBE = Probe(2, 6, 150.0, 64.0)
_C_PROBE = Probe(1, 6, 0.0, 1.0)
_V1_PROBE = Probe(1, 1000, 0.0, 0.5)
_V2_PROBE = Probe(2, 1000, 90.0, 0.5)
#: The probe each check uses, by mode: simulations take the smallest threshold, certificates
#: (cheap per neuron) take two points in full mode.
SIM_PROBES: dict[str, Probe] = {"T1": _V1_PROBE, "T3": _V1_PROBE, "T2": _G_PROBE, "T4": _G_PROBE,
                                "C1": _C_PROBE, "C1-GF": _C_PROBE}
CERT_PROBES: dict[str, dict[str, Probe]] = {
    "quick": {"T1": _V1_PROBE, "T3": _V1_PROBE, "T2": _G_PROBE, "T4": _G_PROBE},
    "full": {"T1": _V2_PROBE, "T3": _V2_PROBE, "T2": _G_PROBE, "T4": _G_PROBE},
}


@functools.lru_cache(maxsize=32)
def _probe_setting(variant: str, probe: Probe) -> dict:
    """Constants, the GD step (half the large-width step bound) and the explicit threshold of a probe."""
    X, y = probe.data()
    consts = data_constants(X)
    ym = float(np.max(np.abs(y)))
    eta = None
    if SPECS[variant].method == "GD":
        limit, note = explicit_step(variant, n=probe.n, delta=probe.delta, consts=consts, alpha=probe.alpha,
                                    d=probe.d, y_max=ym)
        eta = None if limit is None else limit / 2
    thr, note = explicit_width(variant, n=probe.n, delta=probe.delta, consts=consts, alpha=probe.alpha, d=probe.d,
                               y_max=ym, eta=eta)
    m = None if thr is None or not math.isfinite(thr) else int(math.ceil(thr))
    return {"consts": consts, "eta": eta, "threshold": thr, "threshold_note": note, "m": m}


def _chain(variant: str) -> Chain:
    """The argument of a WN theorem, from the theorem table: its regime and method."""
    spec = SPECS[variant]
    return Chain(spec.regime, spec.method)


def _probe_seed(probe_seed: int, variant: str) -> np.random.SeedSequence:
    return np.random.SeedSequence([int(probe_seed), sum(map(ord, variant))])


@functools.lru_cache(maxsize=32)
@persistent("probe-run")
def _probe_run(variant: str, probe: Probe, probe_seed: int, budget: Budget, sim_max_width: int) -> str:
    """The at-threshold run of a probe (JSON text; memoized: it does not depend on the check's instance)."""
    st = _probe_setting(variant, probe)
    m = st["m"]
    if m is None or m > sim_max_width:
        return json.dumps({"simulated": False, "m": m})
    X, y = probe.data()
    r = theorem_run(variant, X, y, m=m, seed=_probe_seed(probe_seed, variant), alpha=probe.alpha,
                    consts=st["consts"], eta=st["eta"], delta=probe.delta, budget=budget, reduced=True, records=8,
                    trace_points=60)
    out = {"simulated": True, **_summary(r), "constants": r["constants"], "floor": r["floor"],
           "alpha_in_paper_regime": r["alpha_in_paper_regime"], "threshold_note": r.get("threshold_note"),
           "eta_source": r.get("eta_source"), "integrator": r.get("integrator"), "rtol": r.get("rtol"),
           "atol": r.get("atol")}
    if not r["held"] and r.get("hypotheses_met") and SPECS[variant].network == "WN":
        cert = certify_instance(_chain(variant), X, y, m=m, alpha=probe.alpha, delta=probe.delta,
                                seed=_probe_seed(probe_seed, variant), eta=st["eta"])
        out["events"] = [e.to_dict() for e in cert.events]
        out["events_occurred"] = cert.events_occurred
    from wnproofs.outcomes import jsonable

    return json.dumps(jsonable(out))


def at_threshold_result(claim: str, variant: str, inst: Instance, params: TheoremParams) -> CheckResult:
    """A simulation meeting every hypothesis on the theorem's probe instance (module docstring)."""
    probe = SIM_PROBES[variant]
    st = _probe_setting(variant, probe)
    cap = params.by_mode("sim_max_width", inst.mode)
    bud = params.probe_budget(inst.mode, st["m"] or 1)
    r = json.loads(_probe_run(variant, probe, params.probe_seed, bud, cap))
    reused = r.pop("reused_from_cache", None)
    details = {"variant": variant, "probe": probe.text(), "threshold": st["threshold"],
               "threshold_note": st["threshold_note"], "budget": bud.to_dict(), "sim_max_width": cap}
    if not r["simulated"]:
        unmet = [Unmet("width", f"m ≥ {st['threshold']:.4g}", f"not simulated (cap {cap})",
                       None if st["threshold"] is None else st["threshold"] / cap).to_dict()]
        return outcome(claim, Kind.LOWER, Level.EMPIRICAL, None, 1.0, Status.INCONCLUSIVE,
                       f"not simulated: the explicit threshold m = {st['threshold']:.4g} is above the simulation "
                       f"cap sim_max_width = {cap}", f"{probe.text()}; the instance certificate covers this width",
                       details, hypotheses_met=False, unmet=unmet)
    details.update(run=r, constants=r["constants"], probe_cache=reused)
    status, why = _verdict(bool(r["hypotheses_met"]), bool(r["held"]), bool(r["testable"]),
                           r.get("events_occurred"))
    reason = why
    if status is Status.INCONCLUSIVE and r.get("reason"):
        reason += f" ({r['reason']})"
    if not r["hypotheses_met"]:
        reason += "; " + "; ".join(u["text"] for u in r["unmet"])
    return outcome(claim, Kind.LOWER, Level.EMPIRICAL, r["margin"], 1.0, status, reason,
                   f"{probe.text()}; " + _run_text(variant, r), details,
                   hypotheses_met=bool(r["hypotheses_met"]), unmet=r["unmet"])


# ---------------------------------------------------------------------------- the instance certificate

@functools.lru_cache(maxsize=32)
@persistent("probe-certificate")
def _probe_certificate(variant: str, probe: Probe, probe_seed: int, neurons: int, seeds: int, realized: bool) -> str:
    st = _probe_setting(variant, probe)
    X, y = probe.data()
    m = st["m"]
    cert = certify_instance(_chain(variant), X, y, m=m, alpha=probe.alpha, delta=probe.delta,
                            seed=_probe_seed(probe_seed, variant), eta=st["eta"], threshold=st["threshold"],
                            realized=realized)
    hyp = assess(variant, n=probe.n, d=probe.d, m=m, alpha=probe.alpha, delta=probe.delta, consts=st["consts"],
                 a1=True, eta=st["eta"], y_max=float(np.max(np.abs(y))),
                 threshold=(st["threshold"], st["threshold_note"]))
    search = smallest_closing_width(_chain(variant), X, y, alpha=probe.alpha, delta=probe.delta,
                                    seed=_probe_seed(probe_seed + 1, variant), eta=st["eta"], seeds=seeds,
                                    m_max=max(m, 256), budget_neurons=neurons)
    from wnproofs.outcomes import jsonable

    return json.dumps(jsonable({"certificate": cert.to_dict(), "closes": cert.closes,
                                "events_occurred": cert.events_occurred, "margin": cert.margin,
                                "hypotheses": hyp.to_dict(), "search": search}))


def certificate_result(claim: str, variant: str, inst: Instance, params: TheoremParams) -> CheckResult:
    """The per-instance certificate on the probe, at m = ⌈explicit threshold⌉ (module docstring)."""
    probe = CERT_PROBES[inst.mode][variant]
    st = _probe_setting(variant, probe)
    if st["m"] is None:
        return outcome(claim, Kind.UPPER, Level.CERTIFIED, None, 1.0, Status.INCONCLUSIVE,
                       f"no explicit threshold on the probe ({st['threshold_note']})", probe.text(), {},
                       hypotheses_met=False, unmet=[])
    neurons = params.by_mode("cert_neurons", inst.mode)
    res = json.loads(_probe_certificate(variant, probe, params.probe_seed, neurons,
                                        params.by_mode("cert_seeds", inst.mode), inst.mode == "full"))
    cert, hyp, search = res["certificate"], res["hypotheses"], res["search"]
    met = bool(hyp["hypotheses_met"])
    failed_events = [e["name"] for e in cert["events"] if not e["occurred"]]
    if not cert["lam_certified"]:
        status, reason = Status.INCONCLUSIVE, "the Arb certificate of λ_0/μ_0 did not succeed"
    elif res["closes"]:
        status = Status.HOLDS if met else Status.OBSERVED
        t = "s" if SPECS[variant].method == "GD" else "t"
        reason = (f"certified: this initialization converges for all time (λ_min ≥ {SPECS[variant].floor_text} and "
                  f"||f − y||² ≤ {SPECS[variant].envelope_text} for all {t} ≥ 0), "
                  f"{'every hypothesis met' if met else 'hypotheses unmet'}")
    elif failed_events:
        status = Status.INCONCLUSIVE
        reason = f"the certificate does not close and events of the proof failed ({'; '.join(failed_events)})"
    else:
        status = Status.FAILS if met else Status.INCONCLUSIVE
        reason = ("the certificate does not close although every event occurred at a width meeting the threshold"
                  if met else "the certificate does not close (hypotheses unmet)")
    m_close = search["m_close"]
    ratio = (st["threshold"] / m_close) if m_close else None
    closing = (f"smallest closing width m = {m_close} (threshold/closing = {ratio:.3g})" if m_close else
               f"no closing width found within the neuron budget {neurons}")
    worst = min(cert["conditions"], key=lambda c: c["rhs"] / c["lhs"] if c["lhs"] > 0 else math.inf)
    body = (f"{probe.text()}; m = {cert['m']} (explicit threshold {st['threshold']:.4g}); λ lower bound "
            f"{cert['lam_lower']:.6g} (Arb), ||K(0) − K^∞||_F ≤ {cert['quantities']['K0_dev_F_upper']:.3g}, "
            f"λ_min(K(0)) > {_f(cert['lambda_min_K0_lower'])} (Arb); tightest condition '{worst['name']}': "
            f"{worst['lhs']:.4g} ≤ {worst['rhs']:.4g}; {closing}")
    details = {"variant": variant, "probe": probe.text(), "certificate": cert, "hypotheses": hyp,
               "closing_width_search": search, "threshold": st["threshold"], "threshold_over_closing_width": ratio,
               "cert_neurons": neurons, "probe_cache": res.get("reused_from_cache")}
    return outcome(claim, Kind.UPPER, Level.CERTIFIED, 1.0 / res["margin"] if res["margin"] > 0 else math.inf,
                   1.0, status, reason, body, details, hypotheses_met=met, unmet=hyp["unmet"],
                   margin=res["margin"])


# ---------------------------------------------------------------------------- slack (full mode)

def slack_result(claim: str, variant: str, inst: Instance, params: TheoremParams) -> CheckResult:
    """Smallest width (powers of 2) at which the conclusion held on every seed, beside the threshold."""
    if (bad := _a1_not_met(claim, inst, Kind.UPPER)) is not None:
        return bad
    X, y = inst.data.X, inst.data.y
    widths = params.by_mode("slack_widths", inst.mode)
    bud = params.budget(inst.mode)
    res = slack(variant, X, y, seeds=params.by_mode("seeds", inst.mode), widths=widths, seed=inst.seed,
                budget=bud, alpha=params.alpha, delta=params.delta)
    obs, thr = res["observed_width"], res["threshold"]
    unmet = [Unmet("width", f"m ≥ {thr:.4g}" if thr else "m ≥ the explicit threshold",
                   f"widths ≤ {max(widths)}", (thr / max(widths)) if thr else None).to_dict()]
    if obs is None:
        return outcome(claim, Kind.UPPER, Level.EMPIRICAL, None, thr if thr is not None else math.inf,
                       Status.INCONCLUSIVE, f"the conclusion did not hold on every seed at any width ≤ {max(widths)} "
                       f"within the budget", res["threshold_note"], res, hypotheses_met=False, unmet=unmet)
    return outcome(claim, Kind.UPPER, Level.EMPIRICAL, obs, thr if thr is not None else math.inf, Status.OBSERVED,
                   f"conclusion observed on every seed from m = {obs} (hypotheses unmet at these widths)",
                   (f"explicit threshold {thr:.3g}; slack threshold/observed = {thr / obs:.3g}" if thr else
                    res["threshold_note"]), res, hypotheses_met=False, unmet=unmet)
