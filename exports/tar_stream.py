"""The tar inside a bundle, written and read as a stream.

Writing: every header block comes from ``tarfile.TarInfo.tobuf`` (POSIX pax format, so
long and Japanese file names are exact); the data follows and is padded to 512 bytes, and
the archive ends with two zero blocks padded to a 10 KiB record — the framing POSIX
defines and ``tarfile``'s own stream writer uses. We frame the data ourselves only because
evidence is *pushed* to us by the workspace, while ``TarFile.addfile`` wants to pull it.

Reading: ``tarfile`` in stream mode (``r|``), with a TarInfo subclass that refuses
oversized pax / GNU long-name headers before ``tarfile`` would read them into memory.
"""

from __future__ import annotations

import hashlib
import tarfile
from typing import BinaryIO

from .bundle_format import MAX_EXTENDED_HEADER_BYTES

BLOCK = tarfile.BLOCKSIZE
RECORD = tarfile.RECORDSIZE
_NUL = b"\0"


def member_header(name: str, size: int, mtime: int) -> bytes:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = mtime
    info.mode = 0o644
    info.type = tarfile.REGTYPE
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info.tobuf(tarfile.PAX_FORMAT, "utf-8", "strict")


class TarWriter:
    """Writes members to ``out`` in order; each member's SHA-256 is computed on the way."""

    def __init__(self, out: BinaryIO, mtime: int) -> None:
        self._out = out
        self._mtime = mtime
        self.offset = 0

    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self.offset += len(data)

    def add_bytes(self, name: str, data: bytes) -> str:
        self._write(member_header(name, len(data), self._mtime))
        self._write(data)
        self._pad(len(data))
        return hashlib.sha256(data).hexdigest()

    def begin(self, name: str, size: int) -> MemberWriter:
        self._write(member_header(name, size, self._mtime))
        return MemberWriter(self, name, size)

    def _pad(self, size: int) -> None:
        if size % BLOCK:
            self._write(_NUL * (BLOCK - size % BLOCK))

    def close(self) -> None:
        self._write(_NUL * (2 * BLOCK))
        if self.offset % RECORD:
            self._write(_NUL * (RECORD - self.offset % RECORD))


class MemberWriter:
    """Writer for one member's data: refuses more than the size declared in its header."""

    def __init__(self, tar: TarWriter, name: str, size: int) -> None:
        self._tar = tar
        self.name = name
        self.size = size
        self.done = 0
        self.sha256 = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        n = len(data)
        if self.done + n > self.size:
            raise MemberSizeMismatch(self.name, self.size, self.done + n)
        self.sha256.update(data)
        self._tar._write(data)
        self.done += n
        return n

    def flush(self) -> None:
        pass

    def finish(self) -> str:
        if self.done != self.size:
            raise MemberSizeMismatch(self.name, self.size, self.done)
        self._tar._pad(self.size)
        return self.sha256.hexdigest()


class MemberSizeMismatch(Exception):
    def __init__(self, name: str, declared: int, actual: int) -> None:
        self.name = name
        super().__init__(f"{name}: the workspace recorded {declared} bytes but {actual} were read")


class ArchiveLimit(Exception):
    """A header in the archive asks for more than the v1 limits allow."""


_EXTENDED = (tarfile.XHDTYPE, tarfile.XGLTYPE, tarfile.SOLARIS_XHDTYPE, tarfile.GNUTYPE_LONGNAME,
             tarfile.GNUTYPE_LONGLINK)


class StrictTarInfo(tarfile.TarInfo):
    """Refuses extended headers larger than MAX_EXTENDED_HEADER_BYTES (tarfile would read
    them whole into memory). ``_proc_member`` is tarfile's documented extension point."""

    def _proc_member(self, tarfile_):
        if self.type in _EXTENDED and self.size > MAX_EXTENDED_HEADER_BYTES:
            raise ArchiveLimit(f"an extended header of {self.size} bytes (at most "
                               f"{MAX_EXTENDED_HEADER_BYTES})")
        return super()._proc_member(tarfile_)
