"""What changed between two submissions, item by item: last year's and this year's.

``compare(old, new)`` takes two ``Side``s — each a ``Submission`` (from a verified bundle or a
workspace opened read-only, exports/comparison_sources.py) with what is known about where it
came from, and the corrective actions it carries — and returns a ``Comparison``:

* per item: the answer and the note each 新規 / 変更 / 削除 / 変更なし; the evidence files
  added, removed, replaced or with other details (matched by SHA-256, then by evidence ID — a
  carried file keeps its ID, and so does a replacement — then by kind and name); the
  template's changes to the item (questionnaire/template_diff.py); the outcome each side's
  own checklist gave it;
* the corrective actions (issue 13 §4) by ID: opened, closed, reopened, changed, removed;
* the template diff as a whole.

Everything is linear in items + evidence + actions; nothing is read from disk here. Update
timestamps are left out: saving the same answer again is not a change.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .answers import Answer
from .carryover import changes_the_question
from .completeness import Outcome
from .evidence import EvidenceInfo
from .submission import Submission
from .template import Item, Template
from .template_diff import Change as TemplateChange
from .template_diff import TemplateDiff, diff_templates
from .text import Text

COMPARISON_FORMAT = "ccus-attest/comparison/v1"


class State(StrEnum):
    """What happened to an item, an answer or a note from the old side to the new."""

    ADDED = "added"          # 新規: nothing before, something now (or a new question)
    CHANGED = "changed"      # 変更
    REMOVED = "removed"      # 削除: something before, nothing now (or a question removed)
    UNCHANGED = "unchanged"  # 変更なし

    @property
    def label(self) -> Text:
        return STATE_LABELS[self]


STATE_LABELS: dict[State, Text] = {
    State.ADDED: Text("新規", "new"),
    State.CHANGED: Text("変更", "changed"),
    State.REMOVED: Text("削除", "removed"),
    State.UNCHANGED: Text("変更なし", "unchanged"),
}


class EvidenceState(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    REPLACED = "replaced"    # another file (another SHA-256) in the place of the old one
    DETAILS = "details"      # the same file (same SHA-256), another name, kind or expiry
    UNCHANGED = "unchanged"

    @property
    def label(self) -> Text:
        return EVIDENCE_LABELS[self]


EVIDENCE_LABELS: dict[EvidenceState, Text] = {
    EvidenceState.ADDED: Text("追加", "added"),
    EvidenceState.REMOVED: Text("削除", "removed"),
    EvidenceState.REPLACED: Text("差し替え", "replaced"),
    EvidenceState.DETAILS: Text("詳細変更", "details changed"),
    EvidenceState.UNCHANGED: Text("変更なし", "unchanged"),
}

# What an evidence file is compared by (the "SHA-256, name, kind, expiry").
EVIDENCE_FIELDS = ("sha256", "filename", "kind", "expires")


@dataclass(frozen=True, slots=True)
class EvidenceChange:
    state: EvidenceState
    item_id: str
    old: EvidenceInfo | None
    new: EvidenceInfo | None
    fields: tuple[str, ...] = ()     # which of EVIDENCE_FIELDS differ (replaced, details)

    @property
    def changed(self) -> bool:
        return self.state is not EvidenceState.UNCHANGED

    def as_dict(self) -> dict[str, Any]:
        def info(e: EvidenceInfo | None) -> dict[str, Any] | None:
            if e is None:
                return None
            return {"id": e.id, "filename": e.filename, "kind": e.kind, "sha256": e.sha256, "size": e.size,
                    "expires": e.expires.isoformat() if e.expires else None}

        return {"state": self.state.value, "item_id": self.item_id, "fields": list(self.fields),
                "old": info(self.old), "new": info(self.new)}


# --- corrective actions (issue 13 §4) -----------------------------------------------------
# A side may carry the corrective actions of its workspace or bundle (corrective-actions.json).
# The comparison needs only what identifies an action and what a reviewer follows from one
# year to the next; a side without them carries an empty tuple.

ACTION_STATUS_LABELS: dict[str, Text] = {
    "open": Text("未着手", "not started"),
    "in_progress": Text("対応中", "in progress"),
    "done": Text("完了", "done"),
    "verified": Text("検証済み", "verified"),
}
CLOSED_STATUSES = frozenset({"done", "verified"})
ACTION_FIELDS = ("item_id", "grade", "status", "due", "owner", "finding")


@dataclass(frozen=True, slots=True)
class ActionRecord:
    id: str
    item_id: str = ""
    grade: str = ""
    status: str = "open"
    due: dt.date | None = None
    owner: str = ""
    finding: str = ""

    @property
    def closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def status_label(self, lang: str = "ja") -> str:
        label = ACTION_STATUS_LABELS.get(self.status)
        return label.get(lang) if label else self.status

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "item_id": self.item_id, "grade": self.grade, "status": self.status,
                "due": self.due.isoformat() if self.due else None, "owner": self.owner,
                "finding": self.finding}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ActionRecord:
        """From one entry of corrective-actions.json (or the workspace's records): only the
        fields above are read, every one optional but the ID; unknown statuses stay as given."""
        def text(key: str, *alts: str) -> str:
            for k in (key, *alts):
                value = data.get(k)
                if isinstance(value, Mapping):      # a bilingual {"ja": …, "en": …}
                    value = value.get("ja") or value.get("en")
                if isinstance(value, str):
                    return value[:4000]
            return ""

        action_id = data.get("id")
        if not isinstance(action_id, (str, int)) or isinstance(action_id, bool) or str(action_id) == "":
            raise ValueError("a corrective action without an ID")
        due = data.get("due")
        try:
            due_date = dt.date.fromisoformat(due) if isinstance(due, str) and due else None
        except ValueError:
            due_date = None
        return cls(id=str(action_id), item_id=text("item_id", "item"), grade=text("grade"),
                   status=text("status") or "open", due=due_date, owner=text("owner"),
                   finding=text("finding", "text"))


def actions_from(entries: Iterable[Mapping[str, Any] | ActionRecord] | None) -> tuple[ActionRecord, ...]:
    if entries is None:
        return ()
    return tuple(e if isinstance(e, ActionRecord) else ActionRecord.from_dict(e) for e in entries)


class ActionState(StrEnum):
    OPENED = "opened"        # new since the old side
    CLOSED = "closed"        # open before, done or verified now
    REOPENED = "reopened"    # closed before, open now
    CHANGED = "changed"      # another status, due date, owner or text
    REMOVED = "removed"
    UNCHANGED = "unchanged"

    @property
    def label(self) -> Text:
        return ACTION_LABELS[self]


ACTION_LABELS: dict[ActionState, Text] = {
    ActionState.OPENED: Text("新規", "new"),
    ActionState.CLOSED: Text("完了", "closed"),
    ActionState.REOPENED: Text("再開", "reopened"),
    ActionState.CHANGED: Text("変更", "changed"),
    ActionState.REMOVED: Text("削除", "removed"),
    ActionState.UNCHANGED: Text("変更なし", "unchanged"),
}


@dataclass(frozen=True, slots=True)
class ActionChange:
    state: ActionState
    old: ActionRecord | None
    new: ActionRecord | None
    fields: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return (self.new or self.old).id  # type: ignore[union-attr]

    @property
    def item_id(self) -> str:
        return (self.new or self.old).item_id  # type: ignore[union-attr]

    @property
    def closed_now(self) -> bool:
        return self.new is not None and self.new.closed

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "state": self.state.value, "fields": list(self.fields),
                "old": self.old.as_dict() if self.old else None,
                "new": self.new.as_dict() if self.new else None}


# --- sides and items ----------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One submission being compared and what is known of where it came from."""

    submission: Submission
    kind: str                                  # "bundle" (verified) | "workspace" (read-only)
    source: str = ""                           # the path the user gave
    exported_at: dt.datetime | None = None     # a bundle's signed export time
    official_template: bool = True             # judged against a template the app ships
    period: int | None = None                  # a workspace's audit period
    actions: tuple[ActionRecord, ...] = ()
    on: dt.date | None = None                  # the day its own outcomes are judged on

    @property
    def judged_on(self) -> dt.date:
        if self.on is not None:
            return self.on
        if self.exported_at is not None:
            return self.exported_at.date()
        try:
            return dt.datetime.fromisoformat(self.submission.created_at.replace("Z", "+00:00")).date()
        except (ValueError, AttributeError):
            return dt.date.today()

    def as_dict(self) -> dict[str, Any]:
        sub = self.submission
        t = sub.template
        return {"kind": self.kind, "source": self.source, "submission_id": sub.submission_id,
                "vendor": sub.vendor, "created_at": sub.created_at,
                "exported_at": self.exported_at.isoformat() if self.exported_at else None,
                "signer_key_id": sub.signer_key_id, "period": self.period,
                "template": {"id": t.id, "version": t.version, "sha256": t.digest,
                             "official": self.official_template},
                "judged_on": self.judged_on.isoformat(), "actions": len(self.actions)}


@dataclass(frozen=True)
class ItemComparison:
    item_id: str
    old_item: Item | None          # None: a question the old template did not have
    new_item: Item | None          # None: a question the new template dropped
    state: State
    answer: State
    note: State
    old_answer: Answer | None
    new_answer: Answer | None
    evidence: tuple[EvidenceChange, ...]       # every file of either side, unchanged ones too
    template_changes: tuple[TemplateChange, ...]
    old_outcome: Outcome | None
    new_outcome: Outcome | None

    @property
    def item(self) -> Item:
        return self.new_item or self.old_item  # type: ignore[return-value]

    @property
    def section_id(self) -> str:
        return self.item.section_id

    @property
    def changed(self) -> bool:
        return self.state is not State.UNCHANGED

    @property
    def evidence_changes(self) -> tuple[EvidenceChange, ...]:
        return tuple(e for e in self.evidence if e.changed)

    @property
    def question_changed(self) -> bool:
        """The template changed what this answer answers (not only the help or the order)."""
        return any(changes_the_question(c) for c in self.template_changes)

    @property
    def reasons(self) -> tuple[str, ...]:
        """What changed: of "question", "answer", "note", "evidence", "outcome"."""
        out = []
        if self.old_item is None or self.new_item is None or self.question_changed:
            out.append("question")
        if self.answer is not State.UNCHANGED:
            out.append("answer")
        if self.note is not State.UNCHANGED:
            out.append("note")
        if self.evidence_changes:
            out.append("evidence")
        if self.old_outcome != self.new_outcome:
            out.append("outcome")
        return tuple(out)

    def as_dict(self) -> dict[str, Any]:
        def value(a: Answer | None) -> Any:
            return a.value if a is not None else None

        def note(a: Answer | None) -> str | None:
            return (a.note or None) if a is not None else None

        return {
            "item_id": self.item_id, "section_id": self.section_id, "state": self.state.value,
            "in_old_template": self.old_item is not None, "in_new_template": self.new_item is not None,
            "answer": {"state": self.answer.value, "old": value(self.old_answer),
                       "new": value(self.new_answer)},
            "note": {"state": self.note.value, "old": note(self.old_answer), "new": note(self.new_answer)},
            "evidence": [e.as_dict() for e in self.evidence if e.changed],
            "evidence_unchanged": sum(1 for e in self.evidence if not e.changed),
            "template_changes": [c.as_dict() for c in self.template_changes],
            "question_changed": self.question_changed,
            "outcome": {"old": self.old_outcome.value if self.old_outcome else None,
                        "new": self.new_outcome.value if self.new_outcome else None},
        }


@dataclass(frozen=True)
class Comparison:
    old: Side
    new: Side
    template: TemplateDiff
    items: tuple[ItemComparison, ...]
    actions: tuple[ActionChange, ...]
    _by_id: dict[str, ItemComparison] = field(default_factory=dict, repr=False, compare=False)

    def item(self, item_id: str) -> ItemComparison | None:
        if not self._by_id:
            self._by_id.update((c.item_id, c) for c in self.items)
        return self._by_id.get(item_id)

    @property
    def changed_items(self) -> tuple[ItemComparison, ...]:
        return tuple(c for c in self.items if c.changed)

    def items_where(self, part: str, state: State) -> list[str]:
        """IDs of the items whose ``part`` ("answer", "note" or "state") is ``state``."""
        return [c.item_id for c in self.items if getattr(c, part) is state]

    @property
    def evidence_changes(self) -> tuple[EvidenceChange, ...]:
        return tuple(e for c in self.items for e in c.evidence if e.changed)

    @property
    def action_changes(self) -> tuple[ActionChange, ...]:
        return tuple(a for a in self.actions if a.state is not ActionState.UNCHANGED)

    @property
    def same_signer(self) -> bool | None:
        a, b = self.old.submission.signer_key_id, self.new.submission.signer_key_id
        return None if a is None or b is None else a == b

    def counts(self) -> dict[str, Any]:
        def tally(values: Iterable[StrEnum]) -> dict[str, int]:
            out: dict[str, int] = {}
            for v in values:
                out[v.value] = out.get(v.value, 0) + 1
            return out

        return {
            "items": tally(c.state for c in self.items),
            "answers": tally(c.answer for c in self.items),
            "notes": tally(c.note for c in self.items),
            "evidence": tally(e.state for c in self.items for e in c.evidence),
            "template_changes": len(self.template.changes),
            "questions_changed": sum(1 for c in self.items if c.question_changed),
            "outcomes_changed": sum(1 for c in self.items if c.old_outcome != c.new_outcome),
            "actions": tally(a.state for a in self.actions),
            "actions_open": sum(1 for a in self.actions if a.new is not None and not a.new.closed),
            "actions_closed": sum(1 for a in self.actions if a.new is not None and a.new.closed),
        }

    def as_dict(self) -> dict[str, Any]:
        """The stable JSON form (``diff --json``): every item, its parts and their states."""
        return {"format": COMPARISON_FORMAT, "old": self.old.as_dict(), "new": self.new.as_dict(),
                "same_signer": self.same_signer, "summary": self.counts(),
                "template": self.template.as_dict(), "items": [c.as_dict() for c in self.items],
                "actions": [a.as_dict() for a in self.actions]}


# --- comparing ------------------------------------------------------------------------------


def _part(old: Any, new: Any) -> State:
    if old is None and new is None:
        return State.UNCHANGED
    if old is None:
        return State.ADDED
    if new is None:
        return State.REMOVED
    return State.UNCHANGED if old == new else State.CHANGED


def _value(a: Answer | None) -> Any:
    return None if a is None else a.value


def _note(a: Answer | None) -> str | None:
    return (a.note or None) if a is not None else None


def _same_file(a: EvidenceInfo, b: EvidenceInfo) -> bool:
    """The common case, checked first: the same file in the same place, nothing changed."""
    return (a.sha256 == b.sha256 and a.id == b.id and a.filename == b.filename and a.kind == b.kind
            and a.expires == b.expires)


def _differing(a: EvidenceInfo, b: EvidenceInfo) -> tuple[str, ...]:
    return tuple(f for f in EVIDENCE_FIELDS if getattr(a, f) != getattr(b, f))


def _pair(olds: list[EvidenceInfo], news: list[EvidenceInfo], key
          ) -> tuple[list[tuple[EvidenceInfo, EvidenceInfo]], list[EvidenceInfo], list[EvidenceInfo]]:
    """Pairs of (old, new) with the same ``key``, first come first paired, and what is left of
    each side, in order. Linear: each old file waits in one queue (a hostile bundle may put
    100,000 files with one name under one item)."""
    queues: dict[Any, deque[int]] = {}
    for n, e in enumerate(olds):
        queues.setdefault(key(e), deque()).append(n)
    used: set[int] = set()
    pairs: list[tuple[EvidenceInfo, EvidenceInfo]] = []
    unpaired: list[EvidenceInfo] = []
    for e in news:
        queue = queues.get(key(e))
        if queue:
            n = queue.popleft()
            used.add(n)
            pairs.append((olds[n], e))
        else:
            unpaired.append(e)
    return pairs, [e for n, e in enumerate(olds) if n not in used], unpaired


def compare_evidence(item_id: str, old: list[EvidenceInfo], new: list[EvidenceInfo]) -> list[EvidenceChange]:
    """One item's files, paired: the same bytes (SHA-256) first — with the same evidence ID
    before any other copy — then the same evidence ID (a replacement keeps its ID), then the
    same kind and name, then the same kind, in order. What is left is added or removed."""
    if len(old) == len(new) and all(_same_file(a, b) for a, b in zip(old, new, strict=True)):
        return [EvidenceChange(EvidenceState.UNCHANGED, item_id, a, b) for a, b in zip(old, new, strict=True)]
    out: list[EvidenceChange] = []
    rest_old, rest_new = list(old), list(new)
    for key in (lambda e: (e.sha256, e.id), lambda e: e.sha256):
        pairs, rest_old, rest_new = _pair(rest_old, rest_new, key)
        for o, n in pairs:
            differing = _differing(o, n)
            out.append(EvidenceChange(EvidenceState.DETAILS if differing else EvidenceState.UNCHANGED,
                                      item_id, o, n, differing))
    for key in (lambda e: e.id, lambda e: (e.kind, e.filename), lambda e: e.kind):
        if not (rest_old and rest_new):
            break
        pairs, rest_old, rest_new = _pair(rest_old, rest_new, key)
        out.extend(EvidenceChange(EvidenceState.REPLACED, item_id, o, n, _differing(o, n)) for o, n in pairs)
    out.extend(EvidenceChange(EvidenceState.REMOVED, item_id, e, None) for e in rest_old)
    out.extend(EvidenceChange(EvidenceState.ADDED, item_id, None, e) for e in rest_new)
    return out


def compare_actions(old: Iterable[ActionRecord], new: Iterable[ActionRecord]) -> tuple[ActionChange, ...]:
    before = {a.id: a for a in old}
    out: list[ActionChange] = []
    for a in new:
        o = before.pop(a.id, None)
        if o is None:
            out.append(ActionChange(ActionState.OPENED, None, a))
            continue
        fields = tuple(f for f in ACTION_FIELDS if getattr(o, f) != getattr(a, f))
        if not fields:
            state = ActionState.UNCHANGED
        elif a.closed and not o.closed:
            state = ActionState.CLOSED
        elif o.closed and not a.closed:
            state = ActionState.REOPENED
        else:
            state = ActionState.CHANGED
        out.append(ActionChange(state, o, a, fields))
    out.extend(ActionChange(ActionState.REMOVED, o, None) for o in before.values())
    return tuple(out)


def _by_item(evidence: Iterable[EvidenceInfo]) -> dict[str, list[EvidenceInfo]]:
    out: dict[str, list[EvidenceInfo]] = {}
    for e in evidence:
        out.setdefault(e.item_id, []).append(e)
    return out


def _outcomes(side: Side) -> dict[str, Outcome]:
    assessment = side.submission.assess(side.judged_on)
    return {item_id: state.outcome for item_id, state in assessment.items.items()}


def compare(old: Side, new: Side) -> Comparison:
    """Every item of either template, in the new template's order (the questions the new one
    dropped follow, in the old one's order)."""
    t_old: Template = old.submission.template
    t_new: Template = new.submission.template
    # the same text is the same questions: nothing to walk (1,000 items take a while)
    d_old, d_new = t_old.digest, t_new.digest
    tdiff = (TemplateDiff((t_old.id, t_old.version, d_old), (t_new.id, t_new.version, d_new), ())
             if d_old == d_new else diff_templates(t_old, t_new))
    per_item: dict[str, list[TemplateChange]] = {}
    for c in tdiff.changes:
        if c.item_id is not None:
            per_item.setdefault(c.item_id, []).append(c)
    ev_old, ev_new = _by_item(old.submission.evidence), _by_item(new.submission.evidence)
    ans_old, ans_new = old.submission.answers, new.submission.answers
    out_old, out_new = _outcomes(old), _outcomes(new)
    order = [i.id for i in t_new.items] + [i.id for i in t_old.items if not t_new.has_item(i.id)]
    items: list[ItemComparison] = []
    for item_id in order:
        old_item = t_old.item(item_id) if t_old.has_item(item_id) else None
        new_item = t_new.item(item_id) if t_new.has_item(item_id) else None
        a_old, a_new = ans_old.get(item_id), ans_new.get(item_id)
        answer = _part(_value(a_old), _value(a_new))
        note = _part(_note(a_old), _note(a_new))
        files_old, files_new = ev_old.get(item_id, []), ev_new.get(item_id, [])
        evidence = tuple(compare_evidence(item_id, files_old, files_new))
        tchanges = tuple(per_item.get(item_id, ()))
        had = _value(a_old) is not None or _note(a_old) is not None or bool(files_old)
        has = _value(a_new) is not None or _note(a_new) is not None or bool(files_new)
        if old_item is None:
            state = State.ADDED
        elif new_item is None:
            state = State.REMOVED
        elif not had and has:
            state = State.ADDED
        elif had and not has:
            state = State.REMOVED
        elif (answer is not State.UNCHANGED or note is not State.UNCHANGED
              or any(e.changed for e in evidence) or any(changes_the_question(c) for c in tchanges)):
            state = State.CHANGED
        else:
            state = State.UNCHANGED
        items.append(ItemComparison(
            item_id=item_id, old_item=old_item, new_item=new_item, state=state, answer=answer, note=note,
            old_answer=a_old, new_answer=a_new, evidence=evidence, template_changes=tchanges,
            old_outcome=out_old.get(item_id), new_outcome=out_new.get(item_id)))
    return Comparison(old, new, tdiff, tuple(items), compare_actions(old.actions, new.actions))
