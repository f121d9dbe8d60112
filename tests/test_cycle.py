"""The yearly cycle's core: next year's workspace from this year's (storage/cycle.py), carried
answers that count for nothing until confirmed, the template upgrade, the read-only open."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from questionnaire import Outcome, ProblemCode, default_template, load_template_file
from questionnaire.carryover import plan_carry
from storage import (
    EvidenceMeta,
    ReadOnlyWorkspace,
    Workspace,
    WorkspaceLocked,
    WrongPassphrase,
)
from storage.cycle import carry_forward, changes_since_origin, choose_template
from storage.integrity import check_workspace

from .conftest import FAST_KDF, FIXTURES, PASSPHRASE, ROOT, tree_bytes

NEW_PASSPHRASE = "next year's passphrase"
TODAY = dt.date(2026, 12, 1)


def folder_hashes(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (SQLite's -wal/-shm and the lock included) by SHA-256."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def v2_template():
    return load_template_file(FIXTURES / "templates" / "mini-v0.2.yaml")


@pytest.fixture
def old_ws(tmp_path, mini_template):
    """Last year's workspace, closed: answers, notes and two evidence files."""
    ws = Workspace.create(tmp_path / "2026", PASSPHRASE, vendor="テスト建設システム株式会社",
                          template=mini_template, kdf=FAST_KDF, period=2026)
    ws.set_answers({"AGR-01": "yes", "CERT-01": "pmark", "CERT-02": {"value": "IS 1", "note": "登録証あり"},
                    "CERT-03": "2027-03-31", "TEC-01": "own", "TEC-03": 1000, "TEC-04": "yes",
                    "TEC-05": "補足"})
    cert = tmp_path / "cert.pdf"
    cert.write_bytes(b"%PDF-1.4 certificate " * 50)
    policy = tmp_path / "policy.pdf"
    policy.write_bytes(os.urandom(200_000))
    ws.add_evidence("CERT-02", cert, EvidenceMeta("certificate", title="登録証", issuer="JQA",
                                                  number="IS 1", expires=dt.date(2027, 2, 1)))
    ws.add_evidence("TEC-04", policy, EvidenceMeta("policy", title="診断規程"))
    ws.close()
    return tmp_path / "2026"


def test_carry_forward_leaves_last_year_byte_for_byte_and_needs_none_of_it(tmp_path, old_ws, mini_template):
    before = folder_hashes(old_ws)
    assert "workspace.lock" in before  # a closed workspace keeps its lock file: it must not change
    new, report = carry_forward(old_ws, PASSPHRASE, tmp_path / "2027", NEW_PASSPHRASE, kdf=FAST_KDF,
                                today=TODAY)
    new.close()
    assert folder_hashes(old_ws) == before
    assert not (old_ws / "attest.db-wal").exists() and not (old_ws / "attest.db-shm").exists()
    assert report.period == 2027 and report.origin.period == 2026

    # NEW stands alone: last year's folder gone, it opens, its evidence decrypts under its own keys
    moved = tmp_path / "archived"
    old_ws.rename(moved)
    with Workspace.open(tmp_path / "2027", NEW_PASSPHRASE) as ws:
        assert ws.period == 2027 and ws.vendor == "テスト建設システム株式会社"
        assert ws.answers()["CERT-02"].note == "登録証あり"
        assert {e.filename for e in ws.evidence()} == {"cert.pdf", "policy.pdf"}
        for info in ws.evidence():
            assert hashlib.sha256(ws.evidence_bytes(info.id)).hexdigest() == info.sha256
        new_id = ws.id
    with pytest.raises(WrongPassphrase):
        Workspace.open(tmp_path / "2027", PASSPHRASE)
    # re-encrypted: no blob file of last year's store appears in this year's
    old_blobs = {p.read_bytes() for p in (moved / "blobs").rglob("*.age")}
    new_blobs = {p.read_bytes() for p in (tmp_path / "2027" / "blobs").rglob("*.age")}
    assert len(new_blobs) == 2 and not old_blobs & new_blobs
    assert new_id != report.origin.workspace_id
    # nothing readable in clear in the new folder either
    for path, data in tree_bytes(tmp_path / "2027"):
        assert "登録証あり".encode() not in data and b"certificate " not in data, path
    assert check_workspace(tmp_path / "2027", NEW_PASSPHRASE).findings == []


