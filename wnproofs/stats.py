"""Exact binomial confidence bounds and the verdict of a "holds w.p. ≥ 1 − δ" claim.

The probabilistic lemmas of THEORY.md §6 (L2, L3, and the probabilities of L4) are
checked as frequencies: over N independent draws (seeds) the event "the bound is
violated" happens K times, K ~ Binomial(N, p), and the claim says p ≤ δ.  A frequency
can never prove p ≤ δ, but exact (Clopper–Pearson) bounds make the verdict honest:

* **fails** when the one-sided lower confidence bound on p exceeds δ: at confidence
  1 − 1e-6 (default) the failure rate is significantly above δ; a correct claim is
  reported as failing with probability ≤ 1e-6;
* **holds** when the one-sided upper confidence bound on p is ≤ δ: the sample shows
  the rate is at most δ, at the same confidence;
* **inconclusive** otherwise (too few draws to tell, e.g. 0 failures in 100 draws
  cannot show p ≤ 0.05 at confidence 1 − 1e-6: the upper bound is 0.129).

The margin is δ ÷ (upper confidence bound), not δ ÷ (observed rate): the observed rate
is usually 0 (margin +inf, which says nothing), while the upper bound is what the sample
can actually vouch for.  With zero failures the upper bound is 1 − (1 − c)^{1/N}
≈ 13.8/N at c = 1 − 1e-6, so the margin grows with the number of draws; the observed
rate is reported beside δ in the message and the details.

Clopper & Pearson (1934): with B(a, b) quantiles q_β,
lower = q_β(1 − c; K, N − K + 1) (0 when K = 0), upper = q_β(c; K + 1, N − K) (1 when K = N).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Iterable, Mapping, Sequence

from scipy.stats import beta as _beta

from .outcomes import SEVERITY, CheckResult, Kind, Level, Status

__all__ = [
    "DEFAULT_CONFIDENCE",
    "cp_lower",
    "cp_upper",
    "cp_interval",
    "RateTest",
    "rate_test",
    "rate_result",
    "identity_rate_test",
    "tightest",
]

#: Confidence of every one-sided Clopper–Pearson bound used by the checks.
DEFAULT_CONFIDENCE = 1.0 - 1e-6


def _check_counts(k: int, n: int) -> tuple[int, int]:
    k, n = int(k), int(n)
    if n < 1 or not (0 <= k <= n):
        raise ValueError(f"need 0 <= k <= n and n >= 1, got k = {k}, n = {n}")
    return k, n


def _check_conf(confidence: float) -> float:
    c = float(confidence)
    if not (0.0 < c < 1.0):
        raise ValueError(f"confidence must lie in (0, 1), got {confidence!r}")
    return c


def cp_lower(k: int, n: int, confidence: float = DEFAULT_CONFIDENCE) -> float:
    """One-sided Clopper–Pearson lower bound: P_p(lower > p) ≤ 1 − confidence for every p.

    Parameters
    ----------
    k, n : observed successes and trials (0 ≤ k ≤ n, n ≥ 1).
    confidence : in (0, 1).
    """
    k, n = _check_counts(k, n)
    c = _check_conf(confidence)
    if k == 0:
        return 0.0
    return float(_beta.ppf(1.0 - c, k, n - k + 1))


def cp_upper(k: int, n: int, confidence: float = DEFAULT_CONFIDENCE) -> float:
    """One-sided Clopper–Pearson upper bound: P_p(upper < p) ≤ 1 − confidence for every p.

    With k = 0 it equals 1 − (1 − confidence)^{1/n} exactly.
    """
    k, n = _check_counts(k, n)
    c = _check_conf(confidence)
    if k == n:
        return 1.0
    if k == 0:
        return float(-math.expm1(math.log1p(-c) / n))
    return float(_beta.ppf(c, k + 1, n - k))


def cp_interval(k: int, n: int, confidence: float = DEFAULT_CONFIDENCE) -> tuple[float, float]:
    """Two-sided Clopper–Pearson interval at ``confidence`` ((1 − c)/2 in each tail)."""
    c = _check_conf(confidence)
    tail = (1.0 - c) / 2.0
    return cp_lower(k, n, 1.0 - tail), cp_upper(k, n, 1.0 - tail)


@dataclass(frozen=True)
class RateTest:
    """The verdict on "P(failure) ≤ δ" from ``failures`` in ``trials`` independent draws.

    Attributes
    ----------
    rate : observed failure frequency K/N.
    lower, upper : one-sided Clopper–Pearson bounds at ``confidence``.
    status : FAILS if lower > δ, HOLDS if upper ≤ δ, else INCONCLUSIVE.
    margin : δ / upper (> 1 iff holds); finite because upper > 0 (None for
        :func:`identity_rate_test`, where δ is the exact probability p).
    """

    failures: int
    trials: int
    delta: float
    confidence: float
    rate: float
    lower: float
    upper: float
    status: Status
    margin: float | None
    exact: bool = False

    def describe(self, what: str = "failure rate", ref: str = "δ") -> str:
        """One line: observed rate beside δ (or beside the exact p), and the confidence interval."""
        if self.exact:
            return (f"{what} {self.failures}/{self.trials} = {self.rate:.4g} vs exact p = {self.delta:.4g} "
                    f"(two-sided Clopper–Pearson {self.confidence:.7g}: [{self.lower:.4g}, {self.upper:.4g}])")
        return (f"{what} {self.failures}/{self.trials} = {self.rate:.3g} vs {ref} = {self.delta:.4g} "
                f"(Clopper–Pearson {self.confidence:.7g}: [{self.lower:.3g}, {self.upper:.3g}])")

    def to_dict(self) -> dict:
        return {"failures": self.failures, "trials": self.trials, "delta": self.delta,
                "confidence": self.confidence, "rate": self.rate, "cp_lower": self.lower,
                "cp_upper": self.upper, "status": self.status.value, "margin": self.margin,
                "test": "two-sided identity" if self.exact else "one-sided rate ≤ δ"}


def rate_test(failures: int, trials: int, delta: float,
              confidence: float = DEFAULT_CONFIDENCE) -> RateTest:
    """Decide "P(failure) ≤ δ" from a binomial count (see the module docstring).

    Parameters
    ----------
    failures, trials : K violations among N independent draws.
    delta : the claimed failure probability δ ∈ (0, 1].
    confidence : of each one-sided Clopper–Pearson bound (default 1 − 1e-6).
    """
    k, n = _check_counts(failures, trials)
    delta = float(delta)
    if not (0.0 < delta <= 1.0):
        raise ValueError(f"delta must lie in (0, 1], got {delta!r}")
    lo, hi = cp_lower(k, n, confidence), cp_upper(k, n, confidence)
    if lo > delta:
        status = Status.FAILS
    elif hi <= delta:
        status = Status.HOLDS
    else:
        status = Status.INCONCLUSIVE
    return RateTest(k, n, delta, float(confidence), k / n, lo, hi, status, delta / hi)


def identity_rate_test(successes: int, trials: int, p: float,
                       confidence: float = DEFAULT_CONFIDENCE) -> RateTest:
    """Decide "the event has probability exactly p" from a binomial count.

    FAILS when p lies outside the two-sided Clopper–Pearson interval at ``confidence``,
    HOLDS otherwise (an exact formula is never "inconclusive": a sample that agrees with
    it is all a sample can show).  ``margin`` is None: an identity that agrees with the
    sample has no slack to report (the interval is in ``lower``, ``upper``); the test is
    reported with ``delta`` = p, the exact probability.
    """
    k, n = _check_counts(successes, trials)
    lo, hi = cp_interval(k, n, confidence)
    inside = lo <= p <= hi
    return RateTest(k, n, float(p), float(confidence), k / n, lo, hi,
                    Status.HOLDS if inside else Status.FAILS, None, exact=True)


def rate_result(claim: str, level: Level | str, test: RateTest, *, message: str = "",
                details: Mapping | None = None, what: str = "failure rate", ref: str = "δ") -> CheckResult:
    """A :class:`CheckResult` of kind "probability" from a :class:`RateTest`.

    observed = the observed failure rate, bound = δ, margin = δ ÷ upper confidence bound;
    the details carry the whole test (counts, interval, confidence).
    """
    det: dict = {"rate_test": test.to_dict()}
    det.update(details or {})
    msg = test.describe(what, ref) + (f"; {message}" if message else "")
    return CheckResult(claim, test.status, Kind.PROBABILITY, Level(level), test.rate, test.delta,
                       test.margin, msg, det)





def tightest(parts: Sequence[CheckResult] | Iterable[CheckResult]) -> CheckResult:
    """Fold several sub-results of one check into one: the worst status wins, and among
    equally bad ones the smallest margin; the others are kept in ``details["parts"]``.

    Used by checks that test several inequalities of one claim on one instance
    (e.g. L5's entrywise and spectral forms for V and G).
    """
    parts = list(parts)
    if not parts:
        raise ValueError("tightest() needs at least one result")

    def key(r: CheckResult):
        # a part without a margin (an exact identity) never hides one that has a margin
        m = r.margin if (r.margin is not None and not math.isnan(r.margin)) else math.inf
        return (-SEVERITY[r.status], m)

    worst = min(parts, key=key)
    summary = [{"message": r.message, "status": r.status.value, "observed": r.observed,
                "bound": r.bound, "margin": r.margin} for r in parts]
    det = dict(worst.details)
    det["parts"] = summary
    return replace(worst, details=det)
