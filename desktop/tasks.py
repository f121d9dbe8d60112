"""One helper for background work: run a callable in a worker thread, results back by signals.

    task = Task(lambda progress, cancel: ws.add_evidence(..., progress=progress, cancel=cancel))
    task.succeeded.connect(...); task.failed.connect(...)
    task.start()            # or run_with_progress(parent, title, task) for a dialog with Cancel

The callable gets ``progress(done, total)`` and ``cancel() -> bool`` in the storage
conventions (storage/progress.py). It must not touch widgets: it runs in another thread
and every signal below is delivered to the UI thread (queued). Workspace calls are safe
from the worker because the Workspace serialises them with its own lock.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger(__name__)

Work = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]

# Tasks stay referenced until they finish, so Python does not collect them mid-flight.
_running: set[Task] = set()
_pool: QThreadPool | None = None


def worker_pool() -> QThreadPool:
    """One worker thread: tasks run one after another in the order started (as Anki serialises
    collection operations), so files added together are stored in the order the user chose."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
    return _pool


class Task(QObject):
    progressed = Signal(object, object)   # done, total (Python ints: sizes exceed 32 bits)
    succeeded = Signal(object)            # the callable's result
    failed = Signal(object)               # the exception (Cancelled included)
    finished = Signal()                   # after succeeded or failed
    settled = Signal()                    # the work is over, just before succeeded or failed
    # Emitted in the worker, received by this object (which lives in the UI thread) through a
    # queued connection, so the public signals above always fire in the UI thread, whatever
    # kind of callable is connected to them.
    _progress_from_worker = Signal(object, object)
    _outcome_from_worker = Signal(bool, object)

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = False
        self._progress_from_worker.connect(self.progressed, Qt.ConnectionType.QueuedConnection)
        self._outcome_from_worker.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def start(self) -> Task:
        from . import heap

        heap.settle()  # the worker's allocations must not make the collector walk the window's objects
        _running.add(self)
        worker_pool().start(self._run)
        return self

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _run(self) -> None:  # worker thread: no widgets, no public signals here
        try:
            result = self._work(self._progress_from_worker.emit, self._cancel.is_set)
        except BaseException as exc:  # handed to the UI thread, which decides what to show
            self._outcome_from_worker.emit(False, exc)
        else:
            self._outcome_from_worker.emit(True, result)

    def _deliver(self, ok: bool, value: object) -> None:  # UI thread
        self.done = True
        self.settled.emit()
        if ok:
            self.result = value
            self.succeeded.emit(value)
        else:
            self.error = value  # type: ignore[assignment]
            self.failed.emit(value)
        _running.discard(self)
        self.finished.emit()


def running_tasks() -> int:
    return len(_running)


def run_with_progress(parent: QWidget | None, label: str, task: Task, *, cancellable: bool = True,
                      delay_ms: int = 400, modal: bool = False) -> QProgressDialog:
    """Start ``task`` behind a progress dialog with Cancel.

    The dialog appears only when the work takes longer than ``delay_ms`` (no flicker
    for small files); bytes are shown as a percentage, an unknown total as a busy bar.
    ``modal``: the dialog shows at once and blocks input to ``parent``'s window until the
    task ends: for work that holds the workspace's change lock (the integrity check), so the
    user cannot start a change that would wait for it with the window frozen.
    """
    cancel_text = QCoreApplication.translate("Tasks", "キャンセル")
    dialog = QProgressDialog(label, cancel_text, 0, 1000, parent)
    dialog.setObjectName("taskProgress")
    dialog.setWindowTitle("CCUS Attest")
    dialog.setMinimumDuration(delay_ms)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(420)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.setValue(0)
    if modal:
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.show()

    def on_progress(done: int, total: int) -> None:
        if total > 0:
            dialog.setMaximum(1000)
            dialog.setValue(min(1000, int(done * 1000 / total)))
        else:
            dialog.setMaximum(0)

    task.progressed.connect(on_progress)
    dialog.canceled.connect(task.cancel)
    # Gone before the result is handled: a result dialog opened then (exec) must not have the
    # finished progress window left on screen behind it until it is closed.
    task.settled.connect(dialog.reset)  # also stops the timer that would show it later
    # Hidden (not only deleted): hiding hands activation and focus back to the window below
    # (a window destroyed while shown left the keyboard user with no focus at all, issue 18).
    task.settled.connect(dialog.hide)
    task.finished.connect(dialog.deleteLater)
    # A timer so that the dialog exists before the first progress signal arrives.
    QTimer.singleShot(0, task.start)
    return dialog
