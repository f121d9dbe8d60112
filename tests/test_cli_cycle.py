"""The yearly cycle from the command line, as a user runs it (child processes)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import icalendar

from .conftest import FAST_KDF_ARGS, PASSPHRASE, run_cli

NEW = "a passphrase for 2027"


def hashes(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_init_from_confirm_dates_calendar_replace(tmp_path):
    old, new = tmp_path / "2026", tmp_path / "2027"
    r = run_cli("init", str(old), "--vendor", "株式会社サンプル", "--period", "2026", *FAST_KDF_ARGS)
    assert r.code == 0
    for item, value in (("AGR-01", "はい"), ("CHG-04", "2026-04-01"), ("LOG-08", "annual"),
                        ("LOG-11", "2026-06-01")):
        assert run_cli("answer", str(old), item, value).code == 0
    cert = tmp_path / "isms.pdf"
    cert.write_bytes(b"%PDF isms 2024")
    r = run_cli("attach", str(old), "CERT-03", str(cert), "--issuer", "JQA", "--expires", "2027-05-01")
    evidence_id = r.out.split(" as ")[1].split()[0]
    before = hashes(old)

    r = run_cli("init", str(new), "--from", str(old), "--json", *FAST_KDF_ARGS,
                env={"CCUS_ATTEST_NEW_PASSPHRASE": NEW})
    assert r.code == 0, r.err
    report = json.loads(r.out)
    assert report["period"] == 2027 and report["answers"] == 4 and report["evidence"] == 1
    assert report["origin"]["period"] == 2026
    # expires within 90 days of 2027-04-01 (the period's check date, from CHG-04)
    assert [e["id"] for e in report["flagged_evidence"]] == [evidence_id]
    assert hashes(old) == before

    # nothing counts until confirmed
    status = json.loads(run_cli("status", str(new), "--json", "--on", "2027-01-10", passphrase=NEW).out)
    assert status["overall"]["carried"] == 4 and status["overall"]["unconfirmed"] == 4
    assert status["overall"]["outcomes"]["to_confirm"] == 4 and status["period"] == 2027
    assert {d["kind"] for d in status["deadlines"]} >= {"renewal_notice", "contract_renewal",
                                                       "security_diagnosis", "evidence_expiry"}

    r = run_cli("confirm", str(new), "agr-01", passphrase=NEW)
    assert r.code == 0 and "confirmed 1" in r.out
    r = run_cli("confirm", str(new), "--all", passphrase=NEW)  # no terminal to ask: refused
    assert r.code == 1 and r.err.count("\n") == 1 and "--yes" in r.err
    r = run_cli("confirm", str(new), "--section", "LOG", "--json", passphrase=NEW)
    assert json.loads(r.out)["confirmed"] == ["LOG-08", "LOG-11"]
    r = run_cli("confirm", str(new), "--all", "--yes", "--json", passphrase=NEW)
    assert json.loads(r.out) == {"confirmed": ["CHG-04"], "skipped_changed": [], "remaining": 0}
    r = run_cli("confirm", str(new), "AGR-02", passphrase=NEW)
    assert r.code == 1 and "no answer carried over" in r.err

    # the contract date, once; the deadlines follow
    r = run_cli("dates", str(new), "--contract-date", "2026/5/1", "--on", "2027-01-10", "--json",
                passphrase=NEW)
    dates = json.loads(r.out)
    assert dates["contract_date"] == "2026-05-01"
    renewal = next(d for d in dates["deadlines"] if d["kind"] == "contract_renewal")
    assert renewal["due"] == "2027-05-01"
    assert run_cli("dates", str(new), "--contract-date", "someday", passphrase=NEW).code == 1

    ics = tmp_path / "ccus.ics"
    assert run_cli("calendar", str(new), "--ics", str(ics), passphrase=NEW).code == 0
    uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")}
    assert run_cli("calendar", str(new), "--ics", str(ics), passphrase=NEW).code == 1  # exists
    # the renewed certificate replaces last year's, keeping its details
    renewed = tmp_path / "isms-2027.pdf"
    renewed.write_bytes(b"%PDF isms 2027")
    r = run_cli("replace", str(new), evidence_id, str(renewed), "--expires", "2030-05-01", passphrase=NEW)
    assert r.code == 0, r.err
    listed = json.loads(run_cli("evidence", str(new), "--json", passphrase=NEW).out)
    assert [(e["id"], e["filename"], e["issuer"], e["expires"]) for e in listed] == [
        (evidence_id, "isms-2027.pdf", "JQA", "2030-05-01")]
    assert run_cli("calendar", str(new), "--ics", str(ics), "--force", passphrase=NEW).code == 0
    again = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert {str(e["UID"]) for e in again} == uids
    expiry = next(e for e in again if str(e["UID"]).startswith(f"evidence-expiry-{evidence_id}"))
    assert expiry.decoded("DTSTART") == dt.date(2030, 5, 1)
    assert run_cli("check", str(new), passphrase=NEW).code == 0


def test_init_from_errors_are_one_line(tmp_path):
    r = run_cli("init", str(tmp_path / "new"), "--from", str(tmp_path / "missing"), "--same-passphrase",
                *FAST_KDF_ARGS)
    assert r.code == 1 and r.err.count("\n") == 1 and "not a CCUS Attest workspace" in r.err
    assert not (tmp_path / "new").exists()
    assert run_cli("init", str(tmp_path / "old"), "--period", "2026", *FAST_KDF_ARGS).code == 0
    r = run_cli("init", str(tmp_path / "new"), "--from", str(tmp_path / "old"), "--same-passphrase",
                *FAST_KDF_ARGS, passphrase="wrong passphrase!")
    assert r.code == 1 and "wrong passphrase" in r.err and not (tmp_path / "new").exists()
    r = run_cli("init", str(tmp_path / "old" / "inside"), "--from", str(tmp_path / "old"),
                "--same-passphrase", *FAST_KDF_ARGS, passphrase=PASSPHRASE)
    assert r.code == 1 and "outside" in r.err
    r = run_cli("--lang", "ja", "init", str(tmp_path / "old" / "inside"), "--from", str(tmp_path / "old"),
                "--same-passphrase", *FAST_KDF_ARGS, passphrase=PASSPHRASE)
    assert r.code == 1 and r.err.count("\n") == 1 and "前年度のワークスペースの外" in r.err
    # the comparison's inputs are said in Japanese too
    r = run_cli("--lang", "ja", "diff", str(tmp_path / "missing"), str(tmp_path / "old"))
    assert r.code == 1 and r.err.count("\n") == 1 and "missing がありません" in r.err
    (tmp_path / "plain").mkdir()
    r = run_cli("--lang", "ja", "diff", str(tmp_path / "plain"), str(tmp_path / "old"))
    assert r.code == 1 and "ワークスペースのフォルダーでもありません" in r.err
    r = run_cli("init", str(tmp_path / "x"), "--same-passphrase", *FAST_KDF_ARGS)
    assert r.code == 1 and "--from" in r.err
