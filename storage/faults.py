"""Faults of the user's machine — a full disk, read-only media, a drive that went away, a file
too large for the drive — as sentences a compliance officer understands, in Japanese and English.

One mapping for the whole app: ``classify`` turns an ``OSError`` (errno, or the Windows error
code) or a SQLite error (result code) into one of four kinds; ``MachineFault`` is the error
the core raises for it, naming the folder, what was not saved (an ``Action``) and what to do.
The CLI prints ``message(lang)`` as its one stderr line and exits with ``exit_code``; the
desktop shows the same sentences in a dialog in the UI language. Qt-free.

SQLite does not always say "disk full": a full disk while the shared-memory file of a WAL
database grows is reported as an I/O error (SQLITE_IOERR_SHMSIZE), and a folder that vanished
as "cannot open". An I/O error is therefore refined by looking at the folder (``_probe``):
gone → the drive went away; almost no free space → no space; not writable → read-only.

``ensure_space`` is the check made before long work (open, attach, export, backup, restore,
passphrase change, opening a bundle): it refuses up front, with the numbers, instead of
failing at 90 %. ``writable`` tells whether a folder can be written (read-only media open
read-only).
"""

from __future__ import annotations

import contextlib
import errno
import math
import os
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from .errors import WorkspaceError


class FaultKind(StrEnum):
    NO_SPACE = "no-space"      # ENOSPC, EDQUOT, SQLITE_FULL
    READ_ONLY = "read-only"    # EROFS, EACCES, EPERM, SQLITE_READONLY, SQLITE_PERM
    DEVICE = "device"          # EIO, ENODEV, ENXIO, ESTALE, ENOTCONN, SQLITE_IOERR, a vanished folder
    TOO_LARGE = "too-large"    # EFBIG


# Exit codes of the CLI, from BSD sysexits.h (the CLI already uses 70 = EX_SOFTWARE):
# scripts can tell "free space and retry" from "choose another place" from "reconnect".
EXIT_CODES = {
    FaultKind.NO_SPACE: 75,    # EX_TEMPFAIL: free space, then the same command works
    FaultKind.READ_ONLY: 77,   # EX_NOPERM: cannot write there
    FaultKind.DEVICE: 74,      # EX_IOERR: the drive failed or went away
    FaultKind.TOO_LARGE: 73,   # EX_CANTCREAT: a file that large cannot be created there
}

MiB = 1024 * 1024
# The smallest margin a space check adds (and the least it asks to free when a write failed
# without an estimate): a transaction's WAL frames, a few new blob folders, file-system metadata.
MIN_MARGIN = 1 * MiB
# Below this much free space an ambiguous SQLite I/O error is taken to be a full disk.
LOW_SPACE = 1 * MiB

_NO_SPACE_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", -1)}
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}
_DEVICE_ERRNOS = {errno.EIO, errno.ENODEV, errno.ENXIO, getattr(errno, "ESTALE", -1),
                  getattr(errno, "ENOTCONN", -1), getattr(errno, "ENOMEDIUM", -1),
                  getattr(errno, "EREMOTEIO", -1)}
# Windows error codes (OSError.winerror) that Python does not map to the errnos above.
_WINERRORS = {
    112: FaultKind.NO_SPACE, 39: FaultKind.NO_SPACE,       # DISK_FULL, HANDLE_DISK_FULL
    1295: FaultKind.NO_SPACE,                              # DISK_QUOTA_EXCEEDED
    19: FaultKind.READ_ONLY,                               # WRITE_PROTECT
    21: FaultKind.DEVICE, 55: FaultKind.DEVICE,            # NOT_READY, DEV_NOT_EXIST
    64: FaultKind.DEVICE, 59: FaultKind.DEVICE,            # NETNAME_DELETED, UNEXP_NET_ERR
    1167: FaultKind.DEVICE, 483: FaultKind.DEVICE,         # DEVICE_NOT_CONNECTED, DEVICE_HARDWARE_ERROR
    223: FaultKind.TOO_LARGE,                              # FILE_TOO_LARGE
}

