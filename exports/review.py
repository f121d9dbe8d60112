"""Reading a reviewed checklist back, and keeping the review beside an opened bundle.

The workbook is hostile until proven otherwise: its ZIP is checked before openpyxl
opens it (read-only, formulas kept as text, nothing evaluated), rows and columns are
capped, and every cell is type-checked. A workbook that is not this submission's
is refused as a whole; a row that cannot be trusted (an edited vendor cell, an answer
that changed since, a formula, a bad date...) is reported and its finding left out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

from questionnaire.answers import clean_text, parse_date
from questionnaire.corrective import grades
from questionnaire.review import (
    MAX_COMMENT_CHARS,
    MAX_REVIEWER_CHARS,
    REVIEW_FILE,
    Finding,
    ProblemKind,
    Review,
    ReviewError,
    ReviewProblem,
    Verdict,
    from_document,
)
from questionnaire.submission import Submission
from storage.fsutil import atomic_write

from .checklist_columns import (
    CHECKLIST_FORMAT,
    COLUMNS,
    OPTIONAL_COLUMNS,
    SECTION_KEY_PREFIX,
    SHEET_BINDING,
    SHEET_CHECKLIST,
    VENDOR_COLUMNS,
    Column,
    Role,
    cells_fingerprint,
    vendor_cells,
)
from .rows import build_rows
from .zipcheck import MAX_FILE_BYTES, check_xlsx

MAX_SCAN_ROWS = 50_000        # rows looked at on the checklist sheet
MAX_HEADER_SEARCH = 20        # the header row is looked for in the first rows
MAX_BINDING_ROWS = 100
MAX_REPORTED_PROBLEMS = 1_000
MAX_REVIEW_JSON = 32 * 1024 * 1024
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _read_source(source: str | Path | BinaryIO) -> tuple[bytes, str]:
    if hasattr(source, "read"):
        data = source.read(MAX_FILE_BYTES + 1)
        name = Path(getattr(source, "name", "workbook.xlsx") or "workbook.xlsx").name
    else:
        path = Path(source)
        name = path.name
        try:
            with open(path, "rb") as fh:
                data = fh.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise ReviewError(f"cannot read {path}: {exc.strerror or exc}") from None
    return data, name


def read_review(sub: Submission, source: str | Path | BinaryIO, *,
                known_submission_ids: Iterable[str] = ()) -> Review:
    """Read the reviewer columns of a checklist made for ``sub``.

    ``known_submission_ids``: other IDs this submission went out under (a vendor
    workspace exports bundles with their own IDs). Raises ReviewError when the file
    cannot be read at all; otherwise returns a Review whose ``problems`` say what was
    not taken (``refused`` when the whole workbook was).
    """
    data, name = _read_source(source)
    check_xlsx(data, name)
    sha = hashlib.sha256(data).hexdigest()
    from openpyxl import load_workbook  # late: the CLI's other commands need not load it

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises anything from KeyError to XML errors
        raise ReviewError(f"{name} cannot be read as a workbook ({_one_line(exc)})") from None
    try:
        return _Reader(sub, wb, name, sha, set(known_submission_ids)).read()
    except ReviewError:
        raise
    except Exception as exc:
        raise ReviewError(f"{name} cannot be read as a checklist ({_one_line(exc)})") from None
    finally:
        wb.close()


def _one_line(exc: BaseException) -> str:
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return text if len(text) <= 200 else text[:199] + "…"


class _Reader:
    def __init__(self, sub: Submission, wb, name: str, sha: str, known: set[str]) -> None:
        self.sub = sub
        self.wb = wb
        self.name = name
        self.sha = sha
        self.known = known | {sub.submission_id}
        self.problems: list[ReviewProblem] = []
        self.dropped = 0

    def problem(self, kind: ProblemKind, item_id: str | None = None, row: int | None = None,
                column: str | None = None, detail: str = "") -> None:
        if len(self.problems) < MAX_REPORTED_PROBLEMS:
            self.problems.append(ReviewProblem(kind, item_id, row, column, detail[:300]))
        else:
            self.dropped += 1

    def review(self, binding: dict[str, str], findings: list[Finding] | None = None) -> Review:
        problems = list(self.problems)
        if self.dropped:
            problems.append(ReviewProblem(ProblemKind.BAD_VALUE,
                                          detail=f"{self.dropped} more problems not listed"))
        return Review(
            submission_id=binding.get("submission_id", ""),
            template_id=binding.get("template_id", ""),
            template_version=binding.get("template_version", ""),
            template_sha256=binding.get("template_sha256", ""),
            imported_at=_now(), source_name=self.name, source_sha256=self.sha,
            checklist_made_at=binding.get("made_at", ""), checklist_on=binding.get("on", ""),
            findings=tuple(findings or ()), problems=tuple(problems),
        )

    # --- the workbook as a whole -------------------------------------------------------

    def binding(self) -> dict[str, str] | None:
        if SHEET_BINDING not in self.wb.sheetnames:
            self.problem(ProblemKind.NOT_A_CHECKLIST, detail=f"sheet {SHEET_BINDING} is missing")
            return None
        values: dict[str, str] = {}
        for row in self.wb[SHEET_BINDING].iter_rows(min_row=2, max_row=MAX_BINDING_ROWS, max_col=2):
            if len(row) < 2:
                continue
            key, value = row[0].value, row[1].value
            if isinstance(key, str) and isinstance(value, str) and row[1].data_type != "f":
                values[key] = value
        if values.get("format") != CHECKLIST_FORMAT:
            self.problem(ProblemKind.NOT_A_CHECKLIST, detail="binding data missing or of another format")
            return None
        # The custom document properties carry the same identity; Excel keeps both.
        for prop in getattr(self.wb, "custom_doc_props", None) or ():
            key = str(getattr(prop, "name", "")).removeprefix("ccus-attest.")
            value = getattr(prop, "value", None)
            if key in ("submission_id", "template_sha256") and values.get(key) != value:
                self.problem(ProblemKind.NOT_A_CHECKLIST,
                             detail=f"document property {key} disagrees with the binding sheet")
                return None
        return values

    def check_binding(self, b: dict[str, str]) -> bool:
        t = self.sub.template
        ok = True
        if (b.get("template_id"), b.get("template_version"), b.get("template_sha256")) != (
                t.id, t.version, t.digest):
            self.problem(ProblemKind.OTHER_TEMPLATE,
                         detail=f"workbook: {b.get('template_id')} {b.get('template_version')}, "
                                f"submission: {t.id} {t.version}")
            ok = False
        if b.get("submission_id") not in self.known:
            self.problem(ProblemKind.OTHER_SUBMISSION,
                         detail=f"workbook: {b.get('submission_id')}, submission: {self.sub.submission_id}")
            ok = False
        return ok

    def header(self, ws) -> tuple[int, dict[str, int]] | None:
        wanted = {(c.ja if c.role is not Role.HIDDEN else c.key): c for c in COLUMNS}
        for r, row in enumerate(ws.iter_rows(min_row=1, max_row=MAX_HEADER_SEARCH, max_col=60), 1):
            found: dict[str, int] = {}
            for i, cell in enumerate(row):
                value = cell.value
                if isinstance(value, str):
                    head = value.split("\n", 1)[0].strip()
                    if head in wanted and wanted[head].key not in found:
                        found[wanted[head].key] = i
            if "item_id" in found:
                missing = [c for c in COLUMNS if c.key not in found and c.key not in OPTIONAL_COLUMNS]
                for c in missing:
                    self.problem(ProblemKind.MISSING_COLUMN, column=c.ja, row=r)
                return (r, found) if not missing else None
        self.problem(ProblemKind.MISSING_COLUMN, column="項目ID", detail="no header row found")
        return None

    # --- rows ---------------------------------------------------------------------------

    def read(self) -> Review:
        b = self.binding()
        if b is None or not self.check_binding(b):
            return self.review(b or {})
        try:
            on = dt.date.fromisoformat(b.get("on", ""))
        except ValueError:
            self.problem(ProblemKind.NOT_A_CHECKLIST, detail="the assessment date is unreadable")
            return self.review(b)
        if SHEET_CHECKLIST not in self.wb.sheetnames:
            self.problem(ProblemKind.NOT_A_CHECKLIST, detail=f"sheet {SHEET_CHECKLIST} is missing")
            return self.review(b)
        ws = self.wb[SHEET_CHECKLIST]
        head = self.header(ws)
        if head is None:
            return self.review(b)
        header_row, cols = head
        rows_by_item = {row.item.id: row for block in build_rows(self.sub, self.sub.assess(on))
                        for row in block.rows}
        seen: dict[str, int] = {}
        duplicates: set[str] = set()
        findings: dict[str, Finding] = {}
        width = max(cols.values()) + 1
        scanned = 0
        for r, row in enumerate(ws.iter_rows(min_row=header_row + 1, max_col=width), header_row + 1):
            scanned += 1
            if scanned > MAX_SCAN_ROWS:
                raise ReviewError(f"{self.name}: the checklist sheet has more than {MAX_SCAN_ROWS} rows")
            cells = {key: (row[i] if i < len(row) else None) for key, i in cols.items()}
            for key in OPTIONAL_COLUMNS - cols.keys():
                cells[key] = None
            key = _plain(cells["_key"])
            if key.startswith(SECTION_KEY_PREFIX):
                self.reviewer_cells_must_be_empty(cells, r, "a section heading row")
                continue
            if not key:
                if any(_plain(c) for c in cells.values()):
                    self.reviewer_cells_must_be_empty(cells, r, "a row that is not an item")
                continue
            item_row = rows_by_item.get(key)
            if item_row is None:
                self.problem(ProblemKind.UNKNOWN_ROW, key[:32], r)
                continue
            if key in seen:
                duplicates.add(key)
                self.problem(ProblemKind.DUPLICATE_ROW, key, r, detail=f"also in row {seen[key]}")
                continue
            seen[key] = r
            finding = self.read_row(key, r, cells, item_row, on)
            if finding is not None:
                findings[key] = finding
        for key in duplicates:
            findings.pop(key, None)
        for item_id in rows_by_item:
            if item_id not in seen:
                self.problem(ProblemKind.MISSING_ROW, item_id)
        ordered = [findings[i] for i in rows_by_item if i in findings]
        return self.review(b, ordered)

    def reviewer_cells_must_be_empty(self, cells: dict[str, Any], r: int, what: str) -> None:
        for col in _REVIEWER:
            if _plain(cells[col.key]):
                self.problem(ProblemKind.UNKNOWN_ROW, row=r, column=col.ja,
                             detail=f"entries in {what} are not imported")
                return

    def read_row(self, item_id: str, r: int, cells: dict[str, Any], item_row, on: dt.date) -> Finding | None:
        before = len(self.problems) + self.dropped
        # formulas anywhere in the row: never evaluated, never imported
        for col in COLUMNS:
            cell = cells[col.key]
            if cell is not None and getattr(cell, "data_type", None) == "f":
                self.problem(ProblemKind.FORMULA, item_id, r, col.ja)
            elif cell is not None and getattr(cell, "data_type", None) == "e":
                self.problem(ProblemKind.BAD_VALUE, item_id, r, col.ja, "an error value")
        content_fp = _plain(cells["_content"])
        cells_fp = _plain(cells["_cells"])
        if not (_HEX64.match(content_fp) and _HEX64.match(cells_fp)):
            self.problem(ProblemKind.FINGERPRINT_MISSING, item_id, r)
        else:
            self.check_vendor_cells(item_id, r, cells, item_row, on, content_fp, cells_fp)
        finding = self.reviewer_entries(item_id, r, cells, content_fp)
        if len(self.problems) + self.dropped != before:
            return None
        return finding

    def check_vendor_cells(self, item_id: str, r: int, cells: dict[str, Any], item_row, on: dt.date,
                           content_fp: str, cells_fp: str) -> None:
        found = tuple(_as_text(cells[c.key]) for c in VENDOR_COLUMNS)
        edited = cells_fingerprint(found) != cells_fp
        if content_fp != item_row.fingerprint:
            self.problem(ProblemKind.ANSWER_CHANGED, item_id, r)
            if edited:
                self.problem(ProblemKind.CELL_ALTERED, item_id, r)
            return
        expected = vendor_cells(item_row, on)
        altered = [(c, e, f) for c, e, f in zip(VENDOR_COLUMNS, expected, found, strict=True) if e != f]
        for col, exp, got in altered:
            self.problem(ProblemKind.CELL_ALTERED, item_id, r, col.ja,
                         f"「{_clip(exp)}」→「{_clip(got)}」")
        if edited and not altered:
            self.problem(ProblemKind.CELL_ALTERED, item_id, r, detail="fingerprint does not match")

    def reviewer_entries(self, item_id: str, r: int, cells: dict[str, Any],
                         content_fp: str) -> Finding | None:
        values: dict[str, Any] = {}
        for col in _REVIEWER:
            cell = cells[col.key]
            value = getattr(cell, "value", None) if cell is not None else None
            if getattr(cell, "data_type", None) in ("f", "e"):
                value = None  # reported above
            elif isinstance(value, str) and value.lstrip().startswith("="):
                self.problem(ProblemKind.FORMULA, item_id, r, col.ja)
                value = None
            values[col.key] = value
        verdict = self.verdict(item_id, r, values["verdict"])
        comment = self.text(item_id, r, _COL["finding"], values["finding"], MAX_COMMENT_CHARS)
        reviewer = self.text(item_id, r, _COL["reviewer"], values["reviewer"], MAX_REVIEWER_CHARS)
        day = self.day(item_id, r, values["reviewed_on"])
        grade = self.grade(item_id, r, values["grade"])
        if verdict is None and not comment and not reviewer and day is None and not grade:
            return None
        return Finding(item_id, verdict, comment, reviewer, day, content_fp, grade)

    def grade(self, item_id: str, r: int, value: Any) -> str:
        """A grade of the template's scale, by its Japanese or English label or its ID."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return ""
        scale = grades(self.sub.template)
        if isinstance(value, str):
            text = unicodedata.normalize("NFKC", value).strip().casefold()
            for g in scale:
                if text in (g.id.casefold(), unicodedata.normalize("NFKC", g.label.ja).casefold(),
                            g.label.en.casefold()):
                    return g.id
        self.problem(ProblemKind.BAD_VALUE, item_id, r, _COL["grade"].ja,
                     f"{_clip(str(value))!r} is not one of {'・'.join(g.label.ja for g in scale)}")
        return ""

    def verdict(self, item_id: str, r: int, value: Any) -> Verdict | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, str):
            found = Verdict.from_label(unicodedata.normalize("NFKC", value))
            if found is not None:
                return found
        self.problem(ProblemKind.BAD_VALUE, item_id, r, _COL["verdict"].ja,
                     f"{_clip(str(value))!r} is not one of 適合・不適合・要確認・該当なし")
        return None

    def text(self, item_id: str, r: int, col: Column, value: Any, limit: int) -> str:
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem(ProblemKind.BAD_VALUE, item_id, r, col.ja, f"expected text, got {_kind(value)}")
            return ""
        text = value if isinstance(value, str) else (str(int(value)) if float(value).is_integer()
                                                     else str(value))
        try:
            return clean_text(text, limit, col.en.lower())
        except ValueError as exc:
            self.problem(ProblemKind.BAD_VALUE, item_id, r, col.ja, str(exc))
            return ""

    def day(self, item_id: str, r: int, value: Any) -> dt.date | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, (dt.datetime, dt.date, str)):
            try:
                day = parse_date(value, "date")
            except ValueError as exc:
                self.problem(ProblemKind.BAD_VALUE, item_id, r, _COL["reviewed_on"].ja, str(exc))
                return None
            if not 1900 <= day.year <= 2200:
                self.problem(ProblemKind.BAD_VALUE, item_id, r, _COL["reviewed_on"].ja, "date out of range")
                return None
            return day
        self.problem(ProblemKind.BAD_VALUE, item_id, r, _COL["reviewed_on"].ja,
                     f"expected a date, got {_kind(value)}")
        return None


