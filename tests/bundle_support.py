"""Shared pieces of the bundle tests: test keys, a complete workspace, and a *forge* that
re-packs a real bundle's contents — altered on purpose — into a new bundle that is validly
encrypted and signed with the test keys, so the checks behind the signatures really run.

Import the fixtures into a test module to use them (pytest finds imported fixtures).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pyrage
import pytest

from exports import bundle_format as bf
from exports import keys
from exports.bundle import export_bundle
from exports.bundle_export import write_container
from exports.keys import SigningKey
from storage import EvidenceMeta, Workspace
from storage.progress import Meter

from .conftest import FAST_KDF, PASSPHRASE

SIGNING_PASSPHRASE = "test signing passphrase"
# The bundle tests use the mini test template (tests/fixtures/templates/mini.yaml). It is not an
# official template, so the auditor's side judges its bundles only when the auditor accepts
# its file explicitly: ``verify_bundle(..., templates=MINI)``, ``--template FILE``.
MINI = (Path(__file__).resolve().parent / "fixtures" / "templates" / "mini.yaml",)
# Light scrypt for the session's keys (keygen itself is tested with the real defaults).
FAST_SCRYPT = {"opslimit": 1 << 20, "memlimit": 1 << 25}
EVIDENCE_CONTENT = b"%PDF-1.4 ISMS certificate IS 123456 " + bytes(range(256)) * 400


@dataclass
class SignerFiles:
    secret_path: Path
    public_path: Path
    key: SigningKey

    @property
    def key_id(self) -> str:
        return self.key.key_id


@dataclass
class AuditorFiles:
    identity_path: Path
    recipient_path: Path
    recipient: str


def _make_signer(folder: Path, name: str) -> SignerFiles:
    made = keys.generate_signing_key(folder / name, SIGNING_PASSPHRASE, **FAST_SCRYPT)
    return SignerFiles(made.secret_path, made.public_path,
                       keys.load_signing_key(made.secret_path, SIGNING_PASSPHRASE))


@pytest.fixture(scope="session")
def signer(tmp_path_factory) -> SignerFiles:
    return _make_signer(tmp_path_factory.mktemp("signer"), "vendor")


@pytest.fixture(scope="session")
def other_signer(tmp_path_factory) -> SignerFiles:
    return _make_signer(tmp_path_factory.mktemp("other-signer"), "intruder")


@pytest.fixture(scope="session")
def auditor(tmp_path_factory) -> AuditorFiles:
    made = keys.generate_recipient_key(tmp_path_factory.mktemp("auditor") / "auditor")
    return AuditorFiles(made.identity_path, made.recipient_path, made.recipient)


@pytest.fixture(scope="session")
def other_auditor(tmp_path_factory) -> AuditorFiles:
    made = keys.generate_recipient_key(tmp_path_factory.mktemp("other-auditor") / "other")
    return AuditorFiles(made.identity_path, made.recipient_path, made.recipient)


def fill_complete(ws: Workspace, folder: Path, cert_content: bytes = EVIDENCE_CONTENT) -> None:
    """Answer every shown item of the mini template and attach the evidence it asks for."""
    folder.mkdir(parents=True, exist_ok=True)
    ws.set_answers({"AGR-01": "はい", "CERT-01": "isms", "CERT-02": "IS 123456", "CERT-03": "2027-03-31",
                    "TEC-01": "own,cloud", "TEC-03": 365, "TEC-04": "yes"})
    cert = folder / "ISMS 登録証.pdf"
    cert.write_bytes(cert_content)
    policy = folder / "policy.txt"
    policy.write_text("情報セキュリティ基本方針\n", encoding="utf-8")
    today = dt.date.today()
    ws.add_evidence("CERT-02", cert, EvidenceMeta("certificate", title="ISMS 登録証", issuer="JQA",
                                                  number="IS 123456", issued=today - dt.timedelta(days=300),
                                                  expires=today + dt.timedelta(days=700)))
    ws.add_evidence("TEC-04", policy, EvidenceMeta("policy", title="基本方針"))


def official_template(version: str = "1.0.0"):
    """A released version of the official questionnaire, as the app ships it."""
    from questionnaire.official_templates import official_templates

    found = next(e for e in official_templates() if e.version == version)
    return found.template


def _conforming_value(item, today: dt.date):
    from questionnaire.template import AnswerKind

    if item.kind in (AnswerKind.STATUS, AnswerKind.SINGLE, AnswerKind.MULTI):
        value = item.expected[0] if item.expected else item.choice_values[0]
        return [value] if item.kind is AnswerKind.MULTI else value
    if item.kind is AnswerKind.DATE:
        return today.isoformat()
    if item.kind is AnswerKind.NUMBER:
        spec = item.number
        return int(spec.minimum) if spec is not None and spec.minimum is not None else 1
    return "テスト回答"


def fill_conforming(ws: Workspace, folder: Path) -> None:
    """Answer every shown item of ``ws``'s template with a conforming answer and attach the
    evidence each asks for, until nothing blocks the export (any template)."""
    folder.mkdir(parents=True, exist_ok=True)
    today = dt.date.today()
    for _ in range(10):
        assessment = ws.assess()
        if assessment.can_submit:
            return
        todo = {}
        for state in assessment.items.values():
            if state.visible and not state.answered:
                todo[state.item.id] = _conforming_value(state.item, today)
        if todo:
            ws.set_answers(todo)
            continue
        for p in assessment.blockers:
            if p.code != "evidence_missing":
                raise AssertionError(f"cannot make {p.item_id} conform: {p.message('en')}")
            rule = ws.template.item(p.item_id).evidence
            src = folder / f"{p.item_id}.pdf"
            src.write_bytes(b"%PDF-1.4 evidence for " + p.item_id.encode())
            ws.add_evidence(p.item_id, src, EvidenceMeta(rule.kinds[0], title=f"{p.item_id} 証跡",
                                                         expires=today + dt.timedelta(days=700)))
    raise AssertionError("the questionnaire did not become complete")


@pytest.fixture
def complete_ws(tmp_path, mini_template):
    ws = Workspace.create(tmp_path / "ws", PASSPHRASE, vendor="テスト建設システム株式会社",
                          template=mini_template, kdf=FAST_KDF)
    fill_complete(ws, tmp_path / "sources")
    yield ws
    ws.close()


@pytest.fixture
def bundle(complete_ws, tmp_path, signer, auditor) -> Path:
    out = tmp_path / "out" / "submission.zip"
    out.parent.mkdir()
    export_bundle(complete_ws, out, signing_key=signer.key, recipients=[auditor.recipient])
    return out


# --- taking bundles apart and putting them back together ----------------------------------


def zip_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def write_zip(path: Path, members: list[tuple[str, bytes]]) -> None:
    """A container exactly as the v1 writer makes it, around whatever members are given."""
    from exports.bundle_zip import zip_info

    with open(path, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        for name, data in members:
            if name == bf.PAYLOAD:
                with zf.open(zip_info(name), "w", force_zip64=True) as m:
                    m.write(data)
            else:
                zf.writestr(zip_info(name), data)


def decrypt_payload(path: Path, identity_path: Path) -> bytes:
    data = zip_members(path)[bf.PAYLOAD]
    return pyrage.decrypt(data, keys.load_identities(identity_path))


@dataclass
class Entry:
    info: tarfile.TarInfo
    data: bytes = b""


def tar_entries(tar_data: bytes) -> list[Entry]:
    out = []
    with tarfile.open(fileobj=io.BytesIO(tar_data), mode="r:") as tf:
        for ti in tf:
            f = tf.extractfile(ti)
            out.append(Entry(ti, f.read() if f else b""))
    return out


def file_entry(name: str, data: bytes) -> Entry:
    ti = tarfile.TarInfo(name)
    ti.size = len(data)
    ti.mtime = 1_700_000_000
    ti.mode = 0o644
    return Entry(ti, data)


def build_tar(entries: list[Entry]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT, encoding="utf-8") as tf:
        for e in entries:
            tf.addfile(e.info, io.BytesIO(e.data) if e.info.isreg() else None)
    return buf.getvalue()


def content_of(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.info.name not in bf.TRAILER]


def manifest_of(entries: list[Entry]) -> dict:
    return json.loads(next(e.data for e in entries if e.info.name == bf.MANIFEST))


def reseal(content: list[Entry], manifest: dict, signer: SignerFiles, *,
           sums_signer: SignerFiles | None = None, list_members: bool = True, sums_edit=None) -> list[Entry]:
    """Content + a freshly computed trailer: manifest (members recomputed unless told not to),
    SHA256SUMS and its signature, as the exporter would write them."""
    import hashlib

    regular = [e for e in content if e.info.isreg()]
    if list_members:
        manifest = {**manifest, "members": [
            {"path": e.info.name, "size": len(e.data), "sha256": hashlib.sha256(e.data).hexdigest()}
            for e in regular]}
    mbytes = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    listed = [(e.info.name, hashlib.sha256(e.data).hexdigest()) for e in regular]
    listed.append((bf.MANIFEST, hashlib.sha256(mbytes).hexdigest()))
    if sums_edit:
        listed = sums_edit(listed)
    sums = bf.render_sums(listed)
    key = (sums_signer or signer).key
    comment = bf.sums_trusted_comment(1_700_000_000, manifest["submission_id"])
    sig = key.sign_bytes(sums, trusted_comment=comment, untrusted_comment=bf.SUMS_SIG_COMMENT)
    return [*content, file_entry(bf.MANIFEST, mbytes), file_entry(bf.SUMS, sums),
            file_entry(bf.SUMS_SIG, sig)]


def _claimed_time(tar_data: bytes) -> int:
    """The export time the tar's manifest claims (the vendor signs at that time), else a fixed one."""
    try:
        created = manifest_of(tar_entries(tar_data))["created_at"]
        return int(dt.datetime.fromisoformat(created.replace("Z", "+00:00")).timestamp())
    except Exception:  # hostile tars: any time will do, they fail before the time matters
        return 1_700_000_000


