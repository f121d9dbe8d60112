"""The colours of the outcome tones, shared by the workbook and the PDF (hex, no '#').

Excel's own good / neutral / bad cell styles, plus a lavender for "not yet answered"
(a blocking to-do, which must not look like a failed rule) and grey for what does not
count. Green is used for conforming and nothing else; the label is always printed too.
"""

from questionnaire.completeness import Tone

TONE_HEX: dict[Tone, tuple[str, str]] = {  # (fill, text)
    Tone.GOOD: ("C6EFCE", "006100"),
    Tone.WARN: ("FFEB9C", "9C5700"),
    Tone.BAD: ("FFC7CE", "9C0006"),
    Tone.TODO: ("E4DFEC", "3F3151"),
    Tone.NEUTRAL: ("EDEDED", "595959"),
}