_REVIEWER = tuple(c for c in COLUMNS if c.role is Role.REVIEWER)
_COL = {c.key: c for c in COLUMNS}


def _plain(cell: Any) -> str:
    value = getattr(cell, "value", None) if cell is not None else None
    return value.strip() if isinstance(value, str) else ("" if value is None else str(value))


def _as_text(cell: Any) -> str:
    """A vendor cell as text; anything that is not the string we wrote shows as changed."""
    value = getattr(cell, "value", None) if cell is not None else None
    if value is None:
        return ""
    return value if isinstance(value, str) else f"<{_kind(value)}: {value}>"


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return "a date"
    if isinstance(value, (int, float)):
        return "a number"
    return type(value).__name__


def _clip(text: str, n: int = 40) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"


# --- review.json beside an opened bundle ----------------------------------------------------


def save_review_json(folder: str | Path, review: Review) -> Path:
    """Write ``review.json`` into an opened bundle folder atomically (replacing the last one)."""
    path = Path(folder) / REVIEW_FILE
    data = json.dumps(review.to_document(), ensure_ascii=False, indent=2).encode("utf-8")
    with atomic_write(path, overwrite=True) as fh:
        fh.write(data)
    return path


def load_review_json(folder: str | Path) -> Review | None:
    """The review stored beside an opened bundle, or None when there is none yet."""
    path = Path(folder) / REVIEW_FILE
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_REVIEW_JSON + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ReviewError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_REVIEW_JSON:
        raise ReviewError(f"{REVIEW_FILE}: too large")
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReviewError(f"{REVIEW_FILE}: not valid JSON ({exc})") from None
    return from_document(doc)
