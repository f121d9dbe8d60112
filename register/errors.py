"""Errors of the register: one clear line each (the CLI prints it; the desktop shows it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from questionnaire.errors import AttestError

if TYPE_CHECKING:
    from .verdicts import VerdictValue


class RegisterError(AttestError):
    """Anything the user can act on: no register yet, a refused bundle, an unknown submission."""


class NotInitialised(RegisterError):
    pass


class ReadOnlyRegister(RegisterError):
    """The register was opened read-only, or the database role may only read."""


class BundleRefused(RegisterError):
    """A bundle that is not added: failed verification, an unaccepted key, a replayed ID.
    Nothing of it was stored."""

    def __init__(self, path: str, reason: str, reason_ja: str | None = None) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: not added: {reason}",
                         ja=f"{path}: 追加しませんでした（{reason_ja or reason}）")


class VerdictConflict(RegisterError):
    """Someone else saved this item's verdict since it was read: both values, nothing overwritten."""

    def __init__(self, submission_id: str, item_id: str, mine: VerdictValue, theirs: VerdictValue) -> None:
        self.submission_id = submission_id
        self.item_id = item_id
        self.mine = mine
        self.theirs = theirs
        super().__init__(
            f"{item_id} of submission {submission_id} was changed by {theirs.reviewer or '?'} at "
            f"{theirs.at_text} (now version {theirs.version}) after you read version {mine.version}; "
            f"theirs: {theirs.describe()}; yours (not saved): {mine.describe()}")
