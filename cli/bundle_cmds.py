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
from exports.bundle_report import MEMBER_PREFIX
from questionnaire import parse_date
from questionnaire.text import counted

from .common import add_workspace_arg, lang, open_workspace, print_json
from .messages import CliError
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

    p = sub.add_parser("verify", help="check a bundle's signatures and contents")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--signer", required=True, metavar="PUBKEY",
                   help="the vendor's minisign public key file, or its base64 string (RW…)")
    p.add_argument("--identity", metavar="IDFILE",
                   help="age identity file: also decrypt and check everything inside")
    p.add_argument("--json", action="store_true", help="print the full report as JSON")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("open", help="verify a bundle, then extract it into a new or empty folder")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--signer", required=True, metavar="PUBKEY",
                   help="the vendor's minisign public key file, or its base64 string (RW…)")
    p.add_argument("--identity", required=True, metavar="IDFILE", help="age identity file")
    p.add_argument("--out", required=True, metavar="DIR", help="a new or empty folder")
    p.add_argument("--json", action="store_true", help="print the full report as JSON")
    p.set_defaults(func=cmd_open)


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
    if args.kind == "signing":
        passphrase = _signing_passphrase(args, confirm=True)
        made = keys.generate_signing_key(args.out, passphrase)
        print(f"secret key: {made.secret_path} (keep it private; it is protected by the passphrase)")
        print(f"public key: {made.public_path} (give it to the auditor)")
        print(f"key ID    : {made.public.key_id}")
        print(f"public key string: {made.public.base64}")
    else:
        made = keys.generate_recipient_key(args.out)
        print(f"identity : {made.identity_path} (keep it private: it decrypts bundles sent to you)")
        print(f"recipient: {made.recipient_path} (give it to vendors)")
        print(f"recipient string: {made.recipient}")
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


def _print_report(report: VerifyReport) -> None:
    members = [c for c in report.checks if c.name.startswith(MEMBER_PREFIX)]
    for c in report.checks:
        if c.name.startswith(MEMBER_PREFIX) and c.ok:
            continue
        print(f"{'OK  ' if c.ok else 'FAIL'} {c.name}: {c.detail}")
    if members:
        good = sum(c.ok for c in members)
        print(f"{'OK  ' if good == len(members) else 'FAIL'} files: {good} of {len(members)} "
              "have the size and SHA-256 the signed manifest gives")


def cmd_verify(args: argparse.Namespace) -> int:
    progress = _Progress("verifying / 検証中")
    try:
        report = verify_bundle(args.file, signer=args.signer, identity=args.identity, progress=progress)
    finally:
        progress.clear()
    if args.json:
        print_json(report.as_dict())
    else:
        _print_report(report)
    if not report.ok:
        raise BundleVerificationFailed(report)
    if not args.json:
        scope = "everything inside checked" if report.decrypted else \
            "outer signature only; give --identity to check the contents"
        print(f"verified: signed by key {report.signer_key_id} ({scope})")
    return 0


def cmd_open(args: argparse.Namespace) -> int:
    progress = _Progress("opening / 展開中")
    try:
        report = open_bundle(args.file, args.out, signer=args.signer, identity=args.identity,
                             progress=progress)
    except BundleVerificationFailed as exc:
        progress.clear()
        if args.json:
            print_json(exc.report.as_dict())
        else:
            _print_report(exc.report)
        raise
    finally:
        progress.clear()
    if args.json:
        print_json(report.as_dict())
    else:
        files = sum(1 for c in report.checks if c.name.startswith(MEMBER_PREFIX))
        print(f"verified and opened into {args.out} ({files} files); signed by key {report.signer_key_id}")
    return 0
