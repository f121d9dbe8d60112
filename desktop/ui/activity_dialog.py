"""「操作履歴」: the hash-chained activity log, newest first, with the state of its chain.

The vendor sees their workspace's log; the auditor the log exported in the bundle. Entries
are decrypted (vendor) or read (auditor) in the worker, since a year of work can hold tens
of thousands of them. The log is the tamper-evident record, so the dialog says plainly
whether its chain holds before listing anything.
"""

from __future__ import annotations

import datetime as dt
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSize, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from exports.rows import answer_text, human_size, kind_label
from questionnaire import Answer

from .. import i18n
from ..i18n import tr
from ..tasks import Task
from . import screen_fit
from .accessibility import name_clear_button

if TYPE_CHECKING:
    from questionnaire import Template
    from storage.activity import LogEntry

    from ..session import FormSource


class ActivityColumn(IntEnum):
    SEQ = 0
    AT = 1
    ACTION = 2
    ITEM = 3
    DETAIL = 4


def action_label(action: str) -> str:
    labels = {
        "workspace.created": tr("ワークスペースを作成"),
        "profile.vendor": tr("提出者名を変更"),
        "answer.set": tr("回答を保存"),
        "answer.cleared": tr("回答を消去"),
        "evidence.added": tr("証跡を添付"),
        "evidence.updated": tr("証跡の情報を変更"),
        "evidence.removed": tr("証跡を削除"),
        "passphrase.changed": tr("パスフレーズを変更"),
        "bundle.exported": tr("提出バンドルを書き出し"),
        "checklist.exported": tr("チェックリストを書き出し"),
        "report.exported": tr("報告書を書き出し"),
        "review.imported": tr("レビュー結果を取り込み"),
        "workspace.restored": tr("バックアップから復元"),
    }
    return labels.get(action, action)  # an action of a newer version: shown as recorded


def local_time(at: str) -> str:
    try:
        when = dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return at
    return when.astimezone().strftime("%Y-%m-%d %H:%M:%S") if when.tzinfo else at


