"""Verify: every change to a bundle is reported, naming what failed."""

from __future__ import annotations

import errno
import os
import random
import struct
import threading
import zipfile

import pytest

from exports import bundle_format as bf
from exports import bundle_report as R
from exports.bundle import BundleError, BundleVerificationFailed, KeyFileError, export_bundle, open_bundle
from exports.bundle import verify_bundle as verify
from exports.bundle_zip import ContainerError, read_container

from .bundle_support import MINI, flip, tree, write_zip, zip_members


def failed(report) -> dict[str, str]:
    return {c.name: c.detail for c in report.checks if not c.ok}


def test_outer_only_and_full(bundle, signer, auditor):
    outer = verify(bundle, signer=signer.public_path)
    assert outer.ok and not outer.decrypted and outer.manifest is None
    assert [c.name for c in outer.checks] == [R.ZIP, R.OUTER_SIGNATURE, R.README, R.SIGNER_PUB, R.EXPORT_TIME]
    full = verify(bundle, signer=signer.public_path, identity=auditor.identity_path, templates=MINI)
    assert full.ok and full.decrypted
    names = [c.name for c in full.checks]
    for name in (R.DECRYPT, R.ARCHIVE, R.INNER_SIGNATURE, R.CHECKSUMS, R.MANIFEST, R.SIGNER_KEY_ID, R.MEMBERS,
                 R.TEMPLATE, R.ANSWERS, R.EVIDENCE, R.ACTIVITY_LOG, "member:answers.json"):
        assert name in names


def test_signer_given_as_base64_string(bundle, signer):
    assert verify(bundle, signer=signer.key.public.base64).ok
    with pytest.raises(KeyFileError, match="no such file, and not a base64"):
        verify(bundle, signer="no-such.pub")


def test_another_signer_is_named(bundle, signer, other_signer, auditor):
    report = verify(bundle, signer=other_signer.public_path, identity=auditor.identity_path, templates=MINI)
    assert not report.ok
    assert report.problems[0].name == R.OUTER_SIGNATURE
    assert f"signed by key {signer.key_id}, not by the expected key {other_signer.key_id}" in \
        report.problems[0].detail
    assert R.SIGNER_PUB in failed(report) and R.INNER_SIGNATURE in failed(report)


def test_signed_with_another_key_fails(complete_ws, tmp_path, signer, other_signer, auditor):
    """A bundle made with the intruder's key does not verify against the vendor's pinned key."""
    out = tmp_path / "intruder.zip"
    export_bundle(complete_ws, out, signing_key=other_signer.key, recipients=[auditor.recipient])
    report = verify(out, signer=signer.public_path)
    assert not report.ok and "not by the expected key" in failed(report)[R.OUTER_SIGNATURE]
    with pytest.raises(BundleVerificationFailed, match="outer-signature"):
        open_bundle(out, tmp_path / "o", signer=signer.public_path, identity=auditor.identity_path,
                    templates=MINI)
    assert not (tmp_path / "o").exists()


def test_wrong_identity(bundle, signer, other_auditor):
    report = verify(bundle, signer=signer.public_path, identity=other_auditor.identity_path, templates=MINI)
    assert failed(report) == {R.DECRYPT: f"{bf.PAYLOAD}: the identity is not one of the bundle's recipients "
                                         "(wrong key)"}


