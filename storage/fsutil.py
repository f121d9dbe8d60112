"""Small filesystem helpers for crash-safe writes."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


def fsync_dir(path: Path) -> None:
    """Make a rename or create in ``path`` durable (no-op where directories can't be opened)."""
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def create_private(path: Path) -> BinaryIO:
    """Create a new file readable only by the owner; fails if it exists."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    return os.fdopen(os.open(path, flags, 0o600), "wb")


@contextlib.contextmanager
def atomic_write(dest: Path, *, overwrite: bool = False, private: bool = False) -> Iterator[BinaryIO]:
    """Write to a temporary file beside ``dest``; rename into place only on success.

    On any exception the temporary file is removed and ``dest`` is untouched.
    """
    dest = Path(dest)
    if not overwrite and dest.exists():
        raise FileExistsError(dest)
    tmp = dest.with_name(f".{dest.name}.{secrets.token_hex(6)}.part")
    fh = create_private(tmp) if private else open(tmp, "xb")  # noqa: SIM115
    try:
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if overwrite:
            os.replace(tmp, dest)
        else:
            # link() refuses to replace, closing the race between exists() and here.
            try:
                os.link(tmp, dest)
            except OSError as exc:
                if isinstance(exc, FileExistsError):
                    raise
                os.replace(tmp, dest)  # filesystems without hard links
            else:
                os.unlink(tmp)
        fsync_dir(dest.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
