"""Typed storage errors; ``str()`` is a one-line English message for the CLI."""

from __future__ import annotations

from questionnaire.errors import AttestError


class WorkspaceError(AttestError):
    pass


class WrongPassphrase(WorkspaceError):
    def __init__(self) -> None:
        super().__init__("wrong passphrase")


class NotAWorkspace(WorkspaceError):
    def __init__(self, path: object, why: str = "") -> None:
        self.path = path
        super().__init__(f"{path} is not a CCUS Attest workspace" + (f" ({why})" if why else ""))


class WorkspaceExists(WorkspaceError):
    def __init__(self, path: object) -> None:
        self.path = path
        super().__init__(f"{path} already exists and is not empty; choose a new or empty folder")


class WorkspaceLocked(WorkspaceError):
    def __init__(self, path: object) -> None:
        self.path = path
        super().__init__(f"{path} is open in another CCUS Attest window or process")


class ReadOnlyWorkspace(WorkspaceError):
    """A change was asked of a workspace opened read-only (``Workspace.open_readonly``)."""

    def __init__(self, path: object) -> None:
        self.path = path
        super().__init__(f"{path} was opened read-only; nothing in it can be changed")


class UnsupportedWorkspace(WorkspaceError):
    """Written by a newer version of the app, or with parameters outside safe limits."""


class CorruptData(WorkspaceError):
    """Authenticated decryption or an integrity check failed; ``what`` names the record."""

    def __init__(self, what: str, detail: str = "") -> None:
        self.what = what
        super().__init__(f"{what} is damaged or was altered" + (f": {detail}" if detail else ""))


class EvidenceNotFound(WorkspaceError):
    def __init__(self, evidence_id: str) -> None:
        self.evidence_id = evidence_id
        super().__init__(f"no evidence with ID {evidence_id!r}")


class DuplicateEvidence(WorkspaceError):
    def __init__(self, item_id: str, filename: str) -> None:
        super().__init__(f"the same file is already attached to {item_id} (as {filename!r})")


class InvalidEvidence(WorkspaceError):
    """Evidence metadata or the source file is unusable (unknown kind, unreadable file...)."""


class WeakPassphrase(WorkspaceError):
    pass


class Cancelled(AttestError):
    def __init__(self) -> None:
        super().__init__("cancelled")
