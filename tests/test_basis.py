"""Every item names its basis: the v1.1 format, the reference tables, the rendering, and the
content of the default template 1.1.0 against issue 17 and issue 11 §8."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given

from questionnaire import Answer, AnswerKind, TemplateError, UnknownItem, assess, default_template
from questionnaire.basis import BasisKind, basis_citation, basis_text, references
from questionnaire.template import (
    DEFAULT_TEMPLATE_FILE,
    SCHEMA_V1,
    SCHEMA_V1_1,
    load_template_file,
    load_template_text,
)

from .conftest import ROOT
from .hostile_support import FAST, mutations_of

TEMPLATES = ROOT / "questionnaire" / "templates"
V1_0 = TEMPLATES / "ccus-survey-v1.yaml"
V1_1 = TEMPLATES / "ccus-survey-v1.1.yaml"
# The released 1.0.0 text: workspaces and the official-template registry identify it by this.
V1_0_SHA256 = "fd113ec1ea604caaf6c6bc40156972731cf54dd4cac58eb312a05618cfb50a3b"
SEED_CONTRACT = Path("/work/shared/seed/ccus-api-certification-contract.ja.txt")
JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")


def raw_items(path: Path = V1_1) -> dict[str, dict]:
    data = yaml.safe_load(path.read_text("utf-8"))
    return {node["id"]: node for s in data["sections"] for node in s["items"]}


# --- the two shipped versions -----------------------------------------------------------


def test_template_1_0_0_is_unchanged_and_still_loads_with_inferred_basis():
    assert hashlib.sha256(V1_0.read_bytes()).hexdigest() == V1_0_SHA256
    t = load_template_file(V1_0)
    assert (t.version, t.schema, len(t.items)) == ("1.0.0", SCHEMA_V1, 116)
    assert all(not i.basis for i in t.items)
    assert t.item("API-04").binding                       # 「契約書 第5条(3)」
    assert t.item("HR-08").basis_kinds == (BasisKind.STANDARD,)
    assert basis_text(t.item("AGR-07"), "en") == "Contract Art. 2(2)"  # source, in English


def test_default_is_1_1_0_and_every_item_names_a_checked_basis():
    t = default_template()
    assert V1_1.name == DEFAULT_TEMPLATE_FILE
    assert (t.version, t.schema) == ("1.1.0", SCHEMA_V1_1)
    for item in t.items:
        assert item.basis, item.id
        assert item.source == basis_text(item, "ja"), item.id  # the rendering stands in for `source`
        assert not JAPANESE.search(basis_text(item, "en")), item.id


def test_every_status_item_states_its_expected_answers_and_why():
    """The loader's default ([yes, na]) is never relied on; a 該当なし that conforms says when."""
    nodes = raw_items()
    t = default_template()
    for item in t.items:
        if item.kind is not AnswerKind.STATUS:
            continue
        assert "expected" in nodes[item.id], item.id
        assert "no" not in item.expected and "partial" not in item.expected, item.id  # issue 11 §1
        if "na" in item.expected:
            assert "該当なし" in basis_text(item, "ja"), item.id
            assert "na" in item.note_required_for, item.id


def test_ids_keep_their_meaning_across_versions():
    """An ID in both versions asks the same kind of question; a changed question got a new ID."""
    old, new = load_template_file(V1_0), default_template()
    for item in new.items:
        if old.has_item(item.id):
            assert old.item(item.id).kind is item.kind, item.id
    assert not new.has_item("INC-06")  # free text in 1.0.0, replaced by INC-07 (choice) + INC-08


# --- issue 17 §1-§3 and issue 11 §8 in the content ---------------------------------------


def refs(item_id: str) -> set[str]:
    return {b.ref for b in default_template().item(item_id).basis}


def test_items_the_contract_does_not_demand_are_not_binding():
    t = default_template()
    for item_id in ("API-05", "LOG-03", "CHG-02", "CHG-07", "TEC-03", "AGR-05", "AGR-07", "CERT-07",
                    "CHG-05", "LOG-12", "INC-05", "PI-09"):
        item = t.item(item_id)
        assert not item.binding, item_id
        assert BasisKind.CONTRACT not in item.basis_kinds, item_id
    assert BasisKind.PRACTICE in t.item("API-05").basis_kinds
    # PI-02: the notice of purposes is APPI Art. 21, not the contract
    assert refs("PI-02") == {"appi:21", "appi:17"}
    # LOG-08: "periodic" is the contract's; at least yearly is labelled as the template's reading
    log08 = t.item("LOG-08")
    assert "longer" in log08.expected and {"on_change", "none"}.isdisjoint(log08.expected)
    assert BasisKind.PRACTICE in log08.basis_kinds and "推奨であり" in basis_text(log08)


