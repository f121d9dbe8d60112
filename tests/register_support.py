"""Fixtures of the register tests: a real, throw-away PostgreSQL cluster, a register URL
parametrised over SQLite and PostgreSQL, and real bundles (the app's own exports, and a
dishonest one built with the standard tools by tests/vendor_kit.py).

The PostgreSQL cluster is made with Debian's ``initdb``/``pg_ctl`` in a temporary folder,
listening only on a unix socket in that folder, started once per test session and stopped at
its end. PostgreSQL refuses to run as root, so as root the server runs as the ``postgres``
user (``runuser``). Only when the server binaries are absent are the PostgreSQL cases
skipped, with the reason (scripts/bootstrap.sh installs them for ./run-tests.sh and CI).
"""

from __future__ import annotations

import glob
import itertools
import json
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest

from exports import bundle_export
from exports.bundle import export_bundle

from .bundle_support import SignerFiles, _make_signer, fill_complete, fill_conforming, official_template
from .conftest import FAST_KDF, PASSPHRASE
from .vendor_kit import VendorKit

VENDOR_A = "株式会社サンプル"
VENDOR_B = "テスト建設システム株式会社"
PG_ADMIN = "attest_admin"


def _pg_bindir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").is_file() and Path(candidate, "pg_ctl").is_file():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


@dataclass
class PgCluster:
    socket_dir: Path
    port: int
    _names = itertools.count(1)

    def url(self, database: str, user: str = PG_ADMIN) -> str:
        return f"postgresql+psycopg://{user}@/{database}?host={self.socket_dir}&port={self.port}"

    def admin(self, sql: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(host=str(self.socket_dir), port=self.port, user=PG_ADMIN, dbname=database,
                             autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self) -> str:
        name = f"register_{os.getpid()}_{next(self._names)}"
        self.admin(f'CREATE DATABASE "{name}"')
        return name


@pytest.fixture(scope="session")
def pg_cluster():
    bindir = _pg_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed: apt-get install "
                    "postgresql (scripts/bootstrap.sh test does)")
    as_root = os.geteuid() == 0
    root = Path(tempfile.mkdtemp(prefix="ccus-pg-"))
    prefix: list[str] = []
    if as_root:
        user = pwd.getpwnam("postgres")  # created by Debian's postgresql package
        os.chmod(root, 0o755)  # noqa: S103 - the server's own user must enter its folder
        os.chown(root, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data = root / "data"
    port = 55432
    env = {**os.environ, "LC_ALL": "C"}

    def run(*argv: str) -> None:
        proc = subprocess.run([*prefix, *argv], capture_output=True, text=True, timeout=120, env=env,
                              check=False, cwd=root)
        assert proc.returncode == 0, (argv, proc.stdout, proc.stderr)

    run(str(bindir / "initdb"), "-D", str(data), "-U", PG_ADMIN, "--auth=trust", "-E", "UTF8", "--locale=C",
        "--no-sync")
    run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w", "-t", "60", "-o",
        f"-c listen_addresses='' -k {root} -p {port} -c fsync=off -c max_connections=40", "start")
    try:
        yield PgCluster(root, port)
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       capture_output=True, timeout=120, check=False, cwd=root)
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class RegisterTarget:
    kind: str                 # "sqlite" | "postgresql"
    url: str
    store: Path
    cluster: PgCluster | None = None
    database: str | None = None


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path) -> RegisterTarget:
    """A register location that does not exist yet (``register init`` makes it)."""
    store = tmp_path / "store"
    if request.param == "sqlite":
        return RegisterTarget("sqlite", f"sqlite:///{tmp_path / 'register.db'}", store)
    cluster = request.getfixturevalue("pg_cluster")
    name = cluster.new_database()
    return RegisterTarget("postgresql", cluster.url(name), store, cluster, name)


@dataclass
class Bundles:
    a1: Path              # vendor A, official template, complete; signed by `signer`
    a2: Path              # vendor A again (a later export of the same workspace)
    b1: Path              # vendor B, the mini test template (unofficial: needs --template); `signer_b`
    b_with_a_key: Path    # vendor B signed by vendor A's key (`signer`)
    a_new_key: Path       # vendor A signed by `other_signer`
    dishonest: Path       # vendor A's content with an invalid answer, re-signed by the vendor's real key
    tampered: Path        # a1 with one byte of the encrypted payload changed


@pytest.fixture(scope="session")
def signer_b(tmp_path_factory) -> SignerFiles:
    return _make_signer(tmp_path_factory.mktemp("signer-b"), "vendor-b")


@pytest.fixture(scope="session")
def bundles(tmp_path_factory, signer, other_signer, signer_b, auditor, mini_template) -> Bundles:
    root = tmp_path_factory.mktemp("register-bundles")
    from storage import Workspace

    out = {}
    with Workspace.create(root / "ws-a", PASSPHRASE, vendor=VENDOR_A, template=official_template(),
                          kdf=FAST_KDF) as ws:
        fill_conforming(ws, root / "sources-a")
        # a1 and a2 share their signed second, as two exports on a fast machine do: the register's
        # order (arrival, then ID, after the second) must still make a1 a2's previous submission
        second = float(int(time.time()))
        one_second = SimpleNamespace(time=lambda: second)
        with mock.patch.object(bundle_export, "time", one_second):
            for name in ("a1", "a2"):
                out[name] = root / f"{name}.zip"
                export_bundle(ws, out[name], signing_key=signer.key, recipients=[auditor.recipient])
        out["a_new_key"] = root / "a_new_key.zip"
        export_bundle(ws, out["a_new_key"], signing_key=other_signer.key, recipients=[auditor.recipient])
    with Workspace.create(root / "ws-b", PASSPHRASE, vendor=VENDOR_B, template=mini_template,
                          kdf=FAST_KDF) as ws:
        fill_complete(ws, root / "sources-b")
        for name, key in (("b1", signer_b), ("b_with_a_key", signer)):
            out[name] = root / f"{name}.zip"
            export_bundle(ws, out[name], signing_key=key.key, recipients=[auditor.recipient])
    kit = VendorKit(root / "kit", signer, auditor)
    content = kit.take_apart(out["a1"])
    doc = content.json("answers.json")
    first = next(k for k, v in doc["answers"].items() if v["value"] in ("はい", "yes"))
    doc["answers"][first]["value"] = "はい（ただし未実施）"   # issue 12 §3: outside the template's choices
    content.put_json("answers.json", doc)
    out["dishonest"] = kit.build(content)
    data = bytearray(out["a1"].read_bytes())
    data[len(data) // 2] ^= 0x01
    out["tampered"] = root / "tampered.zip"
    out["tampered"].write_bytes(bytes(data))
    return Bundles(**out)


def all_rows(url: str) -> dict[str, int]:
    """Row counts of every register table (to prove nothing was stored)."""
    from sqlalchemy import create_engine, func, select

    from register.models import Base

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {t.name: conn.execute(select(func.count()).select_from(t)).scalar()
                    for t in Base.metadata.sorted_tables if t.name != "register_meta"}
    finally:
        engine.dispose()


def store_files(store: Path) -> list[str]:
    if not store.exists():
        return []
    return sorted(str(p.relative_to(store)) for p in store.rglob("*") if p.is_file())


def as_json(text: str):
    return json.loads(text)


__all__ = ["Bundles", "PgCluster", "RegisterTarget", "all_rows", "bundles", "pg_cluster", "signer_b",
           "store_files", "target"]