def _short(text: Any, limit: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def detail_text(entry: LogEntry, template: Template) -> str:
    """One line saying what changed, in the UI language."""
    d, lang = entry.detail, i18n.current()
    if entry.action == "answer.set":
        if entry.item and template.has_item(entry.item):
            shown = answer_text(template.item(entry.item), Answer(d.get("value"), d.get("note")), lang)
        else:  # an item of another template version
            shown = str(d.get("value"))
        parts = [_short(shown.replace("\n", "、"))]
        if d.get("note"):
            parts.append(tr("備考: {note}").format(note=_short(d["note"], 60)))
        return " / ".join(parts)
    if entry.action in ("evidence.added", "evidence.removed"):
        parts = [str(d.get("filename", ""))]
        if entry.action == "evidence.added" and isinstance(d.get("kind"), str):
            parts.append(kind_label(template, d["kind"], lang))
        if isinstance(d.get("size"), int):
            parts.append(human_size(d["size"]))
        return " / ".join(p for p in parts if p)
    if entry.action == "evidence.updated":
        parts = [kind_label(template, d["kind"], lang)] if isinstance(d.get("kind"), str) else []
        parts.append(tr("有効期限 {date}").format(date=d["expires"]) if d.get("expires") else tr("期限なし"))
        return " / ".join(parts)
    if entry.action in ("bundle.exported", "checklist.exported", "report.exported"):
        parts = [str(d.get("file", ""))]
        if isinstance(d.get("sha256"), str):
            parts.append(f"SHA-256 {d['sha256'][:16]}…")
        if entry.action == "bundle.exported":
            parts.append(tr("鍵 ID {key_id}").format(key_id=d.get("signer_key_id", "?")))
            if d.get("complete") is False:
                parts.append(tr("未完成"))
        return " / ".join(parts)
    if entry.action == "review.imported":
        return tr("{source}（判定 %n 件）", "", d.get("findings", 0)).format(source=d.get("source", ""))
    if entry.action == "profile.vendor":
        return str(d.get("vendor", ""))
    if entry.action == "workspace.created":
        return str(d.get("template", ""))
    if entry.action == "passphrase.changed":
        return ""  # the KDF parameters are not news to anyone reading the history
    return _short(", ".join(f"{k}: {v}" for k, v in d.items()), 120)


class ActivityModel(QAbstractTableModel):
    """The log, newest first."""

    def __init__(self, template: Template, parent=None) -> None:
        super().__init__(parent)
        self.template = template
        self.entries: list[LogEntry] = []
        self._shown: list[tuple[int, str, str, str, str]] = []

    def set_entries(self, entries: list[LogEntry]) -> None:
        self.beginResetModel()
        self.entries = list(reversed(entries))
        # Rendered once: the filter reads every row at each keystroke.
        self._shown = [(e.seq, local_time(e.at), action_label(e.action), e.item or "",
                        detail_text(e, self.template)) for e in self.entries]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ActivityColumn)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            ActivityColumn.SEQ: tr("番号"),
            ActivityColumn.AT: tr("日時"),
            ActivityColumn.ACTION: tr("操作"),
            ActivityColumn.ITEM: tr("設問"),
            ActivityColumn.DETAIL: tr("内容"),
        }.get(section)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        entry = self.entries[index.row()]
        column = ActivityColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._shown[index.row()][column]
        if role == Qt.ItemDataRole.ToolTipRole and column is ActivityColumn.DETAIL:
            return f"{entry.action}\nSHA-256 {entry.hash}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column is ActivityColumn.SEQ:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ActivityDialog(QDialog):
    def __init__(self, source: FormSource, parent: QWidget | None = None, *,
                 title: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activityDialog")
        self.setWindowTitle(title or tr("操作履歴"))
        screen_fit.fit(self, QSize(980, 600), QSize(480, 320))
        self.source = source
        self.model = ActivityModel(source.template, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        layout = QVBoxLayout(self)
        self.state = QLabel(tr("読み込み中…"), self)
        self.state.setObjectName("activityState")
        self.state.setWordWrap(True)
        self.state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.state)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("activityFilter")
        self.filter.setAccessibleName(tr("絞り込み"))
        self.filter.setPlaceholderText(tr("絞り込み（操作・設問 ID・内容）"))
        self.filter.setClearButtonEnabled(True)
        name_clear_button(self.filter, tr("絞り込みを消す"))
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        layout.addWidget(self.filter)
        self.view = QTableView(self)
        self.view.setTabKeyNavigation(False)  # Tab leaves the table (no trap)
        self.view.setAccessibleName(tr("操作履歴の一覧"))
        self.view.setObjectName("activityView")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        for column in (ActivityColumn.SEQ, ActivityColumn.AT, ActivityColumn.ACTION, ActivityColumn.ITEM):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ActivityColumn.DETAIL, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.problems: list[str] | None = None
        # Locking drops the keys and hides the form: the history goes with them.
        source.locked_changed.connect(lambda locked: locked and self.reject())
        # Not parented to the dialog: the task outlives a dialog closed while it loads.
        self.task = Task(lambda _progress, _cancel: source.activity())
        self.task.succeeded.connect(self._loaded)
        self.task.failed.connect(self._failed)
        self.task.start()

    def _loaded(self, result: tuple[list[LogEntry], list[str]]) -> None:
        entries, problems = result
        self.problems = problems
        self.model.set_entries(entries)
        if problems:
            self.state.setStyleSheet("color: #b3261e; font-weight: bold;")
            shown = "\n".join(problems[:5]) + (f"\n… (+{len(problems) - 5})" if len(problems) > 5 else "")
            self.state.setText(tr("改ざん検知チェーンに問題があります。記録が削除・変更された可能性があります。"
                                  "\n{problems}").format(problems=shown))
        else:
            self.state.setStyleSheet("color: #1e6b34; font-weight: bold;")
            self.state.setText(tr("改ざん検知チェーン: 正常（%n 件の記録がすべてつながっています）", "",
                                  len(entries)))

    def _failed(self, exc: BaseException) -> None:
        from ..errors import explain

        self.problems = [str(exc)]
        explanation = explain(exc)
        self.state.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.state.setText(f"{explanation.title}: {explanation.what}")
