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
from ..forms.models import ROLE_ITEM, ProblemModel
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
        self.overall = OutcomeBar(body, height=14)
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

        sections_box = QFrame(body)
        sections_box.setObjectName("dashboardSections")
        sections_box.setFrameShape(QFrame.Shape.StyledPanel)
        sections_box.setStyleSheet("QFrame#dashboardSections { background: white; border-radius: 6px; }")
        grid = QGridLayout(sections_box)
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(14)
        lang = i18n.current()
        heading = QLabel(self.tr("セクション別（完了 / 必須、残っている設問）"), sections_box)
        heading.setStyleSheet("font-weight: bold;")
        grid.addWidget(heading, 0, 0, 1, 4)
        self.section_bars: dict[str, tuple[OutcomeBar, QLabel]] = {}
        self.section_states: dict[str, QLabel] = {}
        for row, section in enumerate(source.template.sections, start=1):
            # a long (English) title is cut with "…"; its tooltip has it all
            button = ElidedButton(f"{section.id}  {section.title.get(lang)}", sections_box)
            button.setObjectName(f"dashSection_{section.id}")
            button.setFlat(True)
            button.setStyleSheet("text-align: left; padding: 2px 4px;")
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance(f"{section.id}  ") + 80)
            button.clicked.connect(lambda _c=False, sid=section.id: self.jump_to_section.emit(sid))
            bar = OutcomeBar(sections_box)
            bar.setObjectName(f"dashBar_{section.id}")
            bar.setMinimumWidth(90)
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
        self.problems_heading.setStyleSheet("font-weight: bold;")
        self.problems_heading.setWordWrap(True)
        layout.addWidget(self.problems_heading)
        self.problems = ProblemModel(source, self)
        self.problem_view = QListView(body)
        self.problem_view.setObjectName("problemList")
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
        hint = QLabel(self.tr("問題をクリックすると、その設問へ移動します。"), body)
        hint.setStyleSheet("color: #5b6b7b;")
        layout.addWidget(hint)
        self.setWidget(body)
        source.assessment_changed.connect(self.refresh)
        self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if getattr(self, "_stale", True):
            self.refresh()

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
        for progress in a.sections:
            bar, count = self.section_bars[progress.section_id]
            bar.set_tally(progress.tally)
            count.setText(f"{progress.complete} / {progress.required}")
            state = self.section_states[progress.section_id]
            state.setText(open_text(progress.tally))
            state.setStyleSheet(f"color: {TONE_COLOURS[overall_tone(progress.tally)][1]};")
        rows = self.problems.rows
        blocking = sum(1 for p in rows if p.severity is Severity.BLOCKING)
        improve = sum(1 for p in rows if p.severity is Severity.IMPROVEMENT)
        parts = [self.tr("提出を妨げる問題 %n 件", "", blocking), self.tr("要改善 %n 件", "", improve),
                 self.tr("注意 %n 件", "", len(rows) - blocking - improve)]
        self.problems_heading.setText(self.tr("問題の一覧 — {parts}").format(parts=tr("、").join(parts)))
        self.review_list.refresh()