# SQLite primary result codes (the low byte of an extended code).
_SQLITE_PERM, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CORRUPT = 3, 8, 10, 11
_SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 13, 14, 26
_SQLITE_READONLY_DBMOVED = 8 | (4 << 8)  # the database file was moved or deleted while open


# --- what was not saved ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Action:
    """What the failed operation was, said as what did *not* happen and what still holds."""

    key: str
    ja: str
    en: str

    def text(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en


def _name(path: object) -> str:
    return Path(str(path)).name or str(path)


_INTACT = ("それまでに保存した内容はそのままです。", "everything saved before is intact.")
_UNCHANGED = ("ワークスペースは変わっていません。", "the workspace is unchanged.")


def _saved(key: str, ja: str, en: str, tail: tuple[str, str] = _INTACT) -> Action:
    return Action(key, ja + tail[0], f"{en}; {tail[1]}")


def answer_action(item_id: str) -> Action:
    return _saved("answer", f"{item_id} の回答は保存されていません。",
                  f"The answer to {item_id} was not saved")


def answers_action(count: int | None = None) -> Action:
    if count is None:
        return _saved("answers", "取り込む回答はどれも保存されていません。",
                      "None of the imported answers was saved")
    return _saved("answers", f"{count} 件の回答はどれも保存されていません。",
                  f"None of the {count} answers was saved")


def attach_action(filename: str, item_id: str) -> Action:
    return _saved("attach", f"証跡「{filename}」は {item_id} に添付されていません。",
                  f"The evidence file '{filename}' was not attached to {item_id}")


def evidence_change_action() -> Action:
    return _saved("evidence", "証跡の変更は保存されていません。", "The change to the evidence was not saved")


def vendor_action() -> Action:
    return _saved("vendor", "提出者名は保存されていません。", "The vendor name was not saved")


def review_action() -> Action:
    return _saved("review", "レビューの取り込みは保存されていません。", "The imported review was not saved")


def change_action() -> Action:
    return _saved("change", "この変更は保存されていません。", "This change was not saved")


def passphrase_action() -> Action:
    return Action("passphrase", "パスフレーズは変更されていません。これまでのパスフレーズで開けます。",
                  "The passphrase was not changed; the current passphrase still opens the workspace.")


def open_action() -> Action:
    return Action("open", "ワークスペースは開かれていません。何も変更されていません。",
                  "The workspace was not opened; nothing was changed.")


def read_action() -> Action:
    return Action("read", "何も変更されていません。", "Nothing was changed.")


def check_action() -> Action:
    return Action("check", "検査は終わっていません。何も変更されていません。",
                  "The check did not finish; nothing was changed.")


def repair_action() -> Action:
    return Action("repair", "修復は行われていません。ワークスペースはそのままです。",
                  "Nothing was repaired; the workspace is as it was.")


def backup_action() -> Action:
    return Action("backup", "自動バックアップは作成されていません（変更そのものは保存されています）。",
                  "The automatic backup was not made (your changes themselves are saved).")


def backup_rekey_action() -> Action:
    return Action("backup-rekey",
                  "パスフレーズは変更されましたが、保存済みのバックアップはまだ前のパスフレーズで"
                  "開く状態です（次に十分な空きがある状態でワークスペースを開くと更新されます）。",
                  "The passphrase was changed, but the kept backups still open with the previous "
                  "passphrase (they are updated the next time the workspace is opened with enough "
                  "free space).")


def restore_action(backup: str) -> Action:
    return Action("restore", f"バックアップ {backup} は復元されていません。ワークスペースは元のままです。",
                  f"Backup {backup} was not restored; the workspace is as it was.")


def export_action(path: object) -> Action:
    return _saved("export", f"提出バンドル {_name(path)} は書き出されていません。",
                  f"The bundle {_name(path)} was not written", _UNCHANGED)


def export_log_action(path: object) -> Action:
    return Action("export-log",
                  f"提出バンドル {_name(path)} は書き出されていません。提出バンドルの書き出しは"
                  "ワークスペースの操作履歴に記録する必要がありますが、ここでは記録できません。",
                  f"The bundle {_name(path)} was not written: a bundle must be recorded in the "
                  "workspace's activity log, which cannot be written here.")


def document_action(kind: str, path: object) -> Action:
    ja = {"checklist": "チェックリスト", "report": "報告書"}.get(kind, "ファイル")
    en = {"checklist": "checklist", "report": "report"}.get(kind, "file")
    return _saved(kind, f"{ja} {_name(path)} は書き出されていません。",
                  f"The {en} {_name(path)} was not written", _UNCHANGED)


def copy_action(path: object) -> Action:
    return _saved("copy", f"復号したコピー {_name(path)} は保存されていません。",
                  f"The decrypted copy {_name(path)} was not saved", _UNCHANGED)


def open_bundle_action(dest: object) -> Action:
    return Action("open-bundle",
                  f"提出バンドルは {dest} に開かれていません。途中までのファイルは残していません。",
                  f"The bundle was not opened into {dest}; no partial files were left there.")


def create_action(path: object) -> Action:
    return Action("create", f"ワークスペース {path} は作成されていません。",
                  f"The workspace {path} was not created.")


def keys_action(prefix: object) -> Action:
    return Action("keys", f"鍵ファイル {_name(prefix)} は作成されていません。",
                  f"The key files {_name(prefix)} were not created.")


# --- sizes ----------------------------------------------------------------------------------


def format_size(n: int, *, up: bool = True) -> str:
    """A size as people read it on Windows and macOS (binary units, "MB"); rounded up for
    what is needed, down for what is free (``up=False``)."""
    rnd = math.ceil if up else math.floor
    for unit, size in (("GB", 1024**3), ("MB", MiB)):
        if n >= size:
            return f"{rnd(n / size * 10) / 10:.1f} {unit}"
    return f"{max(1, rnd(n / 1024)) if n else 0} KB"


def size_numbers(need: int, free: int) -> tuple[str, str, str]:
    """Needed, free and to free, in one unit chosen by the need, so that the three shown add up
    (needed rounded up, free rounded down, to free their difference)."""
    name, unit = next(((n, u) for n, u in (("GB", 1024**3), ("MB", MiB)) if need >= u), ("KB", 1024))
    steps = 1 if name == "KB" else 10  # whole KB, tenths of MB and GB
    need_u = math.ceil(need / unit * steps)
    free_u = min(math.floor(free / unit * steps), need_u)
    short_u = max(need_u - free_u, 1)
    shown = [f"{v // steps} {name}" if steps == 1 else f"{v / steps:.1f} {name}"
             for v in (need_u, free_u, short_u)]
    return shown[0], shown[1], shown[2]


def margin(need: int) -> int:
    """Room kept on top of an estimate: 5 %, at least ``MIN_MARGIN``."""
    return max(MIN_MARGIN, need // 20)


# --- the error -------------------------------------------------------------------------------


_TITLES = {
    FaultKind.NO_SPACE: ("空き容量が足りません", "Not enough disk space"),
    FaultKind.READ_ONLY: ("書き込めません", "Cannot write here"),
    FaultKind.DEVICE: ("ドライブにアクセスできません", "The drive is not responding"),
    FaultKind.TOO_LARGE: ("ファイルが大きすぎます", "File too large for this drive"),
}


class MachineFault(WorkspaceError):
    """The machine refused a write or a read. ``str()`` is the English message."""

    def __init__(self, kind: FaultKind, folder: str | os.PathLike | None, action: Action | None = None, *,
                 need: int | None = None, free: int | None = None, quota: bool = False,
                 read_only_workspace: bool = False, cause: str = "") -> None:
        self.kind = FaultKind(kind)
        self.folder = Path(folder) if folder is not None else None
        self.action = action
        self.need = need
        self.free = free
        self.quota = quota
        self.read_only_workspace = read_only_workspace
        self.cause = cause
        super().__init__(self.message("en"))

    def __reduce__(self):  # picklable (results cross process boundaries in tests and tools)
        return (_rebuild, (self.kind, self.folder, self.action, self.need, self.free, self.quota,
                           self.read_only_workspace, self.cause))

    def doing(self, action: Action) -> MachineFault:
        """The same fault, saying ``action`` was not saved (the caller knows it better)."""
        return MachineFault(self.kind, self.folder, action, need=self.need, free=self.free,
                            quota=self.quota, read_only_workspace=self.read_only_workspace, cause=self.cause)

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.kind]

    def title(self, lang: str) -> str:
        if self.read_only_workspace:
            return "読み取り専用のワークスペース" if lang == "ja" else "Read-only workspace"
        ja, en = _TITLES[self.kind]
        return ja if lang == "ja" else en

    def _variant(self) -> str:
        if self.kind is FaultKind.NO_SPACE and self.quota:
            return "quota"
        if self.kind is FaultKind.READ_ONLY and self.read_only_workspace:
            return "workspace"
        return ""

    def problem(self, lang: str) -> str:
        """What happened, naming the folder."""
        ja, en = _PROBLEMS[(self.kind, self._variant())]
        here = "この場所" if lang == "ja" else "this place"
        folder = str(self.folder) if self.folder is not None else here
        return (ja if lang == "ja" else en).format(folder=folder)

    def next_step(self, lang: str) -> str:
        """What to do now, with the numbers when there are some."""
        key = (self.kind, self._variant())
        if self.kind is FaultKind.NO_SPACE:
            if self.need is not None and self.free is not None:
                key = (self.kind, "numbers")
            else:
                key = (self.kind, "")
        ja, en = _NEXT_STEPS[key]
        need, free, short = size_numbers(self.need or MIN_MARGIN, self.free or 0)
        return (ja if lang == "ja" else en).format(need=need, free=free, short=short)

    def message(self, lang: str = "en") -> str:
        """Everything in one paragraph (the CLI's stderr line)."""
        parts = [self.problem(lang), self.action.text(lang) if self.action else "", self.next_step(lang)]
        return ("" if lang == "ja" else " ").join(p for p in parts if p)


# (kind, variant) -> (Japanese, English); {folder}, {need}, {free}, {short} are filled in.
_PROBLEMS = {
    (FaultKind.NO_SPACE, ""): (
        "{folder} があるドライブの空き容量が足りません。",
        "There is not enough free space on the drive holding {folder}."),
    (FaultKind.NO_SPACE, "quota"): (
        "{folder} があるドライブで、使用できる容量（クォータ）の上限に達しました。",
        "Your storage quota on the drive holding {folder} is used up."),
    (FaultKind.READ_ONLY, ""): (
        "{folder} に書き込めません。読み取り専用のドライブ（CD、書き込み禁止の USB メモリや"
        "共有フォルダーなど）にあるか、そのフォルダーを変更する権限がありません。",
        "CCUS Attest cannot write in {folder}: the drive is read-only (a CD, a write-protected "
        "USB stick or share) or you are not allowed to change that folder."),
    (FaultKind.READ_ONLY, "workspace"): (
        "{folder} のワークスペースは読み取り専用で開いています（読み取り専用のドライブ、"
        "または変更する権限のないフォルダーにあります）。",
        "The workspace in {folder} is open read-only: it is on a read-only drive or in a "
        "folder you are not allowed to change."),
    (FaultKind.DEVICE, ""): (
        "{folder} があるドライブが応答しないか、取り外されました（入出力エラー）。",
        "The drive holding {folder} stopped responding or was removed (an input/output error)."),
    (FaultKind.TOO_LARGE, ""): (
        "ファイルが大きすぎて、{folder} があるドライブに保存できません（FAT32 形式のドライブ、"
        "たとえば多くの USB メモリには 4 GB 以上のファイルを保存できません）。",
        "The file is too large for the drive holding {folder} (a drive formatted FAT32, as "
        "many USB sticks are, cannot hold a file of 4 GB or more)."),
}
_NEXT_STEPS = {
    (FaultKind.NO_SPACE, "numbers"): (
        "必要な空きは {need}、現在の空きは {free} です。このドライブに {short} 以上の空きを"
        "作るか、別のドライブのフォルダーを選んでから、もう一度お試しください。",
        "It needs {need} and {free} is free: free at least {short} on that drive (or choose a "
        "folder on another drive), then try again."),
    (FaultKind.NO_SPACE, ""): (
        "このドライブに {need} 以上の空きを作る（不要なファイルを削除する、ごみ箱を空にする）"
        "か、別のドライブのフォルダーを選んでから、もう一度お試しください。",
        "Free at least {need} on that drive (delete files you no longer need, empty the trash) "
        "or choose a folder on another drive, then try again."),
    (FaultKind.READ_ONLY, ""): (
        "書き込めるフォルダーを選ぶか、管理者に書き込み権限を依頼してから、もう一度お試し"
        "ください。",
        "Choose a folder you can write to, or ask your administrator for write permission, "
        "then try again."),
    (FaultKind.READ_ONLY, "workspace"): (
        "閲覧と、チェックリスト・報告書の別のフォルダーへの書き出しはできます。変更するには、"
        "ワークスペースのフォルダーごと書き込めるドライブにコピーしてそのコピーを開くか、"
        "書き込み権限を依頼してください。",
        "You can read it and export the checklist or the report to another folder. To change "
        "it, copy the whole workspace folder to a drive you can write to and open the copy, "
        "or ask for write permission."),
    (FaultKind.DEVICE, ""): (
        "ドライブを接続し直して（USB メモリを差し直す、ネットワーク共有に接続し直す）から、"
        "もう一度お試しください。その後「ワークスペースを検査」（check）で損傷がないことを"
        "確かめてください。繰り返し起きる場合は、ワークスペースを別のドライブにコピーして"
        "ください。",
        "Reconnect the drive (re-insert the USB stick, reconnect the network share), then try "
        "again, and run the workspace check afterwards to confirm nothing is damaged. If it "
        "happens again, copy the workspace to another drive."),
    (FaultKind.TOO_LARGE, ""): (
        "NTFS、exFAT、APFS、ext4 などの形式のドライブにあるフォルダーを選んでから、もう一度"
        "お試しください。",
        "Choose a folder on a drive formatted NTFS, exFAT, APFS or ext4, then try again."),
}


def _rebuild(kind, folder, action, need, free, quota, ro, cause) -> MachineFault:
    return MachineFault(kind, folder, action, need=need, free=free, quota=quota,
                        read_only_workspace=ro, cause=cause)


# --- the mapping ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Diagnosis:
    kind: FaultKind
    quota: bool = False
    cause: str = ""


def _sqlite_error(exc: BaseException) -> sqlite3.Error | None:
    if isinstance(exc, sqlite3.Error):
        return exc
    orig = getattr(exc, "orig", None)  # SQLAlchemy's DBAPIError wraps the driver's error
    return orig if isinstance(orig, sqlite3.Error) else None


def classify(exc: BaseException, folder: str | os.PathLike | None = None, *,
             writing: bool = True) -> Diagnosis | None:
    """The one mapping: which machine fault ``exc`` is, or None when it is not one.

    ``folder`` is where the failed operation worked; an ambiguous error (a SQLite I/O error,
    a missing file) is refined by looking at it. ``writing=False`` when the operation may have
    been a read: "permission denied" then is not a read-only medium but a file the user may
    not read, which its own error already says.
    """
    if isinstance(exc, OSError):
        return _classify_os(exc, folder, writing)
    err = _sqlite_error(exc)
    if err is not None:
        return _classify_sqlite(err, folder)
    return None


def _classify_os(exc: OSError, folder, writing: bool) -> Diagnosis | None:
    cause = f"[Errno {exc.errno}] {exc.strerror}" if exc.errno is not None else str(exc)
    code = exc.errno
    if code in _NO_SPACE_ERRNOS:
        return Diagnosis(FaultKind.NO_SPACE, quota=code == getattr(errno, "EDQUOT", -2), cause=cause)
    if code == errno.EFBIG:
        return Diagnosis(FaultKind.TOO_LARGE, cause=cause)
    if code in _DEVICE_ERRNOS:
        return Diagnosis(FaultKind.DEVICE, cause=cause)
    winerror = getattr(exc, "winerror", None)
    if winerror in _WINERRORS:
        return Diagnosis(_WINERRORS[winerror], cause=f"[WinError {winerror}] {exc.strerror}")
    if code in _READ_ONLY_ERRNOS:
        if code == errno.EROFS or writing:
            return Diagnosis(FaultKind.READ_ONLY, cause=cause)
        return None
    if code == errno.ENOENT and folder is not None and _gone(Path(folder)):
        return Diagnosis(FaultKind.DEVICE, cause=cause)
    return None


def _classify_sqlite(err: sqlite3.Error, folder) -> Diagnosis | None:
    code = getattr(err, "sqlite_errorcode", None)
    name = getattr(err, "sqlite_errorname", "") or str(err)
    if code is None:
        return None
    primary = code & 0xFF
    if primary == _SQLITE_FULL:
        return Diagnosis(FaultKind.NO_SPACE, cause=name)
    if code == _SQLITE_READONLY_DBMOVED:
        return Diagnosis(FaultKind.DEVICE, cause=name)
    if primary in (_SQLITE_READONLY, _SQLITE_PERM):
        return Diagnosis(FaultKind.READ_ONLY, cause=name)
    if primary == _SQLITE_IOERR:
        return Diagnosis(_probe(folder) or FaultKind.DEVICE, cause=name)
    if primary == _SQLITE_CANTOPEN:
        kind = _probe(folder)
        return Diagnosis(kind, cause=name) if kind is not None else None
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB) and folder is not None and drive_failing(folder):
        # SQLite reports a read that failed with EIO as a malformed database: read the files
        # again before calling a sound workspace on a failing drive damaged.
        return Diagnosis(FaultKind.DEVICE, cause=name)
    return None


