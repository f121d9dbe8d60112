"""Answers: parsing raw input into a stored value, and checking stored values.

A stored value is JSON-friendly: a choice code (status/single), a list of codes
(multi, in template order), an ISO date string, a string, or a number.
Input may be the code, the Japanese or English label, or for multi a list or a
comma-separated string, so the CLI, JSON imports and widgets share one parser.
Choice input and labels are compared after the same normalisation (NFKC, case folded,
spaces ignored), so full-width, half-width and case variants of a label all match.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from .errors import InvalidAnswer
from .template import AnswerKind, Item

AnswerValue = str | int | float | list[str]

MAX_NOTE_CHARS = 8000
_DATE_RE = re.compile(r"^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*$")
DATE_FORMATS = ("YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD or YYYY年MM月DD日 "
                "(e.g. 2026-04-01, 2026/4/1, 2026年4月1日)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Lone surrogates reach us from JSON ("\ud800") or undecodable OS strings; they cannot be
# encoded as UTF-8, so they would fail later, far from the input that caused them.
_SURROGATE = re.compile("[\ud800-\udfff]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LIST_SPLIT = re.compile(r"\s*[,、，]\s*")


@dataclass(frozen=True, slots=True)
class Answer:
    value: AnswerValue | None
    note: str | None = None
    updated_at: str | None = None  # ISO timestamp, UTC

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "note": self.note, "updated_at": self.updated_at}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        return cls(data.get("value"), data.get("note"), data.get("updated_at"))


def parse_date(raw: object, what: str = "date") -> dt.date:
    """A calendar date from a date object or 'YYYY-MM-DD' / 'YYYY/MM/DD' / '2026年4月1日'."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if not isinstance(raw, str):
        raise ValueError(f"{what} must be text in one of the forms {DATE_FORMATS}, "
                         f"not {type(raw).__name__}")
    match = _DATE_RE.match(unicodedata.normalize("NFKC", raw))
    if not match:
        raise ValueError(f"{what} {raw!r} is not a date; use {DATE_FORMATS}")
    try:
        value = dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise ValueError(f"{what} {raw!r} is not a real calendar date") from None
    if not 1900 <= value.year <= 2200:
        raise ValueError(f"{what} {raw!r} is out of range")
    return value


def clean_text(raw: str, limit: int, what: str) -> str:
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").strip()
    if _CONTROL.search(text):
        raise ValueError(f"{what} contains control characters")
    if _SURROGATE.search(text):
        raise ValueError(f"{what} contains characters that are not valid Unicode text")
    if len(text) > limit:
        raise ValueError(f"{what} is {len(text)} characters long; at most {limit} are allowed")
    return text


def choice_key(text: str) -> str:
    """How choice input and labels are compared: NFKC (full-width letters, digits, brackets and
    half-width katakana fold to one form), case folded, white space ignored."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).casefold())


_SPACE = re.compile(r"\s+")
_TRAILING_BRACKET = re.compile(r"\([^()]*\)$")


def _choice_keys(item: Item) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Exact keys (code, Japanese and English label) and short keys (a label without its
    trailing bracket: 「ISMS認証」 for 「ISMS認証（ISO/IEC 27001）」), each to choice values."""
    exact: dict[str, str] = {}
    short: dict[str, set[str]] = {}
    for choice in item.choices:
        for text in (choice.value, choice.label.ja, choice.label.en):
            exact.setdefault(choice_key(text), choice.value)
        for label in (choice.label.ja, choice.label.en):
            stem = _TRAILING_BRACKET.sub("", unicodedata.normalize("NFKC", label).strip())
            if stem and stem != label:
                short.setdefault(choice_key(stem), set()).add(choice.value)
    return exact, short


def _match_choice(item: Item, raw: object) -> str:
    if not isinstance(raw, str):
        raise ValueError(f"expected one of {_choices_hint(item)}, got {type(raw).__name__}")
    key = choice_key(raw)
    exact, short = _choice_keys(item)
    if key in exact:
        return exact[key]
    found = short.get(key, set())
    if len(found) == 1:
        return next(iter(found))
    if found:
        options = ", ".join(v for v in item.choice_values if v in found)
        raise ValueError(f"{raw!r} could mean any of {options}; give the code or the full label")
    raise ValueError(f"{raw!r} is not one of {_choices_hint(item)}")


