"""What assistive technology reads, and the order Tab visits, in every window and dialog
(issue 18). The trees are read through ``QAccessible.queryAccessibleInterface``, the way a
screen reader's bridge reads them."""

from __future__ import annotations

import itertools
import re

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTextEdit, QWidget

from desktop.ui import accessibility
from desktop.ui.focus_order import takes_tab

from .desktop_helpers import open_bundle_dialog, open_via_welcome, settle
from .keyboard_support import focused, key

R = QAccessible.Role
INTERACTIVE = {R.PushButton, R.CheckBox, R.RadioButton, R.ComboBox, R.EditableText, R.SpinBox, R.Slider,
               R.ProgressBar, R.List, R.Table, R.Tree, R.PageTab, R.ButtonMenu, R.ButtonDropDown, R.Link}
NUMBER = re.compile(r"^\s*-?\d+(\.\d+)?\s*$")


def problems_in(widget: QWidget) -> list[str]:
    """Every interactive widget on screen without a name, or whose value is a bare number."""
    accessibility.install()
    found: list[str] = []

    def visit(iface, depth: int = 0) -> None:
        if iface is None or not iface.isValid() or depth > 60:
            return
        obj = iface.object()
        state = iface.state()
        if state.invisible or not isinstance(obj, QWidget) or not obj.isVisible():
            return
        role = iface.role()
        focusable_group = role == R.Grouping and obj.focusPolicy() & Qt.FocusPolicy.TabFocus
        if role in INTERACTIVE or focusable_group:
            name = iface.text(QAccessible.Text.Name).strip()
            label = f"{type(obj).__name__}#{obj.objectName() or '?'} ({role.name})"
            if role == R.ComboBox:
                # On Linux Qt reports a combo's current text as its name and its label through a
                # labelled-by relation: either an accessible name or a label must be there.
                labelled = any(flag & QAccessible.RelationFlag.Label for _i, flag in iface.relations())
                if not obj.accessibleName().strip() and not labelled:
                    found.append(f"{label}: no name")
            elif not name:
                found.append(f"{label}: no name")
            value = iface.text(QAccessible.Text.Value)
            if role in (R.ProgressBar, R.Slider) and NUMBER.match(value or "0"):
                found.append(f"{label}: value {value!r} is a bare number")
        if role in (R.List, R.Table, R.Tree, R.ComboBox):
            return  # rows and cells: the model's text
        for i in range(iface.childCount()):
            visit(iface.child(i), depth + 1)

    visit(QAccessible.queryAccessibleInterface(widget))
    return found


def tab_sequence(window: QWidget, limit: int = 400) -> list[QWidget]:
    """The widgets Tab visits, from the first, once round (key events to the focus widget)."""
    stops: list[QWidget] = []
    for _ in range(limit):
        current = QApplication.focusWidget()
        if current is None or current in stops:
            break
        stops.append(current)
        QTest.keyClick(current, Qt.Key.Key_Tab)  # to the focus widget, as a keyboard sends it
    return stops


def _rect(widget: QWidget) -> QRect:
    return QRect(widget.mapTo(widget.window(), widget.rect().topLeft()), widget.size())


def reading_order_problems(stops: list[QWidget]) -> list[str]:
    """Pairs of consecutive stops that go back up the page, or left on the same line."""
    bad = []
    for a, b in itertools.pairwise(stops):
        ra, rb = _rect(a), _rect(b)
        overlap = min(ra.bottom(), rb.bottom()) - max(ra.top(), rb.top())
        same_line = overlap > min(ra.height(), rb.height()) / 2
        if (same_line and rb.left() < ra.left()) or (not same_line and rb.top() < ra.top()):
            bad.append(f"{a.objectName() or type(a).__name__} -> {b.objectName() or type(b).__name__}")
    return bad


@pytest.fixture
def main(qtbot, controller, tmp_path, mini_template):
    from .test_desktop_export import _workspace

    window = open_via_welcome(qtbot, controller, _workspace(tmp_path, mini_template, complete=True))
    window.resize(1366, 740)
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=5000)
    return window


