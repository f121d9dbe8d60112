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
from questionnaire.completeness import Outcome

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
    assert "区分別の状態" in text and "提出を妨げる問題" in text
    assert "証跡の有効期限が切れています" in text                 # CERT-03's blocker
    assert "2026年10月31日（期限切れ）" in flat
    cert03 = [e for e in sub.evidence if e.item_id == "CERT-03"]
    assert f"{cert03[0].sha256[:16]}…" in text                  # evidence listed with its short hash
    assert "署名前" in text                                     # made from a workspace, not signed


def test_every_font_is_embedded(report):
    """pdffonts lists only embedded (subset) fonts: the Japanese font, and nothing else — no
    standard Helvetica from a canvas default, no CID fallback beside an embedded font."""
    rows = pdf_fonts(report)
    assert rows and all("IPAex" in r[0] or "Gothic" in r[0] for r in rows), rows
    for row in rows:
        emb, sub_, uni = row[-5:-2]
        assert (emb, sub_, uni) == ("yes", "yes", "yes"), row
    assert not any(fonts.CID_FALLBACK in r[0] or r[0] == "Helvetica" for r in rows)


def test_every_font_is_embedded_with_a_review_and_no_evidence(sub, tmp_path):
    from questionnaire.review import Finding, Verdict

    out = tmp_path / "r.pdf"
    reviews = {"AGR-01": Finding("AGR-01", Verdict.CONFORMS, "確認済み", "監査 一郎", None)}
    write_report(replace(sub, evidence=(), extra={}), out, on=ON, reviews=reviews)
    rows = pdf_fonts(out)
    assert rows and all(r[-5] == "yes" for r in rows), rows


def test_times_and_dates_in_one_japanese_form(report, sub):
    cover = subprocess.run(["pdftotext", "-l", "1", str(report), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert "2026年11月25日 18:00 JST" in cover        # created 09:00Z is 18:00 in Japan
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} JST", cover.split("報告書作成")[1])
    text = pdf_text(report)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text.replace(sub.submission_id, ""))   # no ISO dates
    assert "2026年11月25日（有効期限・完了状況の判定日）" in text


def test_full_sha256_of_every_evidence_file_in_the_appendix(report, sub):
    flat = re.sub(r"\s+", "", pdf_text(report, "-raw"))
    appendix = flat[flat.index("付録証跡ファイルのSHA-256"):]
    for e in sub.evidence:
        assert e.sha256 in appendix, e.filename
        assert re.sub(r"\s+", "", sub.evidence_path(e)) in appendix


def test_no_is_never_drawn_as_conforming(default_ws, tmp_path):
    """Every status item answered いいえ: the outcome printed in its table is 不適合 or 要改善,
    and the totals count none of them as conforming."""
    from questionnaire import AnswerKind

    status_items = [i for i in default_ws.template.items if i.kind is AnswerKind.STATUS]
    default_ws.set_answers({i.id: {"value": "no", "note": "未対応。2027年3月までに対応予定"}
                            for i in status_items})
    items = [i for i in status_items if "no" not in (i.expected or ())]  # every one in 1.1.0
    assert len(status_items) - len(items) <= 1
    sub = default_ws.submission(created_at="2026-11-25T09:00:00Z")
    a = sub.assess(ON)
    out = tmp_path / "no.pdf"
    write_report(sub, out, on=ON)
    raw = pdf_text(out, "-raw")
    details = raw[raw.index("回答の詳細"):]
    for item in items:
        if not a.items[item.id].visible:
            continue
        start = re.search(rf"[\n\f]{item.id} ", details).start()   # \f: a new page
        segment = details[start: details.index("\n回答 ", start)]
        labels = [line.strip() for line in segment.splitlines()]
        assert "適合" not in labels, (item.id, labels)
        assert {"不適合", "要改善"} & set(labels), (item.id, labels)
    conforming = a.count(Outcome.CONFORMING)
    assert conforming == sum(1 for st in a.items.values() if st.outcome is Outcome.CONFORMING
                             and st.item not in items)
    total = next(line for line in pdf_text(out).splitlines() if line.strip().startswith("合計"))
    assert [int(n) for n in total.split()[1:3]] == [a.total.shown, conforming]


def test_wrong_kind_of_evidence_is_named_in_japanese(default_ws, tmp_path):
    from storage import EvidenceMeta

    policy = tmp_path / "方針.pdf"
    policy.write_bytes(b"policy")
    default_ws.set_answers({"CERT-01": "isms", "CERT-03": "IS 1"})
    default_ws.add_evidence("CERT-03", policy, EvidenceMeta("policy", title="方針"))
    out = tmp_path / "kind.pdf"
    write_report(default_ws.submission(created_at="2026-11-25T09:00:00Z"), out, on=ON)
    flat = re.sub(r"\s+", "", pdf_text(out, "-raw"))
    assert ("添付された証跡はこの設問に必要な種類ではありません"
            "（添付されているのは規程・方針文書、必要なのは認証登録証）") in flat
    assert "証跡が添付されていません" not in flat[flat.index("CERT-03"):flat.index("CERT-04")]
    assert "(policy" not in flat and "certificate)" not in flat


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
