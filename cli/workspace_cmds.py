"""Commands on the vendor's workspace: init, answer, attach, status, passwd, ..."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from questionnaire import (
    AnswerKind,
    Assessment,
    InvalidAnswer,
    load_template_file,
    parse_date,
)
from questionnaire.completeness import OUTCOME_ORDER, Outcome
from questionnaire.text import counted
from storage import EvidenceMeta, KdfParams, Workspace
from storage.workspace import UNCHANGED

from .common import add_workspace_arg, lang, open_workspace, print_json
from .messages import CliError, count, say
from .passphrase import NEW_PASSPHRASE_ENV, get_passphrase

MAX_IMPORT_BYTES = 10 * 1024 * 1024


class UsageError(CliError):
    pass


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="create a new encrypted workspace")
    p.add_argument("workspace", metavar="WORKSPACE", help="a new or empty folder")
    p.add_argument("--passphrase-file", metavar="FILE",
                   help="the new workspace's passphrase; with --from, last year's workspace's "
                        "(default: $CCUS_ATTEST_PASSPHRASE, else a prompt)")
    p.add_argument("--vendor", default="", help="vendor (applicant) name (with --from: last year's)")
    p.add_argument("--template", metavar="FILE",
                   help="questionnaire template (default: built in; with --from: the built-in one when "
                        "it is a newer version of last year's, else last year's)")
    p.add_argument("--period", type=int, metavar="YEAR",
                   help="audit period (default: this year; with --from: last year's period + 1)")
    p.add_argument("--from", dest="source", metavar="OLD",
                   help="carry answers, notes and evidence over from last year's workspace OLD "
                        "(opened read-only; nothing in it changes)")
    p.add_argument("--new-passphrase-file", metavar="FILE",
                   help=f"with --from: the new workspace's passphrase (default: ${NEW_PASSPHRASE_ENV}, "
                        "else a prompt)")
    p.add_argument("--same-passphrase", action="store_true",
                   help="with --from: the new workspace gets last year's passphrase")
    p.add_argument("--json", action="store_true", help="with --from: print the carry-forward report as JSON")
    p.add_argument("--kdf-memory", type=int, metavar="MIB", default=256,
                   help="Argon2id memory in MiB (default 256)")
    p.add_argument("--kdf-iterations", type=int, metavar="N", default=3)
    p.add_argument("--kdf-lanes", type=int, metavar="N", default=4)
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("answer", help="answer one item")
    add_workspace_arg(p)
    p.add_argument("item", metavar="ITEM_ID")
    p.add_argument("value", metavar="VALUE", nargs="?",
                   help="status: はい/一部/いいえ/該当なし (or yes/partial/no/na); date: YYYY-MM-DD; "
                        "multiple choice: comma-separated")
    p.add_argument("--note", help="note (required for 一部 / いいえ: remediation plan and date)")
    p.add_argument("--clear", action="store_true", help="remove the answer")
    p.set_defaults(func=cmd_answer)

    p = sub.add_parser("import-answers", help="import answers from a JSON file (all or nothing)")
    add_workspace_arg(p)
    p.add_argument("file", metavar="FILE.json",
                   help='{"ITEM_ID": value, "ITEM_ID": {"value": ..., "note": ...}}')
    p.set_defaults(func=cmd_import_answers)

    p = sub.add_parser("attach", help="attach an evidence file to an item")
    add_workspace_arg(p)
    p.add_argument("item", metavar="ITEM_ID")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--kind", help="evidence kind (default: the item's first allowed kind)")
    p.add_argument("--title", default="")
    p.add_argument("--issuer", default="")
    p.add_argument("--number", default="", help="document / registration number")
    p.add_argument("--issued", metavar="DATE")
    p.add_argument("--expires", metavar="DATE")
    p.add_argument("--action", metavar="ACTION_ID",
                   help="also link the file to a corrective action as evidence of the correction")
    p.set_defaults(func=cmd_attach)

    p = sub.add_parser("evidence", help="list attached evidence")
    add_workspace_arg(p)
    p.add_argument("--item", metavar="ITEM_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_evidence)

    p = sub.add_parser("detach", help="remove an evidence file")
    add_workspace_arg(p)
    p.add_argument("evidence_id", metavar="EVIDENCE_ID")
    p.set_defaults(func=cmd_detach)

    p = sub.add_parser("extract", help="save a decrypted copy of an evidence file")
    add_workspace_arg(p)
    p.add_argument("evidence_id", metavar="EVIDENCE_ID")
    p.add_argument("--out", required=True, metavar="FILE")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("status", help="completeness per section, blocking problems, evidence expiry")
    add_workspace_arg(p)
    p.add_argument("--json", action="store_true")
    p.add_argument("--on", metavar="DATE", help="check expiry on this date (default: today)")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("passwd", help="change the workspace passphrase")
    add_workspace_arg(p)
    p.add_argument("--new-passphrase-file", metavar="FILE",
                   help=f"new passphrase (default: ${NEW_PASSPHRASE_ENV}, else a prompt)")
    p.set_defaults(func=cmd_passwd)

    p = sub.add_parser("vendor", help="show or set the vendor name")
    add_workspace_arg(p)
    p.add_argument("name", nargs="?")
    p.set_defaults(func=cmd_vendor)

    p = sub.add_parser("log", help="show the activity log and check its hash chain")
    add_workspace_arg(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_log)


# --- init -------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    if args.source is not None:
        from .cycle_cmds import cmd_init_from

        return cmd_init_from(args)
    if args.new_passphrase_file or args.same_passphrase or args.json:
        raise UsageError("--new-passphrase-file, --same-passphrase and --json go with --from",
                         "--new-passphrase-file・--same-passphrase・--json は --from と組み合わせて使います")
    template = load_template_file(args.template) if args.template else None
    kdf = KdfParams(memory_kib=args.kdf_memory * 1024, iterations=args.kdf_iterations,
                    lanes=args.kdf_lanes)
    passphrase = get_passphrase(args.passphrase_file, confirm=True,
                                prompt="New passphrase / 新しいパスフレーズ: ")
    period = args.period if args.period is not None else dt.date.today().year
    with Workspace.create(args.workspace, passphrase, vendor=args.vendor, template=template,
                          kdf=kdf, period=period) as ws:
        made = f"{ws.template.id} {ws.template.version}" + (f", period {ws.period}" if ws.period else "")
        print(say(lang(args), f"ワークスペースを作成しました: {ws.path}（{made}）",
                  f"created workspace {ws.path} ({made})"))
    return 0


# --- answers ------------------------------------------------------------------------


def cmd_answer(args: argparse.Namespace) -> int:
    if args.clear == (args.value is not None):
        raise UsageError("give either VALUE or --clear", "VALUE か --clear のどちらか一方を指定してください")
    with open_workspace(args) as ws:
        item_id = ws.template.resolve_id(args.item)  # "agr-03" is AGR-03
        value = None if args.clear else args.value
        note = None if args.clear else (UNCHANGED if args.note is None else args.note)
        new = ws.set_answer(item_id, value, note)
        item = ws.template.item(item_id)
        shown = item.label_of(new.value, lang(args)) if new and new.value is not None else \
            say(lang(args), "（回答なし）", "(none)")
        print(f"{item_id} = {shown}")
    return 0


def _load_import(path: str) -> dict:
    p = Path(path)
    try:
        with p.open("rb") as fh:
            raw = fh.read(MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}",
                         f"{path} を読み取れません: {exc.strerror}") from None
    mib = MAX_IMPORT_BYTES // (1024 * 1024)
    if len(raw) > MAX_IMPORT_BYTES:
        raise UsageError(f"{path} is larger than {mib} MiB", f"{path} が {mib} MiB を超えています")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # ValueError: bad UTF-8/JSON, absurdly long numbers
        raise UsageError(f"{path} is not valid UTF-8 JSON: {str(exc)[:200]}",
                         f"{path} は UTF-8 の正しい JSON ではありません: {str(exc)[:200]}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path} must hold a JSON object mapping item IDs to answers",
                         f"{path} には、設問 ID と回答を対応させた JSON オブジェクトを書いてください")
    return data


def cmd_import_answers(args: argparse.Namespace) -> int:
    typed = _load_import(args.file)
    with open_workspace(args) as ws:
        data: dict = {}
        for key, raw in typed.items():
            item_id = ws.template.resolve_id(key)  # "agr-03" is AGR-03
            if item_id in data:
                raise UsageError(f"{args.file} answers {item_id} twice",
                                 f"{args.file} は {item_id} に2回回答しています")
            data[item_id] = raw
        for item_id, raw in data.items():
            item = ws.template.item(item_id)
            value = raw.get("value") if isinstance(raw, dict) else raw
            if isinstance(value, (dict, bool)) or (
                isinstance(value, list) and item.kind is not AnswerKind.MULTI
            ):
                raise InvalidAnswer(item_id, f"unexpected JSON {type(value).__name__} for a {item.kind} item")
        changed = ws.set_answers(data)
        lg = lang(args)
        print(say(lg, f"回答 {len(data)} 件を取り込みました（変更 {changed} 件）",
                  f"imported {count(lg, len(data), '', 'answer')} ({changed} changed)"))
    return 0


# --- evidence -------------------------------------------------------------------------


def _default_kind(ws: Workspace, item_id: str) -> str:
    item = ws.template.item(item_id)
    if item.evidence and item.evidence.kinds:
        return item.evidence.kinds[0]
    kinds = ", ".join(k.id for k in ws.template.evidence_kinds)
    raise UsageError(f"{item_id} names no evidence kind; give --kind ({kinds})",
                     f"{item_id} には証跡の種類の指定がありません。--kind で指定してください（{kinds}）")


def _date_opt(value: str | None, what: str, what_ja: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_date(value, what)
    except ValueError as exc:
        raise UsageError(str(exc), f"{what_ja}: {value!r} は日付として読めません（{exc}）") from None


def cmd_attach(args: argparse.Namespace) -> int:
    issued = _date_opt(args.issued, "issue date", "発行日")
    expires = _date_opt(args.expires, "expiry date", "有効期限")
    with open_workspace(args) as ws:
        item_id = ws.template.resolve_id(args.item)
        meta = EvidenceMeta(kind=args.kind or _default_kind(ws, item_id), title=args.title,
                            issuer=args.issuer, number=args.number, issued=issued, expires=expires)
        if args.action:
            from storage.actions import get_action

            get_action(ws, args.action)  # an unknown action is refused before the file is stored
        info = ws.add_evidence(item_id, args.file, meta)
        print(say(lang(args), f"{info.filename} を {info.item_id} に添付しました: ID {info.id}"
                              f"（{info.size:,} バイト、sha256 {info.sha256}）",
                  f"attached {info.filename} to {info.item_id} as {info.id} "
                  f"({counted(info.size, 'byte')}, sha256 {info.sha256})"))
        if args.action:
            from storage.actions import update_action

            action = update_action(ws, args.action, add_evidence=[info.id])
            print(say(lang(args), f"{info.id} を是正処置 {action.id} に関連付けました",
                      f"linked {info.id} to corrective action {action.id}"))
    return 0


def cmd_evidence(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        infos = ws.evidence(ws.template.resolve_id(args.item) if args.item else None)
        if args.json:
            print_json([e.as_dict() for e in infos])
            return 0
        today = dt.date.today()
        lg = lang(args)
        for e in infos:
            state = e.expiry(today)
            exp = say(lg, f"  有効期限 {e.expires}（{EXPIRY_JA.get(str(state), state)}）",
                      f" expires {e.expires} ({state})") if e.expires else ""
            size = say(lg, f"{e.size:,} バイト", counted(e.size, "byte"))
            kind = e.kind  # the code typed with --kind; in Japanese the kind's own name
            if lg == "ja" and (named := ws.template.evidence_kind(e.kind)) is not None:
                kind = named.label.ja
            print(f"{e.id}  {e.item_id:<9} {kind:<12} {e.filename}  {size}{exp}")
        if not infos:
            print(say(lg, "証跡は添付されていません", "no evidence attached"))
        else:
            print(say(lg, f"合計: 証跡 {len(infos)} 件", f"total: {counted(len(infos), 'evidence file')}"))
    return 0


def cmd_detach(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        info = ws.remove_evidence(args.evidence_id)
        print(say(lang(args), f"{info.item_id} から {info.filename} を外しました",
                  f"removed {info.filename} from {info.item_id}"))
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        dest = ws.save_evidence_copy(args.evidence_id, args.out)
        print(say(lang(args), f"保存しました: {dest}", f"saved {dest}"))
    return 0


# --- status ---------------------------------------------------------------------------


def cmd_status(args: argparse.Namespace) -> int:
    on = _date_opt(args.on, "--on date", "--on の日付")
    with open_workspace(args) as ws:
        from questionnaire.corrective import tally
        from storage.actions import actions
        from storage.cycle import workspace_deadlines

        result = ws.assess(on)
        deadlines = workspace_deadlines(ws, result.on)
        counts = tally(actions(ws), result.on)
        if args.json:
            print_json({"workspace": str(ws.path), "vendor": ws.vendor, "period": ws.period,
                        "corrective_actions": counts.as_dict(),
                        "contract_date": ws.contract_date.isoformat() if ws.contract_date else None,
                        **result.as_dict(), "deadlines": [d.as_dict(result.on) for d in deadlines]})
        else:
            _print_status(ws, result, lang(args))
            if counts.total:
                print(f"corrective actions: {counts.open} open of {counts.total}, {counts.overdue} overdue "
                      "(see `actions`)")
            _print_deadlines(deadlines, result.on, lang(args))
    return 0


MAX_DEADLINES_SHOWN = 8


def _print_deadlines(deadlines, on: dt.date, lg: str) -> None:
    from .cycle_cmds import deadline_line

    if not deadlines:
        return
    print(say(lg, "期限:", "deadlines:"))
    for d in deadlines[:MAX_DEADLINES_SHOWN]:
        print("  " + deadline_line(d, on, lg))
    if len(deadlines) > MAX_DEADLINES_SHOWN:
        more = len(deadlines) - MAX_DEADLINES_SHOWN
        print("  " + say(lg, f"… ほか {more} 件（`dates` で表示）", f"… {more} more (see `dates`)"))


EXPIRY_JA = {"valid": "有効", "expiring": "期限間近", "expired": "期限切れ", "none": "期限なし"}

# the outcomes a section line names when they occur (what still needs work), worst first
_SECTION_NAMED = (Outcome.NON_CONFORMING, Outcome.UNANSWERED, Outcome.NEEDS_IMPROVEMENT)


def _print_status(ws: Workspace, a: Assessment, lg: str) -> None:
    """The assessment as text; every count is the core's Tally (as in `status --json`)."""
    t = ws.template
    total = a.total
    vendor = ws.vendor or say(lg, "（申請者名なし）", "(no vendor name)")
    period = say(lg, f"、{ws.period}年度", f", period {ws.period}") if ws.period else ""
    print(say(lg, f"{vendor} — {t.id} {t.version}{period}（{a.on} 時点）",
              f"{vendor} — {t.id} {t.version}{period}, checked on {a.on}"))
    improve = total.count(Outcome.NEEDS_IMPROVEMENT)
    if a.can_submit:
        verdict = say(lg, "提出できます", "ready to submit")
        if improve:
            verdict += say(lg, f"（要改善 {improve} 件）",
                           f" ({counted(improve, 'item needs', 'items need')} improvement)")
    else:
        verdict = say(lg, f"提出を妨げている設問 {total.blocking} 件",
                      f"{counted(total.blocking, 'item blocks', 'items block')} submission")
    done, req, pct = total.complete, total.required, f"{total.ratio:.0%}"
    print(say(lg, f"必須項目: {req} 件中 {done} 件が完了（{pct}）。{verdict}",
              f"required items: {done} of {req} complete ({pct}); {verdict}"))
    if total.carried:
        print(say(lg, f"前年から引継ぎ: {total.carried} 件（確認済み {total.confirmed} 件、要確認 "
                      f"{total.unconfirmed} 件 — `confirm`）",
                  f"carried over from last year: {count('en', total.carried, '', 'answer')}, "
                  f"{total.confirmed} confirmed, "
                  f"{total.unconfirmed} to confirm (`confirm`)"))
    print(say(lg, "判定の内訳: ", "outcomes: ")
          + say(lg, "、", ", ").join(f"{o.label.get(lg)} {total.count(o)}" for o in OUTCOME_ORDER))
    print(say(lg, "セクション別（完了 / 必須）:", "sections (complete / required):"))
    for sp in a.sections:
        bar = "#" * round(sp.ratio * 20)
        named = say(lg, "、", ", ").join(f"{o.label.get(lg)} {sp.count(o)}" for o in _SECTION_NAMED
                                         if sp.count(o))
        print(f"  {sp.section_id:<5} {bar:<20} {sp.complete:>3}/{sp.required:<3} "
              f"{t.section(sp.section_id).title.get(lg)}" + (f"  [{named}]" if named else ""))
    for problems, ja, en in (  # "提出を妨げる問題 3 件:" / "3 blocking problems:"
        (a.blockers, ("提出を妨げる問題", ""), ("blocking problem", "")),
        (a.improvements, ("要改善", "（提出は妨げません）"), ("problem needing improvement",
                                                         " (not blocking)")),
        (a.warnings, ("注意", ""), ("warning", "")),
    ):
        if not problems:
            continue
        n = len(problems)
        head = f"{ja[0]} {n} 件{ja[1]}" if lg == "ja" else counted(n, en[0]) + en[1]
        print(head + ":")
        for p in problems:
            print(f"  {p.message(lg)}")


