"""Where a carried-forward workspace came from: sealed in the new workspace, never re-read
from the old one.

The new workspace must not depend on last year's files (they may be archived, moved or
deleted), so everything a later step needs about the origin is copied here when the
workspace is made: the old workspace's ID, audit period and activity-log head (which
pins exactly what state was carried), its template, a snapshot of its evidence (for "what
changed since last year" by SHA-256), and its last exported bundle as its activity log
recorded it (for the next bundle's link to the previous submission).

``lineage`` is the ID of the first workspace of the chain: the same in every year, so the
calendar's event UIDs (storage/calendar_export.py) stay the same from year to year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ORIGIN_FORMAT = 1


@dataclass(frozen=True)
class Origin:
    workspace_id: str
    period: int | None
    log_head: tuple[int, str]            # (seq, hash) of the old workspace's last log entry
    template: tuple[str, str, str]       # (ID, version, SHA-256) of the old workspace's template
    lineage: str                         # ID of the first workspace of the chain
    carried_at: str                      # ISO timestamp, UTC
    vendor: str = ""
    evidence: tuple[dict[str, Any], ...] = ()   # EvidenceInfo.as_dict() of every carried file
    previous_export: dict[str, Any] | None = None  # detail of the old log's last "bundle.exported"
    dropped: tuple[dict[str, Any], ...] = ()     # carryover.Dropped.as_dict() of what was left out
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": ORIGIN_FORMAT, "workspace_id": self.workspace_id, "period": self.period,
            "log_head": {"seq": self.log_head[0], "hash": self.log_head[1]},
            "template": dict(zip(("id", "version", "sha256"), self.template, strict=True)),
            "lineage": self.lineage, "carried_at": self.carried_at, "vendor": self.vendor,
            "evidence": list(self.evidence), "previous_export": self.previous_export,
            "dropped": list(self.dropped), **({"extra": self.extra} if self.extra else {}),
        }

    def summary(self) -> dict[str, Any]:
        """What the activity log's first entry and a bundle manifest carry: no file names."""
        return {"workspace_id": self.workspace_id, "period": self.period,
                "log_head": {"seq": self.log_head[0], "hash": self.log_head[1]},
                "template": dict(zip(("id", "version", "sha256"), self.template, strict=True)),
                "lineage": self.lineage}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Origin:
        head, tpl = data["log_head"], data["template"]
        return cls(
            workspace_id=data["workspace_id"], period=data.get("period"),
            log_head=(int(head["seq"]), str(head["hash"])),
            template=(tpl["id"], tpl["version"], tpl["sha256"]), lineage=data.get("lineage") or
            data["workspace_id"], carried_at=data.get("carried_at", ""), vendor=data.get("vendor", ""),
            evidence=tuple(data.get("evidence") or ()), previous_export=data.get("previous_export"),
            dropped=tuple(data.get("dropped") or ()), extra=dict(data.get("extra") or {}),
        )
