"""Files that the self-contained build ships beside the code (packaging/ccus-attest.spec).

A PyInstaller build unpacks its data into one folder (``sys._MEIPASS``); there it carries
the IPAex Gothic font (with its licence), so the PDF report embeds the same Japanese font
on every machine, Python or not. Run from Python (a checkout, a wheel), there is no such
folder and the report uses the fonts the system has (exports/fonts.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

FONT_FOLDER = "fonts"
FONT_FILE = "ipaexg.ttf"


def app_folder() -> Path | None:
    """The frozen app's data folder, or None when running from Python."""
    base = getattr(sys, "_MEIPASS", None)
    return Path(base) if base else None


def bundled_font() -> Path | None:
    """The IPAex Gothic font shipped with a self-contained build, if this is one."""
    folder = app_folder()
    if folder is None:
        return None
    font = folder / FONT_FOLDER / FONT_FILE
    return font if font.is_file() else None
