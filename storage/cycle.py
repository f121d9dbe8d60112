"""The yearly cycle on disk: next year's workspace from this year's, the deadlines a workspace
knows of, and what changed since the workspace it was carried forward from.

``carry_forward`` opens last year's workspace read-only (storage/readonly.py: not one byte of
it changes), plans what to carry (questionnaire/carryover.py), and builds the new workspace
in its staging folder: its own keys, answers sealed again, every evidence file decrypted
from the old store and encrypted into the new one (in memory or through a pipe, never in
clear on disk), then renamed into place — complete, or not at all. The new workspace never
refers to the old one's files; what it needs of them is copied into its sealed origin
record (storage/origin.py).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from questionnaire import EvidenceInfo, Expiry, Template, default_template
from questionnaire.carryover import CarryPlan, plan_carry
from questionnaire.deadlines import (
    CONTRACT_DATE_ITEM,
    Deadline,
    derive_deadlines,
    period_check_date,
)
from questionnaire.evidence import EXPIRY_WARNING_DAYS

from .actions import copy_actions, workspace_action_deadlines
from .activity import canonical, now_iso
from .crypto import KdfParams
from .errors import WorkspaceError
from .models import AnswerRow, CarriedRow, EvidenceRow
from .origin import Origin
from .progress import CancelFn, Meter, ProgressFn
from .workspace import Workspace

# Other modules add their dates here (the corrective actions' due dates, Art. 4(2)): each
# source is called with the open workspace and the day, and returns Deadline objects with
# keys of their own ("corrective-action-<ID>").
DeadlineSource = Callable[[Workspace, dt.date], Iterable[Deadline]]
DEADLINE_SOURCES: list[DeadlineSource] = [workspace_action_deadlines]

IN_MEMORY_LIMIT = 16 * 1024 * 1024  # a file up to this size is re-encrypted through memory
EVIDENCE_BATCH = 250                 # evidence rows per transaction while carrying


# --- dates -------------------------------------------------------------------------------


def effective_contract_date(ws: Workspace) -> dt.date | None:
    """The contract date the workspace holds, else the answer to CHG-04 (the same reading
    ``derive_deadlines`` makes)."""
    if ws.contract_date is not None:
        return ws.contract_date
    answer = ws.answers().get(CONTRACT_DATE_ITEM)
    if ws.template.has_item(CONTRACT_DATE_ITEM) and answer is not None and isinstance(answer.value, str):
        try:
            return dt.date.fromisoformat(answer.value)
        except ValueError:
            return None
    return None


def workspace_deadlines(ws: Workspace, on: dt.date | None = None) -> list[Deadline]:
    """Every deadline of the workspace, overdue first."""
    on = on or dt.date.today()
    extra = [d for source in DEADLINE_SOURCES for d in source(ws, on)]
    return derive_deadlines(ws.template, ws.answers(), ws.evidence(), on=on,
                            contract_date=ws.contract_date, extra=extra)


def check_date(ws: Workspace, today: dt.date | None = None) -> dt.date | None:
    """The day the period's evidence must be valid on (None: the workspace has no period)."""
    if ws.period is None:
        return None
    return period_check_date(ws.period, effective_contract_date(ws), today or dt.date.today())


def flagged_evidence(evidence: Iterable[EvidenceInfo], on: dt.date) -> list[EvidenceInfo]:
    """Evidence expired on ``on`` or expiring within 90 days of it: to be replaced."""
    return [e for e in evidence if e.expiry(on, EXPIRY_WARNING_DAYS) in (Expiry.EXPIRED, Expiry.EXPIRING)]


# --- carry forward -----------------------------------------------------------------------


def _version_key(version: str) -> tuple:
    parts = []
    for part in version.split("."):
        parts.append((0, int(part), "") if part.isdigit() else (1, 0, part))
    return tuple(parts)


