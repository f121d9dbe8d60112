"""An open, unlocked workspace: answers, evidence and the activity log, all encrypted.

Layout of a workspace folder::

    attest.db          SQLite (WAL): sealed records, key slot, activity log
    blobs/ab/<id>.age  evidence files, age-encrypted (see blobstore.py)
    blobs/tmp/         partial writes; never visible as evidence
    workspace.lock     held while the workspace is open (one process at a time)
    README.txt         a note saying what the folder is (no user data)

Every change runs in one SQLite transaction together with its activity-log
entry, so a crash leaves either the whole change or none of it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hmac
import json
import mimetypes
import os
import shutil
import stat
import threading
import unicodedata
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

import filelock
from sqlalchemy import Engine, delete, func, insert, select, text
from sqlalchemy.exc import DatabaseError, IntegrityError
from sqlalchemy.orm import Session

from questionnaire import (
    Answer,
    Assessment,
    EvidenceInfo,
    InvalidAnswer,
    Template,
    assess,
    default_template,
    load_template_text,
    parse_date,
    parse_note,
    parse_value,
)
from questionnaire.answers import clean_text
from questionnaire.carryover import CarryMark
from questionnaire.submission import Submission

from . import db, faults
from .activity import GENESIS, LogEntry, canonical, now_iso, verify_chain
from .backups import Backups, list_backups
from .blobstore import BlobStore, StoredBlob
from .crypto import (
    MIN_PASSPHRASE_CHARS,
    KdfParams,
    Keys,
    new_master_key,
    unwrap_master_key,
    wrap_master_key,
)
from .errors import (
    CorruptData,
    DuplicateEvidence,
    EvidenceNotFound,
    InvalidEvidence,
    NotAWorkspace,
    ReadOnlyWorkspace,
    WeakPassphrase,
    WorkspaceError,
    WorkspaceExists,
)
from .fsutil import atomic_write, fsync_dir
from .models import ActivityRow, AnswerRow, CarriedRow, EvidenceRow, KeySlot, WorkspaceRow
from .origin import Origin
from .progress import CancelFn, ProgressFn
from .unlock import NoLock, acquire_lock, valid_workspace_id

FORMAT_VERSION = 1
BLOBS_DIR = "blobs"
MAX_META_CHARS = 500
MAX_FILENAME_BYTES = 255
PREVIEW_LIMIT = 64 * 1024 * 1024
MIN_PERIOD, MAX_PERIOD = 2000, 2200
# the workspace row's columns by the schema revision that added them (read before migrating,
# and by a read-only open, which never migrates)
_BASE_COLUMNS = ("id", "format_version", "created_at", "template_id", "template_version", "template_text",
                 "profile_sealed", "blob_identity_sealed", "log_head_sealed")
_CYCLE_COLUMNS = ("period", "origin_sealed")  # 0003

_README = """\
This folder is a CCUS Attest workspace. Its contents are encrypted with the
workspace passphrase; open it with the CCUS Attest app. Do not edit the files.

