"""Start the desktop app: the welcome window first, everything heavy imported when needed.

Only QtCore/QtGui/QtWidgets and the welcome screen load before the first window shows;
the questionnaire core, storage (SQLAlchemy, cryptography) and the main window load when
a workspace is opened, which keeps start-up close to a bare PySide6 window (issue 6).
"""

from __future__ import annotations

import sys
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent / "resources"
DESKTOP_FILE_ID = "ccus-attest"   # ccus-attest.desktop (desktop/integration.py)
# Up to 128 px: title bars, task bars and Alt+Tab need no more, and xcb decodes every size
# into _NET_WM_ICON before the window is shown (the 512 px one alone costs tens of ms).
# The desktop entry's icons (desktop/integration.py) go up to 512 px.
ICON_SIZES = (16, 24, 32, 48, 64, 128)


def app_icon():
    """The app icon from its PNG sizes (PNG is decoded by QtGui itself; SVG would load QtSvg)."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QIcon

    icon = QIcon()
    for size in ICON_SIZES:  # sizes given: nothing is read until a size is drawn
        icon.addFile(str(RESOURCES / f"ccus-attest-{size}.png"), QSize(size, size))
    return icon


def make_application(argv: list[str] | None = None):
    from PySide6.QtWidgets import QApplication

    from .errors import install_excepthook
    from .ui import style

    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("CCUS Attest")
    app.setApplicationDisplayName("CCUS Attest")
    app.setOrganizationName("CCUS Attest")
    app.setWindowIcon(app_icon())
    # Wayland compositors and docks find the icon and name through the desktop entry.
    app.setDesktopFileName(DESKTOP_FILE_ID)
    install_excepthook()
    style.apply(app)
    return app


def run(argv: list[str] | None = None, *, settings_path: str | Path | None = None,
        bundle: Path | None = None) -> int:
    """Start the app; with ``bundle``, the auditor's open dialog follows the welcome window."""
    from PySide6.QtCore import QTimer

    from . import leakguard

    # Before any window: a PySide6 that loses references to None would abort the app in the
    # middle of the user's work (issue 10); refuse now, saying how to fix the installation.
    leakguard.check_at_start()

    from .controller import AppController
    from .launch import install_file_open_handler, install_smoke_test_probe, open_bundle_file
    from .settings import Settings

    app = make_application(argv)
    install_smoke_test_probe(app)
    controller = AppController(Settings(settings_path))
    controller.start()
    install_file_open_handler(app, controller)
    if bundle is not None:
        QTimer.singleShot(0, lambda: open_bundle_file(controller, bundle))
    app.controller = controller  # keep it alive as long as the event loop runs
    from . import heap

    heap.settle()  # the modules and the welcome window: see desktop/heap.py
    return app.exec()
