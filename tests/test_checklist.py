"""The Excel checklist, read back with openpyxl as an auditor's Excel would see it."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from exports.checklist import write_checklist
from exports.checklist_columns import (
    COLUMN_INDEX,
    COLUMNS,
    FIRST_DATA_ROW,
    HEADER_ROW,
    SHEET_BINDING,
    SHEET_CHECKLIST,
    SHEET_EVIDENCE,
    SHEET_SUMMARY,
    Role,
)
from questionnaire.completeness import Outcome
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
    assert book.sheetnames == [SHEET_CHECKLIST, SHEET_SUMMARY, SHEET_EVIDENCE, SHEET_BINDING]
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
    assert "2026-10-31（期限切れ）" in sheet.cell(rows["CERT-03"], COLUMN_INDEX["expiry"]).value
    status = sheet.cell(rows["CERT-03"], COLUMN_INDEX["status"]).value
    assert status.startswith("不適合\n・証跡の有効期限が切れています")


def test_reviewer_columns_validated_and_unlocked(book):
    sheet = book[SHEET_CHECKLIST]
    rows = item_rows(sheet)
    last = max(rows.values())
    verdict_col = openpyxl.utils.get_column_letter(COLUMN_INDEX["verdict"])
    date_col = openpyxl.utils.get_column_letter(COLUMN_INDEX["reviewed_on"])
    by_type = {}
    for dv in sheet.data_validations.dataValidation:
        by_type[dv.type] = dv
    lists = by_type["list"]
    assert lists.formula1 == '"適合,不適合,要確認,該当なし"'
    assert str(lists.sqref) == f"{verdict_col}{FIRST_DATA_ROW}:{verdict_col}{last}"
    assert lists.showErrorMessage
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
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert (int(sheet.page_setup.fitToWidth), int(sheet.page_setup.fitToHeight)) == (1, 0)
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert "&P / &N ページ" in sheet.oddFooter.center.text
    # Japanese text gets room: the question column is wide and rows are tall enough to wrap
    assert sheet.column_dimensions["C"].width >= 30
    rows = item_rows(sheet)
    assert sheet.row_dimensions[rows["PHY-03"]].height > sheet.row_dimensions[rows["CERT-05"]].height
    assert sheet.cell(rows["AGR-01"], COLUMN_INDEX["question"]).alignment.wrap_text
    # status colours come from conditional formatting on the status and verdict columns
    ranges = {str(cf.sqref) for cf in sheet.conditional_formatting}
    status = openpyxl.utils.get_column_letter(COLUMN_INDEX["status"])
    assert any(r.startswith(f"{status}{FIRST_DATA_ROW}:") for r in ranges)
    for name in (SHEET_SUMMARY, SHEET_EVIDENCE):
        assert book[name].page_setup.orientation == "landscape"
        assert book[name].protection.sheet is True
    assert book[SHEET_EVIDENCE].freeze_panes == f"A{FIRST_DATA_ROW}"
    props = book.properties
    assert props.creator == VENDOR
    assert "チェックリスト" in props.title
    custom = {p.name: p.value for p in book.custom_doc_props}
    assert custom["ccus-attest.submission_id"] == sub.submission_id
    assert custom["ccus-attest.template_sha256"] == sub.template.digest


def test_summary_and_evidence_sheets(book, sub):
    summary = [c for row in book[SHEET_SUMMARY].iter_rows(values_only=True) for c in row if c is not None]
    assert VENDOR in summary and sub.submission_id in summary
    assert f"{sub.template.id}　版 {sub.template.version}" in summary
    a = sub.assess(ON)
    ready = f"提出不可：不適合 {a.count(Outcome.NON_CONFORMING)} 件・未回答 {a.count(Outcome.UNANSWERED)} 件"
    assert a.count(Outcome.NON_CONFORMING) >= 1  # CERT-03's expired certificate
    assert any(isinstance(c, str) and c.startswith(ready) for c in summary)
    assert any(isinstance(c, str) and "署名前" in c for c in summary)  # not from a bundle
    assert sub.assess(ON).ratio in summary
    evidence = book[SHEET_EVIDENCE]
    hashes = [evidence.cell(r, 12).value for r in range(FIRST_DATA_ROW, evidence.max_row + 1)]
    assert hashes == [e.sha256 for e in sub.evidence]
    assert evidence.cell(FIRST_DATA_ROW, 9).value is None or isinstance(
        evidence.cell(FIRST_DATA_ROW, 9).value, dt.datetime)
    paths = [evidence.cell(r, 13).value for r in range(FIRST_DATA_ROW, evidence.max_row + 1)]
    assert paths == [sub.evidence_path(e) for e in sub.evidence]


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
    reviews = {"AGR-01": Finding("AGR-01", Verdict.NONCONFORMING, "規約の版が古い", "監査 一郎",
                                 dt.date(2026, 12, 1))}
    out = io.BytesIO()
    write_checklist(sub, out, on=ON, reviews=reviews)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue()))[SHEET_CHECKLIST]
    r = item_rows(sheet)["AGR-01"]
    values = [sheet.cell(r, COLUMN_INDEX[k]).value for k in ("verdict", "finding", "reviewer", "reviewed_on")]
    assert values == ["不適合", "規約の版が古い", "監査 一郎", dt.datetime(2026, 12, 1)]
