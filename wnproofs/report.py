"""The verification report: what ``wnproofs verify --out DIR`` leaves behind.

One :class:`~wnproofs.verify.Verification` becomes one *results document* (a JSON-ready
dict, written as ``results.json`` and validated against ``results.schema.json``), and
every other file is rendered from that one document by a pure function:

=================  ==========================================================
``index.html``     :func:`render_html`, readable offline (no CDN, no network:
                   formulas are inline SVG drawn by matplotlib's mathtext)
``report.md``      :func:`render_markdown`
``appendix.tex``   :func:`render_appendix`, the derivations as a LaTeX appendix
``results.json``   :func:`build_document` (+ :func:`validate_document`)
``figures/``       :func:`wnproofs.plots.make_figures`, when that module exists
=================  ==========================================================

Pieces built by other modules are picked up through small adapters that import lazily
(:func:`derivation_reports`, :func:`figures_adapter`, :func:`required_width`); when a piece
is missing the report says so ("derivation report not available") instead of failing or
pretending.  :func:`write_report` writes everything into
:func:`wnproofs.io.atomic_directory`, so an interrupted build (Ctrl-C included) leaves no
half-written report behind.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import importlib
import importlib.util
import inspect
import io
import json
import math
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np

from .errors import InputError
from .io import atomic_directory
from . import theorems as _theorems

__all__ = [
    "SCHEMA_PATH",
    "MARKER",
    "WIDTH_USED_KEYS",
    "WIDTH_FUNCTIONS",
    "METHOD",
    "DEFAULT_DELTA",
    "REFERENCE_ALPHA",
    "PROVENANCE",
    "LEVELS",
    "DerivationReports",
    "Figures",
    "load_schema",
    "validate_document",
    "kernel_summary",
    "required_width",
    "derivation_reports",
    "figures_adapter",
    "build_document",
    "render_markdown",
    "render_html",
    "render_appendix",
    "tex_to_svg",
    "check_target",
    "write_report",
    "REPORT_STAGES",
]

#: The JSON Schema of ``results.json`` (installed with the package as ``wnproofs/*.json``).
SCHEMA_PATH = Path(__file__).with_name("results.schema.json")

#: A file that marks a folder as a wnproofs report; ``--out`` only replaces such folders.
MARKER = ".wnproofs-report"

#: The keys of ``CheckResult.details`` read as "the width that sufficed in practice", in
#: order of preference: ``width_used`` (an int any check may report), ``observed_width``
#: (the slack sweeps of checks/theorems.py, full mode: the smallest width at which the
#: conclusion held for every seed), ``m`` (the width a holding theorem check ran at, an
#: upper bound on the width that suffices; read only from results that also report the
#: explicit ``threshold`` they compared it with, so the width of an unrelated auxiliary
#: network is never taken for it).  Only holding checks of T1-T4 and C1 count.
WIDTH_USED_KEYS = ("width_used", "observed_width", "m")

#: δ used for the width formulas when no check reports ``details["delta"]`` (the default δ
#: of the theorem checks in checks/theorems.py).
DEFAULT_DELTA = 0.1

#: Gradient flow or descent, passed to the width functions that take ``method`` (read from
#: the theorem table; C1's row is Du et al.'s GD theorem, the variant the checks run).
METHOD = {cid: t.method for cid, t in _theorems.PRIMARY.items()}

#: α used for the width formulas when no check reports ``details["alpha"]``: one value
#: inside each theorem's regime (T1/T3 need α < 1, T2/T4 need α > 1; C1 has no α).
REFERENCE_ALPHA = {cid: t.alpha for cid, t in _theorems.PRIMARY.items()}

#: Which width function of :mod:`wnproofs.bounds` each theorem asks for.
WIDTH_FUNCTIONS = {cid: t.width_name for cid, t in _theorems.PRIMARY.items()}

#: The orders of magnitude in THEORY.md §8 (TeX, rendered to SVG in the HTML).
WIDTH_FORMULAS = {t.width_name: t.order_tex for t in _theorems.THEOREMS}

#: What each provenance value of :class:`wnproofs.registry.Claim` means, in the report.
PROVENANCE = {
    "paper": "Stated in Dukler, Gu & Montúfar (ICML 2020), as restated in THEORY.md. The "
             "paper's text is not in this repository; explicit constants are derived here.",
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

#: The levels of THEORY.md §9, strongest first, with what reaching them means.
LEVELS = {
    "symbolic": "a SymPy derivation of the claim is registered and proved (it reduces the "
                "identity to 0 or proves the inequality on symbols)",
    "certified": "interval arithmetic (Arb balls) encloses the number rigorously",
    "numeric": "high-precision mpmath agrees with float64 and the closed form on concrete "
               "instances",
    "property": "the claim's numeric and certified checks also held on random instances "
                "(n, d, seeds) of the property sweep, with no failure",
    "empirical": "a simulated training run exhibits the conclusion; the margin is the slack "
                 "bound ÷ observed",
}

STATUS_MEANING = {
    "holds": "every check held",
    "fails": "at least one check failed (the exit code is 1)",
    "inconclusive": "a check could not decide (an interval or Monte Carlo band straddles "
                    "the bound); never rounded up to holds",
    "hypothesis not met": "the instance does not satisfy the claim's hypotheses (e.g. A1); "
                          "not a failure",
    "unchecked": "no check of this claim ran (none registered yet, or all skipped)",
}


# ------------------------------------------------------------------------- JSON helpers

def _num(x: Any) -> float | str | None:
    """A JSON number, or "inf"/"-inf"/"nan" for non-finite values (as the registry does)."""
    if x is None:
        return None
    x = float(x)
    if math.isfinite(x):
        return x
    return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")


def _jsonable(obj: Any) -> Any:
    """Replace non-finite floats anywhere in ``obj`` by their string names."""
    if isinstance(obj, Mapping):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, float):
        return _num(obj)
    return obj


def load_schema() -> dict:
    """The JSON Schema of ``results.json`` (``wnproofs/results.schema.json``)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate_document(doc: Mapping) -> str:
    """Validate ``doc`` against the results schema.

    Returns
    -------
    str
        What validated it ("jsonschema 4.x, Draft 2020-12"), or why it was skipped
        (jsonschema is an optional dependency: ``pip install wnproofs[test]``).

    Raises
    ------
    jsonschema.ValidationError
        If ``doc`` does not match the schema (a bug: the report is then not written).
    """
    try:
        import jsonschema
    except ImportError:
        return "skipped: jsonschema is not installed"
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(json.loads(json.dumps(doc)))
    try:
        from importlib.metadata import version

        ver = version("jsonschema")
    except Exception:  # pragma: no cover - metadata missing
        ver = "?"
    return f"jsonschema {ver}, Draft 2020-12"


# ---------------------------------------------------------------------------- adapters

