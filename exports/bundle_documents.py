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

The workbook is read as a ZIP of XML parts, bounded first (exports/zipcheck.py), each part
streamed through expat with defusedxml's guards (no DTD, so no entities), element by element;
nothing is evaluated. report.pdf is
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
from xml.parsers import expat
from xml.parsers.expat import ExpatError

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from questionnaire.review import ReviewError
from questionnaire.template import Template

from .checklist_columns import CHECKLIST_FORMAT, SHEET_BINDING
from .zipcheck import check_xlsx

BINDING_PREFIX = "ccus-attest."
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL_ID = _REL_NS + "}id"   # an r:id attribute as expat names it (namespace "}" local name)
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
            with zf.open(n) as fh:
                _PartScan(n, scan, rels, binding_rid, tick).parse(fh)
        except DefusedXmlException:
            scan.add("not-a-workbook", f"part {_short(n)} declares a DTD or entities")
        except (ExpatError, RecursionError):
            scan.add("not-a-workbook", f"part {_short(n)} is not well-formed XML")
        if n == "xl/_rels/workbook.xml.rels" and binding_rid:
            target = rels.get(binding_rid[0])
            if target is not None:
                scan.binding_part = (target.lstrip("/") if target.startswith("/")
                                     else posixpath.normpath(posixpath.join("xl", target)))


def _forbid_dtd(name, sysid, pubid, has_internal_subset):
    raise DTDForbidden(name, sysid, pubid)


def _forbid_entity(name, is_parameter_entity, value, base, sysid, pubid, notation_name):
    raise EntitiesForbidden(name, value, base, sysid, pubid, notation_name)


def _forbid_unparsed_entity(name, base, sysid, pubid, notation_name):
    raise EntitiesForbidden(name, None, base, sysid, pubid, notation_name)


def _forbid_external(context, base, sysid, pubid):
    raise ExternalReferenceForbidden(context, base, sysid, pubid)


def _part_kind(n: str) -> str:
    if n == "[Content_Types].xml":
        return "types"
    if n.endswith(".rels"):
        return "rels"
    if n == "xl/workbook.xml":
        return "workbook"
    if n == "xl/sharedStrings.xml":
        return "shared"
    if n.startswith("xl/externalLinks/"):
        return "external"
    if n.startswith("xl/worksheets/") and n.endswith(".xml"):
        return "sheet"
    if n == "docProps/custom.xml":
        return "custom"
    return "other"


class _Texts:
    """The texts of an open element's descendants (those ``wanted``), in document order, as
    ElementTree's ``elem.iter()`` gives them: a slot is taken when a descendant starts and
    filled with its text when it ends."""

    __slots__ = ("attrs", "depth", "parts", "role", "wanted")

    def __init__(self, depth: int, role: str, attrs: dict[str, str],
                 wanted: Callable[[str, int], bool]) -> None:
        self.depth = depth
        self.role = role
        self.attrs = attrs
        self.wanted = wanted
        self.parts: list[str] = []

    def text(self) -> str:
        return "".join(self.parts)


