"""Issue 13's two-year scenario through the command line (child processes, real keys, real
bundles): year 1 answered and exported → the auditor opens it and reviews it with three
findings → the vendor imports the review and closes two actions with evidence → ``init --from``
makes year 2, byte for byte leaving year 1 alone → nothing counts until confirmed → five answers
changed and the expiring certificate replaced → exported → ``verify --previous`` holds, the
bundle carries two closed and one open action, the .ics parses with stable UIDs.
(The ``diff`` of the two bundles is issue 13 §3, built on another branch.)"""

from __future__ import annotations

import json

import icalendar
import pytest

from .bundle_support import MINI
from .conftest import FAST_KDF_ARGS, run_cli
from .cycle_support import (
    CERT,
    CHANGED,
    CLOSED,
    FINDINGS,
    LEFT_OPEN,
    RENEWED,
    REVIEWER,
    VERDICT_WORDS,
    YEAR_ONE,
    YEAR_TWO_CHANGES,
    hashes,
)
from .samples import fill_review

SIGN_PASS = "two-year signing passphrase"
ENV = {"CCUS_ATTEST_SIGNING_PASSPHRASE": SIGN_PASS}
Y2 = "the passphrase of year two"
TEMPLATE = ("--template", str(MINI[0]))


def ok(r):
    assert r.code == 0, (r.out, r.err)
    return r


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    folder = tmp_path_factory.mktemp("keys")
    ok(run_cli("keygen", "signing", "--out", str(folder / "vendor"), passphrase=None, env=ENV))
    ok(run_cli("keygen", "recipient", "--out", str(folder / "auditor"), passphrase=None))
    return folder


def export(ws, out, keys, **kw):
    return run_cli("export", str(ws), "--out", str(out), "--sign-key", str(keys / "vendor.key"),
                   "--to", str(keys / "auditor.age-recipient"), env=ENV, **kw)


def auditor(*args):
    return ("--signer", str(args[0] / "vendor.pub"), "--identity", str(args[0] / "auditor.age-identity"),
            *TEMPLATE)


