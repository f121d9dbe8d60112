"""The 変更点 workbook: what changed between two submissions, in the checklist's conventions
(exports/checklist.py): the same fonts and named styles, a title block naming both sides,
header row 3 with Japanese over English, frozen panes and a filter, A4 landscape fit to width,
every string written as text (a vendor's "=…" stays text), protected sheets without a password.

Sheets: 「変更点」 (every item that changed: what, old → new), 「証跡の変更」 (one row per file
added, removed, replaced or with other details), 「テンプレートの変更」, 「是正処置」 and
「概要」 (the two sides and the counts). A state is always written as its label: the colour
only repeats it.
"""

from __future__ import annotations

import datetime as dt
from copy import copy

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from questionnaire.comparison import ActionState, Comparison, EvidenceState, State

from . import styles as st
from .checklist_columns import FIRST_DATA_ROW, HEADER_ROW, cell_text
from .comparison_text import (
    FIELD_LABELS,
    action_status,
    note_text,
    reasons_text,
    side_text,
    template_text,
    value_text,
)
from .output import Output, output_stream

SHEET_CHANGES = "変更点"
SHEET_EVIDENCE = "証跡の変更"
SHEET_TEMPLATE = "テンプレートの変更"
SHEET_ACTIONS = "是正処置"
SHEET_SUMMARY = "概要"

CHANGE_COLUMNS = (
    ("項目ID", "Item ID", 9), ("区分", "Section", 12), ("確認項目", "Question", 34),
    ("変更", "Change", 9), ("変更内容", "What changed", 14),
    ("前回の回答", "Old answer", 20), ("今回の回答", "New answer", 20),
    ("前回の備考", "Old note", 24), ("今回の備考", "New note", 24),
    ("証跡の変更", "Evidence", 26), ("前回の状態", "Old outcome", 13), ("今回の状態", "New outcome", 13),
)
EVIDENCE_COLUMNS = (
    ("項目ID", "Item ID", 9), ("変更", "Change", 10), ("変わった点", "Differs in", 16),
    ("前回ファイル名", "Old file", 26), ("前回種類", "Old kind", 11), ("前回有効期限", "Old expiry", 16),
    ("前回SHA-256", "Old SHA-256", 36), ("今回ファイル名", "New file", 26), ("今回種類", "New kind", 11),
    ("今回有効期限", "New expiry", 16), ("今回SHA-256", "New SHA-256", 36),
)
TEMPLATE_COLUMNS = (
    ("項目・区分", "Item / section", 12), ("変更の種類", "Kind", 18), ("影響", "Effect", 10),
    ("対象", "Field", 16), ("前回", "Old", 36), ("今回", "New", 36),
)
ACTION_COLUMNS = (
    ("処置ID", "Action ID", 12), ("項目ID", "Item ID", 9), ("変更", "Change", 9), ("区分", "Grade", 14),
    ("前回の状況", "Old status", 11), ("今回の状況", "New status", 11), ("期限", "Due", 16),
    ("担当", "Owner", 12), ("指摘内容", "Finding", 40),
)
EFFECT_LABELS = {"looser": "緩和", "stricter": "厳格化", "neutral": "中立"}


class _Sheet:
    """Writes cells with the checklist's named styles (by style array, as checklist.py does)."""

    def __init__(self, ws: Worksheet, arrays: dict) -> None:
        self.ws = ws
        self._arrays = arrays

    def put(self, row: int, col: int, value, style: str = st.BODY):
        cell = self.ws.cell(row=row, column=col)
        if isinstance(value, str):
            cell.value = cell_text(value) or None
            cell.data_type = "s"   # never a formula, whatever the vendor wrote
        else:
            cell.value = value
        cell._style = copy(self._arrays[style])
        return cell

    def title(self, title: str, subtitle: str) -> None:
        self.put(1, 1, title, st.TITLE)
        self.put(2, 1, subtitle, st.SUBTITLE)
        self.ws.row_dimensions[1].height = 24
        self.ws.row_dimensions[2].height = 16

    def table(self, columns, rows: list[tuple], *, empty: str, header_right: str, vendor: str) -> None:
        ws = self.ws
        for c, (ja, en, width) in enumerate(columns, 1):
            self.put(HEADER_ROW, c, f"{ja}\n{en}", st.HEADER)
            ws.column_dimensions[get_column_letter(c)].width = width
        # tall enough for a narrow column's bold header that wraps to three lines (LibreOffice too)
        ws.row_dimensions[HEADER_ROW].height = 46
        r = FIRST_DATA_ROW
        for values in rows:
            parts = []
            for c, value in enumerate(values, 1):
                style = st.DATE if isinstance(value, dt.date) else st.BODY
                self.put(r, c, value, style)
                if isinstance(value, str):
                    parts.append((value, columns[c - 1][2], st.SIZE_BODY))
            ws.row_dimensions[r].height = st.row_height(parts)
            r += 1
        if not rows:
            self.put(r, 1, empty, st.VALUE)
            r += 1
        last = max(r - 1, FIRST_DATA_ROW)
        last_col = get_column_letter(len(columns))
        ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=2)
        ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{last}"
        ws.print_area = f"A1:{last_col}{last}"
        _print_setup(ws, vendor, header_right)

    def state_colours(self, column: int, last: int, labels: dict[str, tuple[str, str]]) -> None:
        letter = get_column_letter(column)
        rng = f"{letter}{FIRST_DATA_ROW}:{letter}{max(last, FIRST_DATA_ROW)}"
        for text, colors in labels.items():
            self.ws.conditional_formatting.add(rng, st.equals_rule(text, colors))


