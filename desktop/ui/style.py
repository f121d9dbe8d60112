"""The app's look: a calm, light business style on top of Fusion, and a Japanese UI font.

Every font size is a multiple of the application font (the system's, at least 10 pt), so a
user who makes the system font larger gets larger headings, questions and notes too; the
style sheet is generated from it (``style_sheet``). Every control shows a focus ring of
``FOCUS`` (8:1 against the white and light-grey backgrounds it sits on; WCAG 2.2 asks for
3:1), and colours carrying text meet 4.5:1 (issue 18).
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication

# Japanese-capable UI fonts in order of preference; the first one installed wins.
UI_FONTS = ("Yu Gothic UI", "Meiryo UI", "Hiragino Sans", "Noto Sans CJK JP", "Noto Sans JP",
            "Source Han Sans JP", "IPAexGothic", "IPAGothic", "TakaoGothic", "VL Gothic")
MIN_POINT_SIZE = 10.0

FOCUS = "#1a4f8b"        # focus ring: 8.6:1 on white, 8.0:1 on #f4f6f9
FIELD_BORDER = "#7d8b99"  # a field's own edge: 3.6:1 on white (visible without colour vision)

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

# Relative font sizes (× the application font).
SIZES = {"title": 1.5, "big_title": 1.8, "headline": 1.4, "banner": 1.2, "question": 1.1, "heading": 1.1,
         "small": 0.85}


def style_sheet(base_pt: float) -> str:
    pt = {name: f"{base_pt * factor:.1f}pt" for name, factor in SIZES.items()}
    return f"""
