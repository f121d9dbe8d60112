"""Encrypted, content-addressed evidence store.

Each file is encrypted in the age format (X25519 + ChaCha20-Poly1305 STREAM,
through pyrage) to the workspace's own age identity, which is kept sealed in the
database. age authenticates every 64 KiB chunk and the end of the stream, and
pyrage streams from reader to writer, so memory stays flat for multi-GB files.

A blob is named by an HMAC of its plaintext under a workspace key: the same file
attached twice is stored once, yet the name reveals nothing to someone who holds
a copy of the file but not the key. Reading a blob re-computes the HMAC (or, for a
workspace's evidence, the SHA-256 sealed in its record), so a blob swapped for another
one of the same workspace is detected too.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyrage

from . import faults
from .crypto import Keys
from .errors import CorruptData
from .fsutil import create_private, fsync_dir
from .progress import CancelFn, Meter, MeteredReader, ProgressFn, raise_if_interrupted

BLOB_SUFFIX = ".age"
# pyrage reads its input 8 KiB at a time; a 1 MiB buffer turns those reads into one system
# call (and one release of the GIL) per MiB instead of 128.
READ_BUFFER = 1 << 20


_HEX = frozenset("0123456789abcdef")


def is_blob_id(name: object) -> bool:
    """A blob's name: 64 lowercase hex digits (an HMAC of the content)."""
    return isinstance(name, str) and len(name) == 64 and _HEX.issuperset(name)


@dataclass(frozen=True, slots=True)
class StoredBlob:
    blob_id: str
    size: int
    sha256: str | None   # None from put_staged (the caller checked the content)


class _Sink:
    """Writer handed to pyrage: hashes the plaintext, counts it and forwards it.

    pyrage writes 8 KiB at a time. The pieces are gathered into batches of about 1 MiB
    (joined once, no other copy) before they are hashed and forwarded: hashing then runs in
    few long calls that release the GIL — an export encrypts in another thread meanwhile —
    and the writer downstream sees few, large writes."""

    BATCH = 1 << 20

    def __init__(self, out, meter: Meter, digest, limit: int | None = None) -> None:
        self._out = out
        self._meter = meter
        self._digest = digest
        self._limit = limit
        self._pieces: list[bytes] = []
        self._pending = 0
        self.error: BaseException | None = None

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        try:
            n = len(data)
            if self._limit is not None and self._meter.done + n > self._limit:
                raise _TooLarge()
            # pyrage hands over a fresh bytes object each time: keeping it is safe.
            self._pieces.append(data if isinstance(data, bytes) else bytes(data))
            self._pending += n
            if self._pending >= self.BATCH:
                self._drain()
            self._meter.add(n)
        except BaseException as exc:
            self.error = exc
            raise
        return n

    def _drain(self) -> None:
        chunk = self._pieces[0] if len(self._pieces) == 1 else b"".join(self._pieces)
        self._pieces.clear()
        self._pending = 0
        self._digest.update(chunk)
        if self._out is not None:
            self._out.write(chunk)

    def finish(self) -> None:
        """Hash and forward the last batch (after pyrage authenticated the end of the stream)."""
        try:
            if self._pieces:
                self._drain()
        except BaseException as exc:
            self.error = exc
            raise

    def flush(self) -> None:
        pass


class _TooLarge(Exception):
    pass