def kernel_summary(data) -> dict:
    """λ_0, μ_0, λ_H and α* of one data set (THEORY.md §4), in float64.

    Parameters
    ----------
    data : wnproofs.data.Dataset

    Returns
    -------
    dict
        ``dataset, n, d, A1, lambda_0, mu_0, lambda_H, alpha_star`` and
        ``split_disagreement``: the α interval on which the paper's split at α = 1 and the
        split at α* name different regimes (THEORY.md §8), or a sentence saying why none.
    """
    from .kernels import lambda_0, lambda_H, mu_0

    X = data.X
    lam, mu, lh = float(lambda_0(X)), float(mu_0(X)), float(lambda_H(X))
    if lam > 0 and mu > 0:
        a_star = math.sqrt(lam / mu)
        lo, hi = sorted((1.0, a_star))
        if a_star > 1:
            note = (f"for α in (1, {a_star:.3g}) the paper calls the run G-dominated, but "
                    f"λ_0/α² ≥ μ_0 there: the V part gives the larger kernel bound")
        elif a_star < 1:
            note = (f"for α in ({a_star:.3g}, 1) the paper calls the run V-dominated, but "
                    f"μ_0 > λ_0/α² there: the G part gives the larger kernel bound")
        else:
            note = "α* = 1: the two splits agree"
        interval = [lo, hi]
    else:
        a_star, interval = float("nan"), None
        note = "α* undefined: λ_0 or μ_0 is not positive in float64 (see L1)"
    return {"dataset": data.name, "n": data.n, "d": data.d, "A1": bool(data.satisfies_A1),
            "lambda_0": _num(lam), "mu_0": _num(mu), "lambda_H": _num(lh),
            "alpha_star": _num(a_star), "split_disagreement": interval,
            "split_note": note}


_PARAM_ALIASES = {
    "n": "n", "d": "d", "delta": "delta", "lambda_0": "lambda_0", "lambda0": "lambda_0",
    "lam": "lambda_0", "lam0": "lambda_0", "mu_0": "mu_0", "mu0": "mu_0", "mu": "mu_0",
    "lambda_H": "lambda_H", "lambda_h": "lambda_H", "lam_H": "lambda_H", "alpha": "alpha",
    "y_max": "y_max", "method": "method",
}


def required_width(func_name: str, values: Mapping[str, float]) -> tuple[float | str | None, str]:
    """The width a theorem asks for, from :mod:`wnproofs.bounds` if it provides it.

    The function ``bounds.<func_name>`` is called with the parameters its signature names
    (n, d, delta, lambda_0, mu_0, lambda_H, alpha, y_max, method and common aliases);
    parameters with defaults that are not known here keep their defaults.

    Returns
    -------
    (value, note)
        ``value`` is a float, "inf", or None when not available; ``note`` says where the
        number came from or why there is none.
    """
    try:
        bounds = importlib.import_module("wnproofs.bounds")
    except ImportError as exc:
        return None, f"n/a: wnproofs.bounds not importable ({exc})"
    fn = getattr(bounds, func_name, None)
    if not callable(fn):
        return None, f"n/a: bounds.{func_name} not available yet"
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return None, f"n/a: cannot read the signature of bounds.{func_name}"
    kwargs, missing = {}, []
    for name, par in sig.parameters.items():
        if par.kind in (par.VAR_POSITIONAL, par.VAR_KEYWORD):
            continue
        key = _PARAM_ALIASES.get(name)
        if key is not None and values.get(key) is not None:
            kwargs[name] = values[key]
        elif par.default is par.empty:
            missing.append(name)
    if missing:
        return None, f"n/a: bounds.{func_name} needs {', '.join(missing)}, unknown here"
    try:
        val = float(fn(**kwargs))
    except Exception as exc:
        return None, f"n/a: bounds.{func_name} raised {type(exc).__name__}: {exc}"
    args = ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in kwargs.items())
    return _num(val), f"bounds.{func_name}({args})"


@dataclass(frozen=True)
class DerivationReports:
    """The SymPy derivation reports found (``derivations/reports/*.md`` and ``*.tex``)."""

    available: bool
    source: str
    message: str
    markdown: Mapping[str, str] = field(default_factory=dict)
    tex: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"available": self.available, "source": self.source, "message": self.message,
                "markdown": sorted(self.markdown), "tex": sorted(self.tex)}


def _reports_dir_from_derive() -> Path | None:
    """The reports folder as :mod:`wnproofs.derive` names it, if it exists and names one."""
    try:
        derive = importlib.import_module("wnproofs.derive")
    except ImportError:
        return None
    for attr in ("default_report_dir", "reports_dir", "REPORTS_DIR"):
        obj = getattr(derive, attr, None)
        try:
            obj = obj() if callable(obj) else obj
        except Exception:
            continue
        if obj:
            return Path(obj)
    return None


def _reports_dir_from_package() -> Path | None:
    """``wnproofs.derivations/reports`` (installed package data) or ``derivations/reports``."""
    try:
        from .registry import import_plugin_package

        pkg = import_plugin_package("wnproofs.derivations")
    except Exception:
        return None
    for p in getattr(pkg, "__path__", []):
        cand = Path(p) / "reports"
        if cand.is_dir():
            return cand
    return None


def derivation_reports(reports_dir: Path | None = None) -> DerivationReports:
    """Collect the derivation reports, or say that there are none.

    Parameters
    ----------
    reports_dir : where to look; by default the folder :mod:`wnproofs.derive` names
        (``default_report_dir()``), else the installed ``derivations/reports``.

    Notes
    -----
    The reports are read, not regenerated (``wnproofs derive`` writes them; running SymPy
    here would make ``verify --quick`` slow).  A stale report is possible: the report
    shows the folder it read.
    """
    src = reports_dir or _reports_dir_from_derive() or _reports_dir_from_package()
    has_derive = importlib.util.find_spec("wnproofs.derive") is not None
    if src is None or not Path(src).is_dir():
        return DerivationReports(False, "", "derivation report not available: no reports "
                                 "folder found" + ("" if has_derive else
                                                   " (wnproofs.derive is not installed yet)"))
    src = Path(src)
    md = {p.name: p.read_text(encoding="utf-8") for p in sorted(src.glob("*.md"))}
    tex = {p.name: p.read_text(encoding="utf-8") for p in sorted(src.glob("*.tex"))}
    if not md and not tex:
        hint = "" if has_derive else "; wnproofs.derive is not installed yet"
        return DerivationReports(False, str(src), f"derivation report not available: {src} "
                                 f"holds no *.md or *.tex{hint}")
    return DerivationReports(True, str(src), f"{len(md)} Markdown and {len(tex)} LaTeX "
                             f"report(s) from {src}", md, tex)


@dataclass(frozen=True)
class Figures:
    """The figures of the report, as paths relative to the report folder."""

    available: bool
    message: str
    files: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"available": self.available, "message": self.message, "files": list(self.files)}


