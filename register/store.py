"""The bundle store: bundle files exactly as received, named by their SHA-256.

``<store>/<first two hex digits>/<sha256>.zip``. The files stay age-encrypted (the register
holds no decrypted evidence); they are opened on demand with the auditor's identity. For a
team the store is a shared folder whose path is written in the register.

A bundle is first copied into ``<store>/incoming`` while it is hashed, the copy is what gets
verified (so the file stored is byte for byte the one that verified), and it is moved into
place only after the database transaction that records it has committed. Content addressing
makes a move that races another auditor's harmless: the same name means the same bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from storage.fsutil import fsync_dir

from .errors import RegisterError

_CHUNK = 1 << 20
SUFFIX = ".zip"


@dataclass(frozen=True)
class Staged:
    path: Path      # the verified copy, in <store>/incoming
    sha256: str
    size: int


class BundleStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path_of(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise RegisterError(f"not a SHA-256: {sha256[:80]!r}")
        return self.root / sha256[:2] / f"{sha256}{SUFFIX}"

    def has(self, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    def check_writable(self) -> None:
        try:
            (self.root / "incoming").mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RegisterError(f"cannot use the bundle store {self.root}: {exc.strerror or exc}",
                                ja=f"バンドル保管場所 {self.root} を使えません"
                                   f"（{exc.strerror or exc}）") from None

    def stage(self, source: str | Path) -> Staged:
        """Copy ``source`` into the store's incoming folder, hashing it on the way."""
        self.check_writable()
        tmp = self.root / "incoming" / f".{secrets.token_hex(8)}.part"
        digest, size = hashlib.sha256(), 0
        try:
            with open(source, "rb") as src, open(tmp, "xb") as out:
                while chunk := src.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise
        return Staged(tmp, digest.hexdigest(), size)

    def commit(self, staged: Staged) -> Path:
        """Move a staged copy to its place (a copy already there is the same content)."""
        dest = self.path_of(staged.sha256)
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(staged.path, dest)
        except FileExistsError:
            pass
        except OSError:
            os.replace(staged.path, dest)  # file systems without hard links
        self.discard(staged)
        fsync_dir(dest.parent)
        return dest

    @staticmethod
    def discard(staged: Staged) -> None:
        with contextlib.suppress(FileNotFoundError):
            staged.path.unlink()
