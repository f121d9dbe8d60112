"""The Excel checklist, read back with openpyxl as an auditor's Excel would see it."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from exports import styles as st
from exports.checklist import write_checklist
from exports.checklist_columns import (
    COLUMN_INDEX,
    COLUMNS,
    FIRST_DATA_ROW,
    HEADER_ROW,
    PRINTED_COLUMNS,
    SHEET_BINDING,
    SHEET_CHECKLIST,
    SHEET_EVIDENCE,
    SHEET_LEGEND,
    SHEET_PROBLEMS,
    SHEET_REVIEW,
    SHEET_SUMMARY,
    Role,
)
from exports.tones import TONE_HEX
from questionnaire.completeness import OUTCOME_ORDER, Outcome, Tone
from questionnaire.datefmt import EXCEL_DATE_FORMAT
from questionnaire.review import Finding, Verdict

from .samples import ON, SIGNER, VENDOR, filled_submission, item_rows


@pytest.fixture(scope="module")
def sub(tmp_path_factory):
    return filled_submission(tmp_path_factory.mktemp("filled"))


@pytest.fixture(scope="module")
def book(sub, tmp_path_factory):
    out = tmp_path_factory.mktemp("xlsx") / "checklist.xlsx"
    write_checklist(sub, out, on=ON)
    return openpyxl.load_workbook(out)


def test_sheets_and_every_item(book, sub):
    assert book.sheetnames == [SHEET_CHECKLIST, SHEET_SUMMARY, SHEET_PROBLEMS, SHEET_EVIDENCE, SHEET_LEGEND,
                               SHEET_BINDING]  # 「確認結果」 only when a review is shown
    assert book[SHEET_BINDING].sheet_state == "veryHidden"
    sheet = book[SHEET_CHECKLIST]
    rows = item_rows(sheet)
    assert list(rows) == [i.id for i in sub.template.items]
    ids_in_visible_column = {sheet.cell(r, 1).value for r in rows.values()}
    assert ids_in_visible_column == {i.id for i in sub.template.items}
    headers = [sheet.cell(HEADER_ROW, c).value for c in range(1, len(COLUMNS) + 1)]
    for name in ("項目ID", "区分", "確認項目", "回答", "備考", "証跡", "証跡SHA-256", "有効期限", "根拠",
                 "判定", "指摘事項", "確認者", "確認日"):
        assert any(h.split("\n")[0] == name for h in headers), name
    # the English question has its own column
    r = rows["AGR-01"]
    assert sheet.cell(r, COLUMN_INDEX["question_en"]).value.startswith("Have you read and accepted")
    assert sheet.cell(r, COLUMN_INDEX["answer"]).value == "はい"
    # evidence: names, short hashes and expiry line up with ①②
    r = rows["CERT-03"]
    names = sheet.cell(r, COLUMN_INDEX["evidence"]).value.split("\n")
    hashes = sheet.cell(r, COLUMN_INDEX["sha256"]).value.split("\n")
    assert names[0].startswith("① ") and names[1].startswith("② ") and len(hashes) == 2
    infos = [e for e in sub.evidence if e.item_id == "CERT-03"]
    assert hashes[0] == f"① {infos[0].sha256[:16]}…"
    assert "2026年10月31日（期限切れ）" in sheet.cell(rows["CERT-03"], COLUMN_INDEX["expiry"]).value
    assert sheet.cell(rows["CERT-05"], COLUMN_INDEX["answer"]).value == "2027年3月31日"  # a date answer
    status = sheet.cell(rows["CERT-03"], COLUMN_INDEX["status"]).value
    assert status.startswith("不適合\n・証跡の有効期限が切れています")


def test_reviewer_columns_validated_and_unlocked(book):
    sheet = book[SHEET_CHECKLIST]
    rows = item_rows(sheet)
    last = max(rows.values())
    verdict_col = openpyxl.utils.get_column_letter(COLUMN_INDEX["verdict"])
    date_col = openpyxl.utils.get_column_letter(COLUMN_INDEX["reviewed_on"])
    grade_col = openpyxl.utils.get_column_letter(COLUMN_INDEX["grade"])
    by_type, lists = {}, {}
    for dv in sheet.data_validations.dataValidation:
        by_type[dv.type] = dv
        if dv.type == "list":
            lists[str(dv.sqref)] = dv
    verdicts = lists.pop(f"{verdict_col}{FIRST_DATA_ROW}:{verdict_col}{last}")
    assert verdicts.formula1 == '"適合,不適合,要確認,該当なし"' and verdicts.showErrorMessage
    # the finding's grade: the template's scale, as the vendor's corrective actions offer it
    grades = lists.pop(f"{grade_col}{FIRST_DATA_ROW}:{grade_col}{last}")
    assert grades.formula1 == '"重大な不適合,軽微な不適合,観察事項,改善の機会"' and grades.showErrorMessage
    assert not lists
    dates = by_type["date"]
    assert str(dates.sqref) == f"{date_col}{FIRST_DATA_ROW}:{date_col}{last}"
    # protection guides without locking: no password, filters still allowed
    assert sheet.protection.sheet is True
    assert sheet.protection.password is None and sheet.protection.hashValue is None
    assert sheet.protection.autoFilter is False
    r = rows["AGR-01"]
    for col in COLUMNS:
        locked = sheet.cell(r, COLUMN_INDEX[col.key]).protection.locked
        assert locked is (col.role is not Role.REVIEWER), col.key
    for key in ("_key", "_content", "_cells"):
        assert sheet.column_dimensions[openpyxl.utils.get_column_letter(COLUMN_INDEX[key])].hidden


def test_layout_and_print_settings(book, sub):
    sheet = book[SHEET_CHECKLIST]
    assert sheet.freeze_panes == f"B{FIRST_DATA_ROW}"
    assert sheet.auto_filter.ref.startswith(f"A{HEADER_ROW}:")
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    # a fixed scale, never "fit to page": the printed text size is known and page breaks hold
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is False
    assert int(sheet.page_setup.scale) == st.PRINT_SCALE == 90
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert "&P / &N ページ" in sheet.oddFooter.center.text
    rows = item_rows(sheet)
    last_printed = openpyxl.utils.get_column_letter(len(PRINTED_COLUMNS))
    assert sheet.print_area == f"'{SHEET_CHECKLIST}'!$A$1:${last_printed}${max(rows.values())}"
    assert [c.key for c in PRINTED_COLUMNS] == ["item_id", "question", "answer", "note", "evidence", "expiry",
                                                "status", "verdict", "finding", "reviewer", "reviewed_on"]
    # the printed columns fit the page's width at that scale (Excel's column units)
    widths = [sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width
              for i in range(1, len(PRINTED_COLUMNS) + 1)]
    assert sum(widths) <= st.printable_units(True, len(widths))
    # every printed cell is at least 10 pt: 9 pt on paper at 90 %
    for r in list(rows.values())[:20]:
        for i in range(1, len(PRINTED_COLUMNS) + 1):
            assert sheet.cell(r, i).font.sz >= 10, (r, i)
    # each section after the first starts a page, so its heading stays with its rows
    sections = [r for r in range(FIRST_DATA_ROW, sheet.max_row + 1)
                if str(sheet.cell(r, COLUMN_INDEX["_key"]).value).startswith("section:")]
    assert len(sections) == len(sub.template.sections)
    assert sorted(b.id for b in sheet.row_breaks.brk) == [r - 1 for r in sections[1:]]
    # Japanese text gets room: the question column is wide and rows are tall enough to wrap
    assert sheet.column_dimensions["B"].width >= 25
    assert sheet.row_dimensions[rows["PHY-03"]].height > sheet.row_dimensions[rows["CERT-05"]].height
    assert sheet.cell(rows["AGR-01"], COLUMN_INDEX["question"]).alignment.wrap_text
    # status colours come from conditional formatting on the status and verdict columns
    ranges = {str(cf.sqref) for cf in sheet.conditional_formatting}
    status = openpyxl.utils.get_column_letter(COLUMN_INDEX["status"])
    assert any(r.startswith(f"{status}{FIRST_DATA_ROW}:") for r in ranges)
    for name in (SHEET_CHECKLIST, SHEET_SUMMARY, SHEET_PROBLEMS, SHEET_EVIDENCE, SHEET_LEGEND):
        ws = book[name]
        assert int(ws.page_setup.scale) == 90 and ws.protection.sheet is True, name
        # what is printed fits the page across, in Excel's and LibreOffice's column units
        last = openpyxl.utils.cell.range_boundaries(ws.print_area.split("!")[1].replace("$", ""))[2]
        widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width for i in range(1, last + 1)]
        assert sum(widths) <= st.printable_units(ws.page_setup.orientation == "landscape", last), name
    assert book[SHEET_EVIDENCE].page_setup.orientation == "landscape"
    assert book[SHEET_EVIDENCE].freeze_panes == f"A{FIRST_DATA_ROW}"
    props = book.properties
    assert props.creator == VENDOR
    assert "チェックリスト" in props.title
    custom = {p.name: p.value for p in book.custom_doc_props}
    assert custom["ccus-attest.submission_id"] == sub.submission_id
    assert custom["ccus-attest.template_sha256"] == sub.template.digest


def test_rows_carry_a_height_but_none_is_set_by_hand(sub, tmp_path):
    """LibreOffice draws a row at its stored height (it does not fit rows on opening), so
    every row carries an estimate; none is marked customHeight, so both applications grow
    a row when its text is edited."""
    out = tmp_path / "c.xlsx"
    write_checklist(sub, out, on=ON)
    with zipfile.ZipFile(out) as zf:
        sheet_xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "customHeight" not in sheet_xml
    assert sheet_xml.count(' ht="') >= len(sub.template.items)


def _values(sheet) -> list:
    return [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]


def _summary_table(sheet) -> dict[str, list]:
    """The 区分別 table of the summary sheet: first cell → the row's values."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == "区分\nSection")
    out = {}
    for row in rows[start + 1:]:
        if row[0] is None or not isinstance(row[1], int):
            break
        out[row[0]] = list(row)
    return out


