"""「全社一覧」: one row per vendor and 年度, in the checklist workbook's conventions.

The same look as exports/checklist.py (exports/styles.py's named styles, ＭＳ Ｐゴシック,
title block in rows 1-2, a bilingual header in row 3, frozen panes, a filter, A4 landscape
fitted to width, the page header and footer), every status written as its label with the
colour beside it (never colour alone), green only where the contract's reading is
"conforms": a verified submission of an official template whose recomputation has nothing
blocking. Every string is text, never a formula; the link to the stored bundle is a cell
hyperlink (not a HYPERLINK formula).
"""

from __future__ import annotations

import datetime as dt
from copy import copy
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from exports import styles as st
from exports.bundle_report import JST
from exports.checklist_columns import FIRST_DATA_ROW, HEADER_ROW, cell_text
from exports.output import Output, output_stream
from questionnaire.evidence import EXPIRY_WARNING_DAYS

from .db import Register, describe
from .queries import Filters, VendorYear, vendor_years

SHEET = "全社一覧"

READY, READY_UNOFFICIAL, NOT_READY = "提出可", "提出可（非公式テンプレート）", "提出不可"
EXPIRED, EXPIRING, VALID, NO_EXPIRY = "期限切れ", "期限間近", "有効", "期限なし"
REVIEW_LABELS = {"unreviewed": "未着手", "in_progress": "審査中", "reviewed": "審査済"}

# (Japanese header, English header, width)
COLUMNS = (
    ("No.", "No.", 6), ("提出者", "Vendor", 26), ("年度", "Fiscal year", 9), ("提出数", "Bundles", 9),
    ("提出ID", "Submission ID", 34), ("書き出し日時（JST）", "Exported (JST)", 18),
    ("署名鍵ID", "Signer key", 20), ("テンプレート", "Template", 30), ("検証", "Verification", 12),
    ("再計算の結論", "Recomputed", 16), ("適合", "Conforming", 12), ("要改善", "Needs impr.", 12),
    ("不適合", "Non-conf.", 11), ("未回答", "Unanswered", 12), ("審査状況", "Review", 10),
    ("審査済項目", "Reviewed items", 14), ("未解決の指摘", "Open findings", 13),
    ("次の有効期限", "Next expiry", 17), ("期限状態", "Expiry", 10),
    ("期限超過の是正", "Overdue actions", 15),
)


def expiry_label(when: dt.date | None, today: dt.date) -> str:
    if when is None:
        return NO_EXPIRY
    if when < today:
        return EXPIRED
    return EXPIRING if (when - today).days <= EXPIRY_WARNING_DAYS else VALID


def conclusion_label(verified: bool, can_submit: bool, official: bool) -> str:
    if not (verified and can_submit):
        return NOT_READY
    return READY if official else READY_UNOFFICIAL


def write_overview(reg: Register, out: Output, *, filters: Filters = Filters(),  # noqa: B008
                   on: dt.date | None = None) -> int:
    """Write the workbook; returns the number of vendor-year rows."""
    today = on or filters.on or dt.date.today()
    rows = vendor_years(reg, Filters(**{**filters.__dict__, "on": today}))
    store = reg.store
    wb = Workbook()
    arrays = st.register(wb)
    ws = wb.active
    ws.title = SHEET

    def put(r: int, c: int, value, style: str):
        cell = ws.cell(row=r, column=c)
        if isinstance(value, str):
            cell.value = cell_text(value)
            cell.data_type = "s"  # text, whatever it starts with
        else:
            cell.value = value
        cell._style = copy(arrays[style])
        return cell

    made = dt.datetime.now(JST)
    put(1, 1, "全社一覧　Register overview", st.TITLE)
    lines = [f"基準日: {today.isoformat()}　出力: {made:%Y-%m-%d %H:%M} JST　提出者・年度 {len(rows)} 行",
             f"登録簿: {describe(reg.url)}　保管フォルダー: {store.root}"]
    ws.row_dimensions[1].height = 24
    for r, line in enumerate(lines[: HEADER_ROW - 2], 2):  # the title block above the header row
        put(r, 1, line, st.SUBTITLE)
        ws.row_dimensions[r].height = 16
    for c, (ja, en, width) in enumerate(COLUMNS, 1):
        put(HEADER_ROW, c, f"{ja}\n{en}", st.HEADER)
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.row_dimensions[HEADER_ROW].height = 40
    r = FIRST_DATA_ROW
    for n, vy in enumerate(rows, 1):
        _row(put, ws, r, n, vy, today, store.path_of(vy.latest.bundle_sha256))
        r += 1
    last = max(r - 1, FIRST_DATA_ROW)
    if not rows:
        put(r, 1, "該当する提出はありません。 No submissions match.", st.VALUE)
    last_col = get_column_letter(len(COLUMNS))
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=3)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{last}"
    ws.print_area = f"A1:{last_col}{last}"
    _colours(ws, last)
    _print_setup(ws, made)
    wb.properties.title = "全社一覧"
    wb.properties.creator = "CCUS Attest"
    with output_stream(out) as fh:
        wb.save(fh)
    return len(rows)


