"""The PDF report, checked with poppler's own tools as a reader's viewer would see it."""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import replace

import pytest

from exports import fonts
from exports.report import write_report
from questionnaire import Answer, EvidenceInfo

from .samples import ON, SIGNER, VENDOR, filled_submission

pytestmark = pytest.mark.tools


def pdf_text(path, mode: str = "-layout") -> str:
    """``-layout`` keeps the page as seen; ``-raw`` keeps each paragraph's lines in order."""
    return subprocess.run(["pdftotext", mode, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_fonts(path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:]]


def pdf_info(path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


@pytest.fixture(scope="module")
def sub(tmp_path_factory):
    return filled_submission(tmp_path_factory.mktemp("filled"))


@pytest.fixture(scope="module")
def report(sub, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf") / "report.pdf"
    write_report(sub, out, on=ON)
    return out


def test_text_is_searchable_japanese_with_page_numbers(report, sub):
    text = pdf_text(report)
    pages = int(pdf_info(report)["Pages"])
    assert pages > 5
    assert f"1 / {pages} ページ" in text and f"{pages} / {pages} ページ" in text
    flat = re.sub(r"\s+", "", pdf_text(report, "-raw"))
    for item in sub.template.items:   # every question, in Japanese, however it wrapped
        assert re.sub(r"\s+", "", item.text.ja) in flat, item.id
    assert "回答報告書" in text and VENDOR in text and sub.submission_id in text
    assert "区分別の完了状況" in text and "提出を妨げる問題" in text
    assert "証跡の有効期限が切れています" in text                 # CERT-03's blocker
    assert "2026-10-31（期限切れ）" in flat
    cert03 = [e for e in sub.evidence if e.item_id == "CERT-03"]
    assert f"{cert03[0].sha256[:16]}…" in text                  # evidence listed with its short hash
    assert "署名前" in text                                     # made from a workspace, not signed


def test_japanese_font_is_embedded(report):
    rows = pdf_fonts(report)
    japanese = [r for r in rows if "IPAex" in r[0] or "Gothic" in r[0]]
    assert japanese, rows
    for row in japanese:
        emb, sub_, uni = row[-5:-2]
        assert (emb, sub_, uni) == ("yes", "yes", "yes"), row


def test_metadata(report, sub):
    info = pdf_info(report)
    assert info["Author"] == VENDOR
    assert "回答報告書" in info["Title"]
    assert sub.submission_id in info["Subject"] and sub.template.id in info["Subject"]
    assert info["Creator"] == "CCUS Attest"
    assert info["Page size"].endswith("(A4)")


def test_signer_on_the_cover_when_from_a_bundle(sub, tmp_path):
    out = io.BytesIO()
    write_report(replace(sub, signer_key_id=SIGNER, origin="bundle", extra={}), out, on=ON)
    path = tmp_path / "r.pdf"
    path.write_bytes(out.getvalue())
    first_page = subprocess.run(["pdftotext", "-l", "1", str(path), "-"], capture_output=True, text=True,
                                check=True).stdout
    assert SIGNER in first_page


def test_long_text_wraps_and_nothing_is_lost(sub, tmp_path):
    sentence = "委託先の監督状況を四半期ごとに確認し、結果を情報セキュリティ委員会に報告する。"
    long_answer = "".join(f"第{i}項：{sentence}" for i in range(1, 80))[:3990] + "【終】"
    long_note = "あ" * 7000 + "ノート末尾"      # no break opportunity but between characters
    answers = dict(sub.answers)
    answers["GOV-03"] = Answer(long_answer, long_note, None)
    name = "とても長いファイル名_" * 20 + ".pdf"
    evidence = (*sub.evidence, EvidenceInfo("f" * 32, "GOV-03", "policy", name, 10, "a" * 64))
    out = tmp_path / "long.pdf"
    write_report(replace(sub, answers=answers, evidence=evidence, extra={}), out, on=ON)
    flat = re.sub(r"\s+", "", pdf_text(out, "-raw"))
    assert "【終】" in flat and "ノート末尾" in flat
    assert flat.count("あ") >= 7000
    assert re.sub(r"\s+", "", name) in flat


def test_hostile_text_is_drawn_safely(sub, tmp_path):
    answers = dict(sub.answers)
    answers["GOV-03"] = Answer("<b>太字</b> &amp; \x00\x1b[31m \ud800 </para>", "&lt;script&gt;", None)
    out = tmp_path / "hostile.pdf"
    write_report(replace(sub, answers=answers, vendor="A&B <株式会社>\x07", extra={}), out, on=ON)
    text = pdf_text(out, "-raw")
    assert "<b>太字</b> &amp;" in text and "</para>" in text and "&lt;script&gt;" in text
    assert "A&B <株式会社>" in text


def test_fallback_cid_font_when_no_font_is_found(sub, tmp_path, monkeypatch):
    bogus = tmp_path / "broken.ttf"
    bogus.write_bytes(b"\0\1\0\0" + b"not a font" * 100)
    monkeypatch.setattr(fonts, "candidates", lambda: [(str(bogus), 0), (str(tmp_path / "missing.ttf"), 0)])
    fonts.forget_font()
    try:
        out = tmp_path / "fallback.pdf"
        write_report(sub, out, on=ON)
        rows = pdf_fonts(out)
        cid = [r for r in rows if r[0] == fonts.CID_FALLBACK]
        assert cid and cid[0][-5] == "no"            # named, not embedded
        assert not any("IPAex" in r[0] for r in rows)
        assert "ページ" in pdf_text(out)
    finally:
        fonts.forget_font()


def test_font_choice(tmp_path, monkeypatch):
    chosen = fonts.select_font(fonts.candidates())
    assert chosen.embedded and chosen.path
    # a user's choice comes first; unusable files are skipped
    monkeypatch.setenv(fonts.FONT_ENV, str(tmp_path / "nowhere.ttf"))
    assert fonts.candidates()[0] == (str(tmp_path / "nowhere.ttf"), 0)
    monkeypatch.setenv(fonts.FONT_ENV, f"{chosen.path}#0")
    assert fonts.candidates()[0] == (chosen.path, 0)
    assert fonts.select_font([(str(tmp_path / "nowhere.ttf"), 0), (chosen.path, 0)]).path == chosen.path
