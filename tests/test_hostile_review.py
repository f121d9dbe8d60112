"""Hostile review workbooks (``exports.review.read_review`` / ``import-review``): a corpus
(tests/fixtures/hostile/reviews, made by make_reviews.py there) and hypothesis properties.

Whatever the workbook — a mutated ZIP, XML with entities or DTDs, absurd dimensions and
cell references, formulas, wrong cell types — reading it either gives a Review (whose
problems say what was not taken) or raises a one-line ReviewError; nothing hangs
(deadlines, the watchdog); ``import-review`` writes nothing outside the target folder and
stores a review only when it was accepted.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from exports.checklist_columns import SHEET_CHECKLIST
from exports.review import read_review
from questionnaire.review import REVIEW_FILE, Review, ReviewError
from questionnaire.submission import load_submission_dir

from .conftest import FIXTURES
from .hostile_support import FAST, SLOW, apply_edits, byte_edits, one_line_error, run_main, sandbox, watchdog
from .samples import item_rows, sheet_columns

__all__ = ["sandbox", "watchdog"]  # fixtures, used by name

CORPUS = FIXTURES / "hostile" / "reviews"
# The corpus submission is of the mini test template: not an official one, accepted explicitly.
TEMPLATE = ("--template", str(FIXTURES / "templates" / "mini.yaml"))
INDEX = json.loads((CORPUS / "index.json").read_text("utf-8"))
VALID = (CORPUS / "valid.xlsx").read_bytes()
CHECKLIST_SHEET = "xl/worksheets/sheet1.xml"


@functools.cache
def _sub():
    return load_submission_dir(CORPUS / "submission")


def read(data: bytes) -> Review | None:
    """read_review on ``data``: a Review, or None after a one-line ReviewError."""
    try:
        review = read_review(_sub(), io.BytesIO(data))
    except ReviewError as exc:
        assert "\n" not in str(exc) and str(exc)
        return None
    for p in review.problems:
        assert p.message("ja") and p.message("en")
    for f in review.findings:  # what is taken is clean, bounded text
        assert all(ord(c) >= 32 or c == "\n" for c in f.comment + f.reviewer)
    return review


def outcome(review: Review | None) -> str:
    if review is None:
        return "error"
    return "refused" if review.refused else "problems" if review.problems else "ok"


# --- the corpus ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(INDEX), ids=lambda n: n.removesuffix(".xlsx"))
def test_corpus_workbook(name, sandbox):
    expected = INDEX[name]
    assert outcome(read((CORPUS / name).read_bytes())) == expected["outcome"], expected["why"]
    # the CLI, into a copy of the opened folder: one line and exit 1 unless accepted
    target = sandbox / "opened"
    shutil.copytree(CORPUS / "submission", target)
    code, _out, err = run_main("import-review", str(target), str(CORPUS / name), *TEMPLATE)
    stored = (target / REVIEW_FILE).exists()
    if expected["outcome"] == "ok":
        assert code == 0 and stored, err
        assert json.loads((target / REVIEW_FILE).read_text("utf-8"))["source"]["name"] == name
    else:
        assert one_line_error(code, err) and not stored, (code, err)
    assert sorted(p.name for p in target.iterdir()) == sorted(
        ["answers.json", "template.yaml", *([REVIEW_FILE] if stored else [])]
    )


def test_corpus_index_lists_every_file():
    assert sorted(p.name for p in CORPUS.glob("*.xlsx")) == sorted(INDEX)


def test_valid_corpus_workbook_has_its_findings():
    review = read(VALID)
    assert {f.item_id for f in review.findings} == {"AGR-01", "TEC-03"}


# --- the ZIP: any byte may change ------------------------------------------------------------


def _edits(size: int, hot: st.SearchStrategy[int]):
    return byte_edits(hot | st.integers(0, size - 1))


@FAST
@given(data=st.data())
def test_mutated_workbook_bytes(sandbox, data):
    # local headers and the central directory are where ZIP readers decide things
    hot = st.integers(0, 64) | st.integers(max(0, len(VALID) - 1500), len(VALID) - 1)
    read(apply_edits(VALID, data.draw(_edits(len(VALID), hot))))


def _parts() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(VALID)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def _rezip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


SNIPPETS = [
    b"<!DOCTYPE x [<!ENTITY e 'x'>]>",
    b"&e;",
    b"<!DOCTYPE x SYSTEM 'file:///etc/passwd'>",
    b"&#0;",
    b"&#x1F;",
    b'<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>',
    b'<row r="1048576">',
    b'<row r="0">',
    b'<row r="-5">',
    b'<c r="A0">',
    b'<c r="ZZZZ9">',
    b' t="e"',
    b' t="b"',
    b' t="d"',
    b' t="s"',
    b' t="n"',
    b' t="str"',
    b"<f>1/0</f>",
    b"<v>NaN</v>",
    b"<v>1e309</v>",
    b"<v>-1</v>",
    b"<v>" + b"9" * 40 + b"</v>",
    b' s="99999"',
    b"</c>",
    b"</row>",
    b"<sheetData>",
    b"<",
    b">",
    b"\xff\xfe",
    b"\x00",
    b"]]>",
    b"<![CDATA[x]]>",
    b'ref="A1:XFD1048576"',
    b"<?xml version='1.1'?>",
    b'xmlns="urn:x"',
    "判定".encode(),
]
TARGETS = [
    CHECKLIST_SHEET,
    "xl/worksheets/sheet4.xml",
    "xl/workbook.xml",
    "docProps/custom.xml",
    "xl/styles.xml",
    "[Content_Types].xml",
    "xl/_rels/workbook.xml.rels",
]


@FAST
@given(data=st.data())
def test_mutated_workbook_xml(sandbox, data):
    parts = _parts()
    for _ in range(data.draw(st.integers(1, 3))):
        name = data.draw(st.sampled_from(TARGETS))
        xml = parts[name]
        at = data.draw(st.integers(0, len(xml)))
        cut = data.draw(st.integers(0, 20))
        parts[name] = (
            xml[:at] + data.draw(st.sampled_from(SNIPPETS) | st.binary(max_size=10)) + xml[at + cut :]
        )
    read(_rezip(parts))


# --- the cells: what an auditor (or a script) could type ----------------------------------------

CELL_VALUES = (
    st.none()
    | st.booleans()
    | st.integers(-(10**18), 10**18)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=60)
    | st.sampled_from(
        [
            "=1+1",
            '=HYPERLINK("http://x")',
            "#N/A",
            "適合",
            " 不適合 ",
            "要確認",
            "該当なし",
            "2026-13-45",
            "2026/12/01",
            "0000-00-00",
        ]
    )
    | st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31))
    | st.dates(min_value=dt.date(1900, 3, 1))
    | st.times()
)
# the corpus was written before the 等級 column existed: its own header says where each column is
CORPUS_COLUMNS = sheet_columns(openpyxl.load_workbook(io.BytesIO(VALID))[SHEET_CHECKLIST])
COLUMNS = sorted(CORPUS_COLUMNS)


def _blank(value):
    """An empty string is written as an empty cell: the same as no value."""
    return None if isinstance(value, str) and not value else value


@functools.cache
def _rows() -> dict[str, int]:
    return item_rows(openpyxl.load_workbook(io.BytesIO(VALID))[SHEET_CHECKLIST])


@SLOW
@given(
    cells=st.lists(
        st.tuples(
            st.sampled_from(["AGR-01", "CERT-01", "TEC-03", "TEC-05"]), st.sampled_from(COLUMNS), CELL_VALUES
        ),
        min_size=1,
        max_size=6,
    )
)
def test_any_cell_values(sandbox, cells):
    from openpyxl.utils.exceptions import IllegalCharacterError

    from exports.checklist_columns import VENDOR_COLUMNS

    wb = openpyxl.load_workbook(io.BytesIO(VALID))
    sheet = wb[SHEET_CHECKLIST]
    rows = _rows()
    vendor = {c.key for c in VENDOR_COLUMNS} | {"_key", "_content", "_cells"}
    original = {}
    for item, column, value in cells:
        target = sheet.cell(rows[item], CORPUS_COLUMNS[column])
        original.setdefault((item, column), target.value)
        try:
            target.value = value
        except (ValueError, TypeError, IllegalCharacterError):
            assume(False)  # openpyxl refuses to write it: no workbook to read
    altered = {item for (item, column), before in original.items() if column in vendor
               and _blank(sheet.cell(rows[item], CORPUS_COLUMNS[column]).value) != _blank(before)}
    buf = io.BytesIO()
    try:
        wb.save(buf)
    except (ValueError, TypeError, OverflowError):
        assume(False)
    review = read(buf.getvalue())
    assert review is not None  # a workbook openpyxl wrote is readable: per-row problems, not errors
    # a row whose vendor side was changed never gives a finding
    assert not altered & {f.item_id for f in review.findings}, altered


# --- import-review through the CLI ---------------------------------------------------------------


@SLOW
@given(data=st.data())
def test_import_review_cli_writes_only_its_review(sandbox, data):
    target = sandbox / "opened"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(CORPUS / "submission", target)
    hot = st.integers(0, 64) | st.integers(max(0, len(VALID) - 1500), len(VALID) - 1)
    wb = sandbox / "r.xlsx"
    wb.write_bytes(apply_edits(VALID, data.draw(_edits(len(VALID), hot))))
    flags = data.draw(st.sampled_from([[], ["--skip-problem-rows"], ["--dry-run"], ["--json"]]))
    code, _out, err = run_main("import-review", str(target), str(wb), *flags, *TEMPLATE)
    assert code == 0 or one_line_error(code, err), (code, err)
    names = sorted(p.name for p in target.iterdir())
    stored = code == 0 and "--dry-run" not in flags
    assert names == sorted(["answers.json", "template.yaml", *([REVIEW_FILE] if stored else [])])
    if stored:  # what was stored reads back
        from exports.review import load_review_json

        assert load_review_json(target) is not None


def test_the_sandbox_catches_writes_outside(tmp_path):
    """Sanity for the rule above: a file beside the target is what the sandbox looks for."""
    from .hostile_support import listing

    before = listing(tmp_path, exclude=tmp_path / "target")
    (tmp_path / "stray.txt").write_text("x")
    assert listing(tmp_path, exclude=tmp_path / "target") != before
    Path(tmp_path / "stray.txt").unlink()
