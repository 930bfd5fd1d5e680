#!/usr/bin/env bash
# The whole test suite: type check, layer rules, then every test file with node's runner.
# Heavy end-to-end and benchmark runs live in separate scripts (npm run bench, test/e2e).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== typecheck"; npx tsc --noEmit -p .
mapfile -t files < <(find test -name '*.test.ts' -not -path 'test/e2e/*' | sort)
echo "== ${#files[@]} test files"
exec node --import tsx --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
