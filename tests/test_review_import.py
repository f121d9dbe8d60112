"""Reading a reviewed checklist back: findings, tampering, other submissions, hostile files."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import zipfile
from dataclasses import replace

import openpyxl
import pytest

from exports import review as review_mod
from exports import zipcheck
from exports.checklist import write_checklist
from exports.checklist_columns import COLUMN_INDEX, SHEET_BINDING
from exports.review import read_review
from questionnaire import Answer
from questionnaire.review import ProblemKind, ReviewError, Verdict

from .samples import ON, fill_review, filled_submission


@pytest.fixture(scope="module")
def sub(tmp_path_factory):
    return filled_submission(tmp_path_factory.mktemp("filled"))


@pytest.fixture(scope="module")
def checklist(sub, tmp_path_factory):
    out = tmp_path_factory.mktemp("xlsx") / "checklist.xlsx"
    write_checklist(sub, out, on=ON)
    return out


def kinds(review) -> list[tuple[ProblemKind, str | None, str | None]]:
    return [(p.kind, p.item_id, p.column) for p in review.problems]


GOOD_ENTRIES = {
    "AGR-01": {"verdict": "適合", "finding": "最新版への同意を確認", "reviewer": "監査 一郎",
               "reviewed_on": dt.date(2026, 12, 1)},
    "TEC-05": {"verdict": "不適合", "finding": "VPN の多要素認証が未導入。\n是正計画の提出を求める。",
               "reviewer": "監査 一郎", "reviewed_on": "2026/12/02"},
    "GOV-08": {"verdict": "要確認", "reviewer": 1234},
    "PHY-08": {"finding": "現地確認で問題なし"},
}


def test_untouched_workbook_has_no_findings_and_no_problems(sub, checklist):
    review = read_review(sub, checklist)
    assert review.findings == () and review.problems == ()
    assert review.submission_id == sub.submission_id
    assert (review.template_id, review.template_version) == (sub.template.id, sub.template.version)
    assert review.checklist_on == ON.isoformat()


def test_filled_review_round_trips(sub, checklist, tmp_path):
    filled = fill_review(checklist, tmp_path / "r.xlsx", GOOD_ENTRIES)
    review = read_review(sub, filled)
    assert review.problems == ()
    found = review.findings_by_item()
    assert list(found) == ["AGR-01", "GOV-08", "PHY-08", "TEC-05"]  # in template order
    assert found["AGR-01"].verdict is Verdict.CONFORMS
    assert found["AGR-01"].reviewed_on == dt.date(2026, 12, 1)
    assert found["TEC-05"].verdict is Verdict.NONCONFORMING
    assert found["TEC-05"].comment == "VPN の多要素認証が未導入。\n是正計画の提出を求める。"
    assert found["TEC-05"].reviewed_on == dt.date(2026, 12, 2)   # typed as text, read as a date
    assert found["GOV-08"].reviewer == "1234"                     # a number typed as a name
    assert found["PHY-08"].verdict is None and found["PHY-08"].comment == "現地確認で問題なし"
    assert review.counts() == {"conforms": 1, "nonconforming": 1, "needs_check": 1, "not_applicable": 0}
    assert review.source_sha256 and review.source_name == "r.xlsx"


def test_altered_answer_cell_is_reported_not_imported(sub, checklist, tmp_path):
    def edit(sheet, rows):
        sheet.cell(rows["TEC-05"], COLUMN_INDEX["answer"]).value = "はい"
        sheet.cell(rows["AGR-02"], COLUMN_INDEX["evidence"]).value = "① 偽の証跡.pdf"

    filled = fill_review(checklist, tmp_path / "r.xlsx", GOOD_ENTRIES, edit)
    review = read_review(sub, filled)
    assert (ProblemKind.CELL_ALTERED, "TEC-05", "回答") in kinds(review)
    assert (ProblemKind.CELL_ALTERED, "AGR-02", "証跡") in kinds(review)
    detail = next(p.detail for p in review.problems if p.item_id == "TEC-05")
    assert detail == "「一部」→「はい」"
    assert "TEC-05" not in review.findings_by_item()        # the tampered row's finding is left out
    assert "AGR-01" in review.findings_by_item()            # sound rows still read
    assert not review.refused
    message = next(p.message("ja") for p in review.problems if p.item_id == "TEC-05")
    assert message.endswith("TEC-05 「回答」: 提出者の記入欄が変更されています (「一部」→「はい」)")


def test_answer_changed_since_the_checklist(sub, checklist):
    answers = dict(sub.answers)
    answers["AGR-01"] = Answer("no", "見直し中", None)
    changed = replace(sub, answers=answers, extra={})
    review = read_review(changed, checklist)
    assert kinds(review) == [(ProblemKind.ANSWER_CHANGED, "AGR-01", None)]


def test_other_submission_and_template_are_refused(sub, checklist, tmp_path, mini_ws):
    other = replace(sub, submission_id="someone-else", extra={})
    review = read_review(other, checklist)
    assert review.refused and review.findings == ()
    assert kinds(review) == [(ProblemKind.OTHER_SUBMISSION, None, None)]
    # ...unless the workspace knows it sent its answers out under that ID
    assert read_review(other, checklist, known_submission_ids={sub.submission_id}).problems == ()

    mini = tmp_path / "mini.xlsx"
    write_checklist(mini_ws.submission(), mini, on=ON)
    review = read_review(sub, mini)
    assert review.refused
    assert {p.kind for p in review.problems} == {ProblemKind.OTHER_TEMPLATE, ProblemKind.OTHER_SUBMISSION}


def test_rows_and_columns_missing_or_duplicated(sub, checklist, tmp_path):
    def drop_row(sheet, rows):
        sheet.delete_rows(rows["AGR-03"])
        last = sheet.max_row + 1
        for col in range(1, sheet.max_column + 1):  # AGR-01 copied to the end
            sheet.cell(last, col).value = sheet.cell(rows["AGR-01"], col).value

    review = read_review(sub, fill_review(checklist, tmp_path / "a.xlsx", GOOD_ENTRIES, drop_row))
    assert (ProblemKind.MISSING_ROW, "AGR-03", None) in kinds(review)
    assert any(k == ProblemKind.DUPLICATE_ROW and i == "AGR-01" for k, i, _ in kinds(review))
    assert "AGR-01" not in review.findings_by_item()

    review = read_review(sub, fill_review(
        checklist, tmp_path / "b.xlsx", {}, lambda sheet, rows: sheet.delete_cols(COLUMN_INDEX["verdict"])))
    assert review.refused and (ProblemKind.MISSING_COLUMN, None, "判定") in kinds(review)

    wb = openpyxl.load_workbook(checklist)
    del wb[SHEET_BINDING]
    wb.save(tmp_path / "c.xlsx")
    review = read_review(sub, tmp_path / "c.xlsx")
    assert review.refused and review.problems[0].kind is ProblemKind.NOT_A_CHECKLIST


def test_formulas_errors_and_wrong_types_are_per_row_errors(sub, checklist, tmp_path):
    entries = {
        "AGR-01": {"verdict": "=IF(1,\"適合\")"},          # a formula where a verdict goes
        "AGR-02": {"finding": "=HYPERLINK(\"http://x\")"},
        "AGR-03": {"reviewed_on": "昨日"},                    # text in a date column
        "AGR-04": {"reviewed_on": True},                      # a boolean in a date column
        "AGR-05": {"verdict": "OK"},                          # not one of the list
        "AGR-06": {"verdict": "#N/A"},                        # an Excel error value
        "CERT-01": {"finding": False},
        "CERT-03": {"verdict": "適合"},                       # sound
    }

    def vendor_formula(sheet, rows):
        sheet.cell(rows["CERT-04"], COLUMN_INDEX["note"]).value = "=1+1"

    review = read_review(sub, fill_review(checklist, tmp_path / "r.xlsx", entries, vendor_formula))
    got = kinds(review)
    assert (ProblemKind.FORMULA, "AGR-01", "判定") in got
    assert (ProblemKind.FORMULA, "AGR-02", "指摘事項") in got
    assert (ProblemKind.BAD_VALUE, "AGR-03", "確認日") in got
    assert (ProblemKind.BAD_VALUE, "AGR-04", "確認日") in got
    assert (ProblemKind.BAD_VALUE, "AGR-05", "判定") in got
    assert (ProblemKind.BAD_VALUE, "AGR-06", "判定") in got
    assert (ProblemKind.BAD_VALUE, "CERT-01", "指摘事項") in got
    assert (ProblemKind.FORMULA, "CERT-04", "備考") in got
    assert list(review.findings_by_item()) == ["CERT-03"]
    assert all(p.message("en") and p.message("ja") for p in review.problems)


def test_entries_outside_item_rows_are_reported(sub, checklist, tmp_path):
    def section_entry(sheet, rows):
        section_row = rows["AGR-01"] - 1
        sheet.cell(section_row, COLUMN_INDEX["finding"]).value = "区分全体について"

    review = read_review(sub, fill_review(checklist, tmp_path / "r.xlsx", {}, section_entry))
    assert [p.kind for p in review.problems] == [ProblemKind.UNKNOWN_ROW]


def test_tricky_vendor_text_round_trips_unchanged(sub, tmp_path):
    answers = dict(sub.answers)
    # as a hostile answers.json could carry them: formulas, XML escapes, controls, a lone surrogate
    answers["GOV-03"] = Answer("=SUM(A1) _x0041_ \t 😀 'x <b>&amp; \x00\x07 \ud800",
                               "  先頭と末尾の空白  \r\n二行目\r三行目", None)
    tricky = replace(sub, answers=answers, extra={})
    out = tmp_path / "c.xlsx"
    write_checklist(tricky, out, on=ON)
    filled = fill_review(out, tmp_path / "r.xlsx", {"GOV-03": {"verdict": "適合"}})
    review = read_review(tricky, filled)
    assert review.problems == ()
    assert review.findings[0].item_id == "GOV-03"


# --- hostile files ------------------------------------------------------------------------


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _replace_member(xlsx: bytes, name: str, data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src:
        members = {i.filename: src.read(i.filename) for i in src.infolist()}
    members[name] = data
    return _zip(members)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="2">
<c r="A2" t="inlineStr"><is><t>format</t></is></c><c r="B2" t="inlineStr"><is><t>&lol9;</t></is></c>
</row></sheetData></worksheet>"""


