"""Interoperability with the standard tools: unzip, minisign, age, tar, sha256sum.

Our bundles are checked and opened with the tools alone, exactly as README.txt says; keys
made by the real ``minisign -G`` and ``age-keygen`` work in the app, and ours in the tools.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from exports import bundle_format as bf
from exports import keys
from exports.bundle import export_bundle, open_bundle, verify_bundle

from .bundle_support import MINI, flip

pytestmark = pytest.mark.tools

TOOLS = ("unzip", "minisign", "age", "age-keygen", "tar", "sha256sum", "pdftotext")
missing = [t for t in TOOLS if shutil.which(t) is None]
if missing:  # the tools are installed by scripts/bootstrap.sh (TEST_PKGS); never skip silently in CI
    pytest.fail(f"standard tools missing: {', '.join(missing)} (run ./run-tests.sh to install them)",
                pytrace=False)


def run(*argv: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, input=stdin, timeout=120,
                          check=False)


def ok(*argv: str, cwd: Path | None = None, stdin: str | None = None) -> str:
    proc = run(*argv, cwd=cwd, stdin=stdin)
    assert proc.returncode == 0, (argv, proc.stdout, proc.stderr)
    return proc.stdout + proc.stderr


def by_hand(bundle: Path, work: Path, pub: Path, identity: Path) -> Path:
    """README.txt's steps, with the standard tools only."""
    work.mkdir()
    ok("unzip", "-q", str(bundle), "-d", str(work / "bundle"))
    b = work / "bundle"
    assert sorted(p.name for p in b.iterdir()) == sorted(bf.ZIP_MEMBERS)
    out = ok("minisign", "-Vm", "submission.tar.age", "-p", str(pub), cwd=b)
    assert "Signature and comment signature verified" in out
    ok("age", "-d", "-i", str(identity), "-o", "submission.tar", "submission.tar.age", cwd=b)
    (b / "submission").mkdir()
    ok("tar", "-xf", "submission.tar", "-C", "submission", cwd=b)
    s = b / "submission"
    inner = ok("minisign", "-Vm", "SHA256SUMS", "-p", str(pub), cwd=s)
    assert "Signature and comment signature verified" in inner
    sums = ok("sha256sum", "-c", "SHA256SUMS", cwd=s)
    assert sums.count(": OK") == len((s / "SHA256SUMS").read_text(encoding="utf-8").splitlines())
    return b


def test_tools_verify_and_open_our_bundle(bundle, signer, auditor, tmp_path):
    b = by_hand(bundle, tmp_path / "hand", signer.public_path, auditor.identity_path)
    # the trusted comment binds README.txt and the submission, as README.txt explains
    out = ok("minisign", "-Vm", "submission.tar.age", "-p", str(signer.public_path), cwd=b)
    readme_sha = ok("sha256sum", "README.txt", cwd=b).split()[0]
    assert f"readme-sha256:{readme_sha}" in out and "submission:" in out
    assert ok("unzip", "-t", str(bundle)).strip().endswith(
        f"No errors detected in compressed data of {bundle}.")
    # the report inside is a real PDF of this submission
    text = ok("pdftotext", str(b / "submission" / bf.REPORT), "-")
    assert json.loads((b / "submission" / bf.MANIFEST).read_text(encoding="utf-8"))["submission_id"] in text
    # the tools see exactly what the app opens
    opened = tmp_path / "app"
    open_bundle(bundle, opened, signer=signer.public_path, identity=auditor.identity_path, templates=MINI)
    for f in opened.rglob("*"):
        if f.is_file():
            assert (b / "submission" / f.relative_to(opened)).read_bytes() == f.read_bytes()


