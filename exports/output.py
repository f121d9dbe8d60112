"""Where an export goes: a path (written atomically) or a binary file object (streamed)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from storage.fsutil import atomic_write

Output = str | os.PathLike | BinaryIO


@contextlib.contextmanager
def output_stream(out: Output) -> Iterator[BinaryIO]:
    """Yield something to write to. A path is written beside itself and renamed into place
    only when the writer finished, so a failed export never leaves a half-written file.
    (The CLI refuses existing files itself; a caller passing a path means to replace it.)"""
    if hasattr(out, "write"):
        yield out  # type: ignore[misc]
        return
    with atomic_write(Path(out), overwrite=True) as fh:
        yield fh
