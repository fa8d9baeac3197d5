"""Compare two `wnproofs verify --json` documents, ignoring timings (issue 10: nothing changes for the user)."""

from __future__ import annotations

import math
from typing import Any

#: Keys whose values are timings or environment, not results (the derivation cache says which
#: derivations were reused: a property of the machine's cache, not of the verdicts).
VOLATILE = {"seconds", "versions", "elapsed_s", "derivation_cache", "probe_cache"}


def differences(a: Any, b: Any, path: str = "$", rtol: float = 1e-6) -> list[str]:
    """Paths at which ``a`` and ``b`` differ (floats compared to ``rtol``, strings exactly)."""
    out: list[str] = []
    if isinstance(a, dict) and isinstance(b, dict):
        keys = (set(a) | set(b)) - VOLATILE
        for k in sorted(keys):
            if k not in a or k not in b:
                out.append(f"{path}.{k}: present on one side only")
            else:
                out += differences(a[k], b[k], f"{path}.{k}", rtol)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{path}: lengths {len(a)} != {len(b)}")
        for i, (x, y) in enumerate(zip(a, b)):
            out += differences(x, y, f"{path}[{i}]", rtol)
    elif isinstance(a, float) and isinstance(b, float) and not isinstance(a, bool):
        if not (a == b or (math.isnan(a) and math.isnan(b)) or abs(a - b) <= rtol * max(abs(a), abs(b))):
            out.append(f"{path}: {a!r} != {b!r}")
    elif a != b:
        out.append(f"{path}: {a!r} != {b!r}")
    return out