def test_the_log_starts_with_the_origin(tmp_path, old_ws):
    with Workspace.open_readonly(old_ws, PASSPHRASE) as old:
        old_id, old_head = old.id, old.log_head
    new, _ = carry_forward(old_ws, PASSPHRASE, tmp_path / "2027", NEW_PASSPHRASE, kdf=FAST_KDF, today=TODAY)
    with new:
        first = new.activity()[0]
        assert first.seq == 1 and first.action == "workspace.created"
        origin = first.detail["origin"]
        assert origin["workspace_id"] == old_id and origin["period"] == 2026
        assert origin["log_head"] == {"seq": old_head[0], "hash": old_head[1]}
        assert new.origin.log_head == old_head and new.lineage == old_id
        assert new.verify_activity() == []
        actions = [e.action for e in new.activity()]
        assert actions.count("evidence.added") == 2 and actions[-1] == "cycle.carried_forward"


def test_carried_answers_count_for_nothing_until_confirmed(tmp_path, old_ws):
    new, _ = carry_forward(old_ws, PASSPHRASE, tmp_path / "2027", NEW_PASSPHRASE, kdf=FAST_KDF, today=TODAY)
    with new:
        a = new.assess(TODAY)
        assert a.total.carried == a.total.unconfirmed == 8  # shown items with a carried answer
        assert a.total.complete == 0 and not a.can_submit
        state = a.items["AGR-01"]
        assert state.outcome is Outcome.TO_CONFIRM and state.outcome.blocking
        assert state.outcome.label.ja == "前年から引継ぎ・要確認"
        assert [p.code for p in state.problems] == [ProblemCode.CARRIED_UNCONFIRMED]
        assert a.total.count(Outcome.CONFORMING) == 0

        assert new.confirm_carried(["AGR-01"]) == ["AGR-01"]
        a = new.assess(TODAY)
        assert a.items["AGR-01"].outcome is Outcome.CONFORMING
        assert (a.total.carried, a.total.confirmed, a.total.unconfirmed) == (8, 1, 7)

        new.set_answer("TEC-04", "partial", "来期に是正")  # changing a carried answer confirms it
        assert new.carry_mark("TEC-04").confirmed_by == "edit"
        assert new.assess(TODAY).items["TEC-04"].outcome is Outcome.NON_CONFORMING  # 一部, binding

        section = [i.id for i in new.template.section("CERT").items]
        assert new.confirm_carried(section, "section") == ["CERT-01", "CERT-02", "CERT-03"]
        assert new.unconfirm_carried(["CERT-03"]) == ["CERT-03"]
        assert new.assess(TODAY).items["CERT-03"].outcome is Outcome.TO_CONFIRM
        done = new.confirm_carried(new.unconfirmed(), "all")
        assert set(done) >= {"CERT-03", "TEC-01"}
        assert new.assess(TODAY).total.unconfirmed == 0
    # the state survives reopening, and the log replays to it
    with Workspace.open(tmp_path / "2027", NEW_PASSPHRASE) as ws:
        assert ws.assess(TODAY).total.unconfirmed == 0
        assert ws.carry_mark("AGR-01").confirmed_by == "item"
    assert check_workspace(tmp_path / "2027", NEW_PASSPHRASE).findings == []


