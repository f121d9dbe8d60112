"""What assistive technology reads from our progress bars (issue 18).

Qt reports a ``QProgressBar``'s value as the bare number between its minimum and maximum
("450" of 0–1000), which says nothing. Every progress bar of the app (and every outcome bar,
``outcomes.OutcomeBar``) is read instead through
``ProgressBarAccessible``: its value is the bar's own text — "45%", "45%（5 / 11 件）" or a
strength meter's 「強い」 — so a screen reader hears what a sighted user reads. The factory is
installed once (``install``), before any bar is asked for its interface.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget, QLineEdit, QProgressBar, QToolButton, QWidget

_installed = False
# Interfaces made here are Python objects that Qt's accessibility cache keeps by pointer: if
# Python collected one, the cache would hold a dangling pointer (a crash later). Each is kept
# here until its widget is destroyed; then it is invalidated on the Python side first, so
# that only Qt's cache deletes it.
_alive: dict[int, ProgressBarAccessible] = {}


class ProgressBarAccessible(QAccessibleWidget):
    def __init__(self, bar: QWidget) -> None:
        super().__init__(bar, QAccessible.Role.ProgressBar)

    def text(self, t: QAccessible.Text) -> str:
        if t == QAccessible.Text.Value:
            bar = self.widget()
            # an outcome bar (outcomes.OutcomeBar) says its own value; looked up by duck type
            # so that this module loads before the questionnaire core does
            own = getattr(bar, "accessible_value", None)
            return own() if callable(own) else bar_text(bar)
        return super().text(t)


def bar_text(bar: QProgressBar) -> str:
    """The bar's text; a percentage when it has no text of its own; "" while busy (no range)."""
    if bar.maximum() == bar.minimum():
        return ""
    text = bar.text()
    if text:
        return text
    span = bar.maximum() - bar.minimum()
    return f"{round((bar.value() - bar.minimum()) * 100 / span)}%"


def name_clear_button(edit: QLineEdit, name: str) -> None:
    """A line edit's ✕ (``setClearButtonEnabled``) is a button Qt leaves without a name."""
    for button in edit.findChildren(QToolButton):
        button.setAccessibleName(name)


def _factory(_key: str, obj: QObject) -> QAccessibleInterface | None:
    if not isinstance(obj, QProgressBar) and not callable(getattr(obj, "accessible_value", None)):
        return None
    for stale in [k for k, kept in _alive.items() if not shiboken6.isValid(kept)]:
        del _alive[stale]  # deleted by Qt's cache with a widget whose signal did not reach us
    key = id(obj)
    iface = ProgressBarAccessible(obj)
    _alive[key] = iface
    obj.destroyed.connect(lambda _o=None, k=key: _forget(k))
    return iface


def _forget(key: int) -> None:
    iface = _alive.pop(key, None)
    if iface is not None and shiboken6.isValid(iface):
        shiboken6.invalidate(iface)  # Qt's cache deletes it (it is about to): Python must not


def install() -> None:
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True
