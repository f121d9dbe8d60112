"""SQLAlchemy models of the register (the same schema on SQLite and PostgreSQL).

Types are the portable ones only (no JSONB, no arrays): the one code path runs on both
engines. Times are stored in UTC (``UtcDateTime`` gives them back aware on SQLite too);
dates of evidence expiry and action due dates are plain dates.

``ItemReview`` is the current verdict of one item of one submission, guarded by ``version``
(SQLAlchemy's ``version_id_col``: an UPDATE that finds another version changes nothing and
fails); every change is also written to ``VerdictEvent``, which is only ever inserted into
(on PostgreSQL a trigger refuses UPDATE and DELETE on it, see the migration).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    and_,
    or_,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UtcDateTime(TypeDecorator):
    """An aware UTC datetime on every engine (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the register")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Settings of the register itself (the bundle store's folder, when it was made)."""

    __tablename__ = "register_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Vendor(Base):
    __tablename__ = "vendor"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))                    # as the first signed manifest spelt it
    name_key: Mapped[str] = mapped_column(String(200), unique=True)  # NFKC + casefold (bundle_pins.fold)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    keys: Mapped[list[SigningKey]] = relationship(back_populates="vendor", order_by="SigningKey.id")
    submissions: Mapped[list[Submission]] = relationship(back_populates="vendor")


class SigningKey(Base):
    """A vendor's minisign key as the register pinned it. Never deleted: a replaced key gets
    ``retired_at`` (the history of who accepted which key, when, and why)."""

    __tablename__ = "signing_key"
    __table_args__ = (UniqueConstraint("vendor_id", "public_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendor.id"), index=True)
    public_key: Mapped[str] = mapped_column(String(64), index=True)  # minisign base64 (RW…)
    key_id: Mapped[str] = mapped_column(String(16))
    pinned_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    pinned_by: Mapped[str] = mapped_column(String(200))
    how: Mapped[str] = mapped_column(String(32))      # "trusted-new" | "accepted-change"
    retired_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)

    vendor: Mapped[Vendor] = relationship(back_populates="keys")


class StoredBundle(Base):
    """A bundle file in the content-addressed store (``store/<aa>/<sha256>.zip``), as received."""

    __tablename__ = "stored_bundle"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class Submission(Base):
    __tablename__ = "submission"
    # each vendor's newest submission of a 年度 (register list --latest, the 全社一覧)
    __table_args__ = (Index("ix_submission_vendor_year", "vendor_id", "fiscal_year", "exported_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)       # the signed submission ID
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendor.id"), index=True)
    signing_key_id: Mapped[int] = mapped_column(ForeignKey("signing_key.id"))
    signer_key_id: Mapped[str] = mapped_column(String(16))
    exported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)  # signed, the vendor's clock
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)  # 年度 (April–March, Japan time)
    template_id: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[str] = mapped_column(String(32))
    template_sha256: Mapped[str] = mapped_column(String(64))
    template_official: Mapped[bool] = mapped_column(Boolean)
    template_source: Mapped[str] = mapped_column(String(500))
    previous_id: Mapped[str | None] = mapped_column(ForeignKey("submission.id"), nullable=True)
    claimed_previous_id: Mapped[str | None] = mapped_column(String(64), nullable=True)  # what the bundle says
    bundle_sha256: Mapped[str] = mapped_column(ForeignKey("stored_bundle.sha256"))
    payload_blake2b: Mapped[str] = mapped_column(String(128))
    # the auditor's own verification and recomputation (never the manifest's claims)
    verified: Mapped[bool] = mapped_column(Boolean)
    checks_json: Mapped[str] = mapped_column(Text)
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    can_submit: Mapped[bool] = mapped_column(Boolean)
    required: Mapped[int] = mapped_column(Integer)
    complete: Mapped[int] = mapped_column(Integer)
    conforming: Mapped[int] = mapped_column(Integer)
    needs_improvement: Mapped[int] = mapped_column(Integer)
    non_conforming: Mapped[int] = mapped_column(Integer)
    unanswered: Mapped[int] = mapped_column(Integer)
    blockers: Mapped[int] = mapped_column(Integer)
    warnings: Mapped[int] = mapped_column(Integer)
    next_expiry: Mapped[dt.date | None] = mapped_column(Date, nullable=True, index=True)
    # review progress, kept in step with item_review in the same transaction as each verdict
    review_state: Mapped[str] = mapped_column(String(16), index=True)  # unreviewed | in_progress | reviewed
    review_items: Mapped[int] = mapped_column(Integer)                 # items to review: every shown item
    reviewed_items: Mapped[int] = mapped_column(Integer, default=0)
    open_findings: Mapped[int] = mapped_column(Integer, default=0)    # nonconforming + needs_check verdicts
    added_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    added_by: Mapped[str] = mapped_column(String(200))

    vendor: Mapped[Vendor] = relationship(back_populates="submissions")
    signing_key: Mapped[SigningKey] = relationship()
    items: Mapped[list[ItemReview]] = relationship(back_populates="submission",
                                                   order_by="ItemReview.position")
    evidence: Mapped[list[Evidence]] = relationship(order_by="Evidence.position")
    actions: Mapped[list[CorrectiveAction]] = relationship(order_by="CorrectiveAction.id")


