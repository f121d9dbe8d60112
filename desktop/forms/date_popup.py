"""The calendar that drops down from a date answer (issue 18).

A popup window of its own rather than a calendar inside a menu: a menu took Enter and Space
for itself (the date was not picked) and needed Escape twice. Here one key does one thing:
Enter, Return or Space picks the highlighted date, Escape closes, the arrow keys and PgUp/PgDn
move through days and months (``QCalendarWidget``'s own keys); a click picks too.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QDate, QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCalendarWidget,
    QFrame,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

_PICK = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)


class CalendarPopup(QFrame):
    picked = Signal(QDate)

    def __init__(self, anchor: QWidget, name: str) -> None:
        super().__init__(anchor, Qt.WindowType.Popup)
        self.setObjectName("calendarPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.anchor = anchor
        self._done = False
        self.calendar = QCalendarWidget(self)
        self.calendar.setObjectName("calendar")
        self.calendar.setGridVisible(True)
        self.calendar.setAccessibleName(name)
        self.calendar.setAccessibleDescription(self.tr(
            "矢印キーで日を、PageUp/PageDown で月を移動し、Enter または Space で選びます。Esc で閉じます。"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.calendar)
        self.calendar.clicked.connect(self._pick)
        self.view = self.calendar.findChild(QAbstractItemView)
        if self.view is not None:
            self.view.installEventFilter(self)

    def open_at(self, date: QDate) -> None:
        self._done = False
        self._return_to = QApplication.focusWidget() or self.anchor  # where focus goes back on close
        self.calendar.setSelectedDate(date if date.isValid() else QDate.currentDate())
        self.adjustSize()
        self.move(_placed(self.anchor, self.sizeHint().width(), self.sizeHint().height()))
        self.show()
        self.raise_()
        (self.view or self.calendar).setFocus(Qt.FocusReason.PopupFocusReason)

    def _pick(self, date: QDate) -> None:
        if self._done:  # a double click is a click and an activation: pick once
            return
        self._done = True
        self.close()
        self.picked.emit(date)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and \
                event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
            if event.key() in _PICK:
                self._pick(self.calendar.selectedDate())
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.close()
                return True
        return False

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        QTimer.singleShot(0, self, self._give_back_focus)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Some platforms deliver the popup's activation after it has closed again (a quick
        # Escape): the window underneath must get it back, or no widget would have focus.
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and not self.isVisible():
            QTimer.singleShot(0, self, self._give_back_focus)

    def _give_back_focus(self) -> None:
        """Closing a popup must not leave the keyboard user with no focus at all."""
        focused = QApplication.focusWidget()
        back = getattr(self, "_return_to", None)
        if back is not None and shiboken6.isValid(back) and back.isVisible() and \
                (focused is None or self.isAncestorOf(focused)):
            if QApplication.activeWindow() in (None, self):
                back.window().activateWindow()
            back.setFocus(Qt.FocusReason.PopupFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:  # focus on the month buttons: Escape still closes, once
            self.close()
            event.accept()
            return
        super().keyPressEvent(event)


class DateLine(QLineEdit):
    """Alt+↓ or F4 opens the calendar, as in any date field (not the window's next-item key)."""

    open_calendar = Signal()

    def _opens(self, event: QKeyEvent) -> bool:
        return (event.key() == Qt.Key.Key_Down and event.modifiers() == Qt.KeyboardModifier.AltModifier) or \
            (event.key() == Qt.Key.Key_F4 and event.modifiers() == Qt.KeyboardModifier.NoModifier)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and not self.isReadOnly() and self._opens(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.isReadOnly() and self._opens(event):
            self.open_calendar.emit()
            event.accept()
            return
        super().keyPressEvent(event)


def _placed(anchor: QWidget, width: int, height: int) -> QPoint:
    """Below the anchor, or above it when there is no room, always inside the screen."""
    screen = anchor.screen() or QGuiApplication.primaryScreen()
    area = screen.availableGeometry()
    below = anchor.mapToGlobal(QPoint(0, anchor.height()))
    x = max(area.left(), min(below.x(), area.right() - width))
    y = below.y()
    if y + height > area.bottom():
        y = max(area.top(), anchor.mapToGlobal(QPoint(0, 0)).y() - height)
    return QPoint(x, y)
