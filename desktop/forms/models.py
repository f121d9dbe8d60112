"""Qt models over the template and the current assessment: sections, evidence, problems."""

from __future__ import annotations

import datetime as dt
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from .. import i18n
from ..i18n import tr

if TYPE_CHECKING:
    from questionnaire import EvidenceInfo, Problem

    from ..session import FormSource

ROLE_ID = Qt.ItemDataRole.UserRole + 1        # section / item / evidence id
ROLE_PROGRESS = Qt.ItemDataRole.UserRole + 2  # 0..1, None while locked
ROLE_COUNTS = Qt.ItemDataRole.UserRole + 3    # (complete, required, blocking)
ROLE_BLOCKING = Qt.ItemDataRole.UserRole + 4  # bool
ROLE_ITEM = Qt.ItemDataRole.UserRole + 5      # item id of an evidence row / problem
ROLE_TALLY = Qt.ItemDataRole.UserRole + 6     # the section's Tally (counts by outcome), None while locked

EXPIRED_BG = QColor("#fde0dc")
EXPIRED_FG = QColor("#9b1c1c")
EXPIRING_BG = QColor("#fff1c2")
EXPIRING_FG = QColor("#7a5200")
UNANSWERED_FG = QColor("#4b3f72")


def expiry_colours(info: EvidenceInfo, on: dt.date) -> tuple[QColor, QColor] | None:
    """(background, text) for an expired / soon-expiring evidence file, else None."""
    from questionnaire import Expiry

    state = info.expiry(on)
    if state is Expiry.EXPIRED:
        return EXPIRED_BG, EXPIRED_FG
    if state is Expiry.EXPIRING:
        return EXPIRING_BG, EXPIRING_FG
    return None


def expiry_icon(info: EvidenceInfo):
    """A standard warning / error icon for soon-expiring / expired evidence (not only colour)."""
    from PySide6.QtWidgets import QApplication, QStyle

    from questionnaire import Expiry

    state = info.expiry(dt.date.today())
    icon = {Expiry.EXPIRED: QStyle.StandardPixmap.SP_MessageBoxCritical,
            Expiry.EXPIRING: QStyle.StandardPixmap.SP_MessageBoxWarning}.get(state)
    return QApplication.style().standardIcon(icon) if icon is not None else None


def expiry_text(info: EvidenceInfo, on: dt.date | None = None) -> str:
    """The expiry date with its state in words: 「2027-03-31」, 「2025-01-31（期限切れ）」,
    「2026-05-01（残り 30 日）」."""
    from questionnaire import Expiry

    if info.expires is None:
        return tr("期限なし")
    on = on or dt.date.today()
    state = info.expiry(on)
    if state is Expiry.EXPIRED:
        return tr("{date}（期限切れ）").format(date=info.expires.isoformat())
    if state is Expiry.EXPIRING:
        return tr("{date}（残り {n} 日）").format(date=info.expires.isoformat(), n=(info.expires - on).days)
    return info.expires.isoformat()


def describe_problem(problem: Problem, template, lang: str, *, with_item: bool = True) -> str:
    """A problem in the UI language (the core words it, kinds and choices as labels)."""
    return problem.message(lang) if with_item else problem.text(lang)


def _invalid(parent: QModelIndex) -> bool:
    return parent.isValid()


