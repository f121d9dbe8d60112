"""Export: the workspace → one signed, encrypted bundle file, streaming in constant memory.

Data flow (one pass over the evidence), three threads::

    tar thread                          calling thread                 write thread
    ----------                          --------------                 ------------
    tar headers + small members  ─┐
    ws.read_evidence(...) pushes ─┼─► Pipe ─► pyrage.encrypt_io ─► queue ─► BLAKE2b ─► ZIP member
    manifest, SHA256SUMS, .minisig┘ (bounded)       pulls        (bounded)          (zipfile, CRC-32)

The workspace *pushes* decrypted evidence into a writer while ``pyrage.encrypt_io``
*pulls* from a reader, so the tar is produced in a thread and handed over through a
bounded queue (``pipe.Pipe``): memory stays at a few MiB whatever the evidence size.
Member SHA-256s are computed as the tar is produced (for evidence, by the workspace, which
checks them against its sealed records), which is why ``manifest.json``, ``SHA256SUMS``
and its signature come last in the tar. The outer signature is minisign's prehashed kind:
the BLAKE2b-512 of ``submission.tar.age`` is computed while it is written.

Why the write thread: pyrage holds the GIL while it decrypts or encrypts, so the two
pyrage calls take turns; hashing, CRC-32 and file writes release it, and in a thread of
their own they run on another core meanwhile (``_CiphertextWriter``).

The bundle is written to a temporary file beside the destination, checked (the
container is re-read strictly and hashed), and renamed into place only when complete;
any error, a cancel or Ctrl-C removes the temporary file and leaves nothing behind.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import threading
import time
import uuid
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO

import minisign
import pyrage

from questionnaire.completeness import Assessment
from questionnaire.submission import Submission
from questionnaire.submission_rules import limit_breaches, name_breaches, value_breaches
from storage import faults
from storage.activity import LogEntry, canonical, now_iso
from storage.errors import Cancelled
from storage.fsutil import atomic_write
from storage.progress import CancelFn, Meter, ProgressFn, raise_if_interrupted

from . import bundle_format as bf
from .bundle_chain import previous_submission
from .bundle_claims import conclusions
from .bundle_zip import ContainerError, read_container, zip_info
from .errors import BundleError, BundleIncomplete, OutputExists, UnsafeArchive
from .keys import SigningKey, parse_recipients
from .pipe import Pipe
from .safe_extract import check_member_name
from .tar_stream import MemberSizeMismatch, TarWriter
from .worker import Batcher, Worker

APP_NAME = "CCUS Attest"
_HASH_READ = 1 << 20  # read back in pieces that stay in the CPU cache while they are hashed



def rendered_documents() -> tuple[tuple[str, Callable[..., Any]], ...]:
    """Documents rendered from the submission into the bundle, in this order: (member name,
    writer(sub, binary_file, *, on=date)). Imported here, not at the top: openpyxl and
    reportlab are not needed to verify or open a bundle."""
    from .checklist import write_checklist
    from .report import write_report

    return ((bf.CHECKLIST, write_checklist), (bf.REPORT, write_report))


@dataclass(frozen=True)
class ExportResult:
    path: Path
    size: int
    sha256: str
    signer_key_id: str
    submission_id: str
    complete: bool


def _app_version() -> str:
    try:
        from importlib.metadata import version

        return version("ccus-attest")
    except Exception:
        return "unknown"


def _json_bytes(doc: Any) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def as_signing_key(key: SigningKey | minisign.SecretKey) -> SigningKey:
    if isinstance(key, SigningKey):
        return key
    if isinstance(key, minisign.SecretKey):
        return SigningKey(key)
    raise TypeError("signing_key must be an exports.keys.SigningKey (see keys.load_signing_key)")


class _CiphertextWriter:
    """Writer handed to pyrage: hands the ciphertext to a thread of its own (``Worker``), which
    hashes it (BLAKE2b, for the outer signature) and writes it into the ZIP member (zipfile
    computes the CRC-32 there).

    pyrage holds the GIL while it encrypts, and so does the workspace's decryption in the
    tar thread: those two take turns. Hashing, CRC-32 and writing release the GIL, so in
    their own thread they run on another core meanwhile. pyrage writes 64 KiB at a time;
    the pieces are joined into batches of about 1 MiB first (one copy)."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self.blake2b = hashlib.blake2b()
        self.size = 0
        self._worker = Worker(self._write_out, name="bundle-write")
        self._batch = Batcher(self._worker.put)

    def _write_out(self, chunk: bytes) -> None:  # in the worker thread
        self.blake2b.update(chunk)
        self._out.write(chunk)
        self.size += len(chunk)

    @property
    def error(self) -> BaseException | None:
        return self._worker.error

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        return self._batch.add(data)

    def flush(self) -> None:
        pass  # batches are sent when full, and the last one by finish()

    def finish(self) -> bytes:
        """Write the last batch and wait for the thread; the BLAKE2b-512 of everything."""
        self._batch.flush()
        self._worker.finish()
        return self.blake2b.digest()

    def close(self) -> None:
        """Stop the thread (idempotent; also after a failure)."""
        self._worker.close()


