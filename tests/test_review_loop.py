"""The review loop from the vendor's side, end to end through the CLI with real keys: the
vendor exports a signed bundle (its own submission ID), the auditor opens it and fills in
the checklist, the vendor imports the reviewed workbook into the workspace, and the next
checklist and report show the auditor's verdicts and findings. Also: the report's totals
are `status --json`'s, and a workbook with no reviewer entries is refused."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess

import openpyxl
import pytest

from exports.checklist_columns import COLUMN_INDEX, FIRST_DATA_ROW, SHEET_CHECKLIST, SHEET_REVIEW
from storage import Workspace
from storage.reviews import current_review, stored_reviews

from .conftest import PASSPHRASE, run_cli
from .samples import fill_review, item_rows, make_filled_workspace
from .test_cli import assert_one_line_error

pytestmark = pytest.mark.tools

SIGN = {"CCUS_ATTEST_SIGNING_PASSPHRASE": "review loop signing passphrase"}
REVIEW = {
    "AGR-01": {"verdict": "適合", "reviewer": "監査 一郎", "reviewed_on": dt.date(2026, 12, 1)},
    "TEC-05": {"verdict": "不適合", "finding": "VPN の多要素認証が未導入。是正計画の提出を求める。",
               "reviewer": "監査 一郎", "reviewed_on": dt.date(2026, 12, 2)},
    "GOV-08": {"verdict": "要確認", "finding": "運用部門の内部監査の結果を確認したい"},
}


def pdf_text(path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    """A filled workspace, its exported bundle opened by the auditor, and the auditor's
    reviewed copy of the bundle's checklist."""
    root = tmp_path_factory.mktemp("loop")
    keys = root / "keys"
    keys.mkdir()
    assert run_cli("keygen", "signing", "--out", str(keys / "vendor"), passphrase=None, env=SIGN).code == 0
    assert run_cli("keygen", "recipient", "--out", str(keys / "auditor"), passphrase=None).code == 0
    ws = make_filled_workspace(root / "ws", root / "scratch")
    bundle = root / "submission.zip"
    r = run_cli("export", str(ws), "--out", str(bundle), "--sign-key", str(keys / "vendor.key"),
                "--to", str(keys / "auditor.age-recipient"), "--allow-incomplete", env=SIGN)
    assert r.code == 0, r.err
    opened = root / "opened"
    r = run_cli("open", str(bundle), "--signer", str(keys / "vendor.pub"), "--identity",
                str(keys / "auditor.age-identity"), "--out", str(opened), passphrase=None)
    assert r.code == 0, r.err
    blank = root / "bundle-checklist.xlsx"
    assert run_cli("checklist", str(opened), "--out", str(blank), passphrase=None).code == 0
    reviewed = fill_review(blank, root / "reviewed.xlsx", REVIEW)
    bundle_id = json.loads((opened / "answers.json").read_text("utf-8"))["submission_id"]
    return ws, blank, reviewed, bundle_id


