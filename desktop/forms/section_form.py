"""The middle of the main window: the items of one section as a scrolling form, or the results
of a search.

Each section's page is built once and kept (issue 10): going back to a section shows its
widgets again instead of building them anew. Pages are built a little at a time from the
event loop — the section asked for first, its first screenful at once, then the rest and
the other sections in slices of a few tens of milliseconds — so opening a workspace of
1,000 items never freezes the window. A change refreshes the page on screen (only the
items whose shown state changed are touched); other pages catch up when shown.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QScrollBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from .. import heap, i18n
from ..i18n import tr
from .item_widget import ItemWidget
from .results import ResultsPage

if TYPE_CHECKING:
    from questionnaire import Section

    from ..session import FormSource

# Time slices of the incremental build: what is spent at once when a section is asked for
# (its first screenful), and per turn of the event loop for the rest.
FIRST_SLICE_S = 0.035
SLICE_S = 0.025
# Memory: an item's widgets take ~0.3-0.5 MiB. Sections are prebuilt while the whole
# questionnaire is small (the default one: 116 items); a big one keeps the sections seen last,
# up to KEEP_ITEMS items, and builds the others when they are asked for.
PREBUILD_ITEMS = 300
KEEP_ITEMS = 400


class _Body(QWidget):
    """A page's contents. Its size hint is a constant on purpose: QScrollArea (resizable) asks a
    height-for-width body for its size hint, which lays the items out at the width they would
    like, and then for its height at the viewport's width; each new width makes every item's
    layout lay out its word-wrapped labels again (a layout caches one width). With a constant
    hint the item layouts are only asked at the viewport's width, so an answer re-lays out the
    one item that changed instead of every item of the section at two or three widths (issue 10:
    Qt's part of an answer in a 100-item section went from 32 to 7 ms of the UI thread's time).
    The minimum size stays the layout's own (cached per item: no height-for-width in it).
    """

    def sizeHint(self) -> QSize:
        return QSize(480, 240)

    def minimumSizeHint(self) -> QSize:
        layout = self.layout()
        return layout.totalMinimumSize() if layout is not None else QSize(0, 0)


class _Page(QScrollArea):
    """One section's items (built incrementally, then kept)."""

    def __init__(self, form: SectionForm, section: Section) -> None:
        super().__init__(form)
        self.form = form
        self.section = section
        self.setObjectName(f"sectionPage_{section.id}")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a tab stop: its fields are, and scroll it
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.widgets: dict[str, ItemWidget] = {}
        self.pending = list(section.items)
        self.stale = False
        body = _Body()
        body.setObjectName("formBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(18, 14, 18, 18)
        layout.setSpacing(10)
        lang = i18n.current()
        title = QLabel(f"{section.id}　{section.title.get(lang)}", body)
        title.setObjectName("sectionTitle")
        title.setWordWrap(True)
        layout.addWidget(title)
        if section.description:
            description = QLabel(section.description.get(lang), body)
            description.setObjectName("sectionDescription")
            description.setWordWrap(True)
            layout.addWidget(description)
        # The section's answers carried over from last year, confirmed at once (questions that
        # changed are left to be confirmed one by one); shown while there are some.
        self.confirm_button = QPushButton(body)
        self.confirm_button.setObjectName(f"confirmSection_{section.id}")
        self.confirm_button.setAccessibleName(
            tr("{section} の前年からの回答をまとめて確認済みにする").format(section=section.id))
        self.confirm_button.setToolTip(tr(
            "このセクションの前年から引き継いだ回答を、今年度の回答として確認済みにします。設問が変更された"
            "回答は含まれません（1件ずつ確認してください）。元に戻す（Ctrl+Z）で取り消せます。"))
        self.confirm_button.clicked.connect(lambda: form.confirm_section_requested.emit(section.id))
        self.confirm_button.hide()
        layout.addWidget(self.confirm_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.layout_ = layout
        self.setWidget(body)

    @property
    def built(self) -> bool:
        return not self.pending

    def build(self, deadline: float) -> bool:
        """Add item widgets until ``deadline`` (perf_counter); True when the page is complete."""
        source = self.form.source
        if source.locked:
            return self.built
        states = source.assessment().items
        body = self.widget()
        while self.pending:
            item = self.pending.pop(0)
            widget = ItemWidget(source, item, body)
            widget.activated.connect(self.form.item_activated)
            widget.attach_requested.connect(self.form.attach_requested)
            widget.update_state(states[item.id])
            if item.id == self.form.current_item:
                widget.set_current(True)
            self.layout_.insertWidget(self.layout_.count() - 1, widget)
            self.widgets[item.id] = widget
            if time.perf_counter() >= deadline:
                break
        self._update_confirm(states)
        return self.built

    def refresh(self) -> None:
        states = self.form.source.assessment().items
        for item_id, widget in self.widgets.items():
            widget.update_state(states[item_id])
        self._update_confirm(states)
        self.stale = False

    def _update_confirm(self, states) -> None:
        if self.form.source.read_only:
            return
        n = sum(1 for item in self.section.items
                if (st := states[item.id]).to_confirm and not st.carried.changed_question)
        if n:
            self.confirm_button.setText(tr("このセクションの引継ぎ回答をまとめて確認（{n} 件）").format(n=n))
        self.confirm_button.setVisible(bool(n))


class SectionForm(QStackedWidget):
    item_activated = Signal(str)
    attach_requested = Signal(str, object)
    confirm_section_requested = Signal(str)  # section id

    def __init__(self, source: FormSource, parent: QWidget | None = None, *, prebuild: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("sectionForm")
        self.source = source
        self.section: Section | None = None
        self.current_item: str | None = None
        self.prebuild = prebuild  # build the other sections' pages while the user is idle
        self.pages: dict[str, _Page] = {}
        self._recent: list[str] = []  # section ids, the one shown last at the end
        self._blank = QScrollArea(self)
        self._blank.setFrameShape(QFrame.Shape.NoFrame)
        self._blank.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.addWidget(self._blank)
        self.results = ResultsPage(source, self)
        self.results.item_activated.connect(self.item_activated)
        self.results.attach_requested.connect(self.attach_requested)
        self.addWidget(self.results)
        self._builder = QTimer(self)
        self._builder.setSingleShot(True)
        self._builder.setInterval(0)
        self._builder.timeout.connect(self._build_some)
        source.assessment_changed.connect(self.refresh)
        source.answer_changed.connect(self._reload_item)
        source.comparison_changed.connect(self._show_changes)

    # --- what is shown ----------------------------------------------------------------

    @property
    def widgets(self) -> dict[str, ItemWidget]:
        """The item widgets on screen: the current section's (its page is completed first, if it
        was still being built), or the selected search result's."""
        current = self.currentWidget()
        if isinstance(current, _Page):
            current.build(float("inf"))
            return current.widgets
        if current is self.results and self.results.detail is not None:
            return {self.results.detail.item.id: self.results.detail}
        return {}

    def _show_changes(self) -> None:
        for widget in self.all_widgets():
            widget.show_change()

    def shown_items(self, *, complete: bool = True) -> list[str]:
        """The ids of the items on screen, in order (hidden conditional items left out).
        ``complete=False``: only those built so far (no waiting for a page still being built)."""
        current = self.currentWidget()
        if current is self.results:
            return self.results.item_ids()
        if isinstance(current, _Page):
            if complete:
                current.build(float("inf"))
            return [i for i, w in current.widgets.items() if not w.isHidden()]
        return []

    def all_widgets(self):
        for page in self.pages.values():
            yield from page.widgets.values()
        if self.results.detail is not None:
            yield self.results.detail

    def show_section(self, section: Section) -> None:
        if self.source.locked:
            return
        self.section = section
        page = self.pages.get(section.id)
        if page is None:
            page = self.pages[section.id] = _Page(self, section)
            self.addWidget(page)
        if not page.built:
            page.build(time.perf_counter() + FIRST_SLICE_S)
        if page.stale:
            page.refresh()
        self.setCurrentWidget(page)
        page.verticalScrollBar().setValue(0)
        self._recent = [sid for sid in self._recent if sid != section.id] + [section.id]
        self._evict()
        self._builder.start()

    def _evict(self) -> None:
        """Drop the pages seen longest ago while more than KEEP_ITEMS items are built."""
        kept = sum(len(p.section.items) for p in self.pages.values())
        for section_id in list(self._recent[:-1]):
            if kept <= KEEP_ITEMS:
                break
            page = self.pages.pop(section_id)
            self._recent.remove(section_id)
            kept -= len(page.section.items)
            for widget in page.widgets.values():
                widget.commit_pending()
            self.removeWidget(page)
            page.deleteLater()

    def show_items(self, item_ids: list[str], heading: str) -> None:
        """Search results: matching items from every section, as a list; the selected one below."""
        self.section = None
        self.results.show_items(item_ids, heading)
        self.setCurrentWidget(self.results)

    def verticalScrollBar(self) -> QScrollBar:
        current = self.currentWidget()
        if current is self.results:
            return self.results.view.verticalScrollBar()
        return current.verticalScrollBar()

    def set_current(self, item_id: str | None) -> None:
        """Mark the item the user works on (wherever its widgets are)."""
        previous, self.current_item = self.current_item, item_id
        for widget in self.all_widgets():
            if widget.item.id in (previous, item_id):
                widget.set_current(widget.item.id == item_id)

    # --- building ---------------------------------------------------------------------

    def _build_some(self) -> None:
        if self.source.locked:
            return
        deadline = time.perf_counter() + SLICE_S
        current = self.currentWidget()
        order = [current] if isinstance(current, _Page) else []
        order += [p for p in self.pages.values() if p is not current]
        for page in order:
            if not page.build(deadline):
                self._builder.start()
                return
            if time.perf_counter() >= deadline:
                break
        if self.prebuild and len(self.pages) < len(self.source.template.sections) and \
                len(self.source.template.items) <= PREBUILD_ITEMS:
            for section in self.source.template.sections:
                if section.id not in self.pages:
                    page = self.pages[section.id] = _Page(self, section)
                    self.addWidget(page)
                    break
            self._builder.start()
        elif any(not p.built for p in self.pages.values()):
            self._builder.start()
        else:
            heap.settle()  # every page built: long-lived (desktop/heap.py)

    # --- changes ----------------------------------------------------------------------

    def refresh(self) -> None:
        if self.source.locked:
            return
        current = self.currentWidget()
        for page in self.pages.values():
            if page is current:
                page.refresh()
            else:
                page.stale = True  # refreshed when shown again
        if current is self.results:
            self.results.refresh()

    def _reload_item(self, item_id: str) -> None:
        for widget in self.all_widgets():
            if widget.item.id == item_id:
                widget.load()

    def commit_pending(self) -> None:
        for widget in list(self.all_widgets()):
            widget.commit_pending()

    def scroll_to(self, item_id: str, *, focus: bool = True) -> bool:
        current = self.currentWidget()
        if current is self.results:
            if not self.results.select(item_id):
                return False
            if focus and self.results.detail is not None:
                self.results.detail.focus_first()
            return True
        # an item already built is not worth completing the page for (issue 10)
        widget = current.widgets.get(item_id) if isinstance(current, _Page) else None
        if widget is None:
            widget = self.widgets.get(item_id)
        if widget is None or not widget.isVisibleTo(self):
            return False
        current.ensureWidgetVisible(widget, 0, 40)
        if focus:
            widget.focus_first()
        return True

    def clear(self) -> None:
        """Forget every page (nothing decrypted stays on screen, e.g. when locking)."""
        self._builder.stop()
        self.section = None
        self.setCurrentWidget(self._blank)
        self.results.show_items([], "")
        self.results.clear_detail()
        for page in self.pages.values():
            self.removeWidget(page)
            page.deleteLater()
        self.pages = {}
        self._recent = []
