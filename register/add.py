"""Adding bundles to the register: the auditor's full verification, then the register's pins,
then everything in one transaction.

For each bundle:

1. the file is copied into the store's incoming folder (hashed on the way); that copy is what
   is verified and kept, so the stored bytes are the verified bytes;
2. a bundle whose SHA-256 is already in the register is skipped (``add`` is idempotent);
3. ``verify_bundle`` with the auditor's identity, against the key the bundle *claims*
   (signer.pub) — the claim is only a hint: what decides is step 4;
4. the register's pins (``signing_key``): the vendor named by the signed manifest and the key
   that verified must agree with what the register holds. A vendor seen for the first time
   needs ``trust_new_signer``; a vendor with another key, a key pinned under another vendor
   name, or a vendor's retired key needs ``accept_key_change`` (the auditor confirmed the key
   ID with the vendor by another channel) — never a silent re-pin;
5. a submission ID already registered with another signed payload is refused (re-signed or
   replayed: no export of the app reuses an ID);
6. one transaction: vendor, key, submission, one review row per template item, evidence
   metadata, corrective actions; the file moves into the store before the commit (the
   database never names a missing file) and is removed again if the commit fails.

A bundle that fails any step is refused with one line naming why, and nothing of it is
stored: no row, no file.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from exports import bundle_format as bf
from exports.bundle_pins import fold, vendor_label
from exports.bundle_report import JST, VerifyReport
from questionnaire.completeness import Outcome
from storage.errors import Cancelled
from storage.progress import CancelFn

from .db import Register, os_user
from .errors import BundleRefused, RegisterError
from .models import (
    CorrectiveAction,
    Evidence,
    ItemReview,
    SigningKey,
    StoredBundle,
    Submission,
    Vendor,
)
from .store import Staged

log = logging.getLogger("ccus_attest.register")

ADDED = "added"
ALREADY = "already"

# A bundle's corrective actions (the yearly-cycle format) are bounded like every other text.
MAX_ACTIONS = 1000
MAX_ACTION_TEXT = 8000


@dataclass(frozen=True)
class AddResult:
    path: Path
    status: str              # ADDED | ALREADY
    submission_id: str
    vendor: str
    detail: str              # one English line (the pin decision, or why it was already there)


# (index, count, bundle path, bytes done, bytes total)
AddProgress = Callable[[int, int, Path, int, int], None]


def fiscal_year(when: dt.datetime) -> int:
    """年度: April to March, in Japan time (the certification cycle is yearly, Art. 6-1(1), 13)."""
    local = when.astimezone(JST)
    return local.year if local.month >= 4 else local.year - 1


def claimed_key(path: Path) -> str | None:
    """The base64 key in the bundle's signer.pub (unverified: only a hint), or None."""
    from exports.bundle_zip import ContainerError, read_container, read_member
    from exports.errors import KeyFileError
    from exports.keys import PublicSigningKey

    try:
        with path.open("rb") as fh:
            entries = read_container(fh, path.stat().st_size)
            data = read_member(fh, entries[bf.SIGNER_PUB], bf.MAX_SIGNER_PUB_BYTES)
        return PublicSigningKey.from_file_bytes(data).base64
    except (OSError, ContainerError, KeyFileError, KeyError):
        return None


def add_bundles(reg: Register, paths: Sequence[str | Path], *, identity, trust_new_signer: bool = False,
                accept_key_change: bool = False, templates: Sequence[str | Path] = (),
                progress: AddProgress | None = None, cancel: CancelFn | None = None,
                on_result: Callable[[AddResult | BundleRefused], None] | None = None,
                ) -> list[AddResult | BundleRefused]:
    """Add each bundle (each in its own transaction); a refused bundle does not stop the others.
    Returns one AddResult or BundleRefused per path, in order."""
    from exports.keys import load_identities

    ids = load_identities(identity)  # a bad identity file is the caller's mistake: raise at once
    store = reg.store
    store.check_writable()
    out: list[AddResult | BundleRefused] = []
    for n, raw in enumerate(paths):
        path = Path(raw)

        def step(done: int, total: int, _n=n, _path=path) -> None:
            if progress is not None:
                progress(_n, len(paths), _path, done, total)

        try:
            result: AddResult | BundleRefused = _add_one(
                reg, path, ids, trust_new_signer=trust_new_signer, accept_key_change=accept_key_change,
                templates=templates, progress=step, cancel=cancel)
        except BundleRefused as refused:
            result = refused
        out.append(result)
        if on_result is not None:
            on_result(result)
    return out


