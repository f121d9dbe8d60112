"""ヘルプ → キーボード操作: every shortcut of the window (read from its actions, so the list
cannot drift from the menus) and the keys of the form's controls (issue 18)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..i18n import tr
from . import screen_fit


def control_keys() -> list[tuple[str, str]]:
    return [
        (tr("次の項目・ボタンへ / 前へ"), "Tab / Shift+Tab"),
        (tr("回答（はい・一部・いいえ・該当なし）を選ぶ"), tr("← → ↑ ↓ で選び、Space・Enter・Tab で確定")),
        (tr("回答をすぐに選ぶ"), tr("1 2 3 4、または Y（はい）P（一部）N（いいえ）A（該当なし）")),
        (tr("判定（監査）を選ぶ・取り消す"), tr("← → と Space、1〜4、Delete で取り消し")),
        (tr("選択肢の一覧を開く"), tr("Alt+↓ または F4（↑↓ で移り、Enter で確定、Esc で閉じる）")),
        (tr("日付をカレンダーから選ぶ"), tr("日付欄で Alt+↓ または F4、矢印で日、PageUp/PageDown で月、"
                                        "Enter か Space で決定、Esc で閉じる")),
        (tr("ボタンやチェックボックスを押す"), "Space"),
        (tr("一覧の項目を開く（問題の一覧・検索結果）"), "Enter"),
    ]


class KeyboardHelp(QDialog):
    def __init__(self, parent: QWidget | None, actions: list[QAction]) -> None:
        super().__init__(parent)
        self.setObjectName("keyboardHelp")
        self.setWindowTitle(self.tr("キーボード操作"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("すべての操作はキーボードだけで行えます。メニューの項目は Alt キーと"
                               "下線の文字でも開けます。"), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        rows = [(_plain(a.text()), a.shortcut().toString(QKeySequence.SequenceFormat.NativeText))
                for a in actions]
        rows += control_keys()
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setObjectName("keyboardTable")
        self.table.setAccessibleName(self.tr("キーボード操作の一覧"))
        self.table.setHorizontalHeaderLabels([self.tr("操作"), self.tr("キー")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (no trap)
        self.table.setWordWrap(True)
        for row, (what, keys) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(what))
            self.table.setItem(row, 1, QTableWidgetItem(keys))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.rows = rows
        screen_fit.fit(self, self._preferred(), self.minimumSizeHint().boundedTo(self._preferred()))

    def _preferred(self) -> QSize:
        line = self.fontMetrics().lineSpacing()
        return QSize(line * 52, line * 34)

    @classmethod
    def show_for(cls, parent: QWidget, actions: list[QAction]) -> KeyboardHelp:
        dialog = cls(parent, actions)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        dialog.table.setFocus()
        return dialog


def _plain(text: str) -> str:
    """A menu text without its mnemonic: 「ファイル(&F)」 → 「ファイル」, "&Open" → "Open"."""
    import re

    return re.sub(r"\(&.\)$", "", text).replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…")