@dataclass
class PayloadPlan:
    """What goes into the tar: small members held in memory, then streamed evidence."""

    small: list[tuple[str, bytes]]
    evidence: list[tuple[Any, str]]          # (EvidenceInfo, path in the bundle)
    manifest: dict[str, Any]                 # without "members" (filled while streaming)
    written: dict[str, Any] = field(default_factory=dict)  # the manifest's SHA-256, once written

    def estimated_size(self) -> int:
        return sum(len(d) for _, d in self.small) + sum(i.size for i, _ in self.evidence) + 64 * 1024


def export_bundle(ws, out: str | Path, *, signing_key: SigningKey | minisign.SecretKey,
                  recipients: Sequence[str | Path | pyrage.x25519.Recipient], allow_incomplete: bool = False,
                  on: dt.date | None = None, progress: ProgressFn | None = None,
                  cancel: CancelFn | None = None, overwrite: bool = False) -> ExportResult:
    """Write a signed, encrypted bundle of the open workspace ``ws`` to ``out``.

    Refuses (BundleIncomplete) when the questionnaire has blocking problems on ``on``
    (default today: missing answers, expired evidence...) unless ``allow_incomplete``; the
    manifest then records ``"complete": false`` and the blockers. Never replaces an
    existing file unless ``overwrite``.
    """
    key = as_signing_key(signing_key)
    recips = parse_recipients(recipients)
    out = Path(out).absolute()
    if out.is_dir():
        raise BundleError(f"{out} is a folder; give a file name for the bundle")
    if not out.parent.is_dir():
        raise BundleError(f"folder {out.parent} does not exist")
    if (out.exists() or out.is_symlink()) and not overwrite:
        raise OutputExists(out)
    if getattr(ws, "read_only", False):  # the export must be recorded in the activity log
        ws.check_writable(faults.export_log_action(out))
    on = on or dt.date.today()
    submission_id = str(uuid.uuid4())
    created_at = now_iso()
    timestamp = int(time.time())
    sub = ws.submission(submission_id, created_at)
    # The conclusions come from the snapshot that is exported, through the one function the
    # auditor's side recomputes them with (bundle_claims.conclusions).
    assessment = sub.assess(on)
    blockers = assessment.blockers
    if blockers and not allow_incomplete:
        raise BundleIncomplete(blockers)
    _refuse_what_verify_refuses(sub)
    entries = ws.activity()  # checked here and exported as read: decrypted once
    log_problems = ws.verify_activity(entries)
    if log_problems:
        raise BundleError(f"the workspace activity log is damaged ({log_problems[0]}); "
                          "a bundle with a broken log would fail verification")
    plan = _plan(ws, sub, entries, key, recips, assessment)
    faults.ensure_space(out.parent, plan.estimated_size(), faults.export_action(out))  # before, not at 90 %
    meter = Meter(plan.estimated_size() * 2, progress, cancel)
    meter.tick()

    readme = bf.readme_text(submission_id=submission_id, created_at=created_at, vendor=sub.vendor,
                            signer_key_id=key.key_id, signer_pub_b64=key.public.base64).encode("utf-8")

    def produce(pipe: Pipe) -> None:
        write_payload(pipe, plan, ws=ws, key=key, submission_id=submission_id, timestamp=timestamp,
                      stop=lambda: pipe.aborted)

    try:
        with atomic_write(out, overwrite=overwrite) as fh:
            write_container(fh, readme=readme, key=key, recipients=recips, produce=produce,
                            meter=meter, timestamp=timestamp, submission_id=submission_id)
            size, sha256 = _check_written(fh, meter)
            meter.tick()  # the last moment a cancel is honoured: nothing is visible yet
    except FileExistsError:
        raise OutputExists(out) from None
    except OSError as exc:
        fault = faults.translate(exc, out.parent, faults.export_action(out))
        if fault is not None:
            raise fault from None
        raise BundleError(f"cannot write {out}: {exc.strerror or exc}") from None
    try:
        ws.record_activity("bundle.exported", None, submission_id=submission_id, file=out.name,
                           size=size, sha256=sha256, signer_key_id=key.key_id,
                           recipients=[str(r) for r in recips], complete=not blockers,
                           blockers=len(blockers), evidence=len(plan.evidence),
                           manifest_sha256=plan.written["manifest_sha256"],
                           previous_submission=(plan.manifest.get("previous_submission") or {}).get(
                               "submission_id"),
                           fault_action=faults.export_action(out))
    except BaseException:
        # The log and the disk must agree: no bundle the activity log does not know about.
        out.unlink(missing_ok=True)
        raise
    if progress is not None:
        progress(meter.total, meter.total)
    return ExportResult(out, size, sha256, key.key_id, submission_id, not blockers)


