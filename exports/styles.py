"""Look of the workbook: fonts, fills, named cell styles and status colours.

Named styles are registered once per workbook and assigned with ``cell.style = name``:
one assignment per cell instead of five keeps a 1,000-item checklist fast.
"""

from __future__ import annotations

import functools
import math
import re

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.worksheet import Worksheet

from questionnaire.completeness import Tone
from questionnaire.datefmt import EXCEL_DATE_FORMAT, EXCEL_DATETIME_FORMAT

from .rows import display_width
from .tones import TONE_HEX

# The classic Japanese business-form font: on every Windows and in Office for Mac, with
# tight line spacing (游ゴシック's tall line gap would make row heights unpredictable).
# LibreOffice substitutes a Japanese Gothic for it (IPAex on Linux).
FONT = "ＭＳ Ｐゴシック"
NAVY = "1F3864"
REVIEW_GREEN = "375623"
GRID = "A6A6A6"
SECTION_FILL = "DDEBF7"
INPUT_FILL = "FFF9E5"   # the pale yellow that marks "fill in here" on Japanese forms
MUTED = "595959"

# (fill, font colour) of the traffic-light states: the outcome tones (tones.py)
GOOD, NEUTRAL, BAD, GREY = (TONE_HEX[t] for t in (Tone.GOOD, Tone.WARN, Tone.BAD, Tone.NEUTRAL))

_thin = Side(style="thin", color=GRID)
_box = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_top_wrap = Alignment(vertical="top", wrap_text=True)
_locked = Protection(locked=True)
_unlocked = Protection(locked=False)

SIZE_BODY = 10
SIZE_SMALL = 9   # only in columns that are not printed
DATE_FORMAT = EXCEL_DATE_FORMAT
DATETIME_FORMAT = EXCEL_DATETIME_FORMAT
PERCENT_FORMAT = "0.0%"
REFERENCE_GREY = "7F7F7F"

# Paper. Every printed sheet is laid out for A4 at this fixed scale, never "fit to page":
# a fixed scale makes the printed size of the text known (10 pt x 90 % = 9 pt on paper,
# the least the issue allows), and Excel ignores manual page breaks under "fit to page".
PRINT_SCALE = 90
PRINT_MARGIN_SIDE_IN = 0.25
PRINT_MARGIN_TOP_IN = 0.6
A4_LONG_PT, A4_SHORT_PT = 841.89, 595.28
PX_PT = 0.75   # Excel: a column unit is 7 px (+5 px of padding per column), at 96 dpi
LIBREOFFICE_UNIT_PT = 5.55   # LibreOffice (Carlito): measured, 20 units print 111 pt wide


def printable_units(landscape: bool, columns: int) -> float:
    """How many column-width units fit across the printable width of an A4 page at
    PRINT_SCALE, for ``columns`` columns, in whichever of Excel and LibreOffice draws
    columns wider."""
    page = A4_LONG_PT if landscape else A4_SHORT_PT
    width_pt = (page - 2 * 72 * PRINT_MARGIN_SIDE_IN) / (PRINT_SCALE / 100)
    return min((width_pt / PX_PT - 5 * columns) / 7, width_pt / LIBREOFFICE_UNIT_PT)

TITLE = "at_title"
SUBTITLE = "at_subtitle"
HEADER = "at_header"
HEADER_REVIEW = "at_header_review"
SECTION = "at_section"
BODY = "at_body"
BODY_CENTER = "at_body_center"
BODY_EN = "at_body_en"
BODY_SMALL = "at_body_small"
REVIEW = "at_review"
REVIEW_DATE = "at_review_date"
LABEL = "at_label"
VALUE = "at_value"
NUMBER = "at_number"
PERCENT = "at_percent"
DATE = "at_date"
DATETIME = "at_datetime"
DATE_LEFT = "at_date_left"
HIDDEN = "at_hidden"
HEADER_REFERENCE = "at_header_reference"
NOTE = "at_note"          # explanatory text under a table, no border
TONE_STYLES = {tone: f"at_tone_{tone.value}" for tone in Tone}


