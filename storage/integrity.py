"""The integrity check of a workspace, and the repairs that are safe to make.

What is checked:

* SQLite's own structure (``PRAGMA integrity_check``);
* every sealed record opens with the workspace key in its own place: the profile,
  the evidence-store identity, the log head, every answer, every evidence record,
  every activity-log entry, every imported review; the questionnaire text matches the digest sealed in the
  profile; stored answers fit their items;
* the activity log's hash chain and its sealed head;
* the records agree with the activity log replayed from the start, so a record
  deleted or rolled back to an older sealed value (things per-record sealing alone
  cannot notice) is reported;
* every evidence blob exists, decrypts, matches its content name and the size and
  SHA-256 recorded for it;
* every kept backup (storage/backups.py): readable, of this workspace, its records
  open, its evidence files present, its key slot the current one;
* leftovers: blobs nothing refers to, temporary files of interrupted writes.

Findings are of three kinds. DAMAGE: something entered or attached is altered,
missing or unreadable; the check fails and the user should restore a backup.
LEFTOVER: harmless remains of an interrupted operation, invisible to the user; the
check still passes (like ``git fsck``'s dangling objects) and ``repair`` removes
them. NOTICE: worth knowing, nothing to do.

``repair`` only does what cannot lose anything: it deletes temporary files, deletes
orphaned blobs (only when the live database is undamaged and every backup could be
read, so nothing can still need them) and gives kept backups the current key slot
(finishing a passphrase change interrupted before its backups were updated). A
passphrase change is one SQLite transaction, so there is nothing of it to roll back;
tests/test_crash_safety.py kills it at random points to show that. Repairs change no
record, so they are not written to the activity log.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import re
import shutil
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from questionnaire import Answer, EvidenceInfo, Template, load_template_text
from questionnaire.answers import is_valid_stored
from questionnaire.errors import AttestError
from questionnaire.text import Text, counted

from . import backups as bk
from . import db, faults
from .activity import LogEntry, verify_chain
from .blobstore import BLOB_SUFFIX, BlobStore
from .crypto import Keys
from .errors import CorruptData
from .models import ActivityRow, AnswerRow, Base, EvidenceRow, KeySlot, WorkspaceRow
from .progress import CancelFn, Meter, ProgressFn
from .unlock import Header, live_engine, read_header, unlock, workspace_lock

if TYPE_CHECKING:
    from .workspace import Workspace

BLOBS_DIR = "blobs"
_BLOB_NAME = re.compile(r"^[0-9a-f]{64}" + re.escape(BLOB_SUFFIX) + "$")


class Severity(StrEnum):
    DAMAGE = "damage"
    LEFTOVER = "leftover"
    NOTICE = "notice"


# code -> (severity, short title in both languages); the desktop shows the title
# with the finding's subject and detail.
CODES: dict[str, tuple[Severity, Text]] = {
    "database": (Severity.DAMAGE, Text("データベースが破損しています", "Database damaged")),
    "record": (Severity.DAMAGE, Text("暗号化された記録が破損または改ざんされています",
                                     "Sealed record damaged or altered")),
    "template": (Severity.DAMAGE, Text("調査票の定義が改ざんされています", "Questionnaire text altered")),
    "answer": (Severity.DAMAGE, Text("回答が調査票の項目に合いません", "Answer does not fit its item")),
    "activity-log": (Severity.DAMAGE, Text("操作履歴のハッシュチェーンが壊れています",
                                           "Activity log chain broken")),
    "log-mismatch": (Severity.DAMAGE, Text("記録が操作履歴と一致しません",
                                           "Record differs from the activity log")),
    "evidence-missing": (Severity.DAMAGE, Text("証跡ファイルの暗号化データがありません",
                                               "Evidence file missing")),
    "evidence-damaged": (Severity.DAMAGE, Text("証跡ファイルが破損または改ざんされています",
                                               "Evidence file damaged or altered")),
    "evidence-mismatch": (Severity.DAMAGE, Text("証跡ファイルが記録されたサイズ・SHA-256と一致しません",
                                                "Evidence file differs from its recorded size/SHA-256")),
    "backup-damaged": (Severity.DAMAGE, Text("バックアップが破損しています", "Backup damaged")),
    "backup-missing-file": (Severity.DAMAGE, Text("バックアップが参照する証跡ファイルがありません",
                                                  "Evidence file of a backup missing")),
    "orphaned-blob": (Severity.LEFTOVER, Text("どこからも参照されない暗号化ファイル", "Orphaned blob")),
    "temporary-file": (Severity.LEFTOVER, Text("中断された書き込みの一時ファイル",
                                               "Temporary file of an interrupted write")),
    "backup-old-key": (Severity.LEFTOVER, Text("バックアップの鍵スロットが古いパスフレーズのままです",
                                               "Backup still opens with an earlier passphrase")),
    "unexpected-file": (Severity.NOTICE, Text("ワークスペースが書いていないファイル",
                                              "File the workspace did not write")),
    "not-checked": (Severity.NOTICE, Text("確認できなかった項目", "Not checked")),
}


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    subject: str   # what, in the user's terms: "answer CERT-03", "evidence 'x.pdf' (CERT-02)"
    detail: str
    repaired: bool = False

    @property
    def severity(self) -> Severity:
        return CODES[self.code][0]

    def title(self, lang: str = "en") -> str:
        return CODES[self.code][1].get(lang)

    def __str__(self) -> str:
        return f"{self.subject}: {self.detail}" + (" (repaired)" if self.repaired else "")

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "severity": str(self.severity), "subject": self.subject,
                "detail": self.detail, "repaired": self.repaired}


@dataclass
class IntegrityReport:
    workspace: Path
    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    repair_requested: bool = False

    def _open(self, severity: Severity) -> list[Finding]:
        return [f for f in self.findings if f.severity is severity and not f.repaired]

    @property
    def damage(self) -> list[Finding]:
        return self._open(Severity.DAMAGE)

    @property
    def leftovers(self) -> list[Finding]:
        return self._open(Severity.LEFTOVER)

    @property
    def repaired(self) -> list[Finding]:
        return [f for f in self.findings if f.repaired]

    @property
    def ok(self) -> bool:
        """No damage (leftovers may remain: they hide nothing and lose nothing)."""
        return not self.damage

    @property
    def clean(self) -> bool:
        return not self.damage and not self.leftovers

    def as_dict(self) -> dict[str, Any]:
        return {"workspace": str(self.workspace), "ok": self.ok, "clean": self.clean,
                "counts": dict(self.counts), "findings": [f.as_dict() for f in self.findings]}


# --- entry points ------------------------------------------------------------------


def check_workspace(path: str | Path, passphrase: str, *, repair: bool = False,
                    progress: ProgressFn | None = None, cancel: CancelFn | None = None) -> IntegrityReport:
    """Check a closed workspace (its lock is held meanwhile); optionally repair what is safe.

    Raises WrongPassphrase, WorkspaceLocked, NotAWorkspace, or CorruptData when not even
    the key slot can be read (then only a backup can help: see ``backups``).
    """
    path = Path(path).absolute()
    action = faults.repair_action() if repair else faults.check_action()
    # On read-only media nothing can change the workspace: it is checked without its lock
    # (which is a file to create); repairing it is refused.
    read_only = path.is_dir() and not faults.writable(path, path / "attest.db")
    if read_only and repair:
        raise faults.MachineFault(faults.FaultKind.READ_ONLY, path, action)
    with contextlib.nullcontext() if read_only else workspace_lock(path, action), faults.guard(path, action):
        engine = live_engine(path, read_only=read_only)
        try:
            header = read_header(engine, path)
            _master, keys = unlock(header, passphrase)
            checker = _Checker(path, engine, keys, header, progress, cancel)
            checker.run()
            if checker.report.damage and faults.drive_failing(path):
                # What could not be read because the drive is failing is not damage: say that.
                raise faults.MachineFault(faults.FaultKind.DEVICE, path, action)
            if repair:
                checker.repair()
            return checker.report
        finally:
            engine.dispose()


def check_open(ws: Workspace, *, progress: ProgressFn | None = None,
               cancel: CancelFn | None = None) -> IntegrityReport:
    """Check a workspace this process has open (read only: close it to repair).

    Holds the workspace's change lock meanwhile: the records are compared with a replay of
    the activity log, so no change may land between reading the one and the other. Reading
    the workspace (assess, evidence, answers) does not wait for it (see ``Workspace._state``);
    a change does, so the desktop keeps the window modal while the check runs."""
    with ws._mutex:
        with Session(ws._engine) as s:
            slot = s.get(KeySlot, 1)
            header = Header(ws.id, slot.kdf_params, slot.salt, slot.wrapped_key)
        checker = _Checker(ws.path, ws._engine, ws.keys, header, progress, cancel)
        checker.run()
        return checker.report


# --- one database (the live one or a backup) -------------------------------------------


@dataclass
class DatabaseFacts:
    """What a database holds, as far as it could be read."""

    workspace_id: str | None = None
    template: Template | None = None
    vendor: str | None = None
    identity: str | None = None
    head: tuple[int, str] | None = None
    answers: dict[str, Answer] = field(default_factory=dict)
    evidence: dict[str, tuple[EvidenceInfo, str]] = field(default_factory=dict)  # id -> (info, blob)
    blob_refs: set[str] = field(default_factory=set)  # also of rows that failed to open
    entries: list[LogEntry] = field(default_factory=list)
    slot: bk.SlotBytes | None = None
    reviews: set[str] | None = None  # IDs of imported reviews (None: no review table yet)


# The columns of schema 0001 that this checker and Workspace.open read; newer revisions
# are checked against the models (storage/models.py), which describe the head revision.
_CORE_COLUMNS = {
    "workspace": {"id", "format_version", "created_at", "template_id", "template_version", "template_text",
                  "profile_sealed", "blob_identity_sealed", "log_head_sealed"},
    "keyslot": {"id", "kdf_params", "salt", "wrapped_key", "changed_at"},
    "answer": {"item_id", "revision", "sealed"},
    "evidence": {"id", "item_id", "blob_id", "sealed"},
    "activity": {"seq", "sealed"},
}


def _expected_columns(revision: str | None) -> dict[str, set[str]]:
    if revision == db.HEAD_REVISION:
        return {t.name: {c.name for c in t.columns} for t in Base.metadata.sorted_tables}
    return _CORE_COLUMNS


@functools.lru_cache(maxsize=4)
def _load_template(text: str) -> Template:
    # Every backup holds the same questionnaire text: parse it once per check.
    return load_template_text(text, "stored questionnaire")


def _integrity_messages(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check(20)")]
    return [] if rows == ["ok"] else [str(r) for r in rows]


def _short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _evidence_subject(info: EvidenceInfo | None, evidence_id: str, item_id: str) -> str:
    if info is not None:
        return f"evidence {_short(info.filename)!r} ({item_id})"
    return f"evidence record {str(evidence_id)[:12]} ({item_id})"


def inspect_database(engine: Engine, keys: Keys) -> tuple[DatabaseFacts, list[Finding]]:
    """Read and check one database (e.g. a backup about to be restored)."""
    found: list[Finding] = []
    facts = _DbReader(engine, keys, lambda c, s, d: found.append(Finding(c, s, d))).run()
    return facts, found


class _DbReader:
    """Reads and checks one database's records, collecting findings instead of stopping."""

    def __init__(self, engine: Engine, keys: Keys, add) -> None:
        self.engine = engine
        self.keys = keys
        self.add = add  # add(code, subject, detail)
        self.facts = DatabaseFacts()
        self.counts: dict[str, int] = {}
        self._log_intact = False

    def _table(self, name: str, fn) -> None:
        try:
            fn()
        except (DatabaseError, sqlite3.Error) as exc:
            _raise_machine_fault(exc)
            self.add("database", f"table {name}", f"unreadable ({getattr(exc, 'orig', exc)})")
        except UnicodeDecodeError:
            self.add("database", f"table {name}", "unreadable (text that is not UTF-8)")

    def run(self) -> DatabaseFacts:
        try:
            problems = _integrity_messages(self.engine)
        except (DatabaseError, sqlite3.Error) as exc:
            _raise_machine_fault(exc)
            problems = [f"integrity check failed to run ({getattr(exc, 'orig', exc)})"]
        for msg in problems[:5]:
            self.add("database", "database structure", msg)
        if len(problems) > 5:
            self.add("database", "database structure", f"and {len(problems) - 5} more problems")
        self._check_schema()
        self._table("keyslot", self._read_slot)
        self._table("workspace", self._read_workspace)
        self._table("answer", self._read_answers)
        self._table("evidence", self._read_evidence)
        self._table("activity", self._read_activity)
        self._table("review", self._read_reviews)
        self._compare_with_log()
        return self.facts

    def _check_schema(self) -> None:
        """The tables and columns the app reads exist: PRAGMA integrity_check does not look at
        the schema text itself, and an edited one makes every query of that table fail."""
        try:
            with self.engine.connect() as conn:
                raw = conn.connection.driver_connection
                row = raw.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
                expected = _expected_columns(revision)
                for table, columns in expected.items():
                    # SQLite names are case-insensitive
                    have = {str(r[1]).casefold() for r in raw.execute(f"PRAGMA table_info({table})")}
                    missing = sorted(c for c in columns if c.casefold() not in have)
                    if not have:
                        self.add("database", f"table {table}", "missing (the schema was altered)")
                    elif missing:
                        self.add("database", f"table {table}",
                                 f"column {', '.join(missing)} missing (the schema was altered)")
        except (DatabaseError, sqlite3.Error, UnicodeDecodeError) as exc:
            _raise_machine_fault(exc)
            self.add("database", "schema", f"unreadable ({getattr(exc, 'orig', exc)})")

    def _read_slot(self) -> None:
        with self.engine.connect() as conn:
            self.facts.slot = bk.read_slot(conn.connection.driver_connection)

    def _open_json(self, sealed: bytes, context: str, subject: str) -> Any:
        try:
            return json.loads(self.keys.open(sealed, context))
        except CorruptData as exc:
            self.add("record", subject, str(exc))
        except ValueError:
            self.add("record", subject, "not readable after decryption")
        return None

    def _read_workspace(self) -> None:
        f = self.facts
        cols = (WorkspaceRow.id, WorkspaceRow.profile_sealed, WorkspaceRow.log_head_sealed,
                WorkspaceRow.blob_identity_sealed, WorkspaceRow.template_text, WorkspaceRow.template_id)
        with Session(self.engine) as s:
            rows = s.execute(select(*cols)).all()
        if len(rows) != 1:
            self.add("record", "workspace record", f"expected one, found {len(rows)}")
            return
        row = rows[0]
        f.workspace_id = row.id
        profile = self._open_json(row.profile_sealed, "workspace:profile", "workspace profile")
        if isinstance(profile, dict):
            f.vendor = profile.get("vendor", "")
        head = self._open_json(row.log_head_sealed, "workspace:log-head", "activity log head")
        if isinstance(head, dict):
            f.head = (head.get("seq"), head.get("hash"))
        try:
            f.identity = self.keys.open(row.blob_identity_sealed, "workspace:blob-identity").decode()
        except (CorruptData, UnicodeDecodeError) as exc:
            self.add("record", "evidence store identity", str(exc))
        try:
            if not isinstance(row.template_text, str):
                raise CorruptData("questionnaire text", "missing")
            template = _load_template(row.template_text)
        except AttestError as exc:
            self.add("template", "questionnaire", str(exc))
            return
        from .workspace import template_matches

        if isinstance(profile, dict) and not template_matches(profile, template):
            self.add("template", "questionnaire", "the stored questionnaire text was altered")
            return
        f.template = template

    def _read_answers(self) -> None:
        f = self.facts
        with Session(self.engine) as s:  # column tuples: see Workspace._load_records
            rows = s.execute(select(AnswerRow.item_id, AnswerRow.sealed)).all()
        self.counts["answers"] = len(rows)
        for row in rows:
            subject = f"answer {row.item_id}"
            data = self._open_json(row.sealed, f"answer:{row.item_id}", subject)
            if not isinstance(data, dict):
                continue
            answer = Answer.from_dict(data)
            f.answers[row.item_id] = answer
            if f.template is not None:
                if not f.template.has_item(row.item_id):
                    self.add("answer", subject, "the questionnaire has no such item")
                elif not is_valid_stored(f.template.item(row.item_id), answer.value):
                    self.add("answer", subject, "the stored value does not fit the item")

    def _read_evidence(self) -> None:
        from .workspace import open_evidence_record

        f = self.facts
        with Session(self.engine) as s:
            rows = s.execute(select(EvidenceRow.id, EvidenceRow.item_id, EvidenceRow.blob_id,
                                    EvidenceRow.sealed)).all()
        self.counts["evidence"] = len(rows)
        for row in rows:
            f.blob_refs.add(row.blob_id)
            try:
                info = open_evidence_record(self.keys, row.id, row.item_id, row.blob_id, row.sealed)
            except CorruptData as exc:
                self.add("record", _evidence_subject(None, row.id, row.item_id), str(exc))
                continue
            except (ValueError, KeyError, TypeError):
                self.add("record", _evidence_subject(None, row.id, row.item_id),
                         "not readable after decryption")
                continue
            f.evidence[row.id] = (info, row.blob_id)
            if f.template is not None and not f.template.has_item(row.item_id):
                self.add("answer", _evidence_subject(info, row.id, row.item_id),
                         "attached to an item the questionnaire does not have")

    def _read_activity(self) -> None:
        f = self.facts
        with Session(self.engine) as s:
            rows = s.execute(select(ActivityRow.seq, ActivityRow.sealed).order_by(ActivityRow.seq)).all()
        self.counts["log_entries"] = len(rows)
        raw: list[dict[str, Any]] = []
        for row in rows:
            data = self._open_json(row.sealed, f"activity:{row.seq}", f"activity log entry {row.seq}")
            if isinstance(data, dict):
                raw.append(data)
        head_ok = f.head is not None and None not in f.head
        chain = verify_chain(raw, f.head if head_ok else None)
        for p in chain:
            subject = f"activity log entry {p.seq}" if p.seq is not None else "activity log"
            self.add("activity-log", subject, p.problem)
        try:
            f.entries = [LogEntry.from_dict(d) for d in raw]
        except (KeyError, TypeError):
            f.entries = []
        # (an unreadable head was reported as a damaged record already)
        self._log_intact = head_ok and len(raw) == len(rows) and not chain

    def _read_reviews(self) -> None:
        """Imported reviews (schema 0002, storage/reviews.py): sealed like the rest."""
        from questionnaire.review import ReviewError
        from questionnaire.review import from_document as review_from_document

        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection
            if not raw.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='review'").fetchone():
                return
            rows = raw.execute("SELECT id, sealed FROM review ORDER BY seq").fetchall()
        self.facts.reviews = set()
        self.counts["reviews"] = len(rows)
        for review_id, sealed in rows:
            subject = f"imported review {str(review_id)[:12]}"
            data = self._open_json(sealed, f"review:{review_id}", subject)
            if data is None:
                continue
            try:
                review_from_document(data)
            except (ReviewError, ValueError, TypeError, KeyError) as exc:
                self.add("record", subject, f"not readable after decryption ({exc})")
                continue
            self.facts.reviews.add(review_id)

    def _compare_with_log(self) -> None:
        """Replay the log; the records must be what it says they became."""
        f = self.facts
        if not self._log_intact:
            if f.entries:
                self.add("not-checked", "records against the activity log",
                         "skipped because the log itself is damaged")
            return
        answers: dict[str, tuple[Any, Any, int]] = {}
        evidence: dict[str, dict[str, Any]] = {}
        reviews: dict[str, int] = {}
        vendor: tuple[str, int] | None = None
        for e in f.entries:
            d = e.detail
            if e.action == "answer.set":
                answers[e.item] = (d.get("value"), d.get("note"), e.seq)
            elif e.action == "answer.cleared":
                answers.pop(e.item, None)
            elif e.action == "evidence.added":
                evidence[d.get("evidence")] = {"item_id": e.item, "filename": d.get("filename"),
                                               "size": d.get("size"), "sha256": d.get("sha256"),
                                               "kind": d.get("kind"), "seq": e.seq}
            elif e.action == "evidence.updated" and d.get("evidence") in evidence:
                evidence[d["evidence"]].update(kind=d.get("kind"), seq=e.seq)
                if "expires" in d:
                    evidence[d["evidence"]]["expires"] = d.get("expires")
            elif e.action == "evidence.replaced" and d.get("evidence") in evidence:
                # a new file in place of an attached one, under the same evidence ID (cycle)
                evidence[d["evidence"]].update(filename=d.get("filename"), size=d.get("size"),
                                               sha256=d.get("sha256"), kind=d.get("kind"),
                                               expires=d.get("expires"), seq=e.seq)
            elif e.action == "evidence.removed":
                evidence.pop(d.get("evidence"), None)
            elif e.action == "profile.vendor":
                vendor = (d.get("vendor"), e.seq)
            elif e.action == "review.imported":
                reviews[d.get("review")] = e.seq
        for item_id in sorted(set(answers) | set(f.answers)):
            want, have = answers.get(item_id), f.answers.get(item_id)
            subject = f"answer {item_id}"
            if want is None:
                self.add("log-mismatch", subject, "present, but the activity log never recorded it "
                                                  "(or recorded it as cleared)")
            elif have is None:
                self.add("log-mismatch", subject, f"missing, but activity log entry {want[2]} set it")
            elif (have.value, have.note) != want[:2]:
                self.add("log-mismatch", subject,
                         f"differs from what activity log entry {want[2]} recorded")
        for ev_id in sorted(set(evidence) | set(f.evidence), key=str):
            want = evidence.get(ev_id)
            have = f.evidence.get(ev_id)
            if want is None:
                info = have[0]
                self.add("log-mismatch", _evidence_subject(info, ev_id, info.item_id),
                         "present, but the activity log never recorded adding it")
                continue
            if have is None:
                name = f"evidence {_short(str(want['filename']))!r} ({want['item_id']})"
                self.add("log-mismatch", name, f"missing, but activity log entry {want['seq']} added it "
                                               "and none removed it")
                continue
            info = have[0]
            got = {"item_id": info.item_id, "filename": info.filename, "size": info.size,
                   "sha256": info.sha256, "kind": info.kind}
            if "expires" in want:
                got["expires"] = info.expires.isoformat() if info.expires else None
            expected = {k: want[k] for k in got}
            if got != expected:
                fields = ", ".join(k for k in got if got[k] != expected[k])
                self.add("log-mismatch", _evidence_subject(info, ev_id, info.item_id),
                         f"{fields} differ from what activity log entry {want['seq']} recorded")
        if f.reviews is not None:
            for review_id in sorted(set(reviews) - f.reviews, key=str):
                self.add("log-mismatch", f"imported review {str(review_id)[:12]}",
                         f"missing, but activity log entry {reviews[review_id]} imported it")
            for review_id in sorted(f.reviews - set(reviews), key=str):
                self.add("log-mismatch", f"imported review {str(review_id)[:12]}",
                         "present, but the activity log never recorded importing it")
        if vendor is not None and f.vendor is not None and f.vendor != vendor[0]:
            self.add("log-mismatch", "vendor name",
                     f"differs from what activity log entry {vendor[1]} recorded")


