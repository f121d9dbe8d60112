"""What each item's rule rests on: the `basis` of a template item, checked and rendered.

A basis reference names a provision of the certification contract, an APPI article (with
its pre-2022 number), a clause of a standard, a guidance item, or the template's own
reading. References are checked against the tables kept with the templates
(``templates/contract-articles.yaml``, ``appi-articles.yaml``, ``standards-and-guidance.yaml``)
so a citation that does not exist is refused when the template loads, not printed on a
report. ``basis_text`` is the one rendering of an item's basis used by the desktop, the
checklist and the report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from .citation import citation
from .text import Text

if TYPE_CHECKING:
    from .template import Item

CONTRACT_TABLE = "contract-articles.yaml"
APPI_TABLE = "appi-articles.yaml"
STANDARDS_TABLE = "standards-and-guidance.yaml"


class BasisKind(StrEnum):
    """What an item's rule rests on. Only a contract or a law makes a failed answer blocking."""

    CONTRACT = "contract"    # the certification contract (an article of it)
    LAW = "law"              # APPI and its orders (current and pre-2022 numbering)
    STANDARD = "standard"    # ISO/IEC 27001:2022, JIS Q 15001:2023 ...
    GUIDANCE = "guidance"    # IPA self-assessment item, PPC guideline section, CCUS document
    PRACTICE = "practice"    # the template's own reading: good practice, not an obligation

    @property
    def binding(self) -> bool:
        return self in (BasisKind.CONTRACT, BasisKind.LAW)


@dataclass(frozen=True, slots=True)
class BasisRef:
    """One reference an item rests on, e.g. (contract, 契約書 第2条2項)."""

    kind: BasisKind
    cite: Text  # how the reference reads, e.g. 契約書 第2条2項 / Contract Art. 2(2)
    ref: str = ""              # machine-readable id: "contract:2-2", "appi:27-5-3", "iso27001:A.8.24" ...
    note: Text | None = None   # why it applies / how the template reads it
    head: Text | None = None   # the document part of `cite` ("契約書"), so neighbours can share it
    body: Text | None = None   # the rest ("第2条2項")
    url: str | None = None
    date: str | None = None

    def text(self, lang: str = "ja") -> str:
        return _with_note(self.cite.get(lang), self.note, lang)

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": str(self.kind), "ref": self.ref, "cite": self.cite.as_dict(),
                             "binding": self.kind.binding}
        if self.note:
            d["note"] = self.note.as_dict()
        if self.url:
            d["url"] = self.url
        if self.date:
            d["date"] = self.date
        return d


@cache
def infer_basis_kinds(source: str) -> tuple[BasisKind, ...]:
    """For templates written before the `basis` field (1.0.0): read the kind off `source`.

    Conservative on purpose: any mention of the contract or the APPI makes the item binding.
    """
    kinds = []
    if "契約書" in source:
        kinds.append(BasisKind.CONTRACT)
    if "個人情報保護法" in source:
        kinds.append(BasisKind.LAW)
    if any(std in source for std in ("ISO/IEC", "JIS Q")):
        kinds.append(BasisKind.STANDARD)
    if any(g in source for g in ("IPA", "ガイドライン", "CCUS")):
        kinds.append(BasisKind.GUIDANCE)
    return tuple(kinds) or (BasisKind.PRACTICE,)


# --- rendering --------------------------------------------------------------------------


_SEP = {"ja": "；", "en": "; "}
_SAME_HEAD_SEP = {"ja": "、", "en": ", "}


def basis_text(item: Item, lang: str = "ja") -> str:
    """An item's basis as one line in ``lang``: the desktop, the checklist and the report show this.

    Neighbouring references to the same document share its name (「契約書 第5条(2)、第1条4項(1)」).
    Templates without the `basis` field (1.0.0) show their `source` (in English, as far as
    ``citation`` understands it).
    """
    if not item.basis:
        return citation(item.source, lang)
    parts: list[str] = []
    previous: BasisRef | None = None
    for ref in item.basis:
        if (previous is not None and previous.note is None and ref.head is not None
                and ref.head == previous.head and ref.body is not None):
            parts[-1] += _SAME_HEAD_SEP[lang] + _with_note(ref.body.get(lang), ref.note, lang)
        else:
            parts.append(ref.text(lang))
        previous = ref
    return _SEP[lang].join(parts)


