"""ccus-attest-gui: a bundle given on the command line or by the desktop opens the auditor's
dialog pre-filled; the Linux desktop entry and the bundle MIME type (real Qt widgets, real
freedesktop.org tools)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

from desktop import integration, launch
from desktop.ui.auditor_open import FROM_FILE, OpenBundleDialog

from .conftest import FIXTURES, ROOT
from .desktop_helpers import close_all_errors, shown_errors

VALID = FIXTURES / "bundles" / "valid.zip"


def inspect_open_dialog(seen: dict) -> None:
    """When the modal open dialog is up: note what it shows, then cancel it."""

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, OpenBundleDialog):
            QTimer.singleShot(50, look)
            return
        seen.update(bundle=dialog.bundle.text(), hint=dialog.hint.text(),
                    focus=dialog.focusWidget(), identity=dialog.identity, open_button=dialog.open_button,
                    from_file=dialog.signer.currentData() == FROM_FILE)
        dialog.reject()

    QTimer.singleShot(50, look)


def test_a_bundle_path_opens_the_auditor_dialog_prefilled(qtbot, controller):
    seen: dict = {}
    inspect_open_dialog(seen)
    launch.open_bundle_file(controller, VALID)
    assert seen["bundle"] == str(VALID)
    assert "F5F8308700E61C01" in seen["hint"] and "未検証" in seen["hint"]  # the claimed key, as a hint only
    assert seen["focus"] is seen["identity"]  # the keyboard goes on where input is still missing
    assert not controller.auditors and controller.welcome is not None  # cancelled: nothing opened


def test_a_bundle_path_that_is_not_there_says_so(qtbot, controller, tmp_path):
    missing = tmp_path / "届いていない.zip"
    launch.open_bundle_file(controller, missing)
    errors = shown_errors()
    assert len(errors) == 1 and errors[0].explanation.title == "ファイルを読み書きできません"
    assert str(missing) in errors[0].explanation.detail
    close_all_errors()


def test_macos_file_open_event_takes_the_same_path(qtbot, controller):
    app = QApplication.instance()
    launch.install_file_open_handler(app, controller)
    try:
        seen: dict = {}
        inspect_open_dialog(seen)
        QApplication.sendEvent(app, QFileOpenEvent(str(VALID)))
        qtbot.waitUntil(lambda: "bundle" in seen, timeout=10000)
        assert seen["bundle"] == str(VALID)
    finally:
        app.removeEventFilter(app.file_open_filter)


RUN_WITH_BUNDLE = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from desktop.app import make_application, run
from desktop.ui.auditor_open import OpenBundleDialog

def look():
    app = QApplication.instance()
    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, OpenBundleDialog):
        QTimer.singleShot(50, look)
        return
    print("dialog", dialog.bundle.text(), "welcome-visible", app.controller.welcome.isVisible())
    dialog.reject()
    QTimer.singleShot(0, app.quit)

make_application([sys.argv[0]])  # run() takes this one; timers need it first
QTimer.singleShot(50, look)
sys.exit(run([sys.argv[0]], settings_path=sys.argv[1], bundle=Path(sys.argv[2])))
"""


