"""Commands keeping a workspace sound: check [--repair], backups, restore."""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

from questionnaire.errors import AttestError
from questionnaire.text import counted
from storage import backups as bk
from storage.errors import NotAWorkspace
from storage.integrity import IntegrityReport, Severity, check_workspace, summary_line
from storage.restore import restore_backup
from storage.workspace import is_workspace

from .common import add_workspace_arg, lang, print_json
from .passphrase import get_passphrase

_LABELS = {
    Severity.DAMAGE: ("損傷", "damage"),
    Severity.LEFTOVER: ("残骸", "leftover"),
    Severity.NOTICE: ("参考", "notice"),
}


class IntegrityFailed(AttestError):
    pass


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="verify every record, evidence file, the activity log and the backups")
    add_workspace_arg(p)
    p.add_argument("--repair", action="store_true",
                   help="remove temporary files and orphaned blobs, finish interrupted key-slot updates")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("backups", help="list the workspace's automatic backups")
    p.add_argument("workspace", metavar="WORKSPACE", help="workspace folder")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_backups)

    p = sub.add_parser("restore", help="restore a backup (the current state is kept as a backup)")
    add_workspace_arg(p)
    p.add_argument("backup", metavar="BACKUP", help="a name listed by `backups`, or a backup file")
    p.set_defaults(func=cmd_restore)


def _label(severity: Severity, lg: str) -> str:
    ja, en = _LABELS[severity]
    return ja if lg == "ja" else en


def print_report(report: IntegrityReport, lg: str) -> None:
    print(f"checked {report.workspace}: {summary_line(report)}")
    for f in report.findings:
        title = f.title(lg)
        print(f"  {_label(f.severity, lg):<8} {title}: {f}")
    if report.damage:
        print(f"result: {counted(len(report.damage), 'problem')} found")
    elif report.leftovers:
        print(f"result: OK, no damage; {counted(len(report.leftovers), 'harmless leftover')} "
              "(`check --repair` removes them)")
    else:
        print("result: OK" + (f", {counted(len(report.repaired), 'leftover')} repaired"
                              if report.repaired else ""))


def cmd_check(args: argparse.Namespace) -> int:
    passphrase = get_passphrase(args.passphrase_file)
    report = check_workspace(args.workspace, passphrase, repair=args.repair)
    if args.json:
        print_json(report.as_dict())
    else:
        print_report(report, lang(args))
    if report.damage:
        raise IntegrityFailed(f"integrity check found {counted(len(report.damage), 'problem')}: "
                              f"{report.damage[0]}; "
                              f"see `backups {args.workspace}` to restore an earlier state")
    return 0


def _size(n: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError


def cmd_backups(args: argparse.Namespace) -> int:
    path = Path(args.workspace).absolute()
    if not path.is_dir():
        raise NotAWorkspace(path, "no such folder")
    if not is_workspace(path) and not bk.backups_dir(path).is_dir():
        raise NotAWorkspace(path, "no attest.db and no backups")
    live_slot = _live_slot(path)
    rows = []
    for b in bk.list_backups(path):
        slot = bk.backup_slot(b.path)
        status = ("unreadable" if slot is None else
                  "ok" if live_slot is None or slot == live_slot else "earlier key slot")
        rows.append((b, status))
    damaged = sorted(p.name for p in bk.backups_dir(path).glob("damaged-*")) \
        if bk.backups_dir(path).is_dir() else []
    if args.json:
        print_json({"workspace": str(path),
                    "backups": [{**b.as_dict(), "status": st} for b, st in rows],
                    "damaged_copies": damaged})
        return 0
    if not rows:
        print("no backups yet")
    for b, st in rows:
        local = b.taken_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        note = "" if st == "ok" else f"  ({st}{'; run check --repair' if st == 'earlier key slot' else ''})"
        print(f"{b.name}  {local}  {b.reason:<11} {b.seq:>6} log entries  {_size(b.size):>10}{note}")
    for name in damaged:
        print(f"{name}/  an unreadable database moved aside by a restore (kept for recovery)")
    return 0


def _live_slot(path: Path) -> bk.SlotBytes | None:
    db_file = path / "attest.db"
    if not db_file.is_file():
        return None
    try:
        con = bk.connect_ro(db_file)
        try:
            return bk.read_slot(con)
        finally:
            con.close()
    except (sqlite3.Error, OSError):  # an unreadable live database: the listing is what helps then
        return None


def cmd_restore(args: argparse.Namespace) -> int:
    passphrase = get_passphrase(args.passphrase_file)
    result = restore_backup(args.workspace, args.backup, passphrase)
    print(f"restored {result.backup}")
    if result.saved_as:
        print(f"the replaced state is kept as backup {result.saved_as}")
    if result.damaged_copy:
        print(f"the unreadable database was moved to {result.damaged_copy}")
    return 0
