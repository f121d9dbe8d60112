"""The 是正処置 (corrective actions) view: a sortable list (overdue first by default, then by
due date) and, for the vendor, an editor for the selected action, which also attaches the
evidence of the correction (encrypted in the worker, filed under the action's item and linked
to the action, as ``attach … --action`` does). The auditor sees the same
list read-only: each earlier finding with what the vendor did, as the bundle's checked
corrective-actions.json holds it (exports/bundle_checks.py); 検証済み comes only from the
auditor's next review (storage/actions.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .. import i18n
from ..errors import ErrorDialog
from ..forms.models import ROLE_ITEM
from ..i18n import tr
from ..settings import LAST_FOLDER
from ..tasks import Task, run_with_progress
from .common import OpenFilesDialog
from .date_field import DateField
from .evidence_dialog import EvidenceMetaDialog

if TYPE_CHECKING:
    from questionnaire.corrective import CorrectiveAction

OVERDUE = QColor("#9b1c1c")
ROLE_SORT = Qt.ItemDataRole.UserRole + 20
ROLE_ACTION_ID = Qt.ItemDataRole.UserRole + 21
COL_ID, COL_ITEM, COL_GRADE, COL_STATUS, COL_DUE, COL_FINDING = range(6)


class ActionModel(QAbstractTableModel):
    def __init__(self, template, parent=None) -> None:
        super().__init__(parent)
        self.template = template
        self.rows: list[CorrectiveAction] = []
        self.on = dt.date.today()

    def set_actions(self, rows, on: dt.date) -> None:
        from questionnaire.corrective import sort_by_due

        self.beginResetModel()
        self.rows, self.on = sort_by_due(rows, on), on
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (tr("処置ID"), tr("項目"), tr("区分"), tr("状態"), tr("期日"), tr("指摘内容"))[section]
        return None

    def status_text(self, a) -> str:
        text = a.status.label.get(i18n.current())
        return tr("{status}・期限切れ").format(status=text) if a.overdue(self.on) else text

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        from questionnaire.corrective import grade_label

        if not index.isValid():
            return None
        a = self.rows[index.row()]
        col = index.column()
        lang = i18n.current()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (a.id, a.item_id, grade_label(self.template, a.grade).get(lang), self.status_text(a),
                    a.due.isoformat() if a.due else tr("なし"), a.finding.replace("\n", " "))[col]
        if role == Qt.ItemDataRole.ForegroundRole and a.overdue(self.on) and col in (COL_STATUS, COL_DUE):
            return QBrush(OVERDUE)
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_FINDING:
            return a.finding
        if role == ROLE_SORT:
            if col == COL_DUE:  # none last
                return (a.due or dt.date.max).isoformat()
            if col == COL_STATUS:
                return f"{int(not a.overdue(self.on))}{int(not a.open)}{a.status.value}"
            return self.data(index)
        if role == ROLE_ITEM:
            return a.item_id
        if role == ROLE_ACTION_ID:
            return a.id
        return None


class ActionEditor(QWidget):
    """The vendor's fields of one action (status up to 完了; 検証済み is the auditor's)."""

    save_requested = Signal(str, dict)  # action id, changes
    attach_requested = Signal(str)      # action id

    def __init__(self, template, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from questionnaire.corrective import VENDOR_STATUSES, grades

        self.action_id: str | None = None
        form = QFormLayout(self)
        self.heading = QLabel(self)
        self.heading.setObjectName("actionHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.heading)
        lang = i18n.current()
        self.grade = QComboBox(self)
        self.grade.setObjectName("actionGrade")
        for g in grades(template):
            self.grade.addItem(g.label.get(lang), g.id)
        self.status = QComboBox(self)
        self.status.setObjectName("actionStatus")
        for s in VENDOR_STATUSES:
            self.status.addItem(s.label.get(lang), s.value)
        # an empty field is no due date: saving it takes a date set by mistake away
        self.due = DateField("actionDue", self, placeholder=tr("期日なし（例: 2027-03-31）"))
        self.owner = QLineEdit(self)
        self.owner.setObjectName("actionOwner")
        self.root_cause = QPlainTextEdit(self)
        self.root_cause.setObjectName("actionRootCause")
        self.plan = QPlainTextEdit(self)
        self.plan.setObjectName("actionPlan")
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("actionNote")
        for edit in (self.root_cause, self.plan, self.note):
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(64)
        for label, widget in ((tr("区分"), self.grade), (tr("状態"), self.status), (tr("期日"), self.due),
                              (tr("担当"), self.owner), (tr("原因"), self.root_cause),
                              (tr("処置内容"), self.plan), (tr("メモ"), self.note)):
            form.addRow(label, widget)
            if widget is self.due:  # the field itself and its calendar button, not their frame
                self.due.set_accessible_name(label)
            else:
                widget.setAccessibleName(label)
        self.evidence = QLabel(self)
        self.evidence.setObjectName("actionEvidence")
        self.evidence.setWordWrap(True)
        self.attach = QPushButton(tr("証跡を添付…"), self)
        self.attach.setObjectName("actionAttach")
        self.attach.setAccessibleName(tr("是正の証跡のファイルを添付する"))
        self.attach.clicked.connect(self._attach)
        evidence_row = QHBoxLayout()
        evidence_row.addWidget(self.evidence, 1)
        evidence_row.addWidget(self.attach, 0, Qt.AlignmentFlag.AlignTop)
        form.addRow(tr("是正の証跡"), evidence_row)
        self.save = QPushButton(tr("保存"), self)
        self.save.setObjectName("actionSave")
        self.save.setAccessibleName(tr("是正処置を保存する"))
        self.save.clicked.connect(self._save)
        form.addRow(self.save)
        self.setEnabled(False)

    def show_action(self, a, files: dict[str, str], read_only: bool) -> None:
        from questionnaire.corrective import VERDICT_TEXT, ActionStatus

        lang = i18n.current()
        self.action_id = a.id if a is not None else None
        if a is None:
            self.heading.setText(tr("一覧から是正処置を選んでください。"))
            self.setEnabled(False)
            return
        verdict = VERDICT_TEXT[a.verdict].get(lang)
        by = f"{a.reviewer} {a.reviewed_on.isoformat() if a.reviewed_on else ''}".strip()
        self.heading.setText(tr("{id}（{item}）監査人の判定: {verdict}　{by}\n{finding}").format(
            id=a.id, item=a.item_id, verdict=verdict, by=by, finding=a.finding))
        self.grade.setCurrentIndex(max(0, self.grade.findData(a.grade)))
        verified = a.status is ActionStatus.VERIFIED
        if verified:
            if self.status.findData(a.status.value) < 0:
                self.status.addItem(a.status.label.get(lang), a.status.value)
        else:
            at = self.status.findData(ActionStatus.VERIFIED.value)
            if at >= 0:
                self.status.removeItem(at)
        self.status.setCurrentIndex(max(0, self.status.findData(a.status.value)))
        self.due.set_value(a.due)
        self.owner.setText(a.owner)
        self.root_cause.setPlainText(a.root_cause)
        self.plan.setPlainText(a.plan)
        self.note.setPlainText(a.note)
        self.evidence.setText("\n".join(files.get(e, e) for e in a.evidence_ids) or tr("なし"))
        self.setEnabled(True)
        for w in (self.grade, self.status, self.due, self.owner, self.root_cause, self.plan, self.note,
                  self.attach, self.save):
            w.setEnabled(not read_only and not verified)
        self.attach.setVisible(not read_only)

    def typed(self) -> dict:
        """The fields as they stand (saved or not)."""
        return {"grade": self.grade.currentData(), "status": self.status.currentData(),
                "due": self.due.edit.text(), "owner": self.owner.text(),
                "root_cause": self.root_cause.toPlainText(), "plan": self.plan.toPlainText(),
                "note": self.note.toPlainText()}

    def restore(self, typed: dict) -> None:
        """Put back what ``typed`` returned (an attached file does not undo unsaved edits)."""
        self.grade.setCurrentIndex(max(0, self.grade.findData(typed["grade"])))
        self.status.setCurrentIndex(max(0, self.status.findData(typed["status"])))
        self.due.edit.setText(typed["due"])
        self.owner.setText(typed["owner"])
        for edit, key in ((self.root_cause, "root_cause"), (self.plan, "plan"), (self.note, "note")):
            edit.setPlainText(typed[key])

    def _attach(self) -> None:
        if self.action_id is not None:
            self.attach_requested.emit(self.action_id)

    def _save(self) -> None:
        if self.action_id is None:
            return
        if not self.due.valid():
            ErrorDialog.show_error(self, self.due.parsed())
            self.due.setFocus()
            return
        # "" (an emptied field) takes the due date away; None would leave it as it was
        self.save_requested.emit(self.action_id, {**self.typed(), "due": self.due.value() or ""})


class ActionsDialog(QDialog):
    """List + editor. ``source``: a WorkspaceSession (editable) or a SubmissionSource."""

    jump_to_item = Signal(str)

    def __init__(self, source, parent: QWidget | None = None, on: dt.date | None = None,
                 settings=None) -> None:
        super().__init__(parent)
        self.source = source
        self.settings = settings
        self.tasks: list[Task] = []
        self.on = on or dt.date.today()
        self.setObjectName("actionsDialog")
        self.setWindowTitle(tr("是正処置"))
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("actionsSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = ActionModel(source.template, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(ROLE_SORT)
        self.view = QTableView(self)
        self.view.setObjectName("actionsTable")
        self.view.setAccessibleName(tr("是正処置の一覧"))
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(COL_STATUS, Qt.SortOrder.AscendingOrder)  # overdue first
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(COL_FINDING, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().currentRowChanged.connect(lambda _c, _p: self._selected())
        self.view.activated.connect(self._activated)
        self.editor = ActionEditor(source.template, self)
        self.editor.save_requested.connect(self._save)
        self.editor.attach_requested.connect(self.attach_evidence)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.view)
        splitter.addWidget(self.editor)
        splitter.setSizes([260, 320])
        layout.addWidget(splitter, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(980, 640)  # fits 1366x768 at 125 %
        self.refresh()

    def refresh(self, keep: str | None = None) -> None:
        from questionnaire.corrective import tally

        found = self.source.corrective_actions()
        self.model.set_actions(found, self.on)
        for col in range(COL_FINDING):
            self.view.resizeColumnToContents(col)
        counts = tally(found, self.on)
        self.summary.setText(tr("是正処置 {n} 件: 未完了 {open} 件、期限切れ {late} 件（{on} 現在）").format(
            n=counts.total, open=counts.open, late=counts.overdue, on=self.on.isoformat()))
        row = 0
        if keep is not None:
            for r in range(self.proxy.rowCount()):
                if self.proxy.index(r, 0).data(ROLE_ACTION_ID) == keep:
                    row = r
        if self.proxy.rowCount():
            self.view.setCurrentIndex(self.proxy.index(row, 0))
        self._selected()

    def current(self):
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        action_id = index.data(ROLE_ACTION_ID)
        return next((a for a in self.model.rows if a.id == action_id), None)

    def _selected(self) -> None:
        files = {e.id: e.filename for e in self.source.evidence()}
        self.editor.show_action(self.current(), files, self.source.read_only)

    def _activated(self, index: QModelIndex) -> None:
        item_id = index.data(ROLE_ITEM)
        if item_id:
            self.jump_to_item.emit(item_id)

    def _save(self, action_id: str, changes: dict) -> None:
        try:
            self.source.update_action(action_id, **changes)
        except Exception as exc:
            ErrorDialog.show_error(self, exc)
            return
        self.refresh(keep=action_id)

    # --- the evidence of the correction ------------------------------------------------------------

    def attach_evidence(self, action_id: str) -> list[Task]:
        """Files chosen, their details asked as for any evidence, each encrypted in the worker
        under the action's item, then linked to the action."""
        action = next((a for a in self.model.rows if a.id == action_id), None)
        if action is None or self.source.read_only:
            return []
        start = (self.settings.get(LAST_FOLDER) if self.settings is not None else None) or str(Path.home())
        files = OpenFilesDialog.ask(self, tr("是正の証跡のファイルを選択"), start)
        if files and self.settings is not None:
            self.settings.set(LAST_FOLDER, str(files[0].parent))
        item = self.source.template.item(action.item_id)
        started = []
        for path in files:
            meta = EvidenceMetaDialog.ask(self, self.source.template, item, path.name)
            if meta is not None:
                started.append(self._encrypt(action_id, action.item_id, path, meta))
        return started

    def _encrypt(self, action_id: str, item_id: str, path: Path, meta) -> Task:
        session = self.source
        task = Task(lambda progress, cancel: session.add_evidence(item_id, path, meta, progress=progress,
                                                                  cancel=cancel))
        task.succeeded.connect(lambda info: self._attached(action_id, item_id, info))
        task.failed.connect(lambda exc: ErrorDialog.show_error(
            self, exc, retry=lambda: self._encrypt(action_id, item_id, path, meta)))
        task.finished.connect(lambda: self.tasks.remove(task) if task in self.tasks else None)
        self.tasks.append(task)
        run_with_progress(self, tr("{name} を暗号化しています…").format(name=path.name), task)
        return task

    def _attached(self, action_id: str, item_id: str, info) -> None:
        self.source.evidence_stored(item_id)
        try:
            self.source.update_action(action_id, add_evidence=[info.id])
        except Exception as exc:
            ErrorDialog.show_error(self, exc)
            return
        typed = self.editor.typed() if self.editor.action_id == action_id else None
        self.refresh(keep=action_id)
        if typed is not None and self.editor.action_id == action_id:
            self.editor.restore(typed)
