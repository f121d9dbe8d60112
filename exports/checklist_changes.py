"""The checklist's 「前回からの変更」 column, when the previous submission is known.

Added after the hidden binding columns, so every column the review importer reads keeps its
place and its header (exports/review.py finds columns by header); the filter is widened to it.
Like the English question and the basis, it is a screen column: the printed A4 page keeps its
layout (the print area is left as it is). Each item row says in words what changed since the previous
submission (新規 / 変更 with the parts that changed / 変更なし), from the same comparison the
CLI's ``diff`` and the desktop's badges show (questionnaire/comparison.py).
"""

from __future__ import annotations

from copy import copy

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from questionnaire.comparison import Comparison, State

from . import styles as st
from .checklist_columns import (
    COLUMN_INDEX,
    COLUMNS,
    FIRST_DATA_ROW,
    HEADER_ROW,
    SECTION_KEY_PREFIX,
    cell_text,
)
from .comparison_text import reasons_text

CHANGE_COLUMN = len(COLUMNS) + 1
CHANGE_HEADER_JA = "前回からの変更"
CHANGE_HEADER = f"{CHANGE_HEADER_JA}\nSince the previous submission"
CHANGE_WIDTH = 16


def change_text(cmp: Comparison, item_id: str) -> str:
    c = cmp.item(item_id)
    if c is None or not c.changed:
        return State.UNCHANGED.label.ja
    return f"{c.state.label.ja}（{reasons_text(c)}）" if c.reasons else c.state.label.ja


def add_change_column(ws: Worksheet, cmp: Comparison, styles: dict) -> None:
    """Write the column into the 「チェックリスト」 sheet ``ws`` (already laid out);
    ``styles``: the workbook's named-style arrays (styles.register)."""
    col = CHANGE_COLUMN
    key_col = COLUMN_INDEX["_key"]

    def put(row: int, value: str | None, style: str) -> None:
        cell = ws.cell(row=row, column=col)
        cell.value = cell_text(value) if value else None
        cell.data_type = "s"
        cell._style = copy(styles[style])

    put(HEADER_ROW, CHANGE_HEADER, st.HEADER_REFERENCE)  # a screen column, as the English question
    last = FIRST_DATA_ROW
    for row in range(FIRST_DATA_ROW, ws.max_row + 1):
        key = ws.cell(row=row, column=key_col).value
        if not isinstance(key, str) or not key:
            continue
        last = row
        if key.startswith(SECTION_KEY_PREFIX):
            put(row, None, st.SECTION)
        else:
            put(row, change_text(cmp, key), st.BODY)
    letter = get_column_letter(col)
    ws.column_dimensions[letter].width = CHANGE_WIDTH
    ws.auto_filter.ref = f"A{HEADER_ROW}:{letter}{last}"
    changed_range = f"{letter}{FIRST_DATA_ROW}:{letter}{last}"
    for state, colors in ((State.ADDED, st.GOOD), (State.CHANGED, st.NEUTRAL)):
        ws.conditional_formatting.add(changed_range, st.starts_with_rule(f"{letter}{FIRST_DATA_ROW}",
                                                                        state.label.ja, colors))
