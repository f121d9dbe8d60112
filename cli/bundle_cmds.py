"""Commands for submission bundles: keygen, export, verify, open."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from exports import keys
from exports.bundle import (
    BundleVerificationFailed,
    VerifyReport,
    export_bundle,
    open_bundle,
    verify_bundle,
)
from exports.bundle_format import CHECKLIST, REPORT
from exports.bundle_pins import PinStore, apply_pins
from exports.bundle_report import MEMBER_PREFIX, format_jst
from exports.bundle_seen import SeenStore, sighting_notes
from exports.rows import display_width
from questionnaire import parse_date
from questionnaire.safe_names import shown
from questionnaire.text import counted

from .common import add_workspace_arg, lang, open_workspace, print_json
from .messages import CliError, say
from .passphrase import get_passphrase

SIGNING_PASSPHRASE_ENV = "CCUS_ATTEST_SIGNING_PASSPHRASE"


class UsageError(CliError):
    pass


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("keygen", help="create a signing key (vendor) or a recipient key (auditor)")
    p.add_argument("kind", choices=("signing", "recipient"),
                   help="signing: minisign key pair PREFIX.key + PREFIX.pub; "
                        "recipient: age identity PREFIX.age-identity + PREFIX.age-recipient")
    p.add_argument("--out", required=True, metavar="PREFIX", help="where to write, e.g. keys/vendor-2026")
    p.add_argument("--signing-passphrase-file", metavar="FILE",
                   help=f"passphrase for the new signing key (default: ${SIGNING_PASSPHRASE_ENV}, "
                        "else a prompt)")
    p.set_defaults(func=cmd_keygen)

    p = sub.add_parser("export", help="write a signed, encrypted submission bundle")
    add_workspace_arg(p)
    p.add_argument("--out", required=True, metavar="FILE", help="the bundle file to create (.zip)")
    p.add_argument("--sign-key", required=True, metavar="KEYFILE", help="minisign secret key file")
    p.add_argument("--to", required=True, action="append", metavar="RECIPIENT",
                   help="auditor's age1… recipient, or a file holding one (repeat for several)")
    p.add_argument("--signing-passphrase-file", metavar="FILE",
                   help=f"signing key passphrase (default: ${SIGNING_PASSPHRASE_ENV}, else a prompt)")
    p.add_argument("--allow-incomplete", action="store_true",
                   help="export even with unanswered items or expired evidence (recorded in the bundle)")
    p.add_argument("--on", metavar="DATE", help="check completeness and expiry on this date (default: today)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("verify", help="check a bundle's signatures and judge its contents")
    p.add_argument("file", metavar="FILE")
    _auditor_args(p, identity_required=False)
    p.add_argument("--previous", metavar="OLD_BUNDLE",
                   help="also verify OLD_BUNDLE and check that FILE names it as the submission it follows, "
                        "signed by the same key (needs --identity)")
    p.add_argument("--previous-signer", metavar="PUBKEY",
                   help="the key OLD_BUNDLE is signed with, when the vendor changed keys (default: --signer)")
    p.add_argument("--accept-key-change", action="store_true",
                   help="accept that FILE is signed by another key than OLD_BUNDLE, after you confirmed the "
                        "new key with the vendor by another channel")
    p.add_argument("--json", action="store_true", help="print the full report as JSON")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("open", help="verify a bundle, then extract it into a new or empty folder")
    p.add_argument("file", metavar="FILE")
    _auditor_args(p, identity_required=True)
    p.add_argument("--out", required=True, metavar="DIR", help="a new or empty folder")
    p.add_argument("--json", action="store_true", help="print the full report as JSON")
    p.set_defaults(func=cmd_open)


def _auditor_args(p: argparse.ArgumentParser, *, identity_required: bool) -> None:
    p.add_argument("--signer", required=True, metavar="PUBKEY",
                   help="the vendor's minisign public key file, or its base64 string (RW…)")
    p.add_argument("--identity", required=identity_required, metavar="IDFILE",
                   help="age identity file" + ("" if identity_required else
                                               ": also decrypt and check everything inside"))
    p.add_argument("--template", action="append", default=[], metavar="FILE",
                   help="judge a bundle whose template version this app does not ship against FILE "
                        "(an explicit acceptance: every output then says the template is unofficial)")
    p.add_argument("--pins", metavar="FILE",
                   help="the pinned vendor keys (default: the app's own, shared with the desktop app)")
    p.add_argument("--accept-signer", action="store_true",
                   help="pin a vendor's changed key, or a key under a new vendor name, after you confirmed "
                        "the key ID with the vendor by another channel")


class _Progress:
    """A percentage on stderr, only when it is a terminal (never in pipes or logs)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.tty = sys.stderr.isatty()
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.tty or not total or now - self._last < 0.2:
            return
        self._last = now
        sys.stderr.write(f"\r{self.label} {min(100, done * 100 // total):3d}%")
        sys.stderr.flush()

    def clear(self) -> None:
        if self.tty:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _signing_passphrase(args: argparse.Namespace, *, confirm: bool = False) -> str:
    prompt = "New signing key passphrase / 新しい署名鍵のパスフレーズ: " if confirm else \
        "Signing key passphrase / 署名鍵のパスフレーズ: "
    if not args.signing_passphrase_file and not os.environ.get(SIGNING_PASSPHRASE_ENV) \
            and not sys.stdin.isatty():
        raise UsageError(f"no signing key passphrase given: set {SIGNING_PASSPHRASE_ENV} or use "
                         "--signing-passphrase-file",
                         f"署名鍵のパスフレーズが指定されていません: 環境変数 {SIGNING_PASSPHRASE_ENV} を"
                         "設定するか、--signing-passphrase-file を使ってください")
    return get_passphrase(args.signing_passphrase_file, env=SIGNING_PASSPHRASE_ENV, confirm=confirm,
                          prompt=prompt)


