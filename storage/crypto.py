"""Key handling for a workspace.

A random 256-bit master key is wrapped (AES-256-GCM) by a key derived from the
passphrase with Argon2id. The master key never touches the disk in clear; from
it, HKDF derives separate keys for sealing records and for naming blobs.
Records are sealed with AES-256-GCM and bound to their place by associated data,
so a sealed value cannot be moved to another row or another workspace.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .errors import CorruptData, UnsupportedWorkspace, WrongPassphrase

SEAL_VERSION = b"\x01"
NONCE_BYTES = 12
KEY_BYTES = 32
MIN_PASSPHRASE_CHARS = 8


@dataclass(frozen=True, slots=True)
class KdfParams:
    """Argon2id parameters (RFC 9106). memory in KiB."""

    memory_kib: int = 256 * 1024
    iterations: int = 3
    lanes: int = 4
    algorithm: str = "argon2id"

    # Read from disk, so capped both ways: a hostile workspace must not make us
    # allocate gigabytes, and nothing may weaken a key below a sane floor.
    MIN_MEMORY_KIB = 8 * 1024
    MAX_MEMORY_KIB = 1024 * 1024
    MAX_ITERATIONS = 16
    MAX_LANES = 16

    def __post_init__(self) -> None:
        if self.algorithm != "argon2id":
            raise UnsupportedWorkspace(f"unknown key derivation {self.algorithm!r}")
        for name, value, low, high in (
            ("memory", self.memory_kib, self.MIN_MEMORY_KIB, self.MAX_MEMORY_KIB),
            ("iterations", self.iterations, 1, self.MAX_ITERATIONS),
            ("lanes", self.lanes, 1, self.MAX_LANES),
        ):
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise UnsupportedWorkspace(
                    f"key derivation {name}={value!r} is outside the allowed range {low}..{high}"
                )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> KdfParams:
        if not isinstance(data, dict) or set(data) != {"memory_kib", "iterations", "lanes", "algorithm"}:
            raise UnsupportedWorkspace("key slot has unknown key-derivation parameters")
        return cls(**data)


def normalize_passphrase(passphrase: str) -> bytes:
    # NFC so the same Japanese passphrase typed through different IMEs derives the same key.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive_kek(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    kdf = Argon2id(salt=salt, length=KEY_BYTES, iterations=params.iterations,
                   lanes=params.lanes, memory_cost=params.memory_kib)
    return kdf.derive(normalize_passphrase(passphrase))


def _keyslot_aad(workspace_id: str) -> bytes:
    return b"ccus-attest/keyslot/v1|" + workspace_id.encode("ascii")


def wrap_master_key(master: bytes, passphrase: str, workspace_id: str,
                    params: KdfParams) -> tuple[bytes, bytes]:
    """Returns (salt, wrapped key)."""
    salt = os.urandom(16)
    kek = derive_kek(passphrase, salt, params)
    nonce = os.urandom(NONCE_BYTES)
    return salt, nonce + AESGCM(kek).encrypt(nonce, master, _keyslot_aad(workspace_id))


def unwrap_master_key(wrapped: bytes, passphrase: str, workspace_id: str, salt: bytes,
                      params: KdfParams) -> bytes:
    if not isinstance(wrapped, bytes) or not isinstance(salt, bytes) or \
            len(wrapped) != NONCE_BYTES + KEY_BYTES + 16 or not 8 <= len(salt) <= 64:
        raise CorruptData("key slot", "unexpected length")
    try:
        kek = derive_kek(passphrase, salt, params)
    except UnicodeEncodeError:  # not text: it cannot be the passphrase that was set
        raise WrongPassphrase() from None
    try:
        return AESGCM(kek).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:],
                                   _keyslot_aad(workspace_id))
    except InvalidTag:
        # A wrong passphrase and a damaged key slot look the same by design.
        raise WrongPassphrase() from None


def new_master_key() -> bytes:
    return os.urandom(KEY_BYTES)


class Keys:
    """Keys derived from the master key of one open workspace."""

    __slots__ = ("_blob_mac_key", "_record", "workspace_id")

    def __init__(self, master: bytes, workspace_id: str) -> None:
        self.workspace_id = workspace_id
        self._record = AESGCM(self._subkey(master, b"records"))
        self._blob_mac_key = self._subkey(master, b"blob-id")

    def _subkey(self, master: bytes, purpose: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES,
                    salt=self.workspace_id.encode("ascii"),
                    info=b"ccus-attest/v1/" + purpose).derive(master)

    def _aad(self, context: str) -> bytes:
        return f"ccus-attest/record/v1|{self.workspace_id}|{context}".encode()

    def seal(self, plaintext: bytes, context: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return SEAL_VERSION + nonce + self._record.encrypt(nonce, plaintext, self._aad(context))

    def open(self, sealed: bytes, context: str) -> bytes:
        if not isinstance(sealed, bytes) or len(sealed) < 1 + NONCE_BYTES + 16 or sealed[:1] != SEAL_VERSION:
            raise CorruptData(context, "not a sealed record")
        try:
            return self._record.decrypt(sealed[1:1 + NONCE_BYTES], sealed[1 + NONCE_BYTES:],
                                        self._aad(context))
        except InvalidTag:
            raise CorruptData(context) from None

    def blob_mac(self) -> hmac.HMAC:
        """Keyed hash naming a blob by its content without revealing the content's hash."""
        return hmac.new(self._blob_mac_key, digestmod=hashlib.sha256)
