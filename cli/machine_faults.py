"""The CLI's side of storage/faults.py: a machine fault becomes one stderr line in the chosen
language (``--lang``) and an exit code by kind, whatever layer it came from.

The core raises ``MachineFault`` where it knows what was being saved. What it raises from
deeper down (an OSError wrapped by code that predates the mapping, or by native code) is
found in the exception's chain here and said with what the command was doing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from storage import faults
from storage.faults import Action, MachineFault


def command_action(args: argparse.Namespace) -> Action:
    """What the command would have saved, for a fault its core call did not name."""
    cmd = args.command

    def get(name: str):
        return getattr(args, name, None)

    if cmd == "init":
        return faults.create_action(get("workspace"))
    if cmd == "answer":
        return faults.answer_action(get("item"))
    if cmd == "import-answers":
        return faults.answers_action()
    if cmd == "attach":
        return faults.attach_action(Path(get("file")).name, get("item"))
    if cmd == "detach":
        return faults.evidence_change_action()
    if cmd == "extract":
        return faults.copy_action(get("out"))
    if cmd == "passwd":
        return faults.passphrase_action()
    if cmd == "vendor" and get("name") is not None:
        return faults.vendor_action()
    if cmd == "export":
        return faults.export_action(get("out"))
    if cmd in ("checklist", "report"):
        return faults.document_action(cmd, get("out"))
    if cmd == "import-review" and not get("dry_run"):
        return faults.review_action()
    if cmd == "open":
        return faults.open_bundle_action(get("out"))
    if cmd == "restore":
        return faults.restore_action(Path(str(get("backup"))).name)
    if cmd == "check":
        return faults.repair_action() if get("repair") else faults.check_action()
    if cmd == "keygen":
        return faults.keys_action(get("out"))
    return faults.read_action()


def command_folder(args: argparse.Namespace) -> Path | None:
    """Where the command writes (or reads, for commands that only read)."""
    out = getattr(args, "out", None)
    if out is not None:
        path = Path(out).absolute()
        return path if args.command == "open" else path.parent
    workspace = getattr(args, "workspace", None)
    if workspace is not None:
        return Path(workspace).absolute()
    # A bundle FILE: the folder holding it (a missing file is not a drive that went away).
    file = getattr(args, "file", None)
    return Path(file).absolute().parent if file is not None else None


def _for_command(fault: MachineFault, args: argparse.Namespace) -> MachineFault:
    action = command_action(args)
    # "The workspace was not opened" (or "nothing was changed", from a read deep inside) is
    # true but says less than "the answer to X was not saved" when the command was there to
    # save something.
    vague = fault.action is None or fault.action.key in ("open", "read")
    if vague and action.key not in ("read", "check"):
        return fault.doing(action)
    return fault


def as_fault(exc: BaseException, args: argparse.Namespace) -> MachineFault | None:
    """The machine fault behind what the command raised, said with what the command was
    doing; None when it was not one."""
    if isinstance(exc, MachineFault):
        return _for_command(exc, args)
    fault = faults.find_fault(exc, command_folder(args), command_action(args))
    return _for_command(fault, args) if fault is not None else None


def warn(fault: MachineFault, lang: str) -> None:
    """A fault that did not stop the command (the change was saved, its backup was not)."""
    label = "警告" if lang == "ja" else "warning"  # as errors say エラー in Japanese (cli/main.py)
    sys.stderr.write(f"ccus-attest: {label}: {fault.message(lang)}\n")
