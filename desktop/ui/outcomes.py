"""How the desktop draws outcome counts: the colour of each tone, a bar split by outcome, and
the counts in words beside it.

Every count comes from a ``questionnaire.completeness.Tally`` (the one definition the CLI,
the workbook and the PDF use too) and every colour from the outcome's ``Tone``: green is
drawn for conforming items and nothing else. A colour is never the only carrier of a
meaning: each bar has its counts in words beside it or in its tooltip and accessible name.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from questionnaire import Outcome, Tone
from questionnaire.completeness import OUTCOME_ORDER

from .. import i18n
from ..i18n import tr
from .style import TONES

if TYPE_CHECKING:
    from questionnaire import Tally

TONE_COLOURS: dict[Tone, tuple[str, str]] = {tone: TONES[str(tone)] for tone in Tone}  # (fill, text)
TRACK = "#dfe5ec"

# The bar's segments, left to right: the items that count (an optional item left blank needs
# nothing, a hidden one is not on screen).
BAR_OUTCOMES = (Outcome.CONFORMING, Outcome.NEEDS_IMPROVEMENT, Outcome.NON_CONFORMING, Outcome.UNANSWERED)
# What a line about remaining work names, worst first.
OPEN_OUTCOMES = (Outcome.NON_CONFORMING, Outcome.UNANSWERED, Outcome.NEEDS_IMPROVEMENT)


def fill(tone: Tone) -> QColor:
    return QColor(TONE_COLOURS[tone][0])


def bar_colour(outcome: Outcome) -> str:
    """An outcome's colour in a bar: unanswered items are the empty track (what is left to do)."""
    return TRACK if outcome is Outcome.UNANSWERED else TONE_COLOURS[outcome.tone][0]


def ink(tone: Tone) -> QColor:
    return QColor(TONE_COLOURS[tone][1])


def overall_tone(tally: Tally) -> Tone:
    """The state of a set of items as one tone: green only when every item shown conforms
    (or is an optional item left blank)."""
    if tally.count(Outcome.NON_CONFORMING):
        return Tone.BAD
    if tally.count(Outcome.UNANSWERED):
        return Tone.TODO
    if tally.count(Outcome.NEEDS_IMPROVEMENT):
        return Tone.WARN
    return Tone.GOOD if tally.count(Outcome.CONFORMING) else Tone.NEUTRAL


def label(outcome: Outcome) -> str:
    return outcome.label.get(i18n.current())


def counts_text(tally: Tally, outcomes=OUTCOME_ORDER, *, skip_zero: bool = True) -> str:
    """ "不適合 1・未回答 2" / "Non-conforming 1 · Not answered 2" """
    sep = "・" if i18n.current() == "ja" else " · "
    return sep.join(f"{label(o)} {tally.count(o)}" for o in outcomes if tally.count(o) or not skip_zero)


def open_text(tally: Tally) -> str:
    """What is left to do in a set of items, in words; "すべて適合" when nothing is."""
    text = counts_text(tally, OPEN_OUTCOMES)
    if text:
        return text
    if tally.count(Outcome.CONFORMING):
        return tr("すべて適合")
    return tr("回答する設問なし")


def counts_html(tally: Tally, outcomes=OUTCOME_ORDER, *, skip_zero: bool = True, swatch: bool = True) -> str:
    """The counts as rich text, each in its tone's colour beside a square of the bar's colour."""
    parts = []
    for o in outcomes:
        n = tally.count(o)
        if skip_zero and not n:
            continue
        square = f"<span style='color:{bar_colour(o)}'>■</span>&nbsp;" if swatch and o in BAR_OUTCOMES else ""
        parts.append(f"{square}<span style='color:{TONE_COLOURS[o.tone][1]}'>"
                     f"{html.escape(label(o)).replace(' ', '&nbsp;')}&nbsp;{n}</span>")  # one entry, one line
    return "&nbsp;&nbsp; ".join(parts)


def paint_bar(painter: QPainter, rect: QRect, tally: Tally | None, radius: float = 3.0) -> None:
    """A bar over the items shown, split by outcome in OUTCOME_ORDER (a grey track when empty)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(TRACK))
    painter.drawRoundedRect(QRectF(rect), radius, radius)
    total = sum(tally.count(o) for o in BAR_OUTCOMES) if tally is not None else 0
    if total:
        painter.setClipRect(rect)
        x = float(rect.left())
        for o in BAR_OUTCOMES:
            width = rect.width() * tally.count(o) / total
            if width:
                painter.setBrush(QColor(bar_colour(o)))
                painter.drawRect(QRectF(x, rect.top(), width, rect.height()))
            x += width
    painter.restore()


class OutcomeBar(QWidget):
    """A bar split by outcome; its tooltip and accessible name say the counts in words.

    Given a ``name`` (「必須項目の完了率」), that is its accessible name and the counts are its
    description; either way a screen reader reads it as a progress bar whose value is the share
    of required items complete, with the numbers ("45%（5 / 11 件）", accessibility.py)."""

    def __init__(self, parent: QWidget | None = None, height: int = 10, *, name: str = "") -> None:
        super().__init__(parent)
        self.tally: Tally | None = None
        self.name = name
        self._height = height
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(120)
        if name:
            self.setAccessibleName(name)

    def sizeHint(self) -> QSize:
        return QSize(200, self._height)

    def minimumSizeHint(self) -> QSize:
        return QSize(80, self._height)

    def set_tally(self, tally: Tally | None) -> None:
        if tally == self.tally:
            return
        self.tally = tally
        words = counts_text(tally) if tally is not None else ""
        self.setToolTip(words)
        if self.name:
            self.setAccessibleDescription(words)
        else:
            self.setAccessibleName(words)
        self.update()

    def accessible_value(self) -> str:
        """What a screen reader hears as the bar's value: the share complete, in numbers."""
        if self.tally is None:
            return ""
        return tr("{pct}%（{done} / {total} 件）").format(
            pct=round(self.tally.ratio * 100), done=self.tally.complete, total=self.tally.required)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        rect = self.rect()
        rect.setHeight(self._height)
        rect.moveTop((self.height() - self._height) // 2)
        paint_bar(painter, rect, self.tally, radius=min(4.0, self._height / 2))
        painter.end()


def submit_text(total: Tally) -> str:
    """Whether the items let the submission go, in words (the dashboard and the export wizard)."""
    improve = total.count(Outcome.NEEDS_IMPROVEMENT)
    if total.blocking:
        return tr("提出を妨げている設問が %n 件あります（{detail}）。", "", total.blocking).format(
            detail=counts_text(total, (Outcome.NON_CONFORMING, Outcome.UNANSWERED)))
    if improve:
        return tr("提出を妨げる設問はありません。ただし要改善の設問が %n 件あります"
                  "（提出はできますが、改善を求められます）。", "", improve)
    return tr("すべての必須項目が適合です。提出を妨げる問題はありません。")