def _row(put, ws, r: int, n: int, vy: VendorYear, today: dt.date, bundle: Path) -> None:
    s = vy.latest
    exported = s.exported_at.astimezone(JST)
    cells = (
        (n, st.NUMBER), (vy.vendor, st.BODY), (vy.fiscal_year, st.BODY_CENTER), (vy.submissions, st.NUMBER),
        (s.id, st.BODY_SMALL), (f"{exported:%Y-%m-%d %H:%M}", st.BODY_CENTER),
        (s.signer_key_id + (f"（鍵 {vy.key_history} 本目）" if vy.key_history > 1 else ""), st.BODY_SMALL),
        (f"{s.template_id} {s.template_version}" + ("" if s.template_official else "（非公式）"),
         st.BODY_SMALL),
        ("検証済" if s.verified else "検証失敗", st.BODY_CENTER),
        (conclusion_label(s.verified, s.can_submit, s.template_official), st.BODY_CENTER),
        (s.conforming, st.NUMBER), (s.needs_improvement, st.NUMBER), (s.non_conforming, st.NUMBER),
        (s.unanswered, st.NUMBER), (REVIEW_LABELS.get(s.review_state, s.review_state), st.BODY_CENTER),
        (f"{s.reviewed_items} / {s.review_items}", st.BODY_CENTER), (s.open_findings, st.NUMBER),
        (s.next_expiry, st.DATE), (expiry_label(s.next_expiry, today), st.BODY_CENTER),
        (s.overdue_actions, st.NUMBER),
    )
    for c, (value, style) in enumerate(cells, 1):
        put(r, c, value, style)
    link = ws.cell(row=r, column=5)
    link.hyperlink = bundle.as_uri()  # the stored, still encrypted bundle (open it with the identity)
    link.hyperlink.tooltip = "登録簿に保管したバンドル（暗号化されたまま）"


def _colours(ws, last: int) -> None:
    def rng(col: int) -> str:
        letter = get_column_letter(col)
        return f"{letter}{FIRST_DATA_ROW}:{letter}{last}"

    ws.conditional_formatting.add(rng(10), st.equals_rule(READY, st.GOOD))
    ws.conditional_formatting.add(rng(10), st.equals_rule(READY_UNOFFICIAL, st.NEUTRAL))
    ws.conditional_formatting.add(rng(10), st.equals_rule(NOT_READY, st.BAD))
    ws.conditional_formatting.add(rng(9), st.equals_rule("検証失敗", st.BAD))
    ws.conditional_formatting.add(rng(19), st.equals_rule(EXPIRED, st.BAD))
    ws.conditional_formatting.add(rng(19), st.equals_rule(EXPIRING, st.NEUTRAL))
    ws.conditional_formatting.add(rng(19), st.equals_rule(VALID, st.GOOD))
    for col in (13, 14, 17, 20):  # non-conforming, unanswered, open findings, overdue: a number > 0
        ws.conditional_formatting.add(rng(col), st.compare_rule("greaterThan", "0", st.BAD))


def _print_setup(ws, made: dt.datetime) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.oddHeader.left.text = "全社一覧"
    ws.oddHeader.left.size = 8
    ws.oddHeader.right.text = f"出力 {made:%Y-%m-%d %H:%M} JST"
    ws.oddHeader.right.size = 8
    ws.oddFooter.center.text = "&P / &N ページ"
    ws.oddFooter.center.size = 8
