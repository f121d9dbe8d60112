"""Completeness and conformance: which items are shown and required, what each answer means
under the contract's reading, what blocks submission, and every count shown anywhere.

One place decides. An item's *outcome* is one of

* conforming (適合, green): answered, and the answer, note and evidence meet the rule;
* needs improvement (要改善, amber): answered, but not conforming, and the item's basis is
  not binding (a standard, guidance or the template's own good practice) — it does not
  block submission;
* non-conforming (不適合, red): the answer, its note or its evidence fails a rule that traces
  to the contract or a law (Art. 2-2: every 対応状況 column must be satisfied) — it blocks;
* unanswered (未回答): a required item without an answer — it blocks;
* to confirm (前年から引継ぎ・要確認): an answer carried over from last year's workspace that
  nobody has confirmed or changed this year (questionnaire/carryover.py) — it blocks: the
  answer is last year's assessment, not this year's, whatever it says;
* optional (任意): an optional item left blank; hidden (対象外): not shown by a condition.

Every renderer (CLI, xlsx, PDF, desktop, bundle manifest) reads the outcome and the counts
from here; none decides them again.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from .answers import Answer, is_valid_stored
from .carryover import CarryMark
from .datefmt import jp_date
from .evidence import EXPIRY_WARNING_DAYS, EvidenceInfo, Expiry
from .template import AnswerKind, Item, Template
from .text import Text


class ProblemCode(StrEnum):
    UNANSWERED = "unanswered"
    INVALID_ANSWER = "invalid_answer"
    NONCONFORMING = "nonconforming"
    NOTE_MISSING = "note_missing"
    EVIDENCE_MISSING = "evidence_missing"
    EVIDENCE_WRONG_KIND = "evidence_wrong_kind"
    EVIDENCE_EXPIRED = "evidence_expired"
    EVIDENCE_EXPIRING = "evidence_expiring"
    HIDDEN_ANSWERED = "hidden_answered"
    CARRIED_UNCONFIRMED = "carried_unconfirmed"


class Severity(StrEnum):
    BLOCKING = "blocking"        # blocks submission: unanswered, or fails a binding rule
    IMPROVEMENT = "improvement"  # fails a rule that is not binding: needs improvement
    WARNING = "warning"          # a heads-up that changes no outcome (evidence expiring soon)


class Outcome(StrEnum):
    CONFORMING = "conforming"
    NEEDS_IMPROVEMENT = "needs_improvement"
    NON_CONFORMING = "non_conforming"
    TO_CONFIRM = "to_confirm"
    UNANSWERED = "unanswered"
    OPTIONAL = "optional"
    HIDDEN = "hidden"

    @property
    def label(self) -> Text:
        return OUTCOME_LABELS[self]

    @property
    def tone(self) -> Tone:
        return OUTCOME_TONES[self]

    @property
    def blocking(self) -> bool:
        return self in (Outcome.NON_CONFORMING, Outcome.TO_CONFIRM, Outcome.UNANSWERED)


class Tone(StrEnum):
    """How a renderer colours an outcome; it always prints the label beside the colour."""

    GOOD = "good"        # green: conforming, and only that
    WARN = "warn"        # amber
    BAD = "bad"          # red
    TODO = "todo"        # not yet answered: a blocking to-do, drawn apart from red
    NEUTRAL = "neutral"  # grey


OUTCOME_LABELS: dict[Outcome, Text] = {
    Outcome.CONFORMING: Text("適合", "Conforming"),
    Outcome.NEEDS_IMPROVEMENT: Text("要改善", "Needs improvement"),
    Outcome.NON_CONFORMING: Text("不適合", "Non-conforming"),
    Outcome.TO_CONFIRM: Text("前年から引継ぎ・要確認", "Carried over — to confirm"),
    Outcome.UNANSWERED: Text("未回答", "Not answered"),
    Outcome.OPTIONAL: Text("任意（未回答）", "Optional (blank)"),
    Outcome.HIDDEN: Text("対象外", "Not shown"),
}

OUTCOME_TONES: dict[Outcome, Tone] = {
    Outcome.CONFORMING: Tone.GOOD,
    Outcome.NEEDS_IMPROVEMENT: Tone.WARN,
    Outcome.NON_CONFORMING: Tone.BAD,
    Outcome.TO_CONFIRM: Tone.TODO,
    Outcome.UNANSWERED: Tone.TODO,
    Outcome.OPTIONAL: Tone.NEUTRAL,
    Outcome.HIDDEN: Tone.NEUTRAL,
}

# The order outcomes are listed in, in every table and count line.
OUTCOME_ORDER = (Outcome.CONFORMING, Outcome.NEEDS_IMPROVEMENT, Outcome.NON_CONFORMING,
                 Outcome.TO_CONFIRM, Outcome.UNANSWERED, Outcome.OPTIONAL, Outcome.HIDDEN)

_MESSAGES = {
    ProblemCode.UNANSWERED: Text("未回答です", "not answered"),
    ProblemCode.INVALID_ANSWER: Text("回答が現在のテンプレートに合いません",
                                     "answer does not fit the template"),
    ProblemCode.NONCONFORMING: Text("回答が基準を満たしていません", "answer does not meet the criterion"),
    ProblemCode.NOTE_MISSING: Text("備考（是正計画と期日）の記入が必要です",
                                   "a note (remediation plan and date) is required"),
    ProblemCode.EVIDENCE_MISSING: Text("証跡が添付されていません", "no evidence is attached"),
    ProblemCode.EVIDENCE_WRONG_KIND: Text("添付された証跡はこの設問に必要な種類ではありません",
                                          "the attached evidence is not of a kind this item accepts"),
    ProblemCode.EVIDENCE_EXPIRED: Text("証跡の有効期限が切れています", "evidence has expired"),
    ProblemCode.EVIDENCE_EXPIRING: Text("証跡の有効期限が近づいています", "evidence expires soon"),
    ProblemCode.HIDDEN_ANSWERED: Text("非表示の項目に回答が残っています",
                                      "a hidden item still has an answer"),
    ProblemCode.CARRIED_UNCONFIRMED: Text("前年から引き継いだ回答です。内容を確認してください",
                                          "answer carried over from last year; confirm it"),
}


CHANGED_QUESTION = Text("テンプレートの更新で設問の文言・規則が変わりました",
                        "the question's text or rules changed with the template update")


@dataclass(frozen=True, slots=True)
class Problem:
    code: ProblemCode
    item_id: str
    detail: Text | str = ""
    evidence_id: str | None = None
    severity: Severity = Severity.BLOCKING

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.BLOCKING

    def detail_text(self, lang: str = "ja") -> str:
        return self.detail.get(lang) if isinstance(self.detail, Text) else self.detail

    def text(self, lang: str = "ja") -> str:
        """The message without the item ID (for a row that names the item already)."""
        detail = self.detail_text(lang)
        base = _MESSAGES[self.code].get(lang)
        if not detail:
            return base
        return f"{base}（{detail}）" if lang == "ja" else f"{base} ({detail})"

    def message(self, lang: str = "ja") -> str:
        return f"{self.item_id}: {self.text(lang)}"

    def as_dict(self) -> dict[str, object]:
        return {"code": str(self.code), "item_id": self.item_id, "detail": self.detail_text("ja"),
                "detail_en": self.detail_text("en"), "evidence_id": self.evidence_id,
                "severity": str(self.severity), "blocking": self.blocking,
                "message_ja": self.message("ja"), "message_en": self.message("en")}


@dataclass(frozen=True, slots=True)
class ItemState:
    item: Item
    visible: bool
    required: bool
    answer: Answer | None
    evidence: tuple[EvidenceInfo, ...]
    problems: tuple[Problem, ...]
    outcome: Outcome
    carried: CarryMark | None = None  # the answer came from last year's workspace

    @property
    def to_confirm(self) -> bool:
        """A carried answer nobody has confirmed yet (shown items only)."""
        return self.visible and self.carried is not None and not self.carried.confirmed

    @property
    def answered(self) -> bool:
        return self.answer is not None and self.answer.value is not None

    @property
    def complete(self) -> bool:
        """Nothing blocks this item (it may still need improvement)."""
        return not any(p.blocking for p in self.problems)


def outcome_of(visible: bool, required: bool, answered: bool, problems: Iterable[Problem]) -> Outcome:
    if not visible:
        return Outcome.HIDDEN
    blocking: set[ProblemCode] = set()
    improvement = False
    for p in problems:
        if p.severity is Severity.BLOCKING:
            blocking.add(p.code)
        elif p.severity is Severity.IMPROVEMENT:
            improvement = True
    if blocking:
        rest = blocking - {ProblemCode.UNANSWERED, ProblemCode.CARRIED_UNCONFIRMED}
        if ProblemCode.UNANSWERED in blocking and not rest:
            return Outcome.UNANSWERED  # a carried note without an answer: answering is the to-do
        if ProblemCode.CARRIED_UNCONFIRMED in blocking:
            # last year's answer: whatever it fails or meets, it is not this year's until confirmed
            return Outcome.TO_CONFIRM
        return Outcome.NON_CONFORMING
    if improvement:
        return Outcome.NEEDS_IMPROVEMENT
    if not answered:
        return Outcome.UNANSWERED if required else Outcome.OPTIONAL
    return Outcome.CONFORMING


@dataclass(frozen=True, slots=True)
class Tally:
    """The one definition of every count: items by outcome, over a section or the whole."""

    shown: int
    required: int
    answered: int
    complete: int  # required items that nothing blocks (conforming or needing improvement)
    outcomes: Mapping[Outcome, int]
    carried: int = 0      # shown items whose answer was carried over from last year
    unconfirmed: int = 0  # of those, not yet confirmed (or changed) this year

    @property
    def confirmed(self) -> int:
        return self.carried - self.unconfirmed

    @property
    def ratio(self) -> float:
        return 1.0 if self.required == 0 else self.complete / self.required

    @property
    def blocking(self) -> int:
        """Items that block submission (non-conforming, to confirm or unanswered)."""
        return sum(self.count(o) for o in OUTCOME_ORDER if o.blocking)

    def count(self, outcome: Outcome) -> int:
        return self.outcomes.get(outcome, 0)

    @property
    def visible(self) -> int:
        return self.shown

    def as_dict(self) -> dict[str, object]:
        return {"shown": self.shown, "required": self.required, "answered": self.answered,
                "complete": self.complete, "ratio": round(self.ratio, 4), "blocking": self.blocking,
                "carried": self.carried, "confirmed": self.confirmed, "unconfirmed": self.unconfirmed,
                "outcomes": {str(o): self.count(o) for o in OUTCOME_ORDER}}


def tally(states: Iterable[ItemState]) -> Tally:
    shown = required = answered = complete = carried = unconfirmed = 0
    outcomes: Counter[Outcome] = Counter()
    for st in states:
        outcomes[st.outcome] += 1
        if not st.visible:
            continue
        shown += 1
        answered += st.answered
        if st.carried is not None:
            carried += 1
            unconfirmed += not st.carried.confirmed
        if st.required:
            required += 1
            complete += st.complete
    return Tally(shown, required, answered, complete, {o: outcomes[o] for o in OUTCOME_ORDER},
                 carried, unconfirmed)


@dataclass(frozen=True, slots=True)
class SectionProgress:
    section_id: str
    tally: Tally

    # the tally's numbers, for the many places that show one section's progress
    visible = property(lambda self: self.tally.shown)
    required = property(lambda self: self.tally.required)
    complete = property(lambda self: self.tally.complete)
    answered = property(lambda self: self.tally.answered)
    blocking = property(lambda self: self.tally.blocking)
    ratio = property(lambda self: self.tally.ratio)

    def count(self, outcome: Outcome) -> int:
        return self.tally.count(outcome)


@dataclass(frozen=True)
class Assessment:
    """Immutable, so the derived lists and totals below are computed once per assessment."""

    on: dt.date
    template_id: str
    template_version: str
    items: dict[str, ItemState]
    sections: tuple[SectionProgress, ...]
    problems: tuple[Problem, ...] = field(default=())

    @cached_property
    def total(self) -> Tally:
        return tally(self.items.values())

    @property
    def required(self) -> int:
        return self.total.required

    @property
    def complete(self) -> int:
        return self.total.complete

    @property
    def ratio(self) -> float:
        return self.total.ratio

    def count(self, outcome: Outcome) -> int:
        return self.total.count(outcome)

    @cached_property
    def blockers(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.BLOCKING)

    @cached_property
    def improvements(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.IMPROVEMENT)

    @cached_property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)

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
        total = self.total
        return {
            "on": self.on.isoformat(),
            "template": {"id": self.template_id, "version": self.template_version},
            "overall": {**total.as_dict(), "can_submit": self.can_submit},
            "sections": [{"id": s.section_id, **s.tally.as_dict()} for s in self.sections],
            "items": {item_id: {"outcome": str(st.outcome), "binding": st.item.binding,
                                "required": st.required,
                                **({"carried": {"confirmed": st.carried.confirmed,
                                                "changed_question": st.carried.changed_question}}
                                   if st.carried is not None else {})}
                      for item_id, st in self.items.items()},
            "blockers": [p.as_dict() for p in self.blockers],
            "improvements": [p.as_dict() for p in self.improvements],
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
    carried: Mapping[str, CarryMark] | None = None,
) -> Assessment:
    """``carried``: the marks of answers carried over from last year (storage keeps them); an
    unconfirmed one on a shown item with an answer blocks as ``Outcome.TO_CONFIRM``."""
    on = on or dt.date.today()
    carried = carried or {}
    by_item: dict[str, list[EvidenceInfo]] = {}
    for ev in evidence:
        by_item.setdefault(ev.item_id, []).append(ev)
    values = effective_values(template, answers)

    states: dict[str, ItemState] = {}
    all_problems: list[Problem] = []
    progress: list[SectionProgress] = []
    for section in template.sections:
        section_states = []
        for item in section.items:
            visible = is_visible(item, values)
            required = visible and (
                item.required if item.required_if is None
                else item.required or item.required_if.holds(values.get(item.required_if.item_id))
            )
            answer = answers.get(item.id)
            attached = tuple(by_item.get(item.id, ()))
            problems = (
                _item_problems(template, item, required, answer, attached, on, warn_days) if visible
                else _hidden_problems(item, answer)
            )
            mark = carried.get(item.id) if answer is not None else None
            if visible and mark is not None and not mark.confirmed:
                problems = (*problems, Problem(
                    ProblemCode.CARRIED_UNCONFIRMED, item.id,
                    CHANGED_QUESTION if mark.changed_question else ""))
            answered = answer is not None and answer.value is not None
            state = ItemState(item, visible, required, answer, attached, problems,
                              outcome_of(visible, required, answered, problems), mark)
            states[item.id] = state
            section_states.append(state)
            all_problems.extend(problems)
        progress.append(SectionProgress(section.id, tally(section_states)))
    return Assessment(on, template.id, template.version, states, tuple(progress), tuple(all_problems))


def _hidden_problems(item: Item, answer: Answer | None) -> tuple[Problem, ...]:
    if answer is not None and answer.value is not None:
        return (Problem(ProblemCode.HIDDEN_ANSWERED, item.id, severity=Severity.WARNING),)
    return ()


def _kind_names(template: Template, kinds: Iterable[str]) -> Text:
    # a kind the template does not name (not possible through the app) is never shown as its code
    unknown = Text("テンプレートにない種類", "a kind the template does not name")
    labels = [template.evidence_kind(k).label if template.evidence_kind(k) else unknown for k in kinds]
    return Text("・".join(t.ja for t in labels), ", ".join(t.en for t in labels))


def _item_problems(template: Template, item: Item, required: bool, answer: Answer | None,
                   attached: tuple[EvidenceInfo, ...], on: dt.date, warn_days: int) -> tuple[Problem, ...]:
    # A failed rule blocks only when the item traces to the contract or a law; otherwise
    # the answer stands but needs improvement. Unanswered, unreadable and note-less answers
    # leave the column unfilled (Art. 2-2), so they always block.
    failing = Severity.BLOCKING if item.binding else Severity.IMPROVEMENT
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
            problems.append(Problem(ProblemCode.NONCONFORMING, item.id,
                                    Text(item.label_of(value, "ja"), item.label_of(value, "en")), None,
                                    failing))
        if value in item.note_required_for and not (answer and answer.note):
            problems.append(Problem(ProblemCode.NOTE_MISSING, item.id,
                                    Text(item.label_of(value, "ja"), item.label_of(value, "en"))))

    rule = item.evidence
    needed = rule is not None and rule.needed_for(value)
    allowed = set(rule.kinds) if rule is not None else None
    # a file of an accepted kind that is valid on the day covers the item
    covered = any((allowed is None or e.kind in allowed) and e.expiry(on, warn_days) is not Expiry.EXPIRED
                  for e in attached)
    for ev in attached:
        state = ev.expiry(on, warn_days)
        if state in (Expiry.NONE, Expiry.VALID):
            continue
        when = Text(f"{ev.display_title}: {jp_date(ev.expires)}", f"{ev.display_title}: {ev.expires}")
        if state is Expiry.EXPIRED:
            # an expired file beside a valid one of an accepted kind (last year's certificate
            # kept with the renewed one) misleads nobody: a warning, not a failure
            severity = Severity.WARNING if covered else failing
            problems.append(Problem(ProblemCode.EVIDENCE_EXPIRED, item.id, when, ev.id, severity))
        elif state is Expiry.EXPIRING:
            problems.append(Problem(ProblemCode.EVIDENCE_EXPIRING, item.id, when, ev.id, Severity.WARNING))

    if needed and not covered:
        assert rule is not None
        accepted = [e for e in attached if e.kind in rule.kinds]
        if accepted:
            pass  # every accepted file has expired: reported above, once per file
        elif attached:
            found = _kind_names(template, dict.fromkeys(e.kind for e in attached))
            want = _kind_names(template, rule.kinds)
            problems.append(Problem(
                ProblemCode.EVIDENCE_WRONG_KIND, item.id,
                Text(f"添付されているのは{found.ja}、必要なのは{want.ja}",
                     f"attached: {found.en}; this item needs: {want.en}"),
                None, failing))
        else:
            problems.append(Problem(ProblemCode.EVIDENCE_MISSING, item.id,
                                    Text(f"必要: {_kind_names(template, rule.kinds).ja}",
                                         f"needed: {_kind_names(template, rule.kinds).en}"),
                                    None, failing))
    return tuple(problems)
