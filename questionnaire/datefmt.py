"""How a date or a moment reads in the documents: one Japanese form everywhere.

The certifying body and the vendor are in Japan, so a timestamp is shown in Japan time
(JST, UTC+9, no daylight saving) whatever the machine's zone: 「2026年12月1日 14:03 JST」.
A date reads 「2026年12月1日」; the workbook gives real date cells the same look through
``EXCEL_DATE_FORMAT``. Machine-readable places (answers.json, the binding sheet,
``status --json``) keep ISO 8601.
"""

from __future__ import annotations

import datetime as dt

# Japan has had no daylight saving time since 1951: a fixed offset is exact, and needs no
# time-zone database (Windows has none unless the tzdata package is installed).
JST = dt.timezone(dt.timedelta(hours=9), "JST")

EXCEL_DATE_FORMAT = 'yyyy"年"m"月"d"日"'
EXCEL_DATETIME_FORMAT = 'yyyy"年"m"月"d"日" hh:mm "JST"'


def jp_date(day: dt.date) -> str:
    """「2026年12月1日」."""
    return f"{day.year}年{day.month}月{day.day}日"


def to_jst(moment: dt.datetime | str) -> dt.datetime | None:
    """A moment in Japan time, from a datetime or an ISO 8601 text ('Z' allowed).
    A naive value is taken as UTC (every timestamp the app writes is UTC). None when
    the text is not a timestamp."""
    if isinstance(moment, str):
        try:
            moment = dt.datetime.fromisoformat(moment.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(JST)


def jp_datetime(moment: dt.datetime | str) -> str:
    """「2026年12月1日 14:03 JST」; text that is not a timestamp is returned as it is."""
    local = to_jst(moment)
    if local is None:
        return str(moment)
    return f"{jp_date(local.date())} {local:%H:%M} JST"


def excel_datetime(moment: dt.datetime | str) -> dt.datetime | None:
    """A naive Japan-time datetime for a workbook cell (Excel has no time zones)."""
    local = to_jst(moment)
    return local.replace(tzinfo=None) if local is not None else None


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
