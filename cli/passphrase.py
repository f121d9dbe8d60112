"""Where passphrases come from: an environment variable, a file, or a prompt without echo."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from questionnaire.errors import AttestError

PASSPHRASE_ENV = "CCUS_ATTEST_PASSPHRASE"
NEW_PASSPHRASE_ENV = "CCUS_ATTEST_NEW_PASSPHRASE"
MAX_PASSPHRASE_FILE = 4096


class PassphraseUnavailable(AttestError):
    pass


def read_passphrase_file(path: str | Path) -> str:
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_PASSPHRASE_FILE + 1)
    except OSError as exc:
        raise PassphraseUnavailable(f"cannot read passphrase file {path}: {exc.strerror}") from None
    if len(raw) > MAX_PASSPHRASE_FILE:
        raise PassphraseUnavailable(f"passphrase file {path} is too large")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PassphraseUnavailable(f"passphrase file {path} is not UTF-8 text") from None
    # The first line is the passphrase; editors add a newline at the end.
    line = text.split("\n", 1)[0].rstrip("\r")
    if not line:
        raise PassphraseUnavailable(f"passphrase file {path} is empty")
    return line


def _prompt(prompt: str, confirm: bool) -> str:
    if not sys.stdin.isatty():
        raise PassphraseUnavailable(
            f"no passphrase given: set {PASSPHRASE_ENV} or use --passphrase-file"
        )
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Repeat / 再入力: ") != first:
        raise PassphraseUnavailable("the two passphrases differ")
    return first


def get_passphrase(file: str | None, *, env: str = PASSPHRASE_ENV, confirm: bool = False,
                   prompt: str = "Passphrase / パスフレーズ: ") -> str:
    if file:
        return read_passphrase_file(file)
    value = os.environ.get(env) or _prompt(prompt, confirm)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes in the environment or the terminal
        raise PassphraseUnavailable("the passphrase is not valid UTF-8 text") from None
    return value