def basis_label(item: Item, lang: str = "ja") -> str:
    """A one-line label for narrow places (the desktop item header): the first reference without
    its note, and how many more there are; ``basis_text`` gives the whole (shown as its tooltip)."""
    if not item.basis:
        return citation(item.source, lang)
    groups: list[str] = []
    previous: BasisRef | None = None
    for ref in item.basis:
        if previous is not None and ref.head is not None and ref.head == previous.head and ref.body:
            groups[-1] += _SAME_HEAD_SEP[lang] + ref.body.get(lang)
        elif ref.kind is BasisKind.PRACTICE:
            groups.append("本テンプレートの解釈" if lang != "en" else "This template's reading")
        else:
            groups.append(ref.cite.get(lang))
        previous = ref
    more = len(groups) - 1
    if not more:
        return groups[0]
    return f"{groups[0]} ほか{more}件" if lang != "en" else f"{groups[0]} and {more} more"


def basis_citation(item: Item) -> Text:
    """Both languages of ``basis_text``."""
    return Text(basis_text(item, "ja"), basis_text(item, "en"))


def _with_note(text: str, note: Text | None, lang: str) -> str:
    # A colon, not brackets: citations often end in a bracket already (「第23条（旧第20条）」).
    if note is None:
        return text
    return f"{text}：{note.ja}" if lang != "en" else f"{text}: {note.en}"


# --- reference tables -------------------------------------------------------------------


@dataclass(frozen=True)
class _Law:
    name: Text
    old: Mapping[int, str | None]  # article -> pre-2022 number as text, "none", or None (not tracked)
    titles: Mapping[int, Text]


@dataclass(frozen=True)
class _Standard:
    name: Text
    clauses: frozenset[str]  # body clauses and "A.x.y" Annex A controls


@dataclass(frozen=True)
class References:
    """The tables a `basis` is checked against (shipped with the templates)."""

    contract: Text
    contract_ids: frozenset[str]
    provisos: frozenset[str]
    laws: Mapping[str, _Law]
    standards: Mapping[str, _Standard]
    ipa: Text
    ipa_items: frozenset[int]
    ppc: Text
    ppc_sections: Mapping[str, Text]


def _read_table(name: str) -> Any:
    from .template import _StrictLoader  # the same YAML 1.2 reading as templates

    text = resources.files(__package__).joinpath("templates", name).read_text("utf-8")
    return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass


def _t(node: Mapping[str, str]) -> Text:
    return Text(node["ja"], node["en"])


@cache
def references() -> References:
    contract = _read_table(CONTRACT_TABLE)
    ids = set(contract.get("provisions", []))
    provisos: set[str] = set()
    for article in contract["articles"]:
        ids.update(article["provisions"])
        provisos.update(article.get("provisos", []))
    appi = _read_table(APPI_TABLE)
    laws = {}
    for key in ("appi", "appi_order", "appi_rules"):
        table = appi[key]
        laws[key] = _Law(
            name=_t(table["name"]),
            old={a["no"]: (str(a["old"]) if "old" in a else None) for a in table["articles"]},
            titles={a["no"]: _t(a["title"]) for a in table["articles"]},
        )
    data = _read_table(STANDARDS_TABLE)
    standards = {}
    for key, table in data["standards"].items():
        clauses = set(table.get("clauses", []))
        for theme, count in table.get("annex_a", {}).items():
            clauses.update(f"A.{theme}.{n}" for n in range(1, count + 1))
        standards[key] = _Standard(_t(table["name"]), frozenset(clauses))
    ipa, ppc = data["guidance"]["ipa"], data["guidance"]["ppc"]
    return References(
        contract=Text(contract["contract"]["ja"], contract["contract"]["en"]),
        contract_ids=frozenset(ids), provisos=frozenset(provisos),
        laws=laws, standards=standards,
        ipa=_t(ipa["name"]), ipa_items=frozenset(int(n) for n in ipa["items"]),
        ppc=_t(ppc["short"]), ppc_sections={k: _t(v) for k, v in ppc["sections"].items()},
    )


# --- building references from template data ---------------------------------------------


_CONTRACT_ID = re.compile(r"^(\d+)(?:-(\d+))?(\(\d+\)|[①-⑳])?(\(\d+\)|[ア-オ])?$")
_KATAKANA_ITEM = dict(zip("アイウエオ", "abcde", strict=True))
_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")


