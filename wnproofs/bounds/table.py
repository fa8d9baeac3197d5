"""Everything the bounds say about one data set, under stable keys (``wnproofs bounds --json``).

Renders nothing and derives nothing: it calls the lemma functions (:mod:`.lemmas`), the
thresholds composed from them (:mod:`.thresholds`), the spectral constants
(:mod:`wnproofs.kernels.spectra`) and the certificates (:mod:`wnproofs.certify`).
"""

from __future__ import annotations

import mpmath
import numpy as np

from ..errors import InputError, check_alpha, check_delta, check_dps, check_positive_int
from ._common import DEFAULT_DPS, METHODS as _METHODS
from ._common import mp as _mp
from .lemmas import l2_width_G, l2_width_V, l3_markov_residual_sq, l3_subgaussian_B, l6_radii
from ..kernels.spectra import alpha_star
from .spectral import lambda_0, lambda_H, mu_0
from .thresholds import m_du, m_G, m_V, step_bound, step_du

__all__ = ["bound_summary", "bound_table", "summary_rows", "widths_vs_n", "plot_widths"]


def _q(quantity: str, value, claim: str, note: str = "") -> dict:
    return {"quantity": quantity, "value": value, "claim": claim, "note": note}


def bound_summary(data, delta: float = 0.05, alpha: float = 1.0, *, y_max=None, dps: int = DEFAULT_DPS,
                  certified: bool = True, methods=("GF", "GD")) -> dict:
    """Every bound constant of THEORY.md §4-§8 for one data set, under stable keys.

    Each constant is ``{"quantity", "value", "claim", "note"}`` (value an ``mpf``, ``+inf``
    where A1 fails and no width suffices, or an int).  Keys: ``lambda_0``, ``mu_0``,
    ``lambda_H`` (L1, C1), ``certified`` (the Arb certificates of L1 by quantity, or None),
    ``lambda_inf_lower`` (D8), ``alpha_star`` (or None), ``B`` and ``markov_residual_sq``
    (L3), ``widths`` by claim id (``L2`` with ``V`` and ``G``; T1/T2 the GD widths, T3/T4
    the GF widths, C1 Du et al.'s), ``step_bounds`` by claim id (T1, T2, C1), ``radii``
    (``L6`` by theorem: the radii of :func:`l6_radii` at the theorem's explicit width,
    with B of L3 at δ).  ``y_max`` defaults to max|y_i| and may not be below it.
    """
    from ..certify import certify as _certify
    from ..data import Dataset

    if not isinstance(data, Dataset):
        raise InputError(f"data must be a wnproofs.data.Dataset, got {type(data).__name__}", arg="data")
    delta = check_delta(delta)
    check_alpha(alpha)
    a = _mp(alpha, "alpha")
    dps = check_dps(dps)
    for meth in methods:
        if meth not in _METHODS:
            raise InputError(f"methods must be among {_METHODS}, got {meth!r}", arg="methods")
    n, d = data.n, data.d
    data_max = float(max(abs(float(t)) for t in data.y))
    if y_max is None:
        ym = data_max
    else:
        ym = float(_mp(y_max, "y_max"))
        if ym > 1e100:
            raise InputError(f"y_max must be <= 1e100 (like the labels), got {ym:g}", arg="y_max")
        if ym <= 0:
            raise InputError(f"y_max must be > 0, got {ym:g}", arg="y_max")
        if ym < data_max:
            raise InputError(f"y_max = {ym:g} is below max|y_i| = {data_max:g} of the data; it must "
                             "bound every label", arg="y_max")
    a1 = data.satisfies_A1
    out: dict = {"n": n, "d": d, "delta": delta, "alpha": a, "y_max": ym, "dps": dps, "A1": a1,
                 "methods": list(methods)}
    with mpmath.workdps(dps):
        if a1:
            lam, mu, lh = lambda_0(data, dps), mu_0(data, dps), lambda_H(data, dps)
        else:
            lam = mu = lh = mpmath.mpf(0)
        note_a1 = "" if a1 else "A1 violated: set to 0 (L1: singular)"
        out["lambda_0"] = _q("lambda_0 = λ_min(V^∞)", lam, "L1", note_a1 or f"{dps} digits")
        out["mu_0"] = _q("mu_0 = λ_min(G^∞)", mu, "L1", note_a1 or f"{dps} digits")
        out["lambda_H"] = _q("lambda_H = λ_min(H^∞)", lh, "C1", note_a1 or f"{dps} digits; ≥ λ_0 + μ_0 (D8)")
        out["certified"] = None
        if certified and a1:
            certs = _certify(data, ("lambda_0", "mu_0"))
            out["certified"] = {k: {**_q(f"certified {k} >", c.lower_bound, "L1",
                                         f"{c.status} ({c.prec}-bit Arb)"),
                                    "status": c.status, "prec": c.prec} for k, c in certs.items()}
        out["lambda_inf_lower"] = _q("λ_0/α² + μ_0 ≤ λ_min(Λ^∞)", lam / a**2 + mu, "D8",
                                     "sum of the two parts (§8)")
        out["alpha_star"] = None
        if a1 and mu > 0:
            a_star = alpha_star(lam, mu)
            same = (a < 1) == (a <= a_star)
            out["alpha_star"] = {**_q("alpha* = sqrt(λ_0/μ_0)", a_star, "T1",
                                      "regime split by α*; paper splits at α = 1"
                                      + ("" if same else f" - DISAGREE at α = {float(a):g}")),
                                 "disagrees_with_paper": not same}
        B = l3_subgaussian_B(n, ym, delta, dps)
        out["B"] = _q("B (L3 sub-Gaussian, δ)", B, "L3", "||f(0) − y|| ≤ B")
        out["markov_residual_sq"] = _q("Markov ||f(0) − y||² (δ)", l3_markov_residual_sq(n, n * ym**2, delta, dps),
                                       "L3", "(n/2 + ||y||²)/δ with ||y||² ≤ n y_max²")
        widths: dict = {"L2": {"V": _q("L2 width for λ_min(V(0)) ≥ 3λ_0/4", l2_width_V(n, delta, lam, dps), "L2"),
                               "G": _q("L2 width for λ_min(G(0)) ≥ 3μ_0/4", l2_width_G(n, delta, mu, dps), "L2")}}
        for meth in methods:
            tv = "T3" if meth == "GF" else "T1"
            tg = "T4" if meth == "GF" else "T2"
            widths[tv] = {**_q(f"m_V ({meth}, α = {float(a):g})",
                               m_V(n=n, delta=delta, lambda_0=lam, alpha=a, y_max=ym, d=d, method=meth, dps=dps),
                               tv, "V-dominated; rate λ_0/α²" + ("" if a < 1 else " (paper: α < 1)")),
                          "function": "m_V", "method": meth}
            widths[tg] = {**_q(f"m_G ({meth}, α = {float(a):g})",
                               m_G(n=n, delta=delta, mu_0=mu, alpha=a, y_max=ym, d=d, method=meth, dps=dps),
                               tg, "G-dominated; rate μ_0" + ("" if a > 1 else " (paper: α > 1)")),
                          "function": "m_G", "method": meth}
        widths["C1"] = {**_q("m_du (GF): Du et al.'s chain with explicit constants", m_du(n=n, delta=delta, lambda_H=lh, y_max=ym, method="GF", dps=dps), "C1",
                             "Du et al. 2019; R and R′ derived (R′ with the factor 2 of GF)"), "function": "m_du"}
        out["widths"] = widths
        out["step_bounds"] = {
            "T1": _q("GD step bound (V)", step_bound(n=n, delta=delta, lambda_0=lam, alpha=a, d=d), "T1",
                     "η ≤ 3λ^∞α⁴/(8n²(α²+4)²), λ^∞ = λ_0/α², large-m limit"),
            "T2": _q("GD step bound (G)", step_bound(n=n, delta=delta, mu_0=mu, alpha=a, d=d), "T2",
                     "λ^∞ = μ_0, large-m limit"),
            "C1": _q("Du step bound η ≤ 3λ_H/(8n²)", step_du(n=n, lambda_H=lh), "C1", "derived in derivations/convergence.py"),
        }
        l6: dict = {}
        for tid, w in widths.items():
            if tid not in ("T1", "T2", "T3", "T4"):
                continue
            m = w["value"]
            lam_inf = lam / a**2 if w["function"] == "m_V" else mu
            if not (mpmath.isfinite(m) and lam_inf > 0) or m > 10**300:
                l6[tid] = None
                continue
            r = l6_radii(n, int(m), B, lam_inf, a, method=w["method"], dps=dps)
            l6[tid] = {"m": int(m), "method": w["method"],
                       **{k: _q(f"L6 {k} at m = {w['function']}", v, "L6",
                                "parameter movement at the theorem's width, B of L3 at δ")
                          for k, v in r.items()}}
        out["radii"] = {"L6": l6}
    return out


