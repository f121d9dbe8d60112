"""A date typed like the form's dates (2027-03-31, 2027/3/31, 2027年3月31日, full-width too) or
picked from a calendar.

A text field, not a QDateEdit: a QDateEdit edits one section at a time, so selecting all
and typing a new date kept the old year (issue 11). The text is read by the core's
``parse_date``, the same rule as everywhere else.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QWidget

from ..forms.date_popup import CalendarPopup, DateLine
from .accessibility import name_clear_button


class DateField(QWidget):
    date_edited = Signal()  # the text changed (typed, cleared or picked)
    committed = Signal()    # editing finished (Enter, leaving the field) or a date was picked

    def __init__(self, name: str, parent: QWidget | None = None, *, placeholder: str | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = DateLine(self)
        self.edit.setObjectName(f"{name}Edit")
        if placeholder is None:
            placeholder = self.tr("なし（例: 2027-03-31）")
        self.edit.setPlaceholderText(placeholder)
        self.edit.setClearButtonEnabled(True)
        name_clear_button(self.edit, self.tr("日付を消す"))
        metrics = self.edit.fontMetrics()
        # the placeholder is longer than any date typed; room for the clear button too
        text = max(metrics.horizontalAdvance(self.edit.placeholderText()),
                   metrics.horizontalAdvance("0000-00-00") * 3 // 2)
        self.edit.setFixedWidth(text + 2 * metrics.height() + 8)
        self.edit.textChanged.connect(lambda _t: self.date_edited.emit())
        self.edit.editingFinished.connect(self.committed)
        self.edit.open_calendar.connect(self.open_calendar)
        self.pick = QToolButton(self)
        self.pick.setObjectName(f"{name}Pick")
        self.pick.setText(self.tr("カレンダー"))
        self.pick.setToolTip(self.tr("カレンダーから選ぶ（Alt+↓）"))
        self.pick.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # A popup of its own, not a calendar in a menu: a menu took Enter and Space (no date was
        # picked) and needed Escape twice (issue 18; forms/date_popup.py). Made when first opened.
        self.popup: CalendarPopup | None = None
        self.pick.clicked.connect(self.open_calendar)
        layout.addWidget(self.edit)
        layout.addWidget(self.pick)
        layout.addStretch(1)
        self.setFocusProxy(self.edit)

    def set_accessible_name(self, name: str) -> None:
        """The field's name for a screen reader, and its calendar button's (which date it picks)."""
        self.edit.setAccessibleName(name)
        self.pick.setAccessibleName(self.tr("カレンダー（{name}を選ぶ）").format(name=name))

    def open_calendar(self) -> None:
        if self.edit.isReadOnly():
            return
        if self.popup is None:
            self.popup = CalendarPopup(self.pick, self.tr("カレンダー: {name}").format(
                name=self.edit.accessibleName() or self.edit.placeholderText()))
            self.popup.picked.connect(self.picked)
        value = self.value()
        self.popup.open_at(QDate(value.year, value.month, value.day) if value else QDate.currentDate())

    def picked(self, date: QDate) -> None:
        self.edit.setText(date.toString(Qt.DateFormat.ISODate))
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.committed.emit()

    def parsed(self) -> dt.date | ValueError | None:
        """The date typed, None when empty, or the ValueError saying it is not a date."""
        from questionnaire import parse_date

        text = self.edit.text().strip()
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError as exc:
            return exc

    def valid(self) -> bool:
        return not isinstance(self.parsed(), ValueError)

    def value(self) -> dt.date | None:
        value = self.parsed()
        return None if isinstance(value, ValueError) else value

    def set_value(self, value: dt.date | None) -> None:
        self.edit.setText("" if value is None else value.isoformat())

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.edit.setClearButtonEnabled(not read_only)
        self.pick.setEnabled(not read_only)
