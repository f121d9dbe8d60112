"""Issue 11, the CLI: `--lang ja` speaks Japanese everywhere (status, outputs, errors), counts
come from the core's Tally with their outcomes, English plurals are right, and every `--out`
gets its missing folders made — run as child processes, as a user would."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from storage import Workspace

from .bundle_support import SIGNING_PASSPHRASE, fill_complete
from .conftest import FAST_KDF, FIXTURES, PASSPHRASE, run_cli

SIGN_ENV = {"CCUS_ATTEST_SIGNING_PASSPHRASE": SIGNING_PASSPHRASE}
# words of the English wording that must never appear in the Japanese one
ENGLISH = re.compile(r"\b(required|complete|blocking|block|warnings?|problems?|sections?|outcomes|checked|"
                     r"ready|submission|items?|attached|evidence|files?|bytes?|wrong|error|answers?|"
                     r"imported|changed|removed|saved|wrote|created|Not answered|Conforming)\b")


def one_line_error(r, *fragments: str) -> str:
    assert r.code == 1, (r.code, r.out, r.err)
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.err, r.err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def ws_path(tmp_path, mini_template) -> Path:
    with Workspace.create(tmp_path / "ws", PASSPHRASE, vendor="テスト株式会社", template=mini_template,
                          kdf=FAST_KDF):
        pass
    return tmp_path / "ws"


def test_status_in_both_languages_with_the_tallys_counts(ws_path, tmp_path):
    evidence = tmp_path / "policy.pdf"
    evidence.write_bytes(b"%PDF-1.4 policy")
    assert run_cli("answer", str(ws_path), "AGR-01", "no", "--note", "来年度に是正").code == 0
    assert run_cli("answer", str(ws_path), "TEC-03", "30").code == 0
    status = json.loads(run_cli("status", str(ws_path), "--json").out)
    overall = status["overall"]
    en = run_cli("--lang", "en", "status", str(ws_path))
    ja = run_cli("--lang", "ja", "status", str(ws_path))
    assert en.code == ja.code == 0, (en.err, ja.err)
    # the same numbers in both, and the Tally's (status --json)
    for outcome, label_ja, label_en in (("conforming", "適合", "Conforming"),
                                        ("needs_improvement", "要改善", "Needs improvement"),
                                        ("non_conforming", "不適合", "Non-conforming"),
                                        ("unanswered", "未回答", "Not answered"),
                                        ("optional", "任意（未回答）", "Optional (blank)"),
                                        ("hidden", "対象外", "Not shown")):
        n = overall["outcomes"][outcome]
        assert f"{label_en} {n}" in en.out and f"{label_ja} {n}" in ja.out, outcome
    assert f"{overall['complete']} of {overall['required']} complete" in en.out
    assert f"{overall['required']} 件中 {overall['complete']} 件が完了" in ja.out
    for section in status["sections"]:
        line = f"{section['complete']:>3}/{section['required']:<3}"
        assert line in en.out and line in ja.out
    # a いいえ is never counted as conforming
    assert overall["outcomes"]["conforming"] == 1  # TEC-03 only
    # Japanese throughout: headings, verdict, problem lines
    assert "提出を妨げている設問" in ja.out and "判定の内訳" in ja.out and "セクション別" in ja.out
    assert re.search(r"^提出を妨げる問題 \d+ 件:$", ja.out, re.M) and "CERT-01: 未回答です" in ja.out
    assert not ENGLISH.search(ja.out.replace(status["template"]["id"], "")), ja.out
    # English plurals: no "(s)"
    assert "(s)" not in en.out
    blocking = overall["blocking"]
    assert f"{blocking} items block submission" in en.out
    assert re.search(r"^\d+ blocking problems:$", en.out, re.M)


def test_english_plurals_for_one(tmp_path, mini_template):
    """One of each: the singular."""
    folder = tmp_path / "one"
    with Workspace.create(folder, PASSPHRASE, vendor="テスト", template=mini_template, kdf=FAST_KDF) as ws:
        fill_complete(ws, tmp_path / "sources")
        ws.set_answer("TEC-03", None)  # the one blocking item, with its one blocking problem
    r = run_cli("--lang", "en", "status", str(folder))
    assert "1 item blocks submission" in r.out and "\n1 blocking problem:\n" in r.out, r.out
    listing = run_cli("--lang", "en", "evidence", str(folder), "--item", "CERT-02")
    assert "total: 1 evidence file\n" in listing.out, listing.out
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"TEC-03": 30}), encoding="utf-8")
    r = run_cli("--lang", "en", "import-answers", str(folder), str(answers))
    assert r.out.strip() == "imported 1 answer (1 changed)", r.out
    r = run_cli("--lang", "en", "status", str(folder))
    assert "ready to submit" in r.out and "(s)" not in r.out


def test_japanese_outputs_and_errors(ws_path, tmp_path):
    cert = tmp_path / "登録証.pdf"
    cert.write_bytes(b"%PDF-1.4 cert")
    r = run_cli("--lang", "ja", "attach", str(ws_path), "CERT-02", str(cert))
    assert r.code == 0 and "CERT-02 に添付しました" in r.out and not ENGLISH.search(r.out.split("sha256")[0])
    r = run_cli("--lang", "ja", "evidence", str(ws_path))
    assert "合計: 証跡 1 件" in r.out
    evidence_id = r.out.split()[0]
    r = run_cli("--lang", "ja", "extract", str(ws_path), evidence_id, "--out", str(tmp_path / "copy.pdf"))
    assert r.out.startswith("保存しました")
    r = run_cli("--lang", "ja", "detach", str(ws_path), evidence_id)
    assert "外しました" in r.out
    # the errors a user meets, one Japanese line each
    for args, passphrase, fragment in (
        (["status", str(ws_path)], "not the passphrase", "パスフレーズが違います"),
        (["status", str(tmp_path)], PASSPHRASE, "CCUS Attest のワークスペースではありません"),
        (["answer", str(ws_path), "NOPE-01", "はい"], PASSPHRASE, "設問 ID 'NOPE-01' はありません"),
        (["answer", str(ws_path), "AGR-01"], PASSPHRASE, "VALUE か --clear"),
        (["detach", str(ws_path), "deadbeef"], PASSPHRASE, "の証跡はありません"),
        (["status", str(ws_path), "--on", "someday"], PASSPHRASE, "--on の日付"),
    ):
        line = one_line_error(run_cli("--lang", "ja", *args, passphrase=passphrase), "エラー: ", fragment)
        assert "error:" not in line
    r = run_cli("status", str(ws_path), passphrase=None, stdin="", env={"LANG": "ja_JP.UTF-8",
                                                                       "LC_ALL": "", "LC_MESSAGES": ""})
    one_line_error(r, "パスフレーズが指定されていません", "CCUS_ATTEST_PASSPHRASE")


def test_the_locale_picks_the_language(ws_path):
    base = {"LC_ALL": "", "LC_MESSAGES": ""}
    assert "必須項目" in run_cli("status", str(ws_path), env={**base, "LANG": "ja_JP.UTF-8"}).out
    assert "required items" in run_cli("status", str(ws_path), env={**base, "LANG": "en_US.UTF-8"}).out
    assert "required items" in run_cli("status", str(ws_path), env={**base, "LANG": "ja_JP.UTF-8",
                                                                     "LC_ALL": "C.UTF-8"}).out
    # --lang wins over the locale
    assert "必須項目" in run_cli("--lang", "ja", "status", str(ws_path), env={"LC_ALL": "C"}).out


def test_export_errors_and_output_in_japanese(ws_path, tmp_path):
    keys = tmp_path / "keys"
    assert run_cli("--lang", "ja", "keygen", "signing", "--out", str(keys / "vendor"), passphrase=None,
                   env=SIGN_ENV).code == 0  # keys/ is made: it is the user's choice
    assert run_cli("keygen", "recipient", "--out", str(keys / "auditor"), passphrase=None).code == 0
    out = tmp_path / "out" / "b.zip"
    args = ["export", str(ws_path), "--out", str(out), "--sign-key", str(keys / "vendor.key"),
            "--to", str(keys / "auditor.age-recipient")]
    line = one_line_error(run_cli("--lang", "ja", *args, env=SIGN_ENV), "提出データが完成していません",
                          "提出を妨げる問題が", "--allow-incomplete")
    assert "AGR-01: 未回答です" in line and not ENGLISH.search(line.replace("--allow-incomplete", ""))
    assert not out.parent.exists()  # the folder made for it went again with the failure
    en = one_line_error(run_cli("--lang", "en", *args, env=SIGN_ENV), "blocking problems")
    assert "(s)" not in en
    r = run_cli("--lang", "ja", *args, "--allow-incomplete", env=SIGN_ENV)
    assert r.code == 0 and "書き出しました" in r.out and "未完成" in r.out, r.err
    one_line_error(run_cli("--lang", "ja", *args, env=SIGN_ENV), "すでにあります", "--force")
    wrong = {"CCUS_ATTEST_SIGNING_PASSPHRASE": "wrong one"}
    one_line_error(run_cli("--lang", "ja", *args, "--allow-incomplete", "--force", env=wrong),
                   "署名鍵", "パスフレーズが違います")


def test_every_out_makes_its_missing_folders(ws_path, tmp_path, mini_template):
    """checklist, report, extract, keygen, export and open, each into a folder that does not exist."""
    folder = tmp_path / "complete"
    with Workspace.create(folder, PASSPHRASE, vendor="テスト", template=mini_template, kdf=FAST_KDF) as ws:
        fill_complete(ws, tmp_path / "sources")
        evidence_id = ws.evidence()[0].id
    new = tmp_path / "new"
    for args, made in (
        (["checklist", str(folder), "--out", str(new / "a" / "c.xlsx")], new / "a" / "c.xlsx"),
        (["report", str(folder), "--out", str(new / "b" / "r.pdf")], new / "b" / "r.pdf"),
        (["extract", str(folder), evidence_id, "--out", str(new / "c" / "e.pdf")], new / "c" / "e.pdf"),
        (["keygen", "recipient", "--out", str(new / "keys" / "auditor")],
         new / "keys" / "auditor.age-identity"),
    ):
        r = run_cli(*args)
        assert r.code == 0 and made.is_file(), (args, r.err)
    r = run_cli("keygen", "signing", "--out", str(new / "keys" / "vendor"), passphrase=None, env=SIGN_ENV)
    assert r.code == 0, r.err
    bundle = new / "d" / "e" / "b.zip"
    r = run_cli("export", str(folder), "--out", str(bundle), "--sign-key", str(new / "keys" / "vendor.key"),
                "--to", str(new / "keys" / "auditor.age-recipient"), env=SIGN_ENV)
    assert r.code == 0 and bundle.is_file(), r.err
    opened = new / "f" / "g" / "opened"
    r = run_cli("open", str(bundle), "--signer", str(new / "keys" / "vendor.pub"), "--identity",
                str(new / "keys" / "auditor.age-identity"), "--out", str(opened), "--template",
                str(FIXTURES / "templates" / "mini.yaml"), passphrase=None)  # not a shipped template
    assert r.code == 0 and (opened / "manifest.json").is_file(), r.err
    # a command that fails leaves no folder behind
    r = run_cli("checklist", str(folder), "--out", str(new / "x" / "y" / "c.xlsx"),
                passphrase="not the passphrase")
    one_line_error(r, "wrong passphrase")
    assert not (new / "x").exists()
    r = run_cli("open", str(bundle), "--signer", str(tmp_path / "no-such.pub"), "--identity",
                str(new / "keys" / "auditor.age-identity"), "--out", str(new / "z" / "opened"),
                passphrase=None)
    assert r.code == 1 and not (new / "z").exists()
    # a parent that cannot be made: one line, before any work
    (tmp_path / "a-file").write_bytes(b"x")
    one_line_error(run_cli("checklist", str(folder), "--out", str(tmp_path / "a-file" / "sub" / "c.xlsx")),
                   "cannot create the folder")


def test_checklist_on_a_missing_folder_says_it_does_not_exist(tmp_path):
    for command in ("checklist", "report"):
        out = "c.xlsx" if command == "checklist" else "r.pdf"
        line = one_line_error(run_cli(command, str(tmp_path / "nowhere"), "--out", str(tmp_path / out),
                                      passphrase=None), "nowhere does not exist")
        assert "not a folder" not in line
