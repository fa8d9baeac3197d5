"""Every claim of THEORY.md, declared once.  The ids are the toolkit's public names.

Provenance values: "paper" (stated in Dukler, Gu & Montúfar 2020), "restated"
(confirmed through a later paper that restates it: FedBN, Li et al. 2021),
"reconstructed" (rebuilt here by the paper's argument; least certain), "du2019"
(Du, Zhai, Póczos & Singh 2019), "classical" (a standard fact the proof uses).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = ["Claim", "CLAIMS", "A1", "by_id", "Pointers", "POINTERS", "STATEMENTS_TEX", "pointers"]


@dataclass(frozen=True)
class Claim:
    """A claim of the theory, keyed by its public id.

    provenance: "paper" (stated in Dukler et al. 2020), "restated" (confirmed through a
    later paper that restates it), "reconstructed" (rebuilt by the same argument; least
    certain), "toolkit" (an observation made here), or "du2019" (Du et al. 2019).
    """

    id: str
    title: str
    statement: str
    section: str
    hypotheses: tuple[str, ...] = ()
    provenance: str = "paper"
    needs_A1: bool = False
    notes: str = ""
    statement_tex: str = ""


A1 = "A1: x_i ≠ ±x_j for i ≠ j, ||x_i|| = 1, d ≥ 2"

CLAIMS: tuple[Claim, ...] = (
    Claim("D1", "WN gradients",
          "∂f/∂g_k = c_k σ(⟨u_k,x⟩)/√m and ∂f/∂v_k = c_k (g_k/||v_k||) 1{⟨v_k,x⟩≥0} P_{v_k} x/√m; "
          "equivalently ∇_g L = ⟨∇_w L, u⟩, ∇_v L = (g/||v||) P_v ∇_w L.",
          "§2", ("g_k > 0", "v_k ≠ 0"), "paper"),
    Claim("D2", "Scale invariance and orthogonality",
          "f is unchanged by v_k → c v_k (c > 0); hence ⟨v_k, ∇_{v_k} L⟩ = 0.",
          "§2", ("c > 0",), "paper"),
    Claim("D3", "Norm dynamics",
          "Under GF ||v_k(t)|| = ||v_k(0)||; under GD ||v_k(s+1)||² = ||v_k(s)||² + η_v² ||∇_{v_k} L(s)||².",
          "§2", (), "paper"),
    Claim("D4", "Kernel dynamics",
          "df/dt = −Λ(t)(f − y), Λ = (η_v/α²) V + η_g G = η_v J_v J_vᵀ + η_g J_g J_gᵀ.",
          "§3", ("g_k(t) > 0 for all k (for G = J_g J_gᵀ)",), "paper",
          notes="THEORY.md omits g_k > 0: with a negative length J_g J_gᵀ has the activation "
                "1{g_k⟨u_k,x⟩ ≥ 0} and differs from G = (1/m)Σσ(⟨u_k,x_i⟩)σ(⟨u_k,x_j⟩) (a GD run that "
                "drives a length negative shows it); the identification of G with J_g J_gᵀ needs it."),
    Claim("D5", "Loss decay",
          "d/dt ||f − y||² = −2 (f − y)ᵀ Λ (f − y) ≤ −2 λ_min(Λ) ||f − y||².",
          "§3", (), "paper"),
    Claim("D6", "Closed form of G^∞",
          "G^∞_ij = (sin θ_ij + (π − θ_ij) cos θ_ij)/(2π d); G^∞_ii = 1/(2d).",
          "§4", ("||x_i|| = 1",), "paper"),
    Claim("D7", "Closed form of V^∞",
          "V^∞_ij = cos θ_ij (π − θ_ij)/(2π) − G^∞_ij; V^∞_ii = (d − 1)/(2d).",
          "§4", ("||x_i|| = 1",), "paper"),
    Claim("D8", "Length–direction split of the NTK",
          "H^∞ = V^∞ + G^∞ with H^∞_ij = cos θ_ij (π − θ_ij)/(2π); at α = 1, η_v = η_g: Λ^∞ = H^∞.",
          "§4", ("||x_i|| = 1",), "paper"),
    Claim("L1", "Positivity of λ_0 and μ_0",
          "Under A1, λ_0 = λ_min(V^∞) > 0 and μ_0 = λ_min(G^∞) > 0; a duplicated input makes both singular.",
          "§5", (A1,), "paper", needs_A1=True),
    Claim("L2", "Concentration at initialization",
          "W.p. ≥ 1 − δ each: ||V(0) − V^∞||_2 ≤ n sqrt(2 log(2n²/δ)/m), "
          "||G(0) − G^∞||_2 ≤ n sqrt(log(2n²/δ)/(2m)).",
          "§6", ("δ ∈ (0, 1)", "m ≥ 1"), "paper",
          notes="Constants derived from Hoeffding + a union bound over n² entries + ||·||_2 ≤ ||·||_F "
                "(derivations/concentration.py); the corollary widths 32 n² log(2n²/δ)/λ_0², "
                "8 n² log(2n²/δ)/μ_0² give λ_min ≥ 3λ/4."),
    Claim("L3", "Initial residual",
          "E||f(0) − y||² = n/2 + ||y||²; w.p. ≥ 1 − δ, ||f(0) − y||² ≤ (n/2 + ||y||²)/δ (Markov) and "
          "||f(0) − y|| ≤ B = √n (sqrt(2 log(2n/δ)) + max|y_i|) (sub-Gaussian).",
          "§6", ("δ ∈ (0, 1)",), "paper"),
    Claim("L4", "Anti-concentration (activation flips)",
          "P(|⟨w,x⟩| ≤ R) ≤ 2R/√(2π); P(|⟨u,x⟩| ≤ r) = I_{r²}(1/2,(d−1)/2) ≤ r sqrt(2d/π) (d ≥ 3).",
          "§6", ("||x|| = 1",), "paper"),
    Claim("L5", "Gram stability",
          "|G_ij(t) − G_ij(0)| ≤ (2/m) Σ_k r_k; |V_ij(t) − V_ij(0)| ≤ (1/m) Σ_k [(2ρ_k + ρ_k²) + "
          "(1+ρ_k)²(2r_k + F_ik + F_jk)].",
          "§7", ("||u_k(t) − u_k(0)|| ≤ r_k", "|s_k(t) − 1| ≤ ρ_k"), "paper",
          notes="About THEORY's V, G (σ(⟨u_k,x⟩) form), which do not involve the sign of g_k: L5 holds "
                "for negative lengths too (e.g. |ΔG| = 0.0216 ≤ 0.0625). What needs g_k > 0 is D4's "
                "identification of that G with J_g J_gᵀ (the L5 check reports that form beside it)."),
    Claim("L6", "Parameters stay close",
          "If ||f(s) − y|| ≤ e^{−κs} B on [0, t]: ||v_k(t) − v_k(0)|| ≤ η_v max_s(g_k(s)/||v_k(0)||) √n B/(κ√m), "
          "|g_k(t) − g_k(0)| ≤ η_g √n B/(κ√m).",
          "§7", ("GF", "residual decays at rate κ"), "paper",
          notes="Under GD with step η the sum replaces the integral and 1/κ becomes "
                "η/(1 − e^{−κη}) (between 1/κ and (1 + κη)/κ); the GD check uses that form. With the "
                "theorems' decay κ = λ^∞/2 the integral is 2B/λ^∞ (GF) and the GD sum ≤ 4B/λ^∞."),
    Claim("T1", "V-dominated convergence (GD)",
          "α < 1, m ≥ m_V = Ω(n⁴ log(n/δ)/λ_0⁴): λ_min(Λ(s)) ≥ λ_0/(2α²) and "
          "||f(s) − y||² ≤ (1 − ηλ_0/(2α²))^s ||f(0) − y||².",
          "§8", (A1, "α < 1", "η = O(1/||Λ||)"), "reconstructed", needs_A1=True,
          notes="T1's width is reconstructed by the argument of T2; the least certain statement."),
    Claim("T2", "G-dominated convergence (GD)",
          "α > 1, m ≥ m_G = Ω(max{n⁴ log(n/δ)/(α⁴μ_0⁴), n² log(n/δ)/μ_0²}): λ_min(Λ(s)) ≥ μ_0/2 and "
          "||f(s) − y||² ≤ (1 − ημ_0/2)^s ||f(0) − y||².",
          "§8", (A1, "α > 1", "η = O(1/||Λ||)"), "restated", needs_A1=True,
          notes="Confirmed through FedBN (Li et al., ICLR 2021), which restates it."),
    Claim("T3", "V-dominated convergence (GF)",
          "||f(t) − y||² ≤ exp(−λ_0 t/α²) ||f(0) − y||² at the widths of T1.",
          "§8", (A1, "α < 1"), "reconstructed", needs_A1=True),
    Claim("T4", "G-dominated convergence (GF)",
          "||f(t) − y||² ≤ exp(−μ_0 t) ||f(0) − y||² at the widths of T2.",
          "§8", (A1, "α > 1"), "restated", needs_A1=True),
    Claim("C1", "Un-normalized network (Du et al. 2019)",
          "m = Ω(n⁶/(λ_H⁴ δ³)): GF rate exp(−λ_H t); GD with η = O(λ_H/n²) at rate (1 − ηλ_H/2)^k; "
          "λ_H = λ_min(H^∞) ≥ λ_0 + μ_0.",
          "§8", (A1,), "du2019", needs_A1=True,
          notes="Explicit width here (bounds.m_du): the same chain with R = √(2π)δ'λ_H/(16n²) (Lemma 3.2, "
                "derived) and R′ = √n∫||r||/√m = 2√n||y − u(0)||/(√m λ_H) for GF (4 for GD): the factor "
                "the radius R′ = √n||y − u(0)||/(√m λ_H) quoted in THEORY.md omits; GD step 3λ_H/(8n²)."),
)


def by_id() -> dict[str, Claim]:
    """The built-in claims keyed by id."""
    return {c.id: c for c in CLAIMS}


# -----------------------------------------------------------------------------
# Typeset statements and the map from a claim id to its files
# -----------------------------------------------------------------------------

#: The statements in LaTeX (math mode where mathematics; rendered by the report).
STATEMENTS_TEX: dict[str, str] = {
    "D1": r"$\partial f/\partial g_k = c_k\,\sigma(\langle u_k,x\rangle)/\sqrt m$ and "
          r"$\partial f/\partial v_k = c_k\,(g_k/\lVert v_k\rVert)\,\mathbb 1\{\langle v_k,x\rangle\ge 0\}\,"
          r"P_{v_k}x/\sqrt m$; equivalently $\nabla_g L=\langle\nabla_w L,u\rangle$, "
          r"$\nabla_v L=(g/\lVert v\rVert)\,P_v\nabla_w L$.",
    "D2": r"$f$ is unchanged by $v_k\mapsto c\,v_k$ ($c>0$); hence $\langle v_k,\nabla_{v_k}L\rangle=0$.",
    "D3": r"Under GF $\lVert v_k(t)\rVert=\lVert v_k(0)\rVert$; under GD "
          r"$\lVert v_k(s+1)\rVert^2=\lVert v_k(s)\rVert^2+\eta_v^2\lVert\nabla_{v_k}L(s)\rVert^2$.",
    "D4": r"$\mathrm df/\mathrm dt=-\Lambda(t)(f-y)$ with "
          r"$\Lambda=(\eta_v/\alpha^2)V+\eta_g G=\eta_v J_vJ_v^\top+\eta_g J_gJ_g^\top$.",
    "D5": r"$\frac{\mathrm d}{\mathrm dt}\lVert f-y\rVert^2=-2(f-y)^\top\Lambda(f-y)"
          r"\le-2\lambda_{\min}(\Lambda)\lVert f-y\rVert^2$.",
    "D6": r"$G^\infty_{ij}=\frac{\sin\theta_{ij}+(\pi-\theta_{ij})\cos\theta_{ij}}{2\pi d}$, "
          r"$G^\infty_{ii}=\frac1{2d}$.",
    "D7": r"$V^\infty_{ij}=\frac{\cos\theta_{ij}(\pi-\theta_{ij})}{2\pi}-G^\infty_{ij}$, "
          r"$V^\infty_{ii}=\frac{d-1}{2d}$.",
    "D8": r"$H^\infty=V^\infty+G^\infty$ with $H^\infty_{ij}=\frac{\cos\theta_{ij}(\pi-\theta_{ij})}{2\pi}$; "
          r"at $\alpha=1$, $\eta_v=\eta_g$: $\Lambda^\infty=H^\infty$.",
    "L1": r"Under A1, $\lambda_0=\lambda_{\min}(V^\infty)>0$ and $\mu_0=\lambda_{\min}(G^\infty)>0$; "
          r"a duplicated input makes both singular.",
    "L2": r"With probability $\ge1-\delta$ each: "
          r"$\lVert V(0)-V^\infty\rVert_2\le n\sqrt{2\log(2n^2/\delta)/m}$ and "
          r"$\lVert G(0)-G^\infty\rVert_2\le n\sqrt{\log(2n^2/\delta)/(2m)}$.",
    "L3": r"$\mathbb E\lVert f(0)-y\rVert^2=n/2+\lVert y\rVert^2$; with probability $\ge1-\delta$, "
          r"$\lVert f(0)-y\rVert^2\le(n/2+\lVert y\rVert^2)/\delta$ and "
          r"$\lVert f(0)-y\rVert\le B=\sqrt n\,(\sqrt{2\log(2n/\delta)}+\max_i|y_i|)$.",
    "L4": r"$P(|\langle w,x\rangle|\le R)\le 2R/\sqrt{2\pi}$; "
          r"$P(|\langle u,x\rangle|\le r)=I_{r^2}(\tfrac12,\tfrac{d-1}2)\le r\sqrt{2d/\pi}$ ($d\ge3$).",
    "L5": r"$|G_{ij}(t)-G_{ij}(0)|\le\frac2m\sum_k r_k$; $|V_{ij}(t)-V_{ij}(0)|\le\frac1m\sum_k"
          r"\big[(2\rho_k+\rho_k^2)+(1+\rho_k)^2(2r_k+F_{ik}+F_{jk})\big]$.",
    "L6": r"If $\lVert f(s)-y\rVert\le e^{-\kappa s}B$ on $[0,t]$: "
          r"$\lVert v_k(t)-v_k(0)\rVert\le\eta_v\max_s\frac{g_k(s)}{\lVert v_k(0)\rVert}\frac{\sqrt n B}{\kappa\sqrt m}$, "
          r"$|g_k(t)-g_k(0)|\le\eta_g\frac{\sqrt nB}{\kappa\sqrt m}$.",
    "T1": r"$\alpha<1$, $m\ge m_V=\Omega(n^4\log(n/\delta)/\lambda_0^4)$: "
          r"$\lambda_{\min}(\Lambda(s))\ge\lambda_0/(2\alpha^2)$ and "
          r"$\lVert f(s)-y\rVert^2\le(1-\eta\lambda_0/(2\alpha^2))^s\lVert f(0)-y\rVert^2$.",
    "T2": r"$\alpha>1$, $m\ge m_G=\Omega(\max\{n^4\log(n/\delta)/(\alpha^4\mu_0^4),\,n^2\log(n/\delta)/\mu_0^2\})$: "
          r"$\lambda_{\min}(\Lambda(s))\ge\mu_0/2$ and "
          r"$\lVert f(s)-y\rVert^2\le(1-\eta\mu_0/2)^s\lVert f(0)-y\rVert^2$.",
    "T3": r"$\lVert f(t)-y\rVert^2\le e^{-\lambda_0t/\alpha^2}\lVert f(0)-y\rVert^2$ at the widths of T1.",
    "T4": r"$\lVert f(t)-y\rVert^2\le e^{-\mu_0t}\lVert f(0)-y\rVert^2$ at the widths of T2.",
    "C1": r"$m=\Omega(n^6/(\lambda_H^4\delta^3))$: GF rate $e^{-\lambda_Ht}$; GD with "
          r"$\eta=O(\lambda_H/n^2)$ at rate $(1-\eta\lambda_H/2)^k$; "
          r"$\lambda_H=\lambda_{\min}(H^\infty)\ge\lambda_0+\mu_0$.",
}


@dataclass(frozen=True)
class Pointers:
    """Where a claim lives in the repository (paths relative to its root).

    ``derivations`` and ``tests`` name ``path::function`` or ``path``; ``checks`` names the
    claim's one check module.  ``tests/test_claims.py`` fails when a pointer does not
    resolve, or when the checks and derivations the loader finds disagree with them.
    """

    checks: str
    derivations: tuple[str, ...] = ()
    tests: tuple[str, ...] = ()

    @property
    def theory(self) -> str:
        """The section of the project's theory document (``docs/theory.md``)."""
        return "docs/theory.md"


