"""What an item's state looks like on screen: the one place that maps an ``ItemState`` to the
badge, colours, problem lines and evidence hint the form and the search results show.

Everything a widget shows about an item's state comes from ``item_view``, so a change in
how states are judged (questionnaire/completeness.py) is followed here once. The result
is a plain value: widgets compare it with what they show and touch only what differs
(a style-sheet re-polish per changed property, never per refresh).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

from questionnaire import Outcome, ProblemCode

from ..i18n import tr
from .models import describe_problem

if TYPE_CHECKING:
    from questionnaire import Item, ItemState, Template

# kind -> what the frame's coloured edge and the badge mean (style.py keys on these names):
# the core's outcomes, so 適合 and green mean conforming and nothing else
KINDS = tuple(str(o) for o in Outcome)


@dataclass(frozen=True, slots=True)
class ItemView:
    visible: bool
    required: bool
    required_text: str
    kind: str                    # one of KINDS: the frame's edge and the badge's colour
    badge: str                   # the state in words (never colour alone)
    problems: str                # one line per problem not already said by the badge
    problems_blocking: bool
    note_needed: bool
    note_label: str
    evidence_html: str           # "" when the item takes no evidence
    evidence_tooltip: str
    evidence_missing: bool
    to_confirm: bool = False     # an answer carried over from last year, not yet confirmed
    confirm_tooltip: str = ""


def item_view(state: ItemState, template: Template, lang: str) -> ItemView:
    item = state.item
    blocking = [p for p in state.problems if p.blocking]
    outcome = state.outcome
    badge = "" if outcome in (Outcome.OPTIONAL, Outcome.HIDDEN) else outcome.label.get(lang)
    kind = str(outcome)
    # Unanswered shows in the badge, "no evidence attached" in the evidence line: not repeated
    # here; a wrong kind or an expired file is said here.
    # A carried answer waiting for confirmation says so in the badge (and has a 確認 button);
    # the line is kept only when it adds that the question changed.
    said = (ProblemCode.UNANSWERED, ProblemCode.EVIDENCE_MISSING)
    shown = [p for p in state.problems if p.code not in said
             and not (p.code is ProblemCode.CARRIED_UNCONFIRMED and not p.detail)]
    # Each line says in words whether it blocks the submission (the colour says it too).
    problems = "\n".join("・" + (tr("要対応: ") if p.blocking else tr("注意: "))
                          + describe_problem(p, template, lang, with_item=False) for p in shown)
    value = state.answer.value if state.answer else None
    note_needed = value in item.note_required_for
    note_label = tr("備考（必須: 理由と是正の計画・期日）") if note_needed else tr("備考（任意）")
    evidence_html, evidence_tooltip, evidence_missing = _evidence(item, state, template, lang, value)
    to_confirm = state.to_confirm and state.answer is not None
    confirm_tip = ""
    if to_confirm:
        confirm_tip = (tr("前年の回答を、内容を確かめたうえで今年度の回答として確認します。設問の文言・規則が"
                          "変わっているため、新しい設問に照らして確かめてください。")
                       if state.carried.changed_question else
                       tr("前年の回答を、内容を確かめたうえで今年度の回答として確認します。回答を変更した場合は"
                          "自動的に確認済みになります。"))
    return ItemView(
        visible=state.visible, required=state.required,
        required_text=tr("必須") if state.required else tr("任意"),
        kind=kind, badge=badge, problems=problems, problems_blocking=bool(blocking),
        note_needed=note_needed, note_label=note_label,
        evidence_html=evidence_html, evidence_tooltip=evidence_tooltip, evidence_missing=evidence_missing,
        to_confirm=to_confirm, confirm_tooltip=confirm_tip,
    )


def _evidence(item: Item, state: ItemState, template: Template, lang: str, value) -> tuple[str, str, bool]:
    rule = item.evidence
    if rule is None:
        return "", "", False
    count = len(state.evidence)
    needed = rule.needed_for(value)
    if count:
        head = tr("証跡 %n 件添付済み", "", count)
    elif needed:
        head = tr("証跡が必要です")
    elif value is None and state.visible and rule.required:
        # The core asks for evidence once the item is answered (EvidenceRule.needed_for): say
        # so before, as the required marker does; "optional" only when no answer needs it.
        if rule.required_for is None:
            head = tr("証跡（必須）") if state.required else tr("証跡（回答する場合は必須）")
        else:
            answers = ("、" if lang == "ja" else ", ").join(item.label_of(v, lang) for v in rule.required_for)
            head = tr("証跡（回答が「{answers}」の場合は必須）").format(answers=answers)
    else:
        head = tr("証跡（任意）")
    labels = [k.label.get(lang) for k in map(template.evidence_kind, rule.kinds) if k]
    kinds = ("、" if lang == "ja" else ", ").join(labels)
    hint = rule.hint.get(lang) if rule.hint else ""
    text = f"<b>{html.escape(head)}</b>" + (
        f"<span style='color:#5b6b7b'> — {html.escape(hint)}</span>" if hint else "")
    return text, tr("受け付ける種類: {kinds}").format(kinds=kinds), needed and not count


def result_line(view: ItemView) -> str:
    """The state as a short text for a list row (search results)."""
    parts = [view.badge] if view.badge else []
    parts.append(view.required_text)
    if view.evidence_missing:
        parts.append(tr("証跡が必要です"))
    return " · ".join(parts)