# --- passphrase, vendor, log ----------------------------------------------------------


def cmd_passwd(args: argparse.Namespace) -> int:
    current = get_passphrase(args.passphrase_file, prompt="Current passphrase / 現在のパスフレーズ: ")
    new = get_passphrase(args.new_passphrase_file, env=NEW_PASSPHRASE_ENV, confirm=True,
                         prompt="New passphrase / 新しいパスフレーズ: ")
    with Workspace.open(args.workspace, current) as ws:
        ws.change_passphrase(current, new)
        rekey_fault = ws.backup_fault  # changed; the kept backups follow on the next open
    print(say(lang(args), "パスフレーズを変更しました", "passphrase changed"))
    from .machine_faults import warn

    for fault in dict.fromkeys(f for f in (rekey_fault, ws.backup_fault) if f is not None):
        warn(fault, lang(args))
    return 0


def cmd_vendor(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        if args.name is not None:
            ws.set_vendor(args.name)
        print(ws.vendor)
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        entries = ws.activity()
        problems = ws.verify_activity(entries)
        if args.json:
            print_json({"entries": [e.as_dict() for e in entries], "problems": problems})
        else:
            for e in entries:
                print(f"{e.seq:>5} {e.at} {e.action:<20} {e.item or ''}")
            print(say(lang(args), "ハッシュチェーンは正常です", "chain intact") if not problems
                  else "\n".join(problems))
    if problems:
        raise CliError(f"activity log damaged: {problems[0]}", f"操作履歴が壊れています: {problems[0]}")
    return 0