def _style(name: str, *, size: float = 10, bold: bool = False, color: str = "000000",
           fill: str | None = None, border: bool = True, align: Alignment = _top_wrap,
           number_format: str = "General", locked: bool = True) -> NamedStyle:
    return NamedStyle(
        name=name, font=Font(name=FONT, size=size, bold=bold, color=color),
        fill=PatternFill("solid", fgColor=fill) if fill else PatternFill(),
        border=_box if border else Border(), alignment=align, number_format=number_format,
        protection=_locked if locked else _unlocked,
    )


def register(wb: Workbook) -> dict[str, StyleArray]:
    """Add the named styles to ``wb``; returns each one's style array, which a cell can take
    as a copy: the descriptor behind ``cell.style = name`` searches the style list by name on
    every call, which dominated the time of a large checklist."""
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for style in (
        _style(TITLE, size=14, bold=True, color=NAVY, border=False,
               align=Alignment(vertical="center")),
        _style(SUBTITLE, size=SIZE_BODY, color=MUTED, border=False, align=Alignment(vertical="center")),
        _style(HEADER, bold=True, color="FFFFFF", fill=NAVY, align=center),
        _style(HEADER_REVIEW, bold=True, color="FFFFFF", fill=REVIEW_GREEN, align=center),
        _style(SECTION, bold=True, color=NAVY, fill=SECTION_FILL,
               align=Alignment(vertical="center")),
        _style(BODY),
        _style(BODY_CENTER, align=Alignment(horizontal="center", vertical="top", wrap_text=True)),
        _style(BODY_EN, size=SIZE_SMALL, color=MUTED),
        _style(BODY_SMALL, size=SIZE_SMALL),
        _style(REVIEW, fill=INPUT_FILL, locked=False),
        _style(REVIEW_DATE, fill=INPUT_FILL, locked=False, number_format=DATE_FORMAT,
               align=Alignment(horizontal="center", vertical="top")),
        _style(LABEL, bold=True, fill="F2F2F2"),
        _style(VALUE),
        _style(NUMBER, number_format="#,##0", align=Alignment(horizontal="right", vertical="top")),
        _style(PERCENT, number_format=PERCENT_FORMAT,
               align=Alignment(horizontal="right", vertical="top")),
        _style(DATE, number_format=DATE_FORMAT, align=Alignment(horizontal="center", vertical="top")),
        _style(DATETIME, number_format=DATETIME_FORMAT, align=Alignment(horizontal="left", vertical="top")),
        _style(DATE_LEFT, number_format=DATE_FORMAT, align=Alignment(horizontal="left", vertical="top")),
        _style(HIDDEN, size=8, color=MUTED, border=False, align=Alignment()),
        _style(HEADER_REFERENCE, bold=True, color="FFFFFF", fill=REFERENCE_GREY, align=center),
        _style(NOTE, size=SIZE_BODY, color=MUTED, border=False),
        *(_style(TONE_STYLES[tone], color=font, fill=fill, bold=tone is not Tone.NEUTRAL,
                 align=Alignment(vertical="top", wrap_text=True))
          for tone, (fill, font) in TONE_HEX.items()),
    ):
        wb.add_named_style(style)
    return {s.name: s.as_tuple() for s in wb._named_styles if s.name.startswith("at_")}


# Points per line of wrapped text at 10 pt; ＭＳ Ｐゴシック keeps a tight line gap in Excel
# (13.5 pt rows for 11 pt text), and LibreOffice's substitute is close to it.
LINE_PT_PER_10PT = 13.0
MAX_ROW_PT = 409  # Excel's limit
# Column widths count "0" digits of the default font (7 px) and add 5 px; a cell keeps
# about 3 px of padding each side. At 10 pt a full-width character is 13.3 px, 1.9 units;
# proportional Latin text averages about 0.9. (Checked against LibreOffice's rendering of
# the checklist: a 27-unit question column holds 14 full-width characters a line.)
WIDE_UNITS, NARROW_UNITS = 1.9, 0.9


def text_units(text: str, size: float = 10) -> float:
    wide = display_width(text) - len(text)   # display_width counts wide characters twice
    return (wide * WIDE_UNITS + (len(text) - wide) * NARROW_UNITS) * size / 10


