"""The auditor's window: a verified bundle, read-only, in the same form, dashboard and evidence
panel as the vendor's, under the green verification banner, with the review panel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
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
from ..forms.combo import KeyCombo
from ..forms.filters import FilterMode, matching_items
from ..forms.models import SectionModel
from ..forms.section_form import SectionForm
from ..settings import AUDITOR_GEOMETRY, AUDITOR_REVIEWER
from . import screen_fit
from .accessibility import name_clear_button
from .common import ShowInFolder
from .comparison_panel import ComparisonPanel
from .dashboard import Dashboard
from .document_export import DocumentExports
from .evidence_panel import EvidencePanel
from .focus_order import PaneTabOrder, focus
from .form_navigation import FormNavigation
from .review_panel import ReviewPanel
from .section_list import SectionList
from .verify_banner import VerifyBanner

if TYPE_CHECKING:
    from ..auditor_session import AuditorSession
    from ..controller import AppController


class AuditorWindow(FormNavigation, QMainWindow):
    def __init__(self, controller: AppController, session: AuditorSession, note: str = "") -> None:
        super().__init__()
        self.controller = controller
        self.settings = controller.settings
        self.session = session
        self.note = note
        self._detached = False
        self.setObjectName("auditorWindow")
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
        name_clear_button(self.search, self.tr("検索語を消す"))
        self.search.setAccessibleName(self.tr("設問を検索"))
        self.filter = KeyCombo(self)
        self.filter.setObjectName("filterCombo")
        self.filter.setAccessibleName(self.tr("表示する設問"))
        # both shrink (elided) rather than squeeze each other out in a narrow window
        self.filter.setSizeAdjustPolicy(KeyCombo.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.filter.setMinimumContentsLength(10)
        self.search.setMinimumWidth(self.search.fontMetrics().averageCharWidth() * 14)
        for mode, label in ((FilterMode.ALL, self.tr("すべての設問")),
                            (FilterMode.UNANSWERED, self.tr("未回答")),
                            (FilterMode.PROBLEMS, self.tr("要対応（提出を妨げる問題）")),
                            (FilterMode.EVIDENCE_MISSING, self.tr("証跡が不足")),
                            (FilterMode.EXPIRING, self.tr("証跡の期限切れ・期限間近")),
                            (FilterMode.CHANGED, self.tr("前回との差分"))):
            self.filter.addItem(label, mode)
        self.search.returnPressed.connect(self.apply_filter)
        self.search.textChanged.connect(lambda t: self.apply_filter() if not t else None)
        self.filter.activated.connect(lambda _i: self.apply_filter())
        self.search_bar = QWidget(self)
        self.search_bar.setObjectName("searchBar")
        search_row = QHBoxLayout(self.search_bar)
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
        middle_layout.addWidget(self.search_bar)
        middle_layout.addWidget(self.center, 1)

        right = QSplitter(Qt.Orientation.Vertical, self)
        right.setChildrenCollapsible(False)
        self.comparison = ComparisonPanel(session, self)
        right.addWidget(self.evidence)
        right.addWidget(self.comparison)
        right.addWidget(self.review)
        right.setSizes([300, 240, 300])
        self.right_splitter = right
        session.comparison_changed.connect(self._comparison_changed)
        self.splitter = QSplitter(self)
        self.splitter.setObjectName("auditorSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.section_list)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self._size_panes()
        body = QWidget(self)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(8, 8, 8, 0)
        outer.addWidget(self.banner)
        outer.addWidget(self.splitter, 1)
        self.setCentralWidget(body)
        self.tab_order = PaneTabOrder(self, self._panes)  # Tab in reading order (focus_order.py)

        self.documents = DocumentExports(self, self.settings, lambda: session.title,
                                         lambda: session.submission, lambda: dict(session.findings),
                                         changes=lambda: session.comparison)
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
        size = screen_fit.fit(self, QSize(1400, 880), QSize(760, 480))
        self._size_panes()
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
            screen_fit.keep_on_screen(self)
        elif size != QSize(1400, 880):
            # a first window that had to shrink to the screen takes all of it (1366×768 laptops)
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        self.section_list.setCurrentIndex(self.sections.index(0))
        if session.review_error is not None:
            QTimer.singleShot(0, self, lambda: ErrorDialog.show_error(self, session.review_error))

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
        self.compare_action = action("actionComparePrevious", self.tr("前回の提出と比較…"),
                                     self.compare_previous, "Ctrl+Shift+D")
        self.clear_compare_action = action("actionClearComparison", self.tr("前回との比較をやめる"),
                                           lambda: self.session.set_comparison(None))
        self.clear_compare_action.setEnabled(False)
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
        # The vendor's earlier findings and what was done, as checked from corrective-actions.json
        self.corrective_action = action("actionCorrectiveActions", self.tr("是正処置（前回までの指摘）…"),
                                        self.show_corrective_actions, "Ctrl+Shift+K")
        self.corrective_action.setEnabled(bool(self.session.corrective_actions()))
        next_section = action("actionNextSection", self.tr("次のセクション"), lambda: self.step_section(1),
                              "Ctrl+PgDown")
        prev_section = action("actionPrevSection", self.tr("前のセクション"), lambda: self.step_section(-1),
                              "Ctrl+PgUp")
        next_item = action("actionNextItem", self.tr("次の設問"), lambda: self.step_item(1), "Alt+Down")
        prev_item = action("actionPrevItem", self.tr("前の設問"), lambda: self.step_item(-1), "Alt+Up")
        next_pane = action("actionNextPane", self.tr("次の領域へ"), lambda: self.next_pane(True), "F6")
        prev_pane = action("actionPrevPane", self.tr("前の領域へ"), lambda: self.next_pane(False), "Shift+F6")
        self.keyboard_action = action("actionKeyboardHelp", self.tr("キーボード操作"),
                                      self.show_keyboard_help, QKeySequence.StandardKey.HelpContents)
        preview = action("actionPreview", self.tr("証跡をプレビュー"), self.evidence.preview_selected,
                         "Ctrl+P")
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("ファイル(&F)"))
        for a in (self.open_action, self.folder_action, None, self.compare_action,
                  self.clear_compare_action, None, self.review_action, self.checklist_action,
                  self.report_action, None, self.close_action):
            file_menu.addSeparator() if a is None else file_menu.addAction(a)
        view_menu = bar.addMenu(self.tr("表示(&V)"))
        for a in (self.find_action, self.dashboard_action, self.checks_action, self.activity_action,
                  self.corrective_action, None,
                  next_section, prev_section, next_item, prev_item, next_pane, prev_pane, None, preview):
            view_menu.addSeparator() if a is None else view_menu.addAction(a)
        help_menu = bar.addMenu(self.tr("ヘルプ(&H)"))
        help_menu.addAction(self.keyboard_action)

    def show_corrective_actions(self):
        """Read-only: each earlier finding, its grade, root cause, action, owner, due date,
        status (overdue recomputed on this computer's date) and the evidence of the correction.
        The auditor verifies or reopens one through the review (適合 verifies; 不適合/要確認 again
        reopens it when the vendor imports the review)."""
        from .actions_view import ActionsDialog

        dialog = ActionsDialog(self.session, self)
        dialog.jump_to_item.connect(lambda item_id: (dialog.accept(), self.go_to_item(item_id)))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        return dialog

    # --- navigation (as in the vendor's window) ------------------------------------------------

    def _size_panes(self) -> None:
        """Share the width out by proportion (a fixed 1440 px split left no room for the form on
        a 911 px wide screen, 1366×768 at 150 %)."""
        width = max(self.width(), 600)
        self.splitter.setSizes([int(width * 0.18), int(width * 0.5), int(width * 0.32)])

    def _panes(self) -> list[QWidget]:
        center = self.center.currentWidget()
        if center is self.form:
            center = self.form.currentWidget()
        return [self.banner, self.section_list, self.search_bar, center, self.evidence, self.review]

    def _section_chosen(self) -> None:
        section_id = self.section_list.current_section_id()
        if section_id is None:
            return
        place_focus = self._form_had_focus()
        self.center.setCurrentWidget(self.form)
        section = self.session.template.section(section_id)
        self.form.show_section(section)
        self.select_item(section.items[0].id)
        if place_focus:
            self.focus_form()

    def go_to_section(self, section_id: str) -> None:
        from_dashboard = self.center.currentWidget() is self.dashboard
        if self.section_list.current_section_id() == section_id:
            self._section_chosen()
        else:
            self.section_list.select_section(section_id)
        if from_dashboard:
            self.focus_form()

    def go_to_item(self, item_id: str) -> None:
        self.go_to_section(self.session.template.item(item_id).section_id)
        self.select_item(item_id)
        QTimer.singleShot(0, self.form, lambda: self.form.scroll_to(item_id, focus=False))

    def step_section(self, step: int) -> None:
        place_focus = self._form_had_focus()
        row = max(0, min(self.sections.rowCount() - 1, self.section_list.currentIndex().row() + step))
        self.section_list.setCurrentIndex(self.sections.index(row))
        if place_focus:
            self.focus_form()

    def select_item(self, item_id: str) -> None:
        if self.evidence.item_id != item_id:
            self.review.commit_pending()
            self.evidence.set_item(item_id)
            self.comparison.show_item(item_id)
            self.review.show_item(item_id)
        self.form.set_current(item_id)

    def show_keyboard_help(self) -> None:
        from .keyboard_help import KeyboardHelp
        from .main_actions import _with_shortcuts

        found = []
        for menu_action in self.menuBar().actions():
            found += _with_shortcuts(menu_action.menu())
        KeyboardHelp.show_for(self, found)

    def show_activity(self) -> None:
        from .activity_dialog import ActivityDialog

        ActivityDialog(self.session, self, title=self.tr("提出者の操作履歴（提出バンドル内の記録）")).exec()

    def show_dashboard(self) -> None:
        self.center.setCurrentWidget(self.dashboard)
        self.dashboard.refresh()
        focus(self.dashboard.first_focus())

    def apply_filter(self) -> None:
        text, mode = self.search.text(), FilterMode(self.filter.currentData())
        self.center.setCurrentWidget(self.form)
        if not text.strip() and mode is FilterMode.ALL:
            self._section_chosen()
            return
        cmp = self.session.comparison
        changed = {c.item_id for c in cmp.changed_items} if cmp is not None else set()
        found = matching_items(self.session.assessment(), text, mode, changed)
        if mode is FilterMode.CHANGED and cmp is None:
            title = self.tr("前回との差分: 先に「ファイル」→「前回の提出と比較…」で"
                            "前回の提出を選んでください")
        elif mode is FilterMode.CHANGED:
            # a question the new template dropped, or one not shown for this year's answers
            gone = len(changed) - len(found) if not text.strip() else 0
            title = self.tr("前回との差分: {n} 件").format(n=len(found))
            if gone:
                title += self.tr("（ほかに、今回は表示されない設問 {gone} 件）").format(gone=gone)
        else:
            title = self.tr("検索結果: {n} 件").format(n=len(found))
        self.form.show_items(found, title)

    # --- comparison with the previous submission ---------------------------------------------

    def compare_previous(self):
        from .compare_previous import compare_with_previous

        return compare_with_previous(self, self.session, self.settings)

    def _comparison_changed(self) -> None:
        self.clear_compare_action.setEnabled(self.session.comparison is not None)
        if self.session.comparison is not None:  # room for old and new side by side
            total = sum(self.right_splitter.sizes())
            self.right_splitter.setSizes([total * 3 // 10, total * 4 // 10, total * 3 // 10])
        if FilterMode(self.filter.currentData()) is FilterMode.CHANGED:
            self.apply_filter()

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
