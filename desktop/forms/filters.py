"""The search box and filter: which items to show across the whole questionnaire (no Qt)."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection
from enum import StrEnum

from questionnaire import Assessment, Expiry, ItemState, Outcome, ProblemCode
from questionnaire.basis import basis_text


class FilterMode(StrEnum):
    ALL = "all"
    UNANSWERED = "unanswered"
    EVIDENCE_MISSING = "evidence_missing"
    EXPIRING = "expiring"        # expired or within the warning period
    PROBLEMS = "problems"        # anything blocking submission
    CHANGED = "changed"          # changed since the earlier submission compared with (FormSource.comparison)


def _fold(text: str) -> str:
    # NFKC so full-width "ＡＧＲ" finds "AGR"; casefold for English.
    return unicodedata.normalize("NFKC", text).casefold()


def matches(state: ItemState, text: str, mode: FilterMode, on) -> bool:
    if not state.visible:
        return False
    if mode is FilterMode.UNANSWERED and state.answered:
        return False
    lacking = (ProblemCode.EVIDENCE_MISSING, ProblemCode.EVIDENCE_WRONG_KIND)
    if mode is FilterMode.EVIDENCE_MISSING and not any(p.code in lacking for p in state.problems):
        return False
    if mode is FilterMode.EXPIRING and not any(
            e.expiry(on) in (Expiry.EXPIRED, Expiry.EXPIRING) for e in state.evidence):
        return False
    if mode is FilterMode.PROBLEMS and state.outcome in (Outcome.CONFORMING, Outcome.OPTIONAL):
        return False
    needle = _fold(text.strip())
    if not needle:
        return True
    item = state.item
    haystack = [item.id, item.text.ja, item.text.en, item.source, basis_text(item, "en")]
    if item.help:
        haystack += [item.help.ja, item.help.en]
    if item.evidence and item.evidence.hint:
        haystack += [item.evidence.hint.ja, item.evidence.hint.en]
    if state.answer and state.answer.note:
        haystack.append(state.answer.note)
    return any(needle in _fold(h) for h in haystack)


def matching_items(assessment: Assessment, text: str, mode: FilterMode,
                   changed: Collection[str] = ()) -> list[str]:
    """Item ids in template order. ``changed``: for FilterMode.CHANGED, the items that changed
    since the earlier submission (none without a comparison)."""
    if mode is FilterMode.CHANGED:
        return [item_id for item_id, state in assessment.items.items()
                if item_id in changed and matches(state, text, FilterMode.ALL, assessment.on)]
    return [item_id for item_id, state in assessment.items.items()
            if matches(state, text, mode, assessment.on)]
