"""Notices when the user has done nothing for a while (for the auto-lock)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from ..tasks import running_tasks

_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
             QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.Shortcut}


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(self, seconds: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._timeout)
        self.set_seconds(seconds)
        QApplication.instance().installEventFilter(self)

    def set_seconds(self, seconds: int) -> None:
        self.seconds = seconds
        if seconds > 0:
            self.timer.start(seconds * 1000)
        else:
            self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self.seconds > 0:
            self.timer.start(self.seconds * 1000)
        return False

    def _timeout(self) -> None:
        if running_tasks():  # never pull the keys from under an encryption in progress
            self.timer.start(self.seconds * 1000)
            return
        self.idle.emit()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
