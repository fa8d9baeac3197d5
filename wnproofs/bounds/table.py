"""Every bound constant for one data set, as a table (the `wnproofs bounds` command), and the
width-against-n comparison plot.  No mathematics here: every value is a call of
:mod:`wnproofs.bounds.lemmas`, :mod:`~wnproofs.bounds.thresholds` or the spectral constants.
"""

from __future__ import annotations

import mpmath
import numpy as np

from ..errors import InputError, check_delta, check_dps
from ._common import DEFAULT_DPS, mp
from .lemmas import l2_width_G, l2_width_V, l3_markov_residual_sq, l3_subgaussian_B
from .spectral import lambda_0, lambda_H, mu_0
from .thresholds import m_du, m_G, m_V, step_bound, step_du

__all__ = ["bound_table", "widths_vs_n", "plot_widths"]


def bound_table(data, delta: float = 0.05, alpha: float = 1.0, *, y_max=None, dps: int = DEFAULT_DPS,
                certified: bool = True, methods=("GF", "GD")) -> list[tuple]:
    """Every bound constant of THEORY.md §4-§8 for one data set, with its claim id.

    Returns rows ``(quantity, value, claim, note)``; values are ``mpf`` (``+inf`` where
    A1 fails: no width suffices), floats, or strings.  ``y_max`` defaults to max|y_i|.
    ``certified`` adds the Arb certificates of λ_0 and μ_0 (L1).
    """
    from ..certify import certify as _certify
    from ..data import Dataset

    if not isinstance(data, Dataset):
        raise InputError(f"data must be a wnproofs.data.Dataset, got {type(data).__name__}")
    delta = check_delta(delta)
    a = mp(alpha, "alpha")
    if a <= 0:
        raise InputError(f"alpha must be > 0 (the initialization scale), got {alpha!r}")
    dps = check_dps(dps)
    n, d = data.n, data.d
    ym = float(max(abs(float(t)) for t in data.y)) if y_max is None else float(mp(y_max, "y_max"))
    a1 = data.satisfies_A1
    rows: list[tuple] = []
    with mpmath.workdps(dps):
        if a1:
            lam, mu, lh = lambda_0(data, dps), mu_0(data, dps), lambda_H(data, dps)
        else:
            lam = mu = lh = mpmath.mpf(0)
        note_a1 = "" if a1 else "A1 violated: set to 0 (L1: singular)"
        rows += [("n", n, "", "samples"), ("d", d, "", "dimension"),
                 ("lambda_0 = λ_min(V^∞)", lam, "L1", note_a1 or f"{dps} digits"),
                 ("mu_0 = λ_min(G^∞)", mu, "L1", note_a1 or f"{dps} digits"),
                 ("lambda_H = λ_min(H^∞)", lh, "C1", note_a1 or f"{dps} digits; ≥ λ_0 + μ_0 (D8)")]
        if certified and a1:
            certs = _certify(data, ("lambda_0", "mu_0"))
            for k, c in certs.items():
                rows.append((f"certified {k} >", c.lower_bound, "L1", f"{c.status} ({c.prec}-bit Arb)"))
        rows.append(("λ_0/α² + μ_0 ≤ λ_min(Λ^∞)", lam / a**2 + mu, "D8", "sum of the two parts (§8)"))
        if a1 and mu > 0:
            a_star = mpmath.sqrt(lam / mu)
            same = (a < 1) == (a <= a_star)
            rows.append(("alpha* = sqrt(λ_0/μ_0)", a_star, "T1", "regime split by α*; paper splits at α = 1"
                         + ("" if same else f" - DISAGREE at α = {float(a):g}")))
        rows.append(("B (L3 sub-Gaussian, δ)", l3_subgaussian_B(n, ym, delta, dps), "L3", "||f(0) − y|| ≤ B"))
        rows.append(("Markov ||f(0) − y||² (δ)", l3_markov_residual_sq(n, n * ym**2, delta, dps), "L3",
                     "(n/2 + ||y||²)/δ with ||y||² ≤ n y_max²"))
        rows.append(("L2 width for λ_min(V(0)) ≥ 3λ_0/4", l2_width_V(n, delta, lam, dps), "L2", ""))
        rows.append(("L2 width for λ_min(G(0)) ≥ 3μ_0/4", l2_width_G(n, delta, mu, dps), "L2", ""))
        for meth in methods:
            tv = "T3" if meth == "GF" else "T1"
            tg = "T4" if meth == "GF" else "T2"
            rows.append((f"m_V ({meth}, α = {float(a):g})",
                         m_V(n=n, delta=delta, lambda_0=lam, alpha=a, y_max=ym, d=d, method=meth, dps=dps),
                         tv, "V-dominated; rate λ_0/α²" + ("" if a < 1 else " (paper: α < 1)")))
            rows.append((f"m_G ({meth}, α = {float(a):g})",
                         m_G(n=n, delta=delta, mu_0=mu, alpha=a, y_max=ym, d=d, method=meth, dps=dps),
                         tg, "G-dominated; rate μ_0" + ("" if a > 1 else " (paper: α > 1)")))
        rows.append(("GD step bound (V)", step_bound(n=n, delta=delta, lambda_0=lam, alpha=a, d=d), "T1",
                     "η ≤ 3λ^∞α⁴/(8n²(α²+4)²), λ^∞ = λ_0/α², large-m limit"))
        rows.append(("GD step bound (G)", step_bound(n=n, delta=delta, mu_0=mu, alpha=a, d=d), "T2",
                     "λ^∞ = μ_0, large-m limit"))
        for meth in methods:
            rows.append((f"m_du ({meth}, explicit)", m_du(n=n, delta=delta, lambda_H=lh, y_max=ym, method=meth,
                                                         dps=dps), "C1",
                         "Du et al. 2019, Θ(n⁶/(λ_H⁴δ³)) with its constant derived (R, R′ with factor "
                         + ("2)" if meth == "GF" else "4)")))
        rows.append(("Du step η ≤ 3λ_H/(8n²)", step_du(n=n, lambda_H=lh), "C1", "explicit constant"))
    return rows