def _gone(folder: Path) -> bool:
    """Whether a folder vanished or its drive stopped answering."""
    try:
        os.stat(folder)
        with os.scandir(folder) as it:
            next(it, None)
    except FileNotFoundError:
        return True
    except OSError as exc:
        return exc.errno in _DEVICE_ERRNOS or getattr(exc, "winerror", None) in (21, 55, 64, 1167)
    return False


def drive_failing(folder: str | os.PathLike, *, limit: int = 1 << 30) -> bool:
    """Whether the drive of ``folder`` fails to read: the folder vanished, or reading the files
    in it (not below it, at most ``limit`` bytes) gives an I/O error. Only on error paths."""
    folder = Path(folder)
    if _gone(folder):
        return True
    budget = limit
    try:
        entries = [e for e in os.scandir(folder) if e.is_file(follow_symlinks=False)]
    except OSError:
        return True
    for entry in entries:
        try:
            with open(entry.path, "rb", buffering=0) as fh:
                while budget > 0 and (chunk := fh.read(min(MiB, budget))):
                    budget -= len(chunk)
        except OSError as exc:
            if exc.errno in _DEVICE_ERRNOS:
                return True
    return False


def _probe(folder) -> FaultKind | None:
    """What an ambiguous error most likely was, from the state of the folder."""
    if folder is None:
        return None
    folder = Path(folder)
    if _gone(folder):
        return FaultKind.DEVICE
    free = free_bytes(folder)
    if free is not None and free < LOW_SPACE:
        return FaultKind.NO_SPACE
    if not writable(folder):
        return FaultKind.READ_ONLY
    if _file_size_limited():
        return FaultKind.TOO_LARGE  # SQLite reports EFBIG as a plain write error
    return None


