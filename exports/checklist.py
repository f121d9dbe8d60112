"""The Excel checklist: 「チェックリスト」, 「サマリー」 and 「証跡一覧」, plus a very hidden
sheet binding the workbook to its submission so a reviewed copy can be imported back.

Vendor cells are protected (sheet protection without a password: it guides, it does
not lock); the reviewer columns are unlocked, yellow and validated. Every string is
written as text, never as a formula, whatever it starts with.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Mapping
from copy import copy

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import Outline, PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from questionnaire.completeness import OUTCOME_ORDER, Assessment
from questionnaire.evidence import Expiry
from questionnaire.review import VERDICT_LABELS, Finding, Verdict
from questionnaire.submission import Submission

from . import styles as st
from .checklist_columns import (
    CHECKLIST_FORMAT,
    COLUMNS,
    FIRST_DATA_ROW,
    HEADER_ROW,
    SECTION_KEY_PREFIX,
    SHEET_ACTIONS,
    SHEET_BINDING,
    SHEET_CHECKLIST,
    SHEET_EVIDENCE,
    SHEET_SUMMARY,
    VENDOR_COLUMNS,
    Role,
    cell_text,
    cells_fingerprint,
    vendor_cells,
)
from .output import Output, output_stream
from .rows import (
    EXPIRY_LABELS,
    SectionRows,
    build_rows,
    display_width,
    kind_label,
    problem_text,
    ready_text,
)
from .tones import TONE_HEX

BINDING_PROPERTY_PREFIX = "ccus-attest."
EARLIEST_REVIEW_DATE = dt.date(2000, 1, 1)
LATEST_REVIEW_DATE = dt.date(2100, 12, 31)
MAX_FINDING_CHARS = 4000


def _now() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")


def write_checklist(sub: Submission, out: Output, *, on: dt.date | None = None,
                    reviews: Mapping[str, Finding] | None = None) -> None:
    """Write the checklist workbook for ``sub`` to ``out`` (a path or a binary file object).

    ``on`` is the date statuses and expiry are judged on (default today); ``reviews``
    pre-fills the reviewer columns (item ID → Finding).
    """
    on = on or dt.date.today()
    made_at = _now()
    assessment = sub.assess(on)
    sections = build_rows(sub, assessment)
    binding = binding_values(sub, on, made_at)

    wb = Workbook()
    _STYLE_ARRAYS[wb] = st.register(wb)
    _checklist_sheet(wb.active, sub, sections, on, reviews or {}, binding)
    _summary_sheet(wb.create_sheet(SHEET_SUMMARY), sub, assessment, sections, binding)
    _evidence_sheet(wb.create_sheet(SHEET_EVIDENCE), sub, on)
    if sub.corrective_actions:
        _actions_sheet(wb.create_sheet(SHEET_ACTIONS), sub, on)
    _binding_sheet(wb.create_sheet(SHEET_BINDING), binding)
    _properties(wb, sub, binding)
    wb.active = 0
    with output_stream(out) as fh:
        wb.save(fh)


def binding_values(sub: Submission, on: dt.date, made_at: str) -> dict[str, str]:
    """What ties a workbook to its submission; read back by exports.review."""
    return {
        "format": CHECKLIST_FORMAT,
        "submission_id": sub.submission_id,
        "template_id": sub.template.id,
        "template_version": sub.template.version,
        "template_sha256": sub.template.digest,
        "vendor": sub.vendor,
        "origin": sub.origin,
        "signer_key_id": sub.signer_key_id or "",
        "submission_created_at": sub.created_at,
        "made_at": made_at,
        "on": on.isoformat(),
        "items": str(len(sub.template.items)),
    }


# --- writing helpers ----------------------------------------------------------------------


_STYLE_ARRAYS: weakref.WeakKeyDictionary[Workbook, dict] = weakref.WeakKeyDictionary()


def _style(cell, style: str) -> None:
    # the same as ``cell.style = style`` (see styles.register), without the search by name
    cell._style = copy(_STYLE_ARRAYS[cell.parent.parent][style])


def _put(ws: Worksheet, row: int, col: int, value, style: str):
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = cell_text(value)
        # openpyxl turns any string starting with "=" into a formula; a vendor's note must
        # stay text in the auditor's Excel.
        cell.data_type = "s"
    else:
        cell.value = value
    _style(cell, style)
    return cell


def _fit(texts, minimum: float, maximum: float) -> float:
    """A column width that fits the longest line, East Asian characters counted double."""
    longest = max((display_width(line) for t in texts if t for line in str(t).split("\n")), default=0)
    return max(minimum, min(maximum, longest + 2))


def _print_setup(ws: Worksheet, title_rows: str | None, *, header_left: str, header_right: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if title_rows:
        ws.print_title_rows = title_rows
    # "&" starts a code in Excel headers (&P, &B...): a vendor "A&B" must be written "A&&B"
    ws.oddHeader.left.text = cell_text(header_left).replace("&", "&&")
    ws.oddHeader.left.size = 8
    ws.oddHeader.right.text = cell_text(header_right).replace("&", "&&")
    ws.oddHeader.right.size = 8
    ws.oddFooter.center.text = "&P / &N ページ"
    ws.oddFooter.center.size = 8


def _protect(ws: Worksheet) -> None:
    # No password: protection tells a reviewer which cells are theirs without locking
    # anyone out. Filtering, sorting and resizing stay allowed.
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    ws.protection.sort = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _title_block(ws: Worksheet, title: str, subtitle: str) -> None:
    _put(ws, 1, 1, title, st.TITLE)
    _put(ws, 2, 1, subtitle, st.SUBTITLE)
    ws.row_dimensions[1].height = 24
    ws.row_dimensions[2].height = 16


def _subtitle(sub: Submission, binding: Mapping[str, str]) -> str:
    parts = [f"提出者: {sub.vendor or '（未設定）'}",
             f"テンプレート: {sub.template.id} {sub.template.version}",
             f"提出ID: {sub.submission_id}", f"基準日: {binding['on']}",
             f"出力: {binding['made_at']}"]
    if sub.signer_key_id:
        parts.append(f"署名鍵ID: {sub.signer_key_id}")
    return "　".join(parts)


# --- 「チェックリスト」 ----------------------------------------------------------------------


def _checklist_sheet(ws: Worksheet, sub: Submission, sections: list[SectionRows], on: dt.date,
                     reviews: Mapping[str, Finding], binding: Mapping[str, str]) -> None:
    ws.title = SHEET_CHECKLIST
    _title_block(ws, f"{sub.template.title.ja}　チェックリスト", _subtitle(sub, binding))
    for i, col in enumerate(COLUMNS, 1):
        _put(ws, HEADER_ROW, i, col.header,
             st.HEADER_REVIEW if col.role is Role.REVIEWER else st.HEADER)
    ws.row_dimensions[HEADER_ROW].height = 32

    vendor_styles = {"item_id": st.BODY, "question_en": st.BODY_EN, "sha256": st.BODY_SMALL,
                     "expiry": st.BODY_SMALL, "source": st.BODY_SMALL, "answer": st.BODY,
                     "section": st.BODY_SMALL}
    n_vendor = len(VENDOR_COLUMNS)
    index = {c.key: i for i, c in enumerate(COLUMNS, 1)}
    seen_text: dict[str, list[str]] = {c.key: [] for c in VENDOR_COLUMNS}
    row_cells: list[tuple[int, tuple[str, ...], Finding | None]] = []
    r = FIRST_DATA_ROW
    for block in sections:
        section = block.section
        _put(ws, r, 1, f"{section.id}　{section.title.ja}　/　{section.title.en}", st.SECTION)
        for c in range(2, len(COLUMNS) - 2):
            _style(ws.cell(row=r, column=c), st.SECTION)
        _put(ws, r, index["_key"], SECTION_KEY_PREFIX + section.id, st.HIDDEN)
        ws.row_dimensions[r].height = 20
        r += 1
        for row in block.rows:
            cells = vendor_cells(row, on)
            for i, (col, text) in enumerate(zip(VENDOR_COLUMNS, cells, strict=True), 1):
                _put(ws, r, i, text or None, vendor_styles.get(col.key, st.BODY))
                if col.key in ("answer", "evidence", "sha256", "expiry", "status", "note"):
                    seen_text[col.key].append(text)
            finding = reviews.get(row.item.id)
            _put(ws, r, n_vendor + 1, finding.verdict.label.ja if finding and finding.verdict else None,
                 st.REVIEW)
            _put(ws, r, n_vendor + 2, finding.comment if finding and finding.comment else None, st.REVIEW)
            _put(ws, r, n_vendor + 3, finding.reviewer if finding and finding.reviewer else None, st.REVIEW)
            _put(ws, r, n_vendor + 4, finding.reviewed_on if finding else None, st.REVIEW_DATE)
            _put(ws, r, index["_key"], row.item.id, st.HIDDEN)
            _put(ws, r, index["_content"], row.fingerprint, st.HIDDEN)
            _put(ws, r, index["_cells"], cells_fingerprint(cells), st.HIDDEN)
            ws.row_dimensions[r].outline_level = 1
            row_cells.append((r, cells, finding))
            r += 1
    last = r - 1

    # Widths: designed for Japanese text, narrowed where the content is short.
    widths: dict[str, float] = {}
    for i, col in enumerate(COLUMNS, 1):
        letter = get_column_letter(i)
        width = col.width
        if col.key in ("answer", "evidence", "sha256", "expiry", "status"):
            width = _fit(seen_text[col.key] + [col.ja], 8, col.width)
        widths[col.key] = width
        ws.column_dimensions[letter].width = width
        if col.role is Role.HIDDEN:
            ws.column_dimensions[letter].hidden = True
    # Explicit heights: neither Excel nor LibreOffice reliably re-fits wrapped rows on open.
    sizes = {c.key: st.SIZE_SMALL if vendor_styles.get(c.key) in (st.BODY_EN, st.BODY_SMALL)
             else st.SIZE_BODY for c in VENDOR_COLUMNS}
    for r, cells, finding in row_cells:
        parts = [(text, widths[c.key], sizes[c.key]) for c, text in zip(VENDOR_COLUMNS, cells, strict=True)]
        if finding and finding.comment:
            parts.append((finding.comment, widths["finding"], st.SIZE_BODY))
        ws.row_dimensions[r].height = st.row_height(parts)

    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=2)
    last_visible = get_column_letter(len(VENDOR_COLUMNS) + 4)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_visible}{last}"
    ws.print_area = f"A1:{last_visible}{last}"
    ws.sheet_properties.outlinePr = Outline(summaryBelow=False, summaryRight=False)
    _reviewer_validation(ws, n_vendor, last)
    _status_colours(ws, index, last)
    _print_setup(ws, f"{HEADER_ROW}:{HEADER_ROW}", header_left=sub.vendor,
                 header_right=f"チェックリスト　{sub.template.id} {sub.template.version}")
    _protect(ws)


def _reviewer_validation(ws: Worksheet, n_vendor: int, last: int) -> None:
    first = FIRST_DATA_ROW
    verdict_col = get_column_letter(n_vendor + 1)
    finding_col = get_column_letter(n_vendor + 2)
    date_col = get_column_letter(n_vendor + 4)
    labels = ",".join(VERDICT_LABELS[v].ja for v in Verdict)
    verdict = DataValidation(
        type="list", formula1=f'"{labels}"', allow_blank=True, showDropDown=False,
        showErrorMessage=True, errorStyle="stop", errorTitle="判定 / Verdict",
        error=f"{labels.replace(',', '・')} から選んでください。 Choose one of the listed verdicts.",
        showInputMessage=True, promptTitle="判定 / Verdict",
        prompt="一覧から選んでください（空欄可）。 Choose from the list (may stay empty).")
    verdict.add(f"{verdict_col}{first}:{verdict_col}{last}")
    date = DataValidation(
        type="date", operator="between", formula1=str(_serial(EARLIEST_REVIEW_DATE)),
        formula2=str(_serial(LATEST_REVIEW_DATE)), allow_blank=True, showErrorMessage=True,
        errorTitle="確認日 / Date", error="日付を入力してください（例: 2026/04/01）。 Enter a date.",
        showInputMessage=True, promptTitle="確認日 / Date", prompt="例 / e.g. 2026/04/01")
    date.add(f"{date_col}{first}:{date_col}{last}")
    length = DataValidation(
        type="textLength", operator="lessThanOrEqual", formula1=str(MAX_FINDING_CHARS),
        allow_blank=True, showErrorMessage=True, errorTitle="指摘事項 / Findings",
        error=f"{MAX_FINDING_CHARS}文字以内で入力してください。 At most {MAX_FINDING_CHARS} characters.")
    length.add(f"{finding_col}{first}:{finding_col}{last}")
    for dv in (verdict, date, length):
        ws.add_data_validation(dv)


def _serial(day: dt.date) -> int:
    return (day - dt.date(1899, 12, 30)).days


def _status_colours(ws: Worksheet, index: Mapping[str, int], last: int) -> None:
    first = FIRST_DATA_ROW
    status = get_column_letter(index["status"])
    cf = ws.conditional_formatting
    status_range = f"{status}{first}:{status}{last}"
    for outcome in OUTCOME_ORDER:
        cf.add(status_range, st.starts_with_rule(f"{status}{first}", outcome.label.ja,
                                                 TONE_HEX[outcome.tone]))
    verdict = get_column_letter(index["verdict"])
    verdict_range = f"{verdict}{first}:{verdict}{last}"
    for v, colors in ((Verdict.CONFORMS, st.GOOD), (Verdict.NONCONFORMING, st.BAD),
                      (Verdict.NEEDS_CHECK, st.NEUTRAL), (Verdict.NOT_APPLICABLE, st.GREY)):
        cf.add(verdict_range, st.equals_rule(VERDICT_LABELS[v].ja, colors))
    # the answer cell is not coloured by its value: whether いいえ fails a binding rule or
    # only needs improvement is the status column's to say
    expiry = get_column_letter(index["expiry"])
    cf.add(f"{expiry}{first}:{expiry}{last}", st.contains_rule(f"{expiry}{first}", "期限切れ", st.BAD))


# --- 「サマリー」 ------------------------------------------------------------------------------


def _summary_sheet(ws: Worksheet, sub: Submission, a: Assessment, sections: list[SectionRows],
                   binding: Mapping[str, str]) -> None:
    _title_block(ws, "サマリー　Summary", _subtitle(sub, binding))
    t = sub.template
    blockers = a.blockers
    verdict = ready_text(a, "下の一覧")
    signer = sub.signer_key_id or "—（ワークスペースから作成：署名前）"
    origin = "署名付き提出バンドル" if sub.origin == "bundle" else "ワークスペース（提出前の下書き）"
    info = [
        ("提出者 Vendor", sub.vendor or "（未設定）"),
        ("調査票 Survey", t.title.ja),
        ("テンプレート Template", f"{t.id}　版 {t.version}"),
        ("テンプレートSHA-256", t.digest),
        ("提出ID Submission ID", sub.submission_id),
        ("作成元 Origin", origin),
        ("署名鍵ID Signer key", signer),
        ("提出データ作成 Created", sub.created_at),
        ("出力日時 Exported", binding["made_at"]),
        ("基準日 Assessed on", binding["on"]),
    ]
    r = 4
    _put(ws, r, 1, "基本情報　General", st.SECTION)
    for c in range(2, 9):
        _style(ws.cell(row=r, column=c), st.SECTION)
    r += 1
    for label, value in info:
        _put(ws, r, 1, label, st.LABEL)
        _put(ws, r, 2, value, st.VALUE)
        ws.row_dimensions[r].height = st.row_height([(value, SUMMARY_MERGED_WIDTH, st.SIZE_BODY)])
        for c in range(3, 9):
            _style(ws.cell(row=r, column=c), st.VALUE)
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=8)
        r += 1
    _put(ws, r, 1, "完了率 Completion", st.LABEL)
    _put(ws, r, 2, a.ratio, st.PERCENT)
    _put(ws, r, 3, f"必須 {a.required} 項目中 {a.complete} 項目が完了", st.VALUE)
    for c in range(4, 9):
        _style(ws.cell(row=r, column=c), st.VALUE)
    ws.merge_cells(start_row=r, start_column=3, end_row=r, end_column=8)
    r += 1
    _put(ws, r, 1, "提出可否 Ready", st.LABEL)
    _put(ws, r, 2, verdict, st.VALUE)
    for c in range(3, 9):
        _style(ws.cell(row=r, column=c), st.VALUE)
    ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=8)
    ws.conditional_formatting.add(f"B{r}", st.starts_with_rule(f"B{r}", "提出可", st.GOOD))
    ws.conditional_formatting.add(f"B{r}", st.starts_with_rule(f"B{r}", "提出不可", st.BAD))
    r += 2

    # completion per section
    headers = ["区分ID\nSection", "区分\nTitle", "表示項目\nShown", "必須\nRequired", "完了\nComplete",
               "回答済\nAnswered", "要対応\nBlocking", "完了率\nCompletion"]
    _put(ws, r, 1, "区分別の完了状況　Completion by section", st.SECTION)
    for c in range(2, 9):
        _style(ws.cell(row=r, column=c), st.SECTION)
    r += 1
    for c, h in enumerate(headers, 1):
        _put(ws, r, c, h, st.HEADER)
    ws.row_dimensions[r].height = 30
    r += 1
    first_section_row = r
    for block in sections:
        p = block.progress
        for c, (value, style) in enumerate((
            (p.section_id, st.BODY), (block.section.title.ja, st.BODY), (p.visible, st.NUMBER),
            (p.required, st.NUMBER), (p.complete, st.NUMBER), (p.answered, st.NUMBER),
            (p.blocking, st.NUMBER), (p.ratio, st.PERCENT),
        ), 1):
            _put(ws, r, c, value, style)
        r += 1
    totals = (("合計 Total", st.LABEL), ("", st.LABEL),
              (sum(b.progress.visible for b in sections), st.NUMBER), (a.required, st.NUMBER),
              (a.complete, st.NUMBER), (sum(b.progress.answered for b in sections), st.NUMBER),
              (a.total.blocking, st.NUMBER), (a.ratio, st.PERCENT))
    for c, (value, style) in enumerate(totals, 1):
        _put(ws, r, c, value, style)
    ratio_range = f"H{first_section_row}:H{r}"
    ws.conditional_formatting.add(ratio_range, st.compare_rule("greaterThanOrEqual", "1", st.GOOD))
    ws.conditional_formatting.add(ratio_range, st.compare_rule("lessThan", "1", st.NEUTRAL))
    r += 2

    # counts by answer and by state
    _put(ws, r, 1, "回答・状態の内訳　Counts by answer and state", st.SECTION)
    for c in range(2, 9):
        _style(ws.cell(row=r, column=c), st.SECTION)
    r += 1
    counts = a.status_counts()
    status_labels = [("yes", "はい"), ("partial", "一部"), ("no", "いいえ"), ("na", "該当なし"),
                     ("", "未回答")]
    for c, (_, label) in enumerate(status_labels, 1):
        _put(ws, r, c + 1, label, st.HEADER)
    _put(ws, r, 1, "はい／いいえ形式の回答", st.LABEL)
    r += 1
    _put(ws, r, 1, "件数 Items", st.LABEL)
    for c, (code, _) in enumerate(status_labels, 1):
        _put(ws, r, c + 1, counts.get(code, 0), st.NUMBER)
    r += 1
    _put(ws, r, 1, "項目の状態", st.LABEL)
    for c, outcome in enumerate(OUTCOME_ORDER, 1):
        _put(ws, r, c + 1, outcome.label.ja, st.HEADER)
    r += 1
    _put(ws, r, 1, "件数 Items", st.LABEL)
    for c, outcome in enumerate(OUTCOME_ORDER, 1):
        _put(ws, r, c + 1, a.count(outcome), st.NUMBER)
    r += 2

    # evidence that has expired or expires soon
    _put(ws, r, 1, "期限切れ・期限間近の証跡　Expired and soon-expiring evidence", st.SECTION)
    for c in range(2, 9):
        _style(ws.cell(row=r, column=c), st.SECTION)
    r += 1
    for c, h in enumerate(["項目ID\nItem", "ファイル名\nFile", "種類\nKind", "有効期限\nExpires",
                           "状態\nState", "残日数\nDays left"], 1):
        _put(ws, r, c, h, st.HEADER)
    ws.row_dimensions[r].height = 30
    r += 1
    on = a.on
    flagged = [e for e in sub.evidence if e.expiry(on) in (Expiry.EXPIRED, Expiry.EXPIRING)]
    for e in sorted(flagged, key=lambda e: (e.expires, e.item_id)):
        state = e.expiry(on)
        for c, (value, style) in enumerate((
            (e.item_id, st.BODY), (e.filename, st.BODY), (kind_label(t, e.kind), st.BODY),
            (e.expires, st.DATE), (EXPIRY_LABELS[state].ja, st.BODY_CENTER),
            ((e.expires - on).days, st.NUMBER),
        ), 1):
            _put(ws, r, c, value, style)
        r += 1
    if not flagged:
        _put(ws, r, 1, "該当なし（期限切れ・90日以内に期限を迎える証跡はありません）", st.VALUE)
        r += 1
    r += 1

    # blocking problems
    _put(ws, r, 1, "提出を妨げる問題　Blocking problems", st.SECTION)
    for c in range(2, 9):
        _style(ws.cell(row=r, column=c), st.SECTION)
    r += 1
    _put(ws, r, 1, "項目ID\nItem", st.HEADER)
    _put(ws, r, 2, "内容\nProblem", st.HEADER)
    ws.row_dimensions[r].height = 30
    r += 1
    for p in blockers:
        _put(ws, r, 1, p.item_id, st.BODY)
        text = problem_text(p, "ja")
        _put(ws, r, 2, text, st.BODY)
        for c in range(3, 9):
            _style(ws.cell(row=r, column=c), st.BODY)
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=8)
        ws.row_dimensions[r].height = st.row_height([(text, SUMMARY_MERGED_WIDTH, st.SIZE_BODY)])
        r += 1
    if not blockers:
        _put(ws, r, 1, "ありません", st.VALUE)
        r += 1

    for letter, width in zip("ABCDEFGH", SUMMARY_WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    ws.print_area = f"A1:H{r}"
    _print_setup(ws, None, header_left=sub.vendor,
                 header_right=f"サマリー　{sub.template.id} {sub.template.version}")
    _protect(ws)


SUMMARY_WIDTHS = (24, 30, 16, 12, 12, 12, 12, 12)
SUMMARY_MERGED_WIDTH = sum(SUMMARY_WIDTHS[1:])


# --- 「証跡一覧」 ------------------------------------------------------------------------------

_EVIDENCE_COLUMNS = (
    ("No.", "No.", 6), ("項目ID", "Item", 10), ("種類", "Kind", 14), ("ファイル名", "File name", 30),
    ("表題", "Title", 26), ("発行者", "Issuer", 18), ("番号", "Number", 14), ("発行日", "Issued", 12),
    ("有効期限", "Expires", 12), ("期限状態", "Expiry", 10), ("サイズ（バイト）", "Size (bytes)", 13),
    ("SHA-256", "SHA-256", 36), ("格納場所", "Path in bundle", 32),
)


def _evidence_sheet(ws: Worksheet, sub: Submission, on: dt.date) -> None:
    _title_block(ws, "証跡一覧　Evidence files",
                 f"提出者: {sub.vendor or '（未設定）'}　提出ID: {sub.submission_id}　"
                 f"基準日: {on.isoformat()}　証跡 {len(sub.evidence)} 件")
    for c, (ja, en, _) in enumerate(_EVIDENCE_COLUMNS, 1):
        _put(ws, HEADER_ROW, c, f"{ja}\n{en}", st.HEADER)
    ws.row_dimensions[HEADER_ROW].height = 32
    r = FIRST_DATA_ROW
    names, titles, paths = [], [], []
    heights: list[tuple[int, object, str]] = []
    for n, e in enumerate(sub.evidence, 1):
        path = sub.evidence_path(e)
        values = (
            (n, st.NUMBER), (e.item_id, st.BODY), (kind_label(sub.template, e.kind), st.BODY),
            (e.filename, st.BODY), (e.title or None, st.BODY), (e.issuer or None, st.BODY),
            (e.number or None, st.BODY), (e.issued, st.DATE), (e.expires, st.DATE),
            (EXPIRY_LABELS[e.expiry(on)].ja, st.BODY_CENTER), (e.size, st.NUMBER),
            (e.sha256, st.BODY_SMALL), (path, st.BODY_SMALL),
        )
        for c, (value, style) in enumerate(values, 1):
            _put(ws, r, c, value, style)
        names.append(e.filename)
        titles.append(e.title)
        paths.append(path)
        heights.append((r, e, path))
        r += 1
    if not sub.evidence:
        _put(ws, r, 1, "証跡は添付されていません。 No evidence files are attached.", st.VALUE)
        r += 1
    last = max(r - 1, FIRST_DATA_ROW)
    for c, (_, _, width) in enumerate(_EVIDENCE_COLUMNS, 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.column_dimensions["D"].width = _fit([*names, "ファイル名"], 16, 36)
    ws.column_dimensions["E"].width = _fit([*titles, "表題"], 10, 30)
    ws.column_dimensions["M"].width = _fit([*paths, "格納場所"], 16, 36)
    widths = {c: ws.column_dimensions[c].width for c in "DEFGLM"}
    for r, e, path in heights:
        ws.row_dimensions[r].height = st.row_height([
            (e.filename, widths["D"], st.SIZE_BODY), (e.title, widths["E"], st.SIZE_BODY),
            (e.issuer, widths["F"], st.SIZE_BODY), (e.number, widths["G"], st.SIZE_BODY),
            (e.sha256, widths["L"], st.SIZE_SMALL), (path, widths["M"], st.SIZE_SMALL)])
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=1)
    last_col = get_column_letter(len(_EVIDENCE_COLUMNS))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{last}"
    ws.print_area = f"A1:{last_col}{last}"
    state_range = f"J{FIRST_DATA_ROW}:J{last}"
    ws.conditional_formatting.add(state_range, st.equals_rule(EXPIRY_LABELS[Expiry.EXPIRED].ja, st.BAD))
    ws.conditional_formatting.add(state_range, st.equals_rule(EXPIRY_LABELS[Expiry.EXPIRING].ja, st.NEUTRAL))
    ws.conditional_formatting.add(state_range, st.equals_rule(EXPIRY_LABELS[Expiry.VALID].ja, st.GOOD))
    _print_setup(ws, f"{HEADER_ROW}:{HEADER_ROW}", header_left=sub.vendor,
                 header_right=f"証跡一覧　{sub.template.id} {sub.template.version}")
    _protect(ws)


# --- 「是正処置」 -------------------------------------------------------------------------------

_ACTION_COLUMNS = (
    ("処置ID", "Action", 9), ("項目ID", "Item", 10), ("判定", "Verdict", 9), ("区分", "Grade", 14),
    ("指摘内容", "Finding", 36), ("原因", "Root cause", 28), ("処置内容", "Action taken / planned", 32),
    ("担当", "Owner", 12), ("期日", "Due", 12), ("状態", "Status", 10), ("期限", "Overdue", 10),
    ("完了日", "Closed", 12), ("検証日", "Verified", 12), ("是正の証跡", "Evidence of correction", 30),
)
OVERDUE_TEXT = "期限切れ"


def _actions_sheet(ws: Worksheet, sub: Submission, on: dt.date) -> None:
    """One row per corrective action, overdue first; 期限切れ is computed here on ``on`` (the
    document never carries it), said in words and coloured."""
    from questionnaire.corrective import VERDICT_TEXT, grade_label, sort_by_due, tally

    counts = tally(sub.corrective_actions, on)
    _title_block(ws, "是正処置　Corrective actions",
                 f"提出者: {sub.vendor or '（未設定）'}　提出ID: {sub.submission_id}　"
                 f"基準日: {on.isoformat()}　"
                 f"{counts.total} 件（未完了 {counts.open} 件、期限切れ {counts.overdue} 件）")
    for c, (ja, en, _) in enumerate(_ACTION_COLUMNS, 1):
        _put(ws, HEADER_ROW, c, f"{ja}\n{en}", st.HEADER)
    ws.row_dimensions[HEADER_ROW].height = 32
    files = {e.id: e.filename for e in sub.evidence}
    widths = [w for _, _, w in _ACTION_COLUMNS]
    r = FIRST_DATA_ROW
    for a in sort_by_due(sub.corrective_actions, on):
        proof = "\n".join(files.get(e, e) for e in a.evidence_ids)
        values = (
            (a.id, st.BODY), (a.item_id, st.BODY), (VERDICT_TEXT[a.verdict].ja, st.BODY_CENTER),
            (grade_label(sub.template, a.grade).ja, st.BODY), (a.finding or None, st.BODY),
            (a.root_cause or None, st.BODY), (a.plan or None, st.BODY), (a.owner or None, st.BODY),
            (a.due, st.DATE), (a.status.label.ja, st.BODY_CENTER),
            (OVERDUE_TEXT if a.overdue(on) else None, st.BODY_CENTER),
            (a.closed_on, st.DATE), (a.verified_on, st.DATE), (proof or None, st.BODY_SMALL),
        )
        for c, (value, style) in enumerate(values, 1):
            _put(ws, r, c, value, style)
        ws.row_dimensions[r].height = st.row_height([
            (a.finding, widths[4], st.SIZE_BODY), (a.root_cause, widths[5], st.SIZE_BODY),
            (a.plan, widths[6], st.SIZE_BODY), (proof, widths[13], st.SIZE_SMALL)])
        r += 1
    last = max(r - 1, FIRST_DATA_ROW)
    for c, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=3)
    last_col = get_column_letter(len(_ACTION_COLUMNS))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{last}"
    ws.print_area = f"A1:{last_col}{last}"
    ws.conditional_formatting.add(f"K{FIRST_DATA_ROW}:K{last}", st.equals_rule(OVERDUE_TEXT, st.BAD))
    ws.conditional_formatting.add(f"J{FIRST_DATA_ROW}:J{last}", st.equals_rule("検証済み", st.GOOD))
    _print_setup(ws, f"{HEADER_ROW}:{HEADER_ROW}", header_left=sub.vendor,
                 header_right=f"是正処置　{sub.template.id} {sub.template.version}")
    _protect(ws)


# --- binding and properties -------------------------------------------------------------------


def _binding_sheet(ws: Worksheet, binding: Mapping[str, str]) -> None:
    ws.sheet_state = "veryHidden"
    ws.cell(row=1, column=1, value="This sheet ties the workbook to its submission. Do not edit.")
    for r, (key, value) in enumerate(binding.items(), 2):
        ws.cell(row=r, column=1, value=key)
        cell = ws.cell(row=r, column=2, value=cell_text(value))
        cell.data_type = "s"
    _protect(ws)


def _properties(wb: Workbook, sub: Submission, binding: Mapping[str, str]) -> None:
    props = wb.properties
    props.title = f"{sub.template.title.ja} チェックリスト"
    props.subject = cell_text(f"{sub.template.id} {sub.template.version} / 提出ID {sub.submission_id}")
    props.creator = cell_text(sub.vendor) or "CCUS Attest"
    props.lastModifiedBy = "CCUS Attest"
    props.keywords = "CCUS, 個人情報, 機密情報, チェックリスト, checklist"
    props.description = ("CCUS Attest が作成したチェックリスト。"
                         "判定・指摘事項・確認者・確認日の列に記入してください。")
    props.category = "CCUS 標準API連携認定"
    props.language = "ja-JP"
    for key, value in binding.items():
        wb.custom_doc_props.append(StringProperty(name=BINDING_PROPERTY_PREFIX + key,
                                                  value=cell_text(value) or "-"))