def _add_one(reg: Register, path: Path, identities, *, trust_new_signer: bool, accept_key_change: bool,
             templates: Sequence[str | Path], progress, cancel: CancelFn | None) -> AddResult:
    from exports.bundle import verify_bundle
    from exports.errors import BundleError

    if not path.is_file():
        raise BundleRefused(str(path), "no such file", "ファイルがありません")
    store = reg.store
    staged = store.stage(path)
    try:
        with reg.unit() as s:
            known = s.scalar(select(Submission).where(Submission.bundle_sha256 == staged.sha256))
            if known is not None:
                return AddResult(path, ALREADY, known.id, known.vendor.name,
                                 f"already in the register (the same file, added {known.added_at:%Y-%m-%d})")
        signer = claimed_key(staged.path)
        if signer is None:
            raise BundleRefused(str(path), "not a CCUS Attest bundle (no readable signer.pub in a canonical "
                                           "bundle container)",
                                "CCUS Attest の提出バンドルではありません（正しい形の入れ物に"
                                "読める signer.pub "
                                "がありません）")
        try:
            report = verify_bundle(staged.path, signer=signer, identity=identities, progress=progress,
                                   cancel=cancel, templates=templates)
        except Cancelled:
            raise
        except BundleError as exc:
            raise BundleRefused(str(path), str(exc)) from None
        if not report.ok:
            raise BundleRefused(str(path), f"verification failed: {report.first_problem()}",
                                f"検証に失敗しました: {report.first_problem('ja')}")
        if report.submission is None or report.assessment is None or report.judged_with is None:
            raise BundleRefused(str(path), "verification did not judge the contents")  # never with ok
        try:
            return _record(reg, path, staged, report, trust_new_signer=trust_new_signer,
                           accept_key_change=accept_key_change)
        except IntegrityError:
            # Another auditor added the same submission, or the same new vendor, between our
            # reads and our commit (PostgreSQL): once more, now seeing their rows.
            log.info("concurrent add of %s; retrying once", path)
            return _record(reg, path, staged, report, trust_new_signer=trust_new_signer,
                           accept_key_change=accept_key_change)
    finally:
        store.discard(staged)


