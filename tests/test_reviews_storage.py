"""Imported reviews in the workspace database (migration 0002), sealed and logged."""

from __future__ import annotations

import datetime as dt
import sqlite3

from alembic import command
from alembic.config import Config

from questionnaire.review import Finding, ProblemKind, Review, ReviewProblem, Verdict, from_document
from storage import Workspace, db
from storage.reviews import known_submission_ids, latest_review, save_review, stored_reviews

from .conftest import FAST_KDF, PASSPHRASE, tree_bytes


def _review(submission_id: str, comment: str = "委託先の監督記録が不足") -> Review:
    return Review(
        submission_id=submission_id, template_id="mini-test", template_version="0.1",
        template_sha256="0" * 64, imported_at="2026-12-01T00:00:00Z", source_name="レビュー.xlsx",
        source_sha256="1" * 64, checklist_made_at="2026-11-25T09:00:00+09:00", checklist_on="2026-11-25",
        findings=(Finding("AGR-01", Verdict.NONCONFORMING, comment, "監査 一郎", dt.date(2026, 12, 1),
                          "2" * 64),
                  Finding("TEC-04", None, "現地で確認", "", None, "3" * 64)),
        problems=(ReviewProblem(ProblemKind.CELL_ALTERED, "CERT-02", 9, "回答", "「A」→「B」"),),
    )


def test_reviews_are_sealed_logged_and_ordered(mini_ws):
    first = _review(mini_ws.id, "最初の指摘：秘密保持誓約書の回収漏れ")
    second = _review(mini_ws.id, "二回目の指摘")
    id1 = save_review(mini_ws, first)
    id2 = save_review(mini_ws, second)
    stored = stored_reviews(mini_ws)
    assert [s.id for s in stored] == [id1, id2]
    assert stored[0].review == first and stored[1].review == second
    assert latest_review(mini_ws).id == id2
    assert latest_review(mini_ws, {"another"}) is None
    entries = [e for e in mini_ws.activity() if e.action == "review.imported"]
    assert [e.detail["review"] for e in entries] == [id1, id2]
    assert entries[0].detail["verdicts"]["nonconforming"] == 1
    assert mini_ws.verify_activity() == []
    # nothing the auditor wrote is in the files in clear
    path = mini_ws.path
    mini_ws.close()
    for f, data in tree_bytes(path):
        assert "秘密保持誓約書".encode() not in data, f
        assert "監査 一郎".encode() not in data, f
    with Workspace.open(path, PASSPHRASE) as ws:
        assert stored_reviews(ws)[1].review == second


def test_review_document_round_trip():
    review = _review("sub-1")
    assert from_document(review.to_document()) == review


def test_known_submission_ids_come_from_the_log(mini_ws):
    mini_ws.record_activity("bundle.exported", None, submission_id="bundle-1234")
    mini_ws.record_activity("other.thing", None, note="no id")
    assert known_submission_ids(mini_ws) == {mini_ws.id, "bundle-1234"}


def test_workspace_from_before_0002_opens_and_migrates(tmp_path, mini_template):
    # a workspace of the previous version of the app: schema 0001 only (made with today's code,
    # then brought down with the migrations' own downgrade steps: the columns and tables of
    # later revisions are gone, the sealed records are as that version wrote them)
    ws = Workspace.create(tmp_path / "old", PASSPHRASE, vendor="旧版ベンダー", template=mini_template,
                          kdf=FAST_KDF)
    ws.set_answer("AGR-01", "はい")
    ws.close()
    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS_DIR))
    engine = db.make_engine(tmp_path / "old" / "attest.db")
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    engine.dispose()
    con = sqlite3.connect(tmp_path / "old" / "attest.db")
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert con.execute("SELECT name FROM sqlite_master WHERE name='review'").fetchone() is None
    con.close()

    with Workspace.open(tmp_path / "old", PASSPHRASE) as ws:
        assert ws.answer("AGR-01").value == "yes" and ws.vendor == "旧版ベンダー"
        assert ws.verify_activity() == []
        save_review(ws, _review(ws.id))
        assert len(stored_reviews(ws)) == 1
    con = sqlite3.connect(tmp_path / "old" / "attest.db")
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (db.HEAD_REVISION,)
    con.close()
