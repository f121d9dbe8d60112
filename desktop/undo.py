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
                 already_done: bool = False) -> None:
        super().__init__(QCoreApplication.translate("Undo", "{item} の回答").format(item=item_id))
        self.session = session
        self.item_id = item_id
        self.old = old
        self.new = new
        self._skip_first_redo = already_done  # the edit itself was stored before the push

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        self.session.store_answer(self.item_id, *self.new)
        self.session.undo_applied.emit(self.item_id)

    def undo(self) -> None:
        self.session.store_answer(self.item_id, *self.old)
        self.session.undo_applied.emit(self.item_id)
