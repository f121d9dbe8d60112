"""The 登録簿's table models: vendors (each with its newest submission) and one vendor's
submissions, over rows read from the register (register.queries.SubmissionRow).

Texts are rendered once per load (the filter reads every row at each keystroke); sorting uses
``SORT_ROLE`` (raw values: dates sort as dates, counts as numbers). Every state is written as
its label; the colour beside it (``BackgroundRole``) repeats what the label says, and green is
used only where the contract's reading is "conforms" (the same rule as the 全社一覧 workbook:
register/export_xlsx.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from ..i18n import tr

if TYPE_CHECKING:
    from register.queries import SubmissionRow

SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 1
EXPIRY_WARNING_DAYS = 90   # questionnaire.evidence.EXPIRY_WARNING_DAYS (not imported: keeps start-up light)
# (fill) of the tones, as exports/tones.py
GOOD, WARN, BAD = QColor("#C6EFCE"), QColor("#FFEB9C"), QColor("#FFC7CE")


def jst(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone(dt.timedelta(hours=9))).strftime("%Y-%m-%d %H:%M")


def conclusion(row: SubmissionRow) -> tuple[str, QColor | None]:
    if not (row.verified and row.can_submit):
        return tr("提出不可"), BAD
    if not row.template_official:
        return tr("提出可（非公式テンプレート）"), WARN
    return tr("提出可"), GOOD


def review_text(row: SubmissionRow) -> str:
    label = {"unreviewed": tr("未着手"), "in_progress": tr("審査中"), "reviewed": tr("審査済")}.get(
        row.review_state, row.review_state)
    return f"{label} {row.reviewed_items}/{row.review_items}"


def expiry(row: SubmissionRow, today: dt.date) -> tuple[str, QColor | None]:
    when = row.next_expiry
    if when is None:
        return tr("期限なし"), None
    if when < today:
        return tr("{date}（期限切れ）").format(date=when.isoformat()), BAD
    if (when - today).days <= EXPIRY_WARNING_DAYS:
        return tr("{date}（期限間近）").format(date=when.isoformat()), WARN
    return when.isoformat(), None


@dataclass(frozen=True)
class VendorRow:
    vendor: str
    key: str                   # the folded name the text filter compares (folded once per load)
    latest: SubmissionRow
    submissions: tuple[SubmissionRow, ...]
    years: frozenset[int]
    overdue: int


def vendor_rows(rows: list[SubmissionRow]) -> list[VendorRow]:
    from exports.bundle_pins import fold

    by_vendor: dict[str, list[SubmissionRow]] = {}
    for r in rows:
        by_vendor.setdefault(r.vendor, []).append(r)
    return [VendorRow(v, fold(v), max(subs, key=lambda s: s.exported_at), tuple(subs),
                      frozenset(s.fiscal_year for s in subs), sum(s.overdue_actions for s in subs))
            for v, subs in by_vendor.items()]


class VendorColumn(IntEnum):
    VENDOR = 0
    YEAR = 1
    COUNT = 2
    CONCLUSION = 3
    REVIEW = 4
    FINDINGS = 5
    EXPIRY = 6
    OVERDUE = 7


class SubmissionColumn(IntEnum):
    YEAR = 0
    ID = 1
    EXPORTED = 2
    KEY = 3
    TEMPLATE = 4
    CONCLUSION = 5
    REVIEW = 6
    FINDINGS = 7
    EXPIRY = 8


class _Table(QAbstractTableModel):
    columns: type[IntEnum]

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.today = dt.date.today()
        self._cells: list[tuple[tuple[str, Any, QColor | None], ...]] = []
        # Asked for hundreds of times per relayout: translated once (a language switch rebuilds
        # the window and its models).
        self._header_texts = self._headers()
        self._n_columns = len(self.columns)

    def _headers(self) -> dict[int, str]:
        raise NotImplementedError

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._cells)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._n_columns

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._header_texts.get(section)
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._cells):
            return None
        text, key, colour = self._cells[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return text
        if role == SORT_ROLE:
            return key
        if role == Qt.ItemDataRole.BackgroundRole and colour is not None:
            return colour
        if role == Qt.ItemDataRole.ForegroundRole and colour is not None:
            return QColor("#000000")  # dark text on the light tone, in dark themes too
        return None


class VendorModel(_Table):
    """One row per vendor: its newest submission and what is open across its submissions."""

    columns = VendorColumn

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[VendorRow] = []

    def _headers(self) -> dict[int, str]:
        return {VendorColumn.VENDOR: tr("提出者"), VendorColumn.YEAR: tr("最新年度"),
                VendorColumn.COUNT: tr("提出数"), VendorColumn.CONCLUSION: tr("再計算の結論"),
                VendorColumn.REVIEW: tr("審査状況"), VendorColumn.FINDINGS: tr("未解決の指摘"),
                VendorColumn.EXPIRY: tr("次の有効期限"), VendorColumn.OVERDUE: tr("期限超過の是正")}

    def set_rows(self, rows: list[SubmissionRow], today: dt.date | None = None) -> None:
        self.beginResetModel()
        self.today = today or dt.date.today()
        self.rows = vendor_rows(rows)
        self._cells = [self._render(v) for v in self.rows]
        self.endResetModel()

    def _render(self, v: VendorRow):
        s = v.latest
        concl, concl_colour = conclusion(s)
        exp, exp_colour = expiry(s, self.today)
        return ((v.vendor, v.vendor, None), (str(s.fiscal_year), s.fiscal_year, None),
                (str(len(v.submissions)), len(v.submissions), None), (concl, concl, concl_colour),
                (review_text(s), (s.review_state, s.reviewed_items), None),
                (str(s.open_findings), s.open_findings, BAD if s.open_findings else None),
                (exp, s.next_expiry or dt.date.max, exp_colour),
                (str(v.overdue), v.overdue, BAD if v.overdue else None))


class SubmissionModel(_Table):
    """One vendor's submissions, newest first."""

    columns = SubmissionColumn

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[SubmissionRow] = []

    def _headers(self) -> dict[int, str]:
        return {SubmissionColumn.YEAR: tr("年度"), SubmissionColumn.ID: tr("提出ID"),
                SubmissionColumn.EXPORTED: tr("書き出し日時（JST）"), SubmissionColumn.KEY: tr("署名鍵ID"),
                SubmissionColumn.TEMPLATE: tr("テンプレート"),
                SubmissionColumn.CONCLUSION: tr("再計算の結論"),
                SubmissionColumn.REVIEW: tr("審査状況"), SubmissionColumn.FINDINGS: tr("未解決の指摘"),
                SubmissionColumn.EXPIRY: tr("次の有効期限")}

    def set_rows(self, rows: tuple[SubmissionRow, ...] | list[SubmissionRow],
                 today: dt.date | None = None) -> None:
        self.beginResetModel()
        self.today = today or dt.date.today()
        self.rows = sorted(rows, key=lambda r: r.exported_at, reverse=True)
        self._cells = [self._render(r) for r in self.rows]
        self.endResetModel()

    def _render(self, s: SubmissionRow):
        concl, concl_colour = conclusion(s)
        exp, exp_colour = expiry(s, self.today)
        template = f"{s.template_id} {s.template_version}" + ("" if s.template_official else tr("（非公式）"))
        return ((str(s.fiscal_year), s.fiscal_year, None), (s.id, s.id, None),
                (jst(s.exported_at), s.exported_at, None), (s.signer_key_id, s.signer_key_id, None),
                (template, template, None if s.template_official else WARN), (concl, concl, concl_colour),
                (review_text(s), (s.review_state, s.reviewed_items), None),
                (str(s.open_findings), s.open_findings, BAD if s.open_findings else None),
                (exp, s.next_expiry or dt.date.max, exp_colour))


