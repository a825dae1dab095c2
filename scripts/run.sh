#!/usr/bin/env bash
# The README's first command: prepares the checkout, then runs the system.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node bin/ir0.js boot "$@"
