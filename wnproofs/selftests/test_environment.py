"""The installation: every claim of THEORY.md is registered, plugins load, Arb works (L1)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import wnproofs
from wnproofs import registry
from wnproofs.certify import certify_lambda_0
from wnproofs.data import random_sphere
from wnproofs.kernels import V_inf

THEORY_IDS = [f"D{i}" for i in range(1, 9)] + [f"L{i}" for i in range(1, 7)] + \
             [f"T{i}" for i in range(1, 5)] + ["C1"]


def test_every_claim_of_theory_md_is_registered_with_a_check():
    registry.load_plugins()
    ids = [c.id for c in registry.claims()]
    assert ids[:len(THEORY_IDS)] == THEORY_IDS, ids
    for cid in THEORY_IDS:
        assert registry.checks_for(cid), f"{cid} has no check"
        assert registry.claim_source(cid).endswith(f"({registry.BUILTIN})")


def test_checks_and_derivations_belong_to_this_installation():
    registry.load_plugins()
    pkg = Path(wnproofs.__file__).resolve().parent
    for name in registry.PLUGIN_PACKAGES:
        folder = Path(registry.import_plugin_package(name).__file__).resolve().parent
        # installed: inside the package; a source checkout: beside it
        assert folder.parent in (pkg, pkg.parent), (name, folder, pkg)


def test_installed_plugins_load():
    registry.load_plugins()
    errors = registry.plugin_errors()
    assert not errors, "\n".join(str(e) for e in errors)


def test_arb_certificate_brackets_the_float64_eigenvalue():
    """python-flint's Arb balls certify λ_0 > a just below the float64 λ_min (L1)."""
    for seed in range(3):
        ds = random_sphere(6, 4, seed)
        cert = certify_lambda_0(ds)
        lam = float(np.linalg.eigvalsh(V_inf(ds))[0])
        assert cert.certified, cert.message
        assert cert.lower_bound <= lam and lam - cert.lower_bound <= 1e-6 * abs(lam) + 1e-15
