"""One questionnaire item: question, input, note, evidence hint and its current problems."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from questionnaire import AnswerKind, Item, ItemState, ProblemCode
from questionnaire.citation import citation

from .. import i18n
from ..i18n import tr
from .editors import Editor, _CommitOnFocusOut, editor_for
from .models import describe_problem

if TYPE_CHECKING:
    from pathlib import Path

    from ..session import FormSource



def local_files(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    from pathlib import Path

    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    return [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]


class ItemWidget(QFrame):
    activated = Signal(str)                 # the user is working on this item
    attach_requested = Signal(str, object)  # item id, list of dropped paths (empty: ask)
    edit_failed = Signal(object)            # an exception from the core

    def __init__(self, source: FormSource, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.item = item
        self.setObjectName(f"item_{item.id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setProperty("state", "normal")
        self.setAcceptDrops(not source.read_only)
        lang = i18n.current()
        cited = citation(item.source, lang)
        # In English the tooltip keeps the Japanese citation too: it is what the documents say.
        source_tip = tr("出典: {source}").format(
            source=cited if cited == item.source else f"{cited}\n{item.source}")

        outer = QVBoxLayout(self)
        outer.setContentsMargins(14, 10, 14, 12)
        outer.setSpacing(6)

        header = QHBoxLayout()
        self.id_label = QLabel(item.id, self)
        self.id_label.setObjectName("itemId")
        self.id_label.setToolTip(source_tip)
        self.required_label = QLabel(self)
        self.required_label.setObjectName("requiredMarker")
        self.state_label = QLabel(self)
        self.state_label.setObjectName("stateBadge")
        self.source_label = QLabel(cited, self)
        self.source_label.setObjectName("sourceLabel")
        self.source_label.setToolTip(source_tip)
        self.source_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.source_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        header.addWidget(self.id_label)
        header.addWidget(self.required_label)
        header.addWidget(self.state_label)
        header.addWidget(self.source_label, 1)
        outer.addLayout(header)

        self.question = QLabel(item.text.get(lang), self)
        self.question.setObjectName("question")
        self.question.setWordWrap(True)
        self.question.setToolTip(source_tip)
        self.question.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.question)
        if item.help:
            self.help = QLabel(item.help.get(lang), self)
            self.help.setObjectName("help")
            self.help.setWordWrap(True)
            outer.addWidget(self.help)

        self.editor: Editor = editor_for(item, self)
        self.editor.edited.connect(self._store)
        outer.addWidget(self.editor)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("inputError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        outer.addWidget(self.error_label)
        # Shown while the machine refused this item's answer (a full disk...): stores it again.
        self.retry_button = QPushButton(tr("再試行"), self)
        self.retry_button.setObjectName(f"retry_{item.id}")
        self.retry_button.clicked.connect(lambda: retry_unsaved(self.window(), self.source))
        self.retry_button.hide()
        outer.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.note: _CommitOnFocusOut | None = None
        if item.kind is AnswerKind.STATUS:
            self.note_label = QLabel(self)
            self.note_label.setObjectName("noteLabel")
            self.note = _CommitOnFocusOut(self)
            self.note.setObjectName(f"note_{item.id}")
            self.note.setTabChangesFocus(True)
            self.note.setFixedHeight(self.note.fontMetrics().lineSpacing() * 3 + 14)
            self.note.focus_lost.connect(self._store_note)
            self._stored_note = ""
            outer.addWidget(self.note_label)
            outer.addWidget(self.note)

        self.problems_label = QLabel(self)
        self.problems_label.setObjectName("problems")
        self.problems_label.setWordWrap(True)
        outer.addWidget(self.problems_label)

        self.evidence_row = QWidget(self)
        row = QHBoxLayout(self.evidence_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.evidence_label = QLabel(self.evidence_row)
        self.evidence_label.setObjectName("evidenceHint")
        self.evidence_label.setWordWrap(True)
        self.attach_button = QPushButton(tr("証跡を添付…"), self.evidence_row)
        self.attach_button.setObjectName(f"attach_{item.id}")
        self.attach_button.clicked.connect(lambda: self.attach_requested.emit(item.id, []))
        self.attach_button.setVisible(not source.read_only)
        row.addWidget(self.evidence_label, 1)
        row.addWidget(self.attach_button, 0, Qt.AlignmentFlag.AlignTop)
        outer.addWidget(self.evidence_row)
        self.evidence_row.setVisible(item.evidence is not None)

        if source.read_only:
            self.editor.set_read_only(True)
            if self.note is not None:
                self.note.setReadOnly(True)
        self.load()

    # --- showing ----------------------------------------------------------------------

    def load(self) -> None:
        """Show the stored answer (after opening, undo, redo) — or what was typed and could not
        be saved yet (a full disk...: ``FormSource.unsaved``), marked as such."""
        answer = self.source.answer(self.item.id)
        self.editor.set_value(answer.value if answer else None)
        if self.note is not None:
            self._stored_note = (answer.note if answer else None) or ""
            if self.note.toPlainText() != self._stored_note:
                self.note.setPlainText(self._stored_note)
        self.error_label.hide()
        self.retry_button.hide()
        pending = self.source.unsaved.get(self.item.id)
        if pending is not None:
            value, note = pending
            self.editor.set_value(value)
            if self.note is not None and isinstance(note, str):
                self.note.setPlainText(note)
            self.error_label.setText(tr("まだ保存されていません。空き容量やドライブを確かめて「再試行」を押してください。"))
            self.error_label.show()
            self.retry_button.show()

    def update_state(self, state: ItemState) -> None:
        """Required marker, note requirement, problems and evidence from the assessment."""
        self.setVisible(state.visible)
        lang = i18n.current()
        self.required_label.setText(tr("必須") if state.required else tr("任意"))
        self.required_label.setProperty("required", state.required)
        blocking = [p for p in state.problems if p.blocking]
        warnings = [p for p in state.problems if not p.blocking]
        codes = {p.code for p in blocking}
        if ProblemCode.NONCONFORMING in codes:
            badge, kind = tr("基準を満たしていません"), "nonconforming"
        elif blocking and state.answered:
            badge, kind = tr("要対応"), "blocked"
        elif blocking:
            badge, kind = tr("未回答"), "unanswered"
        elif state.answered:
            badge, kind = tr("回答済み"), "done"
        else:
            badge, kind = "", "normal"
        self.state_label.setText(badge)
        self.state_label.setProperty("kind", kind)
        self.setProperty("state", kind)
        # Unanswered shows in the badge, missing evidence in the evidence line: not repeated here.
        shown = [p for p in blocking if p.code not in (ProblemCode.UNANSWERED, ProblemCode.EVIDENCE_MISSING)]
        shown += warnings
        template = self.source.template
        self.problems_label.setText("\n".join(
            "・" + describe_problem(p, template, lang, with_item=False) for p in shown))
        self.problems_label.setProperty("blocking", bool(blocking))
        self.problems_label.setVisible(bool(shown))
        if self.note is not None:
            value = state.answer.value if state.answer else None
            needed = value in self.item.note_required_for
            self.note_label.setText(
                tr("備考（必須: 理由と是正の計画・期日）") if needed else tr("備考（任意）"))
            self.note_label.setProperty("required", needed)
        self._update_evidence(state)
        for widget in (self, self.required_label, self.state_label, self.problems_label,
                       *((self.note_label,) if self.note is not None else ())):
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def _update_evidence(self, state: ItemState) -> None:
        rule = self.item.evidence
        if rule is None:
            return
        lang = i18n.current()
        count = len(state.evidence)
        parts = []
        needed = rule.needed_for(state.answer.value if state.answer else None)
        if count:
            parts.append(tr("証跡 {n} 件添付済み").format(n=count))
        elif needed:
            parts.append(tr("証跡が必要です"))
        else:
            parts.append(tr("証跡（任意）"))
        template = self.source.template
        labels = [k.label.get(lang) for k in map(template.evidence_kind, rule.kinds) if k]
        kinds = ("、" if lang == "ja" else ", ").join(labels)
        hint = rule.hint.get(lang) if rule.hint else ""
        self.evidence_label.setText(f"<b>{html.escape(parts[0])}</b>" + (
            f"<span style='color:#5b6b7b'> — {html.escape(hint)}</span>" if hint else ""))
        self.evidence_label.setToolTip(tr("受け付ける種類: {kinds}").format(kinds=kinds))
        self.evidence_label.setProperty("missing", needed and not count)
        self.evidence_label.style().unpolish(self.evidence_label)
        self.evidence_label.style().polish(self.evidence_label)

    # --- storing --------------------------------------------------------------------

    def _note_text(self) -> str | None:
        return self.note.toPlainText() if self.note is not None else None

    def _store(self) -> None:
        self.activated.emit(self.item.id)
        note = self._note_text()
        try:
            self.source.set_answer(self.item.id, self.editor.value(), note)
        except Exception as exc:  # the core said no: keep the text, say why next to it
            from questionnaire.errors import AttestError

            if not isinstance(exc, AttestError):
                raise
            self.error_label.setText(_input_error(self.item, exc))
            self.error_label.setToolTip(str(exc))
            self.error_label.show()
            from ..errors import ErrorDialog, machine_fault

            if machine_fault(exc) is not None:  # a full disk, a drive gone: the typed value is kept
                self.retry_button.show()
                window = self.window()
                ErrorDialog.show_error(window, exc, retry=lambda: retry_unsaved(window, self.source))
            return
        self.load()

    def _store_note(self) -> None:
        if self.note is None or self.note.toPlainText().strip() == self._stored_note.strip():
            return
        self._store()

    def commit_pending(self) -> None:
        self.editor.commit_pending()
        self._store_note()

    def focus_first(self) -> None:
        for child in self.editor.findChildren(QWidget):
            if child.focusPolicy() & Qt.FocusPolicy.TabFocus and child.isVisibleTo(self):
                child.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return

    # --- events -----------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.activated.emit(self.item.id)
        super().mousePressEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_files(event) and self.item.evidence is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = local_files(event)
        if files:
            event.acceptProposedAction()
            self.activated.emit(self.item.id)
            self.attach_requested.emit(self.item.id, files)


def retry_unsaved(window: QWidget, source: FormSource) -> None:
    """再試行: store every answer the machine refused; a new refusal asks again."""
    from ..errors import ErrorDialog

    try:
        source.retry_unsaved()
    except Exception as exc:
        ErrorDialog.show_error(window, exc, retry=lambda: retry_unsaved(window, source))


def _input_error(item: Item, exc: Exception) -> str:
    from questionnaire.errors import InvalidAnswer

    if isinstance(exc, InvalidAnswer):
        if item.kind is AnswerKind.DATE:
            return tr("日付として読み取れません。2026-04-01 や 2026年4月1日 の形で入力してください。"
                      "保存されていません。")
        if item.kind is AnswerKind.NUMBER:
            spec = item.number
            low = f"{spec.minimum:g}" if spec and spec.minimum is not None else "—"
            high = f"{spec.maximum:g}" if spec and spec.maximum is not None else "—"
            if spec and spec.integer:
                return tr("数値として保存できません。{low}〜{high} の範囲の整数で入力してください。").format(
                    low=low, high=high)
            return tr("数値として保存できません。{low}〜{high} の範囲で入力してください。").format(
                low=low, high=high)
        if item.kind is AnswerKind.TEXT:
            return tr("この文章は保存できません（{n}文字まで、制御文字は使えません）。").format(
                n=item.text_max)
        return tr("この値は保存できません。")
    from ..errors import explain, machine_fault

    fault = machine_fault(exc)
    if fault is not None and fault.action is not None:  # the dialog says the rest
        lang = i18n.current()
        return f"{fault.title(lang)}: {fault.action.text(lang)}"
    explanation = explain(exc)
    return f"{explanation.title}: {explanation.what}"
