"""「チェックリストを書き出す（xlsx）」 and 「報告書を書き出す（PDF）」, for the vendor and the auditor.

The documents are rendered in the worker (1–2 s at 1,000 items) into a temporary file
beside the destination, renamed into place only when complete: Cancel or an error leaves
nothing, and an existing file is replaced only after the user said so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from ..errors import ErrorDialog
from ..settings import EXPORT_FOLDER
from ..tasks import Task, run_with_progress
from .common import choose_output

if TYPE_CHECKING:
    from questionnaire.comparison import Comparison
    from questionnaire.review import Finding
    from questionnaire.submission import Submission

    from ..settings import Settings

CHECKLIST = "checklist"
REPORT = "report"
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_file_name(text: str) -> str:
    return _UNSAFE_NAME.sub("_", text).strip(" .")[:80] or "ccus-attest"


def write_document(kind: str, sub: Submission, dest: Path, *, overwrite: bool,
                   reviews: dict[str, Finding] | None = None, cancel: Callable[[], bool] = bool,
                   changes: Comparison | None = None) -> Path:
    """Render one document to ``dest`` atomically. Runs in a worker."""
    from storage.errors import Cancelled
    from storage.fsutil import atomic_write

    try:
        with atomic_write(dest, overwrite=overwrite) as fh:
            if kind == CHECKLIST:
                from exports.checklist import write_checklist

                write_checklist(sub, fh, reviews=reviews, changes=changes)
            else:
                from exports.report import write_report

                write_report(sub, fh)
            if cancel():
                raise Cancelled()  # the temporary file goes; dest is untouched
    except FileExistsError:
        from exports.errors import OutputExists

        raise OutputExists(dest) from None
    return dest


class DocumentExports(QObject):
    """Runs the document exports of one window. ``submission`` and ``reviews`` are called in
    the UI thread when the user asks (a snapshot), the rendering runs in the worker."""

    def __init__(self, window: QWidget, settings: Settings, title: Callable[[], str],
                 submission: Callable[[], Submission],
                 reviews: Callable[[], dict[str, Finding]] | None = None,
                 record: Callable[[str, Path], None] | None = None,
                 changes: Callable[[], Comparison | None] | None = None) -> None:
        """``record(kind, path)`` runs in the worker after a document was written (the
        vendor's window records it in the activity log); ``changes()``: the comparison with the
        previous submission when one is known (the auditor's checklist gets its column)."""
        super().__init__(window)
        self.record = record
        self.window = window
        self.settings = settings
        self.title = title
        self.submission = submission
        self.reviews = reviews
        self.changes = changes
        self.tasks: list[Task] = []

    def export_checklist(self, *, review_workbook: bool = False) -> Task | None:
        label = self.tr("レビュー") if review_workbook else self.tr("チェックリスト")
        return self._export(CHECKLIST, label, ".xlsx", self.tr("Excel ブック (*.xlsx)"))

    def export_report(self) -> Task | None:
        return self._export(REPORT, self.tr("報告書"), ".pdf", self.tr("PDF (*.pdf)"))

    def _export(self, kind: str, label: str, suffix: str, filters: str) -> Task | None:
        folder = Path(self.settings.get(EXPORT_FOLDER) or Path.home())
        name = f"{safe_file_name(self.title())}_{label}_{dt.date.today():%Y%m%d}{suffix}"
        title = self.tr("チェックリストの書き出し先") if kind == CHECKLIST else self.tr("報告書の書き出し先")
        chosen = choose_output(self.window, title, folder / name, suffix, filters)
        if chosen is None:
            return None
        dest, overwrite = chosen
        self.settings.set(EXPORT_FOLDER, str(dest.parent))
        try:
            sub = self.submission()
            reviews = self.reviews() if self.reviews is not None else None
            changes = self.changes() if self.changes is not None else None
        except Exception as exc:
            ErrorDialog.show_error(self.window, exc)
            return None
        def work(_progress, cancel) -> Path:
            path = write_document(kind, sub, dest, overwrite=overwrite, reviews=reviews, cancel=cancel,
                                  changes=changes)
            if self.record is not None:
                self.record(kind, path)
            return path

        task = Task(work)
        task.succeeded.connect(self._done)
        task.failed.connect(lambda exc: ErrorDialog.show_error(self.window, exc))
        task.finished.connect(lambda: self.tasks.remove(task) if task in self.tasks else None)
        self.tasks.append(task)
        text = (self.tr("チェックリストを作成しています…") if kind == CHECKLIST
                else self.tr("報告書を作成しています…"))
        dialog = run_with_progress(self.window, text, task)
        dialog.setMaximum(0)  # the writers report no progress: a busy bar
        return task

    def _done(self, path: Path) -> None:
        status = getattr(self.window, "statusBar", None)
        if status is not None:
            status().showMessage(self.tr("書き出しました: {path}").format(path=path), 15000)
