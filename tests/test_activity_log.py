"""The activity log: every change is in it, and tampering with it is reported by `check` and `log`."""

from __future__ import annotations

import datetime as dt

import pytest

from storage import EvidenceMeta, Workspace
from storage.integrity import check_workspace

from .conftest import FAST_KDF, PASSPHRASE, run_cli
from .tamper import log_entries, put_entry, raw_db, real_keys, rehash, set_head
from .test_workspace import cert_file


def test_every_change_is_logged_once_with_what_changed(mini_ws, tmp_path):
    ws = mini_ws
    src = cert_file(tmp_path)
    added = {}

    def add():
        added["info"] = ws.add_evidence("CERT-02", src, EvidenceMeta("certificate"))

    steps = [
        (lambda: ws.set_answer("AGR-01", "はい"), [("answer.set", "AGR-01")]),
        (lambda: ws.set_answer("AGR-01", "yes"), []),  # same value: nothing changed, nothing logged
        (lambda: ws.set_answer("AGR-01", "はい", note="補足メモ"), [("answer.set", "AGR-01")]),  # note only
        (lambda: ws.set_answers({"CERT-01": "isms", "TEC-03": 30}),
         [("answer.set", "CERT-01"), ("answer.set", "TEC-03")]),
        (lambda: ws.set_answer("TEC-03", None), [("answer.cleared", "TEC-03")]),
        (lambda: ws.set_vendor("新しい社名株式会社"), [("profile.vendor", None)]),
        (add, [("evidence.added", "CERT-02")]),
        (lambda: ws.update_evidence(added["info"].id,
                                    EvidenceMeta("certificate", expires=dt.date(2027, 1, 1))),
         [("evidence.updated", "CERT-02")]),
        (lambda: ws.remove_evidence(added["info"].id), [("evidence.removed", "CERT-02")]),
        (lambda: ws.change_passphrase(PASSPHRASE, "another passphrase", FAST_KDF),
         [("passphrase.changed", None)]),
        (lambda: ws.record_activity("export.bundle", None, file="x.ccus"), [("export.bundle", None)]),
    ]
    for step, expected in steps:
        before = len(ws.activity())
        step()
        got = [(e.action, e.item) for e in ws.activity()[before:]]
        assert got == expected, (got, expected)
    entries = {(e.action, e.item): e.detail for e in ws.activity()}
    assert entries[("answer.set", "AGR-01")] == {"value": "yes", "note": "補足メモ"}
    assert entries[("profile.vendor", None)] == {"vendor": "新しい社名株式会社"}
    assert entries[("evidence.added", "CERT-02")]["filename"] == src.name
    assert entries[("evidence.removed", "CERT-02")]["sha256"] == added["info"].sha256
    assert "another passphrase" not in repr(entries)  # a secret never goes into the log
    assert ws.verify_activity() == []


@pytest.fixture
def logged(mini_ws):
    """A closed workspace with a log of 7 entries: created, 4 answers, vendor, answer."""
    mini_ws.set_answer("AGR-01", "はい")       # 2
    mini_ws.set_answer("CERT-01", "isms")      # 3
    mini_ws.set_answer("TEC-03", 30)           # 4
    mini_ws.set_answer("TEC-04", "はい")       # 5
    mini_ws.set_vendor("ベンダー株式会社")     # 6
    mini_ws.set_answer("TEC-05", "補足")       # 7
    path = mini_ws.path
    mini_ws.close()
    return path


def _edit_keep_hash(con, keys):
    e = log_entries(con, keys)[3]
    e["detail"]["value"] = "pmark"
    put_entry(con, keys, 3, e)


def _edit_rehash(con, keys):
    e = log_entries(con, keys)[3]
    e["detail"]["value"] = "pmark"
    put_entry(con, keys, 3, rehash(e))


def _delete_middle(con, keys):
    con.execute("DELETE FROM activity WHERE seq = 4")


def _delete_last(con, keys):
    con.execute("DELETE FROM activity WHERE seq = 7")


def _reorder_with_keys(con, keys):
    entries = log_entries(con, keys)
    put_entry(con, keys, 3, entries[4])
    put_entry(con, keys, 4, entries[3])


def _insert_with_keys(con, keys):
    """An extra entry appended and the head moved along: but it claims an answer
    the records do not have."""
    last = log_entries(con, keys)[7]
    extra = rehash({"seq": 8, "at": last["at"], "action": "answer.set", "item": "AGR-01",
                    "detail": {"value": "no", "note": "x"}, "prev": last["hash"]})
    put_entry(con, keys, 8, extra)
    set_head(con, keys, 8, extra["hash"])


@pytest.mark.parametrize(("tamper", "subject", "problem"), [
    (_edit_keep_hash, "activity log entry 3", "content was edited"),
    (_edit_rehash, "activity log entry 4", "does not follow the previous entry"),
    (_delete_middle, "activity log entry 5", "expected entry 4"),
    (_delete_last, "activity log", "entries removed"),
    (_reorder_with_keys, "activity log entry 4", "expected entry 3"),
], ids=["edited", "edited-rehashed", "deleted-middle", "deleted-last", "reordered"])
def test_tampered_log_is_reported_by_check_and_log(logged, tamper, subject, problem):
    keys = real_keys(logged)  # the attacker knows the passphrase: entries are re-sealed validly
    with raw_db(logged) as con:
        tamper(con, keys)
    report = check_workspace(logged, PASSPHRASE)
    assert not report.ok
    found = [f for f in report.findings if f.code == "activity-log"]
    assert any(f.subject == subject and problem in f.detail for f in found), found
    r = run_cli("log", str(logged))
    assert r.code == 1, r.out
    (line,) = r.err.strip().splitlines()
    assert "activity log damaged" in line and problem in line
    r = run_cli("check", str(logged))
    assert r.code == 1 and subject in r.out


def test_swapped_rows_without_keys_are_damaged_records(logged):
    with raw_db(logged) as con:
        a = con.execute("SELECT sealed FROM activity WHERE seq=3").fetchone()[0]
        b = con.execute("SELECT sealed FROM activity WHERE seq=4").fetchone()[0]
        con.execute("UPDATE activity SET sealed=? WHERE seq=3", (b,))
        con.execute("UPDATE activity SET sealed=? WHERE seq=4", (a,))
    report = check_workspace(logged, PASSPHRASE)
    assert {f.subject for f in report.findings if f.code == "record"} == {
        "activity log entry 3", "activity log entry 4"}
    r = run_cli("log", str(logged))
    assert r.code == 1 and "activity:3 is damaged or was altered" in r.err


def test_a_consistently_rewritten_log_still_disagrees_with_the_records(logged):
    """With the passphrase someone can rewrite the whole chain and its head; the chain
    then holds (the signed bundle is what protects a handed-over log), but the log no
    longer describes the records, and `check` says so."""
    keys = real_keys(logged)
    with raw_db(logged) as con:
        _insert_with_keys(con, keys)
    assert run_cli("log", str(logged)).code == 0  # the chain itself is intact
    report = check_workspace(logged, PASSPHRASE)
    (f,) = [f for f in report.findings if f.code == "log-mismatch"]
    assert f.subject == "answer AGR-01" and "entry 8" in f.detail


def test_log_head_is_sealed_so_truncation_shows(logged):
    with raw_db(logged) as con:
        con.execute("DELETE FROM activity WHERE seq >= 5")
    with Workspace.open(logged, PASSPHRASE) as ws:
        problems = ws.verify_activity()
    assert problems and "entries removed" in problems[-1]