def choose_template(old: Template, current: Template) -> Template:
    """The app's current template when it is a newer version of the old one; else the old
    one (an official or custom template, or the same version, stays what it was)."""
    if old.id == current.id and _version_key(current.version) > _version_key(old.version):
        return current
    return old


@dataclass(frozen=True)
class CarryReport:
    """What ``carry_forward`` did: for the CLI's summary and the desktop's result page."""

    path: Path
    workspace_id: str
    period: int
    origin: Origin
    plan: CarryPlan
    check_date: dt.date
    flagged: tuple[EvidenceInfo, ...]    # carried evidence expired/expiring on the check date
    carried_bytes: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "workspace": str(self.path), "workspace_id": self.workspace_id, "period": self.period,
            "origin": self.origin.summary(), "check_date": self.check_date.isoformat(),
            **self.plan.summary(),
            "flagged_evidence": [{**e.as_dict(), "expiry": str(e.expiry(self.check_date))}
                                 for e in self.flagged],
        }


def _last_export(entries) -> dict[str, Any] | None:
    for entry in reversed(entries):
        if entry.action == "bundle.exported":
            return {**entry.detail, "seq": entry.seq, "at": entry.at}
    return None


def default_period(old: Workspace) -> int:
    base = old.period if old.period is not None else int(old.created_at[:4])
    return base + 1


def carry_forward(old_path: str | Path, old_passphrase: str, new_path: str | Path, new_passphrase: str, *,
                  period: int | None = None, template: Template | None = None, vendor: str | None = None,
                  kdf: KdfParams | None = None, today: dt.date | None = None,
                  progress: ProgressFn | None = None, cancel: CancelFn | None = None,
                  ) -> tuple[Workspace, CarryReport]:
    """Make ``new_path`` next year's workspace from ``old_path`` (opened read-only). Returns the
    new workspace, open, and the report. ``template``: the new workspace's template (default:
    the app's own when newer than the old workspace's, else the old workspace's)."""
    old_path, new_path = Path(old_path).absolute(), Path(new_path).absolute()
    if new_path == old_path or old_path in new_path.parents:
        raise WorkspaceError("the new workspace must be a folder outside last year's workspace",
                             ja="新しいワークスペースは前年度のワークスペースの外のフォルダーにしてください")
    today = today or dt.date.today()
    with Workspace.open_readonly(old_path, old_passphrase) as old:
        entries = old.activity()
        problems = old.verify_activity(entries)
        if problems:
            raise WorkspaceError(f"last year's activity log is damaged ({problems[0]}); "
                                 "run `check` on it before carrying it forward",
                                 ja=f"前年度の操作履歴が壊れています（{problems[0]}）。引き継ぐ前に "
                                    "`check` で確認してください")
        new_template = template or choose_template(old.template, default_template())
        plan = plan_carry(old.template, new_template, old.answers(), old.evidence())
        period = period if period is not None else default_period(old)
        origin = Origin(
            workspace_id=old.id, period=old.period, log_head=old.log_head,
            template=(old.template.id, old.template.version, old.template.digest),
            lineage=old.lineage, carried_at=now_iso(), vendor=old.vendor,
            evidence=tuple(e.as_dict() for e in plan.evidence), previous_export=_last_export(entries),
            dropped=tuple(d.as_dict() for d in (*plan.dropped, *plan.notices)),
        )
        total = sum(e.size for e in plan.evidence)
        meter = Meter(total, progress, cancel)
        meter.tick()
        contract = old.contract_date

        def populate(ws: Workspace) -> None:
            _write_answers(ws, plan)
            _copy_evidence(old, ws, plan.evidence, meter, cancel)
            if contract is not None:
                ws.set_contract_date(contract)
            with ws.transaction() as tx:
                carried_actions = copy_actions(old, ws, tx)
            ws.record_activity(
                "cycle.carried_forward", None, actions=carried_actions, origin=old.id,
                answers=len(plan.answers),
                evidence=len(plan.evidence), dropped=len(plan.dropped),
                changed_question=sum(m.changed_question for m in plan.marks.values()),
                template_from=f"{old.template.id} {old.template.version}",
                template_to=f"{new_template.id} {new_template.version}")
            meter.tick()  # the last moment a cancel is honoured: nothing is visible yet

        new = Workspace.create(new_path, new_passphrase, vendor=old.vendor if vendor is None else vendor,
                               template=new_template, kdf=kdf, period=period, origin=origin,
                               populate=populate)
    try:
        day = check_date(new, today)
        assert day is not None
        report = CarryReport(new.path, new.id, period, origin, plan, day,
                             tuple(flagged_evidence(new.evidence(), day)), total)
    except BaseException:
        new.close()
        raise
    if progress is not None:
        progress(total, total)
    return new, report


