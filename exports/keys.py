"""Signing keys (minisign format, through py-minisign) and recipient keys (age X25519, through pyrage).

* A vendor signs with an Ed25519 key in the **minisign** format: the secret key file is
  passphrase-protected with scrypt exactly as ``minisign -G`` writes it, the public key
  file is what minisign writes. Keys made by the real ``minisign`` work here and ours
  work in ``minisign``.
* An auditor receives bundles encrypted to an **age** X25519 recipient (``age1…``); the
  identity file has the ``age-keygen`` layout, so ``age -d -i`` reads ours and we read
  theirs.

Key files and signatures are outside input: every reader caps the size, and secret key
files are refused when their scrypt parameters ask for more than ``minisign -G`` itself
uses (1 GiB) or an absurd amount of work.

Signatures are minisign's *prehashed* kind (algorithm ``ED``: Ed25519 over the BLAKE2b-512
digest of the file), the default of minisign ≥ 0.10. Bundles hash the encrypted payload
while it is written, so we sign a digest rather than a file. py-minisign only signs data it
hashes itself; Ed25519 over the 64-byte digest is exactly what its *pure* mode (``Ed``)
computes over those 64 bytes, so we sign the digest in pure mode and label the result
``ED`` as the published format defines. The global signature (over signature + trusted
comment) does not cover the label. Verification does the reverse. The real ``minisign -V``
checks what we write (tests run it).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import minisign
import pyrage

from storage.crypto import MIN_PASSPHRASE_CHARS
from storage.fsutil import atomic_write

from .errors import KeyFileError, WrongSigningPassphrase

MAX_KEY_FILE_BYTES = 64 * 1024
MAX_SIGNATURE_BYTES = 16 * 1024
# scrypt parameters accepted in secret key files. minisign -G writes libsodium's
# "sensitive" limits (opslimit 2^25, memlimit 2^30 = 1 GiB); we accept up to that memory
# and 4x that work, and refuse more: a hostile key file must not make us allocate or spin.
MAX_SCRYPT_MEMLIMIT = 1 << 30
MAX_SCRYPT_OPSLIMIT = 1 << 27
# Keys we create: scrypt N=2^17, r=8, p=1 (128 MiB), the OWASP minimum for scrypt. The
# real minisign derives the same parameters from these limits (libsodium's pickparams).
NEW_KEY_OPSLIMIT = 1 << 22
NEW_KEY_MEMLIMIT = 1 << 27

SECRET_KEY_SUFFIX = ".key"
PUBLIC_KEY_SUFFIX = ".pub"
IDENTITY_SUFFIX = ".age-identity"
RECIPIENT_SUFFIX = ".age-recipient"

_PREHASHED = b"ED"
_PURE = b"Ed"
_UNTRUSTED = "untrusted comment: "
_AGE_ENCRYPTED_HEADER = b"age-encryption.org/v1"
# Bech32 shapes (BIP 173 data characters): an X25519 recipient is age1 + 58 of them; a
# plugin recipient is age1<name>1<data>.
_BECH32 = "[qpzry9x8gf2tvdw0s3jn54khce6mua7l]"
_X25519_SHAPE = re.compile(f"age1{_BECH32}{{58}}")
_PLUGIN_SHAPE = re.compile(f"age1[a-z0-9]+1{_BECH32}+")


def _read_capped(path: Path, what: str, limit: int = MAX_KEY_FILE_BYTES) -> bytes:
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise KeyFileError(f"{what} {path}: no such file") from None
    except IsADirectoryError:
        raise KeyFileError(f"{what} {path} is a folder, not a file") from None
    except OSError as exc:
        raise KeyFileError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise KeyFileError(f"{what} {path} is too large to be a key file (over {limit} bytes)")
    return data


def _key_id_of(raw: bytes) -> str:
    # minisign prints the 8 key-ID bytes as a little-endian 64-bit number ("%016llX").
    return raw[::-1].hex().upper()


# --- minisign: public keys ----------------------------------------------------------


@dataclass(frozen=True)
class PublicSigningKey:
    """A minisign Ed25519 public key."""

    key: minisign.PublicKey

    @property
    def base64(self) -> str:
        return self.key.to_base64().decode("ascii")

    @property
    def key_id(self) -> str:
        """16 upper-case hex digits, as ``minisign`` shows them."""
        return _key_id_of(base64.b64decode(self.base64)[2:10])

    def file_bytes(self) -> bytes:
        """The public key file exactly as ``minisign -G`` writes it."""
        return f"{_UNTRUSTED}minisign public key {self.key_id}\n{self.base64}\n".encode("ascii")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PublicSigningKey) and other.base64 == self.base64

    def __hash__(self) -> int:
        return hash(self.base64)

    @classmethod
    def from_base64(cls, text: str) -> PublicSigningKey:
        try:
            return cls(minisign.PublicKey.from_base64(text.strip()))
        except (minisign.Error, ValueError) as exc:
            raise KeyFileError(f"not a minisign public key ({exc})") from None

    @classmethod
    def from_file_bytes(cls, data: bytes, what: str = "public key") -> PublicSigningKey:
        try:
            return cls(minisign.PublicKey.from_bytes(data))
        except (minisign.Error, ValueError) as exc:
            raise KeyFileError(f"{what} is not a minisign public key file ({exc})") from None


def load_public_key(spec: str | Path | PublicSigningKey | minisign.PublicKey) -> PublicSigningKey:
    """A public key from a minisign ``.pub`` file or from the base64 key string (``RW…``)."""
    if isinstance(spec, PublicSigningKey):
        return spec
    if isinstance(spec, minisign.PublicKey):
        return PublicSigningKey(spec)
    path = Path(spec)
    if isinstance(spec, Path) or path.is_file():
        data = _read_capped(path, "public key")
        return PublicSigningKey.from_file_bytes(data, f"public key {path}")
    text = str(spec).strip()
    if text.startswith("RW") and len(text) < 200:
        return PublicSigningKey.from_base64(text)
    raise KeyFileError(f"signer key {str(spec)[:80]!r}: no such file, and not a base64 minisign "
                       "public key (RW…)")


# --- minisign: signatures -----------------------------------------------------------


@dataclass(frozen=True)
class SignatureInfo:
    """A parsed minisign signature file (not yet verified)."""

    algorithm: bytes  # b"ED" (prehashed) or b"Ed" (legacy, whole file)
    key_id: str
    trusted_comment: str
    untrusted_comment: str
    _text: bytes

    @property
    def prehashed(self) -> bool:
        return self.algorithm == _PREHASHED

    def trusted_fields(self) -> dict[str, str]:
        """``key:value`` fields of the trusted comment (tab separated, as minisign writes)."""
        fields: dict[str, str] = {}
        for part in self.trusted_comment.split("\t"):
            key, sep, value = part.partition(":")
            if sep and key not in fields:
                fields[key] = value
            elif not sep:
                fields.setdefault(part, "")
        return fields

    def canonical_bytes(self) -> bytes:
        """The file as we write it: four lines, each ending in a newline."""
        return self._text + b"\n"


def _relabel(text: bytes, algorithm: bytes) -> bytes:
    lines = text.split(b"\n")
    raw = base64.b64decode(lines[1], validate=True)
    lines[1] = base64.standard_b64encode(algorithm + raw[2:])
    return b"\n".join(lines)


def parse_signature(data: bytes, what: str = "signature") -> SignatureInfo:
    """Parse a minisign signature file strictly (four lines, sizes capped)."""
    if len(data) > MAX_SIGNATURE_BYTES:
        raise KeyFileError(f"{what} is too large ({len(data)} bytes)")
    text = data[:-1] if data.endswith(b"\n") else data
    if b"\r" in text or len(text.split(b"\n")) != 4:
        raise KeyFileError(f"{what} is not a minisign signature (expected four lines)")
    try:
        sig = minisign.Signature.from_bytes(text)
        raw = base64.b64decode(text.split(b"\n")[1], validate=True)
    except (minisign.Error, ValueError, binascii.Error) as exc:
        raise KeyFileError(f"{what} is not a minisign signature ({exc})") from None
    algorithm = raw[:2]
    if algorithm not in (_PREHASHED, _PURE):
        raise KeyFileError(f"{what} uses an unknown signature algorithm")
    return SignatureInfo(algorithm, _key_id_of(raw[2:10]), sig.trusted_comment,
                         sig.untrusted_comment, text)


def verify_prehashed(pk: PublicSigningKey, digest: bytes, sig: SignatureInfo) -> str | None:
    """Check a prehashed signature against a BLAKE2b-512 digest. Returns None when valid,
    otherwise what is wrong (one line)."""
    if not sig.prehashed:
        return "the signature is not a prehashed (ED) minisign signature"
    if sig.key_id != pk.key_id:
        return f"signed by key {sig.key_id}, not by the expected key {pk.key_id}"
    pure = minisign.Signature.from_bytes(_relabel(sig._text, _PURE))
    try:
        pk.key.verify(digest, pure)
    except minisign.VerifyError:
        return "the signature does not match the data or its trusted comment (altered)"
    return None


def verify_bytes(pk: PublicSigningKey, data: bytes, sig: SignatureInfo) -> str | None:
    """Check a signature (either kind) over small data held in memory."""
    if sig.prehashed:
        return verify_prehashed(pk, hashlib.blake2b(data).digest(), sig)
    if sig.key_id != pk.key_id:
        return f"signed by key {sig.key_id}, not by the expected key {pk.key_id}"
    try:
        pk.key.verify(data, minisign.Signature.from_bytes(sig._text))
    except minisign.VerifyError:
        return "the signature does not match the data or its trusted comment (altered)"
    return None


# --- minisign: secret keys ----------------------------------------------------------


class SigningKey:
    """A decrypted minisign secret key, ready to sign. Call ``wipe()`` when done."""

    def __init__(self, secret: minisign.SecretKey) -> None:
        if secret.is_encrypted():
            raise KeyFileError("the signing key is still encrypted")
        self._secret = secret
        self.public = PublicSigningKey(secret.get_public_key())
        self._check_pair()

    def _check_pair(self) -> None:
        """The secret half must sign for the public half the file claims. A key file whose
        bytes were changed (a KDF byte set to "none" makes py-minisign skip the checksum)
        would otherwise load as some other, broken key and fail only when an export signs."""
        probe = b"ccus-attest signing key self-check"
        try:
            sig = self._secret.sign(probe, prehash=False, trusted_comment="self-check",
                                    untrusted_comment="self-check")
            self.public.key.verify(probe, sig)
        except (minisign.Error, ValueError) as exc:
            raise KeyFileError("the signing key file is damaged (its secret and public halves do not "
                               "match)") from exc

    @property
    def key_id(self) -> str:
        return self.public.key_id

    def sign_prehashed(self, digest: bytes, *, trusted_comment: str, untrusted_comment: str) -> bytes:
        """A minisign ``ED`` signature file (with its final newline) for a BLAKE2b-512 digest."""
        if len(digest) != 64:
            raise ValueError("expected a BLAKE2b-512 digest")
        pure = self._secret.sign(digest, prehash=False, trusted_comment=trusted_comment,
                                 untrusted_comment=untrusted_comment)
        text = _relabel(bytes(pure), _PREHASHED)
        # Check our own output before anyone relies on it.
        problem = verify_prehashed(self.public, digest, parse_signature(text + b"\n"))
        if problem:
            raise KeyFileError(f"signing failed: {problem}")
        return text + b"\n"

    def sign_bytes(self, data: bytes, *, trusted_comment: str, untrusted_comment: str) -> bytes:
        return self.sign_prehashed(hashlib.blake2b(data).digest(), trusted_comment=trusted_comment,
                                   untrusted_comment=untrusted_comment)

    def wipe(self) -> None:
        self._secret.wipe()

    def __enter__(self) -> SigningKey:
        return self

    def __exit__(self, *exc: object) -> None:
        self.wipe()


@dataclass(frozen=True)
class SecretKeyFile:
    """A minisign secret key file as read from disk, before decryption."""

    path: Path
    secret: minisign.SecretKey
    opslimit: int
    memlimit: int

    @property
    def encrypted(self) -> bool:
        return self.secret.is_encrypted()

    def unlock(self, passphrase: str | None) -> SigningKey:
        if self.encrypted:
            if not passphrase:
                raise KeyFileError(f"the signing key {self.path} needs its passphrase")
            try:
                self.secret.decrypt(passphrase)
            except minisign.Error as exc:
                if "wrong password" in str(exc):
                    raise WrongSigningPassphrase(self.path) from None
                raise KeyFileError(f"cannot decrypt the signing key {self.path}: {exc}") from None
            except MemoryError:
                raise KeyFileError(f"not enough memory to decrypt the signing key {self.path} "
                                   f"(its scrypt setting needs {self.memlimit >> 20} MiB)") from None
        return SigningKey(self.secret)


def read_secret_key(path: str | Path) -> SecretKeyFile:
    """Read (not decrypt) a minisign secret key file, refusing hostile parameters."""
    path = Path(path)
    data = _read_capped(path, "signing key")
    what = f"signing key {path}"
    lines = data.splitlines()
    if len(lines) != 2:
        raise KeyFileError(f"{what} is not a minisign secret key file (expected two lines)")
    try:
        raw = base64.b64decode(lines[1], validate=True)
    except (ValueError, binascii.Error):
        raise KeyFileError(f"{what} is not a minisign secret key file (bad base64)") from None
    if len(raw) >= 2 and raw[:2] == _PURE and len(raw) > 54 and raw[2:4] == b"Sc":
        opslimit = int.from_bytes(raw[38:46], "little")
        memlimit = int.from_bytes(raw[46:54], "little")
        if memlimit > MAX_SCRYPT_MEMLIMIT or opslimit > MAX_SCRYPT_OPSLIMIT:
            raise KeyFileError(f"{what} asks for scrypt limits beyond what this app accepts "
                               f"(memory {memlimit >> 20} MiB, work {opslimit}; at most "
                               f"{MAX_SCRYPT_MEMLIMIT >> 20} MiB and {MAX_SCRYPT_OPSLIMIT})")
    else:
        opslimit = memlimit = 0
    try:
        secret = minisign.SecretKey.from_bytes(data.strip(b"\n"))
    except (minisign.Error, ValueError) as exc:
        hint = " (this looks like a public key)" if data.startswith(b"untrusted comment: minisign public") \
            else ""
        raise KeyFileError(f"{what} is not a minisign secret key file ({exc}){hint}") from None
    return SecretKeyFile(path, secret, opslimit, memlimit)


def load_signing_key(path: str | Path, passphrase: str | None) -> SigningKey:
    return read_secret_key(path).unlock(passphrase)


@dataclass(frozen=True)
class GeneratedSigningKey:
    secret_path: Path
    public_path: Path
    public: PublicSigningKey


def generate_signing_key(prefix: str | Path, passphrase: str, *, opslimit: int = NEW_KEY_OPSLIMIT,
                         memlimit: int = NEW_KEY_MEMLIMIT) -> GeneratedSigningKey:
    """Write ``PREFIX.key`` (passphrase-protected, owner-only) and ``PREFIX.pub``; never overwrites."""
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise KeyFileError(f"the signing key passphrase must have at least {MIN_PASSPHRASE_CHARS} characters")
    secret_path, public_path = _key_paths(prefix, SECRET_KEY_SUFFIX, PUBLIC_KEY_SUFFIX)
    pair = minisign.KeyPair.generate()
    sk = pair.secret_key
    try:
        sk.encrypt(passphrase, opslimit=opslimit, memlimit=memlimit)
        sk.untrusted_comment = "minisign encrypted secret key"
        secret_bytes = bytes(sk) + b"\n"
    finally:
        sk.wipe()
    public = PublicSigningKey(pair.public_key)
    _write_pair(secret_path, secret_bytes, public_path, public.file_bytes())
    return GeneratedSigningKey(secret_path, public_path, public)


def _key_paths(prefix: str | Path, secret_suffix: str, public_suffix: str) -> tuple[Path, Path]:
    prefix = Path(prefix)
    if not prefix.name or prefix.name in (".", ".."):
        raise KeyFileError(f"{prefix}: give a file name prefix, e.g. keys/vendor-2026")
    secret_path = prefix.with_name(prefix.name + secret_suffix)
    public_path = prefix.with_name(prefix.name + public_suffix)
    for p in (secret_path, public_path):
        if p.exists() or p.is_symlink():
            raise KeyFileError(f"{p} already exists; key files are never overwritten")
    if not prefix.parent.is_dir():
        raise KeyFileError(f"folder {prefix.parent} does not exist")
    return secret_path, public_path


def _write_pair(secret_path: Path, secret_bytes: bytes, public_path: Path, public_bytes: bytes) -> None:
    try:
        with atomic_write(secret_path, private=True) as fh:
            fh.write(secret_bytes)
    except FileExistsError:
        raise KeyFileError(f"{secret_path} already exists; key files are never overwritten") from None
    except OSError as exc:
        raise KeyFileError(f"cannot write {secret_path}: {exc.strerror or exc}") from None
    try:
        with atomic_write(public_path) as fh:
            fh.write(public_bytes)
    except BaseException as exc:
        # Never leave half a key pair behind.
        secret_path.unlink(missing_ok=True)
        if isinstance(exc, FileExistsError):
            raise KeyFileError(f"{public_path} already exists; key files are never overwritten") from None
        if isinstance(exc, OSError):
            raise KeyFileError(f"cannot write {public_path}: {exc.strerror or exc}") from None
        raise


# --- age: recipients and identities -------------------------------------------------


def _key_lines(data: bytes, what: str) -> list[str]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise KeyFileError(f"{what} is not a text file") from None
    return [s for line in text.splitlines() if (s := line.strip()) and not s.startswith("#")]


def parse_recipient(spec: str | Path | pyrage.x25519.Recipient) -> list[pyrage.x25519.Recipient]:
    """``age1…`` itself, or a file holding one or more (one a line, ``#`` comments), as ``age -R``."""
    if isinstance(spec, pyrage.x25519.Recipient):
        return [spec]
    text = str(spec).strip()
    path = Path(spec)
    if not path.is_file():
        if isinstance(spec, str) and text.startswith("age1"):
            return [_recipient_from_str(text, "recipient")]
        raise KeyFileError(f"recipient {text[:80]!r}: no such file, and not an age recipient (age1…)")
    what = f"recipient file {path}"
    lines = _key_lines(_read_capped(path, "recipient file"), what)
    if not lines:
        raise KeyFileError(f"{what} holds no recipient")
    return [_recipient_from_str(line, what) for line in lines]


def _recipient_from_str(text: str, what: str) -> pyrage.x25519.Recipient:
    if text.startswith("AGE-SECRET-KEY-"):
        raise KeyFileError(f"{what} holds a secret identity, not a recipient; give its age1… public key")
    try:
        return pyrage.x25519.Recipient.from_str(text)
    except (pyrage.RecipientError, ValueError):
        if _X25519_SHAPE.fullmatch(text):
            raise KeyFileError(f"{what}: {text[:24]}… is damaged (its checksum does not match: a "
                               "character was changed or mistyped)") from None
        kind = "an age plugin recipient" if _PLUGIN_SHAPE.fullmatch(text) else (
            "an SSH key" if text.startswith("ssh-") else "not an age recipient")
        raise KeyFileError(f"{what}: {text[:24]}… is {kind}; only X25519 recipients (age1…) "
                           "are supported") from None


def parse_recipients(specs: Iterable[str | Path | pyrage.x25519.Recipient]) -> list[pyrage.x25519.Recipient]:
    out: list[pyrage.x25519.Recipient] = []
    seen: set[str] = set()
    for spec in specs:
        for r in parse_recipient(spec):
            if str(r) not in seen:
                seen.add(str(r))
                out.append(r)
    if not out:
        raise KeyFileError("give at least one recipient (the auditor's age1… key)")
    return out


def load_identities(spec: str | Path | pyrage.x25519.Identity | Sequence[pyrage.x25519.Identity]
                    ) -> list[pyrage.x25519.Identity]:
    """Identities from an ``age-keygen`` file (or objects already loaded)."""
    if isinstance(spec, pyrage.x25519.Identity):
        return [spec]
    if isinstance(spec, Sequence) and not isinstance(spec, str):
        ids = list(spec)
        if not ids or not all(isinstance(i, pyrage.x25519.Identity) for i in ids):
            raise KeyFileError("give at least one age identity")
        return ids
    path = Path(spec)
    what = f"identity file {path}"
    data = _read_capped(path, "identity file")
    if data.startswith(_AGE_ENCRYPTED_HEADER):
        raise KeyFileError(f"{what} is passphrase-protected; decrypt it first "
                           f"(age -d -o plain.age-identity {path.name}) or use an unprotected one")
    identities = []
    for line in _key_lines(data, what):
        if line.startswith("age1"):
            raise KeyFileError(f"{what} holds a recipient (public key), not an identity")
        if not line.startswith("AGE-SECRET-KEY-1"):
            raise KeyFileError(f"{what}: only age X25519 identities (AGE-SECRET-KEY-1…) are supported")
        try:
            identities.append(pyrage.x25519.Identity.from_str(line))
        except (pyrage.IdentityError, ValueError):
            raise KeyFileError(f"{what} holds a damaged identity line") from None
    if not identities:
        raise KeyFileError(f"{what} holds no identity")
    return identities


@dataclass(frozen=True)
class GeneratedRecipientKey:
    identity_path: Path
    recipient_path: Path
    recipient: str


def generate_recipient_key(prefix: str | Path) -> GeneratedRecipientKey:
    """Write ``PREFIX.age-identity`` (owner-only, age-keygen layout) and ``PREFIX.age-recipient``."""
    identity_path, recipient_path = _key_paths(prefix, IDENTITY_SUFFIX, RECIPIENT_SUFFIX)
    identity = pyrage.x25519.Identity.generate()
    recipient = str(identity.to_public())
    created = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    body = f"# created: {created}\n# public key: {recipient}\n{identity}\n".encode("ascii")
    _write_pair(identity_path, body, recipient_path, f"{recipient}\n".encode("ascii"))
    return GeneratedRecipientKey(identity_path, recipient_path, recipient)