def test_summary_counts_come_from_the_tally(book, sub):
    summary = _values(book[SHEET_SUMMARY])
    assert VENDOR in summary and sub.submission_id in summary
    assert f"{sub.template.id}　版 {sub.template.version}" in summary
    a = sub.assess(ON)
    ready = f"提出不可：不適合 {a.count(Outcome.NON_CONFORMING)} 件・未回答 {a.count(Outcome.UNANSWERED)} 件"
    assert a.count(Outcome.NON_CONFORMING) >= 1  # CERT-03's expired certificate
    assert any(isinstance(c, str) and c.startswith(ready) for c in summary)
    assert any(isinstance(c, str) and "署名前" in c for c in summary)  # not from a bundle
    assert a.ratio in summary
    table = _summary_table(book[SHEET_SUMMARY])
    overall = a.as_dict()["overall"]  # what `status --json` prints
    total = table["合計 Total"]
    assert total[1:9] == [overall["shown"], *(overall["outcomes"][k] for k in (
        "conforming", "needs_improvement", "non_conforming", "unanswered", "optional")),
        overall["required"], overall["complete"]]
    assert total[9] == pytest.approx(overall["ratio"], abs=1e-4)
    for progress in a.sections:
        row = next(v for k, v in table.items() if k.startswith(progress.section_id + "　"))
        d = progress.tally.as_dict()
        assert row[1:9] == [d["shown"], *(d["outcomes"][k] for k in (
            "conforming", "needs_improvement", "non_conforming", "unanswered", "optional")),
            d["required"], d["complete"]]
    # a section is green (適合) only when no item in it needs anything
    assert next(v for k, v in table.items() if k.startswith("TEC"))[10] == "要改善"   # TEC-05 is 一部
    assert next(v for k, v in table.items() if k.startswith("CERT"))[10] == "不適合"  # CERT-07 expired
    assert total[10] == "不適合"
    # and the outcome counts of every item, hidden ones included
    labels = [o.label.ja for o in OUTCOME_ORDER]
    rows = list(book[SHEET_SUMMARY].iter_rows(values_only=True))
    n = len(labels)
    i = next(i for i, row in enumerate(rows) if list(row[1:1 + n]) == labels)
    assert list(rows[i + 1][1:2 + n]) == [a.count(o) for o in OUTCOME_ORDER] + [len(sub.template.items)]


