"""Recording a document export (checklist, report) in the workspace's activity log.

Why: the log is the record of what left the workspace — the auditor reads it in the bundle
— so the CLI and the desktop app record a document the same way, with the SHA-256 of the
file as written.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storage.faults import document_action

if TYPE_CHECKING:
    from storage import Workspace

ACTIONS = {"checklist": "checklist.exported", "report": "report.exported"}


def log_document_export(ws: Workspace, kind: str, path: str | Path, **extra: Any) -> bool:
    """``kind`` is "checklist" or "report". Returns False when it could not be recorded because
    the workspace is read-only (on read-only media a document may still be exported elsewhere:
    nothing in the workspace changes, and there is no way to write the entry)."""
    if getattr(ws, "read_only", False):
        return False
    with open(path, "rb") as fh:
        sha256 = hashlib.file_digest(fh, "sha256").hexdigest()
    try:
        ws.record_activity(ACTIONS[kind], None, file=Path(path).name, sha256=sha256,
                           fault_action=document_action(kind, path), **extra)
    except BaseException:
        # As for bundles: no document out of the workspace that its log does not know about.
        Path(path).unlink(missing_ok=True)
        raise
    return True
