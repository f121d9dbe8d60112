"""The activity log: an append-only, hash-chained record of every change.

Each entry carries the hash of the previous one, so removing, reordering or
editing an entry breaks the chain. Entries are sealed in the database like any
other record; the newest (seq, hash) is sealed in the workspace row too, which
makes truncating the end of the log detectable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class LogEntry:
    seq: int
    at: str
    action: str
    item: str | None
    detail: dict[str, Any]
    prev: str
    hash: str

    def body(self) -> dict[str, Any]:
        return {"seq": self.seq, "at": self.at, "action": self.action, "item": self.item,
                "detail": self.detail, "prev": self.prev}

    def as_dict(self) -> dict[str, Any]:
        return {**self.body(), "hash": self.hash}

    @staticmethod
    def compute_hash(body: dict[str, Any]) -> str:
        return hashlib.sha256(canonical(body)).hexdigest()

    @classmethod
    def make(cls, seq: int, prev: str, action: str, item: str | None = None,
             detail: dict[str, Any] | None = None, at: str | None = None) -> LogEntry:
        body = {"seq": seq, "at": at or now_iso(), "action": action, "item": item,
                "detail": detail or {}, "prev": prev}
        return cls(**body, hash=cls.compute_hash(body))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LogEntry:
        return cls(seq=data["seq"], at=data["at"], action=data["action"], item=data.get("item"),
                   detail=data.get("detail") or {}, prev=data["prev"], hash=data["hash"])


@dataclass(frozen=True, slots=True)
class ChainProblem:
    seq: int | None
    problem: str

    def __str__(self) -> str:
        return f"activity log entry {self.seq}: {self.problem}" if self.seq is not None else \
            f"activity log: {self.problem}"


def verify_chain(entries: list[dict[str, Any]], head: tuple[int, str] | None = None) -> list[ChainProblem]:
    """Check a sequence of entry dicts; ``head`` is the expected last (seq, hash) if known."""
    problems: list[ChainProblem] = []
    prev, expected_seq = GENESIS, 1
    for data in entries:
        try:
            entry = LogEntry.from_dict(data)
        except (KeyError, TypeError):
            problems.append(ChainProblem(data.get("seq") if isinstance(data, dict) else None,
                                         "malformed entry"))
            return problems
        if entry.seq != expected_seq:
            problems.append(ChainProblem(
                entry.seq, f"expected entry {expected_seq} (entries missing or reordered)"))
        if entry.prev != prev:
            problems.append(ChainProblem(entry.seq, "does not follow the previous entry (chain broken)"))
        if LogEntry.compute_hash(entry.body()) != entry.hash:
            problems.append(ChainProblem(entry.seq, "content was edited (hash mismatch)"))
        prev, expected_seq = entry.hash, entry.seq + 1
    if head is not None and (expected_seq - 1, prev) != tuple(head):
        problems.append(ChainProblem(None, f"ends at entry {expected_seq - 1} but the workspace "
                                           f"recorded entry {head[0]} as the last (entries removed)"))
    return problems
