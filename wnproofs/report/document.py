"""The results document: one JSON-ready dict from which every report file is rendered.

:func:`build_document` takes a :class:`~wnproofs.verify.Verification` and adds a
``report`` section to its ``to_dict()``.  It does no mathematics: every number in the
report is one the verification recorded (the data constants per data set, the widths and
runs in the theorem checks' details, the derivation results as run).  What it adds is
arrangement: which result belongs to which data set and theorem, the smallest recorded
width at which a theorem's conclusion held, the theory section of each claim, the
legend.  ``docs/REPORT.md`` describes every field.
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ..outcomes import jsonable
from .derivations import record
from .theory import TheoryDoc, load_theory

__all__ = ["REPORT_VERSION", "SCHEMA_PATH", "PROVENANCE", "LEVELS", "STATUS_MEANING",
           "MARGIN_NOTE", "WIDTH_USED_NOTE", "build_document", "load_schema",
           "validate_document", "width_rows", "claim_figures"]

#: Version of the ``report`` section (the verify part keeps ``schema_version``).
REPORT_VERSION = 2

#: The JSON Schema of ``results.json`` (installed with the package as ``wnproofs/*.json``).
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "results.schema.json"

#: What each provenance value of a claim means, in the report.
PROVENANCE = {
    "paper": "Stated in Dukler, Gu & Montúfar (ICML 2020), as restated in the theory document; "
             "explicit constants are derived here.",
    "restated": "Confirmed only through a later paper that restates it (FedBN, Li et al., "
                "ICLR 2021), not against the original text.",
    "reconstructed": "Reconstructed here by the paper's argument and not confirmed against "
                     "any published statement: the least certain kind of claim in this report "
                     "(T1's width in particular).",
    "du2019": "From Du, Zhai, Póczos & Singh (ICLR 2019), the un-normalized network; "
              "included for comparison.",
    "classical": "A standard fact the proof uses.",
    "toolkit": "An observation made by this toolkit, beyond the paper.",
}

#: The verification levels, strongest first, with what reaching them means.
LEVELS = {
    "symbolic": "a SymPy derivation of the claim is registered and every step is proved "
                "(the identity reduced to 0, or the inequality proved on symbols)",
    "certified": "interval arithmetic (Arb balls) encloses the number rigorously",
    "numeric": "high-precision mpmath agrees with float64 and the closed form on concrete instances",
    "property": "the claim's numeric and certified checks also held on random instances "
                "(n, d, seeds) of the property sweep, with no failure",
    "empirical": "a simulated training run exhibits the conclusion; the margin is the slack "
                 "bound ÷ observed",
}

#: Every status of the outcome vocabulary, with its meaning.
STATUS_MEANING = {
    "holds": "every check held with all hypotheses met",
    "fails": "a check failed with all hypotheses met (verify exits with 1)",
    "inconclusive": "a check could not decide (an interval or Monte Carlo band straddles the "
                    "bound, or the budget ran out); never rounded up to holds",
    "observed": "the conclusion was seen on a run that does not meet every hypothesis "
                "(e.g. a width below the explicit threshold)",
    "deviates (hypotheses unmet)": "a deviation seen only outside the hypotheses: evidence "
                                   "about the mechanism, not a failure of the claim",
    "hypothesis not met": "the instance violates a hypothesis (e.g. A1): nothing was tested",
    "error": "the check itself crashed (verify exits with 3)",
    "unchecked": "no check of this claim ran",
}

MARGIN_NOTE = ("Margin: bound ÷ observed (lower bounds: observed ÷ bound); above 1 the claim "
               "holds with room to spare, and for empirical checks it is the slack of the bound. "
               "A claim's margin is the smallest over its checks.")

WIDTH_USED_NOTE = (
    "Width used: the smallest width m at which a recorded training run of this theorem on this "
    "data set showed the conclusion for every seed tried (envelope and kernel floor held along "
    "the whole run), read from the runs the checks recorded. An envelope check runs at one width "
    "(the m it records), so without a slack sweep (full mode) the width used is an upper bound "
    "on the width that suffices, not the result of a search; the slack sweep tries powers of two "
    "from small widths up. Threshold: the explicit width of the theorem that the check compared "
    "with, at the recorded α and δ. The widths figure draws these same numbers.")


def load_schema() -> dict:
    """The JSON Schema of ``results.json``."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate_document(doc: Mapping) -> str:
    """Validate ``doc`` against the results schema; returns what validated it.

    Raises
    ------
    jsonschema.ValidationError
        If ``doc`` does not match the schema (a bug: the report is then not written).
    """
    import jsonschema
    from importlib.metadata import version

    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(json.loads(json.dumps(doc)))
    return f"jsonschema {version('jsonschema')}, Draft 2020-12"


