"""Completion at a glance: overall, per section, and every problem (click to go to the item)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QListView,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from .. import i18n
from ..forms.models import ROLE_ITEM, ProblemModel, SectionModel

if TYPE_CHECKING:
    from ..session import FormSource


class Dashboard(QScrollArea):
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
        layout.setSpacing(12)

        title = QLabel(self.tr("ダッシュボード"), body)
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        self.headline = QLabel(body)
        self.headline.setObjectName("dashboardHeadline")
        layout.addWidget(self.headline)
        self.overall = QProgressBar(body)
        self.overall.setObjectName("overallProgress")
        self.overall.setAccessibleName(self.tr("必須項目の完了率"))
        self.overall.setRange(0, 100)  # the bar reads as a percentage (accessibility.py)
        layout.addWidget(self.overall)
        self.submit_state = QLabel(body)
        self.submit_state.setObjectName("submitState")
        self.submit_state.setWordWrap(True)
        layout.addWidget(self.submit_state)

        sections_box = QFrame(body)
        sections_box.setObjectName("dashboardSections")
        sections_box.setFrameShape(QFrame.Shape.StyledPanel)

        grid = QGridLayout(sections_box)
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(14)
        lang = i18n.current()
        heading = QLabel(self.tr("セクション別の進み具合"), sections_box)
        heading.setObjectName("dashboardHeading")
        grid.addWidget(heading, 0, 0, 1, 3)
        self.section_bars: dict[str, tuple[QProgressBar, QLabel]] = {}
        self.section_buttons: dict[str, QPushButton] = {}
        for row, section in enumerate(source.template.sections, start=1):
            button = QPushButton(f"{section.id}  {section.title.get(lang)}", sections_box)
            button.setObjectName(f"dashSection_{section.id}")
            button.setProperty("link", True)  # drawn as a link with a focus ring (style.py)
            button.setToolTip(section.title.get(lang))
            button.clicked.connect(lambda _c=False, sid=section.id: self.jump_to_section.emit(sid))
            bar = QProgressBar(sections_box)
            bar.setObjectName(f"dashBar_{section.id}")
            bar.setAccessibleName(self.tr("{section} の完了率").format(section=section.id))
            bar.setRange(0, 100)
            bar.setTextVisible(False)  # the count beside it says it; the bar's text is read aloud
            bar.setMaximumHeight(max(10, self.fontMetrics().height() // 2))
            bar.setMinimumWidth(self.fontMetrics().averageCharWidth() * 4)  # shrinks before the counts do
            count = QLabel(sections_box)
            count.setObjectName(f"dashCount_{section.id}")
            count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(button, row, 0)
            grid.addWidget(bar, row, 1)
            grid.addWidget(count, row, 2)
            self.section_bars[section.id] = (bar, count)
            self.section_buttons[section.id] = button
        layout.addWidget(sections_box)

        self.problems_heading = QLabel(body)
        self.problems_heading.setObjectName("dashboardHeading")
        layout.addWidget(self.problems_heading)
        self.problems = ProblemModel(source, self)
        self.problem_view = QListView(body)
        self.problem_view.setObjectName("problemList")
        self.problem_view.setAccessibleName(self.tr("問題の一覧"))
        self.problem_view.setModel(self.problems)
        self.problem_view.setAlternatingRowColors(True)
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
        a = self.source.assessment()
        percent = round(a.ratio * 100)
        self.headline.setText(self.tr("必須項目 {done} / {total} 件が完了（{pct}%）").format(
            done=a.complete, total=a.required, pct=percent))
        self.overall.setValue(percent)
        self.overall.setFormat(self.tr("{pct}%（{done} / {total} 件）").format(
            pct=percent, done=a.complete, total=a.required))
        blockers = sum(1 for p in self.problems.rows if p.blocking)
        if a.can_submit:
            self.submit_state.setText(self.tr("提出を妨げる問題はありません。書き出しの準備ができています。"))
        else:
            self.submit_state.setText(
                self.tr("提出の前に解決が必要な問題が {n} 件あります。").format(n=blockers))
        self.submit_state.setProperty("ok", a.can_submit)
        self.submit_state.style().unpolish(self.submit_state)
        self.submit_state.style().polish(self.submit_state)
        for row, progress in enumerate(a.sections):
            bar, count = self.section_bars[progress.section_id]
            bar.setValue(round(progress.ratio * 100))
            count.setText(f"{progress.complete} / {progress.required}")
            state = self.sections_model.state_text(row)
            self.section_buttons[progress.section_id].setAccessibleDescription(state)
            bar.setFormat(f"%p%（{state}）")
        warnings = len(self.problems.rows) - blockers
        self.problems_heading.setText(self.tr("問題の一覧 — 要対応 {b} 件、注意 {w} 件").format(
            b=blockers, w=warnings))