class VendorFilter(QSortFilterProxyModel):
    """The 登録簿's filters over vendors: name text, 年度, review state, expiring, overdue."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.text = ""
        self.year: int | None = None
        self.state: str | None = None
        self.expiring = False
        self.overdue = False
        self.setSortRole(SORT_ROLE)

    def set_filters(self, *, text: str | None = None, year: int | bool | None = False,
                    state: str | bool | None = False, expiring: bool | None = None,
                    overdue: bool | None = None) -> None:
        """Change any of the filters (False / None: leave as is) and filter once."""
        from exports.bundle_pins import fold

        # beginFilterChange()/endFilterChange() since Qt 6.10 (invalidateFilter is deprecated);
        # the app supports PySide6 from 6.6 (pyproject), so either.
        begin = getattr(self, "beginFilterChange", None)
        if begin is not None:
            begin()
        if text is not None:
            self.text = fold(text)
        if year is not False:
            self.year = year  # type: ignore[assignment]
        if state is not False:
            self.state = state  # type: ignore[assignment]
        if expiring is not None:
            self.expiring = expiring
        if overdue is not None:
            self.overdue = overdue
        if begin is not None:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        model: VendorModel = self.sourceModel()  # type: ignore[assignment]
        v = model.rows[source_row]
        s = v.latest
        if self.text and self.text not in v.key:
            return False
        if self.year is not None and self.year not in v.years:
            return False
        if self.state is not None and s.review_state != self.state:
            return False
        if self.expiring and (s.next_expiry is None
                              or (s.next_expiry - model.today).days > EXPIRY_WARNING_DAYS):
            return False
        return not (self.overdue and not v.overdue)
