"""Combo boxes that behave for keyboard users (issue 18).

``KeyCombo`` keeps Alt+↓ / Alt+↑ for itself (they open and close its list, as everywhere
else) even where the window uses them as shortcuts, and ignores the mouse wheel unless it
has focus (scrolling a form must not change answers on the way).

``CommitCombo`` is for answers: arrowing through a closed combo, or typing a letter, only
*shows* another option; the choice is stored (``committed``) when it is made in the open
list, with Enter, when the user leaves the combo, or before any shortcut runs. So passing
options on the way makes no undo step and no dependent item flickers in and out.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QWheelEvent
from PySide6.QtWidgets import QComboBox, QWidget

_OPEN_KEYS = (Qt.Key.Key_Down, Qt.Key.Key_Up)


class KeyCombo(QComboBox):
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and \
                event.modifiers() == Qt.KeyboardModifier.AltModifier and event.key() in _OPEN_KEYS:
            event.accept()  # not the window's shortcut: the key press comes here and opens the list
            return True
        return super().event(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # let the scroll area scroll


class CommitCombo(KeyCombo):
    committed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._quiet = False     # inside a key press or wheel turn on the closed combo
        self._stored = 0        # the index last committed (or loaded)
        self.activated.connect(self._activated)

    def load(self, index: int) -> None:
        """Show a stored choice (no signal)."""
        self.setCurrentIndex(index)
        self._stored = self.currentIndex()

    @property
    def pending(self) -> bool:
        return self.currentIndex() != self._stored

    def commit(self) -> None:
        if self.pending:
            self._stored = self.currentIndex()
            self.committed.emit()

    def _activated(self, _index: int) -> None:
        if not self._quiet:
            self.commit()  # chosen in the open list (or by a click)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.view().isVisible():
            self.commit()
            event.accept()
            return
        self._quiet = True
        try:
            super().keyPressEvent(event)
        finally:
            self._quiet = False

    def wheelEvent(self, event: QWheelEvent) -> None:
        self._quiet = True
        try:
            super().wheelEvent(event)
        finally:
            self._quiet = False

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and self.pending and \
                event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            self.commit()  # the shortcut (undo, next item…) sees the choice stored
        return super().event(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.commit()
