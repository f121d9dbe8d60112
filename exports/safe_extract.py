"""Extracting a hostile archive: which names are acceptable, and a staging area that
appears in the destination only when everything checked out.

Names: a v1 member is one of the fixed top-level files or ``evidence/<ITEM>/<file>``.
Anything else is refused: absolute paths, ``..`` or ``.`` components, empty components,
backslashes, drive letters, NUL and control characters, names that are not valid UTF-8,
over-long names, characters that make a name display as another (bidi controls, zero-width
and other format characters), and — on every system, since the auditor may open the folder
on Windows — the characters, trailing dots and device names Windows reserves, which would
otherwise write alternate data streams or devices. Duplicates are refused
case-insensitively and after Unicode normalisation, because auditors use Windows and
macOS, whose file systems would merge such names.

Staging: members are written into a hidden folder *inside* the destination (so nothing
is ever written outside it), each file created exclusively (``O_EXCL | O_NOFOLLOW``) with
owner-only permissions. ``commit`` moves the staged entries up into the destination;
``discard`` removes the staging folder and, if ``open`` created the destination, the
destination too — the destination is left exactly as it was. A killed ``open`` cannot run
``discard``: what it leaves, and how the next ``open`` into the folder cleans it up, is
described at ``Staging`` (tests: tests/test_crash_points.py, the ``open`` scenario of
tests/test_crash_safety.py).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import unicodedata
from pathlib import Path

from questionnaire.safe_names import file_name_problem, text_problem
from questionnaire.safe_names import shown as shown_name
from storage.fsutil import fsync_dir

from .bundle_format import (
    ANSWERS,
    EVIDENCE_DIR,
    MANIFEST,
    MAX_COMPONENT_BYTES,
    MAX_NAME_BYTES,
    TEMPLATE,
    TOP_LEVEL,
)
from .errors import BundleError, UnsafeArchive

_DRIVE = re.compile(r"^[A-Za-z]:")
STAGING_PREFIX = ".ccus-attest-opening-"

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


def check_member_name(name: str, *, windows: bool = True) -> tuple[str, ...]:
    """The path components of an acceptable member name; raises UnsafeArchive otherwise.

    The Windows rules apply on every system (``windows=False`` only for tests of the other
    rules): a bundle verified on Linux is opened on the auditor's Windows PC too. Characters
    that make a name display as another (bidi controls, zero-width and other format
    characters, controls) are refused with the rule named (questionnaire/safe_names.py)."""
    shown = _Shown(name)
    try:
        raw = name.encode("utf-8")
    except UnicodeEncodeError:
        raise UnsafeArchive(f"member name {shown} is not valid UTF-8") from None
    if not name:
        raise UnsafeArchive("a member has an empty name")
    if len(raw) > MAX_NAME_BYTES:
        raise UnsafeArchive(f"member name {shown} is longer than {MAX_NAME_BYTES} bytes")
    if not name.isprintable():
        if any(ord(c) < 32 or ord(c) == 127 for c in name):
            raise UnsafeArchive(f"member name {shown} contains control characters (rule: control-character)")
        if (problem := text_problem(name)) is not None:
            raise UnsafeArchive(f"member name {shown}: {problem}")
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
        if windows and (problem := file_name_problem(part)) is not None:
            raise UnsafeArchive(f"member name {shown} cannot be written on Windows: {problem}")
    if len(parts) == 1 and name in TOP_LEVEL:
        return parts
    if len(parts) == 3 and parts[0] == EVIDENCE_DIR:
        return parts
    raise UnsafeArchive(f"unexpected member {shown} (not part of the v1 layout)")


class _Shown:
    """The name as an error message shows it (escaped), made only if a message needs it."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __format__(self, spec: str) -> str:
        return repr(shown_name(self._name))


def fold(name: str) -> str:
    """The key two names collide under on case-insensitive, normalising file systems."""
    return unicodedata.normalize("NFC", name).casefold()


