"""Typed errors of the bundle and key code; ``str()`` is a one-line English message for the CLI."""

from __future__ import annotations

from typing import TYPE_CHECKING

from questionnaire.errors import AttestError
from questionnaire.text import counted

if TYPE_CHECKING:
    from questionnaire.completeness import Problem

    from .bundle_report import VerifyReport


class BundleError(AttestError):
    """A bundle cannot be written, read, verified or opened (``ja=``: see AttestError)."""


class KeyFileError(BundleError):
    """A key file or key string is missing, malformed or unusable."""


class WrongSigningPassphrase(KeyFileError):
    def __init__(self, path: object) -> None:
        self.path = path
        super().__init__(f"wrong passphrase for the signing key {path}")


class BundleIncomplete(BundleError):
    """Export refused: the questionnaire has blocking problems (missing answers, expired evidence)."""

    SHOWN = 3

    def __init__(self, blockers: tuple[Problem, ...]) -> None:
        self.blockers = blockers
        shown = "; ".join(p.message("en") for p in blockers[: self.SHOWN])
        more = f"; and {len(blockers) - self.SHOWN} more" if len(blockers) > self.SHOWN else ""
        super().__init__(
            f"the submission is not complete: {counted(len(blockers), 'blocking problem')}: {shown}{more} "
            "(fix them, or export with --allow-incomplete to send an incomplete submission)"
        )


class OutputExists(BundleError):
    def __init__(self, path: object) -> None:
        self.path = path
        super().__init__(f"{path} already exists (choose another name, or use --force to replace it)")


class BundleVerificationFailed(BundleError):
    """Verification found a problem; ``report`` holds every check."""

    def __init__(self, report: VerifyReport) -> None:
        self.report = report
        super().__init__(f"the bundle failed verification: {report.first_problem()}")


class UnsafeArchive(BundleError):
    """The archive inside a bundle holds something that must not be extracted."""