def figures_adapter(outdir: Path, data, seed: int, quick: bool) -> Figures:
    """Draw the figures with ``wnproofs.plots.make_figures`` if that module exists.

    Parameters
    ----------
    outdir : the report folder; figures go to ``outdir/figures``.
    data : the data set the training dynamics run on (the user's, or the built-in sphere).
    seed, quick : passed through.

    Returns
    -------
    Figures
        ``available`` False with the reason when the module is missing or fails; a failure
        is reported in the report, not hidden, and does not stop the report.
    """
    try:
        plots = importlib.import_module("wnproofs.plots")
    except ImportError as exc:
        if getattr(exc, "name", None) not in ("wnproofs.plots", None):
            return Figures(False, f"figures not available: importing wnproofs.plots failed ({exc})")
        return Figures(False, "figures not available: wnproofs.plots is not installed yet")
    make = getattr(plots, "make_figures", None)
    if not callable(make):
        return Figures(False, "figures not available: wnproofs.plots has no make_figures")
    figdir = Path(outdir) / "figures"
    figdir.mkdir(parents=True, exist_ok=True)
    try:
        paths = list(make(figdir, data, seed, quick=quick) or [])
    except Exception as exc:
        return Figures(False, f"figures failed: make_figures raised {type(exc).__name__}: {exc}")
    rel = []
    for p in paths:
        p = Path(p)
        if not p.is_absolute() and not p.exists():
            p = figdir / p
        if not p.is_file():
            return Figures(False, f"figures failed: make_figures returned {p}, which is not a file")
        try:
            r = p.resolve().relative_to(Path(outdir).resolve())
        except ValueError:  # written elsewhere: copy it in, the report must be self-contained
            shutil.copy2(p, figdir / p.name)
            r = Path("figures") / p.name
        rel.append(r.as_posix())
    return Figures(True, f"{len(rel)} figure(s) from wnproofs.plots.make_figures", tuple(rel))


# ------------------------------------------------------------------------ the document

def _dataset_of(outcome, instances: Sequence) -> list[str | None]:
    """The data-set name of each result of ``outcome``.

    :func:`wnproofs.verify.run_verification` runs each check on the instances in order and
    then appends the failures of its property sweep: the i-th result of a check is on
    instance i, and any further one is on a random instance.
    """
    names = [inst.data.name for inst in instances]
    seen: dict[str, int] = {}
    out: list[str | None] = []
    for r in outcome.results:
        i = seen.get(r.check, 0)
        seen[r.check] = i + 1
        out.append(names[i] if i < len(names) else "random instance")
    return out


def _claim_extras(ver) -> dict[str, dict]:
    """Per claim: the derivations registered, checks skipped, data set of each result."""
    from .outcomes import LEVEL_ORDER, Level
    from .registry import checks_for, derivations_for

    out = {}
    for o in ver.outcomes:
        cid = o.claim.id
        skipped = [c.name for c in checks_for(cid) if c.slow and ver.mode == "quick"]
        tried = {r.level for r in o.results}
        if derivations_for(cid):
            tried.add(Level.SYMBOLIC)
        if any(getattr(o, "property_counts", None) or {}):
            tried.add(Level.PROPERTY)
        attempted = [lvl.value for lvl in LEVEL_ORDER if lvl in tried]
        out[cid] = {
            "derivations": [d.name for d in derivations_for(cid)],
            "skipped_checks": skipped,
            "levels_attempted": attempted,
            "datasets": _dataset_of(o, ver.instances),
            "provenance_note": PROVENANCE.get(o.claim.provenance, o.claim.provenance),
        }
    return out


def _finite_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _width_used(results) -> tuple[int | None, str]:
    """The smallest width that sufficed among holding results, and the key it came from."""
    for key in WIDTH_USED_KEYS:
        used = [int(r.details[key]) for r in results if r.status.value == "holds"
                and _finite_number(r.details.get(key))
                and (key != "m" or "threshold" in r.details)]
        if used:
            return min(used), f"smallest details['{key}'] among holding checks"
    return None, ("n/a: no holding check reports " + " or ".join(f"details['{k}']" for k in WIDTH_USED_KEYS))


def _check_threshold(results) -> float | None:
    """The explicit width a theorem check compared its width with (``details['threshold']``)."""
    thr = [float(r.details["threshold"]) for r in results if _finite_number(r.details.get("threshold"))]
    return max(thr) if thr else None


def _widths(ver, kernels: Sequence[Mapping]) -> list[dict]:
    """Widths each theorem asks for, against the width that sufficed in practice."""
    rows = []
    kern = {k["dataset"]: k for k in kernels}
    for o in ver.outcomes:
        cid = o.claim.id
        fname = WIDTH_FUNCTIONS.get(cid)
        if fname is None:
            continue
        names = _dataset_of(o, ver.instances)
        for inst in ver.instances:
            ds = inst.data.name
            res = [r for r, nm in zip(o.results, names) if nm == ds]
            deltas = [r.details.get("delta") for r in res if r.details.get("delta") is not None]
            alphas = [r.details.get("alpha") for r in res if r.details.get("alpha") is not None]
            delta = float(deltas[0]) if deltas else DEFAULT_DELTA
            alpha = float(alphas[0]) if alphas else REFERENCE_ALPHA[cid]
            k = kern[ds]
            vals = {"n": inst.data.n, "d": inst.data.d, "delta": delta, "alpha": alpha,
                    "y_max": float(np.max(np.abs(inst.data.y))) if inst.data.n else 0.0,
                    "method": METHOD[cid]}
            for key in ("lambda_0", "mu_0", "lambda_H"):
                v = k[key]
                vals[key] = v if isinstance(v, float) else None
            req, note = required_width(fname, vals)
            used, used_note = _width_used(res)
            thr = _check_threshold(res)
            rows.append({
                "claim": cid, "dataset": ds, "function": fname,
                "delta": delta, "delta_source": "check" if deltas else "default",
                "alpha": alpha, "alpha_source": "check" if alphas else "reference",
                "required": req, "required_note": note, "check_threshold": thr,
                "width_used": used, "width_used_note": used_note,
            })
    return rows


def build_document(ver, *, kernels: Sequence[Mapping] | None = None,
                   derivations: DerivationReports | None = None,
                   figures: Figures | None = None, command: str | None = None,
                   created: str | None = None, validation: str = "not validated") -> dict:
    """The results document: ``Verification.to_dict()`` plus the ``report`` section.

    Parameters
    ----------
    ver : wnproofs.verify.Verification
    kernels : :func:`kernel_summary` of each data set (computed when None).
    derivations, figures : from the adapters (reported "not available" when None).
    command : the command line that produced the report.
    created : ISO time stamp (now, UTC, when None).
    validation : how ``results.json`` was validated (filled in by :func:`write_report`).

    Returns
    -------
    dict
        JSON-ready; matches ``results.schema.json`` (see ``docs/REPORT.md``).
    """
    from .registry import claims as all_claims

    doc = _jsonable(ver.to_dict())
    kernels = list(kernels) if kernels is not None else [kernel_summary(i.data) for i in ver.instances]
    derivations = derivations or DerivationReports(False, "", "derivation report not available")
    figures = figures or Figures(False, "figures not available")
    chosen = {o.claim.id for o in ver.outcomes}
    doc["report"] = _jsonable({
        "created": created or _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "command": command or "",
        "width_used_keys": list(WIDTH_USED_KEYS),
        "not_selected": [c.id for c in all_claims() if c.id not in chosen],
        "kernels": list(kernels),
        "widths": _widths(ver, kernels),
        "claims": _claim_extras(ver),
        "provenance": dict(PROVENANCE),
        "levels": dict(LEVELS),
        "derivations": derivations.to_dict(),
        "figures": figures.to_dict(),
        "schema_validation": validation,
    })
    return doc


# ------------------------------------------------------------------------- formatting