def _file_size_limited() -> bool:
    """Whether this process may not grow files past a size (``ulimit -f``)."""
    try:
        import resource
    except ImportError:  # Windows
        return False
    soft, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    return soft != resource.RLIM_INFINITY


def translate(exc: BaseException, folder: str | os.PathLike | None, action: Action | None, *,
              writing: bool = True) -> MachineFault | None:
    """``exc`` as a MachineFault about ``folder`` and ``action``, or None when it is not one."""
    if isinstance(exc, MachineFault):
        return exc if exc.action is not None or action is None else exc.doing(action)
    found = classify(exc, folder, writing=writing)
    if found is None:
        return None
    need = MIN_MARGIN if found.kind is FaultKind.NO_SPACE else None
    free = free_bytes(folder) if found.kind is FaultKind.NO_SPACE and folder is not None else None
    if need is not None and free is not None and free >= need:
        need = free + MIN_MARGIN  # the write failed with this much free: ask for more than that
    return MachineFault(found.kind, folder, action, need=need, free=free, quota=found.quota,
                        cause=found.cause)


def find_fault(exc: BaseException, folder: str | os.PathLike | None = None,
               action: Action | None = None) -> MachineFault | None:
    """A machine fault anywhere in ``exc``'s chain (its cause and context): errors wrapped by
    code that predates this module (``raise BundleError(...) from None`` keeps the OSError as
    the context), or by native code. "Permission denied" is not believed here: the failed
    operation may have been a read of a file the user chose, which its own error names."""
    seen: set[int] = set()
    current: BaseException | None = exc
    depth = 0
    while current is not None and id(current) not in seen and depth < 16:
        seen.add(id(current))
        if isinstance(current, MachineFault):
            return translate(current, folder, action)
        where = folder
        if where is None and isinstance(current, OSError) and current.filename:
            where = Path(os.fsdecode(current.filename)).parent
        fault = translate(current, where, action, writing=False)
        if fault is not None:
            return fault
        current = current.__cause__ or current.__context__
        depth += 1
    return None


