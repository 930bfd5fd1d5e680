/**
 * Child process of the throughput benchmark: one docr recognizer, warmed (models loaded in
 * every worker), then every page submitted at once. Runs in its own process so that what it
 * and its descendants (engine processes, the programs they run) use is docr's alone: CPU is
 * this process's plus every descendant's (their reaped children included), memory the peak
 * of their summed resident sets, sampled.
 * Usage: node --import tsx bench/lib/docr-batch.ts JOB.json  → prints a BatchResult as JSON.
 */
import { readFileSync } from 'node:fs';
import { createRecognizer } from '../../src/engines/index.js';
import { descendantsOf, residentBytes } from '../../src/platform/process-tree.js';
import { readImageFile } from './image-input.js';
import { renderTxt } from '../../src/renderers/txt/index.js';

export interface BatchJob {
  pages: string[];
  languages: string[];
  workers: number;
  threadsPerEngine: number;
  /** A small image each worker reads before timing starts, so model loading is not counted. */
  warmup: string;
  /** The recogniser's arithmetic (passed to the engine workers as DOCR_PPOCR_PRECISION). */
  precision?: 'auto' | 'int8' | 'float';
  /** Engine instances in child processes (the default) or worker threads. */
  isolation?: 'process' | 'thread';
}

export interface BatchResult {
  loadMs: number;
  wallMs: number;
  texts: string[];
  peakRss: number;
  /** CPU seconds (user + system, every thread of the process and of its descendants) spent on the timed batch. */
  cpuS: number;
}

const TICKS = 100; // USER_HZ on Linux

/** utime, stime, cutime, cstime of a process, in seconds. */
function cpuOf(pid: number | 'self'): [number, number, number, number] {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return [f[11], f[12], f[13], f[14]].map((x) => Number(x) / TICKS) as [number, number, number, number];
  } catch { return [0, 0, 0, 0]; }
}

/** CPU seconds of the descendants alive now (with the children each reaped) and of the children this process reaped. */
function descendantsCpuS(): number {
  const self = cpuOf('self');
  return self[2] + self[3] + descendantsOf(process.pid).reduce((sum, pid) => sum + cpuOf(pid).reduce((a, b) => a + b, 0), 0);
}

/** Resident bytes of this process and every descendant, summed. */
function treeRss(): number {
  return process.memoryUsage.rss() + descendantsOf(process.pid).reduce((s, pid) => s + residentBytes(pid), 0);
}

const job = JSON.parse(readFileSync(process.argv[2], 'utf8')) as BatchJob;
// Read by the engine in every worker thread (they share the process environment).
if (job.precision) process.env.DOCR_PPOCR_PRECISION = job.precision;
const recognizer = createRecognizer({ workers: job.workers, threadsPerEngine: job.threadsPerEngine, queueLimit: job.pages.length + job.workers, isolation: job.isolation });
let peakRss = treeRss();
const sampler = setInterval(() => { peakRss = Math.max(peakRss, treeRss()); }, 100);
const t0 = performance.now();
const warm = await readImageFile(job.warmup);
await Promise.all(Array.from({ length: job.workers }, () => recognizer.recognize(warm, { languages: job.languages })));
const loadMs = performance.now() - t0;
const images = await Promise.all(job.pages.map((p) => readImageFile(p)));
const t1 = performance.now();
const cpu0 = process.cpuUsage();
const below0 = descendantsCpuS();
const pages = await Promise.all(images.map((img, i) => recognizer.recognize({ ...img, index: i + 1 }, { languages: job.languages })));
const wallMs = performance.now() - t1;
const cpu = process.cpuUsage(cpu0);
const belowS = descendantsCpuS() - below0;
clearInterval(sampler);
await recognizer.close();
const texts = pages.map((p) => renderTxt({ pages: [p], languages: job.languages }));
const result: BatchResult = { loadMs, wallMs, texts, peakRss, cpuS: (cpu.user + cpu.system) / 1e6 + belowS };
process.stdout.write(JSON.stringify(result));