def cmd_keygen(args: argparse.Namespace) -> int:
    lg = lang(args)
    if args.kind == "signing":
        passphrase = _signing_passphrase(args, confirm=True)
        made = keys.generate_signing_key(args.out, passphrase)
        print(say(lg, f"秘密鍵        : {made.secret_path}"
                      "（他人に渡さないこと。パスフレーズで保護されています）",
                  f"secret key: {made.secret_path} (keep it private; it is protected by the passphrase)"))
        print(say(lg, f"公開鍵        : {made.public_path}（監査人に渡します）",
                  f"public key: {made.public_path} (give it to the auditor)"))
        print(say(lg, f"鍵 ID         : {made.public.key_id}", f"key ID    : {made.public.key_id}"))
        print(say(lg, f"公開鍵の文字列: {made.public.base64}", f"public key string: {made.public.base64}"))
    else:
        made = keys.generate_recipient_key(args.out)
        print(say(lg, f"復号鍵        : {made.identity_path}"
                      "（他人に渡さないこと。あなた宛ての提出バンドルを復号する鍵です）",
                  f"identity : {made.identity_path} (keep it private: it decrypts bundles sent to you)"))
        print(say(lg, f"受信者鍵      : {made.recipient_path}（提出者に渡します）",
                  f"recipient: {made.recipient_path} (give it to vendors)"))
        print(say(lg, f"受信者鍵の文字列: {made.recipient}", f"recipient string: {made.recipient}"))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    on = None
    if args.on:
        try:
            on = parse_date(args.on, "--on date")
        except ValueError as exc:
            raise UsageError(str(exc), f"--on の日付 {args.on!r} を読めません（{exc}）") from None
    out = Path(args.out)
    if (out.exists() or out.is_symlink()) and not args.force:
        raise UsageError(f"{out} already exists (choose another name, or use --force to replace it)",
                         f"{out} はすでにあります（別の名前を指定するか、--force で置き換えてください）")
    recipients = keys.parse_recipients(args.to)
    key_file = keys.read_secret_key(args.sign_key)
    passphrase = _signing_passphrase(args) if key_file.encrypted else None
    progress = _Progress("exporting / 書き出し中")
    with key_file.unlock(passphrase) as key, open_workspace(args) as ws:
        try:
            result = export_bundle(ws, out, signing_key=key, recipients=recipients,
                                   allow_incomplete=args.allow_incomplete, on=on, progress=progress,
                                   overwrite=args.force)
        finally:
            progress.clear()
    lg = lang(args)
    if lg == "ja":
        state = "完成" if result.complete else "未完成（問題の一覧をバンドルに記録）"
        print(f"書き出しました: {result.path}（{result.size:,} バイト）、{state}")
        print(f"提出 ID   : {result.submission_id}")
        print(f"署名鍵 ID : {result.signer_key_id}")
    else:
        state = "complete" if result.complete else "INCOMPLETE (recorded in the bundle)"
        print(f"wrote {result.path} ({counted(result.size, 'byte')}), {state}")
        print(f"submission ID: {result.submission_id}")
        print(f"signer key ID: {result.signer_key_id}")
    print(f"SHA-256      : {result.sha256}")
    return 0


