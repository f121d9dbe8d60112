"""The reviewer's verdict (判定) and finding (指摘事項) for the selected item.

For the auditor it is editable and stores at once (as the vendor's answers do): a verdict
when clicked, the finding when its box is left. The reviewer's name is remembered in the
settings; the date defaults to today. For the vendor it shows, read-only, what the
auditor wrote in an imported review workbook.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from .. import i18n
from ..forms.choice_group import ChoiceGroup, Option
from ..forms.editors import _CommitOnFocusOut
from .date_field import DateField

if TYPE_CHECKING:
    from questionnaire.review import Finding, Verdict

NO_VERDICT = ""


class ReviewPanel(QScrollArea):
    # item id, verdict (or None), finding, reviewer, date: the auditor changed something
    recorded = Signal(str, object, str, str, object)

    def __init__(self, finding_of: Callable[[str], Finding | None], *, editable: bool,
                 parent: QWidget | None = None, changed_of: Callable[[str], bool] | None = None) -> None:
        from questionnaire.review import VERDICT_LABELS, Verdict

        super().__init__(parent)
        self.setObjectName("reviewPanel")
        self.finding_of = finding_of
        self.changed_of = changed_of  # vendor side: the item changed after it was reviewed
        self.editable = editable
        self.item_id: str | None = None
        self._loading = False
        lang = i18n.current()
        # Scrolls rather than squeezing its fields over each other in a short window (1366×768
        # at 150 %: the right-hand column is ~330 px high).
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(self)
        body.setObjectName("reviewBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 6, 12, 12)
        self.heading = QLabel(self)
        self.heading.setObjectName("reviewHeading")
        layout.addWidget(self.heading)

        # One focus stop, as the vendor's status answer (choice_group.py). No 「未判定」 option (the
        # row must fit the narrow panel): Delete, or clicking the chosen verdict again, takes it back.
        options = [Option(v.value, VERDICT_LABELS[v].get(lang), style=("verdict", v.value)) for v in Verdict]
        self.verdicts = ChoiceGroup(options, self, name="verdict", allow_clear=True, columns=2)
        self.verdicts.setAccessibleName(self.tr("判定"))
        self.verdicts.setToolTip(self.tr("← → で選び Space で確定、1〜4 で直接選択、Delete で取り消し。"
                                         "もう一度クリックしても取り消せます。"))
        self.verdicts.committed.connect(self._verdict_committed)
        self.verdict_buttons = self.verdicts.buttons
        row = QHBoxLayout()
        row.addWidget(self.verdicts)
        row.addStretch(1)
        layout.addLayout(row)

        self.comment_label = QLabel(self.tr("指摘事項"), self)
        layout.addWidget(self.comment_label)
        self.comment = _CommitOnFocusOut(self)
        self.comment.setObjectName("findingEdit")
        self.comment.setAccessibleName(self.tr("指摘事項"))
        self.comment_label.setBuddy(self.comment)
        self.comment.setTabChangesFocus(True)
        self.comment.setPlaceholderText(self.tr("指摘・確認した内容（任意）") if editable else "")
        self.comment.setMinimumHeight(self.comment.fontMetrics().lineSpacing() * 3 + 14)
        self.comment.focus_lost.connect(self._text_left)
        layout.addWidget(self.comment, 1)
        form = QFormLayout()
        self.reviewer = QLineEdit(self)
        self.reviewer.setObjectName("reviewerEdit")
        self.reviewer.setAccessibleName(self.tr("確認者"))
        self.reviewer.setMaxLength(200)
        self.reviewer.editingFinished.connect(self._text_left)
        # typed over like every date (2026-04-01, 2026/4/1, 2026年4月1日) or picked; empty = today
        self.date = DateField("reviewDate", self, placeholder=self.tr("今日"))
        self.date.set_accessible_name(self.tr("確認日"))
        self.date.set_value(dt.date.today())
        self.date.committed.connect(self._text_left)
        # one row each: the date field and its calendar button left the name no room beside them
        form.addRow(self.tr("確認者"), self.reviewer)
        form.addRow(self.tr("確認日"), self.date)
        layout.addLayout(form)
        self.status = QLabel(self)
        self.status.setObjectName("reviewStatus")
        self.status.setProperty("hint", True)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        for widget in (self.comment, self.reviewer):
            widget.setReadOnly(not editable)
        self.date.set_read_only(not editable)
        self.verdicts.set_read_only(not editable)
        self.setWidget(body)
        self.show_item(None)

    # --- showing -------------------------------------------------------------------------

    def show_item(self, item_id: str | None) -> None:
        self.item_id = item_id
        self._loading = True
        try:
            finding = self.finding_of(item_id) if item_id else None
            self.verdicts.setAccessibleName(self.tr("{item} の判定").format(item=item_id) if item_id
                                            else self.tr("判定"))
            self.heading.setText(self.tr("{item} の判定・指摘事項").format(item=item_id) if item_id
                                 else self.tr("判定・指摘事項"))
            self._check(finding.verdict.value if finding and finding.verdict else NO_VERDICT)
            self.comment.setPlainText(finding.comment if finding else "")
            if finding is not None or not self.editable:
                self.reviewer.setText(finding.reviewer if finding else "")
            on = finding.reviewed_on if finding and finding.reviewed_on else dt.date.today()
            self.date.set_value(on)
            self.setEnabled(item_id is not None)
            if self.editable:
                self.status.setText("")
            elif finding is None:
                self.status.setText(self.tr("この設問への指摘はありません。"))
            elif self.changed_of is not None and self.changed_of(item_id):
                self.status.setText(self.tr("この確認の後に回答・備考・証跡を変更しました（再確認が必要）。"))
            else:
                self.status.setText("")
        finally:
            self._loading = False

    def _check(self, value: str) -> None:
        self.verdicts.set_value(value or None)

    def current_verdict(self) -> Verdict | None:
        from questionnaire.review import Verdict

        value = self.verdicts.value()
        return Verdict(value) if value else None

    def set_reviewer(self, name: str) -> None:
        if not self.reviewer.text():
            self.reviewer.setText(name)

    # --- recording -----------------------------------------------------------------------

    def _verdict_committed(self) -> None:
        self._emit()

    def _text_left(self) -> None:
        if self._loading or self.item_id is None:
            return
        finding = self.finding_of(self.item_id)
        stored = (finding.comment if finding else "", finding.reviewer if finding else "",
                  finding.reviewed_on if finding else None)
        now = (self.comment.toPlainText().strip(), self.reviewer.text().strip(), self._date())
        if now[2] is None:
            return  # not a date: said under the panel, nothing stored
        if finding is None and not now[0]:
            return  # a name or a date alone is not a finding
        if now != stored:
            self._emit()

    def _date(self) -> dt.date | None:
        """The date typed (today when left empty); None, said on the panel, when it is not a date."""
        if not self.date.valid():
            self.status.setText(self.tr(
                "確認日を日付として読めません（例: 2026-04-01、2026/4/1、2026年4月1日）。"))
            return None
        return self.date.value() or dt.date.today()

    def _emit(self) -> None:
        if not self.editable or self._loading or self.item_id is None:
            return
        if self._date() is None:
            return
        self.recorded.emit(self.item_id, self.current_verdict(), self.comment.toPlainText(),
                           self.reviewer.text(), self._date())

    def commit_pending(self) -> None:
        self.verdicts.commit()
        self._text_left()

    def saved(self, when: dt.datetime) -> None:
        self.status.setText(self.tr("review.json に保存しました（{time}）").format(
            time=when.strftime("%H:%M:%S")))
