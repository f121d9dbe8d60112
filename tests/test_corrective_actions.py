"""Corrective actions (issue 13 §4): findings of an imported review become actions, the vendor
takes them to 完了 with evidence, the next review verifies or reopens them; their due dates are
deadlines; they are carried into next year's workspace; the CLI end to end."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest

from exports.checklist_columns import COLUMN_INDEX, SHEET_CHECKLIST
from questionnaire.corrective import (
    DEFAULT_GRADES,
    ActionError,
    ActionStatus,
    from_document,
    sort_by_due,
    tally,
    to_document,
)
from questionnaire.review import Finding, Review, Verdict
from storage import EvidenceMeta, Workspace
from storage.actions import actions, get_action, update_action
from storage.cycle import carry_forward, workspace_deadlines
from storage.reviews import save_review

from .conftest import FAST_KDF, FAST_KDF_ARGS, PASSPHRASE, run_cli
from .samples import fill_review, item_rows

ON = dt.date(2026, 12, 6)


def review_of(ws, *findings: Finding) -> Review:
    t = ws.template
    return Review(ws.id, t.id, t.version, t.digest, "2026-12-05T00:00:00Z", findings=findings)


def f(item_id, verdict, comment="", day=dt.date(2026, 12, 5)):
    return Finding(item_id, verdict, comment, "監査 一郎", day)


@pytest.fixture
def ws(tmp_path, mini_template):
    ws = Workspace.create(tmp_path / "ws", PASSPHRASE, vendor="テスト建設", template=mini_template,
                          kdf=FAST_KDF, period=2026)
    ws.set_answers({"AGR-01": "yes", "TEC-01": "own", "TEC-04": "no"})
    yield ws
    ws.close()


def test_a_review_makes_one_action_per_nonconformity_and_needs_check(ws):
    save_review(ws, review_of(ws, f("AGR-01", Verdict.CONFORMS),
                              f("TEC-04", Verdict.NONCONFORMING, "規程なし"),
                              f("TEC-01", Verdict.NEEDS_CHECK, "クラウドの範囲を確認"),
                              f("CERT-01", Verdict.NONCONFORMING, "認証の写しなし"),
                              f("CERT-02", Verdict.NOT_APPLICABLE)))
    found = {a.item_id: a for a in actions(ws)}
    assert sorted(found) == ["CERT-01", "TEC-01", "TEC-04"]
    tec4 = found["TEC-04"]
    assert (tec4.verdict, tec4.finding, tec4.grade, tec4.status) == ("nonconforming", "規程なし", "major",
                                                                   ActionStatus.OPEN)
    assert found["TEC-01"].grade == "observation" and found["TEC-01"].verdict == "needs_check"
    assert {a.id for a in found.values()} == {"CA-001", "CA-002", "CA-003"}
    assert tec4.submission_id == ws.id and tec4.reviewer == "監査 一郎"
    logged = [e for e in ws.activity() if e.action == "action.created"]
    assert len(logged) == 3 and all(e.detail["status"] == "open" for e in logged)
    counts = tally(actions(ws), ON)
    assert (counts.total, counts.open, counts.overdue) == (3, 3, 0)


def test_the_vendor_takes_an_action_to_done_with_evidence_but_never_verifies_it(ws, tmp_path):
    save_review(ws, review_of(ws, f("TEC-04", Verdict.NONCONFORMING, "規程なし"),
                              f("TEC-01", Verdict.NEEDS_CHECK, "範囲")))
    ca = next(a for a in actions(ws) if a.item_id == "TEC-04")
    changed = update_action(ws, ca.id.lower(), status="対応中", due="2026/12/01", owner="情報システム部",
                            root_cause="規程の改訂漏れ", plan="規程を改訂し周知する", today=ON)
    assert changed.status is ActionStatus.IN_PROGRESS and changed.due == dt.date(2026, 12, 1)
    assert tally(actions(ws), ON).overdue == 1 and changed.overdue(ON)
    # the overdue action comes first; its due date is a deadline of the workspace, overdue
    assert sort_by_due(actions(ws), ON)[0].id == ca.id
    deadline = next(d for d in workspace_deadlines(ws, ON) if d.key == f"corrective-action-{ca.id}")
    assert str(deadline.status(ON)) == "overdue" and deadline.item_id == "TEC-04"
    # a due date set by mistake is taken away with an empty value (None leaves it as it is)
    assert update_action(ws, ca.id, due=None, today=ON).due == dt.date(2026, 12, 1)
    cleared = update_action(ws, ca.id, due="", today=ON)
    assert cleared.due is None and tally(actions(ws), ON).overdue == 0
    assert update_action(ws, ca.id, due="2026/12/01", today=ON).due == dt.date(2026, 12, 1)
    policy = tmp_path / "policy-v2.pdf"
    policy.write_bytes(b"%PDF revised policy")
    info = ws.add_evidence("TEC-04", policy, EvidenceMeta("policy", title="改訂規程"))
    done = update_action(ws, ca.id, status="done", add_evidence=[info.id], today=ON)
    assert done.status is ActionStatus.DONE and done.closed_on == ON and done.evidence_ids == (info.id,)
    assert not done.overdue(ON) and tally(actions(ws), ON).overdue == 0
    assert not any(d.key == f"corrective-action-{ca.id}" for d in workspace_deadlines(ws, ON))
    with pytest.raises(ActionError, match="only the auditor"):
        update_action(ws, ca.id, status="検証済み")
    with pytest.raises(ActionError, match="unknown grade"):
        update_action(ws, ca.id, grade="catastrophic")
    with pytest.raises(ActionError, match="no evidence"):
        update_action(ws, ca.id, add_evidence=["nope"])
    with pytest.raises(ActionError, match="no corrective action"):
        get_action(ws, "CA-999")
    # what was done is sealed and logged; reopening the workspace reads it back
    path = ws.path
    ws.close()
    with Workspace.open(path, PASSPHRASE) as again:
        back = get_action(again, ca.id)
        assert back == done and [h["event"] for h in back.history] == ["created"] + ["edited"] * 4
        updates = [e for e in again.activity() if e.action == "action.updated"]
        assert updates[-1].detail["status"] == "done" and updates[-1].detail["evidence"] == [info.id]


def test_the_next_review_verifies_what_it_finds_corrected_and_reopens_what_it_finds_again(ws):
    save_review(ws, review_of(ws, f("TEC-04", Verdict.NONCONFORMING, "規程なし"),
                              f("TEC-01", Verdict.NEEDS_CHECK, "範囲")))
    ids = {a.item_id: a.id for a in actions(ws)}
    for action_id in ids.values():
        update_action(ws, action_id, status="done", today=ON)
    save_review(ws, review_of(ws, f("TEC-04", Verdict.CONFORMS, "改訂を確認", dt.date(2027, 1, 10)),
                              f("TEC-01", Verdict.NEEDS_CHECK, "まだ不明確", dt.date(2027, 1, 10))))
    by_item = {a.item_id: a for a in actions(ws)}
    assert by_item["TEC-04"].status is ActionStatus.VERIFIED
    assert by_item["TEC-04"].verified_on == dt.date(2027, 1, 10)
    assert by_item["TEC-04"].verified_by == "監査 一郎"
    assert by_item["TEC-01"].status is ActionStatus.IN_PROGRESS and by_item["TEC-01"].closed_on is None
    assert by_item["TEC-01"].finding == "まだ不明確" and by_item["TEC-01"].id == ids["TEC-01"]
    assert len(actions(ws)) == 2
    with pytest.raises(ActionError, match="verified by the auditor"):
        update_action(ws, ids["TEC-04"], status="open")


def test_actions_are_carried_into_next_year(ws, tmp_path):
    save_review(ws, review_of(ws, f("TEC-04", Verdict.NONCONFORMING, "規程なし")))
    (ca,) = actions(ws)
    update_action(ws, ca.id, due="2027-02-01", today=ON)
    ws.close()
    new, _ = carry_forward(ws.path, PASSPHRASE, tmp_path / "2027", "next year's passphrase", kdf=FAST_KDF)
    with new:
        (carried,) = actions(new)
        assert carried.id == ca.id and carried.due == dt.date(2027, 2, 1) and carried.open
        assert any(d.key == f"corrective-action-{ca.id}" for d in workspace_deadlines(new, ON))


def test_the_document_is_read_strictly_against_the_bundles_template_and_files(ws):
    save_review(ws, review_of(ws, f("TEC-04", Verdict.NONCONFORMING, "規程なし")))
    doc = to_document(actions(ws), ws.template)
    assert [g["id"] for g in doc["grades"]] == [g.id for g in DEFAULT_GRADES]
    assert from_document(json.loads(json.dumps(doc)), ws.template, []) == tuple(actions(ws))

    def broken(**change):
        bad = json.loads(json.dumps(doc))
        bad["actions"][0].update(change)
        return bad

    for change, message in (({"item_id": "NOPE-1"}, "not an item"), ({"grade": "fatal"}, "scale"),
                            ({"status": "closed"}, "unknown status"), ({"due": "next week"}, "not a date"),
                            ({"evidence_ids": ["x"]}, "not in the bundle"),
                            ({"status": "verified"}, "verified_on disagree"),
                            ({"finding": "x" * 5000}, "at most")):
        with pytest.raises(ActionError, match=message):
            from_document(broken(**change), ws.template, [])
    bad = json.loads(json.dumps(doc))
    bad["actions"][0]["overdue"] = False  # a computed field is never taken from the vendor
    with pytest.raises(ActionError, match="malformed"):
        from_document(bad, ws.template, [])


def _answered_with_checklist(tmp_path):
    """A mini-template workspace made and answered through the CLI, and its checklist."""
    ws = tmp_path / "ws"
    assert run_cli("init", str(ws), "--vendor", "株式会社サンプル", "--template",
                   "tests/fixtures/templates/mini.yaml", *FAST_KDF_ARGS).code == 0
    for item, value in (("AGR-01", "yes"), ("TEC-01", "own"), ("TEC-04", "no")):
        assert run_cli("answer", str(ws), item, value).code == 0
    checklist = tmp_path / "checklist.xlsx"
    assert run_cli("checklist", str(ws), "--out", str(checklist)).code == 0
    return ws, checklist


def test_corrective_actions_from_the_command_line(tmp_path):
    ws, checklist = _answered_with_checklist(tmp_path)
    reviewed = fill_review(checklist, tmp_path / "reviewed.xlsx", {
        "TEC-04": {"verdict": "不適合", "finding": "規程なし", "reviewer": "監査 一郎"},
        "TEC-01": {"verdict": "要確認", "finding": "範囲を確認"},
        "AGR-01": {"verdict": "適合"}})
    r = run_cli("import-review", str(ws), str(reviewed))
    assert r.code == 0, r.err
    assert "corrective actions: 2 open of 2" in r.out
    listed = json.loads(run_cli("actions", str(ws), "--json", "--on", "2026-12-06").out)
    assert (listed["total"], listed["open"], listed["overdue"]) == (2, 2, 0)
    tec4 = next(a for a in listed["actions"] if a["item_id"] == "TEC-04")
    assert tec4["status"] == "open" and tec4["grade_label"]["ja"] == "重大な不適合"

    r = run_cli("action", str(ws), tec4["id"], "--status", "対応中", "--due", "2026-11-30",
                "--owner", "情シス", "--root-cause", "改訂漏れ", "--plan", "改訂する")
    assert r.code == 0, r.err
    r = run_cli("actions", str(ws), "--on", "2026-12-06")
    assert r.out.splitlines()[0].startswith(tec4["id"]) and "OVERDUE" in r.out.splitlines()[0]
    assert "1 overdue" in r.out
    status = json.loads(run_cli("status", str(ws), "--json", "--on", "2026-12-06").out)
    assert status["corrective_actions"]["overdue"] == 1
    assert any(d["key"] == f"corrective-action-{tec4['id']}" for d in status["deadlines"])

    proof = tmp_path / "policy-v2.pdf"
    proof.write_bytes(b"%PDF revised")
    r = run_cli("attach", str(ws), "TEC-04", str(proof), "--kind", "policy", "--action", tec4["id"])
    assert r.code == 0 and f"to corrective action {tec4['id']}" in r.out, r.err
    r = run_cli("attach", str(ws), "TEC-04", str(proof), "--kind", "policy", "--action", "CA-404")
    assert r.code == 1 and r.err.count("\n") == 1 and "CA-404" in r.err
    assert len(json.loads(run_cli("evidence", str(ws), "--json").out)) == 1  # nothing stored then
    r = run_cli("action", str(ws), tec4["id"], "--status", "done", "--json")
    assert r.code == 0 and json.loads(r.out)["status"] == "done"
    assert len(json.loads(r.out)["evidence_ids"]) == 1
    r = run_cli("action", str(ws), tec4["id"], "--status", "verified")
    assert r.code == 1 and r.err.count("\n") == 1 and "auditor" in r.err
    r = run_cli("action", str(ws), tec4["id"], "--due", "someday")
    assert r.code == 1 and r.err.count("\n") == 1
    assert run_cli("check", str(ws)).code == 0


def test_the_auditor_grades_a_finding_in_the_workbook_and_the_action_keeps_it(tmp_path):
    """issue 13 §4: the workbook's 等級 column offers the template's scale; the grade the auditor
    picks (Japanese or English label) becomes the action's; an unknown one is a row problem."""
    ws, checklist = _answered_with_checklist(tmp_path)
    bad = fill_review(checklist, tmp_path / "bad.xlsx", {
        "TEC-04": {"verdict": "不適合", "finding": "規程なし", "grade": "致命的"}})
    r = run_cli("import-review", str(ws), str(bad))
    assert "致命的" in r.out + r.err and "軽微な不適合" in r.out + r.err
    assert json.loads(run_cli("actions", str(ws), "--json").out)["total"] == 0  # that row: not imported

    reviewed = fill_review(checklist, tmp_path / "reviewed.xlsx", {
        "TEC-04": {"verdict": "不適合", "finding": "規程なし", "grade": "軽微な不適合"},
        "TEC-01": {"verdict": "要確認", "finding": "範囲を確認", "grade": "Opportunity for improvement"}})
    r = run_cli("import-review", str(ws), str(reviewed))
    assert r.code == 0, r.err
    by_item = {a["item_id"]: a for a in json.loads(run_cli("actions", str(ws), "--json").out)["actions"]}
    assert by_item["TEC-04"]["grade"] == "minor" and by_item["TEC-01"]["grade"] == "improvement"
    # the vendor's next checklist shows the auditor's grade beside the verdict
    again = tmp_path / "again.xlsx"
    assert run_cli("checklist", str(ws), "--out", str(again)).code == 0
    sheet = openpyxl.load_workbook(again)[SHEET_CHECKLIST]
    assert sheet.cell(item_rows(sheet)["TEC-04"], COLUMN_INDEX["grade"]).value == "軽微な不適合"


