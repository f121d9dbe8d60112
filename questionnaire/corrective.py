"""Corrective actions (是正処置, issue 13 §4): an auditor's finding of 不適合 or 要確認 taken to
closure — its grade, root cause, what will be done, owner, due date, status and the evidence
of the correction — and the strict reading of ``corrective-actions.json`` on the auditor's side.

The status a vendor can set stops at 完了 (done): 検証済み (verified) is the auditor's word,
brought back by the next review (storage/actions.py). Nothing here is trusted from a bundle
beyond its shape: the auditor's app recomputes what is overdue on its own date and checks
every reference (item, grade, evidence) against the bundle's own template and files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from .answers import clean_text
from .errors import AttestError
from .text import Text

ACTIONS_FORMAT = "ccus-attest/corrective-actions/v1"
ACTIONS_FILE = "corrective-actions.json"
MAX_ACTIONS = 10_000
MAX_TEXT = 4000         # finding, root cause, plan, note
MAX_SHORT = 200         # owner, reviewer
MAX_EVIDENCE_LINKS = 100


class ActionError(AttestError):
    """A corrective action that cannot be made or changed as asked, or a malformed document."""


@dataclass(frozen=True, slots=True)
class Grade:
    id: str
    label: Text
    for_verdict: str | None = None   # the verdict a new finding gets this grade for

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label.as_dict()}


# The usual audit scale (ISO 19011 practice): the template may give its own (finding_grades).
DEFAULT_GRADES: tuple[Grade, ...] = (
    Grade("major", Text("重大な不適合", "Major non-conformity"), "nonconforming"),
    Grade("minor", Text("軽微な不適合", "Minor non-conformity")),
    Grade("observation", Text("観察事項", "Observation"), "needs_check"),
    Grade("improvement", Text("改善の機会", "Opportunity for improvement")),
)


def grades(template) -> tuple[Grade, ...]:
    return getattr(template, "finding_grades", None) or DEFAULT_GRADES


def default_grade(template, verdict: str) -> str:
    scale = grades(template)
    chosen = next((g for g in scale if g.for_verdict == verdict), None)
    if chosen is None:
        chosen = scale[0] if verdict == "nonconforming" else scale[min(2, len(scale) - 1)]
    return chosen.id


def grade_label(template, grade_id: str) -> Text:
    found = next((g for g in grades(template) if g.id == grade_id), None)
    return found.label if found is not None else Text(grade_id, grade_id)


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    VERIFIED = "verified"

    @property
    def label(self) -> Text:
        return STATUS_LABELS[self]

    @property
    def closed(self) -> bool:
        """Done by the vendor or verified by the auditor: no longer counts as open or overdue."""
        return self in (ActionStatus.DONE, ActionStatus.VERIFIED)

    @classmethod
    def parse(cls, text: str) -> ActionStatus:
        key = text.strip()
        for status, label in STATUS_LABELS.items():
            if key in (label.ja, status.value) or key.casefold() == label.en.casefold():
                return status
        known = ", ".join(f"{s.value} ({s.label.ja})" for s in cls)
        raise ActionError(f"unknown status {text!r}; one of {known}")


STATUS_LABELS: dict[ActionStatus, Text] = {
    ActionStatus.OPEN: Text("未着手", "Not started"),
    ActionStatus.IN_PROGRESS: Text("対応中", "In progress"),
    ActionStatus.DONE: Text("完了", "Done"),
    ActionStatus.VERIFIED: Text("検証済み", "Verified"),
}
VENDOR_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE)
VERDICTS = ("nonconforming", "needs_check")
VERDICT_TEXT = {"nonconforming": Text("不適合", "Nonconforming"),
                "needs_check": Text("要確認", "Needs checking")}


@dataclass(frozen=True, slots=True)
class CorrectiveAction:
    id: str                          # CA-001, … (per workspace, kept across years)
    item_id: str
    verdict: str                     # the auditor's: nonconforming | needs_check
    finding: str                     # the auditor's comment
    grade: str
    status: ActionStatus = ActionStatus.OPEN
    root_cause: str = ""
    plan: str = ""                   # what will be done
    owner: str = ""
    due: dt.date | None = None
    note: str = ""
    evidence_ids: tuple[str, ...] = ()
    reviewer: str = ""
    reviewed_on: dt.date | None = None
    submission_id: str = ""          # the reviewed submission
    created_at: str = ""
    updated_at: str = ""
    closed_on: dt.date | None = None     # set when the vendor marks it done
    verified_on: dt.date | None = None   # the auditor's review that found it corrected
    verified_by: str = ""
    history: tuple[dict[str, Any], ...] = field(default=(), compare=False)

    @property
    def open(self) -> bool:
        return not self.status.closed

    def overdue(self, on: dt.date) -> bool:
        return self.open and self.due is not None and self.due < on

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "item_id": self.item_id, "verdict": self.verdict, "finding": self.finding,
            "grade": self.grade, "status": self.status.value, "root_cause": self.root_cause,
            "plan": self.plan, "owner": self.owner, "due": _iso(self.due), "note": self.note,
            "evidence_ids": list(self.evidence_ids), "reviewer": self.reviewer,
            "reviewed_on": _iso(self.reviewed_on), "submission_id": self.submission_id,
            "created_at": self.created_at, "updated_at": self.updated_at,
            "closed_on": _iso(self.closed_on), "verified_on": _iso(self.verified_on),
            "verified_by": self.verified_by,
        }

    def summary(self, on: dt.date, template=None) -> dict[str, Any]:
        """as_dict plus what is computed, never stored: overdue on ``on``, labels."""
        out = self.as_dict()
        out["overdue"] = self.overdue(on)
        out["status_label"] = self.status.label.as_dict()
        out["grade_label"] = grade_label(template, self.grade).as_dict()
        return out


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# --- changes the vendor makes --------------------------------------------------------------


EDITABLE = ("grade", "status", "root_cause", "plan", "owner", "due", "note")


def edited(action: CorrectiveAction, template, *, at: str, today: dt.date,
           **changes: Any) -> CorrectiveAction:
    """``action`` with the vendor's ``changes`` (keys of EDITABLE; None: unchanged), checked.
    ``due=""`` takes the due date away (None already means "unchanged")."""
    values: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in EDITABLE:
            raise ActionError(f"{key} cannot be changed")
        if value is None:
            continue
        if key == "status":
            status = value if isinstance(value, ActionStatus) else ActionStatus.parse(str(value))
            if status is ActionStatus.VERIFIED and action.status is not ActionStatus.VERIFIED:
                raise ActionError("only the auditor verifies a corrective action (検証済み comes with "
                                  "the next imported review); mark it done (完了)")
            if action.status is ActionStatus.VERIFIED and status is not ActionStatus.VERIFIED:
                raise ActionError(f"{action.id} was verified by the auditor; a new finding reopens it")
            values["status"] = status
            if status is ActionStatus.DONE and action.status is not ActionStatus.DONE:
                values["closed_on"] = today
            elif status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS):
                values["closed_on"] = None
        elif key == "grade":
            if value not in {g.id for g in grades(template)}:
                known = ", ".join(f"{g.id} ({g.label.ja})" for g in grades(template))
                raise ActionError(f"unknown grade {value!r}; one of {known}")
            values["grade"] = value
        elif key == "due" and isinstance(value, str) and not value.strip():
            values["due"] = None
        elif key == "due":
            values["due"] = value if isinstance(value, dt.date) else _parse_day(str(value), "due date")
        elif key == "owner":
            values["owner"] = _clean(str(value), MAX_SHORT, "owner")
        else:
            values[key] = _clean(str(value), MAX_TEXT, key.replace("_", " "))
    if not values:
        return action
    return replace(action, **values, updated_at=at)


def _clean(text: str, limit: int, what: str) -> str:
    try:
        return clean_text(text, limit, what)
    except ValueError as exc:
        raise ActionError(str(exc)) from None


def _parse_day(text: str, what: str) -> dt.date:
    from .answers import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        raise ActionError(f"{what}: {exc}") from None


# --- counts and dates ------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionTally:
    total: int
    open: int
    overdue: int
    by_status: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {"total": self.total, "open": self.open, "overdue": self.overdue, "by_status": self.by_status}


def tally(actions: Iterable[CorrectiveAction], on: dt.date) -> ActionTally:
    actions = list(actions)
    by_status = {s.value: 0 for s in ActionStatus}
    for a in actions:
        by_status[a.status.value] += 1
    return ActionTally(len(actions), sum(a.open for a in actions), sum(a.overdue(on) for a in actions),
                       by_status)


def sort_by_due(actions: Iterable[CorrectiveAction], on: dt.date) -> list[CorrectiveAction]:
    """Overdue first, then open ones by due date (none last), then closed ones."""
    far = dt.date.max
    return sorted(actions, key=lambda a: (not a.overdue(on), not a.open, a.due or far, a.id))


def action_deadlines(actions: Iterable[CorrectiveAction]) -> list:
    """The due dates of open actions, for the dashboard's list and the calendar."""
    from .deadlines import Deadline, DeadlineKind

    out = []
    for a in actions:
        if a.open and a.due is not None:
            out.append(Deadline(
                key=f"corrective-action-{a.id}", kind=DeadlineKind.CORRECTIVE_ACTION, due=a.due,
                title=Text(f"是正処置 {a.id}（{a.item_id}）の期日",
                           f"Corrective action {a.id} ({a.item_id}) due"),
                basis=Text("認定契約 第4条2項（不適合の是正）",
                           "Contract Art. 4(2) (correcting non-conformities)"),
                detail=Text(a.finding[:200], a.finding[:200]), item_id=a.item_id, remind_days=14))
    return out


