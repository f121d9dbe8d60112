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
