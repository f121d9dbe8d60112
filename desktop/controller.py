"""The application's flow: welcome screen → open workspace → main window → back, and language."""

from __future__ import annotations

import contextlib
import importlib
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from . import heap, i18n
from .settings import LANGUAGE, Settings
from .tasks import Task

if TYPE_CHECKING:
    from storage import KdfParams, Workspace

    from .auditor_session import Opened
    from .session import Prepared, WorkspaceSession
    from .ui.auditor_window import AuditorWindow
    from .ui.create_dialog import CreateRequest
    from .ui.main_window import MainWindow
    from .ui.register_window import RegisterWindow
    from .ui.welcome import WelcomeWindow


@contextlib.contextmanager
def _window_modules_loaded():
    """Import the main window's modules in a thread of their own while the body runs (the KDF,
    which leaves the GIL free): importing them on the UI thread after the unlock froze the
    window for ~0.4 s (issue 10). A failure here is left for the UI thread's own import to
    report."""

    def load() -> None:
        with contextlib.suppress(Exception):
            importlib.import_module("desktop.ui.main_window")

    loader = threading.Thread(target=load, name="preload-main-window", daemon=True)
    loader.start()
    try:
        yield
    finally:
        loader.join()


class AppController(QObject):
    """Owns the top-level windows. ``kdf`` lets tests create workspaces with light Argon2id."""

    def __init__(self, settings: Settings, *, kdf: KdfParams | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.kdf = kdf
        self.welcome: WelcomeWindow | None = None
        self.main: MainWindow | None = None
        self.session: WorkspaceSession | None = None
        self.auditors: list[AuditorWindow] = []  # one window per opened bundle
        self.register: RegisterWindow | None = None

    def start(self) -> None:
        lang = self.settings.get(LANGUAGE) or i18n.system_language()
        self.settings.set(LANGUAGE, i18n.install(lang))
        self.show_welcome()

    # --- windows ------------------------------------------------------------------------

    def show_welcome(self) -> WelcomeWindow:
        from .ui.welcome import WelcomeWindow

        self.welcome = WelcomeWindow(self)
        self.welcome.show()
        return self.welcome

    def workspace_opened(self, ws: Workspace | Prepared) -> MainWindow:
        """Show the main window for a workspace the worker opened (and prepared: ``open_task``)."""
        from .session import WorkspaceSession
        from .ui.main_window import MainWindow

        self.session = WorkspaceSession(ws)
        self.settings.remember_workspace(self.session.path)
        self.main = MainWindow(self, self.session)
        self.main.show()
        if self.welcome is not None:
            self.welcome.close()
            self.welcome.deleteLater()
            self.welcome = None
        heap.settle()
        return self.main

    def workspace_closed(self) -> None:
        """Called by the main window after it stored everything and closed the session."""
        self.main = None
        self.session = None
        QTimer.singleShot(0, heap.release)  # the window's objects, once Qt deleted it

    # --- the auditor's side ----------------------------------------------------------------

    def open_bundle(self, parent=None, bundle: Path | None = None) -> AuditorWindow | None:
        """Ask for a bundle (``bundle`` pre-filled: a file the user opened with the app), its
        identity and the vendor's key; verify, open, show read-only."""
        from .ui.auditor_open import OpenBundleDialog

        chosen = (OpenBundleDialog.ask(parent, self.settings) if bundle is None
                  else OpenBundleDialog.ask(parent, self.settings, bundle=bundle))
        if chosen is None:
            return None
        return self.bundle_opened(*chosen)

    def bundle_opened(self, opened: Opened, note: str = "") -> AuditorWindow:
        from .auditor_session import AuditorSession
        from .ui.auditor_window import AuditorWindow

        window = AuditorWindow(self, AuditorSession(opened), note)
        self.auditors.append(window)
        window.show()
        if self.welcome is not None:
            self.welcome.close()
            self.welcome.deleteLater()
            self.welcome = None
        return window

    def auditor_closed(self, window: AuditorWindow) -> None:
        if window in self.auditors:
            self.auditors.remove(window)
        if not self.auditors and self.main is None and self.welcome is None and self.register is None:
            self.show_welcome()

    def open_register(self) -> RegisterWindow:
        """The auditor's home, 登録簿 (one window)."""
        from .ui.register_window import RegisterWindow

        if self.register is None:
            self.register = RegisterWindow(self)
        self.register.show()
        self.register.raise_()
        self.register.activateWindow()
        if self.welcome is not None:
            self.welcome.close()
            self.welcome.deleteLater()
            self.welcome = None
        return self.register

    def register_closed(self, window: RegisterWindow) -> None:
        if window is self.register:
            self.register = None
        if not self.auditors and self.main is None and self.welcome is None:
            self.show_welcome()

    def close_workspace(self) -> None:
        if self.main is not None:
            self.main.close()  # commits pending edits, closes the session, calls workspace_closed
        if self.main is None and self.welcome is None:
            self.show_welcome()

    # --- work ------------------------------------------------------------------------------

    def open_task(self, path: Path, passphrase: str) -> Task:
        """Open in the worker: the KDF, then what the window shows first (``session.prepare``)."""

        def work(_progress, _cancel):
            from storage import Workspace

            from .session import prepare

            with _window_modules_loaded():
                ws = Workspace.open(path, passphrase)
            return prepare(ws)

        return Task(work)

    def create_task(self, request: CreateRequest) -> Task:
        kdf = self.kdf

        def work(_progress, _cancel):
            from storage import Workspace

            from .session import prepare

            with _window_modules_loaded():
                ws = Workspace.create(request.folder, request.passphrase, vendor=request.vendor, kdf=kdf)
            return prepare(ws)

        return Task(work)

    # --- language ----------------------------------------------------------------------------

    def set_language(self, lang: str) -> None:
        """Switch the UI language now: windows are rebuilt in place, keeping where the user was."""
        if lang == i18n.current():
            return
        self.settings.set(LANGUAGE, i18n.install(lang))
        if self.main is not None:
            from .ui.main_window import MainWindow

            old = self.main
            position = old.position()
            geometry = old.saveGeometry()
            old.detach()
            self.main = MainWindow(self, self.session)
            self.main.restoreGeometry(geometry)
            self.main.restore_position(position)
            self.main.show()
            old.deleteLater()
        for i, old_auditor in enumerate(list(self.auditors)):
            from .ui.auditor_window import AuditorWindow

            geometry = old_auditor.saveGeometry()
            old_auditor.detach()
            window = AuditorWindow(self, old_auditor.session, old_auditor.note)
            window.restoreGeometry(geometry)
            window.show()
            self.auditors[i] = window
            old_auditor.deleteLater()
        if self.register is not None:
            from .ui.register_window import RegisterWindow

            old_register, geometry = self.register, self.register.saveGeometry()
            old_register.hide()
            self.register = RegisterWindow(self)
            self.register.restoreGeometry(geometry)
            self.register.show()
            old_register.deleteLater()
        if self.welcome is not None:
            old_welcome = self.welcome
            self.welcome = None
            old_welcome.close()
            old_welcome.deleteLater()
            self.show_welcome()
