/**
 * The long fuzz run: `heavy npm run fuzz -- [--cases 500] [--seed 1] [--minutes 30]`.
 * Prints every case and a summary; exits 1 when any case ended outside the documented
 * states, hung or pushed memory past 4 GiB (replay one with the same --seed).
 */
import { parseArgs } from 'node:util';
import { fuzz, summary } from './lib/fuzz.js';
import { CORPUS } from './lib/corpus.js';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '500' }, seed: { type: 'string', default: '1' }, minutes: { type: 'string', default: '30' } } });
process.env.OMP_THREAD_LIMIT ??= '1';
const report = await fuzz({
  cases: Number(values.cases), seed: Number(values.seed), budgetMs: Number(values.minutes) * 60_000,
  caseLimitMs: 120_000, memoryLimitBytes: 4 * 1024 ** 3, corpus: CORPUS, log: (l) => console.log(l),
});
console.log(summary(report));
for (const f of report.failures) console.log(`FAIL case ${f.index} ${f.seed} [${f.how}] → ${f.format}: ${f.why}`);
process.exitCode = report.failures.length > 0 ? 1 : 0;
