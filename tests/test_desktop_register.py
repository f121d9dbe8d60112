"""The desktop 登録簿: the real window over a real register (SQLite, real bundles added with the
auditor's checks), driven from the keyboard: filter, sort, drill down, open a stored bundle."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from desktop.settings import REGISTER_DB
from desktop.ui.register_models import SORT_ROLE, SubmissionModel, VendorColumn, VendorModel
from register import db as rdb
from register.add import ADDED, add_bundles

from .bundle_support import MINI
from .register_support import VENDOR_A, VENDOR_B

pytestmark = pytest.mark.tools


@pytest.fixture
def register_url(tmp_path, bundles, auditor):
    url = f"sqlite:///{tmp_path / 'register.db'}"
    with rdb.init_register(url, tmp_path / "store") as reg:
        results = add_bundles(reg, [bundles.a1, bundles.a2, bundles.b1], identity=auditor.identity_path,
                              templates=MINI, trust_new_signer=True)
        assert all(r.status == ADDED for r in results)
    return url


def _open(qtbot, controller, url):
    controller.settings.set(REGISTER_DB, url)
    window = controller.open_register()
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.vendors.rowCount() == 2, timeout=20_000)
    return window


def _column(window, column) -> list[str]:
    return [window.proxy.index(r, column).data() for r in range(window.proxy.rowCount())]


def test_the_register_window_lists_filters_and_drills_down(qtbot, controller, register_url):
    window = _open(qtbot, controller, register_url)
    assert controller.welcome is None  # the register is the auditor's home
    assert sorted(_column(window, VendorColumn.VENDOR)) == sorted([VENDOR_A, VENDOR_B])
    assert "提出者 2 社・提出 3 件" in window.summary.text()
    conclusions = dict(zip(_column(window, VendorColumn.VENDOR), _column(window, VendorColumn.CONCLUSION),
                           strict=True))
    assert conclusions == {VENDOR_A: "提出可", VENDOR_B: "提出可（非公式テンプレート）"}

    # keyboard: Ctrl+F, type, the table follows
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    window.search.insert("サンプル")  # as an input method commits it (keyClicks is ASCII only)
    assert _column(window, VendorColumn.VENDOR) == [VENDOR_A]
    window.search.clear()
    window.overdue.setChecked(True)
    assert window.proxy.rowCount() == 0
    window.overdue.setChecked(False)
    window.state.setCurrentIndex(window.state.findData("reviewed"))
    assert window.proxy.rowCount() == 0
    window.state.setCurrentIndex(0)
    window.expiring.setChecked(True)   # the evidence expires in 700 days
    assert window.proxy.rowCount() == 0
    window.expiring.setChecked(False)
    year = dt.date.today().year if dt.date.today().month >= 4 else dt.date.today().year - 1
    window.year.setCurrentIndex(window.year.findData(year))
    assert window.proxy.rowCount() == 2

    # sorting by the number of submissions, descending: vendor A (2) first
    window.vendor_view.sortByColumn(VendorColumn.COUNT, Qt.SortOrder.DescendingOrder)
    assert _column(window, VendorColumn.VENDOR)[0] == VENDOR_A
    window.vendor_view.setCurrentIndex(window.proxy.index(0, 0))
    assert window.submissions.rowCount() == 2 and VENDOR_A in window.sub_title.text()

    # Enter on a submission opens the stored bundle in the read-only bundle view's open dialog
    opened = []
    controller.open_bundle = lambda parent=None, bundle=None: opened.append(bundle)
    window.sub_view.setFocus()
    qtbot.keyClick(window.sub_view, Qt.Key.Key_Return)
    row = window.selected_submission()
    assert opened and opened[0].is_file() and opened[0].name == f"{row.bundle_sha256}.zip"
    window.close()


def test_every_control_has_an_accessible_name_or_a_label(qtbot, controller, register_url):
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QTableView

    window = _open(qtbot, controller, register_url)
    kinds = (QLineEdit, QComboBox, QTableView, QAbstractButton)
    widgets = [w for kind in kinds for w in window.findChildren(kind)]
    assert len(widgets) > 8
    for widget in widgets:
        if widget.isVisibleTo(window) and widget.objectName() != "qt_spinbox_lineedit":
            named = widget.accessibleName() or (isinstance(widget, QAbstractButton) and widget.text())
            assert named, widget.objectName()
    window.close()


def test_the_models_pass_the_model_tester(qtmodeltester, register_url):
    from register.queries import list_submissions

    with rdb.open_register(register_url) as reg:
        rows = list_submissions(reg)
    vendors = VendorModel()
    vendors.set_rows(rows)
    qtmodeltester.check(vendors)
    subs = SubmissionModel()
    subs.set_rows(rows)
    qtmodeltester.check(subs)
    # sorting uses raw values: dates as dates, counts as numbers
    assert isinstance(vendors.index(0, VendorColumn.COUNT).data(SORT_ROLE), int)


def test_a_missing_register_says_how_to_make_one(qtbot, controller, tmp_path):
    controller.settings.set(REGISTER_DB, f"sqlite:///{tmp_path / 'none.db'}")
    window = controller.open_register()
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: "register init" in window.where.text(), timeout=20_000)
    assert window.vendors.rowCount() == 0
    window.close()


def test_verdicts_in_the_bundle_view_are_saved_in_the_register_and_conflicts_shown(
        qtbot, controller, register_url, bundles, signer_b, auditor):
    from desktop.errors import ErrorDialog
    from questionnaire.review import Verdict
    from register.queries import Filters, list_submissions
    from register.verdicts import current, set_verdict

    from .desktop_helpers import close_all_errors, open_bundle_dialog

    window = _open(qtbot, controller, register_url)
    with rdb.open_register(register_url) as reg:
        sid = list_submissions(reg, Filters(vendor=VENDOR_B))[0].id
    dialog = open_bundle_dialog(qtbot, controller.settings, bundles.b1, signer_b.public_path,
                                auditor.identity_path)
    view = controller.bundle_opened(dialog.opened, dialog.note)
    qtbot.addWidget(view)
    window.bind(view, sid)

    view.select_item("AGR-01")
    qtbot.mouseClick(view.review.verdict_buttons["nonconforming"], Qt.MouseButton.LeftButton)
    with rdb.open_register(register_url) as reg:
        saved = current(reg, sid, "AGR-01")
        assert (saved.verdict, saved.version) == ("nonconforming", 2)
        # another auditor, meanwhile
        set_verdict(reg, sid, "AGR-01", Verdict.CONFORMS, "確認済み", expected_version=2)
    qtbot.mouseClick(view.review.verdict_buttons["needs_check"], Qt.MouseButton.LeftButton)
    shown = ErrorDialog.shown[-1]
    assert shown.windowTitle() == "他の監査人が先に保存しました"
    assert "確認済み" in shown.informativeText() and "要確認" in shown.informativeText()
    assert view.review.current_verdict() is Verdict.CONFORMS  # theirs is what the view shows now
    with rdb.open_register(register_url) as reg:
        kept = current(reg, sid, "AGR-01")
        assert (kept.verdict, kept.comment, kept.version) == ("conforms", "確認済み", 3)
    close_all_errors()
    view.close()
    window.close()
