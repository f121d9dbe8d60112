"""A start-up check that the installed PySide6 does not lose references to ``None``.

PySide6 6.12.0 on CPython 3.11 drops one reference to ``None`` on every Qt call that
returns nothing (issue 10). Before Python 3.12 ``None`` is an ordinary object, so its count
reaches zero after a few hundred thousand calls and the interpreter aborts with
``Fatal Python error: none_dealloc`` — about 95 answers into the questionnaire. The pin in
pyproject.toml keeps that pair out of a normal install; this probe catches the pair when it
is there anyway (an old virtual environment, a distribution's package, a manual upgrade)
and refuses to start with a message that names the fix, before anything is entered.

The probe makes a few hundred void calls of the kinds the app makes all the time (a
property setter, a setter on a timer, a signal delivered to a Python slot) and compares
``sys.getrefcount(None)`` before and after. It takes well under a millisecond.

Python 3.12 and later: ``None`` is immortal (PEP 683). Its reference count is a constant
that decrements never change, so the probe cannot see a leak there — and a lost reference
can do no harm either: an immortal object is never freed. The probe is skipped with that
reason (``Probe.skipped``). 6.12.0 on 3.12 was measured clean anyway (issue 10).
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from dataclasses import dataclass

CALLS = 300
# A few references may come and go for reasons of their own (a cache filled on first use);
# the leaking binding loses one per call, so losing more than half of them is the bug.
THRESHOLD = CALLS // 2
EXIT_CODE = 78  # EX_CONFIG: the installation, not the user's data, is at fault

FIX_VERSIONS = "PySide6-Essentials < 6.12"


@dataclass(frozen=True)
class Probe:
    calls: int
    lost: int                 # references to None lost over the calls (0 when skipped)
    skipped: str = ""         # why the probe did not run (Python >= 3.12)

    @property
    def leaking(self) -> bool:
        return not self.skipped and self.lost > THRESHOLD


def none_is_immortal() -> bool:
    return sys.version_info >= (3, 12)


def _void_calls() -> Callable[[int], None]:
    """``n`` Qt calls that return nothing, made the way the app makes them."""
    from PySide6.QtCore import QObject, QTimer, Signal

    class _Emitter(QObject):
        ping = Signal(int)

    emitter = _Emitter()
    timer = QTimer()
    seen: list[int] = []
    emitter.ping.connect(seen.append)  # a Python slot, as every widget's signal has

    def run(n: int) -> None:
        for i in range(n):
            kind = i % 3
            if kind == 0:
                emitter.setObjectName("p")      # void setter on a QObject
            elif kind == 1:
                timer.setInterval(i)            # void setter on a QTimer
            else:
                emitter.ping.emit(i)            # a signal to a Python slot
        seen.clear()

    return run


# The singletons a leaking binding loses references to: None from void calls, True/False from
# calls returning bool (a signal's emit). The probe gives back what it made them lose.
_SINGLETONS = (None, True, False)


def probe(calls: int = CALLS, make_calls: Callable[[], Callable[[int], None]] | None = None) -> Probe:
    if none_is_immortal():
        return Probe(0, 0, skipped=f"Python {sys.version_info.major}.{sys.version_info.minor}: None is "
                                    "immortal (PEP 683), a lost reference can neither be seen nor do harm")
    run = (make_calls or _void_calls)()
    run(3)  # first calls may fill caches (method lookups, signal connections)
    enabled = gc.isenabled()
    gc.disable()  # a collection freeing objects that refer to None would look like a leak
    try:
        before = [sys.getrefcount(o) for o in _SINGLETONS]
        run(calls)
        after = [sys.getrefcount(o) for o in _SINGLETONS]
    finally:
        if enabled:
            gc.enable()
    lost = [max(0, b - a) for b, a in zip(before, after, strict=True)]
    _give_back(lost)
    return Probe(calls, lost[0])


def _give_back(lost: list[int]) -> None:
    """Restore the references the probe's own calls lost, so that the probe itself can never
    bring a count to zero (an interpreter that frees None aborts)."""
    if not any(lost):
        return
    import ctypes

    incref = ctypes.pythonapi.Py_IncRef
    incref.argtypes = [ctypes.py_object]
    incref.restype = None
    for obj, n in zip(_SINGLETONS, lost, strict=True):
        ref = ctypes.py_object(obj)
        for _ in range(n):
            incref(ref)


def versions() -> tuple[str, str]:
    import PySide6

    python = ".".join(map(str, sys.version_info[:3]))
    return python, getattr(PySide6, "__version__", "?")


def message(result: Probe) -> tuple[str, str]:
    """(title, text) in Japanese first, then English."""
    python, pyside = versions()
    title = "CCUS Attest を起動できません / CCUS Attest cannot start"
    text = (
        f"この Python {python} と PySide6 {pyside} の組み合わせには、Qt を呼び出すたびに内部の参照が"
        f"失われる不具合があります（{result.calls} 回の呼び出しで {result.lost} 個）。このまま使うと、"
        "入力の途中でアプリが異常終了します。入力済みの内容は失われていません。\n"
        f"直し方: PySide6 を 6.12 より前の版にする（pip install \"{FIX_VERSIONS}\"、"
        "または ./run-app.sh で入れ直す）か、Python 3.12 以降を使ってください。\n\n"
        f"This Python {python} with PySide6 {pyside} loses an internal reference on every Qt call "
        f"({result.lost} in {result.calls} calls); the app would crash in the middle of your work. "
        "Nothing you entered has been lost.\n"
        f"Fix: install a PySide6 before 6.12 (pip install \"{FIX_VERSIONS}\", or reinstall with "
        "./run-app.sh), or use Python 3.12 or newer."
    )
    return title, text


def refusal_dialog(result: Probe):
    from PySide6.QtWidgets import QMessageBox

    title, text = message(result)
    box = QMessageBox(QMessageBox.Icon.Critical, title, text)
    box.setObjectName("leakGuardDialog")
    return box


def refuse(result: Probe, *, show_dialog: bool = True) -> None:
    """Say why the app does not start (stderr, and a dialog when there is a screen), then end the
    process with EXIT_CODE.

    It ends with ``os._exit``: the dialog's own Qt calls lose references too, and the
    interpreter's normal shutdown, releasing every object, would then free None and abort
    (exit 134) — the very crash this guard is here to prevent."""
    import os

    title, text = message(result)
    sys.stderr.write(f"ccus-attest: error: {title}\n{text}\n")
    sys.stderr.flush()
    if show_dialog:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance() or QApplication(sys.argv[:1])
        if app.platformName() not in ("offscreen", "minimal"):
            refusal_dialog(result).exec()
    sys.stdout.flush()
    os._exit(EXIT_CODE)


def check_at_start() -> None:
    """Run before the first window: returns when the binding is sound, else tells the user why
    not and ends the process with EXIT_CODE."""
    result = probe()
    if result.leaking:
        refuse(result)
