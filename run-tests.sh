#!/usr/bin/env bash
# Set up (first run only) and run the lint and the whole test suite, headless.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
"$ROOT/scripts/bootstrap.sh" test
VENV="${CCUS_ATTEST_VENV:-$ROOT/.venv}"
cd "$ROOT"
export QT_QPA_PLATFORM=offscreen
"$VENV/bin/ruff" check .
exec "$VENV/bin/python" -m pytest "$@"
