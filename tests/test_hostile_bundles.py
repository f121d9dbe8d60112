"""Hostile bundles: a corpus (tests/fixtures/hostile/bundles, see make_bundles.py there) and
hypothesis properties for every layer of the format.

The layers are attacked where they are parsed: the outer ZIP (mutated bytes, no valid
signature needed), the age payload (mutated, then signed again with the test key so the
decryptor really reads it), the tar (mutated, then encrypted and signed again), and the
signed trailer and documents (manifest, SHA256SUMS, activity log, answers — resealed
with the test key, so the checks behind both signatures run). For every input:

* only the documented errors escape: ``verify_bundle`` returns a failed report or raises
  a BundleError; ``open_bundle`` raises a BundleError (BundleVerificationFailed included);
  the CLI prints one line and exits 1;
* nothing hangs (hypothesis deadlines, and the watchdog of tests/hostile_support.py);
* nothing is written outside the destination folder, which is left as it was;
* whatever verifies opens, and the opened folder reads back as a submission.
"""

from __future__ import annotations

import functools
import hashlib
import json
import shutil
import uuid
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exports import bundle_format as bf
from exports import keys
from exports.bundle import open_bundle, verify_bundle
from exports.errors import BundleError
from questionnaire.errors import AttestError
from questionnaire.submission import load_submission_dir

from .bundle_support import (
    MINI,
    AuditorFiles,
    SignerFiles,
    build_tar,
    content_of,
    decrypt_payload,
    file_entry,
    forge,
    manifest_of,
    reseal,
    sign_payload,
    tar_entries,
    zip_members,
)
from .conftest import FIXTURES
from .hostile_support import (
    FAST,
    SLOW,
    apply_edits,
    byte_edits,
    json_values,
    mutations_of,
    one_line_error,
    run_main,
    sandbox,
    watchdog,
)

__all__ = ["sandbox", "watchdog"]  # fixtures, used by name

KEYS = FIXTURES / "bundles"
CORPUS = FIXTURES / "hostile" / "bundles"
INDEX = json.loads((CORPUS / "index.json").read_text("utf-8"))
PUB = KEYS / "vendor.pub"
IDENTITY = KEYS / "auditor.age-identity"
VALID = KEYS / "valid.zip"


@functools.cache
def _parts():
    """The fixture bundle taken apart, and the fixture keys to put hostile ones together."""
    key = keys.load_signing_key(KEYS / "vendor.key", "fixture signing passphrase")
    signer = SignerFiles(KEYS / "vendor.key", PUB, key)
    auditor = AuditorFiles(
        IDENTITY, KEYS / "auditor.age-recipient", (KEYS / "auditor.age-recipient").read_text().strip()
    )
    entries = tar_entries(decrypt_payload(VALID, IDENTITY))
    # checklist and report are optional members: without them each example is quicker
    content = [e for e in content_of(entries) if e.info.name not in bf.OPTIONAL_CONTENT]
    manifest = manifest_of(reseal(content, manifest_of(entries), signer))
    return {
        "signer": signer,
        "auditor": auditor,
        "content": content,
        "manifest": manifest,
        "sub": manifest["submission_id"],
        "tar": build_tar(reseal(content, manifest, signer)),
        "zip": VALID.read_bytes(),
        "payload": zip_members(VALID)[bf.PAYLOAD],
    }


class _Lazy:
    """The parts, built on first use (not a fixture: hypothesis would print them with every failure)."""

    def __getitem__(self, key):
        return _parts()[key]


parts = _Lazy()


