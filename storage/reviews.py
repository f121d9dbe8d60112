"""Imported reviews in the vendor's workspace: sealed like every other record.

Each import is kept (the auditor may send several rounds). The auditor reviews what the
vendor sent, under that submission's ID: a bundle's own ID, or the workspace's ID for a
checklist exported straight from the workspace. ``current_review`` is the one the vendor
acts on, and what the checklist, the report and the desktop show.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from questionnaire.review import Review, ReviewError, from_document

from .actions import apply_review
from .activity import canonical
from .errors import CorruptData
from .faults import review_action
from .models import ReviewRow
from .workspace import Workspace

IMPORT_ACTION = "review.imported"


@dataclass(frozen=True)
class StoredReview:
    id: str
    seq: int
    review: Review


def save_review(ws: Workspace, review: Review) -> str:
    """Store an imported review and log it, in one transaction. Returns its ID."""
    review_id = uuid.uuid4().hex
    sealed = ws.keys.seal(canonical(review.to_document()), f"review:{review_id}")
    with ws.transaction(review_action()) as tx:
        seq = (tx.s.scalar(select(func.max(ReviewRow.seq))) or 0) + 1
        tx.s.add(ReviewRow(id=review_id, seq=seq, sealed=sealed))
        tx.log(IMPORT_ACTION, None, review=review_id, submission_id=review.submission_id,
               source=review.source_name, source_sha256=review.source_sha256,
               findings=len(review.findings), problems=len(review.problems), verdicts=review.counts())
        # every 不適合 / 要確認 becomes a corrective action, in the same transaction
        apply_review(tx, ws, review, review_id)
    return review_id


def stored_reviews(ws: Workspace) -> list[StoredReview]:
    """Every imported review, oldest first."""
    out: list[StoredReview] = []
    with ws.reading() as s:  # a read: works on a read-only workspace too
        rows = list(s.scalars(select(ReviewRow).order_by(ReviewRow.seq)))
    for row in rows:
        plain = ws.keys.open(row.sealed, f"review:{row.id}")
        try:
            review = from_document(json.loads(plain))
        except (ValueError, ReviewError) as exc:
            raise CorruptData(f"review {row.id}", str(exc)) from None
        out.append(StoredReview(row.id, row.seq, review))
    return out


def current_review(ws: Workspace) -> StoredReview | None:
    """The review the vendor sees: the newest import of a review of any submission this
    workspace sent (its bundles' IDs and its own). Import order, not export order, decides:
    what the vendor imported last is what the documents show, with each finding marked
    when the item changed after the reviewer saw it. None when nothing was imported."""
    return latest_review(ws, known_submission_ids(ws))


def latest_review(ws: Workspace, submission_ids: set[str] | None = None) -> StoredReview | None:
    """The newest review (of one of ``submission_ids`` when given)."""
    for stored in reversed(stored_reviews(ws)):
        if submission_ids is None or stored.review.submission_id in submission_ids:
            return stored
    return None


def known_submission_ids(ws: Workspace) -> set[str]:
    """IDs this workspace's answers went out under: its own, and every ID an export
    recorded in the activity log (``submission_id`` in an entry's detail)."""
    ids = {ws.id}
    for entry in ws.activity():
        sid = entry.detail.get("submission_id") if isinstance(entry.detail, dict) else None
        if isinstance(sid, str) and entry.action != IMPORT_ACTION:
            ids.add(sid)
    return ids
