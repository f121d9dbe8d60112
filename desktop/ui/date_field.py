"""A date typed like the form's dates (2027-03-31, 2027/3/31, 2027年3月31日, full-width too) or
picked from a calendar.

A text field, not a QDateEdit: a QDateEdit edits one section at a time, so selecting all
and typing a new date kept the old year (issue 11). The text is read by the core's
``parse_date``, the same rule as everywhere else.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)


class DateField(QWidget):
    date_edited = Signal()  # the text changed (typed, cleared or picked)
    committed = Signal()    # editing finished (Enter, leaving the field) or a date was picked

    def __init__(self, name: str, parent: QWidget | None = None, *, placeholder: str | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit(self)
        self.edit.setObjectName(f"{name}Edit")
        if placeholder is None:
            placeholder = self.tr("なし（例: 2027-03-31）")
        self.edit.setPlaceholderText(placeholder)
        self.edit.setClearButtonEnabled(True)
        metrics = self.edit.fontMetrics()
        # the placeholder is longer than any date typed; room for the clear button too
        text = max(metrics.horizontalAdvance(self.edit.placeholderText()),
                   metrics.horizontalAdvance("0000-00-00") * 3 // 2)
        self.edit.setFixedWidth(text + 2 * metrics.height() + 8)
        self.edit.textChanged.connect(lambda _t: self.date_edited.emit())
        self.edit.editingFinished.connect(self.committed)
        self.pick = QToolButton(self)
        self.pick.setObjectName(f"{name}Pick")
        self.pick.setText(self.tr("カレンダー"))
        self.pick.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        # Fusion draws the menu arrow over the label's last glyph; the button opens the calendar anyway
        self.pick.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        self.menu = QMenu(self.pick)
        self.calendar: QCalendarWidget | None = None  # made when first opened
        self.menu.aboutToShow.connect(self._prepare_calendar)
        self.pick.setMenu(self.menu)
        layout.addWidget(self.edit)
        layout.addWidget(self.pick)
        layout.addStretch(1)
        self.setFocusProxy(self.edit)

    def _prepare_calendar(self) -> None:
        if self.calendar is None:
            self.calendar = QCalendarWidget(self.menu)
            self.calendar.setGridVisible(True)
            action = QWidgetAction(self.menu)
            action.setDefaultWidget(self.calendar)
            self.menu.addAction(action)
            self.calendar.clicked.connect(lambda d: (self.menu.close(), self.picked(d)))
        value = self.value()
        shown = QDate(value.year, value.month, value.day) if value else QDate.currentDate()
        self.calendar.setSelectedDate(shown)

    def picked(self, date: QDate) -> None:
        self.edit.setText(date.toString(Qt.DateFormat.ISODate))
        self.edit.setFocus()
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
