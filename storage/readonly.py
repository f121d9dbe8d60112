"""Opening a workspace without writing a single byte into its folder.

``Workspace.open`` is not that: it takes the lock (``workspace.lock``), may migrate the schema,
clears temporary blobs, and takes backups on open and close; SQLite in WAL mode creates or
updates ``attest.db-wal`` and ``-shm`` even for a reader. Carrying last year's workspace
forward (and comparing with it) must leave it byte for byte as it was, so:

* the lock is only *probed*: an existing lock file is opened read-only and a shared lock is
  tried on it; held by someone else means the workspace is in use (WorkspaceLocked). A
  missing lock file is not created.
* a cleanly closed workspace (no ``-wal``, or an empty one) is read through an ``immutable``
  SQLite URI: SQLite then takes no locks and makes no ``-wal``/``-shm`` files.
* one left with a ``-wal`` holding changes (the app was killed) would lose those changes
  under ``immutable``, and ``mode=ro`` would rebuild the ``-shm`` in place; its database and
  WAL are copied into a private temporary folder and read there (the copy is removed on
  close).
* nothing is migrated: an older schema is read as it is (storage/workspace.py reads the
  columns the revision has).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool

from . import db
from .errors import WorkspaceError, WorkspaceLocked
from .unlock import LOCK_NAME


def lock_held(path: Path) -> bool:
    """Whether another open holds the workspace's lock (this process's own opens included:
    flock locks belong to the open file, not the process). Creates nothing."""
    lock_file = Path(path) / LOCK_NAME
    try:
        fd = os.open(lock_file, os.O_RDONLY)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise WorkspaceError(f"cannot read {lock_file}: {exc.strerror}") from None
    try:
        if sys.platform == "win32":  # filelock locks byte 0 with msvcrt; the file goes on release
            import msvcrt

            try:
                msvcrt.locking(fd, msvcrt.LK_NBRLCK, 1)
            except OSError:
                return True
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
            return False
        import fcntl

        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _has_pending_wal(db_path: Path) -> bool:
    wal = Path(f"{db_path}-wal")
    try:
        return wal.stat().st_size > 0
    except FileNotFoundError:
        return False


def _immutable_engine(db_path: Path) -> Engine:
    uri = f"{db_path.absolute().as_uri()}?mode=ro&immutable=1"

    def connect() -> sqlite3.Connection:
        con = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        con.execute("PRAGMA trusted_schema=OFF")
        con.execute("PRAGMA query_only=ON")
        return con

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        conn.exec_driver_sql("BEGIN")  # deferred: nothing here ever writes

    return engine


class Snapshot:
    """The engine a read-only workspace reads through, and the temporary copy to remove."""

    def __init__(self, engine: Engine, copy_dir: Path | None) -> None:
        self.engine = engine
        self.copy_dir = copy_dir

    def dispose(self) -> None:
        self.engine.dispose()
        if self.copy_dir is not None:
            shutil.rmtree(self.copy_dir, ignore_errors=True)
            self.copy_dir = None


def open_snapshot(path: Path) -> Snapshot:
    """An engine on ``path``'s database that writes nothing into ``path`` (see the module
    docstring). Raises WorkspaceLocked when the workspace is open elsewhere."""
    db_path = path / db.DB_NAME
    db.check_db_file(db_path, path)
    if lock_held(path):
        raise WorkspaceLocked(path)
    if not _has_pending_wal(db_path):
        return Snapshot(_immutable_engine(db_path), None)
    copy_dir = Path(tempfile.mkdtemp(prefix="ccus-attest-readonly-"))
    try:
        for name in (db.DB_NAME, f"{db.DB_NAME}-wal"):
            shutil.copyfile(path / name, copy_dir / name)
        # the copy is ours: SQLite replays its WAL there, and the Workspace writes nothing anyway
        return Snapshot(db.make_engine(copy_dir / db.DB_NAME), copy_dir)
    except BaseException:
        shutil.rmtree(copy_dir, ignore_errors=True)
        raise