def test_template_upgrade_maps_by_item_id_flags_changed_questions_and_drops_invalid_answers(
        tmp_path, old_ws, v2_template):
    new, report = carry_forward(old_ws, PASSPHRASE, tmp_path / "2027", NEW_PASSPHRASE, template=v2_template,
                                kdf=FAST_KDF, today=TODAY)
    plan = report.plan
    assert plan.upgraded and new.template.version == "0.2"
    assert plan.added_items == ("AGR-02",) and plan.removed_items == ("TEC-05",)
    assert set(plan.changed_items) == {"AGR-01", "CERT-01", "CERT-03", "TEC-03"}
    dropped = {(d.item_id, d.what): d.value for d in plan.dropped}
    assert dropped == {("CERT-01", "value"): "pmark", ("TEC-03", "value"): 1000, ("TEC-05", "answer"): "補足"}
    with new:
        marks = new.carried()
        assert marks["AGR-01"].changed_question and marks["AGR-01"].changes == ("text",)
        assert not marks["TEC-01"].changed_question
        assert "CERT-01" not in new.answers() and "TEC-05" not in new.answers()
        a = new.assess(TODAY)
        problem = next(p for p in a.items["AGR-01"].problems if p.code is ProblemCode.CARRIED_UNCONFIRMED)
        assert "設問の文言・規則が変わりました" in problem.text("ja")
        assert a.items["AGR-02"].outcome is Outcome.UNANSWERED
        # bulk confirmation leaves changed questions to be confirmed one by one
        assert "AGR-01" not in new.unconfirmed(include_changed=False)
        assert "AGR-01" in new.unconfirmed()
        # what changed since the origin, from NEW alone
        new.set_answer("TEC-01", "cloud")
        changes = changes_since_origin(new)
        assert changes.answers["TEC-01"] == "changed" and changes.answers["AGR-01"] == "unchanged"
        assert {d["item_id"] for d in changes.dropped} == {"CERT-01", "TEC-03", "TEC-05"}


def test_the_app_template_replaces_an_older_version_only():
    current = default_template()
    assert choose_template(current, current) is current
    older = load_template_file(Path(__file__).resolve().parent.parent / "questionnaire" / "templates"
                               / "ccus-survey-v1.yaml")
    assert older.id == current.id and older.version == "1.0.0"
    assert choose_template(older, current) is current


def test_upgrade_from_the_released_1_0_template(tmp_path):
    """A 1.0.0 workspace carried into 1.1.0: answers mapped by ID, 1.1's new items unanswered,
    INC-06 (removed) dropped with a report; a changed rule (AGR-05's expected answers) flagged."""
    v1 = load_template_file(Path(__file__).resolve().parent.parent / "questionnaire" / "templates"
                            / "ccus-survey-v1.yaml")
    with Workspace.create(tmp_path / "old", PASSPHRASE, template=v1, kdf=FAST_KDF) as ws:
        ws.set_answers({"AGR-01": "yes", "AGR-05": "na", "INC-06": "なし"})
    new, report = carry_forward(tmp_path / "old", PASSPHRASE, tmp_path / "new", NEW_PASSPHRASE,
                                kdf=FAST_KDF, today=TODAY)
    with new:
        assert new.template.version == "1.1.0"
        assert "AGR-10" in report.plan.added_items and "INC-06" in report.plan.removed_items
        assert [d.item_id for d in report.plan.dropped] == ["INC-06"]
        assert new.carry_mark("AGR-05").changed_question
        assert "expected" in new.carry_mark("AGR-05").changes


def test_expiring_evidence_is_flagged_against_the_period(tmp_path, old_ws):
    _, report = carry_forward(old_ws, PASSPHRASE, tmp_path / "2027", NEW_PASSPHRASE, kdf=FAST_KDF,
                              today=TODAY)
    # no contract date: the period's check date is 1 January 2027; the certificate expires 2027-02-01
    assert report.check_date == dt.date(2027, 1, 1)
    assert [e.filename for e in report.flagged] == ["cert.pdf"]


def test_replace_keeps_the_id_and_the_details(tmp_path, old_ws):
    new, report = carry_forward(old_ws, PASSPHRASE, tmp_path / "2027", NEW_PASSPHRASE, kdf=FAST_KDF,
                                today=TODAY)
    renewed = tmp_path / "cert-2027.pdf"
    renewed.write_bytes(b"%PDF-1.4 renewed certificate")
    with new:
        old = report.flagged[0]
        info = new.replace_evidence(old.id, renewed, EvidenceMeta(
            old.kind, old.title, old.issuer, old.number, old.issued, dt.date(2030, 2, 1)))
        assert info.id == old.id and info.filename == "cert-2027.pdf" and info.issuer == "JQA"
        assert new.evidence_bytes(info.id) == renewed.read_bytes()
        changes = changes_since_origin(new)
        assert [(o["filename"], n.filename) for o, n in changes.evidence_replaced] == [
            ("cert.pdf", "cert-2027.pdf")]
    assert check_workspace(tmp_path / "2027", NEW_PASSPHRASE).findings == []


