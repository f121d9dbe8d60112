"""checklist / report / import-review as a user runs them, on a workspace and on an opened bundle."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import openpyxl
import pytest

from exports.checklist_columns import COLUMN_INDEX, SHEET_CHECKLIST, SHEET_SUMMARY
from exports.review import load_review_json
from questionnaire import default_template
from storage import Workspace
from storage.reviews import stored_reviews

from .conftest import FIXTURES, PASSPHRASE, run_cli
from .samples import SIGNER, fill_review, item_rows, make_filled_workspace, write_opened_folder
from .test_cli import assert_one_line_error

# The opened folder is of the mini test template, which is not an official one: the auditor
# accepts it explicitly.
TEMPLATE = ("--template", str(FIXTURES / "templates" / "mini.yaml"))
REVIEW = {
    "AGR-01": {"verdict": "適合", "reviewer": "監査 一郎", "reviewed_on": dt.date(2026, 12, 1)},
    "TEC-05": {"verdict": "不適合", "finding": "VPN の多要素認証が未導入", "reviewer": "監査 一郎"},
}


@pytest.fixture(scope="module")
def template_ws(tmp_path_factory):
    root = tmp_path_factory.mktemp("filled")
    return make_filled_workspace(root / "ws", root / "scratch")


@pytest.fixture
def ws_path(template_ws, tmp_path):
    path = tmp_path / "ws"
    shutil.copytree(template_ws, path)
    return path


@pytest.fixture
def opened(template_ws, tmp_path):
    with Workspace.open(template_ws, PASSPHRASE) as ws:
        sub = ws.submission("4f7c1c0e-bundle", "2026-11-25T09:00:00Z")
    return write_opened_folder(sub, tmp_path / "opened")


def test_checklist_and_report_from_a_workspace(ws_path, tmp_path):
    xlsx, pdf = tmp_path / "checklist.xlsx", tmp_path / "report.pdf"
    r = run_cli("checklist", str(ws_path), "--out", str(xlsx), "--on", "2026-11-25")
    assert r.code == 0, r.err
    assert f"{len(default_template().items)} items" in r.out
    before = xlsx.read_bytes()
    assert_one_line_error(run_cli("checklist", str(ws_path), "--out", str(xlsx)), "already exists", "--force")
    assert xlsx.read_bytes() == before
    assert run_cli("checklist", str(ws_path), "--out", str(xlsx), "--force").code == 0
    r = run_cli("report", str(ws_path), "--out", str(pdf), "--on", "2026-11-25")
    assert r.code == 0, r.err
    assert pdf.read_bytes().startswith(b"%PDF")
    with Workspace.open(ws_path, PASSPHRASE) as ws:
        actions = [e.action for e in ws.activity()]
    assert actions.count("checklist.exported") == 2 and actions.count("report.exported") == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["checklist.xlsx", "report.pdf"]


def test_review_round_trip_into_a_workspace(ws_path, tmp_path):
    xlsx = tmp_path / "checklist.xlsx"
    assert run_cli("checklist", str(ws_path), "--out", str(xlsx)).code == 0
    reviewed = fill_review(xlsx, tmp_path / "reviewed.xlsx", REVIEW)
    r = run_cli("import-review", str(ws_path), str(reviewed))
    assert r.code == 0, r.err
    assert "2 findings" in r.out and "stored in" in r.out
    with Workspace.open(ws_path, PASSPHRASE) as ws:
        [stored] = stored_reviews(ws)
        assert stored.review.findings_by_item()["TEC-05"].comment == "VPN の多要素認証が未導入"
    # the next checklist carries the findings forward for the next round
    again = tmp_path / "again.xlsx"
    assert run_cli("checklist", str(ws_path), "--out", str(again)).code == 0
    sheet = openpyxl.load_workbook(again)[SHEET_CHECKLIST]
    assert sheet.cell(item_rows(sheet)["TEC-05"], COLUMN_INDEX["verdict"]).value == "不適合"
    blank = tmp_path / "blank.xlsx"
    assert run_cli("checklist", str(ws_path), "--out", str(blank), "--no-review").code == 0
    sheet = openpyxl.load_workbook(blank)[SHEET_CHECKLIST]
    assert sheet.cell(item_rows(sheet)["TEC-05"], COLUMN_INDEX["verdict"]).value is None


def test_altered_cell_refuses_the_import_until_told(ws_path, tmp_path):
    xlsx = tmp_path / "checklist.xlsx"
    assert run_cli("checklist", str(ws_path), "--out", str(xlsx)).code == 0

    def edit(sheet, rows):
        sheet.cell(rows["TEC-05"], COLUMN_INDEX["answer"]).value = "はい"

    reviewed = fill_review(xlsx, tmp_path / "reviewed.xlsx", REVIEW, edit)
    r = run_cli("import-review", str(ws_path), str(reviewed), "--json")
    assert_one_line_error(r, "1 problem in", "nothing was imported", "--skip-problem-rows")
    out = json.loads(r.out)
    assert out["stored"] is False
    [problem] = out["review"]["problems"]
    assert (problem["kind"], problem["item_id"], problem["column"]) == ("cell_altered", "TEC-05", "回答")
    assert [f["item_id"] for f in out["review"]["findings"]] == ["AGR-01"]
    with Workspace.open(ws_path, PASSPHRASE) as ws:
        assert stored_reviews(ws) == []
    r = run_cli("import-review", str(ws_path), str(reviewed), "--skip-problem-rows")
    assert r.code == 0, r.err
    assert "回答" in r.out or "Answer" in r.out or "TEC-05" in r.out
    with Workspace.open(ws_path, PASSPHRASE) as ws:
        [stored] = stored_reviews(ws)
        assert list(stored.review.findings_by_item()) == ["AGR-01"]
        assert stored.review.problems[0].item_id == "TEC-05"


def test_opened_bundle_folder(opened, tmp_path):
    xlsx, pdf = tmp_path / "c.xlsx", tmp_path / "r.pdf"
    assert run_cli("checklist", str(opened), *TEMPLATE, "--out", str(xlsx), passphrase=None).code == 0
    summary = [c for row in openpyxl.load_workbook(xlsx)[SHEET_SUMMARY].iter_rows(values_only=True)
               for c in row]
    assert SIGNER in summary and "4f7c1c0e-bundle" in summary
    assert run_cli("report", str(opened), *TEMPLATE, "--out", str(pdf), passphrase=None).code == 0
    cover = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert SIGNER in cover

    reviewed = fill_review(xlsx, tmp_path / "reviewed.xlsx", REVIEW)
    r = run_cli("import-review", str(opened), *TEMPLATE, str(reviewed), "--dry-run", passphrase=None)
    assert r.code == 0 and "not stored" in r.out
    assert not (opened / "review.json").exists()
    r = run_cli("import-review", str(opened), *TEMPLATE, str(reviewed), "--json", passphrase=None)
    assert r.code == 0, r.err
    out = json.loads(r.out)
    assert out["stored"] is True and out["review"]["counts"]["nonconforming"] == 1
    stored = load_review_json(opened)
    assert stored.submission_id == "4f7c1c0e-bundle"
    assert stored.findings_by_item()["AGR-01"].reviewed_on == dt.date(2026, 12, 1)
    assert not [p for p in opened.iterdir() if p.name.endswith(".part")]
    # a re-export of the checklist carries the auditor's own findings forward
    again = tmp_path / "again.xlsx"
    assert run_cli("checklist", str(opened), *TEMPLATE, "--out", str(again), passphrase=None).code == 0
    sheet = openpyxl.load_workbook(again)[SHEET_CHECKLIST]
    assert sheet.cell(item_rows(sheet)["AGR-01"], COLUMN_INDEX["reviewer"]).value == "監査 一郎"
    (opened / "review.json").write_text('{"format": "ccus-attest/review/v1"}', "utf-8")
    r = run_cli("checklist", str(opened), *TEMPLATE, "--out", str(tmp_path / "x.xlsx"), passphrase=None)
    assert_one_line_error(r, "review.json", "--no-review")


def test_workbook_of_another_submission_is_refused(opened, ws_path, tmp_path):
    xlsx = tmp_path / "from-workspace.xlsx"
    assert run_cli("checklist", str(ws_path), "--out", str(xlsx)).code == 0
    reviewed = fill_review(xlsx, tmp_path / "reviewed.xlsx", REVIEW)
    r = run_cli("import-review", str(opened), *TEMPLATE, str(reviewed), passphrase=None)
    assert_one_line_error(r, "does not belong to this submission", "nothing was imported")
    assert "別の提出データ" in r.out or "another submission" in r.out
    assert not (opened / "review.json").exists()


def test_folder_problems_are_one_line_errors(opened, tmp_path):
    (opened / "manifest.json").unlink()
    assert run_cli("checklist", str(opened), *TEMPLATE, "--out", str(tmp_path / "a.xlsx"),
                   passphrase=None).code == 0
    (opened / "manifest.json").write_text('{"signer_key_id": "not a key"}', "utf-8")
    assert_one_line_error(run_cli("report", str(opened), *TEMPLATE, "--out", str(tmp_path / "b.pdf"),
                                  passphrase=None),
                          "signer_key_id")
    (opened / "manifest.json").write_text('{"submission_id": "another"}', "utf-8")
    assert_one_line_error(run_cli("report", str(opened), *TEMPLATE, "--out", str(tmp_path / "b.pdf"),
                                  passphrase=None),
                          "different submissions")
    (opened / "manifest.json").write_text("{", "utf-8")
    assert_one_line_error(run_cli("report", str(opened), *TEMPLATE, "--out", str(tmp_path / "b.pdf"),
                                  passphrase=None),
                          "manifest.json is malformed")
    assert_one_line_error(run_cli("report", str(tmp_path / "nowhere"), "--out", str(tmp_path / "c.pdf"),
                                  passphrase=None), "nowhere does not exist")
    (tmp_path / "a-file").write_bytes(b"x")
    assert_one_line_error(run_cli("report", str(tmp_path / "a-file"), "--out", str(tmp_path / "c.pdf"),
                                  passphrase=None), "is not a folder")
    empty = tmp_path / "empty"
    empty.mkdir()
    r = run_cli("checklist", str(empty), "--out", str(tmp_path / "d.xlsx"), passphrase=None)
    assert_one_line_error(r, "is not an opened submission")
    (opened / "manifest.json").unlink()
    hostile = tmp_path / "hostile.xlsx"
    hostile.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    assert_one_line_error(run_cli("import-review", str(opened), *TEMPLATE, str(hostile), passphrase=None),
                          "hostile.xlsx")
    assert not (tmp_path / "b.pdf").exists() and not (tmp_path / "c.pdf").exists()