def test_problems_sheet_lists_every_problem_by_severity(book, sub):
    a = sub.assess(ON)
    rows = [r for r in book[SHEET_PROBLEMS].iter_rows(min_row=FIRST_DATA_ROW, values_only=True)
            if isinstance(r[0], int)]
    assert [(r[1], r[3]) for r in rows] == (
        [(p.item_id, "提出を妨げる") for p in a.blockers] + [(p.item_id, "要改善") for p in a.improvements]
        + [(p.item_id, "注意") for p in a.warnings])
    improvements = [r for r in rows if r[3] == "要改善"]
    assert {r[1] for r in improvements} >= {"TEC-05", "GOV-08", "INC-05"}   # the needs-improvement list
    assert all(r[4] == "要改善" for r in improvements)
    assert not any("evidence" in str(r[5]) or "(report" in str(r[5]) for r in rows)  # no codes in Japanese


def test_evidence_sheet_and_dates(book, sub):
    evidence = book[SHEET_EVIDENCE]
    header = [evidence.cell(HEADER_ROW, c).value.split("\n")[0] for c in range(1, 14)]
    col = {name: header.index(name) + 1 for name in header}
    rows = range(FIRST_DATA_ROW, evidence.max_row + 1)
    assert [evidence.cell(r, col["SHA-256"]).value for r in rows] == [e.sha256 for e in sub.evidence]
    paths = [evidence.cell(r, col["格納場所"]).value for r in rows]
    assert paths == [sub.evidence_path(e) for e in sub.evidence]
    # dates are real dates in one Japanese format, here and wherever a date is a cell
    cert = next(r for r in rows if evidence.cell(r, col["項目ID"]).value == "CERT-03")
    expires = evidence.cell(cert, col["有効期限"])
    assert isinstance(expires.value, dt.datetime) and expires.number_format == EXCEL_DATE_FORMAT
    assert evidence.cell(cert, col["発行日"]).number_format == EXCEL_DATE_FORMAT
    sheet = book[SHEET_CHECKLIST]
    assert sheet.cell(FIRST_DATA_ROW + 1, COLUMN_INDEX["reviewed_on"]).number_format == EXCEL_DATE_FORMAT
    on = next(c for row in book[SHEET_SUMMARY].iter_rows() for c in row
              if c.value == dt.datetime(2026, 11, 25))
    assert on.number_format == EXCEL_DATE_FORMAT
    assert EXCEL_DATE_FORMAT == 'yyyy"年"m"月"d"日"'


