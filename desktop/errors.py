"""Errors shown to people: the core's typed errors become translated messages with a next step.

Expected failures (``AttestError`` subclasses, unreadable files) get a dialog saying what
happened and what to do. Anything else is a bug: it is logged with its traceback to a
file in the user data folder (``storage.paths.log_dir()``) and shown politely.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QTextEdit, QWidget

from .i18n import tr

log = logging.getLogger("ccus_attest.desktop")


@dataclass(frozen=True)
class Explanation:
    title: str
    what: str        # what happened
    next_step: str   # what to do now
    detail: str = ""  # the core's one-line message (in the UI language where it has one), for support


def machine_fault(exc: BaseException):
    """The full disk, read-only medium or failing drive behind ``exc`` (storage/faults.py), if any."""
    from storage.faults import find_fault

    return find_fault(exc)


def explain(exc: BaseException) -> Explanation:
    """A translated explanation of a core error. Unknown types fall back to a generic text."""
    fault = machine_fault(exc)
    if fault is not None:
        # The one mapping shared with the CLI: its sentences exist in both UI languages.
        from . import i18n

        lang = i18n.current()
        what = fault.problem(lang) + ("" if lang == "ja" else " ") + (fault.action.text(lang) if fault.action
                                                                      else "")
        return Explanation(fault.title(lang), what.strip(), fault.next_step(lang), fault.cause or str(exc))
    # Imported here: this module is loaded before any workspace code (fast start-up).
    from exports import errors as xe
    from exports.comparison_sources import ComparisonInputError
    from questionnaire.error_text import localized
    from questionnaire.errors import AttestError, InvalidAnswer, TemplateError, UnknownItem
    from questionnaire.review import ReviewError
    from questionnaire.submission import SubmissionError
    from storage import errors as se

    from . import i18n

    detail = localized(exc, i18n.current())  # 詳細 (details) in the UI language too
    register_errors = sys.modules.get("register.errors")  # loaded only by the 登録簿
    if register_errors is not None:
        found = _register_error(exc, register_errors, detail)
        if found is not None:
            return found
    table: list[tuple[type[BaseException], str, str, str]] = [
        (xe.WrongSigningPassphrase, tr("署名鍵のパスフレーズが違います"),
         tr("入力したパスフレーズでは署名鍵を開けませんでした。"),
         tr("署名鍵を作成したときのパスフレーズを入力してください（ワークスペースのパスフレーズとは別です）。")),
        (xe.KeyFileError, tr("鍵を使えません"),
         tr("指定した鍵または鍵ファイルが見つからないか、形式が違います。"),
         tr("署名には minisign の秘密鍵（.key）、検証には公開鍵（.pub）、暗号化には age1… で始まる"
            "受取人の公開鍵、開封には age の秘密鍵ファイルを指定してください。")),
        (xe.BundleIncomplete, tr("提出データが完成していません"),
         tr("未回答の必須項目、または不足・期限切れの証跡があります。"),
         tr("問題を解決するか、書き出しウィザードで「未完成のまま書き出す」を選んでください。")),
        (xe.OutputExists, tr("同じ名前のファイルがあります"),
         tr("書き出し先に同じ名前のファイルがすでにあります。既存のファイルは上書きしません。"),
         tr("別のファイル名を指定してください。")),
        (xe.BundleVerificationFailed, tr("提出バンドルの検証に失敗しました"),
         tr("署名または内容の確認で問題が見つかったため、バンドルを開きませんでした。"),
         tr("改ざんや破損の可能性があります。提出者に連絡し、再提出を依頼してください。")),
        (xe.UnsafeArchive, tr("危険な内容を含むバンドルです"),
         tr("バンドルの中に、安全に展開できないファイル名や種類のファイルがあります。"),
         tr("このバンドルは開かず、提出者に連絡してください。")),
        (xe.BundleError, tr("提出バンドルを処理できません"),
         tr("提出バンドルの書き出し、検証または展開ができませんでした。"),
         tr("ファイルの場所、空き容量、フォルダーが空であることを確かめて、もう一度お試しください。")),
        (ReviewError, tr("レビューを読み書きできません"),
         tr("判定・指摘事項のファイル、またはレビュー済みのチェックリストを扱えませんでした。"),
         tr("この提出データのために作成されたチェックリストか確かめてください。詳細を確認してください。")),
        (SubmissionError, tr("提出データを読み取れません"),
         tr("展開したフォルダーの回答データ（answers.json）を読み取れませんでした。"),
         tr("提出バンドルをもう一度開き直してください。")),
        (se.WrongPassphrase, tr("パスフレーズが違います"),
         tr("入力したパスフレーズではこのワークスペースを開けませんでした。"),
         tr("大文字と小文字、全角と半角、Caps Lock を確かめて、もう一度入力してください。")),
        (se.WorkspaceLocked, tr("ワークスペースは使用中です"),
         tr("このワークスペースは別のウィンドウまたは別のプログラムで開かれています。"),
         tr("そちらを閉じてから、もう一度開いてください。")),
        (se.WorkspaceExists, tr("フォルダーが空ではありません"),
         tr("選んだフォルダーにはすでにファイルがあるため、ワークスペースを作成できません。"),
         tr("新しいフォルダー名を指定するか、空のフォルダーを選んでください。")),
        (se.NotAWorkspace, tr("ワークスペースではありません"),
         tr("選んだフォルダーは CCUS Attest のワークスペースではないか、読み取れません。"),
         tr("attest.db が入っているフォルダーを選んでください。")),
        (se.UnsupportedWorkspace, tr("このワークスペースは開けません"),
         tr("新しい版の CCUS Attest で作成されたか、対応していない設定を使っています。"),
         tr("最新版の CCUS Attest で開いてください。")),
        (se.CorruptData, tr("データが破損しています"),
         tr("ワークスペースの一部が壊れているか、外部から書き換えられています。"),
         tr("バックアップから復元してください。原因が分からない場合は管理者に相談してください。")),
        (se.WeakPassphrase, tr("パスフレーズが短すぎます"),
         tr("パスフレーズは8文字以上にしてください。"),
         tr("覚えやすい複数の単語を組み合わせると、長くても忘れにくくなります。")),
        (se.DuplicateEvidence, tr("同じファイルが添付済みです"),
         tr("このファイルはすでにこの設問に添付されています。"),
         tr("別のファイルを選ぶか、添付済みの証跡の情報を編集してください。")),
        (se.EvidenceNotFound, tr("証跡が見つかりません"),
         tr("この証跡はすでに削除されています。"),
         tr("一覧を確認してください。")),
        (se.InvalidEvidence, tr("証跡を追加できません"),
         tr("ファイルを読み取れないか、証跡の情報に誤りがあります。"),
         tr("ファイルと入力した日付を確かめて、もう一度お試しください。")),
        (se.Cancelled, tr("中止しました"),
         tr("処理を中止しました。何も変更されていません。"), ""),
        (se.WorkspaceError, tr("ワークスペースの操作に失敗しました"),
         tr("ワークスペースの読み書き中に問題が発生しました。"),
         tr("ディスクの空き容量とフォルダーの権限を確かめて、もう一度お試しください。")),
        (InvalidAnswer, tr("回答を保存できません"),
         tr("入力した値はこの設問の回答として使えません。"),
         tr("設問の形式（日付、数値の範囲、文字数）に合わせて入力し直してください。")),
        (UnknownItem, tr("設問が見つかりません"),
         tr("指定された設問はこのワークスペースの調査票にありません。"), ""),
        (TemplateError, tr("調査票テンプレートに誤りがあります"),
         tr("調査票テンプレートを読み込めませんでした。"),
         tr("テンプレートの提供元に連絡してください。")),
        (ComparisonInputError, tr("比較できません"),
         tr("選んだファイルまたはフォルダーは、この提出との比較に使えません。"),
         tr("前回の提出バンドル、または前年度のワークスペース（このワークスペースの作成元）を選んでください。")),
        (OSError, tr("ファイルを読み書きできません"),
         tr("ファイルまたはフォルダーにアクセスできませんでした。"),
         tr("場所と権限、ディスクの空き容量を確かめてください。")),
        (AttestError, tr("操作を完了できません"),
         tr("入力またはファイルに問題があります。"),
         tr("詳細を確認して、もう一度お試しください。")),
    ]
    for kind, title, what, next_step in table:
        if isinstance(exc, kind):
            if isinstance(exc, OSError) and getattr(exc, "filename", None):
                detail = f"{exc.filename}: {exc.strerror or exc}"
            if detail.casefold().rstrip("。.") == title.casefold():
                detail = ""  # "wrong passphrase" under the title 「パスフレーズが違います」 adds nothing
            return Explanation(title, what, next_step, detail)
    return Explanation(tr("予期しないエラー"),
                       tr("予期しないエラーが発生しました。入力済みの回答は保存されています。"),
                       tr("アプリを再起動してください。繰り返し起きる場合は、ログファイルを添えて"
                                    "サポートに連絡してください。"), detail)


def _register_error(exc: BaseException, errors, detail: str) -> Explanation | None:
    if isinstance(exc, errors.VerdictConflict):
        def shown(v) -> str:
            from questionnaire.review import Verdict

            from . import i18n

            label = Verdict(v.verdict).label.get(i18n.current()) if v.verdict else tr("判定なし")
            return f"{label}「{v.comment[:200]}」" if v.comment else label

        return Explanation(
            tr("他の監査人が先に保存しました"),
            tr("{item} の判定は、読み込んだ後に {who} が保存しています（版 {version}）。\n"
               "相手の判定: {theirs}\nあなたの判定（保存していません）: {mine}").format(
                item=exc.item_id, who=exc.theirs.reviewer or "?", version=exc.theirs.version,
                theirs=shown(exc.theirs), mine=shown(exc.mine)),
            tr("相手の判定を表示しています。必要なら内容を確かめてから、もう一度判定してください。"), detail)
    if isinstance(exc, errors.ReadOnlyRegister):
        return Explanation(tr("登録簿は読み取り専用です"),
                           tr("この登録簿では閲覧だけが許可されています。何も変更していません。"),
                           tr("判定を記録するには、書き込みが許可された利用者で開いてください。"), detail)
    if isinstance(exc, errors.RegisterError):
        return Explanation(tr("登録簿を使えません"), tr("登録簿の読み書きで問題が発生しました。"),
                           tr("登録簿の場所と接続先を確かめて、もう一度お試しください。"), detail)
    return None


class ErrorDialog(QMessageBox):
    """A window-modal message: opened without blocking, so work and tests go on behind it."""

    shown: ClassVar[list[ErrorDialog]] = []  # the dialogs currently open (tests read them)

    def __init__(self, parent: QWidget | None, explanation: Explanation, *, critical: bool = False,
                 retry: Callable[[], object] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setIcon(QMessageBox.Icon.Critical if critical else QMessageBox.Icon.Warning)
        self.setWindowTitle(explanation.title)
        self.setText(f"<b>{_escape(explanation.title)}</b>")
        body = explanation.what + ("\n\n" + explanation.next_step if explanation.next_step else "")
        self.setInformativeText(body)
        if explanation.detail:
            self.setDetailedText(explanation.detail)
            # Qt's details box takes no focus and has no name: from the keyboard the cause and the
            # log file's path (what support asks for) could be neither scrolled nor copied.
            for box in self.findChildren(QTextEdit):
                box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
                box.setTabChangesFocus(True)
                box.setAccessibleName(tr("詳細"))
        self.explanation = explanation
        self.retries: list[Callable[[], object]] = []
        if retry is None:
            self.setStandardButtons(QMessageBox.StandardButton.Ok)
        else:
            # A save the machine refused (a full disk...): what was typed is still in the form;
            # 再試行 stores it again once the user made room or reconnected the drive.
            self.retries.append(retry)
            self.setStandardButtons(QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel)
            self.setDefaultButton(QMessageBox.StandardButton.Retry)
            self.button(QMessageBox.StandardButton.Retry).setObjectName("retryButton")
            self.button(QMessageBox.StandardButton.Cancel).setText(tr("閉じる"))
            self.buttonClicked.connect(self._clicked)
        self.finished.connect(self._forget)

    def _clicked(self, button) -> None:
        if self.standardButton(button) == QMessageBox.StandardButton.Retry:
            self._forget(0)  # gone before retrying: a new failure opens a fresh dialog
            self._retry()

    def _retry(self) -> None:
        retries, self.retries = self.retries, []
        for retry in retries:
            retry()

    def _forget(self, _result: int) -> None:
        if self in ErrorDialog.shown:
            ErrorDialog.shown.remove(self)

    @classmethod
    def show_error(cls, parent: QWidget | None, exc: BaseException, *,
                   retry: Callable[[], object] | None = None) -> ErrorDialog | None:
        """Show ``exc``. With ``retry``, a machine fault gets 再試行 (which calls it) and 閉じる;
        while such a dialog is open, further failed saves join it instead of piling up."""
        from questionnaire.errors import AttestError
        from storage.errors import Cancelled

        if isinstance(exc, Cancelled):
            return None  # the user asked for it; nothing to explain
        if retry is not None and machine_fault(exc) is None:
            retry = None  # only the machine's faults go away by trying again
        if retry is not None:
            for open_dialog in cls.shown:
                if open_dialog.retries and open_dialog.isVisible():
                    open_dialog.retries.append(retry)
                    return open_dialog
        explanation = explain(exc)
        if not isinstance(exc, (AttestError, OSError)):  # a bug reported through a task: keep a trace
            path = log_exception(type(exc), exc, exc.__traceback__)
            if path is not None:
                explanation = Explanation(explanation.title, explanation.what, explanation.next_step,
                                          f"{explanation.detail}\n{path}")
        dialog = cls(parent, explanation, retry=retry)
        cls.shown.append(dialog)
        dialog.open()
        return dialog


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- unexpected exceptions ---------------------------------------------------------

def log_file() -> Path:
    from storage.paths import log_dir

    return log_dir() / f"desktop-{dt.date.today():%Y%m%d}.log"


def log_exception(exc_type, exc, tb) -> Path | None:
    """Append the traceback to today's log file (tracebacks carry no passphrases or keys)."""
    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"--- {dt.datetime.now().isoformat(timespec='seconds')}\n")
            fh.write("".join(traceback.format_exception(exc_type, exc, tb)))
    except OSError:
        return None
    return path


def install_excepthook() -> None:
    previous = sys.excepthook

    def hook(exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            previous(exc_type, exc, tb)
            return
        path = log_exception(exc_type, exc, tb)
        if QApplication.instance() is None:
            previous(exc_type, exc, tb)
            return
        base = explain(exc)
        where = (tr("記録したログファイル: {path}").format(path=path)
                 if path else "")
        detail = "\n".join(x for x in (where, f"{exc_type.__name__}: {exc}") if x)
        dialog = ErrorDialog(QApplication.activeWindow(),
                             Explanation(base.title, base.what, base.next_step, detail), critical=True)
        ErrorDialog.shown.append(dialog)
        dialog.open()

    sys.excepthook = hook