def _choices_hint(item: Item) -> str:
    return ", ".join(f"{c.value} ({c.label.ja})" for c in item.choices)


def _parse_number(item: Item, raw: object) -> int | float:
    if isinstance(raw, bool):
        raise ValueError("expected a number, got true/false")
    if isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).replace(",", "").strip()
        try:
            raw = int(text) if re.fullmatch(r"[+-]?\d+", text) else float(text)
        except ValueError:
            raise ValueError(f"{raw!r} is not a number") from None
    if not isinstance(raw, (int, float)) or not math.isfinite(raw):
        raise ValueError(f"{raw!r} is not a finite number")
    spec = item.number
    if spec is not None:
        if spec.integer:
            if raw != int(raw):
                raise ValueError(f"{raw} is not a whole number")
            raw = int(raw)
        if spec.minimum is not None and raw < spec.minimum:
            raise ValueError(f"{raw} is below the minimum {spec.minimum:g}")
        if spec.maximum is not None and raw > spec.maximum:
            raise ValueError(f"{raw} is above the maximum {spec.maximum:g}")
    return raw


def _split_multi(item: Item, raw: str) -> list[str]:
    """A comma-separated list of choices; a single label that itself holds a comma stays whole."""
    exact, short = _choice_keys(item)
    whole = choice_key(raw)
    if whole in exact or len(short.get(whole, ())) == 1:
        return [raw]
    return _LIST_SPLIT.split(raw.strip())


def parse_value(item: Item, raw: object) -> AnswerValue | None:
    """Validate raw input for ``item``; returns the stored form, or None for "no answer".

    Raises InvalidAnswer naming the item and the problem.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []:
        return None
    try:
        match item.kind:
            case AnswerKind.STATUS | AnswerKind.SINGLE:
                return _match_choice(item, raw)
            case AnswerKind.MULTI:
                parts = _split_multi(item, raw) if isinstance(raw, str) else raw
                if not isinstance(parts, (list, tuple)):
                    raise ValueError(f"expected a list of {_choices_hint(item)}")
                chosen = {_match_choice(item, p) for p in parts if not (isinstance(p, str) and not p.strip())}
                return [v for v in item.choice_values if v in chosen] or None
            case AnswerKind.DATE:
                return parse_date(raw).isoformat()
            case AnswerKind.NUMBER:
                return _parse_number(item, raw)
            case AnswerKind.TEXT:
                if not isinstance(raw, str):
                    raise ValueError(f"expected text, got {type(raw).__name__}")
                return clean_text(raw, item.text_max, "answer") or None
    except ValueError as exc:
        raise InvalidAnswer(item.id, str(exc)) from None
    raise AssertionError(item.kind)


def parse_note(item_id: str, raw: object) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise InvalidAnswer(item_id, f"note must be text, not {type(raw).__name__}")
    try:
        return clean_text(raw, MAX_NOTE_CHARS, "note") or None
    except ValueError as exc:
        raise InvalidAnswer(item_id, str(exc)) from None


def is_valid_stored(item: Item, value: object) -> bool:
    """Whether a value read from storage is still valid for the (possibly newer) item."""
    if value is None:
        return True
    # the common stored forms, checked directly: assess() asks this of every answer on
    # every change, and the full parser normalises text it does not need to here
    if item.kind in (AnswerKind.STATUS, AnswerKind.SINGLE) and isinstance(value, str):
        return value in item.choice_values
    if item.kind is AnswerKind.MULTI and isinstance(value, list):
        values = item.choice_values
        return bool(value) and all(isinstance(v, str) for v in value) and value == [
            v for v in values if v in value] and len(set(value)) == len(value)
    if item.kind is AnswerKind.DATE and isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return 1900 <= dt.date.fromisoformat(value).year <= 2200
        except ValueError:
            return False
    try:
        return parse_value(item, value) == value
    except InvalidAnswer:
        return False