# ------------------------------------------------------------------------ pieces

def _dataset_rows(doc: Mapping) -> list[dict]:
    """The data sets with the constants verify recorded (λ_0, μ_0, λ_H, α*)."""
    rows = []
    for d in doc["data"]:
        c = d.get("constants") or {}
        split = c.get("split_disagreement")
        a = c.get("alpha_star")
        if split is None:
            note = ("α* undefined: λ_0 or μ_0 is not positive (see L1)" if not isinstance(a, float)
                    else "α* = 1: the split at 1 and the split at α* agree")
        elif isinstance(a, float) and a > 1:
            note = (f"for α in (1, {a:.3g}) the paper calls the run G-dominated, but λ_0/α² ≥ μ_0 "
                    "there: the V part gives the larger kernel bound")
        else:
            note = (f"for α in ({a:.3g}, 1) the paper calls the run V-dominated, but μ_0 > λ_0/α² "
                    "there: the G part gives the larger kernel bound")
        rows.append({"dataset": d["name"], "n": d["n"], "d": d["d"], "A1": d["A1"],
                     "lambda_0": c.get("lambda_0"), "mu_0": c.get("mu_0"),
                     "lambda_H": c.get("lambda_H"), "alpha_star": a,
                     "split_disagreement": split, "split_note": note})
    return rows


def _runs_of(details: Mapping) -> list[dict]:
    runs = details.get("runs")
    return [r for r in runs if isinstance(r, Mapping)] if isinstance(runs, list) else []


def _theorem_results(claim: Mapping) -> list[dict]:
    """The claim's results that recorded theorem runs (an envelope check or a slack sweep)."""
    out = []
    for r in claim["checks"]:
        det = r.get("details") or {}
        if "threshold" in det and ("width_used" in det or "observed_width" in det) and _runs_of(det):
            out.append(r)
    return out


def parameterization_rows(doc: Mapping) -> list[dict]:
    """The side-by-side comparison of the parameterizations (issue 15), one row per data set
    and parameterization, read from the recorded ``comparison`` of a check's details."""
    out = []
    for c in doc["claims"]:
        for r in c["checks"]:
            comp = (r.get("details") or {}).get("comparison")
            if not isinstance(comp, Mapping) or not isinstance(comp.get("rows"), list):
                continue
            st = comp.get("settings", {})
            for row in comp["rows"]:
                out.append({"dataset": r["details"].get("dataset", "?"), "parameterization": row.get("title"),
                            "lambda_min": row.get("lambda_min"), "lambda_min_limit": row.get("lambda_min_limit"),
                            "dominant_block": row.get("dominant_block"), "gd_steps": row.get("gd_steps"),
                            "gf_time": row.get("gf_time"), "width_needed": row.get("width_needed"),
                            "m": st.get("m"), "alpha": st.get("alpha"), "eps": st.get("eps"),
                            "check": r["check"]})
    return out