def _header(report: VerifyReport, lg: str) -> list[str]:
    """What identifies the submission, first and prominently (a replay looks like a fresh one
    otherwise): its ID and signed export time, the vendor, the template it is judged against."""
    ja = lg == "ja"
    rows = []
    if report.submission_id:
        rows.append(("提出ID" if ja else "submission", report.submission_id))
        rows.append(("書き出し日時" if ja else "exported",
                     f"{format_jst(report.exported_at, lg)} "
                     + (f"（署名鍵 {report.signer_key_id}、提出者の時計）" if ja else
                        f"(signed by key {report.signer_key_id}; the vendor clock)")))
    if report.vendor is not None:
        rows.append(("提出者" if ja else "vendor", shown(report.vendor) or "-"))
    if report.judged_with is not None:
        rows.append(("テンプレート" if ja else "template", report.judged_with.describe(lg)))
    return [f"{label}{' ' * (12 - display_width(label))}: {value}" for label, value in rows]


def _print_report(report: VerifyReport, lg: str = "en") -> None:
    for line in _header(report, lg):
        print(line)
    members = [c for c in report.checks if c.name.startswith(MEMBER_PREFIX)]
    for c in report.checks:
        if c.name.startswith(MEMBER_PREFIX) and c.ok:
            continue
        print(c.line(lg))
    if members:
        good = sum(c.ok for c in members)
        all_good = good == len(members)
        print(say(lg, f"{'合格  ' if all_good else '不合格'} ファイル: {len(members)} 個中 {good} 個が、"
                      "署名されたマニフェストのとおりの大きさと SHA-256 です",
                  f"{'OK  ' if all_good else 'FAIL'} files: {good} of {len(members)} "
                  "have the size and SHA-256 the signed manifest gives"))
    for line in report.conclusion_lines(lg):
        print(("結論 " if lg == "ja" else "conclusion: ") + line)
    for note in report.notes:
        print(note)


def _unofficial_line(report: VerifyReport, lg: str) -> str | None:
    j = report.judged_with
    if j is None or j.official:
        return None
    t = j.template
    return say(lg, "非公式テンプレート: 内容は、本アプリが同梱する公式テンプレートではなく、"
                   f"あなたが指定したファイル {j.source}（{t.id} 版 {t.version}、SHA-256 {t.digest[:16]}…）"
                   "に照らして判定しました",
               f"UNOFFICIAL TEMPLATE: the contents were judged against {j.source} ({t.id} "
               f"{t.version}, sha256 {t.digest[:16]}…), which you supplied; it is not a "
               "template this app ships")


def _trust(args: argparse.Namespace, report: VerifyReport, action: str, where: str, lg: str) -> bool:
    """Pins and earlier sightings (the same stores as the desktop app's). Returns whether a
    different payload was seen under this submission ID before."""
    earlier = SeenStore().record(report, action, where)
    report.notes.extend(sighting_notes(report, earlier, lg))
    return report.replay_suspected


def cmd_verify(args: argparse.Namespace) -> int:
    lg = lang(args)
    progress = _Progress("verifying / 検証中")
    try:
        report = verify_bundle(args.file, signer=args.signer, identity=args.identity, progress=progress,
                               templates=args.template)
    finally:
        progress.clear()
    if report.decrypted:
        apply_pins(report, PinStore(args.pins), accept=args.accept_signer)
    replayed = _trust(args, report, "verify", str(Path(args.file).absolute()), lg)
    if getattr(args, "previous", None):
        _check_previous(args, report)
    if args.json:
        print_json(report.as_dict())
    else:
        _print_report(report, lg)
    if not report.ok:
        raise BundleVerificationFailed(report)
    if not args.json:
        if lg == "en":
            scope = ("everything inside checked; the conclusions are the app's own" if report.decrypted else
                     "outer signature only; give --identity to check the contents")
            print(f"verified: signed by key {report.signer_key_id}, submission {report.submission_id} "
                  f"exported {format_jst(report.exported_at, 'en')} ({scope})")
        else:
            scope = ("中身もすべて確認済み。結論は本アプリが再計算したもの" if report.decrypted else
                     "外側の署名のみ。中身を確認するには --identity を指定してください")
            print(f"検証済み: 鍵 {report.signer_key_id} による署名、提出 {report.submission_id}、"
                  f"{format_jst(report.exported_at, 'ja')} に書き出し（{scope}）")
        unofficial = _unofficial_line(report, lg)
        if unofficial:
            print(unofficial)
        if replayed:
            print(report.notes[0])
    return 0


