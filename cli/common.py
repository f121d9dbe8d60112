"""Helpers shared by the command modules."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from typing import Any

from storage import Workspace

from .passphrase import get_passphrase


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


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def lang(args: argparse.Namespace) -> str:
    return getattr(args, "lang", "en")

