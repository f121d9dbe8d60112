"""``diff A B``: what changed between two submissions — two bundles (each verified with the
auditor's keys), two workspaces (opened read-only), or one of each."""

from __future__ import annotations

import argparse
from pathlib import Path

from exports.bundle_pins import PinStore, apply_pins
from exports.comparison_sources import (
    kind_of,
    load_bundle_side,
    load_workspace_side,
)
from exports.comparison_text import report_lines
from questionnaire.comparison import Comparison, compare
from questionnaire.official_templates import load_supplied_templates

from .common import lang, print_json
from .messages import CliError
from .passphrase import get_passphrase


class DiffUsageError(CliError):
    pass


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("diff", help="what changed between two submissions (bundles or workspaces)",
                       description="Compare A (the earlier submission) with B (the later one), item by item: "
                                   "answers, notes, evidence files, template changes and corrective actions. "
                                   "A bundle is verified first and never compared if a check fails; a "
                                   "workspace is opened read-only. Exit status 0 whether or not anything "
                                   "changed; 1 on bad input.")
    p.add_argument("old", metavar="A", help="the earlier submission: a bundle file or a workspace folder")
    p.add_argument("new", metavar="B", help="the later submission: a bundle file or a workspace folder")
    p.add_argument("--signer", action="append", default=[], metavar="PUBKEY",
                   help="the vendor's minisign public key file or RW… string; once for both bundles, or "
                        "twice (A's, then B's) when the key changed")
    p.add_argument("--identity", action="append", default=[], metavar="IDFILE",
                   help="the auditor's age identity file; once, or twice (for A, then B)")
    p.add_argument("--template", action="append", default=[], metavar="FILE",
                   help="accept FILE as the template of a bundle whose version this app does not ship "
                        "(every output then says the template is unofficial)")
    p.add_argument("--pins", metavar="FILE",
                   help="the pinned vendor keys (default: the app's own, shared with the desktop app)")
    p.add_argument("--accept-signer", action="store_true",
                   help="pin a vendor's changed key after you confirmed the key ID by another channel")
    p.add_argument("--passphrase-file", action="append", default=[], metavar="FILE",
                   help="a workspace's passphrase (first line); once for both workspaces, or twice "
                        "(default: $CCUS_ATTEST_PASSPHRASE, else a prompt)")
    p.add_argument("--json", action="store_true", help="print the comparison as JSON (stable keys)")
    p.add_argument("--xlsx", metavar="OUT.xlsx", help="also write the 変更点 workbook")
    p.add_argument("--force", action="store_true", help="replace OUT.xlsx if it exists")
    p.set_defaults(func=cmd_diff)


def _pick(values: list[str], n: int, option: str) -> str | None:
    """The value of a once-or-twice option for the n-th side (0 or 1)."""
    if len(values) > 2:
        raise DiffUsageError(f"{option} is given {len(values)} times; give it once, or twice (A, then B)",
                             f"{option} が {len(values)} 回指定されています。"
                             "1 回、または 2 回（A、B の順）にしてください")
    if not values:
        return None
    return values[min(n, len(values) - 1)]


def cmd_diff(args: argparse.Namespace) -> int:
    kinds = (kind_of(args.old), kind_of(args.new))
    out = workbook_path(args.xlsx, force=args.force)
    for n, (path, kind) in enumerate(zip((args.old, args.new), kinds, strict=True)):
        if kind == "bundle":
            if _pick(args.signer, n, "--signer") is None:
                raise DiffUsageError(f"{path} is a bundle: give the vendor's public key with --signer",
                                     f"{path} は提出バンドルです。"
                                     "提出者の公開鍵を --signer で指定してください")
            if _pick(args.identity, n, "--identity") is None:
                raise DiffUsageError(f"{path} is a bundle: give your age identity with --identity",
                                     f"{path} は提出バンドルです。"
                                     "自分の age 秘密鍵を --identity で指定してください")
    pins = PinStore(args.pins)
    # the accepted template files, read once for both bundles
    templates = [j.template for j in load_supplied_templates(args.template)]
    sides = []
    workspaces = 0
    for n, (path, kind) in enumerate(zip((args.old, args.new), kinds, strict=True)):
        if kind == "bundle":
            sides.append(load_bundle_side(
                path, signer=_pick(args.signer, n, "--signer"),
                identity=_pick(args.identity, n, "--identity"), templates=templates,
                approve=lambda r: apply_pins(r, pins, accept=args.accept_signer)))
        else:
            file = _pick(args.passphrase_file, workspaces, "--passphrase-file")
            workspaces += 1
            prompt = f"Passphrase of {path} / パスフレーズ: "
            sides.append(load_workspace_side(path, get_passphrase(file, prompt=prompt)))
    output_comparison(compare(sides[0], sides[1]), lang(args), as_json=args.json, out=out)
    return 0


def workbook_path(xlsx: str | None, *, force: bool) -> Path | None:
    """The 変更点 workbook to write, checked before anything is read (None: no workbook)."""
    out = Path(xlsx) if xlsx else None
    if out is not None:
        if out.suffix.lower() != ".xlsx":
            raise DiffUsageError(f"{out}: the workbook's name must end in .xlsx",
                                 f"{out}: ブックの名前は .xlsx で終わる必要があります")
        if (out.exists() or out.is_symlink()) and not force:
            raise DiffUsageError(f"{out} already exists (choose another name, or use --force to replace it)",
                                 f"{out} はすでにあります（別の名前にするか、--force で置き換えてください）")
    return out


def output_comparison(result: Comparison, lg: str, *, as_json: bool, out: Path | None) -> None:
    """The comparison as text or JSON on stdout, and the workbook if asked (``diff`` and
    ``register diff`` print exactly the same)."""
    if out is not None:
        from exports.comparison_xlsx import write_comparison

        write_comparison(result, out)
    if as_json:
        print_json(result.as_dict())
    else:
        for line in report_lines(result, lg):
            print(line)
        if out is not None:
            print(f"{'変更点ブック' if lg == 'ja' else 'workbook'}: {out}")
