"""The desktop app driven end to end through its real windows (pytest-qt, offscreen)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from desktop.settings import AUTO_LOCK_SECONDS, RECENT_WORKSPACES
from desktop.ui.create_dialog import CreateRequest, CreateWorkspaceDialog
from storage import Workspace

from .conftest import FAST_KDF, PASSPHRASE
from .desktop_helpers import (
    close_all_errors,
    item_widget,
    open_via_welcome,
    press,
    settle,
    shown_errors,
    type_text,
)


@pytest.fixture
def mini_folder(tmp_path, mini_template):
    folder = tmp_path / "mini"
    Workspace.create(folder, PASSPHRASE, vendor="テスト建設システム株式会社", template=mini_template,
                     kdf=FAST_KDF).close()
    return folder


def test_create_workspace_through_the_welcome_screen(qtbot, controller, tmp_path, monkeypatch):
    folder = tmp_path / "new-ws"
    monkeypatch.setattr(CreateWorkspaceDialog, "ask", classmethod(
        lambda cls, parent, default: CreateRequest(folder, "株式会社サンプル", PASSPHRASE)))
    qtbot.mouseClick(controller.welcome.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.main is not None, timeout=20000)
    main = controller.main
    assert (folder / "attest.db").is_file()
    assert "株式会社サンプル" in main.windowTitle()
    assert controller.settings.get(RECENT_WORKSPACES)[0] == str(folder)
    assert main.section_list.current_section_id() == "AGR"
    assert "AGR-01" in main.form.widgets
    # the status bar tells the user that saving is automatic
    assert "自動" in main.save_state.text()


def test_default_folder_offered_is_the_default_workspace(qtbot, controller, monkeypatch):
    from storage.paths import default_workspace

    seen = {}
    monkeypatch.setattr(CreateWorkspaceDialog, "ask",
                        classmethod(lambda cls, parent, default: seen.setdefault("folder", default) and None))
    qtbot.mouseClick(controller.welcome.create_button, Qt.MouseButton.LeftButton)
    assert seen["folder"] == default_workspace()


def test_create_dialog_checks_passphrase_and_warning(qtbot, tmp_path):
    dialog = CreateWorkspaceDialog(None, tmp_path / "ws")
    qtbot.addWidget(dialog)
    assert not dialog.create_button.isEnabled()
    type_text(qtbot, dialog.vendor, "株式会社サンプル")
    qtbot.keyClicks(dialog.passphrase, "short")
    assert "短すぎます" in dialog.meter_label.text()
    dialog.passphrase.setText("password1")
    weak = dialog.meter.value()
    dialog.passphrase.setText("tsuki-kawa-sakana-hikari-87")
    strong = dialog.meter.value()
    assert strong > weak
    dialog.confirm.setText("tsuki-kawa-sakana-hikari-8")
    assert "一致しません" in dialog.mismatch.text()
    assert not dialog.create_button.isEnabled()
    dialog.confirm.setText("tsuki-kawa-sakana-hikari-87")
    assert dialog.mismatch.text() == ""
    assert not dialog.create_button.isEnabled()  # the warning is not acknowledged yet
    dialog.understood.setChecked(True)
    assert dialog.create_button.isEnabled()
    request = dialog.request()
    assert request.passphrase == "tsuki-kawa-sakana-hikari-87" and request.vendor == "株式会社サンプル"


def test_wrong_passphrase_shows_a_dialog_in_japanese(qtbot, controller, mini_folder):
    open_via_welcome(qtbot, controller, mini_folder, "not the passphrase")
    qtbot.waitUntil(lambda: bool(shown_errors()), timeout=20000)
    dialog = shown_errors()[0]
    assert dialog.windowTitle() == "パスフレーズが違います"
    assert "もう一度" in dialog.informativeText()
    assert controller.main is None
    assert controller.welcome.unlock.passphrase.text() == ""  # the wrong try is not kept
    close_all_errors()
    assert open_via_welcome(qtbot, controller, mini_folder) is not None


def test_answer_every_kind_with_live_conditions(qtbot, controller, mini_folder):
    main = open_via_welcome(qtbot, controller, mini_folder)
    session = main.session
    # status
    agr = item_widget(main, "AGR-01")
    press(qtbot, agr.editor.buttons["yes"])
    assert session.ws.answer("AGR-01").value == "yes"
    assert agr.state_label.text() == "適合"

    main.go_to_section("CERT")
    cert1, cert2, cert3 = (item_widget(main, i) for i in ("CERT-01", "CERT-02", "CERT-03"))
    assert not cert2.isVisibleTo(main) and not cert3.isVisibleTo(main)
    # single choice: the conditional items appear
    combo = cert1.editor.combo
    combo.setCurrentIndex(combo.findData("isms"))
    combo.activated.emit(combo.currentIndex())
    assert session.ws.answer("CERT-01").value == "isms"
    assert cert2.isVisibleTo(main) and cert3.isVisibleTo(main)
    # text
    qtbot.keyClicks(cert2.editor.box, "IS 123456")
    qtbot.keyClick(cert2.editor.box, Qt.Key.Key_Return)
    assert session.ws.answer("CERT-02").value == "IS 123456"
    # date, in the Japanese way of writing it
    type_text(qtbot, cert3.editor.line, "2027年3月31日")
    qtbot.keyClick(cert3.editor.line, Qt.Key.Key_Return)
    assert session.ws.answer("CERT-03").value == "2027-03-31"
    assert cert3.editor.line.text() == "2027-03-31"
    # an impossible date is refused next to the field, and nothing is stored
    cert3.editor.line.setText("2027-02-30")
    qtbot.keyClick(cert3.editor.line, Qt.Key.Key_Return)
    assert cert3.error_label.isVisibleTo(main) and "日付" in cert3.error_label.text()
    assert session.ws.answer("CERT-03").value == "2027-03-31"
    # "no date" = clear the field
    cert3.editor.line.clear()
    qtbot.keyClick(cert3.editor.line, Qt.Key.Key_Return)
    assert session.ws.answer("CERT-03") is None
    # and the condition hides them again
    combo.setCurrentIndex(combo.findData("none"))
    combo.activated.emit(combo.currentIndex())
    assert not cert2.isVisibleTo(main) and not cert3.isVisibleTo(main)
    assert cert1.state_label.text() == "不適合"

    main.go_to_section("TEC")
    tec1, tec2 = item_widget(main, "TEC-01"), item_widget(main, "TEC-02")
    assert not tec2.isVisibleTo(main)
    # multiple choice; "contains overseas" shows TEC-02
    press(qtbot, tec1.editor.boxes["cloud"])
    press(qtbot, tec1.editor.boxes["overseas"])
    assert session.ws.answer("TEC-01").value == ["cloud", "overseas"]
    assert tec2.isVisibleTo(main)
    press(qtbot, tec1.editor.boxes["overseas"])
    assert not tec2.isVisibleTo(main)
    # number with its unit; out of range is refused
    tec3 = item_widget(main, "TEC-03")
    assert tec3.findChild(type(tec3.question), "unit_TEC-03").text() == "日"
    qtbot.keyClicks(tec3.editor.line, "400")
    qtbot.keyClick(tec3.editor.line, Qt.Key.Key_Return)
    assert session.ws.answer("TEC-03").value == 400
    tec3.editor.line.setText("99999")
    qtbot.keyClick(tec3.editor.line, Qt.Key.Key_Return)
    assert tec3.error_label.isVisibleTo(main)
    assert session.ws.answer("TEC-03").value == 400
    # いいえ makes the note required and TEC-05 required
    tec4, tec5 = item_widget(main, "TEC-04"), item_widget(main, "TEC-05")
    assert tec5.required_label.text() == "任意"
    press(qtbot, tec4.editor.buttons["no"])
    assert tec5.required_label.text() == "必須"
    assert "必須" in tec4.note_label.text()
    assert "備考" in tec4.problems_label.text()
    type_text(qtbot, tec4.note, "2027年3月までに導入予定")
    tec5.editor.box.setFocus()  # leaving the note stores it
    assert session.ws.answer("TEC-04").note == "2027年3月までに導入予定"
    assert "備考" not in tec4.problems_label.text()
    # the source article is on hover
    assert "契約書 第6条1項(3)" in tec4.question.toolTip()


def test_undo_and_redo_go_through_the_core(qtbot, controller, mini_folder):
    main = open_via_welcome(qtbot, controller, mini_folder)
    ws = main.session.ws
    agr = item_widget(main, "AGR-01")
    press(qtbot, agr.editor.buttons["yes"])
    press(qtbot, agr.editor.buttons["no"])
    assert ws.answer("AGR-01").value == "no"
    agr.editor.buttons["no"].setFocus()
    qtbot.keyClick(main, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ws.answer("AGR-01").value == "yes"
    assert agr.editor.value() == "yes" and agr.editor.buttons["yes"].isChecked()
    main.actions_.undo.trigger()
    assert ws.answer("AGR-01") is None
    assert agr.editor.value() is None
    assert not main.actions_.undo.isEnabled()
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(main, Qt.Key.Key_Z, ctrl_shift)
    assert ws.answer("AGR-01").value == "yes"
    main.actions_.redo.trigger()
    assert ws.answer("AGR-01").value == "no"
    assert "AGR-01" in main.actions_.undo.text()
    # undoing a change made in another section brings that section back into view
    main.go_to_section("TEC")
    main.actions_.undo.trigger()
    assert main.section_list.current_section_id() == "AGR"
    assert main.evidence.item_id == "AGR-01" and ws.answer("AGR-01").value == "yes"
    # the log shows every step was a real change in the workspace
    actions = [e.action for e in ws.activity()]
    assert actions.count("answer.set") == 6 and actions.count("answer.cleared") == 1


def test_keyboard_shortcuts(qtbot, controller, mini_folder):
    main = open_via_welcome(qtbot, controller, mini_folder)
    main.activateWindow()
    qtbot.keyClick(main, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert main.section_list.current_section_id() == "CERT"
    qtbot.keyClick(main, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert main.section_list.current_section_id() == "AGR"
    qtbot.keyClick(main, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert main.search.hasFocus()
    qtbot.keyClick(main, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert main.center.currentWidget() is main.dashboard


def test_search_and_filters(qtbot, controller, mini_folder):
    main = open_via_welcome(qtbot, controller, mini_folder)
    main.search.setText("ＴＥＣ-03")  # full-width input finds TEC-03
    main.apply_filter()
    assert list(main.form.widgets) == ["TEC-03"]
    main.search.setText("ホスティング")
    main.apply_filter()
    assert list(main.form.widgets) == ["TEC-01"]
    main.search.clear()
    main.filter.setCurrentIndex(main.filter.findData("unanswered"))
    main.apply_filter()
    assert "AGR-01" in main.form.widgets and "CERT-02" not in main.form.widgets  # hidden items stay out
    main.session.store_answer("AGR-01", "yes", None)
    main.apply_filter()
    assert "AGR-01" not in main.form.widgets
    main.filter.setCurrentIndex(main.filter.findData("evidence_missing"))
    main.apply_filter()
    assert list(main.form.widgets) == []
    main.session.store_answer("TEC-04", "yes", None)
    main.apply_filter()
    assert list(main.form.widgets) == ["TEC-04"]
    main.filter.setCurrentIndex(0)
    main.section_list.select_section("TEC")
    assert main.form.section.id == "TEC"


def test_dashboard_lists_problems_and_jumps_to_the_item(qtbot, controller, mini_folder):
    main = open_via_welcome(qtbot, controller, mini_folder)
    main.actions_.dashboard.trigger()
    dash = main.dashboard
    assert "0 / " in dash.headline.text()
    assert "提出を妨げている設問が" in dash.submit_state.text()
    model = dash.problems
    row = next(r for r in range(model.rowCount()) if model.rows[r].item_id == "TEC-03")
    index = model.index(row)
    dash.problem_view.scrollTo(index)
    qtbot.mouseClick(dash.problem_view.viewport(), Qt.MouseButton.LeftButton,
                     pos=dash.problem_view.visualRect(index).center())
    assert main.center.currentWidget() is main.form
    assert main.section_list.current_section_id() == "TEC"
    assert main.evidence.item_id == "TEC-03"
    settle(qtbot)
    assert main.form.widgets["TEC-03"].editor.line.hasFocus()
    # per-section bars follow the answers (a hidden dashboard is redrawn when shown)
    main.session.set_answer("AGR-01", "yes", None)
    main.show_dashboard()
    bar, count = dash.section_bars["AGR"]
    assert bar.tally == main.session.assessment().sections[0].tally and count.text() == "1 / 1"
    assert dash.section_states["AGR"].text() == "すべて適合"
    # read aloud as a percentage with the counts, not as a raw number
    assert bar.accessible_value() == "100%（1 / 1 件）"


def test_auto_lock_and_unlock_restores_the_position(qtbot, controller, mini_folder):
    controller.settings.set(AUTO_LOCK_SECONDS, 1)
    main = open_via_welcome(qtbot, controller, mini_folder)
    main.go_to_item("TEC-03")
    main.session.set_answer("TEC-03", "30", None)
    qtbot.waitUntil(lambda: main.session.locked, timeout=10000)
    assert main.session.ws is None  # the Workspace (and its keys) is closed
    assert main.pages.currentWidget() is main.lock_page
    assert main.form.widgets == {}  # nothing decrypted left on screen
    assert "ロック中" in main.windowTitle()
    assert not main.actions_.undo.isEnabled()
    # a wrong passphrase: a dialog, still locked
    panel = main.lock_page.unlock
    qtbot.keyClicks(panel.passphrase, "wrong passphrase")
    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown_errors()), timeout=20000)
    assert shown_errors()[0].windowTitle() == "パスフレーズが違います"
    close_all_errors()
    assert main.session.locked
    controller.settings.set(AUTO_LOCK_SECONDS, 0)
    qtbot.keyClicks(panel.passphrase, PASSPHRASE)
    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not main.session.locked, timeout=20000)
    assert main.pages.currentWidget() is main.splitter
    assert main.section_list.current_section_id() == "TEC"
    assert main.evidence.item_id == "TEC-03"
    assert main.form.widgets["TEC-03"].editor.line.text() == "30"


def test_manual_lock_then_close_from_the_lock_screen(qtbot, controller, mini_folder):
    main = open_via_welcome(qtbot, controller, mini_folder)
    qtbot.keyClick(main, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert main.session.locked
    qtbot.mouseClick(main.lock_page.close_button, Qt.MouseButton.LeftButton)
    assert controller.main is None and controller.welcome is not None
    assert Workspace.open(mini_folder, PASSPHRASE).close() is None  # the lock file was released


def test_close_and_reopen_keeps_everything(qtbot, controller, mini_folder):
    main = open_via_welcome(qtbot, controller, mini_folder)
    press(qtbot, item_widget(main, "AGR-01").editor.buttons["partial"])
    note = item_widget(main, "AGR-01").note
    type_text(qtbot, note, "来月までに対応")  # typed but never left: closing must still store it
    main.go_to_section("TEC")
    tec3 = item_widget(main, "TEC-03")
    tec3.editor.line.setFocus()
    qtbot.keyClicks(tec3.editor.line, "365")  # no Enter either
    main.close_workspace()
    assert controller.main is None
    welcome = controller.welcome
    assert welcome.isVisible()
    assert welcome.selected_path() == mini_folder  # remembered as the last workspace
    qtbot.keyClicks(welcome.unlock.passphrase, PASSPHRASE)
    qtbot.mouseClick(welcome.unlock.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.main is not None, timeout=20000)
    main = controller.main
    assert main.session.ws.answer("AGR-01").value == "partial"
    assert main.session.ws.answer("AGR-01").note == "来月までに対応"
    assert main.session.ws.answer("TEC-03").value == 365
    assert item_widget(main, "AGR-01").note.toPlainText() == "来月までに対応"


def test_switching_to_english_changes_visible_texts(qtbot, controller, mini_folder):
    assert controller.welcome.create_button.text() == "新しいワークスペースを作成…"
    combo = controller.welcome.language
    combo.setCurrentIndex(combo.findData("en"))
    combo.activated.emit(combo.currentIndex())
    assert controller.welcome.create_button.text() == "Create a new workspace…"
    main = open_via_welcome(qtbot, controller, mini_folder)
    assert main.menuBar().actions()[0].text() == "&File"
    assert item_widget(main, "AGR-01").editor.buttons["yes"].text() == "Yes"
    assert item_widget(main, "AGR-01").question.text() == "Do you agree to the terms?"
    agr = item_widget(main, "AGR-01")
    assert agr.source_label.text() == "Contract Art. 2(1)"
    assert "契約書 第2条1項" in agr.source_label.toolTip()  # the Japanese citation stays at hand
    main.go_to_section("CERT")
    main.actions_.language_actions["ja"].trigger()
    main = controller.main
    assert main.section_list.current_section_id() == "CERT"  # the rebuilt window keeps the place
    assert item_widget(main, "CERT-01").question.text() == "取得している認証"
    assert main.search.placeholderText().startswith("設問を検索")
    assert controller.settings.get(__import__("desktop.settings").settings.LANGUAGE) == "ja"


def test_expiry_colours_and_problem_texts(qtbot, controller, mini_folder, tmp_path, monkeypatch):
    from desktop.forms import models
    from desktop.ui.common import OpenFilesDialog
    from desktop.ui.evidence_dialog import EvidenceMetaDialog
    from storage import EvidenceMeta

    main = open_via_welcome(qtbot, controller, mini_folder)
    main.session.set_answer("TEC-04", "yes", None)
    files = []
    for name, days in (("expired.txt", -1), ("soon.txt", 30), ("fine.txt", 400)):
        path = tmp_path / name
        path.write_text(name)
        files.append((path, dt.date.today() + dt.timedelta(days=days)))
    metas = iter(EvidenceMeta("policy", title=p.stem, expires=e) for p, e in files)
    monkeypatch.setattr(EvidenceMetaDialog, "ask", classmethod(lambda cls, *a, **k: next(metas)))
    monkeypatch.setattr(OpenFilesDialog, "ask", classmethod(lambda cls, *a: [p for p, _ in files]))
    main.go_to_section("TEC")
    qtbot.mouseClick(item_widget(main, "TEC-04").attach_button, Qt.MouseButton.LeftButton)
    model = main.evidence.model
    qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=20000)
    colours = {model.rows[r].title: model.index(r, 0).data(Qt.ItemDataRole.BackgroundRole)
               for r in range(3)}
    assert colours["expired"].color() == models.EXPIRED_BG
    assert colours["soon"].color() == models.EXPIRING_BG
    assert colours["fine"] is None
    assert [model.rows[r].title for r in range(3)] == ["expired", "soon", "fine"]  # in the order chosen
    expired = model.index(0, models.EvidenceColumn.EXPIRES)
    assert "期限切れ" in expired.data(Qt.ItemDataRole.ToolTipRole)  # not by colour alone:
    assert not expired.data(Qt.ItemDataRole.DecorationRole).isNull()  # a text and an icon too
    assert model.index(2, models.EvidenceColumn.EXPIRES).data(Qt.ItemDataRole.DecorationRole) is None
    assert "残り" in model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole)
    problems = item_widget(main, "TEC-04").problems_label.text()
    assert "有効期限が切れています" in problems and "近づいています" in problems
    main.filter.setCurrentIndex(main.filter.findData("expiring"))
    main.apply_filter()
    assert list(main.form.widgets) == ["TEC-04"]


def test_activity_log_dialog_lists_the_changes_newest_first(qtbot, qtmodeltester, controller, mini_folder,
                                                           tmp_path, monkeypatch):
    from desktop.ui.activity_dialog import ActivityColumn, ActivityDialog
    from storage import EvidenceMeta

    main = open_via_welcome(qtbot, controller, mini_folder)
    main.session.set_answer("AGR-01", "partial", "来月までに対応")
    source = tmp_path / "方針.txt"
    source.write_text("policy")
    main.session.add_evidence("AGR-01", source, EvidenceMeta("policy", title="基本方針"))
    shown: list[ActivityDialog] = []
    monkeypatch.setattr(ActivityDialog, "exec", lambda self: shown.append(self) or 0)
    main.findChild(type(main.actions_.activity), "actionActivity").trigger()
    dialog = shown[0]
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.problems is not None, timeout=10000)
    assert dialog.problems == []
    assert "3" in dialog.state.text() and "正常" in dialog.state.text()
    model = dialog.model
    qtmodeltester.check(model)
    rows = [[model.index(r, c).data() for c in ActivityColumn] for r in range(model.rowCount())]
    assert [r[ActivityColumn.SEQ] for r in rows] == [3, 2, 1]  # newest first
    assert rows[0][2:] == ["証跡を添付", "AGR-01", rows[0][ActivityColumn.DETAIL]]
    assert rows[0][ActivityColumn.DETAIL].startswith("方針.txt / ")
    assert rows[1][2:4] == ["回答を保存", "AGR-01"]
    assert rows[1][ActivityColumn.DETAIL] == "一部 / 備考: 来月までに対応"
    assert rows[2][2] == "ワークスペースを作成"
    dialog.filter.setText("方針")
    assert dialog.proxy.rowCount() == 1
    # locking takes the history away with the keys
    main.lock()
    assert not dialog.isVisible() and dialog.result() == 0



def test_checking_the_open_workspace_in_the_worker(qtbot, qtmodeltester, controller, mini_folder, tmp_path,
                                                  monkeypatch):
    from desktop.ui.integrity_dialog import IntegrityDialog
    from storage import EvidenceMeta

    main = open_via_welcome(qtbot, controller, mini_folder)
    main.session.set_answer("AGR-01", "yes", None)
    source = tmp_path / "方針.txt"
    source.write_bytes(b"policy " * 1000)
    main.session.add_evidence("AGR-01", source, EvidenceMeta("policy", title="基本方針"))
    shown: list[IntegrityDialog] = []
    monkeypatch.setattr(IntegrityDialog, "exec", lambda self: shown.append(self) or 0)

    task = main.check_integrity()
    with qtbot.waitSignal(task.finished, timeout=30000):
        pass
    assert len(shown) == 1 and shown[0].report.ok and shown[0].report.clean
    assert "問題は見つかりませんでした" in shown[0].verdict.text()
    assert shown[0].model.rowCount() == 0

    # somebody flips a byte in the encrypted evidence file on disk
    blob = next(p for p in (mini_folder / "blobs").rglob("*.age"))
    data = bytearray(blob.read_bytes())
    data[len(data) // 2] ^= 0x01
    blob.write_bytes(bytes(data))
    task = main.check_integrity()
    with qtbot.waitSignal(task.finished, timeout=30000):
        pass
    dialog = shown[1]
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert not dialog.report.ok and "損傷が 1 件" in dialog.verdict.text()
    row = [dialog.model.index(0, c).data() for c in range(4)]
    assert row[0] == "損傷" and row[1] == "証跡ファイルが破損または改ざんされています"
    assert "方針.txt" in row[2]
    assert main.session.answer("AGR-01").value == "yes"  # the workspace is still open and usable
