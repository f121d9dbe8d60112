"""The bundle commands, run as child processes exactly as a user or a script would."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storage import EvidenceMeta, Workspace

from .bundle_support import MINI, fill_complete
from .conftest import FAST_KDF, PASSPHRASE, ROOT, run_cli

SIGN_PASS = "cli signing passphrase"
ENV = {"CCUS_ATTEST_SIGNING_PASSPHRASE": SIGN_PASS}
TEMPLATE = ("--template", str(MINI[0]))  # the mini test template is not an official one


def one_line_error(r, *fragments: str, code: int = 1) -> str:
    assert r.code == code, (r.code, r.out, r.err)
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.err, r.err
    for f in fragments:
        assert f in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def cli_keys(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli-keys")
    r = run_cli("keygen", "signing", "--out", str(folder / "vendor"), passphrase=None, env=ENV)
    assert r.code == 0, r.err
    r = run_cli("keygen", "recipient", "--out", str(folder / "auditor"), passphrase=None)
    assert r.code == 0, r.err
    return folder


@pytest.fixture
def ws_path(tmp_path, mini_template) -> Path:
    with Workspace.create(tmp_path / "ws", PASSPHRASE, vendor="株式会社テスト", template=mini_template,
                          kdf=FAST_KDF) as ws:
        fill_complete(ws, tmp_path / "sources")
    return tmp_path / "ws"


def export(ws_path: Path, out: Path, keys_dir: Path, *extra: str, env=ENV):
    return run_cli("export", str(ws_path), "--out", str(out), "--sign-key", str(keys_dir / "vendor.key"),
                   "--to", str(keys_dir / "auditor.age-recipient"), *extra, env=env)


def test_keygen(cli_keys, tmp_path):
    assert stat.S_IMODE((cli_keys / "vendor.key").stat().st_mode) == 0o600
    assert stat.S_IMODE((cli_keys / "auditor.age-identity").stat().st_mode) == 0o600
    assert (cli_keys / "auditor.age-recipient").read_text().startswith("age1")
    before = (cli_keys / "vendor.key").read_bytes()
    one_line_error(run_cli("keygen", "signing", "--out", str(cli_keys / "vendor"), passphrase=None, env=ENV),
                   "already exists", "never overwritten")
    assert (cli_keys / "vendor.key").read_bytes() == before
    one_line_error(run_cli("keygen", "recipient", "--out", str(cli_keys / "auditor"), passphrase=None),
                   "already exists")
    one_line_error(run_cli("keygen", "signing", "--out", str(tmp_path / "k"), passphrase=None),
                   "CCUS_ATTEST_SIGNING_PASSPHRASE")
    pf = tmp_path / "pass.txt"
    pf.write_text("from a file 123\n")
    r = run_cli("keygen", "signing", "--out", str(tmp_path / "k"), "--signing-passphrase-file", str(pf),
                passphrase=None)
    assert r.code == 0 and "key ID" in r.out


def test_export_verify_open(cli_keys, ws_path, tmp_path):
    out = tmp_path / "b.zip"
    r = export(ws_path, out, cli_keys)
    assert r.code == 0, r.err
    assert "complete" in r.out and out.is_file()
    r = run_cli("verify", str(out), "--signer", str(cli_keys / "vendor.pub"), passphrase=None)
    assert r.code == 0 and "outer signature only" in r.out, r.err
    pub_b64 = (cli_keys / "vendor.pub").read_text().splitlines()[1]
    r = run_cli("verify", str(out), "--signer", pub_b64, "--identity", str(cli_keys / "auditor.age-identity"),
                "--json", *TEMPLATE, passphrase=None)
    assert r.code == 0, r.err
    report = json.loads(r.out)
    assert report["ok"] and report["decrypted"] and report["manifest"]["vendor"] == "株式会社テスト"
    dest = tmp_path / "opened"
    r = run_cli("open", str(out), "--signer", str(cli_keys / "vendor.pub"), "--identity",
                str(cli_keys / "auditor.age-identity"), "--out", str(dest), *TEMPLATE, passphrase=None)
    assert r.code == 0 and (dest / "answers.json").is_file(), r.err
    # the auditor's next steps work on the opened folder (the shared contract)
    r = run_cli("checklist", str(dest), "--out", str(tmp_path / "review.xlsx"), *TEMPLATE, passphrase=None)
    assert r.code == 0, r.err
    r = run_cli("report", str(dest), "--out", str(tmp_path / "review.pdf"), *TEMPLATE, passphrase=None)
    assert r.code == 0, r.err
    one_line_error(run_cli("open", str(out), "--signer", str(cli_keys / "vendor.pub"), "--identity",
                           str(cli_keys / "auditor.age-identity"), "--out", str(dest), *TEMPLATE,
                           passphrase=None),
                   "not empty")


def test_verify_failure_is_one_line_and_a_report(cli_keys, ws_path, tmp_path):
    out = tmp_path / "b.zip"
    assert export(ws_path, out, cli_keys).code == 0
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0x40
    out.write_bytes(bytes(data))
    r = run_cli("verify", str(out), "--signer", str(cli_keys / "vendor.pub"), passphrase=None)
    one_line_error(r, "failed verification", "outer-signature")
    assert "FAIL outer-signature" in r.out
    r = run_cli("verify", str(out), "--signer", str(cli_keys / "vendor.pub"), "--json", passphrase=None)
    one_line_error(r, "outer-signature")
    assert json.loads(r.out)["ok"] is False
    dest = tmp_path / "o"
    r = run_cli("open", str(out), "--signer", str(cli_keys / "vendor.pub"), "--identity",
                str(cli_keys / "auditor.age-identity"), "--out", str(dest), passphrase=None)
    one_line_error(r, "failed verification")
    assert not dest.exists()


def test_export_refusals(cli_keys, ws_path, tmp_path, mini_template):
    out = tmp_path / "b.zip"
    one_line_error(export(ws_path, out, cli_keys, env={}), "CCUS_ATTEST_SIGNING_PASSPHRASE")
    one_line_error(export(ws_path, out, cli_keys, env={"CCUS_ATTEST_SIGNING_PASSPHRASE": "wrong one"}),
                   "wrong passphrase for the signing key")
    one_line_error(run_cli("export", str(ws_path), "--out", str(out), "--sign-key",
                           str(cli_keys / "vendor.key"), "--to", "age1bogus", env=ENV), "recipient")
    assert not out.exists()
    assert export(ws_path, out, cli_keys).code == 0
    first = out.read_bytes()
    one_line_error(export(ws_path, out, cli_keys), "already exists", "--force")
    assert out.read_bytes() == first
    assert export(ws_path, out, cli_keys, "--force").code == 0 and out.read_bytes() != first
    # incomplete workspace
    with Workspace.create(tmp_path / "ws2", PASSPHRASE, template=mini_template, kdf=FAST_KDF):
        pass
    out2 = tmp_path / "incomplete.zip"
    one_line_error(export(tmp_path / "ws2", out2, cli_keys), "not complete", "blocking problems",
                   "--allow-incomplete")
    assert not out2.exists()
    r = export(tmp_path / "ws2", out2, cli_keys, "--allow-incomplete")
    assert r.code == 0 and "INCOMPLETE" in r.out
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".zip") == ["b.zip", "incomplete.zip"]


def test_several_recipients_and_recipient_strings(cli_keys, ws_path, tmp_path):
    r = run_cli("keygen", "recipient", "--out", str(tmp_path / "second"), passphrase=None)
    second = (tmp_path / "second.age-recipient").read_text().strip()
    out = tmp_path / "b.zip"
    r = run_cli("export", str(ws_path), "--out", str(out), "--sign-key", str(cli_keys / "vendor.key"),
                "--to", str(cli_keys / "auditor.age-recipient"), "--to", second, env=ENV)
    assert r.code == 0, r.err
    for identity in (cli_keys / "auditor.age-identity", tmp_path / "second.age-identity"):
        r = run_cli("verify", str(out), "--signer", str(cli_keys / "vendor.pub"), "--identity", str(identity),
                    *TEMPLATE, passphrase=None)
        assert r.code == 0, r.err


def test_ctrl_c_during_export_leaves_nothing(cli_keys, ws_path, tmp_path):
    big = tmp_path / "big.bin"
    with open(big, "wb") as fh:
        for _ in range(192):
            fh.write(os.urandom(1 << 20))
    with Workspace.open(ws_path, PASSPHRASE) as ws:
        ws.add_evidence("TEC-04", big, EvidenceMeta("policy"))
    outdir = tmp_path / "out"
    outdir.mkdir()
    bundle = outdir / "b.zip"
    interrupt(["export", str(ws_path), "--out", str(bundle), "--sign-key", str(cli_keys / "vendor.key"),
               "--to", str(cli_keys / "auditor.age-recipient")],
              lambda: written(outdir) > (8 << 20))
    assert list(outdir.iterdir()) == []
    with Workspace.open(ws_path, PASSPHRASE) as ws:
        assert not any(e.action == "bundle.exported" for e in ws.activity())
    # open, interrupted while extracting: the new folder disappears
    assert export(ws_path, bundle, cli_keys).code == 0
    dest = tmp_path / "opened"
    interrupt(["open", str(bundle), "--signer", str(cli_keys / "vendor.pub"), "--identity",
               str(cli_keys / "auditor.age-identity"), "--out", str(dest), *TEMPLATE],
              lambda: written(dest) > (8 << 20))
    assert not dest.exists()


def written(folder: Path) -> int:
    total = 0
    for f in folder.rglob("*") if folder.exists() else ():
        with contextlib.suppress(FileNotFoundError):
            total += f.stat().st_size if f.is_file() else 0
    return total


def interrupt(argv: list[str], ready) -> None:
    """Run the CLI, press Ctrl-C once ``ready()``: exit 130, one line on stderr."""
    env = {**os.environ, "CCUS_ATTEST_PASSPHRASE": PASSPHRASE, **ENV, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), *argv], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not ready():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, (out, err)
    assert err.strip().splitlines() == ["ccus-attest: interrupted"]
