"""English citations of the template's sources (questionnaire.citation)."""

from __future__ import annotations

import re

import pytest

from questionnaire.basis import basis_text
from questionnaire.citation import citation, citation_en
from questionnaire.template import default_template, load_template_file

from .conftest import ROOT

JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")


@pytest.mark.parametrize(("source", "english"), [
    ("契約書 第3条(2)", "Contract Art. 3(2)"),
    ("契約書 第2条1項①", "Contract Art. 2(1)①"),
    ("契約書 第2条1項ただし書", "Contract Art. 2(1) proviso"),
    ("契約書 第5条(5)イ", "Contract Art. 5(5)(b)"),
    ("契約書 第4条(1)〜(3)", "Contract Art. 4(1)–(3)"),
    ("契約書 第5条(2)、第1条4項(1)", "Contract Art. 5(2), Art. 1(4)(1)"),
    ("個人情報保護法 第32条〜第35条（旧第27条〜第30条）", "APPI Art. 32–35 (formerly Art. 27–30)"),
    ("ISO/IEC 27001:2022 箇条5.2・附属書A 5.1；JIS Q 15001:2023（内部監査）",
     "ISO/IEC 27001:2022 Clause 5.2, Annex A 5.1; JIS Q 15001:2023 (internal audit)"),
    ("ISO/IEC 27001:2022", "ISO/IEC 27001:2022"),
])
def test_known_notation(source, english):
    assert citation_en(source) == english
    assert citation(source, "en") == english
    assert citation(source, "ja") == source


@pytest.mark.parametrize("source", [
    "契約書 別表第1",                      # a word the module does not know
    "社内規程 第3条",                      # another document
    "契約書 第3条(2)；建設業法 第19条",     # one unknown part spoils the whole
])
def test_unknown_citations_stay_as_written(source):
    assert citation_en(source) == source


def test_every_source_of_template_1_0_reads_in_english():
    """1.0.0 has only a free-text `source`; workspaces created with it keep showing it."""
    template = load_template_file(ROOT / "questionnaire" / "templates" / "ccus-survey-v1.yaml")
    sources = {item.source for item in template.items}
    untranslated = sorted(s for s in sources if JAPANESE.search(citation_en(s)))
    assert untranslated == []
    assert all(basis_text(item, "en") == citation_en(item.source) for item in template.items)


def test_every_basis_of_the_default_template_reads_in_english():
    """1.1.0 and later carry both languages of every citation in their `basis`."""
    untranslated = sorted(i.id for i in default_template().items if JAPANESE.search(basis_text(i, "en")))
    assert untranslated == []