def _fmt(x: Any, digits: int = 3) -> str:
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


def _counts(doc: Mapping) -> str:
    counts: dict[str, int] = {}
    for c in doc["claims"]:
        counts[c["status"]] = counts.get(c["status"], 0) + 1
    return ", ".join(f"{v} {k}" for k, v in counts.items())


def _verdict(doc: Mapping) -> str:
    if not doc["ok"]:
        return "FAILED: at least one claim fails"
    if any(c["status"] == "inconclusive" for c in doc["claims"]):
        return "no failure, but some claims are inconclusive"
    if any(c["status"] == "unchecked" for c in doc["claims"]):
        return "no failure; some claims are unchecked"
    return "every claim checked holds"


def _sweep_text(counts: Mapping[str, int]) -> str:
    """"4 results: 3 holds, 1 inconclusive" from the property sweep's counts."""
    total = sum(counts.values())
    return f"{total} results: " + ", ".join(f"{v} {k}" for k, v in counts.items() if v)


def _check_rows(doc: Mapping, claim: Mapping) -> list[list[str]]:
    extra = doc["report"]["claims"].get(claim["id"], {})
    names = extra.get("datasets", [])
    rows = []
    for i, r in enumerate(claim["checks"]):
        ds = names[i] if i < len(names) and names[i] else "?"
        rows.append([r["check"], ds, r["level"], r["kind"], r["status"], _fmt(r["observed"]),
                     _fmt(r["bound"]), _fmt(r["margin"]), r["message"]])
    return rows


CHECK_HEADER = ["check", "data", "level", "kind", "status", "observed", "bound", "margin",
                "message"]


# ---------------------------------------------------------------------------- Markdown

def _md_cell(s: Any) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def _md_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(_md_cell(h) for h in header) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def _ordered(files: Mapping[str, str] | None) -> list[tuple[str, str]]:
    """Derivation reports in reading order: ``index.md`` first, then by name."""
    return sorted((files or {}).items(), key=lambda kv: (kv[0] != "index.md", kv[0]))


def _shift_headings(md: str, by: int) -> str:
    out, fence = [], False
    for line in md.splitlines():
        if line.lstrip().startswith("```"):
            fence = not fence
        if not fence and re.match(r"#{1,6} ", line):
            line = "#" * by + line
        out.append(line)
    return "\n".join(out)


def _summary_rows(doc: Mapping) -> tuple[list, list, list]:
    rep = doc["report"]
    claims = [[c["id"], c["title"], c["status"], ", ".join(c["levels"]) or "none",
               _fmt(c["margin"]), c["provenance"]] for c in doc["claims"]]
    data = [[k["dataset"], k["n"], k["d"], _fmt(k["A1"]), _fmt(k["lambda_0"]), _fmt(k["mu_0"]),
             _fmt(k["alpha_star"]), _fmt(k["lambda_H"])] for k in rep["kernels"]]
    widths = [[w["claim"], w["dataset"], w["function"],
               f"{_fmt(w['alpha'])} ({w['alpha_source']})", f"{_fmt(w['delta'])} ({w['delta_source']})",
               _fmt(w["required"]) if w["required"] is not None else w["required_note"],
               _fmt(w["check_threshold"]),
               _fmt(w["width_used"]) if w["width_used"] is not None else "n/a"]
              for w in rep["widths"]]
    return claims, data, widths


WIDTH_NOTE_MD = (
    "*Width asked for* is the explicit width of `wnproofs.bounds` (m_V for T1/T3, m_G for "
    "T2/T4, m_du for C1) at the α and δ the checks report (`check`), else at a reference α "
    "inside the regime and the default δ; the exact call is listed below. *Threshold in the "
    "check* is the width the theorem check itself compared with (`details['threshold']`). "
    "*Width used* is the smallest width among the holding checks of the claim on that data "
    "set, read from `details[...]` under the first of {keys} that they report "
    "(`m` only beside a `threshold`).")

CLAIMS_HEADER = ["id", "claim", "status", "levels reached", "margin", "provenance"]
DATA_HEADER = ["data set", "n", "d", "A1", "λ_0", "μ_0", "α*", "λ_H"]
WIDTH_HEADER = ["claim", "data set", "bound", "α", "δ", "width asked for", "threshold in the check",
                "width used"]


def render_markdown(doc: Mapping, derivations_md: Mapping[str, str] | None = None) -> str:
    """``report.md``: the whole report as GitHub-flavoured Markdown.

    Parameters
    ----------
    doc : the results document of :func:`build_document`.
    derivations_md : file name → Markdown of ``derivations/reports/*.md``, inlined in the
        Derivations section (headings shifted down two levels).
    """
    rep = doc["report"]
    claims, data, widths = _summary_rows(doc)
    v = doc["versions"]
    out = [
        "# wnproofs verification report",
        "",
        "Dukler, Gu & Montúfar, *Optimization Theory for ReLU Neural Networks Trained with "
        "Normalization Layers*, ICML 2020 (arXiv:2006.06878), claim by claim.",
        "",
        f"**Verdict: {_verdict(doc)}** ({_counts(doc)}).  ",
        f"Seed {doc['seed']}, {doc['mode']} mode, {doc['seconds']:.1f} s; created {rep['created']}.  ",
        "Versions: " + ", ".join(f"{k} {val}" for k, val in v.items()) + ".",
    ]
    if rep["command"]:
        out += ["", f"Reproduce: `{rep['command']}`"]
    out += ["", "## Summary", "", _md_table(CLAIMS_HEADER, claims)]
    if rep["not_selected"]:
        out += ["", "Not run in this report (not selected with `--claims`): "
                + ", ".join(rep["not_selected"]) + "."]
    out += ["", "### Data sets", "", _md_table(DATA_HEADER, data), ""]
    out += [f"- {k['dataset']}: {k['split_note']}." for k in rep["kernels"]]
    out += ["", "### Widths: asked for by the theorems, used in practice", ""]
    if widths:
        keys = ", ".join(f"`{k}`" for k in rep["width_used_keys"])
        out += [_md_table(WIDTH_HEADER, widths), "", WIDTH_NOTE_MD.format(keys=keys), ""]
        out += [f"- {w['claim']} on {w['dataset']}: `{w['required_note']}`" for w in rep["widths"]]
        out += [""] + [f"- ${WIDTH_FORMULAS[f]}$"
                       for f in dict.fromkeys(w["function"] for w in rep["widths"])]
    else:
        out += ["No theorem (T1-T4, C1) in this report."]
    out += ["", "## Claims"]
    for c in doc["claims"]:
        ex = rep["claims"].get(c["id"], {})
        out += ["", f"### {c['id']}: {c['title']}  ({c['section']})", "",
                f"**Statement.** {c['statement']}", ""]
        out += [f"**Hypotheses.** {'; '.join(c['hypotheses']) or 'none beyond §0'}", ""]
        out += [f"**Provenance: {c['provenance']}.** {ex.get('provenance_note', '')}"]
        if c["notes"]:
            out += ["", f"*Note.* {c['notes']}"]
        out += ["", f"**Status: {c['status']}**, margin {_fmt(c['margin'])}; levels reached: "
                    f"{', '.join(c['levels']) or 'none'}; attempted: "
                    f"{', '.join(ex.get('levels_attempted', [])) or 'none'}."]
        if c.get("property_instances"):
            out += ["", "Property sweep on random instances: " + _sweep_text(c["property_instances"]) + "."]
        if ex.get("derivations"):
            out += ["", "Derivations: " + ", ".join(f"`{d}`" for d in ex["derivations"]) + "."]
        if ex.get("skipped_checks"):
            out += ["", "Skipped in quick mode (slow): " + ", ".join(f"`{s}`" for s in ex["skipped_checks"]) + "."]
        if c["checks"]:
            out += ["", _md_table(CHECK_HEADER, _check_rows(doc, c))]
        else:
            out += ["", "No check ran for this claim."]
    out += ["", "## Figures", ""]
    figs = rep["figures"]
    if figs["available"]:
        out += [f"![{Path(f).stem}]({f})" for f in figs["files"]]
    else:
        out += [figs["message"] + "."]
    out += ["", "## Derivations", ""]
    der = rep["derivations"]
    out += [der["message"] + "."]
    for name, text in _ordered(derivations_md):
        text = re.sub(r"\]\(([\w.-]+\.(?:md|tex))\)", r"](derivations/\1)", text.strip())
        out += ["", f"### {name}", "", _shift_headings(text, 2)]
    out += ["", "## How to read this report", ""]
    out += [f"- **{k}**: {val}." for k, val in LEVELS.items()]
    out += [""] + [f"- status *{k}*: {val}." for k, val in STATUS_MEANING.items()]
    out += ["", "Margin: bound ÷ observed (lower bounds: observed ÷ bound); > 1 means the claim "
            "holds with room to spare, and for empirical checks it is the slack of the bound. "
            "A claim's margin is the smallest over its checks.", ""]
    return "\n".join(out)


