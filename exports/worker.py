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
