"""Start the desktop app: the welcome window first, everything heavy imported when needed.

Only QtCore/QtGui/QtWidgets and the welcome screen load before the first window shows;
the questionnaire core, storage (SQLAlchemy, cryptography) and the main window load when
a workspace is opened, which keeps start-up close to a bare PySide6 window (issue 6).
"""

from __future__ import annotations

import sys
from pathlib import Path


def make_application(argv: list[str] | None = None):
    from PySide6.QtWidgets import QApplication

    from .errors import install_excepthook
    from .ui import style

    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("CCUS Attest")
    app.setApplicationDisplayName("CCUS Attest")
    app.setOrganizationName("CCUS Attest")
    install_excepthook()
    style.apply(app)
    return app


def run(argv: list[str] | None = None, *, settings_path: str | Path | None = None) -> int:
    from . import leakguard

    # Before any window: a PySide6 that loses references to None would abort the app in the
    # middle of the user's work (issue 10); refuse now, saying how to fix the installation.
    leakguard.check_at_start()

    from .controller import AppController
    from .settings import Settings

    app = make_application(argv)
    controller = AppController(Settings(settings_path))
    controller.start()
    app.controller = controller  # keep it alive as long as the event loop runs
    from . import heap

    heap.settle()  # the modules and the welcome window: see desktop/heap.py
    return app.exec()
