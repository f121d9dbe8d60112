"""The vendor's and the auditor's work done with the keyboard alone (issue 18).

Every step sends key events to the widget that has focus (tests/keyboard_support.py) and
asserts where focus is afterwards. The only things not typed are the operating system's
file choosers (replaced through their ``ask()``, as in every desktop test) and Japanese text
(QTest synthesises ASCII keys only).
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QPushButton

from desktop.forms.choice_group import ChoiceGroup
from desktop.forms.combo import CommitCombo
from desktop.forms.item_widget import ItemWidget
from desktop.ui.common import OpenFilesDialog, OutputFileDialog
from desktop.ui.create_dialog import CreateWorkspaceDialog
from desktop.ui.evidence_dialog import EvidenceMetaDialog
from desktop.ui.export_wizard import PAGE_CHECK, PAGE_KEY, PAGE_OUTPUT, PAGE_RECIPIENTS, PAGE_SUMMARY
from exports.bundle import verify_bundle
from exports.review import load_review_json

from .bundle_support import SIGNING_PASSPHRASE
from .conftest import PASSPHRASE
from .desktop_helpers import open_bundle_dialog, settle
from .keyboard_support import ALT, CTRL, SHIFT, focused, key, tab_until, type_keys, when_modal

K = Qt.Key


def item_of(widget) -> str | None:
    while widget is not None and not isinstance(widget, ItemWidget):
        widget = widget.parentWidget()
    return widget.item.id if widget is not None else None


def group_of(main, item_id: str) -> ChoiceGroup:
    return main.form.widgets[item_id].editor.group


def go_to(qtbot, main, item_id: str) -> None:
    """Alt+↓ from item to item until focus is in ``item_id`` (asserting focus at every step)."""
    for _ in range(30):
        if item_of(focused()) == item_id:
            return
        before = item_of(focused())
        if isinstance(focused(), QComboBox) or focused().objectName().startswith("date_"):
            key(qtbot, K.Key_Tab)  # there Alt+↓ opens the list or the calendar: step out first
            continue
        key(qtbot, K.Key_Down, ALT)
        assert item_of(focused()) is not None and item_of(focused()) != before, "Alt+Down lost the item"
    raise AssertionError(f"never reached {item_id}")


@pytest.fixture
def typed_workspace(qtbot, controller, monkeypatch):
    """Create a workspace from the welcome screen with the keyboard (Ctrl+N, fields, Enter)."""
    errors: list = []

    def fill(dialog: CreateWorkspaceDialog) -> None:
        assert focused() is dialog.folder  # the first field of the dialog
        key(qtbot, K.Key_Tab)
        assert focused().objectName() == "browseFolder"
        key(qtbot, K.Key_Tab)
        assert focused() is dialog.vendor
        type_keys(qtbot, "Sample Systems KK")
        key(qtbot, K.Key_Tab)
        assert focused() is dialog.passphrase
        type_keys(qtbot, PASSPHRASE)
        key(qtbot, K.Key_Tab)
        assert focused() is dialog.confirm
        type_keys(qtbot, PASSPHRASE)
        tab_until(qtbot, lambda w: w is dialog.understood)
        key(qtbot, K.Key_Space)
        assert dialog.understood.isChecked() and dialog.create_button.isEnabled()
        key(qtbot, K.Key_Return)  # the dialog's default button: 作成

    when_modal(CreateWorkspaceDialog, fill, errors)
    qtbot.waitUntil(lambda: controller.welcome.isActiveWindow(), timeout=5000)
    assert focused() is controller.welcome.create_button  # nothing to open yet: start by creating
    key(qtbot, K.Key_N, CTRL)
    assert not errors, errors
    qtbot.waitUntil(lambda: controller.main is not None, timeout=30000)
    main = controller.main
    qtbot.waitUntil(lambda: focused() is not None and focused().window() is main, timeout=5000)
    return main


def test_vendor_flow_with_the_keyboard_only(qtbot, controller, typed_workspace, signer, auditor, tmp_path,
                                            monkeypatch):
    main = typed_workspace
    session = main.session
    stack = session.undo_stack
    ws = session.ws
    # focus starts on the first question's answer: one control for the four answers
    assert focused() is group_of(main, "AGR-01")

    # 一部 by its letter: stored at once; the note becomes required
    key(qtbot, K.Key_P)
    assert ws.answer("AGR-01").value == "partial" and stack.count() == 1
    assert focused() is group_of(main, "AGR-01")
    key(qtbot, K.Key_Tab)
    assert focused() is main.form.widgets["AGR-01"].note
    type_keys(qtbot, "Admin MFA by 2027-03")
    key(qtbot, K.Key_Tab)  # leaving the note stores it
    assert ws.answer("AGR-01").note == "Admin MFA by 2027-03"
    assert focused() is group_of(main, "AGR-02")  # the next question: the attach button has none here

    # いいえ with the arrow keys: passing はい and 一部 stores nothing, Space settles it
    key(qtbot, K.Key_Right, times=3)
    assert group_of(main, "AGR-02").value() == "no"
    assert ws.answer("AGR-02") is None and stack.count() == 2  # the note above was one step
    key(qtbot, K.Key_Space)
    assert ws.answer("AGR-02").value == "no" and stack.count() == 3
    key(qtbot, K.Key_Tab)
    type_keys(qtbot, "Contract renewal pending")
    key(qtbot, K.Key_Tab)
    assert ws.answer("AGR-02").note == "Contract renewal pending"
    # 該当なし by its digit; then はい by Y on the next item, reached with Alt+↓
    assert focused() is group_of(main, "AGR-03")
    key(qtbot, K.Key_4)
    assert ws.answer("AGR-03").value == "na"
    key(qtbot, K.Key_Down, ALT)
    assert focused() is group_of(main, "AGR-04") and main.evidence.item_id == "AGR-04"
    key(qtbot, K.Key_Y)
    assert ws.answer("AGR-04").value == "yes"
    # undo right after an arrowed choice undoes that choice (the shortcut settles it first)
    key(qtbot, K.Key_Down, ALT)
    key(qtbot, K.Key_Right)
    count, index = stack.count(), stack.index()
    key(qtbot, K.Key_Z, CTRL)
    assert stack.count() == count + 1 and stack.index() == index and ws.answer("AGR-05") is None

    # the next section: focus follows to its first item (never lost)
    key(qtbot, K.Key_PageDown, CTRL)
    assert main.section_list.current_section_id() == "CERT"
    combo = main.form.widgets["CERT-01"].editor.combo
    assert focused() is combo
    # arrowing through the closed combo shows options but stores none (no undo step, no flicker)
    count = stack.index()
    key(qtbot, K.Key_Down, times=3)
    assert stack.index() == count and ws.answer("CERT-01") is None
    assert not main.form.widgets["CERT-03"].isVisibleTo(main)
    key(qtbot, K.Key_Up, times=2)
    assert combo.currentData() == "isms"
    key(qtbot, K.Key_Return)  # settles it
    assert ws.answer("CERT-01").value == "isms" and stack.index() == count + 1
    assert main.form.widgets["CERT-03"].isVisibleTo(main)
    # Alt+↓ in a combo opens its list (it is not the next-item key there); Escape closes it
    key(qtbot, K.Key_Down, ALT)
    qtbot.waitUntil(lambda: combo.view().isVisible(), timeout=2000)
    key(qtbot, K.Key_Escape)
    qtbot.waitUntil(lambda: not combo.view().isVisible(), timeout=2000)
    assert focused() is combo and stack.index() == count + 1

    # text
    key(qtbot, K.Key_Tab)
    assert focused() is main.form.widgets["CERT-03"].editor.box
    type_keys(qtbot, "IS 123456")
    key(qtbot, K.Key_Tab)
    assert ws.answer("CERT-03").value == "IS 123456"
    # attach evidence from the item's button: Space, then the details dialog with keys
    attach = main.form.widgets["CERT-03"].attach_button
    assert focused() is attach
    evidence_file = tmp_path / "isms.pdf"
    evidence_file.write_bytes(b"%PDF-1.4 certificate")
    monkeypatch.setattr(OpenFilesDialog, "ask", classmethod(lambda cls, *a: [evidence_file]))
    errors: list = []

    def describe(dialog: EvidenceMetaDialog) -> None:
        assert focused() is dialog.kind
        key(qtbot, K.Key_Tab)
        assert focused() is dialog.title
        type_keys(qtbot, "ISMS certificate")
        key(qtbot, K.Key_Return)  # OK

    when_modal(EvidenceMetaDialog, describe, errors)
    key(qtbot, K.Key_Space)
    assert not errors, errors
    qtbot.waitUntil(lambda: main.evidence.model.rowCount() == 1, timeout=20000)
    assert main.evidence.item_id == "CERT-03" and main.evidence.model.rowCount() == 1
    settle(qtbot, 600)
    qtbot.waitUntil(lambda: focused() is not None and focused().window() is main, timeout=5000)
    assert item_of(focused()) == "CERT-03"  # back where the user was

    # a date from the calendar: Alt+↓ opens it, → moves a day, Enter picks (once)
    go_to(qtbot, main, "CERT-05")
    line = main.form.widgets["CERT-05"].editor.line
    assert focused() is line
    key(qtbot, K.Key_Down, ALT)
    popup = main.form.widgets["CERT-05"].editor.popup
    qtbot.waitUntil(lambda: popup.isVisible(), timeout=2000)
    assert popup.isAncestorOf(focused())
    key(qtbot, K.Key_Right)
    key(qtbot, K.Key_Return)
    expected = QDate.currentDate().addDays(1).toString(Qt.DateFormat.ISODate)
    assert not popup.isVisible() and focused() is line
    assert ws.answer("CERT-05").value == expected
    # F4 opens it again; one Escape closes it and changes nothing
    key(qtbot, K.Key_F4)
    qtbot.waitUntil(lambda: popup.isVisible(), timeout=2000)
    key(qtbot, K.Key_Escape)
    assert not popup.isVisible() and ws.answer("CERT-05").value == expected
    settle(qtbot)
    assert focused() is not None and focused().window() is main

    # multiple choice: Space on a box; a number, typed
    go_to(qtbot, main, "CERT-10")
    assert isinstance(focused(), QCheckBox)
    key(qtbot, K.Key_Space)
    assert ws.answer("CERT-10").value
    go_to(qtbot, main, "CERT-13")
    type_keys(qtbot, "12")
    key(qtbot, K.Key_Tab)
    assert ws.answer("CERT-13").value == 12

    # F8: the next unanswered item, wherever it is
    key(qtbot, K.Key_F8)
    target = item_of(focused())
    assert target is not None and ws.answer(target) is None

    # the dashboard: Ctrl+D, the problem list has focus; Enter goes to the item and its input
    key(qtbot, K.Key_D, CTRL)
    dash = main.dashboard
    assert main.center.currentWidget() is dash and focused() is dash.problem_view
    problem_item = dash.problem_view.currentIndex().data(Qt.ItemDataRole.UserRole + 5)
    key(qtbot, K.Key_Return)
    settle(qtbot)
    assert main.center.currentWidget() is main.form and item_of(focused()) == problem_item
    # a section button on the dashboard: Space shows the section, focus lands on its first item
    key(qtbot, K.Key_D, CTRL)
    button = dash.section_buttons["GOV"]
    button.setFocus()  # (Tab reaches it too: the tab-order test walks the dashboard)
    key(qtbot, K.Key_Space)
    settle(qtbot)
    assert main.section_list.current_section_id() == "GOV" and item_of(focused()) == "GOV-01"

    # the export wizard, with keys only
    key(qtbot, K.Key_E, CTRL)
    wizard = main.exports.wizard
    qtbot.waitUntil(lambda: wizard.isVisible() and focused() is not None and focused().window() is wizard,
                    timeout=5000)
    assert wizard.currentId() == PAGE_CHECK
    tab_until(qtbot, lambda w: w is wizard.check_page.anyway)
    key(qtbot, K.Key_Space)
    assert wizard.check_page.isComplete()
    key(qtbot, K.Key_Return)  # 次へ
    assert wizard.currentId() == PAGE_KEY
    page = wizard.key_page
    tab_until(qtbot, lambda w: w is page.path)
    type_keys(qtbot, str(signer.secret_path))
    key(qtbot, K.Key_Tab)  # 参照…
    key(qtbot, K.Key_Tab)
    assert focused() is page.passphrase  # the passphrase comes before 新しい署名鍵を作成…
    key(qtbot, K.Key_Tab)
    assert focused() is page.create_button
    key(qtbot, K.Key_Tab, SHIFT)
    type_keys(qtbot, SIGNING_PASSPHRASE)
    key(qtbot, K.Key_Return)  # unlocked in the worker, then the next page
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_RECIPIENTS, timeout=20000)
    rec = wizard.recipients_page
    if rec.list.count():
        rec.list.clear()
    tab_until(qtbot, lambda w: w is rec.paste)
    type_keys(qtbot, auditor.recipient)
    key(qtbot, K.Key_Return)  # adds the key and stays on the page
    assert rec.recipients() == [auditor.recipient] and wizard.currentId() == PAGE_RECIPIENTS
    assert focused() is rec.paste and rec.paste.text() == ""
    key(qtbot, K.Key_Return)  # an empty field: Enter goes on
    assert wizard.currentId() == PAGE_OUTPUT
    out = tmp_path / "out" / "bundle.zip"
    out.parent.mkdir()
    tab_until(qtbot, lambda w: w is wizard.output_page.path)
    wizard.output_page.path.selectAll()
    type_keys(qtbot, str(out))
    key(qtbot, K.Key_Return)  # 書き出す
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_SUMMARY, timeout=60000)
    assert verify_bundle(out, signer=signer.public_path, identity=auditor.identity_path).ok
    settle(qtbot)
    assert focused() is not None and focused().window() is wizard
    key(qtbot, K.Key_Return)  # 完了
    qtbot.waitUntil(lambda: main.exports.wizard is None, timeout=5000)


def test_creating_a_key_leaves_focus_on_next(qtbot, controller, tmp_path, monkeypatch, mini_template):
    """After 新しい署名鍵を作成… the wizard's 次へ has focus: Enter goes on, it does not make another key."""
    from desktop.ui.signing_key_dialog import SigningKeyDialog
    from exports.keys import generate_signing_key

    from .desktop_helpers import open_via_welcome
    from .test_desktop_export import _workspace

    main = open_via_welcome(qtbot, controller, _workspace(tmp_path, mini_template, complete=True))
    made = generate_signing_key(tmp_path / "k", "key passphrase 123", opslimit=1 << 20, memlimit=1 << 25)
    asked = []
    monkeypatch.setattr(SigningKeyDialog, "ask", classmethod(
        lambda cls, *a: asked.append(1) or (made, "key passphrase 123")))
    key(qtbot, K.Key_E, CTRL)
    wizard = main.exports.wizard
    qtbot.waitUntil(lambda: wizard.isActiveWindow(), timeout=5000)
    wizard.next()
    page = wizard.key_page
    page.create_button.setFocus()
    key(qtbot, K.Key_Space)
    assert asked == [1] and page.path.text() == str(made.secret_path)
    assert focused() is wizard.button(wizard.WizardButton.NextButton)
    key(qtbot, K.Key_Return)
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_RECIPIENTS, timeout=20000)
    assert asked == [1]
    wizard.reject()