def test_legend_sheet(book):
    legend = book[SHEET_LEGEND]
    cells = {c.value: c for row in legend.iter_rows() for c in row if isinstance(c.value, str)}
    for outcome in OUTCOME_ORDER:   # each colour is named and explained
        cell = cells[outcome.label.ja]
        assert cell.fill.fgColor.rgb.endswith(TONE_HEX[outcome.tone][0]), outcome
    text = " ".join(cells)
    for phrase in ("判定", "指摘事項", "確認者", "確認日", "シート保護", "パスワードなし", "2026年12月1日",
                   "印刷", "9pt"):
        assert phrase in text, phrase


def test_signer_from_a_bundle_is_shown(sub):
    from dataclasses import replace

    bundled = replace(sub, signer_key_id=SIGNER, origin="bundle", extra={})
    out = io.BytesIO()  # a binary file object, as the bundle exporter passes
    write_checklist(bundled, out, on=ON)
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    values = [c for row in book[SHEET_SUMMARY].iter_rows(values_only=True) for c in row]
    assert SIGNER in values


def test_vendor_text_is_never_a_formula(sub, tmp_path):
    from dataclasses import replace

    from questionnaire import Answer

    answers = dict(sub.answers)
    answers["GOV-03"] = Answer('=HYPERLINK("http://evil.example","click")', "=1+1\r\nline", None)
    tricky = replace(sub, answers=answers, extra={})
    out = tmp_path / "c.xlsx"
    write_checklist(tricky, out, on=ON)
    with zipfile.ZipFile(out) as zf:
        sheet_xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    sheet = openpyxl.load_workbook(out)[SHEET_CHECKLIST]
    r = item_rows(sheet)["GOV-03"]
    cell = sheet.cell(r, COLUMN_INDEX["answer"])
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    assert sheet.cell(r, COLUMN_INDEX["note"]).value == "=1+1\nline"
    assert [p.name for p in tmp_path.iterdir()] == ["c.xlsx"]  # no temporary file left behind


