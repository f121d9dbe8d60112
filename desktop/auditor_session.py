"""The auditor's side: verify a bundle, open it into a folder, and keep the review beside it.

Opening is two passes, both in a worker:

1. ``verify`` — ``verify_bundle`` with the auditor's identity: every signature and hash is
   checked while decrypting, and nothing is written to disk; the content is judged against
   the app's own copy of the template version the bundle names (or a template file the
   auditor accepted explicitly), and every conclusion is recomputed. The signed manifest
   then names the vendor, whose pinned key is compared with the one that verified
   (exports/bundle_pins.py), and the submission ID with the ones seen before
   (exports/bundle_seen.py).
2. ``extract`` — only once the auditor has seen the result (and accepted a changed key or
   name): ``open_bundle`` decrypts again, verifying everything a second time while it
   extracts, so a bundle file swapped between the two passes is caught too. Both passes
   can be cancelled at every stage, the checks after the last byte included.

The opened folder holds the decrypted evidence by design (it is what the auditor reads);
by default it is ``<user data dir>/opened-bundles/bundle-<submission ID>``. Opening the same
bundle again reuses that folder, keeping the review, when its files still match the
verified manifest; otherwise a fresh folder is used.

``AuditorSession`` is the read-only form source over the opened folder, plus the
auditor's findings (判定 and 指摘事項 per item), saved to ``review.json`` at every change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from .submission_source import SubmissionSource

if TYPE_CHECKING:
    from exports.bundle import VerifyReport
    from questionnaire.review import Finding, Review, Verdict
    from questionnaire.submission import Submission

FOLDER_PREFIX = "bundle-"
REVIEW_SOURCE = "CCUS Attest (desktop)"


@dataclass(frozen=True)
class OpenRequest:
    bundle: Path
    identity: Path
    signer: str                  # the minisign public key (base64 RW…) the auditor trusts
    folder: Path | None = None   # None: a per-bundle folder under the user data dir
    templates: tuple[Path, ...] = ()  # template files the auditor accepts (versions the app does not ship)


@dataclass(frozen=True)
class Opened:
    folder: Path
    report: VerifyReport
    submission: Submission
    reused: bool                 # an earlier opening of the same bundle was kept (and its review)


def opened_root() -> Path:
    from storage.paths import data_dir

    return data_dir() / "opened-bundles"


def verify(request: OpenRequest, progress=None, cancel=None) -> VerifyReport:
    """Pass 1: check everything, write nothing. Runs in a worker."""
    from exports.bundle import verify_bundle

    return verify_bundle(request.bundle, signer=request.signer, identity=request.identity,
                         progress=progress, cancel=cancel, templates=request.templates)


def seen_before(report: VerifyReport, bundle: Path) -> list[str]:
    """Record this sighting of the submission (exports/bundle_seen.py; sets
    ``report.replay_suspected``); what to tell the auditor about earlier ones."""
    from exports.bundle_seen import SeenStore, sighting_notes

    from . import i18n

    earlier = SeenStore().record(report, "desktop", str(bundle))
    return sighting_notes(report, earlier, i18n.current())


def extract(request: OpenRequest, verified: VerifyReport, progress=None, cancel=None) -> Opened:
    """Pass 2: open the verified bundle into its folder. Runs in a worker."""
    from exports.bundle import open_bundle
    from exports.bundle_opened import load_opened_submission

    manifest = verified.manifest or {}
    folder, reused = _choose_folder(request, manifest)
    report = verified
    if not reused:
        report = open_bundle(request.bundle, folder, signer=request.signer, identity=request.identity,
                             progress=progress, cancel=cancel, templates=request.templates)
        report.notes, report.replay_suspected = list(verified.notes), verified.replay_suspected
    elif progress is not None:
        progress(1, 1)
    # The auditor's own template, not the folder's template.yaml; bounded texts.
    sub, _judging = load_opened_submission(folder, templates=request.templates,
                                           signer_key_id=report.signer_key_id)
    return Opened(folder, report, sub, reused)


def _choose_folder(request: OpenRequest, manifest: dict) -> tuple[Path, bool]:
    if request.folder is not None:
        return request.folder, False  # open_bundle refuses a folder that is not new or empty
    root = opened_root()
    root.mkdir(parents=True, exist_ok=True)
    base = root / f"{FOLDER_PREFIX}{manifest['submission_id']}"
    candidate, n = base, 2
    while candidate.exists():
        if _matches(candidate, manifest):
            return candidate, True
        candidate = base.with_name(f"{base.name}-{n}")
        n += 1
    return candidate, False


def _matches(folder: Path, manifest: dict) -> bool:
    """Whether ``folder`` holds exactly the verified manifest's files, unchanged."""
    import json

    try:
        on_disk = json.loads((folder / "manifest.json").read_text("utf-8"))
        if on_disk != manifest:
            return False
        for member in manifest.get("members", []):
            path = (folder / member["path"]).resolve()
            if not path.is_relative_to(folder.resolve()) or not path.is_file():
                return False
            with path.open("rb") as fh:
                digest = hashlib.file_digest(fh, "sha256")
            if digest.hexdigest() != member["sha256"]:
                return False
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return True