# -------------------------------------------------------------------------------- TeX

_TEX_CHARS = {
    "σ": r"\sigma", "θ": r"\theta", "λ": r"\lambda", "μ": r"\mu", "α": r"\alpha",
    "η": r"\eta", "δ": r"\delta", "κ": r"\kappa", "ρ": r"\rho", "π": r"\pi", "∂": r"\partial",
    "∇": r"\nabla", "⟨": r"\langle ", "⟩": r"\rangle ", "≤": r"\le ", "≥": r"\ge ",
    "≠": r"\neq ", "±": r"\pm ", "√": r"\surd ", "²": r"^{2}", "³": r"^{3}", "⁴": r"^{4}",
    "⁶": r"^{6}", "ᵀ": r"^{\top}", "∘": r"\circ ", "∞": r"\infty ", "Σ": r"\Sigma ",
    "Ω": r"\Omega ", "→": r"\to ", "∈": r"\in ", "÷": r"\div ", "−": "-", "×": r"\times ",
    "∑": r"\sum ", "Λ": r"\Lambda ", "φ": r"\varphi ", "∀": r"\forall ",
}
_TEX_TEXT = {"–": "--", "—": "---", "é": r"\'e", "ó": r"\'o", "ú": r"\'u", "ü": r'\"u',
             "’": "'", "“": "``", "”": "''", "…": r"\ldots{}"}
_TEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                "^": r"\textasciicircum{}"}


def _tex(s: Any) -> str:
    """Plain (Unicode) text as LaTeX: specials escaped, Greek and math symbols in math mode."""
    out = []
    for ch in str(s):
        if ch in _TEX_SPECIAL:
            out.append(_TEX_SPECIAL[ch])
        elif ch in _TEX_CHARS:
            out.append(f"\\ensuremath{{{_TEX_CHARS[ch].strip()}}}")
        elif ch in _TEX_TEXT:
            out.append(_TEX_TEXT[ch])
        elif ord(ch) < 128:
            out.append(ch)
        else:  # left as is: fine under xelatex/lualatex (see render_appendix's header)
            out.append(ch)
    return "".join(out)


_DEMOTE = {"section": "subsection", "subsection": "subsubsection", "subsubsection": "paragraph"}


def _tex_body(text: str) -> str:
    """The body of a LaTeX file, sectioning demoted one level to sit under the appendix.

    A whole document is cut to what lies between ``\\begin{document}`` and
    ``\\end{document}``.
    """
    m = re.search(r"\\begin\{document\}(.*?)\\end\{document\}", text, re.S)
    body = (m.group(1) if m else text).strip()
    return re.sub(r"\\(subsubsection|subsection|section)(\*?)\{",
                  lambda mm: f"\\{_DEMOTE[mm.group(1)]}{mm.group(2)}{{", body)


def render_appendix(doc: Mapping, tex_reports: Mapping[str, str] | None = None) -> str:
    """``appendix.tex``: the derivations as a LaTeX appendix (a fragment for ``\\input``).

    Parameters
    ----------
    doc : the results document.
    tex_reports : file name → contents of ``derivations/reports/*.tex`` (see
        :func:`derivation_reports`); a whole document is cut to its body.  When empty, the
        appendix is a stub that says the derivation report is not available.

    Notes
    -----
    Needs ``amsmath`` (and whatever the derivation reports themselves use).  The claim
    table is pure ASCII LaTeX, so it compiles with pdflatex.
    """
    rep = doc["report"]
    out = [
        "% appendix.tex: written by wnproofs (" + _tex(rep["command"] or "wnproofs verify --out") + ")",
        f"% seed {doc['seed']}, {doc['mode']} mode, created {rep['created']}; "
        "needs \\usepackage{amsmath}.  Use with \\appendix \\input{appendix}.",
        "\\section{Derivations and their verification}",
        "\\label{app:wnproofs}",
        "",
        "Claims of Dukler, Gu \\& Mont\\'ufar (ICML 2020) as restated in the toolkit's "
        "THEORY.md, with the status and the strongest verification level reached "
        f"(seed {doc['seed']}, {doc['mode']} mode, wnproofs {_tex(doc['versions'].get('wnproofs', '?'))}).",
        "",
        "\\begin{tabular}{lllll}",
        "id & claim & status & levels & provenance \\\\ \\hline",
    ]
    for c in doc["claims"]:
        out.append(f"{_tex(c['id'])} & {_tex(c['title'])} & {_tex(c['status'])} & "
                   f"{_tex(', '.join(c['levels']) or 'none')} & {_tex(c['provenance'])} \\\\")
    out += ["\\end{tabular}", ""]
    for c in doc["claims"]:
        if c["provenance"] in ("restated", "reconstructed"):
            out += [f"\\paragraph{{Provenance of {_tex(c['id'])}.}} "
                    + _tex(PROVENANCE[c["provenance"]]) + (" " + _tex(c["notes"]) if c["notes"] else ""), ""]
    tex_reports = dict(tex_reports or {})
    if not tex_reports:
        out += ["\\subsection*{Derivations}",
                "\\emph{Derivation report not available: " + _tex(rep["derivations"]["message"])
                + ".}", ""]
    for name, text in sorted(tex_reports.items()):
        out += [f"% ---- derivations/reports/{name} " + "-" * 30, _tex_body(text), ""]
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------------- HTML