def _refuse_what_verify_refuses(sub: Submission) -> None:
    """Names that would display as something else, texts past the limits, answers the template
    does not allow: the auditor's verification fails them, so no bundle is made with them."""
    found = name_breaches(sub) + limit_breaches(sub) + value_breaches(sub)
    if found:
        first = found[0]
        hint = ("; rename the file and attach it again" if first.where.startswith("evidence") and
                "file name" in first.where else "; correct it in the workspace")
        raise BundleError(f"cannot be put in a bundle: {first}{hint}"
                          + (f" (and {len(found) - 1} more)" if len(found) > 1 else ""))


def _plan(ws, sub: Submission, entries: list[LogEntry], key: SigningKey, recips,
          assessment: Assessment) -> PayloadPlan:
    log = b"".join(canonical(e.as_dict()) + b"\n" for e in entries)
    small: list[tuple[str, bytes]] = [
        (bf.TEMPLATE, sub.template.source_text.encode("utf-8")),
        (bf.ANSWERS, _json_bytes(sub.to_document())),
        (bf.ACTIVITY_LOG, log),
    ]
    if sub.corrective_actions:
        from questionnaire.corrective import to_document

        small.append((bf.CORRECTIVE_ACTIONS, _json_bytes(to_document(sub.corrective_actions, sub.template))))
    # The copies inside the bundle are the signed submission's: they name the signer key.
    signed = replace(sub, signer_key_id=key.key_id, origin="bundle")
    on = assessment.on
    for name, write in rendered_documents():
        buf = io.BytesIO()
        write(signed, buf, on=on)
        small.append((name, buf.getvalue()))
    evidence = []
    for info in sub.evidence:
        path = sub.evidence_path(info)
        try:
            # Refuse now what the auditor could not open (on any system) later.
            check_member_name(path, windows=True)
        except UnsafeArchive as exc:
            raise BundleError(f"evidence file {info.filename!r} of {info.item_id} cannot be put in a "
                              f"bundle ({exc}); attach it again under another name") from None
        evidence.append((info, path))
    tpl = sub.template
    manifest = {
        "format": bf.FORMAT,
        "generator": {"name": APP_NAME, "version": _app_version()},
        "submission_id": sub.submission_id,
        "created_at": sub.created_at,
        "vendor": sub.vendor,
        "workspace_id": ws.id,
        "template": {"id": tpl.id, "version": tpl.version, "sha256": tpl.digest},
        "signer_key_id": key.key_id,
        "recipients": [str(r) for r in recips],
        **conclusions(assessment),
        "activity_log": {"path": bf.ACTIVITY_LOG, "entries": len(entries),
                         "head": {"seq": entries[-1].seq, "hash": entries[-1].hash} if entries else None},
        "evidence": [{**info.as_dict(), "path": path} for info, path in evidence],
        "members": [],
    }
    previous = previous_submission(entries, getattr(ws, "origin", None))
    if previous is not None:
        manifest["previous_submission"] = previous
    return PayloadPlan(small, evidence, manifest)


