"""Export: a real workspace into a real bundle file; refusals; nothing left behind."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import os
import threading

import openpyxl
import pytest

from exports import bundle_format as bf
from exports.bundle import (
    BundleError,
    BundleIncomplete,
    OutputExists,
    export_bundle,
    open_bundle,
    verify_bundle,
)
from questionnaire.submission import load_submission_dir
from storage import Cancelled, CorruptData, EvidenceMeta

from .bundle_support import EVIDENCE_CONTENT, MINI, decrypt_payload, tar_entries, zip_members


def test_export_verify_open_round_trip(complete_ws, tmp_path, signer, auditor):
    out = tmp_path / "bundle.zip"
    seen = []
    result = export_bundle(complete_ws, out, signing_key=signer.key, recipients=[auditor.recipient],
                           progress=lambda d, t: seen.append((d, t)))
    data = out.read_bytes()
    assert result.path == out and result.size == len(data)
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert result.signer_key_id == signer.key_id and result.complete
    assert seen and seen[-1][0] == seen[-1][1] and all(a[0] <= b[0] for a, b in itertools.pairwise(seen))
    assert list(zip_members(out)) == list(bf.ZIP_MEMBERS)

    report = verify_bundle(out, signer=signer.public_path, identity=auditor.identity_path, templates=MINI)
    assert report.ok, report.first_problem()
    assert report.signer_key_id == signer.key_id and report.decrypted
    assert report.manifest["submission_id"] == result.submission_id
    assert report.manifest["complete"] is True and report.manifest["blockers"] == []

    opened = tmp_path / "opened"
    open_bundle(out, opened, signer=signer.public_path, identity=auditor.identity_path, templates=MINI)
    assert sorted(p.name for p in opened.iterdir()) == sorted(
        [bf.TEMPLATE, bf.ANSWERS, bf.ACTIVITY_LOG, bf.CHECKLIST, bf.REPORT, bf.MANIFEST, bf.SUMS, bf.SUMS_SIG,
         "evidence"])
    sub = load_submission_dir(opened, signer_key_id=report.signer_key_id)
    assert sub.submission_id == result.submission_id and sub.vendor == complete_ws.vendor
    assert sub.answers["CERT-02"].value == "IS 123456"
    assert (opened / bf.TEMPLATE).read_text(encoding="utf-8") == complete_ws.template.source_text
    info = next(e for e in sub.evidence if e.item_id == "CERT-02")
    assert (opened / sub.evidence_path(info)).read_bytes() == EVIDENCE_CONTENT
    assert sub.evidence_path(info) == "evidence/CERT-02/ISMS 登録証.pdf"
    # the checklist and the report are real documents of this signed submission
    wb = openpyxl.load_workbook(opened / bf.CHECKLIST, read_only=True)
    cells = [str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
    assert any(signer.key_id in c for c in cells) and any(result.submission_id in c for c in cells)
    assert (opened / bf.REPORT).read_bytes().startswith(b"%PDF-")
    # extracted evidence is confidential: owner-only
    assert all((p.stat().st_mode & 0o077) == 0 for p in opened.rglob("*"))


def test_tar_layout_and_manifest(bundle, auditor, complete_ws, signer):
    entries = tar_entries(decrypt_payload(bundle, auditor.identity_path))
    names = [e.info.name for e in entries]
    assert names[:5] == [bf.TEMPLATE, bf.ANSWERS, bf.ACTIVITY_LOG, bf.CHECKLIST, bf.REPORT]
    assert names[-3:] == [bf.MANIFEST, bf.SUMS, bf.SUMS_SIG]
    assert all(e.info.isreg() and e.info.mode == 0o644 for e in entries)
    by_name = {e.info.name: e.data for e in entries}
    manifest = json.loads(by_name[bf.MANIFEST])
    assert manifest["format"] == bf.FORMAT
    assert manifest["template"] == {"id": "mini-test", "version": "0.1",
                                    "sha256": complete_ws.template.digest}
    assert manifest["signer_key_id"] == signer.key_id and manifest["vendor"] == complete_ws.vendor
    assert [m["path"] for m in manifest["members"]] == names[:-3]
    for m in manifest["members"]:
        assert m["size"] == len(by_name[m["path"]])
        assert m["sha256"] == hashlib.sha256(by_name[m["path"]]).hexdigest()
    assert {e["path"] for e in manifest["evidence"]} == {n for n in names if n.startswith("evidence/")}
    answers = json.loads(by_name[bf.ANSWERS])
    assert answers == complete_ws.submission(manifest["submission_id"], manifest["created_at"]).to_document()
    log_lines = by_name[bf.ACTIVITY_LOG].decode().splitlines()
    assert [json.loads(x)["seq"] for x in log_lines] == list(range(1, len(log_lines) + 1))
    assert manifest["activity_log"]["entries"] == len(log_lines)
    assert by_name[bf.SUMS].decode().splitlines()[-1].endswith(f"  {bf.MANIFEST}")


def test_export_is_recorded_in_the_activity_log(bundle, complete_ws):
    last = complete_ws.activity()[-1]
    assert last.action == "bundle.exported"
    assert last.detail["file"] == bundle.name and last.detail["sha256"] == hashlib.sha256(
        bundle.read_bytes()).hexdigest()
    assert complete_ws.verify_activity() == []


def test_incomplete_is_refused_with_a_clear_message(mini_ws, tmp_path, signer, auditor):
    out = tmp_path / "b.zip"
    with pytest.raises(BundleIncomplete) as err:
        export_bundle(mini_ws, out, signing_key=signer.key, recipients=[auditor.recipient])
    msg = str(err.value)
    n = len(mini_ws.assess().blockers)
    assert f"{n} blocking problems" in msg and "AGR-01: not answered" in msg and "--allow-incomplete" in msg
    assert f"and {n - 3} more" in msg
    assert not out.exists() and list(tmp_path.glob(".b.zip*")) == []
    assert not any(e.action == "bundle.exported" for e in mini_ws.activity())


def test_allow_incomplete_records_what_is_missing(mini_ws, tmp_path, signer, auditor):
    out = tmp_path / "b.zip"
    result = export_bundle(mini_ws, out, signing_key=signer.key, recipients=[auditor.recipient],
                           allow_incomplete=True)
    assert result.complete is False
    report = verify_bundle(out, signer=signer.public_path, identity=auditor.identity_path, templates=MINI)
    assert report.ok
    assert report.manifest["complete"] is False
    codes = {(b["item_id"], b["code"]) for b in report.manifest["blockers"]}
    assert ("AGR-01", "unanswered") in codes and len(codes) == len(mini_ws.assess().blockers)


def test_expired_evidence_blocks_export(complete_ws, tmp_path, signer, auditor):
    info = complete_ws.evidence("CERT-02")[0]
    complete_ws.update_evidence(info.id, EvidenceMeta("certificate", issued=dt.date(2020, 1, 1),
                                                      expires=dt.date(2021, 1, 1)))
    with pytest.raises(BundleIncomplete, match="evidence has expired"):
        export_bundle(complete_ws, tmp_path / "b.zip", signing_key=signer.key, recipients=[auditor.recipient])
    # ... judged on the day given
    export_bundle(complete_ws, tmp_path / "b.zip", signing_key=signer.key, recipients=[auditor.recipient],
                  on=dt.date(2020, 6, 1))


def test_never_overwrites_unless_asked(bundle, complete_ws, signer, auditor):
    before = bundle.read_bytes()
    with pytest.raises(OutputExists, match="--force"):
        export_bundle(complete_ws, bundle, signing_key=signer.key, recipients=[auditor.recipient])
    assert bundle.read_bytes() == before
    result = export_bundle(complete_ws, bundle, signing_key=signer.key, recipients=[auditor.recipient],
                           overwrite=True)
    assert bundle.read_bytes() != before and result.sha256 == hashlib.sha256(bundle.read_bytes()).hexdigest()
    assert sorted(p.name for p in bundle.parent.iterdir()) == [bundle.name]


def test_several_recipients_can_each_open(complete_ws, tmp_path, signer, auditor, other_auditor):
    out = tmp_path / "b.zip"
    export_bundle(complete_ws, out, signing_key=signer.key,
                  recipients=[auditor.recipient, str(other_auditor.recipient_path)])
    for who in (auditor, other_auditor):
        assert verify_bundle(out, signer=signer.public_path, identity=who.identity_path, templates=MINI).ok


@pytest.mark.parametrize("at", [0.25, 0.75])  # while streaming / while checking the written file
def test_cancel_leaves_nothing_behind(complete_ws, tmp_path, signer, auditor, at):
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(6 << 20))
    complete_ws.add_evidence("TEC-04", big, EvidenceMeta("policy"))
    out = tmp_path / "out" / "b.zip"
    out.parent.mkdir()
    state = {"done": 0, "total": 1}

    def progress(done: int, total: int) -> None:
        state.update(done=done, total=total)

    with pytest.raises(Cancelled):
        export_bundle(complete_ws, out, signing_key=signer.key, recipients=[auditor.recipient],
                      progress=progress, cancel=lambda: state["done"] > at * state["total"])
    assert list(out.parent.iterdir()) == []
    assert not any(e.action == "bundle.exported" for e in complete_ws.activity())
    assert threading.active_count() == 1  # the producer thread is gone


def test_full_disk_while_writing_the_payload_leaves_nothing_behind(complete_ws, tmp_path, signer, auditor,
                                                                   monkeypatch):
    import errno
    import zipfile

    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(6 << 20))
    complete_ws.add_evidence("TEC-04", big, EvidenceMeta("policy"))
    written = {"n": 0}
    real_write = zipfile._ZipWriteFile.write

    def write(self, data):  # the disk fills up after 2 MiB of the encrypted payload
        written["n"] += len(data)
        if written["n"] > 2 << 20:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(zipfile._ZipWriteFile, "write", write)
    out = tmp_path / "out" / "b.zip"
    out.parent.mkdir()
    from storage.faults import FaultKind, MachineFault

    with pytest.raises(MachineFault, match="not enough free space on the drive holding") as caught:
        export_bundle(complete_ws, out, signing_key=signer.key, recipients=[auditor.recipient])
    assert caught.value.kind is FaultKind.NO_SPACE and caught.value.folder == out.parent
    assert list(out.parent.iterdir()) == []
    assert not any(e.action == "bundle.exported" for e in complete_ws.activity())
    assert threading.active_count() == 1  # the tar and write threads are gone


def test_damaged_evidence_aborts_cleanly(complete_ws, tmp_path, signer, auditor):
    info = complete_ws.evidence("CERT-02")[0]
    blob = complete_ws._blobs.path_of(complete_ws.blob_id_of(info.id))
    raw = bytearray(blob.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    blob.write_bytes(bytes(raw))
    out = tmp_path / "out" / "b.zip"
    out.parent.mkdir()
    with pytest.raises(CorruptData, match="ISMS 登録証.pdf"):
        export_bundle(complete_ws, out, signing_key=signer.key, recipients=[auditor.recipient])
    assert list(out.parent.iterdir()) == []
    assert threading.active_count() == 1


def test_evidence_blob_swapped_for_another_of_the_workspace_aborts_export(complete_ws, tmp_path, signer,
                                                                          auditor):
    # Two files of the same size, so only the content check (against the SHA-256 sealed in
    # the evidence record) can tell them apart; age decrypts both without complaint.
    src = tmp_path / "swap"
    src.mkdir()
    (src / "a.pdf").write_bytes(b"A" * 70_000)
    (src / "b.pdf").write_bytes(b"B" * 70_000)
    a = complete_ws.add_evidence("TEC-04", src / "a.pdf", EvidenceMeta("policy"))
    b = complete_ws.add_evidence("TEC-04", src / "b.pdf", EvidenceMeta("policy"))
    pa = complete_ws._blobs.path_of(complete_ws.blob_id_of(a.id))
    pb = complete_ws._blobs.path_of(complete_ws.blob_id_of(b.id))
    pa_bytes = pa.read_bytes()
    pa.write_bytes(pb.read_bytes())
    pb.write_bytes(pa_bytes)
    out = tmp_path / "out" / "b.zip"
    out.parent.mkdir()
    with pytest.raises(CorruptData, match="a.pdf.*does not match the SHA-256 recorded"):
        export_bundle(complete_ws, out, signing_key=signer.key, recipients=[auditor.recipient])
    assert list(out.parent.iterdir()) == []
    assert not any(e.action == "bundle.exported" for e in complete_ws.activity())
    assert threading.active_count() == 1


def test_unportable_evidence_name_is_refused_at_export(complete_ws, tmp_path, signer, auditor):
    src = tmp_path / "scan.pdf"
    src.write_bytes(b"scan")
    complete_ws.add_evidence("TEC-04", src, EvidenceMeta("policy"), filename="scan 10:30.pdf")
    with pytest.raises(BundleError, match="scan 10:30.pdf.*attach it again"):
        export_bundle(complete_ws, tmp_path / "b.zip", signing_key=signer.key, recipients=[auditor.recipient])


def test_bad_recipient_or_output_place(complete_ws, tmp_path, signer):
    with pytest.raises(BundleError, match="recipient"):
        export_bundle(complete_ws, tmp_path / "b.zip", signing_key=signer.key, recipients=["age1nonsense"])
    with pytest.raises(BundleError, match="at least one recipient"):
        export_bundle(complete_ws, tmp_path / "b.zip", signing_key=signer.key, recipients=[])
    with pytest.raises(BundleError, match="does not exist"):
        export_bundle(complete_ws, tmp_path / "nope" / "b.zip", signing_key=signer.key,
                      recipients=["age1llx2r4lca9fvnwdapzwuehspagqgg3y085s2wtdczfwxsen7e47qn946gm"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sources", "ws"]
