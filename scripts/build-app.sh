#!/usr/bin/env bash
# Build the self-contained CCUS Attest (PyInstaller, one folder) from packaging/ccus-attest.spec.
#   usage: scripts/build-app.sh [DIST_DIR]          (default: dist/)
#   result: DIST_DIR/ccus-attest/  — run ccus-attest (CLI) or ccus-attest-gui (desktop app);
#           it needs no Python on the machine it runs on.
# Linux (Debian/Ubuntu) only; Windows and macOS run the same spec by hand (packaging/README.md).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIST=$(realpath -m "${1:-$ROOT/dist}")
WORK="$ROOT/build/pyinstaller"
"$ROOT/scripts/bootstrap.sh" build
VENV="${CCUS_ATTEST_VENV:-$ROOT/.venv}"

start=$SECONDS
# --clean: no stale analysis from an older checkout; PyInstaller's own cache lives under
# build/ too, so a build run as root (CI) leaves nothing in root's home folder.
PYINSTALLER_CONFIG_DIR="$ROOT/build/pyinstaller-cache" \
  "$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$WORK" "$ROOT/packaging/ccus-attest.spec"
app="$DIST/ccus-attest"
"$app/ccus-attest" --version >/dev/null   # it starts at all
size=$(du -sm "$app" | cut -f1)
printf 'build-app: %s (%s MB) in %ss\n' "$app" "$size" "$((SECONDS - start))" >&2
