"""What verification found: one ``Check`` per property, in the order they were checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Check:
    """``name`` is stable (for programs and translations); ``detail`` is one English line."""

    name: str
    ok: bool
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail}


# Stable check names. Per-member checks are named "member:<path>".
ZIP = "zip"
SIGNER_PUB = "signer-pub"
OUTER_SIGNATURE = "outer-signature"
README = "readme"
DECRYPT = "decrypt"
ARCHIVE = "archive"
INNER_SIGNATURE = "inner-signature"
CHECKSUMS = "checksums"
MANIFEST = "manifest"
SIGNER_KEY_ID = "signer-key-id"
MEMBERS = "members"
TEMPLATE = "template"
ANSWERS = "answers"
EVIDENCE = "evidence"
ACTIVITY_LOG = "activity-log"
MEMBER_PREFIX = "member:"


@dataclass
class VerifyReport:
    ok: bool
    signer_key_id: str | None
    checks: list[Check] = field(default_factory=list)
    manifest: dict[str, Any] | None = None
    path: Path | None = None
    decrypted: bool = False     # False: only the outer signature could be checked

    @property
    def problems(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def check(self, name: str) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)

    def first_problem(self) -> str:
        bad = self.problems
        if not bad:
            return "no problem found"
        more = f" (and {len(bad) - 1} more problem(s))" if len(bad) > 1 else ""
        return f"{bad[0].name}: {bad[0].detail}{more}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "path": str(self.path) if self.path else None,
            "signer_key_id": self.signer_key_id, "decrypted": self.decrypted,
            "checks": [c.as_dict() for c in self.checks], "manifest": self.manifest,
        }
