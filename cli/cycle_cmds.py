"""Commands of the yearly cycle: init --from (next year's workspace from this year's),
confirm (carried answers), dates (contract date, period, deadlines), calendar (.ics),
replace (a renewed evidence file, keeping its details)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from questionnaire import parse_date
from questionnaire.deadlines import KIND_LABELS, Deadline
from questionnaire.errors import AttestError
from questionnaire.text import counted
from storage import EvidenceMeta, KdfParams

from .common import add_workspace_arg, lang, open_workspace, print_json
from .messages import say
from .passphrase import NEW_PASSPHRASE_ENV, get_passphrase


class CycleUsageError(AttestError):
    pass


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("confirm", help="confirm answers carried over from last year")
    add_workspace_arg(p)
    p.add_argument("items", metavar="ITEM_ID", nargs="*", help="the items to confirm")
    p.add_argument("--section", metavar="SECTION", action="append", default=[],
                   help="every carried answer of a section (repeatable)")
    p.add_argument("--all", action="store_true", help="every carried answer (asks first; see --yes)")
    p.add_argument("--include-changed", action="store_true",
                   help="with --section/--all: include answers to questions the template update changed "
                        "(left out otherwise: confirm those one by one)")
    p.add_argument("--yes", action="store_true", help="with --all: do not ask")
    p.add_argument("--list", action="store_true", help="only list the carried answers still to confirm")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_confirm)

    p = sub.add_parser("dates", help="contract date, audit period and the deadlines that follow")
    add_workspace_arg(p)
    p.add_argument("--contract-date", metavar="DATE", help="set the date the contract was concluded")
    p.add_argument("--clear-contract-date", action="store_true")
    p.add_argument("--period", metavar="YEAR", type=int, help="set the audit period (year)")
    p.add_argument("--on", metavar="DATE", help="list the deadlines as of this date (default: today)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_dates)

    p = sub.add_parser("calendar", help="write the deadlines as an iCalendar (.ics) file")
    add_workspace_arg(p)
    p.add_argument("--ics", required=True, metavar="FILE.ics")
    p.add_argument("--on", metavar="DATE", help="as of this date (default: today)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(func=cmd_calendar)

    p = sub.add_parser("replace", help="replace an evidence file, keeping its details unless given")
    add_workspace_arg(p)
    p.add_argument("evidence_id", metavar="EVIDENCE_ID")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--kind")
    p.add_argument("--title")
    p.add_argument("--issuer")
    p.add_argument("--number")
    p.add_argument("--issued", metavar="DATE")
    p.add_argument("--expires", metavar="DATE")
    p.set_defaults(func=cmd_replace)


def _date(value: str | None, what: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_date(value, what)
    except ValueError as exc:
        raise CycleUsageError(str(exc)) from None


# --- init --from ----------------------------------------------------------------------------


def cmd_init_from(args: argparse.Namespace) -> int:
    """``init NEW --from OLD``: called by workspace_cmds.cmd_init."""
    from questionnaire import load_template_file
    from storage.cycle import carry_forward

    template = load_template_file(args.template) if args.template else None
    kdf = KdfParams(memory_kib=args.kdf_memory * 1024, iterations=args.kdf_iterations, lanes=args.kdf_lanes)
    old_pass = get_passphrase(args.passphrase_file, prompt="Last year's passphrase / 前年度のパスフレーズ: ")
    if args.same_passphrase:
        new_pass = old_pass
    else:
        new_pass = get_passphrase(args.new_passphrase_file, env=NEW_PASSPHRASE_ENV, confirm=True,
                                  prompt="New passphrase / 新しいパスフレーズ: ")
    new, report = carry_forward(args.source, old_pass, args.workspace, new_pass, period=args.period,
                                template=template, vendor=args.vendor or None, kdf=kdf)
    with new:
        if args.json:
            print_json(report.as_dict())
        else:
            _print_carry(report, lang(args))
    return 0


def _print_carry(report, lg: str) -> None:
    plan = report.plan
    o = report.origin
    print(f"created workspace {report.path} for period {report.period}")
    print(f"  from {o.workspace_id} (period {o.period or '-'}, log entry {o.log_head[0]} "
          f"{o.log_head[1][:16]}…)")
    t_old, t_new = plan.old_template, plan.new_template
    if plan.upgraded:
        print(f"  template {t_old.id} {t_old.version} → {t_new.version}: "
              f"{len(plan.added_items)} new, {len(plan.removed_items)} removed, "
              f"{len(plan.changed_items)} changed questions")
        for label, ids in (("new", plan.added_items), ("removed", plan.removed_items),
                           ("changed", list(plan.changed_items))):
            if ids:
                print(f"    {label}: {', '.join(ids)}")
    changed = sum(m.changed_question for m in plan.marks.values())
    print(f"  carried {len(plan.answers)} answers (all to confirm; {changed} to changed questions) "
          f"and {len(plan.evidence)} evidence files, re-encrypted")
    for d in (*plan.dropped, *plan.notices):
        print(f"  {'dropped' if d in plan.dropped else 'note'} {d.what} of {d.item_id}: "
              f"{d.reason.get(lg)} ({d.value!r})")
    if report.flagged:
        print(f"  evidence to renew (expired or expiring within 90 days of {report.check_date}):")
        for e in report.flagged:
            print(f"    {e.id}  {e.item_id:<9} {e.filename}  expires {e.expires} "
                  f"({e.expiry(report.check_date)})")
    print("next: `confirm WS ITEM…`, `confirm WS --section S`, or `confirm WS --all`")


# --- confirm --------------------------------------------------------------------------------


def cmd_confirm(args: argparse.Namespace) -> int:
    lg = lang(args)
    picked = sum(bool(x) for x in (args.items, args.section, args.all))
    if args.list:
        if picked:
            raise CycleUsageError("--list takes no items, --section or --all")
    elif picked != 1:
        raise CycleUsageError("give the items to confirm, --section S, or --all (one of them)")
    with open_workspace(args) as ws:
        if args.list:
            todo = ws.unconfirmed()
            marks = ws.carried()
            if args.json:
                print_json([{"item_id": i, "changed_question": marks[i].changed_question} for i in todo])
            else:
                for i in todo:
                    tail = say(lg, "（設問が変更されています）", "  (question changed)") \
                        if marks[i].changed_question else ""
                    print(f"{i}{tail}")
                print(say(lg, f"確認が必要な引継ぎ回答 {len(todo)} 件",
                          f"{counted(len(todo), 'carried answer')} to confirm"))
            return 0
        if args.items:
            ids = [ws.template.resolve_id(i) for i in args.items]
            not_carried = [i for i in ids if ws.carry_mark(i) is None or i not in ws.answers()]
            if not_carried:
                raise CycleUsageError(f"{not_carried[0]} has no answer carried over from last year")
            done = ws.confirm_carried(ids, "item")
            skipped: list[str] = []
        else:
            if args.section:
                known = {s.id for s in ws.template.sections}
                bad = [s for s in args.section if s.upper() not in known]
                if bad:
                    raise CycleUsageError(f"no section {bad[0]!r} (one of {', '.join(sorted(known))})")
                wanted = {s.upper() for s in args.section}
                scope = [i.id for i in ws.template.items if i.section_id in wanted]
                by = "section"
            else:
                scope, by = None, "all"
            todo = ws.unconfirmed(scope, include_changed=args.include_changed)
            skipped = [i for i in ws.unconfirmed(scope) if i not in todo]
            if by == "all" and todo and not args.yes:
                _ask(f"Confirm {counted(len(todo), 'carried answer')} as this year's answers"
                     f"{f' ({len(skipped)} to changed questions left out)' if skipped else ''}? "
                     "前年の回答をそのまま今年度の回答として確認しますか? [y/N] ")
            done = ws.confirm_carried(todo, by)
        remaining = len(ws.unconfirmed())
        if args.json:
            print_json({"confirmed": done, "skipped_changed": skipped, "remaining": remaining})
        else:
            print(say(lg, f"{len(done)} 件を確認しました。要確認は残り {remaining} 件です",
                      f"confirmed {counted(len(done), 'answer')}; {remaining} still to confirm"))
            if skipped:
                print(say(lg, f"設問が変更された {len(skipped)} 件は確認していません（1 件ずつ確認するか "
                              f"--include-changed を付けてください）: {', '.join(skipped)}",
                          f"left out {counted(len(skipped), 'answer')} to changed questions "
                          f"(confirm each, or add --include-changed): {', '.join(skipped)}"))
    return 0


def _ask(question: str) -> None:
    if not sys.stdin.isatty():
        raise CycleUsageError("--all asks for confirmation; add --yes to confirm without asking")
    sys.stderr.write(question)
    sys.stderr.flush()
    if sys.stdin.readline().strip().lower() not in ("y", "yes", "はい"):
        raise CycleUsageError("nothing confirmed")


# --- dates, calendar ------------------------------------------------------------------------


def deadline_line(d: Deadline, on: dt.date, lg: str) -> str:
    left = d.days_left(on)
    when = (f"{-left} days overdue" if left < 0 else "today" if left == 0 else f"in {left} days") \
        if lg == "en" else (f"{-left}日超過" if left < 0 else "本日" if left == 0 else f"あと{left}日")
    kind, title = KIND_LABELS[d.kind].get(lg), d.title.get(lg)
    what = title if title.startswith(kind) else f"{kind}: {title}"  # not "証跡の有効期限: 証跡の有効期限: …"
    return f"{d.due}  {d.status(on).label.get(lg):<8} {when:<16} {what} [{d.basis.get(lg)}]"


def cmd_dates(args: argparse.Namespace) -> int:
    from storage.cycle import check_date, effective_contract_date, workspace_deadlines

    on = _date(args.on, "--on date") or dt.date.today()
    if args.contract_date is not None and args.clear_contract_date:
        raise CycleUsageError("give --contract-date or --clear-contract-date, not both")
    contract = _date(args.contract_date, "contract date")
    with open_workspace(args) as ws:
        if contract is not None or args.clear_contract_date:
            ws.set_contract_date(contract)
        if args.period is not None:
            ws.set_period(args.period)
        deadlines = workspace_deadlines(ws, on)
        check = check_date(ws, on)
        effective = effective_contract_date(ws)
        if args.json:
            print_json({"period": ws.period, "contract_date": ws.contract_date.isoformat() if ws.contract_date
                        else None, "effective_contract_date": effective.isoformat() if effective else None,
                        "check_date": check.isoformat() if check else None, "on": on.isoformat(),
                        "deadlines": [d.as_dict(on) for d in deadlines]})
            return 0
        lg = lang(args)
        source = "" if ws.contract_date or effective is None else " (from the answer to CHG-04)"
        print(f"period: {ws.period or '(not set)'}; contract date: {effective or '(not set)'}{source}"
              + (f"; evidence checked on {check}" if check else ""))
        for d in deadlines:
            print("  " + deadline_line(d, on, lg))
        if not deadlines:
            print("  no deadlines known (set the contract date with --contract-date)")
    return 0


def cmd_calendar(args: argparse.Namespace) -> int:
    from exports.calendar import write_calendar
    from storage.cycle import workspace_deadlines

    out = Path(args.ics)
    if out.exists() and not args.force:
        raise CycleUsageError(f"{out} exists; add --force to replace it")
    on = _date(args.on, "--on date") or dt.date.today()
    with open_workspace(args) as ws:
        deadlines = workspace_deadlines(ws, on)
        result = write_calendar(deadlines, out, lineage=ws.lineage, vendor=ws.vendor, lang=lang(args))
        ws.record_activity("calendar.exported", None, file=out.name, events=result.events)
    print(say(lang(args), f"{out} に {result.events} 件の予定を書き出しました",
              f"wrote {counted(result.events, 'event')} to {out}"))
    return 0


# --- replace --------------------------------------------------------------------------------


def cmd_replace(args: argparse.Namespace) -> int:
    issued, expires = _date(args.issued, "issue date"), _date(args.expires, "expiry date")
    with open_workspace(args) as ws:
        old = ws.evidence_info(args.evidence_id)
        meta = EvidenceMeta(
            kind=args.kind if args.kind is not None else old.kind,
            title=args.title if args.title is not None else old.title,
            issuer=args.issuer if args.issuer is not None else old.issuer,
            number=args.number if args.number is not None else old.number,
            issued=issued or old.issued, expires=expires or old.expires)
        new = ws.replace_evidence(old.id, args.file, meta)
        print(f"replaced {old.filename} of {new.item_id} by {new.filename} "
              f"({new.size} bytes, sha256 {new.sha256}); expires {new.expires or '-'}")
    return 0
