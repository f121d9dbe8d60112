"""The one mapping from OS and SQLite errors to what the user is told (storage/faults.py).

Real errors where they can be had without a broken disk: SQLite's own "database or disk is
full" (a page limit), "attempt to write a readonly database" (a read-only connection), a
folder that vanished; pyrage wrapping a write that failed. The full disk, the read-only
mount and the failing drive themselves are in test_faults_disk/readonly/device.py.
"""

from __future__ import annotations

import errno
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from exports.errors import BundleError
from storage import faults
from storage.faults import EXIT_CODES, FaultKind, MachineFault, classify, find_fault

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("code", "kind"), [
    (errno.ENOSPC, FaultKind.NO_SPACE), (errno.EDQUOT, FaultKind.NO_SPACE),
    (errno.EROFS, FaultKind.READ_ONLY), (errno.EACCES, FaultKind.READ_ONLY),
    (errno.EPERM, FaultKind.READ_ONLY),
    (errno.EIO, FaultKind.DEVICE), (errno.ENODEV, FaultKind.DEVICE), (errno.ENXIO, FaultKind.DEVICE),
    (errno.ESTALE, FaultKind.DEVICE), (errno.ENOTCONN, FaultKind.DEVICE),
    (errno.EFBIG, FaultKind.TOO_LARGE),
])
def test_os_errors(code, kind, tmp_path):
    found = classify(OSError(code, "x"), tmp_path)
    assert found is not None and found.kind is kind
    assert found.quota == (code == errno.EDQUOT)


def test_what_is_not_a_machine_fault(tmp_path):
    assert classify(OSError(errno.EINVAL, "x"), tmp_path) is None
    assert classify(ValueError("x"), tmp_path) is None
    assert classify(FileNotFoundError(errno.ENOENT, "x"), tmp_path) is None  # the folder is there
    # "permission denied" on a read is about the file the user chose, not read-only media
    assert classify(OSError(errno.EACCES, "x"), tmp_path, writing=False) is None
    assert classify(OSError(errno.EROFS, "x"), tmp_path, writing=False).kind is FaultKind.READ_ONLY


def test_a_vanished_folder_is_a_drive_gone(tmp_path):
    gone = tmp_path / "usb-stick" / "ws"
    assert classify(FileNotFoundError(errno.ENOENT, "x"), gone).kind is FaultKind.DEVICE
    # SQLite cannot open a database whose folder went away
    with pytest.raises(sqlite3.OperationalError) as caught:
        sqlite3.connect(gone / "attest.db").execute("SELECT 1")
    assert classify(caught.value, gone).kind is FaultKind.DEVICE
    assert classify(caught.value, tmp_path) is None  # a folder that is fine: not ours to explain


def test_sqlite_full_and_read_only_are_real(tmp_path):
    db = tmp_path / "a.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE t (x BLOB)")
    con.execute("PRAGMA max_page_count = 3")
    with pytest.raises(sqlite3.OperationalError) as full:
        for _ in range(100):
            con.execute("INSERT INTO t VALUES (?)", (bytes(4000),))
    assert full.value.sqlite_errorname == "SQLITE_FULL"
    assert classify(full.value, tmp_path).kind is FaultKind.NO_SPACE
    con.close()
    ro = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as read_only:
        ro.execute("INSERT INTO t VALUES (1)")
    assert read_only.value.sqlite_errorname == "SQLITE_READONLY"
    assert classify(read_only.value, tmp_path).kind is FaultKind.READ_ONLY
    # through SQLAlchemy, as the workspace sees it
    engine = create_engine(f"sqlite:///file:{db}?mode=ro&uri=true")
    with pytest.raises(DBAPIError) as wrapped, engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
    assert classify(wrapped.value, tmp_path).kind is FaultKind.READ_ONLY
    engine.dispose()


def _io_error(name: str, code: int) -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError("disk I/O error")
    exc.sqlite_errorcode, exc.sqlite_errorname = code, name
    return exc


def test_an_sqlite_io_error_is_refined_by_the_folder(tmp_path, monkeypatch):
    shm = _io_error("SQLITE_IOERR_SHMSIZE", 4874)  # what a full disk gives for a WAL database
    assert classify(shm, tmp_path).kind is FaultKind.DEVICE  # plenty of room here: the drive
    assert classify(shm, tmp_path / "gone").kind is FaultKind.DEVICE
    monkeypatch.setattr(faults, "free_bytes", lambda _f: 4096)
    assert classify(shm, tmp_path).kind is FaultKind.NO_SPACE
    monkeypatch.setattr(faults, "free_bytes", lambda _f: 10**9)
    monkeypatch.setattr(faults, "writable", lambda *_a: False)
    assert classify(shm, tmp_path).kind is FaultKind.READ_ONLY


