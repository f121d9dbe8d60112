"""What changed between two questionnaire templates, item by item: a structural diff.

Two uses share it:

* the auditor's side names how a bundle's template differs from the official text of the
  version it claims (items removed, made optional, rules weakened, text changed);
* a year-to-year "template changes" view (last year's version → this year's).

``diff_templates(old, new)`` compares the parsed templates, not their text: a change is
reported once, in the terms of the template format (docs/template-format.md), and each
carries its *effect* on the vendor — LOOSER (asks less: an item removed or made optional, an
expected answer or an evidence rule dropped), STRICTER, or NEUTRAL (wording, order). Fields
added to ``Item`` later are still compared, generically (``ChangeKind.OTHER``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .template import Condition, EvidenceRule, Item, NumberSpec, Template
from .text import Text


class Effect(StrEnum):
    LOOSER = "looser"        # asks less of the vendor
    STRICTER = "stricter"    # asks more
    NEUTRAL = "neutral"      # wording, order, or a change of unclear direction


class ChangeKind(StrEnum):
    TEMPLATE = "template"                  # ID, version, title, description
    SECTION_ADDED = "section_added"
    SECTION_REMOVED = "section_removed"
    SECTION_TEXT = "section_text"
    ITEM_ADDED = "item_added"
    ITEM_REMOVED = "item_removed"
    ITEM_MOVED = "item_moved"              # another section or another place
    MADE_OPTIONAL = "made_optional"
    MADE_REQUIRED = "made_required"
    CONDITION = "condition"                # show_if / required_if
    ANSWER_KIND = "answer_kind"
    CHOICES = "choices"
    EXPECTED = "expected"                  # the answers that conform
    NOTE_RULE = "note_rule"
    EVIDENCE_RULE = "evidence_rule"
    LIMITS = "limits"                      # number range, text length
    BASIS = "basis"                        # what the rule rests on (binding or not)
    TEXT = "text"                          # question, help, choice labels
    SOURCE = "source"
    EVIDENCE_KINDS = "evidence_kinds"
    FORMATTING = "formatting"              # the same questions, other bytes (comments, layout)
    OTHER = "other"


# How a change is named in a summary (English, for the CLI and the checks' one-line details).
KIND_LABELS: dict[ChangeKind, str] = {
    ChangeKind.TEMPLATE: "template identity or title changed",
    ChangeKind.SECTION_ADDED: "sections added",
    ChangeKind.SECTION_REMOVED: "sections removed",
    ChangeKind.SECTION_TEXT: "section titles changed",
    ChangeKind.ITEM_ADDED: "items added",
    ChangeKind.ITEM_REMOVED: "items removed",
    ChangeKind.ITEM_MOVED: "items moved",
    ChangeKind.MADE_OPTIONAL: "items made optional",
    ChangeKind.MADE_REQUIRED: "items made required",
    ChangeKind.CONDITION: "conditions changed",
    ChangeKind.ANSWER_KIND: "answer kinds changed",
    ChangeKind.CHOICES: "choices changed",
    ChangeKind.EXPECTED: "expected answers changed",
    ChangeKind.NOTE_RULE: "note rules changed",
    ChangeKind.EVIDENCE_RULE: "evidence rules changed",
    ChangeKind.LIMITS: "limits changed",
    ChangeKind.BASIS: "bases changed",
    ChangeKind.TEXT: "question texts changed",
    ChangeKind.SOURCE: "sources changed",
    ChangeKind.EVIDENCE_KINDS: "evidence kinds changed",
    ChangeKind.FORMATTING: "formatting or comments changed (same questions)",
    ChangeKind.OTHER: "other fields changed",
}
_SHORT = 60


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = " ".join(text.split())
    return text if len(text) <= _SHORT else text[: _SHORT - 1] + "…"


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    effect: Effect
    item_id: str | None = None
    section_id: str | None = None
    field: str = ""
    old: str = ""           # short text forms of the two values ("" when absent)
    new: str = ""

    @property
    def subject(self) -> str:
        return self.item_id or self.section_id or "template"

    def describe(self) -> str:
        what = f"{self.subject}: {self.field or self.kind.value}"
        if self.old or self.new:
            what += f" {self.old or '(none)'} → {self.new or '(none)'}"
        return f"{what} ({self.effect.value})"

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "effect": self.effect.value, "item_id": self.item_id,
                "section_id": self.section_id, "field": self.field, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class TemplateDiff:
    old: tuple[str, str, str]   # (ID, version, SHA-256)
    new: tuple[str, str, str]
    changes: tuple[Change, ...]

    @property
    def identical(self) -> bool:
        """The same bytes (so the same questions)."""
        return self.old[2] == self.new[2]

    @property
    def looser(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.effect is Effect.LOOSER)

    def by_kind(self) -> dict[ChangeKind, list[Change]]:
        out: dict[ChangeKind, list[Change]] = {}
        for c in self.changes:
            out.setdefault(c.kind, []).append(c)
        return out

    def summary(self, per_kind: int = 3) -> str:
        """One line: "12 items made optional (AGR-01, AGR-02, AGR-03, …); 1 question text changed (CERT-02)".
        Kinds that loosen the questionnaire come first."""
        if not self.changes:
            return "no differences"
        groups = self.by_kind()
        order = sorted(groups, key=lambda k: (not any(c.effect is Effect.LOOSER for c in groups[k]),
                                              list(ChangeKind).index(k)))
        parts = []
        for kind in order:
            changes = groups[kind]
            subjects = list(dict.fromkeys(c.subject for c in changes))
            shown = ", ".join(subjects[:per_kind]) + (", …" if len(subjects) > per_kind else "")
            parts.append(f"{len(subjects)} {KIND_LABELS[kind]} ({shown})")
        return "; ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        keys = ("id", "version", "sha256")
        return {"old": dict(zip(keys, self.old, strict=True)), "new": dict(zip(keys, self.new, strict=True)),
                "identical": self.identical, "changes": [c.as_dict() for c in self.changes]}


def diff_templates(old: Template, new: Template) -> TemplateDiff:
    """Every structural difference from ``old`` to ``new``, in template order."""
    changes: list[Change] = []
    add = changes.append
    for field_name in ("id", "version"):
        a, b = getattr(old, field_name), getattr(new, field_name)
        if a != b:
            add(Change(ChangeKind.TEMPLATE, Effect.NEUTRAL, field=field_name, old=_short(a), new=_short(b)))
    for field_name in ("title", "description"):
        a, b = getattr(old, field_name), getattr(new, field_name)
        if a != b:
            add(Change(ChangeKind.TEMPLATE, Effect.NEUTRAL, field=field_name, old=_text(a), new=_text(b)))
    changes.extend(_evidence_kinds(old, new))
    changes.extend(_sections(old, new))
    changes.extend(_items(old, new))
    if not changes and old.digest != new.digest:
        add(Change(ChangeKind.FORMATTING, Effect.NEUTRAL, field="text"))
    return TemplateDiff((old.id, old.version, old.digest), (new.id, new.version, new.digest), tuple(changes))


# --- parts ---------------------------------------------------------------------------------


def _text(value: Text | None) -> str:
    return _short(f"{value.ja} / {value.en}") if value is not None else ""


def _evidence_kinds(old: Template, new: Template) -> Iterable[Change]:
    a = {k.id: k for k in old.evidence_kinds}
    b = {k.id: k for k in new.evidence_kinds}
    for kid in a.keys() - b.keys():
        yield Change(ChangeKind.EVIDENCE_KINDS, Effect.NEUTRAL, field=f"evidence kind {kid}", old=kid)
    for kid in b.keys() - a.keys():
        yield Change(ChangeKind.EVIDENCE_KINDS, Effect.NEUTRAL, field=f"evidence kind {kid}", new=kid)
    for kid in a.keys() & b.keys():
        if a[kid].label != b[kid].label:
            yield Change(ChangeKind.TEXT, Effect.NEUTRAL, field=f"evidence kind {kid} label",
                         old=_text(a[kid].label), new=_text(b[kid].label))


def _sections(old: Template, new: Template) -> Iterable[Change]:
    a = {s.id: s for s in old.sections}
    b = {s.id: s for s in new.sections}
    for sid in a:
        if sid not in b:
            yield Change(ChangeKind.SECTION_REMOVED, Effect.LOOSER, section_id=sid, field="section",
                         old=_text(a[sid].title))
    for sid in b:
        if sid not in a:
            yield Change(ChangeKind.SECTION_ADDED, Effect.NEUTRAL, section_id=sid, field="section",
                         new=_text(b[sid].title))
    for sid in a.keys() & b.keys():
        for field_name in ("title", "description"):
            x, y = getattr(a[sid], field_name), getattr(b[sid], field_name)
            if x != y:
                yield Change(ChangeKind.SECTION_TEXT, Effect.NEUTRAL, section_id=sid, field=field_name,
                             old=_text(x), new=_text(y))


def _items(old: Template, new: Template) -> Iterable[Change]:
    new_by_id = {i.id: i for i in new.items}
    old_ids = [i.id for i in old.items]
    old_set = set(old_ids)
    for item in old.items:
        other = new_by_id.get(item.id)
        if other is None:
            yield Change(ChangeKind.ITEM_REMOVED, Effect.LOOSER, item.id, item.section_id, "item",
                         old=_text(item.text))
            continue
        yield from _item(item, other)
    for item in new.items:
        if item.id not in old_set:
            effect = Effect.STRICTER if item.required and item.show_if is None else Effect.NEUTRAL
            yield Change(ChangeKind.ITEM_ADDED, effect, item.id, item.section_id, "item",
                         new=_text(item.text))
    # Order: the common items in another relative order (each out-of-place item once).
    common_new = [i.id for i in new.items if i.id in old_set]
    common_old = [i for i in old_ids if i in new_by_id]
    if common_new != common_old:
        position = {item_id: n for n, item_id in enumerate(common_old)}
        last = -1
        for item_id in common_new:
            if position[item_id] < last:
                yield Change(ChangeKind.ITEM_MOVED, Effect.NEUTRAL, item_id, new_by_id[item_id].section_id,
                             "position")
            last = max(last, position[item_id])


# Fields compared by a handler of their own; any other field of Item is compared generically.
_HANDLED = {"id", "section_id", "text", "kind", "required", "source", "help", "required_if", "show_if",
            "choices", "number", "text_max", "expected", "note_required_for", "evidence", "basis"}


def _item(a: Item, b: Item) -> Iterable[Change]:
    iid = a.id

    def change(kind: ChangeKind, effect: Effect, field_name: str, old: Any = "", new: Any = "") -> Change:
        return Change(kind, effect, iid, b.section_id, field_name, _short(old) if old != "" else "",
                      _short(new) if new != "" else "")

    if a.section_id != b.section_id:
        yield change(ChangeKind.ITEM_MOVED, Effect.NEUTRAL, "section", a.section_id, b.section_id)
    if a.kind != b.kind:
        yield change(ChangeKind.ANSWER_KIND, Effect.NEUTRAL, "kind", a.kind.value, b.kind.value)
    if a.required != b.required:
        yield change(ChangeKind.MADE_OPTIONAL if a.required else ChangeKind.MADE_REQUIRED,
                     Effect.LOOSER if a.required else Effect.STRICTER, "required",
                     "required" if a.required else "optional", "required" if b.required else "optional")
    yield from _condition(change, "required_if", a.required_if, b.required_if, added=Effect.STRICTER)
    yield from _condition(change, "show_if", a.show_if, b.show_if, added=Effect.LOOSER)
    if a.choices != b.choices:
        av, bv = a.choice_values, b.choice_values
        if av != bv:
            yield change(ChangeKind.CHOICES, Effect.NEUTRAL, "choices", ", ".join(av), ", ".join(bv))
        else:
            for ca, cb in zip(a.choices, b.choices, strict=True):
                if ca.label != cb.label:
                    yield change(ChangeKind.TEXT, Effect.NEUTRAL, f"choice {ca.value} label", _text(ca.label),
                                 _text(cb.label))
    yield from _expected(change, a.expected, b.expected)
    if set(a.note_required_for) != set(b.note_required_for):
        yield change(ChangeKind.NOTE_RULE, _set_effect(set(a.note_required_for), set(b.note_required_for)),
                     "note_required_for", ", ".join(a.note_required_for) or "[]",
                     ", ".join(b.note_required_for) or "[]")
    yield from _evidence(change, a.evidence, b.evidence)
    yield from _number(change, a.number, b.number)
    if a.text_max != b.text_max:
        yield change(ChangeKind.LIMITS, Effect.LOOSER if b.text_max > a.text_max else Effect.STRICTER,
                     "text_max", a.text_max, b.text_max)
    if a.basis != b.basis or a.basis_kinds != b.basis_kinds:
        if a.binding != b.binding:
            effect = Effect.LOOSER if a.binding else Effect.STRICTER
        else:
            effect = Effect.NEUTRAL
        yield change(ChangeKind.BASIS, effect, "basis", ", ".join(k.value for k in a.basis_kinds),
                     ", ".join(k.value for k in b.basis_kinds))
    if a.text != b.text:
        yield change(ChangeKind.TEXT, Effect.NEUTRAL, "text", _text(a.text), _text(b.text))
    if a.help != b.help:
        yield change(ChangeKind.TEXT, Effect.NEUTRAL, "help", _text(a.help), _text(b.help))
    if a.source != b.source:
        yield change(ChangeKind.SOURCE, Effect.NEUTRAL, "source", a.source, b.source)
    for f in dataclasses.fields(Item):
        if f.name not in _HANDLED and getattr(a, f.name) != getattr(b, f.name):
            yield change(ChangeKind.OTHER, Effect.NEUTRAL, f.name, getattr(a, f.name), getattr(b, f.name))


def _describe_condition(c: Condition | None) -> str:
    return c.describe() if c is not None else ""


def _condition(change, field_name: str, a: Condition | None, b: Condition | None, *, added: Effect):
    if a == b:
        return
    if a is None:
        effect = added
    elif b is None:
        effect = Effect.STRICTER if added is Effect.LOOSER else Effect.LOOSER
    else:
        effect = Effect.NEUTRAL
    yield change(ChangeKind.CONDITION, effect, field_name, _describe_condition(a), _describe_condition(b))


def _set_effect(a: set[str], b: set[str]) -> Effect:
    """For sets of answers that trigger a demand (a note, evidence): fewer demands is looser."""
    if b < a:
        return Effect.LOOSER
    if a < b:
        return Effect.STRICTER
    return Effect.NEUTRAL


def _expected(change, a: tuple[str, ...] | None, b: tuple[str, ...] | None):
    if a == b or (a is not None and b is not None and set(a) == set(b)):
        return
    if a is None:
        effect = Effect.STRICTER
    elif b is None or set(a) < set(b):
        effect = Effect.LOOSER   # more answers conform (or any answer does)
    elif set(b) < set(a):
        effect = Effect.STRICTER
    else:
        effect = Effect.NEUTRAL
    yield change(ChangeKind.EXPECTED, effect, "expected", ", ".join(a) if a else "(any answer)",
                 ", ".join(b) if b else "(any answer)")


def _rule_text(r: EvidenceRule | None) -> str:
    if r is None:
        return ""
    when = "any answer" if r.required_for is None else ", ".join(r.required_for)
    return f"{'required' if r.required else 'optional'} for {when}: {', '.join(r.kinds)}"


def _evidence(change, a: EvidenceRule | None, b: EvidenceRule | None):
    if a == b:
        return
    if a is None or b is None:
        needed_a, needed_b = a is not None and a.required, b is not None and b.required
        effect = Effect.LOOSER if needed_a and not needed_b else (
            Effect.STRICTER if needed_b and not needed_a else Effect.NEUTRAL)
        yield change(ChangeKind.EVIDENCE_RULE, effect, "evidence", _rule_text(a), _rule_text(b))
        return
    effects = set()
    if a.required != b.required:
        effects.add(Effect.LOOSER if a.required else Effect.STRICTER)
    if a.required_for != b.required_for:
        if a.required_for is None:
            effects.add(Effect.LOOSER)
        elif b.required_for is None:
            effects.add(Effect.STRICTER)
        else:
            effects.add(_set_effect(set(a.required_for), set(b.required_for)))
    if set(a.kinds) != set(b.kinds):
        # More kinds accepted: any of them satisfies the rule, so it asks less.
        effects.add(_set_effect(set(b.kinds), set(a.kinds)))
    if a.hint != b.hint and not effects:
        yield change(ChangeKind.TEXT, Effect.NEUTRAL, "evidence hint", _text(a.hint), _text(b.hint))
        return
    # Any loosening part makes the change looser: that is what the auditor must see.
    effect = (Effect.LOOSER if Effect.LOOSER in effects else
              Effect.STRICTER if Effect.STRICTER in effects else Effect.NEUTRAL)
    yield change(ChangeKind.EVIDENCE_RULE, effect, "evidence", _rule_text(a), _rule_text(b))


def _number(change, a: NumberSpec | None, b: NumberSpec | None):
    if a == b:
        return
    if a is None or b is None:
        yield change(ChangeKind.LIMITS, Effect.NEUTRAL, "number", a or "", b or "")
        return
    looser = ((a.minimum is not None and (b.minimum is None or b.minimum < a.minimum))
              or (a.maximum is not None and (b.maximum is None or b.maximum > a.maximum))
              or (a.integer and not b.integer))
    stricter = ((b.minimum is not None and (a.minimum is None or b.minimum > a.minimum))
                or (b.maximum is not None and (a.maximum is None or b.maximum < a.maximum))
                or (b.integer and not a.integer))
    if looser or stricter:
        effect = Effect.LOOSER if looser else Effect.STRICTER

        def show(n: NumberSpec) -> str:
            low = n.minimum if n.minimum is not None else "-∞"
            high = n.maximum if n.maximum is not None else "∞"
            return f"{low}..{high}" + (" integer" if n.integer else "")

        yield change(ChangeKind.LIMITS, effect, "number", show(a), show(b))
    if a.unit != b.unit:
        yield change(ChangeKind.TEXT, Effect.NEUTRAL, "number unit", _text(a.unit), _text(b.unit))
