"""A wnproofs plugin with one claim (X1), one check and one derivation: the worked example.

The entry point ``wnproofs.plugins: example = "wnproofs_example_plugin"`` (pyproject.toml)
names this package; wnproofs imports it and every module in it whose name does not start
with ``_``, and collects the module-level ``CLAIMS`` lists and the functions marked with
``@check`` / ``@symbolic`` (in :mod:`.checks` and :mod:`.derivations`).
"""

from wnproofs.claims import Claim

#: The claims of this plugin.  Ids must not clash with the toolkit's (D1..C1) or another plugin's.
CLAIMS = [
    Claim("X1", "Degree-0 arc-cosine kernel",
          "For unit x_i, x_j at angle θ_ij and w ~ N(0, I_d): "
          "P(⟨w,x_i⟩ ≥ 0 and ⟨w,x_j⟩ ≥ 0) = (π − θ_ij)/(2π).",
          "§0", hypotheses=("||x_i|| = ||x_j|| = 1",), provenance="classical",
          notes="Cho & Saul (2009); the activation pattern behind H^∞ (D8)."),
]
