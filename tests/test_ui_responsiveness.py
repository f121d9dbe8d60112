"""What keeps the window responsive (issue 10), held as behaviour rather than timings (those are
in bench/bench_ui.py): work after the unlock runs in the worker, reading a workspace never waits
for the integrity check's lock, the check's dialog keeps the user from starting a change that
would, the collector does not walk the window's objects, and item pages still lay out fully at
the page's width. Real workspaces, real windows (pytest-qt)."""

from __future__ import annotations

import gc
import itertools
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog

from storage import EvidenceMeta, Workspace
from storage.errors import CorruptData

from .conftest import FAST_KDF, PASSPHRASE
from .desktop_helpers import close_all_errors, open_via_welcome, settle, shown_errors


@pytest.fixture
def default_folder(tmp_path):
    folder = tmp_path / "ws"
    Workspace.create(folder, PASSPHRASE, vendor="株式会社サンプル", kdf=FAST_KDF).close()
    return folder


def _record_threads(monkeypatch, owner, name: str) -> list[bool]:
    """Wrap ``owner.name``; the list gets, per call, whether it ran on the UI thread."""
    calls: list[bool] = []
    real = getattr(owner, name)

    def wrapper(*args, **kwargs):
        calls.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, wrapper)
    return calls


def test_the_worker_assesses_after_the_kdf_and_reads_findings_after_the_window(
        qtbot, controller, default_folder, monkeypatch):
    import storage.reviews

    assessed = _record_threads(monkeypatch, Workspace, "assess")
    read_log = _record_threads(monkeypatch, storage.reviews, "known_submission_ids")
    main = open_via_welcome(qtbot, controller, default_folder)
    qtbot.waitUntil(lambda: read_log == [False], timeout=10000)  # after the window shows
    assert assessed == [False]  # once each, neither on the UI thread
    assert main.session.assessment().required > 0      # the worker's assessment is the one shown
    assert assessed == [False]
    assert main._dashboard is None  # built when first shown, not at the unlock
    main.show_dashboard()
    assert main.center.currentWidget() is main.dashboard
    assert main.dashboard.problems.rowCount() == len(main.session.assessment().blockers) + len(
        main.session.assessment().improvements) + sum(
        1 for p in main.session.assessment().warnings if p.code != "hidden_answered")


def test_lock_and_unlock_also_prepare_in_the_worker(qtbot, controller, default_folder, monkeypatch):
    main = open_via_welcome(qtbot, controller, default_folder)
    main.lock()
    assessed = _record_threads(monkeypatch, Workspace, "assess")
    main.lock_page.unlock.passphrase.setText(PASSPHRASE)
    main.lock_page.unlock.passphrase.returnPressed.emit()
    qtbot.waitUntil(lambda: not main.session.locked, timeout=20000)
    settle(qtbot)
    assert assessed == [False]


def test_a_damaged_review_record_is_said_and_the_workspace_still_opens(qtbot, controller, default_folder,
                                                                       monkeypatch):
    import desktop.session

    def damaged(_ws):
        raise CorruptData("review 1234", "authentication failed")

    monkeypatch.setattr(desktop.session, "load_review", damaged)
    main = open_via_welcome(qtbot, controller, default_folder)
    qtbot.waitUntil(lambda: bool(shown_errors()), timeout=5000)
    assert not main.session.locked and main.isVisible() and not main.review.isVisibleTo(main)
    close_all_errors()


