"""Reading the register: submissions by filter, one submission in full, vendors.

Every filter is a WHERE on indexed columns of ``submission`` (the review state and counts are
kept there by register/verdicts.py), so a list stays one query at 500 vendors × 5 years
(bench/bench_register.py).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from exports.bundle_pins import fold

from .db import Register
from .errors import RegisterError
from .models import (
    CorrectiveAction,
    Evidence,
    ItemReview,
    SigningKey,
    Submission,
    Vendor,
    VerdictEvent,
    later_than,
)

MIN_PREFIX = 6
_Later = aliased(Submission)


def resolve_submission(s: Session, text: str) -> str:
    """A submission ID, or an unambiguous prefix of one (at least 6 characters)."""
    text = text.strip()
    if s.get(Submission, text) is not None:
        return text
    if len(text) < MIN_PREFIX:
        raise RegisterError(f"no submission {text[:80]!r} in the register (give the ID, or at least "
                            f"{MIN_PREFIX} of its first characters)",
                            ja=f"提出 {text[:80]!r} は台帳にありません（ID か、"
                               f"その先頭 {MIN_PREFIX} 文字以上を"
                               "指定してください）")
    found = list(s.scalars(select(Submission.id).where(Submission.id.startswith(text, autoescape=True))
                           .limit(3)))
    if not found:
        raise RegisterError(f"no submission {text[:80]!r} in the register",
                            ja=f"提出 {text[:80]!r} は台帳にありません")
    if len(found) > 1:
        raise RegisterError(f"{text!r} names more than one submission ({', '.join(found[:2])}, …)",
                            ja=f"{text!r} に当てはまる提出が複数あります（{'、'.join(found[:2])}、…）")
    return found[0]


@dataclass(frozen=True)
class Filters:
    vendor: str | None = None            # part of the vendor's name (NFKC, case-insensitive)
    year: int | None = None              # 年度
    review_state: str | None = None      # unreviewed | in_progress | reviewed
    expiring_within: int | None = None   # evidence expiring within N days of ``on`` (or expired)
    overdue_actions: bool = False        # corrective actions past due and not verified
    latest_only: bool = False            # each vendor's newest submission of each year
    on: dt.date | None = None            # "today" for the date filters
    submission: str | None = None        # one submission ID

    @property
    def today(self) -> dt.date:
        return self.on or dt.date.today()


@dataclass(frozen=True)
class SubmissionRow:
    id: str
    vendor: str
    fiscal_year: int
    exported_at: dt.datetime
    signer_key_id: str
    template_id: str
    template_version: str
    template_official: bool
    verified: bool
    can_submit: bool
    required: int
    complete: int
    conforming: int
    needs_improvement: int
    non_conforming: int
    unanswered: int
    review_state: str
    review_items: int
    reviewed_items: int
    open_findings: int
    next_expiry: dt.date | None
    overdue_actions: int
    bundle_sha256: str
    previous_id: str | None

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["exported_at"] = self.exported_at.isoformat().replace("+00:00", "Z")
        d["next_expiry"] = self.next_expiry.isoformat() if self.next_expiry else None
        return d


def _overdue(today: dt.date):
    return and_(CorrectiveAction.submission_id == Submission.id, CorrectiveAction.due < today,
                CorrectiveAction.verified_at.is_(None))


def list_submissions(reg: Register, filters: Filters = Filters()) -> list[SubmissionRow]:
    today = filters.today
    overdue = (select(func.count(CorrectiveAction.id)).where(_overdue(today))
               .correlate(Submission).scalar_subquery())
    cols = [Submission.id, Vendor.name, Submission.fiscal_year, Submission.exported_at,
            Submission.signer_key_id, Submission.template_id, Submission.template_version,
            Submission.template_official, Submission.verified, Submission.can_submit, Submission.required,
            Submission.complete, Submission.conforming, Submission.needs_improvement,
            Submission.non_conforming, Submission.unanswered, Submission.review_state,
            Submission.review_items, Submission.reviewed_items, Submission.open_findings,
            Submission.next_expiry, overdue, Submission.bundle_sha256, Submission.previous_id]
    q = select(*cols).join(Vendor, Vendor.id == Submission.vendor_id)
    if filters.vendor:
        q = q.where(Vendor.name_key.contains(fold(filters.vendor), autoescape=True))
    if filters.submission is not None:
        q = q.where(Submission.id == filters.submission)
    if filters.year is not None:
        q = q.where(Submission.fiscal_year == filters.year)
    if filters.review_state:
        q = q.where(Submission.review_state == filters.review_state)
    if filters.expiring_within is not None:
        q = q.where(Submission.next_expiry <= today + dt.timedelta(days=filters.expiring_within))
    if filters.overdue_actions:
        q = q.where(exists().where(_overdue(today)))
    if filters.latest_only:
        later = (select(_Later.id).where(_Later.vendor_id == Submission.vendor_id,
                                         _Later.fiscal_year == Submission.fiscal_year,
                                         later_than(_Later, Submission)))
        q = q.where(~later.exists())
    q = q.add_columns(Vendor.name_key, Submission.added_at)
    with reg.reading() as conn:
        fetched = [(row[-2:], SubmissionRow(*row[:-2])) for row in conn.execute(q)]
    # Sorted here, not by the database: SQLite and a PostgreSQL collation order Japanese names
    # differently, and every output must be the same on both (name_key is the folded name).
    # Within a vendor's year: models.later_than's order (export second, arrival, ID).
    fetched.sort(key=lambda kr: (kr[0][0], kr[1].fiscal_year, kr[1].exported_at, kr[0][1], kr[1].id))
    return [r for _key, r in fetched]


@dataclass
class SubmissionDetail:
    row: SubmissionRow
    submission: Submission
    vendor: Vendor
    keys: list[SigningKey]
    items: list[ItemReview]
    evidence: list[Evidence]
    actions: list[CorrectiveAction]
    trail_count: int
    checks: list[dict[str, Any]] = field(default_factory=list)


def submission_detail(reg: Register, submission: str, on: dt.date | None = None) -> SubmissionDetail:
    with reg.unit() as s:
        sid = resolve_submission(s, submission)
        sub = s.get(Submission, sid)
        vendor = sub.vendor
        keys = list(vendor.keys)
        items = list(sub.items)
        evidence = list(sub.evidence)
        actions = list(sub.actions)
        trail = s.scalar(select(func.count(VerdictEvent.id)).where(VerdictEvent.submission_id == sid)) or 0
    row = list_submissions(reg, Filters(on=on, submission=sid))[0]
    return SubmissionDetail(row, sub, vendor, keys, items, evidence, actions, trail,
                            json.loads(sub.checks_json))


@dataclass(frozen=True)
class VendorYear:
    """One row of the 全社一覧: a vendor's newest submission of a 年度 and what is open."""

    vendor: str
    fiscal_year: int
    submissions: int             # how many the vendor sent that year
    latest: SubmissionRow
    key_history: int             # keys ever pinned for the vendor


