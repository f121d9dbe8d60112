"""`--lang ja`: every line the CLI prints is Japanese — the whole tour, vendor and auditor, run
as child processes, every output (stdout and stderr) searched for English words. What may stay
in Latin letters: paths and file names, option names, IDs, keys and digests, the template ID,
and a few names that have no Japanese (SHA-256, ZIP, JST, DDE, UTF-8, JSON, Windows).
``--json`` stays language-neutral: the same document under both languages."""

from __future__ import annotations

import json
import re

import pytest

from storage import Workspace

from .bundle_support import SIGNING_PASSPHRASE, fill_complete
from .conftest import FAST_KDF, FIXTURES, PASSPHRASE, run_cli
from .samples import fill_review

pytestmark = pytest.mark.tools

MINI = str(FIXTURES / "templates" / "mini.yaml")
SIGN_ENV = {"CCUS_ATTEST_SIGNING_PASSPHRASE": SIGNING_PASSPHRASE}
ALLOWED = {"sha", "zip", "jst", "dde", "utf", "json", "windows", "ccus", "attest", "mini", "test", "age",
           "file", "xlsx", "pdf", "checklist", "report", "kib", "mib", "gib", "id"}
_STRIP = [
    re.compile(r"--[a-z][a-z-]*"),                       # option names
    re.compile(r"[^\s（）()、。:：「」]*[/\\][^\s（）()、。「」]*"),  # paths
    re.compile(r"\b[\w.-]+\.(?:json|yaml|xlsx|pdf|zip|txt|age|minisig|pub|key|db|age-identity|"
               r"age-recipient)\b"),                     # file names
    re.compile(r"\b[0-9a-fA-F-]{8,}\b"),                 # IDs, digests
    re.compile(r"\b(?:RW|age1)[A-Za-z0-9+/=]{20,}"),     # key strings
    re.compile(r"\bSHA256SUMS\b|\bREADME\b|\bmini-test\b|\bFILE\b"),
    re.compile(r"\b[a-z]+\.[a-z_.]+\b"),             # `log`'s event types (answer.set): codes
    re.compile(r"\d{4}-\d\d-\d\dT[\d:.]+Z"),            # `log`'s timestamps
]
WORD = re.compile(r"[A-Za-z]{2,}")
SHOUTED = re.compile(r"\b(?:OK|FAIL|UNOFFICIAL|TEMPLATE|INCOMPLETE|WARNING|ACCEPTED)\b")
SECTION_OR_ITEM = re.compile(r"\b[A-Z]{2,5}(?:-\d{2,3})?\b")   # AGR, CERT-01


def english_words(text: str) -> list[str]:
    found = [f"{w!r}" for w in SHOUTED.findall(text)]
    for line in text.splitlines():
        for pattern in [*_STRIP, SECTION_OR_ITEM]:
            line = pattern.sub(" ", line)
        found += [f"{w!r} in: {line.strip()[:120]}" for w in WORD.findall(line) if w.lower() not in ALLOWED]
    return found


def test_the_filter_finds_english():
    assert english_words("書き出しました: /tmp/x/c.xlsx（設問 9 件）") == []
    assert english_words("wrote c.xlsx (9 items)") != []
    assert english_words("合格   外側の署名: submission.tar.age signed by key 0123456789ABCDEF") != []


def ja(*args: str, code: int = 0, **kw) -> str:
    r = run_cli("--lang", "ja", *args, **kw)
    assert r.code == code, (args, r.code, r.out, r.err)
    out = r.out + r.err
    assert not english_words(out), (args, english_words(out))
    return out