def test_read_only_open_writes_nothing_and_refuses_changes(tmp_path, old_ws):
    before = folder_hashes(old_ws)
    with Workspace.open_readonly(old_ws, PASSPHRASE) as ws:
        assert ws.read_only and ws.answers()["AGR-01"].value == "yes"
        with pytest.raises(ReadOnlyWorkspace):
            ws.set_answer("AGR-01", "no")
        with pytest.raises(ReadOnlyWorkspace):
            ws.set_contract_date("2026-04-01")
        with pytest.raises(ReadOnlyWorkspace):
            ws.remove_evidence(ws.evidence()[0].id)
    assert folder_hashes(old_ws) == before


def test_read_only_open_refuses_a_workspace_in_use(old_ws):
    with Workspace.open(old_ws, PASSPHRASE), pytest.raises(WorkspaceLocked):
        Workspace.open_readonly(old_ws, PASSPHRASE)


def test_read_only_open_sees_a_wal_left_by_a_crash_and_still_writes_nothing(tmp_path, old_ws):
    """A workspace whose app was killed keeps committed changes in attest.db-wal: they are read
    (from a private copy; ``immutable`` would miss them), and the folder still does not change."""
    script = (
        "import os, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from storage import Workspace\n"
        f"ws = Workspace.open({str(old_ws)!r}, {PASSPHRASE!r})\n"
        "ws.set_answer('AGR-01', 'no', '直前の変更')\n"
        "os._exit(0)  # killed: no close, no checkpoint\n")
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    assert (old_ws / "attest.db-wal").stat().st_size > 0
    before = folder_hashes(old_ws)
    with Workspace.open_readonly(old_ws, PASSPHRASE) as ws:
        assert ws.answers()["AGR-01"].value == "no"
    assert folder_hashes(old_ws) == before
    new, _ = carry_forward(old_ws, PASSPHRASE, tmp_path / "2027", NEW_PASSPHRASE, kdf=FAST_KDF, today=TODAY)
    with new:
        assert new.answers()["AGR-01"].note == "直前の変更"
    assert folder_hashes(old_ws) == before


def test_an_older_schema_is_read_without_migrating(tmp_path, mini_template):
    """Last year's workspace was written by last year's app (schema 0002, no period): it is read
    as it is, and carried forward."""
    with Workspace.create(tmp_path / "old", PASSPHRASE, template=mini_template, kdf=FAST_KDF) as ws:
        ws.set_answer("AGR-01", "yes")
    con = sqlite3.connect(tmp_path / "old" / "attest.db")
    con.execute("DROP TABLE carried")
    con.execute("ALTER TABLE workspace DROP COLUMN origin_sealed")
    con.execute("ALTER TABLE workspace DROP COLUMN period")
    con.execute("UPDATE alembic_version SET version_num='0002'")
    con.commit()
    con.close()
    before = folder_hashes(tmp_path / "old")
    with Workspace.open_readonly(tmp_path / "old", PASSPHRASE) as ws:
        assert ws.period is None and ws.answers()["AGR-01"].value == "yes"
    new, report = carry_forward(tmp_path / "old", PASSPHRASE, tmp_path / "new", NEW_PASSPHRASE,
                                kdf=FAST_KDF, today=TODAY)
    new.close()
    assert folder_hashes(tmp_path / "old") == before
    assert report.period == int(dt.date.today().year) + 1 and report.origin.period is None


def test_plan_is_pure_and_json_friendly(mini_template, v2_template):
    from questionnaire import Answer

    plan = plan_carry(mini_template, v2_template, {"AGR-01": Answer("yes"), "TEC-05": Answer("x")}, [])
    json.dumps(plan.summary(), ensure_ascii=False)
    assert list(plan.answers) == ["AGR-01"]
