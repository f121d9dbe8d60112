"""The structural template diff (questionnaire/template_diff.py): what changed, item by item, and
whether it asks less of the vendor. Used by verify against the official text, and reusable for a
year-to-year "template changes" view."""

from __future__ import annotations

from questionnaire import load_template_text
from questionnaire.template_diff import ChangeKind, Effect, diff_templates

BASE = """\
schema: ccus-attest/template/v1
id: diff-test
version: "1"
title: {ja: 差分, en: Diff}
evidence_kinds:
  - id: certificate
    label: {ja: 証明書, en: Certificate}
  - id: policy
    label: {ja: 規程, en: Policy}
sections:
  - id: AAA
    title: {ja: 第一, en: First}
    items:
      - id: AAA-01
        kind: status
        text: {ja: 質問一, en: Question one}
        expected: ["yes"]
        evidence: {kinds: [certificate]}
        source: 契約書 第2条
      - id: AAA-02
        kind: number
        text: {ja: 質問二, en: Question two}
        number: {min: 0, max: 10, integer: true}
        source: 契約書 第3条
      - id: AAA-03
        kind: single
        text: {ja: 質問三, en: Question three}
        choices:
          - {value: a, label: {ja: あ, en: A}}
          - {value: b, label: {ja: い, en: B}}
        source: ISO/IEC 27001
"""


def diff(new_text: str):
    return diff_templates(load_template_text(BASE), load_template_text(new_text))


def kinds(d) -> dict[tuple[ChangeKind, str | None], Effect]:
    return {(c.kind, c.item_id): c.effect for c in d.changes}


def test_identical_templates_have_no_differences():
    d = diff(BASE)
    assert d.identical and d.changes == () and d.summary() == "no differences"


def test_formatting_only_is_named():
    d = diff(BASE + "# a comment\n")
    assert not d.identical and [c.kind for c in d.changes] == [ChangeKind.FORMATTING]


def test_loosening_changes_are_named_with_their_effect():
    text = (BASE.replace('        expected: ["yes"]\n', "")
            .replace("        evidence: {kinds: [certificate]}\n", "")
            .replace("        number: {min: 0, max: 10, integer: true}",
                     "        number: {min: 0, integer: true}\n        required: false")
            .replace("source: 契約書 第3条", "source: 社内規程"))
    d = diff(text)
    found = kinds(d)
    assert found[(ChangeKind.EXPECTED, "AAA-01")] is Effect.LOOSER
    assert found[(ChangeKind.EVIDENCE_RULE, "AAA-01")] is Effect.LOOSER
    assert found[(ChangeKind.MADE_OPTIONAL, "AAA-02")] is Effect.LOOSER
    assert found[(ChangeKind.LIMITS, "AAA-02")] is Effect.LOOSER        # no maximum any more
    assert found[(ChangeKind.BASIS, "AAA-02")] is Effect.LOOSER         # no longer binding (contract)
    assert found[(ChangeKind.SOURCE, "AAA-02")] is Effect.NEUTRAL
    assert all(c.effect is Effect.LOOSER for c in d.looser)
    assert d.summary().startswith("1 items made optional (AAA-02)")


def test_items_removed_added_moved_and_reworded():
    text = BASE.replace("質問一", "質問一（改）")
    # AAA-03 moves before AAA-02; AAA-02 is removed in a second step below
    a2 = text.index("      - id: AAA-02")
    a3 = text.index("      - id: AAA-03")
    moved = text[:a2] + text[a3:] + text[a2:a3]
    d = diff(moved)
    found = kinds(d)
    assert found[(ChangeKind.TEXT, "AAA-01")] is Effect.NEUTRAL
    assert (ChangeKind.ITEM_MOVED, "AAA-02") in found or (ChangeKind.ITEM_MOVED, "AAA-03") in found
    removed = text[:a2] + text[a3:]
    added = removed + ("      - id: AAA-04\n        kind: status\n        text: {ja: 新, en: New}\n"
                       "        source: 契約書 第4条\n")
    d = diff(added)
    found = kinds(d)
    assert found[(ChangeKind.ITEM_REMOVED, "AAA-02")] is Effect.LOOSER
    assert found[(ChangeKind.ITEM_ADDED, "AAA-04")] is Effect.STRICTER
    assert "1 items removed (AAA-02)" in d.summary()


def test_stricter_and_changed_choices():
    b = "          - {value: b, label: {ja: い, en: B}}\n"
    text = (BASE.replace("{min: 0, max: 10, integer: true}", "{min: 1, max: 10, integer: true}")
            .replace(b, b + "          - {value: c, label: {ja: う, en: C}}\n"))
    found = kinds(diff(text))
    assert found[(ChangeKind.LIMITS, "AAA-02")] is Effect.STRICTER
    assert (ChangeKind.CHOICES, "AAA-03") in found


def test_the_diff_is_serialisable():
    import json

    d = diff(BASE.replace("質問一", "別の質問"))
    doc = d.as_dict()
    assert json.loads(json.dumps(doc, ensure_ascii=False))["changes"][0]["field"] == "text"
    assert doc["old"]["version"] == "1" and doc["identical"] is False
