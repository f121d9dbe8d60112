"""Progress reporting and cancellation shared by long operations (attach, export, verify)."""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from .errors import Cancelled

# progress(done_bytes, total_bytes); total is 0 when unknown
ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


def raise_if_interrupted(exc: BaseException) -> None:
    """pyrage turns a Ctrl-C that arrives while its native code runs into its own error type
    ("KeyboardInterrupt: "); give it back its meaning so the caller stops and cleans up."""
    if str(exc).startswith("KeyboardInterrupt"):
        raise KeyboardInterrupt from None


class Meter:
    """Counts bytes, calls the progress callback at most every ``step`` bytes, raises on cancel."""

    __slots__ = ("_cancel", "_next", "_progress", "done", "step", "total")

    def __init__(self, total: int = 0, progress: ProgressFn | None = None,
                 cancel: CancelFn | None = None, step: int = 1 << 20) -> None:
        self.total = total
        self.done = 0
        self.step = step
        self._next = step
        self._progress = progress
        self._cancel = cancel

    def add(self, n: int) -> None:
        self.done += n
        if self.done >= self._next:
            self._next = self.done + self.step
            self.tick()

    def tick(self) -> None:
        if self._cancel is not None and self._cancel():
            raise Cancelled()
        if self._progress is not None:
            self._progress(self.done, self.total)


class MeteredReader:
    """A readable wrapper that feeds every chunk to hashers and a Meter.

    Native code calling ``read`` (pyrage) wraps our exceptions in its own;
    ``error`` keeps the original so the caller can re-raise it (e.g. Cancelled).
    """

    def __init__(self, raw: BinaryIO, meter: Meter, hashers: tuple = ()) -> None:
        self._raw = raw
        self._meter = meter
        self._hashers = hashers
        self.error: BaseException | None = None

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        try:
            data = self._raw.read(n)
            if data:
                for h in self._hashers:
                    h.update(data)
                self._meter.add(len(data))
        except BaseException as exc:
            self.error = exc
            raise
        return data

    def readinto(self, buf) -> int:
        data = self.read(len(buf))
        buf[: len(data)] = data
        return len(data)
