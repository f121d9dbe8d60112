"""Opening the register: the engine (SQLite or PostgreSQL), its migrations, units of work.

``--db URL`` (or ``$CCUS_ATTEST_REGISTER_DB``) names the database; without either it is the
SQLite file ``<user data dir>/register/register.db``. A team uses PostgreSQL through psycopg 3:
``postgresql+psycopg://user@host/dbname`` (a password from ``~/.pgpass`` or ``$PGPASSWORD``,
never on the command line).

Read-only: a SQLite file opened with ``mode=ro``, a PostgreSQL session in read-only
transactions; a PostgreSQL role granted only SELECT is refused by the server itself. Either
way a write gives ``ReadOnlyRegister``, one line, nothing changed.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, exc, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from .errors import NotInitialised, ReadOnlyRegister, RegisterError
from .models import Meta
from .store import BundleStore

DB_ENV = "CCUS_ATTEST_REGISTER_DB"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
VERSION_TABLE = "register_alembic_version"
HEAD_REVISION = "r0001"   # tests/test_register_db.py checks it equals the migrations' head
STORE_KEY = "store"
CREATED_KEY = "created_at"


def default_folder() -> Path:
    from storage.paths import data_dir

    return data_dir() / "register"


def default_url() -> str:
    return os.environ.get(DB_ENV) or f"sqlite:///{default_folder() / 'register.db'}"


def register_url(given: str | None) -> str:
    """The register's URL: ``given`` (a URL, or a plain path meaning a SQLite file — what a user
    types after --db), else $CCUS_ATTEST_REGISTER_DB, else the app's own file."""
    url = given or default_url()
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().absolute()}"
    try:
        make_url(url)
    except exc.ArgumentError:
        raise RegisterError(f"{url[:200]!r} is neither a database URL nor a file path",
                            ja=f"{url[:200]!r} はデータベースの URL でも"
                               "ファイルのパスでもありません") from None
    return url


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise RegisterError("the register needs a database file, not an in-memory SQLite",
                            ja="台帳にはデータベースのファイルが必要です（メモリー上の SQLite は使えません）")
    return Path(parsed.database)


