"""How a comparison reads to people, Japanese first: the CLI's text and the 変更点 workbook's
cells say the same thing because they take their wording from here."""

from __future__ import annotations

from questionnaire.answers import Answer
from questionnaire.comparison import (
    ACTION_STATUS_LABELS,
    ActionChange,
    ActionState,
    Comparison,
    EvidenceChange,
    EvidenceState,
    ItemComparison,
    Side,
    State,
)
from questionnaire.evidence import EvidenceInfo
from questionnaire.template import Item, Template
from questionnaire.text import Text

from .bundle_report import format_jst
from .rows import answer_text, kind_label, safe_text, short_hash

REASON_LABELS: dict[str, Text] = {
    "question": Text("設問", "question"),
    "answer": Text("回答", "answer"),
    "note": Text("備考", "note"),
    "evidence": Text("証跡", "evidence"),
    "outcome": Text("状態", "outcome"),
}
FIELD_LABELS: dict[str, Text] = {
    "sha256": Text("内容(SHA-256)", "content (SHA-256)"),
    "filename": Text("ファイル名", "name"),
    "kind": Text("種類", "kind"),
    "expires": Text("有効期限", "expiry"),
    "item_id": Text("項目", "item"),
    "grade": Text("区分", "grade"),
    "status": Text("状況", "status"),
    "due": Text("期限", "due date"),
    "owner": Text("担当", "owner"),
    "finding": Text("指摘内容", "finding"),
}
NONE = Text("（なし）", "(none)")
_SHORT = 80


