"""A read-only FormSource over a Submission, e.g. an opened (already verified) bundle folder.

This is what the auditor's view shows in the same form, dashboard and evidence panel as
the vendor's workspace, with every input disabled. Evidence files are read from the opened
folder at ``Submission.evidence_path(info)``; the folder came from outside, so a path that
would leave it is refused and sizes are capped.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from .session import FormSource

if TYPE_CHECKING:
    from questionnaire import Answer, Assessment, EvidenceInfo
    from questionnaire.submission import Submission
    from storage.activity import LogEntry

PREVIEW_LIMIT = 64 * 1024 * 1024


class SubmissionSource(FormSource):
    read_only = True

    def __init__(self, submission: Submission, folder: Path | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.submission = submission
        self.folder = Path(folder).resolve() if folder is not None else None
        self.template = submission.template
        self.title = submission.vendor or submission.submission_id

    def _assess(self) -> Assessment:
        return self.submission.assess()

    def corrective_actions(self) -> list:
        """As the bundle's corrective-actions.json was read and checked (bundle_checks.py)."""
        return list(self.submission.corrective_actions)

    def answer(self, item_id: str) -> Answer | None:
        self.template.item(item_id)
        return self.submission.answers.get(item_id)

    def evidence(self, item_id: str | None = None) -> list[EvidenceInfo]:
        return [e for e in self.submission.evidence if item_id is None or e.item_id == item_id]

    def _info(self, evidence_id: str) -> EvidenceInfo:
        from storage.errors import EvidenceNotFound

        info = next((e for e in self.submission.evidence if e.id == evidence_id), None)
        if info is None:
            raise EvidenceNotFound(evidence_id)
        return info

    def _file(self, info: EvidenceInfo) -> Path:
        from storage.errors import EvidenceNotFound, InvalidEvidence

        if self.folder is None:
            raise EvidenceNotFound(info.id)
        path = (self.folder / self.submission.evidence_path(info)).resolve()
        if not path.is_relative_to(self.folder):
            raise InvalidEvidence(f"{info.filename}: path leaves the opened folder")
        if not path.is_file():
            raise EvidenceNotFound(info.id)
        return path

    def evidence_bytes(self, evidence_id: str) -> bytes:
        from storage.errors import InvalidEvidence

        path = self._file(self._info(evidence_id))
        with path.open("rb") as fh:
            data = fh.read(PREVIEW_LIMIT + 1)
        if len(data) > PREVIEW_LIMIT:
            raise InvalidEvidence(f"{path.name} is too large to preview")
        return data

    def activity(self) -> tuple[list[LogEntry], list[str]]:
        """The vendor's log as exported in the bundle (verified when the bundle was opened,
        and checked again here: the folder may have been edited since)."""
        from exports.bundle_format import ACTIVITY_LOG
        from storage.activity import read_log_file

        if self.folder is None:
            return [], []
        try:
            return read_log_file(self.folder / ACTIVITY_LOG)
        except FileNotFoundError:
            return [], [f"{ACTIVITY_LOG} is missing"]

    def save_evidence_copy(self, evidence_id: str, dest: Path, *, progress=None, cancel=None) -> Path:
        from storage.fsutil import atomic_write

        path = self._file(self._info(evidence_id))
        with path.open("rb") as src, atomic_write(Path(dest), overwrite=True) as out:
            shutil.copyfileobj(src, out)
        return Path(dest)
