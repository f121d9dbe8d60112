"""The tar inside a bundle, written and read as a stream.

Writing: every header block comes from ``tarfile.TarInfo.tobuf`` (POSIX pax format, so
long and Japanese file names are exact); the data follows and is padded to 512 bytes, and
the archive ends with two zero blocks padded to a 10 KiB record — the framing POSIX
defines and ``tarfile``'s own stream writer uses. We frame the data ourselves only because
evidence is *pushed* to us by the workspace, while ``TarFile.addfile`` wants to pull it.

Reading: ``TarPushReader`` takes the plaintext as the decryptor pushes it and has
``tarfile`` interpret every header (with a TarInfo subclass that refuses oversized pax /
GNU long-name headers before ``tarfile`` would read them into memory).
"""

from __future__ import annotations

import hashlib
import io
import tarfile
from typing import BinaryIO

from .bundle_format import MAX_EXTENDED_HEADER_BYTES
from .errors import UnsafeArchive as UnsafeArchiveError

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
    """Writes members to ``out`` in order; ``add_bytes`` returns the member's SHA-256."""

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
    """Writer for one member's data: refuses more than the size declared in its header.

    Data is passed on as it comes, without copying: the workspace already writes batches of
    about 1 MiB, and checks the content against its sealed SHA-256 itself
    (``Workspace.read_evidence``), so the member is not hashed again here."""

    def __init__(self, tar: TarWriter, name: str, size: int) -> None:
        self._tar = tar
        self.name = name
        self.size = size
        self.done = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        n = len(data)
        if self.done + n > self.size:
            raise MemberSizeMismatch(self.name, self.size, self.done + n)
        self.done += n
        self._tar._write(data)
        return n

    def flush(self) -> None:
        pass

    def finish(self) -> None:
        if self.done != self.size:
            raise MemberSizeMismatch(self.name, self.size, self.done)
        self._tar._pad(self.size)


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


# --- reading, pushed: the decryptor writes plaintext into TarPushReader ------------------

_ZERO_BLOCK = bytes(BLOCK)
_TYPEFLAG = 156     # the offset of a header's type flag (POSIX ustar)
# Type flags the framing looks at before tarfile does: extended headers, global headers, sparse
# files (each refused or gathered by _header).
_SPECIAL_FLAGS = frozenset(t for t in (*_EXTENDED, tarfile.XGLTYPE, tarfile.GNUTYPE_SPARSE))


