"""One questionnaire item: question, input, note, evidence hint and its current problems."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from questionnaire import AnswerKind, Item, ItemState
from questionnaire.basis import basis_label, basis_text

from .. import i18n
from ..i18n import tr
from .editors import Editor, _CommitOnFocusOut, editor_for
from .item_view import ItemView, item_view

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
        self.view: ItemView | None = None  # what update_state showed last
        self._state: ItemState | None = None
        self.setAcceptDrops(not source.read_only)
        lang = i18n.current()
        # The header shows the first reference; the tooltip the whole basis, as the checklist and
        # report print it. In English it keeps the Japanese citation too: it is what the documents say.
        cited = basis_text(item, lang)
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
        self.source_label = QLabel(basis_label(item, lang), self)
        self.source_label.setObjectName("sourceLabel")
        self.source_label.setToolTip(source_tip)
        self.source_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.source_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # The item the user works on is marked in words as well as by its frame (never colour alone).
        self.current_label = QLabel(tr("▶ 選択中"), self)
        self.current_label.setObjectName("currentMarker")
        self.current_label.hide()
        header.addWidget(self.current_label)
        # An answer carried over from last year is confirmed here, in one click (or Ctrl+K on the
        # current item); shown only while it waits for that.
        self.confirm_button = QPushButton(tr("確認済みにする"), self)
        self.confirm_button.setObjectName(f"confirm_{item.id}")
        self.confirm_button.setAccessibleName(
            tr("{item} の前年からの回答を確認済みにする").format(item=item.id))
        self.confirm_button.clicked.connect(self._confirm)
        self.confirm_button.hide()
        header.addWidget(self.id_label)
        header.addWidget(self.required_label)
        header.addWidget(self.state_label)
        header.addWidget(self.confirm_button)
        # 新規 / 変更 since the earlier submission the user compared with: words, not colour alone
        self.change_label = QLabel(self)
        self.change_label.setObjectName("changeBadge")
        self.change_label.hide()
        header.addWidget(self.change_label)
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
        self.question.setBuddy(self.editor.focus_target())
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
            self.note_label.setBuddy(self.note)
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
        self.attach_button.setAccessibleName(tr("証跡を添付…（{item}）").format(item=item.id))
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
        self.show_change()

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

    def show_change(self) -> None:
        """The 新規 / 変更 / 削除 badge from the source's comparison (hidden without one, or
        when nothing changed)."""
        change = self.source.change_of(self.item.id)
        shown = change is not None and change.changed
        if shown:
            from exports.comparison_text import reasons_text

            lang = i18n.current()
            text = tr("前回から{state}").format(state=change.state.label.get(lang))
            what = reasons_text(change, lang)
            self.change_label.setText(text)
            self.change_label.setToolTip(tr("前回の提出から変わった点: {what}").format(what=what))
            self.change_label.setAccessibleName(f"{text}: {what}")
            if self.change_label.property("state") != change.state.value:
                self.change_label.setProperty("state", change.state.value)
                _repolish(self.change_label)
        if self.change_label.isVisibleTo(self) != shown:
            self.change_label.setVisible(shown)

    def update_state(self, state: ItemState) -> None:
        """Show an item's state (required marker, badge, problems, evidence line), as
        ``item_view`` describes it; only what changed since the last call is touched."""
        if state == self._state:  # the same answer, evidence and problems: nothing to redo
            return
        self._state = state
        self.apply_view(item_view(state, self.source.template, i18n.current()))

    def apply_view(self, view: ItemView) -> None:
        old = self.view
        if view == old:
            return
        self.view = view
        if old is None or view.visible != old.visible:
            self.setVisible(view.visible)
        repolish: list[QWidget] = []

        def text(label: QLabel, value: str, before: str | None) -> None:
            if value != before:
                label.setText(value)

        def prop(widget: QWidget, name: str, value, before) -> None:
            if value != before:
                widget.setProperty(name, value)
                repolish.append(widget)

        text(self.required_label, view.required_text, old and old.required_text)
        prop(self.required_label, "required", view.required, old and old.required)
        text(self.state_label, view.badge, old and old.badge)
        prop(self.state_label, "kind", view.kind, old and old.kind)
        prop(self, "state", view.kind, old.kind if old else "normal")
        text(self.problems_label, view.problems, old and old.problems)
        prop(self.problems_label, "blocking", view.problems_blocking, old and old.problems_blocking)
        if old is None or bool(view.problems) != bool(old.problems):
            self.problems_label.setVisible(bool(view.problems))
        if self.note is not None:
            text(self.note_label, view.note_label, old and old.note_label)
            prop(self.note_label, "required", view.note_needed, old and old.note_needed)
        if old is None or view.to_confirm != old.to_confirm:
            self.confirm_button.setVisible(view.to_confirm and not self.source.read_only)
        if old is None or view.confirm_tooltip != old.confirm_tooltip:
            self.confirm_button.setToolTip(view.confirm_tooltip)
            self.confirm_button.setAccessibleDescription(view.confirm_tooltip)
        if self.item.evidence is not None:
            text(self.evidence_label, view.evidence_html, old and old.evidence_html)
            if old is None or view.evidence_tooltip != old.evidence_tooltip:
                self.evidence_label.setToolTip(view.evidence_tooltip)
            prop(self.evidence_label, "missing", view.evidence_missing, old and old.evidence_missing)
        if old is None or (view.badge, view.required_text, view.problems, view.note_label) != \
                (old.badge, old.required_text, old.problems, old.note_label):
            self._describe(view)
        # A dynamic property only restyles after a re-polish; only the widgets whose property
        # changed are re-polished (a polish storm made every refresh slow, issue 10). A widget
        # not polished yet gets the style sheet with these values when it is first shown.
        for widget in repolish:
            _repolish(widget)

    def _describe(self, view: ItemView) -> None:
        """Names for assistive technology: the question names the input; the state, the help
        and the problems describe it (what a sighted user reads around the field)."""
        lang = i18n.current()
        state = "・".join(part for part in (view.required_text, view.badge) if part)
        parts = [state]
        if self.item.help:
            parts.append(self.item.help.get(lang))
        if view.problems:
            parts.append(view.problems.replace("\n", " "))
        name = f"{self.item.id} {self.item.text.get(lang)}"
        self.editor.describe(name, "\n".join(parts))
        if self.note is not None:
            self.note.setAccessibleName(f"{self.item.id} {view.note_label}")
            self.note.setAccessibleDescription(state)

    def set_current(self, current: bool) -> None:
        """The item the user works on: a blue frame and 「▶ 選択中」."""
        if bool(self.property("current")) != current:
            self.setProperty("current", current)
            self.current_label.setVisible(current)
            _repolish(self)

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

    def _confirm(self) -> None:
        self.activated.emit(self.item.id)
        self.commit_pending()  # a note being typed is stored (and confirms) first
        try:
            self.source.confirm_carried([self.item.id], "item")
        except Exception as exc:
            from questionnaire.errors import AttestError

            if not isinstance(exc, AttestError):
                raise
            self.error_label.setText(_input_error(self.item, exc))
            self.error_label.show()
            return
        self.focus_first()

    def _store_note(self) -> None:
        if self.note is None or self.note.toPlainText().strip() == self._stored_note.strip():
            return
        self._store()

    def commit_pending(self) -> None:
        self.editor.commit_pending()
        self._store_note()

    def focus_first(self) -> None:
        target = self.editor.focus_target()
        if target.isEnabled() and target.isVisibleTo(self):
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        for child in self.findChildren(QWidget):  # read-only: the first thing that takes focus
            takes = child.focusPolicy() & Qt.FocusPolicy.TabFocus
            if takes and child.isEnabled() and child.isVisibleTo(self):
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


def _repolish(widget: QWidget) -> None:
    if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)


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