def test_auditor_flow_with_the_keyboard_only(qtbot, controller, bundle, signer, auditor, tmp_path,
                                             monkeypatch):
    dialog = open_bundle_dialog(qtbot, controller.settings, bundle, signer.public_path, auditor.identity_path)
    window = controller.bundle_opened(dialog.opened, dialog.note)
    qtbot.waitUntil(lambda: focused() is not None and focused().window() is window, timeout=5000)
    # choose an item with Alt+↓: the review panel follows the choice
    key(qtbot, K.Key_Down, ALT)
    chosen = window.evidence.item_id
    assert window.review.item_id == chosen
    # F6 to the next panes until the review panel's verdict has focus
    for _ in range(8):
        if focused() is window.review.verdicts:
            break
        key(qtbot, K.Key_F6)
    assert focused() is window.review.verdicts
    assert window.review.item_id == chosen  # passing through did not change the item
    key(qtbot, K.Key_2)  # 不適合
    key(qtbot, K.Key_Tab)
    assert focused() is window.review.comment
    type_keys(qtbot, "Consent form copy missing")
    key(qtbot, K.Key_Tab)
    assert focused() is window.review.reviewer
    type_keys(qtbot, "Auditor A")
    key(qtbot, K.Key_Tab)
    finding = load_review_json(window.session.folder).findings_by_item()[chosen]
    assert finding.verdict.value == "nonconforming" and finding.comment == "Consent form copy missing"
    assert finding.reviewed_on == dt.date.today()
    # Delete takes the verdict back; 1 gives 適合
    window.review.verdicts.setFocus()
    key(qtbot, K.Key_Delete)
    assert load_review_json(window.session.folder).findings_by_item()[chosen].verdict is None
    key(qtbot, K.Key_1)
    assert load_review_json(window.session.folder).findings_by_item()[chosen].verdict.value == "conforms"
    # export the review workbook: Ctrl+E
    out = tmp_path / "review.xlsx"
    monkeypatch.setattr(OutputFileDialog, "ask", classmethod(lambda cls, *a: out))
    key(qtbot, K.Key_E, CTRL)
    qtbot.waitUntil(lambda: out.is_file() and not window.documents.tasks, timeout=30000)
    settle(qtbot)
    assert focused() is not None and focused().window() is window
    window.close()