def width_rows(doc: Mapping) -> list[dict]:
    """One row per theorem variant and data set: threshold, width used and widths tried.

    The width used is the smallest width at which every recorded run of the variant on
    the data set held (see :data:`WIDTH_USED_NOTE`); read from the checks' details.
    """
    rows: dict[tuple, dict] = {}
    for c in doc["claims"]:
        for r in _theorem_results(c):
            det = r["details"]
            key = (c["id"], det.get("variant", c["id"]), det.get("dataset", "?"))
            row = rows.setdefault(key, {
                "claim": c["id"], "variant": key[1], "dataset": key[2], "alpha": det.get("alpha"),
                "delta": None, "threshold": None, "threshold_note": "", "tried": {},
                "sources": []})
            if det.get("threshold") is not None:
                row["threshold"] = det["threshold"]
                row["threshold_note"] = det.get("threshold_note", "")
            slack = "observed_width" in det
            row["sources"].append(("slack sweep " if slack else "envelope check ") + r["check"])
            for run in _runs_of(det):
                if row["delta"] is None and run.get("delta") is not None:
                    row["delta"] = run["delta"]
                m = run.get("m", det.get("m"))
                if m is None:
                    continue
                row["tried"].setdefault(int(m), []).append(run.get("held"))
            if row["delta"] is None and det.get("delta") is not None:
                row["delta"] = det["delta"]
    out = []
    for row in rows.values():
        held = sorted(m for m, hs in row["tried"].items() if hs and all(h is True for h in hs))
        row["width_used"] = held[0] if held else None
        row["widths_tried"] = [{"m": m, "held": all(h is True for h in hs),
                                "testable": all(h is not None for h in hs)}
                               for m, hs in sorted(row["tried"].items())]
        del row["tried"]
        out.append(row)
    return out


def _claim_extras(ver, doc: Mapping, theory: TheoryDoc) -> dict[str, dict]:
    """Per claim: theory section, derivations, checks skipped, levels attempted."""
    from ..outcomes import LEVEL_ORDER, Level
    from ..registry import checks_for, derivations_for

    out = {}
    corr = theory.corrections
    for o in ver.outcomes:
        cid = o.claim.id
        tried = {r.level for r in o.results}
        if derivations_for(cid):
            tried.add(Level.SYMBOLIC)
        if any(getattr(o, "property_counts", None) or {}):
            tried.add(Level.PROPERTY)
        sec = theory.sections.get(cid)
        statement_tex = getattr(o.claim, "statement_tex", "") or ""
        out[cid] = {
            "theory_anchor": f"theory-{cid}" if sec else None,
            "theory_slug": sec["slug"] if sec else None,
            # the claims table's typeset statement (text with $TeX$ math), else the theory's
            "statement_md": statement_tex or (sec or {}).get("statement", ""),
            "statement_source": ("claims table" if statement_tex else
                                 "theory document" if sec and sec.get("statement") else "claims table (plain)"),
            "corrections": [c["id"] for c in corr if cid in c["claims"]],
            "derivations": [d.name for d in derivations_for(cid)],
            "derivation_errors": [d for d in getattr(o, "derivations", []) if isinstance(d, str)],
            "skipped_checks": [c.name for c in checks_for(cid) if c.slow and ver.mode == "quick"],
            "levels_attempted": [lvl.value for lvl in LEVEL_ORDER if lvl in tried],
            "provenance_note": PROVENANCE.get(o.claim.provenance, o.claim.provenance),
        }
    return out


def _derivation_records(ver) -> list[dict]:
    """The derivations the verification ran, once each, in claim order."""
    seen: dict[str, dict] = {}
    for o in ver.outcomes:
        for res in getattr(o, "derivations", []):
            if not isinstance(res, str) and res.name not in seen:
                seen[res.name] = record(res)
    return list(seen.values())


def claim_figures(doc: Mapping, cid: str) -> list[dict]:
    """The figures of one claim (``report.figures.items`` whose claim is ``cid``)."""
    return [f for f in doc["report"]["figures"].get("items", []) if f.get("claim") == cid]


