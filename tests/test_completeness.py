"""Conditions, requirements, evidence expiry and what blocks submission."""

from __future__ import annotations

import datetime as dt

import pytest

from questionnaire import Answer, EvidenceInfo, ProblemCode, assess, default_template

ON = dt.date(2026, 11, 25)


def ev(item_id, kind="certificate", expires=None, n=1):
    return EvidenceInfo(id=f"e{n}", item_id=item_id, kind=kind, filename=f"f{n}.pdf", size=10,
                        sha256="0" * 64, expires=expires)


def A(value, note=None):
    return Answer(value, note)


COMPLETE = {
    "AGR-01": A("yes"), "CERT-01": A("isms"), "CERT-02": A("IS 1234"), "CERT-03": A("2027-06-30"),
    "TEC-01": A(["own"]), "TEC-03": A(365), "TEC-04": A("yes"),
}
EVIDENCE = [ev("CERT-02", expires=dt.date(2028, 1, 1), n=1), ev("TEC-04", kind="policy", n=2)]


def codes(result, item_id=None):
    return {(p.code, p.item_id) for p in result.problems if item_id in (None, p.item_id)}


def test_empty_questionnaire_blocks(mini_template):
    r = assess(mini_template, {}, [], ON)
    assert not r.can_submit
    assert r.complete == 0
    # CERT-02/03 are hidden until CERT-01 is answered; TEC-02 until overseas hosting
    assert {p.item_id for p in r.blockers} == {"AGR-01", "CERT-01", "TEC-01", "TEC-03", "TEC-04"}
    assert all(p.code is ProblemCode.UNANSWERED for p in r.blockers)


def test_complete_questionnaire(mini_template):
    r = assess(mini_template, COMPLETE, EVIDENCE, ON)
    assert r.blockers == ()
    assert r.can_submit and r.ratio == 1.0
    assert [s.ratio for s in r.sections] == [1.0, 1.0, 1.0]


def test_show_if_not_in_and_contains(mini_template):
    answers = {**COMPLETE, "CERT-01": A("none")}
    r = assess(mini_template, answers, EVIDENCE, ON)
    assert not r.items["CERT-02"].visible and not r.items["CERT-03"].visible
    assert (ProblemCode.NONCONFORMING, "CERT-01") in codes(r)
    assert (ProblemCode.HIDDEN_ANSWERED, "CERT-02") in codes(r)  # a warning only
    assert not r.items["TEC-02"].visible
    r = assess(mini_template, {**COMPLETE, "TEC-01": A(["own", "overseas"])}, EVIDENCE, ON)
    assert r.items["TEC-02"].visible and r.items["TEC-02"].required
    assert (ProblemCode.UNANSWERED, "TEC-02") in codes(r)


def test_required_if_and_note_for_partial_or_no(mini_template):
    r = assess(mini_template, COMPLETE, EVIDENCE, ON)
    assert not r.items["TEC-05"].required
    r = assess(mini_template, {**COMPLETE, "TEC-04": A("no")}, EVIDENCE, ON)
    assert r.items["TEC-05"].required
    assert codes(r, "TEC-04") == {(ProblemCode.NOTE_MISSING, "TEC-04")}
    r = assess(mini_template, {**COMPLETE, "TEC-04": A("no", "2027年3月までに導入予定"),
                               "TEC-05": A("予算確保済み")}, EVIDENCE, ON)
    assert r.can_submit  # evidence is not needed for いいえ


def test_evidence_missing_wrong_kind_expired_expiring(mini_template):
    r = assess(mini_template, COMPLETE, [EVIDENCE[1]], ON)
    assert (ProblemCode.EVIDENCE_MISSING, "CERT-02") in codes(r)
    r = assess(mini_template, COMPLETE, [ev("CERT-02", kind="policy"), EVIDENCE[1]], ON)
    assert (ProblemCode.EVIDENCE_MISSING, "CERT-02") in codes(r)
    expired = [ev("CERT-02", expires=dt.date(2026, 11, 24)), EVIDENCE[1]]
    r = assess(mini_template, COMPLETE, expired, ON)
    assert (ProblemCode.EVIDENCE_EXPIRED, "CERT-02") in codes(r)
    assert not r.can_submit and r.expired_evidence()[0].id == "e1"
    assert assess(mini_template, COMPLETE, expired, dt.date(2026, 11, 24)).can_submit  # last valid day
    soon = [ev("CERT-02", expires=ON + dt.timedelta(days=90)), EVIDENCE[1]]
    r = assess(mini_template, COMPLETE, soon, ON)
    assert r.can_submit and [p.code for p in r.warnings] == [ProblemCode.EVIDENCE_EXPIRING]


def test_section_progress_counts(mini_template):
    r = assess(mini_template, {"AGR-01": A("yes"), "CERT-01": A("isms")}, [], ON)
    cert = next(s for s in r.sections if s.section_id == "CERT")
    assert (cert.visible, cert.required, cert.complete, cert.answered) == (3, 3, 1, 1)
    assert cert.ratio == pytest.approx(1 / 3)
    assert r.status_counts()["yes"] == 1


def test_stale_answer_is_reported(mini_template):
    r = assess(mini_template, {**COMPLETE, "CERT-01": A("iso9001")}, EVIDENCE, ON)
    assert (ProblemCode.INVALID_ANSWER, "CERT-01") in codes(r)


def test_messages_bilingual(mini_template):
    p = assess(mini_template, {}, [], ON).blockers[0]
    assert p.message("ja") == "AGR-01: 未回答です"
    assert p.message("en") == "AGR-01: not answered"


def test_default_template_all_yes_needs_evidence():
    t = default_template()
    answers = {i.id: A("yes") for i in t.items if i.kind.value == "status"}
    r = assess(t, answers, [], ON)
    assert any(p.code is ProblemCode.EVIDENCE_MISSING for p in r.blockers)
