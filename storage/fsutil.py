"""Small filesystem helpers for crash-safe writes.

``atomic_write`` writes beside the destination and renames into place. A process killed
while writing (SIGKILL, power loss) cannot remove its temporary file, so the name is
recognisable and hidden: ``.<file name>.ccus-attest-<12 hex>.part`` (hidden by the dot on
Linux and macOS, by the hidden attribute on Windows). While it is being written, the
writer holds an exclusive lock on it (POSIX ``flock``; on Windows an open file cannot be
deleted), so the next ``atomic_write`` into the same folder can tell an abandoned file
from one that is still being written, and removes only the abandoned ones
(``sweep_stale_temps``). The lock goes away with the process that held it.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

TEMP_MARK = ".ccus-attest-"
_TEMP_NAME = re.compile(r"^\..+\.ccus-attest-[0-9a-f]{12}\.part$", re.DOTALL)

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


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


def temp_name(dest: Path) -> Path:
    """The temporary file ``atomic_write`` uses for ``dest`` (a fresh random name each call)."""
    return dest.with_name(f".{dest.name}{TEMP_MARK}{secrets.token_hex(6)}.part")


def is_temp_name(name: str) -> bool:
    return bool(_TEMP_NAME.match(name))


def _hide(path: Path) -> None:
    """Windows does not hide dot files; set the hidden attribute (best effort)."""
    if os.name != "nt":
        return
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.windll.kernel32.SetFileAttributesW(str(path), 0x2)  # FILE_ATTRIBUTE_HIDDEN


def _open_locked_temp(dest: Path, private: bool) -> tuple[Path, BinaryIO]:
    for _ in range(8):
        tmp = temp_name(dest)
        fh = create_private(tmp) if private else open(tmp, "xb")  # noqa: SIM115
        if fcntl is None:
            _hide(tmp)
            return tmp, fh
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        except OSError:
            # A file system without locks (some network shares): no sweeper can lock it
            # either, so nothing there is ever swept; write unlocked.
            return tmp, fh
        # A sweeper in another process may have taken the lock between our create and our
        # lock, found it free, and removed the file: then ours is a nameless inode.
        if os.fstat(fh.fileno()).st_nlink > 0:
            return tmp, fh
        fh.close()
    raise OSError(f"cannot create a temporary file beside {dest}")


def sweep_stale_temps(folder: Path) -> list[Path]:
    """Remove the temporary files of writes that were killed, in ``folder``; files still
    being written (locked by a live writer) are left alone. Never raises."""
    removed: list[Path] = []
    try:
        names = [e.name for e in os.scandir(folder) if e.is_file(follow_symlinks=False)
                 and is_temp_name(e.name)]
    except OSError:
        return removed
    for name in names:
        path = folder / name
        try:
            if fcntl is None:
                os.unlink(path)  # fails while another process has it open
            else:
                fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    os.unlink(path)  # still holding the lock: no writer can be using it
                finally:
                    os.close(fd)
        except OSError:
            continue
        removed.append(path)
    return removed


@contextlib.contextmanager
def atomic_write(dest: Path, *, overwrite: bool = False, private: bool = False) -> Iterator[BinaryIO]:
    """Write to a temporary file beside ``dest``; rename into place only on success.

    On any exception the temporary file is removed and ``dest`` is untouched. Temporary
    files that earlier, killed writers left in the folder are removed first.
    """
    dest = Path(dest)
    if not overwrite and dest.exists():
        raise FileExistsError(dest)
    sweep_stale_temps(dest.parent)
    tmp, fh = _open_locked_temp(dest, private)
    try:
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
            if fcntl is not None:
                _place(tmp, dest, overwrite)  # still holding the lock: a sweeper never sees it free
        if fcntl is None:
            _place(tmp, dest, overwrite)  # Windows renames only closed files
        fsync_dir(dest.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _place(tmp: Path, dest: Path, overwrite: bool) -> None:
    if overwrite:
        os.replace(tmp, dest)
        return
    # link() refuses to replace, closing the race between exists() and here.
    try:
        os.link(tmp, dest)
    except OSError as exc:
        if isinstance(exc, FileExistsError):
            raise
        os.replace(tmp, dest)  # filesystems without hard links
    else:
        os.unlink(tmp)
