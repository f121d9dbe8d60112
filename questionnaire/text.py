"""Bilingual text: Japanese first, English second."""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("ja", "en")


@dataclass(frozen=True, slots=True)
class Text:
    ja: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.ja

    def __str__(self) -> str:
        return self.ja

    def as_dict(self) -> dict[str, str]:
        return {"ja": self.ja, "en": self.en}


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """An English count with its noun in the right number: "1 evidence file", "2 evidence files".

    Japanese needs no such thing ("証跡 1 件", "証跡 2 件"); renderers word Japanese counts themselves.
    """
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"