@contextlib.contextmanager
def guard(folder: str | os.PathLike | None, action: Action, *, writing: bool = True) -> Iterator[None]:
    """Turn a machine fault raised inside into a MachineFault about ``folder`` and ``action``."""
    try:
        yield
    except MachineFault as exc:
        if exc.action is None:
            raise exc.doing(action) from exc
        raise
    except (OSError, sqlite3.Error, _db_error()) as exc:
        fault = translate(exc, folder, action, writing=writing)
        if fault is None:
            raise
        raise fault from exc


def _db_error() -> type[BaseException]:
    from sqlalchemy.exc import DBAPIError

    return DBAPIError


# --- the folder ------------------------------------------------------------------------------


def free_bytes(folder: str | os.PathLike) -> int | None:
    """Free space for the user in ``folder``'s file system; None when it cannot be told."""
    path = Path(folder)
    for candidate in (path, *path.parents):
        try:
            return shutil.disk_usage(candidate).free
        except FileNotFoundError:
            continue  # a folder about to be created: measure the nearest existing one
        except OSError:
            return None
    return None


def ensure_space(folder: str | os.PathLike, need: int, action: Action) -> None:
    """Refuse up front (MachineFault, with the numbers) when ``folder``'s drive has less than
    ``need`` plus a margin free. Nothing is checked when the free space cannot be told."""
    free = free_bytes(folder)
    want = need + margin(need)
    if free is not None and free < want:
        raise MachineFault(FaultKind.NO_SPACE, folder, action, need=want, free=free,
                           cause=f"space check: {want} bytes needed, {free} free")