def test_the_auditor_s_open_dialog_with_the_keyboard_only(qtbot, controller, bundle, signer, auditor,
                                                          tmp_path):
    """Every field typed where focus is, Tab from one to the next, Enter on 検証して開く."""
    from PySide6.QtWidgets import QDialog

    from desktop.ui.auditor_open import FROM_FILE, OpenBundleDialog

    from .desktop_helpers import MINI_TEMPLATE

    dialog = OpenBundleDialog(None, controller.settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.isActiveWindow(), timeout=5000)
    assert focused() is dialog.bundle  # the first field has focus when the dialog opens
    type_keys(qtbot, str(bundle))
    key(qtbot, K.Key_Tab)
    assert focused().objectName() == "bundlePathBrowse"
    key(qtbot, K.Key_Tab)
    assert focused() is dialog.identity
    type_keys(qtbot, str(auditor.identity_path))
    key(qtbot, K.Key_Tab)
    assert focused().objectName() == "identityPathBrowse"
    key(qtbot, K.Key_Tab)
    assert focused() is dialog.signer
    assert dialog.signer.currentData() == FROM_FILE  # nothing pinned yet: the file is the only choice
    key(qtbot, K.Key_Tab)
    assert focused() is dialog.signer_file
    type_keys(qtbot, str(signer.public_path))
    key(qtbot, K.Key_Tab)
    assert focused().objectName() == "signerPathBrowse"
    key(qtbot, K.Key_Tab)
    assert focused() is dialog.folder
    folder = tmp_path / "opened"
    type_keys(qtbot, str(folder))
    key(qtbot, K.Key_Tab)
    assert focused().objectName() == "folderPathBrowse"
    key(qtbot, K.Key_Tab)
    assert focused() is dialog.template
    type_keys(qtbot, str(MINI_TEMPLATE))
    assert dialog.open_button.isEnabled()
    tab_until(qtbot, lambda w: w is dialog.open_button, limit=4)
    key(qtbot, K.Key_Return)
    qtbot.waitUntil(lambda: dialog.task is None and dialog.result() == QDialog.DialogCode.Accepted,
                    timeout=60000)
    assert not dialog.banner.isVisibleTo(dialog)
    assert dialog.opened is not None and folder.is_dir()
    assert dialog.request.bundle == bundle and dialog.request.identity == auditor.identity_path
    window = controller.bundle_opened(dialog.opened, dialog.note)
    qtbot.waitUntil(lambda: focused() is not None and focused().window() is window, timeout=5000)
    window.close()


