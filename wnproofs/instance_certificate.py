"""Per-instance certificates of T1-T4: the proof's events on the realized initialization, then its
deterministic part, so that *this* network provably converges at the theorem's rate for all time.

The explicit widths (``bounds.m_V``, ``bounds.m_G``) come from an argument in two halves
(``bounds.width_conditions``; THEORY.md §8, ``derivations/convergence.py``):

1. *probabilistic*: with probability ≥ 1 − δ, split evenly over k events, the
   initialization satisfies L2 (||K(0) − K^∞||_F ≤ the Hoeffding radius, K = V for T1/T3,
   G for T2/T4), L3 (||f(0) − y|| ≤ B), the Chebyshev bound on M1 = (1/m) Σ_{g_k ≥ γ} 1/g_k,
   the Hoeffding bound on the fraction of short neurons g_k(0) < γ, the L4 + Hoeffding bound
   on Φ = max_i (1/m) #{k : |⟨w_k(0), x_i⟩| ≤ 2R_0} (the neurons whose activation on x_i can
   flip) and, for GD, two Markov bounds on (1/m) Σ g_k^{−2} over long / short neurons;
2. *deterministic*: given those quantities, D5 (decay while λ_min(Λ) ≥ κ), L6 (the radii
   Δg = √n I_r/√m, R_0 = Δg/α², with I_r = 2B/λ^∞ for GF and 4B/λ^∞ for GD) and L5 (the Gram
   change) give ||K(t) − K(0)||_2 small enough that λ_min never falls below the floor; for GD
   the one-step contraction needs the step and linearisation conditions too.

:func:`certify_instance` draws the initialization of width m (streamed in chunks, exact
reduction of :mod:`wnproofs.reduced`), measures every quantity of half 1 on it (the flip
counts from the exact activation margins |⟨w_k(0), x_i⟩| of every neuron), reports whether
each event occurred, and evaluates the conditions of half 2 with the *realized* quantities
in place of their high-probability bounds (B stays the L3 bound, so that the certificate is
the proof's own argument; the event L3 must occur).  The constants λ_0 (or μ_0) enter as
Arb-certified lower bounds (:mod:`wnproofs.certify`), ||K(0) − K^∞||_F is bounded in Arb
from the closed forms and the float64 kernel with its a-priori rounding allowance, and
λ_min(K(0)) is certified by :func:`wnproofs.certify.certify_min_eig`.  When every condition
holds the instance converges: for all t, λ_min(Λ(t)) ≥ λ^∞/2 (GF; 5λ^∞/8 for GD) and the
envelope of the theorem holds.  Because every condition is increasing in each quantity, at
a width m ≥ the explicit threshold the certificate must close whenever the events occurred:
a certificate that does not close there, with every event occurred, is a failure of the
toolkit's argument.

Rounding: the streamed sums are float64 with a-priori allowances (a dot product of length
c carries at most c·u·Σ|terms| of rounding, u = 2^−53): kernel entries ± 4(CHUNK + #chunks
+ 2·dim + 16)u, M-sums inflated by the same relative factor, comparisons against γ, Δg and
2R_0 made conservative (a neuron within 1e-12 of a boundary is counted on both sides).
The certificate is about the reduced data (the rows of :attr:`wnproofs.reduced.Reduction.padded`;
for rows supported on a few coordinates these are the given rows, exactly).

The formulas of half 2 restate those of ``bounds.width_conditions`` with the quantities as
inputs; :func:`closure_conditions` fed with :func:`event_bounds` reproduces
``bounds.width_conditions`` exactly (tested), so the two cannot drift apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

import mpmath
import numpy as np

from .errors import InputError, check_alpha, check_delta, check_positive_int
from .reduced import CHUNK, reduce_data, weight_chunks
from .threads import deterministic_blas

__all__ = ["Chain", "Event", "Condition", "InstanceCertificate", "chain_parameters", "event_bounds",
           "closure_conditions", "measure", "certify_instance", "smallest_closing_width"]

_U = 2.0**-53
_EPS_CMP = 1e-12


@dataclass(frozen=True)
class Chain:
    """Which argument: ``regime`` "V" (λ^∞ = λ_0/α²; T1, T3) or "G" (λ^∞ = μ_0; T2, T4) and
    ``method`` "GD" (T1, T2) or "GF" (T3, T4).  The theorem table maps a claim to its chain."""

    regime: str
    method: str

    def __post_init__(self) -> None:
        if self.regime not in ("V", "G"):
            raise InputError(f"regime must be 'V' or 'G', got {self.regime!r}")
        if self.method not in ("GD", "GF"):
            raise InputError(f"method must be 'GD' or 'GF', got {self.method!r}")

    @property
    def label(self) -> str:
        return {("V", "GD"): "T1", ("G", "GD"): "T2", ("V", "GF"): "T3", ("G", "GF"): "T4"}[(self.regime, self.method)]


@dataclass(frozen=True)
class Event:
    """An event the probabilistic half of the proof needs: realized value ≤ its bound."""

    name: str
    lemma: str
    realized: float
    bound: float

    @property
    def occurred(self) -> bool:
        return bool(self.realized <= self.bound)

    def to_dict(self) -> dict:
        return {"name": self.name, "lemma": self.lemma, "realized": self.realized, "bound": self.bound,
                "occurred": self.occurred}


@dataclass(frozen=True)
class Condition:
    """A condition of the deterministic half: lhs ≤ rhs."""

    name: str
    lemma: str
    lhs: float
    rhs: float

    @property
    def ok(self) -> bool:
        return bool(self.lhs <= self.rhs)

    def to_dict(self) -> dict:
        return {"name": self.name, "lemma": self.lemma, "lhs": self.lhs, "rhs": self.rhs, "ok": self.ok}


@dataclass(frozen=True)
class InstanceCertificate:
    """The outcome of :func:`certify_instance` (JSON via :meth:`to_dict`).

    Two deterministic closures are evaluated on the realized quantities: ``conditions``
    with B = the L3 bound (the proof's own chain; valid when the event L3 occurred) and
    ``conditions_realized`` with B = the realized ||f(0) − y|| (an upper bound of it: always
    valid, and sharper).  The instance converges when either closes (:attr:`closes`).
    """

    chain: Chain
    n: int
    d: int
    m: int
    alpha: float
    delta: float
    eta: float | None
    floor: float
    lam_lower: float
    lam_certified: bool
    lambda_min_K0_lower: float | None
    events: tuple[Event, ...]
    conditions: tuple[Condition, ...]
    conditions_realized: tuple[Condition, ...] = ()
    quantities: Mapping[str, Any] = field(default_factory=dict)
    threshold: float | None = None
    seed: Any = None

    @property
    def l3_occurred(self) -> bool:
        return all(e.occurred for e in self.events if e.lemma == "L3")

    @property
    def closes_bound(self) -> bool:
        """The proof's chain (B = the L3 bound) closes on the realized quantities, L3 having occurred."""
        return bool(self.conditions) and self.l3_occurred and all(c.ok for c in self.conditions)

    @property
    def closes_realized(self) -> bool:
        return bool(self.conditions_realized) and all(c.ok for c in self.conditions_realized)

    @property
    def closes(self) -> bool:
        """The Arb certificates succeeded and one of the two closures holds: the instance converges."""
        return self.lam_certified and (self.closes_bound or self.closes_realized)

    @property
    def events_occurred(self) -> bool:
        return all(e.occurred for e in self.events)

    @staticmethod
    def _margin(conds) -> float:
        return min((c.rhs / c.lhs if c.lhs > 0 else math.inf) for c in conds) if conds else 0.0

    @property
    def margin(self) -> float:
        """The larger of the two closures' margins, min over conditions of rhs/lhs (> 1 iff it closes)."""
        mb = self._margin(self.conditions) if self.l3_occurred else 0.0
        return max(mb, self._margin(self.conditions_realized))

    def conclusion(self) -> str:
        li = "λ^∞ = λ_0/α²" if self.chain.regime == "V" else "λ^∞ = μ_0"
        if self.chain.method == "GF":
            return f"for all t ≥ 0: λ_min(Λ(t)) ≥ λ^∞/2 and ||f(t) − y||² ≤ exp(−λ^∞ t)||f(0) − y||² ({li})"
        return (f"for all s ≥ 0: λ_min(Λ(s)) ≥ 5λ^∞/8 ≥ λ^∞/2 and ||f(s) − y||² ≤ (1 − ηλ^∞/2)^s ||f(0) − y||² "
                f"({li})")

    def to_dict(self) -> dict:
        return {"chain": self.chain.label, "regime": self.chain.regime, "method": self.chain.method, "n": self.n, "d": self.d, "m": self.m, "alpha": self.alpha,
                "delta": self.delta, "eta": self.eta, "floor": self.floor, "lam_lower": self.lam_lower,
                "lam_certified": self.lam_certified, "lambda_min_K0_lower": self.lambda_min_K0_lower,
                "closes": self.closes, "closes_with_L3_bound": self.closes_bound,
                "closes_with_realized_residual": self.closes_realized,
                "events_occurred": self.events_occurred, "margin": self.margin,
                "margin_with_L3_bound": self._margin(self.conditions),
                "margin_with_realized_residual": self._margin(self.conditions_realized),
                "threshold": self.threshold, "seed": self.seed, "conclusion": self.conclusion(),
                "events": [e.to_dict() for e in self.events],
                "conditions": [c.to_dict() for c in self.conditions],
                "conditions_realized": [c.to_dict() for c in self.conditions_realized],
                "quantities": dict(self.quantities)}


# ---------------------------------------------------------------------------- the chain (adapter to bounds)

def chain_parameters(chain: Chain, *, n: int, m: int, delta: float, lam, alpha: float,
                     y_max: float, d: int, eta=None, dps: int = 30) -> dict:
    """δ split, B (L3), the L6 radii I_r, Δg, R_0, and ν, γ, exactly as ``bounds.width_conditions`` sets them."""
    from . import bounds
    from .bounds.thresholds import events

    regime, method = chain.regime, chain.method
    with mpmath.workdps(dps):
        ev = events(regime, method, d)
        de = mpmath.mpf(delta) / len(ev)
        B = bounds.l3_subgaussian_B(n, y_max, de, dps)
        a = mpmath.mpf(alpha)
        lam0 = mpmath.mpf(lam)
        lam_inf = lam0 / a**2 if regime == "V" else lam0
        rad = bounds.l6_radii(n, m, B, lam_inf, a, method=method, dps=dps)
        dg, R0 = rad["delta_g"], rad["R0"]
        if method == "GD":
            if eta is None:
                raise InputError("GD certificates need the step eta")
            e = mpmath.mpf(eta)
            nu = 8 * e * n * B**2 / (lam_inf * a**4 * m)
            gam = max(2 * dg, mpmath.sqrt(nu))
        else:
            e, nu, gam = None, mpmath.mpf(0), dg
        return {"regime": regime, "method": method, "events": ev, "de": de, "B": B, "lam": lam0,
                "lam_inf": lam_inf, "I_r": rad["I_r"], "dg": dg, "R0": R0, "nu": nu, "gamma": gam, "eta": e,
                "n": n, "m": m, "alpha": a, "d": d, "dps": dps}


def event_bounds(p: Mapping, dps: int = 30) -> dict:
    """The high-probability bounds of the events (the values ``bounds.width_conditions`` plugs in)."""
    from . import bounds
    from .bounds.thresholds import gd_short_term

    with mpmath.workdps(dps):
        n, m, d, de, gam = p["n"], p["m"], p["d"], p["de"], p["gamma"]
        one = mpmath.mpf(1)
        out = {
            "L2": (bounds.l2_radius_V if p["regime"] == "V" else bounds.l2_radius_G)(n, m, de, dps),
            "L3": p["B"],
            "M1": bounds.chi_inv_mean(d) + bounds.chebyshev_radius(bounds.chi_inv_sq_bar(d, gam), m, de, dps),
            "bad": min(one, bounds.chi_cdf(d, gam) + bounds.hoeffding_radius(m, de, 1, 1, dps)),
            "flip": min(one, bounds.l4_gaussian_prob_exact(2 * p["R0"], dps)
                        + bounds.hoeffding_radius(m, de / n, 1, 1, dps)),
        }
        if p["method"] == "GD":
            out["M2good"] = bounds.chi_inv_sq_bar(d, gam) / de if p["regime"] == "V" else mpmath.mpf(0)
            out["M2bad"] = gd_short_term(d, p["dg"], mpmath.mpf(m), de, dps)
        return out


def closure_conditions(p: Mapping, q: Mapping, dps: int = 30) -> list[Condition]:
    """The deterministic half of ``bounds.width_conditions`` with the quantities ``q`` as inputs.

    ``q``: L2 (a bound on ||K(0) − K^∞||), M1, bad (fraction of short neurons), flip (Φ) and,
    for GD, M2good, M2bad.  ``p``: :func:`chain_parameters`.  The floor's budget and the L5
    coefficients come from ``bounds`` (``BUDGETS``, ``l5_linear_coefficients``,
    ``l5_entry_bound_G``, ``l5_spectral_bound``); the GD step conditions restate
    ``width_conditions``' own lines.
    """
    from . import bounds
    from .bounds.thresholds import BUDGETS

    def frac(x) -> mpmath.mpf:
        return mpmath.mpf(x.numerator) / x.denominator

    with mpmath.workdps(dps):
        regime, method = p["regime"], p["method"]
        n, m, a = mpmath.mpf(p["n"]), mpmath.mpf(p["m"]), p["alpha"]
        lam0, lam_inf, dg, R0, nu, gam, B = (p[k] for k in ("lam", "lam_inf", "dg", "R0", "nu", "gamma", "B"))
        sm = mpmath.sqrt(m)
        M1, frac_bad, Phi = (mpmath.mpf(q[k]) for k in ("M1", "bad", "flip"))
        budget = BUDGETS[method]
        stab_share = frac(budget.stability)
        conds: list[tuple[str, str, Any, Any]] = []
        if regime == "V":
            conds.append(("L2: ||V(0) − V^∞||_2 ≤ λ_0/4", "L2", mpmath.mpf(q["L2"]), frac(budget.l2) * lam0))
            a_rho, a_r, a_F = bounds.l5_linear_coefficients(mpmath.mpf(1))
            M2good = mpmath.mpf(q["M2good"]) if method == "GD" else mpmath.mpf(0)
            rho_mean = dg * M1 + nu / 2 * M2good
            entry = a_rho * rho_mean + a_r * (2 * R0 * M1) + a_F * 2 * Phi + frac_bad
            conds.append((f"L5+L6: ||V(t) − V(0)||_2 ≤ λ_0/{int(1 / stab_share)}", "L5",
                          bounds.l5_spectral_bound(n, entry), stab_share * lam0))
        else:
            conds.append(("L2: ||G(0) − G^∞||_2 ≤ μ_0/4", "L2", mpmath.mpf(q["L2"]), frac(budget.l2) * lam0))
            entry = bounds.l5_entry_bound_G(2 * R0) * M1 + frac_bad
            conds.append((f"L5+L6: ||G(t) − G(0)||_2 ≤ μ_0/{int(1 / stab_share)}", "L5",
                          bounds.l5_spectral_bound(n, entry), stab_share * lam0))
        if method == "GD":
            eta = p["eta"]
            M2bad = mpmath.mpf(q["M2bad"])
            S = 1 + (4 + 4 * dg**2 * M2bad) / a**2
            conds.append(("GD: η n² S² ≤ 3λ^∞/8 (second-order term ||Δf||²)", "T1" if regime == "V" else "T2",
                          eta * n**2 * S**2, frac(budget.second_order) * lam_inf))
            conds.append(("GD: t = ||Δv||/||v|| ≤ 1 (η ≤ 4α²/λ^∞)", "D3",
                          2 * eta * mpmath.sqrt(n) * B / (a**2 * gam * sm), mpmath.mpf(1)))
            err = n * ((1 + 4 / a**2) * (Phi + 2 * eta * mpmath.sqrt(n) * B * M1 / (a**2 * sm) + 2 * frac_bad)
                       + 8 * dg**2 * M2bad / a**2)
            conds.append(("GD: linearisation error ||e||/(η||r||) ≤ 3λ^∞/16", "L4", err,
                          frac(budget.linearisation) / 2 * lam_inf))
        return [Condition(nm, lem, float(lhs), float(rhs)) for nm, lem, lhs, rhs in conds]


# ---------------------------------------------------------------------------- measuring the initialization

def _quantity_sums(W: np.ndarray, Z: np.ndarray, g: np.ndarray, p: Mapping, acc: dict) -> None:
    """Add one chunk's contribution to M1, the short-neuron fraction, Φ, M2good, M2bad (for ``p``)."""
    gam = float(p["gamma"])
    good = g >= gam * (1 - _EPS_CMP)
    bad = g < gam * (1 + _EPS_CMP)
    small = g < float(p["dg"]) * (1 + _EPS_CMP)
    ig = 1.0 / g
    acc["inv_good"] += float(ig[good].sum())
    acc["inv2_good"] += float((ig[good] ** 2).sum())
    acc["n_bad"] += int(bad.sum())
    acc["n_small"] += int(small.sum())
    acc["inv2_small"] += float((ig[small] ** 2).sum())
    acc["flips"] += np.count_nonzero(np.abs(Z) <= 2 * float(p["R0"]) + _EPS_CMP * (1.0 + g), axis=1)


def _finish_quantities(acc: dict, m: int, infl: float) -> dict:
    return {"M1": acc["inv_good"] / m * infl, "bad": acc["n_bad"] / m, "flip": float(acc["flips"].max()) / m,
            "M2good": acc["inv2_good"] / m * infl, "M2bad": acc["inv2_small"] / m * infl,
            "n_bad": acc["n_bad"], "n_small": acc["n_small"], "flips_per_point": acc["flips"].tolist()}


def measure(red, y: np.ndarray, m: int, seed, p: Mapping | None = None, *, kernel: bool = True,
            regime: str = "V") -> dict:
    """Stream the initialization of width m and measure what the chain needs (float64 + allowances).

    With ``kernel``: f(0), an upper bound on ||f(0) − y||, K(0) (V for regime "V", G for "G")
    and its entry allowance.  With ``p`` (:func:`chain_parameters`): M1, the short-neuron
    fraction, Φ, M2good, M2bad (upper bounds) and the counts, at p's γ, Δg, R_0.
    The reductions are einsum loops over an (n, c) layout: no BLAS threads, so the sums do
    not depend on the thread count.
    """
    Xr = red.X
    n, dim = Xr.shape
    XX = Xr @ Xr.T
    fsum = np.zeros(n)
    fabs = np.zeros(n)
    K = np.zeros((n, n))
    acc = {"inv_good": 0.0, "inv2_good": 0.0, "inv2_small": 0.0, "n_bad": 0, "n_small": 0,
           "flips": np.zeros(n, dtype=np.int64)}
    n_chunks = 0
    min_g = math.inf
    for _, W, c in weight_chunks(red, m, seed):
        n_chunks += 1
        Z = np.einsum("id,kd->ik", Xr, W)             # (n, c): ⟨w_k(0), x_i⟩
        g = np.sqrt(np.einsum("kd,kd->k", W, W))      # g_k(0) = ||w_k(0)||
        min_g = min(min_g, float(g.min()))
        if kernel:
            R = np.maximum(Z, 0.0)
            fsum += np.einsum("ik,k->i", R, c)
            fabs += R.sum(axis=1)
            P = Z / g                                 # ⟨u_k, x_i⟩
            if regime == "G":
                S = np.maximum(P, 0.0)
                K += np.einsum("ik,jk->ij", S, S)
            else:
                A = (Z >= 0).astype(np.float64)
                PA = P * A
                K += XX * np.einsum("ik,jk->ij", A, A) - np.einsum("ik,jk->ij", PA, PA)
        if p is not None:
            _quantity_sums(W, Z, g, p, acc)
    rel = (CHUNK + n_chunks + 2 * dim + 16) * _U
    out: dict[str, Any] = {"min_g": min_g, "chunks": n_chunks}
    if kernel:
        f = fsum / math.sqrt(m)
        f_err = rel * fabs / math.sqrt(m) + 4 * _U * np.abs(f)
        r = f - np.asarray(y, dtype=float)
        out.update(f0=f, residual_norm=float(np.sqrt(np.sum((np.abs(r) + f_err) ** 2))) * (1 + 8 * _U),
                   K0=K / m, K0_allowance=4 * rel)
    if p is not None:
        out.update(_finish_quantities(acc, m, 1 + 4 * rel))
    return out


def _arb_kernel_bounds(Xpad: np.ndarray, regime: str, K0: np.ndarray, allowance: float,
                       prec: int = 128) -> dict:
    """Arb: an upper bound on ||K(0) − K^∞||_F and a certified lower bound on λ_min(K(0))."""
    from flint import arb

    from .certify import certify_min_eig, closed_forms_arb
    from .certify.arb import ArbPrecision

    which = "V" if regime == "V" else "G"
    Kinf = closed_forms_arb(Xpad, prec, (which,))[which]
    n = K0.shape[0]
    with ArbPrecision(prec):
        rad = arb(0, allowance)   # the ball [−allowance, allowance]
        balls = [[arb(float(K0[i, j])) + rad for j in range(n)] for i in range(n)]
        fro = arb(0)
        for i in range(n):
            for j in range(n):
                diff = balls[i][j] - Kinf[i][j]
                fro += diff * diff
        dev_up = float(fro.sqrt().upper())
    lam_f = float(np.linalg.eigvalsh(K0)[0])
    a = float(np.nextafter(lam_f - max(1e-7 * abs(lam_f), 4 * n * allowance), -np.inf))
    res = certify_min_eig(balls, K0, a, prec)
    ok = bool(res["certified"])
    return {"dev_F_upper": dev_up, "lambda_min_float": lam_f,
            "lambda_min_lower": a if ok else None,
            "lambda_min_status": "certified" if ok else "not certified"}


# ---------------------------------------------------------------------------- the certificate

@deterministic_blas
def certify_instance(chain: Chain, X, y, *, m: int, alpha: float, delta: float, seed,
                     eta: float | None = None, y_max: float | None = None,
                     consts: Mapping[str, float] | None = None, threshold: float | None = None,
                     realized: bool = True, bound: bool = True) -> InstanceCertificate:
    """Certify that the realized initialization of width m (drawn from ``seed``) converges (T1-T4).

    Parameters
    ----------
    chain : the argument: Chain("V", "GD") for T1, ("G", "GD") T2, ("V", "GF") T3, ("G", "GF") T4.
    X, y : data (rows of unit norm); the certificate is about the reduced rows (see module doc).
    m, alpha, delta : width, initialization scale, the failure probability of the theorem
        (it sets the δ split of the events and B).
    seed : int or SeedSequence of the initialization (:func:`wnproofs.reduced.weight_chunks`).
    eta : the GD step (T1, T2).
    y_max : max |y_i| used by B (default: from y).
    threshold : the explicit width, if already known (reported only).
    bound, realized : evaluate the closure with B = the L3 bound (one pass over the neurons,
        with the events) and/or with B = the realized residual (one more pass).
    """
    regime, method = chain.regime, chain.method
    m = check_positive_int(m, "m")
    alpha = check_alpha(alpha)
    delta = check_delta(delta)
    y = np.asarray(y, dtype=float)
    red = reduce_data(X)
    Xpad = red.padded
    n, d = Xpad.shape
    ym = float(np.max(np.abs(y))) if y_max is None else float(y_max)
    from .certify import certify

    quantity = "lambda_0" if regime == "V" else "mu_0"
    cert = certify(Xpad, (quantity,))[quantity]
    lam_ok = cert.certified
    if lam_ok:
        lam = cert.lower_bound
    else:
        from . import kernels

        lam = float((consts or {}).get(quantity) or (kernels.lambda_0 if regime == "V" else kernels.mu_0)(Xpad))
    p = chain_parameters(chain, n=n, m=m, delta=delta, lam=lam, alpha=alpha, y_max=ym, d=d, eta=eta)
    meas = measure(red, y, m, seed, p if bound else None, regime=regime)
    arb_part = _arb_kernel_bounds(Xpad, regime, meas["K0"], meas["K0_allowance"])
    bnd = event_bounds(p)
    events: list[Event] = [
        Event("L2: ||K(0) − K^∞||_F ≤ Hoeffding radius", "L2", arb_part["dev_F_upper"], float(bnd["L2"])),
        Event("L3: ||f(0) − y|| ≤ B", "L3", meas["residual_norm"], float(bnd["L3"]))]
    conds: list[Condition] = []
    quantities: dict[str, Any] = {
        "residual_norm_upper": meas["residual_norm"], "B": float(p["B"]), "delta_split": float(p["de"]),
        "min_g": meas["min_g"], "K0_dev_F_upper": arb_part["dev_F_upper"],
        "K0_entry_allowance": meas["K0_allowance"], "lambda_min_K0_float": arb_part["lambda_min_float"],
        "lambda_min_K0_status": arb_part["lambda_min_status"], "lam_certificate": cert.message,
        "kernel": "V" if regime == "V" else "G"}
    if bound:
        q = {"L2": arb_part["dev_F_upper"], **{k: meas[k] for k in ("M1", "bad", "flip", "M2good", "M2bad")}}
        events += [Event("M1: mean of 1/g_k over long neurons ≤ Chebyshev bound", "L6", q["M1"], float(bnd["M1"])),
                   Event("short neurons g_k(0) < γ: fraction ≤ Hoeffding bound", "L6", q["bad"], float(bnd["bad"]))]
        if regime == "V" or method == "GD":
            events.append(Event("L4 flips: max_i fraction with |⟨w_k(0), x_i⟩| ≤ 2R_0 ≤ bound", "L4",
                                q["flip"], float(bnd["flip"])))
        if method == "GD":
            if regime == "V":
                events.append(Event("M2 (long neurons): mean 1/g_k² ≤ Markov bound", "L6", q["M2good"],
                                    float(bnd["M2good"])))
            events.append(Event("M2 (short neurons g_k < Δg): mean 1/g_k² ≤ bound", "L6", q["M2bad"],
                                float(bnd["M2bad"])))
        conds = closure_conditions(p, q)
        quantities["with_L3_bound"] = {"I_r": float(p["I_r"]), "delta_g": float(p["dg"]), "R0": float(p["R0"]),
                                       "gamma": float(p["gamma"]), "nu": float(p["nu"]),
                                       **{k: meas[k] for k in ("M1", "bad", "flip", "M2good", "M2bad", "n_bad",
                                                               "n_small", "flips_per_point")}}
    conds_r: list[Condition] = []
    if realized:
        pr = chain_parameters(chain, n=n, m=m, delta=delta, lam=lam, alpha=alpha, y_max=ym, d=d, eta=eta)
        pr = dict(pr)
        # the same chain with B = the realized residual (an upper bound of ||f(0) − y||: always valid)
        with mpmath.workdps(30):
            from . import bounds

            pr["B"] = mpmath.mpf(meas["residual_norm"])
            rad = bounds.l6_radii(n, m, pr["B"], pr["lam_inf"], pr["alpha"], method=method, dps=30)
            pr.update(I_r=rad["I_r"], dg=rad["delta_g"], R0=rad["R0"])
            if method == "GD":
                pr["nu"] = 8 * pr["eta"] * n * pr["B"] ** 2 / (pr["lam_inf"] * pr["alpha"] ** 4 * m)
                pr["gamma"] = max(2 * pr["dg"], mpmath.sqrt(pr["nu"]))
            else:
                pr["gamma"] = pr["dg"]
        mr = measure(red, y, m, seed, pr, kernel=False)
        qr = {"L2": arb_part["dev_F_upper"], **{k: mr[k] for k in ("M1", "bad", "flip", "M2good", "M2bad")}}
        conds_r = closure_conditions(pr, qr)
        quantities["with_realized_residual"] = {
            "I_r": float(pr["I_r"]), "delta_g": float(pr["dg"]), "R0": float(pr["R0"]), "gamma": float(pr["gamma"]),
            "nu": float(pr["nu"]), **{k: mr[k] for k in ("M1", "bad", "flip", "M2good", "M2bad", "n_bad", "n_small",
                                                         "flips_per_point")}}
    seed_rec = seed if isinstance(seed, (int, np.integer)) else None
    return InstanceCertificate(chain, n, d, m, alpha, delta, eta, float(p["lam_inf"]) / 2, float(lam), lam_ok, arb_part["lambda_min_lower"], tuple(events), tuple(conds),
        tuple(conds_r), quantities, threshold, seed_rec)


def smallest_closing_width(chain: Chain, X, y, *, alpha: float, delta: float, seed, eta: float | None = None,
                           seeds: int = 5, m_start: int = 8, m_max: int = 2**26, budget_neurons: int = 2**28,
                           y_max: float | None = None) -> dict:
    """The smallest width (geometric grid ×2, then bisection to 10%) at which the certificate closes
    with the realized residual (the sharper closure) on each of ``seeds`` initializations.

    Initialization j at width m is drawn from child j of ``seed`` (the same children at every
    width, but each width is a fresh draw, so closing need not be monotone in m: the first
    closing grid width and the bisection between it and the last failing one are reported).
    ``budget_neurons`` caps the total number of neurons drawn (a budget, not a clock).
    Returns {"m_close" (or None), "tried": [(m, closes)], "neurons_drawn", "exhausted", "seeds"}.
    """
    from .reduced import child, seed_sequence

    seeds = check_positive_int(seeds, "seeds")
    ss = seed_sequence(seed)
    children = [child(ss, 1000 + j) for j in range(seeds)]
    tried: list[tuple[int, bool]] = []
    spent = 0

    def closes(mm: int) -> bool | None:
        nonlocal spent
        if spent + mm > budget_neurons:
            return None
        for ch in children:
            spent += mm
            if not certify_instance(chain, X, y, m=mm, alpha=alpha, delta=delta, seed=ch, eta=eta,
                                    y_max=y_max, bound=False).closes:
                tried.append((mm, False))
                return False
        tried.append((mm, True))
        return True

    m_lo, m_hi, exhausted = None, None, False
    mm = m_start
    while mm <= m_max:
        ok = closes(mm)
        if ok is None:
            exhausted = True
            break
        if ok:
            m_hi = mm
            break
        m_lo = mm
        mm *= 2
    if m_hi is not None and m_lo is not None:
        while m_hi / m_lo > 1.1:
            mid = int(math.sqrt(m_lo * m_hi))
            if mid in (m_lo, m_hi):
                break
            ok = closes(mid)
            if ok is None:
                exhausted = True
                break
            if ok:
                m_hi = mid
            else:
                m_lo = mid
    return {"m_close": m_hi, "m_last_fail": m_lo, "tried": tried, "neurons_drawn": spent,
            "exhausted": exhausted, "seeds": seeds}
