"""Assertions and property-test helpers for users' own tests, in the manner of ``numpy.testing``.

* :func:`assert_holds` (a check result, a claim's outcome, a derivation, a verification, or
  an iterable of them: each must hold, optionally with a minimum margin);
* :func:`assert_kernel_close` (an estimate A of a kernel B, entrywise within a confidence
  band: :func:`~wnproofs.stats.hoeffding_band`, :func:`~wnproofs.stats.clopper_pearson_band`
  or a plain radius);
* :func:`check_on_instances` (run a check on N instances drawn by Hypothesis; a failure is
  shrunk, saved for ``wnproofs replay`` and reported as the smallest counterexample);
* the Hypothesis profiles of the toolkit (:data:`HYPOTHESIS_PROFILES`): the pytest plugin
  registers them as ``wnproofs-ci`` (derandomized: the same examples on every run and
  machine), ``wnproofs-dev`` and ``wnproofs-thorough``; select one with
  ``pytest --hypothesis-profile=wnproofs-ci``.

Example (a user's test file; the fixtures come from :mod:`wnproofs.pytest_plugin`)::

    from wnproofs.stats import hoeffding_band
    from wnproofs.testing import assert_holds, assert_kernel_close, check_on_instances

    def test_l1_on_my_data(wnproofs_instance, wnproofs_check):
        for chk in wnproofs_check("L1"):
            assert_holds(chk(wnproofs_instance))

    def test_g0_near_g_inf(wnproofs_dataset):
        net = WNNetwork.init(20_000, wnproofs_dataset.d, 1.0, 0)
        assert_kernel_close(gram_G(net, wnproofs_dataset.X), G_inf(wnproofs_dataset),
                            hoeffding_band(20_000, delta=1e-6, value_range=1.0))

    def test_d2_on_drawn_instances():
        check_on_instances("D2", n=20)
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

import numpy as np
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from .outcomes import CheckResult, Kind, Status
from .plugin import CHECK_ATTR, Check, Instance

__all__ = [
    "assert_holds",
    "assert_kernel_close",
    "check_on_instances",
    "PropertyRun",
    "HYPOTHESIS_PROFILES",
    "register_profiles",
    "profile_settings",
]

#: The toolkit's Hypothesis profiles (one home; ``tests/conftest.py`` and the pytest plugin
#: register them).  ``ci`` is derandomized: the same examples on every run and machine.
HYPOTHESIS_PROFILES: dict[str, dict[str, Any]] = {
    "ci": dict(derandomize=True, deadline=None, max_examples=15, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow],
               phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]),
    "dev": dict(deadline=2000, max_examples=50, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow]),
    "thorough": dict(deadline=None, max_examples=1000, print_blob=True,
                     suppress_health_check=[HealthCheck.too_slow]),
}


def register_profiles(prefix: str = "wnproofs-") -> list[str]:
    """Register :data:`HYPOTHESIS_PROFILES` with Hypothesis as ``prefix + name``; returns the names."""
    names = []
    for name, kw in HYPOTHESIS_PROFILES.items():
        settings.register_profile(prefix + name, **kw)
        names.append(prefix + name)
    return names


def profile_settings(name: str, **overrides: Any) -> settings:
    """A ``hypothesis.settings`` object of one toolkit profile (``ci``, ``dev``, ``thorough``),
    with ``overrides``, for use as a decorator without loading the profile globally."""
    try:
        kw = dict(HYPOTHESIS_PROFILES[name])
    except KeyError:
        raise ValueError(f"unknown profile {name!r}; known: {', '.join(HYPOTHESIS_PROFILES)}") from None
    kw.update(overrides)
    return settings(**kw)


# ---------------------------------------------------------------------------------------
# assert_holds
# ---------------------------------------------------------------------------------------

def _fmt(x) -> str:
    if x is None:
        return "-"
    try:
        return f"{float(x):.6g}"
    except (TypeError, ValueError):
        return str(x)


def _items(result) -> list:
    """Flatten what :func:`assert_holds` accepts into check results, outcomes and derivations."""
    if hasattr(result, "outcomes"):                     # a Verification
        return [x for o in result.outcomes for x in _items(o)]
    if isinstance(result, CheckResult) or (hasattr(result, "verdict") and hasattr(result, "steps")) \
            or (hasattr(result, "status") and hasattr(result, "results")):  # a claim outcome
        return [result]
    if isinstance(result, Iterable) and not isinstance(result, (str, bytes, Mapping)):
        out = [x for r in result for x in _items(r)]
        if not out:
            raise AssertionError("assert_holds got an empty collection: nothing was shown to hold")
        return out
    raise TypeError(f"assert_holds cannot judge a {type(result).__name__}; pass a CheckResult, a "
                    "claim outcome, a derivation result, a Verification, or an iterable of them")


def _problem(item, allowed: set[Status], min_margin: float | None) -> str | None:
    """Why ``item`` does not hold (None if it does)."""
    if hasattr(item, "verdict") and hasattr(item, "steps"):         # a DerivationResult
        bad = [s for s in item.steps if getattr(s.verdict, "value", s.verdict) != "proved"]
        if not bad and item.steps:
            return None
        lines = [f"Derivation {item.name} of {', '.join(item.claims)} is not proved "
                 f"({len(item.steps) - len(bad)}/{len(item.steps)} steps proved)"]
        lines += [f" step {s.name!r} ({s.claim}): {getattr(s.verdict, 'value', s.verdict)}; {s.method}"
                  for s in bad]
        return "\n".join(lines)
    status = item.status
    margin = getattr(item, "margin", None)
    is_result = isinstance(item, CheckResult)
    claim = item.claim if is_result else item.claim.id
    ok = status is Status.HOLDS or status in allowed
    if ok and min_margin is not None and status is Status.HOLDS:
        ok = margin is not None and not math.isnan(margin) and margin >= min_margin
    if ok:
        return None
    head = f"Claim {claim} does not hold" if status is not Status.HOLDS else \
        f"Claim {claim} holds with margin {_fmt(margin)} < required {min_margin:g}"
    lines = [head]
    if is_result:
        lines += [f" check:    {item.check or '-'}",
                  f" status:   {status.value}",
                  f" observed: {_fmt(item.observed)}   bound: {_fmt(item.bound)}   margin: {_fmt(margin)}",
                  f" message:  {item.message or '-'}"]
    else:
        lines += [f" status:   {status.value}   margin: {_fmt(margin)}"]
        lines += [f" [{r.check}] {r.status.value}: {r.message}" for r in item.results
                  if r.status is not Status.HOLDS]
    return "\n".join(lines)


def assert_holds(result, *, min_margin: float | None = None,
                 allow: Iterable[Status | str] = (), err_msg: str = "") -> None:
    """Raise ``AssertionError`` unless every result holds.

    Parameters
    ----------
    result : a :class:`~wnproofs.outcomes.CheckResult`, a claim outcome of
        :func:`wnproofs.verify.run_verification`, a whole ``Verification``, a derivation
        result (every step must be proved), or an iterable of these (not empty).
    min_margin : also require margin ≥ this (bound ÷ observed; 1 means "just holds").
    allow : other statuses to accept (e.g. ``{"inconclusive"}``); ``fails`` and ``error``
        are never accepted.
    err_msg : prepended to the failure message.
    """
    allowed = {Status(s) for s in allow}
    bad = allowed & {Status.FAILS, Status.ERROR}
    if bad:
        raise ValueError(f"allow cannot contain {', '.join(sorted(s.value for s in bad))}")
    problems = [p for p in (_problem(x, allowed, min_margin) for x in _items(result)) if p]
    if problems:
        raise AssertionError("\n".join(([err_msg] if err_msg else []) + problems))


# ---------------------------------------------------------------------------------------
# assert_kernel_close
# ---------------------------------------------------------------------------------------

def assert_kernel_close(A, B, band, *, err_msg: str = "") -> None:
    """Raise ``AssertionError`` unless the estimate ``A`` is within ``band`` of ``B`` entrywise.

    Parameters
    ----------
    A : the estimate (a finite-width Gram matrix, a Monte Carlo frequency matrix, ...).
    B : the exact value (e.g. a closed form ``G_inf(data)``); same shape as ``A``.
    band : a :class:`~wnproofs.stats.Band` (``hoeffding_band(N, delta, value_range)`` for
        means of N bounded terms, ``clopper_pearson_band(N, delta)`` for frequencies k/N),
        or a number (an absolute radius).  The band holds simultaneously over all entries
        with probability ≥ 1 − δ, so a correct B fails this assertion with probability ≤ δ.
    err_msg : prepended to the failure message.
    """
    from .stats import Band, absolute_band  # scipy: imported when first needed

    if not isinstance(band, Band):
        band = absolute_band(band)
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    head = [err_msg] if err_msg else []
    if A.shape != B.shape:
        raise AssertionError("\n".join(head + [f"Kernels differ in shape: {A.shape} vs {B.shape}"]))
    r = band.excess(A, B)
    outside = r > 1.0
    if not np.any(outside):
        return
    worst = np.unravel_index(int(np.argmax(np.where(np.isnan(r), np.inf, r))), r.shape)
    lo, hi = band.interval(A)
    raise AssertionError("\n".join(head + [
        f"Kernels differ beyond the {band.describe(A)}",
        f" {int(outside.sum())} / {A.size} entries outside the band",
        f" worst entry {tuple(int(i) for i in worst)}: estimate {A[worst]:.6g}, exact {B[worst]:.6g}, "
        f"band [{lo[worst]:.6g}, {hi[worst]:.6g}] (|A − B| is {r[worst]:.3g} × the room on that side)",
    ]))


# ---------------------------------------------------------------------------------------
# check_on_instances
# ---------------------------------------------------------------------------------------

@dataclass
class PropertyRun:
    """What :func:`check_on_instances` ran: examples drawn and statuses seen, per check."""

    checks: list[str]
    examples: int = 0
    statuses: Counter = field(default_factory=Counter)

    def count(self, status: Status | str) -> int:
        return self.statuses[Status(status)]


def _resolve_checks(target) -> list[Check]:
    if isinstance(target, Check):
        return [target]
    marked = getattr(target, CHECK_ATTR, None)
    if isinstance(marked, Check):
        return [marked]
    if isinstance(target, str):
        from .registry import checks_for, load_plugins

        load_plugins()
        found = checks_for(target)
        if not found:
            raise ValueError(f"claim {target} has no registered check")
        return found
    if isinstance(target, Iterable):
        return [c for t in target for c in _resolve_checks(t)]
    raise TypeError(f"not a check: {target!r} (pass a Check, a function marked with "
                    "@wnproofs.plugin.check, a claim id, or a list of these)")


_NOTE = "wnproofs.testing.check_on_instances (Hypothesis, shrunk)"


def check_on_instances(check, n: int = 20, *, instances: st.SearchStrategy[Instance] | None = None,
                       params: Mapping[str, Any] | st.SearchStrategy | None = None,
                       mode: str = "quick", min_holds: int = 1,
                       hypothesis_settings: settings | None = None) -> PropertyRun:
    """Run ``check`` on ``n`` instances drawn by Hypothesis; report the shrunk counterexample.

    Parameters
    ----------
    check : a registered :class:`~wnproofs.plugin.Check`, a function marked with
        :func:`wnproofs.plugin.check`, a claim id (all its checks), or a list of these.
    n : examples to draw (Hypothesis' ``max_examples``).
    instances : a strategy of :class:`~wnproofs.plugin.Instance` (default
        :func:`wnproofs.strategies.instances` on random and adversarial data).
    params : claim parameters for the default strategy: a dict (fixed) or a strategy of dicts
        (e.g. :func:`wnproofs.strategies.l5_params`).
    mode : "quick" or "full", passed to the checks through the instance.
    min_holds : fewer results than this that hold is an error (a run where every instance
        missed a hypothesis showed nothing).
    hypothesis_settings : settings to start from (``max_examples`` is set to ``n``); default:
        the current profile (e.g. ``--hypothesis-profile=wnproofs-ci``, derandomized) with no
        deadline and no example database.

    A result that fails (or a check that raises) is saved with
    :func:`wnproofs.replay.record_failure` (``$WNPROOFS_FAILURES_DIR``, default
    ``.wnproofs-failures/``); Hypothesis then shrinks the instance (fewer points, smaller
    dimension, simpler numbers) and the ``AssertionError`` raised describes the smallest
    failing instance, with the command that replays it.  Do not call this inside a test
    already decorated with ``@given``.
    """
    from . import strategies as wst
    from .replay import describe, record_failure

    chks = _resolve_checks(check)
    if instances is None:
        if isinstance(params, st.SearchStrategy):
            instances = wst.instances(params=params, mode=mode)
        else:
            instances = wst.instances(mode=mode, extra=dict(params or {}))
    elif params is not None:
        raise ValueError("pass params through your own instances strategy, not both")
    run = PropertyRun([c.name for c in chks])
    failing: list = []

    def prop(inst: Instance) -> None:
        run.examples += 1
        for chk in chks:
            try:
                res = chk(inst)
            except Exception as exc:  # a crash is saved like a failure, then re-raised
                crash = CheckResult(chk.claim, Status.FAILS, Kind.IDENTITY, chk.level,
                                    message=f"check raised {type(exc).__name__}: {exc}", check=chk.name)
                record_failure(inst, crash, check=chk.name, note=_NOTE)
                failing.append((chk.name, inst))
                raise
            if res.status is Status.FAILS:
                path = record_failure(inst, res, check=chk.name, note=_NOTE)
                failing.append((chk.name, inst))
                raise AssertionError(describe(inst, res, path))
            run.statuses[res.status] += 1

    if hypothesis_settings is None:
        hypothesis_settings = settings(settings.default, deadline=None, database=None)
    test = settings(hypothesis_settings, max_examples=int(n))(given(instances)(prop))
    try:
        test()
    except Exception as exc:  # a failure (AssertionError) or a crash inside a check
        if not failing:
            raise  # not from a check: e.g. Hypothesis refusing a nested @given
        name, inst = failing[-1]
        where = f" (data {inst.data.name}, n = {inst.data.n}, d = {inst.data.d}, seed {inst.seed})"
        raise AssertionError(f"check {name} failed on a drawn instance; smallest counterexample "
                             f"found by Hypothesis{where}:\n{exc}") from exc
    held = run.count(Status.HOLDS)
    if held < min_holds:
        raise AssertionError(f"{', '.join(run.checks)}: only {held} of {sum(run.statuses.values())} "
                             f"results hold ({dict((s.value, k) for s, k in run.statuses.items())}); "
                             "the drawn instances did not meet the hypotheses, nothing was shown")
    return run
