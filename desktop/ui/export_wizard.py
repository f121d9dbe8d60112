"""The export wizard: completeness → signing key → recipients → file → export → summary.

The export itself (``exports.bundle.export_bundle``) runs in the worker with a progress bar;
Cancel stops it and, as any failure does, leaves nothing behind (the bundle is written to a
temporary file and renamed only when complete). The unlocked signing key lives in memory
only while the wizard is open and is wiped when it closes.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QProgressBar,
    QPushButton,
    QWidget,
    QWizard,
    QWizardPage,
)

from questionnaire import Outcome, Tone

from ..errors import ErrorDialog
from ..forms.models import ROLE_ITEM, ProblemModel, human_size
from ..settings import EXPORT_FOLDER, EXPORT_RECIPIENTS, EXPORT_SIGNING_KEY
from ..tasks import Task
from . import screen_fit
from .common import ShowInFolder
from .export_pages import OutputPage, RecipientsPage, SigningKeyPage, scroll_body
from .outcomes import TONE_COLOURS, counts_html, counts_text, overall_tone, submit_text

if TYPE_CHECKING:
    from exports.bundle import ExportResult
    from exports.keys import SigningKey

    from ..session import WorkspaceSession
    from ..settings import Settings

PAGE_CHECK, PAGE_KEY, PAGE_RECIPIENTS, PAGE_OUTPUT, PAGE_RUN, PAGE_SUMMARY = range(6)


class CompletenessPage(QWizardPage):
    def __init__(self, wizard: ExportWizard) -> None:
        super().__init__(wizard)
        self.w = wizard
        self.setObjectName("completenessPage")
        self.setTitle(self.tr("提出前の確認"))
        self.setSubTitle(self.tr("回答と証跡がそろっているかを確かめます。"))
        layout = scroll_body(self)
        self.state = QLabel(self)
        self.state.setObjectName("submitState")
        self.state.setWordWrap(True)
        layout.addWidget(self.state)
        self.counts = QLabel(self)
        self.counts.setObjectName("exportOutcomes")
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.counts.setWordWrap(True)
        layout.addWidget(self.counts)
        self.model = ProblemModel(wizard.session, self)
        self.problems = QListView(self)
        self.problems.setObjectName("exportProblems")
        self.problems.setAccessibleName(self.tr("提出前に解決が必要な問題"))
        self.problems.setMinimumHeight(self.fontMetrics().lineSpacing() * 6)
        self.problems.setModel(self.model)
        self.problems.setAlternatingRowColors(True)
        self.problems.setSpacing(2)
        self.problems.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.problems.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.problems.activated.connect(self._jump)
        self.problems.clicked.connect(self._jump)
        layout.addWidget(self.problems, 1)
        self.hint = QLabel(self.tr("問題を選んで Enter を押すか、クリックすると、ウィザードを閉じてその設問へ"
                                   "移動します。"), self)
        self.hint.setObjectName("hintLabel")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.anyway = QCheckBox(self.tr("未完成のまま書き出す（問題の一覧が提出データに記録され、"
                                        "監査側に表示されます）"), self)
        self.anyway.setObjectName("exportIncomplete")
        self.anyway.toggled.connect(self._toggled)
        layout.addWidget(self.anyway)

    def initializePage(self) -> None:
        total = self.w.session.assessment().total
        self.state.setText(submit_text(total))
        done = self.tr("必須項目 {done} / {total} 件が完了").format(done=total.complete, total=total.required)
        self.counts.setText(f"{html.escape(done)}&nbsp;&nbsp; {counts_html(total)}")
        self.counts.setAccessibleName(f"{done} {counts_text(total)}")
        self.state.setProperty("ok", total.blocking == 0)
        self.state.setProperty("tone", str(overall_tone(total)))
        self.state.style().unpolish(self.state)
        self.state.style().polish(self.state)
        a = self.w.session.assessment()
        has_rows = self.model.rowCount() > 0
        self.problems.setVisible(has_rows)
        self.hint.setVisible(has_rows)
        self.anyway.setVisible(not a.can_submit)

    def _jump(self, index: QModelIndex) -> None:
        item_id = index.data(ROLE_ITEM)
        if item_id:
            self.w.jump_to_item.emit(item_id)
            self.w.reject()

    def _toggled(self, checked: bool) -> None:
        self.w.allow_incomplete = checked
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.w.session.assessment().can_submit or self.anyway.isChecked()


class RunPage(QWizardPage):
    def __init__(self, wizard: ExportWizard) -> None:
        super().__init__(wizard)
        self.w = wizard
        self.setObjectName("runPage")
        self.setTitle(self.tr("書き出し"))
        self.setSubTitle(self.tr("回答・証跡・活動記録を暗号化し、署名しています。"))
        self.setCommitPage(True)  # once written, Back must not export a second time
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("次へ"))
        self.task: Task | None = None
        layout = scroll_body(self)
        self.label = QLabel(self)
        self.label.setObjectName("exportStatus")
        self.label.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("exportProgress")
        self.bar.setAccessibleName(self.tr("書き出しの進み具合"))
        self.bar.setRange(0, 1000)
        self.bar.setFormat("%p%")
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addStretch(1)

    def initializePage(self) -> None:
        w = self.w
        self.bar.setValue(0)
        self.label.setText(self.tr("{name} を作成しています…").format(name=w.output.name))
        w.remember()
        ws = w.session.workspace()
        key, recipients, out = w.signing_key, list(w.recipients), w.output
        allow, overwrite = w.allow_incomplete, w.overwrite

        def work(progress, cancel):
            from exports.bundle import export_bundle

            return export_bundle(ws, out, signing_key=key, recipients=recipients, allow_incomplete=allow,
                                 overwrite=overwrite, progress=progress, cancel=cancel)

        self.task = Task(work)
        self.task.progressed.connect(self._progress)
        self.task.succeeded.connect(self._succeeded)
        self.task.failed.connect(self._failed)
        self.task.start()
        QTimer.singleShot(0, w, lambda: w.button(QWizard.WizardButton.BackButton).setEnabled(False))

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.bar.setValue(min(1000, int(done * 1000 / total)))

    def _succeeded(self, result: ExportResult) -> None:
        self.task = None
        self.w.result = result
        self.w.forget_key()
        self.w.exported.emit(result)
        # Cancel pressed as the last byte was written: the bundle exists, so say so (never hide it).
        self.w.closing = False
        self.w.button(QWizard.WizardButton.CancelButton).setEnabled(True)
        self.bar.setValue(1000)
        self.completeChanged.emit()
        self.w.next()

    def _failed(self, exc: BaseException) -> None:
        from storage.errors import Cancelled

        self.task = None
        if self.w.closing:
            self.w.finish_closing()
            return
        self.bar.setValue(0)
        if isinstance(exc, Cancelled):
            self.label.setText(self.tr("中止しました。ファイルは作成されていません。"))
        else:
            self.label.setText(self.tr("書き出せませんでした。「戻る」で設定を見直してください。"))
            ErrorDialog.show_error(self.w, exc)
        self.completeChanged.emit()  # lets QWizard enable Back again

    def isComplete(self) -> bool:
        return self.task is None and self.w.result is not None


class SummaryPage(QWizardPage):
    def __init__(self, wizard: ExportWizard) -> None:
        super().__init__(wizard)
        self.w = wizard
        self.setObjectName("summaryPage")
        self.setTitle(self.tr("書き出しが完了しました"))
        self.setSubTitle(self.tr("提出バンドルを監査側に届けてください。"))
        layout = scroll_body(self)
        form = QFormLayout()
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(self.font().pointSizeF())  # as large as the text around it (a larger system font)
        self.fields: dict[str, QLineEdit] = {}
        for key, label in (("file", self.tr("ファイル")), ("size", self.tr("サイズ")),
                           ("sha256", "SHA-256"), ("key_id", self.tr("署名鍵 ID")),
                           ("submission", self.tr("提出 ID")), ("state", self.tr("状態"))):
            field = QLineEdit(self)
            field.setObjectName(f"summary_{key}")
            field.setReadOnly(True)
            field.setFrame(False)
            field.setStyleSheet("background: transparent;")
            if key in ("sha256", "key_id", "submission"):
                field.setFont(mono)
            form.addRow(label, field)
            self.fields[key] = field
        self.outcomes = QLabel(self)
        self.outcomes.setObjectName("summaryOutcomes")
        self.outcomes.setTextFormat(Qt.TextFormat.RichText)
        self.outcomes.setWordWrap(True)
        form.addRow(self.tr("内訳"), self.outcomes)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.show_button = QPushButton(self.tr("フォルダーを開く"), self)
        self.show_button.setObjectName("showInFolder")
        self.show_button.clicked.connect(self.show_in_folder)
        copy = QPushButton(self.tr("SHA-256 をコピー"), self)
        copy.setObjectName("copySha256")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.fields["sha256"].text()))
        buttons.addWidget(self.show_button)
        buttons.addWidget(copy)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.note = QLabel(self)
        self.note.setObjectName("summaryNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #4a5868;")
        layout.addWidget(self.note)
        layout.addStretch(1)

    def initializePage(self) -> None:
        r = self.w.result
        if r is None:
            return
        # the bundle's state as its items' outcomes: green only when every one conforms
        total = self.w.session.assessment().total
        improve = total.count(Outcome.NEEDS_IMPROVEMENT)
        if not r.complete:
            state = self.tr("未完成（問題の一覧つき）")
        elif improve:
            state = self.tr("完成（要改善 {n} 件あり）").format(n=improve)
        else:
            state = self.tr("完成（すべて適合）")
        values = {"file": str(r.path), "size": self.tr("{size}（{n} バイト）").format(
                      size=human_size(r.size), n=f"{r.size:,}"), "sha256": r.sha256,
                  "key_id": r.signer_key_id, "submission": r.submission_id, "state": state}
        for key, value in values.items():
            self.fields[key].setText(value)
            self.fields[key].setCursorPosition(0)
        colour = TONE_COLOURS[overall_tone(total) if r.complete else Tone.BAD][1]
        self.fields["state"].setStyleSheet(f"background: transparent; color: {colour}; font-weight: bold;")
        self.outcomes.setText(counts_html(total))
        self.outcomes.setAccessibleName(counts_text(total))
        public = self.w.key_path.with_suffix(".pub") if self.w.key_path else None
        self.note.setText(self.tr(
            "監査側には、このファイルとは別の経路で署名鍵の公開鍵（{pub}、鍵 ID {key_id}）を届け、"
            "鍵 ID を電話などで確認してもらってください。SHA-256 を伝えると、届いたファイルが同じものか"
            "確かめられます。").format(pub=public.name if public else ".pub", key_id=r.signer_key_id))

    def show_in_folder(self) -> None:
        if self.w.result is not None:
            ShowInFolder.open(self.w.result.path.parent)


class ExportWizard(QWizard):
    jump_to_item = Signal(str)     # a blocker was clicked: show that item
    exported = Signal(object)      # ExportResult

    def __init__(self, parent: QWidget | None, session: WorkspaceSession, settings: Settings) -> None:
        super().__init__(parent)
        self.setObjectName("exportWizard")
        self.setWindowTitle(self.tr("提出バンドルの書き出し"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        # Fits a 1366×768 screen at 150 %: the pages scroll (export_pages.scroll_body).
        screen_fit.fit(self, QSize(860, 640), QSize(560, 420))
        # Qt's own wizard buttons, in the UI language whatever Qt catalogue is installed.
        for button, text in ((QWizard.WizardButton.BackButton, self.tr("< 戻る")),
                             (QWizard.WizardButton.NextButton, self.tr("次へ >")),
                             (QWizard.WizardButton.FinishButton, self.tr("完了")),
                             (QWizard.WizardButton.CancelButton, self.tr("キャンセル"))):
            self.setButtonText(button, text)
        self.session = session
        self.settings = settings
        self.signing_key: SigningKey | None = None
        self.key_path: Path | None = None
        self.recipients: list[str] = []
        self.allow_incomplete = False
        self.output: Path = Path()
        self.overwrite = False
        self.result: ExportResult | None = None
        self.closing = False
        self.check_page = CompletenessPage(self)
        self.key_page = SigningKeyPage(self)
        self.recipients_page = RecipientsPage(self)
        self.output_page = OutputPage(self)
        self.run_page = RunPage(self)
        self.summary_page = SummaryPage(self)
        pages = (self.check_page, self.key_page, self.recipients_page, self.output_page, self.run_page,
                 self.summary_page)
        for page_id, page in enumerate(pages):
            self.setPage(page_id, page)
        self.finished.connect(lambda _r: self.forget_key())

    @property
    def running(self) -> bool:
        return self.run_page.task is not None or self.key_page.task is not None

    def remember(self) -> None:
        """The key FILE and the recipients' public keys: never the passphrase."""
        if self.key_path is not None:
            self.settings.set(EXPORT_SIGNING_KEY, str(self.key_path))
        self.settings.set(EXPORT_RECIPIENTS, list(self.recipients))
        self.settings.set(EXPORT_FOLDER, str(self.output.parent))

    def forget_key(self) -> None:
        if self.signing_key is not None and not self.running:
            self.signing_key.wipe()
            self.signing_key = None

    def reject(self) -> None:
        """Cancel: stop a running export first (it removes its temporary file), then close."""
        if self.run_page.task is not None:
            self.closing = True
            self.run_page.label.setText(self.tr("中止しています…"))
            self.button(QWizard.WizardButton.CancelButton).setEnabled(False)
            self.run_page.task.cancel()
            return
        if self.key_page.task is not None:
            self.closing = True  # unlocking takes a moment: close (and wipe the key) once it is done
            return
        super().reject()

    def finish_closing(self) -> None:
        self.closing = False
        super().reject()

    @classmethod
    def start(cls, parent: QWidget, session: WorkspaceSession, settings: Settings) -> ExportWizard:
        wizard = cls(parent, session, settings)
        wizard.setWindowModality(Qt.WindowModality.WindowModal)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.show()
        return wizard
