"""The auditor's window and the issue-12 rules: official template (green), a key under another vendor
name (an explicit decision), replays (submission ID and Japan-time export time first, amber)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from desktop.signer_pins import PinStatus, SignerPins
from desktop.ui.auditor_open import VendorNameChangedDialog
from exports.bundle import export_bundle
from exports.bundle_report import format_jst
from storage import Workspace

from .bundle_support import fill_conforming, official_template
from .conftest import FAST_KDF, PASSPHRASE
from .desktop_helpers import open_bundle_dialog as open_dialog
from .vendor_kit import VendorKit

VENDOR = "株式会社サンプル"


@pytest.fixture(scope="module")
def official_bundle(tmp_path_factory, signer, auditor):
    root = tmp_path_factory.mktemp("official-desktop")
    with Workspace.create(root / "ws", PASSPHRASE, vendor=VENDOR, template=official_template(),
                          kdf=FAST_KDF) as ws:
        fill_conforming(ws, root / "sources")
        export_bundle(ws, root / "bundle.zip", signing_key=signer.key, recipients=[auditor.recipient])
    return root / "bundle.zip"


def test_an_official_bundle_is_green_and_leads_with_its_submission(qtbot, controller, official_bundle, signer,
                                                                   auditor):
    dialog = open_dialog(qtbot, controller.settings, official_bundle, signer.public_path,
                         auditor.identity_path, template=None)
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.banner.body.text()
    window = controller.bundle_opened(dialog.opened, dialog.note)
    report = window.session.report
    banner = window.banner
    assert banner.property("ok") == "true"
    assert banner.title.text() == (f"検証済み — 提出ID {report.submission_id}（書き出し "
                                   f"{format_jst(report.exported_at)}）")
    body = banner.body.text()
    assert "判定に使ったテンプレート: 公式 ccus-personal-info-survey 1.0.0" in body
    assert "再計算の結果" in body and "提出可" in body
    # the form and the documents use the auditor's own copy of the official template
    assert window.session.template.digest == official_template().digest
    window.close()


def test_a_pinned_key_under_another_vendor_name_needs_an_explicit_decision(qtbot, controller, official_bundle,
                                                                          signer, auditor, tmp_path,
                                                                          monkeypatch):
    pins = SignerPins(controller.settings)
    pins.pin(VENDOR, signer.key.public.base64, signer.key_id)
    kit = VendorKit(tmp_path, signer, auditor)
    content = kit.take_apart(official_bundle)
    content.sync_answers(vendor="株式会社ビー")
    impostor = kit.build(content)
    asked = []

    def decline(cls, parent, vendor, pinned, key_id):
        asked.append((vendor, [p.vendor for p in pinned], key_id))
        return False

    monkeypatch.setattr(VendorNameChangedDialog, "ask", classmethod(decline))
    dialog = open_dialog(qtbot, controller.settings, impostor, signer.public_path, auditor.identity_path,
                         template=None)
    assert asked == [("株式会社ビー", [VENDOR], signer.key_id)]
    assert dialog.opened is None and dialog.banner.property("ok") == "false"
    assert "提出者名が変わっています" in dialog.banner.title.text()
    assert pins.get("株式会社ビー") is None  # never pinned silently
    monkeypatch.setattr(VendorNameChangedDialog, "ask", classmethod(lambda cls, *a: True))
    dialog = open_dialog(qtbot, controller.settings, impostor, signer.public_path, auditor.identity_path,
                         template=None)
    assert dialog.opened is not None and "としても記憶しました" in dialog.note
    assert pins.evaluate("株式会社ビー", signer.key.public.base64, signer.key_id).statuses == {PinStatus.SAME}


def test_vendor_name_dialog_needs_a_confirmation(qtbot, signer, tmp_path):
    from desktop.settings import Settings

    pin = SignerPins(Settings(tmp_path / "s.ini")).pin(VENDOR, signer.key.public.base64, signer.key_id)
    box = VendorNameChangedDialog(None, "株式会社ビー", [pin], signer.key_id)
    qtbot.addWidget(box)
    assert VENDOR in box.text() and "株式会社ビー" in box.text()
    assert not box.accept_button.isEnabled() and box.defaultButton().objectName() == "keepOldVendor"
    box.confirmed.setChecked(True)
    assert box.accept_button.isEnabled()


def test_a_replayed_submission_is_amber_and_says_when_and_where(qtbot, controller, official_bundle, signer,
                                                               auditor, tmp_path):
    first = open_dialog(qtbot, controller.settings, official_bundle, signer.public_path,
                        auditor.identity_path, template=None)
    assert first.opened is not None
    kit = VendorKit(tmp_path, signer, auditor)
    replayed = kit.build(kit.take_apart(official_bundle))
    dialog = open_dialog(qtbot, controller.settings, replayed, signer.public_path, auditor.identity_path,
                         template=None)
    window = controller.bundle_opened(dialog.opened, dialog.note)
    banner = window.banner
    assert banner.property("ok") == "warn" and window.session.report.replay_suspected
    body = banner.body.text()
    assert "注意: この提出IDは以前に別の内容で確認されています" in body
    assert f"に {official_bundle} で確認済み" in body and "JST" in body
    window.close()
