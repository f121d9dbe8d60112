"""The Excel checklist: 「チェックリスト」, 「サマリー」, 「問題一覧」, 「確認結果」 (when a review
is shown), 「証跡一覧」 and 「凡例・記入方法」, plus a very hidden sheet binding the workbook to
its submission so a reviewed copy can be imported back.

Vendor cells are protected (sheet protection without a password: it guides, it does
not lock); the reviewer columns are unlocked, yellow and validated. Every string is
written as text, never as a formula, whatever it starts with.

Paper: every sheet prints on A4 at a fixed 90 % (styles.PRINT_SCALE) with 10 pt text, so
the smallest printed body text is 9 pt; only the columns that fit the page at that scale
are in the print area. Rows carry no height of their own, so Excel and LibreOffice grow
them with their text (the few merged cells, which neither app fits, are the exception).
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
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import Outline, PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from questionnaire.comparison import Comparison
from questionnaire.completeness import OUTCOME_ORDER, Assessment, Outcome, Severity, Tone
from questionnaire.corrective import grade_label, grades
from questionnaire.datefmt import excel_datetime, jp_date, jp_datetime
from questionnaire.evidence import Expiry
from questionnaire.review import VERDICT_LABELS, Finding, Review, Verdict
from questionnaire.submission import Submission

from . import styles as st
from .checklist_columns import (
    CHECKLIST_FORMAT,
    COLUMN_INDEX,
    COLUMNS,
    FIRST_DATA_ROW,
    HEADER_ROW,
    PRINTED_COLUMNS,
    SECTION_KEY_PREFIX,
    SHEET_ACTIONS,
    SHEET_BINDING,
    SHEET_CHECKLIST,
    SHEET_EVIDENCE,
    SHEET_LEGEND,
    SHEET_PROBLEMS,
    SHEET_REVIEW,
    SHEET_SUMMARY,
    VENDOR_COLUMNS,
    Role,
    cell_text,
    cells_fingerprint,
    vendor_cells,
)
from .checklist_legend import LEGEND_INTRO, MAX_FINDING_CHARS, legend_sections
from .output import Output, output_stream
from .rows import (
    EXPIRY_LABELS,
    SEVERITY_LABELS,
    VERDICT_TONES,
    SectionRows,
    build_rows,
    display_width,
    kind_label,
    overall_outcome,
    problem_text,
    ready_text,
)
from .tones import TONE_HEX

BINDING_PROPERTY_PREFIX = "ccus-attest."
EARLIEST_REVIEW_DATE = dt.date(2000, 1, 1)
LATEST_REVIEW_DATE = dt.date(2100, 12, 31)
SEVERITY_TONES = {Severity.BLOCKING: Tone.BAD, Severity.IMPROVEMENT: Tone.WARN,
                  Severity.WARNING: Tone.NEUTRAL}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def write_checklist(sub: Submission, out: Output, *, on: dt.date | None = None,
                    reviews: Mapping[str, Finding] | None = None, review: Review | None = None,
                    changes: Comparison | None = None) -> None:
    """Write the checklist workbook for ``sub`` to ``out`` (a path or a binary file object).

    ``on`` is the date statuses and expiry are judged on (default today). ``review`` (an
    imported review, or the auditor's own) or ``reviews`` (item ID → Finding) shows a
    reviewer's findings: in the reviewer columns of every item that has not changed since
    it was reviewed, and all of them on the 「確認結果」 sheet.
    ``changes``: the comparison with the previous submission, when it is known (a 前回からの変更
    column, exports/checklist_changes.py).
    """
    on = on or dt.date.today()
    made_at = _now()
    assessment = sub.assess(on)
    sections = build_rows(sub, assessment)
    binding = binding_values(sub, on, made_at)
    findings = dict(review.findings_by_item() if review is not None else reviews or {})

    wb = Workbook()
    _STYLE_ARRAYS[wb] = st.register(wb)
    _checklist_sheet(wb.active, sub, sections, on, findings, binding)
    if changes is not None:
        from .checklist_changes import add_change_column

        add_change_column(wb.active, changes, _STYLE_ARRAYS[wb])
    _summary_sheet(wb.create_sheet(SHEET_SUMMARY), sub, assessment, sections, binding)
    _problems_sheet(wb.create_sheet(SHEET_PROBLEMS), sub, assessment, sections)
    if findings:
        _review_sheet(wb.create_sheet(SHEET_REVIEW), sub, sections, findings, review)
    _evidence_sheet(wb.create_sheet(SHEET_EVIDENCE), sub, on)
    if sub.corrective_actions:
        _actions_sheet(wb.create_sheet(SHEET_ACTIONS), sub, on)
    _legend_sheet(wb.create_sheet(SHEET_LEGEND), sub)
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


def _band(ws: Worksheet, row: int, text: str, last_col: int, style: str = st.SECTION) -> None:
    """A heading across columns 1..last_col (text in the first; it overflows the empty rest)."""
    _put(ws, row, 1, text, style)
    for c in range(2, last_col + 1):
        _style(ws.cell(row=row, column=c), style)


def _fit(texts, minimum: float, maximum: float) -> float:
    """A column width that fits the longest line, East Asian characters counted double."""
    longest = max((display_width(line) for t in texts if t for line in str(t).split("\n")), default=0)
    return max(minimum, min(maximum, longest + 2))


def _print_setup(ws: Worksheet, *, landscape: bool, last_col: int, last_row: int,
                 title_rows: str | None, header_left: str, header_right: str) -> None:
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.scale = st.PRINT_SCALE
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = st.PRINT_MARGIN_SIDE_IN
    ws.page_margins.top = ws.page_margins.bottom = st.PRINT_MARGIN_TOP_IN
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_area = f"A1:{get_column_letter(last_col)}{max(last_row, 1)}"
    if title_rows:
        ws.print_title_rows = title_rows
    # "&" starts a code in Excel headers (&P, &B...): a vendor "A&B" must be written "A&&B"
    ws.oddHeader.left.text = cell_text(header_left).replace("&", "&&")
    ws.oddHeader.left.size = st.SIZE_BODY   # scaled with the page too: 9 pt on paper
    ws.oddHeader.right.text = cell_text(header_right).replace("&", "&&")
    ws.oddHeader.right.size = st.SIZE_BODY
    ws.oddFooter.center.text = "&P / &N ページ"
    ws.oddFooter.center.size = st.SIZE_BODY


def _protect(ws: Worksheet) -> None:
    # No password: protection tells a reviewer which cells are theirs without locking
    # anyone out. Filtering, sorting and resizing stay allowed.
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    ws.protection.sort = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _title_block(ws: Worksheet, title: str, lines: list[str]) -> None:
    _put(ws, 1, 1, title, st.TITLE)
    for r, line in enumerate(lines[: HEADER_ROW - 2], 2):
        _put(ws, r, 1, line, st.SUBTITLE)


def _subtitle(sub: Submission, binding: Mapping[str, str], *, narrow: bool = False) -> list[str]:
    if narrow:  # a portrait page: what identifies the workbook, the rest is in the table below
        return [f"提出者: {sub.vendor or '（未設定）'}", f"提出ID: {sub.submission_id}"]
    first = [f"提出者: {sub.vendor or '（未設定）'}",
             f"テンプレート: {sub.template.id} {sub.template.version}", f"提出ID: {sub.submission_id}"]
    second = [f"基準日: {jp_date(dt.date.fromisoformat(binding['on']))}",
              f"出力: {jp_datetime(binding['made_at'])}"]
    if sub.signer_key_id:
        second.append(f"署名鍵ID: {sub.signer_key_id}")
    return ["　".join(first), "　".join(second)]


def _widths(ws: Worksheet, widths) -> None:
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width


# --- 「チェックリスト」 ----------------------------------------------------------------------

_VENDOR_STYLES = {"question_en": st.BODY_EN, "sha256": st.BODY_SMALL, "source": st.BODY_SMALL,
                  "section": st.BODY_SMALL}


def _checklist_sheet(ws: Worksheet, sub: Submission, sections: list[SectionRows], on: dt.date,
                     findings: Mapping[str, Finding], binding: Mapping[str, str]) -> None:
    ws.title = SHEET_CHECKLIST
    _title_block(ws, f"{sub.template.title.ja}　チェックリスト", _subtitle(sub, binding))
    for col in COLUMNS:
        style = (st.HEADER_REVIEW if col.role is Role.REVIEWER else st.HIDDEN if col.role is Role.HIDDEN
                 else st.HEADER if col.printed else st.HEADER_REFERENCE)
        _put(ws, HEADER_ROW, COLUMN_INDEX[col.key], col.header, style)

    index = COLUMN_INDEX
    visible_cols = len([c for c in COLUMNS if c.role is not Role.HIDDEN])
    seen_text: dict[str, list[str]] = {c.key: [] for c in VENDOR_COLUMNS}
    row_cells: list[tuple[int, tuple[str, ...], Finding | None]] = []
    r = FIRST_DATA_ROW
    for n, block in enumerate(sections):
        section = block.section
        if n:
            ws.row_breaks.append(Break(id=r - 1))  # each section starts a page: its heading stays with it
        _band(ws, r, f"{section.id}　{section.title.ja}　/　{section.title.en}", visible_cols)
        _put(ws, r, index["_key"], SECTION_KEY_PREFIX + section.id, st.HIDDEN)
        r += 1
        for row in block.rows:
            cells = vendor_cells(row, on)
            for col, text in zip(VENDOR_COLUMNS, cells, strict=True):
                _put(ws, r, index[col.key], text or None, _VENDOR_STYLES.get(col.key, st.BODY))
                if col.key in ("answer", "evidence", "expiry", "status"):
                    seen_text[col.key].append(text)
            finding = findings.get(row.item.id)
            if finding is not None and row.changed_since(finding):
                finding = None  # the verdict was on other content: on the 「確認結果」 sheet only
            _put(ws, r, index["verdict"], finding.verdict.label.ja if finding and finding.verdict else None,
                 st.REVIEW)
            _put(ws, r, index["finding"], finding.comment if finding and finding.comment else None, st.REVIEW)
            _put(ws, r, index["reviewer"], finding.reviewer if finding and finding.reviewer else None,
                 st.REVIEW)
            _put(ws, r, index["reviewed_on"], finding.reviewed_on if finding else None, st.REVIEW_DATE)
            _put(ws, r, index["grade"], grade_label(sub.template, finding.grade).ja
                 if finding and finding.grade else None, st.REVIEW)
            _put(ws, r, index["_key"], row.item.id, st.HIDDEN)
            _put(ws, r, index["_content"], row.fingerprint, st.HIDDEN)
            _put(ws, r, index["_cells"], cells_fingerprint(cells), st.HIDDEN)
            ws.row_dimensions[r].outline_level = 1
            row_cells.append((r, cells, finding))
            r += 1
    last = r - 1

    # Widths: designed for Japanese text, narrowed where the content is short (never widened:
    # the printed columns must fit the page).
    widths: dict[str, float] = {}
    for col in COLUMNS:
        letter = get_column_letter(index[col.key])
        width = col.width
        if seen_text.get(col.key):
            width = _fit(seen_text[col.key] + [col.ja], 8, col.width)
        ws.column_dimensions[letter].width = width
        widths[col.key] = width
        if col.role is Role.HIDDEN:
            ws.column_dimensions[letter].hidden = True
    sizes = {c.key: st.SIZE_SMALL if _VENDOR_STYLES.get(c.key) in (st.BODY_EN, st.BODY_SMALL)
             else st.SIZE_BODY for c in VENDOR_COLUMNS}
    for r, cells, finding in row_cells:
        parts = [(text, widths[c.key], sizes[c.key]) for c, text in zip(VENDOR_COLUMNS, cells, strict=True)]
        if finding and finding.comment:
            parts.append((finding.comment, widths["finding"], st.SIZE_BODY))
        st.fit_row(ws, r, st.row_height(parts))
    st.fit_row(ws, HEADER_ROW, 30)

    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=2)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(visible_cols)}{last}"
    ws.sheet_properties.outlinePr = Outline(summaryBelow=False, summaryRight=False)
    _reviewer_validation(ws, last, sub.template)
    _status_colours(ws, last)
    _print_setup(ws, landscape=True, last_col=len(PRINTED_COLUMNS), last_row=last,
                 title_rows=f"{HEADER_ROW}:{HEADER_ROW}", header_left=sub.vendor,
                 header_right=f"チェックリスト　{sub.template.id} {sub.template.version}")
    _protect(ws)


def _reviewer_validation(ws: Worksheet, last: int, template) -> None:
    first = FIRST_DATA_ROW
    verdict_col = get_column_letter(COLUMN_INDEX["verdict"])
    finding_col = get_column_letter(COLUMN_INDEX["finding"])
    date_col = get_column_letter(COLUMN_INDEX["reviewed_on"])
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
        errorTitle="確認日 / Date", error="日付を入力してください（例: 2026/12/1）。 Enter a date.",
        showInputMessage=True, promptTitle="確認日 / Date",
        prompt="例 / e.g. 2026/12/1（2026年12月1日 と表示されます）")
    date.add(f"{date_col}{first}:{date_col}{last}")
    length = DataValidation(
        type="textLength", operator="lessThanOrEqual", formula1=str(MAX_FINDING_CHARS),
        allow_blank=True, showErrorMessage=True, errorTitle="指摘事項 / Findings",
        error=f"{MAX_FINDING_CHARS}文字以内で入力してください。 At most {MAX_FINDING_CHARS} characters.")
    length.add(f"{finding_col}{first}:{finding_col}{last}")
    # the template's scale (the vendor's corrective actions offer the same choices)
    grade_col = get_column_letter(COLUMN_INDEX["grade"])
    names = ",".join(g.label.ja for g in grades(template))
    grade = DataValidation(
        type="list", formula1=f'"{names}"', allow_blank=True, showDropDown=False,
        showErrorMessage=True, errorStyle="stop", errorTitle="等級 / Grade",
        error=f"{names.replace(',', '・')} から選んでください。 Choose one of the listed grades.",
        showInputMessage=True, promptTitle="等級 / Grade",
        prompt="不適合・要確認の等級（空欄なら判定に応じた既定）。 The finding's grade (empty: the default "
               "for its verdict).")
    grade.add(f"{grade_col}{first}:{grade_col}{last}")
    for dv in (verdict, date, length, grade):
        ws.add_data_validation(dv)


def _serial(day: dt.date) -> int:
    return (day - dt.date(1899, 12, 30)).days


def _status_colours(ws: Worksheet, last: int) -> None:
    first = FIRST_DATA_ROW
    status = get_column_letter(COLUMN_INDEX["status"])
    cf = ws.conditional_formatting
    status_range = f"{status}{first}:{status}{last}"
    # the status cell's first line is the outcome's label; its tone colours the cell
    for outcome in OUTCOME_ORDER:
        cf.add(status_range, st.starts_with_rule(f"{status}{first}", outcome.label.ja,
                                                 TONE_HEX[outcome.tone]))
    verdict = get_column_letter(COLUMN_INDEX["verdict"])
    verdict_range = f"{verdict}{first}:{verdict}{last}"
    for v, tone in VERDICT_TONES.items():
        cf.add(verdict_range, st.equals_rule(VERDICT_LABELS[v].ja, TONE_HEX[tone]))
    # the answer cell is not coloured by its value: whether いいえ fails a binding rule or
    # only needs improvement is the status column's to say
    expiry = get_column_letter(COLUMN_INDEX["expiry"])
    cf.add(f"{expiry}{first}:{expiry}{last}",
           st.contains_rule(f"{expiry}{first}", EXPIRY_LABELS[Expiry.EXPIRED].ja, st.BAD))


# --- 「サマリー」 ------------------------------------------------------------------------------

# A: labels and section names; B-G: outcome counts; H-J: required, complete, ratio; K: state
SUMMARY_WIDTHS = (28, 7, 7, 7, 7, 7, 8, 7, 7, 8, 10)
SUMMARY_COLS = len(SUMMARY_WIDTHS)
SUMMARY_OUTCOMES = (Outcome.CONFORMING, Outcome.NEEDS_IMPROVEMENT, Outcome.NON_CONFORMING,
                    Outcome.UNANSWERED, Outcome.OPTIONAL)
_ROW_PT = 18          # a one-line row of 10 pt text, as both apps draw it, for page planning
_PAGE_PT = (st.A4_LONG_PT - 2 * 72 * st.PRINT_MARGIN_TOP_IN) / (st.PRINT_SCALE / 100) - 20


def _summary_sheet(ws: Worksheet, sub: Submission, a: Assessment, sections: list[SectionRows],
                   binding: Mapping[str, str]) -> None:
    _title_block(ws, "サマリー　Summary", _subtitle(sub, binding, narrow=True))
    t = sub.template
    total = a.total
    signer = sub.signer_key_id or "—（ワークスペースから作成：署名前）"
    origin = "署名付き提出バンドル" if sub.origin == "bundle" else "ワークスペース（提出前の下書き）"
    merged_width = sum(SUMMARY_WIDTHS[1:])
    r = HEADER_ROW + 1
    notice = sub.unofficial_notice()
    if notice is not None:  # said in words, in both languages, before anything else
        banner = f"{notice.ja}\n{notice.en}"
        _put(ws, r, 1, banner, st.TONE_STYLES[Tone.BAD])
        for c in range(2, SUMMARY_COLS + 1):
            _style(ws.cell(row=r, column=c), st.TONE_STYLES[Tone.BAD])
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=SUMMARY_COLS)
        st.fit_row(ws, r, st.row_height([(banner, sum(SUMMARY_WIDTHS), st.SIZE_BODY)]))
        r += 2
    _band(ws, r, "基本情報　General", SUMMARY_COLS)
    r += 1
    info: list[tuple[str, object, str]] = [
        ("提出者 Vendor", sub.vendor or "（未設定）", st.VALUE),
        ("調査票 Survey", t.title.ja, st.VALUE),
        ("テンプレート Template", f"{t.id}　版 {t.version}", st.VALUE),
        ("テンプレートSHA-256", t.digest, st.VALUE),
        ("提出ID Submission ID", sub.submission_id, st.VALUE),
        ("作成元 Origin", origin, st.VALUE),
        ("署名鍵ID Signer key", signer, st.VALUE),
        ("提出データ作成 Created", excel_datetime(sub.created_at) or sub.created_at, st.DATETIME),
        ("出力日時 Exported", excel_datetime(binding["made_at"]), st.DATETIME),
        ("基準日 Assessed on", a.on, st.DATE_LEFT),
    ]
    for label, value, style in info:
        _put(ws, r, 1, label, st.LABEL)
        _put(ws, r, 2, value, style)
        for c in range(3, SUMMARY_COLS + 1):
            _style(ws.cell(row=r, column=c), st.VALUE)
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=SUMMARY_COLS)
        if isinstance(value, str) and st.lines_in(value, merged_width) > 1:
            # merged cells are the one place neither Excel nor LibreOffice fits a row to its text
            st.fit_row(ws, r, st.row_height([(value, merged_width, st.SIZE_BODY)]))
        r += 1
    r += 1

    # whether it may be submitted, coloured by the worst outcome (green only if all conform)
    _band(ws, r, "提出可否と項目の状態　Ready to submit, and the items' outcomes", SUMMARY_COLS)
    r += 1
    tone = overall_outcome(total).tone
    _put(ws, r, 1, "提出可否 Ready", st.LABEL)
    _put(ws, r, 2, ready_text(a, "「問題一覧」シート"), st.TONE_STYLES[tone])
    for c in range(3, SUMMARY_COLS + 1):
        _style(ws.cell(row=r, column=c), st.TONE_STYLES[tone])
    ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=SUMMARY_COLS)
    r += 1
    _put(ws, r, 1, "完了率 Completion", st.LABEL)
    _put(ws, r, 2, total.ratio, st.PERCENT)
    _put(ws, r, 3, f"必須 {total.required} 項目中 {total.complete} 項目が完了（適合又は要改善）",
         st.VALUE)
    for c in range(4, SUMMARY_COLS + 1):
        _style(ws.cell(row=r, column=c), st.VALUE)
    ws.merge_cells(start_row=r, start_column=3, end_row=r, end_column=SUMMARY_COLS)
    r += 1
    _put(ws, r, 1, "項目の状態 Outcomes", st.LABEL)
    for c, outcome in enumerate(OUTCOME_ORDER, 2):
        _put(ws, r, c, outcome.label.ja, st.TONE_STYLES[outcome.tone])
    _put(ws, r, len(OUTCOME_ORDER) + 2, "合計", st.HEADER)
    st.fit_row(ws, r, 44)  # 「任意（未回答）」 takes three lines in a narrow column
    r += 1
    _put(ws, r, 1, "件数 Items", st.LABEL)
    for c, outcome in enumerate(OUTCOME_ORDER, 2):
        _put(ws, r, c, total.count(outcome), st.NUMBER)
    _put(ws, r, len(OUTCOME_ORDER) + 2, len(a.items), st.NUMBER)
    r += 1
    counts = a.status_counts()
    status_labels = [("yes", "はい"), ("partial", "一部"), ("no", "いいえ"), ("na", "該当なし"),
                     ("", "未回答")]
    _put(ws, r, 1, "はい／いいえ形式の回答", st.LABEL)
    for c, (_, label) in enumerate(status_labels, 2):
        _put(ws, r, c, label, st.HEADER)
    st.fit_row(ws, r, 30)
    r += 1
    _put(ws, r, 1, "件数 Items", st.LABEL)
    for c, (code, _) in enumerate(status_labels, 2):
        _put(ws, r, c, counts.get(code, 0), st.NUMBER)
    r += 1
    _put(ws, r, 1, "問題 Problems", st.LABEL)
    problems = (f"提出を妨げる {len(a.blockers)} 件・要改善 {len(a.improvements)} 件・"
                f"注意 {len(a.warnings)} 件（内容は「{SHEET_PROBLEMS}」シート）")
    _put(ws, r, 2, problems, st.VALUE)
    for c in range(3, SUMMARY_COLS + 1):
        _style(ws.cell(row=r, column=c), st.VALUE)
    ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=SUMMARY_COLS)
    r += 2

    # the section table: on this page if it fits, else from the top of the next one
    table_rows = len(sections) + 3
    if (r + table_rows) * _ROW_PT > _PAGE_PT:
        ws.row_breaks.append(Break(id=r - 1))
    _band(ws, r, "区分別の状態　Outcomes by section", SUMMARY_COLS)
    r += 1
    headers = ["区分\nSection", "表示", *(o.label.ja for o in SUMMARY_OUTCOMES), "必須", "完了",
               "完了率", "状態"]
    for c, h in enumerate(headers, 1):
        _put(ws, r, c, h, st.HEADER)
    st.fit_row(ws, r, 30)
    r += 1
    for block in sections:
        label = f"{block.section.id}　{block.section.title.ja}"
        _tally_row(ws, r, label, block.progress.tally, st.BODY)
        st.fit_row(ws, r, st.row_height([(label, SUMMARY_WIDTHS[0], st.SIZE_BODY)]))
        r += 1
    _tally_row(ws, r, "合計 Total", total, st.LABEL)
    last = r
    r += 1
    note = ("完了＝必須項目のうち提出を妨げる問題がないもの（適合又は要改善）。状態＝区分で最も重い"
            "項目の状態（緑の「適合」は、表示される項目がすべて適合のときだけ）。")
    _put(ws, r, 1, note, st.NOTE)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=SUMMARY_COLS)
    st.fit_row(ws, r, st.row_height([(note, sum(SUMMARY_WIDTHS), st.SIZE_BODY)]))
    _widths(ws, SUMMARY_WIDTHS)
    _print_setup(ws, landscape=False, last_col=SUMMARY_COLS, last_row=max(last, r), title_rows=None,
                 header_left=sub.vendor, header_right=f"サマリー　{t.id} {t.version}")
    _protect(ws)


def _tally_row(ws: Worksheet, r: int, label: str, tally, label_style: str) -> None:
    values = [tally.shown, *(tally.count(o) for o in SUMMARY_OUTCOMES), tally.required, tally.complete]
    _put(ws, r, 1, label, label_style)
    for c, value in enumerate(values, 2):
        _put(ws, r, c, value, st.NUMBER)
    _put(ws, r, len(values) + 2, tally.ratio, st.PERCENT)
    outcome = overall_outcome(tally)
    _put(ws, r, len(values) + 3, outcome.label.ja, st.TONE_STYLES[outcome.tone])


# --- 「問題一覧」 ------------------------------------------------------------------------------

_PROBLEM_COLUMNS = (("No.", 5), ("項目ID", 9), ("区分", 16), ("重要度", 12), ("状態", 10), ("内容", 46))


def _problems_sheet(ws: Worksheet, sub: Submission, a: Assessment, sections: list[SectionRows]) -> None:
    _title_block(ws, "問題一覧　Problems", [
        f"提出者: {sub.vendor or '（未設定）'}　提出ID: {sub.submission_id}",
        f"基準日: {jp_date(a.on)}　提出を妨げる {len(a.blockers)} 件・要改善 {len(a.improvements)} 件・"
        f"注意 {len(a.warnings)} 件"])
    for c, (name, _) in enumerate(_PROBLEM_COLUMNS, 1):
        _put(ws, HEADER_ROW, c, name, st.HEADER)
    section_of = {row.item.id: block.section.title.ja for block in sections for row in block.rows}
    r = FIRST_DATA_ROW
    n = 0
    groups = ((Severity.BLOCKING, a.blockers, "提出を妨げる問題（提出前に解決が必要）"),
              (Severity.IMPROVEMENT, a.improvements,
               "要改善の事項（契約・法令上の要件ではないため提出は妨げない）"),
              (Severity.WARNING, a.warnings, "注意事項（状態は変わらない）"))
    for severity, problems, heading in groups:
        _band(ws, r, f"{heading}　{len(problems)} 件", len(_PROBLEM_COLUMNS))
        r += 1
        for p in problems:
            n += 1
            outcome = a.items[p.item_id].outcome
            for c, (value, style) in enumerate((
                (n, st.NUMBER), (p.item_id, st.BODY), (section_of.get(p.item_id, ""), st.BODY),
                (SEVERITY_LABELS[severity], st.TONE_STYLES[SEVERITY_TONES[severity]]),
                (outcome.label.ja, st.TONE_STYLES[outcome.tone]), (problem_text(p), st.BODY),
            ), 1):
                _put(ws, r, c, value, style)
            st.fit_row(ws, r, st.row_height([(problem_text(p), _PROBLEM_COLUMNS[-1][1], st.SIZE_BODY),
                                             (section_of.get(p.item_id, ""), _PROBLEM_COLUMNS[2][1],
                                              st.SIZE_BODY)]))
            r += 1
        if not problems:
            _put(ws, r, 2, "ありません", st.VALUE)
            r += 1
    _widths(ws, [w for _, w in _PROBLEM_COLUMNS])
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=1)
    _print_setup(ws, landscape=False, last_col=len(_PROBLEM_COLUMNS), last_row=r - 1,
                 title_rows=f"{HEADER_ROW}:{HEADER_ROW}", header_left=sub.vendor,
                 header_right=f"問題一覧　{sub.template.id} {sub.template.version}")
    _protect(ws)


# --- 「確認結果」 ------------------------------------------------------------------------------

_REVIEW_COLUMNS = (("項目ID", 9), ("判定", 8), ("指摘事項", 42), ("確認者", 12), ("確認日", 15),
                   ("確認後の変更", 14))


def _review_sheet(ws: Worksheet, sub: Submission, sections: list[SectionRows],
                  findings: Mapping[str, Finding], review: Review | None) -> None:
    rows = {row.item.id: row for block in sections for row in block.rows}
    listed = [(rows[i], f) for i, f in findings.items() if i in rows]
    listed.sort(key=lambda rf: list(rows).index(rf[0].item.id))
    changed = sum(1 for row, f in listed if row.changed_since(f))
    counts = f"指摘 {len(listed)} 件（確認後に変更された項目 {changed} 件）"
    if review is not None:
        lines = [f"確認した提出ID: {review.submission_id}",
                 f"取込: {jp_datetime(review.imported_at)}　{counts}"
                 + (f"　ファイル: {review.source_name}" if review.source_name else "")]
    else:
        lines = [f"提出ID: {sub.submission_id}", counts]
    _title_block(ws, "確認結果（監査側の判定・指摘事項）　Review", lines)
    for c, (name, _) in enumerate(_REVIEW_COLUMNS, 1):
        _put(ws, HEADER_ROW, c, name, st.HEADER_REVIEW)
    r = FIRST_DATA_ROW
    for row, f in listed:
        tone = VERDICT_TONES[f.verdict] if f.verdict else Tone.NEUTRAL
        is_changed = row.changed_since(f)
        change = "変更あり（再確認が必要）" if is_changed else "なし"
        for c, (value, style) in enumerate((
            (row.item.id, st.BODY),
            (f.verdict.label.ja if f.verdict else "（判定なし）", st.TONE_STYLES[tone]),
            (f.comment or None, st.BODY), (f.reviewer or None, st.BODY),
            (f.reviewed_on, st.DATE),
            (change, st.TONE_STYLES[Tone.WARN] if is_changed else st.BODY),
        ), 1):
            _put(ws, r, c, value, style)
        st.fit_row(ws, r, st.row_height([(f.comment, _REVIEW_COLUMNS[2][1], st.SIZE_BODY),
                                         (f.reviewer, _REVIEW_COLUMNS[3][1], st.SIZE_BODY),
                                         (change, _REVIEW_COLUMNS[5][1], st.SIZE_BODY)]))
        r += 1
    _widths(ws, [w for _, w in _REVIEW_COLUMNS])
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(_REVIEW_COLUMNS))}{max(r - 1, HEADER_ROW)}"
    _print_setup(ws, landscape=False, last_col=len(_REVIEW_COLUMNS), last_row=r - 1,
                 title_rows=f"{HEADER_ROW}:{HEADER_ROW}", header_left=sub.vendor,
                 header_right=f"確認結果　{sub.template.id} {sub.template.version}")
    _protect(ws)


# --- 「証跡一覧」 ------------------------------------------------------------------------------

# (Japanese, English, width, printed); the printed ones first (see _print_setup)
_EVIDENCE_COLUMNS = (
    ("No.", "No.", 5, True), ("項目ID", "Item", 9, True), ("種類", "Kind", 12, True),
    ("ファイル名", "File name", 28, True), ("表題", "Title", 22, True), ("発行者", "Issuer", 14, True),
    ("番号", "Number", 12, True), ("有効期限", "Expires", 15, True), ("期限状態", "Expiry", 9, True),
    ("SHA-256", "SHA-256", 30, True),
    ("発行日", "Issued", 13, False), ("サイズ（バイト）", "Size (bytes)", 13, False),
    ("格納場所", "Path in bundle", 32, False),
)
_EVIDENCE_PRINTED = sum(1 for *_, printed in _EVIDENCE_COLUMNS if printed)


def _evidence_sheet(ws: Worksheet, sub: Submission, on: dt.date) -> None:
    _title_block(ws, "証跡一覧　Evidence files", [
        f"提出者: {sub.vendor or '（未設定）'}　提出ID: {sub.submission_id}",
        f"基準日: {jp_date(on)}　証跡 {len(sub.evidence)} 件"])
    for c, (ja, en, _, printed) in enumerate(_EVIDENCE_COLUMNS, 1):
        _put(ws, HEADER_ROW, c, ja if ja == en else f"{ja}\n{en}",
             st.HEADER if printed else st.HEADER_REFERENCE)
    r = FIRST_DATA_ROW
    names, titles = [], []
    heights = []
    for n, e in enumerate(sub.evidence, 1):
        values = (
            (n, st.NUMBER), (e.item_id, st.BODY), (kind_label(sub.template, e.kind), st.BODY),
            (e.filename, st.BODY), (e.title or None, st.BODY), (e.issuer or None, st.BODY),
            (e.number or None, st.BODY), (e.expires, st.DATE),
            (EXPIRY_LABELS[e.expiry(on)].ja, st.BODY_CENTER), (e.sha256, st.BODY),
            (e.issued, st.DATE), (e.size, st.NUMBER), (sub.evidence_path(e), st.BODY_SMALL),
        )
        for c, (value, style) in enumerate(values, 1):
            _put(ws, r, c, value, style)
        names.append(e.filename)
        titles.append(e.title)
        heights.append((r, e))
        r += 1
    if not sub.evidence:
        _put(ws, r, 1, "証跡は添付されていません。 No evidence files are attached.", st.VALUE)
        r += 1
    last = max(r - 1, FIRST_DATA_ROW)
    _widths(ws, [w for _, _, w, _ in _EVIDENCE_COLUMNS])
    ws.column_dimensions["D"].width = _fit([*names, "ファイル名"], 16, 28)
    ws.column_dimensions["E"].width = _fit([*titles, "表題"], 10, 22)
    widths = {c: ws.column_dimensions[c].width for c in "CDEFGJM"}
    for r, e in heights:
        st.fit_row(ws, r, st.row_height([
            (kind_label(sub.template, e.kind), widths["C"], st.SIZE_BODY),
            (e.filename, widths["D"], st.SIZE_BODY), (e.title, widths["E"], st.SIZE_BODY),
            (e.issuer, widths["F"], st.SIZE_BODY), (e.number, widths["G"], st.SIZE_BODY),
            (e.sha256, widths["J"], st.SIZE_BODY), (sub.evidence_path(e), widths["M"], st.SIZE_SMALL)]))
    st.fit_row(ws, HEADER_ROW, 30)
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=1)
    last_col = get_column_letter(len(_EVIDENCE_COLUMNS))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{last}"
    state_range = f"I{FIRST_DATA_ROW}:I{last}"
    cf = ws.conditional_formatting
    cf.add(state_range, st.equals_rule(EXPIRY_LABELS[Expiry.EXPIRED].ja, st.BAD))
    cf.add(state_range, st.equals_rule(EXPIRY_LABELS[Expiry.EXPIRING].ja, TONE_HEX[Tone.WARN]))
    _print_setup(ws, landscape=True, last_col=_EVIDENCE_PRINTED, last_row=last,
                 title_rows=f"{HEADER_ROW}:{HEADER_ROW}", header_left=sub.vendor,
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
    _title_block(ws, "是正処置　Corrective actions", [
        f"提出者: {sub.vendor or '（未設定）'}　提出ID: {sub.submission_id}",
        f"基準日: {jp_date(on)}　{counts.total} 件（未完了 {counts.open} 件、期限切れ {counts.overdue} 件）"])
    for c, (ja, en, _) in enumerate(_ACTION_COLUMNS, 1):
        _put(ws, HEADER_ROW, c, f"{ja}\n{en}", st.HEADER)
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
        st.fit_row(ws, r, st.row_height([
            (a.finding, widths[4], st.SIZE_BODY), (a.root_cause, widths[5], st.SIZE_BODY),
            (a.plan, widths[6], st.SIZE_BODY), (proof, widths[13], st.SIZE_SMALL)]))
        r += 1
    last = max(r - 1, FIRST_DATA_ROW)
    _widths(ws, widths)
    st.fit_row(ws, HEADER_ROW, 30)
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=3)
    last_col = get_column_letter(len(_ACTION_COLUMNS))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{last}"
    ws.conditional_formatting.add(f"K{FIRST_DATA_ROW}:K{last}", st.equals_rule(OVERDUE_TEXT, st.BAD))
    # green only for what the auditor verified: 完了 is the vendor's word
    ws.conditional_formatting.add(f"J{FIRST_DATA_ROW}:J{last}", st.equals_rule("検証済み", st.GOOD))
    _print_setup(ws, landscape=True, last_col=len(_ACTION_COLUMNS), last_row=last,
                 title_rows=f"{HEADER_ROW}:{HEADER_ROW}", header_left=sub.vendor,
                 header_right=f"是正処置　{sub.template.id} {sub.template.version}")
    _protect(ws)


# --- 「凡例・記入方法」 --------------------------------------------------------------------------


LEGEND_WIDTHS = (22, 80)


def _legend_sheet(ws: Worksheet, sub: Submission) -> None:
    _title_block(ws, "凡例・記入方法　Legend and how to fill in", [LEGEND_INTRO, ""])
    r = HEADER_ROW
    for heading, lines in legend_sections(len(PRINTED_COLUMNS)):
        _band(ws, r, heading, 2)
        r += 1
        for label, text, tone in lines:
            _put(ws, r, 1, label, st.TONE_STYLES[tone] if tone else st.LABEL)
            _put(ws, r, 2, text, st.BODY)
            st.fit_row(ws, r, st.row_height([(label, LEGEND_WIDTHS[0], st.SIZE_BODY),
                                             (text, LEGEND_WIDTHS[1], st.SIZE_BODY)]))
            r += 1
    _widths(ws, LEGEND_WIDTHS)
    _print_setup(ws, landscape=False, last_col=2, last_row=r - 1, title_rows=None, header_left=sub.vendor,
                 header_right=f"凡例・記入方法　{sub.template.id} {sub.template.version}")
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
