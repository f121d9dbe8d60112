"""Corrective actions in the vendor's workspace (questionnaire/corrective.py), sealed like every
other record, each change in the activity log.

An imported review (storage/reviews.py) calls ``apply_review`` in its own transaction: every
不適合 / 要確認 finding becomes an action, or updates the open one of its item (a finding
repeated on an action marked done reopens it); an item the auditor now finds 適合 verifies
its open action — 検証済み is the auditor's word, never the vendor's.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, inspect, select

from questionnaire.corrective import (
    ActionError,
    ActionStatus,
    CorrectiveAction,
    action_deadlines,
    default_grade,
    edited,
    grades,
)
from questionnaire.review import Review, Verdict

from .activity import canonical, now_iso
from .errors import CorruptData
from .models import ActionRow

if TYPE_CHECKING:
    from .workspace import Workspace, _Tx

CREATED = "action.created"
UPDATED = "action.updated"


def _seal(ws: Workspace, action: CorrectiveAction) -> bytes:
    doc = {**action.as_dict(), "history": list(action.history)}
    return ws.keys.seal(canonical(doc), f"action:{action.id}")


def _open(ws: Workspace, row_id: str, sealed: bytes) -> CorrectiveAction:
    from questionnaire.corrective import from_document

    doc = json.loads(ws.keys.open(sealed, f"action:{row_id}"))
    history = doc.pop("history", [])
    try:
        # the same strict reading as the auditor's; the evidence it links may have been removed since
        (action,) = from_document({"format": "ccus-attest/corrective-actions/v1", "actions": [doc]},
                                  ws.template, doc.get("evidence_ids") or ())
    except ActionError as exc:
        raise CorruptData(f"corrective action {row_id}", str(exc)) from None
    if action.id != row_id:
        raise CorruptData(f"corrective action {row_id}", "sealed under another ID")
    return replace(action, history=tuple(history))


def actions(ws: Workspace) -> list[CorrectiveAction]:
    """Every corrective action, in creation order (none in a workspace older than the table)."""
    with ws.reading(wait_for_changes=False) as s:  # one table, one read: a committed state
        return _load(ws, s)


def _load(ws: Workspace, s) -> list[CorrectiveAction]:
    if not inspect(s.connection()).has_table(ActionRow.__tablename__):
        return []  # last year's workspace opened read-only, before its migration
    rows = [(r.id, r.sealed) for r in s.scalars(select(ActionRow).order_by(ActionRow.seq))]
    return [_open(ws, row_id, sealed) for row_id, sealed in rows]


def get_action(ws: Workspace, action_id: str) -> CorrectiveAction:
    key = action_id.strip().upper()
    for action in actions(ws):
        if action.id == key:
            return action
    raise ActionError(f"no corrective action {action_id!r} in this workspace (see `actions`)")


def _store(tx: _Tx, ws: Workspace, action: CorrectiveAction, *, new: bool) -> None:
    if new:
        seq = (tx.s.scalar(select(func.max(ActionRow.seq))) or 0) + 1
        tx.s.add(ActionRow(id=action.id, seq=seq, sealed=_seal(ws, action)))
    else:
        tx.s.get(ActionRow, action.id).sealed = _seal(ws, action)


def _log(tx: _Tx, what: str, action: CorrectiveAction, **extra: Any) -> None:
    # what the auditor's side compares with corrective-actions.json (exports/bundle_actions.py)
    tx.log(what, action.item_id, action_id=action.id, status=action.status.value,
           due=action.due.isoformat() if action.due else None, grade=action.grade,
           evidence=list(action.evidence_ids), **extra)


def _grade(template, given: str, otherwise: str) -> str:
    """The auditor's grade when it is one of this workspace's scale, else ``otherwise`` (review.json
    is checked field by field, but its grade could name another template's scale)."""
    return given if given in {g.id for g in grades(template)} else otherwise


def _next_id(tx: _Tx) -> str:
    n = tx.s.scalar(select(func.count()).select_from(ActionRow)) or 0
    return f"CA-{n + 1:03d}"


def apply_review(tx: _Tx, ws: Workspace, review: Review, review_id: str) -> list[str]:
    """Turn the review's findings into corrective actions (inside the import's transaction).
    Returns the IDs created or changed."""
    # read in the import's own session: a second connection would wait on its write lock
    existing = {a.item_id: a for a in _load(ws, tx.s) if a.status is not ActionStatus.VERIFIED}
    at = now_iso()
    touched: list[str] = []
    for finding in review.findings:
        current = existing.get(finding.item_id)
        if finding.verdict in (Verdict.NONCONFORMING, Verdict.NEEDS_CHECK):
            verdict = "nonconforming" if finding.verdict is Verdict.NONCONFORMING else "needs_check"
            if current is None:
                action = CorrectiveAction(
                    id=_next_id(tx), item_id=finding.item_id, verdict=verdict, finding=finding.comment,
                    grade=_grade(ws.template, finding.grade, default_grade(ws.template, verdict)),
                    reviewer=finding.reviewer,
                    reviewed_on=finding.reviewed_on, submission_id=review.submission_id,
                    created_at=at, updated_at=at,
                    history=({"at": at, "event": "created", "review": review_id},))
                _store(tx, ws, action, new=True)
                _log(tx, CREATED, action, review=review_id)
                existing[action.item_id] = action
                touched.append(action.id)
                continue
            reopen = current.status is ActionStatus.DONE
            grade = _grade(ws.template, finding.grade, current.grade)
            action = replace(current, verdict=verdict, finding=finding.comment, reviewer=finding.reviewer,
                             grade=grade,
                             reviewed_on=finding.reviewed_on, submission_id=review.submission_id,
                             status=ActionStatus.IN_PROGRESS if reopen else current.status,
                             closed_on=None if reopen else current.closed_on, updated_at=at,
                             history=(*current.history, {"at": at, "event": "reopened" if reopen else
                                                         "finding_updated", "review": review_id}))
            if action != current:
                _store(tx, ws, action, new=False)
                _log(tx, UPDATED, action, review=review_id, reopened=reopen)
                existing[action.item_id] = action
                touched.append(action.id)
        elif finding.verdict is Verdict.CONFORMS and current is not None:
            action = replace(current, status=ActionStatus.VERIFIED, verified_on=finding.reviewed_on or
                             dt.date.today(), verified_by=finding.reviewer, updated_at=at,
                             history=(*current.history, {"at": at, "event": "verified", "review": review_id}))
            _store(tx, ws, action, new=False)
            _log(tx, UPDATED, action, review=review_id, verified=True)
            touched.append(action.id)
    return touched


def update_action(ws: Workspace, action_id: str, *, today: dt.date | None = None,
                  add_evidence: Iterable[str] = (), **changes: Any) -> CorrectiveAction:
    """The vendor's changes to one action (questionnaire/corrective.edited), logged."""
    current = get_action(ws, action_id)
    at = now_iso()
    action = edited(current, ws.template, at=at, today=today or dt.date.today(), **changes)
    links = list(action.evidence_ids)
    known = {e.id for e in ws.evidence()}
    for evidence_id in add_evidence:
        if evidence_id not in known:
            raise ActionError(f"no evidence {evidence_id!r} in this workspace")
        if evidence_id not in links:
            links.append(evidence_id)
    if tuple(links) != action.evidence_ids:
        action = replace(action, evidence_ids=tuple(links), updated_at=at)
    if action == current:
        return current
    before = current.as_dict()
    changed = sorted(k for k, v in action.as_dict().items() if v != before[k] and k != "updated_at")
    action = replace(action, history=(*current.history, {"at": at, "event": "edited", "fields": changed}))
    with ws.transaction() as tx:
        _store(tx, ws, action, new=False)
        _log(tx, UPDATED, action, fields=changed)
    return action


def copy_actions(old: Workspace, new: Workspace, tx: _Tx) -> int:
    """Carry last year's corrective actions forward (with their IDs and history): an open one is
    still to be done, a closed one is what the auditor compares with."""
    # an action on a question the new template dropped stays in last year's workspace
    carried = [a for a in actions(old) if new.template.has_item(a.item_id)]
    present = {i.id for i in new.evidence()}
    for action in carried:
        links = tuple(e for e in action.evidence_ids if e in present)
        action = replace(action, evidence_ids=links)
        _store(tx, new, action, new=True)
        _log(tx, CREATED, action, carried=True)
    return len(carried)


def workspace_action_deadlines(ws: Workspace, _on: dt.date) -> list:
    return action_deadlines(actions(ws))