def test_a_fault_is_found_behind_older_wrappers(tmp_path):
    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "b.zip"))
        except OSError as exc:
            raise BundleError(f"cannot write: {exc.strerror}") from None
    except BundleError as wrapped:
        found = find_fault(wrapped, action=faults.export_action("b.zip"))
    assert found is not None and found.kind is FaultKind.NO_SPACE
    assert found.folder == tmp_path  # from the OSError's file name
    assert "The bundle b.zip was not written" in found.message("en")
    assert find_fault(BundleError("no cause")) is None


def test_pyrage_does_not_hide_a_full_disk(mini_ws, tmp_path, monkeypatch):
    """pyrage reports a failed write as its own EncryptError text; the blob store keeps the
    OSError, so attaching says "not enough space", not "internal error: EncryptError"."""
    import storage.blobstore as blobstore

    real = blobstore.create_private

    class FullDisk:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.fh, name)

    monkeypatch.setattr(blobstore, "create_private", lambda path: FullDisk(real(path)))
    src = tmp_path / "cert.pdf"
    src.write_bytes(b"x" * 200_000)
    from storage import EvidenceMeta

    with pytest.raises(MachineFault) as caught:
        mini_ws.add_evidence("CERT-02", src, EvidenceMeta("certificate"))
    fault = caught.value
    assert fault.kind is FaultKind.NO_SPACE and fault.folder == mini_ws.path
    assert fault.action == faults.attach_action("cert.pdf", "CERT-02")
    assert list((mini_ws.path / "blobs" / "tmp").iterdir()) == []  # nothing half-written stays
    assert mini_ws.evidence() == []


def test_messages_name_the_folder_what_was_lost_and_what_to_do(tmp_path):
    folder = tmp_path / "ワークスペース"
    action = faults.answer_action("AGR-01")
    for kind in FaultKind:
        fault = MachineFault(kind, folder, action)
        for lang in ("ja", "en"):
            text = fault.message(lang)
            assert str(folder) in text
            assert action.text(lang) in text
            assert fault.next_step(lang) in text and fault.next_step(lang)
            assert fault.title(lang)
            assert "internal error" not in text and "not a CCUS Attest workspace" not in text
        assert str(fault) == fault.message("en")
        assert fault.exit_code == EXIT_CODES[kind]
    ja = MachineFault(FaultKind.NO_SPACE, folder, action, need=12 * 2**20, free=5 * 2**20).message("ja")
    assert "必要な空きは 12.0 MB、現在の空きは 5.0 MB です。このドライブに 7.0 MB 以上の空きを作る" in ja
    en = MachineFault(FaultKind.NO_SPACE, folder, action, need=12 * 2**20, free=5 * 2**20).message("en")
    assert "It needs 12.0 MB and 5.0 MB is free: free at least 7.0 MB on that drive" in en
    quota = MachineFault(FaultKind.NO_SPACE, folder, action, quota=True)
    assert "quota" in quota.message("en") and "クォータ" in quota.message("ja")
    read_only = MachineFault(FaultKind.READ_ONLY, folder, action, read_only_workspace=True)
    assert "open read-only" in read_only.message("en")
    assert "読み取り専用で開いています" in read_only.message("ja")
    assert "copy the whole workspace folder" in read_only.message("en")


def test_exit_codes_are_distinct_and_documented():
    assert len(set(EXIT_CODES.values())) == len(EXIT_CODES)
    assert not set(EXIT_CODES.values()) & {0, 1, 2, 70, 130}  # the CLI's other codes
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## When something goes wrong", 1)[1].split("\n## ", 1)[0]
    for kind, code in EXIT_CODES.items():
        assert re.search(rf"^\| `{code}` \|", section, re.M), (kind, code)


def test_the_space_check_refuses_with_numbers(tmp_path):
    free = shutil.disk_usage(tmp_path).free
    with pytest.raises(MachineFault) as caught:
        faults.ensure_space(tmp_path, free + 10 * 2**20, faults.export_action("b.zip"))
    fault = caught.value
    assert fault.kind is FaultKind.NO_SPACE and fault.need > free + 10 * 2**20 and fault.free <= free + 2**20
    faults.ensure_space(tmp_path, 1024, faults.export_action("b.zip"))  # enough: nothing said
    assert faults.margin(10) == faults.MIN_MARGIN and faults.margin(10**10) == 10**10 // 20


def test_sizes_read_as_people_read_them():
    assert faults.size_numbers(8_178_000, 5_977_000) == ("7.8 MB", "5.7 MB", "2.1 MB")
    assert faults.size_numbers(300_000, 200_000) == ("293 KB", "195 KB", "98 KB")
    assert faults.size_numbers(5 * 2**30, 2**30) == ("5.0 GB", "1.0 GB", "4.0 GB")
    assert faults.size_numbers(2**20, 2**30) == ("1.0 MB", "1.0 MB", "0.1 MB")  # never "free 0 more"