def test_reviews_prefill_reviewer_columns(sub):
    from exports.rows import build_rows

    rows = {r.item.id: r for b in build_rows(sub, sub.assess(ON)) for r in b.rows}
    reviews = {
        "AGR-01": Finding("AGR-01", Verdict.NONCONFORMING, "規約の版が古い", "監査 一郎",
                          dt.date(2026, 12, 1), rows["AGR-01"].fingerprint),
        # reviewed when the answer was different: shown on 「確認結果」, not beside the new answer
        "TEC-05": Finding("TEC-05", Verdict.CONFORMS, "確認済み", "監査 一郎", dt.date(2026, 12, 1),
                          "0" * 64),
    }
    out = io.BytesIO()
    write_checklist(sub, out, on=ON, reviews=reviews)
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    sheet = book[SHEET_CHECKLIST]
    r = item_rows(sheet)
    keys = ("verdict", "finding", "reviewer", "reviewed_on")
    values = [sheet.cell(r["AGR-01"], COLUMN_INDEX[k]).value for k in keys]
    assert values == ["不適合", "規約の版が古い", "監査 一郎", dt.datetime(2026, 12, 1)]
    assert [sheet.cell(r["TEC-05"], COLUMN_INDEX[k]).value for k in keys] == [None] * 4
    review_rows = {row[0]: row for row in
                   book[SHEET_REVIEW].iter_rows(min_row=FIRST_DATA_ROW, values_only=True)}
    assert review_rows["AGR-01"][1:6] == ("不適合", "規約の版が古い", "監査 一郎", dt.datetime(2026, 12, 1),
                                          "なし")
    assert review_rows["TEC-05"][1] == "適合" and review_rows["TEC-05"][5].startswith("変更あり")
    assert book.sheetnames.index(SHEET_REVIEW) == book.sheetnames.index(SHEET_PROBLEMS) + 1


def _first_line(cell) -> str:
    return str(cell.value or "").split("\n")[0]


def _rule_fill(sheet, cell) -> str | None:
    """The fill a cell gets from the sheet's conditional formatting, evaluated as Excel does for
    the rules this app writes (LEFT(cell,n)="text"; the first matching rule wins)."""
    import re

    for cf in sheet.conditional_formatting:
        if not any(cell.coordinate in rng for rng in cf.sqref.ranges):
            continue
        for rule in cf.rules:
            m = re.fullmatch(r'LEFT\(\w+,(\d+)\)="(.*)"', rule.formula[0]) if rule.formula else None
            assert m or rule.type != "expression", rule.formula
            if m and str(cell.value or "")[: int(m.group(1))] == m.group(2):
                return rule.dxf.fill.fgColor.rgb[-6:] if rule.dxf and rule.dxf.fill else None
    return None


def test_no_is_never_drawn_or_counted_as_conforming(default_ws, tmp_path):
    """Every status item answered いいえ (with its note and evidence): no 適合 in its status cell,
    no green from the rule that colours it, no conforming count for it in the summary."""
    from questionnaire import AnswerKind

    ws = default_ws
    status_items = [i for i in ws.template.items if i.kind is AnswerKind.STATUS]
    ws.set_answers({i.id: {"value": "no", "note": "未対応。2027年3月までに対応予定"} for i in status_items})
    sub = ws.submission(created_at="2026-11-25T09:00:00Z")
    a = sub.assess(ON)
    # no status item of the default template expects いいえ (issue 11 §1)
    no_fails = [i for i in status_items if "no" not in (i.expected or ())]
    assert no_fails == status_items
    out = tmp_path / "no.xlsx"
    write_checklist(sub, out, on=ON)
    book = openpyxl.load_workbook(out)
    sheet = book[SHEET_CHECKLIST]
    rows = item_rows(sheet)
    green = TONE_HEX[Tone.GOOD][0]
    for item in no_fails:
        cell = sheet.cell(rows[item.id], COLUMN_INDEX["status"])
        shown = _first_line(cell)
        if not a.items[item.id].visible:
            assert shown == "対象外"
            continue
        assert shown in ("不適合", "要改善"), (item.id, shown)
        assert _rule_fill(sheet, cell) != green, item.id
        assert _rule_fill(sheet, cell) == TONE_HEX[a.items[item.id].outcome.tone][0]
    conforming = a.count(Outcome.CONFORMING)
    assert conforming == sum(1 for st_ in a.items.values() if st_.outcome is Outcome.CONFORMING
                             and st_.item not in no_fails)
    total = _summary_table(book[SHEET_SUMMARY])["合計 Total"]
    assert total[2] == conforming and total[10] != "適合"

