"""Moving around a questionnaire window by keyboard, shared by the vendor's and the auditor's
windows (issue 18): Tab in reading order across panes, F6 between panes, Alt+↓/↑ from item to
item, focus kept where the user works when a page is hidden, and items chosen by the user —
not by focus passing through them on the way to another pane.

A window using it has ``section_list``, ``center`` (the form or the dashboard), ``form``,
``evidence``, ``session`` and ``_detached``, defines ``_panes()`` and ``select_item()``, and
creates ``self.tab_order = PaneTabOrder(self, self._panes)``.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from ..forms.item_widget import ItemWidget
from .focus_order import reveal


class FormNavigation:
    def focusNextPrevChild(self, next: bool) -> bool:
        return self.tab_order.move(next) or super().focusNextPrevChild(next)

    def _form_had_focus(self) -> bool:
        """Focus was in the middle of the window, or nowhere (so a change there must place it)."""
        focused = QApplication.focusWidget()
        return focused is None or focused.window() is not self or self.center.isAncestorOf(focused)

    def step_item(self, step: int) -> None:
        """Alt+↓ / Alt+↑: the next or previous item shown (in the section or the results)."""
        if self.session.locked:
            return
        if self.center.currentWidget() is not self.form:
            self.center.setCurrentWidget(self.form)
        shown = self.form.shown_items()
        if not shown:
            return
        here = self._focused_item() or self.evidence.item_id
        index = shown.index(here) + step if here in shown else (0 if step > 0 else len(shown) - 1)
        target = shown[max(0, min(len(shown) - 1, index))]
        self.select_item(target)
        self.form.scroll_to(target)

    def next_pane(self, forward: bool) -> None:
        self.tab_order.move_pane(forward)

    def _focused_item(self) -> str | None:
        widget = QApplication.focusWidget()
        while widget is not None and not isinstance(widget, ItemWidget):
            widget = widget.parentWidget()
        return widget.item.id if widget is not None and widget.window() is self else None

    def item_for_command(self) -> str | None:
        """The item a command acts on: the one the user is in (focus), else the selected one."""
        focused = self._focused_item()
        if focused is not None and focused != self.evidence.item_id:
            self.select_item(focused)
        return self.evidence.item_id

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if new is not None:
            if new.window() is self and self.center.isAncestorOf(new):
                reveal(new)
            return
        if old is None or self._detached:
            return
        owner = old.window()
        if owner is self:
            QTimer.singleShot(0, self, self._recover_focus)  # dropped if the window is gone
        elif owner.parentWidget() is not None and owner.parentWidget().window() is self:
            QTimer.singleShot(0, self, lambda: self._dialog_closed(owner))

    def _dialog_closed(self, dialog: QWidget) -> None:
        """One of this window's dialogs closed and left no window active (window managers
        differ; some activate nothing): take the focus back. Not when the user went to another
        application: the dialog is still open then."""
        if shiboken6.isValid(dialog) and dialog.isVisible():
            return
        if QApplication.activeWindow() is None and self.isVisible() and not self.isMinimized():
            self.activateWindow()
            QTimer.singleShot(0, self, self._recover_focus)

    def _recover_focus(self) -> None:
        """Focus vanished (its widget was hidden): put it where the user is working, never nowhere."""
        if self._detached or QApplication.focusWidget() is not None or \
                QApplication.activeWindow() is not self or QApplication.activePopupWidget() is not None:
            return
        if self.session.locked:
            self._focus_when_locked()
            return
        if not (self.center.currentWidget() is self.form and self.focus_form()):
            self.tab_order.move_pane(True)

    def focus_form(self) -> bool:
        """Focus the selected item's input, else the first item shown that takes focus."""
        candidates = [self.evidence.item_id] if self.evidence.item_id else []
        built = self.form.shown_items(complete=False)  # the first screenful is enough: no waiting
        return any(self.form.scroll_to(item_id) for item_id in candidates + built)

    def _focus_when_locked(self) -> None:
        """Overridden where the window has a lock page."""
