"""The vendor's exports through the real windows: the bundle wizard, the checklist and the report."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.settings import EXPORT_RECIPIENTS, EXPORT_SIGNING_KEY
from desktop.ui.common import Confirm, OpenFileDialog, OutputFileDialog, ShowInFolder
from desktop.ui.export_wizard import PAGE_RECIPIENTS, PAGE_SUMMARY
from desktop.ui.signing_key_dialog import SigningKeyDialog
from exports.bundle import verify_bundle
from exports.keys import generate_recipient_key
from storage import Workspace

from .bundle_support import FAST_SCRYPT, MINI, SIGNING_PASSPHRASE, fill_complete
from .conftest import FAST_KDF, PASSPHRASE
from .desktop_helpers import drive_to_output, open_bundle_dialog, open_via_welcome, shown_errors


def _workspace(tmp_path, mini_template, *, complete: bool, big: int = 0):
    folder = tmp_path / "ws"
    ws = Workspace.create(folder, PASSPHRASE, vendor="テスト建設システム株式会社", template=mini_template,
                          kdf=FAST_KDF)
    if complete:
        fill_complete(ws, tmp_path / "sources", os.urandom(big) if big else b"%PDF-1.4 certificate")
    else:
        ws.set_answer("AGR-01", "yes")
    ws.close()
    return folder


@pytest.fixture
def main(qtbot, controller, tmp_path, mini_template):
    return open_via_welcome(qtbot, controller, _workspace(tmp_path, mini_template, complete=True))


def test_export_through_the_wizard_then_verify_independently(qtbot, main, signer, auditor, tmp_path,
                                                            monkeypatch):
    wizard = main.exports.export_bundle()
    drive_to_output(qtbot, wizard, signer, auditor)
    out = tmp_path / "out" / "提出.zip"
    out.parent.mkdir()
    wizard.output_page.path.setText(str(out))
    assert signer.key_id in wizard.output_page.plan.text()
    with qtbot.waitSignal(wizard.exported, timeout=60000):
        wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_SUMMARY, timeout=5000)
    summary = wizard.summary_page.fields
    assert summary["file"].text() == str(out)
    assert summary["sha256"].text() == hashlib.sha256(out.read_bytes()).hexdigest()
    assert summary["key_id"].text() == signer.key_id
    assert str(out.stat().st_size) in summary["size"].text().replace(",", "")
    assert signer.public_path.name in wizard.summary_page.note.text()
    report = verify_bundle(out, signer=signer.public_path, identity=auditor.identity_path, templates=MINI)
    assert report.ok and report.manifest["complete"] is True
    assert report.manifest["vendor"] == "テスト建設システム株式会社"

    opened = []
    monkeypatch.setattr(ShowInFolder, "open", classmethod(lambda cls, folder: opened.append(folder)))
    qtbot.mouseClick(wizard.summary_page.show_button, Qt.MouseButton.LeftButton)
    assert opened == [out.parent]
    # remembered for next time: the key FILE and the recipients, never a passphrase
    settings = main.settings
    assert settings.get(EXPORT_SIGNING_KEY) == str(signer.secret_path)
    assert settings.get(EXPORT_RECIPIENTS) == [auditor.recipient]
    assert SIGNING_PASSPHRASE not in Path(settings.path).read_text(encoding="utf-8")
    assert wizard.signing_key is None  # wiped once the bundle was written
    wizard.accept()
    assert main.exports.wizard is None

    # the auditor opens that very bundle: verified, read-only
    dialog = open_bundle_dialog(qtbot, main.settings, out, signer.public_path, auditor.identity_path)
    window = main.controller.bundle_opened(dialog.opened, dialog.note)
    # verified; amber because the mini test template is not an official one (said in the title)
    assert window.banner.property("ok") == "warn" and "非公式テンプレート" in window.banner.title.text()
    assert signer.key_id in window.banner.body.text()
    assert window.form.widgets["AGR-01"].editor.buttons["yes"].isChecked()
    assert not window.form.widgets["AGR-01"].editor.isEnabled()
    window.close()


def test_cancel_leaves_nothing_behind(qtbot, controller, signer, auditor, tmp_path, mini_template):
    main = open_via_welcome(qtbot, controller, _workspace(tmp_path, mini_template, complete=True,
                                                          big=24 * 1024 * 1024))
    wizard = main.exports.export_bundle()
    drive_to_output(qtbot, wizard, signer, auditor)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    wizard.output_page.path.setText(str(out_dir / "bundle.zip"))
    wizard.next()
    assert wizard.running
    with qtbot.waitSignal(wizard.finished, timeout=60000):
        wizard.reject()  # Cancel / Esc
    assert list(out_dir.iterdir()) == []  # no bundle, no temporary file
    assert not shown_errors()
    assert main.exports.wizard is None


def test_blockers_jump_to_the_item_or_export_anyway(qtbot, controller, tmp_path, mini_template):
    main = open_via_welcome(qtbot, controller, _workspace(tmp_path, mini_template, complete=False))
    wizard = main.exports.export_bundle()
    page = wizard.check_page
    assert not page.isComplete() and page.anyway.isVisible()
    assert "提出を妨げている設問が" in page.state.text() and page.state.property("tone") != "good"
    page.anyway.setChecked(True)
    assert page.isComplete() and wizard.allow_incomplete
    index = page.model.index(0)
    item_id = index.data(Qt.ItemDataRole.UserRole + 5)
    with qtbot.waitSignal(wizard.finished, timeout=5000):
        page.problems.clicked.emit(index)
    assert main.evidence.item_id == item_id and item_id in main.form.widgets


def test_key_and_recipient_problems_are_explained(qtbot, main, signer, tmp_path, monkeypatch):
    wizard = main.exports.export_bundle()
    wizard.next()
    key_page = wizard.key_page
    key_page.path.setText(str(signer.public_path))
    assert "使えません" in key_page.status.text() and not key_page.isComplete()
    key_page.path.setText(str(signer.secret_path))
    key_page.passphrase.setText("not the passphrase")
    wizard.next()
    qtbot.waitUntil(lambda: key_page.task is None, timeout=20000)
    assert "署名鍵のパスフレーズが違います" in key_page.status.text()
    assert key_page.passphrase.text() == "" and wizard.currentPage() is key_page
    key_page.passphrase.setText(SIGNING_PASSPHRASE)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_RECIPIENTS, timeout=20000)
    rec = wizard.recipients_page
    for bad, expected in (("AGE-SECRET-KEY-1QQQ", "秘密鍵です"), ("ssh-ed25519 AAAA", "SSH"),
                          ("hello", "age の公開鍵ではありません"), ("age1qqqqqqqq", "正しくありません")):
        rec.paste.setText(bad)
        rec.add_pasted()
        assert expected in rec.problem.text(), bad
    assert rec.recipients() == []
    made = generate_recipient_key(tmp_path / "aud")
    monkeypatch.setattr(OpenFileDialog, "ask", classmethod(lambda cls, *a: made.recipient_path))
    rec._from_file()
    assert rec.recipients() == [made.recipient]
    rec.paste.setText(made.recipient)
    rec.add_pasted()
    assert "すでに追加" in rec.problem.text()
    wizard.reject()


def test_create_a_signing_key(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(SigningKeyDialog, "scrypt", FAST_SCRYPT)
    dialog = SigningKeyDialog(None, tmp_path / "vendor-2026", "株式会社サンプル")
    qtbot.addWidget(dialog)
    assert not dialog.create_button.isEnabled()
    dialog.pair.passphrase.setText("sora-umi-yama-kawa-42")
    dialog.pair.confirm.setText("sora-umi-yama-kawa-4")
    assert "一致しません" in dialog.pair.mismatch.text() and not dialog.create_button.isEnabled()
    dialog.pair.confirm.setText("sora-umi-yama-kawa-42")
    assert dialog.create_button.isEnabled()
    with qtbot.waitSignal(dialog.accepted, timeout=20000):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    secret = tmp_path / "vendor-2026.key"
    assert dialog.created.secret_path == secret and (tmp_path / "vendor-2026.pub").is_file()
    if os.name == "posix":
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    again = SigningKeyDialog(None, tmp_path / "vendor-2026")
    qtbot.addWidget(again)
    again.pair.passphrase.setText("sora-umi-yama-kawa-42")
    again.pair.confirm.setText("sora-umi-yama-kawa-42")
    assert "上書きしません" in again.files.text() and not again.create_button.isEnabled()


def test_checklist_and_report_in_the_worker_never_overwrite_silently(qtbot, main, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    out = tmp_path / "docs"
    out.mkdir()
    monkeypatch.setattr(OutputFileDialog, "ask", classmethod(lambda cls, *a: out / "checklist"))
    task = main.exports.documents.export_checklist()
    with qtbot.waitSignal(task.finished, timeout=30000):
        pass
    xlsx = out / "checklist.xlsx"  # the extension is added
    wb = load_workbook(xlsx, read_only=True)
    assert "チェックリスト" in wb.sheetnames
    cells = [c for row in wb["チェックリスト"].iter_rows(values_only=True) for c in row if c]
    assert "AGR-01" in cells
    wb.close()
    before = xlsx.read_bytes()
    asked = []
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda cls, *a: asked.append(a) or False))
    assert main.exports.documents.export_checklist() is None  # declined: nothing happens
    assert asked and xlsx.read_bytes() == before

    monkeypatch.setattr(OutputFileDialog, "ask", classmethod(lambda cls, *a: out / "report.pdf"))
    task = main.exports.documents.export_report()
    with qtbot.waitSignal(task.finished, timeout=30000):
        pass
    assert (out / "report.pdf").read_bytes()[:5] == b"%PDF-"
    assert sorted(p.name for p in out.iterdir()) == ["checklist.xlsx", "report.pdf"]
    # what left the workspace is in its activity log, with the SHA-256 of the file as written
    import hashlib

    logged = [(e.action, e.detail) for e in main.session.workspace().activity()
              if e.action.endswith("exported")]
    assert logged == [
        ("checklist.exported", {"file": "checklist.xlsx", "sha256": hashlib.sha256(before).hexdigest()}),
        ("report.exported", {"file": "report.pdf",
                             "sha256": hashlib.sha256((out / "report.pdf").read_bytes()).hexdigest()}),
    ]


def test_qt_own_buttons_follow_the_language(qtbot):
    from PySide6.QtCore import QCoreApplication

    from desktop import i18n

    i18n.install("ja")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "キャンセル"  # standard buttons
    i18n.install("en")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    i18n.install("ja")


def test_locking_closes_the_wizard_and_wipes_the_key(qtbot, main, signer):
    wizard = main.exports.export_bundle()
    wizard.next()
    wizard.key_page.path.setText(str(signer.secret_path))
    wizard.key_page.passphrase.setText(SIGNING_PASSPHRASE)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_RECIPIENTS, timeout=20000)
    key = wizard.signing_key
    wiped = []
    key.wipe = lambda: wiped.append(True)
    with qtbot.waitSignal(wizard.finished, timeout=5000):
        main.lock()
    assert wiped == [True] and main.exports.wizard is None
    assert not main.actions_.export_menu.menuAction().isEnabled()


def test_bundle_errors_have_their_own_messages(qtbot):
    from desktop.errors import explain
    from exports import errors as xe
    from questionnaire.review import ReviewError
    from questionnaire.submission import SubmissionError

    samples = [xe.WrongSigningPassphrase("k.key"), xe.KeyFileError("bad"), xe.BundleIncomplete(()),
               xe.OutputExists("x.zip"), xe.UnsafeArchive("link"), xe.BundleError("io"),
               ReviewError("bad"), SubmissionError("bad")]
    titles = [explain(e).title for e in samples]
    assert len(set(titles)) == len(titles) and all(explain(e).next_step for e in samples)
    assert explain(xe.WrongSigningPassphrase("k.key")).title == "署名鍵のパスフレーズが違います"


def test_cancel_while_the_key_is_unlocking(qtbot, main, signer):
    wizard = main.exports.export_bundle()
    wizard.next()
    wizard.key_page.path.setText(str(signer.secret_path))
    wizard.key_page.passphrase.setText(SIGNING_PASSPHRASE)
    with qtbot.waitSignal(wizard.finished, timeout=20000):
        wizard.next()  # starts unlocking in the worker
        wizard.reject()
    assert wizard.signing_key is None and main.exports.wizard is None
