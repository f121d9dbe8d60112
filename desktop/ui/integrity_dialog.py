"""「ワークスペースを検査」: ``storage.integrity.check_open`` from the desktop, and its report.

The check decrypts every record and evidence file (seconds for thousands of files), so it
runs in the worker behind a progress dialog with Cancel. It only reads: repairs need the
workspace closed (``ccus-attest check --repair``), and damage is for a backup to fix,
which the report says in so many words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .. import i18n
from ..errors import ErrorDialog
from ..i18n import tr
from ..tasks import Task, run_with_progress
from . import screen_fit

if TYPE_CHECKING:
    from storage.integrity import Finding, IntegrityReport

    from ..session import WorkspaceSession

_COLOURS = {"damage": "#b3261e", "leftover": "#8a5a00", "notice": "#4a5868"}


def severity_label(severity: str) -> str:
    return {"damage": tr("損傷"), "leftover": tr("残骸"), "notice": tr("参考")}.get(severity, severity)


class FindingModel(QAbstractTableModel):
    def __init__(self, findings: list[Finding], parent=None) -> None:
        super().__init__(parent)
        self.findings = findings

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.findings)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (tr("重要度"), tr("所見"), tr("対象"), tr("詳細"))[section] if 0 <= section < 4 else None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.findings):
            return None
        f = self.findings[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            shown = (severity_label(str(f.severity)), f.title(i18n.current()), f.subject, f.detail)
            return shown[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            return QColor(_COLOURS.get(str(f.severity), "#000000"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(f)
        return None


class IntegrityDialog(QDialog):
    def __init__(self, report: IntegrityReport, parent: QWidget | None = None) -> None:
        from exports.rows import human_size
        from storage.integrity import Severity

        super().__init__(parent)
        self.setObjectName("integrityDialog")
        self.setWindowTitle(tr("ワークスペースの検査結果"))
        screen_fit.fit(self, QSize(900, 440), QSize(480, 300))
        self.report = report
        layout = QVBoxLayout(self)
        self.verdict = QLabel(self)
        self.verdict.setObjectName("integrityVerdict")
        self.verdict.setWordWrap(True)
        if report.damage:
            colour = _COLOURS["damage"]
            text = tr("損傷が %n 件見つかりました。入力や添付が変更・欠落しています。直前のバックアップから"
                      "復元してください（ccus-attest restore）。", "", len(report.damage))
        elif report.leftovers:
            colour = _COLOURS["leftover"]
            text = tr("損傷はありません。中断された操作の残骸が %n 件あります（何も失われていません）。"
                      "ワークスペースを閉じて ccus-attest check --repair で削除できます。", "",
                      len(report.leftovers))
        else:
            colour = "#1e6b34"
            text = tr("問題は見つかりませんでした。すべての記録・証跡ファイル・操作履歴・バックアップを"
                      "復号して確認しました。")
        self.verdict.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.verdict.setText(text)
        layout.addWidget(self.verdict)
        c = report.counts
        parts = [tr("回答 %n 件", "", c.get("answers", 0)), tr("証跡 %n 件", "", c.get("evidence", 0)),
                 tr("{what}（{size}）").format(what=tr("暗号化ファイル %n 件", "", c.get("blobs", 0)),
                                             size=human_size(c.get("blob_bytes", 0))),
                 tr("操作履歴 %n 件", "", c.get("log_entries", 0)),
                 tr("バックアップ %n 件", "", c.get("backups", 0))]
        counts = QLabel(tr("確認したもの: {list}").format(list=tr("、").join(parts)), self)
        counts.setWordWrap(True)
        counts.setObjectName("integrityCounts")
        counts.setStyleSheet("color: #4a5868;")
        layout.addWidget(counts)
        order = {Severity.DAMAGE: 0, Severity.LEFTOVER: 1, Severity.NOTICE: 2}
        findings = sorted(report.findings, key=lambda f: order.get(f.severity, 3))
        self.model = FindingModel(findings, self)
        self.view = QTableView(self)
        self.view.setTabKeyNavigation(False)  # Tab leaves the table (no trap)
        self.view.setAccessibleName(tr("検査結果の一覧"))
        self.view.setObjectName("integrityFindings")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.view.setVisible(bool(findings))
        layout.addWidget(self.view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # room for the findings' table when there is one; otherwise just the verdict
        if findings:
            self.resize(900, 440)
        else:
            self.adjustSize()


def check_in_worker(parent: QWidget, session: WorkspaceSession) -> Task:
    """Start the check; the report dialog opens when it is done (errors: the usual dialog)."""
    from storage.integrity import check_open

    ws = session.workspace()
    task = Task(lambda progress, cancel: check_open(ws, progress=progress, cancel=cancel))
    task.succeeded.connect(lambda report: IntegrityDialog(report, parent).exec())
    task.failed.connect(lambda exc: ErrorDialog.show_error(parent, exc))
    # modal: the check holds the workspace's change lock (storage.integrity.check_open)
    run_with_progress(parent, tr("ワークスペースを検査しています…"), task, modal=True)
    return task
