"""The main window: sections on the left, the form (or dashboard) in the middle, evidence on the right."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
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

from questionnaire import Outcome

from .. import heap, i18n
from ..errors import ErrorDialog
from ..forms.combo import KeyCombo
from ..forms.filters import FilterMode, matching_items
from ..forms.models import SectionModel
from ..forms.section_form import SectionForm
from ..settings import AUTO_LOCK_SECONDS, MAIN_GEOMETRY, MAIN_SPLITTER
from ..tasks import Task
from . import screen_fit
from .accessibility import name_clear_button
from .compare_origin import OriginComparison
from .comparison_panel import ComparisonPanel
from .cycle_actions import CycleCommands
from .cycle_panel import CyclePanel
from .dashboard import Dashboard
from .evidence_panel import EvidencePanel
from .focus_order import PaneTabOrder, focus
from .form_navigation import FormNavigation
from .idle import IdleWatcher
from .lock_page import LockPage
from .main_actions import MainActions
from .outcomes import OPEN_OUTCOMES, counts_html, counts_text
from .review_panel import ReviewPanel
from .section_list import SectionList
from .settings_dialog import SettingsDialog
from .vendor_exports import VendorExports

if TYPE_CHECKING:
    from ..controller import AppController
    from ..session import WorkspaceSession


class MainWindow(FormNavigation, QMainWindow):
    def __init__(self, controller: AppController, session: WorkspaceSession) -> None:
        super().__init__()
        self.controller = controller
        self.settings = controller.settings
        self.session = session
        self._detached = False
        self._findings_task: Task | None = None
        self._to_welcome = False
        self._saved_position: dict[str, Any] | None = None
        self.setObjectName("mainWindow")

        self.sections = SectionModel(session, self)
        self.section_list = SectionList(self.sections, self)
        self.section_list.selectionModel().currentChanged.connect(lambda _c, _p: self._section_chosen())
        self.form = SectionForm(session, self)
        self.form.item_activated.connect(self.select_item)
        self.form.attach_requested.connect(self._attach_requested)
        self._dashboard: Dashboard | None = None  # made when first shown (``dashboard``)
        self.center = QStackedWidget(self)
        self.center.addWidget(self.form)
        self.evidence = EvidencePanel(session, self.settings, self)
        # The auditor's findings from an imported review workbook (shown only when there are some).
        self.review = ReviewPanel(lambda item_id: self.exports.findings.get(item_id), editable=False,
                                  parent=self,
                                  changed_of=lambda item_id: self.exports.changed_since_review(item_id))
        self.review.hide()
        right = QSplitter(Qt.Orientation.Vertical, self)
        right.setObjectName("evidenceSplitter")
        right.setChildrenCollapsible(False)
        self.comparison = ComparisonPanel(session, self)
        right.addWidget(self.evidence)
        right.addWidget(self.comparison)
        right.addWidget(self.review)
        right.setSizes([420, 240, 300])
        self.right_splitter = right
        session.comparison_changed.connect(self._comparison_changed)

        self.search = QLineEdit(self)
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText(self.tr("設問を検索（文言・ID・出典）  Ctrl+F"))
        self.search.setClearButtonEnabled(True)
        name_clear_button(self.search, self.tr("検索語を消す"))
        self.search.setAccessibleName(self.tr("設問を検索"))
        self.search.setAccessibleDescription(self.tr("設問の文言・ID・出典で絞り込みます。"))
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
                            (FilterMode.CHANGED, self.tr("前年度との差分"))):
            self.filter.addItem(label, mode)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.filter.activated.connect(lambda _i: self.apply_filter())

        self.search_bar = QWidget(self)
        self.search_bar.setObjectName("searchBar")
        search_row = QHBoxLayout(self.search_bar)
        search_row.setContentsMargins(8, 8, 8, 0)
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.filter)
        middle = QWidget(self)
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.search_bar)
        middle_layout.addWidget(self.center, 1)

        self.splitter = QSplitter(self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.section_list)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self._size_panes()
        self.lock_page = LockPage(session.title, str(session.path), self)
        self.lock_page.unlock.submitted.connect(self.unlock)
        self.lock_page.close_button.clicked.connect(self.close_workspace)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.splitter)
        self.pages.addWidget(self.lock_page)
        self.read_only_banner = None
        if session.read_only:  # a workspace on read-only media: said above everything
            from .read_only_banner import ReadOnlyBanner

            self.read_only_banner = ReadOnlyBanner(session.path, self)
            central = QWidget(self)
            column = QVBoxLayout(central)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(self.read_only_banner)
            column.addWidget(self.pages, 1)
            self.setCentralWidget(central)
        else:
            self.setCentralWidget(self.pages)
        # Tab follows the screen: sections, search, the form (or dashboard), evidence, findings.
        self.tab_order = PaneTabOrder(self, self._panes)

        self.origin_comparison = OriginComparison(self)
        self.actions_ = MainActions(self)
        self.cycle = CycleCommands(self)
        self.exports = VendorExports(self)
        if session.read_only:
            a, x = self.actions_, self.exports
            a.disable_writes([a.undo, a.redo, a.add_evidence, x.bundle_action, x.import_action])
        self.save_state = QLabel(self)
        self.save_state.setObjectName("saveState")
        self.completion = QLabel(self)
        self.completion.setObjectName("completionState")
        self.completion.setTextFormat(Qt.TextFormat.RichText)
        self.statusBar().addWidget(self.save_state, 1)
        self.statusBar().addPermanentWidget(self.completion)

        session.saved.connect(self._update_status)
        session.assessment_changed.connect(self._update_status)
        session.locked_changed.connect(self._locked_changed)
        session.undo_applied.connect(self._show_undone)
        QApplication.instance().focusChanged.connect(self._focus_changed)
        self.idle = IdleWatcher(self.settings.get(AUTO_LOCK_SECONDS), self)
        self.idle.idle.connect(lambda: self.lock(idle=True))

        geometry = self.settings.get(MAIN_GEOMETRY)
        size = screen_fit.fit(self, QSize(1360, 860), QSize(760, 480))
        self._size_panes()
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
            screen_fit.keep_on_screen(self)
        elif size != QSize(1360, 860):
            # a first window that had to shrink to the screen takes all of it (1366×768 laptops)
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        splitter_state = self.settings.get(MAIN_SPLITTER)
        if not splitter_state.isEmpty():
            self.splitter.restoreState(splitter_state)
        self._locked_changed(session.locked)
        if not session.locked:
            self._show_findings()
            self.section_list.setCurrentIndex(self.sections.index(0))

    @property
    def dashboard(self) -> Dashboard:
        """Made when first asked for: at 1,000 items its list of every problem took a third of
        the time between the unlock and the window (issue 10), for a page not shown then."""
        if self._dashboard is None:
            self._dashboard = Dashboard(self.session, self)
            self._dashboard.jump_to_item.connect(self.go_to_item)
            self._dashboard.jump_to_section.connect(self.go_to_section)
            self._dashboard.review_list.show_review(self.exports.review)
            # the yearly cycle: carried answers, corrective actions, deadlines
            panel = CyclePanel(self.session, self.settings, self._dashboard)
            panel.jump_to_item.connect(self.go_to_item)
            panel.confirm_all_requested.connect(self.cycle.confirm_all)
            panel.actions_requested.connect(self.cycle.show_actions)
            self._dashboard.add_panel(panel)
            self.center.addWidget(self._dashboard)
        return self._dashboard

    @property
    def cycle_panel(self) -> CyclePanel:
        return self.dashboard.panels[0]

    # --- navigation ---------------------------------------------------------------------

    def _size_panes(self) -> None:
        """Share the width out by proportion (a fixed 1440 px split left no room for the form on
        a 911 px wide screen, 1366×768 at 150 %)."""
        width = max(self.width(), 600)
        self.splitter.setSizes([int(width * 0.18), int(width * 0.5), int(width * 0.32)])

    def _panes(self) -> list[QWidget]:
        if self.session.locked:
            return [self.lock_page]
        center = self.center.currentWidget()
        if center is self.form:
            center = self.form.currentWidget()
        panes = [self.section_list, self.search_bar, center, self.evidence]
        return panes + ([self.review] if self.review.isVisible() else [])

    def _section_chosen(self) -> None:
        section_id = self.section_list.current_section_id()
        if section_id is None or self.session.locked:
            return
        place_focus = self._form_had_focus()
        if self.search.text() or self.filter.currentIndex() != 0:
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.filter.setCurrentIndex(0)
        self.center.setCurrentWidget(self.form)
        self.form.show_section(self.session.template.section(section_id))
        first = self.session.template.section(section_id).items[0].id
        self.select_item(first)
        if place_focus:  # the page that held focus is hidden: focus the new page's first item
            self.focus_form()

    def go_to_section(self, section_id: str) -> None:
        from_dashboard = self.center.currentWidget() is self.dashboard
        if self.section_list.current_section_id() == section_id:
            self._section_chosen()
        else:
            self.section_list.select_section(section_id)
        if from_dashboard:  # the dashboard (and the button pressed on it) is gone: focus the form
            self.focus_form()

    def go_to_item(self, item_id: str) -> None:
        """Show an item (e.g. from the dashboard), focus its input, select its evidence."""
        item = self.session.template.item(item_id)
        self.go_to_section(item.section_id)
        self.select_item(item_id)
        self.form.scroll_to(item_id)
        QTimer.singleShot(0, self.form, lambda: self.form.scroll_to(item_id))  # dropped if the form is gone

    def step_section(self, step: int) -> None:
        place_focus = self._form_had_focus()
        row = self.section_list.currentIndex().row()
        row = max(0, min(self.sections.rowCount() - 1, row + step))
        self.section_list.setCurrentIndex(self.sections.index(row))
        if place_focus:
            self.focus_form()

    def next_unanswered(self, step: int = 1) -> None:
        """F8 / Shift+F8: the next item (in the whole questionnaire) that still needs an answer."""
        from questionnaire import Outcome

        if self.session.locked:
            return
        self.form.commit_pending()
        states = self.session.assessment().items
        order = [i.id for i in self.session.template.items]
        here = self._focused_item() or self.evidence.item_id
        start = order.index(here) if here in order else -1
        for k in range(1, len(order) + 1):
            item_id = order[(start + k * step) % len(order)]
            if states[item_id].visible and states[item_id].outcome is Outcome.UNANSWERED:
                self.go_to_item(item_id)
                return
        self.statusBar().showMessage(self.tr("未回答の設問はありません。"), 5000)

    def select_item(self, item_id: str) -> None:
        """The user chose this item (edited, clicked, navigated to it): the evidence panel and
        the findings follow. Focus merely passing through an item does not choose it."""
        if self.evidence.item_id != item_id:
            self.evidence.set_item(item_id)
            self.comparison.show_item(item_id)
            self.review.show_item(item_id)
        self.form.set_current(item_id)

    def _focus_when_locked(self) -> None:
        self.lock_page.unlock.passphrase.setFocus()

    def _show_undone(self, item_id: str) -> None:
        """Undo may change an item in another section: bring it into view so the user sees what changed."""
        if self.form.section is not None and self.session.template.item(item_id).section_id == \
                self.form.section.id:
            self.select_item(item_id)
            self.form.scroll_to(item_id, focus=False)
        else:
            self.go_to_item(item_id)

    def focus_search(self) -> None:
        if self.session.locked:
            return
        self.search.setFocus()
        self.search.selectAll()

    def show_dashboard(self) -> None:
        self.form.commit_pending()
        self.center.setCurrentWidget(self.dashboard)
        self.dashboard.refresh()
        focus(self.dashboard.first_focus())

    def apply_filter(self) -> None:
        # applied now: a debounce still pending would apply it again and reset the list
        self._search_timer.stop()
        if self.session.locked:
            return
        text, mode = self.search.text(), FilterMode(self.filter.currentData())
        self.center.setCurrentWidget(self.form)
        if not text.strip() and mode is FilterMode.ALL:
            section_id = self.section_list.current_section_id()
            if section_id:
                self.form.show_section(self.session.template.section(section_id))
            return
        self.form.commit_pending()
        cmp = self.session.comparison
        changed = {c.item_id for c in cmp.changed_items} if cmp is not None else set()
        found = matching_items(self.session.assessment(), text, mode, changed)
        if mode is FilterMode.CHANGED and cmp is None:
            title = self.tr("前年度との差分: 先に「ファイル」→「前年度のワークスペースと比較…」を"
                            "選んでください")
        elif mode is FilterMode.CHANGED:
            title = self.tr("前年度との差分: {n} 件").format(n=len(found))
        else:
            title = self.tr("検索結果: {n} 件").format(n=len(found))
        self.form.show_items(found, title)

    def _comparison_changed(self) -> None:
        self.actions_.clear_comparison.setEnabled(self.session.comparison is not None)
        if self.session.comparison is not None:  # room for last year's and this year's side by side
            total = sum(self.right_splitter.sizes())
            self.right_splitter.setSizes([total * 4 // 10, total * 3 // 10, total * 3 // 10])
        # recomputed after every edit: the list is not rebuilt under the user's cursor, only when the
        # comparison goes away
        if self.session.comparison is None and FilterMode(self.filter.currentData()) is FilterMode.CHANGED:
            self.apply_filter()

    def position(self) -> dict[str, Any]:
        return {"section": self.section_list.current_section_id(), "item": self.evidence.item_id,
                "scroll": self.form.verticalScrollBar().value(), "search": self.search.text(),
                "filter": self.filter.currentIndex(),
                "dashboard": self._dashboard is not None and self.center.currentWidget() is self._dashboard}

    def restore_position(self, pos: dict[str, Any]) -> None:
        if pos.get("section"):
            self.go_to_section(pos["section"])
        if pos.get("search") or pos.get("filter"):
            self.search.setText(pos.get("search", ""))
            self.filter.setCurrentIndex(pos.get("filter", 0))
            self.apply_filter()
        if pos.get("item"):
            self.select_item(pos["item"])
        if pos.get("dashboard"):
            self.show_dashboard()
        scroll = pos.get("scroll", 0)
        QTimer.singleShot(0, self.form, lambda: self.form.verticalScrollBar().setValue(scroll))

    # --- evidence -------------------------------------------------------------------------

    def add_evidence(self) -> None:
        """Ctrl+Shift+A: evidence for the item the user is in."""
        if self.item_for_command() is not None:
            self.evidence.add_from_dialog()

    def show_keyboard_help(self) -> None:
        from .keyboard_help import KeyboardHelp

        KeyboardHelp.show_for(self, self.actions_.all_actions())

    def _attach_requested(self, item_id: str, files: list) -> None:
        self.select_item(item_id)
        if files:
            self.evidence.add_files(item_id, files)
        else:
            self.evidence.add_from_dialog()

    # --- state shown ------------------------------------------------------------------------

    def _update_status(self) -> None:
        locked = self.session.locked
        # Qt appends the application's name ("… — CCUS Attest") to every window title itself
        self.setWindowTitle(self.session.title + (self.tr(" [ロック中]") if locked else ""))
        if locked:
            self.save_state.setText(self.tr("ロック中 — 内容は暗号化されたまま保存されています"))
            self.completion.setText("")
            self.completion.setAccessibleName("")
            return
        saved = self.session.last_saved
        if self.session.read_only:
            self.setWindowTitle(self.session.title + self.tr(" [読み取り専用]"))
            self.save_state.setText(self.tr("読み取り専用 — この場所には変更を保存できません"))
        elif saved is None:
            self.save_state.setText(self.tr("変更はすべて自動的に暗号化して保存されます"))
        else:
            self.save_state.setText(self.tr("自動保存しました（{time}）").format(time=saved.strftime("%H:%M:%S")))
        total = self.session.assessment().total
        done = self.tr("完了 {done}/{total}（{pct}%）").format(
            done=total.complete, total=total.required, pct=round(total.ratio * 100))
        # what is left to do, by outcome and in its colour; green only when everything conforms
        left = counts_html(total, OPEN_OUTCOMES) or counts_html(total, (Outcome.CONFORMING,))
        self.completion.setText(f"{html.escape(done)}&nbsp;&nbsp; {left}")
        self.completion.setAccessibleName(f"{done} {counts_text(total)}")
        self.completion.setToolTip(counts_text(total))

    def _locked_changed(self, locked: bool) -> None:
        self.actions_.set_locked(locked)
        self.pages.setCurrentWidget(self.lock_page if locked else self.splitter)
        if locked:
            self.lock_page.unlock.reset()
        self._update_status()

    # --- lock ---------------------------------------------------------------------------------

    def lock(self, *, idle: bool = False) -> None:
        """Drop the keys and everything decrypted on screen; the passphrase brings it all back."""
        if self.session.locked:
            return
        if not self._unsaved_settled(idle=idle):
            if idle:
                self.idle.set_seconds(self.idle.seconds)  # try again after the next idle period
            return
        self.form.commit_pending()
        self.exports.close_wizard()  # it holds an unlocked signing key
        self._saved_position = self.position()
        for dialog in list(self.evidence.previews):
            dialog.close()  # previews hold decrypted pages
        self.form.clear()
        self.evidence.set_item(None)
        self.exports.show_review(None)  # the findings are sealed data too
        self.review.show_item(None)
        self.session.lock()
        QTimer.singleShot(0, heap.release)  # the pages' objects, once Qt deleted them

    def unlock(self, passphrase: str) -> None:
        panel = self.lock_page.unlock
        panel.set_busy(True)
        task = self.controller.open_task(self.session.path, passphrase)
        task.succeeded.connect(self._unlocked)
        task.failed.connect(lambda exc: (panel.reset(), ErrorDialog.show_error(self, exc)))
        task.start()

    def _unlocked(self, ws) -> None:
        try:
            self.session.unlock(ws)
        except Exception as exc:
            self.lock_page.unlock.reset()
            ErrorDialog.show_error(self, exc)
            return
        self._show_findings()
        self.restore_position(self._saved_position or {})
        self.idle.set_seconds(self.settings.get(AUTO_LOCK_SECONDS))
        QTimer.singleShot(0, self, self._recover_focus)  # the lock page held focus: back to the work

    def _show_findings(self) -> None:
        """The auditor's findings, read in the worker once the window shows: finding them
        decrypts the whole activity log (issue 10: 0.1-0.3 s at 3,500 entries)."""
        from ..session import load_review

        self.exports.show_review(None)
        self.review.hide()
        ws = self.session.workspace()
        self._findings_task = Task(lambda _progress, _cancel: load_review(ws))
        self._findings_task.succeeded.connect(self._findings_read)
        self._findings_task.failed.connect(self._findings_failed)
        self._findings_task.start()

    def _findings_read(self, review) -> None:
        if self.session.locked or self.sender() is not self._findings_task:
            return  # locked or closed meanwhile, or unlocked again
        self.exports.show_review(review)
        self.review.setVisible(bool(self.exports.findings))
        self.review.show_item(self.evidence.item_id)

    def _findings_failed(self, exc: BaseException) -> None:
        if self.session.locked or self.sender() is not self._findings_task:
            return
        ErrorDialog.show_error(self, exc)  # a damaged review record must not keep the workspace closed

    def _unsaved_settled(self, *, idle: bool = False) -> bool:
        """Before locking or closing: answers the machine refused (a full disk...) are tried
        once more; if they still cannot be stored, auto-lock waits, and the user is asked
        whether to give them up."""
        from ..forms.item_widget import retry_unsaved

        self.form.commit_pending()
        if not self.session.unsaved:
            return True
        retry_unsaved(self, self.session)
        if not self.session.unsaved or idle:
            return not self.session.unsaved
        from .common import Confirm

        if Confirm.ask(self, self.tr("保存されていない回答"), self.tr(
                "空き容量不足などのため、%n 件の回答がまだ保存されていません。破棄して続けますか？"
                "（キャンセルすると、入力した内容はそのまま残ります）", "", len(self.session.unsaved)),
                self.tr("破棄して続ける")):
            self.session.unsaved.clear()
            return True
        return False

    # --- commands --------------------------------------------------------------------------------

    def edit_settings(self) -> None:
        prefs = SettingsDialog.ask(self, self.settings)
        if prefs is None:
            return
        self.settings.set(AUTO_LOCK_SECONDS, prefs.auto_lock_seconds)
        self.idle.set_seconds(prefs.auto_lock_seconds)
        if prefs.language != i18n.current():
            self.controller.set_language(prefs.language)

    def check_integrity(self):
        from .integrity_dialog import check_in_worker

        if self.session.locked:
            return None
        self.form.commit_pending()
        return check_in_worker(self, self.session)

    def show_activity(self) -> None:
        from .activity_dialog import ActivityDialog

        if self.session.locked:
            return
        self.form.commit_pending()  # the field being typed in is part of the history too
        ActivityDialog(self.session, self).exec()

    def about(self) -> None:
        QMessageBox.about(self, self.tr("CCUS Attest について"), self.tr(
            "CCUS Attest — 建設キャリアアップシステム 標準API連携認定の調査票と証跡を、暗号化して"
            "準備・提出するためのアプリです。データはこのコンピューターの外に送信されません。"))

    def close_workspace(self) -> None:
        self._to_welcome = True
        self.close()

    def quit(self) -> None:
        self.close()

    def detach(self) -> None:
        """Give up the session without closing it (the window is being rebuilt, e.g. new language)."""
        self.form.commit_pending()
        self._detached = True
        self.idle.stop()
        QApplication.instance().focusChanged.disconnect(self._focus_changed)
        self.hide()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._detached:
            event.accept()
            return
        if self.evidence.tasks or self.exports.busy:
            QMessageBox.information(self, self.tr("処理中"), self.tr(
                "証跡の暗号化・保存、または書き出しが終わるまでお待ちください。キャンセルもできます。"))
            event.ignore()
            self._to_welcome = False
            return
        if not self.session.locked:
            self.form.commit_pending()  # the last edit in a text box is stored before closing
            if not self._unsaved_settled():
                event.ignore()
                self._to_welcome = False
                return
        self.settings.set(MAIN_GEOMETRY, self.saveGeometry())
        self.settings.set(MAIN_SPLITTER, self.splitter.saveState())
        for dialog in list(self.evidence.previews):
            dialog.close()
        self.idle.stop()
        QApplication.instance().focusChanged.disconnect(self._focus_changed)
        self.session.close()
        self.controller.workspace_closed()
        event.accept()
        if self._to_welcome:
            self.controller.show_welcome()
