"""Input validation shared by every public entry point.

Bad input must fail early with a message that names the problem, never as a
silent wrong number or a traceback from deep inside NumPy.  Every validator raises
:class:`InputError` (a ``ValueError``) whose ``arg`` attribute names the offending
argument, so the command line can name its flag instead.

Documented ranges (each keeps the cost of a computation bounded and its float64
intermediates finite):

* α ∈ [1e-8, 1e8] (:data:`ALPHA_RANGE`): outside it 1/α² or α⁴ leave the range where the
  kernels and widths are meaningful in float64 (α = 1e-160 made 1/α² overflow), and the
  incomplete-Γ evaluations of the width conditions slow down without bound;
* working precision 15 ≤ dps ≤ 500 (:data:`DPS_MAX`): the cost of the spectral constants
  grows like dps² (50 digits: 1 s, 400 digits: 20 s for n = 8);
* seeds are integers in [0, 2⁶⁴ − 1] (:data:`SEED_MAX`);
* arrays are real: complex, masked, object and string arrays are refused (a complex
  array converted to float64 silently drops its imaginary part);
* memory: :func:`check_memory` compares an estimate with what the machine can give.
"""

from __future__ import annotations

import math
import numbers
import os
from typing import Any

import numpy as np

__all__ = [
    "InputError",
    "ALPHA_RANGE",
    "DPS_MAX",
    "DPS_MIN",
    "SEED_MAX",
    "show",
    "check_alpha",
    "check_delta",
    "check_dps",
    "check_positive",
    "check_positive_int",
    "check_int",
    "check_seed",
    "check_real",
    "check_finite_array",
    "available_memory",
    "check_memory",
    "format_bytes",
]

#: The documented range of the initialization scale α.
ALPHA_RANGE = (1e-8, 1e8)
#: Working precision limits in decimal digits.
DPS_MIN = 15
DPS_MAX = 500
#: Largest seed accepted (seeds feed ``numpy.random.SeedSequence``).
SEED_MAX = 2**64 - 1


class InputError(ValueError):
    """Raised when an input violates the setting of THEORY.md (a ``ValueError``).

    ``arg`` names the offending argument (a Python parameter name such as ``"alpha"``);
    the command line maps it to its flag.
    """

    def __init__(self, message: str, *, arg: str | None = None) -> None:
        super().__init__(message)
        self.arg = arg


def show(value: Any, limit: int = 60) -> str:
    """A short, repr-free rendering of ``value`` for messages (``6.345`` not ``np.float64(6.345)``)."""
    if value is None:
        text = "None"
    elif isinstance(value, (bool, np.bool_)):
        text = str(bool(value))
    elif isinstance(value, (numbers.Integral, np.integer)):
        text = str(int(value))
    elif isinstance(value, (complex, np.complexfloating)):
        text = str(complex(value))
    elif isinstance(value, str):
        text = repr(value)
    elif isinstance(value, np.ndarray):
        text = f"an array of shape {value.shape} and dtype {value.dtype}"
    else:
        try:
            text = f"{float(value):.6g}"
        except (TypeError, ValueError, OverflowError):
            text = f"a {type(value).__name__}"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_real(value: Any, name: str) -> float:
    """``value`` as a finite float; booleans, strings and complex numbers are refused."""
    if isinstance(value, (bool, np.bool_, str, bytes, complex, np.complexfloating)) or value is None:
        raise InputError(f"{name} must be a real number, got {show(value)}", arg=name)
    try:
        x = float(value)
    except (TypeError, ValueError, OverflowError):
        raise InputError(f"{name} must be a real number, got {show(value)}", arg=name) from None
    if not math.isfinite(x):
        raise InputError(f"{name} must be finite, got {show(value)}", arg=name)
    return x


def check_int(value: Any, name: str, minimum: int | None = None, maximum: int | None = None) -> int:
    """``value`` as an ``int`` within [minimum, maximum] (integer-valued floats accepted)."""
    if isinstance(value, (bool, np.bool_)):
        raise InputError(f"{name} must be an integer, got {show(value)}", arg=name)
    if not isinstance(value, (numbers.Integral, np.integer)):
        if isinstance(value, (numbers.Real, np.floating)) and math.isfinite(float(value)) \
                and float(value).is_integer():
            value = int(value)
        else:
            raise InputError(f"{name} must be an integer, got {show(value)}", arg=name)
    value = int(value)
    if minimum is not None and value < minimum:
        raise InputError(f"{name} must be >= {minimum}, got {value}", arg=name)
    if maximum is not None and value > maximum:
        raise InputError(f"{name} must be <= {maximum}, got {show(value)}", arg=name)
    return value


def check_positive_int(value: Any, name: str, minimum: int = 1, maximum: int | None = None) -> int:
    """Return ``value`` as an ``int`` after checking ``minimum <= value (<= maximum)``."""
    return check_int(value, name, minimum, maximum)


def check_seed(value: Any, name: str = "seed") -> int:
    """A seed: an integer in [0, 2⁶⁴ − 1]."""
    return check_int(value, name, 0, SEED_MAX)


def check_alpha(alpha: Any, name: str = "alpha") -> float:
    """Check the initialization scale α: a finite number in ALPHA_RANGE = [1e-8, 1e8] (THEORY.md §1)."""
    a = check_real(alpha, name)
    lo, hi = ALPHA_RANGE
    if a <= 0:
        raise InputError(f"{name} must be a positive number (alpha > 0), got {show(alpha)}", arg=name)
    if not lo <= a <= hi:
        raise InputError(f"{name} must lie in [{lo:g}, {hi:g}] (outside it 1/alpha² or alpha⁴ leave "
                         f"float64's useful range), got {show(alpha)}", arg=name)
    return a


