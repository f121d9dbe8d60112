"""The result of verifying a bundle: a banner, and every check in a table.

The title names the submission and its signed export time in Japan time, first (an old
payload re-sent under its own ID must not look like a fresh one). The body gives the signer
key ID, the template the content was judged against, the app's own recomputed conclusion,
and what the app remembers of this submission ID. Colours, never alone (the title says it):

* green ("true") — every check holds, against an official template, the recomputed
  conclusion is complete, and the ID was not seen before with other content;
* amber ("warn") — every check holds, but against a template the auditor supplied, or the
  recomputed conclusion is incomplete, or the ID was seen before with other content
  (replayed or re-signed);
* red ("false") — a check failed; each failed check is named, with the core's detail.
"""

from __future__ import annotations

import html
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..i18n import tr

if TYPE_CHECKING:
    from exports.bundle import Check, VerifyReport

OK_FG, BAD_FG = QColor("#1e6b43"), QColor("#9b1c1c")
MAX_LISTED = 8  # failed checks named in the banner itself; the table has them all


def check_detail(check: Check) -> str:
    """A check's detail in the UI language: its Japanese line when the UI is Japanese (the
    English one when a check has none yet)."""
    from .. import i18n

    return check.ja if i18n.current() == "ja" and check.ja else check.detail


def check_label(name: str) -> str:
    """A check's name in the UI language (names are stable: exports/bundle_report.py)."""
    if name.startswith("member:"):
        return tr("ファイル {path}").format(path=name[len("member:"):])
    return {
        "zip": tr("ZIP 形式（コンテナ）"),
        "signer-pub": tr("同梱の公開鍵（signer.pub）"),
        "outer-signature": tr("外側の署名（submission.tar.age）"),
        "readme": tr("説明書（README.txt）"),
        "decrypt": tr("復号"),
        "archive": tr("アーカイブの内容（tar）"),
        "inner-signature": tr("内側の署名（SHA256SUMS）"),
        "checksums": tr("チェックサム（SHA256SUMS）"),
        "manifest": tr("マニフェスト（manifest.json）"),
        "signer-key-id": tr("マニフェストの署名鍵 ID"),
        "members": tr("ファイルの一覧"),
        "template": tr("調査票テンプレート"),
        "answers": tr("回答データ（answers.json）"),
        "evidence": tr("証跡"),
        "activity-log": tr("活動記録（改ざん検知チェーン）"),
        "official-template": tr("公式テンプレートとの一致"),
        "limits": tr("文字数の上限"),
        "answer-values": tr("回答の値（テンプレートとの適合）"),
        "names": tr("提出者名・証跡名の文字"),
        "conclusions": tr("結論の再計算（完了・要対応・件数・期限）"),
        "export-time": tr("書き出し日時"),
        "activity-events": tr("活動記録の操作の種類"),
        "activity-times": tr("活動記録の日時"),
        "activity-replay": tr("活動記録と回答・証跡の一致"),
        "vendor-documents": tr("同梱のチェックリスト（数式・リンク・マクロ）"),
        "signer-pin": tr("記憶している鍵との照合"),
    }.get(name, name)


class CheckColumn(IntEnum):
    RESULT = 0
    CHECK = 1
    DETAIL = 2