def _offsets(size: int, entries) -> list[int]:
    """Every header byte region's edges plus a spread of offsets across the whole file."""
    rng = random.Random(1234)
    picks = {0, 1, 4, 8, 14, 26, size - 1, size - 2, size - 10, size - 22, size - 40}
    for e in entries.values():
        picks.update({e.offset, e.offset + 10, e.offset + 17, e.offset + 27, e.data_offset - 1, e.data_offset,
                      e.data_offset + e.size // 2, e.data_offset + e.size - 1})
    picks.update(rng.randrange(size) for _ in range(60))
    return sorted(p for p in picks if 0 <= p < size)


def test_flipping_any_byte_fails_verification(bundle, signer, auditor, tmp_path):
    data = bundle.read_bytes()
    with open(bundle, "rb") as fh:
        entries = read_container(fh, len(data))
    names = ("ZIP", "central directory", "local header", "end", "CRC", "signature", "README", "signer.pub",
             "entry", "entries", "altered", "damaged", "layout")
    bad = tmp_path / "bad.zip"
    for i, offset in enumerate(_offsets(len(data), entries)):
        bad.write_bytes(flip(data, offset, 1 << (i % 8)))
        identity = auditor.identity_path if i % 4 == 0 else None
        report = verify(bad, signer=signer.public_path, identity=identity, templates=MINI)
        assert not report.ok, f"flipping byte {offset} went unnoticed"
        problem = report.first_problem()
        assert any(n in problem for n in names), (offset, problem)


def test_flip_in_payload_names_the_signature(bundle, signer, auditor, tmp_path):
    data = bundle.read_bytes()
    with open(bundle, "rb") as fh:
        e = read_container(fh, len(data))[bf.PAYLOAD]
    bad = tmp_path / "bad.zip"
    bad.write_bytes(flip(data, e.data_offset + e.size // 2))
    report = verify(bad, signer=signer.public_path, identity=auditor.identity_path, templates=MINI)
    problems = failed(report)
    assert R.ZIP not in problems and report.problems[0].name == R.OUTER_SIGNATURE
    assert "contents were altered" in problems[R.OUTER_SIGNATURE]
    assert "damaged" in problems[R.DECRYPT]


@pytest.mark.parametrize("keep", [0, 10, 100, 0.5, -1, -22, -23])
def test_truncation_fails(bundle, signer, tmp_path, keep):
    data = bundle.read_bytes()
    n = int(len(data) * keep) if isinstance(keep, float) else (keep if keep >= 0 else len(data) + keep)
    bad = tmp_path / "cut.zip"
    bad.write_bytes(data[:n])
    report = verify(bad, signer=signer.public_path)
    assert not report.ok
    assert report.problems[0].name == R.ZIP
    assert "ZIP" in report.problems[0].detail or "truncated" in report.problems[0].detail or \
        "end" in report.problems[0].detail


def test_appended_bytes_and_comment_fail(bundle, signer, tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(bundle.read_bytes() + b"extra")
    assert "ZIP" in verify(bad, signer=signer.public_path).first_problem()
    bad.write_bytes(b"MZ" + bundle.read_bytes())  # prepended, e.g. a self-extractor stub
    assert not verify(bad, signer=signer.public_path).ok
    with zipfile.ZipFile(bad, "w") as zf:
        pass
    bad.write_bytes(bundle.read_bytes())
    with zipfile.ZipFile(bad, "a") as zf:
        zf.comment = b"hello"
    assert not verify(bad, signer=signer.public_path).ok


def _swap(a: dict, b: dict, names: tuple[str, ...]) -> list[tuple[str, bytes]]:
    return [(n, (b if n in names else a)[n]) for n in bf.ZIP_MEMBERS]


def test_swapping_members_between_bundles(bundle, complete_ws, signer, auditor, tmp_path):
    other = tmp_path / "other.zip"
    export_bundle(complete_ws, other, signing_key=signer.key, recipients=[auditor.recipient])
    a, b = zip_members(bundle), zip_members(other)
    bad = tmp_path / "swapped.zip"
    write_zip(bad, _swap(a, b, (bf.PAYLOAD,)))
    report = verify(bad, signer=signer.public_path, identity=auditor.identity_path, templates=MINI)
    assert failed(report)[R.OUTER_SIGNATURE].endswith(
        "does not match the data or its trusted comment (altered)")
    write_zip(bad, _swap(a, b, (bf.PAYLOAD_SIG,)))
    assert R.OUTER_SIGNATURE in failed(verify(bad, signer=signer.public_path))
    write_zip(bad, _swap(a, b, (bf.README,)))
    assert failed(verify(bad, signer=signer.public_path)) == {
        R.README: "README.txt differs from the one that was signed (altered or swapped)"}
    # both the payload and its signature from the other bundle: its README gives it away
    write_zip(bad, _swap(a, b, (bf.PAYLOAD, bf.PAYLOAD_SIG)))
    assert R.README in failed(verify(bad, signer=signer.public_path))
    # the untouched container written again is accepted: the checks are about content, not luck
    write_zip(bad, _swap(a, b, ()))
    assert verify(bad, signer=signer.public_path, identity=auditor.identity_path, templates=MINI).ok


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_zip_structure_problems_are_named(bundle, signer, tmp_path):
    members = zip_members(bundle)
    bad = tmp_path / "bad.zip"
    write_zip(bad, [*[(n, members[n]) for n in bf.ZIP_MEMBERS], ("extra.txt", b"x")])
    assert "unexpected entry 'extra.txt'" in verify(bad, signer=signer.public_path).first_problem()
    write_zip(bad, [*[(n, members[n]) for n in bf.ZIP_MEMBERS], (bf.README, b"x")])
    assert "holds README.txt twice" in verify(bad, signer=signer.public_path).first_problem()
    write_zip(bad, [(n, members[n]) for n in bf.ZIP_MEMBERS if n != bf.SIGNER_PUB])
    assert "signer.pub is missing" in verify(bad, signer=signer.public_path).first_problem()
    write_zip(bad, [(n, members[n]) for n in reversed(bf.ZIP_MEMBERS)])
    assert "out of order" in verify(bad, signer=signer.public_path).first_problem()
    with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as zf:  # deflated: not the v1 container
        for n in bf.ZIP_MEMBERS:
            zf.writestr(n, members[n])
    assert "local header" in verify(bad, signer=signer.public_path).first_problem()
    bad.write_bytes(b"not a zip at all" * 10)
    assert verify(bad, signer=signer.public_path).first_problem() == "zip: not a ZIP file"


def test_zip64_end_records_are_checked(bundle):
    """Entries past 2 GiB use zip64 fields; the reader takes them from the central directory."""
    data = bundle.read_bytes()
    eocd = data[-22:]
    count, size, offset = struct.unpack("<HLL", eocd[10:20])[0], *struct.unpack("<LL", eocd[12:20])
    forged = data[:-22] + eocd[:12] + struct.pack("<LL", 0xFFFFFFFF, 0xFFFFFFFF) + eocd[20:]
    import io

    with pytest.raises(ContainerError, match="zip64"):
        read_container(io.BytesIO(forged), len(forged))
    assert count == 4 and size < 1000 and offset < len(data)


def test_missing_bundle_and_hostile_sizes(tmp_path, signer):
    with pytest.raises(BundleError, match="no such file"):
        verify(tmp_path / "none.zip", signer=signer.public_path)
    with pytest.raises(BundleError, match="folder"):
        verify(tmp_path, signer=signer.public_path)
    big = tmp_path / "big.zip"
    write_zip(big, [(bf.README, b"r" * (bf.MAX_README_BYTES + 1)), (bf.SIGNER_PUB, b""), (bf.PAYLOAD, b""),
                    (bf.PAYLOAD_SIG, b"")])
    assert "README.txt is too large" in verify(big, signer=signer.public_path).first_problem()


def test_open_failure_leaves_the_folder_as_it_was(bundle, signer, auditor, tmp_path):
    data = bundle.read_bytes()
    bad = tmp_path / "bad.zip"
    with open(bundle, "rb") as fh:
        e = read_container(fh, len(data))[bf.PAYLOAD]
    bad.write_bytes(flip(data, e.data_offset + e.size - 5))
    before = tree(tmp_path)
    with pytest.raises(BundleVerificationFailed):
        open_bundle(bad, tmp_path / "new", signer=signer.public_path, identity=auditor.identity_path,
                    templates=MINI)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(BundleVerificationFailed):
        open_bundle(bad, empty, signer=signer.public_path, identity=auditor.identity_path, templates=MINI)
    assert tree(tmp_path) == sorted([*before, "empty"])
    (empty / "x").write_text("keep")
    with pytest.raises(BundleError, match="not empty"):
        open_bundle(bundle, empty, signer=signer.public_path, identity=auditor.identity_path, templates=MINI)
    assert tree(empty) == ["x"]


# --- streaming with threads: cancel, a full disk and damage stop every thread ----------------


@pytest.fixture
def big_bundle(complete_ws, tmp_path, signer, auditor):
    from storage import EvidenceMeta

    src = tmp_path / "big.bin"
    src.write_bytes(os.urandom(6 << 20))
    complete_ws.add_evidence("TEC-04", src, EvidenceMeta("policy"))
    out = tmp_path / "big.zip"
    export_bundle(complete_ws, out, signing_key=signer.key, recipients=[auditor.recipient])
    return out


@pytest.mark.parametrize("at", [0.1, 0.6])
def test_cancel_while_opening_leaves_nothing_behind(big_bundle, signer, auditor, tmp_path, at):
    from storage import Cancelled

    state = {"done": 0, "total": 1}
    dest = tmp_path / "o"
    with pytest.raises(Cancelled):
        open_bundle(big_bundle, dest, signer=signer.public_path, identity=auditor.identity_path,
                    templates=MINI,
                    progress=lambda d, t: state.update(done=d, total=t),
                    cancel=lambda: state["done"] > at * state["total"])
    assert not dest.exists()
    assert threading.active_count() == 1
    state = {"done": 0, "total": 1}
    with pytest.raises(Cancelled):  # the outer check alone is cancellable too
        verify(big_bundle, signer=signer.public_path, progress=lambda d, t: state.update(done=d, total=t),
               cancel=lambda: state["done"] > at * state["total"])
    assert state["done"] > 0
    assert threading.active_count() == 1


def test_full_disk_while_opening_leaves_nothing_behind(big_bundle, signer, auditor, tmp_path, monkeypatch):
    from exports import safe_extract

    real_create = safe_extract.Staging.create

    class Full:
        """A staged file on a disk that fills up after 1 MiB."""

        def __init__(self, fh):
            self._fh, self._n = fh, 0

        def write(self, data):
            self._n += len(data)
            if self._n > 1 << 20:
                raise OSError(errno.ENOSPC, "No space left on device")
            return self._fh.write(data)

        def close(self):
            self._fh.close()

    monkeypatch.setattr(safe_extract.Staging, "create", lambda self, parts: Full(real_create(self, parts)))
    dest = tmp_path / "o"
    dest.mkdir()
    with pytest.raises(BundleError, match="No space left on device"):
        open_bundle(big_bundle, dest, signer=signer.public_path, identity=auditor.identity_path,
                    templates=MINI)
    assert tree(dest) == []
    assert threading.active_count() == 1


def test_damaged_payload_is_read_to_the_end_by_the_reading_thread(big_bundle, signer, auditor, tmp_path):
    data = bytearray(big_bundle.read_bytes())
    data[len(data) // 3] ^= 0x01  # inside the encrypted payload: decryption stops there
    bad = tmp_path / "bad.zip"
    bad.write_bytes(bytes(data))
    report = verify(bad, signer=signer.public_path, identity=auditor.identity_path, templates=MINI)
    problems = failed(report)
    assert R.DECRYPT in problems and R.OUTER_SIGNATURE in problems, problems
    assert threading.active_count() == 1
