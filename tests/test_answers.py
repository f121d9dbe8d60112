"""Answer parsing and validation per kind."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from questionnaire import AnswerKind, InvalidAnswer, default_template, parse_date, parse_note, parse_value


@pytest.fixture
def t(mini_template):
    return mini_template


@pytest.mark.parametrize(("raw", "code"), [
    ("はい", "yes"), ("yes", "yes"), ("Yes", "yes"), ("一部", "partial"), ("partly", "partial"),
    ("いいえ", "no"), ("該当なし", "na"), ("na", "na"), (" はい ", "yes"),
])
def test_status(t, raw, code):
    assert parse_value(t.item("AGR-01"), raw) == code


@pytest.mark.parametrize("raw", ["maybe", 1, True, ["yes"], "Ｙｅｓ!"])
def test_status_rejects(t, raw):
    with pytest.raises(InvalidAnswer, match="AGR-01"):
        parse_value(t.item("AGR-01"), raw)


def test_single_by_code_or_label(t):
    item = t.item("CERT-01")
    assert parse_value(item, "pmark") == "pmark"
    assert parse_value(item, "プライバシーマーク") == "pmark"
    with pytest.raises(InvalidAnswer, match="not one of"):
        parse_value(item, "iso9001")


def test_multi(t):
    item = t.item("TEC-01")
    assert parse_value(item, "overseas, own") == ["own", "overseas"]  # template order
    assert parse_value(item, "自社、海外") == ["own", "overseas"]
    assert parse_value(item, ["cloud", "cloud"]) == ["cloud"]
    assert parse_value(item, []) is None
    with pytest.raises(InvalidAnswer):
        parse_value(item, "own, moon")
    with pytest.raises(InvalidAnswer):
        parse_value(item, 3)


@pytest.mark.parametrize(("raw", "iso"), [
    ("2026-04-01", "2026-04-01"), ("2026/4/1", "2026-04-01"), ("2026年4月1日", "2026-04-01"),
    ("２０２６－０４－０１", "2026-04-01"), (dt.date(2027, 1, 2), "2027-01-02"),
])
def test_date(t, raw, iso):
    assert parse_value(t.item("CERT-03"), raw) == iso


@pytest.mark.parametrize("raw", ["2026-02-30", "tomorrow", "01/04/2026", "1800-01-01", 20260401])
def test_date_rejects(t, raw):
    with pytest.raises(InvalidAnswer, match="CERT-03"):
        parse_value(t.item("CERT-03"), raw)


def test_number(t):
    item = t.item("TEC-03")  # integer 0..3650 days
    assert parse_value(item, "365") == 365
    assert parse_value(item, 30.0) == 30
    assert parse_value(item, "１，０００") == 1000
    for bad in ["-1", "4000", "1.5", "ten", True, float("nan"), "inf"]:
        with pytest.raises(InvalidAnswer):
            parse_value(item, bad)


def test_text(t):
    item = t.item("CERT-02")  # text_max 40
    assert parse_value(item, "  IS 123456  ") == "IS 123456"
    assert parse_value(item, "   ") is None
    with pytest.raises(InvalidAnswer, match="at most 40"):
        parse_value(item, "x" * 41)
    with pytest.raises(InvalidAnswer, match="control characters"):
        parse_value(item, "a\x00b")


def test_note():
    assert parse_note("X-01", "  計画: 2027年3月までに是正 ") == "計画: 2027年3月までに是正"
    assert parse_note("X-01", "") is None
    with pytest.raises(InvalidAnswer):
        parse_note("X-01", 5)


def test_parse_date_messages():
    with pytest.raises(ValueError, match="expiry date '2026-13-01' is not a real calendar date"):
        parse_date("2026-13-01", "expiry date")


def test_date_error_names_every_accepted_format():
    for raw in ("tomorrow", "01/04/2026", 20260401):
        with pytest.raises(ValueError) as err:
            parse_date(raw, "date")
        message = str(err.value)
        for form in ("YYYY-MM-DD", "YYYY/MM/DD", "YYYY.MM.DD", "YYYY年MM月DD日"):
            assert form in message, message
    for raw in ("2026-04-01", "2026/04/01", "2026.04.01", "2026年04月01日", "2026年4月1日", "2026/4/1"):
        assert parse_date(raw) == dt.date(2026, 4, 1), raw  # and each named form is accepted


# --- every choice label of the default template, however it is typed ----------------------

_HALF_KANA = {unicodedata.normalize("NFKC", chr(c)): chr(c) for c in range(0xFF66, 0xFF9E)}
_HALF_KANA.update({unicodedata.normalize("NFKC", base + mark): base + mark
                   for base in map(chr, range(0xFF66, 0xFF9E)) for mark in ("\uff9e", "\uff9f")
                   if len(unicodedata.normalize("NFKC", base + mark)) == 1})


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text)


def half_width(text: str) -> str:
    """ASCII letters and brackets, and half-width katakana (ｶﾞ for ガ)."""
    return "".join(_HALF_KANA.get(c, c) for c in unicodedata.normalize("NFKC", text))


def spellings(label: str) -> set[str]:
    return {label, full_width(label), half_width(label), label.upper(), label.lower(),
            full_width(label.upper()), half_width(label).lower(), f"  {label}\t"}


def _all_choices():
    t = default_template()
    return [(item.id, c.value, label) for item in t.items if item.choices for c in item.choices
            for label in (c.label.ja, c.label.en, c.value)]


@pytest.mark.parametrize(("item_id", "value", "label"), _all_choices())
def test_every_label_of_the_default_template_parses_in_every_width_and_case(item_id, value, label):
    item = default_template().item(item_id)
    for raw in spellings(label):
        expected = [value] if item.kind is AnswerKind.MULTI else value
        assert parse_value(item, raw) == expected, (item_id, raw)


def test_half_width_katakana_is_really_produced():
    assert half_width("プライバシーマーク") == "ﾌﾟﾗｲﾊﾞｼｰﾏｰｸ"
    assert full_width("ISMS (ISO/IEC 27001)") == "ＩＳＭＳ\u3000（ＩＳＯ／ＩＥＣ\u3000２７００１）"


@pytest.mark.parametrize(("raw", "code"), [
    ("ISMS", "isms"), ("ｉｓｍｓ", "isms"), ("ISMS認証", "isms"), ("isms認証", "isms"),
    ("ISMSクラウドセキュリティ認証", "isms_cloud"), ("プライバシーマーク", "pmark"),
    ("Privacy Mark", "pmark"),
    ("ISMS認証(ISO/IEC 27001)", "isms"), ("ISMS認証（ISO/IEC27001）", "isms"),
])
def test_the_spellings_the_readme_promises(raw, code):
    assert parse_value(default_template().item("CERT-01"), raw) == code


def test_a_short_label_that_fits_several_choices_is_refused():
    item = default_template().item("CERT-06")  # both editions are 「ISO/IEC 27001:20xx（…）」
    assert parse_value(item, "ISO/IEC 27001:2022") == "iso27001_2022"
    with pytest.raises(InvalidAnswer, match="not one of"):
        parse_value(item, "ISO/IEC 27001")


def test_multi_accepts_labels_in_any_width():
    item = default_template().item("PHY-01")
    with pytest.raises(InvalidAnswer, match="'海外' is not one of"):
        parse_value(item, "ｸﾗｳﾄﾞサービス（国内リージョン）、海外")  # a part that is no label
    raw = "ｸﾗｳﾄﾞサービス(国内リージョン), A DATA CENTRE IN JAPAN (HOUSING OR HOSTING)"
    assert parse_value(item, raw) == ["domestic_dc", "domestic_cloud"]


def _reference_valid(item, value):
    from questionnaire.errors import InvalidAnswer
    try:
        return parse_value(item, value) == value
    except InvalidAnswer:
        return False


def test_stored_value_check_agrees_with_the_parser():
    """is_valid_stored takes shortcuts for the common stored forms; they must agree with
    the full parser on valid and invalid values alike."""
    from questionnaire import default_template
    from questionnaire.answers import is_valid_stored

    samples = ["yes", "no", "na", "partial", "はい", "YES", " yes", "isms", "", "x",
               ["isms"], ["b", "a"], [], ["own", "own"], [1], "2026-04-01", "2026-4-1", "2026-02-30",
               "1800-01-01", "2026/04/01", "２０２６-04-01", 3, 3.5, -1, True, None, "text", "a\x01b"]
    template = default_template()
    for item in template.items:
        values = [*samples, *item.choice_values, list(item.choice_values), list(reversed(item.choice_values))]
        for value in values:
            if value is None:
                continue
            assert is_valid_stored(item, value) == _reference_valid(item, value), (item.id, value)
