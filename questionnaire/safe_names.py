"""Names that display as what they are: the rules for vendor names, evidence names and file names.

A name travels from the vendor to the auditor and is *shown*: in file lists, the evidence
sheet, a window title. Unicode can make a name display as something else —
``ISMS-certificate-\\u202efdp.exe`` shows as "ISMS-certificate-exe.pdf" — or hide parts
of it (zero-width characters), and Windows gives some names a meaning of their own
(``CON``, ``NUL``, ``COM1``…, a trailing dot or space is dropped). Such names are refused,
on export and on verify, each time with the rule that was broken:

=========================== ================================================================
rule                        what
=========================== ================================================================
``bidi-control``            U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C
``format-character``        any other format character (Unicode Cf: zero-width space/joiners,
                            byte order mark, soft hyphen, tag characters…)
``control-character``       C0/C1 controls (Unicode Cc), tab and newline included
``line-separator``          U+2028, U+2029 (Zl, Zp)
``private-use``             private-use code points (Co): they display differently per font
``surrogate``               lone surrogates (not text)
``noncharacter``            U+FDD0–U+FDEF and U+xFFFE/U+xFFFF
``windows-reserved-name``   a file name whose stem is a Windows device (CON, PRN, AUX, NUL,
                            COM0–9, LPT0–9, COM¹²³, LPT¹²³, CONIN$, CONOUT$)
``windows-trailing-dot``    a file name ending in a dot or a space (Windows drops them)
``windows-reserved-char``   one of ``< > : " | ? *`` in a file name
=========================== ================================================================

Variation selectors (異体字 IVS), combining marks and every ordinary letter stay allowed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

BIDI_CONTROLS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f", "\u061c"])
WINDOWS_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                             *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10)),
                             "COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"})
WINDOWS_CHARS = frozenset('<>:"|?*')


@dataclass(frozen=True, slots=True)
class NameProblem:
    rule: str       # stable, see the table above
    detail: str     # e.g. "U+202E RIGHT-TO-LEFT OVERRIDE at position 17"

    def __str__(self) -> str:
        return f"{self.detail} (rule: {self.rule})"


def _char_rule(c: str) -> str | None:
    if c in BIDI_CONTROLS:
        return "bidi-control"
    cat = unicodedata.category(c)
    if cat == "Cf":
        return "format-character"
    if cat == "Cc":
        return "control-character"
    if cat in ("Zl", "Zp"):
        return "line-separator"
    if cat == "Co":
        return "private-use"
    if cat == "Cs":
        return "surrogate"
    cp = ord(c)
    if 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE:
        return "noncharacter"
    return None


def _char_name(c: str) -> str:
    return f"U+{ord(c):04X}" + (f" {unicodedata.name(c, '')}" if unicodedata.name(c, "") else "")


def text_problem(text: str) -> NameProblem | None:
    """The first character that makes ``text`` (a one-line name) display as something else."""
    if text.isprintable():
        # str.isprintable is False for every character of the categories above (Cc, Cf, Cs,
        # Co, Cn, Zl, Zp) and for the spaces Zs other than U+0020: one C-level pass.
        return None
    for i, c in enumerate(text):
        if c.isascii() and c.isprintable():
            continue  # the common case, cheaply
        rule = _char_rule(c)
        if rule is not None:
            return NameProblem(rule, f"{_char_name(c)} at position {i + 1}")
    return None


def file_name_problem(name: str) -> NameProblem | None:
    """``text_problem`` plus the Windows rules, for one file-name component."""
    problem = text_problem(name)
    if problem is not None:
        return problem
    bad = None if WINDOWS_CHARS.isdisjoint(name) else next(c for c in name if c in WINDOWS_CHARS)
    if bad is not None:
        return NameProblem("windows-reserved-char", f"{bad!r} cannot be in a file name on Windows")
    if name and name[-1] in ". ":
        return NameProblem("windows-trailing-dot", "ends with a dot or a space, which Windows drops")
    if name.split(".")[0].rstrip(" ").upper() in WINDOWS_DEVICES:
        return NameProblem("windows-reserved-name", f"{name.split('.')[0]!r} is a Windows device name")
    return None


def shown(text: str, limit: int = 120) -> str:
    """``text`` made safe to print: every character a rule above refuses is written as an
    escape (``\\u202e``), so a terminal or a dialog shows the name as it really is."""
    out = []
    for c in text[:limit]:
        if not (c.isascii() and c.isprintable()) and _char_rule(c) is not None:
            out.append(f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}")
        else:
            out.append(c)
    return "".join(out) + ("…" if len(text) > limit else "")
