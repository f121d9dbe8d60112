"""Start the desktop app."""

from __future__ import annotations

import sys


def run(argv: list[str] | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("CCUS Attest")
    window = QMainWindow()
    window.setWindowTitle("CCUS Attest")
    window.setCentralWidget(QLabel("CCUS Attest — 準備中 / coming soon"))
    window.resize(800, 600)
    window.show()
    return app.exec()