def _contract_parts(provision: str) -> tuple[str, ...]:
    m = _CONTRACT_ID.match(provision)
    if m is None:  # "preamble"
        return (provision,)
    return tuple(g or "" for g in m.groups())


def _contract_piece(parts: tuple[str, ...], start: int, lang: str) -> str:
    """The provision from level ``start`` on (0 = the article), in the contract's notation."""
    if parts == ("preamble",):
        return "前文" if lang != "en" else "preamble"
    art, para, item, sub = parts
    out = []
    if start == 0:
        out.append(f"第{art}条" if lang != "en" else f"Art. {art}")
    if para and start <= 1:
        out.append(f"{para}項" if lang != "en" else f"({para})")
    if item and start <= 2:
        out.append(item)
    if sub and start <= 3:
        out.append(sub if lang != "en" or sub.startswith("(") else f"({_KATAKANA_ITEM[sub]})")
    return "".join(out)


def contract_cite(provisions: list[str], proviso: bool) -> tuple[Text, Text]:
    """Body text of a contract reference: (「第10条1項①、②」, "Art. 10(1)①, ②")."""
    bodies = {}
    for lang in ("ja", "en"):
        pieces: list[str] = []
        previous: tuple[str, ...] | None = None
        for provision in provisions:
            parts = _contract_parts(provision)
            start = 0
            if previous is not None and len(parts) == len(previous) == 4:
                start = next((i for i in range(4) if parts[i] != previous[i]), 4)
                start = min(start, 3)
            pieces.append(_contract_piece(parts, start, lang))
            previous = parts
        text = _SAME_HEAD_SEP[lang].join(pieces)
        if proviso:
            text += "ただし書" if lang != "en" else " proviso"
        bodies[lang] = text
    return bodies["ja"], bodies["en"]


def build_basis(nodes: list[dict[str, Any]], fail: Callable[[str], Exception]) -> tuple[BasisRef, ...]:
    """Turn the schema-valid `basis` list of an item into references, checking every citation."""
    refs = references()
    out = []
    for n, node in enumerate(nodes, 1):
        try:
            out.append(_build_ref(node, refs))
        except ValueError as exc:
            raise fail(f"basis #{n} ({node.get('kind')}): {exc}") from None
    return tuple(out)


def _note(node: Mapping[str, Any]) -> Text | None:
    return _t(node["note"]) if "note" in node else None


def _ref(kind: BasisKind, head: Text | None, body: Text | None, ref: str, node: Mapping[str, Any],
         cite: Text | None = None, **extra: Any) -> BasisRef:
    if cite is None:
        assert head is not None
        cite = head if body is None else Text(f"{head.ja} {body.ja}", f"{head.en} {body.en}")
    return BasisRef(kind, cite, ref, _note(node), head, body, **extra)


def _build_ref(node: Mapping[str, Any], refs: References) -> BasisRef:
    kind = BasisKind(node["kind"])
    match kind:
        case BasisKind.CONTRACT:
            provisions = node["article"] if isinstance(node["article"], list) else [node["article"]]
            unknown = [p for p in provisions if p not in refs.contract_ids]
            if unknown:
                raise ValueError(f"the contract has no provision {unknown[0]!r} "
                                 f"(see templates/{CONTRACT_TABLE})")
            proviso = node.get("proviso", False)
            if proviso and (len(provisions) != 1 or provisions[0] not in refs.provisos):
                raise ValueError(f"{', '.join(provisions)} has no proviso (ただし書) in the contract")
            ja, en = contract_cite(provisions, proviso)
            return _ref(kind, refs.contract, Text(ja, en),
                        "contract:" + ",".join(provisions) + (":proviso" if proviso else ""), node)
        case BasisKind.LAW:
            return _law_ref(node, refs)
        case BasisKind.STANDARD:
            return _standard_ref(node, refs)
        case BasisKind.GUIDANCE:
            return _guidance_ref(node, refs)
        case BasisKind.PRACTICE:
            reading = _t(node["reading"])
            cite = Text(f"本テンプレートの解釈：{reading.ja}", f"This template's reading: {reading.en}")
            return BasisRef(kind, cite, "practice")
    raise AssertionError(kind)


