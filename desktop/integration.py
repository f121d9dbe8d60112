"""Linux desktop integration: the app in the menu, its icon, and bundles opened by a double click.

    ccus-attest-gui --install-desktop-entry      (per user, under ~/.local/share)
    ccus-attest-gui --uninstall-desktop-entry

works the same for a pipx install and for the self-contained build: the entry runs the
``ccus-attest-gui`` it was installed from. It writes, following the freedesktop.org specs:

* ``applications/ccus-attest.desktop`` — with ``MimeType=application/x-ccus-attest-bundle``;
* ``mime/packages/ccus-attest.xml`` — the bundle MIME type, recognised by content (a ZIP
  whose first entry is a README.txt starting with "CCUS Attest"), so other ZIPs are untouched;
* ``icons/hicolor/<size>/apps/ccus-attest.png`` (+ scalable SVG) and the same picture as the
  bundle type's icon;

then refreshes the MIME database, the desktop database and the icon cache with the standard
tools when they are installed. No Qt here: it runs before (instead of) the GUI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent / "resources"
APP_ID = "ccus-attest"
MIME_TYPE = "application/x-ccus-attest-bundle"
MIME_ICON = MIME_TYPE.replace("/", "-")
DESKTOP_FILE = f"{APP_ID}.desktop"
MIME_FILE = f"{APP_ID}.xml"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
GUI_SCRIPT = "ccus-attest-gui"
# Characters the Desktop Entry spec says must be quoted in an Exec argument.
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


class IntegrationError(Exception):
    """Why the desktop entry cannot be installed (one line for the terminal)."""


@dataclass
class Result:
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # caches not refreshed, tools missing


def data_home() -> Path:
    """$XDG_DATA_HOME, or ~/.local/share as the Base Directory spec says."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"


def launcher() -> Path:
    """The ``ccus-attest-gui`` this process belongs to: the frozen executable, or the script
    beside this Python (a venv, pipx), or the one on PATH."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable)
    scripts = Path(sys.executable).parent
    for name in (GUI_SCRIPT, f"{GUI_SCRIPT}.exe"):
        if (scripts / name).is_file():
            return scripts / name
    found = shutil.which(GUI_SCRIPT)
    if found:
        return Path(found)
    raise IntegrationError(f"cannot find the {GUI_SCRIPT} launcher: install the app (pipx install …) first")


def exec_quote(arg: str) -> str:
    """One Exec argument, quoted as the Desktop Entry spec requires (then escaped as a string value)."""
    if arg and not (_RESERVED & set(arg)):
        return arg
    quoted = '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'
    return quoted.replace("\\", "\\\\")


def desktop_entry(command: Path) -> str:
    text = (RESOURCES / DESKTOP_FILE).read_text(encoding="utf-8")
    return text.replace("@EXEC@", exec_quote(str(command)))


def _targets(root: Path) -> dict[Path, Path | str]:
    """Every file to install under ``root`` and where its content comes from."""
    hicolor = root / "icons" / "hicolor"
    svg = RESOURCES / "ccus-attest.svg"
    out: dict[Path, Path | str] = {
        root / "mime" / "packages" / MIME_FILE: RESOURCES / "ccus-attest-mime.xml",
        hicolor / "scalable" / "apps" / f"{APP_ID}.svg": svg,
        hicolor / "scalable" / "mimetypes" / f"{MIME_ICON}.svg": svg,
    }
    for size in ICON_SIZES:
        png = RESOURCES / f"ccus-attest-{size}.png"
        folder = hicolor / f"{size}x{size}"
        out[folder / "apps" / f"{APP_ID}.png"] = png
        out[folder / "mimetypes" / f"{MIME_ICON}.png"] = png
    return out


def install(root: Path | None = None, command: Path | None = None) -> Result:
    root = root or data_home()
    command = command or launcher()
    result = Result()
    files: dict[Path, Path | str] = {root / "applications" / DESKTOP_FILE: desktop_entry(command),
                                     **_targets(root)}
    for target, source in files.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        data = source.encode("utf-8") if isinstance(source, str) else source.read_bytes()
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)  # never a half-written entry for the desktop to read
        result.written.append(target)
    _refresh(root, result)
    return result


def uninstall(root: Path | None = None) -> Result:
    root = root or data_home()
    result = Result()
    for target in [root / "applications" / DESKTOP_FILE, *_targets(root)]:
        if target.is_file():
            target.unlink()
            result.removed.append(target)
    _refresh(root, result)
    return result


def _refresh(root: Path, result: Result) -> None:
    hicolor = root / "icons" / "hicolor"
    steps = [
        ("update-mime-database", [str(root / "mime")], root / "mime"),
        ("update-desktop-database", ["-q", str(root / "applications")], root / "applications"),
        ("gtk-update-icon-cache", ["-q", "-t", "-f", str(hicolor)], hicolor),
    ]
    for tool, args, folder in steps:
        if not folder.is_dir():
            continue
        exe = shutil.which(tool)
        if exe is None:
            result.notes.append(f"{tool} is not installed: the desktop picks up the change at its next scan")
            continue
        proc = subprocess.run([exe, *args], capture_output=True, text=True, timeout=120, check=False)
        if proc.returncode != 0:
            result.notes.append(f"{tool} failed: {(proc.stderr or proc.stdout).strip()[:200]}")