def _write_answers(ws: Workspace, plan: CarryPlan) -> None:
    """Every carried answer and its mark, one transaction; the log records each answer."""
    seal = ws.keys.seal
    with ws.transaction() as tx:
        if plan.answers:  # one INSERT per table (SQLAlchemy's bulk insert), not an ORM object per row
            tx.s.execute(insert(AnswerRow), [
                {"item_id": i, "revision": 1, "sealed": seal(canonical(a.as_dict()), f"answer:{i}")}
                for i, a in plan.answers.items()])
            tx.s.execute(insert(CarriedRow), [
                {"item_id": i, "sealed": seal(canonical(plan.marks[i].as_dict()), f"carried:{i}")}
                for i in plan.answers])
        tx.log_many(("answer.set", item_id, {"value": answer.value, "note": answer.note, "carried": True,
                                             "changed_question": plan.marks[item_id].changed_question})
                    for item_id, answer in plan.answers.items())
    ws._answers.update(plan.answers)
    ws._carried.update(plan.marks)


class _PipeReader:
    """The read end of an OS pipe another thread decrypts into: plaintext stays in memory."""

    def __init__(self, fd: int) -> None:
        self._fh = os.fdopen(fd, "rb", buffering=1 << 20)

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        return self._fh.read(n)

    def close(self) -> None:
        self._fh.close()


def _reencrypt(old: Workspace, new: Workspace, info: EvidenceInfo, meter: Meter, cancel: CancelFn | None):
    """Decrypt one of ``old``'s files and encrypt it into ``new``'s store; the content is checked
    against the SHA-256 recorded when it was attached, on both sides."""
    blob_id = old.blob_id_of(info.id)
    if info.size <= IN_MEMORY_LIMIT:
        # read() checks the plaintext against the SHA-256 recorded at attach time; the same
        # bytes are encrypted for the new store (which is in its staging folder), hashed once
        buf = io.BytesIO()
        old._blobs.read(blob_id, buf, name=info.filename, sha256=info.sha256, total=info.size)
        stored = new._blobs.put_staged(buf.getvalue())
        meter.add(info.size)
        return stored
    else:
        read_fd, write_fd = os.pipe()
        errors: list[BaseException] = []

        def produce() -> None:
            with os.fdopen(write_fd, "wb", buffering=1 << 20) as out:
                try:
                    old._blobs.read(blob_id, out, name=info.filename, sha256=info.sha256, total=info.size,
                                    cancel=lambda: bool(errors))
                except BaseException as exc:  # reported by the consumer below
                    errors.append(exc)

        thread = threading.Thread(target=produce, name="carry-decrypt", daemon=True)
        thread.start()
        reader = _PipeReader(read_fd)
        try:
            stored = new._blobs.put(reader, info.size, cancel=cancel, durable=False)
        except BaseException as exc:
            errors.append(exc)
            raise
        finally:
            reader.close()
            thread.join()
        if errors:
            raise errors[0]
    if stored.sha256 != info.sha256:
        raise WorkspaceError(f"evidence file {info.filename!r} changed while it was copied",
                             ja=f"証跡ファイル {info.filename!r} がコピー中に変わりました")
    meter.add(info.size)
    return stored


