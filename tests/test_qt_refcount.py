"""The Qt binding must not lose references to None (issue 10), and the start-up guard must
refuse a binding that does.

PySide6 6.12.0 on CPython 3.11 loses one reference to None per Qt call that returns
nothing; the app then aborts (``none_dealloc``) after ~95 answers. These tests fail on that
pair (run them in a venv with PySide6-Essentials==6.12.0 to see it) and pass on the pinned
versions. On Python >= 3.12 None is immortal: its count cannot show a leak, and a leak
there can do no harm, so the count tests are skipped with that reason.
"""

from __future__ import annotations

import ctypes
import gc
import subprocess
import sys

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from desktop import leakguard
from storage import Workspace

from .conftest import FAST_KDF, PASSPHRASE, ROOT
from .desktop_helpers import open_via_welcome

immortal_none = pytest.mark.skipif(leakguard.none_is_immortal(),
                                   reason="None is immortal on Python >= 3.12 (PEP 683): nothing to count")
# What answering and refreshing may legitimately change in None's count (new objects that
# refer to None, caches filled): far below what the leaking binding loses (~450 per answer in
# a 13-item section, i.e. ~100,000 over this test).
TOLERANCE = 500


class _Counts:
    """None/True/False reference counts around some work. On a leaking binding the lost
    references are given back afterwards, so that the test fails with its message instead
    of the interpreter aborting (none_dealloc) before pytest can report anything."""

    def __enter__(self):
        gc.collect()
        gc.disable()
        self.before = [sys.getrefcount(o) for o in leakguard._SINGLETONS]
        return self

    def __exit__(self, *exc):
        after = [sys.getrefcount(o) for o in leakguard._SINGLETONS]
        gc.enable()
        self.lost_each = [max(0, b - a) for b, a in zip(self.before, after, strict=True)]
        self.lost = self.lost_each[0]
        leakguard._give_back(self.lost_each)
        return False


def _decref_none_calls():
    """A stand-in for the leaking binding: each call really drops a reference to None."""
    decref = ctypes.pythonapi.Py_DecRef
    decref.argtypes = [ctypes.py_object]
    decref.restype = None

    def run(n: int) -> None:
        ref = ctypes.py_object(None)
        for _ in range(n):
            decref(ref)

    return run


@immortal_none
def test_probe_sees_a_binding_that_loses_references_and_gives_them_back():
    before = sys.getrefcount(None)
    result = leakguard.probe(make_calls=_decref_none_calls)
    assert result.leaking and result.lost == leakguard.CALLS
    # the probe gave back the 300 it saw lost (the fake's 3 warm-up calls are not counted)
    assert sys.getrefcount(None) >= before - 50


def test_the_installed_binding_passes_the_start_up_probe():
    result = leakguard.probe()
    if leakguard.none_is_immortal():
        assert result.skipped and "PEP 683" in result.skipped and not result.leaking
    else:
        assert not result.leaking, f"PySide6 loses references to None: {result}"
        assert result.lost == 0


class _Emitter(QObject):
    changed = Signal(int)


