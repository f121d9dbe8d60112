#!/usr/bin/env bash
# Make a release: the wheel, the sdist, the self-contained Linux app as a .tar.gz, and a
# SHA256SUMS over them signed with the release's minisign key (SHA256SUMS.minisig).
#   usage: scripts/release.sh --key RELEASE.key [--out DIR] [--app-dir DIR] [--allow-dirty]
#     --key        the release's minisign secret key (minisign -G or `ccus-attest keygen signing`);
#                  its passphrase from $CCUS_ATTEST_SIGNING_PASSPHRASE or a prompt
#     --out        where the release files go (default: dist/release-<version>/; must be new or empty)
#     --app-dir    an app folder scripts/build-app.sh made from this same commit (default: build it)
#     --allow-dirty  release from a work tree with uncommitted changes (never for a real release)
# Users check a download with:  minisign -Vm SHA256SUMS -P <release public key>  &&  sha256sum -c SHA256SUMS
# Windows and macOS archives are built on those systems (packaging/README.md) and added to
# SHA256SUMS before it is signed: rerun with them copied into --out (they are kept and summed).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
die() { printf 'release: error: %s\n' "$*" >&2; exit 1; }

key="" out="" app_dir="" allow_dirty=0
while [ $# -gt 0 ]; do
  case "$1" in
    --key) key=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    --app-dir) app_dir=${2:?}; shift 2 ;;
    --allow-dirty) allow_dirty=1; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
[ -n "$key" ] || die "--key RELEASE.key is required"
[ -f "$key" ] || die "no such key file: $key"
key=$(realpath "$key")

"$ROOT/scripts/bootstrap.sh" build
VENV="${CCUS_ATTEST_VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"
version=$("$PY" -c 'import tomllib,sys; print(tomllib.load(open(sys.argv[1],"rb"))["project"]["version"])' \
          "$ROOT/pyproject.toml")
if [ "$allow_dirty" -eq 0 ] && [ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null)" ]; then
  die "the work tree has uncommitted changes: commit them (or --allow-dirty for a trial run)"
fi
out=$(realpath -m "${out:-$ROOT/dist/release-$version}")
mkdir -p "$out"
# Only files this script writes, or platform archives put there on purpose, may be in --out.
for f in "$out"/*; do
  [ -e "$f" ] || continue
  case "$(basename "$f")" in
    *.whl|*.tar.gz|*.zip|*.dmg|SHA256SUMS|SHA256SUMS.minisig) ;;
    *) die "$out holds $(basename "$f"): use a new or empty folder" ;;
  esac
done
rm -f "$out"/ccus_attest-*.whl "$out"/ccus_attest-*.tar.gz "$out"/SHA256SUMS "$out"/SHA256SUMS.minisig

# 1. wheel and sdist, as PEP 517 builds them (the sdist first, the wheel from it)
"$PY" -m build --outdir "$out" "$ROOT" >&2

# 2. the self-contained app, archived with fixed owners, order and times (reproducible bytes)
if [ -z "$app_dir" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  "$ROOT/scripts/build-app.sh" "$tmp/dist"
  app_dir="$tmp/dist/ccus-attest"
fi
[ -x "$app_dir/ccus-attest" ] || die "$app_dir is not an app folder made by scripts/build-app.sh"
reported=$("$app_dir/ccus-attest" --version)
[ "$reported" = "ccus-attest $version" ] || die "$app_dir is version '$reported', not $version"
archive="ccus-attest-$version-linux-$(uname -m).tar.gz"
epoch=$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || date +%s)
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
    -C "$(dirname "$app_dir")" -cf - "$(basename "$app_dir")" | gzip -6n > "$out/$archive"   # -9: 3x the time for 0.4 % less

# 3. checksums over every release file, signed with the release key
(cd "$out" && find . -maxdepth 1 -type f \( -name '*.whl' -o -name '*.tar.gz' -o -name '*.zip' -o -name '*.dmg' \) \
   -printf '%f\n' | LC_ALL=C sort | xargs sha256sum > SHA256SUMS)
"$PY" "$ROOT/packaging/sign_release.py" "$out/SHA256SUMS" --key "$key" --release "ccus-attest-$version"
if command -v minisign >/dev/null 2>&1 && [ -f "${key%.key}.pub" ]; then
  minisign -Vm "$out/SHA256SUMS" -p "${key%.key}.pub" >&2   # the standard tool agrees
fi
printf 'release: %s\n' "$out" >&2
ls -l "$out" >&2
