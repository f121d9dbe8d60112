"""The two sides of a comparison, read the way the auditor's app reads anything: a bundle is
verified first (its signature, every file, its answers judged against the app's own copy of
the template), a workspace is opened read-only (storage/readonly.py: nothing in its folder
changes). A bundle that fails a check is never compared: the error names the first problem.

An opened bundle *folder* is refused: it was verified when it was opened, but anyone may have
edited it since; the bundle file is what the signature covers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from questionnaire.comparison import ActionRecord, Side, actions_from
from questionnaire.errors import AttestError
from questionnaire.submission import Submission
from questionnaire.template import Template
from storage.progress import CancelFn, ProgressFn

from .bundle_report import VerifyReport
from .errors import BundleVerificationFailed


class ComparisonInputError(AttestError):
    """One side of a comparison cannot be read (not a bundle or workspace, named wrongly)."""


class SideNotVerified(BundleVerificationFailed):
    """A bundle given for a comparison failed verification; ``report`` holds every check."""

    def __init__(self, report: VerifyReport, source: str | Path = "") -> None:
        super().__init__(report)
        where = f"{source}: " if source else ""
        self.args = (f"{where}the bundle did not verify, so it is not compared: {report.first_problem()}",)


# A side's corrective actions (issue 13 §4) are the submission's own — a verified bundle's
# corrective-actions.json, a workspace's records (questionnaire/corrective.py) — unless a reader
# added here answers first: each is called with the side's source (a verified ``VerifyReport`` or
# an open ``Workspace``) and returns action entries (``ActionRecord`` or corrective-actions.json
# dicts), or None when it has nothing for that source.
ActionReader = Callable[[Any], Iterable[Mapping[str, Any] | ActionRecord] | None]
ACTION_READERS: list[ActionReader] = []


def _actions(source: Any, sub: Submission) -> tuple[ActionRecord, ...]:
    try:
        for reader in ACTION_READERS:
            found = reader(source)
            if found is not None:
                return actions_from(found)
        return actions_from(a.as_dict() for a in sub.corrective_actions)
    except (ValueError, TypeError, AttributeError) as exc:
        raise ComparisonInputError(f"corrective actions: {exc}",
                                   ja=f"是正処置を読めません（{exc}）") from None


def side_from_report(report: VerifyReport, source: str | Path = "") -> Side:
    """A verified bundle's side (the desktop has the report of the bundle it opened)."""
    if not report.ok or report.submission is None:
        raise SideNotVerified(report, source)
    return Side(report.submission, "bundle", str(source or report.path or ""), exported_at=report.exported_at,
                official_template=report.official_template, actions=_actions(report, report.submission))


def side_from_workspace(ws, source: str | Path = "") -> Side:
    """An open workspace's side (read-only or not: only read here)."""
    sub = ws.submission()
    return Side(sub, "workspace", str(source or ws.path), period=ws.period, actions=_actions(ws, sub))


def load_bundle_side(path: str | Path, *, signer, identity, templates: Sequence[str | Path | Template] = (),
                     progress: ProgressFn | None = None, cancel: CancelFn | None = None,
                     approve: Callable[[VerifyReport], None] | None = None) -> Side:
    """Verify ``path`` with the auditor's identity and make its side. ``approve(report)`` runs
    on a verified report before it is used (the CLI's signer pins) and may fail it."""
    from .bundle_verify import verify_bundle

    if identity is None:
        raise ComparisonInputError(f"{path}: comparing a bundle needs the auditor's identity (--identity)",
                                   ja=f"{path}: 提出バンドルの比較には監査人の秘密鍵（--identity）が必要です")
    report = verify_bundle(path, signer=signer, identity=identity, templates=templates, progress=progress,
                           cancel=cancel)
    if report.ok and approve is not None:
        approve(report)
    return side_from_report(report, path)


def load_workspace_side(path: str | Path, passphrase: str) -> Side:
    from storage import Workspace

    with Workspace.open_readonly(path, passphrase) as ws:
        return side_from_workspace(ws, path)


def kind_of(path: str | Path) -> str:
    """"bundle" or "workspace"; anything else is a ComparisonInputError naming what it is."""
    from questionnaire.submission import ANSWERS_FILE
    from storage.db import DB_NAME

    p = Path(path)
    if p.is_file():
        return "bundle"
    if p.is_dir():
        if (p / DB_NAME).is_file():
            return "workspace"
        if (p / ANSWERS_FILE).is_file():
            raise ComparisonInputError(f"{p} is an opened bundle folder; give the bundle file itself, "
                                       "so that it is verified",
                                       ja=f"{p} は開いた提出バンドルのフォルダーです。検証できるよう、"
                                          "バンドルのファイルそのものを指定してください")
        raise ComparisonInputError(f"{p} is neither a bundle file nor a workspace folder",
                                   ja=f"{p} は提出バンドルのファイルでも"
                                      "ワークスペースのフォルダーでもありません")
    raise ComparisonInputError(f"{p}: no such file or folder", ja=f"{p} がありません")
