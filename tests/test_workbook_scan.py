"""The scan of a bundled checklist.xlsx (exports/bundle_documents.py) on workbooks built here:
what it reads (the binding, through shared strings and document properties) and what it
refuses (DTDs, entities, formulas, links), part by part — the scan streams every XML part
through expat with defusedxml's guards, so each kind of part is tried."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty

from exports.bundle_documents import BINDING_PREFIX, workbook_problems
from exports.checklist_columns import CHECKLIST_FORMAT, SHEET_BINDING

SID = "0f0e0d0c-0b0a-4098-8765-43210fedcba9"


def _workbook(binding: dict[str, str], properties: dict[str, str] | None = None) -> bytes:
    wb = Workbook()
    wb.active["A1"] = "チェックリスト"
    ws = wb.create_sheet(SHEET_BINDING)
    ws["A1"], ws["B1"] = "key", "value"
    for r, (k, v) in enumerate(binding.items(), 2):
        ws[f"A{r}"], ws[f"B{r}"] = k, v
    for k, v in (properties or {}).items():
        wb.custom_doc_props.append(StringProperty(name=BINDING_PREFIX + k, value=v))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _edit(data: bytes, name: str, edit) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        for n in names:
            body = src.read(n)
            dst.writestr(n, edit(body) if n == name else body)
        if name not in names:
            dst.writestr(name, edit(b""))
    return out.getvalue()


def _problems(data: bytes, sid: str | None = SID) -> list[str]:
    return workbook_problems(data, submission_id=sid, template=None, signer_key_id=None)


GOOD = {"format": CHECKLIST_FORMAT, "submission_id": SID}


def test_the_binding_is_read_from_shared_strings_and_properties():
    assert _problems(_workbook(GOOD, {"submission_id": SID})) == []
    other = _problems(_workbook({**GOOD, "submission_id": "another"}))
    assert other == [f"binding: it was made for submission another, not {SID}"]
    disagree = _problems(_workbook(GOOD, {"submission_id": "another"}))
    assert "binding: the document property submission_id disagrees with the binding sheet" in disagree
    assert _problems(_workbook({})) == [f"binding: the workbook has no binding (sheet {SHEET_BINDING}): "
                                        "the app did not make it"]


def _shared(data: bytes, strings: list[bytes]) -> bytes:
    """The binding sheet's text cells as shared strings (``strings``: each <si>'s content, in
    order of the cells), the way Excel saves a workbook."""
    import re

    cells = iter(range(len(strings)))

    def to_shared(body: bytes) -> bytes:
        return re.sub(rb't="inlineStr"><is><t>[^<]*</t></is>', lambda m: b't="s"><v>%d</v>' % next(cells),
                      body)
    data = _edit(data, "xl/worksheets/sheet2.xml", to_shared)
    sst = b"<sst xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'>%s</sst>" % b"".join(
        b"<si>%s</si>" % s for s in strings)
    return _edit(data, "xl/sharedStrings.xml", lambda _: sst)


def test_the_binding_is_read_through_shared_strings_rich_text_included():
    plain = [b"<t>key</t>", b"<t>value</t>", b"<t>format</t>", f"<t>{CHECKLIST_FORMAT}</t>".encode(),
             b"<t>submission_id</t>"]
    rich = f"<r><t>{SID[:8]}</t></r><r><rPr><b/></rPr><t>{SID[8:]}</t></r>".encode()
    assert _problems(_shared(_workbook(GOOD), [*plain, rich])) == []
    other = f"<r><t>{SID[:8]}</t></r><r><t>X{SID[9:]}</t></r>".encode()
    assert _problems(_shared(_workbook(GOOD), [*plain, other])) == [
        f"binding: it was made for submission {SID[:8]}X{SID[9:]}, not {SID}"]


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml",
                                  "docProps/custom.xml", "[Content_Types].xml", "xl/_rels/workbook.xml.rels"])
@pytest.mark.parametrize(("prolog", "why"), [
    (b'<!DOCTYPE x [<!ENTITY a "aaaa">]>', "declares a DTD or entities"),
    (b'<!DOCTYPE x SYSTEM "http://evil.example/x.dtd">', "declares a DTD or entities"),
    (b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', "declares a DTD or entities"),
])
def test_a_part_with_a_dtd_or_entities_is_refused(part, prolog, why):
    def edit(body: bytes) -> bytes:
        head, sep, rest = body.partition(b"?>")
        return head + sep + prolog + rest if sep else prolog + body
    assert f"not-a-workbook: part {part} {why}" in _problems(_edit(_workbook(GOOD), part, edit))


def test_billion_laughs_is_refused_at_once():
    lol = b"".join(b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10))
    body = b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY l0 "ha">' + lol + b']><sst><si><t>&l9;</t></si></sst>'
    t = time.perf_counter()
    found = _problems(_edit(_workbook(GOOD), "xl/sharedStrings.xml", lambda _: body))
    assert "not-a-workbook: part xl/sharedStrings.xml declares a DTD or entities" in found
    assert time.perf_counter() - t < 5  # refused at the DOCTYPE, never expanded


@pytest.mark.parametrize("body", [b"<sst><si><t>&undeclared;</t></si></sst>", b"<sst><si><t>x</si></sst>",
                                  b"<sst><q:si/></sst>"])
def test_malformed_xml_is_refused(body):
    found = _problems(_edit(_workbook(GOOD), "xl/sharedStrings.xml", lambda _: body))
    assert "not-a-workbook: part xl/sharedStrings.xml is not well-formed XML" in found


def _sheet(extra: bytes) -> bytes:
    return _edit(_workbook(GOOD), "xl/worksheets/sheet1.xml",
                 lambda b: b.replace(b"</sheetData>", extra + b"</sheetData>", 1) if b"</sheetData>" in b
                 else b.replace(b"<sheetData/>", b"<sheetData>" + extra + b"</sheetData>"))


@pytest.mark.parametrize(("extra", "named"), [
    (b'<row r="7"><c r="C7"><f>HYPERLINK("https://evil.example/")</f><v>1</v></c></row>',
     'formula: cell C7 of xl/worksheets/sheet1.xml holds a formula (HYPERLINK("https://evil.example/"))'),
    (b'<row r="8"><c r="D8"><f>cmd|\' /c calc\'!A0</f></c></row>',
     "dde: a DDE call (cmd|' /c calc'!A0) in cell D8"),
    (b'<row r="9"><c r="E9"><f>[1]Sheet1!A1</f></c></row>',
     "external-link: a reference outside the workbook"),
])
def test_formulas_in_cells_are_named(extra, named):
    found = _problems(_sheet(extra))
    assert any(named in f for f in found), found


def test_validation_formulas_hyperlinks_and_defined_names_are_read():
    data = _edit(_workbook(GOOD), "xl/worksheets/sheet1.xml", lambda b: b.replace(
        b"</worksheet>", b'<dataValidations count="1"><dataValidation type="list" sqref="A1">'
                         b'<formula1>WEBSERVICE("https://evil.example/")</formula1></dataValidation>'
                         b'</dataValidations><hyperlinks><hyperlink ref="A1" '
                         b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
                         b'r:id="rId9"/></hyperlinks></worksheet>'))
    data = _edit(data, "xl/workbook.xml", lambda b: b.replace(
        b"</workbook>", b'<definedNames><definedName name="leak">WEBSERVICE("x")</definedName>'
                        b'<definedName name="_xlnm.Print_Area" localSheetId="0">Sheet!$A$1:$B$2</definedName>'
                        b"</definedNames></workbook>"))
    found = _problems(data)
    assert ('external-link: a reference outside the workbook (WEBSERVICE("https://evil.example/")) in '
            "xl/worksheets/sheet1.xml") in found
    assert "external-link: a hyperlink in xl/worksheets/sheet1.xml" in found
    assert 'formula: the defined name leak holds the function WEBSERVICE (WEBSERVICE("x"))' in found
    assert not any("Print_Area" in f for f in found)


def test_a_formula_element_deep_inside_anything_is_still_found():
    """The text checked is the element's own, as ElementTree gave it (before its first child)."""
    found = _problems(_sheet(b'<row r="3"><c r="A3"><is><t>x</t></is><f>SUM(A1)<x/>tail</f></c></row>'))
    assert "formula: cell A3 of xl/worksheets/sheet1.xml holds a formula (SUM(A1))" in found
