"""The app's look: a calm, light business style on top of Fusion, and a Japanese UI font."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication

# Japanese-capable UI fonts in order of preference; the first one installed wins.
UI_FONTS = ("Yu Gothic UI", "Meiryo UI", "Hiragino Sans", "Noto Sans CJK JP", "Noto Sans JP",
            "Source Han Sans JP", "IPAexGothic", "IPAGothic", "TakaoGothic", "VL Gothic")

# The colours of questionnaire.completeness.Tone, by its value: (fill for bars and edges, text).
# Green is conforming and nothing else. (Plain strings: the welcome window loads this module
# before the questionnaire core.)
TONES = {
    "good": ("#2e8b57", "#2e7d4f"),
    "warn": ("#e0a800", "#7a5200"),
    "bad": ("#d9534f", "#9b1c1c"),
    "todo": ("#8e7cc3", "#4b3f72"),
    "neutral": ("#c3ccd6", "#5b6b7b"),
}

STYLE = """
QWidget#formBody { background: #f4f6f9; }
QLabel#sectionTitle { font-size: 15pt; font-weight: bold; color: #1f2d3d; padding: 2px 0 2px 0; }
QLabel#sectionDescription { color: #4a5868; }
QLabel#resultSection { font-weight: bold; color: #33506e; padding-top: 8px; }
ItemWidget, QFrame[state] { background: white; border: 1px solid #d5dbe3; border-radius: 6px; }
QFrame[state="non_conforming"] { border: 1px solid #d9534f; border-left: 5px solid #d9534f; }
QFrame[state="needs_improvement"] { border-left: 5px solid #e0a800; }
QFrame[state="unanswered"] { border-left: 5px solid #8e7cc3; }
QFrame[state="conforming"] { border-left: 5px solid #2e8b57; }
QFrame[current="true"] { border-top: 1px solid #2f6fb3; border-right: 1px solid #2f6fb3;
                         border-bottom: 1px solid #2f6fb3; }
QFrame[state] QLabel { background: transparent; border: none; }
QLabel#itemId { font-weight: bold; color: #33506e; }
QLabel#question { font-size: 11pt; color: #1f2d3d; }
QLabel#help { color: #5b6b7b; }
QLabel#sourceLabel { color: #8593a3; font-size: 8.5pt; }
QLabel#requiredMarker { border-radius: 3px; padding: 0 5px; color: #5b6b7b;
                        border: 1px solid #c7d0da; }
QLabel#requiredMarker[required="true"] { color: white; background: #c0392b; border: 1px solid #c0392b; }
QLabel#stateBadge[kind="non_conforming"] { color: #9b1c1c; font-weight: bold; }
QLabel#stateBadge[kind="needs_improvement"] { color: #7a5200; font-weight: bold; }
QLabel#stateBadge[kind="unanswered"] { color: #4b3f72; }
QLabel#stateBadge[kind="conforming"] { color: #2e7d4f; }
QLabel#problems { color: #7a5200; }
QLabel#problems[blocking="true"] { color: #9b1c1c; }
QLabel#inputError { color: #9b1c1c; font-weight: bold; }
QLabel#noteLabel { color: #4a5868; }
QLabel#noteLabel[required="true"] { color: #9b1c1c; font-weight: bold; }
QLabel#evidenceHint { color: #4a5868; }
QLabel#evidenceHint[missing="true"] { color: #9b1c1c; }
QPushButton[segment] { padding: 5px 14px; border: 1px solid #aab6c3; background: #fbfcfd;
                       border-radius: 0; margin: 0; }
QPushButton[segment="first"] { border-top-left-radius: 5px; border-bottom-left-radius: 5px; }
QPushButton[segment="last"] { border-top-right-radius: 5px; border-bottom-right-radius: 5px; }
QPushButton[segment]:hover { background: #eef3f8; }
QPushButton[segment]:focus { border: 2px solid #2f6fb3; }
QPushButton[segment]:checked { color: white; font-weight: bold; }
QPushButton[answer="yes"]:checked { background: #2e8b57; border-color: #2e8b57; }
QPushButton[answer="partial"]:checked { background: #c98a00; border-color: #c98a00; }
QPushButton[answer="no"]:checked { background: #c0392b; border-color: #c0392b; }
QPushButton[answer="na"]:checked { background: #6c7a89; border-color: #6c7a89; }
QFrame#warningBox { background: #fff4d6; border: 1px solid #e0b84c; border-radius: 5px; }
QLabel#lockTitle, QLabel#welcomeTitle { font-size: 18pt; font-weight: bold; color: #1f2d3d; }
QLabel#welcomeSubtitle { color: #4a5868; }
QListWidget#recentList::item { padding: 7px 6px; border-bottom: 1px solid #e3e8ee; color: #1f2d3d; }
QListWidget#recentList::item:selected { background: #2f6fb3; color: white; }
QLabel#welcomeHint { color: #4a5868; }
QLabel#dashboardHeadline { font-size: 14pt; font-weight: bold; }
QLabel#submitState { font-weight: bold; }
QWidget#formBody QComboBox:disabled, QWidget#formBody QCheckBox:disabled,
QWidget#formBody QPushButton[segment]:disabled { color: #1f2d3d; }
QWidget#formBody QPushButton[segment]:disabled:checked { color: white; }
QLabel#readOnlyBadge { color: #33506e; border: 1px solid #9fb3c8; border-radius: 4px; padding: 2px 8px;
                       background: #eef3f8; }
QFrame#verifyBanner { border-radius: 6px; }
QFrame#readOnlyBanner { background: #fff4d6; border: 1px solid #d9a520; border-radius: 6px;
                        margin: 6px 8px 0 8px; }
QFrame#readOnlyBanner QLabel { background: transparent; border: none; color: #4a3500; }
QFrame#verifyBanner[ok="true"] { background: #e6f4ea; border: 1px solid #8cc7a0;
                                 border-left: 6px solid #2e8b57; }
QFrame#verifyBanner[ok="false"] { background: #fdecea; border: 1px solid #e6a29c;
                                  border-left: 6px solid #c0392b; }
QFrame#verifyBanner[ok="warn"] { background: #fff4e0; border: 1px solid #e0b36a;
                                 border-left: 6px solid #b26a00; }
QFrame#verifyBanner QLabel { background: transparent; border: none; }
QLabel#verifyTitle { font-size: 12pt; font-weight: bold; }
QLabel#verifyTitle[ok="true"] { color: #1e6b43; }
QLabel#verifyTitle[ok="false"] { color: #9b1c1c; }
QLabel#verifyTitle[ok="warn"] { color: #7a4600; }
QPushButton[verdict="conforms"]:checked { background: #2e8b57; border-color: #2e8b57; }
QPushButton[verdict="nonconforming"]:checked { background: #c0392b; border-color: #c0392b; }
QPushButton[verdict="needs_check"]:checked { background: #c98a00; border-color: #c98a00; }
QPushButton[verdict="not_applicable"]:checked { background: #6c7a89; border-color: #6c7a89; }
QPushButton[verdict] { padding: 5px 10px; }
"""


STYLE += "".join(f'QLabel#submitState[tone="{name}"] {{ color: {text}; }}\n'
                 for name, (_fill, text) in TONES.items())


def apply(app: QApplication) -> None:
    app.setStyle("Fusion")
    palette = app.style().standardPalette()
    palette.setColor(QPalette.ColorRole.Highlight, "#2f6fb3")
    app.setPalette(palette)
    families = set(QFontDatabase.families())
    font = QFont(app.font())
    for family in UI_FONTS:
        if family in families:
            font.setFamilies([family, *app.font().families()])
            break
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
    app.setStyleSheet(STYLE)
