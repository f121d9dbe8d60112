"""Completeness: which items are shown and required, what is missing, what blocks submission."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from .answers import Answer, is_valid_stored
from .evidence import EXPIRY_WARNING_DAYS, EvidenceInfo, Expiry
from .template import AnswerKind, Item, Template


class ProblemCode(StrEnum):
    UNANSWERED = "unanswered"
    INVALID_ANSWER = "invalid_answer"
    NONCONFORMING = "nonconforming"
    NOTE_MISSING = "note_missing"
    EVIDENCE_MISSING = "evidence_missing"
    EVIDENCE_EXPIRED = "evidence_expired"
    # warnings (do not block)
    EVIDENCE_EXPIRING = "evidence_expiring"
    HIDDEN_ANSWERED = "hidden_answered"


BLOCKING = frozenset({
    ProblemCode.UNANSWERED, ProblemCode.INVALID_ANSWER, ProblemCode.NONCONFORMING,
    ProblemCode.NOTE_MISSING, ProblemCode.EVIDENCE_MISSING, ProblemCode.EVIDENCE_EXPIRED,
})

_MESSAGES = {
    ProblemCode.UNANSWERED: ("未回答です", "not answered"),
    ProblemCode.INVALID_ANSWER: ("回答が現在のテンプレートに合いません", "answer does not fit the template"),
    ProblemCode.NONCONFORMING: ("回答が認定基準を満たしていません", "answer does not meet the criterion"),
    ProblemCode.NOTE_MISSING: ("備考（是正計画と期日）の記入が必要です",
                               "a note (remediation plan and date) is required"),
    ProblemCode.EVIDENCE_MISSING: ("証跡が添付されていません", "evidence is missing"),
    ProblemCode.EVIDENCE_EXPIRED: ("証跡の有効期限が切れています", "evidence has expired"),
    ProblemCode.EVIDENCE_EXPIRING: ("証跡の有効期限が近づいています", "evidence expires soon"),
    ProblemCode.HIDDEN_ANSWERED: ("非表示の項目に回答が残っています", "a hidden item still has an answer"),
}


@dataclass(frozen=True, slots=True)
class Problem:
    code: ProblemCode
    item_id: str
    detail: str = ""
    evidence_id: str | None = None

    @property
    def blocking(self) -> bool:
        return self.code in BLOCKING

    def message(self, lang: str = "ja") -> str:
        ja, en = _MESSAGES[self.code]
        text = en if lang == "en" else ja
        return f"{self.item_id}: {text}" + (f" ({self.detail})" if self.detail else "")

    def as_dict(self) -> dict[str, object]:
        return {"code": str(self.code), "item_id": self.item_id, "detail": self.detail,
                "evidence_id": self.evidence_id, "blocking": self.blocking,
                "message_ja": self.message("ja"), "message_en": self.message("en")}


@dataclass(frozen=True, slots=True)
class ItemState:
    item: Item
    visible: bool
    required: bool
    answer: Answer | None
    evidence: tuple[EvidenceInfo, ...]
    problems: tuple[Problem, ...]

    @property
    def answered(self) -> bool:
        return self.answer is not None and self.answer.value is not None

    @property
    def complete(self) -> bool:
        return not any(p.blocking for p in self.problems)


@dataclass(frozen=True, slots=True)
class SectionProgress:
    section_id: str
    visible: int
    required: int
    complete: int
    answered: int
    blocking: int

    @property
    def ratio(self) -> float:
        return 1.0 if self.required == 0 else self.complete / self.required


@dataclass(frozen=True)
class Assessment:
    on: dt.date
    template_id: str
    template_version: str
    items: dict[str, ItemState]
    sections: tuple[SectionProgress, ...]
    problems: tuple[Problem, ...] = field(default=())

    @property
    def required(self) -> int:
        return sum(s.required for s in self.sections)

    @property
    def complete(self) -> int:
        return sum(s.complete for s in self.sections)

    @property
    def ratio(self) -> float:
        return 1.0 if self.required == 0 else self.complete / self.required

    @property
    def blockers(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.blocking)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.blocking)

    @property
    def can_submit(self) -> bool:
        return not self.blockers

    def status_counts(self) -> Counter[str]:
        """How many shown status items got each answer ('' for unanswered)."""
        return Counter(
            # str: an answers.json from outside may hold any JSON here (a list is not countable)
            (st.answer.value if st.answered and isinstance(st.answer.value, str) else "")
            for st in self.items.values() if st.visible and st.item.kind is AnswerKind.STATUS
        )

    def expired_evidence(self) -> list[EvidenceInfo]:
        return [e for st in self.items.values() for e in st.evidence
                if e.expiry(self.on) is Expiry.EXPIRED]

    def expiring_evidence(self) -> list[EvidenceInfo]:
        return [e for st in self.items.values() for e in st.evidence
                if e.expiry(self.on) is Expiry.EXPIRING]

    def as_dict(self) -> dict[str, object]:
        return {
            "on": self.on.isoformat(),
            "template": {"id": self.template_id, "version": self.template_version},
            "overall": {"required": self.required, "complete": self.complete,
                        "ratio": round(self.ratio, 4), "can_submit": self.can_submit},
            "sections": [
                {"id": s.section_id, "visible": s.visible, "required": s.required,
                 "complete": s.complete, "answered": s.answered, "ratio": round(s.ratio, 4)}
                for s in self.sections
            ],
            "blockers": [p.as_dict() for p in self.blockers],
            "warnings": [p.as_dict() for p in self.warnings],
            "status_counts": dict(self.status_counts()),
            "expired_evidence": [e.as_dict() for e in self.expired_evidence()],
            "expiring_evidence": [e.as_dict() for e in self.expiring_evidence()],
        }


def effective_values(template: Template, answers: Mapping[str, Answer]) -> dict[str, object]:
    """Answer values of the shown items only, so hidden answers satisfy no condition."""
    values: dict[str, object] = {}
    for item in template.items:  # conditions refer only to earlier items
        answer = answers.get(item.id)
        if answer is None or answer.value is None:
            continue
        if item.show_if is None or item.show_if.holds(values.get(item.show_if.item_id)):
            values[item.id] = answer.value
    return values


def is_visible(item: Item, values: Mapping[str, object]) -> bool:
    return item.show_if is None or item.show_if.holds(values.get(item.show_if.item_id))


def assess(
    template: Template,
    answers: Mapping[str, Answer],
    evidence: Iterable[EvidenceInfo],
    on: dt.date | None = None,
    warn_days: int = EXPIRY_WARNING_DAYS,
) -> Assessment:
    on = on or dt.date.today()
    by_item: dict[str, list[EvidenceInfo]] = {}
    for ev in evidence:
        by_item.setdefault(ev.item_id, []).append(ev)
    values = effective_values(template, answers)

    states: dict[str, ItemState] = {}
    all_problems: list[Problem] = []
    progress: list[SectionProgress] = []
    for section in template.sections:
        counts = Counter()
        for item in section.items:
            visible = is_visible(item, values)
            required = visible and (
                item.required if item.required_if is None
                else item.required or item.required_if.holds(values.get(item.required_if.item_id))
            )
            answer = answers.get(item.id)
            attached = tuple(by_item.get(item.id, ()))
            problems = (
                _item_problems(item, required, answer, attached, on, warn_days) if visible
                else _hidden_problems(item, answer)
            )
            state = ItemState(item, visible, required, answer, attached, problems)
            states[item.id] = state
            all_problems.extend(problems)
            counts["visible"] += visible
            counts["answered"] += visible and state.answered
            counts["blocking"] += sum(p.blocking for p in problems)
            if required:
                counts["required"] += 1
                counts["complete"] += state.complete
        progress.append(SectionProgress(section.id, counts["visible"], counts["required"],
                                        counts["complete"], counts["answered"], counts["blocking"]))
    return Assessment(on, template.id, template.version, states, tuple(progress), tuple(all_problems))


def _hidden_problems(item: Item, answer: Answer | None) -> tuple[Problem, ...]:
    if answer is not None and answer.value is not None:
        return (Problem(ProblemCode.HIDDEN_ANSWERED, item.id),)
    return ()


def _item_problems(item: Item, required: bool, answer: Answer | None,
                   attached: tuple[EvidenceInfo, ...], on: dt.date, warn_days: int) -> tuple[Problem, ...]:
    problems: list[Problem] = []
    value = answer.value if answer else None
    if value is None:
        if required:
            problems.append(Problem(ProblemCode.UNANSWERED, item.id))
    elif not is_valid_stored(item, value):
        problems.append(Problem(ProblemCode.INVALID_ANSWER, item.id, str(value)))
        value = None
    else:
        if item.expected is not None and value not in item.expected:
            problems.append(Problem(ProblemCode.NONCONFORMING, item.id, item.label_of(value)))
        if value in item.note_required_for and not (answer and answer.note):
            problems.append(Problem(ProblemCode.NOTE_MISSING, item.id, item.label_of(value)))

    for ev in attached:
        state = ev.expiry(on, warn_days)
        if state is Expiry.EXPIRED:
            problems.append(Problem(ProblemCode.EVIDENCE_EXPIRED, item.id,
                                    f"{ev.display_title}: {ev.expires}", ev.id))
        elif state is Expiry.EXPIRING:
            problems.append(Problem(ProblemCode.EVIDENCE_EXPIRING, item.id,
                                    f"{ev.display_title}: {ev.expires}", ev.id))

    rule = item.evidence
    if rule is not None and rule.needed_for(value):
        usable = [e for e in attached if e.kind in rule.kinds]
        if not usable:
            kinds = ", ".join(rule.kinds)
            problems.append(Problem(ProblemCode.EVIDENCE_MISSING, item.id, kinds))
    return tuple(problems)
