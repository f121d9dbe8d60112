"""The questionnaire template: sections and items loaded from a versioned YAML file.

The file is treated as outside data: size-capped, parsed without YAML aliases or
custom tags, validated against a JSON Schema, then checked for cross references.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .basis import BasisKind, BasisRef, basis_text, build_basis, infer_basis_kinds
from .errors import TemplateError, UnknownItem
from .text import Text

SCHEMA_V1 = "ccus-attest/template/v1"      # items cite a free-text `source` (template 1.0.0)
SCHEMA_V1_1 = "ccus-attest/template/v1.1"  # every item lists its `basis`, checked against tables
SCHEMA_ID = SCHEMA_V1_1                    # the format new templates are written in
SCHEMA_FILES = {SCHEMA_V1: "template.schema.json", SCHEMA_V1_1: "template-v1.1.schema.json"}
MAX_TEMPLATE_BYTES = 2 * 1024 * 1024
# The shipped templates: 1.0.0 stays byte-for-byte as released (workspaces and the
# official-template registry identify it by its SHA-256); 1.1.0 is the default for new work.
DEFAULT_TEMPLATE_FILE = "ccus-survey-v1.1.yaml"
SHIPPED_TEMPLATE_FILES = ("ccus-survey-v1.yaml", "ccus-survey-v1.1.yaml")


class AnswerKind(StrEnum):
    STATUS = "status"
    DATE = "date"
    TEXT = "text"
    SINGLE = "single"
    MULTI = "multi"
    NUMBER = "number"


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: Text


STATUS_CHOICES: tuple[Choice, ...] = (
    Choice("yes", Text("はい", "Yes")),
    Choice("partial", Text("一部", "Partly")),
    Choice("no", Text("いいえ", "No")),
    Choice("na", Text("該当なし", "Not applicable")),
)
DEFAULT_NOTE_REQUIRED_FOR = ("partial", "no")
DEFAULT_STATUS_EVIDENCE_FOR = ("yes", "partial")
DEFAULT_STATUS_EXPECTED = ("yes", "na")
DEFAULT_TEXT_MAX = 4000


@dataclass(frozen=True, slots=True)
class Condition:
    item_id: str
    op: str  # equals | in | not_in | contains | contains_any (v1.1)
    values: tuple[str, ...]

    def holds(self, value: object) -> bool:
        """Whether an answer value (None when unanswered or hidden) satisfies this."""
        if value is None:
            return False
        if self.op == "contains":
            return isinstance(value, (list, tuple)) and self.values[0] in value
        if self.op == "contains_any":
            return isinstance(value, (list, tuple)) and any(v in value for v in self.values)
        if self.op == "not_in":
            return value not in self.values
        return value in self.values

    def describe(self) -> str:
        return f"{self.item_id} {self.op} {', '.join(self.values)}"


@dataclass(frozen=True, slots=True)
class NumberSpec:
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    unit: Text | None = None


@dataclass(frozen=True, slots=True)
class EvidenceRule:
    required: bool
    required_for: tuple[str, ...] | None  # None: any answer
    kinds: tuple[str, ...]
    hint: Text | None

    def needed_for(self, value: object) -> bool:
        if not self.required or value is None:
            return False
        if self.required_for is None:
            return True
        return value in self.required_for


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    section_id: str
    text: Text
    kind: AnswerKind
    required: bool
    source: str
    help: Text | None = None
    required_if: Condition | None = None
    show_if: Condition | None = None
    choices: tuple[Choice, ...] = ()
    number: NumberSpec | None = None
    text_max: int = DEFAULT_TEXT_MAX
    expected: tuple[str, ...] | None = None
    note_required_for: tuple[str, ...] = ()
    evidence: EvidenceRule | None = None
    basis: tuple[BasisRef, ...] = ()  # empty for templates that predate the field (v1)

    @property
    def basis_kinds(self) -> tuple[BasisKind, ...]:
        if self.basis:
            return tuple(dict.fromkeys(b.kind for b in self.basis))
        return infer_basis_kinds(self.source)

    @property
    def binding(self) -> bool:
        """Whether a failed answer blocks submission: the rule traces to the contract or a law.
        Otherwise the template's own reading or good practice: "needs improvement"."""
        return any(k.binding for k in self.basis_kinds)

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)

    def label_of(self, value: object, lang: str = "ja") -> str:
        """The human text of a stored answer value."""
        if value is None:
            return ""
        if isinstance(value, list):
            return "、".join(self.label_of(v, lang) for v in value) if lang == "ja" else ", ".join(
                self.label_of(v, lang) for v in value
            )
        if isinstance(value, str) and self.choices:
            choice = self.choice(value)
            return choice.label.get(lang) if choice else value
        if self.kind is AnswerKind.NUMBER and self.number and self.number.unit:
            return f"{value} {self.number.unit.get(lang)}"
        return str(value)


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: Text
    items: tuple[Item, ...]
    description: Text | None = None


