"""The workspace's deadlines as an iCalendar file (RFC 5545) that Outlook and Google Calendar import.

One all-day event per deadline (questionnaire/deadlines.py), each with a reminder (VALARM)
as many days ahead as the deadline asks. The UID is made of the deadline's key and the
workspace chain's lineage (storage/origin.py) — no date in it — so importing a newer export,
from this year's workspace or next year's, updates an event instead of adding a second;
SEQUENCE grows with every export so calendars that compare it take the newer one.

Written with the ``icalendar`` library: line folding, escaping and the date forms are the
format's, not ours.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import icalendar

from questionnaire.deadlines import KIND_LABELS, Deadline

from .output import Output, output_stream

PRODID = "-//CCUS Attest//Deadlines//JA"
UID_DOMAIN = "ccus-attest"
_SEQUENCE_EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def event_uid(deadline: Deadline, lineage: str) -> str:
    return f"{deadline.key}.{lineage}@{UID_DOMAIN}"


def _sequence(now: dt.datetime) -> int:
    """Minutes since 2024: a later export always carries a higher SEQUENCE."""
    return max(0, int((now - _SEQUENCE_EPOCH).total_seconds() // 60))


def build_calendar(deadlines: Iterable[Deadline], *, lineage: str, vendor: str = "", lang: str = "ja",
                   now: dt.datetime | None = None) -> icalendar.Calendar:
    now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = "CCUS Attest" + (f" — {vendor}" if vendor else "")
    cal.add("x-wr-calname", name)
    for d in deadlines:
        summary = f"[CCUS] {d.title.get(lang)}"
        lines = [KIND_LABELS[d.kind].get(lang), d.basis.get(lang)]
        if d.detail.get(lang):
            lines.append(d.detail.get(lang))
        if d.item_id:
            lines.append(("設問: " if lang == "ja" else "Item: ") + d.item_id)
        if vendor:
            lines.append(vendor)
        event = icalendar.Event()
        event.add("uid", event_uid(d, lineage))
        event.add("dtstamp", now)
        event.add("sequence", _sequence(now))
        event.add("summary", summary)
        event.add("description", "\n".join(lines))
        event.add("dtstart", d.due)                     # a DATE: an all-day event
        event.add("dtend", d.due + dt.timedelta(days=1))
        event.add("categories", ["CCUS"])
        event.add("transp", "TRANSPARENT")              # a deadline does not make anyone busy
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", dt.timedelta(days=-d.remind_days))
        event.add_component(alarm)
        cal.add_component(event)
    return cal


@dataclass(frozen=True)
class CalendarResult:
    path: Path | None
    events: int


def write_calendar(deadlines: list[Deadline], out: Output, *, lineage: str, vendor: str = "",
                   lang: str = "ja", now: dt.datetime | None = None) -> CalendarResult:
    cal = build_calendar(deadlines, lineage=lineage, vendor=vendor, lang=lang, now=now)
    with output_stream(out) as fh:
        fh.write(cal.to_ical())
    return CalendarResult(None if hasattr(out, "write") else Path(out), len(deadlines))
