"""English renderings of the free-text ``source`` citations of v1 templates (1.0.0), for the
English UI. A v1.1 template's ``basis`` is structured and rendered in both languages by
``questionnaire.basis``; this module is what ``basis_text`` falls back to for v1.

Why not a second field in the v1 template: a citation is a reference into Japanese documents
(the certification contract, the APPI, JIS Q 15001) written in their own notation
(「契約書 第2条1項②」); the English reader needs the same reference spelled the way English
legal texts spell it ("Contract Art. 2(1)②"), which follows from the notation. Keeping one
source of truth avoids two citations drifting apart.

A citation containing anything this module does not know is returned unchanged: a half-
translated reference would be worse than the original.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Phrases first (longest first, so 個人情報保護法施行規則 wins over 個人情報保護法).
_PHRASES: dict[str, str] = {
    "個人情報保護法施行規則": "APPI Enforcement Rules",
    "個人情報保護法": "APPI",
    "通則ガイドライン": "General Guidelines",
    "契約書": "Contract",
    "CCUS 認定基準（公開資料）：CCUS ID 及び IC カードで連携できること":
        "CCUS certification criteria (published): linking by CCUS ID and IC card",
    "CCUS 閲覧範囲（公開資料）": "CCUS viewing scope (published)",
    "IPA「5分でできる！情報セキュリティ自社診断」": 'IPA "Five-Minute Information Security Self-Assessment"',
    "（2022年4月施行で義務化）": " (mandatory since April 2022)",
    "（外的環境の把握）": " (understanding the external environment)",
    "（個人識別符号）": " (individual identification codes)",
    "（維持審査）": " (surveillance audits)",
    "（マネジメントレビュー）": " (management review)",
    "（リスクアセスメント及びリスク対策）": " (risk assessment and treatment)",
    "（個人情報の特定）": " (identification of personal information)",
    "（個人情報保護方針）": " (personal information protection policy)",
    "（個人情報保護管理者）": " (personal information protection manager)",
    "（内部監査）": " (internal audit)",
    "（教育）": " (training)",
    "（苦情及び相談への対応）": " (handling complaints and enquiries)",
    "附属書A": "Annex A",
    "ただし書": " proviso",
}
_PHRASE_RE = re.compile("|".join(re.escape(p) for p in sorted(_PHRASES, key=len, reverse=True)))

_FORMERLY = re.compile(r"（旧第(\d+)条(?:〜第(\d+)条)?）")
_ARTICLE = re.compile(r"第(\d+)条(?:(\d+)項)?")
_CLAUSE = re.compile(r"箇条\s*")
_ENUM = {"ア": "(a)", "イ": "(b)", "ウ": "(c)", "エ": "(d)"}
_ENUM_RE = re.compile(r"(?<=\))([アイウエ])")
_PUNCT = str.maketrans({"、": ", ", "・": ", ", "〜": "–", "；": "; ", "：": ": ",
                        "（": " (", "）": ")", "「": '"', "」": '"'})
# Anything Japanese left over means a citation this module does not know.
_JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")


def _formerly(m: re.Match[str]) -> str:
    first, last = m.group(1), m.group(2)
    return f" (formerly Art. {first}–{last})" if last else f" (formerly Art. {first})"


def _article(m: re.Match[str]) -> str:
    return f"Art. {m.group(1)}" + (f"({m.group(2)})" if m.group(2) else "")


@lru_cache(maxsize=1024)
def citation_en(source: str) -> str:
    """``source`` as an English reader would cite it; unchanged when not fully understood."""
    text = _FORMERLY.sub(_formerly, source)
    text = _PHRASE_RE.sub(lambda m: _PHRASES[m.group(0)], text)
    text = _ARTICLE.sub(_article, text)
    text = text.replace("〜Art. ", "–")  # 第32条〜第35条: Art. 32–35
    text = _CLAUSE.sub("Clause ", text)
    text = _ENUM_RE.sub(lambda m: _ENUM[m.group(1)], text)
    text = text.translate(_PUNCT)
    text = re.sub(r"\s+", " ", text).replace(" )", ")").replace("( ", "(").strip()
    if _JAPANESE.search(text):
        return source
    return text


def citation(source: str, lang: str) -> str:
    """The citation in the UI language ('ja' keeps the template's own text)."""
    return citation_en(source) if lang == "en" else source