def write_payload(out, plan: PayloadPlan, *, ws, key: SigningKey, submission_id: str, timestamp: int,
                  stop: CancelFn) -> None:
    """Produce the tar (plaintext) into ``out``; runs in the producer thread."""
    tar = TarWriter(out, timestamp)
    members: list[dict[str, Any]] = []
    for name, data in plan.small:
        members.append({"path": name, "size": len(data), "sha256": tar.add_bytes(name, data)})
    for info, path in plan.evidence:
        writer = tar.begin(path, info.size)
        try:
            # Checks the content against the SHA-256 sealed in the evidence record (raises
            # CorruptData naming the file otherwise), so the recorded digest is the member's.
            ws.read_evidence(info.id, writer, cancel=stop)
            writer.finish()
        except MemberSizeMismatch as exc:
            raise BundleError(f"evidence {path}: {exc}") from None
        members.append({"path": path, "size": info.size, "sha256": info.sha256})
    manifest = {**plan.manifest, "members": members}
    manifest_bytes = _json_bytes(manifest)
    manifest_sha = tar.add_bytes(bf.MANIFEST, manifest_bytes)
    plan.written["manifest_sha256"] = manifest_sha  # the next submission's link to this one
    sums = bf.render_sums([(m["path"], m["sha256"]) for m in members] + [(bf.MANIFEST, manifest_sha)])
    tar.add_bytes(bf.SUMS, sums)
    tar.add_bytes(bf.SUMS_SIG, key.sign_bytes(
        sums, trusted_comment=bf.sums_trusted_comment(timestamp, submission_id),
        untrusted_comment=bf.SUMS_SIG_COMMENT))
    tar.close()


def write_container(fh: BinaryIO, *, readme: bytes, key: SigningKey, recipients,
                    produce: Callable[[Pipe], None], meter: Meter, timestamp: int,
                    submission_id: str) -> None:
    """Write the four ZIP members; ``produce`` pushes the tar plaintext into a Pipe."""
    zf = zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED, allowZip64=True)
    member = None
    try:
        zf.writestr(zip_info(bf.README), readme)
        zf.writestr(zip_info(bf.SIGNER_PUB), key.public.file_bytes())
        member = zf.open(zip_info(bf.PAYLOAD), "w", force_zip64=True)
        digest = _encrypt(produce, member, recipients, meter)
        member.close()
        member = None
        comment = bf.payload_trusted_comment(timestamp, submission_id, readme)
        sig = key.sign_prehashed(digest, trusted_comment=comment, untrusted_comment=bf.PAYLOAD_SIG_COMMENT)
        zf.writestr(zip_info(bf.PAYLOAD_SIG), sig)
        zf.close()
    except BaseException:
        # Abandon the half-written ZIP (its temporary file is removed by the caller);
        # keep zipfile from writing an end record later, from a finaliser.
        if member is not None:
            with contextlib.suppress(Exception):
                member.close()
        zf.fp = None
        raise


def _encrypt(produce: Callable[[Pipe], None], member: BinaryIO, recipients, meter: Meter) -> bytes:
    pipe = Pipe(meter=meter)
    sink = _CiphertextWriter(member)
    try:
        pipe.start(produce, name="bundle-tar")
        try:
            pyrage.encrypt_io(pipe, sink, recipients)
        except (pyrage.EncryptError, OSError) as exc:
            # pyrage wraps what our reader/writer raised; re-raise the original.
            cause = pipe.producer_error or pipe.consumer_error or sink.error
            if cause is not None:
                raise cause from None
            raise_if_interrupted(exc)
            raise BundleError(f"encryption failed: {exc}") from None
        finally:
            pipe.join()
        if pipe.producer_error is not None:
            raise pipe.producer_error
        return sink.finish()
    finally:
        sink.close()


def _check_written(fh: BinaryIO, meter: Meter) -> tuple[int, str]:
    """Re-read the finished file: the container must be canonical; hash the whole bundle.

    The SHA-256 of the file cannot be computed while it is written: the payload's local
    header, which comes before the payload, holds the payload's CRC-32, known only at its
    end. So the file is read back (from the page cache), while the data is flushed to disk
    in another thread: ``fsync`` waits for the disk, hashing uses the CPU, and both release
    the GIL."""
    fh.flush()
    synced: list[BaseException | None] = []

    def sync() -> None:
        try:
            os.fsync(fh.fileno())
            synced.append(None)
        except BaseException as exc:  # re-raised below, in the calling thread
            synced.append(exc)

    syncer = threading.Thread(target=sync, name="bundle-fsync", daemon=True)
    syncer.start()
    try:
        size = os.fstat(fh.fileno()).st_size
        sha = hashlib.sha256()
        with open(fh.name, "rb", buffering=0) as rf:
            try:
                read_container(rf, size)
            except ContainerError as exc:  # a bug, or a zipfile that writes differently
                raise BundleError(f"the bundle just written is not a canonical v1 container: {exc}") from None
            rf.seek(0)
            buf = bytearray(_HASH_READ)
            view = memoryview(buf)
            while n := rf.readinto(buf):
                sha.update(view[:n])
                meter.add(n)
    finally:
        syncer.join()
    if synced and synced[0] is not None:
        raise synced[0]
    return size, sha.hexdigest()


__all__ = ["Cancelled", "ExportResult", "as_signing_key", "export_bundle", "rendered_documents"]
