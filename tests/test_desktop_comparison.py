"""「前回の提出と比較…」 in the auditor's window (pytest-qt, the real windows): the previous bundle
verified in a worker, 新規/変更 badges in words, the 前回との差分 filter, the side-by-side panel,
keyboard and accessible names; a bundle that fails verification is not compared."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog

from desktop.forms.filters import FilterMode
from desktop.ui.compare_previous import PreviousBundlePicker
from exports.bundle import export_bundle
from exports.checklist_columns import FIRST_DATA_ROW, HEADER_ROW
from questionnaire.comparison import State
from storage import EvidenceMeta

from .bundle_support import (  # noqa: F401  (fixtures)
    auditor,
    bundle,
    complete_ws,
    flip,
    signer,
)
from .desktop_helpers import close_all_errors, shown_errors
from .desktop_helpers import open_bundle_dialog as open_dialog


@pytest.fixture
def second_year(bundle, complete_ws, tmp_path, signer, auditor):  # noqa: F811
    """The same vendor a year later: TEC-03 and a note changed, the certificate renewed."""
    complete_ws.set_answer("TEC-03", 400)
    complete_ws.set_answer("TEC-04", "yes", note="年1回の外部診断")
    cert = next(e for e in complete_ws.evidence() if e.item_id == "CERT-02")
    renewed = tmp_path / "ISMS 登録証 2027.pdf"
    renewed.write_bytes(b"%PDF-1.4 renewed certificate " * 200)
    complete_ws.replace_evidence(cert.id, renewed, EvidenceMeta(
        "certificate", title="ISMS 登録証", issuer="JQA", expires=dt.date.today() + dt.timedelta(days=900)))
    out = tmp_path / "out" / "2027.zip"
    export_bundle(complete_ws, out, signing_key=signer.key, recipients=[auditor.recipient])
    return out


@pytest.fixture
def window(qtbot, controller, second_year, signer, auditor):  # noqa: F811
    dialog = open_dialog(qtbot, controller.settings, second_year, signer.public_path, auditor.identity_path)
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.banner.body.text()
    return controller.bundle_opened(dialog.opened, dialog.note)


def _compare(qtbot, window, monkeypatch, previous):
    monkeypatch.setattr(PreviousBundlePicker, "ask", classmethod(lambda cls, parent, start: previous))
    window.compare_action.trigger()
    qtbot.waitUntil(lambda: window.session.comparison is not None or bool(shown_errors()), timeout=60000)


def test_compare_with_the_previous_bundle(qtbot, window, bundle, monkeypatch, tmp_path):  # noqa: F811
    session = window.session
    assert window.compare_action.shortcut() == QKeySequence("Ctrl+Shift+D")
    assert not window.comparison.isVisibleTo(window)  # nothing compared yet
    _compare(qtbot, window, monkeypatch, bundle)
    cmp = session.comparison
    assert cmp is not None and not shown_errors()
    assert {c.item_id for c in cmp.changed_items} == {"TEC-03", "TEC-04", "CERT-02"}
    assert cmp.item("TEC-03").answer is State.CHANGED and cmp.item("TEC-04").note is State.ADDED

    # badges, in words, on the widgets already built and on those built later
    window.go_to_section("TEC")
    tec3, tec1 = window.form.widgets["TEC-03"], window.form.widgets["TEC-01"]
    assert tec3.change_label.isVisibleTo(window) and tec3.change_label.text() == "前回から変更"
    assert "回答" in tec3.change_label.toolTip()
    assert tec3.change_label.accessibleName().startswith("前回から変更")
    assert not tec1.change_label.isVisibleTo(window)
    window.go_to_section("CERT")
    assert window.form.widgets["CERT-02"].change_label.text() == "前回から変更"

    # old and new side by side for the selected item
    window.select_item("TEC-03")
    assert window.comparison.isVisibleTo(window)
    model = window.comparison.model
    rows = {model.index(r, 0).data(): [model.index(r, c).data() for c in range(1, 4)]
            for r in range(model.rowCount())}
    assert rows["回答"] == ["365 日", "400 日", "変更"]
    answer_row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "回答")
    assert model.index(answer_row, 1).data(Qt.ItemDataRole.BackgroundRole) is not None  # repeats 変更
    window.select_item("CERT-02")
    evidence = [[model.index(r, c).data() for c in range(1, 4)] for r in range(model.rowCount())
                if model.index(r, 0).data() == "証跡"]
    assert len(evidence) == 1 and evidence[0][2] == "差し替え"
    assert "ISMS 登録証.pdf" in evidence[0][0] and "ISMS 登録証 2027.pdf" in evidence[0][1]
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "証跡")
    assert "SHA-256" in model.index(row, 2).data(Qt.ItemDataRole.ToolTipRole)  # the details on hover
    assert window.comparison.table.accessibleName() == "前回との比較（選択中の設問）"

    # the 前回との差分 filter lists exactly the changed items
    window.filter.setCurrentIndex(window.filter.findData(FilterMode.CHANGED))
    window.apply_filter()
    assert window.form.results.model.ids == ["CERT-02", "TEC-03", "TEC-04"]
    assert window.form.results.heading.text() == "前回との差分: 3 件"

    # the auditor's checklist gets the 前回からの変更 column while a previous submission is known
    from openpyxl import load_workbook

    from desktop.ui.common import OutputFileDialog
    from exports.checklist_changes import CHANGE_COLUMN, CHANGE_HEADER

    out = tmp_path / "checklist.xlsx"
    monkeypatch.setattr(OutputFileDialog, "ask", classmethod(lambda cls, *a: out))
    with qtbot.waitSignal(window.documents.export_checklist().finished, timeout=30000):
        pass
    sheet = load_workbook(out)["チェックリスト"]
    assert sheet.cell(row=HEADER_ROW, column=CHANGE_COLUMN).value == CHANGE_HEADER
    said = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=CHANGE_COLUMN).value
            for r in range(FIRST_DATA_ROW, sheet.max_row + 1)}
    assert said["TEC-03"] == "変更（回答）" and said["TEC-04"] == "変更（備考）"
    assert said["AGR-01"] == "変更なし"

    # and back
    window.clear_compare_action.trigger()
    assert session.comparison is None and not window.comparison.isVisibleTo(window)
    assert tec3.change_label.isHidden()
    assert window.form.results.heading.text().startswith("前回との差分: 先に")


def test_a_previous_bundle_that_fails_verification_is_not_compared(qtbot, window, bundle, tmp_path,  # noqa: F811
                                                                   monkeypatch):
    bad = tmp_path / "tampered.zip"
    data = bundle.read_bytes()
    bad.write_bytes(flip(data, len(data) // 2))
    _compare(qtbot, window, monkeypatch, bad)
    errors = shown_errors()
    assert window.session.comparison is None and len(errors) == 1
    assert errors[0].explanation.title == "提出バンドルの検証に失敗しました"
    assert "外側の署名" in errors[0].explanation.detail  # the failed check, named in Japanese
    close_all_errors()


# --- the vendor: this workspace against the one it was carried forward from -----------------------


@pytest.fixture
def carried(tmp_path, mini_template):
    """Last year's workspace (closed) and this year's, carried forward from it."""
    from storage import Workspace
    from storage.cycle import carry_forward

    from .conftest import FAST_KDF, PASSPHRASE

    old = tmp_path / "2026"
    with Workspace.create(old, PASSPHRASE, vendor="テスト建設システム株式会社", template=mini_template,
                          kdf=FAST_KDF, period=2026) as ws:
        ws.set_answers({"AGR-01": "yes", "TEC-01": "own", "TEC-03": 365})
    new, _ = carry_forward(old, PASSPHRASE, tmp_path / "2027", PASSPHRASE, period=2027, kdf=FAST_KDF)
    new.close()
    return old, tmp_path / "2027"


def test_vendor_compares_with_the_origin_workspace_read_only(qtbot, controller, carried, monkeypatch):
    from desktop.ui.compare_origin import OriginDialog
    from exports.comparison_sources import ComparisonInputError

    from .conftest import PASSPHRASE
    from .desktop_helpers import open_via_welcome
    from .test_comparison import folder_hashes

    old, new = carried
    before = folder_hashes(old)
    main = open_via_welcome(qtbot, controller, new)
    monkeypatch.setattr(OriginDialog, "ask", classmethod(lambda cls, parent, start="": (old, PASSPHRASE)))
    assert main.actions_.compare_origin.shortcut() == QKeySequence("Ctrl+Shift+D")
    main.actions_.compare_origin.trigger()
    qtbot.waitUntil(lambda: main.session.comparison is not None, timeout=30000)
    assert main.session.comparison.changed_items == ()  # carried as it was
    # the vendor changes an answer: the comparison follows
    main.session.set_answer("TEC-03", 400, None)
    qtbot.waitUntil(lambda: bool(main.session.comparison.changed_items), timeout=30000)
    assert [c.item_id for c in main.session.comparison.changed_items] == ["TEC-03"]
    main.go_to_section("TEC")
    badge = main.form.widgets["TEC-03"].change_label
    assert badge.isVisibleTo(main) and badge.text() == "前回から変更"
    main.select_item("TEC-03")
    model = main.comparison.model
    rows = {model.index(r, 0).data(): model.index(r, 3).data() for r in range(model.rowCount())}
    assert rows["回答"] == "変更"
    main.filter.setCurrentIndex(main.filter.findData(FilterMode.CHANGED))
    main.apply_filter()
    assert main.form.results.model.ids == ["TEC-03"]
    # locking forgets last year's answers too
    main.lock()
    assert main.session.comparison is None and main.origin_comparison.origin is None
    assert folder_hashes(old) == before
    from desktop.errors import explain

    assert explain(ComparisonInputError("x")).title == "比較できません"


def test_vendor_refuses_a_workspace_that_is_not_the_origin(qtbot, controller, carried, monkeypatch, tmp_path,
                                                            mini_template):
    from desktop.ui.compare_origin import OriginDialog
    from storage import Workspace

    from .conftest import FAST_KDF, PASSPHRASE
    from .desktop_helpers import open_via_welcome

    _old, new = carried
    other = tmp_path / "other"
    Workspace.create(other, PASSPHRASE, template=mini_template, kdf=FAST_KDF).close()
    main = open_via_welcome(qtbot, controller, new)
    monkeypatch.setattr(OriginDialog, "ask", classmethod(lambda cls, parent, start="": (other, PASSPHRASE)))
    main.actions_.compare_origin.trigger()
    qtbot.waitUntil(lambda: bool(shown_errors()), timeout=30000)
    error = shown_errors()[0]
    assert error.explanation.title == "比較できません" and "carried forward from" in error.explanation.detail
    assert main.session.comparison is None
    close_all_errors()