class _PartScan:
    """One XML part streamed through expat, with defusedxml's protections, element by element:
    linear in the part; nothing is kept but the texts the checks read.

    ElementTree's ``iterparse`` (what defusedxml offers) builds an Element for every node in
    pure Python: that was half of a 1,000-item bundle's verification. Here expat calls back
    when an element starts, and only the elements a check looks at cost more than a lookup:
    while one whose text is read is open, its ends and characters are followed too. The text
    a check reads is what ElementTree calls an element's text (the characters before its first
    child); the texts of the elements below ``si``, ``property`` and a binding cell are
    gathered in document order, as ``elem.iter()`` gave them."""

    def __init__(self, n: str, scan: _Scan, rels: dict[str, str], binding_rid: list[str], tick) -> None:
        self.n = n
        self.scan = scan
        self.rels = rels
        self.binding_rid = binding_rid
        self.tick = tick
        self.cell: dict[str, str] = {}          # the attributes of the last cell (<c>) that started
        self.p = None
        # Followed only while an element whose text is read is open ("active"):
        self.active = False
        self.depth = 0                          # below the outermost such element (it is 1)
        self.open: list[str] | None = None      # the text of the innermost element, while it has no child
        self.captures: list[list] = []          # [depth, parts, tag, attrs, slots] of elements read
        self.collectors: list[_Texts] = []
        kind = _part_kind(n)
        self.kind = kind
        self.is_binding = kind == "sheet" and n == scan.binding_part
        # what each kind of part looks at: tag -> "attrs" (checked when it starts), "text" (read
        # when it ends), "cell" (a cell's reference), or what a collector gathers
        self.wanted: dict[str, str] = {
            "sheet": {"c": "binding-cell" if self.is_binding else "cell", "f": "text", "formula": "text",
                      "formula1": "text", "formula2": "text", "hyperlink": "attrs"},
            "types": {"Default": "attrs", "Override": "attrs"},
            "rels": {"Relationship": "attrs"},
            "workbook": {"sheet": "attrs", "definedName": "text", "externalReference": "attrs"},
            "shared": {"si": "si"},
            "external": {"ddeLink": "attrs"},
            "custom": {"property": "property"},
        }.get(kind, {})

    def parse(self, fh) -> None:
        p = self.p = expat.ParserCreate(None, "}")
        # defusedxml's guards (DefusedXMLParser, forbid_dtd=True) on the expat parser itself: no
        # DOCTYPE at all, so no entity can be declared (billion laughs, external entities); an
        # undeclared entity reference is an expat error.
        p.StartDoctypeDeclHandler = _forbid_dtd
        p.EntityDeclHandler = _forbid_entity
        p.UnparsedEntityDeclHandler = _forbid_unparsed_entity
        p.ExternalEntityRefHandler = _forbid_external
        p.buffer_text = True
        p.StartElementHandler = self._fast_start()
        p.ParseFile(fh)

    def _fast_start(self):
        """The start handler, called for every element: local names only (a closure is
        measurably cheaper than attribute look-ups at 100,000s of elements)."""
        wanted = self.wanted.get
        tick = self.tick
        full = self.start
        count = 0

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal count
            count += 1
            if not count & 0xFFFF:
                tick()
            if self.active:
                full(name, attrs)
                return
            what = wanted(name[name.rfind("}") + 1:])
            if what is None:
                return
            if what == "cell":
                self.cell = attrs
                return
            full(name, attrs)
        return start

    def _activate(self) -> None:
        """An element whose text is read starts (the handler of its start is running): follow
        ends and characters from now until it ends."""
        if not self.active:
            self.active = True
            self.depth = 1
            self.p.EndElementHandler = self.end
            self.p.CharacterDataHandler = self.data

    def data(self, text: str) -> None:
        if self.open is not None:
            self.open.append(text)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = name[name.rfind("}") + 1:]
        slots = None
        if self.active:
            self.depth += 1
            self.open = None    # the parent's text ends at its first child
            for c in self.collectors:
                if c.wanted(tag, self.depth - c.depth):
                    if slots is None:
                        slots = []
                    slots.append((c, len(c.parts)))
                    c.parts.append("")
        what = self.wanted.get(tag)
        if what == "cell":
            self.cell = attrs
        elif what == "attrs":
            self._attrs(tag, attrs)
        elif what == "text":
            self._capture(tag, attrs, slots)
            return
        elif what is not None:
            if what == "binding-cell":
                self.cell = attrs
            self._collector(what, attrs)
        if slots is not None:
            self._capture(tag, attrs, slots)

    def _capture(self, tag: str, attrs: dict[str, str], slots) -> None:
        self._activate()
        self.open = []
        self.captures.append([self.depth, self.open, tag, attrs, slots])

    def _collector(self, role: str, attrs: dict[str, str]) -> None:
        self._activate()
        d = self.depth
        if role == "binding-cell":
            self.collectors.append(_Texts(d, "v", attrs, lambda t, rel: t == "v" and rel == 1))
            self.collectors.append(_Texts(d, "t", attrs, lambda t, rel: t == "t"))
        elif role == "si":
            self.collectors.append(_Texts(d, "si", attrs, lambda t, rel: t == "t"))
        else:
            self.collectors.append(_Texts(d, "property", attrs, lambda t, rel: True))

    def end(self, name: str) -> None:
        d = self.depth
        self.depth = d - 1
        self.open = None
        captures = self.captures
        if captures and captures[-1][0] == d:
            _, parts, tag, attrs, slots = captures.pop()
            text = "".join(parts)
            if slots:
                for c, i in slots:
                    c.parts[i] = text
            if self.wanted.get(tag) == "text":
                self._text(tag, attrs, text)
        collectors = self.collectors
        if collectors and collectors[-1].depth == d:
            owned: dict[str, _Texts] = {}
            while collectors and collectors[-1].depth == d:
                c = collectors.pop()
                owned[c.role] = c
            self._collected(owned)
        if d == 1:  # the outermost element read has ended: nothing is open any more
            self.active = False
            self.p.EndElementHandler = None
            self.p.CharacterDataHandler = None

    def _attrs(self, tag: str, attrs: dict[str, str]) -> None:
        scan, n, kind = self.scan, self.n, self.kind
        if kind == "sheet":
            if attrs.get(_REL_ID):  # a hyperlink with a relationship: a target outside the sheet
                scan.add("external-link", f"a hyperlink in {_short(n, 40)}")
        elif kind == "types":
            ctype = attrs.get("ContentType", "")
            if any(m.lower() in ctype.lower() for m in _MACRO_TYPES):
                scan.add("macro", f"content type {_short(ctype)}")
        elif kind == "rels":
            rel_kind = attrs.get("Type", "").rsplit("/", 1)[-1]
            if attrs.get("TargetMode", "") == "External":
                scan.add("external-link", f"{_short(n)} points outside the workbook "
                                          f"({_short(attrs.get('Target', ''))})")
            elif rel_kind in _RISKY_RELATIONSHIPS:
                scan.add(_RISKY_RELATIONSHIPS[rel_kind], f"{_short(n)} refers to a {rel_kind} part")
            if n == "xl/_rels/workbook.xml.rels":
                self.rels[attrs.get("Id", "")] = attrs.get("Target", "")
        elif kind == "workbook":
            if tag == "sheet":
                if attrs.get("name") == SHEET_BINDING:
                    self.binding_rid.append(attrs.get(_REL_ID, ""))
            else:  # externalReference
                scan.add("external-link", "the workbook refers to other workbooks")
        elif kind == "external":  # ddeLink
            scan.add("dde", f"a DDE link to {_short(attrs.get('ddeService', ''))}")

    def _text(self, tag: str, attrs: dict[str, str], text: str) -> None:
        scan, n = self.scan, self.n
        if tag == "f":
            where = f"cell {_short(self.cell.get('r') or '?', 12)} of {_short(n, 40)}"
            scan.add("formula", f"{where} holds a formula ({_short(text)})")
            problem = formula_problem(text)
            if problem is not None and problem[0] != "formula":
                scan.add(problem[0], f"{problem[1]} in {where}")
        elif tag == "definedName":
            _defined_name(scan, attrs.get("name", ""), text)
        else:  # formula, formula1, formula2: conditional formats and validations
            problem = formula_problem(text)
            if problem is not None:
                scan.add(problem[0], f"{problem[1]} in {_short(n, 40)}")

    def _collected(self, owned: dict[str, _Texts]) -> None:
        scan = self.scan
        if "v" in owned:  # a binding cell
            v = owned["v"].parts
            scan.binding_cells[self.cell.get("r", "")] = _cell_text(
                self.cell.get("t", ""), v[0] if v else None, owned["t"].text(), scan.shared)
        elif "si" in owned:
            scan.shared.append(owned["si"].text())
        elif "property" in owned:
            key = owned["property"].attrs.get("name", "")
            if key.startswith(BINDING_PREFIX):
                scan.properties[key[len(BINDING_PREFIX):]] = owned["property"].text()


def _cell_text(cell_type: str, v: str | None, inline: str, shared: list[str]) -> str:
    if cell_type == "s":
        try:
            return shared[int(v or "")]
        except (ValueError, IndexError):
            return ""
    if cell_type == "inlineStr":
        return inline
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