def attack(target: Path, bundle: Path, *, expect_ok: bool | None = None) -> str:
    """Verify (outer layer only, then everything) and open ``bundle``; returns the outcome.
    Asserts the rules of the module docstring."""
    try:
        outer = verify_bundle(bundle, signer=PUB)
        report = verify_bundle(bundle, signer=PUB, identity=IDENTITY, templates=MINI)
    except BundleError as exc:  # documented for files that cannot be read at all
        assert "\n" not in str(exc)
        report = outer = None
    if report is not None:
        assert not report.ok or outer.ok, "the contents verified while the outer layer did not"
        assert all(c.detail and "\n" not in c.detail for c in report.checks)
    dest = target / f"opened-{uuid.uuid4().hex[:8]}"
    try:
        open_bundle(bundle, dest, signer=PUB, identity=IDENTITY, templates=MINI)
    except BundleError as exc:
        assert "\n" not in str(exc)
        assert not dest.exists(), "a refused bundle left its destination behind"
        assert report is None or not report.ok, f"verify accepted what open refused: {exc}"
        outcome = "refused"
    else:
        assert report is not None and report.ok, "open accepted what verify refused"
        sub = load_submission_dir(dest, signer_key_id=report.signer_key_id)
        for info in sub.evidence:
            path = (dest / sub.evidence_path(info)).resolve()
            assert path.is_relative_to(dest.resolve()) and path.is_file()
        shutil.rmtree(dest)
        outcome = "opened"
    if expect_ok is not None:
        assert (outcome == "opened") == expect_ok, outcome
    return outcome


# --- the corpus ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(INDEX), ids=lambda n: n.removesuffix(".zip"))
def test_corpus_bundle_is_refused_for_its_reason(name, sandbox):
    expected = INDEX[name]
    report = verify_bundle(CORPUS / name, signer=PUB, identity=IDENTITY, templates=MINI)
    failed = {c.name: c.detail for c in report.checks if not c.ok}
    assert expected["check"] in failed, (expected["why"], report.first_problem())
    assert attack(sandbox, CORPUS / name) == "refused"
    code, _out, err = run_main(
        "verify", str(CORPUS / name), "--signer", str(PUB), "--identity", str(IDENTITY)
    )
    assert one_line_error(code, err), (code, err)
    code, _out, err = run_main(
        "open",
        str(CORPUS / name),
        "--signer",
        str(PUB),
        "--identity",
        str(IDENTITY),
        "--out",
        str(sandbox / "cli-opened"),
    )
    assert one_line_error(code, err), (code, err)
    assert not (sandbox / "cli-opened").exists()


def test_corpus_index_lists_every_file():
    assert sorted(p.name for p in CORPUS.glob("*.zip")) == sorted(INDEX)


def test_the_base_of_the_properties_verifies(sandbox):
    """Sanity: the untouched pieces, put back together, open — so refusals below are the mutation's."""
    bundle = forge(
        sandbox / "same.zip", parts["tar"], parts["signer"], parts["auditor"].recipient, parts["sub"]
    )
    assert attack(sandbox, bundle, expect_ok=True) == "opened"


# --- the outer ZIP: any byte may change ------------------------------------------------------


def _zip_edits(size: int):
    # Most interesting: the first local header, the central directory and the end records.
    hot = st.integers(0, 120) | st.integers(max(0, size - 400), size - 1) | st.integers(0, size - 1)
    return byte_edits(hot, append=True)


@FAST
@given(data=st.data())
def test_mutated_container(sandbox, data):
    mutated = apply_edits(parts["zip"], data.draw(_zip_edits(len(parts["zip"]))))
    bundle = sandbox / "m.zip"
    bundle.write_bytes(mutated)
    attack(sandbox, bundle, expect_ok=False if mutated != parts["zip"] else None)


# --- the age payload, signed again after the change -------------------------------------------


@SLOW
@given(data=st.data())
def test_mutated_payload_signed_again(sandbox, data):
    payload = parts["payload"]
    # the header (recipient stanzas, MAC) is in the first ~200 bytes; then 64 KiB chunks
    hot = st.integers(0, 250) | st.integers(0, len(payload) - 1)
    edits = data.draw(byte_edits(hot, max_bytes=6, max_edits=3))
    mutated = apply_edits(payload, edits)
    bundle = sign_payload(sandbox / "p.zip", mutated, parts["signer"], parts["sub"])
    attack(sandbox, bundle, expect_ok=False if mutated != payload else None)


