"""The adapter between an open questionnaire and the Qt views: core calls in, signals out.

Views never call the Workspace directly for changes; they go through a session, which
re-emits every change as a signal (the Electrum ``QtEventListener`` idea), keeps the
assessment current and owns the undo stack.

``FormSource`` is what the form, the dashboard and the evidence panel read. The vendor's
``WorkspaceSession`` implements it over an encrypted Workspace; the auditor's read-only
view of an opened bundle (a follow-up) implements the same interface over a
``Submission`` with ``read_only = True``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

if TYPE_CHECKING:
    from pathlib import Path

    from questionnaire import Answer, Assessment, EvidenceInfo, Template
    from questionnaire.carryover import CarryMark
    from questionnaire.comparison import Comparison, ItemComparison
    from questionnaire.deadlines import Deadline
    from questionnaire.review import Review
    from storage import EvidenceMeta, Workspace
    from storage.activity import LogEntry


@dataclass
class Prepared:
    """An unlocked workspace and its first assessment, computed in the worker right after the
    KDF (``prepare``), so that the UI thread only builds widgets (issue 10: assessing 1,000
    items froze the window after the unlock)."""

    ws: Workspace
    assessment: Assessment | None = None


def prepare(ws: Workspace) -> Prepared:
    """Worker thread: no widgets. Closes ``ws`` if anything unexpected fails."""
    try:
        return Prepared(ws, ws.assess())
    except BaseException:
        ws.close()
        raise


def load_review(ws: Workspace) -> Review | None:
    """The review the vendor acts on (storage.reviews.current_review), as the checklist and
    report show it. Decrypts the whole activity log (0.1-0.3 s at 3,500 entries): the window
    runs it in the worker."""
    from storage.reviews import current_review

    stored = current_review(ws)
    return stored.review if stored else None


class FormSource(QObject):
    """Read side shared by the vendor's workspace and the auditor's bundle view."""

    answer_changed = Signal(str)       # item id
    evidence_changed = Signal(str)     # item id
    assessment_changed = Signal()
    locked_changed = Signal(bool)
    comparison_changed = Signal()      # a comparison with an earlier submission was set or cleared

    read_only = True
    template: Template
    title: str = ""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._assessment: Assessment | None = None
        # what changed since an earlier submission (questionnaire/comparison.py), when the user
        # compared with one: the form's badges, filter and side-by-side panel read it
        self.comparison: Comparison | None = None
        # Answers typed but refused by the machine (a full disk, a drive gone): item id ->
        # (value, note). Forms show them instead of the stored answer until they are stored.
        self.unsaved: dict[str, tuple[Any, Any]] = {}

    def set_comparison(self, comparison: Comparison | None) -> None:
        self.comparison = comparison
        self.comparison_changed.emit()

    def change_of(self, item_id: str) -> ItemComparison | None:
        return self.comparison.item(item_id) if self.comparison is not None else None

    def retry_unsaved(self) -> None:
        """Store the answers the machine refused before (raises if it refuses again)."""

    @property
    def locked(self) -> bool:
        return False

    def assessment(self) -> Assessment:
        if self._assessment is None:
            self._assessment = self._assess()
        return self._assessment

    def _assess(self) -> Assessment:
        raise NotImplementedError

    def answer(self, item_id: str) -> Answer | None:
        raise NotImplementedError

    def evidence(self, item_id: str | None = None) -> list[EvidenceInfo]:
        raise NotImplementedError

    def carry_mark(self, item_id: str) -> CarryMark | None:
        """The mark of an answer carried over from last year (None: not carried)."""
        return None

    def deadlines(self, on: dt.date | None = None) -> list[Deadline]:
        """The dates that matter (questionnaire/deadlines.py), overdue first."""
        return []

    def corrective_actions(self) -> list:
        """The corrective actions (questionnaire/corrective.py), in creation order."""
        return []

    def evidence_bytes(self, evidence_id: str) -> bytes:
        """Decrypted contents in memory for a preview; may be called from a worker thread."""
        raise NotImplementedError

    def save_evidence_copy(self, evidence_id: str, dest: Path, *, progress=None, cancel=None) -> Path:
        raise NotImplementedError

    def activity(self) -> tuple[list[LogEntry], list[str]]:
        """The activity log, oldest first, and every problem found in its hash chain (empty:
        intact). May be called from a worker thread."""
        raise NotImplementedError

    def _changed(self, item_id: str | None = None, *, evidence: bool = False) -> None:
        self._assessment = None
        if item_id is not None:
            (self.evidence_changed if evidence else self.answer_changed).emit(item_id)
        self.assessment_changed.emit()


class WorkspaceSession(FormSource):
    """An open vendor workspace. Every change is stored at once through the core."""

    saved = Signal()                   # a change reached the disk
    undo_applied = Signal(str)         # an undo/redo changed this item: views may show it

    read_only = False

    def __init__(self, ws: Workspace | Prepared, parent: QObject | None = None) -> None:
        super().__init__(parent)
        prepared = ws if isinstance(ws, Prepared) else Prepared(ws)
        ws = prepared.ws
        self.ws: Workspace | None = ws
        self._assessment = prepared.assessment
        self.path = ws.path
        self.workspace_id = ws.id
        self.template = ws.template
        self.read_only = ws.read_only  # on read-only media: shown read-only, with a banner
        self.vendor = ws.vendor
        self.title = ws.vendor or ws.path.name
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("undoStack")
        self.last_saved: dt.datetime | None = None

    # --- life cycle -----------------------------------------------------------------

    @property
    def locked(self) -> bool:
        return self.ws is None

    def workspace(self) -> Workspace:
        """The open Workspace, for work that needs the core itself (exports); raises while locked."""
        return self._workspace()

    def _workspace(self) -> Workspace:
        if self.ws is None:
            from storage.errors import WorkspaceError

            raise WorkspaceError("the workspace is locked")
        return self.ws

    def lock(self) -> None:
        """Close the Workspace (its keys go with it) and forget everything decrypted we hold."""
        if self.ws is None:
            return
        self.ws.close()
        self.ws = None
        self.undo_stack.clear()  # commands hold answer values: they go too
        self.unsaved.clear()
        self._assessment = None
        self.locked_changed.emit(True)

    def unlock(self, ws: Workspace | Prepared) -> None:
        """Attach the Workspace reopened with the passphrase (must be the same workspace)."""
        prepared = ws if isinstance(ws, Prepared) else Prepared(ws)
        ws = prepared.ws
        if ws.id != self.workspace_id:
            ws.close()
            from storage.errors import NotAWorkspace

            raise NotAWorkspace(ws.path, "a different workspace is now in this folder")
        self.ws = ws
        self._assessment = prepared.assessment
        self.locked_changed.emit(False)
        self.assessment_changed.emit()

    def close(self) -> None:
        if self.ws is not None:
            self.ws.close()
            self.ws = None

    # --- reading ----------------------------------------------------------------------

    def _assess(self) -> Assessment:
        return self._workspace().assess()

    def answer(self, item_id: str) -> Answer | None:
        return self._workspace().answer(item_id)

    def evidence(self, item_id: str | None = None) -> list[EvidenceInfo]:
        return self._workspace().evidence(item_id)

    def carry_mark(self, item_id: str) -> CarryMark | None:
        return self._workspace().carry_mark(item_id)

    def deadlines(self, on: dt.date | None = None) -> list[Deadline]:
        from storage.cycle import workspace_deadlines

        return workspace_deadlines(self._workspace(), on)

    def corrective_actions(self) -> list:
        from storage.actions import actions

        return actions(self._workspace())

    def update_action(self, action_id: str, **changes):
        """The vendor's changes to a corrective action (storage/actions.py), stored at once."""
        from storage.actions import update_action

        action = update_action(self._workspace(), action_id, **changes)
        self._after_save(None)
        return action

    def evidence_bytes(self, evidence_id: str) -> bytes:
        return self._workspace().evidence_bytes(evidence_id)

    def save_evidence_copy(self, evidence_id: str, dest: Path, *, progress=None, cancel=None) -> Path:
        return self._workspace().save_evidence_copy(evidence_id, dest, overwrite=True,
                                                     progress=progress, cancel=cancel)

    def activity(self) -> tuple[list[LogEntry], list[str]]:
        from storage.errors import CorruptData

        ws = self._workspace()
        try:
            entries = ws.activity()
        except CorruptData as exc:  # an entry that no longer decrypts: say so, show nothing
            return [], [str(exc)]
        return entries, ws.verify_activity(entries)

    # --- changing -----------------------------------------------------------------------

    def set_answer(self, item_id: str, value: Any, note: Any) -> bool:
        """Store an answer as the user's edit (undoable). Returns False when nothing changed.

        The core validates and stores first; only a stored change becomes an undo step, so
        a rejected value (InvalidAnswer) leaves both the workspace and the stack untouched.
        """
        from storage.faults import find_fault

        from .undo import SetAnswerCommand

        old = self.answer(item_id)
        old_pair = (old.value, old.note) if old else (None, None)
        mark = self.carry_mark(item_id)
        try:
            new = self.store_answer(item_id, value, note)
        except Exception as exc:
            if find_fault(exc) is not None:
                self.unsaved[item_id] = (value, note)  # kept for 再試行; never lost with the widget
            raise
        self.unsaved.pop(item_id, None)
        new_pair = (new.value, new.note) if new else (None, None)
        if new_pair == old_pair:
            return False
        # an edit of a carried answer confirmed it: undoing the edit makes it "to confirm" again
        confirmed = mark is not None and not mark.confirmed
        self.undo_stack.push(SetAnswerCommand(self, item_id, old_pair, new_pair, already_done=True,
                                              confirmed_carried=confirmed))
        return True

    def retry_unsaved(self) -> None:
        for item_id, (value, note) in list(self.unsaved.items()):
            self.set_answer(item_id, value, note)
            self.answer_changed.emit(item_id)  # shown as stored, also when nothing changed

    def store_answer(self, item_id: str, value: Any, note: Any) -> Answer | None:
        """Store without recording an undo step (the undo commands call this both ways)."""
        stored = self._workspace().set_answer(item_id, value, note)
        self._after_save(item_id)
        return stored

    def unconfirmed(self, item_ids=None, *, include_changed: bool = True) -> list[str]:
        return self._workspace().unconfirmed(item_ids, include_changed=include_changed)

    def confirm_carried(self, item_ids: list[str], by: str = "item") -> list[str]:
        """Confirm carried answers as this year's (one undo step). Returns those confirmed."""
        from .undo import ConfirmCarriedCommand

        done = self._workspace().confirm_carried(item_ids, by)
        if done:
            self.undo_stack.push(ConfirmCarriedCommand(self, done, by))
            self.marks_changed(done)
        return done

    def marks_changed(self, item_ids: list[str]) -> None:
        self.last_saved = dt.datetime.now()
        self._assessment = None
        for item_id in item_ids:
            self.answer_changed.emit(item_id)
        self.assessment_changed.emit()
        self.saved.emit()

    def set_contract_date(self, value: dt.date | None) -> None:
        self._workspace().set_contract_date(value)
        self._after_save(None)

    def replace_evidence(self, evidence_id: str, source: Path, meta: EvidenceMeta, *, progress=None,
                         cancel=None) -> EvidenceInfo:
        """Put a new file in place of an attached one, keeping its ID (worker-safe; call
        ``evidence_stored`` afterwards)."""
        return self._workspace().replace_evidence(evidence_id, source, meta, progress=progress,
                                                  cancel=cancel)

    def add_evidence(self, item_id: str, source: Path, meta: EvidenceMeta, *, progress=None,
                     cancel=None) -> EvidenceInfo:
        """Encrypt and attach a file. Safe in a worker; call ``evidence_stored`` afterwards."""
        return self._workspace().add_evidence(item_id, source, meta, progress=progress, cancel=cancel)

    def evidence_stored(self, item_id: str) -> None:
        self._after_save(item_id, evidence=True)

    def update_evidence(self, evidence_id: str, meta: EvidenceMeta) -> EvidenceInfo:
        info = self._workspace().update_evidence(evidence_id, meta)
        self._after_save(info.item_id, evidence=True)
        return info

    def remove_evidence(self, evidence_id: str) -> EvidenceInfo:
        info = self._workspace().remove_evidence(evidence_id)
        self._after_save(info.item_id, evidence=True)
        return info

    def _after_save(self, item_id: str | None, *, evidence: bool = False) -> None:
        self.last_saved = dt.datetime.now()
        self._changed(item_id, evidence=evidence)
        self.saved.emit()
