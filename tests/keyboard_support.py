"""Driving the real windows with the keyboard alone (issue 18): every key goes to the widget
that has focus, as a keyboard would send it, and modal dialogs are answered with keys too."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

NO_MODS = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def key(qtbot, k: Qt.Key, mods: Qt.KeyboardModifier = NO_MODS, times: int = 1) -> None:
    """Press a key where the keyboard's input goes: the focus widget (a popup's, a dialog's)."""
    for _ in range(times):
        target = QApplication.focusWidget() or QApplication.activePopupWidget() or QApplication.activeWindow()
        assert target is not None, "no widget has focus and no window is active: focus was lost"
        qtbot.keyClick(target, k, mods)


def type_keys(qtbot, text: str) -> None:
    """Type ASCII text into the focus widget, key by key (QTest synthesises ASCII keys only)."""
    assert text.isascii()
    target = QApplication.focusWidget()
    assert target is not None, "typing with no focus widget"
    qtbot.keyClicks(target, text)


def tab_until(qtbot, found: Callable[[QWidget | None], bool], *, limit: int = 40,
              back: bool = False) -> QWidget:
    """Press Tab (Shift+Tab) until ``found(focus widget)``; fails if it takes more than ``limit``."""
    for _ in range(limit):
        if found(focused()):
            return focused()
        key(qtbot, Qt.Key.Key_Backtab if back else Qt.Key.Key_Tab, SHIFT if back else NO_MODS)
    raise AssertionError(f"Tab never reached the widget (focus on {focused()!r})")


def when_modal(cls: type, drive: Callable[[QWidget], None], errors: list) -> None:
    """Answer the next modal dialog of class ``cls`` with ``drive`` (keys only) once it is up.

    A modal ``exec()`` blocks the test, so the dialog is driven from the event loop;
    failures are collected in ``errors`` and checked by the test afterwards."""
    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, cls) and dialog.isVisible() and dialog.isActiveWindow():
            try:
                drive(dialog)
            except BaseException as exc:  # reported by the test, and the dialog is closed
                errors.append(exc)
                dialog.reject()
            return
        QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
