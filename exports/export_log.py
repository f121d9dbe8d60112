"""Recording a document export (checklist, report) in the workspace's activity log.

Why: the log is the record of what left the workspace — the auditor reads it in the bundle
— so the CLI and the desktop app record a document the same way, with the SHA-256 of the
file as written.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storage import Workspace

ACTIONS = {"checklist": "checklist.exported", "report": "report.exported"}


def log_document_export(ws: Workspace, kind: str, path: str | Path, **extra: Any) -> None:
    """``kind`` is "checklist" or "report"."""
    with open(path, "rb") as fh:
        sha256 = hashlib.file_digest(fh, "sha256").hexdigest()
    ws.record_activity(ACTIONS[kind], None, file=Path(path).name, sha256=sha256, **extra)
