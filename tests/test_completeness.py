"""Conditions, requirements, evidence expiry and what blocks submission."""

from __future__ import annotations

import datetime as dt

import pytest

from questionnaire import (
    Answer,
    AnswerKind,
    EvidenceInfo,
    Outcome,
    ProblemCode,
    Severity,
    assess,
    default_template,
    load_template_text,
)

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
    # いいえ on a contract item: non-conforming, and the remediation note is missing too
    assert codes(r, "TEC-04") == {(ProblemCode.NONCONFORMING, "TEC-04"), (ProblemCode.NOTE_MISSING, "TEC-04")}
    r = assess(mini_template, {**COMPLETE, "TEC-04": A("no", "2027年3月までに導入予定"),
                               "TEC-05": A("予算確保済み")}, EVIDENCE, ON)
    # the note explains it, but いいえ still does not satisfy the column (Art. 2-2)
    assert codes(r, "TEC-04") == {(ProblemCode.NONCONFORMING, "TEC-04")}
    assert r.items["TEC-04"].outcome is Outcome.NON_CONFORMING and not r.can_submit
    r = assess(mini_template, {**COMPLETE, "TEC-04": A("na"), "TEC-05": A("対象外")}, EVIDENCE, ON)
    assert r.items["TEC-04"].outcome is Outcome.CONFORMING and r.can_submit


def test_evidence_missing_wrong_kind_expired_expiring(mini_template):
    r = assess(mini_template, COMPLETE, [EVIDENCE[1]], ON)
    assert (ProblemCode.EVIDENCE_MISSING, "CERT-02") in codes(r)
    r = assess(mini_template, COMPLETE, [ev("CERT-02", kind="policy"), EVIDENCE[1]], ON)
    # a file is attached, of the wrong kind: never "no evidence is attached"
    assert (ProblemCode.EVIDENCE_WRONG_KIND, "CERT-02") in codes(r)
    assert (ProblemCode.EVIDENCE_MISSING, "CERT-02") not in codes(r)
    wrong = next(p for p in r.blockers if p.code is ProblemCode.EVIDENCE_WRONG_KIND)
    assert wrong.text("ja") == ("添付された証跡はこの設問に必要な種類ではありません"
                                "（添付されているのは規程、必要なのは認証登録証）")
    assert "attached: Policy; this item needs: Certificate" in wrong.text("en")
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
    assert (cert.count(Outcome.CONFORMING), cert.count(Outcome.UNANSWERED)) == (1, 2)
    assert cert.blocking == 2  # items, not problems
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


def test_expired_file_beside_a_valid_one_is_only_a_warning(mini_template):
    files = [ev("CERT-02", expires=dt.date(2025, 1, 1), n=1), ev("CERT-02", expires=dt.date(2028, 1, 1), n=3),
             EVIDENCE[1]]
    r = assess(mini_template, COMPLETE, files, ON)
    assert r.can_submit and r.items["CERT-02"].outcome is Outcome.CONFORMING
    assert [(p.code, p.severity) for p in r.problems] == [(ProblemCode.EVIDENCE_EXPIRED, Severity.WARNING)]


BASIS_TEMPLATE = """
schema: ccus-attest/template/v1
id: basis-test
version: "0.1"
title: {ja: 根拠, en: Basis}
evidence_kinds:
  - {id: record, label: {ja: 運用記録, en: Record}}
  - {id: policy, label: {ja: 規程, en: Policy}}
sections:
  - id: GOV
    title: {ja: 統制, en: Governance}
    items:
      - id: GOV-01
        text: {ja: 契約上の義務を守っていますか。, en: Contract duty?}
        kind: status
        evidence: {kinds: [record]}
        source: 契約書 第6条1項(3)
      - id: GOV-02
        text: {ja: 良い慣行に従っていますか。, en: Good practice?}
        kind: status
        evidence: {kinds: [record]}
        source: IPA「5分でできる！情報セキュリティ自社診断」
"""


@pytest.mark.parametrize("value", ["no", "partial"])
def test_basis_decides_what_blocks(value):
    t = load_template_text(BASIS_TEMPLATE)
    answers = {"GOV-01": A(value, "来期対応"), "GOV-02": A(value, "来期対応")}
    files = [ev("GOV-01", kind="record", n=1), ev("GOV-02", kind="record", n=2)]
    r = assess(t, answers, files, ON)
    assert r.items["GOV-01"].outcome is Outcome.NON_CONFORMING
    assert r.items["GOV-02"].outcome is Outcome.NEEDS_IMPROVEMENT
    assert [p.item_id for p in r.blockers] == ["GOV-01"]
    assert [p.item_id for p in r.improvements] == ["GOV-02"]
    assert r.count(Outcome.NEEDS_IMPROVEMENT) == 1 and r.count(Outcome.CONFORMING) == 0


def test_missing_evidence_on_a_practice_item_needs_improvement():
    t = load_template_text(BASIS_TEMPLATE)
    r = assess(t, {"GOV-01": A("yes"), "GOV-02": A("yes")}, [ev("GOV-01", kind="policy")], ON)
    assert r.items["GOV-01"].outcome is Outcome.NON_CONFORMING   # wrong kind, binding
    assert r.items["GOV-02"].outcome is Outcome.NEEDS_IMPROVEMENT  # no evidence, practice
    assert {p.code for p in r.improvements} == {ProblemCode.EVIDENCE_MISSING}


@pytest.mark.parametrize("value", ["no", "partial"])
def test_no_status_answer_but_yes_or_na_ever_conforms_in_the_default_template(value):
    """The family of 'いいえ counted as done': every status item of the shipped template,
    answered 一部 or いいえ with a note and any evidence, is never conforming."""
    t = default_template()
    status = [i for i in t.items if i.kind is AnswerKind.STATUS]
    answers = {i.id: A(value, "是正予定") for i in status}
    files = [ev(i.id, kind=k, n=n) for n, i in enumerate(status) if i.evidence for k in i.evidence.kinds]
    r = assess(t, answers, files, ON)
    for item in status:
        st = r.items[item.id]
        if not st.visible:
            continue
        if item.expected is not None and value in item.expected:
            continue  # the template accepts this answer for this item on purpose
        assert st.outcome in (Outcome.NON_CONFORMING, Outcome.NEEDS_IMPROVEMENT), item.id
        assert st.outcome.blocking is item.binding, item.id


def test_every_count_comes_from_one_tally(mini_template):
    r = assess(mini_template, {**COMPLETE, "TEC-04": A("no")}, EVIDENCE, ON)
    d = r.as_dict()
    assert d["overall"]["outcomes"] == {
        str(o): sum(s["outcomes"][str(o)] for s in d["sections"]) for o in Outcome}
    assert sum(d["overall"]["outcomes"].values()) == len(mini_template.items)
    per_item = [v["outcome"] for v in d["items"].values()]
    assert {o: per_item.count(o) for o in set(per_item)} == {
        k: v for k, v in d["overall"]["outcomes"].items() if v}
    assert d["overall"]["blocking"] == r.total.blocking == sum(s.blocking for s in r.sections)