def _print_setup(ws: Worksheet, vendor: str, right: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.oddHeader.left.text = cell_text(vendor).replace("&", "&&")
    ws.oddHeader.left.size = 8
    ws.oddHeader.right.text = cell_text(right).replace("&", "&&")
    ws.oddHeader.right.size = 8
    ws.oddFooter.center.text = "&P / &N ページ"
    ws.oddFooter.center.size = 8
    ws.protection.sheet = True          # guides, locks nobody out (no password)
    ws.protection.autoFilter = False
    ws.protection.sort = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


# The colours repeat the label (never alone): red for what was removed, amber for changes.
_STATE_COLOURS = {State.ADDED.label.ja: st.GOOD, State.CHANGED.label.ja: st.NEUTRAL,
                  State.REMOVED.label.ja: st.BAD}
_EVIDENCE_COLOURS = {EvidenceState.ADDED.label.ja: st.GOOD, EvidenceState.REPLACED.label.ja: st.NEUTRAL,
                     EvidenceState.DETAILS.label.ja: st.NEUTRAL, EvidenceState.REMOVED.label.ja: st.BAD}


def _subtitle(cmp: Comparison) -> str:
    return f"前回: {side_text(cmp.old)}　今回: {side_text(cmp.new)}"


def write_comparison(cmp: Comparison, out: Output) -> None:
    """Write the 変更点 workbook for ``cmp`` to ``out`` (a path, written atomically, or a file object)."""
    wb = Workbook()
    arrays = st.register(wb)
    vendor = cmp.new.submission.vendor
    subtitle = _subtitle(cmp)

    sheet = _Sheet(wb.active, arrays)
    sheet.ws.title = SHEET_CHANGES
    sheet.title("変更点　Changes since the previous submission", subtitle)
    rows = []
    for c in cmp.changed_items:
        item = c.item
        section = (cmp.new.submission.template if c.new_item else cmp.old.submission.template).section(
            item.section_id)
        evidence = "\n".join(f"{e.state.label.ja}: "
                             + (f"{e.old.filename} → {e.new.filename}" if e.old and e.new else
                                (e.new or e.old).filename)
                             for e in c.evidence_changes)
        rows.append((c.item_id, section.title.ja, item.text.ja, c.state.label.ja, reasons_text(c),
                     value_text(c.old_item, c.old_answer), value_text(c.new_item, c.new_answer),
                     note_text(c.old_answer), note_text(c.new_answer), evidence,
                     c.old_outcome.label.ja if c.old_outcome else "",
                     c.new_outcome.label.ja if c.new_outcome else ""))
    sheet.table(CHANGE_COLUMNS, rows, empty="変更はありません。 No changes.", vendor=vendor,
                header_right="変更点")
    sheet.state_colours(4, FIRST_DATA_ROW + len(rows) - 1, _STATE_COLOURS)

    sheet = _Sheet(wb.create_sheet(SHEET_EVIDENCE), arrays)
    sheet.title("証跡の変更　Evidence changes", subtitle)
    rows = []
    for e in cmp.evidence_changes:
        o, n = e.old, e.new
        rows.append((e.item_id, e.state.label.ja, "・".join(FIELD_LABELS[f].ja for f in e.fields),
                     o.filename if o else "", o.kind if o else "", (o.expires if o else None) or "",
                     o.sha256 if o else "", n.filename if n else "", n.kind if n else "",
                     (n.expires if n else None) or "", n.sha256 if n else ""))
    sheet.table(EVIDENCE_COLUMNS, rows, empty="証跡の変更はありません。 No evidence changed.", vendor=vendor,
                header_right="証跡の変更")
    sheet.state_colours(2, FIRST_DATA_ROW + len(rows) - 1, _EVIDENCE_COLOURS)

    sheet = _Sheet(wb.create_sheet(SHEET_TEMPLATE), arrays)
    sheet.title("テンプレートの変更　Template changes",
                f"前回: {template_text(cmp.old)}　今回: {template_text(cmp.new)}")
    rows = [(ch.subject, ch.kind.value, EFFECT_LABELS.get(ch.effect.value, ch.effect.value), ch.field,
             ch.old, ch.new) for ch in cmp.template.changes]
    sheet.table(TEMPLATE_COLUMNS, rows, empty="テンプレートは同じです。 The same template.", vendor=vendor,
                header_right="テンプレートの変更")

    sheet = _Sheet(wb.create_sheet(SHEET_ACTIONS), arrays)
    sheet.title("是正処置の変更　Corrective actions", subtitle)
    rows = []
    for a in cmp.actions:
        cur = a.new or a.old
        rows.append((a.id, cur.item_id, a.state.label.ja, cur.grade, action_status(a.old) if a.old else "",
                     action_status(a.new) if a.new else "", cur.due or "", cur.owner, cur.finding))
    sheet.table(ACTION_COLUMNS, rows, empty="是正処置はありません。 No corrective actions.", vendor=vendor,
                header_right="是正処置")
    sheet.state_colours(3, FIRST_DATA_ROW + len(rows) - 1, {
        ActionState.CLOSED.label.ja: st.GOOD, ActionState.REOPENED.label.ja: st.BAD,
        ActionState.OPENED.label.ja: st.NEUTRAL})

    _summary(_Sheet(wb.create_sheet(SHEET_SUMMARY), arrays), cmp, subtitle)
    props = wb.properties
    props.title = "変更点 / Changes"
    props.creator = "CCUS Attest"
    props.language = "ja-JP"
    wb.active = 0
    with output_stream(out) as fh:
        wb.save(fh)


def _summary(sheet: _Sheet, cmp: Comparison, subtitle: str) -> None:
    ws = sheet.ws
    sheet.title("概要　Summary", subtitle)
    n = cmp.counts()
    info = [
        ("前回 Old", side_text(cmp.old)), ("今回 New", side_text(cmp.new)),
        ("前回のテンプレート", template_text(cmp.old)), ("今回のテンプレート", template_text(cmp.new)),
        ("署名鍵 Signer", "同じ鍵 same key" if cmp.same_signer else
         "異なる鍵 DIFFERENT KEYS" if cmp.same_signer is False else "—（ワークスペースを含む）"),
    ]
    counts = [
        ("項目 Items", n["items"], ("added", "changed", "removed", "unchanged")),
        ("回答 Answers", n["answers"], ("added", "changed", "removed", "unchanged")),
        ("備考 Notes", n["notes"], ("added", "changed", "removed", "unchanged")),
    ]
    r = HEADER_ROW
    for label, value in info:
        sheet.put(r, 1, label, st.LABEL)
        sheet.put(r, 2, value, st.VALUE)
        for c in range(3, 7):
            sheet.put(r, c, None, st.VALUE)
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=6)
        ws.row_dimensions[r].height = st.row_height([(value, 90, st.SIZE_BODY)])
        r += 1
    r += 1
    sheet.put(r, 1, "件数 Counts", st.HEADER)
    for c, state in enumerate(State, 2):
        sheet.put(r, c, f"{state.label.ja}\n{state.label.en}", st.HEADER)
    ws.row_dimensions[r].height = 30
    r += 1
    for label, tally, keys in counts:
        sheet.put(r, 1, label, st.LABEL)
        for c, key in enumerate(keys, 2):
            sheet.put(r, c, tally.get(key, 0), st.NUMBER)
        r += 1
    r += 1
    sheet.put(r, 1, "証跡 Evidence", st.HEADER)
    for c, state in enumerate(EvidenceState, 2):
        sheet.put(r, c, f"{state.label.ja}\n{state.label.en}", st.HEADER)
    r += 1
    sheet.put(r, 1, "件数 Files", st.LABEL)
    for c, state in enumerate(EvidenceState, 2):
        sheet.put(r, c, n["evidence"].get(state.value, 0), st.NUMBER)
    r += 2
    sheet.put(r, 1, "是正処置 Actions", st.HEADER)
    for c, state in enumerate(ActionState, 2):
        sheet.put(r, c, f"{state.label.ja}\n{state.label.en}", st.HEADER)
    r += 1
    sheet.put(r, 1, "件数 Actions", st.LABEL)
    for c, state in enumerate(ActionState, 2):
        sheet.put(r, c, n["actions"].get(state.value, 0), st.NUMBER)
    r += 2
    sheet.put(r, 1, "テンプレートの変更 Template changes", st.LABEL)
    sheet.put(r, 2, n["template_changes"], st.NUMBER)
    r += 1
    sheet.put(r, 1, "設問が変わった項目 Questions changed", st.LABEL)
    sheet.put(r, 2, n["questions_changed"], st.NUMBER)
    for letter, width in zip("ABCDEFG", (30, 16, 16, 16, 16, 16, 16), strict=True):
        ws.column_dimensions[letter].width = width
    ws.print_area = f"A1:G{r}"
    _print_setup(ws, cmp.new.submission.vendor, "概要")
