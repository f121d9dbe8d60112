"""The encrypted workspace: SQLite through SQLAlchemy, an age-encrypted evidence store. No Qt."""

from .crypto import KdfParams
from .errors import (
    Cancelled,
    CorruptData,
    DuplicateEvidence,
    EvidenceNotFound,
    InvalidEvidence,
    NotAWorkspace,
    ReadOnlyWorkspace,
    UnsupportedWorkspace,
    WeakPassphrase,
    WorkspaceError,
    WorkspaceExists,
    WorkspaceLocked,
    WrongPassphrase,
)
from .workspace import UNCHANGED, EvidenceMeta, Workspace, is_workspace

__all__ = [
    "UNCHANGED", "Cancelled", "CorruptData", "DuplicateEvidence", "EvidenceMeta", "EvidenceNotFound",
    "InvalidEvidence", "KdfParams", "NotAWorkspace", "ReadOnlyWorkspace", "UnsupportedWorkspace",
    "WeakPassphrase", "Workspace", "WorkspaceError", "WorkspaceExists", "WorkspaceLocked", "WrongPassphrase",
    "is_workspace",
]
