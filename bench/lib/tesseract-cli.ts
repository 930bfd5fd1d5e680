/**
 * Native Tesseract as MEASURING.md defines the peer: Debian's `tesseract`, OMP_THREAD_LIMIT=1,
 * --psm 3, only the needed languages, plain text out; wrapped in /usr/bin/time so each
 * process reports its own peak resident set.
 */
import { runProcess } from '../../src/platform/run-process.js';

export interface TesseractRun {
  text: string;
  ms: number;
  /** Peak RSS of the tesseract process in bytes (from /usr/bin/time %M). */
  peakRss: number;
  /** User + system CPU seconds of the process. */
  cpuS: number;
}

export async function runNativeTesseract(imagePath: string, codes: string): Promise<TesseractRun> {
  const t0 = performance.now();
  const r = await runProcess('/usr/bin/time', ['-f', 'DOCR_MAXRSS_KB=%M DOCR_CPU=%U+%S', 'tesseract', imagePath, 'stdout', '--psm', '3', '-l', codes], {
    timeoutMs: 10 * 60_000,
    env: { ...process.env, OMP_THREAD_LIMIT: '1' },
  });
  const ms = performance.now() - t0;
  const kb = Number(/DOCR_MAXRSS_KB=(\d+)/.exec(r.stderr)?.[1] ?? 0);
  const cpu = /DOCR_CPU=([\d.]+)\+([\d.]+)/.exec(r.stderr);
  if (r.code !== 0) throw new Error(`tesseract failed on ${imagePath}: ${r.stderr.slice(-300)}`);
  return { text: r.stdout.toString('utf8'), ms, peakRss: kb * 1024, cpuS: cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN };
}

/** Runs `items` through `fn` with at most `concurrency` in flight; results in input order. */
export async function mapConcurrent<T, R>(items: readonly T[], concurrency: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  });
  await Promise.all(lanes);
  return out;
}
