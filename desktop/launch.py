"""``ccus-attest-gui``: the desktop app's launcher, and what opening a bundle file runs.

    ccus-attest-gui                 the welcome window
    ccus-attest-gui BUNDLE.zip      the welcome window, then the auditor's open dialog with
                                    BUNDLE filled in (the desktop entry's MIME association on
                                    Linux, the file associations on Windows and macOS)
    ccus-attest-gui --version

It is a *gui-script*: on Windows it opens no console window (so ``--version`` prints
nothing there; ``ccus-attest --version`` does). On macOS, Finder hands a double-clicked
file to a running app as a ``QFileOpenEvent``, not as an argument; it takes the same path.
Arguments Qt understands (``-platform``, ``-style``…) are passed on to Qt.

``CCUS_ATTEST_SMOKE_TEST=1`` makes the app print ``first-window <monotonic time> <title>``
when its first window is exposed and then quit: the packaging tests and the start-up
benchmark use it for the self-contained build, whose Python cannot be probed from outside.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

SMOKE_TEST_ENV = "CCUS_ATTEST_SMOKE_TEST"
PROG = "ccus-attest-gui"
# Qt's own command-line options that take a value (QGuiApplication/QApplication docs).
QT_VALUE_OPTIONS = frozenset({"-platform", "-platformpluginpath", "-platformtheme", "-plugin", "-style",
                              "-stylesheet", "-session", "-display", "-geometry", "-name", "-title",
                              "-qwindowgeometry", "-qwindowicon", "-qwindowtitle", "-qmljsdebugger"})


def split_qt_args(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """(ours, Qt's): single-dash options go to Qt, with the value of those that take one."""
    ours: list[str] = []
    qt: list[str] = []
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg.startswith("-") and not arg.startswith("--") and arg not in ("-h", "-"):
            takes_value = arg in QT_VALUE_OPTIONS and i + 1 < len(args)
            qt.extend(args[i:i + 2] if takes_value else [arg])
            i += 2 if takes_value else 1
        else:
            ours.append(arg)
            i += 1
    return ours, qt


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, as the CLI says it
        if sys.stderr is not None:
            sys.stderr.write(f"{self.prog}: error: {message} (see --help)\n")
        raise SystemExit(2)


def parse(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    """Our arguments, and the rest for Qt (``-platform offscreen``, ``-style fusion``…)."""
    from cli.version import VersionAction

    parser = _Parser(
        prog=PROG, description="CCUS Attest — the desktop app. With a submission bundle (.zip), "
        "opens it in the auditor's open dialog.")
    parser.add_argument("bundle", nargs="?", metavar="BUNDLE.zip",
                        help="a submission bundle to verify and open as the auditor")
    parser.add_argument("--version", action=VersionAction)
    desktop = parser.add_mutually_exclusive_group()
    desktop.add_argument("--install-desktop-entry", action="store_true",
                         help="Linux: add the app to the desktop's menu, with its icon, and open "
                         "submission bundles with it (per user, under ~/.local/share)")
    desktop.add_argument("--uninstall-desktop-entry", action="store_true",
                         help="Linux: remove what --install-desktop-entry added")
    ours, qt = split_qt_args(argv)
    return parser.parse_args(ours), qt


def desktop_entry(install: bool) -> int:
    from . import integration

    if not sys.platform.startswith("linux"):
        sys.stderr.write(f"{PROG}: error: desktop entries are for Linux desktops; on Windows and macOS the "
                         "installer registers the app (packaging/README.md)\n")
        return 2
    try:
        result = integration.install() if install else integration.uninstall()
    except (integration.IntegrationError, OSError) as exc:
        sys.stderr.write(f"{PROG}: error: {exc}\n")
        return 1
    for path in result.written:
        print(f"wrote {path}")
    for path in result.removed:
        print(f"removed {path}")
    for note in result.notes:
        print(f"note: {note}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args, qt_args = parse(sys.argv[1:] if argv is None else argv)
    if args.install_desktop_entry or args.uninstall_desktop_entry:
        return desktop_entry(args.install_desktop_entry)
    bundle = Path(args.bundle).expanduser().absolute() if args.bundle else None
    from .app import run

    return run([sys.argv[0], *qt_args], bundle=bundle)


def open_bundle_file(controller, path: Path) -> None:
    """Show the auditor's open dialog with ``path`` filled in (or say it is not there)."""
    from .errors import ErrorDialog

    parent = controller.welcome or (controller.auditors[-1] if controller.auditors else controller.main)
    if not path.is_file():
        ErrorDialog.show_error(parent, FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(path)))
        return
    controller.open_bundle(parent, bundle=path)


def install_file_open_handler(app, controller) -> None:
    """macOS: a bundle double-clicked in Finder arrives as a QFileOpenEvent."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FileOpenFilter(QObject):
        def eventFilter(self, obj, event) -> bool:
            if event.type() == QEvent.Type.FileOpen and event.file():
                path = Path(event.file())
                QTimer.singleShot(0, lambda: open_bundle_file(controller, path))
                return True
            return False

    app.file_open_filter = FileOpenFilter(app)
    app.installEventFilter(app.file_open_filter)


def install_smoke_test_probe(app) -> None:
    if os.environ.get(SMOKE_TEST_ENV) != "1":
        return
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtGui import QWindow

    class FirstExpose(QObject):
        done = False

        def eventFilter(self, obj, event) -> bool:
            if not self.done and event.type() == QEvent.Type.Expose and isinstance(obj, QWindow):
                self.done = True
                if sys.stdout is not None:
                    sys.stdout.write(f"first-window {time.monotonic():.6f} {obj.title()}\n")
                    sys.stdout.flush()
                QTimer.singleShot(0, app.quit)
            return False

    app.smoke_test_probe = FirstExpose(app)
    app.installEventFilter(app.smoke_test_probe)


if __name__ == "__main__":
    sys.exit(main())
