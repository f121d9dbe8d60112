"""Screenshots of the whole screen at 1366×768 — at 100, 125 and 150 % scaling and with a font
4 pt larger — of the main window, the dashboard, the export wizard and the auditor's view
(issue 18), to look at: nothing may be off the screen or cut off.

    .venv/bin/python scripts/a11y_screenshots.py [OUT_DIR]     # default <temp dir>/a11y-shots

Each setting runs in its own X server (xvfb-run, 1366×768, 96 dpi) with QT_SCALE_FACTOR set;
the screen is captured with ImageMagick's ``import -window root``, so a window or a button
outside the screen shows as missing, not as a complete window grabbed off-screen. The demo
workspace is the one of scripts/screenshots.py (a temporary folder; nothing of the user's).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCREEN = (1366, 768)
SETTINGS = {"100": ("1", 0), "125": ("1.25", 0), "150": ("1.5", 0), "font+4": ("1", 4)}


def shoot(out: Path, tag: str, font_delta: int) -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "scripts"))
    import screenshots as demo  # scripts/screenshots.py: the demo workspace
    from PySide6.QtGui import QFont

    from desktop.app import make_application
    from desktop.controller import AppController
    from desktop.settings import AUTO_LOCK_SECONDS, LANGUAGE, Settings
    from desktop.ui import style
    from storage import Workspace

    tmp = Path(tempfile.mkdtemp(prefix="ccus-a11y-shots-"))
    os.environ["CCUS_ATTEST_HOME"] = str(tmp / "home")
    folder = tmp / "demo" / "2026年度申請"
    folder.parent.mkdir(parents=True)
    demo.build_demo(folder)
    app = make_application([sys.argv[0]])
    if font_delta:  # the system font made larger: every size follows the application font
        font = QFont(app.font())
        font.setPointSizeF(font.pointSizeF() + font_delta)
        app.setFont(font)
        style.apply(app)
    settings = Settings(tmp / "settings.ini")
    settings.set(LANGUAGE, "ja")
    settings.set(AUTO_LOCK_SECONDS, 0)
    controller = AppController(settings)
    controller.start()
    controller.welcome.close()

    def screen(name: str) -> None:
        demo.wait_for(app, lambda: True)
        path = out / f"{name}-{tag}.png"
        subprocess.run(["import", "-window", "root", str(path)], check=True)
        print(path)

    main = controller.workspace_opened(Workspace.open(folder, demo.PASSPHRASE))
    main.move(0, 0)
    demo.wait_for(app, lambda: main.isVisible())
    main.go_to_section("CERT")
    main.select_item("CERT-01")
    main.evidence.table.selectRow(0)
    main.form.widgets["CERT-01"].focus_first()
    screen("main")
    main.show_dashboard()
    screen("dashboard")
    bundle, keys = _export(app, demo, main, tmp, screen)
    _auditor(app, demo, controller, bundle, keys, tmp, screen)
    main.close()
    shutil.rmtree(tmp, ignore_errors=True)


def _export(app, demo, main, tmp: Path, screen):
    from desktop.ui.export_wizard import PAGE_RECIPIENTS, PAGE_SUMMARY
    from exports.keys import generate_recipient_key, generate_signing_key

    (tmp / "keys").mkdir()
    signing = generate_signing_key(tmp / "keys" / "sample-2026", demo.PASSPHRASE)
    recipient = generate_recipient_key(tmp / "keys" / "auditor")
    (tmp / "out").mkdir()
    wizard = main.exports.export_bundle()
    demo.wait_for(app, lambda: wizard.isVisible())
    screen("wizard-check")
    wizard.check_page.anyway.setChecked(True)
    wizard.next()
    wizard.key_page.path.setText(str(signing.secret_path))
    wizard.key_page.passphrase.setText(demo.PASSPHRASE)
    screen("wizard-key")
    wizard.next()
    demo.wait_for(app, lambda: wizard.currentId() == PAGE_RECIPIENTS)
    wizard.recipients_page.add(recipient.recipient)
    wizard.next()
    wizard.output_page.path.setText(str(tmp / "out" / "bundle.zip"))
    wizard.next()
    demo.wait_for(app, lambda: wizard.currentId() == PAGE_SUMMARY)
    screen("wizard-summary")
    bundle = wizard.result.path
    wizard.accept()
    return bundle, (signing, recipient)


def _auditor(app, demo, controller, bundle: Path, keys, tmp: Path, screen) -> None:
    from PySide6.QtWidgets import QDialog

    from desktop.ui.auditor_open import FROM_FILE, OpenBundleDialog

    signing, recipient = keys
    dialog = OpenBundleDialog(None, controller.settings)
    dialog.show()
    dialog.bundle.setText(str(bundle))
    dialog.identity.setText(str(recipient.identity_path))
    dialog.signer.setCurrentIndex(dialog.signer.findData(FROM_FILE))
    dialog.signer_file.setText(str(signing.public_path))
    dialog.start()
    demo.wait_for(app, lambda: dialog.task is None and dialog.result() == QDialog.DialogCode.Accepted)
    window = controller.bundle_opened(dialog.opened, dialog.note)
    window.move(0, 0)
    window.go_to_section("CERT")
    window.select_item("CERT-01")
    window.evidence.table.selectRow(0)
    demo.wait_for(app, lambda: window.isVisible())
    screen("auditor")
    window.close()


def main() -> int:
    given = len(sys.argv) > 1 and not sys.argv[1].startswith("--")
    out = Path(sys.argv[1]) if given else Path(tempfile.gettempdir()) / "a11y-shots"
    if "--child" in sys.argv:
        shoot(out, sys.argv[sys.argv.index("--child") + 1], int(os.environ.get("A11Y_FONT_DELTA", "0")))
        return 0
    xvfb = shutil.which("xvfb-run")
    if not xvfb or not shutil.which("import"):
        print("needs xvfb-run and ImageMagick's import", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    for tag, (scale, delta) in SETTINGS.items():
        env = {**os.environ, "QT_SCALE_FACTOR": scale, "A11Y_FONT_DELTA": str(delta),
               "QT_QPA_PLATFORM": "xcb"}
        env.pop("QT_AUTO_SCREEN_SCALE_FACTOR", None)
        code = subprocess.call([xvfb, "-a", "-s", f"-screen 0 {SCREEN[0]}x{SCREEN[1]}x24 -dpi 96",
                                sys.executable, __file__, str(out), "--child", tag], env=env)
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