def test_every_widget_of_the_main_window_is_named(qtbot, main):
    for section in main.session.template.sections:
        main.go_to_section(section.id)
        settle(qtbot)
        assert problems_in(main) == [], section.id
    main.go_to_item("CERT-02")
    settle(qtbot)
    main.evidence.table.selectRow(0)
    assert problems_in(main) == []
    main.show_dashboard()
    settle(qtbot)
    assert problems_in(main) == []
    main.search.setText("認証")
    main.apply_filter()
    settle(qtbot)
    assert problems_in(main) == []
    main.lock()
    settle(qtbot)
    assert problems_in(main) == []


def test_the_question_names_its_answer_and_the_state_describes_it(qtbot, main):
    agr = main.form.widgets["AGR-01"]
    group = QAccessible.queryAccessibleInterface(agr.editor.group)
    assert group.role() == R.Grouping  # Qt's role for a group of radio buttons (as a QGroupBox)
    assert group.text(QAccessible.Text.Name) == "AGR-01 利用規約に同意していますか。"
    assert "適合" in group.text(QAccessible.Text.Description)
    options = [group.child(i) for i in range(group.childCount())]
    assert [o.role() for o in options] == [R.RadioButton] * 4
    assert [o.text(QAccessible.Text.Name) for o in options] == ["はい", "一部", "いいえ", "該当なし"]
    assert options[0].state().checked and not options[2].state().checked
    assert not any(o.state().focusable for o in options)  # one tab stop: the group
    # problems are part of the description once there are some
    main.go_to_section("TEC")
    tec4 = main.form.widgets["TEC-04"]
    tec4.editor.group.setFocus()
    key(qtbot, Qt.Key.Key_N)
    described = QAccessible.queryAccessibleInterface(tec4.editor.group).text(QAccessible.Text.Description)
    assert "不適合" in described and "備考" in described
    note = QAccessible.queryAccessibleInterface(tec4.note)
    assert note.text(QAccessible.Text.Name).startswith("TEC-04 備考（必須")
    # the section list says the ID, the counts and the state of each row
    index = main.sections.index(main.sections.row_of("TEC"))
    assert index.data(Qt.ItemDataRole.AccessibleTextRole) == "TEC 技術"
    assert "必須" in index.data(Qt.ItemDataRole.AccessibleDescriptionRole)
    # progress bars read as percentages with words
    main.show_dashboard()
    bar = QAccessible.queryAccessibleInterface(main.dashboard.overall)
    assert re.match(r"^\d+%（\d+ / \d+ 件）$", bar.text(QAccessible.Text.Value))
    assert bar.text(QAccessible.Text.Name) == "必須項目の完了率"


def test_every_widget_of_the_auditor_window_and_dialogs_is_named(qtbot, controller, bundle, signer, auditor):
    dialog = open_bundle_dialog(qtbot, controller.settings, bundle, signer.public_path, auditor.identity_path)
    assert problems_in(dialog) == []
    window = controller.bundle_opened(dialog.opened, dialog.note)
    for section in window.session.template.sections:
        window.go_to_section(section.id)
        settle(qtbot)
        assert problems_in(window) == [], section.id
    window.banner.details_button.setChecked(True)
    window.show_dashboard()
    settle(qtbot)
    assert problems_in(window) == []
    window.close()


def test_every_dialog_is_named_and_tabs_in_reading_order(qtbot, main, tmp_path, signer):
    from desktop.ui.activity_dialog import ActivityDialog
    from desktop.ui.create_dialog import CreateWorkspaceDialog
    from desktop.ui.evidence_dialog import EvidenceMetaDialog
    from desktop.ui.keyboard_help import KeyboardHelp
    from desktop.ui.settings_dialog import SettingsDialog
    from desktop.ui.signing_key_dialog import SigningKeyDialog

    session = main.session
    item = session.template.item("CERT-02")
    dialogs = [
        CreateWorkspaceDialog(None, tmp_path / "new"),
        SigningKeyDialog(None, tmp_path / "key", "vendor"),
        EvidenceMetaDialog(None, session.template, item, "isms.pdf"),
        SettingsDialog(None, main.settings),
        KeyboardHelp(None, main.actions_.all_actions()),
        ActivityDialog(session, None),
    ]
    wizard = main.exports.export_bundle()
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda d=dialog: d.isActiveWindow(), timeout=5000)
        settle(qtbot)
        assert problems_in(dialog) == [], dialog.objectName()
        first = next(w for w in dialog.findChildren(QWidget) if takes_tab(w, dialog))
        first.setFocus()
        stops = tab_sequence(dialog)
        assert len(stops) > 1, dialog.objectName()
        assert reading_order_problems(stops) == [], dialog.objectName()
        dialog.close()
    # the export wizard, page by page
    wizard.activateWindow()
    qtbot.waitUntil(lambda: wizard.isActiveWindow(), timeout=5000)
    wizard.key_page.path.setText(str(signer.secret_path))
    for _page in range(2):
        settle(qtbot)
        assert problems_in(wizard) == [], wizard.currentPage().objectName()
        page = wizard.currentPage()
        first = next((w for w in page.findChildren(QWidget) if takes_tab(w, wizard)), None)
        if first is not None:  # (a complete questionnaire's first page has nothing to press)
            first.setFocus()
            stops = [w for w in tab_sequence(wizard) if page.isAncestorOf(w)]
            assert reading_order_problems(stops) == [], page.objectName()
        wizard.next()
    wizard.reject()


