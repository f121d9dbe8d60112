"""What can be checked in a bundle's activity log beyond its hash chain.

The chain uses no key: a vendor can rebuild it from scratch, with any entries and any dates.
So the log is the vendor's own record, not a notarised one, and its chain proves only that
it was not edited *after* it was chained. What can still be checked, and is:

* ``activity-events`` — only the event types the app writes (``KNOWN_ACTIONS``), each with
  the fields the app gives it; the log starts with ``workspace.created`` naming the
  template the bundle names, and is not empty.
* ``activity-times`` — every timestamp is an app timestamp (UTC), they do not go backwards
  (beyond ``CLOCK_STEP``, a clock corrected by NTP), none is before the workspace's
  creation (the first entry) or after the export.
* ``activity-replay`` — replaying the log gives exactly answers.json and the evidence list:
  every answer and evidence file the bundle holds was put there by a logged event, nothing
  the log says was cleared or removed is still present, the last vendor-name change names
  the bundle's vendor.

What the log does not prove: *when* things really happened (the vendor's clock, and the
vendor writes the log), *who* did them, or that nothing happened that the log leaves out and
the bundle does not show. docs/bundle-format.md says so too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from questionnaire.submission import Submission
from questionnaire.template import Template

# Every action the app logs (storage/workspace.py, storage/restore.py, storage/reviews.py,
# exports/bundle_export.py, exports/export_log.py); tests/test_bundle_judgement.py finds
# every action written in the code and fails when one is missing here.
STATE_ACTIONS = frozenset({"workspace.created", "profile.vendor", "answer.set", "answer.cleared",
                           "evidence.added", "evidence.updated", "evidence.removed",
                           # the yearly cycle (storage/cycle.py, storage/workspace.py)
                           "evidence.replaced", "answer.confirmed", "answer.unconfirmed",
                           "profile.period", "profile.contract_date"})
RECORD_ACTIONS = frozenset({"passphrase.changed", "bundle.exported", "checklist.exported",
                            "report.exported", "review.imported", "workspace.restored",
                            "cycle.carried_forward", "calendar.exported",
                            # corrective actions (storage/actions.py)
                            "action.created", "action.updated"})
KNOWN_ACTIONS = STATE_ACTIONS | RECORD_ACTIONS
# A log entry the vendor app writes is a few KiB at most (an 8,000-character note escaped
# as JSON is under 50 KiB); a longer line is not the app's.
MAX_LINE_BYTES = 256 * 1024
# Clocks are corrected (NTP) by seconds, rarely by minutes: a step back up to this is not
# a forged date. A log can never be rewritten by the vendor app, so a strict rule would make
# one clock correction fail every later bundle of the workspace.
CLOCK_STEP = dt.timedelta(minutes=5)
MAX_NAMED = 3


@dataclass
class LogFindings:
    events: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)
    replay: list[str] = field(default_factory=list)
    first_at: dt.datetime | None = None
    last_at: dt.datetime | None = None
    counts: dict[str, int] = field(default_factory=dict)


def _malformed(e: Any) -> str | None:
    """Why ``e`` does not have the shape of an app log entry (the chain check names it too)."""
    if not isinstance(e, dict):
        return "not a JSON object"
    if not isinstance(e.get("action"), str):
        return "its action is not text"
    if not isinstance(e.get("item"), str | None) or not isinstance(e.get("detail"), dict | None):
        return "its item or detail has the wrong type"
    return None


def parse_app_time(value: Any) -> dt.datetime | None:
    """An app timestamp ("2026-04-01T09:00:00.000Z"): aware, UTC; None otherwise."""
    if not isinstance(value, str) or not 20 <= len(value) <= 40 or not value.endswith("Z"):
        return None
    try:
        when = dt.datetime.fromisoformat(value[:-1] + "+00:00")
    except ValueError:
        return None
    return when if when.utcoffset() == dt.timedelta(0) else None


def check_log(entries: list[dict[str, Any]], *, template: Template | None, sub: Submission | None,
              exported_at: dt.datetime | None, tick=lambda: None) -> LogFindings:
    """``entries``: the log's JSON objects in file order. ``template``: the template the bundle
    is judged against; ``sub``: answers.json read against it (None when unusable)."""
    f = LogFindings()
    malformed = next((n for n, e in enumerate(entries, 1) if _malformed(e) is not None), None)
    if malformed is not None:
        # The chain check names it; the checks below need entries of the app's shape.
        why = f"entry {malformed} is not an activity-log entry ({_malformed(entries[malformed - 1])})"
        f.events.append(why)
        f.times.append(f"not checked: {why}")
        f.replay.append(f"not checked: {why}")
        return f
    _events(entries, template, f, tick)
    _times(entries, exported_at, f, tick)
    if sub is None:
        f.replay.append("answers.json could not be read, so the log cannot be compared with it")
    else:
        _replay(entries, sub, f, tick)
    return f


def _events(entries, template: Template | None, f: LogFindings, tick) -> None:
    if not entries:
        f.events.append("the log is empty; every workspace's log starts with workspace.created")
        return
    unknown: list[str] = []
    for n, e in enumerate(entries, 1):
        if n % 4096 == 0:
            tick()
        action = e["action"]
        f.counts[action] = f.counts.get(action, 0) + 1
        where = f"entry {e.get('seq', n)}"
        if action not in KNOWN_ACTIONS:
            unknown.append(f"{where}: {str(action)[:60]!r}")
            continue
        item = e.get("item")
        if action.startswith(("answer.", "evidence.", "action.")):
            if not isinstance(item, str) or (template is not None and not template.has_item(item)):
                f.events.append(f"{where}: {action} for {str(item)[:40]!r}, not an item of the template")
        elif item is not None:
            f.events.append(f"{where}: {action} names an item")
        if action.startswith("evidence.") and not isinstance((e.get("detail") or {}).get("evidence"), str):
            f.events.append(f"{where}: {action} names no evidence")
        if action == "workspace.created" and n != 1:
            f.events.append(f"{where}: a second workspace.created")
    if unknown:
        more = f" (and {len(unknown) - MAX_NAMED} more)" if len(unknown) > MAX_NAMED else ""
        f.events.insert(0, ("an unknown event type" if len(unknown) == 1 else "unknown event types")
                           + " the app never writes: "
                           f"{'; '.join(unknown[:MAX_NAMED])}{more}")
    first = entries[0]
    if first.get("action") != "workspace.created":
        f.events.append(f"entry 1 is {str(first.get('action'))[:60]!r}, not workspace.created")
    elif template is not None:
        named = (first.get("detail") or {}).get("template")
        if named != f"{template.id} {template.version}":
            f.events.append(f"the workspace was created for template {str(named)[:60]!r}, not "
                            f"{template.id} {template.version}")


def _times(entries, exported_at: dt.datetime | None, f: LogFindings, tick) -> None:
    bad_format: list[str] = []
    early: list[str] = []
    late: list[str] = []
    backwards: list[str] = []
    previous: dt.datetime | None = None
    for n, e in enumerate(entries, 1):
        if n % 4096 == 0:
            tick()
        when = parse_app_time(e.get("at"))
        where = f"entry {e.get('seq', n)}"
        if when is None:
            bad_format.append(where)
            continue
        if f.first_at is None:
            f.first_at = when
        elif when < f.first_at:
            early.append(f"{where} ({_utc(when)})")
        if previous is not None and when < previous - CLOCK_STEP:
            backwards.append(f"{where} ({_utc(when)} after {_utc(previous)})")
        if exported_at is not None and when > exported_at + CLOCK_STEP:
            late.append(f"{where} ({_utc(when)})")
        previous = when if previous is None else max(previous, when)
        f.last_at = previous
    created = _utc(f.first_at) if f.first_at else "?"
    for found, what in ((bad_format, "without an app timestamp"),
                        (early, f"dated before the workspace was created ({created})"),
                        (late, f"dated after the export ({_utc(exported_at) if exported_at else '?'})"),
                        (backwards, "where the timestamps go backwards")):
        if found:
            f.times.append(f"{len(found)} entr{'y' if len(found) == 1 else 'ies'} {what}: "
                           f"{'; '.join(found[:2])}{' …' if len(found) > 2 else ''}")


def _utc(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S UTC")


def _replay(entries, sub: Submission, f: LogFindings, tick) -> None:
    answers: dict[str, tuple[Any, Any, Any]] = {}
    evidence: dict[str, dict[str, Any]] = {}
    carried: dict[str, bool] = {}  # item -> confirmed, for answers carried from last year
    vendor: tuple[Any, Any] | None = None
    for n, e in enumerate(entries, 1):
        if n % 4096 == 0:
            tick()
        action, item, d, seq = e.get("action"), e.get("item"), e.get("detail") or {}, e.get("seq", n)
        if not isinstance(d, dict):
            continue
        if action == "answer.set":
            answers[item] = (d.get("value"), d.get("note"), seq)
            if d.get("carried") is True:
                carried[item] = False
            elif item in carried:  # changing a carried answer confirms it
                carried[item] = True
        elif action == "answer.cleared":
            answers.pop(item, None)
            if item in carried:
                carried[item] = True
        elif action in ("answer.confirmed", "answer.unconfirmed") and item in carried:
            carried[item] = action == "answer.confirmed"
        elif action.startswith("evidence.") and not isinstance(d.get("evidence"), str):
            continue  # named by activity-events
        elif action == "evidence.added":
            evidence[d["evidence"]] = {"item_id": item, "filename": d.get("filename"), "size": d.get("size"),
                                           "sha256": d.get("sha256"), "kind": d.get("kind"), "seq": seq}
        elif action == "evidence.updated" and d.get("evidence") in evidence:
            record = evidence[d["evidence"]]
            record.update(kind=d.get("kind"), seq=seq)
            if "expires" in d:
                record["expires"] = d.get("expires")
        elif action == "evidence.replaced" and d.get("evidence") in evidence:
            evidence[d["evidence"]].update(filename=d.get("filename"), size=d.get("size"),
                                           sha256=d.get("sha256"), kind=d.get("kind"),
                                           expires=d.get("expires"), seq=seq)
        elif action == "evidence.removed":
            evidence.pop(d["evidence"], None)
        elif action == "profile.vendor":
            vendor = (d.get("vendor"), seq)
    problems: list[str] = []
    for item_id, answer in sub.answers.items():
        logged = answers.get(item_id)
        if logged is None:
            problems.append(f"answer {item_id} is in answers.json, but the log never set it (or cleared it)")
        elif (answer.value, answer.note) != logged[:2]:
            problems.append(f"answer {item_id} differs from what log entry {logged[2]} set")
    for item_id, logged in answers.items():
        if item_id not in sub.answers:
            problems.append(f"log entry {logged[2]} set answer {item_id}, which answers.json lacks")
    for item_id in sub.answers:
        mark = sub.carried.get(item_id)
        said = None if mark is None else mark.confirmed
        if said != carried.get(item_id):
            what = {None: "not carried over", True: "carried over and confirmed",
                    False: "carried over and not confirmed"}
            problems.append(f"answer {item_id} is {what[said]} in answers.json, but "
                            f"{what[carried.get(item_id)]} by the log")
    held = {info.id: info for info in sub.evidence}
    for ev_id, info in held.items():
        logged = evidence.get(ev_id)
        if logged is None:
            problems.append(f"evidence {info.filename[:60]!r} ({info.item_id}) is in the bundle, but the log "
                            "never added it (or removed it)")
            continue
        got = {"item_id": info.item_id, "filename": info.filename, "size": info.size, "sha256": info.sha256,
               "kind": info.kind}
        if "expires" in logged:
            got["expires"] = info.expires.isoformat() if info.expires else None
        fields = [k for k in got if got[k] != logged.get(k)]
        if fields:
            problems.append(f"evidence {info.filename[:60]!r} ({info.item_id}): {', '.join(fields)} "
                            f"differ from log entry {logged['seq']}")
    for ev_id, logged in evidence.items():
        if ev_id not in held:
            problems.append(f"log entry {logged['seq']} added evidence {str(logged['filename'])[:60]!r}, "
                            "which the bundle lacks (no entry removed it)")
    if vendor is not None and vendor[0] != sub.vendor:
        problems.append(f"the vendor name differs from what log entry {vendor[1]} set")
    if problems:
        more = f" (and {len(problems) - MAX_NAMED} more)" if len(problems) > MAX_NAMED else ""
        f.replay.append("; ".join(problems[:MAX_NAMED]) + more)