def test_the_auditors_review_of_a_bundle_shows_in_the_next_checklist_and_report(loop, tmp_path):
    ws, _blank, reviewed, bundle_id = loop
    with Workspace.open(ws, PASSPHRASE) as w:
        assert bundle_id != w.id   # the auditor reviewed the bundle's ID, not the workspace's
    r = run_cli("import-review", str(ws), str(reviewed))
    assert r.code == 0, r.err
    assert "3 findings" in r.out and "stored in" in r.out
    # the vendor then reworks one item the auditor asked about
    r = run_cli("answer", str(ws), "GOV-08", "はい", "--note", "運用部門の内部監査を2027年1月に実施済み")
    assert r.code == 0, r.err
    with Workspace.open(ws, PASSPHRASE) as w:
        stored = current_review(w)
        assert stored is not None and stored.review.submission_id == bundle_id

    xlsx = tmp_path / "next.xlsx"
    r = run_cli("checklist", str(ws), "--out", str(xlsx), "--on", "2026-12-10")
    assert r.code == 0 and "3 findings" in r.out, (r.out, r.err)
    book = openpyxl.load_workbook(xlsx)
    sheet = book[SHEET_CHECKLIST]
    rows = item_rows(sheet)

    def reviewer_cells(item_id):
        return [sheet.cell(rows[item_id], COLUMN_INDEX[k]).value
                for k in ("verdict", "finding", "reviewer", "reviewed_on")]

    assert reviewer_cells("TEC-05") == ["不適合", REVIEW["TEC-05"]["finding"], "監査 一郎",
                                        dt.datetime(2026, 12, 2)]
    assert reviewer_cells("AGR-01") == ["適合", None, "監査 一郎", dt.datetime(2026, 12, 1)]
    # GOV-08 changed after the review: its verdict is not put beside the new answer...
    assert reviewer_cells("GOV-08") == [None, None, None, None]
    # ...but every finding is listed, the changed one marked for re-checking
    listed = {row[0]: row for row in book[SHEET_REVIEW].iter_rows(min_row=FIRST_DATA_ROW, values_only=True)}
    assert set(listed) == {"AGR-01", "TEC-05", "GOV-08"}
    assert listed["GOV-08"][1] == "要確認" and listed["GOV-08"][5].startswith("変更あり")
    assert listed["TEC-05"][5] == "なし"
    heading = [c for row in book[SHEET_REVIEW].iter_rows(max_row=3, values_only=True) for c in row if c]
    assert any(bundle_id in str(c) for c in heading)

    pdf = tmp_path / "next.pdf"
    r = run_cli("report", str(ws), "--out", str(pdf), "--on", "2026-12-10")
    assert r.code == 0, r.err
    flat = re.sub(r"\s+", "", pdf_text(pdf, "-raw"))
    # a 判定 / 指摘事項 line in each reviewed item's table
    for item_id, entry in REVIEW.items():
        block = flat[flat.index(item_id + _question_start(ws, item_id)):]
        block = block[: block.index("根拠") + 200]
        assert f"判定{entry['verdict']}" in block, item_id
        assert "指摘事項" in block, item_id
    assert re.sub(r"\s+", "", REVIEW["TEC-05"]["finding"]) in flat
    assert "監査一郎、2026年12月2日" in flat
    assert "再確認が必要" in flat              # GOV-08's finding predates the new answer
    assert "監査側の確認結果" in flat and bundle_id in flat


def _question_start(ws, item_id: str) -> str:
    with Workspace.open(ws, PASSPHRASE) as w:
        return re.sub(r"\s+", "", w.template.item(item_id).text.ja)[:8]


def test_a_workbook_without_reviewer_entries_is_refused(loop, tmp_path):
    ws, *_ = loop
    blank = tmp_path / "blank.xlsx"
    assert run_cli("checklist", str(ws), "--out", str(blank), "--no-review").code == 0
    with Workspace.open(ws, PASSPHRASE) as w:
        before = len(stored_reviews(w))
    r = run_cli("import-review", str(ws), str(blank))
    assert_one_line_error(r, "no reviewer entries", "nothing was imported")
    with Workspace.open(ws, PASSPHRASE) as w:
        assert len(stored_reviews(w)) == before


def test_report_totals_equal_status_json(loop, tmp_path):
    ws, *_ = loop
    r = run_cli("status", str(ws), "--json", "--on", "2026-11-25")
    assert r.code == 0, r.err
    status = json.loads(r.out)
    pdf = tmp_path / "r.pdf"
    assert run_cli("report", str(ws), "--out", str(pdf), "--on", "2026-11-25", "--no-review").code == 0
    text = pdf_text(pdf, "-layout")
    keys = ("conforming", "needs_improvement", "non_conforming", "unanswered", "optional")

    def numbers(line: str) -> list[int]:
        return [int(n) for n in re.findall(r"(?<![\d.])\d+(?![\d.%])", line)]

    total = next(line for line in text.splitlines() if line.strip().startswith("合計"))
    o = status["overall"]
    assert numbers(total)[:8] == [o["shown"], *(o["outcomes"][k] for k in keys), o["required"], o["complete"]]
    flat = re.sub(r"\s+", "", text)
    assert f"{o['ratio']:.0%}不適合" in flat   # the total's ratio, and its state: not green
    for section in status["sections"]:
        line = next(line for line in text.splitlines() if line.strip().startswith(section["id"] + " "))
        assert numbers(line)[:8] == [section["shown"], *(section["outcomes"][k] for k in keys),
                                     section["required"], section["complete"]], section["id"]
    cover = pdf_text(pdf, "-l", "1")
    assert f"必須 {o['required']} 項目中 {o['complete']} 項目が完了" in cover
    counts = " ".join(cover.split())
    assert f"適合 {o['outcomes']['conforming']}・要改善 {o['outcomes']['needs_improvement']}" in counts
