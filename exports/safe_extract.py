"""Extracting a hostile archive: which names are acceptable, and a staging area that
appears in the destination only when everything checked out.

Names: a v1 member is one of the fixed top-level files or ``evidence/<ITEM>/<file>``.
Anything else is refused: absolute paths, ``..`` or ``.`` components, empty components,
backslashes, drive letters, NUL and control characters, names that are not valid UTF-8,
over-long names, and (on Windows) the characters and device names Windows reserves, which
would otherwise write alternate data streams or devices. Duplicates are refused
case-insensitively and after Unicode normalisation, because auditors use Windows and
macOS, whose file systems would merge such names.

Staging: members are written into a hidden folder *inside* the destination (so nothing
is ever written outside it), each file created exclusively (``O_EXCL | O_NOFOLLOW``) with
owner-only permissions. ``commit`` moves the staged entries up into the destination;
``discard`` removes the staging folder and, if ``open`` created the destination, the
destination too — the destination is left exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import unicodedata
from pathlib import Path

from .bundle_format import EVIDENCE_DIR, MAX_COMPONENT_BYTES, MAX_NAME_BYTES, TOP_LEVEL
from .errors import BundleError, UnsafeArchive

_DRIVE = re.compile(r"^[A-Za-z]:")
_WINDOWS_CHARS = set('<>:"|?*')
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                    *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10)),
                    "COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"}
STAGING_PREFIX = ".ccus-attest-opening-"


def check_member_name(name: str, *, windows: bool | None = None) -> tuple[str, ...]:
    """The path components of an acceptable member name; raises UnsafeArchive otherwise."""
    windows = os.name == "nt" if windows is None else windows
    shown = repr(name[:120])
    try:
        raw = name.encode("utf-8")
    except UnicodeEncodeError:
        raise UnsafeArchive(f"member name {shown} is not valid UTF-8") from None
    if not name:
        raise UnsafeArchive("a member has an empty name")
    if len(raw) > MAX_NAME_BYTES:
        raise UnsafeArchive(f"member name {shown} is longer than {MAX_NAME_BYTES} bytes")
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise UnsafeArchive(f"member name {shown} contains control characters")
    if "\\" in name:
        raise UnsafeArchive(f"member name {shown} contains a backslash")
    if name.startswith("/"):
        raise UnsafeArchive(f"member name {shown} is an absolute path")
    parts = tuple(name.split("/"))
    for part in parts:
        if part in ("", ".", ".."):
            raise UnsafeArchive(f"member name {shown} has a '{part or '//'}' component")
        if _DRIVE.match(part):
            raise UnsafeArchive(f"member name {shown} contains a drive letter")
        if len(part.encode("utf-8")) > MAX_COMPONENT_BYTES:
            raise UnsafeArchive(f"member name {shown} has a component longer than "
                                f"{MAX_COMPONENT_BYTES} bytes")
        if windows:
            if _WINDOWS_CHARS & set(part) or part[-1] in ". ":
                raise UnsafeArchive(f"member name {shown} cannot be written on Windows")
            if part.split(".")[0].upper().rstrip(" ") in _WINDOWS_DEVICES:
                raise UnsafeArchive(f"member name {shown} is a Windows device name")
    if len(parts) == 1 and name in TOP_LEVEL:
        return parts
    if len(parts) == 3 and parts[0] == EVIDENCE_DIR:
        return parts
    raise UnsafeArchive(f"unexpected member {shown} (not part of the v1 layout)")


def fold(name: str) -> str:
    """The key two names collide under on case-insensitive, normalising file systems."""
    return unicodedata.normalize("NFC", name).casefold()


class Staging:
    """A hidden folder inside ``dest`` that receives files until ``commit`` or ``discard``."""

    def __init__(self, dest: str | Path) -> None:
        self.dest = Path(dest).absolute()
        self._created_dest = False
        if self.dest.exists() or self.dest.is_symlink():
            if self.dest.is_symlink() or not self.dest.is_dir():
                raise BundleError(f"{self.dest} exists and is not a folder")
            if any(self.dest.iterdir()):
                raise BundleError(f"{self.dest} is not empty; open into a new or empty folder")
        else:
            if not self.dest.parent.is_dir():
                raise BundleError(f"folder {self.dest.parent} does not exist")
            try:
                self.dest.mkdir(mode=0o700)
            except OSError as exc:
                raise BundleError(f"cannot create {self.dest}: {exc.strerror or exc}") from None
            self._created_dest = True
        self.root = self.dest / f"{STAGING_PREFIX}{secrets.token_hex(6)}"
        try:
            self.root.mkdir(mode=0o700)
        except OSError as exc:
            self._remove_dest()
            raise BundleError(f"cannot write in {self.dest}: {exc.strerror or exc}") from None
        self._dirs: set[tuple[str, ...]] = set()

    def create(self, parts: tuple[str, ...]):
        """A new file for writing at ``parts`` (already checked by check_member_name)."""
        folder = self.root
        for i, part in enumerate(parts[:-1]):
            folder = folder / part
            if parts[: i + 1] not in self._dirs:
                folder.mkdir(mode=0o700, exist_ok=True)
                self._dirs.add(parts[: i + 1])
        path = folder / parts[-1]
        # Belt and braces: the checked name must stay inside the staging folder.
        if os.path.commonpath([str(self.root), os.path.abspath(path)]) != str(self.root):
            raise UnsafeArchive(f"member {'/'.join(parts)!r} would be written outside the folder")
        flags = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
                 | getattr(os, "O_BINARY", 0))
        try:
            fd = os.open(path, flags, 0o600)
        except FileExistsError:
            raise UnsafeArchive(f"member {'/'.join(parts)!r} appears twice") from None
        return os.fdopen(fd, "wb", buffering=1 << 20)

    def commit(self) -> None:
        """Move the staged entries into the destination and remove the staging folder."""
        names = sorted(os.listdir(self.root))
        for name in names:
            if (self.dest / name).exists():
                raise BundleError(f"{self.dest / name} appeared while opening; nothing was changed")
        moved: list[str] = []
        try:
            for name in names:
                os.rename(self.root / name, self.dest / name)
                moved.append(name)
            self.root.rmdir()
        except OSError as exc:
            for name in moved:  # put back what was moved, then clean up
                with contextlib.suppress(OSError):
                    os.rename(self.dest / name, self.root / name)
            self.discard()
            raise BundleError(f"cannot write in {self.dest}: {exc.strerror or exc}") from None

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        self._remove_dest()

    def _remove_dest(self) -> None:
        if self._created_dest:
            with contextlib.suppress(OSError):
                self.dest.rmdir()
