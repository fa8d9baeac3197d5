"""SymPy in this environment: the D8 derivation proves, a planted closed form fails."""

from __future__ import annotations

import sympy as sp

from wnproofs import registry
from wnproofs.testing import assert_holds


def _derivation(name: str):
    registry.load_plugins()
    (der,) = [d for d in registry.all_derivations() if d.name == name]
    return der.fn


def test_d8_derivation_proves_every_step():
    assert_holds(_derivation("limits.derive_d8").run())


def test_a_planted_closed_form_fails():
    import wnproofs.derivations.limits as lim  # loaded by the registry under this name

    res = _derivation("limits.derive_d8").run(candidate=lim.H_STATED * sp.Rational(11, 10))
    assert res.verdict.value == "failed"
