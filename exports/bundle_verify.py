"""Verify and open bundles. A bundle is hostile until every check has passed.

One streaming pass over ``submission.tar.age``, in the calling thread::

    bundle file → BLAKE2b, CRC-32 → pyrage.decrypt_io → TarPushReader → SHA-256 per member
                                                                       └─► staging folder (open only)

The outer signature covers the same bytes that are decrypted (no time-of-check /
time-of-use gap), and it is checked when the pass ends, together with everything inside.
``open`` writes into a hidden staging folder inside the destination and moves the files
into place only when every check passed; otherwise the staging folder is removed and the
destination is left as it was. Without an identity only the outer layer is checked.

Every problem becomes a failed ``Check`` naming the file and the property; exceptions are
kept for the caller's mistakes (no such file, bad key), cancellation and full disks.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import zlib
from pathlib import Path
from typing import Any, BinaryIO

import pyrage

from questionnaire.errors import AttestError
from questionnaire.submission import from_document
from questionnaire.template import load_template_text
from storage.activity import verify_chain
from storage.progress import CancelFn, Meter, ProgressFn

from . import bundle_format as bf
from . import bundle_report as R
from .bundle_report import Check, VerifyReport
from .bundle_zip import ContainerError, Entry, read_container, read_member
from .errors import BundleError, BundleVerificationFailed, KeyFileError, UnsafeArchive
from .keys import (
    PublicSigningKey,
    SignatureInfo,
    load_identities,
    load_public_key,
    parse_signature,
    verify_bytes,
    verify_prehashed,
)
from .pipe import raise_if_interrupted
from .safe_extract import Staging, check_member_name, fold
from .tar_stream import TarPushReader

_CHUNK = 1 << 20


class _PayloadReader:
    """Reads submission.tar.age's bytes from the bundle, hashing them for the outer signature.

    The file is read and hashed in 1 MiB blocks (pyrage asks for 8 KiB at a time): few
    long hash calls, during which the GIL is free for the other thread."""

    def __init__(self, fh: BinaryIO, entry: Entry) -> None:
        self._fh = fh
        self._remaining = entry.size    # not yet read from the file
        self._offset = entry.data_offset
        self._buf = memoryview(b"")
        self.blake2b = hashlib.blake2b()
        self.crc = 0
        self.done = 0                   # handed out to the reader
        self.error: BaseException | None = None

    def readable(self) -> bool:
        return True

    def _fill(self) -> None:
        n = min(_CHUNK, self._remaining)
        self._fh.seek(self._offset)
        data = self._fh.read(n)
        if len(data) != n:
            raise OSError("the bundle file ended early")
        self.blake2b.update(data)
        self.crc = zlib.crc32(data, self.crc)
        self._offset += n
        self._remaining -= n
        self._buf = memoryview(data)

    def read(self, n: int = -1) -> bytes:
        try:
            if not self._buf and self._remaining:
                self._fill()
            if n is None or n < 0 or n >= len(self._buf):
                out = bytes(self._buf)
                self._buf = memoryview(b"")
            else:
                out = bytes(self._buf[:n])
                self._buf = self._buf[n:]
            self.done += len(out)
            return out
        except BaseException as exc:
            self.error = exc
            raise

    def finish(self) -> None:
        """Hash whatever the decryptor did not read (it stops early on damaged data)."""
        while self._remaining:
            self._fill()
        self._buf = memoryview(b"")


class _MemberSink:
    """Receives one member's data: hashes it, writes it to the staging folder (open), keeps
    the small metadata files in memory to check them."""

    def __init__(self, verifier: _Verifier, name: str, size: int, out, *, keep: bool) -> None:
        self._v = verifier
        self.name = name
        self.size = size
        self._out = out
        self.keep = keep
        self.sha256 = hashlib.sha256()
        self.chunks: list[bytes] = []
        self.done = 0

    def write(self, data) -> None:
        self.sha256.update(data)
        if self._out is not None:
            self._out.write(data)
        if self.keep:
            self.chunks.append(bytes(data))
        self.done += len(data)
        self._v._progress(self._v._reader)

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None
        if self.done == self.size:
            self._v.member_done(self)


class _Member:
    __slots__ = ("data", "name", "sha256", "size")

    def __init__(self, name: str, size: int, sha256: str, data: bytes | None) -> None:
        self.name, self.size, self.sha256, self.data = name, size, sha256, data


def _describe_decrypt_error(exc: BaseException | None) -> str:
    text = str(exc) if exc is not None else ""
    if "No matching keys" in text or "no identity matched" in text.lower():
        return "the identity is not one of the bundle's recipients (wrong key)"
    if "header" in text.lower():
        return f"the age header is damaged or this is not an age file ({text})"
    return f"the encrypted data is damaged or truncated ({text or 'authentication failed'})"


class _Verifier:
    def __init__(self, path: Path, pk: PublicSigningKey, identities: list | None,
                 progress: ProgressFn | None, cancel: CancelFn | None, staging: Staging | None) -> None:
        self.path = path
        self.pk = pk
        self.identities = identities
        self.progress = progress
        self.cancel = cancel
        self.staging = staging
        self.report = VerifyReport(ok=False, signer_key_id=None, path=path)
        self.members: dict[str, _Member] = {}
        self.order: list[str] = []
        self._decrypted_ok = False

    def add(self, name: str, ok: bool, detail: str) -> bool:
        self.report.checks.append(Check(name, ok, detail))
        return ok

    # --- the outer layer ----------------------------------------------------------------

    def run(self) -> VerifyReport:
        try:
            fh = open(self.path, "rb")  # noqa: SIM115 - closed below
        except FileNotFoundError:
            raise BundleError(f"{self.path}: no such file") from None
        except IsADirectoryError:
            raise BundleError(f"{self.path} is a folder, not a bundle") from None
        except OSError as exc:
            raise BundleError(f"cannot read {self.path}: {exc.strerror or exc}") from None
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
            self.add(R.ZIP, False, str(exc))
            return
        payload = entries[bf.PAYLOAD]
        self.meter = Meter(payload.size, self.progress, self.cancel)
        self.meter.tick()
        reader = _PayloadReader(fh, payload)
        if self.identities is None:
            while reader.read(_CHUNK):
                self._progress(reader)
        else:
            self._decrypt_and_read(reader)
        crc_ok = reader.crc == payload.crc
        sig = self._check_outer_signature(sig_bytes, reader.blake2b.digest(), crc_ok)
        if not crc_ok and sig is not None:
            # A valid signature with a wrong CRC: the CRC fields themselves were changed.
            self.add(R.ZIP, False, f"{bf.PAYLOAD}: the CRC-32 in the ZIP headers is wrong (altered)")
        else:
            self.add(R.ZIP, True, "canonical v1 container with its 4 entries")
        self._check_signer_pub(signer_pub)
        self._check_readme(readme, sig)
        if self.identities is not None and self._decrypted_ok:
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
            self.add(R.SIGNER_PUB, False, str(exc))
            return
        if hinted != self.pk:
            self.add(R.SIGNER_PUB, False, f"{bf.SIGNER_PUB} holds key {hinted.key_id}, not the signer key "
                                          f"you trust ({self.pk.key_id})")
        elif data != self.pk.file_bytes():
            self.add(R.SIGNER_PUB, False, f"{bf.SIGNER_PUB} was altered (its comment or layout changed)")
        else:
            self.add(R.SIGNER_PUB, True, f"key {self.pk.key_id}")

    def _check_outer_signature(self, data: bytes, digest: bytes, crc_ok: bool = True) -> SignatureInfo | None:
        try:
            sig = parse_signature(data, bf.PAYLOAD_SIG)
        except KeyFileError as exc:
            self.add(R.OUTER_SIGNATURE, False, str(exc))
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
            self.add(R.OUTER_SIGNATURE, False, f"{bf.PAYLOAD}: {problem}")
            return None
        self.add(R.OUTER_SIGNATURE, True, f"{bf.PAYLOAD} signed by key {sig.key_id}, "
                                          f"submission {fields['submission']}")
        return sig

    def _check_readme(self, readme: bytes, sig: SignatureInfo | None) -> None:
        if sig is None:
            self.add(R.README, False, f"{bf.README} cannot be checked without a valid outer signature")
            return
        if sig.trusted_fields().get("readme-sha256") != bf.sha256_hex(readme):
            self.add(R.README, False,
                     f"{bf.README} differs from the one that was signed (altered or swapped)")
        else:
            self.add(R.README, True, f"{bf.README} is the signed one")

    # --- the inner layer: decrypt and read the tar ----------------------------------------

    def _decrypt_and_read(self, reader: _PayloadReader) -> None:
        self._reader = reader
        self._seen: set[str] = set()
        self._total = 0
        tar = TarPushReader(self)
        decrypt_error: BaseException | None = None
        try:
            pyrage.decrypt_io(reader, tar, self.identities)
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
        reader.finish()
        self._progress(reader)
        self._decrypted_ok = decrypt_error is None
        if not self._decrypted_ok:
            self.add(R.DECRYPT, False, f"{bf.PAYLOAD}: {_describe_decrypt_error(decrypt_error)}")
            tar._fail("not read: decryption failed")
            return
        tar.close()
        self.add(R.DECRYPT, True, f"{bf.PAYLOAD} decrypted ({tar.pos} bytes)")
        self.report.decrypted = True
        if tar.problem is not None:
            self._decrypted_ok = False  # nothing inside can be trusted to be complete
            self.add(R.ARCHIVE, False, tar.problem)
        else:
            self.add(R.ARCHIVE, True, f"{len(self.order)} members, all regular files with safe names")

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
        parts = check_member_name(name)
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
                raise BundleError(f"not enough free space in {self.staging.dest} for {name} "
                                  f"({ti.size} bytes)")
            out = self.staging.create(parts)
        return _MemberSink(self, name, ti.size, out, keep=name in bf.MAX_IN_MEMORY)

    def member_done(self, sink: _MemberSink) -> None:
        self.members[sink.name] = _Member(sink.name, sink.size, sink.sha256.hexdigest(),
                                          b"".join(sink.chunks) if sink.keep else None)
        self.order.append(sink.name)

    # --- what the archive holds ------------------------------------------------------------

    def _check_contents(self, outer: SignatureInfo | None) -> None:
        outer_sub = outer.trusted_fields().get("submission") if outer else None
        sums = self._check_inner_signature(outer_sub)
        self._check_sums(sums)
        manifest = self._check_manifest(outer_sub)
        if manifest is None:
            return
        self.report.manifest = manifest
        self._check_members(manifest)
        template = self._check_template(manifest)
        self._check_answers(manifest, template)
        self._check_evidence(manifest)
        self._check_activity_log(manifest)

    def _data(self, name: str) -> bytes | None:
        m = self.members.get(name)
        return m.data if m is not None else None

    def _check_inner_signature(self, outer_sub: str | None) -> bytes | None:
        sums, sig_data = self._data(bf.SUMS), self._data(bf.SUMS_SIG)
        if sums is None or sig_data is None:
            missing = bf.SUMS if sums is None else bf.SUMS_SIG
            self.add(R.INNER_SIGNATURE, False, f"{missing} is missing from the archive")
            return None
        try:
            sig = parse_signature(sig_data, bf.SUMS_SIG)
        except KeyFileError as exc:
            self.add(R.INNER_SIGNATURE, False, str(exc))
            return None
        problem = verify_bytes(self.pk, sums, sig)
        fields = sig.trusted_fields()
        if problem is None and fields.get("file") != bf.SUMS:
            problem = f"the signature is for {fields.get('file')!r}, not {bf.SUMS}"
        if problem is None and outer_sub is not None and fields.get("submission") != outer_sub:
            problem = "it belongs to another submission than the outer signature (members swapped)"
        if problem:
            self.add(R.INNER_SIGNATURE, False, f"{bf.SUMS}: {problem}")
            return None
        self.add(R.INNER_SIGNATURE, True, f"{bf.SUMS} signed by key {sig.key_id}")
        return sums

    def _check_sums(self, sums: bytes | None) -> None:
        if sums is None:
            return
        try:
            listed = bf.parse_sums(sums)
        except ValueError as exc:
            self.add(R.CHECKSUMS, False, f"{bf.SUMS}: {exc}")
            return
        covered = [n for n in self.order if n not in (bf.SUMS, bf.SUMS_SIG)]
        names = [p for p, _ in listed]
        problem = None
        if len(set(names)) != len(names):
            problem = "lists a file twice"
        elif missing := [n for n in names if n not in self.members]:
            problem = f"lists {missing[0]!r}, which is not in the archive"
        elif unlisted := [n for n in covered if n not in set(names)]:
            problem = f"does not list {unlisted[0]!r}, which is in the archive"
        else:
            bad = [p for p, d in listed if self.members[p].sha256 != d]
            if bad:
                problem = f"{bad[0]!r}: SHA-256 differs from the signed checksum"
        if problem:
            self.add(R.CHECKSUMS, False, f"{bf.SUMS} {problem}")
        else:
            self.add(R.CHECKSUMS, True, f"{len(listed)} files match {bf.SUMS}")

    def _check_manifest(self, outer_sub: str | None) -> dict[str, Any] | None:
        raw = self._data(bf.MANIFEST)
        if raw is None:
            self.add(R.MANIFEST, False, f"{bf.MANIFEST} is missing from the archive")
            return None
        try:
            doc = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            self.add(R.MANIFEST, False, f"{bf.MANIFEST} is not valid JSON ({exc})")
            return None
        problem = _manifest_problem(doc)
        if problem is None and outer_sub is not None and doc["submission_id"] != outer_sub:
            problem = "names another submission than the outer signature (members swapped)"
        if problem:
            self.add(R.MANIFEST, False, f"{bf.MANIFEST}: {problem}")
            return None
        self.add(R.MANIFEST, True, f"submission {doc['submission_id']} of {doc['vendor'] or '(no vendor)'}, "
                                   f"{'complete' if doc['complete'] else 'INCOMPLETE'}")
        if doc["signer_key_id"] != self.pk.key_id:
            self.add(R.SIGNER_KEY_ID, False, f"{bf.MANIFEST} names signer key {doc['signer_key_id']}, "
                                             f"but the bundle is signed with {self.pk.key_id}")
        else:
            self.add(R.SIGNER_KEY_ID, True, f"{bf.MANIFEST} names the signer key {self.pk.key_id}")
        return doc

    def _check_members(self, manifest: dict[str, Any]) -> None:
        listed = {m["path"]: m for m in manifest["members"]}
        content = [n for n in self.order if n not in bf.TRAILER]
        missing = [p for p in listed if p not in self.members]
        extra = [n for n in content if n not in listed]
        for p in missing:
            self.add(R.MEMBER_PREFIX + p, False,
                     f"{p} is listed in {bf.MANIFEST} but missing from the archive")
        for n in extra:
            self.add(R.MEMBER_PREFIX + n, False, f"{n} is in the archive but not in the signed {bf.MANIFEST}")
        for name in content:
            if name not in listed:
                continue
            want, got = listed[name], self.members[name]
            if want["size"] != got.size:
                self.add(R.MEMBER_PREFIX + name, False, f"{name}: size {got.size} bytes, the manifest says "
                                                        f"{want['size']}")
            elif want["sha256"] != got.sha256:
                self.add(R.MEMBER_PREFIX + name, False, f"{name}: SHA-256 differs from the manifest")
            else:
                self.add(R.MEMBER_PREFIX + name, True, f"{name}: {got.size} bytes, SHA-256 matches")
        required = [n for n in bf.REQUIRED_CONTENT if n not in listed]
        if required or missing or extra:
            what = (f"{required[0]} is missing" if required else
                    f"{len(missing)} missing, {len(extra)} unlisted member(s)")
            self.add(R.MEMBERS, False, f"the archive does not match {bf.MANIFEST}: {what}")
        else:
            self.add(R.MEMBERS, True, f"exactly the {len(listed)} members of {bf.MANIFEST}")

    def _check_template(self, manifest: dict[str, Any]):
        raw = self._data(bf.TEMPLATE)
        want = manifest["template"]
        if raw is None:
            self.add(R.TEMPLATE, False, f"{bf.TEMPLATE} is missing")
            return None
        try:
            template = load_template_text(raw.decode("utf-8"), bf.TEMPLATE)
        except (AttestError, UnicodeDecodeError) as exc:
            self.add(R.TEMPLATE, False, f"{bf.TEMPLATE} is not a valid template ({exc})")
            return None
        got = {"id": template.id, "version": template.version, "sha256": bf.sha256_hex(raw)}
        if got != {k: want.get(k) for k in got}:
            diff = next(k for k in got if got[k] != want.get(k))
            self.add(R.TEMPLATE, False, f"{bf.TEMPLATE}: {diff} is {got[diff]!r} but {bf.MANIFEST} says "
                                        f"{want.get(diff)!r}")
            return None
        self.add(R.TEMPLATE, True, f"template {template.id} version {template.version}")
        return template

    def _check_answers(self, manifest: dict[str, Any], template) -> None:
        raw = self._data(bf.ANSWERS)
        if raw is None or template is None:
            self.add(R.ANSWERS, False, f"{bf.ANSWERS} cannot be checked" + (" (missing)" if raw is None else
                                                                           " without a valid template"))
            return
        try:
            doc = json.loads(raw.decode("utf-8"))
            sub = from_document(doc, template, signer_key_id=self.pk.key_id)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            self.add(R.ANSWERS, False, f"{bf.ANSWERS} is not valid JSON ({exc})")
            return
        except AttestError as exc:
            self.add(R.ANSWERS, False, str(exc))
            return
        for key in ("submission_id", "created_at", "vendor"):
            if getattr(sub, key) != manifest[key]:
                self.add(R.ANSWERS, False, f"{bf.ANSWERS}: {key} differs from {bf.MANIFEST}")
                return
        if doc.get("evidence") != manifest["evidence"]:
            self.add(R.ANSWERS, False, f"{bf.ANSWERS}: the evidence list differs from {bf.MANIFEST}")
            return
        self.add(R.ANSWERS, True, f"{len(sub.answers)} answers, {len(sub.evidence)} evidence files")

    def _check_evidence(self, manifest: dict[str, Any]) -> None:
        described = {}
        for e in manifest["evidence"]:
            path = e.get("path") if isinstance(e, dict) else None
            if not isinstance(path, str) or path in described:
                self.add(R.EVIDENCE, False, f"{bf.MANIFEST}: an evidence entry has no or a repeated path")
                return
            described[path] = e
        for path, e in described.items():
            m = self.members.get(path)
            if m is None:
                self.add(R.EVIDENCE, False, f"evidence {path} is described but missing")
                return
            if (m.size, m.sha256) != (e.get("size"), e.get("sha256")):
                self.add(R.EVIDENCE, False, f"evidence {path} does not match its recorded size and SHA-256")
                return
        stray = [n for n in self.order if n.startswith(bf.EVIDENCE_DIR + "/") and n not in described]
        if stray:
            self.add(R.EVIDENCE, False, f"{stray[0]} is not described as evidence in {bf.MANIFEST}")
            return
        self.add(R.EVIDENCE, True, f"{len(described)} evidence files match their metadata")

    def _check_activity_log(self, manifest: dict[str, Any]) -> None:
        raw = self._data(bf.ACTIVITY_LOG)
        info = manifest.get("activity_log")
        if raw is None or not isinstance(info, dict):
            self.add(R.ACTIVITY_LOG, False, f"{bf.ACTIVITY_LOG} or its description is missing")
            return
        entries: list[Any] = []
        try:
            lines = raw.decode("utf-8").splitlines()
        except UnicodeDecodeError:
            self.add(R.ACTIVITY_LOG, False, f"{bf.ACTIVITY_LOG} is not UTF-8 text")
            return
        for n, line in enumerate(lines, 1):
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError:
                self.add(R.ACTIVITY_LOG, False, f"{bf.ACTIVITY_LOG}: line {n} is not JSON")
                return
        head = info.get("head")
        expected = (head["seq"], head["hash"]) if isinstance(head, dict) and {"seq", "hash"} <= set(head) \
            else None
        if not all(isinstance(e, dict) for e in entries):
            self.add(R.ACTIVITY_LOG, False, f"{bf.ACTIVITY_LOG}: an entry is not a JSON object")
            return
        problems: list[Any] = verify_chain(entries, expected)
        if not problems and info.get("entries") != len(entries):
            problems = [f"holds {len(entries)} entries, the manifest says {info.get('entries')}"]
        if problems:
            self.add(R.ACTIVITY_LOG, False, f"{bf.ACTIVITY_LOG}: {problems[0]}")
        else:
            self.add(R.ACTIVITY_LOG, True, f"{len(entries)} entries, hash chain intact")


def _manifest_problem(doc: Any) -> str | None:
    if not isinstance(doc, dict):
        return "not a JSON object"
    fmt = doc.get("format")
    if fmt != bf.FORMAT:
        if isinstance(fmt, str) and fmt.startswith(bf.FORMAT_PREFIX):
            return f"format {fmt!r} is newer than this app understands ({bf.FORMAT})"
        return "not a CCUS Attest bundle manifest"
    if not bf.valid_submission_id(doc.get("submission_id")):
        return "submission_id is missing or malformed"
    for key in ("created_at", "vendor", "signer_key_id"):
        if not isinstance(doc.get(key), str):
            return f"{key} is missing"
    if not isinstance(doc.get("complete"), bool) or not isinstance(doc.get("blockers"), list):
        return "complete / blockers are missing"
    tpl = doc.get("template")
    if not isinstance(tpl, dict) or not all(isinstance(tpl.get(k), str) for k in ("id", "version", "sha256")):
        return "template is missing or malformed"
    members = doc.get("members")
    if not isinstance(members, list) or len(members) > bf.MAX_MEMBERS:
        return "members is missing"
    seen = set()
    for m in members:
        if not (isinstance(m, dict) and isinstance(m.get("path"), str) and isinstance(m.get("size"), int)
                and not isinstance(m.get("size"), bool) and bf.valid_sha256(m.get("sha256"))):
            return "a members entry is malformed"
        if m["path"] in seen or m["path"] in bf.TRAILER:
            return f"members lists {m['path']!r} wrongly"
        seen.add(m["path"])
    if not isinstance(doc.get("evidence"), list):
        return "evidence is missing"
    return None


def _as_public_key(signer) -> PublicSigningKey:
    return load_public_key(signer)


def verify_bundle(path: str | Path, *, signer, identity=None, progress: ProgressFn | None = None,
                  cancel: CancelFn | None = None) -> VerifyReport:
    """Check a bundle against the signer's public key (pinned by the auditor).

    ``signer``: a minisign public key file, the base64 key string, or a PublicSigningKey.
    Without ``identity`` only the outer layer is checked (container, signer.pub, the
    signature of submission.tar.age, README.txt); with it (an age identity file or
    identities), everything inside too. Problems are reported as failed checks.
    """
    pk = _as_public_key(signer)
    ids = load_identities(identity) if identity is not None else None
    return _Verifier(Path(path), pk, ids, progress, cancel, None).run()


def open_bundle(path: str | Path, out_dir: str | Path, *, signer, identity,
                progress: ProgressFn | None = None, cancel: CancelFn | None = None) -> VerifyReport:
    """Verify and extract into ``out_dir`` (new or empty). Raises BundleVerificationFailed
    (or another BundleError) and leaves ``out_dir`` as it was when anything is wrong."""
    pk = _as_public_key(signer)
    ids = load_identities(identity)
    path = Path(path)
    if not path.is_file():
        raise BundleError(f"{path}: no such file")
    staging = Staging(out_dir)
    try:
        report = _Verifier(path, pk, ids, progress, cancel, staging).run()
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
