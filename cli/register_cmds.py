"""``register``: the auditor's register of every vendor's submissions (register/ package).

    register init [--db URL] [--store DIR]
    register add BUNDLE… --identity ID [--trust-new-signer] [--accept-key-change] [--template FILE]
    register list [--json] [--vendor TEXT] [--year N] [--review-state S] [--expiring-within DAYS]
                  [--overdue-actions] [--latest]
    register show SUBMISSION [--json]
    register verdict SUBMISSION ITEM VERDICT [--comment TEXT] [--expect-version N]
    register export --xlsx OUT
    register diff VENDOR YEAR1 YEAR2 --identity ID [--json] [--xlsx OUT]

Every command takes ``--db URL`` (default ``$CCUS_ATTEST_REGISTER_DB``, else the SQLite file in
the user data folder); the reading ones take ``--read-only``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from questionnaire.errors import AttestError

from .common import lang, print_json
from .messages import CliError, count, error_message, say

REVIEW_STATES = ("unreviewed", "in_progress", "reviewed")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("register", help="the auditor's register of every vendor's submissions")
    cmds = p.add_subparsers(dest="register_command", metavar="ACTION", parser_class=type(p))
    p.set_defaults(func=lambda args: _usage(p))

    c = cmds.add_parser("init", help="create the register (or bring it up to date) and its bundle store")
    _db_arg(c)
    c.add_argument("--store", metavar="DIR",
                   help="the bundle store folder (a shared folder for a team); default: beside a SQLite "
                        "register, else the user data folder")
    c.set_defaults(func=cmd_init)

    c = cmds.add_parser("add", help="verify bundles with the auditor's checks and the register's pins, "
                                    "and add them")
    _db_arg(c)
    c.add_argument("bundles", nargs="+", metavar="BUNDLE")
    c.add_argument("--identity", required=True, metavar="IDFILE", help="the auditor's age identity file")
    c.add_argument("--trust-new-signer", action="store_true",
                   help="pin the key of a vendor the register has not seen (after you confirmed its key ID "
                        "with the vendor by another channel)")
    c.add_argument("--accept-key-change", action="store_true",
                   help="pin a vendor's new key, or a key under a new vendor name (after you confirmed it)")
    c.add_argument("--template", action="append", default=[], metavar="FILE",
                   help="judge bundles of a template version this app does not ship against FILE "
                        "(recorded as unofficial)")
    c.set_defaults(func=cmd_add)

    c = cmds.add_parser("list", help="submissions in the register, filtered")
    _db_arg(c, read_only=True)
    _filter_args(c)
    c.add_argument("--json", action="store_true", help="print JSON")
    c.set_defaults(func=cmd_list)

    c = cmds.add_parser("show", help="one submission: verification, counts, evidence, item verdicts")
    _db_arg(c, read_only=True)
    c.add_argument("submission", metavar="SUBMISSION", help="a submission ID (or its first characters)")
    c.add_argument("--json", action="store_true", help="print JSON")
    c.set_defaults(func=cmd_show)

    c = cmds.add_parser("verdict", help="record the auditor's verdict and finding on one item")
    _db_arg(c)
    c.add_argument("submission", metavar="SUBMISSION")
    c.add_argument("item", metavar="ITEM", help="the item ID, e.g. GOV-01")
    c.add_argument("verdict", metavar="VERDICT",
                   help="conforms|nonconforming|needs_check|not_applicable (or 適合/不適合/要確認/該当なし), "
                        "or none to clear")
    c.add_argument("--comment", default="", metavar="TEXT", help="the finding (指摘事項)")
    c.add_argument("--expect-version", type=int, metavar="N",
                   help="the item's version you read (register show): refused, with both values, if "
                        "someone saved since")
    c.set_defaults(func=cmd_verdict)

    c = cmds.add_parser("export", help="write the 全社一覧 workbook (one row per vendor and 年度)")
    _db_arg(c, read_only=True)
    _filter_args(c)
    c.add_argument("--xlsx", required=True, metavar="OUT", help="the workbook to write")
    c.add_argument("--force", action="store_true", help="replace OUT if it exists")
    c.set_defaults(func=cmd_export)

    c = cmds.add_parser("diff", help="what changed between a vendor's submissions of two 年度 (the newest "
                                     "of each), as `diff A B` prints it")
    _db_arg(c, read_only=True)
    c.add_argument("vendor", metavar="VENDOR", help="the vendor's name (or an unambiguous part of it)")
    c.add_argument("year1", type=int, metavar="YEAR1", help="the earlier 年度")
    c.add_argument("year2", type=int, metavar="YEAR2", help="the later 年度")
    c.add_argument("--identity", required=True, metavar="IDFILE", help="the auditor's age identity file")
    c.add_argument("--template", action="append", default=[], metavar="FILE",
                   help="accept FILE as the template of a bundle whose version this app does not ship")
    c.add_argument("--json", action="store_true", help="print the comparison as JSON (stable keys)")
    c.add_argument("--xlsx", metavar="OUT.xlsx", help="also write the 変更点 workbook")
    c.add_argument("--force", action="store_true", help="replace OUT.xlsx if it exists")
    c.set_defaults(func=cmd_diff)


def _usage(p: argparse.ArgumentParser) -> int:
    p.print_help(sys.stderr)
    return 2


def _db_arg(p: argparse.ArgumentParser, *, read_only: bool = False) -> None:
    p.add_argument("--db", metavar="URL", help="a SQLite file (a path or sqlite:///FILE) or "
                                               "postgresql+psycopg://USER@HOST/DB "
                                               "(default: $CCUS_ATTEST_REGISTER_DB, else the app's own file)")
    if read_only:
        p.add_argument("--read-only", action="store_true", help="open the register read-only")


def _filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--vendor", metavar="TEXT", help="vendors whose name contains TEXT")
    p.add_argument("--year", type=int, metavar="N", help="年度 N (April N to March N+1, Japan time)")
    p.add_argument("--review-state", choices=REVIEW_STATES)
    p.add_argument("--expiring-within", type=int, metavar="DAYS",
                   help="submissions with evidence that expires within DAYS (or has expired)")
    p.add_argument("--overdue-actions", action="store_true",
                   help="submissions with corrective actions past their due date and not verified")
    p.add_argument("--latest", action="store_true", help="only each vendor's newest submission of a 年度")
    p.add_argument("--on", metavar="DATE", help="judge dates on DATE (default: today)")


def _filters(args: argparse.Namespace):
    from questionnaire import parse_date
    from register.queries import Filters

    on = None
    if args.on:
        try:
            on = parse_date(args.on, "--on date")
        except ValueError as exc:
            raise AttestError(str(exc)) from None
    if args.expiring_within is not None and args.expiring_within < 0:
        raise AttestError("--expiring-within must be 0 or more days")
    return Filters(vendor=args.vendor, year=args.year, review_state=args.review_state,
                   expiring_within=args.expiring_within, overdue_actions=args.overdue_actions,
                   latest_only=args.latest, on=on)


def _open(args: argparse.Namespace):
    from register.db import open_register

    return open_register(args.db, read_only=getattr(args, "read_only", False))


def cmd_init(args: argparse.Namespace) -> int:
    from register.db import describe, init_register

    lg = lang(args)
    with init_register(args.db, args.store) as reg:
        print(f"{say(lg, '登録簿', 'register')}: {describe(reg.url)}")
        print(f"{say(lg, '保管フォルダー', 'bundle store')}: {reg.store.root}")
    return 0


class _AddProgress:
    """``[2/10] name  45%`` on stderr, only on a terminal."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self._last = 0.0

    def __call__(self, n: int, count: int, path: Path, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.tty or now - self._last < 0.2:
            return
        self._last = now
        pct = min(100, done * 100 // total) if total else 0
        sys.stderr.write(f"\r\033[K[{n + 1}/{count}] {path.name[:50]} {pct:3d}%")
        sys.stderr.flush()

    def clear(self) -> None:
        if self.tty:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def cmd_add(args: argparse.Namespace) -> int:
    from register.add import ADDED, add_bundles
    from register.errors import BundleRefused

    lg = lang(args)
    error_label = say(lg, "エラー", "error")  # as cli/main.py labels every other error
    progress = _AddProgress()
    refused = 0
    count_ = len(args.bundles)

    def count_en(n: int) -> str:
        return count("en", n, "", "bundle")

    def report(result) -> None:
        nonlocal refused
        progress.clear()
        if isinstance(result, BundleRefused):
            refused += 1
            sys.stderr.write(f"ccus-attest: {error_label}: {error_message(result, lg)}\n")
        else:
            verb = (say(lg, "追加しました", "added") if result.status == ADDED
                    else say(lg, "登録済み", "already there"))
            print(f"{verb}: {result.submission_id} {result.vendor} ({result.path.name}; {result.detail})")
        sys.stdout.flush()

    with _open(args) as reg:
        try:
            add_bundles(reg, args.bundles, identity=args.identity, trust_new_signer=args.trust_new_signer,
                        accept_key_change=args.accept_key_change, templates=args.template,
                        progress=progress, on_result=report)
        finally:
            progress.clear()
    if refused:
        sys.stderr.write(f"ccus-attest: {error_label}: " + say(
            lg, f"{count_} 件中 {refused} 件を追加しませんでした（それらは何も保存していません）",
            f"{refused} of {count_en(count_)} not added (nothing of them was stored)") + "\n")
        return 1
    return 0


def _state_label(state: str, lg: str) -> str:
    ja = {"unreviewed": "未着手", "in_progress": "審査中", "reviewed": "審査済"}
    return ja.get(state, state) if lg == "ja" else state


def cmd_list(args: argparse.Namespace) -> int:
    from register.export_xlsx import conclusion_label
    from register.queries import list_submissions

    filters = _filters(args)
    with _open(args) as reg:
        rows = list_submissions(reg, filters)
    if args.json:
        print_json([r.as_dict() for r in rows])
        return 0
    lg = lang(args)
    for r in rows:
        concl = conclusion_label(r.verified, r.can_submit, r.template_official)
        if lg != "ja":
            concl = {"提出可": "complete", "提出不可": "INCOMPLETE"}.get(concl,
                                                                         "complete (UNOFFICIAL template)")
        expiry = r.next_expiry.isoformat() if r.next_expiry else "-"
        print(f"{r.id}  {r.fiscal_year}  {r.vendor}  {concl}  {_state_label(r.review_state, lg)} "
              f"{r.reviewed_items}/{r.review_items}  "
              f"{say(lg, '未解決の指摘', 'findings')} {r.open_findings}  "
              f"{say(lg, '次の有効期限', 'next expiry')} {expiry}  "
              f"{say(lg, '期限超過の是正', 'overdue actions')} {r.overdue_actions}")
    print(count(lg, len(rows), "提出", "submission"), file=sys.stderr)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from exports.bundle_report import format_jst
    from register.queries import submission_detail

    with _open(args) as reg:
        d = submission_detail(reg, args.submission)
        store = reg.store
    sub, r = d.submission, d.row
    if args.json:
        print_json({**r.as_dict(), "vendor_keys": [
            {"key_id": k.key_id, "public_key": k.public_key, "pinned_at": k.pinned_at.isoformat(),
             "pinned_by": k.pinned_by, "how": k.how,
             "retired_at": k.retired_at.isoformat() if k.retired_at else None} for k in d.keys],
            "template_sha256": sub.template_sha256, "template_source": sub.template_source,
            "bundle_file": str(store.path_of(sub.bundle_sha256)),
            "claimed_previous_id": sub.claimed_previous_id,
            "checks": d.checks,
            "items": [{"item_id": i.item_id, "outcome": i.outcome, "verdict": i.verdict, "comment": i.comment,
                       "reviewer": i.reviewer,
                       "reviewed_at": i.reviewed_at.isoformat() if i.reviewed_at else None,
                       "version": i.version} for i in d.items],
            "evidence": [{"item_id": e.item_id, "kind": e.kind, "title": e.title, "filename": e.filename,
                          "issuer": e.issuer, "number": e.number,
                          "issued": e.issued.isoformat() if e.issued else None,
                          "expires": e.expires.isoformat() if e.expires else None, "size": e.size,
                          "sha256": e.sha256} for e in d.evidence],
            "corrective_actions": [{"item_id": a.item_id, "description": a.description,
                                    "due": a.due.isoformat() if a.due else None} for a in d.actions],
            "verdict_changes": d.trail_count})
        return 0
    official = "official" if sub.template_official else f"UNOFFICIAL ({sub.template_source})"
    lines = [
        ("submission", sub.id), ("vendor", d.vendor.name), ("fiscal year", str(sub.fiscal_year)),
        ("exported", f"{format_jst(sub.exported_at, 'en')} (signed; the vendor's clock)"),
        ("signer key", sub.signer_key_id), ("template", f"{sub.template_id} {sub.template_version} "
                                                        f"sha256 {sub.template_sha256[:16]}… {official}"),
        ("previous", sub.previous_id or "-"),
        ("verification", "every check held when added" if sub.verified else "FAILED"),
        ("recomputed", f"on {sub.assessed_on}: {'complete' if sub.can_submit else 'INCOMPLETE'} — "
                       f"{sub.complete} of {sub.required} required items complete; conforming "
                       f"{sub.conforming}, needs improvement {sub.needs_improvement}, non-conforming "
                       f"{sub.non_conforming}, unanswered {sub.unanswered}"),
        ("review", f"{r.review_state}: {r.reviewed_items} of {r.review_items} items, "
                   f"{count('en', r.open_findings, '', 'open finding')}, "
                   f"{count('en', d.trail_count, '', 'verdict change')} recorded"),
        ("bundle file", str(store.path_of(sub.bundle_sha256))),
        ("added", f"{format_jst(sub.added_at, 'en')} by {sub.added_by}"),
    ]
    for label, value in lines:
        print(f"{label:<13}: {value}")
    for k in d.keys:
        state = f"retired {k.retired_at:%Y-%m-%d}" if k.retired_at else "current"
        print(f"key          : {k.key_id} pinned {k.pinned_at:%Y-%m-%d} by {k.pinned_by} ({k.how}; {state})")
    for e in d.evidence:
        print(f"evidence     : {e.item_id} {e.kind} {e.title or e.filename} issuer {e.issuer or '-'} "
              f"no. {e.number or '-'} expires {e.expires or '-'} sha256 {e.sha256[:16]}…")
    for a in d.actions:
        print(f"action       : {a.item_id} due {a.due or '-'} {a.description[:80]}")
    print("items (ID, recomputed outcome, verdict, version, reviewer, finding):")
    for i in d.items:
        if i.outcome == "hidden" and not i.verdict:
            continue
        who = f"{i.reviewer} {format_jst(i.reviewed_at, 'en')}" if i.reviewer else "-"
        print(f"  {i.item_id:<10} {i.outcome:<18} {i.verdict or '-':<15} v{i.version:<3} {who}"
              + (f"  {i.comment[:100]!r}" if i.comment else ""))
    return 0


def cmd_verdict(args: argparse.Namespace) -> int:
    from register.verdicts import parse_verdict, set_verdict

    verdict = parse_verdict(args.verdict)
    with _open(args) as reg:
        before, after = set_verdict(reg, args.submission, args.item, verdict, args.comment,
                                    expected_version=args.expect_version)
    print(f"{args.item}: {after.describe()} (version {after.version}, by {after.reviewer}); "
          f"was: {before.describe()} (version {before.version})")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from register.export_xlsx import write_overview

    out = Path(args.xlsx)
    if (out.exists() or out.is_symlink()) and not args.force:
        raise AttestError(f"{out} already exists (choose another name, or use --force to replace it)")
    filters = _filters(args)
    with _open(args) as reg:
        n = write_overview(reg, out, filters=filters)
    lg = lang(args)
    print(say(lg, f"書き出しました: {out}（提出者・年度 {n} 行）",
              f"wrote {out}: {count('en', n, '', 'vendor-year row')}"))
    return 0


def _latest_of_year(reg, vendor: str, year: int):
    """The vendor's newest submission of 年度 ``year`` (register list --vendor --year --latest),
    its stored bundle file and the public key the register pinned when it verified it at add."""
    from exports.bundle_pins import fold
    from register.models import Submission
    from register.queries import Filters, list_submissions

    rows = list_submissions(reg, Filters(vendor=vendor, latest_only=True))
    names = sorted({r.vendor for r in rows})
    if not names:
        raise CliError(f"no vendor {vendor!r} in the register (see register list)",
                       f"登録簿に提出者「{vendor}」はありません（register list で確認してください）")
    if len(names) > 1:
        exact = [n for n in names if fold(n) == fold(vendor)]
        if not exact:
            raise CliError(f"{vendor!r} names more than one vendor ({', '.join(names[:3])}); give more of "
                           "the name",
                           f"「{vendor}」に当たる提出者が複数あります（{'、'.join(names[:3])}）。"
                           "名前をもっと詳しく指定してください")
        names = exact
    mine = [r for r in rows if r.vendor == names[0] and r.fiscal_year == year]
    if not mine:
        raise CliError(f"{names[0]} has no submission of 年度 {year} in the register",
                       f"登録簿に {names[0]} の {year} 年度の提出はありません")
    row = max(mine, key=lambda r: r.exported_at)
    with reg.unit() as s:
        public_key = s.get(Submission, row.id).signing_key.public_key
    return row, reg.store.path_of(row.bundle_sha256), public_key


def cmd_diff(args: argparse.Namespace) -> int:
    from exports.comparison_sources import load_bundle_side
    from questionnaire.comparison import compare
    from questionnaire.official_templates import load_supplied_templates

    from .compare_cmds import output_comparison, workbook_path

    out = workbook_path(args.xlsx, force=args.force)
    with _open(args) as reg:
        picked = [_latest_of_year(reg, args.vendor, year) for year in (args.year1, args.year2)]
    templates = [j.template for j in load_supplied_templates(args.template)]
    # Verified again, as any bundle the auditor compares: against the key the register pinned
    # for that submission, with the auditor's identity (the store holds the bundle as received).
    sides = [load_bundle_side(path, signer=public_key, identity=args.identity, templates=templates)
             for _row, path, public_key in picked]
    output_comparison(compare(sides[0], sides[1]), lang(args), as_json=args.json, out=out)
    return 0
