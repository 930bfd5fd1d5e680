#!/usr/bin/env bash
# Refreshes the test data kept inside the repository (test/data/corpus, test/data/seeds) from
# ../shared beside the repo, when that is present. The suite reads only test/data, so a
# clone from anywhere passes `npm test` on its own; run this after ../shared changes and
# commit the result. Without ../shared it does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared
if [ ! -d "$shared/corpus" ]; then
  echo "refresh-test-data: no $shared/corpus beside the repo; test/data stays as committed"
  exit 0
fi
mkdir -p test/data
rm -rf test/data/corpus test/data/seeds
cp -a "$shared/corpus" test/data/corpus
[ -d "$shared/seeds" ] && cp -a "$shared/seeds" test/data/seeds
echo "refresh-test-data: test/data now holds $(find test/data/corpus -type f | wc -l) corpus files and $(find test/data/seeds -type f 2>/dev/null | wc -l) seed files"