def _pin(s: Session, reg: Register, report: VerifyReport, path: Path, *, trust_new_signer: bool,
         accept_key_change: bool, now: dt.datetime) -> tuple[Vendor, SigningKey, str]:
    """The register's pins: the vendor and the key that signed, or a refusal naming why."""
    key_id = report.signer_key_id or ""
    public_key = report.signer_public_key or ""
    label = vendor_label(report.vendor or "", key_id)
    vendor = s.scalar(select(Vendor).where(Vendor.name_key == fold(label)))
    same_key = s.scalars(select(SigningKey).where(SigningKey.public_key == public_key)).all()
    elsewhere = [k for k in same_key if vendor is None or k.vendor_id != vendor.id]
    current = None if vendor is None else next((k for k in vendor.keys if k.retired_at is None), None)
    mine = None if vendor is None else next((k for k in vendor.keys if k.public_key == public_key), None)
    problems = []
    if vendor is not None and (mine is None or mine.retired_at is not None):
        was = f"key {current.key_id} (pinned {current.pinned_at:%Y-%m-%d})" if current else "another key"
        problems.append(f"{label!r} is pinned to {was}, but this bundle is signed by "
                        f"{'its retired key' if mine else 'key'} {key_id}")
    if elsewhere:
        names = ", ".join(sorted({repr(k.vendor.name) for k in elsewhere})[:3])
        problems.append(f"key {key_id} is pinned for {names}, but this bundle calls its vendor {label!r}")
    if problems:
        if not accept_key_change:
            raise BundleRefused(str(path), "; ".join(problems) + "; confirm the key ID with the vendor "
                                "by another channel, then repeat with --accept-key-change",
                                "署名鍵が変わりました（" + "; ".join(problems) + "）。"
                                "鍵 ID をベンダーに別の手段で"
                                "確かめてから --accept-key-change を付けてやり直してください")
        how, detail = "accepted-change", "ACCEPTED by you: " + "; ".join(problems) + "; now pinned"
    elif vendor is None:
        if not trust_new_signer:
            raise BundleRefused(str(path), f"first bundle of {label!r} (key {key_id}): confirm the key ID "
                                "with the vendor by another channel, then repeat with --trust-new-signer",
                                f"{label!r} の最初の提出バンドルです（鍵 {key_id}）。"
                                "鍵 ID をベンダーに別の手段で"
                                "確かめてから --trust-new-signer を付けてやり直してください")
        how, detail = "trusted-new", f"first bundle of {label!r}: key {key_id} pinned (trusted by you)"
    else:
        return vendor, mine, f"key {key_id} is the one pinned for {label!r}"
    if vendor is None:
        vendor = Vendor(name=label, name_key=fold(label), created_at=now)
        s.add(vendor)
    for old in vendor.keys:
        if old.retired_at is None and old.public_key != public_key:
            old.retired_at = now
    if mine is not None:
        mine.retired_at = None  # a retired key taken back, explicitly
        mine.how, mine.pinned_at, mine.pinned_by = how, now, reg.who
        return vendor, mine, detail
    key = SigningKey(vendor=vendor, public_key=public_key, key_id=key_id, pinned_at=now, pinned_by=reg.who,
                     how=how)
    s.add(key)
    return vendor, key, detail


def _record(reg: Register, path: Path, staged: Staged, report: VerifyReport, *, trust_new_signer: bool,
            accept_key_change: bool) -> AddResult:
    sid = report.submission_id or ""
    now = dt.datetime.now(dt.UTC)
    store = reg.store
    placed = None
    try:
        with reg.unit() as s:
            existing = s.get(Submission, sid)
            if existing is not None:
                if existing.payload_blake2b == report.payload_digest:
                    return AddResult(path, ALREADY, sid, existing.vendor.name,
                                     "already in the register (the same signed payload in another file)")
                raise BundleRefused(str(path), f"submission {sid} is already in the register with a "
                                    "DIFFERENT signed payload: re-signed or replayed (no export reuses "
                                    "an ID)",
                                    f"提出 {sid} は、署名された中身が異なるものとしてすでに台帳にあります"
                                    "（署名し直しか再送です。書き出しが同じ ID を使うことはありません）")
            vendor, key, detail = _pin(s, reg, report, path, trust_new_signer=trust_new_signer,
                                       accept_key_change=accept_key_change, now=now)
            s.flush()
            _insert_submission(s, reg, report, vendor, key, staged, path, now)
            had_file = store.has(staged.sha256)
            s.flush()  # every constraint checked before the file moves
            placed = store.commit(staged)
            if had_file:
                placed = None  # not ours to remove
        return AddResult(path, ADDED, sid, vendor.name, detail)
    except BaseException:
        if placed is not None:
            placed.unlink(missing_ok=True)
        raise