def vendor_years(reg: Register, filters: Filters = Filters()) -> list[VendorYear]:
    rows = list_submissions(reg, filters)
    with reg.unit() as s:
        counts = dict(s.execute(select(Vendor.name, func.count(SigningKey.id))
                                .join(SigningKey, SigningKey.vendor_id == Vendor.id)
                                .group_by(Vendor.name)).all())
    groups: dict[tuple[str, int], list[SubmissionRow]] = {}
    for r in rows:
        groups.setdefault((r.vendor, r.fiscal_year), []).append(r)
    return [VendorYear(v, y, len(g), g[-1], counts.get(v, 0))  # rows come in later_than's order
            for (v, y), g in groups.items()]


def overdue_or_expiring(reg: Register, within_days: int = 90, on: dt.date | None = None) -> dict[str, int]:
    """The dashboard's two numbers, across vendors."""
    today = on or dt.date.today()
    with reg.unit() as s:
        expiring = s.scalar(select(func.count(Submission.id)).where(
            Submission.next_expiry <= today + dt.timedelta(days=within_days))) or 0
        overdue = s.scalar(select(func.count(CorrectiveAction.id)).where(
            CorrectiveAction.due < today, CorrectiveAction.verified_at.is_(None))) or 0
    return {"expiring": expiring, "overdue": overdue}


