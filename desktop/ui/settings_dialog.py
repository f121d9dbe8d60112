"""Preferences: the auto-lock delay and the language."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from .. import i18n
from ..settings import AUTO_LOCK_CHOICES_MIN, AUTO_LOCK_SECONDS, LANGUAGE, Settings


@dataclass(frozen=True)
class Preferences:
    auto_lock_seconds: int
    language: str


class SettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None, settings: Settings) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("設定"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.lock = QComboBox(self)
        self.lock.setObjectName("autoLockCombo")
        current = settings.get(AUTO_LOCK_SECONDS)
        choices = [m * 60 for m in AUTO_LOCK_CHOICES_MIN]
        if current not in choices:
            choices.append(current)
        for seconds in sorted(choices):
            if seconds == 0:
                label = self.tr("自動ロックしない")
            elif seconds % 60 == 0:
                label = self.tr("%n 分間操作がないとき", "", seconds // 60)
            else:
                label = self.tr("%n 秒間操作がないとき", "", seconds)
            self.lock.addItem(label, seconds)
        self.lock.setCurrentIndex(self.lock.findData(current))
        form.addRow(self.tr("自動ロック"), self.lock)
        self.language = QComboBox(self)
        self.language.setObjectName("settingsLanguage")
        for code in i18n.LANGUAGES:
            self.language.addItem(i18n.NAMES[code], code)
        chosen = settings.get(LANGUAGE) or i18n.current()
        self.language.setCurrentIndex(max(0, self.language.findData(chosen)))
        form.addRow(self.tr("表示言語"), self.language)
        layout.addLayout(form)
        note = QLabel(self.tr("ロックすると暗号鍵がメモリから消え、再開にはパスフレーズが必要です。"), self)
        note.setWordWrap(True)
        note.setStyleSheet("color: #5b6b7b;")
        layout.addWidget(note)
        ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok_cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def preferences(self) -> Preferences:
        return Preferences(self.lock.currentData(), self.language.currentData())

    @classmethod
    def ask(cls, parent: QWidget | None, settings: Settings) -> Preferences | None:
        dialog = cls(parent, settings)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        return dialog.preferences() if dialog.exec() == QDialog.DialogCode.Accepted else None
