"""Automatic, rotating backups of the workspace database.

A backup is a consistent snapshot of ``attest.db`` taken with SQLite's online backup
API while the workspace is open, stored as::

    backups/<UTC time>-<reason>-<log entries>.db     e.g. 20261125T031500123Z-close-57.db
    backups/tmp/                                     partial writes, removed on open

Each backup is one self-contained SQLite file (rollback-journal mode, owner-only
permissions). Its records are sealed exactly like the live database's, so a backup
holds no plaintext, and it is unlocked by the workspace's current passphrase: a
passphrase change re-wraps the key slot of every kept backup too (one interrupted by a
crash is finished on the next open, or by ``check --repair``), so an old passphrase
opens nothing that is kept.

When one is taken: on open when the database differs from the newest backup (e.g.
after a crash), on close when the session changed something, and after every
``AUTO_EVERY`` changes within a session. What is kept: the ``KEEP_RECENT`` newest,
plus the newest of each of the ``KEEP_DAILY`` most recent days that have backups.

Evidence files are not copied: a blob stays in ``blobs/`` while the live database or
any kept backup refers to it, so restoring a kept backup never lacks evidence.
Blobs nobody refers to any more are collected on open and close, the two moments
when no attach can be half-way between writing its blob and committing its row.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import secrets
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import NullPool

from . import faults
from .errors import CorruptData
from .fsutil import create_private, fsync_dir

if TYPE_CHECKING:
    from .crypto import Keys
    from .workspace import Workspace

BACKUPS_DIR = "backups"
TMP_DIR = "tmp"
KEEP_RECENT = 10
KEEP_DAILY = 7
AUTO_EVERY = 100
REASONS = ("open", "close", "auto", "pre-restore")

_NAME = re.compile(r"^(\d{8}T\d{9}Z)-(" + "|".join(REASONS) + r")-(\d{1,12})\.db$")
_STAMP = "%Y%m%dT%H%M%S"

log = logging.getLogger("ccus_attest.backups")


@dataclass(frozen=True, slots=True)
class BackupInfo:
    name: str
    path: Path
    taken_at: dt.datetime  # UTC
    reason: str            # open | close | auto | pre-restore
    seq: int               # activity-log entries at the time: a rough "how much was there"
    size: int

    def as_dict(self) -> dict:
        return {"name": self.name, "taken_at": self.taken_at.isoformat(timespec="seconds"),
                "reason": self.reason, "log_entries": self.seq, "size": self.size}


@dataclass(frozen=True, slots=True)
class SlotBytes:
    """A key slot as stored: equal slots unlock with the same passphrase."""

    kdf_params: str
    salt: bytes
    wrapped_key: bytes


def backups_dir(workspace: Path) -> Path:
    return Path(workspace) / BACKUPS_DIR


def parse_name(path: Path) -> BackupInfo | None:
    m = _NAME.match(path.name)
    if not m:
        return None
    stamp = m.group(1)
    try:
        taken = dt.datetime.strptime(stamp[:15], _STAMP).replace(
            microsecond=int(stamp[15:18]) * 1000, tzinfo=dt.UTC)
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    return BackupInfo(path.name, path, taken, m.group(2), int(m.group(3)), size)


def list_backups(workspace: Path) -> list[BackupInfo]:
    """Kept backups, newest first (files that do not look like ours are ignored)."""
    folder = backups_dir(workspace)
    if not folder.is_dir():
        return []
    found = [info for p in folder.iterdir() if p.is_file() and (info := parse_name(p))]
    return sorted(found, key=lambda b: (b.taken_at, b.name), reverse=True)


def temporary_files(workspace: Path) -> Iterator[Path]:
    tmp = backups_dir(workspace) / TMP_DIR
    if tmp.is_dir():
        yield from (p for p in tmp.iterdir())


def clear_temporary(workspace: Path) -> int:
    removed = 0
    for p in list(temporary_files(workspace)):
        with contextlib.suppress(OSError):
            if p.is_dir():
                shutil.rmtree(p)
            else:
                p.unlink()
            removed += 1
    return removed


def connect_ro(path: Path) -> sqlite3.Connection:
    """A read-only connection that runs nothing a (possibly hostile) schema could ask for."""
    con = sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode=ro", uri=True, timeout=5,
                          isolation_level=None)
    con.execute("PRAGMA trusted_schema=OFF")
    return con


def ro_engine(path: Path) -> Engine:
    """A SQLAlchemy engine over ``connect_ro`` (backups are read through the same models)."""
    return create_engine("sqlite://", creator=lambda: connect_ro(path), poolclass=NullPool)


def _stamp(now: dt.datetime) -> str:
    return now.strftime(_STAMP) + f"{now.microsecond // 1000:03d}Z"


def new_tmp(workspace: Path, suffix: str = ".part") -> Path:
    backups_dir(workspace).mkdir(mode=0o700, exist_ok=True)
    tmp_dir = backups_dir(workspace) / TMP_DIR
    tmp_dir.mkdir(mode=0o700, exist_ok=True)
    path = tmp_dir / f"{secrets.token_hex(8)}{suffix}"
    create_private(path).close()  # owner-only from the first byte; SQLite reuses the file
    return path


def fsync_file(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def snapshot(source: sqlite3.Connection, workspace: Path, reason: str, seq: int) -> BackupInfo:
    """Copy the database behind ``source`` into a new backup file, atomically."""
    if reason not in REASONS:
        raise ValueError(reason)
    folder = backups_dir(workspace)
    tmp = new_tmp(workspace)
    try:
        dst = sqlite3.connect(tmp, isolation_level=None)
        try:
            source.backup(dst)  # one step: a consistent snapshot of the last commit
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        finally:
            dst.close()
        fsync_file(tmp)
        now = dt.datetime.now(dt.UTC)
        while True:
            final = folder / f"{_stamp(now)}-{reason}-{seq}.db"
            if not final.exists():
                break
            now += dt.timedelta(milliseconds=1)
        os.rename(tmp, final)
        fsync_dir(folder)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    info = parse_name(final)
    assert info is not None
    return info


def to_prune(backups: list[BackupInfo]) -> list[BackupInfo]:
    """Which backups rotation removes (``backups`` newest first)."""
    keep = {b.name for b in backups[:KEEP_RECENT]}
    days: list[dt.date] = []
    for b in backups:
        day = b.taken_at.date()
        if day not in days:
            days.append(day)
            if len(days) <= KEEP_DAILY:
                keep.add(b.name)
    return [b for b in backups if b.name not in keep]


def read_slot(con: sqlite3.Connection) -> SlotBytes | None:
    row = con.execute("SELECT kdf_params, salt, wrapped_key FROM keyslot WHERE id = 1").fetchone()
    return SlotBytes(*row) if row else None


def blob_refs(path: Path) -> frozenset[str]:
    """Blob IDs a backup file refers to (raises sqlite3.Error when unreadable)."""
    con = connect_ro(path)
    try:
        return frozenset(r[0] for r in con.execute("SELECT DISTINCT blob_id FROM evidence"))
    finally:
        con.close()


def backup_head(path: Path, keys: Keys) -> tuple[int, str] | None:
    """The (seq, hash) of the last activity entry a backup recorded; None when unreadable."""
    try:
        con = connect_ro(path)
        try:
            row = con.execute("SELECT log_head_sealed FROM workspace").fetchone()
        finally:
            con.close()
        if row is None:
            return None
        head = json.loads(keys.open(row[0], "workspace:log-head"))
        return head["seq"], head["hash"]
    except (sqlite3.Error, CorruptData, ValueError, KeyError, TypeError):
        return None


def rekey(path: Path, workspace: Path, slot: SlotBytes) -> None:
    """Give a backup file another key slot (same master key), atomically."""
    tmp = new_tmp(workspace)
    try:
        shutil.copyfile(path, tmp)
        con = sqlite3.connect(tmp, isolation_level=None)
        try:
            con.execute("PRAGMA journal_mode=DELETE")
            con.execute("BEGIN IMMEDIATE")
            con.execute("UPDATE keyslot SET kdf_params = ?, salt = ?, wrapped_key = ? WHERE id = 1",
                        (slot.kdf_params, slot.salt, slot.wrapped_key))
            con.execute("COMMIT")
        finally:
            con.close()
        fsync_file(tmp)
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def referenced_blobs(workspace: Path, live: set[str] | frozenset[str],
                     cache: dict | None = None) -> set[str] | None:
    """Blob IDs the live database or any kept backup refers to; None if a backup is unreadable
    (then nothing may be collected: we cannot know what it needs)."""
    refs = set(live)
    for b in list_backups(workspace):
        got = _cached_refs(b, cache)
        if got is None:
            return None
        refs |= got
    return refs


def _cached_refs(b: BackupInfo, cache: dict | None) -> frozenset[str] | None:
    try:
        key = (b.name, b.size, b.path.stat().st_mtime_ns)
    except OSError:
        return None
    if cache is not None and key in cache:
        return cache[key]
    try:
        refs: frozenset[str] | None = blob_refs(b.path)
    except sqlite3.Error:
        refs = None
    if cache is not None:
        cache[key] = refs
    return refs


class Backups:
    """The backup policy of one open workspace; owned and called by ``Workspace``.

    Every hook swallows its own failures (remembered in ``last_error`` and logged):
    the user's change is already committed, and a full disk must not lock them out.
    """

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        self._backed_head: tuple[int, str] | None = None
        self._changes = 0
        self._refs_cache: dict = {}
        self.last_error: str | None = None
        self.last_exception: BaseException | None = None  # for Workspace.backup_fault
        self.taken: list[BackupInfo] = []  # this session's, for the UI and tests

    # --- hooks -------------------------------------------------------------------

    def on_open(self) -> None:
        self._guard(self._on_open)

    def on_commit(self) -> None:
        self._changes += 1
        if self._changes >= AUTO_EVERY:
            # no blob collection here: an attach may be between its blob and its row
            self._guard(self._take, "auto", False)

    def on_close(self) -> None:
        if self._backed_head != self._ws._log_head:
            self._guard(self._take, "close", True)

    def after_passphrase_change(self) -> None:
        self._guard(self._rekey_all)

    def refers_to(self, blob_id: str) -> bool:
        """Whether any kept backup refers to a blob (True when unsure)."""
        try:
            for b in list_backups(self._ws.path):
                refs = _cached_refs(b, self._refs_cache)
                if refs is None or blob_id in refs:
                    return True
            return False
        except OSError:
            return True

    # --- work --------------------------------------------------------------------

    def _guard(self, fn, *args) -> None:
        try:
            fn(*args)
            self.last_error = None
            self.last_exception = None
        except Exception as exc:  # see the class docstring
            self.last_error = f"{type(exc).__name__}: {exc}"
            self.last_exception = exc
            log.warning("workspace backup failed: %s", self.last_error)

    def _on_open(self) -> None:
        ws = self._ws
        clear_temporary(ws.path)
        self._rekey_stale(self._live_slot())  # a passphrase change killed before its backups
        newest = next(iter(list_backups(ws.path)), None)
        if newest is not None and backup_head(newest.path, ws.keys) == ws._log_head:
            # Nothing new to keep. Blobs a crash may have left unreferenced wait for the
            # next close that changed something (or `check --repair`): opening stays fast.
            self._backed_head = ws._log_head
            return
        self._take("open", True)

    def _take(self, reason: str, collect: bool) -> None:
        ws = self._ws
        # A backup is a copy of the database: checked first, so a nearly full disk gets a clear
        # "not made" (Workspace.backup_fault) instead of a half-written temporary file.
        faults.ensure_space(ws.path, _db_size(ws.path), faults.backup_action())
        raw = ws._engine.raw_connection()
        try:
            info = snapshot(raw.driver_connection, ws.path, reason, ws._log_head[0])
        finally:
            raw.close()
        self.taken.append(info)
        self._backed_head = ws._log_head
        self._changes = 0
        if collect:
            self._prune_and_collect()
        else:
            self._prune()

    def _prune(self) -> None:
        for b in to_prune(list_backups(self._ws.path)):
            with contextlib.suppress(FileNotFoundError):
                b.path.unlink()
        fsync_dir(backups_dir(self._ws.path))

    def _prune_and_collect(self) -> None:
        self._prune()
        collect_garbage(self._ws, self._refs_cache)

    def _live_slot(self, checkpoint: bool = False) -> SlotBytes:
        raw = self._ws._engine.raw_connection()
        try:
            con = raw.driver_connection
            if checkpoint:  # drop the old key slot's page image from the WAL file right away
                con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            slot = read_slot(con)
        finally:
            raw.close()
        assert slot is not None
        return slot

    def _rekey_all(self) -> None:
        try:
            self._rekey_stale(self._live_slot(checkpoint=True))
        except Exception as exc:  # the passphrase is changed; the backups follow on the next open
            fault = faults.find_fault(exc, self._ws.path, faults.backup_rekey_action())
            raise (fault or exc) from None

    def _rekey_stale(self, slot: SlotBytes) -> None:
        ws = self._ws
        for b in list_backups(ws.path):
            # Only a backup whose records open with this workspace's key is ours to re-key;
            # a stranger's file must keep the slot that opens it.
            if backup_slot(b.path) != slot and backup_head(b.path, ws.keys) is not None:
                rekey(b.path, ws.path, slot)


def _db_size(workspace: Path) -> int:
    return sum(faults.file_size(Path(workspace) / f"attest.db{suffix}") for suffix in ("", "-wal"))


def backup_slot(path: Path) -> SlotBytes | None:
    try:
        con = connect_ro(path)
        try:
            return read_slot(con)
        finally:
            con.close()
    except sqlite3.Error:
        return None


def live_blob_refs(ws: Workspace) -> set[str]:
    with ws._engine.connect() as conn:
        return {r[0] for r in conn.exec_driver_sql("SELECT DISTINCT blob_id FROM evidence")}


def collect_garbage(ws: Workspace, cache: dict | None = None) -> int:
    """Delete blobs that neither the live database nor any kept backup refers to.

    Only call this when no attach can be in flight (open, close, or under the lock).
    """
    refs = referenced_blobs(ws.path, live_blob_refs(ws), cache)
    if refs is None:
        return 0
    removed = 0
    for blob_id in list(ws._blobs.blob_ids()):
        if blob_id not in refs:
            ws._blobs.delete(blob_id)
            removed += 1
    return removed
