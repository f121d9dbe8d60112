"""The yearly cycle in the desktop app (pytest-qt, offscreen): 「前年度のワークスペースから作成…」,
carried answers confirmed per item / section / all (with undo), the dashboard's deadlines."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from PySide6.QtCore import Qt

from desktop.ui.common import Confirm
from desktop.ui.create_dialog import CarryForwardDialog, CreateRequest
from questionnaire import Outcome
from storage import EvidenceMeta, Workspace

from .conftest import FAST_KDF, PASSPHRASE
from .desktop_helpers import item_widget, press, settle

NEW_PASSPHRASE = "next year's passphrase"


def folder_hashes(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def old_folder(tmp_path, mini_template):
    folder = tmp_path / "2026"
    ws = Workspace.create(folder, PASSPHRASE, vendor="テスト建設システム株式会社", template=mini_template,
                          kdf=FAST_KDF, period=2026)
    ws.set_answers({"AGR-01": "yes", "CERT-01": "pmark", "CERT-02": {"value": "IS 1", "note": "登録証あり"},
                    "CERT-03": "2027-03-31", "TEC-01": "own", "TEC-03": 1000, "TEC-04": "yes"})
    cert = tmp_path / "cert.pdf"
    cert.write_bytes(b"%PDF-1.4 certificate " * 50)
    ws.add_evidence("CERT-02", cert, EvidenceMeta("certificate", title="登録証", issuer="JQA",
                                                  number="IS 1", expires=dt.date(2026, 1, 31)))
    ws.set_contract_date(dt.date(2025, 4, 1))
    ws.close()
    return folder


def carry_via_welcome(qtbot, controller, monkeypatch, old_folder, new_folder):
    seen = {}

    def ask(cls, parent, default, origin=None):
        seen["origin"] = origin
        return CreateRequest(new_folder, "", NEW_PASSPHRASE, origin=old_folder, origin_passphrase=PASSPHRASE,
                             period=2027)

    monkeypatch.setattr(CarryForwardDialog, "ask", classmethod(ask))
    controller.welcome.add_recent(old_folder)
    press(qtbot, controller.welcome.carry_button)
    qtbot.waitUntil(lambda: controller.main is not None, timeout=20000)
    assert seen["origin"] == old_folder  # the selected recent workspace is offered as last year's
    return controller.main


def test_carry_forward_from_the_welcome_screen_then_confirm_item_section_all(
        qtbot, controller, monkeypatch, tmp_path, old_folder):
    before = folder_hashes(old_folder)
    main = carry_via_welcome(qtbot, controller, monkeypatch, old_folder, tmp_path / "2027")
    session = main.session
    ws = session.workspace()
    assert ws.period == 2027 and ws.vendor == "テスト建設システム株式会社"
    assert folder_hashes(old_folder) == before
    total = session.assessment().total
    assert total.carried == 7 and total.unconfirmed == 7 and total.confirmed == 0

    # per item: the button on the item, and the carried answer does not count until then
    main.go_to_item("AGR-01")
    settle(qtbot)
    widget = item_widget(main, "AGR-01")
    assert session.assessment().items["AGR-01"].outcome is Outcome.TO_CONFIRM
    assert widget.confirm_button.isVisible() and widget.confirm_button.accessibleName()
    assert "引継ぎ" in widget.state_label.text()
    press(qtbot, widget.confirm_button)
    settle(qtbot)
    assert session.assessment().items["AGR-01"].outcome is not Outcome.TO_CONFIRM
    assert not widget.confirm_button.isVisible()
    assert session.assessment().total.unconfirmed == 6
    # undo makes it "to confirm" again; redo confirms it
    session.undo_stack.undo()
    settle(qtbot)
    assert session.assessment().items["AGR-01"].outcome is Outcome.TO_CONFIRM
    assert widget.confirm_button.isVisible()
    session.undo_stack.redo()
    assert session.assessment().total.unconfirmed == 6

    # per section: the section's button counts and confirms what it says
    main.go_to_section("CERT")
    settle(qtbot)
    page = main.form.currentWidget()
    cert_ids = [i.id for i in session.template.section("CERT").items]
    cert_todo = session.unconfirmed(cert_ids, include_changed=False)
    assert page.confirm_button.isVisible() and str(len(cert_todo)) in page.confirm_button.text()
    press(qtbot, page.confirm_button)
    settle(qtbot)
    assert not session.unconfirmed(cert_todo)
    assert not page.confirm_button.isVisible()

    # changing a carried answer confirms it; undo restores last year's, to confirm
    left = session.unconfirmed()
    assert "TEC-03" in left
    session.set_answer("TEC-03", 2000, None)
    assert "TEC-03" not in session.unconfirmed()
    session.undo_stack.undo()
    assert "TEC-03" in session.unconfirmed() and session.answer("TEC-03").value == 1000

    # all at once asks first; declining changes nothing
    asked = []
    monkeypatch.setattr(Confirm, "ask", staticmethod(lambda *a, **k: asked.append(a) or False))
    main.show_dashboard()
    settle(qtbot)
    panel = main.cycle_panel
    assert panel.isVisible() and panel.carried_box.isVisible()
    assert f"要確認 {len(session.unconfirmed())}" in panel.carried.text()
    press(qtbot, panel.confirm_all)
    assert asked and session.unconfirmed()
    monkeypatch.setattr(Confirm, "ask", staticmethod(lambda *a, **k: True))
    press(qtbot, panel.confirm_all)
    settle(qtbot)
    assert session.unconfirmed() == []
    assert not panel.confirm_all.isEnabled()
    kinds = [e.action for e in ws.activity()]
    assert "cycle.carried_forward" in kinds


def test_dashboard_lists_deadlines_overdue_first_with_words(qtbot, controller, monkeypatch, tmp_path,
                                                            old_folder):
    main = carry_via_welcome(qtbot, controller, monkeypatch, old_folder, tmp_path / "2027")
    main.show_dashboard()
    settle(qtbot)
    panel = main.cycle_panel
    panel.refresh(dt.date(2026, 12, 6))
    rows = [panel.model.index(r).data() for r in range(panel.model.rowCount())]
    assert rows, "the contract date carried over gives renewal and notice deadlines"
    assert "2025-04-01" in panel.contract.text()
    # the certificate that expired in January is first, said in words (not colour alone)
    assert "期限切れ" in rows[0] and "2026-01-31" in rows[0]
    assert panel.model.index(0).data(Qt.ItemDataRole.ForegroundRole) is not None
    dues = [r.split()[0] for r in rows if "期限切れ" not in r]
    assert dues == sorted(dues)


def test_carry_forward_dialog_needs_last_years_folder_and_passphrase(qtbot, tmp_path, old_folder):
    dialog = CarryForwardDialog(None, tmp_path / "2027", None)
    qtbot.addWidget(dialog)
    dialog.passphrase.setText(NEW_PASSPHRASE + " with more words 7!")
    dialog.confirm.setText(NEW_PASSPHRASE + " with more words 7!")
    dialog.understood.setChecked(True)
    assert not dialog.create_button.isEnabled()  # no origin yet
    dialog.origin.setText(str(old_folder))
    assert not dialog.create_button.isEnabled()  # nor its passphrase
    dialog.origin_passphrase.setText(PASSPHRASE)
    assert dialog.create_button.isEnabled()
    request = dialog.request()
    assert request.origin == old_folder and request.origin_passphrase == PASSPHRASE and request.period is None
    dialog.period.setValue(2027)
    assert dialog.request().period == 2027
    assert dialog.origin_passphrase.echoMode() == dialog.origin_passphrase.EchoMode.Password


def test_corrective_actions_on_the_dashboard_and_in_their_view(qtbot, controller, tmp_path,
                                                               mini_template):
    from PySide6.QtGui import QBrush

    from desktop.submission_source import SubmissionSource
    from desktop.ui.actions_view import COL_DUE, COL_STATUS, ROLE_ACTION_ID
    from questionnaire.corrective import ActionStatus
    from questionnaire.review import Finding, Review, Verdict
    from storage.actions import actions, update_action
    from storage.reviews import save_review

    from .desktop_helpers import open_via_welcome

    folder = tmp_path / "ws"
    ws = Workspace.create(folder, PASSPHRASE, vendor="テスト建設", template=mini_template, kdf=FAST_KDF)
    t = ws.template
    save_review(ws, Review(ws.id, t.id, t.version, t.digest, "2026-12-05T00:00:00Z", findings=(
        Finding("TEC-04", Verdict.NONCONFORMING, "規程なし", "監査 一郎", dt.date(2026, 12, 5)),
        Finding("TEC-01", Verdict.NEEDS_CHECK, "範囲を確認", "監査 一郎", dt.date(2026, 12, 5)))))
    late = next(a for a in actions(ws) if a.item_id == "TEC-01")
    late = update_action(ws, late.id, due=dt.date.today() - dt.timedelta(days=3))
    ws.close()

    main = open_via_welcome(qtbot, controller, folder)
    main.show_dashboard()
    settle(qtbot)
    panel = main.cycle_panel
    assert panel.actions_box.isVisible()
    assert panel.actions_label.text() == "是正処置: 未完了 2 / 2 件（うち期限切れ 1 件）"
    # its due date is one of the dashboard's deadlines, overdue, first
    assert panel.model.index(0).data().split()[0] == late.due.isoformat()

    from desktop.ui.actions_view import ActionsDialog

    panel.actions_button.click()
    dialog = main.findChild(ActionsDialog)
    assert dialog is not None and dialog.isVisible()
    view, proxy = dialog.view, dialog.proxy
    assert view.accessibleName() and proxy.rowCount() == 2
    first = proxy.index(0, COL_STATUS)
    assert first.data(ROLE_ACTION_ID) == late.id and "期限切れ" in first.data()  # in words...
    assert isinstance(proxy.index(0, COL_DUE).data(Qt.ItemDataRole.ForegroundRole), QBrush)  # ...and colour
    view.sortByColumn(COL_DUE, Qt.SortOrder.DescendingOrder)  # sortable by due date
    assert proxy.index(0, 0).data(ROLE_ACTION_ID) != late.id
    view.sortByColumn(COL_DUE, Qt.SortOrder.AscendingOrder)
    view.setCurrentIndex(proxy.index(0, 0))
    editor = dialog.editor
    assert editor.action_id == late.id and editor.save.isEnabled()
    statuses = [editor.status.itemData(i) for i in range(editor.status.count())]
    assert statuses == ["open", "in_progress", "done"]  # 検証済み is the auditor's
    editor.status.setCurrentIndex(editor.status.findData("done"))
    editor.root_cause.setPlainText("範囲の定義漏れ")
    press(qtbot, editor.save)
    settle(qtbot)
    stored = next(a for a in main.session.corrective_actions() if a.id == late.id)
    assert stored.status is ActionStatus.DONE and stored.root_cause == "範囲の定義漏れ"
    assert "期限切れ" not in dialog.proxy.index(0, COL_STATUS).data() or dialog.proxy.index(
        0, 0).data(ROLE_ACTION_ID) != late.id
    assert "未完了 1 件" in dialog.summary.text() and "期限切れ 0 件" in dialog.summary.text()
    dialog.reject()
    main.show_dashboard()
    settle(qtbot)
    assert panel.actions_label.text() == "是正処置: 未完了 1 / 2 件"

    # the auditor's view of the same: read-only
    source = SubmissionSource(main.session.workspace().submission())
    audit = ActionsDialog(source)
    qtbot.addWidget(audit)
    assert audit.proxy.rowCount() == 2 and not audit.editor.save.isEnabled()
    assert not audit.editor.status.isEnabled()
