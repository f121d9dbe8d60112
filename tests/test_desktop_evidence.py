"""Evidence in the desktop app: drop, dialog, encryption in a worker with cancel, previews from memory."""

from __future__ import annotations

import datetime as dt
import io
import os

import pytest
from PySide6.QtCore import QDate, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage

from desktop.ui.common import Confirm, OpenFilesDialog, SaveFileDialog
from desktop.ui.evidence_dialog import EvidenceMetaDialog
from storage import Cancelled, EvidenceMeta, Workspace

from .conftest import FAST_KDF, PASSPHRASE
from .desktop_helpers import item_widget, open_via_welcome


@pytest.fixture
def main(qtbot, controller, tmp_path, mini_template):
    folder = tmp_path / "mini"
    Workspace.create(folder, PASSPHRASE, vendor="テスト建設システム株式会社", template=mini_template,
                     kdf=FAST_KDF).close()
    window = open_via_welcome(qtbot, controller, folder)
    window.go_to_section("TEC")
    return window


def make_pdf(path, pages=4):
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    for n in range(pages):
        c.setFont("Helvetica", 48)
        c.drawString(100, 600, f"Page {n + 1}")
        c.showPage()
    c.save()
    path.write_bytes(buffer.getvalue())
    return path


def make_png(path):
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#2e8b57"))
    assert image.save(str(path), "PNG")
    return path


def all_files(folder):
    return {p for p in folder.rglob("*") if p.is_file()}


def attach(qtbot, main, monkeypatch, item_id, path, meta):
    monkeypatch.setattr(EvidenceMetaDialog, "ask", classmethod(lambda cls, *a, **k: meta))
    monkeypatch.setattr(OpenFilesDialog, "ask", classmethod(lambda cls, *a: [path]))
    before = main.evidence.model.rowCount() if main.evidence.item_id == item_id else 0
    qtbot.mouseClick(item_widget(main, item_id).attach_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: main.evidence.item_id == item_id and main.evidence.model.rowCount() > before,
                    timeout=20000)


def select_row(main, row):
    main.evidence.table.selectRow(row)


def test_attach_through_the_dialog_updates_the_item(qtbot, main, monkeypatch, tmp_path):
    main.session.set_answer("TEC-04", "yes", None)
    widget = item_widget(main, "TEC-04")
    assert widget.evidence_label.property("missing") is True
    pdf = make_pdf(tmp_path / "診断報告書.pdf")
    attach(qtbot, main, monkeypatch, "TEC-04", pdf,
           EvidenceMeta("policy", title="脆弱性診断報告書", issuer="株式会社診断", number="R-1",
                        issued=dt.date(2026, 4, 1)))
    info = main.session.ws.evidence("TEC-04")[0]
    assert (info.filename, info.title, info.issuer, info.issued) == (
        "診断報告書.pdf", "脆弱性診断報告書", "株式会社診断", dt.date(2026, 4, 1))
    assert "1 件" in widget.evidence_label.text()
    assert widget.evidence_label.property("missing") is False
    assert widget.state_label.text() == "適合"
    # the stored blob is encrypted: the PDF's bytes are nowhere in the workspace
    raw = pdf.read_bytes()
    assert not any(raw[:200] in p.read_bytes() for p in all_files(main.session.path))


def test_drop_files_onto_an_item(qtbot, main, monkeypatch, tmp_path):
    png = make_png(tmp_path / "screen.png")
    monkeypatch.setattr(EvidenceMetaDialog, "ask",
                        classmethod(lambda cls, *a, **k: EvidenceMeta("policy")))
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(png))])
    widget = item_widget(main, "TEC-04")
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    widget.dropEvent(event)
    qtbot.waitUntil(lambda: main.evidence.model.rowCount() == 1, timeout=20000)
    assert main.evidence.item_id == "TEC-04"
    assert main.session.ws.evidence("TEC-04")[0].filename == "screen.png"


def test_metadata_dialog_fields(qtbot, mini_template):
    item = mini_template.item("CERT-02")
    dialog = EvidenceMetaDialog(None, mini_template, item, "isms.pdf")
    qtbot.addWidget(dialog)
    assert dialog.kind.currentData() == "certificate"  # the item's accepted kind first
    dialog.title.setText("ISMS 登録証")
    dialog.issued.set_value(dt.date(2025, 4, 1))
    dialog.expires.set_value(dt.date(2024, 3, 31))
    assert not dialog.ok.isEnabled() and dialog.problem.text()
    dialog.expires.set_value(dt.date(2028, 3, 31))
    assert dialog.ok.isEnabled()
    meta = dialog.meta()
    assert (meta.kind, meta.title, meta.issued, meta.expires) == (
        "certificate", "ISMS 登録証", dt.date(2025, 4, 1), dt.date(2028, 3, 31))
    dialog.expires.set_value(None)
    assert dialog.meta().expires is None