def later_than(a: type[Submission], b: type[Submission]):
    """SQL: submission ``a`` comes after ``b`` in the one order of a vendor's submissions.

    The signed export time has whole seconds, so two exports of one vendor can share it; the
    order is then the order they reached the register, then the ID — a total order, so
    "previous" and "newest of the year" never see two candidates (a CI machine exported the
    test bundles within one second and the register found no previous submission).
    """
    return or_(a.exported_at > b.exported_at,
               and_(a.exported_at == b.exported_at,
                    or_(a.added_at > b.added_at, and_(a.added_at == b.added_at, a.id > b.id))))


class ItemReview(Base):
    """One item of one submission: the auditor's recomputed outcome and the current verdict."""

    __tablename__ = "item_review"
    __table_args__ = (UniqueConstraint("submission_id", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[str] = mapped_column(ForeignKey("submission.id"))
    item_id: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer)
    section_id: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(24))   # questionnaire.completeness.Outcome, recomputed
    verdict: Mapped[str | None] = mapped_column(String(24), nullable=True)  # questionnaire.review.Verdict
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str | None] = mapped_column(String(200), nullable=True)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    version: Mapped[int] = mapped_column(Integer)

    submission: Mapped[Submission] = relationship(back_populates="items")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declarative form


class VerdictEvent(Base):
    """Every saved verdict, in order: the audit trail (append-only)."""

    __tablename__ = "verdict_event"
    __table_args__ = (Index("ix_verdict_event_item", "submission_id", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[str] = mapped_column(ForeignKey("submission.id"))
    item_id: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer)        # the item's version this change produced
    verdict: Mapped[str | None] = mapped_column(String(24), nullable=True)
    comment: Mapped[str] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(200))   # the database role (PostgreSQL) or the OS user
    os_user: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class Evidence(Base):
    """What the signed answers.json says about an evidence file; never its contents."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[str] = mapped_column(ForeignKey("submission.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(500))
    filename: Mapped[str] = mapped_column(String(500))
    issuer: Mapped[str] = mapped_column(String(500))
    number: Mapped[str] = mapped_column(String(500))
    issued: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    expires: Mapped[dt.date | None] = mapped_column(Date, nullable=True, index=True)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))


class CorrectiveAction(Base):
    """A corrective action the vendor reported for an item (Art. 4(2)), and its verification
    by the auditor. Bundles of this version carry none; a bundle that does is stored as is."""

    __tablename__ = "corrective_action"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[str] = mapped_column(ForeignKey("submission.id"), index=True)
    item_id: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    due: Mapped[dt.date | None] = mapped_column(Date, nullable=True, index=True)
    done_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)   # the vendor's claim
    verified_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    verified_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
