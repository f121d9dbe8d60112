"""The desktop app's parts: item models, the task helper, settings, errors, translations, start-up."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QByteArray

from desktop import i18n
from desktop.errors import ErrorDialog, explain, install_excepthook
from desktop.forms.filters import FilterMode, matching_items
from desktop.forms.models import EvidenceModel, ProblemModel, SectionModel
from desktop.session import WorkspaceSession
from desktop.settings import (
    AUTO_LOCK_SECONDS,
    LANGUAGE,
    MAIN_GEOMETRY,
    RECENT_WORKSPACES,
    Settings,
)
from desktop.tasks import Task, run_with_progress
from storage import Cancelled, EvidenceMeta, WrongPassphrase
from storage import errors as storage_errors

from .conftest import ROOT


@pytest.fixture
def session(qtbot, mini_ws, tmp_path):
    s = WorkspaceSession(mini_ws)
    yield s
    s.close()


# --- models ---------------------------------------------------------------------------

def test_section_model(qtmodeltester, session):
    model = SectionModel(session)
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    assert model.index(0).data() == "同意"
    session.set_answer("AGR-01", "yes", None)
    from desktop.forms.models import ROLE_COUNTS, ROLE_PROGRESS

    assert model.index(0).data(ROLE_PROGRESS) == 1.0
    assert model.index(0).data(ROLE_COUNTS) == (1, 1, 0)
    session.lock()
    assert model.index(0).data(ROLE_PROGRESS) is None
    qtmodeltester.check(model)


def test_evidence_model(qtmodeltester, session, tmp_path):
    model = EvidenceModel(session)
    model.set_item("TEC-04")
    qtmodeltester.check(model)
    for n, expires in enumerate((dt.date.today() + dt.timedelta(days=10), None)):
        path = tmp_path / f"f{n}.txt"
        path.write_text(f"file {n}")
        session.add_evidence("TEC-04", path, EvidenceMeta("policy", title=f"文書{n}", expires=expires))
        session.evidence_stored("TEC-04")
    assert model.rowCount() == 2 and model.columnCount() == 4
    qtmodeltester.check(model)
    assert model.index(1, 2).data() == "期限なし"
    assert model.index(0, 3).data() == "6 B"
    assert model.headerData(0, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal) == "名称"
    model.set_item("AGR-01")
    assert model.rowCount() == 0


def test_problem_model(qtmodeltester, session):
    model = ProblemModel(session)
    qtmodeltester.check(model)
    before = model.rowCount()
    assert before > 0 and all(model.rows[r].blocking for r in range(before))
    session.set_answer("AGR-01", "yes", None)
    assert model.rowCount() == before - 1
    qtmodeltester.check(model)


def test_filters_without_widgets(mini_ws):
    mini_ws.set_answer("CERT-01", "isms")
    a = mini_ws.assess()
    assert matching_items(a, "cert-0", FilterMode.ALL) == ["CERT-01", "CERT-02", "CERT-03"]
    assert "CERT-01" not in matching_items(a, "", FilterMode.UNANSWERED)
    assert matching_items(a, "", FilterMode.EVIDENCE_MISSING) == []
    assert matching_items(a, "登録証の写し", FilterMode.ALL) == ["CERT-02"]  # evidence hints are searched
    # citations, as written and as the English UI shows them
    by_japanese = matching_items(a, "第5条(8)", FilterMode.ALL)
    assert by_japanese == matching_items(a, "art. 5(8)", FilterMode.ALL) != []
    # and so are notes
    mini_ws.set_answer("AGR-01", "no", note="是正予定あり")
    assert matching_items(mini_ws.assess(), "是正予定", FilterMode.ALL) == ["AGR-01"]


# --- tasks -----------------------------------------------------------------------------

def test_task_runs_in_a_worker_and_reports_in_the_ui_thread(qtbot):
    seen = {}

    def work(progress, cancel):
        seen["worker"] = threading.current_thread()
        for i in range(3):
            progress(i + 1, 3)
        return 42

    task = Task(work)
    steps = []
    task.progressed.connect(lambda done, total: steps.append((done, total, threading.current_thread())))
    with qtbot.waitSignal(task.succeeded, timeout=5000) as blocker:
        task.start()
    assert blocker.args == [42]
    assert seen["worker"] is not threading.main_thread()
    qtbot.waitUntil(lambda: len(steps) == 3)
    assert all(t is threading.main_thread() for *_x, t in steps)
    assert task.done and task.result == 42


def test_task_cancel_and_failure(qtbot):
    started = threading.Event()

    def work(progress, cancel):
        started.set()
        while not cancel():
            threading.Event().wait(0.01)
        raise Cancelled()

    task = Task(work)
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        task.start()
        started.wait(5)
        task.cancel()
    assert isinstance(blocker.args[0], Cancelled)

    bad = Task(lambda p, c: 1 / 0)
    with qtbot.waitSignal(bad.failed, timeout=5000) as blocker:
        bad.start()
    assert isinstance(blocker.args[0], ZeroDivisionError)


def test_progress_dialog_cancel_button_cancels(qtbot):
    started = threading.Event()

    def work(progress, cancel):
        started.set()
        while not cancel():
            progress(1, 10)
            threading.Event().wait(0.01)
        raise Cancelled()

    task = Task(work)
    dialog = run_with_progress(None, "作業中…", task, delay_ms=0)
    qtbot.waitUntil(started.is_set, timeout=5000)
    qtbot.waitUntil(lambda: dialog.value() == 100, timeout=5000)
    from PySide6.QtWidgets import QPushButton

    with qtbot.waitSignal(task.finished, timeout=5000):
        dialog.findChild(QPushButton).click()
    assert isinstance(task.error, Cancelled)


# --- settings ---------------------------------------------------------------------------

def test_settings_are_typed_and_kept_in_the_given_file(tmp_path):
    path = tmp_path / "s.ini"
    s = Settings(path)
    assert s.get(AUTO_LOCK_SECONDS) == 600 and s.get(LANGUAGE) == ""
    s.set(AUTO_LOCK_SECONDS, 90)
    s.remember_workspace(tmp_path / "a")
    s.remember_workspace(tmp_path / "b")
    s.remember_workspace(tmp_path / "a")
    s.set(MAIN_GEOMETRY, QByteArray(b"\x01\x02"))
    again = Settings(path)
    assert again.get(AUTO_LOCK_SECONDS) == 90
    assert again.get(RECENT_WORKSPACES) == [str(tmp_path / "a"), str(tmp_path / "b")]
    assert bytes(again.get(MAIN_GEOMETRY)) == b"\x01\x02"
    again.forget_workspace(tmp_path / "a")
    assert Settings(path).get(RECENT_WORKSPACES) == [str(tmp_path / "b")]
    path.write_text("[security]\nautoLockSeconds=not a number\n")
    assert Settings(path).get(AUTO_LOCK_SECONDS) == 600  # a broken value falls back to the default
    assert "passphrase" not in path.read_text().lower()


# --- errors ---------------------------------------------------------------------------------

ERROR_SAMPLES = [
    storage_errors.WrongPassphrase(), storage_errors.WorkspaceLocked("/x"),
    storage_errors.WorkspaceExists("/x"),
    storage_errors.NotAWorkspace("/x"), storage_errors.UnsupportedWorkspace("v9"),
    storage_errors.CorruptData("answer"), storage_errors.WeakPassphrase("short"),
    storage_errors.DuplicateEvidence("A-1", "f.pdf"), storage_errors.EvidenceNotFound("e"),
    storage_errors.InvalidEvidence("bad"), storage_errors.WorkspaceError("io"),
]


def test_every_core_error_has_its_own_translated_message(qtbot):
    from questionnaire.errors import InvalidAnswer, TemplateError

    samples = [*ERROR_SAMPLES, InvalidAnswer("A-1", "bad"), TemplateError("t.yaml", None, "bad"),
               FileNotFoundError(2, "No such file", "/nope")]
    titles = [explain(e).title for e in samples]
    assert len(set(titles)) == len(titles)  # no two kinds share a vague message
    assert all(explain(e).next_step for e in samples)
    assert explain(WrongPassphrase()).title == "パスフレーズが違います"
    i18n.install("en")
    try:
        assert explain(WrongPassphrase()).title == "Wrong passphrase"
        assert "try again" in explain(WrongPassphrase()).next_step
    finally:
        i18n.install("ja")


def test_unexpected_exception_is_logged_and_shown_politely(qtbot, monkeypatch, _isolated_home):
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    install_excepthook()
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    logs = list((_isolated_home / "logs").glob("desktop-*.log"))
    assert len(logs) == 1 and "RuntimeError: boom in a slot" in logs[0].read_text()
    dialog = ErrorDialog.shown[-1]
    assert dialog.windowTitle() == "予期しないエラー"
    assert "保存されています" in dialog.informativeText()
    assert str(logs[0]) in dialog.detailedText()
    dialog.done(0)
    ErrorDialog.shown.clear()


# --- translations ---------------------------------------------------------------------------

def test_english_catalogue_is_complete_and_compiled():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "update_translations.py"), "--check"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    root = ET.parse(ROOT / "desktop" / "i18n" / "ccus_attest_en.ts").getroot()  # noqa: S314 - our own file
    messages = list(root.iter("message"))
    assert len(messages) > 150
    def forms(m) -> list[str]:  # the translation, or its singular and plural
        t = m.find("translation")
        return [f.text or "" for f in t.iter("numerusform")] if m.get("numerus") == "yes" else [t.text or ""]

    unfinished = [m.findtext("source") for m in messages
                  if m.find("translation").get("type") == "unfinished" or not all(forms(m))]
    assert unfinished == []
    for m in messages:  # every {placeholder} survives translation
        src = m.findtext("source")
        for dst in forms(m):
            assert sorted(__import__("re").findall(r"\{\w+\}", src)) == sorted(
                __import__("re").findall(r"\{\w+\}", dst)), src
    # a count is said with its noun in the right number: Qt's numerus forms, never "file(s)"
    numerus = [m for m in messages if m.get("numerus") == "yes"]
    assert len(numerus) >= 10
    for m in numerus:
        _singular, plural = forms(m)
        assert "%n" in m.findtext("source") and "%n" in plural, m.findtext("source")
    assert not [f for m in messages for f in forms(m) if "(s)" in f]


def test_every_japanese_string_in_the_ui_goes_through_the_catalogue():
    import ast
    import re

    root = ET.parse(ROOT / "desktop" / "i18n" / "ccus_attest_en.ts").getroot()  # noqa: S314 - our own file
    sources = {m.findtext("source") for m in root.iter("message")}
    japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    allowed = {"・", "日本語", "、"}  # a bullet, a language's own name, a list separator
    missing = []
    # the leak guard speaks before any translation is loaded: its message is bilingual by design
    bilingual = {ROOT / "desktop" / "leakguard.py"}
    for path in (ROOT / "desktop").rglob("*.py"):
        if path in bilingual:
            continue
        tree = ast.parse(path.read_text("utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef)) and n.body
                      and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                    and japanese.search(node.value) and node.value not in sources | allowed):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:40]}")
    assert missing == []


# --- start-up ----------------------------------------------------------------------------------

def test_welcome_window_shows_without_loading_storage_or_crypto(tmp_path):
    code = (
        "import sys, os\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        f"os.environ['CCUS_ATTEST_HOME'] = {str(tmp_path)!r}\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from desktop.app import make_application\n"
        "from desktop.controller import AppController\n"
        "from desktop.settings import Settings\n"
        "app = make_application()\n"
        f"c = AppController(Settings({str(tmp_path / 's.ini')!r})); c.start()\n"
        "assert c.welcome.isVisible()\n"
        "heavy = [m for m in ('sqlalchemy', 'cryptography', 'storage.workspace', 'pyrage', 'yaml',"
        " 'zxcvbn', 'pypdfium2', 'desktop.ui.main_window') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY []" in proc.stdout