def test_metadata_dates_are_typed_over_from_the_keyboard(qtbot, mini_template):
    """Select all and type a new date: the whole date is replaced (a QDateEdit kept the old year)."""
    dialog = EvidenceMetaDialog(None, mini_template, mini_template.item("CERT-02"), "isms.pdf")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.expires.set_value(dt.date(2026, 5, 1))
    field = dialog.expires.edit
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "2027-03-31")
    assert dialog.meta().expires == dt.date(2027, 3, 31)
    for typed in ("2028/3/31", "2028年3月31日", "２０２８－０３－３１"):
        qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        if typed.isascii():
            qtbot.keyClicks(field, typed)
        else:  # what an input method commits (QTest types ASCII only)
            field.insert(typed)
        assert dialog.meta().expires == dt.date(2028, 3, 31), typed
    # not a date: said on the dialog, and OK stays off until it is one
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "2028-02-30")
    assert not dialog.ok.isEnabled() and "有効期限" in dialog.problem.text()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    assert dialog.ok.isEnabled() and dialog.meta().expires is None
    # the issue date the same way, and the calendar fills the field
    dialog.issued.edit.setFocus()
    qtbot.keyClicks(dialog.issued.edit, "2025/4/1")
    assert dialog.meta().issued == dt.date(2025, 4, 1)
    dialog.issued.picked(QDate(2025, 4, 2))
    assert dialog.meta().issued == dt.date(2025, 4, 2)


def test_pdf_and_image_previews_write_nothing_to_disk(qtbot, main, monkeypatch, tmp_path):
    pdf = make_pdf(tmp_path / "report.pdf", pages=5)
    png = make_png(tmp_path / "shot.png")
    attach(qtbot, main, monkeypatch, "TEC-04", pdf, EvidenceMeta("policy", title="report"))
    attach(qtbot, main, monkeypatch, "TEC-04", png, EvidenceMeta("policy", title="shot"))
    watched = [tmp_path, main.session.path.parent]
    before = {f: f.stat().st_mtime_ns for d in watched for f in all_files(d) if "-wal" not in f.name}
    select_row(main, 0)
    dialog = main.evidence.preview_selected()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20000)
    assert dialog.preview.kind == "pdf" and dialog.preview.pages == 5
    assert len(dialog.preview.images) == 3  # the first pages only
    assert "5" in dialog.status.text() and "3" in dialog.status.text()
    page = dialog.findChild(type(dialog.status), "previewPage1")
    assert page is not None and not page.pixmap().isNull()
    # the rendering is real: the page is mostly white with dark text
    first = dialog.preview.images[0]
    assert first.pixelColor(5, 5) == QColor("white")
    dialog.close()
    select_row(main, 1)
    dialog = main.evidence.preview_selected()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20000)
    assert dialog.preview.kind == "image"
    assert dialog.preview.images[0].pixelColor(3, 3) == QColor("#2e8b57")
    after = {f: f.stat().st_mtime_ns for d in watched for f in all_files(d) if "-wal" not in f.name}
    new_or_changed = {f for f in after if before.get(f) != after[f]}
    assert {f for f in new_or_changed if f.suffix not in (".db", ".lock", ".ini")} == set()
    dialog.close()


def test_unknown_and_text_files(qtbot, main, monkeypatch, tmp_path):
    log = tmp_path / "access.log"
    log.write_bytes("2026-04-01 ログイン 成功\n".encode("cp932"))
    blob = tmp_path / "data.bin"
    blob.write_bytes(os.urandom(1000))
    attach(qtbot, main, monkeypatch, "TEC-04", log, EvidenceMeta("policy"))
    attach(qtbot, main, monkeypatch, "TEC-04", blob, EvidenceMeta("policy"))
    select_row(main, 0)
    dialog = main.evidence.preview_selected()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20000)
    assert dialog.preview.kind == "text" and "ログイン" in dialog.preview.text
    dialog.close()
    select_row(main, 1)
    dialog = main.evidence.preview_selected()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20000)
    assert dialog.preview.kind == "none" and "コピーを保存" in dialog.status.text()
    dialog.close()


def test_save_a_copy_and_remove_with_confirmation(qtbot, main, monkeypatch, tmp_path):
    pdf = make_pdf(tmp_path / "policy.pdf")
    attach(qtbot, main, monkeypatch, "TEC-04", pdf, EvidenceMeta("policy"))
    select_row(main, 0)
    dest = tmp_path / "out" / "copy.pdf"
    dest.parent.mkdir()
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda cls, *a: dest))
    task = main.evidence.save_selected()
    qtbot.waitUntil(lambda: task.done, timeout=20000)
    assert dest.read_bytes() == pdf.read_bytes()
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda cls, *a: False))
    assert not main.evidence.remove_selected()
    assert main.evidence.model.rowCount() == 1
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda cls, *a: True))
    assert main.evidence.remove_selected()
    assert main.evidence.model.rowCount() == 0
    assert main.session.ws.evidence("TEC-04") == []


def test_big_file_encrypts_in_the_worker_and_can_be_cancelled(qtbot, main, tmp_path):
    big = tmp_path / "big.bin"
    with big.open("wb") as fh:
        for _ in range(48):
            fh.write(os.urandom(1 << 20))
    main.select_item("TEC-04")
    task = main.evidence._encrypt("TEC-04", big, EvidenceMeta("policy"))
    task.cancel()  # like pressing Cancel: checked at every MiB
    qtbot.waitUntil(lambda: task.done, timeout=30000)
    assert isinstance(task.error, Cancelled)
    assert main.session.ws.evidence("TEC-04") == []
    blobs = [p for p in (main.session.path / "blobs").rglob("*") if p.is_file()]
    assert blobs == []  # no partial encrypted file left behind
    progress = []
    task = main.evidence._encrypt("TEC-04", big, EvidenceMeta("policy"))
    task.progressed.connect(lambda done, total: progress.append((done, total)))
    qtbot.waitUntil(lambda: task.done, timeout=60000)
    assert task.error is None and progress and progress[-1][1] == 48 << 20
    assert main.evidence.model.rowCount() == 1
