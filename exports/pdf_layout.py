"""Page furniture and text styles of the PDF report (reportlab platypus).

Page numbers read 「n / N ページ」, which needs N before any page is written: the
canvas keeps each page's state and draws the footers when the document is saved.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas

from questionnaire.completeness import Tone

from .rows import safe_text
from .tones import TONE_HEX

PAGE = A4
MARGIN_X = 16 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 18 * mm
FRAME_WIDTH = PAGE[0] - 2 * MARGIN_X

NAVY = colors.HexColor("#1F3864")
MUTED = colors.HexColor("#595959")
RULE = colors.HexColor("#A6A6A6")
LABEL_BG = colors.HexColor("#F2F2F2")
SECTION_BG = colors.HexColor("#DDEBF7")
TONES = {tone: (colors.HexColor(f"#{fill}"), colors.HexColor(f"#{text}"))
         for tone, (fill, text) in TONE_HEX.items()}
GOOD, NEUTRAL, BAD, GREY = (TONES[t] for t in (Tone.GOOD, Tone.WARN, Tone.BAD, Tone.NEUTRAL))


class Styles:
    """Paragraph styles in the report's Japanese font."""

    def __init__(self, font: str) -> None:
        def style(name: str, size: float, *, leading: float | None = None, color=colors.black,
                  cjk: bool = True, **kw) -> ParagraphStyle:
            return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.5,
                                  textColor=color, wordWrap="CJK" if cjk else None, **kw)

        self.font = font
        self.body = style("body", 9)
        self.small = style("small", 8, leading=11)
        self.muted = style("muted", 8, leading=11, color=MUTED)
        self.english = style("english", 8, leading=10.5, color=MUTED, cjk=False)
        self.label = style("label", 8, leading=11, color=MUTED)
        self.cell = style("cell", 8.5, leading=12)
        self.cell_bold = style("cell_bold", 9, leading=12.5, color=NAVY)
        self.h1 = style("h1", 16, leading=24, color=NAVY, spaceBefore=0, spaceAfter=6)
        self.h2 = style("h2", 12.5, leading=18, color=NAVY, spaceBefore=10, spaceAfter=4)
        self.h2_en = style("h2_en", 9, leading=12, color=MUTED, cjk=False, spaceAfter=6)
        self.h3 = style("h3", 10.5, leading=15, color=NAVY, spaceBefore=6, spaceAfter=3, keepWithNext=1)
        self.cover_title = style("cover_title", 20, leading=30, color=NAVY, alignment=1)
        self.cover_paren = style("cover_paren", 11, leading=16, color=NAVY, alignment=1, spaceBefore=4)
        self.cover_sub = style("cover_sub", 14, leading=20, color=NAVY, alignment=1, spaceBefore=6)
        self.cover_en = style("cover_en", 9.5, leading=13, color=MUTED, alignment=1, cjk=False)
        self.center = style("center", 9, alignment=1)
        self.badge = style("badge", 8.5, leading=11, alignment=1)
        self.hash = style("hash", 8, leading=11)  # CJK wrapping breaks a digest anywhere


def para_text(text: str) -> str:
    """User text as Paragraph markup: escaped, line breaks kept."""
    return escape(safe_text(text)).replace("\n", "<br/>")


class NumberedCanvas(rl_canvas.Canvas):
    """A canvas that adds 「n / N ページ」 and the running header once N is known."""

    def __init__(self, *args, font: str, header_left: str, header_right: str, footer_left: str, **kw):
        super().__init__(*args, **kw)
        self._font = font
        self._header = (safe_text(header_left), safe_text(header_right))
        self._footer_left = safe_text(footer_left)
        self._pages: list[dict] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        page = self._pageNumber
        width, height = PAGE
        self.saveState()
        self.setFont(self._font, 8)
        self.setFillColor(MUTED)
        if page > 1:  # the cover carries its own title
            left, right = self._header
            self.drawString(MARGIN_X, height - 12 * mm, left)
            self.drawRightString(width - MARGIN_X, height - 12 * mm, right)
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN_X, height - 13.5 * mm, width - MARGIN_X, height - 13.5 * mm)
        self.setStrokeColor(RULE)
        self.line(MARGIN_X, 13 * mm, width - MARGIN_X, 13 * mm)
        self.drawString(MARGIN_X, 9 * mm, self._footer_left)
        self.drawCentredString(width / 2, 9 * mm, f"{page} / {total} ページ")
        self.drawRightString(width - MARGIN_X, 9 * mm, "CCUS Attest")
        self.restoreState()
