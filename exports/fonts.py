"""A Japanese font for the PDF report, embedded so the report reads the same everywhere.

reportlab embeds (subsets) TrueType-outline fonts only; OpenType fonts with CFF
outlines (Noto Sans CJK, Source Han, some Hiragino files) are refused by it and
skipped here, as are fonts whose licence forbids embedding. Only when no usable
font exists does the report fall back to reportlab's built-in Japanese CID font
HeiseiKakuGo-W5, which is *not* embedded (the reader's viewer supplies the glyphs).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics

from .shipped import bundled_font

FONT_ENV = "CCUS_ATTEST_PDF_FONT"   # "path" or "path#index" (for a .ttc collection)
CID_FALLBACK = "HeiseiKakuGo-W5"
PROBE = "個人情報確認あア。１"           # kanji, kana, full-width punctuation and digits
_lock = threading.Lock()
_chosen: PdfFont | None = None


@dataclass(frozen=True, slots=True)
class PdfFont:
    name: str              # as registered with reportlab
    path: str | None       # None for the CID fallback
    subfont: int = 0
    embedded: bool = True


def _linux_candidates() -> list[tuple[str, int]]:
    fixed = [
        "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
        "/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf",
        "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
        "/usr/share/fonts/opentype/ipafont-gothic/ipagp.ttf",
        "/usr/share/fonts/truetype/takao-gothic/TakaoPGothic.ttf",
        "/usr/share/fonts/truetype/vlgothic/VL-PGothic-Regular.ttf",
    ]
    return [(p, 0) for p in fixed] + _fontconfig()


def _fontconfig() -> list[tuple[str, int]]:
    """Japanese fonts fontconfig knows, Gothic (sans) first, as `fc-match`/`fc-list` report them."""
    found: list[tuple[str, int]] = []
    for argv in (["fc-match", "-f", "%{file}\t%{index}\n", "sans-serif:lang=ja"],
                 ["fc-list", "-f", "%{file}\t%{index}\n", ":lang=ja"]):
        exe = shutil.which(argv[0])
        if exe is None:
            continue
        try:
            proc = subprocess.run([exe, *argv[1:]], capture_output=True, text=True, timeout=10, check=False)
        except (OSError, subprocess.SubprocessError):
            continue
        lines = proc.stdout.splitlines()
        lines.sort(key=lambda line: not re.search(r"goth|sans|kaku", line, re.IGNORECASE))
        for line in lines:
            path, _, index = line.partition("\t")
            if path:
                found.append((path, int(index) if index.isdigit() else 0))
    return found


def _mac_candidates() -> list[tuple[str, int]]:
    home = Path.home()
    return [
        ("/System/Library/Fonts/ヒラギノ角ゴシック W3.ttc", 0),
        ("/System/Library/Fonts/ヒラギノ角ゴシック W4.ttc", 0),
        ("/System/Library/Fonts/Hiragino Sans GB.ttc", 0),
        ("/System/Library/Fonts/ヒラギノ丸ゴ ProN W4.ttc", 0),
        ("/System/Library/Fonts/Supplemental/Arial Unicode.ttf", 0),
        ("/Library/Fonts/Arial Unicode.ttf", 0),
        (str(home / "Library/Fonts/ipaexg.ttf"), 0),
        ("/Library/Fonts/ipaexg.ttf", 0),
    ]


def _windows_candidates() -> list[tuple[str, int]]:
    fonts = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    local = Path(os.environ.get("LOCALAPPDATA", "")) / "Microsoft/Windows/Fonts"
    return [
        (str(fonts / "YuGothM.ttc"), 0),    # 游ゴシック Medium
        (str(fonts / "YuGothR.ttc"), 0),
        (str(fonts / "meiryo.ttc"), 0),     # メイリオ
        (str(fonts / "msgothic.ttc"), 0),   # ＭＳ ゴシック
        (str(fonts / "BIZ-UDGothicR.ttc"), 0),
        (str(local / "ipaexg.ttf"), 0),
    ]


def candidates() -> list[tuple[str, int]]:
    """Font files to try, best first: the user's choice, the font a self-contained build
    ships, then the platform's usual places."""
    out: list[tuple[str, int]] = []
    chosen = os.environ.get(FONT_ENV, "").strip()
    if chosen:
        path, _, index = chosen.rpartition("#") if "#" in chosen else (chosen, "", "0")
        out.append((path, int(index) if index.isdigit() else 0))
    # A self-contained build carries IPAex Gothic: the same font on every machine, before
    # whatever the system happens to have.
    shipped = bundled_font()
    if shipped is not None:
        out.append((str(shipped), 0))
    if sys.platform == "darwin":
        out += _mac_candidates()
    elif os.name == "nt":
        out += _windows_candidates()
    else:
        out += _linux_candidates()
    return out


def _try_load(path: str, index: int) -> PdfFont | None:
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    if not Path(path).is_file():
        return None
    name = "AttestJP-" + re.sub(r"[^A-Za-z0-9]", "", Path(path).stem)[:20] + f"-{index}"
    try:
        font = TTFont(name, path, subfontIndex=index)
    except (TTFError, OSError, ValueError, KeyError, IndexError, AssertionError):
        return None  # CFF outlines, embedding not allowed, damaged file, bad index...
    cmap = font.face.charToGlyph
    if any(ord(c) not in cmap for c in PROBE):
        return None  # not a Japanese font
    pdfmetrics.registerFont(font)
    return PdfFont(name, path, index, embedded=True)


def select_font(paths: Iterable[tuple[str, int]]) -> PdfFont:
    """The first usable font of ``paths``, else the (not embedded) CID fallback."""
    seen = set()
    for path, index in paths:
        if (path, index) in seen:
            continue
        seen.add((path, index))
        font = _try_load(path, index)
        if font is not None:
            return font
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    return PdfFont(CID_FALLBACK, None, 0, embedded=False)


def report_font() -> PdfFont:
    """The font of this process's reports, looked up once."""
    global _chosen
    with _lock:
        if _chosen is None:
            _chosen = select_font(candidates())
        return _chosen


def forget_font() -> None:
    """Look the font up again next time (after the environment changed)."""
    global _chosen
    with _lock:
        _chosen = None
