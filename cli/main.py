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
# Each module contributes its subcommands through register(subparsers). They are imported
# when a command runs, not when `python main.py` starts the desktop app: they pull in
# storage (SQLAlchemy, cryptography) and the bundle code (pyrage, minisign), which the
# first window does not need (start-up is measured by bench/bench_startup.py).
COMMAND_MODULE_NAMES = ("workspace_cmds", "report_cmds", "bundle_cmds", "check_cmds")


def command_modules() -> list[ModuleType]:
    return [importlib.import_module(f"{__package__}.{name}") for name in COMMAND_MODULE_NAMES]


def __getattr__(name: str):
    if name == "COMMAND_MODULES":  # the list of modules, as before (imports them)
        return command_modules()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

log = logging.getLogger("ccus_attest")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not usage + message
        sys.stderr.write(f"{self.prog}: error: {message} (see --help)\n")
        raise SystemExit(2)


def _default_lang() -> str:
    code = os.environ.get("LC_ALL") or os.environ.get("LANG") or (locale.getlocale()[0] or "")
    return "ja" if code.lower().startswith("ja") else "en"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="CCUS Attest — 個人情報・機密情報管理運用状況調査票 "
                     "workbench. Without a command, starts the desktop app.")
    parser.add_argument("--lang", choices=("ja", "en"), default=_default_lang(),
                        help="language of printed texts (default: from the locale)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in command_modules():
        module.register(sub)
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
    from questionnaire.errors import AttestError
    from storage.faults import MachineFault

    from .machine_faults import run_command

    args = build_parser().parse_args(argv)
    if not getattr(args, "func", None):
        build_parser().print_help(sys.stderr)
        return 2
    try:
        return run_command(args)  # a full disk, read-only media, a drive gone: see machine_faults.py
    except MachineFault as exc:
        sys.stderr.write(f"{PROG}: error: {exc.message(args.lang)}\n")
        return exc.exit_code
    except AttestError as exc:
        sys.stderr.write(f"{PROG}: error: {exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return 130
    except BrokenPipeError:
        return 1
    except MemoryError:
        sys.stderr.write(f"{PROG}: error: out of memory\n")
        return 1
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        sys.stderr.write(f"{PROG}: error:{where} {exc.strerror or exc}\n")
        return 1
    except Exception as exc:  # last resort: never a traceback on the terminal
        path = _write_crash_log()
        hint = f"; details in {path}" if path else ""
        sys.stderr.write(f"{PROG}: internal error: {type(exc).__name__}: {exc}{hint}\n")
        return 70


if __name__ == "__main__":
    sys.exit(main())
