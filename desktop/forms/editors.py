"""One input widget per answer kind. Each reports a user's edit with ``edited``.

An editor never stores anything: the item widget turns ``value()`` into a core call.
``set_value`` loads a stored value without emitting (so undo and reloads do not echo).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from questionnaire import AnswerKind, Item

from .. import i18n
from ..i18n import tr

LONG_TEXT_FROM = 200  # text items allowing more characters than this get a multi-line box



class Editor(QWidget):
    edited = Signal()

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setObjectName(f"editor_{item.id}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._layout = layout

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        self.setEnabled(not read_only)

    def commit_pending(self) -> None:
        """Report an edit still sitting in a text box (before closing or locking)."""


class StatusEditor(Editor):
    """はい / 一部 / いいえ / 該当なし as a segmented row of toggle buttons."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)  # lets set_value(None) uncheck everything
        self.buttons: dict[str, QPushButton] = {}
        lang = i18n.current()
        self._layout.setSpacing(0)
        for i, choice in enumerate(item.choices):
            button = QPushButton(choice.label.get(lang), self)
            button.setObjectName(f"status_{choice.value}")
            button.setCheckable(True)
            button.setProperty("segment", "first" if i == 0 else "last" if i == len(item.choices) - 1
                               else "middle")
            button.setProperty("answer", choice.value)
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance(button.text()) + 36)
            button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
            self.group.addButton(button)
            self.buttons[choice.value] = button
            self._layout.addWidget(button)
            button.clicked.connect(lambda _checked, v=choice.value: self._clicked(v))
        self._layout.addStretch(1)
        self._value: str | None = None

    def _clicked(self, value: str) -> None:
        self._value = value
        self._sync()
        self.edited.emit()

    def _sync(self) -> None:
        for value, button in self.buttons.items():
            button.setChecked(value == self._value)

    def value(self) -> Any:
        return self._value

    def set_value(self, value: Any) -> None:
        self._value = value if value in self.buttons else None
        self._sync()


class _CommitOnFocusOut(QPlainTextEdit):
    focus_lost = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.focus_lost.emit()

    def keyPressEvent(self, event) -> None:
        # Tab moves on (as in every other field) instead of typing a tab character.
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            event.ignore()
            return
        super().keyPressEvent(event)


class TextEditor(Editor):
    """A line for short answers, a box for long ones; stored when the field is left."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self._stored = ""
        if item.text_max > LONG_TEXT_FROM:
            self.box: QLineEdit | _CommitOnFocusOut = _CommitOnFocusOut(self)
            self.box.setTabChangesFocus(True)
            self.box.setFixedHeight(self.box.fontMetrics().lineSpacing() * 4 + 14)
            self.box.focus_lost.connect(self.commit_pending)
        else:
            self.box = QLineEdit(self)
            self.box.setMaxLength(item.text_max)
            self.box.editingFinished.connect(self.commit_pending)
        self.box.setObjectName(f"text_{item.id}")
        self.box.setPlaceholderText(tr("ここに入力（{n}文字まで）").format(n=item.text_max))
        self._layout.addWidget(self.box)

    def text(self) -> str:
        return self.box.toPlainText() if isinstance(self.box, QPlainTextEdit) else self.box.text()

    def value(self) -> Any:
        return self.text()

    def set_value(self, value: Any) -> None:
        self._stored = "" if value is None else str(value)
        if self.text() != self._stored:
            if isinstance(self.box, QPlainTextEdit):
                self.box.setPlainText(self._stored)
            else:
                self.box.setText(self._stored)

    def commit_pending(self) -> None:
        if self.text().strip() != self._stored.strip():
            self._stored = self.text()
            self.edited.emit()

    def set_read_only(self, read_only: bool) -> None:
        self.box.setReadOnly(read_only)


class _LineEditor(Editor):
    """A one-line field whose text is the answer (parsed by the core); stored when editing
    finishes, and only if it changed."""

    def __init__(self, item: Item, name: str, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self._stored = ""
        self.line = QLineEdit(self)
        self.line.setObjectName(name)
        self.line.editingFinished.connect(self.commit_pending)

    def value(self) -> Any:
        return self.line.text().strip() or None

    def set_value(self, value: Any) -> None:
        self._stored = "" if value is None else f"{value}"
        self.line.setText(self._stored)

    def commit_pending(self) -> None:
        if self.line.text().strip() != self._stored:
            self._stored = self.line.text().strip()
            self.edited.emit()

    def set_read_only(self, read_only: bool) -> None:
        self.line.setReadOnly(read_only)


class DateEditor(_LineEditor):
    """Typed (2026-04-01, 2026/4/1, 2026年4月1日) or picked from a calendar; empty = no date."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, f"date_{item.id}", parent)
        self.line.setPlaceholderText(tr("日付なし（例: 2026-04-01）"))
        self.line.setClearButtonEnabled(True)
        # wide enough for the whole placeholder (in either language) and the clear button
        metrics = self.line.fontMetrics()
        width = metrics.horizontalAdvance(self.line.placeholderText()) + 3 * metrics.height() + 12
        self.line.setMinimumWidth(width)
        self.line.setMaximumWidth(width)
        self.pick = QToolButton(self)
        self.pick.setObjectName(f"datePick_{item.id}")
        self.pick.setText(tr("カレンダー"))
        self.pick.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        # Fusion draws the menu arrow over the label's last glyph (「カレンダー」, "Calendar"):
        # the button opens the calendar anyway, so the arrow is left out.
        self.pick.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        self.menu = QMenu(self.pick)
        # The calendar is made when first opened: a QCalendarWidget is a whole table view, and
        # a questionnaire has a date item in every few (issue 10: memory and build time).
        self.calendar: QCalendarWidget | None = None
        self.menu.aboutToShow.connect(self._prepare_calendar)
        self.pick.setMenu(self.menu)
        self._layout.addWidget(self.line)
        self._layout.addWidget(self.pick)
        self._layout.addStretch(1)

    def _prepare_calendar(self) -> None:
        if self.calendar is None:
            self.calendar = QCalendarWidget(self.menu)
            self.calendar.setGridVisible(True)
            action = QWidgetAction(self.menu)
            action.setDefaultWidget(self.calendar)
            self.menu.addAction(action)
            self.calendar.clicked.connect(lambda d: (self.menu.close(), self._picked(d)))
        date = QDate.fromString(self._stored, Qt.DateFormat.ISODate)
        self.calendar.setSelectedDate(date if date.isValid() else QDate.currentDate())

    def _picked(self, date: QDate) -> None:
        self.line.setText(date.toString(Qt.DateFormat.ISODate))
        self.commit_pending()

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.pick.setEnabled(not read_only)