def widths_vs_n(ns, d: int = 10, delta: float = 0.05, alpha: float = 1.0, seed: int = 0,
                y_max: float = 1.0) -> dict:
    """m_V, m_G (GF) and the explicit C1 width m_du (GF) on random sphere data of growing n
    (float64 λ's; for plots)."""
    from ..data import random_sphere
    from .. import kernels

    out = {"n": [], "m_V": [], "m_G": [], "m_du": [], "lambda_0": [], "mu_0": [], "lambda_H": []}
    for k, n in enumerate(ns):
        ds = random_sphere(int(n), d, np.random.default_rng([seed, k]))
        lam, mu, lh = kernels.lambda_0(ds), kernels.mu_0(ds), kernels.lambda_H(ds)
        out["n"].append(int(n))
        out["lambda_0"].append(lam)
        out["mu_0"].append(mu)
        out["lambda_H"].append(lh)
        out["m_V"].append(float(m_V(n=int(n), delta=delta, lambda_0=lam, alpha=alpha, y_max=y_max, d=d, dps=20)))
        out["m_G"].append(float(m_G(n=int(n), delta=delta, mu_0=mu, alpha=alpha, y_max=y_max, d=d, dps=20)))
        out["m_du"].append(float(m_du(n=int(n), delta=delta, lambda_H=lh, y_max=y_max, dps=20)))
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
    ax.loglog(res["n"], res["m_du"], "^--", label="un-normalized, Du et al. explicit width (C1, GF)")
    ax.set_xlabel("n (random points on the sphere)")
    ax.set_ylabel("required width m")
    ax.set_title(title or "explicit width thresholds")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    return fig