# --- the document in a bundle, read strictly (the auditor's side) -------------------------------


def to_document(actions: Iterable[CorrectiveAction], template) -> dict[str, Any]:
    return {"format": ACTIONS_FORMAT,
            "grades": [g.as_dict() for g in grades(template)],
            "actions": [a.as_dict() for a in actions]}


def _fail(problem: str) -> ActionError:
    return ActionError(f"{ACTIONS_FILE}: {problem}")


def _text_field(raw: Mapping, key: str, limit: int, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or len(value) > limit:
        raise _fail(f"{where}: {key} must be text of at most {limit} characters")
    return value


def _day_field(raw: Mapping, key: str, where: str) -> dt.date | None:
    value = raw.get(key)
    if value is None:
        return None
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _fail(f"{where}: {key} is not a date (YYYY-MM-DD)") from None


_KEYS = frozenset(CorrectiveAction("", "", "", "", "").as_dict())


def from_document(doc: Any, template, evidence_ids: Iterable[str]) -> tuple[CorrectiveAction, ...]:
    """Every action of ``corrective-actions.json``, each field checked against the bundle's own
    template (items, grade scale) and evidence; raises ActionError naming the first problem."""
    if not isinstance(doc, dict) or doc.get("format") != ACTIONS_FORMAT:
        raise _fail(f"not a {ACTIONS_FORMAT} document")
    raw_actions = doc.get("actions")
    if not isinstance(raw_actions, list) or len(raw_actions) > MAX_ACTIONS:
        raise _fail("'actions' must be a list")
    known_grades = {g.id for g in grades(template)}
    files = set(evidence_ids)
    seen: set[str] = set()
    out = []
    for n, raw in enumerate(raw_actions, 1):
        where = f"action {n}"
        if not isinstance(raw, dict) or set(raw) != _KEYS:
            raise _fail(f"{where} is malformed")
        action_id = _text_field(raw, "id", 16, where)
        if not action_id or action_id in seen:
            raise _fail(f"{where}: id missing or repeated")
        seen.add(action_id)
        where = f"action {action_id}"
        item_id = _text_field(raw, "item_id", 32, where)
        if not template.has_item(item_id):
            raise _fail(f"{where}: {item_id!r} is not an item of the template")
        if raw["verdict"] not in VERDICTS:
            raise _fail(f"{where}: verdict must be one of {', '.join(VERDICTS)}")
        if raw["grade"] not in known_grades:
            raise _fail(f"{where}: grade {str(raw['grade'])[:40]!r} is not in the template's scale")
        try:
            status = ActionStatus(raw["status"])
        except (ValueError, TypeError):
            raise _fail(f"{where}: unknown status") from None
        links = raw["evidence_ids"]
        if (not isinstance(links, list) or len(links) > MAX_EVIDENCE_LINKS
                or not all(isinstance(e, str) for e in links) or len(set(links)) != len(links)):
            raise _fail(f"{where}: evidence_ids is malformed")
        missing = [e for e in links if e not in files]
        if missing:
            raise _fail(f"{where}: links evidence {missing[0][:40]!r}, which is not in the bundle")
        action = CorrectiveAction(
            id=action_id, item_id=item_id, verdict=raw["verdict"],
            finding=_text_field(raw, "finding", MAX_TEXT, where), grade=raw["grade"], status=status,
            root_cause=_text_field(raw, "root_cause", MAX_TEXT, where),
            plan=_text_field(raw, "plan", MAX_TEXT, where), owner=_text_field(raw, "owner", MAX_SHORT, where),
            due=_day_field(raw, "due", where), note=_text_field(raw, "note", MAX_TEXT, where),
            evidence_ids=tuple(links), reviewer=_text_field(raw, "reviewer", MAX_SHORT, where),
            reviewed_on=_day_field(raw, "reviewed_on", where),
            submission_id=_text_field(raw, "submission_id", 64, where),
            created_at=_text_field(raw, "created_at", 40, where),
            updated_at=_text_field(raw, "updated_at", 40, where),
            closed_on=_day_field(raw, "closed_on", where), verified_on=_day_field(raw, "verified_on", where),
            verified_by=_text_field(raw, "verified_by", MAX_SHORT, where))
        if (action.status is ActionStatus.DONE) != (action.closed_on is not None) and (
                action.status is not ActionStatus.VERIFIED):
            raise _fail(f"{where}: status and closed_on disagree")
        if (action.status is ActionStatus.VERIFIED) != (action.verified_on is not None):
            raise _fail(f"{where}: status and verified_on disagree")
        out.append(action)
    return tuple(out)
