"""Window sizes taken from the screen the window is on (issue 18).

The commonest office laptop is 1366×768, usually at 125 % (1093×614 logical pixels) or
150 % (911×512): fixed sizes such as 1360×860 or a 1000×640 minimum left parts of the
window below the screen edge. A window here starts at its preferred size or the screen's
available area less a margin for the title bar, whichever is smaller, and its minimum
never exceeds that area. A size restored from the settings is pulled back onto the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

TITLE_BAR = 36  # logical pixels a window manager's title bar and border take (not known before showing)


def available(widget: QWidget | None = None) -> QRect:
    screen = None
    if widget is not None:
        anchor = widget.parentWidget().window() if widget.parentWidget() is not None else widget
        screen = anchor.screen()
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def room(widget: QWidget | None = None) -> QSize:
    """The largest client area that fits on the screen with a title bar."""
    area = available(widget)
    return QSize(area.width(), max(200, area.height() - TITLE_BAR))


def fit(window: QWidget, preferred: QSize, minimum: QSize | None = None) -> QSize:
    """Resize ``window`` to ``preferred`` or what fits; the minimum is kept within the screen too."""
    space = room(window)
    if minimum is not None:
        window.setMinimumSize(min(minimum.width(), space.width()), min(minimum.height(), space.height()))
    size = QSize(min(preferred.width(), space.width()), min(preferred.height(), space.height()))
    window.resize(size)
    return size


def keep_on_screen(window: QWidget) -> None:
    """After restoreGeometry: a size saved on a bigger screen is shrunk, an off-screen position moved."""
    space, area = room(window), available(window)
    size = window.size()
    if size.width() > space.width() or size.height() > space.height():
        window.resize(min(size.width(), space.width()), min(size.height(), space.height()))
    geometry = window.frameGeometry()
    if not area.contains(geometry.topLeft()) or not area.contains(geometry.bottomRight()):
        x = max(area.left(), min(geometry.left(), area.right() - geometry.width()))
        y = max(area.top(), min(geometry.top(), area.bottom() - geometry.height()))
        window.move(x, y)


def grow_to_content(window: QWidget) -> None:
    """After a shown dialog's text grew (a hint, a result panel): make it as tall as its
    word-wrapped labels need at its current width, within the screen. Qt does not do this by
    itself: a top-level layout's minimum size leaves height-for-width out, so a wrapped label
    that got longer is squeezed instead of the window growing."""
    layout = window.layout()
    if layout is None:
        return
    layout.activate()
    width = window.width()
    if layout.hasHeightForWidth():
        need = layout.totalHeightForWidth(width)
    else:
        need = layout.totalSizeHint().height()
    if need > window.height():
        window.resize(width, min(need, room(window).height()))
    keep_on_screen(window)