このフォルダーは CCUS Attest のワークスペースです。内容はパスフレーズで暗号化
されています。CCUS Attest で開いてください。ファイルを直接編集しないでください。
"""


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Any = _Unchanged()


@dataclass(frozen=True, slots=True)
class EvidenceMeta:
    """What the user says about an evidence file."""

    kind: str
    title: str = ""
    issuer: str = ""
    number: str = ""
    issued: dt.date | None = None
    expires: dt.date | None = None


def check_passphrase_strength(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise WeakPassphrase(f"the passphrase must have at least {MIN_PASSPHRASE_CHARS} characters")
    try:
        passphrase.encode("utf-8")
    except UnicodeEncodeError:
        raise WeakPassphrase("the passphrase contains characters that are not valid text") from None


def check_period(period: object) -> int:
    if not isinstance(period, int) or isinstance(period, bool) or not MIN_PERIOD <= period <= MAX_PERIOD:
        raise WorkspaceError(f"the audit period must be a year between {MIN_PERIOD} and {MAX_PERIOD}, "
                             f"not {period!r}")
    return period


def is_workspace(path: Path) -> bool:
    return (Path(path) / db.DB_NAME).is_file()


class _Tx:
    """One unit of work: a session in a transaction plus activity entries chained in it."""

    def __init__(self, ws: Workspace, session: Session) -> None:
        self.ws = ws
        self.s = session
        self.head = ws._log_head

    def log(self, action: str, item: str | None = None, **detail: Any) -> LogEntry:
        seq, prev = self.head
        entry = LogEntry.make(seq + 1, prev, action, item, detail)
        sealed = self.ws.keys.seal(canonical(entry.as_dict()), f"activity:{entry.seq}")
        self.s.add(ActivityRow(seq=entry.seq, sealed=sealed))
        self.head = (entry.seq, entry.hash)
        return entry

    def log_many(self, entries: Iterable[tuple[str, str | None, dict[str, Any]]]) -> list[LogEntry]:
        """``log`` for many entries (action, item, detail) at once, chained and sealed the same
        way, inserted with one statement: thousands of entries (a workspace carried forward)
        without an ORM object each."""
        out, rows = [], []
        for action, item, detail in entries:
            seq, prev = self.head
            entry = LogEntry.make(seq + 1, prev, action, item, detail)
            rows.append({"seq": entry.seq,
                         "sealed": self.ws.keys.seal(canonical(entry.as_dict()), f"activity:{entry.seq}")})
            self.head = (entry.seq, entry.hash)
            out.append(entry)
        if rows:
            self.s.execute(insert(ActivityRow), rows)
        return out


class _NoBackups:
    """The backup hooks of a workspace that takes none: opened read-only (nothing may be written
    into its folder), or still being built in its staging folder."""

    last_error: str | None = None
    last_exception: BaseException | None = None

    def on_open(self) -> None: ...
    def on_commit(self) -> None: ...
    def on_close(self) -> None: ...
    def after_passphrase_change(self) -> None: ...

    def refers_to(self, _blob_id: str) -> bool:
        return False


def read_workspace_row(s: Session) -> WorkspaceRow | None:
    """The workspace record with the columns its schema revision has (those it lacks are None),
    detached: usable before a migration and on a read-only open."""
    have = {r[1] for r in s.execute(text("PRAGMA table_info(workspace)"))}
    names = [c for c in (*_BASE_COLUMNS, *_CYCLE_COLUMNS) if c in have]
    values = s.execute(select(*(getattr(WorkspaceRow, c) for c in names))).first()
    return None if values is None else WorkspaceRow(**dict(zip(names, values, strict=True)))


class Workspace:
    """Use ``Workspace.create``, ``Workspace.open`` or ``Workspace.open_readonly``; close it
    (or use ``with``)."""

    def __init__(self, path: Path, engine: Engine, lock: filelock.BaseFileLock | NoLock, keys: Keys,
                 row: WorkspaceRow, template: Template, *, read_only: bool = False,
                 backups: bool = True) -> None:
        self.path = path
        # read_only: every change is refused before any work: ReadOnlyWorkspace when opened with
        # open_readonly (last year's, carried forward), else (read-only media, no write
        # permission) a MachineFault saying so.
        self._snapshot = False
        self.read_only = read_only
        self._engine = engine
        self._lock = lock
        self._keys: Keys | None = keys
        # Two locks. _mutex serialises changes (a transaction and the in-memory copies it
        # updates) and is held by long work that must see no change land (the integrity check).
        # _state guards only the in-memory copies below, for the moment of a copy or an update,
        # so reading (assess, evidence, answers) never waits for long work: the desktop reads
        # from the UI thread while the worker checks or exports (issue 10).
        self._mutex = threading.RLock()
        self._state = threading.Lock()
        self._on_close: list = []  # extra clean-up (a read-only snapshot's temporary copy)
        self.id = row.id
        self.created_at = row.created_at
        self.template = template
        self._profile: dict[str, Any] = json.loads(keys.open(row.profile_sealed, "workspace:profile"))
        if not template_matches(self._profile, template):
            raise CorruptData("workspace template", "the stored questionnaire text was altered")
        # The period is a plain column (shown before unlocking) and sealed in the profile.
        self.period: int | None = row.period
        if self._profile.get("period", self.period) != self.period:
            raise CorruptData("workspace period", "the audit period column was altered")
        self._origin: Origin | None = None
        if row.origin_sealed is not None:
            try:
                self._origin = Origin.from_dict(json.loads(keys.open(row.origin_sealed, "workspace:origin")))
            except (KeyError, TypeError, ValueError) as exc:
                raise CorruptData("workspace origin", str(exc)) from None
        identity = keys.open(row.blob_identity_sealed, "workspace:blob-identity").decode()
        self._blobs = BlobStore(path / BLOBS_DIR, keys, identity)
        head = json.loads(keys.open(row.log_head_sealed, "workspace:log-head"))
        self._log_head: tuple[int, str] = (head["seq"], head["hash"])
        self._answers: dict[str, Answer] = {}
        self._evidence: dict[str, tuple[EvidenceInfo, str]] = {}  # id -> (info, blob id)
        self._carried: dict[str, CarryMark] = {}
        self._load_records()
        self._backups: Backups | _NoBackups = Backups(self) if backups and not read_only else _NoBackups()

    # --- life cycle -------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, passphrase: str, *, vendor: str = "",
               template: Template | None = None, kdf: KdfParams | None = None,
               period: int | None = None, origin: Origin | None = None,
               populate=None) -> Workspace:
        """Create a new workspace folder atomically: it appears complete or not at all.

        ``populate(ws)``, when given, fills the new workspace while it is still in its hidden
        staging folder (the carry-forward, storage/cycle.py): a failure or a cancel there
        leaves no workspace behind. ``origin`` is recorded in the first activity-log entry.
        """
        path = Path(path).absolute()
        check_passphrase_strength(passphrase)
        vendor = clean_text(vendor, MAX_META_CHARS, "vendor name") if vendor else ""
        if period is not None:
            check_period(period)
        template = template or default_template()
        kdf = kdf or KdfParams()
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise WorkspaceExists(path)
        staging = path.parent / f".{path.name}.creating-{uuid.uuid4().hex[:8]}"
        workspace_id = str(uuid.uuid4())
        master = new_master_key()
        try:
            with faults.guard(path.parent, faults.create_action(path)):
                path.parent.mkdir(parents=True, exist_ok=True)
                cls._build(staging, path, workspace_id, master, passphrase, kdf, vendor, template,
                           period, origin, populate)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return cls._open_unlocked(path, lambda _slot, _id: master, backup=False, known_template=template)

    @classmethod
    def _populate(cls, staging: Path, engine: Engine, master: bytes, populate, template: Template) -> None:
        with Session(engine) as s:
            row = read_workspace_row(s)
        keys = Keys(master, row.id)
        if row.template_text != template.source_text:  # just written from it: cannot differ
            raise CorruptData("workspace template", "not the one the workspace was created with")
        ws = cls(staging, engine, NoLock(), keys, row, template, backups=False)
        try:
            populate(ws)
        finally:
            ws._keys = None  # the engine is disposed by create()

    @classmethod
    def _build(cls, staging: Path, path: Path, workspace_id: str, master: bytes, passphrase: str,
               kdf: KdfParams, vendor: str, template: Template, period: int | None, origin: Origin | None,
               populate) -> None:
        """Write the new workspace into ``staging`` (filled by ``populate``) and rename it to ``path``."""
        staging.mkdir(mode=0o700)
        (staging / BLOBS_DIR).mkdir(mode=0o700)
        (staging / "README.txt").write_text(_README, encoding="utf-8")
        engine = db.make_engine(staging / db.DB_NAME)
        try:
            db.upgrade(engine)
            cls._initialise(engine, workspace_id, master, passphrase, kdf, vendor, template, period, origin)
            if populate is not None:
                cls._populate(staging, engine, master, populate, template)
        finally:
            engine.dispose()
        for f in staging.iterdir():
            if f.is_file():
                f.chmod(0o600)
                with open(f, "rb") as fh:
                    os.fsync(fh.fileno())
        fsync_dir(staging)
        if path.exists():
            path.rmdir()  # empty, checked above
        os.rename(staging, path)
        fsync_dir(path.parent)

    @staticmethod
    def _initialise(engine: Engine, workspace_id: str, master: bytes, passphrase: str,
                    kdf: KdfParams, vendor: str, template: Template, period: int | None = None,
                    origin: Origin | None = None) -> None:
        keys = Keys(master, workspace_id)
        salt, wrapped = wrap_master_key(master, passphrase, workspace_id, kdf)
        created = now_iso()
        detail: dict[str, Any] = {"template": f"{template.id} {template.version}"}
        profile: dict[str, Any] = {"vendor": vendor, "template_sha256": template.digest}
        if period is not None:
            detail["period"] = profile["period"] = period
        if origin is not None:
            # the new workspace's log starts by naming what it was carried forward from
            detail["origin"] = origin.summary()
        first = LogEntry.make(1, GENESIS, "workspace.created", None, detail)
        with Session(engine) as s, s.begin():
            s.add(KeySlot(id=1, kdf_params=json.dumps(kdf.as_dict()), salt=salt,
                          wrapped_key=wrapped, changed_at=created))
            s.add(WorkspaceRow(
                id=workspace_id, format_version=FORMAT_VERSION, created_at=created,
                template_id=template.id, template_version=template.version,
                template_text=template.source_text,
                # The template text is a plain column; its digest sealed here makes an
                # altered questionnaire detectable (see __init__ and storage/integrity.py).
                profile_sealed=keys.seal(canonical(profile), "workspace:profile"),
                blob_identity_sealed=keys.seal(BlobStore.new_identity().encode(),
                                               "workspace:blob-identity"),
                log_head_sealed=keys.seal(canonical({"seq": 1, "hash": first.hash}),
                                          "workspace:log-head"),
                period=period,
                origin_sealed=(keys.seal(canonical(origin.as_dict()), "workspace:origin")
                               if origin is not None else None),
            ))
            s.add(ActivityRow(seq=1, sealed=keys.seal(canonical(first.as_dict()), "activity:1")))

    @classmethod
    def open(cls, path: str | Path, passphrase: str, *, read_only: bool | None = None) -> Workspace:
        """Open with the passphrase. ``read_only`` None: read-only exactly when the folder cannot
        be written (read-only media, no write permission); True: never write anything."""
        def unlock(slot: KeySlot, workspace_id: str) -> bytes:
            try:
                params = KdfParams.from_dict(json.loads(slot.kdf_params))
            except (ValueError, TypeError) as exc:
                raise CorruptData("key slot", str(exc)) from None
            return unwrap_master_key(slot.wrapped_key, passphrase, workspace_id, slot.salt, params)

        return cls._open_unlocked(Path(path).absolute(), unlock, read_only=read_only)

    @classmethod
    def open_readonly(cls, path: str | Path, passphrase: str) -> Workspace:
        """Open for reading only, writing nothing whatsoever into the folder: no lock file, no
        backup, no migration, no SQLite ``-wal``/``-shm`` (storage/readonly.py). Every change
        raises ReadOnlyWorkspace. Raises WorkspaceLocked while it is open elsewhere."""
        from .readonly import open_snapshot

        path = Path(path).absolute()
        if not path.is_dir():
            raise NotAWorkspace(path, "no such folder")
        snap = open_snapshot(path)
        try:
            try:
                db.check_revision(db.current_revision(snap.engine))
                with Session(snap.engine) as s:
                    row = read_workspace_row(s)
                    slot = s.get(KeySlot, 1)
            except DatabaseError as exc:
                raise NotAWorkspace(path, f"database unreadable: {exc.orig}") from None
            except UnicodeDecodeError:
                raise CorruptData("workspace database", "text that is not UTF-8") from None
            if row is None or slot is None:
                raise NotAWorkspace(path, "workspace record missing")
            if not valid_workspace_id(row.id) or not isinstance(row.template_text, str):
                raise CorruptData("workspace record", "malformed")
            try:
                params = KdfParams.from_dict(json.loads(slot.kdf_params))
            except (ValueError, TypeError) as exc:
                raise CorruptData("key slot", str(exc)) from None
            keys = Keys(unwrap_master_key(slot.wrapped_key, passphrase, row.id, slot.salt, params), row.id)
            try:
                template = load_template_text(
                    row.template_text, f"workspace template {row.template_id} {row.template_version}")
                ws = cls(path, snap.engine, NoLock(), keys, row, template, read_only=True)
                ws._snapshot = True
            except DatabaseError as exc:
                raise CorruptData("workspace database", str(exc.orig)) from None
            except UnicodeDecodeError:
                raise CorruptData("workspace database", "text that is not UTF-8") from None
        except BaseException:
            snap.dispose()
            raise
        ws._on_close.append(snap.dispose)
        return ws

    @classmethod
    def _open_unlocked(cls, path: Path, unlock, *, backup: bool = True,
                       read_only: bool | None = None, known_template: Template | None = None) -> Workspace:
        if not path.is_dir():
            raise NotAWorkspace(path, "no such folder")
        db_path = path / db.DB_NAME
        db.check_db_file(db_path, path)
        if read_only is None:
            read_only = not faults.writable(path, db_path)
        if not read_only:
            # Room for the backup taken when it opens or closes (a copy of the database) and for
            # the changes of the session: refused up front rather than failing at the first save.
            faults.ensure_space(path, faults.file_size(db_path) + faults.file_size(f"{db_path}-wal"),
                                faults.open_action())
        lock = NoLock() if read_only else acquire_lock(path, faults.open_action())
        engine = db.make_engine(db_path, read_only=read_only)
        try:
            try:
                revision = db.current_revision(engine)
                db.check_revision(revision)
                with Session(engine) as s:
                    row = read_workspace_row(s)  # the columns of this revision (not migrated yet)
                    slot = s.get(KeySlot, 1)
            except DatabaseError as exc:
                # A full disk, a read-only or failing drive: the workspace is fine, the machine is not.
                fault = faults.translate(exc, path, faults.open_action())
                if fault is not None:
                    raise fault from None
                raise NotAWorkspace(path, f"database unreadable: {exc.orig}") from None
            except UnicodeDecodeError:  # sqlite3 decoding a damaged schema or text
                raise CorruptData("workspace database", "text that is not UTF-8") from None
            if row is None or slot is None:
                raise NotAWorkspace(path, "workspace record missing")
            if not valid_workspace_id(row.id) or not isinstance(row.template_text, str):
                raise CorruptData("workspace record", "malformed")
            keys = Keys(unlock(slot, row.id), row.id)
            if read_only and revision != db.HEAD_REVISION:
                # An older workspace must be brought up to date first, which needs writing.
                raise faults.MachineFault(faults.FaultKind.READ_ONLY, path, faults.open_action())
            try:
                if not read_only and db.upgrade(engine):
                    with Session(engine) as s:
                        row = read_workspace_row(s)
                if known_template is not None and row.template_text == known_template.source_text:
                    template = known_template  # just created from it: parsing it again buys nothing
                else:
                    template = load_template_text(
                        row.template_text, f"workspace template {row.template_id} {row.template_version}")
                ws = cls(path, engine, lock, keys, row, template, read_only=read_only)
            except DatabaseError as exc:  # damaged pages past the first rows
                fault = faults.translate(exc, path, faults.open_action())
                if fault is not None:
                    raise fault from None
                raise CorruptData("workspace database", str(exc.orig)) from None
            except UnicodeDecodeError:
                raise CorruptData("workspace database", "text that is not UTF-8") from None
            if not read_only:
                ws._blobs.clear_temporary()
                if backup:
                    ws._backups.on_open()  # never raises: a failed backup must not lock the user out
            return ws
        except BaseException:
            engine.dispose()
            lock.release()
            raise

    def close(self) -> None:
        with self._mutex:
            if self._keys is None:
                return
            if not self.read_only:
                self._backups.on_close()  # never raises
            self._keys = None
            with self._state:
                self._answers.clear()
                self._evidence.clear()
                self._carried.clear()
            self._engine.dispose()
            self._lock.release()
            for clean_up in self._on_close:
                clean_up()

    @property
    def closed(self) -> bool:
        return self._keys is None

    @property
    def backup_error(self) -> str | None:
        """Why the last automatic backup failed (None when it worked); see storage/backups.py."""
        return self._backups.last_error

    @property
    def backup_fault(self) -> faults.MachineFault | None:
        """The last automatic backup's failure when the machine caused it (a full disk...),
        as a message for the user; None when it worked or failed otherwise."""
        exc = self._backups.last_exception
        if exc is None:
            return None
        return faults.find_fault(exc, self.path, faults.backup_action())

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- internals --------------------------------------------------------------

    @property
    def keys(self) -> Keys:
        if self._keys is None:
            raise WorkspaceError("the workspace is closed")
        return self._keys

    @contextlib.contextmanager
    def reading(self, *, wait_for_changes: bool = True) -> Iterator[Session]:
        """A session for storage modules that only read (it works on read-only media too).

        ``wait_for_changes=False`` for reads the window makes while long work may hold the
        change lock (the integrity check holds it from start to end): SQLite's WAL lets a
        reader see the last committed state without waiting for a writer, so a snapshot
        (``submission``) need not wait for the check (issue 10)."""
        lock = self._mutex if wait_for_changes else contextlib.nullcontext()
        with lock, Session(self._engine, expire_on_commit=False) as s:
            self.keys  # noqa: B018 - raises when closed
            with faults.guard(self.path, faults.read_action(), writing=False):
                yield s

    def check_writable(self, action: faults.Action | None = None) -> None:
        """Raise the read-only MachineFault (naming ``action``) when the workspace is read-only."""
        if self._snapshot:  # last year's workspace, opened to carry it forward
            raise ReadOnlyWorkspace(self.path)
        if self.read_only:
            raise faults.MachineFault(faults.FaultKind.READ_ONLY, self.path, action or faults.change_action(),
                                      read_only_workspace=True)

    @contextlib.contextmanager
    def transaction(self, action: faults.Action | None = None) -> Iterator[_Tx]:
        """One unit of work for storage modules: ``with ws.transaction() as tx: tx.s.add(...);
        tx.log(...)``. Commits with its activity entries, or rolls back entirely. ``action``
        says what is lost if the machine refuses the write (see storage/faults.py)."""
        with self._mutex, Session(self._engine, expire_on_commit=False) as s:
            self.keys  # noqa: B018 - raises when closed
            self.check_writable(action)
            try:
                with s.begin():
                    tx = _Tx(self, s)
                    yield tx
                    if tx.head != self._log_head:
                        row = s.get(WorkspaceRow, self.id)
                        row.log_head_sealed = self.keys.seal(
                            canonical({"seq": tx.head[0], "hash": tx.head[1]}), "workspace:log-head")
            except IntegrityError:
                raise  # our own bug, not the user's disk: keep the traceback
            except DatabaseError as exc:  # disk full, I/O error, a damaged file: nothing was saved
                fault = faults.translate(exc, self.path, action or faults.change_action())
                if fault is not None:
                    raise fault from None
                raise WorkspaceError(f"the change could not be saved ({exc.orig})") from None
            self._log_head = tx.head
            self._backups.on_commit()  # never raises: the change itself is already committed

    def _load_records(self) -> None:
        # Plain column tuples, not ORM objects: a damaged row whose key reads as NULL would
        # come back as None from the identity map; here it fails its seal check by name.
        with Session(self._engine) as s:
            for item_id, sealed in s.execute(select(AnswerRow.item_id, AnswerRow.sealed)):
                self._answers[item_id] = Answer.from_dict(
                    json.loads(self.keys.open(sealed, f"answer:{item_id}")))
            for ev_id, item_id, blob_id, sealed in s.execute(
                    select(EvidenceRow.id, EvidenceRow.item_id, EvidenceRow.blob_id, EvidenceRow.sealed)):
                info = open_evidence_record(self.keys, ev_id, item_id, blob_id, sealed)
                self._evidence[ev_id] = (info, blob_id)
            has_carried = s.execute(text(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='carried'")).first()
            if has_carried:  # schema 0003; a read-only open of an older workspace has none
                for item_id, sealed in s.execute(select(CarriedRow.item_id, CarriedRow.sealed)):
                    data = json.loads(self.keys.open(sealed, f"carried:{item_id}"))
                    self._carried[item_id] = CarryMark.from_dict(data)

    def _open_evidence_row(self, row: EvidenceRow) -> EvidenceInfo:
        return open_evidence_record(self.keys, row.id, row.item_id, row.blob_id, row.sealed)

    def _seal_evidence(self, info: EvidenceInfo, blob_id: str) -> bytes:
        data = info.as_dict()
        del data["id"]  # bound through the associated data
        # item_id and blob_id are plain columns too (for queries); sealing them as well
        # means editing those columns (moving evidence to another item, pointing it at
        # another file) is detected when the record is opened.
        data["blob_id"] = blob_id
        return self.keys.seal(canonical(data), f"evidence:{info.id}")

    # --- profile ----------------------------------------------------------------

    @property
    def vendor(self) -> str:
        return self._profile.get("vendor", "")

    def set_vendor(self, name: str) -> None:
        name = clean_text(name, MAX_META_CHARS, "vendor name")
        if name == self.vendor:
            return
        profile = {**self._profile, "vendor": name}
        with self.transaction(faults.vendor_action()) as tx:
            self._set_profile(tx, profile)
            tx.log("profile.vendor", None, vendor=name)
        self._profile = profile

    def _set_profile(self, tx: _Tx, profile: dict[str, Any]) -> None:
        row = tx.s.get(WorkspaceRow, self.id)
        row.profile_sealed = self.keys.seal(canonical(profile), "workspace:profile")

    # --- the yearly cycle: period, contract date, origin ------------------------------

    def set_period(self, period: int) -> None:
        """The audit period (year) this workspace prepares the submission for."""
        check_period(period)
        if period == self.period:
            return
        profile = {**self._profile, "period": period}
        with self.transaction() as tx:
            self._set_profile(tx, profile)
            tx.s.get(WorkspaceRow, self.id).period = period
            tx.log("profile.period", None, period=period)
        self._profile, self.period = profile, period

    @property
    def contract_date(self) -> dt.date | None:
        """The date the certification contract was concluded (Art. 13-1), entered once."""
        value = self._profile.get("contract_date")
        return dt.date.fromisoformat(value) if isinstance(value, str) else None

    def set_contract_date(self, value: Any) -> None:
        """A date (any form ``parse_date`` reads), or None to clear it."""
        try:
            day = None if value is None or value == "" else parse_date(value, "contract date")
        except ValueError as exc:
            raise WorkspaceError(str(exc)) from None
        if day == self.contract_date:
            return
        profile = {k: v for k, v in self._profile.items() if k != "contract_date"}
        if day is not None:
            profile["contract_date"] = day.isoformat()
        with self.transaction() as tx:
            self._set_profile(tx, profile)
            tx.log("profile.contract_date", None, contract_date=day.isoformat() if day else None)
        self._profile = profile

    @property
    def origin(self) -> Origin | None:
        """The workspace this one was carried forward from (None: started afresh)."""
        return self._origin

    @property
    def lineage(self) -> str:
        """The ID of the first workspace of this chain of years (this one's, if it is the first)."""
        return self._origin.lineage if self._origin is not None else self.id

    @property
    def log_head(self) -> tuple[int, str]:
        """(seq, hash) of the newest activity-log entry: pins the state the log describes."""
        return self._log_head

    # --- answers ----------------------------------------------------------------

    def answers(self) -> dict[str, Answer]:
        with self._state:
            return dict(self._answers)

    def answer(self, item_id: str) -> Answer | None:
        self.template.item(item_id)
        return self._answers.get(item_id)

    def _prepare_answer(self, item_id: str, value: Any, note: Any) -> Answer | None:
        item = self.template.item(item_id)
        parsed = parse_value(item, value)
        old = self._answers.get(item_id)
        note = (old.note if old else None) if note is UNCHANGED else parse_note(item_id, note)
        if parsed is None and note is None:
            return None
        return Answer(parsed, note, now_iso())

    def set_answer(self, item_id: str, value: Any, note: Any = UNCHANGED) -> Answer | None:
        """Validate and store one answer (None clears it). Returns the stored answer."""
        with self._mutex:
            new = self._prepare_answer(item_id, value, note)
            self._store_answers({item_id: new})
            return new

    def set_answers(self, updates: Mapping[str, Any]) -> int:
        """Store many answers in one transaction, all or none.

        Each value is a raw answer or a mapping ``{"value": ..., "note": ...}``.
        Returns how many answers changed.
        """
        with self._mutex:
            prepared: dict[str, Answer | None] = {}
            for item_id, raw in updates.items():
                self.template.item(item_id)  # unknown IDs first: they are named in the errors below
                if isinstance(raw, Mapping):
                    unknown = set(raw) - {"value", "note"}
                    if unknown:
                        raise InvalidAnswer(item_id, f"unknown field {sorted(unknown)[0]!r}")
                    prepared[item_id] = self._prepare_answer(
                        item_id, raw.get("value"), raw.get("note", UNCHANGED))
                else:
                    prepared[item_id] = self._prepare_answer(item_id, raw, UNCHANGED)
            return self._store_answers(prepared)

    def _store_answers(self, prepared: Mapping[str, Answer | None]) -> int:
        changed = {
            item_id: new for item_id, new in prepared.items()
            if _answer_key(new) != _answer_key(self._answers.get(item_id))
        }
        if not changed:
            return 0
        # changing a carried answer confirms it: the user has looked at it this year
        at = now_iso()
        confirmed = {item_id: mark.confirm(at, "edit") for item_id in changed
                     if (mark := self._carried.get(item_id)) is not None and not mark.confirmed}
        action = (faults.answer_action(next(iter(changed))) if len(changed) == 1 else
                  faults.answers_action(len(changed)))
        with self.transaction(action) as tx:
            for item_id, new in changed.items():
                row = tx.s.get(AnswerRow, item_id)
                if new is None:
                    if row is not None:
                        tx.s.delete(row)
                    tx.log("answer.cleared", item_id)
                    continue
                sealed = self.keys.seal(canonical(new.as_dict()), f"answer:{item_id}")
                if row is None:
                    tx.s.add(AnswerRow(item_id=item_id, revision=1, sealed=sealed))
                else:
                    row.sealed, row.revision = sealed, row.revision + 1
                extra = {"confirms_carried": True} if item_id in confirmed else {}
                tx.log("answer.set", item_id, value=new.value, note=new.note, **extra)
            self._write_marks(tx, confirmed)
        with self._state:
            for item_id, new in changed.items():
                if new is None:
                    self._answers.pop(item_id, None)
                else:
                    self._answers[item_id] = new
            self._carried.update(confirmed)
        return len(changed)

    # --- carried answers (questionnaire/carryover.py) ------------------------------------

    def carried(self) -> dict[str, CarryMark]:
        """Every answer carried over from the origin workspace, with its confirmation."""
        with self._mutex:
            return dict(self._carried)

    def carry_mark(self, item_id: str) -> CarryMark | None:
        return self._carried.get(item_id)

    def unconfirmed(self, item_ids: Iterable[str] | None = None, *,
                    include_changed: bool = True) -> list[str]:
        """Carried answers still to confirm, in template order (of ``item_ids`` when given).
        ``include_changed=False`` leaves out answers to questions that changed."""
        wanted = None if item_ids is None else set(item_ids)
        return [item.id for item in self.template.items
                if (mark := self._carried.get(item.id)) is not None and not mark.confirmed
                and item.id in self._answers and (wanted is None or item.id in wanted)
                and (include_changed or not mark.changed_question)]

    def confirm_carried(self, item_ids: Iterable[str], by: str = "item") -> list[str]:
        """Confirm carried answers as they are (one transaction). Returns the items confirmed;
        items without an unconfirmed carried answer are passed over."""
        if by not in ("item", "section", "all"):
            raise ValueError(f"unknown confirmation {by!r}")
        with self._mutex:
            todo = self.unconfirmed(item_ids)
            if not todo:
                return []
            at = now_iso()
            marks = {item_id: self._carried[item_id].confirm(at, by) for item_id in todo}
            with self.transaction() as tx:
                self._write_marks(tx, marks)
                for item_id in todo:
                    tx.log("answer.confirmed", item_id, by=by)
            self._carried.update(marks)
            return todo

    def unconfirm_carried(self, item_ids: Iterable[str]) -> list[str]:
        """Undo a confirmation (the desktop's undo): the answers are "to confirm" again."""
        with self._mutex:
            todo = [i for i in dict.fromkeys(item_ids)
                    if (mark := self._carried.get(i)) is not None and mark.confirmed]
            if not todo:
                return []
            marks = {item_id: self._carried[item_id].unconfirm() for item_id in todo}
            with self.transaction() as tx:
                self._write_marks(tx, marks)
                for item_id in todo:
                    tx.log("answer.unconfirmed", item_id)
            self._carried.update(marks)
            return todo

    def _write_marks(self, tx: _Tx, marks: Mapping[str, CarryMark]) -> None:
        for item_id, mark in marks.items():
            sealed = self.keys.seal(canonical(mark.as_dict()), f"carried:{item_id}")
            row = tx.s.get(CarriedRow, item_id)
            if row is None:
                tx.s.add(CarriedRow(item_id=item_id, sealed=sealed))
            else:
                row.sealed = sealed

    # --- evidence ---------------------------------------------------------------

    def evidence(self, item_id: str | None = None) -> list[EvidenceInfo]:
        with self._state:
            infos = [info for info, _ in self._evidence.values()]
        if item_id is not None:
            self.template.item(item_id)
            infos = [e for e in infos if e.item_id == item_id]
        return self._in_item_order(infos)

    def _in_item_order(self, infos: list[EvidenceInfo]) -> list[EvidenceInfo]:
        order = self._item_order
        return sorted(infos, key=lambda e: (order.get(e.item_id, 1 << 30), e.added_at, e.id))

    @functools.cached_property
    def _item_order(self) -> dict[str, int]:
        return {item.id: i for i, item in enumerate(self.template.items)}

    def evidence_info(self, evidence_id: str) -> EvidenceInfo:
        try:
            return self._evidence[evidence_id][0]
        except KeyError:
            raise EvidenceNotFound(evidence_id) from None

    def blob_id_of(self, evidence_id: str) -> str:
        try:
            return self._evidence[evidence_id][1]
        except KeyError:
            raise EvidenceNotFound(evidence_id) from None

    def _check_meta(self, meta: EvidenceMeta) -> EvidenceMeta:
        if self.template.evidence_kind(meta.kind) is None:
            kinds = ", ".join(k.id for k in self.template.evidence_kinds)
            raise InvalidEvidence(f"unknown evidence kind {meta.kind!r} (one of: {kinds})")
        try:
            fields = {f: clean_text(getattr(meta, f) or "", MAX_META_CHARS, f)
                      for f in ("title", "issuer", "number")}
            issued = parse_date(meta.issued, "issue date") if meta.issued else None
            expires = parse_date(meta.expires, "expiry date") if meta.expires else None
        except ValueError as exc:
            raise InvalidEvidence(str(exc)) from None
        if issued and expires and expires < issued:
            raise InvalidEvidence(f"expiry date {expires} is before issue date {issued}")
        return EvidenceMeta(meta.kind, issued=issued, expires=expires, **fields)

    def add_evidence(self, item_id: str, source: str | Path, meta: EvidenceMeta, *,
                     filename: str | None = None, progress: ProgressFn | None = None,
                     cancel: CancelFn | None = None) -> EvidenceInfo:
        """Encrypt a file into the store and attach it to an item.

        The source is read once, streaming. ``filename`` overrides the name recorded
        (default: the source's base name).
        """
        self.template.item(item_id)
        meta = self._check_meta(meta)
        source = Path(source)
        name = safe_filename(filename or source.name)
        action = faults.attach_action(name, item_id)
        self.check_writable(action)
        try:
            # stat first: opening a FIFO or a device for reading could block forever
            if not stat.S_ISREG(os.stat(source).st_mode):
                raise InvalidEvidence(f"{source} is not a regular file")
            fh = open(source, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise self._source_error(source, exc, action) from None
        with fh:
            st = os.fstat(fh.fileno())
            # The encrypted copy, and the backup of the database taken when the workspace closes.
            need = faults.age_size(st.st_size) + faults.file_size(self.path / db.DB_NAME)
            faults.ensure_space(self.path, need, action)
            try:
                stored = self._blobs.put(fh, st.st_size, progress, cancel)
            except faults.MachineFault as exc:  # writing into the workspace failed
                raise exc.doing(action) from None
            except OSError as exc:  # reading the source failed
                raise self._source_error(source, exc, action) from None
        return self._attach_stored(item_id, stored, meta, name)

    @staticmethod
    def _source_error(source: Path, exc: OSError, action: faults.Action) -> WorkspaceError:
        # A USB stick pulled out while its file is read is a machine fault about *its* folder;
        # anything else (no such file, no permission to read it) is about the file chosen.
        fault = faults.translate(exc, source.parent, action, writing=False)
        if fault is not None and fault.kind is faults.FaultKind.DEVICE:
            return fault
        return InvalidEvidence(f"cannot read {source}: {exc.strerror or exc}")

    def _attach_stored(self, item_id: str, stored: StoredBlob, meta: EvidenceMeta,
                       name: str) -> EvidenceInfo:
        with self._mutex:
            for info, blob_id in self._evidence.values():
                if blob_id == stored.blob_id and info.item_id == item_id:
                    raise DuplicateEvidence(item_id, info.filename)
            info = EvidenceInfo(
                id=uuid.uuid4().hex, item_id=item_id, kind=meta.kind, filename=name,
                size=stored.size, sha256=stored.sha256, title=meta.title, issuer=meta.issuer,
                number=meta.number, issued=meta.issued, expires=meta.expires, added_at=now_iso(),
                media_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
            )
            try:
                with self.transaction(faults.attach_action(name, item_id)) as tx:
                    tx.s.add(EvidenceRow(id=info.id, item_id=item_id, blob_id=stored.blob_id,
                                         sealed=self._seal_evidence(info, stored.blob_id)))
                    tx.log("evidence.added", item_id, evidence=info.id, filename=name,
                           kind=meta.kind, size=stored.size, sha256=stored.sha256)
            except BaseException:
                self._drop_blob_if_unused(stored.blob_id)
                raise
            with self._state:
                self._evidence[info.id] = (info, stored.blob_id)
            return info

    def update_evidence(self, evidence_id: str, meta: EvidenceMeta) -> EvidenceInfo:
        with self._mutex:
            old, blob_id = self._evidence.get(evidence_id) or (None, None)
            if old is None:
                raise EvidenceNotFound(evidence_id)
            meta = self._check_meta(meta)
            new = replace(old, kind=meta.kind, title=meta.title, issuer=meta.issuer,
                          number=meta.number, issued=meta.issued, expires=meta.expires)
            if new == old:
                return old
            with self.transaction(faults.evidence_change_action()) as tx:
                row = tx.s.get(EvidenceRow, evidence_id)
                row.sealed = self._seal_evidence(new, blob_id)
                tx.log("evidence.updated", old.item_id, evidence=evidence_id, kind=meta.kind,
                       expires=meta.expires.isoformat() if meta.expires else None)
            with self._state:
                self._evidence[evidence_id] = (new, blob_id)
            return new

    def replace_evidence(self, evidence_id: str, source: str | Path, meta: EvidenceMeta | None = None, *,
                         filename: str | None = None, progress: ProgressFn | None = None,
                         cancel: CancelFn | None = None) -> EvidenceInfo:
        """Put a new file in place of an attached one (a renewed certificate), keeping the
        evidence's ID — so the calendar entry of its expiry is updated, not duplicated — and
        its details unless ``meta`` gives new ones (the old ones are the starting point)."""
        old = self.evidence_info(evidence_id)
        if meta is None:
            meta = EvidenceMeta(old.kind, old.title, old.issuer, old.number, old.issued, old.expires)
        meta = self._check_meta(meta)
        source = Path(source)
        name = safe_filename(filename or source.name)
        try:
            if not stat.S_ISREG(os.stat(source).st_mode):
                raise InvalidEvidence(f"{source} is not a regular file")
            fh = open(source, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise InvalidEvidence(f"cannot read {source}: {exc.strerror or exc}") from None
        with fh:
            try:
                stored = self._blobs.put(fh, os.fstat(fh.fileno()).st_size, progress, cancel)
            except OSError as exc:
                raise InvalidEvidence(f"cannot read {source}: {exc.strerror or exc}") from None
        with self._mutex:
            current = self._evidence.get(evidence_id)
            if current is None:
                self._drop_blob_if_unused(stored.blob_id)
                raise EvidenceNotFound(evidence_id)
            old, old_blob = current
            for info, blob_id in self._evidence.values():
                if blob_id == stored.blob_id and info.item_id == old.item_id and info.id != evidence_id:
                    self._drop_blob_if_unused(stored.blob_id)
                    raise DuplicateEvidence(old.item_id, info.filename)
            new = replace(old, kind=meta.kind, filename=name, size=stored.size, sha256=stored.sha256,
                          title=meta.title, issuer=meta.issuer, number=meta.number, issued=meta.issued,
                          expires=meta.expires, added_at=now_iso(),
                          media_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
            try:
                with self.transaction() as tx:
                    row = tx.s.get(EvidenceRow, evidence_id)
                    row.blob_id = stored.blob_id
                    row.sealed = self._seal_evidence(new, stored.blob_id)
                    tx.log("evidence.replaced", old.item_id, evidence=evidence_id, filename=name,
                           kind=meta.kind, size=stored.size, sha256=stored.sha256,
                           expires=meta.expires.isoformat() if meta.expires else None,
                           old_filename=old.filename, old_sha256=old.sha256)
            except BaseException:
                self._drop_blob_if_unused(stored.blob_id)
                raise
            self._evidence[evidence_id] = (new, stored.blob_id)
            if old_blob != stored.blob_id:
                self._drop_blob_if_unused(old_blob)
            return new

    def remove_evidence(self, evidence_id: str) -> EvidenceInfo:
        with self._mutex:
            info, blob_id = self._evidence.get(evidence_id) or (None, None)
            if info is None:
                raise EvidenceNotFound(evidence_id)
            with self.transaction(faults.evidence_change_action()) as tx:
                tx.s.execute(delete(EvidenceRow).where(EvidenceRow.id == evidence_id))
                tx.log("evidence.removed", info.item_id, evidence=evidence_id,
                       filename=info.filename, sha256=info.sha256)
            with self._state:
                del self._evidence[evidence_id]
            self._drop_blob_if_unused(blob_id)
            return info

    def _drop_blob_if_unused(self, blob_id: str) -> None:
        # A crash before this runs only leaves an orphan blob, which `check --repair` removes;
        # so does a failure here (the change it follows is already committed).
        try:
            with Session(self._engine) as s:
                used = s.scalar(select(func.count()).select_from(EvidenceRow)
                                .where(EvidenceRow.blob_id == blob_id))
        except DatabaseError:
            return
        # A blob a kept backup refers to stays, so restoring that backup never lacks evidence;
        # it is removed when the last such backup is rotated out (storage/backups.py).
        if not used and not self._backups.refers_to(blob_id):
            self._blobs.delete(blob_id)

    def read_evidence(self, evidence_id: str, out: BinaryIO | None, *,
                      progress: ProgressFn | None = None, cancel: CancelFn | None = None) -> int:
        """Stream the decrypted contents into ``out`` (None: verify only).

        The content is checked against the SHA-256 in the evidence's sealed record (CorruptData
        if it differs), so what reaches ``out`` is byte for byte what was attached.
        """
        info = self.evidence_info(evidence_id)
        # Why the SHA-256 and not the blob's name (an HMAC of the content), as a bare blob read
        # checks: one hash over a large file is enough, and the record binds the content as
        # strongly as the name does. The record is sealed (AEAD under the workspace key, bound
        # to the evidence ID) and holds both the blob name and the SHA-256 of the attached
        # file, so neither can be altered without the key. Content that is not the attached
        # file would need a SHA-256 second preimage of a file the user chose. A blob swapped
        # for another blob of this workspace, or for any other age file, fails just as it
        # fails the name check (an export relies on this: it puts the recorded SHA-256 in
        # the bundle's manifest).
        return self._blobs.read(self.blob_id_of(evidence_id), out, name=info.filename,
                                progress=progress, cancel=cancel, total=info.size, sha256=info.sha256)

    def evidence_bytes(self, evidence_id: str, limit: int = PREVIEW_LIMIT) -> bytes:
        """Decrypted contents in memory, for previews (never written to disk)."""
        info = self.evidence_info(evidence_id)
        if info.size > limit:
            raise InvalidEvidence(f"{info.filename} is too large to preview ({info.size} bytes)")
        return self._blobs.read_bytes(self.blob_id_of(evidence_id), name=info.filename, limit=limit)

    def save_evidence_copy(self, evidence_id: str, dest: str | Path, *, overwrite: bool = False,
                           progress: ProgressFn | None = None, cancel: CancelFn | None = None) -> Path:
        """Write a decrypted copy where the user asked, atomically (nothing partial on failure)."""
        dest = Path(dest)
        try:
            with atomic_write(dest, overwrite=overwrite) as out:
                self.read_evidence(evidence_id, out, progress=progress, cancel=cancel)
        except FileExistsError:
            raise WorkspaceError(f"{dest} already exists") from None
        except OSError as exc:
            fault = faults.translate(exc, dest.parent, faults.copy_action(dest))
            if fault is not None:
                raise fault from None
            raise WorkspaceError(f"cannot write {dest}: {exc.strerror or exc}") from None
        return dest

    # --- status -------------------------------------------------------------------

    def submission(self, submission_id: str | None = None, created_at: str | None = None) -> Submission:
        """A snapshot of everything exports need (no evidence contents)."""
        from .actions import actions

        with self._state:  # answers and evidence as of one moment
            answers = dict(self._answers)
            infos = [info for info, _ in self._evidence.values()]
            carried = dict(self._carried)
        return Submission(
            template=self.template, vendor=self.vendor, answers=answers,
            evidence=tuple(self._in_item_order(infos)), submission_id=submission_id or self.id,
            created_at=created_at or now_iso(), origin="workspace", carried=carried,
            corrective_actions=tuple(actions(self)),
        )

    def assess(self, on: dt.date | None = None) -> Assessment:
        with self._state:
            answers = dict(self._answers)
            infos = [info for info, _ in self._evidence.values()]
            carried = dict(self._carried)
        return assess(self.template, answers, infos, on, carried=carried)

    # --- passphrase ---------------------------------------------------------------

    def change_passphrase(self, current: str, new: str, kdf: KdfParams | None = None) -> None:
        """Re-wrap the master key under a new passphrase; no data is re-encrypted."""
        check_passphrase_strength(new)
        action = faults.passphrase_action()
        self.check_writable(action)
        # The key slot is rewritten in the database, then in every kept backup (one copy at a time).
        kept = [b.size for b in list_backups(self.path)]
        faults.ensure_space(self.path, max(kept, default=0), action)
        with self._mutex:
            params = self.kdf_params()
            with Session(self._engine) as s:
                try:
                    slot = s.execute(select(KeySlot.salt, KeySlot.wrapped_key).where(KeySlot.id == 1)).one()
                except DatabaseError as exc:
                    raise CorruptData("key slot", str(exc.orig)) from None
            master = unwrap_master_key(slot.wrapped_key, current, self.id, slot.salt, params)
        kdf = kdf or params
        salt, wrapped = wrap_master_key(master, new, self.id, kdf)
        with self.transaction(action) as tx:
            slot = tx.s.get(KeySlot, 1)
            slot.kdf_params = json.dumps(kdf.as_dict())
            slot.salt, slot.wrapped_key, slot.changed_at = salt, wrapped, now_iso()
            tx.log("passphrase.changed", None, kdf=kdf.as_dict())
        self._backups.after_passphrase_change()  # kept backups get the new key slot too

    def kdf_params(self) -> KdfParams:
        try:
            with Session(self._engine) as s:
                return KdfParams.from_dict(json.loads(s.get(KeySlot, 1).kdf_params))
        except (DatabaseError, ValueError, TypeError, AttributeError) as exc:
            raise CorruptData("key slot", str(getattr(exc, "orig", exc))) from None

    # --- activity log -------------------------------------------------------------

    def record_activity(self, action: str, item: str | None = None, *,
                        fault_action: faults.Action | None = None, **detail: Any) -> None:
        """Log an event that changes nothing else (e.g. an export was made). ``fault_action``
        says what is lost when the machine refuses the write."""
        with self.transaction(fault_action) as tx:
            tx.log(action, item, **detail)

    def activity(self) -> list[LogEntry]:
        entries: list[LogEntry] = []
        with self._mutex, Session(self._engine) as s:
            try:
                rows = s.execute(select(ActivityRow.seq, ActivityRow.sealed).order_by(ActivityRow.seq)).all()
            except DatabaseError as exc:
                raise CorruptData("activity log", str(exc.orig)) from None
            for seq, sealed in rows:
                data = json.loads(self.keys.open(sealed, f"activity:{seq}"))
                entries.append(LogEntry.from_dict(data))
        return entries

    def verify_activity(self, entries: list[LogEntry] | None = None) -> list[str]:
        """Problems with the activity log (empty when the chain is intact). Pass the
        entries ``activity()`` returned to check them without decrypting them again."""
        try:
            if entries is None:
                entries = self.activity()
        except CorruptData as exc:
            return [str(exc)]
        return [str(p) for p in verify_chain([e.as_dict() for e in entries], self._log_head)]


def template_matches(profile: Mapping[str, Any], template: Template) -> bool:
    """Whether the sealed profile's template digest (if recorded) is the template's."""
    want = profile.get("template_sha256")
    return want is None or (isinstance(want, str) and hmac.compare_digest(want, template.digest))


def open_evidence_record(keys: Keys, evidence_id: str, item_id: str, blob_id: str,
                         sealed: bytes) -> EvidenceInfo:
    """Open a sealed evidence row and check it against its plain columns."""
    context = f"evidence:{evidence_id}"
    data = json.loads(keys.open(sealed, context))
    # Records written before item/blob were sealed lack them; those rely on the
    # activity-log replay of storage/integrity.py instead.
    if data.get("item_id", item_id) != item_id or data.get("blob_id", blob_id) != blob_id:
        raise CorruptData(context, "its item or file reference was altered")
    data.pop("blob_id", None)
    return EvidenceInfo.from_dict({**data, "id": evidence_id, "item_id": item_id})


def _answer_key(answer: Answer | None) -> tuple[Any, Any] | None:
    return None if answer is None else (answer.value, answer.note)


def safe_filename(name: str) -> str:
    """A single path component safe to record and later to extract."""
    name = unicodedata.normalize("NFC", name).strip()
    if not name or name in (".", "..") or any(c in name for c in "/\\\x00") or any(
        ord(c) < 32 for c in name
    ):
        raise InvalidEvidence(f"unusable file name {name!r}")
    if any("\ud800" <= c <= "\udfff" for c in name):  # bytes the OS could not decode as text
        raise InvalidEvidence(f"file name {name!r} is not valid text; rename the file")
    if len(name.encode("utf-8")) > MAX_FILENAME_BYTES:
        raise InvalidEvidence(f"file name longer than {MAX_FILENAME_BYTES} bytes")
    return name