def test_wrong_or_unverifiable_references_are_corrected():
    t = default_template()
    agr06 = t.item("AGR-06").help.ja
    assert "第10条2項" in agr06 and "義務を定めたものではありません" in agr06
    assert t.item("CERT-06").expected == ("iso27001_2022",) and "2025年10月31日" in t.item("CERT-06").help.ja
    assert "IAF CertSearch" in t.item("CERT-03").help.ja and "認証機関自身" in t.item("CERT-03").help.ja
    assert refs("GOV-01").isdisjoint({"appi:32"}) and "ppc:10-1" in refs("GOV-01")
    assert "同等の水準" in t.item("PHY-03").help.ja  # the third route of Art. 28
    assert {"appi:32-1-4", "appi_order:10-1"} <= refs("PHY-10")
    assert "iso27001:6.1.2,6.1.3,8.2,8.3" in refs("GOV-05")
    assert "iso27001:A.5.15,A.5.18,A.8.3" in refs("HR-05")
    assert "iso27001:A.5.11,A.5.18,A.6.5" in refs("HR-07")
    assert not any(r.startswith("ipa") for r in refs("HR-07"))
    assert refs("INC-05") >= {"iso27001:A.5.24"} and not any("5.29" in r or r.startswith("ipa")
                                                             for r in refs("INC-05"))
    assert "appi:37" in refs("PI-08")
    assert "している間に限り" in t.item("API-07").help.ja and "while the worker" in t.item("API-07").help.en
    for item_id, number in {"TEC-06": "1", "TEC-07": "2", "TEC-13": "3", "TEC-10": "11",
                            "PHY-06": "12,14", "PHY-05": "15,17", "PHY-07": "18"}.items():
        assert f"ipa:{number}" in refs(item_id), item_id
    # JIS Q 15001 is cited by its 2023 clause numbers only, never by 2017 Annex A topic names
    for item in t.items:
        for b in item.basis:
            if b.ref.startswith("jisq15001"):
                assert re.fullmatch(r"jisq15001(:[0-9.,]+)?", b.ref), item.id
    # AGR-07 says a yes is not the official survey; AGR-10 is the official survey
    assert "公式の調査票" in t.item("AGR-07").help.ja and refs("AGR-10") == {"contract:2-2"}


@pytest.mark.parametrize(("provision", "item_id"), [
    ("1-4(3)", "SEC-04"), ("10-1④", "AGR-08"), ("10-1⑤", "AGR-08"), ("10-1⑦", "AGR-08"),
    ("11-1③", "AGR-09"), ("11-1⑤", "AGR-09"), ("6-1(6)", "PI-11"), ("6-1(6)", "PI-12"),
    ("1-4(2)", "API-13"),
])
def test_contract_gaps_have_items(provision, item_id):
    item = default_template().item(item_id)
    cited = {p for b in item.basis if b.kind is BasisKind.CONTRACT
             for p in b.ref.split(":")[1].split(",")}
    assert provision in cited
    assert item.required and item.binding
    assert item.kind is AnswerKind.TEXT or item.expected == ("yes",)


def test_one_name_for_each_thing():
    t = default_template()
    texts = [s for i in t.items for s in (i.text.ja, i.help.ja if i.help else "")]
    for wrong in ("本件サイト", "認定システム審査受付サイト", "CCUSから連携されたデータ"):
        assert not any(wrong in s for s in texts), wrong
    assert not any(re.search(r"(?<!対象)(?<!甲)認定システム", s) for s in texts)
    glossary = t.section("AGR").description.ja
    for term in ("「本契約」", "「認定審査受付サイト」", "「認定対象システム」", "「CCUSデータ」"):
        assert term in glossary
    assert "「対象情報」" in t.item("API-09").help.ja
    assert "本契約（" in t.item("CHG-04").text.ja
    assert "認定試験後の監査と同様に" not in t.item("LOG-06").text.ja
    assert t.item("LOG-08").choice("quarterly").label.ja == "四半期に1回以上"
    assert all("個人情報保護法" in c.label.ja for c in t.item("PI-04").choices if c.value != "other")


