"""The questionnaire template: the shipped content, and refusal of malformed files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from questionnaire import AnswerKind, TemplateError, default_template, load_template_file, load_template_text
from questionnaire.template import MAX_TEMPLATE_BYTES

from .conftest import FIXTURES

MINI = (FIXTURES / "templates" / "mini.yaml").read_text("utf-8")


def test_default_template_size_and_kinds():
    t = default_template()
    assert len(t.sections) >= 10
    assert len(t.items) >= 45
    assert {i.kind for i in t.items} == set(AnswerKind)
    assert all(i.text.ja.strip() and i.text.en.strip() for i in t.items)
    assert all(i.source.strip() for i in t.items)
    assert len({i.id for i in t.items}) == len(t.items)


@pytest.mark.parametrize("article", [
    "第2条", "第3条(1)", "第3条(2)", "第3条(3)",
    *[f"第5条({n})" for n in range(1, 9)], "第5条(5)ア", "第5条(5)イ",
    *[f"第6条1項({n})" for n in range(1, 7)], "第13条",
])
def test_default_template_covers_contract_article(article):
    sources = [i.source for i in default_template().items]
    assert any(article in s for s in sources), f"no item cites {article}"


def test_default_template_has_conditions_evidence_and_expectations():
    t = default_template()
    assert any(i.show_if for i in t.items)
    assert any(i.required_if for i in t.items)
    assert any(i.evidence and "certificate" in i.evidence.kinds for i in t.items)
    face = [i for i in t.items if "5条(4)" in i.source]
    assert face and all(i.expected == ("yes",) for i in face if i.kind is AnswerKind.STATUS)


def test_status_codes_stay_strings():
    """YAML 1.1 would read `yes`/`no` as booleans; the loader must not."""
    text = MINI.replace('expected: ["yes"]', "expected: [yes]")
    t = load_template_text(text, "x.yaml")
    assert t.item("AGR-01").expected == ("yes",)


class _NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def mutate(fn) -> str:
    data = yaml.safe_load(MINI)
    fn(data)
    return yaml.dump(data, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False)


def items(data):
    return [i for s in data["sections"] for i in s["items"]]


def item(data, item_id):
    return next(i for i in items(data) if i["id"] == item_id)


BROKEN = {
    "duplicate item": (lambda d: d["sections"][1]["items"].append(dict(item(d, "CERT-01"))),
                       "item CERT-01", "duplicate item id"),
    "unknown kind": (lambda d: item(d, "TEC-03").update(kind="yesno"), "item TEC-03", "kind"),
    "missing english": (lambda d: item(d, "CERT-02")["text"].pop("en"), "item CERT-02", "'en'"),
    "empty japanese": (lambda d: item(d, "CERT-02")["text"].update(ja="  "), "item CERT-02", "ja"),
    "forward condition": (lambda d: item(d, "CERT-02").update(show_if={"item": "TEC-04", "equals": "yes"}),
                          "item CERT-02", "TEC-04"),
    "unknown condition value": (
        lambda d: item(d, "TEC-02").update(show_if={"item": "TEC-01", "contains": "mars"}),
        "item TEC-02", "'mars'"),
    "self condition": (lambda d: item(d, "CERT-03").update(show_if={"item": "CERT-03", "equals": "x"}),
                       "item CERT-03", "itself"),
    "contains on single": (
        lambda d: item(d, "CERT-03").update(show_if={"item": "CERT-01", "contains": "isms"}),
        "item CERT-03", "contains"),
    "bad expected": (lambda d: item(d, "AGR-01").update(expected=["maybe"]), "item AGR-01", "'maybe'"),
    "unknown evidence kind": (lambda d: item(d, "CERT-02")["evidence"].update(kinds=["selfie"]),
                              "item CERT-02", "selfie"),
    "wrong prefix": (lambda d: item(d, "TEC-05").update(id="CERT-09"), "item CERT-09", "section id"),
    "choices on status": (lambda d: item(d, "AGR-01").update(choices=item(d, "CERT-01")["choices"]),
                          "item AGR-01", "fixed choices"),
    "no choices on single": (lambda d: item(d, "CERT-01").pop("choices"), "item CERT-01", "choices"),
    "bad id": (lambda d: item(d, "TEC-01").update(id="tec_1"), "item tec_1", "id"),
    "min above max": (lambda d: item(d, "TEC-03")["number"].update(min=10, max=1), "item TEC-03", "min"),
    "duplicate section": (lambda d: d["sections"].append(dict(d["sections"][0])), "section AGR", "duplicate"),
    "unknown field": (lambda d: item(d, "TEC-03").update(colour="red"), "item TEC-03", "colour"),
    "wrong schema": (lambda d: d.update(schema="other/v9"), "top level", "schema"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_malformed_template_names_file_item_problem(case):
    fn, where, problem = BROKEN[case]
    with pytest.raises(TemplateError) as err:
        load_template_text(mutate(fn), "broken.yaml")
    message = str(err.value)
    assert message.startswith("broken.yaml: "), message
    assert where in message, message
    assert problem in message, message


def test_yaml_alias_refused():
    text = MINI.replace("title: {ja: 同意, en: Agreement}", "title: &t {ja: 同意, en: Agreement}", 1)
    text = text.replace("title: {ja: 認証, en: Certification}", "title: *t", 1)
    with pytest.raises(TemplateError, match="aliases are not allowed"):
        load_template_text(text, "alias.yaml")


def test_yaml_syntax_error_gives_line():
    with pytest.raises(TemplateError, match=r"bad\.yaml: line \d+: not valid YAML"):
        load_template_text(MINI.replace("kind: number", "kind: [number"), "bad.yaml")


def test_file_errors(tmp_path: Path):
    with pytest.raises(TemplateError, match="missing.yaml: cannot read file"):
        load_template_file(tmp_path / "missing.yaml")
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_TEMPLATE_BYTES + 1))
    with pytest.raises(TemplateError, match="big.yaml: file larger than"):
        load_template_file(big)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("title: caf\xe9".encode("latin-1"))
    with pytest.raises(TemplateError, match="latin.yaml: not UTF-8"):
        load_template_file(latin)


def test_template_digest_identifies_text():
    a = load_template_text(MINI, "a.yaml")
    b = load_template_text(MINI.replace("テスト用調査票", "テスト用調査票2"), "b.yaml")
    assert a.digest != b.digest and re.fullmatch(r"[0-9a-f]{64}", a.digest)