_MATHTEXT_FIXES = (
    (re.compile(r"\\(?:big|Big|bigg|Bigg)[lrm]?(?![A-Za-z])\s*"), ""),  # sizes: mathtext has none
    (re.compile(r"\\[td]frac(?![A-Za-z])"), r"\\frac"),
    (re.compile(r"\\[lr]Vert(?![A-Za-z])"), r"\\Vert"),
    (re.compile(r"\\[lr]vert(?![A-Za-z])"), "|"),
    (re.compile(r"\\(le|ge|ne)(?![A-Za-z])"), r"\\\1q"),  # \\le → \\leq
)

#: Commands whose arguments mathtext wants in braces (TeX also takes a single token).
_ARITY = {"frac": 2, "binom": 2, "sqrt": 1, "mathbb": 1, "mathrm": 1, "mathcal": 1,
          "mathbf": 1, "mathit": 1, "mathsf": 1, "boldsymbol": 1, "operatorname": 1}


def _token(tex: str, i: int) -> tuple[str, int, bool]:
    """The TeX token at ``tex[i:]`` (after spaces): (text, end, is_group)."""
    while i < len(tex) and tex[i] == " ":
        i += 1
    if i >= len(tex):
        return "", i, False
    if tex[i] == "{":
        depth, j = 0, i
        while j < len(tex):
            depth += {"{": 1, "}": -1}.get(tex[j], 0) if tex[j - 1:j] != "\\" or j == i else 0
            j += 1
            if depth == 0:
                break
        return tex[i + 1:j - 1], j, True
    if tex[i] == "\\":
        m = re.match(r"\\([A-Za-z]+|.)", tex[i:])
        return m.group(0), i + len(m.group(0)), False
    return tex[i], i + 1, False


def _brace_args(tex: str) -> str:
    """``\\frac12`` → ``\\frac{1}{2}``, ``\\mathbb E`` → ``\\mathbb{E}``: mathtext needs braces."""
    out, i = [], 0
    while i < len(tex):
        m = re.match(r"\\([A-Za-z]+)", tex[i:])
        if not m:
            out.append(tex[i])
            i += 1
            continue
        name = m.group(1)
        i += len(m.group(0))
        out.append("\\" + name)
        n_args = _ARITY.get(name, 0)
        if name == "sqrt" and tex[i:i + 1] == "[":
            n_args = 0  # \\sqrt[n]{x}: leave as written
        for _ in range(n_args):
            arg, j, _group = _token(tex, i)
            if not arg and j >= len(tex):
                break
            out.append("{" + _brace_args(arg) + "}")
            i = j
    return "".join(out)


def _for_mathtext(tex: str) -> str:
    """Rewrite the TeX that mathtext does not parse but means the same (``\\Big|``,
    ``\\tfrac``, ``\\lVert``, ``\\sqrt m``, ``\\frac12``, ``\\mathbb E``)."""
    for pat, rep in _MATHTEXT_FIXES:
        tex = pat.sub(rep, tex)
    return _brace_args(tex)


def tex_to_svg(tex: str, fontsize: float = 15.0) -> str | None:
    """Render a TeX formula with matplotlib's mathtext as a standalone SVG string.

    No network and no TeX installation are needed (glyphs become SVG paths).

    Returns
    -------
    str or None
        The SVG document, or None when mathtext cannot parse ``tex``.
    """
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.mathtext import MathTextParser

    s = f"${_for_mathtext(tex.strip())}$"
    prop = FontProperties(size=fontsize)
    try:
        with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "wnproofs",
                                    "mathtext.fontset": "cm"}):
            w, h, depth, _, _ = MathTextParser("path").parse(s, dpi=72, prop=prop)
            fig = Figure(figsize=(w / 72.0, h / 72.0))
            fig.text(0, depth / h if h else 0, s, fontproperties=prop)
            buf = io.StringIO()
            fig.savefig(buf, format="svg", transparent=True, metadata={"Date": None})
    except (ValueError, RuntimeError):
        return None
    return buf.getvalue()


def _math_html(tex: str, display: bool = False) -> str:
    """A formula as an inline SVG image (data URI), or its TeX source when mathtext fails."""
    svg = tex_to_svg(tex)
    if svg is None:
        return f'<code class="tex">{html.escape(tex)}</code>'
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    cls = "math display" if display else "math"
    return (f'<img class="{cls}" alt="{html.escape(tex, quote=True)}" '
            f'src="data:image/svg+xml;base64,{data}">')


def _link(label: str, href: str) -> str:
    """A Markdown link as HTML: sibling ``*.md`` reports become in-page anchors."""
    if re.match(r"^[\w.-]+\.md$", href):
        href = f"#deriv-{href}"
    elif re.match(r"^[\w.-]+\.tex$", href):
        href = f"derivations/{href}"
    return f'<a href="{html.escape(href, quote=True)}">{label}</a>'


def _inline_md(text: str) -> str:
    """Inline Markdown (code, $math$, links, **bold**, *italic*) as HTML."""
    parts = re.split(r"(``[^`]+``|`[^`]+`|\$[^$\n]+\$)", text)
    out = []
    for p in parts:
        if p.startswith("`") and p.endswith("`") and len(p) > 1:
            out.append(f"<code>{html.escape(p.strip('`'))}</code>")
        elif p.startswith("$") and p.endswith("$") and len(p) > 2:
            out.append(_math_html(p[1:-1]))
        else:
            t = html.escape(p, quote=False)
            t = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", lambda m: _link(m.group(1), m.group(2)), t)
            t = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", t)
            t = re.sub(r"(?<![\w*])\*(?![\s*])(.+?)(?<![\s*])\*(?![\w*])", r"<em>\1</em>", t)
            out.append(t)
    return "".join(out)


def _md_table_html(rows: Sequence[str]) -> str:
    """A GitHub Markdown table (header, ``|---|`` rule, body) as HTML."""
    cells = [[c.strip() for c in r.strip().strip("|").split("|")] for r in rows]
    body = [r for r in cells[1:] if not all(re.fullmatch(r":?-+:?", c) for c in r)]
    head = "".join(f"<th>{_inline_md(c)}</th>" for c in cells[0])
    trs = "".join("<tr>" + "".join(f"<td>{_inline_md(c)}</td>" for c in r) + "</tr>" for r in body)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{trs}</tbody></table>"


