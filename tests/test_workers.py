"""The process pool of `wnproofs verify` and the derivation cache (issue 13, item 3).

Each assertion here has an independent reference: the sequential run (jobs = 1), a
derivation run in this process, or a hand-written cache entry.
"""

from __future__ import annotations

import json
import pickle

import pytest

from golden_compare import differences
from wnproofs import derivation_cache
from wnproofs.registry import derivations_for
from wnproofs.symbolic import DerivationFn
from wnproofs.verify import run_verification
from wnproofs.workers import run_units


def _square(x: int) -> int:
    return x * x


def _label_fail(x: int) -> int:
    if x == 3:
        raise ValueError("planted")
    return x


def test_run_units_keeps_the_order_of_the_units_whatever_the_start_order():
    units = list(range(12))
    seen = []
    out = run_units(_square, units, jobs=2, order=list(reversed(units)), labels=[str(u) for u in units],
                    progress=lambda done, total, label: seen.append((done, total, label)))
    assert out == [u * u for u in units]
    assert [d for d, _, _ in seen] == list(range(1, 13)) and {t for _, t, _ in seen} == {12}
    assert sorted(lab for _, _, lab in seen) == sorted(str(u) for u in units)


def test_run_units_sequential_and_bad_order():
    assert run_units(_square, [1, 2, 3], jobs=1) == [1, 4, 9]
    with pytest.raises(ValueError, match="permutation"):
        run_units(_square, [1, 2], jobs=2, order=[0, 0])


def test_a_unit_that_raises_stops_the_pool_and_raises_here():
    with pytest.raises(ValueError, match="planted"):
        run_units(_label_fail, list(range(6)), jobs=2)


def _fresh_derivations(ids):
    """Empty the per-process caches of the claims' derivations (the test then sees real runs)."""
    saved = {}
    for cid in ids:
        for der in derivations_for(cid):
            if isinstance(der.fn, DerivationFn):
                saved[der.fn.name] = der.fn._cached
                der.fn._cached = None
    return saved


def test_jobs_do_not_change_a_single_number():
    ids = ["D2", "D5", "L2", "L4", "T1"]
    one = run_verification(seed=3, claim_ids=ids, jobs=1, property_instances=2).to_dict()
    two = run_verification(seed=3, claim_ids=ids, jobs=2, property_instances=2).to_dict()
    assert differences(one, two) == []


def test_the_derivation_cache_is_reused_only_under_the_same_key(tmp_path, monkeypatch):
    monkeypatch.setenv("WNPROOFS_CACHE_DIR", str(tmp_path))
    ids = ["D2", "D3"]
    _fresh_derivations(ids)
    first = run_verification(seed=0, claim_ids=ids, property_instances=0, use_cache=True)
    rec = first.derivation_cache
    assert rec["reused"] == [] and rec["derived"] == ["gradients.derive_d2", "gradients.derive_d3"] and rec["stored"]
    _fresh_derivations(ids)
    second = run_verification(seed=0, claim_ids=ids, property_instances=0, use_cache=True)
    assert second.derivation_cache["reused"] == ["gradients.derive_d2", "gradients.derive_d3"]
    assert second.derivation_cache["derived"] == []
    assert differences(first.to_dict(), second.to_dict()) == []
    # the cached result is what the claim's verdict reads: plant a failed derivation under the key
    key = derivation_cache.source_key()
    stored = derivation_cache.load(key)
    bad = stored["gradients.derive_d2"]
    from dataclasses import replace

    from wnproofs.symbolic import Verdict

    planted = replace(bad, steps=tuple(replace(s, verdict=Verdict.FAILED) for s in bad.steps))
    derivation_cache.store(key, {"gradients.derive_d2": planted})
    _fresh_derivations(ids)
    third = run_verification(seed=0, claim_ids=["D2"], property_instances=0, use_cache=True)
    assert third.outcomes[0].status.value == "fails"
    # another key (changed sources or versions) sees nothing
    monkeypatch.setattr(derivation_cache, "source_key", lambda: "0" * 64)
    _fresh_derivations(ids)
    fourth = run_verification(seed=0, claim_ids=["D2"], property_instances=0, use_cache=True)
    assert fourth.derivation_cache["reused"] == [] and fourth.outcomes[0].status.value == "holds"
    _fresh_derivations(ids)


