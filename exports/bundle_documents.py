"""The vendor's own documents in a bundle: checklist.xlsx is inspected, never believed.

A bundle carries the checklist and the report the vendor's app rendered. The auditor's app
never presents them as the conclusion — it renders its own from the verified data (desktop,
CLI ``checklist``/``report``) — but the files sit in the opened folder, and a workbook can
act when opened: a formula can send data away (``HYPERLINK``, ``WEBSERVICE``), run a program
(DDE, ``=cmd|' /c …'!A0``), read a file share (UNC external references), a macro can do
anything. The app's writer (exports/checklist.py) writes none of that, so
``workbook_problems`` fails a bundled workbook that holds any, and one whose binding (the
very hidden sheet and the document properties, exports/checklist.py) names another
submission, another template or another signer.

The workbook is read as a ZIP of XML parts, bounded first (exports/zipcheck.py), with
defusedxml (no DTDs, no entities), element by element; nothing is evaluated. report.pdf is
only hashed: the app never opens it (docs/bundle-format.md).

Rules, as named in the findings: ``formula``, ``dde``, ``external-link``, ``macro``,
``embedded-object``, ``binding``, ``not-a-workbook``.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from questionnaire.review import ReviewError
from questionnaire.template import Template

from .checklist_columns import CHECKLIST_FORMAT, SHEET_BINDING
from .zipcheck import check_xlsx

BINDING_PREFIX = "ccus-attest."
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Functions the app's own conditional formats and validations use (exports/checklist.py,
# exports/styles.py); any other function in a workbook is not the app's.
ALLOWED_FUNCTIONS = frozenset({"LEFT", "ISNUMBER", "SEARCH"})
_TOKEN = re.compile(r"""
    \s+ | "(?:[^"]|"")*" | \d+(?:\.\d+)?(?:[eE][+-]?\d+)?
  | (?P<ref>\$?[A-Z]{1,3}\$?\d{1,7}(?::\$?[A-Z]{1,3}\$?\d{1,7})?)(?![A-Za-z0-9_(])
  | (?P<func>[A-Z][A-Z0-9.]*)\( | TRUE\b | FALSE\b | [()<>=,&+\-*/]
""", re.VERBOSE)
# Defined names the app writes: print areas, print titles, filters over its own sheets.
_AREA = r"(?:'[^'\[\]|\\]{1,31}'|[A-Za-z0-9_]{1,31})!\$?[A-Z]{0,3}\$?\d{0,7}(?::\$?[A-Z]{0,3}\$?\d{0,7})?"
_DEFINED_VALUE = re.compile(rf"{_AREA}(?:,{_AREA})*")
_DEFINED_NAMES = frozenset({"_xlnm.Print_Area", "_xlnm.Print_Titles", "_xlnm._FilterDatabase"})
_MACRO_TYPES = ("macroEnabled", "vbaProject", "ms-office.activeX", "ms-excel.controlproperties",
                "ms-excel.sheet.binary")
_RISKY_RELATIONSHIPS = {"externalLink": "external-link", "oleObject": "embedded-object",
                        "package": "embedded-object", "vbaProject": "macro",
                        "attachedTemplate": "external-link",
                        "control": "macro", "activeXControl": "macro", "dialogsheet": "macro",
                        "xlMacrosheet": "macro", "xlIntlMacrosheet": "macro"}
MAX_FINDINGS = 20
_CLEARED = frozenset({"row", "si", "property", "c", "Relationship", "definedName", "cfRule",
                      "dataValidation"})


@dataclass
class _Scan:
    problems: list[tuple[str, str]] = field(default_factory=list)
    shared: list[str] = field(default_factory=list)
    binding_part: str | None = None
    binding_cells: dict[str, str] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)

    def add(self, rule: str, detail: str) -> None:
        if len(self.problems) < MAX_FINDINGS and (rule, detail) not in self.problems:
            self.problems.append((rule, detail))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _short(text: str, n: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def formula_problem(text: str) -> tuple[str, str] | None:
    """Why a conditional-format or validation formula is not one the app writes; None if it is."""
    text = text.strip()
    if "|" in text:
        return "dde", f"a DDE call ({_short(text)})"
    if "[" in text or "\\\\" in text or "://" in text:
        return "external-link", f"a reference outside the workbook ({_short(text)})"
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            return "formula", f"a formula the app does not write ({_short(text)})"
        func = m.group("func")
        if func is not None and func not in ALLOWED_FUNCTIONS:
            return "formula", f"the function {func} ({_short(text)})"
        pos = m.end()
    return None


def workbook_problems(data: bytes, *, submission_id: str | None, template: Template | None,
                      signer_key_id: str | None, tick: Callable[[], None] = lambda: None,
                      name: str = "checklist.xlsx") -> list[str]:
    """Every reason ``data`` (a bundled checklist) is not a workbook the app wrote for this
    submission, as "rule: detail" lines; empty when there is none."""
    try:
        check_xlsx(data, name)
    except ReviewError as exc:
        return [f"not-a-workbook: {exc}"]
    scan = _Scan()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = [i.filename for i in zf.infolist()]
            _parts(zf, names, scan, tick)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        return [f"not-a-workbook: {name} cannot be read ({_short(exc, 100)})"]
    _check_binding(scan, submission_id, template, signer_key_id)
    return [f"{rule}: {detail}" for rule, detail in scan.problems]


def _parts(zf: zipfile.ZipFile, names: list[str], scan: _Scan, tick) -> None:
    for n in names:
        lower = n.lower()
        if lower.endswith(".bin") or "vbaproject" in lower or lower.startswith(("xl/macrosheets/",
                                                                                "xl/dialogsheets/")):
            scan.add("macro", f"part {_short(n)} (macros or a binary sheet)")
        elif lower.startswith(("xl/activex/", "xl/ctrlprops/")):
            scan.add("macro", f"part {_short(n)} (an ActiveX control)")
        elif lower.startswith("xl/externallinks/"):
            scan.add("external-link", f"part {_short(n)} (a link to another workbook or a DDE source)")
        elif lower.startswith("xl/embeddings/") or "oleobject" in lower:
            scan.add("embedded-object", f"part {_short(n)} (an embedded object)")
    # workbook.xml and its relationships first (they say which sheet is the binding),
    # the shared strings next (the binding's values are there), then everything else.
    first = ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml"]
    order = [n for n in first if n in names] + [n for n in names if n not in first]
    rels: dict[str, str] = {}
    binding_rid: list[str] = []
    for n in order:
        lower = n.lower()
        if not lower.endswith((".xml", ".rels", ".vml")):
            continue
        tick()
        try:
            _parse_part(zf, n, scan, rels, binding_rid, tick)
        except DefusedXmlException:
            scan.add("not-a-workbook", f"part {_short(n)} declares a DTD or entities")
        except (ParseError, RecursionError):
            scan.add("not-a-workbook", f"part {_short(n)} is not well-formed XML")
        if n == "xl/_rels/workbook.xml.rels" and binding_rid:
            target = rels.get(binding_rid[0])
            if target is not None:
                scan.binding_part = (target.lstrip("/") if target.startswith("/")
                                     else posixpath.normpath(posixpath.join("xl", target)))


def _parse_part(zf, n: str, scan: _Scan, rels: dict[str, str], binding_rid: list[str], tick) -> None:
    is_sheet = n.startswith("xl/worksheets/") and n.endswith(".xml")
    is_binding = n == scan.binding_part
    cell_ref = ""
    cell_type = ""
    count = 0
    with zf.open(n) as fh:
        for event, elem in iterparse(fh, events=("start", "end"), forbid_dtd=True):
            count += 1
            if count % 65536 == 0:
                tick()
            tag = _local(elem.tag)
            if event == "start":
                if tag == "c":
                    cell_ref, cell_type = elem.get("r", ""), elem.get("t", "")
                continue
            if n == "[Content_Types].xml" and tag in ("Default", "Override"):
                ctype = elem.get("ContentType", "")
                if any(m.lower() in ctype.lower() for m in _MACRO_TYPES):
                    scan.add("macro", f"content type {_short(ctype)}")
            elif n.endswith(".rels") and tag == "Relationship":
                kind = elem.get("Type", "").rsplit("/", 1)[-1]
                if elem.get("TargetMode", "") == "External":
                    scan.add("external-link", f"{_short(n)} points outside the workbook "
                                              f"({_short(elem.get('Target', ''))})")
                elif kind in _RISKY_RELATIONSHIPS:
                    scan.add(_RISKY_RELATIONSHIPS[kind], f"{_short(n)} refers to a {kind} part")
                if n == "xl/_rels/workbook.xml.rels":
                    rels[elem.get("Id", "")] = elem.get("Target", "")
            elif n == "xl/workbook.xml":
                if tag == "sheet" and elem.get("name") == SHEET_BINDING:
                    binding_rid.append(elem.get(f"{{{_REL_NS}}}id", ""))
                elif tag == "definedName":
                    _defined_name(scan, elem.get("name", ""), elem.text or "")
                elif tag == "externalReference":
                    scan.add("external-link", "the workbook refers to other workbooks")
            elif n == "xl/sharedStrings.xml" and tag == "si":
                scan.shared.append("".join(t.text or "" for t in elem.iter() if _local(t.tag) == "t"))
            elif n.startswith("xl/externalLinks/") and tag == "ddeLink":
                scan.add("dde", f"a DDE link to {_short(elem.get('ddeService', ''))}")
            elif is_sheet:
                if tag == "f":
                    where = f"cell {_short(cell_ref or '?', 12)} of {_short(n, 40)}"
                    scan.add("formula", f"{where} holds a formula ({_short(elem.text or '')})")
                    problem = formula_problem(elem.text or "")
                    if problem is not None and problem[0] != "formula":
                        scan.add(problem[0], f"{problem[1]} in {where}")
                elif tag in ("formula", "formula1", "formula2"):
                    problem = formula_problem(elem.text or "")
                    if problem is not None:
                        scan.add(problem[0], f"{problem[1]} in {_short(n, 40)}")
                elif tag == "hyperlink" and elem.get(f"{{{_REL_NS}}}id"):
                    scan.add("external-link", f"a hyperlink in {_short(n, 40)}")
                elif is_binding and tag == "c":
                    scan.binding_cells[cell_ref] = _cell_text(elem, cell_type, scan.shared)
            elif n == "docProps/custom.xml" and tag == "property":
                key = elem.get("name", "")
                if key.startswith(BINDING_PREFIX):
                    scan.properties[key[len(BINDING_PREFIX):]] = "".join(
                        t.text or "" for t in elem.iter() if t is not elem)
            if tag in _CLEARED:
                elem.clear()  # read: keep memory flat over big sheets


def _cell_text(elem, cell_type: str, shared: list[str]) -> str:
    if cell_type == "s":
        v = next((x.text for x in elem if _local(x.tag) == "v"), None)
        try:
            return shared[int(v or "")]
        except (ValueError, IndexError):
            return ""
    if cell_type == "inlineStr":
        return "".join(t.text or "" for t in elem.iter() if _local(t.tag) == "t")
    return ""  # numbers, booleans, formula results: the binding holds text only


def _defined_name(scan: _Scan, name: str, value: str) -> None:
    if name in _DEFINED_NAMES and _DEFINED_VALUE.fullmatch(value.strip()):
        return
    problem = formula_problem(value)
    rule, why = problem if problem is not None else ("formula", f"a formula ({_short(value)})")
    scan.add(rule, f"the defined name {_short(name, 40)} holds {why}")


def _check_binding(scan: _Scan, submission_id: str | None, template: Template | None,
                   signer_key_id: str | None) -> None:
    cells = scan.binding_cells
    sheet = {cells[f"A{r}"]: cells.get(f"B{r}", "") for r in range(2, 200) if cells.get(f"A{r}")}
    if not sheet and not scan.properties:
        scan.add("binding", f"the workbook has no binding (sheet {SHEET_BINDING}): the app did not make it")
        return
    for key in ("submission_id", "template_sha256", "signer_key_id"):
        if key in scan.properties and key in sheet and scan.properties[key] != sheet[key]:
            scan.add("binding", f"the document property {key} disagrees with the binding sheet")
    values = {**scan.properties, **sheet}
    if values.get("format") != CHECKLIST_FORMAT:
        scan.add("binding", f"the binding is not {CHECKLIST_FORMAT}")
    if submission_id is not None and values.get("submission_id") != submission_id:
        scan.add("binding", f"it was made for submission {_short(values.get('submission_id', '?'), 64)}, "
                            f"not {submission_id}")
    if template is not None:
        got = (values.get("template_id"), values.get("template_version"), values.get("template_sha256"))
        if got != (template.id, template.version, template.digest):
            scan.add("binding", f"it was made for template {_short(got[0] or '?', 40)} "
                                f"{_short(got[1] or '?', 20)}, not the {template.id} {template.version} "
                                "the submission is judged against")
    if signer_key_id is not None and values.get("signer_key_id") not in (signer_key_id, None):
        scan.add("binding", f"it names signer key {_short(values.get('signer_key_id', ''), 20)}, "
                            f"not {signer_key_id}")