@SLOW
@given(
    header=st.lists(
        st.sampled_from(
            [
                b"-> X25519 " + b"A" * 43 + b"\n" + b"B" * 43 + b"\n",
                b"-> scrypt " + b"A" * 22 + b" 40\nB\n",
                b"-> scrypt " + b"A" * 22 + b" 99999999999\n\n",
                b"-> ssh-ed25519 x y\nz\n",
                b"-> \n\n",
                b"->\n",
                b"-> X25519\n",
                b"-> " + b"a" * 300 + b"\n\n",
                b"--- \n",
                b"\xff\xfe\n",
                b"\n",
            ]
        ),
        max_size=6,
    ),
    body=st.binary(max_size=200),
)
def test_hostile_age_headers(sandbox, header, body):
    payload = b"age-encryption.org/v1\n" + b"".join(header) + b"--- " + b"A" * 43 + b"\n" + body
    attack(sandbox, sign_payload(sandbox / "h.zip", payload, parts["signer"], parts["sub"]), expect_ok=False)


# --- the tar, encrypted and signed again after the change -------------------------------------


@SLOW
@given(data=st.data())
def test_mutated_tar(sandbox, data):
    tar = parts["tar"]
    headers = [i for i in range(0, len(tar), 512) if tar[i : i + 512].strip(b"\0")][:40]
    hot = st.sampled_from(headers).flatmap(lambda h: st.integers(h, h + 511)) | st.integers(0, len(tar) - 1)
    edits = data.draw(byte_edits(hot, max_bytes=12, max_edits=3))
    mutated = apply_edits(tar, edits)
    bundle = forge(sandbox / "t.zip", mutated, parts["signer"], parts["auditor"].recipient, parts["sub"])
    attack(sandbox, bundle)


@SLOW
@given(
    name=st.text(min_size=1, max_size=80)
    | st.sampled_from(
        [
            "../x",
            "/etc/x",
            "evidence/X/../../x",
            "evidence\\X\\y",
            "C:/x",
            "evidence/X/CON",
            "evidence/X/a:b",
            "evidence/X/.",
            "evidence//y",
            "ANSWERS.JSON",
            "manifest.json",
            "evidence/X/" + "a" * 300,
        ]
    ),
    kind=st.sampled_from(["0", "1", "2", "3", "4", "5", "6", "7", "S", "g", "x", "L", "K", "V", "Z"]),
    size=st.integers(0, 3),
)
def test_hostile_tar_member(sandbox, name, kind, size):
    """Any name, any member type, listed in a validly signed trailer."""
    import tarfile

    e = file_entry(name, b"x" * size)
    e.info.type = kind.encode()
    if not e.info.isreg():
        e.info.size = 0
        e.data = b""
    e.info.linkname = "/etc/passwd" if e.info.issym() or e.info.islnk() else ""
    try:
        tar = build_tar(reseal([*parts["content"], e], parts["manifest"], parts["signer"]))
    except (ValueError, tarfile.TarError, UnicodeError):
        return  # tarfile itself cannot write such a header
    attack(sandbox, forge(sandbox / "n.zip", tar, parts["signer"], parts["auditor"].recipient, parts["sub"]))


# --- the signed trailer and documents ---------------------------------------------------------


_DEFAULT = object()


def _sealed_bundle(
    parts, sandbox: Path, *, manifest=_DEFAULT, replace: dict[str, bytes] | None = None, sums_edit=None
) -> Path:
    """The content (some documents replaced) with a trailer signed by the test key: the
    manifest as given (or the right one), SHA256SUMS over everything (or as edited)."""
    content = [file_entry(e.info.name, (replace or {}).get(e.info.name, e.data)) for e in parts["content"]]
    listed = [(e.info.name, hashlib.sha256(e.data).hexdigest()) for e in content]
    if manifest is _DEFAULT:
        members = [
            {"path": n, "size": len(e.data), "sha256": d} for (n, d), e in zip(listed, content, strict=True)
        ]
        manifest = {**parts["manifest"], "members": members}
    mbytes = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8", "surrogatepass")
    listed.append((bf.MANIFEST, hashlib.sha256(mbytes).hexdigest()))
    if sums_edit:
        listed = sums_edit(listed)
    sums = "".join(f"{d}  {p}\n" for p, d in listed).encode("utf-8", "surrogatepass")
    sig = parts["signer"].key.sign_bytes(
        sums,
        trusted_comment=bf.sums_trusted_comment(1_700_000_000, parts["sub"]),
        untrusted_comment=bf.SUMS_SIG_COMMENT,
    )
    tar = build_tar(
        [*content, file_entry(bf.MANIFEST, mbytes), file_entry(bf.SUMS, sums), file_entry(bf.SUMS_SIG, sig)]
    )
    out = sandbox / f"s-{uuid.uuid4().hex[:6]}.zip"
    return forge(out, tar, parts["signer"], parts["auditor"].recipient, parts["sub"])


