"""Walk through every window and dialog of the desktop app and photograph the whole screen.

    .venv/bin/python scripts/screen_tour.py --lang ja --size 1366x768 --out /tmp/tour
    .venv/bin/python scripts/screen_tour.py --all --out /tmp/tour   # both languages, 1366x768 + 1440x900
    .venv/bin/python scripts/screen_tour.py --scale 1.25 --out /tmp/tour   # 125 % display scaling

Each run starts a virtual X screen of the given size (xvfb-run), builds the demo workspace
that scripts/screenshots.py uses (in a temporary folder: nothing of the user's is touched),
opens the real windows and dialogs one after another (modal ones are photographed while
they run) and saves ``import -window root`` PNGs, so what is seen is what a user at that
screen size sees: a window taller than the screen is cut off here too. ``windows.txt``
beside the PNGs lists each shot's visible windows with their titles and sizes (there is no
window manager to draw title bars), and marks any window that does not fit the screen.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "demo passphrase for screenshots"
SIZES = ("1366x768", "1440x900")


class Tour:
    def __init__(self, out: Path, lang: str) -> None:
        self.out = out
        self.lang = lang
        self.log: list[str] = []
        self.n = 0

    def settle(self, seconds: float = 0.3) -> None:
        from PySide6.QtWidgets import QApplication

        end = time.monotonic() + seconds
        while time.monotonic() < end:
            QApplication.processEvents()
            time.sleep(0.01)

    def wait_for(self, condition, timeout: float = 60.0) -> None:
        from PySide6.QtWidgets import QApplication

        end = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > end:
                raise TimeoutError("the app did not get there in time")
            QApplication.processEvents()
            time.sleep(0.02)
        self.settle(0.2)

    def shot(self, name: str) -> None:
        from PySide6.QtGui import QGuiApplication
        from PySide6.QtWidgets import QApplication

        self.settle()
        for w in QApplication.topLevelWidgets():  # a form page is built in slices: wait for it
            page = getattr(getattr(w, "form", None), "currentWidget", lambda: None)()
            if w.isVisible() and page is not None and hasattr(page, "built"):
                self.wait_for(lambda p=page: p.built)
        self.n += 1
        path = self.out / f"{self.n:02d}-{name}.png"
        subprocess.run(["import", "-window", "root", str(path)], check=True)
        screen = QGuiApplication.primaryScreen().geometry()
        self.log.append(f"{path.name}")
        for w in QApplication.topLevelWidgets():
            if not w.isVisible() or w.windowType().name in ("ToolTip", "Popup"):
                continue
            g = w.frameGeometry()
            fits = screen.contains(g)
            self.log.append(f"    {'OK  ' if fits else 'OVER'} {type(w).__name__:<22} "
                            f"{g.width()}x{g.height()}+{g.x()}+{g.y()}  title={w.windowTitle()!r}")

    def modal(self, trigger, inside, delay_ms: int = 600) -> None:
        """Run ``trigger`` (which opens a modal dialog with exec()) and ``inside(dialog)`` while it runs."""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        def run_inside() -> None:
            dialog = QApplication.activeModalWidget()
            try:
                inside(dialog)
            finally:
                if dialog is not None and dialog.isVisible():
                    dialog.reject() if hasattr(dialog, "reject") else dialog.close()

        QTimer.singleShot(delay_ms, run_inside)
        trigger()
        self.settle(0.2)

    def write_log(self) -> None:
        (self.out / "windows.txt").write_text("\n".join(self.log) + "\n", encoding="utf-8")


def close_error_dialogs() -> None:
    from desktop.errors import ErrorDialog

    for dialog in list(ErrorDialog.shown):
        dialog.done(0)


def show_details(dialog) -> None:
    from PySide6.QtWidgets import QMessageBox

    for button in dialog.buttons():
        if dialog.buttonRole(button) == QMessageBox.ButtonRole.ActionRole:
            button.click()


def run(out: Path, lang: str) -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "scripts"))
    import screenshots  # the README's demo workspace
    from PySide6.QtWidgets import QApplication

    from desktop.app import make_application
    from desktop.controller import AppController
    from desktop.settings import AUTO_LOCK_SECONDS, LANGUAGE, Settings
    from storage import Workspace

    tour = Tour(out, lang)
    tmp = Path(tempfile.mkdtemp(prefix="ccus-tour-"))
    os.environ["CCUS_ATTEST_HOME"] = str(tmp / "home")
    folder = tmp / "demo" / "2026年度申請"
    folder.parent.mkdir(parents=True)
    screenshots.build_demo(folder)
    # leave a few things unanswered to see how they look: the registration number (whose
    # evidence is required once answered) and a date (its placeholder)
    with Workspace.open(folder, PASSPHRASE) as ws:
        ws.set_answer("CERT-03", None)
        ws.set_answer("CERT-05", None)
    app = make_application([sys.argv[0]])
    settings = Settings(tmp / "settings.ini")
    settings.set(LANGUAGE, lang)
    settings.set(AUTO_LOCK_SECONDS, 0)
    settings.remember_workspace(folder)
    controller = AppController(settings)
    controller.start()
    try:
        _vendor(tour, app, controller, folder, tmp)
    finally:
        tour.write_log()
        QApplication.processEvents()
        shutil.rmtree(tmp, ignore_errors=True)


def _vendor(tour: Tour, app, controller, folder: Path, tmp: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.errors import ErrorDialog
    from storage import Workspace

    welcome = controller.welcome
    tour.shot("welcome")
    tour.modal(welcome._create, lambda d: tour.shot("create-workspace"))
    tour.modal(welcome._browse, lambda d: tour.shot("folder-dialog-qt"))
    welcome.unlock.passphrase.setText("wrong passphrase")
    welcome.unlock._submit()
    tour.wait_for(lambda: ErrorDialog.shown)
    show_details(ErrorDialog.shown[-1])
    tour.shot("wrong-passphrase-details")
    close_error_dialogs()

    main = controller.workspace_opened(Workspace.open(folder, PASSPHRASE))
    tour.settle(0.5)
    main.go_to_section("CERT")
    main.select_item("CERT-01")
    main.evidence.table.selectRow(0)
    tour.shot("main-cert")
    main.form.scroll_to("CERT-05", focus=False)
    tour.shot("main-cert-date")
    main.go_to_section("HR")
    main.form.scroll_to("HR-05", focus=False)
    tour.shot("main-partial")
    main.go_to_section("LOG")
    tour.shot("main-unanswered")
    main.show_dashboard()
    tour.shot("dashboard")
    main.filter.setCurrentIndex(2)
    main.apply_filter()
    tour.shot("filter-problems")
    main.filter.setCurrentIndex(0)
    main.go_to_section("CERT")
    main.select_item("CERT-01")
    main.evidence.table.selectRow(0)
    tour.modal(main.evidence.edit_selected, lambda d: tour.shot("evidence-meta"))
    tour.modal(main.evidence.add_from_dialog, lambda d: tour.shot("open-files-qt"))
    tour.modal(main.evidence.remove_selected, lambda d: tour.shot("confirm-remove"))
    preview = main.evidence.preview_selected()
    if preview is not None:
        tour.settle(1.5)
        tour.shot("preview")
        preview.close()
    from desktop.ui.activity_dialog import ActivityDialog

    tour.modal(lambda: ActivityDialog(main.session, main).exec(),
               lambda d: (tour.wait_for(lambda: d.problems is not None), tour.shot("activity")))
    tour.modal(main.edit_settings, lambda d: tour.shot("settings"))
    tour.modal(main.about, lambda d: tour.shot("about"))

    # the integrity check: its progress window, then the result (the progress must be gone)
    seen: list[str] = []

    def result_shown(dialog) -> None:
        from desktop.tasks import QProgressDialog

        progress = [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, QProgressDialog) and w.isVisible()]
        seen.append("progress still visible" if progress else "progress closed")
        tour.shot("integrity-result")

    from PySide6.QtCore import QTimer

    def watch() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None and dialog.objectName() == "integrityDialog":
            result_shown(dialog)
            dialog.reject()
        else:
            QTimer.singleShot(50, watch)

    QTimer.singleShot(50, watch)
    task = main.check_integrity()
    tour.wait_for(lambda: task.done and seen, timeout=120)
    tour.log.append(f"    integrity: {seen}")

    tour.modal(lambda: main.exports.documents.export_checklist(), lambda d: tour.shot("save-checklist-qt"))
    _export(tour, app, main, tmp)

    main.lock()
    tour.shot("locked")
    main.lock_page.unlock.passphrase.setText("wrong passphrase")
    main.lock_page.unlock._submit()
    tour.wait_for(lambda: ErrorDialog.shown)
    show_details(ErrorDialog.shown[-1])
    tour.shot("locked-wrong-passphrase")
    close_error_dialogs()
    main._unlocked(Workspace.open(folder, PASSPHRASE))
    tour.settle(0.5)
    controller.set_language("en" if tour.lang == "ja" else "ja")
    tour.settle(0.5)
    tour.shot("other-language-sections")
    controller.set_language(tour.lang)
    tour.settle(0.3)
    _auditor(tour, app, controller, tmp)


def _export(tour: Tour, app, main, tmp: Path) -> None:
    from desktop.ui.export_wizard import PAGE_RECIPIENTS, PAGE_SUMMARY
    from exports.keys import generate_recipient_key, generate_signing_key

    (tmp / "keys").mkdir()
    signing = generate_signing_key(tmp / "keys" / "sample-system-2026", PASSPHRASE)
    recipient = generate_recipient_key(tmp / "keys" / "auditor")
    (tmp / "out").mkdir()
    tour.bundle_keys = (signing, recipient)
    wizard = main.exports.export_bundle()
    tour.wait_for(lambda: wizard.isVisible())
    tour.shot("export-check")
    wizard.check_page.anyway.setChecked(True)
    wizard.next()
    tour.shot("export-key")
    tour.modal(wizard.key_page._create, lambda d: tour.shot("export-new-signing-key"))
    wizard.key_page.path.setText(str(signing.secret_path))
    wizard.key_page.passphrase.setText(PASSPHRASE)
    wizard.next()
    tour.wait_for(lambda: wizard.currentId() == PAGE_RECIPIENTS)
    tour.shot("export-recipients-empty")
    wizard.recipients_page.add(recipient.recipient)
    tour.shot("export-recipients")
    wizard.next()
    wizard.output_page.path.setText(str(tmp / "out" / "株式会社サンプルシステム_提出バンドル_2026.zip"))
    tour.shot("export-output")
    wizard.next()
    tour.wait_for(lambda: wizard.currentId() == PAGE_SUMMARY)
    tour.shot("export-summary")
    tour.bundle = wizard.result.path
    wizard.accept()


def _auditor(tour: Tour, app, controller, tmp: Path) -> None:
    from PySide6.QtWidgets import QDialog

    from desktop.ui.auditor_open import FROM_FILE, OpenBundleDialog
    from questionnaire.review import Verdict

    signing, recipient = tour.bundle_keys

    def open_dialog(path: Path) -> OpenBundleDialog:
        dialog = OpenBundleDialog(None, controller.settings)
        dialog.show()
        dialog.bundle.setText(str(path))
        dialog.identity.setText(str(recipient.identity_path))
        dialog.signer.setCurrentIndex(dialog.signer.findData(FROM_FILE))
        dialog.signer_file.setText(str(signing.public_path))
        tour.shot("auditor-open")
        dialog.start()
        tour.wait_for(lambda: dialog.task is None and (dialog.result() == QDialog.DialogCode.Accepted
                                                       or dialog.banner.isVisible()))
        return dialog

    data = bytearray(tour.bundle.read_bytes())
    data[len(data) // 2] ^= 1
    tampered = tmp / "out" / "tampered.zip"
    tampered.write_bytes(bytes(data))
    dialog = open_dialog(tampered)
    tour.shot("auditor-tampered")
    dialog.close()
    dialog = open_dialog(tour.bundle)
    window = controller.bundle_opened(dialog.opened, dialog.note)
    tour.settle(0.5)
    window.go_to_section("CERT")
    window.select_item("CERT-01")
    window.session.set_finding("CERT-01", Verdict.CONFORMS, "登録証の写しと有効期限を確認した。", "監査 花子",
                               dt.date.today())
    window.review.show_item("CERT-01")
    tour.shot("auditor-window")
    window.show_dashboard()
    tour.shot("auditor-dashboard")
    window.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=("ja", "en"), default="ja")
    parser.add_argument("--size", default="1366x768", help="screen size, e.g. 1366x768")
    parser.add_argument("--scale", default="1", help="display scaling, e.g. 1.25 (QT_SCALE_FACTOR)")
    parser.add_argument("--all", action="store_true", help="both languages at 1366x768 and 1440x900")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "ccus-tour")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.all:
        code = 0
        for size in SIZES:
            for lang in ("ja", "en"):
                code |= main(["--lang", lang, "--size", size, "--out", str(args.out)])
        return code
    out = args.out / (f"{args.size}-{args.lang}" + (f"-x{args.scale}" if args.scale != "1" else ""))
    if args.inside:
        out.mkdir(parents=True, exist_ok=True)
        os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
        run(out, args.lang)
        print(f"{out}: {len(list(out.glob('*.png')))} screenshots")
        return 0
    xvfb = shutil.which("xvfb-run")
    if not xvfb or not shutil.which("import"):
        print("needs xvfb-run and ImageMagick's import", file=sys.stderr)
        return 1
    if out.exists():
        shutil.rmtree(out)
    env = {**os.environ, "QT_SCALE_FACTOR": args.scale} if args.scale != "1" else None
    return subprocess.call([xvfb, "-a", "-s", f"-screen 0 {args.size}x24 -dpi 96", sys.executable, __file__,
                            "--inside", "--lang", args.lang, "--size", args.size, "--scale", args.scale,
                            "--out", str(args.out)], env=env)


if __name__ == "__main__":
    sys.exit(main())
