"""Helpers for driving the real desktop windows in tests (pytest-qt, offscreen)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.errors import ErrorDialog
from desktop.forms.item_widget import ItemWidget
from desktop.settings import AUTO_LOCK_SECONDS, LANGUAGE, Settings

from .conftest import PASSPHRASE


def make_settings(path: Path, *, language: str = "ja", auto_lock: int = 0) -> Settings:
    settings = Settings(path)
    settings.set(LANGUAGE, language)
    settings.set(AUTO_LOCK_SECONDS, auto_lock)
    return settings


def open_via_welcome(qtbot, controller, folder: Path, passphrase: str = PASSPHRASE):
    """Pick the workspace in the welcome window, type the passphrase, press 開く."""
    welcome = controller.welcome
    welcome.add_recent(folder)
    qtbot.keyClicks(welcome.unlock.passphrase, passphrase)
    qtbot.mouseClick(welcome.unlock.button, Qt.MouseButton.LeftButton)
    if passphrase == PASSPHRASE:
        qtbot.waitUntil(lambda: controller.main is not None, timeout=20000)
        return controller.main
    return None


def item_widget(main, item_id: str) -> ItemWidget:
    widget = main.form.widgets[item_id]
    assert isinstance(widget, ItemWidget)
    return widget


def shown_errors() -> list[ErrorDialog]:
    return [d for d in ErrorDialog.shown if d.isVisible()]


def close_all_errors() -> None:
    for dialog in list(ErrorDialog.shown):
        dialog.done(0)
    ErrorDialog.shown.clear()


def settle(qtbot, ms: int = 50) -> None:
    qtbot.wait(ms)
    QApplication.processEvents()


def type_text(qtbot, widget, text: str) -> None:
    """Type into a field. QTest can only synthesise ASCII keys; Japanese is inserted as an IME would."""
    widget.setFocus()
    if text.isascii():
        qtbot.keyClicks(widget, text)
    elif hasattr(widget, "insertPlainText"):
        widget.insertPlainText(text)
    else:
        widget.insert(text)


def press(qtbot, button) -> None:
    """Press a button or checkbox from the keyboard (Space), as a keyboard-only user does.

    (Two QTest mouse clicks in a row on different widgets can be merged into a double click.)
    """
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


MINI_TEMPLATE = Path(__file__).resolve().parent / "fixtures" / "templates" / "mini.yaml"


def open_bundle_dialog(qtbot, settings, bundle, signer_pub, identity, *, folder=None, template=MINI_TEMPLATE):
    """Fill in the auditor's real open dialog and press 検証して開く; returns once it finished (or failed).
    ``template``: the unofficial template file to judge by (the bundle tests use the mini test
    template, which the auditor accepts explicitly); None for a bundle of an official template."""
    from PySide6.QtWidgets import QDialog

    from desktop.ui.auditor_open import FROM_FILE, OpenBundleDialog

    dialog = OpenBundleDialog(None, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.bundle.setText(str(bundle))
    dialog.identity.setText(str(identity))
    dialog.signer.setCurrentIndex(dialog.signer.findData(FROM_FILE))
    dialog.signer_file.setText(str(signer_pub))
    if folder is not None:
        dialog.folder.setText(str(folder))
    if template is not None:
        dialog.template.setText(str(template))
    assert dialog.open_button.isEnabled()
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None and (dialog.result() == QDialog.DialogCode.Accepted
                                                     or dialog.banner.isVisibleTo(dialog)), timeout=60000)
    return dialog


def drive_to_output(qtbot, wizard, signer, auditor, *, remembered: bool = False):
    """The bundle wizard: completeness → key (unlocked in the worker) → recipients → output page.
    ``remembered``: the recipient is already there from the last export (settings)."""
    from desktop.ui.export_wizard import PAGE_CHECK, PAGE_OUTPUT, PAGE_RECIPIENTS

    from .bundle_support import SIGNING_PASSPHRASE

    assert wizard.currentId() == PAGE_CHECK and wizard.check_page.isComplete()
    wizard.next()
    page = wizard.key_page
    page.path.setText(str(signer.secret_path))
    assert "鍵 ID " + signer.key_id in page.info.text()  # read at once from the .pub beside it
    type_text(qtbot, page.passphrase, SIGNING_PASSPHRASE)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_RECIPIENTS, timeout=20000)
    assert wizard.signing_key is not None and wizard.signing_key.key_id == signer.key_id
    assert page.passphrase.text() == SIGNING_PASSPHRASE  # kept only while the wizard is open
    rec = wizard.recipients_page
    if remembered:
        assert rec.recipients() == [auditor.recipient] and rec.isComplete()
    else:
        assert not rec.isComplete()
        type_text(qtbot, rec.paste, auditor.recipient)
        qtbot.mouseClick(rec.add_button, Qt.MouseButton.LeftButton)
        assert rec.recipients() == [auditor.recipient] and rec.isComplete()
    wizard.next()
    assert wizard.currentId() == PAGE_OUTPUT
