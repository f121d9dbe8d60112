"""Commands that make documents from a submission and take a review back:
checklist (xlsx), report (PDF), import-review.

Each works on a vendor workspace or on a bundle folder opened by the auditor.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from questionnaire import parse_date
from questionnaire.review import Review, ReviewError
from questionnaire.submission import Submission, SubmissionError
from questionnaire.text import counted
from storage import Workspace, is_workspace
from storage.fsutil import atomic_write

from .common import lang, open_workspace, print_json
from .messages import CliError, count, say

MANIFEST_FILE = "manifest.json"
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
_KEY_ID = re.compile(r"^[0-9A-F]{16}$")


class ReportUsageError(CliError):
    pass


class ReviewRejected(CliError):
    pass


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("checklist", help="write the Excel checklist (with reviewer columns)")
    _target_arg(p)
    p.add_argument("--out", required=True, metavar="FILE.xlsx")
    p.add_argument("--on", metavar="DATE", help="judge completeness and expiry on this date (default: today)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.add_argument("--no-review", action="store_true",
                   help="leave the reviewer's findings out (default: show the last imported review)")
    p.add_argument("--previous", metavar="BUNDLE",
                   help="the previous submission's bundle, verified with --signer and --identity: adds a "
                        "前回からの変更 column (what changed since then, as `diff` says)")
    p.add_argument("--signer", metavar="PUBKEY",
                   help="with --previous: the vendor's public key (file or RW…)")
    p.add_argument("--identity", metavar="IDFILE", help="with --previous: your age identity file")
    p.set_defaults(func=cmd_checklist)

    p = sub.add_parser("report", help="write the PDF report")
    _target_arg(p)
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.add_argument("--on", metavar="DATE", help="judge completeness and expiry on this date (default: today)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.add_argument("--no-review", action="store_true",
                   help="leave the reviewer's findings out (default: show the last imported review)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("import-review", help="read the reviewer columns of a reviewed checklist back")
    _target_arg(p)
    p.add_argument("review", metavar="REVIEWED.xlsx")
    p.add_argument("--json", action="store_true", help="print the findings and problems as JSON")
    p.add_argument("--skip-problem-rows", action="store_true",
                   help="store the findings of the sound rows even when other rows have problems")
    p.add_argument("--dry-run", action="store_true", help="check and print only; store nothing")
    p.set_defaults(func=cmd_import_review)


def _target_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("workspace", metavar="WORKSPACE_OR_OPENED_BUNDLE_DIR",
                   help="a workspace folder, or a bundle folder extracted by `open`")
    p.add_argument("--passphrase-file", metavar="FILE",
                   help="workspace passphrase file (default: $CCUS_ATTEST_PASSPHRASE, else a prompt)")
    p.add_argument("--template", action="append", default=[], metavar="FILE",
                   help="(opened bundle) judge it against FILE when the app does not ship its template "
                        "version; the output then says the template is unofficial")


# --- where the submission comes from ---------------------------------------------------------


@dataclass
class Target:
    sub: Submission
    ws: Workspace | None = None
    folder: Path | None = None

    @property
    def where(self) -> str:
        return str(self.ws.path if self.ws else self.folder)


def read_manifest(folder: Path) -> tuple[str | None, str | None]:
    """(signer key ID, submission ID) from an opened bundle's manifest.json; (None, None)
    when there is no manifest (a folder laid out by hand)."""
    path = folder / MANIFEST_FILE
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_MANIFEST_BYTES + 1)
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        raise SubmissionError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        if len(raw) > MAX_MANIFEST_BYTES:
            raise ValueError("too large")
        manifest = json.loads(raw.decode("utf-8"))
        if not isinstance(manifest, dict):
            raise ValueError("not a JSON object")
    except (ValueError, UnicodeDecodeError) as exc:
        raise SubmissionError(f"{MANIFEST_FILE} is malformed ({exc})") from None
    signer = manifest.get("signer_key_id")
    if signer is not None and not (isinstance(signer, str) and _KEY_ID.match(signer)):
        raise SubmissionError(f"{MANIFEST_FILE}: signer_key_id is not a 16-digit key ID")
    sid = manifest.get("submission_id")
    return signer, sid if isinstance(sid, str) else None


@contextlib.contextmanager
def open_target(args: argparse.Namespace) -> Iterator[Target]:
    path = Path(args.workspace)
    if is_workspace(path):
        with open_workspace(args) as ws:
            yield Target(ws.submission(), ws=ws)
        return
    if not path.exists():
        raise ReportUsageError(f"{path} does not exist", f"{path} はありません")
    if not path.is_dir():
        raise ReportUsageError(f"{path} is not a folder", f"{path} はフォルダーではありません")
    signer, manifest_sid = read_manifest(path)
    # The auditor's own copy of the template (never the folder's template.yaml), and the
    # limits of a verified bundle: exports/bundle_opened.py.
    from exports.bundle_opened import load_opened_submission

    sub, _judging = load_opened_submission(path, templates=getattr(args, "template", ()),
                                           signer_key_id=signer)
    if manifest_sid is not None and manifest_sid != sub.submission_id:
        raise SubmissionError(f"{MANIFEST_FILE} and answers.json name different submissions")
    yield Target(sub, folder=path)


def _on(args: argparse.Namespace) -> dt.date | None:
    if args.on is None:
        return None
    try:
        return parse_date(args.on, "--on date")
    except ValueError as exc:
        raise ReportUsageError(str(exc), f"--on の日付 {args.on!r} を読めません（{exc}）") from None


@contextlib.contextmanager
def _output(dest: str, force: bool):
    try:
        with atomic_write(Path(dest), overwrite=force) as fh:
            yield fh
    except FileExistsError:
        raise ReportUsageError(f"{dest} already exists; use --force to replace it",
                               f"{dest} はすでにあります（--force で置き換えられます）") from None


# --- checklist / report ----------------------------------------------------------------------


def shown_review(target: Target) -> Review | None:
    """The review the documents show: in a vendor workspace the one it acts on (the newest
    import of a review of any submission it sent, whatever that submission's ID); beside an
    opened bundle, the auditor's review.json."""
    if target.ws is not None:
        from storage.reviews import current_review

        stored = current_review(target.ws)
        return stored.review if stored else None
    from exports.review import load_review_json

    try:
        review = load_review_json(target.folder)
    except ReviewError as exc:
        raise ReviewError(f"{exc}; use --no-review to leave the reviewer's findings out") from None
    if review is None or review.submission_id != target.sub.submission_id:
        return None
    return review


def _changes_since(args: argparse.Namespace, target: Target):
    """The comparison of the previous bundle (verified here) with this submission."""
    from exports.bundle_pins import PinStore, apply_pins
    from exports.comparison_sources import load_bundle_side
    from questionnaire.comparison import Side, compare
    from questionnaire.official_templates import load_supplied_templates

    templates = [j.template for j in load_supplied_templates(getattr(args, "template", ()))]
    pins = PinStore()   # the same pinned vendor keys as verify, open and diff
    old = load_bundle_side(args.previous, signer=args.signer, identity=args.identity, templates=templates,
                           approve=lambda r: apply_pins(r, pins))
    return compare(old, Side(target.sub, "bundle" if target.ws is None else "workspace", args.workspace))


def cmd_checklist(args: argparse.Namespace) -> int:
    from exports.checklist import write_checklist
    from exports.export_log import log_document_export

    on = _on(args)
    if args.previous and not (args.signer and args.identity):
        raise ReportUsageError("--previous needs the vendor's key (--signer) and your identity (--identity)",
                               "--previous には提出者の公開鍵（--signer）と"
                               "自分の秘密鍵（--identity）が必要です")
    with open_target(args) as target:
        review = None if args.no_review else shown_review(target)
        findings = len(review.findings) if review else 0
        changes = _changes_since(args, target) if args.previous else None
        with _output(args.out, args.force) as fh:
            write_checklist(target.sub, fh, on=on, review=review, changes=changes)
        if target.ws is not None and not log_document_export(target.ws, "checklist", args.out,
                                                              prefilled=findings):
            _not_logged(args)
        lg = lang(args)
        parts = [count(lg, len(target.sub.template.items), "設問", "item"),
                 count(lg, len(target.sub.evidence), "証跡", "evidence file")]
        if findings:
            parts.append(say(lg, f"確認結果の指摘 {findings} 件を表示",
                             f"{counted(findings, 'finding')} of the review shown"))
        print(_wrote(lg, args.out, parts))
        _say_unofficial(target, lg)
    return 0


def _wrote(lg: str, out: str, parts: list[str]) -> str:
    if lg == "en":
        return f"wrote {out}" + (f" ({', '.join(parts)})" if parts else "")
    return f"書き出しました: {out}" + (f"（{'、'.join(parts)}）" if parts else "")


def _say_unofficial(target: Target, lg: str) -> None:
    notice = target.sub.unofficial_notice()
    if notice is not None:
        print(notice.get(lg))


def cmd_report(args: argparse.Namespace) -> int:
    from exports.export_log import log_document_export
    from exports.report import write_report

    on = _on(args)
    with open_target(args) as target:
        review = None if args.no_review else shown_review(target)
        with _output(args.out, args.force) as fh:
            write_report(target.sub, fh, on=on, review=review)
        if target.ws is not None and not log_document_export(target.ws, "report", args.out):
            _not_logged(args)
        lg = lang(args)
        n = len(review.findings) if review else 0
        print(_wrote(lg, args.out, [say(lg, f"確認結果の指摘 {n} 件を表示",
                                        f"{counted(n, 'finding')} of the review shown")] if n else []))
        _say_unofficial(target, lg)
    return 0


def _not_logged(args: argparse.Namespace) -> None:
    import sys

    sys.stderr.write("ccus-attest: note: " + (
        "ワークスペースは読み取り専用のため、この書き出しは操作履歴に記録されていません。\n"
        if lang(args) == "ja" else
        "the workspace is read-only, so this export is not recorded in its activity log.\n"))


# --- import-review ---------------------------------------------------------------------------


def cmd_import_review(args: argparse.Namespace) -> int:
    from exports.review import read_review, save_review_json

    lg = lang(args)
    with open_target(args) as target:
        if target.ws is not None:
            from storage.reviews import known_submission_ids, save_review

            known = known_submission_ids(target.ws)
            review = read_review(target.sub, args.review, known_submission_ids=known)
        else:
            review = read_review(target.sub, args.review)
        refused = review.refused or (bool(review.problems) and not args.skip_problem_rows)
        empty = not refused and not review.findings
        store = not refused and not empty and not args.dry_run
        if store:
            if target.ws is not None:
                save_review(target.ws, review)
            else:
                save_review_json(target.folder, review)
        open_actions = None
        if store and target.ws is not None:
            from questionnaire.corrective import tally
            from storage.actions import actions

            open_actions = tally(actions(target.ws), dt.date.today()).as_dict()
        if args.json:
            print_json({"target": target.where, "stored": store, "refused": refused or empty,
                        "review": review.to_document(), "corrective_actions": open_actions})
        else:
            _print_review(review, lg, store, target)
            if open_actions is not None:
                print(f"corrective actions: {open_actions['open']} open of {open_actions['total']} "
                      "(each 不適合 / 要確認 is one; see `actions`)")
    if review.refused:
        raise ReviewRejected(f"{args.review} does not belong to this submission; nothing was imported",
                             f"{args.review} はこの提出データの確認結果ではありません。"
                             "何も取り込んでいません")
    if empty:
        raise ReviewRejected(f"{args.review} has no reviewer entries (判定, 指摘事項, 確認者 and 確認日 are "
                             "empty on every row); nothing was imported",
                             f"{args.review} には確認結果の記入がありません（どの行も判定・指摘事項・確認者・"
                             "確認日が空欄です）。何も取り込んでいません")
    if refused:
        n = len(review.problems)
        raise ReviewRejected(f"{counted(n, 'problem')} in {args.review}; "
                             "nothing was imported (fix them, or use --skip-problem-rows to import the "
                             "sound rows)",
                             f"{args.review} に問題が {n} 件あります。何も取り込んでいません（問題を直すか、"
                             "--skip-problem-rows で問題のない行だけを取り込んでください）")
    return 0


def _print_review(review: Review, lg: str, stored: bool, target: Target) -> None:
    from questionnaire.review import VERDICT_LABELS, Verdict

    counts = review.counts()
    summary = ("、" if lg == "ja" else ", ").join(f"{VERDICT_LABELS[v].get(lg)} {counts[v.value]}"
                                                 for v in Verdict)
    for f in review.findings:
        verdict = f.verdict.label.get(lg) if f.verdict else "-"
        extra = " / ".join(x for x in (f.comment.replace("\n", " "), f.reviewer,
                                       f.reviewed_on.isoformat() if f.reviewed_on else "") if x)
        print(f"  {f.item_id:<9} {verdict:<8} {extra}")
    if review.problems:
        print("problems:" if lg == "en" else "問題:")
        for p in review.problems:
            print(f"  {p.message(lg)}")
    if lg == "en":
        state = f"stored in {target.where}" if stored else "not stored"
        print(f"{counted(len(review.findings), 'finding')} ({summary}); "
              f"{counted(len(review.problems), 'problem')}; {state}")
    else:
        state = f"{target.where} に保存しました" if stored else "保存していません"
        print(f"指摘 {len(review.findings)} 件（{summary}）、問題 {len(review.problems)} 件。{state}")
