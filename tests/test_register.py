"""The auditor's register, on SQLite and on a real PostgreSQL (tests/register_support.py):
migrations from empty, adding real bundles with the full auditor checks and the register's
pins, refusing dishonest and tampered bundles with nothing stored, filters, optimistic
concurrency between two sessions, read-only access, the 全社一覧 workbook and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, text

from questionnaire.review import Verdict
from register import db as rdb
from register.add import ADDED, ALREADY, add_bundles
from register.errors import BundleRefused, ReadOnlyRegister, VerdictConflict
from register.export_xlsx import write_overview
from register.models import CorrectiveAction, ItemReview, SigningKey, VerdictEvent
from register.queries import Filters, list_submissions, submission_detail
from register.verdicts import set_verdict

from .bundle_support import MINI
from .conftest import run_cli
from .register_support import VENDOR_A, VENDOR_B, all_rows, store_files
from .vendor_kit import TOOLS

pytestmark = pytest.mark.tools
missing = [t for t in TOOLS if shutil.which(t) is None]
if missing:  # installed by scripts/bootstrap.sh (TEST_PKGS); never skip silently
    pytest.fail(f"standard tools missing: {', '.join(missing)}", pytrace=False)


def _init(target):
    return rdb.init_register(target.url, target.store)


def _add(reg, paths, auditor, **kw):
    return add_bundles(reg, [str(p) for p in paths], identity=auditor.identity_path, templates=MINI, **kw)


@pytest.fixture
def filled(target, bundles, auditor):
    """A register holding vendor A's two submissions and vendor B's one."""
    reg = _init(target)
    results = _add(reg, [bundles.a1, bundles.a2, bundles.b1], auditor, trust_new_signer=True)
    assert all(r.status == ADDED for r in results), results
    yield reg
    reg.close()


# --- schema -----------------------------------------------------------------------------------


def test_migrations_from_an_empty_database_give_the_models_schema(target):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from register.models import Base

    with _init(target) as reg:
        assert rdb.current_revision(reg.engine) == rdb.HEAD_REVISION
        with reg.engine.connect() as conn:
            mc = MigrationContext.configure(conn, opts={"version_table": rdb.VERSION_TABLE})
            assert compare_metadata(mc, Base.metadata) == []
        assert reg.store.root == target.store.absolute()
    # init again: nothing to do, the store kept
    with _init(target) as reg:
        assert not rdb.upgrade(reg.engine)
    assert all(n == 0 for n in all_rows(target.url).values())


def test_the_head_revision_in_code_is_the_migrations_head():
    from alembic.script import ScriptDirectory

    assert ScriptDirectory.from_config(rdb._alembic_config()).get_current_head() == rdb.HEAD_REVISION


def test_opening_a_register_that_was_never_made_says_so(target):
    with pytest.raises(rdb.NotInitialised, match="register init"):
        rdb.open_register(target.url)


# --- add --------------------------------------------------------------------------------------


def test_add_verifies_pins_and_records_everything_but_evidence_contents(target, bundles, auditor):
    with _init(target) as reg:
        refused = _add(reg, [bundles.a1], auditor)
        assert isinstance(refused[0], BundleRefused) and "--trust-new-signer" in str(refused[0])
        assert all(n == 0 for n in all_rows(target.url).values())
        assert store_files(target.store) == []

        (added,) = _add(reg, [bundles.a1], auditor, trust_new_signer=True)
        assert added.status == ADDED and added.vendor == VENDOR_A and "pinned" in added.detail
        detail = submission_detail(reg, added.submission_id)
        sub = detail.submission
        assert sub.template_official and sub.verified and sub.can_submit
        assert sub.required == sub.complete >= 100 and sub.unanswered == 0
        assert len(detail.items) == 116 and {i.version for i in detail.items} == {1}
        assert detail.evidence and all(len(e.sha256) == 64 for e in detail.evidence)
        assert detail.row.review_state == "unreviewed"
        assert {c["name"] for c in detail.checks} >= {"outer-signature", "official-template", "conclusions"}
        # the stored file is the bundle, byte for byte, still encrypted
        stored = reg.store.path_of(sub.bundle_sha256)
        assert stored.read_bytes() == bundles.a1.read_bytes()
        assert store_files(target.store) == [str(stored.relative_to(target.store))]

        # idempotent: the same file again, nothing new
        (again,) = _add(reg, [bundles.a1], auditor)
        assert again.status == ALREADY
        assert all_rows(target.url)["submission"] == 1

        # the second submission links to the first; the key is the pinned one
        (second,) = _add(reg, [bundles.a2], auditor)
        assert second.status == ADDED and "is the one pinned" in second.detail
        assert submission_detail(reg, second.submission_id).submission.previous_id == added.submission_id


def test_a_changed_key_is_refused_until_accepted_and_kept_in_the_history(target, bundles, auditor,
                                                                        signer, other_signer):
    with _init(target) as reg:
        _add(reg, [bundles.a1], auditor, trust_new_signer=True)
        before = all_rows(target.url)
        (refused,) = _add(reg, [bundles.a_new_key], auditor, trust_new_signer=True)
        assert isinstance(refused, BundleRefused)
        assert f"pinned to key {signer.key_id}" in refused.reason and other_signer.key_id in refused.reason
        assert "--accept-key-change" in refused.reason
        assert all_rows(target.url) == before
        (accepted,) = _add(reg, [bundles.a_new_key], auditor, accept_key_change=True)
        assert accepted.status == ADDED and accepted.detail.startswith("ACCEPTED by you")
        with reg.unit() as s:
            keys = s.scalars(select(SigningKey).order_by(SigningKey.id)).all()
            assert [(k.key_id, k.retired_at is None) for k in keys] == [(signer.key_id, False),
                                                                        (other_signer.key_id, True)]
            assert [k.how for k in keys] == ["trusted-new", "accepted-change"]
        # the old key is retired: a bundle it signs now needs the auditor's decision again
        (old,) = _add(reg, [bundles.a2], auditor)
        assert isinstance(old, BundleRefused) and "retired key" in old.reason


def test_the_same_key_under_another_vendor_name_needs_acceptance(target, bundles, auditor):
    # vendor B's bundle is signed by the very key pinned for vendor A
    with _init(target) as reg:
        _add(reg, [bundles.a1], auditor, trust_new_signer=True)
        (refused,) = _add(reg, [bundles.b_with_a_key], auditor, trust_new_signer=True)
        assert isinstance(refused, BundleRefused)
        assert VENDOR_A in refused.reason and VENDOR_B in refused.reason


@pytest.mark.parametrize("which", ["dishonest", "tampered"])
def test_a_dishonest_or_tampered_bundle_is_refused_with_nothing_stored(target, bundles, auditor, which):
    with _init(target) as reg:
        (refused,) = _add(reg, [getattr(bundles, which)], auditor, trust_new_signer=True,
                          accept_key_change=True)
        assert isinstance(refused, BundleRefused)
        assert "verification failed" in refused.reason
        if which == "dishonest":
            assert "answer-values" in refused.reason or "activity-replay" in refused.reason
        assert all(n == 0 for n in all_rows(target.url).values())
        assert store_files(target.store) == []  # not even in incoming


# --- list and filters ------------------------------------------------------------------------


def test_list_filters(filled, target):
    reg = filled
    everything = list_submissions(reg)
    assert [r.vendor for r in everything] == [VENDOR_B, VENDOR_A, VENDOR_A]  # by code point: テ < 株
    year = everything[0].fiscal_year
    today = dt.date.today()
    assert year == (today.year if today.month >= 4 else today.year - 1)
    assert len(list_submissions(reg, Filters(year=year))) == 3
    assert list_submissions(reg, Filters(year=year - 1)) == []
    assert {r.vendor for r in list_submissions(reg, Filters(vendor="サンプル"))} == {VENDOR_A}
    assert len(list_submissions(reg, Filters(vendor="ｓａｍｐｌｅ"))) == 0
    assert len(list_submissions(reg, Filters(latest_only=True))) == 2
    assert len(list_submissions(reg, Filters(review_state="unreviewed"))) == 3
    # the evidence of both vendors expires in 700 days (tests/bundle_support.py)
    assert list_submissions(reg, Filters(expiring_within=600)) == []
    assert len(list_submissions(reg, Filters(expiring_within=701))) == 3
    assert len(list_submissions(reg, Filters(expiring_within=0, on=today + dt.timedelta(days=800)))) == 3
    # corrective actions: bundles of this version carry none; one recorded, overdue, then verified
    sid = everything[0].id
    with reg.unit() as s:
        s.add(CorrectiveAction(submission_id=sid, item_id="AGR-01", description="是正計画",
                               due=today - dt.timedelta(days=1)))
    (overdue,) = list_submissions(reg, Filters(overdue_actions=True))
    assert overdue.id == sid and overdue.overdue_actions == 1
    assert list_submissions(reg, Filters(overdue_actions=True, on=today - dt.timedelta(days=1))) == []
    with reg.unit() as s:
        s.scalars(select(CorrectiveAction)).one().verified_at = dt.datetime.now(dt.UTC)
    assert list_submissions(reg, Filters(overdue_actions=True)) == []


# --- verdicts -------------------------------------------------------------------------------


def test_verdicts_keep_a_trail_and_the_review_state(filled):
    reg = filled
    sid = list_submissions(reg, Filters(vendor=VENDOR_B))[0].id
    before, after = set_verdict(reg, sid, "AGR-01", Verdict.NONCONFORMING, "規程の改定日が不明")
    assert before.verdict is None and before.version == 1
    assert after.version == 2 and after.reviewer == reg.who
    row = list_submissions(reg, Filters(submission=sid))[0]
    assert row.review_state == "in_progress" and row.open_findings == 1 and row.reviewed_items == 1
    set_verdict(reg, sid, "AGR-01", Verdict.CONFORMS, "確認済み")
    for item in submission_detail(reg, sid).items:
        if item.outcome != "hidden" and item.item_id != "AGR-01":
            set_verdict(reg, sid, item.item_id, Verdict.CONFORMS)
    row = list_submissions(reg, Filters(submission=sid))[0]
    assert row.review_state == "reviewed" and row.open_findings == 0
    with reg.unit() as s:
        trail = s.scalars(select(VerdictEvent).where(VerdictEvent.item_id == "AGR-01")
                          .order_by(VerdictEvent.id)).all()
        assert [(e.verdict, e.comment, e.version) for e in trail] == [
            ("nonconforming", "規程の改定日が不明", 2), ("conforms", "確認済み", 3)]


def test_two_sessions_editing_the_same_verdict_conflict_and_nothing_is_overwritten(filled, target):
    first = filled
    second = rdb.open_register(target.url)  # another auditor: another engine, other connections
    try:
        sid = list_submissions(first)[0].id
        seen_by_first = submission_detail(first, sid).items[0]
        seen_by_second = submission_detail(second, sid).items[0]
        assert seen_by_first.version == seen_by_second.version == 1
        item = seen_by_first.item_id
        set_verdict(second, sid, item, Verdict.NEEDS_CHECK, "証跡の日付を確認", expected_version=1)
        with pytest.raises(VerdictConflict) as caught:
            set_verdict(first, sid, item, Verdict.CONFORMS, "問題なし", expected_version=1)
        conflict = caught.value
        assert conflict.theirs.verdict == "needs_check" and conflict.theirs.comment == "証跡の日付を確認"
        assert conflict.mine.verdict == "conforms" and conflict.mine.comment == "問題なし"
        assert "証跡の日付を確認" in str(conflict) and "問題なし" in str(conflict)
        kept = submission_detail(first, sid).items[0]
        assert (kept.verdict, kept.comment, kept.version) == ("needs_check", "証跡の日付を確認", 2)
        with first.unit() as s:
            assert s.scalar(select(VerdictEvent.comment)) == "証跡の日付を確認"
            assert len(s.scalars(select(VerdictEvent)).all()) == 1
    finally:
        second.close()


def test_the_version_column_guards_even_a_change_between_read_and_write(filled, target):
    """Below the API: two ORM sessions read version 1; the second UPDATE matches no row."""
    if target.kind == "sqlite":
        pytest.skip("SQLite's BEGIN IMMEDIATE makes the second writer wait; the API test covers it")
    from sqlalchemy.orm import Session
    from sqlalchemy.orm.exc import StaleDataError

    reg = filled
    sid = list_submissions(reg)[0].id
    with Session(reg.engine) as a, Session(reg.engine) as b:
        row_a = a.scalars(select(ItemReview).where(ItemReview.submission_id == sid).limit(1)).one()
        row_id = row_a.id
        row_b = b.get(ItemReview, row_id)
        row_b.verdict = "conforms"
        b.commit()
        row_a.verdict = "nonconforming"
        with pytest.raises(StaleDataError):
            a.commit()
    with reg.unit() as s:
        assert s.get(ItemReview, row_id).verdict == "conforms"


def test_the_trail_is_append_only_on_postgresql(filled, target):
    if target.kind != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    reg = filled
    sid = list_submissions(reg)[0].id
    set_verdict(reg, sid, "AGR-01", Verdict.CONFORMS)
    with pytest.raises(ReadOnlyRegister), reg.unit() as s:
        s.execute(text("UPDATE verdict_event SET comment = 'rewritten'"))
    with pytest.raises(ReadOnlyRegister), reg.unit() as s:
        s.execute(text("DELETE FROM verdict_event"))


# --- read-only ------------------------------------------------------------------------------


def test_a_read_only_user_can_list_but_not_edit(filled, target):
    sid = list_submissions(filled)[0].id
    if target.kind == "postgresql":
        role = f"reader_{target.database}"
        target.cluster.admin(f'CREATE ROLE "{role}" LOGIN')
        target.cluster.admin(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"', target.database)
        url = target.cluster.url(target.database, user=role)
        reader = rdb.open_register(url)   # not even told it is read-only: the server refuses
    else:
        url = target.url
        reader = rdb.open_register(url, read_only=True)
        reader.read_only = False  # bypass the app's own check: SQLite itself must refuse
    try:
        assert len(list_submissions(reader)) == 3
        assert submission_detail(reader, sid).items
        with pytest.raises(ReadOnlyRegister, match="read-only"):
            set_verdict(reader, sid, "AGR-01", Verdict.CONFORMS)
    finally:
        reader.close()
    with filled.unit() as s:
        assert s.scalar(select(ItemReview.verdict).where(ItemReview.item_id == "AGR-01",
                                                         ItemReview.submission_id == sid)) is None
        assert s.scalars(select(VerdictEvent)).all() == []


# --- the 全社一覧 workbook ----------------------------------------------------------------------


def test_the_overview_workbook_has_one_row_per_vendor_year(filled, tmp_path):
    reg = filled
    sid_b = list_submissions(reg, Filters(vendor=VENDOR_B))[0].id
    set_verdict(reg, sid_b, "AGR-01", Verdict.NONCONFORMING, "=HYPERLINK(\"http://x\")")
    out = tmp_path / "overview.xlsx"
    assert write_overview(reg, out) == 2
    wb = load_workbook(out)
    ws = wb["全社一覧"]
    from exports.checklist_columns import FIRST_DATA_ROW, HEADER_ROW  # the checklist's layout

    header = [ws.cell(row=HEADER_ROW, column=c).value for c in range(1, 21)]
    assert header[1] == "提出者\nVendor" and header[9] == "再計算の結論\nRecomputed"
    rows = [[ws.cell(row=r, column=c).value for c in range(1, 21)]
            for r in (FIRST_DATA_ROW, FIRST_DATA_ROW + 1)]
    b, a = rows
    assert a[1] == VENDOR_A and a[3] == 2 and a[9] == "提出可" and a[14] == "未着手"
    assert b[1] == VENDOR_B and b[3] == 1 and b[9] == "提出可（非公式テンプレート）"
    assert b[14] == "審査中" and b[16] == 1
    latest_a = list_submissions(reg, Filters(vendor=VENDOR_A, latest_only=True))[0]
    assert a[4] == latest_a.id
    link = ws.cell(row=FIRST_DATA_ROW + 1, column=5).hyperlink
    assert link.target == reg.store.path_of(latest_a.bundle_sha256).as_uri()
    assert ws.freeze_panes == f"C{FIRST_DATA_ROW}" and ws.auto_filter.ref.startswith(f"A{HEADER_ROW}:")
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


# --- the CLI -------------------------------------------------------------------------------------


def test_the_cli(target, bundles, auditor, tmp_path):
    db = ["--db", target.url]
    r = run_cli("register", "init", *db, "--store", str(target.store))
    assert r.code == 0, r.err
    add = ["--lang", "en", "register", "add", *db, "--identity", str(auditor.identity_path),
           "--template", str(MINI[0])]
    r = run_cli(*add, str(bundles.a1))
    assert r.code == 1 and "--trust-new-signer" in r.err and r.out == ""
    r = run_cli(*add, "--trust-new-signer", str(bundles.a1), str(bundles.b1), str(bundles.dishonest))
    assert r.code == 1
    assert r.out.count("added: ") == 2
    err = r.err.strip().splitlines()
    assert len(err) == 2 and "dishonest" not in err[0] and "verification failed" in err[0]
    assert "1 of 3 bundles not added" in err[1]
    r = run_cli(*add, str(bundles.a1))
    assert r.code == 0 and r.out.startswith("already there")
    r = run_cli("--lang", "ja", *add[2:], str(bundles.a1))
    assert r.code == 0 and r.out.startswith("登録済み")

    r = run_cli("register", "list", *db, "--json")
    listed = __import__("json").loads(r.out)
    assert r.code == 0 and [x["vendor"] for x in listed] == [VENDOR_B, VENDOR_A]
    sid = listed[1]["id"]
    r = run_cli("--lang", "en", "register", "list", *db, "--vendor", "テスト", "--review-state", "unreviewed")
    assert r.code == 0 and VENDOR_B in r.out and VENDOR_A not in r.out

    r = run_cli("register", "verdict", *db, sid[:8], "AGR-01", "不適合", "--comment", "規程なし",
                "--expect-version", "1")
    assert r.code == 0 and "version 2" in r.out, r.err
    r = run_cli("register", "verdict", *db, sid, "AGR-01", "conforms", "--expect-version", "1")
    assert r.code == 1 and "規程なし" in r.err and "not saved" in r.err and len(r.err.splitlines()) == 1
    r = run_cli("register", "verdict", *db, sid, "AGR-01", "maybe")
    assert r.code == 1 and "unknown verdict" in r.err

    r = run_cli("--lang", "en", "register", "show", *db, sid)
    assert r.code == 0 and "nonconforming" in r.out and "規程なし" in r.out and VENDOR_A in r.out
    r = run_cli("register", "show", *db, "nosuchsubmission")
    assert r.code == 1 and r.err.count("\n") == 1

    out = tmp_path / "全社一覧.xlsx"
    r = run_cli("--lang", "en", "register", "export", *db, "--xlsx", str(out))
    assert r.code == 0 and out.is_file() and "2 vendor-year rows" in r.out
    r = run_cli("register", "export", *db, "--xlsx", str(out))
    assert r.code == 1 and "already exists" in r.err


def test_the_cli_on_a_missing_register_says_how_to_make_one(tmp_path):
    r = run_cli("register", "list", "--db", f"sqlite:///{tmp_path / 'none.db'}")
    assert r.code == 1 and "register init" in r.err and len(r.err.splitlines()) == 1


def test_two_auditors_adding_the_same_bundle_at_once_store_it_once(target, bundles, auditor, monkeypatch):
    """PostgreSQL lets the other auditor's add commit between our check and our commit; the
    unique submission ID refuses our second copy and the add is retried: 'already there'."""
    import register.add as radd

    with _init(target) as reg:
        _add(reg, [bundles.a1], auditor, trust_new_signer=True)
        real = radd._insert_submission
        raced = []

        def racing(s, *args, **kwargs):
            if not raced:
                raced.append(True)
                if target.kind == "postgresql":  # SQLite's BEGIN IMMEDIATE: no one gets in between
                    with rdb.open_register(target.url) as other:
                        (theirs,) = _add(other, [bundles.a2], auditor)
                        assert theirs.status == ADDED
            return real(s, *args, **kwargs)

        monkeypatch.setattr(radd, "_insert_submission", racing)
        (ours,) = _add(reg, [bundles.a2], auditor)
        assert ours.status == (ALREADY if target.kind == "postgresql" else ADDED)
        assert all_rows(target.url)["submission"] == 2
        assert len(store_files(target.store)) == 2


# --- register diff -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_years(tmp_path_factory, signer, auditor):
    """Vendor A's bundle of last 年度 (exported with the clock a year back: the 年度 is the
    signed export time's) and this 年度's, with two answers changed between them."""
    from exports import bundle_export
    from exports.bundle import export_bundle
    from storage import Workspace, activity, workspace

    from .bundle_support import fill_conforming, official_template
    from .conftest import FAST_KDF, PASSPHRASE

    root = tmp_path_factory.mktemp("register-years")
    year_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=366)
    clock = SimpleNamespace(time=year_ago.timestamp)
    then = lambda: year_ago.isoformat(timespec="milliseconds").replace("+00:00", "Z")  # noqa: E731
    # Last year's workspace is made, filled and exported with every clock a year back (the
    # activity log, the manifest and the signature's trusted timestamp, which verify compares).
    with pytest.MonkeyPatch.context() as mp:
        for module in (activity, workspace, bundle_export):
            mp.setattr(module, "now_iso", then)
        mp.setattr(bundle_export, "time", clock)
        ws = Workspace.create(root / "ws", PASSPHRASE, vendor=VENDOR_A, template=official_template(),
                              kdf=FAST_KDF)
        fill_conforming(ws, root / "sources")
        export_bundle(ws, root / "last.zip", signing_key=signer.key, recipients=[auditor.recipient])
    with ws:
        answered = ws.answers()
        texts = [i.id for i in ws.template.items if i.kind.value == "text" and i.id in answered
                 and ws.assess().items[i.id].visible][:2]
        assert len(texts) == 2
        ws.set_answers({item_id: f"今年度の回答 {n}" for n, item_id in enumerate(texts)})
        export_bundle(ws, root / "this.zip", signing_key=signer.key, recipients=[auditor.recipient])
    return root / "last.zip", root / "this.zip", texts


def test_register_diff_compares_a_vendors_newest_submissions_of_two_years(target, two_years, bundles,
                                                                          auditor, signer, tmp_path):
    last, this, changed = two_years
    db = ["--db", target.url]
    assert run_cli("register", "init", *db, "--store", str(target.store)).code == 0
    r = run_cli("register", "add", *db, "--identity", str(auditor.identity_path), "--trust-new-signer",
                "--template", str(MINI[0]), str(last), str(this), str(bundles.b1))
    assert r.code == 0, r.err
    listed = json.loads(run_cli("register", "list", *db, "--vendor", "サンプル", "--json").out)
    old_year, year = sorted(x["fiscal_year"] for x in listed)
    assert old_year < year

    diff = ["register", "diff", *db, "--identity", str(auditor.identity_path)]
    out = tmp_path / "変更点.xlsx"
    r = run_cli(*diff, "サンプル", str(old_year), str(year), "--json", "--xlsx", str(out))
    assert r.code == 0, r.err
    result = json.loads(r.out)
    assert {i["item_id"] for i in result["items"] if i["answer"]["state"] == "changed"} == set(changed)
    assert [result["old"]["submission_id"], result["new"]["submission_id"]] == [
        x["id"] for x in sorted(listed, key=lambda x: x["fiscal_year"])]
    assert result["same_signer"] is True
    assert out.is_file() and load_workbook(out, read_only=True).sheetnames
    # the same comparison as `diff A B` of the two bundle files (the stored copies are byte-identical)
    plain = json.loads(run_cli("diff", "--json", "--signer", str(signer.public_path), "--identity",
                               str(auditor.identity_path), str(last), str(this)).out)
    assert [i for i in plain["items"] if i["state"] != "unchanged"] == [
        i for i in result["items"] if i["state"] != "unchanged"]

    r = run_cli("--lang", "en", *diff, VENDOR_A, str(old_year), str(year))
    assert r.code == 0 and all(item in r.out for item in changed), r.err


def test_register_diff_errors_are_one_line_in_the_users_language(filled, target, auditor):
    year = list_submissions(filled)[0].fiscal_year
    diff = ["register", "diff", "--db", target.url, "--identity", str(auditor.identity_path)]
    r = run_cli("--lang", "en", *diff, "nosuchvendor", str(year), str(year))
    assert r.code == 1 and r.out == "" and r.err.count("\n") == 1 and "no vendor 'nosuchvendor'" in r.err
    r = run_cli("--lang", "ja", *diff, "nosuchvendor", str(year), str(year))
    assert r.code == 1 and r.err.count("\n") == 1 and "提出者「nosuchvendor」はありません" in r.err
    r = run_cli("--lang", "en", *diff, "サンプル", str(year - 1), str(year))
    assert r.code == 1 and r.err.count("\n") == 1 and f"no submission of 年度 {year - 1}" in r.err
    r = run_cli("--lang", "ja", *diff, "サンプル", str(year - 1), str(year))
    assert r.code == 1 and r.err.count("\n") == 1 and f"{year - 1} 年度の提出はありません" in r.err
    r = run_cli("--lang", "en", *diff, "株式会社", str(year), str(year))  # both vendors' names
    assert r.code == 1 and "more than one vendor" in r.err


def test_register_errors_are_one_line_in_japanese_and_a_plain_path_is_a_sqlite_file(
        tmp_path, bundles, auditor):
    """--db takes what a user types (a file path as well as a URL); every refusal of the register
    is one stderr line in the chosen language (the English wording stays under --lang en)."""
    db = tmp_path / "台帳" / "register.db"
    r = run_cli("--lang", "ja", "register", "list", "--db", str(db))
    assert r.code == 1 and r.err.count("\n") == 1 and "台帳がありません" in r.err and "register init" in r.err
    r = run_cli("--lang", "en", "register", "list", "--db", str(db))
    assert r.code == 1 and r.err.count("\n") == 1 and "no register at" in r.err
    r = run_cli("--lang", "ja", "register", "init", "--db", "sqlite://")
    assert r.code == 1 and r.err.count("\n") == 1 and "メモリー上の SQLite" in r.err
    r = run_cli("--lang", "ja", "register", "init", "--db", "mysql+nope://[")
    assert r.code == 1 and r.err.count("\n") == 1 and "internal error" not in r.err
    assert run_cli("register", "init", "--db", str(db)).code == 0 and db.is_file()  # a plain path
    r = run_cli("--lang", "ja", "register", "show", "--db", str(db), "abcdef12")
    assert r.code == 1 and r.err.count("\n") == 1 and "は台帳にありません" in r.err
    add = ["register", "add", "--db", str(db), "--identity", str(auditor.identity_path)]
    r = run_cli("--lang", "ja", *add, str(bundles.a1))
    assert r.code != 0 and "追加しませんでした" in r.err and "--trust-new-signer" in r.err
    assert "not added" not in r.err
    r = run_cli("--lang", "ja", *add, str(tmp_path / "none.zip"))
    assert r.code != 0 and "ファイルがありません" in r.err
