#!/usr/bin/env bash
# The whole test suite: type check, layer rules, then every test file with node's runner.
# test/e2e holds the seed-sample runs against a live docr: they are part of the suite
# (each a few seconds on small real images). Benchmarks live in `npm run bench`.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== typecheck"; npx tsc --noEmit -p . && npx tsc --noEmit -p web
echo "== layers"; npx depcruise src sdk web --config .dependency-cruiser.cjs --output-type err
mapfile -t files < <(find test -name '*.test.ts' | sort)
echo "== ${#files[@]} test files"
exec node --import tsx --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
