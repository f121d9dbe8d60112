"""The left-hand list of sections, each with its completion drawn as a thin bar."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ..forms.models import ROLE_COUNTS, ROLE_ID, ROLE_PROGRESS, SectionModel


class SectionDelegate(QStyledItemDelegate):
    BAR = 6

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        metrics = option.fontMetrics
        # no width of its own: the row is as wide as the list (the title elides), never wider
        return QSize(1, metrics.lineSpacing() * 2 + self.BAR + 18)

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
        rect = option.rect.adjusted(10, 6, -10, -6)
        metrics = option.fontMetrics
        section_id = index.data(ROLE_ID)
        counts = index.data(ROLE_COUNTS)
        painter.setPen(option.palette.highlightedText().color() if selected else QColor("#1f2d3d"))
        bold = painter.font()
        bold.setBold(True)
        painter.setFont(bold)
        line = metrics.lineSpacing()
        painter.drawText(QRect(rect.left(), rect.top(), rect.width(), line),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, section_id)
        painter.setFont(option.font)
        if counts is not None:
            complete, required, blocking = counts
            # done (✓) or blocked (!) in a sign as well as by the bar's colour
            sign = " !" if blocking else " ✓" if required and complete >= required else ""
            count_text = f"{complete}/{required}{sign}"
            painter.drawText(QRect(rect.left(), rect.top(), rect.width(), line),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, count_text)
        title = metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(QRect(rect.left(), rect.top() + line, rect.width(), line),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
        ratio = index.data(ROLE_PROGRESS)
        if ratio is not None:
            bar = QRect(rect.left(), rect.bottom() - self.BAR + 1, rect.width(), self.BAR)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#dfe5ec"))
            painter.drawRoundedRect(bar, 3, 3)
            done = QRect(bar)
            done.setWidth(int(bar.width() * ratio))
            painter.setBrush(QColor("#2e8b57") if ratio >= 1 else QColor("#2f6fb3"))
            if done.width() > 0:
                painter.drawRoundedRect(done, 3, 3)
        painter.restore()


class SectionList(QListView):
    def __init__(self, model: SectionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sectionList")
        self.setAccessibleName(self.tr("セクション"))
        self.setAccessibleDescription(self.tr("↑↓ でセクションを選ぶと、その設問が中央に表示されます。"))
        self.setModel(model)
        self.setItemDelegate(SectionDelegate(self))
        self.setUniformItemSizes(True)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 16)  # titles elide below that
        self.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def current_section_id(self) -> str | None:
        index = self.currentIndex()
        return index.data(ROLE_ID) if index.isValid() else None

    def select_section(self, section_id: str) -> None:
        row = self.model().row_of(section_id)
        if row >= 0:
            self.setCurrentIndex(self.model().index(row))