def test_conditions_of_issue_11():
    t = default_template()

    def visible(answers: dict) -> dict[str, bool]:
        a = assess(t, {k: Answer(v) for k, v in answers.items()}, [])
        return {i: st.visible for i, st in a.items.items()}

    assert not visible({"PHY-01": ["own_premises"]})["PHY-02"]
    assert visible({"PHY-01": ["own_premises", "domestic_cloud"]})["PHY-02"]
    assert visible({"CERT-01": "isms_cloud"})["CERT-15"] and not visible({"CERT-01": "isms"})["CERT-15"]
    assert visible({"CERT-01": "pmark"})["CERT-16"] and not visible({"CERT-01": "pmark"})["CERT-06"]
    inc = t.item("INC-07")
    assert inc.required and inc.choice_values == ("none", "occurred")  # a blank is not "none"
    assert not visible({"INC-07": "none"})["INC-08"] and visible({"INC-07": "occurred"})["INC-08"]
    assert t.item("CERT-13").required and t.item("CERT-14").required
    assert t.item("CERT-14").kind is AnswerKind.DATE
    assert "design" in t.item("TEC-09").evidence.kinds
    assert t.item("API-13").required


# --- reference tables ----------------------------------------------------------------------


def test_reference_tables():
    r = references()
    assert {"2-2", "6-1(6)", "10-1⑦", "5(5)イ", "13-2(1)", "preamble"} <= r.contract_ids
    assert "2-1" in r.provisos and "6-1(3)" in r.provisos and "2-2" not in r.provisos
    appi = r.laws["appi"]
    assert appi.old[20] == "17" and appi.old[27] == "23" and appi.old[28] == "24" and appi.old[26] == "none"
    assert r.ipa_items == frozenset(range(1, 26))
    iso = r.standards["iso27001"].clauses
    assert len([c for c in iso if c.startswith("A.")]) == 93 and "A.8.34" in iso and "A.5.38" not in iso


@pytest.mark.skipif(not SEED_CONTRACT.exists(), reason="the contract text is not on this machine")
def test_contract_article_list_matches_the_contract_text():
    text = re.sub(r"\s+", "", SEED_CONTRACT.read_text("utf-8"))
    data = yaml.safe_load((TEMPLATES / "contract-articles.yaml").read_text("utf-8"))
    for article in data["articles"]:
        assert re.sub(r"\s+", "", article["title"]["ja"]) in text, \
            article["no"]
    for marker in ("①", "②", "③", "④", "⑤", "⑥", "⑦"):  # Art. 10(1) has seven items, Art. 11(1) six
        assert marker in text
    assert "⑧" not in text


# --- the format: refusals name the file, the item and the problem --------------------------


def v11(items: list[dict], **top) -> str:
    doc = {"schema": SCHEMA_V1_1, "id": "t", "version": "1",
           "title": {"ja": "題", "en": "Title"},
           "evidence_kinds": [{"id": "policy", "label": {"ja": "規程", "en": "Policy"}}],
           "sections": [{"id": "AGR", "title": {"ja": "同意", "en": "Agreement"}, "items": items}], **top}
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def status(basis, **extra) -> dict:
    return {"id": "AGR-01", "kind": "status", "text": {"ja": "問", "en": "Q"}, "expected": ["yes"],
            "basis": basis, **extra}


def loads(basis, **extra):
    return load_template_text(v11([status(basis, **extra)]), "x.yaml")


