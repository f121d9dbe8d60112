"""Open treats every bundle as hostile.

Each case re-packs a real bundle's contents with one hostile change, then encrypts and
signs it *validly* with the test keys: the outer signature holds, so what is tested is the
archive and manifest checks behind it. Every case must be refused with a message naming
the problem, write nothing outside the destination, and leave the destination as it was.
"""

from __future__ import annotations

import hashlib
import json
import tarfile
import unicodedata

import pytest

from exports import bundle_format as bf
from exports import bundle_report as R
from exports.bundle import BundleVerificationFailed, open_bundle, verify_bundle
from exports.errors import BundleError, UnsafeArchive
from exports.safe_extract import check_member_name

from .bundle_support import MINI, build_tar, content_of, file_entry, manifest_of, repack, reseal, tree


def link(name: str, target: str, kind=tarfile.SYMTYPE):
    e = file_entry(name, b"")
    e.info.type = kind
    e.info.linkname = target
    return e


def special(name: str, kind):
    e = file_entry(name, b"")
    e.info.type = kind
    e.info.devmajor, e.info.devminor = 1, 3
    return e


def added(entry_factory):
    """Add an entry to the content and list it in a freshly signed trailer."""
    def edit(entries, signer):
        return build_tar(reseal([*content_of(entries), entry_factory()], manifest_of(entries), signer))
    return edit


def renamed(old_suffix: str, new_name: str):
    def edit(entries, signer):
        content = content_of(entries)
        for e in content:
            if e.info.name.endswith(old_suffix):
                e.info.name = new_name
        return build_tar(reseal(content, manifest_of(entries), signer))
    return edit


def duplicate(name_of_copy):
    def edit(entries, signer):
        content = content_of(entries)
        src = next(e for e in content if e.info.name.startswith("evidence/TEC-04/"))
        copy = file_entry(name_of_copy(src.info.name), src.data)
        return build_tar(reseal([*content, copy], manifest_of(entries), signer))
    return edit


def _nfd(name: str) -> str:
    return unicodedata.normalize("NFD", name)


def nfc_duplicate(entries, signer):
    """Two names that differ in bytes but not after Unicode normalisation (macOS merges them)."""
    content = content_of(entries)
    for e in content:
        if e.info.name.endswith("policy.txt"):
            e.info.name = "evidence/TEC-04/ポリシー.txt"
    content.append(file_entry(_nfd("evidence/TEC-04/ポリシー.txt"), b"a"))
    return build_tar(reseal(content, manifest_of(entries), signer))


def unlisted(entries, signer):
    manifest = manifest_of(entries)
    content = [*content_of(entries), file_entry("evidence/TEC-04/hidden.exe", b"MZ payload")]
    return build_tar(reseal(content, manifest, signer, list_members=False))


def size_lie(entries, signer):
    content = content_of(entries)
    sealed = reseal(content, manifest_of(entries), signer)
    manifest = manifest_of(sealed)
    manifest["members"][1]["size"] += 1
    return build_tar(reseal(content, manifest, signer, list_members=False))


def absurd_size(entries, signer):
    # A header claiming 2**40 bytes, followed by only a little data.
    info = tarfile.TarInfo("evidence/TEC-04/huge.bin")
    info.size = 1 << 40
    head = info.tobuf(tarfile.PAX_FORMAT, "utf-8", "strict")
    return head + b"x" * 4096 + b"\0" * 10240


def huge_pax_header(entries, signer):
    e = file_entry("answers.json", b"{}")
    e.info.pax_headers = {"comment": "x" * (bf.MAX_EXTENDED_HEADER_BYTES + 10)}
    return build_tar([e, *content_of(entries)])


def trailing_data(entries, signer):
    return build_tar(reseal(content_of(entries), manifest_of(entries), signer)) + b"hidden after the end"


def not_a_tar(entries, signer):
    return b"this is not a tar archive " * 100


def sparse(entries, signer):
    e = file_entry("evidence/TEC-04/sparse.bin", b"")
    e.info.type = tarfile.GNUTYPE_SPARSE
    return build_tar([*content_of(entries), e])