@immortal_none
def test_none_refcount_unchanged_after_10000_qt_calls(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    label = QLabel(widget)
    button = QPushButton("x", widget)
    emitter = _Emitter()
    received: list[int] = []
    emitter.changed.connect(received.append)         # a Python slot
    button.clicked.connect(lambda: received.append(-1))
    widget.show()
    calls = 0
    with _Counts() as counts:
        for i in range(2500):
            label.setText(f"text {i % 7}")             # void
            label.setVisible(i % 2 == 0)               # void
            emitter.changed.emit(i)                    # a signal delivered to Python
            button.click()                             # a signal from Qt to a Python lambda
            calls += 4
    assert calls == 10_000 and len(received) == 5000
    assert counts.lost < 50, f"None lost {counts.lost} references in {calls} Qt calls"


def _value_for(item, pass_no: int, template):
    """A value for ``item`` that opens its dependants. Over passes 0, 1, 2 the values of a
    choice item cycle through a set that together opens every dependant (CERT-01 of 1.1.0
    has three branches: 同等の資格, ISMS クラウド, プライバシーマーク)."""
    from questionnaire import AnswerKind

    opens: dict[str, set[str]] = {c.value: set() for c in item.choices}  # value -> dependants
    for other in template.items:
        cond = other.show_if
        if cond is not None and cond.item_id == item.id:
            for value in opens:
                if cond.holds([value] if item.kind is AnswerKind.MULTI else value):
                    opens[value].add(other.id)
    cover: list[str] = []                  # greedy: the value opening most of what is still closed
    todo = set().union(*opens.values()) if opens else set()
    while todo:
        best = max(opens, key=lambda v: len(opens[v] & todo))
        cover.append(best)
        todo -= opens[best]
    choices = [c.value for c in item.choices]
    if item.kind in (AnswerKind.STATUS, AnswerKind.SINGLE):
        pool = cover or [choices[0], choices[-1]]
        return pool[pass_no % len(pool)]
    if item.kind is AnswerKind.MULTI:
        return list(dict.fromkeys([*cover, choices[pass_no % len(choices)]]))
    if item.kind is AnswerKind.DATE:
        return ("2027-03-31", "2028-01-15")[pass_no % 2]
    if item.kind is AnswerKind.NUMBER:
        low = item.number.minimum if item.number and item.number.minimum is not None else 0
        return int(low) + 1 + pass_no % 2
    return ("回答 1", "回答 2")[pass_no % 2]


def answer_through_the_form(qtbot, main, item_widget, value) -> None:
    """Enter ``value`` in the item's real editor as a user would (click, type + Enter)."""
    from questionnaire import AnswerKind

    editor = item_widget.editor
    kind = item_widget.item.kind
    QApplication.processEvents()  # what a user sees: laid out and painted
    main.form.scroll_to(item_widget.item.id, focus=False)  # a user scrolls to what they click
    if kind is AnswerKind.STATUS:
        main.form.currentWidget().ensureWidgetVisible(editor.buttons[value])
        qtbot.mouseClick(editor.buttons[value], Qt.MouseButton.LeftButton)
    elif kind is AnswerKind.SINGLE:
        editor.combo.setCurrentIndex(editor.combo.findData(value))
        editor.combo.activated.emit(editor.combo.currentIndex())
    elif kind is AnswerKind.MULTI:
        for v, box in editor.boxes.items():
            if box.isChecked() != (v in value):
                main.form.currentWidget().ensureWidgetVisible(box)
                qtbot.mouseClick(box, Qt.MouseButton.LeftButton,
                                 pos=box.rect().topLeft() + box.rect().center() / 4)
    else:
        line = editor.box if kind is AnswerKind.TEXT else editor.line
        line.setFocus()
        if hasattr(line, "selectAll"):
            line.selectAll()
        if hasattr(line, "setPlainText"):
            line.setPlainText(str(value))
            editor.commit_pending()
        else:
            line.setText(str(value))
            qtbot.keyClick(line, Qt.Key.Key_Return)


@immortal_none
def test_answering_every_item_of_the_default_template_twice_keeps_none(qtbot, controller, tmp_path):
    folder = tmp_path / "ws"
    Workspace.create(folder, PASSPHRASE, vendor="株式会社サンプル", kdf=FAST_KDF).close()
    main = open_via_welcome(qtbot, controller, folder)
    template = main.session.template
    answered: set[str] = set()
    stored = 0

    def one_pass(pass_no: int) -> None:
        nonlocal stored
        for section in template.sections:
            main.go_to_section(section.id)
            for item in section.items:
                widget = main.form.widgets[item.id]
                if not widget.isVisibleTo(main.form):
                    continue
                value = _value_for(item, pass_no, template)
                answer_through_the_form(qtbot, main, widget, value)
                stored_answer = main.session.answer(item.id)
                assert stored_answer is not None, item.id
                answered.add(item.id)
                stored += 1

    with _Counts() as warm_up:
        one_pass(0)  # also fills caches (translations, fonts, style sheet rules)
    with _Counts() as counts:
        one_pass(1)
        one_pass(2)
    assert answered == {i.id for i in template.items}, sorted({i.id for i in template.items} - answered)
    assert stored >= 3 * 100
    assert counts.lost < TOLERANCE, f"None lost {counts.lost} references over two passes ({stored} answers)"
    assert warm_up.lost < TOLERANCE * 2, f"None lost {warm_up.lost} references over the first pass"


def test_refusing_to_start_on_a_leaking_binding_exits_cleanly_with_the_fix(tmp_path):
    child = (
        "import sys\n"
        "from tests.test_qt_refcount import _decref_none_calls\n"
        "from desktop import leakguard\n"
        "leakguard._void_calls = _decref_none_calls\n"
        "if leakguard.none_is_immortal():\n"
        "    leakguard.none_is_immortal = lambda: False\n"
        "from cli.main import main\n"
        "sys.exit(main([]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", child], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False,
                          env={"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen",
                               "CCUS_ATTEST_HOME": str(tmp_path), "HOME": str(tmp_path),
                               "PYTHONIOENCODING": "utf-8"})
    assert proc.returncode == leakguard.EXIT_CODE, proc.stderr
    assert "Fatal Python error" not in proc.stderr
    assert "起動できません" in proc.stderr and "cannot start" in proc.stderr
    assert "PySide6-Essentials < 6.12" in proc.stderr and "Python 3.12" in proc.stderr


def test_the_refusal_dialog_says_it_in_both_languages(qtbot):
    box = leakguard.refusal_dialog(leakguard.Probe(300, 300))
    qtbot.addWidget(box)
    assert "CCUS Attest を起動できません" in box.windowTitle() and "cannot start" in box.windowTitle()
    text = box.text()
    assert "直し方" in text and "Fix:" in text and "6.12" in text and "3.12" in text
    assert "入力済みの内容は失われていません" in text and "Nothing you entered has been lost" in text
