"""Unlocking a workspace database without loading it (for check, restore and backups).

``Workspace.open`` loads every record and stops at the first damaged one; the
integrity check and restore must get the key even then, and report or replace what
is damaged instead.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import filelock
from sqlalchemy import Engine, select
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from . import db
from .crypto import KdfParams, Keys, unwrap_master_key
from .errors import CorruptData, NotAWorkspace, WorkspaceError, WorkspaceLocked
from .models import KeySlot, WorkspaceRow

LOCK_NAME = "workspace.lock"  # the same file Workspace.open locks


@dataclass(frozen=True, slots=True)
class Header:
    workspace_id: str
    kdf_params: str
    salt: bytes
    wrapped_key: bytes


@contextlib.contextmanager
def workspace_lock(path: Path) -> Iterator[None]:
    """Hold the workspace's lock: nothing else may open it meanwhile."""
    if not path.is_dir():
        raise NotAWorkspace(path, "no such folder")
    lock = filelock.FileLock(path / LOCK_NAME, timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise WorkspaceLocked(path) from None
    except OSError as exc:
        raise WorkspaceError(f"cannot lock {path}: {exc.strerror}") from None
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
            rows = s.scalars(select(WorkspaceRow)).all()
            slot = s.get(KeySlot, 1)
            if len(rows) != 1 or slot is None:
                raise CorruptData(what, "the workspace record or key slot is missing")
            return Header(rows[0].id, slot.kdf_params, slot.salt, slot.wrapped_key)
    except DatabaseError as exc:
        raise CorruptData(what, f"unreadable ({exc.orig})") from None


def unlock(header: Header, passphrase: str) -> tuple[bytes, Keys]:
    """(master key, derived keys); raises WrongPassphrase, CorruptData, UnsupportedWorkspace."""
    try:
        params = KdfParams.from_dict(json.loads(header.kdf_params))
    except ValueError as exc:
        raise CorruptData("key slot", str(exc)) from None
    master = unwrap_master_key(header.wrapped_key, passphrase, header.workspace_id, header.salt, params)
    return master, Keys(master, header.workspace_id)


def live_engine(path: Path) -> Engine:
    """The workspace's own database, after the same sanity check Workspace.open makes."""
    db_path = path / db.DB_NAME
    db.check_db_file(db_path, path)
    return db.make_engine(db_path)
