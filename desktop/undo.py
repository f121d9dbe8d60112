"""Undo steps: each command calls the session (hence the core) in both directions; no SQL here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

if TYPE_CHECKING:
    from .session import WorkspaceSession

Pair = tuple[Any, Any]  # (value, note) as stored; (None, None) = no answer


class SetAnswerCommand(QUndoCommand):
    def __init__(self, session: WorkspaceSession, item_id: str, old: Pair, new: Pair, *,
                 already_done: bool = False, confirmed_carried: bool = False) -> None:
        super().__init__(QCoreApplication.translate("Undo", "{item} の回答").format(item=item_id))
        self.session = session
        self.item_id = item_id
        self.old = old
        self.new = new
        self._skip_first_redo = already_done  # the edit itself was stored before the push
        self.confirmed_carried = confirmed_carried  # the edit confirmed last year's answer

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        self.session.store_answer(self.item_id, *self.new)
        self.session.undo_applied.emit(self.item_id)

    def undo(self) -> None:
        self.session.store_answer(self.item_id, *self.old)
        if self.confirmed_carried:  # back to last year's answer, not yet confirmed
            self.session.workspace().unconfirm_carried([self.item_id])
            self.session.marks_changed([self.item_id])
        self.session.undo_applied.emit(self.item_id)


class ConfirmCarriedCommand(QUndoCommand):
    """Confirming answers carried over from last year (one, a section's, or all): undo makes
    them "to confirm" again."""

    def __init__(self, session: WorkspaceSession, item_ids: list[str], by: str) -> None:
        text = (QCoreApplication.translate("Undo", "{item} の引継ぎ回答の確認").format(item=item_ids[0])
                if len(item_ids) == 1 else
                QCoreApplication.translate("Undo", "引継ぎ回答 {n} 件の確認").format(n=len(item_ids)))
        super().__init__(text)
        self.session = session
        self.item_ids = item_ids
        self.by = by
        self._skip_first_redo = True  # confirmed before the push

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        self.session.workspace().confirm_carried(self.item_ids, self.by)
        self.session.marks_changed(self.item_ids)

    def undo(self) -> None:
        self.session.workspace().unconfirm_carried(self.item_ids)
        self.session.marks_changed(self.item_ids)
        self.session.undo_applied.emit(self.item_ids[0])
