"""Screenshots of what a user sees when the machine refuses: a full disk while answering (the
dialog with 再試行) and a workspace on read-only media (the banner), in both languages, at a
given screen size. Needs root (a small tmpfs and a read-only bind mount, as the tests use).

    sudo .venv/bin/python scripts/fault_screenshots.py [--size 1366x768] [--out DIR]

Runs itself under xvfb-run and captures the whole screen with ImageMagick's ``import``, so
the dialog is seen where it opens, over the window.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "demo passphrase for screenshots"


def shoot(size: tuple[int, int], out: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    from desktop.controller import AppController
    from desktop.settings import AUTO_LOCK_SECONDS, LANGUAGE, Settings
    from desktop.ui import style
    from storage import KdfParams, Workspace
    from tests import faultkit

    app = QApplication(sys.argv)
    style.apply(app)
    tmp = Path(tempfile.mkdtemp(prefix="fault-shots-"))
    os.environ["CCUS_ATTEST_HOME"] = str(tmp / "home")

    def settle(seconds: float = 0.6) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    def capture(name: str) -> None:
        settle()
        path = out / f"{name}-{size[0]}x{size[1]}.png"
        subprocess.run(["import", "-window", "root", str(path)], check=True)
        print(path)

    def wait(condition, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while not condition() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    kdf = KdfParams(memory_kib=8 * 1024, iterations=1, lanes=1)
    with faultkit.small_disk(tmp / "usb") as disk:
        ws_path = disk.root / "attest-2026"
        with Workspace.create(ws_path, PASSPHRASE, vendor="株式会社サンプルシステム", kdf=kdf) as ws:
            ws.set_answers({"AGR-01": "yes"})
        for lang in ("ja", "en"):
            settings = Settings(tmp / f"settings-{lang}.ini")
            settings.set(LANGUAGE, lang)
            settings.set(AUTO_LOCK_SECONDS, 0)
            controller = AppController(settings, kdf=kdf)
            controller.start()
            welcome = controller.welcome
            welcome.add_recent(ws_path)
            welcome.unlock.passphrase.setText(PASSPHRASE)
            welcome.unlock.button.click()
            wait(lambda c=controller: c.main is not None)
            main = controller.main
            main.resize(*size)
            main.move(0, 0)
            main.go_to_section("CERT")
            widget = main.form.widgets["CERT-11"]
            widget.editor.buttons["no"].click()  # saved; then the disk fills up
            settle()
            main.form.ensureWidgetVisible(widget, 0, 40)
            disk.fill()
            widget.note.setFocus()
            note = {"ja": "書類審査の提出資料を再確認中。2027年3月末までに訂正を提出する。",
                    "en": "Re-checking the documents; corrections by March 2027."}[lang]
            widget.note.setPlainText(note)
            widget.commit_pending()
            capture(f"disk-full.{lang}")
            from desktop.errors import ErrorDialog

            for dialog in list(ErrorDialog.shown):
                dialog.done(0)
            disk.unfill()
            main.session.retry_unsaved()
            main.close()
            settle()
        # the same workspace on read-only media
        with faultkit.read_only_view(disk.root, tmp / "cdrom") as view:
            for lang in ("ja", "en"):
                settings = Settings(tmp / f"settings-ro-{lang}.ini")
                settings.set(LANGUAGE, lang)
                settings.set(AUTO_LOCK_SECONDS, 0)
                controller = AppController(settings, kdf=kdf)
                controller.start()
                controller.welcome.add_recent(view / "attest-2026")
                controller.welcome.unlock.passphrase.setText(PASSPHRASE)
                controller.welcome.unlock.button.click()
                wait(lambda c=controller: c.main is not None)
                main = controller.main
                main.resize(*size)
                main.move(0, 0)
                capture(f"read-only.{lang}")
                main.close()
                settle()
    shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="1366x768")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("DISPLAY"):
        xvfb = shutil.which("xvfb-run")
        if not xvfb:
            print("needs an X display or xvfb-run (apt-get install xvfb xauth)", file=sys.stderr)
            return 1
        return subprocess.call([xvfb, "-a", "-s", f"-screen 0 {width}x{height}x24 -dpi 96",
                                sys.executable, __file__, "--size", args.size, "--out", str(out)])
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    shoot((width, height), out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