def build_document(ver, *, theory: TheoryDoc | None = None, command: str | None = None,
                   created: str | None = None, validation: str = "not validated") -> dict:
    """The results document: ``Verification.to_dict()`` plus the ``report`` section.

    Parameters
    ----------
    ver : wnproofs.verify.Verification
    theory : the theory document (default: :func:`~wnproofs.report.theory.load_theory`).
    command : the command line that produced the report.
    created : ISO time stamp (now, UTC, when None).
    validation : how ``results.json`` was validated (filled in by the writer).

    Returns
    -------
    dict
        JSON-ready; matches ``results.schema.json`` (see ``docs/REPORT.md``).  The figures
        and the PDF are added by the writer (``report.figures``, ``report.pdf``).
    """
    from ..registry import claims as all_claims

    theory = theory if theory is not None else load_theory()
    doc = jsonable(ver.to_dict())
    chosen = {o.claim.id for o in ver.outcomes}
    doc["report"] = jsonable({
        "version": REPORT_VERSION,
        "created": created or _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "command": command or "",
        "not_selected": [c.id for c in all_claims() if c.id not in chosen],
        "datasets": _dataset_rows(doc),
        "widths": width_rows(doc),
        "parameterizations": parameterization_rows(doc),
        "width_used_note": WIDTH_USED_NOTE,
        "claims": _claim_extras(ver, doc, theory),
        "derivations": _derivation_records(ver),
        "theory": theory.to_dict(),
        "legend": {"levels": dict(LEVELS), "statuses": dict(STATUS_MEANING),
                   "provenance": dict(PROVENANCE), "margin": MARGIN_NOTE},
        "figures": {"available": False, "message": "figures not drawn", "items": []},
        "pdf": {"available": False, "message": "not compiled"},
        "schema_validation": validation,
    })
    return doc


def cache_note(doc: Mapping) -> str | None:
    """One sentence on the derivations reused from the cache (None when none were)."""
    cache = doc.get("derivation_cache")
    if not cache or not (cache.get("reused") or cache.get("probe_results_reused")):
        return None
    k, run, probes = len(cache["reused"]), len(cache.get("derived", [])), cache.get("probe_results_reused", 0)
    return (f"{k} derivation result{'s' if k != 1 else ''} and {probes} theorem-check probe computation"
            f"{'s' if probes != 1 else ''} (fixed instances and seeds, no data) reused from the cache (key "
            f"{cache['key'][:12]}: the SHA-256 of the sources and library versions, unchanged since they "
            f"were computed), {run} derivations run now; --no-cache recomputes all.")


def sources_text(sources: Iterable[str]) -> str:
    """The checks a width row was read from, once each."""
    return ", ".join(dict.fromkeys(sources))


def fmt(x: Any, digits: int = 3) -> str:
    """A number for humans: 3 significant digits; strings ("inf", "n/a") pass through."""
    if x is None:
        return "n/a"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, str):
        return x
    if isinstance(x, int):
        return f"{x:,}".replace(",", " ") if abs(x) >= 10_000 else str(x)
    return f"{float(x):.{digits}g}"


def verdict(doc: Mapping) -> str:
    """One line: the verdict of the whole verification."""
    statuses = [c["status"] for c in doc["claims"]]
    if not doc["ok"]:
        return "FAILED: at least one claim fails"
    if "error" in statuses:
        return "a check crashed (error)"
    if "inconclusive" in statuses:
        return "no failure, but some claims are inconclusive"
    if "unchecked" in statuses:
        return "no failure; some claims are unchecked"
    return "every claim checked holds"


def counts(doc: Mapping) -> str:
    """'14 holds, 5 inconclusive'."""
    seen: dict[str, int] = {}
    for c in doc["claims"]:
        seen[c["status"]] = seen.get(c["status"], 0) + 1
    return ", ".join(f"{v} {k}" for k, v in seen.items())


def check_rows(claim: Mapping) -> list[dict]:
    """The claim's results with the data set each ran on (recorded in ``details``)."""
    return [dict(r, dataset=(r.get("details") or {}).get("dataset", "?")) for r in claim["checks"]]


def ordered_derivations(doc: Mapping, cid: str) -> Sequence[Mapping]:
    """The derivation records of one claim."""
    return [d for d in doc["report"]["derivations"] if cid in d["claims"]]
