#!/usr/bin/env bash
# Runs every test: lint, layer rules, the portable-core type check, then the
# node:test suites. `scripts/test.sh cpu` runs only the CPU suites.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

if [ "${1:-}" = "cpu" ]; then
  # Node 20's --test takes no globs: list the files.
  exec node --test --test-concurrency=2 $(find dist/machine dist/system/cpu-diff dist/system/lockstep -name '*.test.js' | sort)
fi

echo "== lint (eslint, zero warnings)"
npx eslint --max-warnings 0 src bin
echo "== layers (dependency-cruiser)"
npx depcruise --config .dependency-cruiser.cjs src
echo "== portable core compiles without Node or DOM types"
npx tsc -p tsconfig.core.json
echo "== tests"
node --test --test-concurrency=2 $(find dist -name '*.test.js' | sort)
