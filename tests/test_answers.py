"""Answer parsing and validation per kind."""

from __future__ import annotations

import datetime as dt

import pytest

from questionnaire import InvalidAnswer, parse_date, parse_note, parse_value


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