def writable(folder: str | os.PathLike, *files: str | os.PathLike) -> bool:
    """Whether the app can change ``folder`` (and the existing ``files`` in it).

    A read-only mount says so in its flags; a folder or file without write permission fails
    ``access`` (which also answers EROFS for root on a read-only mount). On Windows, where
    ``access`` ignores folder permissions, a probe file is created and removed.
    """
    path = Path(folder)
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return False
    except (OSError, AttributeError):
        pass
    if os.name == "nt":
        return _probe_write(path)
    if not os.access(path, os.W_OK):
        return False
    return all(os.access(f, os.W_OK) for f in files if os.path.exists(f))


def _probe_write(folder: Path) -> bool:
    from .fsutil import temp_name

    probe = temp_name(folder / "write-probe")  # a swept temporary name, should it ever stay
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        return not (exc.errno in _READ_ONLY_ERRNOS or getattr(exc, "winerror", None) == 19)
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(probe)
    return True


def file_size(path: str | os.PathLike) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def age_size(plain: int) -> int:
    """The size of an age file holding ``plain`` bytes: a header and 16 bytes per 64 KiB chunk."""
    return plain + 16 * (plain // 65536 + 1) + 512


__all__ = [
    "EXIT_CODES", "Action", "Diagnosis", "FaultKind", "MachineFault", "classify", "ensure_space",
    "find_fault", "format_size", "free_bytes", "guard", "margin", "translate", "writable",
]