# --- the whole workspace ------------------------------------------------------------------


_BackupFacts = list[tuple[bk.BackupInfo, DatabaseFacts]]


class _HashingSink:
    def __init__(self) -> None:
        self.sha = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.sha.update(data)
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass


class _Checker:
    def __init__(self, path: Path, engine: Engine, keys: Keys, header: Header,
                 progress: ProgressFn | None, cancel: CancelFn | None) -> None:
        self.path = path
        self.engine = engine
        self.keys = keys
        self.header = header
        self.progress = progress
        self.cancel = cancel
        self.report = IntegrityReport(path)
        self.live: DatabaseFacts | None = None
        self.blobs: BlobStore | None = None
        self._temp: list[Path] = []
        self._orphans: list[str] = []
        self._old_key_backups: list[bk.BackupInfo] = []
        self._backups_readable = True

    def add(self, code: str, subject: str, detail: str) -> None:
        self.report.findings.append(Finding(code, subject, detail))

    def _count(self, key: str, n: int = 1) -> None:
        self.report.counts[key] = self.report.counts.get(key, 0) + n

    def run(self) -> None:
        reader = _DbReader(self.engine, self.keys, self.add)
        self.live = live = reader.run()
        self.report.counts.update(reader.counts)
        if live.identity is not None:
            self.blobs = BlobStore(self.path / BLOBS_DIR, self.keys, live.identity)
        backup_facts = self._check_backups()
        self._check_blobs(live, backup_facts)
        self._find_leftovers(live, backup_facts)

    # backups

    def _check_backups(self) -> _BackupFacts:
        out = []
        live_slot = self.live.slot if self.live else None
        for b in bk.list_backups(self.path):
            self._count("backups")
            subject = f"backup {b.name}"
            problems: list[str] = []

            def add(code: str, what: str, detail: str, problems=problems) -> None:
                if CODES[code][0] is Severity.DAMAGE:
                    problems.append(f"{what}: {detail}")

            engine = bk.ro_engine(b.path)
            try:
                facts = _DbReader(engine, self.keys, add).run()
            except (DatabaseError, sqlite3.Error) as exc:
                _raise_machine_fault(exc)
                problems.append(f"unreadable ({exc})")
                facts = None
            finally:
                engine.dispose()
            if facts is not None and facts.workspace_id not in (None, self.header.workspace_id):
                problems = ["it belongs to another workspace"]
            if problems:
                self._backups_readable = False
                more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
                self.add("backup-damaged", subject, problems[0] + more)
                continue
            assert facts is not None
            if live_slot is not None and facts.slot != live_slot:
                self._old_key_backups.append(b)
                self.add("backup-old-key", subject,
                         "its key slot is not the current one (a passphrase change was interrupted)")
            out.append((b, facts))
        return out

    # blobs

    def _check_blobs(self, live: DatabaseFacts, backup_facts: _BackupFacts) -> None:
        # blob id -> [(subject, info, backup name or "" for the live database)]
        users: dict[str, list[tuple[str, EvidenceInfo, str]]] = {}
        for ev_id, (info, blob_id) in live.evidence.items():
            users.setdefault(blob_id, []).append((_evidence_subject(info, ev_id, info.item_id), info, ""))
        live_blobs = set(users)
        # Blobs only backups still use (evidence removed since) are verified as well: a
        # restore must be able to bring them back. Blobs the live database uses are
        # reported once, for the live record.
        for b, facts in backup_facts:
            for ev_id, (info, blob_id) in facts.evidence.items():
                if blob_id not in live_blobs:
                    users.setdefault(blob_id, []).append(
                        (_evidence_subject(info, ev_id, info.item_id), info, b.name))
        if self.blobs is None:
            if users:
                self.add("not-checked", "evidence files", "the evidence store identity is unreadable")
            return
        total = sum(max(info.size for _, info, _ in uses) for uses in users.values())
        meter = Meter(total, self.progress, self.cancel)
        for blob_id, uses in users.items():
            meter.tick()
            live_uses = [u for u in uses if not u[2]]
            try:
                path_ok = self.blobs.exists(blob_id)
            except CorruptData:
                path_ok = False
            if not path_ok:
                for subject, _info, where in uses:
                    if where:
                        self.add("backup-missing-file", f"backup {where}",
                                 f"{subject}: its encrypted file is missing, so restoring this backup "
                                 "would lack it")
                    else:
                        self.add("evidence-missing", subject, "its encrypted file is missing")
                continue
            sink = _HashingSink()
            base = meter.done
            name = (live_uses or uses)[0][1].filename
            try:
                self.blobs.read(blob_id, sink, name=name, cancel=self.cancel,
                                progress=(lambda d, _t, base=base: self.progress(base + d, total))
                                if self.progress else None)
            except CorruptData as exc:
                for subject, _info, where in (live_uses or uses[:1]):
                    code = "evidence-damaged" if not where else "backup-damaged"
                    self.add(code, subject if not where else f"backup {where}", str(exc.args[0]))
                meter.done = base + sink.size
                continue
            meter.done = base + sink.size
            self._count("blobs")
            self._count("blob_bytes", sink.size)
            digest = sink.sha.hexdigest()
            for subject, info, where in uses:
                if info.size != sink.size or info.sha256 != digest:
                    what = "size" if info.size != sink.size else "SHA-256"
                    if where:
                        self.add("backup-damaged", f"backup {where}",
                                 f"{subject}: the file's {what} differs from the record")
                    else:
                        self.add("evidence-mismatch", subject,
                                 f"the file's {what} differs from the one recorded when it was attached")
        meter.tick()

    # leftovers

    def _find_leftovers(self, live: DatabaseFacts, backup_facts: _BackupFacts) -> None:
        blobs_root = self.path / BLOBS_DIR
        for folder in (blobs_root / "tmp",):
            if folder.is_dir():
                self._temp.extend(folder.iterdir())
        self._temp.extend(bk.temporary_files(self.path))
        for p in self._temp:
            self.add("temporary-file", str(p.relative_to(self.path)), "left by an interrupted write")
        on_disk: list[str] = []
        if blobs_root.is_dir():
            for sub in sorted(blobs_root.iterdir()):
                if sub.name == "tmp":
                    continue
                if not (sub.is_dir() and re.fullmatch(r"[0-9a-f]{2}", sub.name)):
                    self.add("unexpected-file", str(sub.relative_to(self.path)), "left alone")
                    continue
                for f in sorted(sub.iterdir()):
                    if _BLOB_NAME.match(f.name) and f.name.startswith(sub.name) and f.is_file():
                        on_disk.append(f.name[: -len(BLOB_SUFFIX)])
                    else:
                        self.add("unexpected-file", str(f.relative_to(self.path)), "left alone")
        refs = set(live.blob_refs)
        for _b, facts in backup_facts:
            refs |= facts.blob_refs
        orphans = [b for b in on_disk if b not in refs]
        if not orphans:
            return
        if not self._backups_readable or self.report.damage:
            self.add("not-checked", "orphaned blobs",
                     f"{counted(len(orphans), 'blob')} "
                     f"{'looks' if len(orphans) == 1 else 'look'} unreferenced, "
                     "but with damage present they are kept "
                     "(a damaged record or backup may still need them)")
            return
        self._orphans = orphans
        for blob_id in orphans:
            self.add("orphaned-blob", f"blobs/{blob_id[:2]}/{blob_id[:16]}…{BLOB_SUFFIX}",
                     "no record and no kept backup refers to it")

    # repair

    def repair(self) -> None:
        self.report.repair_requested = True
        done: dict[tuple[str, str], bool] = {}
        for p in self._temp:
            try:
                if p.is_dir():
                    shutil.rmtree(p)
                else:
                    p.unlink()
                done[("temporary-file", str(p.relative_to(self.path)))] = True
            except FileNotFoundError:
                done[("temporary-file", str(p.relative_to(self.path)))] = True
            except OSError:
                pass
        if self._orphans and self.blobs is not None:
            for blob_id in self._orphans:
                self.blobs.delete(blob_id)
                done[("orphaned-blob", f"blobs/{blob_id[:2]}/{blob_id[:16]}…{BLOB_SUFFIX}")] = True
        if self._old_key_backups and self.live and self.live.slot is not None:
            for b in self._old_key_backups:
                try:
                    bk.rekey(b.path, self.path, self.live.slot)
                    done[("backup-old-key", f"backup {b.name}")] = True
                except (OSError, sqlite3.Error):
                    pass
        self.report.findings = [
            Finding(f.code, f.subject, f.detail, True) if done.get((f.code, f.subject)) else f
            for f in self.report.findings
        ]