class TarPushReader:
    """Reads a tar from data *pushed* into ``write`` (as ``pyrage.decrypt_io`` produces it),
    so decryption and reading run in one thread with no queue and no copies through
    ``tarfile``'s stream layers.

    Every header is still interpreted by ``tarfile``: a block's type and size by
    ``TarInfo.frombuf``, and the whole header group (pax or GNU long-name headers with the
    member header that follows them) by ``tarfile`` itself, reading just those bytes. Only
    the framing — 512-byte blocks, data padded to 512, zero blocks at the end — is followed
    here, as POSIX defines it (the writer above produces the same framing).

    ``handler.begin(tarinfo)`` returns a sink for the member's data (``write``, ``close``);
    it may raise UnsafeArchive. A malformed or unsafe archive is recorded in ``problem``
    and the rest of the data is discarded (decryption still runs to the end, so the stream
    is authenticated and the outer signature can be checked). Other exceptions (cancel,
    a full disk) are kept in ``error`` and re-raised, since pyrage wraps them.
    """

    def __init__(self, handler, *, max_extended: int = MAX_EXTENDED_HEADER_BYTES) -> None:
        self._handler = handler
        self._max_extended = max_extended
        self._block = bytearray()
        self._group_head: StrictTarInfo | None = None  # the first extended header of a group
        self._group = bytearray()       # the group's bytes after that header
        self._tf: tarfile.TarFile | None = None
        self._left = 0                  # bytes left in the current state
        self._sink = None
        self._name = ""
        self._pad = 0
        self._state = "header"
        self.pos = 0
        self.members = 0
        self.problem: str | None = None
        self.error: BaseException | None = None

    def writable(self) -> bool:
        return True

    def flush(self) -> None:
        pass

    def write(self, data) -> int:
        try:
            self._feed(memoryview(data))
        except BaseException as exc:
            self.error = exc
            raise
        return len(data)

    def close(self) -> None:
        """The stream ended: it must have ended with the end-of-archive blocks."""
        if self.problem is None and self._state != "end":
            what = f" inside member {self._name!r}" if self._state == "data" else ""
            self._fail(f"the archive is truncated{what} (no end-of-archive marker)")

    def _fail(self, problem: str) -> None:
        self.problem = problem
        self._state = "discard"
        if self._sink is not None:
            sink, self._sink = self._sink, None
            sink.close()

    def _feed(self, mv: memoryview) -> None:
        self.pos += len(mv)
        while mv:
            state = self._state
            if state == "data":
                k = min(len(mv), self._left)
                self._sink.write(mv[:k])
                self._left -= k
                mv = mv[k:]
                if not self._left:
                    self._end_member()
            elif state == "header":
                k = min(len(mv), BLOCK - len(self._block))
                self._block += mv[:k]
                mv = mv[k:]
                if len(self._block) == BLOCK:
                    block = bytes(self._block)
                    self._block.clear()
                    self._guarded(self._header, block)
            elif state == "extended":
                k = min(len(mv), self._left)
                self._group += mv[:k]
                self._left -= k
                mv = mv[k:]
                if not self._left:
                    self._state = "header"
            elif state == "pad":
                k = min(len(mv), self._left)
                self._left -= k
                mv = mv[k:]
                if not self._left:
                    self._state = "header"
            elif state == "end":
                if mv.tobytes().count(0) != len(mv):
                    self._fail("data after the end of the tar archive")
                return
            else:  # discard
                return

    def _guarded(self, fn, *args) -> None:
        try:
            fn(*args)
        except (UnsafeArchiveError, ArchiveLimit, tarfile.TarError, UnicodeError, ValueError) as exc:
            if isinstance(exc, tarfile.TarError):
                self._fail(f"not a valid tar archive ({exc})")
            else:
                self._fail(str(exc) or type(exc).__name__)

    def _header(self, block: bytes) -> None:
        if block == _ZERO_BLOCK:
            if self._group_head is not None:
                raise ArchiveLimit("an extended header is not followed by a member")
            self._state = "end"
            return
        if self._group_head is not None and block[_TYPEFLAG:_TYPEFLAG + 1] not in _SPECIAL_FLAGS:
            # The block after extended headers: tarfile reads the group from its first header on
            # (the pax or GNU records, then this block), as TarFile.next() would — this block is
            # interpreted once, by tarfile, not by us and again by a TarFile made for it.
            info = self._complete_group(block)
        else:
            head = StrictTarInfo.frombuf(block, "utf-8", "surrogateescape")
            if head.size < 0:  # a base-256 size field can be negative
                raise ArchiveLimit(f"a header with a negative size ({head.size})")
            if head.type == tarfile.XGLTYPE:
                raise UnsafeArchiveError("a global pax header (not used by this format)")
            if head.type in _EXTENDED:
                if head.size > self._max_extended or len(self._group) + head.size > 2 * self._max_extended:
                    raise ArchiveLimit(f"an extended header of {head.size} bytes (at most "
                                       f"{self._max_extended})")
                if self._group_head is None:
                    self._group_head = head
                else:
                    self._group += block
                self._left = -(-head.size // BLOCK) * BLOCK
                self._state = "extended" if self._left else "header"
                return
            if head.type == tarfile.GNUTYPE_SPARSE:
                raise UnsafeArchiveError(f"member {head.name[:120]!r} is a sparse file")
            if self._group_head is None and head.type in (tarfile.REGTYPE, tarfile.AREGTYPE) \
                    and "\\" not in head.name:
                # A lone ustar header of a regular file (no pax or GNU records before it): what
                # frombuf read is the whole member header; a TarFile per member costs ~5x as much
                # (50,000 small evidence files). "\\": tarfile would rewrite it on Windows.
                info = head
            else:
                with tarfile.open(fileobj=io.BytesIO(block), mode="r:", tarinfo=StrictTarInfo,
                                  encoding="utf-8", errors="surrogateescape") as tf:
                    info = tf.next()
                if info is None:
                    raise tarfile.ReadError("a header could not be read")
        if info.size < 0:  # also from a pax "size" record
            raise ArchiveLimit(f"member {info.name[:120]!r} has a negative size ({info.size})")
        self._name = info.name
        self._sink = self._handler.begin(info)
        self.members += 1
        size = info.size if info.type in (tarfile.REGTYPE, tarfile.AREGTYPE) else 0
        self._left = size
        self._pad = -size % BLOCK
        if size:
            self._state = "data"
        else:
            self._end_member()

    def _complete_group(self, block: bytes) -> tarfile.TarInfo:
        """The member header after extended headers: the first extended header (parsed when it
        came) processes the rest of the group as ``TarInfo.fromtarfile`` does inside
        ``TarFile.next()``, reading the records and the following headers from the bytes
        gathered since. One TarFile serves every group (only its input changes)."""
        head, rest = self._group_head, bytes(self._group) + block
        self._group_head, self._group = None, bytearray()
        if self._tf is None:
            self._tf = tarfile.TarFile(fileobj=io.BytesIO(_ZERO_BLOCK * 2), mode="r", tarinfo=StrictTarInfo,
                                       encoding="utf-8", errors="surrogateescape")
        tf = self._tf
        tf.fileobj, tf.offset, tf.pax_headers = io.BytesIO(rest), 0, {}
        try:
            return head._proc_member(tf)
        except tarfile.SubsequentHeaderError as exc:  # as TarFile.next() reports it
            raise tarfile.ReadError(str(exc)) from None

    def _end_member(self) -> None:
        sink, self._sink = self._sink, None
        sink.close()
        self._left = self._pad
        self._state = "pad" if self._pad else "header"