def forge(out: Path, tar_data: bytes, signer: SignerFiles, recipient: str, submission_id: str,
          timestamp: int | None = None) -> Path:
    """Encrypt ``tar_data`` to ``recipient`` and sign it like a real export (the outer layer is
    valid), at ``timestamp`` (default: the export time its manifest claims)."""
    timestamp = _claimed_time(tar_data) if timestamp is None else timestamp
    readme = bf.readme_text(submission_id=submission_id, created_at="2026-01-01T00:00:00.000Z",
                            vendor="forged", signer_key_id=signer.key_id,
                            signer_pub_b64=signer.key.public.base64).encode()

    def produce(pipe) -> None:
        for i in range(0, len(tar_data), 1 << 16):
            pipe.write(tar_data[i:i + (1 << 16)])

    with open(out, "wb") as fh:
        write_container(fh, readme=readme, key=signer.key, recipients=keys.parse_recipients([recipient]),
                        produce=produce, meter=Meter(), timestamp=timestamp, submission_id=submission_id)
    return out


def sign_payload(out: Path, payload: bytes, signer: SignerFiles, submission_id: str) -> Path:
    """A container around any ``payload`` bytes (not necessarily age), with a valid outer
    signature over them: what is tested is everything behind the signature."""
    import hashlib

    readme = bf.readme_text(submission_id=submission_id, created_at="2026-01-01T00:00:00.000Z",
                            vendor="forged", signer_key_id=signer.key_id,
                            signer_pub_b64=signer.key.public.base64).encode()
    sig = signer.key.sign_prehashed(
        hashlib.blake2b(payload).digest(), trusted_comment=bf.payload_trusted_comment(
            1_700_000_000, submission_id, readme), untrusted_comment=bf.PAYLOAD_SIG_COMMENT)
    write_zip(out, [(bf.README, readme), (bf.SIGNER_PUB, signer.key.public.file_bytes()),
                    (bf.PAYLOAD, payload), (bf.PAYLOAD_SIG, sig)])
    return out


def repack(bundle: Path, out: Path, signer: SignerFiles, auditor: AuditorFiles, edit) -> Path:
    """Decrypt ``bundle``, let ``edit(entries) -> tar bytes`` change it, forge the result."""
    entries = tar_entries(decrypt_payload(bundle, auditor.identity_path))
    manifest = manifest_of(entries)
    return forge(out, edit(entries), signer, auditor.recipient, manifest["submission_id"])


def tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def flip(data: bytes, offset: int, mask: int = 0x01) -> bytes:
    return data[:offset] + bytes([data[offset] ^ mask]) + data[offset + 1:]


__all__ = [
    "MINI",
    "SIGNING_PASSPHRASE",
    "AuditorFiles",
    "Entry",
    "SignerFiles",
    "auditor",
    "build_tar",
    "bundle",
    "complete_ws",
    "content_of",
    "decrypt_payload",
    "file_entry",
    "fill_complete",
    "fill_conforming",
    "flip",
    "forge",
    "manifest_of",
    "official_template",
    "other_auditor",
    "other_signer",
    "repack",
    "reseal",
    "sign_payload",
    "signer",
    "tar_entries",
    "tree",
    "write_zip",
    "zip_members",
]