def _copy_evidence(old: Workspace, new: Workspace, evidence: Iterable[EvidenceInfo], meter: Meter,
                   cancel: CancelFn | None) -> None:
    """Re-encrypt every carried file; rows in batches, each logged as added (carried)."""
    stored_by_old_blob: dict[str, Any] = {}
    batch: list[tuple[EvidenceInfo, Any]] = []

    def flush() -> None:
        if not batch:
            return
        with new.transaction() as tx:
            # one INSERT per table for the batch (SQLAlchemy's bulk insert), not an ORM object a row
            tx.s.execute(insert(EvidenceRow), [
                {"id": info.id, "item_id": info.item_id, "blob_id": stored.blob_id,
                 "sealed": new._seal_evidence(info, stored.blob_id)} for info, stored in batch])
            tx.log_many(("evidence.added", info.item_id,
                         {"evidence": info.id, "filename": info.filename, "kind": info.kind,
                          "size": info.size, "sha256": info.sha256, "carried": True}) for info, _ in batch)
        for info, stored in batch:
            new._evidence[info.id] = (info, stored.blob_id)
        batch.clear()
        meter.tick()

    for info in evidence:
        old_blob = old.blob_id_of(info.id)
        stored = stored_by_old_blob.get(old_blob)
        if stored is None:  # the same file on two items is stored once, as in the old store
            stored = stored_by_old_blob[old_blob] = _reencrypt(old, new, info, meter, cancel)
        else:
            meter.add(info.size)
        batch.append((info, stored))
        if len(batch) >= EVIDENCE_BATCH:
            flush()
    flush()
    new._blobs.sync_all()


# --- what changed since the origin ---------------------------------------------------------


@dataclass(frozen=True)
class OriginChanges:
    """This workspace against what was carried into it (nothing read from the old workspace).

    ``answers``: item -> "unchanged" | "changed" | "removed" for carried answers (a value or
    note differing from what was carried, or an answer cleared), "new" for answers that were
    not carried. Evidence by ID (a carried file keeps its ID, and so does a replacement).
    """

    answers: dict[str, str]
    evidence_added: tuple[EvidenceInfo, ...]
    evidence_removed: tuple[dict[str, Any], ...]
    evidence_replaced: tuple[tuple[dict[str, Any], EvidenceInfo], ...]
    dropped: tuple[dict[str, Any], ...]

    def changed_items(self) -> list[str]:
        return [i for i, what in self.answers.items() if what != "unchanged"]

    def as_dict(self) -> dict[str, Any]:
        return {"answers": self.answers,
                "evidence_added": [e.as_dict() for e in self.evidence_added],
                "evidence_removed": list(self.evidence_removed),
                "evidence_replaced": [{"old": o, "new": n.as_dict()} for o, n in self.evidence_replaced],
                "dropped": list(self.dropped)}


def changes_since_origin(ws: Workspace) -> OriginChanges | None:
    """What changed since the workspace was carried forward (None: it was not)."""
    origin = ws.origin
    if origin is None:
        return None
    answers = ws.answers()
    marks = ws.carried()
    out: dict[str, str] = {}
    for item in ws.template.items:
        mark, answer = marks.get(item.id), answers.get(item.id)
        if mark is None:
            if answer is not None:
                out[item.id] = "new"
        elif answer is None:
            out[item.id] = "removed"
        else:
            same = (answer.value, answer.note) == (mark.origin_value, mark.origin_note)
            out[item.id] = "unchanged" if same else "changed"
    before = {e["id"]: e for e in origin.evidence}
    now = {e.id: e for e in ws.evidence()}
    return OriginChanges(
        answers=out,
        evidence_added=tuple(e for i, e in now.items() if i not in before),
        evidence_removed=tuple(e for i, e in before.items() if i not in now),
        evidence_replaced=tuple((before[i], e) for i, e in now.items()
                                if i in before and before[i].get("sha256") != e.sha256),
        dropped=origin.dropped,
    )
