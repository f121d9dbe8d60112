"""Commands keeping a workspace sound: check [--repair], backups, restore."""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

from questionnaire.text import counted
from storage import backups as bk
from storage.errors import NotAWorkspace
from storage.integrity import IntegrityReport, Severity, check_workspace, summary_line
from storage.restore import restore_backup
from storage.workspace import is_workspace

from .common import add_workspace_arg, lang, print_json
from .messages import CliError, say
from .passphrase import get_passphrase

_LABELS = {
    Severity.DAMAGE: ("損傷", "damage"),
    Severity.LEFTOVER: ("残骸", "leftover"),
    Severity.NOTICE: ("参考", "notice"),
}


class IntegrityFailed(CliError):
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
    print(say(lg, f"検査しました: {report.workspace}: ", f"checked {report.workspace}: ")
          + summary_line(report, lg))
    for f in report.findings:
        title = f.title(lg)
        print(f"  {_label(f.severity, lg):<8} {title}: {f}")
    if report.damage:
        print(say(lg, f"結果: 問題が {len(report.damage)} 件見つかりました",
                  f"result: {counted(len(report.damage), 'problem')} found"))
    elif report.leftovers:
        print(say(lg, f"結果: 正常（損傷なし）。無害な残骸が {len(report.leftovers)} 件あります"
                      "（`check --repair` で削除できます）",
                  f"result: OK, no damage; {counted(len(report.leftovers), 'harmless leftover')} "
                  "(`check --repair` removes them)"))
    elif report.repaired:
        print(say(lg, f"結果: 正常。残骸 {len(report.repaired)} 件を修復しました",
                  f"result: OK, {counted(len(report.repaired), 'leftover')} repaired"))
    else:
        print(say(lg, "結果: 正常", "result: OK"))


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
                              f"see `backups {args.workspace}` to restore an earlier state",
                              f"検査で問題が {len(report.damage)} 件見つかりました: "
                              f"{report.damage[0].title('ja')}（{report.damage[0]}）。以前の状態に戻すには "
                              f"`backups {args.workspace}` を見てください")
    return 0


def _size(n: int, lg: str = "en") -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            if unit == "bytes":
                return say(lg, f"{n} バイト", counted(n, "byte"))
            return f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError


_STATUS = {"ok": "正常", "unreadable": "読めません", "earlier key slot": "以前の鍵スロット"}
_REASONS_JA = {"open": "開いたとき", "close": "閉じたとき", "auto": "自動", "pre-restore": "復元の前"}


def cmd_backups(args: argparse.Namespace) -> int:
    lg = lang(args)
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
        print(say(lg, "バックアップはまだありません", "no backups yet"))
    for b, st in rows:
        local = b.taken_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        repair = st == "earlier key slot"
        if lg == "en":
            note = "" if st == "ok" else f"  ({st}{'; run check --repair' if repair else ''})"
            print(f"{b.name}  {local}  {b.reason:<11} {counted(b.seq, 'log entry', 'log entries'):>17}  "
                  f"{_size(b.size):>10}{note}")
        else:
            fix = "。check --repair を実行してください" if repair else ""
            note = "" if st == "ok" else f"  （{_STATUS[st]}{fix}）"
            print(f"{b.name}  {local}  {_REASONS_JA.get(b.reason, b.reason)}  操作履歴 {b.seq:>6} 件  "
                  f"{_size(b.size, lg):>10}{note}")
    for name in damaged:
        print(say(lg, f"{name}/  復元の際に退避した、読めないデータベース（復旧用に保管）",
                  f"{name}/  an unreadable database moved aside by a restore (kept for recovery)"))
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
    lg = lang(args)
    print(say(lg, f"復元しました: {result.backup}", f"restored {result.backup}"))
    if result.saved_as:
        print(say(lg, f"置き換える前の状態はバックアップ {result.saved_as} として保管しました",
                  f"the replaced state is kept as backup {result.saved_as}"))
    if result.damaged_copy:
        print(say(lg, f"読めないデータベースは {result.damaged_copy} に移しました",
                  f"the unreadable database was moved to {result.damaged_copy}"))
    return 0
