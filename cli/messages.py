"""What the CLI prints in the chosen language (``--lang``, default from the locale).

The core's typed errors carry facts and an English ``str()``; questionnaire/error_text.py
words them in Japanese from those facts (for the desktop's details too). The CLI's own usage
errors are raised as ``CliError`` with both wordings.
"""

from __future__ import annotations

from questionnaire.error_text import localized
from questionnaire.errors import AttestError
from questionnaire.text import Text, counted


class CliError(AttestError):
    """A CLI error worded in both languages; ``str()`` is the English."""

    def __init__(self, en: str, ja: str) -> None:
        self.text = Text(ja, en)
        super().__init__(en)


def say(lg: str, ja: str, en: str) -> str:
    return en if lg == "en" else ja


def count(lg: str, n: int, ja_unit: str, en_singular: str, en_plural: str | None = None) -> str:
    """ "証跡 2 件" / "2 evidence files" (``ja_unit`` is the noun before the number)."""
    if lg == "en":
        return counted(n, en_singular, en_plural)
    return f"{ja_unit} {n} 件" if ja_unit else f"{n} 件"


def error_message(exc: BaseException, lg: str) -> str:
    """The one line after "ccus-attest: error:" in the chosen language."""
    return localized(exc, lg)
