"""Helpers for tests that alter a closed workspace the way an attacker or a bad disk would."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from storage.activity import LogEntry, canonical
from storage.crypto import Keys
from storage.unlock import live_engine, read_header, unlock

from .conftest import PASSPHRASE


def real_keys(path: Path, passphrase: str = PASSPHRASE) -> Keys:
    """The workspace's real keys: what someone who knows the passphrase could use."""
    engine = live_engine(path)
    try:
        return unlock(read_header(engine, path), passphrase)[1]
    finally:
        engine.dispose()


@contextlib.contextmanager
def raw_db(path: Path) -> Iterator[sqlite3.Connection]:
    con = sqlite3.connect(path / "attest.db")
    try:
        yield con
        con.commit()
    finally:
        con.close()


def log_entries(con: sqlite3.Connection, keys: Keys) -> dict[int, dict]:
    return {seq: json.loads(keys.open(sealed, f"activity:{seq}"))
            for seq, sealed in con.execute("SELECT seq, sealed FROM activity ORDER BY seq")}


def put_entry(con: sqlite3.Connection, keys: Keys, position: int, entry: dict) -> None:
    """Seal ``entry`` with the real keys into the row ``position`` (insert or replace)."""
    sealed = keys.seal(canonical(entry), f"activity:{position}")
    con.execute("INSERT OR REPLACE INTO activity (seq, sealed) VALUES (?, ?)", (position, sealed))


def rehash(entry: dict) -> dict:
    body = {k: entry[k] for k in ("seq", "at", "action", "item", "detail", "prev")}
    return {**body, "hash": LogEntry.compute_hash(body)}


def set_head(con: sqlite3.Connection, keys: Keys, seq: int, hash_: str) -> None:
    con.execute("UPDATE workspace SET log_head_sealed = ?",
                (keys.seal(canonical({"seq": seq, "hash": hash_}), "workspace:log-head"),))


def flip_byte(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1:]
