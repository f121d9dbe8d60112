"""Render the app icon's PNG sizes (and the Windows .ico) from desktop/resources/ccus-attest.svg.

    .venv/bin/python packaging/make_icons.py

Run it after changing the SVG and commit what it writes: the PNGs go into the package
(window icon, Linux desktop entry and MIME icon, hicolor sizes), the .ico into
packaging/icons/ for the Windows build. Qt renders the SVG (QtSvg is part of
PySide6-Essentials) and writes the .ico through its own ICO plugin; the macOS .icns is
made on a Mac from the 1024 px PNG with Apple's iconutil (packaging/README.md), since
Qt's ICNS writer and Pillow are not needed anywhere else.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "desktop" / "resources" / "ccus-attest.svg"
RESOURCES = ROOT / "desktop" / "resources"
ICONS = ROOT / "packaging" / "icons"
# hicolor sizes a desktop looks for; 1024 only for building the macOS .icns.
PACKAGE_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZE = 256  # Windows scales the 256 px entry down for smaller views


def render(size: int):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication(sys.argv[:1])
    ICONS.mkdir(parents=True, exist_ok=True)
    for size in PACKAGE_SIZES:
        out = RESOURCES / f"ccus-attest-{size}.png"
        if not render(size).save(str(out), "PNG"):
            raise SystemExit(f"cannot write {out}")
        print(out.relative_to(ROOT))
    big = ICONS / "ccus-attest-1024.png"
    render(1024).save(str(big), "PNG")
    print(big.relative_to(ROOT))
    ico = ICONS / "ccus-attest.ico"
    if not render(ICO_SIZE).save(str(ico), "ICO"):
        raise SystemExit(f"cannot write {ico} (Qt's ICO image plugin missing?)")
    print(ico.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
