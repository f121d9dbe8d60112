"""Refresh the Qt Linguist catalogue from the code and compile it.

    .venv/bin/python scripts/update_translations.py          # lupdate + lrelease
    .venv/bin/python scripts/update_translations.py --check  # exit 1 if the .ts/.qm are stale

Source strings are Japanese (the product's first language); ``desktop/i18n/ccus_attest_en.ts``
holds the English. Edit it with ``pyside6-linguist`` (or by hand), then run this script;
commit both the .ts and the compiled .qm (the app loads the .qm; no build step at install).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "desktop" / "i18n"
TS = I18N / "ccus_attest_en.ts"
QM = I18N / "ccus_attest_en.qm"
# Japanese for Qt's own strings that PySide6's qtbase_ja lacks (written by hand, no lupdate)
QT_EXTRA_TS = I18N / "qt_extra_ja.ts"
QT_EXTRA_QM = I18N / "qt_extra_ja.qm"


def tool(name: str) -> str:
    found = shutil.which(f"pyside6-{name}", path=str(Path(sys.executable).parent)) or shutil.which(
        f"pyside6-{name}")
    if not found:
        raise SystemExit(f"pyside6-{name} not found (it comes with PySide6)")
    return found


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "desktop").rglob("*.py"))


def lupdate(ts: Path) -> None:
    subprocess.run([tool("lupdate"), "-no-obsolete", "-locations", "none", "-source-language", "ja_JP",
                    "-target-language", "en_US", *sources(), "-ts", str(ts)], cwd=ROOT, check=True,
                   capture_output=True)


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], cwd=ROOT, check=True)


def main(argv: list[str]) -> int:
    if "--check" in argv:
        with tempfile.TemporaryDirectory() as tmp:
            ts, qm = Path(tmp) / TS.name, Path(tmp) / QM.name
            shutil.copy(TS, ts)
            lupdate(ts)
            lrelease(TS, qm)
            stale = []
            if ts.read_bytes() != TS.read_bytes():
                stale.append(f"{TS.name} does not match the strings in the code")
            if qm.read_bytes() != QM.read_bytes():
                stale.append(f"{QM.name} is not compiled from the current {TS.name}")
            extra = Path(tmp) / QT_EXTRA_QM.name
            lrelease(QT_EXTRA_TS, extra)
            if not QT_EXTRA_QM.is_file() or extra.read_bytes() != QT_EXTRA_QM.read_bytes():
                stale.append(f"{QT_EXTRA_QM.name} is not compiled from the current {QT_EXTRA_TS.name}")
        for problem in stale:
            print(problem, file=sys.stderr)
        return 1 if stale else 0
    lupdate(TS)
    lrelease(TS, QM)
    lrelease(QT_EXTRA_TS, QT_EXTRA_QM)
    print(f"updated {TS.relative_to(ROOT)}, {QM.relative_to(ROOT)} and {QT_EXTRA_QM.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