@pytest.mark.parametrize(("basis", "problem"), [
    ([{"kind": "contract", "article": "2-3"}], "no provision '2-3'"),
    ([{"kind": "contract", "article": ["2-2", "16"]}], "no provision '16'"),
    ([{"kind": "contract", "article": "2-2", "proviso": True}], "has no proviso"),
    ([{"kind": "law", "law": "appi", "article": 27}], "renumbered in 2022: give old: 23"),
    ([{"kind": "law", "law": "appi", "article": 27, "old": 22}], "give old: 23, not 22"),
    ([{"kind": "law", "law": "appi", "article": 26}], "give old: none"),
    ([{"kind": "law", "law": "appi", "article": 2, "old": 5}], "kept its number"),
    ([{"kind": "law", "law": "appi", "article": 99, "old": 1}], "article 99"),
    ([{"kind": "law", "law": "appi_rules", "article": 7, "old": 6}], "current numbering only"),
    ([{"kind": "standard", "standard": "iso27001", "clause": "A.5.38"}], "'A.5.38'"),
    ([{"kind": "standard", "standard": "iso27001", "clause": "A.9.1"}], "'A.9.1'"),
    ([{"kind": "standard", "standard": "jisq15001", "clause": "A.3.4.3"}], "clause"),
    ([{"kind": "guidance", "source": "ppc", "section": "99-1"}], "'99-1'"),
])
def test_a_citation_that_does_not_exist_is_refused(basis, problem):
    with pytest.raises(TemplateError) as err:
        loads(basis)
    message = str(err.value)
    assert message.startswith("x.yaml: item AGR-01: "), message
    assert problem in message, message


@pytest.mark.parametrize(("mutate", "problem"), [
    (lambda i: i.pop("basis"), "'basis' is a required property"),
    (lambda i: i.update(basis=[]), "basis"),
    (lambda i: i.pop("expected"), "'expected' is a required property"),
    (lambda i: i.update(source="契約書 第2条"), "source"),
    (lambda i: i.update(basis=[{"kind": "guidance", "source": "ipa", "number": 26}]), "26"),
    (lambda i: i.update(basis=[{"kind": "guidance", "source": "ipa", "number": 0}]), "0"),
    (lambda i: i.update(basis=[{"kind": "guidance", "source": "ccus", "title": {"ja": "資料", "en": "Doc"},
                                "url": "https://www.ccus.jp/"}]), "date"),
    (lambda i: i.update(basis=[{"kind": "practice"}]), "reading"),
    (lambda i: i.update(basis=[{"kind": "contract", "article": "第2条"}]), "'第2条'"),
    (lambda i: i.update(basis=[{"kind": "law", "law": "gdpr", "article": 5}]), "gdpr"),
])
def test_v1_1_schema_refusals(mutate, problem):
    item = status([{"kind": "contract", "article": "2-2"}])
    mutate(item)
    with pytest.raises(TemplateError) as err:
        load_template_text(v11([item]), "x.yaml")
    assert "item AGR-01" in str(err.value) and problem in str(err.value), str(err.value)


def test_v1_rejects_v1_1_fields_and_unknown_formats():
    mini = (ROOT / "tests" / "fixtures" / "templates" / "mini.yaml").read_text("utf-8")
    with pytest.raises(TemplateError, match="basis"):
        load_template_text(mini.replace("        source: 契約書 第2条1項\n",
                                        "        source: 契約書 第2条1項\n        basis: []\n", 1), "m.yaml")
    with pytest.raises(TemplateError, match=r"m.yaml: top level: field 'schema'.*known template format"):
        load_template_text(mini.replace("ccus-attest/template/v1", "ccus-attest/template/v9"), "m.yaml")


def test_contains_any_condition_only_on_multiple_choice():
    multi = {"id": "AGR-01", "kind": "multi", "text": {"ja": "場所", "en": "Where"},
             "choices": [{"value": v, "label": {"ja": v, "en": v}} for v in ("a", "b", "c")],
             "basis": [{"kind": "practice", "reading": {"ja": "読み", "en": "reading"}}]}
    text = {"id": "AGR-02", "kind": "text", "text": {"ja": "詳細", "en": "Details"},
            "show_if": {"item": "AGR-01", "contains_any": ["b", "c"]},
            "basis": [{"kind": "practice", "reading": {"ja": "読み", "en": "reading"}}]}
    t = load_template_text(v11([multi, text]), "x.yaml")
    cond = t.item("AGR-02").show_if
    assert cond.holds(["a", "c"]) and not cond.holds(["a"]) and not cond.holds(None)
    bad = dict(text, show_if={"item": "AGR-01", "contains_any": ["z"]})
    with pytest.raises(TemplateError, match="'z' is not an answer of AGR-01"):
        load_template_text(v11([multi, bad]), "x.yaml")


