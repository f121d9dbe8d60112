"""What the CLI prints in the chosen language (``--lang``, default from the locale).

The core's typed errors carry facts and an English ``str()``; like the desktop's
desktop/errors.py, this module words them in Japanese from those facts. The CLI's own usage
errors are raised as ``CliError`` with both wordings. Whatever has no Japanese wording here
keeps its English message (a file name or an OS error text reads the same in both).
"""

from __future__ import annotations

from questionnaire.errors import AttestError
from questionnaire.text import Text, counted


class CliError(AttestError):
    """A CLI error worded in both languages; ``str()`` is the English."""

    def __init__(self, en: str, ja: str) -> None:
        self.text = Text(ja, en)
        super().__init__(en)


def say(lg: str, ja: str, en: str) -> str:
    return en if lg == "en" else ja


def count(lg: str, n: int, ja_unit: str, en_singular: str, en_plural: str | None = None) -> str:
    """ "証跡 2 件" / "2 evidence files" (``ja_unit`` is the noun before the number)."""
    if lg == "en":
        return counted(n, en_singular, en_plural)
    return f"{ja_unit} {n} 件" if ja_unit else f"{n} 件"


def error_message(exc: BaseException, lg: str) -> str:
    """The one line after "ccus-attest: error:" in the chosen language."""
    text = getattr(exc, "text", None)
    if isinstance(text, Text):
        return text.get(lg)
    if lg == "en":
        return str(exc)
    return _japanese(exc) or str(exc)


def _is(exc: BaseException, module: str, name: str) -> bool:
    """isinstance without importing a module the command did not load (start-up time)."""
    import sys

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
    from questionnaire.errors import InvalidAnswer, UnknownItem

    if _is(exc, "exports.errors", "BundleIncomplete"):
        return _incomplete(exc)
    if _is(exc, "exports.errors", "OutputExists"):
        return f"{exc.path} はすでにあります（別の名前を指定するか、--force で置き換えてください）"
    if _is(exc, "exports.errors", "WrongSigningPassphrase"):
        return f"署名鍵 {exc.path} のパスフレーズが違います（ワークスペースのパスフレーズとは別です）"
    if _is(exc, "exports.errors", "BundleVerificationFailed"):
        return f"提出バンドルの検証に失敗しました（{exc.report.first_problem()}）"
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
