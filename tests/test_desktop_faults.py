"""The desktop app on a full disk and on read-only media (pytest-qt, the real windows).

A full disk (a 6 MiB tmpfs, root only): the refused save is a dialog in the UI language with
再試行 / Retry; what was typed stays in the form (also across a change of section) and is
stored when the user retries after making room; opening says "not enough space", not "not
a workspace"; a refused attach is retried with the same file and details; closing with an
unsaved answer asks first. Read-only media (a read-only bind mount): a banner, and every
write action disabled.
"""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from storage import EvidenceMeta, Workspace

from . import faultkit
from .conftest import FAST_KDF, PASSPHRASE
from .desktop_helpers import close_all_errors, item_widget, open_via_welcome, settle, shown_errors, type_text

pytestmark = pytest.mark.skipif(not faultkit.is_root() or faultkit.mode() != "tmpfs",
                                reason="needs root: a small tmpfs and a read-only bind mount")


@pytest.fixture(autouse=True)
def _never_block_on_a_question(monkeypatch):
    """Closing with unsaved answers asks (a modal question): a failing test must not hang on it
    in teardown. Tests that look at the question patch it themselves."""
    from desktop.ui import common

    monkeypatch.setattr(common.Confirm, "ask", classmethod(lambda cls, *a: True))


@pytest.fixture
def disk(tmp_path):
    with faultkit.small_disk(tmp_path / "disk") as d:
        yield d


@pytest.fixture
def small_ws(disk, mini_template):
    path = disk.root / "ws"
    with Workspace.create(path, PASSPHRASE, vendor="テスト建設", template=mini_template, kdf=FAST_KDF) as ws:
        ws.set_answers({"AGR-01": "yes", "CERT-01": "isms"})
    return path


def fault_dialog(qtbot):
    qtbot.waitUntil(lambda: bool(shown_errors()), timeout=20000)
    dialogs = shown_errors()
    assert len(dialogs) == 1
    return dialogs[0]


def retry(dialog) -> None:
    button = dialog.button(QMessageBox.StandardButton.Retry)
    assert button is not None and button.objectName() == "retryButton"
    button.click()


def typed_note(qtbot, widget, text: str) -> None:
    type_text(qtbot, widget.editor.box, text)
    qtbot.keyClick(widget.editor.box, Qt.Key.Key_Return)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_refused_save_keeps_the_typing_and_retries(qtbot, controller, disk, small_ws, lang):
    controller.set_language(lang)
    main = open_via_welcome(qtbot, controller, small_ws)
    main.go_to_section("CERT")
    cert2 = item_widget(main, "CERT-02")
    disk.fill()
    typed_note(qtbot, cert2, "IS 654321")
    dialog = fault_dialog(qtbot)
    title, what = ("空き容量が足りません", "CERT-02 の回答は保存されていません") if lang == "ja" else \
        ("Not enough disk space", "The answer to CERT-02 was not saved")
    assert dialog.windowTitle() == title
    body = dialog.informativeText()
    assert str(small_ws) in body and what in body
    assert ("以上の空きを作る" if lang == "ja" else "free at least") in body.replace("Free", "free")
    assert "ワークスペースではありません" not in body and "not a CCUS Attest workspace" not in body
    # the form is still open and holds what was typed
    assert controller.main is main and cert2.editor.box.text() == "IS 654321"
    assert cert2.error_label.isVisibleTo(main)
    assert main.session.ws.answer("CERT-02") is None
    # a change of section does not lose it: the form shows it again, marked as not saved
    dialog.done(0)
    main.go_to_section("TEC")
    main.go_to_section("CERT")
    cert2 = item_widget(main, "CERT-02")
    assert cert2.editor.box.text() == "IS 654321" and cert2.error_label.isVisibleTo(main)
    # its own 再試行 button, while the disk is still full, asks again
    assert cert2.retry_button.isVisibleTo(main)
    cert2.retry_button.click()
    dialog = fault_dialog(qtbot)
    # the user makes room and retries
    disk.unfill()
    retry(dialog)
    settle(qtbot)
    assert main.session.ws.answer("CERT-02").value == "IS 654321"
    assert not main.session.unsaved and not shown_errors()
    assert not cert2.error_label.isVisibleTo(main) and not cert2.retry_button.isVisibleTo(main)
    main.close()
    with Workspace.open(small_ws, PASSPHRASE) as ws:  # and it is on disk
        assert ws.answer("CERT-02").value == "IS 654321"


def test_a_retry_that_fails_again_asks_again(qtbot, controller, disk, small_ws):
    main = open_via_welcome(qtbot, controller, small_ws)
    press_no = item_widget(main, "AGR-01").editor.buttons["no"]
    disk.fill()
    press_no.click()
    first = fault_dialog(qtbot)
    retry(first)  # still full
    second = fault_dialog(qtbot)
    assert second is not first
    disk.unfill()
    retry(second)
    settle(qtbot)
    assert main.session.ws.answer("AGR-01").value == "no" and not shown_errors()


