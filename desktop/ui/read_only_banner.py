"""The banner of a workspace opened read-only (on a CD, a write-protected USB stick or share,
or in a folder without write permission): what still works and how to make changes.

Said in words, not by colour alone; the window's write actions are disabled meanwhile
(``MainWindow``, ``MainActions.disable_writes``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget


class ReadOnlyBanner(QFrame):
    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readOnlyBanner")
        self.title = QLabel(self.tr("読み取り専用で開いています"), self)
        self.title.setObjectName("readOnlyTitle")
        self.title.setStyleSheet("font-weight: bold;")
        self.text = QLabel(self.tr(
            "このワークスペース（{folder}）は書き込めない場所（CD、書き込み禁止の USB メモリや共有"
            "フォルダー、書き込み権限のないフォルダー）にあります。閲覧と、チェックリスト・報告書の"
            "別のフォルダーへの書き出しはできますが、回答・証跡の変更と提出バンドルの書き出しは"
            "できません。変更するには、フォルダーごと書き込めるドライブにコピーしてそのコピーを"
            "開いてください。").format(folder=folder), self)
        self.text.setObjectName("readOnlyText")
        self.text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        self.setAccessibleName(self.title.text())
        self.setAccessibleDescription(self.text.text())