def _insert_submission(s: Session, reg: Register, report: VerifyReport, vendor: Vendor, key: SigningKey,
                       staged: Staged, path: Path, now: dt.datetime) -> None:
    sub, a, judged = report.submission, report.assessment, report.judged_with
    manifest = report.manifest or {}
    exported = report.exported_at
    if s.get(StoredBundle, staged.sha256) is None:
        s.add(StoredBundle(sha256=staged.sha256, size=staged.size, original_name=path.name[:255],
                           stored_at=now))
    # everything already here reached the register before this one: with the same signed second
    # it still comes first (models.later_than is the one order)
    previous = s.scalar(select(Submission.id).where(Submission.vendor_id == vendor.id,
                                                    Submission.exported_at <= exported)
                        .order_by(Submission.exported_at.desc(), Submission.added_at.desc(),
                                  Submission.id.desc()).limit(1)) if vendor.id else None
    claimed_previous = manifest.get("previous_submission_id") or manifest.get("previous_submission")
    expiries = [e.expires for e in sub.evidence if e.expires is not None]
    row = Submission(
        id=report.submission_id, vendor=vendor, signing_key=key, signer_key_id=key.key_id,
        exported_at=exported, fiscal_year=fiscal_year(exported),
        template_id=judged.template.id, template_version=judged.template.version,
        template_sha256=judged.template.digest, template_official=judged.official,
        template_source=str(judged.source)[:500], previous_id=previous,
        claimed_previous_id=claimed_previous[:64] if isinstance(claimed_previous, str) else None,
        bundle_sha256=staged.sha256, payload_blake2b=report.payload_digest or "", verified=report.ok,
        checks_json=json.dumps([c.as_dict() for c in report.checks], ensure_ascii=False),
        assessed_on=a.on, can_submit=a.can_submit, required=a.required, complete=a.complete,
        conforming=a.count(Outcome.CONFORMING), needs_improvement=a.count(Outcome.NEEDS_IMPROVEMENT),
        non_conforming=a.count(Outcome.NON_CONFORMING), unanswered=a.count(Outcome.UNANSWERED),
        blockers=len(a.blockers), warnings=len(a.warnings),
        next_expiry=min(expiries) if expiries else None,
        review_state="unreviewed", review_items=sum(st.visible for st in a.items.values()), reviewed_items=0,
        open_findings=0, added_at=now, added_by=reg.who)
    s.add(row)
    s.flush()
    s.add_all(ItemReview(submission_id=row.id, item_id=item.id, position=n, section_id=item.section_id,
                         outcome=str(a.items[item.id].outcome) if item.id in a.items else str(Outcome.HIDDEN),
                         verdict=None, comment="", reviewer=None, reviewed_at=None)
              for n, item in enumerate(judged.template.items))
    s.add_all(Evidence(submission_id=row.id, position=n, item_id=e.item_id, kind=e.kind[:64],
                       title=e.title[:500], filename=e.filename[:500], issuer=e.issuer[:500],
                       number=e.number[:500], issued=e.issued, expires=e.expires, size=e.size,
                       sha256=e.sha256)
              for n, e in enumerate(sub.evidence))
    s.add_all(CorrectiveAction(submission_id=row.id, **fields) for fields in _actions(manifest, sub.extra))


def _actions(manifest: dict[str, Any], extra: dict[str, Any]) -> list[dict[str, Any]]:
    """Corrective actions a bundle carries (the yearly-cycle format; none before it). Taken
    leniently but bounded: an entry that is not an item with a text is left out."""
    raw = manifest.get("corrective_actions", extra.get("corrective_actions"))
    if not isinstance(raw, list):
        return []
    out = []
    for entry in raw[:MAX_ACTIONS]:
        if not isinstance(entry, dict) or not isinstance(entry.get("item_id"), str):
            continue
        text = entry.get("description") or entry.get("plan") or ""
        if not isinstance(text, str):
            continue
        out.append({"item_id": entry["item_id"][:32], "description": text[:MAX_ACTION_TEXT],
                    "due": _day(entry.get("due")), "done_on": _day(entry.get("done_on"))})
    return out


def _day(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


__all__ = ["ADDED", "ALREADY", "AddResult", "RegisterError", "add_bundles", "claimed_key", "fiscal_year",
           "os_user"]
