"""Verify and open bundles. A bundle is hostile until every check has passed.

One streaming pass over ``submission.tar.age``::

    read thread               calling thread                                 member thread
    bundle file → BLAKE2b, ─► Pipe ─► pyrage.decrypt_io → TarPushReader ─► ─► SHA-256 per member
                  CRC-32     (bounded)                    (1 MiB batches)      └─► staging folder (open)

pyrage holds the GIL while it decrypts; hashing and file writes release it, so they run in
threads of their own (``_PayloadReader``, ``worker.Worker``), on another core meanwhile.

The outer signature covers the same bytes that are decrypted (no time-of-check /
time-of-use gap), and it is checked when the pass ends, together with everything inside.
``open`` writes into a hidden staging folder inside the destination and moves the files
into place only when every check passed; otherwise the staging folder is removed and the
destination is left as it was. Without an identity only the outer layer is checked.

Every problem becomes a failed ``Check`` naming the file and the property; exceptions are
kept for the caller's mistakes (no such file, bad key), cancellation and full disks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import shutil
import tarfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

import pyrage

from questionnaire.official_templates import JudgingTemplate, load_supplied_templates
from questionnaire.template import Template
from storage.errors import Cancelled
from storage.faults import FaultKind, MachineFault, ensure_space, open_bundle_action
from storage.progress import CancelFn, Meter, ProgressFn, raise_if_interrupted

from . import bundle_format as bf
from . import bundle_report as R
from .bundle_checks import ContentChecks, Member
from .bundle_judgement import FUTURE_TOLERANCE
from .bundle_report import Check, VerifyReport
from .bundle_zip import ContainerError, Entry, read_container, read_member
from .errors import BundleError, BundleVerificationFailed, KeyFileError, UnsafeArchive
from .keys import (
    PublicSigningKey,
    SignatureInfo,
    load_identities,
    load_public_key,
    parse_signature,
    verify_prehashed,
)
from .pipe import Pipe, ProducerFailed
from .safe_extract import Staging, check_member_name, fold
from .tar_stream import TarPushReader
from .worker import Batcher, Worker

_CHUNK = 1 << 20


class _PayloadReader:
    """Reads submission.tar.age's bytes from the bundle, hashing them for the outer signature.

    A thread reads the file in 1 MiB blocks and hashes each (BLAKE2b, CRC-32) before it
    hands the block over through a bounded ``Pipe``; the decryptor takes the very same bytes,
    8 KiB at a time. Hashing releases the GIL, and pyrage holds it while it decrypts, so the
    two run on two cores. The thread only ever touches the file while the caller does not
    (between construction and ``finish``/``close``)."""

    def __init__(self, fh: BinaryIO, entry: Entry) -> None:
        self._fh = fh
        self._entry = entry
        self.blake2b = hashlib.blake2b()
        self.crc = 0
        self.done = 0                   # handed out to the reader
        self._pipe = Pipe(max_chunks=8, chunk_size=_CHUNK)
        self._pipe.start(self._produce, name="bundle-read")

    def _produce(self, pipe: Pipe) -> None:  # in the reading thread
        remaining = self._entry.size
        self._fh.seek(self._entry.data_offset)
        while remaining:
            n = min(_CHUNK, remaining)
            data = self._fh.read(n)
            if len(data) != n:
                raise OSError("the bundle file ended early")
            self.blake2b.update(data)
            self.crc = zlib.crc32(data, self.crc)
            remaining -= n
            pipe.write(data)

    @property
    def error(self) -> BaseException | None:
        """The original error behind a failed read (the reading thread's, else the caller's)."""
        return self._pipe.cause()

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        try:
            out = self._pipe.read(n)
        except ProducerFailed:
            raise self._pipe.producer_error from None
        self.done += len(out)
        return out

    def finish(self) -> None:
        """Hash whatever the decryptor did not read (it stops early on damaged data)."""
        try:
            while self._pipe.read(_CHUNK):
                pass
        except ProducerFailed:
            raise self._pipe.producer_error from None
        self.close()

    def close(self) -> None:
        """Stop the reading thread (idempotent); re-raise its error, if any."""
        self._pipe.join()
        if self._pipe.producer_error is not None:
            raise self._pipe.producer_error


# Members up to this size are hashed (and written) in the calling thread: for a small file the
# hand-over to the member thread costs more than the work (50,000 small evidence files).
INLINE_BYTES = 64 * 1024


class _MemberSink:
    """Receives one member's data: gathers it into batches of about 1 MiB, which the member
    thread (``Worker``) hashes and writes to the staging folder (open), while the calling
    thread decrypts on; keeps the small metadata files in memory to check them. Small
    members are hashed and written at once, in the calling thread."""

    def __init__(self, verifier: _Verifier, name: str, size: int, out, *, keep: bool) -> None:
        self._v = verifier
        self.name = name
        self.size = size
        self._out = out
        self.keep = keep
        self.sha256 = hashlib.sha256()
        self.chunks: list[bytes] = []
        self._inline = size <= INLINE_BYTES
        # TarPushReader passes slices of the bytes objects pyrage hands over (immutable):
        # the batcher keeps them without a copy.
        self._batch = None if self._inline else Batcher(lambda chunk: verifier._work.put((self, chunk)))
        self.done = 0

    def write(self, data) -> None:
        if self.keep:
            self.chunks.append(bytes(data))
        if self._inline:
            self.sha256.update(data)
            if self._out is not None:
                self._out.write(data)
            self.done += len(data)
        else:
            self.done += self._batch.add(data)
        self._v._progress(self._v._reader)

    def work(self, chunk: bytes | memoryview | None) -> None:
        """In the member thread: hash and write a batch; None: the member ended."""
        if chunk is not None:
            self.sha256.update(chunk)
            if self._out is not None:
                self._out.write(chunk)
        elif self._out is not None:
            self._out.close()
            self._out = None

    def close(self) -> None:
        if self._inline:
            self.work(None)
        else:
            self._batch.flush()
            self._v._work.put((self, None))
        if self.done == self.size:
            self._v.member_done(self)


def _member_work(item: tuple[_MemberSink, bytes | memoryview | None]) -> None:
    item[0].work(item[1])


class _Batched:
    """Writer handed to pyrage: gathers the 8 KiB pieces it writes into ~1 MiB before
    TarPushReader sees them, so the tar framing, the hand-over to the member thread and
    progress run once per MiB rather than 128 times."""

    def __init__(self, tar: TarPushReader) -> None:
        self._batch = Batcher(tar.write)

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        return self._batch.add(data)

    def flush(self) -> None:
        pass  # the last batch is passed on by finish(), once decryption has succeeded

    def finish(self) -> None:
        self._batch.flush()


def _describe_decrypt_error(exc: BaseException | None) -> str:
    # age's messages may span lines ("Unknown age format.\nHave you tried upgrading..."):
    # a check's detail is one line.
    text = " ".join(str(exc).split())[:300] if exc is not None else ""
    if "No matching keys" in text or "no identity matched" in text.lower():
        return "the identity is not one of the bundle's recipients (wrong key)"
    if "header" in text.lower():
        return f"the age header is damaged or this is not an age file ({text})"
    return f"the encrypted data is damaged or truncated ({text or 'authentication failed'})"


class _Verifier(ContentChecks):
    def __init__(self, path: Path, pk: PublicSigningKey, identities: list | None,
                 progress: ProgressFn | None, cancel: CancelFn | None, staging: Staging | None,
                 supplied: list[JudgingTemplate] | None = None) -> None:
        self.path = path
        self.pk = pk
        self.identities = identities
        self.progress = progress
        self.cancel = cancel
        self.staging = staging
        self.supplied = supplied or []
        self.report = VerifyReport(ok=False, signer_key_id=None, path=path)
        self.members: dict[str, Member] = {}
        self.order: list[str] = []
        self._decrypted_ok = False

    def add(self, name: str, ok: bool, detail: str, ja: str = "") -> bool:
        """``detail`` is the English line (also the JSON's), ``ja`` the same in Japanese."""
        self.report.checks.append(Check(name, ok, detail, ja))
        return ok

    def _tick(self) -> None:
        """Between (and within) the checks after the last byte: cancel is honoured at every stage."""
        if self.cancel is not None and self.cancel():
            raise Cancelled()

    # --- the outer layer ----------------------------------------------------------------

    def run(self) -> VerifyReport:
        try:
            fh = open(self.path, "rb")  # noqa: SIM115 - closed below
        except FileNotFoundError:
            raise BundleError(f"{self.path}: no such file", ja=f"{self.path} はありません") from None
        except IsADirectoryError:
            raise BundleError(f"{self.path} is a folder, not a bundle",
                              ja=f"{self.path} はフォルダーです（提出バンドルではありません）") from None
        except OSError as exc:
            raise BundleError(f"cannot read {self.path}: {exc.strerror or exc}",
                              ja=f"{self.path} を読めません（{exc.strerror or exc}）") from None
        with fh:
            self._run(fh)
        self.report.ok = bool(self.report.checks) and all(c.ok for c in self.report.checks)
        return self.report

    def _run(self, fh: BinaryIO) -> None:
        size = os.fstat(fh.fileno()).st_size
        try:
            entries = read_container(fh, size)
            readme = read_member(fh, entries[bf.README], bf.MAX_README_BYTES)
            signer_pub = read_member(fh, entries[bf.SIGNER_PUB], bf.MAX_SIGNER_PUB_BYTES)
            sig_bytes = read_member(fh, entries[bf.PAYLOAD_SIG], bf.MAX_SIG_BYTES)
        except ContainerError as exc:
            self.add(R.ZIP, False, str(exc), "ZIP の構造が正しくありません（正規の v1 形式の提出バンドルでは"
                                             "ありません）")
            return
        payload = entries[bf.PAYLOAD]
        self.meter = Meter(payload.size, self.progress, self.cancel)
        self.meter.tick()
        reader = _PayloadReader(fh, payload)
        try:
            if self.identities is None:
                while reader.read(_CHUNK):
                    self._progress(reader)
                reader.close()
            else:
                self._decrypt_and_read(reader)
        except BaseException:
            with contextlib.suppress(Exception):
                reader.close()  # stop the reading thread; the first error is the one to report
            raise
        self._progress(reader)
        self.meter.tick()  # every byte read: say so (the checks below take a moment on big bundles)
        crc_ok = reader.crc == payload.crc
        sig = self._check_outer_signature(sig_bytes, reader.blake2b.digest(), crc_ok)
        if not crc_ok and sig is not None:
            # A valid signature with a wrong CRC: the CRC fields themselves were changed.
            self.add(R.ZIP, False, f"{bf.PAYLOAD}: the CRC-32 in the ZIP headers is wrong (altered)",
                     f"{bf.PAYLOAD}: ZIP ヘッダーの CRC-32 が正しくありません（書き換えられています）")
        else:
            self.add(R.ZIP, True, "canonical v1 container with its 4 entries",
                     "正規の v1 形式の ZIP で、4 つのファイルを含みます")
        self.report.payload_digest = reader.blake2b.hexdigest()
        self._check_signer_pub(signer_pub)
        self._check_readme(readme, sig)
        self._tick()
        if self.identities is None:
            self._check_signed_time()
        elif self._decrypted_ok:
            self._check_contents(sig)
        # Checks run in data order; report them in the documented order.
        order = {n: i for i, n in enumerate((R.ZIP, R.OUTER_SIGNATURE, R.README, R.SIGNER_PUB, R.DECRYPT,
                                             R.ARCHIVE))}
        self.report.checks.sort(key=lambda c: order.get(c.name, len(order)))

    def _progress(self, reader: _PayloadReader) -> None:
        if reader.done > self.meter.done:
            self.meter.add(reader.done - self.meter.done)

    def _check_signer_pub(self, data: bytes) -> None:
        try:
            hinted = PublicSigningKey.from_file_bytes(data, bf.SIGNER_PUB)
        except KeyFileError as exc:
            self.add(R.SIGNER_PUB, False, str(exc), f"{bf.SIGNER_PUB} を読めません（{exc}）")
            return
        if hinted != self.pk:
            self.add(R.SIGNER_PUB, False, f"{bf.SIGNER_PUB} holds key {hinted.key_id}, not the signer key "
                                          f"you trust ({self.pk.key_id})",
                     f"{bf.SIGNER_PUB} の鍵は {hinted.key_id} で、信頼している署名鍵 {self.pk.key_id} では"
                     "ありません")
        elif data != self.pk.file_bytes():
            self.add(R.SIGNER_PUB, False, f"{bf.SIGNER_PUB} was altered (its comment or layout changed)",
                     f"{bf.SIGNER_PUB} が書き換えられています（コメント又は書式）")
        else:
            self.add(R.SIGNER_PUB, True, f"key {self.pk.key_id}", f"鍵 {self.pk.key_id}")

    def _check_outer_signature(self, data: bytes, digest: bytes, crc_ok: bool = True) -> SignatureInfo | None:
        try:
            sig = parse_signature(data, bf.PAYLOAD_SIG)
        except KeyFileError as exc:
            self.add(R.OUTER_SIGNATURE, False, str(exc), f"{bf.PAYLOAD_SIG} を読めません（{exc}）")
            return None
        self.report.signer_key_id = sig.key_id
        problem = verify_prehashed(self.pk, digest, sig)
        fields = sig.trusted_fields()
        fmt = fields.get("format", "")
        if problem is None and fmt != bf.FORMAT:
            problem = (f"bundle format {fmt!r} is newer than this app understands ({bf.FORMAT}); "
                       "update CCUS Attest" if fmt.startswith(bf.FORMAT_PREFIX)
                       else "the signature is not for a CCUS Attest bundle")
        if problem is None and fields.get("file") != bf.PAYLOAD:
            problem = f"the signature is for {fields.get('file')!r}, not {bf.PAYLOAD}"
        if problem is None and not bf.valid_submission_id(fields.get("submission")):
            problem = "the signed comment names no submission"
        if problem is None and sig.untrusted_comment != bf.PAYLOAD_SIG_COMMENT:
            problem = f"{bf.PAYLOAD_SIG} was altered (its untrusted comment changed)"
        if problem is None and data != sig.canonical_bytes():
            problem = f"{bf.PAYLOAD_SIG} was altered (its layout changed)"
        if problem:
            if not crc_ok:
                problem = "its contents were altered (they match neither the signature nor the CRC-32)"
            self.add(R.OUTER_SIGNATURE, False, f"{bf.PAYLOAD}: {problem}",
                     f"{bf.PAYLOAD} の署名が正しくありません（{problem}）")
            return None
        self.add(R.OUTER_SIGNATURE, True, f"{bf.PAYLOAD} signed by key {sig.key_id}, "
                                          f"submission {fields['submission']}",
                 f"{bf.PAYLOAD} は鍵 {sig.key_id} で署名されています（提出 {fields['submission']}）")
        self.report.submission_id = fields["submission"]
        self.report.signer_public_key = self.pk.base64
        stamp = fields.get("timestamp", "")
        if stamp.isdigit() and len(stamp) <= 12:
            self.report.exported_at = dt.datetime.fromtimestamp(int(stamp), dt.UTC)
        return sig

    def _check_signed_time(self) -> None:
        """Without the identity only the signed time can be looked at (the manifest is inside)."""
        when = self.report.exported_at
        if when is None:
            if self.report.submission_id is not None:
                self.add(R.EXPORT_TIME, False, f"the signature of {bf.PAYLOAD} carries no export time",
                         f"{bf.PAYLOAD} の署名に書き出し日時がありません")
        elif when > dt.datetime.now(dt.UTC) + FUTURE_TOLERANCE:
            self.add(R.EXPORT_TIME, False, *R.future_export(when))
        else:
            self.add(R.EXPORT_TIME, True, *R.exported_on_vendor_clock(when))

    def _check_readme(self, readme: bytes, sig: SignatureInfo | None) -> None:
        if sig is None:
            self.add(R.README, False, f"{bf.README} cannot be checked without a valid outer signature",
                     f"外側の署名が正しくないため、{bf.README} を確認できません")
            return
        if sig.trusted_fields().get("readme-sha256") != bf.sha256_hex(readme):
            self.add(R.README, False,
                     f"{bf.README} differs from the one that was signed (altered or swapped)",
                     f"{bf.README} が署名されたものと違います（書き換え又は差し替え）")
        else:
            self.add(R.README, True, f"{bf.README} is the signed one", f"{bf.README} は署名されたものです")

    # --- the inner layer: decrypt and read the tar ----------------------------------------

    def _decrypt_and_read(self, reader: _PayloadReader) -> None:
        self._reader = reader
        self._seen: set[str] = set()
        self._total = 0
        self._completed: list[_MemberSink] = []
        self._work = Worker(_member_work, name="bundle-members")
        try:
            self._decrypt_into_members(reader)
        finally:
            self._work.close()  # also on errors: no thread writes into the staging folder any more

    def _decrypt_into_members(self, reader: _PayloadReader) -> None:
        tar = TarPushReader(self)
        batched = _Batched(tar)
        decrypt_error: BaseException | None = None
        try:
            pyrage.decrypt_io(reader, batched, self.identities)
        except (pyrage.DecryptError, OSError) as exc:
            # pyrage wraps what our reader and writer raised: cancel, a full disk, I/O errors.
            cause = tar.error or reader.error
            if isinstance(cause, OSError):
                raise BundleError(f"cannot read {self.path} or write the files: {cause.strerror or cause}") \
                    from None
            if cause is not None:
                raise cause from None
            raise_if_interrupted(exc)
            decrypt_error = exc
        try:
            reader.finish()
        except OSError as exc:
            raise BundleError(f"cannot read {self.path}: {exc.strerror or exc}") from None
        self._progress(reader)
        self._decrypted_ok = decrypt_error is None
        if not self._decrypted_ok:
            self.add(R.DECRYPT, False, f"{bf.PAYLOAD}: {_describe_decrypt_error(decrypt_error)}",
                     f"{bf.PAYLOAD} を復号できません（復号鍵が受信者のものでないか、データが壊れています）")
            tar._fail("not read: decryption failed")
            return
        try:
            batched.finish()
            tar.close()
            self._work.finish()  # every member hashed and written
        except OSError as exc:
            raise BundleError(f"cannot write the files: {exc.strerror or exc}") from None
        for sink in self._completed:
            self.members[sink.name] = Member(sink.name, sink.size, sink.sha256.hexdigest(),
                                              b"".join(sink.chunks) if sink.keep else None)
        self._completed.clear()  # the sinks' buffers and hashers: 50,000 members are many
        self.add(R.DECRYPT, True, f"{bf.PAYLOAD} decrypted ({tar.pos} bytes)",
                 f"{bf.PAYLOAD} を復号しました（{tar.pos:,} バイト）")
        self.report.decrypted = True
        if tar.problem is not None:
            self._decrypted_ok = False  # nothing inside can be trusted to be complete
            self.add(R.ARCHIVE, False, tar.problem, f"tar アーカイブを受け付けられません（{tar.problem}）")
        else:
            self.add(R.ARCHIVE, True, f"{len(self.order)} members, all regular files with safe names",
                     f"{len(self.order)} 個のファイル。すべて通常のファイルで、名前は安全です")

    # TarPushReader's handler: one call per member; the returned sink receives its data.

    def begin(self, ti: tarfile.TarInfo) -> _MemberSink:
        if len(self.order) >= bf.MAX_MEMBERS:
            raise UnsafeArchive(f"more than {bf.MAX_MEMBERS} members")
        name = ti.name
        if not ti.isreg() or ti.type not in (tarfile.REGTYPE, tarfile.AREGTYPE):
            kind = ("a symbolic link" if ti.issym() else "a hard link" if ti.islnk() else
                    "a folder entry" if ti.isdir() else "a named pipe (FIFO)" if ti.isfifo() else
                    "a device file" if ti.isdev() else "a special file")
            raise UnsafeArchive(f"member {name[:120]!r} is {kind}; only regular files are allowed")
        if ti.sparse is not None:
            raise UnsafeArchive(f"member {name[:120]!r} is a sparse file")
        parts = check_member_name(name)  # the Windows rules too, on every system
        key = fold(name)
        if key in self._seen:
            raise UnsafeArchive(f"member {name!r} appears twice (names are compared ignoring case)")
        self._seen.add(key)
        limit = bf.MAX_IN_MEMORY.get(name, bf.MAX_MEMBER_BYTES)
        if ti.size > limit:
            raise UnsafeArchive(f"member {name!r} is too large ({ti.size} bytes; at most {limit})")
        self._total += ti.size
        if self._total > bf.MAX_TOTAL_BYTES:
            raise UnsafeArchive(f"the members add up to more than {bf.MAX_TOTAL_BYTES} bytes")
        out = None
        if self.staging is not None:
            free = shutil.disk_usage(self.staging.root).free
            if ti.size + bf.FREE_SPACE_MARGIN > free:
                dest = self.staging.dest
                raise MachineFault(FaultKind.NO_SPACE, dest, open_bundle_action(dest),
                                   need=ti.size + bf.FREE_SPACE_MARGIN, free=free,
                                   cause=f"no room for {name} ({ti.size} bytes)")
            out = self.staging.create(parts)
        return _MemberSink(self, name, ti.size, out, keep=name in bf.MAX_IN_MEMORY)

    def member_done(self, sink: _MemberSink) -> None:
        # Its digest is read once the member thread has finished (_decrypt_into_members).
        self._completed.append(sink)
        self.order.append(sink.name)

def _as_public_key(signer) -> PublicSigningKey:
    return load_public_key(signer)


def verify_bundle(path: str | Path, *, signer, identity=None, progress: ProgressFn | None = None,
                  cancel: CancelFn | None = None,
                  templates: Sequence[str | Path | Template] = ()) -> VerifyReport:
    """Check a bundle against the signer's public key (pinned by the auditor).

    ``signer``: a minisign public key file, the base64 key string, or a PublicSigningKey.
    Without ``identity`` only the outer layer is checked (container, signer.pub, the
    signature of submission.tar.age, README.txt); with it (an age identity file or
    identities), everything inside too, judged against the app's own copy of the template
    version the bundle names. ``templates``: template files the auditor explicitly accepts
    for versions the app does not ship (``--template FILE``; the report then says so).
    Problems are reported as failed checks; ``cancel`` is honoured at every stage.
    """
    pk = _as_public_key(signer)
    ids = load_identities(identity) if identity is not None else None
    supplied = load_supplied_templates(templates)
    return _Verifier(Path(path), pk, ids, progress, cancel, None, supplied).run()


def open_bundle(path: str | Path, out_dir: str | Path, *, signer, identity,
                progress: ProgressFn | None = None, cancel: CancelFn | None = None,
                templates: Sequence[str | Path | Template] = (),
                approve: Callable[[VerifyReport], None] | None = None) -> VerifyReport:
    """Verify and extract into ``out_dir`` (new or empty). Raises BundleVerificationFailed
    (or another BundleError) and leaves ``out_dir`` as it was when anything is wrong.

    ``approve(report)`` runs once every check passed and before anything appears in
    ``out_dir``; it may add failed checks (the CLI's signer pins) to keep the bundle closed."""
    pk = _as_public_key(signer)
    ids = load_identities(identity)
    supplied = load_supplied_templates(templates)
    path = Path(path)
    if not path.is_file():
        raise BundleError(f"{path}: no such file", ja=f"{path} はありません")
    # What is extracted is about as large as the bundle: refused up front when it cannot fit.
    dest = Path(out_dir).absolute()
    ensure_space(dest, path.stat().st_size, open_bundle_action(dest))
    staging = Staging(out_dir)
    try:
        report = _Verifier(path, pk, ids, progress, cancel, staging, supplied).run()
        if report.ok and approve is not None:
            approve(report)
        if not report.ok:
            raise BundleVerificationFailed(report)
        staging.commit()
    except OSError as exc:
        staging.discard()
        raise BundleError(f"cannot write in {staging.dest}: {exc.strerror or exc}") from None
    except BaseException:
        staging.discard()
        raise
    return report