def _law_ref(node: Mapping[str, Any], refs: References) -> BasisRef:
    law = refs.laws[node["law"]]
    article = node["article"]
    if article not in law.old:
        raise ValueError(f"article {article} of the {law.name.en} is not in templates/{APPI_TABLE}")
    table_old = law.old[article]
    given = str(node["old"]) if "old" in node else None
    if table_old is None:  # numbering not tracked (Cabinet Order, Enforcement Rules)
        if given is not None:
            raise ValueError(f"the {law.name.en} is cited by its current numbering only; remove 'old'")
        old_ja = old_en = ""
    elif table_old == str(article):
        if given not in (None, table_old):
            raise ValueError(f"article {article} kept its number in 2022; 'old' must be {article} or absent")
        old_ja = old_en = ""
    else:
        if given != table_old:
            want = "none (new in 2022)" if table_old == "none" else table_old
            raise ValueError(f"article {article} was renumbered in 2022: give old: {want}"
                             + (f", not {given}" if given is not None else ""))
        if table_old == "none":
            old_ja, old_en = "（2022年4月新設）", " (new from April 2022)"
        else:
            old_ja, old_en = f"（旧第{table_old}条）", f" (formerly Art. {table_old})"
    para, item = node.get("paragraph"), node.get("item")
    ja = f"第{article}条" + (f"{para}項" if para else "") + (f"{item}号" if item else "") + old_ja
    en = (f"Art. {article}" + (f"({para})" if para else "")
          + (f"({_ROMAN[item - 1]})" if item else "") + old_en)
    ref = f"{node['law']}:{article}" + (f"-{para}" if para else "") + (f"-{item}" if item else "")
    return _ref(BasisKind.LAW, law.name, Text(ja, en), ref, node)


def _standard_ref(node: Mapping[str, Any], refs: References) -> BasisRef:
    std = refs.standards[node["standard"]]
    clauses = node.get("clause", [])
    clauses = clauses if isinstance(clauses, list) else [clauses]
    unknown = [c for c in clauses if c not in std.clauses]
    if unknown:
        raise ValueError(f"{std.name.en} has no clause or control {unknown[0]!r}")
    body_clauses = [c for c in clauses if not c.startswith("A.")]
    annex = [c[2:] for c in clauses if c.startswith("A.")]
    ja_parts, en_parts = [], []
    if body_clauses:
        ja_parts.append("箇条" + "・".join(body_clauses))
        en_parts.append("Clause " + ", ".join(body_clauses))
    if annex:
        ja_parts.append("附属書A " + "・".join(annex))
        en_parts.append("Annex A " + ", ".join(annex))
    body = Text("、".join(ja_parts), ", ".join(en_parts)) if clauses else None
    return _ref(BasisKind.STANDARD, std.name, body,
                f"{node['standard']}:" + ",".join(clauses) if clauses else node["standard"], node)


def _guidance_ref(node: Mapping[str, Any], refs: References) -> BasisRef:
    source = node["source"]
    kind = BasisKind.GUIDANCE
    if source == "ipa":
        numbers = node["number"] if isinstance(node["number"], list) else [node["number"]]
        bad = [n for n in numbers if n not in refs.ipa_items]
        if bad:
            raise ValueError(f"the IPA self-assessment has items 1-25, not {bad[0]}")
        body = Text("・".join(f"No.{n}" for n in numbers), "No. " + ", ".join(str(n) for n in numbers))
        return _ref(kind, refs.ipa, body, "ipa:" + ",".join(str(n) for n in numbers), node)
    if source == "ppc":
        section = node["section"]
        if section not in refs.ppc_sections:
            raise ValueError(f"section {section!r} of the PPC General Guidelines is not in "
                             f"templates/{STANDARDS_TABLE}")
        title = refs.ppc_sections[section]
        return _ref(kind, refs.ppc, Text(f"{section}（{title.ja}）", f"{section} ({title.en})"),
                    f"ppc:{section}", node)
    title = _t(node["title"])
    url, date = node.get("url"), node.get("date")
    if source == "ccus" and not (url and date):
        raise ValueError("a CCUS document needs its title, url and date")
    # The title is shown as written (it names the document, e.g. 「CCUS 認定基準」).
    tail_ja = "、".join(x for x in (url, date) if x)
    tail_en = ", ".join(x for x in (url, date) if x)
    cite = Text(title.ja + (f"（{tail_ja}）" if tail_ja else ""),
                title.en + (f" ({tail_en})" if tail_en else ""))
    return _ref(kind, None, None, source, node, cite=cite, url=url, date=date)
