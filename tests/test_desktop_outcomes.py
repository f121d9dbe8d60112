"""Issue 11, the desktop: what the windows say about outcomes and counts, and the polish pass.

Every count on screen is the core's Tally; green means conforming and nothing else; no
colour without words; the evidence marker follows the core's rule; dates are typed over;
Qt's own dialogs, details and plurals are in the UI language; the progress window goes
before a result dialog; windows fit the screen.
"""

from __future__ import annotations

import dataclasses
import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QProgressDialog, QWidget

from desktop import i18n
from desktop.forms.item_view import item_view
from desktop.forms.models import ROLE_TALLY, ProblemModel
from desktop.ui.outcomes import OutcomeBar, counts_text, open_text, overall_tone
from desktop.ui.section_list import SectionDelegate, title_lines
from questionnaire import AnswerKind, Outcome, Text, Tone
from questionnaire.completeness import OUTCOME_ORDER, Tally
from storage import Workspace

from .conftest import FAST_KDF, PASSPHRASE, run_cli
from .desktop_helpers import open_via_welcome, settle


@pytest.fixture
def mini_folder(tmp_path, mini_template):
    folder = tmp_path / "mini"
    Workspace.create(folder, PASSPHRASE, vendor="テスト建設システム株式会社", template=mini_template,
                     kdf=FAST_KDF).close()
    return folder


def all_no(template) -> dict:
    """Every status item answered いいえ (with the note it asks for), everything else left blank."""
    return {item.id: {"value": "no", "note": "2027年3月までに是正する"}
            for item in template.items if item.kind is AnswerKind.STATUS}


def tally_of(**counts: int) -> Tally:
    outcomes = {o: counts.get(str(o), 0) for o in OUTCOME_ORDER}
    shown = sum(n for o, n in outcomes.items() if o is not Outcome.HIDDEN)
    required = shown - outcomes[Outcome.OPTIONAL]
    complete = outcomes[Outcome.CONFORMING] + outcomes[Outcome.NEEDS_IMPROVEMENT]
    return Tally(shown, required, complete, complete, outcomes)


# --- the one mapping from counts to tone and words ---------------------------------------------

def test_green_is_for_conforming_only():
    assert overall_tone(tally_of(conforming=5)) is Tone.GOOD
    assert overall_tone(tally_of(conforming=5, optional=2)) is Tone.GOOD
    assert overall_tone(tally_of(conforming=5, needs_improvement=1)) is Tone.WARN
    assert overall_tone(tally_of(conforming=5, unanswered=1, needs_improvement=1)) is Tone.TODO
    assert overall_tone(tally_of(conforming=5, non_conforming=1, unanswered=3)) is Tone.BAD
    assert overall_tone(tally_of(optional=3)) is Tone.NEUTRAL
    assert open_text(tally_of(conforming=5)) == "すべて適合"
    assert open_text(tally_of(conforming=5, needs_improvement=2, non_conforming=1)) == "不適合 1・要改善 2"


def test_outcome_bar_says_its_counts_in_words(qtbot):
    bar = OutcomeBar()
    qtbot.addWidget(bar)
    tally = tally_of(conforming=3, needs_improvement=1, unanswered=2, hidden=4)
    bar.set_tally(tally)
    words = "適合 3・要改善 1・未回答 2・対象外 4"
    assert bar.toolTip() == bar.accessibleName() == counts_text(tally) == words
    bar.resize(200, 10)
    bar.grab()  # paints without error


# --- every status item answered いいえ is never drawn or counted as conforming -------------------