def _md_to_html(md: str, shift: int = 2) -> str:
    """A small Markdown subset (headings, paragraphs, lists, fences, $$math$$) as HTML."""
    out: list[str] = []
    para: list[str] = []
    lines = md.splitlines()
    i = 0

    def flush() -> None:
        if para:
            out.append("<p>" + _inline_md(" ".join(para)) + "</p>")
            para.clear()

    while i < len(lines):
        line = lines[i]
        s = line.strip()
        if s.startswith("```"):
            flush()
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith("```"):
                j += 1
            out.append("<pre><code>" + html.escape("\n".join(lines[i + 1:j])) + "</code></pre>")
            i = j + 1
            continue
        if s.startswith("$$"):
            flush()
            body = s[2:]
            j = i
            while not (body.rstrip().endswith("$$") and (j > i or len(body.strip()) > 2)):
                j += 1
                if j >= len(lines):
                    break
                body += " " + lines[j].strip()
            out.append("<div class=\"display\">" + _math_html(body.strip().rstrip("$").strip(), True)
                       + "</div>")
            i = j + 1
            continue
        m = re.match(r"(#{1,6})\s+(.*)", s)
        if m:
            flush()
            lvl = min(6, len(m.group(1)) + shift)
            out.append(f"<h{lvl}>{_inline_md(m.group(2))}</h{lvl}>")
        elif s.startswith("|"):
            flush()
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(lines[i])
                i += 1
            out.append(_md_table_html(rows))
            continue
        elif re.match(r"[-*]\s+", s):
            flush()
            items = []
            while i < len(lines) and re.match(r"\s*[-*]\s+", lines[i]):
                items.append("<li>" + _inline_md(re.sub(r"^\s*[-*]\s+", "", lines[i])) + "</li>")
                i += 1
            out.append("<ul>" + "".join(items) + "</ul>")
            continue
        elif not s:
            flush()
        else:
            para.append(s)
        i += 1
    flush()
    return "\n".join(out)


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:72rem;margin:2rem auto;
padding:0 1rem;line-height:1.45;color:#1b1b1b}
table{border-collapse:collapse;margin:.6rem 0;font-size:.92rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top;text-align:left}
th{background:#f2f2f2}
.status{font-weight:600;white-space:nowrap}
.s-holds{color:#17692c}.s-fails{color:#b00020}.s-inconclusive{color:#a05a00}
.s-hypothesis-not-met{color:#555}.s-unchecked{color:#777}
.verdict{padding:.6rem 1rem;border-radius:.3rem;background:#eef6ee}
.verdict.bad{background:#fde8ea}
.claim{border-top:1px solid #ddd;margin-top:1.5rem}
.prov-restated,.prov-reconstructed{background:#fff6e0;padding:.4rem .6rem;border-left:4px solid #e0a000}
img.math{vertical-align:middle}
div.display{margin:.5rem 0 .5rem 1.5rem}
figure{display:inline-block;margin:.5rem;max-width:46%} figure img{max-width:100%}
code{background:#f5f5f5;padding:0 .2rem}
h4,h5,h6{font-size:1rem;margin:1rem 0 .4rem}
table.checks td:last-child{min-width:22rem}
.muted{color:#666}
@media print{a{color:inherit;text-decoration:none}}
"""

# Marks every image once the page has loaded: data-loaded="yes" when it decoded, "no" when
# it is broken.  The browser test reads this from the DOM; no network is involved.
_JS = """
window.addEventListener('load', function () {
  document.querySelectorAll('img').forEach(function (im) {
    im.setAttribute('data-loaded', (im.complete && im.naturalWidth > 0) ? 'yes' : 'no');
  });
  document.body.setAttribute('data-ready', 'yes');
});
"""


def _h(x: Any) -> str:
    return html.escape(str(x))


def _status_html(status: str) -> str:
    return f'<span class="status s-{status.replace(" ", "-")}">{_h(status)}</span>'


def _html_table(header: Sequence[str], rows: Iterable[Sequence[Any]], raw_cols: Sequence[int] = (),
                cls: str = "") -> str:
    head = "".join(f"<th>{_h(c)}</th>" for c in header)
    body = []
    for r in rows:
        cells = "".join(f"<td>{c if i in raw_cols else _h(c)}</td>" for i, c in enumerate(r))
        body.append(f"<tr>{cells}</tr>")
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def render_html(doc: Mapping, derivations_md: Mapping[str, str] | None = None) -> str:
    """``index.html``: the report as one offline HTML page.

    Parameters
    ----------
    doc : the results document.
    derivations_md : file name → Markdown of ``derivations/reports/*.md`` to render in the
        Derivations section (math as inline SVG, or the TeX source when mathtext cannot
        parse it).

    Notes
    -----
    No external resource of any kind: CSS and the tiny script are inline, formulas are
    SVG data URIs, figures are relative links into ``figures/``.
    """
    rep = doc["report"]
    claims, data, widths = _summary_rows(doc)
    for row, c in zip(claims, doc["claims"]):
        row[0] = f'<a href="#claim-{_h(c["id"])}">{_h(c["id"])}</a>'
        row[1] = _h(row[1])
        row[2] = _status_html(row[2])
        row[3], row[4], row[5] = _h(row[3]), _h(row[4]), _h(row[5])
    v = doc["versions"]
    bad = "" if doc["ok"] else " bad"
    out = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>wnproofs verification report</title>", f"<style>{_CSS}</style>",
        f"<script>{_JS}</script>", "</head>", "<body>",
        "<h1>wnproofs verification report</h1>",
        "<p>Dukler, Gu &amp; Montúfar, <em>Optimization Theory for ReLU Neural Networks Trained "
        "with Normalization Layers</em>, ICML 2020 (arXiv:2006.06878), claim by claim.</p>",
        f'<p class="verdict{bad}"><strong>Verdict: {_h(_verdict(doc))}</strong> ({_h(_counts(doc))}).<br>'
        f"Seed <strong>{_h(doc['seed'])}</strong>, {_h(doc['mode'])} mode, {doc['seconds']:.1f} s; "
        f"created {_h(rep['created'])}.</p>",
        '<p class="muted">Versions: ' + _h(", ".join(f"{k} {val}" for k, val in v.items())) + "</p>",
    ]
    if rep["command"]:
        out.append(f"<p>Reproduce: <code>{_h(rep['command'])}</code></p>")
    out += ['<h2 id="summary">Summary</h2>',
            _html_table(CLAIMS_HEADER, claims, raw_cols=range(6), cls="summary")]
    if rep["not_selected"]:
        out.append("<p class=\"muted\">Not run in this report (not selected with "
                   f"<code>--claims</code>): {_h(', '.join(rep['not_selected']))}.</p>")
    out += ['<h3 id="data">Data sets</h3>', _html_table(DATA_HEADER, data, cls="data"), "<ul>"]
    out += [f"<li>{_h(k['dataset'])}: {_h(k['split_note'])}.</li>" for k in rep["kernels"]]
    out += ["</ul>", '<h3 id="widths">Widths: asked for by the theorems, used in practice</h3>']
    if widths:
        out.append(_html_table(WIDTH_HEADER, widths, cls="widths"))
        out.append("<p>" + _inline_md(WIDTH_NOTE_MD.format(
            keys=", ".join(f"`{k}`" for k in rep["width_used_keys"]))) + "</p><ul>")
        out += [f"<li>{_h(w['claim'])} on {_h(w['dataset'])}: <code>{_h(w['required_note'])}</code></li>"
                for w in rep["widths"]]
        out.append("</ul><ul>")
        for f in dict.fromkeys(w["function"] for w in rep["widths"]):
            out.append(f"<li>{_math_html(WIDTH_FORMULAS[f])}</li>")
        out.append("</ul>")
    else:
        out.append("<p>No theorem (T1-T4, C1) in this report.</p>")
    out.append('<h2 id="claims">Claims</h2>')
    for c in doc["claims"]:
        ex = rep["claims"].get(c["id"], {})
        prov = c["provenance"]
        out += [f'<section class="claim" id="claim-{_h(c["id"])}">',
                f"<h3>{_h(c['id'])}: {_h(c['title'])} <span class=\"muted\">({_h(c['section'])})</span></h3>",
                f"<p><strong>Statement.</strong> {_h(c['statement'])}</p>",
                f"<p><strong>Hypotheses.</strong> {_h('; '.join(c['hypotheses']) or 'none beyond §0')}</p>",
                f'<p class="prov-{_h(prov)}"><strong>Provenance: {_h(prov)}.</strong> '
                f"{_h(ex.get('provenance_note', ''))}"
                + (f"<br><em>Note.</em> {_h(c['notes'])}" if c["notes"] else "") + "</p>",
                f"<p><strong>Status:</strong> {_status_html(c['status'])}, margin {_h(_fmt(c['margin']))}; "
                f"levels reached: <strong>{_h(', '.join(c['levels']) or 'none')}</strong>; attempted: "
                f"{_h(', '.join(ex.get('levels_attempted', [])) or 'none')}.</p>"]
        if c.get("property_instances"):
            out.append("<p>Property sweep on random instances: "
                       f"{_h(_sweep_text(c['property_instances']))}.</p>")
        if ex.get("derivations"):
            out.append("<p>Derivations: " + ", ".join(f"<code>{_h(d)}</code>" for d in ex["derivations"]) + ".</p>")
        if ex.get("skipped_checks"):
            out.append("<p class=\"muted\">Skipped in quick mode (slow): "
                       + ", ".join(f"<code>{_h(s)}</code>" for s in ex["skipped_checks"]) + ".</p>")
        if c["checks"]:
            rows = _check_rows(doc, c)
            for r in rows:
                r[4] = _status_html(r[4])
                for j in (0, 1, 2, 3, 5, 6, 7, 8):
                    r[j] = _h(r[j])
            out.append(_html_table(CHECK_HEADER, rows, raw_cols=range(9), cls="checks"))
        else:
            out.append("<p class=\"muted\">No check ran for this claim.</p>")
        out.append("</section>")
    out.append('<h2 id="figures">Figures</h2>')
    figs = rep["figures"]
    if figs["available"]:
        for f in figs["files"]:
            if Path(f).suffix.lower() in (".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp"):
                out.append(f'<figure><img class="figure" src="{_h(f)}" alt="{_h(Path(f).stem)}">'
                           f"<figcaption>{_h(Path(f).stem)}</figcaption></figure>")
            else:
                out.append(f'<p><a class="figure" href="{_h(f)}">{_h(f)}</a></p>')
    else:
        out.append(f'<p class="muted" id="figures-missing">{_h(figs["message"])}.</p>')
    out += ['<h2 id="derivations">Derivations</h2>', f"<p>{_h(rep['derivations']['message'])}."
            + (" The LaTeX versions are collected in <a href=\"appendix.tex\">appendix.tex</a>."
               if rep["derivations"]["available"] else "") + "</p>"]
    for name, text in _ordered(derivations_md):
        out += [f'<section class="derivation" id="deriv-{_h(name)}"><h3>{_h(name)}</h3>',
                _md_to_html(text, shift=3), "</section>"]
    out += ['<h2 id="reading">How to read this report</h2>', "<ul>"]
    out += [f"<li><strong>{_h(k)}</strong>: {_h(val)}.</li>" for k, val in LEVELS.items()]
    out += ["</ul><ul>"]
    out += [f"<li>status {_status_html(k)}: {_h(val)}.</li>" for k, val in STATUS_MEANING.items()]
    out += ["</ul>",
            "<p>Margin: bound ÷ observed (lower bounds: observed ÷ bound); &gt; 1 means the claim "
            "holds with room to spare, and for empirical checks it is the slack of the bound. "
            "A claim's margin is the smallest over its checks.</p>",
            '<p class="muted">Files: <a href="results.json">results.json</a> (schema in '
            "wnproofs/results.schema.json), <a href=\"report.md\">report.md</a>, "
            '<a href="appendix.tex">appendix.tex</a>.</p>',
            "</body>", "</html>", ""]
    return "\n".join(out)


# ----------------------------------------------------------------------------- writing

#: The stages :func:`write_report` announces to its ``progress`` callback, in order.
REPORT_STAGES = ("kernels", "derivations", "figures", "results.json", "report.md",
                 "appendix.tex", "index.html")


def check_target(out: Path) -> None:
    """Refuse to replace a folder that is not a wnproofs report (``--out ~`` must not wipe ~)."""
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise InputError(f"--out {out} is a non-empty folder that is not a wnproofs report; "
                         "choose a new or empty folder")


def write_report(ver, out: str | Path, *, data=None, figures: bool = True,
                 command: str | None = None,
                 progress: Callable[[str], None] | None = None,
                 reports_dir: Path | None = None) -> Path:
    """Write the report of ``ver`` to the folder ``out``, atomically.

    Parameters
    ----------
    ver : wnproofs.verify.Verification
    out : the report folder.  It is replaced in one rename when the report is complete; an
        existing folder is replaced only if it is empty or a previous wnproofs report.
    data : the data set for the figures (default: the first instance's).
    figures : draw the figures (``wnproofs.plots``) when available.
    command : the command line, recorded for reproduction.
    progress : called with a short label before each stage.
    reports_dir : where the derivation reports are (see :func:`derivation_reports`).

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    InputError
        If ``out`` is a file or a foreign non-empty folder.
    jsonschema.ValidationError
        If the results document does not match its schema (nothing is written).
    """
    out = Path(out)
    check_target(out)
    step = progress or (lambda label: None)
    with atomic_directory(out) as tmp:
        step("kernels")
        kernels = [kernel_summary(inst.data) for inst in ver.instances]
        step("derivations")
        der = derivation_reports(reports_dir)
        step("figures")
        if figures:
            ds = data if data is not None else (ver.instances[0].data if ver.instances else None)
            figs = figures_adapter(tmp, ds, ver.seed, quick=(ver.mode == "quick"))
        else:
            figs = Figures(False, "figures not drawn (disabled)")
        if der.available:  # copies, so the links of report.md and index.html resolve offline
            (tmp / "derivations").mkdir()
            for name, text in {**der.markdown, **der.tex}.items():
                (tmp / "derivations" / name).write_text(text, encoding="utf-8")
        step("results.json")
        doc = build_document(ver, kernels=kernels, derivations=der, figures=figs, command=command)
        doc["report"]["schema_validation"] = "pending"
        doc["report"]["schema_validation"] = validate_document(doc)
        (tmp / "results.json").write_text(json.dumps(doc, indent=2, allow_nan=False,
                                                     ensure_ascii=False) + "\n", encoding="utf-8")
        step("report.md")
        (tmp / "report.md").write_text(render_markdown(doc, der.markdown), encoding="utf-8")
        step("appendix.tex")
        (tmp / "appendix.tex").write_text(render_appendix(doc, der.tex), encoding="utf-8")
        step("index.html")
        (tmp / "index.html").write_text(render_html(doc, der.markdown), encoding="utf-8")
        (tmp / MARKER).write_text(f"wnproofs report, schema_version {doc['schema_version']}\n",
                                  encoding="utf-8")
        os.chmod(tmp, 0o755)  # mkdtemp made it private; a report is meant to be read
    return out
