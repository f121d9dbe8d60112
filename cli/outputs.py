"""Where a command writes: the folders above ``--out`` are made when missing.

Kept apart from cli/common.py (which loads storage) so that every command can use it
without slowing `template` and `--help` (issue 10).
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def output_parent(args: argparse.Namespace) -> Iterator[None]:
    """Create the missing folders above ``--out`` (FILE, PREFIX or DIR) before the command runs.

    The user named the place explicitly, so a missing folder is made rather than refused.
    If the command then fails, the folders made here are removed again (when still empty):
    a failed command leaves nothing behind.
    """
    out = getattr(args, "out", None)
    if not out:
        yield
        return
    parent = Path(out).expanduser().absolute().parent
    missing = []
    for folder in (parent, *parent.parents):
        if folder.exists():
            break
        missing.append(folder)
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from .messages import CliError

        _remove_empty(missing)
        raise CliError(f"cannot create the folder {parent}: {exc.strerror or exc}",
                       f"フォルダー {parent} を作成できません: {exc.strerror or exc}") from None
    try:
        yield
    except BaseException:
        _remove_empty(missing)
        raise


def _remove_empty(folders: list[Path]) -> None:
    for folder in folders:  # deepest first
        try:
            folder.rmdir()
        except OSError:
            return
