"""Unlocking a workspace database without loading it (for check, restore and backups).

``Workspace.open`` loads every record and stops at the first damaged one; the
integrity check and restore must get the key even then, and report or replace what
is damaged instead.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import filelock
from sqlalchemy import Engine, select
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from . import db, faults
from .crypto import KdfParams, Keys, unwrap_master_key
from .errors import CorruptData, NotAWorkspace, WorkspaceError, WorkspaceLocked
from .models import KeySlot, WorkspaceRow

LOCK_NAME = "workspace.lock"  # the same file Workspace.open locks
_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def valid_workspace_id(value: object) -> bool:
    """Workspace IDs are UUIDs; anything else is a damaged record (it feeds key derivation)."""
    return isinstance(value, str) and bool(_ID.match(value))


@dataclass(frozen=True, slots=True)
class Header:
    workspace_id: str
    kdf_params: str
    salt: bytes
    wrapped_key: bytes


def acquire_lock(path: Path, action: faults.Action | None = None) -> filelock.BaseFileLock:
    """Take the workspace's lock without waiting; the caller releases it. ``action`` is what a
    machine fault (a read-only folder, a drive gone) stops, for its message."""
    if not path.is_dir():
        raise NotAWorkspace(path, "no such folder")
    # thread_local=False: the lock belongs to the process (threads are serialized by the
    # workspace's mutex); the desktop opens in a worker thread and closes on the UI thread,
    # and a thread-local lock released from another thread would silently stay held.
    lock = filelock.FileLock(path / LOCK_NAME, timeout=0, thread_local=False)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise WorkspaceLocked(path) from None
    except OSError as exc:
        fault = faults.translate(exc, path, action or faults.change_action())
        if fault is not None:
            raise fault from None
        raise WorkspaceError(f"cannot lock {path}: {exc.strerror}") from None
    return lock


class NoLock:
    """Stands for the lock of a workspace opened without one: read-only (storage/readonly.py
    probes the real lock instead of taking it), still in its staging folder, or on read-only
    media, where no lock file can be made (and nobody can change the workspace either)."""

    def release(self) -> None:
        pass


@contextlib.contextmanager
def workspace_lock(path: Path, action: faults.Action | None = None) -> Iterator[None]:
    """Hold the workspace's lock: nothing else may open it meanwhile."""
    lock = acquire_lock(path, action)
    try:
        yield
    finally:
        lock.release()


def read_header(engine: Engine, where: Path, what: str = "workspace database") -> Header:
    """The workspace ID and key slot; raises NotAWorkspace / CorruptData / UnsupportedWorkspace."""
    try:
        revision = db.current_revision(engine)
        if revision is None:
            raise NotAWorkspace(where, f"{what} has no CCUS Attest schema")
        db.check_revision(revision)
        with Session(engine) as s:
            ids = s.scalars(select(WorkspaceRow.id)).all()
            slots = s.execute(select(KeySlot.kdf_params, KeySlot.salt, KeySlot.wrapped_key)
                              .where(KeySlot.id == 1)).all()
    except DatabaseError as exc:
        # A full disk or a failing drive makes a sound database unreadable: not damage.
        fault = faults.translate(exc, where if where.is_dir() else where.parent, None, writing=False)
        if fault is not None:
            raise fault from None
        raise CorruptData(what, f"unreadable ({exc.orig})") from None
    except UnicodeDecodeError:
        raise CorruptData(what, "text that is not UTF-8") from None
    if len(ids) != 1 or len(slots) != 1:
        raise CorruptData(what, "the workspace record or key slot is missing")
    (kdf_params, salt, wrapped), workspace_id = slots[0], ids[0]
    if not (valid_workspace_id(workspace_id) and isinstance(kdf_params, str)
            and isinstance(salt, bytes) and isinstance(wrapped, bytes)):
        raise CorruptData(what, "the workspace record or key slot is malformed")
    return Header(workspace_id, kdf_params, salt, wrapped)


def unlock(header: Header, passphrase: str) -> tuple[bytes, Keys]:
    """(master key, derived keys); raises WrongPassphrase, CorruptData, UnsupportedWorkspace."""
    try:
        params = KdfParams.from_dict(json.loads(header.kdf_params))
    except (ValueError, TypeError) as exc:
        raise CorruptData("key slot", str(exc)) from None
    master = unwrap_master_key(header.wrapped_key, passphrase, header.workspace_id, header.salt, params)
    return master, Keys(master, header.workspace_id)


def live_engine(path: Path, *, read_only: bool = False) -> Engine:
    """The workspace's own database, after the same sanity check Workspace.open makes."""
    db_path = path / db.DB_NAME
    db.check_db_file(db_path, path)
    return db.make_engine(db_path, read_only=read_only)
