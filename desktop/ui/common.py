"""Small dialogs wrapped in classmethods ``ask()`` that tests replace."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ..i18n import tr


class FolderDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, title: str, start: str = "") -> Path | None:
        chosen = QFileDialog.getExistingDirectory(parent, title, start)
        return Path(chosen) if chosen else None


class OpenFilesDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, title: str, start: str = "") -> list[Path]:
        files, _ = QFileDialog.getOpenFileNames(
            parent, title, start,
            tr("証跡ファイル (*.pdf *.png *.jpg *.jpeg *.gif *.bmp *.webp *.txt *.csv *.xlsx *.docx *.zip);;"
               "すべてのファイル (*)"))
        return [Path(f) for f in files]


class SaveFileDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, title: str, suggested: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(parent, title, suggested)
        return Path(chosen) if chosen else None


class Confirm:
    @classmethod
    def ask(cls, parent: QWidget | None, title: str, text: str, confirm: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
        box.setObjectName("confirmDialog")
        yes = box.addButton(confirm, QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is yes