def test_closing_with_an_unsaved_answer_asks_first(qtbot, controller, disk, small_ws, monkeypatch):
    from desktop.ui import common

    main = open_via_welcome(qtbot, controller, small_ws)
    main.go_to_section("CERT")
    cert2 = item_widget(main, "CERT-02")
    disk.fill()
    typed_note(qtbot, cert2, "IS 777")
    fault_dialog(qtbot).done(0)
    asked = []
    monkeypatch.setattr(common.Confirm, "ask", classmethod(lambda cls, *a: asked.append(a) or False))
    main.close()
    close_all_errors()
    assert asked and controller.main is main and cert2.editor.box.text() == "IS 777"
    main.lock()  # nor does a lock drop it
    close_all_errors()
    assert not main.session.locked
    disk.unfill()
    main.close()  # with room again, closing stores it first
    assert controller.main is None
    with Workspace.open(small_ws, PASSPHRASE) as ws:
        assert ws.answer("CERT-02").value == "IS 777"


def test_opening_on_a_full_disk_says_so(qtbot, controller, disk, small_ws):
    welcome = controller.welcome
    welcome.add_recent(small_ws)
    disk.fill()
    qtbot.keyClicks(welcome.unlock.passphrase, PASSPHRASE)
    qtbot.mouseClick(welcome.unlock.button, Qt.MouseButton.LeftButton)
    dialog = fault_dialog(qtbot)
    assert dialog.windowTitle() == "空き容量が足りません"
    assert "ワークスペースは開かれていません" in dialog.informativeText()
    assert "必要な空きは" in dialog.informativeText()
    assert controller.main is None


def test_a_refused_attach_is_retried_with_the_same_file(qtbot, controller, disk, small_ws, tmp_path,
                                                       monkeypatch):
    from desktop.ui.evidence_dialog import EvidenceMetaDialog

    src = tmp_path / "isms.pdf"
    src.write_bytes(b"%PDF-1.4 " + os.urandom(400_000))
    main = open_via_welcome(qtbot, controller, small_ws)
    main.go_to_section("CERT")
    meta = EvidenceMeta("certificate", title="ISMS 登録証", issuer="JQA")
    monkeypatch.setattr(EvidenceMetaDialog, "ask", classmethod(lambda cls, *a, **k: meta))
    disk.fill()
    main.evidence.add_files("CERT-02", [src])
    dialog = fault_dialog(qtbot)
    assert "証跡「isms.pdf」は CERT-02 に添付されていません" in dialog.informativeText()
    disk.unfill()
    retry(dialog)
    qtbot.waitUntil(lambda: bool(main.session.ws.evidence("CERT-02")), timeout=20000)
    (info,) = main.session.ws.evidence("CERT-02")
    assert (info.filename, info.title, info.issuer) == ("isms.pdf", "ISMS 登録証", "JQA")
    assert not shown_errors()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_read_only_workspace_has_a_banner_and_no_write_actions(qtbot, controller, small_ws, tmp_path,
                                                                lang):
    with faultkit.read_only_view(small_ws.parent, tmp_path / "cdrom") as view:
        controller.set_language(lang)
        main = open_via_welcome(qtbot, controller, view / "ws")
        assert main.session.read_only
        banner = main.read_only_banner
        assert banner is not None and banner.isVisibleTo(main)
        assert banner.title.text() == ("読み取り専用で開いています" if lang == "ja" else "Opened read-only")
        assert str(view / "ws") in banner.text.text() and banner.accessibleName() == banner.title.text()
        actions, exports = main.actions_, main.exports
        for action in (actions.add_evidence, actions.undo, actions.redo, exports.bundle_action,
                       exports.import_action):
            assert not action.isEnabled(), action.objectName()
        for action in (exports.checklist_action, exports.report_action, actions.dashboard, actions.check):
            assert action.isEnabled(), action.objectName()
        agr = item_widget(main, "AGR-01")
        assert not agr.editor.isEnabled() and agr.note.isReadOnly()
        main.go_to_section("CERT")
        assert not item_widget(main, "CERT-02").attach_button.isVisibleTo(main)
        assert not main.evidence.add_button.isVisibleTo(main)
        # still read-only after a lock and an unlock
        main.lock()
        main.unlock(PASSPHRASE)
        qtbot.waitUntil(lambda: not main.session.locked, timeout=20000)
        assert not actions.add_evidence.isEnabled() and not exports.bundle_action.isEnabled()
        main.close()
        settle(qtbot)
