"""Issue 13's two-year scenario again, through the desktop app's real windows (pytest-qt): the
same years, findings and changes as tests/test_two_years.py (tests/cycle_support.py). Only the
answers of modal dialogs are given (file pickers, 確認 boxes); the carry-forward and evidence
dialogs are the real ones, filled in field by field.

Year 1 answered (one answer typed in the vendor's window) and exported with the wizard → the
auditor's window records three findings and writes the review workbook → the vendor imports it
(three corrective actions), closes two in the 是正処置 view with evidence attached there, and
leaves one open (its due date set, then cleared) → 「前年度のワークスペースから作成…」 makes
year 2, leaving year 1 byte for byte → the dashboard counts nothing complete until confirmed →
confirmed by section and all at once, five answers changed, the expired certificate replaced
(差し替え…) → exported → the auditor compares it with year 1 (「前回の提出と比較…」)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop.forms.filters import FilterMode
from desktop.ui.actions_view import COL_STATUS, ROLE_ACTION_ID, ActionsDialog
from desktop.ui.common import Confirm, OpenFileDialog, OpenFilesDialog, OutputFileDialog
from desktop.ui.compare_previous import PreviousBundlePicker
from desktop.ui.create_dialog import CarryForwardDialog
from desktop.ui.evidence_dialog import EvidenceMetaDialog
from desktop.ui.export_wizard import PAGE_SUMMARY
from questionnaire.corrective import ActionStatus
from storage import EvidenceMeta, Workspace

from .bundle_support import auditor, signer  # noqa: F401  (session fixtures: the keys)
from .conftest import FAST_KDF, PASSPHRASE
from .cycle_support import (
    CERT,
    CHANGED,
    CLOSED,
    FINDINGS,
    LEFT_OPEN,
    RENEWED,
    REVIEWER,
    VENDOR,
    YEAR_ONE,
    YEAR_TWO_CHANGES,
    hashes,
)
from .desktop_helpers import (
    drive_to_output,
    item_widget,
    open_bundle_dialog,
    open_via_welcome,
    press,
    settle,
    shown_errors,
    type_text,
)

Y2 = "the passphrase of year two, 2027!"
ANSWER_TIMEOUT = 20000


def retype(qtbot, line, text: str) -> None:
    """Select what the field holds, type over it, Enter: as a keyboard user changes a value."""
    line.setFocus()
    line.selectAll()
    qtbot.keyClick(line, Qt.Key.Key_Delete)
    type_text(qtbot, line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)


def export_year(qtbot, main, signer, auditor, out, *, remembered):  # noqa: F811
    wizard = main.exports.export_bundle()
    drive_to_output(qtbot, wizard, signer, auditor, remembered=remembered)
    wizard.output_page.path.setText(str(out))
    with qtbot.waitSignal(wizard.exported, timeout=60000):
        wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_SUMMARY, timeout=5000)
    assert wizard.summary_page.fields["file"].text() == str(out) and out.is_file()
    wizard.accept()


def answer_evidence_dialogs(qtbot, monkeypatch, *, title: str = "", expires: str | None = None):
    """The real evidence-details dialog, filled in and OK pressed (instead of waiting for a user)."""
    seen = []

    def fill(dialog):
        seen.append(dialog)
        dialog.show()
        if title:
            dialog.title.clear()
            type_text(qtbot, dialog.title, title)
        if expires is not None:
            retype(qtbot, dialog.expires.edit, expires)
        press(qtbot, dialog.ok)
        return dialog.result()

    monkeypatch.setattr(EvidenceMetaDialog, "exec", fill)
    return seen


def close_workspace(qtbot, controller):
    controller.main.actions_.close_workspace.trigger()
    qtbot.waitUntil(lambda: controller.main is None and controller.welcome is not None, timeout=10000)


def test_two_years_through_the_desktop(qtbot, controller, monkeypatch, tmp_path, mini_template,
                                       signer, auditor):  # noqa: F811
    y1, y2 = tmp_path / "2026", tmp_path / "2027"
    b1, b2 = tmp_path / "out" / "2026.zip", tmp_path / "out" / "2027.zip"
    b1.parent.mkdir()
    sources = tmp_path / "sources"
    sources.mkdir()

    # --- year 1: seeded as the CLI run types it, but TEC-03, which the vendor types in the window
    with Workspace.create(y1, PASSPHRASE, vendor=VENDOR, template=mini_template, kdf=FAST_KDF,
                          period=2026) as ws:
        ws.set_answers({k: v for k, v in YEAR_ONE.items() if k != "TEC-03"})
        cert, policy = sources / CERT[0], sources / "policy.txt"
        cert.write_bytes(CERT[1])
        policy.write_text("基本方針\n", encoding="utf-8")
        ws.add_evidence("CERT-02", cert, EvidenceMeta("certificate", title="ISMS 登録証", issuer="JQA",
                                                      expires=dt.date.fromisoformat(CERT[2])))
        ws.add_evidence("TEC-04", policy, EvidenceMeta("policy", title="基本方針"))
    main = open_via_welcome(qtbot, controller, y1)
    main.go_to_item("TEC-03")
    retype(qtbot, item_widget(main, "TEC-03").editor.line, YEAR_ONE["TEC-03"])
    assert main.session.answer("TEC-03").value == int(YEAR_ONE["TEC-03"])
    export_year(qtbot, main, signer, auditor, b1, remembered=False)
    close_workspace(qtbot, controller)

    # --- the auditor: three findings, the review workbook
    dialog = open_bundle_dialog(qtbot, controller.settings, b1, signer.public_path, auditor.identity_path,
                                folder=tmp_path / "opened-2026")
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.banner.body.text()
    window = controller.bundle_opened(dialog.opened, dialog.note)
    panel = window.review
    type_text(qtbot, panel.reviewer, REVIEWER)
    panel.reviewer.editingFinished.emit()
    for item, (verdict, finding) in FINDINGS.items():
        window.select_item(item)
        press(qtbot, panel.verdict_buttons[verdict])
        type_text(qtbot, panel.comment, finding)
    window.select_item("AGR-01")  # leaving the item stores the finding typed last
    press(qtbot, panel.verdict_buttons["conforms"])
    assert "判定済み 4 /" in window.review_state.text()
    reviewed = tmp_path / "reviewed-2026.xlsx"
    monkeypatch.setattr(OutputFileDialog, "ask", classmethod(lambda cls, *a: reviewed))
    with qtbot.waitSignal(window.export_review().finished, timeout=30000):
        pass
    assert reviewed.is_file() and (window.session.folder / "review.json").is_file()
    window.close()
    qtbot.waitUntil(lambda: controller.welcome is not None, timeout=5000)

    # --- the vendor imports the review: three corrective actions
    main = open_via_welcome(qtbot, controller, y1)
    monkeypatch.setattr(OpenFileDialog, "ask", classmethod(lambda cls, *a: reviewed))
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda cls, *a: True))
    with qtbot.waitSignal(main.exports.import_review().finished, timeout=30000):
        pass
    main.show_dashboard()
    settle(qtbot)
    cycle = main.cycle_panel
    assert cycle.actions_label.text() == "是正処置: 未完了 3 / 3 件"
    press(qtbot, cycle.actions_button)
    actions = main.findChild(ActionsDialog)
    assert actions is not None and actions.isVisible()
    view, editor = actions.view, actions.editor
    rows = {view.model().index(r, 0).data(ROLE_ACTION_ID): r for r in range(view.model().rowCount())}
    by_item = {a.item_id: a for a in main.session.corrective_actions()}
    assert sorted(by_item) == sorted(FINDINGS) and set(rows) == {a.id for a in by_item.values()}
    for item, (verdict, finding) in FINDINGS.items():
        assert by_item[item].finding == finding and by_item[item].verdict == verdict

    def select(item_id):
        wanted = by_item[item_id].id
        row = next(r for r in range(actions.proxy.rowCount())
                   if actions.proxy.index(r, 0).data(ROLE_ACTION_ID) == wanted)
        view.setFocus()
        view.setCurrentIndex(actions.proxy.index(row, 0))
        assert editor.action_id == wanted

    # two closed with evidence of the correction, attached from the editor
    for item in CLOSED:
        select(item)
        editor.status.setCurrentIndex(editor.status.findData(ActionStatus.DONE.value))
        type_text(qtbot, editor.root_cause, f"{item} の手順がなかった")
        fixed = sources / f"{item}-correction.pdf"
        fixed.write_bytes(b"%PDF correction of " + item.encode())
        monkeypatch.setattr(OpenFilesDialog, "ask", classmethod(lambda cls, *a, f=fixed: [f]))
        answer_evidence_dialogs(qtbot, monkeypatch, title=f"{item} 是正の証跡")
        press(qtbot, editor.attach)
        qtbot.waitUntil(lambda: not actions.tasks, timeout=ANSWER_TIMEOUT)
        assert fixed.name in editor.evidence.text()
        # the unsaved edits survive the attachment; then saved
        assert editor.status.currentData() == ActionStatus.DONE.value
        press(qtbot, editor.save)
        settle(qtbot)
    # one left open: in progress, a due date typed and then taken away again from the keyboard
    select(LEFT_OPEN)
    editor.status.setCurrentIndex(editor.status.findData(ActionStatus.IN_PROGRESS.value))
    retype(qtbot, editor.due.edit, "2027-03-31")
    press(qtbot, editor.save)
    settle(qtbot)
    left = next(a for a in main.session.corrective_actions() if a.item_id == LEFT_OPEN)
    assert left.due == dt.date(2027, 3, 31)
    assert editor.due.edit.accessibleName() == "期日" and editor.attach.accessibleName()
    editor.due.edit.setFocus()
    qtbot.keyClick(editor.due.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor.due.edit, Qt.Key.Key_Delete)
    press(qtbot, editor.save)
    settle(qtbot)
    stored = {a.item_id: a for a in main.session.corrective_actions()}
    evidence = {e.id: e for e in main.session.workspace().evidence()}
    for item in CLOSED:
        assert stored[item].status is ActionStatus.DONE
        assert [evidence[e].filename for e in stored[item].evidence_ids] == [f"{item}-correction.pdf"]
        assert all(evidence[e].item_id == item for e in stored[item].evidence_ids)
    assert stored[LEFT_OPEN].status is ActionStatus.IN_PROGRESS and stored[LEFT_OPEN].due is None
    assert "未完了 1 件" in actions.summary.text()
    statuses = sorted(actions.proxy.index(r, COL_STATUS).data() for r in range(actions.proxy.rowCount()))
    assert statuses == ["完了", "完了", "対応中"]
    actions.reject()
    main.show_dashboard()
    settle(qtbot)
    assert cycle.actions_label.text() == "是正処置: 未完了 1 / 3 件"
    close_workspace(qtbot, controller)

    # --- 「前年度のワークスペースから作成…」: year 2; year 1 left byte for byte
    before = hashes(y1)

    def carry(dialog):
        dialog.show()
        assert dialog.origin.text() == str(y1)  # the workspace chosen in the list is last year's
        retype(qtbot, dialog.folder, str(y2))
        type_text(qtbot, dialog.origin_passphrase, PASSPHRASE)
        type_text(qtbot, dialog.passphrase, Y2)
        type_text(qtbot, dialog.confirm, Y2)
        press(qtbot, dialog.understood)
        assert dialog.create_button.isEnabled()
        press(qtbot, dialog.create_button)
        return dialog.result()

    monkeypatch.setattr(CarryForwardDialog, "exec", carry)
    welcome = controller.welcome
    welcome.add_recent(y1)
    press(qtbot, welcome.carry_button)
    qtbot.waitUntil(lambda: controller.main is not None, timeout=ANSWER_TIMEOUT)
    main = controller.main
    assert hashes(y1) == before
    session = main.session
    assert session.workspace().period == 2027

    # nothing counts complete until confirmed, as the dashboard says it
    main.show_dashboard()
    settle(qtbot)
    dashboard, cycle = main.dashboard, main.cycle_panel
    required = session.assessment().total.required
    assert dashboard.headline.text().startswith(f"必須項目 0 / {required} 件が完了")
    assert cycle.carried.text() == "前年から引き継いだ回答: 確認済み 0 / 7 件（要確認 7 件）"
    assert cycle.actions_label.text() == "是正処置: 未完了 1 / 3 件"  # carried with the workspace
    # confirmed: one section with its button, the rest at once from the dashboard
    main.go_to_section("CERT")
    settle(qtbot)
    press(qtbot, main.form.currentWidget().confirm_button)
    settle(qtbot)
    main.show_dashboard()
    settle(qtbot)
    assert cycle.carried.text() == "前年から引き継いだ回答: 確認済み 3 / 7 件（要確認 4 件）"
    assert not dashboard.headline.text().startswith(f"必須項目 {required} / {required}")
    press(qtbot, cycle.confirm_all)  # Confirm.ask answers 確認済みにする
    settle(qtbot)
    assert cycle.carried.text() == "前年から引き継いだ回答: 確認済み 7 / 7 件（要確認 0 件）"
    assert dashboard.headline.text().startswith(f"必須項目 {required} / {required} 件が完了")

    # five answers changed in the form
    main.go_to_item("CERT-01")
    combo = item_widget(main, "CERT-01").editor.combo
    combo.setFocus()
    combo.setCurrentIndex(combo.findData(YEAR_TWO_CHANGES["CERT-01"]))
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    for item in ("CERT-02", "CERT-03", "TEC-03"):
        main.go_to_item(item)
        editor_ = item_widget(main, item).editor
        retype(qtbot, editor_.box if item == "CERT-02" else editor_.line, YEAR_TWO_CHANGES[item])
    main.go_to_item("TEC-01")
    press(qtbot, item_widget(main, "TEC-01").editor.boxes["cloud"])  # own,cloud → own
    settle(qtbot)
    assert {i: session.answer(i).value for i in CHANGED} == {
        "CERT-01": "pmark", "CERT-02": "IS 654321", "CERT-03": "2028-03-31", "TEC-01": ["own"], "TEC-03": 180}

    # the expired certificate replaced (差し替え…), its details kept as the starting point
    main.go_to_item("CERT-02")
    settle(qtbot)
    files = main.evidence
    row = next(r for r in range(files.model.rowCount()) if files.model.evidence_at(r).filename == CERT[0])
    old_cert = files.model.evidence_at(row)
    files.table.setFocus()
    files.table.selectRow(row)
    renewed = sources / RENEWED[0]
    renewed.write_bytes(RENEWED[1])
    monkeypatch.setattr(OpenFileDialog, "ask", classmethod(lambda cls, *a: renewed))
    seen = answer_evidence_dialogs(qtbot, monkeypatch, expires=RENEWED[2])
    assert files.replace_button.isEnabled() and files.replace_button.accessibleName()
    press(qtbot, files.replace_button)
    qtbot.waitUntil(lambda: not files.tasks, timeout=ANSWER_TIMEOUT)
    assert seen and seen[0].issuer.text() == "JQA"  # last year's details offered
    now = {e.id: e for e in session.workspace().evidence()}[old_cert.id]
    assert (now.filename, now.issuer, now.title, now.expires) == (
        RENEWED[0], "JQA", "ISMS 登録証", dt.date.fromisoformat(RENEWED[2]))
    export_year(qtbot, main, signer, auditor, b2, remembered=True)
    close_workspace(qtbot, controller)
    assert hashes(y1) == before

    # --- the auditor: year 2 against year 1
    dialog = open_bundle_dialog(qtbot, controller.settings, b2, signer.public_path, auditor.identity_path,
                                folder=tmp_path / "opened-2027")
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.banner.body.text()
    window = controller.bundle_opened(dialog.opened, dialog.note)
    monkeypatch.setattr(PreviousBundlePicker, "ask", classmethod(lambda cls, parent, start: b1))
    window.compare_action.trigger()
    qtbot.waitUntil(lambda: window.session.comparison is not None or bool(shown_errors()), timeout=60000)
    assert not shown_errors()
    # the 前回との差分 filter: the five changed answers, and TEC-04, whose only change is the
    # file attached to its corrective action (CERT-02 got one too, beside its new number)
    window.filter.setCurrentIndex(window.filter.findData(FilterMode.CHANGED))
    window.apply_filter()
    listed = window.form.results.model.ids
    assert sorted(listed) == sorted([*CHANGED, "TEC-04"])
    assert window.form.results.heading.text() == f"前回との差分: {len(listed)} 件"
    results = window.form.results.model
    said = [results.index(r).data() for r in range(results.rowCount())]
    assert len(said) == len(listed) and all("前回から変更" in line for line in said)
    answer_changed = []
    for item in listed:
        window.go_to_item(item)
        badge = window.form.widgets[item].change_label
        assert badge.isVisibleTo(window) and badge.text() == "前回から変更"
        model = window.comparison.model
        table = {model.index(r, 0).data(): model.index(r, 3).data() for r in range(model.rowCount())}
        if table["回答"] == "変更":
            answer_changed.append(item)
    assert sorted(answer_changed) == CHANGED
    # the replaced certificate, old and new side by side
    window.go_to_item("CERT-02")
    model = window.comparison.model
    files = [[model.index(r, c).data() for c in range(1, 4)] for r in range(model.rowCount())
             if model.index(r, 0).data() == "証跡"]
    replaced = [f for f in files if f[2] == "差し替え"]
    assert len(replaced) == 1 and CERT[0] in replaced[0][0] and RENEWED[0] in replaced[0][1]
    assert [f[2] for f in files if f[2] != "差し替え"] == ["追加"]  # the correction's evidence
    window.go_to_item("AGR-01")
    assert not window.form.widgets["AGR-01"].change_label.isVisibleTo(window)
    # the corrective actions as the comparison presents them: two closed, one open
    text = window.comparison.actions.text()
    assert window.comparison.actions.isVisibleTo(window)
    assert "是正処置 3 件: 今回の時点で完了 2 件・未完了 1 件" in text and "新規 3" in text
    listing = window.show_corrective_actions()
    statuses = sorted(listing.proxy.index(r, COL_STATUS).data() for r in range(listing.proxy.rowCount()))
    assert statuses == ["完了", "完了", "対応中"] and not listing.editor.save.isEnabled()
    listing.reject()
    window.close()
    assert hashes(y1) == before
