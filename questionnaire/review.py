"""A reviewer's findings on a submission, and what went wrong reading them back.

The auditor fills in the reviewer columns of the checklist workbook; importing it
gives a ``Review``: one ``Finding`` per item the reviewer wrote something for, and
a ``ReviewProblem`` for each thing that could not be taken at face value (a
workbook of another submission, an edited vendor cell, a formula, a bad date...).
``review.json`` (beside an opened bundle) is ``Review.to_document()``; the vendor's
workspace keeps the same document sealed in its database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .errors import AttestError
from .text import Text

REVIEW_FORMAT = "ccus-attest/review/v1"
REVIEW_FILE = "review.json"
MAX_COMMENT_CHARS = 4000
MAX_REVIEWER_CHARS = 200
MAX_FINDINGS = 100_000
MAX_PROBLEMS = 100_000


class ReviewError(AttestError):
    """A review workbook or review.json cannot be read at all."""


class Verdict(StrEnum):
    CONFORMS = "conforms"
    NONCONFORMING = "nonconforming"
    NEEDS_CHECK = "needs_check"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> Text:
        return VERDICT_LABELS[self]

    @classmethod
    def from_label(cls, text: str) -> Verdict | None:
        """The verdict named by its Japanese label, English label or code (None if none)."""
        key = text.strip()
        for verdict, label in VERDICT_LABELS.items():
            if key in (label.ja, verdict.value) or key.casefold() == label.en.casefold():
                return verdict
        return None


VERDICT_LABELS: dict[Verdict, Text] = {
    Verdict.CONFORMS: Text("適合", "Conforms"),
    Verdict.NONCONFORMING: Text("不適合", "Nonconforming"),
    Verdict.NEEDS_CHECK: Text("要確認", "Needs checking"),
    Verdict.NOT_APPLICABLE: Text("該当なし", "Not applicable"),
}


@dataclass(frozen=True, slots=True)
class Finding:
    item_id: str
    verdict: Verdict | None = None
    comment: str = ""
    reviewer: str = ""
    reviewed_on: dt.date | None = None
    fingerprint: str = ""   # the vendor content the reviewer saw (see exports.checklist_columns)
    grade: str = ""         # the finding's grade ID from the template's scale (questionnaire.corrective)

    def as_dict(self) -> dict[str, Any]:
        return {
            "item_id": self.item_id,
            "verdict": self.verdict.value if self.verdict else None,
            "comment": self.comment,
            "reviewer": self.reviewer,
            "reviewed_on": self.reviewed_on.isoformat() if self.reviewed_on else None,
            "fingerprint": self.fingerprint,
            "grade": self.grade,
        }


class ProblemKind(StrEnum):
    # the workbook as a whole: nothing is imported
    NOT_A_CHECKLIST = "not_a_checklist"
    OTHER_SUBMISSION = "other_submission"
    OTHER_TEMPLATE = "other_template"
    MISSING_COLUMN = "missing_column"
    # one row: that row's finding is not imported
    MISSING_ROW = "missing_row"
    UNKNOWN_ROW = "unknown_row"
    DUPLICATE_ROW = "duplicate_row"
    CELL_ALTERED = "cell_altered"
    ANSWER_CHANGED = "answer_changed"
    FINGERPRINT_MISSING = "fingerprint_missing"
    FORMULA = "formula"
    BAD_VALUE = "bad_value"


WORKBOOK_PROBLEMS = frozenset({ProblemKind.NOT_A_CHECKLIST, ProblemKind.OTHER_SUBMISSION,
                               ProblemKind.OTHER_TEMPLATE, ProblemKind.MISSING_COLUMN})

_MESSAGES: dict[ProblemKind, tuple[str, str]] = {
    ProblemKind.NOT_A_CHECKLIST: ("CCUS Attest が作成したチェックリストではありません",
                                  "not a checklist made by CCUS Attest"),
    ProblemKind.OTHER_SUBMISSION: ("別の提出データのチェックリストです",
                                   "the workbook belongs to another submission"),
    ProblemKind.OTHER_TEMPLATE: ("別のテンプレート（版）のチェックリストです",
                                 "the workbook was made for another template version"),
    ProblemKind.MISSING_COLUMN: ("必要な列がありません", "a required column is missing"),
    ProblemKind.MISSING_ROW: ("項目の行がありません", "the row of this item is missing"),
    ProblemKind.UNKNOWN_ROW: ("テンプレートにない行です", "a row that is not an item of the template"),
    ProblemKind.DUPLICATE_ROW: ("同じ項目の行が複数あります", "the item has more than one row"),
    ProblemKind.CELL_ALTERED: ("提出者の記入欄が変更されています",
                               "a vendor cell was changed in the workbook"),
    ProblemKind.ANSWER_CHANGED: ("チェックリスト作成後に回答・備考・証跡が変わっています",
                                 "the answer, note or evidence differs from the one reviewed"),
    ProblemKind.FINGERPRINT_MISSING: ("行の照合情報がありません", "the row's fingerprint is missing"),
    ProblemKind.FORMULA: ("数式は取り込めません（評価しません）",
                          "formulas are not accepted (nothing is evaluated)"),
    ProblemKind.BAD_VALUE: ("値が不正です", "invalid value"),
}


@dataclass(frozen=True, slots=True)
class ReviewProblem:
    kind: ProblemKind
    item_id: str | None = None
    row: int | None = None        # 1-based worksheet row
    column: str | None = None     # the column's Japanese header
    detail: str = ""

    @property
    def whole_workbook(self) -> bool:
        return self.kind in WORKBOOK_PROBLEMS

    def message(self, lang: str = "ja") -> str:
        ja, en = _MESSAGES[self.kind]
        where = []
        if self.row is not None:
            where.append(f"{self.row}行目" if lang == "ja" else f"row {self.row}")
        if self.item_id:
            where.append(self.item_id)
        if self.column:
            where.append(f"「{self.column}」" if lang == "ja" else f"column {self.column}")
        head = " ".join(where)
        text = ja if lang == "ja" else en
        return (f"{head}: " if head else "") + text + (f" ({self.detail})" if self.detail else "")

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "item_id": self.item_id, "row": self.row,
                "column": self.column, "detail": self.detail,
                "whole_workbook": self.whole_workbook,
                "message_ja": self.message("ja"), "message_en": self.message("en")}


@dataclass(frozen=True)
class Review:
    submission_id: str
    template_id: str
    template_version: str
    template_sha256: str
    imported_at: str
    source_name: str = ""        # the workbook's file name
    source_sha256: str = ""      # of the workbook file as imported
    checklist_made_at: str = ""  # when the workbook was generated
    checklist_on: str = ""       # the date its statuses were assessed on
    findings: tuple[Finding, ...] = ()
    problems: tuple[ReviewProblem, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def refused(self) -> bool:
        """Whether a problem concerns the whole workbook (then there are no findings)."""
        return any(p.whole_workbook for p in self.problems)

    @property
    def empty(self) -> bool:
        """Nothing to import: no row carried a reviewer's entry that could be taken."""
        return not self.findings

    def findings_by_item(self) -> dict[str, Finding]:
        return {f.item_id: f for f in self.findings}

    def counts(self) -> dict[str, int]:
        counts = {v.value: 0 for v in Verdict}
        for f in self.findings:
            if f.verdict:
                counts[f.verdict.value] += 1
        return counts

    def to_document(self) -> dict[str, Any]:
        return {
            "format": REVIEW_FORMAT,
            "submission_id": self.submission_id,
            "template": {"id": self.template_id, "version": self.template_version,
                         "sha256": self.template_sha256},
            "imported_at": self.imported_at,
            "source": {"name": self.source_name, "sha256": self.source_sha256},
            "checklist": {"made_at": self.checklist_made_at, "on": self.checklist_on},
            "counts": self.counts(),
            "findings": [f.as_dict() for f in self.findings],
            "problems": [p.as_dict() for p in self.problems],
        }


