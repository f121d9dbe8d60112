"""Entry point: no arguments starts the desktop app; otherwise a headless command."""

from __future__ import annotations

import argparse
import importlib
import locale
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from types import ModuleType

PROG = "ccus-attest"
# Each module contributes its subcommands through register(subparsers). Only the module of
# the command being run is imported: they pull in storage (SQLAlchemy, cryptography) and the
# bundle code (pyrage, minisign), which `--help`, `template` and the desktop app's first
# window do not need (issue 10; start-up is measured by bench/bench_startup.py and
# bench/bench_ui.py). The other commands appear in `--help` from this table, which
# tests/test_cli_lazy.py keeps equal to what the modules register.
COMMAND_MODULE_NAMES = ("template_cmds", "workspace_cmds", "report_cmds", "bundle_cmds", "check_cmds",
                        "register_cmds")
COMMANDS: dict[str, tuple[str, str]] = {  # command -> (module, help)
    "init": ("workspace_cmds", "create a new encrypted workspace"),
    "template": ("template_cmds", "print the questionnaire template"),
    "answer": ("workspace_cmds", "answer one item"),
    "import-answers": ("workspace_cmds", "import answers from a JSON file (all or nothing)"),
    "attach": ("workspace_cmds", "attach an evidence file to an item"),
    "evidence": ("workspace_cmds", "list attached evidence"),
    "detach": ("workspace_cmds", "remove an evidence file"),
    "extract": ("workspace_cmds", "save a decrypted copy of an evidence file"),
    "status": ("workspace_cmds", "completeness per section, blocking problems, evidence expiry"),
    "passwd": ("workspace_cmds", "change the workspace passphrase"),
    "vendor": ("workspace_cmds", "show or set the vendor name"),
    "log": ("workspace_cmds", "show the activity log and check its hash chain"),
    "checklist": ("report_cmds", "write the Excel checklist (with reviewer columns)"),
    "report": ("report_cmds", "write the PDF report"),
    "import-review": ("report_cmds", "read the reviewer columns of a reviewed checklist back"),
    "keygen": ("bundle_cmds", "create a signing key (vendor) or a recipient key (auditor)"),
    "export": ("bundle_cmds", "write a signed, encrypted submission bundle"),
    "verify": ("bundle_cmds", "check a bundle's signatures and judge its contents"),
    "open": ("bundle_cmds", "verify a bundle, then extract it into a new or empty folder"),
    "check": ("check_cmds", "verify every record, evidence file, the activity log and the backups"),
    "backups": ("check_cmds", "list the workspace's automatic backups"),
    "restore": ("check_cmds", "restore a backup (the current state is kept as a backup)"),
    "register": ("register_cmds", "the auditor's register of every vendor's submissions"),
}


def command_module(name: str) -> ModuleType:
    return importlib.import_module(f"{__package__}.{name}")


def command_modules() -> list[ModuleType]:
    return [command_module(name) for name in COMMAND_MODULE_NAMES]


def __getattr__(name: str):
    if name == "COMMAND_MODULES":  # the list of modules, as before (imports them)
        return command_modules()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def command_in(argv: Sequence[str]) -> str | None:
    """The subcommand named in ``argv`` (the first word that is not a global option)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--lang":
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None

log = logging.getLogger("ccus_attest")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not usage + message
        sys.stderr.write(f"{self.prog}: error: {message} (see --help)\n")
        raise SystemExit(2)


def _default_lang() -> str:
    """Japanese when the locale for messages is Japanese (POSIX order: LC_ALL, LC_MESSAGES, LANG)."""
    code = (os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG")
            or (locale.getlocale()[0] or ""))
    return "ja" if code.lower().startswith("ja") else "en"


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; only ``command``'s module is imported (the others are listed by name)."""
    parser = _Parser(prog=PROG, description="CCUS Attest — 個人情報・機密情報管理運用状況調査票 "
                     "workbench. Without a command, starts the desktop app.")
    parser.add_argument("--lang", choices=("ja", "en"), default=_default_lang(),
                        help="language of printed texts (default: from the locale)")
    from .version import VersionAction

    parser.add_argument("--version", action=VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    wanted = COMMANDS[command][0] if command in COMMANDS else None
    for name, (module_name, help_text) in COMMANDS.items():
        if module_name == wanted:
            if name not in sub.choices:
                command_module(module_name).register(sub)
        else:
            sub.add_parser(name, help=help_text)
    return parser


def _write_crash_log() -> str | None:
    from storage.paths import log_dir

    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "cli-errors.log"
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(traceback.format_exc() + "\n")
        return str(path)
    except OSError:
        return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        from desktop.app import run

        return run()
    command = command_in(argv)
    args = build_parser(command).parse_args(argv)
    if not getattr(args, "func", None):
        build_parser().print_help(sys.stderr)
        return 2
    try:
        from .outputs import output_parent

        with output_parent(args):
            return args.func(args)
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: {'中断しました' if args.lang == 'ja' else 'interrupted'}\n")
        return 130
    except Exception as exc:
        return _report(exc, args)


def _report(exc: Exception, args: argparse.Namespace | None = None) -> int:
    """One line on stderr for an error, in the chosen language; the exit code."""
    lang = getattr(args, "lang", None) or "en"
    ja = lang == "ja"
    label = "エラー" if ja else "error"
    # A full disk, read-only media, a drive gone: said in the user's language, with an exit
    # code of its own (cli/machine_faults.py). Looked for only where one can be: the command
    # used the core, or the error is the operating system's.
    if args is not None and ("storage.faults" in sys.modules or isinstance(exc, OSError)):
        from .machine_faults import as_fault

        fault = as_fault(exc, args)
        if fault is not None:
            sys.stderr.write(f"{PROG}: {label}: {fault.message(lang)}\n")
            return fault.exit_code
    # The core's errors are checked without importing the core: a command that never
    # imported it (`template` from its cache) cannot have raised one of them.
    errors = sys.modules.get("questionnaire.errors")
    if errors is not None and isinstance(exc, errors.AttestError):
        from .messages import error_message

        sys.stderr.write(f"{PROG}: {label}: {error_message(exc, lang)}\n")
        return 1
    if isinstance(exc, BrokenPipeError):
        return 1
    if isinstance(exc, MemoryError):
        sys.stderr.write(f"{PROG}: {label}: {'メモリが足りません' if ja else 'out of memory'}\n")
        return 1
    if isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        sys.stderr.write(f"{PROG}: {label}:{where} {exc.strerror or exc}\n")
        return 1
    # last resort: never a traceback on the terminal
    path = _write_crash_log()
    hint = f"; details in {path}" if path else ""
    sys.stderr.write(f"{PROG}: internal error: {type(exc).__name__}: {exc}{hint}\n")
    return 70


if __name__ == "__main__":
    sys.exit(main())
