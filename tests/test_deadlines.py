"""The dates that matter (questionnaire/deadlines.py) and their calendar (exports/calendar.py),
read back with the icalendar library."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from questionnaire import Answer, EvidenceInfo, default_template
from questionnaire.deadlines import (
    DeadlineKind,
    DeadlineStatus,
    contract_deadlines,
    derive_deadlines,
    period_check_date,
)
from storage import EvidenceMeta, Workspace
from storage.cycle import DEADLINE_SOURCES, carry_forward, workspace_deadlines

from .conftest import FAST_KDF, PASSPHRASE

T = default_template()


def by_kind(deadlines):
    return {d.kind: d for d in deadlines}


def test_contract_term_notice_and_renewal():
    """Concluded 2026-04-01: the term ends 2027-03-31, notice by 2026-12-31, renews 2027-04-01."""
    notice, renewal = contract_deadlines(dt.date(2026, 4, 1), dt.date(2026, 6, 1))
    assert notice.due == dt.date(2026, 12, 31) and notice.key == "renewal-notice-2027"
    assert renewal.due == dt.date(2027, 4, 1) and renewal.key == "contract-renewal-2027"
    # once the notice deadline has passed, the next one is the following year's (no false "overdue")
    notice, renewal = contract_deadlines(dt.date(2026, 4, 1), dt.date(2027, 1, 15))
    assert notice.due == dt.date(2027, 12, 31) and renewal.due == dt.date(2027, 4, 1)
    # month ends: concluded 2026-06-01 -> term ends 2027-05-31 -> notice 2027-02-28
    notice, _ = contract_deadlines(dt.date(2026, 6, 1), dt.date(2026, 7, 1))
    assert notice.due == dt.date(2027, 2, 28)
    # years later, still the next one
    notice, renewal = contract_deadlines(dt.date(2020, 4, 1), dt.date(2031, 5, 1))
    assert (notice.due, renewal.due) == (dt.date(2031, 12, 31), dt.date(2032, 4, 1))


def test_deadlines_from_answers_and_evidence():
    on = dt.date(2027, 1, 10)
    answers = {"CHG-04": Answer("2026-04-01"), "LOG-07": Answer("2026-02-01"),
               "LOG-08": Answer("semiannual"), "LOG-11": Answer("2026-09-30"),
               "CERT-01": Answer("isms"), "CERT-05": Answer("2027-06-30")}
    ev = EvidenceInfo("e1", "CERT-03", "certificate", "isms.pdf", 10, "0" * 64, title="ISMS",
                      expires=dt.date(2026, 12, 31))
    found = derive_deadlines(T, answers, [ev], on=on)
    kinds = by_kind(found)
    assert kinds[DeadlineKind.ANNUAL_AUDIT].due == dt.date(2027, 2, 1)
    assert kinds[DeadlineKind.SECURITY_DIAGNOSIS].due == dt.date(2027, 3, 30)
    assert kinds[DeadlineKind.CERTIFICATION_EXPIRY].due == dt.date(2027, 6, 30)
    assert kinds[DeadlineKind.CONTRACT_RENEWAL].due == dt.date(2027, 4, 1)
    expiry = kinds[DeadlineKind.EVIDENCE_EXPIRY]
    assert expiry.key == "evidence-expiry-e1" and expiry.status(on) is DeadlineStatus.OVERDUE
    # overdue first, then by date
    assert found[0] is expiry
    rest = [d.due for d in found[1:]]
    assert rest == sorted(rest)
    assert kinds[DeadlineKind.ANNUAL_AUDIT].status(on) is DeadlineStatus.SOON  # 22 days, reminder 60


def test_workspace_contract_date_wins_over_the_answer_and_hidden_items_count_for_nothing():
    answers = {"CHG-04": Answer("2026-04-01"), "LOG-08": Answer("none"), "LOG-11": Answer("2026-09-30")}
    found = derive_deadlines(T, answers, [], on=dt.date(2026, 6, 1), contract_date=dt.date(2026, 5, 1))
    kinds = by_kind(found)
    assert kinds[DeadlineKind.CONTRACT_RENEWAL].due == dt.date(2027, 5, 1)
    # LOG-11 is hidden when LOG-08 is "none", and "none" gives no interval anyway
    assert DeadlineKind.SECURITY_DIAGNOSIS not in kinds
    # without a contract date or a last audit there is no audit date to derive
    assert derive_deadlines(T, {}, [], on=dt.date(2026, 6, 1)) == []


def test_period_check_date():
    assert period_check_date(2027, dt.date(2026, 4, 1), dt.date(2026, 12, 1)) == dt.date(2027, 4, 1)
    assert period_check_date(2027, None, dt.date(2026, 12, 1)) == dt.date(2027, 1, 1)
    assert period_check_date(2027, None, dt.date(2027, 5, 1)) == dt.date(2027, 5, 1)  # never in the past
    assert period_check_date(2027, dt.date(2024, 2, 29), dt.date(2026, 1, 1)) == dt.date(2027, 3, 1)


def test_other_modules_add_deadlines_through_the_hook(default_ws):
    from questionnaire.deadlines import Deadline
    from questionnaire.text import Text

    def actions(ws, on):
        yield Deadline("corrective-action-1", DeadlineKind.CORRECTIVE_ACTION, on - dt.timedelta(days=1),
                       Text("是正", "fix"), Text("第4条(2)", "Art. 4(2)"))

    DEADLINE_SOURCES.append(actions)
    try:
        found = workspace_deadlines(default_ws, dt.date(2027, 1, 1))
    finally:
        DEADLINE_SOURCES.remove(actions)
    assert found[0].kind is DeadlineKind.CORRECTIVE_ACTION


# --- the calendar ---------------------------------------------------------------------------


def events_of(path):
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


@pytest.fixture
def dated_ws(tmp_path):
    ws = Workspace.create(tmp_path / "2026", PASSPHRASE, kdf=FAST_KDF, period=2026)
    ws.set_contract_date("2026-04-01")
    ws.set_answers({"LOG-08": "annual", "LOG-11": "2026-06-01", "LOG-07": "2026-05-20"})
    f = tmp_path / "isms.pdf"
    f.write_bytes(b"%PDF isms")
    ws.add_evidence("CERT-03", f, EvidenceMeta("certificate", title="ISMS 登録証",
                                               expires=dt.date(2027, 5, 31)))
    yield ws
    ws.close()


def test_ics_has_one_event_per_deadline_with_a_reminder_and_stable_uids(tmp_path, dated_ws):
    from exports.calendar import write_calendar

    on = dt.date(2026, 12, 1)
    deadlines = workspace_deadlines(dated_ws, on)
    out = tmp_path / "a.ics"
    write_calendar(deadlines, out, lineage=dated_ws.lineage, vendor="V", lang="ja")
    events = events_of(out)
    assert len(events) == len(deadlines) == 5
    lineage = dated_ws.id
    expected = {
        f"renewal-notice-2027.{lineage}@ccus-attest": dt.date(2026, 12, 31),
        f"contract-renewal-2027.{lineage}@ccus-attest": dt.date(2027, 4, 1),
        f"annual-audit.{lineage}@ccus-attest": dt.date(2027, 5, 20),
        f"security-diagnosis.{lineage}@ccus-attest": dt.date(2027, 6, 1),
        f"evidence-expiry-{dated_ws.evidence()[0].id}.{lineage}@ccus-attest": dt.date(2027, 5, 31),
    }
    assert {uid: e.decoded("DTSTART") for uid, e in events.items()} == expected
    for e in events.values():
        assert e.decoded("DTEND") == e.decoded("DTSTART") + dt.timedelta(days=1)
        alarms = e.walk("VALARM")
        assert len(alarms) == 1 and alarms[0].decoded("TRIGGER") < dt.timedelta(0)
        assert str(e["SUMMARY"]).startswith("[CCUS] ")
    notice = events[f"renewal-notice-2027.{lineage}@ccus-attest"]
    assert notice.walk("VALARM")[0].decoded("TRIGGER") == -dt.timedelta(days=30)
    assert "第13条" in str(notice["DESCRIPTION"])

    # a re-export after the diagnosis moved: the same UIDs, a higher SEQUENCE, the new date
    dated_ws.set_answer("LOG-11", "2026-09-01")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    out2 = tmp_path / "b.ics"
    write_calendar(workspace_deadlines(dated_ws, on), out2, lineage=dated_ws.lineage, now=later)
    again = events_of(out2)
    assert set(again) == set(events)
    uid = f"security-diagnosis.{lineage}@ccus-attest"
    assert again[uid].decoded("DTSTART") == dt.date(2027, 9, 1)
    assert int(again[uid]["SEQUENCE"]) > int(events[uid]["SEQUENCE"])


def test_next_years_workspace_exports_the_same_uids(tmp_path, dated_ws):
    """The UIDs come from the chain's first workspace: next year's export updates this year's
    events (the renewal of 2027, the carried certificate) instead of adding copies."""
    from exports.calendar import write_calendar

    on = dt.date(2026, 12, 1)
    write_calendar(workspace_deadlines(dated_ws, on), tmp_path / "y1.ics", lineage=dated_ws.lineage)
    dated_ws.close()
    new, _ = carry_forward(tmp_path / "2026", PASSPHRASE, tmp_path / "2027", PASSPHRASE, kdf=FAST_KDF,
                           today=on)
    with new:
        assert new.contract_date == dt.date(2026, 4, 1)
        write_calendar(workspace_deadlines(new, on), tmp_path / "y2.ics", lineage=new.lineage)
    assert set(events_of(tmp_path / "y2.ics")) == set(events_of(tmp_path / "y1.ics"))