# --- rendering -------------------------------------------------------------------------------


@pytest.mark.parametrize(("basis", "ja", "en"), [
    ([{"kind": "contract", "article": "2-2"}], "契約書 第2条2項", "Contract Art. 2(2)"),
    ([{"kind": "contract", "article": ["10-1①", "10-1②", "10-1⑥"]}],
     "契約書 第10条1項①、②、⑥", "Contract Art. 10(1)①, ②, ⑥"),
    ([{"kind": "contract", "article": ["4(2)", "4(3)"]}], "契約書 第4条(2)、(3)", "Contract Art. 4(2), (3)"),
    ([{"kind": "contract", "article": ["5(2)", "1-4(1)"]}],
     "契約書 第5条(2)、第1条4項(1)", "Contract Art. 5(2), Art. 1(4)(1)"),
    ([{"kind": "contract", "article": "5(5)イ"}], "契約書 第5条(5)イ", "Contract Art. 5(5)(b)"),
    ([{"kind": "contract", "article": "2-1", "proviso": True}],
     "契約書 第2条1項ただし書", "Contract Art. 2(1) proviso"),
    ([{"kind": "contract", "article": "2-1②(1)"}, {"kind": "contract", "article": "6-1(6)"}],
     "契約書 第2条1項②(1)、第6条1項(6)", "Contract Art. 2(1)②(1), Art. 6(1)(6)"),
    ([{"kind": "law", "law": "appi", "article": 27, "paragraph": 5, "item": 3, "old": 23}],
     "個人情報保護法 第27条5項3号（旧第23条）", "APPI Art. 27(5)(iii) (formerly Art. 23)"),
    ([{"kind": "law", "law": "appi", "article": 26, "old": "none"}],
     "個人情報保護法 第26条（2022年4月新設）", "APPI Art. 26 (new from April 2022)"),
    ([{"kind": "law", "law": "appi_order", "article": 10, "item": 1}],
     "個人情報保護法施行令 第10条1号", "APPI Cabinet Order Art. 10(i)"),
    ([{"kind": "standard", "standard": "iso27001", "clause": ["5.2", "A.5.1", "A.8.3"]}],
     "ISO/IEC 27001:2022 箇条5.2、附属書A 5.1・8.3", "ISO/IEC 27001:2022 Clause 5.2, Annex A 5.1, 8.3"),
    ([{"kind": "standard", "standard": "jisq15001", "clause": "9.2"}],
     "JIS Q 15001:2023 箇条9.2", "JIS Q 15001:2023 Clause 9.2"),
    ([{"kind": "guidance", "source": "ipa", "number": [12, 14]}],
     "IPA「5分でできる！情報セキュリティ自社診断」 No.12・No.14",
     'IPA "5-Minute Information Security Self-Assessment" No. 12, 14'),
    ([{"kind": "guidance", "source": "ppc", "section": "10-7"}],
     "通則ガイドライン 10-7（外的環境の把握）",
     "PPC General Guidelines 10-7 (understanding the external environment)"),
    ([{"kind": "guidance", "source": "ccus", "title": {"ja": "CCUS 認定基準", "en": "CCUS criteria"},
       "url": "https://www.auth.ccus.jp/", "date": "2024-04-01"}],
     "CCUS 認定基準（https://www.auth.ccus.jp/、2024-04-01）",
     "CCUS criteria (https://www.auth.ccus.jp/, 2024-04-01)"),
    ([{"kind": "practice", "reading": {"ja": "推奨する", "en": "recommended"}}],
     "本テンプレートの解釈：推奨する", "This template's reading: recommended"),
    ([{"kind": "contract", "article": "3(2)", "note": {"ja": "有効期限内", "en": "unexpired"}},
      {"kind": "contract", "article": "3(3)"}],
     "契約書 第3条(2)：有効期限内；契約書 第3条(3)", "Contract Art. 3(2): unexpired; Contract Art. 3(3)"),
])
def test_basis_renders_in_both_languages(basis, ja, en):
    item = loads(basis).item("AGR-01")
    assert (basis_text(item, "ja"), basis_text(item, "en")) == (ja, en)
    assert basis_citation(item).as_dict() == {"ja": ja, "en": en}


