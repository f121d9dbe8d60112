"""Comparing two submissions (issue 13 §3): real bundles exported by the app and verified with
real keys, real workspaces opened read-only, the CLI as a user runs it, the 変更点 workbook
read back with openpyxl.

The scenario: year 1 is answered with the official template and exported; year 2 is carried
forward from it, confirmed, exactly five answers are changed and one certificate is replaced,
and it is exported again. The comparison must name exactly those five answers and that file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from exports import comparison_sources
from exports.bundle import export_bundle
from exports.checklist_columns import FIRST_DATA_ROW, HEADER_ROW
from exports.comparison_sources import (
    SideNotVerified,
    load_bundle_side,
    load_workspace_side,
    side_from_workspace,
)
from exports.comparison_text import report_lines
from exports.comparison_xlsx import (
    SHEET_ACTIONS,
    SHEET_CHANGES,
    SHEET_EVIDENCE,
    SHEET_SUMMARY,
    write_comparison,
)
from questionnaire import AnswerKind, load_template_file
from questionnaire.comparison import (
    ActionRecord,
    ActionState,
    EvidenceState,
    Side,
    State,
    compare,
    compare_actions,
    compare_evidence,
)
from questionnaire.evidence import EvidenceInfo
from storage import EvidenceMeta, Workspace
from storage.cycle import carry_forward

from .bundle_support import (  # noqa: F401  (fixtures)
    AuditorFiles,
    SignerFiles,
    auditor,
    fill_conforming,
    other_auditor,
    signer,
)
from .conftest import FAST_KDF, FIXTURES, PASSPHRASE, run_cli

YEAR2_PASS = "year two passphrase"


@dataclass
class Years:
    ws1: Path
    ws2: Path
    bundle1: Path
    bundle2: Path
    changed: dict[str, tuple[str, str]]    # item -> (old value, new value)
    cert_item: str
    cert_old_sha: str
    cert_new_sha: str


def folder_hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def years(tmp_path_factory, signer, auditor) -> Years:  # noqa: F811
    root = tmp_path_factory.mktemp("years")
    ws1 = root / "2026"
    with Workspace.create(ws1, PASSPHRASE, vendor="テスト建設システム株式会社", kdf=FAST_KDF,
                          period=2026) as ws:
        fill_conforming(ws, root / "src1")
        cert = root / "src1" / "ISMS登録証-2026.pdf"
        cert.write_bytes(b"%PDF-1.4 ISMS 2026 " * 100)
        cert_item = next(i.id for i in ws.template.items if i.evidence and "certificate" in i.evidence.kinds
                         and ws.assess().items[i.id].visible)
        old_cert = ws.add_evidence(cert_item, cert, EvidenceMeta(
            "certificate", title="ISMS 登録証", issuer="JQA",
            expires=dt.date.today() + dt.timedelta(days=30)))
        bundle1 = root / "2026.zip"
        export_bundle(ws, bundle1, signing_key=signer.key, recipients=[auditor.recipient])
        answered = ws.answers()
        texts = [i.id for i in ws.template.items
                 if i.kind is AnswerKind.TEXT and i.id in answered and i.id != cert_item
                 and ws.assess().items[i.id].visible][:5]
    assert len(texts) == 5
    ws2 = root / "2027"
    new, _ = carry_forward(ws1, PASSPHRASE, ws2, YEAR2_PASS, period=2027, kdf=FAST_KDF)
    with new:
        new.confirm_carried(list(new.carried()), by="all")
        changed = {}
        for n, item_id in enumerate(texts):
            old_value = new.answer(item_id).value
            new.set_answer(item_id, f"2027年度の回答 {n + 1}")
            changed[item_id] = (old_value, f"2027年度の回答 {n + 1}")
        renewed = root / "ISMS登録証-2027.pdf"
        renewed.write_bytes(b"%PDF-1.4 ISMS 2027 renewed " * 100)
        replaced = new.replace_evidence(old_cert.id, renewed, EvidenceMeta(
            "certificate", title="ISMS 登録証", issuer="JQA",
            expires=dt.date.today() + dt.timedelta(days=800)))
        bundle2 = root / "2027.zip"
        export_bundle(new, bundle2, signing_key=signer.key, recipients=[auditor.recipient])
    return Years(ws1, ws2, bundle1, bundle2, changed, cert_item, old_cert.sha256, replaced.sha256)


def _expect_exactly_the_changes(cmp, years: Years) -> None:
    assert sorted(cmp.items_where("answer", State.CHANGED)) == sorted(years.changed)
    assert cmp.items_where("answer", State.ADDED) == cmp.items_where("answer", State.REMOVED) == []
    assert cmp.items_where("note", State.CHANGED) + cmp.items_where("note", State.ADDED) == []
    changed_files = cmp.evidence_changes
    assert [(e.state, e.item_id, e.old.sha256, e.new.sha256) for e in changed_files] == [
        (EvidenceState.REPLACED, years.cert_item, years.cert_old_sha, years.cert_new_sha)]
    assert set(changed_files[0].fields) == {"sha256", "filename", "expires"}
    assert {c.item_id for c in cmp.changed_items} == {*years.changed, years.cert_item}
    for item_id, (old, new) in years.changed.items():
        c = cmp.item(item_id)
        assert (c.old_answer.value, c.new_answer.value, c.state) == (old, new, State.CHANGED)
    assert cmp.template.identical and cmp.actions == ()


def test_two_verified_bundles_name_exactly_five_answers_and_the_replaced_certificate(years, signer, auditor):  # noqa: F811
    old = load_bundle_side(years.bundle1, signer=signer.public_path, identity=auditor.identity_path)
    new = load_bundle_side(years.bundle2, signer=signer.public_path, identity=auditor.identity_path)
    assert (old.kind, new.kind) == ("bundle", "bundle") and old.exported_at is not None
    cmp = compare(old, new)
    _expect_exactly_the_changes(cmp, years)
    assert cmp.same_signer is True
    counts = cmp.counts()
    assert counts["answers"]["changed"] == 5 and counts["evidence"] == {
        "unchanged": len(new.submission.evidence) - 1, "replaced": 1}


def test_workspaces_are_compared_read_only_and_agree_with_the_bundles(years, signer, auditor):  # noqa: F811
    before = {p: folder_hashes(p) for p in (years.ws1, years.ws2)}
    ws_cmp = compare(load_workspace_side(years.ws1, PASSPHRASE), load_workspace_side(years.ws2, YEAR2_PASS))
    _expect_exactly_the_changes(ws_cmp, years)
    bundle = load_bundle_side(years.bundle1, signer=signer.public_path, identity=auditor.identity_path)
    mixed = compare(bundle, load_workspace_side(years.ws2, YEAR2_PASS))
    _expect_exactly_the_changes(mixed, years)
    assert mixed.same_signer is None  # a workspace is not signed
    assert {p: folder_hashes(p) for p in (years.ws1, years.ws2)} == before


def test_cli_text_json_and_workbook(years, signer, auditor, tmp_path):  # noqa: F811
    keys = ["--signer", str(signer.public_path), "--identity", str(auditor.identity_path)]
    out = tmp_path / "変更点.xlsx"
    r = run_cli("--lang", "ja", "diff", str(years.bundle1), str(years.bundle2), *keys, "--xlsx", str(out))
    assert r.code == 0, r.err
    assert "回答: 新規 0、変更 5、削除 0" in r.out and "差し替え 1" in r.out
    for item_id in years.changed:
        assert f"[変更] {item_id} " in r.out
    assert f"[変更] {years.cert_item} " in r.out
    assert "ISMS登録証-2026.pdf" in r.out and "ISMS登録証-2027.pdf" in r.out
    headings = [line for line in r.out.splitlines() if line.startswith("[")]
    assert len(headings) == 6 and all(line.startswith("[変更] ") for line in headings)

    r = run_cli("--lang", "en", "diff", str(years.bundle1), str(years.bundle2), *keys)
    assert "answers: 0 new, 5 changed, 0 removed" in r.out and "replaced" in r.out

    r = run_cli("diff", str(years.bundle1), str(years.bundle2), *keys, "--json")
    doc = json.loads(r.out)
    assert doc["format"] == "ccus-attest/comparison/v1" and doc["same_signer"] is True
    changed = sorted(i["item_id"] for i in doc["items"] if i["answer"]["state"] == "changed")
    assert changed == sorted(years.changed)
    files = [e for i in doc["items"] for e in i["evidence"]]
    assert [(e["state"], e["old"]["sha256"], e["new"]["sha256"]) for e in files] == [
        ("replaced", years.cert_old_sha, years.cert_new_sha)]
    assert doc["summary"]["answers"]["changed"] == 5 and doc["old"]["kind"] == "bundle"

    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == SHEET_CHANGES and SHEET_SUMMARY in wb.sheetnames
    sheet = wb[SHEET_CHANGES]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=FIRST_DATA_ROW) if row[0].value]
    assert {r[0] for r in rows} == {*years.changed, years.cert_item}
    for row in rows:
        if row[0] in years.changed:
            assert (row[3], row[4], row[5], row[6]) == ("変更", "回答", *years.changed[row[0]])
    assert sheet.freeze_panes == f"B{FIRST_DATA_ROW}" and sheet.auto_filter.ref.startswith(f"A{HEADER_ROW}:")
    assert sheet.protection.sheet and sheet.page_setup.orientation == "landscape"
    ev = [[c.value for c in row] for row in wb[SHEET_EVIDENCE].iter_rows(min_row=FIRST_DATA_ROW)
          if row[0].value]
    assert len(ev) == 1 and ev[0][1] == "差し替え" and (ev[0][6], ev[0][10]) == (years.cert_old_sha,
                                                                              years.cert_new_sha)
    assert wb[SHEET_ACTIONS][f"A{FIRST_DATA_ROW}"].value.startswith("是正処置はありません")

    # a workspace on one side: its passphrase from the file
    pw = tmp_path / "pw"
    pw.write_text(YEAR2_PASS + "\n", encoding="utf-8")
    r = run_cli("diff", str(years.bundle1), str(years.ws2), *keys, "--passphrase-file", str(pw), "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["summary"]["answers"]["changed"] == 5


def test_cli_bad_input_is_one_line_and_writes_nothing(years, signer, auditor, other_auditor, tmp_path):  # noqa: F811
    keys = ["--signer", str(signer.public_path), "--identity", str(auditor.identity_path)]
    out = tmp_path / "out.xlsx"
    tampered = tmp_path / "tampered.zip"
    data = bytearray(years.bundle2.read_bytes())
    data[len(data) // 2] ^= 1
    tampered.write_bytes(bytes(data))
    opened = tmp_path / "opened"
    opened.mkdir()
    (opened / "answers.json").write_text("{}", encoding="utf-8")
    cases = [
        (["diff", str(years.bundle1), str(tampered), *keys, "--xlsx", str(out)], "did not verify"),
        (["diff", str(years.bundle1), str(years.bundle2), "--signer", str(signer.public_path), "--identity",
          str(other_auditor.identity_path), "--xlsx", str(out)], "did not verify"),
        (["diff", str(years.bundle1), str(years.bundle2), "--signer", str(signer.public_path)], "--identity"),
        (["diff", str(years.bundle1), str(tmp_path / "missing.zip"), *keys], "no such file"),
        (["diff", str(years.bundle1), str(opened), *keys], "opened bundle folder"),
        (["diff", str(years.bundle1), str(years.bundle2), *keys, "--xlsx", str(tmp_path / "x.csv")], ".xlsx"),
    ]
    for argv, expected in cases:
        r = run_cli(*argv)
        assert r.code == 1 and r.err.count("\n") == 1 and expected in r.err, (argv, r.err)
        assert r.out == "" and not out.exists()
    r = run_cli("diff", str(years.bundle1), str(years.ws2), *keys, passphrase="wrong passphrase")
    assert r.code == 1 and r.err.count("\n") == 1
    out.write_bytes(b"keep me")
    r = run_cli("diff", str(years.bundle1), str(years.bundle2), *keys, "--xlsx", str(out))
    assert r.code == 1 and "already exists" in r.err and out.read_bytes() == b"keep me"


def test_a_bundle_that_fails_verification_is_never_compared(years, signer, other_auditor):  # noqa: F811
    with pytest.raises(SideNotVerified, match="did not verify") as caught:
        load_bundle_side(years.bundle1, signer=signer.public_path, identity=other_auditor.identity_path)
    assert caught.value.report.check("decrypt").ok is False


# --- the parts, on real submissions -------------------------------------------------------------


def _info(i: str, sha: str, name: str = "a.pdf", kind: str = "certificate", expires=None, item="CERT-02"):
    return EvidenceInfo(i, item, kind, name, 10, sha * 64, expires=expires)


def test_evidence_pairs_by_content_then_id_then_kind_and_name():
    old = [_info("e1", "a"), _info("e2", "b", "policy.pdf", "policy"), _info("e3", "c", "log.txt", "log"),
           _info("e4", "d", "x.pdf", "policy")]
    new = [_info("e9", "a", "renamed.pdf"),                           # same bytes, another name
           _info("e2", "e", "policy-v2.pdf", "policy"),               # same ID: a replacement
           _info("e8", "f", "x.pdf", "policy"),                       # same kind and name
           _info("e7", "g", "new.pdf", "other")]                      # nothing to pair with
    got = {(c.state, c.old.id if c.old else None, c.new.id if c.new else None)
           for c in compare_evidence("CERT-02", old, new)}
    assert got == {(EvidenceState.DETAILS, "e1", "e9"), (EvidenceState.REPLACED, "e2", "e2"),
                   (EvidenceState.REPLACED, "e4", "e8"), (EvidenceState.REMOVED, "e3", None),
                   (EvidenceState.ADDED, None, "e7")}
    same = compare_evidence("CERT-02", [_info("e1", "a")], [_info("e1", "a")])
    assert [c.state for c in same] == [EvidenceState.UNCHANGED]
    moved_expiry = compare_evidence("CERT-02", [_info("e1", "a")],
                                    [_info("e1", "a", expires=dt.date(2030, 1, 1))])
    assert [(c.state, c.fields) for c in moved_expiry] == [(EvidenceState.DETAILS, ("expires",))]


def test_evidence_pairing_at_the_largest_legal_size_is_correct():
    # one item, 20,000 files of one kind and name: every one replaced, half of them copied twice
    n = 20_000
    old = [_info(f"o{i}", "a", "same.pdf") for i in range(n)]
    old = [EvidenceInfo(e.id, e.item_id, e.kind, e.filename, 1, f"{i:064x}") for i, e in enumerate(old)]
    new = [EvidenceInfo(f"n{i}", "CERT-02", "certificate", "same.pdf", 1, f"{i + n:064x}") for i in range(n)]
    got = compare_evidence("CERT-02", old, new)
    assert len(got) == n and {c.state for c in got} == {EvidenceState.REPLACED}
    assert [c.old.id for c in got[:3]] == ["o0", "o1", "o2"]
    twice = old + old
    got = compare_evidence("CERT-02", twice, old)
    assert [c.state for c in got].count(EvidenceState.UNCHANGED) == n
    assert [c.state for c in got].count(EvidenceState.REMOVED) == n


def test_corrective_actions_by_id():
    old = [ActionRecord("CA-1", "AGR-01", "minor", "open"),
           ActionRecord("CA-2", "TEC-01", "major", "in_progress"),
           ActionRecord("CA-3", "TEC-03", "observation", "done"), ActionRecord("CA-4", status="open")]
    new = [ActionRecord("CA-1", "AGR-01", "minor", "done"),
           ActionRecord("CA-2", "TEC-01", "major", "verified"),
           ActionRecord("CA-3", "TEC-03", "observation", "open"),
           ActionRecord("CA-5", "CERT-02", "minor", "open", due=dt.date(2027, 6, 30))]
    got = {a.id: a.state for a in compare_actions(old, new)}
    assert got == {"CA-1": ActionState.CLOSED, "CA-2": ActionState.CLOSED, "CA-3": ActionState.REOPENED,
                   "CA-5": ActionState.OPENED, "CA-4": ActionState.REMOVED}
    assert ActionRecord.from_dict({"id": 7, "item": "AGR-01", "finding": {"ja": "未整備", "en": "missing"},
                                   "due": "2027-01-31", "status": "in_progress"}) == ActionRecord(
        "7", "AGR-01", "", "in_progress", dt.date(2027, 1, 31), "", "未整備")
    with pytest.raises(ValueError):
        ActionRecord.from_dict({"status": "open"})


def test_action_readers_give_a_side_its_actions(tmp_path, mini_ws, monkeypatch):
    monkeypatch.setattr(comparison_sources, "ACTION_READERS", [
        lambda source: [{"id": "CA-1", "item_id": "AGR-01", "status": "done"}]
        if isinstance(source, Workspace) else None])
    side = side_from_workspace(mini_ws)
    assert side.actions == (ActionRecord("CA-1", "AGR-01", status="done"),)
    before = Side(mini_ws.submission(), "workspace", actions=(ActionRecord("CA-1", "AGR-01", status="open"),))
    cmp = compare(before, side)
    assert [(a.id, a.state) for a in cmp.actions] == [("CA-1", ActionState.CLOSED)]
    assert cmp.counts()["actions_closed"] == 1


def test_template_upgrade_new_removed_and_reworded_items(tmp_path, mini_template):
    v2 = load_template_file(FIXTURES / "templates" / "mini-v0.2.yaml")
    with Workspace.create(tmp_path / "a", PASSPHRASE, template=mini_template, kdf=FAST_KDF) as a, \
            Workspace.create(tmp_path / "b", PASSPHRASE, template=v2, kdf=FAST_KDF) as b:
        cmp = compare(side_from_workspace(a), side_from_workspace(b))
    added = {i.id for i in v2.items} - {i.id for i in mini_template.items}
    removed = {i.id for i in mini_template.items} - {i.id for i in v2.items}
    assert added and removed
    assert set(cmp.items_where("state", State.ADDED)) == added
    assert set(cmp.items_where("state", State.REMOVED)) == removed
    reworded = [c for c in cmp.items if c.old_item and c.new_item and c.question_changed]
    assert reworded and all(c.state is State.CHANGED and "question" in c.reasons for c in reworded)
    # the removed questions come last, in the old template's order
    assert [c.item_id for c in cmp.items][-len(removed):] == [i.id for i in mini_template.items
                                                              if i.id in removed]
    path = tmp_path / "t.xlsx"
    write_comparison(cmp, path)
    sheet = openpyxl.load_workbook(path)["テンプレートの変更"]
    assert sheet.max_row - HEADER_ROW == len(cmp.template.changes)


def test_vendor_text_stays_text_in_the_workbook(tmp_path, mini_ws):
    before = side_from_workspace(mini_ws)
    mini_ws.set_answer("TEC-05", '=HYPERLINK("http://x","y")')
    mini_ws.set_answer("AGR-01", "yes", note="=1+1")
    after = side_from_workspace(mini_ws)
    path = tmp_path / "f.xlsx"
    write_comparison(compare(before, after), path)
    sheet = openpyxl.load_workbook(path)[SHEET_CHANGES]
    cells = [c for row in sheet.iter_rows(min_row=FIRST_DATA_ROW) for c in row]
    assert {"=1+1", '=HYPERLINK("http://x","y")'} <= {c.value for c in cells}
    assert all(c.data_type != "f" for c in cells)


def test_the_core_imports_without_qt():
    import subprocess
    import sys

    code = ("import sys; sys.modules['PySide6'] = None\n"
            "import questionnaire.comparison, exports.comparison_sources, exports.comparison_xlsx, "
            "exports.comparison_text")
    assert subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parent.parent,
                          check=False).returncode == 0


def test_the_auditors_checklist_gets_a_change_column_and_still_imports(years, signer, auditor, tmp_path):  # noqa: F811
    from exports.checklist import write_checklist
    from exports.checklist_changes import CHANGE_COLUMN, CHANGE_HEADER
    from exports.review import read_review

    old = load_bundle_side(years.bundle1, signer=signer.public_path, identity=auditor.identity_path)
    new = load_bundle_side(years.bundle2, signer=signer.public_path, identity=auditor.identity_path)
    cmp = compare(old, new)
    path = tmp_path / "checklist.xlsx"
    write_checklist(new.submission, path, changes=cmp)
    sheet = openpyxl.load_workbook(path)["チェックリスト"]
    assert sheet.cell(row=HEADER_ROW, column=CHANGE_COLUMN).value == CHANGE_HEADER
    said = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=CHANGE_COLUMN).value
            for r in range(FIRST_DATA_ROW, sheet.max_row + 1)}
    assert {k for k, v in said.items() if v and v != "変更なし" and k in cmp._by_id} == {*years.changed,
                                                                                         years.cert_item}
    assert all(said[i] == "変更（回答）" for i in years.changed) and said[years.cert_item] == "変更（証跡）"
    assert sheet.auto_filter.ref.endswith(f"{openpyxl.utils.get_column_letter(CHANGE_COLUMN)}{sheet.max_row}")
    # the reviewer columns read back as before: the extra column changes nothing for the import
    review = read_review(new.submission, path)
    assert review.problems == () and review.findings == ()


def test_cli_checklist_of_an_opened_bundle_with_the_previous_one(years, signer, auditor, tmp_path):  # noqa: F811
    from exports.checklist_changes import CHANGE_COLUMN, CHANGE_HEADER

    keys = ["--signer", str(signer.public_path), "--identity", str(auditor.identity_path)]
    folder = tmp_path / "opened"
    r = run_cli("open", str(years.bundle2), *keys, "--out", str(folder))
    assert r.code == 0, r.err
    out = tmp_path / "checklist.xlsx"
    r = run_cli("checklist", str(folder), "--out", str(out), "--previous", str(years.bundle1), *keys)
    assert r.code == 0, r.err
    sheet = openpyxl.load_workbook(out)["チェックリスト"]
    assert sheet.cell(row=HEADER_ROW, column=CHANGE_COLUMN).value == CHANGE_HEADER
    said = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=CHANGE_COLUMN).value
            for r in range(FIRST_DATA_ROW, sheet.max_row + 1)}
    assert all(said[i] == "変更（回答）" for i in years.changed) and said[years.cert_item] == "変更（証跡）"
    r = run_cli("checklist", str(folder), "--out", str(tmp_path / "b.xlsx"), "--previous", str(years.bundle1))
    assert r.code == 1 and r.err.count("\n") == 1 and "--signer" in r.err


def test_corrective_actions_of_two_real_bundles(tmp_path, mini_template, signer, auditor):  # noqa: F811
    """The auditor's three findings on year 1 become the vendor's actions; two are done by the
    next export: the comparison names three new actions, two closed and one open."""
    from questionnaire.review import Finding, Review, Verdict
    from storage.actions import actions, update_action
    from storage.reviews import save_review

    from .bundle_support import MINI, fill_complete

    with Workspace.create(tmp_path / "ws", PASSPHRASE, vendor="テスト建設システム株式会社",
                          template=mini_template, kdf=FAST_KDF) as ws:
        fill_complete(ws, tmp_path / "src")
        first = tmp_path / "1.zip"
        export_bundle(ws, first, signing_key=signer.key, recipients=[auditor.recipient])
        sid = load_bundle_side(first, signer=signer.public_path, identity=auditor.identity_path,
                               templates=MINI).submission.submission_id
        t = ws.template
        save_review(ws, Review(sid, t.id, t.version, t.digest, "2026-12-01T00:00:00Z", findings=tuple(
            Finding(i, Verdict.NONCONFORMING, f"{i} の指摘") for i in ("AGR-01", "TEC-01", "TEC-03"))))
        made = {a.item_id: a.id for a in actions(ws)}
        assert len(made) == 3
        for item_id in ("AGR-01", "TEC-01"):
            update_action(ws, made[item_id], status="done", note="是正済み")
        second = tmp_path / "2.zip"
        export_bundle(ws, second, signing_key=signer.key, recipients=[auditor.recipient],
                      allow_incomplete=True)
        update_action(ws, made["TEC-03"], status="done")
        now = side_from_workspace(ws)
    old = load_bundle_side(first, signer=signer.public_path, identity=auditor.identity_path, templates=MINI)
    new = load_bundle_side(second, signer=signer.public_path, identity=auditor.identity_path, templates=MINI)
    cmp = compare(old, new)
    assert [(a.id, a.state) for a in cmp.actions] == [(made[i], ActionState.OPENED)
                                                      for i in ("AGR-01", "TEC-01", "TEC-03")]
    counts = cmp.counts()
    assert (counts["actions_closed"], counts["actions_open"]) == (2, 1)
    later = compare(new, now)   # the bundle against the workspace as it is now: the third one done
    assert [(a.id, a.state) for a in later.action_changes] == [(made["TEC-03"], ActionState.CLOSED)]
    assert "完了" in "\n".join(report_lines(later))
