"""A bounded in-memory pipe joining a *pushing* producer thread to a *pulling* consumer.

Why a thread (export): the workspace pushes decrypted evidence into a writer
(``Workspace.read_evidence``, itself driven by ``pyrage.decrypt_io``), while
``pyrage.encrypt_io`` pulls its plaintext from a reader. Both run to completion inside
native code, so one of them has to run in its own thread; a bounded queue between them
keeps memory constant (``max_chunks`` chunks of 0.5–1 MiB: a few MiB) whatever the amount
of data.
Verify and open use one too, so that the bundle file is read and hashed in a thread of its
own while ``pyrage.decrypt_io`` (which holds the GIL) pulls from the pipe.

Failure in either thread reaches the other: the producer's exception is handed to the
consumer when it reads; when the consumer stops (error, cancel, Ctrl-C) it calls
``abort()``, which makes the producer's next ``write`` raise, so ``join`` returns promptly.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storage.progress import Meter

_EOF = object()
_POLL_S = 0.1


class PipeAborted(Exception):
    """Raised in the producer once the consumer has gone away."""


class ProducerFailed(Exception):
    """Raised in the consumer when the producer failed; ``producer_error`` has the cause."""


class Pipe:
    """``write`` gathers small writes (pyrage and the workspace write 8–64 KiB at a time) into
    chunks of ``chunk_size``, so the threads hand over a few hundred chunks per GiB rather
    than a hundred thousand; at most ``max_chunks`` chunks wait in the queue."""

    def __init__(self, max_chunks: int = 8, chunk_size: int = 512 * 1024, meter: Meter | None = None) -> None:
        self._q: queue.Queue[Any] = queue.Queue(maxsize=max_chunks)
        self._meter = meter  # counts what the consumer takes (progress, cancel), once per chunk
        self._chunk_size = chunk_size
        self._pending = bytearray()
        self._aborted = threading.Event()
        self._buf = memoryview(b"")
        self._item: Any = b""
        self._eof = False
        self.producer_error: BaseException | None = None
        self.consumer_error: BaseException | None = None
        self.bytes_written = 0
        self.bytes_read = 0
        self._thread: threading.Thread | None = None

    # --- producer side ----------------------------------------------------------------

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        n = len(data)
        if n:
            if self._aborted.is_set():
                raise PipeAborted()
            if not self._pending and n >= self._chunk_size:
                self._put(bytes(data))
            else:
                self._pending += data
                if len(self._pending) >= self._chunk_size:
                    self._send_pending()
            self.bytes_written += n
        return n

    def _send_pending(self) -> None:
        chunk = bytes(self._pending)
        self._pending.clear()
        self._put(chunk)

    def flush(self) -> None:
        """Hand over what was written so far (also done when the producer returns)."""
        if self._pending:
            self._send_pending()

    def _put(self, item: Any) -> None:
        while True:
            if self._aborted.is_set():
                raise PipeAborted()
            try:
                self._q.put(item, timeout=_POLL_S)
                return
            except queue.Full:
                continue

    @property
    def aborted(self) -> bool:
        return self._aborted.is_set()

    def start(self, produce: Callable[[Pipe], None], name: str = "pipe-producer") -> None:
        """Run ``produce(self)`` in a thread; end of data is signalled when it returns."""

        def run() -> None:
            try:
                produce(self)
                self.flush()
            except BaseException as exc:  # handed to the consumer, never lost
                self.producer_error = exc
            finally:
                with contextlib.suppress(PipeAborted):
                    self._put(_EOF)

        self._thread = threading.Thread(target=run, name=name, daemon=True)
        self._thread.start()

    def abort(self) -> None:
        """Stop the producer (idempotent); the consumer calls it when it stops reading."""
        self._aborted.set()

    def join(self) -> None:
        """Abort if the producer is still running, wait for it, and drop what is queued."""
        if self._thread is None:
            return
        if self._thread.is_alive() and not self._eof:
            self.abort()
        while self._thread.is_alive():
            with contextlib.suppress(queue.Empty):
                self._q.get(timeout=_POLL_S)  # unblock a producer stuck on a full queue
            self._thread.join(timeout=_POLL_S)
        self._thread = None

    # --- consumer side ----------------------------------------------------------------

    def readable(self) -> bool:
        return True

    def _next_chunk(self) -> bool:
        while True:
            try:
                item = self._q.get(timeout=_POLL_S)
                break
            except queue.Empty:
                if self._thread is not None and not self._thread.is_alive() and self._q.empty():
                    item = _EOF  # the producer died without signalling (should not happen)
                    break
        if item is _EOF:
            self._eof = True
            if self.producer_error is not None:
                raise ProducerFailed() from self.producer_error
            return False
        self._item = item
        self._buf = memoryview(item)
        if self._meter is not None:
            self._meter.add(len(item))
        return True

    def read(self, n: int = -1) -> bytes:
        try:
            if not self._buf and (self._eof or not self._next_chunk()):
                return b""
            if n is None or n < 0 or n >= len(self._buf):
                # A whole chunk is handed over as it is (bytes are immutable), without a copy.
                out = self._item if len(self._buf) == len(self._item) and isinstance(self._item, bytes) \
                    else bytes(self._buf)
                self._buf = memoryview(b"")
            else:
                out = bytes(self._buf[:n])
                self._buf = self._buf[n:]
            self.bytes_read += len(out)
            return out
        except BaseException as exc:
            # Native callers (pyrage) wrap this; the owner re-raises the original.
            self.consumer_error = exc
            raise

    def readinto(self, buf) -> int:
        data = self.read(len(buf))
        buf[: len(data)] = data
        return len(data)

    def cause(self) -> BaseException | None:
        """The original error behind a failed read: the producer's, else the consumer's."""
        if self.producer_error is not None:
            return self.producer_error
        return self.consumer_error