def test_a_combo_saves_only_on_commit(qtbot, controller, tmp_path, mini_template):
    from .desktop_helpers import open_via_welcome
    from .test_desktop_export import _workspace

    main = open_via_welcome(qtbot, controller, _workspace(tmp_path, mini_template, complete=False))
    stack = main.session.undo_stack
    main.go_to_section("CERT")
    combo = main.form.widgets["CERT-01"].editor.combo
    assert isinstance(combo, CommitCombo)
    combo.setFocus()
    count = stack.count()
    key(qtbot, K.Key_Down, times=3)
    key(qtbot, K.Key_Up)
    assert stack.count() == count and main.session.answer("CERT-01") is None
    assert not main.form.widgets["CERT-02"].isVisibleTo(main)  # no flicker of dependent items
    key(qtbot, K.Key_Tab)  # leaving it settles the choice shown
    assert main.session.answer("CERT-01").value == "pmark" and stack.count() == count + 1
    # chosen in the open list: stored at once
    combo.setFocus()
    key(qtbot, K.Key_Down, ALT)
    qtbot.waitUntil(lambda: combo.view().isVisible(), timeout=2000)
    key(qtbot, K.Key_Up)
    key(qtbot, K.Key_Return)
    qtbot.waitUntil(lambda: not combo.view().isVisible(), timeout=2000)
    assert main.session.answer("CERT-01").value == "isms" and stack.count() == count + 2


