"""What assistive technology reads from our progress bars (issue 18).

Qt reports a ``QProgressBar``'s value as the bare number between its minimum and maximum
("450" of 0–1000), which says nothing. Every progress bar of the app is read instead through
``ProgressBarAccessible``: its value is the bar's own text — "45%", "45%（5 / 11 件）" or a
strength meter's 「強い」 — so a screen reader hears what a sighted user reads. The factory is
installed once (``install``), before any bar is asked for its interface.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget, QProgressBar

_installed = False


class ProgressBarAccessible(QAccessibleWidget):
    def __init__(self, bar: QProgressBar) -> None:
        super().__init__(bar, QAccessible.Role.ProgressBar)

    def text(self, t: QAccessible.Text) -> str:
        if t == QAccessible.Text.Value:
            return bar_text(self.widget())
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


def _factory(_key: str, obj: QObject) -> QAccessibleInterface | None:
    if isinstance(obj, QProgressBar):
        return ProgressBarAccessible(obj)
    return None


def install() -> None:
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True