class SectionModel(QAbstractListModel):
    """The template's sections with their completion (left-hand list)."""

    def __init__(self, source: FormSource, parent=None) -> None:
        super().__init__(parent)
        self.source = source
        self.sections = source.template.sections
        source.assessment_changed.connect(self.refresh)
        source.locked_changed.connect(self.refresh)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if _invalid(parent) else len(self.sections)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.sections):
            return None
        section = self.sections[index.row()]
        lang = i18n.current()
        if role == Qt.ItemDataRole.DisplayRole:
            return section.title.get(lang)
        if role == Qt.ItemDataRole.AccessibleTextRole:  # what a screen reader says for the row
            return f"{section.id} {section.title.get(lang)}"
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return self.state_text(index.row())
        if role == Qt.ItemDataRole.ToolTipRole:
            # the whole title (the list may cut it), the counts in words, and the description
            lines = [f"{section.id}  {section.title.get(lang)}"]
            progress = self._progress(index.row())
            if progress is not None:
                from ..ui.outcomes import counts_text

                lines.append(tr("必須項目 {done} / {total} 件が完了").format(
                    done=progress.complete, total=progress.required))
                lines.append(counts_text(progress.tally))
            if section.description:
                lines.append(section.description.get(lang))
            return "\n".join(lines)
        if role == ROLE_ID:
            return section.id
        if role in (ROLE_PROGRESS, ROLE_COUNTS, ROLE_TALLY):
            progress = self._progress(index.row())
            if progress is None:
                return None
            if role == ROLE_PROGRESS:
                return progress.ratio
            if role == ROLE_TALLY:
                return progress.tally
            return (progress.complete, progress.required, progress.blocking)
        return None

    def state_text(self, row: int) -> str:
        """A section's counts and state in words (the bar and its colour say it too)."""
        progress = self._progress(row)
        if progress is None:
            return tr("ロック中")
        from ..ui.outcomes import open_text

        # the same words as the section list's status line and the dashboard (one tally)
        return tr("必須 {done} / {total} 件完了").format(
            done=progress.complete, total=progress.required) + "、" + open_text(progress.tally)

    def _progress(self, row: int):
        if self.source.locked:
            return None
        return self.source.assessment().sections[row]

    def row_of(self, section_id: str) -> int:
        return next((i for i, s in enumerate(self.sections) if s.id == section_id), -1)

    def refresh(self) -> None:
        """Repaint the rows whose progress changed (an answer changes one or two sections)."""
        if not self.sections:
            return
        shown = None if self.source.locked else [p.tally for p in self.source.assessment().sections]
        before, self._shown = getattr(self, "_shown", None), shown
        for row in range(len(self.sections)):
            if before is None or shown is None or before[row] != shown[row]:
                self.dataChanged.emit(self.index(row), self.index(row))


class EvidenceColumn(IntEnum):
    TITLE = 0
    KIND = 1
    EXPIRES = 2
    SIZE = 3


class EvidenceModel(QAbstractTableModel):
    """Evidence attached to one item (the evidence panel)."""

    def __init__(self, source: FormSource, parent=None) -> None:
        super().__init__(parent)
        self.source = source
        self.item_id: str | None = None
        self.rows: list[EvidenceInfo] = []
        source.evidence_changed.connect(self._on_evidence_changed)
        source.locked_changed.connect(self._on_locked)

    def set_item(self, item_id: str | None) -> None:
        self.item_id = item_id
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self.rows = (self.source.evidence(self.item_id)
                     if self.item_id and not self.source.locked else [])
        self.endResetModel()

    def _on_locked(self, _locked: bool) -> None:
        self.reload()

    def _on_evidence_changed(self, item_id: str) -> None:
        if item_id == self.item_id:
            self.reload()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if _invalid(parent) else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if _invalid(parent) else len(EvidenceColumn)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            EvidenceColumn.TITLE: tr("名称"),
            EvidenceColumn.KIND: tr("種類"),
            EvidenceColumn.EXPIRES: tr("有効期限"),
            EvidenceColumn.SIZE: tr("サイズ"),
        }.get(EvidenceColumn(section)) if 0 <= section < len(EvidenceColumn) else None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        info = self.rows[index.row()]
        column = EvidenceColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(info, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(info)
        if role == Qt.ItemDataRole.DecorationRole and column is EvidenceColumn.EXPIRES:
            return expiry_icon(info)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            colours = expiry_colours(info, dt.date.today())
            if colours is None:
                return None
            return QBrush(colours[0] if role == Qt.ItemDataRole.BackgroundRole else colours[1])
        if role == ROLE_ID:
            return info.id
        if role == ROLE_ITEM:
            return info.item_id
        if role == Qt.ItemDataRole.TextAlignmentRole and column is EvidenceColumn.SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, info: EvidenceInfo, column: EvidenceColumn) -> str:
        if column is EvidenceColumn.TITLE:
            return info.display_title
        if column is EvidenceColumn.KIND:
            kind = self.source.template.evidence_kind(info.kind)
            return kind.label.get(i18n.current()) if kind else info.kind
        if column is EvidenceColumn.EXPIRES:
            if info.expires is None:
                return tr("期限なし")

            # The state in words as well as by the row's colour and icon (never colour alone).
            return expiry_text(info)
        return human_size(info.size)

    def _tooltip(self, info: EvidenceInfo) -> str:
        from questionnaire import Expiry

        lines = [f"{info.filename} ({human_size(info.size)})"]
        state = info.expiry(dt.date.today()) if info.expires else None
        if state is Expiry.EXPIRED:
            lines.append(tr("有効期限切れ（{date}）").format(date=info.expires.isoformat()))
        elif state is Expiry.EXPIRING:
            left = (info.expires - dt.date.today()).days
            lines.append(tr("まもなく有効期限（{date}、残り %n 日）", "", left).format(
                date=info.expires.isoformat()))
        if info.issuer:
            lines.append(tr("発行者: {v}").format(v=info.issuer))
        if info.number:
            lines.append(tr("番号: {v}").format(v=info.number))
        if info.issued:
            lines.append(tr("発行日: {v}").format(v=info.issued.isoformat()))
        lines.append("SHA-256: " + info.sha256)
        return "\n".join(lines)

    def evidence_at(self, row: int) -> EvidenceInfo | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def severity_label(problem: Problem) -> str:
    """［提出を妨げる］ / ［要改善］ / ［注意］: what a problem means for the submission."""
    from questionnaire import Severity

    return {Severity.BLOCKING: tr("［提出を妨げる］"), Severity.IMPROVEMENT: tr("［要改善］")}.get(
        problem.severity, tr("［注意］"))


