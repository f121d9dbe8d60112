"""The left-hand list of sections: each with its title (wrapped, never cut without a tooltip),
what is left to do in words, and a bar split by outcome (green only for conforming items)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QTextLayout, QTextOption
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ..forms.models import ROLE_COUNTS, ROLE_ID, ROLE_TALLY, SectionModel
from .outcomes import TONE_COLOURS, open_text, overall_tone, paint_bar

TITLE_LINES = 2  # a longer title is elided on its second line; the tooltip has it whole
PAD_X, PAD_Y = 10, 6


def title_lines(text: str, font: QFont, width: int) -> list[str]:
    """The title wrapped to ``width`` (CJK text breaks between characters), at most TITLE_LINES."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    spans: list[tuple[int, int]] = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(1, width))
        spans.append((line.textStart(), line.textLength()))
    layout.endLayout()
    lines = [text[start:start + length].rstrip() for start, length in spans[:TITLE_LINES]]
    if len(spans) > TITLE_LINES:
        rest = text[spans[TITLE_LINES - 1][0]:].strip()
        lines[-1] = QFontMetrics(font).elidedText(rest, Qt.TextElideMode.ElideRight, width)
    return lines or [""]


class SectionDelegate(QStyledItemDelegate):
    BAR = 6

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        bold = QFont(option.font)
        bold.setBold(True)
        small = QFont(option.font)
        small.setPointSizeF(max(8.0, option.font.pointSizeF() * 0.9))
        return bold, small

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        _bold, small = self._fonts(option)
        view = option.widget
        width = (view.viewport().width() if isinstance(view, QListView) else option.rect.width()) - 2 * PAD_X
        lines = len(title_lines(index.data() or "", option.font, width))
        line = option.fontMetrics.lineSpacing()
        status = QFontMetrics(small).lineSpacing()  # kept while locked: rows never jump
        # no width of its own: the row is as wide as the list (the title wraps), never wider
        return QSize(1, PAD_Y * 2 + line * (1 + lines) + status + self.BAR + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        painter.save()
        style = option.widget.style() if option.widget else None
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        plain = option.palette.highlightedText().color() if selected else QColor("#1f2d3d")
        rect = option.rect.adjusted(PAD_X, PAD_Y, -PAD_X, -PAD_Y)
        bold, small = self._fonts(option)
        line = option.fontMetrics.lineSpacing()
        top = rect.top()
        painter.setPen(plain)
        painter.setFont(bold)
        left_right = Qt.AlignmentFlag.AlignVCenter
        painter.drawText(QRect(rect.left(), top, rect.width(), line), Qt.AlignmentFlag.AlignLeft | left_right,
                         index.data(ROLE_ID))
        painter.setFont(option.font)
        counts = index.data(ROLE_COUNTS)
        if counts is not None:
            complete, required, blocking = counts
            # done (✓) or blocked (!) in a sign as well as by the bar's colour
            sign = " !" if blocking else " ✓" if required and complete >= required else ""
            painter.drawText(QRect(rect.left(), top, rect.width(), line),
                             Qt.AlignmentFlag.AlignRight | left_right, f"{complete}/{required}{sign}")
        top += line
        for title in title_lines(text, option.font, rect.width()):
            painter.drawText(QRect(rect.left(), top, rect.width(), line),
                             Qt.AlignmentFlag.AlignLeft | left_right, title)
            top += line
        tally = index.data(ROLE_TALLY)
        if tally is not None:
            small_line = QFontMetrics(small).lineSpacing()
            painter.setFont(small)
            painter.setPen(plain if selected else QColor(TONE_COLOURS[overall_tone(tally)][1]))
            status = QFontMetrics(small).elidedText(open_text(tally), Qt.TextElideMode.ElideRight,
                                                    rect.width())
            painter.drawText(QRect(rect.left(), top, rect.width(), small_line),
                             Qt.AlignmentFlag.AlignLeft | left_right, status)
            top += small_line + 2
            paint_bar(painter, QRect(rect.left(), top, rect.width(), self.BAR), tally)
        painter.restore()


class SectionList(QListView):
    def __init__(self, model: SectionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sectionList")
        self.setAccessibleName(self.tr("セクション"))
        self.setAccessibleDescription(self.tr("↑↓ でセクションを選ぶと、その設問が中央に表示されます。"))
        self.setModel(model)
        self.setItemDelegate(SectionDelegate(self))
        # rows differ in height (a title may take two lines) and follow the list's width
        self.setUniformItemSizes(False)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setWordWrap(True)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 16)  # titles wrap, then elide
        self.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def current_section_id(self) -> str | None:
        index = self.currentIndex()
        return index.data(ROLE_ID) if index.isValid() else None

    def select_section(self, section_id: str) -> None:
        row = self.model().row_of(section_id)
        if row >= 0:
            self.setCurrentIndex(self.model().index(row))
