"""What the core knows about an attached evidence file (never its contents)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

EXPIRY_WARNING_DAYS = 90
MAX_FILENAME_BYTES = 255


def is_safe_filename(name: object) -> bool:
    """A single path component that is safe to write anywhere: no separators, no ``..``,
    no control characters, valid text, at most 255 bytes. Names read from outside data
    (an answers.json) must pass this before anything builds a path from them."""
    if not isinstance(name, str) or not name.strip() or name in (".", ".."):
        return False
    if any(c in "/\\\x00" or ord(c) < 32 or ord(c) == 0x7F or "\ud800" <= c <= "\udfff" for c in name):
        return False
    return len(name.encode("utf-8")) <= MAX_FILENAME_BYTES


class Expiry(StrEnum):
    NONE = "none"          # no expiry date
    VALID = "valid"
    EXPIRING = "expiring"  # within EXPIRY_WARNING_DAYS
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class EvidenceInfo:
    id: str
    item_id: str
    kind: str
    filename: str
    size: int
    sha256: str
    title: str = ""
    issuer: str = ""
    number: str = ""
    issued: dt.date | None = None
    expires: dt.date | None = None
    added_at: str = ""
    media_type: str = "application/octet-stream"
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def display_title(self) -> str:
        return self.title or self.filename

    def expiry(self, on: dt.date, warn_days: int = EXPIRY_WARNING_DAYS) -> Expiry:
        if self.expires is None:
            return Expiry.NONE
        if self.expires < on:
            return Expiry.EXPIRED
        if (self.expires - on).days <= warn_days:
            return Expiry.EXPIRING
        return Expiry.VALID

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "item_id": self.item_id,
            "kind": self.kind,
            "filename": self.filename,
            "size": self.size,
            "sha256": self.sha256,
            "title": self.title,
            "issuer": self.issuer,
            "number": self.number,
            "issued": self.issued.isoformat() if self.issued else None,
            "expires": self.expires.isoformat() if self.expires else None,
            "added_at": self.added_at,
            "media_type": self.media_type,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EvidenceInfo:
        def day(v: Any) -> dt.date | None:
            return dt.date.fromisoformat(v) if v else None

        return cls(
            id=data["id"], item_id=data["item_id"], kind=data["kind"],
            filename=data["filename"], size=int(data["size"]), sha256=data["sha256"],
            title=data.get("title") or "", issuer=data.get("issuer") or "",
            number=data.get("number") or "", issued=day(data.get("issued")),
            expires=day(data.get("expires")), added_at=data.get("added_at") or "",
            media_type=data.get("media_type") or "application/octet-stream",
        )