def test_hostile_files_give_one_clear_error(sub, checklist, monkeypatch):
    good = checklist.read_bytes()
    cases = {
        "not a zip": (b"%PDF-1.7 not a workbook", "not an Excel workbook"),
        "empty": (b"", "not an Excel workbook"),
        "truncated": (good[: len(good) // 2], "not a readable .xlsx"),
        "zip bomb": (_zip({"[Content_Types].xml": b"x", "xl/workbook.xml": b"x",
                           "xl/worksheets/sheet1.xml": b"\0" * (20 * 1024 * 1024)}), "ZIP bomb"),
        "many parts": (_zip({f"p{i}": b"" for i in range(zipcheck.MAX_MEMBERS + 1)}), "parts"),
        "zip without workbook": (_zip({"[Content_Types].xml": b"x"}), "xl/workbook.xml is missing"),
        "broken xml": (_replace_member(good, "xl/workbook.xml", b"<workbook"), "cannot be read"),
        # the binding sheet (read first) as an XML entity bomb
        "entity bomb": (_replace_member(good, "xl/worksheets/sheet4.xml", BILLION_LAUGHS), "cannot be read"),
    }
    for name, (data, fragment) in cases.items():
        with pytest.raises(ReviewError, match=fragment):
            read_review(sub, io.BytesIO(data))
            pytest.fail(name)

    monkeypatch.setattr(zipcheck, "MAX_TOTAL_UNCOMPRESSED", 1024)
    with pytest.raises(ReviewError, match="would expand to more than"):
        read_review(sub, checklist)


def test_huge_sheets_are_capped(sub, checklist, tmp_path, monkeypatch):
    def grow(sheet, rows):
        for r in range(sheet.max_row + 1, sheet.max_row + 400):
            sheet.cell(r, 1).value = "x"

    big = fill_review(checklist, tmp_path / "big.xlsx", {}, grow)
    monkeypatch.setattr(review_mod, "MAX_SCAN_ROWS", 300)
    with pytest.raises(ReviewError, match="more than 300 rows"):
        read_review(sub, big)


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_a_workbook_saved_by_libreoffice_reads_back(sub, tmp_path):
    """An auditor on LibreOffice Calc: the re-saved workbook keeps its binding and findings."""
    from questionnaire.review import Finding

    src = tmp_path / "in" / "checklist.xlsx"
    src.parent.mkdir()
    write_checklist(sub, src, on=ON, reviews={"AGR-01": Finding("AGR-01", Verdict.CONFORMS, "確認済み",
                                                                 "監査 一郎", dt.date(2026, 12, 1))})
    subprocess.run(["libreoffice", "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
                    "--outdir", str(tmp_path / "out"), str(src)], capture_output=True, timeout=180,
                   check=True, env={**os.environ, "HOME": str(tmp_path)})
    review = read_review(sub, tmp_path / "out" / "checklist.xlsx")
    assert review.problems == ()
    [finding] = review.findings
    assert (finding.item_id, finding.verdict, finding.reviewed_on) == ("AGR-01", Verdict.CONFORMS,
                                                                       dt.date(2026, 12, 1))