class AuditorSession(SubmissionSource):
    """An opened, verified bundle shown read-only, with the auditor's review of it."""

    review_changed = Signal(str)   # item id
    review_saved = Signal()

    def __init__(self, opened: Opened, parent: QObject | None = None) -> None:
        super().__init__(opened.submission, opened.folder, parent)
        self.opened = opened
        self.report = opened.report
        self.review: Review | None = None
        self.review_error: BaseException | None = None
        self.findings: dict[str, Finding] = {}
        self.last_saved: dt.datetime | None = None
        self.binding = None  # desktop/register_binding.py: verdicts saved in the register too
        self._load_review()

    def bind_register(self, binding) -> None:
        """Opened from the 登録簿: the register's current verdicts replace review.json's, and each
        save goes to the register first (a conflict saves nothing anywhere)."""
        self.binding = binding
        self.findings = binding.findings()

    def _load_review(self) -> None:
        from exports.review import load_review_json
        from questionnaire.review import ReviewError

        try:
            review = load_review_json(self.folder)
            if review is not None and review.submission_id != self.submission.submission_id:
                raise ReviewError("review.json belongs to another submission")
        except ReviewError as exc:
            # Never overwrite a review file we cannot read: recording stays off for this folder.
            self.review_error = exc
            return
        self.review = review
        self.findings = review.findings_by_item() if review else {}

    @property
    def can_review(self) -> bool:
        return self.review_error is None

    def finding(self, item_id: str) -> Finding | None:
        return self.findings.get(item_id)

    def set_finding(self, item_id: str, verdict: Verdict | None, comment: str, reviewer: str,
                    reviewed_on: dt.date | None) -> Finding | None:
        """Record (or clear, when empty) the finding for one item and save review.json."""
        from exports.rows import content_fingerprint
        from questionnaire.answers import clean_text
        from questionnaire.review import MAX_COMMENT_CHARS, MAX_REVIEWER_CHARS, Finding, ReviewError

        self.template.item(item_id)
        try:
            comment = clean_text(comment, MAX_COMMENT_CHARS, "the finding")
            reviewer = clean_text(reviewer, MAX_REVIEWER_CHARS, "the reviewer's name")
        except ValueError as exc:
            raise ReviewError(str(exc)) from None
        findings = dict(self.findings)
        if verdict is None and not comment:
            found = None
            findings.pop(item_id, None)
        else:
            evidence = tuple(self.evidence(item_id))
            found = Finding(item_id, verdict, comment, reviewer, reviewed_on,
                            content_fingerprint(item_id, self.answer(item_id), evidence))
            findings[item_id] = found
        if findings == self.findings:
            return found
        if self.binding is not None:
            from register.errors import VerdictConflict

            try:
                self.binding.save(item_id, verdict, comment)
            except VerdictConflict:
                self.findings = self.binding.findings()  # theirs, as saved
                self.review_changed.emit(item_id)
                raise
        self._save(findings)
        self.review_changed.emit(item_id)
        return found

    def _save(self, findings: dict[str, Finding]) -> None:
        from exports.review import save_review_json
        from questionnaire.review import Review, ReviewError

        if self.review_error is not None:
            raise ReviewError(f"review.json could not be read ({self.review_error}); nothing was saved")
        order = [i.id for i in self.template.items]
        ordered = tuple(findings[i] for i in order if i in findings)
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        tpl = self.template
        review = (replace(self.review, findings=ordered, imported_at=now) if self.review is not None else
                  Review(submission_id=self.submission.submission_id, template_id=tpl.id,
                         template_version=tpl.version, template_sha256=tpl.digest, imported_at=now,
                         source_name=REVIEW_SOURCE, findings=ordered))
        save_review_json(self.folder, review)
        self.review = review
        self.findings = dict(findings)
        self.last_saved = dt.datetime.now()
        self.review_saved.emit()

    def review_counts(self) -> tuple[int, int]:
        """(items with a verdict, items shown in this submission)."""
        shown = sum(1 for s in self.assessment().items.values() if s.visible)
        return sum(1 for f in self.findings.values() if f.verdict is not None), shown
