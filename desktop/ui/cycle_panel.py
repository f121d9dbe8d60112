"""The dashboard's yearly-cycle parts: answers carried over from last year (how many are
confirmed), and the dates that matter — the contract date, entered once, and every deadline
that follows from it, from the answers and from the evidence (questionnaire/deadlines.py),
overdue first, with an iCalendar export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .. import i18n
from ..errors import ErrorDialog
from ..forms.models import ROLE_ITEM
from ..i18n import tr
from ..settings import LAST_FOLDER
from .common import choose_output
from .date_field import DateField

if TYPE_CHECKING:
    from questionnaire.deadlines import Deadline

    from ..session import FormSource

# Shown at once; the rest after a click (a workspace may hold hundreds of evidence files).
SHOWN_DEADLINES = 8
OVERDUE = QColor("#9b1c1c")
SOON = QColor("#7a5200")


def deadline_text(d: Deadline, on: dt.date, lang: str) -> str:
    """One line: date, state in words (never colour alone), what, and on what it rests."""
    from questionnaire.deadlines import DeadlineStatus

    left = d.days_left(on)
    status = d.status(on)
    if status is DeadlineStatus.OVERDUE:
        when = tr("期限切れ（{n} 日超過）").format(n=-left)
    elif left == 0:
        when = tr("本日が期限")
    else:
        when = tr("あと {n} 日").format(n=left)
    return f"{d.due.isoformat()}  {when} · {d.title.get(lang)}  [{d.basis.get(lang)}]"


class DeadlineModel(QAbstractListModel):
    """Deadlines, overdue first (as derived); the item they concern in ROLE_ITEM."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[Deadline] = []
        self.on = dt.date.today()

    def set_deadlines(self, rows: list[Deadline], on: dt.date) -> None:
        self.beginResetModel()
        self.rows, self.on = rows, on
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        from questionnaire.deadlines import KIND_LABELS, DeadlineStatus

        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        d = self.rows[index.row()]
        lang = i18n.current()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return deadline_text(d, self.on, lang)
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [KIND_LABELS[d.kind].get(lang), d.basis.get(lang), d.detail.get(lang)]
            return "\n".join(p for p in parts if p)
        if role == Qt.ItemDataRole.ForegroundRole:
            status = d.status(self.on)
            if status is DeadlineStatus.OVERDUE:
                return QBrush(OVERDUE)
            if status is DeadlineStatus.SOON:
                return QBrush(SOON)
            return None
        if role == ROLE_ITEM:
            return d.item_id
        return None


class ContractDateDialog(QDialog):
    """The contract date: entered once, optional."""

    def __init__(self, parent: QWidget | None, current: dt.date | None) -> None:
        super().__init__(parent)
        self.setObjectName("contractDateDialog")
        self.setWindowTitle(tr("契約の締結日"))
        layout = QVBoxLayout(self)
        text = QLabel(tr("認定契約を締結した日を入力してください。契約期間は締結日から1年間で、"
                         "満了の3か月前までに"
                         "書面による申し出がなければ1年ずつ延長されます（契約書 第13条1項）。更新日と申し出の"
                         "期限、年次監査の目安はこの日から計算します。"), self)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.date = DateField("contractDate", self)
        self.date.edit.setAccessibleName(tr("契約の締結日"))
        self.date.set_value(current)
        layout.addWidget(self.date)
        ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok_cancel,
                                   self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # a date that does not read as one is not taken (nor read as "no date")
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.date.date_edited.connect(lambda: ok.setEnabled(self.date.valid()))
        self.setMinimumWidth(480)

    @classmethod
    def ask(cls, parent: QWidget | None, current: dt.date | None) -> tuple[bool, dt.date | None]:
        dialog = cls(parent, current)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False, None
        return True, dialog.date.value()