def test_the_whole_tour_in_japanese(tmp_path, mini_template):
    ws = tmp_path / "ws"
    with Workspace.create(ws, PASSPHRASE, vendor="テスト株式会社", template=mini_template,
                          kdf=FAST_KDF) as w:
        fill_complete(w, tmp_path / "sources")
        evidence_id = w.evidence()[0].id
    W = str(ws)
    # vendor
    ja("status", W)
    ja("evidence", W)
    ja("log", W)
    ja("extract", W, evidence_id, "--out", str(tmp_path / "copy" / "e.pdf"))
    ja("checklist", W, "--out", str(tmp_path / "c.xlsx"), "--on", "2026-11-25")
    ja("report", W, "--out", str(tmp_path / "r.pdf"))
    ja("report", W, "--out", str(tmp_path / "r.pdf"), code=1)                     # exists
    ja("check", W)
    ja("backups", W)
    backup = json.loads(run_cli("backups", W, "--json").out)["backups"][0]["name"]
    ja("restore", W, backup)
    keys = tmp_path / "keys"
    ja("keygen", "signing", "--out", str(keys / "vendor"), passphrase=None, env=SIGN_ENV)
    ja("keygen", "recipient", "--out", str(keys / "auditor"), passphrase=None)
    bundle = tmp_path / "b.zip"
    ja("export", W, "--out", str(bundle), "--sign-key", str(keys / "vendor.key"), "--to",
       str(keys / "auditor.age-recipient"), env=SIGN_ENV)
    # auditor
    pins = ("--pins", str(tmp_path / "pins.json"))
    signer = ("--signer", str(keys / "vendor.pub"))
    identity = ("--identity", str(keys / "auditor.age-identity"))
    out = ja("verify", str(bundle), *signer, *pins, passphrase=None)
    assert out.splitlines()[-1].startswith("検証済み: ")
    out = ja("verify", str(bundle), *signer, *identity, "--template", MINI, *pins, passphrase=None)
    assert "合格   書き出し日時" in out and "非公式テンプレート" in out.splitlines()[-1]
    out = ja("verify", str(bundle), *signer, *identity, *pins, passphrase=None, code=1)   # not shipped
    assert "不合格 公式テンプレート" in out
    assert not any(line.startswith("検証済み") for line in out.splitlines())
    ja("verify", str(tmp_path / "none.zip"), *signer, passphrase=None, code=1)
    ja("verify", str(tmp_path / "c.xlsx"), *signer, passphrase=None, code=1)             # not a bundle
    opened = tmp_path / "opened" / "x"
    out = ja("open", str(bundle), *signer, *identity, "--template", MINI, "--out", str(opened), *pins,
             passphrase=None)
    assert "非公式テンプレート" in out
    ja("open", str(bundle), *signer, *identity, "--template", MINI, "--out", str(opened), *pins,
       passphrase=None, code=1)                                                    # not empty
    ja("checklist", str(opened), "--template", MINI, "--out", str(tmp_path / "a.xlsx"), passphrase=None)
    ja("report", str(opened), "--template", MINI, "--out", str(tmp_path / "a.pdf"), passphrase=None)
    ja("import-review", str(opened), str(tmp_path / "a.xlsx"), "--template", MINI, passphrase=None,
       code=1)                                                                     # nothing filled in
    reviewed = fill_review(tmp_path / "a.xlsx", tmp_path / "reviewed.xlsx",
                           {"AGR-01": {"verdict": "適合", "reviewer": "監査 一郎"}})
    out = ja("import-review", str(opened), str(reviewed), "--template", MINI, passphrase=None)
    assert "指摘 1 件" in out
    # --json: the same document in both languages
    en = run_cli("--lang", "en", "verify", str(bundle), *signer, *identity, "--template", MINI, *pins,
                 "--json", passphrase=None)
    jp = run_cli("--lang", "ja", "verify", str(bundle), *signer, *identity, "--template", MINI, *pins,
                 "--json", passphrase=None)
    assert en.code == jp.code == 0
    a, b = json.loads(en.out), json.loads(jp.out)
    assert [c for c in a["checks"]] == [c for c in b["checks"]]
    assert all(set(c) == {"name", "ok", "detail"} for c in b["checks"])
