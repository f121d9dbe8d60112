"""An item's basis, as one rendering, in the three places people read it: the checklist
(read back with openpyxl), the PDF report (text extracted by poppler) and the desktop item
view (a real widget, in both languages)."""

from __future__ import annotations

import re
import subprocess

import openpyxl
import pytest

from exports.checklist import write_checklist
from exports.checklist_columns import COLUMN_INDEX, SHEET_CHECKLIST
from exports.report import write_report
from questionnaire.basis import basis_label, basis_text

from .samples import ON, filled_submission, item_rows

# One item per kind of basis, and one whose basis mixes several.
SHOWN = {
    "AGR-10": "契約書 第2条2項",
    "PI-03": "個人情報保護法 第27条（旧第23条）",
    "INC-04": "個人情報保護法 第26条（2022年4月新設）",
    "HR-08": "ISO/IEC 27001:2022 附属書A 6.4",
    "TEC-07": "IPA「5分でできる！情報セキュリティ自社診断」 No.2",
    "PHY-09": "通則ガイドライン 10-7（外的環境の把握）",
    "AGR-05": "本テンプレートの解釈：",
}


@pytest.fixture(scope="module")
def sub(tmp_path_factory):
    return filled_submission(tmp_path_factory.mktemp("filled"))


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_checklist_basis_column(sub, tmp_path):
    out = tmp_path / "checklist.xlsx"
    write_checklist(sub, out, on=ON)
    sheet = openpyxl.load_workbook(out)[SHEET_CHECKLIST]
    rows = item_rows(sheet)
    for item in sub.template.items:
        assert sheet.cell(rows[item.id], COLUMN_INDEX["source"]).value == basis_text(item, "ja"), item.id
    for item_id, fragment in SHOWN.items():
        assert fragment in sheet.cell(rows[item_id], COLUMN_INDEX["source"]).value, item_id


@pytest.mark.tools
def test_report_names_every_items_basis(sub, tmp_path):
    out = tmp_path / "report.pdf"
    write_report(sub, out, on=ON)
    text = flat(subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True, text=True,
                               check=True).stdout)
    for item in sub.template.items:
        assert flat(basis_text(item, "ja")) in text, item.id
    for fragment in SHOWN.values():
        assert flat(fragment) in text


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_desktop_item_view_shows_the_basis(qtbot, default_ws, lang):
    from desktop import i18n
    from desktop.forms.item_widget import ItemWidget
    from desktop.session import WorkspaceSession

    i18n.install(lang)
    session = WorkspaceSession(default_ws)
    try:
        for item_id, fragment in SHOWN.items():
            item = default_ws.template.item(item_id)
            widget = ItemWidget(session, item)
            qtbot.addWidget(widget)
            assert widget.source_label.text() == basis_label(item, lang), item_id
            tip = widget.source_label.toolTip()  # the whole basis
            assert basis_text(item, lang) in tip
            assert fragment in tip  # in English the Japanese citation stays at hand
    finally:
        session.close()
        i18n.install("ja")
    pi03, agr05 = default_ws.template.item("PI-03"), default_ws.template.item("AGR-05")
    assert basis_label(pi03, "ja") == "契約書 第6条1項(6) ほか2件"
    assert basis_label(pi03, "en") == "Contract Art. 6(1)(6) and 2 more"
    assert basis_label(agr05, "ja") == "本テンプレートの解釈"
    assert basis_label(default_ws.template.item("AGR-06"), "ja") == "契約書 第10条1項①、②、③、⑥"
