"""Completion at a glance: overall and per section by outcome, and every problem (click to go to it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QListView,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from questionnaire import Severity

from .. import i18n
from ..forms.models import ROLE_ITEM, ProblemModel, SectionModel
from ..i18n import tr
from .common import ElidedButton
from .outcomes import TONE_COLOURS, OutcomeBar, counts_html, counts_text, open_text, overall_tone, submit_text
from .review_list import ReviewList

if TYPE_CHECKING:
    from ..session import FormSource


class Dashboard(QScrollArea):
    """Every count here is the core's Tally (``Assessment.total``, ``SectionProgress.tally``):
    the same numbers as `status --json`, the workbook and the PDF."""

    jump_to_item = Signal(str)
    jump_to_section = Signal(str)

    def __init__(self, source: FormSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard")
        self.source = source
        self.sections_model = SectionModel(source, self)  # the same counts and words as the section list
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(self)
        body.setObjectName("formBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(22, 18, 22, 18)
        layout.setSpacing(10)

        title = QLabel(self.tr("ダッシュボード"), body)
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        self.headline = QLabel(body)
        self.headline.setObjectName("dashboardHeadline")
        self.headline.setWordWrap(True)
        layout.addWidget(self.headline)
        # named, and read as a percentage with its counts (accessibility.py)
        self.overall = OutcomeBar(body, height=max(14, self.fontMetrics().height() * 3 // 4),
                                  name=self.tr("必須項目の完了率"))
        self.overall.setObjectName("overallProgress")
        layout.addWidget(self.overall)
        self.legend = QLabel(body)
        self.legend.setObjectName("outcomeLegend")
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.legend)
        self.submit_state = QLabel(body)
        self.submit_state.setObjectName("submitState")
        self.submit_state.setWordWrap(True)
        layout.addWidget(self.submit_state)
        self.body_layout = layout
        self.panels: list[QWidget] = []

        sections_box = QFrame(body)
        sections_box.setObjectName("dashboardSections")
        sections_box.setFrameShape(QFrame.Shape.StyledPanel)

        grid = QGridLayout(sections_box)
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(14)
        lang = i18n.current()
        heading = QLabel(self.tr("セクション別（完了 / 必須、残っている設問）"), sections_box)
        heading.setObjectName("dashboardHeading")
        grid.addWidget(heading, 0, 0, 1, 4)
        self.section_bars: dict[str, tuple[OutcomeBar, QLabel]] = {}
        self.section_states: dict[str, QLabel] = {}
        self.section_buttons: dict[str, ElidedButton] = {}
        for row, section in enumerate(source.template.sections, start=1):
            # a long (English) title is cut with "…"; its tooltip has it all
            button = ElidedButton(f"{section.id}  {section.title.get(lang)}", sections_box)
            button.setObjectName(f"dashSection_{section.id}")
            button.setProperty("link", True)  # drawn as a link with a focus ring (style.py)
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance(f"{section.id}  ") + 80)
            button.clicked.connect(lambda _c=False, sid=section.id: self.jump_to_section.emit(sid))
            bar = OutcomeBar(sections_box, height=max(10, self.fontMetrics().height() // 2),
                             name=self.tr("{section} の完了率").format(section=section.id))
            bar.setObjectName(f"dashBar_{section.id}")
            bar.setMinimumWidth(self.fontMetrics().averageCharWidth() * 6)  # shrinks before the counts do
            count = QLabel(sections_box)
            count.setObjectName(f"dashCount_{section.id}")
            count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            state = QLabel(sections_box)
            state.setObjectName(f"dashState_{section.id}")
            state.setWordWrap(True)  # never wider than the page (English is long)
            state.setMinimumWidth(120)
            grid.addWidget(button, row, 0)
            grid.addWidget(bar, row, 1)
            grid.addWidget(count, row, 2)
            grid.addWidget(state, row, 3)
            self.section_bars[section.id] = (bar, count)
            self.section_buttons[section.id] = button
            self.section_states[section.id] = state
        grid.setColumnStretch(0, 4)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 3)
        layout.addWidget(sections_box)

        # the auditor's findings of the last imported review (hidden when there is none)
        self.review_list = ReviewList(source, body)
        self.review_list.jump_to_item.connect(self.jump_to_item)
        layout.addWidget(self.review_list)

        self.problems_heading = QLabel(body)
        self.problems_heading.setObjectName("dashboardHeading")
        self.problems_heading.setWordWrap(True)
        layout.addWidget(self.problems_heading)
        self.problems = ProblemModel(source, self)
        self.problem_view = QListView(body)
        self.problem_view.setObjectName("problemList")
        self.problem_view.setAccessibleName(self.tr("問題の一覧"))
        self.problem_view.setModel(self.problems)
        self.problem_view.setAlternatingRowColors(True)
        self.problem_view.setUniformItemSizes(True)
        self.problem_view.setMinimumHeight(260)
        self.problem_view.setSpacing(2)
        self.problem_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.problem_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.problem_view.activated.connect(self._activated)
        self.problem_view.clicked.connect(self._activated)
        layout.addWidget(self.problem_view, 1)
        hint = QLabel(self.tr("問題を選んで Enter を押すか、クリックすると、その設問へ移動します。"), body)
        hint.setObjectName("hintLabel")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.problem_view.setAccessibleDescription(hint.text())
        self.setWidget(body)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a tab stop itself: its buttons and list are
        source.assessment_changed.connect(self.refresh)
        self.refresh()

    def add_panel(self, panel: QWidget) -> None:
        """A vendor-only part (the yearly cycle's carried answers and deadlines), shown under the
        headline and refreshed with the dashboard (it has a ``refresh()``)."""
        at = self.body_layout.indexOf(self.submit_state) + 1 + len(self.panels)
        self.body_layout.insertWidget(at, panel)
        self.panels.append(panel)
        if self.isVisible():
            panel.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if getattr(self, "_stale", True):
            self.refresh()

    def first_focus(self) -> QWidget:
        """Where focus goes when the dashboard is shown: the problems, else the first section."""
        if self.problems.rowCount():
            if not self.problem_view.currentIndex().isValid():
                self.problem_view.setCurrentIndex(self.problems.index(0))
            return self.problem_view
        return next(iter(self.section_buttons.values()), self.problem_view)

    def _activated(self, index: QModelIndex) -> None:
        item_id = index.data(ROLE_ITEM)
        if item_id:
            self.jump_to_item.emit(item_id)

    def refresh(self) -> None:
        if self.source.locked:
            return
        if not self.isVisible():
            self._stale = True  # redrawn when shown: an answer in the form need not wait for it
            return
        self._stale = False
        for panel in self.panels:
            panel.refresh()
        a = self.source.assessment()
        total = a.total
        self.headline.setText(self.tr("必須項目 {done} / {total} 件が完了（{pct}%）").format(
            done=total.complete, total=total.required, pct=round(total.ratio * 100)))
        self.overall.set_tally(total)
        self.legend.setText(counts_html(total, skip_zero=False))
        self.legend.setAccessibleName(counts_text(total, skip_zero=False))
        self.submit_state.setText(submit_text(total))
        tone = overall_tone(total)
        self.submit_state.setProperty("ok", total.blocking == 0)
        self.submit_state.setProperty("tone", str(tone))
        self.submit_state.style().unpolish(self.submit_state)
        self.submit_state.style().polish(self.submit_state)
        for row, progress in enumerate(a.sections):
            bar, count = self.section_bars[progress.section_id]
            bar.set_tally(progress.tally)
            count.setText(f"{progress.complete} / {progress.required}")
            state = self.section_states[progress.section_id]
            state.setText(open_text(progress.tally))
            state.setStyleSheet(f"color: {TONE_COLOURS[overall_tone(progress.tally)][1]};")
            # the state in words for a screen reader on the section's button as well
            self.section_buttons[progress.section_id].setAccessibleDescription(
                self.sections_model.state_text(row))
        rows = self.problems.rows
        blocking = sum(1 for p in rows if p.severity is Severity.BLOCKING)
        improve = sum(1 for p in rows if p.severity is Severity.IMPROVEMENT)
        parts = [self.tr("提出を妨げる問題 %n 件", "", blocking), self.tr("要改善 %n 件", "", improve),
                 self.tr("注意 %n 件", "", len(rows) - blocking - improve)]
        self.problems_heading.setText(self.tr("問題の一覧 — {parts}").format(parts=tr("、").join(parts)))
        self.review_list.refresh()
