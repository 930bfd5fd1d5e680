/**
 * Scaled mode (issue 12): what spreading docr over processes costs and gives, on this machine.
 * - Per-task overhead: the same small task, one at a time, through a scaled deployment (API
 *   node + worker process on PostgreSQL, BullMQ/Redis and s3rver) and through embedded
 *   `docr serve`, interleaved; the client polls both every 10 ms. Overhead = the difference of
 *   the medians (target: under 50 ms). Both deployments run in processes of their own (and
 *   s3rver in another), so the client's polling and the servers do not share an event loop;
 *   the 10 ms polling rounds both figures alike.
 * - Breakdown (scaled-breakdown.ts): every port call and statement along a task's path in both
 *   modes, traced in this process, with bare round trips against the same servers.
 * - Pages per minute: receipts and scanned pages (images-en) submitted at once to the API
 *   node, with one worker process, then two (one task slot each), wall clock to the last end.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createFileTask, queryTask, type Endpoint } from '../../test/e2e/support/client.js';
import { startDocr } from '../../test/e2e/live-docr.js';
import { startScaledCluster } from '../../test/e2e/support/scaled-cluster.js';
import { CORPUS } from './corpus.js';
import { breakdownMarkdown, runBreakdown } from './scaled-breakdown.js';
import { median, table, type BenchContext, type BenchSection, type SectionResult } from './section.js';

const SMALL = path.join(CORPUS, 'images-en/ocropy_0079-01000d.png');
const OVERHEAD_TASKS = 20;
const BATCH = fs.readdirSync(path.join(CORPUS, 'images-en'))
  .filter((f) => /^(sroie_\d+\.jpg|tess_phototest.*\.png|ocrmypdf_linn\.png|pytesseract_test\.jpg)$/.test(f))
  .map((f) => path.join(CORPUS, 'images-en', f));

/** Create → the first query that shows the end, polled every 10 ms; milliseconds. */
async function timeOneTask(at: Endpoint, file: string): Promise<number> {
  const t0 = performance.now();
  const created = await createFileTask(at, file, { format: 'txt', language: 'English' });
  if (!created.data.task_id) throw new Error(`create failed: ${JSON.stringify(created)}`);
  for (;;) {
    const q = await queryTask(at, created.data.task_id);
    if (q.data.state === 1) return performance.now() - t0;
    if (q.data.state < 0) throw new Error(`task failed: ${JSON.stringify(q.data)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Every file submitted at once; pages per minute from the first create to the last end. */
async function batchRate(at: Endpoint, files: string[]): Promise<{ pagesPerMin: number; wallMs: number }> {
  const t0 = performance.now();
  const ids = await Promise.all(files.map(async (f) => (await createFileTask(at, f, { format: 'txt', language: 'English' })).data.task_id!));
  await Promise.all(ids.map(async (id) => {
    for (;;) {
      const q = await queryTask(at, id);
      if (q.data.state === 1 || q.data.state < 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }));
  const wallMs = performance.now() - t0;
  return { pagesPerMin: (files.length / wallMs) * 60_000, wallMs };
}

export const scaledSection: BenchSection = {
  id: 'scaled',
  title: 'Scaled mode: per-task overhead and workers',
  async run(ctx: BenchContext): Promise<SectionResult> {
    const cluster = await startScaledCluster();
    const embedded = await startDocr();
    try {
      const api = await cluster.startApi();
      await cluster.startWorker();
      const scaled: Endpoint = { baseUrl: api.base, apiKey: (await cluster.makeKey(10_000, 1000)).key };
      const local: Endpoint = { baseUrl: embedded.base, apiKey: (await embedded.makeKey(10_000, 1000)).key };
      ctx.log('scaled: warming up both modes');
      for (let i = 0; i < 3; i++) { await timeOneTask(scaled, SMALL); await timeOneTask(local, SMALL); }
      const times = { scaled: [] as number[], embedded: [] as number[] };
      for (let i = 0; i < OVERHEAD_TASKS; i++) {
        times.scaled.push(await timeOneTask(scaled, SMALL));
        times.embedded.push(await timeOneTask(local, SMALL));
      }
      const overheadMs = median(times.scaled) - median(times.embedded);
      ctx.log(`scaled: per-task ${median(times.scaled).toFixed(0)} ms vs embedded ${median(times.embedded).toFixed(0)} ms`);

      const rates: { workers: number; pagesPerMin: number[] }[] = [];
      for (const workers of [1, 2]) {
        if (workers === 2) await cluster.startWorker();
        const runs: number[] = [];
        for (let r = 0; r < ctx.runs; r++) runs.push((await batchRate(scaled, BATCH)).pagesPerMin);
        rates.push({ workers, pagesPerMin: runs });
        ctx.log(`scaled: ${workers} worker(s): ${median(runs).toFixed(1)} pages/min`);
      }
      ctx.log('scaled: breakdown of one task\'s round trips');
      const breakdown = await runBreakdown({ tasks: 10, log: ctx.log });
      const data = {
        breakdown,
        overhead: { tasks: OVERHEAD_TASKS, scaledMedianMs: median(times.scaled), embeddedMedianMs: median(times.embedded), overheadMs, targetMs: 50 },
        throughput: rates.map((r) => ({ workers: r.workers, slotsPerWorker: 1, pages: BATCH.length, pagesPerMinMedian: median(r.pagesPerMin), runs: r.pagesPerMin })),
      };
      const markdown = [
        `Per-task time of one small page (${path.basename(SMALL)}), create to the query showing state 1, ${OVERHEAD_TASKS} tasks each, interleaved:`,
        '',
        table(['mode', 'median ms', 'min ms', 'max ms'], [
          ['embedded (docr serve, SQLite, disk, in-process queue)', median(times.embedded).toFixed(0), Math.min(...times.embedded).toFixed(0), Math.max(...times.embedded).toFixed(0)],
          ['scaled (API node + worker process, PostgreSQL, BullMQ/Redis, s3rver)', median(times.scaled).toFixed(0), Math.min(...times.scaled).toFixed(0), Math.max(...times.scaled).toFixed(0)],
        ]),
        '',
        `Scaled-mode overhead per task: **${overheadMs.toFixed(0)} ms** (target < 50 ms).`,
        '',
        breakdownMarkdown(breakdown),
        '',
        `${BATCH.length} pages (receipts and scanned pages of images-en) submitted at once to one API node; worker processes with one task slot each; median of ${ctx.runs} runs:`,
        '',
        table(['worker processes', 'pages/min', 'runs'], rates.map((r) => [r.workers, median(r.pagesPerMin).toFixed(1), r.pagesPerMin.map((x) => x.toFixed(1)).join(', ')])),
      ].join('\n');
      return { data, markdown };
    } finally {
      await embedded.stop();
      fs.rmSync(embedded.dataDir, { recursive: true, force: true });
      await cluster.stop();
    }
  },
};
