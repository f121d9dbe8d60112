"""Carrying last year's answers into this year's questionnaire: what is kept, flagged or dropped.

Pure data, no storage: ``plan_carry`` maps the old workspace's answers and evidence onto the
(possibly newer) template by item ID; ``storage/cycle.py`` writes the plan into a new
workspace. Every carried answer gets a ``CarryMark``: it stays "to be re-confirmed"
(completeness.py, ``Outcome.TO_CONFIRM``) until the user confirms it or changes it, so a
count of complete items never includes an answer nobody looked at this year.

An answer to a question whose text or rules changed between the two template versions is
carried but flagged ``changed_question`` — the user sees what changed and confirms it one
by one (bulk confirmation leaves those out unless asked to include them). An answer that is
no longer a valid value for the new item (a choice that no longer exists, a number outside
the new range) is dropped, and the report says what was dropped and why; its note is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .answers import Answer, AnswerValue, is_valid_stored
from .evidence import EvidenceInfo
from .template import Template
from .template_diff import Change, ChangeKind, Effect, TemplateDiff, diff_templates
from .text import Text

# How a carried answer was confirmed (kept with the mark, and in the activity log).
CONFIRMED_BY = ("item", "section", "all", "edit")

# Which template changes alter the question an answer was given to. Wording of the help,
# of the evidence hint or of the source, an item's position and a basis reference that
# keeps its binding force do not: the answer still answers the same question under the
# same rule. Everything else — the question's text, the answer kind, choices and their
# labels, what conforms, the note and evidence rules, limits, conditions, whether it is
# required, and a basis that becomes (or stops being) binding — does.
_QUESTION_KINDS = frozenset({
    ChangeKind.ANSWER_KIND, ChangeKind.CHOICES, ChangeKind.EXPECTED, ChangeKind.NOTE_RULE,
    ChangeKind.EVIDENCE_RULE, ChangeKind.LIMITS, ChangeKind.CONDITION, ChangeKind.MADE_OPTIONAL,
    ChangeKind.MADE_REQUIRED, ChangeKind.OTHER,
})


def changes_the_question(change: Change) -> bool:
    if change.item_id is None:
        return False
    if change.kind in _QUESTION_KINDS:
        return True
    if change.kind is ChangeKind.TEXT:
        return change.field == "text" or change.field.startswith("choice ")
    if change.kind is ChangeKind.BASIS:
        return change.effect is not Effect.NEUTRAL  # binding force changed
    return False


@dataclass(frozen=True, slots=True)
class CarryMark:
    """An answer carried from the origin workspace, as carried, and whether it was confirmed."""

    origin_value: AnswerValue | None
    origin_note: str | None
    changed_question: bool = False
    changes: tuple[str, ...] = ()       # template_diff.ChangeKind values for this item
    confirmed_at: str | None = None      # ISO timestamp, UTC
    confirmed_by: str | None = None      # one of CONFIRMED_BY

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    def confirm(self, at: str, by: str) -> CarryMark:
        return replace(self, confirmed_at=at, confirmed_by=by)

    def unconfirm(self) -> CarryMark:
        return replace(self, confirmed_at=None, confirmed_by=None)

    def as_dict(self) -> dict[str, Any]:
        return {"origin_value": self.origin_value, "origin_note": self.origin_note,
                "changed_question": self.changed_question, "changes": list(self.changes),
                "confirmed_at": self.confirmed_at, "confirmed_by": self.confirmed_by}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CarryMark:
        return cls(data.get("origin_value"), data.get("origin_note"),
                   bool(data.get("changed_question")), tuple(data.get("changes") or ()),
                   data.get("confirmed_at"), data.get("confirmed_by"))


@dataclass(frozen=True, slots=True)
class Dropped:
    """Something of the origin that was not carried, and why."""

    item_id: str
    what: str                    # "answer" | "value" (the note was kept) | "evidence"
    reason: Text
    value: Any = None            # the answer value, or the evidence file name
    evidence_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"item_id": self.item_id, "what": self.what, "reason": self.reason.as_dict(),
                "value": self.value, "evidence_id": self.evidence_id}


@dataclass(frozen=True)
class CarryPlan:
    old_template: Template
    new_template: Template
    answers: dict[str, Answer]
    marks: dict[str, CarryMark]
    evidence: tuple[EvidenceInfo, ...]
    dropped: tuple[Dropped, ...]
    diff: TemplateDiff | None                    # None: the same template
    changed_items: dict[str, tuple[str, ...]]    # item -> question-changing kinds (all items)
    added_items: tuple[str, ...]
    removed_items: tuple[str, ...]
    notices: tuple[Dropped, ...] = field(default=())  # carried, but altered (an evidence kind)

    @property
    def upgraded(self) -> bool:
        return self.diff is not None

    def summary(self) -> dict[str, Any]:
        """Counts and lists for the report, JSON-friendly."""
        return {
            "template": {"old": {"id": self.old_template.id, "version": self.old_template.version},
                         "new": {"id": self.new_template.id, "version": self.new_template.version},
                         "upgraded": self.upgraded},
            "answers": len(self.answers),
            "changed_question": sorted(i for i, m in self.marks.items() if m.changed_question),
            "evidence": len(self.evidence),
            "added_items": list(self.added_items),
            "removed_items": list(self.removed_items),
            "changed_items": {k: list(v) for k, v in self.changed_items.items()},
            "dropped": [d.as_dict() for d in self.dropped],
            "notices": [d.as_dict() for d in self.notices],
        }


REMOVED = Text("新しいテンプレートにこの設問がありません", "the new template has no such item")
INVALID = Text("新しい設問の回答として有効ではありません（備考は引き継ぎました）",
               "no longer a valid answer to the new item (the note was kept)")
INVALID_NO_NOTE = Text("新しい設問の回答として有効ではありません", "no longer a valid answer to the new item")
KIND_GONE = Text("証跡の種類「{kind}」が新しいテンプレートにないため「その他」にしました",
                 "evidence kind '{kind}' is not in the new template; it is now 'other'")
KIND_GONE_DROPPED = Text("証跡の種類「{kind}」が新しいテンプレートにありません",
                         "evidence kind '{kind}' is not in the new template")


def _fmt(text: Text, **kw: str) -> Text:
    return Text(text.ja.format(**kw), text.en.format(**kw))


def plan_carry(old: Template, new: Template, answers: Mapping[str, Answer],
               evidence: Iterable[EvidenceInfo]) -> CarryPlan:
    """What of ``answers`` and ``evidence`` (given under ``old``) goes into a workspace on ``new``."""
    diff = None if old.digest == new.digest else diff_templates(old, new)
    changed: dict[str, tuple[str, ...]] = {}
    added: list[str] = []
    removed: list[str] = []
    if diff is not None:
        kinds: dict[str, dict[str, None]] = {}
        for change in diff.changes:
            if change.kind is ChangeKind.ITEM_ADDED:
                added.append(change.item_id)
            elif change.kind is ChangeKind.ITEM_REMOVED:
                removed.append(change.item_id)
            elif changes_the_question(change):
                kinds.setdefault(change.item_id, {})[change.kind.value] = None
        changed = {item_id: tuple(k) for item_id, k in kinds.items()}

    carried: dict[str, Answer] = {}
    marks: dict[str, CarryMark] = {}
    dropped: list[Dropped] = []
    for item in old.items:  # template order, so reports read in questionnaire order
        answer = answers.get(item.id)
        if answer is None or (answer.value is None and not answer.note):
            continue
        if not new.has_item(item.id):
            dropped.append(Dropped(item.id, "answer", REMOVED, answer.value))
            continue
        value = answer.value
        if value is not None and not is_valid_stored(new.item(item.id), value):
            dropped.append(Dropped(item.id, "value", INVALID if answer.note else INVALID_NO_NOTE, value))
            if not answer.note:
                continue
            value = None
        carried[item.id] = Answer(value, answer.note, answer.updated_at)
        item_changes = changed.get(item.id, ())
        marks[item.id] = CarryMark(value, answer.note, bool(item_changes), item_changes)

    kept: list[EvidenceInfo] = []
    notices: list[Dropped] = []
    for info in evidence:
        if not new.has_item(info.item_id):
            dropped.append(Dropped(info.item_id, "evidence", REMOVED, info.filename, info.id))
            continue
        if new.evidence_kind(info.kind) is None:
            if new.evidence_kind("other") is None:
                dropped.append(Dropped(info.item_id, "evidence", _fmt(KIND_GONE_DROPPED, kind=info.kind),
                                       info.filename, info.id))
                continue
            notices.append(Dropped(info.item_id, "evidence", _fmt(KIND_GONE, kind=info.kind),
                                   info.filename, info.id))
            info = replace(info, kind="other")
        kept.append(info)
    return CarryPlan(old, new, carried, marks, tuple(kept), tuple(dropped), diff, changed,
                     tuple(added), tuple(removed), tuple(notices))