CASES = {
    "absolute path": (added(lambda: file_entry("/tmp/ccus-evil", b"x")), "absolute path"),
    "dot-dot": (added(lambda: file_entry("../evil.txt", b"x")), "'..' component"),
    "deep dot-dot": (added(lambda: file_entry("evidence/TEC-04/../../../evil.txt", b"x")), "'..' component"),
    "drive letter": (added(lambda: file_entry("C:/Windows/evil.txt", b"x")), "drive letter"),
    "drive letter relative": (added(lambda: file_entry("evidence/C:evil/x.txt", b"x")), "drive letter"),
    "backslash": (added(lambda: file_entry("evidence\\TEC-04\\evil.txt", b"x")), "backslash"),
    "symlink": (added(lambda: link("evidence/TEC-04/link", "/etc/passwd")), "symbolic link"),
    "hard link": (added(lambda: link("evidence/TEC-04/hard", "answers.json", tarfile.LNKTYPE)), "hard link"),
    "device": (added(lambda: special("evidence/TEC-04/null", tarfile.CHRTYPE)), "device file"),
    "block device": (added(lambda: special("evidence/TEC-04/sda", tarfile.BLKTYPE)), "device file"),
    "fifo": (added(lambda: special("evidence/TEC-04/fifo", tarfile.FIFOTYPE)), "named pipe"),
    "folder entry": (added(lambda: special("evidence/TEC-04", tarfile.DIRTYPE)), "folder entry"),
    "sparse": (sparse, "sparse"),
    "unexpected top-level": (added(lambda: file_entry("autorun.inf", b"x")), "not part of the v1 layout"),
    "too deep": (added(lambda: file_entry("evidence/TEC-04/sub/x.txt", b"x")), "not part of the v1 layout"),
    "control character": (added(lambda: file_entry("evidence/TEC-04/a\nb.txt", b"x")), "control characters"),
    "duplicate name": (duplicate(lambda n: n), "appears twice"),
    "duplicate ignoring case": (duplicate(lambda n: n.upper().replace("EVIDENCE/", "evidence/")),
                                "appears twice"),
    "duplicate after normalisation": (nfc_duplicate, "appears twice"),
    "member not in manifest": (unlisted, "not in the signed manifest.json"),
    "size differs from manifest": (size_lie, "the manifest says"),
    "absurd size": (absurd_size, "too large"),
    "oversized pax header": (huge_pax_header, "extended header"),
    "data after the archive": (trailing_data, "data after the end"),
    "not a tar": (not_a_tar, "not a valid tar archive"),
    "renamed member": (renamed("policy.txt", "evidence/TEC-04/other.txt"), "is described but missing"),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("dest_state", ["new", "empty"])
def test_hostile_archive_is_refused(case, dest_state, bundle, signer, auditor, tmp_path):
    edit, expected = CASES[case]
    sandbox = tmp_path / "sandbox"
    sandbox.mkdir()
    forged = repack(bundle, tmp_path / "forged.zip", signer, auditor, lambda entries: edit(entries, signer))
    dest = sandbox / "opened"
    if dest_state == "empty":
        dest.mkdir()
    before_tmp = tree(tmp_path)
    with pytest.raises((BundleVerificationFailed, BundleError)) as err:
        open_bundle(forged, dest, signer=signer.public_path, identity=auditor.identity_path, templates=MINI)
    if expected:
        assert expected in str(err.value), str(err.value)
    assert tree(tmp_path) == before_tmp  # nothing written anywhere, the destination as it was
    assert (dest.exists() and not any(dest.iterdir())) if dest_state == "empty" else not dest.exists()
    assert not (tmp_path / "evil.txt").exists()
    # the outer layer was valid: the problem was found behind the signatures
    outer = verify_bundle(forged, signer=signer.public_path)
    assert outer.ok


def test_renamed_member_is_caught_by_the_manifest(bundle, signer, auditor, tmp_path):
    """A member renamed after signing the trailer: the signed manifest no longer matches."""
    def edit(entries):
        for e in entries:
            if e.info.name.endswith("policy.txt"):
                e.info.name = "evidence/TEC-04/other.txt"
        return build_tar(entries)

    forged = repack(bundle, tmp_path / "f.zip", signer, auditor, edit)
    report = verify_bundle(forged, signer=signer.public_path, identity=auditor.identity_path, templates=MINI)
    problems = {c.name: c.detail for c in report.problems}
    assert "lists 'evidence/TEC-04/policy.txt', which is not in the archive" in problems[R.CHECKSUMS]
    assert "member:evidence/TEC-04/policy.txt" in problems
    assert "not in the signed manifest.json" in problems["member:evidence/TEC-04/other.txt"]


def _sealed(edit_manifest=None, **kw):
    def edit(entries, signer):
        manifest = manifest_of(entries)
        if edit_manifest:
            edit_manifest(manifest)
        return build_tar(reseal(content_of(entries), manifest, signer, **kw))
    return edit


def _edit_member(name: str, change):
    def edit(entries, signer):
        content = content_of(entries)
        for e in content:
            if e.info.name == name:
                e.data = change(e.data)
                e.info.size = len(e.data)
        return build_tar(reseal(content, manifest_of(entries), signer))
    return edit


def _edit_log_line(n: int, change):
    def change_log(data: bytes) -> bytes:
        lines = data.decode().splitlines()
        lines = change(lines, n)
        return ("\n".join(lines) + "\n").encode()
    return _edit_member(bf.ACTIVITY_LOG, change_log)


def _edited_entry(lines, n):
    entry = json.loads(lines[n])
    entry["detail"] = {"value": "forged"}
    lines[n] = json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return lines


def _drop(lines, n):
    return lines[:n] + lines[n + 1:] if n >= 0 else lines[:n]


CONTENT_CASES = {
    "activity log entry edited": (_edit_log_line(1, _edited_entry), R.ACTIVITY_LOG,
                                  "entry 2: content was edited (hash mismatch)"),
    "activity log entry removed": (_edit_log_line(1, _drop), R.ACTIVITY_LOG, "entries missing or reordered"),
    "activity log truncated": (_edit_log_line(-1, _drop), R.ACTIVITY_LOG, "entries removed"),
    "template version differs": (_sealed(lambda m: m["template"].update(version="9.9")), R.TEMPLATE,
                                 "version is '0.1' but manifest.json says '9.9'"),
    "template digest differs": (_sealed(lambda m: m["template"].update(sha256="0" * 64)), R.TEMPLATE,
                                "sha256"),
    "signer key ID differs": (_sealed(lambda m: m.update(signer_key_id="0123456789ABCDEF")), R.SIGNER_KEY_ID,
                              "names signer key 0123456789ABCDEF"),
    "newer format": (_sealed(lambda m: m.update(format="ccus-attest/bundle/v2")), R.MANIFEST, "newer"),
    "another submission": (_sealed(lambda m: m.update(submission_id="someone-else")), R.MANIFEST,
                           "another submission"),
    "checksum differs": (_sealed(sums_edit=lambda ls: [(p, "0" * 64 if p == bf.ANSWERS else d)
                                                       for p, d in ls]),
                         R.CHECKSUMS, "'answers.json': SHA-256 differs"),
    "evidence metadata differs": (_sealed(lambda m: m["evidence"][0].update(size=1)), R.EVIDENCE,
                                  "does not match its recorded size"),
    "answers' evidence list altered": (_edit_member(bf.ANSWERS, lambda d: d.replace(b"IS 123456", b"IS 999")),
                                       R.ANSWERS, "the evidence list differs from manifest.json"),
    "answers' submission altered": (
        _edit_member(bf.ANSWERS, lambda d: d.replace(b'"vendor": "', b'"vendor": "X')),
        R.ANSWERS, "vendor differs from manifest.json"),
}


@pytest.mark.parametrize("case", sorted(CONTENT_CASES))
def test_content_problems_are_named(case, bundle, signer, auditor, tmp_path):
    edit, check, expected = CONTENT_CASES[case]
    forged = repack(bundle, tmp_path / "f.zip", signer, auditor, lambda entries: edit(entries, signer))
    report = verify_bundle(forged, signer=signer.public_path, identity=auditor.identity_path, templates=MINI)
    problems = {c.name: c.detail for c in report.problems}
    assert check in problems, report.first_problem()
    if expected:
        assert expected in problems[check], problems[check]
    with pytest.raises(BundleVerificationFailed):
        open_bundle(forged, tmp_path / "o", signer=signer.public_path, identity=auditor.identity_path,
                    templates=MINI)
    assert not (tmp_path / "o").exists()


def test_inner_signature_by_another_key(bundle, signer, other_signer, auditor, tmp_path):
    forged = repack(bundle, tmp_path / "f.zip", signer, auditor,
                    lambda entries: build_tar(reseal(content_of(entries), manifest_of(entries), signer,
                                                     sums_signer=other_signer)))
    report = verify_bundle(forged, signer=signer.public_path, identity=auditor.identity_path, templates=MINI)
    assert report.problems[0].name == R.INNER_SIGNATURE
    assert f"signed by key {other_signer.key_id}" in report.problems[0].detail


def test_missing_trailer_members(bundle, signer, auditor, tmp_path):
    for drop in bf.TRAILER:
        forged = repack(bundle, tmp_path / f"{drop}.zip", signer, auditor,
                        lambda entries, drop=drop: build_tar([e for e in entries if e.info.name != drop]))
        report = verify_bundle(forged, signer=signer.public_path, identity=auditor.identity_path,
                               templates=MINI)
        assert not report.ok and drop in report.first_problem(), report.first_problem()


def test_too_many_members(bundle, signer, auditor, tmp_path, monkeypatch):
    monkeypatch.setattr(bf, "MAX_MEMBERS", 4)
    with pytest.raises(BundleVerificationFailed, match="more than 4 members"):
        open_bundle(bundle, tmp_path / "o", signer=signer.public_path, identity=auditor.identity_path,
                    templates=MINI)
    assert not (tmp_path / "o").exists()


def test_not_enough_disk_space_is_an_error(bundle, signer, auditor, tmp_path, monkeypatch):
    from storage.faults import FaultKind, MachineFault

    monkeypatch.setattr(bf, "FREE_SPACE_MARGIN", 1 << 60)
    with pytest.raises(MachineFault, match="not enough free space") as caught:  # storage/faults.py
        open_bundle(bundle, tmp_path / "o", signer=signer.public_path, identity=auditor.identity_path,
                    templates=MINI)
    assert caught.value.kind is FaultKind.NO_SPACE and caught.value.folder == tmp_path / "o"
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("name", ["CON", "con.txt", "aux.pdf", "a:b.txt", "x?.pdf", 'q".txt', "dot.", "sp "])
def test_windows_reserved_names(name):
    path = f"evidence/TEC-04/{name}"
    with pytest.raises(UnsafeArchive):
        check_member_name(path, windows=True)


@pytest.mark.parametrize("name", ["answers.json", "evidence/CERT-02/ISMS 登録証.pdf", "evidence/X/a (2).pdf"])
def test_good_names(name):
    assert check_member_name(name, windows=True) == tuple(name.split("/"))
    assert check_member_name(name, windows=False) == tuple(name.split("/"))


def test_hash_of_forged_bundle_differs(bundle, signer, auditor, tmp_path):
    """Sanity: the forge really re-encrypts (a new bundle, not a copy)."""
    forged = repack(bundle, tmp_path / "same.zip", signer, auditor, build_tar)
    assert hashlib.sha256(forged.read_bytes()).digest() != hashlib.sha256(bundle.read_bytes()).digest()
    assert verify_bundle(forged, signer=signer.public_path, identity=auditor.identity_path, templates=MINI).ok