def _raise_machine_fault(exc: BaseException) -> None:
    """A full disk or a failing drive stops the check (check_workspace says which, through
    storage/faults.py): what could not be read for that reason is not damage."""
    if isinstance(exc, UnicodeDecodeError):
        return
    if faults.classify(exc) is not None:
        raise exc


def summary_line(report: IntegrityReport, lang: str = "en") -> str:
    c = report.counts
    if lang == "ja":
        return (f"回答 {c.get('answers', 0)} 件、証跡の記録 {c.get('evidence', 0)} 件、"
                f"暗号化ファイル {c.get('blobs', 0)} 個（{c.get('blob_bytes', 0):,} バイト）、"
                f"操作履歴 {c.get('log_entries', 0)} 件、バックアップ {c.get('backups', 0)} 個")
    return (f"{counted(c.get('answers', 0), 'answer')}, {counted(c.get('evidence', 0), 'evidence record')}, "
            f"{counted(c.get('blobs', 0), 'encrypted file')} ({counted(c.get('blob_bytes', 0), 'byte')}), "
            f"{counted(c.get('log_entries', 0), 'log entry', 'log entries')}, "
            f"{counted(c.get('backups', 0), 'backup')}")


def codes(findings: Iterable[Finding]) -> set[str]:
    return {f.code for f in findings}

