"""Languages of the UI.

Source strings in the code are Japanese, the product's first language: a string that
somehow misses its translation still reads correctly for the main audience. English comes
from ``ccus_attest_en.ts`` (Qt Linguist), compiled to the committed ``ccus_attest_en.qm``
by ``scripts/update_translations.py``; a test checks the .qm is current and complete.
Qt's own strings (standard buttons, context menus) come from the ``qtbase_*.qm`` files
that PySide6 ships.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

HERE = Path(__file__).resolve().parent
CATALOG = "ccus_attest"
LANGUAGES = ("ja", "en")
NAMES = {"ja": "日本語", "en": "English"}

_current = "ja"
_installed: list[QTranslator] = []


def system_language() -> str:
    """The system locale's language if we have it, else Japanese (the product's first)."""
    system = QLocale.system()
    if system.language() == QLocale.Language.C:  # no locale configured (e.g. a bare POSIX shell)
        return "ja"
    for name in system.uiLanguages():
        code = name.split("-")[0].split("_")[0].lower()
        if code in LANGUAGES:
            return code
    return "ja"


def current() -> str:
    """'ja' or 'en': also picks the template texts (``Text.get(current())``)."""
    return _current


def install(lang: str) -> str:
    """Switch the application's translators; returns the language now in use."""
    global _current
    lang = lang if lang in LANGUAGES else "ja"
    app = QCoreApplication.instance()
    for tr in _installed:
        app.removeTranslator(tr)
    _installed.clear()
    # Qt's own strings (standard buttons, wizard and file dialogs). qtbase_xx is loaded by name:
    # the qt_xx meta-catalogue fails to load as a whole when PySide6 ships only some modules.
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in (f"qtbase_{lang}", f"qt_{lang}"):
        qt = QTranslator(app)
        if qt.load(name, qt_dir):
            app.installTranslator(qt)
            _installed.append(qt)
            break
    # ... and what that catalogue lacks (installed later, so it is asked first)
    extra = HERE / f"qt_extra_{lang}.qm"
    if extra.is_file():
        qt = QTranslator(app)
        if qt.load(str(extra)):
            app.installTranslator(qt)
            _installed.append(qt)
    if lang != "ja":  # Japanese is the source language: nothing to load
        ours = QTranslator(app)
        if not ours.load(str(HERE / f"{CATALOG}_{lang}.qm")):
            raise FileNotFoundError(HERE / f"{CATALOG}_{lang}.qm")
        app.installTranslator(ours)
        _installed.append(ours)
    _current = lang
    QLocale.setDefault(QLocale("ja_JP" if lang == "ja" else "en_US"))
    return lang


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """Translate a UI string outside a QObject (lupdate files these under the empty context).

    A count goes in ``n`` with ``%n`` in the text (``tr("証跡 %n 件", "", n)``): the catalogue
    then holds the English singular and plural ("1 evidence file", "2 evidence files").
    """
    return QCoreApplication.translate("", text, disambiguation, n)
