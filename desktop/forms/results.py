"""Search and filter results: a list of the matching items (model/view), and the one selected
item's form below it.

A query can match every item of a 1,000-item questionnaire; a widget per match made one
keystroke take seconds (issue 10). Here a match is a row of a model — the list view draws
only the rows on screen — and one ``ItemWidget`` is built for the row the user is on, so
answering works in the results as it does in a section.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListView,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from .. import i18n
from ..i18n import tr
from .item_view import item_view, result_line
from .item_widget import ItemWidget
from .models import ROLE_ID

if TYPE_CHECKING:
    from ..session import FormSource


class ResultModel(QAbstractListModel):
    """Matching item ids in template order; each row says the item's section and state."""

    def __init__(self, source: FormSource, parent=None) -> None:
        super().__init__(parent)
        self.source = source
        self.ids: list[str] = []

    def set_items(self, item_ids: list[str]) -> None:
        self.beginResetModel()
        self.ids = list(item_ids)
        self.endResetModel()

    def states_changed(self) -> None:
        if self.ids:
            self.dataChanged.emit(self.index(0), self.index(len(self.ids) - 1))

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.ids)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.ids):
            return None
        item_id = self.ids[index.row()]
        template = self.source.template
        item = template.item(item_id)
        lang = i18n.current()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            section = template.section(item.section_id)
            state = self._state_text(item_id)
            text = item.text.get(lang)
            short = text if len(text) <= 70 else text[:68] + "…"
            head = f"{item_id}　{section.title.get(lang)}" + (f"　— {state}" if state else "")
            return f"{head}\n    {short}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.text.get(lang)
        if role == ROLE_ID:
            return item_id
        return None

    def _state_text(self, item_id: str) -> str:
        if self.source.locked:
            return ""
        state = self.source.assessment().items[item_id]
        line = result_line(item_view(state, self.source.template, i18n.current()))
        change = self.source.change_of(item_id)
        if change is not None and change.changed:
            line += " · " + tr("前回から{state}").format(state=change.state.label.get(i18n.current()))
        return line


class ResultsPage(QSplitter):
    item_activated = Signal(str)
    attach_requested = Signal(str, object)

    def __init__(self, source: FormSource, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setObjectName("searchResults")
        self.setChildrenCollapsible(False)
        self.source = source
        self.detail: ItemWidget | None = None
        top = QWidget(self)
        top.setObjectName("formBody")
        layout = QVBoxLayout(top)
        layout.setContentsMargins(18, 10, 18, 6)
        self.heading = QLabel(top)
        self.heading.setObjectName("sectionTitle")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.model = ResultModel(source, self)
        self.view = QListView(top)
        self.view.setObjectName("resultList")
        self.view.setModel(self.model)
        self.view.setUniformItemSizes(True)  # rows of one height: 1,000 rows cost what the visible ones do
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setAccessibleName(QCoreApplication.translate("SectionForm", "検索結果"))
        self.view.selectionModel().currentChanged.connect(lambda cur, _prev: self._show_detail(cur))
        self.view.activated.connect(lambda _i: self.detail.focus_first() if self.detail else None)
        layout.addWidget(self.view, 1)
        self.empty = QLabel(top)
        self.empty.setObjectName("noResults")
        self.empty.setText(QCoreApplication.translate("SectionForm", "条件に合う設問はありません。"))
        self.empty.hide()
        layout.addWidget(self.empty)
        self.detail_area = QScrollArea(self)
        self.detail_area.setObjectName("resultDetail")
        self.detail_area.setWidgetResizable(True)
        self.detail_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._detail_body()
        self.addWidget(top)
        self.addWidget(self.detail_area)
        self.setStretchFactor(0, 2)
        self.setStretchFactor(1, 3)

    def _detail_body(self) -> QVBoxLayout:
        body = QWidget()
        body.setObjectName("formBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(18, 8, 18, 18)
        self.detail_area.setWidget(body)  # deletes the previous body and its item widget
        self.detail = None
        return layout

    def show_items(self, item_ids: list[str], heading: str) -> None:
        self.heading.setText(heading)
        self.model.set_items(item_ids)
        self.empty.setVisible(not item_ids)
        self.view.setVisible(bool(item_ids))
        self.detail_area.setVisible(bool(item_ids))
        if item_ids:
            self.view.setCurrentIndex(self.model.index(0))
        else:
            self.clear_detail()

    def item_ids(self) -> list[str]:
        return list(self.model.ids)

    def clear_detail(self) -> None:
        if self.detail is not None:
            self.detail.commit_pending()
        self._detail_body()

    def select(self, item_id: str) -> bool:
        if item_id not in self.model.ids:
            return False
        self.view.setCurrentIndex(self.model.index(self.model.ids.index(item_id)))
        return True

    def _show_detail(self, index: QModelIndex) -> None:
        item_id = index.data(ROLE_ID) if index.isValid() else None
        if self.detail is not None and self.detail.item.id == item_id:
            return
        if self.detail is not None and not self.source.locked:
            self.detail.commit_pending()  # an edit still in a text box is stored first
        layout = self._detail_body()
        if item_id is None or self.source.locked:
            return
        widget = ItemWidget(self.source, self.source.template.item(item_id), self.detail_area.widget())
        widget.activated.connect(self.item_activated)
        widget.attach_requested.connect(self.attach_requested)
        widget.update_state(self.source.assessment().items[item_id])
        layout.addWidget(widget)
        layout.addStretch(1)
        self.detail = widget
        self.item_activated.emit(item_id)

    def refresh(self) -> None:
        self.model.states_changed()
        if self.detail is not None and not self.source.locked:
            self.detail.update_state(self.source.assessment().items[self.detail.item.id])
