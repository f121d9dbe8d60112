"""The vendor's 「前年度のワークスペースと比較…」: this workspace against the one it was carried
forward from, opened read-only (storage/readonly.py: not one byte of it changes). The same
badges, filter and side-by-side panel as the auditor's comparison; the comparison follows the
vendor's edits (recomputed in the worker, a moment after the last change)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from ..errors import ErrorDialog
from ..tasks import Task, run_with_progress

if TYPE_CHECKING:
    from questionnaire.comparison import Side

    from .main_window import MainWindow


class OriginDialog(QDialog):
    """Last year's workspace folder and its passphrase."""

    def __init__(self, parent: QWidget | None, start: str) -> None:
        super().__init__(parent)
        self.setObjectName("originDialog")
        self.setWindowTitle(self.tr("前年度のワークスペースと比較"))
        form = QFormLayout(self)
        row = QHBoxLayout()
        self.folder = QLineEdit(start, self)
        self.folder.setObjectName("originFolder")
        self.folder.setAccessibleName(self.tr("前年度のワークスペースのフォルダー"))
        browse = QPushButton(self.tr("参照…"), self)
        browse.setObjectName("originBrowse")
        browse.clicked.connect(self._browse)
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        form.addRow(self.tr("フォルダー"), row)
        self.passphrase = QLineEdit(self)
        self.passphrase.setObjectName("originPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("前年度のワークスペースのパスフレーズ"))
        form.addRow(self.tr("パスフレーズ"), self.passphrase)
        ok, cancel = QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok | cancel, self)
        buttons.button(ok).setText(self.tr("比較する"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        title = self.tr("前年度のワークスペースを選ぶ")
        chosen = QFileDialog.getExistingDirectory(self, title, self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    @classmethod
    def ask(cls, parent: QWidget | None, start: str = "") -> tuple[Path, str] | None:
        dialog = cls(parent, start)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.folder.text().strip():
            return None
        return Path(dialog.folder.text().strip()).expanduser(), dialog.passphrase.text()


def load_origin(folder: Path, passphrase: str, expected_id: str | None) -> Side:
    """Last year's side, read-only; refuses a workspace that is not this one's origin."""
    from exports.comparison_sources import ComparisonInputError, load_workspace_side

    side = load_workspace_side(folder, passphrase)
    if expected_id is not None and side.submission.submission_id != expected_id:
        raise ComparisonInputError(f"{folder} is workspace {side.submission.submission_id}, not "
                                   f"{expected_id}, the one this workspace was carried forward from")
    return side


class OriginComparison(QObject):
    """Holds last year's side and keeps the session's comparison current."""

    DELAY_MS = 400

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.origin: Side | None = None
        self._pending: Task | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DELAY_MS)
        self._timer.timeout.connect(self.recompute)
        self.session.assessment_changed.connect(lambda: self._timer.start() if self.origin else None)
        # locking forgets everything decrypted: last year's answers and the comparison too
        self.session.locked_changed.connect(lambda locked: self.clear() if locked else None)

    def start(self) -> Task | None:
        if self.session.locked:
            return None
        ws = self.session.workspace()
        origin = ws.origin
        chosen = OriginDialog.ask(self.window)
        if chosen is None:
            return None
        folder, passphrase = chosen
        expected = origin.workspace_id if origin is not None else None
        task = Task(lambda _p, _c: load_origin(folder, passphrase, expected))
        task.succeeded.connect(self._loaded)
        task.failed.connect(lambda exc: ErrorDialog.show_error(self.window, exc))
        run_with_progress(self.window, self.tr("前年度のワークスペースを読み取り専用で開いています…"), task,
                          cancellable=False)
        return task

    def _loaded(self, side: Side) -> None:
        self.origin = side
        self.recompute()

    def recompute(self) -> Task | None:
        """Compare again with the workspace as it is now (in the worker)."""
        if self.origin is None or self.session.locked:
            return None
        from exports.comparison_sources import side_from_workspace
        from questionnaire.comparison import compare

        ws, origin = self.session.workspace(), self.origin
        task = Task(lambda _p, _c: compare(origin, side_from_workspace(ws)))
        task.succeeded.connect(
            lambda cmp: self.session.set_comparison(cmp) if self.origin is origin else None)
        task.failed.connect(lambda exc: ErrorDialog.show_error(self.window, exc))
        self._pending = task.start()
        return task

    def clear(self) -> None:
        self.origin = None
        self._timer.stop()
        self.session.set_comparison(None)