def problem_colour(problem: Problem) -> QColor:
    """A problem's text colour, the tone of the outcome it gives its item."""
    from questionnaire import ProblemCode, Severity

    if problem.severity is Severity.BLOCKING:
        return UNANSWERED_FG if problem.code is ProblemCode.UNANSWERED else EXPIRED_FG
    return EXPIRING_FG


class ProblemModel(QAbstractListModel):
    """Blocking problems first, then those needing improvement, then warnings (the dashboard's list)."""

    def __init__(self, source: FormSource, parent=None) -> None:
        super().__init__(parent)
        self.source = source
        self.rows: list[Problem] = []
        source.assessment_changed.connect(self.reload)
        source.locked_changed.connect(self._on_locked)
        self.reload()

    def _on_locked(self, _locked: bool) -> None:
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        if self.source.locked:
            self.rows = []
        else:
            assessment = self.source.assessment()
            self.rows = [*assessment.blockers, *assessment.improvements,
                         *(p for p in assessment.warnings if p.code != "hidden_answered")]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if _invalid(parent) else len(self.rows)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        problem = self.rows[index.row()]
        lang = i18n.current()
        if role == Qt.ItemDataRole.DisplayRole:
            item = self.source.template.item(problem.item_id)
            text = item.text.get(lang)
            short = text if len(text) <= 60 else text[:58] + "…"
            # the severity in words as well as in colour and icon
            return (f"{severity_label(problem)} {describe_problem(problem, self.source.template, lang)}"
                    f"\n    {short}")
        if role == Qt.ItemDataRole.DecorationRole:
            from PySide6.QtWidgets import QApplication, QStyle

            from questionnaire import Severity

            # one icon per severity, so the three levels differ in shape as well as colour
            icon = {Severity.BLOCKING: QStyle.StandardPixmap.SP_MessageBoxCritical,
                    Severity.IMPROVEMENT: QStyle.StandardPixmap.SP_MessageBoxWarning}.get(
                problem.severity, QStyle.StandardPixmap.SP_MessageBoxInformation)
            return QApplication.style().standardIcon(icon)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.source.template.item(problem.item_id).text.get(lang)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(problem_colour(problem))
        if role == ROLE_ITEM:
            return problem.item_id
        if role == ROLE_BLOCKING:
            return problem.blocking
        return None
