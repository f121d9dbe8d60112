"""Hostile key files (``exports.keys``): minisign secret and public keys, signatures, age
identities and recipients. A corpus (tests/fixtures/hostile/keys, made by make_keys.py
there) and hypothesis properties: any bytes, and valid files changed inside their base64
(so the parsers behind the decoding meet them). Only KeyFileError (one line) may escape;
scrypt parameters beyond the limits are refused before any work; the CLI prints one line.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exports import keys
from exports.errors import KeyFileError, WrongSigningPassphrase

from .conftest import FIXTURES
from .hostile_support import FAST, SLOW, one_line_error, run_main, sandbox, watchdog

__all__ = ["sandbox", "watchdog"]  # fixtures, used by name

CORPUS = FIXTURES / "hostile" / "keys"
INDEX = json.loads((CORPUS / "index.json").read_text("utf-8"))
KEYS = FIXTURES / "bundles"
PASSPHRASE = "fixture signing passphrase"
SECRET = (KEYS / "vendor.key").read_bytes()
PUBLIC = (KEYS / "vendor.pub").read_bytes()
SIGNATURE = zipfile.ZipFile(KEYS / "valid.zip").read("submission.tar.age.minisig")
IDENTITY = (KEYS / "auditor.age-identity").read_bytes()
RECIPIENT = (KEYS / "auditor.age-recipient").read_bytes()
PINNED = keys.load_public_key(KEYS / "vendor.pub")
# Secret keys whose scrypt settings are within the limits but heavier than this are only
# read, not unlocked, by the properties (unlocking one legitimately takes seconds).
CHEAP_MEM, CHEAP_OPS = 1 << 25, 1 << 21


def _one_line(exc: BaseException) -> None:
    assert str(exc) and "\n" not in str(exc), repr(exc)


def read_as(reader: str, path) -> object:
    """Feed ``path`` to a reader; returns what it read or raises KeyFileError."""
    if reader == "secret":
        kf = keys.read_secret_key(path)
        if kf.memlimit > CHEAP_MEM or kf.opslimit > CHEAP_OPS:
            return kf
        return kf.unlock(PASSPHRASE)
    if reader == "public":
        return keys.load_public_key(path)
    if reader == "signature":
        sig = keys.parse_signature(path.read_bytes(), path.name)
        sig.trusted_fields()
        for problem in (
            keys.verify_bytes(PINNED, b"data", sig),
            keys.verify_prehashed(PINNED, hashlib.blake2b(b"data").digest(), sig),
        ):
            assert problem is None or (problem and "\n" not in problem)
        return sig
    if reader == "identity":
        return keys.load_identities(path)
    return keys.parse_recipient(path)


def outcome(reader: str, path) -> str:
    try:
        read_as(reader, path)
    except KeyFileError as exc:
        _one_line(exc)
        return "error"
    return "ok"


# --- the corpus ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(INDEX), ids=lambda n: n)
def test_corpus_key_file(name):
    expected = INDEX[name]
    assert outcome(expected["reader"], CORPUS / name) == expected["outcome"], expected["why"]


def test_corpus_index_lists_every_file():
    assert sorted(p.name for p in CORPUS.iterdir() if p.name != "index.json") == sorted(INDEX)


@pytest.mark.parametrize(
    "name",
    sorted(
        n
        for n, e in INDEX.items()
        if e["outcome"] == "error" and e["reader"] in ("public", "identity", "secret", "recipient")
    ),
)
def test_corpus_key_file_through_the_cli(name, sandbox, monkeypatch):
    """The commands that take each kind of key file: one line on stderr, exit 1, nothing written."""
    path = str(CORPUS / name)
    bundle = str(KEYS / "valid.zip")
    reader = INDEX[name]["reader"]
    if reader == "public":
        argv = ["verify", bundle, "--signer", path]
    elif reader == "identity":
        argv = [
            "open",
            bundle,
            "--signer",
            str(KEYS / "vendor.pub"),
            "--identity",
            path,
            "--out",
            str(sandbox / "o"),
        ]
    else:  # an export needs a workspace first; a missing one must not be what fails
        from storage import Workspace

        from .conftest import FAST_KDF
        from .conftest import PASSPHRASE as WS_PASSPHRASE

        ws = sandbox / "ws"
        if not ws.exists():
            Workspace.create(ws, WS_PASSPHRASE, kdf=FAST_KDF).close()
        key = path if reader == "secret" else str(KEYS / "vendor.key")
        to = path if reader == "recipient" else RECIPIENT.decode().strip()
        argv = [
            "export",
            str(ws),
            "--out",
            str(sandbox / "b.zip"),
            "--sign-key",
            key,
            "--to",
            to,
            "--allow-incomplete",
        ]
    monkeypatch.setenv("CCUS_ATTEST_PASSPHRASE", "correct horse battery")
    monkeypatch.setenv("CCUS_ATTEST_SIGNING_PASSPHRASE", PASSPHRASE)
    code, _out, err = run_main(*argv)
    assert one_line_error(code, err), (code, err)
    assert not (sandbox / "o").exists() and not (sandbox / "b.zip").exists()


# --- properties -----------------------------------------------------------------------------


def _b64_mutations(data: bytes, line: int):
    """``data`` with its base64 line decoded, changed and encoded again (so it stays valid base64)."""
    lines = data.split(b"\n")
    raw = base64.b64decode(lines[line])
    edit = st.tuples(
        st.sampled_from(["flip", "set", "insert", "delete", "truncate"]),
        st.integers(0, len(raw)),
        st.binary(min_size=1, max_size=10),
    )

    def apply(edits) -> bytes:
        out = bytearray(raw)
        for how, at, blob in edits:
            at = min(at, len(out))
            if how == "flip" and out:
                out[min(at, len(out) - 1)] ^= blob[0] or 1
            elif how == "set":
                out[at : at + len(blob)] = blob
            elif how == "insert":
                out[at:at] = blob
            elif how == "delete":
                del out[at : at + len(blob)]
            else:
                del out[at:]
        new = list(lines)
        new[line] = base64.b64encode(bytes(out))
        return b"\n".join(new)

    return st.lists(edit, min_size=1, max_size=3).map(apply)


def _text_mutations(data: bytes):
    pieces = st.sampled_from(
        [
            b"\n",
            b"\r\n",
            b"\r",
            b" ",
            b"\t",
            b"#",
            b"\0",
            b"=",
            b"\xff",
            b"\xef\xbb\xbf",
            b"untrusted comment: ",
            b"trusted comment: ",
            b"AGE-SECRET-KEY-1",
            b"age1",
            b"RW",
        ]
    )

    def apply(edits) -> bytes:
        out = bytearray(data)
        for at, cut, piece in edits:
            at = min(at, len(out))
            out[at : at + cut] = piece
        return bytes(out)

    return st.lists(
        st.tuples(st.integers(0, len(data)), st.integers(0, 4), pieces | st.binary(max_size=4)),
        min_size=1,
        max_size=4,
    ).map(apply)


FILES = {
    "secret": (SECRET, 1),
    "public": (PUBLIC, 1),
    "signature": (SIGNATURE, 1),
    "identity": (IDENTITY, None),
    "recipient": (RECIPIENT, None),
}


@FAST
@given(data=st.data())
def test_mutated_key_files(sandbox, data):
    reader = data.draw(st.sampled_from(sorted(FILES)))
    original, b64_line = FILES[reader]
    strategies = _text_mutations(original)
    if b64_line is not None:
        strategies = strategies | _b64_mutations(original, b64_line)
    if reader == "signature":
        strategies = strategies | _b64_mutations(original, 3)
    mutated = data.draw(strategies)
    path = sandbox / f"k.{reader}"
    path.write_bytes(mutated)
    try:
        result = read_as(reader, path)
    except WrongSigningPassphrase:
        return  # e.g. the encrypted part changed: the checksum no longer matches
    except KeyFileError as exc:
        _one_line(exc)
        return
    if reader == "secret" and isinstance(result, keys.SigningKey):
        # a key that loads is a working pair: it signs what its public half verifies
        digest = hashlib.blake2b(b"x").digest()
        sig = result.sign_prehashed(digest, trusted_comment="t", untrusted_comment="u")
        assert keys.verify_prehashed(result.public, digest, keys.parse_signature(sig)) is None
    if reader == "public":
        assert len(result.key_id) == 16


@FAST
@given(reader=st.sampled_from(sorted(FILES)), raw=st.binary(max_size=400))
def test_any_bytes_as_a_key_file(sandbox, reader, raw):
    path = sandbox / f"any.{reader}"
    path.write_bytes(raw)
    assert outcome(reader, path) in ("ok", "error")


@SLOW
@given(text=st.text(max_size=120))
def test_any_text_as_a_key_string(text):
    """The CLI also takes keys as strings: --signer RW…, --to age1…"""
    for parse in (keys.load_public_key, keys.parse_recipient):
        try:
            parse(text)
        except KeyFileError as exc:
            _one_line(exc)


@FAST
@given(
    ops=st.integers(0, 2**64 - 1)
    | st.sampled_from([0, 1, 1 << 20, keys.MAX_SCRYPT_OPSLIMIT, keys.MAX_SCRYPT_OPSLIMIT + 1, 2**63]),
    mem=st.integers(0, 2**64 - 1)
    | st.sampled_from([0, 1, 1 << 25, keys.MAX_SCRYPT_MEMLIMIT, keys.MAX_SCRYPT_MEMLIMIT + 1, 2**63]),
)
def test_scrypt_parameters(sandbox, ops, mem):
    lines = SECRET.split(b"\n")
    raw = bytearray(base64.b64decode(lines[1]))
    raw[38:46] = ops.to_bytes(8, "little")
    raw[46:54] = mem.to_bytes(8, "little")
    path = sandbox / "s.key"
    path.write_bytes(lines[0] + b"\n" + base64.b64encode(bytes(raw)) + b"\n")
    beyond = ops > keys.MAX_SCRYPT_OPSLIMIT or mem > keys.MAX_SCRYPT_MEMLIMIT
    started = time.perf_counter()
    try:
        kf = keys.read_secret_key(path)
    except KeyFileError as exc:
        assert beyond and "scrypt limits" in str(exc)
        assert time.perf_counter() - started < 1.0  # refused before any work
        return
    assert not beyond and (kf.opslimit, kf.memlimit) == (ops, mem)
    if mem <= CHEAP_MEM and ops <= CHEAP_OPS:
        try:
            kf.unlock(PASSPHRASE)
        except KeyFileError as exc:  # other parameters derive another key: "wrong passphrase"
            _one_line(exc)