def test_reading_does_not_wait_for_the_integrity_check(tmp_path, mini_template):
    """The check holds the change lock from start to end; answers, evidence, the assessment and
    a submission snapshot are read meanwhile (the desktop does so from the UI thread); a change
    waits until the check is over."""
    from storage.integrity import check_open

    ws = Workspace.create(tmp_path / "ws", PASSPHRASE, template=mini_template, kdf=FAST_KDF)
    item = next(i for i in mini_template.items if i.evidence is not None and i.show_if is None)
    source = tmp_path / "cert.pdf"
    source.write_bytes(b"%PDF-1.4 " + bytes(range(256)) * 64)
    ws.add_evidence(item.id, source, EvidenceMeta(item.evidence.kinds[0]))
    status = next(i for i in mini_template.items if str(i.kind) == "status" and i.show_if is None)
    in_check, go_on = threading.Event(), threading.Event()

    def progress(_done, _total):
        in_check.set()
        go_on.wait(30)

    checker = threading.Thread(target=lambda: check_open(ws, progress=progress))
    checker.start()
    try:
        assert in_check.wait(30)
        reads = threading.Thread(target=lambda: (ws.answers(), ws.evidence(item.id), ws.assess(),
                                                 ws.submission(), ws.answer(status.id)))
        reads.start()
        reads.join(10)
        assert not reads.is_alive()  # done while the check still holds its lock
        writer = threading.Thread(target=lambda: ws.set_answer(status.id, "yes"))
        writer.start()
        writer.join(0.5)
        assert writer.is_alive()  # a change waits for the check
        assert ws.answer(status.id) is None
    finally:
        go_on.set()
        checker.join(30)
    writer.join(30)
    assert ws.answer(status.id).value == "yes"
    ws.close()


def test_the_check_dialog_is_modal_while_the_check_runs(qtbot, controller, default_folder, monkeypatch):
    import storage.integrity
    from desktop.ui import integrity_dialog

    main = open_via_welcome(qtbot, controller, default_folder)
    started, go_on = threading.Event(), threading.Event()
    real = storage.integrity.check_open

    def held(ws, **kwargs):
        started.set()
        go_on.wait(30)
        return real(ws, **kwargs)

    shown = []
    monkeypatch.setattr(storage.integrity, "check_open", held)
    monkeypatch.setattr(integrity_dialog.IntegrityDialog, "exec", lambda self: shown.append(self.report))
    task = main.check_integrity()
    qtbot.waitUntil(started.is_set, timeout=10000)
    dialogs = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, QProgressDialog) and w.isVisible()]
    assert len(dialogs) == 1
    assert dialogs[0].windowModality() == Qt.WindowModality.WindowModal and dialogs[0].parent() is main
    assert QApplication.activeModalWidget() is dialogs[0] or dialogs[0].isModal()
    go_on.set()
    qtbot.waitUntil(lambda: task.done, timeout=30000)
    assert len(shown) == 1 and not shown[0].damage


def test_the_collector_does_not_walk_the_window(qtbot, controller, default_folder):
    """The window's objects are out of the cycle collector's walks once built (desktop/heap.py)
    and handed back when the workspace closes."""
    main = open_via_welcome(qtbot, controller, default_folder)
    assert gc.get_freeze_count() > 10_000
    frozen_open = gc.get_freeze_count()
    main.close_workspace()
    settle(qtbot)
    settle(qtbot)
    # handed back and collected: what stays frozen is what outlives the window
    assert gc.get_freeze_count() < frozen_open


@pytest.mark.parametrize("size", [(1366, 768), (1000, 640)])
def test_items_are_laid_out_at_the_page_width(qtbot, controller, default_folder, size):
    """The page body's size hints are constants (section_form._Body): every item still gets the
    height its wrapped text needs at the page's width, and none overlaps the next."""
    main = open_via_welcome(qtbot, controller, default_folder)
    main.resize(*size)
    main.go_to_section("AGR")
    everything = main.form.widgets  # the page completed (the rest is built a slice at a time)
    settle(qtbot)
    page = main.form.currentWidget()
    widgets = [w for w in everything.values() if w.isVisibleTo(page)]
    assert len(widgets) > 3
    body = page.widget()
    # as wide as the page, or as the items' minimum width when the window is narrower
    assert body.width() == max(page.viewport().width(), body.layout().totalMinimumSize().width())
    for w in widgets:
        assert w.width() <= body.width()
        assert w.height() >= w.layout().totalHeightForWidth(w.width())
    for above, below in itertools.pairwise(widgets):
        assert above.geometry().bottom() < below.geometry().top()
    # an answer that adds a line (the note becomes required) moves the items below it down
    first = widgets[0]
    below_top = widgets[1].geometry().top()
    first.editor.buttons["no"].click()
    settle(qtbot)
    assert first.height() >= first.layout().totalHeightForWidth(first.width())
    assert widgets[1].geometry().top() > first.geometry().bottom()
    assert widgets[1].geometry().top() >= below_top or first.view.problems == ""
