/**
 * A short seeded fuzz run (issue 13): mutated corpus files of every input kind through the
 * whole pipeline, each ending in a documented state, none hanging, memory bounded, and the
 * pipeline reading an intact file afterwards. The long run is `npm run fuzz`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzz, summary } from '../../bench/lib/fuzz.js';
import { CORPUS } from '../fixtures/corpus.js';

process.env.OMP_THREAD_LIMIT ??= '1';

test('42 mutated files of every kind end in documented states, in bounded time and memory', async (t) => {
  const report = await fuzz({
    cases: 42, seed: 13, budgetMs: 150_000, caseLimitMs: 60_000, memoryLimitBytes: 4 * 1024 ** 3, corpus: CORPUS,
  });
  t.diagnostic(summary(report));
  assert.ok(report.cases.length >= 28, `only ${report.cases.length} cases ran in the time budget`);
  assert.deepEqual(report.failures.map((f) => `case ${f.index} ${f.seed} [${f.how}] → ${f.format}: ${f.why}`), []);
});
