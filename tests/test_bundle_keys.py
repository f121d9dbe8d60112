"""Signing keys (minisign format) and recipient keys (age): creation, reading, hostile key files."""

from __future__ import annotations

import base64
import hashlib
import stat

import pyrage
import pytest

from exports import keys
from exports.errors import KeyFileError, WrongSigningPassphrase

PASS = "vendor key passphrase"


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A key made with the real defaults (scrypt N=2^17, r=8, p=1)."""
    return keys.generate_signing_key(tmp_path_factory.mktemp("k") / "vendor-2026", PASS)


def test_signing_key_files(made):
    assert made.secret_path.name == "vendor-2026.key" and made.public_path.name == "vendor-2026.pub"
    assert stat.S_IMODE(made.secret_path.stat().st_mode) == 0o600
    lines = made.public_path.read_text().splitlines()
    assert lines == [f"untrusted comment: minisign public key {made.public.key_id}", made.public.base64]
    assert made.public_path.read_bytes() == made.public.file_bytes()
    assert made.secret_path.read_text().startswith(
        "untrusted comment: minisign encrypted secret key\nRWRTY0Iy")
    key_file = keys.read_secret_key(made.secret_path)
    assert key_file.encrypted and (key_file.opslimit, key_file.memlimit) == (1 << 22, 1 << 27)
    assert PASS.encode() not in made.secret_path.read_bytes()


def test_sign_and_verify_digest(made):
    with keys.load_signing_key(made.secret_path, PASS) as key:
        assert key.key_id == made.public.key_id
        digest = hashlib.blake2b(b"data").digest()
        text = key.sign_prehashed(digest, trusted_comment="timestamp:1\tfile:x\thashed",
                                  untrusted_comment="t")
    sig = keys.parse_signature(text)
    assert sig.prehashed and sig.key_id == made.public.key_id
    assert sig.trusted_fields() == {"timestamp": "1", "file": "x", "hashed": ""}
    assert keys.verify_prehashed(made.public, digest, sig) is None
    assert "does not match" in keys.verify_prehashed(made.public, hashlib.blake2b(b"other").digest(), sig)
    # the trusted comment is covered by the global signature
    forged = keys.parse_signature(text.replace(b"file:x", b"file:y"))
    assert "does not match" in keys.verify_prehashed(made.public, digest, forged)


def test_key_files_are_never_overwritten(made, tmp_path):
    with pytest.raises(KeyFileError, match="never overwritten"):
        keys.generate_signing_key(made.secret_path.with_suffix(""), PASS)
    (tmp_path / "half.pub").write_text("someone else's")
    with pytest.raises(KeyFileError, match="half.pub already exists"):
        keys.generate_signing_key(tmp_path / "half", PASS)
    assert not (tmp_path / "half.key").exists()
    assert (tmp_path / "half.pub").read_text() == "someone else's"
    (tmp_path / "r.age-identity").write_text("keep")
    with pytest.raises(KeyFileError, match="never overwritten"):
        keys.generate_recipient_key(tmp_path / "r")
    assert (tmp_path / "r.age-identity").read_text() == "keep" and not (tmp_path / "r.age-recipient").exists()


def test_keygen_refusals(tmp_path):
    with pytest.raises(KeyFileError, match="at least 8 characters"):
        keys.generate_signing_key(tmp_path / "k", "short")
    with pytest.raises(KeyFileError, match="does not exist"):
        keys.generate_signing_key(tmp_path / "no" / "k", PASS)
    assert list(tmp_path.iterdir()) == []


def test_unlock_errors(made, tmp_path):
    with pytest.raises(WrongSigningPassphrase, match="wrong passphrase"):
        keys.load_signing_key(made.secret_path, "not the passphrase")
    with pytest.raises(KeyFileError, match="needs its passphrase"):
        keys.load_signing_key(made.secret_path, None)
    with pytest.raises(KeyFileError, match="looks like a public key"):
        keys.read_secret_key(made.public_path)
    with pytest.raises(KeyFileError, match="no such file"):
        keys.read_secret_key(tmp_path / "none.key")


def _with_scrypt(key_path, opslimit: int, memlimit: int) -> bytes:
    comment, b64 = key_path.read_bytes().splitlines()
    raw = bytearray(base64.b64decode(b64))
    raw[38:46] = opslimit.to_bytes(8, "little")
    raw[46:54] = memlimit.to_bytes(8, "little")
    return comment + b"\n" + base64.b64encode(bytes(raw)) + b"\n"


@pytest.mark.parametrize(("opslimit", "memlimit"),
                         [(1 << 22, (1 << 30) + 1), (1 << 40, 1 << 27), (2**64 - 1, 1)])
def test_hostile_scrypt_parameters_are_refused_before_any_work(made, tmp_path, opslimit, memlimit):
    bad = tmp_path / "bad.key"
    bad.write_bytes(_with_scrypt(made.secret_path, opslimit, memlimit))
    with pytest.raises(KeyFileError, match="scrypt limits beyond"):
        keys.read_secret_key(bad)


@pytest.mark.parametrize("content", [b"", b"\x00" * 100, b"untrusted comment: x\nnot base64!!\n",
                                     b"untrusted comment: x\n" + base64.b64encode(b"Ed" + b"\0" * 50) + b"\n",
                                     b"x" * (keys.MAX_KEY_FILE_BYTES + 1)])
def test_garbage_secret_keys(tmp_path, content):
    bad = tmp_path / "bad.key"
    bad.write_bytes(content)
    with pytest.raises(KeyFileError, match="bad.key"):
        keys.read_secret_key(bad)


def test_public_keys(made, tmp_path):
    assert keys.load_public_key(made.public_path) == made.public
    assert keys.load_public_key(made.public.base64) == made.public
    assert keys.load_public_key(str(made.public_path)) == made.public
    for spec in ("RWnotakey", "nonsense", str(tmp_path / "missing.pub")):
        with pytest.raises(KeyFileError):
            keys.load_public_key(spec)
    big = tmp_path / "big.pub"
    big.write_bytes(b"x" * (keys.MAX_KEY_FILE_BYTES + 1))
    with pytest.raises(KeyFileError, match="too large"):
        keys.load_public_key(big)
    (tmp_path / "k.pub").write_bytes(made.secret_path.read_bytes())
    with pytest.raises(KeyFileError, match="not a minisign public key"):
        keys.load_public_key(tmp_path / "k.pub")


@pytest.mark.parametrize("text", [b"", b"a\nb\nc", b"a\nb\nc\nd\ne\n", b"a\r\nb\nc\nd\n",
                                  b"x" * (keys.MAX_SIGNATURE_BYTES + 1)])
def test_malformed_signatures(text):
    with pytest.raises(KeyFileError):
        keys.parse_signature(text)


def test_recipient_keys(tmp_path):
    made = keys.generate_recipient_key(tmp_path / "auditor")
    assert stat.S_IMODE(made.identity_path.stat().st_mode) == 0o600
    lines = made.identity_path.read_text().splitlines()
    assert lines[0].startswith("# created: ") and lines[1] == f"# public key: {made.recipient}"
    assert lines[2].startswith("AGE-SECRET-KEY-1")
    assert made.recipient_path.read_text() == made.recipient + "\n"
    ids = keys.load_identities(made.identity_path)
    assert str(ids[0].to_public()) == made.recipient
    assert [str(r) for r in keys.parse_recipient(made.recipient)] == [made.recipient]
    assert [str(r) for r in keys.parse_recipient(str(made.recipient_path))] == [made.recipient]
    other = str(pyrage.x25519.Identity.generate().to_public())
    several = tmp_path / "several.txt"
    several.write_text(f"# auditors\n{made.recipient}\n\n{other}\n{made.recipient}\n")
    assert [str(r) for r in keys.parse_recipients([str(several)])] == [made.recipient, other]


@pytest.mark.parametrize(("content", "message"), [
    ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGk user@host\n", "SSH key"),
    ("age1yubikey1qwt50d05nh5vutpdzmlg5wn80xq5negm4uj9ghv0snvdd3yysf5yw3rhl3t\n", "plugin recipient"),
    ("AGE-SECRET-KEY-1QQQQ\n", "secret identity"),
    ("# nothing\n", "holds no recipient"),
])
def test_unusable_recipients(tmp_path, content, message):
    f = tmp_path / "r.txt"
    f.write_text(content)
    with pytest.raises(KeyFileError, match=message):
        keys.parse_recipient(str(f))


def test_unusable_identities(tmp_path):
    cases = {
        "pub.txt": ("age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n", "recipient"),
        "ssh": ("-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n", "only age X25519 identities"),
        "enc": ("age-encryption.org/v1\n-> scrypt abc 18\n", "passphrase-protected"),
        "empty": ("# only a comment\n", "holds no identity"),
        "bad": ("AGE-SECRET-KEY-1NOTVALID\n", "damaged identity"),
    }
    for name, (content, message) in cases.items():
        (tmp_path / name).write_text(content)
        with pytest.raises(KeyFileError, match=message):
            keys.load_identities(tmp_path / name)
    with pytest.raises(KeyFileError, match="no such file"):
        keys.load_identities(tmp_path / "missing")
