"""One input widget per answer kind. Each reports a user's edit with ``edited``.

An editor never stores anything: the item widget turns ``value()`` into a core call.
``set_value`` loads a stored value without emitting (so undo and reloads do not echo).
Each editor says which widget takes focus first (``focus_target``) and names its inputs
for assistive technology (``describe``): the question is the name, the help and the
item's state the description (issue 18).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from questionnaire import AnswerKind, Item

from .. import i18n
from ..i18n import tr
from ..ui.accessibility import name_clear_button
from .choice_group import ChoiceGroup, Option
from .combo import CommitCombo
from .date_popup import DateLine as _DateLine

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

    def focus_target(self) -> QWidget:
        """The input that takes focus first (the label's buddy, the next-item target)."""
        raise NotImplementedError

    def describe(self, name: str, description: str) -> None:
        """Name the inputs for assistive technology: ``name`` is the question."""
        target = self.focus_target()
        target.setAccessibleName(name)
        target.setAccessibleDescription(description)


STATUS_LETTERS = {"yes": "Y", "partial": "P", "no": "N", "na": "A"}


class StatusEditor(Editor):
    """はい / 一部 / いいえ / 該当なし: one radio-group control (choice_group.py)."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        lang = i18n.current()
        options = [Option(c.value, c.label.get(lang), STATUS_LETTERS.get(c.value, ""), ("answer", c.value))
                   for c in item.choices]
        self.group = ChoiceGroup(options, self, name=f"status_{item.id}")
        self.group.committed.connect(self.edited)
        self.buttons = self.group.buttons  # the options' radio buttons, by value
        self._layout.addWidget(self.group)
        self._layout.addStretch(1)

    def value(self) -> Any:
        return self.group.value()

    def set_value(self, value: Any) -> None:
        self.group.set_value(value)

    def set_read_only(self, read_only: bool) -> None:
        self.group.set_read_only(read_only)
        self.setEnabled(not read_only)

    def commit_pending(self) -> None:
        self.group.commit()

    def focus_target(self) -> QWidget:
        return self.group


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

    def focus_target(self) -> QWidget:
        return self.box


class _LineEditor(Editor):
    """A one-line field whose text is the answer (parsed by the core); stored when editing
    finishes, and only if it changed."""

    def __init__(self, item: Item, name: str, parent: QWidget | None = None,
                 line: type[QLineEdit] = QLineEdit) -> None:
        super().__init__(item, parent)
        self._stored = ""
        self.line = line(self)
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

    def focus_target(self) -> QWidget:
        return self.line


class DateEditor(_LineEditor):
    """Typed (2026-04-01, 2026/4/1, 2026年4月1日) or picked from a calendar; empty = no date."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, f"date_{item.id}", parent, _DateLine)
        self.line.setPlaceholderText(tr("日付なし（例: 2026-04-01）"))
        self.line.setClearButtonEnabled(True)
        name_clear_button(self.line, tr("日付を消す"))
        # wide enough for the whole placeholder (in either language) and the clear button
        metrics = self.line.fontMetrics()
        width = metrics.horizontalAdvance(self.line.placeholderText()) + 3 * metrics.height() + 12
        self.line.setMinimumWidth(width)
        self.line.setMaximumWidth(width)
        self.line.open_calendar.connect(self.open_calendar)
        self.pick = QToolButton(self)
        self.pick.setObjectName(f"datePick_{item.id}")
        self.pick.setText(tr("カレンダー"))
        self.pick.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.pick.setToolTip(tr("カレンダーから選ぶ（Alt+↓）"))
        self.pick.clicked.connect(self.open_calendar)
        # The calendar is made when first opened: a QCalendarWidget is a whole table view, and
        # a questionnaire has a date item in every few (issue 10: memory and build time).
        self.popup = None
        self._layout.addWidget(self.line)
        self._layout.addWidget(self.pick)
        self._layout.addStretch(1)

    def open_calendar(self) -> None:
        from .date_popup import CalendarPopup

        if self.line.isReadOnly():
            return
        if self.popup is None:
            self.popup = CalendarPopup(self.pick, tr("カレンダー: {question}").format(
                question=self.line.accessibleName() or self.item.id))
            self.popup.picked.connect(self._picked)
        self.popup.open_at(QDate.fromString(self._stored, Qt.DateFormat.ISODate))

    def _picked(self, date: QDate) -> None:
        self.line.setText(date.toString(Qt.DateFormat.ISODate))
        self.line.setFocus(Qt.FocusReason.OtherFocusReason)
        self.commit_pending()

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.pick.setEnabled(not read_only)

    def describe(self, name: str, description: str) -> None:
        super().describe(name, description)
        self.pick.setAccessibleName(tr("カレンダー（{item} の日付を選ぶ）").format(item=self.item.id))


class SingleEditor(Editor):
    """A combo box that stores only a settled choice (combo.py: arrowing through it does not)."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.combo = CommitCombo(self)
        self.combo.setObjectName(f"single_{item.id}")
        # As wide as the form allows, and no wider: a long choice is elided rather than pushing
        # the form past the window's edge (1366×768 at 150 %).
        self.combo.setSizeAdjustPolicy(CommitCombo.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(8)
        self.combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.combo.addItem(tr("（選択してください）"), None)
        lang = i18n.current()
        for choice in item.choices:
            self.combo.addItem(choice.label.get(lang), choice.value)
        self.combo.committed.connect(self.edited)
        self._layout.addWidget(self.combo)

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value) if value is not None else 0
        self.combo.load(max(index, 0))

    def commit_pending(self) -> None:
        self.combo.commit()

    def focus_target(self) -> QWidget:
        return self.combo


class MultiEditor(Editor):
    """Check boxes in a group named by the question (each box is named by its choice)."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.group = QGroupBox(self)
        self.group.setObjectName(f"multi_{item.id}")
        self.group.setFlat(True)
        column = QVBoxLayout(self.group)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        self._layout.addWidget(self.group)
        self._layout.addStretch(1)
        self.boxes: dict[str, QCheckBox] = {}
        lang = i18n.current()
        for choice in item.choices:
            box = QCheckBox(choice.label.get(lang), self.group)
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

    def focus_target(self) -> QWidget:
        return next(iter(self.boxes.values()), self.group)

    def describe(self, name: str, description: str) -> None:
        self.group.setAccessibleName(name)
        self.group.setAccessibleDescription(description)
        for box in self.boxes.values():
            box.setAccessibleDescription(name)


class NumberEditor(_LineEditor):
    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, f"number_{item.id}", parent)
        self.line.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.line.setMaximumWidth(self.line.fontMetrics().horizontalAdvance("0") * 16 + 24)
        spec = item.number
        self.unit: QLabel | None = None
        if spec and (spec.minimum is not None or spec.maximum is not None):
            low = f"{spec.minimum:g}" if spec.minimum is not None else ""
            high = f"{spec.maximum:g}" if spec.maximum is not None else ""
            self.line.setPlaceholderText(f"{low}–{high}")
        self._layout.addWidget(self.line)
        if spec and spec.unit:
            self.unit = QLabel(spec.unit.get(i18n.current()), self)
            self.unit.setObjectName(f"unit_{item.id}")
            self._layout.addWidget(self.unit)
        self._layout.addStretch(1)

    def describe(self, name: str, description: str) -> None:
        unit = f"（{self.unit.text()}）" if self.unit is not None else ""
        super().describe(name + unit, description)


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
