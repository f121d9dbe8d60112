"""The headless CLI, run as a child process exactly as a user or a script would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storage import Workspace

from .conftest import FAST_KDF_ARGS, PASSPHRASE, run_cli


@pytest.fixture
def ws_path(tmp_path) -> Path:
    path = tmp_path / "ws"
    r = run_cli("init", str(path), "--vendor", "テスト株式会社", *FAST_KDF_ARGS)
    assert r.code == 0, r.err
    return path


def snapshot(folder: Path) -> list[tuple[Path, bytes]]:
    return sorted((p, p.read_bytes()) for p in folder.rglob("*")
                  if p.is_file() and p.name != "workspace.lock")


def assert_one_line_error(r, *fragments: str, code: int = 1) -> None:
    assert r.code == code, (r.code, r.out, r.err)
    lines = r.err.strip().splitlines()
    assert len(lines) == 1, r.err
    assert "Traceback" not in r.err
    for f in fragments:
        assert f in lines[0], lines[0]


def test_template_text_and_json():
    r = run_cli("template", passphrase=None)
    assert r.code == 0 and "CERT-01" in r.out
    r = run_cli("template", "--json", passphrase=None)
    data = json.loads(r.out)
    assert len(data["sections"]) >= 10
    assert sum(len(s["items"]) for s in data["sections"]) >= 45


def test_template_file_check(tmp_path):
    bad = tmp_path / "t.yaml"
    bad.write_text("schema: ccus-attest/template/v1\nid: x\n", encoding="utf-8")
    assert_one_line_error(run_cli("template", "--file", str(bad), passphrase=None), "t.yaml", "version")


def test_full_round_trip(ws_path, tmp_path):
    assert run_cli("answer", str(ws_path), "AGR-01", "はい").code == 0
    r = run_cli("answer", str(ws_path), "CERT-01", "isms")
    assert r.code == 0, r.err
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({
        "AGR-02": "yes",
        "CERT-03": {"value": "JQA-IM1234", "note": "本社のみ"},
    }, ensure_ascii=False), encoding="utf-8")
    r = run_cli("import-answers", str(ws_path), str(answers))
    assert r.code == 0, r.err
    cert = tmp_path / "ISMS登録証.pdf"
    cert.write_bytes(b"%PDF-1.4 certificate")
    r = run_cli("attach", str(ws_path), "CERT-03", str(cert), "--number", "IS 1234",
                "--issued", "2024-04-01", "--expires", "2026-12-01")
    assert r.code == 0, r.err
    r = run_cli("status", str(ws_path), "--json", "--on", "2026-11-25")
    assert r.code == 0, r.err
    status = json.loads(r.out)
    assert status["vendor"] == "テスト株式会社"
    assert status["overall"]["can_submit"] is False
    assert [e["filename"] for e in status["expiring_evidence"]] == ["ISMS登録証.pdf"]
    r = run_cli("status", str(ws_path), "--on", "2027-01-01")
    assert r.code == 0 and "evidence has expired" in r.out
    r = run_cli("evidence", str(ws_path), "--json")
    (ev,) = json.loads(r.out)
    out = tmp_path / "copy.pdf"
    assert run_cli("extract", str(ws_path), ev["id"], "--out", str(out)).code == 0
    assert out.read_bytes() == b"%PDF-1.4 certificate"
    assert run_cli("detach", str(ws_path), ev["id"]).code == 0
    r = run_cli("log", str(ws_path))
    assert r.code == 0 and "chain intact" in r.out and "evidence.removed" in r.out
    with Workspace.open(ws_path, PASSPHRASE) as ws:
        assert ws.answer("AGR-01").value == "yes"
        assert ws.answer("CERT-03").note == "本社のみ"
        assert ws.evidence() == []


def test_passphrase_sources_and_passwd(ws_path, tmp_path):
    pfile = tmp_path / "pass.txt"
    pfile.write_text(PASSPHRASE + "\n", encoding="utf-8")
    assert run_cli("status", str(ws_path), "--passphrase-file", str(pfile), passphrase=None).code == 0
    r = run_cli("status", str(ws_path), passphrase=None, stdin="")
    assert_one_line_error(r, "CCUS_ATTEST_PASSPHRASE")
    r = run_cli("passwd", str(ws_path), env={"CCUS_ATTEST_NEW_PASSPHRASE": "another passphrase"})
    assert r.code == 0, r.err
    assert_one_line_error(run_cli("status", str(ws_path)), "wrong passphrase")
    assert run_cli("status", str(ws_path), passphrase="another passphrase").code == 0


@pytest.mark.parametrize(("args", "fragments"), [
    (["answer", "{ws}", "NOPE-01", "はい"], ["unknown item ID 'NOPE-01'"]),
    (["answer", "{ws}", "CERT-05", "2026-02-30"], ["CERT-05", "not a real calendar date"]),
    (["answer", "{ws}", "AGR-01", "perhaps"], ["AGR-01", "not one of"]),
    (["answer", "{ws}", "AGR-01"], ["VALUE or --clear"]),
    (["attach", "{ws}", "CERT-03", "{tmp}/missing.pdf"], ["cannot read", "missing.pdf"]),
    (["attach", "{ws}", "CERT-03", "{tmp}/f.pdf", "--expires", "next year"], ["expiry date", "not a date"]),
    (["attach", "{ws}", "CERT-03", "{tmp}/f.pdf", "--kind", "selfie"], ["unknown evidence kind"]),
    (["status", "{tmp}"], ["is not a CCUS Attest workspace"]),
    (["status", "{tmp}/nothing-here"], ["not a CCUS Attest workspace"]),
    (["import-answers", "{ws}", "{tmp}/f.pdf"], ["not valid UTF-8 JSON"]),
    (["import-answers", "{ws}", "{tmp}/list.json"], ["JSON object"]),
    (["import-answers", "{ws}", "{tmp}/bad.json"], ["AGR-01", "unexpected JSON"]),
    (["detach", "{ws}", "deadbeef"], ["no evidence with ID"]),
    (["init", "{ws}"], ["already exists"]),
    (["status", "{ws}", "--on", "2026-13-01"], ["not a real calendar date"]),
    (["frobnicate"], ["invalid choice"]),
    (["answer", "{ws}", "agr-3", "はい"], ["unknown item ID 'agr-3'"]),
    (["answer", "{ws}", "gov-06", "April"], ["GOV-06", "YYYY-MM-DD", "YYYY/MM/DD", "YYYY年MM月DD日"]),
    (["import-answers", "{ws}", "{tmp}/twice.json"], ["twice.json", "AGR-01 twice"]),
])
def test_bad_input_gives_one_line_and_changes_nothing(ws_path, tmp_path, args, fragments):
    (tmp_path / "f.pdf").write_bytes(b"\xff\xfe%PDF")
    (tmp_path / "list.json").write_text("[1, 2]")
    (tmp_path / "bad.json").write_text('{"AGR-02": "yes", "AGR-01": {"value": {"x": 1}}}')
    (tmp_path / "twice.json").write_text('{"AGR-01": "yes", "agr-01": "no"}')
    before = snapshot(ws_path)
    argv = [a.format(ws=ws_path, tmp=tmp_path) for a in args]
    r = run_cli(*argv)
    assert_one_line_error(r, *fragments, code=2 if args == ["frobnicate"] else 1)
    assert snapshot(ws_path) == before


def test_locked_workspace(ws_path):
    with Workspace.open(ws_path, PASSPHRASE):
        assert_one_line_error(run_cli("answer", str(ws_path), "AGR-01", "はい"), "open in another")


def test_item_ids_typed_in_any_case_or_width(ws_path, tmp_path):
    assert run_cli("answer", str(ws_path), "agr-03", "はい").code == 0
    r = run_cli("answer", str(ws_path), "ＣＥＲＴ－０１", "ＩＳＭＳ")
    assert r.code == 0 and r.out.startswith("CERT-01 = ISMS"), (r.out, r.err)  # the canonical ID
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"agr-02": "Yes", "cert-03": "IS 1"}), encoding="utf-8")
    assert run_cli("import-answers", str(ws_path), str(answers)).code == 0
    cert = tmp_path / "c.pdf"
    cert.write_bytes(b"%PDF-1.4")
    r = run_cli("attach", str(ws_path), "cert-03", str(cert))
    assert r.code == 0 and "to CERT-03" in r.out, r.err
    r = run_cli("evidence", str(ws_path), "--item", "cert-03", "--json")
    assert [e["item_id"] for e in json.loads(r.out)] == ["CERT-03"]
    with Workspace.open(ws_path, PASSPHRASE) as ws:
        assert {k: ws.answer(k).value for k in ("AGR-03", "CERT-01", "AGR-02", "CERT-03")} == {
            "AGR-03": "yes", "CERT-01": "isms", "AGR-02": "yes", "CERT-03": "IS 1"}


def test_an_answers_file_can_be_written_from_template_json_alone(ws_path, tmp_path):
    """Everything needed is in the JSON: kinds, choices with labels, number limits, text limits,
    date forms, conditions, help and basis."""
    data = json.loads(run_cli("template", "--json", passphrase=None).out)
    items = {i["id"]: i for s in data["sections"] for i in s["items"]}
    assert items["HR-04"]["number"] == {"min": 0, "max": 100, "integer": False,
                                        "unit": {"ja": "%", "en": "%"}}
    assert items["CERT-03"]["text_max"] == 100 and items["CERT-03"]["help"]["ja"]
    assert items["CERT-01"]["choices"][0] == {
        "value": "isms",
        "label": {"ja": "ISMS認証（ISO/IEC 27001）", "en": "ISMS certification (ISO/IEC 27001)"}}
    assert items["AGR-01"]["choices"][3]["label"]["ja"] == "該当なし"
    assert items["PHY-02"]["show_if"] == {"item": "PHY-01",
                                          "contains_any": ["domestic_dc", "domestic_cloud", "overseas"]}
    assert items["GOV-06"]["required_if"] == {"item": "GOV-05", "in": ["yes", "partial"]}
    assert "YYYY-MM-DD" in items["GOV-06"]["date_formats"]
    assert items["PI-03"]["basis"]["text"]["en"].startswith(
        "Contract Art. 6(1)(6); APPI Art. 27 (formerly Art. 23)")
    assert items["PI-03"]["basis"]["binding"] is True and items["AGR-05"]["basis"]["binding"] is False
    assert items["GOV-07"]["expected"] == ["yes", "na"] and items["GOV-07"]["note_required_for"]

    def value(item):
        match item["kind"]:
            case "status":
                return {"value": "yes", "note": "確認済み"}
            case "single":
                return (item.get("expected") or [item["choices"][0]["value"]])[0]
            case "multi":
                return [item["choices"][-1]["label"]["en"]]
            case "date":
                return "2026/4/1"
            case "number":
                spec = item["number"]
                return spec["max"] if spec["max"] is not None else spec["min"]
            case "text":
                return "記入例"[: item["text_max"]]
        raise AssertionError(item["kind"])

    answers = tmp_path / "all.json"
    answers.write_text(json.dumps({i: value(item) for i, item in items.items()}, ensure_ascii=False),
                       encoding="utf-8")
    r = run_cli("import-answers", str(ws_path), str(answers))
    assert r.code == 0, r.err
    assert f"imported {len(items)} answers" in r.out
