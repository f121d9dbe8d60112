"""The columns of the 「チェックリスト」 sheet and the exact text of each vendor cell.

The writer lays these out and the review importer re-renders them to tell which
cell a reviewer changed, so both must use this one definition.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from enum import StrEnum

from questionnaire.basis import basis_text

from .rows import ItemRow, expiry_text, marker, problem_text, safe_text, short_hash

CHECKLIST_FORMAT = "ccus-attest/checklist/v1"
SHEET_CHECKLIST = "チェックリスト"
SHEET_SUMMARY = "サマリー"
SHEET_PROBLEMS = "問題一覧"
SHEET_REVIEW = "前回の確認結果"  # only when an imported review is shown
SHEET_EVIDENCE = "証跡一覧"
SHEET_LEGEND = "凡例・記入方法"
SHEET_ACTIONS = "是正処置"     # only when the submission has corrective actions
SHEET_BINDING = "_attest"      # very hidden: which submission the workbook belongs to
HEADER_ROW = 4                 # rows 1-3 are the title block
FIRST_DATA_ROW = HEADER_ROW + 1
SECTION_KEY_PREFIX = "section:"
MAX_CELL_CHARS = 32_767        # Excel's limit for one cell


class Role(StrEnum):
    VENDOR = "vendor"      # written by the app, protected
    REVIEWER = "reviewer"  # left for the auditor, unlocked
    HIDDEN = "hidden"      # binding data (row key and fingerprints)


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    ja: str
    en: str
    width: float
    role: Role
    printed: bool = True   # within the print area; the others are for the screen only

    @property
    def header(self) -> str:
        return f"{self.ja}\n{self.en}" if self.role is not Role.HIDDEN else self.key


# The order on the sheet. The printed columns come first, so the print area is one block
# (A to the last printed column) that fits an A4 landscape page at PRINT_SCALE; what only
# helps on screen (the section name repeated, the English question, the short hashes, the
# basis) follows the reviewer columns, wide enough that it seldom makes a row taller than
# the printed text needs. Widths are in Excel's units (about 7 px each).
COLUMNS: tuple[Column, ...] = (
    Column("item_id", "項目ID", "Item ID", 9, Role.VENDOR),
    Column("question", "確認項目", "Question", 25, Role.VENDOR),
    Column("answer", "回答", "Answer", 12, Role.VENDOR),
    Column("note", "備考", "Note", 16, Role.VENDOR),
    Column("evidence", "証跡", "Evidence files", 17, Role.VENDOR),
    Column("expiry", "有効期限", "Expiry", 15, Role.VENDOR),
    Column("status", "状態", "Status", 16, Role.VENDOR),
    Column("verdict", "判定", "Verdict", 8, Role.REVIEWER),
    Column("finding", "指摘事項", "Findings", 17, Role.REVIEWER),
    Column("reviewer", "確認者", "Reviewer", 10, Role.REVIEWER),
    Column("reviewed_on", "確認日", "Date", 14, Role.REVIEWER),
    # the finding's grade (issue 13 §4): on screen beside the verdict columns, not on the A4 page
    # (the printed columns fill it); workbooks made before it existed are read without it
    Column("grade", "等級", "Grade", 14, Role.REVIEWER, printed=False),
    Column("section", "区分", "Section", 14, Role.VENDOR, printed=False),
    Column("question_en", "確認項目（英語）", "Question (English)", 60, Role.VENDOR, printed=False),
    Column("sha256", "証跡SHA-256", "SHA-256 (first 16)", 19, Role.VENDOR, printed=False),
    Column("source", "根拠", "Basis", 60, Role.VENDOR, printed=False),
    Column("_key", "_key", "", 4, Role.HIDDEN, printed=False),
    Column("_content", "_content", "", 4, Role.HIDDEN, printed=False),
    Column("_cells", "_cells", "", 4, Role.HIDDEN, printed=False),
)
COLUMN_INDEX = {c.key: i + 1 for i, c in enumerate(COLUMNS)}  # 1-based, as in openpyxl
VENDOR_COLUMNS = tuple(c for c in COLUMNS if c.role is Role.VENDOR)
REVIEWER_COLUMNS = tuple(c for c in COLUMNS if c.role is Role.REVIEWER)
PRINTED_COLUMNS = tuple(c for c in COLUMNS if c.printed)
OPTIONAL_COLUMNS = frozenset({"grade"})  # may be missing from a workbook an older version wrote
assert COLUMNS[: len(PRINTED_COLUMNS)] == PRINTED_COLUMNS, "the printed columns must come first"


def cell_text(text: str) -> str:
    """Text as it can be stored in a cell: no XML-illegal characters, within Excel's limit."""
    # XML turns a bare CR into LF on reading; normalise first so the text reads back as written
    text = safe_text(text)
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"


def vendor_cells(row: ItemRow, on: dt.date) -> tuple[str, ...]:
    """The text of each vendor column of an item row, in VENDOR_COLUMNS order."""
    item, evidence = row.item, row.evidence
    status = [row.outcome.label.ja]
    status += [f"・{problem_text(p)}" for p in row.problems]
    values = {
        "item_id": item.id,
        "section": row.section.title.ja,
        "question": item.text.ja,
        "question_en": item.text.en,
        "answer": row.answer_text,
        "note": row.note,
        "evidence": "\n".join(f"{marker(i)} {e.filename}" for i, e in enumerate(evidence, 1)),
        "sha256": "\n".join(f"{marker(i)} {short_hash(e.sha256)}" for i, e in enumerate(evidence, 1)),
        "expiry": "\n".join(f"{marker(i)} {expiry_text(e, on)}" for i, e in enumerate(evidence, 1)),
        "source": basis_text(item, "ja"),
        "status": "\n".join(status),
    }
    return tuple(cell_text(values[c.key]) for c in VENDOR_COLUMNS)


def cells_fingerprint(cells: tuple[str, ...] | list[str]) -> str:
    """SHA-256 over the vendor cells' text as written, to notice edits in the workbook."""
    return hashlib.sha256(json.dumps(list(cells), ensure_ascii=False,
                                     separators=(",", ":")).encode()).hexdigest()