def test_two_years_from_the_command_line(tmp_path, keys):
    y1, y2 = tmp_path / "2026", tmp_path / "2027"
    ok(run_cli("init", str(y1), "--vendor", "株式会社サンプル", "--period", "2026", *TEMPLATE,
               *FAST_KDF_ARGS))
    for item, value in YEAR_ONE.items():
        ok(run_cli("answer", str(y1), item, value))
    cert, policy = tmp_path / CERT[0], tmp_path / "policy.txt"
    cert.write_bytes(CERT[1])
    policy.write_text("基本方針\n", encoding="utf-8")
    r = ok(run_cli("attach", str(y1), "CERT-02", str(cert), "--kind", "certificate", "--issuer", "JQA",
                   "--expires", CERT[2]))
    cert_id = r.out.split(" as ")[1].split()[0]
    ok(run_cli("attach", str(y1), "TEC-04", str(policy), "--kind", "policy"))
    b1 = tmp_path / "2026.zip"
    ok(export(y1, b1, keys))

    # the auditor opens it, renders their own checklist and reviews it: three findings
    opened = tmp_path / "opened-2026"
    ok(run_cli("open", str(b1), *auditor(keys), "--out", str(opened), passphrase=None))
    checklist = tmp_path / "auditor-2026.xlsx"
    ok(run_cli("checklist", str(opened), "--out", str(checklist), *TEMPLATE, passphrase=None))
    reviewed = fill_review(checklist, tmp_path / "reviewed-2026.xlsx", {
        **{item: {"verdict": VERDICT_WORDS[verdict], "finding": finding, "reviewer": REVIEWER}
           for item, (verdict, finding) in FINDINGS.items()},
        "AGR-01": {"verdict": "適合", "reviewer": REVIEWER}})

    # the vendor imports it: three actions; two closed with evidence
    r = ok(run_cli("import-review", str(y1), str(reviewed)))
    assert "corrective actions: 3 open of 3" in r.out
    listed = json.loads(ok(run_cli("actions", str(y1), "--json")).out)
    ids = {a["item_id"]: a["id"] for a in listed["actions"]}
    assert sorted(ids) == sorted(FINDINGS) == sorted((*CLOSED, LEFT_OPEN))
    revised = tmp_path / "policy-v2.txt"
    revised.write_text("基本方針 改訂版\n", encoding="utf-8")
    ok(run_cli("attach", str(y1), "TEC-04", str(revised), "--kind", "policy", "--action", ids["TEC-04"]))
    ok(run_cli("action", str(y1), ids["TEC-04"], "--status", "done", "--root-cause", "改訂手順がない",
               "--plan", "規程を改訂した"))
    copy = tmp_path / "isms-copy.pdf"
    copy.write_bytes(b"%PDF current copy of the certificate")
    ok(run_cli("attach", str(y1), "CERT-02", str(copy), "--kind", "certificate", "--action",
               ids["CERT-02"]))
    ok(run_cli("action", str(y1), ids["CERT-02"], "--status", "done"))
    ok(run_cli("action", str(y1), ids["TEC-01"], "--status", "対応中", "--due", "2027-03-31",
               "--owner", "情報システム部"))

    # year 2 from year 1; year 1 is left byte for byte
    before = hashes(y1)
    r = ok(run_cli("init", str(y2), "--from", str(y1), "--json", *FAST_KDF_ARGS,
                   env={"CCUS_ATTEST_NEW_PASSPHRASE": Y2}))
    assert hashes(y1) == before
    assert json.loads(r.out)["period"] == 2027
    status = json.loads(ok(run_cli("status", str(y2), "--json", "--on", "2027-01-10", passphrase=Y2)).out)
    assert status["overall"]["complete"] == 0 and status["overall"]["unconfirmed"] == 7
    assert status["corrective_actions"] == {
        "total": 3, "open": 1, "overdue": 0,
        "by_status": {"open": 0, "in_progress": 1, "done": 2, "verified": 0}}
    r = export(y2, tmp_path / "refused.zip", keys, passphrase=Y2)
    assert r.code != 0 and not (tmp_path / "refused.zip").exists()  # nothing counts until confirmed
    ok(run_cli("confirm", str(y2), "--all", "--yes", passphrase=Y2))
    for item, value in YEAR_TWO_CHANGES.items():
        ok(run_cli("answer", str(y2), item, value, passphrase=Y2))
    renewed = tmp_path / RENEWED[0]
    renewed.write_bytes(RENEWED[1])
    ok(run_cli("replace", str(y2), cert_id, str(renewed), "--expires", RENEWED[2], passphrase=Y2))
    b2 = tmp_path / "2027.zip"
    ok(export(y2, b2, keys, passphrase=Y2))

    # the auditor: the chain holds, the actions are there and checked
    r = ok(run_cli("verify", str(b2), *auditor(keys), "--previous", str(b1), "--json", passphrase=None))
    report = json.loads(r.out)
    checks = {c["name"]: c for c in report["checks"]}
    assert checks["chain-link"]["ok"] and checks["chain-signer"]["ok"] and checks["chain-order"]["ok"]
    assert checks["corrective-actions"]["ok"] and "3 corrective actions, 2 closed" in checks[
        "corrective-actions"]["detail"]
    assert report["manifest"]["previous_submission"]["exported_from"] == "origin"

    # the comparison of the two bundles: exactly the five answers, the replaced certificate,
    # two actions closed and one open (issue 13: done when)
    doc = json.loads(ok(run_cli("diff", str(b1), str(b2), *auditor(keys), "--json", passphrase=None)).out)
    changed = sorted(i["item_id"] for i in doc["items"] if i["answer"]["state"] == "changed")
    assert changed == CHANGED
    replaced = [(i["item_id"], e["old"]["filename"], e["new"]["filename"]) for i in doc["items"]
                for e in i["evidence"] if e["state"] == "replaced"]
    assert replaced == [("CERT-02", CERT[0], RENEWED[0])]
    assert (doc["summary"]["actions_closed"], doc["summary"]["actions_open"]) == (2, 1)
    assert doc["same_signer"] is True

    # the calendar: the open action's due date and the renewed certificate, UIDs stable
    ics = tmp_path / "2027.ics"
    ok(run_cli("calendar", str(y2), "--ics", str(ics), passphrase=Y2))
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")}
    action_uid = next(u for u in events if ids["TEC-01"] in u)
    assert str(events[action_uid].decoded("DTSTART")) == "2027-03-31"
    ok(run_cli("calendar", str(y2), "--ics", str(ics), "--force", passphrase=Y2))
    again = {str(e["UID"]) for e in icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")}
    assert again == set(events)
    assert hashes(y1) == before