class CheckModel(QAbstractTableModel):
    """Every check of a VerifyReport, failed ones first."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[Check] = []

    def set_report(self, report: VerifyReport | None) -> None:
        self.beginResetModel()
        checks = list(report.checks) if report is not None else []
        self.rows = [c for c in checks if not c.ok] + [c for c in checks if c.ok]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(CheckColumn)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(CheckColumn):
            return None
        return {CheckColumn.RESULT: tr("結果"), CheckColumn.CHECK: tr("確認項目"),
                CheckColumn.DETAIL: tr("詳細")}[CheckColumn(section)]

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        check = self.rows[index.row()]
        column = CheckColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if column is CheckColumn.RESULT:
                return tr("OK") if check.ok else tr("不合格")
            return check_label(check.name) if column is CheckColumn.CHECK else check_detail(check)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{check.name}: {check.detail}"
        if role == Qt.ItemDataRole.ForegroundRole and column is CheckColumn.RESULT:
            return QBrush(OK_FG if check.ok else BAD_FG)
        if role == Qt.ItemDataRole.UserRole:
            return check.name
        return None


class VerifyBanner(QFrame):
    """Green when every check passed, red otherwise; 「詳細」 shows every check."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verifyBanner")
        self.setProperty("ok", "none")
        self.report: VerifyReport | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        top = QHBoxLayout()
        self.title = QLabel(self)
        self.title.setObjectName("verifyTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_button = QPushButton(self.tr("詳細"), self)
        self.details_button.setObjectName("verifyDetails")
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(lambda on: self.table.setVisible(on))
        top.addWidget(self.title, 1)
        top.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.body = QLabel(self)
        self.body.setObjectName("verifyBody")
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # A long body (many failed checks, notes) scrolls instead of being squeezed under the
        # table in a small window (1366x768 at 150 %).
        self.body_area = QScrollArea(self)
        self.body_area.setObjectName("verifyBodyArea")
        self.body_area.setWidgetResizable(True)
        self.body_area.setFrameShape(QFrame.Shape.NoFrame)
        self.body_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body_area.setStyleSheet(
            "QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }")
        self.body_area.setWidget(self.body)
        self.body_area.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout.addWidget(self.body_area)
        self.model = CheckModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("verifyChecks")
        self.table.setAccessibleName(self.tr("検証した項目"))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (no trap)
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.setMinimumHeight(160)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(CheckColumn.RESULT, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CheckColumn.CHECK, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CheckColumn.DETAIL, QHeaderView.ResizeMode.Stretch)
        self.table.hide()
        layout.addWidget(self.table)
        self.hide()

    def failed_names(self) -> list[str]:
        return [c.name for c in self.report.problems] if self.report is not None else []

    def show_report(self, report: VerifyReport, note: str = "") -> None:
        from exports.bundle_report import format_jst

        from .. import i18n

        lang = i18n.current()
        self.report = report
        self.model.set_report(report)
        key_id = report.signer_key_id or tr("不明")
        when = format_jst(report.exported_at, lang)
        sid = report.submission_id or tr("不明")
        esc = html.escape
        lines: list[str] = []   # HTML
        if report.ok:
            unofficial = not report.official_template
            incomplete = report.assessment is not None and not report.assessment.can_submit
            # Green only when it all holds: authentic, the official questions, the recomputed
            # conclusion complete, and no earlier sighting with other content.
            state = "warn" if unofficial or incomplete or report.replay_suspected else "true"
            if unofficial:
                title = self.tr("検証済み（非公式テンプレートで判定） — 提出ID {sid}（書き出し {when}）")
            elif incomplete:
                title = self.tr("検証済み・提出不可（要対応 {n} 件） — 提出ID {sid}（書き出し {when}）")
            else:
                title = self.tr("検証済み — 提出ID {sid}（書き出し {when}）")
            n = len(report.assessment.blockers) if report.assessment is not None else 0
            self.title.setText(title.format(sid=sid, when=when, n=n))
            files = len((report.manifest or {}).get("members", []))
            lines.append(esc(self.tr("署名鍵 ID {key_id} の署名は正しく、{n} 個のファイルすべてのハッシュが"
                                     "署名済みの一覧と一致しました。提出後に変更されていません。").format(
                                         key_id=key_id, n=files)))
        else:
            state = "false"
            self.title.setText(self.tr("検証に失敗しました — 提出ID {sid}（書き出し {when}）").format(
                sid=sid, when=when) if report.submission_id else self.tr("検証に失敗しました"))
            lines.append(esc(self.tr("署名鍵 ID {key_id}。このバンドルには問題があります（改ざん・破損、"
                                     "指定した鍵以外の署名、または内容が公式テンプレートや再計算の結果と"
                                     "合いません）。開かずに提出者に連絡してください。").format(key_id=key_id)))
            problems = report.problems
            lines += ["・" + f"<b>{esc(check_label(c.name))}</b>: {esc(check_detail(c))}"
                      for c in problems[:MAX_LISTED]]
            if len(problems) > MAX_LISTED:
                more = self.tr("ほか {n} 件（「詳細」を参照）").format(n=len(problems) - MAX_LISTED)
                lines.append("・" + esc(more))
            if report.decrypted and report.judged_with is None and report.manifest is not None:
                lines.append(esc(self.tr("このバンドルのテンプレートの版はアプリに同梱されていません。信頼できる"
                                         "テンプレートファイルを「非公式テンプレート」欄で指定すると、それで判定"
                                         "できます。")))
        judged = report.judged_with
        if judged is not None:
            t = judged.template
            text = (self.tr("判定に使ったテンプレート: 公式 {id} {version}") if judged.official else
                    self.tr("判定に使ったテンプレート: 非公式 {id} {version}（監査人が指定した {source}。"
                            "アプリが同梱する公式のものではありません）"))
            line = esc(text.format(id=t.id, version=t.version, source=judged.source))
            lines.append(line if judged.official else f"<b>{line}</b>")
        lines += [f"<b>{esc(line)}</b>" for line in report.conclusion_lines(lang)]
        lines += [esc(n) for n in report.notes]
        if note:
            lines.append(esc(note))
        self._set_body("<br>".join(lines))
        self._set_state(state)
        self.show()

    def _set_body(self, text: str) -> None:
        self.body.setText(text)
        self._fit_body()

    def _fit_body(self) -> None:
        """The height the body needs at the current width, up to a third of the screen (then it
        scrolls); at least a few lines stay visible whatever else the window shows."""
        screen = self.screen().availableGeometry().height() if self.screen() is not None else 768
        width = self.body_area.viewport().width()
        if width < 100:
            width = max(300, self.width() - 40)
        need = max(self.body.heightForWidth(width), 0) + 4
        self.body_area.setMaximumHeight(min(need, screen // 3))
        self.body_area.setMinimumHeight(min(need, 120))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.body.text():
            self._fit_body()

    def show_refused(self, title: str, text: str) -> None:
        """Red, without a report: e.g. the auditor declined a changed signer key."""
        self.report = None
        self.model.set_report(None)
        self.title.setText(title)
        self._set_body(html.escape(text))
        self._set_state("false")
        self.show()

    def _set_state(self, ok: str) -> None:
        self.setProperty("ok", ok)
        self.title.setProperty("ok", ok)
        for widget in (self, self.title):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
