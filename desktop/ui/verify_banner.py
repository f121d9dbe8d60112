"""The result of verifying a bundle: a green or red banner, and every check in a table.

The banner names the signer key ID and, on failure, exactly which checks failed (from
``VerifyReport.checks``), each under a translated name with the core's one-line detail.
"""

from __future__ import annotations

import html
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..i18n import tr

if TYPE_CHECKING:
    from exports.bundle import Check, VerifyReport

OK_FG, BAD_FG = QColor("#1e6b43"), QColor("#9b1c1c")
MAX_LISTED = 8  # failed checks named in the banner itself; the table has them all


def check_label(name: str) -> str:
    """A check's name in the UI language (names are stable: exports/bundle_report.py)."""
    if name.startswith("member:"):
        return tr("ファイル {path}").format(path=name[len("member:"):])
    return {
        "zip": tr("ZIP 形式（コンテナ）"),
        "signer-pub": tr("同梱の公開鍵（signer.pub）"),
        "outer-signature": tr("外側の署名（submission.tar.age）"),
        "readme": tr("説明書（README.txt）"),
        "decrypt": tr("復号"),
        "archive": tr("アーカイブの内容（tar）"),
        "inner-signature": tr("内側の署名（SHA256SUMS）"),
        "checksums": tr("チェックサム（SHA256SUMS）"),
        "manifest": tr("マニフェスト（manifest.json）"),
        "signer-key-id": tr("マニフェストの署名鍵 ID"),
        "members": tr("ファイルの一覧"),
        "template": tr("調査票テンプレート"),
        "answers": tr("回答データ（answers.json）"),
        "evidence": tr("証跡"),
        "activity-log": tr("活動記録（改ざん検知チェーン）"),
    }.get(name, name)


class CheckColumn(IntEnum):
    RESULT = 0
    CHECK = 1
    DETAIL = 2


class CheckModel(QAbstractTableModel):
    """Every check of a VerifyReport, failed ones first."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[Check] = []

    def set_report(self, report: VerifyReport | None) -> None:
        self.beginResetModel()
        checks = list(report.checks) if report is not None else []
        self.rows = [c for c in checks if not c.ok] + [c for c in checks if c.ok]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(CheckColumn)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(CheckColumn):
            return None
        return {CheckColumn.RESULT: tr("結果"), CheckColumn.CHECK: tr("確認項目"),
                CheckColumn.DETAIL: tr("詳細")}[CheckColumn(section)]

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        check = self.rows[index.row()]
        column = CheckColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if column is CheckColumn.RESULT:
                return tr("OK") if check.ok else tr("不合格")
            return check_label(check.name) if column is CheckColumn.CHECK else check.detail
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{check.name}: {check.detail}"
        if role == Qt.ItemDataRole.ForegroundRole and column is CheckColumn.RESULT:
            return QBrush(OK_FG if check.ok else BAD_FG)
        if role == Qt.ItemDataRole.UserRole:
            return check.name
        return None


class VerifyBanner(QFrame):
    """Green when every check passed, red otherwise; 「詳細」 shows every check."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verifyBanner")
        self.setProperty("ok", "none")
        self.report: VerifyReport | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        top = QHBoxLayout()
        self.title = QLabel(self)
        self.title.setObjectName("verifyTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_button = QPushButton(self.tr("詳細"), self)
        self.details_button.setObjectName("verifyDetails")
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(lambda on: self.table.setVisible(on))
        top.addWidget(self.title, 1)
        top.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.body = QLabel(self)
        self.body.setObjectName("verifyBody")
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.body)
        self.model = CheckModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("verifyChecks")
        self.table.setAccessibleName(self.tr("検証した項目"))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (no trap)
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.setMinimumHeight(160)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(CheckColumn.RESULT, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CheckColumn.CHECK, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CheckColumn.DETAIL, QHeaderView.ResizeMode.Stretch)
        self.table.hide()
        layout.addWidget(self.table)
        self.hide()

    def failed_names(self) -> list[str]:
        return [c.name for c in self.report.problems] if self.report is not None else []

    def show_report(self, report: VerifyReport, note: str = "") -> None:
        self.report = report
        self.model.set_report(report)
        key_id = report.signer_key_id or tr("不明")
        if report.ok:
            files = len((report.manifest or {}).get("members", []))
            self.title.setText(self.tr("検証済み — 署名鍵 ID {key_id}").format(key_id=key_id))
            text = self.tr("署名は正しく、{n} 個のファイルすべてのハッシュが署名済みの一覧と一致しました。"
                           "提出後に変更されていません。").format(n=files)
            self.body.setText(html.escape(text) + (f"<br>{html.escape(note)}" if note else ""))
        else:
            self.title.setText(self.tr("検証に失敗しました — 署名鍵 ID {key_id}").format(key_id=key_id))
            problems = report.problems
            lines = [f"<b>{html.escape(check_label(c.name))}</b>: {html.escape(c.detail)}"
                     for c in problems[:MAX_LISTED]]
            if len(problems) > MAX_LISTED:
                lines.append(html.escape(self.tr("ほか {n} 件（「詳細」を参照）").format(
                    n=len(problems) - MAX_LISTED)))
            head = self.tr("このバンドルは改ざんされたか、壊れているか、指定した鍵のものではありません。"
                           "開かずに提出者に連絡してください。")
            self.body.setText(html.escape(head) + "<br>" + "<br>".join(f"・{line}" for line in lines)
                              + (f"<br>{html.escape(note)}" if note else ""))
        self._set_state("true" if report.ok else "false")
        self.show()

    def show_refused(self, title: str, text: str) -> None:
        """Red, without a report: e.g. the auditor declined a changed signer key."""
        self.report = None
        self.model.set_report(None)
        self.title.setText(title)
        self.body.setText(html.escape(text))
        self._set_state("false")
        self.show()

    def _set_state(self, ok: str) -> None:
        self.setProperty("ok", ok)
        self.title.setProperty("ok", ok)
        for widget in (self, self.title):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