def test_no_answers_are_never_green_in_the_desktop(qtbot, controller, tmp_path):
    folder = tmp_path / "default"
    with Workspace.create(folder, PASSPHRASE, vendor="テスト", kdf=FAST_KDF) as ws:
        ws.set_answers(all_no(ws.template))
        status_ids = [i.id for i in ws.template.items if i.kind is AnswerKind.STATUS]
    main = open_via_welcome(qtbot, controller, folder)
    assessment = main.session.assessment()
    template = main.session.template
    for item_id in status_ids:
        state = assessment.items[item_id]
        if not state.visible:
            continue
        view = item_view(state, template, "ja")
        assert view.kind in ("non_conforming", "needs_improvement"), item_id
        assert view.badge in ("不適合", "要改善"), item_id
    # the widgets the form builds show the same
    for section in template.sections:
        main.go_to_section(section.id)
        for widget in main.form.widgets.values():
            if widget.item.id in status_ids and widget.isVisibleTo(main):
                assert widget.property("state") != "conforming", widget.item.id
                assert widget.state_label.text() != "適合", widget.item.id
    # nothing answered conforms: no green anywhere, and no count of 適合
    total = assessment.total
    assert total.count(Outcome.CONFORMING) == 0
    for row in range(main.sections.rowCount()):
        tally = main.sections.index(row).data(ROLE_TALLY)
        assert tally.count(Outcome.CONFORMING) == 0
        assert overall_tone(tally) is not Tone.GOOD
    main.show_dashboard()
    dash = main.dashboard
    assert dash.submit_state.property("tone") != "good"
    assert "適合 0" in dash.legend.accessibleName()
    for state_label in dash.section_states.values():
        assert state_label.text() != "すべて適合"
    assert "適合" not in main.completion.accessibleName().replace("不適合", "")
    assert "#2e7d4f" not in main.completion.text()  # no green in the status bar


def test_the_counts_on_screen_are_the_tally_and_status_json(qtbot, controller, mini_folder):
    with Workspace.open(mini_folder, PASSPHRASE) as ws:
        ws.set_answers({"AGR-01": "yes", "CERT-01": "isms", "CERT-02": "IS 1",
                        "TEC-04": {"value": "partial", "note": "来年度に実施"}, "TEC-03": 90})
    status = json.loads(run_cli("status", str(mini_folder), "--json").out)
    main = open_via_welcome(qtbot, controller, mini_folder)
    main.show_dashboard()
    dash = main.dashboard
    total = main.session.assessment().total
    assert total.as_dict() == {k: v for k, v in status["overall"].items() if k != "can_submit"}
    words = dash.legend.accessibleName()
    for outcome in OUTCOME_ORDER:
        assert f"{outcome.label.get('ja')} {status['overall']['outcomes'][str(outcome)]}" in words
    assert f"{status['overall']['complete']} / {status['overall']['required']}" in dash.headline.text()
    for section in status["sections"]:
        bar, count = dash.section_bars[section["id"]]
        assert count.text() == f"{section['complete']} / {section['required']}"
        assert bar.tally.as_dict() == {k: v for k, v in section.items() if k != "id"}
    # the status bar and the export wizard say the same numbers
    assert f"{total.complete}/{total.required}" in main.completion.text()
    assert main.completion.accessibleName().endswith(counts_text(total))
    wizard = main.exports.export_bundle()
    assert wizard.check_page.counts.accessibleName().endswith(counts_text(total))
    wizard.reject()