def test_main_window_tab_order_follows_the_panes(qtbot, main):
    main.go_to_section("CERT")
    settle(qtbot)
    main.section_list.setFocus()
    stops = tab_sequence(main)
    panes = [main.section_list, main.search_bar, main.form, main.evidence]
    order = [next(i for i, pane in enumerate(panes) if pane is w or pane.isAncestorOf(w)) for w in stops]
    assert order == sorted(order), order  # sections, search, the form, then the evidence panel
    in_form = [w for w in stops if main.form.isAncestorOf(w)]
    assert reading_order_problems(in_form) == []
    # no scroll area is a tab stop, and nothing is stopped at twice
    assert not any(w.metaObject().className() in ("QScrollArea", "_Page") for w in stops)
    assert len(stops) == len(set(stops))
    # Shift+Tab walks the same way back
    key(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is stops[-1]


def test_locking_puts_focus_on_the_passphrase(qtbot, main):
    main.lock()
    settle(qtbot)
    assert focused() is main.lock_page.unlock.passphrase


def _luminance(rgb: int) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def _ring_pixels(before, after) -> int:
    """Pixels whose colour changed between the two images with a contrast of at least 3:1."""
    count = 0
    for y in range(before.height()):
        for x in range(before.width()):
            a, b = _luminance(before.pixel(x, y) & 0xFFFFFF), _luminance(after.pixel(x, y) & 0xFFFFFF)
            if (max(a, b) + 0.05) / (min(a, b) + 0.05) >= 3:
                count += 1
    return count


def test_every_kind_of_control_shows_a_focus_ring_of_3_to_1(qtbot):
    """WCAG 2.4.13 read for a desktop app: the focused control differs from the unfocused one
    by at least a 1-pixel ring of 3:1 contrast all around it."""
    from PySide6.QtWidgets import (
        QCheckBox,
        QComboBox,
        QLineEdit,
        QListWidget,
        QPlainTextEdit,
        QPushButton,
        QVBoxLayout,
    )

    from desktop.forms.choice_group import ChoiceGroup, Option
    from desktop.ui import style

    style.apply(QApplication.instance())
    window = QWidget()
    layout = QVBoxLayout(window)
    parking = QPushButton("park", window)
    controls = [QPushButton("ボタン", window), QLineEdit("text", window), QPlainTextEdit("note", window),
                QCheckBox("チェック", window), QListWidget(window),
                ChoiceGroup([Option("yes", "はい", "Y"), Option("no", "いいえ", "N")], window)]
    combo = QComboBox(window)
    combo.addItems(["ISMS", "Pマーク"])
    controls.append(combo)
    controls[4].addItems(["AGR", "CERT"])
    for widget in [parking, *controls]:
        layout.addWidget(widget)
    window.show()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=5000)
    for widget in controls:
        parking.setFocus()
        settle(qtbot, 20)
        before = widget.grab().toImage()
        widget.setFocus()
        settle(qtbot, 20)
        assert widget.hasFocus()
        after = widget.grab().toImage()
        perimeter = 2 * (widget.width() + widget.height())
        assert _ring_pixels(before, after) >= perimeter * 0.9, type(widget).__name__
    window.close()


# --- the windows and dialogs the walk above does not reach ------------------------------------

