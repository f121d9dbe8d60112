"""The conclusions a manifest states about its submission, from one function on both sides.

Export writes them into manifest.json; verify recomputes them from answers.json and the
evidence against the *official* template and compares. Both call ``conclusions`` on an
``Assessment`` made by ``questionnaire.completeness.assess`` — nothing else decides what
"complete", a blocker, a count or an expiry is — so the two sides cannot drift, and
whatever ``Assessment.as_dict`` gains later (severities, per-item outcomes) is written and
compared without a change here.

The auditor never shows the manifest's claims; it shows the recomputation. A claim that
disagrees with it is a failed check naming the disagreement (``disagreements``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from questionnaire.completeness import Assessment
from questionnaire.text import counted

# Keys of manifest.json that hold conclusions. "complete", "assessed_on" and "blockers" were
# in the first v1 bundles; "assessment" (counts per section, status counts, warnings, expired
# and expiring evidence) was added within v1 (readers ignore keys they do not know).
CLAIM_KEYS = ("complete", "assessed_on", "blockers", "assessment")
# Presentation only (reworded between app versions): never compared.
_PRESENTATION = ("message_ja", "message_en")
# Listed by evidence ID only (the evidence records are in the manifest already).
_EVIDENCE_LISTS = ("expired_evidence", "expiring_evidence")


def conclusions(assessment: Assessment) -> dict[str, Any]:
    """The manifest's conclusions for ``assessment``."""
    doc = assessment.as_dict()
    summary = {k: v for k, v in doc.items() if k not in ("on", "template", "blockers")}
    for key in _EVIDENCE_LISTS:
        if key in summary:
            summary[key] = [e["id"] for e in summary[key]]
    return {"complete": assessment.can_submit, "assessed_on": assessment.on.isoformat(),
            "blockers": doc["blockers"], "assessment": summary}


def assessed_on(manifest: dict[str, Any]) -> dt.date | None:
    value = manifest.get("assessed_on")
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _covers(claimed: Any, recomputed: Any) -> bool:
    """Whether every claim in ``claimed`` holds in ``recomputed``. A key the claim lacks is
    not a disagreement: a bundle from an older app says less (``Assessment.as_dict`` may gain
    fields); presentation texts are never compared."""
    if isinstance(recomputed, dict):
        return isinstance(claimed, dict) and all(
            k in recomputed and _covers(v, recomputed[k])
            for k, v in claimed.items() if k not in _PRESENTATION)
    if isinstance(recomputed, list):
        return isinstance(claimed, list) and len(claimed) == len(recomputed) and all(
            _covers(a, b) for a, b in zip(claimed, recomputed, strict=True))
    return type(claimed) is type(recomputed) and claimed == recomputed


def _problem_label(p: Any) -> str:
    if not isinstance(p, dict):
        return repr(p)[:60]
    label = f"{p.get('item_id')} {p.get('code')}"
    return label + (f" ({str(p.get('detail'))[:40]})" if p.get("detail") else "")


def _first_difference(claimed: Any, recomputed: Any, path: str) -> str:
    if isinstance(recomputed, dict) and isinstance(claimed, dict):
        for key, value in claimed.items():
            if key in _PRESENTATION:
                continue
            if key not in recomputed:
                return f"{path}.{key} is not part of the recomputation"
            if not _covers(value, recomputed[key]):
                return _first_difference(value, recomputed[key], f"{path}.{key}")
    if isinstance(recomputed, list) and isinstance(claimed, list):
        if len(claimed) != len(recomputed):
            return f"{path}: the manifest lists {len(claimed)}, the recomputation {len(recomputed)}"
        for i, (a, b) in enumerate(zip(claimed, recomputed, strict=True)):
            if not _covers(a, b):
                return _first_difference(a, b, f"{path}[{i}]")
    shown = repr(claimed)
    return f"{path}: the manifest says {shown[:60]}, the recomputation {repr(recomputed)[:60]}"


def disagreements(manifest: dict[str, Any], recomputed: dict[str, Any]) -> list[str]:
    """Each manifest claim that differs from ``recomputed`` (``conclusions`` of the auditor's
    assessment), as one line. A claim an older writer did not make is not a disagreement
    ("assessment"); "complete" and "blockers" are required by the manifest check."""
    out: list[str] = []
    for key in CLAIM_KEYS:
        if key not in manifest or key not in recomputed:
            continue
        got, want = manifest[key], recomputed[key]
        if _covers(got, want):
            continue
        if key == "complete" and isinstance(got, bool):
            n = len(recomputed["blockers"])
            out.append(f"the manifest says {'complete' if got else 'incomplete'}, the recomputation finds "
                       + (f"it incomplete ({counted(n, 'blocking problem')})" if not want else "it complete"))
        elif key == "blockers" and isinstance(got, list):
            claimed = {_problem_label(p) for p in got}
            found = [_problem_label(p) for p in want]
            missing = [p for p in found if p not in claimed]
            invented = sorted(claimed - set(found))
            detail = (f"e.g. {missing[0]} is not listed" if missing else
                      f"e.g. {invented[0]} is not a problem" if invented else "listed differently")
            out.append(f"the manifest lists {counted(len(got), 'blocking problem')}, the recomputation "
                       f"{len(want)} ({detail})")
        else:
            out.append(_first_difference(got, want, key))
    return out
