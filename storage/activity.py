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
from pathlib import Path
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


def _malformed(data: Any) -> str | None:
    """Why ``data`` cannot be a log entry (None when its fields have the right types).
    Entries come from sealed records, but also from bundles: any JSON may arrive here."""
    if not isinstance(data, dict):
        return "not a JSON object"
    missing = [k for k in ("seq", "at", "action", "prev", "hash") if k not in data]
    if missing:
        return f"'{missing[0]}' is missing"
    if not isinstance(data["seq"], int) or isinstance(data["seq"], bool) or data["seq"] < 1:
        return "'seq' is not a positive integer"
    for key in ("at", "action", "prev", "hash"):
        if not isinstance(data[key], str):
            return f"'{key}' is not text"
    if not isinstance(data.get("item"), str | None) or not isinstance(data.get("detail", {}), dict | None):
        return "'item' or 'detail' has the wrong type"
    return None


def _seq_of(data: Any) -> int | None:
    seq = data.get("seq") if isinstance(data, dict) else None
    return seq if isinstance(seq, int) and not isinstance(seq, bool) else None


def verify_chain(entries: list[dict[str, Any]], head: tuple[int, str] | None = None) -> list[ChainProblem]:
    """Check a sequence of entry dicts; ``head`` is the expected last (seq, hash) if known.
    Never raises on malformed input: it is reported as a problem."""
    problems: list[ChainProblem] = []
    prev, expected_seq = GENESIS, 1
    for data in entries:
        why = _malformed(data)
        if why is None:
            entry = LogEntry.from_dict(data)
            try:
                digest = LogEntry.compute_hash(entry.body())
            except (ValueError, RecursionError):  # lone surrogates, absurd nesting
                why = "its content cannot be hashed"
        if why is not None:
            problems.append(ChainProblem(_seq_of(data), f"malformed entry ({why})"))
            return problems
        if entry.seq != expected_seq:
            problems.append(ChainProblem(
                entry.seq, f"expected entry {expected_seq} (entries missing or reordered)"))
        if entry.prev != prev:
            problems.append(ChainProblem(entry.seq, "does not follow the previous entry (chain broken)"))
        if digest != entry.hash:
            problems.append(ChainProblem(entry.seq, "content was edited (hash mismatch)"))
        prev, expected_seq = entry.hash, entry.seq + 1
    if head is not None and (expected_seq - 1, prev) != tuple(head):
        problems.append(ChainProblem(None, f"ends at entry {expected_seq - 1} but the workspace "
                                           f"recorded entry {head[0]} as the last (entries removed)"))
    return problems


MAX_LOG_FILE_BYTES = 64 * 1024 * 1024


def read_log_file(path: str | Path) -> tuple[list[LogEntry], list[str]]:
    """An exported log (``activity-log.jsonl`` of an opened bundle): its well-formed entries,
    and every problem with the file or its chain. Never raises on bad content — the file
    comes from outside and is shown, not trusted; only an unreadable file raises OSError."""
    with open(path, "rb") as fh:
        raw = fh.read(MAX_LOG_FILE_BYTES + 1)
    if len(raw) > MAX_LOG_FILE_BYTES:
        return [], [f"activity log: larger than {MAX_LOG_FILE_BYTES >> 20} MiB"]
    try:
        lines = raw.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return [], ["activity log: not UTF-8 text"]
    dicts: list[Any] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            dicts.append(json.loads(line))
        except (ValueError, RecursionError):
            return [], [f"activity log: line {n} is not JSON"]
    problems = [str(p) for p in verify_chain(dicts)]
    entries = [LogEntry.from_dict(d) for d in dicts if _malformed(d) is None]
    return entries, problems