def describe(url: str) -> str:
    """The URL as it may be printed (no password)."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    path = _sqlite_path(url)
    if path is None:
        if make_url(url).get_backend_name() != "postgresql":
            raise RegisterError(f"unsupported database {describe(url)}: use a SQLite file or "
                                "postgresql+psycopg://…",
                                ja=f"{describe(url)} は使えないデータベースです（SQLite のファイルか "
                                   "postgresql+psycopg://… を指定してください）")
        engine = create_engine(url, pool_pre_ping=True)
        if read_only:
            engine = engine.execution_options(postgresql_readonly=True)
        return engine
    if read_only:
        # mode=ro: SQLite itself refuses every write (not just this code being careful).
        uri = f"{path.absolute().as_uri()}?mode=ro"
        engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(
            uri, uri=True, timeout=15, check_same_thread=False))
    else:
        # check_same_thread off: the desktop reads in a worker thread whose pool may change
        # threads; SQLAlchemy's pool still hands a connection to one user at a time.
        engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 15, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record) -> None:
        # As storage/db.py: BEGIN/COMMIT exactly where SQLAlchemy says (DDL included).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if not read_only:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA trusted_schema=OFF")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        # IMMEDIATE: a writer takes the write lock up front (two auditors never deadlock
        # upgrading read locks); a read-only connection cannot take it.
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def _alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("version_table", VERSION_TABLE)
    return cfg


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}).get_current_revision()


def upgrade(engine: Engine) -> bool:
    """Bring the schema to the head in one transaction; returns whether anything ran."""
    if current_revision(engine) == HEAD_REVISION:
        return False
    from alembic import command

    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return True


def _is_read_only_error(error: exc.DBAPIError) -> bool:
    orig = error.orig
    code = getattr(orig, "sqlstate", None)  # psycopg
    if code in ("42501", "25006"):  # insufficient_privilege, read_only_sql_transaction
        return True
    return isinstance(orig, sqlite3.OperationalError) and "readonly" in str(orig).replace("-", "")


def _one_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error)
    return " ".join(text.split())[:300]


class Register:
    """An open register: the engine, the bundle store, who is working."""

    def __init__(self, engine: Engine, url: str, *, read_only: bool = False) -> None:
        self.engine = engine
        self.url = url
        self.read_only = read_only
        self._store: BundleStore | None = None
        self._who: str | None = None

    @contextlib.contextmanager
    def unit(self) -> Iterator[Session]:
        """One unit of work: one session, one transaction (committed on success)."""
        with self._translated(), Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextlib.contextmanager
    def reading(self) -> Iterator[Connection]:
        """A Core connection for bulk reads of plain rows (no ORM objects: the list of 2,500
        submissions is built twice as fast without the ORM's row loading)."""
        with self._translated(), self.engine.connect() as conn:
            yield conn

    @contextlib.contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except exc.DBAPIError as error:
            if _is_read_only_error(error):
                raise ReadOnlyRegister(f"the register {describe(self.url)} is read-only for you "
                                       f"({self.who}): nothing was changed") from None
            if isinstance(error, exc.OperationalError):
                raise RegisterError(f"the register {describe(self.url)}: {_one_line(error)}") from None
            raise

    @property
    def store(self) -> BundleStore:
        if self._store is None:
            with self.unit() as s:
                root = s.scalar(select(Meta.value).where(Meta.key == STORE_KEY))
            if root is None:
                raise NotInitialised(f"{describe(self.url)} has no bundle store; run register init")
            self._store = BundleStore(root)
        return self._store

    @property
    def who(self) -> str:
        """The reviewer: the PostgreSQL role (the server vouches for it), else the OS user."""
        if self._who is None:
            if self.engine.dialect.name == "postgresql":
                with self.engine.connect() as conn:
                    self._who = str(conn.exec_driver_sql("SELECT current_user").scalar())
            else:
                self._who = os_user()
        return self._who

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or passwd (containers)
        return f"uid-{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def _connect_error(url: str, error: BaseException) -> RegisterError:
    return RegisterError(f"cannot open the register {describe(url)}: {_one_line(error)}",
                         ja=f"台帳 {describe(url)} を開けません（{_one_line(error)}）")


def init_register(url: str | None = None, store: str | Path | None = None) -> Register:
    """Create (or bring up to date) the register and its bundle store. Idempotent; a store
    already recorded is kept unless another is given."""
    url = register_url(url)
    path = _sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    reg = Register(engine, url)
    try:
        upgrade(engine)
    except exc.DBAPIError as error:
        engine.dispose()
        if _is_read_only_error(error):
            raise ReadOnlyRegister(f"cannot create the register in {describe(url)}: no permission",
                                   ja=f"{describe(url)} に台帳を作成する権限がありません") from None
        raise _connect_error(url, error) from None
    import datetime as dt

    with reg.unit() as s:
        have = s.get(Meta, STORE_KEY)
        if store is not None or have is None:
            root = Path(store) if store is not None else (
                (path.parent if path is not None else default_folder()) / "bundles")
            root = root.expanduser().absolute()
            BundleStore(root).check_writable()
            if have is None:
                s.add(Meta(key=STORE_KEY, value=str(root)))
            else:
                have.value = str(root)
        if s.get(Meta, CREATED_KEY) is None:
            s.add(Meta(key=CREATED_KEY, value=dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
    return reg


def open_register(url: str | None = None, *, read_only: bool = False) -> Register:
    """Open an existing register at the head revision (``register init`` makes one)."""
    url = register_url(url)
    path = _sqlite_path(url)
    if path is not None and not path.is_file():
        raise NotInitialised(f"no register at {path}; create it with: ccus-attest register init",
                             ja=f"{path} に台帳がありません。ccus-attest register init で作成してください")
    engine = make_engine(url, read_only=read_only)
    try:
        revision = current_revision(engine)
    except exc.DBAPIError as error:
        engine.dispose()
        raise _connect_error(url, error) from None
    if revision != HEAD_REVISION:
        engine.dispose()
        if revision is None:
            raise NotInitialised(f"{describe(url)} is not a register yet; run: ccus-attest register init",
                                 ja=f"{describe(url)} はまだ台帳ではありません。ccus-attest register init "
                                    "を実行してください")
        raise RegisterError(f"the register {describe(url)} was written by a newer version of CCUS Attest "
                            f"(schema {revision}); please update the app",
                            ja=f"台帳 {describe(url)} は新しい版の CCUS Attest で書かれています（スキーマ "
                               f"{revision}）。アプリを更新してください")
    return Register(engine, url, read_only=read_only)
