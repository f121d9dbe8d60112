"""The selected item beside its earlier submission: 前回 and 今回 side by side, row by row
(question, answer, note, each evidence file, outcome), each row saying in words whether it
changed. Shown once the user compared with an earlier submission (FormSource.comparison).
Under the heading, the corrective actions the two carry: how many are closed and open now, and
what changed since (the figures of ``diff``'s summary, questionnaire/comparison.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from .. import i18n

if TYPE_CHECKING:
    from questionnaire.comparison import ItemComparison

    from ..session import FormSource

_Index = QModelIndex | QPersistentModelIndex
CHANGED_BACKGROUND = QColor("#fff4d6")   # repeats the 変更 column's words; never says it alone


class ItemChangeModel(QAbstractTableModel):
    """Rows: (what, old, new, change) for one item."""

    COLUMNS = 4

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, str, str, str, bool]] = []   # what, old, new, state, changed
        self.tips: dict[tuple[int, int], str] = {}

    def set_item(self, change: ItemComparison | None, templates: tuple = (None, None)) -> None:
        """``templates``: the old and the new side's templates (to name evidence kinds)."""
        self.beginResetModel()
        self.rows, self.tips = _rows(change, i18n.current(), *templates) if change is not None else ([], {})
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:   # an evidence row's full details (kind, SHA-256)
            return self.tips.get((index.row(), index.column()), row[index.column()])
        if role == Qt.ItemDataRole.BackgroundRole and row[4] and index.column() in (1, 2, 3):
            return CHANGED_BACKGROUND
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("項目"), self.tr("前回"), self.tr("今回"), self.tr("変更"))[section]
        return None


Row = tuple[str, str, str, str, bool]


def _short_file(e, lang: str) -> str:
    """Name and expiry: what fits the narrow pane (the tooltip has the kind and the SHA-256)."""
    from exports.comparison_text import NONE

    if e is None:
        return NONE.get(lang)
    if e.expires is None:
        return e.filename + "\n" + i18n.tr("有効期限なし")
    return f"{e.filename}\n" + i18n.tr("有効期限 {date}").format(date=e.expires.isoformat())


def _rows(c: ItemComparison, lang: str, template_old=None, template_new=None
          ) -> tuple[list[Row], dict[tuple[int, int], str]]:
    from exports.comparison_text import NONE, file_text, note_text, value_text
    from questionnaire.comparison import State

    tr = i18n.tr
    none = NONE.get(lang)
    unchanged = State.UNCHANGED.label.get(lang)
    rows = []
    if c.old_item is None or c.new_item is None or c.template_changes:
        old_q = c.old_item.text.get(lang) if c.old_item else none
        new_q = c.new_item.text.get(lang) if c.new_item else none
        changed = c.old_item is None or c.new_item is None or c.question_changed
        state = (State.ADDED if c.old_item is None else State.REMOVED if c.new_item is None else
                 State.CHANGED if changed else State.UNCHANGED).label.get(lang)
        rows.append((tr("設問"), old_q, new_q, state, changed))
    rows.append((tr("回答"), value_text(c.old_item, c.old_answer, lang) or none,
                 value_text(c.new_item, c.new_answer, lang) or none, c.answer.label.get(lang),
                 c.answer is not State.UNCHANGED))
    rows.append((tr("備考"), note_text(c.old_answer) or none, note_text(c.new_answer) or none,
                 c.note.label.get(lang), c.note is not State.UNCHANGED))
    t_old = template_old or template_new
    tips: dict[tuple[int, int], str] = {}
    for e in c.evidence:
        tips[(len(rows), 1)] = file_text(e.old, lang, t_old)
        tips[(len(rows), 2)] = file_text(e.new, lang, template_new)
        rows.append((tr("証跡"), _short_file(e.old, lang), _short_file(e.new, lang), e.state.label.get(lang),
                     e.changed))
    old_o = c.old_outcome.label.get(lang) if c.old_outcome else none
    new_o = c.new_outcome.label.get(lang) if c.new_outcome else none
    rows.append((tr("状態"), old_o, new_o, unchanged if old_o == new_o else State.CHANGED.label.get(lang),
                 old_o != new_o))
    return rows, tips


class ComparisonPanel(QWidget):
    """Heading (which earlier submission) and the side-by-side table of the selected item."""

    def __init__(self, source: FormSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("comparisonPanel")
        self.source = source
        self.item_id: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 12, 8)
        self.heading = QLabel(self)
        self.heading.setObjectName("comparisonHeading")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold;")
        self.actions = QLabel(self)
        self.actions.setObjectName("comparisonActions")
        self.actions.setWordWrap(True)
        self.model = ItemChangeModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("comparisonTable")
        self.table.setAccessibleName(self.tr("前回との比較（選択中の設問）"))
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.heading)
        layout.addWidget(self.actions)
        layout.addWidget(self.table, 1)
        source.comparison_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        cmp = self.source.comparison
        self.setVisible(cmp is not None)
        if cmp is None:
            self.model.set_item(None)
            return
        from exports.bundle_report import format_jst

        lang = i18n.current()
        old = cmp.old
        when = format_jst(old.exported_at, lang) if old.exported_at else old.submission.created_at[:10]
        n = len(cmp.changed_items)
        self.heading.setText(self.tr("前回との比較: 提出ID {id}（{when}）— 変更のある設問 {n} 件").format(
            id=old.submission.submission_id, when=when, n=n))
        counts = cmp.counts()
        by_state = counts["actions"]
        self.actions.setVisible(bool(cmp.actions))
        self.actions.setText(self.tr(
            "是正処置 {n} 件: 今回の時点で完了 {closed} 件・未完了 {open} 件"
            "（前回から 新規 {opened}、完了 {closed_since}、再開 {reopened}、変更 {changed}、削除 {removed}）"
        ).format(n=counts["actions_open"] + counts["actions_closed"], closed=counts["actions_closed"],
                 open=counts["actions_open"], opened=by_state.get("opened", 0),
                 closed_since=by_state.get("closed", 0), reopened=by_state.get("reopened", 0),
                 changed=by_state.get("changed", 0), removed=by_state.get("removed", 0)))
        self.show_item(self.item_id)

    def show_item(self, item_id: str | None) -> None:
        self.item_id = item_id
        change = self.source.change_of(item_id) if item_id else None
        cmp = self.source.comparison
        templates = ((cmp.old.submission.template, cmp.new.submission.template) if cmp is not None
                     else (None, None))
        self.model.set_item(change, templates)
        self.table.resizeRowsToContents()
