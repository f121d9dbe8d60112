"""Small dialogs wrapped in classmethods ``ask()`` that tests replace, and the path row the
file and folder choices share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from ..i18n import tr


def path_row(form: QFormLayout, label: str, parent: QWidget, browse: Callable[[], None], *,
             edit_name: str, button_name: str, text: str = "") -> QLineEdit:
    """Adds the row every file or folder choice uses — a path field and its 参照… button —
    and returns the field."""
    row = QHBoxLayout()
    edit = QLineEdit(text, parent)
    edit.setObjectName(edit_name)
    button = QPushButton(tr("参照…"), parent)
    button.setObjectName(button_name)
    # The row's label names the field (a label of a row holding a layout is nobody's buddy),
    # and each 参照… says what it chooses: a dialog may have several.
    edit.setAccessibleName(label or tr("ファイル"))
    if label:
        button.setAccessibleName(tr("参照…（{what}）").format(what=label))
    button.clicked.connect(browse)
    row.addWidget(edit, 1)
    row.addWidget(button)
    form.addRow(label, row)
    return edit


class ElidedButton(QPushButton):
    """A button whose text is cut with "…" when it is narrower than its text (a long English
    section title); the tooltip and the accessible name keep the whole text."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.full_text = text
        self.setToolTip(text)
        self.setAccessibleName(text)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(self.fontMetrics().horizontalAdvance(self.full_text) + 24, hint.height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        room = max(0, self.width() - 16)
        shown = self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, room)
        if shown != self.text():
            self.setText(shown)


def fit_to_screen(window: QWidget, width: int, height: int, *, maximize: bool = False) -> None:
    """A first size for a window: as asked, but never larger than the screen it is on (1366x768
    laptops, 125-150 % scaling). A main window that had to shrink is maximised as well."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    available = screen.availableGeometry() if screen is not None else None
    if available is None or (width <= available.width() and height + FRAME_ALLOWANCE <= available.height()):
        window.resize(width, height)
        return
    window.resize(max(window.minimumWidth(), min(width, available.width())),
                  max(window.minimumHeight(), min(height, available.height() - FRAME_ALLOWANCE)))
    if maximize:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


FRAME_ALLOWANCE = 40  # a title bar the window manager adds above the window's own size


def pane_widths(width: int) -> list[int]:
    """First widths of a main window's three panes (sections, form, evidence) for its width:
    the form gets what the two side panels do not need (at 150 % scaling a 1366-pixel screen
    is 911 wide, and fixed proportions left the form too narrow to read)."""
    sections = 250 if width >= 1200 else 220
    evidence = max(300, min(420, int(width * 0.28)))
    return [sections, max(320, width - sections - evidence), evidence]


class FolderDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, title: str, start: str = "") -> Path | None:
        chosen = QFileDialog.getExistingDirectory(parent, title, start)
        return Path(chosen) if chosen else None


def evidence_file_filters() -> str:
    return tr("証跡ファイル (*.pdf *.png *.jpg *.jpeg *.gif *.bmp *.webp *.txt *.csv *.xlsx *.docx *.zip);;"
              "すべてのファイル (*)")


class OpenFilesDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, title: str, start: str = "") -> list[Path]:
        files, _ = QFileDialog.getOpenFileNames(parent, title, start, evidence_file_filters())
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


class OpenFileDialog:
    """One existing file (a key, a bundle, a workbook)."""

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, start: str = "", filters: str = "") -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(parent, title, start, filters)
        return Path(chosen) if chosen else None


class OutputFileDialog:
    """Where to write a new file. Replacing an existing one is confirmed by ``choose_output``
    (one question, the same on every platform, and testable), not by the native dialog."""

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, suggested: str, filters: str = "") -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters,
                                                options=QFileDialog.Option.DontConfirmOverwrite)
        return Path(chosen) if chosen else None


def confirm_replace(parent: QWidget | None, path: Path) -> bool:
    return Confirm.ask(parent, tr("ファイルの置き換え"),
                       tr("「{name}」はすでにあります。置き換えますか？\n{folder}").format(
                           name=path.name, folder=path.parent),
                       tr("置き換える"))


def choose_output(parent: QWidget | None, title: str, suggested: Path, suffix: str,
                  filters: str = "") -> tuple[Path, bool] | None:
    """Ask for an output file; returns (path, overwrite) or None. Never replaces silently."""
    chosen = OutputFileDialog.ask(parent, title, str(suggested), filters)
    if chosen is None:
        return None
    if chosen.suffix.lower() != suffix:
        chosen = chosen.with_name(chosen.name + suffix)
    if chosen.is_dir():
        return None
    overwrite = chosen.exists()
    if overwrite and not confirm_replace(parent, chosen):
        return None
    return chosen, overwrite


class ShowInFolder:
    @classmethod
    def open(cls, folder: Path) -> bool:
        """Open the folder in the system's file manager."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
