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

import numpy as np
from scipy.special import betaincinv   # the beta quantile (what scipy.stats.beta.ppf calls), without importing scipy.stats

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
    "hoeffding_radius",
    "Band",
    "hoeffding_band",
    "clopper_pearson_band",
    "absolute_band",
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
    return float(betaincinv(k, n - k + 1, 1.0 - c))


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
    return float(betaincinv(k + 1, n - k, c))


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


# ---------------------------------------------------------------------------------------
# entrywise confidence bands for a Monte Carlo estimate of a matrix (e.g. a kernel)
# ---------------------------------------------------------------------------------------

def hoeffding_radius(samples: int, delta: float, value_range: float = 1.0, entries: int = 1) -> float:
    """Hoeffding + a union bound: with probability ≥ 1 − δ every one of ``entries`` means of
    ``samples`` i.i.d. terms with values in an interval of length ``value_range`` lies within

        t = value_range · sqrt( log(2·entries/δ) / (2·samples) )

    of its expectation (P(|mean − E| > t) ≤ 2 exp(−2 N t² / range²) per entry).
    The L2 radii (:func:`wnproofs.bounds.l2_radius_V`) are this bound in spectral form.
    """
    n, k = int(samples), int(entries)
    if n < 1:
        raise ValueError(f"samples must be >= 1, got {samples!r}")
    if k < 1:
        raise ValueError(f"entries must be >= 1, got {entries!r}")
    d = float(delta)
    if not (0.0 < d < 1.0):
        raise ValueError(f"delta must lie in (0, 1), got {delta!r}")
    r = float(value_range)
    if not (r > 0 and math.isfinite(r)):
        raise ValueError(f"value_range must be positive and finite, got {value_range!r}")
    from .bounds.lemmas import hoeffding_radius as _radius   # the one home of the formula

    # the union bound over ``entries`` is a per-entry failure probability δ/entries
    return float(_radius(n, d / k, r, sides=2, dps=30))


def _distinct_entries(A: np.ndarray) -> int:
    """Entries a union bound runs over: n(n+1)/2 for a symmetric square matrix, else all."""
    if A.ndim == 2 and A.shape[0] == A.shape[1] and np.array_equal(A, A.T):
        return A.shape[0] * (A.shape[0] + 1) // 2
    return max(A.size, 1)


@dataclass(frozen=True)
class Band:
    """An entrywise confidence band around an estimate ``A`` (e.g. a finite-width or Monte
    Carlo kernel) that should contain the exact matrix ``B``, simultaneously over every
    entry with probability ≥ 1 − ``delta``.

    method : "hoeffding" (means of ``samples`` terms in a range of length ``value_range``),
        "clopper-pearson" (``A`` holds frequencies k/``samples`` of a Bernoulli event;
        exact binomial intervals, Bonferroni over the entries) or "absolute" (a fixed radius,
        ``delta`` = 0: no probability attached).
    """

    method: str
    delta: float
    samples: int | None = None
    value_range: float | None = None
    radius: float | None = None

    def interval(self, A) -> tuple[np.ndarray, np.ndarray]:
        """(lower, upper) arrays: the values of B the band accepts, entry by entry."""
        A = np.asarray(A, dtype=float)
        if self.method == "absolute":
            return A - self.radius, A + self.radius
        k = _distinct_entries(A)
        if self.method == "hoeffding":
            t = hoeffding_radius(self.samples, self.delta, self.value_range, k)
            return A - t, A + t
        n = int(self.samples)
        counts = np.rint(A * n)
        if not np.all(np.isfinite(A)) or np.max(np.abs(counts - A * n), initial=0.0) > 1e-6 * n \
                or counts.min(initial=0) < 0 or counts.max(initial=0) > n:
            raise ValueError("a Clopper-Pearson band needs frequencies k/N with integer k in [0, N] "
                             f"(N = {n}); got values that are not")
        conf = 1.0 - self.delta / k        # two-sided, δ/(2k) in each tail (Bonferroni)
        lo, hi = np.empty_like(A), np.empty_like(A)
        cache: dict[int, tuple[float, float]] = {}
        for idx, c in np.ndenumerate(counts.astype(int)):
            if c not in cache:
                cache[c] = cp_interval(int(c), n, conf)
            lo[idx], hi[idx] = cache[c]
        return lo, hi

    def excess(self, A, B) -> np.ndarray:
        """Entrywise |A − B| ÷ (distance from A to the band's edge on B's side): ≤ 1 inside
        the band, > 1 outside, +inf when the band has no room on that side, NaN → +inf."""
        A = np.asarray(A, dtype=float)
        B = np.asarray(B, dtype=float)
        lo, hi = self.interval(A)
        room = np.where(B >= A, hi - A, A - lo)
        gap = np.abs(B - A)
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(gap == 0, 0.0, gap / room)
        r = np.where(np.isnan(r), np.inf, r)
        return np.where(np.isfinite(A) & np.isfinite(B), r, np.inf)

    def describe(self, A=None) -> str:
        """One line: the method, its parameters, and (given ``A``) the radius or entries."""
        if self.method == "absolute":
            return f"absolute band ±{self.radius:.3g}"
        k = None if A is None else _distinct_entries(np.asarray(A, dtype=float))
        union = "" if k is None else f", union over {k} entries"
        if self.method == "hoeffding":
            rad = "" if k is None else \
                f", radius {hoeffding_radius(self.samples, self.delta, self.value_range, k):.3g}"
            return (f"Hoeffding band (N = {self.samples}, range {self.value_range:g}, "
                    f"δ = {self.delta:g}{union}{rad})")
        return f"Clopper-Pearson band (N = {self.samples}, δ = {self.delta:g}{union})"


def hoeffding_band(samples: int, delta: float = 1e-6, value_range: float = 1.0) -> Band:
    """A :class:`Band` for means of ``samples`` i.i.d. terms in a range of length
    ``value_range`` (e.g. G(0) at width m: summands in [0, 1]; V(0): in [−1, 1], range 2)."""
    hoeffding_radius(samples, delta, value_range)  # validate now
    return Band("hoeffding", float(delta), int(samples), float(value_range))


def clopper_pearson_band(samples: int, delta: float = 1e-6) -> Band:
    """A :class:`Band` for frequencies k/N of a Bernoulli event over N = ``samples`` draws
    (exact two-sided Clopper-Pearson intervals, Bonferroni over the entries)."""
    _check_counts(0, samples)
    if not (0.0 < float(delta) < 1.0):
        raise ValueError(f"delta must lie in (0, 1), got {delta!r}")
    return Band("clopper-pearson", float(delta), int(samples))


def absolute_band(radius: float) -> Band:
    """A :class:`Band` of fixed radius (``|A − B| ≤ radius`` entrywise); no probability."""
    r = float(radius)
    if not (r >= 0 and math.isfinite(r)):
        raise ValueError(f"radius must be a finite number >= 0, got {radius!r}")
    return Band("absolute", 0.0, radius=r)

