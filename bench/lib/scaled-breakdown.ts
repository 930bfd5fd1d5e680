/**
 * The breakdown of scaled mode's per-task overhead: traced tasks through both deployments
 * (scaled-trace.ts), interleaved, summarised per kind of call, with bare round trips against
 * the same servers in the same run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CORPUS } from './corpus.js';
import { bareRoundTrips, startTracedPair, summarise, traceOneTask, type BareRoundTrips, type TaskTrace } from './scaled-trace.js';
import { median, table } from './section.js';

export const SMALL_PAGE = path.join(CORPUS, 'images-en/ocropy_0079-01000d.png');

export interface BreakdownResult {
  tasks: number;
  totalMs: { embedded: number; scaled: number };
  calls: Record<string, { embedded?: CallFigures; scaled?: CallFigures }>;
  bare: BareRoundTrips;
  /** The scaled task closest to the median, call by call (ms from the create). */
  timeline: { kind: string; atMs: number; ms: number }[];
}

interface CallFigures { perTask: number; medianMs: number; totalPerTaskMs: number }

export async function runBreakdown(o: { tasks: number; log(m: string): void }): Promise<BreakdownResult> {
  const pair = await startTracedPair();
  try {
    o.log('breakdown: warming up');
    for (let i = 0; i < 3; i++) { await traceOneTask(pair.scaled, SMALL_PAGE); await traceOneTask(pair.embedded, SMALL_PAGE); }
    const traces: { embedded: TaskTrace[]; scaled: TaskTrace[] } = { embedded: [], scaled: [] };
    for (let i = 0; i < o.tasks; i++) {
      traces.scaled.push(await traceOneTask(pair.scaled, SMALL_PAGE));
      traces.embedded.push(await traceOneTask(pair.embedded, SMALL_PAGE));
    }
    const bare = await pair.bare(fs.readFileSync(SMALL_PAGE));
    const totals = { embedded: median(traces.embedded.map((t) => t.totalMs)), scaled: median(traces.scaled.map((t) => t.totalMs)) };
    o.log(`breakdown: scaled ${totals.scaled.toFixed(0)} ms, embedded ${totals.embedded.toFixed(0)} ms`);
    const calls: BreakdownResult['calls'] = {};
    for (const mode of ['embedded', 'scaled'] as const) {
      for (const [kind, f] of summarise(traces[mode])) (calls[kind] ??= {})[mode] = f;
    }
    const typical = [...traces.scaled].sort((a, b) => Math.abs(a.totalMs - totals.scaled) - Math.abs(b.totalMs - totals.scaled))[0];
    return {
      tasks: o.tasks, totalMs: totals, calls, bare,
      timeline: typical.calls.map((c) => ({ kind: c.kind, atMs: c.start - typical.t0, ms: c.end - c.start })),
    };
  } finally {
    await pair.close();
  }
}

export { bareRoundTrips };

const f1 = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '—' : x.toFixed(1));
const ROUND_TRIP = /^(pg: |blobs\.|queue\.|limiter\.)/;

export function breakdownMarkdown(r: BreakdownResult, o: { timeline?: boolean } = {}): string {
  const rows = Object.entries(r.calls)
    .filter(([kind]) => !kind.startsWith('pg: background'))
    .map(([kind, m]) => [kind, f1(m.embedded?.perTask), f1(m.embedded?.medianMs), f1(m.scaled?.perTask), f1(m.scaled?.medianMs), f1(m.scaled?.totalPerTaskMs)]);
  const roundTrips = Object.entries(r.calls).filter(([k]) => ROUND_TRIP.test(k) && !k.startsWith('pg: background') && !k.startsWith('store.'));
  const lines = [
    `Traced in one process (API role + worker role per mode, ${r.tasks} tasks each, interleaved): create → query showing state 1, median ${r.totalMs.scaled.toFixed(0)} ms scaled against ${r.totalMs.embedded.toFixed(0)} ms embedded.`,
    'Per task: how many calls of each kind fall between the create and the end (median), and the median time of one. `store.*` are the TaskStore port\'s calls (each made of the `pg:` statements below it); `blobs.get` returns at the response headers, `blobs.download` includes the body.',
    '',
    table(['call', 'embedded n', 'embedded ms', 'scaled n', 'scaled ms', 'scaled ms per task'], rows),
    '',
    `Round trips on the scaled path: ${roundTrips.map(([k, m]) => `${k} ×${f1(m.scaled?.perTask)}`).join(', ')}.`,
    '',
    `Bare round trips in the same run (raw clients, ${path.basename(SMALL_PAGE)} as the object): PostgreSQL SELECT 1 ${f1(r.bare.pgSelect1)} ms, one-row UPDATE (committed, WAL flushed) ${f1(r.bare.pgUpdate)} ms; Redis PING ${f1(r.bare.redisPing)} ms; s3rver PutObject ${f1(r.bare.s3Put)} ms, GetObject (with body) ${f1(r.bare.s3Get)} ms, HeadObject ${f1(r.bare.s3Head)} ms, DeleteObject ${f1(r.bare.s3Delete)} ms.`,
  ];
  if (o.timeline) {
    lines.push('', 'The scaled task nearest the median, call by call (ms after the create began):', '',
      table(['at ms', 'ms', 'call'], r.timeline.map((c) => [c.atMs.toFixed(1), c.ms.toFixed(1), c.kind])));
  }
  return lines.join('\n');
}
