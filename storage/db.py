"""The SQLite engine of a workspace and its schema migrations (Alembic)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.pool import NullPool

from . import faults
from .errors import NotAWorkspace, UnsupportedWorkspace

DB_NAME = "attest.db"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Kept in code so opening an up-to-date workspace needn't load Alembic at all;
# tests/test_migrations.py checks it equals the head of migrations/versions.
HEAD_REVISION = "0004"
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004")
_SQLITE_MAGIC = b"SQLite format 3\x00"


def make_engine(db_path: Path, *, read_only: bool = False) -> Engine:
    if read_only:
        return _read_only_engine(db_path)
    engine = create_engine(f"sqlite:///{db_path}", connect_args={"timeout": 15})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record) -> None:
        # Take transactions out of the sqlite3 module's hands so that BEGIN/COMMIT
        # are emitted exactly where SQLAlchemy says (DDL included, for migrations).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")  # a reported success survives power loss
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA trusted_schema=OFF")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        # IMMEDIATE: take the write lock up front, so two threads never deadlock
        # upgrading read locks.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _read_only_engine(db_path: Path) -> Engine:
    """A workspace on read-only media (a CD, a write-protected share, a folder without write
    permission): nothing is ever written, not even SQLite's shared-memory file.

    A cleanly closed workspace has no ``-wal`` file: it is opened ``immutable`` (SQLite then
    needs no ``-shm`` either, which it could not create). One left with a ``-wal`` (not closed
    cleanly before it became read-only) is opened ``mode=ro``, which reads the WAL's changes
    too, through the ``-shm`` beside it."""
    wal = Path(f"{db_path}-wal")
    pending = wal.exists() and wal.stat().st_size > 0
    # immutable only where nobody can write either: it makes SQLite skip locking altogether.
    query = "mode=ro" if pending or faults.writable(Path(db_path).parent) else "mode=ro&immutable=1"
    uri = f"{Path(db_path).absolute().as_uri()}?{query}"

    def connect() -> sqlite3.Connection:
        con = sqlite3.connect(uri, uri=True, timeout=15, isolation_level=None, check_same_thread=False)
        con.execute("PRAGMA trusted_schema=OFF")
        con.execute("PRAGMA query_only=ON")
        return con

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        conn.exec_driver_sql("BEGIN")  # deferred: a read-only connection takes no write lock

    return engine


def check_db_file(db_path: Path, workspace: Path) -> None:
    try:
        with open(db_path, "rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        # A vanished folder or a failing drive is not "not a workspace".
        fault = faults.translate(exc, workspace, faults.open_action(), writing=False)
        if fault is not None:
            raise fault from None
        if isinstance(exc, FileNotFoundError):
            raise NotAWorkspace(workspace, f"no {DB_NAME}") from None
        raise NotAWorkspace(workspace, f"cannot read {DB_NAME}: {exc.strerror}") from None
    if head != _SQLITE_MAGIC:
        raise NotAWorkspace(workspace, f"{DB_NAME} is not a database")


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        has_table = conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
        ).first()
        if not has_table:
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return row[0] if row else None


def check_revision(revision: str | None) -> None:
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise UnsupportedWorkspace(
            f"this workspace was written by a newer version of CCUS Attest (schema {revision}); "
            "please update the app"
        )


def upgrade(engine: Engine) -> bool:
    """Bring the schema to HEAD_REVISION in one transaction; returns whether anything ran."""
    revision = current_revision(engine)
    check_revision(revision)
    if revision == HEAD_REVISION:
        return False
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return True
