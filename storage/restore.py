"""Restoring a kept backup over the live database, atomically.

The user's expectation, and what this does:

* the workspace must not be open anywhere (its lock is held throughout);
* the backup is checked first (every record opens, the log chain holds, every
  evidence file it refers to is present); a damaged one is refused, nothing changes;
* the state being replaced is kept as a ``pre-restore`` backup, so a restore can
  itself be undone by restoring that one;
* the restored workspace opens with the **current** passphrase: the live key slot is
  copied into it (all slots wrap the same master key). Only when the live database
  is unreadable does the backup keep its own slot; the unreadable files are then
  moved to ``backups/damaged-<time>/``, never deleted;
* a ``workspace.restored`` entry is appended to the restored activity log;
* the new database is built beside the old one and renamed over it: a crash leaves
  either the old or the new database, plus temporary files the next open removes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import backups as bk
from . import db, faults
from .activity import LogEntry, canonical, now_iso
from .blobstore import BlobStore
from .errors import CorruptData, NotAWorkspace, WorkspaceError
from .fsutil import fsync_dir
from .integrity import BLOBS_DIR, Severity, inspect_database
from .models import ActivityRow, KeySlot, WorkspaceRow
from .unlock import Header, live_engine, read_header, unlock, workspace_lock


@dataclass(frozen=True, slots=True)
class RestoreResult:
    backup: str                  # the file restored
    saved_as: str | None         # the pre-restore backup of the replaced state
    damaged_copy: str | None     # where an unreadable database was moved instead
    log_entries: int             # entries in the restored log, the restore included


class RestoreRefused(WorkspaceError):
    pass


def resolve_backup(workspace: Path, backup: str | Path) -> Path:
    """A backup named as ``backups`` lists it, or a path to a backup file (e.g. a copy)."""
    name = str(backup)
    candidate = bk.backups_dir(workspace) / name
    if os.sep not in name and "/" not in name and candidate.is_file():
        return candidate
    path = Path(backup)
    if path.is_file():
        return path.absolute()
    raise RestoreRefused(f"no backup {name!r} in {workspace} (`backups {workspace}` lists them)")


def restore_backup(workspace: str | Path, backup: str | Path, passphrase: str) -> RestoreResult:
    path = Path(workspace).absolute()
    action = faults.restore_action(Path(str(backup)).name)
    if path.is_dir() and not faults.writable(path):
        raise faults.MachineFault(faults.FaultKind.READ_ONLY, path, action)
    with workspace_lock(path, action):
        src = resolve_backup(path, backup)
        # The replaced state is kept as a backup (a copy of the live database) and the restored
        # database is built beside it before it is renamed into place: both need room.
        live = bk._db_size(path)
        faults.ensure_space(path, live + 2 * faults.file_size(src), action)
        with faults.guard(path, action):
            return _restore(path, src, passphrase)


def _restore(path: Path, src: Path, passphrase: str) -> RestoreResult:
    label = f"backup {src.name}"
    b_engine = bk.ro_engine(src)
    try:
        try:
            b_header = read_header(b_engine, src, label)
        except (CorruptData, NotAWorkspace) as exc:
            raise RestoreRefused(f"{label} cannot be restored: {exc}") from None
        live, live_problem = _read_live(path)
        if live is not None and live.workspace_id != b_header.workspace_id:
            raise RestoreRefused(f"{label} belongs to another workspace")
        _master, keys = unlock(live or b_header, passphrase)
        facts, found = inspect_database(b_engine, keys)
    finally:
        b_engine.dispose()
    damage = [f for f in found if f.severity is Severity.DAMAGE]
    if damage:
        more = f" (and {len(damage) - 1} more problems)" if len(damage) > 1 else ""
        raise RestoreRefused(f"{label} is damaged, not restored: {damage[0]}{more}")
    if facts.identity is None or facts.head is None:
        raise RestoreRefused(f"{label} is damaged, not restored")
    store = BlobStore(path / BLOBS_DIR, keys, facts.identity)
    for info, blob_id in facts.evidence.values():
        if not store.exists(blob_id):
            raise RestoreRefused(f"{label} refers to evidence {info.filename!r} ({info.item_id}) whose "
                                 "encrypted file is missing; not restored")

    saved_as = damaged_copy = None
    live_seq = None
    if live is not None:
        saved_as, live_seq = _keep_live(path, keys)
    else:
        damaged_copy = _move_damaged(path)
    tmp = _build(path, src, keys, live, {
        "backup": src.name, "backup_log_entries": facts.head[0],
        "replaced_log_entries": live_seq, "saved_as": saved_as,
        "damaged_copy": damaged_copy, "reason": live_problem,
    })
    _swap_in(path, tmp, live is not None)
    with contextlib.suppress(OSError):
        for b in bk.to_prune(bk.list_backups(path)):
            if b.path != src:
                b.path.unlink()
    return RestoreResult(src.name, saved_as, damaged_copy, facts.head[0] + 1)


def _read_live(path: Path) -> tuple[Header | None, str | None]:
    """The live header, or (None, why) when the live database cannot be read."""
    try:
        engine = live_engine(path)
    except NotAWorkspace as exc:  # no attest.db, or not a SQLite file any more
        return None, str(exc)
    try:
        return read_header(engine, path), None
    except (CorruptData, NotAWorkspace) as exc:
        return None, str(exc)
    finally:
        engine.dispose()


def _keep_live(path: Path, keys) -> tuple[str, int | None]:
    engine = live_engine(path)
    try:
        with Session(engine) as s:
            # one column: the live database may still have an older schema
            head_sealed = s.scalars(select(WorkspaceRow.log_head_sealed)).one()
            try:
                seq = json.loads(keys.open(head_sealed, "workspace:log-head"))["seq"]
            except (CorruptData, ValueError, KeyError, TypeError):
                seq = None
        raw = engine.raw_connection()
        try:
            info = bk.snapshot(raw.driver_connection, path, "pre-restore", seq or 0)
        finally:
            raw.close()
    finally:
        engine.dispose()
    return info.name, seq


def _move_damaged(path: Path) -> str | None:
    names = [n for n in (db.DB_NAME, f"{db.DB_NAME}-wal", f"{db.DB_NAME}-shm") if (path / n).exists()]
    if not names:
        return None
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = bk.backups_dir(path) / f"damaged-{stamp}"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for n in names:
        os.replace(path / n, folder / n)
    fsync_dir(folder)
    fsync_dir(path)
    return str(folder.relative_to(path))


def _build(path: Path, src: Path, keys, live: Header | None, detail: dict) -> Path:
    """The restored database, complete and synced, in backups/tmp/."""
    tmp = bk.new_tmp(path, ".db")
    try:
        source = bk.connect_ro(src)
        dst = sqlite3.connect(tmp, isolation_level=None)
        try:
            source.backup(dst)
        finally:
            dst.close()
            source.close()
        engine = db.make_engine(tmp)
        try:
            db.upgrade(engine)  # a backup from an older version of the app
            with Session(engine) as s, s.begin():
                row = s.scalars(select(WorkspaceRow)).one()
                head = json.loads(keys.open(row.log_head_sealed, "workspace:log-head"))
                if live is not None:
                    slot = s.get(KeySlot, 1)
                    slot.kdf_params, slot.salt = live.kdf_params, live.salt
                    slot.wrapped_key, slot.changed_at = live.wrapped_key, now_iso()
                entry = LogEntry.make(head["seq"] + 1, head["hash"], "workspace.restored", None,
                                      {k: v for k, v in detail.items() if v is not None})
                s.add(ActivityRow(seq=entry.seq,
                                  sealed=keys.seal(canonical(entry.as_dict()), f"activity:{entry.seq}")))
                row.log_head_sealed = keys.seal(canonical({"seq": entry.seq, "hash": entry.hash}),
                                                "workspace:log-head")
        finally:
            engine.dispose()
        # The last connection closing checkpoints and removes the WAL; make sure of it,
        # since only the main file is moved into place.
        _fold_wal(tmp)
        bk.fsync_file(tmp)
    except BaseException:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(f"{tmp}{suffix}")
        raise
    return tmp


def _fold_wal(dbfile: Path, *, checkpoint: bool = True) -> None:
    """Leave ``dbfile`` with no ``-wal``/``-shm`` beside it, its WAL folded in first."""
    if checkpoint:
        con = sqlite3.connect(dbfile, isolation_level=None)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{dbfile}{suffix}")


def _swap_in(path: Path, tmp: Path, live_readable: bool) -> None:
    live = path / db.DB_NAME
    # A WAL left beside the new file would be replayed onto it. A readable live database's
    # WAL is folded in first; an unreadable one's is dropped (the replaced state is already
    # kept as a backup, or moved aside as damaged).
    _fold_wal(live, checkpoint=live_readable)
    os.chmod(tmp, 0o600)
    os.replace(tmp, live)
    fsync_dir(path)
