"""SQLAlchemy models of the workspace database.

Anything a user typed or attached lives only in ``sealed`` columns (AES-GCM, see
crypto.py). Plain columns hold what the app itself chose: IDs, template identity,
key-derivation parameters, revision counters.
"""

from __future__ import annotations

from sqlalchemy import Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class WorkspaceRow(Base):
    __tablename__ = "workspace"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    format_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[str] = mapped_column(String(40))
    template_id: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[str] = mapped_column(String(32))
    template_text: Mapped[str] = mapped_column(Text)
    profile_sealed: Mapped[bytes] = mapped_column(LargeBinary)       # vendor name etc.
    blob_identity_sealed: Mapped[bytes] = mapped_column(LargeBinary)  # age identity of the evidence store
    log_head_sealed: Mapped[bytes] = mapped_column(LargeBinary)       # last activity entry (seq, hash)
    # schema 0003 (the yearly cycle): the audit year, and where a carried-forward workspace came from
    period: Mapped[int | None] = mapped_column(Integer, nullable=True)
    origin_sealed: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class KeySlot(Base):
    __tablename__ = "keyslot"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kdf_params: Mapped[str] = mapped_column(Text)  # JSON of KdfParams
    salt: Mapped[bytes] = mapped_column(LargeBinary)
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    changed_at: Mapped[str] = mapped_column(String(40))


class AnswerRow(Base):
    __tablename__ = "answer"

    item_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)


class EvidenceRow(Base):
    __tablename__ = "evidence"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(16), index=True)
    blob_id: Mapped[str] = mapped_column(String(64), index=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)


class ActivityRow(Base):
    __tablename__ = "activity"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)


class ReviewRow(Base):
    """An imported review (findings on a checklist); everything but the ID is sealed."""

    __tablename__ = "review"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)  # import order
    sealed: Mapped[bytes] = mapped_column(LargeBinary)


class CarriedRow(Base):
    """An answer carried over from the origin workspace: as carried, and whether it was
    confirmed this year (questionnaire/carryover.py: CarryMark); sealed."""

    __tablename__ = "carried"

    item_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)


class ActionRow(Base):
    """A corrective action (questionnaire/corrective.py: CorrectiveAction); everything but the
    ID and the order is sealed."""

    __tablename__ = "corrective_action"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