class CyclePanel(QFrame):
    """Carried answers and deadlines, for the vendor's dashboard."""

    jump_to_item = Signal(str)
    confirm_all_requested = Signal()
    actions_requested = Signal()

    def __init__(self, source: FormSource, settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.settings = settings
        self.show_all = False
        self.setObjectName("dashboardCycle")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("QFrame#dashboardCycle { background: white; border-radius: 6px; }")
        layout = QVBoxLayout(self)

        carried_row = QHBoxLayout()
        self.carried = QLabel(self)
        self.carried.setObjectName("carriedSummary")
        self.carried.setWordWrap(True)
        self.confirm_all = QPushButton(tr("引継ぎ回答をすべて確認…"), self)
        self.confirm_all.setObjectName("dashConfirmAll")
        self.confirm_all.setAccessibleName(tr("前年から引き継いだ回答をすべて確認する"))
        self.confirm_all.clicked.connect(self.confirm_all_requested)
        carried_row.addWidget(self.carried, 1)
        carried_row.addWidget(self.confirm_all)
        self.carried_box = QWidget(self)
        self.carried_box.setLayout(carried_row)
        carried_row.setContentsMargins(0, 0, 0, 6)
        layout.addWidget(self.carried_box)

        actions_row = QHBoxLayout()
        self.actions_label = QLabel(self)
        self.actions_label.setObjectName("actionsSummary")
        self.actions_label.setWordWrap(True)
        self.actions_button = QPushButton(tr("是正処置…"), self)
        self.actions_button.setObjectName("dashActions")
        self.actions_button.setAccessibleName(tr("是正処置の一覧と編集を開く"))
        self.actions_button.clicked.connect(self.actions_requested)
        actions_row.addWidget(self.actions_label, 1)
        actions_row.addWidget(self.actions_button)
        actions_row.setContentsMargins(0, 0, 0, 6)
        self.actions_box = QWidget(self)
        self.actions_box.setLayout(actions_row)
        layout.addWidget(self.actions_box)

        heading = QLabel(tr("期限（期限切れを先に表示）"), self)
        heading.setObjectName("deadlinesHeading")
        heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(heading)
        contract_row = QHBoxLayout()
        self.contract = QLabel(self)
        self.contract.setObjectName("contractDateLabel")
        self.contract.setWordWrap(True)
        self.contract_button = QPushButton(tr("契約の締結日…"), self)
        self.contract_button.setObjectName("editContractDate")
        self.contract_button.setAccessibleName(tr("契約の締結日を入力・変更する"))
        self.contract_button.clicked.connect(self.edit_contract_date)
        self.ics_button = QPushButton(tr("カレンダーに書き出す…"), self)
        self.ics_button.setObjectName("exportCalendar")
        self.ics_button.setAccessibleName(tr("期限を iCalendar ファイルに書き出す"))
        self.ics_button.setToolTip(tr("Outlook や Google カレンダーに取り込める .ics ファイルです。"
                                      "書き出し直すと、同じ予定が更新されます（重複しません）。"))
        self.ics_button.clicked.connect(self.export_calendar)
        contract_row.addWidget(self.contract, 1)
        contract_row.addWidget(self.contract_button)
        contract_row.addWidget(self.ics_button)
        layout.addLayout(contract_row)

        self.model = DeadlineModel(self)
        self.view = QListView(self)
        self.view.setObjectName("deadlineList")
        self.view.setAccessibleName(tr("期限の一覧"))
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.activated.connect(self._activated)
        self.view.clicked.connect(self._activated)
        layout.addWidget(self.view)
        self.more = QPushButton(self)
        self.more.setObjectName("moreDeadlines")
        self.more.setFlat(True)
        self.more.clicked.connect(self._toggle_all)
        layout.addWidget(self.more, 0, Qt.AlignmentFlag.AlignLeft)
        self.empty = QLabel(tr("期限はまだありません。契約の締結日を入力するか、"
                               "監査日・診断日・証跡の有効期限を"
                               "入力すると表示されます。"), self)
        self.empty.setObjectName("deadlinesEmpty")
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #5b6b7b;")
        layout.addWidget(self.empty)

    # --- showing ---------------------------------------------------------------------------------

    def refresh(self, on: dt.date | None = None) -> None:
        if self.source.locked:
            return
        on = on or dt.date.today()
        total = self.source.assessment().total
        self.carried_box.setVisible(total.carried > 0)
        if total.carried:
            self.carried.setText(tr("前年から引き継いだ回答: 確認済み {done} / {n} 件（要確認 {todo} 件）"
                                    ).format(
                done=total.confirmed, n=total.carried, todo=total.unconfirmed))
            self.confirm_all.setEnabled(total.unconfirmed > 0 and not self.source.read_only)
        from questionnaire.corrective import tally

        counts = tally(self.source.corrective_actions(), on)
        self.actions_box.setVisible(counts.total > 0)
        if counts.total:
            text = tr("是正処置: 未完了 {open} / {n} 件").format(open=counts.open, n=counts.total)
            if counts.overdue:
                text += tr("（うち期限切れ {late} 件）").format(late=counts.overdue)
            self.actions_label.setText(text)
            self.actions_label.setStyleSheet(f"color: {OVERDUE.name()}; font-weight: bold;" if counts.overdue
                                             else "")
        ws = self.source.workspace()
        from storage.cycle import effective_contract_date

        contract = effective_contract_date(ws)
        period = tr("{year}年度").format(year=ws.period) if ws.period else tr("未設定")
        if ws.contract_date is not None:
            contract_text = contract.isoformat()
        elif contract is not None:
            contract_text = tr("{date}（CHG-04 の回答から）").format(date=contract.isoformat())
        else:
            contract_text = tr("未設定")
        self.contract.setText(
            tr("監査期間: {period}　契約の締結日: {date}").format(period=period, date=contract_text))
        deadlines = self.source.deadlines(on)
        shown = deadlines if self.show_all else deadlines[:SHOWN_DEADLINES]
        self.model.set_deadlines(shown, on)
        rows = max(1, len(shown))
        self.view.setFixedHeight(min(rows, 12) * (self.view.fontMetrics().lineSpacing() + 8) + 8)
        self.view.setVisible(bool(deadlines))
        self.empty.setVisible(not deadlines)
        self.ics_button.setEnabled(bool(deadlines))
        hidden = len(deadlines) - len(shown)
        self.more.setVisible(hidden > 0 or (self.show_all and len(deadlines) > SHOWN_DEADLINES))
        self.more.setText(tr("ほか {n} 件を表示").format(n=hidden) if hidden
                          else tr("先頭の {n} 件だけ表示").format(
            n=SHOWN_DEADLINES))

    def _toggle_all(self) -> None:
        self.show_all = not self.show_all
        self.refresh()

    def _activated(self, index: QModelIndex) -> None:
        item_id = index.data(ROLE_ITEM)
        if item_id:
            self.jump_to_item.emit(item_id)

    # --- commands ----------------------------------------------------------------------------------

    def edit_contract_date(self) -> None:
        ws = self.source.workspace()
        ok, value = ContractDateDialog.ask(self, ws.contract_date)
        if not ok:
            return
        try:
            self.source.set_contract_date(value)
        except Exception as exc:
            ErrorDialog.show_error(self, exc)
        self.refresh()

    def export_calendar(self) -> Path | None:
        from exports.calendar import write_calendar

        ws = self.source.workspace()
        folder = Path(self.settings.get(LAST_FOLDER) or Path.home())
        suggested = folder / f"ccus-attest-{ws.period or dt.date.today().year}.ics"
        chosen = choose_output(self, tr("カレンダー（iCalendar）の保存先"), suggested, ".ics",
                               tr("iCalendar (*.ics)"))
        if chosen is None:
            return None
        path, _overwrite = chosen
        self.settings.set(LAST_FOLDER, str(path.parent))
        try:
            deadlines = self.source.deadlines()
            result = write_calendar(deadlines, path, lineage=ws.lineage, vendor=ws.vendor,
                                    lang=i18n.current())
            ws.record_activity("calendar.exported", None, file=path.name, events=result.events)
        except Exception as exc:
            ErrorDialog.show_error(self, exc)
            return None
        self.window().statusBar().showMessage(
            tr("{n} 件の期限をカレンダーに書き出しました: {path}").format(n=result.events, path=path), 8000)
        return path
