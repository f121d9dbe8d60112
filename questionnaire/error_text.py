"""Typed errors in the user's language, worded from the facts they carry.

``str()`` of every error is one line of English (the core never formats for a UI). The CLI
(``--lang ja``) and the desktop's 詳細 (details) both need Japanese too: this is the one place
that words the common errors in Japanese. A type without a wording here keeps its English
message. The error modules are looked up in ``sys.modules``, never imported: an error of a
module that was not loaded cannot have been raised, and the CLI's start-up stays light.
"""

from __future__ import annotations

import sys

from .text import Text


def localized(exc: BaseException, lg: str) -> str:
    """The error as one line in ``lg`` ("ja" or "en")."""
    text = getattr(exc, "text", None)
    if isinstance(text, Text):
        return text.get(lg)
    if lg == "en":
        return str(exc)
    return _japanese(exc) or str(exc)


def _is(exc: BaseException, module: str, name: str) -> bool:
    """isinstance without importing the error's module."""
    mod = sys.modules.get(module)
    return mod is not None and isinstance(exc, getattr(mod, name))


def _incomplete(exc) -> str:
    blockers = exc.blockers
    shown = "、".join(p.message("ja") for p in blockers[:exc.SHOWN])
    rest = len(blockers) - exc.SHOWN
    more = f"、ほか {rest} 件" if rest > 0 else ""
    return (f"提出データが完成していません。提出を妨げる問題が {len(blockers)} 件あります: {shown}{more}"
            "（問題を解決するか、--allow-incomplete を付けて未完成のまま書き出してください）")


def _japanese(exc: BaseException) -> str | None:
    from .errors import InvalidAnswer, UnknownItem

    if _is(exc, "exports.errors", "BundleIncomplete"):
        return _incomplete(exc)
    if _is(exc, "exports.errors", "OutputExists"):
        return f"{exc.path} はすでにあります（別の名前を指定するか、--force で置き換えてください）"
    if _is(exc, "exports.errors", "WrongSigningPassphrase"):
        return f"署名鍵 {exc.path} のパスフレーズが違います（ワークスペースのパスフレーズとは別です）"
    if _is(exc, "exports.errors", "BundleVerificationFailed"):
        return f"提出バンドルの検証に失敗しました（{exc.report.first_problem('ja')}）"
    if _is(exc, "exports.errors", "KeyFileError"):
        return f"鍵を使えません（{exc}）"
    if _is(exc, "storage.errors", "WrongPassphrase"):
        return "パスフレーズが違います"
    if _is(exc, "storage.errors", "NotAWorkspace"):
        return f"{exc.path} は CCUS Attest のワークスペースではありません"
    if _is(exc, "storage.errors", "WorkspaceExists"):
        return (f"{exc.path} はすでにあり、空ではありません。"
                "新しいフォルダーか空のフォルダーを指定してください")
    if _is(exc, "storage.errors", "WorkspaceLocked"):
        return f"{exc.path} は別の CCUS Attest のウィンドウまたはプロセスで開かれています"
    if _is(exc, "storage.errors", "CorruptData"):
        return f"{exc.what} が壊れているか、書き換えられています（{exc}）"
    if _is(exc, "storage.errors", "EvidenceNotFound"):
        return f"ID {exc.evidence_id!r} の証跡はありません"
    if isinstance(exc, UnknownItem):
        return f"設問 ID {exc.item_id!r} はありません"
    if isinstance(exc, InvalidAnswer):
        return f"{exc.item_id}: 回答として使えません（{exc.problem}）"
    return None