@dataclass(frozen=True, slots=True)
class EvidenceKind:
    id: str
    label: Text


@dataclass(frozen=True)
class Template:
    id: str
    version: str
    title: Text
    sections: tuple[Section, ...]
    evidence_kinds: tuple[EvidenceKind, ...]
    source_text: str
    source_name: str
    description: Text | None = None
    schema: str = SCHEMA_V1
    # the grade scale of an auditor's finding (corrective actions); None: the default scale
    # (questionnaire/corrective.py DEFAULT_GRADES)
    finding_grades: tuple[Any, ...] | None = None

    @cached_property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)

    @cached_property
    def _items_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    @cached_property
    def digest(self) -> str:
        """SHA-256 of the template text: identifies the exact questions answered."""
        return hashlib.sha256(self.source_text.encode("utf-8")).hexdigest()

    @cached_property
    def _ids_by_key(self) -> dict[str, str]:
        return {_id_key(item.id): item.id for item in self.items}

    def item(self, item_id: str) -> Item:
        try:
            return self._items_by_id[item_id]
        except KeyError:
            raise UnknownItem(item_id) from None

    def has_item(self, item_id: str) -> bool:
        return item_id in self._items_by_id

    def resolve_id(self, typed: str) -> str:
        """The item ID a person typed, in the template's spelling: ``agr-03`` and ``ＡＧＲ－０３``
        name AGR-03. Stored data always uses the canonical ID; use this where people type IDs."""
        try:
            return self._ids_by_key[_id_key(typed)]
        except (KeyError, TypeError):
            raise UnknownItem(typed) from None

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def evidence_kind(self, kind_id: str) -> EvidenceKind | None:
        return next((k for k in self.evidence_kinds if k.id == kind_id), None)


def _id_key(item_id: str) -> str:
    # NFKC folds full-width letters, digits and the full-width hyphen; the minus sign and the
    # long dash that Japanese IMEs produce for "-" are folded by hand.
    text = unicodedata.normalize("NFKC", item_id).strip().upper()
    return text.translate(_DASHES)


_DASHES = str.maketrans({"\u2212": "-", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
                         "\u2014": "-", "\u2015": "-", "\u30fc": "-", "\uff70": "-"})


# --- loading -----------------------------------------------------------------


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is ~8x faster


class _StrictLoader(_BaseLoader):
    """Safe loading with YAML 1.2 booleans.

    YAML 1.1 reads ``yes``/``no``/``on``/``off`` as booleans, which would silently
    turn the status codes ``yes`` and ``no`` into True/False.
    """


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|false)$"),
    list("tf"),
)


def _refuse_aliases(text: str) -> None:
    """No anchors/aliases: they allow "billion laughs" documents and serve no purpose here."""
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(None, None, "YAML aliases are not allowed in templates",
                                       event.start_mark)


