"""The auditor's verdict and finding on one item: optimistic concurrency and an audit trail.

Two auditors may review the same submission. A save names the version it was based on; if
someone else saved in between, nothing is written and ``VerdictConflict`` carries both values
(theirs, as saved, and yours, unsaved). Two safeguards, one per engine behaviour:

* the submission's row is locked first (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's
  ``BEGIN IMMEDIATE`` serialises writers anyway), then the version read is compared;
* the UPDATE itself carries ``WHERE version = <read>`` (SQLAlchemy's ``version_id_col``), so
  a change that slipped in between still fails (StaleDataError), never overwrites.

Every save appends a ``VerdictEvent`` (who — the PostgreSQL role or the OS user — when, what,
the version it produced); the submission's review state and open-finding count are recounted
in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from exports.bundle_report import format_jst
from questionnaire.completeness import Outcome
from questionnaire.review import MAX_COMMENT_CHARS, Verdict

from .db import Register, os_user
from .errors import ReadOnlyRegister, RegisterError, VerdictConflict
from .models import ItemReview, Submission, VerdictEvent
from .queries import resolve_submission

OPEN_VERDICTS = (Verdict.NONCONFORMING.value, Verdict.NEEDS_CHECK.value)
UNREVIEWED, IN_PROGRESS, REVIEWED = "unreviewed", "in_progress", "reviewed"
REVIEW_STATES = (UNREVIEWED, IN_PROGRESS, REVIEWED)


@dataclass(frozen=True)
class VerdictValue:
    verdict: str | None
    comment: str
    reviewer: str | None
    at: dt.datetime | None
    version: int

    @property
    def at_text(self) -> str:
        return format_jst(self.at, "en") if self.at else "never"

    def describe(self) -> str:
        label = Verdict(self.verdict).label.en if self.verdict else "no verdict"
        comment = f" {self.comment[:200]!r}" if self.comment else ""
        return f"{label}{comment}"

    @classmethod
    def of(cls, row: ItemReview) -> VerdictValue:
        return cls(row.verdict, row.comment, row.reviewer, row.reviewed_at, row.version)


def parse_verdict(text: str) -> Verdict | None:
    """A verdict from its code, Japanese or English label; 'none'/'-' clears it."""
    if text.strip().casefold() in ("none", "-", "clear", "未判定"):
        return None
    verdict = Verdict.from_label(text)
    if verdict is None:
        names = ", ".join(f"{v.value} ({v.label.ja})" for v in Verdict)
        raise RegisterError(f"unknown verdict {text[:40]!r}: use one of {names}, or none",
                            ja=f"判定 {text[:40]!r} はありません（{names} のいずれか、または none）")
    return verdict


def current(reg: Register, submission: str, item_id: str) -> VerdictValue:
    with reg.unit() as s:
        return VerdictValue.of(_row(s, resolve_submission(s, submission), item_id))


def _row(s: Session, sid: str, item_id: str) -> ItemReview:
    row = s.scalar(select(ItemReview).where(ItemReview.submission_id == sid, ItemReview.item_id == item_id))
    if row is None:
        raise RegisterError(f"submission {sid} has no item {item_id[:40]!r}",
                            ja=f"提出 {sid} に項目 {item_id[:40]!r} はありません")
    return row


def set_verdict(reg: Register, submission: str, item_id: str, verdict: Verdict | None, comment: str = "", *,
                expected_version: int | None = None) -> tuple[VerdictValue, VerdictValue]:
    """Save a verdict; returns (before, after). ``expected_version``: the version the auditor
    saw (None: the current one, read in this same transaction)."""
    if reg.read_only:
        raise ReadOnlyRegister("the register is open read-only: nothing was changed")
    if len(comment) > MAX_COMMENT_CHARS:
        raise RegisterError(f"the finding is {len(comment)} characters long; at most {MAX_COMMENT_CHARS}",
                            ja=f"指摘事項が {len(comment)} 文字あります（{MAX_COMMENT_CHARS} 文字まで）")
    who, now = reg.who, dt.datetime.now(dt.UTC)
    sid = item = ""
    mine = None
    try:
        with reg.unit() as s:
            sid = resolve_submission(s, submission)
            item = item_id
            s.get(Submission, sid, with_for_update=True)
            row = _row(s, sid, item_id)
            before = VerdictValue.of(row)
            base = before.version if expected_version is None else expected_version
            mine = VerdictValue(verdict.value if verdict else None, comment, who, now, base)
            if row.version != base:
                raise VerdictConflict(sid, item_id, mine, before)
            row.verdict, row.comment, row.reviewer, row.reviewed_at = mine.verdict, comment, who, now
            s.flush()  # UPDATE … WHERE version = base; StaleDataError if it changed meanwhile
            s.add(VerdictEvent(submission_id=sid, item_id=item_id, version=row.version, verdict=row.verdict,
                               comment=comment, reviewer=who, os_user=os_user(), at=now))
            _recount(s, sid)
            after = VerdictValue.of(row)
    except StaleDataError:
        theirs = current(reg, sid, item)
        raise VerdictConflict(sid, item, mine, theirs) from None
    return before, after


def _recount(s: Session, sid: str) -> None:
    shown = ItemReview.outcome != str(Outcome.HIDDEN)
    reviewed, open_findings = s.execute(
        select(func.count(case((shown & ItemReview.verdict.is_not(None), 1))),
               func.count(case((ItemReview.verdict.in_(OPEN_VERDICTS), 1))))
        .where(ItemReview.submission_id == sid)).one()
    sub = s.get(Submission, sid)
    sub.reviewed_items, sub.open_findings = reviewed, open_findings
    sub.review_state = (UNREVIEWED if reviewed == 0 and open_findings == 0 else
                        REVIEWED if reviewed >= sub.review_items else IN_PROGRESS)


def history(reg: Register, submission: str, item_id: str | None = None) -> list[VerdictEvent]:
    with reg.unit() as s:
        sid = resolve_submission(s, submission)
        q = select(VerdictEvent).where(VerdictEvent.submission_id == sid)
        if item_id is not None:
            q = q.where(VerdictEvent.item_id == item_id)
        return list(s.scalars(q.order_by(VerdictEvent.id)))
