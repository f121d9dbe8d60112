"""The form reuses its widgets (issue 10): sections built once (a big questionnaire a slice at
a time), refreshes that touch only changed items, search results as a list with one item
form, the auto-lock's idle watcher on the focus window only. Real windows, pytest-qt."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from desktop.forms import section_form
from desktop.forms.filters import FilterMode, matching_items
from desktop.forms.item_widget import ItemWidget
from desktop.settings import AUTO_LOCK_SECONDS
from questionnaire import load_template_text
from storage import Workspace

from .conftest import FAST_KDF, PASSPHRASE
from .desktop_helpers import open_via_welcome, settle


@pytest.fixture
def default_folder(tmp_path):
    folder = tmp_path / "ws"
    Workspace.create(folder, PASSPHRASE, vendor="株式会社サンプル", kdf=FAST_KDF).close()
    return folder


def test_a_section_is_built_once_and_shown_again(qtbot, controller, default_folder):
    main = open_via_welcome(qtbot, controller, default_folder)
    main.go_to_section("CERT")
    cert = dict(main.form.widgets)
    main.go_to_section("AGR")
    main.go_to_section("CERT")
    assert all(main.form.widgets[i] is w for i, w in cert.items())
    # the default questionnaire is small: every section is built while the user is idle
    qtbot.waitUntil(lambda: len(main.form.pages) == len(main.session.template.sections)
                    and all(p.built for p in main.form.pages.values()), timeout=30000)


def test_an_answer_refreshes_only_the_items_whose_state_changed(qtbot, controller, default_folder):
    main = open_via_welcome(qtbot, controller, default_folder)
    main.go_to_section("CERT")
    widgets = main.form.widgets
    before = {i: w.view for i, w in widgets.items()}
    hidden = {i for i, w in widgets.items() if not w.isVisibleTo(main.form)}
    assert hidden  # the items that depend on CERT-01
    combo = widgets["CERT-01"].editor.combo
    combo.setCurrentIndex(combo.findData("isms"))
    combo.activated.emit(combo.currentIndex())
    changed = {i for i, w in widgets.items() if w.view is not before[i]}
    assert "CERT-01" in changed
    required_changed = {i for i, w in widgets.items() if w.view.required != before[i].required}
    assert changed - {"CERT-01"} <= hidden | required_changed
    # answering the same again changes nothing on screen
    views = {i: w.view for i, w in widgets.items()}
    main.session.store_answer("CERT-01", "isms", None)
    assert all(w.view is views[i] for i, w in widgets.items())
    # another section's page is refreshed when it is shown again, not before
    agr = main.form.pages["AGR"].widgets["AGR-01"]
    main.session.store_answer("AGR-01", "no", None)
    assert agr.view.kind == "unanswered"
    main.go_to_section("AGR")
    assert agr.view.kind != "unanswered" and agr.state_label.text() != "未回答"


def test_search_results_are_rows_and_one_item_form(qtbot, controller, default_folder):
    main = open_via_welcome(qtbot, controller, default_folder)
    main.search.setText("管理")
    main._search_timer.stop()  # called at once below, not again 250 ms later (a slow machine)
    main.apply_filter()
    results = main.form.results
    expected = matching_items(main.session.assessment(), "管理", FilterMode.ALL)
    assert len(expected) > 3 and results.item_ids() == expected
    assert results.findChildren(ItemWidget) == [results.detail]  # one form, not one per match
    assert results.detail.item.id == expected[0] and main.evidence.item_id == expected[0]
    results.view.setFocus()
    QTest.keyClick(results.view, Qt.Key.Key_Down)
    settle(qtbot)
    assert results.detail.item.id == expected[1] and len(results.findChildren(ItemWidget)) == 1
    # answering in the results stores it, and the row says so
    target = next(i for i in expected if str(main.session.template.item(i).kind) == "status")
    assert results.select(target)
    settle(qtbot)
    button = results.detail.editor.buttons["yes"]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # a click stores at once
    assert main.session.answer(target).value == "yes"
    row = results.model.index(expected.index(target))
    assert main.session.assessment().items[target].outcome.label.ja in row.data()
    assert row.data(Qt.ItemDataRole.AccessibleTextRole) == row.data()
    # clearing the search brings the section back, with the same widgets as before
    section_widgets = dict(main.form.pages["AGR"].widgets)
    main.search.clear()
    main.apply_filter()
    assert main.form.currentWidget() is main.form.pages["AGR"]
    assert all(main.form.widgets[i] is w for i, w in section_widgets.items())


def test_nothing_found_says_so(qtbot, controller, default_folder):
    main = open_via_welcome(qtbot, controller, default_folder)
    main.search.setText("存在しない語句ZZZ")
    main.apply_filter()
    assert main.form.results.item_ids() == [] and main.form.widgets == {}
    assert main.form.results.empty.isVisibleTo(main.form) and "ありません" in main.form.results.empty.text()


def _scaled(tmp_path, n: int = 300):
    from bench.bench_workspace import scaled_template

    template = load_template_text(scaled_template(n), "scaled.yaml")
    folder = tmp_path / "big"
    Workspace.create(folder, PASSPHRASE, vendor="株式会社大規模", template=template, kdf=FAST_KDF).close()
    return folder


def test_a_big_questionnaire_is_built_a_slice_at_a_time(qtbot, controller, tmp_path, monkeypatch):
    monkeypatch.setattr(section_form, "PREBUILD_ITEMS", 100)
    monkeypatch.setattr(section_form, "KEEP_ITEMS", 60)
    folder = _scaled(tmp_path, 300)  # 10 sections of 30 items
    main = open_via_welcome(qtbot, controller, folder)
    page = main.form.currentWidget()
    assert page.section.id == "SAA"
    assert page.widgets and not page.built  # the first screenful at once, the rest later
    qtbot.waitUntil(lambda: page.built, timeout=30000)
    assert len(page.widgets) == 30
    assert list(main.form.pages) == ["SAA"]  # too big to prebuild every section
    for section_id in ("SBB", "SCC", "SDD"):
        main.go_to_section(section_id)
        qtbot.waitUntil(lambda: main.form.currentWidget().built, timeout=30000)
    assert list(main.form.pages) == ["SCC", "SDD"]  # the sections seen longest ago were let go
    main.go_to_section("SAA")
    assert len(main.form.widgets) == 30  # built again when asked for


def test_idle_watcher_listens_to_the_focus_window_only(qtbot, controller, default_folder):
    controller.settings.set(AUTO_LOCK_SECONDS, 3)
    main = open_via_welcome(qtbot, controller, default_folder)
    main.activateWindow()
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is main.windowHandle(), timeout=5000)
    watcher = main.idle
    assert watcher._window is main.windowHandle()
    qtbot.wait(600)
    before = watcher.timer.remainingTime()
    assert before < 2600
    main.search.setFocus()
    QTest.keyClick(main.windowHandle(), Qt.Key.Key_A)  # through the window, as real input comes
    # the input restarted the countdown (compared with before, not a wall-clock margin: a
    # loaded machine may take a while to deliver the key)
    assert watcher.timer.remainingTime() > before
    assert main.search.text() == "a"
    main.search.clear()


def test_date_calendar_is_made_when_first_opened(qtbot):
    from desktop.forms.editors import DateEditor
    from questionnaire import default_template

    item = next(i for i in default_template().items if str(i.kind) == "date")
    editor = DateEditor(item)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.popup is None
    editor.open_calendar()
    assert editor.popup is not None and editor.popup.calendar is not None and editor.popup.isVisible()
    editor.popup.close()