def test_binding_follows_the_basis_kinds():
    practice = loads([{"kind": "practice", "reading": {"ja": "読み", "en": "reading"}},
                      {"kind": "standard", "standard": "iso27001", "clause": "A.8.5"}]).item("AGR-01")
    contract = loads([{"kind": "contract", "article": "5(3)"}]).item("AGR-01")
    law = loads([{"kind": "law", "law": "appi", "article": 23, "old": 20}]).item("AGR-01")
    assert (practice.binding, contract.binding, law.binding) == (False, True, True)
    assert practice.basis_kinds == (BasisKind.PRACTICE, BasisKind.STANDARD)


# --- item IDs as people type them ----------------------------------------------------------


@pytest.mark.parametrize("typed", ["AGR-03", "agr-03", " Agr-03 ", "ＡＧＲ－０３", "agr‐03", "AGR−03",
                                   "ａｇｒ-03"])
def test_item_ids_are_resolved_whatever_the_case_or_width(typed):
    assert default_template().resolve_id(typed) == "AGR-03"


@pytest.mark.parametrize("typed", ["AGR-3", "AGR03", "XYZ-01", ""])
def test_unknown_ids_are_still_refused(typed):
    with pytest.raises(UnknownItem):
        default_template().resolve_id(typed)


# --- hostile: a structurally mutated v1.1 template loads or is refused, never crashes ---------

_V11_DOC = yaml.safe_load(v11([
    status([{"kind": "contract", "article": ["10-1①", "10-1②"]},
            {"kind": "law", "law": "appi", "article": 27, "paragraph": 5, "item": 3, "old": 23,
             "note": {"ja": "注", "en": "note"}},
            {"kind": "standard", "standard": "iso27001", "clause": ["6.1.2", "A.5.23"]},
            {"kind": "guidance", "source": "ipa", "number": [12, 14]},
            {"kind": "guidance", "source": "ppc", "section": "10-7"},
            {"kind": "guidance", "source": "ccus", "title": {"ja": "資料", "en": "Doc"},
             "url": "https://www.ccus.jp/", "date": "2025-04-01"},
            {"kind": "practice", "reading": {"ja": "読み", "en": "reading"}}],
           evidence={"kinds": ["policy"]}),
    {"id": "AGR-02", "kind": "multi", "text": {"ja": "場所", "en": "Where"},
     "choices": [{"value": v, "label": {"ja": v, "en": v}} for v in ("a", "b")],
     "show_if": {"item": "AGR-01", "in": ["yes", "partial"]},
     "basis": [{"kind": "contract", "article": "2-1", "proviso": True},
               {"kind": "law", "law": "appi", "article": 26, "old": "none"}]},
]))


@given(doc=mutations_of(_V11_DOC))
@FAST
def test_structurally_mutated_v1_1_template(doc):
    try:
        template = load_template_text(yaml.safe_dump(doc, allow_unicode=True), "fuzz.yaml")
    except TemplateError as exc:
        assert str(exc).startswith("fuzz.yaml: ")
        return
    for item in template.items:
        basis_text(item, "ja"), basis_text(item, "en")
    assess(template, {}, [])


# --- what the basis decides: the outcome of a failed answer ---------------------------------


@pytest.mark.parametrize(("item_id", "outcome"), [
    ("AGR-05", "needs_improvement"),   # practice: appointing a person is the template's reading
    ("API-05", "needs_improvement"),   # practice: the IC card is not in Art. 5(3)
    ("CHG-07", "needs_improvement"),   # standard + practice: deletion evidence
    ("TEC-05", "needs_improvement"),   # standard: MFA
    ("AGR-10", "non_conforming"),      # contract Art. 2(2): the official survey
    ("API-04", "non_conforming"),      # contract Art. 5(3): the CCUS ID
    ("PI-02", "non_conforming"),       # law: APPI Art. 21
])
def test_a_no_is_blocking_only_where_the_contract_or_a_law_says_so(item_id, outcome):
    t = default_template()
    answers = {item_id: Answer("no", note="2027年3月までに対応")}
    state = assess(t, answers, []).items[item_id]
    assert str(state.outcome) == outcome
    assert any(p.blocking for p in state.problems) == (outcome == "non_conforming")