def short(text: str, limit: int = _SHORT) -> str:
    text = " ".join(safe_text(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def value_text(item: Item | None, answer: Answer | None, lang: str = "ja") -> str:
    """The answer as the checklist shows it (choice labels, not codes); multi-choice on one line."""
    if answer is None or answer.value is None:
        return ""
    if item is None:
        return str(answer.value)
    return "、".join(answer_text(item, answer, lang).split("\n")) if lang == "ja" else \
        ", ".join(answer_text(item, answer, lang).split("\n"))


def note_text(answer: Answer | None) -> str:
    return (answer.note or "") if answer is not None else ""


def reasons_text(c: ItemComparison, lang: str = "ja") -> str:
    sep = "・" if lang == "ja" else ", "
    return sep.join(REASON_LABELS[r].get(lang) for r in c.reasons)


def file_text(e: EvidenceInfo | None, lang: str = "ja", template: Template | None = None) -> str:
    """``name (kind, expires 2027-03-31, sha256 0123…)``; the kind's label when ``template`` is given."""
    if e is None:
        return NONE.get(lang)
    kind = kind_label(template, e.kind, lang) if template is not None else e.kind
    expires = e.expires.isoformat() if e.expires else ("期限なし" if lang == "ja" else "no expiry")
    if lang == "ja":
        return f"{safe_text(e.filename)}（{kind}、有効期限 {expires}、SHA-256 {short_hash(e.sha256)}）"
    return f"{safe_text(e.filename)} ({kind}, expires {expires}, SHA-256 {short_hash(e.sha256)})"


def evidence_line(change: EvidenceChange, lang: str = "ja") -> str:
    label = change.state.label.get(lang)
    if change.state is EvidenceState.ADDED:
        return f"{label}: {file_text(change.new, lang)}"
    if change.state is EvidenceState.REMOVED:
        return f"{label}: {file_text(change.old, lang)}"
    if change.state is EvidenceState.UNCHANGED:
        return f"{label}: {file_text(change.new, lang)}"
    fields = ("・" if lang == "ja" else ", ").join(FIELD_LABELS[f].get(lang) for f in change.fields)
    what = f"（{fields}）" if lang == "ja" else f" ({fields})"
    return f"{label}{what}: {file_text(change.old, lang)} → {file_text(change.new, lang)}"


def action_status(a, lang: str = "ja") -> str:
    if a is None:
        return NONE.get(lang)
    label = ACTION_STATUS_LABELS.get(a.status)
    return label.get(lang) if label else a.status


def action_line(change: ActionChange, lang: str = "ja") -> str:
    a = change.new or change.old
    head = f"{change.state.label.get(lang)} {a.id}"
    if a.item_id:
        head += f" ({a.item_id})" if lang == "en" else f"（{a.item_id}）"
    if change.state in (ActionState.OPENED, ActionState.REMOVED, ActionState.UNCHANGED):
        status = action_status(a, lang)
    else:
        status = f"{action_status(change.old, lang)} → {action_status(change.new, lang)}"
    due = f", {'期限' if lang == 'ja' else 'due'} {a.due.isoformat()}" if a.due else ""
    finding = f": {short(a.finding, 60)}" if a.finding else ""
    return f"{head} [{status}{due}]{finding}"


def side_text(side: Side, lang: str = "ja") -> str:
    sub = side.submission
    ja = lang == "ja"
    if side.kind == "bundle":
        kind = "提出バンドル（検証済み）" if ja else "bundle (verified)"
        when = format_jst(side.exported_at, lang)
        who = (f"、署名鍵 {sub.signer_key_id}" if ja else f", signed by key {sub.signer_key_id}") \
            if sub.signer_key_id else ""
        return (f"{kind} {side.source}: 提出ID {sub.submission_id}、書き出し {when}{who}" if ja else
                f"{kind} {side.source}: submission {sub.submission_id}, exported {when}{who}")
    kind = "ワークスペース（読み取り専用）" if ja else "workspace (read-only)"
    period = (f"、対象年度 {side.period}" if ja else f", period {side.period}") if side.period else ""
    return f"{kind} {side.source}: ID {sub.submission_id}{period}"


def template_text(side: Side, lang: str = "ja") -> str:
    t = side.submission.template
    tail = "" if side.official_template else ("（非公式：指定されたファイル）" if lang == "ja"
                                              else " (UNOFFICIAL: a file you supplied)")
    return f"{t.id} {t.version}{tail}"


def item_lines(c: ItemComparison, lang: str = "ja") -> list[str]:
    """The lines under an item's heading: what changed, old → new."""
    ja = lang == "ja"
    out = []
    if c.old_item is None:
        out.append("設問: 新しい設問" if ja else "question: new in this template")
    elif c.new_item is None:
        out.append("設問: テンプレートから削除" if ja else "question: removed from the template")
    elif c.template_changes:
        what = "; ".join(ch.describe() for ch in c.template_changes[:3])
        more = f" …(+{len(c.template_changes) - 3})" if len(c.template_changes) > 3 else ""
        out.append(f"{'設問の変更' if ja else 'template'}: {what}{more}")
    if c.answer is not State.UNCHANGED:
        old = short(value_text(c.old_item, c.old_answer, lang)) or NONE.get(lang)
        new = short(value_text(c.new_item, c.new_answer, lang)) or NONE.get(lang)
        out.append(f"{'回答' if ja else 'answer'} [{c.answer.label.get(lang)}]: {old} → {new}")
    if c.note is not State.UNCHANGED:
        old = short(note_text(c.old_answer)) or NONE.get(lang)
        new = short(note_text(c.new_answer)) or NONE.get(lang)
        out.append(f"{'備考' if ja else 'note'} [{c.note.label.get(lang)}]: {old} → {new}")
    for e in c.evidence_changes:
        out.append(f"{'証跡' if ja else 'evidence'} {evidence_line(e, lang)}")
    if c.old_outcome != c.new_outcome:
        old = c.old_outcome.label.get(lang) if c.old_outcome else NONE.get(lang)
        new = c.new_outcome.label.get(lang) if c.new_outcome else NONE.get(lang)
        out.append(f"{'状態' if ja else 'outcome'}: {old} → {new}")
    return out


def summary_lines(cmp: Comparison, lang: str = "ja") -> list[str]:
    ja = lang == "ja"
    n = cmp.counts()

    def count(group: str, key: str) -> int:
        return n[group].get(key, 0)

    out = []
    if ja:
        out.append(f"項目: 新規 {count('items', 'added')}、変更 {count('items', 'changed')}、"
                   f"削除 {count('items', 'removed')}、変更なし {count('items', 'unchanged')}")
        out.append(f"回答: 新規 {count('answers', 'added')}、変更 {count('answers', 'changed')}、"
                   f"削除 {count('answers', 'removed')}　備考: 新規 {count('notes', 'added')}、"
                   f"変更 {count('notes', 'changed')}、削除 {count('notes', 'removed')}")
        out.append(f"証跡: 追加 {count('evidence', 'added')}、削除 {count('evidence', 'removed')}、"
                   f"差し替え {count('evidence', 'replaced')}、詳細変更 {count('evidence', 'details')}")
        out.append(f"テンプレートの変更: {n['template_changes']} 件"
                   f"（設問が変わった項目 {n['questions_changed']}）")
        out.append(f"是正処置: 新規 {count('actions', 'opened')}、完了 {count('actions', 'closed')}、"
                   f"再開 {count('actions', 'reopened')}、変更 {count('actions', 'changed')}、"
                   f"削除 {count('actions', 'removed')}（今回の時点で未完了 {n['actions_open']}、"
                   f"完了 {n['actions_closed']}）")
    else:
        out.append(f"items: {count('items', 'added')} new, {count('items', 'changed')} changed, "
                   f"{count('items', 'removed')} removed, {count('items', 'unchanged')} unchanged")
        out.append(f"answers: {count('answers', 'added')} new, {count('answers', 'changed')} changed, "
                   f"{count('answers', 'removed')} removed; notes: {count('notes', 'added')} new, "
                   f"{count('notes', 'changed')} changed, {count('notes', 'removed')} removed")
        out.append(f"evidence: {count('evidence', 'added')} added, {count('evidence', 'removed')} "
                   f"removed, {count('evidence', 'replaced')} replaced, {count('evidence', 'details')} "
                   "with other details")
        out.append(f"template changes: {n['template_changes']} ({n['questions_changed']} items whose "
                   "question changed)")
        out.append(f"corrective actions: {count('actions', 'opened')} new, {count('actions', 'closed')} "
                   f"closed, {count('actions', 'reopened')} reopened, {count('actions', 'changed')} changed, "
                   f"{count('actions', 'removed')} removed ({n['actions_open']} open and "
                   f"{n['actions_closed']} closed now)")
    return out


def report_lines(cmp: Comparison, lang: str = "ja") -> list[str]:
    """The whole text report: the two sides, the summary, every changed item, the actions."""
    ja = lang == "ja"
    out = [f"{'前回' if ja else 'old'}: {side_text(cmp.old, lang)}",
           f"{'今回' if ja else 'new'}: {side_text(cmp.new, lang)}",
           f"{'テンプレート' if ja else 'template'}: {template_text(cmp.old, lang)} → "
           f"{template_text(cmp.new, lang)}"]
    if cmp.same_signer is False:
        out.append(f"{'注意: 署名鍵が異なります' if ja else 'WARNING: signed by different keys'}: "
                   f"{cmp.old.submission.signer_key_id} → {cmp.new.submission.signer_key_id}")
    if cmp.old.submission.vendor != cmp.new.submission.vendor:
        out.append(f"{'注意: 提出者名が異なります' if ja else 'WARNING: different vendor names'}: "
                   f"{short(cmp.old.submission.vendor)} → {short(cmp.new.submission.vendor)}")
    out.append("")
    out.extend(summary_lines(cmp, lang))
    changed = cmp.changed_items
    if changed:
        out.append("")
    for c in changed:
        title = short(c.item.text.get(lang), 50)
        out.append(f"[{c.state.label.get(lang)}] {c.item_id} {title}（{reasons_text(c, lang)}）" if ja else
                   f"[{c.state.label.get(lang)}] {c.item_id} {title} ({reasons_text(c, lang)})")
        out.extend(f"    {line}" for line in item_lines(c, lang))
    actions = cmp.action_changes
    if actions:
        out.append("")
        out.append("是正処置の変更:" if ja else "corrective actions:")
        out.extend(f"    {action_line(a, lang)}" for a in actions)
    if not changed and not actions:
        out.append("")
        out.append("変更はありません。" if ja else "no changes.")
    return out