def walk(qtbot, dialog: QWidget, *, first: QWidget | None = None) -> list[QWidget]:
    """Show ``dialog``, check its tree, Tab once round from its first stop; the stops."""
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.isActiveWindow(), timeout=5000)
    settle(qtbot)
    name = dialog.objectName()
    assert problems_in(dialog) == [], name
    first = first or next(w for w in dialog.findChildren(QWidget) if takes_tab(w, dialog))
    first.setFocus()
    stops = tab_sequence(dialog)
    assert len(stops) > 1, name
    assert reading_order_problems(stops) == [], name
    return stops


@pytest.fixture(params=["ja", "en"])
def lang(request, controller):
    controller.set_language(request.param)
    yield request.param
    controller.set_language("ja")


def test_the_welcome_screen_is_named_and_tabs_in_reading_order(qtbot, controller, lang, tmp_path):
    welcome = controller.welcome
    # the first start: nothing to open yet, focus on 新しいワークスペースを作成…
    stops = walk(qtbot, welcome, first=welcome.language)
    assert welcome.unlock.passphrase not in stops and welcome.create_button in stops
    welcome.add_recent(tmp_path)  # a folder in the list: the passphrase field is enabled
    settle(qtbot)
    assert problems_in(welcome) == []
    welcome.language.setFocus()
    stops = tab_sequence(welcome)
    assert reading_order_problems(stops) == []
    for widget in (welcome.language, welcome.recent, welcome.unlock.passphrase, welcome.create_button,
                   welcome.browse_button, welcome.audit_button, welcome.register_button):
        assert widget in stops, widget.objectName()


def test_the_integrity_report_is_named_and_tabs_in_reading_order(qtbot, lang):
    from desktop.ui.integrity_dialog import IntegrityDialog
    from storage.integrity import Finding, IntegrityReport

    report = IntegrityReport(workspace="/tmp/ws")
    report.findings += [Finding("record", "answer CERT-03", "MAC mismatch"),
                        Finding("temporary-file", "blobs/x.tmp", "left by an interrupted write")]
    dialog = IntegrityDialog(report)
    stops = walk(qtbot, dialog)
    assert dialog.view in stops
    clean = IntegrityDialog(IntegrityReport(workspace="/tmp/ws"))  # just the verdict and 閉じる
    qtbot.addWidget(clean)
    clean.show()
    qtbot.waitUntil(lambda: clean.isActiveWindow(), timeout=5000)
    assert problems_in(clean) == []


@pytest.mark.parametrize("name,data", [("isms.pdf", None), ("notes.txt", b"ISMS scope: all offices\n")])
def test_the_evidence_preview_is_named_and_tabs_in_reading_order(qtbot, lang, main, tmp_path, name, data):
    from desktop.ui.preview import PreviewDialog

    session = main.session
    info = session.ws.evidence("CERT-02")[0]
    if data is not None:
        source = tmp_path / name
        source.write_bytes(data)
        from storage import EvidenceMeta

        info = session.ws.add_evidence("CERT-02", source, EvidenceMeta(kind=info.kind, title="Notes"))
    dialog = PreviewDialog(None, session, info)
    loading = dialog.status.text()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.status.text() != loading, timeout=20000)  # shown, or why not
    settle(qtbot)
    stops = walk(qtbot, dialog)
    if data is not None:  # the text itself is a stop (read-only: the arrow keys move through it)
        text = dialog.findChild(QWidget, "previewText")
        assert text in stops
    dialog.close()


def test_the_pin_warnings_are_named_and_tab_in_reading_order(qtbot, lang, signer):
    from desktop.ui.auditor_open import KeyChangedDialog, VendorNameChangedDialog
    from exports.bundle_pins import Pin

    pin = Pin("テスト建設", signer.key.public.base64, signer.key_id, "2026-04-01")
    for box in (KeyChangedDialog(None, "テスト建設", pin, "0123456789ABCDEF"),
                VendorNameChangedDialog(None, "株式会社ビー", [pin], signer.key_id)):
        stops = walk(qtbot, box, first=box.confirmed)
        # the confirmation first, then the buttons; the accepting one once it is ticked
        assert stops[0] is box.confirmed and box.accept_button not in stops
        box.confirmed.setChecked(True)
        box.confirmed.setFocus()
        stops = tab_sequence(box)
        assert box.accept_button in stops and reading_order_problems(stops) == [], box.objectName()
        box.done(0)