@cache
def _schema_validators(schema_id: str):
    """The validator for a format, and for v1.1 one validator per basis kind.

    Two speed-ups over validating with the published schema as written, with the same rules:
    every ``$ref`` is inlined (the schema has no recursion; a reference lookup per text field
    was most of the time), and a v1.1 basis reference is checked against
    ``$defs/basis_<kind>`` of its own kind only, instead of through the published schema's
    if/then per kind (five conditions per reference).
    """
    import jsonschema

    schema = json.loads(
        resources.files(__package__).joinpath("templates", SCHEMA_FILES[schema_id]).read_text("utf-8")
    )
    defs = schema.pop("$defs", {})

    def inline(node):
        if isinstance(node, dict):
            if set(node) == {"$ref"} and node["$ref"].startswith("#/$defs/"):
                return inline(defs[node["$ref"].removeprefix("#/$defs/")])
            return {k: inline(v) for k, v in node.items()}
        return [inline(v) for v in node] if isinstance(node, list) else node

    if "basis_ref" not in defs:
        return jsonschema.Draft202012Validator(inline(schema)), {}
    by_kind = {kind: jsonschema.Draft202012Validator(inline(defs[f"basis_{kind}"]))
               for kind in defs["basis_ref"]["properties"]["kind"]["enum"]}
    defs["basis_ref"] = {k: v for k, v in defs["basis_ref"].items() if k != "allOf"}
    return jsonschema.Draft202012Validator(inline(schema)), by_kind


def _schema_errors(schema_id: str, data: Any) -> list:
    main, by_kind = _schema_validators(schema_id)
    errors = sorted(main.iter_errors(data), key=lambda e: list(e.path))
    if errors or not by_kind:
        return errors
    for s, section in enumerate(data["sections"]):
        for i, item in enumerate(section["items"]):
            for b, node in enumerate(item.get("basis", ())):
                found = sorted(by_kind[node["kind"]].iter_errors(node), key=lambda e: list(e.path))
                if found:
                    err = found[0]
                    err.path.extendleft(reversed(["sections", s, "items", i, "basis", b]))
                    return [err]
    return []


def _where(data: Any, path: list[Any]) -> str:
    """Turn a JSON path into "item CERT-03" / "section CERT" / "evidence kind x"."""
    where = "top level"
    node = data
    for i, key in enumerate(path):
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        parent = path[i - 1] if i else None
        if isinstance(key, int) and isinstance(node, dict):
            label = node.get("id", f"#{key + 1}")
            if parent == "sections":
                where = f"section {label}"
            elif parent == "items":
                where = f"item {label}"
            elif parent == "evidence_kinds":
                where = f"evidence kind {label}"
    return where