def test_evidence_table_is_no_trap_and_the_panel_follows_only_choices(qtbot, controller, tmp_path,
                                                                      mini_template):
    from .desktop_helpers import open_via_welcome
    from .test_desktop_export import _workspace

    main = open_via_welcome(qtbot, controller, _workspace(tmp_path, mini_template, complete=True))
    main.go_to_item("TEC-04")
    settle(qtbot)
    assert main.evidence.item_id == "TEC-04"
    # Tab from TEC-04 through the later items to the evidence panel: the panel keeps TEC-04
    tab_until(qtbot, lambda w: w is main.evidence.table)
    assert main.evidence.item_id == "TEC-04" and main.evidence.model.rowCount() == 1
    key(qtbot, K.Key_Down)
    key(qtbot, K.Key_Tab)  # out of the table to its buttons: no trap
    assert isinstance(focused(), QPushButton) and main.evidence.isAncestorOf(focused())
    key(qtbot, K.Key_Tab, SHIFT)
    assert focused() is main.evidence.table
    key(qtbot, K.Key_Tab, SHIFT)  # back into the form
    assert main.center.isAncestorOf(focused())
    assert main.evidence.item_id == "TEC-04"


def test_focus_is_never_lost_switching_sections(qtbot, controller, tmp_path, mini_template):
    from .desktop_helpers import open_via_welcome
    from .test_desktop_export import _workspace

    main = open_via_welcome(qtbot, controller, _workspace(tmp_path, mini_template, complete=False))
    group_of(main, "AGR-01").setFocus()
    for expected in ("CERT", "TEC"):
        key(qtbot, K.Key_PageDown, CTRL)
        settle(qtbot)
        assert main.section_list.current_section_id() == expected
        assert focused() is not None and main.form.isAncestorOf(focused())
    key(qtbot, K.Key_PageUp, CTRL)
    assert focused() is not None and main.form.isAncestorOf(focused())
    key(qtbot, K.Key_F1)
    helps = [w for w in QApplication.topLevelWidgets() if w.objectName() == "keyboardHelp" and w.isVisible()]
    assert helps and "F8" in "\n".join(k for _w, k in helps[0].rows)
    helps[0].close()