def _check_previous(args: argparse.Namespace, report: VerifyReport) -> None:
    """``verify --previous``: OLD verified in full with its key, then the link (bundle_chain)."""
    from exports.bundle_chain import check_chain
    from exports.errors import BundleError

    if args.identity is None:
        raise BundleError("--previous needs --identity: both bundles are decrypted to check the link")
    previous = Path(args.previous)
    if not previous.is_file():
        raise BundleError(f"{previous}: no such file")
    progress = _Progress("verifying the previous bundle / 前回の提出を検証中")
    try:
        old = verify_bundle(previous, signer=args.previous_signer or args.signer, identity=args.identity,
                            progress=progress, templates=args.template)
    finally:
        progress.clear()
    result = check_chain(report, old, accept_key_change=args.accept_key_change)
    for check in result.checks:
        report.add(check)
    if not old.ok:
        hint = ("" if args.previous_signer else
                "; if the vendor changed keys, give the old key with --previous-signer")
        report.notes.append(f"previous bundle {previous.name}: {old.first_problem()}{hint}")
    if result.key_changed:
        # Loud on stderr too, whatever the output format: a changed key is the one thing an
        # attacker who stole nothing but the vendor's name would need.
        print(f"WARNING: SIGNING KEY CHANGED since the previous submission ({old.signer_key_id} → "
              f"{report.signer_key_id}) / 署名鍵が前回の提出から変わっています", file=sys.stderr)


def cmd_open(args: argparse.Namespace) -> int:
    lg = lang(args)
    progress = _Progress("opening / 展開中")
    pins = PinStore(args.pins)
    where = str(Path(args.file).absolute())
    try:
        report = open_bundle(args.file, args.out, signer=args.signer, identity=args.identity,
                             progress=progress, templates=args.template,
                             approve=lambda r: apply_pins(r, pins, accept=args.accept_signer))
    except BundleVerificationFailed as exc:
        progress.clear()
        _trust(args, exc.report, "open", where, lg)
        if args.json:
            print_json(exc.report.as_dict())
        else:
            _print_report(exc.report, lg)
        raise
    finally:
        progress.clear()
    replayed = _trust(args, report, "open", f"{where} → {Path(args.out).absolute()}", lg)
    if args.json:
        print_json(report.as_dict())
    else:
        _print_report(report, lg)
        files = sum(1 for c in report.checks if c.name.startswith(MEMBER_PREFIX))
        if lg == "en":
            print(f"verified and opened into {args.out} ({counted(files, 'file')}); signed by key "
                  f"{report.signer_key_id}, submission {report.submission_id} exported "
                  f"{format_jst(report.exported_at, 'en')}")
            print(f"{CHECKLIST} and {REPORT} in the folder are the vendor's renderings; the auditor's are "
                  f"made from the verified data: ccus-attest checklist {args.out} --out FILE.xlsx "
                  "(report: FILE.pdf)")
        else:
            print(f"検証して {args.out} に展開しました（ファイル {files} 個）。"
                  f"鍵 {report.signer_key_id} による署名、提出 {report.submission_id}、"
                  f"{format_jst(report.exported_at, 'ja')} に書き出し")
            print(f"フォルダー内の {CHECKLIST} と {REPORT} は提出者が作成したものです。"
                  "監査人のものは検証済みのデータから作成します: "
                  f"ccus-attest checklist {args.out} --out FILE.xlsx"
                  "（報告書は report … --out FILE.pdf）")
        unofficial = _unofficial_line(report, lg)
        if unofficial:
            print(unofficial)
        if replayed:
            print(report.notes[0])
    return 0
