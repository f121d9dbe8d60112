"""What a submission read from outside must satisfy beyond its structure.

``from_document`` (submission.py) checks that answers.json has the right shape. A vendor who
writes answers.json by hand can still put in answers the vendor app would never store: a
status 「はい（ただし未実施）」, a number ``=1+1``, an unknown choice code, a 4 MiB note, a
file name that displays as another. These functions find them, each as a ``Breach`` naming
its rule, so the auditor's side can fail verification with the reason:

* ``limit_breaches`` — every text within the limits the template and the vendor app enforce
  (notes 8,000 characters, text answers the item's ``text_max``, names and metadata 500…);
  the renderers (xlsx, PDF, desktop) are linear in their input once these hold.
* ``value_breaches`` — every answer is what the vendor app's own parser (answers.py
  ``parse_value`` / ``parse_note``) would have stored for the template's item; every
  evidence record fits the template (kind) and itself (dates).
* ``name_breaches`` — vendor and evidence names display as what they are (safe_names.py).

All three are linear in the submission's size.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .answers import MAX_NOTE_CHARS, is_valid_stored, parse_note, parse_value
from .errors import InvalidAnswer
from .evidence import MAX_FILENAME_BYTES
from .safe_names import file_name_problem, text_problem
from .submission import Submission
from .template import AnswerKind

# The vendor app's own caps (storage/workspace.py MAX_META_CHARS for the vendor name and the
# evidence title/issuer/number: a test keeps them equal).
MAX_META_CHARS = 500
MAX_TIMESTAMP_CHARS = 40          # "2026-04-01T09:00:00.000Z" and the like
MAX_EVIDENCE_ID_CHARS = 64        # uuid4().hex in the vendor app
MAX_MEDIA_TYPE_CHARS = 255
EARLIEST_DATE = dt.date(1900, 1, 1)   # answers.parse_date's range
LATEST_DATE = dt.date(2200, 12, 31)
_EVIDENCE_ID = re.compile(r"[0-9A-Za-z-]{1,64}")


@dataclass(frozen=True, slots=True)
class Breach:
    rule: str      # stable name, e.g. "note-too-long", "invalid-answer", "bidi-control"
    where: str     # "answer AGR-01", "note of AGR-01", "vendor name", "evidence ISMS.pdf (CERT-02)"
    detail: str

    def __str__(self) -> str:
        return f"{self.where}: {self.detail} (rule: {self.rule})"


def _too_long(where, rule: str, text: str | None, limit: int, unit: str = "characters") -> Breach | None:
    """``where``: text, or a function making it (only needed when there is a breach)."""
    if text is None or (len(text) <= limit and (unit != "bytes" or len(text) * 4 <= limit)):
        return None
    size = len(text.encode("utf-8")) if unit == "bytes" else len(text)
    if size <= limit:
        return None
    return Breach(rule, where() if callable(where) else where,
                  f"{size} {unit} long; at most {limit} are allowed")


def _evidence_where(info) -> str:
    from .safe_names import shown

    return f"evidence {shown(str(info.filename), 60)!r} ({info.item_id})"


def limit_breaches(sub: Submission) -> list[Breach]:
    """Every text of the submission within the template's and the vendor app's limits."""
    out: list[Breach | None] = [_too_long("vendor name", "vendor-too-long", sub.vendor, MAX_META_CHARS)]
    for item_id, answer in sub.answers.items():
        item = sub.template.item(item_id)
        out.append(_too_long(f"note of {item_id}", "note-too-long", answer.note, MAX_NOTE_CHARS))
        if item.kind is AnswerKind.TEXT and isinstance(answer.value, str):
            out.append(_too_long(f"answer {item_id}", "answer-too-long", answer.value, item.text_max))
        out.append(_too_long(f"answer {item_id} updated_at", "timestamp-too-long", answer.updated_at,
                             MAX_TIMESTAMP_CHARS))
    for info in sub.evidence:
        def where(what: str, info=info):
            return lambda: f"{_evidence_where(info)} {what}"

        for name in ("title", "issuer", "number"):
            out.append(_too_long(where(name), "metadata-too-long", getattr(info, name), MAX_META_CHARS))
        out.append(_too_long(where("file name"), "file-name-too-long", info.filename, MAX_FILENAME_BYTES,
                             "bytes"))
        out.append(_too_long(where("media type"), "metadata-too-long", info.media_type, MAX_MEDIA_TYPE_CHARS))
        out.append(_too_long(where("added_at"), "timestamp-too-long", info.added_at, MAX_TIMESTAMP_CHARS))
        out.append(_too_long(where("id"), "metadata-too-long", info.id, MAX_EVIDENCE_ID_CHARS))
    return [b for b in out if b is not None]


def value_breaches(sub: Submission) -> list[Breach]:
    """Answers and evidence records the vendor app would not have stored for this template."""
    out: list[Breach] = []
    template = sub.template
    for item_id, answer in sub.answers.items():
        item = template.item(item_id)
        if not is_valid_stored(item, answer.value):
            try:
                parsed = parse_value(item, answer.value)
                detail = (f"{_show_value(answer.value)} is not the stored form the app writes "
                          f"({_show_value(parsed)})")
            except InvalidAnswer as exc:
                detail = exc.problem
            out.append(Breach("invalid-answer", f"answer {item_id}", detail))
        if answer.note is not None:
            try:
                ok = parse_note(item_id, answer.note) == answer.note
                detail = "is not stored as the app stores notes (surrounding spaces, CR/LF, not NFC)"
            except InvalidAnswer as exc:
                ok, detail = False, exc.problem
            if not ok:
                out.append(Breach("invalid-note", f"note of {item_id}", detail))
    kinds = {k.id for k in template.evidence_kinds}
    for info in sub.evidence:
        if info.kind not in kinds:
            out.append(Breach("unknown-evidence-kind", _evidence_where(info),
                              f"kind {_show_value(info.kind)} is not one of {', '.join(sorted(kinds))}"))
        for name in ("issued", "expires"):
            day = getattr(info, name)
            if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
                out.append(Breach("date-out-of-range", _evidence_where(info),
                                  f"{name} {day} is out of range"))
        if info.issued and info.expires and info.expires < info.issued:
            out.append(Breach("expiry-before-issue", _evidence_where(info),
                              f"expires {info.expires} before it was issued ({info.issued})"))
        if not _EVIDENCE_ID.fullmatch(str(info.id)):
            out.append(Breach("invalid-evidence-id", _evidence_where(info),
                              "the evidence ID is not an app-made ID"))
    return out


def name_breaches(sub: Submission) -> list[Breach]:
    """Vendor and evidence names that would display as something else (safe_names.py)."""
    out: list[Breach] = []
    problem = text_problem(sub.vendor)
    if problem is not None:
        out.append(Breach(problem.rule, "vendor name", problem.detail))
    for info in sub.evidence:
        problem = file_name_problem(info.filename)
        if problem is not None:
            out.append(Breach(problem.rule, f"{_evidence_where(info)} file name", problem.detail))
        for name in ("title", "issuer", "number"):
            problem = text_problem(getattr(info, name))
            if problem is not None:
                out.append(Breach(problem.rule, f"{_evidence_where(info)} {name}", problem.detail))
    return out


def _show_value(value: object) -> str:
    from .safe_names import shown

    text = repr(value) if not isinstance(value, str) else repr(shown(value, 80))
    return text if len(text) <= 100 else text[:99] + "…"


def first_breaches(breaches: Iterable[Breach], n: int = 3) -> str:
    """"a; b; c (and 4 more)" for a one-line check detail."""
    items = list(breaches)
    text = "; ".join(str(b) for b in items[:n])
    return text + (f" (and {len(items) - n} more)" if len(items) > n else "")