def test_an_unreadable_cache_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("WNPROOFS_CACHE_DIR", str(tmp_path))
    key = derivation_cache.source_key()
    path = tmp_path / f"derivations-{key[:32]}.pickle"
    path.write_bytes(b"not a pickle")
    assert derivation_cache.load(key) == {}
    path.write_bytes(pickle.dumps({"key": "other", "results": {"x": 1}}))
    assert derivation_cache.load(key) == {}


def test_the_key_covers_the_sources(tmp_path):
    """Changing one byte of a hashed file changes the key (checked on a copy of a root)."""
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "a.py").write_text("x = 1\n")
    k1 = derivation_cache._key_of.__wrapped__((root,))
    (root / "a.py").write_text("x = 2\n")
    k2 = derivation_cache._key_of.__wrapped__((root,))
    assert k1 != k2 and len(k1) == 64


def test_cli_no_cache_and_jobs(tmp_path, monkeypatch):
    from wnproofs.cli import main

    monkeypatch.setenv("WNPROOFS_CACHE_DIR", str(tmp_path / "c"))
    out = tmp_path / "v.json"
    assert main(["verify", "--claims", "D2", "--no-progress", "--no-cache", "--jobs", "1",
                 "--json", str(out)]) == 0
    assert json.loads(out.read_text())["derivation_cache"] is None
    assert not (tmp_path / "c").exists()
    assert main(["verify", "--jobs", "0"]) == 2


def test_probe_results_are_reused_only_inside_enabled_and_a_planted_one_shows(tmp_path, monkeypatch):
    """The theorem checks' probe computations are cached like the derivations: a planted
    stored result (a certificate that does not close) is what the check then reports, so the
    cache is really read; --no-cache (outside ``enabled``) recomputes."""
    import importlib

    from wnproofs.registry import checks_for

    th = importlib.import_module(checks_for("T3")[0].fn.__module__.rsplit(".", 1)[0] + "._theorems")
    monkeypatch.setenv("WNPROOFS_CACHE_DIR", str(tmp_path))
    th._probe_certificate.cache_clear()
    first = run_verification(seed=0, claim_ids=["T3"], property_instances=0, use_cache=True)
    cert = [r for r in first.outcomes[0].results if r.check == "t3.instance_certificate"]
    assert cert and all(r.details["probe_cache"] is None for r in cert)
    files = sorted(tmp_path.glob("probe-certificate-*.json"))
    assert len(files) == 1
    th._probe_certificate.cache_clear()
    second = run_verification(seed=0, claim_ids=["T3"], property_instances=0, use_cache=True)
    again = [r for r in second.outcomes[0].results if r.check == "t3.instance_certificate"]
    assert all(r.details["probe_cache"] == derivation_cache.source_key()[:12] for r in again)
    assert [r.status for r in again] == [r.status for r in cert]
    assert second.derivation_cache["probe_results_reused"] == len(again)
    # plant: the stored certificate no longer closes
    obj = json.loads(files[0].read_text())
    res = json.loads(obj["result"])
    res["closes"] = False
    res["certificate"]["events"] = [dict(e, occurred=False) for e in res["certificate"]["events"]] or \
        [{"name": "planted", "occurred": False}]
    obj["result"] = json.dumps(res)
    files[0].write_text(json.dumps(obj))
    th._probe_certificate.cache_clear()
    planted = run_verification(seed=0, claim_ids=["T3"], property_instances=0, use_cache=True)
    bad = [r for r in planted.outcomes[0].results if r.check == "t3.instance_certificate"]
    assert all(r.status.value == "inconclusive" for r in bad)
    th._probe_certificate.cache_clear()
    fresh = run_verification(seed=0, claim_ids=["T3"], property_instances=0, use_cache=False)
    assert [r.status for r in fresh.outcomes[0].results if r.check == "t3.instance_certificate"] == \
        [r.status for r in cert]
    th._probe_certificate.cache_clear()