QWidget#formBody {{ background: #f4f6f9; }}
QLabel#sectionTitle {{ font-size: {pt['title']}; font-weight: bold; color: #1f2d3d; padding: 2px 0 2px 0; }}
QLabel#sectionDescription {{ color: #4a5868; }}
QLabel#resultSection {{ font-weight: bold; color: #33506e; padding-top: 8px; }}
ItemWidget, QFrame[state] {{ background: white; border: 1px solid #d5dbe3; border-radius: 6px; }}
QFrame[state="non_conforming"] {{ border: 1px solid #d9534f; border-left: 5px solid #d9534f; }}
QFrame[state="needs_improvement"] {{ border-left: 5px solid #e0a800; }}
QFrame[state="unanswered"] {{ border-left: 5px solid #8e7cc3; }}
QFrame[state="to_confirm"] {{ border-left: 5px dashed #8e7cc3; }}
QFrame[state="conforming"] {{ border-left: 5px solid #2e8b57; }}
QFrame[state="to_confirm"] {{ border-left: 5px dashed #8e7cc3; }}
QFrame[current="true"] {{ border-top: 2px solid #2f6fb3; border-right: 2px solid #2f6fb3;
                          border-bottom: 2px solid #2f6fb3; }}
QFrame[state] QLabel {{ background: transparent; border: none; }}
QLabel#currentMarker {{ color: {FOCUS}; font-weight: bold; }}
QLabel#itemId {{ font-weight: bold; color: #33506e; }}
QLabel#question {{ font-size: {pt['question']}; color: #1f2d3d; }}
QLabel#help {{ color: #5b6b7b; }}
QLabel#sourceLabel {{ color: #66768a; font-size: {pt['small']}; }}
QLabel#requiredMarker {{ border-radius: 3px; padding: 0 5px; color: #5b6b7b;
                        border: 1px solid #c7d0da; }}
QLabel#requiredMarker[required="true"] {{ color: white; background: #c0392b; border: 1px solid #c0392b; }}
QLabel#stateBadge[kind="non_conforming"] {{ color: #9b1c1c; font-weight: bold; }}
QLabel#stateBadge[kind="needs_improvement"] {{ color: #7a5200; font-weight: bold; }}
QLabel#stateBadge[kind="unanswered"] {{ color: #4b3f72; }}
QLabel#stateBadge[kind="to_confirm"] {{ color: #4b3f72; font-weight: bold; }}
QLabel#stateBadge[kind="conforming"] {{ color: #2e7d4f; }}
QLabel#stateBadge[kind="to_confirm"] {{ color: #4b3f72; font-weight: bold; }}
QLabel#changeBadge {{ color: #1f3864; background: #e8eef7; border: 1px solid #8ea3c2; border-radius: 3px;
                     padding: 0 4px; font-weight: bold; }}
QLabel#changeBadge[state="removed"] {{ color: #9b1c1c; border-color: #c98b8b; background: #fbeeee; }}
QLabel#problems {{ color: #7a5200; }}
QLabel#problems[blocking="true"] {{ color: #9b1c1c; }}
QLabel#inputError {{ color: #9b1c1c; font-weight: bold; }}
QLabel#noteLabel {{ color: #4a5868; }}
QLabel#noteLabel[required="true"] {{ color: #9b1c1c; font-weight: bold; }}
QLabel#evidenceHint {{ color: #4a5868; }}
QLabel#evidenceHint[missing="true"] {{ color: #9b1c1c; }}
QLabel#evidenceHeading, QLabel#reviewHeading, QLabel#panelHeading {{ font-weight: bold;
                                                                     font-size: {pt['heading']}; }}
QLabel#dashboardHeading {{ font-weight: bold; }}
QLabel#evidenceEmpty, QLabel#hintLabel, QLabel[hint="true"] {{ color: #5b6b7b; }}
QFrame#dashboardSections {{ background: white; border-radius: 6px; }}

QPushButton, QToolButton {{ border: 1px solid {FIELD_BORDER}; border-radius: 4px; padding: 4px 12px;
                            background: #fbfcfd; color: #1f2d3d; }}
QPushButton:hover, QToolButton:hover {{ background: #eef3f8; }}
QPushButton:pressed, QToolButton:pressed, QPushButton:checked {{ background: #dce5ee; }}
QPushButton:default {{ border-color: #2f6fb3; }}
QPushButton:disabled, QToolButton:disabled {{ color: #7b8794; border-color: #c9d1da; background: #f3f5f7; }}
QPushButton:focus, QToolButton:focus {{ border: 2px solid {FOCUS}; padding: 3px 11px; }}
QPushButton[link="true"] {{ border: 2px solid transparent; background: transparent; text-align: left;
                            padding: 2px 4px; color: #1f4f86; }}
QPushButton[link="true"]:hover {{ text-decoration: underline; }}
QPushButton[link="true"]:focus {{ border: 2px solid {FOCUS}; }}

QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox, QComboBox {{
    border: 1px solid {FIELD_BORDER}; border-radius: 3px; background: white; color: #1f2d3d; }}
QLineEdit, QAbstractSpinBox, QComboBox {{ padding: 3px 5px; }}
QLineEdit:focus, QAbstractSpinBox:focus, QComboBox:focus {{ border: 2px solid {FOCUS}; padding: 2px 4px; }}
QPlainTextEdit:focus, QTextEdit:focus {{ border: 2px solid {FOCUS}; }}
QLineEdit:read-only, QPlainTextEdit[readOnly="true"] {{ background: #f6f8fa; }}
QLineEdit:disabled, QComboBox:disabled, QAbstractSpinBox:disabled {{ color: #6b7785; background: #f3f5f7;
                                                                     border-color: #c9d1da; }}
QComboBox QAbstractItemView {{ border: 1px solid {FIELD_BORDER}; selection-background-color: #2f6fb3;
                               selection-color: white; }}

QCheckBox, QRadioButton {{ border: 2px solid transparent; border-radius: 3px; padding: 1px 2px; }}
QCheckBox:focus, QRadioButton:focus {{ border: 2px solid {FOCUS}; }}

QAbstractItemView {{ border: 1px solid #b7c2ce; }}
QAbstractItemView:focus {{ border: 2px solid {FOCUS}; }}
QAbstractItemView::item:selected:active {{ background: #2f6fb3; color: white; }}
QAbstractItemView::item:selected:!active {{ background: #d5dde6; color: #1f2d3d; }}
QAbstractScrollArea#dashboard, QScrollArea[bare="true"] {{ border: none; }}
QProgressBar {{ border: 1px solid #b7c2ce; border-radius: 3px; background: #eef1f5; text-align: center;
                color: #1f2d3d; }}
QProgressBar::chunk {{ background: #2f6fb3; border-radius: 2px; }}

QGroupBox[bare="true"] {{ border: none; margin: 0; padding: 0; }}
ChoiceGroup {{ border: 2px solid transparent; border-radius: 7px; margin: 0; padding: 0; }}
ChoiceGroup:focus {{ border: 2px solid {FOCUS}; }}
ChoiceGroup QRadioButton {{ padding: 5px 12px 5px 8px; border: 1px solid #aab6c3; border-radius: 0;
                           background: #fbfcfd; margin: 0; color: #1f2d3d; }}
ChoiceGroup QRadioButton[segment="first"] {{ border-top-left-radius: 5px; border-bottom-left-radius: 5px; }}
ChoiceGroup QRadioButton[segment="last"] {{ border-top-right-radius: 5px; border-bottom-right-radius: 5px; }}
ChoiceGroup QRadioButton:hover {{ background: #eef3f8; }}
ChoiceGroup QRadioButton:checked {{ color: white; font-weight: bold; }}
QRadioButton[answer="yes"]:checked, QRadioButton[verdict="conforms"]:checked {{
    background: #237a4b; border-color: #237a4b; }}
QRadioButton[answer="partial"]:checked, QRadioButton[verdict="needs_check"]:checked {{
    background: #8f6100; border-color: #8f6100; }}
QRadioButton[answer="no"]:checked, QRadioButton[verdict="nonconforming"]:checked {{
    background: #b23427; border-color: #b23427; }}
QRadioButton[answer="na"]:checked, QRadioButton[verdict="not_applicable"]:checked {{
    background: #56636f; border-color: #56636f; }}
ChoiceGroup QRadioButton:disabled {{ color: #1f2d3d; }}
ChoiceGroup QRadioButton:disabled:checked {{ color: white; }}
QWidget#formBody QComboBox:disabled, QWidget#formBody QCheckBox:disabled {{ color: #1f2d3d; }}

QFrame#warningBox {{ background: #fff4d6; border: 1px solid #e0b84c; border-radius: 5px; }}
QLabel#lockTitle, QLabel#welcomeTitle {{ font-size: {pt['big_title']}; font-weight: bold; color: #1f2d3d; }}
QLabel#welcomeSubtitle {{ color: #4a5868; }}
QLabel#openHeading {{ font-weight: bold; font-size: {pt['banner']}; }}
QListWidget#recentList::item {{ padding: 7px 6px; border-bottom: 1px solid #e3e8ee; color: #1f2d3d; }}
QListWidget#recentList::item:selected:active {{ background: #2f6fb3; color: white; }}
QListWidget#recentList::item:selected:!active {{ background: #d5dde6; color: #1f2d3d; }}
QLabel#welcomeHint {{ color: #4a5868; }}
QLabel#dashboardHeadline {{ font-size: {pt['headline']}; font-weight: bold; }}
QLabel#submitState {{ font-weight: bold; }}
QLabel#readOnlyBadge {{ color: #33506e; border: 1px solid #9fb3c8; border-radius: 4px; padding: 2px 8px;
                       background: #eef3f8; }}
QFrame#verifyBanner {{ border-radius: 6px; }}
QFrame#readOnlyBanner {{ background: #fff4d6; border: 1px solid #d9a520; border-radius: 6px;
                        margin: 6px 8px 0 8px; }}
QFrame#readOnlyBanner QLabel {{ background: transparent; border: none; color: #4a3500; }}
QFrame#verifyBanner[ok="true"] {{ background: #e6f4ea; border: 1px solid #8cc7a0;
                                 border-left: 6px solid #2e8b57; }}
QFrame#verifyBanner[ok="false"] {{ background: #fdecea; border: 1px solid #e6a29c;
                                  border-left: 6px solid #c0392b; }}
QFrame#verifyBanner[ok="warn"] {{ background: #fff4e0; border: 1px solid #e0b36a;
                                 border-left: 6px solid #b26a00; }}
QFrame#verifyBanner QLabel {{ background: transparent; border: none; }}
QLabel#verifyTitle {{ font-size: {pt['banner']}; font-weight: bold; }}
QLabel#verifyTitle[ok="true"] {{ color: #1e6b43; }}
QLabel#verifyTitle[ok="false"] {{ color: #9b1c1c; }}
QLabel#verifyTitle[ok="warn"] {{ color: #7a4600; }}
""" + "".join(f'QLabel#submitState[tone="{name}"] {{ color: {text}; }}\n'
              for name, (_fill, text) in TONES.items())


def apply(app: QApplication) -> None:
    from . import accessibility

    accessibility.install()
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
    if font.pointSizeF() < MIN_POINT_SIZE:
        font.setPointSizeF(MIN_POINT_SIZE)
    app.setFont(font)
    app.setStyleSheet(style_sheet(font.pointSizeF()))
