"""Where passphrases come from: an environment variable, a file, or a prompt without echo."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from .messages import CliError

PASSPHRASE_ENV = "CCUS_ATTEST_PASSPHRASE"
NEW_PASSPHRASE_ENV = "CCUS_ATTEST_NEW_PASSPHRASE"
MAX_PASSPHRASE_FILE = 4096


class PassphraseUnavailable(CliError):
    pass


def read_passphrase_file(path: str | Path) -> str:
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_PASSPHRASE_FILE + 1)
    except OSError as exc:
        raise PassphraseUnavailable(f"cannot read passphrase file {path}: {exc.strerror}",
                                    f"パスフレーズのファイル {path} を読み取れません: "
                                    f"{exc.strerror}") from None
    if len(raw) > MAX_PASSPHRASE_FILE:
        raise PassphraseUnavailable(f"passphrase file {path} is too large",
                                    f"パスフレーズのファイル {path} が大きすぎます")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PassphraseUnavailable(f"passphrase file {path} is not UTF-8 text",
                                    f"パスフレーズのファイル {path} が UTF-8 のテキストでは"
                                    "ありません") from None
    # The first line is the passphrase; editors add a newline at the end.
    line = text.split("\n", 1)[0].rstrip("\r")
    if not line:
        raise PassphraseUnavailable(f"passphrase file {path} is empty",
                                    f"パスフレーズのファイル {path} が空です")
    return line


def _prompt(prompt: str, confirm: bool, env: str) -> str:
    if not sys.stdin.isatty():
        raise PassphraseUnavailable(
            f"no passphrase given: set {env} or use --passphrase-file",
            f"パスフレーズが指定されていません: 環境変数 {env} を設定するか、"
            "--passphrase-file を使ってください",
        )
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Repeat / 再入力: ") != first:
        raise PassphraseUnavailable("the two passphrases differ", "2 回入力したパスフレーズが違います")
    return first


def get_passphrase(file: str | None, *, env: str = PASSPHRASE_ENV, confirm: bool = False,
                   prompt: str = "Passphrase / パスフレーズ: ") -> str:
    if file:
        return read_passphrase_file(file)
    value = os.environ.get(env) or _prompt(prompt, confirm, env)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes in the environment or the terminal
        raise PassphraseUnavailable("the passphrase is not valid UTF-8 text",
                                    "パスフレーズが UTF-8 のテキストではありません") from None
    return value
