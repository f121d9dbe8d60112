"""Corrective actions (是正処置) from the command line: list them, change one; evidence is
linked with ``attach … --action ID`` (workspace_cmds)."""

from __future__ import annotations

import argparse
import datetime as dt

from questionnaire import parse_date
from questionnaire.corrective import ActionError, grade_label, sort_by_due, tally
from questionnaire.text import counted

from .common import add_workspace_arg, lang, open_workspace, print_json
from .messages import say


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("actions", help="list the corrective actions (overdue first)")
    add_workspace_arg(p)
    p.add_argument("--on", metavar="DATE", help="what is overdue as of this date (default: today)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_actions)

    p = sub.add_parser("action", help="change a corrective action: status, due date, owner, root cause…")
    add_workspace_arg(p)
    p.add_argument("action_id", metavar="ACTION_ID", help="e.g. CA-001 (see `actions`)")
    p.add_argument("--status", help="open / in_progress / done (未着手 / 対応中 / 完了); 検証済み is the "
                                    "auditor's, from the next review")
    p.add_argument("--due", metavar="DATE", help='due date; --due "" removes it')
    p.add_argument("--grade", help="a grade of the template's scale (e.g. major, minor, observation)")
    p.add_argument("--owner")
    p.add_argument("--root-cause")
    p.add_argument("--plan", help="what will be done")
    p.add_argument("--note")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_action)


def _on(args: argparse.Namespace) -> dt.date:
    if not getattr(args, "on", None):
        return dt.date.today()
    try:
        return parse_date(args.on, "date")
    except ValueError as exc:
        raise ActionError(str(exc)) from None


def action_line(a, on: dt.date, template, lg: str) -> str:
    due = a.due.isoformat() if a.due else ("期日なし" if lg == "ja" else "no due date")
    late = (" 期限切れ" if lg == "ja" else " OVERDUE") if a.overdue(on) else ""
    return (f"{a.id}  {a.item_id:<9} {a.status.label.get(lg)}{late}  {due}  "
            f"{grade_label(template, a.grade).get(lg)}  {a.finding[:60]}")


def cmd_actions(args: argparse.Namespace) -> int:
    from storage.actions import actions

    on = _on(args)
    with open_workspace(args) as ws:
        found = sort_by_due(actions(ws), on)
        counts = tally(found, on)
        if args.json:
            print_json({"on": on.isoformat(), **counts.as_dict(),
                        "actions": [a.summary(on, ws.template) for a in found]})
            return 0
        lg = lang(args)
        for a in found:
            print(action_line(a, on, ws.template, lg))
        print(say(lg, f"是正処置 {counts.total} 件: 未完了 {counts.open} 件、"
                      f"{on} 時点で期限切れ {counts.overdue} 件",
                  f"{counted(counts.total, 'corrective action')}: {counts.open} open, "
                  f"{counts.overdue} overdue on {on}"))
    return 0


def cmd_action(args: argparse.Namespace) -> int:
    from storage.actions import update_action

    with open_workspace(args) as ws:
        action = update_action(ws, args.action_id, status=args.status, due=args.due, grade=args.grade,
                               owner=args.owner, root_cause=args.root_cause, plan=args.plan, note=args.note)
        if args.json:
            print_json(action.summary(dt.date.today(), ws.template))
        else:
            print(action_line(action, dt.date.today(), ws.template, lang(args)))
    return 0
