"""The middle of the main window: the items of one section (or of a search) as a scrolling form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from .. import i18n
from .item_widget import ItemWidget

if TYPE_CHECKING:
    from questionnaire import Section

    from ..session import FormSource


class SectionForm(QScrollArea):
    item_activated = Signal(str)
    attach_requested = Signal(str, object)

    def __init__(self, source: FormSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sectionForm")
        self.source = source
        self.widgets: dict[str, ItemWidget] = {}
        self.section: Section | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        source.assessment_changed.connect(self.refresh)
        source.answer_changed.connect(self._reload_item)
        self._set_body(QWidget())

    def _set_body(self, body: QWidget) -> QVBoxLayout:
        if self.widgets and not self.source.locked:
            self.commit_pending()  # an edit still in a text box is stored before its widget goes
        body.setObjectName("formBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(18, 14, 18, 18)
        layout.setSpacing(10)
        self.setWidget(body)  # deletes the previous body and its item widgets
        self.widgets = {}
        return layout

    def show_section(self, section: Section) -> None:
        self.section = section
        lang = i18n.current()
        layout = self._set_body(QWidget())
        title = QLabel(f"{section.id}　{section.title.get(lang)}")
        title.setObjectName("sectionTitle")
        title.setWordWrap(True)
        layout.addWidget(title)
        if section.description:
            description = QLabel(section.description.get(lang))
            description.setObjectName("sectionDescription")
            description.setWordWrap(True)
            layout.addWidget(description)
        for item in section.items:
            layout.addWidget(self._make(item))
        layout.addStretch(1)
        self.refresh()
        self.verticalScrollBar().setValue(0)

    def show_items(self, item_ids: list[str], heading: str) -> None:
        """Search results: matching items from every section, under their section names."""
        self.section = None
        lang = i18n.current()
        layout = self._set_body(QWidget())
        title = QLabel(heading)
        title.setObjectName("sectionTitle")
        title.setWordWrap(True)
        layout.addWidget(title)
        current = None
        template = self.source.template
        for item_id in item_ids:
            item = template.item(item_id)
            if item.section_id != current:
                current = item.section_id
                label = QLabel(f"{current}　{template.section(current).title.get(lang)}")
                label.setObjectName("resultSection")
                layout.addWidget(label)
            layout.addWidget(self._make(item))
        if not item_ids:
            empty = QLabel(QCoreApplication.translate("SectionForm", "条件に合う設問はありません。"))
            empty.setObjectName("noResults")
            layout.addWidget(empty)
        layout.addStretch(1)
        self.refresh()
        self.verticalScrollBar().setValue(0)

    def _make(self, item) -> ItemWidget:
        widget = ItemWidget(self.source, item, self.widget())
        widget.activated.connect(self.item_activated)
        widget.attach_requested.connect(self.attach_requested)
        self.widgets[item.id] = widget
        return widget

    def refresh(self) -> None:
        if self.source.locked or not self.widgets:
            return
        states = self.source.assessment().items
        for item_id, widget in self.widgets.items():
            widget.update_state(states[item_id])

    def _reload_item(self, item_id: str) -> None:
        widget = self.widgets.get(item_id)
        if widget is not None:
            widget.load()

    def commit_pending(self) -> None:
        for widget in self.widgets.values():
            widget.commit_pending()

    def scroll_to(self, item_id: str, *, focus: bool = True) -> bool:
        widget = self.widgets.get(item_id)
        if widget is None or not widget.isVisibleTo(self):
            return False
        self.ensureWidgetVisible(widget, 0, 40)
        if focus:
            widget.focus_first()
        return True

    def clear(self) -> None:
        self.section = None
        self._set_body(QWidget())