def bound_table(data, delta: float = 0.05, alpha: float = 1.0, *, y_max=None, dps: int = DEFAULT_DPS,
                certified: bool = True, methods=("GF", "GD")) -> list[tuple]:
    """Every bound constant of THEORY.md §4-§8 for one data set, with its claim id.

    Returns rows ``(quantity, value, claim, note)`` of :func:`bound_summary`, for display;
    values are ``mpf`` (``+inf`` where A1 fails: no width suffices), floats, or strings.
    """
    return summary_rows(bound_summary(data, delta, alpha, y_max=y_max, dps=dps, certified=certified,
                                      methods=methods))


def summary_rows(s: dict) -> list[tuple]:
    """The display rows ``(quantity, value, claim, note)`` of a :func:`bound_summary`, in order."""
    entries = [_q("n", s["n"], "", "samples"), _q("d", s["d"], "", "dimension"),
               s["lambda_0"], s["mu_0"], s["lambda_H"], *(s["certified"] or {}).values(),
               s["lambda_inf_lower"], *([s["alpha_star"]] if s["alpha_star"] else []),
               s["B"], s["markov_residual_sq"], s["widths"]["L2"]["V"], s["widths"]["L2"]["G"]]
    for meth in s["methods"]:
        entries += [s["widths"]["T3" if meth == "GF" else "T1"], s["widths"]["T4" if meth == "GF" else "T2"]]
    entries += [s["step_bounds"]["T1"], s["step_bounds"]["T2"], s["widths"]["C1"], s["step_bounds"]["C1"]]
    return [(e["quantity"], e["value"], e["claim"], e["note"]) for e in entries]


