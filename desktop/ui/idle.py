"""Notices when the user has done nothing for a while (for the auto-lock).

Input reaches the app through the window the user works in: key presses through the focus
window, clicks and wheel turns through the window under the pointer (the same one while a
dialog is modal). The watcher listens to that one top-level ``QWindow`` — it follows the
focus as it moves to a dialog and back — instead of filtering every event of every object
in the application: an application-wide Python event filter saw thousands of events per
click (layout, paint, polish, timers), each a call into Python that must take the GIL
from a busy worker; removing it cut the gaps in the event loop during an export by half
(issue 10). Mouse moves are not activity here: they arrive by the hundred, and a user
reading a page without touching anything is idle.
"""

from __future__ import annotations

import contextlib

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QWindow

from ..tasks import running_tasks

_ACTIVITY = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel,
                       QEvent.Type.TouchBegin, QEvent.Type.InputMethod})


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(self, seconds: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._timeout)
        self._window: QWindow | None = None
        self.set_seconds(seconds)
        app = QGuiApplication.instance()
        app.focusWindowChanged.connect(self._focus_window_changed)
        self._focus_window_changed(QGuiApplication.focusWindow())

    def set_seconds(self, seconds: int) -> None:
        self.seconds = seconds
        if seconds > 0:
            self.timer.start(seconds * 1000)
        else:
            self.timer.stop()

    def activity(self) -> None:
        if self.seconds > 0:
            self.timer.start(self.seconds * 1000)

    def _focus_window_changed(self, window: QWindow | None) -> None:
        if window is self._window:
            return
        self._unwatch()
        self._window = window
        if window is not None:
            window.installEventFilter(self)
            self.activity()  # switching windows is the user doing something

    def _unwatch(self) -> None:
        if self._window is not None and shiboken6.isValid(self._window):
            self._window.removeEventFilter(self)
        self._window = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY:
            self.activity()
        return False

    def _timeout(self) -> None:
        if running_tasks():  # never pull the keys from under an encryption in progress
            self.timer.start(self.seconds * 1000)
            return
        self.idle.emit()

    def stop(self) -> None:
        self.timer.stop()
        app = QGuiApplication.instance()
        if app is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                app.focusWindowChanged.disconnect(self._focus_window_changed)
        self._unwatch()
