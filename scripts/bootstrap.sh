#!/usr/bin/env bash
# Prepare a machine to run CCUS Attest: system packages (Debian/Ubuntu, via apt-get),
# a virtual environment in .venv, and the app installed in it with its dependencies.
# Safe to run again: each step is skipped when already done.
#   usage: scripts/bootstrap.sh [runtime|build|test]
#   (build: what scripts/build-app.sh needs; test includes it, the tests build the app)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="${CCUS_ATTEST_VENV:-$ROOT/.venv}"
PROFILE="${1:-runtime}"

# Qt's runtime libraries, and a Japanese font with embedding rights for the PDF report.
RUNTIME_PKGS=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
              libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 fonts-ipaexfont)
# PyInstaller reads the libraries' dependencies with objdump (scripts/build-app.sh).
BUILD_PKGS=(binutils)
# The standard tools the tests check our files against, and a virtual screen.
# poppler-data: lets pdftotext/pdffonts read the report's non-embedded CID fallback font.
# shared-mime-info, desktop-file-utils: the Linux desktop entry and bundle MIME type are
# checked with the freedesktop.org tools.
# gcc, libc6-dev: build the LD_PRELOAD shim that makes a drive fail with EIO (tests/fault_shim.c;
# those tests are skipped, saying why, without a compiler).
# libreoffice-calc-nogui: prints the checklist to PDF as a reviewer's office suite would;
# fonts-crosextra-carlito: metric twin of Calibri, the workbook's default font, which sets
# the width of a column unit: without it LibreOffice draws every column 25 % wider than Excel.
# postgresql: the register's tests start a throw-away cluster (initdb/pg_ctl) to run the same
# suite on PostgreSQL as on SQLite (tests/register_support.py).
TEST_PKGS=(age minisign poppler-utils poppler-data xvfb xauth shared-mime-info desktop-file-utils
           gcc libc6-dev libreoffice-calc-nogui fonts-crosextra-carlito postgresql)

say() { printf 'bootstrap: %s\n' "$*" >&2; }

# A machine that is updating itself (unattended-upgrades, a software centre) holds apt's
# locks for minutes: wait for them instead of failing. DPkg::Lock::Timeout makes apt-get wait
# for the dpkg lock itself; the package lists and download cache locks it does not cover
# (apt 2.6 fails at once on them), so a command refused for a lock is tried again.
APT_WAIT_SECONDS="${CCUS_ATTEST_APT_WAIT:-900}"

apt_get() {
  local waited=0 out
  while true; do
    if out=$("$@" -o "DPkg::Lock::Timeout=$APT_WAIT_SECONDS" 2>&1); then
      return 0
    fi
    if ! grep -qE "Could not get lock|Unable to lock|Unable to acquire the dpkg frontend lock" <<<"$out" ||
       [ "$waited" -ge "$APT_WAIT_SECONDS" ]; then
      printf '%s\n' "$out" >&2
      return 1
    fi
    [ "$waited" -eq 0 ] && say "another program is installing or updating packages; waiting for it to finish..."
    sleep 5
    waited=$((waited + 5))
  done
}

install_system_packages() {
  command -v apt-get >/dev/null 2>&1 || { say "no apt-get: install ${*} yourself if missing"; return 0; }
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  say "installing system packages: ${missing[*]}"
  apt_get "${sudo[@]}" apt-get update -qq
  apt_get "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
}

pick_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  say "Python 3.11 or newer is required"; exit 1
}

pkgs=("${RUNTIME_PKGS[@]}")
case "$PROFILE" in
  build) pkgs+=("${BUILD_PKGS[@]}") ;;
  test) pkgs+=("${BUILD_PKGS[@]}" "${TEST_PKGS[@]}") ;;
esac
install_system_packages "${pkgs[@]}"

if [ ! -x "$VENV/bin/python" ]; then
  py=$(pick_python)
  if ! "$py" -m venv "$VENV" 2>/dev/null; then
    install_system_packages python3-venv
    rm -rf "$VENV"; "$py" -m venv "$VENV"
  fi
fi

# Reinstall only when the declared dependencies changed.
stamp="$VENV/.ccus-attest-installed"
want=$(sha256sum < "$ROOT/pyproject.toml" | cut -d" " -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "installing CCUS Attest and its dependencies into $VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -e "$ROOT[dev]"
  echo "$want" > "$stamp"
fi
