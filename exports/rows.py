"""What the checklist and the report show for each item, computed once from a Submission.

Both documents must say the same thing about an item (its answer text, its state,
its evidence), so the wording lives here and the two writers only lay it out.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass

from questionnaire.answers import Answer
from questionnaire.completeness import (
    OUTCOME_ORDER,
    Assessment,
    ItemState,
    Outcome,
    Problem,
    SectionProgress,
    Severity,
    Tally,
    Tone,
)
from questionnaire.datefmt import jp_date
from questionnaire.evidence import EvidenceInfo, Expiry
from questionnaire.review import Finding, Verdict
from questionnaire.submission import Submission
from questionnaire.template import AnswerKind, Item, Section, Template
from questionnaire.text import Text

EXPIRY_LABELS: dict[Expiry, Text] = {
    Expiry.NONE: Text("期限なし", "no expiry"),
    Expiry.VALID: Text("有効", "valid"),
    Expiry.EXPIRING: Text("期限間近", "expires soon"),
    Expiry.EXPIRED: Text("期限切れ", "expired"),
}


@dataclass(frozen=True, slots=True)
class ItemRow:
    section: Section
    item: Item
    state: ItemState
    answer_text: str          # Japanese label of the answer ("" when unanswered)
    answer_text_en: str
    note: str
    evidence: tuple[EvidenceInfo, ...]
    fingerprint: str          # of the vendor content (see content_fingerprint)

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.state.problems

    @property
    def outcome(self) -> Outcome:
        return self.state.outcome

    def changed_since(self, finding: Finding) -> bool:
        """Whether the answer, note or evidence changed after the reviewer saw them."""
        return bool(finding.fingerprint) and finding.fingerprint != self.fingerprint


@dataclass(frozen=True, slots=True)
class SectionRows:
    section: Section
    progress: SectionProgress
    rows: tuple[ItemRow, ...]


def _canonical(obj: object) -> bytes:
    # surrogatepass: answers.json may carry lone surrogates ("\\ud800"); hash them, don't crash
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8", "surrogatepass")


_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def safe_text(text: str) -> str:
    """Text fit for a document: control characters and lone surrogates (possible in a hostile
    answers.json) become U+FFFD, CR line ends become LF."""
    return _UNSAFE.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


def content_fingerprint(item_id: str, answer: Answer | None, evidence: tuple[EvidenceInfo, ...]) -> str:
    """SHA-256 over what the vendor said about an item: answer value, note, evidence files.

    Timestamps are left out on purpose: re-saving the same answer must not make a
    reviewer's finding look stale.
    """
    return hashlib.sha256(_canonical({
        "item": item_id,
        "value": answer.value if answer else None,
        "note": (answer.note or "") if answer else "",
        "evidence": sorted([e.filename, e.sha256] for e in evidence),
    })).hexdigest()


def answer_text(item: Item, answer: Answer | None, lang: str = "ja") -> str:
    if answer is None or answer.value is None:
        return ""
    if isinstance(answer.value, list):  # multiple choice: one choice per line
        return "\n".join(item.label_of(v, lang) for v in answer.value)
    if item.kind is AnswerKind.DATE and isinstance(answer.value, str):
        try:  # the one date format of the documents
            day = dt.date.fromisoformat(answer.value)
        except ValueError:
            return answer.value
        return jp_date(day) if lang == "ja" else day.isoformat()
    try:
        return item.label_of(answer.value, lang)
    except (TypeError, ValueError):  # a value the template no longer knows: show it raw
        return str(answer.value)


def problem_text(problem: Problem, lang: str = "ja") -> str:
    """The problem's message without the leading item ID (the row already names it)."""
    text = problem.text(lang)
    # an invalid answer's detail is the whole stored value; the answer cell shows it already
    return text if len(text) <= 200 else text[:199] + "…"


def build_rows(sub: Submission, assessment: Assessment) -> list[SectionRows]:
    out: list[SectionRows] = []
    progress = {p.section_id: p for p in assessment.sections}
    for section in sub.template.sections:
        rows = []
        for item in section.items:
            state = assessment.items[item.id]
            answer = sub.answers.get(item.id)
            rows.append(ItemRow(
                section=section, item=item, state=state,
                answer_text=answer_text(item, answer, "ja"),
                answer_text_en=answer_text(item, answer, "en"),
                note=(answer.note or "") if answer else "",
                evidence=state.evidence,
                fingerprint=content_fingerprint(item.id, answer, state.evidence),
            ))
        out.append(SectionRows(section, progress[section.id], tuple(rows)))
    return out


# --- small shared wordings -----------------------------------------------------------


