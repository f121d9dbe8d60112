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
from questionnaire.completeness import OUTCOME_ORDER
from questionnaire.errors import AttestError
from storage import EvidenceMeta, KdfParams, Workspace
from storage.workspace import UNCHANGED

from .common import add_workspace_arg, lang, open_workspace, print_json
from .passphrase import NEW_PASSPHRASE_ENV, get_passphrase

MAX_IMPORT_BYTES = 10 * 1024 * 1024


class UsageError(AttestError):
    pass


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="create a new encrypted workspace")
    p.add_argument("workspace", metavar="WORKSPACE", help="a new or empty folder")
    p.add_argument("--passphrase-file", metavar="FILE")
    p.add_argument("--vendor", default="", help="vendor (applicant) name")
    p.add_argument("--template", metavar="FILE", help="questionnaire template (default: built in)")
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
    template = load_template_file(args.template) if args.template else None
    kdf = KdfParams(memory_kib=args.kdf_memory * 1024, iterations=args.kdf_iterations,
                    lanes=args.kdf_lanes)
    passphrase = get_passphrase(args.passphrase_file, confirm=True,
                                prompt="New passphrase / 新しいパスフレーズ: ")
    with Workspace.create(args.workspace, passphrase, vendor=args.vendor, template=template,
                          kdf=kdf) as ws:
        print(f"created workspace {ws.path} ({ws.template.id} {ws.template.version})")
    return 0


# --- answers ------------------------------------------------------------------------


def cmd_answer(args: argparse.Namespace) -> int:
    if args.clear == (args.value is not None):
        raise UsageError("give either VALUE or --clear")
    with open_workspace(args) as ws:
        item_id = ws.template.resolve_id(args.item)  # "agr-03" is AGR-03
        value = None if args.clear else args.value
        note = None if args.clear else (UNCHANGED if args.note is None else args.note)
        new = ws.set_answer(item_id, value, note)
        item = ws.template.item(item_id)
        shown = item.label_of(new.value, lang(args)) if new and new.value is not None else "(none)"
        print(f"{item_id} = {shown}")
    return 0


def _load_import(path: str) -> dict:
    p = Path(path)
    try:
        with p.open("rb") as fh:
            raw = fh.read(MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    if len(raw) > MAX_IMPORT_BYTES:
        raise UsageError(f"{path} is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MiB")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # ValueError: bad UTF-8/JSON, absurdly long numbers
        raise UsageError(f"{path} is not valid UTF-8 JSON: {str(exc)[:200]}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path} must hold a JSON object mapping item IDs to answers")
    return data


def cmd_import_answers(args: argparse.Namespace) -> int:
    typed = _load_import(args.file)
    with open_workspace(args) as ws:
        data: dict = {}
        for key, raw in typed.items():
            item_id = ws.template.resolve_id(key)  # "agr-03" is AGR-03
            if item_id in data:
                raise UsageError(f"{args.file} answers {item_id} twice")
            data[item_id] = raw
        for item_id, raw in data.items():
            item = ws.template.item(item_id)
            value = raw.get("value") if isinstance(raw, dict) else raw
            if isinstance(value, (dict, bool)) or (
                isinstance(value, list) and item.kind is not AnswerKind.MULTI
            ):
                raise InvalidAnswer(item_id, f"unexpected JSON {type(value).__name__} for a {item.kind} item")
        changed = ws.set_answers(data)
        print(f"imported {len(data)} answers ({changed} changed)")
    return 0


# --- evidence -------------------------------------------------------------------------


def _default_kind(ws: Workspace, item_id: str) -> str:
    item = ws.template.item(item_id)
    if item.evidence and item.evidence.kinds:
        return item.evidence.kinds[0]
    raise UsageError(f"{item_id} names no evidence kind; give --kind "
                     f"({', '.join(k.id for k in ws.template.evidence_kinds)})")


def _date_opt(value: str | None, what: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_date(value, what)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def cmd_attach(args: argparse.Namespace) -> int:
    issued = _date_opt(args.issued, "issue date")
    expires = _date_opt(args.expires, "expiry date")
    with open_workspace(args) as ws:
        item_id = ws.template.resolve_id(args.item)
        meta = EvidenceMeta(kind=args.kind or _default_kind(ws, item_id), title=args.title,
                            issuer=args.issuer, number=args.number, issued=issued, expires=expires)
        info = ws.add_evidence(item_id, args.file, meta)
        print(f"attached {info.filename} to {info.item_id} as {info.id} "
              f"({info.size} bytes, sha256 {info.sha256})")
    return 0


def cmd_evidence(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        infos = ws.evidence(ws.template.resolve_id(args.item) if args.item else None)
        if args.json:
            print_json([e.as_dict() for e in infos])
            return 0
        today = dt.date.today()
        for e in infos:
            exp = f" expires {e.expires} ({e.expiry(today)})" if e.expires else ""
            print(f"{e.id}  {e.item_id:<9} {e.kind:<12} {e.filename}  {e.size} bytes{exp}")
        if not infos:
            print("no evidence attached")
    return 0


def cmd_detach(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        info = ws.remove_evidence(args.evidence_id)
        print(f"removed {info.filename} from {info.item_id}")
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        dest = ws.save_evidence_copy(args.evidence_id, args.out)
        print(f"saved {dest}")
    return 0


# --- status ---------------------------------------------------------------------------


def cmd_status(args: argparse.Namespace) -> int:
    on = _date_opt(args.on, "--on date")
    with open_workspace(args) as ws:
        result = ws.assess(on)
        if args.json:
            print_json({"workspace": str(ws.path), "vendor": ws.vendor, **result.as_dict()})
        else:
            _print_status(ws, result, lang(args))
    return 0


def _print_status(ws: Workspace, a: Assessment, lg: str) -> None:
    t = ws.template
    print(f"{ws.vendor or '(no vendor name)'} — {t.id} {t.version}, checked on {a.on}")
    verdict = "ready to submit" if a.can_submit else f"{a.total.blocking} item(s) block submission"
    print(f"overall: {a.complete}/{a.required} required items complete ({a.ratio:.0%}); {verdict}")
    print("  " + ", ".join(f"{o.label.get(lg)} {a.count(o)}" for o in OUTCOME_ORDER))
    for sp in a.sections:
        bar = "#" * round(sp.ratio * 20)
        print(f"  {sp.section_id:<5} {bar:<20} {sp.complete:>3}/{sp.required:<3} "
              f"{t.section(sp.section_id).title.get(lg)}")
    if a.blockers:
        print("blocking:")
        for p in a.blockers:
            print(f"  {p.message(lg)}")
    if a.improvements:
        print("needs improvement (does not block):")
        for p in a.improvements:
            print(f"  {p.message(lg)}")
    if a.warnings:
        print("warnings:")
        for p in a.warnings:
            print(f"  {p.message(lg)}")


# --- passphrase, vendor, log ----------------------------------------------------------


def cmd_passwd(args: argparse.Namespace) -> int:
    current = get_passphrase(args.passphrase_file, prompt="Current passphrase / 現在のパスフレーズ: ")
    new = get_passphrase(args.new_passphrase_file, env=NEW_PASSPHRASE_ENV, confirm=True,
                         prompt="New passphrase / 新しいパスフレーズ: ")
    with Workspace.open(args.workspace, current) as ws:
        ws.change_passphrase(current, new)
    print("passphrase changed")
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
            print("chain intact" if not problems else "\n".join(problems))
    if problems:
        raise AttestError(f"activity log damaged: {problems[0]}")
    return 0