def test_run_with_a_bundle_shows_the_welcome_window_then_the_dialog(tmp_path):
    """The whole start (desktop.app.run, its own event loop) in a fresh process, as a user starts it."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    proc = subprocess.run([sys.executable, "-c", RUN_WITH_BUNDLE, str(tmp_path / "settings.ini"), str(VALID)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"dialog {VALID} welcome-visible True" in proc.stdout.splitlines()


def test_command_line_arguments():
    args, qt = launch.parse(["-platform", "offscreen", "-reverse", "bundle.zip"])
    assert args.bundle == "bundle.zip" and qt == ["-platform", "offscreen", "-reverse"]
    args, qt = launch.parse([])
    assert args.bundle is None and qt == [] and not args.install_desktop_entry
    with pytest.raises(SystemExit) as stop:
        launch.parse(["--install-desktop-entry", "--uninstall-desktop-entry"])
    assert stop.value.code == 2


def test_frozen_launcher_picks_the_program_by_its_name():
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        from launcher import program_name
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    assert program_name("/opt/ccus-attest/ccus-attest-gui") == "ccus-attest-gui"
    assert program_name(r"C:\Program Files\CCUS Attest\CCUS-Attest-GUI.EXE".replace("\\", "/")) == \
        "ccus-attest-gui"
    assert program_name("ccus-attest") == "ccus-attest"


# --- Linux desktop integration ---------------------------------------------------------------------

def test_exec_arguments_are_quoted_as_the_desktop_entry_spec_says():
    assert integration.exec_quote("/usr/bin/ccus-attest-gui") == "/usr/bin/ccus-attest-gui"
    assert integration.exec_quote("/opt/CCUS Attest/ccus-attest-gui") == '"/opt/CCUS Attest/ccus-attest-gui"'
    # inside quotes `"`, `` ` ``, `$` and `\` get a backslash, and every backslash is doubled
    # again by the string-value escaping
    assert integration.exec_quote('/opt/a$b/x"y') == '"/opt/a\\\\$b/x\\\\"y"'


def mime_of(root: Path, *files: Path) -> list[str]:
    """The MIME type Qt's QMimeDatabase gives each file, with ``root`` as XDG_DATA_HOME."""
    code = ("import sys\nfrom PySide6.QtCore import QMimeDatabase\ndb = QMimeDatabase()\n"
            "for f in sys.argv[1:]: print(db.mimeTypeForFile(f).name())\n")
    env = {**os.environ, "XDG_DATA_HOME": str(root)}
    proc = subprocess.run([sys.executable, "-c", code, *map(str, files)], env=env, capture_output=True,
                          text=True, timeout=60, check=True)
    return proc.stdout.split()


@pytest.fixture
def some_zips(tmp_path) -> tuple[Path, Path]:
    other = tmp_path / "photos.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("README.txt", "not a bundle")
    empty = tmp_path / "empty.zip"
    empty.write_bytes(b"")
    return other, empty


def test_desktop_entry_mime_type_and_icons_install_and_uninstall(tmp_path, some_zips):
    if shutil.which("update-mime-database") is None:
        pytest.fail("shared-mime-info is missing: ./run-tests.sh installs it (scripts/bootstrap.sh)")
    root = tmp_path / "share"
    command = Path("/opt/CCUS Attest/ccus-attest-gui")
    result = integration.install(root, command)
    entry = root / "applications" / "ccus-attest.desktop"
    text = entry.read_text(encoding="utf-8")
    assert 'Exec="/opt/CCUS Attest/ccus-attest-gui" %f' in text.splitlines()
    assert "MimeType=application/x-ccus-attest-bundle;" in text.splitlines()
    if shutil.which("desktop-file-validate"):
        proc = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True,
                              check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    hicolor = root / "icons" / "hicolor"
    assert (hicolor / "256x256" / "apps" / "ccus-attest.png").is_file()
    assert (hicolor / "48x48" / "mimetypes" / "application-x-ccus-attest-bundle.png").is_file()
    assert (root / "mime" / "mime.cache").is_file() and not any("failed" in n for n in result.notes)
    # bundles are told from other ZIPs by their content
    other, empty = some_zips
    assert mime_of(root, VALID, FIXTURES / "bundles" / "wrong-signer.zip", other, empty) == [
        "application/x-ccus-attest-bundle", "application/x-ccus-attest-bundle", "application/zip",
        "application/zip"]
    if shutil.which("gio"):  # GLib: what GNOME's file manager asks
        env = {**os.environ, "XDG_DATA_HOME": str(root)}
        out = subprocess.run(["gio", "info", "-a", "standard::content-type", str(VALID), str(other)], env=env,
                             capture_output=True, text=True, timeout=60, check=True).stdout
        assert [ln.split(": ")[1] for ln in out.splitlines() if "content-type" in ln] == [
            "application/x-ccus-attest-bundle", "application/zip"]
    mimeapps = (root / "applications" / "mimeinfo.cache")
    if mimeapps.exists():  # update-desktop-database ran
        assert "application/x-ccus-attest-bundle=ccus-attest.desktop;" in mimeapps.read_text()
    removed = integration.uninstall(root)
    assert set(removed.removed) == set(result.written)
    assert not [p for p in root.rglob("*ccus-attest*") if p.is_file() and "mime/" not in p.as_posix()]
    assert mime_of(root, VALID) == ["application/zip"]  # the type is gone with the entry
