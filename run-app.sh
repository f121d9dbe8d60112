#!/usr/bin/env bash
# Set up (first run only) and start the CCUS Attest desktop app.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
"$ROOT/scripts/bootstrap.sh" runtime
exec "${CCUS_ATTEST_VENV:-$ROOT/.venv}/bin/python" "$ROOT/main.py" "$@"