def ready_text(a: Assessment, where: str) -> str:
    """Whether the submission may be made, with the item counts, in Japanese."""
    improve = a.count(Outcome.NEEDS_IMPROVEMENT)
    tail = f"、要改善 {improve} 件" if improve else ""
    if a.can_submit:
        return f"提出可（提出を妨げる項目はありません{tail}）"
    confirm = a.count(Outcome.TO_CONFIRM)
    carried = f"・前年から引継ぎ・要確認 {confirm} 件" if confirm else ""
    return (f"提出不可：不適合 {a.count(Outcome.NON_CONFORMING)} 件{carried}・未回答 "
            f"{a.count(Outcome.UNANSWERED)} 件{tail}（{where}を参照）")


def counts_text(t: Tally) -> str:
    """「適合 95・要改善 3・不適合 1・未回答 1」: the outcomes of the shown items that occur."""
    parts = [f"{o.label.ja} {t.count(o)}" for o in OUTCOME_ORDER
             if o is not Outcome.HIDDEN and t.count(o)]
    return "・".join(parts) or "対象の項目なし"


# The order in which outcomes colour a whole section or submission: its worst item decides.
_WORST_FIRST = (Outcome.NON_CONFORMING, Outcome.UNANSWERED, Outcome.NEEDS_IMPROVEMENT, Outcome.CONFORMING,
                Outcome.OPTIONAL)


def overall_outcome(t: Tally) -> Outcome:
    """The outcome a group of items is drawn with: green only when every shown item
    conforms (or is an optional item left blank and at least one conforms)."""
    for outcome in _WORST_FIRST:
        if t.count(outcome):
            return outcome
    return Outcome.HIDDEN


VERDICT_TONES: dict[Verdict, Tone] = {Verdict.CONFORMS: Tone.GOOD, Verdict.NONCONFORMING: Tone.BAD,
                                      Verdict.NEEDS_CHECK: Tone.WARN, Verdict.NOT_APPLICABLE: Tone.NEUTRAL}

SEVERITY_LABELS: dict[Severity, str] = {
    Severity.BLOCKING: "提出を妨げる",
    Severity.IMPROVEMENT: "要改善",
    Severity.WARNING: "注意",
}


def finding_lines(finding: Finding, changed: bool) -> tuple[str, str]:
    """The reviewer's verdict and finding as two short texts for a document:
    (「不適合」, 「VPN の多要素認証が未導入（監査 一郎、2026年12月2日）」)."""
    verdict = finding.verdict.label.ja if finding.verdict else "（判定なし）"
    who = "、".join(x for x in (finding.reviewer, jp_date(finding.reviewed_on) if finding.reviewed_on else "")
                   if x)
    text = finding.comment or "（指摘事項の記入なし）"
    if who:
        text += f"（{who}）"
    if changed:
        text += "\n※ この確認の後に回答・備考・証跡が変更されています（再確認が必要）"
    return verdict, text


def condition_text(template: Template, item: Item) -> str:
    """When a conditional item is shown, in Japanese: 「CERT-01 が「ISMS認証」以外の場合」."""
    cond = item.show_if
    if cond is None:
        return ""
    ref = template.item(cond.item_id)
    labels = "・".join(f"「{ref.label_of(v, 'ja')}」" for v in cond.values)
    tail = {"equals": "の場合", "in": "のいずれかの場合", "not_in": "以外の場合",
            "contains": "を含む場合", "contains_any": "のいずれかを含む場合"}.get(cond.op, "")
    return f"{cond.item_id} が{labels}{tail}に回答"


def kind_label(template: Template, kind: str, lang: str = "ja") -> str:
    found = template.evidence_kind(kind)
    return found.label.get(lang) if found else kind


def short_hash(sha256: str) -> str:
    return sha256[:16] + "…"


def marker(n: int) -> str:
    """①, ②, … for the n-th (1-based) evidence file of an item, so the lines of the
    evidence, hash and expiry cells can be matched even when one of them wraps."""
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    return f"({n})"


def expiry_text(info: EvidenceInfo, on: dt.date, lang: str = "ja") -> str:
    state = info.expiry(on)
    if info.expires is None:
        return EXPIRY_LABELS[Expiry.NONE].get(lang)
    date = jp_date(info.expires)
    if state is Expiry.EXPIRED:
        return f"{date}（{EXPIRY_LABELS[state].ja}）" if lang == "ja" else f"{date} (expired)"
    if state is Expiry.EXPIRING:
        days = (info.expires - on).days
        return f"{date}（残り{days}日）" if lang == "ja" else f"{date} ({days} days left)"
    return date


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError


@functools.lru_cache(maxsize=16384)
def display_width(text: str) -> int:
    """Width in half-width cells: East Asian wide, full-width and ambiguous characters
    count 2 (ambiguous ones such as ① and ※ are wide in Japanese fonts)."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in text)
