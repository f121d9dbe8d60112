"""Issue 12: an opened bundle judged against a template the auditor supplied (``--template
FILE``) says so in every output made from it — the CLI line, the xlsx summary sheet (read
back with openpyxl) and the PDF cover (pdftotext) — and an official one says nothing of it."""

from __future__ import annotations

import subprocess

import openpyxl
import pytest

from exports.checklist_columns import SHEET_SUMMARY
from storage import Workspace

from .bundle_support import fill_complete
from .conftest import FAST_KDF, FIXTURES, PASSPHRASE, run_cli
from .samples import make_filled_workspace, write_opened_folder

MINI = FIXTURES / "templates" / "mini.yaml"   # not a template the app ships


@pytest.fixture(scope="module")
def unofficial_folder(tmp_path_factory, mini_template):
    root = tmp_path_factory.mktemp("unofficial")
    with Workspace.create(root / "ws", PASSPHRASE, vendor="株式会社サンプル", template=mini_template,
                          kdf=FAST_KDF) as ws:
        fill_complete(ws, root / "sources")
        sub = ws.submission("7d0c-unofficial", "2026-11-25T09:00:00Z")
    return write_opened_folder(sub, root / "opened")


@pytest.fixture(scope="module")
def official_folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("official")
    path = make_filled_workspace(root / "ws", root / "scratch")
    with Workspace.open(path, PASSPHRASE) as ws:
        sub = ws.submission("7d0c-official", "2026-11-25T09:00:00Z")
    return write_opened_folder(sub, root / "opened")


def _summary_text(xlsx) -> str:
    wb = openpyxl.load_workbook(xlsx)
    ws = wb[SHEET_SUMMARY]
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


def _pdf_cover(pdf) -> str:
    out = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return " ".join(out.split())


def test_checklist_and_report_of_an_unofficial_template_say_so(unofficial_folder, tmp_path):
    xlsx, pdf = tmp_path / "c.xlsx", tmp_path / "r.pdf"
    for lang in ("ja", "en"):
        r = run_cli("--lang", lang, "checklist", str(unofficial_folder), "--template", str(MINI),
                    "--out", str(xlsx), "--force", passphrase=None)
        assert r.code == 0, r.err
        assert ("非公式テンプレート" if lang == "ja" else "UNOFFICIAL TEMPLATE") in r.out
    text = _summary_text(xlsx)
    # a banner row above everything else, both languages, naming the file the auditor supplied
    wb = openpyxl.load_workbook(xlsx)
    summary = wb[SHEET_SUMMARY]
    banner = next(c.value for row in summary.iter_rows(max_row=8) for c in row
                  if isinstance(c.value, str) and c.value.startswith("非公式テンプレート"))
    assert "UNOFFICIAL TEMPLATE" in banner and str(MINI) in banner
    assert text.index("非公式テンプレート") < text.index("基本情報")
    r = run_cli("report", str(unofficial_folder), "--template", str(MINI), "--out", str(pdf),
                passphrase=None)
    assert r.code == 0, r.err
    cover = _pdf_cover(pdf)
    assert "非公式テンプレート" in cover and "UNOFFICIAL TEMPLATE" in cover, cover
    assert "which the auditor supplied" in cover


def test_an_official_template_carries_no_such_mark(official_folder, tmp_path):
    xlsx, pdf = tmp_path / "c.xlsx", tmp_path / "r.pdf"
    r = run_cli("checklist", str(official_folder), "--out", str(xlsx), passphrase=None)
    assert r.code == 0, r.err
    r2 = run_cli("report", str(official_folder), "--out", str(pdf), passphrase=None)
    assert r2.code == 0, r2.err
    assert "UNOFFICIAL" not in r.out + r2.out
    assert "非公式" not in _summary_text(xlsx) and "UNOFFICIAL" not in _summary_text(xlsx)
    cover = _pdf_cover(pdf)
    assert "非公式" not in cover and "UNOFFICIAL" not in cover