def test_tools_reject_a_flipped_byte(bundle, signer, auditor, tmp_path):
    b = tmp_path / "b"
    ok("unzip", "-q", str(bundle), "-d", str(b))
    payload = b / bf.PAYLOAD
    payload.write_bytes(flip(payload.read_bytes(), payload.stat().st_size // 2))
    assert run("minisign", "-Vm", str(payload), "-p", str(signer.public_path)).returncode != 0
    age = run("age", "-d", "-i", str(auditor.identity_path), "-o", str(tmp_path / "t"), str(payload))
    assert age.returncode != 0


def test_keys_made_by_the_real_tools_work_in_the_app(complete_ws, tmp_path):
    ok("minisign", "-G", "-p", str(tmp_path / "v.pub"), "-s", str(tmp_path / "v.key"),
       stdin="real minisign pass\nreal minisign pass\n")
    ok("age-keygen", "-o", str(tmp_path / "a.txt"))
    recipient = ok("age-keygen", "-y", str(tmp_path / "a.txt")).strip()
    (tmp_path / "a.recipients").write_text(f"# the auditor\n{recipient}\n", encoding="utf-8")
    # minisign -G protects the key with scrypt at 1 GiB; the app accepts that
    key_file = keys.read_secret_key(tmp_path / "v.key")
    assert key_file.encrypted and key_file.memlimit == 1 << 30
    with key_file.unlock("real minisign pass") as key:
        out = tmp_path / "b.zip"
        export_bundle(complete_ws, out, signing_key=key, recipients=[str(tmp_path / "a.recipients")])
    # minisign writes the ID without leading zeros ("%" PRIX64)
    assert f"minisign public key {key.key_id.lstrip('0')}\n" in (tmp_path / "v.pub").read_text()
    report = verify_bundle(out, signer=tmp_path / "v.pub", identity=tmp_path / "a.txt", templates=MINI)
    assert report.ok, report.first_problem()
    # and the tools agree
    by_hand(out, tmp_path / "hand", tmp_path / "v.pub", tmp_path / "a.txt")


def test_unencrypted_minisign_key_works(complete_ws, tmp_path, auditor):
    ok("minisign", "-G", "-W", "-p", str(tmp_path / "w.pub"), "-s", str(tmp_path / "w.key"))
    key = keys.load_signing_key(tmp_path / "w.key", None)
    export_bundle(complete_ws, tmp_path / "b.zip", signing_key=key, recipients=[auditor.recipient])
    assert verify_bundle(tmp_path / "b.zip", signer=tmp_path / "w.pub", identity=auditor.identity_path,
                         templates=MINI).ok


def test_our_keys_work_in_the_real_tools(tmp_path):
    made = keys.generate_signing_key(tmp_path / "ours", "our passphrase 1")
    doc = tmp_path / "doc.txt"
    doc.write_text("hello\n")
    # minisign signs with our secret key (reading our scrypt parameters) ...
    ok("minisign", "-S", "-s", str(made.secret_path), "-m", str(doc), stdin="our passphrase 1\n")
    # ... and verifies with our public key file; the app verifies minisign's signature
    ok("minisign", "-Vm", str(doc), "-p", str(made.public_path))
    sig = keys.parse_signature((tmp_path / "doc.txt.minisig").read_bytes())
    assert keys.verify_bytes(made.public, doc.read_bytes(), sig) is None
    assert sig.key_id == made.public.key_id
    # minisign shows the same key ID we print (it names both IDs when they differ)
    other = keys.generate_signing_key(tmp_path / "other", "our passphrase 2",
                                      opslimit=1 << 20, memlimit=1 << 25)
    mismatch = run("minisign", "-Vm", str(doc), "-p", str(other.public_path))
    assert mismatch.returncode != 0
    # (minisign prints these IDs with "%" PRIX64: no leading zeros; one key in 16 has one)
    said = mismatch.stdout + mismatch.stderr
    assert f"Signature key id in {doc}.minisig is {made.public.key_id.lstrip('0')}\n" in said
    assert f"key id in the public key is {other.public.key_id.lstrip('0')}\n" in said
    # our age identity decrypts what age encrypted to our recipient, and the other way round
    rk = keys.generate_recipient_key(tmp_path / "aud")
    ok("age", "-R", str(rk.recipient_path), "-o", str(tmp_path / "doc.age"), str(doc))
    ok("age", "-d", "-i", str(rk.identity_path), "-o", str(tmp_path / "back.txt"), str(tmp_path / "doc.age"))
    assert (tmp_path / "back.txt").read_text() == "hello\n"
