"""The auditor's window: a verified bundle, read-only, in the same form, dashboard and evidence
panel as the vendor's, under the green verification banner, with the review panel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..errors import ErrorDialog
from ..forms.filters import FilterMode, matching_items
from ..forms.item_widget import ItemWidget
from ..forms.models import SectionModel
from ..forms.section_form import SectionForm
from ..settings import AUDITOR_GEOMETRY, AUDITOR_REVIEWER
from .common import ShowInFolder, fit_to_screen, pane_widths
from .dashboard import Dashboard
from .document_export import DocumentExports
from .evidence_panel import EvidencePanel
from .review_panel import ReviewPanel
from .section_list import SectionList
from .verify_banner import VerifyBanner

if TYPE_CHECKING:
    from ..auditor_session import AuditorSession
    from ..controller import AppController


class AuditorWindow(QMainWindow):
    def __init__(self, controller: AppController, session: AuditorSession, note: str = "") -> None:
        super().__init__()
        self.controller = controller
        self.settings = controller.settings
        self.session = session
        self.note = note
        self._detached = False
        self.setObjectName("auditorWindow")
        self.setMinimumSize(760, 460)  # fits 1366x768 at 150 % scaling (911x512 logical)
        self.setWindowTitle(self.tr("{vendor} — 提出データの確認（読み取り専用） — CCUS Attest").format(
            vendor=session.title))

        self.banner = VerifyBanner(self)
        self.banner.show_report(session.report, note)
        self.sections = SectionModel(session, self)
        self.section_list = SectionList(self.sections, self)
        self.section_list.selectionModel().currentChanged.connect(lambda _c, _p: self._section_chosen())
        self.form = SectionForm(session, self)
        self.form.item_activated.connect(self.select_item)
        self.dashboard = Dashboard(session, self)
        self.dashboard.jump_to_item.connect(self.go_to_item)
        self.dashboard.jump_to_section.connect(self.go_to_section)
        self.center = QStackedWidget(self)
        self.center.addWidget(self.form)
        self.center.addWidget(self.dashboard)
        self.evidence = EvidencePanel(session, self.settings, self)
        self.review = ReviewPanel(session.finding, editable=session.can_review, parent=self)
        self.review.set_reviewer(self.settings.get(AUDITOR_REVIEWER))
        self.review.recorded.connect(self._record)
        session.review_saved.connect(lambda: self.review.saved(session.last_saved))
        session.review_saved.connect(self._update_status)

        self.search = QLineEdit(self)
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText(self.tr("設問を検索（文言・ID・出典）  Ctrl+F"))
        self.search.setClearButtonEnabled(True)
        self.filter = QComboBox(self)
        self.filter.setObjectName("filterCombo")
        for mode, label in ((FilterMode.ALL, self.tr("すべての設問")),
                            (FilterMode.UNANSWERED, self.tr("未回答")),
                            (FilterMode.PROBLEMS, self.tr("要対応（提出を妨げる問題）")),
                            (FilterMode.EVIDENCE_MISSING, self.tr("証跡が不足")),
                            (FilterMode.EXPIRING, self.tr("証跡の期限切れ・期限間近"))):
            self.filter.addItem(label, mode)
        self.search.returnPressed.connect(self.apply_filter)
        self.search.textChanged.connect(lambda t: self.apply_filter() if not t else None)
        self.filter.activated.connect(lambda _i: self.apply_filter())
        search_row = QHBoxLayout()
        search_row.setContentsMargins(8, 8, 8, 0)
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.filter)
        read_only = QLabel(self.tr("読み取り専用"), self)
        read_only.setObjectName("readOnlyBadge")
        read_only.setToolTip(self.tr("提出されたとおりに表示しています。回答と証跡は変更できません。"))
        search_row.addWidget(read_only)
        middle = QWidget(self)
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addLayout(search_row)
        middle_layout.addWidget(self.center, 1)

        right = QSplitter(Qt.Orientation.Vertical, self)
        right.setChildrenCollapsible(False)
        right.addWidget(self.evidence)
        right.addWidget(self.review)
        right.setSizes([380, 340])
        self.splitter = QSplitter(self)
        self.splitter.setObjectName("auditorSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.section_list)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        body = QWidget(self)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(8, 8, 8, 0)
        outer.addWidget(self.banner)
        outer.addWidget(self.splitter, 1)
        self.setCentralWidget(body)

        self.documents = DocumentExports(self, self.settings, lambda: session.title,
                                         lambda: session.submission, lambda: dict(session.findings))
        self._make_menus()
        self.folder_label = QLabel(self)
        self.folder_label.setObjectName("openedFolder")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.review_state = QLabel(self)
        self.review_state.setObjectName("reviewState")
        self.statusBar().addWidget(self.folder_label, 1)
        self.statusBar().addPermanentWidget(self.review_state)
        self.folder_label.setText(self.tr("展開先（復号済みの証跡を含みます）: {folder}").format(
            folder=session.folder))
        self._update_status()
        from PySide6.QtWidgets import QApplication

        QApplication.instance().focusChanged.connect(self._focus_changed)
        geometry = self.settings.get(AUDITOR_GEOMETRY)
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            fit_to_screen(self, 1400, 880, maximize=True)
        self.splitter.setSizes(pane_widths(self.width()))
        self.section_list.setCurrentIndex(self.sections.index(0))
        if session.review_error is not None:
            QTimer.singleShot(0, lambda: ErrorDialog.show_error(self, session.review_error))

    def _make_menus(self) -> None:
        def action(name: str, text: str, slot, shortcut=None) -> QAction:
            a = QAction(text, self)
            a.setObjectName(name)
            if shortcut is not None:
                a.setShortcut(QKeySequence(shortcut))
            a.triggered.connect(lambda _c=False: slot())
            self.addAction(a)
            return a

        c = self.controller
        self.open_action = action("actionOpenBundle", self.tr("提出バンドルを開く…"),
                                  lambda: c.open_bundle(self), QKeySequence.StandardKey.Open)
        self.folder_action = action("actionShowFolder", self.tr("展開先フォルダーを開く"),
                                    lambda: ShowInFolder.open(self.session.folder))
        self.checklist_action = action("actionExportChecklist", self.tr("チェックリストを書き出す（xlsx）…"),
                                       lambda: self.documents.export_checklist())
        self.report_action = action("actionExportReport", self.tr("報告書を書き出す（PDF）…"),
                                    self.documents.export_report)
        self.review_action = action("actionExportReview",
                                    self.tr("判定・指摘事項をレビューブックに書き出す（xlsx）…"),
                                    self.export_review, "Ctrl+E")
        self.close_action = action("actionCloseBundle", self.tr("閉じる"), self.close,
                                   QKeySequence.StandardKey.Close)
        self.find_action = action("actionFind", self.tr("検索"), self.search.setFocus,
                                  QKeySequence.StandardKey.Find)
        self.dashboard_action = action("actionDashboard", self.tr("ダッシュボード"), self.show_dashboard,
                                       "Ctrl+D")
        self.checks_action = action("actionVerifyDetails", self.tr("検証結果の詳細"),
                                    self.banner.details_button.toggle)
        self.activity_action = action("actionActivity", self.tr("提出者の操作履歴…"), self.show_activity,
                                      "Ctrl+H")
        next_section = action("actionNextSection", self.tr("次のセクション"), lambda: self.step_section(1),
                              "Ctrl+PgDown")
        prev_section = action("actionPrevSection", self.tr("前のセクション"), lambda: self.step_section(-1),
                              "Ctrl+PgUp")
        preview = action("actionPreview", self.tr("証跡をプレビュー"), self.evidence.preview_selected,
                         "Ctrl+P")
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("ファイル(&F)"))
        for a in (self.open_action, self.folder_action, None, self.review_action, self.checklist_action,
                  self.report_action, None, self.close_action):
            file_menu.addSeparator() if a is None else file_menu.addAction(a)
        view_menu = bar.addMenu(self.tr("表示(&V)"))
        for a in (self.find_action, self.dashboard_action, self.checks_action, self.activity_action, None,
                  next_section,
                  prev_section, preview):
            view_menu.addSeparator() if a is None else view_menu.addAction(a)

    # --- navigation (as in the vendor's window) ------------------------------------------------

    def _section_chosen(self) -> None:
        section_id = self.section_list.current_section_id()
        if section_id is None:
            return
        self.center.setCurrentWidget(self.form)
        section = self.session.template.section(section_id)
        self.form.show_section(section)
        self.select_item(section.items[0].id)

    def go_to_section(self, section_id: str) -> None:
        if self.section_list.current_section_id() == section_id:
            self._section_chosen()
        else:
            self.section_list.select_section(section_id)

    def go_to_item(self, item_id: str) -> None:
        self.go_to_section(self.session.template.item(item_id).section_id)
        self.select_item(item_id)
        QTimer.singleShot(0, lambda: self.form.scroll_to(item_id, focus=False))

    def step_section(self, step: int) -> None:
        row = max(0, min(self.sections.rowCount() - 1, self.section_list.currentIndex().row() + step))
        self.section_list.setCurrentIndex(self.sections.index(row))

    def select_item(self, item_id: str) -> None:
        if self.evidence.item_id != item_id:
            self.review.commit_pending()
            self.evidence.set_item(item_id)
            self.review.show_item(item_id)
        for widget_id, widget in self.form.widgets.items():
            current = widget_id == item_id
            if widget.property("current") != current:
                widget.setProperty("current", current)
                widget.style().unpolish(widget)
                widget.style().polish(widget)

    def _focus_changed(self, _old, new) -> None:
        while new is not None and not isinstance(new, ItemWidget):
            new = new.parentWidget()
        if new is not None and new.window() is self:
            self.select_item(new.item.id)

    def show_activity(self) -> None:
        from .activity_dialog import ActivityDialog

        ActivityDialog(self.session, self, title=self.tr("提出者の操作履歴（提出バンドル内の記録）")).exec()

    def show_dashboard(self) -> None:
        self.center.setCurrentWidget(self.dashboard)
        self.dashboard.refresh()

    def apply_filter(self) -> None:
        text, mode = self.search.text(), FilterMode(self.filter.currentData())
        self.center.setCurrentWidget(self.form)
        if not text.strip() and mode is FilterMode.ALL:
            self._section_chosen()
            return
        found = matching_items(self.session.assessment(), text, mode)
        self.form.show_items(found, self.tr("検索結果: {n} 件").format(n=len(found)))

    # --- review ----------------------------------------------------------------------------------

    def _record(self, item_id: str, verdict, comment: str, reviewer: str, reviewed_on) -> None:
        try:
            self.session.set_finding(item_id, verdict, comment, reviewer, reviewed_on)
        except Exception as exc:
            ErrorDialog.show_error(self, exc)
            return
        if reviewer.strip():
            self.settings.set(AUDITOR_REVIEWER, reviewer.strip())

    def export_review(self):
        self.review.commit_pending()
        return self.documents.export_checklist(review_workbook=True)

    def _update_status(self) -> None:
        judged, shown = self.session.review_counts()
        self.review_state.setText(self.tr("判定済み {n} / {total} 件").format(n=judged, total=shown))

    # --- closing ---------------------------------------------------------------------------------

    def detach(self) -> None:
        """Rebuilt (new language): keep the session, drop this window."""
        from PySide6.QtWidgets import QApplication

        self.review.commit_pending()
        self._detached = True
        QApplication.instance().focusChanged.disconnect(self._focus_changed)
        self.hide()

    def closeEvent(self, event: QCloseEvent) -> None:
        from PySide6.QtWidgets import QApplication

        if self._detached:
            event.accept()
            return
        self.review.commit_pending()
        if self.documents.tasks:
            QMessageBox.information(self, self.tr("処理中"), self.tr("書き出しが終わるまでお待ちください。"))
            event.ignore()
            return
        self.settings.set(AUDITOR_GEOMETRY, self.saveGeometry())
        for dialog in list(self.evidence.previews):
            dialog.close()
        QApplication.instance().focusChanged.disconnect(self._focus_changed)
        event.accept()
        self.controller.auditor_closed(self)