def widths_vs_n(ns, d: int = 10, delta: float = 0.05, alpha: float = 1.0, seed: int = 0,
                y_max: float = 1.0, data=None) -> dict:
    """m_V, m_G (GF) and m_du against n (float64 λ's; for plots).

    Without ``data``: random sphere data of each n in R^d.  With a Dataset ``data``: its
    first n rows for each n (n ≤ data.n), and ``y_max`` = max|y_i| of those rows.
    """
    from .. import kernels
    from ..data import Dataset, random_sphere

    if data is not None and not isinstance(data, Dataset):
        raise InputError(f"data must be a wnproofs.data.Dataset, got {type(data).__name__}", arg="data")
    out = {"n": [], "m_V": [], "m_G": [], "m_du": [], "lambda_0": [], "mu_0": [], "lambda_H": []}
    for k, n in enumerate(ns):
        n = check_positive_int(n, "n", 1, None if data is None else data.n)
        if data is None:
            ds, ym = random_sphere(n, d, np.random.default_rng([seed, k])), y_max
        else:
            ds = Dataset(data.X[:n], data.y[:n], name=f"{data.name}[:{n}]")
            ym = max(float(np.max(np.abs(ds.y))), 1e-300)
        lam, mu, lh = kernels.lambda_0(ds), kernels.mu_0(ds), kernels.lambda_H(ds)
        out["n"].append(n)
        out["lambda_0"].append(lam)
        out["mu_0"].append(mu)
        out["lambda_H"].append(lh)
        out["m_V"].append(float(m_V(n=n, delta=delta, lambda_0=lam, alpha=alpha, y_max=ym, d=ds.d, dps=20)))
        out["m_G"].append(float(m_G(n=n, delta=delta, mu_0=mu, alpha=alpha, y_max=ym, d=ds.d, dps=20)))
        out["m_du"].append(float(m_du(n=n, delta=delta, lambda_H=lh, dps=20)))
    return out


def plot_widths(res: dict, ax=None, title: str = ""):
    """Plot required width against n (log-log) for WN (both regimes) and C1; returns the Figure."""
    if ax is None:
        from matplotlib.figure import Figure

        fig = Figure(figsize=(6.4, 4.4))
        ax = fig.add_subplot(1, 1, 1)
    else:
        fig = ax.figure
    ax.loglog(res["n"], res["m_V"], "o-", label="WN, V-dominated m_V (T3)")
    ax.loglog(res["n"], res["m_G"], "s-", label="WN, G-dominated m_G (T4)")
    ax.loglog(res["n"], res["m_du"], "^--", label="un-normalized, Du et al. m = n⁶/(λ_H⁴δ³) (C1)")
    ax.set_xlabel("n (random points on the sphere)")
    ax.set_ylabel("required width m")
    ax.set_title(title or "explicit width thresholds")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    return fig
