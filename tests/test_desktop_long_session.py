"""A long session through the real window with real clicks runs to the end (issue 10: with
PySide6 6.12.0 on Python 3.11 the app aborted after ~95 answers)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from storage import Workspace

from .conftest import FAST_KDF, PASSPHRASE
from .desktop_helpers import open_via_welcome

ANSWERS = 200
NEXT = {None: "yes", "yes": "no", "no": "partial", "partial": "na", "na": "yes"}


def test_200_answers_by_mouse_in_one_process(qtbot, controller, tmp_path):
    folder = tmp_path / "ws"
    Workspace.create(folder, PASSPHRASE, vendor="株式会社サンプル", kdf=FAST_KDF).close()
    main = open_via_welcome(qtbot, controller, folder)
    template = main.session.template
    targets = [(s, i.id) for s in template.sections for i in s.items
               if str(i.kind) == "status" and i.show_if is None]
    done = 0
    while done < ANSWERS:
        for section, item_id in targets:
            if done == ANSWERS:
                break
            if main.section_list.current_section_id() != section.id:
                # the section list, clicked like a user does
                index = main.sections.index(main.sections.row_of(section.id))
                main.section_list.scrollTo(index)
                qtbot.mouseClick(main.section_list.viewport(), Qt.MouseButton.LeftButton,
                                 pos=main.section_list.visualRect(index).center())
                assert main.section_list.current_section_id() == section.id
            widget = main.form.widgets[item_id]  # completes the page if it was still being built
            current = main.session.answer(item_id)
            value = NEXT[current.value if current else None]
            button = widget.editor.buttons[value]
            QApplication.processEvents()  # laid out and painted, as the user sees it
            main.form.currentWidget().ensureWidgetVisible(button)
            assert button.height() > 0, item_id  # a click lands on a button the user can see
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            stored = main.session.answer(item_id)
            assert stored is not None and stored.value == value, (done, item_id, value)
            done += 1
    assert done == ANSWERS
    actions = [e.action for e in main.session.ws.activity()]
    assert actions.count("answer.set") >= ANSWERS
    assert main.isVisible() and not main.session.locked