def check_positive(value: Any, name: str, maximum: float | None = None) -> float:
    """Check a step size or other strictly positive finite scalar (at most ``maximum``)."""
    x = check_real(value, name)
    if x <= 0:
        raise InputError(f"{name} must be > 0, got {show(value)}", arg=name)
    if maximum is not None and x > maximum:
        raise InputError(f"{name} must be <= {maximum:g}, got {show(value)}", arg=name)
    return x


def check_delta(delta: Any, name: str = "delta") -> float:
    """Check a failure probability δ in the open interval (0, 1)."""
    d = check_real(delta, name)
    if not (0.0 < d < 1.0):
        raise InputError(f"{name} must lie in the open interval (0, 1), got {show(delta)}", arg=name)
    return d


def check_dps(dps: Any, name: str = "dps") -> int:
    """Check a working precision in decimal digits: DPS_MIN (float64's 15) to DPS_MAX (500)."""
    dps = check_int(dps, name)
    if dps < DPS_MIN:
        raise InputError(f"{name} must be >= {DPS_MIN} (float64 already gives 15 digits), got {dps}", arg=name)
    if dps > DPS_MAX:
        raise InputError(f"{name} must be <= {DPS_MAX} (the cost grows like dps²; 400 digits take "
                         f"about 20 s for n = 8), got {show(dps)}", arg=name)
    return dps


def check_finite_array(a: Any, name: str, ndim: int) -> np.ndarray:
    """Convert to a float64 array with ``ndim`` dimensions and only finite entries.

    Refused: complex values (float64 would drop the imaginary part), masked arrays (the
    mask would be ignored), object and string arrays.
    """
    if isinstance(a, np.ma.MaskedArray):
        raise InputError(f"{name} is a masked array; fill or drop the masked entries first", arg=name)
    raw = a if isinstance(a, np.ndarray) else None
    if raw is None:
        try:
            raw = np.asarray(a)
        except (TypeError, ValueError, OverflowError) as exc:
            raise InputError(f"{name} must be a numeric array ({_short(exc)})", arg=name) from None
    if raw.dtype.kind not in "biuf":
        what = {"c": "complex (only real data are accepted; float64 would drop the imaginary part)",
                "O": "object", "U": "string", "S": "bytes", "V": "structured",
                "M": "datetime", "m": "timedelta"}.get(raw.dtype.kind, str(raw.dtype))
        if raw.dtype.kind == "O" and raw.size and all(
                isinstance(v, (numbers.Real, np.number)) and not isinstance(v, (bool, np.bool_,
                                                                                 complex, np.complexfloating))
                for v in raw.ravel()):
            raw = raw.astype(np.float64)
        else:
            raise InputError(f"{name} must be a real numeric array, got {what} entries", arg=name)
    arr = np.asarray(raw, dtype=np.float64)
    if arr.ndim != ndim:
        raise InputError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}", arg=name)
    if arr.size and not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise InputError(f"{name} has a non-finite entry at index {tuple(int(i) for i in bad)}", arg=name)
    return arr


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]


# ----------------------------------------------------------------------------- memory

def _read_int(path: str) -> int | None:
    try:
        with open(path, encoding="ascii") as fh:
            text = fh.read().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def available_memory() -> int | None:
    """Bytes this process can still allocate, best estimate (None if unknown).

    The smallest of: MemAvailable (Linux), the cgroup limit minus its usage, and the
    address-space limit (``ulimit -v``) minus what the process already maps.
    """
    limits: list[int] = []
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    limits.append(int(line.split()[1]) * 1024)
                    break
    except (OSError, ValueError, IndexError):
        pass
    cg_max, cg_cur = _read_int("/sys/fs/cgroup/memory.max"), _read_int("/sys/fs/cgroup/memory.current")
    if cg_max is not None and cg_cur is not None:
        limits.append(max(0, cg_max - cg_cur))
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        if soft not in (resource.RLIM_INFINITY, -1) and soft > 0:
            used = 0
            try:
                with open("/proc/self/statm", encoding="ascii") as fh:
                    used = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
            except (OSError, ValueError, IndexError):
                pass
            limits.append(max(0, soft - used))
    except (ImportError, ValueError, OSError):
        pass
    if not limits:
        try:
            limits.append(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
        except (ValueError, OSError, AttributeError):
            return None
    return min(limits)


def format_bytes(n: float) -> str:
    """``1.5 GB`` style (powers of 1000)."""
    for unit in ("B", "kB", "MB", "GB", "TB", "PB"):
        if abs(n) < 1000 or unit == "PB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.3g} {unit}"
        n /= 1000.0
    return f"{n:.3g} PB"  # pragma: no cover


def check_memory(nbytes: float, what: str, fix: str, *, arg: str | None = None,
                 available: int | None = None) -> None:
    """Raise :class:`InputError` when ``nbytes`` (an estimate) cannot fit in memory.

    ``what`` says what the memory is for (e.g. "the 20000 × 20000 kernel matrices"),
    ``fix`` how to make it fit (e.g. "use fewer rows"); the message gives the estimate
    and what is available.  Unknown availability: no check.
    """
    avail = available_memory() if available is None else available
    if avail is None or nbytes <= avail:
        return
    raise InputError(f"{what}: about {format_bytes(nbytes)} of memory needed, about "
                     f"{format_bytes(avail)} available; {fix}", arg=arg)
