"""A thread that works through a bounded queue, for work that releases the GIL.

Why: pyrage holds the GIL while it encrypts or decrypts, so a bundle's streaming pass runs
at the speed of one core unless the rest of the work — hashing (hashlib), CRC-32 (zlib) and
file writes, which all release the GIL for large buffers — runs in another thread, on
another core. Items should be large (about 1 MiB): the thread takes the GIL back once per
item, and a thread waiting for the GIL can wait for a whole switch interval.

Failure: the first exception in the thread stops the work (later items are taken and
dropped, so ``put`` never blocks for good); ``put`` and ``finish`` re-raise it in the
calling thread. ``close`` stops the thread whatever happened, and is idempotent.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

_STOP = object()


class Worker:
    """Applies ``fn`` to each item ``put``, in order, in a thread of its own; at most ``depth``
    items wait (constant memory)."""

    def __init__(self, fn: Callable[[Any], None], *, name: str, depth: int = 8) -> None:
        self._fn = fn
        self._q: queue.Queue[Any] = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        fn, get = self._fn, self._q.get
        try:
            while (item := get()) is not _STOP:
                fn(item)
        except BaseException as exc:  # handed to the calling thread by put/finish
            self.error = exc
            while get() is not _STOP:
                pass

    def put(self, item: Any) -> None:
        if self.error is not None:
            raise self.error
        self._q.put(item)

    def finish(self) -> None:
        """Wait until every item is done; re-raise the thread's error, if any."""
        self.close()
        if self.error is not None:
            raise self.error

    def close(self) -> None:
        if self._thread.is_alive():
            self._q.put(_STOP)
            self._thread.join()


BATCH = 1 << 20


class Batcher:
    """Gathers the small pieces a native writer hands over (pyrage: 8–64 KiB) into batches of
    about ``size`` bytes, joined once, and passes each to ``emit``: whatever runs per batch
    (a hand-over to a ``Worker``, tar framing, progress) then runs once per MiB.

    Pieces are kept, not copied: callers pass immutable ``bytes`` (or views of them); anything
    else is copied here, since a mutable buffer may be reused by its writer."""

    __slots__ = ("_emit", "_pending", "_pieces", "_size")

    def __init__(self, emit: Callable[[bytes | memoryview], Any], size: int = BATCH) -> None:
        self._emit = emit
        self._size = size
        self._pieces: list[bytes | memoryview] = []
        self._pending = 0

    def add(self, data: bytes | bytearray | memoryview) -> int:
        if not (isinstance(data, bytes) or (isinstance(data, memoryview) and isinstance(data.obj, bytes))):
            data = bytes(data)
        n = len(data)
        self._pieces.append(data)
        self._pending += n
        if self._pending >= self._size:
            self.flush()
        return n

    def flush(self) -> None:
        """Pass on what is gathered, if anything (the last, short batch)."""
        if not self._pieces:
            return
        # A single piece goes on as it is (no copy).
        chunk = self._pieces[0] if len(self._pieces) == 1 else b"".join(self._pieces)
        self._pieces.clear()
        self._pending = 0
        self._emit(chunk)
