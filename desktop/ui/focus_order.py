"""Tab order in reading order for windows made of panes (issue 18).

Qt orders Tab by the creation of widgets. The main windows build their form pages a little
at a time after the window is up (issue 10), so a page's fields were created after the
evidence panel and came after it in the Tab order. Here the window names its panes in the
order they are read (sections, search, form, evidence, findings) and Tab walks each pane's
fields in their order within it, then the next pane's; Shift+Tab walks back. F6 / Shift+F6
jump from pane to pane without walking through every field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollArea,
    QWidget,
)

Panes = Callable[[], Sequence[QWidget]]


def takes_tab(widget: QWidget, window: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.isVisible() and \
        widget.isEnabled() and widget.focusProxy() is None and widget.window() is window


def _inside_compound(widget: QWidget, pane: QWidget) -> bool:
    """Part of a compound widget that is itself the tab stop (a combo's or a spin box's editor)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not pane:
        if isinstance(parent, (QComboBox, QAbstractSpinBox)):
            return True
        parent = parent.parentWidget()
    return False


def pane_stops(pane: QWidget, window: QWidget) -> list[QWidget]:
    """The fields of one pane that Tab stops at, in their order within it."""
    if not pane.isVisible() or not pane.isEnabled():
        return []
    found = [pane] if takes_tab(pane, window) else []
    found += [w for w in pane.findChildren(QWidget) if takes_tab(w, window) and not _inside_compound(w, pane)]
    return found


class PaneTabOrder:
    def __init__(self, window: QWidget, panes: Panes) -> None:
        self.window = window
        self.panes = panes

    def stops(self) -> list[tuple[int, QWidget]]:
        return [(i, w) for i, pane in enumerate(self.panes()) for w in pane_stops(pane, self.window)]

    def _position(self, stops: list[tuple[int, QWidget]], focus: QWidget | None) -> int:
        while focus is not None:
            for n, (_pane, widget) in enumerate(stops):
                if widget is focus:
                    return n
            focus = focus.parentWidget()
        return -1

    def move(self, forward: bool) -> bool:
        """Tab / Shift+Tab: the next field in reading order. False: nothing to move to."""
        stops = self.stops()
        if not stops:
            return False
        here = self._position(stops, QApplication.focusWidget())
        if here < 0:
            target = stops[0 if forward else -1][1]
        else:
            target = stops[(here + (1 if forward else -1)) % len(stops)][1]
        focus(target, Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
        return True

    def move_pane(self, forward: bool) -> bool:
        """F6 / Shift+F6: the first field of the next pane that has one."""
        stops = self.stops()
        if not stops:
            return False
        panes = sorted({pane for pane, _w in stops})
        here = self._position(stops, QApplication.focusWidget())
        current = stops[here][0] if here >= 0 else -1
        if current in panes:
            index = panes.index(current) + (1 if forward else -1)
        else:
            index = 0 if forward else len(panes) - 1
        target_pane = panes[index % len(panes)]
        target = next(w for pane, w in stops if pane == target_pane)
        focus(target, Qt.FocusReason.ShortcutFocusReason)
        return True


def focus(widget: QWidget, reason: Qt.FocusReason = Qt.FocusReason.OtherFocusReason) -> None:
    """Give ``widget`` focus and scroll it into view in every scroll area it sits in."""
    widget.setFocus(reason)
    reveal(widget)


def reveal(widget: QWidget) -> None:
    """Scroll every scroll area that holds ``widget`` so that it is on screen."""
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if isinstance(parent, QScrollArea) and parent.widget() is not None and \
                parent.widget().isAncestorOf(widget):
            parent.ensureWidgetVisible(widget, 0, 24)
        parent = parent.parentWidget()