@FAST
@given(data=st.data())
def test_hostile_manifest(sandbox, data):
    manifest = data.draw(mutations_of(parts["manifest"]))
    attack(sandbox, _sealed_bundle(parts, sandbox, manifest=manifest))


@FAST
@given(manifest=json_values)
def test_any_json_as_manifest(sandbox, manifest):
    attack(sandbox, _sealed_bundle(parts, sandbox, manifest=manifest), expect_ok=False)


@SLOW
@given(
    lines=st.lists(
        st.tuples(
            st.text(alphabet="0123456789abcdef", max_size=70) | st.sampled_from(["0" * 64]),
            st.sampled_from(["  ", " *", " ", "\t", ""]),
            st.text(max_size=40) | st.sampled_from([bf.ANSWERS, bf.TEMPLATE, bf.MANIFEST]),
        ),
        max_size=8,
    ),
    keep=st.booleans(),
)
def test_hostile_sha256sums(sandbox, lines, keep):
    def edit(listed):
        extra = [(path, digest.ljust(64, "0")[:64]) for digest, _sep, path in lines]
        return (listed if keep else []) + extra

    attack(sandbox, _sealed_bundle(parts, sandbox, sums_edit=edit))


def _log(parts) -> list[dict]:
    raw = next(e.data for e in parts["content"] if e.info.name == bf.ACTIVITY_LOG)
    return [json.loads(line) for line in raw.decode().splitlines()]


@FAST
@given(data=st.data())
def test_hostile_activity_log(sandbox, data):
    entries = data.draw(mutations_of(_log(parts)))
    lines = (
        [json.dumps(e, ensure_ascii=data.draw(st.booleans())) for e in entries]
        if isinstance(entries, list)
        else [json.dumps(entries)]
    )
    raw = "\n".join(lines).encode("utf-8", "surrogatepass") + b"\n"
    attack(sandbox, _sealed_bundle(parts, sandbox, replace={bf.ACTIVITY_LOG: raw}))


@SLOW
@given(raw=st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_bytes_as_activity_log(sandbox, raw):
    attack(sandbox, _sealed_bundle(parts, sandbox, replace={bf.ACTIVITY_LOG: raw}), expect_ok=False)


@FAST
@given(data=st.data())
def test_hostile_answers_json(sandbox, data):
    raw = next(e.data for e in parts["content"] if e.info.name == bf.ANSWERS)
    doc = data.draw(mutations_of(json.loads(raw)))
    text = json.dumps(doc, ensure_ascii=False).encode("utf-8", "surrogatepass")
    attack(sandbox, _sealed_bundle(parts, sandbox, replace={bf.ANSWERS: text}))


def test_member_hash_collision_free():
    """The properties above rely on the forge's trailer covering the edited documents."""
    manifest = manifest_of(reseal(parts["content"], parts["manifest"], parts["signer"]))
    listed = {m["path"]: m["sha256"] for m in manifest["members"]}
    assert all(listed[e.info.name] == hashlib.sha256(e.data).hexdigest() for e in parts["content"])


def test_attack_reports_crashes_as_failures(sandbox, monkeypatch):
    """The helper really fails on an exception that is not an AttestError."""
    import exports.bundle_checks as checks

    monkeypatch.setattr(checks.ContentChecks, "_check_sums", lambda self, sums: 1 / 0)
    bundle = forge(sandbox / "c.zip", parts["tar"], parts["signer"], parts["auditor"].recipient, parts["sub"])
    with pytest.raises(ZeroDivisionError):
        attack(sandbox, bundle)
    assert not issubclass(ZeroDivisionError, AttestError)
