"""The vendor window's exports: the bundle wizard, the checklist and report, and importing a
reviewed checklist back (the auditor's findings, shown per item)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

from ..errors import ErrorDialog
from ..settings import EXPORT_FOLDER
from ..tasks import Task, run_with_progress
from .common import Confirm, OpenFileDialog
from .document_export import DocumentExports

if TYPE_CHECKING:
    from questionnaire.review import Finding, Review

    from .export_wizard import ExportWizard
    from .main_window import MainWindow


class VendorExports(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.session = window.session
        self.wizard: ExportWizard | None = None
        self.review_task: Task | None = None
        self.findings: dict[str, Finding] = {}
        self.review: Review | None = None
        self.documents = DocumentExports(window, window.settings, lambda: self.session.title,
                                         self._submission, record=self._record_document)
        actions = window.actions_

        def action(name: str, text: str, slot, shortcut=None) -> QAction:
            a = QAction(text, window)
            a.setObjectName(name)
            if shortcut:
                a.setShortcut(QKeySequence(shortcut))
            a.triggered.connect(lambda _c=False: slot())
            actions.add_export_action(a)
            return a

        self.bundle_action = action("actionExportBundle", self.tr("提出バンドルを書き出す…"),
                                    self.export_bundle, "Ctrl+E")
        actions.export_menu.addSeparator()
        self.checklist_action = action("actionExportChecklist", self.tr("チェックリストを書き出す（xlsx）…"),
                                       self.documents.export_checklist)
        self.report_action = action("actionExportReport", self.tr("報告書を書き出す（PDF）…"),
                                    self.documents.export_report)
        actions.export_menu.addSeparator()
        self.import_action = action("actionImportReview", self.tr("レビュー済みチェックリストを取り込む…"),
                                    self.import_review)

    @property
    def busy(self) -> bool:
        return bool(self.documents.tasks) or self.review_task is not None or (
            self.wizard is not None and self.wizard.running)

    def _record_document(self, kind: str, path: Path) -> None:  # in the worker
        from exports.export_log import log_document_export

        log_document_export(self.session.workspace(), kind, path)

    def _submission(self):
        self.w.form.commit_pending()
        return self.session.workspace().submission()

    def export_bundle(self) -> ExportWizard | None:
        from .export_wizard import ExportWizard

        if self.session.locked or self.wizard is not None:
            return self.wizard
        self.w.form.commit_pending()
        self.wizard = ExportWizard.start(self.w, self.session, self.w.settings)
        self.wizard.jump_to_item.connect(self.w.go_to_item)
        self.wizard.finished.connect(self._wizard_closed)
        return self.wizard

    def _wizard_closed(self, _result: int) -> None:
        self.wizard = None

    def close_wizard(self) -> None:
        """Before locking: the wizard holds an unlocked signing key."""
        if self.wizard is not None and not self.wizard.running:
            self.wizard.reject()

    # --- the auditor's findings --------------------------------------------------------------

    def load_findings(self) -> None:
        """The review the vendor acts on: shown per item beside the form and as a list on the
        dashboard, as the checklist and report show it."""
        from ..session import load_review

        self.show_review(load_review(self.session.workspace()))

    def show_review(self, review) -> None:
        self.review = review
        self.findings = review.findings_by_item() if review else {}
        if self.w._dashboard is not None:  # otherwise it reads self.review when first built
            self.w._dashboard.review_list.show_review(review)

    def changed_since_review(self, item_id: str) -> bool:
        """Whether the item's answer, note or evidence changed after the reviewer saw them."""
        from .review_list import changed_items

        finding = self.findings.get(item_id)
        return finding is not None and not self.session.locked and bool(
            changed_items(self.session, {item_id: finding}))

    def import_review(self) -> Task | None:
        if self.session.locked:
            return None
        start = self.w.settings.get(EXPORT_FOLDER) or str(Path.home())
        path = OpenFileDialog.ask(self.w, self.tr("レビュー済みのチェックリストを選択"), start,
                                  self.tr("Excel ブック (*.xlsx)"))
        if path is None:
            return None
        from exports.review import read_review
        from storage.reviews import known_submission_ids

        ws = self.session.workspace()
        sub = self._submission()
        known = known_submission_ids(ws)
        task = Task(lambda _p, _c: read_review(sub, path, known_submission_ids=known))
        task.succeeded.connect(self._review_read)
        task.failed.connect(lambda exc: ErrorDialog.show_error(self.w, exc))
        task.finished.connect(lambda: setattr(self, "review_task", None))
        self.review_task = task
        run_with_progress(self.w, self.tr("{name} を読み取っています…").format(name=path.name), task)
        return task

    def _review_read(self, review: Review) -> None:
        from questionnaire.review import VERDICT_LABELS

        from .. import i18n

        lang = i18n.current()
        if review.refused:
            QMessageBox.warning(self.w, self.tr("取り込めません"), self.tr(
                "このチェックリストは、このワークスペースから提出したものではありません。何も取り込んでいません。")
                + "\n\n" + "\n".join(p.message(lang) for p in review.problems[:5]))
            return
        if review.empty:
            QMessageBox.warning(self.w, self.tr("取り込めません"), self.tr(
                "このチェックリストには、取り込める判定・指摘事項・確認者・確認日の記入がありません。"
                "何も取り込んでいません。")
                + ("\n\n" + "\n".join(p.message(lang) for p in review.problems[:5]) if review.problems
                   else ""))
            return
        counts = review.counts()
        summary = "、".join(f"{VERDICT_LABELS[v].get(lang)} {n}" for v, n in
                           ((v, counts[v.value]) for v in VERDICT_LABELS) if n)
        text = self.tr("指摘 %n 件（{summary}）を取り込みます。", "", len(review.findings)).format(
            summary=summary or "—")
        if review.problems:
            listed = "\n".join("・" + p.message(lang) for p in review.problems[:8])
            text += "\n\n" + self.tr("次の %n 件は信頼できないため取り込みません:", "",
                                      len(review.problems)) + "\n" + listed
        if not Confirm.ask(self.w, self.tr("レビューの取り込み"), text, self.tr("取り込む")):
            return
        from storage.reviews import save_review

        try:
            save_review(self.session.workspace(), review)
            self.load_findings()
        except Exception as exc:
            ErrorDialog.show_error(self.w, exc)
            return
        self.w.review.show_item(self.w.evidence.item_id)
        self.w.review.setVisible(bool(self.findings))
        self.w.statusBar().showMessage(self.tr("監査側の指摘を取り込みました。設問を選ぶと右下に表示されます。"),
                                       15000)