class Staging:
    """A hidden folder inside ``dest`` that receives files until ``commit`` or ``discard``.

    When the opening process is killed (SIGKILL, a crash: no cleanup code runs):

    * While it works, the opener holds an exclusive lock on ``.lock`` inside its staging
      folder; the lock goes away with the process. A staging folder whose lock is free was
      abandoned.
    * ``commit`` first writes the list of entries it will move (``.commit``, fsynced), then
      moves them, evidence first and ``manifest.json`` last: a folder with
      ``manifest.json`` is complete, one without it is not an opened bundle (the desktop
      app keys on it).
    * The next ``Staging`` for the same ``dest`` (the user opening into it again) removes
      abandoned staging folders, and rolls an interrupted commit back (the entries listed
      in ``.commit`` that already reached ``dest``), so ``dest`` is as it was before.
    """

    LOCK = ".lock"
    JOURNAL = ".commit"

    def __init__(self, dest: str | Path) -> None:
        self.dest = Path(dest).absolute()
        self._created_dest = False
        if self.dest.exists() or self.dest.is_symlink():
            if self.dest.is_symlink() or not self.dest.is_dir():
                raise BundleError(f"{self.dest} exists and is not a folder",
                                  ja=f"{self.dest} はすでにあり、フォルダーではありません")
            recover_interrupted(self.dest)
            if any(self.dest.iterdir()):
                raise BundleError(f"{self.dest} is not empty; open into a new or empty folder",
                                  ja=f"{self.dest} は空ではありません。"
                                     "新しいフォルダーか空のフォルダーに展開してください")
        else:
            if not self.dest.parent.is_dir():
                raise BundleError(f"folder {self.dest.parent} does not exist",
                                  ja=f"フォルダー {self.dest.parent} はありません")
            try:
                self.dest.mkdir(mode=0o700)
            except OSError as exc:
                raise BundleError(f"cannot create {self.dest}: {exc.strerror or exc}") from None
            self._created_dest = True
        self.root = self.dest / f"{STAGING_PREFIX}{secrets.token_hex(6)}"
        self._lock_fd: int | None = None
        try:
            self.root.mkdir(mode=0o700)
            self._lock_fd = _lock(self.root / self.LOCK, create=True)
        except OSError as exc:
            shutil.rmtree(self.root, ignore_errors=True)
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
        names = commit_order(n for n in os.listdir(self.root) if n not in (self.LOCK, self.JOURNAL))
        for name in names:
            if (self.dest / name).exists():
                raise BundleError(f"{self.dest / name} appeared while opening; nothing was changed")
        moved: list[str] = []
        try:
            # No fsync of the extracted files (as tar and unzip): they are re-created from the
            # bundle, and the desktop app re-checks every hash before it reuses an opened
            # folder. The guarantee here is against a killed process, not a power cut.
            _write_journal(self.root / self.JOURNAL, names)
            for name in names:
                os.rename(self.root / name, self.dest / name)
                moved.append(name)
            self._release()
            shutil.rmtree(self.root)
            fsync_dir(self.dest)
        except OSError as exc:
            for name in moved:  # put back what was moved, then clean up
                with contextlib.suppress(OSError):
                    os.rename(self.dest / name, self.root / name)
            self.discard()
            raise BundleError(f"cannot write in {self.dest}: {exc.strerror or exc}") from None

    def discard(self) -> None:
        self._release()
        shutil.rmtree(self.root, ignore_errors=True)
        self._remove_dest()

    def _release(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing drops the lock
            self._lock_fd = None

    def _remove_dest(self) -> None:
        if self._created_dest:
            with contextlib.suppress(OSError):
                self.dest.rmdir()


def commit_order(names) -> list[str]:
    """The order ``commit`` moves entries in: evidence first, the documents the readers of an
    opened folder start from (answers.json, template.yaml) late, manifest.json last."""
    late = {EVIDENCE_DIR: -1, ANSWERS: 1, TEMPLATE: 2, MANIFEST: 3}
    return sorted(names, key=lambda n: (late.get(n, 0), n))


def _lock(path: Path, *, create: bool) -> int | None:
    """Open ``path`` and take an exclusive lock without waiting. Returns the descriptor
    (closing it releases the lock), or None when another live process holds it."""
    flags = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | (os.O_CREAT if create else 0)
    fd = os.open(path, flags, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # Windows: lock the first byte
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:
        os.close(fd)
        if create:
            raise
        return None
    return fd


def _write_journal(path: Path, names: list[str]) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(json.dumps(names, ensure_ascii=False).encode("utf-8"))
        fh.flush()
        os.fsync(fh.fileno())
    fsync_dir(path.parent)


def recover_interrupted(dest: Path) -> list[str]:
    """Clean up after an ``open`` into ``dest`` that was killed: remove abandoned staging
    folders (lock free), first rolling back an interrupted commit (one that finished, with
    manifest.json in place, is kept). Staging folders of an ``open`` still running are left
    alone. Returns what was done."""
    done: list[str] = []
    try:
        candidates = [e.name for e in os.scandir(dest)
                      if e.name.startswith(STAGING_PREFIX) and e.is_dir(follow_symlinks=False)]
    except OSError:
        return done
    for name in candidates:
        root = dest / name
        try:
            fd = _lock(root / Staging.LOCK, create=False)
        except FileNotFoundError:
            fd = -1  # killed before it created its lock: abandoned
        except OSError:
            continue
        if fd is None:
            continue  # a live open owns it
        try:
            journal = _journal(root / Staging.JOURNAL)
            finished = bool(journal) and journal[-1] == MANIFEST and (dest / MANIFEST).is_file() \
                and not (root / MANIFEST).exists()
            if not finished:
                # Undo in reverse order, manifest.json first: a partly undone folder never
                # looks complete, even if this is interrupted too.
                for moved in reversed(journal):
                    target = dest / moved
                    if target.is_symlink() or not target.exists():
                        continue
                    with contextlib.suppress(OSError):
                        if target.is_dir():
                            shutil.rmtree(target)
                        else:
                            target.unlink()
                    done.append(f"rolled back {moved}")
            shutil.rmtree(root, ignore_errors=True)
            done.append(f"removed {name}")
        finally:
            if fd >= 0:
                os.close(fd)
    return done


def _journal(path: Path) -> list[str]:
    """The entries an interrupted commit was moving; only plain v1 top-level names count."""
    try:
        with open(path, "rb") as fh:
            names = json.loads(fh.read(64 * 1024).decode("utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(names, list):
        return []
    allowed = TOP_LEVEL | {EVIDENCE_DIR}
    return [n for n in names if isinstance(n, str) and n in allowed]
