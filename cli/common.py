"""Helpers shared by the command modules."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
from collections.abc import Iterator
from typing import Any

from storage import Workspace

from .passphrase import get_passphrase

# A failed automatic backup is told to the user by machine_faults.warn, in their language;
# without a handler, logging's last resort would print the core's English log line as well.
logging.getLogger("ccus_attest").addHandler(logging.NullHandler())


def add_workspace_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("workspace", metavar="WORKSPACE", help="workspace folder")
    p.add_argument("--passphrase-file", metavar="FILE",
                   help="read the passphrase from the first line of FILE "
                        "(default: $CCUS_ATTEST_PASSPHRASE, else a prompt)")


@contextlib.contextmanager
def open_workspace(args: argparse.Namespace) -> Iterator[Workspace]:
    passphrase = get_passphrase(args.passphrase_file)
    with Workspace.open(args.workspace, passphrase) as ws:
        yield ws
    fault = ws.backup_fault  # the change is saved; its automatic backup (on close) may not be
    if fault is not None:
        from .machine_faults import warn

        warn(fault, lang(args))


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def lang(args: argparse.Namespace) -> str:
    return getattr(args, "lang", "en")