# --- strict reading of review.json (outside data) -------------------------------------


def _fail(problem: str) -> ReviewError:
    return ReviewError(f"{REVIEW_FILE}: {problem}")


def _text(node: Any, key: str, limit: int, *, optional: bool = True) -> str:
    value = node.get(key)
    if value is None and optional:
        return ""
    if not isinstance(value, str) or len(value) > limit:
        raise _fail(f"field {key!r} must be text of at most {limit} characters")
    return value


def _date(value: Any, what: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _fail(f"{what} is not a date") from None


def from_document(doc: Any) -> Review:
    """Rebuild a Review from review.json, checking every field."""
    if not isinstance(doc, dict) or doc.get("format") != REVIEW_FORMAT:
        raise _fail(f"not a {REVIEW_FORMAT} document")
    tpl = doc.get("template")
    source = doc.get("source") or {}
    checklist = doc.get("checklist") or {}
    if not isinstance(tpl, dict) or not isinstance(source, dict) or not isinstance(checklist, dict):
        raise _fail("malformed header")
    findings_raw, problems_raw = doc.get("findings"), doc.get("problems")
    if not isinstance(findings_raw, list) or len(findings_raw) > MAX_FINDINGS:
        raise _fail("'findings' must be a list")
    if not isinstance(problems_raw, list) or len(problems_raw) > MAX_PROBLEMS:
        raise _fail("'problems' must be a list")
    findings = []
    for i, raw in enumerate(findings_raw):
        if not isinstance(raw, dict):
            raise _fail(f"finding {i + 1} is malformed")
        verdict_raw = raw.get("verdict")
        try:
            verdict = Verdict(verdict_raw) if verdict_raw is not None else None
        except ValueError:
            raise _fail(f"finding {i + 1} has an unknown verdict") from None
        findings.append(Finding(
            item_id=_text(raw, "item_id", 32, optional=False), verdict=verdict,
            comment=_text(raw, "comment", MAX_COMMENT_CHARS),
            reviewer=_text(raw, "reviewer", MAX_REVIEWER_CHARS),
            reviewed_on=_date(raw.get("reviewed_on"), f"finding {i + 1} date"),
            fingerprint=_text(raw, "fingerprint", 64),
            grade=_text(raw, "grade", 32),  # absent in reviews made before grades were offered
        ))
    problems = []
    for i, raw in enumerate(problems_raw):
        if not isinstance(raw, dict):
            raise _fail(f"problem {i + 1} is malformed")
        try:
            kind = ProblemKind(raw.get("kind"))
        except ValueError:
            raise _fail(f"problem {i + 1} has an unknown kind") from None
        row = raw.get("row")
        if row is not None and (not isinstance(row, int) or isinstance(row, bool)):
            raise _fail(f"problem {i + 1} has a bad row number")
        problems.append(ReviewProblem(
            kind=kind, item_id=_text(raw, "item_id", 32) or None, row=row,
            column=_text(raw, "column", 100) or None, detail=_text(raw, "detail", 2000)))
    return Review(
        submission_id=_text(doc, "submission_id", 100, optional=False),
        template_id=_text(tpl, "id", 200, optional=False),
        template_version=_text(tpl, "version", 100, optional=False),
        template_sha256=_text(tpl, "sha256", 64, optional=False),
        imported_at=_text(doc, "imported_at", 100, optional=False),
        source_name=_text(source, "name", 1000), source_sha256=_text(source, "sha256", 64),
        checklist_made_at=_text(checklist, "made_at", 100), checklist_on=_text(checklist, "on", 20),
        findings=tuple(findings), problems=tuple(problems),
    )