def test_needs_improvement_is_shown_apart_from_blocking(qtbot, controller, tmp_path):
    """An item that fails a rule that is not binding: amber and said so, and it does not block."""
    folder = tmp_path / "default"
    with Workspace.create(folder, PASSPHRASE, vendor="テスト", kdf=FAST_KDF) as ws:
        assessment = ws.assess()
        item = next(st.item for st in assessment.items.values()
                    if st.visible and st.item.kind is AnswerKind.STATUS and not st.item.binding)
        ws.set_answer(item.id, "no", "2027年3月までに是正する")
    main = open_via_welcome(qtbot, controller, folder)
    state = main.session.assessment().items[item.id]
    assert state.outcome is Outcome.NEEDS_IMPROVEMENT
    model = ProblemModel(main.session)
    rows = [model.index(r) for r in range(model.rowCount()) if model.rows[r].item_id == item.id]
    assert rows and all(index.data().startswith("［要改善］") for index in rows)
    assert all(index.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#7a5200" for index in rows)
    blocking = [model.index(r) for r in range(model.rowCount()) if model.rows[r].blocking]
    assert blocking and all(index.data().startswith("［提出を妨げる］") for index in blocking)


# --- the section list -----------------------------------------------------------------------

def test_section_titles_wrap_and_never_lose_text():
    from PySide6.QtGui import QFontMetrics

    font = QApplication.font()
    metrics = QFontMetrics(font)
    for title, width in (("System changes, contract term and measures at contract end", 150),
                         ("Proper handling of personal information", 150),
                         ("システム改変・契約期間・契約終了時の措置", 120)):
        lines = title_lines(title, font, width)
        assert len(lines) == 2, lines
        assert all(metrics.horizontalAdvance(line) <= width for line in lines), lines
        # wrapped whole, or cut with "…" on the second line (the tooltip then has it all)
        joined = ("" if title[0] > "~" else " ").join(lines)
        assert joined == title or lines[-1].endswith("…"), lines
    assert title_lines("技術", font, 150) == ["技術"]


def test_section_rows_grow_for_a_long_title_and_the_tooltip_has_it_all(qtbot, controller, mini_folder):
    from PySide6.QtWidgets import QStyleOptionViewItem

    main = open_via_welcome(qtbot, controller, mini_folder)
    view = main.section_list
    view.resize(240, 600)
    delegate = view.itemDelegate()
    assert isinstance(delegate, SectionDelegate)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    index = main.sections.index(2)
    short = delegate.sizeHint(option, index).height()
    long_title = Text("システム改変・契約期間・契約終了時の措置の確認と記録", "x")
    sections = list(main.sections.sections)
    sections[2] = dataclasses.replace(sections[2], title=long_title)
    main.sections.sections = sections
    assert delegate.sizeHint(option, index).height() > short
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("TEC  システム改変・契約期間・契約終了時の措置の確認と記録")
    assert "必須項目" in tip and "未回答" in tip


# --- the evidence marker follows the core ---------------------------------------------------------

def test_evidence_marker_follows_the_cores_rule(qtbot, controller, mini_folder):
    main = open_via_welcome(qtbot, controller, mini_folder)
    template = main.session.template
    session = main.session

    def head(item_id):
        view = item_view(session.assessment().items[item_id], template, "ja")
        return view.evidence_html, view.evidence_missing

    session.set_answer("CERT-01", "isms", None)
    html, missing = head("CERT-02")  # evidence needed for any answer: required before answering
    assert "証跡（必須）" in html and "任意" not in html and not missing
    session.set_answer("CERT-02", "IS 1", None)
    html, missing = head("CERT-02")
    assert "証跡が必要です" in html and missing
    html, missing = head("TEC-04")  # needed for はい / 一部 only
    assert "証跡（回答が「はい、一部」の場合は必須）" in html and not missing
    session.set_answer("TEC-04", "na", None)
    html, missing = head("TEC-04")
    assert "証跡（任意）" in html and not missing
    session.set_answer("TEC-04", "yes", None)
    assert head("TEC-04") == ("<b>証跡が必要です</b>", True)


# --- details, the title, Qt's own dialogs, plurals ---------------------------------------------

def test_error_details_are_in_the_ui_language():
    from desktop.errors import explain
    from storage.errors import NotAWorkspace, WrongPassphrase

    i18n.install("ja")
    assert explain(WrongPassphrase()).detail == ""  # nothing to add to 「パスフレーズが違います」
    detail = explain(NotAWorkspace("/tmp/x")).detail
    assert "ワークスペースではありません" in detail and "not a" not in detail
    i18n.install("en")
    assert explain(WrongPassphrase()).detail == ""
    assert "is not a CCUS Attest workspace" in explain(NotAWorkspace("/tmp/x")).detail
    i18n.install("ja")


def test_the_locked_title_names_the_app_once(qtbot, controller, mini_folder):
    main = open_via_welcome(qtbot, controller, mini_folder)
    main.lock()
    # Qt appends the application's display name to a title that does not end with it
    assert main.windowTitle() == "テスト建設システム株式会社 [ロック中]"
    assert "CCUS Attest" not in main.windowTitle()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_qt_file_dialog_speaks_the_ui_language(qtbot, lang):
    import re

    i18n.install(lang)
    dialog = QFileDialog(None, "t")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
    if lang == "ja":
        assert not [t for t in texts if re.search("[A-Za-z]{3,}", t)], texts
        assert "場所(&L):" in texts and "ファイルの種類(&T):" in texts
    else:
        assert "&Look in:" in texts
    i18n.install("ja")


def test_english_plurals_in_the_desktop(qtbot):
    from desktop.i18n import tr
    from desktop.ui.settings_dialog import SettingsDialog  # noqa: F401 - its strings are in the catalogue

    i18n.install("en")
    try:
        assert tr("バックアップ %n 件", "", 1) == "1 backup"
        assert tr("バックアップ %n 件", "", 2) == "2 backups"
        assert tr("証跡 %n 件添付済み", "", 1) == "1 evidence file attached"
        assert tr("証跡 %n 件添付済み", "", 3) == "3 evidence files attached"
        assert tr("提出を妨げている設問が %n 件あります（{detail}）。", "", 1).startswith("1 item blocks")
        from PySide6.QtCore import QCoreApplication

        assert QCoreApplication.translate("SettingsDialog", "%n 分間操作がないとき", "", 1) == \
            "After 1 minute without activity"
    finally:
        i18n.install("ja")
    assert tr("バックアップ %n 件", "", 1) == "バックアップ 1 件"


def test_integrity_report_counts_in_english(qtbot):
    from desktop.ui.integrity_dialog import IntegrityDialog
    from storage.integrity import IntegrityReport

    i18n.install("en")
    try:
        report = IntegrityReport(workspace="/tmp/ws")
        report.counts.update({"answers": 1, "evidence": 2, "blobs": 1, "blob_bytes": 10, "log_entries": 1,
                              "backups": 1})
        dialog = IntegrityDialog(report)
        qtbot.addWidget(dialog)
        text = dialog.findChild(QLabel, "integrityCounts").text()
        assert "1 answer," in text and "2 evidence records" in text and "1 backup" in text
        assert "backups" not in text and "(s)" not in text
    finally:
        i18n.install("ja")


# --- the progress window, typed dates, windows that fit ---------------------------------------------

def test_progress_window_is_gone_before_the_result_dialog(qtbot, controller, mini_folder, monkeypatch):
    from desktop.ui import integrity_dialog

    main = open_via_welcome(qtbot, controller, mini_folder)
    seen = []

    def fake_exec(dialog):
        seen.append([w for w in QApplication.topLevelWidgets()
                     if isinstance(w, QProgressDialog) and w.isVisible()])
        return 0

    monkeypatch.setattr(integrity_dialog.IntegrityDialog, "exec", fake_exec)
    from desktop import tasks

    # the progress window shows at once (not after 400 ms), so it is on screen when the check ends
    monkeypatch.setattr(tasks.run_with_progress, "__kwdefaults__", {"cancellable": True, "delay_ms": 0})
    task = main.check_integrity()
    qtbot.waitUntil(lambda: bool(task.done and seen), timeout=30000)
    assert seen == [[]]


def test_date_field_shows_its_whole_placeholder(qtbot, controller, mini_folder):
    main = open_via_welcome(qtbot, controller, mini_folder)
    main.session.set_answer("CERT-01", "isms", None)
    main.go_to_section("CERT")
    settle(qtbot)
    line = main.form.widgets["CERT-03"].editor.line
    assert line.text() == ""
    assert line.width() >= line.fontMetrics().horizontalAdvance(line.placeholderText()) + 20


def test_a_window_is_never_larger_than_the_screen(qtbot):
    from desktop.ui.common import FRAME_ALLOWANCE, fit_to_screen

    window = QWidget()
    qtbot.addWidget(window)
    available = window.screen().availableGeometry()
    fit_to_screen(window, available.width() + 500, available.height() + 500, maximize=True)
    assert window.width() <= available.width()
    assert window.height() <= available.height() - FRAME_ALLOWANCE
    assert window.windowState() & Qt.WindowState.WindowMaximized
    small = QWidget()
    qtbot.addWidget(small)
    fit_to_screen(small, 300, 200)
    assert (small.width(), small.height()) == (300, 200)
    assert not small.windowState() & Qt.WindowState.WindowMaximized


def test_the_review_date_is_typed_over_too(qtbot):
    """The same family as the evidence dialog's dates: the auditor's 確認日."""
    import datetime as dt

    from desktop.ui.review_panel import ReviewPanel

    recorded = []
    panel = ReviewPanel(lambda _item: None, editable=True)
    qtbot.addWidget(panel)
    panel.recorded.connect(lambda *args: recorded.append(args))
    panel.show()
    panel.show_item("CERT-01")
    assert panel.date.value() == dt.date.today()
    panel.comment.setPlainText("登録証を確認した。")
    field = panel.date.edit
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "2026/4/1")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert recorded and recorded[-1][0] == "CERT-01" and recorded[-1][4] == dt.date(2026, 4, 1)
    count = len(recorded)
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "2026-02-30")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert len(recorded) == count and "確認日" in panel.status.text()  # said, nothing stored
