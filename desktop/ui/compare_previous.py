"""「前回の提出と比較…」: the auditor picks the previous bundle of the same vendor; it is verified
in a worker (progress and cancel) with the auditor's identity and the key that verified the
bundle on screen — a bundle that fails any check is not compared — and the comparison is set
on the session, where the form's badges, the 前回との差分 filter and the side-by-side panel
read it. The vendor's side compares with the workspace this one was carried forward from,
opened read-only."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from ..errors import ErrorDialog
from ..settings import AUDITOR_IDENTITY, LAST_FOLDER
from ..tasks import Task, run_with_progress

if TYPE_CHECKING:
    from ..auditor_session import AuditorSession
    from ..settings import Settings


class PreviousBundlePicker:
    """The file dialog, wrapped so tests can replace ``ask``."""

    @classmethod
    def ask(cls, parent: QWidget, start: str) -> Path | None:
        title = QCoreApplication.translate("ComparePrevious", "前回の提出バンドルを選ぶ")
        kinds = QCoreApplication.translate("ComparePrevious", "提出バンドル (*.zip);;すべてのファイル (*)")
        chosen, _ = QFileDialog.getOpenFileName(parent, title, start, kinds)
        return Path(chosen) if chosen else None


def compare_task(session: AuditorSession, previous: Path, identity: Path) -> Task:
    """Verify ``previous`` and compare it with the session's bundle, in the worker."""
    from exports.comparison_sources import load_bundle_side, side_from_report
    from questionnaire.comparison import compare

    report = session.report
    signer = report.signer_public_key
    # a version the app does not ship was accepted for this bundle: the same file judges the previous
    templates = () if report.official_template or report.judged_with is None else (
        report.judged_with.template,)
    current = side_from_report(report, report.path or "")

    def work(progress, cancel):
        old = load_bundle_side(previous, signer=signer, identity=identity, templates=templates,
                               progress=progress, cancel=cancel)
        return compare(old, current)

    return Task(work)


def compare_with_previous(parent: QWidget, session: AuditorSession, settings: Settings) -> Task | None:
    """Ask for the previous bundle and start the comparison; None when the user gave up."""
    identity = settings.get(AUDITOR_IDENTITY)
    if not identity:
        from exports.errors import KeyFileError

        ErrorDialog.show_error(parent, KeyFileError("no age identity file is set for opening bundles"))
        return None
    start = settings.get(LAST_FOLDER) or str(Path.home())
    previous = PreviousBundlePicker.ask(parent, start)
    if previous is None:
        return None
    task = compare_task(session, previous, Path(identity))
    task.succeeded.connect(session.set_comparison)
    task.failed.connect(lambda exc: ErrorDialog.show_error(parent, exc))
    label = QCoreApplication.translate("ComparePrevious", "前回の提出バンドルを検証して比較しています…")
    run_with_progress(parent, label, task)
    return task
