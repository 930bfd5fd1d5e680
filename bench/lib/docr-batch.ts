/**
 * Child process of the throughput benchmark: one docr recognizer, warmed (models loaded in
 * every worker), then every page submitted at once. Runs in its own process so its peak
 * resident set (VmHWM, every engine worker thread included) is docr's alone.
 * Usage: node --import tsx bench/lib/docr-batch.ts JOB.json  → prints a BatchResult as JSON.
 */
import { readFileSync } from 'node:fs';
import { createRecognizer } from '../../src/engines/index.js';
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
}

export interface BatchResult {
  loadMs: number;
  wallMs: number;
  texts: string[];
  peakRss: number;
  /** CPU seconds (user + system, every thread of the process and the processes it ran) spent on the timed batch. */
  cpuS: number;
}

/** CPU seconds of the child processes waited for (Tesseract runs the engine policy routes pages to): /proc/self/stat cutime + cstime. */
function childrenCpuS(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // clock ticks (USER_HZ, 100 on Linux)
  } catch {
    return 0;
  }
}

function vmHwm(): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return Number(kb ?? 0) * 1024;
}

const job = JSON.parse(readFileSync(process.argv[2], 'utf8')) as BatchJob;
// Read by the engine in every worker thread (they share the process environment).
if (job.precision) process.env.DOCR_PPOCR_PRECISION = job.precision;
const recognizer = createRecognizer({ workers: job.workers, threadsPerEngine: job.threadsPerEngine, queueLimit: job.pages.length + job.workers });
const t0 = performance.now();
const warm = await readImageFile(job.warmup);
await Promise.all(Array.from({ length: job.workers }, () => recognizer.recognize(warm, { languages: job.languages })));
const loadMs = performance.now() - t0;
const images = await Promise.all(job.pages.map((p) => readImageFile(p)));
const t1 = performance.now();
const cpu0 = process.cpuUsage();
const children0 = childrenCpuS();
const pages = await Promise.all(images.map((img, i) => recognizer.recognize({ ...img, index: i + 1 }, { languages: job.languages })));
const wallMs = performance.now() - t1;
const cpu = process.cpuUsage(cpu0);
const childrenS = childrenCpuS() - children0;
await recognizer.close();
const result: BatchResult = { loadMs, wallMs, texts: pages.map((p) => renderTxt({ pages: [p], languages: job.languages })), peakRss: vmHwm(), cpuS: (cpu.user + cpu.system) / 1e6 + childrenS };
process.stdout.write(JSON.stringify(result));
