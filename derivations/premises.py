"""The premise ledger: every result the derivations use without re-deriving it, stated once.

A derivation step cites premises by id (:func:`cite`); an unknown id raises ``KeyError``, so
a derivation cannot lean on an unstated premise.  Each premise names its source.  Premises of
kind "toolkit" are claims of this toolkit with their own derivation or check (D1-D5, L4 ...);
"classical" ones are textbook inequalities; "cited" ones come from a paper and are not
re-derived here (the report lists them as such).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Premise", "PREMISES", "cite"]


@dataclass(frozen=True)
class Premise:
    """A result used but not re-derived: id, statement (plain text), source, kind."""

    id: str
    statement: str
    source: str
    kind: str  # "classical" | "toolkit" | "cited"

    def text(self) -> str:
        return f"{self.statement} [{self.source}]"


_LEDGER = (
    Premise("hoeffding", "Hoeffding: for independent X_1..X_m with X_k in an interval of length w, "
            "P(|mean − E mean| ≥ t) ≤ 2 exp(−2 m t²/w²), and exp(−2 m t²/w²) for one direction",
            "W. Hoeffding, JASA 58 (1963), Thm 2", "classical"),
    Premise("union", "Union bound: P(E_1 ∪ ... ∪ E_k) ≤ Σ_j P(E_j)", "Boole's inequality", "classical"),
    Premise("frobenius", "For an n × n matrix A: ||A||_2 ≤ ||A||_F ≤ n max_ij |A_ij|",
            "Horn & Johnson, Matrix Analysis (2013), §5.6", "classical"),
    Premise("weyl", "Weyl: for symmetric A, E, λ_min(A + E) ≥ λ_min(A) − ||E||_2",
            "H. Weyl (1912); Horn & Johnson Thm 4.3.1", "classical"),
    Premise("psd_drop", "For symmetric A and P ⪰ 0: λ_min(A + P) ≥ λ_min(A) (each neuron's term of V, G is PSD)",
            "Horn & Johnson Cor. 4.3.12", "classical"),
    Premise("markov", "Markov: P(X ≥ t) ≤ E X / t for X ≥ 0", "classical", "classical"),
    Premise("chebyshev", "Chebyshev: the mean of m i.i.d. summands of variance ≤ v deviates from its "
            "expectation by more than sqrt(v/(mδ)) with probability ≤ δ", "classical", "classical"),
    Premise("chernoff", "Chernoff: P(X > s) ≤ e^{−λs} E e^{λX} for every λ > 0", "classical", "classical"),
    Premise("exp_monotone", "e^a ≥ 1 for a ≥ 0; exp, log, erf and the lower incomplete Γ(s, ·) (s > 0) "
            "are increasing", "classical", "classical"),
    Premise("cauchy_schwarz", "Cauchy–Schwarz: |⟨a, b⟩| ≤ ||a|| ||b||; Σ_i |r_i| ≤ √n ||r||", "classical",
            "classical"),
    Premise("relu", "σ(z) = max(z, 0) is 1-Lipschitz and |σ(⟨u, x⟩)| ≤ 1 for unit u, x", "classical",
            "classical"),
    Premise("gaussian_projection", "For w ~ N(0, I_d) and ||x|| = 1, ⟨w, x⟩ ~ N(0, 1); w = ||w|| u with "
            "||w|| ~ χ_d independent of u uniform on S^{d−1}", "rotation invariance of N(0, I_d)", "classical"),
    Premise("gronwall", "Grönwall: φ' ≤ −c φ on [0, t] implies φ(t) ≤ e^{−ct} φ(0)", "classical", "classical"),
    Premise("e1_bound", "E1(x) < e^{−x} log(1 + 1/x) for x > 0", "Abramowitz & Stegun 5.1.20", "classical"),
    Premise("continuity", "If the conclusion's hypotheses hold on [0, t] they hold slightly beyond t "
            "(continuity, GF) or at the next step (induction, GD); so they hold for all t",
            "Du, Zhai, Póczos & Singh (ICLR 2019), proof of Thm 3.2 and Thm 4.1", "cited"),
    Premise("du_lemma32", "Du et al. Lemma 3.2's argument: if ||w_r − w_r(0)|| ≤ R for all r, "
            "|H_ij(W) − H_ij(0)| ≤ (1/m) Σ_r (1{A_ir} + 1{A_jr}) with A_ir = {|⟨w_r(0), x_i⟩| ≤ R}",
            "Du, Zhai, Póczos & Singh (ICLR 2019), Lemma 3.2", "cited"),
    Premise("gd_linearisation", "GD step of the WN network: ||Δf − (−ηΛ r)|| ≤ η n ||r|| "
            "[(1 + 4/α²)(Φ + 2η√n B M1/(α²√m) + 2 frac) + 8Δg² M2bad/α²] and ||Δf|| ≤ η n S ||r|| "
            "(S = 1 + (4 + 4Δg² M2bad)/α²), from D1, D2, D3, L4 and sqrt(1 + t²) − 1 ≤ t²/2",
            "this toolkit's GD argument (docs/theory-corrections.md, derivations/convergence.py)", "cited"),
    Premise("D1", "The WN gradients (claim D1)", "derivations/gradients.py", "toolkit"),
    Premise("D3", "Norm dynamics (claim D3): ||v_k(t)|| = ||v_k(0)|| under GF, non-decreasing under GD",
            "derivations/gradients.py", "toolkit"),
    Premise("D4", "Kernel dynamics (claim D4): df/dt = −Λ(t)(f − y)", "derivations/dynamics.py", "toolkit"),
    Premise("D5", "Loss decay (claim D5): d||f − y||²/dt ≤ −2 λ_min(Λ) ||f − y||²", "derivations/dynamics.py",
            "toolkit"),
    Premise("L4", "Anti-concentration and the flip criterion (claim L4)", "derivations/probability.py", "toolkit"),
)

PREMISES: dict[str, Premise] = {p.id: p for p in _LEDGER}


def cite(*ids: str) -> tuple[str, ...]:
    """The premises ``ids`` as the strings a :class:`wnproofs.derive.Step` lists (KeyError if unknown)."""
    return tuple(f"{i}: {PREMISES[i].text()}" for i in ids)