# --- in the bundle: written, covered, read strictly by the auditor's app ----------------------


def test_the_next_bundle_carries_the_actions_and_the_auditor_checks_them(tmp_path, mini_template, signer,
                                                                        auditor):
    from exports import bundle_format as bf
    from exports.bundle import export_bundle, open_bundle, verify_bundle
    from exports.bundle_opened import load_opened_submission
    from exports.bundle_report import CORRECTIVE_ACTIONS

    from .bundle_support import MINI, fill_complete
    from .vendor_kit import VendorKit

    ws = Workspace.create(tmp_path / "ws", PASSPHRASE, vendor="テスト建設", template=mini_template,
                          kdf=FAST_KDF)
    fill_complete(ws, tmp_path / "src")
    save_review(ws, review_of(ws, f("TEC-04", Verdict.NONCONFORMING, "規程なし"),
                              f("TEC-01", Verdict.NEEDS_CHECK, "範囲")))
    tec4 = next(a for a in actions(ws) if a.item_id == "TEC-04")
    proof_id = ws.evidence("TEC-04")[0].id
    update_action(ws, tec4.id, status="done", add_evidence=[proof_id], root_cause="改訂漏れ", today=ON)
    out = tmp_path / "b.zip"
    export_bundle(ws, out, signing_key=signer.key, recipients=[auditor.recipient])
    ws.close()

    report = verify_bundle(out, signer=signer.public_path, identity=auditor.identity_path, templates=MINI)
    assert report.ok, report.first_problem()
    assert report.check(CORRECTIVE_ACTIONS).ok and "2 corrective actions, 1 closed" in report.check(
        CORRECTIVE_ACTIONS).detail
    listed = {m["path"] for m in report.manifest["members"]}
    assert bf.CORRECTIVE_ACTIONS in listed  # covered by the manifest, hence by SHA256SUMS and the signature
    got = {a.id: a for a in report.submission.corrective_actions}
    assert got[tec4.id].status is ActionStatus.DONE and got[tec4.id].evidence_ids == (proof_id,)
    assert got[tec4.id].root_cause == "改訂漏れ"
    # the opened folder gives the same to the auditor's checklist and report
    opened = tmp_path / "opened"
    open_bundle(out, opened, signer=signer.public_path, identity=auditor.identity_path, templates=MINI)
    sub, _judging = load_opened_submission(opened, templates=MINI)
    assert {a.id: a.status for a in sub.corrective_actions} == {a.id: a.status for a in got.values()}

    # a vendor who re-signs an edited file is caught by the log; one who drops the file too
    kit = VendorKit(tmp_path / "kit", signer, auditor)
    content = kit.take_apart(out)
    doc = content.json(bf.CORRECTIVE_ACTIONS)
    doc["actions"][1]["status"] = "done"
    doc["actions"][1]["closed_on"] = "2026-12-06"
    content.put_json(bf.CORRECTIVE_ACTIONS, doc)
    forged = verify_bundle(kit.build(content), signer=signer.public_path, identity=auditor.identity_path,
                           templates=MINI)
    check = forged.check(CORRECTIVE_ACTIONS)
    assert not forged.ok and not check.ok and "activity log" in check.detail
    content = kit.take_apart(out)
    del content.files[bf.CORRECTIVE_ACTIONS]
    dropped = verify_bundle(kit.build(content), signer=signer.public_path, identity=auditor.identity_path,
                            templates=MINI)
    assert not dropped.ok and "missing" in dropped.check(CORRECTIVE_ACTIONS).detail


