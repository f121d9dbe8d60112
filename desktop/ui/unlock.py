"""A passphrase box with an Open button, used by the welcome screen and the lock screen."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget


class UnlockPanel(QWidget):
    submitted = Signal(str)  # the passphrase

    def __init__(self, button_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unlockPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel(self.tr("パスフレーズ"), self)
        self.path_label = QLabel(self)
        self.path_label.setObjectName("unlockPath")
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        self.passphrase = QLineEdit(self)
        self.passphrase.setObjectName("unlockPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setMinimumWidth(self.passphrase.fontMetrics().averageCharWidth() * 24)
        self.caption.setBuddy(self.passphrase)
        self.passphrase.returnPressed.connect(self._submit)
        self.button = QPushButton(button_text, self)
        self.button.setObjectName("unlockButton")
        self.button.setDefault(True)
        self.button.clicked.connect(self._submit)
        row.addWidget(self.passphrase, 1)
        row.addWidget(self.button)
        self.status = QLabel(self)
        self.status.setObjectName("unlockStatus")
        layout.addWidget(self.path_label)
        layout.addWidget(self.caption)
        layout.addLayout(row)
        layout.addWidget(self.status)

    def _submit(self) -> None:
        if self.passphrase.text() and self.button.isEnabled():
            self.submitted.emit(self.passphrase.text())

    def set_busy(self, busy: bool) -> None:
        self.passphrase.setEnabled(not busy)
        self.button.setEnabled(not busy)
        self.status.setText(self.tr("パスフレーズを確認しています…") if busy else "")

    def reset(self) -> None:
        """Forget the typed passphrase (after a try, right or wrong)."""
        self.passphrase.clear()
        self.set_busy(False)
        self.passphrase.setFocus()
