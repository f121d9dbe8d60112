"""The checklist on paper: LibreOffice prints the workbook to PDF as a reviewer's office suite
would, and poppler measures what came out.

How the printed text size is measured: in the PDF, a run of kanji is set in a full-width
font, so each character advances exactly one em; the width of such a run divided by its
length is the size of the text on paper (the print scale included).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from html import unescape

import pytest

from exports.checklist import write_checklist
from exports.checklist_columns import COLUMNS, PRINTED_COLUMNS

from .samples import ON, filled_submission

pytestmark = [pytest.mark.tools,
              pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")]

MIN_PRINTED_PT = 9.0
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


@pytest.fixture(scope="module")
def sub(tmp_path_factory):
    return filled_submission(tmp_path_factory.mktemp("filled"))


@pytest.fixture(scope="module")
def printed(sub, tmp_path_factory):
    """The whole workbook printed by LibreOffice: a list of pages, each a list of
    (text, xMin, yMin, xMax, yMax) words."""
    root = tmp_path_factory.mktemp("print")
    xlsx = root / "checklist.xlsx"
    write_checklist(sub, xlsx, on=ON)
    # a profile of its own: another soffice on the machine must not share (and lock) it
    subprocess.run(["soffice", f"-env:UserInstallation=file://{root / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(root), str(xlsx)],
                   capture_output=True, timeout=300, check=True, env={**os.environ, "HOME": str(root)})
    html = subprocess.run(["pdftotext", "-bbox", str(root / "checklist.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = []
    for chunk in html.split("<page ")[1:]:
        pages.append([(unescape(text), float(x0), float(y0), float(x1), float(y1))
                      for x0, y0, x1, y1, text in WORD.findall(chunk)])
    return pages


def _text(page) -> str:
    return " ".join(w[0] for w in page)


def _checklist_pages(pages):
    """Pages printed from the checklist sheet: any with one of its headers' English words
    (a column that spilled onto a page of its own counts too)."""
    english = {word for c in PRINTED_COLUMNS for word in c.en.split()} - {"Item", "ID"}
    return [p for p in pages if english & {w[0] for w in p} and "Kind" not in {w[0] for w in p}]


def _kanji_only(word: str) -> bool:
    return len(word) >= 2 and all("\u4e00" <= c <= "\u9fff" for c in word)


def test_body_text_is_at_least_9_pt_on_paper(printed):
    sizes = []
    for page in printed:   # every sheet: the checklist, the summary, the lists and the legend
        for text, x0, _y0, x1, _y1 in page:
            if _kanji_only(text):
                sizes.append((x1 - x0) / len(text))
    assert len(sizes) > 500
    assert min(sizes) >= MIN_PRINTED_PT - 0.05, min(sizes)
    assert all(unicodedata.east_asian_width(c) == "W" for c in "適合不適合")


def test_the_printed_columns_fit_across_one_page(printed, sub):
    pages = _checklist_pages(printed)
    assert pages
    first, last = PRINTED_COLUMNS[0], PRINTED_COLUMNS[-1]
    for page in pages:   # every page carries the whole header row: no column spilled to a page of its own
        words = {w[0] for w in page}
        assert {first.ja, last.ja} <= words, words & {c.ja for c in COLUMNS}
        assert "確認項目（英語）" not in words       # the screen-only columns are not printed
    printed_ids = {w[0] for p in pages for w in p}
    assert {i.id for i in sub.template.items} <= printed_ids


def test_each_section_heading_is_on_the_page_of_its_first_rows(printed, sub):
    pages = _checklist_pages(printed)
    for section in sub.template.sections:
        page = next(p for p in pages if any(w[0] == section.id for w in p))
        heading_y = next(w[2] for w in page if w[0] == section.id)
        first_item = section.items[0].id
        rows = [w for w in page if w[0] == first_item]
        assert rows and rows[0][2] > heading_y, section.id


def test_no_summary_table_is_split_across_pages(printed):
    summary = [p for p in printed if "サマリー" in _text(p) and "Summary" in _text(p)]
    assert len(summary) == 1
    text = _text(summary[0])
    for part in ("基本情報", "提出可否", "区分別の状態", "合計", "Total"):
        assert part in text, part