def load_template_file(path: str | Path) -> Template:
    path = Path(path)
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_TEMPLATE_BYTES + 1)
    except OSError as exc:
        raise TemplateError(path.name, None, f"cannot read file ({exc.strerror})") from exc
    if len(raw) > MAX_TEMPLATE_BYTES:
        raise TemplateError(path.name, None, f"file larger than {MAX_TEMPLATE_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TemplateError(path.name, None, f"not UTF-8 text (byte {exc.start})") from exc
    return load_template_text(text, path.name)


def load_template_text(text: str, source_name: str = "<template>") -> Template:
    if len(text.encode("utf-8")) > MAX_TEMPLATE_BYTES:
        raise TemplateError(source_name, None, f"larger than {MAX_TEMPLATE_BYTES} bytes")
    try:
        _refuse_aliases(text)
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except RecursionError:  # composing is recursive: "[[[[..." must not crash it
        raise TemplateError(source_name, None, "not valid YAML: nested too deeply") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else None
        # A reader error (a character YAML refuses) has no problem_mark and a multi-line str()
        problem = (getattr(exc, "problem", None) or str(exc)).splitlines()[0]
        raise TemplateError(source_name, where, f"not valid YAML: {problem}") from exc
    schema_id = data.get("schema") if isinstance(data, dict) else None
    if isinstance(schema_id, str) and schema_id not in SCHEMA_FILES:
        known = " or ".join(SCHEMA_FILES)
        raise TemplateError(source_name, "top level",
                            f"field 'schema': {schema_id[:80]!r} is not a known template format ({known})")
    if not isinstance(schema_id, str) or schema_id not in SCHEMA_FILES:
        schema_id = SCHEMA_V1  # not a mapping, or no usable 'schema': the v1 schema says what is wrong
    try:
        errors = _schema_errors(schema_id, data)
    except RecursionError:
        raise TemplateError(source_name, None, "nested too deeply") from None
    if errors:
        err = errors[0]
        field = next((str(k) for k in reversed(err.path) if isinstance(k, str)), None)
        problem = f"field {field!r}: {err.message}" if field else err.message
        raise TemplateError(source_name, _where(data, list(err.path)), problem)
    return _build(data, text, source_name, schema_id)


def _text(node: dict[str, str] | None) -> Text | None:
    return Text(node["ja"], node["en"]) if node else None


def _condition(node: dict[str, Any] | None) -> Condition | None:
    if not node:
        return None
    for op in ("equals", "in", "not_in", "contains", "contains_any"):
        if op in node:
            values = node[op] if isinstance(node[op], list) else [node[op]]
            return Condition(node["item"], op, tuple(values))
    raise AssertionError("schema guarantees an operator")


def _grades(nodes: list[dict[str, Any]] | None, fail) -> tuple[Any, ...] | None:
    if not nodes:
        return None
    from .corrective import Grade

    ids = [n["id"] for n in nodes]
    if len(set(ids)) != len(ids):
        raise fail("finding_grades", "duplicate grade id")
    return tuple(Grade(n["id"], _text(n["label"]), n.get("for")) for n in nodes)


def _build(data: dict[str, Any], text: str, source_name: str, schema_id: str) -> Template:
    def fail(where: str, problem: str) -> TemplateError:
        return TemplateError(source_name, where, problem)

    kinds = tuple(EvidenceKind(k["id"], _text(k["label"])) for k in data["evidence_kinds"])
    kind_ids = [k.id for k in kinds]
    if len(set(kind_ids)) != len(kind_ids):
        dup = next(k for k in kind_ids if kind_ids.count(k) > 1)
        raise fail(f"evidence kind {dup}", "duplicate evidence kind id")

    seen: dict[str, Item] = {}
    section_ids: set[str] = set()
    sections: list[Section] = []
    for s in data["sections"]:
        if s["id"] in section_ids:
            raise fail(f"section {s['id']}", "duplicate section id")
        section_ids.add(s["id"])
        items: list[Item] = []
        for node in s["items"]:
            item = _build_item(node, s["id"], kind_ids, seen, fail)
            seen[item.id] = item
            items.append(item)
        sections.append(Section(s["id"], _text(s["title"]), tuple(items), _text(s.get("description"))))

    return Template(
        id=data["id"],
        version=str(data["version"]),
        title=_text(data["title"]),
        description=_text(data.get("description")),
        sections=tuple(sections),
        evidence_kinds=kinds,
        source_text=text,
        source_name=source_name,
        schema=schema_id,
        finding_grades=_grades(data.get("finding_grades"), fail),
    )


def _valid_values(item: Item) -> tuple[str, ...] | None:
    if item.kind in (AnswerKind.STATUS, AnswerKind.SINGLE, AnswerKind.MULTI):
        return item.choice_values
    return None


def _build_item(node, section_id, kind_ids, seen, fail) -> Item:
    item_id = node["id"]
    where = f"item {item_id}"
    if item_id in seen:
        raise fail(where, "duplicate item id")
    if not item_id.startswith(section_id + "-"):
        raise fail(where, f"item id must start with its section id '{section_id}-'")
    kind = AnswerKind(node["kind"])

    if kind is AnswerKind.STATUS:
        if "choices" in node:
            raise fail(where, "status items use the fixed choices はい/一部/いいえ/該当なし")
        choices = STATUS_CHOICES
    elif kind in (AnswerKind.SINGLE, AnswerKind.MULTI):
        if "choices" not in node:
            raise fail(where, f"{kind} items need 'choices'")
        choices = tuple(Choice(c["value"], _text(c["label"])) for c in node["choices"])
        values = [c.value for c in choices]
        if len(set(values)) != len(values):
            raise fail(where, "duplicate choice value")
    else:
        if "choices" in node:
            raise fail(where, f"{kind} items take no 'choices'")
        choices = ()
    if "number" in node and kind is not AnswerKind.NUMBER:
        raise fail(where, "'number' applies to number items only")
    if "note_required_for" in node and kind is not AnswerKind.STATUS:
        raise fail(where, "'note_required_for' applies to status items only")

    number = None
    if kind is AnswerKind.NUMBER:
        spec = node.get("number", {})
        number = NumberSpec(spec.get("min"), spec.get("max"), spec.get("integer", False),
                            _text(spec.get("unit")))
        if number.minimum is not None and number.maximum is not None and number.minimum > number.maximum:
            raise fail(where, "number.min is greater than number.max")

    probe = Item(item_id, section_id, _text(node["text"]), kind, True, node.get("source", ""),
                 choices=choices)
    valid = _valid_values(probe)

    def check_values(field: str, values) -> tuple[str, ...]:
        values = tuple(values)
        if valid is None:
            raise fail(where, f"'{field}' needs an item with fixed choices")
        bad = [v for v in values if v not in valid]
        if bad:
            raise fail(where, f"'{field}' has value {bad[0]!r}, not one of {', '.join(valid)}")
        return values

    if "expected" in node:
        expected = check_values("expected", node["expected"])
    elif kind is AnswerKind.STATUS:
        # a status item is satisfied by はい or 該当なし unless the template says otherwise:
        # 一部 and いいえ never conform (contract Art. 2-2)
        expected = DEFAULT_STATUS_EXPECTED
    else:
        expected = None
    note_for = (
        check_values("note_required_for", node.get("note_required_for", DEFAULT_NOTE_REQUIRED_FOR))
        if kind is AnswerKind.STATUS
        else ()
    )

    evidence = None
    if "evidence" in node:
        ev = node["evidence"]
        bad_kind = next((k for k in ev["kinds"] if k not in kind_ids), None)
        if bad_kind:
            raise fail(where, f"evidence kind {bad_kind!r} is not declared in evidence_kinds")
        if "required_for" in ev:
            required_for = check_values("evidence.required_for", ev["required_for"])
        elif kind is AnswerKind.STATUS:
            required_for = DEFAULT_STATUS_EVIDENCE_FOR
        else:
            required_for = None
        evidence = EvidenceRule(ev.get("required", True), required_for, tuple(ev["kinds"]),
                                _text(ev.get("hint")))

    def condition(field: str) -> Condition | None:
        cond = _condition(node.get(field))
        if cond is None:
            return None
        ref = seen.get(cond.item_id)
        if ref is None:
            problem = ("refers to itself" if cond.item_id == item_id
                       else f"refers to unknown or later item {cond.item_id!r}")
            raise fail(where, f"{field} {problem} (conditions may only refer to earlier items)")
        ref_values = _valid_values(ref)
        if ref_values is None:
            raise fail(where, f"{field} refers to {ref.id}, which has no fixed choices")
        if cond.op in ("contains", "contains_any") and ref.kind is not AnswerKind.MULTI:
            raise fail(where, f"{field} uses '{cond.op}' on {ref.id}, which is not multiple choice")
        bad = [v for v in cond.values if v not in ref_values]
        if bad:
            raise fail(where, f"{field} value {bad[0]!r} is not an answer of {ref.id}")
        return cond

    basis = build_basis(node["basis"], lambda problem: fail(where, problem)) if "basis" in node else ()
    item = Item(
        id=item_id,
        section_id=section_id,
        text=probe.text,
        kind=kind,
        required=node.get("required", True),
        source=node.get("source", ""),
        help=_text(node.get("help")),
        required_if=condition("required_if"),
        show_if=condition("show_if"),
        choices=choices,
        number=number,
        text_max=node.get("text_max", DEFAULT_TEXT_MAX),
        expected=expected,
        note_required_for=note_for,
        evidence=evidence,
        basis=basis,
    )
    if basis:  # v1.1 has no free-text source: the rendered basis stands in for it
        item = dataclasses.replace(item, source=basis_text(item, "ja"))
    return item


@cache
def default_template() -> Template:
    """The template shipped with the app (the newest released version)."""
    ref = resources.files(__package__).joinpath("templates", DEFAULT_TEMPLATE_FILE)
    return load_template_text(ref.read_text("utf-8"), DEFAULT_TEMPLATE_FILE)