class SingleEditor(Editor):
    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.combo = QComboBox(self)
        self.combo.setObjectName(f"single_{item.id}")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.addItem(tr("（選択してください）"), None)
        lang = i18n.current()
        for choice in item.choices:
            self.combo.addItem(choice.label.get(lang), choice.value)
        self.combo.activated.connect(lambda _i: self.edited.emit())
        self._layout.addWidget(self.combo)
        self._layout.addStretch(1)

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value) if value is not None else 0
        self.combo.setCurrentIndex(max(index, 0))


class MultiEditor(Editor):
    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        column = QVBoxLayout()
        column.setSpacing(2)
        self._layout.addLayout(column)
        self._layout.addStretch(1)
        self.boxes: dict[str, QCheckBox] = {}
        lang = i18n.current()
        for choice in item.choices:
            box = QCheckBox(choice.label.get(lang), self)
            box.setObjectName(f"multi_{item.id}_{choice.value}")
            box.clicked.connect(lambda _checked: self.edited.emit())
            column.addWidget(box)
            self.boxes[choice.value] = box

    def value(self) -> Any:
        return [v for v, box in self.boxes.items() if box.isChecked()]

    def set_value(self, value: Any) -> None:
        chosen = set(value or ())
        for v, box in self.boxes.items():
            box.setChecked(v in chosen)


class NumberEditor(_LineEditor):
    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, f"number_{item.id}", parent)
        self.line.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.line.setMaximumWidth(self.line.fontMetrics().horizontalAdvance("0") * 16 + 24)
        spec = item.number
        if spec and (spec.minimum is not None or spec.maximum is not None):
            low = f"{spec.minimum:g}" if spec.minimum is not None else ""
            high = f"{spec.maximum:g}" if spec.maximum is not None else ""
            self.line.setPlaceholderText(f"{low}–{high}")
        self._layout.addWidget(self.line)
        if spec and spec.unit:
            unit = QLabel(spec.unit.get(i18n.current()), self)
            unit.setObjectName(f"unit_{item.id}")
            self._layout.addWidget(unit)
        self._layout.addStretch(1)


EDITORS: dict[AnswerKind, type[Editor]] = {
    AnswerKind.STATUS: StatusEditor,
    AnswerKind.TEXT: TextEditor,
    AnswerKind.DATE: DateEditor,
    AnswerKind.SINGLE: SingleEditor,
    AnswerKind.MULTI: MultiEditor,
    AnswerKind.NUMBER: NumberEditor,
}


def editor_for(item: Item, parent: QWidget | None = None) -> Editor:
    return EDITORS[item.kind](item, parent)