class _CapturingWriter:
    """The file pyrage writes the ciphertext into. pyrage turns what a writer raises into its
    own error carrying only the text ("EncryptError: OSError: [Errno 28] ..."); the original is
    kept here so a full disk is reported as one, not as an encryption failure."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self.error: BaseException | None = None

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        try:
            return self._out.write(data)
        except BaseException as exc:
            self.error = exc
            raise

    def flush(self) -> None:
        self._out.flush()


class BlobStore:
    def __init__(self, root: Path, keys: Keys, identity_str: str) -> None:
        self.root = root
        self._keys = keys
        self._identity = pyrage.x25519.Identity.from_str(identity_str)
        self._recipient = self._identity.to_public()
        self._unsynced: list[Path] = []  # blobs put with durable=False, until sync_all()
        self._staged_dirs: set[Path] = set()  # folders put_staged made (or found) already

    @staticmethod
    def new_identity() -> str:
        return str(pyrage.x25519.Identity.generate())

    @property
    def tmp_dir(self) -> Path:
        return self.root / "tmp"

    def path_of(self, blob_id: str) -> Path:
        if not is_blob_id(blob_id):
            raise CorruptData(f"blob name {blob_id!r}")
        return self.root / blob_id[:2] / (blob_id + BLOB_SUFFIX)

    def exists(self, blob_id: str) -> bool:
        return self.path_of(blob_id).is_file()

    def put(self, source: BinaryIO, total: int = 0, progress: ProgressFn | None = None,
            cancel: CancelFn | None = None, *, durable: bool = True) -> StoredBlob:
        """Encrypt ``source`` into the store; atomic: the blob appears complete or not at all.

        An error reading ``source`` is raised as it is (an OSError); one writing the store (a
        full disk, a read-only or vanished drive) as a MachineFault about the workspace folder.
        ``durable=False`` leaves the flush to disk to one ``sync_all()`` later: for a store that
        nobody can see yet (a workspace built in its staging folder), where thousands of
        fsyncs would cost seconds and buy nothing."""
        tmp = self.tmp_dir / f"{secrets.token_hex(16)}.part"
        mac, sha = self._keys.blob_mac(), hashlib.sha256()
        meter = Meter(total, progress, cancel)
        reader = MeteredReader(source, meter, (mac, sha))
        try:
            self.tmp_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            with create_private(tmp) as fh:
                out = _CapturingWriter(fh)
                try:
                    pyrage.encrypt_io(reader, out, [self._recipient])
                except pyrage.EncryptError as exc:
                    if reader.error is not None:
                        raise reader.error from None
                    if out.error is not None:
                        raise out.error from None
                    raise_if_interrupted(exc)
                    raise
                fh.flush()
                if durable:
                    os.fsync(fh.fileno())
            meter.tick()  # last chance to cancel before the blob becomes visible
            blob_id = mac.hexdigest()
            final = self.path_of(blob_id)
            final.parent.mkdir(mode=0o700, exist_ok=True)
            # Replacing an existing blob with a fresh encryption of the same content is
            # harmless and heals a damaged copy.
            os.replace(tmp, final)
            if durable:
                fsync_dir(final.parent)
            else:
                self._unsynced.append(final)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            if isinstance(exc, OSError) and exc is not reader.error:
                fault = faults.translate(exc, self.root.parent, None)
                if fault is not None:
                    raise fault from None
            raise
        return StoredBlob(blob_id, meter.done, sha.hexdigest())

    def put_staged(self, data: bytes) -> StoredBlob:
        """Encrypt ``data`` (already in memory, already checked by the caller) into a store that
        nobody can see yet — a workspace being built in its staging folder, which appears
        complete or not at all (``Workspace.create``): the blob is written under its final name
        at once, without a temporary file, a rename or an fsync (``sync_all()`` later), and the
        SHA-256 is not computed again (``StoredBlob.sha256`` is None: the caller checked the
        content). The encryption and the name are ``put``'s: age to this store's identity, the
        HMAC of the content under the workspace key."""
        mac = self._keys.blob_mac()
        mac.update(data)
        blob_id = mac.hexdigest()
        final = self.path_of(blob_id)
        created = False
        try:
            if final.parent not in self._staged_dirs:
                final.parent.mkdir(mode=0o700, exist_ok=True)
                self._staged_dirs.add(final.parent)
            encrypted = pyrage.encrypt(data, [self._recipient])
            try:
                fh = create_private(final)
            except FileExistsError:  # the same content twice: one blob, as put() would leave it
                return StoredBlob(blob_id, len(data), None)
            created = True
            with fh:
                fh.write(encrypted)
            self._unsynced.append(final)
        except OSError as exc:
            if created:
                with contextlib.suppress(OSError):
                    final.unlink()
            fault = faults.translate(exc, self.root.parent, None)
            if fault is not None:
                raise fault from None
            raise
        return StoredBlob(blob_id, len(data), None)

    def sync_all(self) -> None:
        """Make every blob put with ``durable=False`` durable, with its folder entry."""
        if not self._unsynced:
            return
        if sys.platform.startswith("linux"):
            os.sync()  # one call, waits for the writes (Linux); per-file fsync costs ~5 ms each
        else:
            for path in self._unsynced:
                fd = os.open(path, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
            for folder in {p.parent for p in self._unsynced}:
                fsync_dir(folder)
        fsync_dir(self.root)
        self._unsynced.clear()

    def read(self, blob_id: str, out, *, name: str = "", progress: ProgressFn | None = None,
             cancel: CancelFn | None = None, total: int = 0, limit: int | None = None,
             sha256: str | None = None) -> int:
        """Decrypt a blob into the writer ``out`` (or only verify it when ``out`` is None).

        The content is checked against the blob's name (its HMAC under the workspace key),
        or, when ``sha256`` is given, against that SHA-256 instead (see
        ``Workspace.read_evidence``): one hash over the content either way.
        Raises CorruptData naming ``name`` when the blob is missing, damaged or not the
        blob it claims to be. Returns the plaintext size.
        """
        what = f"evidence file {name!r}" if name else f"blob {blob_id[:12]}"
        path = self.path_of(blob_id)
        digest = self._keys.blob_mac() if sha256 is None else hashlib.sha256()
        meter = Meter(total, progress, cancel)
        sink = _Sink(out, meter, digest, limit)
        try:
            fh = open(path, "rb", buffering=READ_BUFFER)  # noqa: SIM115 - closed below
        except FileNotFoundError:
            self._raise_if_drive_failed(path)  # the whole folder gone is not a missing file
            raise CorruptData(what, "the encrypted file is missing") from None
        except OSError as exc:
            fault = faults.translate(exc, self.root.parent, faults.read_action(), writing=False)
            if fault is not None:
                raise fault from None
            raise CorruptData(what, f"cannot be read ({exc.strerror})") from None
        with fh:
            try:
                pyrage.decrypt_io(fh, sink, [self._identity])
            except (pyrage.DecryptError, OSError) as exc:
                # age reports a failed chunk as an I/O error from inside its stream reader
                if sink.error is not None:  # our writer failed (cancel, disk full), not decryption
                    raise sink.error from None
                raise_if_interrupted(exc)
                self._raise_if_drive_failed(path)
                raise CorruptData(what, f"decryption failed ({exc})") from None
        sink.finish()
        if sha256 is None:
            if not hmac.compare_digest(digest.hexdigest(), blob_id):
                raise CorruptData(what, "content does not match its name")
        elif not (isinstance(sha256, str) and sha256.isascii()
                  and hmac.compare_digest(digest.hexdigest(), sha256)):
            raise CorruptData(what, "content does not match the SHA-256 recorded when it was attached")
        meter.tick()
        return meter.done

    def _raise_if_drive_failed(self, path: Path) -> None:
        """Before calling a blob damaged: read it again; an I/O error (a drive that went away,
        a failing sector) is the machine's fault, said as such. Only on the error path."""
        try:
            with open(path, "rb") as fh:
                while fh.read(READ_BUFFER):
                    pass
        except OSError as exc:
            fault = faults.translate(exc, self.root.parent, faults.read_action(), writing=False)
            if fault is not None and fault.kind is faults.FaultKind.DEVICE:
                raise fault from None

    def read_bytes(self, blob_id: str, *, name: str = "", limit: int) -> bytes:
        import io

        buf = io.BytesIO()
        try:
            self.read(blob_id, buf, name=name, limit=limit)
        except _TooLarge:
            raise ValueError(f"{name or blob_id} is larger than {limit} bytes") from None
        return buf.getvalue()

    def delete(self, blob_id: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path_of(blob_id).unlink()

    def blob_ids(self) -> Iterator[str]:
        """Every complete blob on disk (temporary files excluded)."""
        if not self.root.is_dir():
            return
        for sub in self.root.iterdir():
            if len(sub.name) == 2 and sub.is_dir():
                for f in sub.iterdir():
                    name = f.name[: -len(BLOB_SUFFIX)]
                    # Anything else in blobs/ is not ours to collect or delete (``check``
                    # reports it); one stray file must not stop backups or garbage collection.
                    if f.name.endswith(BLOB_SUFFIX) and is_blob_id(name) and name[:2] == sub.name:
                        yield name

    def clear_temporary(self) -> int:
        """Remove leftovers of interrupted writes; returns how many were removed."""
        removed = 0
        if self.tmp_dir.is_dir():
            for f in self.tmp_dir.iterdir():
                with contextlib.suppress(OSError):
                    f.unlink()
                    removed += 1
        return removed
