"""Shown instead of the form while the workspace is locked (keys dropped, nothing decrypted shown)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from .unlock import UnlockPanel


class LockPage(QWidget):
    def __init__(self, title: str, path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockPage")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        card = QFrame(self)
        card.setFrameShape(QFrame.Shape.StyledPanel)
        # A fixed width lets the word-wrapped labels compute their height (no clipped lines).
        card.setFixedWidth(max(520, card.fontMetrics().height() * 30))
        layout = QVBoxLayout(card)
        layout.setContentsMargins(28, 24, 28, 24)
        heading = QLabel(self.tr("ロックされています"), card)
        heading.setObjectName("lockTitle")
        text = QLabel(self.tr("「{name}」は一定時間操作がなかったか、手動でロックされました。"
                              "暗号鍵はメモリから消去されています。続けるにはパスフレーズを入力してください。")
                      .format(name=title), card)
        text.setWordWrap(True)
        self.unlock = UnlockPanel(self.tr("ロック解除"), card)
        self.unlock.path_label.setText(path)
        self.close_button = QPushButton(self.tr("ワークスペースを閉じる"), card)
        self.close_button.setObjectName("lockCloseWorkspace")
        layout.addWidget(heading)
        layout.addWidget(text)
        layout.addSpacing(8)
        layout.addWidget(self.unlock)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignLeft)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