def test_the_machine_fault_dialog_is_named_and_tabs_in_reading_order(qtbot, lang, tmp_path):
    from desktop.errors import ErrorDialog, explain
    from storage.faults import FaultKind, MachineFault

    fault = MachineFault(FaultKind.NO_SPACE, tmp_path / "ws", cause="[Errno 28] No space left on device")
    dialog = ErrorDialog(None, explain(fault), retry=lambda: None)
    retry = dialog.button(dialog.StandardButton.Retry)
    assert retry is not None and retry.objectName() == "retryButton"
    stops = walk(qtbot, dialog, first=retry)
    assert retry in stops and dialog.button(dialog.StandardButton.Cancel) in stops
    # the details, shown: the text that support asks for is read too
    details = next(b for b in stops if b not in (retry, dialog.button(dialog.StandardButton.Cancel)))
    details.setFocus()
    key(qtbot, Qt.Key.Key_Space)
    settle(qtbot)
    assert problems_in(dialog) == []
    retry.setFocus()
    stops = tab_sequence(dialog)
    text = next(w for w in stops if isinstance(w, QTextEdit))  # a stop: scrolled and copied by keys
    assert fault.cause in text.toPlainText()
    assert QAccessible.queryAccessibleInterface(text).text(QAccessible.Text.Name) == \
        ("詳細" if lang == "ja" else "Details")
    assert reading_order_problems(stops) == [], [w.objectName() or type(w).__name__ for w in stops]
    dialog.done(0)


def test_the_read_only_banner_is_named_and_the_window_tabs_in_order(qtbot, controller, lang, tmp_path,
                                                                   mini_template):
    from . import faultkit
    from .test_desktop_export import _workspace

    if not faultkit.is_root() or faultkit.mode() != "tmpfs":
        pytest.skip("needs root: a read-only bind mount")
    folder = _workspace(tmp_path / "src", mini_template, complete=True)
    with faultkit.read_only_view(folder.parent, tmp_path / "cdrom") as view:
        window = open_via_welcome(qtbot, controller, view / folder.name)
        window.resize(1366, 740)
        qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=5000)
        banner = window.read_only_banner
        assert banner is not None and banner.isVisibleTo(window)
        iface = QAccessible.queryAccessibleInterface(banner)
        assert iface.text(QAccessible.Text.Name) == banner.title.text()
        assert iface.text(QAccessible.Text.Description) == banner.text.text()
        assert problems_in(window) == []
        window.section_list.setFocus()
        stops = tab_sequence(window)
        assert not any(banner.isAncestorOf(w) for w in stops)  # words, not a stop
        assert reading_order_problems([w for w in stops if window.form.isAncestorOf(w)]) == []
        window.close()
        settle(qtbot)


def test_the_export_wizard_s_last_pages_are_named_and_tab_in_order(qtbot, lang, main, tmp_path, signer,
                                                                   auditor):
    from desktop.ui.export_wizard import PAGE_OUTPUT, PAGE_RECIPIENTS, PAGE_SUMMARY

    from .bundle_support import SIGNING_PASSPHRASE

    wizard = main.exports.export_bundle()
    qtbot.waitUntil(lambda: wizard.isActiveWindow(), timeout=5000)
    wizard.next()
    wizard.key_page.path.setText(str(signer.secret_path))
    wizard.key_page.passphrase.setText(SIGNING_PASSPHRASE)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_RECIPIENTS, timeout=20000)
    wizard.recipients_page.list.clear()
    wizard.recipients_page.add(auditor.recipient)
    wizard.recipients_page.list.setCurrentRow(0)

    def page_walk() -> list[QWidget]:
        settle(qtbot)
        page = wizard.currentPage()
        assert problems_in(wizard) == [], page.objectName()
        first = next(w for w in page.findChildren(QWidget) if takes_tab(w, wizard))
        first.setFocus()
        stops = [w for w in tab_sequence(wizard) if page.isAncestorOf(w)]
        assert len(stops) > 1 and reading_order_problems(stops) == [], page.objectName()
        return stops

    stops = page_walk()
    assert stops[0] is wizard.recipients_page.paste and wizard.recipients_page.list in stops
    wizard.next()
    assert wizard.currentId() == PAGE_OUTPUT
    out = tmp_path / "out.zip"
    wizard.output_page.path.setText(str(out))
    stops = page_walk()
    assert stops[0] is wizard.output_page.path
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_SUMMARY, timeout=60000)
    stops = page_walk()
    summary = wizard.summary_page
    assert stops[0] is summary.fields["file"] and summary.show_button in stops
    wizard.accept()