POINTERS: dict[str, Pointers] = {
    "D1": Pointers("checks/d1.py", ("derivations/gradients.py::derive_d1",), ("tests/test_identities.py",)),
    "D2": Pointers("checks/d2.py", ("derivations/gradients.py::derive_d2",), ("tests/test_identities.py",)),
    "D3": Pointers("checks/d3.py", ("derivations/gradients.py::derive_d3",), ("tests/test_identities.py",)),
    "D4": Pointers("checks/d4.py", ("derivations/dynamics.py::derive_d4", "derivations/parameterizations.py::derive_metrics"),
                   ("tests/test_identities.py", "tests/test_parameterizations.py")),
    "D5": Pointers("checks/d5.py", ("derivations/dynamics.py::derive_d5",), ("tests/test_identities.py",)),
    "D6": Pointers("checks/d6.py", ("derivations/limits.py::derive_d6",), ("tests/test_kernels.py", "tests/test_derivations.py")),
    "D7": Pointers("checks/d7.py", ("derivations/limits.py::derive_d7",), ("tests/test_derivations.py", "tests/test_identities.py")),
    "D8": Pointers("checks/d8.py", ("derivations/limits.py::derive_d8", "derivations/parameterizations.py::derive_limits"),
                   ("tests/test_kernels.py", "tests/test_derivations.py")),
    "L1": Pointers("checks/l1.py", (), ("tests/test_positivity.py", "tests/test_certify.py")),
    "L2": Pointers("checks/l2.py", ("derivations/concentration.py::derive_l2",), ("tests/test_lemmas.py", "tests/test_bounds.py")),
    "L3": Pointers("checks/l3.py", ("derivations/probability.py::derive_l3",), ("tests/test_lemmas.py",)),
    "L4": Pointers("checks/l4.py", ("derivations/probability.py::derive_l4",), ("tests/test_lemmas.py",)),
    "L5": Pointers("checks/l5.py", ("derivations/stability.py::derive_l5",), ("tests/test_lemmas.py",)),
    "L6": Pointers("checks/l6.py", ("derivations/stability.py::derive_l6",), ("tests/test_lemmas.py",)),
    "T1": Pointers("checks/t1.py", ("derivations/convergence.py::derive_chain",), ("tests/test_theorems.py",)),
    "T2": Pointers("checks/t2.py", ("derivations/convergence.py::derive_chain",), ("tests/test_theorems.py",)),
    "T3": Pointers("checks/t3.py", ("derivations/convergence.py::derive_chain",), ("tests/test_theorems.py",)),
    "T4": Pointers("checks/t4.py", ("derivations/convergence.py::derive_chain",), ("tests/test_theorems.py",)),
    "C1": Pointers("checks/c1.py", ("derivations/convergence.py::derive_chain",), ("tests/test_theorems.py",)),
}


CLAIMS = tuple(replace(c, statement_tex=c.statement_tex or STATEMENTS_TEX[c.id]) for c in CLAIMS)


def pointers(claim_id: str) -> Pointers | None:
    """The files of a built-in claim (None for a plugin's claim)."""
    return POINTERS.get(claim_id)