# Latin text breaks only after a space, a slash or a hyphen; Japanese text anywhere.
_LATIN_RUN = re.compile(r"[!-~]+ ?| ")


def _tokens(para: str):
    """Pieces a line may not be broken within: one wide character, or a Latin word with
    what follows it up to the next break opportunity."""
    pos = 0
    for m in _LATIN_RUN.finditer(para):
        yield from para[pos:m.start()]
        word = m.group()
        start = 0
        for i, ch in enumerate(word):
            if ch in "/-" and i + 1 < len(word):
                yield word[start:i + 1]
                start = i + 1
        yield word[start:]
        pos = m.end()
    yield from para[pos:]


@functools.lru_cache(maxsize=65536)
def _char_units(ch: str) -> float:
    return WIDE_UNITS if display_width(ch) == 2 else NARROW_UNITS


@functools.lru_cache(maxsize=65536)
def lines_in(text: str, width: float, size: float = 10) -> int:
    """How many lines ``text`` takes in a wrapped cell ``width`` units wide: a greedy fill
    of the line with unbreakable pieces, as both applications wrap. (Cached: a checklist
    repeats many texts, e.g. an evidence file named on several items.)"""
    if not text:
        return 1
    room = max(1.0, width - 0.15) * 10 / size   # in units of 10 pt text
    lines = 0
    for para in text.split("\n"):
        if para.isascii() or display_width(para) == 2 * len(para):
            # one kind of text: the arithmetic is close enough, and much cheaper
            units = text_units(para) * (1.1 if para.isascii() else 1.0)
            lines += max(1, math.ceil(units / room))
            continue
        used, count = 0.0, 1
        for token in _tokens(para):
            w = _char_units(token) if len(token) == 1 else text_units(token)
            if used + w > room and used > 0:
                count += 1
                used = 0.0
            while w > room:  # a piece wider than the column is cut where it overflows
                count += 1
                w -= room
            used += w
        lines += count
    return lines


def row_height(cells: list[tuple[str, float, float]], minimum: float = 15) -> float:
    """Height in points for a row of wrapped cells given as (text, column width, font size)."""
    need = max((lines_in(t, w, s) * LINE_PT_PER_10PT * s / 10 for t, w, s in cells if t), default=0)
    return min(MAX_ROW_PT, max(minimum, need + 3))


class _FittedRow(RowDimension):
    """A row written with a height but not marked as set by hand (no customHeight).

    LibreOffice draws a row at its stored height and does not fit rows on opening, so each
    row carries our estimate of its text's height; without customHeight both Excel and
    LibreOffice still treat it as an automatic row and grow it when its text is edited.
    """

    @property
    def customHeight(self):  # openpyxl derives it from the height; we want it left out
        return False


def fit_row(ws: Worksheet, row: int, height: float) -> None:
    old = ws.row_dimensions[row]
    ws.row_dimensions[row] = _FittedRow(ws, index=row, ht=round(height, 2),
                                        outlineLevel=old.outlineLevel or 0)


def _fill_font(colors: tuple[str, str]) -> dict:
    fill, font = colors
    return {"fill": PatternFill("solid", start_color=fill, end_color=fill), "font": Font(color=font)}


def starts_with_rule(first_cell: str, text: str, colors: tuple[str, str]) -> FormulaRule:
    """Colour a cell whose text begins with ``text`` (a state label)."""
    return FormulaRule(formula=[f'LEFT({first_cell},{len(text)})="{text}"'], **_fill_font(colors))


def equals_rule(text: str, colors: tuple[str, str]) -> CellIsRule:
    return CellIsRule(operator="equal", formula=[f'"{text}"'], **_fill_font(colors))


def contains_rule(first_cell: str, text: str, colors: tuple[str, str]) -> FormulaRule:
    return FormulaRule(formula=[f'ISNUMBER(SEARCH("{text}",{first_cell}))'],
                       font=Font(color=colors[1], bold=True))


def compare_rule(operator: str, value: str, colors: tuple[str, str]) -> CellIsRule:
    return CellIsRule(operator=operator, formula=[value], fill=PatternFill("solid", fgColor=colors[0]))