def test_the_checklist_has_a_corrective_action_sheet_and_the_report_a_section(ws, tmp_path):
    import subprocess

    import openpyxl

    from exports.checklist import write_checklist
    from exports.checklist_columns import FIRST_DATA_ROW, HEADER_ROW, SHEET_ACTIONS
    from exports.report import write_report

    plain = tmp_path / "plain.xlsx"
    write_checklist(ws.submission(), plain, on=ON)
    assert SHEET_ACTIONS not in openpyxl.load_workbook(plain).sheetnames  # none yet: no sheet
    save_review(ws, review_of(ws, f("TEC-04", Verdict.NONCONFORMING, "規程なし"),
                              f("TEC-01", Verdict.NEEDS_CHECK, "範囲")))
    late = next(a for a in actions(ws) if a.item_id == "TEC-01")
    update_action(ws, late.id, due="2026-11-01", owner="情シス", plan="範囲を文書化", today=ON)
    xlsx, pdf = tmp_path / "c.xlsx", tmp_path / "r.pdf"
    write_checklist(ws.submission(), xlsx, on=ON)
    sheet = openpyxl.load_workbook(xlsx)[SHEET_ACTIONS]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=FIRST_DATA_ROW) if row[0].value]
    header = [c.value for c in sheet[HEADER_ROW]]
    assert "期限\nOverdue" in header and "状態\nStatus" in header
    assert [r[0] for r in rows] == [late.id, next(a.id for a in actions(ws) if a.item_id == "TEC-04")]
    first = dict(zip([h.split("\n")[0] for h in header], rows[0], strict=True))
    assert first["期限"] == "期限切れ" and first["状態"] == "未着手" and first["区分"] == "観察事項"
    assert first["処置内容"] == "範囲を文書化"
    write_report(ws.submission(), pdf, on=ON)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "是正処置" in text and late.id in text and "期限切れ" in text and "範囲を文書化" in text
